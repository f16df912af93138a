// A first round of real use, as a new officer (MEDLATEC) and a new cluster head (Lam Sơn) would
// go through it at 360×740, checking each thing that once put wrong numbers or lost work in
// front of them:
// - a correction is one result, saved once, and the next report is a new one;
// - an opened draft takes over nothing, and the form says which draft it edits;
// - a figure is read the way it was typed ("5 triệu") or refused with a reason;
// - another phone's change shows in seconds without a tap;
// - errors are marked where they are, all at once, and the first one gets the focus;
// - a sent result can be fixed or withdrawn until the head reviews it;
// - joining says where the phone belongs; an invite opened on a joined phone says so.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { HOLDERS, SHOTS, firstPage as page, launchBrowser, shot, startDemo, tab } from "./harness.mjs";

let demo, server, head, officer, links;

before(async () => {
  demo = await startDemo("thidua-firstuse-", 2);
  ({ server, links } = demo);
  [head, officer] = demo.browsers;
  const [headLink, officerLink] = links;
  const [h, o] = await Promise.all([page(head), page(officer)]);
  await Promise.all([h.goto(headLink), o.goto(officerLink)]);
  await Promise.all([h, o].map((p) => p.getByTestId("sync-state").getByText("Đã đồng bộ").waitFor({ timeout: 30000 })));
});

after(async () => {
  await demo?.close();
});

const go = (p, path) => p.goto(server.url + path);
const notice = (p) => p.getByTestId("report-notice");
const save = (p) => p.getByRole("button", { name: "Lưu", exact: true }).click();

async function synced(p) {
  await p.getByRole("button", { name: "Đồng bộ ngay" }).click();
  await p.getByTestId("sync-state").getByText("Đã đồng bộ").waitFor({ timeout: 30000 });
}

/** Syncs by hand until `target` shows: for the steps that are not about live updates. */
async function syncUntil(p, target, tries = 10) {
  for (let i = 0; i < tries; i++) {
    await p.getByRole("button", { name: "Đồng bộ ngay" }).click();
    try {
      await target.waitFor({ timeout: 3000 });
      return;
    } catch {
      // not there yet
    }
  }
  throw new Error("never arrived");
}

/** The server's live entries, read with a device's token. */
async function serverEntries(p) {
  const token = await p.evaluate(() => JSON.parse(localStorage.getItem("thidua.device")).token);
  const res = await fetch(`${server.url}/api/snapshot`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  const doc = await res.json();
  return Object.values(doc.records)
    .map((r) => [r.id, r.heads[0].body])
    .filter(([, b]) => b?.type === "entry");
}

/** Reports one result on the Report screen, starting from a new report. */
async function report(p, { kind, title, amountLabel, amount }) {
  await go(p, "/report");
  await p.getByRole("button", { name: kind, exact: true }).click();
  await p.getByLabel("Tiêu đề", { exact: true }).fill(title);
  if (amountLabel) await p.getByLabel(amountLabel, { exact: true }).fill(amount);
  await save(p);
  await notice(p).getByText("Đã lưu trên máy").waitFor();
}

/** The head returns the result titled `title` with `reason`. */
async function returnIt(h, title, reason) {
  await go(h, "/review");
  const row = h.locator(".entry", { hasText: title });
  await syncUntil(h, row);
  await row.getByRole("button", { name: "Trả lại", exact: true }).click();
  await row.getByLabel("Lý do trả lại").fill(reason);
  await row.getByRole("button", { name: "Gửi trả lại" }).click();
  await row.waitFor({ state: "detached" });
  await synced(h);
}

test("a correction is one result, saved once; cancelling leaves it as it was; the next report is new", async () => {
  const h = await page(head);
  const o = await page(officer);
  const A = "Trồng cây xanh ở trạm y tế xã Quảng Tâm";
  const C = "Ủng hộ quỹ Vì người nghèo phường Đông Thọ";
  await report(o, { kind: "Trồng cây", title: A, amountLabel: "Số cây", amount: "300" });
  await report(o, { kind: "Ủng hộ, quyên góp", title: C, amountLabel: "Số tiền (₫)", amount: "3000000" });
  await synced(o);
  await returnIt(h, A, "Thiếu ảnh minh chứng");
  await returnIt(h, C, "Ghi rõ số tiền của từng tổ công đoàn");

  await go(o, "/entries");
  const returnedChip = o.getByRole("button", { name: /^Bị trả lại \(/ });
  await syncUntil(o, o.locator(".entry", { hasText: C }).getByTestId("status").getByText("Bị trả lại"));
  await o.locator(".entry", { hasText: A }).getByTestId("status").getByText("Bị trả lại").waitFor();
  const returnedBefore = Number((await returnedChip.textContent()).match(/\((\d+)\)/)[1]);

  // Opening a correction and leaving it without saving: nothing is sent, and the form is a
  // new report again afterwards.
  await o.locator(".entry", { hasText: C }).getByRole("button", { name: "Sửa và gửi lại" }).click();
  await o.getByTestId("report-heading").getByText("Sửa kết quả bị trả lại").waitFor();
  await o.getByLabel("Tiêu đề", { exact: true }).fill("Bản sửa dở, sẽ huỷ");
  await o.getByTestId("cancel-edit").click();
  await o.waitForURL(/\/entries$/);
  await tab(o, "Báo cáo");
  await o.getByTestId("report-heading").getByText("Báo cáo kết quả").waitFor();
  assert.equal(await o.getByTestId("return-reason").count(), 0);

  // The correction shows the head's reason, starts from the returned result, and is saved once.
  await tab(o, "Kết quả");
  await o.locator(".entry", { hasText: A }).getByRole("button", { name: "Sửa và gửi lại" }).click();
  await o.getByTestId("return-reason").getByText("Thiếu ảnh minh chứng").waitFor();
  assert.equal(await o.getByLabel("Tiêu đề", { exact: true }).inputValue(), A);
  assert.equal(await o.getByLabel("Số cây", { exact: true }).inputValue(), "300");
  await o.getByLabel("Số cây", { exact: true }).fill("320");
  await o.getByLabel("Mô tả", { exact: true }).fill("Kèm ảnh và biên bản nghiệm thu của xã.");
  await shot(o, "firstuse-correct-vi");
  await save(o);
  await o.waitForURL(/\/entries$/);

  // After a reload, the Report tab is a new report: empty, dated today, no correction.
  await o.reload();
  await tab(o, "Báo cáo");
  await o.getByTestId("report-heading").getByText("Báo cáo kết quả").waitFor();
  assert.equal(await o.getByText("Bạn đang sửa một kết quả bị trả lại").count(), 0);
  await o.getByRole("button", { name: "Trồng cây", exact: true }).click();
  assert.equal(await o.getByLabel("Tiêu đề", { exact: true }).inputValue(), "");
  const today = new Date().toLocaleDateString("en-GB"); // dd/mm/yyyy
  assert.equal(await o.getByLabel("Ngày (ngày/tháng/năm)").inputValue(), today);
  await shot(o, "firstuse-report-after-correction-vi");
  // The next, unrelated report is a result of its own.
  await o.getByLabel("Tiêu đề", { exact: true }).fill("Trồng 20 cây sao đen ở cổng bệnh viện");
  await o.getByLabel("Số cây", { exact: true }).fill("20");
  await save(o);
  await notice(o).getByText("Đã lưu trên máy").waitFor();
  await synced(o);

  const entries = await serverEntries(o);
  const original = entries.find(([, b]) => b.title === A);
  const corrections = entries.filter(([, b]) => b.corrects === original[0]);
  assert.equal(corrections.length, 1, "one correction of the returned result");
  assert.equal(corrections[0][1].details.count, 320);
  const next = entries.find(([, b]) => b.title === "Trồng 20 cây sao đen ở cổng bệnh viện");
  assert.equal(next[1].corrects ?? null, null, "the next report corrects nothing");
  assert.equal(entries.filter(([, b]) => b.corrects != null).length, 1, "only one correction in all");

  // My results: the original and its correction are one item with its story, and the
  // count of returned results dropped by one.
  await tab(o, "Kết quả");
  const item = o.locator(".entry").filter({ has: o.getByTestId("story") });
  await item.getByText("Thiếu ảnh minh chứng").waitFor();
  assert.match(await item.getByTestId("story").textContent(), new RegExp(A));
  assert.equal(await o.locator(".entry").filter({ has: o.getByText(A, { exact: true }) }).count(), 1);
  const returnedAfter = Number((await returnedChip.textContent()).match(/\((\d+)\)/)[1]);
  assert.equal(returnedAfter, returnedBefore - 1);
  await shot(o, "firstuse-entries-story-vi");
});

test("an opened draft takes over nothing, and the form says which draft it is", async () => {
  const o = await page(officer);
  const DRAFT = "Nháp: hội thao chào mừng 95 năm Công đoàn";
  await go(o, "/report");
  await o.getByRole("button", { name: "Văn hoá, thể thao", exact: true }).click();
  await o.getByLabel("Tiêu đề", { exact: true }).fill(DRAFT);
  await o.getByLabel("Ngày (ngày/tháng/năm)").fill("01/12/2026");
  await o.getByRole("button", { name: "Lưu nháp" }).click();
  await notice(o).getByText("Đã lưu nháp trên máy").waitFor();

  // Opened from My results, the form names the draft.
  await tab(o, "Kết quả");
  await o.getByTestId("draft-entries").locator(".entry", { hasText: DRAFT }).getByRole("button", { name: "Mở" }).click();
  await o.getByTestId("report-heading").getByText(`Bản nháp: ${DRAFT}`).waitFor();
  await shot(o, "firstuse-draft-open-vi");

  // Home, then "Báo cáo kết quả": a new report, empty and dated today, not the draft.
  await tab(o, "Trang chủ");
  await o.getByRole("button", { name: "Báo cáo kết quả" }).click();
  await o.getByTestId("report-heading").getByText("Báo cáo kết quả").waitFor();
  await o.getByRole("button", { name: "Văn hoá, thể thao", exact: true }).click();
  assert.equal(await o.getByLabel("Tiêu đề", { exact: true }).inputValue(), "");
  const today = new Date().toLocaleDateString("en-GB");
  assert.equal(await o.getByLabel("Ngày (ngày/tháng/năm)").inputValue(), today);
  await o.getByLabel("Tiêu đề", { exact: true }).fill("Giải bóng chuyền hơi nữ");
  await o.getByLabel("Số người tham gia", { exact: true }).fill("64");
  await save(o);
  await notice(o).getByText("Đã lưu trên máy").waitFor();
  // The draft is still there, with its own date.
  const draft = o.getByTestId("drafts").locator(".entry", { hasText: DRAFT });
  await draft.waitFor();

  // Edits to an opened draft stay in it; saving it makes it a result and the form new again.
  await draft.getByRole("button", { name: "Mở" }).click();
  await o.getByTestId("report-heading").getByText(`Bản nháp: ${DRAFT}`).waitFor();
  assert.equal(await o.getByLabel("Ngày (ngày/tháng/năm)").inputValue(), "01/12/2026");
  await o.getByLabel("Số người tham gia", { exact: true }).fill("120");
  await o.reload();
  await o.getByTestId("report-heading").getByText(`Bản nháp: ${DRAFT}`).waitFor();
  assert.equal(await o.getByLabel("Số người tham gia", { exact: true }).inputValue(), "120");
  await save(o);
  await o.getByTestId("report-heading").getByText("Báo cáo kết quả").waitFor();
  assert.equal(await o.getByTestId("drafts").count(), 0, "the draft became a result");
  await synced(o);
  const entries = await serverEntries(o);
  assert.equal(entries.filter(([, b]) => b.title === DRAFT).length, 1);
  assert.equal(entries.filter(([, b]) => b.title === "Giải bóng chuyền hơi nữ").length, 1);
});

test("figures are read as typed, or refused with a reason; every problem is marked at once", async () => {
  const o = await page(officer);
  await go(o, "/report");
  await o.getByRole("button", { name: "Ủng hộ, quyên góp", exact: true }).click();
  // The form opens below the kind buttons: it is brought into view.
  await o.waitForFunction(() => {
    const r = document.getElementById("entry-title")?.getBoundingClientRect();
    return r && r.top >= 0 && r.bottom <= window.innerHeight;
  });
  const money = o.getByLabel("Số tiền (₫)", { exact: true });
  const field = o.locator(".field", { has: money });
  for (const [typed, why] of [
    ["10tr-5", /Không hiểu “tr-”/],
    ["1,5", /số đồng chẵn/],
    ["-3", /Không được là số âm/],
    ["mười triệu", /Không hiểu “mười”/],
  ]) {
    await money.fill(typed);
    await field.locator(".error").getByText(why).waitFor();
    assert.equal(await money.inputValue(), typed, "what was typed stays as typed");
  }
  // Every problem at once: no title, a figure not understood, a date in the future.
  await o.getByLabel("Ngày (ngày/tháng/năm)").fill("01/01/2099");
  await save(o);
  await notice(o).getByText("Hãy sửa các ô được đánh dấu").waitFor();
  assert.equal(await notice(o).getAttribute("class"), "notice bad");
  for (const label of ["Tiêu đề", "Số tiền (₫)", "Ngày (ngày/tháng/năm)"]) {
    assert.equal(await o.getByLabel(label, { exact: true }).getAttribute("aria-invalid"), "true", label);
  }
  await o.locator(".field", { has: o.getByLabel("Ngày (ngày/tháng/năm)") }).getByText(/không được sau hôm nay/i).waitFor();
  // The first problem has the focus.
  await o.waitForFunction(() => document.activeElement?.id === "entry-title");
  await shot(o, "firstuse-report-errors-vi");

  // Understood: the value shown under the field, and the same on the server.
  await o.getByLabel("Tiêu đề", { exact: true }).fill("Ủng hộ đồng bào vùng lũ Mường Lát");
  await o.getByRole("button", { name: "Hôm nay" }).click();
  await money.fill("5 triệu");
  await field.getByText("= 5.000.000 ₫").waitFor();
  await o.getByLabel("Hiện vật", { exact: true }).fill("thùng mì");
  await o.getByLabel("Số hiện vật", { exact: true }).fill("40");
  await shot(o, "firstuse-report-understood-vi");
  await save(o);
  await notice(o).getByText("Đã lưu trên máy").waitFor();
  // Zero trees is no result.
  await o.getByRole("button", { name: "Trồng cây", exact: true }).click();
  await o.getByLabel("Tiêu đề", { exact: true }).fill("Trồng cây");
  await o.getByLabel("Số cây", { exact: true }).fill("0");
  await save(o);
  await o.locator(".field", { has: o.getByLabel("Số cây", { exact: true }) }).getByText("Ít nhất là 1.").waitFor();
  await synced(o);
  const gift = (await serverEntries(o)).find(([, b]) => b.title === "Ủng hộ đồng bào vùng lũ Mường Lát");
  assert.equal(gift[1].details.money_vnd, 5000000);
  assert.equal(gift[1].details.item_count, 40);
});

test("another phone's change shows in seconds, without a tap", async () => {
  const h = await page(head);
  const o = await page(officer);
  const TITLE = "Lớp tập huấn an toàn bức xạ cho kỹ thuật viên";
  await go(h, "/review");
  await h.getByTestId("review-list").waitFor();
  await go(o, "/report");
  await o.getByRole("button", { name: "Lớp tập huấn", exact: true }).click();
  await o.getByLabel("Tiêu đề", { exact: true }).fill(TITLE);
  await o.getByLabel("Số người tham gia", { exact: true }).fill("45");
  await save(o);
  await notice(o).getByText("Đã lưu trên máy").waitFor();
  // Nobody touches the head's phone: the result appears in its queue by itself.
  const row = h.locator(".entry", { hasText: TITLE });
  await row.waitFor({ timeout: 20000 });
  // And the head's return reaches the officer's list the same way.
  await go(o, "/entries");
  await row.getByRole("button", { name: "Trả lại", exact: true }).click();
  await row.getByLabel("Lý do trả lại").fill("Gửi kèm danh sách học viên có chữ ký.");
  await row.getByRole("button", { name: "Gửi trả lại" }).click();
  const mine = o.locator(".entry", { hasText: TITLE });
  await mine.getByTestId("status").getByText("Bị trả lại").waitFor({ timeout: 20000 });
  await mine.getByText("Gửi kèm danh sách học viên có chữ ký.").waitFor();
  // The bar says when the phone last heard from the server.
  assert.match(await o.getByTestId("sync-state").textContent(), /Đã đồng bộ lúc \d\d:\d\d/);
  await shot(o, "firstuse-live-returned-vi");
});

test("a sent result can be fixed or withdrawn until the head reviews it", async () => {
  const o = await page(officer);
  const TITLE = "Số hoá sổ theo dõi bảo hộ lao động";
  await report(o, { kind: "Sáng kiến, cải tiến kỹ thuật", title: TITLE, amountLabel: "Giá trị (₫)", amount: "12 triệu" });
  await synced(o);
  await tab(o, "Kết quả");
  const row = o.locator(".entry", { hasText: TITLE });
  await row.getByTestId("fix-entry").click();
  await o.getByTestId("report-heading").getByText("Sửa kết quả đã gửi").waitFor();
  assert.equal(await o.getByLabel("Giá trị (₫)", { exact: true }).inputValue(), "12.000.000");
  await o.getByLabel("Giá trị (₫)", { exact: true }).fill("15 triệu");
  await save(o);
  await o.waitForURL(/\/entries$/);
  await row.getByText(/15\.000\.000/).waitFor();
  await synced(o);
  let entries = (await serverEntries(o)).filter(([, b]) => b.title === TITLE);
  assert.equal(entries.length, 1, "a fix changes the result, it adds none");
  assert.equal(entries[0][1].details.value_vnd, 15000000);
  // Withdrawn: gone from the list and from the server's live records.
  o.once("dialog", (d) => d.accept());
  await row.getByTestId("withdraw-entry").click();
  await row.waitFor({ state: "detached" });
  await synced(o);
  entries = (await serverEntries(o)).filter(([, b]) => b.title === TITLE);
  assert.equal(entries.length, 0);
  // A reviewed result offers neither.
  const approved = o.locator(".entry").filter({ has: o.locator('[data-testid="status"]', { hasText: /^Đã duyệt$/ }) }).first();
  await approved.waitFor();
  assert.equal(await approved.getByTestId("fix-entry").count(), 0);
  assert.equal(await approved.getByTestId("withdraw-entry").count(), 0);
});

test("the head's forms put each problem under its field, all at once", async () => {
  const h = await page(head);
  // Award votes: "-2" against is a negative number, said under "Không tán thành".
  await go(h, "/awards");
  await h.getByRole("button", { name: "Đề nghị khen thưởng mới" }).click();
  await h.getByLabel("Thành tích, lý do đề nghị", { exact: true }).fill("Hoàn thành xuất sắc nhiệm vụ năm 2026.");
  await h.getByLabel("Không tán thành", { exact: true }).fill("-2");
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  const against = h.locator(".field", { has: h.getByLabel("Không tán thành", { exact: true }) });
  await against.getByText("Không được là số âm.").waitFor();
  const forField = h.locator(".field", { has: h.getByLabel("Tán thành", { exact: true }) });
  assert.equal(await forField.locator(".error").textContent(), "");
  assert.equal(await h.getByText("Hãy nhập một số nguyên").count(), 0);
  await shot(h, "firstuse-award-vote-error-vi");

  // A campaign with no title and a bad date: both said at once.
  await go(h, "/campaigns?edit=new&tpl=");
  await h.getByLabel("Ngày bắt đầu").fill("31/02/2026");
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  await h.locator(".field", { has: h.getByLabel("Tên phong trào") }).getByText("Không được để trống.").waitFor();
  assert.equal(await h.getByLabel("Ngày bắt đầu").getAttribute("aria-invalid"), "true");
  assert.equal(await h.getByLabel("Tên phong trào").getAttribute("aria-invalid"), "true");
  await h.waitForFunction(() => document.activeElement?.id === "campaign-title");
  await shot(h, "firstuse-campaign-errors-vi");
});

test("the head's screens at 360 px: filters, tabs, the notice after approving, empty filters", async () => {
  const h = await page(head);
  const o = await page(officer);
  await report(o, { kind: "Trồng cây", title: "Trồng 50 cây bàng ở khu tập thể", amountLabel: "Số cây", amount: "50" });
  await go(h, "/review");
  const row = h.locator(".entry", { hasText: "Trồng 50 cây bàng ở khu tập thể" });
  await row.waitFor({ timeout: 20000 });
  // Each filter has the width of the screen (side by side, their choices were cut off).
  const widths = await h.$$eval(".filters select", (all) => all.map((s) => s.getBoundingClientRect().width));
  assert.equal(widths.length, 3);
  for (const w of widths) assert.ok(w > 280, `filter width ${w}`);
  // Every tab label is on one line.
  const lines = await h.$$eval("nav.tabs a", (tabs) =>
    tabs.map((a) => {
      const range = document.createRange();
      range.selectNodeContents(a);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    }),
  );
  assert.deepEqual(lines, lines.map(() => 1), `lines per tab: ${lines}`);
  // Approving far down the list: the notice is where the thumb is.
  await row.getByRole("button", { name: "Duyệt", exact: true }).click();
  const toast = h.getByTestId("head-notice");
  await toast.getByText("Đã duyệt.").waitFor();
  const box = await toast.boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 740, `notice at ${JSON.stringify(box)}`);
  await h.screenshot({ path: `${SHOTS}/firstuse-review-approved-vi.png` });
  // A filter that matches nothing says so.
  await h.getByLabel("Loại kết quả", { exact: true }).selectOption({ label: "Mô hình, câu lạc bộ mới" });
  await h.getByLabel("Trạng thái", { exact: true }).selectOption({ label: "Bị trả lại" });
  await h.getByText("Không có kết quả nào.").waitFor();
  // A save while online says it is being sent, not that it waits for a network.
  await go(h, "/cluster");
  await h.waitForFunction(() => document.querySelector("#cluster-name")?.value.length > 0, null, { timeout: 20000 });
  await h.locator("form", { has: h.getByLabel("Tên cụm") }).getByRole("button", { name: "Lưu" }).click();
  await h.getByText("Đã lưu trên máy và đang gửi lên máy chủ.").waitFor();
  assert.equal(await h.getByText("sẽ đồng bộ khi có mạng").count(), 0);
});

test("each user knows where they are: the unit on home, the units of recent reports", async () => {
  const h = await page(head);
  const o = await page(officer);
  await go(o, "/");
  await o.getByTestId("home-unit").getByText("Công ty TNHH MEDLATEC Thanh Hóa").waitFor();
  await go(h, "/");
  await h.getByTestId("recent-unit").first().waitFor();
  await shot(h, "firstuse-head-home-vi");
});

test("joining says where the phone belongs and asks whose it is; an invite opened again says it is joined", async () => {
  const [, officerLink] = links;
  const phone = await launchBrowser();
  try {
    const p = await page(phone);
    // A wrong code: the user's words only, no server English after them.
    await p.goto(server.url + "/join");
    await p.getByLabel("Mã mời").fill("khong-phai-ma-moi");
    await p.getByRole("button", { name: "Tham gia", exact: true }).click();
    const error = p.locator("#join-error");
    await error.getByText(/Mã mời không dùng được/).waitFor();
    assert.doesNotMatch(await error.textContent(), /\(|invite|code|not found/i);
    // The link joins at once; home says where and as what, and asks the holder's name.
    await p.goto(officerLink);
    const joined = p.getByTestId("joined");
    await joined.getByText("Công ty TNHH MEDLATEC Thanh Hóa").waitFor({ timeout: 30000 });
    assert.match(await joined.textContent(), /Cụm thi đua số 18/);
    assert.match(await joined.textContent(), /Cán bộ công đoàn cơ sở/);
    await shot(p, "firstuse-joined-vi");
    await p.getByLabel("Họ và tên của bạn").fill("Đỗ Minh Châu");
    await joined.getByRole("button", { name: "Đã hiểu" }).click();
    await joined.waitFor({ state: "detached" });
    // Once the phone has synced, the head's list of devices shows the name and the unit.
    await synced(p);
    const h = await page(head);
    await go(h, "/cluster");
    const devices = h.getByTestId("devices");
    await h.getByRole("button", { name: "Xem danh sách thiết bị" }).click();
    const named = devices.locator(".entry", { hasText: "Đỗ Minh Châu" });
    await named.waitFor();
    assert.match(await named.textContent(), /MEDLATEC/);
    assert.equal(await devices.getByText("Thi Đua", { exact: true }).count(), 0);
    assert.ok(await devices.getByText(HOLDERS[1]).count() > 0, "phones that knew their holder joined by name");
    // The same link opened again on the joined phone: it says so, and offers the way on.
    await p.goto("about:blank");
    await p.goto(officerLink);
    await p.getByTestId("already-joined").waitFor();
    assert.match(await p.getByTestId("already-joined").textContent(), /MEDLATEC/);
    await shot(p, "firstuse-already-joined-vi");
    await p.getByRole("button", { name: "Về trang chủ" }).click();
    await p.getByTestId("home-unit").waitFor();
  } finally {
    await phone.close();
  }
});

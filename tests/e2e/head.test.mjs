// A whole campaign through the cluster head's screens, with three devices:
// the head (Lam Sơn), the demo's officer (MEDLATEC) and a second officer
// (Cấp nước) whom the head invites from the Cluster screen. The second officer
// registers pledge targets, officers report, the head filters the queue,
// returns one entry with a reason (the officer sees it, corrects it and sends
// it again, the head approves the correction), approves the rest, freezes a
// 6-month review, votes on awards and prints the summary (checked on paper).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { SHOTS, firstPage as page, startDemo } from "./harness.mjs";

let demo, server, head, officer, officer2, links;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo("thidua-head-", 3);
  ({ server, links } = demo);
  [head, officer, officer2] = demo.browsers;
});

after(async () => {
  await demo?.close();
});
const go = (p, path) => p.goto(server.url + path);
const joined = (p) => p.waitForFunction(() => localStorage.getItem("thidua.device") != null, null, { timeout: 20000 });

/** Syncs until the text (or locator) shows up on the page (the other device may still be pushing). */
async function syncUntil(p, what, tries = 10) {
  const target = typeof what === "string" ? p.getByText(what).first() : what;
  for (let i = 0; i < tries; i++) {
    await p.getByRole("button", { name: /^(Đồng bộ ngay|Sync now)$/ }).click();
    try {
      await target.waitFor({ timeout: 3000 });
      return;
    } catch {
      // not there yet
    }
  }
  throw new Error(`${what} never arrived`);
}

async function synced(p) {
  await p.getByRole("button", { name: "Đồng bộ ngay" }).click();
  await p.getByTestId("sync-state").getByText("Đã đồng bộ").waitFor({ timeout: 20000 });
}

/** Reports one result on the officer's Report screen. */
async function report(p, { kind, criterion, title, amountLabel, amount }) {
  await go(p, "/report");
  await p.getByRole("button", { name: kind, exact: true }).click();
  const crit = p.getByLabel("Tiêu chí", { exact: true });
  if (criterion && (await crit.count()) > 0) await crit.selectOption({ label: criterion });
  await p.getByLabel("Tiêu đề", { exact: true }).fill(title);
  if (amountLabel) await p.getByLabel(amountLabel, { exact: true }).fill(amount);
  await p.getByRole("button", { name: "Lưu", exact: true }).click();
  await p.getByTestId("report-notice").getByText("Đã lưu trên máy").waitFor();
}

const chartText = (p) => p.getByTestId("score-chart").innerText();
const reviewRows = (p) => p.locator('[data-testid="review-list"] > .entry');
/** Each review row's first meta line: "kind · date · figure · unit". */
const reviewMetas = (p) => reviewRows(p).evaluateAll((rows) => rows.map((r) => r.querySelector(".meta").textContent));
/** The server's records as [id, body] pairs, read with a device's token. */
async function serverRecords(p) {
  const token = await p.evaluate(() => JSON.parse(localStorage.getItem("thidua.device")).token);
  const res = await fetch(`${server.url}/api/snapshot`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  const snapshot = await res.json();
  // Records are a JSON array, each carrying its id.
  return Object.values((snapshot.document ?? snapshot).records).map((r) => [r.id, r.heads[0].body]);
}

const ORIGINAL = "Phần mềm nhắc lịch bảo dưỡng máy xét nghiệm";
const CORRECTED = "Phần mềm nhắc bảo dưỡng máy xét nghiệm (có biên bản nghiệm thu)";

test("a head and two officers run a campaign to its printed summary", async () => {
  try {
    await campaign();
  } catch (err) {
    // Keep what each device showed when it failed.
    for (const [who, b] of [["head", head], ["officer", officer], ["officer2", officer2]]) {
      await (await page(b)).screenshot({ path: join(SHOTS, `head-failed-${who}.png`), fullPage: true }).catch(() => {});
    }
    throw err;
  }
});

async function campaign() {
  const [headLink, officerLink] = links;
  const h = await page(head);
  const o1 = await page(officer);
  const o2 = await page(officer2);
  await Promise.all([h.goto(headLink), o1.goto(officerLink)]);
  await Promise.all([joined(h), joined(o1)]);

  // --- Cluster: details, a new member unit, an invite for a second officer.
  await go(h, "/cluster");
  const name = h.getByLabel("Tên cụm");
  await h.waitForFunction(() => document.querySelector("#cluster-name")?.value.length > 0, null, { timeout: 20000 });
  assert.match(await name.inputValue(), /Cụm/);
  await h.getByLabel("Tên đơn vị").fill("Công đoàn Trường Cao đẳng Y tế Thanh Hóa");
  await h.locator("form", { has: h.getByLabel("Tên đơn vị") }).getByRole("button", { name: "Lưu" }).click();
  const units = h.getByTestId("units");
  await units.getByText("Công đoàn Trường Cao đẳng Y tế Thanh Hóa").waitFor();
  // A unit with results cannot be deleted; a new one can (a tombstone, after a confirm).
  assert.ok(await units.locator(".entry", { hasText: "MEDLATEC" }).getByRole("button", { name: "Xoá" }).isDisabled());
  await h.getByLabel("Tên đơn vị").fill("Đơn vị nhập nhầm");
  await h.locator("form", { has: h.getByLabel("Tên đơn vị") }).getByRole("button", { name: "Lưu" }).click();
  const wrong = units.locator(".entry", { hasText: "Đơn vị nhập nhầm" });
  h.once("dialog", (d) => d.accept());
  await wrong.getByRole("button", { name: "Xoá" }).click();
  await wrong.waitFor({ state: "detached" });
  // Without a network the invite says so instead of failing.
  await head.context.setOffline(true);
  await h.getByText("Việc này cần có mạng").first().waitFor();
  await head.context.setOffline(false);
  await h.getByLabel("Đơn vị", { exact: true }).selectOption({ label: "Công ty CP Cấp nước Thanh Hóa" });
  await h.getByRole("button", { name: "Tạo link mời" }).click();
  const invite = h.getByTestId("invite");
  await invite.waitFor();
  assert.equal(await invite.locator(".qr svg").count(), 1, "a QR code is drawn");
  const link2 = await h.getByTestId("invite-link").getAttribute("href");
  assert.match(link2, /\/join#/);
  await invite.scrollIntoViewIfNeeded();
  await h.screenshot({ path: join(SHOTS, "head-invite-vi.png") });
  await h.getByRole("button", { name: "Xem danh sách thiết bị" }).click();
  await h.getByTestId("devices").locator(".entry").first().waitFor();

  // The second officer opens the invite in a third browser.
  await o2.goto(link2);
  await joined(o2);
  const who2 = await o2.evaluate(() => JSON.parse(localStorage.getItem("thidua.device")).unit_id);
  assert.equal(who2, "cap-nuoc");

  // --- The second officer registers the unit's pledge targets (the demo has a pledge for
  // it already: the screen opens it, and saving changes it).
  await go(o2, "/pledge");
  await o2.waitForFunction(() => document.querySelector("#pledge-commitments")?.value.length > 0, null, { timeout: 20000 });
  const treesTarget = o2.getByLabel(/^Trồng cây xanh/);
  assert.notEqual(await treesTarget.inputValue(), "350", "the demo pledged another figure");
  await treesTarget.fill("350");
  await o2.getByRole("button", { name: "Lưu đăng ký" }).click();
  await o2.getByTestId("pledge-notice").getByText("Đã lưu trên máy").waitFor();

  // --- Officers report.
  await report(o1, {
    kind: "Sáng kiến, cải tiến kỹ thuật",
    criterion: "Sáng kiến, cải tiến kỹ thuật",
    title: "Phần mềm nhắc lịch bảo dưỡng máy xét nghiệm",
    amountLabel: "Giá trị (₫)",
    amount: "45000000",
  });
  await report(o2, {
    kind: "Trồng cây",
    criterion: "Trồng cây xanh",
    title: "Trồng 300 cây xanh quanh nhà máy nước Mật Sơn",
    amountLabel: "Số cây",
    amount: "300",
  });
  await Promise.all([synced(o1), synced(o2)]);

  // --- Review: return one with a reason, approve one, approve a selection.
  await go(h, "/review");
  await syncUntil(h, "Trồng 300 cây xanh quanh nhà máy nước Mật Sơn");
  await h.getByText("Phần mềm nhắc lịch bảo dưỡng máy xét nghiệm").waitFor();
  await h.screenshot({ path: join(SHOTS, "head-review-queue-vi.png"), fullPage: true });

  // Filters: by unit, by kind, then both; each shows only the matching rows. Expected
  // counts come from the unfiltered list, which must hold some of each and some others.
  const UNIT = "Công ty TNHH MEDLATEC Thanh Hóa";
  const KIND = "Sáng kiến, cải tiến kỹ thuật";
  const metas = await reviewMetas(h);
  const ofUnit = metas.filter((m) => m.includes(UNIT)).length;
  const ofKind = metas.filter((m) => m.includes(KIND)).length;
  const ofBoth = metas.filter((m) => m.includes(UNIT) && m.includes(KIND)).length;
  assert.ok(ofUnit > 0 && ofUnit < metas.length, `some rows, not all, are ${UNIT}'s: ${metas}`);
  assert.ok(ofKind > 0 && ofKind < metas.length, `some rows, not all, are ${KIND}: ${metas}`);
  assert.ok(ofBoth > 0 && ofBoth < ofUnit, `${UNIT} sent other kinds too: ${metas}`);
  const unitFilter = h.getByLabel("Đơn vị", { exact: true });
  const kindFilter = h.getByLabel("Loại kết quả", { exact: true });
  await unitFilter.selectOption({ label: UNIT });
  await waitCount(reviewRows(h), ofUnit);
  assert.ok((await reviewMetas(h)).every((m) => m.includes(UNIT)));
  await kindFilter.selectOption({ label: KIND });
  await waitCount(reviewRows(h), ofBoth);
  assert.ok((await reviewMetas(h)).every((m) => m.includes(UNIT) && m.includes(KIND)));
  await unitFilter.selectOption({ label: "Tất cả đơn vị" });
  await waitCount(reviewRows(h), ofKind);
  assert.ok((await reviewMetas(h)).every((m) => m.includes(KIND)));
  await kindFilter.selectOption({ label: "Tất cả các loại" });
  await waitCount(reviewRows(h), metas.length);
  const returned = h.locator(".entry", { hasText: "Phần mềm nhắc lịch bảo dưỡng" });
  await returned.getByRole("button", { name: "Trả lại", exact: true }).click();
  await returned.getByRole("button", { name: "Gửi trả lại" }).click();
  await returned.getByText("Không được để trống").waitFor(); // a reason is required
  await returned.getByLabel("Lý do trả lại").fill("Thiếu biên bản nghiệm thu và số liệu tiết kiệm.");
  await returned.getByRole("button", { name: "Gửi trả lại" }).click();
  await returned.waitFor({ state: "detached" });
  const trees = h.locator(".entry", { hasText: "Trồng 300 cây xanh" });
  await trees.getByRole("button", { name: "Duyệt", exact: true }).click();
  await trees.waitFor({ state: "detached" });
  // Select all, keep one MEDLATEC initiative back for after the review session.
  await h.getByLabel("Chọn tất cả").check();
  await h.locator(".entry", { hasText: "Số hoá quy trình trả kết quả xét nghiệm" }).getByRole("checkbox").uncheck();
  await h.getByRole("button", { name: /^Duyệt các mục đã chọn/ }).click();
  assert.equal(await h.locator('[data-testid="review-list"] .entry').count(), 1);
  await h.getByLabel("Trạng thái").selectOption({ label: "Bị trả lại" });
  await returned.getByText("Thiếu biên bản nghiệm thu").waitFor();
  await h.getByLabel("Trạng thái").selectOption({ label: "Đã gửi" });
  await synced(h);

  // The officer sees the reason.
  await go(o1, "/entries");
  await syncUntil(o1, "Thiếu biên bản nghiệm thu và số liệu tiết kiệm.");
  const onOfficer = o1.locator(".entry", { hasText: "Phần mềm nhắc lịch bảo dưỡng" });
  assert.match(await onOfficer.textContent(), /Bị trả lại/);
  await o1.screenshot({ path: join(SHOTS, "head-officer-returned-vi.png"), fullPage: true });

  // --- The officer corrects it and sends it again; the form starts from the returned entry.
  await onOfficer.getByRole("button", { name: "Sửa và gửi lại" }).click();
  await o1.getByText("Bạn đang sửa một kết quả bị trả lại").waitFor();
  assert.equal(await o1.getByLabel("Tiêu đề", { exact: true }).inputValue(), ORIGINAL);
  assert.equal(await o1.getByLabel("Giá trị (₫)", { exact: true }).inputValue(), "45.000.000");
  await o1.getByLabel("Tiêu đề", { exact: true }).fill(CORRECTED);
  await o1.getByLabel("Giá trị (₫)", { exact: true }).fill("38000000");
  await o1.getByLabel("Mô tả", { exact: true }).fill("Kèm biên bản nghiệm thu; tiết kiệm 38 triệu đồng mỗi năm.");
  await o1.screenshot({ path: join(SHOTS, "head-officer-correct-vi.png"), fullPage: true });
  await o1.getByRole("button", { name: "Lưu", exact: true }).click();
  await o1.waitForURL(/\/entries$/); // saving a correction goes back to My entries
  await o1.locator(".entry", { hasText: CORRECTED }).waitFor();
  await synced(o1);

  // The head's queue shows the correction waiting, and what it corrects; the head approves it.
  await go(h, "/review");
  const fixed = h.locator(".entry", { hasText: CORRECTED });
  await syncUntil(h, fixed);
  assert.equal(await fixed.getByTestId("status").textContent(), "Đã gửi");
  assert.match(await fixed.textContent(), /38\.000\.000/);
  assert.match(await fixed.getByTestId("corrects").textContent(), new RegExp(ORIGINAL));
  await fixed.getByRole("button", { name: "Duyệt", exact: true }).click();
  await fixed.waitFor({ state: "detached" });
  await synced(h);

  // The officer sees the correction approved, with the returned original and the head's
  // reason as its story (one item): nothing is left to correct.
  const fixedOnOfficer = o1.locator(".entry", { hasText: CORRECTED });
  await syncUntil(o1, fixedOnOfficer.locator('[data-testid="status"]', { hasText: /^Đã duyệt$/ }));
  const story = fixedOnOfficer.getByTestId("story");
  assert.match(await story.textContent(), new RegExp(ORIGINAL));
  assert.match(await story.textContent(), /Thiếu biên bản nghiệm thu/);
  assert.equal(await o1.locator(".entry").filter({ has: o1.getByText(ORIGINAL, { exact: true }) }).count(), 1);
  assert.equal(await o1.getByRole("button", { name: "Sửa và gửi lại" }).count(), 0);
  assert.equal(await o1.locator(".entry .badge.returned").count(), 0, "nothing left to correct");
  // A phone-size view from the top of the list (a full-page shot draws the fixed
  // bottom navigation over the middle of the list).
  await o1.getByTestId("entries").evaluate((list) => list.scrollIntoView({ block: "start" }));
  await o1.screenshot({ path: join(SHOTS, "head-officer-corrected-vi.png") });

  // On the server: one correction, pointing at the original's id.
  const entries = (await serverRecords(h)).filter(([, b]) => b?.type === "entry");
  const originals = entries.filter(([, b]) => b.title === ORIGINAL);
  assert.equal(originals.length, 1);
  const corrections = entries.filter(([, b]) => b.corrects != null);
  assert.equal(corrections.length, 1, "exactly one corrected entry");
  assert.equal(corrections[0][1].corrects, originals[0][0]);
  assert.equal(corrections[0][1].title, CORRECTED);
  assert.equal(corrections[0][1].details.value_vnd, 38000000);

  // --- Scoreboard and a 6-month review session that stays frozen.
  await go(h, "/scoreboard");
  await h.getByTestId("score-chart").waitFor();
  // The second officer's pledge reached the head: Cấp nước's target for trees is the new one.
  const capNuocTrees = h.locator(".unit-score", { hasText: "Công ty CP Cấp nước Thanh Hóa" }).locator("li", { hasText: "Trồng cây xanh" });
  assert.match(await capNuocTrees.textContent(), /Đăng ký 350 · Đã duyệt 300 cây/);
  await h.getByText("Cách tính điểm").click();
  await h.getByText(/tỷ lệ vượt chỉ tiêu được tính tối đa 120%/).waitFor();
  await h.getByRole("button", { name: "Chốt điểm" }).click();
  await h.getByTestId("frozen").getByText(/Sơ kết 6 tháng/).waitFor();
  const frozen = await chartText(h);
  await go(h, "/review");
  const last = h.locator(".entry", { hasText: "Số hoá quy trình trả kết quả xét nghiệm" });
  await last.getByRole("button", { name: "Duyệt", exact: true }).click();
  await last.waitFor({ state: "detached" });
  await go(h, "/scoreboard");
  await h.getByTestId("score-chart").waitFor();
  assert.notEqual(await chartText(h), frozen, "live scores moved with the new approval");
  await h.getByRole("button", { name: /^Sơ kết 6 tháng/ }).click();
  await h.getByTestId("frozen").getByText(/Sơ kết 6 tháng/).waitFor();
  assert.equal(await chartText(h), frozen, "the session keeps what was frozen");
  await h.getByRole("button", { name: "Hiện tại" }).click();

  // Officers read the scoreboard too.
  await go(o2, "/scoreboard");
  await syncUntil(o2, "Công ty CP Cấp nước Thanh Hóa");
  assert.equal(await o2.getByRole("button", { name: "Chốt điểm" }).count(), 0, "officers cannot freeze");

  // --- Award proposals with votes.
  await go(h, "/awards");
  await h.getByRole("button", { name: "Đề nghị khen thưởng mới" }).click();
  await h.getByLabel("Hình thức khen thưởng").selectOption({ label: "Cờ thi đua" });
  await h.getByLabel("Đơn vị", { exact: true }).selectOption({ label: "Công đoàn Công ty TNHH MTV Lam Sơn - Thanh Hóa" });
  await h.getByLabel("Thành tích, lý do đề nghị").fill("Dẫn đầu cụm về sáng kiến và an toàn, vệ sinh lao động.");
  await h.getByLabel("Cải tiến hệ thống băm mía dây chuyền 2").check();
  await h.getByLabel("Tán thành", { exact: true }).fill("6");
  await h.getByLabel("Không tán thành", { exact: true }).fill("0");
  await h.getByLabel("Không biểu quyết", { exact: true }).fill("1");
  assert.match(await h.getByTestId("vote-result").textContent(), /thông qua/);
  await h.screenshot({ path: join(SHOTS, "head-award-form-vi.png"), fullPage: true });
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  await h.getByTestId("awards").getByText("Cờ thi đua: Công đoàn Công ty TNHH MTV Lam Sơn - Thanh Hóa").waitFor();

  await h.getByRole("button", { name: "Đề nghị khen thưởng mới" }).click();
  await h.getByLabel("Hình thức khen thưởng").selectOption({ label: "Chiến sĩ thi đua" });
  await h.getByLabel("Đề nghị cho").selectOption({ label: "Cá nhân" });
  await h.getByLabel("Đơn vị", { exact: true }).selectOption({ label: "Công ty TNHH MTV Thủy lợi Bắc Sông Mã" });
  await h.getByLabel("Họ và tên").fill("Lê Văn Hùng");
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  await h.getByText("Không được để trống").first().waitFor(); // the reason is required; nothing typed is lost
  assert.equal(await h.getByLabel("Họ và tên").inputValue(), "Lê Văn Hùng");
  await h.getByLabel("Thành tích, lý do đề nghị").fill("Cứu hộ đê kịp thời.");
  await h.getByLabel("Tán thành", { exact: true }).fill("2");
  await h.getByLabel("Không tán thành", { exact: true }).fill("4");
  await h.getByLabel("Không biểu quyết", { exact: true }).fill("1");
  assert.match(await h.getByTestId("vote-result").textContent(), /không thông qua/);
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  await h.getByTestId("awards").getByText("Chiến sĩ thi đua: Lê Văn Hùng").waitFor();

  // --- Campaigns: a new one from a template, with an inline error first.
  await go(h, "/campaigns");
  await h.getByLabel("Bắt đầu từ mẫu").selectOption({ index: 1 });
  await h.getByRole("button", { name: "Tạo phong trào mới" }).click();
  await h.getByLabel("Nhân dịp").fill("Kỷ niệm 80 năm Cách mạng Tháng Tám");
  await h.getByLabel("Ngày kết thúc").fill("31/02/2025");
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  await h.getByText("Ngày viết theo dạng ngày/tháng/năm").waitFor();
  assert.equal(await h.getByLabel("Nhân dịp").inputValue(), "Kỷ niệm 80 năm Cách mạng Tháng Tám");
  await h.getByLabel("Ngày kết thúc").fill("31/12/2030");
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  await h.getByTestId("head-notice").getByText("Đã lưu trên máy").waitFor();
  await h.screenshot({ path: join(SHOTS, "head-campaign-edit-vi.png"), fullPage: true });
  await h.getByRole("button", { name: "Quay lại danh sách" }).click();
  assert.equal(await h.getByTestId("campaigns").locator(".entry").count(), 2);

  // --- Summary: totals in the reports' words, CSV offline, print on A4.
  await go(h, "/summary");
  const line = h.getByTestId("summary-line");
  await line.waitFor();
  if ((await h.getByLabel("Phong trào").count()) > 0) {
    const demoTitle = await h.locator("#head-campaign option").nth(1).textContent();
    await h.getByLabel("Phong trào").selectOption({ label: demoTitle });
  }
  await line.getByText(/sáng kiến/).waitFor();
  assert.match(await line.textContent(), /cây xanh|cây/);
  const summary = h.getByTestId("summary");
  assert.match(await summary.textContent(), /Lê Văn Hùng/, "advanced examples are listed");
  assert.match(await summary.textContent(), /Cờ thi đua/, "award proposals are listed");
  await head.context.setOffline(true);
  const [csv] = await Promise.all([
    h.waitForEvent("download"),
    h.getByRole("button", { name: "Tải CSV tổng hợp" }).click(),
  ]);
  const csvText = readFileSync(await csv.path(), "utf8");
  assert.match(csvText, /Công ty CP Cấp nước Thanh Hóa/);
  await h.getByRole("button", { name: "Tải Excel (XLSX)" }).click();
  await h.getByRole("alert").getByText("Đang ngoại tuyến: tải Excel cần có mạng").waitFor();
  await head.context.setOffline(false);
  // Online, the server makes the workbook.
  const [file] = await Promise.all([
    h.waitForEvent("download"),
    h.getByRole("button", { name: "Tải Excel (XLSX)" }).click(),
  ]);
  const bytes = readFileSync(await file.path());
  assert.equal(bytes.subarray(0, 2).toString(), "PK", "an XLSX is a zip file");
  await h.screenshot({ path: join(SHOTS, "head-summary-vi.png"), fullPage: true });
  const summaryLine = (await line.textContent()).trim();
  const unitNames = await summary.locator("tbody tr td:nth-child(2)").allTextContents();
  await checkPrintedSummary(h, summaryLine, unitNames);

  // --- Devices: the head revokes the second officer's phone.
  await go(h, "/cluster");
  await h.getByRole("button", { name: "Xem danh sách thiết bị" }).click();
  const phone2 = h.getByTestId("devices").locator(".entry", { hasText: "Công ty CP Cấp nước Thanh Hóa" });
  await phone2.getByRole("button", { name: "Thu hồi thiết bị" }).click();
  await phone2.getByRole("button", { name: "Xác nhận thu hồi" }).click();
  await phone2.getByText("Đã thu hồi").waitFor();
  // The revoked phone is told so in plain words, and keeps what it holds.
  await o2.getByRole("button", { name: "Đồng bộ ngay" }).click();
  await o2.getByTestId("sync-state").getByText(/không còn quyền đồng bộ/).waitFor();
  await h.getByTestId("devices").scrollIntoViewIfNeeded();
  await h.screenshot({ path: join(SHOTS, "head-devices-vi.png") });

  // --- Every screen at 360×740, Vietnamese then English.
  const screens = ["cluster", "campaigns", "review", "scoreboard", "awards", "summary"];
  for (const lang of ["vi", "en"]) {
    for (const s of screens) {
      await go(h, `/${s}`);
      await h.locator("section.card h2").first().waitFor();
      await h.waitForTimeout(200);
      await h.screenshot({ path: join(SHOTS, `head-${s}-${lang}.png`) });
      await h.screenshot({ path: join(SHOTS, `head-${s}-${lang}-full.png`), fullPage: true });
    }
    if (lang === "vi") await h.getByRole("button", { name: "English" }).click();
  }
  await h.getByRole("button", { name: "Tiếng Việt" }).click();
}

/** Polls until the locator matches n elements, then asserts it. */
async function waitCount(locator, n, timeout = 5000) {
  const end = Date.now() + timeout;
  while ((await locator.count()) !== n && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await locator.count(), n);
}

/** Prints the summary on A4 and reads the paper back with poppler: a few pages, drawn as
 * PNGs to look at, holding the cluster's name, the totals sentence and every unit. */
async function checkPrintedSummary(h, summaryLine, unitNames) {
  const pdf = join(SHOTS, "summary.pdf");
  await h.pdf({ path: pdf, format: "A4", printBackground: true });
  assert.ok(existsSync(pdf));
  const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  assert.ok(pages >= 1 && pages <= 4, `the summary fits on a few A4 pages, not ${pages}`);
  assert.match(info, /^Page size:.*\(A4\)/m);
  // Page 1 (and 2) as images; a missing or failing pdftoppm fails the test.
  for (const old of readdirSync(SHOTS).filter((f) => /^summary-page-\d+\.png$/.test(f))) rmSync(join(SHOTS, old));
  execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", String(Math.min(pages, 2)), pdf, join(SHOTS, "summary-page")]);
  const images = readdirSync(SHOTS).filter((f) => /^summary-page-\d+\.png$/.test(f));
  assert.equal(images.length, Math.min(pages, 2), `page images: ${images}`);
  // The text on paper, whitespace flattened (lines wrap at other places than on screen).
  const flat = (t) => t.replace(/\s+/g, " ").trim();
  const text = flat(execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"], { encoding: "utf8" }));
  assert.ok(text.includes("Cụm thi đua số 18 tỉnh Thanh Hóa"), "the cluster's name is printed");
  assert.ok(text.includes(flat(summaryLine)), `the totals sentence is printed: ${summaryLine}`);
  assert.ok(unitNames.length >= 7, `units in the table: ${unitNames}`);
  for (const u of unitNames) assert.ok(text.includes(flat(u)), `${u} is printed`);
}

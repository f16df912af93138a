// The federation board (issue 15), three browsers: the board (the demo's board link) forms a
// cluster of four units and hands the head's link over; the head joins, sets a campaign with a
// reporting deadline and invites an officer; the officer sees the days left and reports; the
// board's dashboard shows the result and the completeness; the head sends a proposal up; the
// board returns it with a reason; the head reads the reason, amends and sends it again; the
// board accepts it with a decision number; the unit's award history shows it. Then the history
// of an entry edited and reviewed: three steps with their authors, in both languages.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";
import { SHOTS, firstPage as page, launchBrowser, shot, startDemo } from "./harness.mjs";

let demo, server, board, head, officer, links;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo("thidua-board-", 3);
  ({ server, links } = demo);
  [board, head, officer] = demo.browsers;
});

after(async () => {
  await demo?.close();
});

const go = (p, path) => p.goto(server.url + path);
const joined = (p) => p.waitForFunction(() => localStorage.getItem("thidua.device") != null, null, { timeout: 20000 });
const ddmmyyyy = (d) =>
  `${String(d.getDate()).padStart(2, "0")}/${String(d.getMonth() + 1).padStart(2, "0")}/${d.getFullYear()}`;

/** Syncs until the locator shows up (the other device may still be pushing). */
async function syncUntil(p, target, tries = 12) {
  for (let i = 0; i < tries; i++) {
    await p.getByRole("button", { name: /^(Đồng bộ ngay|Sync now)$/ }).click();
    try {
      await target.waitFor({ timeout: 3000 });
      return;
    } catch {
      // not there yet
    }
  }
  throw new Error(`${target} never arrived`);
}

async function synced(p) {
  await p.getByRole("button", { name: "Đồng bộ ngay" }).click();
  await p.getByTestId("sync-state").getByText("Đã đồng bộ").waitFor({ timeout: 20000 });
}

/** Fetches the board's dashboard until the locator shows up. */
async function refreshUntil(p, target, tries = 10) {
  for (let i = 0; i < tries; i++) {
    await p.getByTestId("refresh").first().click();
    try {
      await target.waitFor({ timeout: 3000 });
      return;
    } catch {
      // not computed yet
    }
  }
  throw new Error(`${target} never showed on the dashboard`);
}

const CLUSTER = "Cụm thi đua số 9 thử nghiệm";
const UNITS = [
  "Công đoàn Công ty Cổ phần Thử nghiệm A",
  "Công đoàn Công ty TNHH Thử nghiệm B",
  "Công đoàn Bệnh viện Thử nghiệm C",
  "Công đoàn Trường Thử nghiệm D",
];
const ENTRY = "Trồng 120 cây xanh ở khu tập thể";

test("a board forms a cluster, follows its reporting and decides on its proposal", async () => {
  const [, , boardLink] = links;
  const b = await page(board);
  const h = await page(head);
  const o = await page(officer);

  // --- The board joins and forms a cluster with four units.
  await b.goto(boardLink);
  await joined(b);
  await go(b, "/board/clusters");
  await b.getByLabel("Tên cụm").fill(CLUSTER);
  await b.getByLabel("Số quyết định").fill("25/QĐ-LĐLĐ");
  await b.getByLabel("Ngày quyết định").fill("10/01/2025");
  await b.getByLabel("Cơ quan ban hành").fill("Liên đoàn Lao động tỉnh Thanh Hóa");
  await b.getByLabel(/^Đơn vị thành viên/).fill(UNITS.join("\n"));
  await b.getByLabel("Trưởng cụm năm nay").selectOption({ label: UNITS[0] });
  await b.getByLabel("Phó cụm năm nay").selectOption({ label: UNITS[1] });
  await b.getByTestId("create-cluster").click();
  const invite = b.getByTestId("new-cluster").getByTestId("invite");
  await invite.waitFor({ timeout: 20000 });
  assert.equal(await invite.locator(".qr svg").count(), 1, "a QR code to hand over");
  const headLink = await invite.getByTestId("invite-link").getAttribute("href");
  assert.match(headLink, /\/join#/);
  await b.getByTestId("board-clusters").getByText(CLUSTER).waitFor();
  await shot(b, "board-cluster-made-vi");

  // --- The head joins, sets a campaign with a deadline in 3 days, invites an officer.
  await h.goto(headLink);
  await joined(h);
  await go(h, "/campaigns");
  await h.getByLabel("Bắt đầu từ mẫu").selectOption({ index: 1 });
  await h.getByRole("button", { name: "Tạo phong trào mới" }).click();
  await h.getByTestId("add-deadline").click();
  const due = new Date();
  due.setDate(due.getDate() + 3);
  await h.getByLabel("Tên hạn báo cáo").fill("Báo cáo 6 tháng");
  await h.getByLabel(/^Hạn nộp/).fill(ddmmyyyy(due));
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  await h.getByTestId("head-notice").getByText("Đã lưu").waitFor();
  await go(h, "/cluster");
  await h.getByLabel("Đơn vị", { exact: true }).selectOption({ label: UNITS[1] });
  await h.getByRole("button", { name: "Tạo link mời" }).click();
  const officerLink = await h.getByTestId("invite-link").getAttribute("href");
  await synced(h);

  // --- The officer joins, reads the days left, reports.
  await o.goto(officerLink);
  await joined(o);
  await go(o, "/");
  const line = o.getByTestId("deadline-line");
  await syncUntil(o, line);
  assert.equal((await line.textContent()).trim(), "Còn 3 ngày đến hạn báo cáo 6 tháng");
  await shot(o, "board-officer-deadline-vi");
  await go(o, "/report");
  await o.getByRole("button", { name: "Trồng cây", exact: true }).click();
  const crit = o.getByLabel("Tiêu chí", { exact: true });
  if ((await crit.count()) > 0) await crit.selectOption({ index: 1 }).catch(() => {});
  await o.getByLabel("Tiêu đề", { exact: true }).fill(ENTRY);
  await o.getByLabel("Số cây", { exact: true }).fill("120");
  await o.getByRole("button", { name: "Lưu", exact: true }).click();
  await o.getByTestId("report-notice").getByText("Đã lưu trên máy").waitFor();
  await synced(o);

  // --- The head sees the completeness and reminds the others.
  await go(h, "/reporting");
  await syncUntil(h, h.getByTestId("reporting-rate").getByText("1/4 đơn vị đã báo cáo (25%), 1 đúng hạn"));
  await board.context.grantPermissions(["clipboard-read", "clipboard-write"]).catch(() => {});
  await head.context.grantPermissions(["clipboard-read", "clipboard-write"]).catch(() => {});
  await h.getByTestId("remind").click();
  await h.getByTestId("reminders").getByText(UNITS[0]).waitFor();
  await shot(h, "board-head-reporting-vi");

  // --- The board's dashboard shows the result and the completeness.
  await go(b, "/board");
  const card = b.getByTestId("board-cluster").filter({ hasText: CLUSTER });
  await refreshUntil(b, card.getByTestId("cluster-rate").getByText(/1\/4 đơn vị đã báo cáo \(25%\)/));
  assert.equal((await card.getByTestId("cluster-reported").textContent()).trim(), "1");
  await b.getByTestId("data-age").getByText(/Số liệu lúc \d\d:\d\d, vừa xong/).waitFor();
  await shot(b, "board-dashboard-vi");
  // Nothing on the dashboard is wider than the phone's screen.
  // (A phone's layout viewport grows to fit wide content, so compare with the screen's 360 px.)
  const overflow = await b.evaluate(() => document.documentElement.scrollWidth - screen.width);
  assert.ok(overflow <= 0, `the dashboard is ${overflow} px wider than the screen`);
  await b.setViewportSize({ width: 1280, height: 900 });
  await shot(b, "board-dashboard-pc-vi");
  await b.setViewportSize({ width: 360, height: 740 });

  // --- The head approves the result, votes a proposal and sends it up.
  await go(h, "/review");
  const row = h.locator(".entry", { hasText: ENTRY });
  await syncUntil(h, row);
  await row.getByRole("button", { name: "Duyệt", exact: true }).click();
  await go(h, "/awards");
  await h.getByRole("button", { name: "Đề nghị khen thưởng mới" }).click();
  await h.getByLabel("Hình thức khen thưởng").selectOption({ label: "Giấy khen" });
  await h.getByLabel("Đơn vị", { exact: true }).selectOption({ label: UNITS[1] });
  await h.getByLabel("Thành tích, lý do đề nghị").fill("Dẫn đầu cụm về trồng cây xanh.");
  await h.getByLabel("Tán thành", { exact: true }).fill("4");
  await h.getByLabel("Không tán thành", { exact: true }).fill("0");
  await h.getByLabel("Không biểu quyết", { exact: true }).fill("0");
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  const award = h.getByTestId("award").first();
  h.once("dialog", (d) => d.accept());
  await award.getByTestId("send-up").click();
  await award.getByTestId("proposal-state").getByText(/^Đã gửi lên ngày/).waitFor();
  await synced(h);

  // --- The board returns it with a reason.
  await go(b, "/board/awards");
  const waiting = b.getByTestId("waiting-proposal").filter({ hasText: UNITS[1] });
  await refreshUntil(b, waiting);
  await waiting.getByLabel("Lý do trả lại").fill("Thiếu biên bản họp bình xét.");
  await waiting.getByTestId("return-proposal").click();
  await waiting.getByTestId("decided").waitFor({ timeout: 20000 }).catch(async () => {
    // The list refreshes after the decision: the row may be gone already.
  });
  await shot(b, "board-proposal-returned-vi");

  // --- The head reads the reason, amends and sends it again.
  await go(h, "/awards");
  await syncUntil(h, h.getByTestId("proposal-state").getByText("Bị trả lại: Thiếu biên bản họp bình xét."));
  await shot(h, "board-head-returned-vi");
  await h.getByTestId("amend-resend").click();
  await h.getByLabel("Thành tích, lý do đề nghị").fill("Dẫn đầu cụm về trồng cây xanh; kèm biên bản họp bình xét.");
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  await h.getByTestId("proposal-state").getByText(/^Đã gửi lên ngày/).waitFor();
  await synced(h);

  // --- The board accepts it with a decision number.
  await go(b, "/board/awards");
  const again = b.getByTestId("waiting-proposal").filter({ hasText: "kèm biên bản" });
  await refreshUntil(b, again);
  await again.getByLabel("Số quyết định").fill("31/QĐ-LĐLĐ");
  await again.getByTestId("accept-proposal").click();
  // Decided, it leaves the list (the demo's own proposal from Cluster No. 18 still waits).
  await again.waitFor({ state: "detached", timeout: 20000 });

  // --- The cluster sees it awarded, in the proposal and in the unit's award history.
  await go(h, "/awards");
  await syncUntil(h, h.getByTestId("proposal-state").getByText(/^Đã khen thưởng: Quyết định số 31\/QĐ-LĐLĐ ngày/));
  assert.ok((await h.getByTestId("proposal-steps").locator("li").count()) >= 4, "sent, returned, sent, accepted");
  await h.getByLabel("Đơn vị được khen thưởng", { exact: true }).selectOption({ label: UNITS[1] });
  await h.getByTestId("unit-award").getByText(/Giấy khen/).waitFor();
  await shot(h, "board-head-awarded-vi");
  await b.getByLabel("Tên đơn vị").fill("thu nghiem b");
  await b.getByTestId("search-awards").click();
  await b.getByTestId("award-found").getByText(/31\/QĐ-LĐLĐ/).waitFor();
  await shot(b, "board-award-history-vi");
});

test("an entry edited and reviewed shows its steps with their authors, in both languages", async () => {
  const h = await page(head);
  const o = await page(officer);
  // The officer reports, the server gets it, the officer fixes its title (a second version the
  // server gets too), and the head approves it.
  await go(o, "/report");
  await o.getByRole("button", { name: "Trồng cây", exact: true }).click();
  await o.getByLabel("Tiêu đề", { exact: true }).fill("Trồng cây ở sân trường");
  await o.getByLabel("Số cây", { exact: true }).fill("40");
  await o.getByRole("button", { name: "Lưu", exact: true }).click();
  await o.getByTestId("report-notice").getByText("Đã lưu trên máy").waitFor();
  await synced(o);
  await go(o, "/entries");
  const second = o.locator(".entry", { hasText: "Trồng cây ở sân trường" });
  await second.getByTestId("fix-entry").click();
  await o.getByLabel("Tiêu đề", { exact: true }).fill("Trồng 40 cây ở sân trường");
  await o.getByRole("button", { name: "Lưu", exact: true }).click();
  await synced(o);
  await go(h, "/review");
  const row = h.locator(".entry", { hasText: "Trồng 40 cây ở sân trường" });
  await syncUntil(h, row);
  await row.getByRole("button", { name: "Duyệt", exact: true }).click();
  await synced(h);
  await go(h, "/review");
  await h.getByLabel("Trạng thái").selectOption({ label: "Đã duyệt" }).catch(() => {});
  await h.locator(".entry", { hasText: "Trồng 40 cây ở sân trường" }).getByTestId("history-link").click();
  const steps = h.getByTestId("history-step");
  await steps.nth(2).waitFor({ timeout: 20000 });
  assert.equal(await steps.count(), 3, "created, changed, reviewed");
  const texts = await steps.allTextContents();
  assert.match(texts[0], /Tạo mới/);
  assert.match(texts[1], /Tiêu đề: Trồng cây ở sân trường → Trồng 40 cây ở sân trường/);
  assert.match(texts[2], /Duyệt/);
  assert.match(texts[0], new RegExp(UNITS[1]), "the officer's unit wrote it");
  assert.match(texts[2], new RegExp(UNITS[0]), "the head's unit reviewed it");
  await shot(h, "board-history-vi");
  await h.getByRole("button", { name: /^EN/ }).click();
  await h.getByTestId("history-step").first().getByText(/Created/).waitFor();
  const en = await h.getByTestId("history-step").allTextContents();
  assert.match(en[1], /Title: Trồng cây ở sân trường → Trồng 40 cây ở sân trường/);
  assert.match(en[2], /Approved/);
  await shot(h, "board-history-en");
  await h.getByRole("button", { name: /^VI/ }).click();
});

test("a removed board member stays out, and a unit moves to another cluster with a new link", async () => {
  const b = await page(board);
  const o = await page(officer);
  // --- The head's phone is lost: the board hands the head unit a new link, from the list.
  await go(b, "/board/clusters");
  const row = b.getByTestId("cluster-row").filter({ hasText: CLUSTER });
  await row.getByText(`Trưởng cụm năm nay: ${UNITS[0]}`).waitFor();
  await row.getByTestId("head-link").click();
  await row.getByTestId("invite").waitFor({ timeout: 20000 });
  assert.match(await row.getByTestId("invite").locator(".meta").textContent(), new RegExp(`${UNITS[0]} · Trưởng cụm`));

  // --- A second board member joins with a link the board made in the app.
  await b.getByTestId("make-board-invite").click();
  const memberLink = await b.getByTestId("board-invite").getByTestId("invite-link").getAttribute("href");
  const second = await launchBrowser("Phạm Thu Hà");
  try {
    const s = await page(second);
    await s.goto(memberLink);
    await joined(s);
    await go(s, "/board");
    await s.getByTestId("data-age").getByText(/Số liệu lúc/).waitFor({ timeout: 20000 });

    // --- The board lists its links and devices and removes the second one, link and all.
    const members = b.getByTestId("board-members");
    const theirs = members.getByTestId("device").filter({ has: b.getByRole("button", { name: "Thu hồi thiết bị" }) });
    for (let i = 0; i < 10 && (await theirs.count()) === 0; i++) {
      await members.getByRole("button", { name: "Xem danh sách thiết bị" }).click();
      await theirs.first().waitFor({ timeout: 3000 }).catch(() => {});
    }
    assert.equal(await theirs.count(), 1, "one other board device");
    assert.match(await members.getByTestId("link").first().textContent(), /đã dùng 1/);
    await theirs.getByRole("button", { name: "Thu hồi thiết bị" }).click();
    assert.equal(await b.getByTestId("also-withdraw").isChecked(), true, "its link goes too, by default");
    await b.getByRole("button", { name: "Xác nhận thu hồi" }).click();
    await b.getByText("Đã thu hồi thiết bị và liên kết mời nó đã dùng.").waitFor({ timeout: 20000 });
    await members.getByTestId("device").getByText("Đã thu hồi").waitFor();
    await shot(b, "board-members-vi");

    // --- The removed member's next fetch is refused and says why; the link joins no one.
    await s.getByTestId("refresh").click();
    await s.getByTestId("board-error").getByText(/Máy này không còn trong Ban thi đua/).waitFor({ timeout: 20000 });
    await s.getByTestId("board").waitFor();
    await shot(s, "board-removed-vi");
  } finally {
    await second.close();
  }

  // --- The board moves the officer's unit to the demo's Nghi Sơn cluster, picking names.
  const move = b.getByTestId("move-unit");
  await move.getByLabel("Từ cụm").selectOption({ label: CLUSTER });
  await move.getByLabel(/^Đơn vị/).selectOption({ label: UNITS[1] });
  await move.getByLabel("Sang cụm").selectOption({ label: "Cụm thi đua số 3 – Công đoàn Khu kinh tế Nghi Sơn và các KCN tỉnh Thanh Hóa" });
  await move.getByRole("button", { name: "Chuyển" }).click();
  await move.getByTestId("moved").getByText(/1 máy ở cụm cũ đã thôi đồng bộ/).waitFor({ timeout: 20000 });
  assert.match(await move.getByTestId("invite-link").getAttribute("href"), /\/join#/);
  // The form starts over: nothing is picked, and once the list is fetched again the moved
  // unit is no longer offered.
  assert.equal(await move.getByLabel(/^Đơn vị/).inputValue(), "");
  await move.getByLabel(/^Đơn vị/).locator("option", { hasText: UNITS[1] }).waitFor({ state: "detached", timeout: 20000 });
  assert.equal(await move.getByLabel(/^Đơn vị/).inputValue(), "");
  await shot(b, "board-unit-moved-vi");
  // The officer's phone in the old cluster is told it may no longer sync.
  await go(o, "/");
  await o.getByRole("button", { name: "Đồng bộ ngay" }).click();
  await o.getByTestId("sync-state").getByText(/không còn quyền đồng bộ/).waitFor({ timeout: 20000 });
});

test("archiving a cluster asks first, then makes it read only and takes it off the overview", async () => {
  const b = await page(board);
  await go(b, "/board/clusters");
  const row = b.getByTestId("cluster-row").filter({ hasText: CLUSTER });
  await row.getByTestId("head-link").waitFor();
  // Dismissed: nothing is sent, nothing changes.
  const sent = [];
  const watch = (r) => r.url().includes("/archive") && sent.push(r.url());
  b.on("request", watch);
  let asked = null;
  b.once("dialog", (d) => {
    asked = d.message();
    d.dismiss();
  });
  await row.getByRole("button", { name: "Lưu trữ", exact: true }).click();
  assert.match(asked ?? "", /^Lưu trữ cụm này\?/, "it asks first");
  assert.equal(await row.getByTestId("head-link").count(), 1, "still running");
  b.off("request", watch);
  assert.deepEqual(sent, []);
  // Confirmed: archived, it offers to reopen and leaves the overview.
  b.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Lưu trữ", exact: true }).click();
  await row.getByRole("button", { name: "Hoạt động lại" }).waitFor({ timeout: 20000 });
  await go(b, "/board");
  await refreshUntil(b, b.getByTestId("province").getByText(/^Toàn tỉnh: 3 cụm/));
  assert.equal(await b.getByTestId("board-cluster").filter({ hasText: CLUSTER }).count(), 0);
});

// A whole campaign through the cluster head's screens, with three devices:
// the head (Lam Sơn), the demo's officer (MEDLATEC) and a second officer
// (Cấp nước) whom the head invites from the Cluster screen. Officers report,
// the head returns one entry with a reason (the officer sees it), approves
// the rest, freezes a 6-month review, votes on awards and prints the summary.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { E2E_DIR, SERVER_BIN, SHOTS, freePort, launchBrowser, startServer, tempDir } from "./harness.mjs";

let data, port, server, head, officer, officer2, links;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  data = tempDir("thidua-head-");
  port = await freePort();
  const out = execFileSync(SERVER_BIN, ["demo"], {
    env: { ...process.env, THIDUA_DATA_DIR: data.dir, THIDUA_PORT: String(port), THIDUA_BIND: "127.0.0.1" },
    encoding: "utf8",
  });
  links = [...out.matchAll(/http:\/\/\S+\/join#\S+/g)].map((m) => m[0]);
  assert.equal(links.length, 2, `demo printed a head and an officer link:\n${out}`);
  server = await startServer({ staticDir: join(E2E_DIR, "v1"), dataDir: data.dir, port });
  [head, officer, officer2] = await Promise.all([launchBrowser(), launchBrowser(), launchBrowser()]);
});

after(async () => {
  await Promise.all([head?.close(), officer?.close(), officer2?.close()]);
  await server?.stop();
  data?.remove();
});

const page = async (b) => b.context.pages()[0] ?? (await b.context.newPage());
const go = (p, path) => p.goto(server.url + path);
const joined = (p) => p.waitForFunction(() => localStorage.getItem("thidua.device") != null, null, { timeout: 20000 });

/** Syncs until the text shows up on the page (the other device may still be pushing). */
async function syncUntil(p, text, tries = 10) {
  for (let i = 0; i < tries; i++) {
    await p.getByRole("button", { name: /^(Đồng bộ ngay|Sync now)$/ }).click();
    try {
      await p.getByText(text).first().waitFor({ timeout: 3000 });
      return;
    } catch {
      // not there yet
    }
  }
  throw new Error(`"${text}" never arrived`);
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

  // --- Scoreboard and a 6-month review session that stays frozen.
  await go(h, "/scoreboard");
  await h.getByTestId("score-chart").waitFor();
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
  const pdf = join(SHOTS, "summary.pdf");
  await h.pdf({ path: pdf, format: "A4", printBackground: true });
  assert.ok(existsSync(pdf));
  try {
    execFileSync("pdftoppm", ["-png", "-r", "60", pdf, join(SHOTS, "summary-page")]);
  } catch {
    console.log("pdftoppm is missing (apt-get install poppler-utils); the PDF is kept");
  }

  // --- Devices: the head revokes the second officer's phone.
  await go(h, "/cluster");
  await h.getByRole("button", { name: "Xem danh sách thiết bị" }).click();
  const phone2 = h.getByTestId("devices").locator(".entry", { hasText: "Công ty CP Cấp nước Thanh Hóa" });
  h.once("dialog", (d) => d.accept());
  await phone2.getByRole("button", { name: "Thu hồi" }).click();
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

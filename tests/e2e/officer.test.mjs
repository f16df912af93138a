// An officer's day on a phone: join online, lose the signal, pledge, report
// five results of different kinds (with a mistake caught inline, a draft kept
// and "repeat last"), delete unwanted drafts, reload with no network, come back
// online: everything reaches the server exactly once and the head's device sees
// it. A second fresh phone joins by typing the invite code.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { SHOTS, firstPage as page, launchBrowser, shot, startDemo, tab } from "./harness.mjs";

let demo, server, head, officer, links;

before(async () => {
  demo = await startDemo("thidua-officer-", 2);
  ({ server, links } = demo);
  [head, officer] = demo.browsers;
});

after(async () => {
  await demo?.close();
});

const REPORTS = [
  { kind: "Sáng kiến, cải tiến kỹ thuật", title: "Phần mềm nhắc lịch bảo dưỡng máy xét nghiệm", amount: "25000000", shown: "25.000.000" },
  { kind: "Lớp tập huấn", title: "Tập huấn sơ cấp cứu cho công nhân", amount: "85", shown: "85" },
  { kind: "Trồng cây", title: "Trồng cây xanh khuôn viên phòng khám", amount: "120", shown: "120" },
  { kind: "Ủng hộ, quyên góp", title: "Ủng hộ đồng bào vùng lũ", amount: "12500000", shown: "12.500.000", items: "thùng mì", count: "40" },
  { kind: "Điển hình tiên tiến, người tốt việc tốt", title: "Chị Trần Thị Mai hiến máu 20 lần", nominee: "Trần Thị Mai" },
];

test("an officer's day offline reaches the head exactly once", async () => {
  const [headLink, officerLink] = links;
  const o = await page(officer);
  // The join screen, before the invite link is opened, in both languages.
  await o.goto(server.url + "/join");
  await o.getByLabel("Mã mời").waitFor();
  await shot(o, "officer-join-vi");
  await o.locator("header").getByRole("button", { name: "English" }).click();
  await o.getByLabel("Invite code").waitFor();
  await shot(o, "officer-join-en");
  await o.locator("header").getByRole("button", { name: "Tiếng Việt" }).click();

  // Joining from the link: the first download of the cluster is held back for a moment, so
  // the screen shows what it is waiting for, and nothing on it jumps when the data lands.
  await officer.context.addInitScript(() => {
    window.__shift = [];
    new PerformanceObserver((list) => {
      // All shifts count: nobody touches the screen while it joins (and the navigation
      // itself marks the first ones as "recent input").
      for (const e of list.getEntries()) window.__shift.push([e.value, e.sources.map((s) => s.node?.nodeName ?? "?").join(" ")]);
    }).observe({ type: "layout-shift", buffered: true });
  });
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await o.route("**/api/sync/pull**", async (route) => {
    await held;
    await route.continue();
  });
  // A fresh page load (from /join, the link would only change the fragment).
  await o.goto("about:blank");
  await o.goto(officerLink);
  await o.getByTestId("cluster-loading").getByText("Đang tải dữ liệu của cụm…").waitFor();
  await shot(o, "officer-joining-vi");
  release();
  await o.getByText("Đã đồng bộ").waitFor();
  await o.getByTestId("days-left").first().waitFor();
  await o.unroute("**/api/sync/pull**");
  assert.equal(await o.getByTestId("cluster-loading").count(), 0);
  const shifts = await o.evaluate(() => window.__shift);
  const cls = shifts.reduce((sum, [v]) => sum + v, 0);
  assert.ok(cls < 0.01, `layout shift while joining: ${JSON.stringify(shifts)}`);
  const homeTab = o.getByRole("navigation", { name: "Điều hướng" }).getByRole("link", { name: "Trang chủ", exact: true });
  assert.equal(await homeTab.getAttribute("aria-current"), "page");
  assert.equal(new URL(o.url()).pathname, "/");
  await o.waitForFunction(() => navigator.serviceWorker?.controller != null);
  await shot(o, "officer-home-vi");
  // Progress bars are drawn (the CSP would block inline style attributes): the demo's
  // approved badminton tournament fills part of the events bar.
  const widths = await o.$$eval(".bar-approved", (bars) => bars.map((b) => b.getBoundingClientRect().width));
  assert.ok(widths.some((w) => w > 10), `approved bars: ${widths}`);
  await tab(o, "Xếp hạng");
  await o.getByTestId("score-chart").first().waitFor();
  await shot(o, "officer-scoreboard-vi");
  await tab(o, "Cài đặt");
  await o.getByTestId("who").waitFor();
  await shot(o, "officer-settings-vi");
  await tab(o, "Trang chủ");
  assert.match(await o.getByTestId("days-left").first().textContent(), /ngày còn lại/);

  // No signal from here on.
  await officer.context.setOffline(true);

  // Pledge.
  await o.getByRole("link", { name: "Đăng ký thi đua" }).first().click();
  await o.getByLabel(/^Sáng kiến, cải tiến kỹ thuật/).fill("6");
  await o.getByLabel(/^Tập huấn an toàn/).fill("300");
  await o.getByLabel("Nội dung giao ước").fill("Thi đua lao động giỏi, phục vụ người bệnh tận tâm.");
  await o.getByRole("button", { name: "Lưu đăng ký" }).click();
  await o.getByTestId("pledge-notice").getByText("Đã lưu trên máy").waitFor();
  assert.match(await o.getByTestId("pledge-receipt").textContent(), /chờ gửi/);
  await shot(o, "officer-pledge-vi");

  // A mistake is caught next to the field, and nothing typed is lost.
  await tab(o, "Báo cáo");
  await o.getByRole("button", { name: REPORTS[0].kind }).click();
  await o.getByLabel("Giá trị (₫)").fill(REPORTS[0].amount);
  await o.getByLabel("Ngày (ngày/tháng/năm)").fill("01/01/2020");
  await o.getByRole("button", { name: "Lưu", exact: true }).click();
  await o.getByText("Không được để trống.").waitFor();
  await o.getByText(/Ngày phải trong thời gian phong trào/).waitFor();
  // Kept as typed, with the value understood under it.
  assert.equal(await o.getByLabel("Giá trị (₫)").inputValue(), "25000000");
  await o.getByText("= 25.000.000 ₫").waitFor();
  await shot(o, "officer-report-error-vi");
  await o.getByRole("button", { name: "Hôm nay" }).click();

  // A draft is kept, listed, and opened again.
  await o.getByLabel("Tiêu đề").fill(REPORTS[0].title);
  await o.getByRole("button", { name: "Lưu nháp" }).click();
  await o.getByTestId("drafts").getByText(REPORTS[0].title).waitFor();
  await o.getByTestId("drafts").getByRole("button", { name: "Mở" }).click();
  assert.equal(await o.getByLabel("Tiêu đề").inputValue(), REPORTS[0].title);

  for (const [i, r] of REPORTS.entries()) {
    await o.getByRole("button", { name: r.kind, exact: true }).click();
    await o.getByLabel("Tiêu đề").fill(r.title);
    if (r.amount) {
      const label = { 0: "Giá trị (₫)", 1: "Số người tham gia", 2: "Số cây", 3: "Số tiền (₫)" }[i];
      await o.getByLabel(label).fill(r.amount);
      assert.equal(await o.getByLabel(label).inputValue(), r.amount);
    }
    if (r.items) {
      await o.getByLabel("Hiện vật", { exact: true }).fill(r.items);
      await o.getByLabel("Số hiện vật").fill(r.count);
    }
    if (r.nominee) await o.getByLabel("Người / tập thể điển hình").fill(r.nominee);
    if (i === 3) await shot(o, "officer-report-vi");
    await o.getByRole("button", { name: "Lưu", exact: true }).click();
    await o.getByTestId("report-notice").getByText("Đã lưu trên máy").waitFor();
  }
  // The saved draft was used up.
  assert.equal(await o.getByTestId("drafts").count(), 0);

  // "Repeat last" fills the form from the previous entry of that kind.
  await o.getByRole("button", { name: REPORTS[1].kind, exact: true }).click();
  await o.getByRole("button", { name: "Lặp lại lần trước" }).click();
  assert.equal(await o.getByLabel("Tiêu đề").inputValue(), REPORTS[1].title);
  assert.equal(await o.getByLabel("Số người tham gia").inputValue(), "85");
  await o.getByLabel("Tiêu đề").fill("");

  // Two more drafts; deleting one from the list removes it for good (still offline,
  // it stays gone after a reload), while the other is kept; then that one goes too.
  const drafts = o.getByTestId("drafts");
  const draftRow = (title) => drafts.locator(".entry").filter({ has: o.getByText(title, { exact: true }) });
  for (const [kind, title] of [["Trồng cây", "Nháp: trồng cây ngày Chủ nhật xanh"], ["Văn hoá, thể thao", "Nháp: hội thao mừng ngày thành lập"]]) {
    await o.getByRole("button", { name: kind, exact: true }).click();
    await o.getByLabel("Tiêu đề").fill(title);
    await o.getByRole("button", { name: "Lưu nháp" }).click();
    await o.getByTestId("report-notice").getByText("Đã lưu nháp trên máy").waitFor();
    await draftRow(title).waitFor();
  }
  assert.equal(await drafts.locator(".entry").count(), 2);
  await draftRow("Nháp: trồng cây ngày Chủ nhật xanh").getByRole("button", { name: "Xoá" }).click();
  await draftRow("Nháp: trồng cây ngày Chủ nhật xanh").waitFor({ state: "detached" });
  await o.reload();
  await draftRow("Nháp: hội thao mừng ngày thành lập").waitFor();
  assert.equal(await drafts.locator(".entry").count(), 1, "the deleted draft stays deleted");
  await drafts.evaluate((list) => list.closest("section").scrollIntoView({ block: "start" }));
  await o.screenshot({ path: join(SHOTS, "officer-drafts-vi.png") }); // phone view: the drafts card
  await draftRow("Nháp: hội thao mừng ngày thành lập").getByRole("button", { name: "Xoá" }).click();
  await drafts.waitFor({ state: "detached" });
  await o.reload();
  await o.getByRole("button", { name: REPORTS[1].kind, exact: true }).waitFor();
  assert.equal(await drafts.count(), 0, "no drafts after a reload");

  await tab(o, "Kết quả");
  for (const r of REPORTS) {
    const row = o.locator(".entry", { hasText: r.title });
    assert.equal(await row.getByTestId("status").textContent(), "Chờ gửi", r.title);
  }
  assert.match(await o.getByTestId("sync-state").textContent(), /6 đang chờ gửi/);

  // Reload with no network: all still there.
  await o.reload();
  await o.locator(".entry", { hasText: REPORTS[4].title }).waitFor();
  assert.equal(await o.locator(".entry .badge.waiting").count(), 5);
  await shot(o, "officer-entries-offline-vi");

  // Signal again: everything goes out by itself.
  await officer.context.setOffline(false);
  await o.getByTestId("sync-state").getByText("Đã đồng bộ").waitFor({ timeout: 30000 });
  assert.equal(await o.locator(".entry .badge.waiting").count(), 0);
  await tab(o, "Trang chủ");
  await o.getByRole("link", { name: "Đăng ký thi đua" }).first().click();
  await o.getByTestId("pledge-receipt").getByText(/Trưởng cụm đã nhận lúc/).waitFor();

  // The head's device shows each result once.
  const h = await page(head);
  await h.goto(headLink);
  await h.getByTestId("who").waitFor().catch(() => {});
  await h.getByText("Đã đồng bộ").waitFor();
  await h.goto(server.url + "/entries");
  for (const r of REPORTS) {
    await h.locator(".entry", { hasText: r.title }).waitFor();
    assert.equal(await h.locator(".entry", { hasText: r.title }).count(), 1, r.title);
  }
  const token = await h.evaluate(() => JSON.parse(localStorage.getItem("thidua.device")).token);
  const doc = await (await fetch(`${server.url}/api/snapshot`, { headers: { Authorization: `Bearer ${token}` } })).json();
  const bodies = Object.values(doc.records).map((r) => r.heads[0].body);
  for (const r of REPORTS) assert.equal(bodies.filter((b) => b?.title === r.title).length, 1, r.title);
  const pledge = bodies.find((b) => b?.type === "pledge" && b.commitments.startsWith("Thi đua lao động giỏi, phục vụ"));
  assert.ok(pledge, "the pledge reached the server");
  assert.deepEqual(pledge.targets.find((t) => t.criterion === "tap-huan"), { criterion: "tap-huan", target: 300 });

  // English is complete on every officer screen.
  await o.getByRole("button", { name: "English" }).click();
  for (const [name, file] of [["Home", "officer-home-en"], ["Report", "officer-report-en"], ["Results", "officer-entries-en"], ["Ranking", "officer-scoreboard-en"], ["Settings", "officer-settings-en"]]) {
    await o.getByRole("navigation", { name: "Navigation" }).getByRole("link", { name, exact: true }).click();
    await shot(o, file);
  }
  await o.getByRole("navigation", { name: "Navigation" }).getByRole("link", { name: "Home", exact: true }).click();
  await o.getByRole("link", { name: "Pledge targets" }).first().click();
  await o.getByTestId("pledge-receipt").waitFor();
  await shot(o, "officer-pledge-en");
});

test("a fresh phone joins by typing the invite code", async () => {
  // The code is what follows `#` in the invite link the demo printed for MEDLATEC's officer.
  const code = new URL(links[1]).hash.slice(1);
  assert.ok(code.length > 0, links[1]);
  const phone = await launchBrowser();
  try {
    const p = await page(phone);
    await p.goto(server.url + "/join");
    await p.getByLabel("Mã mời").fill(code);
    await p.getByRole("button", { name: "Tham gia", exact: true }).click();
    // Joined: the officer's navigation replaces the two tabs shown before joining (wait for
    // it, or a tap on the old tabs can land on a new one), the code leaves the address bar,
    // and Settings says who this phone is.
    await p.getByRole("navigation", { name: "Điều hướng" }).getByRole("link", { name: "Kết quả", exact: true }).waitFor();
    assert.equal(new URL(p.url()).pathname, "/");
    await tab(p, "Cài đặt");
    const who = p.getByTestId("who");
    await who.getByText("Công ty TNHH MEDLATEC Thanh Hóa").waitFor();
    assert.match(await who.textContent(), /Cụm thi đua số 18 tỉnh Thanh Hóa/);
    assert.match(await who.textContent(), /Cán bộ công đoàn cơ sở/);
    assert.equal(await p.evaluate(() => JSON.parse(localStorage.getItem("thidua.device")).unit_id), "medlatec");
    await p.screenshot({ path: join(SHOTS, "officer-joined-by-code-vi.png") });
  } catch (err) {
    await shot(await page(phone), "officer-join-by-code-failed").catch(() => {});
    throw err;
  } finally {
    await phone.close();
  }
});

// Two devices at once: an officer saves an entry with no network, reloads,
// comes back online, and the cluster head's device shows it, exactly once.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { E2E_DIR, SHOTS, freePort, launchBrowser, loadDemo, startServer, tempDir } from "./harness.mjs";

let data, port, server, head, officer, links;

before(async () => {
  data = tempDir("thidua-sync-");
  port = await freePort();
  links = loadDemo(data.dir, port);
  server = await startServer({ staticDir: join(E2E_DIR, "v1"), dataDir: data.dir, port });
  head = await launchBrowser();
  officer = await launchBrowser();
});

after(async () => {
  await head?.close();
  await officer?.close();
  await server?.stop();
  data?.remove();
});

const page = async (b) => b.context.pages()[0] ?? (await b.context.newPage());
const syncState = (p) => p.getByTestId("sync-state");

const tab = (p, name) => p.getByRole("navigation", { name: "Điều hướng" }).getByRole("link", { name, exact: true }).click();

test("an entry saved offline reaches the head's device exactly once", async () => {
  const [headLink, officerLink] = links;
  const h = await page(head);
  await h.goto(headLink);
  await syncState(h).getByText("Đã đồng bộ").waitFor();
  assert.equal(new URL(h.url()).hash, "", "the invite code is dropped from the address bar");
  await tab(h, "Cài đặt");
  await h.getByTestId("who").getByText("Trưởng cụm").waitFor();

  const o = await page(officer);
  await o.goto(officerLink);
  await syncState(o).getByText("Đã đồng bộ").waitFor();
  await tab(o, "Cài đặt");
  await o.getByTestId("who").getByText("Công ty TNHH MEDLATEC Thanh Hóa").waitFor();
  await tab(o, "Kết quả");
  await o.getByText("Giải cầu lông công nhân viên chức lao động").waitFor();
  // Officers see their own unit's entries only.
  assert.equal(await o.getByText("Cải tiến hệ thống băm mía dây chuyền 2").count(), 0);
  await o.waitForFunction(() => navigator.serviceWorker?.controller != null);

  // No signal on the factory floor.
  await officer.context.setOffline(true);
  await tab(o, "Báo cáo");
  await o.getByRole("button", { name: "Văn hoá, thể thao", exact: true }).click();
  // The criterion its last event counted toward is chosen already.
  assert.equal(await o.getByLabel("Tiêu chí").inputValue(), "van-the");
  await o.getByLabel("Tiêu đề").fill("Khám sức khoẻ miễn phí cho công nhân");
  await o.getByLabel("Số người tham gia").fill("300");
  await o.getByRole("button", { name: "Lưu", exact: true }).click();
  await o.getByTestId("report-notice").getByText("Đã lưu trên máy").waitFor();
  await tab(o, "Kết quả");
  const row = o.locator(".entry", { hasText: "Khám sức khoẻ miễn phí cho công nhân" });
  assert.equal(await row.getByTestId("status").textContent(), "Chờ gửi");
  await o.waitForTimeout(2500); // the sync after save fails quietly and waits for the network
  assert.match(await syncState(o).textContent(), /1 đang chờ gửi/);

  // Reload with no network: the entry is still there, still waiting.
  await o.reload();
  await row.waitFor();
  assert.equal(await row.getByTestId("status").textContent(), "Chờ gửi");
  await o.screenshot({ path: join(SHOTS, "sync-officer-offline.png"), fullPage: true });

  // Back online: it goes out by itself.
  await officer.context.setOffline(false);
  await o.waitForFunction(
    () => [...document.querySelectorAll(".entry")].some((e) => e.textContent.includes("Khám sức khoẻ") && e.querySelector('[data-testid="status"]').textContent === "Đã gửi"),
    null,
    { timeout: 30000 },
  );
  await syncState(o).getByText("Đã đồng bộ").waitFor();

  // The head syncs and sees it, once.
  await h.getByRole("button", { name: "Đồng bộ ngay" }).click();
  await h.goto(server.url + "/entries");
  const onHead = h.locator(".entry", { hasText: "Khám sức khoẻ miễn phí cho công nhân" });
  await onHead.waitFor({ timeout: 15000 });
  assert.equal(await onHead.count(), 1);
  assert.match(await onHead.textContent(), /MEDLATEC/);
  assert.match(await onHead.textContent(), /300/);
  await h.screenshot({ path: join(SHOTS, "sync-head.png"), fullPage: true });

  // The server holds exactly one such entry, whatever the retries did.
  const token = await h.evaluate(() => JSON.parse(localStorage.getItem("thidua.device")).token);
  const snapshot = await (await fetch(`${server.url}/api/snapshot`, { headers: { Authorization: `Bearer ${token}` } })).json();
  const doc = snapshot.document ?? snapshot;
  const same = Object.values(doc.records).filter((r) => r.heads[0].body?.title === "Khám sức khoẻ miễn phí cho công nhân");
  assert.equal(same.length, 1);
});

// Two devices at once: an officer saves an entry with no network, reloads,
// comes back online, and the cluster head's device shows it, exactly once.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { firstPage as page, shot, startDemo, tab } from "./harness.mjs";

let demo, server, head, officer, links;

before(async () => {
  demo = await startDemo("thidua-sync-", 2);
  ({ server, links } = demo);
  [head, officer] = demo.browsers;
});

after(async () => {
  await demo?.close();
});

const syncState = (p) => p.getByTestId("sync-state");

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
  await shot(o, "sync-officer-offline");

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
  await shot(h, "sync-head");

  // The server holds exactly one such entry, whatever the retries did.
  const token = await h.evaluate(() => JSON.parse(localStorage.getItem("thidua.device")).token);
  const snapshot = await (await fetch(`${server.url}/api/snapshot`, { headers: { Authorization: `Bearer ${token}` } })).json();
  const doc = snapshot.document ?? snapshot;
  const same = Object.values(doc.records).filter((r) => r.heads[0].body?.title === "Khám sức khoẻ miễn phí cho công nhân");
  assert.equal(same.length, 1);
});

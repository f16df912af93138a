// Faults an officer meets in the field: the phone's storage is full, the data on it is
// damaged, the server is down, slow or failing. Each time the app says so plainly in
// Vietnamese, loses nothing, and recovers by itself; the server ends up with each entry once.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, afterEach, before, test } from "node:test";
import { join } from "node:path";
import { SHOTS, firstPage, startDemo } from "./harness.mjs";

let demo, server, officer, links, o;
const pageErrors = [];

before(async () => {
  demo = await startDemo("thidua-faults-", 1);
  ({ server, links } = demo);
  [officer] = demo.browsers;
  o = await firstPage(officer);
  // A panic in the app (wasm) shows here; none is expected whatever the fault.
  o.on("pageerror", (err) => pageErrors.push(String(err)));
  await o.goto(links[1]);
  await syncState().getByText("Đã đồng bộ").waitFor();
});

afterEach(() => {
  assert.deepEqual(pageErrors.splice(0), [], "the app threw no error");
});

after(async () => {
  await demo?.close();
});

const syncState = () => o.getByTestId("sync-state");
const tab = (name) => o.getByRole("navigation", { name: "Điều hướng" }).getByRole("link", { name, exact: true }).click();
// The top of the phone's screen: the sync bar and the alerts.
async function shot(name) {
  await o.evaluate(() => window.scrollTo(0, 0));
  await o.screenshot({ path: join(SHOTS, `faults-${name}.png`) });
}

/** Reports a cultural event with this title from the report screen. */
async function report(title, people = "120") {
  await tab("Báo cáo");
  await o.getByRole("button", { name: "Văn hoá, thể thao", exact: true }).click();
  await o.getByLabel("Tiêu đề").fill(title);
  await o.getByLabel("Số người tham gia").fill(people);
  await o.getByRole("button", { name: "Lưu", exact: true }).click();
}

/** Waits until the entry with this title is listed as "Đã gửi" (on the server). */
async function sent(title, timeout = 40000) {
  await tab("Kết quả");
  await o.waitForFunction(
    (t) =>
      [...document.querySelectorAll(".entry")].some(
        (e) => e.textContent.includes(t) && e.querySelector('[data-testid="status"]')?.textContent === "Đã gửi",
      ),
    title,
    { timeout },
  );
}

/** How many records with this title the server holds. */
async function onServer(title) {
  const token = await o.evaluate(() => JSON.parse(localStorage.getItem("thidua.device")).token);
  const res = await fetch(`${server.url}/api/snapshot`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  const doc = await res.json();
  return doc.records.filter((r) => r.heads.some((h) => h.body?.title === title)).length;
}

test("storage full: the app says so, keeps the entry, offers a backup, and the entry still syncs", async () => {
  const title = "Hội diễn văn nghệ khi bộ nhớ đầy";
  await officer.context.setOffline(true);
  // The phone's storage is full: every write of the app's data is refused, as browsers do.
  await o.evaluate(() => {
    const setItem = Storage.prototype.setItem;
    window.__realSetItem = setItem;
    Storage.prototype.setItem = function (key, value) {
      if (String(key).startsWith("thidua.")) {
        throw new DOMException("Failed to execute 'setItem' on 'Storage': exceeded the quota.", "QuotaExceededError");
      }
      return setItem.call(this, key, value);
    };
  });
  await report(title);

  const alert = o.getByTestId("storage-alert");
  await alert.waitFor();
  assert.equal(await alert.getAttribute("role"), "alert");
  const said = await alert.textContent();
  assert.match(said, /Bộ nhớ trên máy đã đầy/);
  assert.match(said, /vẫn còn trong ứng dụng/);
  assert.doesNotMatch(said, /QuotaExceeded|setItem|quota/i, "no raw browser error");
  assert.match(await o.getByTestId("report-notice").textContent(), /chưa lưu được vào máy/);
  await shot("storage-full");

  // Not on the device, but in the app: listed, waiting to be sent.
  const stored = await o.evaluate((t) => Object.keys(localStorage).some((k) => localStorage.getItem(k).includes(t)), title);
  assert.equal(stored, false, "the fault really kept it off the device");
  await tab("Kết quả");
  const row = o.locator(".entry", { hasText: title });
  await row.waitFor();
  assert.equal(await row.getByTestId("status").textContent(), "Chờ gửi");
  assert.match(await syncState().textContent(), /1 đang chờ gửi/);

  // The alert's button downloads a backup that holds the entry only memory has.
  const [download] = await Promise.all([o.waitForEvent("download"), alert.getByRole("button", { name: "Tải tệp sao lưu ngay" }).click()]);
  assert.match(download.suggestedFilename(), /^thidua-sao-luu-.*\.json$/);
  const backup = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(backup.app, "thidua-backup-1");
  const kept = Object.entries(backup.items).filter(([k, v]) => k.startsWith("thidua.rec.") && v.includes(title));
  assert.equal(kept.length, 1, "the backup holds the unsaved entry");
  assert.ok(JSON.parse(backup.items["thidua.outbox"]).dirty.length >= 1, "and knows it is unsynced");
  await alert.getByText("Đã tạo tệp sao lưu.").waitFor();

  // The network comes back: the entry in memory reaches the server, once.
  await officer.context.setOffline(false);
  await sent(title);
  assert.equal(await onServer(title), 1);

  // Space is freed: the next save clears the alert.
  await o.evaluate(() => {
    Storage.prototype.setItem = window.__realSetItem;
  });
  await report("Giải bóng đá sau khi giải phóng bộ nhớ");
  await o.getByTestId("report-notice").getByText("Đã lưu trên máy").waitFor();
  assert.equal(await o.getByTestId("storage-alert").count(), 0);
});

test("storage nearly full (80%): the app says what uses the space and offers a backup", async () => {
  // Something set aside earlier fills the site's storage to about 85% of the 5,242,880
  // UTF-16 units Chromium allows.
  await o.evaluate(() => localStorage.setItem("thidua.damaged.old", "x".repeat(4_450_000)));
  await o.reload();
  const alert = o.getByTestId("storage-nearly-full");
  await alert.waitFor();
  const said = await alert.textContent();
  assert.match(said, /Bộ nhớ trên máy đã dùng 8\d%/);
  assert.match(said, /Dữ liệu của cụm: [\d.]+ KB · Bản nháp: [\d.]+ KB · Khác: [\d.]+ KB/);
  assert.match(said, /tệp sao lưu/);
  await alert.getByRole("button", { name: "Tải tệp sao lưu ngay" }).waitFor();
  await shot("storage-nearly-full");
  // Space given back: the warning goes.
  await o.evaluate(() => localStorage.removeItem("thidua.damaged.old"));
  await o.reload();
  await syncState().getByText("Đã đồng bộ").waitFor();
  assert.equal(await alert.count(), 0);
});

test("damaged or foreign data on the device: the app starts, sets it aside and says so", async () => {
  await syncState().getByText("Đã đồng bộ").waitFor({ timeout: 20000 });
  const bad = {
    "thidua.rec.hong-1": '{"id":"hong-1","kind":"entry","heads":[{"clock"', // cut off mid-write
    "thidua.rec.la-2": JSON.stringify({ hello: "a record of another app", n: 2 }), // foreign shape
    "thidua.settings": "not json at all {{{",
    "thidua.outbox": JSON.stringify({ dirty: 42 }),
  };
  await o.evaluate((bad) => {
    for (const [k, v] of Object.entries(bad)) localStorage.setItem(k, v);
  }, bad);
  await o.reload();

  const alert = o.getByTestId("damaged-alert");
  await alert.waitFor();
  assert.equal(await alert.getAttribute("role"), "alert");
  assert.match(await alert.textContent(), /4 mục dữ liệu trên máy bị hỏng hoặc không đọc được/);
  assert.match(await alert.textContent(), /để riêng, không bị xoá/);
  await shot("damaged");

  // The app works: the officer's entries are listed, and sync goes on.
  await tab("Kết quả");
  await o.locator(".entry", { hasText: "Hội diễn văn nghệ khi bộ nhớ đầy" }).waitFor();
  await syncState().getByText("Đã đồng bộ").waitFor({ timeout: 20000 });

  // Every damaged value is kept, as it was, under thidua.damaged.*.
  const aside = await o.evaluate(() =>
    Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith("thidua.damaged.")).map((k) => [k, localStorage.getItem(k)])),
  );
  assert.equal(aside["thidua.damaged.rec.hong-1"], bad["thidua.rec.hong-1"]);
  assert.equal(aside["thidua.damaged.rec.la-2"], bad["thidua.rec.la-2"]);
  assert.equal(aside["thidua.damaged.settings"], bad["thidua.settings"]);
  assert.equal(aside["thidua.damaged.outbox"], bad["thidua.outbox"]);
  const left = await o.evaluate(() => ["thidua.rec.hong-1", "thidua.rec.la-2"].map((k) => localStorage.getItem(k)));
  assert.deepEqual(left, [null, null]);
  // The settings were replaced by readable defaults.
  const settings = await o.evaluate(() => localStorage.getItem("thidua.settings"));
  assert.equal(JSON.parse(settings).lang, "vi");
  // A second start finds nothing new to set aside.
  await o.reload();
  await syncState().waitFor();
  assert.equal(await o.getByTestId("damaged-alert").count(), 0);
});

test("server down, slow, then failing: the sync bar says so, nothing is lost, it recovers alone", async () => {
  const title = "Chạy tiếp sức khi máy chủ trục trặc";
  await syncState().getByText("Đã đồng bộ").waitFor({ timeout: 20000 });

  // 1. The server cannot be reached.
  await o.route("**/api/sync/**", (route) => route.abort("connectionrefused"));
  await report(title);
  await syncState().getByText(/Không kết nối được máy chủ, sẽ tự thử lại/).waitFor({ timeout: 15000 });
  assert.match(await syncState().textContent(), /1 đang chờ gửi/);
  await shot("server-down");

  // 2. The server answers 500 for a while: the first push even reaches it, but its answer
  // is lost, so the app sends the entry again.
  await o.unroute("**/api/sync/**");
  let failures = 0;
  await o.route("**/api/sync/**", async (route) => {
    failures += 1;
    if (failures === 1 && route.request().url().includes("/push")) await route.fetch();
    await route.fulfill({
      status: 500,
      contentType: "application/json",
      body: JSON.stringify({ error: "internal", message: "the server hit an unexpected problem; it has been logged" }),
    });
  });
  await syncState().getByText(/Máy chủ đang gặp sự cố \(500\), sẽ tự thử lại/).waitFor({ timeout: 20000 });
  assert.match(await syncState().textContent(), /1 đang chờ gửi/);
  await shot("server-500");
  const during = failures;

  // 3. Then it is slow (5 s for each answer) but works: no click, it catches up alone.
  await o.unroute("**/api/sync/**");
  await o.route("**/api/sync/**", async (route) => {
    await new Promise((r) => setTimeout(r, 5000));
    await route.continue();
  });
  await syncState().getByText("Đang đồng bộ…").waitFor({ timeout: 40000 });
  await sent(title, 60000);
  await syncState().getByText("Đã đồng bộ").waitFor({ timeout: 20000 });
  assert.ok(during >= 1, "the failing server was tried");
  await o.unroute("**/api/sync/**");
  await shot("recovered");

  // Sent twice (once unanswered), stored once.
  assert.equal(await onServer(title), 1);
});

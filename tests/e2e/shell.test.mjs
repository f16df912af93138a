// The app shell: the value the user sets survives going offline and a reload,
// the service worker serves the app with no network, and a new build replaces
// the old one once the device is online again.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { E2E_DIR, SHOTS, freePort, launchBrowser, startServer, tempDir, waitForServiceWorker } from "./harness.mjs";

let browser;
let data;
let port;
before(async () => {
  browser = await launchBrowser();
  data = tempDir("thidua-data-");
  port = await freePort();
});
after(async () => {
  await browser?.close();
  data?.remove();
});

test("the shell opens offline with the saved value, and a new build replaces the old", async () => {
  let server = await startServer({ staticDir: join(E2E_DIR, "v1"), dataDir: data.dir, port });
  const { context } = browser;
  const page = context.pages()[0] ?? (await context.newPage());
  try {
    // The value the user sets lives on the settings screen.
    await page.goto(server.url + "/settings");
    await assert.doesNotReject(page.getByRole("heading", { name: "Thi Đua", exact: true }).waitFor());
    assert.equal(await page.getByTestId("build").textContent(), "e2e-v1");
    assert.equal(await page.getByTestId("net").textContent(), "Trực tuyến");
    // Vietnamese by default, with <html lang> to match.
    assert.equal(await page.evaluate(() => document.documentElement.lang), "vi");

    await page.getByLabel("Họ và tên cán bộ").fill("Nguyễn Thị Lan");
    await page.getByTestId("greeting").waitFor();
    await waitForServiceWorker(page);
    await page.screenshot({ path: join(SHOTS, "shell-vi-online.png") });

    // Offline: the reload must come from the service worker, with the value kept.
    await context.setOffline(true);
    await page.reload();
    await page.getByRole("heading", { name: "Thi Đua", exact: true }).waitFor();
    assert.equal(await page.getByLabel("Họ và tên cán bộ").inputValue(), "Nguyễn Thị Lan");
    assert.equal(await page.getByTestId("net").textContent(), "Ngoại tuyến");
    assert.match(await page.getByTestId("greeting").textContent(), /Nguyễn Thị Lan/);

    // Switching language offline is kept too.
    await page.locator("header").getByRole("button", { name: "English" }).click();
    assert.equal(await page.getByTestId("net").textContent(), "Offline");
    await page.reload();
    await page.getByLabel("Officer's full name").waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
    await page.screenshot({ path: join(SHOTS, "shell-en-offline.png") });

    // A new build is deployed while the device is offline; nothing changes yet.
    await server.stop();
    server = await startServer({ staticDir: join(E2E_DIR, "v2"), dataDir: data.dir, port });
    await page.reload();
    assert.equal(await page.getByTestId("build").textContent(), "e2e-v1");

    // Online again: the new worker installs, takes over, and the page shows v2.
    await context.setOffline(false);
    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-testid="build"]')?.textContent === "e2e-v2", null, {
      timeout: 30000,
    });
    const caches = await page.evaluate(() => caches.keys());
    assert.equal(caches.filter((k) => k.startsWith("thidua-shell-")).length, 1, `old cache kept: ${caches}`);
    assert.equal(await page.getByLabel("Officer's full name").inputValue(), "Nguyễn Thị Lan");
  } finally {
    await server.stop();
  }
});

test("the manifest makes the app installable", async () => {
  const server = await startServer({ staticDir: join(E2E_DIR, "v1"), dataDir: data.dir, port });
  try {
    const res = await fetch(server.url + "/manifest.webmanifest");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /manifest\+json/);
    const manifest = await res.json();
    assert.equal(manifest.display, "standalone");
    assert.equal(manifest.start_url, "/");
    const sizes = manifest.icons.map((i) => i.sizes);
    assert.ok(sizes.includes("192x192") && sizes.includes("512x512"), `icons: ${sizes}`);
    for (const icon of manifest.icons) {
      const got = await fetch(server.url + icon.src);
      assert.equal(got.status, 200, icon.src);
    }
  } finally {
    await server.stop();
  }
});

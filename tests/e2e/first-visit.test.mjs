// A first visit downloads the app once. The page loads index.html, the wasm, its loader and
// the styles; the service worker's install then precaches the same hashed files from the HTTP
// cache the page has just filled, and fetches only the unhashed ones (index.html, the
// manifest, the icons) fresh from the server. Counted on the wire by a proxy in front of the
// server — requests and encoded bytes, the worker's included. A new build is downloaded once
// too, and replaces the old one.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { E2E_DIR, SHOTS, firstVisit, startServer, wireTotals } from "./harness.mjs";

// The server's rule for Trunk's content hash (static_files::is_content_hashed); builds made
// before build.json listed the hashed files are read with it.
const isHashed = (url) => /-[0-9a-f]{12,16}[._][^/]*$/.test(url);
const hashedOf = (build) => build.hashed ?? build.files.filter(isHashed);
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

let visit;
before(() => mkdirSync(SHOTS, { recursive: true }));
after(async () => {
  await visit?.close();
});

/** One line per path: requests, statuses, bytes. */
const table = (rows) =>
  [...wireTotals(rows).byPath]
    .map(([path, p]) => `${path.padEnd(44)} ${String(p.requests).padStart(2)}× ${String(p.bytes).padStart(8)} B  ${p.statuses.join(",")}`)
    .join("\n");

test("a first visit downloads each file of the app once, the service worker's install included", async (t) => {
  visit = await firstVisit(join(E2E_DIR, "v1"), { keep: true });
  const { rows, build, page } = visit;
  await page.screenshot({ path: join(SHOTS, "first-visit-vi.png") });
  const totals = wireTotals(rows);
  t.diagnostic(`first visit on the wire: ${totals.requests} requests, ${totals.bytes} B (${kb(totals.bytes)}), encoded`);
  for (const line of table(rows).split("\n")) t.diagnostic(line);

  const hashed = hashedOf(build);
  const wasm = hashed.find((u) => u.endsWith(".wasm"));
  assert.ok(wasm, `a hashed wasm in ${build.files}`);
  for (const url of hashed) {
    const got = rows.filter((r) => r.path === url);
    assert.equal(got.length, 1, `${url} goes over the wire once, not ${got.length} times:\n${table(rows)}`);
    assert.equal(got[0].status, 200, url);
    // Reusable from the HTTP cache: the server marks hashed files immutable.
    assert.match(got[0].cacheControl, /immutable/, `${url}: ${got[0].cacheControl}`);
  }
  // Unhashed files are never kept stale by the HTTP cache.
  for (const r of rows.filter((r) => r.path === "/" || r.path === "/index.html" || r.path === "/sw.js")) {
    assert.match(r.cacheControl, /no-cache/, `${r.path}: ${r.cacheControl}`);
  }
  // The wire carries the app once: the wasm is most of it, and nothing else comes near.
  const wasmBytes = totals.byPath.get(wasm).bytes;
  assert.ok(wasmBytes > 10000 && /br|gzip/.test(rows.find((r) => r.path === wasm).encoding), "the wasm is sent compressed");
  assert.ok(totals.bytes < wasmBytes * 1.5, `${totals.bytes} B on the wire for a ${wasmBytes} B wasm`);

  // Everything the worker precaches is in its cache, and the app opens offline.
  const cached = await page.evaluate(async () => {
    const key = (await caches.keys()).find((k) => k.startsWith("thidua-shell-"));
    return (await (await caches.open(key)).keys()).map((r) => new URL(r.url).pathname);
  });
  for (const url of build.files.filter((u) => u !== "/build.json")) assert.ok(cached.includes(url), `${url} precached: ${cached}`);
  await visit.browser.context.setOffline(true);
  await page.reload();
  await page.getByRole("heading", { name: "Thi Đua", exact: true }).waitFor();
  await visit.browser.context.setOffline(false);
});

test("a new build is downloaded once and replaces the old one", async (t) => {
  assert.ok(visit, "the first visit ran");
  const { page, proxy } = visit;
  const v2 = hashedOf(JSON.parse(readFileSync(join(E2E_DIR, "v2", "build.json"), "utf8")));
  await proxy.idle();
  proxy.reset();
  await visit.server.stop();
  visit.server = await startServer({ staticDir: join(E2E_DIR, "v2"), dataDir: visit.data.dir, port: visit.port });
  // The old worker serves this load and finds the new one; it takes over and the page reloads.
  await page.reload();
  await page.waitForFunction(() => document.querySelector('[data-testid="build"]')?.textContent === "e2e-v2", null, {
    timeout: 60000,
  });
  await proxy.idle();
  const rows = proxy.rows();
  const totals = wireTotals(rows);
  t.diagnostic(`update on the wire: ${totals.requests} requests, ${totals.bytes} B (${kb(totals.bytes)})`);
  for (const line of table(rows).split("\n")) t.diagnostic(line);
  // A new file comes once; one both builds share (same name, same content) at most once.
  const v1 = hashedOf(visit.build);
  for (const url of v2) {
    const got = rows.filter((r) => r.path === url);
    if (v1.includes(url)) assert.ok(got.length <= 1, `${url} (unchanged) went over the wire ${got.length} times`);
    else assert.equal(got.length, 1, `${url} goes over the wire once, not ${got.length} times:\n${table(rows)}`);
  }
  const keys = await page.evaluate(() => caches.keys());
  assert.equal(keys.filter((k) => k.startsWith("thidua-shell-")).length, 1, `old cache kept: ${keys}`);
});

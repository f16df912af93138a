// In-browser timings on a device holding 10,000 entries, in headless Chromium (Debian's,
// driven by playwright-core), against the real server serving a release build:
//   (a) open the app: navigation start → the home screen shows the campaign and entries,
//   (b) save one entry: click Save on the report screen → saved on the device,
//   (c) open the review list (head): click the Review tab → list drawn,
//   (d) apply a pull of 100 changed records: pull response → applied (and drawn).
// The 10,000 entries are real records pushed to the server by 7 officer devices (one per
// member unit of the demo cluster); each browser then joins with an invite link and pulls
// them, as a phone would. The app marks its own work with performance.measure
// (`thidua:load`, `thidua:write`, `thidua:pull-apply`), read here next to the wall times.
// Usage: node tests/bench/browser.mjs <dist> [--entries 10000] [--runs 5] [--cpu-throttle 1]
import { freePort, launchBrowser, loadDemo, startServer, tempDir } from "../e2e/harness.mjs";

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const dist = args[0] && !args[0].startsWith("--") ? args[0] : "dist";
const N = opt("--entries", 10000);
const RUNS = opt("--runs", 5);
const THROTTLE = opt("--cpu-throttle", 1);
const TARGET_SAVE_MS = 16;
const TARGET_REVIEW_MS = 100;

const log = (...a) => console.error("[bench-browser]", ...a);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (x == null || Number.isNaN(x) ? "n/a" : `${x.toFixed(1)} ms`);

// ------------------------------------------------------------------------------------------
// Server with the demo cluster, and 10,000 entries pushed through the API.

const data = tempDir("thidua-bench-");
const port = await freePort();
const [headLink, officerLink] = loadDemo(data.dir, port);
const server = await startServer({ staticDir: dist, dataDir: data.dir, port });
const browsers = [];

async function api(method, path, token, body) {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const base36 = (n) => n.toString(36);

/** Pushes `n` entries, spread over one officer device per member unit; returns the cursor. */
async function seed(n) {
  const head = await api("POST", "/api/join", null, { code: headLink.split("#")[1], device_name: "bench seeder" });
  const snap = await api("GET", "/api/snapshot", head.token);
  const units = snap.records.filter((r) => r.kind === "unit").map((r) => r.id);
  // The demo's entries are the templates: realistic titles, criteria and details per kind.
  const templates = snap.records.filter((r) => r.kind === "entry" && r.heads[0].body).map((r) => r.heads[0].body);
  const devices = [];
  for (const unit of units) {
    const invite = await api("POST", "/api/invites", head.token, { unit_id: unit, role: "officer" });
    devices.push(await api("POST", "/api/join", null, { code: invite.code, device_name: `bench ${unit}` }));
  }
  let cursor = 0;
  const batch = 1000;
  const perDevice = Math.ceil(n / devices.length);
  const made = [];
  for (const [d, dev] of devices.entries()) {
    const count = Math.min(perDevice, n - d * perDevice);
    for (let start = 0; start < count; start += batch) {
      const records = [];
      for (let k = start; k < Math.min(count, start + batch); k++) {
        const t = templates[(k + d) % templates.length];
        const at = new Date(Date.now() - (count - k) * 60_000).toISOString();
        // Titles repeat (as officers' do): 10,000 entries fill ~98% of Chromium's localStorage
        // quota (5,242,880 UTF-16 units per origin), so every character counts.
        const body = { ...t, unit: dev.unit_id };
        records.push({
          id: `${dev.device_id}-${base36(k)}`,
          kind: "entry",
          created_at: at,
          heads: [{ clock: { [dev.device_id]: 1 }, author: dev.device_id, author_unit: dev.unit_id, at, body }],
        });
      }
      const answer = await api("POST", "/api/sync/push", dev.token, { push_id: `seed-${start}`, records });
      if (answer.rejected.length) throw new Error(`seed push refused: ${JSON.stringify(answer.rejected[0])}`);
      cursor = Math.max(cursor, answer.cursor);
      made.push(...records);
    }
  }
  return { cursor, records: made, total: snap.records.length + made.length };
}

// ------------------------------------------------------------------------------------------
// Page helpers. An init script records when the home screen first shows data, with
// performance.now() (0 = navigation start), and the next frame after it.

const READY_SCRIPT = () => {
  window.__bench = {};
  const check = () => {
    if (window.__bench.home == null && document.querySelector("section.campaign") && document.querySelector("ul.entries li.entry")) {
      window.__bench.home = performance.now();
      requestAnimationFrame(() => setTimeout(() => (window.__bench.homeFrame = performance.now()), 0));
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
};

/** In the page: resolves when `selector` matches (checked on every DOM change). */
const WAIT_FN = `window.__waitFor = (test) => new Promise((resolve) => {
  if (test()) return resolve(performance.now());
  const mo = new MutationObserver(() => { if (test()) { mo.disconnect(); resolve(performance.now()); } });
  mo.observe(document, { childList: true, subtree: true, characterData: true });
});
window.__nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)));`;

async function openBrowser() {
  const b = await launchBrowser();
  browsers.push(b);
  await b.context.addInitScript(READY_SCRIPT);
  await b.context.addInitScript(WAIT_FN);
  const page = b.context.pages()[0] ?? (await b.context.newPage());
  if (THROTTLE > 1) {
    const cdp = await b.context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLE });
  }
  return page;
}

/** Joins with the link and waits until the device has pulled up to `cursor`. */
async function joinAndPull(page, link, cursor, records) {
  const t0 = Date.now();
  page.on("console", (m) => (m.type() === "error" && !m.text().includes("Content Security Policy") ? log(`console: ${m.text()}`) : null));
  await page.goto(link);
  let last = null;
  for (;;) {
    // Records are kept in compressed packs (storage/records.rs): the stored cursor and the
    // sync bar say when everything is in.
    const state = await page.evaluate(() => {
      const d = JSON.parse(localStorage.getItem("thidua.device") ?? "null");
      return { cursor: d?.cursor ?? -1, sync: document.querySelector('[data-testid="sync-state"]')?.textContent ?? "" };
    });
    const now = JSON.stringify(state);
    if (state.cursor >= cursor && state.sync.startsWith("Đã đồng bộ")) break;
    if (/bộ nhớ|storage/i.test(state.sync) || (await page.getByTestId("storage-alert").count()) > 0) {
      log(`  WARNING: storage trouble while pulling ${records} records: ${now}`);
      break;
    }
    if (now !== last) {
      last = now;
      log(`  pulling: cursor ${state.cursor}/${cursor}, sync bar "${state.sync}"`);
    }
    if (Date.now() - t0 > 300_000) throw new Error(`the device did not pull everything in 5 minutes: ${now}`);
    await new Promise((r) => setTimeout(r, 3000));
  }
  const seconds = (Date.now() - t0) / 1000;
  const bytes = await page.evaluate(() => {
    let b = 0;
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      b += (k.length + localStorage.getItem(k).length) * 2;
    }
    return b;
  });
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 20000 }).catch(() => {});
  return { seconds, bytes };
}

/** (a) Fresh navigations to "/": time to the home screen with data. */
async function openApp(page) {
  const out = [];
  for (let i = 0; i < RUNS; i++) {
    await page.goto(server.url + "/");
    await page.waitForFunction(() => window.__bench.homeFrame != null, null, { timeout: 60000 });
    out.push(
      await page.evaluate(() => ({
        home: window.__bench.home,
        frame: window.__bench.homeFrame,
        load: performance.getEntriesByName("thidua:load").at(-1)?.duration,
      })),
    );
  }
  return out;
}

// ------------------------------------------------------------------------------------------

const rows = [];
const row = (what, values, target) => {
  const m = median(values.filter((v) => v != null));
  rows.push({ what, median: m, min: Math.min(...values), max: Math.max(...values), target });
};

try {
  log(`seeding ${N} entries through the API`);
  let t = Date.now();
  const seeded = await seed(N);
  log(`seeded in ${((Date.now() - t) / 1000).toFixed(1)} s, server cursor ${seeded.cursor}, ${seeded.total} records`);

  // --- Officer: join, pull, open, save.
  const officer = await openBrowser();
  const oJoin = await joinAndPull(officer, officerLink, seeded.cursor, seeded.total);
  log(`officer pulled ${seeded.total} records in ${oJoin.seconds.toFixed(1)} s; localStorage ${(oJoin.bytes / 1048576).toFixed(2)} MB`);
  const oOpen = await openApp(officer);
  row("officer: open app → home with data", oOpen.map((r) => r.home));
  row("officer: open app → next frame", oOpen.map((r) => r.frame));
  row("officer: open app, load document (thidua:load)", oOpen.map((r) => r.load));

  await officer.getByRole("navigation", { name: "Điều hướng" }).getByRole("link", { name: "Báo cáo", exact: true }).click();
  const saves = [];
  for (let i = 0; i < RUNS; i++) {
    await officer.getByRole("button", { name: "Lớp tập huấn", exact: true }).click();
    await officer.getByLabel("Tiêu đề").fill(`Tập huấn sơ cấp cứu cho công nhân, lớp ${i + 1}`);
    await officer.getByLabel("Số người tham gia").fill("85");
    await officer.evaluate(() => performance.clearMeasures("thidua:write"));
    // Let the typing settle (its storage effects) before timing the save.
    await officer.evaluate(() => window.__nextFrame());
    saves.push(
      await officer.evaluate(async () => {
        const button = [...document.querySelectorAll("form.form button[type=submit]")].find((b) => b.textContent.trim() === "Lưu");
        // "Saved on this device", or the storage failure notice.
        const notice = () => document.querySelector('[data-testid="report-notice"]')?.textContent.trim();
        const t0 = performance.now();
        button.click();
        const handler = performance.now() - t0;
        const shown = (await window.__waitFor(notice)) - t0;
        const frame = (await window.__nextFrame()) - t0;
        const write = performance.getEntriesByName("thidua:write").at(-1)?.duration;
        return { handler, shown, frame, write, notice: notice() };
      }),
    );
  }
  const notSaved = saves.filter((r) => !r.notice?.startsWith("Đã lưu trên máy"));
  if (notSaved.length) log(`WARNING: ${notSaved.length} saves said "${notSaved[0].notice}"`);
  row("officer: save one entry, write (thidua:write)", saves.map((r) => r.write), TARGET_SAVE_MS);
  row("officer: save one entry, click handler", saves.map((r) => r.handler), TARGET_SAVE_MS);
  row("officer: save one entry → 'saved' shown", saves.map((r) => r.shown));
  row("officer: save one entry → next frame", saves.map((r) => r.frame));

  // --- Head: join, pull, open, review list, a pull of 100 changes.
  const head = await openBrowser();
  const hJoin = await joinAndPull(head, headLink, seeded.cursor, seeded.total);
  log(`head pulled in ${hJoin.seconds.toFixed(1)} s`);
  const hOpen = await openApp(head);
  row("head: open app → home with data", hOpen.map((r) => r.home));
  row("head: open app → next frame", hOpen.map((r) => r.frame));

  const nav = (name) => head.getByRole("navigation", { name: "Điều hướng" }).getByRole("link", { name, exact: true });
  const reviews = [];
  for (let i = 0; i < RUNS; i++) {
    await nav("Trang chủ").click();
    await head.locator("section.campaign").first().waitFor();
    await head.evaluate(() => window.__nextFrame());
    reviews.push(
      await head.evaluate(async () => {
        const link = document.querySelector('nav.tabs a[href="/review"]');
        const t0 = performance.now();
        link.click();
        const handler = performance.now() - t0;
        const shown = (await window.__waitFor(() => document.querySelector('[data-testid="review-list"] li.entry'))) - t0;
        const frame = (await window.__nextFrame()) - t0;
        return { handler, shown, frame, rows: document.querySelectorAll('[data-testid="review-list"] li.entry').length };
      }),
    );
  }
  row("head: open review list, click handler", reviews.map((r) => r.handler));
  row("head: open review list → list shown", reviews.map((r) => r.shown));
  row("head: open review list → next frame", reviews.map((r) => r.frame), TARGET_REVIEW_MS);
  log(`review list draws ${reviews[0].rows} rows`);

  // 100 changed entries (a second revision by their author), answered in the server's format.
  const pulls = [];
  for (let i = 0; i < RUNS; i++) {
    const changed = seeded.records.slice(i * 100, i * 100 + 100).map((r) => {
      const h = r.heads[0];
      const at = new Date(Date.now() + 1000).toISOString();
      return { ...r, heads: [{ ...h, clock: { [h.author]: 2 + i }, at, body: { ...h.body, title: `${h.body.title}, sửa lần ${i + 1}` } }] };
    });
    const body = JSON.stringify({ records: changed, cursor: seeded.cursor, more: false });
    await head.route("**/api/sync/pull**", (route) => route.fulfill({ status: 200, contentType: "application/json", body }), { times: 1 });
    await head.evaluate(() => window.__nextFrame());
    pulls.push(
      await head.evaluate(async () => {
        performance.clearMeasures("thidua:pull-apply");
        performance.clearResourceTimings();
        const done = new Promise((resolve) => {
          const po = new PerformanceObserver((list) => {
            const m = list.getEntries().find((e) => e.name === "thidua:pull-apply");
            if (m) {
              po.disconnect();
              resolve(m);
            }
          });
          po.observe({ type: "measure" });
        });
        const button = [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === "Đồng bộ ngay");
        button.click();
        const m = await done;
        const frame = await window.__nextFrame();
        const res = performance.getEntriesByType("resource").filter((e) => e.name.includes("/api/sync/pull")).at(-1);
        const from = res?.responseEnd ?? m.startTime;
        return { apply: m.duration, applied: m.startTime + m.duration - from, frame: frame - from };
      }),
    );
  }
  row("head: pull of 100 changes, apply (thidua:pull-apply)", pulls.map((r) => r.apply));
  row("head: pull of 100 changes, response → applied", pulls.map((r) => r.applied));
  row("head: pull of 100 changes, response → next frame", pulls.map((r) => r.frame));

  console.log(
    `browser timings at ${N} entries (${seeded.total} records; Chromium headless, 360×740, CPU throttle ${THROTTLE}×, median of ${RUNS}):`,
  );
  console.log(
    `  initial pull of ${seeded.total} records after joining: officer ${oJoin.seconds.toFixed(1)} s, head ${hJoin.seconds.toFixed(1)} s; ` +
      `localStorage ${(oJoin.bytes / 1048576).toFixed(2)} MB (UTF-16), ${((oJoin.bytes / 2 / 5242880) * 100).toFixed(0)}% of Chromium's quota, ` +
      `${Math.round(oJoin.bytes / seeded.total)} bytes per record`,
  );
  console.log(`  ${"step".padEnd(56)} ${"median".padStart(10)} ${"min".padStart(10)} ${"max".padStart(10)}  target`);
  for (const r of rows) {
    const verdict = r.target == null ? "" : `≤ ${r.target} ms ${r.median <= r.target ? "MET" : "MISSED"}`;
    console.log(`  ${r.what.padEnd(56)} ${ms(r.median).padStart(10)} ${ms(r.min).padStart(10)} ${ms(r.max).padStart(10)}  ${verdict}`);
  }
} finally {
  for (const b of browsers) await b.close().catch(() => {});
  await server.stop();
  data.remove();
}

// Shared helpers for the end-to-end tests: start the real server on a free
// loopback port with a fresh data folder, and launch Debian's Chromium.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const ROOT = new URL("../..", import.meta.url).pathname;
export const SERVER_BIN = process.env.THIDUA_SERVER_BIN ?? join(ROOT, "target/debug/thidua-server");
export const E2E_DIR = process.env.THIDUA_E2E_DIR ?? join(ROOT, "target/e2e");
export const SHOTS = join(ROOT, "tests/screenshots");
export const PHONE = { width: 360, height: 740 };

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Loads the demo federation into `dataDir`, as `scripts/run` does, and returns the invite links
 * it prints for a server on `port`: `[head, officer, board]` (Cluster No. 18's head, one of its
 * officers, the federation's board).
 */
export function loadDemo(dataDir, port) {
  const out = execFileSync(SERVER_BIN, ["demo"], {
    env: { ...process.env, THIDUA_DATA_DIR: dataDir, THIDUA_PORT: String(port), THIDUA_BIND: "127.0.0.1" },
    encoding: "utf8",
  });
  const links = [...out.matchAll(/http:\/\/\S+\/join#\S+/g)].map((m) => m[0]);
  if (links.length !== 3) throw new Error(`demo printed a head, an officer and a board link:\n${out}`);
  return links;
}

/** Starts the server; resolves once it prints its URL. */
export async function startServer({ staticDir, dataDir, port, args = [] }) {
  const child = spawn(
    SERVER_BIN,
    ["serve", ...args],
    {
      env: {
        ...process.env,
        THIDUA_PORT: String(port),
        THIDUA_BIND: "127.0.0.1",
        THIDUA_DATA_DIR: dataDir,
        THIDUA_STATIC_DIR: staticDir,
        RUST_LOG: process.env.RUST_LOG ?? "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 20000);
    const onData = (chunk) => {
      out += chunk;
      if (out.includes("http://")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk) => (out += chunk));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  child.removeAllListeners("exit");
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Names of the people holding the demo's phones, in the order `startDemo` opens them. */
export const HOLDERS = ["Lê Văn Hùng", "Nguyễn Thị Lan", "Trần Văn Nam", "Phạm Thu Hà"];

/**
 * A fresh Chromium with its own profile folder. With `name`, the phone already knows its
 * holder's name (as after typing it once in Settings), so an invite link joins it at once.
 */
export async function launchBrowser(name) {
  const profile = tempDir("thidua-chromium-");
  const context = await chromium.launchPersistentContext(profile.dir, {
    executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_FLAGS,
    headless: true,
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "vi-VN",
  });
  if (name) {
    await context.addInitScript((officer_name) => {
      if (localStorage.getItem("thidua.settings") == null) {
        localStorage.setItem("thidua.settings", JSON.stringify({ lang: "vi", officer_name }));
      }
    }, name);
  }
  return {
    context,
    close: async () => {
      await context.close();
      profile.remove();
    },
  };
}

/** Waits until a service worker controls the page. */
export async function waitForServiceWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 60000 });
}

/**
 * The setup most tests share: the server on a free port with the demo cluster loaded and the
 * v1 build served, and `phones` fresh browsers. `links` are the demo's `[head, officer, board]` invite
 * links; `close()` ends the browsers and the server and removes the data folder.
 */
export async function startDemo(prefix, phones) {
  const data = tempDir(prefix);
  const port = await freePort();
  const links = loadDemo(data.dir, port);
  const server = await startServer({ staticDir: join(E2E_DIR, "v1"), dataDir: data.dir, port });
  const browsers = await Promise.all(Array.from({ length: phones }, (_, i) => launchBrowser(HOLDERS[i % HOLDERS.length])));
  return {
    server,
    links,
    browsers,
    close: async () => {
      await Promise.all(browsers.map((b) => b.close()));
      await server.stop();
      data.remove();
    },
  };
}

/** The browser's one page (a fresh browser opens with one). */
export const firstPage = async (browser) => browser.context.pages()[0] ?? (await browser.context.newPage());

/** Taps a tab of the bottom navigation bar. */
export const tab = (page, name) =>
  page.getByRole("navigation", { name: "Điều hướng" }).getByRole("link", { name, exact: true }).click();

/** A full-page screenshot in tests/screenshots. */
export const shot = (page, name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/**
 * A proxy in front of the server that counts what goes over the wire, request by request: the
 * page's and its service worker's alike, since both talk to this origin. Each row holds the
 * method, path, status, the body bytes as sent (encoded: brotli or gzip when the server
 * compressed them) and the response's Cache-Control. `idle()` resolves once no request is
 * open; `reset()` starts a new count.
 */
export async function countingProxy(target) {
  const http = await import("node:http");
  const port = await freePort();
  const agent = new http.Agent({ keepAlive: true });
  let rows = [];
  let open = 0;
  let waiters = [];
  const settle = () => {
    if (open > 0) return;
    for (const w of waiters.splice(0)) w();
  };
  const server = http.createServer((req, res) => {
    const row = { method: req.method, path: req.url, status: 0, bytes: 0, cacheControl: "", encoding: "" };
    rows.push(row);
    open++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      open--;
      settle();
    };
    res.on("close", finish);
    const up = http.request(target + req.url, { method: req.method, headers: req.headers, agent }, (answer) => {
      row.status = answer.statusCode;
      row.cacheControl = answer.headers["cache-control"] ?? "";
      row.encoding = answer.headers["content-encoding"] ?? "";
      res.writeHead(answer.statusCode, answer.headers);
      answer.on("data", (chunk) => (row.bytes += chunk.length));
      answer.pipe(res);
    });
    up.on("error", () => {
      row.status = 502;
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    rows: () => rows.slice(),
    reset: () => {
      rows = [];
    },
    /** Resolves once no request has been open for `quiet` ms (a request may follow another). */
    idle: async (quiet = 500) => {
      for (;;) {
        if (open > 0) await new Promise((resolve) => waiters.push(resolve));
        const before = rows.length;
        await new Promise((resolve) => setTimeout(resolve, quiet));
        if (open === 0 && rows.length === before) return;
      }
    },
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** The rows of a counting proxy, summed: requests and body bytes, and per path. */
export function wireTotals(rows) {
  const byPath = new Map();
  for (const r of rows) {
    const p = byPath.get(r.path) ?? { requests: 0, bytes: 0, statuses: [] };
    p.requests++;
    p.bytes += r.bytes;
    p.statuses.push(r.status);
    byPath.set(r.path, p);
  }
  return { requests: rows.length, bytes: rows.reduce((s, r) => s + r.bytes, 0), byPath };
}

/**
 * A first visit to the app in a fresh browser, through a counting proxy: opens `/`, waits for
 * the app and for the service worker to control the page (its install, which precaches the
 * app, is then over) and for the wire to fall quiet. Returns the proxy's rows and the build's
 * file list (`build.json`). With `keep`, the server, proxy and browser are returned open too.
 */
export async function firstVisit(staticDir, { keep = false } = {}) {
  const { readFileSync } = await import("node:fs");
  const data = tempDir("thidua-first-visit-");
  const port = await freePort();
  // The proxy's port stays while the server behind it may be swapped for another build.
  const visit = { data, port, server: await startServer({ staticDir, dataDir: data.dir, port }) };
  visit.proxy = await countingProxy(visit.server.url);
  visit.browser = await launchBrowser();
  visit.close = async () => {
    await visit.browser.close();
    await visit.proxy.close();
    await visit.server.stop();
    data.remove();
  };
  try {
    visit.page = await firstPage(visit.browser);
    await visit.page.goto(visit.proxy.url + "/");
    await visit.page.getByRole("heading", { name: "Thi Đua", exact: true }).waitFor({ timeout: 30000 });
    await waitForServiceWorker(visit.page);
    await visit.proxy.idle();
    visit.rows = visit.proxy.rows();
    visit.build = JSON.parse(readFileSync(join(staticDir, "build.json"), "utf8"));
    if (!keep) await visit.close();
    return visit;
  } catch (err) {
    await visit.close();
    throw err;
  }
}

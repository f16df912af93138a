// Lighthouse mobile run against the real server serving a release build.
// Prints the four category scores and the main metrics (FCP, LCP, TBT, CLS, SI, TTI);
// a report, not a gate. --metrics adds one line per metric with its exact value (scripts/bench).
// Usage: node tests/lighthouse.mjs <dist-folder> [--metrics] [--json out.json]
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { writeFileSync } from "node:fs";
import { freePort, loadDemo, startServer, tempDir } from "./e2e/harness.mjs";

const staticDir = process.argv[2] ?? "dist";
const jsonOut = process.argv.includes("--json") ? process.argv[process.argv.indexOf("--json") + 1] : null;
const detailed = process.argv.includes("--metrics");
const data = tempDir("thidua-lh-");
const port = await freePort();
// The demo cluster, so that the joined audit sees a real officer's screen.
const officerLink = loadDemo(data.dir, port)[1];
const server = await startServer({ staticDir, dataDir: data.dir, port });
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  chromeFlags: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
// Two audits: a first visit (the join screen, nothing stored or cached) and an officer's
// own home screen on a later visit (joined from the demo's invite link, data on the phone,
// the app shell served by the service worker) — the screen officers open every day.
async function audit(label, url, keepStorage) {
  const result = await lighthouse(url, {
    port: chrome.port,
    output: "json",
    logLevel: "error",
    formFactor: "mobile",
    disableStorageReset: keepStorage,
    onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
  });
  const { categories, audits } = result.lhr;
  if (process.env.THIDUA_LH_DEBUG) {
    const lcp = audits["largest-contentful-paint-element"]?.details?.items ?? [];
    console.log("LCP element:", JSON.stringify(lcp).slice(0, 1500));
    for (const id of ["long-tasks", "mainthread-work-breakdown", "bootup-time", "layout-shifts"]) {
      const items = audits[id]?.details?.items ?? [];
      console.log(id, JSON.stringify(items.slice(0, 12)).slice(0, 1500));
    }
  }
  const scores = Object.fromEntries(Object.values(categories).map((c) => [c.id, Math.round(c.score * 100)]));
  const METRICS = {
    FCP: "first-contentful-paint",
    LCP: "largest-contentful-paint",
    TBT: "total-blocking-time",
    CLS: "cumulative-layout-shift",
    SI: "speed-index",
    TTI: "interactive",
  };
  const metrics = Object.fromEntries(Object.values(METRICS).map((id) => [id, audits[id]?.displayValue]));
  console.log(`lighthouse mobile${label}:`, Object.entries(scores).map(([k, v]) => `${k} ${v}`).join(", "));
  console.log(`lighthouse metrics${label}:`, Object.entries(metrics).map(([k, v]) => `${k} ${v}`).join(", "));
  if (detailed) {
    for (const [short, id] of Object.entries(METRICS)) {
      const a = audits[id];
      const value = a?.numericValue == null ? "n/a" : id === "cumulative-layout-shift" ? a.numericValue.toFixed(3) : `${Math.round(a.numericValue)} ms`;
      const score = a?.score == null ? "" : ` (score ${Math.round(a.score * 100)})`;
      console.log(`  ${short.padEnd(4)} ${value.padStart(9)}${score}`);
    }
  }
  const failing = Object.values(audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary");
  for (const a of failing) console.log(`  not passed: ${a.id}: ${a.title}`);
  return { scores, metrics, values: Object.fromEntries(Object.entries(METRICS).map(([k, id]) => [k, audits[id]?.numericValue])) };
}

try {
  const first = await audit("", server.url + "/", false);
  // Opening the invite link joins this browser profile to the demo cluster as MEDLATEC's officer.
  await audit(" (joining)", officerLink, true);
  const home = await audit(" (officer home, joined)", server.url + "/", true);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ ...first, joined: home }, null, 2));
} finally {
  await chrome.kill();
  await server.stop();
  data.remove();
}

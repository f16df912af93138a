// Lighthouse mobile run against the real server serving a release build.
// Prints the four category scores and the main metrics; a report, not a gate.
// Usage: node tests/lighthouse.mjs <dist-folder> [--json out.json]
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { writeFileSync } from "node:fs";
import { freePort, startServer, tempDir } from "./e2e/harness.mjs";

const staticDir = process.argv[2] ?? "dist";
const jsonOut = process.argv.includes("--json") ? process.argv[process.argv.indexOf("--json") + 1] : null;
const data = tempDir("thidua-lh-");
const server = await startServer({ staticDir, dataDir: data.dir, port: await freePort() });
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
try {
  const result = await lighthouse(server.url + "/", {
    port: chrome.port,
    output: "json",
    logLevel: "error",
    formFactor: "mobile",
    onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
  });
  const { categories, audits } = result.lhr;
  const scores = Object.fromEntries(Object.values(categories).map((c) => [c.id, Math.round(c.score * 100)]));
  const metrics = Object.fromEntries(
    ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"].map(
      (id) => [id, audits[id]?.displayValue],
    ),
  );
  console.log("lighthouse mobile:", Object.entries(scores).map(([k, v]) => `${k} ${v}`).join(", "));
  console.log("lighthouse metrics:", Object.entries(metrics).map(([k, v]) => `${k} ${v}`).join(", "));
  const failing = Object.values(audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary");
  for (const a of failing) console.log(`  not passed: ${a.id}: ${a.title}`);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ scores, metrics }, null, 2));
} finally {
  await chrome.kill();
  await server.stop();
  data.remove();
}

// The board's dashboard in the browser (issue 15): headless Chromium (Debian's, driven by
// playwright-core) joins a federation of 50 clusters × 7 units × 2,000 entries (made and kept
// by server/examples/thidua-board-bench.rs --keep DIR) as a board member, against the real
// server serving a release build, and times
//   (a) the first dashboard: navigation start → every cluster's card is drawn (the server
//       computes the roll-up, the page fetches and draws it),
//   (b) a later visit: navigation start → the cards drawn from the dashboard kept on the
//       device (before any network answer is needed),
// each over several runs, with the CPU slowed as asked (an office PC or a cheap phone).
// Usage: node tests/bench/board.mjs <dist> <data dir> <board invite code> [--runs 5] [--cpu-throttle 1]
import { freePort, launchBrowser, startServer } from "../e2e/harness.mjs";

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const [dist, dataDir, code] = args;
const RUNS = opt("--runs", 5);
const THROTTLE = opt("--cpu-throttle", 1);
if (!dist || !dataDir || !code) {
  console.error("usage: node tests/bench/board.mjs <dist> <data dir> <board invite code>");
  process.exit(2);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const port = await freePort();
const server = await startServer({ staticDir: dist, dataDir, port });
const browser = await launchBrowser("Ban thi đua");
try {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  if (THROTTLE > 1) {
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLE });
  }
  await page.goto(`${server.url}/join#${code}`);
  await page.waitForFunction(() => localStorage.getItem("thidua.device") != null, null, { timeout: 60000 });
  const expected = Number(process.env.THIDUA_BENCH_CLUSTERS ?? 50);
  /** Navigation start → `expected` cluster cards in the page, in ms (the page's own clock). */
  const timeToCards = async () => {
    await page.goto(`${server.url}/board`);
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=board-cluster]").length >= n, expected, {
      timeout: 120000,
      polling: "raf",
    });
    return page.evaluate(() => performance.now());
  };
  const first = [];
  const kept = [];
  for (let i = 0; i < RUNS; i++) {
    // No dashboard on the device: fetched and drawn.
    await page.evaluate(() => localStorage.removeItem("thidua.board.dashboard"));
    first.push(await timeToCards());
    // Kept from the visit before: drawn at once.
    kept.push(await timeToCards());
  }
  const bytes = await page.evaluate(() => (localStorage.getItem("thidua.board.dashboard") ?? "").length);
  const label = THROTTLE > 1 ? `, CPU ${THROTTLE}× slower` : "";
  console.log(`board dashboard in the browser (${expected} clusters${label}, ${RUNS} runs):`);
  console.log(`  fetched and drawn: median ${median(first).toFixed(0)} ms, max ${Math.max(...first).toFixed(0)} ms`);
  console.log(`  from the kept copy: median ${median(kept).toFixed(0)} ms, max ${Math.max(...kept).toFixed(0)} ms`);
  console.log(`  kept on the device: ${bytes} characters in localStorage`);
} finally {
  await browser.close();
  await server.stop();
}

// Bytes a first visit transfers: index.html, the files it loads, the worker,
// and everything the worker precaches — gzip -9 and brotli 11, file by file.
// With --floor DIR (scripts/bench, step 1b), also the floor: the same first visit with the
// app's wasm and loader swapped for examples/size_floor.rs built alike (size_floor.js and
// size_floor_bg.wasm in DIR) — what any screen needs before it shows anything of its own.
// With --wire (step 1c), also what a real first visit sends over the wire: the build served by
// the server (THIDUA_SERVER_BIN) to a fresh headless Chromium through a counting proxy, the
// service worker's install included — requests and encoded body bytes, and whether each hashed
// file went over once (tests/e2e/first-visit.test.mjs checks the same).
// Usage: node scripts/first-visit-size.mjs [dist] [--floor DIR] [--wire]
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const floorAt = args.indexOf("--floor");
const floorDir = floorAt >= 0 ? args.splice(floorAt, 2)[1] : null;
const wireAt = args.indexOf("--wire");
const wire = wireAt >= 0 && args.splice(wireAt, 1).length > 0;
const dist = args[0] ?? "dist";
const { files } = JSON.parse(readFileSync(join(dist, "build.json"), "utf8"));
const all = [...new Set(["/index.html", "/sw.js", ...files])].sort();
const compressible = /\.(html|js|css|wasm|json|webmanifest|svg)$/;
let raw = 0, gz = 0, br = 0;
const rows = [];
for (const url of all) {
  const data = readFileSync(join(dist, url));
  const g = compressible.test(url) ? gzipSync(data, { level: 9 }).length : data.length;
  const b = compressible.test(url)
    ? brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length
    : data.length;
  raw += data.length; gz += g; br += b;
  rows.push([url, data.length, g, b]);
}
const pad = (s, n) => String(s).padStart(n);
console.log(`${"file".padEnd(44)} ${pad("raw", 9)} ${pad("gzip", 9)} ${pad("brotli", 9)}`);
for (const [url, r, g, b] of rows) console.log(`${url.padEnd(44)} ${pad(r, 9)} ${pad(g, 9)} ${pad(b, 9)}`);
console.log(`${"total".padEnd(44)} ${pad(raw, 9)} ${pad(gz, 9)} ${pad(br, 9)}`);
console.log(`first visit: ${(gz / 1024).toFixed(1)} KiB gzip, ${(br / 1024).toFixed(1)} KiB brotli (target <= 150 KB gzip)`);

if (floorDir) {
  const gzipOf = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
  const wasm = gzipOf(join(floorDir, "size_floor_bg.wasm"));
  const js = gzipOf(join(floorDir, "size_floor.js"));
  const rest = rows.filter(([url]) => !/^\/thidua-[0-9a-f]+(_bg\.wasm|\.js)$/.test(url)).reduce((sum, [, , g]) => sum + g, 0);
  const floor = wasm + js + rest;
  console.log(`size floor (examples/size_floor.rs: load, merge and save the document, one Leptos view):`);
  console.log(`  wasm ${wasm} B + loader ${js} B + the first visit's other files ${rest} B = ${floor} B gzip`);
  console.log(`floor: ${(floor / 1024).toFixed(1)} KiB gzip (target <= 150 KB gzip)`);
}

if (wire) {
  const { firstVisit, wireTotals } = await import("../tests/e2e/harness.mjs");
  const { resolve } = await import("node:path");
  const visit = await firstVisit(resolve(dist));
  const totals = wireTotals(visit.rows);
  const isHashed = (url) => /-[0-9a-f]{12,16}[._][^/]*$/.test(url);
  const hashed = visit.build.hashed ?? visit.build.files.filter(isHashed);
  console.log(`\nover the wire (Chromium, service worker install included; encoded body bytes):`);
  for (const [path, p] of totals.byPath) {
    console.log(`${path.padEnd(44)} ${pad(`${p.requests}×`, 9)} ${pad(p.bytes, 9)}   ${p.statuses.join(",")}`);
  }
  const twice = hashed.filter((u) => (totals.byPath.get(u)?.requests ?? 0) > 1);
  console.log(
    `on the wire: ${totals.requests} requests, ${totals.bytes} B = ${(totals.bytes / 1024).toFixed(1)} KiB; ` +
      (twice.length ? `downloaded more than once: ${twice.join(" ")}` : `each of the ${hashed.length} hashed files once`),
  );
}

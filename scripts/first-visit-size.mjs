// Bytes a first visit transfers: index.html, the files it loads, the worker,
// and everything the worker precaches — gzip -9 and brotli 11, file by file.
// With --floor DIR (scripts/bench, step 1b), also the floor: the same first visit with the
// app's wasm and loader swapped for examples/size_floor.rs built alike (size_floor.js and
// size_floor_bg.wasm in DIR) — what any screen needs before it shows anything of its own.
// Usage: node scripts/first-visit-size.mjs [dist] [--floor DIR]
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const floorAt = args.indexOf("--floor");
const floorDir = floorAt >= 0 ? args.splice(floorAt, 2)[1] : null;
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

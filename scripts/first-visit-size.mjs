// Bytes a first visit transfers: index.html, the files it loads, the worker,
// and everything the worker precaches — gzip -9 and brotli 11, file by file.
// Usage: node scripts/first-visit-size.mjs [dist]
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dist = process.argv[2] ?? "dist";
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

// Trunk post_build hook. Runs in the staging folder before it becomes dist/:
// 1. fills sw.js with the list of built files and a build version derived from
//    their (hashed) names and index.html, so every new build gets a new cache;
// 2. writes .gz and .br siblings of compressible files for the server.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("post-build: TRUNK_STAGING_DIR is not set (run through trunk)");
  process.exit(1);
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const urlOf = (path) => "/" + relative(staging, path).split(sep).join("/");
const files = walk(staging).filter((p) => !/\.(gz|br)$/.test(p));
const shell = files.map(urlOf).filter((u) => u !== "/sw.js").sort();

const hash = createHash("sha256");
for (const url of shell) hash.update(url + "\n");
hash.update(readFileSync(join(staging, "index.html")));
const build = hash.digest("hex").slice(0, 16);

const swPath = join(staging, "sw.js");
const sw = readFileSync(swPath, "utf8")
  .replace("__THIDUA_BUILD__", build)
  .replace('"__THIDUA_PRECACHE__"', shell.map((u) => JSON.stringify(u)).join(", "));
if (sw.includes("__THIDUA_")) {
  console.error("post-build: a placeholder in sw.js was not filled");
  process.exit(1);
}
writeFileSync(swPath, sw);
writeFileSync(join(staging, "build.json"), JSON.stringify({ build, files: shell }) + "\n");

const compressible = /\.(html|js|mjs|css|wasm|json|webmanifest|svg|txt)$/;
for (const path of walk(staging)) {
  if (!compressible.test(path)) continue;
  const data = readFileSync(path);
  if (data.length < 256) continue;
  writeFileSync(path + ".gz", gzipSync(data, { level: 9 }));
  writeFileSync(
    path + ".br",
    brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }),
  );
}
console.log(`post-build: build ${build}, ${shell.length} files precached`);

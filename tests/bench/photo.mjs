// Making a 12-megapixel photo small on the phone, in headless Chromium with its CPU slowed 4×
// (a cheap phone): the time from picking it to the file kept (the app's `thidua:photo`
// performance measure: decode, draw at 1600 px, JPEG until about 250 KB, SHA-256), and the
// photo's bytes before and after. Usage: node tests/bench/photo.mjs <dist> [--runs 3] [--cpu-throttle 4]
import { freePort, launchBrowser, loadDemo, startServer, tempDir } from "../e2e/harness.mjs";

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const dist = args[0] && !args[0].startsWith("--") ? args[0] : "dist";
const RUNS = opt("--runs", 3);
const THROTTLE = opt("--cpu-throttle", 4);

const data = tempDir("thidua-bench-photo-");
const port = await freePort();
const [, officerLink] = loadDemo(data.dir, port);
const server = await startServer({ staticDir: dist, dataDir: data.dir, port });
const phone = await launchBrowser("Nguyễn Thị Lan");
try {
  const page = phone.context.pages()[0] ?? (await phone.context.newPage());
  await page.goto(officerLink);
  await page.getByTestId("sync-state").getByText("Đã đồng bộ").waitFor({ timeout: 60000 });
  await page.goto(`${server.url}/report`);
  await page.getByRole("button", { name: "Trồng cây", exact: true }).click();
  // A 4000×3000 photo with detail everywhere (noise over gradients), as a phone camera writes it.
  const original = Buffer.from(
    await page.evaluate(async () => {
      const w = 4000, h = 3000;
      const canvas = new OffscreenCanvas(w, h);
      const ctx = canvas.getContext("2d");
      const g = ctx.createLinearGradient(0, 0, w, h);
      g.addColorStop(0, "#33691e");
      g.addColorStop(1, "#81d4fa");
      ctx.fillStyle = g;
      ctx.fillRect(0, 0, w, h);
      const img = ctx.getImageData(0, 0, w, h);
      let seed = 7;
      for (let i = 0; i < img.data.length; i += 4) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const n = (seed % 48) - 24;
        img.data[i] += n; img.data[i + 1] += n; img.data[i + 2] += n;
      }
      ctx.putImageData(img, 0, 0);
      const blob = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.92 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = "";
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    }),
    "base64",
  );
  const cdp = await phone.context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLE });
  const times = [];
  let kept = 0;
  for (let run = 0; run < RUNS; run++) {
    // The same photo each run, taken off the form in between: each run makes it small again.
    if (run > 0) {
      await page.getByTestId("file-remove").click();
      await page.getByTestId("file").waitFor({ state: "detached" });
    }
    await page.locator("#pick-file").setInputFiles([{ name: `IMG_${run}.jpg`, mimeType: "image/jpeg", buffer: original }]);
    await page.getByTestId("file").waitFor({ timeout: 120000 });
    const ms = await page.evaluate(() => {
      const all = performance.getEntriesByName("thidua:photo");
      return all[all.length - 1]?.duration;
    });
    times.push(ms);
    const sizes = await page.locator(".file-text .hint").allTextContents();
    kept = sizes[sizes.length - 1];
  }
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`photo made small on the phone (4000×3000 JPEG, CPU ${THROTTLE}× slower, ${RUNS} runs)`);
  console.log(`  time, median: ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms (runs: ${times.map((t) => t.toFixed(0)).join(", ")} ms)`);
  console.log(`  bytes before: ${original.length} B (${(original.length / 1048576).toFixed(2)} MB), after: ${kept} (longest side 1600 px)`);
} finally {
  await phone.close();
  await server.stop();
  data.remove();
}

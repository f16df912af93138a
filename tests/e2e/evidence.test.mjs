// Evidence (minh chứng), as an officer on a train and a head at the office would use it, at
// 360×740:
// - offline, two photos (one 4000×3000) and a PDF attached to a result, kept through a reload,
//   "on this phone only"; online, each received once; the head sees the thumbnails, "3 / 3",
//   and opens a photo full screen;
// - an upload cut in the middle goes on from where it stopped (the server holds the file once,
//   with the right hash);
// - bad files (a program named .jpg, damaged bytes, a file over the server's limit) are each
//   refused with their own words in Vietnamese, and nothing else the officer typed is lost;
// - a full phone says so plainly and keeps the result.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  E2E_DIR,
  HOLDERS,
  firstPage as page,
  freePort,
  launchBrowser,
  loadDemo,
  shot,
  startServer,
  tempDir,
  waitForServiceWorker,
} from "./harness.mjs";

// The server takes files of at most this many bytes here (10 MB by default), so that "over
// the limit" needs no 10 MB file.
const MAX_FILE = 1_500_000;

let data, server, head, officer, links;

before(async () => {
  data = tempDir("thidua-evidence-");
  const port = await freePort();
  links = loadDemo(data.dir, port);
  server = await startServer({
    staticDir: join(E2E_DIR, "v1"),
    dataDir: data.dir,
    port,
    args: ["--max-file-bytes", String(MAX_FILE)],
  });
  [head, officer] = await Promise.all([launchBrowser(HOLDERS[0]), launchBrowser(HOLDERS[1])]);
  const [h, o] = await Promise.all([page(head), page(officer)]);
  await Promise.all([h.goto(links[0]), o.goto(links[1])]);
  await Promise.all([h, o].map((p) => p.getByTestId("sync-state").getByText("Đã đồng bộ").waitFor({ timeout: 30000 })));
  await waitForServiceWorker(o);
});

after(async () => {
  await Promise.all([head?.close(), officer?.close()]);
  await server?.stop();
  data?.remove();
});

const go = (p, path) => p.goto(server.url + path);
const sha256 = (buffer) => createHash("sha256").update(buffer).digest("hex");

async function syncNow(p) {
  await p.getByRole("button", { name: "Đồng bộ ngay" }).click();
}

/** Taps "Đồng bộ ngay" until `target` shows: for steps that are not about live updates. */
async function syncUntil(p, target, tries = 15) {
  for (let i = 0; i < tries; i++) {
    await syncNow(p);
    try {
      await target.waitFor({ timeout: 3000 });
      return;
    } catch {
      // not there yet
    }
  }
  throw new Error("never arrived");
}

/** A photo drawn in the page's canvas (gradients and shapes, like a real photo compresses). */
async function photo(p, width, height, type = "image/jpeg") {
  const base64 = await p.evaluate(
    async ([w, h, t]) => {
      const canvas = new OffscreenCanvas(w, h);
      const ctx = canvas.getContext("2d");
      const g = ctx.createLinearGradient(0, 0, w, h);
      g.addColorStop(0, "#2e7d32");
      g.addColorStop(1, "#fdd835");
      ctx.fillStyle = g;
      ctx.fillRect(0, 0, w, h);
      for (let i = 0; i < 40; i++) {
        ctx.fillStyle = `hsl(${(i * 37) % 360} 60% 40%)`;
        ctx.beginPath();
        ctx.arc((i * 97) % w, (i * 53) % h, w / 30, 0, Math.PI * 2);
        ctx.fill();
      }
      const blob = await canvas.convertToBlob({ type: t, quality: 0.95 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = "";
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    },
    [width, height, type],
  );
  return Buffer.from(base64, "base64");
}

/** A small valid PDF, padded to `size` bytes with a comment. */
function pdf(size = 2000, seed = "") {
  const head = `%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n%${seed}\n`;
  const tail = "trailer <</Root 1 0 R>>\n%%EOF\n";
  const pad = Math.max(0, size - head.length - tail.length);
  return Buffer.concat([Buffer.from(head), Buffer.alloc(pad, "%"), Buffer.from(tail)]);
}

/** Starts a new result of `kind` titled `title` on the report screen. */
async function newResult(p, kind, title) {
  await go(p, "/report");
  await p.getByRole("button", { name: kind, exact: true }).click();
  await p.getByLabel("Tiêu đề", { exact: true }).fill(title);
}

async function save(p) {
  await p.getByRole("button", { name: "Lưu", exact: true }).click();
  await p.getByTestId("report-notice").getByText("Đã lưu trên máy").waitFor();
}

async function token(p) {
  return p.evaluate(() => JSON.parse(localStorage.getItem("thidua.device")).token);
}

/** The files the server holds whole, counted on its disk (not partial uploads). */
function filesOnDisk() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== "partial" && name !== "tmp") walk(path);
      } else if (/^[0-9a-f]{64}$/.test(name)) {
        out.push(name);
      }
    }
  };
  try {
    walk(join(data.dir, "files"));
  } catch {
    // no files yet
  }
  return out;
}

test("offline, two photos and a PDF stay with the result on the phone; online, the head sees exactly those", async () => {
  const o = await page(officer);
  const h = await page(head);
  const big = await photo(o, 4000, 3000);
  const small = await photo(o, 800, 600, "image/png");
  const record = pdf(3000, "bien-ban-nghiem-thu");
  const title = "Trồng 300 cây xanh tại KCN Lễ Môn";

  await officer.context.setOffline(true);
  await newResult(o, "Trồng cây", title);
  await o.getByLabel("Số cây", { exact: true }).fill("300");
  await o.locator("#pick-file").setInputFiles([
    { name: "IMG_4000x3000.jpg", mimeType: "image/jpeg", buffer: big },
    { name: "danh-sach.png", mimeType: "image/png", buffer: small },
    { name: "bien-ban.pdf", mimeType: "application/pdf", buffer: record },
  ]);
  const form = o.getByTestId("evidence");
  await form.getByTestId("file").nth(2).waitFor();
  assert.equal(await form.getByTestId("file").count(), 3);
  for (const status of await form.getByTestId("file-status").allTextContents()) {
    assert.equal(status, "Chỉ có trên máy này");
  }
  // The photo was made small on the phone: its size is shown, and it is far below the original.
  const sizes = await form.locator(".file-text .hint").allTextContents();
  const kb = Number(sizes[0].replace(/\D/g, ""));
  assert.ok(sizes[0].endsWith("KB") && kb <= 300, `the 4000×3000 photo was kept as ${sizes[0]} (original ${big.length} B)`);
  await shot(o, "evidence-1-attached-offline");
  await save(o);

  // A reload with no network: the result and its files are still there, on this phone only.
  await o.reload();
  await go(o, "/entries");
  const item = o.locator(".entry", { hasText: title });
  await item.getByTestId("file").nth(2).waitFor();
  assert.deepEqual(await item.getByTestId("file-status").allTextContents(), Array(3).fill("Chỉ có trên máy này"));
  await item.locator(".thumb img").first().waitFor();
  await shot(o, "evidence-2-reloaded-offline");

  // Back online: the result goes first, its files after it, each received.
  await officer.context.setOffline(false);
  await syncNow(o);
  for (let i = 0; i < 3; i++) {
    await item.getByTestId("file-status").nth(i).getByText("✓ Máy chủ đã nhận").waitFor({ timeout: 60000 });
  }
  await shot(o, "evidence-3-received");

  // The head: thumbnails under the result, all three arrived, one opened full screen.
  await go(h, "/review");
  const row = h.locator(".entry", { hasText: title });
  await syncUntil(h, row);
  await row.getByTestId("files-arrived").getByText("3 / 3 tệp đã đến").waitFor({ timeout: 30000 });
  await row.locator(".thumb img").nth(1).waitFor();
  await shot(h, "evidence-4-review");
  await row.locator(".thumb").first().click();
  const viewer = h.getByTestId("viewer");
  const image = viewer.getByTestId("viewer-image");
  await image.waitFor();
  await h.waitForFunction(() => document.querySelector("[data-testid=viewer-image]")?.naturalWidth > 0);
  const width = await image.evaluate((img) => img.naturalWidth);
  assert.equal(width, 1600, "the 4000×3000 photo is 1600 px wide on its longest side");
  await shot(h, "evidence-5-viewer");
  await viewer.getByTestId("viewer-next").click();
  await viewer.getByText("2 / 3").waitFor();
  await viewer.getByTestId("viewer-close").click();
  await viewer.waitFor({ state: "detached" });

  // Exactly those files, once each, with the right bytes.
  const headToken = await token(h);
  const entries = await (await fetch(`${server.url}/api/snapshot`, { headers: { Authorization: `Bearer ${headToken}` } })).json();
  const entry = Object.values(entries.records)
    .map((r) => r.heads[0].body)
    .find((b) => b?.type === "entry" && b.title === title);
  assert.equal(entry.files.length, 3);
  for (const file of entry.files) {
    const res = await fetch(`${server.url}/api/files/${file.hash}`, { headers: { Authorization: `Bearer ${headToken}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(sha256(bytes), file.hash);
    assert.equal(bytes.length, file.size);
  }
  const onDisk = filesOnDisk();
  for (const file of entry.files) assert.equal(onDisk.filter((f) => f === file.hash).length, 1);
});

test("an upload cut in the middle goes on from where it stopped, and the server holds the file once", async () => {
  const o = await page(officer);
  const record = pdf(700_000, "resume");
  const hash = sha256(record);
  const offsets = [];
  let cut = false;
  const files = (url) => url.pathname.startsWith("/api/files/");
  await o.route(files, async (route) => {
    const url = new URL(route.request().url());
    if (route.request().method() !== "PUT") return route.continue();
    const offset = Number(url.searchParams.get("offset"));
    offsets.push(offset);
    // The network drops during the second chunk: a third of the file is on the server.
    if (offset > 0 && !cut) {
      cut = true;
      return route.abort("connectionreset");
    }
    return route.continue();
  });
  await newResult(o, "Lớp tập huấn", "Tập huấn an toàn lao động cho 120 người");
  await o.getByLabel("Số người tham gia", { exact: true }).fill("120");
  await o.locator("#pick-file").setInputFiles([{ name: "diem-danh.pdf", mimeType: "application/pdf", buffer: record }]);
  await o.getByTestId("evidence").getByTestId("file").waitFor();
  await save(o);
  await go(o, "/entries");
  const item = o.locator(".entry", { hasText: "Tập huấn an toàn lao động" });
  // A third of it arrived before the cut, and the phone says so.
  await item.getByTestId("file-status").getByText(/^Đang gửi [1-9]\d*%$/).waitFor({ timeout: 60000 });
  assert.ok(cut, "the upload was cut");
  await shot(o, "evidence-6-cut");
  await o.unroute(files);
  await syncUntil(o, item.getByTestId("file-status").getByText("✓ Máy chủ đã nhận"));
  // It went on from the cut: no chunk was sent from the start again.
  assert.equal(offsets.filter((x) => x === 0).length, 1, `offsets sent: ${offsets}`);
  const res = await fetch(`${server.url}/api/files/${hash}`, { headers: { Authorization: `Bearer ${await token(o)}` } });
  assert.equal(res.status, 200);
  assert.equal(sha256(Buffer.from(await res.arrayBuffer())), hash);
  assert.equal(filesOnDisk().filter((f) => f === hash).length, 1);
});

test("bad files are refused each with its own words, and nothing the officer typed is lost", async () => {
  const o = await page(officer);
  const title = "Sáng kiến cải tiến dây chuyền may";

  // A program renamed .jpg: refused on the phone, the form as typed.
  await newResult(o, "Trồng cây", title);
  await o.getByLabel("Số cây", { exact: true }).fill("45");
  const program = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4000, 1)]);
  await o.locator("#pick-file").setInputFiles([{ name: "anh-trong-cay.jpg", mimeType: "image/jpeg", buffer: program }]);
  await o.getByTestId("evidence-error").getByText("không phải ảnh (JPEG, PNG, WebP) hay PDF").waitFor();
  assert.equal(await o.getByLabel("Tiêu đề", { exact: true }).inputValue(), title);
  assert.equal(await o.getByLabel("Số cây", { exact: true }).inputValue(), "45");
  assert.equal(await o.getByTestId("evidence").getByTestId("file").count(), 0);
  await shot(o, "evidence-7-not-a-photo");

  // Bytes damaged on the way (they no longer match their hash), and a file over the server's
  // limit: the result is sent, each file is refused with its reason.
  const files = (url) => url.pathname.startsWith("/api/files/");
  await o.route(files, async (route) => {
    const request = route.request();
    const damaged = request.url().includes(sha256(pdf(5000, "hong")));
    if (request.method() === "PUT" && damaged) {
      const body = Buffer.from(request.postDataBuffer());
      body[body.length - 20] ^= 0xff;
      return route.continue({ postData: body });
    }
    return route.continue();
  });
  await o.locator("#pick-file").setInputFiles([
    { name: "hong.pdf", mimeType: "application/pdf", buffer: pdf(5000, "hong") },
    { name: "qua-lon.pdf", mimeType: "application/pdf", buffer: pdf(MAX_FILE + 100_000, "lon") },
  ]);
  await o.getByTestId("evidence").getByTestId("file").nth(1).waitFor();
  await save(o);
  await go(o, "/entries");
  const item = o.locator(".entry", { hasText: title });
  await syncUntil(o, item.locator(".file.refused").nth(1));
  const statuses = await item.getByTestId("file-status").allTextContents();
  assert.match(statuses[0], /^⚠ Bị từ chối: nội dung tệp bị hỏng/);
  assert.match(statuses[1], /^⚠ Bị từ chối: tệp lớn hơn mức máy chủ cho phép/);
  await shot(o, "evidence-8-refused");
  await o.unroute(files);
});

test("a full phone says so plainly while adding a photo, and keeps the result", async () => {
  const o = await page(officer);
  const title = "Ủng hộ Quỹ Vì người nghèo";
  await newResult(o, "Trồng cây", title);
  await o.getByLabel("Số cây", { exact: true }).fill("12");
  // IndexedDB refuses to write, as a full phone's does.
  await o.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      if (this.name === "blobs") throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      return put.apply(this, args);
    };
  });
  await o.locator("#take-photo").setInputFiles([{ name: "anh.jpg", mimeType: "image/jpeg", buffer: await photo(o, 640, 480) }]);
  await o.getByTestId("evidence-error").getByText("Bộ nhớ của máy đã đầy").waitFor();
  assert.equal(await o.getByLabel("Tiêu đề", { exact: true }).inputValue(), title);
  await shot(o, "evidence-9-phone-full");
  await save(o);
  await go(o, "/entries");
  await o.locator(".entry", { hasText: title }).waitFor();
});

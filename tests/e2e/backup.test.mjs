// A phone's backup, end to end: results saved offline and a draft are listed in
// "My entries" (the draft as "Nháp"); leaving warns of exactly what only this phone
// holds; the backup file carries no sign-in token, so a new phone joins with the invite link
// first; restored there, it brings them back, and the results it never sent reach the
// server once.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { firstPage as page, shot, startDemo, tab, tempDir } from "./harness.mjs";

let demo, files, server, phone, newPhone, officerLink;

before(async () => {
  files = tempDir("thidua-backup-files-");
  demo = await startDemo("thidua-backup-", 2);
  ({ server } = demo);
  officerLink = demo.links[1];
  [phone, newPhone] = demo.browsers;
});

after(async () => {
  await demo?.close();
  files?.remove();
});

const RESULTS = [
  { kind: "Trồng cây", label: "Số cây", title: "Trồng 50 cây keo ven kênh Bắc", amount: "50" },
  { kind: "Lớp tập huấn", label: "Số người tham gia", title: "Tập huấn phòng cháy chữa cháy", amount: "40" },
];
const DRAFT = "Sáng kiến sổ tay điện tử (chưa xong)";

async function titlesOnServer(p) {
  const token = await p.evaluate(() => JSON.parse(localStorage.getItem("thidua.device")).token);
  const doc = await (await fetch(`${server.url}/api/snapshot`, { headers: { Authorization: `Bearer ${token}` } })).json();
  return Object.values(doc.records).map((r) => r.heads[0].body?.title).filter(Boolean);
}

test("a backup made offline restores on a new phone, and what it held reaches the server once", async () => {
  const o = await page(phone);
  await o.goto(officerLink);
  await o.getByText("Đã đồng bộ").waitFor();
  await phone.context.setOffline(true);

  // Two results and one draft, with no signal.
  await tab(o, "Báo cáo");
  for (const r of RESULTS) {
    await o.getByRole("button", { name: r.kind, exact: true }).click();
    await o.getByLabel("Tiêu đề").fill(r.title);
    await o.getByLabel(r.label).fill(r.amount);
    await o.getByRole("button", { name: "Lưu", exact: true }).click();
    await o.getByTestId("report-notice").getByText("Đã lưu trên máy").waitFor();
  }
  await o.getByRole("button", { name: "Sáng kiến, cải tiến kỹ thuật", exact: true }).click();
  await o.getByLabel("Tiêu đề").fill(DRAFT);
  // A minus sign is not a figure: said at once, next to the field.
  await o.getByLabel("Giá trị (₫)").fill("-5000000");
  await o.locator("#entry-amount-error").getByText("Không được là số âm.").waitFor();
  await o.getByLabel("Giá trị (₫)").fill("5000000");
  assert.equal(await o.locator("#entry-amount-error").textContent(), "");
  await o.getByRole("button", { name: "Lưu nháp" }).click();
  await o.getByTestId("drafts").getByText(DRAFT).waitFor();

  // "My entries" lists the draft first, as a draft, with its own filter.
  await tab(o, "Kết quả");
  const draftRow = o.getByTestId("draft-entries").locator(".entry", { hasText: DRAFT });
  assert.equal(await draftRow.getByTestId("status").textContent(), "Nháp");
  for (const r of RESULTS) {
    assert.equal(await o.locator(".entry", { hasText: r.title }).getByTestId("status").textContent(), "Chờ gửi");
  }
  await o.getByRole("button", { name: /^Nháp \(1\)$/ }).click();
  assert.equal(await o.locator(".entry").count(), 1);
  await shot(o, "officer-entries-drafts-vi");
  await draftRow.getByRole("button", { name: "Mở" }).click();
  assert.equal(await o.getByLabel("Tiêu đề").inputValue(), DRAFT);
  assert.equal(await o.getByLabel("Giá trị (₫)").inputValue(), "5000000");

  // The backup file, made offline.
  await tab(o, "Cài đặt");
  const [download] = await Promise.all([
    o.waitForEvent("download"),
    o.getByRole("button", { name: "Tải tệp sao lưu" }).click(),
  ]);
  const file = join(files.dir, "thidua-backup.json");
  await download.saveAs(file);
  const token = await o.evaluate(() => JSON.parse(localStorage.getItem("thidua.device")).token);
  assert.ok(!readFileSync(file, "utf8").includes(token), "the backup holds no sign-in token");

  // Leaving warns of what exists only here; declining keeps everything.
  let warning = "";
  o.once("dialog", async (d) => {
    warning = d.message();
    await d.dismiss();
  });
  await o.getByRole("button", { name: "Rời cụm trên máy này" }).click();
  assert.match(warning, /2 thay đổi chưa đồng bộ và 1 bản nháp/);
  assert.match(warning, /sao lưu/);
  await o.getByTestId("who").waitFor();

  // A new phone, never joined, is told to join first: the file cannot sign it in.
  const n = await page(newPhone);
  await n.goto(server.url + "/settings");
  await n.locator("#backup-file").setInputFiles(file);
  await n.getByTestId("backup-message").getByText(/chưa tham gia cụm/).waitFor();
  // Joined with the invite link, it takes the backup: the results and the draft.
  await n.goto(officerLink);
  await n.getByTestId("sync-state").getByText("Đã đồng bộ").waitFor({ timeout: 30000 });
  await tab(n, "Cài đặt");
  await n.locator("#backup-file").setInputFiles(file);
  await n.getByTestId("backup-message").getByText(/Đã nhập/).waitFor().catch(async (e) => {
    await shot(n, "debug-restore");
    throw new Error(`restore said: ${await n.getByTestId("backup-message").textContent()} ${e}`);
  });
  await n.getByTestId("who").waitFor();
  await n.getByTestId("sync-state").getByText("Đã đồng bộ").waitFor({ timeout: 30000 });
  await tab(n, "Kết quả");
  for (const r of RESULTS) await n.locator(".entry", { hasText: r.title }).first().waitFor();
  await n.getByTestId("draft-entries").getByText(DRAFT).waitFor();
  await shot(n, "officer-restored-vi");
  let onServer = await titlesOnServer(n);
  for (const r of RESULTS) assert.equal(onServer.filter((t) => t === r.title).length, 1, r.title);

  // The first phone comes back online and sends the same results: still once each.
  await phone.context.setOffline(false);
  await o.getByTestId("sync-state").getByText("Đã đồng bộ").waitFor({ timeout: 30000 });
  onServer = await titlesOnServer(o);
  for (const r of RESULTS) assert.equal(onServer.filter((t) => t === r.title).length, 1, r.title);
  assert.ok(!onServer.includes(DRAFT), "a draft stays on the phone");
});

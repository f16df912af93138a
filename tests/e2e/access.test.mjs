// Who may come in, as the cluster head manages it from a phone: a link for one person is
// made, copied and used once; a second use is refused in words that say why. The head
// removes an officer's phone while it is open: the phone says so in seconds without a tap,
// the link it joined with is withdrawn with it (so the same person cannot walk straight back
// in), and the unit gets a fresh link to hand to whoever takes over.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SHOTS, firstPage as page, launchBrowser, shot, startDemo } from "./harness.mjs";

let demo, server, head, officer, links;

before(async () => {
  demo = await startDemo("thidua-access-", 2);
  ({ server, links } = demo);
  [head, officer] = demo.browsers;
});

after(async () => {
  await demo?.close();
});

const go = (p, path) => p.goto(server.url + path);

test("a one-use link, copied and used once; a removed phone is out, and so is its link", async () => {
  const [headLink, officerLink] = links;
  const h = await page(head);
  const o = await page(officer);
  await Promise.all([h.goto(headLink), o.goto(officerLink)]);
  await Promise.all([h, o].map((p) => p.getByTestId("sync-state").getByText("Đã đồng bộ").waitFor({ timeout: 30000 })));
  await head.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });

  // A link for one person of Cấp nước, copied for Zalo.
  await go(h, "/cluster");
  await h.getByLabel("Đơn vị", { exact: true }).selectOption({ label: "Công ty CP Cấp nước Thanh Hóa" });
  await h.getByLabel("Số lần dùng tối đa").fill("1");
  await h.getByRole("button", { name: "Tạo link mời" }).click();
  const card = h.getByTestId("invite");
  await card.waitFor();
  const link = await card.getByTestId("invite-link").getAttribute("href");
  await card.getByTestId("copy-link").click();
  await card.getByTestId("copy-notice").getByText(/Đã sao chép liên kết/).waitFor();
  assert.equal(await h.evaluate(() => navigator.clipboard.readText()), link);
  assert.match(await card.textContent(), /tối đa 1/);
  // What the head's phone shows (the fixed navigation bar makes a full-page shot misleading).
  await card.evaluate((el) => el.scrollIntoView({ block: "start" }));
  await h.screenshot({ path: `${SHOTS}/access-link-made-vi.png` });

  // Used once; the second phone is told the link is used up.
  for (const [i, expected] of [[0, null], [1, /đã được dùng đủ số lần/]]) {
    const phone = await launchBrowser(`Người dùng thử ${i}`);
    try {
      const p = await page(phone);
      await p.goto(link);
      if (expected) {
        await p.locator("#join-error").getByText(expected).waitFor();
        await shot(p, "access-link-used-up-vi");
      } else {
        await p.getByTestId("joined").waitFor({ timeout: 30000 });
      }
    } finally {
      await phone.close();
    }
  }
  // The list says so.
  await h.getByRole("button", { name: "Xem danh sách thiết bị" }).click();
  const capNuoc = h.getByTestId("links").locator(".entry", { hasText: "Công ty CP Cấp nước Thanh Hóa" }).first();
  await capNuoc.getByText("Đã dùng hết lượt").waitFor();
  assert.match(await capNuoc.textContent(), /đã dùng 1 \/ 1/);

  // The head removes MEDLATEC's officer phone, which is open on its home screen, together
  // with the link it joined with, and makes a fresh link for the unit.
  await go(o, "/");
  const phone = h.getByTestId("devices").locator(".entry", { hasText: "Nguyễn Thị Lan" });
  await phone.waitFor();
  assert.match(await phone.textContent(), /tham gia bằng liên kết tạo ngày/);
  await phone.getByRole("button", { name: "Thu hồi thiết bị" }).click();
  const panel = phone.getByTestId("remove-panel");
  assert.equal(await panel.getByTestId("also-withdraw").isChecked(), true, "a usable link goes with it by default");
  await panel.getByTestId("also-replace").check();
  await panel.evaluate((el) => el.scrollIntoView({ block: "center" }));
  await h.screenshot({ path: `${SHOTS}/access-remove-panel-vi.png` });
  await panel.getByRole("button", { name: "Xác nhận thu hồi" }).click();
  await h.getByText("Đã thu hồi thiết bị và liên kết mời nó đã dùng.").waitFor();
  await phone.getByText("Đã thu hồi").waitFor();
  // The fresh link for MEDLATEC is shown to hand over.
  await h.getByTestId("invite").getByText("Công ty TNHH MEDLATEC Thanh Hóa").waitFor();
  const fresh = await h.getByTestId("invite-link").getAttribute("href");
  assert.notEqual(fresh, officerLink);

  // The open phone learns it was removed by itself, and keeps what it holds.
  await o.getByTestId("sync-state").getByText(/không còn quyền đồng bộ/).waitFor({ timeout: 30000 });
  await shot(o, "access-removed-phone-vi");

  // The old link no longer joins anyone; the fresh one does.
  const again = await launchBrowser("Nguyễn Thị Lan");
  try {
    const p = await page(again);
    await p.goto(officerLink);
    await p.locator("#join-error").getByText(/đã bị trưởng cụm thu hồi/).waitFor();
    await p.goto("about:blank");
    await p.goto(fresh);
    await p.getByTestId("sync-state").getByText("Đã đồng bộ").waitFor({ timeout: 30000 });
  } finally {
    await again.close();
  }
});

// The head's read-only screens as a real campaign meets them. The scoreboard marks the
// device's own unit in words, not colour alone. The printed summary is an official document —
// national heading, the cluster, place and date, the head's signature block — on A4, from
// today's figures or from a frozen review session. And names, titles and reasons that look
// like markup are shown as text on the scoreboard, the summary and the paper.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { SHOTS, firstPage, shot, startDemo } from "./harness.mjs";

let demo, h, o;
const pageErrors = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  demo = await startDemo("thidua-print-", 2);
  h = await firstPage(demo.browsers[0]);
  o = await firstPage(demo.browsers[1]);
  for (const p of [h, o]) p.on("pageerror", (err) => pageErrors.push(String(err)));
  await Promise.all([h.goto(demo.links[0]), o.goto(demo.links[1])]);
  await Promise.all([h, o].map(joined));
});

after(async () => {
  await demo?.close();
});

const joined = (p) => p.waitForFunction(() => localStorage.getItem("thidua.device") != null, null, { timeout: 30000 });
const go = (p, path) => p.goto(demo.server.url + path);
const flat = (t) => t.replace(/\s+/g, " ").trim();
const HEAD_UNIT = "Công đoàn Công ty TNHH MTV Lam Sơn - Thanh Hóa";
const OFFICER_UNIT = "Công ty TNHH MEDLATEC Thanh Hóa";

/** "Thanh Hóa, ngày 05 tháng 7 năm 2024": the day below 10 and months 1–2 with a zero. */
function viDate(place, d) {
  if (typeof d === "string") {
    const [day, month, year] = d.split("/").map(Number);
    d = new Date(year, month - 1, day);
  }
  const month = d.getMonth() + 1;
  return `${place}, ngày ${String(d.getDate()).padStart(2, "0")} tháng ${month <= 2 ? "0" + month : month} năm ${d.getFullYear()}`;
}

/** Prints the page on A4, returns the text on paper; page 1 drawn as `name-1.png`. */
function printed(pdf, name) {
  const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
  assert.match(info, /^Page size:.*\(A4\)/m);
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  const pageImage = new RegExp(`^${name}-\\d+\\.png$`);
  for (const old of readdirSync(SHOTS).filter((f) => pageImage.test(f))) rmSync(join(SHOTS, old));
  execFileSync("pdftoppm", ["-png", "-r", "70", "-f", "1", "-l", String(Math.min(pages, 3)), pdf, join(SHOTS, name)]);
  return { pages, text: flat(execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"], { encoding: "utf8" })) };
}

test("the scoreboard marks the device's own unit with a tag", async () => {
  for (const [p, unit, name] of [
    [o, OFFICER_UNIT, "officer"],
    [h, HEAD_UNIT, "head"],
  ]) {
    await go(p, "/scoreboard");
    const chart = p.getByTestId("score-chart");
    await chart.waitFor();
    const own = chart.locator("li", { has: p.getByTestId("own-unit") });
    assert.equal(await own.count(), 1, `one unit of ${name}'s is marked`);
    assert.match(await own.textContent(), new RegExp(unit.replace(/[-.]/g, "\\$&")));
    assert.match(await own.getByTestId("own-unit").textContent(), /^Đơn vị của bạn$/);
    // Its criteria are open, with the tag too.
    const details = p.locator("details.unit-score", { has: p.getByTestId("own-unit") });
    assert.equal(await details.count(), 1);
    assert.equal(await details.getAttribute("open"), "");
    assert.match(await details.locator("summary").textContent(), new RegExp(unit.replace(/[-.]/g, "\\$&")));
    // Its rank and points above the chart, in words.
    const rank = (await own.locator(".lbl").textContent()).match(/^(\d+)\./)[1];
    assert.match(await p.getByTestId("own-rank").textContent(), new RegExp(`^Đơn vị của bạn: Hạng ${rank} · [\\d,]+ điểm$`));
    await p.getByTestId("own-rank").scrollIntoViewIfNeeded();
    await p.screenshot({ path: join(SHOTS, `print-scoreboard-top-${name}-vi.png`) });
    await own.scrollIntoViewIfNeeded();
    await p.screenshot({ path: join(SHOTS, `print-scoreboard-own-${name}-vi.png`) });
  }
  await h.getByRole("button", { name: "English" }).click();
  await h.getByTestId("own-unit").first().getByText("Your unit").waitFor();
  await h.getByRole("button", { name: "Tiếng Việt" }).click();
  assert.deepEqual(pageErrors, []);
});

/** Reads `locator`'s text and checks it is `make(day)` for the device's today (read around it,
 * so a run over midnight still passes). */
async function isToday(locator, make) {
  const before = new Date();
  const text = await locator.textContent();
  const after = new Date();
  assert.ok([make(before), make(after)].includes(text), `${text} is dated today (${make(before)})`);
  return text;
}

test("the printed summary is an official document, from today's figures or a frozen session", async () => {
  // A 6-month review frozen today, then one more result approved: the session keeps its figures.
  await go(h, "/scoreboard");
  await h.getByTestId("score-chart").waitFor();
  await h.getByRole("button", { name: "Chốt điểm" }).click();
  await h.getByTestId("frozen").getByText(/Sơ kết 6 tháng/).waitFor();
  // The session's label and day as the app shows them: "Sơ kết 6 tháng dd/mm/yyyy".
  const sessionLabel = (await h.getByRole("button", { name: /^Sơ kết 6 tháng \d\d\/\d\d\/\d{4}$/ }).textContent()).trim();
  const sessionDay = sessionLabel.slice(-10);
  await go(h, "/review");
  const first = h.locator('[data-testid="review-list"] > .entry').first();
  await first.waitFor();
  const title = await first.locator(".entry-title").first().textContent();
  const waiting = h.locator('[data-testid="review-list"] > .entry', { hasText: title });
  await waiting.getByRole("button", { name: "Duyệt", exact: true }).click();
  await waiting.waitFor({ state: "detached" });

  await go(h, "/summary");
  const doc = h.getByTestId("summary");
  await h.getByTestId("summary-line").waitFor();
  const text = async () => flat(await doc.innerText());
  // The national heading, the cluster, the place (from the forming authority) and today's date.
  let t = await text();
  assert.ok(t.startsWith("CỤM THI ĐUA SỐ 18 TỈNH THANH HÓA CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập – Tự do – Hạnh phúc"), t);
  await isToday(h.getByTestId("doc-date"), (d) => viDate("Thanh Hóa", d));
  assert.match(t, /BÁO CÁO Đợt thi đua cao điểm 95 ngày [^·]*Cụm thi đua số 18 tỉnh Thanh Hóa · \d\d\/\d\d\/\d{4} – /);
  // The head unit signs; the name is typed (or left for the pen).
  const sign = h.getByTestId("doc-sign");
  assert.equal(flat(await sign.innerText()), `TRƯỞNG CỤM ${HEAD_UNIT} (Ký, ghi rõ họ tên)`);
  await h.getByLabel("Họ và tên người ký").fill("Phan Quốc Tùng");
  await sign.getByText("Phan Quốc Tùng").waitFor();
  const liveLine = flat(await h.getByTestId("summary-line").textContent());

  // The frozen session: its title, its day, its figures.
  const figures = h.getByLabel("Số liệu", { exact: true });
  await figures.selectOption({ label: sessionLabel });
  await h.getByTestId("doc-title").getByText("Sơ kết 6 tháng – Đợt thi đua cao điểm 95 ngày").waitFor();
  t = await text();
  assert.ok(t.includes(`Số liệu chốt ngày ${sessionDay}`), t);
  // A frozen session is dated its day.
  assert.equal(await h.getByTestId("doc-date").textContent(), viDate("Thanh Hóa", sessionDay));
  // The place can be typed instead.
  await h.getByLabel("Địa danh ghi trước ngày tháng").fill("TP. Thanh Hóa");
  assert.equal(await h.getByTestId("doc-date").textContent(), viDate("TP. Thanh Hóa", sessionDay));
  await h.getByLabel("Địa danh ghi trước ngày tháng").fill("Thanh Hóa");
  await shot(h, "print-summary-session-vi");
  // The document's head as a phone shows it.
  await doc.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 12));
  await h.screenshot({ path: join(SHOTS, "print-summary-doc-vi.png") });

  const pdf = join(SHOTS, "print-summary-session.pdf");
  await h.pdf({ path: pdf, format: "A4", printBackground: true });
  const paper = printed(pdf, "print-summary-session");
  assert.ok(paper.pages >= 1 && paper.pages <= 4, `a few A4 pages, not ${paper.pages}`);
  for (const want of [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập – Tự do – Hạnh phúc",
    viDate("Thanh Hóa", sessionDay),
    "BÁO CÁO",
    "Sơ kết 6 tháng – Đợt thi đua cao điểm 95 ngày",
    "TRƯỞNG CỤM",
    HEAD_UNIT,
    "(Ký, ghi rõ họ tên)",
    "Phan Quốc Tùng",
  ]) {
    assert.ok(paper.text.includes(want), `"${want}" is printed:\n${paper.text}`);
  }
  // Nothing of the screen's controls is on paper.
  assert.ok(!paper.text.includes("Họ và tên người ký") && !paper.text.includes("In (A4)"), paper.text);
  // Back to today's figures: the result approved after the freeze is in them.
  await figures.selectOption({ label: "Hiện tại" });
  await h.waitForFunction(() => document.querySelector('[data-testid="doc-title"]')?.textContent.startsWith("Đợt thi đua"));
  assert.equal(flat(await h.getByTestId("summary-line").textContent()), liveLine);

  // In English the document is rendered as an official translation renders it.
  await h.getByRole("button", { name: "English" }).click();
  await h.getByText("SOCIALIST REPUBLIC OF VIET NAM").waitFor();
  t = await text();
  assert.ok(t.includes("Independence – Freedom – Happiness"), t);
  const enDate = (d) => `Thanh Hóa, ${d.getDate()} ${d.toLocaleString("en-GB", { month: "long" })} ${d.getFullYear()}`;
  await isToday(h.getByTestId("doc-date"), enDate);
  assert.match(flat(await sign.innerText()), /^HEAD OF THE CLUSTER .* \(Signature and full name\) Phan Quốc Tùng$/);
  await shot(h, "print-summary-en");
  await h.pdf({ path: join(SHOTS, "print-summary-en.pdf"), format: "A4", printBackground: true });
  printed(join(SHOTS, "print-summary-en.pdf"), "print-summary-en");
  await h.getByRole("button", { name: "Tiếng Việt" }).click();
  assert.deepEqual(pageErrors, []);
});

// Text that a browser would run if it became markup.
const IMG = `<img src=x onerror="window.__xss='img'">`;
const SCRIPT = `"><script>window.__xss='script'</script>`;
const UNIT = `Đơn vị ${IMG} thử`;
const TITLE = `Đợt thi đua ${SCRIPT} cao điểm`;
const NOMINEE = `Nguyễn ${IMG} Văn A`;
const PERSON = `Trần ${SCRIPT} Thị B`;
const REASON = `Lý do ${IMG}${SCRIPT} cuối`;

test("names, titles, nominees and reasons that look like markup show as text", async () => {
  // A unit and a campaign title.
  await go(h, "/cluster");
  await h.getByLabel("Tên đơn vị").fill(UNIT);
  await h.locator("form", { has: h.getByLabel("Tên đơn vị") }).getByRole("button", { name: "Lưu" }).click();
  await h.getByTestId("units").getByText(UNIT).waitFor();
  await go(h, "/campaigns");
  await h.getByTestId("campaigns").locator(".entry", { hasText: "Đợt thi đua cao điểm 95 ngày" }).getByRole("button", { name: "Sửa" }).click();
  await h.getByLabel("Tên phong trào").fill(TITLE);
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  await h.getByTestId("head-notice").getByText("Đã lưu trên máy").waitFor();
  // An advanced example with a nominee, approved.
  await go(h, "/report");
  await h.getByRole("button", { name: /^Điển hình tiên tiến/ }).click();
  await h.getByLabel("Tiêu đề", { exact: true }).fill(`Gương sáng ${IMG}`);
  await h.getByLabel("Người / tập thể điển hình").fill(NOMINEE);
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  await h.getByTestId("report-notice").getByText("Đã lưu trên máy").waitFor();
  await go(h, "/review");
  const mine = h.locator(".entry", { hasText: NOMINEE }).or(h.locator(".entry", { hasText: "Gương sáng" })).first();
  await mine.getByRole("button", { name: "Duyệt", exact: true }).click();
  await mine.waitFor({ state: "detached" });
  // Award proposals: an individual with a reason, and the new unit.
  await go(h, "/awards");
  await h.getByRole("button", { name: "Đề nghị khen thưởng mới" }).click();
  await h.getByLabel("Hình thức khen thưởng").selectOption({ label: "Chiến sĩ thi đua" });
  await h.getByLabel("Đề nghị cho").selectOption({ label: "Cá nhân" });
  await h.getByLabel("Đơn vị", { exact: true }).selectOption({ label: UNIT });
  await h.getByLabel("Họ và tên").fill(PERSON);
  await h.getByLabel("Thành tích, lý do đề nghị").fill(REASON);
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  await h.getByTestId("awards").getByText(`Chiến sĩ thi đua: ${PERSON}`).waitFor();
  await h.getByRole("button", { name: "Đề nghị khen thưởng mới" }).click();
  await h.getByLabel("Hình thức khen thưởng").selectOption({ label: "Giấy khen" });
  await h.getByLabel("Đơn vị", { exact: true }).selectOption({ label: UNIT });
  await h.getByLabel("Thành tích, lý do đề nghị").fill(REASON);
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  await h.getByTestId("awards").getByText(`Giấy khen: ${UNIT}`).waitFor();

  const noMarkup = async (root, where) => {
    assert.equal(await root.locator("img, script").count(), 0, `${where}: no element made of the text`);
    assert.equal(await h.evaluate(() => window.__xss ?? null), null, `${where}: nothing ran`);
    // Long words without spaces wrap: the phone's page does not get wider than the phone.
    // (A phone's layout viewport grows to fit wide content: compare with the screen.)
    const [wide, phone] = await h.evaluate(() => [document.documentElement.scrollWidth, screen.width]);
    assert.ok(wide <= phone, `${where}: the page is ${wide} px wide on a ${phone} px phone`);
  };
  // The scoreboard.
  await go(h, "/scoreboard");
  const chart = h.getByTestId("score-chart");
  await chart.getByText(UNIT, { exact: false }).waitFor();
  const board = h.locator("main");
  await noMarkup(board, "scoreboard");
  assert.ok((await board.innerText()).includes(UNIT), "the unit's name as typed");
  await chart.getByText(UNIT, { exact: false }).scrollIntoViewIfNeeded();
  await h.screenshot({ path: join(SHOTS, "print-xss-scoreboard-vi.png") });

  // The summary, on screen and on paper.
  await go(h, "/summary");
  const doc = h.getByTestId("summary");
  await h.getByTestId("summary-line").waitFor();
  await doc.getByText(PERSON, { exact: false }).waitFor();
  await noMarkup(doc, "summary");
  const shown = await doc.innerText();
  for (const s of [UNIT, TITLE, NOMINEE, PERSON, REASON]) assert.ok(shown.includes(s), `"${s}" as text in:\n${shown}`);
  await h.getByTestId("doc-title").scrollIntoViewIfNeeded();
  await h.screenshot({ path: join(SHOTS, "print-xss-summary-vi.png") });
  const pdf = join(SHOTS, "print-xss.pdf");
  await h.pdf({ path: pdf, format: "A4", printBackground: true });
  await noMarkup(doc, "print view");
  const paper = printed(pdf, "print-xss");
  for (const s of [UNIT, TITLE, PERSON]) assert.ok(paper.text.includes(flat(s)), `"${s}" printed as text:\n${paper.text}`);

  // A result returned with such a reason, and a draft with such a title.
  await go(h, "/report");
  await h.getByRole("button", { name: "Trồng cây", exact: true }).click();
  await h.getByLabel("Tiêu đề", { exact: true }).fill(`Trồng cây ${SCRIPT}`);
  await h.getByLabel("Số cây", { exact: true }).fill("12");
  await h.getByRole("button", { name: "Lưu", exact: true }).click();
  await h.getByTestId("report-notice").getByText("Đã lưu trên máy").waitFor();
  await h.getByRole("button", { name: "Trồng cây", exact: true }).click();
  await h.getByLabel("Tiêu đề", { exact: true }).fill(`Nháp ${IMG}`);
  await h.getByRole("button", { name: "Lưu nháp" }).click();
  await h.getByTestId("drafts").getByText(`Nháp ${IMG}`).waitFor();
  await go(h, "/review");
  const tree = h.locator(".entry", { hasText: "Trồng cây" }).filter({ hasText: "<script>" }).first();
  await tree.getByRole("button", { name: "Trả lại", exact: true }).click();
  await tree.getByLabel("Lý do trả lại").fill(REASON);
  await tree.getByRole("button", { name: "Gửi trả lại" }).click();
  await tree.waitFor({ state: "detached" });
  // Every screen shows it all as text, and runs nothing.
  for (const path of ["/", "/review", "/entries", "/awards", "/campaigns", "/cluster", "/report", "/pledge", "/scoreboard", "/summary", "/settings"]) {
    await go(h, path);
    await h.locator("main section h2").first().waitFor();
    if (path === "/review") {
      await h.getByLabel("Trạng thái").selectOption({ label: "Mọi trạng thái" });
      await h.getByText(REASON).first().waitFor();
    }
    if (path === "/entries") await h.getByText(REASON).first().waitFor();
    await noMarkup(h.locator("main"), path);
  }
  assert.deepEqual(pageErrors, []);
});

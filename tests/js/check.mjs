// Checks a kohyo page in Debian's chromium (playwright-core, no browser download):
// axe-core with the WCAG 2.2 AA and best-practice rules in light and dark colour schemes, and
// the layout checks of WCAG 1.4.4 (200 % text), 1.4.10 (reflow at 320 CSS px) and 1.4.12 (text
// spacing). Prints one JSON object on stdout; tests/html.rs judges it.
//
//   node tests/js/check.mjs PAGE.html [--screenshots DIR]
//
// With --screenshots, also writes desktop and phone PNGs of the page to DIR.

import { launch } from "./browser.mjs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const SPACING = `
  * { line-height: 1.5 !important; letter-spacing: 0.12em !important;
      word-spacing: 0.16em !important; }
  p, li, dd, dt { margin-bottom: 2em !important; }
  html { font-size: 200% !important; }
`;

const args = process.argv.slice(2);
const page_path = args[0];
const shots = args.includes("--screenshots") ? args[args.indexOf("--screenshots") + 1] : null;
if (!page_path) {
  console.error("usage: node check.mjs PAGE.html [--screenshots DIR]");
  process.exit(2);
}
const url = pathToFileURL(path.resolve(page_path)).href;

const browser = await launch();

// Every request the page makes other than the page itself: there must be none.
const requests = [];

async function open(viewport, colorScheme = "light") {
  const context = await browser.newContext({ viewport, colorScheme, javaScriptEnabled: true });
  const page = await context.newPage();
  page.on("request", (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: "load" });
  return { context, page };
}

async function axe(colorScheme) {
  const { context, page } = await open({ width: 1280, height: 900 }, colorScheme);
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
  await context.close();
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, summary: n.failureSummary })),
  }));
}

// What overflows: the page itself scrolling sideways, text cut off by a clipping box, and text
// sticking out of the viewport, outside the table regions (which scroll by design).
function measure() {
  const root = document.documentElement;
  const inRegion = (el) => el.closest(".scroll") !== null;
  const clipped = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (inRegion(el) && !el.classList.contains("scroll")) continue;
    const cs = getComputedStyle(el);
    if (cs.display === "none" || el.classList.contains("skip-link")) continue;
    const clips = (v) => v === "hidden" || v === "clip";
    if ((clips(cs.overflowX) && el.scrollWidth > el.clientWidth + 1) ||
        (clips(cs.overflowY) && el.scrollHeight > el.clientHeight + 1)) {
      clipped.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : ""));
    }
  }
  const outside = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const width = root.clientWidth;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    // Table cells may scroll out of view inside their region; captions must not.
    if (!el || (inRegion(el) && !el.closest("caption")) || el.closest(".skip-link")) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && (r.right > width + 1 || r.left < -1)) {
        outside.push(node.textContent.trim().slice(0, 40));
        break;
      }
    }
  }
  const regions = [...document.querySelectorAll(".scroll")].map((r) => ({
    scrolls: r.scrollWidth > r.clientWidth,
    focusable: r.tabIndex === 0,
  }));
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: root.clientWidth,
    clipped,
    outside: outside.slice(0, 10),
    regions,
  };
}

async function layout(viewport, css) {
  const { context, page } = await open(viewport);
  if (css) await page.addStyleTag({ content: css });
  const result = await page.evaluate(measure);
  await context.close();
  return result;
}

// What a reader gets: the visible text, and whether any script or image came out of the draft.
async function content() {
  const { context, page } = await open({ width: 1280, height: 900 });
  const result = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    title: document.title,
    scripts: document.scripts.length,
    images: document.images.length,
    text: document.body.innerText,
  }));
  await context.close();
  return result;
}

// The print style sheet as chromium applies it: header rows repeat, rows and list items do
// not split, the skip link and table of contents are not printed.
async function print() {
  const { context, page } = await open({ width: 1280, height: 900 });
  await page.emulateMedia({ media: "print" });
  const result = await page.evaluate(() => {
    // null for what a page does not have (the 新旧対照表 has no list or table of contents).
    const style = (q) => {
      const e = document.querySelector(q);
      return e ? getComputedStyle(e) : null;
    };
    return {
      thead: style("thead")?.display ?? null,
      tr: style("tbody tr")?.breakInside ?? null,
      li: style("li")?.breakInside ?? null,
      toc: style("nav.toc")?.display ?? null,
      skip: style(".skip-link")?.display ?? null,
      scroll: style(".scroll")?.overflowX ?? null,
    };
  });
  await context.close();
  return result;
}

async function screenshots(dir) {
  const prefix = process.env.SHOT_PREFIX || "html";
  const take = async (name, viewport, colorScheme, anchor) => {
    const { context, page } = await open(viewport, colorScheme);
    if (anchor) {
      const found = await page.evaluate((a) => {
        const e = document.getElementById(a);
        if (e) e.scrollIntoView();
        return !!e;
      }, anchor);
      if (!found) {
        await context.close();
        return; // this page has no such part
      }
    }
    name = name.replace(/^html/, prefix);
    await page.screenshot({ path: path.join(dir, name) });
    await context.close();
  };
  await take("html-desktop.png", { width: 1280, height: 900 }, "light");
  await take("html-desktop-table.png", { width: 1280, height: 900 }, "light", "table-view");
  await take("html-desktop-goal4.png", { width: 1280, height: 900 }, "light", "g4");
  await take("html-desktop-dark.png", { width: 1280, height: 900 }, "dark", "goal-2");
  await take("html-phone.png", { width: 390, height: 844 }, "light");
  await take("html-phone-list.png", { width: 390, height: 844 }, "light", "goal-1");
  await take("html-phone-table.png", { width: 390, height: 844 }, "light", "table-view");
  // Pages of drafts with indicators: a goal's 数値目標 and a measure's KPI with their charts.
  await take("html-desktop-indicators.png", { width: 1280, height: 900 }, "light", "goal-1-targets");
  await take("html-desktop-indicators-dark.png", { width: 1280, height: 900 }, "dark", "goal-3-targets");
  await take("html-phone-kpi.png", { width: 390, height: 844 }, "light", "goal-2-d2-m1-kpi");
}

try {
  const out = {
    axe: { light: await axe("light"), dark: await axe("dark") },
    reflow320: await layout({ width: 320, height: 640 }),
    spacing200: await layout({ width: 1280, height: 900 }, SPACING),
    content: await content(),
    print: await print(),
  };
  if (shots) await screenshots(shots);
  out.requests = requests;
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
}

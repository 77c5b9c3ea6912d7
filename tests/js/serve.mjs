// Drives `kohyo serve`'s preview in Debian's chromium (playwright-core, no browser download)
// as a member of staff would: opens the draft's preview, saves an edit of the draft, then a
// broken draft, then the fix, and times how long each takes to show — without the page being
// reloaded. Also runs axe-core (WCAG 2.2 AA and best practice, light and dark) on every
// preview page and can take screenshots. Prints one JSON object; tests/serve.rs judges it.
//
//   node tests/js/serve.mjs PLAN.json
//
// PLAN: { base, slug, draft, edit: {from, to}, broken: {from, to, code, place},
//         fresh?: {slug, draft, from, to, code}, screenshots?: DIR }
//
// `fresh` is a second draft served alongside, broken from the start (no outputs yet): its
// preview shows the error and no frame, and the fix makes the page appear.

import { launch } from "./browser.mjs";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

const plan = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const base = plan.base.replace(/\/$/, "");
const draftUrl = `${base}/drafts/${encodeURIComponent(plan.slug)}/`;

const browser = await launch();

// Every request over the network to anywhere but the preview: there must be none. (The
// browser's own PDF viewer loads chrome:// and chrome-extension:// resources; those are not
// the network.)
const outside = [];
const watchRequests = (page) =>
  page.on("request", (r) => {
    const url = r.url();
    if (!/^(https?|wss?|ftp):/i.test(url)) return;
    if (!url.startsWith(base + "/")) outside.push(url);
  });

async function axe(url, colorScheme) {
  // The preview forbids inline scripts (its CSP); axe is injected as one.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme, bypassCSP: true });
  const page = await context.newPage();
  watchRequests(page);
  await page.goto(url, { waitUntil: "load" });
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
  // Reflow at 320 CSS px: the page itself must not scroll sideways.
  await page.setViewportSize({ width: 320, height: 640 });
  const reflow = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  await context.close();
  return {
    reflow,
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, summary: n.failureSummary })),
    })),
  };
}

const edit = (from, to, file = plan.draft) => {
  const text = fs.readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`the draft has no ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
  return performance.now();
};

// Polls `test` in the page (every 20 ms) until it holds; the time from `since`, or null.
async function until(page, test, arg, since, limit = 10000) {
  for (;;) {
    if (await page.evaluate(test, arg).catch(() => false)) return Math.round(performance.now() - since);
    if (performance.now() - since > limit) return null;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const frameHas = (text) => {
  const f = document.getElementById("frame-page");
  try {
    return !!f && f.contentDocument.readyState === "complete" && f.contentDocument.body.innerText.includes(text);
  } catch (_) {
    return false;
  }
};

const out = { axe: {}, steps: {} };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  watchRequests(page);
  let loads = 0;
  page.on("load", () => loads++);
  await page.goto(draftUrl, { waitUntil: "load" });
  await until(page, frameHas, plan.edit.from, performance.now());
  // A page that reloads loses this.
  await page.evaluate(() => (window.__kept = "yes"));
  const kept = () => page.evaluate(() => window.__kept === "yes");
  const loadsBefore = loads;

  // 1. An edit shows in the frame.
  let t = edit(plan.edit.from, plan.edit.to);
  out.steps.edit = { ms: await until(page, frameHas, plan.edit.to, t), kept: await kept() };

  // 2. A broken save shows its error, with its code and place, above the last good page.
  t = edit(plan.broken.from, plan.broken.to);
  const hasError = ({ code, place }) => {
    const s = document.getElementById("state");
    const d = document.getElementById("diagnostics");
    return !!s && s.classList.contains("failed") && !!d && d.innerText.includes(code) && d.innerText.includes(place);
  };
  out.steps.broken = {
    ms: await until(page, hasError, plan.broken, t),
    kept: await kept(),
    state: await page.evaluate(() => document.getElementById("state").innerText),
    diagnostics: await page.evaluate(() => document.getElementById("diagnostics").innerText),
    // The last good outputs stay under the error.
    frame_kept: await page.evaluate(frameHas, plan.edit.to),
    error_above_frame: await page.evaluate(() => {
      const s = document.getElementById("state").getBoundingClientRect();
      const f = document.getElementById("frame-page").getBoundingClientRect();
      return s.bottom <= f.top;
    }),
  };
  if (plan.screenshots) {
    await page.screenshot({ path: path.join(plan.screenshots, "serve-failed.png") });
  }

  // 3. The fix takes the error away.
  t = edit(plan.broken.to, plan.broken.from);
  const fixed = (code) => {
    const s = document.getElementById("state");
    const d = document.getElementById("diagnostics");
    return !!s && !s.classList.contains("failed") && !!d && !d.innerText.includes(code);
  };
  out.steps.fixed = {
    ms: await until(page, fixed, plan.broken.code, t),
    kept: await kept(),
    state: await page.evaluate(() => document.getElementById("state").innerText),
  };
  out.loads = loads - loadsBefore;

  // 4. A diagnostic's link shows its item in the frame.
  const link = page.locator("a[data-show]").first();
  if ((await link.count()) > 0) {
    const href = await link.getAttribute("href");
    await link.click();
    await page.waitForTimeout(300);
    out.link = {
      href,
      frame: await page.evaluate(() => document.getElementById("frame-page").contentWindow.location.hash),
      target_exists: await page.evaluate(() => {
        const w = document.getElementById("frame-page").contentWindow;
        return !!w.document.getElementById(decodeURIComponent(w.location.hash.slice(1)));
      }),
    };
  }
  await context.close();

  // 4b. A draft broken from the start: its error and no frame; the fix brings the page.
  if (plan.fresh) {
    const f = plan.fresh;
    const c = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await c.newPage();
    watchRequests(p);
    let freshLoads = 0;
    p.on("load", () => freshLoads++);
    await p.goto(`${base}/drafts/${encodeURIComponent(f.slug)}/`, { waitUntil: "load" });
    await p.evaluate(() => (window.__kept = "yes"));
    const before = {
      failed: await p.evaluate(() => document.getElementById("state").classList.contains("failed")),
      code: await p.evaluate((code) => document.getElementById("diagnostics").innerText.includes(code), f.code),
      frames: await p.evaluate(() => document.querySelectorAll("iframe").length),
    };
    // Another draft's rebuild leaves this page as it is.
    edit(plan.edit.to, plan.edit.from);
    await p.waitForTimeout(500);
    const t2 = edit(f.from, f.to, f.draft);
    const appeared = await until(p, frameHas, f.expect, t2);
    out.fresh = {
      before,
      ms: appeared,
      kept: await p.evaluate(() => window.__kept === "yes"),
      loads: freshLoads - 1,
      failed_after: await p.evaluate(() => document.getElementById("state").classList.contains("failed")),
    };
    await c.close();
  }

  // 5. Every preview page against axe, in both colour schemes.
  const views = {
    start: `${base}/`,
    page: draftUrl,
    pdf: `${draftUrl}pdf`,
    data: `${draftUrl}data`,
    shinkyu: `${draftUrl}shinkyu`,
  };
  for (const [name, url] of Object.entries(views)) {
    out.axe[name] = { light: await axe(url, "light"), dark: await axe(url, "dark") };
  }

  if (plan.screenshots) {
    const shot = async (name, url, viewport, colorScheme = "light", scrollTo = null, wait = 400) => {
      const c = await browser.newContext({ viewport, colorScheme });
      const p = await c.newPage();
      await p.goto(url, { waitUntil: "load" });
      await p.waitForTimeout(wait);
      if (scrollTo) await p.evaluate((id) => document.getElementById(id)?.scrollIntoView(), scrollTo);
      await p.screenshot({ path: path.join(plan.screenshots, name) });
      await c.close();
    };
    const desk = { width: 1280, height: 900 };
    await shot("serve-start.png", views.start, desk);
    await shot("serve-page.png", views.page, desk);
    await shot("serve-page-frame.png", views.page, desk, "light", "page-view");
    // The browser's PDF viewer draws the pages a while after the load.
    await shot("serve-pdf.png", views.pdf, desk, "light", null, 3000);
    await shot("serve-data.png", views.data, desk);
    await shot("serve-shinkyu.png", views.shinkyu, desk, "dark");
    await shot("serve-phone.png", views.page, { width: 390, height: 844 });
  }
  out.outside = outside;
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
}

// End-to-end journeys through the default theme, as a reader uses it: headless Chromium against
// handbooks served over loopback by `policybook serve --port 0` (the shipped handbook, the code
// samples of tests/fixtures/code, and a temporary copy of tests/fixtures/minimal for live
// reload). Every page a test opens is watched: a console error, an uncaught exception, a failed
// request, an HTTP error or a request to anything but the server fails the test. Screenshots
// and PDFs go to tests/browser/artifacts/.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const h = require("./harness");

const skip = h.skipReason();
if (skip) h.announceSkip(skip);
// node:test skips a test whenever `skip` is set at all, so leave it out when not skipping.
const opts = skip ? { skip } : {};

const ARTIFACTS = path.join(__dirname, "artifacts");
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

// The pages the issue names, by the name their screenshots get.
const MAIN_PAGES = {
  home: "index.html",
  policy: "policies/data-handling.html",
  redline: "policies/data-handling/redline-1.1-to-1.2.html",
  dashboard: "dashboard.html",
  "risk-register": "risks/index.html",
  "vendor-comparison": "vendors/index.html",
};

let server; // the shipped handbook
// A fixture page with code in several languages: the shipped pages quote little code, and axe
// must see every common token colour of the highlighting.
let code;
let browser;
before(async () => {
  if (skip) return;
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  for (const dir of ["desktop", "phone", "print"]) fs.mkdirSync(path.join(ARTIFACTS, dir), { recursive: true });
  server = await h.serve();
  code = await h.serve(path.join(h.REPO, "tests", "fixtures", "code"));
  browser = await h.launch();
});
after(async () => {
  // Each step on its own, so one failing never leaves the others running.
  try {
    if (browser) await browser.close();
  } finally {
    try {
      if (code) await code.stop();
    } finally {
      if (server) await server.stop();
    }
  }
});

/**
 * A test with its own tabs: `tab(path, {viewport})` opens a page of `site` (default: the shipped
 * handbook) and every tab is checked for problems at the end, then closed.
 */
function journey(name, body) {
  test(name, opts, async (t) => {
    const tabs = [];
    const tab = async (page, { viewport = DESKTOP, site = server } = {}) => {
      const opened = await h.openPage(browser.context, { origin: site.origin });
      tabs.push(opened);
      await opened.page.setViewportSize(viewport);
      if (page !== null) await opened.page.goto(site.url(page));
      return opened;
    };
    // Checks every tab opened so far and closes it (before a test stops a server of its own).
    let checked = 0;
    const settle = async () => {
      for (; checked < tabs.length; checked++) {
        const { page, problems, visited } = tabs[checked];
        assert.deepEqual(problems, [], `problems on ${visited.join(" → ")}`);
        await page.close();
      }
    };
    try {
      await body({ tab, t, settle });
      await settle();
    } finally {
      for (const { page } of tabs) if (!page.isClosed()) await page.close();
    }
  });
}

/** The focused element, whether its focus can be seen, and a name for messages. */
function focusState(target) {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return { atEnd: true, hit: false, visible: true, name: "body" };
  }
  const cs = getComputedStyle(el);
  const outline = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) > 0;
  const shadow = cs.boxShadow !== "none";
  const r = el.getBoundingClientRect();
  let opacity = 1;
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
  const shown = r.width > 0 && r.height > 0 && opacity > 0.5 && r.right > 0 && r.left < innerWidth;
  const name =
    `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""}>` +
    ` "${(el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 40)}"`;
  return { atEnd: false, hit: el === target, visible: (outline || shadow) && shown, name, focusVisible: el.matches(":focus-visible") };
}

/**
 * Presses Tab until `locator`'s element has the focus, checking on the way that every element
 * that gets the focus shows it. Returns how many presses it took.
 */
async function tabTo(page, locator, max = 600) {
  const target = await locator.elementHandle();
  assert.ok(target, `no element for ${locator}`);
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press("Tab");
    const s = await page.evaluate(focusState, target);
    if (!s.atEnd) {
      assert.ok(s.focusVisible, `${s.name} got the focus from the keyboard but does not match :focus-visible`);
      assert.ok(s.visible, `focus on ${s.name} cannot be seen (no outline or box-shadow, or the element is hidden)`);
    }
    if (s.hit) return i;
  }
  assert.fail(`${max} presses of Tab never reached ${locator}`);
}

/** Clicks `locator` (mode "mouse"), or Tabs to it and presses Enter (mode "keyboard"). */
async function activate(page, locator, mode) {
  if (mode === "mouse") return locator.click();
  if (!(await locator.evaluate((el) => el === document.activeElement))) await tabTo(page, locator);
  await page.keyboard.press("Enter");
}

/** Activates a link and waits for the page it leads to. */
async function follow(page, locator, mode, pathEnd) {
  await Promise.all([page.waitForURL((u) => u.pathname.endsWith(pathEnd)), activate(page, locator, mode)]);
  await page.waitForLoadState("load");
}

const h1 = (page) => page.locator("main h1").first().innerText();

for (const mode of ["mouse", "keyboard"]) {
  journey(`[${mode}] home → sidebar → policy → cross-link → back through a backlink`, async ({ tab }) => {
    const { page } = await tab("index.html");
    // The sidebar lists the sections, and the items of the section the reader is in.
    assert.equal(await page.locator('#pb-sidebar a[href="policies/data-handling.html"]').count(), 0);
    await follow(page, page.locator('#pb-sidebar a[href="policies/index.html"]'), mode, "/policies/index.html");
    await follow(page, page.locator('#pb-sidebar a[href="../policies/data-handling.html"]'), mode, "/policies/data-handling.html");
    assert.equal(await h1(page), "Data handling with AI assistants");
    assert.equal(await page.locator('#pb-sidebar a[aria-current="page"]').innerText(), "Data handling with AI assistants");

    await follow(page, page.locator('.content a[href="../policies/acceptable-use.html"]').first(), mode, "/policies/acceptable-use.html");
    assert.equal(await h1(page), "Acceptable use of AI coding assistants");

    const backlink = page.locator('.backlinks a[href="../policies/data-handling.html"]');
    assert.equal(await backlink.count(), 1, "acceptable use lists data handling under Referenced by");
    assert.equal(await page.locator(".backlinks h2").innerText(), "Referenced by");
    await follow(page, backlink, mode, "/policies/data-handling.html");
    assert.equal(await h1(page), "Data handling with AI assistants");
  });

  journey(`[${mode}] dark mode: the toggle switches it and the choice survives a reload and a new page`, async ({ tab }) => {
    const { page } = await tab("policies/data-handling.html");
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const toggle = page.locator(".theme-toggle");
    try {
      assert.equal(await theme(), "light");
      assert.equal(await background(), "rgb(255, 255, 255)");
      await activate(page, toggle, mode);
      assert.equal(await theme(), "dark");
      assert.equal(await toggle.getAttribute("aria-pressed"), "true");
      assert.equal(await background(), "rgb(20, 23, 28)");

      await page.reload();
      assert.equal(await theme(), "dark", "the choice persists across a reload");
      assert.equal(await toggle.getAttribute("aria-pressed"), "true");
      await page.goto(server.url("risks/index.html"));
      assert.equal(await theme(), "dark", "and on another page");

      await activate(page, toggle, mode);
      assert.equal(await theme(), "light");
      await page.reload();
      assert.equal(await theme(), "light");
      assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    } finally {
      await page.evaluate(() => localStorage.removeItem("policybook-theme"));
    }
  });

  journey(`[${mode}] phone: the navigation opens and closes`, async ({ tab }) => {
    const { page } = await tab("policies/data-handling.html", { viewport: PHONE });
    const sidebar = page.locator("#pb-sidebar");
    const toggle = page.locator(".nav-toggle");
    assert.equal(await sidebar.isVisible(), false, "the sidebar is folded away on a phone");
    assert.equal(await toggle.isVisible(), true);
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");

    await activate(page, toggle, mode);
    assert.equal(await sidebar.isVisible(), true);
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    assert.equal(await toggle.getAttribute("aria-label"), "Hide navigation");
    const link = page.locator('#pb-sidebar a[href="../policies/audit-logging.html"]');
    assert.equal(await link.isVisible(), true);

    if (mode === "keyboard") {
      // The open drawer's links are reachable from the keyboard; Escape closes it and gives the
      // focus back to the toggle, which Enter opens and closes again.
      await tabTo(page, link);
      await page.keyboard.press("Escape");
      assert.equal(await sidebar.isVisible(), false);
      assert.equal(await page.evaluate(() => document.activeElement.className), "nav-toggle");
      await page.keyboard.press("Enter");
      assert.equal(await sidebar.isVisible(), true);
      await page.keyboard.press("Enter");
    } else {
      await toggle.click();
    }
    assert.equal(await sidebar.isVisible(), false);
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    assert.equal(await toggle.getAttribute("aria-label"), "Show navigation");

    // Following a link from the drawer lands on the page with the drawer closed.
    await activate(page, toggle, mode);
    await follow(page, link, mode, "/policies/audit-logging.html");
    assert.equal(await sidebar.isVisible(), false);
  });

  journey(`[${mode}] policy → history → redline → side by side`, async ({ tab }) => {
    const { page } = await tab("policies/data-handling.html");
    await follow(page, page.locator('a[href="../policies/data-handling/history.html"]'), mode, "/policies/data-handling/history.html");
    assert.match(await h1(page), /Data handling with AI assistants/);
    assert.ok((await page.locator("table.history tbody tr").count()) >= 3, "the history lists every release");

    await follow(page, page.locator('table.history a[href$="redline-1.1-to-1.2.html"]'), mode, "/redline-1.1-to-1.2.html");
    assert.equal(await h1(page), "Data handling with AI assistants: 1.1 → 1.2");
    const inline = page.locator(".rl-inline");
    const side = page.locator(".rl-side-wrap");
    assert.equal(await inline.isVisible(), true);
    assert.equal(await side.isVisible(), false);
    assert.ok((await inline.locator("ins").count()) > 0, "insertions are marked");
    assert.ok((await inline.locator("del").count()) > 0, "deletions are marked");

    const toggle = page.locator(".rl-toggle");
    assert.equal(await toggle.innerText(), "Side by side");
    await activate(page, toggle, mode);
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    assert.equal(await side.isVisible(), true);
    assert.equal(await inline.isVisible(), false);
    assert.match(await side.locator("caption").innerText(), /Side by side: 1\.1 and 1\.2/);
    assert.ok((await side.locator("tbody tr").count()) > 5);
    assert.ok((await side.locator("td ins").count()) > 0 && (await side.locator("td del").count()) > 0);
    assert.match(await toggle.innerText(), /Side by side/, "a toggle button keeps its name");

    if (mode === "keyboard") await page.keyboard.press("Enter");
    else await toggle.click();
    assert.equal(await toggle.getAttribute("aria-pressed"), "false");
    assert.equal(await inline.isVisible(), true);
    assert.equal(await side.isVisible(), false);
  });

  journey(`[${mode}] search from the header box to the section`, async ({ tab }) => {
    const { page } = await tab("guide/operating-model.html");
    const input = page.locator("#pb-search-input");
    if (mode === "keyboard") await tabTo(page, input);
    else await input.click();
    await page.keyboard.type("prompt retention");
    const first = page.locator(".search-results li").first();
    await first.waitFor();
    assert.match(await first.locator(".search-title").innerText(), /Data handling with AI assistants/);
    const target = (u) => u.pathname.endsWith("/policies/data-handling.html") && u.hash === "#prompt-retention";
    if (mode === "keyboard") await Promise.all([page.waitForURL(target), page.keyboard.press("Enter")]);
    else await Promise.all([page.waitForURL(target), first.locator("a").click()]);
    assert.equal(await h1(page), "Data handling with AI assistants");
  });
}

journey("keyboard: every focusable element of the main pages shows its focus, in page order", async ({ tab, t }) => {
  for (const [name, url] of Object.entries({ ...MAIN_PAGES, history: "policies/data-handling/history.html" })) {
    const { page } = await tab(url);
    let presses = 0;
    for (;;) {
      await page.keyboard.press("Tab");
      const s = await page.evaluate(focusState, null);
      if (s.atEnd) break;
      presses++;
      assert.ok(s.visible && s.focusVisible, `${name}: focus on ${s.name} cannot be seen`);
      assert.ok(presses < 1500, `${name}: Tab never leaves the page`);
    }
    t.diagnostic(`${name}: ${presses} focus stops, each visible`);
    if (name === "home") {
      // The first stop is the skip link, and it works.
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
      await page.keyboard.press("Enter");
      assert.equal(await page.evaluate(() => document.activeElement.id), "pb-main");
    }
    await page.close();
  }
});

journey("accessibility: axe-core finds no serious or critical violation", async ({ tab, t }) => {
  const axe = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const pages = {
    ...MAIN_PAGES,
    history: "policies/data-handling/history.html",
    stages: "stages/index.html",
    role: "roles/developers.html",
    exceptions: "exceptions/index.html",
    exception: "exceptions/billing-migration-tier-b.html",
    framework: "frameworks/nist-ai-rmf.html",
    print: "print.html",
  };
  const runs = [];
  for (const theme of ["light", "dark"]) {
    for (const [name, url] of Object.entries(pages)) runs.push({ theme, name, url, viewport: DESKTOP });
    runs.push({ theme, name: "code samples", url: "index.html", viewport: DESKTOP, site: code });
  }
  runs.push({ theme: "light", name: "home", url: "index.html", viewport: PHONE, drawer: true });
  runs.push({ theme: "light", name: "redline", url: pages.redline, viewport: DESKTOP, sideBySide: true });
  const failures = [];
  for (const run of runs) {
    const site = run.site || server;
    const { page } = await tab(null, { viewport: run.viewport, site });
    // Set the theme for this tab only, without touching the stored choice.
    await page.addInitScript((theme) => {
      document.addEventListener("DOMContentLoaded", () => document.documentElement.setAttribute("data-theme", theme));
    }, run.theme);
    await page.goto(site.url(run.url));
    if (run.drawer) await page.locator(".nav-toggle").click();
    if (run.sideBySide) await page.locator(".rl-toggle").click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), run.theme);
    await page.addScriptTag({ content: axe });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    const label = `${run.name} (${run.theme}${run.viewport === PHONE ? ", phone, drawer open" : ""}${run.sideBySide ? ", side by side" : ""})`;
    for (const v of result.violations) {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ");
      const line = `${label}: ${v.impact} ${v.id} — ${v.help} (${v.nodes.length}×: ${where})`;
      if (v.impact === "serious" || v.impact === "critical") failures.push(line);
      else t.diagnostic(line);
    }
    await page.close();
  }
  assert.deepEqual(failures, []);
});

journey("print: a policy prints without navigation, in dark ink, rows whole", async ({ tab }) => {
  const { page } = await tab(MAIN_PAGES.policy);
  // A reader in dark mode prints: the paper still gets dark text.
  await page.evaluate(() => document.documentElement.setAttribute("data-theme", "dark"));
  await page.emulateMedia({ media: "print" });
  for (const chrome of [".topbar", "#pb-sidebar", ".toc", ".pager", ".footer", ".skip-link"]) {
    for (const el of await page.locator(chrome).all()) assert.equal(await el.isVisible(), false, `${chrome} is printed`);
  }
  assert.equal(await page.locator("main h1").isVisible(), true);
  const ink = await page.evaluate(() => getComputedStyle(document.body).color);
  assert.equal(ink, "rgb(29, 35, 48)", "dark text on paper, whatever the screen theme");
  const rows = await page.evaluate(() => [...document.querySelectorAll("main tr")].map((r) => getComputedStyle(r).breakInside));
  assert.ok(rows.length > 0, "the policy has a table");
  assert.deepEqual([...new Set(rows)], ["avoid"], "no page break inside a table row");
  assert.deepEqual(
    [...new Set(await page.evaluate(() => [...document.querySelectorAll("main thead")].map((t) => getComputedStyle(t).display)))],
    ["table-header-group"],
    "a table's header repeats on every page",
  );
  // The document control block heads the printed policy, and only the printed one.
  const control = page.locator("main .doc-control");
  assert.equal(await control.isVisible(), true, "the document control block is printed");
  const block = await control.innerText();
  for (const field of [/data-handling/, /Version/i, /Status/i, /Owner/i, /Approv/i, /Effective/i, /review/i, /Classification/i, /[0-9a-f]{64}/]) {
    assert.match(block, field, `the control block names ${field}`);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, "print", "policy.png"), fullPage: true });
  const pdf = await page.pdf({ path: path.join(ARTIFACTS, "print", "policy.pdf"), format: "A4", printBackground: false });
  assertPdf(pdf, 2);
  await page.emulateMedia({ media: "screen" });
  assert.equal(await control.isVisible(), false, "on screen the header says it already");
});

journey("print: print.html holds the whole handbook, each policy opening with its control block", async ({ tab }) => {
  const { page } = await tab("print.html");
  await page.emulateMedia({ media: "print" });
  const blocks = await page.locator("main .doc-control").count();
  assert.ok(blocks >= 8, `${blocks} control blocks, one per policy`);
  const text = await page.locator("main").innerText();
  for (const title of [/Data handling/i, /Acceptable use/i, /Pilot/]) assert.match(text, title);
  assertPdf(await page.pdf({ path: path.join(ARTIFACTS, "print", "handbook.pdf"), format: "A4" }), 20);
});

journey("print: a redline keeps its marks in black and white, inline and side by side", async ({ tab }) => {
  const { page } = await tab(MAIN_PAGES.redline);
  await page.emulateMedia({ media: "print" });
  for (const chrome of [".topbar", "#pb-sidebar", ".footer", ".rl-views"]) {
    assert.equal(await page.locator(chrome).isVisible(), false, `${chrome} is printed`);
  }
  const marks = () =>
    page.evaluate(() =>
      ["ins", "del"].map((tag) => {
        const all = [...document.querySelectorAll(`main ${tag}`)].filter((e) => e.getClientRects().length > 0);
        const styles = all.map((e) => {
          const cs = getComputedStyle(e);
          return `${cs.textDecorationLine} ${cs.color} ${cs.backgroundColor}`;
        });
        return { tag, count: all.length, styles: [...new Set(styles)] };
      }),
    );
  // Black text, no background tint: underline and strike-through alone tell them apart.
  const expected = {
    ins: ["underline rgb(0, 0, 0) rgba(0, 0, 0, 0)"],
    del: ["line-through rgb(0, 0, 0) rgba(0, 0, 0, 0)"],
  };
  const assertMarks = (found) => {
    for (const m of found) {
      assert.ok(m.count > 1, `${m.count} <${m.tag}> printed`);
      assert.deepEqual(m.styles, expected[m.tag], `<${m.tag}> in print`);
    }
  };
  assertMarks(await marks());
  // Each changed block carries a black bar in the margin; unchanged ones do not.
  const bars = await page.evaluate(() =>
    [...document.querySelectorAll(".rl-inline > *")]
      .filter((e) => e.getClientRects().length > 0)
      .map((e) => [e.classList.contains("rl-unchanged") ? "unchanged" : "changed", getComputedStyle(e).borderLeftStyle + " " + getComputedStyle(e).borderLeftColor]),
  );
  const changed = bars.filter(([k]) => k === "changed");
  assert.ok(changed.length > 0, "the redline has changed blocks");
  assert.deepEqual([...new Set(changed.map(([, b]) => b))], ["solid rgb(0, 0, 0)"], "a change bar beside every change");
  assert.ok(bars.filter(([k]) => k === "unchanged").every(([, b]) => !b.startsWith("solid")), "no bar beside unchanged text");
  await page.screenshot({ path: path.join(ARTIFACTS, "print", "redline.png"), fullPage: true });
  assertPdf(await page.pdf({ path: path.join(ARTIFACTS, "print", "redline.pdf"), format: "A4" }), 2);

  // The side-by-side view, chosen on screen, is what prints.
  await page.emulateMedia({ media: "screen" });
  await page.locator(".rl-toggle").click();
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.locator(".rl-side").isVisible(), true);
  assertMarks(await marks());
  const rows = await page.evaluate(() => [...document.querySelectorAll(".rl-side tr")].map((r) => getComputedStyle(r).breakInside));
  assert.deepEqual([...new Set(rows)], ["avoid"], "no page break inside a row of the side-by-side table");
  assertPdf(await page.pdf({ path: path.join(ARTIFACTS, "print", "redline-side-by-side.pdf"), format: "A4", landscape: true }), 2);
});

/** A PDF of at least `minPages` pages. */
function assertPdf(pdf, minPages) {
  assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
  assert.ok(pages >= minPages, `${pages} page(s)`);
}

journey("screenshots of the main pages at desktop and phone width; no sideways scrolling on a phone", async ({ tab }) => {
  for (const [label, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    for (const [name, url] of Object.entries(MAIN_PAGES)) {
      const { page } = await tab(url, { viewport });
      await page.screenshot({ path: path.join(ARTIFACTS, label, `${name}.png`), fullPage: true });
      if (viewport === PHONE) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${name} scrolls sideways by ${overflow}px on a phone`);
      }
      await page.close();
    }
    const { page } = await tab("index.html", { viewport });
    await page.locator("#pb-search-input").fill("prompt retention");
    await page.locator(".search-results li .search-snippet mark").first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, label, "search-results.png") });
    await page.close();
  }
  const saved = fs.readdirSync(path.join(ARTIFACTS, "phone"));
  assert.equal(saved.length, Object.keys(MAIN_PAGES).length + 1);
});

/** Follows every same-site link from the home page; returns the pages visited. */
async function crawl(site, tab) {
  const { page, problems } = await tab(null, { site });
  const seen = new Set(["index.html"]);
  const queue = ["index.html"];
  while (queue.length) {
    const url = queue.shift();
    const response = await page.goto(site.url(url));
    assert.equal(response.status(), 200, `${url}: HTTP ${response.status()}`);
    // SVG links (charts) included: their href is an attribute, not a string property.
    const links = await page.evaluate(() =>
      [...document.querySelectorAll("a[href]")].map((a) => new URL(a.getAttribute("href"), location.href).href),
    );
    for (const link of links) {
      if (!link.startsWith(site.origin + "/")) continue;
      const rel = decodeURI(new URL(link).pathname.slice(1));
      if (!/(\.html|\/|^)$/.test(rel) || seen.has(rel)) continue;
      seen.add(rel);
      queue.push(rel);
    }
    assert.deepEqual(problems, [], `after ${url}`);
  }
  return seen;
}

journey("every page of the shipped handbook loads cleanly from the server", async ({ tab, t }) => {
  const seen = await crawl(server, tab);
  t.diagnostic(`${seen.size} pages visited`);
  assert.ok(seen.size > 100, `${seen.size} pages`);
});

journey("fixture handbook: every page loads cleanly; live reload shows an edit and the error overlay", async ({ tab, t, settle }) => {
  const copy = h.copyHandbook(path.join(h.REPO, "tests", "fixtures", "minimal"));
  let fixture;
  try {
    fixture = await h.serve(copy.dir);
    const seen = await crawl(fixture, tab);
    t.diagnostic(`${seen.size} fixture pages visited`);
    assert.ok(seen.has("policies/data-policy.html"));
    await settle();

    const { page, visited } = await tab("policies/data-policy.html", { site: fixture });
    // Wait until the page has joined the reload channel before editing.
    await page.waitForFunction(() => window.policybookErrors !== undefined);
    await page.waitForTimeout(300);
    const main = page.locator("main");
    assert.match(await main.innerText(), /Prompts are kept for at most 30 days\./);
    const file = path.join(copy.dir, "content", "policies", "data-policy.md");
    const original = fs.readFileSync(file, "utf8");

    const started = Date.now();
    fs.writeFileSync(file, original.replace("at most 30 days.", "at most 14 days, edited live."));
    await page.waitForFunction(() => document.querySelector("main").innerText.includes("at most 14 days, edited live."), null, { timeout: 20000 });
    t.diagnostic(`the edit showed in ${Date.now() - started} ms`);
    assert.equal(visited.length, 2, "the page reloaded once, by itself");

    // A broken file: the last good page stays, with the error in an overlay naming file:line.
    fs.writeFileSync(file, original.replace("status: approved", "status: aproved"));
    const overlay = page.locator("#policybook-errors");
    await overlay.waitFor({ timeout: 20000 });
    assert.match(await overlay.innerText(), /content\/policies\/data-policy\.md:\d+/);
    assert.match(await main.innerText(), /at most 14 days, edited live\./);

    fs.writeFileSync(file, original);
    await page.waitForFunction(() => document.querySelector("main").innerText.includes("at most 30 days."), null, { timeout: 20000 });
    await overlay.waitFor({ state: "detached", timeout: 20000 });
    await settle();
  } finally {
    if (fixture) await fixture.stop();
    copy.remove();
  }
});

journey("a handbook started with `policybook init`: every page loads cleanly, its links lead on, an edit shows live", async ({ tab, t, settle }) => {
  const parent = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "policybook-init-"));
  const dir = path.join(parent, "handbook");
  let site;
  try {
    require("node:child_process").execFileSync(h.binary(), ["init", dir, "--title", "Acme engineering handbook"], { stdio: "pipe" });
    site = await h.serve(dir);
    const seen = await crawl(site, tab);
    t.diagnostic(`${seen.size} pages of the new handbook visited`);
    for (const page of ["policies/acceptable-use.html", "stages/pilot.html", "dashboard.html", "traceability.html"]) {
      assert.ok(seen.has(page), page);
    }
    await settle();

    // From the home page to the example policy, by mouse, then its released history.
    const { page, visited } = await tab("index.html", { site });
    assert.equal(await page.locator("h1").innerText(), "Acme engineering handbook");
    await page.locator("main").getByRole("link", { name: "Acceptable use" }).first().click();
    await page.waitForURL(/policies\/acceptable-use\.html$/);
    assert.match(await page.locator("main").innerText(), /Never paste credentials/);

    await page.waitForFunction(() => window.policybookErrors !== undefined);
    await page.waitForTimeout(300);
    const file = path.join(dir, "content", "policies", "acceptable-use.md");
    const original = fs.readFileSync(file, "utf8");
    const started = Date.now();
    fs.writeFileSync(file, original.replace("Never paste credentials", "Never, edited live, paste credentials"));
    await page.waitForFunction(() => document.querySelector("main").innerText.includes("Never, edited live, paste credentials"), null, { timeout: 20000 });
    t.diagnostic(`the edit showed in ${Date.now() - started} ms`);
    assert.equal(visited.length, 3, "the home page, the click, then one reload by itself");
    await settle();
  } finally {
    if (site) await site.stop();
    fs.rmSync(parent, { recursive: true, force: true });
  }
});

for (const input of ["mouse", "keyboard"]) {
  journey(`[${input}] "I am a…": from the home page to what applies to a developer`, async ({ tab }) => {
    const { page } = await tab("index.html");
    const choices = page.locator("nav.audiences");
    assert.equal(await choices.getByRole("heading").innerText(), "I am a…");
    const developers = choices.getByRole("link", { name: "Developers" });
    if (input === "mouse") {
      await developers.click();
    } else {
      // Tab until the link has focus, then Enter, as a keyboard user would.
      for (let i = 0; i < 80 && !(await developers.evaluate((el) => el === document.activeElement)); i++) {
        await page.keyboard.press("Tab");
      }
      assert.equal(await developers.evaluate((el) => el === document.activeElement), true, "the link is reachable by Tab");
      await page.keyboard.press("Enter");
    }
    await page.waitForURL(/roles\/developers\.html$/);
    const main = await page.locator("main").innerText();
    assert.match(main, /Acceptable use of AI coding assistants/, "the policies whose audience includes developers");
    assert.match(main, /Prompt playbook/i, "the training developers must take");
  });
}

// Search in the default theme, in headless Chromium, on the shipped handbook opened from file://.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { skipReason, announceSkip, buildSite, launch, openPage } = require("./harness");

const skip = skipReason();
if (skip) announceSkip(skip);
// node:test skips a test whenever `skip` is set at all, so leave it out when not skipping.
const opts = skip ? { skip } : {};

let site;
let browser;
before(async () => {
  if (skip) return;
  site = buildSite();
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (site) site.remove();
});

/** Opens `path` of the built site and returns the page and its recorded problems. */
async function open(path) {
  const opened = await openPage(browser.context);
  await opened.page.goto(site.url(path));
  return opened;
}

/** Types `query` into the search box and waits for results (or the "no results" note). */
async function search(page, query) {
  await page.fill("#pb-search-input", query);
  await page.waitForFunction(
    () => document.querySelector(".search-results li") || !document.querySelector(".search-empty").hidden,
  );
}

async function first(page) {
  const option = page.locator(".search-results li").first();
  return {
    title: await option.locator(".search-title").innerText(),
    heading: (await option.locator(".search-heading").count()) ? await option.locator(".search-heading").innerText() : "",
    href: await option.locator("a").getAttribute("href"),
  };
}

test("a query finds the section, with its heading, anchor and a highlighted snippet", opts, async () => {
  // From a page one folder down, so the link must carry the page's root prefix.
  const { page, problems } = await open("guide/operating-model.html");
  await search(page, "prompt retention");
  const hit = await first(page);
  assert.match(hit.title, /Data handling with AI assistants/);
  assert.match(hit.title, /policy/, "kind badge");
  assert.equal(hit.heading, "4.4 Prompt retention");
  assert.equal(hit.href, "../policies/data-handling.html#prompt-retention");
  await page.waitForSelector(".search-results li .search-snippet mark");
  const mark = await page.locator(".search-results li").first().locator("mark").first().innerText();
  assert.match(mark, /^(prompts?|retention)$/i);
  assert.deepEqual(problems, []);
});

test("a one-letter typo still finds it", opts, async () => {
  const { page, problems } = await open("index.html");
  await search(page, "prompt retemtion");
  const hit = await first(page);
  assert.equal(hit.href, "policies/data-handling.html#prompt-retention");
  assert.deepEqual(problems, []);
});

test("a page title outranks a passing mention", opts, async () => {
  const { page, problems } = await open("index.html");
  await search(page, "audit logging");
  const hit = await first(page);
  assert.match(hit.title, /Audit logging/i);
  assert.equal(hit.heading, "");
  assert.equal(hit.href, "policies/audit-logging.html");
  assert.deepEqual(problems, []);
});

test("keyboard: / focuses the box, arrows and Enter open a result, Escape closes", opts, async () => {
  const { page, problems } = await open("index.html");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "pb-search-input");
  await page.keyboard.type("prompt retention");
  await page.waitForSelector(".search-results li");
  const input = page.locator("#pb-search-input");
  assert.equal(await input.getAttribute("aria-expanded"), "true");

  await page.keyboard.press("Escape");
  assert.equal(await page.locator(".search-panel").isHidden(), true);
  assert.equal(await input.getAttribute("aria-expanded"), "false");

  await page.keyboard.press("ArrowDown");
  assert.equal(await input.getAttribute("aria-activedescendant"), "search-result-0");
  assert.equal(await page.locator("#search-result-0").getAttribute("aria-selected"), "true");
  const href = await page.locator("#search-result-0 a").getAttribute("href");
  await Promise.all([page.waitForURL((u) => u.href.endsWith(href)), page.keyboard.press("Enter")]);
  assert.ok(page.url().endsWith("policies/data-handling.html#prompt-retention"), page.url());

  // `s` works too, but not while typing in a field.
  await page.keyboard.press("s");
  assert.equal(await page.evaluate(() => document.activeElement.id), "pb-search-input");
  assert.equal(await input.inputValue(), "");
  assert.deepEqual(problems, []);
});

test("archived versions are left out unless the filter includes them", opts, async () => {
  const { page, problems } = await open("index.html");
  // "relating" is only in archived versions of the data handling policy.
  await search(page, "relating");
  assert.equal(await page.locator(".search-results li").count(), 0);
  assert.equal(await page.locator(".search-empty").isVisible(), true);
  await page.getByLabel("Include archived versions").check();
  await page.waitForSelector(".search-results li");
  const hit = await first(page);
  assert.match(hit.title, /version/);
  assert.match(hit.href, /^policies\/data-handling\/1\.[01]\.html#personal-data$/);
  assert.deepEqual(problems, []);
});

test("the search box and results are labelled for assistive technology", opts, async () => {
  const { page, problems } = await open("index.html");
  const box = page.getByRole("combobox", { name: "Search the handbook" });
  assert.equal(await box.count(), 1);
  await search(page, "prompt retention");
  assert.equal(await page.getByRole("listbox", { name: "Search results" }).count(), 1);
  assert.match(await page.locator(".search-status").innerText(), /\d+ results? for/);
  assert.deepEqual(problems, []);
});

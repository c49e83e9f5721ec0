// Shared set-up of the browser tests: build a handbook with the policybook binary into a
// temporary folder and open its pages in headless Chromium over file://, the way a reader opens
// a downloaded handbook (and the hardest case for scripts: no fetch, no server).
"use strict";

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

const REPO = path.resolve(__dirname, "../..");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** Why the browser tests cannot run here, or null when they can. */
function skipReason() {
  if (!fs.existsSync(CHROMIUM)) {
    return `${CHROMIUM} not found: install Debian's chromium (apt-get install chromium chromium-driver) or set CHROMIUM`;
  }
  return null;
}

/** Prints a message no one can miss, so that a skipped suite never passes silently. */
function announceSkip(reason) {
  const line = "*".repeat(78);
  console.error(`\n${line}\n*** BROWSER TESTS SKIPPED: ${reason}\n${line}\n`);
}

/** The policybook binary: $POLICYBOOK_BIN, or a fresh debug build. */
function binary() {
  if (process.env.POLICYBOOK_BIN) return process.env.POLICYBOOK_BIN;
  execFileSync("cargo", ["build", "--quiet", "--bin", "policybook"], { cwd: REPO, stdio: "inherit" });
  return path.join(REPO, "target", "debug", "policybook");
}

/** Builds the handbook at `root` (default: the shipped one) into a temporary folder. */
function buildSite(root = REPO) {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), "policybook-site-"));
  execFileSync(binary(), ["build", "--root", root, "--dest", dest], { stdio: ["ignore", "ignore", "inherit"] });
  return {
    dest,
    url: (page) => pathToFileURL(path.join(dest, page)).href,
    remove: () => fs.rmSync(dest, { recursive: true, force: true }),
  };
}

/** Headless Chromium with a fresh profile; close() removes the profile too. */
async function launch() {
  const { chromium } = require("playwright-core");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "policybook-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A new page that records console errors, uncaught exceptions and any request that leaves
 * the site's folder (the theme must make none).
 */
async function openPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith("file://")) problems.push(`network request: ${r.url()}`);
  });
  return { page, problems };
}

module.exports = { skipReason, announceSkip, buildSite, launch, openPage };

// Shared set-up of the browser tests: build a handbook with the policybook binary into a
// temporary folder and open its pages in headless Chromium over file://, the way a reader opens
// a downloaded handbook (and the hardest case for scripts: no fetch, no server); or serve it with
// `policybook serve --port 0` on loopback, as an author previews it.
"use strict";

const { execFileSync, spawn } = require("node:child_process");
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

let builtBinary = null;
/** The policybook binary: $POLICYBOOK_BIN, or a fresh debug build (once per test file). */
function binary() {
  if (process.env.POLICYBOOK_BIN) return path.resolve(REPO, process.env.POLICYBOOK_BIN);
  if (!builtBinary) {
    execFileSync("cargo", ["build", "--quiet", "--bin", "policybook"], { cwd: REPO, stdio: "inherit" });
    builtBinary = path.join(REPO, "target", "debug", "policybook");
  }
  return builtBinary;
}

/** A copy of the handbook at `from` in a temporary folder, to edit without touching the repo. */
function copyHandbook(from) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policybook-src-"));
  fs.cpSync(path.join(from, "book.toml"), path.join(dir, "book.toml"));
  fs.cpSync(path.join(from, "content"), path.join(dir, "content"), { recursive: true });
  if (fs.existsSync(path.join(from, "themes"))) {
    fs.cpSync(path.join(from, "themes"), path.join(dir, "themes"), { recursive: true });
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// Servers still running when the process exits (a crashed test) are killed, never left behind.
const running = new Set();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * `policybook serve --root ROOT --port 0` on loopback. Resolves once the server prints its
 * address; `stop()` ends it (and is safe to call twice).
 */
function serve(root = REPO) {
  const child = spawn(binary(), ["serve", "--root", root, "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  running.add(child);
  let log = "";
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`policybook serve printed no address in 120 s:\n${log}`));
    }, 120000);
    const onData = (chunk) => {
      log += chunk;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(log);
      if (m) {
        clearTimeout(timer);
        child.stderr.off("data", onData);
        // Keep draining the output so the server never blocks on a full pipe.
        child.stderr.on("data", (c) => { log += c; });
        resolve({ url: (page = "") => m[1] + page, origin: m[1].slice(0, -1), log: () => log, stop });
      }
    };
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (c) => { log += c; });
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`policybook serve exited with ${code} before serving:\n${log}`));
    });
  });
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
      "--disable-quic",
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
 * A new page that records console errors, uncaught exceptions, failed requests, HTTP errors and
 * any request that leaves the site: file:// only, or also `origin` (http://127.0.0.1:PORT) when
 * the site is served. `visited` lists every page the tab navigated to.
 */
async function openPage(context, { origin = null } = {}) {
  const page = await context.newPage();
  const problems = [];
  const visited = [];
  const local = (url) => url.startsWith("file://") || url.startsWith("data:") || (origin && url.startsWith(origin + "/"));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  // Requests still under way when the page is left (the live-reload event stream, always; a
  // script loading when a test reloads) are cancelled by the browser: that is not a failure.
  // Each request remembers how many times the tab had navigated when it started.
  let navigations = 0;
  const startedAt = new WeakMap();
  page.on("request", (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) navigations++;
    startedAt.set(r, navigations);
    if (!local(r.url())) problems.push(`request leaves loopback: ${r.url()}`);
  });
  page.on("requestfailed", (r) => {
    const error = (r.failure() || {}).errorText;
    if (error === "net::ERR_ABORTED" && navigations > startedAt.get(r)) return;
    problems.push(`request failed: ${r.url()} (${error})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) visited.push(f.url());
  });
  return { page, problems, visited };
}

module.exports = { REPO, skipReason, announceSkip, binary, buildSite, copyHandbook, serve, launch, openPage };

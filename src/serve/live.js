// policybook serve: live reload and the error overlay. Injected into pages by `policybook serve`
// only; `policybook build` never ships it. `window.policybookErrors` is set just before this
// script with the errors standing when the page was served.
(function () {
  "use strict";
  var scrollKey = "policybook-scroll:" + location.pathname;

  // Keep the reader where they were across a reload (the page may have grown or shrunk, so
  // this is a best effort, clamped by the browser).
  function restoreScroll() {
    var saved = null;
    try {
      saved = sessionStorage.getItem(scrollKey);
      sessionStorage.removeItem(scrollKey);
    } catch (e) { /* storage may be disabled */ }
    if (!saved) return;
    var xy = saved.split(",");
    window.scrollTo(Number(xy[0]) || 0, Number(xy[1]) || 0);
  }
  function reload() {
    try {
      sessionStorage.setItem(scrollKey, window.scrollX + "," + window.scrollY);
    } catch (e) { /* storage may be disabled */ }
    location.reload();
  }
  if (document.readyState === "complete") restoreScroll();
  else window.addEventListener("load", restoreScroll);

  var overlay = null;
  function showErrors(errors) {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
    if (!errors || errors.length === 0) return;
    overlay = document.createElement("div");
    overlay.id = "policybook-errors";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-labelledby", "policybook-errors-title");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,20,.94);color:#f5f5f5;font:14px/1.5 ui-monospace,monospace;";
    var title = document.createElement("h2");
    title.id = "policybook-errors-title";
    title.style.cssText = "margin:0 0 1rem;color:#ff8a80;font-size:1.2rem;";
    title.textContent = errors.length + (errors.length === 1 ? " error" : " errors") +
      " in the handbook — the last good version is shown under this; fix the file and the page reloads";
    overlay.appendChild(title);
    var list = document.createElement("ol");
    list.style.cssText = "margin:0;padding-left:1.5rem;";
    errors.forEach(function (d) {
      var item = document.createElement("li");
      item.style.cssText = "margin:0 0 1rem;white-space:pre-wrap;";
      var where = document.createElement("strong");
      where.textContent = d.file + (d.line > 0 ? ":" + d.line + ":" + d.col : "");
      item.appendChild(where);
      item.appendChild(document.createTextNode(" " + d.message));
      if (d.help) {
        var help = document.createElement("div");
        help.style.color = "#b0bec5";
        help.textContent = "help: " + d.help;
        item.appendChild(help);
      }
      list.appendChild(item);
    });
    overlay.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.style.cssText = "margin-top:1rem;font:inherit;padding:.3rem 1rem;";
    close.addEventListener("click", function () { showErrors([]); });
    overlay.appendChild(close);
    document.body.appendChild(overlay);
    close.focus();
  }
  showErrors(window.policybookErrors);

  if (!window.EventSource) return;
  var connected = false;
  var events = new EventSource("/__policybook/events");
  events.addEventListener("hello", function () {
    // A second hello means the server restarted while we waited: what it serves may differ.
    if (connected) reload();
    connected = true;
  });
  events.addEventListener("reload", reload);
  events.addEventListener("errors", function (e) {
    try { showErrors(JSON.parse(e.data)); } catch (err) { /* a malformed message is ignored */ }
  });
})();

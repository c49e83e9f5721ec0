// policybook default theme: dark-mode toggle and the mobile navigation drawer. No network use.
(function () {
  "use strict";
  var root = document.documentElement;
  var themeButton = document.querySelector(".theme-toggle");
  function applyTheme(theme) {
    root.setAttribute("data-theme", theme);
    if (themeButton) themeButton.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
  }
  applyTheme(root.getAttribute("data-theme") || "light");
  if (themeButton) {
    themeButton.addEventListener("click", function () {
      var next = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
      applyTheme(next);
      try { localStorage.setItem("policybook-theme", next); } catch (e) { /* storage may be disabled */ }
    });
  }
  var navButton = document.querySelector(".nav-toggle");
  if (navButton) {
    var header = document.querySelector(".topbar");
    var setOpen = function (open) {
      // The drawer starts where the header ends, so the toggle stays on top to close it.
      if (open && header) {
        root.style.setProperty("--topbar-h", Math.max(0, header.getBoundingClientRect().bottom) + "px");
      }
      document.body.classList.toggle("nav-open", open);
      navButton.setAttribute("aria-expanded", open ? "true" : "false");
      navButton.setAttribute("aria-label", open ? "Hide navigation" : "Show navigation");
    };
    navButton.addEventListener("click", function () {
      setOpen(!document.body.classList.contains("nav-open"));
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && document.body.classList.contains("nav-open")) {
        setOpen(false);
        navButton.focus();
      }
    });
  }
})();

// Redlines: switch between the inline and the side-by-side view.
(function () {
  "use strict";
  var toggle = document.querySelector(".rl-toggle");
  if (!toggle) return;
  toggle.addEventListener("click", function () {
    var on = !document.body.classList.contains("rl-side-on");
    document.body.classList.toggle("rl-side-on", on);
    // A toggle button keeps its name; aria-pressed (and its look) carries the state.
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
  });
})();

// History: the compare control picks a pair from the list of every comparison, which is what
// works without JavaScript; the form only saves scrolling through it.
(function () {
  "use strict";
  var form = document.querySelector(".compare-form");
  if (!form) return;
  form.hidden = false;
  var message = form.querySelector(".compare-message");
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var from = form.elements.from.value, to = form.elements.to.value;
    var links = document.querySelectorAll(".compare-list a");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("data-from") === from && links[i].getAttribute("data-to") === to) {
        window.location.href = links[i].href;
        return;
      }
    }
    var later = false;
    for (var j = 0; j < links.length; j++) {
      if (links[j].getAttribute("data-from") === to && links[j].getAttribute("data-to") === from) later = true;
    }
    message.textContent = from === to ? "Choose two different versions."
      : later ? "Choose the older version first."
      : "These two versions say the same thing: there is no redline between them.";
  });
})();

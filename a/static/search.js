// policybook default theme: offline search. No network use.
//
// The index is a set of scripts under search/ written at build time (src/render/search.rs);
// each adds one entry to window.policybookSearch. They are loaded on first use through <script>
// tags, which browsers allow from file:// where fetch() is refused: search/index.js (words and
// postings), search/archived.js (archived versions and redlines, only when asked for) and the
// section texts in search/<index>-text-N.js, loaded for the snippets of the results shown.
(function () {
  "use strict";
  var box = document.querySelector(".search");
  if (!box) return;
  var input = box.querySelector(".search-input");
  var panel = box.querySelector(".search-panel");
  var list = box.querySelector(".search-results");
  var empty = box.querySelector(".search-empty");
  var status = box.querySelector(".search-status");
  var archived = box.querySelector(".search-archived");
  var root = box.getAttribute("data-root") || "";
  box.hidden = false; // Without JavaScript the box would do nothing, so it starts hidden.

  var MAX_RESULTS = 20;
  var MAX_EXPANSIONS = 64;
  // Must match STOP_WORDS in src/render/search.rs.
  var STOP = {};
  ("a an and are as at be by for from has have in is it its of on or that the this to was were " +
    "will with").split(" ").forEach(function (w) { STOP[w] = true; });

  // Script loading: one promise per file, kept so each file loads once.
  var loads = {};
  function load(name) {
    if (!loads[name]) {
      loads[name] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = root + "search/" + name + ".js";
        script.onload = function () {
          var store = window.policybookSearch;
          if (store && store[name]) resolve(store[name]);
          else reject(new Error(script.src + " did not define " + name));
        };
        script.onerror = function () {
          delete loads[name];
          reject(new Error("could not load " + script.src));
        };
        document.head.appendChild(script);
      });
    }
    return loads[name];
  }

  // The words of a text with their positions, by the rule of words() in search.rs: runs of
  // letters and digits, lowercased, with a dot kept between two digits (clause 3.2).
  var ALNUM = /[\p{Alphabetic}\p{N}]/u;
  var DIGIT = /\p{N}/u;
  function scan(text) {
    var out = [];
    var word = "";
    var start = 0;
    var last = "";
    var i = 0;
    while (i < text.length) {
      var c = String.fromCodePoint(text.codePointAt(i));
      var next = i + c.length < text.length ? String.fromCodePoint(text.codePointAt(i + c.length)) : "";
      if (ALNUM.test(c)) {
        if (!word) start = i;
        word += c.toLowerCase();
        last = c;
      } else if (c === "." && word && DIGIT.test(last) && DIGIT.test(next)) {
        word += c;
        last = c;
      } else if (word) {
        out.push({ word: word, start: start, end: i });
        word = "";
      }
      i += c.length;
    }
    if (word) out.push({ word: word, start: start, end: i });
    return out;
  }

  function lowerBound(words, word) {
    var lo = 0;
    var hi = words.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (words[mid] < word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // Whether a and b differ by at most one edit: a letter added, dropped, changed, or two
  // neighbours swapped.
  function oneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (i === a.length || i === b.length) return Math.abs(a.length - b.length) <= 1;
    if (a.length === b.length) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // Index words a query word stands for: itself (weight 1), words it begins (less, the more is
  // left to guess), and from four letters on, words one typo away (0.5).
  function expand(index, word) {
    var words = index.words;
    var out = new Map();
    for (var i = lowerBound(words, word); i < words.length && out.size < MAX_EXPANSIONS; i++) {
      var w = words[i];
      if (w.lastIndexOf(word, 0) !== 0) break;
      out.set(i, w === word ? 1 : 0.5 + 0.3 * word.length / w.length);
    }
    if (word.length >= 4) {
      for (var j = 0; j < words.length; j++) {
        if (!out.has(j) && oneEdit(word, words[j])) out.set(j, 0.5);
      }
    }
    return out;
  }

  // Sections matching every query word (or, failing that, any), best first. A section's score
  // adds, per query word, the best of its matches: the score from the build (title > heading >
  // text) times the match's weight times the word's rarity.
  function search(name, index, query) {
    var words = scan(query).map(function (w) { return w.word; });
    var kept = words.filter(function (w) { return !STOP[w]; });
    if (kept.length) words = kept;
    words = words.filter(function (w, i) { return words.indexOf(w) === i; });
    var terms = {};
    var n = index.sections.length;
    var perWord = words.map(function (word) {
      var scores = new Map();
      expand(index, word).forEach(function (weight, t) {
        terms[index.words[t]] = true;
        var postings = index.postings[t];
        var rarity = Math.log(1 + n / (postings.length / 2));
        var doc = 0;
        for (var k = 0; k < postings.length; k += 2) {
          doc += postings[k];
          var score = weight * postings[k + 1] * rarity;
          if (!(scores.get(doc) >= score)) scores.set(doc, score);
        }
      });
      return scores;
    });
    var total = new Map();
    var combine = function (all) {
      perWord.forEach(function (scores) {
        scores.forEach(function (score, doc) {
          if (all && perWord.some(function (s) { return !s.has(doc); })) return;
          total.set(doc, (total.get(doc) || 0) + (all ? score : score / 2));
        });
      });
    };
    if (!perWord.length) return { results: [], terms: terms };
    combine(true);
    if (!total.size) combine(false);
    var results = [];
    total.forEach(function (score, doc) {
      results.push({ name: name, index: index, doc: doc, score: score });
    });
    return { results: results, terms: terms };
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  // A window of the text around the first matching word, matching words marked.
  function snippet(target, text, terms) {
    var words = scan(text);
    var first = words.findIndex(function (w) { return terms[w.word]; });
    var from = first < 0 ? 0 : Math.max(0, words[first].start - 60);
    if (from > 0) from = text.indexOf(" ", from) + 1 || from;
    var to = Math.min(text.length, from + 200);
    if (to < text.length) to = text.lastIndexOf(" ", to) > from ? text.lastIndexOf(" ", to) : to;
    var at = from;
    if (from > 0) target.appendChild(document.createTextNode("… "));
    words.forEach(function (w) {
      if (w.start < from || w.end > to || !terms[w.word]) return;
      target.appendChild(document.createTextNode(text.slice(at, w.start)));
      target.appendChild(element("mark", "", text.slice(w.start, w.end)));
      at = w.end;
    });
    target.appendChild(document.createTextNode(text.slice(at, to) + (to < text.length ? " …" : "")));
  }

  var generation = 0;
  var active = -1;

  function setOpen(open) {
    panel.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) setActive(-1);
  }

  function setActive(i) {
    var options = list.children;
    if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
    active = options.length ? Math.max(-1, Math.min(i, options.length - 1)) : -1;
    if (active >= 0) {
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(found, query, mine) {
    list.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    found.results.slice(0, MAX_RESULTS).forEach(function (r, i) {
      var section = r.index.sections[r.doc];
      var page = r.index.pages[section[0]];
      var option = element("li", "search-result");
      option.id = "search-result-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var link = element("a");
      link.href = root + page.url + (section[1] ? "#" + section[1] : "");
      link.tabIndex = -1;
      var title = element("span", "search-title");
      title.appendChild(element("span", "badge search-kind", page.kind));
      title.appendChild(document.createTextNode(" " + page.title));
      link.appendChild(title);
      if (section[2]) link.appendChild(element("span", "search-heading", section[2]));
      var text = element("span", "search-snippet");
      link.appendChild(text);
      option.appendChild(link);
      list.appendChild(option);
      var chunk = 0;
      while (chunk + 1 < r.index.chunks.length && r.index.chunks[chunk + 1] <= r.doc) chunk++;
      load(r.name + "-text-" + chunk).then(function (texts) {
        var body = texts[r.doc - r.index.chunks[chunk]];
        if (mine === generation && body) snippet(text, body, found.terms);
      }, function () { /* The result still links to its section without a snippet. */ });
    });
    var count = Math.min(found.results.length, MAX_RESULTS);
    empty.hidden = count > 0;
    var quoted = "\u201c" + query + "\u201d";
    status.textContent = count === 0 ? "No results for " + quoted
      : count + (count === 1 ? " result" : " results") + " for " + quoted + "; arrow keys choose one";
    setOpen(true);
  }

  function run() {
    var query = input.value.trim();
    var mine = ++generation;
    if (!query) {
      list.textContent = "";
      status.textContent = "";
      setOpen(false);
      return;
    }
    var names = archived.checked ? ["index", "archived"] : ["index"];
    status.textContent = "Loading the search index…";
    Promise.all(names.map(load)).then(function (indexes) {
      if (mine !== generation) return;
      var found = { results: [], terms: {} };
      indexes.forEach(function (index, k) {
        var part = search(names[k], index, query);
        found.results = found.results.concat(part.results);
        Object.keys(part.terms).forEach(function (t) { found.terms[t] = true; });
      });
      found.results.sort(function (a, b) { return b.score - a.score || a.name.localeCompare(b.name) || a.doc - b.doc; });
      show(found, query, mine);
    }, function () {
      if (mine === generation) status.textContent = "The search index could not be loaded.";
    });
  }

  input.addEventListener("input", run);
  input.addEventListener("focus", function () {
    load("index").catch(function () { /* Reported when a query runs. */ });
    if (input.value.trim()) setOpen(true);
  });
  archived.addEventListener("change", run);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (panel.hidden && input.value.trim()) setOpen(true);
      setActive(active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter") {
      var option = list.children[active >= 0 ? active : 0];
      if (option && !panel.hidden) {
        e.preventDefault();
        setOpen(false);
        window.location.href = option.querySelector("a").href;
      }
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (!panel.hidden) setOpen(false);
      else input.blur();
    }
  });
  document.addEventListener("click", function (e) {
    if (!box.contains(e.target)) setOpen(false);
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if ((e.key === "/" || e.key === "s") && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
})();

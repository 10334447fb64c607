// casebook search: queries the static index that `casebook build` writes to
// search/index/ (see src/search/mod.rs for the format). No framework, no build step.
// search-core.js, loaded first, holds what needs no page: tokenizer, query helpers,
// term files and scoring; search-index.js, loaded next, fetches the index's files and
// resolves a query's words into their decisions. This file is the page.
(function () {
  "use strict";

  var PAGE = 10;
  var TYPING_PAUSE_MS = 250;
  var FACETS = ["council", "category", "outcome"];
  var META_KEYS = { council: "councils", category: "categories", outcome: "outcomes" };
  var core = window.casebookSearchCore;
  var stem = core.stem;
  var lower = core.lower;
  var words = core.words;
  var tokens = core.tokens;
  var parseQuery = core.parseQuery;
  var hasPhrase = core.hasPhrase;

  // ---- the index ----
  var app = document.getElementById("search-app");
  if (!app) return;
  var indexBase = app.getAttribute("data-index") || new URL("index/", location.href).href;
  if (!/\/$/.test(indexBase)) indexBase += "/";
  // The site root relative to this page (data-root): results link from there, so search
  // works under any path.
  var siteRoot = app.getAttribute("data-root") || "/";
  function siteUrl(u) { return u.charAt(0) === "/" ? siteRoot + u.slice(1) : u; }
  var meta = null;
  // The index (search-index.js), set up when the page starts.
  var index;

  // ---- the page ----
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var selects = {
    council: document.getElementById("search-council"),
    category: document.getElementById("search-category"),
    outcome: document.getElementById("search-outcome"),
    year: document.getElementById("search-year"),
  };
  var sortSelect = document.getElementById("search-sort");
  var columns = {};
  var current = null;
  var generation = 0;

  function values(name) {
    if (name === "year") return meta.years.map(function (y) { return { name: String(y.year), slug: String(y.year) }; });
    return meta[META_KEYS[name]];
  }

  function fillSelect(name, counts) {
    var select = selects[name];
    var chosen = select.value || select.getAttribute("data-initial") || "";
    var anyLabel = select.options.length ? select.options[0].text : "Any";
    select.textContent = "";
    select.appendChild(new Option(anyLabel, ""));
    // Codes number the values most frequent first; readers get them by name (years newest
    // first), so the list is not a league table.
    var listed = values(name).map(function (v, i) { return { v: v, i: i }; });
    if (name !== "year") listed.sort(function (a, b) { return a.v.name.localeCompare(b.v.name, "en"); });
    listed.forEach(function (item) {
      var v = item.v, i = item.i;
      // No counts (null): the names alone, until the counts of these results are read.
      var count = counts === null ? undefined : counts ? counts[i] : v.count;
      if (count === 0 && v.slug !== chosen) return;
      var label = count === undefined ? v.name : v.name + " (" + count + ")";
      select.appendChild(new Option(label, v.slug, false, v.slug === chosen));
    });
    select.value = chosen;
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    Object.keys(selects).forEach(function (name) {
      selects[name].setAttribute("data-initial", params.get(name) || "");
      if (meta) { selects[name].value = ""; fillSelect(name); }
    });
    sortSelect.value = params.get("sort") === "date" ? "date" : "relevance";
  }

  function chosen() {
    var out = {};
    Object.keys(selects).forEach(function (name) {
      var slug = selects[name].value || selects[name].getAttribute("data-initial") || "";
      if (!slug) return;
      var at = values(name).findIndex(function (v) { return v.slug === slug; });
      out[name] = at < 0 ? -2 : at; // an unknown value matches nothing
    });
    return out;
  }

  // The URL follows the search: a new search adds a history entry (so Back returns to the
  // one before), the first one on a page replaces it.
  function writeUrl(filters, push) {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    Object.keys(filters).forEach(function (name) {
      params.set(name, selects[name].value || selects[name].getAttribute("data-initial"));
    });
    if (sortSelect.value === "date") params.set("sort", "date");
    var query = params.toString();
    var url = location.pathname + (query ? "?" + query : "");
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }

  function passes(doc, filters, except) {
    for (var name in filters) {
      if (name === except) continue;
      var code = name === "year" ? index.yearOf(doc) : columns[name][doc];
      if (code !== filters[name]) return false;
    }
    return true;
  }

  function say(text) { status.textContent = text; }

  // Runs the search in the form. options.push: add a history entry for it.
  function run(options) {
    var mine = ++generation;
    var filters = chosen();
    writeUrl(filters, options && options.push);
    var stop = new Set(meta.stop_words);
    var query = parseQuery(input.value, stop, meta.synonyms);
    // An index from before pairs were indexed: phrases are checked on the pages only.
    if (!meta.pair_files) query.slots = query.slots.filter(function (slot) { return slot.kind !== "pair"; });
    list.textContent = "";
    more.hidden = true;
    more.disabled = false;
    var filtering = Object.keys(filters).length > 0;
    if (!query.slots.length && (input.value.trim() || !filtering)) {
      say(input.value.trim() ? "Those words are too common to search for: add a more specific word." : "");
      return Promise.resolve();
    }
    say("Searching…");
    var needed = Object.keys(filters).filter(function (n) { return n !== "year"; });
    // No words but a filter: every decision in the selection, newest first.
    var found = query.slots.length ? Promise.all([
      Promise.all(query.slots.map(index.resolve)),
      Promise.all(query.exclude.map(index.lookup)),
    ]).then(function (got) { return { hits: core.match(got[0], got[1], meta.docs), resolved: got[0] }; })
      : Promise.resolve({ hits: everyDecision(), resolved: [] });
    return Promise.all([found].concat(needed.map(loadColumn))).then(function (got) {
      if (mine !== generation) return;
      var hits = got[0].hits.filter(function (h) { return passes(h.doc, filters); });
      if (sortSelect.value === "date") hits.sort(function (a, b) { return a.doc - b.doc; });
      // Decisions with more of the words exactly as written come first, whatever the
      // scores of other forms: `relates` ranks the decision that says "relates" above
      // those that say only "relating" or "relation".
      else hits.sort(function (a, b) { return b.exact - a.exact || b.score - a.score || a.doc - b.doc; });
      current = { hits: hits, terms: highlightTerms(query, got[0].resolved), shown: 0, all: got[0].hits,
        filters: filters, note: note(query, got[0].resolved), phrases: query.phrases, checked: 0,
        unchecked: 0, unread: 0, candidates: null,
        paired: query.slots.some(function (slot) { return slot.kind === "pair"; }) };
      if (phraseToCheck()) {
        // The results are the candidates read so far and found to hold the phrase.
        current.candidates = hits;
        current.hits = current.all = [];
        current.unchecked = hits.length;
      }
      return showMore().then(function () {
        if (mine !== generation) return;
        return countsWanted ? loadCounts(mine) : updateCounts(mine);
      });
    }).catch(function (e) {
      if (mine === generation) say("Search is not available right now: " + e.message);
    });
  }

  // The stems to mark in excerpts: the query's words, and what prefixes and typos became.
  function highlightTerms(query, resolved) {
    var terms = new Set();
    query.slots.forEach(function (slot, i) {
      if (slot.kind === "pair") return;
      if (slot.kind === "name") slot.words.forEach(function (w) { if (!new Set(meta.stop_words).has(w)) terms.add(stem(w)); });
      else terms.add(slot.stem);
      (resolved[i] ? resolved[i].alts : []).forEach(function (a) { if (a.stem) terms.add(a.stem); });
    });
    return terms;
  }

  // "Showing results for safeguarding" when a word was not in the index and its nearest
  // indexed word was used instead.
  function note(query, resolved) {
    var fixed = false, text = input.value, also = [];
    query.slots.forEach(function (slot, i) {
      var r = resolved[i];
      if (r && r.also) also.push("“" + r.also + "”");
      if (!r || !r.corrected) return;
      fixed = true;
      text = text.replace(new RegExp("(^|[^\\p{Alphabetic}\\p{N}])" + slot.word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "(?![\\p{Alphabetic}\\p{N}])", "iu"), "$1" + r.corrected);
    });
    var including = also.length ? "Including results for " + also.join(" and ") + ". " : "";
    return (fixed ? "Showing results for “" + text.trim() + "”. " : "") + including;
  }

  // A quoted phrase must appear with its words in that order: the index's pairs of
  // neighbouring words find the candidates. A phrase of two words is one pair of the index:
  // its decisions have the words next to each other, so no page needs reading. Longer
  // phrases have each pair somewhere, not necessarily in one run: candidates' pages are
  // read, best first, PHRASE_BATCH at a time, only until a screen of results holds the
  // phrase, and at most PHRASE_CHECKS for one screen, so a query reads about as many pages
  // as it shows and never an unbounded number; "Show more" reads on.
  var PHRASE_BATCH = PAGE;
  var PHRASE_CHECKS = 20;
  function phraseToCheck() {
    return current.phrases.length > 0 && current.hits.length > 0 &&
      !(current.paired && current.phrases.every(function (p) { return p.stems.length <= 2; }));
  }

  // Reads candidates until `wanted` results hold the phrase (or the bound or the
  // candidates run out).
  function checkPhrases(mine, wanted) {
    if (!current.candidates) return Promise.resolve();
    var read = 0;
    function next() {
      if (mine !== generation) return;
      var left = current.candidates.length - current.checked;
      if (current.hits.length >= wanted || left === 0 || read >= PHRASE_CHECKS) return;
      var batch = current.candidates.slice(current.checked, current.checked + Math.min(PHRASE_BATCH, PHRASE_CHECKS - read));
      current.checked += batch.length;
      read += batch.length;
      var phrases = current.phrases;
      return Promise.all(batch.map(function (h) { return holdsPhrases(h, phrases); })).then(function (ok) {
        if (mine !== generation) return;
        batch.forEach(function (h, i) {
          if (ok[i]) current.hits.push(h);
          // A page that could not be read is counted, not taken to lack the phrase.
          if (ok[i] === null) current.unread++;
        });
        current.unchecked = current.candidates.length - current.checked;
        return next();
      });
    }
    return Promise.resolve().then(next);
  }

  // Whether the decision of `hit` has every phrase word for word; null when its page
  // could not be read.
  function holdsPhrases(hit, phrases) {
    // Read at the address the result links to, so its excerpt reuses the page, and a site
    // under a path of its host reads its own pages.
    return cardOf(hit.doc).then(function (card) { return pageText(siteUrl(card[0])); }).then(function (page) {
      return phrases.every(function (p) { return hasPhrase(page.stems, p.stems); });
    }, function () { return null; });
  }

  function cardOf(doc) {
    return index.cards(Math.floor(doc / meta.chunk)).then(function (cards) {
      return cards[doc % meta.chunk];
    });
  }

  // A decision page's paragraphs and the stems of all its words (fetched once a visit).
  var pages = core.memo();
  function pageText(url) {
    return pages(url, function () { return readPage(url); });
  }

  function readPage(url) {
    return fetch(url).then(function (res) {
      if (!res.ok) throw new Error(String(res.status));
      return res.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var root = page.querySelector("main") || page.body;
      var paras = [];
      root.querySelectorAll("p, li, h2, h3").forEach(function (el) {
        if (!el.querySelector("p, li")) paras.push(el.textContent.replace(/\s+/g, " ").trim());
      });
      var stems = [];
      paras.forEach(function (t) { words(t).forEach(function (x) { stems.push(stem(x.w)); }); stems.push(""); });
      return { paras: paras, stems: stems };
    });
  }

  function everyDecision() {
    var all = new Array(meta.docs);
    for (var d = 0; d < meta.docs; d++) all[d] = { doc: d, score: 0, exact: 0 };
    return all;
  }

  function loadColumn(name) {
    if (columns[name]) return Promise.resolve(columns[name]);
    return index.facetColumn(name).then(function (codes) { columns[name] = codes; return codes; });
  }

  function showMore() {
    var mine = generation;
    return checkPhrases(mine, current.shown + PAGE).then(function () {
      if (mine === generation) return showChecked(mine);
    });
  }

  function showChecked(mine) {
    var slice = current.hits.slice(current.shown, current.shown + PAGE);
    var chunks = Array.from(new Set(slice.map(function (h) { return Math.floor(h.doc / meta.chunk); })));
    return Promise.all(chunks.map(index.cards)).then(function (files) {
      // A newer search started while the cards came: this one shows nothing more.
      if (mine !== generation) return;
      var byChunk = new Map();
      chunks.forEach(function (c, i) { byChunk.set(c, files[i]); });
      slice.forEach(function (h) {
        list.appendChild(render(byChunk.get(Math.floor(h.doc / meta.chunk))[h.doc % meta.chunk]));
      });
      current.shown += slice.length;
      // Milliseconds from navigation to these results (read by tests and benchmarks).
      status.setAttribute("data-ms", String(Math.round(performance.now())));
      more.hidden = current.shown >= current.hits.length && !current.unchecked;
      var total = current.hits.length;
      var q = input.value.trim();
      var what = q ? " “" + q + "”" : " these filters";
      // Candidates not read yet: with the index's pairs, each has every two neighbouring
      // words of the phrase side by side, which is not yet the phrase in one run, so they
      // are counted, not claimed.
      var others = current.unchecked + " more " + (current.paired ? "have each pair of its neighbouring words" : "have these words") +
        " and are read when you show more.";
      var read = current.checked;
      var found = !current.unchecked
        ? (total === 0 ? "No decisions match" + what + "."
          : total + (total === 1 ? " decision matches" : " decisions match") + what + ". Showing 1 to " + current.shown + ".")
        : (total === 0 ? "None of the best " + read + " candidates has" + what + " word for word; " + others
          : total + " of the best " + read + " candidates " + (total === 1 ? "has" : "have") + what + " word for word. Showing 1 to " +
            current.shown + ". " + others);
      var unread = current.unread ? " The pages of " + current.unread + (current.unread === 1 ? " candidate" : " candidates") +
        " could not be read, so they are left out." : "";
      say(current.note + found + unread);
    });
  }

  // The counts of the results by council, category, outcome and year. A facet's column
  // (the council of every decision: 170 KB at 100,000 decisions) is fetched only when it
  // filters the results or when the reader turns to the filters (`wantCounts`), so a query
  // moves no more than its results need; until then its list shows the names alone.
  var countsWanted = false;

  function updateCounts(mine) {
    if (mine !== generation || !current) return;
    ["council", "category", "outcome", "year"].forEach(function (name) {
      var needs = Object.keys(current.filters).concat(name === "year" ? [] : [name]);
      if (needs.some(function (n) { return n !== "year" && !columns[n]; })) return fillSelect(name, null);
      var counts = new Array(values(name).length).fill(0);
      current.all.forEach(function (h) {
        if (!passes(h.doc, current.filters, name)) return;
        var code = name === "year" ? index.yearOf(h.doc) : columns[name][h.doc];
        if (code >= 0 && code < counts.length) counts[code]++;
      });
      fillSelect(name, counts);
    });
  }

  // Every facet column, then the counts of search `mine`.
  function loadCounts(mine) {
    return Promise.all(FACETS.map(loadColumn)).then(function () { updateCounts(mine); });
  }

  function wantCounts() {
    if (countsWanted) return;
    countsWanted = true;
    loadCounts(generation).catch(function () { /* the lists keep their names */ });
  }

  // ---- one result ----
  function label(name, code) {
    var v = code >= 0 ? meta[META_KEYS[name]][code] : null;
    return v ? v.name : "";
  }

  function render(card) {
    var url = siteUrl(card[0]), reference = card[1], date = card[6], excerpt = card[7];
    var li = document.createElement("li");
    var article = document.createElement("article");
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = url;
    a.textContent = label("council", card[2]) + " (" + reference + ")";
    h.appendChild(a);
    article.appendChild(h);
    var facts = document.createElement("p");
    facts.className = "search-facts";
    var category = label("category", card[3]);
    facts.textContent = [date ? formatDate(date) : "Date not stated", label("outcome", card[5]) || "Outcome not stated",
      category + (card[4] ? " › " + card[4] : "")].filter(Boolean).join(" · ");
    article.appendChild(facts);
    var p = highlight(excerpt, current.terms);
    article.appendChild(p);
    if (current.terms.size && !explained(a.textContent, excerpt)) excerptFromPage(url, current.terms, p);
    li.appendChild(article);
    return li;
  }

  // True when the card already shows why its decision matched, so that its page need not
  // be read for an excerpt: the query's words that are not in its heading (the council and
  // the reference) are in its summary, at least one of them, and each quoted phrase is
  // there whole.
  function explained(heading, excerpt) {
    var stop = new Set(meta.stop_words);
    var inHeading = new Set(tokens(heading, stop));
    var inExcerpt = new Set(tokens(excerpt, stop));
    var rest = Array.from(current.terms).filter(function (t) { return !inHeading.has(t); });
    if (rest.length && !rest.some(function (t) { return inExcerpt.has(t); })) return false;
    var all = words(excerpt).map(function (x) { return stem(x.w); });
    return current.phrases.every(function (ph) { return hasPhrase(all, ph.stems); });
  }

  // When the summaries do not have the words, the excerpt comes from the decision page
  // itself (fetched only for the results on screen): its paragraph with most query words.
  function excerptFromPage(url, terms, p) {
    var stop = new Set(meta.stop_words);
    var phrases = current.phrases;
    pageText(url).then(function (page) {
      var best = null, bestCount = 0;
      page.paras.forEach(function (text) {
        var all = words(text).map(function (x) { return stem(x.w); });
        var found = new Set(tokens(text, stop).filter(function (t) { return terms.has(t); }));
        var count = found.size + (phrases.some(function (ph) { return hasPhrase(all, ph.stems); }) ? 100 : 0);
        if (count > bestCount) { best = text; bestCount = count; }
      });
      if (best && p.isConnected) p.replaceWith(highlight(best, terms));
    }).catch(function () { /* keep the summary excerpt */ });
  }

  function formatDate(iso) {
    var d = new Date(iso + "T00:00:00Z");
    return isNaN(d) ? iso : d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }

  // The excerpt around the first hit, with every hit in <mark>; built as DOM nodes, so no
  // text from a decision is ever parsed as HTML.
  function highlight(text, terms) {
    var p = document.createElement("p");
    p.className = "search-excerpt";
    var stop = new Set(meta.stop_words);
    var re = /[\p{Alphabetic}\p{N}]+/gu, m, hits = [];
    while ((m = re.exec(text)) !== null) {
      var w = lower(m[0]);
      if (!stop.has(w) && terms.has(stem(w))) hits.push([m.index, m.index + m[0].length]);
    }
    var start = 0, end = text.length;
    if (hits.length && hits[0][0] > 80) start = text.lastIndexOf(" ", hits[0][0] - 60) + 1;
    if (end - start > 260) end = text.indexOf(" ", start + 240) > 0 ? text.indexOf(" ", start + 240) : end;
    if (start > 0) p.appendChild(document.createTextNode("… "));
    var at = start;
    hits.forEach(function (hit) {
      if (hit[0] < at || hit[1] > end) return;
      p.appendChild(document.createTextNode(text.slice(at, hit[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(hit[0], hit[1]);
      p.appendChild(mark);
      at = hit[1];
    });
    p.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? " …" : "")));
    p.setAttribute("data-hits", String(hits.length));
    return p;
  }

  // ---- start ----
  if (location.protocol === "file:") {
    // Browsers block a page opened from disk from fetching the index.
    app.hidden = false;
    form.hidden = true;
    say("Search needs the site to be served: this page was opened from a file, and " +
      "browsers do not let it load the search index. Run `casebook serve` in the site's " +
      "folder and open the address it prints (or serve this folder with any web server). " +
      "The browse pages work from a file too.");
    return;
  }
  if (typeof DecompressionStream === "undefined") {
    app.hidden = false;
    form.hidden = true;
    say("This browser cannot run the search. Please use the browse pages instead.");
    return;
  }
  if (typeof window.casebookSearchIndex !== "function") {
    // A site's own search.html written before the index had its own script.
    app.hidden = false;
    form.hidden = true;
    say("The search is not set up: this site's search page does not load search-index.js. " +
      "Its template must load porter2.js, search-core.js, search-index.js and search.js, " +
      "in that order, as the default theme's templates/search.html does.");
    return;
  }
  index = window.casebookSearchIndex(indexBase);
  app.hidden = false;
  readUrl();
  index.load().then(function (m) {
    meta = m;
    Object.keys(selects).forEach(function (name) { fillSelect(name); });
    var typing = null;
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      clearTimeout(typing);
      run({ push: true });
    });
    // Results follow the typing, once it pauses.
    input.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () { run({ push: true }); }, TYPING_PAUSE_MS);
    });
    Object.keys(selects).concat(["sort"]).forEach(function (name) {
      var el = name === "sort" ? sortSelect : selects[name];
      el.addEventListener("change", function () {
        if (name !== "sort") selects[name].removeAttribute("data-initial");
        run({ push: true });
      });
    });
    // Back and Forward show the search of that history entry.
    window.addEventListener("popstate", function () {
      clearTimeout(typing);
      readUrl();
      run();
    });
    // Reading on through a phrase's candidates finds more results: the counts follow.
    more.addEventListener("click", function () {
      // One reading at a time: a second press while pages are read would read them twice.
      if (more.disabled) return;
      var mine = generation;
      more.disabled = true;
      showMore().then(function () { updateCounts(mine); }, function (e) {
        if (mine === generation) say("Search is not available right now: " + e.message);
      }).then(function () { more.disabled = false; });
    });
    // Turning to the filters (a pointer over them, a click, a tap or the keyboard) fetches
    // what counts need: a mouse over the lists starts it before one is opened. A site's own
    // page without the filters' fieldset gets them when its form is used.
    var filters = form.querySelector("fieldset") || form;
    ["focusin", "pointerdown", "pointerenter"].forEach(function (type) {
      filters.addEventListener(type, wantCounts);
    });
    if (input.value.trim() || Object.keys(chosen()).length) return run();
  }).catch(function (e) {
    say("Search is not available right now: " + e.message);
  });
})();

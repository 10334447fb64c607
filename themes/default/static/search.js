// casebook search: queries the static index that `casebook build` writes to
// search/index/ (see src/search/mod.rs for the format). No framework, no build step.
//
// The tokenizer (tokens, stem, fnv1a) must match src/search/text.rs word for word.
(function () {
  "use strict";

  var PAGE = 10;
  var FACETS = ["council", "category", "outcome"];
  var META_KEYS = { council: "councils", category: "categories", outcome: "outcomes" };
  var encoder = new TextEncoder();

  // ---- tokenizer (mirrors src/search/text.rs) ----
  function stem(w) {
    var n = encoder.encode(w).length;
    if (n > 4 && /ies$/.test(w)) return w.slice(0, -3) + "y";
    if (n > 3 && /s$/.test(w) && !/(ss|us|is)$/.test(w)) return w.slice(0, -1);
    return w;
  }

  // Lowercases one character at a time (as Rust's char::to_lowercase does, so a final
  // sigma stays σ) and stops adding characters at 40 bytes.
  function lower(word) {
    var out = "";
    var bytes = 0;
    for (var ch of word) {
      if (bytes >= 40) continue;
      var l = ch.toLowerCase();
      out += l;
      bytes += encoder.encode(l).length;
    }
    return out;
  }

  function tokens(text, stopWords) {
    var out = [];
    var re = /[\p{Alphabetic}\p{N}]+/gu;
    var m;
    while ((m = re.exec(text)) !== null) {
      var w = lower(m[0]);
      if (!stopWords.has(w)) out.push(stem(w));
    }
    return out;
  }

  function fnv1a(term) {
    var h = 0x811c9dc5;
    var bytes = encoder.encode(term);
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // ---- end of tokenizer ----

  // ---- fetching ----
  var app = document.getElementById("search-app");
  if (!app) return;
  var indexBase = app.getAttribute("data-index") || new URL("index/", location.href).href;
  if (!/\/$/.test(indexBase)) indexBase += "/";
  // The site root relative to this page (data-root): results link from there, so search
  // works under any path.
  var siteRoot = app.getAttribute("data-root") || "/";
  function siteUrl(u) { return u.charAt(0) === "/" ? siteRoot + u.slice(1) : u; }
  var meta = null;
  var cache = new Map();

  function fetchBin(path) {
    if (cache.has(path)) return cache.get(path);
    var url = indexBase + path + (meta ? "?v=" + meta.build : "");
    var p = fetch(url, meta ? {} : { cache: "no-cache" }).then(function (res) {
      if (!res.ok) throw new Error("could not load " + path + " (" + res.status + ")");
      var stream = res.body.pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).arrayBuffer();
    }).then(function (buf) { return new Uint8Array(buf); });
    cache.set(path, p);
    p.catch(function () { cache.delete(path); });
    return p;
  }

  function fetchJson(path) {
    return fetchBin(path).then(function (b) { return JSON.parse(new TextDecoder().decode(b)); });
  }

  function pad(n) { return String(n).padStart(4, "0"); }

  // ---- term files ----
  function varint(buf, pos) {
    var value = 0, scale = 1, byte;
    do {
      byte = buf[pos.i++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte >= 0x80);
    return value;
  }

  function fileFor(hash) {
    var b = meta.term_files, lo = 0, hi = b.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (b[mid] <= hash) lo = mid + 1; else hi = mid;
    }
    return Math.max(0, lo - 1);
  }

  function findTerm(buf, term) {
    var pos = { i: 0 };
    var count = varint(buf, pos);
    var decoder = new TextDecoder();
    for (var t = 0; t < count; t++) {
      var len = varint(buf, pos);
      var text = decoder.decode(buf.subarray(pos.i, pos.i + len));
      pos.i += len;
      var kind = buf[pos.i++];
      var df = varint(buf, pos);
      var dataLen = varint(buf, pos);
      if (text === term) return { kind: kind, df: df, data: buf.subarray(pos.i, pos.i + dataLen) };
      pos.i += dataLen;
    }
    return null;
  }

  function postings(list) {
    var out = new Map();
    if (list.kind === 1) {
      for (var i = 0; i < list.data.length; i++) {
        var byte = list.data[i];
        for (var bit = 0; bit < 8; bit++) if (byte & (1 << bit)) out.set(i * 8 + bit, 4);
      }
      return out;
    }
    var pos = { i: 0 }, doc = -1;
    while (pos.i < list.data.length) {
      var v = varint(list.data, pos);
      doc += Math.floor(v / 16);
      out.set(doc, v % 16);
    }
    return out;
  }

  function lookup(term) {
    return fetchBin("terms/" + pad(fileFor(fnv1a(term))) + ".bin").then(function (buf) {
      return findTerm(buf, term);
    });
  }

  // All terms must match; score = sum of idf * impact. Returns [{doc, score}].
  function match(terms) {
    return Promise.all(terms.map(lookup)).then(function (lists) {
      if (lists.some(function (l) { return l === null; })) return [];
      lists.sort(function (a, b) { return a.df - b.df; });
      var n = meta.docs, scores = null;
      lists.forEach(function (list) {
        var idf = Math.log(1 + (n - list.df + 0.5) / (list.df + 0.5));
        var these = postings(list);
        var next = new Map();
        (scores || these).forEach(function (value, doc) {
          var impact = these.get(doc);
          if (impact !== undefined) next.set(doc, (scores ? value : 0) + idf * impact);
        });
        scores = next;
      });
      var out = [];
      scores.forEach(function (score, doc) { out.push({ doc: doc, score: score }); });
      return out;
    });
  }

  // ---- facets ----
  function facetColumn(name) {
    return fetchBin("facets/" + name + ".bin").then(function (b) {
      // A width byte, then one byte per doc, or two planes (low bytes, then high bytes).
      var width = b[0], none = width === 1 ? 0xff : 0xffff, n = (b.length - 1) / width;
      var codes = new Int32Array(n);
      for (var i = 0; i < n; i++) {
        var c = width === 1 ? b[1 + i] : b[1 + i] | (b[1 + n + i] << 8);
        codes[i] = c === none ? -1 : c;
      }
      return codes;
    });
  }

  function yearOf(doc) {
    var ys = meta.years;
    for (var i = 0; i < ys.length; i++) if (doc >= ys[i].from && doc < ys[i].to) return i;
    return -1;
  }

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
      var count = counts ? counts[i] : v.count;
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
    });
    sortSelect.value = params.get("sort") === "date" ? "date" : "relevance";
  }

  function chosen() {
    var out = {};
    Object.keys(selects).forEach(function (name) {
      var slug = selects[name].value || selects[name].getAttribute("data-initial") || "";
      if (!slug) return;
      var index = values(name).findIndex(function (v) { return v.slug === slug; });
      out[name] = index < 0 ? -2 : index; // an unknown value matches nothing
    });
    return out;
  }

  function writeUrl(filters) {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    Object.keys(filters).forEach(function (name) {
      params.set(name, selects[name].value || selects[name].getAttribute("data-initial"));
    });
    if (sortSelect.value === "date") params.set("sort", "date");
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  function passes(doc, filters, except) {
    for (var name in filters) {
      if (name === except) continue;
      var code = name === "year" ? yearOf(doc) : columns[name][doc];
      if (code !== filters[name]) return false;
    }
    return true;
  }

  function say(text) { status.textContent = text; }

  function run() {
    var mine = ++generation;
    var filters = chosen();
    writeUrl(filters);
    var terms = Array.from(new Set(tokens(input.value, new Set(meta.stop_words))));
    list.textContent = "";
    more.hidden = true;
    var filtering = Object.keys(filters).length > 0;
    if (!terms.length && (input.value.trim() || !filtering)) {
      say(input.value.trim() ? "Those words are too common to search for: add a more specific word." : "");
      return Promise.resolve();
    }
    say("Searching…");
    var needed = Object.keys(filters).filter(function (n) { return n !== "year"; });
    // No words but a filter: every decision in the selection, newest first.
    var found = terms.length ? match(terms) : Promise.resolve(everyDecision());
    return Promise.all([found].concat(needed.map(loadColumn))).then(function (got) {
      if (mine !== generation) return;
      var hits = got[0].filter(function (h) { return passes(h.doc, filters); });
      if (sortSelect.value === "date") hits.sort(function (a, b) { return a.doc - b.doc; });
      else hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      current = { hits: hits, terms: new Set(terms), shown: 0, all: got[0], filters: filters };
      return showMore().then(function () { return updateCounts(mine); });
    }).catch(function (e) {
      if (mine === generation) say("Search is not available right now: " + e.message);
    });
  }

  function everyDecision() {
    var all = new Array(meta.docs);
    for (var d = 0; d < meta.docs; d++) all[d] = { doc: d, score: 0 };
    return all;
  }

  function loadColumn(name) {
    if (columns[name]) return Promise.resolve(columns[name]);
    return facetColumn(name).then(function (codes) { columns[name] = codes; return codes; });
  }

  function showMore() {
    var slice = current.hits.slice(current.shown, current.shown + PAGE);
    var chunks = Array.from(new Set(slice.map(function (h) { return Math.floor(h.doc / meta.chunk); })));
    return Promise.all(chunks.map(function (c) { return fetchJson("docs/" + pad(c) + ".bin"); })).then(function (files) {
      var byChunk = new Map();
      chunks.forEach(function (c, i) { byChunk.set(c, files[i]); });
      slice.forEach(function (h) {
        list.appendChild(render(byChunk.get(Math.floor(h.doc / meta.chunk))[h.doc % meta.chunk]));
      });
      current.shown += slice.length;
      // Milliseconds from navigation to these results (read by tests and benchmarks).
      status.setAttribute("data-ms", String(Math.round(performance.now())));
      more.hidden = current.shown >= current.hits.length;
      var total = current.hits.length;
      var q = input.value.trim();
      var what = q ? " “" + q + "”" : " these filters";
      say(total === 0
        ? "No decisions match" + what + "."
        : total + (total === 1 ? " decision matches" : " decisions match") + what + ". Showing 1 to " + current.shown + ".");
    });
  }

  function updateCounts(mine) {
    return Promise.all(FACETS.map(loadColumn)).then(function () {
      if (mine !== generation) return;
      ["council", "category", "outcome", "year"].forEach(function (name) {
        var counts = new Array(values(name).length).fill(0);
        current.all.forEach(function (h) {
          if (!passes(h.doc, current.filters, name)) return;
          var code = name === "year" ? yearOf(h.doc) : columns[name][h.doc];
          if (code >= 0 && code < counts.length) counts[code]++;
        });
        fillSelect(name, counts);
      });
    });
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
    if (p.getAttribute("data-hits") === "0" && current.terms.size) excerptFromPage(url, current.terms, p);
    li.appendChild(article);
    return li;
  }

  // When the summaries do not have the words, the excerpt comes from the decision page
  // itself (fetched only for the results on screen): its paragraph with most query words.
  function excerptFromPage(url, terms, p) {
    var stop = new Set(meta.stop_words);
    fetch(url).then(function (res) {
      if (!res.ok) throw new Error(res.status);
      return res.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var root = page.querySelector("main") || page.body;
      var best = null, bestCount = 0;
      root.querySelectorAll("p, li").forEach(function (el) {
        if (el.querySelector("p, li")) return;
        var found = new Set(tokens(el.textContent, stop).filter(function (t) { return terms.has(t); }));
        if (found.size > bestCount) { best = el; bestCount = found.size; }
      });
      if (best && p.isConnected) p.replaceWith(highlight(best.textContent.replace(/\s+/g, " ").trim(), terms));
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
  app.hidden = false;
  readUrl();
  fetchJson("meta.bin").then(function (m) {
    meta = m;
    Object.keys(selects).forEach(function (name) { fillSelect(name); });
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    Object.keys(selects).concat(["sort"]).forEach(function (name) {
      var el = name === "sort" ? sortSelect : selects[name];
      el.addEventListener("change", function () {
        if (name !== "sort") selects[name].removeAttribute("data-initial");
        run();
      });
    });
    more.addEventListener("click", function () { showMore(); });
    if (input.value.trim() || Object.keys(chosen()).length) return run();
  }).catch(function (e) {
    say("Search is not available right now: " + e.message);
  });
})();

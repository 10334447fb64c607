// casebook search, the parts that need no page: the tokenizer, the query helpers, reading
// the index's term and pair files, and the scoring of a query's matches. search-index.js and
// search.js run them on the page; tests/search_js.rs and tests/search_browser.rs run them on their own.
//
// The tokenizer (tokens, stem, fnv1a) must match src/search/text.rs word for word.
var casebookSearchCore = (function () {
  "use strict";

  var encoder = new TextEncoder();
  // ---- tokenizer (mirrors src/search/text.rs) ----
  // Snowball's English stemmer, from themes/default/static/porter2.js (the npm package
  // `porter2`), for words of the letters a to z; any other word is its own term.
  function stem(w) {
    return /^[a-z]+$/.test(w) ? window.casebookPorter2(w) : w;
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

  // Every word of text, lowercased, stop words included: [{w, at, end}].
  function words(text) {
    var out = [];
    var re = /[\p{Alphabetic}\p{N}]+/gu;
    var m;
    while ((m = re.exec(text)) !== null) out.push({ w: lower(m[0]), at: m.index, end: m.index + m[0].length });
    return out;
  }

  function tokens(text, stopWords) {
    return words(text).filter(function (x) { return !stopWords.has(x.w); }).map(function (x) { return stem(x.w); });
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

  // A form term (stem, U+0001, the word as written) lives in its stem's file.
  var FORM = "\u0001";
  // A pair (a word's stem, U+0002, the next word's; a stop word as written) is looked up
  // by its hash in the pair files.
  var PAIR = "\u0002";
  function route(term) { return fnv1a(term.split(FORM)[0]); }
  // A pair's hash, from its two words' (src/search/pairs.rs, pair_hash_of_words): the
  // first's times an odd constant, xor the second's, then murmur3's finish.
  function pairHash(pair) {
    var w = pair.split(PAIR);
    var h = (Math.imul(fnv1a(w[0]), 0x9e3779b1) ^ fnv1a(w[1] || "")) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }

  // ---- end of tokenizer ----

  // ---- query helpers (pure; tests/search_browser.rs runs them on their own) ----
  // A query is slots that must all match, phrases to check, and words to leave out:
  //   safegu "child in need" -Kent CIN
  // Each slot is a word (its stem; the last word of the query may be a prefix) or a
  // glossary name written out ("child in need" unquoted), searched as its group's term.
  // groups: meta.synonyms, [{key, names: [{words, capitals}]}].
  function parseQuery(q, stopWords, groups) {
    var out = { slots: [], phrases: [], exclude: [] };
    var re = /(-?)"([^"]*)("?)|(\S+)/g, m, plain = [];
    function flush() {
      var ws = [].concat.apply([], plain.map(words));
      plain = [];
      for (var i = 0; i < ws.length;) {
        var name = nameAt(ws.map(function (x) { return x.w; }), i, groups);
        if (name && name.length > 1) {
          out.slots.push({ kind: "name", key: name.key, text: name.text, words: name.words });
          i += name.length;
          continue;
        }
        var w = ws[i++].w;
        if (stopWords.has(w)) continue;
        out.slots.push({ kind: "word", word: w, stem: stem(w), key: name ? name.key : null });
      }
    }
    while ((m = re.exec(q)) !== null) {
      if (m[2] !== undefined) {
        flush();
        var ws = words(m[2]).map(function (x) { return x.w; });
        if (m[1]) { ws.forEach(function (w) { if (!stopWords.has(w)) out.exclude.push(stem(w)); }); continue; }
        var content = ws.filter(function (w) { return !stopWords.has(w); });
        content.forEach(function (w) { out.slots.push({ kind: "word", word: w, stem: stem(w), key: null, quoted: true }); });
        // Each word must follow the one before: the index's pairs (a stop word as written).
        var pairKey = function (w) { return stopWords.has(w) ? w : stem(w); };
        for (var k = 0; k + 1 < ws.length; k++) {
          out.slots.push({ kind: "pair", key: pairKey(ws[k]) + PAIR + pairKey(ws[k + 1]), text: ws[k] + " " + ws[k + 1] });
        }
        if (ws.length > 1) out.phrases.push({ text: ws.join(" "), stems: ws.map(stem) });
      } else if (/^-[\p{Alphabetic}\p{N}]/u.test(m[4])) {
        flush();
        words(m[4]).forEach(function (x) { if (!stopWords.has(x.w)) out.exclude.push(stem(x.w)); });
      } else {
        plain.push(m[4]);
      }
    }
    flush();
    // The word being typed: the last one, when nothing follows it.
    var last = out.slots[out.slots.length - 1];
    if (last && last.kind === "word" && !last.quoted && /[\p{Alphabetic}\p{N}]$/u.test(q)) last.prefix = true;
    return out;
  }

  // The longest glossary name that starts at word i: {key, length, text, words}.
  function nameAt(ws, i, groups) {
    var best = null;
    (groups || []).forEach(function (g) {
      g.names.forEach(function (n) {
        var k = n.words.length;
        if (best && best.length >= k) return;
        for (var j = 0; j < k; j++) if (ws[i + j] !== n.words[j]) return;
        best = { key: g.key, length: k, text: n.words.join(" "), words: n.words };
      });
    });
    return best;
  }

  // Edits (insert, delete, substitute, swap two neighbours) from a to b, or max + 1 when
  // there are more than max.
  function editDistance(a, b, max) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      var row = [i], low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        row[j] = v;
        if (v < low) low = v;
      }
      if (low > max) return max + 1;
      prev2 = prev; prev = row;
    }
    return prev[b.length];
  }

  // How many edits a word of this length may be away from what the reader meant.
  function allowedEdits(word) {
    var n = Array.from(word).length;
    return n >= 9 ? 2 : n >= 5 ? 1 : 0;
  }

  // The vocabulary's words nearest to `word` (fewest edits, then most decisions):
  // vocab is [[word, decisions]]; returns [] when none is close enough.
  function nearest(vocab, word) {
    var max = allowedEdits(word), best = [], bestD = max + 1;
    if (!max) return [];
    vocab.forEach(function (entry) {
      if (entry[0] === word) return;
      var d = editDistance(word, entry[0], Math.min(max, bestD));
      if (d < bestD) { bestD = d; best = [entry]; } else if (d === bestD && d <= max) best.push(entry);
    });
    best.sort(function (x, y) { return y[1] - x[1] || (x[0] < y[0] ? -1 : 1); });
    return best.map(function (e) { return e[0]; });
  }

  // The key of the word-ending file a word is in: its last two characters, then its
  // length as two digits (`ng12` for `safeguarding`), as the index computes it
  // (`vocab::end_key`); a typo in its first two letters keeps them. `chars` overrides the
  // length.
  function endKey(word, chars) {
    var c = Array.from(word), n = Math.max(0, Math.min(chars === undefined ? c.length : chars, 99));
    return c.slice(-2).join("") + (n < 10 ? "0" : "") + n;
  }

  // The first and last ending keys of the words a typo may stand for by one edit in its
  // first two letters: a letter shorter to a letter longer (`vocab::end_key_range`). One
  // edit, not two: two there make another word (`unanswered`, "answered"). Null under
  // ENDS_FROM letters: a shorter word has too many rhymes (`Dover`, "cover").
  var ENDS_FROM = 6;
  function endKeyRange(typo) {
    var n = Array.from(typo).length;
    return n < ENDS_FROM ? null : [endKey(typo, n - 1), endKey(typo, n + 1)];
  }

  // Whether text `a` sorts at or before `b` as the index sorts it (Rust compares UTF-8
  // bytes, that is code points; `<=` compares UTF-16 units, which disagree between
  // characters above U+FFFF and those from U+E000 to U+FFFF).
  function atOrBefore(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return i >= a.length;
  }

  // The file that holds `key` (a hash, a group of first letters, an ending key), of files
  // of sorted keys whose first keys are `b`.
  function fileFor(key, b) {
    var lo = 0, hi = b.length, text = typeof key === "string";
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (text ? atOrBefore(b[mid], key) : b[mid] <= key) lo = mid + 1; else hi = mid;
    }
    return Math.max(0, lo - 1);
  }

  // The vocabulary's words that start with `prefix`, most decisions first.
  function withPrefix(vocab, prefix) {
    return vocab.filter(function (e) { return e[0].length > prefix.length && e[0].lastIndexOf(prefix, 0) === 0; })
      .sort(function (x, y) { return y[1] - x[1]; }).map(function (e) { return e[0]; });
  }

  // True when the stems of `phrase` follow one another in `text` (stems of every word).
  function hasPhrase(text, phrase) {
    outer: for (var i = 0; i + phrase.length <= text.length; i++) {
      for (var j = 0; j < phrase.length; j++) if (text[i + j] !== phrase[j]) continue outer;
      return true;
    }
    return false;
  }
  // ---- end of query helpers ----

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

  // ---- block files (mirrors src/search/blocks.rs) ----
  // A pair file is "CBB1", its table's length (4 bytes, little-endian), the table (a
  // varint count, then per block the varint gap of its first key from the previous one's
  // and the varint length of the block), then the blocks, each a gzip stream.
  var BLOCK_MAGIC = [0x43, 0x42, 0x42, 0x31];

  // The bytes of a block file's head (magic, length, table), or -1 when `head` is too
  // short to say or is not a block file.
  function blockHeadLength(head) {
    if (head.length < 8 || BLOCK_MAGIC.some(function (b, i) { return head[i] !== b; })) return -1;
    return 8 + (head[4] + head[5] * 256 + head[6] * 65536 + head[7] * 16777216);
  }

  // [{first, from, to}] per block of the file whose head is `head`, or null.
  function readBlockTable(head) {
    var end = blockHeadLength(head);
    if (end < 0 || head.length < end) return null;
    var pos = { i: 8 }, count = varint(head, pos), first = 0, at = end, blocks = [];
    for (var b = 0; b < count && pos.i < end; b++) {
      first += varint(head, pos);
      var size = varint(head, pos);
      blocks.push({ first: first, from: at, to: at + size });
      at += size;
    }
    return blocks.length === count ? blocks : null;
  }

  // The block that holds `key`: the last whose first key is not above it.
  function blockFor(blocks, key) {
    var lo = 0, hi = blocks.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (blocks[mid].first <= key) lo = mid + 1; else hi = mid;
    }
    return lo > 0 ? blocks[lo - 1] : null;
  }
  // ---- end of block files ----

  // A term's entry and, for a stem, its forms: {list, forms: {word: list}} or null.
  // A form's list of kind 2 is its stem's; kinds 3 to 5 are positions in it.
  function findTerm(buf, term) {
    var pos = { i: 0 };
    var count = varint(buf, pos);
    var decoder = new TextDecoder();
    var found = null, forms = {}, prefix = term + FORM;
    for (var t = 0; t < count; t++) {
      var len = varint(buf, pos);
      var text = decoder.decode(buf.subarray(pos.i, pos.i + len));
      pos.i += len;
      var kind = buf[pos.i++];
      var df = varint(buf, pos);
      var dataLen = varint(buf, pos);
      var list = { kind: kind, df: df, data: buf.subarray(pos.i, pos.i + dataLen) };
      if (text === term) found = list;
      else if (text.lastIndexOf(prefix, 0) === 0) forms[text.slice(prefix.length)] = list;
      pos.i += dataLen;
    }
    if (!found) return null;
    Object.keys(forms).forEach(function (w) {
      if (forms[w].kind === 2) forms[w] = found; else if (forms[w].kind >= 3) forms[w].base = found;
    });
    return { list: found, forms: forms };
  }

  // A form's list (kinds 3 to 5) picks positions of its stem's list: the positions it has,
  // a bitmap over them, or the positions it lacks; each decision keeps the stem's impact.
  function subset(list) {
    var all = Array.from(postings(list.base)), keep, out = new Map(), pos = { i: 0 }, p = -1;
    if (list.kind === 4) {
      keep = function (i) { return (list.data[i >> 3] & (1 << (i & 7))) !== 0; };
    } else {
      var listed = new Set();
      while (pos.i < list.data.length) { p += varint(list.data, pos); listed.add(p); }
      keep = list.kind === 3 ? function (i) { return listed.has(i); } : function (i) { return !listed.has(i); };
    }
    all.forEach(function (pair, i) { if (keep(i)) out.set(pair[0], pair[1]); });
    return out;
  }

  function postings(list) {
    if (list.kind >= 3 && list.kind <= 5) return subset(list);
    var out = new Map();
    if (list.kind === 1) {
      for (var i = 0; i < list.data.length; i++) {
        var byte = list.data[i];
        for (var bit = 0; bit < 8; bit++) if (byte & (1 << bit)) out.set(i * 8 + bit, 4);
      }
      return out;
    }
    var pos = { i: 0 }, doc = -1;
    // Kind 6: doc ids without impacts (a pair of words).
    if (list.kind === 6) {
      while (pos.i < list.data.length) { doc += varint(list.data, pos); out.set(doc, 1); }
      return out;
    }
    while (pos.i < list.data.length) {
      var v = varint(list.data, pos);
      doc += Math.floor(v / 16);
      out.set(doc, v % 16);
    }
    return out;
  }

  // A pair's entry ({list, forms: {}}) in one pair file, or null: pair files list hashes,
  // not text (each a gap from the one before), and a shared hash only adds candidates the
  // pages rule out.
  function findPair(buf, hash) {
    var pos = { i: 0 }, count = varint(buf, pos), h = 0;
    for (var t = 0; t < count; t++) {
      h += varint(buf, pos);
      var kind = buf[pos.i++], df = varint(buf, pos), len = varint(buf, pos);
      if (h === hash) return { list: { kind: kind, df: df, data: buf.subarray(pos.i, pos.i + len) }, forms: {} };
      if (h > hash) break;
      pos.i += len;
    }
    return null;
  }

  // A result with the exact word gains this share of the word's weight over one with
  // only another form of it.
  var EXACT_BONUS = 0.5;

  // Every slot must match; a slot's score is its best alternative's idf * impact, plus the
  // bonus when the decision has the word exactly as written. Returns [{doc, score, exact}]
  // (exact: how many of the slots the decision matches with the word as written).
  function match(resolved, excluded, n) {
    if (resolved.some(function (r) { return !r.alts.length; })) return [];
    var scores = null;
    var slots = resolved.map(function (r) {
      var per = new Map(), exactly = new Set(), df = 0;
      r.alts.forEach(function (alt) {
        var idf = Math.log(1 + (n - alt.entry.list.df + 0.5) / (alt.entry.list.df + 0.5));
        var exact = alt.exact ? postings(alt.exact) : new Map();
        df += alt.entry.list.df;
        postings(alt.entry.list).forEach(function (impact, doc) {
          if (exact.has(doc)) exactly.add(doc);
          var score = alt.weight * idf * (impact + (exact.has(doc) ? EXACT_BONUS * exact.get(doc) : 0));
          if (!(per.get(doc) >= score)) per.set(doc, score);
        });
      });
      return { per: per, exactly: exactly, df: df };
    });
    slots.sort(function (a, b) { return a.df - b.df; });
    slots.forEach(function (slot) {
      var next = new Map();
      (scores || slot.per).forEach(function (value, doc) {
        var add = slot.per.get(doc);
        if (add !== undefined) next.set(doc, (scores ? value : 0) + add);
      });
      scores = next;
    });
    excluded.forEach(function (e) { if (e) postings(e.list).forEach(function (_, doc) { scores.delete(doc); }); });
    var out = [];
    scores.forEach(function (score, doc) {
      var exact = 0;
      slots.forEach(function (slot) { if (slot.exactly.has(doc)) exact++; });
      out.push({ doc: doc, score: score, exact: exact });
    });
    return out;
  }

  // A cache of promises for the visit: memo()(key, make) is what make() promises, made
  // once under `key`, and forgotten if it fails, so that a later call tries again.
  function memo() {
    var cache = new Map();
    return function (key, make) {
      if (cache.has(key)) return cache.get(key);
      var p = make();
      cache.set(key, p);
      p.catch(function () { cache.delete(key); });
      return p;
    };
  }

  return {
    stem: stem,
    lower: lower,
    words: words,
    tokens: tokens,
    fnv1a: fnv1a,
    FORM: FORM,
    PAIR: PAIR,
    pairHash: pairHash,
    route: route,
    parseQuery: parseQuery,
    nameAt: nameAt,
    editDistance: editDistance,
    allowedEdits: allowedEdits,
    nearest: nearest,
    withPrefix: withPrefix,
    endKeyRange: endKeyRange,
    hasPhrase: hasPhrase,
    varint: varint,
    fileFor: fileFor,
    findTerm: findTerm,
    subset: subset,
    postings: postings,
    findPair: findPair,
    blockHeadLength: blockHeadLength,
    readBlockTable: readBlockTable,
    blockFor: blockFor,
    match: match,
    memo: memo
  };
})();

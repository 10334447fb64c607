// casebook search, the index in the browser: fetching the files that `casebook build`
// writes to search/index/ (whole, by ranges, and the blocks of the pair files), each
// fetched once a visit; terms and pairs found in them; the vocabulary read for prefixes
// and typos; and what each slot of a query stands for. No page: search.js, loaded after
// it, makes one with casebookSearchIndex(indexBase) and loads the table of contents.
var casebookSearchIndex = function (indexBase) {
  "use strict";
  var core = window.casebookSearchCore;
  var stem = core.stem;
  var pairHash = core.pairHash;
  var route = core.route;
  var editDistance = core.editDistance;
  var allowedEdits = core.allowedEdits;
  var nearest = core.nearest;
  var withPrefix = core.withPrefix;
  var fileFor = core.fileFor;
  var findTerm = core.findTerm;
  var findPair = core.findPair;
  // The table of contents (meta.bin), once loaded: every later fetch names its build.
  var meta = null;
  // The index format this script reads (src/search/mod.rs, FORMAT).
  var FORMAT = 5;

  // Each file (and range) fetched once a visit; a failed fetch is tried again later.
  var remember = core.memo();

  function fetchBin(path) {
    return remember(path, function () {
      var url = indexBase + path + (meta ? "?v=" + meta.build : "");
      return fetch(url, meta ? {} : { cache: "no-cache" }).then(function (res) {
        if (!res.ok) throw new Error("could not load " + path + " (" + res.status + ")");
        var stream = res.body.pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).arrayBuffer();
      }).then(function (buf) { return new Uint8Array(buf); });
    });
  }

  function fetchJson(path) {
    return fetchBin(path).then(function (b) { return JSON.parse(new TextDecoder().decode(b)); });
  }

  function pad(n) { return String(n).padStart(4, "0"); }

  function lookup(term) {
    return fetchBin("terms/" + pad(fileFor(route(term), meta.term_files)) + ".bin").then(function (buf) {
      return findTerm(buf, term);
    });
  }

  // Bytes [from, to) of the index file `path`, by a range request. A host that ignores
  // ranges sends the whole file (200): it is kept, and the file's other ranges come from it.
  var wholeFiles = new Map();
  function fetchRange(path, from, to) {
    return remember(path + "#" + from + "-" + to, function () {
      return wholeFiles.has(path) ? Promise.resolve(wholeFiles.get(path).subarray(from, to))
        : fetchRangeNow(path, from, to);
    });
  }

  function fetchRangeNow(path, from, to) {
    return fetch(indexBase + path + "?v=" + meta.build, { headers: { Range: "bytes=" + from + "-" + (to - 1) } }).then(function (res) {
      if (!res.ok) throw new Error("could not load " + path + " (" + res.status + ")");
      return res.arrayBuffer().then(function (buf) {
        var bytes = new Uint8Array(buf);
        if (res.status === 206) {
          // A host may send a wider range than asked for: cut ours from where it starts.
          var sent = /bytes (\d+)-\d+\/(\d+)/.exec(res.headers.get("Content-Range") || "");
          var start = sent ? Number(sent[1]) : from;
          if (start > from) throw new Error("could not load " + path + " (a range from " + start + ")");
          if (sent) sameFile(path, Number(sent[2]));
          return bytes.subarray(from - start, to - start);
        }
        sameFile(path, bytes.length);
        wholeFiles.set(path, bytes);
        return bytes.subarray(from, to);
      });
    });
  }

  // The length of each file read by ranges, as its host said: a later range of another
  // length comes from a newer build (a deploy between two reads), whose blocks the table
  // already read does not place.
  var fileSizes = new Map();
  function sameFile(path, size) {
    if (fileSizes.has(path) && fileSizes.get(path) !== size) {
      throw new Error("the search index changed while it was read: reload the page");
    }
    fileSizes.set(path, size);
  }

  function inflate(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (buf) { return new Uint8Array(buf); });
  }

  // A block file's table: its first HEAD_BYTES hold it but in a file of very many blocks.
  var HEAD_BYTES = 2048;
  function blockTable(path) {
    return remember(path + "#table", function () {
      return fetchRange(path, 0, HEAD_BYTES).then(function (head) {
        var end = core.blockHeadLength(head);
        return end > head.length ? fetchRange(path, 0, end) : head;
      }).then(function (head) {
        var table = core.readBlockTable(head);
        if (!table) throw new Error(path + " is not a block file");
        if (table.length) sameFile(path, table[table.length - 1].to);
        return { blocks: table, head: head };
      });
    });
  }

  // A pair's decisions: the pair file's table, then the one block that may hold it.
  function lookupPair(pair) {
    var hash = pairHash(pair);
    var path = "pairs/" + pad(fileFor(hash, meta.pair_files)) + ".bin";
    return blockTable(path).then(function (table) {
      var block = core.blockFor(table.blocks, hash);
      if (!block) return null;
      // A small file came whole with its table.
      var bytes = block.to <= table.head.length ? Promise.resolve(table.head.subarray(block.from, block.to))
        : fetchRange(path, block.from, block.to);
      return bytes.then(inflate).then(function (buf) {
        return findPair(buf, hash);
      });
    });
  }

  // ---- vocabulary (for prefixes and typos) ----
  function group(word) { return Array.from(word).slice(0, 2).join(""); }

  // A vocabulary file's lines: [[word, decisions]].
  function readVocab(buf) {
    return new TextDecoder().decode(buf).split("\n").filter(Boolean).map(function (line) {
      var tab = line.indexOf("\t");
      return [line.slice(0, tab), Number(line.slice(tab + 1))];
    });
  }

  // The words with the first two letters of `word`.
  function vocabFor(word) {
    var b = meta.vocab_files || [];
    if (!b.length) return Promise.resolve([]);
    return fetchBin("vocab/" + pad(fileFor(group(word), b)) + ".bin").then(readVocab);
  }

  // The words a typo may stand for by one edit in its first two letters (`sfaeguarding`):
  // those of the word-ending files (most often one) of its key range (`endKeyRange`).
  function endsFor(word) {
    var b = meta.end_files || [], range = core.endKeyRange(word);
    if (!b.length || !range) return Promise.resolve([]);
    var from = fileFor(range[0], b), to = fileFor(range[1], b), reads = [];
    for (var i = from; i <= to; i++) reads.push(fetchBin("ends/" + pad(i) + ".bin").then(readVocab));
    return Promise.all(reads).then(function (lists) { return [].concat.apply([], lists); });
  }

  // The written words nearest to `word`: from its vocabulary file (`vocab`), unless that
  // file has no word one edit away and its word-ending files do. One edit is as near as a
  // word not in the index can be, so a word that near in the vocabulary file needs no
  // other file. An ending file that cannot be read only leaves its words out.
  function nearWords(vocab, word) {
    var near = nearest(vocab, word), max = allowedEdits(word);
    if (!max || (near.length && editDistance(word, near[0], 1) <= 1)) return Promise.resolve(near);
    return endsFor(word).catch(function () { return []; }).then(function (ends) {
      var other = nearest(ends, word);
      return other.length && editDistance(word, other[0], 1) <= 1 ? other : near;
    });
  }

  // What one slot of the query searches for: [{entry, weight, exact}] (the decisions of
  // any alternative match), and what the page should say about it (a typo's correction,
  // the words a prefix stands for).
  var PREFIX_WORDS = 4;
  function resolve(slot) {
    if (slot.kind === "pair") {
      return lookupPair(slot.key).then(function (e) {
        return { alts: e ? [{ entry: e, weight: 1, exact: null }] : [] };
      });
    }
    if (slot.kind === "name") {
      return lookup(slot.key).then(function (e) {
        return { alts: e ? [{ entry: e, weight: 1, exact: e.list }] : [] };
      });
    }
    var own = lookup(slot.stem);
    var named = slot.key ? lookup(slot.key) : Promise.resolve(null);
    return Promise.all([own, named]).then(function (got) {
      var e = got[0], alts = [];
      if (e) alts.push({ entry: e, weight: 1, exact: e.forms[slot.word] || null });
      if (got[1]) alts.push({ entry: got[1], weight: 1, exact: got[1].list });
      // A word whose stem is indexed but which no decision writes may be a slip that
      // stems to another word (`norlying`, "nor"): the nearest written word joins it.
      if (e && !e.forms[slot.word] && !slot.quoted && allowedEdits(slot.word)) return alsoNearest(slot, alts);
      if (alts.length || slot.quoted) return { alts: alts };
      return vocabFor(slot.word).then(function (vocab) {
        var typed = slot.prefix ? withPrefix(vocab, slot.word) : [];
        // A completion within a typo's reach of the word is what the reader meant
        // (`Cafcas`: Cafcass); a shorter start (`safegu`) is a word being typed.
        var meant = typed.length && editDistance(slot.word, typed[0], allowedEdits(slot.word)) <= allowedEdits(slot.word) ? typed[0] : null;
        if (typed.length) return alternatives(typed.slice(0, 16), 0.9).then(function (a) { return { alts: a, prefix: true, corrected: meant }; });
        return nearWords(vocab, slot.word).then(function (near) {
          if (!near.length) return { alts: [] };
          return alternatives(near.slice(0, 1), 0.9).then(function (a) { return { alts: a, corrected: near[0] }; });
        });
      });
    });
  }

  // The slot's own alternatives, and the nearest written word of another stem (ranked as
  // written, so its decisions come first), which the page says it included.
  function alsoNearest(slot, alts) {
    return vocabFor(slot.word).then(function (vocab) {
      var near = nearest(vocab, slot.word).filter(function (w) { return stem(w) !== slot.stem; });
      if (!near.length) return { alts: alts };
      return alternatives(near.slice(0, 1), 0.9).then(function (a) { return { alts: alts.concat(a), also: near[0] }; });
    });
  }

  // The entries of written words (distinct stems, at most PREFIX_WORDS), each ranking its
  // exact form first.
  function alternatives(written, weight) {
    var stems = [], seen = new Set();
    written.forEach(function (w) {
      var s = stem(w);
      if (!seen.has(s) && stems.length < PREFIX_WORDS) { seen.add(s); stems.push([s, w]); }
    });
    return Promise.all(stems.map(function (p) { return lookup(p[0]); })).then(function (entries) {
      var out = [];
      entries.forEach(function (e, i) {
        if (e) out.push({ entry: e, weight: weight, exact: e.forms[stems[i][1]] || null, stem: stems[i][0] });
      });
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

  return {
    // Loads the table of contents; the index's other files are read after it.
    load: function () {
      return fetchJson("meta.bin").then(function (m) {
        if (m.version !== FORMAT) {
          throw new Error("the index is of another version than this page's script (reload the page)");
        }
        meta = m;
        return m;
      });
    },
    // The cards of the decisions of chunk `n` (meta.chunk decisions a file).
    cards: function (n) { return fetchJson("docs/" + pad(n) + ".bin"); },
    lookup: lookup,
    resolve: resolve,
    facetColumn: facetColumn,
    yearOf: yearOf
  };
};

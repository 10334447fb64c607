// Time to first results, in real time, in headless Chromium (Chrome DevTools Protocol),
// and what the whole query fetched.
//
//   node --experimental-websocket benches/search_first_results.mjs URL [URL...]
//   SITE_ROOT=public node --experimental-websocket benches/search_first_results.mjs URL...
//
// Each URL is a search page with ?q=...; search.js sets data-ms on #search-status when the
// first results are on screen (milliseconds since navigation started). Serve the site
// first (for example the index written by `SEARCH_BENCH_OUT=dir cargo bench --bench search`,
// or a built site's folder with `python3 -m http.server`). The page is then left until
// it has fetched nothing for a second (the excerpts read from decision pages come after
// the first results), and every file it fetched is listed. With SITE_ROOT (the served
// folder), each is counted at the size a host that compresses sends: the index files as
// they are (already gzip), anything else gzipped at level 6, and a range the server sent
// (206, the search index's pair files) at its own length. Serve with a server that answers
// ranges (`casebook serve`) to count what a static host sends.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const siteRoot = process.env.SITE_ROOT;
// The bytes a compressing host sends for the file at `path` (below SITE_ROOT).
function sentBytes(path) {
  let file = join(siteRoot, decodeURIComponent(path));
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) return 0;
  const bytes = readFileSync(file);
  return path.endsWith(".bin") ? bytes.length : gzipSync(bytes, { level: 6 }).length;
}

const profile = mkdtempSync(join(tmpdir(), "cb-chromium-"));
const chrome = spawn("/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu",
  "--disable-background-networking", "--no-first-run", "--disable-component-update",
  "--disable-sync", `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank"],
  { stdio: "ignore" });
const portFile = join(profile, "DevToolsActivePort");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
while (!existsSync(portFile)) await sleep(50);
await sleep(100);
const port = readFileSync(portFile, "utf8").split("\n")[0];
const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const page = targets.find((t) => t.type === "page");
const ws = new WebSocket(page.webSocketDebuggerUrl);
await new Promise((r) => ws.addEventListener("open", r));
let id = 0;
const pending = new Map();
let requested = [];
const ranged = new Map();
let lastRequest = Date.now();
ws.addEventListener("message", (e) => {
  const msg = JSON.parse(e.data);
  if (msg.method === "Network.requestWillBeSent") {
    requested.push({ id: msg.params.requestId, path: new URL(msg.params.request.url).pathname });
    lastRequest = Date.now();
  }
  // A range sent (206): its bytes, not the file's, are what moved.
  if (msg.method === "Network.responseReceived" && msg.params.response.status === 206) {
    const headers = msg.params.response.headers;
    const key = Object.keys(headers).find((k) => k.toLowerCase() === "content-range");
    const m = key && /bytes (\d+)-(\d+)\//.exec(headers[key]);
    if (m) ranged.set(msg.params.requestId, Number(m[2]) - Number(m[1]) + 1);
  }
  if (pending.has(msg.id)) { pending.get(msg.id)(msg.result); pending.delete(msg.id); }
});
const send = (method, params = {}) => new Promise((r) => {
  pending.set(++id, r);
  ws.send(JSON.stringify({ id, method, params }));
});
await send("Network.enable");
await send("Network.setCacheDisabled", { cacheDisabled: true });
for (const url of process.argv.slice(2)) {
  requested = [];
  await send("Page.navigate", { url });
  let ms = null, text = "";
  for (let i = 0; i < 200 && ms === null; i++) {
    await sleep(50);
    const r = await send("Runtime.evaluate", { expression:
      "(function(){var s=document.getElementById('search-status');return s&&s.dataset.ms?s.dataset.ms+'|'+s.textContent:null})()",
      returnByValue: true });
    if (r && r.result && r.result.value) [ms, text] = r.result.value.split("|");
  }
  console.log(`${ms ?? "timeout"} ms  ${url}  ${text}`);
  const atFirst = requested.length;
  while (Date.now() - lastRequest < 1000) await sleep(100);
  const wanted = (r) => !r.path.endsWith("/search/") && !r.path.endsWith(".js") && !r.path.endsWith(".css");
  const bytesOf = (r) => (ranged.has(r.id) ? ranged.get(r.id) : sentBytes(r.path));
  const paths = requested.filter(wanted);
  if (siteRoot) {
    const total = paths.reduce((a, r) => a + bytesOf(r), 0);
    const first = requested.slice(0, atFirst).filter(wanted);
    const firstBytes = first.reduce((a, r) => a + bytesOf(r), 0);
    const ranges = paths.filter((r) => ranged.has(r.id)).length;
    console.log(`  to first results: ${first.length} requests, ${(firstBytes / 1000).toFixed(0)} KB`);
    const pages = paths.filter((r) => !r.path.includes("/search/index/"));
    const pageBytes = pages.reduce((a, r) => a + bytesOf(r), 0);
    console.log(`  whole query: ${paths.length} requests (${ranges} of them ranges), ${(total / 1000).toFixed(0)} KB (index ${((total - pageBytes) / 1000).toFixed(0)} KB, ${pages.length} decision pages for excerpts ${(pageBytes / 1000).toFixed(0)} KB)`);
  } else {
    console.log(`  whole query: ${paths.length} requests: ${paths.map((r) => r.path + (ranged.has(r.id) ? ` (${ranged.get(r.id)} bytes)` : "")).join(" ")}`);
  }
}
ws.close();
chrome.kill();

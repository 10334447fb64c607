// Time to first results, in real time, in headless Chromium (Chrome DevTools Protocol).
//
//   node --experimental-websocket benches/search_first_results.mjs URL [URL...]
//
// Each URL is a search page with ?q=...; search.js sets data-ms on #search-status when the
// first results are on screen (milliseconds since navigation started). Serve the site
// first (for example the index written by `SEARCH_BENCH_OUT=dir cargo bench --bench search`).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
ws.addEventListener("message", (e) => {
  const msg = JSON.parse(e.data);
  if (pending.has(msg.id)) { pending.get(msg.id)(msg.result); pending.delete(msg.id); }
});
const send = (method, params = {}) => new Promise((r) => {
  pending.set(++id, r);
  ws.send(JSON.stringify({ id, method, params }));
});
await send("Network.enable");
await send("Network.setCacheDisabled", { cacheDisabled: true });
for (const url of process.argv.slice(2)) {
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
}
ws.close();
chrome.kill();

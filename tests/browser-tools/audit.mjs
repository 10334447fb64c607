// The accessibility and reflow audit the browser tests run: serves a built site from
// 127.0.0.1, opens each page in Debian's headless Chromium (through playwright-core), and
// for every width and colour scheme runs axe-core (WCAG 2.2 A and AA, and best practice)
// and measures whether the page scrolls sideways. Prints one JSON object on stdout:
//   { "results": [ { page, path, width, scheme, violations: [ { id, impact, help,
//     targets } ], scrollWidth, clientWidth } ] }
// and keeps a screenshot of each view in the screenshots folder.
//
// Usage: node audit.mjs <config.json>, where the config is
//   { "root": built site folder, "chromium": path, "screenshots": folder,
//     "pages": [ { "name", "path", "waitFor"?: CSS selector } ],
//     "views": [ { "width", "height", "scheme": "light" | "dark", "axe"?: false } ],
//     "flags": [ chromium flags ] }
// A view with "axe": false is only measured for sideways scrolling (violations: null).

import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { extname, join, normalize, resolve, sep } from "node:path";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

const config = JSON.parse(await readFile(process.argv[2], "utf8"));
const root = resolve(config.root);

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".xml": "application/xml",
  ".csv": "text/csv; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".bin": "application/octet-stream",
};

// A plain static server, as any host would serve the folder: a folder gives its
// index.html, an unknown path the site's 404.html with status 404.
async function serveFile(req, res) {
  const url = new URL(req.url, "http://127.0.0.1");
  let path = normalize(join(root, decodeURIComponent(url.pathname)));
  if (path !== root && !path.startsWith(root + sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    if ((await stat(path)).isDirectory()) path = join(path, "index.html");
    const body = await readFile(path);
    res.writeHead(200, { "content-type": TYPES[extname(path)] || "application/octet-stream" });
    res.end(body);
  } catch {
    const body = await readFile(join(root, "404.html")).catch(() => "not found");
    res.writeHead(404, { "content-type": TYPES[".html"] }).end(body);
  }
}

const server = createServer((req, res) => {
  serveFile(req, res).catch(() => res.writeHead(500).end());
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: config.chromium,
  args: config.flags,
});
const results = [];
try {
  for (const view of config.views) {
    const context = await browser.newContext({
      viewport: { width: view.width, height: view.height },
      colorScheme: view.scheme,
    });
    const page = await context.newPage();
    for (const target of config.pages) {
      await page.goto(base + target.path, { waitUntil: "load" });
      if (target.waitFor) await page.waitForSelector(target.waitFor, { timeout: 15000 });
      let axe = null;
      if (view.axe !== false) {
        await page.addScriptTag({ content: axeSource });
        axe = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, {
          runOnly: {
            type: "tag",
            values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"],
          },
          resultTypes: ["violations"],
        });
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.map((n) => n.target.join(" ")),
        }));
        });
      }
      const size = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      await page.screenshot({
        path: join(config.screenshots, `${target.name}-${view.width}-${view.scheme}.png`),
      });
      results.push({
        page: target.name,
        path: target.path,
        width: view.width,
        scheme: view.scheme,
        violations: axe,
        ...size,
      });
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
process.stdout.write(JSON.stringify({ results }) + "\n");

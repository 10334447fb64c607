//! The default site built and served for the search tests: the real binary builds it at a
//! domain root into a temporary folder, a small server on 127.0.0.1 serves it, and
//! headless Chromium reads what the search page shows.

#![allow(dead_code, reason = "each test binary uses a part")]

use std::path::{Path, PathBuf};
use std::process::Command;

use super::chromium;

pub(crate) fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the default site in this repository into `root`, with root-relative links.
pub(crate) fn assemble_site(root: &Path) {
    build_at_root(&manifest(), Some(root));
}

/// Builds the site at `site` with links from the domain's root, into `output` (its
/// `public/` when `None`).
pub(crate) fn build_at_root(site: &Path, output: Option<&Path>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_casebook"));
    command
        .arg("--root")
        .arg(site)
        .args(["build", "--base-url", "/"]);
    if let Some(output) = output {
        command.arg("--output").arg(output);
    }
    let out = command.output().expect("casebook runs");
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The static server the browser tests share (one thread, folders answered with their
/// `index.html`, the site's `404.html` for a missing path).
#[allow(unused_imports, reason = "each test binary uses a part")]
pub(crate) use super::static_server::serve;

pub(crate) fn browse(extra: &[&str], url: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let output = chromium::command(profile.path())
        .arg("--virtual-time-budget=5000")
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Writes the test page `page` as `name` in a fresh folder and returns its DOM after its
/// scripts ran in Chromium.
pub(crate) fn browse_page(name: &str, page: &str) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join(name);
    std::fs::write(&file, page).expect("write");
    browse(&["--dump-dom"], &format!("file://{}", file.display()))
}

/// What a test page's script wrote into its `<pre id="out">`, as it stands in `dom`.
pub(crate) fn out_text(dom: &str) -> Option<&str> {
    dom.split("<pre id=\"out\">")
        .nth(1)
        .and_then(|s| s.split("</pre>").next())
}

/// What a test page's script wrote into its `<pre id="out">` as JSON, parsed (the DOM's
/// `&amp;` read back as `&`).
#[allow(dead_code, reason = "each test binary uses a part")]
pub(crate) fn page_output(dom: &str) -> serde_json::Value {
    let json = out_text(dom).unwrap_or("").replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("page output {e}: {dom}"))
}

/// The strings of a JSON array (none for anything else).
#[allow(dead_code, reason = "each test binary uses a part")]
pub(crate) fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The site path an `href` on the page at `page` (a path like `/search/`) leads to: links
/// between pages are relative, and a folder's link may name its `index.html`.
pub(crate) fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = if href.starts_with('/') {
        Vec::new()
    } else {
        let folder = &page[..=page.rfind('/').unwrap_or(0)];
        folder.split('/').filter(|p| !p.is_empty()).collect()
    };
    let href = href.split(['?', '#']).next().unwrap_or("");
    let segments: Vec<&str> = href.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.into_iter().enumerate() {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            "index.html" if i == last => {}
            other => parts.push(other),
        }
    }
    let mut path = format!("/{}", parts.join("/"));
    let file = href.rsplit('/').next().unwrap_or("");
    if path.len() > 1 && (file.is_empty() || file == "index.html" || file == "." || file == "..") {
        path.push('/');
    }
    path
}

/// The result links in the DOM's results list, as the site paths they lead to from the
/// search page, and the status text.
pub(crate) fn results(dom: &str) -> (Vec<String>, String) {
    let list = dom
        .split("id=\"search-results\"")
        .nth(1)
        .and_then(|s| s.split("</ol>").next())
        .unwrap_or("");
    let links = list
        .split("<a href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|href| resolve("/search/", href))
        .collect();
    let status = dom
        .split("id=\"search-status\"")
        .nth(1)
        .and_then(|s| s.split('>').nth(1))
        .and_then(|s| s.split('<').next())
        .unwrap_or("")
        .to_string();
    (links, status)
}

/// The results (in order) and the status line of the search page of the site served at
/// `base` for `query`, opened as a deep link.
pub(crate) fn search(base: &str, query: &str) -> (Vec<String>, String) {
    let encoded: String = query
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    results(&browse(
        &["--dump-dom"],
        &format!("{base}/search/?q={encoded}"),
    ))
}

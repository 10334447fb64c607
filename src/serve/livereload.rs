//! Live reload for the preview, and only for it: the small script that `serve` injects into
//! the HTML it sends (never into built files), the Server-Sent Events stream that tells the
//! script to reload or to show build errors, and the errors' overlay payload.
//!
//! Protocol on `/__casebook/events`: on connect the server sends `hello` (the site version)
//! and then `errors` (a JSON list) or `ok`; after that `reload`, `errors` or `ok` as builds
//! happen. A browser that reconnects with a different version reloads, so a reload missed
//! while disconnected is not lost.

use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Serialize;
use tokio::sync::broadcast::error::RecvError;

use super::state::{LiveEvent, Shared};
use crate::diagnostics::Diagnostic;

/// The URL of the live-reload script.
pub const SCRIPT_PATH: &str = "/__casebook/livereload.js";
/// The URL of the event stream.
pub const EVENTS_PATH: &str = "/__casebook/events";

/// The script: shows the errors its tag carries (`data-errors`) at once, then reloads on
/// `reload`, shows an overlay on `errors` and hides it on `ok`. Text goes in through
/// `textContent`, never as HTML.
pub const SCRIPT: &str = r#"(() => {
  "use strict";
  let version = null, overlay = null;
  const initial = document.currentScript && document.currentScript.dataset.errors;
  const show = (items) => {
    if (overlay) overlay.remove();
    overlay = document.createElement("div");
    overlay.id = "casebook-errors";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,monospace;padding:2em";
    const title = document.createElement("h2");
    title.textContent = "casebook: the last edit broke the build. Still showing the last good site.";
    const hide = document.createElement("button");
    hide.type = "button";
    hide.textContent = "Hide and show the last good page";
    hide.addEventListener("click", () => { overlay.remove(); overlay = null; });
    overlay.append(title, hide);
    for (const item of items) {
      const where = document.createElement("p");
      where.style.cssText = "color:#ffb4a8;font-weight:bold;margin:1.5em 0 .3em";
      where.textContent = item.file + (item.line ? ":" + item.line + ":" + item.column : "");
      const text = document.createElement("pre");
      text.style.cssText = "white-space:pre-wrap;margin:0";
      text.textContent = item.text;
      overlay.append(where, text);
    }
    (document.body || document.documentElement).appendChild(overlay);
  };
  if (initial) show(JSON.parse(initial));
  const source = new EventSource("/__casebook/events");
  source.addEventListener("hello", (e) => {
    if (version !== null && version !== e.data) location.reload();
    version = e.data;
  });
  source.addEventListener("reload", () => location.reload());
  source.addEventListener("ok", () => { if (overlay) { overlay.remove(); overlay = null; } });
  source.addEventListener("errors", (e) => show(JSON.parse(e.data)));
})();
"#;

/// The tag that loads the script, without its end.
const SCRIPT_TAG_START: &str = "<script src=\"/__casebook/livereload.js\" defer";

/// The script tag, carrying the current errors' overlay payload (if any) so a page opened
/// while the build is broken shows them at once.
fn script_tag(errors_json: Option<&str>) -> String {
    match errors_json {
        Some(json) => format!(
            "{SCRIPT_TAG_START} data-errors=\"{}\"></script>",
            escape_attribute(json)
        ),
        None => format!("{SCRIPT_TAG_START}></script>"),
    }
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Adds the live-reload script tag to an HTML page: before the last `</body>`, or at the
/// end when there is none. Only the preview server calls this, on responses it sends; the
/// built files stay as they are.
pub fn inject_livereload(html: &[u8], errors_json: Option<&str>) -> Vec<u8> {
    let tag = script_tag(errors_json);
    let mut out = Vec::with_capacity(html.len() + tag.len());
    match rfind_ascii_ci(html, b"</body>") {
        Some(at) => {
            out.extend_from_slice(&html[..at]);
            out.extend_from_slice(tag.as_bytes());
            out.extend_from_slice(&html[at..]);
        }
        None => {
            out.extend_from_slice(html);
            out.extend_from_slice(tag.as_bytes());
        }
    }
    out
}

fn rfind_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// One build error as the overlay shows it.
#[derive(Debug, Serialize)]
struct OverlayItem {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    text: String,
}

/// The overlay payload for `diagnostics`: file, line, column and the rendered message with
/// a snippet of the file (read from disk, relative to `root` when the path is relative).
pub fn overlay_json(root: &Path, diagnostics: &[Diagnostic]) -> String {
    let items: Vec<OverlayItem> = diagnostics
        .iter()
        .map(|d| {
            let source = std::fs::read_to_string(root.join(&d.path)).ok();
            OverlayItem {
                file: d.path.display().to_string(),
                line: d.location.map(|l| l.line),
                column: d.location.map(|l| l.column),
                text: d.render(source.as_deref()),
            }
        })
        .collect();
    serde_json::to_string(&items).unwrap_or_else(|_| "[]".to_string())
}

/// `GET /__casebook/events`: the live event stream.
pub(crate) async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe before reading the state so that nothing falls in between.
    let receiver = shared.subscribe();
    let mut first = vec![Event::default().event("hello").data(shared.version())];
    first.push(match shared.errors() {
        Some(json) => Event::default().event("errors").data(json),
        None => Event::default().event("ok").data("ok"),
    });
    let live = stream::unfold(receiver, |mut receiver| async move {
        match receiver.recv().await {
            Ok(event) => Some((to_sse(event), receiver)),
            // Too far behind: whatever was missed, a reload catches up.
            Err(RecvError::Lagged(_)) => Some((to_sse(LiveEvent::Reload), receiver)),
            Err(RecvError::Closed) => None,
        }
    });
    let all = stream::iter(first).chain(live).map(Ok);
    Sse::new(all).keep_alive(KeepAlive::default())
}

/// Every event carries data: browsers drop an event whose data is empty.
fn to_sse(event: LiveEvent) -> Event {
    match event {
        LiveEvent::Reload => Event::default().event("reload").data("reload"),
        LiveEvent::Errors(json) => Event::default().event("errors").data(json),
        LiveEvent::Ok => Event::default().event("ok").data("ok"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAG: &str = "<script src=\"/__casebook/livereload.js\" defer></script>";

    #[test]
    fn can_inject_before_the_last_body_end() {
        let html = b"<html><body><p>x</p><!-- </body> --></BODY></html>";
        let out = String::from_utf8(inject_livereload(html, None)).unwrap_or_default();
        assert_eq!(
            out,
            format!("<html><body><p>x</p><!-- </body> -->{TAG}</BODY></html>")
        );
    }

    #[test]
    fn can_inject_into_a_fragment() {
        let out = String::from_utf8(inject_livereload(b"<p>x</p>", None)).unwrap_or_default();
        assert_eq!(out, format!("<p>x</p>{TAG}"));
        assert_eq!(inject_livereload(b"", None), TAG.as_bytes());
    }

    #[test]
    fn can_carry_the_current_errors_escaped() {
        let json = r#"[{"text":"<b>\"&"}]"#;
        let out = String::from_utf8(inject_livereload(b"", Some(json))).unwrap_or_default();
        assert_eq!(
            out,
            "<script src=\"/__casebook/livereload.js\" defer \
             data-errors=\"[{&quot;text&quot;:&quot;&lt;b&gt;\\&quot;&amp;&quot;}]\"></script>"
        );
    }

    #[test]
    fn can_describe_errors_with_file_and_line() {
        let dir = std::path::PathBuf::from("/nonexistent");
        let d = Diagnostic::error("content/a.md", "bad date").at(3, 5);
        let json = overlay_json(&dir, &[d]);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(value[0]["file"], "content/a.md");
        assert_eq!(value[0]["line"], 3);
        assert_eq!(value[0]["column"], 5);
        assert_eq!(value[0]["text"], "error: content/a.md:3:5: bad date");
    }
}

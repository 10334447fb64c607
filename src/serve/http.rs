//! The preview's HTTP side (axum): the built site from memory, with the right content
//! types, `index.html` for directory URLs, a redirect from `/foo` to `/foo/`, the site's
//! `404.html` for unknown paths, the live-reload script injected into every HTML page
//! sent, and byte ranges of the other files (the search index's pair files are read a block
//! at a time, as a static host sends them). Never reads the disk.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::livereload::{self, inject_livereload, EVENTS_PATH, SCRIPT, SCRIPT_PATH};
use super::paths::{resolve, Lookup};
use super::state::Shared;

/// The preview's routes over `shared`.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(SCRIPT_PATH, get(script))
        .route(EVENTS_PATH, get(livereload::events))
        .fallback(site_file)
        .with_state(shared)
}

async fn script() -> Response {
    let mut response = SCRIPT.into_response();
    set_headers(&mut response, "text/javascript; charset=utf-8");
    response
}

/// How long a request for a missing file waits for the rest of a first build.
const UNSEEN_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Any other path: a file of the built site.
async fn site_file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
    }
    let mut lookup = shared.with_files(|files| resolve(uri.path(), |p| files.contains(p)));
    // While a first build comes in stages, a file not there yet may still be in the
    // making (a decision page, the search index): the request waits, then looks again.
    if lookup == Lookup::NotFound && shared.unseen_files_made(UNSEEN_WAIT).await {
        lookup = shared.with_files(|files| resolve(uri.path(), |p| files.contains(p)));
    }
    if lookup == Lookup::Rejected {
        return (StatusCode::BAD_REQUEST, "bad path\n").into_response();
    }
    if !shared.is_built() {
        return not_built_yet(&shared);
    }
    match lookup {
        Lookup::File(path) => match shared.file(&path) {
            Some(bytes) => match headers.get(header::RANGE).and_then(|r| r.to_str().ok()) {
                Some(range) if !content_type(&path).starts_with("text/html") => {
                    range_response(&path, bytes, range)
                }
                _ => file_response(&shared, StatusCode::OK, &path, bytes),
            },
            // Removed by a rebuild between the lookup and now.
            None => not_found(&shared),
        },
        Lookup::Redirect(location) => redirect(&location),
        Lookup::NotFound => not_found(&shared),
        Lookup::Rejected => (StatusCode::BAD_REQUEST, "bad path\n").into_response(),
    }
}

fn file_response(shared: &Shared, status: StatusCode, path: &str, bytes: Bytes) -> Response {
    let mime = content_type(path);
    let body = if mime.starts_with("text/html") {
        if status == StatusCode::OK {
            shared.count_page_sent();
        }
        Body::from(inject_livereload(&bytes, shared.errors().as_deref()))
    } else {
        Body::from(bytes)
    };
    let mut response = (status, body).into_response();
    set_headers(&mut response, &mime);
    response
}

/// The part of a file (not a page) that `range` asks for: `206 Partial Content` for one
/// range within it, `416` for a range past its end, and the whole file for a header that
/// does not parse or asks for several ranges (which a server may answer whole).
fn range_response(path: &str, bytes: Bytes, range: &str) -> Response {
    let len = bytes.len() as u64;
    let mime = content_type(path);
    let parsed = http_range_header::parse_range_header(range).map(|r| r.validate(len));
    let (status, body, content_range) = match parsed {
        Ok(Ok(ranges)) if ranges.len() == 1 => {
            let (start, end) = (*ranges[0].start(), *ranges[0].end());
            // Validated against the length: both fit in usize.
            let part = bytes.slice(start as usize..=end as usize);
            let content_range = format!("bytes {start}-{end}/{len}");
            (StatusCode::PARTIAL_CONTENT, part, Some(content_range))
        }
        Ok(Err(http_range_header::RangeUnsatisfiableError::Unsatisfiable)) => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            Bytes::new(),
            Some(format!("bytes */{len}")),
        ),
        _ => (StatusCode::OK, bytes, None),
    };
    let mut response = (status, Body::from(body)).into_response();
    set_headers(&mut response, &mime);
    let headers = response.headers_mut();
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if let Some(value) = content_range.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(header::CONTENT_RANGE, value);
    }
    response
}

fn not_found(shared: &Shared) -> Response {
    match shared.file("404.html") {
        Some(bytes) => file_response(shared, StatusCode::NOT_FOUND, "404.html", bytes),
        None => file_response(
            shared,
            StatusCode::NOT_FOUND,
            "404.html",
            Bytes::from_static(b"<!doctype html><title>Not found</title><h1>Not found</h1>"),
        ),
    }
}

/// The page shown while no build has succeeded yet: the overlay shows the errors, and the
/// page reloads by itself once a build succeeds.
fn not_built_yet(shared: &Shared) -> Response {
    let html = b"<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
        <title>casebook: building</title><body><h1>The site has not built yet</h1>\
        <p>This page reloads by itself when the build succeeds.</p></body></html>";
    file_response(
        shared,
        StatusCode::SERVICE_UNAVAILABLE,
        "index.html",
        Bytes::from_static(html),
    )
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// The content type for a path, with `charset=utf-8` for text.
pub fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "javascript" | "json" | "xml")
        || mime.suffix().is_some_and(|s| s.as_str() == "xml");
    if text && mime.get_param("charset").is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

fn set_headers(response: &mut Response, mime: &str) {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(mime) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_name_content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("site.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("search.js"), "text/javascript; charset=utf-8");
        assert_eq!(
            content_type("data/decisions.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(
            content_type("data/decisions.csv"),
            "text/csv; charset=utf-8"
        );
        assert_eq!(content_type("atom.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("logo.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("logo.png"), "image/png");
        assert_eq!(content_type("font.woff2"), "font/woff2");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}

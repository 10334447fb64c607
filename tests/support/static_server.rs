//! A static file server for a built `public/` on 127.0.0.1, for browser tests that need the
//! pages over HTTP (the search page fetches its index): one thread, one request per
//! connection, folders answered with their `index.html`, and one byte range of a file when
//! asked for one (as static hosts do), or never ([`serve_without_ranges`]).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The paths asked for so far (without their queries), in order; a range sent is logged
/// again after its path, with its bytes.
pub(crate) type Asked = Arc<Mutex<Vec<String>>>;

/// Serves `root` from a background thread; returns the base URL (`http://127.0.0.1:PORT`).
pub(crate) fn serve(root: PathBuf) -> String {
    serve_logged(root).0
}

/// [`serve`], with the log of every path asked for.
pub(crate) fn serve_logged(root: PathBuf) -> (String, Asked) {
    start(root, Ranges::Exact)
}

/// [`serve_logged`] by a server that ignores `Range` and sends whole files.
#[allow(dead_code, reason = "each test binary uses a part")]
pub(crate) fn serve_without_ranges(root: PathBuf) -> (String, Asked) {
    start(root, Ranges::Never)
}

/// [`serve_logged`] by a server that sends more than the range asked for: from the file's
/// start to the range's end (a `206` with its own `Content-Range`, as a caching proxy may).
#[allow(dead_code, reason = "each test binary uses a part")]
pub(crate) fn serve_wider_ranges(root: PathBuf) -> (String, Asked) {
    start(root, Ranges::FromStart)
}

/// How the server answers a `Range` header.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ranges {
    Exact,
    Never,
    FromStart,
}

fn start(root: PathBuf, ranges: Ranges) -> (String, Asked) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let asked = Asked::default();
    let log = Arc::clone(&asked);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = respond(&root, stream, &log, ranges);
        }
    });
    (format!("http://127.0.0.1:{port}"), asked)
}

fn respond(
    root: &Path,
    mut stream: TcpStream,
    asked: &Asked,
    ranges: Ranges,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut range = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? <= 2 {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("range") {
                range = Some(value.trim().to_string());
            }
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let asked_for = target.split('?').next().unwrap_or("/");
    asked
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(asked_for.to_string());
    let path = asked_for.trim_start_matches('/');
    let mut file = root.join(path);
    if path.is_empty() || path.ends_with('/') {
        file = file.join("index.html");
    }
    let found = if path.split('/').any(|s| s == "..") {
        None
    } else {
        std::fs::read(&file).ok()
    };
    let (mut status, mut body) = match found {
        Some(body) => ("200 OK", body),
        None => (
            "404 Not Found",
            std::fs::read(root.join("404.html")).unwrap_or_default(),
        ),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") | None => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("css") => "text/css",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    let mut extra = String::new();
    let asked_range = range
        .filter(|_| ranges != Ranges::Never && status == "200 OK")
        .and_then(|r| http_range_header::parse_range_header(&r).ok())
        .and_then(|r| r.validate(body.len() as u64).ok())
        .filter(|r| r.len() == 1);
    if let Some(r) = asked_range {
        let (mut start, end) = (*r[0].start() as usize, *r[0].end() as usize);
        if ranges == Ranges::FromStart {
            start = 0;
        }
        // Logged with the range sent: `/search/index/pairs/0000.bin bytes 0-2047`.
        asked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(format!("{asked_for} bytes {start}-{end}"));
        extra = format!("Content-Range: bytes {start}-{end}/{}\r\n", body.len());
        body = body[start..=end].to_vec();
        status = "206 Partial Content";
    }
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

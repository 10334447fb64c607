//! A static file server for a built `public/` on 127.0.0.1, for browser tests that need the
//! pages over HTTP (the search page fetches its index): one thread, one request per
//! connection, folders answered with their `index.html`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The paths asked for so far (without their queries), in order.
pub(crate) type Asked = Arc<Mutex<Vec<String>>>;

/// Serves `root` from a background thread; returns the base URL (`http://127.0.0.1:PORT`).
pub(crate) fn serve(root: PathBuf) -> String {
    serve_logged(root).0
}

/// [`serve`], with the log of every path asked for.
pub(crate) fn serve_logged(root: PathBuf) -> (String, Asked) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let asked = Asked::default();
    let log = Arc::clone(&asked);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = respond(&root, stream, &log);
        }
    });
    (format!("http://127.0.0.1:{port}"), asked)
}

fn respond(root: &Path, mut stream: TcpStream, asked: &Asked) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? <= 2 {
            break;
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
    let (status, body) = match found {
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
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

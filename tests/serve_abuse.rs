//! The preview under abuse: requests a browser would never send, and more connections than a
//! browser would open. Each asks for a sensible answer and that the server goes on serving
//! afterwards. The preview runs in-process with the fake builder
//! (tests/support/fake_site.rs), over the real HTTP server on 127.0.0.1.

#[path = "support/client.rs"]
mod client;
#[path = "support/fake_site.rs"]
mod fake_site;
#[path = "support/preview.rs"]
mod preview;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use client::get;
use preview::start;

/// One raw answer: status, headers (names in lower case) and body bytes.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `request` as written on a new connection and reads the answer until the server
/// closes it (every request here says `Connection: close`).
fn send(addr: SocketAddr, request: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap_or_else(|e| panic!("{e}"));
    // The server may answer and close before reading all of an overlong request.
    let _ = stream.write_all(request);
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    let split = reply
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&reply)));
    let head = String::from_utf8_lossy(&reply[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: reply[split + 4..].to_vec(),
    }
}

fn request(method: &str, target: &str, extra: &str) -> Vec<u8> {
    format!("{method} {target} HTTP/1.1\r\nHost: x\r\n{extra}Connection: close\r\n\r\n")
        .into_bytes()
}

#[test]
fn refuses_an_overlong_url_and_goes_on_serving() {
    let site = start();
    let long = format!("/{}", "a".repeat(100 * 1024));
    let answer = send(site.addr(), &request("GET", &long, ""));
    assert!(
        matches!(answer.status, 400 | 414 | 431),
        "a 100 KB path gets a client error, not {}",
        answer.status
    );
    let long_query = format!("/decisions/a/?q={}", "b".repeat(100 * 1024));
    let answer = send(site.addr(), &request("GET", &long_query, ""));
    assert!(
        matches!(answer.status, 400 | 414 | 431),
        "{}",
        answer.status
    );
    let huge_header = format!("X-Filler: {}\r\n", "c".repeat(1024 * 1024));
    let answer = send(site.addr(), &request("GET", "/", &huge_header));
    assert!(matches!(answer.status, 400 | 431), "{}", answer.status);
    let page = get(site.addr(), "/decisions/a/");
    assert_eq!(page.status, 200, "still serving");
    assert!(page.body.contains("The first version of A."));
}

#[test]
fn answers_head_with_the_headers_of_get_and_no_body() {
    let site = start();
    for path in ["/decisions/a/", "/site.css", "/decisions/zzz/"] {
        let got = send(site.addr(), &request("GET", path, ""));
        let head = send(site.addr(), &request("HEAD", path, ""));
        assert_eq!(head.status, got.status, "{path}");
        assert!(head.body.is_empty(), "{path}: HEAD has no body");
        assert_eq!(head.header("content-type"), got.header("content-type"));
        assert_eq!(
            head.header("content-length"),
            Some(got.body.len().to_string().as_str()),
            "{path}: HEAD's Content-Length is the length of GET's body"
        );
        assert_eq!(
            got.header("content-length"),
            Some(got.body.len().to_string().as_str()),
            "{path}"
        );
    }
}

/// A byte range of a file, as static hosts send one (the search index's pair files are read
/// a block at a time); a page is sent whole, with its live-reload script.
#[test]
fn serves_a_byte_range_of_a_file_but_pages_whole() {
    let site = start();
    let get_range = |path: &str, range: &str| {
        send(
            site.addr(),
            &request("GET", path, &format!("Range: {range}\r\n")),
        )
    };
    let part = get_range("/site.css", "bytes=0-3");
    assert_eq!(part.status, 206);
    assert_eq!(part.header("content-range"), Some("bytes 0-3/22"));
    assert_eq!(part.header("accept-ranges"), Some("bytes"));
    assert_eq!(part.body, b"main");
    let part = get_range("/site.css", "bytes=5-");
    assert_eq!(part.header("content-range"), Some("bytes 5-21/22"));
    assert_eq!(part.body, b"{ color: black }\n");
    let part = get_range("/site.css", "bytes=0-2047");
    assert_eq!(
        part.header("content-range"),
        Some("bytes 0-21/22"),
        "past the end: to the end"
    );
    assert_eq!(part.body.len(), 22);
    let past = get_range("/site.css", "bytes=22-30");
    assert_eq!(past.status, 416);
    assert_eq!(past.header("content-range"), Some("bytes */22"));
    for whole in ["bytes=0-1, 4-5", "lines=1-2", "bytes=x"] {
        let answer = get_range("/site.css", whole);
        assert_eq!(answer.status, 200, "{whole}");
        assert_eq!(answer.body, b"main { color: black }\n", "{whole}");
    }
    let page = get_range("/", "bytes=0-3");
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body).contains("livereload.js"));
}

/// Hostile or odd `Range` headers: one range within the file gets its bytes (206), a range
/// past its end 416, and anything the preview will not serve as one range (several ranges,
/// another unit, numbers past any file, a reversed range, a thousand ranges) the whole
/// file with 200, as HTTP allows; the server goes on serving.
#[test]
fn answers_odd_and_hostile_range_requests_cleanly() {
    let site = start();
    let whole = send(site.addr(), &request("GET", "/site.css", ""));
    assert_eq!(whole.body, b"main { color: black }\n");
    let many = vec!["0-0"; 1000].join(",");
    for (range, status, body) in [
        ("bytes=5-9", 206, &b"{ col"[..]),
        ("bytes=-3", 206, &b" }\n"[..]),
        ("bytes=100-200", 416, &b""[..]),
        ("bytes=0-1,4-5", 200, &whole.body[..]),
        ("bytes=0-0,0-0,0-0", 200, &whole.body[..]),
        ("lines=1-2", 200, &whole.body[..]),
        ("bytes=9-5", 200, &whole.body[..]),
        (
            "bytes=0-99999999999999999999999999999999",
            200,
            &whole.body[..],
        ),
        (&format!("bytes={many}"), 200, &whole.body[..]),
    ] {
        let answer = send(
            site.addr(),
            &request("GET", "/site.css", &format!("Range: {range}\r\n")),
        );
        let shown = &range[..range.len().min(40)];
        assert_eq!(answer.status, status, "{shown}");
        assert_eq!(answer.body, body, "{shown}");
        assert_eq!(
            answer.header("content-range").is_some(),
            status != 200,
            "{shown}"
        );
    }
    assert_eq!(
        send(site.addr(), &request("GET", "/site.css", "")).body,
        whole.body
    );
}

#[test]
fn serves_another_client_while_a_thousand_connections_sit_idle() {
    let site = start();
    let idle: Vec<TcpStream> = (0..1000)
        .map(|i| TcpStream::connect(site.addr()).unwrap_or_else(|e| panic!("connection {i}: {e}")))
        .collect();
    // Half of them start a request and never finish it.
    for stream in idle.iter().step_by(2) {
        let mut stream = stream;
        let _ = stream.write_all(b"GET /decisions/a/ HTTP/1.1\r\nHost: x\r\n");
    }
    let started = Instant::now();
    let page = get(site.addr(), "/decisions/a/");
    let took = started.elapsed();
    assert_eq!(page.status, 200);
    assert!(page.body.contains("The first version of A."));
    assert!(
        took < Duration::from_secs(5),
        "another client waited {took:?} behind 1,000 idle connections"
    );
    drop(idle);
    assert_eq!(get(site.addr(), "/site.css").status, 200, "still serving");
}

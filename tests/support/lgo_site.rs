//! An imitation of the Ombudsman's website on 127.0.0.1, for `casebook fetch`: the
//! decisions page (which sets a session cookie), search results over date windows with
//! 10 results a page (an empty search shell without the session cookie and Referer),
//! decision pages (HTML renditions of the seeds and of generated pages, named as
//! imitations) with ETag and Last-Modified, and robots.txt. Faults can be set per path;
//! every request is logged. A small std::net server: one thread per connection, every
//! answer closes its connection.

#![allow(
    dead_code,
    reason = "each test crate including this uses a different part"
)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::NaiveDate;

/// One decision on the imitation website.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// `/decisions/<cat>/<sub>/<ref>`.
    pub(crate) path: String,
    /// The date the search results file it under.
    pub(crate) date: NaiveDate,
    /// The page.
    pub(crate) html: String,
}

/// Something going wrong on one path.
#[derive(Clone, Debug)]
pub(crate) enum Fault {
    /// Answer `code` (with `Retry-After: retry_after` when given) the first `times` times.
    Status {
        code: u16,
        retry_after: Option<u64>,
        times: usize,
    },
    /// Wait this long before answering at all.
    Stall(Duration),
    /// Promise the whole page in Content-Length, send half, close.
    Truncated,
    /// Redirect (302) to this address.
    Redirect(String),
    /// Answer 200 with this page instead.
    Body(String),
    /// Answer 200 with a page of this many bytes.
    Huge(usize),
    /// Answer 404, as for a decision the website no longer shows.
    Gone,
}

/// What one request asked.
#[derive(Clone, Debug)]
pub(crate) struct Request {
    /// Path and query.
    pub(crate) target: String,
    /// Headers, names in lower case.
    pub(crate) headers: HashMap<String, String>,
    /// When it arrived.
    pub(crate) at: Instant,
}

impl Request {
    /// The path without the query.
    pub(crate) fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// The website's content and faults.
#[derive(Default)]
pub(crate) struct SiteData {
    /// The decisions.
    pub(crate) entries: Vec<Entry>,
    /// robots.txt (404 when `None`).
    pub(crate) robots: Option<String>,
    /// Faults by path (no query).
    pub(crate) faults: HashMap<String, Fault>,
    /// Stop serving (as if killed) after this many decision pages were served.
    pub(crate) die_after_pages: Option<usize>,
}

struct Shared {
    data: Mutex<SiteData>,
    log: Mutex<Vec<Request>>,
    served_pages: AtomicUsize,
    fault_uses: Mutex<HashMap<String, usize>>,
}

/// A running imitation.
pub(crate) struct Imitation {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Imitation {
    /// Starts the website on a free port.
    pub(crate) fn start(data: SiteData) -> Self {
        let shared = Arc::new(Shared {
            data: Mutex::new(data),
            log: Mutex::default(),
            served_pages: AtomicUsize::new(0),
            fault_uses: Mutex::default(),
        });
        Self::listen("127.0.0.1:0".parse().expect("addr"), shared)
    }

    fn listen(addr: SocketAddr, shared: Arc<Shared>) -> Self {
        let listener = TcpListener::bind(addr).expect("bind the imitation website");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("addr");
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (Arc::clone(&shared), Arc::clone(&stop));
        let thread = std::thread::spawn(move || accept_loop(&listener, &s, &st));
        Self {
            addr,
            shared,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far.
    pub(crate) fn requests(&self) -> Vec<Request> {
        self.shared.log.lock().expect("log").clone()
    }

    /// How many requests asked for `path` (no query).
    pub(crate) fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path() == path).count()
    }

    /// Changes the website while it runs.
    pub(crate) fn with_data(&self, change: impl FnOnce(&mut SiteData)) {
        change(&mut self.shared.data.lock().expect("data"));
    }

    /// Stops serving: the port refuses connections.
    pub(crate) fn kill(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Serves again on the same port, with the same content, log and no death planned.
    pub(crate) fn restart(&mut self) {
        self.kill();
        self.shared.data.lock().expect("data").die_after_pages = None;
        let again = Self::listen(self.addr, Arc::clone(&self.shared));
        *self = again;
    }

    /// Whether the server stopped by itself (`die_after_pages`).
    pub(crate) fn is_dead(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

impl Drop for Imitation {
    fn drop(&mut self) {
        self.kill();
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>, stop: &Arc<AtomicBool>) {
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let (s, st) = (Arc::clone(shared), Arc::clone(stop));
                std::thread::spawn(move || {
                    let _ = handle(stream, &s, &st);
                });
            }
            Err(_) => std::thread::sleep(Duration::from_millis(2)),
        }
    }
}

fn handle(stream: TcpStream, shared: &Shared, stop: &AtomicBool) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    if stop.load(Ordering::SeqCst) {
        return Ok(());
    }
    let request = Request {
        target,
        headers,
        at: Instant::now(),
    };
    shared.log.lock().expect("log").push(request.clone());
    let answer = answer(&request, shared, stop);
    let mut stream = stream;
    answer.send(&mut stream)
}

struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    truncate: bool,
}

impl Answer {
    fn html(status: u16, body: String) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: body.into_bytes(),
            truncate: false,
        }
    }

    fn send(self, stream: &mut TcpStream) -> std::io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} Imitation\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.status,
            self.body.len()
        );
        for (k, v) in &self.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes())?;
        let body = if self.truncate {
            &self.body[..self.body.len() / 2]
        } else {
            &self.body[..]
        };
        stream.write_all(body)?;
        stream.flush()?;
        stream.shutdown(std::net::Shutdown::Both)
    }
}

fn answer(request: &Request, shared: &Shared, stop: &AtomicBool) -> Answer {
    let path = request.path().to_string();
    let fault = shared.data.lock().expect("data").faults.get(&path).cloned();
    if let Some(fault) = fault {
        let uses = {
            let mut uses = shared.fault_uses.lock().expect("uses");
            let n = uses.entry(path.clone()).or_insert(0);
            *n += 1;
            *n
        };
        if let Some(a) = faulty(&fault, uses, request, shared, stop) {
            return a;
        }
    }
    route(request, shared, stop)
}

fn faulty(
    fault: &Fault,
    uses: usize,
    request: &Request,
    shared: &Shared,
    stop: &AtomicBool,
) -> Option<Answer> {
    match fault {
        Fault::Status {
            code,
            retry_after,
            times,
        } if uses <= *times => {
            let mut a = Answer::html(*code, format!("<html><body>busy ({code})</body></html>"));
            if let Some(s) = retry_after {
                a.headers.push(("Retry-After".into(), s.to_string()));
            }
            Some(a)
        }
        Fault::Status { .. } => None,
        Fault::Stall(d) => {
            std::thread::sleep(*d);
            None
        }
        Fault::Truncated => {
            let mut a = route(request, shared, stop);
            a.truncate = true;
            Some(a)
        }
        Fault::Redirect(to) => {
            let mut a = Answer::html(302, String::new());
            a.headers.push(("Location".into(), to.clone()));
            Some(a)
        }
        Fault::Body(b) => Some(Answer::html(200, b.clone())),
        Fault::Huge(n) => Some(Answer::html(
            200,
            format!("<html><body><p>{}</p></body></html>", "x".repeat(*n)),
        )),
        Fault::Gone => Some(Answer::html(
            404,
            "<html><body>Page not found</body></html>".into(),
        )),
    }
}

fn route(request: &Request, shared: &Shared, stop: &AtomicBool) -> Answer {
    let path = request.path();
    if path == "/robots.txt" {
        return match &shared.data.lock().expect("data").robots {
            Some(text) => Answer {
                status: 200,
                headers: vec![("Content-Type".into(), "text/plain".into())],
                body: text.clone().into_bytes(),
                truncate: false,
            },
            None => Answer::html(404, "not found".into()),
        };
    }
    if path == "/decisions" {
        let mut a = Answer::html(200, search_page());
        a.headers.push((
            "Set-Cookie".into(),
            "ASP.NET_SessionId=imitation; Path=/; HttpOnly".into(),
        ));
        return a;
    }
    if path == "/Decisions/SearchResults" {
        return search_results(request, shared);
    }
    let entry = shared
        .data
        .lock()
        .expect("data")
        .entries
        .iter()
        .find(|e| e.path == path)
        .cloned();
    let Some(entry) = entry else {
        return Answer::html(404, "<html><body>Page not found</body></html>".into());
    };
    let etag = format!("\"{:x}\"", fnv(entry.html.as_bytes()));
    let served = shared.served_pages.fetch_add(1, Ordering::SeqCst) + 1;
    if let Some(limit) = shared.data.lock().expect("data").die_after_pages {
        if served >= limit {
            stop.store(true, Ordering::SeqCst);
        }
    }
    if request.headers.get("if-none-match") == Some(&etag) {
        let mut a = Answer::html(304, String::new());
        a.body.clear();
        a.headers.push(("ETag".into(), etag));
        return a;
    }
    let mut a = Answer::html(200, entry.html);
    a.headers.push(("ETag".into(), etag));
    a.headers.push((
        "Last-Modified".into(),
        "Wed, 01 Jan 2025 00:00:00 GMT".into(),
    ));
    a
}

/// The decisions search page: a form and no results (what an empty "search shell" is).
pub(crate) fn search_page() -> String {
    "<!doctype html><html><head><title>Decisions - imitation of the Ombudsman's website</title></head>\
     <body><nav><a href=\"/\">Home</a></nav><h1>Search decisions</h1>\
     <form action=\"/Decisions/SearchResults\"><input name=\"fd\"><input name=\"td\"></form></body></html>"
        .to_string()
}

fn search_results(request: &Request, shared: &Shared) -> Answer {
    let session = request
        .headers
        .get("cookie")
        .is_some_and(|c| c.contains("ASP.NET_SessionId=imitation"));
    if !session || !request.headers.contains_key("referer") {
        return Answer::html(200, search_page());
    }
    let query: HashMap<String, String> = request
        .target
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let day = |k: &str| {
        query
            .get(k)
            .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
    };
    let (Some(from), Some(to)) = (day("fd"), day("td")) else {
        return Answer::html(200, search_page());
    };
    let page: usize = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let mut hits: Vec<Entry> = shared
        .data
        .lock()
        .expect("data")
        .entries
        .iter()
        .filter(|e| e.date >= from && e.date <= to)
        .cloned()
        .collect();
    hits.sort_by(|a, b| b.date.cmp(&a.date).then(a.path.cmp(&b.path)));
    let items: String = hits
        .iter()
        .skip((page.max(1) - 1) * 10)
        .take(10)
        .map(|e| {
            format!(
                "<li><a href=\"{}\">{}</a> <span>{}</span></li>",
                e.path, e.path, e.date
            )
        })
        .collect();
    Answer::html(
        200,
        format!(
            "<!doctype html><html><head><title>Search results - imitation</title></head><body>\
             <nav><a href=\"/decisions\">Decisions</a></nav>\
             <p class=\"results\">Your search has {} results</p><ul>{items}</ul>\
             <a href=\"/Decisions/SearchResults?fd={from}&td={to}&page={}\">Next</a></body></html>",
            hits.len(),
            page + 1
        ),
    )
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Reads a whole response body from a stream (for tests that talk to the imitation).
pub(crate) fn read_all(mut stream: TcpStream) -> String {
    let mut s = String::new();
    let _ = stream.read_to_string(&mut s);
    s
}

/// Imitation decision pages: the five seeds, then `extra` generated pages, as the
/// website's HTML, at addresses made from their category and reference, dated one a day
/// from `first` (the seeds first).
pub(crate) fn entries(extra: usize, first: NaiveDate) -> Vec<Entry> {
    let seeds_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut seeds: Vec<_> = std::fs::read_dir(&seeds_dir)
        .expect("seeds")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    seeds.sort();
    let mut texts: Vec<String> = seeds
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("seed"))
        .collect();
    texts.extend((0..extra).map(|i| casebook::corpus::page(i).text));
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| entry(text, first + chrono::Days::new(i as u64)))
        .collect()
}

/// One imitation page from a text page.
pub(crate) fn entry(text: &str, date: NaiveDate) -> Entry {
    let html = casebook::corpus::html::rendition(text).expect("a decision page");
    let page = casebook::import::parse_text(text).expect("parsed");
    let reference = casebook::decision::Reference::parse(&page.reference).expect("reference");
    let (category, subcategory) = casebook::import::category_parts(page.category.as_ref());
    let slug = |s: Option<String>, d: &str| s.map(slug::slugify).unwrap_or_else(|| d.to_string());
    Entry {
        path: format!(
            "/decisions/{}/{}/{}",
            slug(category, "other-categories"),
            slug(subcategory, "other"),
            reference.slug()
        ),
        date,
        html,
    }
}

//! Test helpers for talking to a running preview: plain HTTP (ureq, no redirects followed,
//! 4xx/5xx returned as responses), raw request lines for paths a client would normalise,
//! and a Server-Sent Events listener that collects live-reload events.

#![allow(
    dead_code,
    reason = "each test crate including this uses a different part"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// One HTTP response.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: String,
    pub(crate) location: Option<String>,
    pub(crate) body: String,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

/// `GET http://addr/path`.
pub(crate) fn get(addr: SocketAddr, path: &str) -> Reply {
    let url = format!("http://{addr}{path}");
    let mut response = match agent().get(&url).call() {
        Ok(r) => r,
        Err(e) => panic!("GET {url}: {e}"),
    };
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let status = response.status().as_u16();
    let content_type = header("content-type").unwrap_or_default();
    let location = header("location");
    let body = response.body_mut().read_to_string().unwrap_or_default();
    Reply {
        status,
        content_type,
        location,
        body,
    }
}

/// Sends `GET <raw_target> HTTP/1.1` exactly as written; returns the status and the body.
pub(crate) fn raw_get(addr: SocketAddr, raw_target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect: {e}"));
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!("GET {raw_target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("send: {e}"));
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply).into_owned();
    let status = reply
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, reply)
}

/// Polls `check` until it returns `Some` or `timeout` passes.
pub(crate) fn wait_for<T>(timeout: Duration, mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check() {
            return Some(value);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// One live-reload event: its name and data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LiveEvent {
    pub(crate) name: String,
    pub(crate) data: String,
}

/// A connection to the preview's event stream; events arrive on `events`.
pub(crate) struct Events {
    pub(crate) events: Receiver<LiveEvent>,
}

impl Events {
    /// Connects to `/__casebook/events` and reads events on a thread.
    pub(crate) fn connect(addr: SocketAddr) -> Self {
        let (tx, events) = mpsc::channel();
        let response = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent()
            .get(&format!("http://{addr}/__casebook/events"))
            .call()
            .unwrap_or_else(|e| panic!("events: {e}"));
        assert_eq!(response.status().as_u16(), 200);
        let reader = BufReader::new(response.into_body().into_reader());
        std::thread::spawn(move || {
            // As browsers do: an event is dispatched only if it had a `data:` line.
            let (mut name, mut data, mut has_data) = (String::new(), String::new(), false);
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.strip_prefix(' ').unwrap_or(v));
                    has_data = true;
                } else if line.is_empty() && !std::mem::take(&mut has_data) {
                    name.clear();
                } else if line.is_empty() {
                    let event = LiveEvent {
                        name: std::mem::take(&mut name),
                        data: std::mem::take(&mut data),
                    };
                    if tx.send(event).is_err() {
                        return;
                    }
                }
            }
        });
        Self { events }
    }

    /// The next event within `timeout`.
    pub(crate) fn next(&self, timeout: Duration) -> Option<LiveEvent> {
        self.events.recv_timeout(timeout).ok()
    }

    /// Waits for the next event named `name`, skipping others.
    pub(crate) fn expect(&self, name: &str, timeout: Duration) -> LiveEvent {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(event) if event.name == name => return event,
                Ok(_) => {}
                Err(_) => panic!("no `{name}` event within {timeout:?}"),
            }
        }
    }

    /// Drops every event already received.
    pub(crate) fn drain(&self) {
        while self.events.try_recv().is_ok() {}
    }
}

//! `casebook serve` as a child process: start it on a free loopback port, read where it
//! listens from its first lines, and stop it when the test ends.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;

/// The server process, stopped when dropped.
pub(crate) struct ServeProcess(pub(crate) std::process::Child);

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `casebook serve --port 0` on the site at `root` and returns it with its address.
pub(crate) fn spawn_serve(root: &Path) -> (ServeProcess, SocketAddr) {
    let mut child = ServeProcess(
        std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("spawn: {e}")),
    );
    let stderr = child.0.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let mut lines = BufReader::new(stderr).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            let at = line.find("http://")?;
            line.starts_with("serving")
                .then(|| line[at..].split(' ').next().map(str::to_string))?
        })
        .unwrap_or_else(|| panic!("the server never said where it listens"));
    // Keep reading stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let addr = url
        .trim_start_matches("http://")
        .parse()
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    (child, addr)
}

//! From a request's URL path to a file of the built site, safely. The site lives in memory
//! as paths relative to its root, so nothing outside it can be named; on top of that, any
//! path that tries (`..`, `.`, encoded `/` or `\`, backslashes, NUL, bad UTF-8) is refused
//! before lookup. Directory URLs map to `index.html`; `/foo` redirects to `/foo/` when
//! `/foo/index.html` exists. Pure: the caller says which files exist.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

/// What a URL path resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Serve this file of the site.
    File(String),
    /// Redirect (308) to this URL path.
    Redirect(String),
    /// No such file: serve the site's `404.html` with status 404.
    NotFound,
    /// The path tries to leave the site or is malformed: status 400.
    Rejected,
}

/// Characters that stay encoded in a path segment of a redirect target.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Resolves the raw (still percent-encoded) path of a request URL against the files for
/// which `exists` says yes.
pub fn resolve(raw_path: &str, exists: impl Fn(&str) -> bool) -> Lookup {
    let Some(segments) = decode_segments(raw_path) else {
        return Lookup::Rejected;
    };
    let key = segments.join("/");
    let wants_dir = key.is_empty() || raw_path.ends_with('/');
    if wants_dir {
        let index = join_key(&key, "index.html");
        return if exists(&index) {
            Lookup::File(index)
        } else {
            Lookup::NotFound
        };
    }
    if exists(&key) {
        return Lookup::File(key);
    }
    if exists(&join_key(&key, "index.html")) {
        let encoded: Vec<String> = segments
            .iter()
            .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
            .collect();
        return Lookup::Redirect(format!("/{}/", encoded.join("/")));
    }
    Lookup::NotFound
}

fn join_key(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

/// The decoded, non-empty segments of a URL path; `None` when any segment is unsafe.
fn decode_segments(raw_path: &str) -> Option<Vec<String>> {
    if !raw_path.starts_with('/') || raw_path.contains('\\') {
        return None;
    }
    let mut segments = Vec::new();
    for raw in raw_path.split('/') {
        let segment = percent_decode_str(raw).decode_utf8().ok()?;
        if segment.is_empty() {
            continue;
        }
        let unsafe_segment = segment == "."
            || segment == ".."
            || segment.contains(['/', '\\', '\0', ':'])
            || segment.chars().any(char::is_control);
        if unsafe_segment {
            return None;
        }
        segments.push(segment.into_owned());
    }
    Some(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str) -> bool {
        matches!(
            path,
            "index.html"
                | "404.html"
                | "site.css"
                | "decisions/index.html"
                | "decisions/21-019-020/index.html"
                | "caf\u{e9}/index.html"
        )
    }

    #[test]
    fn can_resolve_files_and_directories() {
        assert_eq!(resolve("/", site), Lookup::File("index.html".into()));
        assert_eq!(resolve("/site.css", site), Lookup::File("site.css".into()));
        assert_eq!(
            resolve("/decisions/21-019-020/", site),
            Lookup::File("decisions/21-019-020/index.html".into())
        );
        assert_eq!(
            resolve("/decisions/21-019-020/index.html", site),
            Lookup::File("decisions/21-019-020/index.html".into())
        );
        assert_eq!(resolve("/nope/", site), Lookup::NotFound);
        assert_eq!(resolve("/nope", site), Lookup::NotFound);
    }

    #[test]
    fn can_redirect_a_directory_without_slash() {
        assert_eq!(
            resolve("/decisions/21-019-020", site),
            Lookup::Redirect("/decisions/21-019-020/".into())
        );
        assert_eq!(
            resolve("/caf%C3%A9", site),
            Lookup::Redirect("/caf%C3%A9/".into())
        );
        // A doubled slash must not become a protocol-relative redirect to another host.
        assert_eq!(
            resolve("//decisions", site),
            Lookup::Redirect("/decisions/".into())
        );
    }

    #[test]
    fn errors_on_paths_that_leave_the_site() {
        for path in [
            "/../etc/passwd",
            "/decisions/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/decisions%2f..%2f..%2fetc%2fpasswd",
            "/..%2f..%2fetc/passwd",
            "/..%5c..%5cetc%5cpasswd",
            "/..\\..\\etc\\passwd",
            "/./index.html",
            "/%00",
            "/C:/Windows/win.ini",
            "/c%3a%5cwindows",
            "/%ff%fe",
            "etc/passwd",
        ] {
            assert_eq!(resolve(path, site), Lookup::Rejected, "{path}");
        }
    }

    #[test]
    fn can_treat_absolute_looking_paths_as_inside_the_site() {
        assert_eq!(resolve("//etc/passwd", site), Lookup::NotFound);
        assert_eq!(
            resolve("///index.html", site),
            Lookup::File("index.html".into())
        );
    }
}

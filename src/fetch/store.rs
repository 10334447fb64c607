//! `sources/`: the raw pages as fetched, one `.html` per decision with a sidecar saying
//! where and when it came from. Pages are only ever added or replaced by a newer version,
//! never deleted; every write is atomic.
//!
//! `sources/<year>/<reference-with-dashes>.html`, where the year is the one the reference
//! starts with (`24-005-444` is in `2024/`), so a page's place is known from its address
//! before it is fetched. Beside it, `<reference-with-dashes>.html.json`:
//! `{"url", "fetched_at", "etag", "last_modified", "sha256"}`, the sidecar `import` reads
//! (`crate::import::html::Sidecar`). The page is written first
//! and the sidecar last, so a sidecar whose `sha256` matches its page marks a page that
//! was kept whole.

use std::path::{Path, PathBuf};

use super::client::Validators;
use crate::content::write::sha256_hex;
use crate::decision::Reference;
pub use crate::import::html::{sidecar_path, Sidecar};

/// The validators for a conditional request of a kept page.
pub fn validators(sidecar: &Sidecar) -> Validators {
    Validators {
        etag: sidecar.etag.clone(),
        last_modified: sidecar.last_modified.clone(),
    }
}

/// The `sources/` folder of a site.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// What [`Store::save`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// A page not held before.
    New,
    /// A held page whose bytes changed.
    Changed,
    /// The same bytes as held (only the sidecar was refreshed).
    Same,
}

impl Store {
    /// The store in `<root>/sources`.
    pub fn new(root: &Path) -> Self {
        Self {
            dir: root.join("sources"),
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the page of `reference` is kept.
    pub fn page_path(&self, reference: &Reference) -> PathBuf {
        let slug = reference.slug();
        let year = format!("20{}", &slug[..2.min(slug.len())]);
        self.dir.join(year).join(format!("{slug}.html"))
    }

    /// The sidecar of the page of `reference`, when the page is held whole (its bytes
    /// match the sidecar's hash).
    pub fn held(&self, reference: &Reference) -> Option<Sidecar> {
        let page = self.page_path(reference);
        let sidecar: Sidecar =
            serde_json::from_slice(&std::fs::read(sidecar_path(&page)).ok()?).ok()?;
        let bytes = std::fs::read(&page).ok()?;
        (sidecar.sha256.as_deref() == Some(sha256_hex(&bytes).as_str())).then_some(sidecar)
    }

    /// Keeps a fetched page: the page, then its sidecar, each written atomically.
    pub fn save(
        &self,
        reference: &Reference,
        url: &str,
        body: &[u8],
        validators: &Validators,
    ) -> std::io::Result<(PathBuf, Saved)> {
        let page = self.page_path(reference);
        let sha256 = sha256_hex(body);
        let held = self.held(reference);
        let saved = match &held {
            None => Saved::New,
            Some(old) if old.sha256.as_deref() == Some(sha256.as_str()) => Saved::Same,
            Some(_) => Saved::Changed,
        };
        if let Some(old) = held.filter(|_| saved == Saved::Same) {
            // The same bytes: the sidecar stays as it is (when they were fetched, the
            // validators they came with) unless the address or a validator given changed,
            // so that an unchanged page changes nothing in `sources/`.
            let changed =
                |given: &Option<String>, kept: &Option<String>| given.is_some() && given != kept;
            if old.url == url
                && !changed(&validators.etag, &old.etag)
                && !changed(&validators.last_modified, &old.last_modified)
            {
                return Ok((page, saved));
            }
        }
        if saved != Saved::Same {
            crate::fs::write_atomic(&page, body)?;
        }
        let sidecar = Sidecar {
            url: url.to_string(),
            fetched_at: Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            etag: validators.etag.clone(),
            last_modified: validators.last_modified.clone(),
            sha256: Some(sha256),
        };
        let mut json = serde_json::to_vec_pretty(&sidecar).map_err(std::io::Error::other)?;
        json.push(b'\n');
        if let Err(e) = crate::fs::write_atomic(&sidecar_path(&page), &json) {
            // A new page without its sidecar would be imported without the address it came
            // from: take it back, so that the next fetch downloads it again whole. A changed
            // page keeps its old sidecar, whose hash no longer matches, so it is not trusted
            // (see `held`) and is downloaded again too.
            if saved == Saved::New {
                let _ = std::fs::remove_file(&page);
            }
            return Err(e);
        }
        Ok((page, saved))
    }
}

/// Where pages that came back as something other than what was asked for are kept for
/// inspection: outside `sources/`, so that `casebook import sources/` never reads them.
pub fn rejected_dir(root: &Path) -> PathBuf {
    root.join(".casebook").join("rejected")
}

/// Keeps a page that was not what was asked for, named after what was asked for and
/// when; returns its path.
pub fn keep_rejected(root: &Path, name: &str, body: &[u8]) -> std::io::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = rejected_dir(root).join(format!("{stamp}-{safe}.html"));
    crate::fs::write_atomic(&path, body)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Reference {
        Reference::parse(s).expect("reference")
    }

    #[test]
    fn can_keep_a_page_with_its_sidecar_and_know_it_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::new(dir.path());
        let reference = r("24 005 444");
        assert!(store.held(&reference).is_none());
        let v = Validators {
            etag: Some("\"abc\"".into()),
            last_modified: None,
        };
        let (path, saved) = store
            .save(
                &reference,
                "https://x.org/decisions/a/b/24-005-444",
                b"<html>1</html>",
                &v,
            )
            .expect("save");
        assert_eq!(path, dir.path().join("sources/2024/24-005-444.html"));
        assert_eq!(saved, Saved::New);
        let held = store.held(&reference).expect("held");
        assert_eq!(held.etag.as_deref(), Some("\"abc\""));
        assert_eq!(held.url, "https://x.org/decisions/a/b/24-005-444");
        let again = store
            .save(&reference, &held.url, b"<html>1</html>", &v)
            .expect("save");
        assert_eq!(again.1, Saved::Same);
        let changed = store
            .save(&reference, &held.url, b"<html>2</html>", &v)
            .expect("save");
        assert_eq!(changed.1, Saved::Changed);
    }

    #[test]
    fn the_same_bytes_served_again_leave_the_sidecar_as_it_was() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::new(dir.path());
        let reference = r("24 005 444");
        let url = "https://x.org/decisions/a/b/24-005-444";
        let v = Validators {
            etag: Some("\"abc\"".into()),
            last_modified: Some("Fri, 31 Jan 2025 08:00:00 GMT".into()),
        };
        let (page, _) = store
            .save(&reference, url, b"<html>1</html>", &v)
            .expect("save");
        let sidecar = sidecar_path(&page);
        let before = std::fs::read(&sidecar).expect("sidecar");
        // Served again with no validators (a server that sends none on a plain GET).
        let (_, saved) = store
            .save(&reference, url, b"<html>1</html>", &Validators::default())
            .expect("save");
        assert_eq!(saved, Saved::Same);
        assert_eq!(
            std::fs::read(&sidecar).expect("sidecar"),
            before,
            "not rewritten"
        );
        // A new validator for the same bytes is kept.
        let newer = Validators {
            etag: Some("\"def\"".into()),
            last_modified: None,
        };
        store
            .save(&reference, url, b"<html>1</html>", &newer)
            .expect("save");
        assert_eq!(
            store.held(&reference).expect("held").etag.as_deref(),
            Some("\"def\"")
        );
    }

    #[test]
    fn does_not_trust_a_page_whose_bytes_do_not_match_its_sidecar() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::new(dir.path());
        let reference = r("17 002 402b");
        let (path, _) = store
            .save(&reference, "u", b"whole page", &Validators::default())
            .expect("save");
        assert_eq!(
            path.file_name().and_then(|n| n.to_str()),
            Some("17-002-402b.html")
        );
        std::fs::write(&path, b"whole pa").expect("cut");
        assert!(store.held(&reference).is_none());
    }
}

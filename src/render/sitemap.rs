//! `sitemap.xml` (split into `sitemap-N.xml` files under a sitemap index above 50,000
//! URLs, the protocol's limit) and `robots.txt` naming it.

use std::fmt::Write as _;

use super::xml_escape as esc;
use crate::config::Settings;
use crate::output::OutputFile;

/// The sitemap protocol's limit of URLs per file.
pub const MAX_URLS: usize = 50_000;

/// The sitemap files for `paths` (site paths), at most `max` URLs per file.
pub fn sitemaps(settings: &Settings, paths: &[String], max: usize) -> Vec<OutputFile> {
    let max = max.max(1);
    if paths.len() <= max {
        return vec![urlset("sitemap.xml".into(), settings, paths)];
    }
    let mut files: Vec<OutputFile> = paths
        .chunks(max)
        .enumerate()
        .map(|(n, chunk)| urlset(format!("sitemap-{}.xml", n + 1), settings, chunk))
        .collect();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for f in &files {
        let _ = writeln!(
            index,
            "  <sitemap><loc>{}</loc></sitemap>",
            esc(&settings.absolute_url(&f.path))
        );
    }
    index.push_str("</sitemapindex>\n");
    files.push(OutputFile {
        path: "sitemap.xml".into(),
        bytes: index.into_bytes(),
    });
    files
}

fn urlset(path: String, settings: &Settings, paths: &[String]) -> OutputFile {
    let mut xml = String::with_capacity(100 + paths.len() * 90);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        let _ = writeln!(
            xml,
            "  <url><loc>{}</loc></url>",
            esc(&settings.absolute_url(p))
        );
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path,
        bytes: xml.into_bytes(),
    }
}

/// `robots.txt`: everything may be crawled; the sitemap is named.
pub fn robots(settings: &Settings) -> OutputFile {
    OutputFile {
        path: "robots.txt".into(),
        bytes: format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            settings.absolute_url("sitemap.xml")
        )
        .into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_write_one_sitemap_under_the_limit() {
        let s = Settings::with_defaults(std::path::Path::new("."));
        let files = sitemaps(&s, &["a/".into(), "b/".into()], 2);
        assert_eq!(files.len(), 1);
        let xml = String::from_utf8_lossy(&files[0].bytes);
        assert!(xml.contains("<loc>/a/</loc>"), "{xml}");
    }

    #[test]
    fn can_split_into_an_index_above_the_limit() {
        let s = Settings::with_defaults(std::path::Path::new("."));
        let paths: Vec<String> = (0..5).map(|i| format!("p{i}/")).collect();
        let files = sitemaps(&s, &paths, 2);
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "sitemap.xml"
            ]
        );
        let index = String::from_utf8_lossy(&files[3].bytes);
        assert!(index.contains("<sitemapindex"), "{index}");
        assert_eq!(index.matches("<sitemap>").count(), 3);
    }
}

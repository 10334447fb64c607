//! A site of generated decisions for the preview's benchmarks (examples/serve_latency.rs,
//! examples/serve_load.rs): `casebook init`'s site, plus decision files made from the five
//! seed content files with new references and one of 100 councils.

use std::path::{Path, PathBuf};

use anyhow::bail;

/// Writes `count` decision files built from the seed content files; returns their paths
/// (relative to `root`) and references with dashes.
pub(crate) fn generate_site(root: &Path, count: usize) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let seeds_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/decisions");
    let mut seeds: Vec<String> = walkdir::WalkDir::new(&seeds_dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| std::fs::read_to_string(e.path()))
        .collect::<Result<_, _>>()?;
    if seeds.is_empty() {
        bail!("no seed content files in {}", seeds_dir.display());
    }
    // A real site: config, the default theme and pages, as `casebook init` writes them.
    casebook::cmd::init::create_site(root)?;
    let mut made = Vec::with_capacity(count);
    for i in 0..count {
        let reference = format!("{:02} {:03} {:03}", 10 + i % 15, i / 1000, i % 1000);
        let dashed = reference.replace(' ', "-");
        let text = retag(&seeds[i % seeds.len()], &reference, i);
        let rel = PathBuf::from(format!("content/decisions/{}/{dashed}.md", 2010 + i % 15));
        let path = root.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // Test data: a plain write (no fsync per file) keeps generation quick.
        std::fs::write(&path, text)?;
        made.push((rel, dashed));
    }
    seeds.clear();
    Ok(made)
}

/// A seed's text with a new reference, and one of 100 councils.
fn retag(seed: &str, reference: &str, i: usize) -> String {
    seed.lines()
        .map(|line| {
            if line.starts_with("reference = ") {
                format!("reference = \"{reference}\"")
            } else if line.starts_with("council = ") {
                format!("council = \"Sample Borough Council {:02}\"", i % 100)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

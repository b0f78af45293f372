//! The files of the repository's `console/` folder, embedded at compile time (`build.rs` makes
//! Cargo rebuild when any of them changes), their version hash and media types.

use include_dir::{include_dir, Dir, File};
use sha2::{Digest, Sha256};

static FILES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/console");

/// The placeholder in `index.html` replaced by the assets' URL prefix.
const PREFIX_PLACEHOLDER: &str = "{{assets}}";

/// The embedded files, their version and the rendered `index.html`.
pub struct Assets {
    version: String,
    index: String,
    files: Vec<&'static File<'static>>,
}

impl Assets {
    /// Walks the embedded folder, hashes every file (path and content, in path order) and
    /// renders `index.html` with the prefix `/console/assets/<version>`.
    pub fn embedded() -> Self {
        let mut files = Vec::new();
        collect(&FILES, &mut files);
        files.sort_by(|a, b| a.path().cmp(b.path()));
        let mut hasher = Sha256::new();
        for f in &files {
            let path = f.path().to_string_lossy();
            hasher.update((path.len() as u64).to_be_bytes());
            hasher.update(path.as_bytes());
            hasher.update((f.contents().len() as u64).to_be_bytes());
            hasher.update(f.contents());
        }
        let version = hex::encode(&hasher.finalize()[..8]);
        let template = FILES.get_file("index.html").and_then(File::contents_utf8).unwrap_or_default();
        let index = template.replace(PREFIX_PLACEHOLDER, &format!("/console/assets/{version}"));
        Self { version, index, files }
    }

    /// The version hash (16 hex digits).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// `index.html`, ready to serve.
    pub fn index(&self) -> &str {
        &self.index
    }

    /// The asset at `path` (relative to `console/`), with its media type; `index.html` is served
    /// only as the console's page, and names with `..` or a leading `/` match nothing.
    pub fn get(&self, path: &str) -> Option<(&'static [u8], &'static str)> {
        if path == "index.html" || path.starts_with('/') || path.split('/').any(|s| s == ".." || s.is_empty()) {
            return None;
        }
        let file = self.files.iter().find(|f| f.path().to_str() == Some(path))?;
        Some((file.contents(), media_type(path)))
    }
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<&'static File<'static>>) {
    out.extend(dir.files());
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

/// The media type served for a file name.
fn media_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("html") => "text/html; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json") => "application/json",
        _ => "text/plain; charset=utf-8",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_gets_the_versioned_prefix_and_files_resolve() {
        let assets = Assets::embedded();
        assert_eq!(assets.version().len(), 16);
        assert!(assets.index().contains(&format!("/console/assets/{}/", assets.version())));
        assert!(!assets.index().contains(PREFIX_PLACEHOLDER));
        let (_, kind) = assets.get("js/main.js").unwrap();
        assert_eq!(kind, "text/javascript; charset=utf-8");
        assert!(assets.get("index.html").is_none());
        assert!(assets.get("../Cargo.toml").is_none());
        assert!(assets.get("js//main.js").is_none());
        assert_eq!(media_type("vendor/echarts/LICENSE"), "text/plain; charset=utf-8");
    }
}

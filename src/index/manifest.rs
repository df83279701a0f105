//! The manifest: what the index holds for each file of the corpus (size, mtime, content hash,
//! document counts), and the index-format and extractor versions it was built with.
//!
//! Owns the record and its storage. A manifest is written to a new file before each commit and
//! the commit's payload names it, so the committed index and its manifest always agree: an
//! interrupted run leaves the previous pair in place.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::IndexError;
use crate::ingest::template::{self, Template};

/// Version of the on-disk layout (schema, analysis + manifest). An index of another format must
/// be rebuilt. 3: accented words also hold the term of their unaccented spelling.
pub const INDEX_FORMAT: u32 = 3;

/// Version of the ingest stage's output. When extraction changes, every page is re-extracted.
pub const EXTRACTOR_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+x13");

/// What happened to a file the last time it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Indexed: its documents are in the index.
    Indexed,
    /// Not a page (empty, binary, redirect, not a page extension).
    Skipped,
}

/// One file's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Size in bytes when last read.
    pub size: u64,
    /// Modification time (nanoseconds since the epoch) when last read.
    pub mtime_ns: i128,
    /// XXH3 128-bit hash of the bytes that were read (hex): it only has to tell an edited file
    /// from an untouched one, so a fast non-cryptographic hash does.
    pub hash: String,
    /// Whether the file is indexed or skipped.
    pub status: Status,
    /// Comments indexed for it (its article is one more document).
    pub comments: u32,
    /// The page's site, for `stats`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// The host the page names as its own address, which makes its site for templates (none:
    /// its folder does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// The keys of the pages indexed from an archive file (a WARC file's records); empty for a
    /// file that is one page, whose key is its path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<String>,
}

impl Entry {
    /// The keys of the pages the index holds for this file, `rel`.
    pub fn page_keys<'a>(&'a self, rel: &'a str) -> Vec<&'a str> {
        if self.records.is_empty() {
            vec![rel]
        } else {
            self.records.iter().map(String::as_str).collect()
        }
    }

    /// The key of the file's site for templates (see [`template::site_key`]).
    pub fn site_key(&self, rel: &str) -> String {
        template::site_key(self.host.as_deref(), rel)
    }
}

/// What the index keeps of one site's template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteTemplate {
    /// A hash of the sampled pages' paths and contents: while it holds, the template does.
    pub sample: String,
    /// The lines cut from the site's pages.
    #[serde(flatten)]
    pub template: Template,
}

/// The whole manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Layout version, [`INDEX_FORMAT`] when written by this build.
    pub format: u32,
    /// Extractor version the documents were made with.
    pub extractor: String,
    /// When the index was last committed (RFC 3339, UTC).
    pub updated: String,
    /// Files by path relative to the corpus root.
    pub files: BTreeMap<String, Entry>,
    /// Site templates by site key, for sites of at least [`template::MIN_PAGES`] pages.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub templates: BTreeMap<String, SiteTemplate>,
}

impl Manifest {
    /// An empty manifest for a new index.
    pub fn new() -> Manifest {
        Manifest {
            format: INDEX_FORMAT,
            extractor: EXTRACTOR_VERSION.to_string(),
            updated: String::new(),
            files: BTreeMap::new(),
            templates: BTreeMap::new(),
        }
    }

    /// Pages, articles (one per indexed page) and comments the index holds.
    pub fn counts(&self) -> (u64, u64, u64) {
        Manifest::tally(&self.files)
    }

    /// Pages, articles and comments of a set of file records.
    pub fn tally(files: &BTreeMap<String, Entry>) -> (u64, u64, u64) {
        let mut pages = 0;
        let mut comments = 0;
        for e in files.values().filter(|e| e.status == Status::Indexed) {
            pages += e.records.len().max(1) as u64;
            comments += u64::from(e.comments);
        }
        (pages, pages, comments)
    }

    /// Indexed pages per site name, most pages first (ties by name); pages with no site name
    /// are not counted.
    pub fn site_counts(&self) -> Vec<(String, u64)> {
        let mut counts: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
        for e in self.files.values().filter(|e| e.status == Status::Indexed) {
            if let Some(site) = e.site.as_deref() {
                *counts.entry(site).or_default() += 1.max(e.records.len() as u64);
            }
        }
        let mut v: Vec<(String, u64)> = counts
            .into_iter()
            .map(|(s, n)| (s.to_string(), n))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }

    /// Distinct site names among indexed pages.
    pub fn sites(&self) -> usize {
        let mut sites: Vec<&str> = self
            .files
            .values()
            .filter(|e| e.status == Status::Indexed)
            .filter_map(|e| e.site.as_deref())
            .collect();
        sites.sort_unstable();
        sites.dedup();
        sites.len()
    }

    /// Reads the manifest file named by a commit payload.
    ///
    /// # Errors
    /// [`IndexError::Damaged`] when the file is missing or unreadable.
    pub fn load(index_dir: &Path, name: &str) -> Result<Manifest, IndexError> {
        let path = index_dir.join(name);
        let bytes = fs::read(&path).map_err(|e| IndexError::Damaged {
            dir: index_dir.to_path_buf(),
            reason: format!("manifest {name}: {e}"),
        })?;
        serde_json::from_slice(&bytes).map_err(|e| IndexError::Damaged {
            dir: index_dir.to_path_buf(),
            reason: format!("manifest {name}: {e}"),
        })
    }

    /// Writes the manifest to a new file `manifest-<n>.json` and returns its name.
    ///
    /// # Errors
    /// [`IndexError::Io`] when the file cannot be written.
    pub fn save(&self, index_dir: &Path, n: u64) -> Result<String, IndexError> {
        let name = format!("manifest-{n}.json");
        let path = index_dir.join(&name);
        let io = |e: std::io::Error| IndexError::Io {
            path: path.clone(),
            source: e,
        };
        let mut file = fs::File::create(&path).map_err(io)?;
        let json = serde_json::to_vec(self).map_err(|e| io(std::io::Error::other(e)))?;
        file.write_all(&json).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(name)
    }

    /// Removes manifest files other than those in `keep` (left by earlier or interrupted runs;
    /// the previous one is kept for readers that opened it just before the commit).
    pub fn remove_others(index_dir: &Path, keep: &[&str]) {
        let Ok(dir) = fs::read_dir(index_dir) else {
            return;
        };
        for entry in dir.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("manifest-")
                && name.ends_with(".json")
                && !keep.contains(&name.as_ref())
            {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest::new()
    }
}

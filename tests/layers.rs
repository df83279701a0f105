//! The ingest stage's layers: each folder or file of `src/ingest` imports only the layers below
//! it, read from the source itself (every `crate::ingest::…` and `super::…` path outside test
//! modules). A new import that runs upward, or between the HTML and text readers, fails here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What each layer may import; the facade (`mod.rs`) may import all of them. `config` is the
/// facade's `IngestConfig`, which every reader is handed.
const ALLOWED: &[(&str, &[&str])] = &[
    ("markup", &[]),
    ("lexicon", &[]),
    ("dates", &[]),
    ("error", &[]),
    ("decode", &[]),
    ("input", &["dates", "error"]),
    ("lines", &["lexicon", "dates"]),
    ("people", &["lexicon", "dates"]),
    ("page", &["lexicon", "lines", "people", "dates", "error"]),
    ("language", &["page", "lexicon"]),
    (
        "html",
        &[
            "markup", "lexicon", "lines", "people", "dates", "page", "error", "input", "language",
            "config",
        ],
    ),
    (
        "text",
        &[
            "lexicon", "lines", "people", "dates", "page", "error", "input", "language", "config",
        ],
    ),
    (
        "template",
        &[
            "markup", "input", "page", "lexicon", "lines", "dates", "config",
        ],
    ),
];

/// The layer an item of the facade belongs to (it re-exports a few).
fn layer_of(name: &str) -> &str {
    match name {
        "Stamp" => "dates",
        "IngestError" => "error",
        "Page" | "Comment" | "Format" => "page",
        "IngestConfig" => "config",
        n if n.starts_with(|c: char| c.is_ascii_lowercase())
            && ALLOWED.iter().any(|(m, _)| *m == n) =>
        {
            n
        }
        _ => "facade",
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The first names after each occurrence of `prefix` in `line`: `a` in `prefix::a::b`, and
/// `a`, `b` in `prefix::{a, b::c, self as d}`.
fn names_after(line: &str, prefix: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut from = 0;
    while let Some(p) = line[from..].find(prefix) {
        let start = from + p;
        from = start + prefix.len();
        // `super::super::` is read by its own prefix, not as `super::` + `super`.
        if start >= 2 && &line[start - 2..start] == "::" {
            continue;
        }
        let rest = &line[from..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let first = item.trim().split("::").next().unwrap_or("").trim();
                if !first.is_empty() && !first.starts_with("self") {
                    names.push(first.to_string());
                }
            }
        } else {
            let first: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !first.is_empty() && first != "super" {
                names.push(first);
            }
        }
    }
    names
}

#[test]
fn ingest_layers_import_only_the_layers_below_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ingest");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    let mut wrong = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap();
        let parts: Vec<&str> = rel.iter().map(|p| p.to_str().unwrap()).collect();
        let module = match parts.as_slice() {
            ["mod.rs"] => "facade".to_string(),
            [one] => one.trim_end_matches(".rs").to_string(),
            [folder, ..] => folder.to_string(),
            [] => unreachable!(),
        };
        if module == "facade" {
            continue;
        }
        let allowed = ALLOWED
            .iter()
            .find(|(m, _)| *m == module)
            .unwrap_or_else(|| {
                panic!(
                    "src/ingest/{}: a layer the table does not name",
                    rel.display()
                )
            })
            .1;
        // Where `super::` leads: the ingest module for a top-level file or a folder's mod.rs,
        // the folder itself for a file inside it.
        let nested = parts.len() > 1 && parts.last() != Some(&"mod.rs");
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for line in code.lines() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            let mut names = names_after(line, "crate::ingest::");
            if nested {
                names.extend(names_after(line, "super::super::"));
            } else {
                names.extend(names_after(line, "super::"));
            }
            for name in names {
                let target = layer_of(&name);
                seen.insert(format!("{module} -> {target}"));
                if target != module && !allowed.contains(&target) {
                    wrong.insert(format!(
                        "src/ingest/{}: imports {name} ({target})",
                        rel.display()
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports that run upward:\n{wrong:#?}");
    // The reader of the source sees the imports at all (a test that read nothing would pass).
    assert!(seen.contains("html -> markup"), "{seen:#?}");
    assert!(seen.contains("text -> lines"), "{seen:#?}");
}

/// The stages of the library and what each may import: ingest ← index ← search, with `watch`
/// beside search (it needs only the index) and `serve` above both. `panics` is everyone's.
const STAGES: &[(&str, &[&str])] = &[
    ("ingest", &["panics"]),
    ("index", &["ingest", "panics"]),
    ("search", &["index", "ingest", "panics"]),
    ("watch", &["index", "ingest", "panics"]),
    ("serve", &["search", "index", "ingest", "panics", "watch"]),
];

#[test]
fn stages_import_only_the_stages_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for (stage, allowed) in STAGES {
        let mut files = Vec::new();
        rust_files(&src.join(stage), &mut files);
        assert!(!files.is_empty(), "src/{stage} has no sources");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for line in code.lines().map(str::trim_start) {
                if line.starts_with("//") {
                    continue;
                }
                for name in names_after(line, "crate::") {
                    if name == *stage {
                        continue;
                    }
                    seen.insert(format!("{stage} -> {name}"));
                    if STAGES.iter().any(|(s, _)| *s == name) && !allowed.contains(&name.as_str()) {
                        wrong.insert(format!("{}: imports {name}", file.display()));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports that run upward:\n{wrong:#?}");
    assert!(seen.contains("search -> index"), "{seen:#?}");
    assert!(seen.contains("serve -> search"), "{seen:#?}");
}

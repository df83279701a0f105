//! Helpers: run the built binary, parse its JSON Lines, make temporary corpora.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The result of one run of the binary.
pub struct Run {
    pub out: Output,
}

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    pub fn code(&self) -> i32 {
        self.out.status.code().unwrap_or(-1)
    }
    pub fn assert_exit_code(&self, n: i32) -> &Self {
        assert_eq!(
            self.code(),
            n,
            "stdout: {}\nstderr: {}",
            self.stdout(),
            self.stderr()
        );
        self
    }
    /// Every stdout line parsed as JSON.
    pub fn json_lines(&self) -> Vec<serde_json::Value> {
        self.stdout()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
            .collect()
    }
}

/// Runs `thresh` with `args` in `dir`.
pub fn thresh(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(args)
        .current_dir(dir)
        .env_remove("THRESH_INDEX")
        .output()
        .expect("the thresh binary runs");
    Run { out }
}

/// The repository root (where `corpus/` is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture file under tests/fixtures.
pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests").join("fixtures").join(rel)
}

/// Extracts one file and returns its page as JSON.
pub fn extract_json(path: &Path) -> serde_json::Value {
    let run = thresh(
        &repo(),
        &["extract", "--json", path.to_str().expect("utf-8 path")],
    );
    run.assert_exit_code(0);
    let mut lines = run.json_lines();
    assert_eq!(lines.len(), 1);
    lines.remove(0)
}

/// `s` of a JSON string field, or "" when null.
pub fn s<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

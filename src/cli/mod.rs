//! The command line: arguments, configuration and output. The only place that prints.

mod args;
mod output;

use std::fs;
use std::io::{self, BufRead, BufWriter, Read, Write};

use anyhow::{Context, Result};
use clap::Parser;

use args::{Args, Command, ExtractArgs};
use thresh::ingest::{self, IngestConfig};

/// Runs the command line; returns the exit code.
pub fn run() -> Result<u8> {
    let args = Args::parse();
    match args.command {
        Command::Extract(a) => extract(a),
    }
}

/// True when the error is a closed stdout (`thresh … | head`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// Reads at most `cap` bytes of a file: a huge file costs no more memory than the cap.
fn read_capped(path: &str, cap: usize) -> io::Result<Vec<u8>> {
    let file = fs::File::open(path)?;
    let mut bytes = Vec::new();
    io::Read::take(file, cap as u64).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn extract(a: ExtractArgs) -> Result<u8> {
    let mut paths = a.files.clone();
    if let Some(list) = &a.files_from {
        let reader: Box<dyn BufRead> = if list == "-" {
            Box::new(io::BufReader::new(io::stdin()))
        } else {
            Box::new(io::BufReader::new(
                fs::File::open(list).with_context(|| format!("--files-from {list}"))?,
            ))
        };
        for line in reader.lines() {
            let line = line.with_context(|| format!("--files-from {list}"))?;
            let line = line.trim_end_matches('\r');
            if !line.trim().is_empty() {
                paths.push(line.to_string());
            }
        }
    }
    if paths.is_empty() {
        anyhow::bail!("extract: no files given (name them, or use --files-from LIST)");
    }
    let config = IngestConfig::default();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = false;
    for path in &paths {
        let result = read_capped(path, config.max_file_bytes)
            .map_err(|e| output::io_reason(&e))
            .and_then(|bytes| ingest::extract(path, &bytes, &config).map_err(|e| e.reason()));
        match result {
            Ok(page) => {
                if a.json {
                    output::json_line(&mut out, &page)?;
                } else {
                    output::page_text(&mut out, &page)?;
                }
            }
            Err(msg) => {
                failed = true;
                eprintln!(
                    "thresh: {}: {}",
                    output::sanitize(path),
                    output::sanitize(&msg)
                );
                if a.json {
                    output::json_error(&mut out, path, &msg)?;
                }
            }
        }
    }
    out.flush()?;
    Ok(if failed { 1 } else { 0 })
}

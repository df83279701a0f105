//! Command-line arguments (clap derive). Doc comments are the help text.

use clap::{Parser, Subcommand};

/// Search engine for folders of saved web pages: articles and their reader comments.
#[derive(Debug, Parser)]
#[command(name = "thresh", version, about)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the ingest stage on files and print what would be indexed.
    Extract(ExtractArgs),
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Saved pages (.html, .htm, .xhtml, .shtml, .txt).
    pub files: Vec<String>,
    /// Read more paths from this file, one per line (`-` for standard input).
    #[arg(long, value_name = "LIST")]
    pub files_from: Option<String>,
    /// Print one JSON object per file (JSON Lines) instead of text.
    #[arg(long)]
    pub json: bool,
}

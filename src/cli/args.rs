//! Command-line arguments (clap derive). Doc comments are the help text.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Search engine for folders of saved web pages: articles and their reader comments.
#[derive(Debug, Parser)]
#[command(name = "thresh", version, about)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index of a corpus folder (incremental).
    Index(IndexArgs),
    /// Search the index: ranked articles and comments with highlighted snippets.
    Search(SearchArgs),
    /// Run the ingest stage on files and print what would be indexed.
    Extract(ExtractArgs),
    /// Print one indexed page, or one comment in its thread (`PATH#N`).
    Show(ShowArgs),
    /// Print what the index holds.
    Stats(StatsArgs),
    /// Serve a web page to search from, and a JSON API, on a local address.
    Serve(ServeArgs),
    /// Keep the index current while the corpus changes (until Ctrl-C).
    Watch(WatchArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), for `man -l -`; with DIR, write a page per command there.
    Man(ManArgs),
}

/// Where the index lives; `THRESH_INDEX` overrides the default.
#[derive(Debug, clap::Args)]
pub struct IndexDir {
    /// Index directory [default: index]
    #[arg(long = "index", value_name = "DIR", env = "THRESH_INDEX")]
    pub index: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// The corpus folder.
    #[arg(default_value = "corpus")]
    pub corpus: PathBuf,
    #[command(flatten)]
    pub dir: IndexDir,
    /// Start from an empty index.
    #[arg(long)]
    pub rebuild: bool,
    /// Hash every file even when its size and mtime are unchanged.
    #[arg(long)]
    pub verify: bool,
    /// Threads to use [default: the number of cores]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// No progress bar and no summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// List skipped files too.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Article,
    Comment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortBy {
    Relevance,
    Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// `--color`, on every command that prints page text.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct ColorChoice {
    /// When to use colour and terminal hyperlinks: auto (when stdout is a terminal and NO_COLOR
    /// is not set), always, never.
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    pub color: Color,
}

impl ColorChoice {
    /// Whether to colour: `auto` asks stdout and `NO_COLOR`.
    pub fn enabled(self) -> bool {
        use std::io::IsTerminal;
        match self.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The query: words, "exact phrases", OR, -excluded, prefix*, title: author: site: kind:
    #[arg(required = true, num_args = 1.., allow_hyphen_values = true, trailing_var_arg = true)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub dir: IndexDir,
    /// Hits to show (at least 1).
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub limit: usize,
    /// Hits to skip (for paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Only articles or only comments.
    #[arg(long, value_enum)]
    pub kind: Option<Kind>,
    /// Only hits from a site whose name or host holds S (`guardian`), any case or accents.
    #[arg(long, value_name = "S")]
    pub site: Option<String>,
    /// Only hits by an author whose name holds A's words, whole and in order (`krisher`).
    #[arg(long, value_name = "A")]
    pub author: Option<String>,
    /// Only hits dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only hits dated on or before this (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Order of hits: relevance (best first), or date (newest first; undated hits last).
    #[arg(long, value_enum, default_value_t = SortBy::Relevance, value_name = "ORDER")]
    pub sort: SortBy,
    /// Every word required (no partial matches after the full ones).
    #[arg(long)]
    pub all: bool,
    /// When nothing is found, search again with the suggested spelling.
    #[arg(long)]
    pub fuzzy: bool,
    /// List every saved copy of a story as its own hit (by default one hit per story, the
    /// newest capture, naming the other copies).
    #[arg(long)]
    pub all_copies: bool,
    /// Sentences per snippet (default: 2 for articles, 1 for comments).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=10))]
    pub snippets: Option<u8>,
    /// Print one JSON object per hit (JSON Lines).
    #[arg(long)]
    pub json: bool,
    /// Print only the number of matching articles and comments (copies of a story counted
    /// each).
    #[arg(long, conflicts_with_all = ["json", "stats"])]
    pub count: bool,
    /// Count every match and say so on stderr (`12 hits (showing 1–10)`, also done when stderr
    /// is a terminal); with --json, end with one more line on stdout: `{"total": N}`.
    #[arg(long)]
    pub stats: bool,
    #[command(flatten)]
    pub color: ColorChoice,
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Saved pages (.html, .htm, .xhtml, .shtml, .txt).
    pub files: Vec<PathBuf>,
    /// Read more paths from this file, one per line (`-` for standard input).
    #[arg(long, value_name = "LIST")]
    pub files_from: Option<PathBuf>,
    /// Print one JSON object per file (JSON Lines) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Also cut the site templates the index in DIR learned from its corpus.
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    #[command(flatten)]
    pub color: ColorChoice,
}

#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The page: its path as `search` prints it, or relative to the corpus folder; `PATH#N`
    /// shows comment N in its thread.
    pub page: String,
    #[command(flatten)]
    pub dir: IndexDir,
    /// Print the page model as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub color: ColorChoice,
}

#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub dir: IndexDir,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The corpus folder: indexed first when there is no index yet, and watched with --watch
    /// [default: the folder the index was built from]
    pub corpus: Option<PathBuf>,
    #[command(flatten)]
    pub dir: IndexDir,
    /// Address to listen on; only this machine can connect unless another address is given.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:7878")]
    pub addr: std::net::SocketAddr,
    /// Also keep the index current while the corpus changes (as `thresh watch`).
    #[arg(long)]
    pub watch: bool,
    /// Threads for indexing with --watch [default: the number of cores]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
}

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// The corpus folder.
    #[arg(default_value = "corpus")]
    pub corpus: PathBuf,
    #[command(flatten)]
    pub dir: IndexDir,
    /// Threads to use [default: the number of cores]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// A folder to write `thresh.1` and `thresh-COMMAND.1` into (a man directory's `man1`).
    pub dir: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

/// What a `--name` (or `--name=value`) is to `search`, read from its clap definition so that
/// the two never drift: `Some(true)` an option taking a value, `Some(false)` a flag, `None` no
/// option of `search`.
fn search_long_option(arg: &str) -> Option<bool> {
    use clap::CommandFactory;
    let name = arg.strip_prefix("--")?.split('=').next()?;
    if name == "help" {
        return Some(false);
    }
    let command = Args::command();
    let search = command.find_subcommand("search")?;
    search
        .get_arguments()
        .find(|a| a.get_long() == Some(name))
        .map(|a| a.get_action().takes_values())
}

/// The first `--name` among `search`'s arguments (before a `--`) that names no option of it,
/// as a clap error with the nearest option's name: a positional query that takes words
/// starting with `-` would otherwise take a mistyped option for a query word.
pub fn unknown_search_option(args: &[String]) -> Option<clap::Error> {
    use clap::CommandFactory;
    let at = args.iter().position(|a| a == "search")?;
    let bad = args[at + 1..]
        .iter()
        .take_while(|a| a.as_str() != "--")
        .find(|a| a.starts_with("--") && a.len() > 2 && search_long_option(a).is_none())?;
    let mut command = Args::command().bin_name("thresh");
    command.build();
    let search = command.find_subcommand_mut("search")?;
    let typed = bad.trim_start_matches('-').split('=').next().unwrap_or("");
    // Names other search tools use for what thresh calls otherwise.
    const ELSEWHERE: &[(&str, &str)] = &[
        ("format", "--json"),
        ("no-color", "--color never"),
        ("no-colour", "--color never"),
        ("colour", "--color"),
        ("max-count", "--limit N"),
        ("max-results", "--limit N"),
        ("num", "--limit N"),
        ("skip", "--offset N"),
        ("type", "--kind article|comment"),
        ("after", "--since DATE"),
        ("before", "--until DATE"),
        ("sortby", "--sort relevance|date"),
        ("order", "--sort relevance|date"),
    ];
    if let Some((_, ours)) = ELSEWHERE.iter().find(|(name, _)| *name == typed) {
        return Some(search.error(
            clap::error::ErrorKind::UnknownArgument,
            format!("unexpected argument '{bad}' found\n\n  tip: thresh says '{ours}'"),
        ));
    }
    let nearest = search
        .get_arguments()
        .filter_map(|a| a.get_long())
        .map(|l| (strsim::jaro(typed, l), l))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, l)| format!("\n\n  tip: a similar argument exists: '--{l}'"))
        .unwrap_or_default();
    Some(search.error(
        clap::error::ErrorKind::UnknownArgument,
        format!("unexpected argument '{bad}' found{nearest}"),
    ))
}

/// `thresh search billboard -japanese --json`: once the query has begun, words starting with a
/// single `-` are query words, but a `--option` still counts as an option (an unknown one is
/// clap's error, with its "did you mean"). Moves those options (and their values) ahead of the
/// query so clap sees them as options.
pub fn reorder_search_options(args: Vec<String>) -> Vec<String> {
    let Some(at) = args.iter().position(|a| a == "search") else {
        return args;
    };
    let (head, tail) = args.split_at(at + 1);
    let mut options: Vec<String> = Vec::new();
    let mut query: Vec<String> = Vec::new();
    let mut i = 0;
    let mut started = false;
    while i < tail.len() {
        let a = &tail[i];
        let name = a.split('=').next().unwrap_or(a);
        if a == "--" {
            query.extend(tail[i..].iter().cloned());
            break;
        }
        let long = a.starts_with("--") && a.len() > 2;
        if long && search_long_option(name) == Some(true) {
            options.push(a.clone());
            if !a.contains('=')
                && let Some(v) = tail.get(i + 1)
            {
                options.push(v.clone());
                i += 1;
            }
        } else if long {
            // A flag, or no option at all: clap says which.
            options.push(a.clone());
        } else if a == "-n"
            && tail
                .get(i + 1)
                .is_some_and(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()))
        {
            // `-n 5` anywhere is the limit: excluding the one-letter word `n` means nothing.
            options.push(a.clone());
            options.push(tail[i + 1].clone());
            i += 1;
        } else if !started && a.starts_with('-') && a.len() > 1 {
            // Short options before the query (`-n 5`) stay options.
            options.push(a.clone());
            if a == "-n"
                && let Some(v) = tail.get(i + 1)
            {
                options.push(v.clone());
                i += 1;
            }
        } else {
            started = true;
            query.push(a.clone());
        }
        i += 1;
    }
    let mut out: Vec<String> = head.to_vec();
    out.extend(options);
    if !query.is_empty() && !query[0].starts_with("--") {
        out.push("--".into());
    }
    out.extend(query);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_long_option_is_an_error_and_a_known_one_an_option() {
        let v = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        let e = unknown_search_option(&v("thresh search nasa --limt 1")).unwrap();
        assert!(e.to_string().contains("'--limit'"), "{e}");
        let e = unknown_search_option(&v("thresh search nasa --format=json")).unwrap();
        assert!(e.to_string().contains("'--json'"), "{e}");
        let e = unknown_search_option(&v("thresh search nasa --no-color")).unwrap();
        assert!(e.to_string().contains("'--color never'"), "{e}");
        for fine in [
            "thresh search nasa --limit 1 --all-copies --json",
            "thresh search nasa -japanese -l",
            "thresh search nasa -- --limt",
        ] {
            assert!(unknown_search_option(&v(fine)).is_none(), "{fine}");
        }
        assert_eq!(
            reorder_search_options(v("thresh search nasa --all-copies")),
            v("thresh search --all-copies -- nasa")
        );
    }

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn hyphen_words_after_the_query_are_query_words() {
        assert_eq!(
            reorder_search_options(v("thresh search billboard -japanese --json")),
            v("thresh search --json -- billboard -japanese")
        );
        assert_eq!(
            reorder_search_options(v("thresh search -n 5 --kind comment mixtape")),
            v("thresh search -n 5 --kind comment -- mixtape")
        );
        assert_eq!(
            reorder_search_options(v("thresh search billboard -n 3 -n")),
            v("thresh search -n 3 -- billboard -n")
        );
    }
}

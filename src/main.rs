//! The `thresh` command: parse arguments, run, map errors to exit codes.

mod cli;

use std::process::ExitCode;

/// jemalloc instead of the system allocator: extraction builds and drops a tree of small strings
/// and vectors per page on every worker, and the system allocator's bookkeeping took about an
/// eighth of the cycles of a full index. With jemalloc a full index of the Rust documentation
/// used about 5% less CPU and a tenth less peak memory (bench/index-bench.sh, alternated runs).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOC: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    // The ingest stage catches panics at its per-page boundary and reports them as that page's
    // error, which names where it happened; no backtrace reaches the terminal for those. Any
    // other panic is reported as usual.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if thresh::panics::panics_are_handled() {
            if let Some(at) = info.location() {
                thresh::panics::record_location(format!("{}:{}", at.file(), at.line()));
            }
        } else {
            default_hook(info);
        }
    }));
    match cli::run() {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if cli::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("thresh: {err:#}");
            ExitCode::from(2)
        }
    }
}

//! The `thresh` command: parse arguments, run, map errors to exit codes.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // The ingest stage catches and recovers from panics in one third-party layout step; those
    // are not the user's business. Any other panic is reported as usual.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !thresh::ingest::html::panics_are_handled() {
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

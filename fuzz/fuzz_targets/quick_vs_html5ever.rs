//! The differential target: wherever the hand-written quick parser answers, it must build the
//! very tree html5ever builds. It also counts how often it answers (printed every 2^16 inputs
//! and read by `fuzz/run.sh`), since a parser that gives up on everything would pass.
#![no_main]

use std::sync::atomic::{AtomicU64, Ordering};

use libfuzzer_sys::fuzz_target;
use thresh::ingest::fuzzing::quick_parser_agrees;

static SEEN: AtomicU64 = AtomicU64::new(0);
static ANSWERED: AtomicU64 = AtomicU64::new(0);

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    let seen = SEEN.fetch_add(1, Ordering::Relaxed) + 1;
    match quick_parser_agrees(html) {
        Some(Err(difference)) => panic!("the parsers differ on {html:?}: {difference}"),
        Some(Ok(())) => {
            ANSWERED.fetch_add(1, Ordering::Relaxed);
        }
        None => {}
    }
    if seen % 65_536 == 0 {
        eprintln!(
            "quick parser answered {} of {seen} inputs",
            ANSWERED.load(Ordering::Relaxed)
        );
    }
});

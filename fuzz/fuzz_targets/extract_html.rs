//! Any bytes, read as a saved HTML page: extraction must not hit a bug.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(init: common::quiet_caught_panics(), |data: &[u8]| {
    common::extract_or_crash("page.html", data);
});

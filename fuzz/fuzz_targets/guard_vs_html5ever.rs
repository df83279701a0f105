//! The guard's target: the pre-parse guard scans tags without a tokenizer, so on any markup it
//! must keep every word html5ever shows when it parses the raw markup alone (outside the
//! elements the guard drops on purpose). Damaged tags, stray quotes and odd comments are what
//! it is here to find.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thresh::ingest::fuzzing::guard_agrees;

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(difference) = guard_agrees(html) {
        panic!("the guard loses text on {html:?}: {difference}");
    }
});

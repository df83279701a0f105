//! Any bytes, read as a saved HTML page: extraction must not hit a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thresh::ingest::{IngestConfig, IngestError, extract};

fuzz_target!(|data: &[u8]| {
    // The panic boundary turns a bug into `Internal`; a fuzz run must see it as a crash.
    if let Err(IngestError::Internal { message, .. }) =
        extract("page.html", data, &IngestConfig::default())
    {
        panic!("internal error: {message}");
    }
});

//! Any bytes, read as a browser's text dump: extraction must not hit a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thresh::ingest::{IngestConfig, IngestError, extract};

fuzz_target!(|data: &[u8]| {
    if let Err(IngestError::Internal { message, .. }) =
        extract("page.txt", data, &IngestConfig::default())
    {
        panic!("internal error: {message}");
    }
});

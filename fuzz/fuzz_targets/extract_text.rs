//! Any bytes, read as a browser's text dump: extraction must not hit a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thresh::ingest::{IngestConfig, IngestError, extract};

/// Panics that thresh catches and recovers from (a third-party layout step's, inside the panic
/// boundary) are not crashes; libFuzzer's own hook would abort on them. A panic that escapes the
/// boundary still reaches it, and so does the `Internal` error below.
fn quiet_caught_panics() {
    let fuzzer_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !thresh::panics::panics_are_handled() {
            fuzzer_hook(info);
        }
    }));
}

fuzz_target!(init: quiet_caught_panics(), |data: &[u8]| {
    if let Err(IngestError::Internal { message, .. }) =
        extract("page.txt", data, &IngestConfig::default())
    {
        panic!("internal error: {message}");
    }
});

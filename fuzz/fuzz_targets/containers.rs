//! Any bytes as an MHTML archive and as a SingleFile ZIP page: never a panic, never more memory
//! than the cap allows, and a document that is found never longer than the cap.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thresh::ingest::input;

const CAP: usize = 1 << 20;

fuzz_target!(|data: &[u8]| {
    for name in ["page.mhtml", "page.html"] {
        if let Ok(u) = input::unwrap(name, data, CAP) {
            assert!(u.bytes.len() <= CAP.max(data.len()));
        }
    }
    if let Ok(u) = input::singlefile::unwrap(data, CAP) {
        assert!(u.bytes.len() <= CAP);
    }
    let _ = input::declared_address(data);
});

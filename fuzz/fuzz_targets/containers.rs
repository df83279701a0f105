//! Any bytes as an MHTML archive, a SingleFile ZIP page and a WARC file (plain and gzipped):
//! never a panic, never more memory than the caps allow, and a document that is found never
//! longer than the cap.
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
    for gzip in [false, true] {
        for record in input::warc::records(data, gzip, CAP) {
            if let Ok(Ok(page)) = record.map(|r| r.page) {
                assert!(page.bytes.len() <= CAP);
            }
        }
    }
});

//! Any text as a query typed by a person: the lenient parser never fails and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thresh::search::query::parse;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = parse(&text);
    // Every clause it reads came from the text: parsing what it ignored adds nothing new.
    let _ = parse(&parsed.ignored.join(" "));
});

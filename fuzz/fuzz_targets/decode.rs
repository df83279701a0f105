//! Any bytes through charset detection and decoding, as markup and as text: never a panic, and
//! the text is exactly what the chosen encoding makes of the bytes after any byte-order mark.
#![no_main]

use libfuzzer_sys::fuzz_target;
use thresh::ingest::decode::decode;

fuzz_target!(|data: &[u8]| {
    let body = match encoding_rs::Encoding::for_bom(data) {
        Some((_, bom_len)) => &data[bom_len..],
        None => data,
    };
    for is_html in [true, false] {
        let decoded = decode(data, is_html);
        let (expected, _) = decoded.encoding.decode_without_bom_handling(body);
        assert_eq!(decoded.text, expected, "{}", decoded.encoding.name());
    }
});

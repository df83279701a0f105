//! Bytes to text: byte-order mark, then the page's declared charset, then detection.
//!
//! Owns charset choice and decoding; what the text means is left to `html` and `text`.

use std::borrow::Cow;

use encoding_rs::Encoding;

/// How many leading bytes are searched for a `<meta charset>` declaration. The HTML standard's
/// prescan looks at 1024 bytes; saved pages often carry a long comment or script first, so more.
const DECLARATION_SCAN_BYTES: usize = 8 * 1024;

/// How many bytes the detector sees. chardetng converges within a few kilobytes of non-ASCII
/// text; feeding whole pages costs time for no better guess.
const DETECTION_SAMPLE_BYTES: usize = 64 * 1024;

/// Decoded text and the encoding that produced it.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// The text, with a byte-order mark removed and invalid sequences replaced by U+FFFD;
    /// borrowed from the bytes when they were valid UTF-8 already.
    pub text: Cow<'a, str>,
    /// The WHATWG name of the encoding used.
    pub encoding: &'static Encoding,
}

/// Decodes a page's bytes. `is_html` enables the search for a declared charset.
///
/// Never fails: invalid sequences become U+FFFD. Pure; safe to call from any thread.
pub fn decode(bytes: &[u8], is_html: bool) -> Decoded<'_> {
    decode_in(bytes, is_html, None)
}

/// [`decode`] for a document whose container declares its charset (a MIME part's
/// `charset`): the declaration stands where the page's own would, and wins over it, as a
/// transport's does in the HTML standard.
pub fn decode_in<'a>(
    bytes: &'a [u8],
    is_html: bool,
    container: Option<&'static Encoding>,
) -> Decoded<'a> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return finish(&bytes[bom_len..], enc);
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return finish(bytes, enc);
    }
    if (is_html || container.is_some())
        && let Some(enc) = container.or_else(|| declared_charset(bytes))
    {
        // A page that declares UTF-16 but has no BOM was re-saved as ASCII-compatible bytes
        // (the standard says to read it as UTF-8), and a page whose declared single-byte
        // charset is contradicted by valid multi-byte UTF-8 was re-saved as UTF-8 by the
        // browser without fixing the declaration.
        let utf16 = enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE;
        let enc = if utf16 || enc != encoding_rs::UTF_8 && looks_like_utf8(bytes) {
            encoding_rs::UTF_8
        } else {
            enc
        };
        return finish(bytes, enc);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: Cow::Borrowed(text),
            encoding: encoding_rs::UTF_8,
        };
    }
    if looks_like_utf8(bytes) {
        return finish(bytes, encoding_rs::UTF_8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    let sample = &bytes[..bytes.len().min(DETECTION_SAMPLE_BYTES)];
    detector.feed(sample, sample.len() == bytes.len());
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    finish(bytes, enc)
}

fn finish<'a>(bytes: &'a [u8], enc: &'static Encoding) -> Decoded<'a> {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text,
        encoding: enc,
    }
}

/// Bytes sampled to recognise UTF-16 without a byte-order mark.
const UTF16_SAMPLE_BYTES: usize = 4096;

/// UTF-16 without a byte-order mark, as some Windows tools save pages: text in Latin script
/// has a zero in nearly every high byte (every other byte) and almost none in the low bytes.
/// Returns the byte order when the sample looks so: nine in ten of one side's bytes zero, and
/// not one in ten of the other's (so that NUL-padded binary data does not pass).
pub fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(UTF16_SAMPLE_BYTES) & !1];
    let pairs = sample.len() / 2;
    // Nearly every page has no zero byte at all: one vectorised search settles those.
    if pairs < 8 || memchr::memchr(0, sample).is_none() {
        return None;
    }
    let zero_at = |side: usize| {
        sample
            .iter()
            .skip(side)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zero_at(0), zero_at(1));
    if odd * 10 >= pairs * 9 && even * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= pairs * 9 && odd * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// A page is read as (damaged) UTF-8 while it holds at least this many valid multi-byte
/// sequences per invalid one. A damaged or spliced file keeps a few stray bytes among many
/// valid sequences; text in a single-byte charset forms a valid sequence only by chance (an
/// accented letter followed by an ASCII one is invalid; Cyrillic capitals before `і` are valid),
/// one per tens of invalid ones, so four separates the two widely.
const UTF8_DAMAGE_SHARE: usize = 4;

/// True when the sample is UTF-8, perhaps damaged: it holds valid multi-byte sequences, and
/// invalid ones are rare among them (see [`UTF8_DAMAGE_SHARE`]).
fn looks_like_utf8(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(DETECTION_SAMPLE_BYTES)];
    let (mut multi, mut invalid) = (0usize, 0usize);
    let lead_bytes = |valid: &[u8]| valid.iter().filter(|&&b| b >= 0xC0).count();
    let mut rest = sample;
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => {
                multi += lead_bytes(rest);
                break;
            }
            Err(e) => {
                multi += lead_bytes(&rest[..e.valid_up_to()]);
                // A sequence cut by the sample's end is not evidence against UTF-8.
                let Some(len) = e.error_len() else { break };
                invalid += 1;
                rest = &rest[e.valid_up_to() + len..];
            }
        }
    }
    multi > 0 && invalid * UTF8_DAMAGE_SHARE <= multi
}

/// Finds `<meta charset=…>` or `<meta http-equiv="Content-Type" content="…; charset=…">` (or an
/// XML declaration's `encoding=`) in the first bytes, the way the HTML prescan does, tolerating
/// case and quoting differences.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(DECLARATION_SCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<?xml")
        && let Some(end) = find(&lower, b"?>", 0)
        && let Some(label) = attr_value(&lower[..end], b"encoding")
    {
        return Encoding::for_label(label);
    }
    let mut at = 0;
    while let Some(start) = find(&lower, b"<meta", at) {
        let end = find(&lower, b">", start).unwrap_or(lower.len());
        let tag = &lower[start..end];
        at = end;
        if let Some(label) = attr_value(tag, b"charset")
            && let Some(enc) = Encoding::for_label(label)
        {
            return Some(enc);
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The value after `name=` inside a tag (also inside a `content="text/html; charset=x"` value).
fn attr_value<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut at = 0;
    while let Some(p) = find(tag, name, at) {
        at = p + name.len();
        let mut i = at;
        while tag.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        if tag.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while tag
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'')
        {
            i += 1;
        }
        let start = i;
        while tag.get(i).is_some_and(|b| {
            !b.is_ascii_whitespace() && !matches!(b, b'"' | b'\'' | b';' | b'>' | b'/')
        }) {
            i += 1;
        }
        if i > start {
            return Some(&tag[start..i]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_without_a_byte_order_mark_is_recognised_and_binary_is_not() {
        let page = "<html><body><p>Sixteen bits a character, café.</p></body></html>";
        let le: Vec<u8> = page.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = page.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&le, true).text, page);
        assert_eq!(decode(&be, false).text, page);
        assert_eq!(decode(&le, true).encoding, encoding_rs::UTF_16LE);
        // NUL-padded data and plain ASCII are not UTF-16.
        assert!(utf16_without_bom(&[0u8; 64]).is_none());
        assert!(utf16_without_bom(page.as_bytes()).is_none());
    }

    fn html_in(enc: &'static Encoding, text: &str, declare: bool) -> Vec<u8> {
        let meta = if declare {
            format!("<meta charset=\"{}\">", enc.name())
        } else {
            String::new()
        };
        let page =
            format!("<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>");
        enc.encode(&page).0.into_owned()
    }

    #[test]
    fn damaged_utf8_stays_utf8_and_single_byte_text_does_not_pass_for_it() {
        // A few stray bytes spliced into a UTF-8 page: a browser shows U+FFFD there and reads
        // the rest as UTF-8; so must we, declared or not.
        let text = "Ação e reação: o câmbio subiu, disse o ministro da Economia em São Paulo. ";
        for declare in [false, true] {
            let mut b = html_in(encoding_rs::UTF_8, &text.repeat(4), declare);
            let at = b.len() / 2;
            b.splice(at..at, [0xC4, 0x89, 0xFE, 0x8B, 0xBE, 0xF6]);
            let d = decode(&b, true);
            assert_eq!(d.encoding, encoding_rs::UTF_8, "declared: {declare}");
            assert!(d.text.contains("reação: o câmbio"), "{}", d.text);
        }
        // Latin-1 text whose accents happen to be followed by bytes that continue a sequence
        // now and then is still Latin-1: valid sequences are the exception there.
        let b = html_in(
            encoding_rs::WINDOWS_1252,
            "Ação e reação: o câmbio subiu em São Paulo, disse o ministro. Ã© é.",
            false,
        );
        assert!(!looks_like_utf8(&b));
        assert_eq!(decode(&b, true).encoding, encoding_rs::WINDOWS_1252);
    }

    #[test]
    fn honours_a_byte_order_mark() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice("café".as_bytes());
        let d = decode(&b, false);
        assert_eq!(d.text, "café");
        assert_eq!(d.encoding, encoding_rs::UTF_8);
    }

    #[test]
    fn honours_meta_charset_and_http_equiv() {
        let text = "서울의 봄 날씨는 따뜻합니다";
        let b = html_in(encoding_rs::EUC_KR, text, true);
        let d = decode(&b, true);
        assert_eq!(d.encoding, encoding_rs::EUC_KR);
        assert!(d.text.contains(text));

        let page = "<meta http-equiv='Content-Type' content='text/html; charset=Shift_JIS'><p>東京の天気は晴れです</p>";
        let b = encoding_rs::SHIFT_JIS.encode(page).0.into_owned();
        let d = decode(&b, true);
        assert_eq!(d.encoding, encoding_rs::SHIFT_JIS);
        assert!(d.text.contains("東京の天気は晴れです"));
    }

    #[test]
    fn detects_undeclared_charsets() {
        for (enc, text) in [
            (
                encoding_rs::EUC_KR,
                "방탄소년단이 일본 드라마의 주제가를 부른다. 이번 노래는 힙합 트랙이며 많은 팬들이 기다리고 있다.",
            ),
            (
                encoding_rs::SHIFT_JIS,
                "防弾少年団が日本のドラマの主題歌を歌います。この曲はヒップホップのトラックで、多くのファンが待っています。",
            ),
            (
                encoding_rs::GB18030,
                "防弹少年团将为日本电视剧演唱主题曲。这首歌是一首嘻哈歌曲，很多歌迷都在等待。",
            ),
            (
                encoding_rs::WINDOWS_1252,
                "Les élèves français étudient à l'école très tôt; «café» coûte cher à Noël.",
            ),
        ] {
            let b = html_in(enc, text, false);
            let d = decode(&b, true);
            assert!(
                d.text.contains(text),
                "{} decoded as {}: {}",
                enc.name(),
                d.encoding.name(),
                d.text
            );
        }
    }

    #[test]
    fn a_wrong_declaration_loses_to_valid_utf8() {
        let b = "<meta charset=iso-8859-1><p>naïve café</p>".as_bytes();
        let d = decode(b, true);
        assert!(d.text.contains("naïve café"));
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let d = decode(&[b'a', 0xFF, 0xFE, b'b', 0xC3], false);
        assert!(d.text.starts_with('a'));
        assert!(d.text.contains('b'));
    }
}

//! The language of a page: detected from its text when the markup does not say it, and the
//! `lang` attribute's codes read as ISO 639-1.

use super::page::Comment;

/// Guesses the language of the page's text when the markup does not say it.
pub fn detect_lang(body: &str, comments: &[Comment]) -> Option<String> {
    const SAMPLE_CHARS: usize = 4000;
    let mut sample: String = body.chars().take(SAMPLE_CHARS).collect();
    if sample.len() < 200 {
        for c in comments {
            sample.push('\n');
            sample.push_str(&c.text);
            if sample.len() >= SAMPLE_CHARS {
                break;
            }
        }
    }
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() && sample.len() < 200 {
        return None;
    }
    iso639_1(info.lang().code()).map(str::to_string)
}

/// ISO 639-3 codes (what whatlang reports) to the two-letter codes pages use in `lang`.
fn iso639_1(code3: &str) -> Option<&'static str> {
    Some(match code3 {
        "eng" => "en",
        "deu" => "de",
        "fra" => "fr",
        "spa" => "es",
        "ita" => "it",
        "por" => "pt",
        "nld" => "nl",
        "rus" => "ru",
        "ukr" => "uk",
        "pol" => "pl",
        "ces" => "cs",
        "slk" => "sk",
        "swe" => "sv",
        "dan" => "da",
        "nob" => "nb",
        "fin" => "fi",
        "hun" => "hu",
        "ron" => "ro",
        "bul" => "bg",
        "hrv" => "hr",
        "srp" => "sr",
        "slv" => "sl",
        "ell" => "el",
        "tur" => "tr",
        "ara" => "ar",
        "heb" => "he",
        "pes" => "fa",
        "hin" => "hi",
        "ben" => "bn",
        "tha" => "th",
        "vie" => "vi",
        "ind" => "id",
        "zsm" => "ms",
        "tgl" => "tl",
        "kor" => "ko",
        "jpn" => "ja",
        "cmn" => "zh",
        "lit" => "lt",
        "lav" => "lv",
        "est" => "et",
        "cat" => "ca",
        "epo" => "eo",
        "afr" => "af",
        "urd" => "ur",
        "tam" => "ta",
        "tel" => "te",
        "mar" => "mr",
        "guj" => "gu",
        "kan" => "kn",
        "mal" => "ml",
        "pan" => "pa",
        "aze" => "az",
        "kat" => "ka",
        "hye" => "hy",
        "bel" => "be",
        "mkd" => "mk",
        "yid" => "yi",
        "lat" => "la",
        "jav" => "jv",
        "amh" => "am",
        _ => return None,
    })
}

/// Normalises a `lang` attribute (`en-US`, `EN_gb`) to its primary subtag.
pub fn lang_attr(value: &str) -> Option<String> {
    let primary = value.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() >= 2 && primary.len() <= 3 && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

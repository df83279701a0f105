//! People's names as pages print them in bylines and comment headers, tidied into names.
//!
//! Owns the last step every author value goes through, wherever it was found (a meta tag,
//! JSON-LD, a byline element, a text dump's header): the "By" before it, the job title and wire
//! service after it, a timestamp run into it, and shouting capitals. Finding the value is left
//! to `meta`, `html`, `comments` and `text`.

use super::dates::{Stamp, When, parse_when};
use super::lexicon::caseless;

/// Words that introduce a byline rather than belong to the name (lower case, with the space or
/// colon that follows them).
const MARKERS: &[&str] = &[
    "posted by ",
    "written by ",
    "reported by ",
    "story by ",
    "words by ",
    "by: ",
    "by ",
    "von ",
    "par ",
    "por ",
    "di ",
    "door ",
    "author: ",
    "autor: ",
    "text: ",
];

/// Words of a job title or a desk: a credit holding one is the name's role, not a name.
const ROLE_WORDS: &[&str] = &[
    "writer",
    "editor",
    "correspondent",
    "reporter",
    "staff",
    "contributor",
    "columnist",
    "producer",
    "journalist",
    "photographer",
    "bureau",
    "desk",
    "chief",
    "senior",
    "contributing",
    "special",
    "redakteur",
    "redakteurin",
    "korrespondent",
    "korrespondentin",
    "redaktion",
    "rédacteur",
    "rédactrice",
    "envoyé",
    "envoyée",
    "corresponsal",
    "redactor",
    "redactora",
    "redazione",
    "inviato",
];

/// Wire services and news agencies, as bylines credit them after (or instead of) a person.
const WIRE_NAMES: &[&str] = &[
    "associated press",
    "the associated press",
    "ap",
    "reuters",
    "thomson reuters",
    "afp",
    "agence france-presse",
    "dpa",
    "apa",
    "efe",
    "ansa",
    "upi",
    "bloomberg",
    "xinhua",
    "kyodo",
    "press association",
    "pa",
    "kna",
    "epd",
    "sid",
    "cnn wire",
    "tass",
    "yonhap",
];

/// Words a comment header puts between a name and its time, or after the name.
const TRAILING_FILLER: &[&str] = &[
    "says", "said", "wrote", "writes", "on", "at", "posted", "am", "um", "le", "el", "|", "-", "–",
    "—", "·", "•", "/",
];

/// A byline or comment header reduced to the names it credits, or `None` when it names nobody
/// (a bare "By", a lone timestamp or number). Names keep the page's own capitalisation, except
/// that with `byline` a full name printed all in capitals is written in title case (a comment's
/// author is a handle its writer typed, and stays as typed).
pub fn tidy(raw: &str, byline: bool) -> Option<String> {
    let rest = raw.trim().trim_start_matches('@').trim();
    let rest = without_marker(rest).map_or(rest, str::trim_start);
    // A bare marker ("By") names nobody.
    if MARKERS
        .iter()
        .any(|m| caseless::strip_prefix(rest, m.trim_end()).is_some_and(str::is_empty))
    {
        return None;
    }
    let rest = without_timestamp(rest);
    let mut names: Vec<String> = Vec::new();
    let mut others: Vec<&str> = Vec::new();
    for part in credits(rest) {
        let part = without_separator_words(part);
        if !part.chars().any(char::is_alphabetic) {
            continue;
        }
        let lower = part.to_lowercase();
        let role = lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| ROLE_WORDS.contains(&w));
        if role || WIRE_NAMES.contains(&lower.as_str()) {
            others.push(part);
        } else {
            names.push(if byline {
                capitalised(part)
            } else {
                part.to_string()
            });
        }
    }
    if names.is_empty() {
        // A byline that credits only an agency or a desk keeps it ("Associated Press", "Staff
        // Reports"): it is who wrote the piece. A bare job title ("Staff Writer") is nobody.
        names = others
            .into_iter()
            .filter(|p| {
                p.to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| !w.is_empty() && !ROLE_WORDS.contains(&w))
            })
            .take(1)
            .map(|p| {
                if byline {
                    capitalised(p)
                } else {
                    p.to_string()
                }
            })
            .collect();
    }
    (!names.is_empty()).then(|| names.join(", "))
}

/// `text` after the word that introduces it as a byline (`By `, `Von `, `Written by `, …), or
/// `None` when it opens with none.
pub(crate) fn without_marker(text: &str) -> Option<&str> {
    MARKERS.iter().find_map(|m| caseless::strip_prefix(text, m))
}

/// The credits of a byline: parts between commas, bars and middle dots, and between two full
/// names joined by "and" (`Jane Doe and John Roe, AP Auto Writers`); an institution's name
/// (`Ministry for Economy and Climate`) is one credit.
fn credits(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for piece in text.split([',', '|', '·', '•']) {
        let mut piece = piece;
        while let Some((at, len)) = [" and ", " & ", " und ", " et ", " y ", " e "]
            .iter()
            .filter_map(|sep| piece.find(sep).map(|i| (i, sep.len())))
            .min()
            .filter(|&(at, len)| is_full_name(&piece[..at]) && is_full_name(&piece[at + len..]))
        {
            parts.push(&piece[..at]);
            piece = &piece[at + len..];
        }
        parts.push(piece);
    }
    parts
}

/// Two to four words, each starting with a capital: how a person's full name is printed.
fn is_full_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// A credit without the separators around it: punctuation at its ends and leading or trailing
/// words made only of dashes or bars (`| Klaus`, `Dominique —`); `-_-` inside a handle stays.
fn without_separator_words(part: &str) -> &str {
    let is_separator = |w: &str| w.chars().all(|c| "-–—|/·•:".contains(c));
    let mut words = part.split_whitespace();
    let first = words.find(|w| !is_separator(w));
    let last = part.split_whitespace().rev().find(|w| !is_separator(w));
    match (first, last) {
        (Some(f), Some(l)) => {
            let start = f.as_ptr() as usize - part.as_ptr() as usize;
            let end = l.as_ptr() as usize - part.as_ptr() as usize + l.len();
            part[start..end].trim_end_matches([',', ':'])
        }
        _ => "",
    }
}

/// `text` without a date or time run onto its end (`Pamela Wilson August 8, 2018 at 7:34 pm`),
/// and without the filler words before it.
fn without_timestamp(text: &str) -> &str {
    let mut cut = text.len();
    let starts: Vec<usize> = text
        .char_indices()
        .filter(|&(i, c)| {
            !c.is_whitespace() && (i == 0 || text[..i].ends_with(char::is_whitespace))
        })
        .map(|(i, _)| i)
        .collect();
    // The earliest word from which the rest is a date and nothing else: at most a header's
    // few words are tried.
    for &i in starts.iter().take(12) {
        let tail = &text[i..];
        // The whole text must be an absolute date: the relative-time reader passes over a
        // word before "3 hours ago".
        let date = match parse_when(tail, true) {
            Some(When::At(_)) => true,
            Some(When::Ago(_)) => i > 0,
            None => false,
        };
        if tail.chars().any(|c| c.is_ascii_digit()) && date {
            cut = i;
            break;
        }
    }
    let mut head = text[..cut].trim_end();
    loop {
        let trimmed = head.trim_end_matches([',', ':', ';']).trim_end();
        let Some((before, last)) = trimmed.rsplit_once(char::is_whitespace) else {
            return trimmed;
        };
        if cut < text.len() && TRAILING_FILLER.contains(&last.to_lowercase().as_str()) {
            head = before.trim_end();
        } else {
            return trimmed;
        }
    }
}

/// A full name printed all in capitals (`TOM KRISHER`) in title case (`Tom Krisher`); any
/// other spelling is the page's own and stays, and so does one capitalised word (a handle or an
/// acronym: `BDZV`).
fn capitalised(name: &str) -> String {
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    let shouting = letters > 3
        && name.split_whitespace().count() >= 2
        && name
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| !c.is_lowercase());
    if !shouting {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if start {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphabetic();
    }
    out
}

/// `By Jane Doe`, `Jane Doe,`, `Jane Doe, Staff Writer`, `Von Max Muster`: the author's name.
pub(crate) fn byline(t: &str) -> Option<String> {
    // A dateline that names its author (`Posted on June 12, 2018 by Ann`).
    let t = Stamp::with_byline(t).map_or(t, |(_, name)| name);
    let marker = without_marker(t);
    let marked = marker.is_some();
    // A date after the name (`By Ann Lee on June 12, 2018`) is no part of it.
    let rest = without_timestamp(marker.unwrap_or(t));
    let name_part = rest.split([',', '|', '·']).next()?.trim();
    let name_part = name_part.split(" and ").next()?.trim();
    let words: Vec<&str> = name_part.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 || name_part.chars().count() > 60 {
        return None;
    }
    let capitalized = words.iter().all(|w| {
        w.chars().next().is_some_and(|c| c.is_uppercase())
            || matches!(
                *w,
                "de" | "van" | "von" | "da" | "del" | "la" | "le" | "bin" | "al"
            )
    });
    // Without a "By" the line must look like nothing but a name: two or more capitalised words
    // followed by a comma (an outlet or role follows on the same or the next line).
    let bare_ok = words.len() >= 2 && t.contains(',') && t.len() < 80;
    if capitalized && (marked || bare_ok) && !name_part.chars().any(|c| c.is_ascii_digit()) {
        Some(name_part.to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_lose_markers_roles_and_wires() {
        for (raw, name) in [
            ("By TOM KRISHER, AP Auto Writer", Some("Tom Krisher")),
            (
                "Bundesministerium für Wirtschaft und Klimaschutz",
                Some("Bundesministerium für Wirtschaft und Klimaschutz"),
            ),
            ("Staff Reports", Some("Staff Reports")),
            ("Staff Writer", None),
            ("| Klaus Quibeldey-Cirkel", Some("Klaus Quibeldey-Cirkel")),
            ("KWCHCIK", Some("KWCHCIK")),
            ("By Jane Doe, Associated Press", Some("Jane Doe")),
            (
                "Jane Doe and John Roe, Staff Writers",
                Some("Jane Doe, John Roe"),
            ),
            ("Von Max Mustermann | Redakteur", Some("Max Mustermann")),
            ("By", None),
            ("by ", None),
            ("Associated Press", Some("Associated Press")),
            ("@janedoe", Some("janedoe")),
            ("Jean-Luc O'BRIEN", Some("Jean-Luc O'BRIEN")),
            ("JEAN-LUC O'BRIEN", Some("Jean-Luc O'Brien")),
            ("Anna Gabrielle Cerezo", Some("Anna Gabrielle Cerezo")),
        ] {
            assert_eq!(tidy(raw, true).as_deref(), name, "{raw}");
        }
    }

    #[test]
    fn a_byline_loses_the_date_before_or_after_it() {
        for (raw, name) in [
            ("By Ann Lee on June 12, 2018", Some("Ann Lee")),
            ("By ANN LEE | June 12, 2018 10:14", Some("ANN LEE")),
            ("Posted on June 12, 2018 by Ann Lee", Some("Ann Lee")),
            (
                "Veröffentlicht am 16.08.2019 von Anna Weber",
                Some("Anna Weber"),
            ),
            ("Posted on June 12, 2018", None),
        ] {
            assert_eq!(byline(raw).as_deref(), name, "{raw}");
        }
    }

    #[test]
    fn comment_authors_never_carry_their_timestamp() {
        for (raw, name) in [
            (
                "Pamela Wilson August 8, 2018 at 7:34 pm",
                Some("Pamela Wilson"),
            ),
            (
                "Pamela Wilson says: August 8, 2018 at 7:34 pm",
                Some("Pamela Wilson"),
            ),
            ("bo on 2019-11-20 20:00", Some("bo")),
            ("mira 3 hours ago", Some("mira")),
            ("March 3, 2020", None),
            // A name that holds a number is a name.
            ("Agent 47", Some("Agent 47")),
            ("1009", None),
            ("omg -_-", Some("omg -_-")),
            ("ALLIE NYC", Some("ALLIE NYC")),
        ] {
            assert_eq!(tidy(raw, false).as_deref(), name, "{raw}");
        }
    }
}

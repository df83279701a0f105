//! Lines recognised as boilerplate by their words: the tests both the HTML and the text-dump
//! readers apply to a line, built on the phrase lists of `lexicon`.
//!
//! Owns *whether* a line is boilerplate; *where* lines are looked for (DOM nodes, dump lines)
//! is left to `html` and `text`.

use std::collections::HashSet;

use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

use super::dates::{Stamp, When, parse_when};
use super::lexicon::caseless;
use super::lexicon::chars::is_alphanumeric;
use super::lexicon::phrases::*;

/// Longest line that a [`SHORT_NOTICE_PHRASES`] phrase makes a notice.
const SHORT_NOTICE_MAX_BYTES: usize = 120;

/// A comment count, in the normalised form of [`normalize`]: `12 comments`, `1 Response`,
/// `Comments (3)`, `3 Kommentare`.
pub fn is_comment_count(n: &str) -> bool {
    let mut words = n.split(' ');
    match (words.next(), words.next(), words.next()) {
        (Some(a), Some(b), None) => is_count(a, b) || is_count(b, a),
        _ => false,
    }
}

/// A number, then a word that counts comments (`12 comments`).
fn is_count(number: &str, noun: &str) -> bool {
    let count_word = |w: &str| {
        matches!(
            w,
            "comment"
                | "comments"
                | "response"
                | "responses"
                | "reply"
                | "replies"
                | "kommentare"
                | "kommentar"
                | "commentaires"
                | "commentaire"
                | "comentarios"
                | "commenti"
                | "reacties"
                | "thoughts"
                | "thought"
                | "댓글"
                | "コメント"
        )
    };
    !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) && count_word(noun)
}

/// Lower-cases and keeps letters, digits and single spaces: the form lines are compared in.
pub fn normalize(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    let keep = |out: &mut String, space: &mut bool| {
        if *space && !out.is_empty() {
            out.push(' ');
        }
        *space = false;
    };
    for c in line.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                keep(&mut out, &mut space);
                out.push(c.to_ascii_lowercase());
            } else {
                space = true;
            }
        } else if is_alphanumeric(c) {
            keep(&mut out, &mut space);
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// Longest line that can be an ad marker or widget label.
const LABEL_MAX_BYTES: usize = 120;

/// True for a line that is exactly an ad marker (`ADVERTISEMENT`, `Anzeige`).
pub fn is_ad_marker(line: &str) -> bool {
    matchers().ad_markers.contains(normalize(line).as_str())
}

/// True for a line that is a known ad marker or widget label (the whole line).
pub fn is_label_line(line: &str) -> bool {
    // Markers and labels are a few words; a long line is never one.
    line.len() <= LABEL_MAX_BYTES && label_with(line, &normalize(line))
}

/// [`is_label_line`] for a short line whose [`normalize`]d form is `n`.
fn label_with(line: &str, n: &str) -> bool {
    if n.is_empty() {
        // Nothing but punctuation and rules: a divider. (Emoji alone are a reader's words.)
        let t = line.trim();
        return !t.is_empty()
            && t.chars().all(|c| {
                c.is_ascii_punctuation() || c.is_whitespace() || "•·–—|»«›‹→←×©®™…".contains(c)
            });
    }
    let m = matchers();
    m.ad_markers.contains(n)
        || m.widget_labels.contains(n)
        || is_orphan_token(line)
        || is_label_run(n, &m.widget_labels, &m.label_heads)
}

/// Most words a run of widget labels on one line has (`Gefällt mir Wird geladen…`).
const LABEL_RUN_MAX_WORDS: usize = 8;

/// Shortest normalised line taken for a run of labels.
const LABEL_RUN_MIN_BYTES: usize = 8;

/// Most words one label has.
const LABEL_MAX_WORDS: usize = 5;

/// True when a normalised line is two or more widget labels one after another and nothing
/// else: the buttons of a widget rendered onto one line.
fn is_label_run(
    n: &str,
    labels: &rustc_hash::FxHashSet<&'static str>,
    heads: &rustc_hash::FxHashSet<&'static str>,
) -> bool {
    // A couple of letters (`x: X`, a line of code) is too little to call a widget.
    if n.len() < LABEL_RUN_MIN_BYTES {
        return false;
    }
    // Cheap first: the line must open with a label's first word.
    match n.split_once(' ') {
        Some((first, _)) if heads.contains(first) => {}
        _ => return false,
    }
    // Word offsets in `n`, so that a span of words is a slice of it.
    let mut starts = [0usize; LABEL_RUN_MAX_WORDS + 1];
    let mut words = 0;
    for (i, b) in n.bytes().enumerate() {
        if b == b' ' {
            words += 1;
            if words >= LABEL_RUN_MAX_WORDS {
                return false;
            }
            starts[words] = i + 1;
        }
    }
    let words = words + 1;
    starts[words] = n.len() + 1;
    // fewest[i]: fewest labels that cover the first i words (None: they cannot be covered).
    let mut fewest = [None::<usize>; LABEL_RUN_MAX_WORDS + 1];
    fewest[0] = Some(0);
    for end in 1..=words {
        for start in end.saturating_sub(LABEL_MAX_WORDS)..end {
            let Some(before) = fewest[start] else {
                continue;
            };
            if labels.contains(&n[starts[start]..starts[end] - 1]) {
                let count = before + 1;
                if fewest[end].is_none_or(|c| count < c) {
                    fewest[end] = Some(count);
                }
            }
        }
    }
    fewest[words].is_some_and(|c| c >= 2)
}

/// A lone lower-case token with inner hyphens or underscores (`dpo-dps-seal`, `fb_share_btn`):
/// a class name or widget id whose element rendered as text. Prose never looks like this.
fn is_orphan_token(line: &str) -> bool {
    let t = line.trim();
    t.len() <= 48
        && !t.contains(char::is_whitespace)
        && (t.contains('-') || t.contains('_'))
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && t.chars().any(|c| c.is_ascii_lowercase())
        && !t.starts_with('-')
}

/// Longest line that can be a notice; also longer than any related-link or credit line.
const NOTICE_MAX_BYTES: usize = 1200;

/// True for a cookie/consent notice, an ad-blocker plea, a newsletter prompt, a legal footer or
/// a comment-form prompt: sentences of chrome, not of the article.
pub fn is_notice_line(line: &str) -> bool {
    line.len() <= NOTICE_MAX_BYTES && notice_with(line, &line.to_lowercase())
}

/// [`is_notice_line`] for a line whose lower-case form is `lower`.
fn notice_with(line: &str, lower: &str) -> bool {
    // Cheap first: most lines hold none of the phrases at all, which one pass tells.
    let m = matchers();
    if !m.any_notice.is_match(lower) {
        return lower.starts_with('©')
            || lower.starts_with("copyright ©")
            || lower.starts_with("(c) ") && lower.len() < 120;
    }
    if m.cookie.is_match(lower)
        && COOKIE_WORDS.iter().any(|w| contains_word(lower, w))
        && m.consent.is_match(lower)
    {
        return true;
    }
    // Longer lines that merely mention one of these phrases are usually prose about them.
    line.len() <= NOTICE_SHORT_BYTES && m.notice.is_match(lower)
        || line.len() <= 400 && notice_leads(lower, &m.notice)
        || line.len() <= SHORT_NOTICE_MAX_BYTES && m.short_notice.is_match(lower)
        || lower.starts_with('©')
        || lower.starts_with("copyright ©")
        || lower.starts_with("(c) ") && lower.len() < 120
}

/// Longest line that one notice phrase anywhere makes a notice: two short sentences, the size
/// of a promotion ("Did you know we have a channel? Join it here."). A longer line is one only
/// when the phrase leads it (see [`notice_leads`]).
const NOTICE_SHORT_BYTES: usize = 200;

/// Whether notice phrases found in `lower` make the line a notice: a phrase in its first
/// sentence, or in sentences that together are at least half of it. A notice is the whole line
/// or leads it ("Sign up for our newsletter. It's free."); a phrase in a later sentence of
/// prose ("…we left some off this list. Leave a comment and tell us yours.") is the article
/// speaking to its readers.
fn notice_leads(lower: &str, phrases: &AhoCorasick) -> bool {
    let mut found = phrases.find_iter(lower).peekable();
    let Some(first) = found.peek().map(|m| m.start()) else {
        return false;
    };
    let ends = sentence_ends(lower);
    let first_end = ends.first().copied().unwrap_or(lower.len());
    if first < first_end {
        return true;
    }
    // Bytes of the sentences that hold a phrase, each counted once.
    let mut held = 0;
    let mut last_counted = usize::MAX;
    for m in found {
        let k = ends.partition_point(|&e| e <= m.start());
        if k != last_counted {
            let from = if k == 0 { 0 } else { ends[k - 1] };
            let to = ends.get(k).copied().unwrap_or(lower.len());
            held += to - from;
            last_counted = k;
        }
    }
    held * 2 >= lower.len()
}

/// Byte offsets just after each sentence end in `text` (a `.`, `!` or `?`, perhaps with a
/// closing quote or bracket, then a space), the last sentence's end not included.
fn sentence_ends(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut ends = Vec::new();
    for (i, &c) in b.iter().enumerate() {
        if matches!(c, b'.' | b'!' | b'?') {
            let mut j = i + 1;
            while j < b.len() && matches!(b[j], b'"' | b'\'' | b')' | b']') {
                j += 1;
            }
            if j < b.len() && b[j] == b' ' {
                ends.push(j + 1);
            }
        }
    }
    ends
}

/// The phrase lists compiled into automata, once: one pass over a line per list.
struct Matchers {
    cookie: AhoCorasick,
    consent: AhoCorasick,
    notice: AhoCorasick,
    short_notice: AhoCorasick,
    /// Cookie words and notice phrases together: a line matching neither is no notice.
    any_notice: AhoCorasick,
    agencies: AhoCorasick,
    /// [`RELATED_CUES`] and [`CREDIT_PREFIXES`], for anchored searches.
    related: AhoCorasick,
    credits: AhoCorasick,
    ad_markers: rustc_hash::FxHashSet<&'static str>,
    widget_labels: rustc_hash::FxHashSet<&'static str>,
    /// The first word of each widget label.
    label_heads: rustc_hash::FxHashSet<&'static str>,
}

fn matchers() -> &'static Matchers {
    static M: OnceLock<Matchers> = OnceLock::new();
    M.get_or_init(|| {
        // DFAs: built once per process, and they scan a line at a steady byte a step where the
        // default automaton's prefilter keeps stopping on the common letters of many phrases.
        let build = |words: &[&str]| {
            AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(words)
                .expect("invariant: phrase lists are valid automaton patterns")
        };
        let anchored = |words: &[&str]| {
            AhoCorasick::builder()
                .start_kind(aho_corasick::StartKind::Anchored)
                .build(words)
                .expect("invariant: phrase lists are valid automaton patterns")
        };
        Matchers {
            cookie: build(COOKIE_WORDS),
            consent: build(CONSENT_CUES),
            notice: build(NOTICE_PHRASES),
            short_notice: build(SHORT_NOTICE_PHRASES),
            any_notice: build(&[COOKIE_WORDS, NOTICE_PHRASES, SHORT_NOTICE_PHRASES].concat()),
            agencies: build(PICTURE_AGENCIES),
            related: anchored(RELATED_CUES),
            credits: anchored(CREDIT_PREFIXES),
            ad_markers: AD_MARKERS.iter().copied().collect(),
            widget_labels: WIDGET_LABELS.iter().copied().collect(),
            label_heads: WIDGET_LABELS
                .iter()
                .filter_map(|l| l.split(' ').next())
                .collect(),
        }
    })
}

/// Lines of in-article links to other stories are at most this long.
const RELATED_LINE_MAX_CHARS: usize = 200;

/// True for a short line that points to another story (`Read more: Looted colonial art`).
pub fn is_related_link_line(line: &str) -> bool {
    let t = line.trim();
    t.chars().count() <= RELATED_LINE_MAX_CHARS && related_with(&t.to_lowercase())
}

/// [`is_related_link_line`] for a short trimmed line whose lower-case form is `lower`.
fn related_with(lower: &str) -> bool {
    starts_with_any(&matchers().related, lower)
}

/// True when `hay` starts with one of the automaton's patterns (an anchored search: one pass
/// over at most the longest pattern's length).
fn starts_with_any(prefixes: &AhoCorasick, hay: &str) -> bool {
    prefixes.is_match(aho_corasick::Input::new(hay).anchored(aho_corasick::Anchored::Yes))
}

/// Credits are short; a longer line is a sentence that mentions a photo.
const CREDIT_MAX_CHARS: usize = 100;

/// True for a picture credit line.
pub fn is_credit_line(line: &str) -> bool {
    let t = line.trim();
    let chars = t.chars().count();
    chars <= CREDIT_MAX_CHARS && credit_with(chars, &t.to_lowercase())
}

/// [`is_credit_line`] for a trimmed line of `chars` characters (at most [`CREDIT_MAX_CHARS`])
/// whose lower-case form is `lower`.
fn credit_with(chars: usize, lower: &str) -> bool {
    starts_with_any(&matchers().credits, lower)
        || chars <= CREDIT_MAX_CHARS / 2 && matchers().agencies.is_match(lower)
}

/// True for any line that is boilerplate on its own, wherever it stands.
pub fn is_boilerplate_line(line: &str) -> bool {
    let norm = if line.len() <= LABEL_MAX_BYTES {
        normalize(line)
    } else {
        String::new()
    };
    is_boilerplate_norm(line, &norm)
}

/// [`is_boilerplate_line`] for a line whose [`normalize`]d form is already at hand (`norm` is
/// only read when the line is short enough to be a label). The checks share one lower-casing.
pub fn is_boilerplate_norm(line: &str, norm: &str) -> bool {
    if line.len() <= LABEL_MAX_BYTES && label_with(line, norm) {
        return true;
    }
    // Longer than any notice, related-link or credit line.
    if line.len() > NOTICE_MAX_BYTES {
        return false;
    }
    // Lower-casing commutes with trimming: the trimmed checks read a slice of `lower`.
    let lower = line.to_lowercase();
    if notice_with(line, &lower) {
        return true;
    }
    let t = line.trim();
    let chars = t.chars().count();
    let lower_t = lower.trim();
    (chars <= RELATED_LINE_MAX_CHARS && related_with(lower_t))
        || (chars <= CREDIT_MAX_CHARS && credit_with(chars, lower_t))
        || (chars <= META_LINE_MAX_CHARS && (is_meta_label(lower_t) || is_reading_time(lower_t)))
}

/// A metadata line is short.
const META_LINE_MAX_CHARS: usize = 80;

/// What follows the first of `labels` that opens the lower-cased line as a whole word, past a
/// colon and spaces (`last modified: 03-10-2004` gives `03-10-2004`).
fn after_label<'a>(lower: &'a str, labels: &[&str]) -> Option<&'a str> {
    labels.iter().find_map(|l| {
        let rest = lower.strip_prefix(l)?;
        (!rest.starts_with(char::is_alphanumeric))
            .then(|| rest.trim_start_matches([':', ' ', '\u{a0}']))
    })
}

/// True for a lower-cased, trimmed line that states the article's reading time and nothing
/// else (`Reading time: 4 minutes`, `Lesezeit: 2 Min.`, `5 min read`).
fn is_reading_time(lower: &str) -> bool {
    let number_first = |rest: &str| {
        rest.starts_with(|c: char| c.is_ascii_digit()) && rest.split_whitespace().count() <= 3
    };
    if let Some(rest) = after_label(lower, READING_TIME_LABELS) {
        return number_first(rest);
    }
    let digits = lower.trim_start_matches(|c: char| c.is_ascii_digit());
    digits.len() < lower.len() && READING_TIME_UNITS.contains(&digits.trim_start())
}

/// True for a lower-cased, trimmed line that is a metadata label followed by nothing, a date,
/// or a link.
fn is_meta_label(lower: &str) -> bool {
    let t = lower.trim_start_matches(['*', '-', '•', ' ']);
    let Some(rest) = after_label(t, META_LABELS) else {
        return false;
    };
    let rest = rest.trim_end_matches(['.', ' ']);
    rest.is_empty()
        || (rest.starts_with("http") && !rest.contains(' '))
        || super::dates::Stamp::dateline(rest).is_some()
}

/// Longest trailing credit, in characters, that is cut from a line.
const TRAILING_CREDIT_MAX_CHARS: usize = 80;

/// A caption line without the picture credit at its end: `The stoat in winter. (mlharing /
/// iStock.com)` → `The stoat in winter.`, `… sind gesegnet. | © Augusta National/Getty Images`
/// → `… sind gesegnet.`, `Roman Prymula, photo: Archives` → `Roman Prymula`. Lines without one
/// come back whole.
pub fn without_trailing_credit(line: &str) -> &str {
    let t = line.trim_end();
    // Cheap first: a credit needs a closing parenthesis, a `©`, a `…oto:` label or a bar.
    if !(t.ends_with(')')
        || t.contains('©')
        || t.contains("oto:")
        || t.contains("OTO:")
        || t.contains(" | "))
    {
        return line;
    }
    let lower = t.to_lowercase();
    // Offsets in `lower` match `t` only when lower-casing kept every length.
    if lower.len() != t.len() {
        return line;
    }
    let agencies = &matchers().agencies;
    let credit_at = |from: usize| -> bool {
        let tail = lower[from..].trim_start_matches(['(', ' ', '|', ',', '-', '–']);
        tail.chars().count() <= TRAILING_CREDIT_MAX_CHARS
            && (TRAILING_CREDIT_CUES.iter().any(|c| tail.starts_with(c)) || agencies.is_match(tail))
    };
    let mut cut = None;
    // `… (Credit: …)`, `… (mlharing / iStock.com)`
    if t.ends_with(')')
        && let Some(open) = t.rfind('(')
        && credit_at(open)
    {
        cut = Some(open);
    }
    // `… © Thinkstock`, `… | © Getty Images`, `…, photo: Archives`
    if cut.is_none() {
        for cue in ["©", " | ", ", photo:", ", foto:", " foto:", " photo:"] {
            if let Some(at) = lower.rfind(cue)
                && at > 0
                && credit_at(at)
            {
                cut = Some(at);
                break;
            }
        }
    }
    match cut {
        // Only a credit after some caption text: a line that is all credit is judged whole.
        Some(at) if t[..at].trim().chars().count() >= 10 => {
            t[..at].trim_end_matches([' ', '|', ',', '-', '–', '\u{a0}'])
        }
        _ => line,
    }
}

/// `word` occurs in `hay` with non-letters (or the ends) on both sides.
pub fn contains_word(hay: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(p) = hay[from..].find(word) {
        let start = from + p;
        let end = start + word.len();
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        if !before.is_some_and(char::is_alphabetic) && !after.is_some_and(char::is_alphabetic) {
            return true;
        }
        from = end;
    }
    false
}

/// The share of `text`'s words that are function words, and how many words it has.
pub fn stopword_density(text: &str) -> (f32, usize) {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let set = SET.get_or_init(|| STOPWORDS.iter().copied().collect());
    let mut words = 0usize;
    let mut stops = 0usize;
    let mut lower = String::new();
    for w in text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        words += 1;
        // Function words are short; longer words need no look-up.
        if w.len() <= 12 {
            lower.clear();
            lower.extend(w.chars().flat_map(char::to_lowercase));
            if set.contains(lower.as_str()) {
                stops += 1;
            }
        }
    }
    if words == 0 {
        (0.0, 0)
    } else {
        (stops as f32 / words as f32, words)
    }
}

/// `Edited at 2018-03-08 03:38 pm (UTC)`, `Last edited: …`, `(edited)`.
pub(crate) fn edit_marker(line: &str) -> Option<Option<Stamp>> {
    let t = line.trim();
    for p in [
        "edited at",
        "edited on",
        "last edited",
        "edited",
        "bearbeitet am",
        "modifié le",
    ] {
        if let Some(rest) = caseless::strip_prefix(t, p) {
            let rest = rest.trim_start_matches([':', ' ']);
            if rest.is_empty() {
                return Some(None);
            }
            let stamp = Stamp::parse(rest)?;
            return Some(Some(stamp));
        }
    }
    t.eq_ignore_ascii_case("(edited)").then_some(None)
}

/// Separators between a title and the site's name in `<title>`.
const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ", " / ", " ~ ",
];

/// A site suffix has at most this many words; a longer tail is part of the title.
const MAX_SITE_WORDS: usize = 5;

/// Splits `Title | Site` (or `Site | Title`) into the title and the site's name.
pub fn split_title_site(full: &str) -> (String, Option<String>) {
    let full = full.trim();
    let mut best: Option<(usize, &str)> = None;
    for sep in TITLE_SEPARATORS {
        if let Some(p) = full.rfind(sep)
            && best.is_none_or(|(b, _)| p > b)
        {
            best = Some((p, sep));
        }
    }
    let Some((p, sep)) = best else {
        return (full.to_string(), None);
    };
    let (head, tail) = (full[..p].trim(), full[p + sep.len()..].trim());
    let words = |s: &str| s.split_whitespace().count();
    // A plain hyphen also joins parts of titles ("Live - Review"), so it needs the tail to be
    // the shorter side; the other separators are conventionally the site's.
    let tail_is_site = sep != " - " || words(head) >= words(tail);
    if !tail.is_empty() && words(tail) <= MAX_SITE_WORDS && tail_is_site && !head.is_empty() {
        return (head.to_string(), Some(tail.to_string()));
    }
    // `Site | A long title`: the site comes first.
    if let Some(q) = full.find(sep) {
        let (first, rest) = (full[..q].trim(), full[q + sep.len()..].trim());
        if !first.is_empty() && words(first) <= 3 && words(rest) >= 3 * words(first) {
            return (rest.to_string(), Some(first.to_string()));
        }
    }
    (full.to_string(), None)
}

/// A comment section's heading, in the normalised form of [`normalize`]: `comments`,
/// `kommentare`, `12 responses`, `3 responses to harbour plan approved`, `2 thoughts on …`.
pub fn is_comment_section_title(n: &str) -> bool {
    if COMMENT_SECTION_TITLES.contains(&n) || is_comment_count(n) {
        return true;
    }
    // `N responses to "Title"`, `One thought on "Title"`.
    let mut words = n.splitn(4, ' ');
    let (Some(count), Some(noun), Some(link)) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    let count = if matches!(count, "one" | "ein" | "eine" | "un" | "une" | "uno" | "una") {
        "1"
    } else {
        count
    };
    matches!(
        link,
        "to" | "on" | "zu" | "auf" | "sur" | "a" | "para" | "en" | "su"
    ) && is_count(count, noun)
}

/// A line that heads a comment: who wrote it and when. Forms: `name 8th-Mar-2018 12:00 pm (UTC)`,
/// `name said…`, `name on March 8, 2018 at 3:04 pm said:`, `name · 3 hours ago`, `name | date`.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentHeader {
    /// The commenter's name as printed.
    pub author: String,
    /// When the comment was posted, when the header says.
    pub when: Option<When>,
}

/// Reads a comment header from a line of text.
pub fn comment_header(line: &str) -> Option<CommentHeader> {
    let line = line.trim();
    if line.len() > 120 || line.is_empty() || edit_marker(line).is_some() {
        return None;
    }
    // `name said…`, `name says:`, `name wrote:` (optionally with a date between).
    for verb in SAID_VERBS {
        let Some((p, end)) = caseless::rfind(line, verb) else {
            continue;
        };
        // The verb is a word of its own, after the name.
        if p == 0 || !line[..p].ends_with(' ') {
            continue;
        }
        let tail = line[end..].trim();
        if tail.is_empty() || matches!(tail, "…" | "..." | ":" | "...:" | ",") {
            let head = line[..p].trim();
            let (author, when) = match head.find(" on ") {
                Some(q) => (&head[..q], parse_when(&head[q + 4..], true)),
                None => (head, None),
            };
            if is_author_name(author) {
                return Some(CommentHeader {
                    author: author.to_string(),
                    when,
                });
            }
        }
    }
    // `name | date`, `name · date`, `name - date`, `name, date`.
    for sep in [" | ", " · ", " • ", " - ", " – ", ", "] {
        if let Some(p) = line.find(sep) {
            let (author, rest) = (&line[..p], &line[p + sep.len()..]);
            if is_author_name(author)
                && let Some(when) = header_time(rest)
            {
                return Some(CommentHeader {
                    author: author.trim().to_string(),
                    when: Some(when),
                });
            }
        }
    }
    // `name date`: the name is one to three words, the rest a whole date.
    let mut cut = 0;
    for _ in 0..3 {
        let next = line[cut..].find(' ').map(|p| cut + p)?;
        let (author, rest) = (&line[..next], &line[next + 1..]);
        // An initial after a name belongs to it (`Tom O. June 13, …`).
        if !rest.split(' ').next().is_some_and(is_initial)
            && is_author_name(author)
            && let Some(when) = header_time(rest)
        {
            return Some(CommentHeader {
                author: author.to_string(),
                when: Some(when),
            });
        }
        cut = next + 1;
    }
    None
}

/// A date with a time of day, or a relative time: what comment systems print next to a name.
/// A bare date without a time is too often a dateline of the article itself.
fn header_time(text: &str) -> Option<When> {
    match parse_when(text, true)? {
        When::At(s) if s.time().is_some() => Some(When::At(s)),
        When::Ago(d) => Some(When::Ago(d)),
        When::At(_) => None,
    }
}

/// An initial: one capital letter and a full stop (`K.`).
fn is_initial(w: &str) -> bool {
    let mut c = w.chars();
    matches!((c.next(), c.next(), c.next()), (Some(a), Some('.'), None) if a.is_uppercase())
}

/// Could this be a commenter's name: short, no sentence punctuation, not a filler word.
fn is_author_name(s: &str) -> bool {
    let s = s.trim();
    let words = s.split_whitespace().count();
    if s.is_empty() || s.chars().count() > 40 || words > 4 {
        return false;
    }
    // A name may end with an initial (`Mira K.`); any other full stop ends a sentence.
    let initial = s.rsplit(' ').next().is_some_and(is_initial);
    if s.ends_with(['!', '?', ':', ';'])
        || s.ends_with('.') && !initial
        || s.contains(['"', '“', '”'])
    {
        return false;
    }
    let lower = s.to_lowercase();
    const NOT_NAMES: &[&str] = &[
        "posted",
        "published",
        "updated",
        "edited",
        "by",
        "on",
        "at",
        "date",
        "reply",
        "the",
        "this page was loaded",
        "last modified",
        "written",
    ];
    if NOT_NAMES.contains(&lower.as_str())
        || lower.starts_with("posted")
        || lower.starts_with("by ")
    {
        return false;
    }
    s.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_section_titles() {
        for t in [
            "Comments",
            "12 Kommentare",
            "4 Responses to “Rebuilding the Old Mill Wheel”",
            "One thought on \"Mill\"",
        ] {
            assert!(is_comment_section_title(&normalize(t)), "{t}");
        }
        for t in [
            "Recent comments",
            "Responses to the plan were mixed",
            "4 ways to help",
        ] {
            assert!(!is_comment_section_title(&normalize(t)), "{t}");
        }
    }

    #[test]
    fn comment_headers_keep_a_name_that_ends_with_an_initial() {
        let h = comment_header("Tom O. June 13, 2018 at 12:15 pm").unwrap();
        assert_eq!(h.author, "Tom O.");
        assert!(comment_header("It ended. June 13, 2018 at 12:15 pm").is_none());
    }

    #[test]
    fn reading_times_are_furniture() {
        for line in [
            "Reading time: 4 minutes",
            "Lesezeit: 2 Minuten",
            "Tempo de leitura: 1 minuto",
            "5 min read",
            "3 Minuten Lesezeit",
        ] {
            assert!(is_boilerplate_line(line), "{line}");
        }
        for line in [
            "Reading time matters more than length, the editors found.",
            "5 min read the paper aloud to the class.",
            "Lesezeit",
        ] {
            assert!(!is_boilerplate_line(line), "{line}");
        }
    }

    #[test]
    fn the_quick_alphanumeric_test_agrees_with_the_unicode_tables() {
        for c in (0..=0xE000).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn runs_of_widget_labels_are_boilerplate() {
        assert!(is_boilerplate_line("Gefällt mir Wird geladen…"));
        assert!(is_boilerplate_line("Share Tweet Email"));
        assert!(!is_boilerplate_line("More than a game"));
        assert!(!is_boilerplate_line("Share prices fell"));
        assert!(!is_boilerplate_line("x: X,"));
    }

    #[test]
    fn metadata_label_lines_are_boilerplate() {
        assert!(is_boilerplate_line("Last Modified: 03-10-2004"));
        assert!(is_boilerplate_line("* Permalink https://example.com/p/1"));
        assert!(is_boilerplate_line("Aktualisiert am 17.01.2021."));
        assert!(is_boilerplate_line("Release Date:"));
        assert!(!is_boilerplate_line(
            "Updated rules for the league come into force"
        ));
        assert!(!is_boilerplate_line("Published research shows otherwise"));
        assert!(is_boilerplate_line("Posted on June 12, 2018 by Ann Lee"));
        assert!(!is_boilerplate_line(
            "Published on June 12, 2018 by the council, whose report found the bridge unsafe"
        ));
    }

    #[test]
    fn picture_credits_are_cut_from_caption_lines() {
        assert_eq!(
            without_trailing_credit("The stoat in its white winter coat. (mlharing / iStock.com)"),
            "The stoat in its white winter coat."
        );
        assert_eq!(
            without_trailing_credit(
                "Lee Elder in 1975, the crowd's favourite. | © Augusta National"
            ),
            "Lee Elder in 1975, the crowd's favourite."
        );
        assert_eq!(
            without_trailing_credit("Roman Prymula, photo: Archives du Gouvernement"),
            "Roman Prymula"
        );
        assert_eq!(
            without_trailing_credit("Emissions by sector, 2019 (Credit: Clayton Aldern / Grist)"),
            "Emissions by sector, 2019"
        );
        for kept in [
            "The library ships with examples (source code included).",
            "He said the photo was taken in 1975 (in colour).",
            "(Foto: dpa)",
        ] {
            assert_eq!(without_trailing_credit(kept), kept);
        }
    }

    #[test]
    fn ad_markers_and_widget_labels_are_boilerplate() {
        assert!(is_boilerplate_line("ADVERTISEMENT"));
        assert!(is_boilerplate_line(
            "  Advertisement - Scroll to continue  "
        ));
        assert!(is_boilerplate_line("Clipboard"));
        assert!(is_boilerplate_line("dpo-dps-seal"));
        assert!(is_boilerplate_line("Anzeige"));
        assert!(!is_boilerplate_line(
            "The advertisement ran for weeks before anyone noticed."
        ));
        assert!(!is_boilerplate_line("J-Hope"));
    }

    #[test]
    fn a_notice_phrase_in_a_later_sentence_of_prose_is_the_article_speaking() {
        // Short lines are notices wherever the phrase stands.
        for line in [
            "Leave a comment",
            "Did you know we have a channel? Follow us on Telegram from your phone.",
            "Sign up for our newsletter. It's free, and you can leave at any time.",
        ] {
            assert!(is_boilerplate_line(line), "{line}");
        }
        // A longer line is one when the notice leads it or is most of it.
        let plea = "We noticed you are using an ad blocker. Advertising pays for the reporting \
            you read here, every day and every night, from every town. Please disable your ad \
            blocker or whitelist our site, so that we can keep doing it.";
        assert!(is_boilerplate_line(plea));
        // Prose that asks its readers something in its last sentence is the article.
        for line in [
            "Choosing the year's ten best gadgets from hundreds of launches was hard. Really \
            hard. Surely we left some of your favourites off this list, from phones to \
            headphones. Leave a comment and tell us which gadget you liked best this year.",
            "The council will publish the plan in March and hold three public meetings in the \
            spring, in the town hall and the two libraries, before any vote is taken. \
            Residents can e-mail us your comments on the plan before the end of February.",
        ] {
            assert!(!is_boilerplate_line(line), "{line}");
        }
    }

    #[test]
    fn cookie_notices_need_a_consent_cue() {
        assert!(is_notice_line(
            "Welcome! We use cookies to improve your browsing experience. Continuing to use this site means you agree."
        ));
        assert!(is_notice_line(
            "Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten."
        ));
        assert!(!is_notice_line(
            "Bake the cookies for twelve minutes, then let them cool."
        ));
    }

    #[test]
    fn a_policy_named_in_a_footer_is_a_notice_and_in_prose_is_not() {
        assert!(is_notice_line("Privacy Policy | Terms of Use | Contact"));
        assert!(is_notice_line(
            "By using this site you agree to our Privacy Policy."
        ));
        assert!(!is_notice_line(
            "This privacy policy explains which personal data the app stores on your phone, \
             for how long it keeps them and whom you can ask to delete them."
        ));
    }

    #[test]
    fn ad_blocker_pleas_are_notices() {
        assert!(is_notice_line("It looks like you're using an ad blocker"));
        assert!(is_notice_line(
            "Please consider supporting us by disabling your ad blocker on our website."
        ));
    }

    #[test]
    fn picture_credits_are_boilerplate() {
        assert!(is_boilerplate_line("Foto: Jane Doe/dpa"));
        assert!(is_boilerplate_line("Augusta National/Getty Images"));
        assert!(!is_boilerplate_line(
            "The photo agency said on Tuesday that its archive of Getty Images prints would be digitised over the next two years."
        ));
    }

    #[test]
    fn pointers_to_other_stories_are_boilerplate() {
        assert!(is_boilerplate_line("Read more: Looted colonial art"));
        assert!(is_boilerplate_line(
            "Lea también: Impiden ingreso a Nicaragua a reportero"
        ));
        assert!(is_boilerplate_line(
            "Lea: Suben los precios del café en la región"
        ));
        assert!(!is_boilerplate_line(
            "Read more about the council's plans in the report, which runs to 200 pages."
        ));
    }

    #[test]
    fn stopword_density_tells_prose_from_menus() {
        let (prose, _) = stopword_density(
            "It was revealed that the group is singing the theme song for the remake.",
        );
        let (menu, _) = stopword_density("Home News Sports Business Entertainment Lifestyle");
        assert!(prose > 0.3, "{prose}");
        assert!(menu < 0.1, "{menu}");
    }
}

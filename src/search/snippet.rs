//! Snippets: the sentences of a hit's text that hold the most of the query's terms, with the
//! matched words marked.
//!
//! Owns choosing and cutting fragments. The text is analysed with the same analyzer that
//! indexed it, so a stem, a folded accent or a CJK bigram is highlighted exactly where it
//! matched. Written here rather than with tantivy's snippet generator, which gives one fragment
//! of fixed length that ignores sentence ends.

use std::collections::HashSet;
use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;

/// Texts up to this size are analysed whole. Longer ones (reference pages run to hundreds of
/// kilobytes) are first scanned for the terms' leading bytes and only the densest stretches
/// are analysed, so a snippet costs about the same on any page (analysis, with its stemmer,
/// is the dearest step of a search).
const FULL_SCAN_BYTES: usize = 4 * 1024;

/// Size of a stretch of a long text that is analysed around probe hits.
const WINDOW_BYTES: usize = 2048;

/// Most stretches of a long text analysed.
const MAX_WINDOWS: usize = 4;

/// Leading characters of a term probed for in a long text: stems are mostly prefixes of the
/// words they come from, so the first few letters find the word whatever its ending.
const PROBE_CHARS: usize = 4;

/// Weight of a distinct matched term in a sentence's score, against 1 per repeated match: a
/// sentence with two different query words beats one that repeats the same word.
const DISTINCT_TERM_WEIGHT: usize = 4;

/// Repeats counted per sentence at most.
const MAX_REPEATS: usize = 3;

/// What marks a term of the query in a text.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    /// Terms (as analysed) to mark.
    pub terms: HashSet<String>,
    /// Term prefixes (`word*`).
    pub prefixes: Vec<String>,
}

impl Matcher {
    fn matches(&self, term: &str) -> bool {
        self.terms.contains(term) || self.prefixes.iter().any(|p| term.starts_with(p.as_str()))
    }

    fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.prefixes.is_empty()
    }
}

/// A snippet: fragments joined with ` … `, and byte ranges of the matched words in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The text shown.
    pub text: String,
    /// `[start, end)` byte ranges into `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// The best `fragments` sentences of `text` for the matcher, each at most about
/// `fragment_chars` characters, in the order they come in the text. When no term occurs (the
/// hit matched on its title), the opening of the text.
pub fn snippet(
    text: &str,
    analyzer: &mut TextAnalyzer,
    matcher: &Matcher,
    fragments: usize,
    fragment_chars: usize,
) -> Snippet {
    let fragments = fragments.max(1);
    let mut sentences: Vec<Sentence> = Vec::new();
    for region in regions(text, matcher) {
        let mut hits: Vec<(Range<usize>, String)> = Vec::new();
        let mut stream = analyzer.token_stream(&text[region.clone()]);
        while stream.advance() {
            let t = stream.token();
            if matcher.matches(&t.text) {
                let r = region.start + t.offset_from..region.start + t.offset_to;
                hits.push((r, t.text.clone()));
            }
        }
        let mut hits = hits.into_iter().peekable();
        for span in sentence_spans(text, region) {
            let mut s = Sentence {
                span,
                hits: Vec::new(),
                score: 0,
            };
            let mut distinct: HashSet<String> = HashSet::new();
            while let Some((r, _)) = hits.peek() {
                if r.start >= s.span.end {
                    break;
                }
                if let Some((r, term)) = hits.next()
                    && r.start >= s.span.start
                {
                    s.hits.push(r);
                    distinct.insert(term);
                }
            }
            s.score = distinct.len() * DISTINCT_TERM_WEIGHT + s.hits.len().min(MAX_REPEATS);
            sentences.push(s);
        }
    }
    let mut order: Vec<usize> = (0..sentences.len())
        .filter(|&i| sentences[i].score > 0)
        .collect();
    order.sort_by(|&a, &b| sentences[b].score.cmp(&sentences[a].score).then(a.cmp(&b)));
    // A sentence a page repeats (a standfirst again in the body, a pull quote) is shown once:
    // the best are taken in turn, skipping a text already taken.
    let mut shown: HashSet<String> = HashSet::new();
    let mut picked = Vec::with_capacity(fragments);
    for i in order {
        if picked.len() == fragments {
            break;
        }
        if shown.insert(collapsed(&text[sentences[i].span.clone()])) {
            picked.push(i);
        }
    }
    let mut order = picked;
    order.sort_unstable();
    let mut chosen: Vec<(Range<usize>, Vec<Range<usize>>)> = order
        .iter()
        .map(|&i| {
            let span = widen(text, &sentences, i, fragment_chars);
            let hits = sentences
                .iter()
                .filter(|s| s.span.start >= span.start && s.span.end <= span.end)
                .flat_map(|s| s.hits.iter().cloned())
                .collect();
            (span, hits)
        })
        .collect();
    if chosen.is_empty() {
        // Nothing to mark: the opening sentences that fit, or the first one cut.
        let mut spans = sentence_spans(text, 0..floor_boundary(text, FULL_SCAN_BYTES));
        if let Some(first) = spans.next() {
            let mut span = first;
            for s in spans {
                if text[span.start..s.end].chars().count() > fragment_chars {
                    break;
                }
                span.end = s.end;
            }
            chosen.push((span, Vec::new()));
        }
    }
    // Merge fragments that touch or overlap.
    chosen.dedup_by(|b, a| {
        if b.0.start <= a.0.end {
            a.0.end = a.0.end.max(b.0.end);
            a.1.append(&mut b.1);
            true
        } else {
            false
        }
    });
    assemble(text, chosen, fragment_chars)
}

struct Sentence {
    span: Range<usize>,
    hits: Vec<Range<usize>>,
    score: usize,
}

/// A short sentence grows with the sentences after it (then before it) while the fragment stays
/// under half its length: a two-word sentence says little on its own.
fn widen(text: &str, sentences: &[Sentence], i: usize, fragment_chars: usize) -> Range<usize> {
    let mut span = sentences[i].span.clone();
    let short = |r: &Range<usize>| r.len() < fragment_chars / 2;
    // Two sentences run on in a fragment only within a paragraph, or across a line break when
    // both end as sentences do: a heading or a caption line has no such end, and stays a
    // fragment alone. A sentence the fragment already holds is not taken again.
    let ends = |r: &Range<usize>| {
        text[r.clone()]
            .trim_end()
            .ends_with(['.', '!', '?', '…', '。', '！', '？', '"', '”'])
    };
    let runs_on = |a: usize, b: usize, lo: usize, hi: usize| {
        let (x, y) = (&sentences[a].span, &sentences[b].span);
        let same_paragraph = !text[x.end..y.start].contains('\n');
        let repeated = (lo..=hi).any(|k| {
            let k = &sentences[k].span;
            let n = if a < lo || a > hi { x } else { y };
            text[k.clone()] == text[n.clone()]
        });
        (same_paragraph || ends(x) && ends(y)) && !repeated
    };
    let (mut lo, mut hi) = (i, i);
    while short(&span) {
        if hi + 1 < sentences.len()
            && sentences[hi + 1].span.start <= span.end + 2
            && runs_on(hi, hi + 1, lo, hi)
        {
            hi += 1;
            span.end = sentences[hi].span.end;
        } else if lo > 0
            && sentences[lo - 1].span.end + 2 >= span.start
            && runs_on(lo - 1, lo, lo, hi)
        {
            lo -= 1;
            span.start = sentences[lo].span.start;
        } else {
            break;
        }
    }
    span
}

/// The stretches of `text` to analyse: all of it when short, else the densest windows around
/// probe hits (or the opening when no probe hits).
fn regions(text: &str, matcher: &Matcher) -> Vec<Range<usize>> {
    if text.len() <= FULL_SCAN_BYTES || matcher.is_empty() {
        return std::iter::once(0..floor_boundary(text, FULL_SCAN_BYTES)).collect();
    }
    let probes: Vec<String> = matcher
        .terms
        .iter()
        .chain(matcher.prefixes.iter())
        .map(|t| t.chars().take(PROBE_CHARS).collect())
        .collect();
    let Ok(finder) = aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(&probes)
    else {
        return std::iter::once(0..floor_boundary(text, FULL_SCAN_BYTES)).collect();
    };
    // Windows scored by how many different probes hit them: one bit per probe (probes past the
    // 64th share the last bit).
    let mut buckets: Vec<u64> = vec![0; text.len() / WINDOW_BYTES + 1];
    for m in finder.find_iter(text) {
        buckets[m.start() / WINDOW_BYTES] |= 1 << m.pattern().as_usize().min(63);
    }
    let mut best: Vec<(usize, usize)> = buckets
        .iter()
        .enumerate()
        .filter(|(_, bits)| **bits != 0)
        .map(|(b, bits)| (b, bits.count_ones() as usize))
        .collect();
    if best.is_empty() {
        return std::iter::once(0..floor_boundary(text, FULL_SCAN_BYTES)).collect();
    }
    best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    best.truncate(MAX_WINDOWS);
    best.sort_unstable();
    let mut out: Vec<Range<usize>> = Vec::new();
    for (b, _) in best {
        // A window reaches half a window either side of its bucket, so a sentence that
        // straddles the bucket edge is whole.
        let start = floor_boundary(text, (b * WINDOW_BYTES).saturating_sub(WINDOW_BYTES / 2));
        let end = floor_boundary(
            text,
            ((b + 1) * WINDOW_BYTES + WINDOW_BYTES / 2).min(text.len()),
        );
        match out.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => out.push(start..end),
        }
    }
    out
}

/// The largest char boundary of `text` at or below byte `at`.
pub(crate) fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Sentences of `text[region]`, as byte ranges of `text` without their surrounding space. A
/// sentence ends at a line break, at `.`, `!`, `?` (or `…`) followed by a space, or at a CJK full
/// stop.
fn sentence_spans(text: &str, region: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let base = region.start;
    let slice = &text[region];
    let bytes = slice.as_bytes();
    let mut at = 0;
    let mut start = 0;
    std::iter::from_fn(move || {
        // Only the bytes that can begin a sentence end are looked at closely: ASCII `\n . ! ?`
        // and the lead bytes of `…` (E2) and the CJK stops (E3, EF).
        while let Some(i) = bytes[at..]
            .iter()
            .position(|b| matches!(b, b'\n' | b'.' | b'!' | b'?' | 0xE2 | 0xE3 | 0xEF))
            .map(|p| at + p)
        {
            let Some(c) = slice[i..].chars().next() else {
                break;
            };
            at = i + c.len_utf8();
            let next = slice[at..].chars().next();
            let end_here = match c {
                '\n' => true,
                '!' | '?' | '…' => next.is_none_or(char::is_whitespace),
                '.' => {
                    next.is_none_or(char::is_whitespace)
                        && !is_abbreviation(&slice[..i])
                        && !next_word_is_lowercase(&slice[at..])
                }
                '。' | '！' | '？' => true,
                _ => false,
            };
            if end_here {
                let span = trim(slice, start..at);
                start = at;
                if !span.is_empty() {
                    return Some(base + span.start..base + span.end);
                }
            }
        }
        at = slice.len();
        if start < slice.len() {
            let span = trim(slice, start..slice.len());
            start = slice.len();
            if !span.is_empty() {
                return Some(base + span.start..base + span.end);
            }
        }
        None
    })
}

/// Whether the word before a full stop is an abbreviation or an initial (`No.`, `Mr.`, `J.`):
/// one or two letters, a capital then a small letter. (Three would take in names such as `Kim`
/// that end sentences.)
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("");
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    word.chars().count() <= 2 && first.is_uppercase() && chars.all(char::is_lowercase)
}

/// Whether the text after a full stop goes on in small letters (`approx. three`, `etc. and`).
fn next_word_is_lowercase(after: &str) -> bool {
    after
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

fn trim(s: &str, r: Range<usize>) -> Range<usize> {
    let piece = &s[r.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let tail = piece.len() - piece.trim_end().len();
    if lead == piece.len() {
        return r.start..r.start;
    }
    r.start + lead..r.end - tail
}

/// Cuts a fragment longer than `fragment_chars` to a window around its first marks, at word
/// boundaries. Returns the range and whether each side was cut.
fn cut(
    text: &str,
    span: Range<usize>,
    hits: &[Range<usize>],
    fragment_chars: usize,
) -> Range<usize> {
    let piece = &text[span.clone()];
    if piece.chars().count() <= fragment_chars {
        return span;
    }
    let first = hits.first().map_or(span.start, |h| h.start);
    // Keep the sentence's start when the first mark is in its first half; else start a quarter
    // of the budget before the mark, on a word start.
    let mut start = first;
    if text[span.start..first].chars().count() < fragment_chars / 2 {
        start = span.start;
    }
    let mut budget = fragment_chars / 4;
    for (i, _) in text[span.start..start].char_indices().rev() {
        if budget == 0 {
            break;
        }
        budget -= 1;
        start = span.start + i;
    }
    if start > span.start {
        // Past the whitespace character, whatever its width (a no-break space is two bytes).
        if let Some((sp, c)) = text[start..first]
            .char_indices()
            .find(|(_, c)| c.is_whitespace())
        {
            start += sp + c.len_utf8();
        }
        start = trim(text, start..span.end).start;
    }
    let mut end = span.end;
    if let Some((i, _)) = text[start..span.end].char_indices().nth(fragment_chars) {
        end = start + i;
        if let Some(sp) = text[start..end].rfind(char::is_whitespace)
            && sp > 0
        {
            end = start + sp;
        }
    }
    trim(text, start..end)
}

/// The fragments as one string: whitespace runs collapsed to one space, `…` where text was left
/// out, marks moved to the output's byte offsets.
fn assemble(
    text: &str,
    chosen: Vec<(Range<usize>, Vec<Range<usize>>)>,
    fragment_chars: usize,
) -> Snippet {
    let mut out = Snippet::default();
    let text_end = text.trim_end().len();
    let text_start = text.len() - text.trim_start().len();
    let n = chosen.len();
    for (k, (span, mut hits)) in chosen.into_iter().enumerate() {
        hits.sort_by_key(|h| h.start);
        let span = cut(text, span, &hits, fragment_chars);
        if k == 0 && span.start > text_start {
            out.text.push('…');
        }
        if k > 0 {
            out.text.push_str(" … ");
        }
        // Overlapping marks (neighbouring bigrams) become one.
        let mut merged: Vec<Range<usize>> = Vec::new();
        for h in hits
            .into_iter()
            .filter(|h| h.start >= span.start && h.end <= span.end)
        {
            match merged.last_mut() {
                Some(last) if h.start <= last.end => last.end = last.end.max(h.end),
                _ => merged.push(h),
            }
        }
        let mut at = span.start;
        for h in merged {
            push_collapsed(&mut out.text, &text[at..h.start]);
            let from = out.text.len();
            push_collapsed(&mut out.text, &text[h.clone()]);
            out.highlights.push([from, out.text.len()]);
            at = h.end;
        }
        push_collapsed(&mut out.text, &text[at..span.end]);
        // The text goes on: an ellipsis says so, unless the fragment ends a sentence.
        let ends_sentence = text[..span.end]
            .trim_end()
            .ends_with(['.', '!', '?', '…', '。', '！', '？']);
        if k + 1 == n && span.end < text_end && !ends_sentence {
            out.text.push('…');
        }
    }
    out
}

/// `piece` with runs of whitespace made one space, trimmed.
fn collapsed(piece: &str) -> String {
    piece.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn push_collapsed(out: &mut String, piece: &str) {
    let mut space = false;
    for c in piece.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    if space && !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::analysis;

    fn matcher(lang: usize, words: &[&str]) -> Matcher {
        let mut q = analysis::analyzer(lang, false);
        let mut m = Matcher::default();
        for w in words {
            for (t, _, _) in analysis::terms(&mut q, w) {
                m.terms.insert(t);
            }
        }
        m
    }

    fn marked(s: &Snippet) -> Vec<&str> {
        s.highlights.iter().map(|[a, b]| &s.text[*a..*b]).collect()
    }

    #[test]
    fn a_window_that_starts_after_a_wide_space_is_cut_on_a_character_boundary() {
        let en = analysis::lang_index(Some("en"));
        let mut analyzer = analysis::analyzer(en, true);
        let m = matcher(en, &["people"]);
        // Long sentences whose words are joined by no-break spaces (two bytes each) and other
        // wide spaces: the window before the mark starts after one of them.
        for space in ['\u{a0}', '\u{2003}', '\u{3000}'] {
            let filler = ["many", "words", "before", "the", "mark"]
                .repeat(30)
                .join(&space.to_string());
            let text = format!("{filler}{space}people{space}{filler}.");
            let s = snippet(&text, &mut analyzer, &m, 1, 80);
            assert_eq!(marked(&s), ["people"], "{space:?}");
        }
    }

    #[test]
    fn a_heading_is_a_fragment_of_its_own_and_a_repeated_sentence_shows_once() {
        let en = analysis::lang_index(Some("en"));
        let mut analyzer = analysis::analyzer(en, true);
        let m = matcher(en, &["billboard"]);
        let text = "The band toured the country all summer long.\n\n\
                    Singer Tops The Billboard Chart\n\n\
                    The singer has reached a new high with his latest record.\n\n\
                    The record entered the Billboard chart at number seven.\n\n\
                    The record entered the Billboard chart at number seven.\n\n\
                    More news follows below.";
        let s = snippet(text, &mut analyzer, &m, 2, 160);
        // The heading does not run into the sentence after it.
        assert!(!s.text.contains("Chart The singer"), "{}", s.text);
        assert!(
            s.text.contains("Singer Tops The Billboard Chart"),
            "{}",
            s.text
        );
        assert_eq!(
            s.text.matches("entered the Billboard chart").count(),
            1,
            "{}",
            s.text
        );
        // A fragment that ends its sentence takes no ellipsis after the full stop.
        assert!(!s.text.contains(".…"), "{}", s.text);
    }

    #[test]
    fn fragments_are_whole_sentences_in_text_order() {
        let en = analysis::lang_index(Some("en"));
        let text = "Fans said the new songs were moving, and the album sold out in a day. \
                    Nothing else happened that week at all, and the weather stayed grey and cold.\n\
                    The drama aired in March. Its theme song topped the charts for a month.";
        let s = snippet(
            text,
            &mut analysis::analyzer(en, true),
            &matcher(en, &["songs"]),
            2,
            80,
        );
        assert_eq!(
            s.text,
            "Fans said the new songs were moving, and the album sold out in a day. … \
             Its theme song topped the charts for a month."
        );
        assert_eq!(marked(&s), vec!["songs", "song"]);
    }

    #[test]
    fn cjk_bigrams_mark_the_characters_that_matched() {
        let text = "오늘 방탄소년단이 새 앨범을 냈다. 日本のドラマ主題歌です。";
        let m = matcher(analysis::PLAIN, &["방탄소년단", "主題歌"]);
        let s = snippet(
            text,
            &mut analysis::analyzer(analysis::PLAIN, true),
            &m,
            2,
            180,
        );
        assert_eq!(marked(&s), vec!["방탄소년단", "主題歌"]);
    }

    #[test]
    fn long_sentences_are_cut_around_the_match() {
        let filler = "word ".repeat(100);
        let text = format!("{filler}needle {filler}");
        let s = snippet(
            &text,
            &mut analysis::analyzer(0, true),
            &matcher(0, &["needle"]),
            1,
            80,
        );
        assert!(s.text.chars().count() <= 84, "{}", s.text);
        assert!(s.text.starts_with('…') && s.text.ends_with('…'));
        assert_eq!(marked(&s), vec!["needle"]);
    }

    #[test]
    fn long_texts_are_probed_not_analysed_whole() {
        let filler = "Nothing to see in this sentence here. ".repeat(5000);
        let text = format!("{filler}The rare zeppelin landed. {filler}");
        let s = snippet(
            &text,
            &mut analysis::analyzer(0, true),
            &matcher(0, &["zeppelin"]),
            1,
            180,
        );
        assert_eq!(marked(&s), vec!["zeppelin"]);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let text = "It peaked at No. 7 on the chart, said Mr. Kim. Then came e.g. more.";
        let spans: Vec<&str> = sentence_spans(text, 0..text.len())
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            spans,
            vec![
                "It peaked at No. 7 on the chart, said Mr. Kim.",
                "Then came e.g. more."
            ]
        );
    }

    #[test]
    fn no_match_gives_the_opening() {
        let s = snippet(
            "First sentence. Second one.",
            &mut analysis::analyzer(0, true),
            &matcher(0, &["absent"]),
            2,
            180,
        );
        assert_eq!(s.text, "First sentence. Second one.");
        assert!(s.highlights.is_empty());
    }
}

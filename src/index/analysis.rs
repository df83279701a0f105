//! Text analysis: how page text and query text become index terms. The same code runs at index
//! time and at query time, so that what a reader types meets what the page said.
//!
//! Owns tokenizing (words, and CJK runs as overlapping character bigrams), Unicode normalisation
//! and folding, and stemming by language. Which field uses which analyzer is `schema`'s choice;
//! building queries from the terms is `search`'s.
//!
//! Written by hand rather than chained from tantivy's stock filters because no stock tokenizer
//! splits Hangul, kana and Han runs into bigrams with positions that line up with the words
//! around them, and because stemming has to happen between normalisation and diacritic folding
//! (the Snowball stemmers expect accented letters).

use std::borrow::Cow;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{AsciiFoldingFilter, TextAnalyzer, Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::ingest::lexicon::chars::is_alphanumeric;
pub use crate::ingest::lexicon::chars::is_cjk;

/// Words longer than this many bytes are not indexed (base64 blobs, long URLs, hashes).
pub const MAX_TOKEN_BYTES: usize = 60;

/// A language thresh analyzes with its own stemmer; pages in any other language (or in none
/// that could be told) are analyzed by [`PLAIN`], without stemming.
#[derive(Debug, Clone, Copy)]
pub struct Lang {
    /// The ISO 639-1 code pages carry in `lang` (and the suffix of the fields).
    pub code: &'static str,
    stemmer: Option<Algorithm>,
}

/// Index of the unstemmed analysis in [`LANGS`].
pub const PLAIN: usize = 0;

/// Every analysis, [`PLAIN`] first: the languages the Snowball stemmers cover.
pub const LANGS: [Lang; 19] = [
    Lang {
        code: "plain",
        stemmer: None,
    },
    Lang {
        code: "en",
        stemmer: Some(Algorithm::English),
    },
    Lang {
        code: "fr",
        stemmer: Some(Algorithm::French),
    },
    Lang {
        code: "de",
        stemmer: Some(Algorithm::German),
    },
    Lang {
        code: "es",
        stemmer: Some(Algorithm::Spanish),
    },
    Lang {
        code: "it",
        stemmer: Some(Algorithm::Italian),
    },
    Lang {
        code: "pt",
        stemmer: Some(Algorithm::Portuguese),
    },
    Lang {
        code: "nl",
        stemmer: Some(Algorithm::Dutch),
    },
    Lang {
        code: "sv",
        stemmer: Some(Algorithm::Swedish),
    },
    Lang {
        code: "da",
        stemmer: Some(Algorithm::Danish),
    },
    Lang {
        code: "no",
        stemmer: Some(Algorithm::Norwegian),
    },
    Lang {
        code: "fi",
        stemmer: Some(Algorithm::Finnish),
    },
    Lang {
        code: "hu",
        stemmer: Some(Algorithm::Hungarian),
    },
    Lang {
        code: "ro",
        stemmer: Some(Algorithm::Romanian),
    },
    Lang {
        code: "ru",
        stemmer: Some(Algorithm::Russian),
    },
    Lang {
        code: "tr",
        stemmer: Some(Algorithm::Turkish),
    },
    Lang {
        code: "el",
        stemmer: Some(Algorithm::Greek),
    },
    Lang {
        code: "ar",
        stemmer: Some(Algorithm::Arabic),
    },
    Lang {
        code: "ta",
        stemmer: Some(Algorithm::Tamil),
    },
];

/// Which analysis a page's `lang` selects: its stemmer's, else [`PLAIN`].
pub fn lang_index(code: Option<&str>) -> usize {
    let Some(code) = code else { return PLAIN };
    let primary = code
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    // Norwegian Bokmål and Nynorsk share the Norwegian stemmer.
    let primary = match primary.as_str() {
        "nb" | "nn" => "no",
        other => other,
    };
    lang_of_code(primary)
}

/// The analysis a document's stored `lang` code names ([`PLAIN`] for an unknown code).
pub fn lang_of_code(code: &str) -> usize {
    LANGS.iter().position(|l| l.code == code).unwrap_or(PLAIN)
}

/// The stop words of a language, for queries only (pages are indexed whole, so phrases with
/// them still match). `PLAIN` has none.
pub fn stop_words(lang: usize) -> &'static [&'static str] {
    match LANGS.get(lang) {
        Some(l) if lang != PLAIN => stop_words::lookup(l.code).unwrap_or(&[]),
        _ => &[],
    }
}

/// The analyzer for a language. `for_index` adds single-character terms inside CJK runs (so a
/// one-character query finds them); a query uses bigrams only, so a two-or-more-character CJK
/// word is matched as a phrase of its bigrams.
pub fn analyzer(lang: usize, for_index: bool) -> TextAnalyzer {
    let stemmer = LANGS.get(lang).and_then(|l| l.stemmer);
    TextAnalyzer::builder(Words {
        lang,
        stemmer,
        unigrams: for_index,
        heads: None,
    })
    .filter(AsciiFoldingFilter)
    .build()
}

/// The index analyzer of a language, for finding given terms in a text quickly: ASCII words
/// that cannot become one of `terms` are passed over without a token, so only the few that may
/// are stemmed. Used to mark query terms in a snippet, where every other word goes unused.
///
/// A word can become a term only when it begins as the term does: the stemmers of these
/// languages change the ends of words, and lower-casing and folding leave an ASCII word's letters
/// in place. The first two letters are compared (one for a word of two letters, whose last
/// letter a stemmer may rewrite); languages whose stemmers also strip or rewrite the start of a
/// word (Arabic, Tamil, Greek) are analysed whole.
pub fn finding_analyzer<'t>(lang: usize, terms: impl Iterator<Item = &'t str>) -> TextAnalyzer {
    let stemmer = LANGS.get(lang).and_then(|l| l.stemmer);
    let prefix_safe = !matches!(
        stemmer,
        Some(Algorithm::Arabic | Algorithm::Tamil | Algorithm::Greek)
    );
    let heads = prefix_safe.then(|| {
        let mut heads: Vec<Vec<u8>> = terms
            .map(|t| {
                t.chars()
                    .take(FIND_HEAD_CHARS)
                    .collect::<String>()
                    .into_bytes()
            })
            .collect();
        heads.sort();
        heads.dedup();
        std::sync::Arc::new(heads)
    });
    TextAnalyzer::builder(Words {
        lang,
        stemmer,
        unigrams: true,
        heads,
    })
    .filter(AsciiFoldingFilter)
    .build()
}

/// Leading characters of a term an ASCII word must share to be analysed by a finding analyzer.
const FIND_HEAD_CHARS: usize = 2;

/// English words whose stems the English stemmer takes from a list, and which do not begin as
/// their stems do.
const STEM_EXCEPTIONS: &[&str] = &["dying", "lying", "tying"];

/// Whether an ASCII word may become a term beginning with one of `heads`.
fn may_become(word: &str, heads: &[Vec<u8>]) -> bool {
    let w = word.as_bytes();
    heads.iter().any(|h| {
        // A two-letter word keeps only its first letter for sure.
        let n = h.len().min(w.len().saturating_sub(1).max(1));
        h[..n]
            .iter()
            .zip(w)
            .all(|(a, b)| *a == b.to_ascii_lowercase())
    }) || STEM_EXCEPTIONS.iter().any(|e| word.eq_ignore_ascii_case(e))
}

/// The name an index analyzer is registered under.
pub fn analyzer_name(lang: usize) -> String {
    format!("thresh_{}", LANGS.get(lang).map_or("plain", |l| l.code))
}

/// A character that continues a word: letters, digits and the marks that combine with them.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    is_alphanumeric(c) || is_combining_mark(c)
}

/// Slots of the per-thread, per-language stem memory (a power of two).
const STEM_SLOTS: usize = 8 * 1024;

/// Longest word, in bytes, whose stem is remembered; longer words are stemmed every time.
const STEM_SLOT_BYTES: usize = 30;

/// One remembered word and its stem, stored inline: a lookup reads one cache line instead of
/// following pointers to a key and a value.
#[derive(Clone, Copy)]
struct StemSlot {
    word_len: u8,
    stem_len: u8,
    word: [u8; STEM_SLOT_BYTES],
    stem: [u8; STEM_SLOT_BYTES],
}

const EMPTY_SLOT: StemSlot = StemSlot {
    word_len: 0,
    stem_len: 0,
    word: [0; STEM_SLOT_BYTES],
    stem: [0; STEM_SLOT_BYTES],
};

thread_local! {
    /// Per language, a direct-mapped memory of recent stems (allocated on first use): words
    /// come in a Zipf distribution, so a small memory answers most lookups, and a Snowball
    /// stemmer costs far more than a hash and one slot. 512 KB per language a thread uses.
    static STEMS: std::cell::RefCell<Vec<Option<Box<[StemSlot]>>>> =
        std::cell::RefCell::new(vec![None; LANGS.len()]);
}

/// The stem of a lower-cased word, from this thread's memory when it was seen recently.
fn stem_into(lang: usize, stemmer: &Stemmer, out: &mut String) {
    let fresh = |out: &mut String| {
        if let Cow::Owned(stem) = stemmer.stem(out) {
            *out = stem;
        }
    };
    if out.len() > STEM_SLOT_BYTES || out.is_empty() {
        return fresh(out);
    }
    STEMS.with(|cell| {
        let mut memory = cell.borrow_mut();
        let Some(entry) = memory.get_mut(lang) else {
            return fresh(out);
        };
        let slots = entry.get_or_insert_with(|| vec![EMPTY_SLOT; STEM_SLOTS].into_boxed_slice());
        let key = out.as_bytes();
        let hash = std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, key);
        let slot = &mut slots[(hash as usize) & (STEM_SLOTS - 1)];
        if usize::from(slot.word_len) == key.len() && &slot.word[..key.len()] == key {
            let stem = &slot.stem[..usize::from(slot.stem_len)];
            // Stems were cut from valid words at char boundaries when stored.
            if let Ok(stem) = std::str::from_utf8(stem) {
                out.clear();
                out.push_str(stem);
                return;
            }
        }
        let word_len = key.len();
        let mut word = [0; STEM_SLOT_BYTES];
        word[..word_len].copy_from_slice(key);
        fresh(out);
        if out.len() <= STEM_SLOT_BYTES {
            slot.word_len = word_len as u8;
            slot.word = word;
            slot.stem_len = out.len() as u8;
            slot.stem[..out.len()].copy_from_slice(out.as_bytes());
        }
    })
}

/// Scripts whose accents are folded away (`é` → `e`, `ё` → `е`): Latin, Greek, Cyrillic. In
/// other scripts the marks are vowels or other letters and must stay.
fn is_foldable(c: char) -> bool {
    matches!(c as u32, 0..=0x052F | 0x1E00..=0x1FFF) || is_combining_mark(c)
}

/// The tokenizer: words are runs of letters and digits; CJK runs become overlapping bigrams.
#[derive(Clone)]
struct Words {
    lang: usize,
    stemmer: Option<Algorithm>,
    unigrams: bool,
    /// For a finding analyzer, the leading bytes of the terms looked for.
    heads: Option<std::sync::Arc<Vec<Vec<u8>>>>,
}

impl Tokenizer for Words {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        WordStream {
            text,
            cursor: 0,
            position: 0,
            lang: self.lang,
            stemmer: self.stemmer.map(Stemmer::create),
            unigrams: self.unigrams,
            heads: self.heads.clone(),
            run: Vec::new(),
            run_at: 0,
            run_bigram_next: false,
            run_start_position: 0,
            unaccented: None,
            token: Token::default(),
        }
    }
}

/// The token stream of [`Words`].
pub struct WordStream<'a> {
    text: &'a str,
    cursor: usize,
    /// The position the next word gets.
    position: usize,
    lang: usize,
    stemmer: Option<Stemmer>,
    unigrams: bool,
    heads: Option<std::sync::Arc<Vec<Vec<u8>>>>,
    /// The current CJK run: byte ranges of its characters.
    run: Vec<(usize, usize)>,
    /// Next character of the run to emit from.
    run_at: usize,
    /// Whether the bigram starting at `run_at` comes next (after its unigram).
    run_bigram_next: bool,
    run_start_position: usize,
    /// When indexing, the term the current word's unaccented spelling makes, if it differs:
    /// given out next, at the same position.
    unaccented: Option<String>,
    token: Token,
}

impl WordStream<'_> {
    /// Emits the next unigram or bigram of the current CJK run, if any is left.
    fn next_in_run(&mut self) -> bool {
        let n = self.run.len();
        let i = self.run_at;
        if i >= n {
            return false;
        }
        // When indexing: the unigram at i, then the bigram at i. For a query: bigrams only,
        // except a lone character.
        let bigram = self.run_bigram_next || (!self.unigrams && n > 1);
        let (from, to) = if bigram {
            if i + 1 >= n {
                self.run_at = n;
                return false;
            }
            self.run_bigram_next = false;
            self.run_at += 1;
            (self.run[i].0, self.run[i + 1].1)
        } else {
            if self.unigrams && i + 1 < n {
                self.run_bigram_next = true;
            } else {
                self.run_at += 1;
            }
            self.run[i]
        };
        {
            self.token.text.clear();
            for c in self.text[from..to].chars() {
                if matches!(c as u32, 0xF900..=0xFAFF | 0xFF66..=0xFF9F) {
                    self.token.text.extend(c.nfkc());
                } else {
                    self.token.text.push(c);
                }
            }
            self.token.offset_from = from;
            self.token.offset_to = to;
            self.token.position = self.run_start_position + i;
            self.token.position_length = 1;
        }
        true
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(term) = self.unaccented.take() {
                self.token.text = term;
                return true;
            }
            if self.next_in_run() {
                return true;
            }
            let Some((start, first)) = word_start(self.text, self.cursor) else {
                self.cursor = self.text.len();
                return false;
            };
            if is_cjk(first) {
                self.run.clear();
                let mut end = start;
                for (i, c) in self.text[start..].char_indices() {
                    if !is_cjk(c) {
                        break;
                    }
                    self.run.push((start + i, start + i + c.len_utf8()));
                    end = start + i + c.len_utf8();
                }
                self.cursor = end;
                self.run_at = 0;
                self.run_bigram_next = false;
                self.run_start_position = self.position;
                self.position += self.run.len();
                continue;
            }
            let end = word_end(self.text, start);
            self.cursor = end;
            let word = &self.text[start..end];
            if word.len() > MAX_TOKEN_BYTES {
                continue;
            }
            if let Some(heads) = &self.heads
                && word.is_ascii()
                && !may_become(word, heads)
            {
                self.position += 1;
                continue;
            }
            normalize(word, self.lang, self.stemmer.as_ref(), &mut self.token.text);
            if self.unigrams && !word.is_ascii() {
                self.unaccented = unaccented_term(word, self.lang, self.stemmer.as_ref())
                    .filter(|t| *t != self.token.text);
            }
            if self.token.text.is_empty() {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.position = self.position;
            self.token.position_length = 1;
            self.position += 1;
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Where the next word or CJK run starts at or after byte `from` (a char boundary), and its
/// first character. ASCII bytes are judged without decoding.
fn word_start(text: &str, from: usize) -> Option<(usize, char)> {
    let b = text.as_bytes();
    let mut i = from;
    while let Some(&byte) = b.get(i) {
        if byte.is_ascii() {
            if byte.is_ascii_alphanumeric() {
                return Some((i, char::from(byte)));
            }
            i += 1;
        } else {
            let c = text.get(i..)?.chars().next()?;
            if is_cjk(c) || is_word_char(c) {
                return Some((i, c));
            }
            i += c.len_utf8();
        }
    }
    None
}

/// Where the word starting at byte `start` ends: at the first character that is not a word
/// character, or is CJK.
fn word_end(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let mut i = start;
    while let Some(&byte) = b.get(i) {
        if byte.is_ascii() {
            if !byte.is_ascii_alphanumeric() {
                return i;
            }
            i += 1;
        } else {
            let Some(c) = text.get(i..).and_then(|r| r.chars().next()) else {
                return i;
            };
            if is_cjk(c) || !is_word_char(c) {
                return i;
            }
            i += c.len_utf8();
        }
    }
    i
}

/// A word as a term: NFKC (full-width letters, ligatures), lower case, stemmed, then accents
/// folded in the scripts that have them as accents. ASCII words take the short path.
fn normalize(word: &str, lang: usize, stemmer: Option<&Stemmer>, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
    } else {
        for c in word.nfkc() {
            out.extend(c.to_lowercase());
        }
    }
    if let Some(s) = stemmer {
        stem_into(lang, s, out);
    }
    if !out.is_ascii()
        && let Some(folded) = folded(out)
    {
        *out = folded;
    }
}

/// A name as filters compare it: lower case, accents folded where the analyzer folds them
/// (`Ménard` and `menard` meet). A name already in that form (lower-case ASCII, as most stored keys are) is borrowed.
pub fn fold_name(text: &str) -> Cow<'_, str> {
    let text = text.trim();
    if !text
        .bytes()
        .any(|b| b.is_ascii_uppercase() || !b.is_ascii())
    {
        return Cow::Borrowed(text);
    }
    let lower = text.to_lowercase();
    if lower.is_ascii() {
        return Cow::Owned(lower);
    }
    Cow::Owned(folded(&lower).unwrap_or(lower))
}

/// A text without its accents, when all of it is in scripts whose accents are folded
/// ([`is_foldable`]); `None` otherwise.
fn folded(text: &str) -> Option<String> {
    text.chars()
        .all(is_foldable)
        .then(|| text.nfd().filter(|c| !is_combining_mark(*c)).collect())
}

/// The words of a text as the analyzer splits it, before normalising: runs of letters and
/// digits, and each run of CJK characters whole (the analyzer cuts it into bigrams later).
/// A query word typed with punctuation inside (`T-cell`, `frozen--which`, `of,`) is read as
/// these pieces, so it meets page text split the same way.
pub fn pieces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut cursor = 0;
    while let Some((start, first)) = word_start(text, cursor) {
        let end = if is_cjk(first) {
            text[start..]
                .char_indices()
                .find(|&(_, c)| !is_cjk(c))
                .map_or(text.len(), |(i, _)| start + i)
        } else {
            word_end(text, start)
        };
        out.push(&text[start..end]);
        cursor = end;
    }
    out
}

/// The term a word makes when typed without its accents (`classificacao` for
/// `classificação`), when its stemmer is given the unaccented spelling: `None` for a word with
/// no accents to drop, no stemmer, or marks that are letters (scripts that are not folded).
///
/// The index holds it beside the word's own term, at the same position, because a stemmer
/// reads accented endings as endings (Portuguese `-ação` goes whole) but not their unaccented
/// spelling (`-acao` keeps most of itself): a reader typing without accents must still meet
/// the page. A query is analysed once, as typed, so either spelling finds the word.
fn unaccented_term(word: &str, lang: usize, stemmer: Option<&Stemmer>) -> Option<String> {
    let stemmer = stemmer?;
    let lower: String = word.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = folded(&lower).filter(|f| *f != lower)?;
    stem_into(lang, stemmer, &mut out);
    Some(out)
}

/// The terms of a text as an analyzer makes them: (term, position, byte range).
pub fn terms(
    analyzer: &mut TextAnalyzer,
    text: &str,
) -> Vec<(String, usize, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        out.push((t.text.clone(), t.position, t.offset_from..t.offset_to));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lang: usize, for_index: bool, s: &str) -> Vec<String> {
        terms(&mut analyzer(lang, for_index), s)
            .into_iter()
            .map(|(t, _, _)| t)
            .collect()
    }

    #[test]
    fn a_finding_analyzer_finds_each_term_where_the_full_analysis_has_it() {
        let samples = [
            (
                "en",
                "He was dying to see the skies; lying and tying knots, happily, gently, in \
                    the early news of Atlas. An ox is on it, as ugly as ever: HashMaps, maps.",
            ),
            (
                "de",
                "Die Straße war nass, und die Maße der Häuser stimmten nicht; Kinder \
                    spielten in den Gassen, ÜBER die Brücken liefen sie zum Fluss.",
            ),
            (
                "fr",
                "Les enfants jouaient près de l'église; ils ont été heureux, et les \
                    yeux brillaient à l'idée des vacances qu'ils prendraient.",
            ),
            ("plain", "Ab cd EF the x y 42 and 4711 ß ok"),
        ];
        for (code, text) in samples {
            let lang = lang_of_code(code);
            let all = terms(&mut analyzer(lang, true), text);
            let distinct: std::collections::HashSet<&str> =
                all.iter().map(|(t, _, _)| t.as_str()).collect();
            for term in distinct {
                let want: Vec<_> = all.iter().filter(|(t, _, _)| t == term).collect();
                let found = terms(&mut finding_analyzer(lang, std::iter::once(term)), text);
                let got: Vec<_> = found.iter().filter(|(t, _, _)| t == term).collect();
                assert_eq!(
                    got.iter().map(|(_, _, r)| r).collect::<Vec<_>>(),
                    want.iter().map(|(_, _, r)| r).collect::<Vec<_>>(),
                    "{code}: {term}"
                );
            }
        }
    }

    #[test]
    fn pieces_split_where_the_analyzer_splits() {
        assert_eq!(pieces("T-cell"), ["T", "cell"]);
        assert_eq!(pieces("frozen--which of,"), ["frozen", "which", "of"]);
        assert_eq!(pieces("café's"), ["café", "s"]);
        assert_eq!(pieces("BTS防弾少年団!"), ["BTS", "防弾少年団"]);
        assert!(pieces("--").is_empty());
        // Each piece is analysed to the term the page text gives the same word.
        let mut a = analyzer(1, false);
        for piece in pieces("Vitamin C-Enriched") {
            assert_eq!(terms(&mut a, piece).len(), 1);
        }
    }

    #[test]
    fn a_word_typed_without_its_accents_meets_the_accented_page() {
        let pt = lang_of_code("pt");
        let page = texts(pt, true, "classificação últimas");
        for typed in ["classificacao", "classificação", "ultimas", "últimas"] {
            let q = texts(pt, false, typed);
            assert_eq!(q.len(), 1);
            assert!(page.contains(&q[0]), "{typed}: {q:?} not in {page:?}");
        }
        // Both terms of a word stand at its position, so phrases still match.
        let positions: Vec<usize> = terms(&mut analyzer(pt, true), "a classificação final")
            .into_iter()
            .map(|(_, p, _)| p)
            .collect();
        assert_eq!(positions, [0, 1, 1, 2]);
        // Words without accents, and queries, get one term each.
        assert_eq!(texts(pt, true, "classificacao final").len(), 2);
        assert_eq!(texts(pt, false, "classificação").len(), 1);
    }

    #[test]
    fn english_words_are_stemmed_and_folded() {
        let en = lang_index(Some("en-GB"));
        assert_eq!(texts(en, true, "Running Cafés"), vec!["run", "cafe"]);
        assert_eq!(
            texts(PLAIN, true, "Running Cafés"),
            vec!["running", "cafes"]
        );
    }

    #[test]
    fn full_width_and_ligatures_are_normalised() {
        assert_eq!(texts(PLAIN, true, "ＢＴＳ ﬁne"), vec!["bts", "fine"]);
    }

    #[test]
    fn marks_stay_in_scripts_that_need_them() {
        // Devanagari vowel signs are part of the word.
        assert_eq!(texts(PLAIN, true, "हिन्दी"), vec!["हिन्दी"]);
        assert_eq!(texts(PLAIN, true, "ёлка"), vec!["елка"]);
    }

    #[test]
    fn cjk_runs_become_bigrams_with_unigrams_when_indexing() {
        assert_eq!(
            texts(PLAIN, true, "방탄소년"),
            vec!["방", "방탄", "탄", "탄소", "소", "소년", "년"]
        );
        assert_eq!(
            texts(PLAIN, false, "방탄소년"),
            vec!["방탄", "탄소", "소년"]
        );
        assert_eq!(texts(PLAIN, false, "猫"), vec!["猫"]);
    }

    #[test]
    fn positions_line_up_between_index_and_query() {
        let idx = terms(&mut analyzer(PLAIN, true), "BTS가 東京 tour");
        let q = terms(&mut analyzer(PLAIN, false), "東京 tour");
        let pos = |v: &[(String, usize, std::ops::Range<usize>)], t: &str| {
            v.iter().find(|x| x.0 == t).map(|x| x.1)
        };
        assert_eq!(pos(&idx, "bts"), Some(0));
        assert_eq!(pos(&idx, "가"), Some(1));
        assert_eq!(pos(&idx, "東京"), Some(2));
        assert_eq!(pos(&idx, "tour"), Some(4));
        // In the query the gap between the bigram and the next word is the same.
        assert_eq!(
            pos(&q, "tour").zip(pos(&q, "東京")).map(|(a, b)| a - b),
            Some(2)
        );
    }

    #[test]
    fn offsets_point_at_the_original_text() {
        let s = "Ａ café 東京都";
        for (_, _, r) in terms(&mut analyzer(PLAIN, true), s) {
            assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
        }
    }

    #[test]
    fn languages_map_to_stemmers() {
        assert_eq!(LANGS[lang_index(Some("nb"))].code, "no");
        assert_eq!(lang_index(Some("ko")), PLAIN);
        assert_eq!(lang_index(None), PLAIN);
        assert!(stop_words(lang_index(Some("en"))).contains(&"the"));
        assert!(stop_words(PLAIN).is_empty());
    }

    #[test]
    fn long_tokens_are_dropped() {
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(texts(PLAIN, true, &format!("a {long} b")), vec!["a", "b"]);
    }

    proptest::proptest! {
        /// The byte-level word scan finds the same words as a scan over characters.
        #[test]
        fn word_bounds_match_a_char_scan(text in "[a-zA-Z0-9 ,.é\u{301}ß東京タワーёЖ!-]{0,40}") {
            let mut words = Vec::new();
            let mut at = 0;
            while let Some((start, first)) = word_start(&text, at) {
                let end = if is_cjk(first) { start + first.len_utf8() } else { word_end(&text, start) };
                words.push(start..end);
                at = end;
            }
            let mut expected = Vec::new();
            let mut at = 0;
            while let Some((skip, first)) =
                text[at..].char_indices().find(|&(_, c)| is_cjk(c) || is_word_char(c))
            {
                let start = at + skip;
                let end = if is_cjk(first) {
                    start + first.len_utf8()
                } else {
                    text[start..]
                        .char_indices()
                        .find(|&(_, c)| is_cjk(c) || !is_word_char(c))
                        .map_or(text.len(), |(i, _)| start + i)
                };
                expected.push(start..end);
                at = end;
            }
            proptest::prop_assert_eq!(words, expected);
        }
    }
}

//! Words near a misspelt one: the index's own terms within one or two edits, for `word~N`,
//! "did you mean" and `--fuzzy`.
//!
//! Owns walking the term dictionaries with a Levenshtein automaton. Which words are looked up,
//! and what is done with the answers, is `rank`'s and `search`'s business.

use std::collections::HashMap;
use std::sync::OnceLock;

use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};
use tantivy::Searcher;
use tantivy::schema::Field;
use tantivy_fst::Automaton;

/// Most terms one fuzzy word expands to: the nearest and most common are kept, so a short word
/// in a large vocabulary does not become a query over thousands of terms.
pub const MAX_EXPANSIONS: usize = 24;

/// A term of the index near a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Near {
    /// The term as indexed.
    pub term: String,
    /// Edits from the word (a swap of two neighbours counts as one).
    pub edits: u8,
    /// Documents holding it (summed over the fields and segments looked at).
    pub docs: u64,
}

/// The automaton builders are costly to make (a table per distance) and the same for every
/// word: made once per process.
fn builder(edits: u8) -> &'static LevenshteinAutomatonBuilder {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    if edits <= 1 {
        ONE.get_or_init(|| LevenshteinAutomatonBuilder::new(1, true))
    } else {
        TWO.get_or_init(|| LevenshteinAutomatonBuilder::new(2, true))
    }
}

/// The Levenshtein DFA as a term-dictionary automaton.
struct Dfa(DFA);

impl Automaton for Dfa {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// Terms of `fields` within `edits` edits of `word`, nearest first, then most common, at most
/// [`MAX_EXPANSIONS`]. The word itself is included when the index holds it.
///
/// # Errors
/// I/O errors reading a term dictionary.
pub fn near_terms(
    searcher: &Searcher,
    fields: &[Field],
    word: &str,
    edits: u8,
) -> std::io::Result<Vec<Near>> {
    let mut found: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        for &field in fields {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let dfa = Dfa(builder(edits).build_dfa(word));
            let mut stream = inverted.terms().search(dfa).into_stream()?;
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    *found.entry(term.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    Ok(nearest_first(found.into_iter().map(|(term, docs)| Near {
        edits: edits_between(word, &term),
        term,
        docs,
    })))
}

/// Each term once, with its fewest edits; nearest first, then most common, then by term; at
/// most [`MAX_EXPANSIONS`].
pub fn nearest_first(near: impl IntoIterator<Item = Near>) -> Vec<Near> {
    let mut best: HashMap<String, Near> = HashMap::new();
    for n in near {
        if best.get(&n.term).is_none_or(|old| n.edits < old.edits) {
            best.insert(n.term.clone(), n);
        }
    }
    let mut near: Vec<Near> = best.into_values().collect();
    near.sort_by(|a, b| {
        a.edits
            .cmp(&b.edits)
            .then(b.docs.cmp(&a.docs))
            .then_with(|| a.term.cmp(&b.term))
    });
    near.truncate(MAX_EXPANSIONS);
    near
}

/// Longest ending a stemmer strips that a misspelt word is assumed to carry (`-ment`, `-ness`,
/// `-ing`): the index holds stems, so `impeachmnt` is three edits from the term `impeach` of
/// `impeachment`, though only one from the word.
pub const MAX_SUFFIX_CHARS: usize = 4;

/// Shortest start of a word that is matched as a stem: shorter starts are near too many terms.
pub const MIN_STEM_CHARS: usize = 5;

/// Terms that may be the stem of a word near `word`: the terms within `edits` edits of one of
/// its starts that leave off up to [`MAX_SUFFIX_CHARS`] characters, nearest first, then most
/// common. Each [`Near`]'s `edits` counts from that start, not from the whole word: a caller
/// that can read how pages spell the term measures the whole word against that.
///
/// # Errors
/// I/O errors reading a term dictionary.
pub fn stem_terms(
    searcher: &Searcher,
    fields: &[Field],
    word: &str,
    edits: u8,
) -> std::io::Result<Vec<Near>> {
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let shortest = MIN_STEM_CHARS.max(chars.len().saturating_sub(MAX_SUFFIX_CHARS));
    let mut near = Vec::new();
    for keep in shortest..chars.len() {
        near.extend(near_terms(searcher, fields, &word[..chars[keep].0], edits)?);
    }
    Ok(nearest_first(near))
}

/// Edits between two words, a swap of neighbours counting as one (as the automaton counts).
pub fn edits_between(a: &str, b: &str) -> u8 {
    u8::try_from(strsim::osa_distance(a, b)).unwrap_or(u8::MAX)
}

/// How many edits a suggestion for a word of this many characters may make: one for short
/// words (two edits turn most four-letter words into some other word), two for longer ones.
pub fn edits_for(chars: usize) -> u8 {
    if chars <= 4 { 1 } else { 2 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_count_as_one_edit() {
        assert_eq!(edits_between("recieve", "receive"), 1);
        assert_eq!(edits_between("billbord", "billboard"), 1);
        assert_eq!(edits_for(4), 1);
        assert_eq!(edits_for(8), 2);
    }
}

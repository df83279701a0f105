//! Ranking: a parsed query as tantivy queries, in tiers, over the per-language fields.
//!
//! Owns every ranking constant. A query word is analysed once per language the index holds and
//! looked up in that language's title and body fields; since each document's text lives in one
//! language's fields, a document is scored by its own language's terms only.
//!
//! Tiers, run in order, each adding the hits the tiers before it did not find:
//! 1. every content word (stop words of a question such as "what", "the" are optional);
//! 2. the same with `word~N` words widened to their near terms (exact matches always first);
//! 3. unless `--all`: any content word.
//!
//! Within a tier hits are ordered by BM25F (a word's counts in the title and the body added
//! before they are saturated, see `bm25f`) plus a bonus for query words standing close together
//! in the text.

use std::collections::{HashMap, HashSet};

use tantivy::Searcher;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, RegexQuery,
};
use tantivy::schema::{Field, Term, Value};
use tantivy::tokenizer::TextAnalyzer;

use super::bm25f::{self, Bm25fQuery, FieldStats, FieldWeight};
use super::query::{Clause, Parsed, Scope};
use super::snippet::{Matcher, floor_boundary};
use super::suggest;
use crate::index::Fields;
use crate::index::analysis;
use crate::index::schema::LANG_COUNT;

/// Weight of a phrase's title match against 1 for its body match. Single words are scored by
/// BM25F with [`bm25f::TITLE_WEIGHT`]; a phrase (quoted, or a CJK word's bigrams) is scored per
/// field by tantivy and the two added, with the title kept close to the body because a title
/// phrase usually recurs in the body and so already counts there.
pub const TITLE_BOOST: f32 = 1.25;

/// Weight of a stop word of the query ("what", "are", "the") next to content words: a question
/// typed as a sentence is ranked on what it asks about. Zero: they are left out of the score
/// (they still count inside a quoted phrase).
pub const STOP_WORD_WEIGHT: f32 = 0.0;

/// Weight of the bonus for two query words found near each other in the text (in the query's
/// order, within [`PROXIMITY_SLOP`] positions), against 1 for a word's own BM25: pages that use
/// the words together ("heat transfer", "boundary layer") are about the pair, not the words
/// apart. Each pair adds its own bonus, so it is kept small: 0.5 let pairs outweigh the words.
pub const PROXIMITY_WEIGHT: f32 = 0.15;

/// How far apart (in positions) two query words may stand and still earn the proximity bonus:
/// about a clause, so "transfer of heat in a slab" counts for "heat slab".
pub const PROXIMITY_SLOP: u32 = 8;

/// Weight of a feedback term against 1 for a query word. Feedback terms are words the best hits
/// of a first pass share (pseudo-relevance feedback): a question typed in a person's words
/// ("similarity laws for heated models") is widened with the words the matching pages use
/// ("thermoelastic", "scaling"). They only reorder hits that already match the query's own
/// words, never add pages. On the three relevance collections 0.2 to 0.3 rank alike; 0 loses
/// on all three, and 0.4 lets the added words outweigh a short query's own.
pub const FEEDBACK_WEIGHT: f32 = 0.2;

/// A query word found in more than this share of a language's documents is common there (a
/// word like "health" among nutrition abstracts): it counts in the score, but the first tier
/// demands it only when the query has no rarer word to demand, since demanding it shrinks the
/// all-words tier to the pages that happen to use the common word. A fifth: on the three
/// relevance collections 0.1 demanded too little (Cranfield's "flow" and "pressure" went
/// optional, nDCG@10 −.008) and 0.2 to 0.3 rank alike.
pub const COMMON_SHARE: f32 = 0.2;

/// Most plain words a query is searched with; a longer one (a pasted page) keeps its rarest.
/// Every word is a clause in each tier: a 3,000-word query took a second. 256 keeps every word
/// of the longest relevance-collection queries (CISI's abstracts as requests, up to 200 content
/// words; 64 lost .007 nDCG@10 there) and answers a 3,000-word query in about 50 ms.
pub const MAX_QUERY_WORDS: usize = 256;

/// Hits of the first pass that feedback terms are taken from.
pub const FEEDBACK_DOCS: usize = 10;

/// A feedback term must stand in at least this many of the hits it is taken from: a word of one
/// page is that page's, not the topic's, and looking up how rare every word of every hit is
/// costs most of the feedback pass.
pub const FEEDBACK_SHARED: usize = 2;

/// Feedback terms added.
pub const FEEDBACK_TERMS: usize = 10;

/// Feedback is used for queries of at least this many content words. Two words say exactly
/// what they want; from three on, the words typed are a sample of a topic that its pages
/// describe with more words (on NFCorpus, whose queries are mostly two to four words, three
/// gains .005 nDCG@10 and .009 R@100 over five; the longer questions of Cranfield and CISI are
/// unaffected).
pub const FEEDBACK_MIN_WORDS: usize = 3;

/// Bytes of a hit read for feedback terms: about the first page of an article, where it says
/// what it is about. Analysing more costs time in every search that uses feedback and changed
/// no ranking on the relevance collections (4 and 8 KiB rank alike).
const FEEDBACK_SCAN_BYTES: usize = 4 * 1024;

/// Queries with more content words than this get no proximity bonus: every pair of words is a
/// positional query (120 pairs for 16 words), and a pasted paragraph gains nothing from it.
const MAX_PROXIMITY_WORDS: usize = 16;

/// The tantivy queries of a search, in tier order, and what their snippets mark.
pub struct Plan {
    /// Queries run in order; each adds the hits the ones before did not find.
    pub tiers: Vec<Box<dyn Query>>,
    /// Per analysis language, what a hit's snippet marks.
    pub matchers: Vec<Matcher>,
    /// Whether the query had text clauses that survived analysis.
    pub has_text: bool,
}

/// Builds queries for one searcher.
pub struct Builder<'a> {
    searcher: &'a Searcher,
    f: Fields,
    /// Languages the index holds documents in.
    langs: Vec<usize>,
    analyzers: Vec<Option<TextAnalyzer>>,
    matchers: Vec<Matcher>,
    stop_words: HashSet<&'static str>,
    /// Per language, its BM25F figures once a query word has needed them.
    stats: Vec<Option<LangStats>>,
    /// The analysis without stemming: a word as typed, only folded.
    plain: TextAnalyzer,
    /// The languages each query word is looked up in, once worked out.
    word_langs: HashMap<String, Vec<usize>>,
}

/// What BM25F needs to know of one language's fields.
#[derive(Debug, Clone, Copy)]
struct LangStats {
    /// Documents in the language.
    docs: u64,
    title: FieldStats,
    body: FieldStats,
}

impl<'a> Builder<'a> {
    /// A builder over the languages present in the searcher's segments.
    pub fn new(searcher: &'a Searcher, f: Fields) -> Self {
        // The `lang` field's terms are the analysis codes in use: one small dictionary per
        // segment, rather than a look into every language's fields.
        let mut present = [false; LANG_COUNT];
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(f.lang) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(code) = std::str::from_utf8(stream.key()) {
                    present[analysis::lang_of_code(code)] = true;
                }
            }
        }
        let langs: Vec<usize> = (0..LANG_COUNT).filter(|&l| present[l]).collect();
        let mut analyzers: Vec<Option<TextAnalyzer>> = (0..LANG_COUNT).map(|_| None).collect();
        for &l in &langs {
            analyzers[l] = Some(analysis::analyzer(l, false));
        }
        let stop_words = langs
            .iter()
            .flat_map(|&l| analysis::stop_words(l).iter().copied())
            .collect();
        Builder {
            searcher,
            f,
            langs,
            analyzers,
            matchers: vec![Matcher::default(); LANG_COUNT],
            stop_words,
            stats: vec![None; LANG_COUNT],
            plain: analysis::analyzer(analysis::PLAIN, false),
            word_langs: HashMap::new(),
        }
    }

    /// The languages a plain query word is looked up in. A word is analysed in every language
    /// the index holds, and a stemmer can turn it into another language's word (`nasa` into
    /// Portuguese `nas`, "in the"). So a language where the word only matches through its
    /// stemmer is left out when another language holds the word exactly as typed and has at
    /// least as many documents: the word is that language's, and a reader types in the
    /// language most of their pages are in. A word that only stems to a match anywhere, or
    /// whose exact match is in a smaller language (`running` in a German page of an English
    /// corpus), keeps every language.
    fn word_langs(&mut self, text: &str) -> Vec<usize> {
        if let Some(langs) = self.word_langs.get(text) {
            return langs.clone();
        }
        let exact = analysis::terms(&mut self.plain, text);
        let [(exact, _, _)] = exact.as_slice() else {
            return self.langs.clone();
        };
        let mut found: Vec<(usize, bool, u64)> = Vec::new();
        for l in self.langs.clone() {
            let terms = self.terms(l, text);
            let [(term, _)] = terms.as_slice() else {
                return self.langs.clone();
            };
            let df = self.doc_freq(l, term);
            found.push((l, term == exact, df));
        }
        let exact_in: Vec<usize> = found
            .iter()
            .filter(|(_, plain, df)| *plain && *df > 0)
            .map(|&(l, _, _)| l)
            .collect();
        let mut keep = Vec::new();
        for &(l, plain, df) in &found {
            let docs = self.lang_docs(l);
            let outweighed = !plain
                && df > 0
                && exact_in
                    .iter()
                    .any(|&m| m != l && self.lang_docs(m) >= docs);
            if !outweighed {
                keep.push(l);
            }
        }
        self.word_langs.insert(text.to_string(), keep.clone());
        keep
    }

    /// How many documents are in a language.
    fn lang_docs(&self, lang: usize) -> u64 {
        if let Some(s) = self.stats[lang] {
            return s.docs;
        }
        let code = analysis::LANGS[lang].code;
        self.searcher
            .doc_freq(&Term::from_field_text(self.f.lang, code))
            .unwrap_or(0)
    }

    /// How many documents of a language hold a term in their title or body (the larger).
    fn doc_freq(&self, lang: usize, term: &str) -> u64 {
        [self.f.titles[lang], self.f.bodies[lang]]
            .iter()
            .map(|&field| {
                self.searcher
                    .doc_freq(&Term::from_field_text(field, term))
                    .unwrap_or(0)
            })
            .max()
            .unwrap_or(0)
    }

    /// The BM25F figures of a language, counted on first use.
    fn stats(&mut self, lang: usize) -> LangStats {
        if let Some(s) = self.stats[lang] {
            return s;
        }
        let s = LangStats {
            docs: self.lang_docs(lang),
            title: FieldStats::of(self.searcher, self.f.titles[lang]).unwrap_or_default(),
            body: FieldStats::of(self.searcher, self.f.bodies[lang]).unwrap_or_default(),
        };
        self.stats[lang] = Some(s);
        s
    }

    /// One analysed word scored once over the title and body of its language (BM25F), or over
    /// the title alone for `title:`.
    fn bm25f(&mut self, lang: usize, scope: Scope, term: &str) -> Box<dyn Query> {
        let s = self.stats(lang);
        let mut fields = vec![FieldWeight {
            field: self.f.titles[lang],
            weight: bm25f::TITLE_WEIGHT,
            b: bm25f::B_TITLE,
            avg_len: s.title.avg_len(),
        }];
        if scope == Scope::Any {
            fields.push(FieldWeight {
                field: self.f.bodies[lang],
                weight: 1.0,
                b: bm25f::B_BODY,
                avg_len: s.body.avg_len(),
            });
        }
        Box::new(Bm25fQuery::new(term, fields, s.docs))
    }

    /// The languages the index holds.
    pub fn langs(&self) -> &[usize] {
        &self.langs
    }

    /// The query terms of a text in one language: (term, position).
    pub fn terms(&mut self, lang: usize, text: &str) -> Vec<(String, usize)> {
        match self.analyzers.get_mut(lang).and_then(Option::as_mut) {
            Some(a) => analysis::terms(a, text)
                .into_iter()
                .map(|(t, p, _)| (t, p))
                .collect(),
            None => Vec::new(),
        }
    }

    /// Per language a plain word is looked up in (see [`Self::word_langs`]), the documents
    /// holding its term there; `None` for any other clause, or a word the analyzer splits.
    fn word_docs(&mut self, c: &Clause) -> Option<Vec<(usize, u64)>> {
        let Clause::Word {
            text,
            prefix: false,
            fuzzy: None,
            ..
        } = c
        else {
            return None;
        };
        let mut docs = Vec::new();
        for l in self.word_langs(text) {
            let terms = self.terms(l, text);
            let [(term, _)] = terms.as_slice() else {
                return None;
            };
            docs.push((l, self.doc_freq(l, term)));
        }
        Some(docs)
    }

    /// How many documents hold a typed word, in the languages it is looked up in.
    pub fn docs_holding(&mut self, word: &str) -> u64 {
        let c = Clause::Word {
            text: word.to_string(),
            scope: Scope::Any,
            prefix: false,
            fuzzy: None,
        };
        self.word_docs(&c)
            .map_or(0, |docs| docs.iter().map(|&(_, n)| n).sum())
    }

    /// Whether a plain word (any scope but `title:`) is held by more than [`COMMON_SHARE`] of
    /// the documents of every language that holds it.
    fn is_common(&mut self, c: &Clause, docs: Option<&[(usize, u64)]>) -> bool {
        if !matches!(
            c,
            Clause::Word {
                scope: Scope::Any,
                ..
            }
        ) {
            return false;
        }
        let Some(docs) = docs else { return false };
        let held: Vec<(usize, u64)> = docs.iter().copied().filter(|&(_, n)| n > 0).collect();
        !held.is_empty()
            && held
                .iter()
                .all(|&(l, n)| n as f32 >= COMMON_SHARE * self.lang_docs(l).max(1) as f32)
    }

    /// Whether a clause is a lone stop word ("what", "the"): optional in a longer question.
    fn is_stop_word(&self, c: &Clause) -> bool {
        match c {
            Clause::Word {
                text,
                prefix: false,
                fuzzy: None,
                scope: Scope::Any,
            } => self.stop_words.contains(text.to_lowercase().as_str()),
            _ => false,
        }
    }

    /// The tiers of a parsed query, with `filters` required and `excluded` left out of each.
    pub fn plan(
        &mut self,
        parsed: &Parsed,
        filters: &[Box<dyn Query>],
        all_required: bool,
        feedback: &[(usize, String)],
    ) -> Plan {
        let excluded: Vec<Box<dyn Query>> = parsed
            .excluded
            .iter()
            .filter_map(|c| self.clause(c, false, false))
            .collect();
        let (content, stops): (Vec<&Clause>, Vec<&Clause>) =
            parsed.clauses.iter().partition(|c| !self.is_stop_word(c));
        // A query of stop words only ("the who") searches for them.
        let (required_all, optional) = if content.is_empty() {
            (stops, Vec::new())
        } else {
            (content, stops)
        };
        // A plain word no page holds cannot match: it is left out of the tiers (with `--all`,
        // nothing can match), so a pasted text of unknown words costs no clause per word.
        let per_lang: Vec<Option<Vec<(usize, u64)>>> =
            required_all.iter().map(|c| self.word_docs(c)).collect();
        let held: Vec<Option<u64>> = per_lang
            .iter()
            .map(|d| d.as_ref().map(|d| d.iter().map(|&(_, n)| n).sum()))
            .collect();
        let unknown = held.contains(&Some(0));
        let mut kept: Vec<(usize, Option<u64>)> = held
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, h)| *h != Some(0))
            .collect();
        // Past MAX_QUERY_WORDS plain words, the rarest are kept: they say most about the pages
        // wanted, and each word costs a clause in every tier.
        let words = kept.iter().filter(|(_, h)| h.is_some()).count();
        if words > MAX_QUERY_WORDS {
            let mut by_rarity: Vec<(u64, usize)> =
                kept.iter().filter_map(|&(i, h)| Some((h?, i))).collect();
            by_rarity.sort_unstable();
            let dropped: HashSet<usize> = by_rarity[MAX_QUERY_WORDS..]
                .iter()
                .map(|&(_, i)| i)
                .collect();
            kept.retain(|(i, _)| !dropped.contains(i));
        }
        if unknown && all_required {
            kept.clear();
        }
        let required: Vec<&Clause> = kept.iter().map(|&(i, _)| required_all[i]).collect();
        // Words most pages hold say little about which pages are wanted: they rank, but the
        // first tier does not demand them when rarer words are there to demand.
        let common: Vec<bool> = kept
            .iter()
            .map(|&(i, _)| self.is_common(required_all[i], per_lang[i].as_deref()))
            .collect();
        let demanded = |i: usize| !common[i] || common.iter().all(|&c| c);
        let exact: Vec<(bool, Box<dyn Query>)> = required
            .iter()
            .enumerate()
            .filter_map(|(i, c)| Some((demanded(i), self.clause(c, false, true)?)))
            .collect();
        let has_fuzzy = required.iter().any(|c| has_fuzzy(c));
        let widened: Vec<(bool, Box<dyn Query>)> = if has_fuzzy {
            required
                .iter()
                .enumerate()
                .filter_map(|(i, c)| Some((demanded(i), self.clause(c, true, true)?)))
                .collect()
        } else {
            Vec::new()
        };
        let mut extras: Vec<Box<dyn Query>> = Vec::new();
        if STOP_WORD_WEIGHT > 0.0 {
            for c in &optional {
                if let Some(q) = self.clause(c, false, true) {
                    extras.push(Box::new(BoostQuery::new(q, STOP_WORD_WEIGHT)));
                }
            }
        }
        extras.extend(self.proximity(&required));
        for (l, term) in feedback {
            let q = self.bm25f(*l, Scope::Any, term);
            extras.push(Box::new(BoostQuery::new(q, FEEDBACK_WEIGHT)));
        }

        let has_text = !exact.is_empty() || unknown;
        let assemble = |must: Vec<(Occur, Box<dyn Query>)>| -> Box<dyn Query> {
            let mut parts = must;
            for e in &extras {
                parts.push((Occur::Should, e.box_clone()));
            }
            for flt in filters {
                parts.push((Occur::Must, flt.box_clone()));
            }
            for ex in &excluded {
                parts.push((Occur::MustNot, ex.box_clone()));
            }
            Box::new(BooleanQuery::new(parts))
        };
        let every = |clauses: &[(bool, Box<dyn Query>)]| -> Vec<(Occur, Box<dyn Query>)> {
            clauses
                .iter()
                .map(|(demand, c)| {
                    let occur = if *demand { Occur::Must } else { Occur::Should };
                    (occur, c.box_clone())
                })
                .collect()
        };
        let any = |clauses: &[(bool, Box<dyn Query>)]| -> Vec<(Occur, Box<dyn Query>)> {
            vec![(
                Occur::Must,
                Box::new(BooleanQuery::new(
                    clauses
                        .iter()
                        .map(|(_, c)| (Occur::Should, c.box_clone()))
                        .collect(),
                )) as Box<dyn Query>,
            )]
        };
        let mut tiers: Vec<Box<dyn Query>> = Vec::new();
        if parsed.clauses.is_empty() {
            tiers.push(assemble(vec![(Occur::Must, Box::new(AllQuery))]));
        } else if !exact.is_empty() {
            tiers.push(assemble(every(&exact)));
            if has_fuzzy {
                tiers.push(assemble(every(&widened)));
            }
            let loosest = if has_fuzzy { &widened } else { &exact };
            if !all_required && loosest.len() > 1 {
                tiers.push(assemble(any(loosest)));
            }
        }
        Plan {
            tiers,
            matchers: std::mem::replace(&mut self.matchers, vec![Matcher::default(); LANG_COUNT]),
            has_text,
        }
    }

    /// A clause as a query over every language's fields, or `None` when no term survives
    /// analysis. `widen`: `word~N` matches its near terms too. `mark`: snippets mark its terms.
    pub fn clause(&mut self, c: &Clause, widen: bool, mark: bool) -> Option<Box<dyn Query>> {
        match c {
            Clause::Any(list) | Clause::All(list) => {
                let occur = if matches!(c, Clause::Any(_)) {
                    Occur::Should
                } else {
                    Occur::Must
                };
                let parts: Vec<(Occur, Box<dyn Query>)> = list
                    .iter()
                    .filter_map(|c| self.clause(c, widen, mark))
                    .map(|q| (occur, q))
                    .collect();
                (!parts.is_empty()).then(|| Box::new(BooleanQuery::new(parts)) as Box<dyn Query>)
            }
            Clause::Word {
                text,
                scope,
                prefix,
                fuzzy,
            } => {
                let langs = if *prefix || fuzzy.is_some() {
                    self.langs.clone()
                } else {
                    self.word_langs(text)
                };
                self.per_lang(|b, l| {
                    if !langs.contains(&l) {
                        return None;
                    }
                    let toks = b.terms(l, text);
                    if *prefix && toks.len() == 1 {
                        let stem = &toks[0].0;
                        if mark {
                            b.matchers[l].prefixes.push(stem.clone());
                        }
                        let pattern = format!("{}.*", regex_escape(stem));
                        return Some(b.per_field(*scope, l, |field| {
                            RegexQuery::from_pattern(&pattern, field)
                                .map(|q| Box::new(q) as Box<dyn Query>)
                                .unwrap_or_else(|_| Box::new(EmptyQuery))
                        }));
                    }
                    if let (Some(edits), true, 1) = (fuzzy, widen, toks.len()) {
                        return b.near(l, *scope, &toks[0].0, *edits, mark);
                    }
                    b.terms_query(l, toks, *scope, 0, mark)
                })
            }
            Clause::Phrase { text, scope, slop } => self.per_lang(|b, l| {
                let toks = b.terms(l, text);
                b.terms_query(l, toks, *scope, *slop, mark)
            }),
        }
    }

    /// One query per language present, any of which may match.
    fn per_lang(
        &mut self,
        mut make: impl FnMut(&mut Self, usize) -> Option<Box<dyn Query>>,
    ) -> Option<Box<dyn Query>> {
        let langs = self.langs.clone();
        let parts: Vec<(Occur, Box<dyn Query>)> = langs
            .into_iter()
            .filter_map(|l| make(self, l))
            .map(|q| (Occur::Should, q))
            .collect();
        match parts.len() {
            0 => None,
            1 => parts.into_iter().next().map(|(_, q)| q),
            _ => Some(Box::new(BooleanQuery::new(parts))),
        }
    }

    /// One term: a term query; several (a phrase, or a word the analyzer split, such as a CJK
    /// word into bigrams): a phrase query with the analyzer's positions.
    fn terms_query(
        &mut self,
        lang: usize,
        toks: Vec<(String, usize)>,
        scope: Scope,
        slop: u32,
        mark: bool,
    ) -> Option<Box<dyn Query>> {
        let first = toks.first()?.1;
        if mark {
            self.matchers[lang]
                .terms
                .extend(toks.iter().map(|(t, _)| t.clone()));
        }
        if let [(term, _)] = toks.as_slice() {
            return Some(self.bm25f(lang, scope, term));
        }
        Some(self.per_field(scope, lang, |field| {
            Box::new(PhraseQuery::new_with_offset_and_slop(
                toks.iter()
                    .map(|(t, p)| (p - first, Term::from_field_text(field, t)))
                    .collect(),
                slop,
            ))
        }))
    }

    /// `word~N`: the index's terms within N edits, each scored as itself.
    fn near(
        &mut self,
        lang: usize,
        scope: Scope,
        term: &str,
        edits: u8,
        mark: bool,
    ) -> Option<Box<dyn Query>> {
        let fields = [self.f.titles[lang], self.f.bodies[lang]];
        let mut near = suggest::near_terms(self.searcher, &fields, term, edits).ok()?;
        if near.is_empty() {
            // The index holds stems: a misspelt long word may be near only the start of its
            // word's stem (`impeachmnt~` and the `impeach` of "impeachment").
            near = suggest::stem_terms(self.searcher, &fields, term, edits).ok()?;
        }
        let parts: Vec<(Occur, Box<dyn Query>)> = near
            .iter()
            .filter_map(|n| self.terms_query(lang, vec![(n.term.clone(), 0)], scope, 0, mark))
            .map(|q| (Occur::Should, q))
            .collect();
        (!parts.is_empty()).then(|| Box::new(BooleanQuery::new(parts)) as Box<dyn Query>)
    }

    /// The title (boosted) and body fields of a language, as the scope allows.
    fn per_field(
        &self,
        scope: Scope,
        lang: usize,
        make: impl Fn(Field) -> Box<dyn Query>,
    ) -> Box<dyn Query> {
        let title: Box<dyn Query> =
            Box::new(BoostQuery::new(make(self.f.titles[lang]), TITLE_BOOST));
        match scope {
            Scope::Title => title,
            Scope::Any => Box::new(BooleanQuery::new(vec![
                (Occur::Should, title),
                (Occur::Should, make(self.f.bodies[lang])),
            ])),
        }
    }

    /// The proximity bonus: for pairs of single-word clauses, a sloppy phrase query over the
    /// body.
    fn proximity(&mut self, required: &[&Clause]) -> Vec<Box<dyn Query>> {
        let words: Vec<&String> = required
            .iter()
            .filter_map(|c| match c {
                Clause::Word {
                    text,
                    scope: Scope::Any,
                    prefix: false,
                    fuzzy: None,
                } => Some(text),
                _ => None,
            })
            .collect();
        if words.len() < 2 || words.len() > MAX_PROXIMITY_WORDS {
            return Vec::new();
        }
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        for l in self.langs.clone() {
            let terms: Vec<Option<String>> = words
                .iter()
                .map(|w| {
                    let t = self.terms(l, w);
                    (t.len() == 1).then(|| t[0].0.clone())
                })
                .collect();
            let mut pairs: Vec<(&String, &String)> = Vec::new();
            for i in 0..terms.len() {
                for j in i + 1..terms.len() {
                    if let (Some(a), Some(b)) = (&terms[i], &terms[j]) {
                        pairs.push((a, b));
                    }
                }
            }
            for (a, b) in pairs {
                {
                    if a == b {
                        continue;
                    }
                    let field = self.f.bodies[l];
                    let q = PhraseQuery::new_with_offset_and_slop(
                        vec![
                            (0, Term::from_field_text(field, a)),
                            (1, Term::from_field_text(field, b)),
                        ],
                        PROXIMITY_SLOP,
                    );
                    out.push(Box::new(BoostQuery::new(Box::new(q), PROXIMITY_WEIGHT)));
                }
            }
        }
        out
    }
}

impl Builder<'_> {
    /// How many content words (not stop words) a query has.
    pub fn content_words(&self, parsed: &Parsed) -> usize {
        parsed
            .clauses
            .iter()
            .filter(|c| matches!(c, Clause::Word { .. }) && !self.is_stop_word(c))
            .count()
    }
}

/// Feedback terms: the words the best hits of a first pass share, weighted by how much of
/// each hit they make up, how high the hit ranked, and how rare they are in the index.
pub fn feedback_terms(
    searcher: &Searcher,
    f: Fields,
    top: &[(f32, &tantivy::TantivyDocument)],
    matchers: &[Matcher],
) -> Vec<(usize, String)> {
    let Some(best) = top.first().map(|t| t.0).filter(|s| *s > 0.0) else {
        return Vec::new();
    };
    // Per term: its weight so far and how many of the hits hold it.
    let mut weights: std::collections::HashMap<(usize, String), (f32, usize)> = Default::default();
    let mut analyzers: std::collections::HashMap<usize, TextAnalyzer> = Default::default();
    let mut stops: std::collections::HashMap<usize, HashSet<String>> = Default::default();
    for &(score, doc) in top {
        let stored = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
        };
        let l = analysis::lang_of_code(stored(f.lang));
        let body = stored(f.body);
        let text = format!(
            "{}\n{}",
            stored(f.page_title),
            &body[..floor_boundary(body, FEEDBACK_SCAN_BYTES)]
        );
        let analyzer = analyzers
            .entry(l)
            .or_insert_with(|| analysis::analyzer(l, false));
        let stop = stops.entry(l).or_insert_with(|| {
            let mut a = analysis::analyzer(l, false);
            analysis::stop_words(l)
                .iter()
                .flat_map(|w| analysis::terms(&mut a, w))
                .map(|(t, _, _)| t)
                .collect()
        });
        // Counted straight from the token stream: a term is copied once, not once a token.
        let mut tf: std::collections::HashMap<String, f32> = Default::default();
        let mut len = 0usize;
        let mut stream = analyzer.token_stream(&text);
        while stream.advance() {
            len += 1;
            let t = &stream.token().text;
            match tf.get_mut(t) {
                Some(c) => *c += 1.0,
                None => {
                    tf.insert(t.clone(), 1.0);
                }
            }
        }
        let len = len.max(1) as f32;
        for (t, c) in tf {
            if t.chars().count() < 2
                || t.chars().all(|c| c.is_ascii_digit())
                || stop.contains(&t)
                || matchers[l].terms.contains(&t)
            {
                continue;
            }
            let entry = weights.entry((l, t)).or_default();
            entry.0 += c / len * (score / best);
            entry.1 += 1;
        }
    }
    let n = searcher.num_docs().max(1) as f32;
    let shared = FEEDBACK_SHARED.min(top.len());
    let mut ranked: Vec<((usize, String), f32)> = weights
        .into_iter()
        .filter(|(_, (_, hits))| *hits >= shared)
        .map(|(k, (w, _))| (k, w))
        .map(|((l, t), w)| {
            let df = searcher
                .doc_freq(&Term::from_field_text(f.bodies[l], &t))
                .unwrap_or(0)
                .max(1) as f32;
            ((l, t), w * (1.0 + n / df).ln())
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(FEEDBACK_TERMS)
        .map(|(k, _)| k)
        .collect()
}

fn has_fuzzy(c: &Clause) -> bool {
    match c {
        Clause::Word { fuzzy, .. } => fuzzy.is_some(),
        Clause::Any(list) | Clause::All(list) => list.iter().any(has_fuzzy),
        Clause::Phrase { .. } => false,
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~\"@<>".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

//! Search: a query in, ranked hits out, each an article or a comment with a highlighted snippet.
//!
//! Owns query building, ranking and snippets over the index that `index` writes. It never walks
//! files or prints.
//!
//! Ranking: BM25 over title and body, the title boosted. Plain words rank "soft AND": hits that
//! contain every clause come first; when there are fewer of them than asked for, hits with some
//! of the clauses follow, so a long question typed as a sentence still gets ranked answers. Ties
//! are broken by page path, then comment position, so paging is stable.

pub mod query;

use std::ops::Bound;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DateTime, DocAddress, Score, Searcher, TantivyDocument};
use thiserror::Error;

use crate::index::schema::{self, Fields, KIND_ARTICLE, KIND_COMMENT};
use crate::index::{IndexError, Opened};
use query::{Clause, Parsed, Scope};

/// How much more a title match weighs than a body match.
const TITLE_BOOST: Score = 2.0;

/// Bytes of a long text the snippet is cut from (around the first query term).
const SNIPPET_WINDOW_BYTES: usize = 4096;

/// Words compared to tell whether a snippet starts or ends its text.
const EDGE_WORDS: usize = 6;

/// Snippet length in characters.
const SNIPPET_CHARS: usize = 180;

/// Extra hits fetched beyond the page asked for, so that ties at the page's edge are ordered by
/// path and position, not by arrival.
const TIE_MARGIN: usize = 32;

/// Why a search could not run.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum QueryError {
    /// An option value that cannot be used (an unknown kind, a date that does not parse).
    #[error("{option}: {reason}")]
    BadOption {
        /// The option.
        option: String,
        /// What is wrong with its value.
        reason: String,
    },
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The index library failed while searching.
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Which documents a search returns and how many.
#[derive(Debug, Clone, Default)]
pub struct QueryConfig {
    /// Hits per page.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Only articles or only comments.
    pub kind: Option<String>,
    /// Only hits from this site (name or URL host, case-insensitive).
    pub site: Option<String>,
    /// Only hits by this author (whole name, case-insensitive).
    pub author: Option<String>,
    /// Only hits dated on or after this (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub since: Option<String>,
    /// Only hits dated on or before this.
    pub until: Option<String>,
    /// Every word required (no partial matches after the full ones).
    pub all: bool,
}

/// One hit: an article or a comment.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Rank, counting from `offset + 1`.
    pub rank: usize,
    /// BM25 score.
    pub score: f32,
    /// `article` or `comment`.
    pub kind: String,
    /// The page's path relative to the corpus root.
    pub page: String,
    /// The comment's position in its page, for comment hits.
    pub comment: Option<u64>,
    /// The page's title.
    pub title: Option<String>,
    /// The page's site.
    pub site: Option<String>,
    /// The page's URL.
    pub url: Option<String>,
    /// The comment's author for a comment hit, the article's otherwise.
    pub author: Option<String>,
    /// The hit's own date (ISO 8601).
    pub date: Option<String>,
    /// Text around the matches.
    pub snippet: String,
    /// Byte ranges of matched words in `snippet`.
    pub highlights: Vec<[usize; 2]>,
}

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// The hits of the page asked for, best first.
    pub hits: Vec<Hit>,
    /// Parts of the query that were read as text or dropped.
    pub ignored: Vec<String>,
}

/// Runs a query against an opened index.
///
/// # Errors
/// [`QueryError::BadOption`] for an unknown kind or a date that does not parse; tantivy errors
/// when the index cannot be read.
pub fn search(opened: &Opened, text: &str, config: &QueryConfig) -> Result<Results, QueryError> {
    let parsed = query::parse(text);
    let f = opened.fields;
    let reader = opened.reader()?;
    let searcher = reader.searcher();
    let analyzer = opened.index.tokenizer_for_field(f.body)?;
    let mut builder = Builder {
        f,
        analyzer,
        positive_terms: Vec::new(),
    };

    let filters = filters(&builder, &parsed, config)?;
    let excluded: Vec<Box<dyn Query>> = parsed
        .excluded
        .iter()
        .filter_map(|c| builder.clause(c))
        .collect();
    let positives: Vec<Box<dyn Query>> = parsed
        .clauses
        .iter()
        .filter_map(|c| builder.clause(c))
        .collect();
    builder.positive_terms = parsed
        .clauses
        .iter()
        .flat_map(|c| builder.clause_tokens(c))
        .collect();
    let wanted = config.offset + config.limit;

    let assemble = |occur: Occur, clauses: &[Box<dyn Query>]| -> Box<dyn Query> {
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if clauses.is_empty() {
            parts.push((Occur::Must, Box::new(AllQuery)));
        } else {
            let group: Vec<(Occur, Box<dyn Query>)> =
                clauses.iter().map(|c| (occur, c.box_clone())).collect();
            parts.push((Occur::Must, Box::new(BooleanQuery::new(group))));
        }
        for flt in &filters {
            parts.push((Occur::Must, flt.box_clone()));
        }
        for ex in &excluded {
            parts.push((Occur::MustNot, ex.box_clone()));
        }
        Box::new(BooleanQuery::new(parts))
    };

    if positives.is_empty() && !parsed.clauses.is_empty() {
        // Every word was dropped by the analyzer (only punctuation, say): nothing can match.
        return Ok(Results {
            hits: Vec::new(),
            ignored: parsed.ignored,
        });
    }
    let full = assemble(Occur::Must, &positives);
    let mut ranked = top(&searcher, &*full, wanted + TIE_MARGIN, &f)?;
    ranked.truncate(wanted);
    if ranked.len() < wanted && !config.all && positives.len() > 1 {
        let partial = assemble(Occur::Should, &positives);
        let have: std::collections::HashSet<DocAddress> = ranked.iter().map(|r| r.addr).collect();
        let more = top(&searcher, &*partial, wanted + have.len() + TIE_MARGIN, &f)?;
        ranked.extend(more.into_iter().filter(|r| !have.contains(&r.addr)));
        ranked.truncate(wanted);
    }
    let page: Vec<Ranked> = ranked.into_iter().skip(config.offset).collect();

    // Snippets from the text clauses only (filters and exclusions highlight nothing).
    let snippet_query: Box<dyn Query> = if positives.is_empty() {
        Box::new(EmptyQuery)
    } else {
        Box::new(BooleanQuery::new(
            positives
                .iter()
                .map(|c| (Occur::Should, c.box_clone()))
                .collect(),
        ))
    };
    let mut generator = SnippetGenerator::create(&searcher, &*snippet_query, f.body)?;
    generator.set_max_num_chars(SNIPPET_CHARS);
    let finder = term_finder(&builder.positive_terms);
    let mut hits = Vec::with_capacity(page.len());
    for (i, r) in page.into_iter().enumerate() {
        let doc: TantivyDocument = searcher.doc(r.addr)?;
        hits.push(make_hit(
            &f,
            &doc,
            &generator,
            finder.as_ref(),
            config.offset + i + 1,
            r.score,
        ));
    }
    Ok(Results {
        hits,
        ignored: parsed.ignored,
    })
}

/// A scored document with the keys ties are broken on.
struct Ranked {
    addr: DocAddress,
    score: Score,
    page: String,
    pos: u64,
}

/// The best `n` documents for a query, ties ordered by page path then position. The tie keys
/// come from fast fields (columns), not from the stored documents, which would have to be
/// decompressed block by block.
fn top(
    searcher: &Searcher,
    query: &dyn Query,
    n: usize,
    f: &Fields,
) -> Result<Vec<Ranked>, QueryError> {
    let found = searcher.search(query, &TopDocs::with_limit(n.max(1)))?;
    let mut out = Vec::with_capacity(found.len());
    let page_name = searcher.schema().get_field_name(f.page).to_string();
    let pos_name = searcher.schema().get_field_name(f.pos).to_string();
    for (score, addr) in found {
        let fast = searcher.segment_reader(addr.segment_ord).fast_fields();
        let pos = fast.u64(&pos_name)?.first(addr.doc_id).unwrap_or(0);
        let mut page = String::new();
        if let Some(col) = fast.str(&page_name)? {
            if let Some(ord) = col.term_ords(addr.doc_id).next() {
                col.ord_to_str(ord, &mut page)
                    .map_err(|e| QueryError::Tantivy(e.into()))?;
            }
        }
        out.push(Ranked {
            addr,
            score,
            page,
            pos,
        });
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.page.cmp(&b.page))
            .then_with(|| a.pos.cmp(&b.pos))
    });
    Ok(out)
}

fn text_of(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// A case-insensitive automaton for the query's terms, to find where in a long text the
/// snippet should come from.
fn term_finder(terms: &[String]) -> Option<aho_corasick::AhoCorasick> {
    if terms.is_empty() {
        return None;
    }
    aho_corasick::AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(terms)
        .ok()
}

/// Text around the first place a query term occurs: the snippet generator tokenizes all it is
/// given, and a reference page can hold hundreds of kilobytes of text.
fn snippet_window<'a>(body: &'a str, finder: Option<&aho_corasick::AhoCorasick>) -> &'a str {
    if body.len() <= SNIPPET_WINDOW_BYTES {
        return body;
    }
    let at = finder.and_then(|f| f.find(body)).map_or(0, |m| m.start());
    let mut start = at.saturating_sub(SNIPPET_WINDOW_BYTES / 4);
    while !body.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (start + SNIPPET_WINDOW_BYTES).min(body.len());
    while !body.is_char_boundary(end) {
        end += 1;
    }
    &body[start..end]
}

fn make_hit(
    f: &Fields,
    doc: &TantivyDocument,
    generator: &SnippetGenerator,
    finder: Option<&aho_corasick::AhoCorasick>,
    rank: usize,
    score: Score,
) -> Hit {
    let kind = text_of(doc, f.kind).unwrap_or_else(|| KIND_ARTICLE.into());
    let pos = doc.get_first(f.pos).and_then(|v| v.as_u64()).unwrap_or(0);
    let body = text_of(doc, f.body).unwrap_or_default();
    let snippet = generator.snippet(snippet_window(&body, finder));
    let (mut text, mut ranges) = (
        snippet.fragment().to_string(),
        snippet.highlighted().to_vec(),
    );
    if text.trim().is_empty() {
        // The match was in the title: show the opening of the text instead.
        text = body.chars().take(SNIPPET_CHARS).collect();
        ranges.clear();
    }
    let mut shift = 0;
    // Whether the snippet is the start or the end of the text: compare the first and last
    // words only (the text can be long, the snippet is short).
    let edge_words = |s: &str, from_end: bool| -> Vec<String> {
        let words = s.split_whitespace();
        let v: Vec<&str> = if from_end {
            let mut v: Vec<&str> = words.rev().take(EDGE_WORDS).collect();
            v.reverse();
            v
        } else {
            words.take(EDGE_WORDS).collect()
        };
        v.into_iter().map(str::to_string).collect()
    };
    let starts_body = edge_words(&body, false) == edge_words(&text, false);
    let ends_body = edge_words(&body, true) == edge_words(&text, true);
    if !starts_body {
        text.insert(0, '…');
        shift = '…'.len_utf8();
    }
    if !ends_body {
        text.push('…');
    }
    Hit {
        rank,
        score,
        kind: kind.clone(),
        page: text_of(doc, f.page).unwrap_or_default(),
        comment: (kind == KIND_COMMENT).then(|| pos.saturating_sub(1)),
        title: text_of(doc, f.page_title),
        site: text_of(doc, f.site),
        url: text_of(doc, f.url),
        author: text_of(doc, f.author),
        date: text_of(doc, f.date_text),
        snippet: text,
        highlights: ranges
            .iter()
            .map(|r| [r.start + shift, r.end + shift])
            .collect(),
    }
}

struct Builder {
    f: Fields,
    analyzer: tantivy::tokenizer::TextAnalyzer,
    /// Tokens of the positive clauses built so far (for placing snippets).
    positive_terms: Vec<String>,
}

impl Builder {
    /// The analyzed tokens of a clause (all alternatives of an OR).
    fn clause_tokens(&mut self, c: &Clause) -> Vec<String> {
        match c {
            Clause::Any(list) => list.iter().flat_map(|c| self.clause_tokens(c)).collect(),
            Clause::Word { text, .. } | Clause::Phrase { text, .. } => self.tokens(text),
        }
    }

    fn tokens(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = self.analyzer.token_stream(text);
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    /// A clause as a query over title (boosted) and body, or `None` when no token survives.
    fn clause(&mut self, c: &Clause) -> Option<Box<dyn Query>> {
        match c {
            Clause::Any(list) => {
                let parts: Vec<(Occur, Box<dyn Query>)> = list
                    .iter()
                    .filter_map(|c| self.clause(c))
                    .map(|q| (Occur::Should, q))
                    .collect();
                (!parts.is_empty()).then(|| Box::new(BooleanQuery::new(parts)) as Box<dyn Query>)
            }
            Clause::Word {
                text,
                scope,
                prefix,
            } => {
                let toks = self.tokens(text);
                if *prefix && toks.len() == 1 {
                    let pattern = format!("{}.*", regex_escape(&toks[0]));
                    return Some(self.per_field(*scope, |field| {
                        RegexQuery::from_pattern(&pattern, field)
                            .map(|q| Box::new(q) as Box<dyn Query>)
                            .unwrap_or_else(|_| Box::new(EmptyQuery))
                    }));
                }
                self.terms_query(toks, *scope)
            }
            Clause::Phrase { text, scope } => {
                let toks = self.tokens(text);
                self.terms_query(toks, *scope)
            }
        }
    }

    /// One token: a term query; several (a phrase, or a word the analyzer split): a phrase query.
    fn terms_query(&self, toks: Vec<String>, scope: Scope) -> Option<Box<dyn Query>> {
        if toks.is_empty() {
            return None;
        }
        Some(self.per_field(scope, |field| {
            if toks.len() == 1 {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, &toks[0]),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                Box::new(PhraseQuery::new(
                    toks.iter()
                        .map(|t| Term::from_field_text(field, t))
                        .collect(),
                ))
            }
        }))
    }

    fn per_field(&self, scope: Scope, make: impl Fn(Field) -> Box<dyn Query>) -> Box<dyn Query> {
        let title: Box<dyn Query> = Box::new(BoostQuery::new(make(self.f.title), TITLE_BOOST));
        match scope {
            Scope::Title => title,
            Scope::Any => Box::new(BooleanQuery::new(vec![
                (Occur::Should, title),
                (Occur::Should, make(self.f.body)),
            ])),
        }
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

/// Filters from options and from `kind:`/`site:`/`author:` in the query.
fn filters(
    b: &Builder,
    parsed: &Parsed,
    config: &QueryConfig,
) -> Result<Vec<Box<dyn Query>>, QueryError> {
    let f = b.f;
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    let exact = |field: Field, value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    };
    let mut kinds: Vec<String> = parsed.kinds.clone();
    kinds.extend(config.kind.clone());
    for k in &kinds {
        if k != KIND_ARTICLE && k != KIND_COMMENT {
            return Err(QueryError::BadOption {
                option: "kind".into(),
                reason: format!("`{k}` is not a kind; use article or comment"),
            });
        }
        out.push(exact(f.kind, k));
    }
    for s in parsed.sites.iter().chain(config.site.iter()) {
        out.push(exact(f.site_key, &schema::key_of(s)));
    }
    for a in parsed.authors.iter().chain(config.author.iter()) {
        out.push(exact(f.author_key, &schema::key_of(a)));
    }
    let since = config
        .since
        .as_deref()
        .map(|s| period("--since", s))
        .transpose()?;
    let until = config
        .until
        .as_deref()
        .map(|s| period("--until", s))
        .transpose()?;
    if since.is_some() || until.is_some() {
        let lower = since.map_or(Bound::Unbounded, |(start, _)| {
            Bound::Included(Term::from_field_date_for_search(f.date, start))
        });
        let upper = until.map_or(Bound::Unbounded, |(_, end)| {
            Bound::Excluded(Term::from_field_date_for_search(f.date, end))
        });
        out.push(Box::new(RangeQuery::new(lower, upper)));
    }
    Ok(out)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the half-open UTC interval it covers.
fn period(option: &str, s: &str) -> Result<(DateTime, DateTime), QueryError> {
    let bad = || QueryError::BadOption {
        option: option.into(),
        reason: format!("`{s}` is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"),
    };
    let parts: Vec<&str> = s.trim().split('-').collect();
    let num = |p: &str| -> Result<i32, QueryError> {
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        p.parse().map_err(|_| bad())
    };
    let (start, end) = match parts.as_slice() {
        [y] if y.len() == 4 => {
            let y = num(y)?;
            (
                NaiveDate::from_ymd_opt(y, 1, 1),
                NaiveDate::from_ymd_opt(y + 1, 1, 1),
            )
        }
        [y, m] if y.len() == 4 => {
            let (y, m) = (num(y)?, num(m)? as u32);
            let start = NaiveDate::from_ymd_opt(y, m, 1);
            (
                start,
                start.and_then(|d| d.checked_add_months(chrono::Months::new(1))),
            )
        }
        [y, m, d] if y.len() == 4 => {
            let start = NaiveDate::from_ymd_opt(num(y)?, num(m)? as u32, num(d)? as u32);
            (start, start.and_then(|d| d.succ_opt()))
        }
        _ => (None, None),
    };
    let (Some(start), Some(end)) = (start, end) else {
        return Err(bad());
    };
    let ts = |d: NaiveDate| {
        DateTime::from_timestamp_secs(
            d.and_hms_opt(0, 0, 0)
                .map_or(0, |t| t.and_utc().timestamp()),
        )
    };
    Ok((ts(start), ts(end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_cover_whole_years_months_and_days() {
        let (a, b) = period("--since", "2018").unwrap();
        assert_eq!(
            b.into_timestamp_secs() - a.into_timestamp_secs(),
            365 * 86400
        );
        let (a, b) = period("--since", "2018-02").unwrap();
        assert_eq!(
            b.into_timestamp_secs() - a.into_timestamp_secs(),
            28 * 86400
        );
        assert!(period("--since", "2018-02-30").is_err());
        assert!(period("--since", "March").is_err());
    }
}

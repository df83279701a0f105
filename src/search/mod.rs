//! Search: a query in, ranked hits out, each an article or a comment with a highlighted snippet.
//!
//! Owns query building, ranking and snippets over the index that `index` writes. It never walks
//! files or prints.
//!
//! Ranking (see `rank`): BM25 over title and body in the page's language, the title boosted,
//! plus a bonus for query words close together. Plain words rank "soft AND": hits that contain
//! every content word come first; when there are fewer of them than asked for, hits with some
//! of them follow, so a long question typed as a sentence still gets ranked answers. Ties are
//! broken by page path, then comment position, so paging is stable. A query that finds nothing
//! gets a "did you mean", and with `fuzzy` is run again with it.

pub mod bm25f;
pub mod query;
pub mod rank;
pub mod snippet;
pub mod suggest;

use std::collections::{HashMap, HashSet};
use std::ops::Bound;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, EmptyQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Term, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DateTime, DocAddress, Score, Searcher, TantivyDocument};
use thiserror::Error;

use crate::index::schema::{Fields, Kind};
use crate::index::{IndexError, Opened};
use crate::index::{analysis, story};
use query::{Clause, Parsed};

/// Fragments in an article hit's snippet unless asked otherwise: two sentences show how the
/// page uses the words, in more than one place when it does.
pub const ARTICLE_FRAGMENTS: usize = 2;

/// Fragments in a comment hit's snippet: comments are short, one sentence (or the whole
/// comment) says it.
pub const COMMENT_FRAGMENTS: usize = 1;

/// Most characters of one fragment: about two lines of a terminal.
const FRAGMENT_CHARS: usize = 160;

/// Words shorter than this get no "did you mean": one or two letters are near everything.
const MIN_SUGGEST_CHARS: usize = 3;

/// Unknown words of one query that "did you mean" looks at: each costs term-dictionary walks
/// and document reads, and a query with more unknown words than this is not a typo.
const MAX_SUGGEST_WORDS: usize = 8;

/// Candidate terms per unknown word whose spelling on the pages is read.
const SUGGEST_CANDIDATES: usize = 4;

/// Documents read to find how pages write a suggested stem.
const SURFACE_DOCS: usize = 3;

/// Bytes of a document scanned for that word.
const SURFACE_SCAN_BYTES: usize = 64 * 1024;

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
    pub kind: Option<Kind>,
    /// Only hits from a site whose name or host holds this (case and accents aside).
    pub site: Option<String>,
    /// Only hits by an author whose name holds these words, whole and in order.
    pub author: Option<String>,
    /// Only hits dated on or after this (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).
    pub since: Option<String>,
    /// Only hits dated on or before this.
    pub until: Option<String>,
    /// Every word required (no partial matches after the full ones).
    pub all: bool,
    /// Fragments per snippet (default: 2 for an article, 1 for a comment).
    pub snippets: Option<usize>,
    /// When nothing is found, search again with the suggested words.
    pub fuzzy: bool,
    /// Every copy of a story is its own hit (else one hit per story, [`Hit::duplicates`]).
    pub all_copies: bool,
    /// The order of hits: by relevance (the tiers), or newest first.
    pub sort: Sort,
    /// Spread one search over the rayon pool: the count beside the ranking, the stored
    /// documents and snippets of the hits side by side. For a process that answers many
    /// searches (the server), where the pool is already running; a one-query process pays more
    /// to start the pool's threads than it gains.
    pub parallel: bool,
    /// Count every match ([`Results::total`]); without it the total is known only when the
    /// matches fit in the page asked for (else it is `None`). Counting costs a pass over the
    /// loosest tier's postings.
    pub count: bool,
}

/// The order of hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best first: the tiers, each by BM25F and proximity.
    #[default]
    Relevance,
    /// Newest first by the hit's own date (a comment's time, an article's publication or
    /// capture date), among every match of the query; undated hits last.
    Date,
}

/// One hit: an article or a comment.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Rank, counting from `offset + 1`.
    pub rank: usize,
    /// BM25 score.
    pub score: f32,
    /// An article or a comment.
    pub kind: Kind,
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
    /// The other copies of this hit's story among the hits (their page keys), shown as this
    /// one hit: the newest capture stands for them ([`index::story`]). A comment's copies are
    /// the same comment (author, time and text) on another page.
    pub duplicates: Vec<String>,
}

/// What a search found.
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// The hits of the page asked for, best first.
    pub hits: Vec<Hit>,
    /// Parts of the query that were read as text or dropped.
    pub ignored: Vec<String>,
    /// When nothing was found: the query with its unknown words replaced by the nearest ones
    /// the index holds.
    pub suggestion: Option<String>,
    /// True when the hits are for `suggestion` (asked with `fuzzy`), not for the query typed.
    pub corrected: bool,
    /// Documents (articles and comments) the query matches with its filters, copies of a
    /// story counted each: the most hits paging can reach with `--all-copies`. `None` when not
    /// counted (see [`QueryConfig::count`]).
    pub total: Option<usize>,
    /// Of `total`, how many are articles; the rest are comments.
    pub articles: Option<usize>,
}

/// Runs a query against an opened index.
///
/// # Errors
/// [`QueryError::BadOption`] for an unknown kind or a date that does not parse; tantivy errors
/// when the index cannot be read, [`IndexError::Damaged`] (inside [`QueryError::Index`]) when
/// the index library panics on its files.
pub fn search(opened: &Opened, text: &str, config: &QueryConfig) -> Result<Results, QueryError> {
    let reader = opened.reader()?;
    search_in(opened, &reader.searcher(), text, config)
}

/// [`search`] with a searcher the caller keeps (a server holds one reader and reloads it after
/// each commit, rather than opening the index per query).
///
/// # Errors
/// As [`search`].
pub fn search_in(
    opened: &Opened,
    searcher: &Searcher,
    text: &str,
    config: &QueryConfig,
) -> Result<Results, QueryError> {
    // The index library can panic on damaged segment data while it scores: that is a damaged
    // index, said in one line, not a crash.
    crate::panics::catch(|| search_unguarded(opened, searcher, text, config))
        .unwrap_or_else(|panic| Err(QueryError::Index(opened.damaged(panic))))
}

fn search_unguarded(
    opened: &Opened,
    searcher: &Searcher,
    text: &str,
    config: &QueryConfig,
) -> Result<Results, QueryError> {
    let parsed = query::parse(text);
    let f = opened.fields;
    let filters = filters(opened, searcher, &f, &parsed, config)?;
    let mut results = run(searcher, f, &parsed, &filters, config)?;
    results.ignored = parsed.ignored.clone();
    if results.hits.is_empty()
        && let Some(better) = suggestion(searcher, f, &parsed, text, &filters)
    {
        if config.fuzzy {
            let reparsed = query::parse(&better);
            let mut again = run(searcher, f, &reparsed, &filters, config)?;
            again.ignored = results.ignored;
            again.corrected = !again.hits.is_empty();
            results = again;
        }
        results.suggestion = Some(better);
    }
    Ok(results)
}

/// Runs the tiers of a parsed query and cuts the snippets of the page of hits asked for.
fn run(
    searcher: &Searcher,
    f: Fields,
    parsed: &Parsed,
    filters: &[Box<dyn Query>],
    config: &QueryConfig,
) -> Result<Results, QueryError> {
    let mut builder = rank::Builder::new(searcher, f);
    // Stored documents read for feedback, kept for the hits: the best hits of the first pass
    // are mostly the hits shown.
    let mut docs: HashMap<DocAddress, TantivyDocument> = HashMap::new();
    let widen = builder.content_words(parsed) >= rank::FEEDBACK_MIN_WORDS;
    let mut plan = builder.plan(parsed, filters, config.all, &[]);
    // Every word was dropped by the analyzer, or everything typed was read as stray syntax
    // (`NOT`, `*`, `-` alone): nothing can match. A query of filters alone (`kind:comment`)
    // or of exclusions alone lists every page they allow.
    let only_stray = parsed.clauses.is_empty()
        && parsed.excluded.is_empty()
        && parsed.kinds.is_empty()
        && parsed.sites.is_empty()
        && parsed.authors.is_empty()
        && !parsed.ignored.is_empty();
    if !plan.has_text && !parsed.clauses.is_empty() || only_stray {
        return Ok(Results::default());
    }
    if widen && rank::FEEDBACK_WEIGHT > 0.0 {
        let first = ranked_tiers(searcher, &plan, rank::FEEDBACK_DOCS, &f)?;
        for r in &first {
            docs.insert(r.addr, searcher.doc(r.addr)?);
        }
        let top: Vec<(f32, &TantivyDocument)> = first
            .iter()
            .filter_map(|r| Some((r.score, docs.get(&r.addr)?)))
            .collect();
        let feedback = rank::feedback_terms(searcher, f, &top, &plan.matchers);
        if !feedback.is_empty() {
            plan = builder.plan(parsed, filters, config.all, &feedback);
        }
    }
    // No page of hits reaches past the documents there are: an offset or limit beyond them
    // (`--offset 18446744073709551615`) asks for no more than all of them.
    let held = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let wanted = config
        .offset
        .min(held)
        .saturating_add(config.limit.min(held));
    // Copies of a story rank near each other: a window past the page asked for finds them.
    let window = if config.all_copies {
        wanted
    } else {
        wanted.saturating_add(COPY_WINDOW)
    };
    let rank = || match (config.sort, plan.tiers.last()) {
        (Sort::Date, Some(loosest)) => newest(searcher, &**loosest, window),
        _ => ranked_tiers(searcher, &plan, window, &f),
    };
    // Each tier holds the ones before it (every word, then near words, then any word): the
    // last one's matches are all of the query's, counted without scores when asked for.
    let count = || -> Result<Option<(usize, usize)>, QueryError> {
        match plan.tiers.last() {
            Some(loosest) if config.count => Ok(Some(searcher.search(&**loosest, &KindCount)?)),
            _ => Ok(None),
        }
    };
    let (ranked, counted) = if config.parallel && config.count {
        let (ranked, counted) = rayon::join(rank, count);
        (ranked?, counted?)
    } else {
        let ranked = rank()?;
        // Fewer matches than the window: every tier was read to its end, and what was found
        // is all; no count is needed.
        let counted = if ranked.len() < window {
            None
        } else {
            count()?
        };
        (ranked, counted)
    };
    let exhaustive = ranked.len() < window;
    let fetch = |r: Ranked| -> Result<(Ranked, TantivyDocument), QueryError> {
        let doc = searcher.doc(r.addr)?;
        Ok((r, doc))
    };
    let found: Vec<(Ranked, TantivyDocument)> = if config.parallel {
        use rayon::prelude::*;
        // The ones read for feedback are taken as they are; the rest are read side by side,
        // in rank order still.
        let slots: Vec<(Ranked, Option<TantivyDocument>)> = ranked
            .into_iter()
            .map(|r| {
                let doc = docs.remove(&r.addr);
                (r, doc)
            })
            .collect();
        slots
            .into_par_iter()
            .map(|(r, doc)| match doc {
                Some(doc) => Ok((r, doc)),
                None => fetch(r),
            })
            .collect::<Result<Vec<_>, QueryError>>()?
    } else {
        let mut found = Vec::with_capacity(ranked.len());
        for r in ranked {
            match docs.remove(&r.addr) {
                Some(doc) => found.push((r, doc)),
                None => found.push(fetch(r)?),
            }
        }
        found
    };
    let (total, articles) = match counted {
        Some((t, a)) => (Some(t), Some(a)),
        None if exhaustive => (
            Some(found.len()),
            Some(
                found
                    .iter()
                    .filter(|(_, d)| kind_of(d, &f) == Kind::Article)
                    .count(),
            ),
        ),
        None => (None, None),
    };
    let stories = if config.all_copies {
        found.into_iter().map(|d| (d, Vec::new())).collect()
    } else {
        one_per_story(&f, found)
    };
    let page: Vec<_> = stories
        .into_iter()
        .skip(config.offset)
        .take(config.limit)
        .enumerate()
        .collect();
    // One analyzer per language a hit is in, per thread: building one costs a stemmer.
    let hit_of =
        |analyzers: &mut HashMap<usize, TextAnalyzer>,
         (i, ((r, doc), duplicates)): (usize, ((Ranked, TantivyDocument), Vec<String>))| {
            let l = analysis::lang_of_code(&text_of(&doc, f.lang).unwrap_or_default());
            let analyzer = analyzers.entry(l).or_insert_with(|| {
                let m = &plan.matchers[l];
                let terms = m.terms.iter().chain(&m.prefixes).map(String::as_str);
                analysis::finding_analyzer(l, terms)
            });
            let mut hit = make_hit(
                &f,
                &doc,
                analyzer,
                &plan.matchers[l],
                config,
                config.offset.saturating_add(i + 1),
                r.score,
            );
            hit.duplicates = duplicates;
            hit
        };
    let hits: Vec<Hit> = if config.parallel {
        use rayon::prelude::*;
        page.into_par_iter()
            .map_init(HashMap::new, hit_of)
            .collect()
    } else {
        let mut analyzers = HashMap::new();
        page.into_iter()
            .map(|p| hit_of(&mut analyzers, p))
            .collect()
    };
    Ok(Results {
        hits,
        total,
        articles,
        ..Results::default()
    })
}

/// Counts matches, and the articles among them (position 0 in the `pos` column), without
/// scoring them.
struct KindCount;

struct SegmentKindCount {
    pos: tantivy::columnar::Column<u64>,
    total: usize,
    articles: usize,
}

impl tantivy::collector::Collector for KindCount {
    type Fruit = (usize, usize);
    type Child = SegmentKindCount;

    fn for_segment(
        &self,
        _: tantivy::SegmentOrdinal,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentKindCount> {
        Ok(SegmentKindCount {
            pos: segment.fast_fields().u64("pos")?,
            total: 0,
            articles: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<(usize, usize)>) -> tantivy::Result<(usize, usize)> {
        Ok(fruits
            .into_iter()
            .fold((0, 0), |(t, a), (ft, fa)| (t + ft, a + fa)))
    }
}

impl tantivy::collector::SegmentCollector for SegmentKindCount {
    type Fruit = (usize, usize);

    fn collect(&mut self, doc: tantivy::DocId, _: Score) {
        self.total += 1;
        if self.pos.first(doc) == Some(0) {
            self.articles += 1;
        }
    }

    fn harvest(self) -> (usize, usize) {
        (self.total, self.articles)
    }
}

/// Hits past the page asked for that are looked at for copies of the page's stories.
const COPY_WINDOW: usize = 5;

/// One hit per story, in rank order: copies of one article ([`story::same_story`]) become the
/// hit of the newest capture among them, at the best rank and score any of them had; copies
/// of one comment (same author, time and text) become the first. Each comes with the keys of
/// the copies it stands for.
fn one_per_story(
    f: &Fields,
    found: Vec<(Ranked, TantivyDocument)>,
) -> Vec<((Ranked, TantivyDocument), Vec<String>)> {
    struct Story {
        url: Option<String>,
        sketch: Option<story::Sketch>,
        /// Comment copies: author, time and text.
        comment: Option<(Option<String>, Option<String>, String)>,
        members: Vec<usize>,
    }
    let mut stories: Vec<Story> = Vec::new();
    for (i, (_, doc)) in found.iter().enumerate() {
        if kind_of(doc, f) == Kind::Comment {
            let key = (
                text_of(doc, f.author),
                text_of(doc, f.date_text),
                text_of(doc, f.body).unwrap_or_default(),
            );
            match stories
                .iter_mut()
                .find(|s| s.comment.as_ref() == Some(&key))
            {
                Some(s) => s.members.push(i),
                None => stories.push(Story {
                    url: None,
                    sketch: None,
                    comment: Some(key),
                    members: vec![i],
                }),
            }
            continue;
        }
        let url = text_of(doc, f.url).as_deref().and_then(story::url_key);
        let sketch = text_of(doc, f.body).and_then(|b| story::Sketch::of(&b));
        let same = |s: &Story| {
            s.comment.is_none()
                && story::same_story(
                    (url.as_deref(), sketch.as_ref()),
                    (s.url.as_deref(), s.sketch.as_ref()),
                )
        };
        match stories.iter_mut().find(|s| same(s)) {
            Some(s) => s.members.push(i),
            None => stories.push(Story {
                url,
                sketch,
                comment: None,
                members: vec![i],
            }),
        }
    }
    let captured = |doc: &TantivyDocument| {
        text_of(doc, f.page_json)
            .and_then(|j| serde_json::from_str::<serde_json::Value>(&j).ok())
            .and_then(|v| v.get("captured")?.as_str().map(String::from))
    };
    let mut slots: Vec<Option<(Ranked, TantivyDocument)>> = found.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(stories.len());
    for s in stories {
        // The newest capture stands for the story (ISO stamps of one form sort as times);
        // among captures of one time, or none, the best ranked.
        let shown = if s.members.len() > 1 && s.comment.is_none() {
            let times: Vec<Option<String>> = s
                .members
                .iter()
                .map(|&m| slots[m].as_ref().and_then(|(_, d)| captured(d)))
                .collect();
            let newest = (0..s.members.len())
                .max_by(|&a, &b| times[a].cmp(&times[b]).then(b.cmp(&a)))
                .unwrap_or(0);
            s.members[newest]
        } else {
            s.members[0]
        };
        let best = s.members[0];
        let score = slots[best].as_ref().map(|(r, _)| r.score);
        let duplicates: Vec<String> = s
            .members
            .iter()
            .filter(|&&m| m != shown)
            .filter_map(|&m| {
                slots[m]
                    .as_ref()
                    .map(|(_, d)| text_of(d, f.page).unwrap_or_default())
            })
            .collect();
        if let Some((mut r, doc)) = slots[shown].take() {
            if let Some(score) = score {
                r.score = score;
            }
            out.push(((r, doc), duplicates));
        }
    }
    out
}

/// The newest `wanted` matches of a query (its loosest tier, which holds every match), by the
/// `date` column; a match with no date sorts after every dated one. Scores are not computed.
fn newest(
    searcher: &Searcher,
    query: &dyn Query,
    wanted: usize,
) -> Result<Vec<Ranked>, QueryError> {
    let by_date =
        TopDocs::with_limit(wanted.max(1)).custom_score(|segment: &tantivy::SegmentReader| {
            let dates = segment.fast_fields().date("date").ok();
            move |doc: tantivy::DocId| -> u64 {
                // Order-preserving: a signed time with its sign bit flipped; 0 is "no date".
                dates
                    .as_ref()
                    .and_then(|c| c.first(doc))
                    .map_or(0, |d| (d.into_timestamp_micros() as u64 ^ (1 << 63)).max(1))
            }
        });
    Ok(searcher
        .search(query, &by_date)?
        .into_iter()
        .map(|(_, addr)| Ranked {
            addr,
            score: 0.0,
            page: String::new(),
            pos: 0,
        })
        .collect())
}

/// The best `wanted` hits of a plan: each tier's hits after the tiers before it.
fn ranked_tiers(
    searcher: &Searcher,
    plan: &rank::Plan,
    wanted: usize,
    f: &Fields,
) -> Result<Vec<Ranked>, QueryError> {
    let mut ranked: Vec<Ranked> = Vec::new();
    let mut have: HashSet<DocAddress> = HashSet::new();
    for tier in &plan.tiers {
        if ranked.len() >= wanted {
            break;
        }
        let visible = wanted + have.len();
        let more = top(searcher, &**tier, visible, f)?;
        let before = ranked.len();
        ranked.extend(more.into_iter().filter(|r| !have.contains(&r.addr)));
        // Only this tier's hits past the page's end are dropped: earlier tiers rank first.
        ranked.truncate(wanted.max(before));
        have.extend(ranked[before..].iter().map(|r| r.addr));
    }
    ranked.truncate(wanted);
    Ok(ranked)
}

/// A scored document with the keys ties are broken on.
struct Ranked {
    addr: DocAddress,
    score: Score,
    page: String,
    pos: u64,
}

/// The best documents for a query, `visible` of them and [`TIE_MARGIN`] more, ties among the
/// first `visible` ordered by page path then position. The tie keys come from fast fields
/// (columns), not from the stored documents, which would have to be decompressed block by
/// block; and only for hits that share their score with another, since reading a path from its
/// column decompresses a dictionary block.
fn top(
    searcher: &Searcher,
    query: &dyn Query,
    visible: usize,
    f: &Fields,
) -> Result<Vec<Ranked>, QueryError> {
    let n = visible + TIE_MARGIN;
    let found = searcher.search(query, &TopDocs::with_limit(n.max(1)))?;
    let mut out: Vec<Ranked> = found
        .into_iter()
        .map(|(score, addr)| Ranked {
            addr,
            score,
            page: String::new(),
            pos: 0,
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    let same = |i: usize, j: usize| out[i].score.total_cmp(&out[j].score).is_eq();
    // Only a tie that starts among the first `visible` hits can change what is shown: the
    // keys of the others (read from a compressed column) are not needed.
    let mut start = 0;
    let tied: Vec<bool> = (0..out.len())
        .map(|i| {
            if i > 0 && !same(i - 1, i) {
                start = i;
            }
            let in_group = i > 0 && same(i - 1, i) || i + 1 < out.len() && same(i, i + 1);
            in_group && start < visible
        })
        .collect();
    if !tied.contains(&true) {
        return Ok(out);
    }
    let page_name = searcher.schema().get_field_name(f.page).to_string();
    let pos_name = searcher.schema().get_field_name(f.pos).to_string();
    for (r, _) in out.iter_mut().zip(&tied).filter(|(_, t)| **t) {
        let fast = searcher.segment_reader(r.addr.segment_ord).fast_fields();
        r.pos = fast.u64(&pos_name)?.first(r.addr.doc_id).unwrap_or(0);
        if let Some(col) = fast.str(&page_name)?
            && let Some(ord) = col.term_ords(r.addr.doc_id).next()
        {
            col.ord_to_str(ord, &mut r.page)
                .map_err(|e| QueryError::Tantivy(e.into()))?;
        }
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.page.cmp(&b.page))
            .then_with(|| a.pos.cmp(&b.pos))
    });
    Ok(out)
}

/// A stored document's kind (an article when the field is missing or unknown).
fn kind_of(doc: &TantivyDocument, f: &Fields) -> Kind {
    doc.get_first(f.kind)
        .and_then(|v| v.as_str())
        .and_then(Kind::parse)
        .unwrap_or(Kind::Article)
}

fn text_of(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn make_hit(
    f: &Fields,
    doc: &TantivyDocument,
    analyzer: &mut TextAnalyzer,
    matcher: &snippet::Matcher,
    config: &QueryConfig,
    rank: usize,
    score: Score,
) -> Hit {
    let kind = kind_of(doc, f);
    let pos = doc.get_first(f.pos).and_then(|v| v.as_u64()).unwrap_or(0);
    let body = text_of(doc, f.body).unwrap_or_default();
    let fragments = config.snippets.unwrap_or(if kind == Kind::Comment {
        COMMENT_FRAGMENTS
    } else {
        ARTICLE_FRAGMENTS
    });
    let snip = snippet::snippet(&body, analyzer, matcher, fragments, FRAGMENT_CHARS);
    Hit {
        rank,
        score,
        kind,
        page: text_of(doc, f.page).unwrap_or_default(),
        comment: (kind == Kind::Comment).then(|| pos.saturating_sub(1)),
        title: text_of(doc, f.page_title),
        site: text_of(doc, f.site),
        url: text_of(doc, f.url),
        author: text_of(doc, f.author),
        date: text_of(doc, f.date_text),
        snippet: snip.text,
        highlights: snip.highlights,
        duplicates: Vec::new(),
    }
}

/// "Did you mean": the query with each word the index does not hold replaced by the nearest
/// word its pages use, or `None` when there is nothing to offer.
///
/// Candidates are the index's terms near the word's own term, and, since the index holds
/// stems, terms near the starts of the word (see [`suggest::stem_terms`]). Each candidate is
/// judged by how the pages spell it: the fewest edits from the word as typed to that spelling,
/// then the most documents. A word with no candidate within [`suggest::edits_for`] edits is
/// left out of the suggestion, and a suggestion that finds nothing is not made. At most
/// [`MAX_SUGGEST_WORDS`] unknown words are looked at, so a pasted page costs no more than a
/// sentence.
fn suggestion(
    searcher: &Searcher,
    f: Fields,
    parsed: &Parsed,
    typed: &str,
    filters: &[Box<dyn Query>],
) -> Option<String> {
    let mut b = rank::Builder::new(searcher, f);
    let mut words: Vec<&str> = Vec::new();
    fn collect<'c>(c: &'c Clause, words: &mut Vec<&'c str>) {
        match c {
            Clause::Word {
                text,
                prefix: false,
                ..
            } => words.push(text),
            Clause::Any(list) | Clause::All(list) => list.iter().for_each(|c| collect(c, words)),
            _ => {}
        }
    }
    parsed.clauses.iter().for_each(|c| collect(c, &mut words));
    // The words worth a suggestion, and the term each makes per language; a query with more
    // unknown words than MAX_SUGGEST_WORDS is not a typo, and gets none.
    let mut unknown: Vec<(&str, Vec<(usize, String)>)> = Vec::new();
    for word in words {
        let chars = word.chars().count();
        if chars < MIN_SUGGEST_CHARS || word.chars().any(analysis::is_cjk) {
            continue;
        }
        if b.docs_holding(word) > 0 {
            continue;
        }
        if unknown.len() == MAX_SUGGEST_WORDS {
            return None;
        }
        let mut terms: Vec<(usize, String)> = Vec::new();
        for l in b.langs().to_vec() {
            if let [(term, _)] = b.terms(l, word).as_slice() {
                terms.push((l, term.clone()));
            }
        }
        unknown.push((word, terms));
    }
    if unknown.is_empty() {
        return None;
    }
    let mut out = typed.to_string();
    for (word, terms) in unknown {
        let chars = word.chars().count();
        let edits = suggest::edits_for(chars);
        let typed_lower = word.to_lowercase();
        // (edits from the word as typed to the pages' spelling, documents, spelling)
        let mut best: Option<(u8, u64, String)> = None;
        for (l, term) in &terms {
            let fields = [f.titles[*l], f.bodies[*l]];
            let near = suggest::nearest_first(
                suggest::near_terms(searcher, &fields, term, edits)
                    .unwrap_or_default()
                    .into_iter()
                    .chain(suggest::stem_terms(searcher, &fields, term, edits).unwrap_or_default()),
            );
            for n in near.into_iter().take(SUGGEST_CANDIDATES) {
                let Some(surface) = surface_form(searcher, f, *l, &n.term) else {
                    continue;
                };
                let d = suggest::edits_between(&typed_lower, &surface);
                if d == 0 || d > edits {
                    continue;
                }
                let key = (d, std::cmp::Reverse(n.docs));
                if best
                    .as_ref()
                    .is_none_or(|(od, odocs, _)| key < (*od, std::cmp::Reverse(*odocs)))
                {
                    best = Some((d, n.docs, surface));
                }
            }
        }
        out = match best {
            Some((_, _, surface)) => replace_word(&out, word, &surface),
            // Nothing near it in the index: no suggestion keeps it.
            None => replace_word(&out, word, ""),
        };
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.is_empty() {
        return None;
    }
    // A suggestion that finds nothing does not improve the query.
    let reparsed = query::parse(&out);
    let plan = rank::Builder::new(searcher, f).plan(&reparsed, filters, false, &[]);
    let found = plan.tiers.iter().any(|q| {
        searcher
            .search(&**q, &tantivy::collector::Count)
            .is_ok_and(|n| n > 0)
    });
    found.then_some(out)
}

/// A word as pages write it for an indexed term (a stem such as `receiv` becomes `receive`):
/// the first word of a document holding the term that analyses to it.
fn surface_form(searcher: &Searcher, f: Fields, lang: usize, term: &str) -> Option<String> {
    let q = TermQuery::new(
        Term::from_field_text(f.bodies[lang], term),
        IndexRecordOption::Basic,
    );
    let mut analyzer = analysis::finding_analyzer(lang, std::iter::once(term));
    for (_, addr) in searcher
        .search(&q, &TopDocs::with_limit(SURFACE_DOCS))
        .ok()?
    {
        let doc: TantivyDocument = searcher.doc(addr).ok()?;
        let body = text_of(&doc, f.body).unwrap_or_default();
        let scanned = &body[..snippet::floor_boundary(&body, SURFACE_SCAN_BYTES)];
        let found = analysis::terms(&mut analyzer, scanned)
            .into_iter()
            .find(|(t, _, _)| t == term);
        if let Some((_, _, r)) = found {
            return Some(body[r].to_lowercase());
        }
    }
    (lang == analysis::PLAIN).then(|| term.to_string())
}

/// The typed query with one word replaced (the first time it stands alone).
fn replace_word(query: &str, word: &str, with: &str) -> String {
    let mut from = 0;
    while let Some(i) = query[from..].find(word) {
        let at = from + i;
        let before = query[..at].chars().next_back();
        let after = query[at + word.len()..].chars().next();
        let alone = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if alone(before) && alone(after) {
            return format!("{}{}{}", &query[..at], with, &query[at + word.len()..]);
        }
        from = at + word.len();
    }
    query.to_string()
}

/// The stored names of a filter field (site or author keys) that a name typed by the user
/// stands for: for sites, every name or host that holds it (`guardian` finds `The Guardian`
/// and `www.theguardian.com`); for authors, every name that holds its words as whole words in
/// order (`krisher` and `Tom Krisher` find `Tom Krisher`). Case and accents do not count.
fn names_matching(
    opened: &Opened,
    searcher: &Searcher,
    field: Field,
    typed: &str,
    whole_words: bool,
) -> Result<Vec<String>, QueryError> {
    let want = analysis::fold_name(typed);
    let want_words: Vec<&str> = analysis::pieces(&want);
    let mut found = std::collections::BTreeSet::new();
    for segment in searcher.segment_readers() {
        let damaged = |e: &dyn std::fmt::Display| QueryError::Index(opened.damaged(e.to_string()));
        let inverted = segment.inverted_index(field).map_err(|e| damaged(&e))?;
        let mut stream = inverted.terms().stream().map_err(|e| damaged(&e))?;
        while let Some((key, _)) = stream.next() {
            let Ok(name) = std::str::from_utf8(key) else {
                continue;
            };
            // Whole words in order are also a substring: most names are ruled out before they
            // are split into words.
            let folded = analysis::fold_name(name);
            let hit = !want.is_empty()
                && folded.contains(&*want)
                && (!whole_words
                    || analysis::pieces(&folded)
                        .windows(want_words.len())
                        .any(|w| w == want_words.as_slice()));
            if hit {
                found.insert(name.to_string());
            }
        }
    }
    Ok(found.into_iter().collect())
}

/// Filters from options and from `kind:`/`site:`/`author:` in the query.
fn filters(
    opened: &Opened,
    searcher: &Searcher,
    f: &Fields,
    parsed: &Parsed,
    config: &QueryConfig,
) -> Result<Vec<Box<dyn Query>>, QueryError> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    let exact = |field: Field, value: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    };
    for k in &parsed.kinds {
        let Some(kind) = Kind::parse(k) else {
            return Err(QueryError::BadOption {
                option: format!("kind:{k}"),
                reason: "not a kind; use kind:article or kind:comment".into(),
            });
        };
        out.push(exact(f.kind, kind.as_str()));
    }
    if let Some(kind) = config.kind {
        out.push(exact(f.kind, kind.as_str()));
    }
    // Each typed name is one filter: any stored name it stands for.
    let any_of = |field: Field, names: Vec<String>| -> Box<dyn Query> {
        if names.is_empty() {
            return Box::new(EmptyQuery);
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = names
            .iter()
            .map(|n| (Occur::Should, exact(field, n)))
            .collect();
        Box::new(BooleanQuery::new(clauses))
    };
    for s in parsed.sites.iter().chain(config.site.iter()) {
        out.push(any_of(
            f.site_key,
            names_matching(opened, searcher, f.site_key, s, false)?,
        ));
    }
    for a in parsed.authors.iter().chain(config.author.iter()) {
        out.push(any_of(
            f.author_key,
            names_matching(opened, searcher, f.author_key, a, true)?,
        ));
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
    if let (Some((start, _)), Some((_, end))) = (since, until)
        && start >= end
    {
        return Err(QueryError::BadOption {
            option: "--since".into(),
            reason: format!(
                "{} is after --until {}: no date is in both",
                config.since.as_deref().unwrap_or("").trim(),
                config.until.as_deref().unwrap_or("").trim()
            ),
        });
    }
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
    let ts = |d: NaiveDate, is_end: bool| {
        crate::index::schema::date_bound(
            d.and_hms_opt(0, 0, 0)
                .map_or(0, |t| t.and_utc().timestamp()),
            is_end,
        )
    };
    Ok((ts(start, false), ts(end, true)))
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

//! BM25F: one score for a word over a page's title and body together.
//!
//! Owns the scoring of one query word across several fields of one language. The query and
//! rank modules decide which words and fields; this module only scores.
//!
//! Written by hand because tantivy scores each field with its own BM25 and adds the results:
//! a short title holding one query word then outranks a body that holds every word, since each
//! field saturates its term frequency separately and the title's short length inflates its
//! score. BM25F (Robertson, Zaragoza and Taylor, 2004) first adds a word's length-normalised,
//! weighted counts over the fields, then saturates that sum once with one idf, so a word is
//! counted once per page whether it stands in the title, the body or both.
//!
//! For a word `t` and a document `d`:
//! `tf~ = Σ_f w_f · tf(t, d, f) / (1 − b_f + b_f · len(d, f) / avglen_f)`,
//! `score = idf(t) · (k1 + 1) · tf~ / (k1 + tf~)`,
//! with `idf(t) = ln(1 + (N − df + 0.5) / (df + 0.5))`, `N` the documents of the language and
//! `df` the largest document frequency of `t` over the fields (as Lucene's combined-field query
//! takes it: a page with the word in its title nearly always has it in its body too).

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, Term};

/// Term-frequency saturation: how fast repeated occurrences of a word stop adding to a page's
/// score. Higher than the textbook 1.2 because the words are counted over title and body
/// together, so a page that names a word in its title and repeats it in the body should keep
/// gaining from that: on all three relevance collections 2.0 ranks above 1.2 and 1.6, and 2.5
/// to 3.0 rank alike (`bench/rank-quality.sh`).
pub const K1: Score = 2.0;

/// Length normalisation of the body: a long body has more words by chance, so its counts are
/// divided by its length relative to the average, three quarters of the way (the usual
/// BM25 value; 0.5 and 0.9 ranked worse on all three collections).
pub const B_BODY: Score = 0.75;

/// Length normalisation of the title: titles vary little in length and a long title is not
/// more likely to hold a word by chance, so it is normalised half as much as the body.
pub const B_TITLE: Score = 0.5;

/// A title occurrence counts this many body occurrences: the title names what the page is
/// about in a few words. Since the counts are added before saturation, a title word cannot
/// outweigh a body that holds every query word, as separate field scores let it.
pub const TITLE_WEIGHT: Score = 2.0;

/// One field a word is scored in, with its weight, length normalisation and average length.
#[derive(Debug, Clone, Copy)]
pub struct FieldWeight {
    /// The field.
    pub field: Field,
    /// How many body occurrences one occurrence here counts as.
    pub weight: Score,
    /// Length normalisation (0: none, 1: full).
    pub b: Score,
    /// Average length, in terms, of the documents that have the field.
    pub avg_len: Score,
}

/// Collection figures of one field: documents that have it, and the terms they hold in all.
#[derive(Debug, Clone, Copy, Default)]
pub struct FieldStats {
    /// Documents with at least one term in the field.
    pub docs: u64,
    /// Terms in the field over all documents.
    pub tokens: u64,
}

impl FieldStats {
    /// Counts a field over a searcher's segments: one byte read per document (its length
    /// code), done once per field a search touches.
    ///
    /// # Errors
    /// When the index's files cannot be read.
    pub fn of(searcher: &Searcher, field: Field) -> tantivy::Result<FieldStats> {
        let mut stats = FieldStats::default();
        for segment in searcher.segment_readers() {
            stats.tokens += segment.inverted_index(field)?.total_num_tokens();
            let norms = segment.get_fieldnorms_reader(field)?;
            stats.docs += (0..segment.max_doc())
                .filter(|&d| norms.fieldnorm_id(d) != 0)
                .count() as u64;
        }
        Ok(stats)
    }

    /// The average length of the documents that have the field (1 when none does).
    pub fn avg_len(&self) -> Score {
        if self.docs == 0 {
            1.0
        } else {
            (self.tokens as Score / self.docs as Score).max(1.0)
        }
    }
}

/// One analysed query term scored by BM25F over several fields of one language.
#[derive(Debug, Clone)]
pub struct Bm25fQuery {
    /// The term's text (already analysed).
    term: String,
    /// The fields and their weights.
    fields: Vec<FieldWeight>,
    /// Documents of the language: the `N` of the idf.
    docs: u64,
}

impl Bm25fQuery {
    /// A query for an analysed term over `fields`, in a language that `docs` documents have.
    pub fn new(term: &str, fields: Vec<FieldWeight>, docs: u64) -> Self {
        Bm25fQuery {
            term: term.to_string(),
            fields,
            docs,
        }
    }

    fn terms(&self) -> impl Iterator<Item = (Term, &FieldWeight)> {
        self.fields
            .iter()
            .map(|fw| (Term::from_field_text(fw.field, &self.term), fw))
    }
}

impl Query for Bm25fQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let idf = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => {
                let mut df = 0;
                for (term, _) in self.terms() {
                    df = df.max(statistics_provider.doc_freq(&term)?);
                }
                let n = self.docs.max(df);
                let x = ((n - df) as Score + 0.5) / (df as Score + 0.5);
                (1.0 + x).ln()
            }
            EnableScoring::Disabled { .. } => 1.0,
        };
        Ok(Box::new(Bm25fWeight {
            query: self.clone(),
            weight: idf * (K1 + 1.0),
        }))
    }
}

struct Bm25fWeight {
    query: Bm25fQuery,
    /// `idf · (k1 + 1)`.
    weight: Score,
}

impl Bm25fWeight {
    fn scorer_of(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Bm25fScorer> {
        let mut parts = Vec::with_capacity(self.query.fields.len());
        for (term, fw) in self.query.terms() {
            let Some(postings) = reader
                .inverted_index(fw.field)?
                .read_postings(&term, IndexRecordOption::WithFreqs)?
            else {
                continue;
            };
            let norms = reader.get_fieldnorms_reader(fw.field)?;
            let mut per_norm = [0.0; 256];
            for (id, slot) in per_norm.iter_mut().enumerate() {
                let len = FieldNormReader::id_to_fieldnorm(id as u8) as Score;
                *slot = fw.weight / (1.0 - fw.b + fw.b * len / fw.avg_len);
            }
            parts.push(Part {
                postings,
                norms,
                per_norm,
            });
        }
        let doc = parts
            .iter()
            .map(|p| p.postings.doc())
            .min()
            .unwrap_or(TERMINATED);
        Ok(Bm25fScorer {
            parts,
            doc,
            weight: self.weight * boost,
        })
    }
}

impl Weight for Bm25fWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let scorer = self.scorer_of(reader, boost)?;
        if scorer.parts.is_empty() {
            return Ok(Box::new(EmptyScorer));
        }
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer_of(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document #({doc}) does not match"
            )));
        }
        let mut e = Explanation::new("BM25F", scorer.score());
        e.add_const("idf · (k1 + 1)", self.weight);
        e.add_const("weighted, length-normalised term frequency", scorer.tf());
        Ok(e)
    }
}

/// One field's postings of the term and what an occurrence there is worth by length.
struct Part {
    postings: SegmentPostings,
    norms: FieldNormReader,
    /// `w_f / (1 − b_f + b_f · len / avglen_f)` for each length code.
    per_norm: [Score; 256],
}

/// The union of a term's postings in its fields, scored by BM25F.
struct Bm25fScorer {
    parts: Vec<Part>,
    doc: DocId,
    weight: Score,
}

impl Bm25fScorer {
    /// The weighted, length-normalised term frequency of the current document.
    fn tf(&self) -> Score {
        self.parts
            .iter()
            .filter(|p| p.postings.doc() == self.doc)
            .map(|p| {
                p.postings.term_freq() as Score
                    * p.per_norm[usize::from(p.norms.fieldnorm_id(self.doc))]
            })
            .sum()
    }

    fn settle(&mut self) -> DocId {
        self.doc = self
            .parts
            .iter()
            .map(|p| p.postings.doc())
            .min()
            .unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for Bm25fScorer {
    fn advance(&mut self) -> DocId {
        let doc = self.doc;
        for p in &mut self.parts {
            if p.postings.doc() == doc {
                p.postings.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        for p in &mut self.parts {
            if p.postings.doc() < target {
                p.postings.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.parts.iter().map(|p| p.postings.size_hint()).sum()
    }
}

impl Scorer for Bm25fScorer {
    fn score(&mut self) -> Score {
        let tf = self.tf();
        self.weight * tf / (K1 + tf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{Index, TantivyDocument};

    /// An index of (title, body) pairs, and a query for `word` over both fields.
    fn setup(docs: &[(&str, &str)], word: &str) -> (Searcher, Bm25fQuery) {
        let mut b = Schema::builder();
        let title = b.add_text_field("title", TEXT);
        let body = b.add_text_field("body", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (t, x) in docs {
            let mut d = TantivyDocument::default();
            d.add_text(title, t);
            d.add_text(body, x);
            writer.add_document(d).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let field = |field, weight, b| FieldWeight {
            field,
            weight,
            b,
            avg_len: FieldStats::of(&searcher, field).unwrap().avg_len(),
        };
        let fields = vec![
            field(title, TITLE_WEIGHT, B_TITLE),
            field(body, 1.0, B_BODY),
        ];
        let q = Bm25fQuery::new(word, fields, docs.len() as u64);
        (searcher, q)
    }

    fn scores(searcher: &Searcher, q: &Bm25fQuery) -> Vec<(u32, Score)> {
        let mut hits: Vec<(u32, Score)> = searcher
            .search(q, &TopDocs::with_limit(100))
            .unwrap()
            .into_iter()
            .map(|(s, a)| (a.doc_id, s))
            .collect();
        hits.sort_by_key(|h| h.0);
        hits
    }

    #[test]
    fn a_word_in_title_and_body_is_counted_once_and_saturates_once() {
        let filler = "other words stand here to give the body a length";
        let docs = [
            ("heat", filler),                         // title only
            ("notes", &*format!("heat {filler}")),    // body only
            ("heat", &*format!("heat {filler}")),     // both
            ("notes", filler),                        // neither
            ("heat heat heat", &*"heat ".repeat(10)), // very many
        ];
        let (searcher, q) = setup(&docs, "heat");
        let hits = scores(&searcher, &q);
        let ids: Vec<u32> = hits.iter().map(|h| h.0).collect();
        assert_eq!(
            ids,
            [0, 1, 2, 4],
            "every document with the word, in either field"
        );
        let score = |d: u32| hits.iter().find(|h| h.0 == d).unwrap().1;
        // Both fields rank above either alone, but below their sum: one saturation.
        assert!(score(2) > score(0) && score(2) > score(1));
        assert!(score(2) < score(0) + score(1));
        // A title occurrence is worth more than a body occurrence.
        assert!(score(0) > score(1));
        // No count of occurrences passes idf · (k1 + 1), with the df of the field where the
        // word is most common (three documents each).
        let n = docs.len() as Score;
        let idf = (1.0 + (n - 3.0 + 0.5) / (3.0 + 0.5)).ln();
        assert!(score(4) < idf * (K1 + 1.0));
        assert!(score(4) > score(2));
    }

    #[test]
    fn seeking_and_explaining_follow_the_union_of_fields() {
        let docs = [
            ("a", "x"),
            ("wing", "x"),
            ("b", "x"),
            ("c", "wing x"),
            ("wing", "wing"),
        ];
        let (searcher, q) = setup(&docs, "wing");
        let segment = searcher.segment_reader(0);
        let weight = q
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let mut scorer = weight.scorer(segment, 1.0).unwrap();
        assert_eq!(scorer.doc(), 1);
        assert_eq!(scorer.seek(2), 3);
        assert_eq!(scorer.advance(), 4);
        assert_eq!(scorer.advance(), TERMINATED);
        assert!(weight.explain(segment, 0).is_err());
        let e = weight.explain(segment, 4).unwrap();
        assert!(e.value() > 0.0);
        // A word no field holds matches nothing.
        let (searcher, q) = setup(&docs, "absent");
        assert!(scores(&searcher, &q).is_empty());
    }
}

//! The index's fields and analyzers: the contract between `index` (which writes documents) and
//! `search` (which queries them). Every field name and tokenizer choice lives here.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, SchemaBuilder,
    TextFieldIndexing, TextOptions,
};
use tantivy::{DateTime, Index, TantivyDocument};

use super::analysis::{self, LANGS};
use crate::ingest::{Page, Stamp};

/// How many analyses (languages) there are: each has its own title and body field.
pub const LANG_COUNT: usize = LANGS.len();

/// What an indexed document is: a page's article, or one of its comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The page's article: title, byline, body.
    Article,
    /// One reader comment.
    Comment,
}

impl Kind {
    /// The name the index stores and queries use (`kind:comment`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Comment => "comment",
        }
    }

    /// The kind a name stands for (`article`, `comment`, any case).
    pub fn parse(name: &str) -> Option<Kind> {
        [Kind::Article, Kind::Comment]
            .into_iter()
            .find(|k| name.eq_ignore_ascii_case(k.as_str()))
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fields, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Page path relative to the corpus root: every document of a page carries it, so a page's
    /// documents are replaced or removed with one term.
    pub page: Field,
    /// `article` or `comment`.
    pub kind: Field,
    /// 0 for the article, 1 + the comment's position for a comment: ties are broken on it.
    pub pos: Field,
    /// The page's title, analysed in the page's language (one field per analysis), on the
    /// article document only: a comment does not match its page's title words. Each language
    /// has its own field so that terms, document frequencies and lengths of one language's
    /// stems never mix with another's, and a query is analysed once per language present.
    pub titles: [Field; LANG_COUNT],
    /// The page's title as stored text, on every document (for display).
    pub page_title: Field,
    /// The article body, or the comment text, as stored text (for display and snippets).
    pub body: Field,
    /// The same text analysed in the page's language (one field per analysis, like `titles`).
    pub bodies: [Field; LANG_COUNT],
    /// The code of the analysis the document's text went through ([`analysis::LANGS`]).
    pub lang: Field,
    /// The page's site name (stored).
    pub site: Field,
    /// Lower-cased site name and URL host, for `--site` and `site:` (exact terms).
    pub site_key: Field,
    /// The page's URL (stored).
    pub url: Field,
    /// The article's author, or the comment's (stored).
    pub author: Field,
    /// Lower-cased author name, for `--author` and `author:` (exact term).
    pub author_key: Field,
    /// The hit's own date as ISO text (stored, for display).
    pub date_text: Field,
    /// The hit's own date (indexed, for `--since` / `--until`).
    pub date: Field,
    /// The page model as JSON without its texts (those are in `body` of the page's documents),
    /// on the article document only: `thresh show` rebuilds the page from it.
    pub page_json: Field,
}

/// Builds the schema.
pub fn build() -> (Schema, Fields) {
    let mut b = SchemaBuilder::new();
    let analysed = |lang: usize| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(&analysis::analyzer_name(lang))
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let titles =
        std::array::from_fn(|l| b.add_text_field(&format!("title_{}", LANGS[l].code), analysed(l)));
    let bodies =
        std::array::from_fn(|l| b.add_text_field(&format!("body_{}", LANGS[l].code), analysed(l)));
    let fields = Fields {
        page: b.add_text_field("page", STRING | STORED | FAST),
        kind: b.add_text_field("kind", STRING | STORED),
        pos: b.add_u64_field("pos", STORED | FAST | INDEXED),
        titles,
        page_title: b.add_text_field("page_title", STORED),
        body: b.add_text_field("body", STORED),
        bodies,
        lang: b.add_text_field("lang", STRING | STORED),
        site: b.add_text_field("site", STORED),
        site_key: b.add_text_field("site_key", STRING),
        url: b.add_text_field("url", STORED),
        author: b.add_text_field("author", STORED),
        author_key: b.add_text_field("author_key", STRING),
        date_text: b.add_text_field("date_text", STORED),
        date: b.add_date_field("date", INDEXED | FAST),
        page_json: b.add_text_field("page_json", STORED),
    };
    (b.build(), fields)
}

/// Resolves the fields of an opened index, which must have this schema.
pub fn fields_of(schema: &Schema) -> Option<Fields> {
    let f = |name: &str| schema.get_field(name).ok();
    let per_lang = |prefix: &str| -> Option<[Field; LANG_COUNT]> {
        let v: Vec<Field> = LANGS
            .iter()
            .map(|l| f(&format!("{prefix}_{}", l.code)))
            .collect::<Option<_>>()?;
        v.try_into().ok()
    };
    Some(Fields {
        page: f("page")?,
        kind: f("kind")?,
        pos: f("pos")?,
        titles: per_lang("title")?,
        page_title: f("page_title")?,
        body: f("body")?,
        bodies: per_lang("body")?,
        lang: f("lang")?,
        site: f("site")?,
        site_key: f("site_key")?,
        url: f("url")?,
        author: f("author")?,
        author_key: f("author_key")?,
        date_text: f("date_text")?,
        date: f("date")?,
        page_json: f("page_json")?,
    })
}

/// Registers the analyzers the schema names. Must be called on every opened index.
pub fn register_analyzers(index: &Index) {
    for l in 0..LANG_COUNT {
        index
            .tokenizers()
            .register(&analysis::analyzer_name(l), analysis::analyzer(l, true));
    }
}

/// The lower-cased key a name is filtered by.
pub fn key_of(name: &str) -> String {
    name.trim().to_lowercase()
}

fn to_datetime(s: &Stamp) -> DateTime {
    let date = s.date();
    let time = s.time().unwrap_or(chrono::NaiveTime::MIN);
    let naive = chrono::NaiveDateTime::new(date, time);
    let secs = naive.and_utc().timestamp() - i64::from(s.offset_secs().unwrap_or(0));
    date_value(secs)
}

/// Seconds since the epoch as an index date. Tantivy keeps dates as nanoseconds in an `i64`
/// (years 1677 to 2262) and does not check the multiplication, so seconds outside that range
/// are clamped to its ends first: a page dated 1500 sorts before every real date and a filter
/// `--until 9999` after every one, instead of wrapping around. A document's date stays one
/// second inside the range, so that a bound clamped to its end ([`date_bound`]) still takes it.
pub fn date_value(secs: i64) -> DateTime {
    DateTime::from_timestamp_secs(secs.clamp(-DATE_LIMIT_SECS + 1, DATE_LIMIT_SECS - 1))
}

/// Seconds since the epoch as a bound of a date filter, clamped like [`date_value`]: an
/// included start past the range's end still takes a document clamped there, and an excluded
/// end before its start still takes one clamped there.
pub fn date_bound(secs: i64, is_end: bool) -> DateTime {
    let (low, high) = if is_end {
        (-DATE_LIMIT_SECS + 2, DATE_LIMIT_SECS)
    } else {
        (-DATE_LIMIT_SECS, DATE_LIMIT_SECS - 1)
    };
    DateTime::from_timestamp_secs(secs.clamp(low, high))
}

/// The largest whole number of seconds tantivy's nanosecond dates hold.
const DATE_LIMIT_SECS: i64 = i64::MAX / 1_000_000_000;

/// The documents of a page: its article, then each comment, all carrying the page's path,
/// title, site and URL.
pub fn documents(f: &Fields, rel_path: &str, page: &Page) -> Vec<TantivyDocument> {
    let mut docs = Vec::with_capacity(1 + page.comments.len());
    let lang = analysis::lang_index(page.lang.as_deref());
    let common = |doc: &mut TantivyDocument| {
        doc.add_text(f.page, rel_path);
        doc.add_text(f.lang, LANGS[lang].code);
        if let Some(t) = &page.title {
            doc.add_text(f.page_title, t);
        }
        if let Some(s) = &page.site {
            doc.add_text(f.site, s);
            doc.add_text(f.site_key, key_of(s));
        }
        if let Some(u) = &page.url {
            doc.add_text(f.url, u);
            if let Some(h) = crate::ingest::input::host_of(u) {
                doc.add_text(f.site_key, h.trim_start_matches("www."));
                doc.add_text(f.site_key, h);
            }
        }
    };
    let dated = |doc: &mut TantivyDocument, stamp: Option<&Stamp>| {
        if let Some(s) = stamp {
            doc.add_text(f.date_text, s.to_string());
            doc.add_date(f.date, to_datetime(s));
        }
    };
    let mut article = TantivyDocument::default();
    common(&mut article);
    article.add_text(f.kind, Kind::Article.as_str());
    if let Some(t) = &page.title {
        article.add_text(f.titles[lang], t);
    }
    article.add_u64(f.pos, 0);
    article.add_text(f.body, &page.body);
    article.add_text(f.bodies[lang], &page.body);
    if let Some(a) = &page.author {
        article.add_text(f.author, a);
        article.add_text(f.author_key, key_of(a));
    }
    dated(
        &mut article,
        page.published.as_ref().or(page.captured.as_ref()),
    );
    // The texts are stored once, in `body`; the skeleton carries the rest of the page model.
    let mut stored = page.clone();
    stored.path = rel_path.to_string();
    stored.body.clear();
    stored.comments.iter_mut().for_each(|c| c.text.clear());
    if let Ok(json) = serde_json::to_string(&stored) {
        article.add_text(f.page_json, json);
    }
    docs.push(article);
    for (i, c) in page.comments.iter().enumerate() {
        let mut doc = TantivyDocument::default();
        common(&mut doc);
        doc.add_text(f.kind, Kind::Comment.as_str());
        doc.add_u64(f.pos, i as u64 + 1);
        doc.add_text(f.body, &c.text);
        doc.add_text(f.bodies[lang], &c.text);
        if let Some(a) = &c.author {
            doc.add_text(f.author, a);
            doc.add_text(f.author_key, key_of(a));
        }
        dated(&mut doc, c.posted.as_ref());
        docs.push(doc);
    }
    docs
}

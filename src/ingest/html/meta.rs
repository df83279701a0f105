//! Page metadata: title, site, url, author, dates and language, from `<head>`, JSON-LD and the
//! browser's saved-from note.
//!
//! Owns reading metadata; the body and comments are left to `html`, `text` and `comments`.

use serde_json::Value;

use crate::ingest::dates::Stamp;
use crate::ingest::input::notes::{saved_from_note, singlefile_note};
use crate::ingest::language::lang_attr;
use crate::ingest::lines::split_title_site;
use crate::ingest::markup::{DOCUMENT, Dom, NodeData, NodeId};
use crate::ingest::page::Page;

/// Metadata found in the markup, before the body is chosen.
#[derive(Debug, Default)]
pub struct HtmlMeta {
    /// `<title>` text.
    pub title_tag: Option<String>,
    /// `og:title`, `twitter:title` or JSON-LD `headline`.
    pub og_title: Option<String>,
    /// Site name from `og:site_name`, `application-name` or JSON-LD `publisher`.
    pub site: Option<String>,
    /// Canonical link, `og:url`, or the saved-from note.
    pub url: Option<String>,
    /// Author from meta tags or JSON-LD.
    pub author: Option<String>,
    /// Publication date from meta tags or JSON-LD.
    pub published: Option<Stamp>,
    /// The `lang` of `<html>` (or a content-language meta).
    pub lang: Option<String>,
    /// The distinct JSON-LD `articleBody` texts of the page's articles.
    pub article_bodies: Vec<String>,
    /// The distinct summaries in `description`, `og:description` and `twitter:description`.
    pub descriptions: Vec<String>,
    /// When the page was saved, from a saving tool's note (SingleFile's `saved date:`).
    pub captured: Option<Stamp>,
}

impl HtmlMeta {
    /// The JSON-LD `articleBody`, when the page describes exactly one article body.
    pub fn article_body(&mut self) -> Option<String> {
        if self.article_bodies.len() == 1 {
            self.article_bodies.pop()
        } else {
            None
        }
    }
}

/// Meta `name`/`property` values that hold the publication date, in order of trust.
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publish-date",
    "publish_date",
    "published_time",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "published-date",
    "release_date",
    "og:article:published_time",
    "citation_publication_date",
    "originalpublicationdate",
];

/// Meta `name`/`property` values that hold the author.
const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "twitter:creator",
    "citation_author",
    "og:article:author",
];

/// What the head scan has found so far, beyond the fields of [`HtmlMeta`].
struct HeadScan {
    meta: HtmlMeta,
    /// Rank in [`DATE_KEYS`] of the key the date came from (`usize::MAX`: none yet).
    date_rank: usize,
    canonical: Option<String>,
    og_url: Option<String>,
}

impl HeadScan {
    fn new() -> HeadScan {
        HeadScan {
            meta: HtmlMeta::default(),
            date_rank: usize::MAX,
            canonical: None,
            og_url: None,
        }
    }
}

/// Reads `<head>` metadata, JSON-LD blocks and the saved-from note.
///
/// Also the `meta`, `link` and `title` elements that sit directly in `<body>`: a stray element
/// early in the head (a tracking pixel, a `div`) makes the parser start the body there, as a
/// browser does, and the rest of the head's elements land in the body, in order. Deeper in the
/// body a `meta` is microdata of some part of the page (a comment's date), not the page's own.
pub fn read_html_meta(dom: &Dom, json_ld: &[String]) -> HtmlMeta {
    let mut scan = HeadScan::new();
    let mut moved = HeadScan::new();
    let mut saved_from: Option<String> = None;
    let mut saved: Option<Stamp> = None;
    let mut iter = dom.descendants(DOCUMENT);
    while let Some(n) = iter.next() {
        match &dom.nodes[n].data {
            NodeData::Comment(c) if saved_from.is_none() => {
                if let Some(note) = singlefile_note(c) {
                    saved_from = note.url;
                    saved = note.saved;
                } else {
                    saved_from = saved_from_note(c);
                }
            }
            NodeData::Element { .. } if dom.tag(n) == "body" => {
                for child in dom.children(n) {
                    read_head_element(dom, child, &mut moved);
                }
                iter.skip_children_of(n);
            }
            NodeData::Element { .. } => read_head_element(dom, n, &mut scan),
            _ => {}
        }
    }
    // What stayed in the head wins; the moved elements fill what it lacks. A title moved into
    // the body counts only when the head has none (a plugin's stray tags name the site).
    let (mut m, b) = (scan.meta, moved.meta);
    if m.title_tag.is_none() && m.og_title.is_none() {
        m.title_tag = b.title_tag;
        m.og_title = b.og_title;
    }
    m.site = m.site.or(b.site);
    m.author = m.author.or(b.author);
    m.published = m.published.or(b.published);
    m.lang = m.lang.or(b.lang);
    if m.descriptions.is_empty() {
        m.descriptions = b.descriptions;
    }
    scan.canonical = scan.canonical.or(moved.canonical);
    scan.og_url = scan.og_url.or(moved.og_url);
    for block in json_ld {
        if let Ok(v) = serde_json::from_str::<Value>(block.trim()) {
            read_json_ld(&v, &mut m, 0);
        }
    }
    m.url = scan.canonical.or(scan.og_url).or(saved_from);
    m.captured = saved;
    m
}

/// One element of the head: the document's language, title, canonical link or a meta tag.
fn read_head_element(dom: &Dom, n: NodeId, scan: &mut HeadScan) {
    let m = &mut scan.meta;
    match dom.tag(n) {
        "html" => {
            m.lang = dom
                .attr(n, "lang")
                .or_else(|| dom.attr(n, "xml:lang"))
                .and_then(lang_attr);
        }
        "title" if m.title_tag.is_none() => {
            let t = dom.text(n);
            if !t.is_empty() {
                m.title_tag = Some(t);
            }
        }
        "link" => {
            let rel = dom.attr(n, "rel").unwrap_or("").to_ascii_lowercase();
            if rel.split_whitespace().any(|r| r == "canonical") {
                scan.canonical = dom
                    .attr(n, "href")
                    .filter(|h| h.starts_with("http"))
                    .map(str::to_string);
            }
        }
        "meta" => {
            let key = dom
                .attr(n, "property")
                .or_else(|| dom.attr(n, "name"))
                .or_else(|| dom.attr(n, "itemprop"))
                .or_else(|| dom.attr(n, "http-equiv"))
                .unwrap_or("")
                .to_ascii_lowercase();
            let Some(value) = dom
                .attr(n, "content")
                .map(str::trim)
                .filter(|v| !v.is_empty())
            else {
                return;
            };
            match key.as_str() {
                "og:title" | "twitter:title" if m.og_title.is_none() => {
                    m.og_title = Some(value.to_string())
                }
                "og:site_name" | "application-name" if m.site.is_none() => {
                    m.site = Some(value.to_string())
                }
                "og:url" => scan.og_url = Some(value.to_string()),
                "description" | "og:description" | "twitter:description"
                    if !m.descriptions.iter().any(|d| d == value) =>
                {
                    m.descriptions.push(value.to_string())
                }
                "content-language" if m.lang.is_none() => m.lang = lang_attr(value),
                _ => {}
            }
            if let Some(rank) = DATE_KEYS.iter().position(|k| *k == key)
                && rank < scan.date_rank
                && let Some(s) = Stamp::find(value)
            {
                m.published = Some(s);
                scan.date_rank = rank;
            }
            if m.author.is_none() && AUTHOR_KEYS.contains(&key.as_str()) && is_person_name(value) {
                m.author = Some(value.trim_start_matches('@').to_string());
            }
        }
        _ => {}
    }
}

/// An author value that names a person (not a URL or a profile link).
fn is_person_name(v: &str) -> bool {
    !v.starts_with("http")
        && !v.contains('/')
        && v.chars().count() <= 100
        && v.chars().any(char::is_alphabetic)
}

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "BlogPosting",
    "Report",
    "ScholarlyArticle",
    "TechArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ReportageNewsArticle",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "DiscussionForumPosting",
    "WebPage",
    "ItemPage",
    "Review",
    "Recipe",
];

fn read_json_ld(v: &Value, m: &mut HtmlMeta, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => items.iter().for_each(|i| read_json_ld(i, m, depth + 1)),
        Value::Object(o) => {
            if let Some(g) = o.get("@graph") {
                read_json_ld(g, m, depth + 1);
            }
            let types: Vec<&str> = match o.get("@type") {
                Some(Value::String(s)) => vec![s.as_str()],
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !types.iter().any(|t| ARTICLE_TYPES.contains(t)) {
                return;
            }
            let is_page = types.iter().all(|t| *t == "WebPage" || *t == "ItemPage");
            if m.og_title.is_none()
                && !is_page
                && let Some(h) = o.get("headline").and_then(Value::as_str)
            {
                m.og_title = Some(h.trim().to_string());
            }
            if let Some(d) = o
                .get("datePublished")
                .and_then(Value::as_str)
                .and_then(Stamp::find)
                && (m.published.is_none() || !is_page)
            {
                m.published = Some(d);
            }
            if m.author.is_none() {
                m.author = o.get("author").and_then(person_name);
            }
            if m.site.is_none() {
                m.site = o
                    .get("publisher")
                    .and_then(|p| p.get("name"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
            }
            if let Some(b) = o.get("articleBody").and_then(Value::as_str) {
                let b = b.trim();
                if !is_page && !b.is_empty() && !m.article_bodies.iter().any(|x| x == b) {
                    m.article_bodies.push(b.to_string());
                }
            }
            if m.lang.is_none() {
                m.lang = o
                    .get("inLanguage")
                    .and_then(Value::as_str)
                    .and_then(lang_attr);
            }
        }
        _ => {}
    }
}

fn person_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if is_person_name(s) => Some(s.trim().to_string()),
        Value::Object(o) => o.get("name").and_then(person_name),
        Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(person_name).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}

/// Fills the page's metadata fields from what the markup said, choosing the title.
pub fn apply(meta: HtmlMeta, page: &mut Page) {
    let (tag_title, tag_site) = meta
        .title_tag
        .as_deref()
        .map(split_title_site)
        .map_or((None, None), |(t, s)| (Some(t), s));
    let og = meta.og_title.as_deref().map(split_title_site);
    // og:title is written for sharing and rarely carries the site; prefer it, but strip a
    // suffix that names the site.
    page.title = match og {
        Some((t, Some(s)))
            if meta.site.as_deref() == Some(s.as_str())
                || tag_site.as_deref() == Some(s.as_str()) =>
        {
            Some(t)
        }
        Some((_, _)) => meta.og_title.clone(),
        None => tag_title,
    };
    page.site = meta.site.or(tag_site);
    page.url = meta.url;
    page.author = meta.author;
    page.published = meta.published;
    page.lang = meta.lang;
    if page.captured.is_none() {
        page.captured = meta.captured;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_suffix_is_the_site() {
        assert_eq!(
            split_title_site(
                "BTS' Jin to drop theme song for K-drama 'Jirisan' on Nov. 7 | ABS-CBN"
            ),
            (
                "BTS' Jin to drop theme song for K-drama 'Jirisan' on Nov. 7".into(),
                Some("ABS-CBN".into())
            )
        );
        assert_eq!(split_title_site("Mini BTS Round-Up Post: OST").1, None);
        assert_eq!(
            split_title_site("Daily Star - Floods close roads across the north of the county").1,
            Some("Daily Star".into())
        );
    }

    #[test]
    fn one_article_body_is_the_pages_and_two_are_nobodys() {
        let one = vec![r#"{"@type":"NewsArticle","articleBody":"All of it."}"#.to_string()];
        let mut m = read_html_meta(&Dom::parse("<p>x</p>"), &one);
        assert_eq!(m.article_body().as_deref(), Some("All of it."));
        let two = vec![
            r#"[{"@type":"BlogPosting","articleBody":"One."},{"@type":"BlogPosting","articleBody":"Two."}]"#.to_string(),
        ];
        assert_eq!(
            read_html_meta(&Dom::parse("<p>x</p>"), &two).article_body(),
            None
        );
        let page = vec![r#"{"@type":"WebPage","articleBody":"The page."}"#.to_string()];
        assert_eq!(
            read_html_meta(&Dom::parse("<p>x</p>"), &page).article_body(),
            None
        );
    }

    #[test]
    fn head_elements_the_parser_moved_into_the_body_still_count() {
        // The tracking pixel starts the body; the head's other elements follow it there.
        let html = r#"<html><head><img src="pixel.gif"><title>Harbour plan approved</title>
            <meta property="og:title" content="The harbour plan is approved">
            <link rel="canonical" href="https://example.com/harbour">
            <meta name="author" content="Ana Ruiz"></head>
            <body><article><p>The council approved the plan.</p>
            <div class="comment"><meta itemprop="datePublished" content="2019-11-20">
            <meta itemprop="author" content="Bo"></div></article></body></html>"#;
        let dom = Dom::parse(html);
        let body = dom.find_tag("body").unwrap();
        assert!(dom.children(body).any(|c| dom.tag(c) == "meta"));
        let m = read_html_meta(&dom, &[]);
        assert_eq!(m.og_title.as_deref(), Some("The harbour plan is approved"));
        assert_eq!(m.title_tag.as_deref(), Some("Harbour plan approved"));
        assert_eq!(m.url.as_deref(), Some("https://example.com/harbour"));
        assert_eq!(m.author.as_deref(), Some("Ana Ruiz"));
        // A comment's microdata is not the page's date.
        assert_eq!(m.published, None);
    }

    #[test]
    fn reads_head_and_json_ld() {
        let html = r#"<!-- saved from url=(0030)https://example.com/a/story -->
            <html lang="en-GB"><head><title>Story | Example</title>
            <meta property="og:site_name" content="Example News">
            <meta property="article:published_time" content="2021-11-03T08:00:00+00:00">
            <meta name="description" content="What happened.">
            <meta property="og:description" content="What happened.">
            <meta name="twitter:description" content="What happened, in short.">
            </head><body><p>x</p></body></html>"#;
        let ld = vec![r#"{"@context":"https://schema.org","@type":"NewsArticle","headline":"Story","author":[{"@type":"Person","name":"Ann Lee"}]}"#.to_string()];
        let m = read_html_meta(&Dom::parse(html), &ld);
        assert_eq!(m.lang.as_deref(), Some("en"));
        assert_eq!(m.site.as_deref(), Some("Example News"));
        assert_eq!(m.url.as_deref(), Some("https://example.com/a/story"));
        assert_eq!(m.author.as_deref(), Some("Ann Lee"));
        assert_eq!(m.published.unwrap().to_string(), "2021-11-03T08:00:00Z");
        assert_eq!(
            m.descriptions,
            ["What happened.", "What happened, in short."]
        );
    }
}

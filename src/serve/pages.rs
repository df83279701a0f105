//! The web UI's pages, rendered with maud: every `(value)` in a template is HTML-escaped, so
//! page text (titles, snippets, names, URLs) can never become markup.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use super::{Counts, Params, encode_component};
use crate::index::schema::Kind;
use crate::ingest::Page;
use crate::search::{Hit, Results};

pub(super) const STYLE: &str = include_str!("style.css");
pub(super) const SCRIPT: &str = include_str!("app.js");

/// Only the server's own style and script, no inline script, no frames, forms to itself.
const POLICY: &str = "default-src 'none'; style-src 'self'; script-src 'self'; \
                      connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; \
                      frame-ancestors 'none'";

fn respond(status: StatusCode, body: Markup) -> Response {
    guarded((status, body).into_response(), POLICY)
}

/// A response under a content security policy, with no type sniffing and no referrer sent
/// onward (the address of a search names what was searched for).
pub(super) fn guarded(mut r: Response, policy: &'static str) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · thresh" }
                link rel="stylesheet" href="/style.css";
                script src="/app.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/" { "thresh" }
                }
                main { (body) }
            }
        }
    }
}

pub(super) fn error(status: StatusCode, message: &str) -> Response {
    let body = html! {
        h1 { (status.as_u16()) " " (status.canonical_reason().unwrap_or("")) }
        p.error { (message) }
        p { a href="/" { "Search" } }
    };
    respond(status, layout("error", body))
}

/// An `http`/`https` URL, the only kind a page's own URL is linked as.
fn web_url(url: &str) -> Option<&str> {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(url)
}

/// The snippet as text and marked matches.
fn snippet(hit: &Hit) -> Markup {
    let s = &hit.snippet;
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut at = 0;
    for &[a, b] in &hit.highlights {
        if a < at || b > s.len() || !s.is_char_boundary(a) || !s.is_char_boundary(b) {
            continue;
        }
        parts.push((false, &s[at..a]));
        parts.push((true, &s[a..b]));
        at = b;
    }
    parts.push((false, &s[at..]));
    html! {
        @for (marked, text) in parts {
            @if marked { mark { (text) } } @else { (text) }
        }
    }
}

fn search_form(p: &Params) -> Markup {
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    html! {
        form.search method="get" action="/" role="search" {
            input #q type="search" name="q" value=(p.query()) placeholder="Search articles and comments"
                autofocus aria-label="Query";
            button type="submit" { "Search" }
            details.filters open[[&p.site, &p.author, &p.since, &p.until, &p.sort].iter().any(|v| super::given(v).is_some())] {
                summary { "Filters" }
                @if let Some(k) = super::given(&p.kind) { input type="hidden" name="kind" value=(k); }
                @let by_date = super::given(&p.sort).as_deref() == Some("date");
                label { "Order "
                    select name="sort" {
                        option value="relevance" selected[!by_date] { "best first" }
                        option value="date" selected[by_date] { "newest first" }
                    }
                }
                label { "Site " input type="text" name="site" value=(v(&p.site)) placeholder="part of a name or host"; }
                label { "Author " input type="text" name="author" value=(v(&p.author)) placeholder="whole words"; }
                label { "Since " input type="text" name="since" value=(v(&p.since)) placeholder="YYYY-MM-DD" size="10"; }
                label { "Until " input type="text" name="until" value=(v(&p.until)) placeholder="YYYY-MM-DD" size="10"; }
            }
        }
    }
}

fn kind_links(p: &Params, counts: &Counts) -> Markup {
    let current = super::given(&p.kind).and_then(|k| Kind::parse(&k));
    let count = |n: Option<usize>| n.map(|n| format!(" ({n})")).unwrap_or_default();
    let items = [
        (None, "All", counts.all),
        (Some(Kind::Article), "Articles", counts.articles),
        (Some(Kind::Comment), "Comments", counts.comments),
    ];
    html! {
        nav.kinds aria-label="Kind" {
            @for (kind, label, n) in items {
                @if kind == current {
                    span.current { (label) (count(n)) }
                } @else {
                    a href=(p.url(0, Some(kind))) { (label) (count(n)) }
                }
            }
        }
    }
}

fn hit_item(hit: &Hit) -> Markup {
    let key = encode_component(&hit.page);
    let view = match hit.comment {
        Some(n) => format!("/page?key={key}#c{n}"),
        None => format!("/page?key={key}"),
    };
    let title = hit.title.clone().unwrap_or_else(|| hit.page.clone());
    let date = hit.date.as_deref().map(|d| d.get(..10).unwrap_or(d));
    html! {
        li.hit.(hit.kind.as_str()) {
            div.head {
                span.badge { (hit.kind.as_str()) }
                @if hit.kind == Kind::Comment {
                    a.title href=(view) {
                        "comment by " (hit.author.as_deref().unwrap_or("anonymous"))
                    }
                    span.on { " on “" (title) "”" }
                } @else {
                    a.title href=(view) { (title) }
                }
            }
            div.meta {
                @if let Some(site) = &hit.site { span.site { (site) } }
                @if hit.kind == Kind::Article {
                    @if let Some(a) = &hit.author { span.author { (a) } }
                }
                @if let Some(d) = date { span.date { (d) } }
                span.path { (hit.page) }
            }
            p.snippet { (snippet(hit)) }
            @if !hit.duplicates.is_empty() {
                p.copies { "also saved as " (hit.duplicates.join(", ")) }
            }
        }
    }
}

pub(super) fn search(
    p: &Params,
    results: Option<&Results>,
    counts: &Counts,
    message: &str,
) -> Response {
    let q = p.query();
    let body = html! {
        (search_form(p))
        section #results {
            @if !message.is_empty() {
                p.error { (message) }
            }
            @if let Some(r) = results {
                (kind_links(p, counts))
                @if let Some(s) = &r.suggestion {
                    p.suggest { "Did you mean " a href=(format!("/?q={}", encode_component(s))) { (s) } "?" }
                }
                @if r.hits.is_empty() {
                    p.none { "No hits for " q { (q) } "." }
                } @else {
                    @let total = r.total.unwrap_or(0);
                    p.total {
                        (total) @if total == 1 { " hit" } @else { " hits" } " · showing "
                        (r.hits[0].rank) "–" (r.hits[r.hits.len() - 1].rank)
                    }
                    ol.hits start=(r.hits[0].rank) {
                        @for hit in &r.hits { (hit_item(hit)) }
                    }
                    nav.pager aria-label="Pages" {
                        @let offset = p.offset.unwrap_or(0);
                        @if offset > 0 {
                            a rel="prev" href=(p.url(offset.saturating_sub(super::PAGE_SIZE), None)) { "← Previous" }
                        }
                        @if r.hits.len() == super::PAGE_SIZE && offset.saturating_add(super::PAGE_SIZE) < total {
                            a rel="next" href=(p.url(offset.saturating_add(super::PAGE_SIZE), None)) { "Next →" }
                        }
                    }
                }
            }
        }
    };
    let title = if q.is_empty() {
        "search".to_string()
    } else {
        q
    };
    respond(StatusCode::OK, layout(&title, body))
}

fn paragraphs(text: &str) -> Markup {
    html! {
        @for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p {
                @for (i, line) in para.lines().enumerate() {
                    @if i > 0 { br; }
                    (line)
                }
            }
        }
    }
}

pub(super) fn page(key: &str, page: &Page) -> Response {
    let title = page.title.clone().unwrap_or_else(|| key.to_string());
    let file = format!("/file?key={}", encode_component(key));
    let body = html! {
        article.page {
            h1 { (title) }
            dl.meta {
                @if let Some(s) = &page.site { dt { "Site" } dd { (s) } }
                @if let Some(a) = &page.author { dt { "Author" } dd { (a) } }
                @if let Some(d) = &page.published { dt { "Published" } dd { (d.to_string()) } }
                @if let Some(d) = &page.captured { dt { "Saved" } dd { (d.to_string()) } }
                @if let Some(l) = &page.lang { dt { "Language" } dd { (l) } }
                dt { "File" } dd { a href=(file) { (key) } }
                @if let Some(u) = &page.url {
                    dt { "Original" }
                    dd {
                        @if let Some(u) = web_url(u) { a href=(u) rel="noreferrer noopener" { (u) } }
                        @else { (u) }
                    }
                }
            }
            div.body { (paragraphs(&page.body)) }
        }
        @if !page.comments.is_empty() {
            section.comments {
                h2 { (page.comments.len()) " comments" }
                ol.thread {
                    @for (i, c) in page.comments.iter().enumerate() {
                        li.comment id=(format!("c{i}")) data-depth=(c.depth.unwrap_or(0).min(8)) {
                            div.head {
                                span.author { (c.author.as_deref().unwrap_or("anonymous")) }
                                @if let Some(t) = &c.posted { " · " time { (t.to_string()) } }
                                @if let Some(t) = &c.edited { " · edited " (t.to_string()) }
                                " · " a.anchor href=(format!("#c{i}")) { "#" (i) }
                            }
                            div.text { (paragraphs(&c.text)) }
                        }
                    }
                }
            }
        }
    };
    respond(StatusCode::OK, layout(&title, body))
}

//! `thresh serve`: the same search over HTTP, as web pages rendered on the server (they work
//! without scripts; every result page has its own URL) and as a JSON API.
//!
//! - `GET /?q=…&kind=…&site=…&author=…&since=…&until=…&offset=…`: the search page;
//! - `GET /page?key=K`: one page, its article and comment thread;
//! - `GET /file?key=K`: the saved file itself, sandboxed;
//! - `GET /api/search?…&limit=…` and `GET /api/page?key=K`: JSON.
//!
//! One index reader is opened at start and reloaded after each commit (by a watcher in this
//! process, or by tantivy noticing another process's commit), so a query costs only its search.
//! Page text is hostile: every piece goes through the template engine's escaping, links are
//! only followed for `http` and `https` URLs, a strict content security policy forbids any
//! script but the server's own, and saved files are served in a sandbox of their own.

mod pages;

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};

use crate::index::{self, IndexError, Opened, schema::Kind};
use crate::search::{self, Hit, QueryConfig, QueryError, Results};

/// Hits on one result page of the web UI.
pub const PAGE_SIZE: usize = 10;

/// Most hits one API call returns.
pub const MAX_LIMIT: usize = 100;

/// Longest query text accepted (characters); a longer one is a 400.
pub const MAX_QUERY_CHARS: usize = 2_000;

/// What the server holds for every request.
struct Shared {
    opened: Opened,
    reader: tantivy::IndexReader,
    /// The corpus folder, links resolved: no saved file is served from outside it.
    corpus: PathBuf,
}

/// A running server's handle for its caller: reload after a commit.
#[derive(Clone)]
pub struct Reloader(Arc<Shared>);

impl Reloader {
    /// Makes the last commit visible to the next request.
    pub fn reload(&self) {
        let _ = self.0.reader.reload();
    }
}

/// Serves the index `opened` on `addr` until `stop` is set. `ready` is told the address bound
/// (port 0 picks a free one) and a [`Reloader`].
///
/// # Errors
/// The address cannot be bound, or the index cannot be read.
pub fn serve(
    opened: Opened,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    ready: impl FnOnce(SocketAddr, Reloader),
) -> anyhow::Result<()> {
    let reader = opened
        .index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::OnCommitWithDelay)
        .try_into()
        .map_err(|e: tantivy::TantivyError| opened.damaged(e.to_string()))?;
    let corpus = std::fs::canonicalize(&opened.corpus).unwrap_or_else(|_| opened.corpus.clone());
    let shared = Arc::new(Shared {
        opened,
        reader,
        corpus,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // Searches run on the blocking pool; a burst of requests waits for a thread rather
        // than starting hundreds, each with a search's memory.
        .max_blocking_threads(8)
        .thread_name("thresh-serve")
        .enable_io()
        .enable_time()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        let bound = listener.local_addr()?;
        ready(bound, Reloader(shared.clone()));
        axum::serve(listener, router(shared))
            .with_graceful_shutdown(async move {
                while !stop.load(Ordering::Relaxed) {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
            .await?;
        Ok(())
    })
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(search_page))
        .route("/page", get(page_view))
        .route("/file", get(saved_file))
        .route("/api/search", get(api_search))
        .route("/api/page", get(api_page))
        .route(
            "/style.css",
            get(|| async { asset("text/css", pages::STYLE) }),
        )
        .route(
            "/app.js",
            get(|| async { asset("text/javascript", pages::SCRIPT) }),
        )
        .fallback(|| async { pages::error(StatusCode::NOT_FOUND, "no such page") })
        .with_state(shared)
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        body,
    )
        .into_response()
}

/// A search's parameters, as the form and the API send them. Empty values are absent.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    q: Option<String>,
    kind: Option<String>,
    site: Option<String>,
    author: Option<String>,
    since: Option<String>,
    until: Option<String>,
    offset: Option<usize>,
    limit: Option<usize>,
    sort: Option<String>,
}

fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// A request that cannot be answered as asked: a 4xx with a message.
struct BadRequest(String);

impl Params {
    fn query(&self) -> String {
        given(&self.q).unwrap_or_default()
    }

    fn config(&self, limit: usize) -> Result<QueryConfig, BadRequest> {
        let kind = match given(&self.kind) {
            None => None,
            Some(k) => Some(Kind::parse(&k).ok_or_else(|| {
                BadRequest(format!("kind={k}: not a kind; use article or comment"))
            })?),
        };
        let sort = match given(&self.sort).as_deref() {
            None | Some("relevance") => search::Sort::Relevance,
            Some("date") => search::Sort::Date,
            Some(other) => {
                return Err(BadRequest(format!(
                    "sort={other}: not an order; use relevance or date"
                )));
            }
        };
        if self.query().chars().count() > MAX_QUERY_CHARS {
            return Err(BadRequest(format!(
                "the query is longer than {MAX_QUERY_CHARS} characters"
            )));
        }
        Ok(QueryConfig {
            limit,
            offset: self.offset.unwrap_or(0),
            kind,
            site: given(&self.site),
            author: given(&self.author),
            since: given(&self.since),
            until: given(&self.until),
            sort,
            count: true,
            parallel: true,
            ..QueryConfig::default()
        })
    }

    /// The URL of this search with another offset or kind.
    fn url(&self, offset: usize, kind: Option<Option<Kind>>) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("q", self.query())];
        let kind = match kind {
            Some(k) => k.map(|k| k.as_str().to_string()),
            None => given(&self.kind),
        };
        if let Some(k) = kind {
            pairs.push(("kind", k));
        }
        for (name, v) in [
            ("sort", &self.sort),
            ("site", &self.site),
            ("author", &self.author),
            ("since", &self.since),
            ("until", &self.until),
        ] {
            if let Some(v) = given(v) {
                pairs.push((name, v));
            }
        }
        if offset > 0 {
            pairs.push(("offset", offset.to_string()));
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode_component(v)))
            .collect();
        format!("/?{}", query.join("&"))
    }
}

/// Percent-encodes a URL query value (everything but unreserved characters).
fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Runs a search on the blocking pool (it is CPU work), with the server's reader.
async fn run_search(
    shared: Arc<Shared>,
    text: String,
    config: QueryConfig,
) -> Result<Results, QueryError> {
    tokio::task::spawn_blocking(move || {
        let searcher = shared.reader.searcher();
        search::search_in(&shared.opened, &searcher, &text, &config)
    })
    .await
    .unwrap_or_else(|e| {
        Err(QueryError::BadOption {
            option: "query".into(),
            reason: format!("internal error: {e}"),
        })
    })
}

/// A search error as a status: the request's fault (a bad date, kind or filter) or the
/// index's.
fn status_of(e: &QueryError) -> StatusCode {
    match e {
        QueryError::BadOption { .. } => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What the search page shows besides the hits.
pub(crate) struct Counts {
    all: Option<usize>,
    articles: Option<usize>,
    comments: Option<usize>,
}

async fn search_page(
    State(shared): State<Arc<Shared>>,
    params: Result<Query<Params>, QueryRejection>,
) -> Response {
    let Ok(Query(params)) = params else {
        return pages::error(StatusCode::BAD_REQUEST, "malformed search parameters");
    };
    let text = params.query();
    if text.is_empty() {
        return pages::search(&params, None, &Counts::none(), "").into_response();
    }
    let config = match params.config(PAGE_SIZE) {
        Ok(c) => c,
        Err(BadRequest(m)) => return pages::search(&params, None, &Counts::none(), &m),
    };
    let results = match run_search(shared.clone(), text.clone(), config.clone()).await {
        Ok(r) => r,
        Err(e) => {
            let status = status_of(&e);
            let mut page = pages::search(&params, None, &Counts::none(), &e.to_string());
            *page.status_mut() = status;
            return page;
        }
    };
    // The kind links show both counts: a search narrowed to one kind asks once more, for a
    // count of all.
    let counts = if config.kind.is_none() {
        Counts::of(&results)
    } else {
        let wide = QueryConfig {
            kind: None,
            limit: 1,
            offset: 0,
            ..config
        };
        match run_search(shared.clone(), text, wide).await {
            Ok(all) => Counts::of(&all),
            Err(_) => Counts::none(),
        }
    };
    pages::search(&params, Some(&results), &counts, "")
}

impl Counts {
    fn none() -> Counts {
        Counts {
            all: None,
            articles: None,
            comments: None,
        }
    }

    fn of(r: &Results) -> Counts {
        Counts {
            all: r.total,
            articles: r.articles,
            comments: r.total.zip(r.articles).map(|(t, a)| t - a),
        }
    }
}

/// The key of a page, as the request gives it.
#[derive(Debug, Deserialize)]
pub struct KeyParam {
    key: Option<String>,
}

async fn find_page(
    shared: &Arc<Shared>,
    key: &str,
) -> Result<Option<crate::ingest::Page>, IndexError> {
    let shared = shared.clone();
    let key = key.to_string();
    tokio::task::spawn_blocking(move || {
        let searcher = shared.reader.searcher();
        shared.opened.first_page_in(&searcher, &[&key])
    })
    .await
    .unwrap_or_else(|e| {
        Err(IndexError::Damaged {
            dir: PathBuf::new(),
            reason: e.to_string(),
        })
    })
}

/// The `key` a request names, when it names one.
fn key_of(params: Result<Query<KeyParam>, QueryRejection>) -> Option<String> {
    params.ok().and_then(|Query(p)| p.key)
}

async fn page_view(
    State(shared): State<Arc<Shared>>,
    params: Result<Query<KeyParam>, QueryRejection>,
) -> Response {
    let Some(key) = key_of(params) else {
        return pages::error(StatusCode::BAD_REQUEST, "no page key given (?key=…)");
    };
    match find_page(&shared, &key).await {
        Ok(Some(page)) => pages::page(&key, &page),
        Ok(None) => pages::error(StatusCode::NOT_FOUND, "no such page in the index"),
        Err(e) => pages::error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// The saved file of an indexed page: only a key the index holds, only a path inside the
/// corpus (after links are resolved), served under a sandbox policy so that the page's own
/// scripts never run in this server's origin.
async fn saved_file(
    State(shared): State<Arc<Shared>>,
    params: Result<Query<KeyParam>, QueryRejection>,
) -> Response {
    let Some(key) = key_of(params) else {
        return pages::error(StatusCode::BAD_REQUEST, "no page key given (?key=…)");
    };
    let Some(path) = corpus_path(&shared.corpus, &key) else {
        return pages::error(StatusCode::BAD_REQUEST, "not a path inside the corpus");
    };
    match find_page(&shared, &key).await {
        Ok(Some(_)) => {}
        Ok(None) => return pages::error(StatusCode::NOT_FOUND, "no such page in the index"),
        Err(e) => return pages::error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
    let bytes = tokio::task::spawn_blocking(move || {
        let real = std::fs::canonicalize(&path).ok()?;
        if !real.starts_with(&shared.corpus) {
            return None;
        }
        index::read_capped(&real, MAX_FILE_BYTES, None).ok()
    })
    .await
    .ok()
    .flatten();
    let Some(bytes) = bytes else {
        return pages::error(StatusCode::NOT_FOUND, "the saved file cannot be read");
    };
    let kind = content_type(Path::new(&key));
    let mut response = pages::guarded((StatusCode::OK, bytes).into_response(), "sandbox");
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if kind == "application/octet-stream" {
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment"),
        );
    }
    response
}

/// Largest saved file served whole.
const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// The file a page key names in the corpus, when it is a plain relative path: no `..`, no
/// root, no drive; `None` otherwise.
fn corpus_path(corpus: &Path, key: &str) -> Option<PathBuf> {
    let rel = index::keys::decode(key)?;
    let plain = rel.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && !rel.as_os_str().is_empty()).then(|| corpus.join(rel))
}

fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm" | "xhtml" | "shtml") => "text/html; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

// ----------------------------------------------------------------------------- API

/// A hit as `search --json` prints it.
#[derive(Serialize)]
struct ApiHit<'a> {
    #[serde(flatten)]
    hit: &'a Hit,
    /// The saved file's path.
    path: String,
}

#[derive(Serialize)]
struct ApiResults<'a> {
    query: &'a str,
    total: usize,
    hits: Vec<ApiHit<'a>>,
}

fn api_error(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

async fn api_search(
    State(shared): State<Arc<Shared>>,
    params: Result<Query<Params>, QueryRejection>,
) -> Response {
    let params = match params {
        Ok(Query(p)) => p,
        Err(e) => return api_error(StatusCode::BAD_REQUEST, &e.body_text()),
    };
    let text = params.query();
    if text.is_empty() {
        return api_error(StatusCode::BAD_REQUEST, "no query given (q=…)");
    }
    let limit = params.limit.unwrap_or(PAGE_SIZE);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return api_error(
            StatusCode::BAD_REQUEST,
            &format!("limit={limit}: give 1 to {MAX_LIMIT}"),
        );
    }
    let config = match params.config(limit) {
        Ok(c) => c,
        Err(BadRequest(m)) => return api_error(StatusCode::BAD_REQUEST, &m),
    };
    match run_search(shared.clone(), text.clone(), config).await {
        Ok(results) => {
            let hits = results
                .hits
                .iter()
                .map(|hit| ApiHit {
                    hit,
                    path: file_path(&shared.opened.corpus, &hit.page),
                })
                .collect();
            axum::Json(ApiResults {
                query: &text,
                total: results.total.unwrap_or(0),
                hits,
            })
            .into_response()
        }
        Err(e) => api_error(status_of(&e), &e.to_string()),
    }
}

fn file_path(corpus: &Path, key: &str) -> String {
    let rel = index::keys::decode(key).unwrap_or_else(|| key.into());
    corpus.join(rel).to_string_lossy().into_owned()
}

async fn api_page(
    State(shared): State<Arc<Shared>>,
    params: Result<Query<KeyParam>, QueryRejection>,
) -> Response {
    let Some(key) = key_of(params) else {
        return api_error(StatusCode::BAD_REQUEST, "no page key given (key=…)");
    };
    match find_page(&shared, &key).await {
        Ok(Some(page)) => axum::Json(page).into_response(),
        Ok(None) => api_error(StatusCode::NOT_FOUND, "no such page in the index"),
        Err(e) => api_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_keys_name_corpus_files() {
        let corpus = Path::new("/srv/corpus");
        assert_eq!(
            corpus_path(corpus, "news/a.html"),
            Some(PathBuf::from("/srv/corpus/news/a.html"))
        );
        for bad in ["../etc/passwd", "/etc/passwd", "a/../../b", "", "./"] {
            assert_eq!(corpus_path(corpus, bad), None, "{bad}");
        }
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_component("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }
}

//! Printing pages as text for people and as JSON Lines for programs.

use std::io::{self, Write};

use thresh::ingest::Page;

use super::terminal::{self, block, line as sanitize};

/// One page as a JSON object on its own line.
pub fn json_line<W: Write>(out: &mut W, page: &Page) -> io::Result<()> {
    serde_json::to_writer(&mut *out, page).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// A file that failed, as `{"path", "error"}` on its own line.
pub fn json_error<W: Write>(out: &mut W, path: &str, error: &str) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct Failed<'a> {
        path: &'a str,
        error: &'a str,
    }
    serde_json::to_writer(&mut *out, &Failed { path, error }).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// The page as a person reads it: metadata lines, the body, then each comment.
pub fn page_text<W: Write>(out: &mut W, page: &Page, color: bool) -> io::Result<()> {
    let field = |v: &Option<String>| v.as_deref().map(sanitize).unwrap_or_else(|| "-".into());
    let stamp =
        |v: &Option<thresh::ingest::Stamp>| v.map(|s| s.to_string()).unwrap_or_else(|| "-".into());
    writeln!(out, "path:      {}", sanitize(&page.path))?;
    writeln!(out, "title:     {}", bold(&field(&page.title), color))?;
    writeln!(out, "site:      {}", field(&page.site))?;
    writeln!(out, "url:       {}", field(&page.url))?;
    writeln!(out, "author:    {}", field(&page.author))?;
    writeln!(out, "published: {}", stamp(&page.published))?;
    writeln!(out, "captured:  {}", stamp(&page.captured))?;
    writeln!(out, "lang:      {}", field(&page.lang))?;
    writeln!(out, "encoding:  {}", page.encoding)?;
    writeln!(out, "\n{}\n", block(&page.body))?;
    for (i, c) in page.comments.iter().enumerate() {
        comment_text(out, i, c, false, color)?;
    }
    Ok(())
}

/// `text` as an OSC 8 hyperlink to `target` when `enabled` (terminals that do not know the
/// sequence show the text alone). Every byte of the target outside printable ASCII is
/// percent-encoded, so page text can never end the sequence early.
fn link(text: &str, target: Option<&str>, enabled: bool) -> String {
    let Some(target) = target.filter(|_| enabled) else {
        return text.to_string();
    };
    let mut t = String::with_capacity(target.len());
    for b in target.bytes() {
        if (0x21..0x7f).contains(&b) {
            t.push(b as char);
        } else {
            t.push_str(&format!("%{b:02X}"));
        }
    }
    format!("\x1b]8;;{t}\x1b\\{text}\x1b]8;;\x1b\\")
}

/// `text` in bold when `color`.
fn bold(text: &str, color: bool) -> String {
    if color {
        format!("\x1b[1m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// One comment under its header, indented by its depth; `marked` puts `>` before the header.
fn comment_text<W: Write>(
    out: &mut W,
    i: usize,
    c: &thresh::ingest::Comment,
    marked: bool,
    color: bool,
) -> io::Result<()> {
    let field = |v: &Option<String>| v.as_deref().map(sanitize).unwrap_or_else(|| "-".into());
    let stamp =
        |v: &Option<thresh::ingest::Stamp>| v.map(|s| s.to_string()).unwrap_or_else(|| "-".into());
    let indent = "  ".repeat(c.depth.unwrap_or(0).min(8) as usize);
    let edited = c
        .edited
        .map(|e| format!(" (edited {e})"))
        .unwrap_or_default();
    let mark = if marked { "> " } else { "" };
    let head = format!(
        "{mark}{indent}--- comment {} by {} · {}{}",
        i,
        field(&c.author),
        stamp(&c.posted),
        edited
    );
    writeln!(out, "{}", bold(&head, color))?;
    for line in block(&c.text).lines() {
        writeln!(out, "{indent}{line}")?;
    }
    Ok(())
}

/// The comments of the thread comment `n` belongs to: from the top-level comment above it to
/// the next top-level one. Comments with no depth known stand alone.
pub fn thread_of(page: &Page, n: usize) -> std::ops::Range<usize> {
    let depth = |i: usize| page.comments[i].depth;
    if depth(n).is_none() {
        return n..n + 1;
    }
    let start = (0..=n)
        .rev()
        .find(|&i| depth(i).is_none_or(|d| d == 0))
        .unwrap_or(n);
    let end = (n + 1..page.comments.len())
        .find(|&i| depth(i).is_none_or(|d| d == 0))
        .unwrap_or(page.comments.len());
    start..end
}

/// Comment `n` of a page in its thread, the comment marked, under the page's title and path.
pub fn comment_in_thread<W: Write>(
    out: &mut W,
    page: &Page,
    n: usize,
    color: bool,
) -> io::Result<()> {
    let field = |v: &Option<String>| v.as_deref().map(sanitize).unwrap_or_else(|| "-".into());
    writeln!(out, "path:      {}#{n}", sanitize(&page.path))?;
    writeln!(out, "title:     {}", field(&page.title))?;
    writeln!(out, "url:       {}", field(&page.url))?;
    let thread = thread_of(page, n);
    writeln!(
        out,
        "comment {n} of {}, in a thread of {}\n",
        page.comments.len(),
        thread.len()
    )?;
    for i in thread {
        comment_text(out, i, &page.comments[i], i == n, color && i == n)?;
    }
    Ok(())
}

/// How the run's HTML pages were parsed: `parsed 120 HTML pages: 112 by the quick parser, 8 by
/// html5ever (table content 5, misnested formatting 3)`, reasons with no page left out.
pub fn parser_line(c: &thresh::ingest::ParserCounts) -> String {
    let full: u64 = c.gave_up.iter().map(|&(_, n)| n).sum();
    let mut line = format!(
        "parsed {} HTML pages: {} by the quick parser, {full} by html5ever",
        c.quick + full,
        c.quick
    );
    let mut reasons: Vec<_> = c.gave_up.iter().filter(|&&(_, n)| n > 0).collect();
    reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
    if !reasons.is_empty() {
        let named: Vec<String> = reasons
            .iter()
            .map(|(w, n)| format!("{} {n}", w.name()))
            .collect();
        line.push_str(&format!(" ({})", named.join(", ")));
    }
    line
}

/// The summary line of an index run.
pub fn summary_line(s: &thresh::index::Summary) -> String {
    let retemplated = if s.retemplated > 0 {
        format!(
            " ({} extracted again for their site's new template)",
            s.retemplated
        )
    } else {
        String::new()
    };
    format!(
        "indexed {} pages ({} articles, {} comments) in {:.2} s: {} added, {} updated, {} removed, {} unchanged{}, {} skipped, {} failed",
        s.pages,
        s.articles,
        s.comments,
        s.seconds,
        s.added,
        s.updated,
        s.removed,
        s.unchanged,
        retemplated,
        s.skipped,
        s.failed.len()
    )
}

/// What `thresh stats` reports.
#[derive(Debug, serde::Serialize)]
pub struct Stats {
    pub pages: u64,
    pub articles: u64,
    pub comments: u64,
    pub sites: u64,
    pub bytes: u64,
    pub updated: String,
    /// Pages per site name, most first.
    pub site_counts: Vec<(String, u64)>,
    /// Articles per language, most first.
    pub languages: Vec<(String, u64)>,
}

/// Sites listed in text before the rest are summed up.
const SITES_SHOWN: usize = 20;

pub fn stats_text<W: Write>(out: &mut W, s: &Stats, dir: &std::path::Path) -> io::Result<()> {
    writeln!(out, "index:    {}", terminal::path(dir))?;
    writeln!(out, "pages:    {}", s.pages)?;
    writeln!(out, "articles: {}", s.articles)?;
    writeln!(out, "comments: {}", s.comments)?;
    writeln!(out, "sites:    {}", s.sites)?;
    writeln!(out, "size:     {}", human_bytes(s.bytes))?;
    writeln!(out, "updated:  {}", s.updated)?;
    if !s.languages.is_empty() {
        writeln!(out, "\nlanguages (articles):")?;
        for (lang, n) in &s.languages {
            writeln!(out, "  {n:>8}  {}", sanitize(lang))?;
        }
    }
    if !s.site_counts.is_empty() {
        writeln!(out, "\nsites (pages):")?;
        for (site, n) in s.site_counts.iter().take(SITES_SHOWN) {
            writeln!(out, "  {n:>8}  {}", sanitize(site))?;
        }
        if s.site_counts.len() > SITES_SHOWN {
            let rest: u64 = s.site_counts[SITES_SHOWN..].iter().map(|(_, n)| n).sum();
            writeln!(
                out,
                "  {rest:>8}  ({} more sites; --json lists all)",
                s.site_counts.len() - SITES_SHOWN
            )?;
        }
    }
    Ok(())
}

fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = b as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// One hit as JSON Lines, in the field order of the design.
pub fn hit_json<W: Write>(
    out: &mut W,
    hit: &thresh::search::Hit,
    path: &std::path::Path,
    copies: &[std::path::PathBuf],
) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        rank: usize,
        score: f32,
        kind: thresh::index::schema::Kind,
        page: &'a str,
        path: String,
        comment: Option<u64>,
        title: Option<&'a str>,
        site: Option<&'a str>,
        url: Option<&'a str>,
        author: Option<&'a str>,
        date: Option<&'a str>,
        snippet: &'a str,
        highlights: &'a [[usize; 2]],
        duplicates: Vec<String>,
    }
    let line = Line {
        rank: hit.rank,
        score: hit.score,
        kind: hit.kind,
        page: &hit.page,
        path: terminal::path(path),
        comment: hit.comment,
        title: hit.title.as_deref(),
        site: hit.site.as_deref(),
        url: hit.url.as_deref(),
        author: hit.author.as_deref(),
        date: hit.date.as_deref(),
        snippet: &hit.snippet,
        highlights: &hit.highlights,
        duplicates: copies.iter().map(|p| terminal::path(p)).collect(),
    };
    serde_json::to_writer(&mut *out, &line).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// Longest title quoted after "on" in a comment hit's header.
const QUOTED_TITLE_CHARS: usize = 48;

/// One hit as a block of text, as the design shows it.
pub fn hit_text<W: Write>(
    out: &mut W,
    hit: &thresh::search::Hit,
    path: &std::path::Path,
    copies: &[std::path::PathBuf],
    color: bool,
    width: Option<usize>,
) -> io::Result<()> {
    let title = hit
        .title
        .as_deref()
        .map(sanitize)
        .unwrap_or_else(|| terminal::path(std::path::Path::new(&hit.page)));
    // With colour, a terminal hyperlink: the path opens the saved file, an article's title its
    // original address.
    let file_url = std::path::absolute(path)
        .ok()
        .map(|p| format!("file://{}", p.to_string_lossy()));
    let path = link(&terminal::path(path), file_url.as_deref(), color);
    let web = hit
        .url
        .as_deref()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let title = if hit.kind == thresh::index::schema::Kind::Article {
        link(&title, web, color)
    } else {
        title
    };
    let date = sanitize(hit.date.as_deref().unwrap_or(""));
    let date = date.as_str();
    if hit.kind == thresh::index::schema::Kind::Comment {
        let mut quoted: String = title.chars().take(QUOTED_TITLE_CHARS).collect();
        if title.chars().count() > QUOTED_TITLE_CHARS {
            quoted.push('…');
        }
        let when = date
            .get(..16)
            .map(|d| d.replace('T', " "))
            .unwrap_or_else(|| date.to_string());
        let by = hit
            .author
            .as_deref()
            .map(sanitize)
            .unwrap_or_else(|| "anonymous".into());
        let mut head = format!("{}. comment by {by}", hit.rank);
        if !when.is_empty() {
            head.push_str(&format!(" · {when}"));
        }
        writeln!(out, "{head} · on \"{quoted}\"")?;
        // `PATH#N`: what `thresh show` takes to print the comment in its thread.
        let mut line = format!("   {path}#{}", hit.comment.unwrap_or(0));
        if let Some(site) = &hit.site {
            line.push_str(&format!(" · {}", sanitize(site)));
        }
        writeln!(out, "{line}")?;
    } else {
        writeln!(out, "{}. {title}   [article]", hit.rank)?;
        let mut line = format!("   {path}");
        if let Some(d) = date.get(..10) {
            line.push_str(&format!(" · {d}"));
        }
        if let Some(site) = &hit.site {
            line.push_str(&format!(" · {}", sanitize(site)));
        }
        if let Some(author) = &hit.author {
            line.push_str(&format!(" · by {}", sanitize(author)));
        }
        writeln!(out, "{line}")?;
    }
    writeln!(
        out,
        "   {}",
        wrap_marked(&hit.snippet, &hit.highlights, color, width, 3)
    )?;
    if !copies.is_empty() {
        let copies: Vec<String> = copies.iter().map(|p| terminal::path(p)).collect();
        writeln!(out, "   also saved as {}", copies.join(", "))?;
    }
    Ok(())
}

/// The snippet's text in pieces, page text sanitised and runs of whitespace made one space,
/// each piece marked or not.
fn marked_pieces(snippet: &str, ranges: &[[usize; 2]]) -> Vec<(String, bool)> {
    let mut pieces = Vec::new();
    let mut at = 0;
    let flat = |s: &str| sanitize(s).split_whitespace().collect::<Vec<_>>().join(" ");
    for &[start, end] in ranges {
        let (Some(before), Some(word)) = (snippet.get(at..start), snippet.get(start..end)) else {
            continue;
        };
        pieces.push((flat_keep_edges(before, &flat), false));
        pieces.push((flat(word), true));
        at = end;
    }
    pieces.push((
        flat_keep_edges(snippet.get(at..).unwrap_or(""), &flat),
        false,
    ));
    pieces
}

/// The snippet, matches in bold red when `color`, broken between words so that no line is
/// wider than `width` columns (counting an `indent` the caller prints before the first line and
/// that this puts before the others); on one line when `width` is `None`. A word wider than a
/// line has a line of its own, whole.
fn wrap_marked(
    snippet: &str,
    ranges: &[[usize; 2]],
    color: bool,
    width: Option<usize>,
    indent: usize,
) -> String {
    use unicode_width::UnicodeWidthStr;
    // Words as runs of non-space text, each a list of (text, marked) parts.
    let mut words: Vec<Vec<(String, bool)>> = vec![Vec::new()];
    for (piece, marked) in marked_pieces(snippet, ranges) {
        for (i, part) in piece.split(' ').enumerate() {
            if i > 0 && !words.last().is_some_and(Vec::is_empty) {
                words.push(Vec::new());
            }
            if !part.is_empty()
                && let Some(w) = words.last_mut()
            {
                w.push((part.to_string(), marked));
            }
        }
    }
    let mut out = String::with_capacity(snippet.len() + 16);
    let mut column = indent;
    let mut first = true;
    for word in words.iter().filter(|w| !w.is_empty()) {
        let w: usize = word.iter().map(|(t, _)| t.width()).sum();
        if !first {
            match width {
                Some(max) if column + 1 + w > max => {
                    out.push('\n');
                    out.push_str(&" ".repeat(indent));
                    column = indent;
                }
                _ => {
                    out.push(' ');
                    column += 1;
                }
            }
        }
        first = false;
        for (text, marked) in word {
            if *marked && color {
                out.push_str("\x1b[1;31m");
                out.push_str(text);
                out.push_str("\x1b[0m");
            } else {
                out.push_str(text);
            }
        }
        column += w;
    }
    out
}

fn flat_keep_edges(s: &str, flat: &dyn Fn(&str) -> String) -> String {
    let mut t = flat(s);
    if s.starts_with(char::is_whitespace) && !t.is_empty() {
        t.insert(0, ' ');
    }
    if s.ends_with(char::is_whitespace) {
        t.push(' ');
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_wrap_between_words_within_the_width() {
        let snippet = "The wombat count in the district rose this year, the survey found, with \
                       twelve animals seen along the creek beside the old mill.";
        let at = snippet.find("wombat").unwrap_or(0);
        let ranges = [[at, at + "wombat".len()]];
        let wrapped = wrap_marked(snippet, &ranges, false, Some(30), 3);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(lines.len() > 2, "{wrapped}");
        for (i, line) in lines.iter().enumerate() {
            // The first line follows the caller's indent.
            let width = line.chars().count() + if i == 0 { 3 } else { 0 };
            assert!(width <= 30, "{line:?}");
        }
        let words: Vec<&str> = wrapped.split_whitespace().collect();
        assert_eq!(words, snippet.split_whitespace().collect::<Vec<_>>());
        // Coloured, the mark is around the whole word; unwrapped, one line.
        let coloured = wrap_marked(snippet, &ranges, true, None, 3);
        assert!(coloured.contains("\x1b[1;31mwombat\x1b[0m"), "{coloured:?}");
        assert!(!coloured.contains('\n'));
    }

    #[test]
    fn hyperlink_targets_cannot_end_the_sequence() {
        let l = link("t", Some("https://x.test/a b\x1b\\\x07é"), true);
        assert_eq!(
            l,
            "\x1b]8;;https://x.test/a%20b%1B\\%07%C3%A9\x1b\\t\x1b]8;;\x1b\\"
        );
        assert_eq!(link("t", Some("https://x.test/"), false), "t");
    }
}

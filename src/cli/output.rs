//! Printing pages as text for people and as JSON Lines for programs.

use std::io::{self, Write};

use thresh::ingest::Page;

/// One page as a JSON object on its own line.
pub fn json_line<W: Write>(out: &mut W, page: &Page) -> io::Result<()> {
    serde_json::to_writer(&mut *out, page).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// A file that failed, as `{"path", "error"}` on its own line.
pub fn json_error<W: Write>(out: &mut W, path: &str, error: &str) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct Failed<'a> {
        path: &'a str,
        error: &'a str,
    }
    serde_json::to_writer(&mut *out, &Failed { path, error }).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// The page as a person reads it: metadata lines, the body, then each comment.
pub fn page_text<W: Write>(out: &mut W, page: &Page) -> io::Result<()> {
    let field = |v: &Option<String>| v.as_deref().map(sanitize).unwrap_or_else(|| "-".into());
    let stamp =
        |v: &Option<thresh::ingest::Stamp>| v.map(|s| s.to_string()).unwrap_or_else(|| "-".into());
    writeln!(out, "path:      {}", sanitize(&page.path))?;
    writeln!(out, "title:     {}", field(&page.title))?;
    writeln!(out, "site:      {}", field(&page.site))?;
    writeln!(out, "url:       {}", field(&page.url))?;
    writeln!(out, "author:    {}", field(&page.author))?;
    writeln!(out, "published: {}", stamp(&page.published))?;
    writeln!(out, "captured:  {}", stamp(&page.captured))?;
    writeln!(out, "lang:      {}", field(&page.lang))?;
    writeln!(out, "encoding:  {}", page.encoding)?;
    writeln!(out, "\n{}\n", sanitize_block(&page.body))?;
    for (i, c) in page.comments.iter().enumerate() {
        let indent = "  ".repeat(c.depth.unwrap_or(0).min(8) as usize);
        let edited = c
            .edited
            .map(|e| format!(" (edited {e})"))
            .unwrap_or_default();
        writeln!(
            out,
            "{indent}--- comment {} by {} · {}{}",
            i,
            field(&c.author),
            stamp(&c.posted),
            edited
        )?;
        for line in sanitize_block(&c.text).lines() {
            writeln!(out, "{indent}{line}")?;
        }
    }
    Ok(())
}

/// Removes control characters and terminal escape sequences from one line of page text.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// As [`sanitize`], keeping newlines.
pub fn sanitize_block(s: &str) -> String {
    s.chars()
        .filter(|&c| c == '\n' || !c.is_control())
        .collect()
}

/// A short reason for an I/O error, without the OS error number.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => e.to_string(),
    }
}

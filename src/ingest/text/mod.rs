//! Text dumps: pages a browser saved as plain text, cleaned line by line.
//!
//! Owns the line classifier, the title/byline/date reading of a dump's head, and the split into
//! article and comments at comment header lines. Word lists live in `lexicon`, line tests in `lines`; date forms in
//! `dates`.
//!
//! The body is chosen the way jusText chooses paragraphs: each line is classed by its length
//! and its share of function words, boilerplate lines are dropped by `lines`' rules, and short
//! lines survive only between or just before lines of real prose. Prose lines close together make
//! blocks, weighed by prose that ends sentences and follows other prose, so an article outweighs a
//! teaser list of headlines over summaries. Where the dump is indented, as text browsers print
//! nesting, the article is the column holding the most weight, and its blocks are kept across
//! the lists and boxes between them. Written here because no crate does this for text that has
//! already lost its markup.

use crate::ingest::dates::{Stamp, parse_when};
use crate::ingest::lexicon::caseless;
use crate::ingest::lexicon::chars;
use crate::ingest::lexicon::phrases::COMMENT_STUBS;
use crate::ingest::lines::{self, CommentHeader, edit_marker};
use crate::ingest::page::{Comment, Page};
use crate::ingest::people::byline;

/// A line of at least this many (CJK-weighted) characters with prose-like function-word density
/// is prose. jusText's "length_high" is 200 for whole paragraphs; dumps give single lines, so less.
const GOOD_CHARS: usize = 70;
/// Share of function words above which a long line reads as prose (jusText uses 0.32 for
/// English "stopwords_high"; merged lists across languages score a little lower).
const GOOD_STOPWORDS: f32 = 0.2;
/// Lines shorter than this are "short": kept only between prose lines.
const SHORT_CHARS: usize = 30;
/// Share of function words that makes a medium line "near good".
const NEAR_STOPWORDS: f32 = 0.12;
/// How many non-prose lines may separate two prose lines before they are separate blocks.
const MAX_GAP_LINES: usize = 8;
/// A block whose prose weighs at least this share of the best block's is kept too (articles
/// broken by an inline gallery or ad slot); smaller blocks of prose further away are teaser
/// lists. Where the dump is indented, a block in another column than the article's must weigh
/// this share of the whole column.
const SECONDARY_BLOCK_SHARE: f32 = 0.6;
/// In an indented dump, a block printed at the article's column is kept from this share of the
/// best block's weight: the same depth of nesting is the same container.
const COLUMN_BLOCK_SHARE: f32 = 0.2;
/// Lines of at least this many words are kept once per body.
const REPEAT_MIN_WORDS: usize = 6;
/// Short lines kept just above the first prose line (headings, a standfirst).
const LEAD_LINES: usize = 2;

/// Fills `page` from a text dump.
pub fn extract(text: &str, page: &mut Page) {
    let mut lines: Vec<&str> = Vec::new();
    for l in text.lines() {
        push_unglued(l.trim_end_matches('\r'), &mut lines);
    }

    // A capture footer is the page's capture time, wherever it is (usually the last line).
    lines.retain(|l| match capture_footer(l) {
        Some(stamp) => {
            page.captured.get_or_insert(stamp);
            false
        }
        None => true,
    });
    if let Some(first) = lines.first()
        && let Some(url) = saved_from_url(first)
    {
        page.url = Some(url);
        lines.remove(0);
    }

    let split = find_comment_section(&lines);
    let (article, comment_lines) = lines.split_at(split.unwrap_or(lines.len()));
    read_article(article, page);
    if !comment_lines.is_empty() {
        page.comments = read_comments(comment_lines, page.captured);
    }
}

/// Pushes a line, split where two lines were run together without a break: a sentence's end
/// stuck to the next sentence's capital (`…on our website.Update: the…`), as a dump of blocks
/// written without a newline between them, or an edit appended to a file with no final
/// newline, has it. Abbreviations (`U.S.Army`, `Dr.Who`) and names (`node.JS`) have a capital before the
/// stop or after the capital, and stay whole.
fn push_unglued<'a>(line: &'a str, out: &mut Vec<&'a str>) {
    // Nearly every line has no stop right before a letter: one vectorised pass tells.
    let b = line.as_bytes();
    let maybe = memchr::memchr3_iter(b'.', b'!', b'?', b).any(|i| {
        b.get(i + 1)
            .is_some_and(|&c| c.is_ascii_uppercase() || c >= 0x80)
    });
    if !maybe {
        out.push(line);
        return;
    }
    let mut start = 0;
    let mut prev: [Option<char>; 2] = [None, None];
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let glued = matches!(prev, [Some(a), Some('.' | '!' | '?')] if a.is_lowercase())
            && c.is_uppercase()
            && next.is_some_and(char::is_lowercase)
            && {
                // The word before the stop is a lower-case word, not an abbreviation (`Dr.`).
                let before = &line[..i - 1];
                // (The last whitespace may be wider than a byte: a no-break space.)
                let word = before.rsplit(char::is_whitespace).next().unwrap_or(before);
                word.chars().count() >= 2 && word.chars().all(char::is_lowercase)
            };
        if glued {
            out.push(&line[start..i]);
            start = i;
        }
        prev = [prev[1], Some(c)];
    }
    out.push(&line[start..]);
}

/// `This page was loaded Dec 13th 2018, 1:17 pm GMT.` and similar capture notes.
fn capture_footer(line: &str) -> Option<Stamp> {
    let t = line.trim();
    const PREFIXES: &[&str] = &[
        "this page was loaded",
        "page loaded",
        "this page was saved",
        "page saved",
        "saved on",
        "captured on",
        "archived on",
        "retrieved on",
        "accessed on",
    ];
    let rest = PREFIXES.iter().find_map(|p| caseless::strip_prefix(t, p))?;
    Stamp::parse(rest.trim_end_matches('.'))
}

/// A first line that is only an address (`URL: https://…`, `Source: https://…`, a bare URL) or
/// a browser's `saved from url=(0042)https://…` note.
fn saved_from_url(line: &str) -> Option<String> {
    let t = line.trim();
    let rest = if let Some(i) = t.find("saved from url=") {
        let r = &t[i + "saved from url=".len()..];
        r.trim_start_matches(|c: char| c == '(' || c.is_ascii_digit() || c == ')')
    } else {
        t.strip_prefix("URL:")
            .or_else(|| t.strip_prefix("Source:"))
            .map(str::trim)
            .unwrap_or(t)
    };
    let url = rest.split_whitespace().next()?.trim_end_matches("-->");
    ((url.starts_with("http://") || url.starts_with("https://"))
        && rest.split_whitespace().count() == 1)
        .then(|| url.to_string())
}

/// The first line of the comment section, when the dump has one: a section title, or the first
/// comment header, provided the dump has enough headers to be a thread.
fn find_comment_section(lines: &[&str]) -> Option<usize> {
    // Comments follow the article: headers above its first line of prose are a byline and a
    // dateline (often printed twice by the page), not a thread.
    let first_prose = (0..lines.len()).find(|&i| classify(lines[i]) == Class::Good)?;
    let headers: Vec<(usize, CommentHeader)> = (first_prose + 1..lines.len())
        .filter_map(|i| comment_header(lines, i).map(|h| (i, h)))
        .collect();
    // Two different headers make a thread: one pass against the first (a list of the distinct
    // ones would cost quadratic time on a dump with many thousands of comments).
    let two_distinct = headers
        .first()
        .is_some_and(|(_, first)| headers.iter().any(|(_, h)| h != first));
    let title = (first_prose + 1..lines.len()).find(|&i| {
        let n = lines::normalize(lines[i]);
        lines::is_comment_section_title(&n)
    });
    match (title, headers.first()) {
        // A section title followed by at least one header: the section starts at the title.
        (Some(t), Some(&(h, _))) if t < h => Some(t),
        // Without a title, one header could be a dateline; two different ones make a thread.
        (_, Some(&(h, _))) if two_distinct => Some(h),
        _ => None,
    }
}

/// A comment header on a dump's line: [`lines::comment_header`], unless the line is the
/// dump's capture footer.
fn comment_header(lines: &[&str], i: usize) -> Option<CommentHeader> {
    let line = lines[i].trim();
    if capture_footer(line).is_some() {
        return None;
    }
    lines::comment_header(line)
}

/// Action links that LiveJournal-style threads print under each comment.
fn is_thread_action(line: &str) -> bool {
    let n = lines::normalize(line);
    matches!(
        n.as_str(),
        "reply"
            | "thread"
            | "link"
            | "parent"
            | "expand"
            | "collapse"
            | "flag"
            | "report"
            | "delete"
            | "edit"
            | "freeze"
            | "screen"
            | "track"
            | "like"
            | "likes"
            | "quote"
            | "reply thread link"
            | "reply thread"
            | "link reply"
            | "permalink"
    ) || n.starts_with("reply ")
        && n.split(' ')
            .all(|w| matches!(w, "reply" | "thread" | "link" | "parent" | "expand"))
        || n.ends_with(" likes") && n.split(' ').count() == 2
}

fn read_comments(lines: &[&str], captured: Option<Stamp>) -> Vec<Comment> {
    let mut comments: Vec<Comment> = Vec::new();
    let mut text: Vec<&str> = Vec::new();
    let flush = |comments: &mut Vec<Comment>, text: &mut Vec<&str>| {
        if let Some(c) = comments.last_mut() {
            c.text = join_paragraphs(text);
        }
        text.clear();
    };
    for i in 0..lines.len() {
        let line = lines[i];
        if let Some(h) = comment_header(lines, i) {
            flush(&mut comments, &mut text);
            let posted = h.when.and_then(|w| w.stamp(captured));
            comments.push(Comment {
                author: Some(h.author),
                posted,
                edited: None,
                text: String::new(),
                depth: None,
            });
            continue;
        }
        if comments.is_empty() {
            // Section title and stubs before the first comment.
            continue;
        }
        if let Some(edit) = edit_marker(line) {
            if let Some(c) = comments.last_mut() {
                c.edited = edit.or(c.edited);
            }
            continue;
        }
        let n = lines::normalize(line);
        if is_thread_action(line)
            || COMMENT_STUBS.contains(&n.as_str())
            || lines::is_ad_marker(line)
            || lines::is_notice_line(line)
        {
            continue;
        }
        // A Blogger-style `name said…` header carries no date; the date line follows the text.
        if let Some(c) = comments.last_mut()
            && c.posted.is_none()
            && let Some(s) = Stamp::parse(line).filter(|s| s.time().is_some())
        {
            c.posted = Some(s);
            continue;
        }
        text.push(line.trim());
    }
    flush(&mut comments, &mut text);
    comments
}

/// Joins lines into text: a blank line (or several) becomes one paragraph break.
fn join_paragraphs(lines: &[&str]) -> String {
    let mut out = String::new();
    let mut blank = false;
    for l in lines {
        let l = l.trim();
        if l.is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        out.push_str(l);
        blank = false;
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Bad,
    Short,
    NearGood,
    Good,
}

/// A list bullet as text browsers draw them: `* `, `o `, `+ `, `- `, `• `, `1. `.
fn bullet(line: &str) -> Option<&str> {
    let t = line.trim_start();
    for b in ["* ", "o ", "+ ", "- ", "• ", "· ", "– ", "# "] {
        if let Some(rest) = t.strip_prefix(b) {
            return Some(rest);
        }
    }
    if t == "*" || t == "o" || t == "+" || t == "•" {
        return Some("");
    }
    None
}

fn classify(line: &str) -> Class {
    let t = line.trim();
    if lines::is_boilerplate_line(t) || looks_like_url(t) || is_media_credit(t) {
        return Class::Bad;
    }
    let (content, is_item) = match bullet(t) {
        Some(rest) => (rest.trim(), true),
        None => (t, false),
    };
    if content.is_empty() || lines::is_boilerplate_line(content) {
        return Class::Bad;
    }
    let len = chars::weighted_len(content);
    let (density, words) = lines::stopword_density(content);
    let cjk = content.chars().any(chars::is_cjk);
    let sentence_end = content.ends_with([
        '.', '!', '?', '"', '”', '’', ')', '。', '！', '？', ':', '…',
    ]);
    if len >= GOOD_CHARS && (density >= GOOD_STOPWORDS || cjk || sentence_end && words >= 12) {
        return Class::Good;
    }
    if is_item && len < GOOD_CHARS {
        // Menus and link lists are bullets; a bullet of prose is rare and long.
        return if density >= GOOD_STOPWORDS && sentence_end {
            Class::NearGood
        } else {
            Class::Bad
        };
    }
    if len >= SHORT_CHARS && (density >= NEAR_STOPWORDS || sentence_end) {
        return Class::NearGood;
    }
    Class::Short
}

fn looks_like_url(t: &str) -> bool {
    (t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www."))
        && !t.contains(' ')
}

/// `Photo: Name, Agency`, `Image 1 of 23`, `1 / 23`: gallery chrome and credits.
fn is_media_credit(t: &str) -> bool {
    if t.len() > 200 {
        return false;
    }
    let credit = lines::is_credit_line(t);
    let counter = {
        let n = lines::normalize(t);
        let w: Vec<&str> = n.split(' ').collect();
        matches!(w.as_slice(), [a, b] if a.chars().all(|c| c.is_ascii_digit()) && b.chars().all(|c| c.is_ascii_digit()))
            || matches!(w.as_slice(), [k, a, "of", b] if matches!(*k, "image" | "photo" | "slide" | "picture") && a.chars().all(|c| c.is_ascii_digit()) && b.chars().all(|c| c.is_ascii_digit()))
            || matches!(w.as_slice(), [k, "of", b] if matches!(*k, "image" | "photo" | "slide") && b.chars().all(|c| c.is_ascii_digit()))
    };
    credit || counter
}

/// Reads the article part of a dump: date line, title, byline, then the body.
fn read_article(lines: &[&str], page: &mut Page) {
    let mut used = vec![false; lines.len()];
    let nonblank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();

    // The title: the first line of the head that reads as one.
    let head = &nonblank[..nonblank.len().min(6)];
    let mut title_line: Option<usize> = None;
    for &i in head {
        let t = lines[i].trim();
        if Stamp::parse(t).is_some() {
            page.published
                .get_or_insert_with(|| Stamp::parse(t).expect("checked above"));
            used[i] = true;
            continue;
        }
        if title_line.is_none() && reads_as_title(t) {
            title_line = Some(i);
            used[i] = true;
        }
    }
    let mut title_forms: Vec<String> = Vec::new();
    if let Some(i) = title_line {
        let full = lines[i].trim();
        let (title, site) = lines::split_title_site(full);
        title_forms.push(lines::normalize(full));
        title_forms.push(lines::normalize(&title));
        page.title = Some(title);
        if page.site.is_none() {
            page.site = site;
        }
    }

    // Classify every line; titles repeated later and date lines are not body.
    let mut class: Vec<Class> = lines.iter().map(|l| classify(l)).collect();
    let mut dateline_author = None;
    for (i, l) in lines.iter().enumerate() {
        let n = lines::normalize(l);
        if used[i] || (!n.is_empty() && title_forms.contains(&n)) {
            used[i] = true;
            class[i] = Class::Bad;
        } else if !l.trim().is_empty() && l.trim().len() < 80 && parse_when(l, true).is_some() {
            if page.published.is_none() && i < lines.len() / 2 + 1 {
                page.published = Stamp::parse(l);
            }
            class[i] = Class::Bad;
        } else if (page.published.is_none() || page.author.is_none())
            && i < lines.len() / 2 + 1
            && l.trim().len() < 80
            && let Some((stamp, name)) = Stamp::with_byline(l.trim())
        {
            // A dateline that carries its byline: the date is the page's, and its name is the
            // author when no byline stands under the title (the line itself is furniture,
            // which the line classes already say).
            page.published.get_or_insert(stamp);
            if dateline_author.is_none() {
                dateline_author = byline(name);
            }
        }
    }

    // A byline sits between the title and the first prose line.
    let first_good = (0..lines.len()).find(|&i| class[i] == Class::Good);
    let byline_end = first_good.unwrap_or(lines.len());
    let start = title_line.map_or(0, |t| t + 1);
    for i in start..byline_end {
        if class[i] == Class::Bad || lines[i].trim().is_empty() {
            continue;
        }
        if let Some(name) = byline(lines[i].trim()) {
            page.author.get_or_insert(name);
            class[i] = Class::Bad;
            // "Name," followed by the outlet on its own line: the outlet is part of the byline.
            if lines[i].trim().ends_with(',')
                && let Some(next) = (i + 1..byline_end).find(|&j| !lines[j].trim().is_empty())
                && lines[next].split_whitespace().count() <= 5
                && class[next] != Class::Good
            {
                class[next] = Class::Bad;
            }
            break;
        }
    }

    if page.author.is_none() {
        page.author = dateline_author;
    }

    let keep = choose_body(lines, &class);
    page.body = render_kept(lines, &keep);
}

/// Marks the lines that make the body: prose blocks, with the short lines inside them and the
/// headings just above them.
fn choose_body(lines: &[&str], class: &[Class]) -> Vec<bool> {
    let n = lines.len();
    let mut keep = vec![false; n];
    if !class.contains(&Class::Good) {
        // No prose at all (a short note, a list): keep what is not boilerplate.
        for i in 0..n {
            keep[i] = class[i] != Class::Bad && !lines[i].trim().is_empty();
        }
        return keep;
    }
    // Blocks of prose lines separated by at most MAX_GAP_LINES non-blank, non-prose lines.
    let mut blocks: Vec<Block> = Vec::new();
    let mut prev_nonblank: Option<usize> = None;
    for i in 0..n {
        if lines[i].trim().is_empty() {
            continue;
        }
        let after = prev_nonblank.replace(i);
        if class[i] != Class::Good {
            continue;
        }
        let weight = prose_weight(lines, class, i, after);
        if let Some(b) = blocks.last_mut() {
            let gap = (b.last + 1..i)
                .filter(|&j| !lines[j].trim().is_empty())
                .count();
            let bad_gap = (b.last + 1..i).filter(|&j| class[j] == Class::Bad).count();
            if gap <= MAX_GAP_LINES && bad_gap <= MAX_GAP_LINES / 2 {
                b.last = i;
                b.add(lines[i], weight);
                continue;
            }
        }
        let mut b = Block {
            first: i,
            last: i,
            chars: 0,
            weight: 0,
            columns: Vec::new(),
        };
        b.add(lines[i], weight);
        blocks.push(b);
    }
    // Prose that never ends a sentence nor follows prose (headline lists, a dump cut into
    // fragments) has nothing to weigh but its length.
    if blocks.iter().all(|b| b.weight == 0) {
        for b in &mut blocks {
            b.weight = b.chars;
            b.columns.iter_mut().for_each(|c| c.1 = c.2);
        }
    }
    let block_columns: Vec<usize> = blocks.iter().map(Block::column).collect();
    // The article's column: where a text browser printed the most prose. A dump without
    // indentation to go by is one column.
    let column = indents_vary(lines).then(|| {
        let mut by_column: Vec<(usize, usize)> = Vec::new();
        for (b, &c) in blocks.iter().zip(&block_columns) {
            match by_column.iter_mut().find(|(k, _)| *k == c) {
                Some((_, w)) => *w += b.weight,
                None => by_column.push((c, b.weight)),
            }
        }
        by_column
            .iter()
            .max_by_key(|&&(c, w)| (w, std::cmp::Reverse(c)))
            .map_or(0, |&(c, _)| c)
    });
    let in_column: Vec<bool> = block_columns
        .iter()
        .map(|&c| column.is_none_or(|k| k == c))
        .collect();
    let (mut best, mut column_total) = (1.0f32, 0.0f32);
    for (b, _) in blocks.iter().zip(&in_column).filter(|(_, inside)| **inside) {
        best = best.max(b.weight as f32);
        column_total += b.weight as f32;
    }
    for ((b, &inside), &at) in blocks.iter().zip(&in_column).zip(&block_columns) {
        let (first, last) = (b.first, b.last);
        let weight = b.weight as f32;
        let kept = match column {
            // Parts of the article in its column, between galleries, boxes and ad slots; a
            // block elsewhere only when it is a large share of the article (a fact box, a
            // second section printed at another depth).
            Some(_) => {
                inside && weight >= best * COLUMN_BLOCK_SHARE
                    || weight >= column_total * SECONDARY_BLOCK_SHARE
            }
            None => weight >= best * SECONDARY_BLOCK_SHARE,
        };
        if !kept {
            continue;
        }
        for i in first..=last {
            keep[i] = class[i] != Class::Bad && !lines[i].trim().is_empty();
        }
        // Headings and a standfirst right above the block.
        let mut taken = 0;
        let mut j = first;
        while j > 0 && taken < LEAD_LINES {
            j -= 1;
            if lines[j].trim().is_empty() {
                continue;
            }
            if class[j] == Class::Bad || bullet(lines[j]).is_some() {
                break;
            }
            keep[j] = true;
            taken += 1;
        }
        // A closing short line of prose right below ("Congratulations!").
        if let Some(k) = (last + 1..n).find(|&k| !lines[k].trim().is_empty())
            && class[k] == Class::NearGood
            && bullet(lines[k]).is_none()
        {
            keep[k] = true;
        }
        // Only an indented dump tells which lines share the block's container.
        if column.is_some() {
            keep_list_below(lines, class, last, at, &mut keep);
        }
    }
    // A caption printed twice, or any line repeated right after itself, is kept once; so is a
    // longer line (a caption, a pull quote) repeated further down.
    let mut prev: Option<String> = None;
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for i in 0..n {
        if !keep[i] {
            continue;
        }
        let norm = lines::normalize(lines[i]);
        let long = norm.split(' ').count() >= REPEAT_MIN_WORDS;
        if prev.as_deref() == Some(norm.as_str()) || long && seen.contains(&norm) {
            keep[i] = false;
        }
        if long {
            seen.insert(norm.clone());
        }
        prev = Some(norm);
    }
    keep_closing_note(lines, class, &mut keep);
    keep
}

/// A list printed as lines of one paragraph right below a block, at its column, under at most
/// a heading: a schedule, a track list, an ingredient list the article ends with. Short lines
/// elsewhere are kept only between prose; a list has none, but the indentation says it is
/// printed in the article's container.
fn keep_list_below(lines: &[&str], class: &[Class], last: usize, column: usize, keep: &mut [bool]) {
    let n = lines.len();
    let mut k = last + 1;
    while k < n && lines[k].trim().is_empty() {
        k += 1;
    }
    // Prose ends the list (it is a block's own), so each scan stops before the next block.
    let listable = |i: usize| {
        !lines[i].trim().is_empty()
            && !matches!(class[i], Class::Bad | Class::Good)
            && bullet(lines[i]).is_none()
            && indent(lines[i]) == column
    };
    // An optional heading, apart from the list.
    let mut heading = None;
    if k < n && listable(k) && k + 1 < n && lines[k + 1].trim().is_empty() {
        heading = Some(k);
        k += 1;
        while k < n && lines[k].trim().is_empty() {
            k += 1;
        }
    }
    let start = k;
    while k < n && listable(k) {
        k += 1;
    }
    if k - start >= LIST_MIN_LINES && (k == n || lines[k].trim().is_empty()) {
        for i in heading.into_iter().chain(start..k) {
            keep[i] = true;
        }
    }
}

/// Fewest lines that make a list below a block.
const LIST_MIN_LINES: usize = 3;

/// A run of prose lines close together: its length and weight, and how that weight sits by
/// indentation (indent, weight, length).
struct Block {
    first: usize,
    last: usize,
    chars: usize,
    weight: usize,
    columns: Vec<(usize, usize, usize)>,
}

impl Block {
    fn add(&mut self, line: &str, weight: usize) {
        let len = chars::weighted_len(line.trim());
        let indent = indent(line);
        self.chars += len;
        self.weight += weight;
        match self.columns.iter_mut().find(|c| c.0 == indent) {
            Some(c) => {
                c.1 += weight;
                c.2 += len;
            }
            None => self.columns.push((indent, weight, len)),
        }
    }

    /// The indentation most of the block's prose is printed at.
    fn column(&self) -> usize {
        self.columns
            .iter()
            .max_by_key(|&&(i, w, _)| (w, std::cmp::Reverse(i)))
            .map_or(0, |c| c.0)
    }
}

/// What a prose line counts for in choosing the article: its length once for ending as a
/// sentence, once more for following another prose line. An article's paragraphs are sentences
/// that follow one another; a teaser list's summaries are cut short, or each follows its own
/// headline and is followed by a date.
fn prose_weight(lines: &[&str], class: &[Class], i: usize, after: Option<usize>) -> usize {
    let t = lines[i].trim();
    let len = chars::weighted_len(t);
    let sentence = ends_sentence(t);
    let follows = after.is_some_and(|j| class[j] == Class::Good);
    len * (usize::from(sentence) + usize::from(follows))
}

fn ends_sentence(t: &str) -> bool {
    !t.ends_with("...") && t.ends_with(['.', '!', '?', '"', '”', '’', ')', '。', '！', '？'])
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Whether the dump prints nesting as indentation, as text browsers do: its lines start at
/// several columns.
fn indents_vary(lines: &[&str]) -> bool {
    let mut seen = std::collections::HashSet::new();
    for l in lines {
        if !l.trim().is_empty() {
            seen.insert(indent(l));
            if seen.len() >= 3 {
                return true;
            }
        }
    }
    false
}

/// Keeps the sentences that end a dump after its last kept line, past the boilerplate and the
/// repeated paragraphs between: a note added at the end of the page ("Update: …") is the
/// article's, even after an ad-blocker plea. Only sentences are taken, so a site's closing
/// footer is not: a line that does not end as a sentence (a link's title), carries a copyright
/// or a bar, repeats itself (an icon's title printed once per icon), is shorter than
/// [`CLOSING_NOTE_MIN_WORDS`] words, or is boilerplate ends the search.
fn keep_closing_note(lines: &[&str], class: &[Class], keep: &mut [bool]) {
    let Some(last_kept) = keep.iter().rposition(|&k| k) else {
        return;
    };
    // Most dumps end with kept lines or boilerplate alone: nothing to look at.
    if !(last_kept + 1..lines.len()).any(|i| matches!(class[i], Class::Good | Class::NearGood)) {
        return;
    }
    let kept: std::collections::HashSet<String> = (0..=last_kept)
        .filter(|&i| keep[i])
        .map(|i| lines::normalize(lines[i]))
        .collect();
    // From the end up: the run of sentences no kept line already says.
    let mut note = Vec::new();
    for i in (last_kept + 1..lines.len()).rev() {
        let t = lines[i].trim();
        if t.is_empty() {
            continue;
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        let distinct: std::collections::HashSet<&str> = words.iter().copied().collect();
        let sentence = matches!(class[i], Class::Good | Class::NearGood)
            && bullet(t).is_none()
            && t.ends_with(['.', '!', '?', '。', '！', '？'])
            && words.len() >= CLOSING_NOTE_MIN_WORDS
            && distinct.len() * 2 > words.len()
            && !t.contains(['©', '|'])
            && caseless::rfind(t, "copyright").is_none()
            && !kept.contains(&lines::normalize(t));
        if !sentence {
            break;
        }
        note.push(i);
    }
    // Only a note the boilerplate cut off: lines right after the kept ones are the blocks'
    // business.
    let cut_off = note
        .last()
        .is_some_and(|&first| (last_kept + 1..first).any(|j| class[j] == Class::Bad));
    if cut_off {
        for i in note {
            keep[i] = true;
        }
    }
}

/// Fewest words a line at the end of a dump needs to be kept as a closing note.
const CLOSING_NOTE_MIN_WORDS: usize = 5;

/// Joins kept lines: lines that were adjacent stay in one paragraph, anything dropped or blank
/// between them makes a paragraph break.
fn render_kept(lines: &[&str], keep: &[bool]) -> String {
    let mut out = String::new();
    let mut last: Option<usize> = None;
    for i in 0..lines.len() {
        if !keep[i] {
            continue;
        }
        let t = lines[i].trim();
        let t = bullet(t).map_or(t, |rest| rest.trim());
        if let Some(l) = last {
            out.push_str(if l + 1 == i { "\n" } else { "\n\n" });
        }
        out.push_str(t);
        last = Some(i);
    }
    out
}

/// A line that could be the page's title: a few words, not a sentence of prose, not chrome.
fn reads_as_title(t: &str) -> bool {
    let words = t.split_whitespace().count();
    let cjk = t.chars().filter(|c| chars::is_cjk(*c)).count();
    !t.is_empty()
        && t.chars().count() <= 250
        && (words >= 3 || cjk >= 4)
        && bullet(t).is_none()
        && !lines::is_boilerplate_line(t)
        && !looks_like_url(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::page::Format;

    fn run(text: &str) -> Page {
        let mut page = Page::empty("t.txt", Format::Text, "UTF-8");
        extract(text, &mut page);
        page
    }

    #[test]
    fn headers_with_name_and_time_start_comments() {
        let lines = ["katheli 8th-Mar-2018 12:00 pm (UTC)"];
        let h = comment_header(&lines, 0).unwrap();
        assert_eq!(h.author, "katheli");
        let lines = ["Seoul, March 8, 2018"];
        assert_eq!(
            comment_header(&lines, 0),
            None,
            "a dateline without a time is not a comment"
        );
    }

    #[test]
    fn blogger_said_headers_take_the_date_that_follows() {
        let page = run(
            "A Title For The Post Here\n\nThe body of the post is a long enough line of prose to count as the article text.\n\n3 comments:\n\nAnna said...\n\nLovely post, thank you!\n\nMarch 8, 2018 at 3:04 PM\n\nBen said...\n\nAgreed.\n\nMarch 9, 2018 at 9:15 AM\n",
        );
        assert_eq!(page.comments.len(), 2);
        assert_eq!(page.comments[0].author.as_deref(), Some("Anna"));
        assert_eq!(page.comments[0].text, "Lovely post, thank you!");
        assert_eq!(
            page.comments[0].posted.unwrap().to_string(),
            "2018-03-08T15:04:00"
        );
        assert_eq!(page.comments[1].text, "Agreed.");
    }

    #[test]
    fn relative_comment_times_count_back_from_the_capture() {
        let page = run(
            "A Title For The Post Here\n\nThe body of the post is a long enough line of prose to count as the article text.\n\nComments\n\nmira · 2 hours ago\nFirst!\n\njon · 1 day ago\nSecond.\n\nThis page was loaded Dec 13th 2018, 1:17 pm GMT.",
        );
        assert_eq!(page.comments.len(), 2);
        assert_eq!(
            page.comments[0].posted.unwrap().to_string(),
            "2018-12-13T11:17:00Z"
        );
        assert_eq!(page.comments[1].text, "Second.");
    }

    #[test]
    fn a_responses_to_title_heading_starts_the_comments() {
        let page = run(
            "A Title For The Post Here\n\nThe body of the post is a long enough line of prose to count as the article text.\n\n2 Responses to \u{201c}A Title For The Post Here\u{201d}\n\nAnna Berg March 3, 2019 at 10:14 am\nLovely post.\n\nTom O. March 3, 2019 at 11:02 am\nAgreed.\n",
        );
        assert!(!page.body.contains("Responses"), "{}", page.body);
        let authors: Vec<_> = page.comments.iter().map(|c| c.author.as_deref()).collect();
        assert_eq!(authors, [Some("Anna Berg"), Some("Tom O.")]);
    }

    #[test]
    fn comment_stubs_are_not_comments() {
        let page = run(
            "A Title For The Post Here\n\nThe body of the post is a long enough line of prose to count as the article text.\n\nComments\n\nNo comments yet\n\nLeave a Reply\n",
        );
        assert!(page.comments.is_empty());
        assert!(!page.body.contains("No comments yet"));
    }

    fn glued_lines(line: &str) -> Vec<&str> {
        let mut out = Vec::new();
        push_unglued(line, &mut out);
        out
    }

    #[test]
    fn lines_run_together_are_split_at_the_sentence_joint() {
        assert_eq!(
            glued_lines("on our website.Update: the wombat appeared."),
            ["on our website.", "Update: the wombat appeared."]
        );
        for whole in [
            "U.S.Army troops",
            "built on node.JS today",
            "Dr.Who?",
            "e.g. This",
        ] {
            assert_eq!(glued_lines(whole), [whole]);
        }
    }

    #[test]
    fn a_closing_note_after_boilerplate_is_kept_and_a_footer_is_not() {
        let article = "The council approved the harbour plan on Tuesday after a long debate, and the work will start in the spring.\n\n\
            Residents who opposed the plan said they would appeal the decision in the regional court.\n\n\
            ADVERTISEMENT\n\nIt looks like you're using an ad blocker\n\n";
        let page = run(&format!(
            "{article}Update: the appeal was filed on Friday morning.\n"
        ));
        assert!(
            page.body
                .ends_with("Update: the appeal was filed on Friday morning."),
            "{}",
            page.body
        );
        for footer in [
            "Created with Sketch. Created with Sketch. Created with Sketch.",
            "The contents of this site are © 2019 Harbour Publishing Corp.",
            "What to buy for the person who has everything",
            "Crafted with care by Templates | Designed by First Media",
        ] {
            let page = run(&format!("{article}{footer}\n"));
            assert!(
                page.body.ends_with("in the regional court."),
                "{footer}: {}",
                page.body
            );
        }
    }

    #[test]
    fn bylines_give_the_author() {
        assert_eq!(byline("By Jane Doe"), Some("Jane Doe".into()));
        assert_eq!(
            byline("Anna Gabrielle Cerezo,"),
            Some("Anna Gabrielle Cerezo".into())
        );
        assert_eq!(
            byline("Tom Krisher, Ap Auto Writer"),
            Some("Tom Krisher".into())
        );
        assert_eq!(
            byline("The series premiered last October, to acclaim."),
            None
        );
    }

    #[test]
    fn a_dateline_with_its_byline_gives_the_date_and_the_author() {
        let prose = "The council voted on Tuesday to close the old bridge to cars, after \
            engineers found cracks in two of its piers, and buses will take the ring road.";
        for line in [
            "Posted on June 12, 2018 by Ann Lee",
            "Posted by Ann Lee on June 12, 2018",
        ] {
            let page = run(&format!("Bridge closes to cars\n\n{line}\n\n{prose}\n"));
            assert_eq!(
                page.published.map(|s| s.to_string()).as_deref(),
                Some("2018-06-12"),
                "{line}"
            );
            assert_eq!(page.author.as_deref(), Some("Ann Lee"), "{line}");
            assert!(page.body.starts_with("The council voted"), "{}", page.body);
        }
    }

    #[test]
    fn menus_are_dropped_and_prose_kept() {
        let page = run(
            "  * Home\n  * News\n  * Sports\n\nCity Council Approves New Park Plan\n\nThe city council voted on Tuesday to approve a plan for a new park near the river, after months of debate.\n\nResidents said they had waited years for the park and were glad the vote finally came.\n\n  * Privacy Policy\n  * Terms of Use\n",
        );
        assert!(
            page.body.starts_with("The city council") || page.body.starts_with("City Council"),
            "{}",
            page.body
        );
        assert!(page.body.contains("Residents said"));
        assert!(!page.body.contains("Sports"));
        assert!(!page.body.contains("Privacy"));
    }

    /// Appends each line at the indentation, followed by `end` (a newline, or a blank line).
    fn push_lines(s: &mut String, indent: &str, lines: &[&str], end: &str) {
        for l in lines {
            s.push_str(&format!("{indent}{l}{end}"));
        }
    }

    /// A dump as a text browser prints it: an article at one depth, cut in two by a "trending"
    /// list, and below it a longer list of teasers nested deeper, each summary under its headline
    /// and over its age.
    fn indented_dump(indent_article: usize, indent_teasers: usize, teasers: usize) -> String {
        let a = " ".repeat(indent_article);
        let t = " ".repeat(indent_teasers);
        let mut s = String::new();
        s.push_str("    * News\n    * Sport\n    * Weather\n\n");
        s.push_str(&format!("{a}Harbour Plan Approved After Long Debate\n\n"));
        push_lines(
            &mut s,
            &a,
            &[
                "The council approved the harbour plan on Tuesday after a long debate, and work will start in the spring.",
                "Residents who opposed the plan said they would appeal the decision in the regional court next month.",
            ],
            "\n\n",
        );
        s.push_str(&format!("{a}  Trending\n"));
        push_lines(
            &mut s,
            &format!("{a}    * "),
            &[
                "Storm closes bridge",
                "School wins prize",
                "New mayor sworn in",
                "Ferry fares rise",
                "Library reopens",
                "Market moves indoors",
            ],
            "\n",
        );
        s.push('\n');
        push_lines(
            &mut s,
            &a,
            &[
                "The mayor said the new quays would bring ferries back to the old town for the first time in forty years.",
                "Fishermen asked for a share of the berths, and the council promised to hear them before the building starts.",
                "The plan costs twelve million euros, most of it paid by the region and a smaller part by the port itself.",
                "Engineers expect the first berths to open within two years, and the whole harbour within five.",
                "Shops along the waterfront hope the ferries will bring visitors back in the quiet winter months.",
            ],
            "\n\n",
        );
        push_lines(
            &mut s,
            "    * ",
            &[
                "About us",
                "Contact",
                "Advertise",
                "Privacy",
                "Terms",
                "Jobs",
            ],
            "\n",
        );
        s.push_str("    © 2019 Harbour News. All rights reserved.\n\n");
        for k in 0..teasers {
            s.push_str(&format!("{t}Teaser headline number {k} about the region\n"));
            s.push_str(&format!("{t}This is the opening sentence of another story on the site, number {k}, which a reader may click to read in full.\n"));
            s.push_str(&format!("{t}  {k}H ago\n\n"));
        }
        s
    }

    #[test]
    fn an_indented_dump_keeps_the_article_column_and_not_a_longer_teaser_list() {
        // The teasers hold more text than the article, but less prose in sentences that follow
        // one another.
        let page = run(&indented_dump(8, 22, 6));
        assert!(page.body.contains("The council approved"), "{}", page.body);
        assert!(page.body.contains("twelve million euros"), "{}", page.body);
        assert!(!page.body.contains("another story"), "{}", page.body);
    }

    #[test]
    fn a_list_under_the_article_at_its_column_is_kept_and_one_nested_deeper_is_not() {
        let dump = |list_indent: usize| {
            let a = " ".repeat(8);
            let l = " ".repeat(list_indent);
            let mut s = String::from(
                "    * Music\n    * Tours\n\n      Band Announces Reunion Tour\n\n          By Ann Smith\n\n",
            );
            push_lines(
                &mut s,
                &a,
                &[
                    "The band will reunite with its former singer for a tour across the country next summer.",
                    "Tickets go on sale on Friday, and the band said it would add dates if the first shows sell out.",
                ],
                "\n\n",
            );
            s.push_str(&format!("{l}Tour Dates\n\n"));
            push_lines(
                &mut s,
                &l,
                &[
                    "June 9 – Tampa, FL",
                    "June 10 – Atlanta, GA",
                    "June 14 – Nashville, TN",
                    "June 17 – Raleigh, NC",
                ],
                "\n",
            );
            s.push_str("\n    * Privacy\n    * Terms\n");
            s
        };
        let page = run(&dump(8));
        assert!(
            page.body.contains("June 9 – Tampa, FL\nJune 10"),
            "{}",
            page.body
        );
        assert!(page.body.contains("Tour Dates"), "{}", page.body);
        let page = run(&dump(14));
        assert!(!page.body.contains("Tampa"), "{}", page.body);
    }

    #[test]
    fn a_flat_dump_keeps_following_paragraphs_over_teasers_under_headlines() {
        let flat: String = indented_dump(0, 0, 4)
            .lines()
            .map(|l| format!("{}\n", l.trim_start()))
            .collect();
        let page = run(&flat);
        assert!(page.body.contains("twelve million euros"), "{}", page.body);
        assert!(!page.body.contains("another story"), "{}", page.body);
    }
}

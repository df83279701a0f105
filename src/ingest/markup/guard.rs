//! The pre-parse guard: a light tag scanner that strips script, style and drawing text, keeps
//! JSON-LD aside, cuts small navigation and flattens nesting deeper than the cap, reading where
//! a tag, comment or raw-text element ends as the standard tokenizer does.

use super::{DOCUMENT, Dom, Node, NodeData, children_in, push_collapsed, quick};

/// What the pre-parse guard took out of the markup that the metadata reader still wants.
#[derive(Debug, Default)]
pub struct Stripped {
    /// Bodies of `<script type="application/ld+json">` elements.
    pub json_ld: Vec<String>,
}

/// Element names that never have children (no end tag).
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "frame", "basefont", "bgsound", "isindex", "image",
];

/// Elements whose end tag is optional: the parser closes them implicitly, so they do not nest
/// in practice and are not counted toward the depth cap.
const AUTO_CLOSED: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot", "rb",
    "rt", "rtc", "rp", "colgroup", "caption", "html", "head", "body",
];

/// Elements whose contents are dropped before parsing: code, styling and vector drawings are
/// never article text, and skipping them here saves the parser most of a modern page's bytes.
const STRIPPED: &[&str] = &["script", "style", "svg", "noscript", "template", "math"];

/// Elements whose contents the tokenizer reads as text up to their end tag, never as markup.
const RAW_TEXT: &[&str] = &[
    "title",
    "textarea",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// Elements the cleaner always removes that are cut here too, unless one holds a large share of
/// the page (a page wrapped in a `<nav>` is still read): site navigation, drop-down lists and
/// buttons are a large share of a page's markup and never its text.
const CUT_WHEN_SMALL: &[&str] = &["nav", "select", "button"];

/// A `CUT_WHEN_SMALL` element is cut only when it is less than this share of the page's bytes.
const CUT_MAX_SHARE: f32 = 0.25;

/// How many open elements an end tag may look back through to find its start tag. Bounded so
/// that a flood of stray end tags costs linear time.
const END_TAG_LOOKBACK: usize = 64;

/// Rewrites markup before parsing: drops script, style and svg contents (keeping JSON-LD
/// aside), and removes start and end tags that would nest deeper than `max_depth`, keeping
/// their contents. A light tag scanner, not a parser: it only needs to be right about nesting
/// depth, which bounds the tree builder's work, whose scope checks are linear in depth.
pub fn guard(html: &str, max_depth: usize) -> (String, Stripped) {
    let b = html.as_bytes();
    // Most of a page survives: sized for all of it, so the copy never grows.
    let mut out = String::with_capacity(html.len());
    let mut stripped = Stripped::default();
    let mut stack: Vec<(&str, bool)> = Vec::new(); // (name as written, dropped)
    let mut depth = 0usize;
    let mut copied = 0usize;
    let mut i = 0usize;
    while let Some(off) = memchr(b'<', &b[i..]) {
        let lt = i + off;
        i = lt + 1;
        if b[i..].starts_with(b"!--") {
            // Comments are copied whole (the saved-from note is one).
            i = comment_end(b, i + 3);
            continue;
        }
        let end_tag = b.get(i) == Some(&b'/');
        let name_start = if end_tag { i + 1 } else { i };
        let mut j = name_start;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
            j += 1;
        }
        if j == name_start || !b[name_start].is_ascii_alphabetic() {
            // `<!doctype …>`, `<?…>` and `</` before anything but a letter are bogus
            // comments to the tokenizer: they end at the first `>`, and nothing inside is a tag.
            let bogus = matches!(b.get(i), Some(b'!' | b'?')) || end_tag;
            if bogus {
                i = memchr(b'>', &b[i..]).map_or(b.len(), |e| i + e + 1);
            }
            continue;
        }
        // The tokenizer's tag name runs to a space, `/` or `>`: `<head<>` opens `head<`.
        let name_end = j + b[j..].iter().take_while(|&&c| !ends_tag_name(c)).count();
        let whole_name = name_end == j;
        let name = &html[name_start..name_end];
        let mut lower_buf = [0u8; 16];
        // `<script,>` is no script.
        let lower = if whole_name {
            short_lower(name, &mut lower_buf)
        } else {
            ""
        };
        let is = |list: &[&str]| list.contains(&lower);
        let gt = tag_end(b, j);
        let self_closing = gt > 0 && b[gt - 1] == b'/';
        let tag_stop = (gt + 1).min(b.len());
        let foreign = lower == "svg" || lower == "math";
        if !end_tag && is(STRIPPED) && !(foreign && self_closing) {
            // Skip to the matching end tag (these never nest in a way that matters here).
            let close = format!("</{lower}");
            let mut body_end = find_ci(b, close.as_bytes(), tag_stop).unwrap_or(b.len());
            if foreign {
                // Drawings end early where an HTML tag breaks out of them, as the tree builder
                // reads foreign content: what follows is the page again.
                if let Some(at) = breakout(b, tag_stop, body_end, &stack, lower == "math") {
                    out.push_str(&html[copied..lt]);
                    copied = at;
                    i = at;
                    continue;
                }
            }
            if name.eq_ignore_ascii_case("script") {
                let tag = html[lt..tag_stop].to_ascii_lowercase();
                if tag.contains("ld+json") {
                    stripped.json_ld.push(html[tag_stop..body_end].to_string());
                }
                // Some blog engines ship the article as a client-side template, markup inside a
                // `<script type="text/template">` that the browser renders. When it is markup
                // (not JSON data) and holds paragraphs, it is read as markup: only its start tag
                // goes (the end tag left behind is one the parser ignores).
                let markup = html[tag_stop..body_end].trim_start().starts_with('<');
                if markup && is_template(&tag) && contains_tag(b, b"p", tag_stop, body_end) {
                    out.push_str(&html[copied..lt]);
                    copied = tag_stop;
                    i = tag_stop;
                    continue;
                }
            }
            body_end = body_end.min(b.len());
            out.push_str(&html[copied..lt]);
            let after = find(b, b">", body_end).map_or(b.len(), |e| e + 1);
            copied = after;
            i = after;
            continue;
        }
        if !end_tag && is(RAW_TEXT) {
            // Copied as they are: nothing up to the end tag is markup (to the end of the page
            // when it never closes, as a browser reads it).
            i = find_ci(b, format!("</{lower}").as_bytes(), tag_stop).unwrap_or(b.len());
            continue;
        }
        if !end_tag
            && !self_closing
            && is(CUT_WHEN_SMALL)
            && let Some(close) = matching_close(b, name, tag_stop)
            && ((close - lt) as f32) < b.len() as f32 * CUT_MAX_SHARE
        {
            out.push_str(&html[copied..lt]);
            let after = find(b, b">", close).map_or(b.len(), |e| e + 1);
            copied = after;
            i = after;
            continue;
        }
        if self_closing || is(VOID) || is(AUTO_CLOSED) {
            i = tag_stop;
            continue;
        }
        if end_tag {
            let found = stack
                .iter()
                .rev()
                .take(END_TAG_LOOKBACK)
                .position(|(n, _)| n.eq_ignore_ascii_case(name));
            if let Some(k) = found {
                let at = stack.len() - 1 - k;
                let dropped = stack[at].1;
                for (_, d) in stack.drain(at..) {
                    if !d {
                        depth -= 1;
                    }
                }
                if dropped {
                    out.push_str(&html[copied..lt]);
                    copied = tag_stop;
                }
            }
        } else if depth >= max_depth {
            stack.push((name, true));
            out.push_str(&html[copied..lt]);
            copied = tag_stop;
        } else {
            depth += 1;
            stack.push((name, false));
        }
        i = tag_stop;
    }
    out.push_str(&html[copied.min(html.len())..]);
    (out, stripped)
}

/// Whether a byte ends a tag name, as the tokenizer reads one: a space, `/` or `>`.
pub(crate) fn ends_tag_name(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'>')
}

/// A tag name in lower case, written into `buf` (no allocation); `""` for a name longer than
/// the buffer, which is longer than any element the guard names.
fn short_lower<'a>(name: &str, buf: &'a mut [u8; 16]) -> &'a str {
    let Some(out) = buf.get_mut(..name.len()) else {
        return "";
    };
    out.copy_from_slice(name.as_bytes());
    out.make_ascii_lowercase();
    std::str::from_utf8(out).unwrap_or("")
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    memchr::memchr(needle, hay)
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|p| p + from)
}

/// Where a comment whose `<!--` ended at `from` stops, as the standard tokenizer reads it:
/// `<!-->` and `<!--->` are empty comments, and `--!>` closes a comment as `-->` does.
fn comment_end(b: &[u8], from: usize) -> usize {
    let rest = &b[from.min(b.len())..];
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    let mut i = from;
    while let Some(at) = find(b, b"--", i) {
        match b.get(at + 2) {
            Some(b'>') => return at + 3,
            Some(b'!') if b.get(at + 3) == Some(&b'>') => return at + 4,
            _ => i = at + 1,
        }
    }
    b.len()
}

/// Where the end tag matching an element opened just before `from` starts, counting nested
/// elements of the same name. `None` when it is never closed.
fn matching_close(b: &[u8], name: &str, from: usize) -> Option<usize> {
    let n = name.len();
    let mut depth = 1usize;
    let mut i = from;
    while let Some(off) = memchr(b'<', b.get(i..)?) {
        let at = i + off;
        let closing = b.get(at + 1) == Some(&b'/');
        let start = if closing { at + 2 } else { at + 1 };
        // The name must end where the tokenizer ends it: `</button.` is another element.
        let matches_name = b.len() >= start + n
            && b[start..start + n].eq_ignore_ascii_case(name.as_bytes())
            && b.get(start + n).is_none_or(|&c| ends_tag_name(c));
        if matches_name {
            if closing {
                depth -= 1;
                if depth == 0 {
                    return Some(at);
                }
            } else {
                depth += 1;
            }
        }
        i = at + 1;
    }
    None
}

/// HTML start tags that end an `<svg>` or `<math>` drawing they appear in (the tree builder's
/// breakout list; `font` only with attributes, which is left to the parser), as do the end tags
/// `</p>`, `</br>` and those of the HTML elements the drawing is inside.
const BREAKOUT: &[&str] = &[
    "b",
    "big",
    "blockquote",
    "body",
    "br",
    "center",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "hr",
    "i",
    "img",
    "li",
    "listing",
    "menu",
    "meta",
    "nobr",
    "ol",
    "p",
    "pre",
    "ruby",
    "s",
    "small",
    "span",
    "strong",
    "strike",
    "sub",
    "sup",
    "table",
    "tt",
    "u",
    "ul",
    "var",
];

/// Where the first breakout tag (see [`BREAKOUT`]) in `b[from..to]`, the body of an `<svg>` (or,
/// with `math`, a `<math>`), begins; tags inside comments are none.
fn breakout(b: &[u8], from: usize, to: usize, open: &[(&str, bool)], math: bool) -> Option<usize> {
    let part = &b[..to];
    let mut i = from;
    // The drawing's own open elements, and how many of them are integration points.
    // Each with whether it is HTML (opened inside an integration point).
    let mut drawing: Vec<(&str, bool)> = Vec::new();
    let mut open_points = 0usize;
    while let Some(off) = memchr(b'<', &part[i..]) {
        let at = i + off;
        i = at + 1;
        match part.get(at + 1) {
            Some(b'!') if part[at + 2..].starts_with(b"--") => {
                i = comment_end(part, at + 4);
                continue;
            }
            // In a drawing, CDATA is text up to its `]]>`.
            Some(b'!') if part[at + 2..].starts_with(b"[CDATA[") => {
                i = find(part, b"]]>", at + 9).map_or(part.len(), |e| e + 3);
                continue;
            }
            Some(b'!' | b'?') => {
                i = memchr(b'>', &part[i..]).map_or(part.len(), |e| i + e + 1);
                continue;
            }
            // `</` before anything but a letter is a bogus comment too.
            Some(b'/') if !part.get(at + 2).is_some_and(u8::is_ascii_alphabetic) => {
                i = memchr(b'>', &part[i..]).map_or(part.len(), |e| i + e + 1);
                continue;
            }
            _ => {}
        }
        let closing = part.get(at + 1) == Some(&b'/');
        let at_name = (if closing { at + 2 } else { at + 1 }).min(part.len());
        let name_len = part[at_name..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        let ends = part
            .get(at_name + name_len)
            .is_none_or(|&c| ends_tag_name(c));
        // ASCII letters, digits and dashes: always a whole string.
        let written = std::str::from_utf8(&part[at_name..at_name + name_len]).unwrap_or("");
        let mut lower_buf = [0u8; 16];
        let name = short_lower(written, &mut lower_buf);
        if name_len == 0 {
            continue;
        }
        // A tag runs to its own `>`: a `<` inside its name or attributes starts nothing.
        let gt = tag_end(part, at_name + name_len);
        i = (gt + 1).min(part.len());
        if !ends {
            continue;
        }
        if closing {
            // Inside an integration point's HTML, an end tag closes only an HTML element met
            // before a special one (an SVG `title` is one): `</title>` inside its `<p>` is
            // ignored.
            let target = if drawing.last().is_some_and(|&(_, html)| html) {
                let mut found = None;
                for (k, &(n, html)) in drawing.iter().enumerate().rev() {
                    if html && n.eq_ignore_ascii_case(written) {
                        found = Some(k);
                        break;
                    }
                    if !html || quick::SPECIAL.iter().any(|s| s.eq_ignore_ascii_case(n)) {
                        break;
                    }
                }
                if found.is_none() {
                    continue;
                }
                found
            } else {
                drawing
                    .iter()
                    .rposition(|(n, _)| n.eq_ignore_ascii_case(written))
            };
            if let Some(k) = target {
                // It closes an element of the drawing.
                open_points -= drawing[k..]
                    .iter()
                    .filter(|(n, html)| !html && is_integration_point(n, math))
                    .count();
                drawing.truncate(k);
                continue;
            }
            // `</p>`, `</br>` and the end tag of an HTML element the drawing is inside close
            // the drawing.
            let html_end = name == "p" || name == "br" || closes_open(open, name);
            if html_end && open_points == 0 {
                return Some(at);
            }
            continue;
        }
        // Inside an integration point (an SVG `title`, `desc` or `foreignObject`, a MathML
        // text element) tags are HTML that stays in the drawing: nothing breaks out there.
        if open_points == 0 && BREAKOUT.contains(&name) {
            return Some(at);
        }
        let self_closing = gt < part.len() && part[gt - 1] == b'/';
        if !self_closing {
            let html = open_points > 0;
            // An HTML void element never stays open.
            if !(html && VOID.contains(&name)) {
                open_points += usize::from(!html && is_integration_point(written, math));
                drawing.push((written, html));
            }
        }
    }
    None
}

/// Whether the end tag `name` (lower case) closes an open HTML element, as the tree builder
/// reads the open elements from the innermost out: a match closes it; for a block's end tag a
/// scope boundary (a table cell) stops the search first, for any other an element of the
/// special kind (a `div`) does. Formatting elements' own rules (the adoption agency) are read
/// as the latter.
fn closes_open(open: &[(&str, bool)], name: &str) -> bool {
    // Block ends look for their element "in scope": only a table cell, a caption or an embedded
    // object stands in the way.
    let scoped = quick::closes_block(name)
        || quick::HEADINGS.contains(&name)
        || matches!(name, "li" | "dd" | "dt" | "form");
    let stop = if scoped { quick::SCOPE } else { quick::SPECIAL };
    for (n, _) in open.iter().rev() {
        if n.eq_ignore_ascii_case(name) {
            return true;
        }
        if stop.iter().any(|s| s.eq_ignore_ascii_case(n)) {
            return false;
        }
    }
    false
}

/// Whether an element of a drawing (its name as written) is an integration point: SVG's
/// `foreignObject`, `desc` and `title`, MathML's text elements (a MathML `title` is none).
fn is_integration_point(name: &str, math: bool) -> bool {
    let points: &[&str] = if math {
        &["mi", "mo", "mn", "ms", "mtext", "annotation-xml"]
    } else {
        &["foreignobject", "desc", "title"]
    };
    points.iter().any(|p| p.eq_ignore_ascii_case(name))
}

/// A script start tag whose type marks its body as a markup template.
fn is_template(tag: &str) -> bool {
    super::quick::attribute(tag, "type").is_some_and(|t| {
        let t = t.trim().to_ascii_lowercase();
        t == "text/template" || t == "text/html"
    })
}

/// Whether an element named `name` (ASCII, lower case) starts in `hay[from..to]`, ignoring case.
fn contains_tag(hay: &[u8], name: &[u8], from: usize, to: usize) -> bool {
    let part = &hay[from.min(to)..to];
    memchr::memchr_iter(b'<', part).any(|at| {
        let start = at + 1;
        part.len() > start + name.len()
            && part[start..start + name.len()].eq_ignore_ascii_case(name)
            && matches!(
                part[start + name.len()],
                b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/'
            )
    })
}

/// Where the end tag `needle` (`</name`, ASCII, lower case) first starts at or after `from`,
/// ignoring case. As the tokenizer reads a raw-text element's end, the name must be followed by
/// a space, `/` or `>`: `</title,>` or `</scripts>` is still text.
fn find_ci(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(at) = find(hay, b"</", i) {
        let end = at + needle.len();
        if hay.len() > end && hay[at..end].eq_ignore_ascii_case(needle) && ends_tag_name(hay[end]) {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

/// Index of the `>` that ends a tag whose name ended at `from` (the length when none does).
///
/// Follows the standard tokenizer's attribute states, because a quote opens a value only right
/// after `=`: a stray quote spliced elsewhere into a tag (`<meta "content="1">`, `media='a'l'`)
/// is part of an attribute name or an unquoted value, and the tag still ends at its own `>`.
/// Treating every quote as opening a value would pair the quotes of the rest of the page wrongly
/// and lose text the parser shows.
pub(crate) fn tag_end(b: &[u8], from: usize) -> usize {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        TagName,
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Unquoted,
    }
    // The bytes that can change the state from within a name or an unquoted value; the runs
    // between them (most of a tag) are skipped in a tight loop.
    const STOP: [bool; 256] = {
        let mut t = [false; 256];
        let stops = [b' ', b'\t', b'\n', b'\r', 0x0c, b'/', b'=', b'>'];
        let mut k = 0;
        while k < stops.len() {
            t[stops[k] as usize] = true;
            k += 1;
        }
        t
    };
    let mut state = State::TagName;
    let mut i = from.min(b.len());
    while i < b.len() {
        if matches!(state, State::TagName | State::Name | State::Unquoted) {
            while i < b.len() && !STOP[b[i] as usize] {
                i += 1;
            }
            if i == b.len() {
                break;
            }
        }
        let c = b[i];
        if c == b'>' {
            return i;
        }
        let space = matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c);
        state = match state {
            State::TagName | State::BeforeName | State::Name | State::AfterName if c == b'/' => {
                State::BeforeName
            }
            State::TagName | State::BeforeName if space => State::BeforeName,
            State::TagName => State::TagName,
            // A name may start with `=` or a quote: both are part of it.
            State::BeforeName => State::Name,
            State::Name | State::AfterName if c == b'=' => State::BeforeValue,
            State::Name | State::AfterName if space => State::AfterName,
            State::Name | State::AfterName => State::Name,
            State::BeforeValue if space => State::BeforeValue,
            State::BeforeValue if c == b'"' || c == b'\'' => match memchr::memchr(c, &b[i + 1..]) {
                Some(close) => {
                    i += 1 + close;
                    State::BeforeName
                }
                None => return b.len(),
            },
            State::BeforeValue | State::Unquoted if space => State::BeforeName,
            State::BeforeValue | State::Unquoted => State::Unquoted,
        };
        i += 1;
    }
    b.len()
}

/// Whether the guard keeps every word html5ever shows when it parses the raw markup alone (the
/// text outside the elements the guard is meant to drop: `STRIPPED`, `CUT_WHEN_SMALL`). `Err`
/// names the words lost. For the tests and the
/// fuzz target on damaged markup: the guard scans tags without a tokenizer, so this is what
/// keeps it from reading a stray quote or comment opener differently from a browser.
pub(crate) fn guard_agrees(html: &str) -> Result<(), String> {
    fn shown(nodes: &[Node]) -> String {
        let mut out = String::new();
        let mut stack = vec![DOCUMENT];
        while let Some(id) = stack.pop() {
            match &nodes[id].data {
                NodeData::Text(t) => push_collapsed(&mut out, t),
                NodeData::Element { name, .. }
                    if STRIPPED.contains(&&*name.local)
                        || CUT_WHEN_SMALL.contains(&&*name.local) => {}
                NodeData::Document | NodeData::Element { .. } => {
                    stack.extend(children_in(nodes, id).rev());
                }
                _ => {}
            }
        }
        out
    }
    let raw = shown(&super::sink::parse_full(html));
    let (guarded, _) = guard(html, usize::MAX);
    let ours = shown(&Dom::parse(&guarded).nodes);
    // Words, counted: the guard may show more (a markup template it reads), never fewer.
    let mut kept: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for w in ours.split_whitespace() {
        *kept.entry(w).or_default() += 1;
    }
    let mut lost = Vec::new();
    for w in raw.split_whitespace() {
        match kept.get_mut(w) {
            Some(n) if *n > 0 => *n -= 1,
            _ => lost.push(w),
        }
    }
    if lost.is_empty() {
        return Ok(());
    }
    let shown_lost: Vec<&str> = lost.iter().take(12).copied().collect();
    Err(format!(
        "the guarded parse loses {} of the {} words html5ever shows, first {:?}",
        lost.len(),
        raw.split_whitespace().count(),
        shown_lost
    ))
}

//! A quick HTML parser for the markup most saved pages are made of, building the same arena as
//! html5ever would, and giving up (returning `None`) on anything it does not handle exactly.
//!
//! Written by hand because parsing is the largest single cost of ingest: html5ever's tokenizer
//! and tree builder are general (streaming input, scripting, every recovery rule of the HTML
//! standard) and take about 40% of the time spent on a page. Most pages need only a small
//! part of those rules: tags that nest, paragraphs and list items closed implicitly, tables
//! with their implied bodies, entities. This module runs the standard's tokenizer and insertion
//! modes for that part, with the same results, and hands every other case back to html5ever:
//! formatting elements closed out of order (the adoption agency), text or elements misplaced
//! inside tables (foster parenting), a form closed while elements inside it are still open,
//! selects, ruby, frames, foreign content, scripts, templates and NUL characters. Tests check
//! both parsers give the same tree wherever this one answers.

use std::borrow::Cow;

use html5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use html5ever::tendril::StrTendril;
use html5ever::{Attribute, LocalName, QualName, ns};

use super::{self as markup, DOCUMENT, Node, NodeData, NodeId, is_read_attribute};

/// Why the quick parser left a page to html5ever: the rules of the standard it does not
/// implement, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GiveUp {
    /// NUL bytes, or a byte-order mark after the start.
    Bytes,
    /// Markup the tokenizer reads by rules of its own: `<!-->`, `--!>`, an unclosed comment or
    /// raw-text element, `=` opening an attribute name, a tag cut by the end of the file, a
    /// character reference it does not decode.
    Tokens,
    /// Scripts and templates.
    ScriptOrTemplate,
    /// Frame sets.
    Frameset,
    /// Formatting elements closed out of order (the adoption agency).
    Misnested,
    /// Content misplaced in a table (foster parenting).
    Table,
    /// Elements with rules of their own: `select` and `option`, `applet`, `marquee`,
    /// `object`, nested buttons and forms, drawings (`svg`, `math`).
    Element,
    /// A document whose quirks mode is not known where it changes the tree.
    Quirks,
    /// A state the builder does not model (an end tag with nothing open to close, …).
    Other,
}

impl GiveUp {
    /// Every reason, in the order counts are reported.
    pub const ALL: [GiveUp; 9] = [
        GiveUp::Bytes,
        GiveUp::Tokens,
        GiveUp::ScriptOrTemplate,
        GiveUp::Frameset,
        GiveUp::Misnested,
        GiveUp::Table,
        GiveUp::Element,
        GiveUp::Quirks,
        GiveUp::Other,
    ];

    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            GiveUp::Bytes => "bytes",
            GiveUp::Tokens => "tokens",
            GiveUp::ScriptOrTemplate => "script or template",
            GiveUp::Frameset => "frameset",
            GiveUp::Misnested => "misnested formatting",
            GiveUp::Table => "table content",
            GiveUp::Element => "special element",
            GiveUp::Quirks => "quirks",
            GiveUp::Other => "other",
        }
    }
}

/// Parses markup into the arena html5ever's tree builder would build, or `None` when the page
/// needs a rule this parser does not implement.
pub fn parse(html: &str) -> Option<Vec<Node>> {
    parse_or_why(html).ok()
}

/// [`parse`], with the reason it gave up.
pub fn parse_or_why(html: &str) -> Result<Vec<Node>, GiveUp> {
    // The tokenizer's input preprocessing: CR LF and lone CR become LF.
    let normalized;
    let html = if memchr::memchr(b'\r', html.as_bytes()).is_some() {
        normalized = html.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        html
    };
    if memchr::memchr(0, html.as_bytes()).is_some() {
        return Err(GiveUp::Bytes);
    }
    // The tokenizer drops a byte order mark.
    let html = html.strip_prefix('\u{FEFF}').unwrap_or(html);
    // html5ever restarts its input after a `<meta charset>` and drops a byte-order mark that
    // stands right there; a U+FEFF anywhere later is rare enough to leave to html5ever.
    if memchr::memmem::find(html.as_bytes(), "\u{FEFF}".as_bytes()).is_some() {
        return Err(GiveUp::Bytes);
    }
    // About one element and one text node per tag: sized once instead of grown.
    let tags = memchr::memchr_iter(b'<', html.as_bytes()).count();
    let mut nodes = Vec::with_capacity(tags * 3 / 2 + 8);
    nodes.push(Node::new(NodeData::Document));
    let mut kinds = Vec::with_capacity(nodes.capacity());
    kinds.push(0);
    let mut b = Builder {
        lex: Lexer {
            s: html,
            source: StrTendril::from(html),
            i: 0,
            attrs: Vec::new(),
            why: None,
        },
        nodes,
        kinds,
        kind_memo: rustc_hash::FxHashMap::default(),
        stack: Vec::new(),
        mode: Mode::Initial,
        head: None,
        form: None,
        quirks: Quirks::Unknown,
        ignore_lf: false,
        why: None,
    };
    let why = |b: &Builder| b.why.or(b.lex.why).unwrap_or(GiveUp::Other);
    loop {
        let Some(tok) = b.lex.next() else {
            return Err(b.lex.why.unwrap_or(GiveUp::Tokens));
        };
        if matches!(tok, Tok::Eof) {
            // The end still implies the html, head and body elements a page lacks.
            if b.process(tok).is_none() {
                return Err(why(&b));
            }
            return Ok(b.nodes);
        }
        let ignore_lf = std::mem::take(&mut b.ignore_lf);
        let tok = match tok {
            Tok::Text(t) if ignore_lf && t.starts_with('\n') => {
                if t.len() == 1 {
                    continue;
                }
                Tok::Text(match t {
                    Cow::Borrowed(s) => Cow::Borrowed(&s[1..]),
                    Cow::Owned(s) => Cow::Owned(s[1..].to_string()),
                })
            }
            t => t,
        };
        if b.process(tok).is_none() {
            return Err(why(&b));
        }
    }
}

/// One token of the standard's tokenizer (doctype, tag, comment, text).
#[derive(Debug)]
enum Tok<'a> {
    Doctype(Quirks),
    Start {
        name: LocalName,
        attrs: Vec<Attribute>,
    },
    End(LocalName),
    Comment(Cow<'a, str>),
    Text(Cow<'a, str>),
    Eof,
}

/// The document's quirks mode as far as it matters here: whether `<table>` closes an open `<p>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quirks {
    /// No doctype: quirks mode, a table stays inside the paragraph.
    Yes,
    /// `<!DOCTYPE html>`: standards mode.
    No,
    /// A doctype with identifiers; working out its mode is left to html5ever.
    Unknown,
}

struct Lexer<'a> {
    s: &'a str,
    /// The same text as one shared buffer: a text or value read straight from the page is a
    /// slice of it (a reference count, no allocation or copy of its own).
    source: StrTendril,
    i: usize,
    /// The attributes of the tag being read, reused from tag to tag so that each element's
    /// list is allocated once at its final size.
    attrs: Vec<Attribute>,
    /// Why it gave up, where it says so.
    why: Option<GiveUp>,
}

fn is_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0C' | b' ')
}

impl<'a> Lexer<'a> {
    /// Records why the parser gives up (the first reason stands) and gives up.
    fn give_up<T>(&mut self, why: GiveUp) -> Option<T> {
        self.why.get_or_insert(why);
        None
    }

    /// `text` as a tendril: a slice of [`Lexer::source`] when it lies in the page, else a copy
    /// (text decoded from entities).
    fn tendril(&self, text: &str) -> StrTendril {
        let offset = (text.as_ptr() as usize).wrapping_sub(self.s.as_ptr() as usize);
        if offset <= self.s.len()
            && text.len() <= self.s.len() - offset
            && let (Ok(at), Ok(len)) = (u32::try_from(offset), u32::try_from(text.len()))
            && let Ok(t) = self.source.try_subtendril(at, len)
        {
            return t;
        }
        StrTendril::from(text)
    }

    fn bytes(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    /// The next token; `None` to give up.
    fn next(&mut self) -> Option<Tok<'a>> {
        let b = self.bytes();
        loop {
            let i = self.i;
            if i >= b.len() {
                return Some(Tok::Eof);
            }
            if b[i] != b'<' {
                let end = memchr::memchr(b'<', &b[i..]).map_or(b.len(), |p| i + p);
                self.i = end;
                return Some(Tok::Text(decode(&self.s[i..end], None)?));
            }
            match b.get(i + 1) {
                Some(c) if c.is_ascii_alphabetic() => return self.tag(i + 1, false),
                Some(b'/') => match b.get(i + 2) {
                    Some(c) if c.is_ascii_alphabetic() => return self.tag(i + 2, true),
                    Some(b'>') => self.i = i + 3,
                    None => {
                        self.i = b.len();
                        return Some(Tok::Text(Cow::Borrowed("</")));
                    }
                    Some(_) => return Some(self.bogus_comment(i + 2)),
                },
                Some(b'!') => return self.declaration(i + 2),
                Some(b'?') => return Some(self.bogus_comment(i + 1)),
                _ => {
                    // A `<` that starts no tag is text, up to the next `<`.
                    let end = memchr::memchr(b'<', &b[i + 1..]).map_or(b.len(), |p| i + 1 + p);
                    self.i = end;
                    return Some(Tok::Text(decode(&self.s[i..end], None)?));
                }
            }
        }
    }

    /// `<!` comments and doctypes.
    fn declaration(&mut self, at: usize) -> Option<Tok<'a>> {
        let b = self.bytes();
        let rest = &b[at..];
        if rest.starts_with(b"--") {
            let body = at + 2;
            // `<!-->` and `<!--->` end at once; `--!>` also ends a comment. Both are left to
            // html5ever.
            if b[body..].starts_with(b">") || b[body..].starts_with(b"->") {
                return self.give_up(GiveUp::Tokens);
            }
            let end = body + memchr::memmem::find(&b[body..], b"-->")?;
            if memchr::memmem::find(&b[body..end + 3], b"--!>").is_some() {
                return self.give_up(GiveUp::Tokens);
            }
            self.i = end + 3;
            return Some(Tok::Comment(Cow::Borrowed(&self.s[body..end])));
        }
        if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
            let gt = at + memchr::memchr(b'>', rest)?;
            let inner = self.s[at + 7..gt].trim_matches(|c: char| c.is_ascii_whitespace());
            self.i = gt + 1;
            let quirks = if inner.eq_ignore_ascii_case("html") {
                Quirks::No
            } else {
                Quirks::Unknown
            };
            return Some(Tok::Doctype(quirks));
        }
        Some(self.bogus_comment(at))
    }

    /// Markup that only looks like a declaration is a comment up to the next `>`.
    fn bogus_comment(&mut self, from: usize) -> Tok<'a> {
        let b = self.bytes();
        let end = memchr::memchr(b'>', &b[from..]).map_or(b.len(), |p| from + p);
        self.i = (end + 1).min(b.len());
        Tok::Comment(Cow::Borrowed(&self.s[from..end]))
    }

    /// A start or end tag whose name starts at `at`.
    fn tag(&mut self, at: usize, end: bool) -> Option<Tok<'a>> {
        let b = self.bytes();
        let mut i = at;
        while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let name = lower(&self.s[at..i]);
        let mut attrs = std::mem::take(&mut self.attrs);
        attrs.clear();
        // The attribute states of the tokenizer, with `i` on the next unread byte.
        loop {
            while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
                i += 1;
            }
            match b.get(i) {
                None => return self.give_up(GiveUp::Tokens), // end of file inside a tag: the tag is dropped
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(b'=') => return self.give_up(GiveUp::Tokens), // `=` opening an attribute name
                Some(_) => {}
            }
            let name_start = i;
            while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            // Only the attributes ingest reads are kept, so only theirs are decoded.
            let kept = if end {
                None
            } else {
                let (name, read) = lower_and_read(&self.s[name_start..i]);
                read.then_some(name)
            };
            let keep = kept.is_some();
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            let mut value: Cow<'a, str> = Cow::Borrowed("");
            if b.get(i) == Some(&b'=') {
                i += 1;
                while i < b.len() && is_space(b[i]) {
                    i += 1;
                }
                match b.get(i) {
                    None => return self.give_up(GiveUp::Tokens),
                    Some(&q @ (b'"' | b'\'')) => {
                        let close = i + 1 + memchr::memchr(q, &b[i + 1..])?;
                        if keep {
                            value = decode(&self.s[i + 1..close], Some(q))?;
                        }
                        i = close + 1;
                    }
                    Some(b'>') => {}
                    Some(_) => {
                        let start = i;
                        while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                            i += 1;
                        }
                        if keep {
                            value = decode(&self.s[start..i], Some(b' '))?;
                        }
                    }
                }
            }
            if let Some(attr_name) = kept
                && !attrs.iter().any(|a| a.name.local == attr_name)
            {
                attrs.push(Attribute {
                    name: QualName::new(None, ns!(), attr_name),
                    value: self.tendril(&value),
                });
            }
        }
        self.i = i;
        let tok = if end {
            Tok::End(name)
        } else {
            let mut exact = Vec::with_capacity(attrs.len());
            exact.append(&mut attrs);
            Tok::Start { name, attrs: exact }
        };
        self.attrs = attrs;
        Some(tok)
    }

    /// The text of a RAWTEXT or RCDATA element (`title`, `textarea`, `iframe`…), reading past
    /// its end tag.
    fn raw_text(&mut self, name: &str, rcdata: bool) -> Option<Cow<'a, str>> {
        let b = self.bytes();
        let start = self.i;
        let mut from = start;
        let end = loop {
            let at = from + memchr::memmem::find(&b[from..], b"</")?;
            let name_end = at + 2 + name.len();
            if b.len() > name_end
                && b[at + 2..name_end].eq_ignore_ascii_case(name.as_bytes())
                && (is_space(b[name_end]) || matches!(b[name_end], b'/' | b'>'))
            {
                break at;
            }
            from = at + 2;
        };
        // The end tag only closes the element, which the caller does.
        self.tag(end + 2, true)?;
        let text = &self.s[start..end];
        if rcdata {
            decode(text, None)
        } else {
            Some(Cow::Borrowed(text))
        }
    }
}

/// The value of attribute `name` on the start tag `tag` (`<script type=…>`), read by the
/// tokenizer above; `None` when the tag has no such attribute or is not a start tag.
pub fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut lexer = Lexer {
        s: tag,
        // Values are copied: a tag is too short to share.
        source: StrTendril::new(),
        i: 0,
        attrs: Vec::new(),
        why: None,
    };
    match lexer.next()? {
        Tok::Start { attrs, .. } => attrs
            .into_iter()
            .find(|a| &*a.name.local == name)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

/// Slots of the per-thread name memory (a power of two).
const NAME_SLOTS: usize = 1024;

/// Longest name, in bytes, the memory holds; longer names are interned every time.
const NAME_SLOT_BYTES: usize = 16;

/// A remembered name as written, its atom, and whether ingest reads it as an attribute.
#[derive(Clone)]
struct NameSlot {
    len: u8,
    name: [u8; NAME_SLOT_BYTES],
    atom: Option<LocalName>,
    read: bool,
}

/// ASCII lower case as an atom, without allocating when the name already is.
fn lower(name: &str) -> LocalName {
    lower_and_read(name).0
}

/// [`lower`], and whether ingest reads an attribute of that name ([`is_read_attribute`]),
/// remembered with the atom.
fn lower_and_read(name: &str) -> (LocalName, bool) {
    thread_local! {
        /// Interning a name hashes it into the global atom set; the same few hundred tag and
        /// attribute names recur on every page, so each thread keeps a direct-mapped memory
        /// of them, the name stored inline so that a lookup reads one slot.
        static NAMES: std::cell::RefCell<Vec<NameSlot>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let intern = || {
        if name.bytes().any(|c| c.is_ascii_uppercase()) {
            LocalName::from(name.to_ascii_lowercase())
        } else {
            LocalName::from(name)
        }
    };
    let key = name.as_bytes();
    if key.len() > NAME_SLOT_BYTES {
        let atom = intern();
        let read = is_read_attribute(&atom);
        return (atom, read);
    }
    NAMES.with_borrow_mut(|slots| {
        if slots.is_empty() {
            let empty = NameSlot {
                len: 0,
                name: [0; NAME_SLOT_BYTES],
                atom: None,
                read: false,
            };
            slots.resize(NAME_SLOTS, empty);
        }
        let hash = std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, key);
        let slot = &mut slots[(hash as usize) & (NAME_SLOTS - 1)];
        if usize::from(slot.len) == key.len()
            && &slot.name[..key.len()] == key
            && let Some(atom) = &slot.atom
        {
            return (atom.clone(), slot.read);
        }
        let atom = intern();
        slot.len = key.len() as u8;
        slot.name = [0; NAME_SLOT_BYTES];
        slot.name[..key.len()].copy_from_slice(key);
        slot.atom = Some(atom.clone());
        slot.read = is_read_attribute(&atom);
        (atom, slot.read)
    })
}

/// Resolves character references as the tokenizer does. `attr` is `Some` inside an attribute
/// value, where a legacy reference without `;` followed by `=` or a letter stays literal.
fn decode(raw: &str, attr: Option<u8>) -> Option<Cow<'_, str>> {
    let b = raw.as_bytes();
    let Some(first) = memchr::memchr(b'&', b) else {
        return Some(Cow::Borrowed(raw));
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let mut i = first;
    while i < b.len() {
        if b[i] != b'&' {
            let next = memchr::memchr(b'&', &b[i..]).map_or(b.len(), |p| i + p);
            out.push_str(&raw[i..next]);
            i = next;
            continue;
        }
        i += 1;
        match b.get(i) {
            Some(b'#') => {
                let hex = matches!(b.get(i + 1), Some(b'x' | b'X'));
                let digits = if hex { i + 2 } else { i + 1 };
                let radix = if hex { 16 } else { 10 };
                let mut j = digits;
                let mut n: u32 = 0;
                let mut too_big = false;
                while let Some(d) = b.get(j).and_then(|&c| (c as char).to_digit(radix)) {
                    n = n.wrapping_mul(radix);
                    too_big |= n > 0x10FFFF;
                    n = n.wrapping_add(d);
                    j += 1;
                }
                if j == digits {
                    out.push('&');
                    continue;
                }
                if b.get(j) == Some(&b';') {
                    j += 1;
                }
                out.push(numeric_char(n, too_big));
                i = j;
            }
            Some(c) if c.is_ascii_alphanumeric() => {
                // The longest name in the entity table; every prefix of a name is a key too.
                let mut j = i;
                let mut matched: Option<(usize, (u32, u32))> = None;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b';') {
                    let Some(&m) = NAMED_ENTITIES.get(&raw[i..=j]) else {
                        break;
                    };
                    j += 1;
                    if m.0 != 0 {
                        matched = Some((j, m));
                    }
                }
                match matched {
                    None => out.push('&'),
                    Some((end, (c1, c2))) => {
                        let legacy = b[end - 1] != b';';
                        let next = b.get(end).copied();
                        let literal = attr.is_some()
                            && legacy
                            && next.is_some_and(|c| c == b'=' || c.is_ascii_alphanumeric());
                        if literal {
                            out.push('&');
                        } else {
                            out.push(char::from_u32(c1)?);
                            if c2 != 0 {
                                out.push(char::from_u32(c2)?);
                            }
                            i = end;
                        }
                    }
                }
            }
            _ => out.push('&'),
        }
    }
    Some(Cow::Owned(out))
}

/// The character a numeric reference stands for, with the standard's replacements.
fn numeric_char(n: u32, too_big: bool) -> char {
    match n {
        _ if too_big || n > 0x10FFFF => '\u{FFFD}',
        0 | 0xD800..=0xDFFF => '\u{FFFD}',
        0x80..=0x9F => C1_REPLACEMENTS[(n - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(n).unwrap_or('\u{FFFD}')),
        _ => char::from_u32(n).unwrap_or('\u{FFFD}'),
    }
}

/// The insertion modes this parser implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Initial,
    BeforeHtml,
    BeforeHead,
    InHead,
    AfterHead,
    InBody,
    InTable,
    InCaption,
    InColumnGroup,
    InTableBody,
    InRow,
    InCell,
    AfterBody,
    AfterAfterBody,
}

/// Elements kept on the list of active formatting elements.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// The standard's "special" elements.
pub(super) const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "isindex",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
];

/// Boundaries of the default scope.
pub(super) const SCOPE: &[&str] = &[
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "select", "template",
];

/// What the tree builder asks of an open element, as bits worked out once per element: the
/// lists above are searched for every element on the stack each time a link opens or an
/// element closes, which on a deep page was a large part of parsing.
mod kind {
    /// In [`super::FORMATTING`].
    pub const FORMATTING: u8 = 1;
    /// In [`super::SPECIAL`].
    pub const SPECIAL: u8 = 2;
    /// In [`super::SCOPE`].
    pub const SCOPE: u8 = 4;
    /// A marker of the list of active formatting elements: `td`, `th`, `caption`, `html`.
    pub const MARKER: u8 = 8;
    /// A boundary of table scope: `html`, `table`, `template`.
    pub const TABLE_SCOPE: u8 = 16;
    /// `button`, which bounds button scope.
    pub const BUTTON: u8 = 32;
    /// `ol` and `ul`, which bound list item scope.
    pub const LIST: u8 = 64;
}

/// The [`kind`] bits of an element name.
fn kind_of(n: &str) -> u8 {
    let mut k = 0;
    for (set, bit) in [
        (FORMATTING, kind::FORMATTING),
        (SPECIAL, kind::SPECIAL),
        (SCOPE, kind::SCOPE),
        (&["td", "th", "caption", "html"][..], kind::MARKER),
        (&["html", "table", "template"][..], kind::TABLE_SCOPE),
        (&["button"][..], kind::BUTTON),
        (&["ol", "ul"][..], kind::LIST),
    ] {
        if is(n, set) {
            k |= bit;
        }
    }
    k
}

/// Elements the standard closes implicitly ("generate implied end tags").
const IMPLIED_END: &[&str] = &[
    "dd", "dt", "li", "option", "optgroup", "p", "rb", "rp", "rt", "rtc",
];

/// Start tags that close an open paragraph and open a block.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "search",
    "section",
    "summary",
    "ul",
];

/// End tags that close a block in scope: the blocks above but `p` (closed by its own rule),
/// and `button`, `listing` and `pre`.
pub(super) fn closes_block(name: &str) -> bool {
    name != "p" && is(name, BLOCKS) || matches!(name, "button" | "listing" | "pre")
}

pub(super) const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// Start tags handled by the "in head" rules wherever they appear.
const HEAD_TAGS: &[&str] = &[
    "base", "basefont", "bgsound", "link", "meta", "noframes", "script", "style", "template",
    "title",
];

/// Start tags this parser leaves to html5ever in the body.
const UNHANDLED: &[&str] = &[
    "applet",
    "frameset",
    "image",
    "marquee",
    "math",
    "object",
    "optgroup",
    "option",
    "plaintext",
    "rb",
    "rp",
    "rt",
    "rtc",
    "select",
    "svg",
];

/// Table parts that are ignored outside a table.
const TABLE_ONLY: &[&str] = &[
    "caption", "col", "colgroup", "frame", "head", "tbody", "td", "tfoot", "th", "thead", "tr",
];

fn is(name: &str, set: &[&str]) -> bool {
    set.contains(&name)
}

fn is_blank(s: &str) -> bool {
    s.bytes()
        .all(|c| matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' '))
}

/// Splits text into its leading whitespace and the rest.
fn split_space(s: &str) -> (&str, &str) {
    let n = s
        .bytes()
        .take_while(|&c| matches!(c, b'\t' | b'\n' | b'\x0C' | b'\r' | b' '))
        .count();
    s.split_at(n)
}

struct Builder<'a> {
    lex: Lexer<'a>,
    nodes: Vec<Node>,
    /// The [`kind`] bits of each node (0 for other than elements).
    kinds: Vec<u8>,
    /// The bits of each element name met so far on the page.
    kind_memo: rustc_hash::FxHashMap<LocalName, u8>,
    /// The stack of open elements.
    stack: Vec<NodeId>,
    mode: Mode,
    head: Option<NodeId>,
    form: Option<NodeId>,
    quirks: Quirks,
    /// A newline right after `<pre>`, `<listing>` or `<textarea>` is dropped.
    ignore_lf: bool,
    /// Why it gave up, where it says so.
    why: Option<GiveUp>,
}

impl<'a> Builder<'a> {
    /// Records why the parser gives up (the first reason stands) and gives up.
    fn give_up<T>(&mut self, why: GiveUp) -> Option<T> {
        self.why.get_or_insert(why);
        None
    }

    fn name(&self, id: NodeId) -> &str {
        match &self.nodes[id].data {
            NodeData::Element { name, .. } => &name.local,
            _ => "",
        }
    }

    fn current(&self) -> NodeId {
        self.stack.last().copied().unwrap_or(DOCUMENT)
    }

    fn has_kind(&self, id: NodeId, bits: u8) -> bool {
        self.kinds[id] & bits != 0
    }

    fn current_is(&self, set: &[&str]) -> bool {
        self.stack.last().is_some_and(|&id| is(self.name(id), set))
    }

    fn append(&mut self, parent: NodeId, data: NodeData) -> NodeId {
        let id = self.nodes.len();
        let kind = match &data {
            NodeData::Element { name, .. } => *self
                .kind_memo
                .entry(name.local.clone())
                .or_insert_with(|| kind_of(&name.local)),
            _ => 0,
        };
        self.kinds.push(kind);
        self.nodes.push(Node::new(data));
        markup::attach(&mut self.nodes, parent, id, None);
        id
    }

    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let parent = self.current();
        if let Some(last) = self.nodes[parent].last_child()
            && let NodeData::Text(t) = &mut self.nodes[last].data
        {
            t.push_slice(text);
            return;
        }
        let text = self.lex.tendril(text);
        self.append(parent, NodeData::Text(text));
    }

    fn comment(&mut self, parent: NodeId, text: &str) {
        self.append(parent, NodeData::Comment(StrTendril::from(text)));
    }

    fn element(name: LocalName, attrs: Vec<Attribute>) -> NodeData {
        NodeData::Element {
            name: QualName::new(None, ns!(html), name),
            attrs,
        }
    }

    /// Inserts an element at the current node and opens it.
    fn insert(&mut self, name: LocalName, attrs: Vec<Attribute>) -> NodeId {
        let id = self.append(self.current(), Self::element(name, attrs));
        self.stack.push(id);
        id
    }

    /// Inserts an element that is closed at once (void elements).
    fn insert_void(&mut self, name: LocalName, attrs: Vec<Attribute>) {
        self.append(self.current(), Self::element(name, attrs));
    }

    /// Inserts an element whose contents are raw text, reads that text, and closes it.
    fn insert_raw(&mut self, name: LocalName, attrs: Vec<Attribute>, rcdata: bool) -> Option<()> {
        let Some(text) = self.lex.raw_text(&name, rcdata) else {
            return self.give_up(GiveUp::Tokens);
        };
        // A newline right after `<textarea>` is dropped, as after `<pre>`.
        let text = match text.strip_prefix('\n') {
            Some(rest) if &*name == "textarea" => rest,
            _ => &text,
        };
        self.insert(name, attrs);
        self.text(text);
        self.stack.pop();
        Some(())
    }

    fn add_missing_attrs(&mut self, id: NodeId, attrs: Vec<Attribute>) {
        if let NodeData::Element { attrs: have, .. } = &mut self.nodes[id].data {
            for a in attrs {
                if !have.iter().any(|h| h.name == a.name) {
                    have.push(a);
                }
            }
        }
    }

    /// Pops the current node. Popping a formatting element other than by its own end tag would
    /// leave it to be reconstructed later, which only html5ever does.
    fn pop(&mut self) -> Option<()> {
        let id = self.stack.pop()?;
        if self.has_kind(id, kind::FORMATTING) {
            return self.give_up(GiveUp::Misnested);
        }
        Some(())
    }

    /// Pops up to and including the first element named `name`.
    fn pop_until(&mut self, name: &str) -> Option<()> {
        loop {
            let id = *self.stack.last()?;
            if self.name(id) == name {
                self.stack.pop();
                return Some(());
            }
            self.pop()?;
        }
    }

    /// Pops until the current node is one of `set`.
    fn pop_to(&mut self, set: &[&str]) -> Option<()> {
        while !self.current_is(set) {
            self.pop()?;
        }
        Some(())
    }

    /// Whether an element named `target` is open with no element of the `boundary` kinds
    /// above it.
    fn in_scope_of(&self, target: &str, boundary: u8) -> bool {
        for &id in self.stack.iter().rev() {
            if self.name(id) == target {
                return true;
            }
            if self.has_kind(id, boundary) {
                return false;
            }
        }
        false
    }

    fn in_scope(&self, target: &str) -> bool {
        self.in_scope_of(target, kind::SCOPE)
    }

    fn in_button_scope(&self, target: &str) -> bool {
        self.in_scope_of(target, kind::SCOPE | kind::BUTTON)
    }

    fn in_table_scope(&self, target: &str) -> bool {
        self.in_scope_of(target, kind::TABLE_SCOPE)
    }

    fn implied_end(&mut self, except: &str) -> Option<()> {
        while let Some(&id) = self.stack.last() {
            let n = self.name(id);
            if n == except || !is(n, IMPLIED_END) {
                break;
            }
            self.pop()?;
        }
        Some(())
    }

    fn close_p(&mut self) -> Option<()> {
        if self.in_button_scope("p") {
            self.implied_end("p")?;
            self.pop_until("p")?;
        }
        Some(())
    }

    /// Formatting elements open since the last marker (a table cell or caption).
    fn open_formatting(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.stack
            .iter()
            .rev()
            .copied()
            .take_while(|&id| !self.has_kind(id, kind::MARKER))
            .filter(|&id| self.has_kind(id, kind::FORMATTING))
    }

    fn process(&mut self, tok: Tok<'a>) -> Option<()> {
        // A doctype only counts first; everywhere else it is ignored.
        if matches!(tok, Tok::Doctype(_)) && self.mode != Mode::Initial {
            return Some(());
        }
        let mut tok = tok;
        loop {
            let again = match self.mode {
                Mode::Initial => self.initial(&tok),
                Mode::BeforeHtml => self.before_html(&mut tok),
                Mode::BeforeHead => self.before_head(&mut tok)?,
                Mode::InHead => self.in_head(&mut tok)?,
                Mode::AfterHead => self.after_head(&mut tok)?,
                Mode::InBody => self.in_body(&mut tok)?,
                Mode::InTable => self.in_table(&mut tok)?,
                Mode::InCaption => self.in_caption(&mut tok)?,
                Mode::InColumnGroup => self.in_column_group(&mut tok)?,
                Mode::InTableBody => self.in_table_body(&mut tok)?,
                Mode::InRow => self.in_row(&mut tok)?,
                Mode::InCell => self.in_cell(&mut tok)?,
                Mode::AfterBody => self.after_body(&mut tok)?,
                Mode::AfterAfterBody => self.after_after_body(&mut tok)?,
            };
            match again {
                Step::Done => return Some(()),
                Step::Again => {}
                Step::Rest(rest) => tok = Tok::Text(Cow::Owned(rest)),
            }
        }
    }

    /// Text in the modes before the body: its leading whitespace is inserted (`keep`) or
    /// dropped; the rest, if any, is processed again after `then` moves on to the next mode.
    fn split_text(&mut self, t: &str, keep: bool, then: impl FnOnce(&mut Self)) -> Step {
        let (space, rest) = split_space(t);
        if keep {
            self.text(space);
        }
        if rest.is_empty() {
            return Step::Done;
        }
        then(self);
        Step::Rest(rest.to_string())
    }

    fn initial(&mut self, tok: &Tok<'a>) -> Step {
        match tok {
            Tok::Text(t) => self.split_text(t, false, |b| {
                b.quirks = Quirks::Yes;
                b.mode = Mode::BeforeHtml;
            }),
            Tok::Comment(c) => {
                self.comment(DOCUMENT, c);
                Step::Done
            }
            Tok::Doctype(q) => {
                self.quirks = *q;
                self.mode = Mode::BeforeHtml;
                Step::Done
            }
            _ => {
                self.quirks = Quirks::Yes;
                self.mode = Mode::BeforeHtml;
                Step::Again
            }
        }
    }

    fn before_html(&mut self, tok: &mut Tok<'a>) -> Step {
        match tok {
            Tok::Comment(c) => {
                self.comment(DOCUMENT, c);
                return Step::Done;
            }
            Tok::Text(t) => return self.split_text(t, false, |b| b.root(Vec::new())),
            Tok::Start { name, attrs } if &**name == "html" => {
                let attrs = std::mem::take(attrs);
                self.root(attrs);
                return Step::Done;
            }
            Tok::End(name) if !matches!(&**name, "head" | "body" | "html" | "br") => {
                return Step::Done;
            }
            _ => {}
        }
        self.root(Vec::new());
        Step::Again
    }

    fn root(&mut self, attrs: Vec<Attribute>) {
        let id = self.append(DOCUMENT, Self::element(LocalName::from("html"), attrs));
        self.stack.push(id);
        self.mode = Mode::BeforeHead;
    }

    fn before_head(&mut self, tok: &mut Tok<'a>) -> Option<Step> {
        match tok {
            Tok::Text(t) => return Some(self.split_text(t, false, Self::phantom_head)),
            Tok::Comment(c) => {
                self.comment(self.current(), c);
                return Some(Step::Done);
            }
            Tok::Start { name, .. } if &**name == "html" => return self.in_body(tok),
            Tok::Start { name, attrs } if &**name == "head" => {
                let attrs = std::mem::take(attrs);
                self.head = Some(self.insert(LocalName::from("head"), attrs));
                self.mode = Mode::InHead;
                return Some(Step::Done);
            }
            Tok::End(name) if !matches!(&**name, "head" | "body" | "html" | "br") => {
                return Some(Step::Done);
            }
            _ => {}
        }
        self.phantom_head();
        Some(Step::Again)
    }

    fn phantom_head(&mut self) {
        self.head = Some(self.insert(LocalName::from("head"), Vec::new()));
        self.mode = Mode::InHead;
    }

    /// The in-head rules for the elements they insert; `None` inside when not one of them.
    fn head_element(&mut self, name: &LocalName, attrs: &mut Vec<Attribute>) -> Option<bool> {
        let attrs = std::mem::take(attrs);
        match &**name {
            "base" | "basefont" | "bgsound" | "link" | "meta" => {
                self.insert_void(name.clone(), attrs);
            }
            "title" => self.insert_raw(name.clone(), attrs, true)?,
            "noframes" | "style" | "noscript" => self.insert_raw(name.clone(), attrs, false)?,
            // Script data and templates have rules of their own.
            _ => return self.give_up(GiveUp::ScriptOrTemplate),
        }
        Some(true)
    }

    fn in_head(&mut self, tok: &mut Tok<'a>) -> Option<Step> {
        match tok {
            Tok::Text(t) => {
                return Some(self.split_text(t, true, |b| {
                    b.stack.pop();
                    b.mode = Mode::AfterHead;
                }));
            }
            Tok::Comment(c) => {
                self.comment(self.current(), c);
                return Some(Step::Done);
            }
            Tok::Start { name, .. } if &**name == "html" => return self.in_body(tok),
            Tok::Start { name, attrs } if is(name, HEAD_TAGS) || &**name == "noscript" => {
                let name = name.clone();
                self.head_element(&name, attrs)?;
                return Some(Step::Done);
            }
            Tok::Start { name, .. } if &**name == "head" => return Some(Step::Done),
            Tok::End(name) if &**name == "head" => {
                self.stack.pop();
                self.mode = Mode::AfterHead;
                return Some(Step::Done);
            }
            Tok::End(name) if &**name == "template" => {
                return self.give_up(GiveUp::ScriptOrTemplate);
            }
            Tok::End(name) if !matches!(&**name, "body" | "html" | "br") => {
                return Some(Step::Done);
            }
            _ => {}
        }
        self.stack.pop();
        self.mode = Mode::AfterHead;
        Some(Step::Again)
    }

    fn after_head(&mut self, tok: &mut Tok<'a>) -> Option<Step> {
        match tok {
            Tok::Text(t) => return Some(self.split_text(t, true, Self::phantom_body)),
            Tok::Comment(c) => {
                self.comment(self.current(), c);
                return Some(Step::Done);
            }
            Tok::Start { name, .. } if &**name == "html" => return self.in_body(tok),
            Tok::Start { name, attrs } if &**name == "body" => {
                let attrs = std::mem::take(attrs);
                self.insert(LocalName::from("body"), attrs);
                self.mode = Mode::InBody;
                return Some(Step::Done);
            }
            Tok::Start { name, .. } if &**name == "frameset" => {
                return self.give_up(GiveUp::Frameset);
            }
            Tok::Start { name, attrs } if is(name, HEAD_TAGS) => {
                // Put back into the head it belongs to.
                let head = self.head?;
                self.stack.push(head);
                let name = name.clone();
                self.head_element(&name, attrs)?;
                self.stack.retain(|&id| id != head);
                return Some(Step::Done);
            }
            Tok::Start { name, .. } if &**name == "head" => return Some(Step::Done),
            Tok::End(name) if &**name == "template" => {
                return self.give_up(GiveUp::ScriptOrTemplate);
            }
            Tok::End(name) if !matches!(&**name, "body" | "html" | "br") => {
                return Some(Step::Done);
            }
            _ => {}
        }
        self.phantom_body();
        Some(Step::Again)
    }

    fn phantom_body(&mut self) {
        self.insert(LocalName::from("body"), Vec::new());
        self.mode = Mode::InBody;
    }

    fn in_body(&mut self, tok: &mut Tok<'a>) -> Option<Step> {
        match tok {
            Tok::Text(t) => self.text(t),
            Tok::Comment(c) => self.comment(self.current(), c),
            Tok::Start { name, attrs } => {
                let name = name.clone();
                let attrs = std::mem::take(attrs);
                self.body_start(name, attrs)?;
            }
            Tok::End(name) => {
                let name = name.clone();
                return self.body_end(&name);
            }
            Tok::Eof | Tok::Doctype(_) => {}
        }
        Some(Step::Done)
    }

    fn body_start(&mut self, name: LocalName, mut attrs: Vec<Attribute>) -> Option<()> {
        let n: &str = &name;
        match n {
            "html" => {
                let root = *self.stack.first()?;
                self.add_missing_attrs(root, attrs);
            }
            "body" => {
                if self.stack.len() > 1 && self.name(self.stack[1]) == "body" {
                    let body = self.stack[1];
                    self.add_missing_attrs(body, attrs);
                }
            }
            _ if is(n, HEAD_TAGS) => {
                self.head_element(&name, &mut attrs)?;
            }
            _ if is(n, BLOCKS) => {
                self.close_p()?;
                self.insert(name, attrs);
            }
            _ if is(n, HEADINGS) => {
                self.close_p()?;
                if self.current_is(HEADINGS) {
                    self.pop()?;
                }
                self.insert(name, attrs);
            }
            "pre" | "listing" => {
                self.close_p()?;
                self.insert(name, attrs);
                self.ignore_lf = true;
            }
            "form" => {
                if self.form.is_some() {
                    return Some(()); // nested forms are ignored
                }
                self.close_p()?;
                self.form = Some(self.insert(name, attrs));
            }
            "li" | "dd" | "dt" => {
                let closes: &[&str] = if n == "li" { &["li"] } else { &["dd", "dt"] };
                let mut to_close = None;
                for &id in self.stack.iter().rev() {
                    let open = self.name(id);
                    if is(open, closes) {
                        to_close = Some(open.to_string());
                        break;
                    }
                    if self.has_kind(id, kind::SPECIAL) && !matches!(open, "address" | "div" | "p")
                    {
                        break;
                    }
                }
                if let Some(open) = to_close {
                    self.implied_end(&open)?;
                    self.pop_until(&open)?;
                }
                self.close_p()?;
                self.insert(name, attrs);
            }
            "button" => {
                if self.in_scope("button") {
                    return self.give_up(GiveUp::Element);
                }
                self.insert(name, attrs);
            }
            "a" => {
                if self.open_formatting().any(|id| self.name(id) == "a") {
                    return self.give_up(GiveUp::Misnested);
                }
                self.insert(name, attrs);
            }
            // A `nobr` inside an open `nobr` runs the adoption agency first.
            "nobr" if self.in_scope("nobr") => return self.give_up(GiveUp::Misnested),
            _ if is(n, FORMATTING) => {
                // Three identical entries would make the list drop the oldest (the "Noah's
                // Ark" clause); leave such pages to html5ever.
                if self
                    .open_formatting()
                    .filter(|&id| self.name(id) == n)
                    .count()
                    >= 3
                {
                    return self.give_up(GiveUp::Misnested);
                }
                self.insert(name, attrs);
            }
            "table" => {
                if self.in_button_scope("p") {
                    match self.quirks {
                        Quirks::No => self.close_p()?,
                        Quirks::Yes => {}
                        Quirks::Unknown => return self.give_up(GiveUp::Quirks),
                    }
                }
                self.insert(name, attrs);
                self.mode = Mode::InTable;
            }
            "area" | "br" | "embed" | "img" | "keygen" | "wbr" | "input" | "param" | "source"
            | "track" => {
                self.insert_void(name, attrs);
            }
            "hr" => {
                self.close_p()?;
                self.insert_void(name, attrs);
            }
            "textarea" => self.insert_raw(name, attrs, true)?,
            "xmp" => {
                self.close_p()?;
                self.insert_raw(name, attrs, false)?;
            }
            "iframe" | "noembed" | "noscript" => {
                self.insert_raw(name, attrs, false)?;
            }
            _ if is(n, UNHANDLED) => return self.give_up(GiveUp::Element),
            _ if is(n, TABLE_ONLY) => {}
            _ => {
                self.insert(name, attrs);
            }
        }
        Some(())
    }

    fn body_end(&mut self, name: &LocalName) -> Option<Step> {
        let n: &str = name;
        match n {
            "body" => {
                if self.in_scope("body") {
                    self.mode = Mode::AfterBody;
                }
            }
            "html" => {
                if self.in_scope("body") {
                    self.mode = Mode::AfterBody;
                    return Some(Step::Again);
                }
            }
            _ if closes_block(n) => {
                if self.in_scope(n) {
                    self.implied_end("")?;
                    self.pop_until(n)?;
                }
            }
            "form" => {
                let Some(form) = self.form.take() else {
                    return Some(Step::Done);
                };
                if !self
                    .stack
                    .iter()
                    .rev()
                    .take_while(|&&id| id == form || !self.has_kind(id, kind::SCOPE))
                    .any(|&id| id == form)
                {
                    return Some(Step::Done);
                }
                self.implied_end("")?;
                // Only the simple case: the form is the current node.
                if self.current() != form {
                    return self.give_up(GiveUp::Element);
                }
                self.stack.pop();
            }
            "p" => {
                if !self.in_button_scope("p") {
                    self.insert(LocalName::from("p"), Vec::new());
                }
                self.implied_end("p")?;
                self.pop_until("p")?;
            }
            "li" | "dd" | "dt" => {
                let found = if n == "li" {
                    self.in_scope_of("li", kind::SCOPE | kind::LIST)
                } else {
                    self.in_scope(n)
                };
                if found {
                    self.implied_end(n)?;
                    self.pop_until(n)?;
                }
            }
            _ if is(n, HEADINGS) => {
                let open = self.stack.iter().rev().find_map(|&id| {
                    let o = self.name(id);
                    if is(o, HEADINGS) {
                        Some(Some(id))
                    } else if self.has_kind(id, kind::SCOPE) {
                        Some(None)
                    } else {
                        None
                    }
                });
                if let Some(Some(_)) = open {
                    self.implied_end("")?;
                    while let Some(&id) = self.stack.last() {
                        let heading = is(self.name(id), HEADINGS);
                        self.pop()?;
                        if heading {
                            break;
                        }
                    }
                }
            }
            "br" | "option" | "applet" | "marquee" | "object" | "template" => {
                return self.give_up(GiveUp::Element);
            }
            _ if is(n, FORMATTING) => self.close_formatting(n)?,
            _ => self.close_other(n)?,
        }
        Some(Step::Done)
    }

    /// The adoption agency's simple case: the formatting element has no special element
    /// above it, so closing it pops it and whatever plain elements are above it.
    fn close_formatting(&mut self, n: &str) -> Option<()> {
        if self.stack.last().is_some_and(|&id| self.name(id) == n) {
            self.stack.pop();
            return Some(());
        }
        let Some(target) = self.open_formatting().find(|&id| self.name(id) == n) else {
            return self.close_other(n);
        };
        let at = self.stack.iter().rposition(|&id| id == target)?;
        let mut in_scope = true;
        for &id in self.stack[at + 1..].iter() {
            if self.has_kind(id, kind::SCOPE) {
                in_scope = false;
            }
            if self.has_kind(id, kind::SPECIAL | kind::FORMATTING) {
                return self.give_up(GiveUp::Misnested);
            }
        }
        if !in_scope {
            return self.give_up(GiveUp::Misnested);
        }
        self.stack.truncate(at);
        Some(())
    }

    /// "Any other end tag": closes the nearest element of that name unless a special element
    /// comes first.
    fn close_other(&mut self, n: &str) -> Option<()> {
        for k in (0..self.stack.len()).rev() {
            let open = self.stack[k];
            if self.name(open) == n {
                self.implied_end(n)?;
                while self.stack.len() > k + 1 {
                    self.pop()?;
                }
                self.stack.truncate(k);
                return Some(());
            }
            if self.has_kind(open, kind::SPECIAL) {
                return Some(());
            }
        }
        Some(())
    }

    fn reset_mode(&mut self) {
        for (i, &id) in self.stack.iter().enumerate().rev() {
            let last = i == 0;
            let mode = match self.name(id) {
                "td" | "th" if !last => Mode::InCell,
                "tr" => Mode::InRow,
                "tbody" | "thead" | "tfoot" => Mode::InTableBody,
                "caption" => Mode::InCaption,
                "colgroup" => Mode::InColumnGroup,
                "table" => Mode::InTable,
                "head" if !last => Mode::InHead,
                "body" => Mode::InBody,
                "html" => {
                    if self.head.is_some() {
                        Mode::AfterHead
                    } else {
                        Mode::BeforeHead
                    }
                }
                _ => continue,
            };
            self.mode = mode;
            return;
        }
        self.mode = Mode::InBody;
    }

    fn in_table(&mut self, tok: &mut Tok<'a>) -> Option<Step> {
        match tok {
            Tok::Text(t) => {
                // Only whitespace stays in place; other text is moved before the table.
                if !self.current_is(&["table", "tbody", "tfoot", "thead", "tr"]) || !is_blank(t) {
                    return self.give_up(GiveUp::Table);
                }
                self.text(t);
            }
            Tok::Comment(c) => self.comment(self.current(), c),
            Tok::Start { name, attrs } => {
                let n: &str = name;
                match n {
                    "caption" => {
                        self.pop_to(&["table", "template", "html"])?;
                        let attrs = std::mem::take(attrs);
                        self.insert(name.clone(), attrs);
                        self.mode = Mode::InCaption;
                    }
                    "colgroup" => {
                        self.pop_to(&["table", "template", "html"])?;
                        let attrs = std::mem::take(attrs);
                        self.insert(name.clone(), attrs);
                        self.mode = Mode::InColumnGroup;
                    }
                    "col" => {
                        self.pop_to(&["table", "template", "html"])?;
                        self.insert(LocalName::from("colgroup"), Vec::new());
                        self.mode = Mode::InColumnGroup;
                        return Some(Step::Again);
                    }
                    "tbody" | "tfoot" | "thead" => {
                        self.pop_to(&["table", "template", "html"])?;
                        let attrs = std::mem::take(attrs);
                        self.insert(name.clone(), attrs);
                        self.mode = Mode::InTableBody;
                    }
                    "td" | "th" | "tr" => {
                        self.pop_to(&["table", "template", "html"])?;
                        self.insert(LocalName::from("tbody"), Vec::new());
                        self.mode = Mode::InTableBody;
                        return Some(Step::Again);
                    }
                    "style" => {
                        let attrs = std::mem::take(attrs);
                        self.insert_raw(name.clone(), attrs, false)?;
                    }
                    "input"
                        if attrs.iter().any(|a| {
                            &*a.name.local == "type" && a.value.eq_ignore_ascii_case("hidden")
                        }) =>
                    {
                        let attrs = std::mem::take(attrs);
                        self.insert_void(name.clone(), attrs);
                    }
                    // Nested tables, forms and misplaced content need foster parenting.
                    _ => return self.give_up(GiveUp::Table),
                }
            }
            Tok::End(name) => match &**name {
                "table" => {
                    if self.in_table_scope("table") {
                        self.pop_until("table")?;
                        self.reset_mode();
                    }
                }
                "body" | "caption" | "col" | "colgroup" | "html" | "tbody" | "td" | "tfoot"
                | "th" | "thead" | "tr" => {}
                _ => return self.give_up(GiveUp::Table),
            },
            Tok::Eof | Tok::Doctype(_) => {}
        }
        Some(Step::Done)
    }

    fn in_caption(&mut self, tok: &mut Tok<'a>) -> Option<Step> {
        let (closes, done) = match tok {
            Tok::Start { name, .. } => (
                matches!(
                    &**name,
                    "caption"
                        | "col"
                        | "colgroup"
                        | "tbody"
                        | "td"
                        | "tfoot"
                        | "th"
                        | "thead"
                        | "tr"
                ),
                false,
            ),
            Tok::End(name) => match &**name {
                "table" => (true, false),
                "caption" => (true, true),
                "body" | "col" | "colgroup" | "html" | "tbody" | "td" | "tfoot" | "th"
                | "thead" | "tr" => return Some(Step::Done),
                _ => (false, false),
            },
            _ => (false, false),
        };
        if !closes {
            return self.in_body(tok);
        }
        if !self.in_table_scope("caption") {
            return Some(Step::Done);
        }
        self.implied_end("")?;
        self.pop_until("caption")?;
        self.mode = Mode::InTable;
        Some(if done { Step::Done } else { Step::Again })
    }

    fn in_column_group(&mut self, tok: &mut Tok<'a>) -> Option<Step> {
        match tok {
            Tok::Text(t) => {
                let (space, rest) = split_space(t);
                let rest = rest.to_string();
                self.text(space);
                if rest.is_empty() {
                    return Some(Step::Done);
                }
                if !self.current_is(&["colgroup"]) {
                    return Some(Step::Done);
                }
                self.stack.pop();
                self.mode = Mode::InTable;
                return Some(Step::Rest(rest));
            }
            Tok::Comment(c) => {
                self.comment(self.current(), c);
                return Some(Step::Done);
            }
            Tok::Start { name, attrs } if &**name == "col" => {
                let attrs = std::mem::take(attrs);
                self.insert_void(name.clone(), attrs);
                return Some(Step::Done);
            }
            Tok::Start { name, .. } if matches!(&**name, "html" | "template") => {
                return self.give_up(GiveUp::ScriptOrTemplate);
            }
            Tok::End(name) if &**name == "colgroup" => {
                if self.current_is(&["colgroup"]) {
                    self.stack.pop();
                    self.mode = Mode::InTable;
                }
                return Some(Step::Done);
            }
            Tok::End(name) if matches!(&**name, "col" | "template") => {
                return self.give_up(GiveUp::Table);
            }
            Tok::Eof => return Some(Step::Done),
            _ => {}
        }
        if !self.current_is(&["colgroup"]) {
            return Some(Step::Done);
        }
        self.stack.pop();
        self.mode = Mode::InTable;
        Some(Step::Again)
    }

    fn in_table_body(&mut self, tok: &mut Tok<'a>) -> Option<Step> {
        const CONTEXT: &[&str] = &["tbody", "tfoot", "thead", "template", "html"];
        match tok {
            Tok::Start { name, attrs } if &**name == "tr" => {
                self.pop_to(CONTEXT)?;
                let attrs = std::mem::take(attrs);
                self.insert(name.clone(), attrs);
                self.mode = Mode::InRow;
                Some(Step::Done)
            }
            Tok::Start { name, .. } if matches!(&**name, "td" | "th") => {
                self.pop_to(CONTEXT)?;
                self.insert(LocalName::from("tr"), Vec::new());
                self.mode = Mode::InRow;
                Some(Step::Again)
            }
            Tok::End(name) if matches!(&**name, "tbody" | "tfoot" | "thead") => {
                if self.in_table_scope(name) {
                    self.pop_to(CONTEXT)?;
                    self.stack.pop();
                    self.mode = Mode::InTable;
                }
                Some(Step::Done)
            }
            Tok::Start { name, .. }
                if matches!(
                    &**name,
                    "caption" | "col" | "colgroup" | "tbody" | "tfoot" | "thead"
                ) =>
            {
                self.leave_table_body()
            }
            Tok::End(name) if &**name == "table" => self.leave_table_body(),
            Tok::End(name)
                if matches!(
                    &**name,
                    "body" | "caption" | "col" | "colgroup" | "html" | "td" | "th" | "tr"
                ) =>
            {
                Some(Step::Done)
            }
            _ => self.in_table(tok),
        }
    }

    fn leave_table_body(&mut self) -> Option<Step> {
        // html5ever checks for a `table`, `tbody` or `tfoot` in table scope here.
        if ["table", "tbody", "tfoot"]
            .iter()
            .any(|t| self.in_table_scope(t))
        {
            self.pop_to(&["tbody", "tfoot", "thead", "template", "html"])?;
            self.stack.pop();
            self.mode = Mode::InTable;
            Some(Step::Again)
        } else {
            Some(Step::Done)
        }
    }

    fn in_row(&mut self, tok: &mut Tok<'a>) -> Option<Step> {
        const CONTEXT: &[&str] = &["tr", "template", "html"];
        match tok {
            Tok::Start { name, attrs } if matches!(&**name, "td" | "th") => {
                self.pop_to(CONTEXT)?;
                let attrs = std::mem::take(attrs);
                self.insert(name.clone(), attrs);
                self.mode = Mode::InCell;
                Some(Step::Done)
            }
            Tok::End(name) if &**name == "tr" => {
                if self.in_table_scope("tr") {
                    self.pop_to(CONTEXT)?;
                    self.stack.pop();
                    self.mode = Mode::InTableBody;
                }
                Some(Step::Done)
            }
            Tok::Start { name, .. }
                if matches!(
                    &**name,
                    "caption" | "col" | "colgroup" | "tbody" | "tfoot" | "thead" | "tr"
                ) =>
            {
                self.leave_row()
            }
            Tok::End(name) if &**name == "table" => self.leave_row(),
            Tok::End(name) if matches!(&**name, "tbody" | "tfoot" | "thead") => {
                if !self.in_table_scope(name) {
                    return Some(Step::Done);
                }
                if !self.in_table_scope("tr") {
                    return Some(Step::Done);
                }
                self.leave_row()
            }
            Tok::End(name)
                if matches!(
                    &**name,
                    "body" | "caption" | "col" | "colgroup" | "html" | "td" | "th"
                ) =>
            {
                Some(Step::Done)
            }
            _ => self.in_table(tok),
        }
    }

    fn leave_row(&mut self) -> Option<Step> {
        if !self.in_table_scope("tr") {
            return Some(Step::Done);
        }
        self.pop_to(&["tr", "template", "html"])?;
        self.stack.pop();
        self.mode = Mode::InTableBody;
        Some(Step::Again)
    }

    fn in_cell(&mut self, tok: &mut Tok<'a>) -> Option<Step> {
        match tok {
            Tok::End(name) if matches!(&**name, "td" | "th") => {
                if self.in_table_scope(name) {
                    let name = name.clone();
                    self.implied_end("")?;
                    self.pop_until(&name)?;
                    self.mode = Mode::InRow;
                }
                Some(Step::Done)
            }
            Tok::Start { name, .. }
                if matches!(
                    &**name,
                    "caption"
                        | "col"
                        | "colgroup"
                        | "tbody"
                        | "td"
                        | "tfoot"
                        | "th"
                        | "thead"
                        | "tr"
                ) =>
            {
                if self.in_table_scope("td") || self.in_table_scope("th") {
                    self.close_cell()?;
                    Some(Step::Again)
                } else {
                    Some(Step::Done)
                }
            }
            Tok::End(name)
                if matches!(&**name, "body" | "caption" | "col" | "colgroup" | "html") =>
            {
                Some(Step::Done)
            }
            Tok::End(name) if matches!(&**name, "table" | "tbody" | "tfoot" | "thead" | "tr") => {
                if self.in_table_scope(name) {
                    self.close_cell()?;
                    Some(Step::Again)
                } else {
                    Some(Step::Done)
                }
            }
            _ => self.in_body(tok),
        }
    }

    fn close_cell(&mut self) -> Option<()> {
        self.implied_end("")?;
        while let Some(&id) = self.stack.last() {
            let cell = matches!(self.name(id), "td" | "th");
            self.pop()?;
            if cell {
                break;
            }
        }
        self.mode = Mode::InRow;
        Some(())
    }

    fn after_body(&mut self, tok: &mut Tok<'a>) -> Option<Step> {
        match tok {
            Tok::Text(t) if is_blank(t) => self.in_body(tok),
            Tok::Comment(c) => {
                let root = *self.stack.first()?;
                self.comment(root, c);
                Some(Step::Done)
            }
            Tok::Start { name, .. } if &**name == "html" => self.in_body(tok),
            Tok::End(name) if &**name == "html" => {
                self.mode = Mode::AfterAfterBody;
                Some(Step::Done)
            }
            Tok::Eof => Some(Step::Done),
            _ => {
                self.mode = Mode::InBody;
                Some(Step::Again)
            }
        }
    }

    fn after_after_body(&mut self, tok: &mut Tok<'a>) -> Option<Step> {
        match tok {
            Tok::Text(t) if is_blank(t) => self.in_body(tok),
            Tok::Comment(c) => {
                self.comment(DOCUMENT, c);
                Some(Step::Done)
            }
            Tok::Start { name, .. } if &**name == "html" => self.in_body(tok),
            Tok::Eof => Some(Step::Done),
            _ => {
                self.mode = Mode::InBody;
                Some(Step::Again)
            }
        }
    }
}

/// What a mode did with a token.
enum Step {
    Done,
    /// Process the same token again in the (new) mode.
    Again,
    /// Process this remaining text in the new mode.
    Rest(String),
}

/// Both parsers' arenas, node for node: `Some(Ok(()))` when they are the same, `Some(Err(the
/// first difference))` when not, `None` when the quick parser gave up. For the tests and the
/// differential fuzz target.
pub fn compare(html: &str) -> Option<Result<(), String>> {
    let quick = parse(html)?;
    let full = super::sink::parse_full(html);
    if quick.len() != full.len() {
        let k = quick
            .iter()
            .zip(&full)
            .position(|(q, f)| !node_eq(q, f))
            .unwrap_or(0);
        return Some(Err(format!(
            "{} nodes, html5ever {}; first difference at node {k}:\nquick {:?}\nhtml5ever {:?}",
            quick.len(),
            full.len(),
            quick.get(k),
            full.get(k)
        )));
    }
    for (k, (q, f)) in quick.iter().zip(&full).enumerate() {
        if !node_eq(q, f) {
            return Some(Err(format!("node {k}: quick {q:?}, html5ever {f:?}")));
        }
    }
    Some(Ok(()))
}

fn node_eq(q: &Node, f: &Node) -> bool {
    let same_data = match (&q.data, &f.data) {
        (NodeData::Document, NodeData::Document) => true,
        (
            NodeData::Element { name, attrs },
            NodeData::Element {
                name: n2,
                attrs: a2,
            },
        ) => name == n2 && attrs == a2,
        (NodeData::Text(a), NodeData::Text(b)) => a == b,
        (NodeData::Comment(a), NodeData::Comment(b)) => a == b,
        (NodeData::Other, NodeData::Other) => true,
        _ => false,
    };
    same_data && q.same_links(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same(html: &str) {
        match compare(html) {
            None => panic!("quick parser gave up on {html:?}"),
            Some(Err(e)) => panic!("{html:?}: {e}"),
            Some(Ok(())) => {}
        }
    }

    #[test]
    fn builds_the_tree_html5ever_builds() {
        for html in [
            "",
            "plain text",
            "<!DOCTYPE html><html lang=en><head><title>A &amp; B</title>\n<meta charset=utf-8></head>\n<body class=x><p>One<p>Two</body></html>\n<!-- after -->",
            "<!-- saved from url=(0014)about:internet -->\n<html><body><div><ul><li>a<li>b</ul></div>",
            "<title>T</title><h1>Head</h1><h2>x<h3>y</h3>",
            "<p>a<div>b</div>c</p>",
            "<p>one</p></p><span>s</span></div>",
            "<dl><dt>t<dd>d<dt>t2</dl>",
            "<table><tr><td>a<td>b</tr><tr><th>c</table>after",
            "<!DOCTYPE html><p><table><caption>cap</caption><colgroup><col><col></colgroup><thead><tr><th>h</thead><tbody><tr><td>x</td></tr></tbody></table>",
            "<p><table><tr><td>quirks keeps the table in the paragraph</table>",
            "<table><tr><td><table><tr><td>inner</table>outer</td></tr></table>",
            "<pre>\nfirst line kept\n</pre><textarea>\nx &lt; y</textarea>",
            "<a href='/x?a=1&b=2&amp;c=3&copy=4'>link &copy 2024 &notit; &#169; &#x1F600; &#128; &#0;</a>",
            "<b>bold <i>both</i></b> <em>e</em><a href=#>x</a><a href=#>y</a>",
            "<b><span>inside</b> after",
            "<div id=a ID=b class=\"c d\" data-x='1' empty checked>x</div>",
            "<br/><img src=a.png alt=\"a > b\"><hr><p>after hr",
            "<?xml version=\"1.0\"?><!doctype html><![CDATA[x]]><html><body>x</body></html>",
            "a < b and c <= d </3> <!--a -- b --->",
            "<head><link rel=x></head>  <style>p{}</style><body>x",
            "<form><input type=text><form>nested</form></form>",
            "<html><body>x</body></html> trailing <p>more",
            "<ul><li>one<ul><li>nested</ul><li>two</ul>",
            "<h1>a<h2>b</h1>c",
            "<iframe><p>not parsed</p></iframe><noembed>x</noembed>",
            "\u{FEFF}<p>bom</p>",
            "<p>a\r\nb\rc</p>",
            "<nobr>one</nobr><nobr>two</nobr>",
        ] {
            same(html);
        }
    }

    #[test]
    fn gives_up_where_it_would_differ() {
        for html in [
            "<b>1<p>2</b>3</p>",
            "<table>stray text<tr><td>x</table>",
            "<a href=1>one<a href=2>two</a>",
            "<select><option>a</select>",
            "<p>a\0b",
            "<svg><circle/></svg>",
            "<nobr><nobr>",
            "<p><nobr>a<b>b<nobr>c",
            "<meta charset>\u{feff}",
        ] {
            assert!(parse(html).is_none(), "{html}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn agrees_with_html5ever_on_tag_soup(parts in proptest::collection::vec(prop_oneof![
            Just("<p>"), Just("</p>"), Just("<div class=a>"), Just("</div>"), Just("<b>"),
            Just("</b>"), Just("<i>"), Just("</i>"), Just("<a href=x>"), Just("</a>"),
            Just("<ul>"), Just("<li>"), Just("</li>"), Just("</ul>"), Just("<table>"),
            Just("<tr>"), Just("<td>"), Just("</td>"), Just("</tr>"), Just("</table>"),
            Just("<h2>"), Just("</h2>"), Just("<span>"), Just("</span>"), Just("<br>"),
            Just("text"), Just(" "), Just("\n"), Just("&amp;"), Just("&copy"), Just("<!--c-->"),
            Just("<title>t</title>"), Just("<body>"), Just("</body>"), Just("<head>"),
            Just("<html>"), Just("</html>"), Just("<pre>"), Just("</pre>"), Just("<dd>"),
            Just("<dt>"), Just("<form>"), Just("</form>"), Just("<tbody>"), Just("<caption>"),
            Just("<col>"), Just("<!DOCTYPE html>"), Just("<meta a=b>"), Just("<em>"),
            Just("</em>"), Just("<button>"), Just("</button>"), Just("<textarea>x</textarea>"),
        ], 0..40)) {
            let html: String = parts.concat();
            if let Some(Err(e)) = compare(&html) {
                prop_assert!(false, "{html:?}: {e}");
            }
        }
    }

    /// Well-nested markup: elements of every kind the parser handles, with text and entities.
    fn nested() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("words".to_string()),
            Just(" a &amp; b &lt;c&gt; &eacute;t&eacute; ".to_string()),
            Just("\n".to_string()),
            Just("<br>".to_string()),
            Just("<img src='x.png' alt=\"A\">".to_string()),
            Just("<!-- note -->".to_string()),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            (
                prop_oneof![
                    Just("div"),
                    Just("p"),
                    Just("span"),
                    Just("b"),
                    Just("em"),
                    Just("a"),
                    Just("ul"),
                    Just("li"),
                    Just("h2"),
                    Just("section"),
                    Just("blockquote"),
                    Just("pre"),
                    Just("td"),
                    Just("table"),
                    Just("dl"),
                    Just("dd"),
                ],
                proptest::collection::vec(inner, 0..6),
            )
                .prop_map(|(tag, kids)| format!("<{tag} class=\"k\">{}</{tag}>", kids.concat()))
        })
    }

    /// The quick parser is only worth having while it answers: on well-nested pages of the
    /// elements it handles, and on the pages of the comment-system fixtures, it must build the
    /// tree itself (and build html5ever's) at least this often. It answers about 92% of them:
    /// the generated pages nest cells and text in tables where only foster parenting places
    /// them. (On the dev yardsticks' 586 real pages it answers 89%.)
    const MIN_ANSWER_RATE: f64 = 0.9;

    #[test]
    fn answers_most_pages_and_agrees_when_it_does() {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::{Config, TestRng, TestRunner};
        let mut runner = TestRunner::new_with_rng(
            Config::default(),
            TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &[7; 32]),
        );
        let mut pages: Vec<String> = (0..400)
            .map(|_| {
                let body = nested().new_tree(&mut runner).unwrap().current();
                format!(
                    "<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>"
                )
            })
            .collect();
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/comments");
        for entry in std::fs::read_dir(fixtures).unwrap() {
            pages.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        let mut answered = 0;
        let mut reasons = Vec::new();
        for html in &pages {
            match parse_or_why(html) {
                Ok(_) => {
                    answered += 1;
                    if let Some(Err(e)) = compare(html) {
                        panic!("{html:?}: {e}");
                    }
                }
                Err(why) => reasons.push(why),
            }
        }
        let rate = answered as f64 / pages.len() as f64;
        assert!(
            rate >= MIN_ANSWER_RATE,
            "answered {answered} of {} pages; gave up for {reasons:?}",
            pages.len()
        );
    }

    #[test]
    fn says_why_it_gives_up() {
        for (html, why) in [
            ("<p>a\0b", GiveUp::Bytes),
            ("<p><!--> x", GiveUp::Tokens),
            ("<script>x</script>", GiveUp::ScriptOrTemplate),
            ("<frameset></frameset>", GiveUp::Frameset),
            ("<a href=1>one<a href=2>two</a>", GiveUp::Misnested),
            ("<table><tr><td>a</td></tr>text</table>", GiveUp::Table),
            ("<select><option>a</select>", GiveUp::Element),
        ] {
            assert_eq!(parse_or_why(html).err(), Some(why), "{html}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn agrees_with_html5ever_on_nested_markup(body in nested(), doctype in any::<bool>()) {
            let head = if doctype { "<!DOCTYPE html>" } else { "" };
            let html = format!("{head}<html><head><title>t</title></head><body>{body}</body></html>");
            if let Some(Err(e)) = compare(&html) {
                prop_assert!(false, "{html:?}: {e}");
            }
        }
    }
}

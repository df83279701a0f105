//! Rendering the article block as text (html2text, or a plain renderer for huge blocks) and
//! tidying its lines.

use super::*;

/// Elements html2text lays out only inside a `<table>`.
pub(super) const TABLE_PARTS: &[&str] = &[
    "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "colgroup", "col",
];

/// Largest article block (in nodes) rendered with html2text; bigger ones use the plain renderer.
pub(super) const HTML2TEXT_MAX_NODES: usize = 5_000;

/// Lines of at least this many words are kept only once per body (repeated captions and pull
/// quotes); shorter ones (a refrain, "Yes.") may repeat.
pub(super) const REPEAT_MIN_WORDS: usize = 6;

/// Text rendering width: wide enough that html2text never wraps a paragraph.
pub(super) const RENDER_WIDTH: usize = 100_000;

/// Renders the live parts of the chosen nodes to text with html2text, by copying them into
/// html2text's own tree (no second parse).
pub(super) fn render(dom: &Dom, dead: &[bool], text_len: &[u32], main: &[NodeId]) -> String {
    let plain = || {
        main.iter()
            .map(|&r| comments::block_text(dom, dead, r, &[]))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    // html2text copies the subtree into its own tree and then a render tree: for the rare huge
    // block (a source listing of many thousand elements) the plain renderer keeps memory flat.
    let elements: usize = main
        .iter()
        .map(|&r| dom.descendants(r).take(HTML2TEXT_MAX_NODES + 1).count())
        .sum();
    if elements > HTML2TEXT_MAX_NODES {
        return plain();
    }
    let sink = html2text::RcDom::default();
    let doc = sink.get_document();
    let html_el = sink.create_element(qual("html"), vec![], ElementFlags::default());
    let body_el = sink.create_element(qual("body"), vec![], ElementFlags::default());
    sink.append(&doc, NodeOrText::AppendNode(html_el.clone()));
    sink.append(&html_el, NodeOrText::AppendNode(body_el.clone()));
    for &root in main {
        // The flag: inside a `sup`, whose rendering depends on its children's shape.
        let mut stack: Vec<(NodeId, html2text::Handle, bool)> =
            vec![(root, body_el.clone(), false)];
        while let Some((id, parent, in_sup)) = stack.pop() {
            if dead[id] {
                continue;
            }
            match &dom.nodes[id].data {
                NodeData::Text(t) => sink.append(&parent, NodeOrText::AppendText(t.clone())),
                NodeData::Element { name, .. } if !in_sup && is_plain_container(&name.local) => {
                    for k in dom.children(id).rev() {
                        stack.push((k, parent.clone(), false));
                    }
                }
                NodeData::Element { name, attrs } => {
                    // Only the attributes html2text reads for layout are copied.
                    let keep: Vec<_> = attrs
                        .iter()
                        .filter(|a| matches!(&*a.name.local, "colspan" | "rowspan"))
                        .cloned()
                        .collect();
                    // A table part cut from its table renders as a plain block: html2text only
                    // lays out rows and cells inside a table.
                    let in_table = id != root || !TABLE_PARTS.contains(&&*name.local);
                    let in_sup = in_sup || &*name.local == "sup";
                    // html2text lays out only the blocks HTML 4 had: the newer block elements
                    // (`section`, `article`, `figure`…) go in as `div`, or their texts would run
                    // together on one line.
                    let name = if in_table && !BLOCKS_HTML2TEXT_LACKS.contains(&&*name.local) {
                        name.clone()
                    } else {
                        qual("div")
                    };
                    let el = sink.create_element(name, keep, ElementFlags::default());
                    sink.append(&parent, NodeOrText::AppendNode(el.clone()));
                    for k in dom.children(id).rev() {
                        stack.push((k, el.clone(), in_sup));
                    }
                }
                _ => {}
            }
        }
    }
    // Children were pushed in reverse and popped in order, but each append goes to the end of
    // its parent, so document order is kept.
    let config = html2text::config::plain_no_decorate()
        .raw_mode(true)
        .no_link_wrapping();
    // html2text has layout paths that panic on shapes it does not expect; a page must never
    // take the run down, so such a page falls back to the plain block renderer.
    let rendered = crate::panics::catch(|| {
        config
            .dom_to_render_tree(&sink)
            .and_then(|tree| config.render_to_string(tree, RENDER_WIDTH))
            .ok()
    });
    // html2text also drops what it cannot place (a `div` directly inside a `dl`, say); when it
    // returns much less text than the block holds, the plain renderer keeps the words.
    let expected: u32 = main.iter().map(|&r| text_len[r]).sum();
    match rendered {
        Ok(Some(text)) if weighted_non_space(&text) * 10 >= expected as usize * 6 => text,
        _ => plain(),
    }
}

/// Elements html2text renders as a bare container of their children (no line breaks, no
/// decoration): copying their children in their place gives the same text from a smaller tree.
pub(super) fn is_plain_container(name: &str) -> bool {
    !HTML2TEXT_HANDLED.contains(&name) && !BLOCKS_HTML2TEXT_LACKS.contains(&name)
}

/// Block elements html2text does not know as blocks.
pub(super) const BLOCKS_HTML2TEXT_LACKS: &[&str] = &[
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "figure",
    "figcaption",
    "address",
    "details",
    "summary",
    "hgroup",
    "fieldset",
    "form",
    "center",
    "dialog",
    "search",
];

/// Elements html2text lays out or decorates in some way (and table parts, which it reads in
/// their table): the others are bare containers to it.
pub(super) const HTML2TEXT_HANDLED: &[&str] = &[
    "html",
    "body",
    "link",
    "meta",
    "hr",
    "script",
    "style",
    "head",
    "img",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "li",
    "sup",
    "div",
    "pre",
    "br",
    "wbr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "blockquote",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "svg",
    "math",
    "q",
    "iframe",
    "caption",
    "tfoot",
    "colgroup",
    "col",
];

/// Characters other than whitespace, CJK counted twice, as `Cleaner::measure` counts them.
pub(super) fn weighted_non_space(text: &str) -> usize {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if chars::is_cjk(c) { 2 } else { 1 })
        .sum()
}

pub(super) fn qual(local: &str) -> html5ever::QualName {
    html5ever::QualName::new(
        None,
        html5ever::ns!(html),
        html5ever::LocalName::from(local),
    )
}

/// Cleans rendered text: trims lines, drops boilerplate lines, the title and a leading byline,
/// repeated adjacent lines, and keeps single blank lines between paragraphs.
pub(super) fn tidy_body(
    rendered: &str,
    title: Option<&str>,
    author: &mut Option<String>,
) -> String {
    let title_norm = title.map(lines::normalize).unwrap_or_default();
    let mut out: Vec<&str> = Vec::new();
    let mut prev_norm = String::new();
    let mut seen_text = false;
    let mut seen_lines: rustc_hash::FxHashSet<String> = rustc_hash::FxHashSet::default();
    for raw in rendered.lines() {
        // html2text marks headings with `#`s; the heading's words are what the body keeps.
        let line = raw.trim();
        let line = match line.trim_start_matches('#') {
            rest if rest.len() < line.len() && rest.starts_with(' ') => rest.trim_start(),
            _ => line,
        };
        if line.is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push("");
            }
            continue;
        }
        let line = lines::without_trailing_credit(line);
        let norm = lines::normalize(line);
        if norm == prev_norm || lines::is_boilerplate_norm(line, &norm) {
            continue;
        }
        // A caption or pull quote printed again further down is kept once.
        if norm.split(' ').count() >= REPEAT_MIN_WORDS && !seen_lines.insert(norm.clone()) {
            continue;
        }
        if !seen_text && !title_norm.is_empty() && norm == title_norm {
            continue;
        }
        if !seen_text
            && line.len() < 80
            && let Some(name) =
                byline(line).filter(|_| crate::ingest::lexicon::caseless::starts_with(line, "by "))
        {
            author.get_or_insert(name);
            continue;
        }
        seen_text = true;
        prev_norm = norm;
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

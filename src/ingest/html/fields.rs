//! Metadata read from the page's body when the head lacks it: the headline, the byline and
//! the publication date (`<time>`, date-named elements, a short dateline).

use super::*;

/// The article's own heading, when `<title>` wraps it in more words (`Blog name: Post title`):
/// the first `h1`–`h3` near the article whose text is a part of the title tag's.
pub(super) fn heading_title(
    dom: &Dom,
    dead: &[bool],
    main: &[NodeId],
    title: Option<&str>,
) -> Option<String> {
    let title = lines::normalize(title?);
    let mut roots: Vec<NodeId> = main.to_vec();
    // Headings usually sit just above the chosen block.
    if let Some(&first) = main.first() {
        roots.extend(dom.ancestors(first).take(3));
    }
    roots.push(DOCUMENT);
    first_in(dom, &roots, dead, |id| {
        if !matches!(dom.tag(id), "h1" | "h2" | "h3") {
            return None;
        }
        let t = dom.text(id);
        let n = lines::normalize(&t);
        (n.len() >= 8 && n.len() < title.len() && title.contains(&n)).then_some(t)
    })
}

/// Walks the subtrees under `roots` in document order, skipping `avoid`ed subtrees, and returns
/// the first value `pick` finds.
pub(super) fn first_in<T>(
    dom: &Dom,
    roots: &[NodeId],
    avoid: &[bool],
    mut pick: impl FnMut(NodeId) -> Option<T>,
) -> Option<T> {
    for &root in roots {
        let mut iter = dom.descendants(root);
        while let Some(id) = iter.next() {
            if avoid[id] {
                iter.skip_children_of(id);
                continue;
            }
            if dom.is_element(id)
                && let Some(v) = pick(id)
            {
                return Some(v);
            }
        }
    }
    None
}

/// The author from a byline element (`class="byline"`, `rel="author"`): in the article first,
/// else anywhere outside the comments (site templates often put it in a header or footer).
pub(super) fn find_author(
    dom: &Dom,
    dead: &[bool],
    main: &[NodeId],
    outside_comments: &[bool],
) -> Option<String> {
    let pick = |id: NodeId| -> Option<String> {
        let words = dom.names(id);
        let is_byline = dom.attr(id, "rel") == Some("author")
            || dom.attr(id, "itemprop") == Some("author")
            || has(words, names::BYLINE);
        if !is_byline {
            return None;
        }
        let text = dom.text(id);
        let text = text.trim();
        if text.is_empty() || text.len() > 100 {
            return None;
        }
        byline(text).or_else(|| {
            (text.split_whitespace().count() <= 4 && !text.contains(':')).then(|| text.to_string())
        })
    };
    first_in(dom, main, dead, pick).or_else(|| first_in(dom, &[DOCUMENT], outside_comments, pick))
}

/// The publication date from the page (outside the comments): a `<time datetime>`, an
/// `<abbr class="published" title>`, or an element named as a date whose text is one.
pub(super) fn find_published(dom: &Dom, outside_comments: &[bool]) -> Option<crate::ingest::Stamp> {
    // Machine-readable attributes first (they carry time and zone), then visible date text.
    let by_attr = first_in(dom, &[DOCUMENT], outside_comments, |id| {
        if dom.tag(id) == "time" {
            return dom
                .attr(id, "datetime")
                .and_then(crate::ingest::Stamp::find);
        }
        if !has(dom.names(id), names::DATE) {
            return None;
        }
        let attr = dom
            .attr(id, "datetime")
            .or_else(|| dom.attr(id, "title"))
            .or_else(|| dom.attr(id, "content"));
        attr.and_then(crate::ingest::Stamp::find)
    });
    by_attr
        .or_else(|| {
            first_in(dom, &[DOCUMENT], outside_comments, |id| {
                if !has(dom.names(id), names::DATE) {
                    return None;
                }
                let t = dom.text(id);
                (t.len() < 100)
                    .then(|| crate::ingest::Stamp::find(&t))
                    .flatten()
            })
        })
        .or_else(|| {
            // A dateline no name marks: a short element whose text is a publication label and
            // a date, nothing else (`Published 11:11 PM EST Nov 19, 2019`).
            first_in(dom, &[DOCUMENT], outside_comments, |id| {
                // Cheap tests first: a small element whose first child is text that opens
                // with a label.
                if dom.subtree_end(id) - id > DATELINE_MAX_NODES {
                    return None;
                }
                let first = dom.children(id).next()?;
                let NodeData::Text(lead) = &dom.nodes[first].data else {
                    return None;
                };
                let lead = lead.trim_start();
                // Every label starts with `p`, `v` or `w`: one byte turns away nearly every
                // element.
                if !matches!(
                    lead.as_bytes().first(),
                    Some(b'p' | b'P' | b'v' | b'V' | b'w' | b'W')
                ) || !PUBLISHED_LABELS
                    .iter()
                    .any(|l| crate::ingest::lexicon::caseless::starts_with(lead, l))
                {
                    return None;
                }
                let t = dom.text(id);
                if t.chars().count() > DATELINE_MAX_CHARS {
                    return None;
                }
                let rest = PUBLISHED_LABELS
                    .iter()
                    .find_map(|l| crate::ingest::lexicon::caseless::strip_prefix(&t, l))?;
                crate::ingest::Stamp::dateline(rest.trim_start_matches([':', ' ']))
            })
        })
}

/// Longest element text read as a dateline.
pub(super) const DATELINE_MAX_CHARS: usize = 80;

/// Most nodes under an element read as a dateline (the label, the date, a `<b>` or two).
pub(super) const DATELINE_MAX_NODES: usize = 8;

/// Labels that open a dateline (lower case, with the space after them).
pub(super) const PUBLISHED_LABELS: &[&str] = &[
    "published ",
    "published:",
    "posted ",
    "posted:",
    "written ",
    "written:",
    "veröffentlicht ",
    "veröffentlicht:",
    "publié le ",
    "publicado ",
    "pubblicato ",
];

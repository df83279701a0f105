//! Reader comments in markup: finding the comment section and splitting it into comments.
//!
//! Owns the recognition of comment sections and of single comments (author, time, edit time,
//! text, depth) across WordPress, Disqus, LiveJournal/Dreamwidth, Blogger, phpBB/vBulletin-style
//! forums, schema.org `Comment` and generic class and id names. The article body is left to
//! `html`; text dumps to `text`.
//!
//! The comment systems differ in tags but agree on a shape: a container named for comments,
//! holding a repeated element (one per comment) whose class or id says "comment" or "post",
//! with an author element, a time element and a content element inside. The code looks for
//! that shape rather than for each system's exact markup.

use std::collections::{HashMap, HashSet};

use crate::ingest::dates::{Stamp, When, parse_when};
use crate::ingest::lexicon::names::{self, has};
use crate::ingest::lexicon::phrases::{COMMENT_STUBS, SAID_VERBS};
use crate::ingest::lines;
use crate::ingest::lines::edit_marker;
use crate::ingest::markup::{DOCUMENT, Dom, NodeData, NodeId, push_collapsed};
use crate::ingest::page::Comment;

/// What was found: the comments and the section roots to keep out of the article.
#[derive(Debug, Default)]
pub struct Found {
    /// Comments in document order.
    pub comments: Vec<Comment>,
    /// Elements that hold the comment section.
    pub sections: Vec<NodeId>,
}

/// Finds comment sections among live nodes and reads their comments.
pub fn extract(dom: &Dom, dead: &[bool], captured: Option<Stamp>) -> Found {
    let mut found = Found::default();
    let mut sections = find_sections(dom, dead);
    let mut seen: HashSet<NodeId> = HashSet::new();
    for s in 0..sections.len() {
        let section = sections[s];
        let families = find_items(dom, dead, section);
        // A section named like a list that holds one comment's parts is that comment
        // (`div.commentsCon` around one author, date and text).
        let families = if families.is_empty() && has_comment_meta(dom, dead, section) {
            vec![vec![(vec![section], None)]]
        } else {
            families
        };
        let mut chosen = read_families(dom, dead, families, &mut seen, captured);
        // A section that yields no comment is a heading: the comments follow it, in a list
        // named for them (`div#comments > h2` and then `ol.commentList`).
        if chosen.is_empty()
            && let Some(next) = dom.next_element(section).filter(|&n| {
                !dead[n] && has(dom.names(n), names::COMMENT_NAME) && !sections.contains(&n)
            })
        {
            let families = find_items(dom, dead, next);
            chosen = read_families(dom, dead, families, &mut seen, captured);
            if !chosen.is_empty() {
                sections.push(next);
            }
        }
        found.comments.extend(chosen);
    }
    found.sections = sections;
    if !found.comments.is_empty() {
        return found;
    }
    // Schema.org comments outside any named section.
    let items: Vec<NodeId> = dom
        .descendants(DOCUMENT)
        .filter(|&n| !dead[n] && is_schema_comment(dom, n))
        .collect();
    if !items.is_empty() {
        let set: HashSet<NodeId> = items.iter().copied().collect();
        for &item in &items {
            let depth = dom.ancestors(item).filter(|a| set.contains(a)).count() as u32;
            if let Some(c) = read_comment(dom, dead, &[item], Some(depth), &set, captured) {
                found.comments.push(c);
            }
            if depth == 0 {
                found.sections.push(item);
            }
        }
        return found;
    }
    // Elements with comment ids (`comment-123`) outside any named section.
    let items: Vec<NodeId> = {
        let mut v = Vec::new();
        let mut iter = dom.descendants(DOCUMENT);
        while let Some(n) = iter.next() {
            if dead[n] {
                iter.skip_children_of(n);
                continue;
            }
            let named = dom
                .attr(n, "id")
                .is_some_and(|i| is_comment_id(i) && i.to_ascii_lowercase().contains("comment"));
            if named && dom.tag(n) != "a" && has_comment_meta(dom, dead, n) {
                v.push(n);
                iter.skip_children_of(n);
            }
        }
        v
    };
    if items.len() >= 2 {
        let set: HashSet<NodeId> = items.iter().copied().collect();
        for &item in &items {
            if let Some(c) = read_comment(dom, dead, &[item], None, &set, captured) {
                found.comments.push(c);
            }
            found.sections.push(item);
        }
        return found;
    }
    // A forum thread: repeated posts with an author each; the first post is the article.
    let posts = find_forum_posts(dom, dead);
    if posts.len() >= 2 {
        let set: HashSet<NodeId> = posts.iter().copied().collect();
        for &post in &posts[1..] {
            if let Some(c) = read_comment(dom, dead, &[post], None, &set, captured) {
                found.comments.push(c);
            }
            found.sections.push(post);
        }
        return found;
    }
    // A section no name marks, found by its heading.
    if let Some((heading, items)) = titled_section(dom, dead) {
        let set: HashSet<NodeId> = items.iter().copied().collect();
        for &item in &items {
            if let Some(c) = read_comment(dom, dead, &[item], None, &set, captured) {
                found.comments.push(with_header_read(c, captured));
            }
            found.sections.push(item);
        }
        found.sections.push(heading);
    }
    found
}

/// A comment section no name marks: a heading that titles one (`Comments`, `3 Responses to …`,
/// `Kommentare`), then a run of blocks of one family (tag and class) after it, most of which
/// open with their author and time. Templates written by hand, and exports of old forums and
/// blogs, name nothing. Returns the heading (or the wrapper holding only it) and the blocks.
fn titled_section(dom: &Dom, dead: &[bool]) -> Option<(NodeId, Vec<NodeId>)> {
    let mut tried = 0;
    let mut iter = dom.descendants(DOCUMENT);
    while let Some(id) = iter.next() {
        if dead[id] {
            iter.skip_children_of(id);
            continue;
        }
        if !matches!(dom.tag(id), "h2" | "h3" | "h4" | "h5" | "h6") {
            continue;
        }
        iter.skip_children_of(id);
        if !lines::is_comment_section_title(&lines::normalize(&dom.text(id))) {
            continue;
        }
        // Each heading looks at everything after it: a page of thousands of such headings must
        // not cost the square of its size.
        tried += 1;
        if tried > MAX_TITLED_HEADINGS {
            return None;
        }
        let mut anchor = id;
        for _ in 0..TITLE_WRAPPER_LEVELS {
            match dom.nodes[anchor].parent {
                Some(p)
                    if dom.is_element(p)
                        && !matches!(dom.tag(p), "body" | "html")
                        && live_elements(dom, dead, p).count() == 1 =>
                {
                    anchor = p
                }
                _ => break,
            }
        }
        let after: Vec<NodeId> =
            std::iter::successors(dom.next_element(anchor), |&k| dom.next_element(k))
                .filter(|&k| !dead[k])
                .collect();
        // The comments are the blocks after the heading, or the children of the list that
        // follows it.
        let list: Vec<NodeId> = after
            .first()
            .map(|&l| live_elements(dom, dead, l).collect())
            .unwrap_or_default();
        for run in [after, list] {
            if let Some(items) = headed_family(dom, dead, &run) {
                return Some((anchor, items));
            }
        }
    }
    None
}

/// How far up a comment section's heading may be wrapped alone (`div.title > h3`).
const TITLE_WRAPPER_LEVELS: usize = 2;

/// How many comment-titled headings are tried (a page names its comment section once or
/// twice: a count above the thread, a "Leave a reply" below it).
const MAX_TITLED_HEADINGS: usize = 4;

fn live_elements<'a>(
    dom: &'a Dom,
    dead: &'a [bool],
    id: NodeId,
) -> impl Iterator<Item = NodeId> + 'a {
    dom.children(id)
        .filter(move |&k| !dead[k] && dom.is_element(k))
}

/// The largest family among `run` with at least two members, at least half of them opening with
/// a comment's author and time.
fn headed_family(dom: &Dom, dead: &[bool], run: &[NodeId]) -> Option<Vec<NodeId>> {
    let mut families: HashMap<FamilyKey, Vec<NodeId>> = HashMap::new();
    for &k in run {
        if is_block_candidate(dom, k) && !has(dom.names(k), names::COMMENT_FORM) {
            families.entry(family_key(dom, k)).or_default().push(k);
        }
    }
    families
        .into_values()
        .filter(|members| {
            let headed = members
                .iter()
                .filter(|&&m| {
                    has_comment_meta(dom, dead, m)
                        || opening_header(&block_text(dom, dead, m, &[])).is_some()
                })
                .count();
            members.len() >= 2 && headed >= 2 && headed * 2 >= members.len()
        })
        .max_by_key(|members| (members.len(), std::cmp::Reverse(members[0])))
}

/// The comment header a comment's text opens with, on its first line or split over its first
/// two (a name, then the time under it), and how many lines it takes.
fn opening_header(text: &str) -> Option<(lines::CommentHeader, usize)> {
    let mut first = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let one = first.next()?;
    if let Some(h) = lines::comment_header(one) {
        return Some((h, 1));
    }
    let two = first.next()?;
    lines::comment_header(&format!("{one} {two}")).map(|h| (h, 2))
}

/// A comment whose markup names no author or time but whose text opens with them: the header
/// becomes the author and time, and leaves the text.
fn with_header_read(mut c: Comment, captured: Option<Stamp>) -> Comment {
    if c.author.is_some() || c.posted.is_some() {
        return c;
    }
    let Some((header, taken)) = opening_header(&c.text) else {
        return c;
    };
    c.author = Some(header.author);
    c.posted = header.when.and_then(|w| w.stamp(captured));
    // Past the header's lines (and any blank between them).
    let mut seen = 0;
    let rest: Vec<&str> = c
        .text
        .lines()
        .skip_while(|l| {
            if seen == taken {
                return false;
            }
            seen += usize::from(!l.trim().is_empty());
            true
        })
        .collect();
    c.text = rest.join("\n").trim().to_string();
    c
}

/// The comments of the best-ranked family whose comments mostly have words or an author; a
/// family that yields empty shells (avatars, counters) gives way to the next. Items already
/// read (in `seen`) are not read again.
fn read_families(
    dom: &Dom,
    dead: &[bool],
    families: Vec<Vec<(Vec<NodeId>, Option<u32>)>>,
    seen: &mut HashSet<NodeId>,
    captured: Option<Stamp>,
) -> Vec<Comment> {
    let mut chosen: Vec<Comment> = Vec::new();
    for items in families {
        let set: HashSet<NodeId> = items.iter().flat_map(|(g, _)| g.iter().copied()).collect();
        let comments: Vec<Comment> = items
            .iter()
            .filter(|(g, _)| !seen.contains(&g[0]))
            .filter_map(|(g, depth)| read_comment(dom, dead, g, *depth, &set, captured))
            .collect();
        let substantial = comments
            .iter()
            .filter(|c| !c.text.is_empty() || c.author.is_some())
            .count();
        if substantial * 2 > comments.len() {
            seen.extend(items.iter().map(|(g, _)| g[0]));
            return comments;
        }
        if chosen.is_empty() {
            chosen = comments;
        }
    }
    chosen
}

/// Forum posts: elements with post-like ids (`p4401`, `post_123`) or names (`post`,
/// `postcontainer`, `postbit`, `message`) that repeat, each holding a user name.
fn find_forum_posts(dom: &Dom, dead: &[bool]) -> Vec<NodeId> {
    let mut families: HashMap<String, Vec<NodeId>> = HashMap::new();
    let mut iter = dom.descendants(DOCUMENT);
    while let Some(id) = iter.next() {
        if dead[id] {
            iter.skip_children_of(id);
            continue;
        }
        if !matches!(
            dom.tag(id),
            "div" | "li" | "article" | "section" | "table" | "tr"
        ) {
            continue;
        }
        let words = dom.names(id);
        let post_id = dom.attr(id, "id").is_some_and(|i| {
            let stem = i.trim_end_matches(|c: char| c.is_ascii_digit());
            stem.len() < i.len()
                && matches!(
                    stem.trim_end_matches(['-', '_']),
                    "p" | "post" | "postcontainer" | "msg" | "message"
                )
        });
        if post_id || has(words, names::FORUM_POST) {
            families
                .entry(dom.tag(id).to_string())
                .or_default()
                .push(id);
            iter.skip_children_of(id);
        }
    }
    let best = families
        .into_values()
        .max_by_key(|v| v.len())
        .unwrap_or_default();
    let with_author = best
        .iter()
        .filter(|&&p| {
            dom.descendants(p)
                .any(|d| has(dom.names(d), names::COMMENT_AUTHOR))
        })
        .count();
    if with_author * 2 >= best.len() {
        best
    } else {
        Vec::new()
    }
}

fn is_schema_comment(dom: &Dom, n: NodeId) -> bool {
    has(dom.names(n), names::MARKED_COMMENT)
}

/// Outermost live elements named as comment sections (nested sections belong to the outer).
fn find_sections(dom: &Dom, dead: &[bool]) -> Vec<NodeId> {
    let mut out = Vec::new();
    let mut iter = dom.descendants(DOCUMENT);
    while let Some(id) = iter.next() {
        if dead[id] {
            iter.skip_children_of(id);
            continue;
        }
        if !dom.is_element(id)
            || matches!(
                dom.tag(id),
                "body" | "html" | "a" | "span" | "h1" | "h2" | "h3" | "h4" | "button" | "form"
            )
        {
            continue;
        }
        let words = dom.names(id);
        if has(words, names::COMMENT_SECTION)
            && !has(words, names::SECTION_EXCLUDE)
            && !holds_article(dom, id)
        {
            out.push(id);
            iter.skip_children_of(id);
        }
    }
    out
}

/// A page wrapper named `comments-enabled` is not a comment section: it holds the article's
/// heading or body.
fn holds_article(dom: &Dom, id: NodeId) -> bool {
    dom.descendants(id).any(|d| {
        matches!(dom.tag(d), "h1" | "main")
            || dom
                .attr(d, "itemprop")
                .is_some_and(|p| p.contains("articleBody"))
    })
}

/// How well a family of elements fits "one element per comment": members with an author or
/// time, member count, and shallowness.
type FamilyRank = (usize, usize, std::cmp::Reverse<usize>);

/// A family of comment candidates: tag and digit-free class.
type FamilyKey = (String, String);

/// The repeated comment elements inside a section, with their nesting depth. Each comment is
/// a group of nodes: one element, or a `dt` with the `dd`s that follow it (Blogger's classic
/// `dl#comments-block`).
fn find_items(dom: &Dom, dead: &[bool], section: NodeId) -> Vec<Vec<(Vec<NodeId>, Option<u32>)>> {
    // Candidates: elements named like a comment, schema.org comments, or ids like comment-123.
    let mut families: HashMap<FamilyKey, Vec<NodeId>> = HashMap::new();
    let mut iter = dom.descendants(section);
    while let Some(id) = iter.next() {
        if dead[id] {
            iter.skip_children_of(id);
            continue;
        }
        if !is_block_candidate(dom, id) {
            continue;
        }
        let words = dom.names(id);
        if has(words, names::COMMENT_FORM) {
            // The reply form is not a comment.
            iter.skip_children_of(id);
            continue;
        }
        let by_id = dom.attr(id, "id").is_some_and(is_comment_id);
        // A list of comments (`ol.comment-list`) is not one of them.
        let is_list = ["class", "id"].iter().any(|a| {
            dom.attr(id, a)
                .is_some_and(|v| names::whole_token_in(v, names::COMMENT_SECTION))
        });
        if !is_list && (is_schema_comment(dom, id) || by_id || has(words, names::COMMENT_ITEM)) {
            let key = if is_schema_comment(dom, id) {
                ("schema".to_string(), String::new())
            } else {
                family_key(dom, id)
            };
            families.entry(key).or_default().push(id);
        }
    }
    // Comments no name marks (`div.jdgm-rev` reviews): from each author element, the nearest
    // enclosing block with a class that repeats beside its siblings is one comment.
    // The families among each parent's children, counted once per parent.
    let mut sibling_families: HashMap<NodeId, HashMap<FamilyKey, usize>> = HashMap::new();
    let mut iter = dom.descendants(section);
    while let Some(id) = iter.next() {
        if dead[id] {
            iter.skip_children_of(id);
            continue;
        }
        if !has(dom.names(id), names::COMMENT_AUTHOR) {
            continue;
        }
        iter.skip_children_of(id);
        let mut at = id;
        while at != section {
            if dom.tag(at) == "form" || has(dom.names(at), names::COMMENT_FORM) {
                break;
            }
            let Some(parent) = dom.nodes[at].parent else {
                break;
            };
            if is_block_candidate(dom, at) {
                // Bare blocks (layout columns, whose classes differ only in digits) are no
                // family.
                let key = family_key(dom, at);
                let counts = sibling_families
                    .entry(parent)
                    .or_insert_with(|| child_families(dom, dead, parent));
                if !key.1.is_empty() && counts.get(&key).is_some_and(|&n| n > 1) {
                    families.entry(key).or_default().push(at);
                    break;
                }
            }
            at = parent;
        }
    }
    // In document order, each once (several authors can lead to one block).
    for members in families.values_mut() {
        members.sort_unstable();
        members.dedup();
    }
    // Families of single comments, best first: the ones whose members most often carry an
    // author or a time; then the largest; among equals, the outermost (WordPress nests
    // `article.comment-body` inside each `li.comment`).
    let mut ranked: Vec<(FamilyRank, &FamilyKey, &Vec<NodeId>)> = Vec::new();
    for (k, members) in &families {
        if !members.iter().any(|&m| has_text(dom, dead, m)) {
            continue;
        }
        let with_meta = members
            .iter()
            .filter(|&&m| has_comment_meta(dom, dead, m))
            .count();
        let depth = dom.ancestors(members[0]).count();
        ranked.push((
            (with_meta, members.len(), std::cmp::Reverse(depth)),
            k,
            members,
        ));
    }
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    ranked
        .into_iter()
        .take(MAX_FAMILIES_TRIED)
        .map(|(_, _, members)| items_of(dom, dead, section, members))
        .collect()
}

/// The family a comment candidate belongs to: its tag and its class with digits and parity
/// words removed, so `comment depth-2 odd` and `comment depth-1 even` differ only in what does
/// not matter.
fn family_key(dom: &Dom, id: NodeId) -> FamilyKey {
    let class: String = dom
        .attr(id, "class")
        .unwrap_or("")
        .split_whitespace()
        .filter(|w| {
            !w.chars().any(|c| c.is_ascii_digit())
                && !w.ends_with("-odd")
                && !w.ends_with("-even")
                && !w.ends_with("-alt")
                && !matches!(
                    *w,
                    "odd"
                        | "even"
                        | "alt"
                        | "thread-odd"
                        | "thread-even"
                        | "thread-alt"
                        | "bypostauthor"
                        | "byuser"
                        | "parent"
                        | "first"
                        | "last"
                )
        })
        .filter(|w| {
            !w.starts_with("comment-author-") && !w.starts_with("user-") && !w.starts_with("role-")
        })
        .collect::<Vec<_>>()
        .join(" ");
    (dom.tag(id).to_string(), class)
}

/// An element that may hold one comment: not an inline element, a paragraph or a link.
fn is_block_candidate(dom: &Dom, id: NodeId) -> bool {
    dom.is_element(id)
        && !matches!(
            dom.tag(id),
            "a" | "span" | "time" | "img" | "p" | "b" | "strong" | "em" | "i" | "cite" | "abbr"
        )
}

/// How many of a parent's live element children are of each family.
fn child_families(dom: &Dom, dead: &[bool], parent: NodeId) -> HashMap<FamilyKey, usize> {
    let mut counts = HashMap::new();
    for k in live_elements(dom, dead, parent) {
        *counts.entry(family_key(dom, k)).or_insert(0) += 1;
    }
    counts
}

/// How many candidate families a section's comments are read with before giving up.
const MAX_FAMILIES_TRIED: usize = 3;

/// The comments of one family, each as its node group with its depth.
fn items_of(
    dom: &Dom,
    dead: &[bool],
    section: NodeId,
    members: &[NodeId],
) -> Vec<(Vec<NodeId>, Option<u32>)> {
    if matches!(dom.tag(members[0]), "dt" | "dd") {
        return definition_groups(dom, dead, members);
    }
    let set: HashSet<NodeId> = members.iter().copied().collect();
    let nested = members
        .iter()
        .any(|&m| dom.ancestors(m).any(|a| set.contains(&a)));
    members
        .iter()
        .map(|&m| {
            let depth = if nested {
                Some(
                    dom.ancestors(m)
                        .take_while(|&a| a != section)
                        .filter(|a| set.contains(a))
                        .count() as u32,
                )
            } else {
                depth_from_class(dom, m)
            };
            (vec![m], depth)
        })
        .collect()
}

/// Groups each `dt` of the lists holding `members` with the `dd`s after it.
fn definition_groups(
    dom: &Dom,
    dead: &[bool],
    members: &[NodeId],
) -> Vec<(Vec<NodeId>, Option<u32>)> {
    let mut lists: Vec<NodeId> = members
        .iter()
        .filter_map(|&m| dom.nodes[m].parent)
        .collect();
    lists.dedup();
    let mut out: Vec<(Vec<NodeId>, Option<u32>)> = Vec::new();
    for list in lists {
        for k in dom.children(list) {
            if dead[k] {
                continue;
            }
            match dom.tag(k) {
                "dt" => out.push((vec![k], None)),
                "dd" => {
                    if let Some(last) = out.last_mut() {
                        last.0.push(k);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// `comment-123`, `li-comment-5`, `div-comment-5`, `c123`, `t123` (LiveJournal threads),
/// `p123` / `post123` / `post_123` (forums), `dsq-comment-9`.
fn is_comment_id(id: &str) -> bool {
    let lower = id.to_ascii_lowercase();
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit());
    if stem.len() == lower.len() || stem.is_empty() {
        return false;
    }
    let stem = stem.trim_end_matches(['-', '_']);
    matches!(
        stem,
        "comment"
            | "li-comment"
            | "div-comment"
            | "c"
            | "t"
            | "cmt"
            | "ljcmt"
            | "p"
            | "post"
            | "dsq-comment"
            | "dsq-comment-body"
            | "reply"
            | "msg"
            | "postcontainer"
            | "edit"
            | "comments-comment"
            | "comment-body"
            | "commentbody"
    )
}

/// A `depth-2` (WordPress), `comment-depth-2` (LiveJournal) or `level-2` class, when the
/// markup does not nest: 1-based in the markup, 0-based here.
fn depth_from_class(dom: &Dom, id: NodeId) -> Option<u32> {
    let class = dom.attr(id, "class")?;
    class.split_whitespace().find_map(|w| {
        let w = w.to_ascii_lowercase();
        let p = w
            .rfind("depth-")
            .map(|p| p + 6)
            .or_else(|| w.rfind("level-").map(|p| p + 6))?;
        let n: u32 = w[p..].parse().ok()?;
        n.checked_sub(1)
    })
}

/// True when a comment candidate holds an author or a time element (or is itself headed by one).
fn has_comment_meta(dom: &Dom, dead: &[bool], id: NodeId) -> bool {
    let mut iter = dom.descendants(id);
    while let Some(n) = iter.next() {
        if dead[n] {
            iter.skip_children_of(n);
            continue;
        }
        if !dom.is_element(n) {
            continue;
        }
        if dom.tag(n) == "time" || dom.tag(n) == "cite" {
            return true;
        }
        let words = dom.names(n);
        if has(words, names::COMMENT_AUTHOR) || has(words, names::COMMENT_TIME) {
            return true;
        }
        if matches!(
            dom.attr(n, "itemprop"),
            Some("author" | "dateCreated" | "datePublished")
        ) {
            return true;
        }
    }
    false
}

/// No element children but links.
fn is_leaf(dom: &Dom, id: NodeId) -> bool {
    !dom.children(id)
        .any(|k| dom.is_element(k) && dom.tag(k) != "a")
}

fn text_chars(dom: &Dom, id: NodeId) -> usize {
    dom.text(id).chars().count()
}

fn has_text(dom: &Dom, dead: &[bool], id: NodeId) -> bool {
    let mut iter = dom.descendants(id);
    while let Some(n) = iter.next() {
        if dead[n] {
            iter.skip_children_of(n);
            continue;
        }
        if let NodeData::Text(t) = &dom.nodes[n].data
            && !t.trim().is_empty()
        {
            return true;
        }
    }
    false
}

/// Reads one comment from its nodes. Nested replies (other items inside it) are not part of its
/// text.
fn read_comment(
    dom: &Dom,
    dead: &[bool],
    group: &[NodeId],
    depth: Option<u32>,
    others: &HashSet<NodeId>,
    captured: Option<Stamp>,
) -> Option<Comment> {
    let mut author: Option<String> = None;
    let mut posted: Option<Stamp> = None;
    let mut edited: Option<Stamp> = None;
    let mut author_node: Option<NodeId> = None;
    let mut time_node: Option<NodeId> = None;
    let mut content_nodes: Vec<NodeId> = Vec::new();
    let mut skip: Vec<NodeId> = Vec::new();

    for &root in group {
        // Pre-order walk; `continue` leaves a consumed or skipped node's subtree unvisited.
        let mut stack: Vec<NodeId> = vec![root];
        while let Some(id) = stack.pop() {
            let itemprop = dom.attr(id, "itemprop").unwrap_or("");
            if dead[id] {
                // Microdata times live in `<meta>`, which the chrome pass removes.
                if posted.is_none()
                    && dom.tag(id) == "meta"
                    && matches!(itemprop, "dateCreated" | "datePublished" | "commentTime")
                {
                    posted = dom.attr(id, "content").and_then(Stamp::find);
                }
                continue;
            }
            if !dom.is_element(id) {
                continue;
            }
            let words = dom.names(id);
            if id != root && others.contains(&id)
                || matches!(dom.tag(id), "ul" | "ol" | "div") && has(words, names::REPLIES)
            {
                skip.push(id);
                continue;
            }
            if has(words, names::EDIT_NOTE) {
                edited = edited.or_else(|| Stamp::find(&dom.text(id)));
                skip.push(id);
                continue;
            }
            // A `dt` heads its group and holds the author itself.
            if (id != root || group.len() > 1)
                && author_node.is_none()
                && (has(words, names::COMMENT_AUTHOR)
                    || matches!(itemprop, "author" | "creator")
                    || dom.tag(id) == "cite")
            {
                let t = dom.text(id);
                let t = strip_says(&t);
                if !t.is_empty() && t.chars().count() <= 60 {
                    author = Some(t.to_string());
                    author_node = Some(id);
                    continue;
                }
            }
            let is_time_tag = dom.tag(id) == "time" && dom.attr(id, "datetime").is_some();
            let time_like = is_time_tag
                || has(words, names::COMMENT_TIME)
                || matches!(itemprop, "dateCreated" | "datePublished")
                || dom.tag(id) == "abbr" && dom.attr(id, "title").is_some();
            // A `<time datetime>` beats a date read from a meta line's text.
            let better = time_node.is_none()
                || is_time_tag && time_node.is_some_and(|t| dom.tag(t) != "time");
            if id != root && time_like && better {
                let from_attr = dom
                    .attr(id, "datetime")
                    .or_else(|| dom.attr(id, "title"))
                    .or_else(|| dom.attr(id, "data-timestamp"))
                    .or_else(|| dom.attr(id, "content"))
                    .or_else(|| dom.attr(id, "data-content"))
                    .and_then(Stamp::find);
                let text = dom.text(id);
                let when = from_attr.map(When::At).or_else(|| parse_when(&text, false));
                if let Some(w) = when {
                    posted = w.stamp(captured);
                    time_node = Some(id);
                    let leaf = !dom
                        .children(id)
                        .any(|k| dom.is_element(k) && dom.tag(k) != "a");
                    if leaf && text.chars().count() < 80 {
                        continue;
                    }
                }
            }
            if (has(words, names::COMMENT_TEXT)
                || matches!(itemprop, "text" | "commentText" | "description"))
                && !has(words, names::COMMENT_AUTHOR)
                && !time_like
            {
                content_nodes.push(id);
            }
            // A time that did not parse (`21:00`) is still metadata, not text.
            if id != root
                && time_like
                && time_node.is_none()
                && is_leaf(dom, id)
                && text_chars(dom, id) < 40
            {
                skip.push(id);
                continue;
            }
            if id != root
                && (has(words, names::COMMENT_CHROME) && !has(words, names::COMMENT_TEXT)
                    || matches!(dom.tag(id), "form" | "button"))
            {
                skip.push(id);
                continue;
            }
            stack.extend(dom.children(id).rev());
        }
    }
    // The content element is the first one named so that holds neither the author nor the time.
    let holds = |outer: NodeId, inner: Option<NodeId>| {
        inner.is_some_and(|i| i == outer || dom.ancestors(i).any(|a| a == outer))
    };
    let content_node = content_nodes.into_iter().find(|&c| {
        !holds(c, author_node)
            && !holds(c, time_node)
            && !skip
                .iter()
                .any(|&s| s == c || dom.ancestors(c).any(|a| a == s))
    });
    let mut excluded: Vec<NodeId> = skip;
    let roots: Vec<NodeId> = match content_node {
        Some(c) => vec![c],
        None => {
            excluded.extend(author_node);
            excluded.extend(time_node);
            group.to_vec()
        }
    };
    let mut text = String::new();
    for r in roots {
        text.push_str(&block_text(dom, dead, r, &excluded));
        text.push('\n');
    }
    let (text, marker) = tidy_comment(&text, author.as_deref());
    edited = edited.or(marker);
    if text.is_empty() && author.is_none() && posted.is_none() {
        return None;
    }
    // A stub line or a comment count (`120 Kommentare`) alone is not a comment.
    if author.is_none() && posted.is_none() && {
        let n = lines::normalize(&text);
        COMMENT_STUBS.contains(&n.as_str()) || lines::is_comment_count(&n)
    } {
        return None;
    }
    Some(Comment {
        author,
        posted,
        edited,
        text,
        depth,
    })
}

/// `Jane says:` → `Jane`, `Ramón dijo:` → `Ramón`, `Max sagt:` → `Max`, `Ann:` → `Ann`.
fn strip_says(t: &str) -> &str {
    let t = t.trim();
    let bare = t.trim_end_matches([':', '.', '…']).trim_end();
    for verb in SAID_VERBS {
        if let Some(name) = bare
            .strip_suffix(verb)
            .and_then(|x| x.strip_suffix(' '))
            .filter(|x| !x.trim().is_empty())
        {
            return name.trim();
        }
    }
    if bare.len() < t.len() && t.ends_with(':') {
        return bare;
    }
    t
}

/// Text of a subtree with block elements on their own lines and paragraphs separated by blank
/// lines; `excluded` subtrees are left out.
pub fn block_text(dom: &Dom, dead: &[bool], root: NodeId, excluded: &[NodeId]) -> String {
    let mut out = String::new();
    // (node, closing?) so blocks can end their line after their children.
    let mut stack: Vec<(NodeId, bool)> = vec![(root, false)];
    while let Some((id, closing)) = stack.pop() {
        let tag = dom.tag(id);
        if closing {
            if matches!(
                tag,
                "p" | "blockquote"
                    | "pre"
                    | "ul"
                    | "ol"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "table"
            ) {
                out.push_str("\n\n");
            } else if is_line_block(tag) {
                out.push('\n');
            }
            continue;
        }
        if dead[id] || excluded.contains(&id) {
            continue;
        }
        match &dom.nodes[id].data {
            NodeData::Text(t) => {
                // Leading whitespace is one space, or none at the start of a line.
                let at_line_start = out.is_empty() || out.ends_with('\n');
                if !at_line_start && t.starts_with(char::is_whitespace) && !out.ends_with(' ') {
                    out.push(' ');
                }
                push_collapsed(&mut out, t.trim_start());
            }
            NodeData::Element { .. } | NodeData::Document => {
                if tag == "br" {
                    out.push('\n');
                    continue;
                }
                if is_line_block(tag) && !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                stack.push((id, true));
                for k in dom.children(id).rev() {
                    stack.push((k, false));
                }
            }
            _ => {}
        }
    }
    out
}

fn is_line_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "blockquote"
            | "pre"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "tr"
            | "header"
            | "footer"
            | "figure"
            | "figcaption"
            | "hr"
    )
}

/// Trims lines, drops boilerplate and a repeated author line, keeps paragraph breaks; an
/// `Edited at …` line becomes the edit time.
fn tidy_comment(text: &str, author: Option<&str>) -> (String, Option<Stamp>) {
    let mut edited = None;
    let author_norm = author.map(lines::normalize).unwrap_or_default();
    let mut lines: Vec<&str> = Vec::new();
    for raw in text.lines() {
        let l = raw.trim();
        if l.is_empty() {
            if lines.last().is_some_and(|x| !x.is_empty()) {
                lines.push("");
            }
            continue;
        }
        if let Some(e) = edit_marker(l) {
            edited = edited.or(e);
            continue;
        }
        let n = lines::normalize(l);
        if lines::is_boilerplate_line(l)
            || (!author_norm.is_empty() && n == author_norm)
            || SAID_VERBS.contains(&n.as_str())
            || matches!(n.as_str(), "reply" | "antworten" | "répondre" | "responder")
        {
            continue;
        }
        lines.push(l);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    (lines.join("\n"), edited)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn said_verbs_leave_the_name() {
        assert_eq!(strip_says("Jane says:"), "Jane");
        assert_eq!(strip_says("Ramón dijo"), "Ramón");
        assert_eq!(strip_says("Max Muster sagt:"), "Max Muster");
        assert_eq!(strip_says("Claude a dit :"), "Claude");
        assert_eq!(strip_says("Jan zegt:"), "Jan");
        assert_eq!(strip_says("Ann:"), "Ann");
        assert_eq!(strip_says("Bo wrote..."), "Bo");
        assert_eq!(strip_says("said"), "said");
        assert_eq!(strip_says("Dijon"), "Dijon");
    }
    use crate::ingest::markup::Dom;

    fn comments_of(html: &str) -> Vec<Comment> {
        let dom = Dom::parse_labelled(html, names::label);
        let dead = vec![false; dom.nodes.len()];
        extract(&dom, &dead, None).comments
    }

    #[test]
    fn comment_ids() {
        assert!(is_comment_id("comment-123"));
        assert!(is_comment_id("li-comment-5"));
        assert!(is_comment_id("t4567"));
        assert!(!is_comment_id("comments"));
        assert!(!is_comment_id("top"));
    }

    #[test]
    fn wordpress_threads_keep_order_and_depth() {
        let html = r##"<div id="comments" class="comments-area"><h2>2 thoughts</h2><ol class="comment-list">
          <li id="comment-1" class="comment even thread-even depth-1"><article id="div-comment-1" class="comment-body">
            <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Ann</b> <span class="says">says:</span></div>
            <div class="comment-metadata"><a href="#c1"><time datetime="2020-05-01T10:00:00+00:00">May 1, 2020 at 10:00 am</time></a></div></footer>
            <div class="comment-content"><p>First point.</p><p>Second paragraph.</p></div>
            <div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></article>
            <ol class="children"><li id="comment-2" class="comment odd alt depth-2"><article id="div-comment-2" class="comment-body">
              <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Bob</b></div>
              <div class="comment-metadata"><time datetime="2020-05-02T11:00:00+00:00">May 2</time></div></footer>
              <div class="comment-content"><p>A reply.</p></div></article></li></ol>
          </li>
          <li id="comment-3" class="comment even depth-1"><article class="comment-body"><footer class="comment-meta"><div class="comment-author"><b class="fn">Cy</b></div></footer>
            <div class="comment-content"><p>Later one.</p></div></article></li>
        </ol></div>"##;
        let c = comments_of(html);
        assert_eq!(c.len(), 3, "{c:#?}");
        assert_eq!(c[0].author.as_deref(), Some("Ann"));
        assert_eq!(c[0].text, "First point.\n\nSecond paragraph.");
        assert_eq!(c[0].posted.unwrap().to_string(), "2020-05-01T10:00:00Z");
        assert_eq!(c[0].depth, Some(0));
        assert_eq!(c[1].author.as_deref(), Some("Bob"));
        assert_eq!(c[1].text, "A reply.");
        assert_eq!(c[1].depth, Some(1));
        assert_eq!(c[2].text, "Later one.");
        assert_eq!(c[2].depth, Some(0));
    }

    #[test]
    fn a_heading_only_section_is_followed_by_its_comment_list() {
        let html = r##"<p>Article.</p>
        <div id="comments" class="siteCommentsSection"><h2><a href="#">2 Kommentare</a></h2></div>
        <ol class="siteCommentList">
          <li class="siteCommentContainer"><p class="siteCommentAuthorName"><a href="/u/1">Ann</a></p>
            <div class="siteCommentMessage">Erster Punkt.</div><time datetime="2022-01-26T13:05:00">13:05</time></li>
          <li class="siteCommentContainer"><p class="siteCommentAuthorName"><a href="/u/2">Bob</a></p>
            <div class="siteCommentMessage">Eine Antwort.</div><time datetime="2022-01-26T13:11:00">13:11</time></li>
        </ol>"##;
        let dom = Dom::parse_labelled(html, names::label);
        let dead = vec![false; dom.nodes.len()];
        let found = extract(&dom, &dead, None);
        let texts: Vec<&str> = found.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Erster Punkt.", "Eine Antwort."],
            "{:#?}",
            found.comments
        );
        assert_eq!(found.comments[1].author.as_deref(), Some("Bob"));
        assert!(found.sections.iter().any(|&s| dom.tag(s) == "ol"));
    }

    #[test]
    fn a_comment_count_alone_is_not_a_comment() {
        let html = r##"<p>Article.</p><div id="comments" class="comments"><h2 class="post-header"><a href="/forum/t/1">120 Kommentare</a></h2></div>"##;
        assert!(comments_of(html).is_empty());
    }

    #[test]
    fn an_alignment_utility_is_not_the_comment_text() {
        let html = r##"<div class="comments"><div class="comment-item"><div class="comment-author"><a href="/u/1">Ann</a></div>
          <p>Sehr lecker.</p><div class="comment-date">07.04.2020 21:50</div>
          <div class="ds-text-right"><button>Antworten</button></div></div>
          <div class="comment-item"><div class="comment-author"><a href="/u/2">Bob</a></div>
          <p>Danke.</p><div class="comment-date">08.04.2020 10:00</div>
          <div class="ds-text-right"><button>Antworten</button></div></div></div>"##;
        let texts: Vec<String> = comments_of(html).into_iter().map(|c| c.text).collect();
        assert_eq!(texts, ["Sehr lecker.", "Danke."]);
    }

    #[test]
    fn repeated_blocks_with_an_author_are_comments_without_item_names() {
        let review = |who: &str, when: &str, text: &str| {
            format!(
                r#"<div class="rw-entry rw-divider"><div class="rw-entry__header">
                <span class="rw-entry__timestamp" data-content="{when}"></span>
                <span class="rw-entry__author">{who}</span></div>
                <div class="rw-entry__body"><p>{text}</p></div>
                <div class="rw-entry__reply"><div class="rw-entry__reply-content"><p>Thanks, the shop.</p></div></div></div>"#
            )
        };
        let html = format!(
            r#"<p>Product.</p><div class="rw-widget"><div class="rw-list__reviews">{}{}</div></div>"#,
            review("Ann", "2020-02-15 16:14:54 UTC", "Smells wonderful."),
            review("Bob", "2020-03-01 09:00:00 UTC", "Tastes like any other.")
        );
        let c = comments_of(&html);
        let got: Vec<(Option<&str>, String)> = c
            .iter()
            .map(|c| {
                (
                    c.author.as_deref(),
                    c.posted.map(|p| p.to_string()).unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some("Ann"), "2020-02-15T16:14:54Z".to_string()),
                (Some("Bob"), "2020-03-01T09:00:00Z".to_string())
            ],
            "{c:#?}"
        );
        assert!(c[0].text.starts_with("Smells wonderful."), "{c:#?}");
    }

    #[test]
    fn a_sidebar_of_recent_comments_is_no_comment_section() {
        let html = r##"<p>Article.</p><aside><section id="recent-comments-2" class="widget widget_recent_comments">
          <h2 class="widget-title">Neueste Kommentare</h2><ul id="recentcomments">
          <li class="recentcomments"><span class="comment-author-link"><a href="/">Ann</a></span> bei <a href="/a/#comment-3">Ein Beitrag</a></li>
          <li class="recentcomments"><span class="comment-author-link"><a href="/">Bob</a></span> bei <a href="/b/#comment-4">Ein anderer</a></li>
          </ul></section></aside>"##;
        assert!(comments_of(html).is_empty(), "{:#?}", comments_of(html));
    }

    fn unnamed_page(items: &str) -> String {
        format!(
            "<html><body><div class=\"wrap\"><h1>Harbour plan approved</h1>\
             <p>The council approved the harbour plan on Tuesday after a long debate.</p>\
             <h3>3 Responses</h3>{items}</div></body></html>"
        )
    }

    #[test]
    fn blocks_after_a_comment_heading_that_open_with_author_and_time_are_comments() {
        let items: String = [
            ("Anna Berg", "March 3, 2019 at 10:14 am", "Best news in years."),
            ("Tom Reyes", "March 3, 2019 at 11:02 am", "Spend it on schools."),
            ("Mira K.", "2 days ago", "Will ferries run in winter?"),
        ]
        .iter()
        .map(|(a, t, x)| {
            format!("<div class=\"item\"><div class=\"meta\"><b>{a}</b> <span>{t}</span></div><p>{x}</p></div>")
        })
        .collect();
        let found = comments_of(&unnamed_page(&items));
        let read: Vec<(Option<&str>, &str)> = found
            .iter()
            .map(|c| (c.author.as_deref(), c.text.as_str()))
            .collect();
        assert_eq!(
            read,
            [
                (Some("Anna Berg"), "Best news in years."),
                (Some("Tom Reyes"), "Spend it on schools."),
                (Some("Mira K."), "Will ferries run in winter?"),
            ]
        );
        assert_eq!(found[0].posted.unwrap().to_string(), "2019-03-03T10:14:00");
    }

    #[test]
    fn blocks_after_a_comment_heading_without_authors_and_times_are_not_comments() {
        let items = "<div class=\"item\"><p>More about the harbour: the plan in full.</p></div>\
                     <div class=\"item\"><p>Our reporters on the council, March 3, 2019.</p></div>";
        assert!(comments_of(&unnamed_page(items)).is_empty());
        let one = "<div class=\"item\"><b>Anna Berg</b> March 3, 2019 at 10:14 am<p>Hi.</p></div>\
                   <div class=\"item\"><p>Sign in to comment.</p></div>";
        assert!(
            comments_of(&unnamed_page(one)).is_empty(),
            "one headed block is no thread"
        );
    }
}

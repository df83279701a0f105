//! The HTML reader: metadata, comments, boilerplate removal, the article block and its text.
//!
//! `extract` runs the steps in order; each lives in its own module: `meta` (the head),
//! `comments`, `chrome` (what is removed by tag, attribute and name), `block` (which block holds
//! the article, as Readability scores it), `prune` (chrome left inside it), `fields` (headline,
//! byline and date from the body) and `render` (its text). Word lists are the lexicon's.

use html5ever::interface::tree_builder::{ElementFlags, NodeOrText, TreeSink};

mod block;
mod chrome;
pub mod comments;
mod fields;
pub mod meta;
mod prune;
mod render;

use block::MIN_PARAGRAPH_CHARS;
use fields::{find_author, find_published, heading_title};
use render::{render, tidy_body};

use crate::ingest::IngestConfig;
use crate::ingest::error::IngestError;
use crate::ingest::lexicon::chars;
use crate::ingest::lexicon::names::{self, has};
use crate::ingest::lines;
use crate::ingest::markup::{self, DOCUMENT, Dom, NodeData, NodeId};
use crate::ingest::page::Page;
use crate::ingest::people::byline;

/// The full chrome pass is taken back when it leaves less than a quarter of the prose the light
/// pass leaves, on a page with at least this much prose.
const RESCUE_MIN_PROSE: u32 = 500;
const RESCUE_SHARE: u32 = 4;

/// A page with a refresh and less text than this is a redirect stub.
const REDIRECT_STUB_CHARS: u32 = 500;

/// Per-node facts the cleaner computes once.
struct Cleaner<'a> {
    dom: &'a Dom,
    /// Removed as chrome (the whole subtree).
    dead: Vec<bool>,
    /// Characters of live text under the node.
    text_len: Vec<u32>,
    /// Characters of live text under the node that sit inside links.
    link_len: Vec<u32>,
    /// Commas under the node.
    commas: Vec<u32>,
    /// Prose on the whole page (see [`Cleaner::prose_left`]), once asked for.
    all_prose: std::cell::OnceCell<u32>,
}

/// Characters of a text with runs of whitespace counted as one (CJK counted twice, as a CJK
/// character carries about a word), and its commas.
fn text_metrics(t: &str) -> (u32, u32) {
    let mut len = 0u32;
    let mut commas = 0u32;
    let mut space = true;
    for ch in t.chars() {
        let (white, weight) = if ch.is_ascii() {
            (matches!(ch, '\t'..='\r' | ' '), 1)
        } else {
            (ch.is_whitespace(), if chars::is_cjk(ch) { 2 } else { 1 })
        };
        if white {
            if !space {
                len += 1;
            }
            space = true;
        } else {
            len += weight;
            space = false;
            if matches!(ch, ',' | '，' | '、' | '،') {
                commas += 1;
            }
        }
    }
    (len, commas)
}

/// Fills `page` from markup.
///
/// # Errors
/// [`IngestError::Redirect`] for a page that only forwards the reader elsewhere.
pub fn extract(text: &str, config: &IngestConfig, page: &mut Page) -> Result<(), IngestError> {
    let (dom, stripped) = parse(text, config.max_depth);
    let mut html_meta = meta::read_html_meta(&dom, &stripped.json_ld);
    let ld_body = html_meta.article_body();
    let descriptions = std::mem::take(&mut html_meta.descriptions);
    meta::apply(html_meta, page);

    let mut c = Cleaner::new(&dom);
    // Comment systems build their markup from footers, headers and menus, which the full chrome
    // pass removes; so comments are read after a lighter pass that only removes what is never
    // text (scripts, forms, hidden parts, ads).
    c.measure();
    if let Some(target) = redirect_target(&dom) {
        // A stub says "Redirecting…"; a real page that also refreshes has text of its own.
        if c.text_len[DOCUMENT] < REDIRECT_STUB_CHARS {
            return Err(IngestError::Redirect {
                path: page.path.clone(),
                target,
            });
        }
    }
    let protected = c.article_ancestors();
    let light = c.chrome_marks(true, &protected);
    let found = comments::extract(&dom, &light, page.captured);
    // When the names of the layout mark the article itself as chrome (a `sidebar-second`
    // layout wrapping the whole page), the full pass leaves little of the page's visible prose:
    // the article is then looked for among what the light pass leaves, hidden parts removed.
    let full = c.chrome_marks(false, &protected);
    let hidden_part = |id| c.is_hidden_part(id, &protected);
    let visible = c.prose_left(|id| light[id] || hidden_part(id));
    c.dead = if visible >= RESCUE_MIN_PROSE && c.prose_left(|id| full[id]) * RESCUE_SHARE < visible
    {
        (0..light.len())
            .map(|id| light[id] || hidden_part(id))
            .collect()
    } else {
        full
    };
    for &root in &found.sections {
        c.kill(root);
    }
    c.measure_after_deaths();

    let mut outside_comments = light.clone();
    for &root in &found.sections {
        outside_comments[root] = true;
    }
    let mut main = c.choose_main(page.title.as_deref(), &descriptions);
    c.add_lead(&mut main);
    c.prune_inside(&main);
    if page.author.is_none() {
        page.author = find_author(&dom, &c.dead, &main, &outside_comments);
    }
    c.drop_metadata(&main);
    c.add_standfirst(&mut main, &descriptions, &outside_comments);
    let rendered = render(&dom, &c.dead, &c.text_len, &main);
    if let Some(h) = heading_title(&dom, &c.dead, &main, page.title.as_deref()) {
        page.title = Some(h);
    }
    page.body = tidy_body(&rendered, page.title.as_deref(), &mut page.author);
    // A page that builds its article with scripts, or shows only a teaser of it, often still
    // states the whole text in its JSON-LD: when that is far longer than what the markup
    // shows, it is the article.
    if let Some(ld) = ld_body {
        let stated = words(&ld);
        if stated >= LD_BODY_MIN_WORDS && words(&page.body) * 2 < stated {
            let text = ld_body_text(&ld, config.max_depth);
            page.body = tidy_body(&text, page.title.as_deref(), &mut page.author);
        }
    }
    page.comments = found.comments;
    if page.published.is_none() {
        page.published = find_published(&dom, &outside_comments);
    }
    Ok(())
}

/// Guards and parses a page's markup, each element labelled with the word lists its class and
/// id fall in.
pub(crate) fn parse(text: &str, max_depth: usize) -> (Dom, markup::Stripped) {
    let (guarded, stripped) = markup::guard(text, max_depth);
    let dom = Dom::parse_labelled(&guarded, names::label);
    (dom, stripped)
}

/// Fewest words a JSON-LD `articleBody` needs to stand in for the article the markup shows.
const LD_BODY_MIN_WORDS: usize = 100;

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// The text of a JSON-LD `articleBody`: plain text with a paragraph per line, or markup
/// (some sites put the article's HTML there), rendered as the plain renderer renders a block.
fn ld_body_text(raw: &str, max_depth: usize) -> String {
    let markup = raw.contains("</") || raw.contains("<br") || raw.contains("<p");
    let lines = raw.lines().map(str::trim).filter(|l| !l.is_empty());
    if !markup && !raw.contains('&') {
        return lines.collect::<Vec<_>>().join("\n\n");
    }
    // Plain text with entities in it: each line a paragraph, so that the entities are decoded
    // and the lines kept apart.
    let html = if markup {
        raw.to_string()
    } else {
        lines.map(|l| format!("<p>{l}</p>")).collect()
    };
    let (dom, _) = parse(&html, max_depth);
    let dead = vec![false; dom.nodes.len()];
    comments::block_text(&dom, &dead, DOCUMENT, &[])
}

/// `<meta http-equiv="refresh" content="0; url=…">`: where it points.
fn redirect_target(dom: &Dom) -> Option<String> {
    dom.descendants(DOCUMENT).find_map(|n| {
        if dom.tag(n) != "meta" || !dom.attr(n, "http-equiv")?.eq_ignore_ascii_case("refresh") {
            return None;
        }
        let content = dom.attr(n, "content")?;
        let lower = content.to_ascii_lowercase();
        let p = lower.find("url=")?;
        Some(content[p + 4..].trim_matches(['\'', '"', ' ']).to_string())
    })
}

impl<'a> Cleaner<'a> {
    fn new(dom: &'a Dom) -> Self {
        let n = dom.nodes.len();
        Cleaner {
            dom,
            dead: vec![false; n],
            text_len: vec![0; n],
            link_len: vec![0; n],
            commas: vec![0; n],
            all_prose: std::cell::OnceCell::new(),
        }
    }

    /// Characters of prose, in paragraphs that are not mostly links, outside the subtrees
    /// `dead` holds.
    fn prose_left(&self, dead: impl Fn(NodeId) -> bool) -> u32 {
        self.prose_within(DOCUMENT, dead)
    }

    /// [`Cleaner::prose_left`] within the subtree of `root`.
    fn prose_within(&self, root: NodeId, dead: impl Fn(NodeId) -> bool) -> u32 {
        let dom = self.dom;
        let mut sum = 0;
        let mut id = root;
        while id <= dom.subtree_end(root) {
            if dead(id) {
                id = dom.subtree_end(id) + 1;
                continue;
            }
            if dom.is_element(id) && dom.tag(id) == "p" {
                let len = self.text_len[id];
                if len as usize >= MIN_PARAGRAPH_CHARS && self.link_density(id) < 0.25 {
                    sum += len;
                }
                id = dom.subtree_end(id) + 1;
                continue;
            }
            id += 1;
        }
        sum
    }

    fn kill(&mut self, id: NodeId) {
        self.dead[id] = true;
    }

    /// Text, link-text and comma counts of every node, before any has died (later deaths are
    /// taken off with `measure_after_deaths` and `remove`). Nodes are numbered in document
    /// order, so children come after their parent: one pass up adds each node into its parent.
    fn measure(&mut self) {
        let dom = self.dom;
        for id in (0..dom.nodes.len()).rev() {
            match &dom.nodes[id].data {
                NodeData::Text(t) => {
                    let (len, commas) = text_metrics(t);
                    self.text_len[id] = len;
                    self.commas[id] = commas;
                }
                NodeData::Element { .. } => {
                    if dom.tag(id) == "a" {
                        self.link_len[id] = self.text_len[id];
                    }
                }
                _ => continue,
            }
            if let Some(p) = dom.nodes[id].parent {
                self.text_len[p] += self.text_len[id];
                self.link_len[p] += self.link_len[id];
                self.commas[p] += self.commas[id];
            }
        }
    }

    /// The counts `measure` would give now, from those of a `measure` that saw no node dead:
    /// each topmost dead subtree's counts come off its ancestors and the subtree is zeroed.
    /// Cheaper than a new pass when, as after the chrome marks, whole subtrees went.
    fn measure_after_deaths(&mut self) {
        let dom = self.dom;
        let n = dom.nodes.len();
        let mut id = 0;
        while id < n {
            if !self.dead[id] {
                id += 1;
                continue;
            }
            let last = dom.subtree_end(id);
            self.take_off_ancestors(id);
            for v in [&mut self.text_len, &mut self.link_len, &mut self.commas] {
                v[id..=last].fill(0);
            }
            id = last + 1;
        }
    }

    /// Takes a subtree's counts off its ancestors. Below a link all text is link text: from the
    /// link up, the whole loss is link text.
    fn take_off_ancestors(&mut self, id: NodeId) {
        let dom = self.dom;
        let (t, l, c) = (self.text_len[id], self.link_len[id], self.commas[id]);
        let mut in_link = false;
        for a in dom.ancestors(id) {
            self.text_len[a] = self.text_len[a].saturating_sub(t);
            self.commas[a] = self.commas[a].saturating_sub(c);
            self.link_len[a] = self.link_len[a].saturating_sub(if in_link { t } else { l });
            if dom.tag(a) == "a" {
                self.link_len[a] = self.text_len[a];
                in_link = true;
            }
        }
    }

    fn link_density(&self, id: NodeId) -> f32 {
        let t = self.text_len[id];
        if t == 0 {
            0.0
        } else {
            self.link_len[id] as f32 / t as f32
        }
    }
}

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "table"
            | "ul"
            | "ol"
            | "dl"
            | "blockquote"
            | "pre"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "form"
            | "header"
            | "footer"
            | "figure"
            | "main"
            | "aside"
            | "nav"
            | "hr"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::page::Format;

    fn run(html: &str) -> Page {
        let mut page = Page::empty("t.html", Format::Html, "UTF-8");
        extract(html, &IngestConfig::default(), &mut page).unwrap();
        page
    }

    /// A page whose markup shows `shown` and whose JSON-LD states `stated` as the article.
    fn with_ld_body(shown: &str, stated: &str) -> String {
        let ld = serde_json::json!({"@type": "NewsArticle", "articleBody": stated});
        format!(
            "<html><head><title>Story</title><script type=\"application/ld+json\">{ld}</script>\
             </head><body><article><p>{shown}</p></article></body></html>"
        )
    }

    #[test]
    fn a_json_ld_article_body_stands_in_for_a_teaser() {
        let paragraph = |topic: &str| {
            (1..=6)
                .map(|n| format!("Item {n} on the {topic} took the council a long evening."))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let (first, second) = (paragraph("harbour"), paragraph("schools"));
        let stated = format!("{first}\n{second}");
        let teaser = "The council met on Tuesday to vote on the harbour plan, read on.";
        let page = run(&with_ld_body(teaser, &stated));
        assert_eq!(page.body, format!("{first}\n\n{second}"));
        // Markup in the JSON-LD text is rendered, entities decoded.
        let page = run(&with_ld_body(
            teaser,
            &format!("<p>{}</p><p>Q&amp;A</p>", stated),
        ));
        assert!(page.body.ends_with("\n\nQ&A"), "{}", page.body);
        // The markup's own article, when it holds the text, is kept.
        let shown = format!("{first} {second}");
        assert_eq!(run(&with_ld_body(&shown, &stated)).body, shown);
    }

    #[test]
    fn keeps_the_article_and_drops_chrome() {
        let html = r##"<html><head><title>Floods close roads | The Courier</title></head><body>
          <nav><a href=/>Home</a><a href=/news>News</a></nav>
          <div class="cookie-banner">We use cookies to improve your experience. Accept?</div>
          <div id="main"><article>
            <h1>Floods close roads</h1>
            <p class="byline">By Jane Doe</p>
            <p>Heavy rain overnight flooded several roads in the north of the county, police said on Tuesday, and drivers were told to avoid the area.</p>
            <div class="ad-slot">ADVERTISEMENT</div>
            <p>The river rose by more than a metre in six hours, the highest level recorded since 2007, according to the environment agency.</p>
            <div class="share-tools"><a href="#">Facebook</a> <a href="#">Twitter</a></div>
          </article></div>
          <aside class="related"><h3>Related</h3><ul><li><a href=/a>Storm warning issued for weekend</a></li></ul></aside>
          <footer>© 2021 The Courier. All rights reserved.</footer>
        </body></html>"##;
        let page = run(html);
        assert_eq!(page.title.as_deref(), Some("Floods close roads"));
        assert_eq!(page.site.as_deref(), Some("The Courier"));
        assert_eq!(page.author.as_deref(), Some("Jane Doe"));
        assert!(
            page.body.starts_with("Heavy rain overnight"),
            "{}",
            page.body
        );
        assert!(page.body.contains("The river rose"));
        for chrome in [
            "Home",
            "cookies",
            "ADVERTISEMENT",
            "Facebook",
            "Storm warning",
            "rights reserved",
            "By Jane",
        ] {
            assert!(
                !page.body.contains(chrome),
                "{chrome} left in {}",
                page.body
            );
        }
        assert!(
            page.body.contains("\n\n"),
            "paragraphs are separated by blank lines"
        );
    }

    #[test]
    fn inline_markup_renders_as_its_words() {
        let html = r##"<html><body><article>
            <p>After a <s>long</s> very <span class="x"><a href="/w">long</a></span> wait, the
            <em>Minion</em> stencils were <b><i>finally</i></b> cut<sup><a href="#n1">1</a></sup>,
            one for each of the four colours, and painted on the wall of the garden shed.</p>
            <p>Each colour dried overnight before the next went on, so it took most of a week.</p>
        </article></body></html>"##;
        let page = run(html);
        assert!(
            page.body
                .contains("After a long very long wait, the Minion stencils were finally cut"),
            "{}",
            page.body
        );
        // A superscript keeps html2text's own rendering, apart from the word before it.
        assert!(page.body.contains("cut^{1},"), "{}", page.body);
    }

    #[test]
    fn newer_block_elements_keep_their_texts_apart() {
        let html = r##"<html><body><main>
            <section>The first part of the story is told here, at length, with commas and more words</section>
            <section>Second part of the story follows, also long enough, with commas, and words</section>
            <details><summary>Show 3 variants</summary>Alpha, Beta, Gamma</details>
        </main></body></html>"##;
        let page = run(html);
        assert!(
            page.body.contains("more words\nSecond part"),
            "{}",
            page.body
        );
        assert!(page.body.contains("variants\nAlpha"), "{}", page.body);
    }

    #[test]
    fn a_big_hidden_gallery_does_not_outweigh_the_article() {
        let caption = "<figure><figcaption><h3>News in pictures</h3><p>Crowds gather on the \
            seafront, in the sun, to watch the boats come in, as they do every year</p>\
            <p>PA</p></figcaption></figure>";
        let html = format!(
            r##"<html><body><div id="main">
            <p>The council voted on Tuesday to close the old bridge, after engineers found cracks in two of its piers.</p>
            <p>Repairs will take a year, the council said, and a ferry will run in the meantime.</p>
            <aside><div hidden>{}</div></aside></div></body></html>"##,
            caption.repeat(12)
        );
        let page = run(&html);
        assert!(page.body.contains("old bridge"), "{}", page.body);
        assert!(!page.body.contains("Crowds gather"), "{}", page.body);
        // Hiding the whole article until a script shows it does not lose it.
        let page = run(r##"<html><body><div style="display: none"><article>
            <p>The council voted on Tuesday to close the old bridge, after engineers found cracks in two of its piers.</p>
            </article></div></body></html>"##);
        assert!(page.body.contains("old bridge"), "{}", page.body);
    }

    #[test]
    fn a_big_folded_comment_thread_is_still_read() {
        let comment = |who: &str| {
            format!(
                "<li class=\"comment\"><span class=\"comment-author\">{who}</span>\
                 <div class=\"comment-text\"><p>I walked across the old bridge every morning \
                 for twenty years, and I will miss it, cracks and all, more than I can say \
                 here.</p></div></li>"
            )
        };
        let html = format!(
            r##"<html><body><article><p>The council voted on Tuesday to close the old bridge, after engineers found cracks in two of its piers.</p></article>
            <div style="display:none"><ol class="comments">{}{}{}</ol></div></body></html>"##,
            comment("Ann"),
            comment("Bo"),
            comment("Cy")
        );
        let page = run(&html);
        assert_eq!(page.comments.len(), 3, "{:?}", page.comments);
        assert!(!page.body.contains("twenty years"), "{}", page.body);
    }

    #[test]
    fn a_split_article_keeps_the_headings_and_wrapped_parts_between_its_parts() {
        // The last part is much the longest, so the others are not close alternatives to it.
        let part = |n: u32| {
            let sentence = "The interview goes on for a while, with questions, answers, commas, \
                and enough words to count as prose for the reader, who came for exactly this. ";
            let times = if n == 4 { 8 } else { 2 };
            format!(
                "<section class=\"textblock\"><p>Part {n}. {}</p></section>",
                sentence.repeat(times)
            )
        };
        let html = format!(
            r##"<html><body><div class="page">{}<h3>The second question</h3>{}
            <div class="two-columns"><div class="col">{}</div></div>{}
            <div class="promo"><a href="/a">Subscribe now</a></div></div></body></html>"##,
            part(1),
            part(2),
            part(3),
            part(4)
        );
        let page = run(&html);
        for want in [
            "Part 1",
            "The second question",
            "Part 2",
            "Part 3",
            "Part 4",
        ] {
            assert!(page.body.contains(want), "{want} missing: {}", page.body);
        }
        assert!(!page.body.contains("Subscribe"), "{}", page.body);
    }

    #[test]
    fn the_standfirst_by_the_headline_is_found_by_the_page_summary() {
        let prose = "<p>The council voted on Tuesday to close the old bridge to cars, after \
            engineers found cracks in two of its piers, and buses will take the ring road.</p>";
        let page_with = |summary: &str, shown: &str| {
            run(&format!(
                r##"<html><head><meta name="description" content="{summary}"></head><body>
                <header><h1>Bridge closes</h1><div class="x1">{shown}</div></header>
                <div class="x2">{prose}{prose}{prose}</div></body></html>"##
            ))
        };
        let lead = "Cars will be kept off the bridge for at least two years while its piers \
            are rebuilt.";
        let page = page_with(lead, lead);
        assert!(
            page.body.starts_with("Cars will be kept off"),
            "{}",
            page.body
        );
        // A summary cut short still finds the whole standfirst.
        let page = page_with("Cars will be kept off the bridge for at least two…", lead);
        assert!(page.body.contains("piers are rebuilt."), "{}", page.body);
        // A site's slogan is not a standfirst.
        let page = page_with("News for the river towns", "News for the river towns");
        assert!(!page.body.contains("river towns"), "{}", page.body);
        // A summary that quotes the article adds nothing.
        let page = page_with("The council voted on Tuesday to close the old bridge", lead);
        assert!(!page.body.contains("Cars will"), "{}", page.body);
        assert!(page.body.starts_with("The council voted"), "{}", page.body);
    }

    #[test]
    fn a_dateline_no_name_marks_gives_the_date() {
        let page = |stamp: &str| {
            run(&format!(
                "<html><body><article><h1>Ford recalls trucks</h1><div class=x>{stamp}</div>\
                <p>Ford Motor Co. is recalling nearly 100,000 pickup trucks because the rear \
                brakes could fail, the company said on Tuesday evening.</p></article></body></html>"
            ))
        };
        let p = page("Published 11:11 PM EST Nov 19, 2019");
        assert_eq!(
            p.published.unwrap().to_string(),
            "2019-11-19T23:11:00-05:00"
        );
        let p = page("Veröffentlicht: 25.10.2007 15:19");
        assert_eq!(p.published.unwrap().to_string(), "2007-10-25T15:19:00");
        let p = page("Written on 12 June 2018");
        assert_eq!(p.published.unwrap().to_string(), "2018-06-12");
        let p = page("Posted on <b>June 12, 2018</b> by <a href=/ann>Ann Lee</a>");
        assert_eq!(p.published.unwrap().to_string(), "2018-06-12");
        // A sentence that mentions a date is no dateline.
        let p = page("Published in October 2018 by the agency, the report was read widely.");
        assert!(p.published.is_none());
    }

    #[test]
    fn the_full_text_folded_behind_read_more_is_the_article() {
        let para = "<p>The council met on Tuesday evening to discuss the harbour plan, which has \
            divided the town for years, and the vote was closer than many had expected.</p>";
        let page = |hidden: &str| {
            format!(
                "<html><body><nav><a href=/>Home</a></nav><article><h1>Harbour plan</h1>\
                <p class=teaser>The council approved the harbour plan.</p><a href=#>Read more</a>\
                {hidden}</article><aside><p>Other stories about the town and its long history \
                of harbour plans, written by our staff.</p></aside></body></html>"
            )
        };
        let folded = run(&page(&format!(
            "<div class=full-text style=\"display:none\">{}</div>",
            para.repeat(6)
        )));
        assert!(
            folded.body.contains("closer than many had expected"),
            "{}",
            folded.body
        );
        // A hidden dialog named as chrome, and a hidden part with less prose than the page
        // shows, stay out.
        let dialog = run(&page(&format!(
            "<div class=modal style=\"display:none\">{}</div>",
            para.repeat(6)
        )));
        assert!(!dialog.body.contains("closer than many"), "{}", dialog.body);
        let small = run(&page(&format!(
            "{}<div style=\"display:none\">{}</div>",
            para.repeat(4).replace("harbour plan", "budget"),
            para
        )));
        assert!(
            !small.body.contains("harbour plan, which"),
            "{}",
            small.body
        );
    }

    #[test]
    fn a_box_about_the_author_is_not_article_text() {
        let prose = "<p>The council voted on Tuesday to close the old bridge to cars, after \
            engineers found cracks in two of its piers, and buses will take the ring road.</p>";
        let html = format!(
            r##"<html><body><article>{prose}{prose}{prose}
            <div class="td-author-description"><b>Jane Doe</b><p>Jane has covered the city's \
            roads, rivers and budgets for twenty years, and before that she taught geography \
            in a village school. Her book on the city's lost canals came out last spring, and \
            she walks to work every day, whatever the weather.</p></div></article></body></html>"##
        );
        let page = run(&html);
        assert!(page.body.contains("buses will take"), "{}", page.body);
        assert!(!page.body.contains("taught geography"), "{}", page.body);
    }

    #[test]
    fn short_captions_go_and_long_ones_and_photo_stories_stay() {
        let prose = "<p>The council voted on Tuesday to close the old bridge to cars, after \
            engineers found cracks in two of its piers, and buses will take the ring road.</p>";
        let long = "The old bridge seen from the east bank in 1921, a year after it opened, when \
            trams still crossed it every ten minutes and the toll house stood at the far end, \
            before the flood of 1926 carried it away.";
        let html = format!(
            r##"<html><body><article>{prose}
            <figure><img src="a.jpg"><figcaption>Cracks in the north pier. Photo: J. Doe
            </figcaption></figure>{prose}
            <div class="wp-caption"><img src="b.jpg"><p class="wp-caption-text">The toll house
            </p></div>{prose}
            <figure><img src="c.jpg"><figcaption>{long}</figcaption></figure>{prose}
            <figure><div class="lazy" data-src="d.jpg"></div><figcaption>Gulls over the weir
            </figcaption></figure>{prose}
            <figure><pre><code>fn main() {{}}</code></pre><figcaption>Listing 1: An empty program
            </figcaption></figure>{prose}</article></body></html>"##
        );
        let page = run(&html);
        assert!(!page.body.contains("north pier"), "{}", page.body);
        assert!(!page.body.contains("The toll house"), "{}", page.body);
        assert!(!page.body.contains("Gulls over"), "{}", page.body);
        assert!(
            page.body.contains("trams still crossed it"),
            "{}",
            page.body
        );
        assert!(page.body.contains("An empty program"), "{}", page.body);

        let story: String = ["The first ferry leaves at dawn", "Nets drying on the quay"]
            .iter()
            .map(|c| format!("<figure><img src=\"x.jpg\"><figcaption>{c}</figcaption></figure>"))
            .collect();
        let page = run(&format!(
            "<html><body><article><h1>The harbour</h1>{story}</article></body></html>"
        ));
        assert!(
            page.body.contains("Nets drying on the quay"),
            "{}",
            page.body
        );
    }

    #[test]
    fn a_list_after_a_removed_form_and_a_checklist_stay_in_the_article() {
        let prose = "<p>Beat the butter and sugar until pale, then fold in the flour, a spoon at \
            a time, and bake for forty minutes, until a skewer comes out clean.</p>";
        let html = format!(
            r##"<html><body><article>{prose}
            <section class="ingredients"><form><input type="text" name="servings" value="4">
            <input type="submit" value="Go"></form>
            <ul><li>200 g butter</li><li>180 g sugar</li><li>3 eggs</li></ul></section>
            <ul><li><input type="checkbox" checked> Preheat the oven</li>
            <li><input type="checkbox"> Grease the tin</li></ul>
            {prose}</article></body></html>"##
        );
        let page = run(&html);
        for want in ["180 g sugar", "Preheat the oven"] {
            assert!(page.body.contains(want), "{want} missing: {}", page.body);
        }
    }

    #[test]
    fn a_section_that_also_carries_ads_keeps_its_text() {
        let html = r##"<html><body><article class="report">
            <section class="report__section"><p>The grill reaches 800 degrees within minutes, which sears a steak on the outside while it stays pink, juicy and tender inside.</p>
            <p>Heat comes from a ceramic burner at the top, so no fat drips onto the flame, and the tray below catches it, which makes the cleaning afterwards quick.</p>
            <p>The box holds the grill, a grate, a fat tray and a pizza stone; a gas bottle is the one thing to buy, and it must be used outdoors, never in the kitchen.</p></section>
            <section class="report__section report__section--ads"><h2>Verdict</h2><p>It is cheap, well made and comes with a pizza stone, and even beginners will get a good steak out of it; but only three pieces of meat fit on the grate at once, so it stays a second grill beside the usual one, for the days when the steak is what matters.</p>
            <p>For the price, nothing else on the market comes close to it, and the shops sold out within minutes. We would buy it again, and so would the neighbours who came over to try it.</p>
            <div class="ad-slot">Advertisement</div></section>
        </article></body></html>"##;
        let page = run(html);
        assert!(page.body.contains("beginners"), "{}", page.body);
        assert!(!page.body.contains("Advertisement"), "{}", page.body);
    }

    #[test]
    fn a_post_whose_second_part_is_nested_deeper_keeps_both_parts() {
        // The first part's paragraphs cite their sources, so links weigh on the container that
        // holds them; the second, plain part, one level down, scores best on its own.
        let first: String = (1..=14)
            .map(|i| {
                format!(
                    "<p>Report {i} of the council on the delayed bridge and its cracked piers is \
                     quoted here in full with the apology of the mayor: <a href=\"/r{i}\">minutes \
                     of the council for session {i} of the bridge committee as filed</a>.</p>"
                )
            })
            .collect();
        let second: String = (1..=9)
            .map(|i| {
                format!(
                    "<p>Part {i} of the story: further down the river the old ford is being \
                     repaired, and the work, which began in May, should end before the first \
                     frost, the treasurer said, since the stone of the old mill is used again.</p>"
                )
            })
            .collect();
        let html = format!(
            r#"<html><body><div class="post"><div class="entry-content">{first}
            <div><div>{second}</div></div></div></div>
            <div class="sidebar"><a href="/a">Archive</a></div></body></html>"#
        );
        let page = run(&html);
        assert!(
            page.body.contains("Report 3 of the council"),
            "{}",
            page.body
        );
        assert!(page.body.contains("Part 9 of the story"), "{}", page.body);
    }

    #[test]
    fn an_article_opening_by_its_headline_and_going_on_in_another_wrapper_keeps_both() {
        let opening: String = (1..=11)
            .map(|i| {
                format!(
                    "<p>Opening {i}: the ferry that stopped crossing the lake ten years ago sails \
                     again from Monday, with two crossings a day, the harbour master said.</p>"
                )
            })
            .collect();
        let rest: String = (1..=16)
            .map(|i| {
                format!(
                    "<p>Rest {i}: the old hull was rebuilt at the yard by the mill, where the \
                     workers, most of them retired sailors, spent three winters on it, and the \
                     engine, a diesel from a scrapped trawler, was tuned for the shallow bay.</p>"
                )
            })
            .collect();
        let feed: String = (1..=12)
            .map(|i| format!("<li><a href=\"/n/{i}\">Other news number {i}</a></li>"))
            .collect();
        let html = format!(
            r#"<html><head><title>The ferry sails the lake again | The Lake Post</title></head>
            <body><div class="s"><div class="s-top"><h1>The ferry sails the lake again</h1>
            <div class="s-x"><div class="s-y">{opening}</div></div></div>
            <div class="s-pic"><figure><img src="f.jpg"><figcaption>The ferry</figcaption></figure></div>
            <div class="s-main"><div class="s-cols"><div class="s-col">{rest}</div></div></div></div>
            <div class="s-feed"><ul>{feed}</ul></div></body></html>"#
        );
        let page = run(&html);
        assert!(page.body.contains("Opening 1: the ferry"), "{}", page.body);
        assert!(page.body.contains("Rest 8: the old hull"), "{}", page.body);
        assert!(!page.body.contains("Other news"), "{}", page.body);
    }

    #[test]
    fn a_short_article_by_its_headline_wins_over_a_longer_gallery_when_the_summary_says_so() {
        // A column of photo captions, before the headline in the markup, outscores the short
        // article below it; the page layout holds both, with a long menu between.
        let captions: String = (1..=14)
            .map(|i| {
                format!(
                    "<div class=\"g-item\"><p>Photo {i}: dancers in painted masks, drummers, \
                     stilt walkers and a brass band crowd the square, seen from the balcony of \
                     the old post office, in the late afternoon light.</p></div>"
                )
            })
            .collect();
        let menu: String = (1..=100)
            .map(|i| format!("<li><a href=\"/s/{i}\">Section {i}</a></li>"))
            .collect();
        let article = r#"<div class="c-a"><h1>Carnival parade moves to the river</h1>
            <div class="c-b"><div class="c-c">
            <p>The carnival parade will leave the market square this year and follow the river embankment instead, the festival committee said on Friday.</p>
            <p>The square is being repaved, and the works will not be finished before the spring, so the floats would have no room to turn.</p>
            <p>The route along the embankment is longer, and the committee expects more spectators, as the river walk has wide pavements on both sides.</p>
            </div></div></div>"#;
        let page_with = |summary: &str| {
            run(&format!(
                r#"<html><head><title>Carnival parade moves to the river</title>
                <meta property="og:description" content="{summary}"></head><body>
                <div class="l"><div class="l-1"><div class="g">{captions}</div></div>
                <div class="l-2"><ul>{menu}</ul></div><div class="l-3">{article}</div></div>
                </body></html>"#
            ))
        };
        let page = page_with(
            "The carnival parade leaves the market square and follows the river embankment, \
             as the square is being repaved.",
        );
        assert!(page.body.contains("festival committee"), "{}", page.body);
        assert!(page.body.contains("wide pavements"), "{}", page.body);
        assert!(!page.body.contains("Photo 3"), "{}", page.body);
        // A summary that speaks of the gallery, or of the site, moves nothing: the best block
        // stays the article.
        for summary in [
            "Photos of dancers in painted masks, drummers and stilt walkers crowding the square.",
            "News, pictures and listings for the towns along the river, every day.",
        ] {
            let page = page_with(summary);
            assert!(page.body.contains("Photo 3"), "{}", page.body);
        }
    }

    #[test]
    fn an_article_in_a_layout_named_for_its_sidebar_is_still_found() {
        let menu: String = (1..=60)
            .map(|i| format!("<li><a href=\"/topic/{i}\">Topic number {i}</a></li>"))
            .collect();
        let html = format!(
            r#"<html><body><div class="menu"><ul>{menu}</ul></div>
            <div class="layout-one-sidebar-second"><div class="region">
            <p>The harbour will close for two weeks in March while divers inspect the old sea wall, which was damaged in the January storms, the port authority said.</p>
            <p>Ferries will use the northern pier instead, and the timetable stays the same, although passengers should allow ten more minutes to reach the boats.</p>
            <p>Fishermen, who keep their boats in the inner basin, may go out and come back at high tide only, and the authority will pay for the lost days.</p>
            <p>The repairs themselves are planned for the summer, when the sea is calm, and should cost about two million, shared between the town and the region.</p>
            </div></div></body></html>"#
        );
        let page = run(&html);
        assert!(page.body.contains("sea wall"), "{}", page.body);
        assert!(page.body.contains("two million"), "{}", page.body);
        assert!(!page.body.contains("Topic number"), "{}", page.body);
    }

    #[test]
    fn meta_refresh_stub_is_a_redirect() {
        let mut page = Page::empty("r.html", Format::Html, "UTF-8");
        let err = extract(
            r#"<html><head><meta http-equiv="refresh" content="0; url=https://example.com/new"></head><body>Redirecting…</body></html>"#,
            &IngestConfig::default(),
            &mut page,
        )
        .unwrap_err();
        assert!(matches!(err, IngestError::Redirect { .. }));
    }
}

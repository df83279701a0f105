//! HTML pages: boilerplate removal, main-content choice and rendering of the article body.
//!
//! Owns the DOM-level cleaning: which elements are chrome (by tag, attribute and name), which
//! block holds the article (by text and link density, as Readability scores it), and the text
//! of that block (rendered with html2text). Comments are left to `comments`, metadata to `meta`,
//! word lists to `clean`.

use html5ever::interface::tree_builder::{ElementFlags, NodeOrText, TreeSink};

pub mod comments;
pub mod meta;

use crate::ingest::IngestConfig;
use crate::ingest::error::IngestError;
use crate::ingest::lexicon::chars;
use crate::ingest::lexicon::names::{self, has};
use crate::ingest::lines;
use crate::ingest::markup::{self, DOCUMENT, Dom, NodeData, NodeId};
use crate::ingest::page::Page;
use crate::ingest::people::byline;

/// Elements that are never article text, whatever they contain.
const DROP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "audio", "video", "map", "button", "input", "select", "textarea", "option", "nav", "aside",
    "dialog", "head", "link", "meta", "menu", "footer", "frame", "frameset", "label", "datalist",
    "output", "progress", "meter", "img", "picture", "source", "track", "math",
];

/// Elements removed before comments are read: never reader text, and not used by comment
/// systems for structure (unlike `footer`, `header` or `menu`).
const LIGHT_DROP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "button", "input", "select", "textarea", "option", "dialog", "frame", "frameset", "datalist",
    "math",
];

/// A weak chrome word removes an element only below this many characters of text (or when
/// most of its text is links).
const WEAK_CHROME_MAX_CHARS: u32 = 300;
/// The full chrome pass is taken back when it leaves less than a quarter of the prose the light
/// pass leaves, on a page with at least this much prose.
const RESCUE_MIN_PROSE: u32 = 500;
const RESCUE_SHARE: u32 = 4;

/// An element with a chrome name is kept anyway when it holds more than this share of the
/// page's text: it is a wrapper (`page-with-sidebar`), not the chrome itself.
const WRAPPER_TEXT_SHARE: f32 = 0.5;

/// A hidden element is kept only when it holds nearly all of the page's text: then the page
/// hides its article until a script shows it, while a big hidden part beside the article is a
/// closed gallery or dialog.
const HIDDEN_WRAPPER_SHARE: f32 = 0.9;

/// Fewest characters of prose a hidden element needs to be kept for holding more prose than
/// the rest of the page: a few paragraphs of an article.
const HIDDEN_PROSE_MIN: u32 = 500;

/// An element named for ads is kept when it holds this much running text.
const AD_PROSE_MIN_CHARS: u32 = 400;

/// Paragraphs shorter than this (characters) do not vote for a container (Readability: 25).
const MIN_PARAGRAPH_CHARS: usize = 25;

/// Score bonus or malus for a container whose name reads as content or as chrome
/// (Readability's class weight).
const NAME_WEIGHT: f32 = 25.0;

/// Candidates scoring at least this share of the best are alternatives to it (Readability: 0.75).
const ALTERNATIVE_SHARE: f32 = 0.75;
/// How many alternatives make the best candidate one part of a larger article (Readability: 3).
const MIN_ALTERNATIVES: usize = 2;

/// How far above the article block its container (where a lead is looked for) may be.
const LEAD_SEARCH_LEVELS: usize = 6;
/// A lead is at least this many characters.
const MIN_LEAD_CHARS: usize = 40;

/// How far above the chosen block same-class sibling parts are looked for.
const SPLIT_SEARCH_LEVELS: usize = 3;
/// How far up a content-named container of the best node is looked for, and what share of the
/// best node's score its own paragraphs must make to take the article over.
const CONTENT_ANCESTOR_LEVELS: usize = 4;
const CONTENT_ANCESTOR_SHARE: f32 = 0.5;
/// A same-class sibling joins the article with at least this much text.
const SPLIT_PART_MIN_CHARS: usize = 200;

/// A container's name counts fully from this many characters of text, in proportion below.
const NAME_WEIGHT_FULL_CHARS: f32 = 500.0;

/// An article's opening follows its headline within this many characters of live text (a
/// byline, a date, a standfirst, a picture's caption between).
const HEADLINE_GAP_CHARS: u32 = 1_500;
/// The block by the headline is the article's opening part when it scores at least this share
/// of the best block and holds this much text …
const HEADLINE_PART_SHARE: f32 = 0.3;
const HEADLINE_PART_MIN_CHARS: u32 = 200;
/// … and the container of both parts holds at most this many times their text.
const HEADLINE_PARTS_SHARE: f32 = 1.3;
/// Titles and headings shorter than this (bytes, normalised) anchor nothing.
const MIN_HEADLINE_BYTES: usize = 8;

/// A sibling of the best container joins the article when its score reaches this share of the
/// best score (Readability: 0.2) …
const SIBLING_SHARE: f32 = 0.2;
/// … or at least this absolute score.
const SIBLING_MIN_SCORE: f32 = 10.0;

/// Elements html2text lays out only inside a `<table>`.
const TABLE_PARTS: &[&str] = &[
    "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "colgroup", "col",
];

/// A page with a refresh and less text than this is a redirect stub.
const REDIRECT_STUB_CHARS: u32 = 500;

/// Largest article block (in nodes) rendered with html2text; bigger ones use the plain renderer.
const HTML2TEXT_MAX_NODES: usize = 5_000;

/// Lines of at least this many words are kept only once per body (repeated captions and pull
/// quotes); shorter ones (a refrain, "Yes.") may repeat.
const REPEAT_MIN_WORDS: usize = 6;

/// Text rendering width: wide enough that html2text never wraps a paragraph.
const RENDER_WIDTH: usize = 100_000;

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
    let mut main = c.choose_main(page.title.as_deref());
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

    /// Chrome elements: by tag, hidden state, role, aria label and name words. With `light`,
    /// only what is never reader text: code, forms, hidden parts and ads. Needs `measure` first,
    /// so that wrappers named like chrome survive.
    fn chrome_marks(&self, light: bool, protected: &[bool]) -> Vec<bool> {
        let dom = self.dom;
        let mut dead = vec![false; dom.nodes.len()];
        let total = self.text_len[DOCUMENT].max(1) as f32;
        let mut iter = dom.descendants(DOCUMENT);
        while let Some(id) = iter.next() {
            if !dom.is_element(id) {
                continue;
            }
            let tag = dom.tag(id);
            if matches!(tag, "html" | "body" | "main") {
                continue;
            }
            let big = self.text_len[id] as f32 > total * WRAPPER_TEXT_SHARE;
            // Comment threads folded away (`display:none` replies) are still read as comments:
            // the light pass leaves big hidden parts alone.
            let hidden_part = !light && self.is_hidden_part(id, protected);
            let named_content = protected[id] || has(dom.names(id), names::CONTENT);
            let chrome = if hidden_part {
                true
            } else if light {
                LIGHT_DROP_TAGS.contains(&tag)
                    || tag == "form" && !big
                    || !big && self.is_hidden(id)
                    || !big && self.is_ad_slot(id)
            } else if DROP_TAGS.contains(&tag) {
                // Landmark tags are chrome unless they hold the article (some templates put it
                // in an `aside` named for content).
                let landmark = matches!(tag, "footer" | "aside" | "nav" | "menu" | "label");
                !(landmark && (big || named_content))
            } else if tag == "form" {
                // Some sites wrap the whole page in one form; a real form is small.
                !big
            } else {
                !big && !protected[id] && self.is_chrome_by_attributes(id, tag)
            };
            if chrome {
                dead[id] = true;
                iter.skip_children_of(id);
            }
        }
        dead
    }

    /// Elements that hold an article marker (a `post-content`, an `articleBody`, an `<article>`
    /// or `<main>`) somewhere below them.
    fn article_ancestors(&self) -> Vec<bool> {
        let dom = self.dom;
        let mut protected = vec![false; dom.nodes.len()];
        for id in dom.descendants(DOCUMENT) {
            if !dom.is_element(id) {
                continue;
            }
            let marked = matches!(dom.tag(id), "article" | "main")
                || dom
                    .attr(id, "itemprop")
                    .is_some_and(|p| p.contains("articleBody"))
                || has(dom.names(id), names::ARTICLE_MARKER);
            if marked && !protected[id] {
                protected[id] = true;
                for a in dom.ancestors(id) {
                    if protected[a] {
                        break;
                    }
                    protected[a] = true;
                }
            }
        }
        protected
    }

    /// Named for ads, and not holding running text. An ad slot holds a picture or a line or two;
    /// a block named for ads that holds running text with few links is a section that also
    /// carries ads (`Section--Ads`), and its text is the reader's.
    fn is_ad_slot(&self, id: NodeId) -> bool {
        has(self.dom.names(id), names::AD)
            && !(self.text_len[id] >= AD_PROSE_MIN_CHARS && self.link_density(id) < 0.2)
    }

    fn is_hidden(&self, id: NodeId) -> bool {
        has(self.dom.names(id), names::HIDDEN)
    }

    /// A hidden element beside the article: not holding an article marker, nor nearly all of
    /// the page's text (a page that hides its article until a script shows it), nor, unless
    /// named as chrome, more prose outside captions than the rest of the page (the full text
    /// folded behind "Read more" while a teaser shows; a closed gallery holds captions, a
    /// dialog labels).
    fn is_hidden_part(&self, id: NodeId, protected: &[bool]) -> bool {
        if !self.is_hidden(id)
            || protected[id]
            || self.text_len[id] as f32
                >= self.text_len[DOCUMENT].max(1) as f32 * HIDDEN_WRAPPER_SHARE
        {
            return false;
        }
        let words = self.dom.names(id);
        if has(words, names::CHROME | names::WEAK_CHROME) {
            return true;
        }
        // Captions are not an article's prose: a closed gallery is all captions.
        let inside = self.prose_within(id, |n| matches!(self.dom.tag(n), "figure" | "figcaption"));
        let all = *self.all_prose.get_or_init(|| self.prose_left(|_| false));
        inside < HIDDEN_PROSE_MIN || inside <= all - inside
    }

    fn is_chrome_by_attributes(&self, id: NodeId, tag: &str) -> bool {
        let dom = self.dom;
        if has(
            dom.names(id),
            names::HIDDEN | names::CHROME_ROLE | names::CHROME_LABEL,
        ) {
            return true;
        }
        if matches!(tag, "article") {
            return false;
        }
        let words = dom.names(id);
        if words == 0
            || has(words, names::CONTENT)
            || has(words, names::COMMENT_SECTION | names::COMMENT_NAME)
        {
            return false;
        }
        has(words, names::CHROME)
            || self.is_ad_slot(id)
            || has(words, names::WEAK_CHROME)
                && (self.text_len[id] < WEAK_CHROME_MAX_CHARS || self.link_density(id) > 0.5)
    }

    fn name_weight(&self, id: NodeId) -> f32 {
        let words = self.dom.names(id);
        let mut w = 0.0;
        if has(words, names::CONTENT) {
            w += NAME_WEIGHT;
        }
        if has(words, names::CHROME)
            || self.is_ad_slot(id)
            || has(words, names::WEAK_CHROME)
            || has(words, names::COMMENT_SECTION | names::COMMENT_NAME)
        {
            w -= NAME_WEIGHT;
        }
        if self
            .dom
            .attr(id, "itemprop")
            .is_some_and(|p| p.contains("articleBody"))
        {
            w += NAME_WEIGHT * 2.0;
        }
        w
    }

    /// Readability's scoring: paragraphs vote for their parent and grandparents with their
    /// length and comma count; containers start from their tag and name; link-heavy containers
    /// lose in proportion. Returns the chosen nodes: the best container and the siblings that
    /// belong with it.
    fn choose_main(&self, title: Option<&str>) -> Vec<NodeId> {
        let dom = self.dom;
        let n = dom.nodes.len();
        let mut score: Vec<f32> = vec![0.0; n];
        let mut seeded: Vec<bool> = vec![false; n];
        let mut candidates: Vec<NodeId> = Vec::new();
        let mut iter = dom.descendants(DOCUMENT);
        while let Some(id) = iter.next() {
            if self.dead[id] {
                iter.skip_children_of(id);
                continue;
            }
            let Some((len, commas)) = self.paragraph_text(id) else {
                continue;
            };
            if (len as usize) < MIN_PARAGRAPH_CHARS {
                continue;
            }
            let content = paragraph_score(len, commas);
            for (level, anc) in dom.ancestors(id).take(5).enumerate() {
                if !dom.is_element(anc) || matches!(dom.tag(anc), "html") {
                    break;
                }
                if !seeded[anc] {
                    seeded[anc] = true;
                    // A name says little about a container with hardly any text in it (an
                    // `articleMeta` line must not outrank the article).
                    let text_share = (self.text_len[anc] as f32 / NAME_WEIGHT_FULL_CHARS).min(1.0);
                    score[anc] = self.tag_base(anc) + self.name_weight(anc) * text_share;
                    candidates.push(anc);
                }
                let divider = match level {
                    0 => 1.0,
                    1 => 2.0,
                    l => l as f32 * 3.0,
                };
                score[anc] += content / divider;
            }
        }
        let mut best: Option<(NodeId, f32)> = None;
        for &c in &candidates {
            let s = score[c] * (1.0 - self.link_density(c));
            score[c] = s;
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((c, s));
            }
        }
        let Some((mut top, top_score)) = best else {
            return vec![dom.find_tag("body").unwrap_or(DOCUMENT)];
        };
        // An article cut into a part by its headline and a larger part further down, in
        // wrappers of their own: both, through the container that holds them and little else.
        if let Some(whole) = self.headline_part(title, &candidates, &score, top, top_score) {
            top = whole;
        }
        // An article split into several blocks, each in its own wrapper: when other candidates
        // score close to the best and are not nested in it, the article is their nearest
        // common ancestor (Readability's "alternative candidates" rule).
        let close: Vec<NodeId> = candidates
            .iter()
            .copied()
            .filter(|&c| c != top && score[c] >= top_score * ALTERNATIVE_SHARE)
            .filter(|&c| !dom.ancestors(c).any(|a| a == top) && !dom.ancestors(top).any(|a| a == c))
            .collect();
        if close.len() >= MIN_ALTERNATIVES {
            let mut anc = top;
            while let Some(p) = dom.nodes[anc].parent {
                if !dom.is_element(p) || matches!(dom.tag(p), "body" | "html") {
                    break;
                }
                anc = p;
                let held = close
                    .iter()
                    .filter(|&&c| dom.ancestors(c).any(|a| a == anc))
                    .count();
                if held >= MIN_ALTERNATIVES {
                    top = anc;
                    break;
                }
            }
        }
        // A content-named container a few levels up whose own paragraphs (its children, not
        // deeper) score about as much as the best node is the article: the best node is one
        // long part of it, nested deeper by the editor (a post of bare paragraphs, then a
        // `div` holding a second, longer run of them).
        for anc in dom.ancestors(top).take(CONTENT_ANCESTOR_LEVELS) {
            if !dom.is_element(anc) || matches!(dom.tag(anc), "body" | "html") {
                break;
            }
            if seeded[anc]
                && has(dom.names(anc), names::CONTENT)
                && self.own_paragraphs_score(anc) >= top_score * CONTENT_ANCESTOR_SHARE
            {
                top = anc;
                break;
            }
        }
        // A parent holding the best node alone (a wrapper div) is the same article.
        while let Some(p) = dom.nodes[top].parent {
            if !dom.is_element(p) || matches!(dom.tag(p), "body" | "html") {
                break;
            }
            let live_kids = dom
                .children(p)
                .filter(|&k| !self.dead[k] && self.text_len[k] > 0)
                .count();
            if live_kids == 1 {
                top = p;
            } else {
                break;
            }
        }
        // An article cut into sections of one template (`section.outer` × 3, each holding part
        // of the text): the chosen block's ancestor and its same-class siblings with prose.
        let mut anc = top;
        for _ in 0..SPLIT_SEARCH_LEVELS {
            let Some(p) = dom.nodes[anc].parent else {
                break;
            };
            if !dom.is_element(p) || matches!(dom.tag(p), "body" | "html") {
                break;
            }
            if let Some(class) = dom.attr(anc, "class").filter(|c| !c.trim().is_empty()) {
                let parts: Vec<NodeId> = dom
                    .children(p)
                    .filter(|&k| {
                        k == anc
                            || !self.dead[k]
                                && same_template(dom, k, dom.tag(anc), class)
                                && self.text_len[k] as usize >= SPLIT_PART_MIN_CHARS
                                && self.link_density(k) < 0.3
                    })
                    .collect();
                if parts.len() > 1 {
                    return self.with_parts_between(p, &parts, class);
                }
            }
            anc = p;
        }
        let Some(parent) = dom.nodes[top].parent else {
            return vec![top];
        };
        let threshold = SIBLING_MIN_SCORE.max(top_score * SIBLING_SHARE);
        let top_words = dom.attr(top, "class").unwrap_or("");
        let mut chosen = Vec::new();
        for sib in dom.children(parent) {
            if self.dead[sib] {
                continue;
            }
            if sib == top {
                chosen.push(sib);
                continue;
            }
            if !dom.is_element(sib) {
                continue;
            }
            let mut bonus = 0.0;
            if !top_words.is_empty() && dom.attr(sib, "class") == Some(top_words) {
                bonus = top_score * 0.2;
            }
            let joins = if seeded[sib] && score[sib] + bonus >= threshold {
                true
            } else if dom.tag(sib) == "p" {
                let len = self.text_len[sib];
                let ld = self.link_density(sib);
                (len > 80 && ld < 0.25)
                    || (len > 0 && len <= 80 && ld == 0.0 && dom.text(sib).contains(". "))
            } else {
                false
            };
            if joins {
                chosen.push(sib);
            }
        }
        chosen
    }

    /// The page's headline: the first `h1` (else `h2`) whose text is the title, or at least
    /// half of it (a title also carries the site's name), or holds it.
    fn headline(&self, title: &str) -> Option<NodeId> {
        let dom = self.dom;
        let title = lines::normalize(title);
        if title.len() < MIN_HEADLINE_BYTES {
            return None;
        }
        let is_headline = |id: NodeId| {
            let n = lines::normalize(&dom.text(id));
            n.len() >= MIN_HEADLINE_BYTES
                && (n.contains(&title) || title.contains(&n) && n.len() * 2 >= title.len())
        };
        ["h1", "h2"].iter().find_map(|&tag| {
            (0..dom.nodes.len())
                .find(|&id| dom.is_element(id) && dom.tag(id) == tag && is_headline(id))
        })
    }

    /// When the best block starts far below the page's headline, and another candidate that
    /// scores a fair share of it follows the headline, the article is cut in two: its opening
    /// by the headline and its larger part further down, each in its own wrapper. Returns their nearest common
    /// container when that holds little besides them (not a page layout with sidebars and
    /// feeds between) and is not a link list.
    fn headline_part(
        &self,
        title: Option<&str>,
        candidates: &[NodeId],
        score: &[f32],
        top: NodeId,
        top_score: f32,
    ) -> Option<NodeId> {
        let dom = self.dom;
        let anchor = self.headline(title?)?;
        // Live characters of text before each node, in document order (dead subtrees count
        // nothing: their lengths are zero).
        let n = dom.nodes.len();
        let mut before = vec![0u32; n + 1];
        for id in 0..n {
            let own = match dom.nodes[id].data {
                NodeData::Text(_) => self.text_len[id],
                _ => 0,
            };
            before[id + 1] = before[id] + own;
        }
        let head_end = before[dom.subtree_end(anchor) + 1];
        let follows_headline = |c: NodeId| {
            before[c] <= head_end + HEADLINE_GAP_CHARS
                && before[dom.subtree_end(c) + 1] > head_end + MIN_PARAGRAPH_CHARS as u32
        };
        if follows_headline(top) {
            return None;
        }
        let opening = candidates
            .iter()
            .copied()
            .filter(|&c| {
                score[c] >= top_score * HEADLINE_PART_SHARE
                    && self.text_len[c] >= HEADLINE_PART_MIN_CHARS
                    && follows_headline(c)
            })
            .max_by(|&a, &b| score[a].total_cmp(&score[b]))?;
        let common = std::iter::once(opening)
            .chain(dom.ancestors(opening))
            .find(|&a| a == top || dom.ancestors(top).any(|b| b == a))?;
        let parts = (self.text_len[opening] + self.text_len[top]) as f32;
        (dom.is_element(common)
            && !matches!(dom.tag(common), "body" | "html")
            && self.text_len[common] as f32 <= parts * HEADLINE_PARTS_SHARE
            && self.link_density(common) < 0.3)
            .then_some(common)
    }

    /// The parts of a split article and what stands between them in their parent: the headings
    /// that introduce each part, and wrappers that hold more parts of the same template.
    fn with_parts_between(&self, parent: NodeId, parts: &[NodeId], class: &str) -> Vec<NodeId> {
        let dom = self.dom;
        let (Some(&first), Some(&last)) = (parts.first(), parts.last()) else {
            return parts.to_vec();
        };
        let tag = dom.tag(first);
        let holds_part = |k: NodeId| {
            dom.descendants(k)
                .any(|d| !self.dead[d] && same_template(dom, d, tag, class))
        };
        let mut inside = false;
        let mut chosen = Vec::new();
        for k in dom.children(parent) {
            inside |= k == first;
            if inside
                && !self.dead[k]
                && (parts.contains(&k)
                    || self.link_density(k) < 0.5 && (is_heading(dom.tag(k)) || holds_part(k)))
            {
                chosen.push(k);
            }
            if k == last {
                break;
            }
        }
        chosen
    }

    /// Prepends the article's lead paragraph when the template keeps it outside the chosen block
    /// (a `standfirst` or `intro` element above it in the same article container).
    fn add_lead(&self, main: &mut Vec<NodeId>) {
        let dom = self.dom;
        let Some(&first) = main.first() else {
            return;
        };
        let container = dom
            .ancestors(first)
            .take(LEAD_SEARCH_LEVELS)
            .find(|&a| dom.tag(a) == "article" || has(dom.names(a), names::ARTICLE_MARKER))
            .or_else(|| dom.ancestors(first).nth(1));
        let Some(container) = container else {
            return;
        };
        let mut leads = Vec::new();
        let mut iter = dom.descendants(container);
        while let Some(id) = iter.next() {
            if id == first {
                break;
            }
            if self.dead[id] {
                iter.skip_children_of(id);
                continue;
            }
            if has(dom.names(id), names::LEAD)
                && self.text_len[id] as usize >= MIN_LEAD_CHARS
                && self.link_density(id) < 0.3
                && !dom.ancestors(first).any(|a| a == id)
            {
                leads.push(id);
                iter.skip_children_of(id);
            }
        }
        if !leads.is_empty() {
            leads.extend(main.iter().copied());
            *main = leads;
        }
    }

    /// What a container's child paragraphs (not deeper ones) give its score.
    fn own_paragraphs_score(&self, id: NodeId) -> f32 {
        self.dom
            .children(id)
            .filter(|&k| !self.dead[k])
            .filter_map(|k| self.paragraph_text(k))
            .filter(|&(len, _)| len as usize >= MIN_PARAGRAPH_CHARS)
            .map(|(len, commas)| paragraph_score(len, commas))
            .sum()
    }

    fn tag_base(&self, id: NodeId) -> f32 {
        match self.dom.tag(id) {
            "div" | "article" | "section" | "main" => 5.0,
            "pre" | "td" | "blockquote" => 3.0,
            "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
            _ => 0.0,
        }
    }

    /// Paragraph-like blocks and their (length, commas): `p`, `pre`, `td`, `blockquote` whole;
    /// for a `div`, `section` or `li`, the text it holds itself, outside its block children
    /// (Readability turns such runs into paragraphs; `<br>`-separated posts are all like this).
    fn paragraph_text(&self, id: NodeId) -> Option<(u32, u32)> {
        let dom = self.dom;
        match dom.tag(id) {
            "p" | "pre" | "td" | "blockquote" | "dd" => Some((self.text_len[id], self.commas[id])),
            "div" | "section" | "li" | "article" | "center" | "font" | "main" | "span" => {
                let (mut len, mut commas) = (0, 0);
                for k in dom.children(id) {
                    if self.dead[k]
                        || is_block(dom.tag(k))
                        || matches!(dom.tag(k), "li" | "dt" | "dd" | "td" | "tr")
                    {
                        continue;
                    }
                    if dom.tag(k) == "a" {
                        // Links inside prose count; a run of bare links is a menu.
                        len += self.text_len[k] / 2;
                        continue;
                    }
                    len += self.text_len[k];
                    commas += self.commas[k];
                }
                Some((len, commas))
            }
            _ => None,
        }
    }

    /// Puts the standfirst before the article when the page shows it apart (in the header, by
    /// the headline). Templates often give it no name a reader of classes could know, but the
    /// page's summary in its `description` metadata is mostly that very text: the smallest live
    /// block before the article whose text holds the summary's opening is the standfirst,
    /// unless the article holds that opening itself. `skip` marks what is never the article
    /// (comment sections, code, ads).
    fn add_standfirst(&self, main: &mut Vec<NodeId>, descriptions: &[String], skip: &[bool]) {
        let dom = self.dom;
        let Some(&first) = main.first() else {
            return;
        };
        for description in descriptions {
            let summary = lines::normalize(description);
            if summary.split(' ').count() < STANDFIRST_MIN_WORDS {
                continue;
            }
            let key: String = summary.chars().take(STANDFIRST_KEY_CHARS).collect();
            let Some(found) = self.block_holding(&summary, &key, first, skip) else {
                continue;
            };
            // Looked at only now: most pages show no block before the article that holds the
            // summary, and folding the whole article's text for them would be waste.
            let texts: Vec<String> = main.iter().map(|&m| dom.text(m)).collect();
            if !lines::normalize(&texts.join(" ")).contains(&key)
                && !dom.ancestors(first).any(|a| a == found)
            {
                main.insert(0, found);
            }
            return;
        }
    }

    /// The smallest live block before `first` whose text holds `key`, the opening of the
    /// normalised `summary`: a block about as long as the summary, not a link list and not the
    /// page's `h1`.
    fn block_holding(
        &self,
        summary: &str,
        key: &str,
        first: NodeId,
        skip: &[bool],
    ) -> Option<NodeId> {
        let dom = self.dom;
        let size = weighted_non_space(summary) as u32;
        let (low, high) = (size / 2, (size * 3).max(size + 300));
        let mut found = None;
        let mut iter = dom.descendants(DOCUMENT);
        while let Some(id) = iter.next() {
            if id == first {
                break;
            }
            if self.dead[id] || skip[id] {
                iter.skip_children_of(id);
                continue;
            }
            let len = self.text_len[id];
            if !dom.is_element(id) || len < low {
                iter.skip_children_of(id);
                continue;
            }
            if len <= high
                && dom.tag(id) != "h1"
                && self.link_density(id) < 0.5
                && lines::normalize(&dom.text(id)).contains(key)
            {
                found = Some(id);
            }
        }
        found
    }

    /// Inside the chosen nodes, removes blocks that look like chrome after all: link lists,
    /// image galleries without text, form remains, headings of chrome (Readability's "clean
    /// conditionally").
    fn prune_inside(&mut self, main: &[NodeId]) {
        let dom = self.dom;
        let mut kill = Vec::new();
        let main_len: u32 = main.iter().map(|&m| self.text_len[m]).sum();
        for &root in main {
            let mut iter = dom.descendants(root);
            while let Some(id) = iter.next() {
                if self.dead[id] {
                    iter.skip_children_of(id);
                    continue;
                }
                let tag = dom.tag(id);
                if !matches!(
                    tag,
                    "div"
                        | "section"
                        | "ul"
                        | "ol"
                        | "table"
                        | "figure"
                        | "dl"
                        | "header"
                        | "span"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                ) {
                    continue;
                }
                // A wrapper of most of the article is not judged as a whole; its parts are.
                if self.text_len[id] * 2 > main_len {
                    continue;
                }
                // A span inside running text (a linked word in a sentence) is part of its
                // paragraph, not a block of its own.
                if tag == "span" && !self.is_alone_in_block(id) {
                    continue;
                }
                if self.is_conditional_chrome(id, tag) {
                    kill.push(id);
                    iter.skip_children_of(id);
                }
            }
        }
        for id in kill {
            self.remove(id);
        }
    }

    /// Marks a live element dead and takes its counts off its ancestors (cheaper than a new
    /// `measure` when a few elements go).
    fn remove(&mut self, id: NodeId) {
        if self.dead[id] || self.dom.ancestors(id).any(|a| self.dead[a]) {
            return;
        }
        self.dead[id] = true;
        self.take_off_ancestors(id);
    }

    fn is_conditional_chrome(&self, id: NodeId, tag: &str) -> bool {
        let dom = self.dom;
        let text = self.text_len[id] as usize;
        let ld = self.link_density(id);
        let weight = self.name_weight(id);
        if text == 0 {
            return false;
        }
        if tag.starts_with('h') && tag.len() == 2 {
            return weight < 0.0 || ld > 0.5;
        }
        if weight < 0.0 {
            return true;
        }
        if self.commas[id] >= 10 {
            return false;
        }
        // Images and inputs are dead by their tag but still part of the block; what stands
        // inside a dead container (a form already removed) is not.
        let (mut p, mut li, mut inputs, mut imgs) = (0usize, 0usize, 0usize, 0usize);
        let mut iter = dom.descendants(id);
        while let Some(d) = iter.next() {
            if self.dead[d] && !matches!(dom.tag(d), "img" | "input") {
                iter.skip_children_of(d);
                continue;
            }
            match dom.tag(d) {
                "p" => p += 1,
                "li" => li += 1,
                // A checklist's boxes are part of its text; fields, buttons and a widget's hidden
                // values are not.
                "input"
                    if !dom.attr(d, "type").is_some_and(|t| {
                        t.eq_ignore_ascii_case("checkbox") || t.eq_ignore_ascii_case("radio")
                    }) =>
                {
                    inputs += 1
                }
                "img" => imgs += 1,
                _ => {}
            }
        }
        let list = matches!(tag, "ul" | "ol");
        (!list && li > p + 10 && ld > 0.3)
            || inputs > p / 3 + 1
            || (weight < 25.0 && ld > 0.33 && text < 2000)
            || (weight >= 25.0 && ld > 0.5)
            || (imgs > 1 && text < 25)
    }

    /// Bylines, date lines and boxes about the author are metadata, not body text; nor are
    /// short picture captions (see [`CAPTION_MAX_CHARS`]), unless captions are most of what the
    /// article has to say (a photo story).
    fn drop_metadata(&mut self, main: &[NodeId]) {
        let dom = self.dom;
        let mut kill = Vec::new();
        let mut captions = Vec::new();
        let main_len: u32 = main.iter().map(|&m| self.text_len[m]).sum();
        for &root in main {
            let mut iter = dom.descendants(root);
            while let Some(id) = iter.next() {
                if self.dead[id] {
                    iter.skip_children_of(id);
                    continue;
                }
                if !dom.is_element(id) {
                    continue;
                }
                let words = dom.names(id);
                let len = self.text_len[id];
                if (has(words, names::META_LINE) && len < 200)
                    || (dom.tag(id) == "time" && len < 60 && self.is_alone_in_block(id))
                    || (has(words, names::AUTHOR_BOX) && len * 2 < main_len)
                {
                    kill.push(id);
                    iter.skip_children_of(id);
                } else if (dom.tag(id) == "figcaption" || has(words, names::CAPTION))
                    && len < CAPTION_MAX_CHARS
                    && self.captions_a_picture(id)
                {
                    captions.push(id);
                    iter.skip_children_of(id);
                }
            }
        }
        let caption_len: u32 = captions.iter().map(|&c| self.text_len[c]).sum();
        if caption_len * 2 < main_len {
            kill.extend(captions);
        }
        for id in kill {
            self.remove(id);
        }
    }

    /// True when a caption stands by a picture: its parent or grandparent (the figure, with
    /// little text besides the caption) holds an image, video or drawing, and no code or table
    /// (a code listing's caption names what the listing does, which is text).
    fn captions_a_picture(&self, caption: NodeId) -> bool {
        let dom = self.dom;
        let own = self.text_len[caption];
        for figure in dom.ancestors(caption).take(CAPTION_FIGURE_LEVELS) {
            // A block with text of its own besides the caption is the article, not the figure.
            if self.text_len[figure] > own + CAPTION_MAX_CHARS {
                return false;
            }
            let mut picture = false;
            for d in std::iter::once(figure).chain(dom.descendants(figure)) {
                match dom.tag(d) {
                    "pre" | "code" | "table" => return false,
                    "img" | "picture" | "video" | "svg" | "iframe" | "amp-img" | "canvas" => {
                        picture = true
                    }
                    // A picture loaded by script once in view, drawn as a background, or
                    // marked as one for search engines.
                    _ if dom.is_element(d)
                        && (dom.attr(d, "data-src").is_some()
                            || dom.attr(d, "data-srcset").is_some()
                            || dom.attr(d, "style").is_some_and(|s| s.contains("url("))
                            || dom.attr(d, "itemtype").is_some_and(|t| {
                                t.ends_with("/ImageObject") || t.ends_with("/VideoObject")
                            })) =>
                    {
                        picture = true
                    }
                    _ => {}
                }
            }
            if picture {
                return true;
            }
        }
        false
    }

    /// True when the element's parent block holds little else (a date on its own line).
    fn is_alone_in_block(&self, id: NodeId) -> bool {
        let Some(p) = self.dom.nodes[id].parent else {
            return true;
        };
        self.text_len[p] <= self.text_len[id] + 40
    }
}

/// Longest caption (in characters other than whitespace) that is taken for a picture's label
/// rather than for text. A caption of a line or two names what the picture shows and who took
/// it, and readers of the article do not count it as the article's text; a paragraph-long
/// caption (a slide show's) carries text of its own.
const CAPTION_MAX_CHARS: u32 = 150;

/// How far above a caption its picture is looked for: the caption's parent (a `figure`, a
/// `wp-caption` box) or that one's parent (a figure whose caption sits in a wrapper).
const CAPTION_FIGURE_LEVELS: usize = 2;

/// Fewest words of a page summary that is looked for as the article's standfirst: shorter ones
/// are slogans and site descriptions.
const STANDFIRST_MIN_WORDS: usize = 6;

/// How much of the summary's opening (in characters) a block must hold to be its standfirst:
/// summaries are often cut short, or end differently from the text they quote.
const STANDFIRST_KEY_CHARS: usize = 60;

/// A paragraph's vote in Readability's scoring: one, one per comma, one per hundred characters
/// up to three.
fn paragraph_score(len: u32, commas: u32) -> f32 {
    1.0 + commas as f32 + (len as f32 / 100.0).min(3.0)
}

/// True when the element is one part of a template: the tag and the whole class list of a split
/// article's parts.
fn same_template(dom: &Dom, id: NodeId, tag: &str, class: &str) -> bool {
    dom.tag(id) == tag && dom.attr(id, "class") == Some(class)
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

/// The article's own heading, when `<title>` wraps it in more words (`Blog name: Post title`):
/// the first `h1`–`h3` near the article whose text is a part of the title tag's.
fn heading_title(dom: &Dom, dead: &[bool], main: &[NodeId], title: Option<&str>) -> Option<String> {
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
fn first_in<T>(
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
            if dom.is_element(id) {
                if let Some(v) = pick(id) {
                    return Some(v);
                }
            }
        }
    }
    None
}

/// The author from a byline element (`class="byline"`, `rel="author"`): in the article first,
/// else anywhere outside the comments (site templates often put it in a header or footer).
fn find_author(
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
fn find_published(dom: &Dom, outside_comments: &[bool]) -> Option<crate::ingest::Stamp> {
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
                // Every label starts with `p` or `v`: one byte turns away nearly every element.
                if !matches!(lead.as_bytes().first(), Some(b'p' | b'P' | b'v' | b'V'))
                    || !PUBLISHED_LABELS
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
                crate::ingest::Stamp::parse(rest.trim_start_matches([':', ' ']))
            })
        })
}

/// Longest element text read as a dateline.
const DATELINE_MAX_CHARS: usize = 80;

/// Most nodes under an element read as a dateline (the label, the date, a `<b>` or two).
const DATELINE_MAX_NODES: usize = 8;

/// Labels that open a dateline (lower case, with the space after them).
const PUBLISHED_LABELS: &[&str] = &[
    "published ",
    "published:",
    "posted ",
    "posted:",
    "veröffentlicht ",
    "veröffentlicht:",
    "publié le ",
    "publicado ",
    "pubblicato ",
];

/// Renders the live parts of the chosen nodes to text with html2text, by copying them into
/// html2text's own tree (no second parse).
fn render(dom: &Dom, dead: &[bool], text_len: &[u32], main: &[NodeId]) -> String {
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
fn is_plain_container(name: &str) -> bool {
    !HTML2TEXT_HANDLED.contains(&name) && !BLOCKS_HTML2TEXT_LACKS.contains(&name)
}

/// Block elements html2text does not know as blocks.
const BLOCKS_HTML2TEXT_LACKS: &[&str] = &[
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
const HTML2TEXT_HANDLED: &[&str] = &[
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
fn weighted_non_space(text: &str) -> usize {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if chars::is_cjk(c) { 2 } else { 1 })
        .sum()
}

fn qual(local: &str) -> html5ever::QualName {
    html5ever::QualName::new(
        None,
        html5ever::ns!(html),
        html5ever::LocalName::from(local),
    )
}

/// Cleans rendered text: trims lines, drops boilerplate lines, the title and a leading byline,
/// repeated adjacent lines, and keeps single blank lines between paragraphs.
fn tidy_body(rendered: &str, title: Option<&str>, author: &mut Option<String>) -> String {
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
        if !seen_text && line.len() < 80 {
            if let Some(name) =
                byline(line).filter(|_| crate::ingest::lexicon::caseless::starts_with(line, "by "))
            {
                author.get_or_insert(name);
                continue;
            }
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

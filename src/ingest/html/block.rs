//! The article block: Readability-style scoring of paragraphs for their containers, the
//! parts of a split article, a lead or standfirst kept apart, an opening by the headline.

use super::render::weighted_non_space;
use super::*;

/// Paragraphs shorter than this (characters) do not vote for a container (Readability: 25).
pub(super) const MIN_PARAGRAPH_CHARS: usize = 25;

/// Score bonus or malus for a container whose name reads as content or as chrome
/// (Readability's class weight).
pub(super) const NAME_WEIGHT: f32 = 25.0;

/// Candidates scoring at least this share of the best are alternatives to it (Readability: 0.75).
pub(super) const ALTERNATIVE_SHARE: f32 = 0.75;

/// How many alternatives make the best candidate one part of a larger article (Readability: 3).
pub(super) const MIN_ALTERNATIVES: usize = 2;

/// How far above the article block its container (where a lead is looked for) may be.
pub(super) const LEAD_SEARCH_LEVELS: usize = 6;

/// A lead is at least this many characters.
pub(super) const MIN_LEAD_CHARS: usize = 40;

/// How far above the chosen block same-class sibling parts are looked for.
pub(super) const SPLIT_SEARCH_LEVELS: usize = 3;

/// How far up a content-named container of the best node is looked for, and what share of the
/// best node's score its own paragraphs must make to take the article over.
pub(super) const CONTENT_ANCESTOR_LEVELS: usize = 4;

pub(super) const CONTENT_ANCESTOR_SHARE: f32 = 0.5;

/// A same-class sibling joins the article with at least this much text.
pub(super) const SPLIT_PART_MIN_CHARS: usize = 200;

/// A container's name counts fully from this many characters of text, in proportion below.
pub(super) const NAME_WEIGHT_FULL_CHARS: f32 = 500.0;

/// An article's opening follows its headline within this many characters of live text (a
/// byline, a date, a standfirst, a picture's caption between).
pub(super) const HEADLINE_GAP_CHARS: u32 = 1_500;

/// The block by the headline is the article's opening part when it scores at least this share
/// of the best block and holds this much text …
pub(super) const HEADLINE_PART_SHARE: f32 = 0.3;

pub(super) const HEADLINE_PART_MIN_CHARS: u32 = 200;

/// … and the container of both parts holds at most this many times their text.
pub(super) const HEADLINE_PARTS_SHARE: f32 = 1.3;

/// When the headline's part and the best block share no small container, the part by the
/// headline is the article on its own if it holds at least this share of the page summary's
/// words …
pub(super) const SUMMARY_HELD_SHARE: f32 = 0.6;

/// … and the best block at most this share (a feed, a gallery or a notice box beside the
/// article says little of what the summary says).
pub(super) const SUMMARY_MISSED_SHARE: f32 = 0.3;

/// Summary words shorter than this (characters) are passed over: articles, pronouns and
/// particles are in every block.
pub(super) const SUMMARY_WORD_MIN_CHARS: usize = 4;

/// Titles and headings shorter than this (bytes, normalised) anchor nothing.
pub(super) const MIN_HEADLINE_BYTES: usize = 8;

/// A sibling of the best container joins the article when its score reaches this share of the
/// best score (Readability: 0.2) …
pub(super) const SIBLING_SHARE: f32 = 0.2;

/// … or at least this absolute score.
pub(super) const SIBLING_MIN_SCORE: f32 = 10.0;

/// Fewest words of a page summary that is looked for as the article's standfirst: shorter ones
/// are slogans and site descriptions.
pub(super) const STANDFIRST_MIN_WORDS: usize = 6;

/// How much of the summary's opening (in characters) a block must hold to be its standfirst:
/// summaries are often cut short, or end differently from the text they quote.
pub(super) const STANDFIRST_KEY_CHARS: usize = 60;

/// A paragraph's vote in Readability's scoring: one, one per comma, one per hundred characters
/// up to three.
pub(super) fn paragraph_score(len: u32, commas: u32) -> f32 {
    1.0 + commas as f32 + (len as f32 / 100.0).min(3.0)
}

/// The distinct longer words of the first page summary that has enough of them to anchor a
/// block, normalised as [`lines::normalize`] does.
pub(super) fn summary_words(descriptions: &[String]) -> Option<Vec<String>> {
    descriptions.iter().find_map(|d| {
        let mut words: Vec<String> = lines::normalize(d)
            .split(' ')
            .filter(|w| w.chars().count() >= SUMMARY_WORD_MIN_CHARS)
            .map(str::to_string)
            .collect();
        words.sort_unstable();
        words.dedup();
        (words.len() >= STANDFIRST_MIN_WORDS).then_some(words)
    })
}

/// The share of `summary` (sorted, distinct words) that `text` holds.
pub(super) fn summary_share(summary: &[String], text: &str) -> f32 {
    let text = lines::normalize(text);
    let mut held = vec![false; summary.len()];
    for word in text.split(' ') {
        if let Ok(i) = summary.binary_search_by(|s| s.as_str().cmp(word)) {
            held[i] = true;
        }
    }
    held.iter().filter(|&&h| h).count() as f32 / summary.len().max(1) as f32
}

/// True when the element is one part of a template: the tag and the whole class list of a split
/// article's parts.
pub(super) fn same_template(dom: &Dom, id: NodeId, tag: &str, class: &str) -> bool {
    dom.tag(id) == tag && dom.attr(id, "class") == Some(class)
}

impl Cleaner<'_> {
    pub(super) fn name_weight(&self, id: NodeId) -> f32 {
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
    pub(super) fn choose_main(&self, title: Option<&str>, descriptions: &[String]) -> Vec<NodeId> {
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
        if let Some(whole) =
            self.headline_part(title, descriptions, &candidates, &score, top, top_score)
        {
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
    pub(super) fn headline(&self, title: &str) -> Option<NodeId> {
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
    /// by the headline and its larger part further down, each in its own wrapper. Returns their
    /// nearest common container when that holds little besides them (not a page layout with
    /// sidebars and feeds between) and is not a link list.
    ///
    /// When their container is a whole page layout, the two blocks are not one article, and
    /// the page's own summary tells which is: the part by the headline when it says most of
    /// what the summary says and the best block does not (a sidebar feed, a photo gallery or a
    /// contact box that outscores a short article).
    pub(super) fn headline_part(
        &self,
        title: Option<&str>,
        descriptions: &[String],
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
        if dom.is_element(common)
            && !matches!(dom.tag(common), "body" | "html")
            && self.text_len[common] as f32 <= parts * HEADLINE_PARTS_SHARE
            && self.link_density(common) < 0.3
        {
            return Some(common);
        }
        let summary = summary_words(descriptions)?;
        (self.link_density(opening) < 0.3
            && summary_share(&summary, &dom.text(opening)) >= SUMMARY_HELD_SHARE
            && summary_share(&summary, &dom.text(top)) <= SUMMARY_MISSED_SHARE)
            .then_some(opening)
    }

    /// The parts of a split article and what stands between them in their parent: the headings
    /// that introduce each part, and wrappers that hold more parts of the same template.
    pub(super) fn with_parts_between(
        &self,
        parent: NodeId,
        parts: &[NodeId],
        class: &str,
    ) -> Vec<NodeId> {
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
    pub(super) fn add_lead(&self, main: &mut Vec<NodeId>) {
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
    pub(super) fn own_paragraphs_score(&self, id: NodeId) -> f32 {
        self.dom
            .children(id)
            .filter(|&k| !self.dead[k])
            .filter_map(|k| self.paragraph_text(k))
            .filter(|&(len, _)| len as usize >= MIN_PARAGRAPH_CHARS)
            .map(|(len, commas)| paragraph_score(len, commas))
            .sum()
    }

    pub(super) fn tag_base(&self, id: NodeId) -> f32 {
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
    pub(super) fn paragraph_text(&self, id: NodeId) -> Option<(u32, u32)> {
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
    pub(super) fn add_standfirst(
        &self,
        main: &mut Vec<NodeId>,
        descriptions: &[String],
        skip: &[bool],
    ) {
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
    pub(super) fn block_holding(
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
}

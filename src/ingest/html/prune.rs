//! Pruning inside the article block: link lists, galleries, form remains, chrome headings,
//! bylines, datelines, author boxes and short picture captions.

use super::*;

/// Longest caption (in characters other than whitespace) that is taken for a picture's label
/// rather than for text. A caption of a line or two names what the picture shows and who took
/// it, and readers of the article do not count it as the article's text; a paragraph-long
/// caption (a slide show's) carries text of its own.
pub(super) const CAPTION_MAX_CHARS: u32 = 150;

/// How far above a caption its picture is looked for: the caption's parent (a `figure`, a
/// `wp-caption` box) or that one's parent (a figure whose caption sits in a wrapper).
pub(super) const CAPTION_FIGURE_LEVELS: usize = 2;

impl Cleaner<'_> {
    /// Inside the chosen nodes, removes blocks that look like chrome after all: link lists,
    /// image galleries without text, form remains, headings of chrome (Readability's "clean
    /// conditionally").
    pub(super) fn prune_inside(&mut self, main: &[NodeId]) {
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
    pub(super) fn remove(&mut self, id: NodeId) {
        if self.dead[id] || self.dom.ancestors(id).any(|a| self.dead[a]) {
            return;
        }
        self.dead[id] = true;
        self.take_off_ancestors(id);
    }

    pub(super) fn is_conditional_chrome(&self, id: NodeId, tag: &str) -> bool {
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
    pub(super) fn drop_metadata(&mut self, main: &[NodeId]) {
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
    pub(super) fn captions_a_picture(&self, caption: NodeId) -> bool {
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
    pub(super) fn is_alone_in_block(&self, id: NodeId) -> bool {
        let Some(p) = self.dom.nodes[id].parent else {
            return true;
        };
        self.text_len[p] <= self.text_len[id] + 40
    }
}

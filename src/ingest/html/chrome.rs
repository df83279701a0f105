//! Chrome: what is removed before the article is looked for, by tag, hidden state, role, aria
//! label and class or id name, in a light pass (before comments are read) and a full one.

use super::*;

/// Elements that are never article text, whatever they contain.
pub(super) const DROP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "audio", "video", "map", "button", "input", "select", "textarea", "option", "nav", "aside",
    "dialog", "head", "link", "meta", "menu", "footer", "frame", "frameset", "label", "datalist",
    "output", "progress", "meter", "img", "picture", "source", "track", "math",
];

/// Elements removed before comments are read: never reader text, and not used by comment
/// systems for structure (unlike `footer`, `header` or `menu`).
pub(super) const LIGHT_DROP_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "button", "input", "select", "textarea", "option", "dialog", "frame", "frameset", "datalist",
    "math",
];

/// A weak chrome word removes an element only below this many characters of text (or when
/// most of its text is links).
pub(super) const WEAK_CHROME_MAX_CHARS: u32 = 300;

/// An element with a chrome name is kept anyway when it holds more than this share of the
/// page's text: it is a wrapper (`page-with-sidebar`), not the chrome itself.
pub(super) const WRAPPER_TEXT_SHARE: f32 = 0.5;

/// A hidden element is kept only when it holds nearly all of the page's text: then the page
/// hides its article until a script shows it, while a big hidden part beside the article is a
/// closed gallery or dialog.
pub(super) const HIDDEN_WRAPPER_SHARE: f32 = 0.9;

/// Fewest characters of prose a hidden element needs to be kept for holding more prose than
/// the rest of the page: a few paragraphs of an article.
pub(super) const HIDDEN_PROSE_MIN: u32 = 500;

/// An element named for ads is kept when it holds this much running text.
pub(super) const AD_PROSE_MIN_CHARS: u32 = 400;

impl Cleaner<'_> {
    /// Chrome elements: by tag, hidden state, role, aria label and name words. With `light`,
    /// only what is never reader text: code, forms, hidden parts and ads. Needs `measure` first,
    /// so that wrappers named like chrome survive.
    pub(super) fn chrome_marks(&self, light: bool, protected: &[bool]) -> Vec<bool> {
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
    pub(super) fn article_ancestors(&self) -> Vec<bool> {
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
    pub(super) fn is_ad_slot(&self, id: NodeId) -> bool {
        has(self.dom.names(id), names::AD)
            && !(self.text_len[id] >= AD_PROSE_MIN_CHARS && self.link_density(id) < 0.2)
    }

    pub(super) fn is_hidden(&self, id: NodeId) -> bool {
        has(self.dom.names(id), names::HIDDEN)
    }

    /// A hidden element beside the article: not holding an article marker, nor nearly all of
    /// the page's text (a page that hides its article until a script shows it), nor, unless
    /// named as chrome, more prose outside captions than the rest of the page (the full text
    /// folded behind "Read more" while a teaser shows; a closed gallery holds captions, a
    /// dialog labels).
    pub(super) fn is_hidden_part(&self, id: NodeId, protected: &[bool]) -> bool {
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

    pub(super) fn is_chrome_by_attributes(&self, id: NodeId, tag: &str) -> bool {
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
}

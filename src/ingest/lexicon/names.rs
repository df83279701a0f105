//! What class and id names mean: the word lists that mark chrome, article containers and the
//! parts of comment threads, and the per-element bit sets computed from them once per page.
//!
//! Owns the vocabularies and the splitting of names into words; which elements are removed or
//! read is left to `html` and `comments`. Every list is a named constant with the reason it
//! exists; none of them names a site.

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// A set of the lists an element's class and id words appear in (one bit per list).
pub type Names = u32;

/// Bit of the `CHROME_WORDS` list.
pub const CHROME: Names = 1 << 0;
/// Bit of the `WEAK_CHROME_WORDS` list.
pub const WEAK_CHROME: Names = 1 << 1;
/// Bit of the `CONTENT_WORDS` list.
pub const CONTENT: Names = 1 << 2;
/// Bit of the `ARTICLE_MARKER_WORDS` list.
pub const ARTICLE_MARKER: Names = 1 << 3;
/// Bit of the `AD_WORDS` list.
pub const AD: Names = 1 << 4;
/// Bit of the `BYLINE_WORDS` list.
pub const BYLINE: Names = 1 << 5;
/// Bit of the `DATE_WORDS` list.
pub const DATE: Names = 1 << 6;
/// Bit of the `COMMENT_SECTION_WORDS` list.
pub const COMMENT_SECTION: Names = 1 << 7;
/// Bit of the `COMMENT_ITEM_WORDS` list.
pub const COMMENT_ITEM: Names = 1 << 8;
/// Bit of the `COMMENT_AUTHOR_WORDS` list.
pub const COMMENT_AUTHOR: Names = 1 << 9;
/// Bit of the `COMMENT_TIME_WORDS` list.
pub const COMMENT_TIME: Names = 1 << 10;
/// Bit of the `COMMENT_TEXT_WORDS` list.
pub const COMMENT_TEXT: Names = 1 << 11;
/// Bit of the `COMMENT_CHROME_WORDS` list.
pub const COMMENT_CHROME: Names = 1 << 12;
/// Bit of the `COMMENT_FORM_WORDS` list.
pub const COMMENT_FORM: Names = 1 << 13;
/// Bit of the `REPLIES_WORDS` list.
pub const REPLIES: Names = 1 << 14;
/// Bit of the `EDIT_NOTE_WORDS` list.
pub const EDIT_NOTE: Names = 1 << 15;
/// Bit of the `META_LINE_WORDS` list.
pub const META_LINE: Names = 1 << 16;
/// Bit of the `COMMENT_NAME_WORDS` list.
pub const COMMENT_NAME: Names = 1 << 17;
/// Bit of the `SECTION_EXCLUDE_WORDS` list.
pub const SECTION_EXCLUDE: Names = 1 << 18;
/// Bit of the `FORUM_POST_WORDS` list.
pub const FORUM_POST: Names = 1 << 19;

/// Words in class and id names that mark chrome: ads, consent notices, share bars, newsletter
/// prompts, navigation, recommendation blocks. Matched as whole words of the name (split at
/// `-`, `_`, spaces and camelCase), so `header` does not match `ad` nor `thread` `read`.
const CHROME_WORDS: &[&str] = &[
    "adblock",
    "sponsor",
    "sponsors",
    "promo",
    "promos",
    "promoted",
    "zergnet",
    "revcontent",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "cmp",
    "onetrust",
    "cookiebanner",
    "cookiebar",
    "share",
    "sharing",
    "shares",
    "social",
    "socials",
    "sharebar",
    "addthis",
    "sharethis",
    "newsletter",
    "newsletters",
    "subscribe",
    "subscription",
    "signup",
    "paywall",
    "donation",
    "donate",
    "related",
    "recommended",
    "recommendation",
    "recommendations",
    "recirc",
    "recirculation",
    "popular",
    "trending",
    "mostread",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "pagination",
    "pager",
    "sidebar",
    "footer",
    "modal",
    "popup",
    "banner",
    "login",
    "signin",
    "comment-form",
    "respond",
    "more-stories",
    "read-more",
    "readmore",
    "byline-social",
    "author-bio",
    "subnav",
    "topnav",
    "sitenav",
    "header-nav",
    "searchbox",
    "sronly",
    "visuallyhidden",
    "skiplink",
    "tagcloud",
    "taglist",
    "lightbox",
    "nodisplay",
];

/// Words that mark chrome only on small or link-heavy elements: page builders put `widget`,
/// `hidden` or `tags` on the article's own wrappers too.
const WEAK_CHROME_WORDS: &[&str] = &[
    "widget",
    "widgets",
    "masthead",
    "overlay",
    "toolbar",
    "skip",
    "offscreen",
    "tags",
    "jump",
    "print",
    "disclaimer",
    "copyright",
    "bio",
    "signature",
    "alert",
    "announcement",
    "rating",
    "ratings",
    "logo",
    "search",
    "hidden",
    "hide",
    "meta",
    "tools",
    "utility",
    "extra",
];

/// Words in class and id names that mark the article: an element carrying one of these is not
/// removed for a chrome word as well (`article-share` stays, its labels go line by line).
const CONTENT_WORDS: &[&str] = &[
    "article",
    "content",
    "main",
    "body",
    "post",
    "entry",
    "story",
    "text",
    "blog",
    "prose",
    "articlebody",
    "storybody",
    "postbody",
    "entrycontent",
    "column",
];

/// Names that mark the article's own container. Chrome names never remove an ancestor of one.
const ARTICLE_MARKER_WORDS: &[&str] = &[
    "post-content",
    "entry-content",
    "article-body",
    "articlebody",
    "article-content",
    "articlecontent",
    "story-body",
    "storybody",
    "post-body",
    "postbody",
    "entry-body",
    "content-body",
    "main-content",
    "article-text",
    "articletext",
    "story-content",
    "storycontent",
    "post-text",
    "posttext",
    "entry-text",
    "blog-post",
    "article-main",
    "body-text",
    "bodytext",
    "single-content",
    "page-content",
    "text-content",
    "rich-text",
    "richtext",
    "story-text",
];

/// Words in class and id names that mark ad slots: removed even before comments are read.
const AD_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "adverts",
    "advertisement",
    "advertising",
    "adsense",
    "adslot",
    "adunit",
    "adbox",
    "adcontainer",
    "adwrapper",
    "dfp",
    "gpt",
    "sponsored",
    "outbrain",
    "taboola",
];

/// Names of byline elements.
const BYLINE_WORDS: &[&str] = &[
    "byline",
    "author",
    "author-name",
    "authorname",
    "writer",
    "poster",
    "username",
    "post-author",
];

/// Names of date elements.
const DATE_WORDS: &[&str] = &[
    "published",
    "entry-date",
    "post-date",
    "postdate",
    "datetime",
    "date",
    "dateline",
    "timestamp",
    "pubdate",
    "post-timestamp",
    "date-header",
];

/// Names of containers that hold a comment section.
const COMMENT_SECTION_WORDS: &[&str] = &[
    "comments",
    "commentlist",
    "comment-list",
    "comments-list",
    "commentslist",
    "comments-area",
    "comment-section",
    "comments-section",
    "commentsection",
    "comment-thread",
    "comments-thread",
    "comments-container",
    "comment-container",
    "disqus-thread",
    "dsq-comments",
    "dsq-content",
    "reader-comments",
    "user-comments",
    "usercomments",
    "talkback",
    "responses",
    "replies",
    "discussion",
    "comments-block",
    "comment-holder",
    "comment-area",
    "commentary",
    "kommentare",
    "commentaires",
    "comentarios",
    "commenti",
    "reacties",
    "leserpost",
    "leserbriefe",
    "leserkommentare",
    // Readers' reviews of a product or a book are its comments.
    "reviews",
    "user-reviews",
    "customer-reviews",
    "product-reviews",
    "bewertungen",
    "rezensionen",
];

/// Names of single comments.
const COMMENT_ITEM_WORDS: &[&str] = &[
    "comment",
    "comment-item",
    "commentitem",
    "comment-entry",
    "comment-wrapper",
    "comment-block",
    "dsq-comment",
    "post",
    "postcontainer",
    "postbit",
    "reply",
    "review",
    "single-comment",
    "comment-body",
    "comment-container",
    "comment-holder",
    "depth",
    "thread",
    "cmt",
    "ljcmt",
    "leserbrief",
    "leserkommentar",
    "kommentar",
    "commentaire",
    "comentario",
    "commento",
];

/// Names of the author element inside a comment.
const COMMENT_AUTHOR_WORDS: &[&str] = &[
    "author",
    "comment-author",
    "fn",
    "username",
    "user",
    "poster",
    "nickname",
    "commenter",
    "user-name",
    "display-name",
    "ljuser",
    "author-name",
    "comment-user",
    "commentauthor",
    "postauthor",
    "screen-name",
    "name",
    "nick",
    "by",
    "comment-poster",
    "poster-name",
    "autor",
    "auteur",
    "comment-author-name",
];

/// Names of the time element inside a comment.
const COMMENT_TIME_WORDS: &[&str] = &[
    "date",
    "time",
    "datetime",
    "timestamp",
    "published",
    "comment-date",
    "comment-time",
    "comment-meta",
    "commentmetadata",
    "post-date",
    "postdate",
    "posted",
    "time-ago",
    "ago",
    "comment-timestamp",
    "when",
    "datestamp",
];

/// Names of the text element inside a comment.
const COMMENT_TEXT_WORDS: &[&str] = &[
    "comment-content",
    "comment-text",
    "comment-body-text",
    "commenttext",
    "comment-message",
    "content",
    "message",
    "post-message",
    "postbody",
    "post-body",
    "postcontent",
    "post-content",
    "text",
    "entry",
    "body",
    "comment-entry",
    "usertext",
    "md",
    "bbcode",
    "post-text",
    "posttext",
    "content-body",
    "reply-content",
];

/// Parts of a comment that are not its text: action links, vote widgets, reply forms.
const COMMENT_CHROME_WORDS: &[&str] = &[
    "reply",
    "reply-link",
    "comment-reply-link",
    "actions",
    "comment-actions",
    "toolbar",
    "vote",
    "votes",
    "voting",
    "like",
    "likes",
    "share",
    "report",
    "flag",
    "edit-link",
    "permalink",
    "avatar",
    "comment-awaiting-moderation",
    "moderation",
    "signature",
    "sig",
    "quote-link",
    "comment-tools",
    "links",
    "controls",
    "menu",
    "footer",
    "comment-footer",
];

/// Names of the comment form and its parts.
const COMMENT_FORM_WORDS: &[&str] = &[
    "respond",
    "comment-respond",
    "comment-form",
    "commentform",
    "reply-title",
    "comment-reply-title",
    "comment-form-comment",
    "comments-form",
    "comment-notes",
    "logged-in-as",
    "form-submit",
];

/// Containers of a comment's replies: their comments are read on their own.
const REPLIES_WORDS: &[&str] = &[
    "children",
    "replies",
    "comment-replies",
    "sub-comments",
    "subcomments",
    "thread-children",
];

/// Names of an "edited at" note inside a comment.
const EDIT_NOTE_WORDS: &[&str] = &[
    "edittime",
    "edit-time",
    "edited",
    "comment-edited",
    "last-edited",
    "editnote",
    "edit-note",
];

/// Names of article metadata lines (byline, dateline) inside the body.
const META_LINE_WORDS: &[&str] = &[
    "byline",
    "dateline",
    "timestamp",
    "published",
    "pubdate",
    "post-meta",
    "entry-meta",
    "article-meta",
    "meta",
    "author",
    "authors",
    "posted-on",
    "date",
];

/// The bare words "comment"/"comments": enough to keep an element out of the article.
const COMMENT_NAME_WORDS: &[&str] = &["comment", "comments", "dsq-comment"];

/// Names that look like a comment section but are its form, link or counter.
const SECTION_EXCLUDE_WORDS: &[&str] = &[
    "comment-form",
    "respond",
    "comment-respond",
    "comments-link",
    "comment-count",
    "comments-count",
    // A sidebar list of the latest comments across the site, each a link to its page.
    "widget-recent-comments",
    "recent-comments",
    "recentcomments",
    "latest-comments",
];

/// Names of forum posts (vBulletin, XenForo and similar).
const FORUM_POST_WORDS: &[&str] = &["postcontainer", "postbit", "forum-post", "topic-post"];

/// Names of picture captions (`wp-caption-text`, `image-caption`, `bildunterschrift`).
const CAPTION_WORDS: &[&str] = &[
    "caption",
    "captions",
    "figcaption",
    "bildunterschrift",
    "bildtext",
    "legende",
    "leyenda",
    "didascalia",
];

/// Roles of chrome landmarks.
const CHROME_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "complementary",
    "contentinfo",
    "search",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
    "toolbar",
    "tablist",
    "tooltip",
    "alert",
];

/// Words in an `aria-label` that mark chrome.
const CHROME_LABELS: &[&str] = &[
    "advert",
    "share",
    "cookie",
    "consent",
    "breadcrumb",
    "navigation",
    "related",
    "social",
    "newsletter",
    "menu",
    "sponsor",
    "footer",
];

/// The element is hidden (`hidden`, `aria-hidden="true"`, `display:none`, `visibility:hidden`).
pub const HIDDEN: Names = 1 << 28;
/// The element's `role` is a chrome landmark (navigation, banner, dialog…).
pub const CHROME_ROLE: Names = 1 << 29;
/// The element's `aria-label` names chrome (share, advert, cookie…).
pub const CHROME_LABEL: Names = 1 << 30;

/// The element is marked as a comment: schema.org `Comment` microdata, or `data-testid="comment"`
/// (React apps mark comments for their tests).
pub const MARKED_COMMENT: Names = 1 << 31;

/// Distinct class values a thread remembers before it starts over.
const CLASS_CACHE_SIZE: usize = 20_000;

thread_local! {
    /// Pages repeat the same class values thousands of times (syntax highlighting, list items),
    /// and pages of one site share them: each distinct value is split and looked up once.
    static CLASS_CACHE: std::cell::RefCell<FxHashMap<String, Names>> =
        std::cell::RefCell::new(FxHashMap::default());
}

/// The lists a `class` value's words fall in, remembered per thread.
fn class_names(value: &str) -> Names {
    CLASS_CACHE.with_borrow_mut(|cache| {
        if let Some(&b) = cache.get(value) {
            return b;
        }
        if cache.len() >= CLASS_CACHE_SIZE {
            cache.clear();
        }
        let b = classify(value);
        cache.insert(value.to_string(), b);
        b
    })
}

/// The lists an element's class and id fall in, from its attributes as the parsers store them:
/// the label [`Dom::parse_labelled`](super::markup::Dom::parse_labelled) gives it.
pub fn label(attrs: &[html5ever::Attribute]) -> Names {
    of_attributes(attrs.iter().map(|a| (&*a.name.local, &*a.value)))
}

/// What an element's attributes say, in one pass over them: the lists its class and id words
/// fall in, and whether it is hidden or labelled as chrome.
pub fn of_attributes<'a>(attrs: impl Iterator<Item = (&'a str, &'a str)>) -> Names {
    let mut bits = 0;
    for (name, value) in attrs {
        match name {
            "class" => bits |= class_names(value),
            "id" => bits |= classify(value),
            "itemtype" if value.ends_with("/Comment") || value.ends_with("/UserComments") => {
                bits |= MARKED_COMMENT
            }
            "itemprop" if value.split_whitespace().any(|w| w == "comment") => {
                bits |= MARKED_COMMENT
            }
            "data-testid" | "data-test-id" if value == "comment" => bits |= MARKED_COMMENT,
            "hidden" => bits |= HIDDEN,
            "aria-hidden" if value.trim().eq_ignore_ascii_case("true") => bits |= HIDDEN,
            "style" => {
                let s: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                if s.contains("display:none") || s.contains("visibility:hidden") {
                    bits |= HIDDEN;
                }
            }
            "role" if CHROME_ROLES.contains(&value.trim().to_ascii_lowercase().as_str()) => {
                bits |= CHROME_ROLE
            }
            "aria-label" => {
                let l = value.to_lowercase();
                if CHROME_LABELS.iter().any(|w| l.contains(w)) {
                    bits |= CHROME_LABEL;
                }
            }
            _ => {}
        }
    }
    bits
}

/// Names of an article's lead paragraph (standfirst), which templates often set apart from the
/// body container, in several languages.
const LEAD_WORDS: &[&str] = &[
    "lead",
    "lede",
    "intro",
    "introduction",
    "perex",
    "standfirst",
    "summary",
    "abstract",
    "excerpt",
    "deck",
    "dek",
    "subtitle",
    "subheadline",
    "sub-headline",
    "vorspann",
    "bajada",
    "chapo",
    "chapeau",
    "entradilla",
    "sommario",
    "article-lead",
    "article-intro",
    "field-intro",
    "teaser-text",
    "intro-text",
    "lead-text",
    "summary-text",
];

/// Bit of the `LEAD_WORDS` list.
pub const LEAD: Names = 1 << 27;
/// Bit of the `CAPTION_WORDS` list.
pub const CAPTION: Names = 1 << 26;
/// The element is a box about the article's author (`author-bio`, `mh-author-box`,
/// `about-the-author`): found by word pairs, see [`AUTHOR_BOX_PARTS`].
pub const AUTHOR_BOX: Names = 1 << 25;

/// Words that, right after `author` in one token, make it a box about the author: themes and
/// page builders prefix the pair with their own names (`td-author-description`,
/// `elementor-author-box`, `ArticlePage-authorInfo`), so no list of whole names can hold them.
/// `about` (or `about-the`) before `author` does the same.
const AUTHOR_BOX_PARTS: &[&str] = &[
    "info",
    "box",
    "bio",
    "description",
    "about",
    "profile",
    "card",
    "details",
];

/// Every list with its bit.
const LISTS: &[(&[&str], Names)] = &[
    (LEAD_WORDS, LEAD),
    (CAPTION_WORDS, CAPTION),
    (CHROME_WORDS, CHROME),
    (WEAK_CHROME_WORDS, WEAK_CHROME),
    (CONTENT_WORDS, CONTENT),
    (ARTICLE_MARKER_WORDS, ARTICLE_MARKER),
    (AD_WORDS, AD),
    (BYLINE_WORDS, BYLINE),
    (DATE_WORDS, DATE),
    (COMMENT_SECTION_WORDS, COMMENT_SECTION),
    (COMMENT_ITEM_WORDS, COMMENT_ITEM),
    (COMMENT_AUTHOR_WORDS, COMMENT_AUTHOR),
    (COMMENT_TIME_WORDS, COMMENT_TIME),
    (COMMENT_TEXT_WORDS, COMMENT_TEXT),
    (COMMENT_CHROME_WORDS, COMMENT_CHROME),
    (COMMENT_FORM_WORDS, COMMENT_FORM),
    (REPLIES_WORDS, REPLIES),
    (EDIT_NOTE_WORDS, EDIT_NOTE),
    (META_LINE_WORDS, META_LINE),
    (COMMENT_NAME_WORDS, COMMENT_NAME),
    (SECTION_EXCLUDE_WORDS, SECTION_EXCLUDE),
    (FORUM_POST_WORDS, FORUM_POST),
];

/// Words that name the element only as a whole token: as a part of a compound they describe
/// something else (`field--label-hidden` is a field whose label is hidden, `hidden-xs` shows
/// everywhere but on small screens).
const WHOLE_TOKEN_ONLY: &[&str] = &["hidden", "hide"];

/// Words that do not name the element when a styling word follows them in the same token:
/// `text-right`, `ds-text-center` and `text-muted` are alignment and colour utilities, while
/// `comment-text`, `text-editor` and `news-text-wrap` hold text.
const STYLED_WORDS: &[&str] = &["text"];

/// Words that make the word before them a styling utility (see `STYLED_WORDS`).
const STYLE_WORDS: &[&str] = &[
    "left",
    "right",
    "center",
    "centre",
    "justify",
    "start",
    "end",
    "muted",
    "nowrap",
    "truncate",
    "uppercase",
    "lowercase",
    "capitalize",
    "bold",
    "italic",
    "small",
    "large",
    "xs",
    "sm",
    "md",
    "lg",
    "xl",
    "primary",
    "secondary",
    "white",
    "black",
    "dark",
    "light",
    "gray",
    "grey",
    "color",
    "colour",
    "size",
    "align",
];

fn table() -> &'static FxHashMap<&'static str, Names> {
    static TABLE: OnceLock<FxHashMap<&'static str, Names>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: FxHashMap<&'static str, Names> = FxHashMap::default();
        for (words, bit) in LISTS {
            for w in *words {
                *t.entry(w).or_default() |= bit;
            }
        }
        t
    })
}

/// The lists that the words of a class or id value appear in. Words are the value's
/// whitespace-separated tokens (lower-cased, `_` read as `-`), their parts split at `-`, `_`,
/// `:`, `.` and camelCase humps, and each token with its separators removed:
/// `articleBody share_bar` gives `articlebody`, `article`, `body`, `share-bar`, `share`, `bar`,
/// `sharebar`.
pub fn classify(value: &str) -> Names {
    let t = table();
    let mut bits = 0;
    let mut buf = String::with_capacity(value.len());
    let mut word = String::with_capacity(value.len());
    // The lists of a `STYLED_WORDS` part, held until the part after it shows whether it
    // styles something (`text-right`) or names it (`comment-text`, `text-editor`).
    let mut held: Names = 0;
    let mut author_box: Names = 0;
    // `part`: a word cut from a compound token, where `WHOLE_TOKEN_ONLY` words do not count.
    let mut look = |w: &str, part: bool| {
        let found = if part && WHOLE_TOKEN_ONLY.contains(&w) {
            0
        } else {
            t.get(w).copied().unwrap_or(0)
        };
        if part && STYLED_WORDS.contains(&w) {
            bits |= std::mem::replace(&mut held, found);
            return;
        }
        if held != 0 {
            if !(part && STYLE_WORDS.contains(&w)) {
                bits |= held;
            }
            held = 0;
        }
        bits |= found;
    };
    // A token's parts, kept only when it may name a box about the author.
    let mut parts: Vec<String> = Vec::new();
    for part in own_tokens(value) {
        buf.clear();
        buf.extend(part.chars().map(|c| {
            if c == '_' {
                '-'
            } else {
                c.to_ascii_lowercase()
            }
        }));
        look(&buf, false);
        let keep = part
            .as_bytes()
            .windows(6)
            .any(|w| w.eq_ignore_ascii_case(b"author"));
        parts.clear();
        let mut end_word = |word: &mut String| {
            look(word, true);
            if keep {
                parts.push(word.clone());
            }
            word.clear();
        };
        word.clear();
        let mut prev_lower = false;
        for ch in part.chars() {
            if matches!(ch, '-' | '_' | ':' | '.') {
                if !word.is_empty() {
                    end_word(&mut word);
                }
                prev_lower = false;
                continue;
            }
            if ch.is_uppercase() && prev_lower && !word.is_empty() {
                end_word(&mut word);
            }
            prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
            word.extend(ch.to_lowercase());
        }
        if !word.is_empty() {
            end_word(&mut word);
        }
        if keep && is_author_box(&parts) {
            author_box = AUTHOR_BOX;
        }
        // The whole token, looked up next, also releases a styled word that ended it: such a
        // word names the element.
        buf.clear();
        buf.extend(
            part.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase),
        );
        look(&buf, false);
    }
    bits | author_box
}

/// True when the parts of one class token name a box about the author: `author` followed by
/// one of [`AUTHOR_BOX_PARTS`], or preceded by `about` (`about-the-author`).
fn is_author_box(parts: &[String]) -> bool {
    parts.iter().enumerate().any(|(i, p)| {
        p == "author"
            && (parts
                .get(i + 1)
                .is_some_and(|n| AUTHOR_BOX_PARTS.contains(&n.as_str()))
                || (i > 0 && parts[i - 1] == "about")
                || (i > 1 && parts[i - 1] == "the" && parts[i - 2] == "about"))
    })
}

/// The tokens of a class value that say what the element is. WordPress writes a post's
/// taxonomy terms into the class of the post's container, after the post's type and status
/// (`post-12 post type-post status-publish format-standard hentry category-news tag-cookies`):
/// the terms are the post's topics and may be any word (`tag-comments`, `series-advertising`),
/// so the tokens after the status are not read as names.
fn own_tokens(value: &str) -> impl Iterator<Item = &str> {
    let mut typed = false;
    let mut done = false;
    value.split_whitespace().take_while(move |tok| {
        if done {
            return false;
        }
        if tok.starts_with("type-") {
            typed = true;
        } else if typed && tok.starts_with("status-") {
            done = true;
        }
        true
    })
}

/// True when one of the value's whole tokens (not its parts) is in the lists of `bits`:
/// `comment-list` is a list of comments, `comment-list-item` is not.
pub fn whole_token_in(value: &str, bits: Names) -> bool {
    let t = table();
    own_tokens(value).any(|tok| {
        let w: String = tok
            .chars()
            .map(|c| {
                if c == '_' {
                    '-'
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect();
        t.get(w.as_str()).is_some_and(|b| b & bits != 0)
    })
}

/// True when `names` has any of `bits`.
pub fn has(names: Names, bits: Names) -> bool {
    names & bits != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_words() {
        let n = classify("articleBody share_bar");
        assert_ne!(n & CONTENT, 0, "article / body");
        assert_ne!(n & CHROME, 0, "share");
        assert_eq!(classify("header thread") & AD, 0, "no `ad` inside `header`");
        assert_ne!(classify("ad-slot") & AD, 0);
        assert_ne!(classify("comments-area") & COMMENT_SECTION, 0);
    }

    #[test]
    fn a_posts_taxonomy_terms_are_not_its_names() {
        let post = "post-7 post type-post status-publish format-standard hentry \
                    category-news tag-cookies series-comentarios tag-share";
        assert_eq!(classify(post) & (CHROME | COMMENT_SECTION), 0);
        assert_ne!(classify(post) & CONTENT, 0, "`post` itself is read");
        // Without a post's type and status, every token is read.
        assert_ne!(classify("box series-comentarios") & COMMENT_SECTION, 0);
        assert!(!whole_token_in(
            "type-post status-publish comments",
            COMMENT_SECTION
        ));
        assert!(whole_token_in("box comments", COMMENT_SECTION));
    }

    #[test]
    fn author_boxes_are_found_by_word_pairs() {
        for name in [
            "author-bio",
            "mh-author-box",
            "td-author-description",
            "ArticlePage-authorInfo",
            "about-the-author",
            "entry_author_info",
            "aboutAuthor",
        ] {
            assert_ne!(classify(name) & AUTHOR_BOX, 0, "{name}");
        }
        for name in [
            "author",
            "post-author",
            "author-name",
            "coauthor-profile",
            "authors box",
        ] {
            assert_eq!(classify(name) & AUTHOR_BOX, 0, "{name}");
        }
    }

    #[test]
    fn hidden_names_the_element_only_as_a_whole_token() {
        assert_ne!(classify("panel hidden") & WEAK_CHROME, 0);
        assert_eq!(classify("field field--label-hidden") & WEAK_CHROME, 0);
        assert_eq!(classify("col overflow-hidden hidden-xs") & WEAK_CHROME, 0);
        assert_eq!(classify("isHidden") & WEAK_CHROME, 0);
    }

    #[test]
    fn text_before_a_styling_word_is_a_utility() {
        assert_eq!(classify("ds-text-right") & (CONTENT | COMMENT_TEXT), 0);
        assert_eq!(
            classify("text-center textMuted") & (CONTENT | COMMENT_TEXT),
            0
        );
        assert_ne!(classify("c-comment__text") & COMMENT_TEXT, 0);
        assert_ne!(classify("elementor-text-editor") & CONTENT, 0);
        assert_ne!(classify("news-text-wrap") & CONTENT, 0);
    }
}

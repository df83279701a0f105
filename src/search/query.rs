//! The query language, read leniently: words, `"exact phrases"`, `OR`, `AND`, `NOT` and
//! `-excluded`, parentheses, `prefix*`, `typo~1` (any word within one or two edits),
//! `"near words"~3` (a phrase whose words may stand that many positions apart), and the fields
//! `title:`, `author:`, `site:`, `kind:`.
//!
//! Owns turning what a person typed into clauses; building tantivy queries from them and
//! ranking are left to `search`. A typed word is read as the analyzer reads page text:
//! punctuation inside it splits it into plain words (`T-cell` is *t* and *cell*, `of,` is the
//! stop word *of*); only quotes make a phrase. Nothing a person types is an error: stray
//! quotes, colons and unmatched parentheses are read as text, and the parse says what it
//! ignored.

use crate::index::analysis;

/// Where a text clause may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Title or body (title weighted higher).
    Any,
    /// The title only (`title:word`).
    Title,
}

/// One thing the hit must (or, in the soft ranking, should) contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// A word (as typed; the analyzer splits and folds it later).
    Word {
        /// The text.
        text: String,
        /// Where it may match.
        scope: Scope,
        /// `word*`: any word starting with it.
        prefix: bool,
        /// `word~N`: words within N edits match too (ranked after the word itself).
        fuzzy: Option<u8>,
    },
    /// `"an exact phrase"`, or `"words near each other"~N`.
    Phrase {
        /// The phrase text.
        text: String,
        /// Where it may match.
        scope: Scope,
        /// How many positions apart its words may stand (0: exactly as typed).
        slop: u32,
    },
    /// `a OR b`: any of these.
    Any(Vec<Clause>),
    /// `a AND b`, or a group that an operator applies to (`(a b) OR c`, `x OR t-cell`): all
    /// of these.
    All(Vec<Clause>),
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Positive clauses, in the order typed.
    pub clauses: Vec<Clause>,
    /// `-word`, `-"phrase"`: hits containing these are left out.
    pub excluded: Vec<Clause>,
    /// `kind:` values.
    pub kinds: Vec<String>,
    /// `site:` values.
    pub sites: Vec<String>,
    /// `author:` values.
    pub authors: Vec<String>,
    /// What was read as plain text or dropped, for a note on stderr.
    pub ignored: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A bare word (may carry `-`, a `field:` prefix, a trailing `*` or `~N`).
    Word(String),
    /// A quoted phrase, with the `-` or `field:` written before its opening quote and the
    /// `~N` after its closing one.
    Quoted {
        prefix: String,
        text: String,
        slop: u32,
    },
    /// `OR` (or `||`).
    Or,
    /// `AND` (or `&&`).
    And,
    /// `NOT`, or a `-` written before a parenthesis.
    Not,
    /// `(`.
    Open,
    /// `)`.
    Close,
}

fn lex(input: &str, ignored: &mut Vec<String>) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = input.chars().peekable();
    let mut word = String::new();
    let flush = |word: &mut String, toks: &mut Vec<Tok>| {
        let tok = match word.as_str() {
            "" => return,
            "OR" | "||" => Tok::Or,
            "AND" | "&&" => Tok::And,
            "NOT" => Tok::Not,
            _ => Tok::Word(word.clone()),
        };
        toks.push(tok);
        word.clear();
    };
    while let Some(c) = chars.next() {
        match c {
            '"' | '“' | '”' => {
                let mut text = String::new();
                let mut closed = false;
                for d in chars.by_ref() {
                    if matches!(d, '"' | '“' | '”') {
                        closed = true;
                        break;
                    }
                    text.push(d);
                }
                if !closed {
                    ignored.push("an unclosed quote".into());
                    // Read the rest as plain words.
                    let prefix = std::mem::take(&mut word);
                    let mut rest = prefix;
                    rest.push(' ');
                    rest.push_str(&text);
                    for w in rest.split_whitespace() {
                        toks.push(Tok::Word(w.to_string()));
                    }
                    continue;
                }
                let mut slop = 0;
                if chars.peek() == Some(&'~') {
                    chars.next();
                    let mut digits = String::new();
                    while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                        digits.push(*d);
                        chars.next();
                    }
                    slop = digits.parse::<u32>().unwrap_or(DEFAULT_SLOP).min(MAX_SLOP);
                }
                toks.push(Tok::Quoted {
                    prefix: std::mem::take(&mut word),
                    text,
                    slop,
                });
            }
            '(' => {
                if word == "-" {
                    word.clear();
                    toks.push(Tok::Not);
                } else {
                    flush(&mut word, &mut toks);
                }
                toks.push(Tok::Open);
            }
            ')' => {
                flush(&mut word, &mut toks);
                toks.push(Tok::Close);
            }
            c if c.is_whitespace() => flush(&mut word, &mut toks),
            c => word.push(c),
        }
    }
    flush(&mut word, &mut toks);
    toks
}

const FIELDS: &[&str] = &["title", "author", "site", "kind"];

/// `"a phrase"~` without a number: words this far apart still match.
const DEFAULT_SLOP: u32 = 3;

/// The loosest phrase allowed: a wider window is just the words anywhere in a long text, and
/// costs position checks for nothing.
const MAX_SLOP: u32 = 50;

/// Edits allowed by `word~` without a number: one typo.
const DEFAULT_EDITS: u8 = 1;

/// Most edits `word~N` allows: beyond two, a short word matches a large part of any vocabulary.
const MAX_EDITS: u8 = 2;

/// Parentheses nested deeper than this are read as text: no person types more, and the parse
/// recurses once per level.
const MAX_DEPTH: usize = 32;

/// Splits `word~N` into the word and its edit distance.
fn split_fuzzy(value: &str) -> (&str, Option<u8>) {
    let Some((word, n)) = value.rsplit_once('~') else {
        return (value, None);
    };
    if word.is_empty() || !n.chars().all(|c| c.is_ascii_digit()) {
        return (value, None);
    }
    let edits = n.parse::<u8>().unwrap_or(DEFAULT_EDITS).clamp(1, MAX_EDITS);
    (word, Some(edits))
}

/// What one operand of the query stands for, before operators bind it.
enum Node {
    /// A clause.
    One(Clause),
    /// Clauses side by side (a parenthesised group, or a word that punctuation split): they
    /// count as separate words unless an operator takes them as one operand.
    Group(Vec<Clause>),
}

impl Node {
    /// The node as one clause, for an operator to take.
    fn into_clause(self) -> Option<Clause> {
        match self {
            Node::One(c) => Some(c),
            Node::Group(mut v) if v.len() <= 1 => v.pop(),
            Node::Group(v) => Some(Clause::All(v)),
        }
    }
}

/// Which binary operator waits for its right-hand operand.
#[derive(Clone, Copy, PartialEq)]
enum Binary {
    Or,
    And,
}

struct Parser {
    toks: std::vec::IntoIter<Tok>,
    p: Parsed,
}

/// Parses a query leniently. Never fails.
///
/// ```
/// use thresh::search::query::{parse, Clause, Scope};
/// let q = parse("\"theme song\" -japanese kind:comment mix*");
/// assert_eq!(q.kinds, vec!["comment".to_string()]);
/// assert_eq!(q.clauses.len(), 2);
/// assert_eq!(q.excluded.len(), 1);
/// assert!(matches!(&q.clauses[1], Clause::Word { prefix: true, .. }));
/// ```
pub fn parse(input: &str) -> Parsed {
    let mut ignored = Vec::new();
    let toks = lex(input, &mut ignored);
    let mut parser = Parser {
        toks: toks.into_iter(),
        p: Parsed {
            ignored,
            ..Parsed::default()
        },
    };
    let (nodes, _) = parser.sequence(0);
    parser.p.clauses = flatten(nodes);
    parser.p
}

/// Operands that no operator took, as the clauses they hold side by side.
fn flatten(nodes: Vec<Node>) -> Vec<Clause> {
    let mut clauses = Vec::new();
    for node in nodes {
        match node {
            Node::One(c) => clauses.push(c),
            Node::Group(v) => clauses.extend(v),
        }
    }
    clauses
}

impl Parser {
    fn note(&mut self, what: &str) {
        if !self.p.ignored.iter().any(|i| i == what) {
            self.p.ignored.push(what.to_string());
        }
    }

    /// Operands and operators up to a closing parenthesis (or the end); also says whether the
    /// closing parenthesis was found.
    fn sequence(&mut self, depth: usize) -> (Vec<Node>, bool) {
        let mut nodes: Vec<Node> = Vec::new();
        let mut pending: Option<Binary> = None;
        let mut negate = false;
        while let Some(tok) = self.toks.next() {
            let (node, negated) = match tok {
                Tok::Close if depth > 0 => {
                    self.dangling(pending, negate);
                    return (nodes, true);
                }
                Tok::Close => {
                    self.note("an unmatched closing parenthesis");
                    continue;
                }
                Tok::Or | Tok::And => {
                    let op = if tok == Tok::Or {
                        Binary::Or
                    } else {
                        Binary::And
                    };
                    if nodes.is_empty() || negate {
                        self.note(if op == Binary::Or {
                            "a leading OR"
                        } else {
                            "a leading AND"
                        });
                    } else {
                        pending = Some(op);
                    }
                    continue;
                }
                Tok::Not => {
                    negate = true;
                    continue;
                }
                Tok::Open if depth >= MAX_DEPTH => {
                    self.note("parentheses nested too deep");
                    continue;
                }
                Tok::Open => {
                    let (inner, closed) = self.sequence(depth + 1);
                    if !closed {
                        self.note("an unclosed parenthesis");
                    }
                    let group = flatten(inner);
                    if group.is_empty() {
                        // Nothing for an operator before it to take.
                        self.note("empty parentheses");
                        negate = false;
                        pending = None;
                        continue;
                    }
                    (Node::Group(group), false)
                }
                Tok::Quoted { prefix, text, slop } => match self.quoted(&prefix, text, slop) {
                    Some(r) => r,
                    None => continue,
                },
                Tok::Word(w) => match self.word(&w) {
                    Some(r) => r,
                    None => continue,
                },
            };
            let negated = negated ^ std::mem::take(&mut negate);
            if negated {
                if let Some(c) = node.into_clause() {
                    self.p.excluded.push(c);
                }
                pending = None;
                continue;
            }
            match (pending.take(), nodes.pop()) {
                (Some(op), Some(last)) => {
                    let (Some(left), Some(right)) = (last.into_clause(), node.into_clause()) else {
                        continue;
                    };
                    let merged = match (op, left) {
                        (Binary::Or, Clause::Any(mut v)) | (Binary::And, Clause::All(mut v)) => {
                            v.push(right);
                            v
                        }
                        (_, left) => vec![left, right],
                    };
                    nodes.push(Node::One(match op {
                        Binary::Or => Clause::Any(merged),
                        Binary::And => Clause::All(merged),
                    }));
                }
                (_, last) => {
                    nodes.extend(last);
                    nodes.push(node);
                }
            }
        }
        self.dangling(pending, negate);
        (nodes, false)
    }

    /// Notes an operator left without its right-hand operand.
    fn dangling(&mut self, pending: Option<Binary>, negate: bool) {
        match pending {
            Some(Binary::Or) => self.note("a trailing OR"),
            Some(Binary::And) => self.note("a trailing AND"),
            None => {}
        }
        if negate {
            self.note("a trailing NOT");
        }
    }

    /// A quoted phrase: a clause, or a filter (`author:"…"`), or nothing when empty.
    fn quoted(&mut self, prefix: &str, text: String, slop: u32) -> Option<(Node, bool)> {
        let negated = prefix.starts_with('-');
        let field = prefix
            .trim_start_matches('-')
            .trim_end_matches(':')
            .to_ascii_lowercase();
        if text.split_whitespace().next().is_none() {
            self.note("an empty phrase");
            return None;
        }
        let scope = match field.as_str() {
            "" => Scope::Any,
            "title" => Scope::Title,
            "author" => {
                self.p.authors.push(text);
                return None;
            }
            "site" => {
                self.p.sites.push(text);
                return None;
            }
            "kind" => {
                self.p.kinds.push(text.trim().to_lowercase());
                return None;
            }
            other => {
                self.p.ignored.push(format!("the unknown field `{other}:`"));
                Scope::Any
            }
        };
        Some((Node::One(Clause::Phrase { text, scope, slop }), negated))
    }

    /// A bare word: a filter, or the plain words it holds once punctuation splits it.
    fn word(&mut self, w: &str) -> Option<(Node, bool)> {
        let negated = w.starts_with('-') && w.len() > 1;
        let w = if negated { &w[1..] } else { w };
        let (field, value) = match w.split_once(':') {
            Some((f, v)) if FIELDS.contains(&f.to_ascii_lowercase().as_str()) && !v.is_empty() => {
                (Some(f.to_ascii_lowercase()), v.to_string())
            }
            Some((f, v)) => {
                self.p.ignored.push(format!("a colon in `{f}:{v}`"));
                (None, format!("{f} {v}"))
            }
            None => (None, w.to_string()),
        };
        match field.as_deref() {
            Some("author") => {
                self.p.authors.push(value);
                return None;
            }
            Some("site") => {
                self.p.sites.push(value);
                return None;
            }
            Some("kind") => {
                self.p.kinds.push(value.to_lowercase());
                return None;
            }
            _ => {}
        }
        let scope = if field.as_deref() == Some("title") {
            Scope::Title
        } else {
            Scope::Any
        };
        let (value, fuzzy) = split_fuzzy(&value);
        let starred = fuzzy.is_none() && value.ends_with('*');
        let text = value.trim_end_matches('*');
        let pieces = analysis::pieces(text);
        if pieces.is_empty() {
            self.p.ignored.push(format!("`{value}`"));
            return None;
        }
        if negated && pieces.len() > 1 {
            // `-well-known` leaves out the compound, not every page with "well" or "known".
            let phrase = Clause::Phrase {
                text: pieces.join(" "),
                scope,
                slop: 0,
            };
            return Some((Node::One(phrase), true));
        }
        let last = pieces.len() - 1;
        let words = pieces
            .iter()
            .enumerate()
            .map(|(i, piece)| Clause::Word {
                text: (*piece).to_string(),
                scope,
                // Only the word the star is written on, and only when it is at least two
                // characters long: `m*` would match a large part of any vocabulary.
                prefix: starred && i == last && piece.chars().count() >= 2,
                fuzzy,
            })
            .collect();
        Some((Node::Group(words), negated))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(t: &str) -> Clause {
        Clause::Word {
            text: t.into(),
            scope: Scope::Any,
            prefix: false,
            fuzzy: None,
        }
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let q = parse("billboard \"theme song\" -japanese");
        assert_eq!(
            q.clauses,
            vec![
                word("billboard"),
                Clause::Phrase {
                    text: "theme song".into(),
                    scope: Scope::Any,
                    slop: 0,
                }
            ]
        );
        assert_eq!(q.excluded, vec![word("japanese")]);
        assert!(q.ignored.is_empty());
    }

    #[test]
    fn or_groups_neighbours() {
        let q = parse("bts OR bangtan mixtape");
        assert_eq!(
            q.clauses,
            vec![
                Clause::Any(vec![word("bts"), word("bangtan")]),
                word("mixtape")
            ]
        );
    }

    #[test]
    fn fields_become_filters_or_scopes() {
        let q = parse("kind:comment author:katheli site:\"ABS-CBN\" title:jin");
        assert_eq!(q.kinds, vec!["comment"]);
        assert_eq!(q.authors, vec!["katheli"]);
        assert_eq!(q.sites, vec!["ABS-CBN"]);
        assert_eq!(
            q.clauses,
            vec![Clause::Word {
                text: "jin".into(),
                scope: Scope::Title,
                prefix: false,
                fuzzy: None,
            }]
        );
    }

    #[test]
    fn stray_syntax_is_read_as_text_and_reported() {
        let q = parse("what is (the \"theme song");
        assert!(q.ignored.iter().any(|i| i.contains("quote")));
        assert!(q.ignored.iter().any(|i| i.contains("parenthes")));
        assert_eq!(q.clauses.len(), 5);
        let q = parse("ratio: 3:1 foo:bar");
        assert!(!q.clauses.is_empty());
        assert!(q.ignored.iter().any(|i| i.contains("colon")));
    }

    #[test]
    fn prefixes_need_two_characters() {
        assert!(matches!(
            &parse("mix*").clauses[0],
            Clause::Word { prefix: true, .. }
        ));
        assert!(matches!(
            &parse("m*").clauses[0],
            Clause::Word { prefix: false, .. }
        ));
    }

    #[test]
    fn tildes_make_fuzzy_words_and_sloppy_phrases() {
        let q = parse("billbord~1 gaon~ \"theme song\"~2 \"ost drama\"~ x~9 ~5");
        assert!(
            matches!(&q.clauses[0], Clause::Word { text, fuzzy: Some(1), .. } if text == "billbord")
        );
        assert!(matches!(&q.clauses[1], Clause::Word { fuzzy: Some(1), .. }));
        assert!(matches!(&q.clauses[2], Clause::Phrase { slop: 2, .. }));
        assert!(matches!(
            &q.clauses[3],
            Clause::Phrase {
                slop: DEFAULT_SLOP,
                ..
            }
        ));
        assert!(matches!(
            &q.clauses[4],
            Clause::Word {
                fuzzy: Some(MAX_EDITS),
                ..
            }
        ));
        // A tilde with nothing before it is text, not an operator: the word is what it holds.
        assert!(matches!(&q.clauses[5], Clause::Word { text, fuzzy: None, .. } if text == "5"));
    }
    fn texts(clauses: &[Clause]) -> Vec<String> {
        clauses
            .iter()
            .map(|c| match c {
                Clause::Word { text, .. } => text.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn punctuation_inside_a_word_splits_it_into_plain_words() {
        assert_eq!(
            texts(&parse("Vitamin C-Enriched Bacon").clauses),
            ["Vitamin", "C", "Enriched", "Bacon"]
        );
        assert_eq!(
            texts(&parse("frozen--which T-cell shock-sound").clauses),
            ["frozen", "which", "T", "cell", "shock", "sound"]
        );
        // A stop word keeps its status with punctuation attached: it is the bare word.
        assert_eq!(
            texts(&parse("effects of, heat").clauses),
            ["effects", "of", "heat"]
        );
        // The star and the tilde stay with their word.
        let q = parse("co-work* e-mial~1");
        assert!(matches!(&q.clauses[0], Clause::Word { text, prefix: false, .. } if text == "co"));
        assert!(matches!(&q.clauses[1], Clause::Word { text, prefix: true, .. } if text == "work"));
        assert!(
            matches!(&q.clauses[3], Clause::Word { text, fuzzy: Some(1), .. } if text == "mial")
        );
        // Excluding a compound leaves out the compound, not each of its words.
        let q = parse("wing -well-known");
        assert_eq!(
            q.excluded,
            vec![Clause::Phrase {
                text: "well known".into(),
                scope: Scope::Any,
                slop: 0
            }]
        );
        // Only punctuation: nothing to search, and said.
        let q = parse("heat --- ");
        assert_eq!(q.clauses.len(), 1);
        assert!(q.ignored.iter().any(|i| i.contains("--")));
    }

    #[test]
    fn and_or_not_and_parentheses_are_operators() {
        let q = parse("nasa NOT moon");
        assert_eq!(q.clauses, vec![word("nasa")]);
        assert_eq!(q.excluded, vec![word("moon")]);
        let q = parse("nasa AND moon shot");
        assert_eq!(
            q.clauses,
            vec![Clause::All(vec![word("nasa"), word("moon")]), word("shot")]
        );
        let q = parse("(bts OR bangtan) AND (mixtape OR album) -live");
        assert_eq!(
            q.clauses,
            vec![Clause::All(vec![
                Clause::Any(vec![word("bts"), word("bangtan")]),
                Clause::Any(vec![word("mixtape"), word("album")]),
            ])]
        );
        assert_eq!(q.excluded, vec![word("live")]);
        // A group takes an operator as one operand; standing alone, its words are plain words.
        let q = parse("(heat transfer) OR convection");
        assert_eq!(
            q.clauses,
            vec![Clause::Any(vec![
                Clause::All(vec![word("heat"), word("transfer")]),
                word("convection"),
            ])]
        );
        assert_eq!(
            parse("the non linear (large-deflection) load").clauses,
            ["the", "non", "linear", "large", "deflection", "load"]
                .map(word)
                .to_vec()
        );
        let q = parse("wing NOT (flutter OR buzz) -(tail fin)");
        assert_eq!(
            q.excluded,
            vec![
                Clause::Any(vec![word("flutter"), word("buzz")]),
                Clause::All(vec![word("tail"), word("fin")]),
            ]
        );
        // A punctuated word under OR stays one operand.
        let q = parse("x-ray OR radiograph");
        assert_eq!(
            q.clauses,
            vec![Clause::Any(vec![
                Clause::All(vec![word("x"), word("ray")]),
                word("radiograph"),
            ])]
        );
        // An operator before empty parentheses takes nothing.
        let q = parse("NOT () heat OR () wing");
        assert_eq!(q.clauses, vec![word("heat"), word("wing")]);
        assert!(q.excluded.is_empty());
        // Lower case is plain text.
        assert_eq!(texts(&parse("not and or").clauses), ["not", "and", "or"]);
    }

    #[test]
    fn stray_operators_are_read_leniently_and_reported() {
        for (query, note) in [
            ("OR heat", "a leading OR"),
            ("heat AND", "a trailing AND"),
            ("heat NOT", "a trailing NOT"),
            ("heat) wing", "an unmatched closing parenthesis"),
            ("(heat wing", "an unclosed parenthesis"),
        ] {
            let q = parse(query);
            assert!(
                q.ignored.iter().any(|i| i == note),
                "{query}: {:?}",
                q.ignored
            );
            assert!(!q.clauses.is_empty(), "{query}");
        }
        // Deep nesting is bounded, not a stack overflow.
        let deep = format!("{}heat{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(parse(&deep).clauses, vec![word("heat")]);
    }
}

//! The query language, read leniently: words, `"exact phrases"`, `OR`, `-excluded`, `prefix*`,
//! `typo~1` (any word within one or two edits), `"near words"~3` (a phrase whose words may stand
//! that many positions apart), and the fields `title:`, `author:`, `site:`, `kind:`.
//!
//! Owns turning what a person typed into clauses; building tantivy queries from them and
//! ranking are left to `search`. Nothing a person types is an error: stray quotes, colons and
//! parentheses are read as text, and the parse says what it ignored.

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
    /// A bare word (may carry `-`, a `field:` prefix or a trailing `*`).
    Word(String),
    /// A quoted phrase, with the `-` or `field:` written before its opening quote and the
    /// `~N` after its closing one.
    Quoted {
        prefix: String,
        text: String,
        slop: u32,
    },
    /// The `OR` operator.
    Or,
}

fn lex(input: &str, ignored: &mut Vec<String>) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut chars = input.chars().peekable();
    let mut word = String::new();
    let flush = |word: &mut String, toks: &mut Vec<Tok>| {
        if !word.is_empty() {
            if word == "OR" || word == "||" {
                toks.push(Tok::Or);
            } else {
                toks.push(Tok::Word(std::mem::take(word)));
            }
            word.clear();
        }
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
            '(' | ')' | '[' | ']' | '{' | '}' => {
                if !ignored.iter().any(|i| i == "parentheses") {
                    ignored.push("parentheses".into());
                }
                flush(&mut word, &mut toks);
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
    let mut p = Parsed::default();
    let toks = lex(input, &mut p.ignored);
    let mut pending_or = false;
    for tok in toks {
        if tok == Tok::Or {
            if p.clauses.is_empty() {
                p.ignored.push("a leading OR".into());
            } else {
                pending_or = true;
            }
            continue;
        }
        let (negated, clause) = match tok {
            Tok::Or => continue,
            Tok::Quoted { prefix, text, slop } => {
                let negated = prefix.starts_with('-');
                let field = prefix
                    .trim_start_matches('-')
                    .trim_end_matches(':')
                    .to_ascii_lowercase();
                if text.split_whitespace().next().is_none() {
                    p.ignored.push("an empty phrase".into());
                    continue;
                }
                match field.as_str() {
                    "" => (
                        negated,
                        Clause::Phrase {
                            text,
                            scope: Scope::Any,
                            slop,
                        },
                    ),
                    "title" => (
                        negated,
                        Clause::Phrase {
                            text,
                            scope: Scope::Title,
                            slop,
                        },
                    ),
                    "author" => {
                        p.authors.push(text);
                        continue;
                    }
                    "site" => {
                        p.sites.push(text);
                        continue;
                    }
                    "kind" => {
                        p.kinds.push(text.trim().to_lowercase());
                        continue;
                    }
                    other => {
                        p.ignored.push(format!("the unknown field `{other}:`"));
                        (
                            negated,
                            Clause::Phrase {
                                text,
                                scope: Scope::Any,
                                slop,
                            },
                        )
                    }
                }
            }
            Tok::Word(w) => {
                let negated = w.starts_with('-') && w.len() > 1;
                let w = if negated { &w[1..] } else { w.as_str() };
                let (field, value) = match w.split_once(':') {
                    Some((f, v))
                        if FIELDS.contains(&f.to_ascii_lowercase().as_str()) && !v.is_empty() =>
                    {
                        (Some(f.to_ascii_lowercase()), v.to_string())
                    }
                    Some((f, v)) => {
                        p.ignored.push(format!("a colon in `{f}:{v}`"));
                        (None, format!("{f} {v}"))
                    }
                    None => (None, w.to_string()),
                };
                match field.as_deref() {
                    Some("author") => {
                        p.authors.push(value);
                        continue;
                    }
                    Some("site") => {
                        p.sites.push(value);
                        continue;
                    }
                    Some("kind") => {
                        p.kinds.push(value.to_lowercase());
                        continue;
                    }
                    _ => {}
                }
                let scope = if field.as_deref() == Some("title") {
                    Scope::Title
                } else {
                    Scope::Any
                };
                let (value, fuzzy) = split_fuzzy(&value);
                let prefix = fuzzy.is_none()
                    && value.ends_with('*')
                    && value.trim_end_matches('*').chars().count() >= 2;
                let text = value.trim_end_matches('*').to_string();
                if !text.chars().any(char::is_alphanumeric) {
                    p.ignored.push(format!("`{value}`"));
                    continue;
                }
                (
                    negated,
                    Clause::Word {
                        text,
                        scope,
                        prefix,
                        fuzzy,
                    },
                )
            }
        };
        if negated {
            p.excluded.push(clause);
            pending_or = false;
            continue;
        }
        if pending_or {
            pending_or = false;
            if let Some(last) = p.clauses.pop() {
                let merged = match last {
                    Clause::Any(mut v) => {
                        v.push(clause);
                        Clause::Any(v)
                    }
                    other => Clause::Any(vec![other, clause]),
                };
                p.clauses.push(merged);
                continue;
            }
        }
        p.clauses.push(clause);
    }
    if pending_or {
        p.ignored.push("a trailing OR".into());
    }
    p
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
        // A tilde with nothing before it is text, not an operator.
        assert!(matches!(&q.clauses[5], Clause::Word { text, fuzzy: None, .. } if text == "~5"));
    }
}

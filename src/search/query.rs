//! The query language, read leniently: words, `"exact phrases"`, `OR`, `-excluded`, `prefix*`,
//! and the fields `title:`, `author:`, `site:`, `kind:`.
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
    },
    /// `"an exact phrase"`.
    Phrase {
        /// The phrase text.
        text: String,
        /// Where it may match.
        scope: Scope,
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
    /// A quoted phrase, with the `-` or `field:` written before its opening quote.
    Quoted { prefix: String, text: String },
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
                toks.push(Tok::Quoted {
                    prefix: std::mem::take(&mut word),
                    text,
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
            Tok::Quoted { prefix, text } => {
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
                        },
                    ),
                    "title" => (
                        negated,
                        Clause::Phrase {
                            text,
                            scope: Scope::Title,
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
                let prefix =
                    value.ends_with('*') && value.trim_end_matches('*').chars().count() >= 2;
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
                    scope: Scope::Any
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
                prefix: false
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
}

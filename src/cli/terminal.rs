//! Making page-derived text safe for a terminal: the one sanitiser every text printer uses.
//!
//! Page text is hostile. A title can carry a CSI sequence that recolours or clears the screen,
//! an OSC sequence that retitles the window, writes the clipboard (OSC 52) or hides a link
//! (OSC 8), a bidi override that makes `exe.txt` read as `txt.exe`, or a carriage return or
//! backspaces that overwrite what was printed before. Written here rather than taken from a
//! crate: the ones that strip ANSI sequences leave C1 controls and bidi controls in place, and
//! the rules are short.
//!
//! Whole escape sequences are removed (not only their ESC, which would leave `]0;…` litter),
//! other control characters become a space, bidi embeddings, overrides and isolates are removed.
//! File names are different: a user must be able to find the file, so their odd bytes and
//! controls are shown escaped instead (`caf\xE9.html`, `a\u{1b}b.html`).

use std::path::Path;

use thresh::index::keys;

/// Page text for one line of output: sequences and bidi controls removed, other controls
/// (newlines and tabs too) turned into spaces.
pub fn line(s: &str) -> String {
    clean(s, false)
}

/// Page text of several lines: as [`line`], keeping line breaks (`\n`; a `\r` goes).
pub fn block(s: &str) -> String {
    clean(s, true)
}

/// Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder the
/// text printed after them. Marks (U+200E, U+200F) only set the direction of neutral
/// characters next to them and stay.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The C1 controls that open a string a terminal swallows up to a string terminator: DCS, SOS,
/// OSC, PM, APC.
fn is_c1_string(c: char) -> bool {
    matches!(c, '\u{90}' | '\u{98}' | '\u{9D}' | '\u{9E}' | '\u{9F}')
}

fn clean(s: &str, keep_newlines: bool) -> String {
    // Fast path: most text has nothing to remove.
    if !s.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\x1b' => match chars.peek().copied() {
                Some('[') => {
                    chars.next();
                    skip_csi(&mut chars);
                }
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    chars.next();
                    skip_string(&mut chars);
                }
                // Two-character escapes (`ESC c` resets the terminal, `ESC 7` saves the
                // cursor), with intermediate bytes (`ESC ( B`).
                Some(' '..='/') => {
                    while chars.next_if(|c| matches!(c, ' '..='/')).is_some() {}
                    chars.next_if(|c| matches!(c, '0'..='~'));
                }
                Some('0'..='~') => {
                    chars.next();
                }
                _ => {}
            },
            '\u{9B}' => skip_csi(&mut chars),
            c if is_c1_string(c) => skip_string(&mut chars),
            '\r' | '\x08' | '\x7f' => {}
            c if c.is_control() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A control sequence after its introducer: parameter and intermediate bytes, then one final
/// byte. Anything else ends it early (a broken sequence is dropped as far as it went).
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars
        .next_if(|c| matches!(c, '0'..='?' | ' '..='/'))
        .is_some()
    {}
    chars.next_if(|c| matches!(c, '@'..='~'));
}

/// A control string after its introducer, up to BEL, ST (`ESC \` or U+009C) or a line break
/// (an unterminated one must not eat the rest of the page).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        match c {
            '\x07' | '\u{9C}' => {
                chars.next();
                return;
            }
            '\n' => return,
            '\x1b' => {
                chars.next();
                chars.next_if_eq(&'\\');
                return;
            }
            _ => {
                chars.next();
            }
        }
    }
}

/// A path as the user can type it back: valid UTF-8 as it is, with invalid bytes as `\xNN` and
/// control or bidi characters as `\u{NN}` (a file name can hold an escape sequence too).
pub fn path(p: &Path) -> String {
    let mut out = String::new();
    for chunk in keys::os_bytes(p.as_os_str()).utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() || is_bidi_control(c) {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_go_whole() {
        assert_eq!(line("a\x1b[31;1mred\x1b[0m b"), "ared b");
        assert_eq!(line("x\x1b]0;owned\x07y"), "xy");
        assert_eq!(line("x\x1b]52;c;ZXZpbA==\x1b\\y"), "xy");
        assert_eq!(
            line("\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\"),
            "click"
        );
        assert_eq!(line("a\u{9b}2Jb\u{9d}title\u{9c}c"), "abc");
        assert_eq!(line("reset\x1bc now"), "reset now");
        assert_eq!(line("ch\x1b(Bars"), "chars");
        assert_eq!(line("Pa\x1bPq#0;2;0\x1b\\ge"), "Page");
    }

    #[test]
    fn controls_and_bidi_tricks_go() {
        assert_eq!(line("evil\u{202E}txt.exe"), "eviltxt.exe");
        assert_eq!(line("a\u{2066}b\u{2069}c"), "abc");
        assert_eq!(line("safe\rEVIL"), "safeEVIL");
        assert_eq!(line("abc\x08\x08\x08xyz"), "abcxyz");
        assert_eq!(line("one\ntwo\tthree"), "one two three");
        assert_eq!(block("one\r\ntwo\x1b[2K"), "one\ntwo");
        // An unterminated string stops at the line's end, keeping the next line.
        assert_eq!(block("a\x1b]0;never ends\nnext"), "a\nnext");
        // Ordinary text, marks included, is untouched.
        assert_eq!(line("Café \u{200F}שלום 東京"), "Café \u{200F}שלום 東京");
    }

    #[cfg(unix)]
    #[test]
    fn paths_show_odd_bytes_escaped() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let p = Path::new(OsStr::from_bytes(b"caf\xe9/\x1b]0;x\x07.html"));
        assert_eq!(path(p), "caf\\xE9/\\u{1b}]0;x\\u{7}.html");
        assert_eq!(path(Path::new("corpus/ok é.html")), "corpus/ok é.html");
    }
}

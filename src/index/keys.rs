//! Page keys: a file's path inside the corpus as the text the index stores, and back. Owns the
//! encoding and nothing else.
//!
//! The index's fields are text, file names are bytes (on Unix, any bytes but `/` and NUL). A
//! lossy conversion would give two files one key, so one page would be lost. Keys are the path
//! with `/` between components, valid UTF-8 kept as it is, and two escapes that make the
//! encoding reversible: a byte that is not part of valid UTF-8 is `\xNN`, a backslash is `\\`.

use std::path::{Path, PathBuf};

/// The key of `rel`, a path relative to the corpus root.
pub fn encode(rel: &Path) -> String {
    let mut out = String::new();
    for (i, part) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        push_escaped(&mut out, &os_bytes(part.as_os_str()));
    }
    out
}

/// Text with invalid bytes and backslashes escaped, as in a key.
fn push_escaped(out: &mut String, bytes: &[u8]) {
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
}

/// The path a key stands for, relative to the corpus root; `None` when `key` is not a key
/// (a stray backslash, a bad escape).
pub fn decode(key: &str) -> Option<PathBuf> {
    let b = key.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        match b.get(i + 1) {
            Some(b'\\') => {
                out.push(b'\\');
                i += 2;
            }
            Some(b'x') => {
                let hex = std::str::from_utf8(b.get(i + 2..i + 4)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 4;
            }
            _ => return None,
        }
    }
    Some(path_of_bytes(out))
}

/// The encoded form of any path (the corpus root recorded in the index, say).
pub fn encode_any(path: &Path) -> String {
    let mut out = String::new();
    push_escaped(&mut out, &os_bytes(path.as_os_str()));
    out
}

/// The bytes of an OS string (on Unix, exactly the bytes the system gave).
#[cfg(unix)]
pub fn os_bytes(s: &std::ffi::OsStr) -> std::borrow::Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    std::borrow::Cow::Borrowed(s.as_bytes())
}

/// The bytes of an OS string (on Unix, exactly the bytes the system gave).
#[cfg(not(unix))]
pub fn os_bytes(s: &std::ffi::OsStr) -> std::borrow::Cow<'_, [u8]> {
    // Windows names are UTF-16; unpaired surrogates are rare enough to replace.
    std::borrow::Cow::Owned(s.to_string_lossy().into_owned().into_bytes())
}

/// The path these bytes name (the inverse of [`os_bytes`]).
#[cfg(unix)]
pub fn path_of_bytes(b: Vec<u8>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(b))
}

/// The path these bytes name (the inverse of [`os_bytes`]).
#[cfg(not(unix))]
pub fn path_of_bytes(b: Vec<u8>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&b).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_are_their_own_keys() {
        assert_eq!(encode(Path::new("news/a b é.html")), "news/a b é.html");
        assert_eq!(
            decode("news/a b é.html"),
            Some(PathBuf::from("news/a b é.html"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_get_distinct_keys_that_decode_back() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let latin1 = Path::new(OsStr::from_bytes(b"caf\xe9.html"));
        let other = Path::new(OsStr::from_bytes(b"caf\xe8.html"));
        let literal = Path::new("caf\\xE9.html");
        let keys = [encode(latin1), encode(other), encode(literal)];
        assert_eq!(keys[0], "caf\\xE9.html");
        assert_eq!(keys[2], "caf\\\\xE9.html");
        assert!(keys[0] != keys[1] && keys[0] != keys[2]);
        for (key, path) in keys.iter().zip([latin1, other, literal]) {
            assert_eq!(decode(key).as_deref(), Some(path));
        }
        assert_eq!(decode("bad\\q"), None);
        assert_eq!(decode("short\\x4"), None);
    }
}

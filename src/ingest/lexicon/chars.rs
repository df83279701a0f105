//! Character classes every layer shares, decided without the Unicode tables where most text
//! falls (their lookup costs hundreds of instructions a character).

/// `char::is_alphanumeric`, with the blocks most non-ASCII text draws on (Latin-1, Latin
/// Extended-A and -B, general punctuation, Han, Hangul syllables) decided without the Unicode
/// tables, whose lookup costs hundreds of instructions a character.
pub fn is_alphanumeric(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        // ª ² ³ µ ¹ º ¼ ½ ¾; the rest of the block is symbols and punctuation.
        0x80..=0xBF => matches!(
            c as u32,
            0xAA | 0xB2 | 0xB3 | 0xB5 | 0xB9 | 0xBA | 0xBC..=0xBE
        ),
        // Letters, apart from × and ÷.
        0xC0..=0x24F => !matches!(c, '\u{D7}' | '\u{F7}'),
        0x2000..=0x206F => false,
        0x4E00..=0x9FFF | 0xAC00..=0xD7A3 => true,
        _ => c.is_alphanumeric(),
    }
}

/// Number of characters from scripts written without spaces (Han, kana, Hangul counts too,
/// since Korean words are long): such text carries more per character, so length thresholds
/// count these characters several times over.
pub fn weighted_len(text: &str) -> usize {
    text.chars().map(|c| if is_cjk(c) { 3 } else { 1 }).sum()
}

/// Han, kana, bopomofo and Hangul: scripts written without spaces between words (Korean has
/// spaces, but a word carries its particles). Extraction weighs their characters as more text
/// per character; the index splits their runs into bigrams.
pub fn is_cjk(c: char) -> bool {
    // Most text is below the first of these blocks: one comparison decides it.
    if (c as u32) < 0x1100 {
        return false;
    }
    matches!(c as u32,
        0x1100..=0x11FF        // Hangul jamo
        | 0x3040..=0x30FF      // hiragana, katakana
        | 0x3100..=0x312F      // bopomofo
        | 0x3130..=0x318F      // Hangul compatibility jamo
        | 0x31F0..=0x31FF      // katakana extensions
        | 0x3400..=0x4DBF      // Han extension A
        | 0x4E00..=0x9FFF      // Han
        | 0xA960..=0xA97F      // Hangul jamo extended A
        | 0xAC00..=0xD7AF      // Hangul syllables
        | 0xF900..=0xFAFF      // Han compatibility
        | 0xFF66..=0xFF9F      // half-width katakana
        | 0x20000..=0x2FA1F) // Han extensions B and on
}

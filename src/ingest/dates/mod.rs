//! Dates as pages write them: parsing the many human and machine forms into one [`Stamp`].
//!
//! Owns date and time parsing only; deciding *which* string on a page is a date is left to the
//! callers (`meta`, `text`, `comments`).
//!
//! Written by hand rather than with a general date crate because the forms that matter here are
//! the ones saved pages carry (`8th-Mar-2018 12:00 pm (UTC)`, `12:46 pm - 03/08/2018`,
//! `Dec 13th 2018, 1:17 pm GMT`, ISO 8601 from JSON-LD), and the caller needs to know whether a
//! whole line *is* a date, which general parsers do not say. chrono does the calendar arithmetic.

use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The years a stamp may have: those ISO 8601 writes with four digits, so every stamp reads
/// back from its text (a page's "5000 years ago" or year 0 is no date of a page).
pub const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// The widest zone offset there is (UTC−12 to UTC+14, with room): a larger one is a misread.
pub const MAX_OFFSET_SECS: i32 = 18 * 3600;

/// The longest relative time read ("3 hours ago" … "200 years ago"): a larger count is no
/// time a comment system prints, and would leave the calendar.
const MAX_AGO_DAYS: i64 = 200 * 365;

/// A point in time as precise as the page gave it: a date, maybe a time, maybe a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Stamp {
    date: NaiveDate,
    time: Option<NaiveTime>,
    /// Offset east of UTC in seconds, when the page named a zone.
    offset_secs: Option<i32>,
}

impl Stamp {
    /// A stamp from its parts; `None` when the date does not exist or its year is outside
    /// [`YEARS`] (ISO 8601's four-digit years: a stamp must read back as it was written).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Stamp> {
        if !YEARS.contains(&year) {
            return None;
        }
        Some(Stamp {
            date: NaiveDate::from_ymd_opt(year, month, day)?,
            time: None,
            offset_secs: None,
        })
    }

    /// The same stamp with a time of day.
    pub fn with_time(self, time: NaiveTime) -> Stamp {
        Stamp {
            time: Some(time),
            ..self
        }
    }

    /// The same stamp with a zone, as seconds east of UTC. An offset beyond
    /// [`MAX_OFFSET_SECS`] is no real zone: the stamp keeps its own.
    pub fn with_offset(self, offset_secs: i32) -> Stamp {
        if offset_secs.abs() > MAX_OFFSET_SECS {
            return self;
        }
        Stamp {
            offset_secs: Some(offset_secs),
            ..self
        }
    }

    /// The calendar date.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The time of day, when the page gave one.
    pub fn time(&self) -> Option<NaiveTime> {
        self.time
    }

    /// The zone as seconds east of UTC, when the page gave one.
    pub fn offset_secs(&self) -> Option<i32> {
        self.offset_secs
    }

    /// This stamp moved back by `ago` (for "3 hours ago" read against a capture time); `None`
    /// when that leaves [`YEARS`].
    pub fn minus(&self, ago: Duration) -> Option<Stamp> {
        let at = NaiveDateTime::new(self.date, self.time.unwrap_or(NaiveTime::MIN))
            .checked_sub_signed(ago)?;
        YEARS.contains(&at.date().year()).then_some(Stamp {
            date: at.date(),
            time: Some(at.time()),
            offset_secs: self.offset_secs,
        })
    }

    /// Parses text that is a date and nothing else but filler words ("Posted on", weekdays,
    /// "at", a zone in parentheses). Returns `None` when any other word is left over.
    pub fn parse(text: &str) -> Option<Stamp> {
        match parse_when(text, true)? {
            When::At(s) => Some(s),
            When::Ago(_) => None,
        }
    }

    /// Reads a dateline: a date with its filler words ([`Stamp::parse`]), or one that carries
    /// its byline ([`Stamp::with_byline`]).
    pub fn dateline(text: &str) -> Option<Stamp> {
        Stamp::parse(text).or_else(|| Stamp::with_byline(text).map(|(stamp, _)| stamp))
    }

    /// Reads a date with its byline after it (`Posted on June 12, 2018 by Ann`) or before it
    /// (`Posted by Ann on June 12, 2018`); returns the date and the byline's part of `text`. A
    /// heading that only names a date (`Report on June 12, 2018`) is none.
    pub fn with_byline(text: &str) -> Option<(Stamp, &str)> {
        // The date, then the byline: the date is what stands before the byline's joiner, and
        // a name or two follow it, not a sentence.
        if let Some((start, end)) = last_of(BYLINE_JOINERS, text)
            && text[end..].split_whitespace().count() <= DATELINE_BYLINE_MAX_WORDS
            && let Some(stamp) = Stamp::parse(&text[..start])
        {
            return Some((stamp, text[start..].trim_start()));
        }
        // A byline, then the date: the date follows the last date joiner, and a byline joiner
        // stands before that.
        let (start, end) = last_of(DATE_JOINERS, text)?;
        let byline = &text[..start];
        last_of(BYLINE_JOINERS, byline)?;
        Some((Stamp::parse(&text[end..])?, byline))
    }

    /// Finds the first date in free text, ignoring words around it.
    pub fn find(text: &str) -> Option<Stamp> {
        match parse_when(text, false)? {
            When::At(s) => Some(s),
            When::Ago(_) => None,
        }
    }
}

impl fmt::Display for Stamp {
    /// ISO 8601: `2018-03-08`, `2018-03-08T12:46:00`, `2018-03-08T12:00:00Z`, `…+09:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date.format("%Y-%m-%d"))?;
        let Some(t) = self.time else {
            return Ok(());
        };
        write!(f, "T{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())?;
        match self.offset_secs {
            None => Ok(()),
            Some(0) => write!(f, "Z"),
            Some(o) => {
                let sign = if o < 0 { '-' } else { '+' };
                let o = o.abs();
                write!(f, "{sign}{:02}:{:02}", o / 3600, (o % 3600) / 60)
            }
        }
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Stamp, D::Error> {
        let s = String::deserialize(d)?;
        parse_iso(s.trim())
            .map(|(stamp, _)| stamp)
            .ok_or_else(|| serde::de::Error::custom(format!("not an ISO 8601 date: {s}")))
    }
}

/// What a date string said: a point in time, or a time relative to when the page was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// An absolute date.
    At(Stamp),
    /// "3 hours ago", "yesterday": this long before the page was loaded.
    Ago(Duration),
}

impl When {
    /// The point in time: an absolute date as it is, a relative one counted back from the
    /// capture (none without a capture time).
    pub fn stamp(self, captured: Option<Stamp>) -> Option<Stamp> {
        match self {
            When::At(s) => Some(s),
            When::Ago(d) => captured.and_then(|c| c.minus(d)),
        }
    }
}

/// Words that join a dateline to its byline, spaces around (`Posted on June 12, 2018 by Ann`).
const BYLINE_JOINERS: &[&str] = &[" by ", " von ", " par ", " por ", " door ", " di "];

/// Most words of the byline after a dateline's date (`by Ann Lee and Bo Chen`).
const DATELINE_BYLINE_MAX_WORDS: usize = 6;

/// Words that join a byline to its date, spaces around (`Posted by Ann on June 12, 2018`,
/// `von Ann am 12.06.2018`).
const DATE_JOINERS: &[&str] = &[" on ", " am ", " le ", " el ", " il ", " op "];

/// The byte range of the last of `joiners` (ASCII, lower case) in `hay`, ignoring ASCII case.
fn last_of(joiners: &[&str], hay: &str) -> Option<(usize, usize)> {
    joiners
        .iter()
        .filter_map(|j| rfind_ascii_caseless(hay, j))
        .max_by_key(|&(start, _)| start)
}

/// The byte range of the last occurrence of `needle` (ASCII, lower case) in `hay`, ignoring
/// ASCII case; a leading space of `needle` also matches the start of `hay` (`by Ann` holds
/// ` by `). An ASCII needle never matches inside a multi-byte character, so the range always
/// falls on character boundaries.
fn rfind_ascii_caseless(hay: &str, needle: &str) -> Option<(usize, usize)> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let inside = h
        .len()
        .checked_sub(n.len())
        .and_then(|last| {
            (0..=last)
                .rev()
                .find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
        })
        .map(|i| (i, i + n.len()));
    inside.or_else(|| {
        let word = n.strip_prefix(b" ")?;
        h.get(..word.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(word))
            .then_some((0, word.len()))
    })
}

/// Parses a date, a relative time ("2 days ago"), or nothing. With `whole`, every word of
/// `text` must belong to the date or be filler; otherwise the first date found wins.
pub fn parse_when(text: &str, whole: bool) -> Option<When> {
    let text = text.trim();
    if text.is_empty() || text.len() > 120 && whole {
        return None;
    }
    if let Some((stamp, rest)) = parse_iso(text) {
        // `2018-03-08 02:19 pm (UTC)`: an am/pm or a zone after the time belongs to the date,
        // so such text goes to the token reader below.
        let rest_toks = tokenize(rest);
        let qualifies_time = stamp.time().is_some()
            && matches!(rest_toks.first(), Some(Tok::Word(w)) if w == "am" || w == "pm" || w == "a" || w == "p" || zone_offset(w).is_some());
        if !qualifies_time && (!whole || rest.trim().is_empty() || only_filler(&rest_toks)) {
            return Some(When::At(stamp));
        }
    }
    let toks = tokenize(text);
    if let Some(ago) = parse_relative(&toks, whole) {
        return Some(When::Ago(ago));
    }
    parse_tokens(&toks, whole).map(When::At)
}

/// ISO 8601 / RFC 3339 at the start of `s`: `2018-03-08`, `2018-03-08T12:46:00.123+09:00`,
/// `2018-03-08 12:46`. Returns the stamp and what follows it.
pub fn parse_iso(s: &str) -> Option<(Stamp, &str)> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<u32> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let year = num(0, 4)?;
    let (month, day, mut i) = if b.get(4) == Some(&b'-') {
        (
            num(5, 2)?,
            num(8, 2).filter(|_| b.get(7) == Some(&b'-'))?,
            10,
        )
    } else {
        // Compact form 20180308 is rare on pages and ambiguous with other numbers: not read.
        return None;
    };
    let mut stamp = Stamp::new(year as i32, month, day)?;
    if matches!(b.get(i), Some(b'T') | Some(b't') | Some(b' ')) && b.get(i + 3) == Some(&b':') {
        let (h, m) = (num(i + 1, 2)?, num(i + 4, 2)?);
        i += 6;
        let mut sec = 0;
        if b.get(i) == Some(&b':') {
            sec = num(i + 1, 2)?;
            i += 3;
            if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
                i += 1;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
        }
        stamp = stamp.with_time(NaiveTime::from_hms_opt(h, m, sec.min(59))?);
        match b.get(i) {
            Some(b'Z') | Some(b'z') => {
                stamp = stamp.with_offset(0);
                i += 1;
            }
            Some(&sign @ (b'+' | b'-')) => {
                let oh = num(i + 1, 2)?;
                let (om, len) = if b.get(i + 3) == Some(&b':') {
                    (num(i + 4, 2)?, 6)
                } else {
                    (
                        num(i + 3, 2).unwrap_or(0),
                        if num(i + 3, 2).is_some() { 5 } else { 3 },
                    )
                };
                let secs = (oh * 3600 + om * 60) as i32;
                stamp = stamp.with_offset(if sign == b'-' { -secs } else { secs });
                i += len;
            }
            _ => {}
        }
    }
    Some((stamp, s.get(i..)?))
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A run of digits: its value and how many digits it had.
    Num(u32, usize),
    /// A run of letters, lower-cased.
    Word(String),
    /// Punctuation that can separate date parts.
    Sep(char),
}

fn tokenize(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut v: u64 = 0;
            let mut n = 0;
            while let Some(&d) = chars.peek() {
                let Some(dv) = d.to_digit(10).filter(|_| d.is_ascii_digit()) else {
                    break;
                };
                v = (v * 10 + u64::from(dv)).min(u64::from(u32::MAX));
                n += 1;
                chars.next();
            }
            out.push(Tok::Num(v as u32, n));
        } else if c.is_alphabetic() {
            let mut w = String::new();
            while let Some(&d) = chars.peek() {
                if !d.is_alphabetic() {
                    break;
                }
                w.extend(d.to_lowercase());
                chars.next();
            }
            out.push(Tok::Word(w));
        } else {
            if !c.is_whitespace() {
                out.push(Tok::Sep(c));
            }
            chars.next();
        }
    }
    out
}

/// Month names and abbreviations in the languages saved pages most often come in.
fn month_number(w: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &[
            "january",
            "jan",
            "januar",
            "janvier",
            "janv",
            "enero",
            "ene",
            "gennaio",
            "gen",
            "janeiro",
            "januari",
            "jänner",
            "stycznia",
            "января",
        ],
        &[
            "february",
            "feb",
            "februar",
            "février",
            "fevrier",
            "févr",
            "fév",
            "febrero",
            "febbraio",
            "fevereiro",
            "fev",
            "februari",
            "lutego",
            "февраля",
        ],
        &[
            "march",
            "mar",
            "märz",
            "maerz",
            "mars",
            "marzo",
            "março",
            "marco",
            "maart",
            "mrt",
            "marca",
            "марта",
        ],
        &[
            "april",
            "apr",
            "avril",
            "avr",
            "abril",
            "abr",
            "aprile",
            "kwietnia",
            "апреля",
        ],
        &[
            "may", "mai", "mayo", "maggio", "mag", "maio", "mei", "maja", "мая",
        ],
        &[
            "june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho", "czerwca", "июня",
        ],
        &[
            "july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "lipca",
            "июля",
        ],
        &[
            "august",
            "aug",
            "août",
            "aout",
            "agosto",
            "ago",
            "augustus",
            "sierpnia",
            "августа",
        ],
        &[
            "september",
            "sep",
            "sept",
            "septembre",
            "septiembre",
            "settembre",
            "set",
            "setembro",
            "września",
            "сентября",
        ],
        &[
            "october",
            "oct",
            "oktober",
            "okt",
            "octobre",
            "octubre",
            "ottobre",
            "ott",
            "outubro",
            "out",
            "października",
            "октября",
        ],
        &[
            "november",
            "nov",
            "novembre",
            "noviembre",
            "novembro",
            "listopada",
            "ноября",
        ],
        &[
            "december",
            "dec",
            "dezember",
            "dez",
            "décembre",
            "decembre",
            "déc",
            "diciembre",
            "dic",
            "dicembre",
            "dezembro",
            "grudnia",
            "декабря",
        ],
    ];
    MONTHS
        .iter()
        .position(|names| names.contains(&w))
        .map(|i| i as u32 + 1)
}

/// Words that may stand around a date without making the text something other than a date.
fn is_filler(w: &str) -> bool {
    const FILLER: &[&str] = &[
        "at",
        "on",
        "posted",
        "published",
        "written",
        "updated",
        "last",
        "modified",
        "edited",
        "date",
        "the",
        "of",
        "de",
        "del",
        "le",
        "am",
        "um",
        "uhr",
        "à",
        "a",
        "h",
        "on",
        "and",
        "in",
        "dated",
        "created",
        "written",
        "originally",
        "submitted",
        "el",
        "il",
        "den",
        "der",
        "op",
        "o",
        "gepostet",
        "veröffentlicht",
        "aktualisiert",
        "publié",
        "publicado",
        "pubblicato",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
        "domingo",
        "st",
        "nd",
        "rd",
        "th",
        "er",
        "time",
        "today",
    ];
    FILLER.contains(&w)
}

fn only_filler(toks: &[Tok]) -> bool {
    toks.iter().all(|t| match t {
        Tok::Word(w) => is_filler(w) || zone_offset(w).is_some(),
        Tok::Sep(_) => true,
        Tok::Num(..) => false,
    })
}

/// Zone abbreviations pages print, as seconds east of UTC. Ambiguous ones (IST, CST in Asia)
/// are read the way English-language pages mostly mean them.
fn zone_offset(w: &str) -> Option<i32> {
    let h = match w {
        "utc" | "gmt" | "z" | "wet" => 0,
        "bst" | "cet" | "mez" | "wat" => 1,
        "cest" | "mesz" | "eet" | "sast" => 2,
        "eest" | "msk" => 3,
        "est" => -5,
        "edt" | "cdt" => {
            return Some(if w == "edt" { -4 * 3600 } else { -5 * 3600 });
        }
        "cst" => -6,
        "mst" => -7,
        "mdt" => -6,
        "pst" => -8,
        "pdt" => -7,
        "kst" | "jst" => 9,
        "hkt" | "sgt" | "awst" => 8,
        "aest" => 10,
        "aedt" => 11,
        "ist" => {
            return Some(5 * 3600 + 1800);
        }
        _ => return None,
    };
    Some(h * 3600)
}

fn parse_relative(toks: &[Tok], whole: bool) -> Option<Duration> {
    // "3 hours ago", "a day ago", "yesterday", "just now", "vor 3 Stunden", "il y a 2 jours".
    let words: Vec<&str> = toks
        .iter()
        .filter_map(|t| match t {
            Tok::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect();
    if whole && words.len() + toks.iter().filter(|t| matches!(t, Tok::Num(..))).count() > 5 {
        return None;
    }
    if words.len() <= 3
        && words
            .iter()
            .any(|w| *w == "yesterday" || *w == "gestern" || *w == "hier")
    {
        return Some(Duration::days(1));
    }
    if words.len() <= 3 && words.windows(2).any(|p| p == ["just", "now"]) {
        return Some(Duration::zero());
    }
    // A relative time says "ago" (or "vor …", "hace …").
    if !words.iter().any(|w| matches!(*w, "ago" | "vor" | "hace")) {
        return None;
    }
    let mut n: Option<i64> = None;
    for t in toks {
        match t {
            Tok::Num(v, _) => n = Some(i64::from(*v)),
            Tok::Word(w) if w == "a" || w == "an" || w == "one" || w == "einem" || w == "einer" => {
                n = n.or(Some(1))
            }
            Tok::Word(w) => {
                let unit = match w.trim_end_matches('s') {
                    "sec" | "second" | "sekunde" | "sekunden" | "segundo" => Duration::seconds(1),
                    "m" | "min" | "minute" | "minuten" | "minuto" => Duration::minutes(1),
                    "h" | "hour" | "hr" | "stunde" | "stunden" | "hora" => Duration::hours(1),
                    "d" | "day" | "tag" | "tagen" | "día" | "dia" => Duration::days(1),
                    "w" | "week" | "wk" | "woche" | "wochen" | "semana" => Duration::weeks(1),
                    "month" | "monat" | "monaten" | "mes" | "mese" => Duration::days(30),
                    "y" | "year" | "yr" | "jahr" | "jahren" | "año" | "ano" => Duration::days(365),
                    _ => continue,
                };
                // Checked: a count of any size is an input, not an invariant.
                let ago = unit.checked_mul(i32::try_from(n?).ok()?)?;
                return (ago.num_days() <= MAX_AGO_DAYS).then_some(ago);
            }
            _ => {}
        }
    }
    None
}

/// The token-level date reader: one date (numeric or with a month name), one optional time of
/// day with am/pm, one optional zone; with `whole`, nothing else but filler.
fn parse_tokens(toks: &[Tok], whole: bool) -> Option<Stamp> {
    let mut date: Option<(i32, u32, u32)> = None;
    let mut time: Option<NaiveTime> = None;
    let mut offset: Option<i32> = None;
    let mut i = 0;
    let n = toks.len();
    let num = |i: usize| match toks.get(i) {
        Some(Tok::Num(v, d)) => Some((*v, *d)),
        _ => None,
    };
    let sep = |i: usize| match toks.get(i) {
        Some(Tok::Sep(c)) => Some(*c),
        _ => None,
    };
    let word = |i: usize| match toks.get(i) {
        Some(Tok::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    while i < n {
        // Time of day: H:MM[:SS] [am|pm|a.m.]
        if time.is_none()
            && let (Some((h, _)), Some(':'), Some((m, 2))) = (num(i), sep(i + 1), num(i + 2))
        {
            let mut j = i + 3;
            let mut s = 0;
            if let (Some(':'), Some((sv, 2))) = (sep(j), num(j + 1)) {
                s = sv;
                j += 2;
            }
            let mut h = h;
            match (word(j), sep(j + 1), word(j + 2)) {
                (Some("am"), ..) | (Some("a"), Some('.'), Some("m")) => {
                    if h == 12 {
                        h = 0;
                    }
                    j += if word(j) == Some("am") { 1 } else { 3 };
                }
                (Some("pm"), ..) | (Some("p"), Some('.'), Some("m")) => {
                    if h < 12 {
                        h += 12;
                    }
                    j += if word(j) == Some("pm") { 1 } else { 3 };
                }
                _ => {}
            }
            if sep(j) == Some('.') {
                j += 1;
            }
            if let Some(t) = NaiveTime::from_hms_opt(h, m, s.min(59)) {
                time = Some(t);
                i = j;
                // A numeric zone right after the time: +0900, -05:00
                if let (Some(c @ ('+' | '-')), Some((z, 4))) = (sep(i), num(i + 1)) {
                    let secs = ((z / 100) * 3600 + (z % 100) * 60) as i32;
                    offset = Some(if c == '-' { -secs } else { secs });
                    i += 2;
                }
                continue;
            }
        }
        if date.is_none() {
            if let Some((d, used)) = numeric_date(toks, i) {
                date = Some(d);
                i += used;
                continue;
            }
            if let Some((d, used)) = named_month_date(toks, i) {
                date = Some(d);
                i += used;
                continue;
            }
        }
        match &toks[i] {
            Tok::Word(w) => {
                if let Some(z) = zone_offset(w) {
                    if offset.is_none() && (time.is_some() || date.is_some()) {
                        offset = Some(z);
                        // "GMT+9", "UTC-05:00"
                        if let (Some(c @ ('+' | '-')), Some((h, 1..=2))) = (sep(i + 1), num(i + 2))
                        {
                            let secs = (h * 3600) as i32;
                            offset = Some(z + if c == '-' { -secs } else { secs });
                            i += 2;
                            if let (Some(':'), Some((m, 2))) = (sep(i + 1), num(i + 2)) {
                                let extra = (m * 60) as i32;
                                offset =
                                    offset.map(|o| if c == '-' { o - extra } else { o + extra });
                                i += 2;
                            }
                        }
                    }
                } else if whole && !is_filler(w) {
                    return None;
                }
            }
            Tok::Num(..) => {
                if whole {
                    return None;
                }
            }
            Tok::Sep(_) => {}
        }
        i += 1;
        if !whole && date.is_some() && time.is_some() {
            // A zone right after the time still belongs to it: `2:19 pm (UTC)`.
            let mut j = i;
            while matches!(toks.get(j), Some(Tok::Sep(_))) {
                j += 1;
            }
            if let (None, Some(Tok::Word(w))) = (offset, toks.get(j)) {
                offset = zone_offset(w);
            }
            break;
        }
    }
    let (y, m, d) = date?;
    let mut stamp = Stamp::new(y, m, d)?;
    if let Some(t) = time {
        stamp = stamp.with_time(t);
        if let Some(o) = offset {
            stamp = stamp.with_offset(o);
        }
    }
    Some(stamp)
}

fn full_year(y: u32, digits: usize) -> Option<i32> {
    match digits {
        4 if (1900..=2100).contains(&y) => Some(y as i32),
        2 => Some(if y < 70 {
            2000 + y as i32
        } else {
            1900 + y as i32
        }),
        _ => None,
    }
}

/// `2018-03-08`, `2018/3/8`, `03/08/2018` (month first unless impossible), `08.03.2018`
/// (day first, as dotted dates always are), `8/3/18`.
fn numeric_date(toks: &[Tok], i: usize) -> Option<((i32, u32, u32), usize)> {
    let (Tok::Num(a, ad), Tok::Sep(s1), Tok::Num(b, bd), Tok::Sep(s2), Tok::Num(c, cd)) = (
        toks.get(i)?,
        toks.get(i + 1)?,
        toks.get(i + 2)?,
        toks.get(i + 3)?,
        toks.get(i + 4)?,
    ) else {
        return None;
    };
    if s1 != s2 || !matches!(s1, '/' | '-' | '.') || *bd > 2 {
        return None;
    }
    let ymd = if *ad == 4 {
        (full_year(*a, 4)?, *b, *c)
    } else if *ad <= 2 {
        let y = full_year(*c, *cd)?;
        if *s1 == '.' || *a > 12 {
            (y, *b, *a)
        } else {
            (y, *a, *b)
        }
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(ymd.0, ymd.1, ymd.2)?;
    Some((ymd, 5))
}

/// `8th-Mar-2018`, `Dec 13th 2018`, `March 8, 2018`, `8 March 2018`, `13. Dezember 2018`,
/// `8 de marzo de 2018`, `March 2018` is not a date (no day).
fn named_month_date(toks: &[Tok], i: usize) -> Option<((i32, u32, u32), usize)> {
    let is_skip = |t: &Tok| match t {
        Tok::Sep(c) => matches!(c, '-' | '.' | ',' | '/'),
        Tok::Word(w) => matches!(w.as_str(), "st" | "nd" | "rd" | "th" | "de" | "of" | "er"),
        Tok::Num(..) => false,
    };
    // Day before month.
    if let Some(Tok::Num(d, dd)) = toks.get(i)
        && *dd <= 2
        && (1..=31).contains(d)
    {
        let mut j = i + 1;
        while toks.get(j).is_some_and(is_skip) {
            j += 1;
        }
        if let Some(Tok::Word(w)) = toks.get(j)
            && let Some(m) = month_number(w)
        {
            j += 1;
            while toks.get(j).is_some_and(is_skip) {
                j += 1;
            }
            if let Some(Tok::Num(y, yd)) = toks.get(j)
                && let Some(y) = full_year(*y, *yd).filter(|_| *yd == 4 || j > i + 2)
            {
                NaiveDate::from_ymd_opt(y, m, *d)?;
                return Some(((y, m, *d), j + 1 - i));
            }
        }
    }
    // Month before day.
    if let Some(Tok::Word(w)) = toks.get(i) {
        let m = month_number(w)?;
        let mut j = i + 1;
        while toks.get(j).is_some_and(is_skip) {
            j += 1;
        }
        let Some(Tok::Num(d, dd)) = toks.get(j) else {
            return None;
        };
        if *dd > 2 || !(1..=31).contains(d) {
            return None;
        }
        j += 1;
        while toks.get(j).is_some_and(is_skip) {
            j += 1;
        }
        if let Some(Tok::Num(y, 4)) = toks.get(j) {
            let y = full_year(*y, 4)?;
            NaiveDate::from_ymd_opt(y, m, *d)?;
            return Some(((y, m, *d), j + 1 - i));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        Stamp::parse(s).map(|s| s.to_string()).unwrap_or_default()
    }

    #[test]
    fn reads_livejournal_comment_times() {
        assert_eq!(iso("8th-Mar-2018 12:00 pm (UTC)"), "2018-03-08T12:00:00Z");
        assert_eq!(iso("9th-Mar-2018 04:10 am (UTC)"), "2018-03-09T04:10:00Z");
        assert_eq!(iso("2018-03-08 03:38 pm (UTC)"), "2018-03-08T15:38:00Z");
        assert_eq!(
            Stamp::find("2018-03-08 02:19 pm (UTC)")
                .unwrap()
                .to_string(),
            "2018-03-08T14:19:00Z"
        );
    }

    #[test]
    fn slash_dates_are_month_first_unless_impossible() {
        assert_eq!(iso("12:46 pm - 03/08/2018"), "2018-03-08T12:46:00");
        assert_eq!(iso("25/12/2018"), "2018-12-25");
        assert_eq!(iso("08.03.2018"), "2018-03-08");
    }

    #[test]
    fn reads_english_and_other_month_names() {
        assert_eq!(iso("Dec 13th 2018, 1:17 pm GMT"), "2018-12-13T13:17:00Z");
        assert_eq!(iso("March 8, 2018"), "2018-03-08");
        assert_eq!(iso("Wednesday, November 20, 2019"), "2019-11-20");
        assert_eq!(iso("13. Dezember 2018"), "2018-12-13");
        assert_eq!(iso("8 de marzo de 2018"), "2018-03-08");
        assert_eq!(
            iso("Updated 1:39 am EST, Wednesday, November 20, 2019"),
            "2019-11-20T01:39:00-05:00"
        );
    }

    #[test]
    fn reads_iso_8601() {
        assert_eq!(iso("2018-03-08T12:46:00Z"), "2018-03-08T12:46:00Z");
        assert_eq!(
            iso("2018-03-08T12:46:00.000+09:00"),
            "2018-03-08T12:46:00+09:00"
        );
        assert_eq!(iso("2018-03-08"), "2018-03-08");
    }

    #[test]
    fn text_with_other_words_is_not_a_date() {
        assert_eq!(
            Stamp::parse("BTS Continues To Write Gaon Chart History 2018"),
            None
        );
        assert_eq!(Stamp::parse("The Billboard 200 chart"), None);
        assert_eq!(Stamp::parse("March 2018"), None);
        assert!(Stamp::find("It was posted on March 8, 2018 by admin").is_some());
    }

    #[test]
    fn datelines_are_read_with_their_bylines_and_headings_are_not() {
        let day = |t: &str| Stamp::dateline(t).map(|s| s.to_string());
        assert_eq!(
            day("Written on 12 June 2018").as_deref(),
            Some("2018-06-12")
        );
        assert_eq!(
            day("Posted on June 12, 2018 by Ann Lee").as_deref(),
            Some("2018-06-12")
        );
        assert_eq!(
            day("Posted by Ann Lee on June 12, 2018").as_deref(),
            Some("2018-06-12")
        );
        assert_eq!(
            day("Veröffentlicht am 16.08.2019 von Anna Weber").as_deref(),
            Some("2019-08-16")
        );
        assert_eq!(
            day("von Anna Weber am 16.08.2019").as_deref(),
            Some("2019-08-16")
        );
        // A date in a heading or a sentence is no dateline.
        assert_eq!(day("Report on June 12, 2018"), None);
        assert_eq!(day("The vote on June 12, 2018 was close"), None);
        assert_eq!(day("Photos by Ann Lee"), None);
        assert_eq!(day("Posted by Ann Lee"), None);
        assert_eq!(
            day(
                "Published on June 12, 2018 by the council, whose report found that the bridge was unsafe"
            ),
            None
        );
        // Offsets stay on character boundaries whatever the text holds around the joiner.
        assert_eq!(
            day("12.06.2018 VON İİİ Ärger").as_deref(),
            Some("2018-06-12")
        );
        assert_eq!(rfind_ascii_caseless("ä by İ BY x", " by "), Some((8, 12)));
        assert_eq!(rfind_ascii_caseless("by", " by "), None);
        assert_eq!(rfind_ascii_caseless("By Ann", " by "), Some((0, 3)));
        assert_eq!(rfind_ascii_caseless("İ", " by "), None);
    }

    #[test]
    fn reads_relative_times() {
        assert_eq!(
            parse_when("3 hours ago", true),
            Some(When::Ago(Duration::hours(3)))
        );
        assert_eq!(
            parse_when("a day ago", true),
            Some(When::Ago(Duration::days(1)))
        );
        assert_eq!(
            parse_when("yesterday", true),
            Some(When::Ago(Duration::days(1)))
        );
    }

    #[test]
    fn round_trips_through_json() {
        let s = Stamp::parse("2018-03-08T12:46:00+09:00").unwrap();
        let j = serde_json::to_string(&s).unwrap();
        assert_eq!(j, "\"2018-03-08T12:46:00+09:00\"");
        assert_eq!(serde_json::from_str::<Stamp>(&j).unwrap(), s);
    }
}

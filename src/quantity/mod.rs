//! Japanese numbers and dates as drafts write them, parsed once for every reader: values with
//! units (「1兆2,345億円」, 「約3,000人」, 「55.2％」), eras (平成26年度, H26, 令和元年) and the
//! indicator texts of KPI columns (「…：120人（H26）→150人（H31）」).
//!
//! Every reader takes untrusted draft text and never panics: what cannot be read comes back as
//! a [`Problem`] naming the part and where it sits (byte ranges of the text given, always on
//! char boundaries). Values are exact decimals ([`Decimal`]), never floats: 「60.0%」 keeps its
//! written decimal, 「2.5万」 is 25000 exactly.
//!
//! - [`parse_value`]: one value with its unit, bound and approximation (number.rs);
//! - [`parse_when`]: a fiscal year, year or month in Gregorian or era form (when.rs);
//! - [`parse_observation`]: a value with its date, 「55.2%（平成26年度）」 (observation.rs);
//! - [`parse_indicator`]: a whole indicator written in one cell (indicator.rs);
//! - [`spreadsheet_number`]: a number cell read with its number format code (excel.rs).

use rust_decimal::Decimal;
use std::fmt;
use std::ops::Range;

mod excel;
mod indicator;
mod number;
mod observation;
mod when;

pub use excel::{CellNumber, spreadsheet_number};
pub use indicator::{ParsedIndicator, parse_indicator};
pub use number::{Value, parse_value};
pub use observation::{ParsedObservation, parse_observation};
pub use when::parse_when;

/// The eras of the modern calendar: name, abbreviation letter, first day (Gregorian y, m, d).
pub const ERAS: &[(&str, char, (u16, u8, u8))] = &[
    ("明治", 'M', (1868, 10, 23)),
    ("大正", 'T', (1912, 7, 30)),
    ("昭和", 'S', (1926, 12, 25)),
    ("平成", 'H', (1989, 1, 8)),
    ("令和", 'R', (2019, 5, 1)),
];

/// The era and its year in effect on the last day of `month` of Gregorian `year`, as written
/// in documents: 「平成26」, 「令和元」. None before the Gregorian calendar was adopted (1873).
pub fn era_of(year: u16, month: u8) -> Option<String> {
    if year < 1873 || !(1..=12).contains(&month) {
        return None;
    }
    let last_day = crate::model::Date::new(year, month, 31)
        .or_else(|| crate::model::Date::new(year, month, 30))
        .or_else(|| crate::model::Date::new(year, month, 29))
        .or_else(|| crate::model::Date::new(year, month, 28))?;
    let (name, _, (start, _, _)) = ERAS
        .iter()
        .rev()
        .find(|(_, _, (y, m, d))| (*y, *m, *d) <= (last_day.year, last_day.month, last_day.day))?;
    let n = year - start + 1;
    Some(if n == 1 {
        format!("{name}元")
    } else {
        format!("{name}{n}")
    })
}

/// Serde for an optional [`Decimal`] as a plain JSON number (`55.2`, `150`), read back exactly
/// for the up to 15 significant digits drafts hold.
pub mod serde_decimal {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::str::FromStr;

    /// Write the value as a JSON number: an integer when written without a fraction, else the
    /// shortest float that reads back as the same decimal (`60.0` stays `60.0`).
    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        let Some(d) = v else {
            return s.serialize_none();
        };
        if d.scale() == 0
            && let Ok(i) = i64::try_from(*d)
        {
            return s.serialize_i64(i);
        }
        let f: f64 = d
            .to_string()
            .parse()
            .map_err(|_| serde::ser::Error::custom(format!("{d} is not a number")))?;
        s.serialize_f64(f)
    }

    /// Read a JSON number (integer or float) as a decimal through its shortest text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        let v = Option::<serde_json::Number>::deserialize(d)?;
        v.map(|n| {
            let text = n.to_string();
            Decimal::from_str(&text)
                .or_else(|_| Decimal::from_scientific(&text))
                .map_err(|e| serde::de::Error::custom(format!("{text}: {e}")))
        })
        .transpose()
    }
}

/// The decimal written as plain text, trailing zeros kept as the draft wrote them (`60.0`).
pub fn decimal_text(d: Decimal) -> String {
    d.to_string()
}

/// How a bare year (「H26」「2014」「平成26」 with neither 年 nor 年度) is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum YearKind {
    /// As a fiscal year (年度), as KPI tables mostly mean it.
    Fiscal,
    /// As a calendar year (年).
    Calendar,
}

/// Something in a text that could not be read, with where it sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// What kind of problem it is.
    pub kind: ProblemKind,
    /// The byte range of the offending part in the text given (on char boundaries).
    pub span: Range<usize>,
    /// One sentence in Japanese naming the offending part, e.g. 「「増加」は数値ではありません」.
    pub ja: String,
    /// The same sentence in English, e.g. `"増加" is not a number`.
    pub en: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for Problem {}

/// The kinds of [`Problem`], one for each diagnostic the normalizer reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// No indicator shape: no value found at all (K119).
    Unreadable,
    /// A value part that is not a number: 「増加」, 「100～120人」, or a date with no value (K120).
    NotANumber,
    /// A date part that cannot be read: 「27年度」 (no era), 「平成0年」, 「13月」, 「令和元年4月」 (K121).
    BadDate,
    /// The baseline and the target are in different units (K126).
    UnitMismatch,
}

/// The longest observation (value and date) looked for, in bytes: nothing real comes near it,
/// and it bounds the work on long texts.
const MAX_OBSERVATION: usize = 240;

/// A text with full-width ASCII folded to ASCII (「１，２３４％」 is read as `1,234%`), every
/// kind of space folded to `' '` and minus-like signs to `-`, one char for one char, so that
/// every position maps back to a char boundary of the original.
struct Norm<'a> {
    /// The text as given.
    src: &'a str,
    /// The folded text.
    s: String,
    /// For each byte of `s` (and its end), the byte offset in `src` of the char it comes from.
    map: Vec<usize>,
}

impl<'a> Norm<'a> {
    fn new(src: &'a str) -> Norm<'a> {
        let mut s = String::with_capacity(src.len());
        let mut map = Vec::with_capacity(src.len() + 1);
        for (i, c) in src.char_indices() {
            let before = s.len();
            s.push(fold(c));
            map.resize(map.len() + (s.len() - before), i);
        }
        map.push(src.len());
        Norm { src, s, map }
    }

    /// The whole folded text.
    fn all(&self) -> Range<usize> {
        0..self.s.len()
    }

    /// The folded text of a range (empty if the range is not one).
    fn sl(&self, r: Range<usize>) -> &str {
        self.s.get(r).unwrap_or("")
    }

    /// The range in the original text of a range of the folded text.
    fn orig(&self, r: Range<usize>) -> Range<usize> {
        let at = |i: usize| self.map.get(i).copied().unwrap_or(self.src.len());
        let (start, end) = (at(r.start), at(r.end));
        start..end.max(start)
    }

    /// The original text of a range of the folded text.
    fn text(&self, r: Range<usize>) -> &'a str {
        self.src.get(self.orig(r)).unwrap_or("")
    }

    /// The range without spaces at either end.
    fn trim(&self, r: Range<usize>) -> Range<usize> {
        let s = self.sl(r.clone());
        let start = r.start + (s.len() - s.trim_start_matches(' ').len());
        let end = r.start + s.trim_end_matches(' ').len();
        start..end.max(start)
    }

    /// The range without the given chars (and spaces) at its end.
    fn trim_end_chars(&self, r: Range<usize>, chars: &[char]) -> Range<usize> {
        let r = self.trim(r);
        let s = self.sl(r.clone());
        let kept = s.trim_end_matches(|c: char| c == ' ' || chars.contains(&c));
        r.start..r.start + kept.len()
    }

    /// The range without the given chars (and spaces) at its start.
    fn trim_start_chars(&self, r: Range<usize>, chars: &[char]) -> Range<usize> {
        let r = self.trim(r);
        let s = self.sl(r.clone());
        let kept = s.trim_start_matches(|c: char| c == ' ' || chars.contains(&c));
        r.start + (s.len() - kept.len())..r.end
    }

    /// A problem over a range of the folded text.
    fn problem(&self, kind: ProblemKind, r: Range<usize>, ja: String, en: String) -> Problem {
        Problem {
            kind,
            span: self.orig(r),
            ja,
            en,
        }
    }
}

/// One char as the readers see it: full-width ASCII as ASCII, spaces as `' '`, minus signs as
/// `-`, wave dashes as `~`.
fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{2212}' | '\u{FE63}' => '-',
        '\u{301C}' | '\u{223C}' | '\u{02DC}' => '~',
        '\u{200B}' | '\u{FEFF}' => ' ',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

/// A dash that stands for "no value" when alone: ―, －, -, —, ‐, ー, –.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{2500}'
            | '\u{30FC}'
            | '\u{FF70}'
    )
}

/// A sign before a number: + and - (folded from ＋ － −), ▲ and △ (negative), ±.
fn is_sign(c: char) -> bool {
    matches!(c, '+' | '-' | '▲' | '△' | '±')
}

/// The brackets dates are written in, folded: () [] 〔〕 【】.
const BRACKETS: &[(char, char)] = &[('(', ')'), ('[', ']'), ('〔', '〕'), ('【', '】')];

/// The closing bracket of an opening one.
fn closing(open: char) -> Option<char> {
    BRACKETS.iter().find(|(o, _)| *o == open).map(|(_, c)| *c)
}

/// The opening bracket of a closing one.
fn opening(close: char) -> Option<char> {
    BRACKETS.iter().find(|(_, c)| *c == close).map(|(o, _)| *o)
}

/// Where the bracket opened at byte `at` of `s` closes (the byte of the closing bracket).
fn matching_close(s: &str, at: usize) -> Option<usize> {
    let open = s.get(at..)?.chars().next()?;
    let close = closing(open)?;
    let mut depth = 0usize;
    for (i, c) in s.get(at..)?.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return Some(at + i);
            }
        }
    }
    None
}

/// Where the bracket closed at byte `at` of `s` opens (the byte of the opening bracket).
fn matching_open(s: &str, at: usize) -> Option<usize> {
    let close = s.get(at..)?.chars().next()?;
    let open = opening(close)?;
    let mut depth = 0usize;
    for (i, c) in s.get(..at + close.len_utf8())?.char_indices().rev() {
        if c == close {
            depth += 1;
        } else if c == open {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// The words that make a value approximate when written before it.
const APPROX: &[&str] = &["約", "およそ", "概ね", "おおむね"];

/// The words before a value that make it a yearly or monthly count (「年間12件」 is 12 件/年).
const PER: &[(&str, &str)] = &[
    ("年間", "/年"),
    ("毎年", "/年"),
    ("月間", "/月"),
    ("毎月", "/月"),
];

/// Arrows between a baseline and a target.
const ARROWS: &[&str] = &["→", "⇒", "➡", "➔", "⟶", "⇨", "➜", "➝", "➞", "⟹", "->", "=>"];

/// The first arrow in `s`: its start and end bytes.
fn find_arrow(s: &str) -> Option<(usize, usize)> {
    ARROWS
        .iter()
        .filter_map(|a| s.find(a).map(|i| (i, i + a.len())))
        .min()
}

/// The last arrow in `s`: its start and end bytes.
fn rfind_arrow(s: &str) -> Option<(usize, usize)> {
    ARROWS
        .iter()
        .filter_map(|a| s.rfind(a).map(|i| (i, i + a.len())))
        .max()
}

/// The era written at the start of `s` (name or abbreviation letter, with the abbreviation's
/// optional dot), as (index in [`ERAS`], bytes it takes); a letter only counts before a digit
/// or 元.
fn era_prefix(s: &str) -> Option<(usize, usize)> {
    for (i, (name, letter, _)) in ERAS.iter().enumerate() {
        if s.starts_with(name) {
            return Some((i, name.len()));
        }
        let mut chars = s.chars();
        if chars.next().is_some_and(|c| c.eq_ignore_ascii_case(letter)) {
            let rest = chars.as_str();
            let (rest, dot) = match rest.strip_prefix('.') {
                Some(r) => (r, 1),
                None => (rest, 0),
            };
            if rest.starts_with(|c: char| c.is_ascii_digit() || c == '元') {
                return Some((i, 1 + dot));
            }
        }
    }
    None
}

/// `d` times 10^`k` exactly, with no more decimals than it needs (2.5 × 10⁴ is 25000, 0.78 ×
/// 10² is 78); None on overflow.
fn shift10(d: Decimal, k: i32) -> Option<Decimal> {
    let scale = d.scale();
    if k >= 0 {
        let k = k.unsigned_abs();
        if scale >= k {
            let mut out = d;
            out.set_scale(scale - k).ok()?;
            Some(out)
        } else {
            let m = d.mantissa().checked_mul(10i128.checked_pow(k - scale)?)?;
            Decimal::try_from_i128_with_scale(m, 0).ok()
        }
    } else {
        let mut out = d;
        out.set_scale(scale.checked_add(k.unsigned_abs())?).ok()?;
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eras_at_the_end_of_a_month() {
        assert_eq!(era_of(2014, 5).as_deref(), Some("平成26"));
        assert_eq!(era_of(2019, 4).as_deref(), Some("平成31"));
        assert_eq!(era_of(2019, 5).as_deref(), Some("令和元"));
        assert_eq!(era_of(2019, 12).as_deref(), Some("令和元"));
        assert_eq!(era_of(1989, 1).as_deref(), Some("平成元"));
        assert_eq!(era_of(1988, 12).as_deref(), Some("昭和63"));
        assert_eq!(era_of(1926, 12).as_deref(), Some("昭和元"));
        assert_eq!(era_of(1926, 11).as_deref(), Some("大正15"));
        assert_eq!(era_of(1912, 7).as_deref(), Some("大正元"));
        assert_eq!(era_of(2026, 3).as_deref(), Some("令和8"));
        assert_eq!(era_of(1800, 3), None);
    }

    #[test]
    fn folding_keeps_positions() {
        let text = "Ｈ２６：１，２３４％\u{3000}−５";
        let n = Norm::new(text);
        assert_eq!(n.s, "H26:1,234% -5");
        assert_eq!(n.map.len(), n.s.len() + 1);
        for (i, _) in n.s.char_indices() {
            assert!(text.is_char_boundary(n.orig(i..i).start), "{i}");
        }
        assert_eq!(n.text(0..3), "Ｈ２６");
        assert_eq!(n.text(4..10), "１，２３４％");
        assert_eq!(n.orig(0..n.s.len()), 0..text.len());
        assert_eq!(n.sl(100..200), "");
        let (late, early) = (5, 1);
        assert_eq!(n.text(late..early), "");
        assert_eq!(fold('～'), '~');
        assert_eq!(fold('〜'), '~');
        assert_eq!(fold('\u{3000}'), ' ');
        assert_eq!(fold('\t'), ' ');
        assert_eq!(fold('ー'), 'ー');
        assert_eq!(fold('―'), '―');
    }

    #[test]
    fn shifting_by_powers_of_ten() {
        let d = |t: &str| t.parse::<Decimal>().unwrap_or_default();
        for (x, k, want) in [
            ("2.5", 4, "25000"),
            ("0.78", 2, "78"),
            ("0.552", 2, "55.2"),
            ("0.6", 2, "60"),
            ("1234", -3, "1.234"),
            ("-1.5", 1, "-15"),
            ("0", 12, "0"),
        ] {
            assert_eq!(
                shift10(d(x), k).map(|v| v.to_string()),
                Some(want.to_string()),
                "{x} {k}"
            );
        }
        assert_eq!(shift10(d("79228162514264337593543950335"), 1), None);
        assert_eq!(shift10(d("1"), -29), None);
        assert_eq!(shift10(d("1"), 40), None);
    }

    #[test]
    fn brackets_match() {
        let s = "a(b(c)d)e";
        assert_eq!(matching_close(s, 1), Some(7));
        assert_eq!(matching_open(s, 7), Some(1));
        assert_eq!(matching_close(s, 3), Some(5));
        assert_eq!(matching_close("(a", 0), None);
        assert_eq!(matching_open("a)", 1), None);
        assert_eq!(matching_close("abc", 1), None);
        assert_eq!(matching_close("【a】", 0), Some(4));
        assert_eq!(matching_open("【a】", 4), Some(0));
        assert_eq!(matching_close("x", 5), None);
        assert_eq!(find_arrow("a→b->c"), Some((1, 4)));
        assert_eq!(rfind_arrow("a→b->c"), Some((5, 7)));
        assert_eq!(find_arrow("abc"), None);
    }

    /// A small deterministic generator for the robustness tests (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// Pieces the generated texts are made of: what drafts write, and what they should not.
    const PIECES: &[&str] = &[
        "0",
        "1",
        "2",
        "9",
        "26",
        "31",
        "2014",
        "１",
        "２",
        "０",
        ",",
        "，",
        ".",
        "．",
        "%",
        "％",
        "+",
        "-",
        "－",
        "−",
        "▲",
        "△",
        "±",
        "万",
        "億",
        "兆",
        "千",
        "百",
        "円",
        "人",
        "件",
        "千円",
        "百万円",
        "約",
        "およそ",
        "程度",
        "以上",
        "未満",
        "超",
        "年",
        "年度",
        "度",
        "月",
        "日",
        "末",
        "現在",
        "見込み",
        "平成",
        "令和",
        "昭和",
        "明治",
        "大正",
        "元",
        "H",
        "R",
        "S",
        "h",
        "M",
        "FY",
        "(",
        ")",
        "（",
        "）",
        "【",
        "】",
        "[",
        "]",
        "〔",
        "〕",
        "「",
        "」",
        "：",
        ":",
        " ",
        "　",
        "\t",
        "\n",
        "→",
        "⇒",
        "->",
        "=>",
        ">",
        "～",
        "〜",
        "~",
        "/",
        "／",
        "―",
        "ー",
        "—",
        "‐",
        "–",
        "基準値",
        "目標値",
        "現状値",
        "目標",
        "実績",
        "【現状値】",
        "累計",
        "年間",
        "毎年",
        "増加",
        "維持",
        "就職者数",
        "、",
        "🎉",
        "\u{0301}",
        "\u{200B}",
        "\u{FEFF}",
        "\u{202E}",
        "\0",
        "é",
        "ｱ",
        "ﾞ",
        "𠮷",
        "\u{10FFFF}",
        "\u{FFFD}",
        "'",
        "\"",
        "\\",
        "E",
        "e",
        "#",
        "0.0%",
        "General",
        "_",
        "*",
        ";",
        "から",
        "T",
        "00:00",
    ];

    /// Check every span a reader returns for `text`: inside it and on char boundaries.
    fn check_spans(text: &str) {
        let ok = |r: &Range<usize>, what: &str| {
            assert!(
                r.start <= r.end && r.end <= text.len(),
                "{what} {r:?} outside {text:?}"
            );
            assert!(
                text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
                "{what} {r:?} not on char boundaries of {text:?}"
            );
        };
        let problem = |p: &Problem| {
            ok(&p.span, "problem");
            assert!(!p.ja.is_empty() && !p.en.is_empty(), "{text:?}");
        };
        if let Err(p) = parse_value(text) {
            problem(&p);
        }
        for bare in [YearKind::Fiscal, YearKind::Calendar] {
            if let Err(p) = parse_when(text, bare) {
                problem(&p);
            }
            match parse_observation(text, bare) {
                Ok(o) => ok(&o.span, "observation"),
                Err(p) => problem(&p),
            }
            let i = parse_indicator(text, bare);
            for o in i.baseline.iter().chain(i.target.iter()) {
                ok(&o.span, "indicator observation");
            }
            i.problems.iter().for_each(problem);
            assert!(
                text.contains(i.name.as_str()),
                "{text:?}: name {:?}",
                i.name
            );
        }
    }

    #[test]
    fn generated_texts_never_panic() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..6000 {
            let len = rng.below(14);
            let text: String = (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect();
            check_spans(&text);
        }
    }

    #[test]
    fn every_slice_of_real_texts_reads() {
        for text in [
            "就業支援事業による市内就職者数：120人（H26）→150人（H31）",
            "市内新規高卒者の市内就職率 55.2%（平成26年度）→ 60.0%（平成31年度）",
            "市内の若年層（15～34歳）の就業者数：1万6,800人（平成22年）→1万7,000人（平成31年）",
            "…数（基準値：120人（H26）、目標値：150人（H31））",
            "…数【現状値】120人（H26）【目標値】150人（H31）",
            "公式フェイスブックページの「いいね！」数：2,300件（H27.3）→5,000件（H31.3）",
            "約1兆2,345億円以上（2014（平成26）年度末現在）",
        ] {
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            for (k, &a) in bounds.iter().enumerate() {
                for &b in &bounds[k..] {
                    check_spans(&text[a..b]);
                }
            }
        }
    }

    #[test]
    fn long_texts_never_panic() {
        let sample = "市内就職者数：120人（H26）→150人（H31）";
        for text in [
            "1".repeat(100_000),
            "万".repeat(30_000),
            "1万".repeat(20_000),
            "（".repeat(20_000),
            format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000)),
            "H26 ".repeat(20_000),
            "→".repeat(20_000),
            "基準値：".repeat(10_000),
            "【目標値】1".repeat(10_000),
            " ".repeat(100_000),
            "：".repeat(50_000),
            sample.repeat(2_000),
            format!("{}{sample}", "名".repeat(100_000)),
            format!("{}{sample}", "1 ".repeat(50_000)),
            "1,".repeat(50_000),
            "平成".repeat(30_000),
            "\u{0301}".repeat(50_000),
        ] {
            check_spans(&text);
        }
        let i = parse_indicator(
            &format!("{}{sample}", "名".repeat(100_000)),
            YearKind::Fiscal,
        );
        assert!(i.problems.is_empty());
        assert_eq!(
            i.target
                .and_then(|t| t.value.value)
                .map(|d| d.to_string())
                .as_deref(),
            Some("150")
        );
    }

    #[test]
    fn generated_cells_never_panic() {
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        let specials = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            1e-300,
            5e-324,
            1e15,
            1e28,
            7.9e28,
            8e28,
            1e300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.1,
            0.552,
        ];
        const CODE: &[&str] = &[
            "0",
            "#",
            "?",
            ".",
            ",",
            "%",
            "\"人\"",
            "\"",
            "\\",
            "\\人",
            "_)",
            "*",
            "[Red]",
            "[$-ja-JP]",
            "[$¥-411]",
            "[",
            "]",
            ";",
            "E+",
            "e-",
            "General",
            "yyyy",
            "m",
            "@",
            "-",
            "(",
            ")",
            " ",
            "千円",
            "G/標準",
            "[h]",
            "0.0%",
            "#,##0",
            "",
        ];
        for k in 0..20_000 {
            let value = if k % 3 == 0 {
                specials[rng.below(specials.len())]
            } else {
                f64::from_bits(rng.next())
            };
            let len = rng.below(10);
            let code: String = (0..len).map(|_| CODE[rng.below(CODE.len())]).collect();
            if let Some(c) = spreadsheet_number(value, Some(&code)) {
                assert!(value.is_finite(), "{value} {code}");
                assert!(
                    !c.display.is_empty() || code.contains('#') || code.contains('?'),
                    "{value} {code:?}"
                );
            }
            let _ = spreadsheet_number(value, None);
        }
    }

    #[test]
    fn decimals_are_json_numbers() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct V {
            #[serde(with = "serde_decimal")]
            v: Option<Decimal>,
        }
        for (text, json) in [
            ("55.2", "55.2"),
            ("150", "150"),
            ("60.0", "60.0"),
            ("1234500000000", "1234500000000"),
            ("-350", "-350"),
            ("0.86", "0.86"),
        ] {
            let v = V {
                v: Some(text.parse().expect("decimal")),
            };
            let out = serde_json::to_string(&v).expect("json");
            assert_eq!(out, format!("{{\"v\":{json}}}"));
            let back: V = serde_json::from_str(&out).expect("back");
            assert_eq!(back.v.map(|d| d.to_string()), v.v.map(|d| d.to_string()));
        }
    }
}

//! Values as drafts write them: 「1,234」, 「△350」, 「3万2,400人」, 「約3,000人」,
//! 「2,000人以上」, 「累計25社」, 「1,200千円」.

use super::{APPROX, Norm, PER, Problem, ProblemKind, era_prefix, is_dash, is_sign, shift10};
use crate::model::Bound;
use rust_decimal::Decimal;
use std::ops::Range;

/// A value as written, parsed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Value {
    /// The number, 万・億・兆 multiplied out, decimals as written (「60.0」 keeps scale 1); none
    /// for a dash (「―」), which says there is no value.
    pub value: Option<Decimal>,
    /// The unit after the number: `%` (from ％ too), `人`, `件/年`, `千円`, `ポイント`…
    pub unit: Option<String>,
    /// True when written as approximate: 約, およそ, 概ね, おおむね before, 程度 or 前後 after.
    pub approximate: bool,
    /// A bound written after the value: 以上, 以下, 超, 未満.
    pub bound: Option<Bound>,
    /// A short label written before the number, e.g. 累計, 延べ, 前年比.
    pub label: Option<String>,
}

/// Read one value: a number with its unit, approximation, bound and label, or a dash for none.
///
/// Accepts full-width digits and signs, `,` every three digits, `-` `－` `−` `▲` `△` for
/// negatives, `±0`, 万・億・兆 (and 千・百 within them), 千円 and 百万円 as units after a plain
/// number, 年間/毎年 before the number (unit per year). Ranges (「100～120人」), words
/// (「増加」), dates and texts with two numbers are [`ProblemKind::NotANumber`].
pub fn parse_value(text: &str) -> Result<Value, Problem> {
    let n = Norm::new(text);
    value_in(&n, n.all())
}

/// Why the number part itself could not be read.
enum NumError {
    /// A comma not followed by exactly three digits, or more than three before the first.
    Separator,
    /// More digits than a decimal holds.
    TooLarge,
    /// Multipliers out of order (「1万2万」).
    Order,
}

/// The bounds, as written after a value.
const BOUNDS: &[(&str, Bound)] = &[
    ("以上", Bound::AtLeast),
    ("以下", Bound::AtMost),
    ("未満", Bound::LessThan),
    ("超", Bound::MoreThan),
];

/// Words after a value that make it approximate.
const APPROX_AFTER: &[&str] = &["程度", "前後", "くらい", "ぐらい"];

/// Read the value in range `r` of `n`.
pub(super) fn value_in(n: &Norm, r: Range<usize>) -> Result<Value, Problem> {
    let r = n.trim(r);
    let s = n.sl(r.clone());
    let written = n.text(r.clone());
    let fail = |ja: String, en: String| n.problem(ProblemKind::NotANumber, r.clone(), ja, en);
    let not_number = || {
        fail(
            format!("「{written}」は数値ではありません"),
            format!("\"{written}\" is not a number"),
        )
    };
    if s.is_empty() {
        return Err(fail(
            "値が書かれていません".to_string(),
            "no value is written".to_string(),
        ));
    }
    if s.chars().all(|c| is_dash(c) || c == ' ') {
        return Ok(Value::default());
    }
    let Some(first_digit) = s.find(|c: char| c.is_ascii_digit()) else {
        return Err(not_number());
    };
    let before = s[..first_digit].trim_end_matches(' ');
    let (sign, number_start) = match before.chars().next_back() {
        Some(c) if is_sign(c) => (Some(c), before.len() - c.len_utf8()),
        _ => (None, first_digit),
    };
    let prefix = &s[..number_start];
    let prefix_at = r.start;
    let Some(pre) = read_prefix(prefix) else {
        return Err(not_number());
    };
    if pre.date {
        return Err(fail(
            format!("「{written}」は日付で、値ではありません"),
            format!("\"{written}\" is a date, not a value"),
        ));
    }
    let (number, end) = match read_number(s, first_digit) {
        Ok(x) => x,
        Err(NumError::Separator) => {
            return Err(fail(
                format!("「{written}」の桁区切り「,」の後が3桁ではありません"),
                format!(
                    "\"{written}\": a thousands separator must come before exactly three digits"
                ),
            ));
        }
        Err(NumError::TooLarge) => {
            return Err(fail(
                format!("「{written}」は桁が多すぎて扱えません"),
                format!("\"{written}\" has too many digits"),
            ));
        }
        Err(NumError::Order) => return Err(not_number()),
    };
    let number = match sign {
        Some('±') if !number.is_zero() => {
            return Err(fail(
                format!("「{written}」は幅で、一つの数値ではありません"),
                format!("\"{written}\" is a tolerance, not one number"),
            ));
        }
        Some('-' | '▲' | '△') if !number.is_zero() => -number,
        _ => number,
    };

    let mut rest = s[end..].trim_matches(' ');
    if is_range(rest) {
        return Err(fail(
            format!("「{written}」は範囲で、一つの数値ではありません"),
            format!("\"{written}\" is a range, not one number"),
        ));
    }
    let mut approximate = pre.approximate;
    let mut approx_after = false;
    let mut bound = None;
    loop {
        rest = rest.trim_end_matches(' ');
        if !approx_after && let Some(r) = APPROX_AFTER.iter().find_map(|w| rest.strip_suffix(w)) {
            approximate = true;
            approx_after = true;
            rest = r;
            continue;
        }
        if bound.is_none()
            && let Some((r, b)) = BOUNDS
                .iter()
                .find_map(|(w, b)| rest.strip_suffix(w).map(|r| (r, *b)))
        {
            bound = Some(b);
            rest = r;
            continue;
        }
        break;
    }
    let unit_text = rest.trim_matches(' ');
    if unit_text.contains(|c: char| c.is_ascii_digit()) {
        return Err(fail(
            format!("「{written}」には数値が二つ以上あります"),
            format!("\"{written}\" holds more than one number"),
        ));
    }
    let ends_in_word = BOUNDS.iter().any(|(w, _)| unit_text.ends_with(w))
        || APPROX_AFTER.iter().any(|w| unit_text.ends_with(w));
    if ends_in_word {
        return Err(not_number());
    }
    if unit_text == "年度" {
        return Err(fail(
            format!("「{written}」は日付で、値ではありません"),
            format!("\"{written}\" is a date, not a value"),
        ));
    }
    let mut unit = if unit_text.is_empty() {
        None
    } else if unit_text.chars().count() <= 10
        && unit_text.chars().all(unit_char)
        && unit_text.chars().any(|c| c != '/')
    {
        Some(unit_text.to_string())
    } else {
        return Err(not_number());
    };
    let mut label = pre
        .label
        .map(|l| n.text(prefix_at + l.start..prefix_at + l.end).to_string());
    if let Some((word, per)) = pre.per {
        match &mut unit {
            Some(u) if !u.contains('/') => u.push_str(per),
            Some(_) => {}
            None => label = Some(word.to_string()),
        }
    }
    Ok(Value {
        value: Some(number),
        unit,
        approximate,
        bound,
        label,
    })
}

/// What is written before a number.
struct Prefix {
    /// 約 and its kind.
    approximate: bool,
    /// 年間 and its kind: the word and the per-unit it adds.
    per: Option<(&'static str, &'static str)>,
    /// The label's byte range in the prefix.
    label: Option<Range<usize>>,
    /// The prefix is an era (「H」 of 「H26」), so the text is a date.
    date: bool,
}

/// Read what stands before the number: approximation words, 年間-type words and a short label
/// (at most 6 letters, no digits); None when it is none of those.
fn read_prefix(prefix: &str) -> Option<Prefix> {
    let mut start = prefix.len() - prefix.trim_start_matches(' ').len();
    let mut end = prefix.trim_end_matches(' ').len();
    let mut approximate = false;
    let slice = |a: usize, b: usize| prefix.get(a..b).unwrap_or("");
    if let Some(w) = APPROX.iter().find(|w| slice(start, end).starts_with(**w)) {
        approximate = true;
        start += w.len();
    }
    // A label stands right before the number (「累計25社」), or before 約.
    let mut spaced = prefix.ends_with(' ');
    if let Some(w) = APPROX.iter().find(|w| slice(start, end).ends_with(**w)) {
        approximate = true;
        end -= w.len();
        spaced = false;
    }
    let t = slice(start, end);
    if t.ends_with(' ') {
        spaced = true;
    }
    let t = t.trim_end_matches(' ');
    end = start + t.len();
    let t = t.trim_start_matches(' ');
    start = end - t.len();
    let mut per = None;
    if let Some((w, p)) = PER.iter().find(|(w, _)| t == *w) {
        per = Some((*w, *p));
        start = end;
    }
    let t = slice(start, end);
    if t.is_empty() {
        return Some(Prefix {
            approximate,
            per,
            label: None,
            date: false,
        });
    }
    let era_like = super::ERAS.iter().any(|(name, _, _)| t == *name)
        || era_prefix(&format!("{t}1")).is_some_and(|(_, len)| len == t.len())
        || t.eq_ignore_ascii_case("FY");
    if era_like {
        return Some(Prefix {
            approximate,
            per,
            label: None,
            date: true,
        });
    }
    let label_ok =
        !spaced && t.chars().count() <= 6 && t.chars().all(|c| c.is_alphabetic() || c == '・');
    label_ok.then_some(Prefix {
        approximate,
        per,
        label: Some(start..end),
        date: false,
    })
}

/// A char a unit may hold: letters of any script, %, ‰, /, ・, degree and square signs.
fn unit_char(c: char) -> bool {
    c.is_alphabetic() || "%‰/・²³°℃¥$€£".contains(c) || ('\u{3380}'..='\u{33FF}').contains(&c)
}

/// True when the text after a number continues a range: 「～120」, 「-120」, 「から120」.
fn is_range(rest: &str) -> bool {
    let after = if let Some(r) = rest.strip_prefix("から") {
        r
    } else {
        match rest.chars().next() {
            Some(c) if c == '~' || is_dash(c) => &rest[c.len_utf8()..],
            _ => return false,
        }
    };
    let after = after.trim_start_matches([' ', '+', '-', '▲', '△', '約']);
    after.starts_with(|c: char| c.is_ascii_digit()) || after.is_empty()
}

/// Read a number starting at byte `at` of `s` (a digit): digits in groups, 万・億・兆 and 千・百
/// compounded; stops before 千円 and 百万円 after a plain number. Returns the value and the
/// byte where it ends.
fn read_number(s: &str, at: usize) -> Result<(Decimal, usize), NumError> {
    let mut i = at;
    let mut total = Decimal::ZERO;
    let mut small = Decimal::ZERO;
    let mut last_big = u32::MAX;
    let mut last_small = u32::MAX;
    let mut plain = true;
    let add = |a: Decimal, b: Decimal| a.checked_add(b).ok_or(NumError::TooLarge);
    loop {
        let (numeral, j) = read_numeral(s, i)?;
        i = j;
        let mut part = numeral;
        let mut multiplied = false;
        loop {
            let rest = &s[i..];
            let Some(c) = rest.chars().next() else { break };
            let (exp, big) = match c {
                '兆' => (12, true),
                '億' => (8, true),
                '万' => (4, true),
                '千' => (3, false),
                '百' => (2, false),
                _ => break,
            };
            if big {
                if exp >= last_big {
                    return Err(NumError::Order);
                }
                let coefficient = add(small, part)?;
                total = add(
                    total,
                    shift10(coefficient, exp as i32).ok_or(NumError::TooLarge)?,
                )?;
                small = Decimal::ZERO;
                part = Decimal::ZERO;
                last_big = exp;
                last_small = u32::MAX;
                plain = false;
                multiplied = true;
                i += c.len_utf8();
                break;
            }
            if plain && (rest.starts_with("千円") || rest.starts_with("百万円")) {
                return Ok((numeral, i));
            }
            if exp >= last_small {
                return Err(NumError::Order);
            }
            small = add(small, shift10(part, exp as i32).ok_or(NumError::TooLarge)?)?;
            part = Decimal::ZERO;
            last_small = exp;
            plain = false;
            multiplied = true;
            i += c.len_utf8();
        }
        let next_is_digit = s[i..].starts_with(|c: char| c.is_ascii_digit());
        if !(multiplied && next_is_digit) {
            total = add(total, add(small, part)?)?;
            return Ok((total, i));
        }
    }
}

/// Read digits at byte `at` of `s`: `,` before every three digits, `.` before decimals.
fn read_numeral(s: &str, at: usize) -> Result<(Decimal, usize), NumError> {
    let b = s.as_bytes();
    let digits_from = |from: usize| {
        b.get(from..)
            .map_or(0, |t| t.iter().take_while(|c| c.is_ascii_digit()).count())
    };
    let mut text = String::new();
    let first = digits_from(at);
    let mut j = at + first;
    text.push_str(&s[at..j]);
    let mut grouped = false;
    while b.get(j) == Some(&b',') {
        let k = digits_from(j + 1);
        if k == 0 {
            break;
        }
        if k != 3 {
            return Err(NumError::Separator);
        }
        grouped = true;
        text.push_str(&s[j + 1..j + 4]);
        j += 4;
    }
    if grouped && first > 3 {
        return Err(NumError::Separator);
    }
    if b.get(j) == Some(&b'.') {
        let k = digits_from(j + 1);
        if k > 0 {
            text.push_str(&s[j..j + 1 + k]);
            j += 1 + k;
        }
    }
    let d = Decimal::from_str_exact(&text).map_err(|_| NumError::TooLarge)?;
    Ok((d, j))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value as text (scale kept), the unit, approximate, bound and label.
    fn read(
        text: &str,
    ) -> (
        Option<String>,
        Option<String>,
        bool,
        Option<Bound>,
        Option<String>,
    ) {
        let v = parse_value(text).unwrap_or_else(|p| panic!("{text}: {}", p.en));
        (
            v.value.map(|d| d.to_string()),
            v.unit,
            v.approximate,
            v.bound,
            v.label,
        )
    }

    fn number(text: &str) -> String {
        read(text).0.unwrap_or_else(|| panic!("{text}: no value"))
    }

    fn unit(text: &str) -> Option<String> {
        read(text).1
    }

    fn fails(text: &str) -> Problem {
        match parse_value(text) {
            Ok(v) => panic!("{text}: read as {v:?}"),
            Err(p) => {
                assert_eq!(p.kind, ProblemKind::NotANumber, "{text}");
                p
            }
        }
    }

    #[test]
    fn digits_full_width_and_separators() {
        for (text, want) in [
            ("0", "0"),
            ("7", "7"),
            ("120", "120"),
            ("１２０", "120"),
            ("1,234", "1234"),
            ("１，２３４", "1234"),
            ("12,345,678", "12345678"),
            ("1,234,567.5", "1234567.5"),
            ("55.2", "55.2"),
            ("５５．２", "55.2"),
            ("0.86", "0.86"),
            ("60.0", "60.0"),
            ("1.40", "1.40"),
            ("007", "7"),
            ("  120  ", "120"),
            ("\u{3000}１２０\u{3000}", "120"),
            ("999,999", "999999"),
        ] {
            assert_eq!(number(text), want, "{text}");
        }
        // The written decimals are kept: 60.0 is not 60.
        assert_eq!(
            parse_value("60.0%")
                .ok()
                .and_then(|v| v.value)
                .map(|d| d.scale()),
            Some(1)
        );
        for text in [
            "1,23",
            "1,2345",
            "1234,567",
            "1,23人",
            "１，２３",
            "12,34,567",
        ] {
            let p = fails(text);
            assert!(p.ja.contains("桁区切り"), "{text}: {}", p.ja);
        }
        for text in ["1,", "1.", "1.2.3", "1,234,", "12 34"] {
            fails(text);
        }
    }

    #[test]
    fn signs() {
        for (text, want) in [
            ("-350", "-350"),
            ("－350", "-350"),
            ("−350", "-350"),
            ("▲350", "-350"),
            ("△350", "-350"),
            ("△ 350", "-350"),
            ("+5", "5"),
            ("＋5", "5"),
            ("+0.5", "0.5"),
            ("±0", "0"),
            ("±０", "0"),
            ("-0", "0"),
            ("△1万2千", "-12000"),
            ("-1.5", "-1.5"),
            ("▲3.2%", "-3.2"),
        ] {
            assert_eq!(number(text), want, "{text}");
        }
        assert_eq!(unit("▲3.2%").as_deref(), Some("%"));
        for text in ["±5", "±1.2%", "+-5", "‐5", "–5"] {
            fails(text);
        }
    }

    #[test]
    fn dashes_are_no_value() {
        for text in [
            "―", "－", "-", "—", "‐", "ー", "–", "－－", "――", " ― ", "- -", "ｰ",
        ] {
            let v = parse_value(text).unwrap_or_else(|p| panic!("{text}: {}", p.en));
            assert_eq!(v, Value::default(), "{text}");
        }
        for text in ["―人", "ー%", "―増加"] {
            fails(text);
        }
    }

    #[test]
    fn multipliers() {
        for (text, want, u) in [
            ("1万人", "10000", Some("人")),
            ("3万2,400人", "32400", Some("人")),
            ("2.5万人", "25000", Some("人")),
            ("410万人", "4100000", Some("人")),
            ("1兆2,345億円", "1234500000000", Some("円")),
            ("1億2千万円", "120000000", Some("円")),
            ("5万7千人", "57000", Some("人")),
            ("3千人", "3000", Some("人")),
            ("2千5百人", "2500", Some("人")),
            ("5千万円", "50000000", Some("円")),
            ("1万2千円", "12000", Some("円")),
            ("1万6,800人", "16800", Some("人")),
            ("1.5千", "1500", None),
            ("2.55555万", "25555.5", None),
            ("１万", "10000", None),
            ("3億", "300000000", None),
            ("1兆", "1000000000000", None),
            ("410万円", "4100000", Some("円")),
            ("1,200千円", "1200", Some("千円")),
            ("12百万円", "12", Some("百万円")),
            ("3千円", "3", Some("千円")),
            ("1,200千円/年", "1200", Some("千円/年")),
            ("1,200千", "1200000", None),
        ] {
            assert_eq!(number(text), want, "{text}");
            assert_eq!(unit(text).as_deref(), u, "{text}");
        }
        // 25000 exactly, no trailing decimals from the multiplication.
        assert_eq!(number("2.5万"), "25000");
        for text in [
            "1万2万",
            "1億2兆",
            "1千2千",
            "3百2千",
            "99999999999999999999999兆",
        ] {
            fails(text);
        }
    }

    #[test]
    fn approximate() {
        for (text, want) in [
            ("約3,000人", true),
            ("約 3,000人", true),
            ("およそ100件", true),
            ("概ね50%", true),
            ("おおむね50%", true),
            ("100人程度", true),
            ("100人 程度", true),
            ("100人前後", true),
            ("約100人程度", true),
            ("約1万人以上", true),
            ("3,000人", false),
            ("累計約25社", true),
        ] {
            assert_eq!(read(text).2, want, "{text}");
        }
        assert_eq!(read("約3,000人").4, None, "約 is not a label");
        assert_eq!(read("累計約25社").4.as_deref(), Some("累計"));
        assert_eq!(number("約1万人以上"), "10000");
    }

    #[test]
    fn bounds() {
        for (text, want) in [
            ("2,000人以上", Some(Bound::AtLeast)),
            ("30%以下", Some(Bound::AtMost)),
            ("50%超", Some(Bound::MoreThan)),
            ("5件未満", Some(Bound::LessThan)),
            ("5 件 未満", Some(Bound::LessThan)),
            ("100以上", Some(Bound::AtLeast)),
            ("100人程度以上", Some(Bound::AtLeast)),
            ("100人以上程度", Some(Bound::AtLeast)),
            ("100人", None),
        ] {
            assert_eq!(read(text).3, want, "{text}");
        }
        assert_eq!(unit("100以上"), None);
        assert_eq!(unit("2,000人以上").as_deref(), Some("人"));
        fails("100人以上以下");
    }

    #[test]
    fn units() {
        for (text, want) in [
            ("55.2%", Some("%")),
            ("55.2％", Some("%")),
            ("55.2 %", Some("%")),
            ("3‰", Some("‰")),
            ("5ポイント", Some("ポイント")),
            ("5pt", Some("pt")),
            ("1.2倍", Some("倍")),
            ("120人", Some("人")),
            ("3件", Some("件")),
            ("25社", Some("社")),
            ("4組", Some("組")),
            ("2か所", Some("か所")),
            ("2ヶ所", Some("ヶ所")),
            ("2箇所", Some("箇所")),
            ("500円", Some("円")),
            ("12回", Some("回")),
            ("3台", Some("台")),
            ("40世帯", Some("世帯")),
            ("12ha", Some("ha")),
            ("１２ｈａ", Some("ha")),
            ("12件/年", Some("件/年")),
            ("12件／年", Some("件/年")),
            ("300人/日", Some("人/日")),
            ("5m²", Some("m²")),
            ("5㎡", Some("㎡")),
            ("80歳", Some("歳")),
            ("5年", Some("年")),
            ("年間12件", Some("件/年")),
            ("毎年12件", Some("件/年")),
            ("年間約12件", Some("件/年")),
            ("年間12件/年", Some("件/年")),
            ("毎月3回", Some("回/月")),
            ("120", None),
        ] {
            assert_eq!(unit(text).as_deref(), want, "{text}");
        }
        assert_eq!(number("55.2%"), "55.2", "a percentage is never divided");
        assert_eq!(number("年間12件"), "12");
        assert_eq!(read("年間12").4.as_deref(), Some("年間"));
        assert_eq!(read("年間12").1, None);
        for text in [
            "12とても長い単位の名前です",
            "12人 人",
            "12(人)",
            "12人、",
            "12:",
            "12/",
            "12.5.",
            "12人。",
            "3年度",
            "2014年度",
        ] {
            fails(text);
        }
    }

    #[test]
    fn labels() {
        for (text, want, v) in [
            ("累計25社", Some("累計"), "25"),
            ("延べ1,200人", Some("延べ"), "1200"),
            ("前年比+5%", Some("前年比"), "5"),
            ("前年比▲5%", Some("前年比"), "-5"),
            ("累計約 25社", Some("累計"), "25"),
            ("ＡＢ５", Some("ＡＢ"), "5"),
            ("25社", None, "25"),
        ] {
            assert_eq!(read(text).4.as_deref(), want, "{text}");
            assert_eq!(number(text), v, "{text}");
        }
        for text in [
            "市内の就職者数120人",
            "（累計）25社",
            "累計 25社",
            "累計　25社",
            "累計 約25社",
            "前年比：5%",
            "就職者数 120人",
            "累計～25",
            "H26",
            "h26",
            "H.26",
            "Ｈ２６",
            "R5",
            "平成26",
            "令和5",
            "FY2014",
            "平成26年度",
        ] {
            fails(text);
        }
        assert!(fails("H26").en.contains("date"));
    }

    #[test]
    fn not_numbers() {
        for text in [
            "",
            "   ",
            "増加",
            "維持",
            "現状維持",
            "向上",
            "100～120人",
            "100〜120",
            "100~120",
            "100-120",
            "100―120人",
            "100から120人",
            "100～",
            "120人150人",
            "120人（H26）",
            "120人→150人",
            "1 2",
            "約",
            "%",
            "人",
            "1e5",
        ] {
            fails(text);
        }
        assert!(fails("100～120人").ja.contains("範囲"));
        assert!(fails("120人150人").en.contains("more than one"));
        let p = fails("増加");
        assert_eq!(p.ja, "「増加」は数値ではありません");
        assert_eq!(p.en, "\"増加\" is not a number");
        assert_eq!(p.span, 0..6);
        assert_eq!(fails("  増加 ").span, 2..8);
        assert_eq!(fails("").ja, "値が書かれていません");
    }

    #[test]
    fn exact_decimals() {
        assert_eq!(number("0.1"), "0.1");
        assert_eq!(
            number("1234567890123456789012345678"),
            "1234567890123456789012345678"
        );
        assert!(
            fails("12345678901234567890123456789012345")
                .ja
                .contains("桁")
        );
        assert_eq!(
            number("0.000000000000000000000000001"),
            "0.000000000000000000000000001"
        );
        assert_eq!(number("7,000億"), "700000000000");
        assert_eq!(number("1.23兆"), "1230000000000");
        assert_eq!(number("0.0001万"), "1");
    }
}

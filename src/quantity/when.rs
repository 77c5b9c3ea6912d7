//! Dates as drafts write them: 「平成26年度」, 「H27.3」, 「2014年3月」, 「R元」, 「FY2014」,
//! 「2014-03-31」, read as a fiscal year, a year or a month of the Gregorian calendar.

use super::{ERAS, Norm, Problem, ProblemKind, YearKind, era_prefix};
use crate::model::{Date, When};
use std::ops::Range;

/// Read a date as a fiscal year (年度), a calendar year (年) or a month (年月; a day is dropped).
///
/// Accepts Gregorian (「2014年度」, 「2014年3月」, 「2014/3」, 「2014.3」, 「2014-03-31」,
/// 「FY2014」), eras with 元年 (「平成26年度」, 「令和元年」) and their letters (「H26」, 「H.26」,
/// 「R元」, 「H27.3」), full-width digits, spaces inside, both forms together (「2014（平成26）
/// 年度」) and the suffixes 末, 現在, 時点, 実績, 見込み, 頃, まで. A bare year (「2014」, 「H26」)
/// is read as `bare` says. Anything else is [`ProblemKind::BadDate`].
pub fn parse_when(text: &str, bare: YearKind) -> Result<When, Problem> {
    let n = Norm::new(text);
    when_in(&n, n.all(), bare)
}

/// Why a date could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DateError {
    /// It is not written as a date at all.
    NotADate,
    /// A year of two digits or fewer with no era: 「27年度」.
    NoEra,
    /// Era year 0.
    EraYearZero,
    /// Era year above 99.
    EraYearTooLarge,
    /// A month outside 1–12.
    Month(u32),
    /// A day that the month does not have.
    Day,
    /// Before the era began: 「令和元年4月」 (the era's index in [`ERAS`]).
    BeforeEra(usize),
    /// A Gregorian year outside 1873–2200.
    Year(u32),
    /// Gregorian and era years that differ: 「2014（平成27）年度」.
    Mismatch,
}

/// A date that was read, with whether it says what it is (an era, FY, 年, 年度, a month)
/// rather than being a bare number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Read {
    /// The date.
    pub(super) when: When,
    /// False for a bare Gregorian year (「2014」), which could as well be a number.
    pub(super) explicit: bool,
}

/// Read the date in range `r` of `n`.
pub(super) fn when_in(n: &Norm, r: Range<usize>, bare: YearKind) -> Result<When, Problem> {
    let r = n.trim(r);
    read_in(n, r.clone(), bare)
        .map(|d| d.when)
        .map_err(|e| date_problem(n, r, e))
}

/// Read the date in range `r` of `n`, with its shape.
pub(super) fn read_in(n: &Norm, r: Range<usize>, bare: YearKind) -> Result<Read, DateError> {
    let compact: String = n.sl(r).chars().filter(|c| *c != ' ').collect();
    read(&compact, bare)
}

/// True when the range reads as a date or is written as one that is wrong (「27年度」,
/// 「平成0年」), as opposed to not being a date at all.
pub(super) fn date_shaped(n: &Norm, r: Range<usize>) -> bool {
    !matches!(read_in(n, r, YearKind::Fiscal), Err(DateError::NotADate))
}

/// The problem for a date error over range `r`.
pub(super) fn date_problem(n: &Norm, r: Range<usize>, e: DateError) -> Problem {
    let w = n.text(r.clone());
    let (ja, en) = match e {
        DateError::NotADate => (
            format!("「{w}」は日付として読めません"),
            format!("\"{w}\" is not a date"),
        ),
        DateError::NoEra => (
            format!("「{w}」には元号がありません（「平成27年度」や「2015年度」のように書きます）"),
            format!("\"{w}\" has no era: write it as 平成27年度 or 2015年度"),
        ),
        DateError::EraYearZero => (
            format!("「{w}」の元号の年が0です（最初の年は元年です）"),
            format!("\"{w}\": an era's first year is 元年 (1), not 0"),
        ),
        DateError::EraYearTooLarge => (
            format!("「{w}」の元号の年が大きすぎます"),
            format!("\"{w}\": the era year is too large"),
        ),
        DateError::Month(m) => (
            format!("「{w}」の月（{m}）は1から12の範囲にありません"),
            format!("\"{w}\": month {m} is not between 1 and 12"),
        ),
        DateError::Day => (
            format!("「{w}」の日はその月にありません"),
            format!("\"{w}\": the month has no such day"),
        ),
        DateError::BeforeEra(i) => {
            let (name, (y, m, d)) = ERAS.get(i).map_or(("", (0, 0, 0)), |e| (e.0, e.2));
            (
                format!("「{w}」は{name}の始まり（{y}年{m}月{d}日）より前です"),
                format!("\"{w}\" is before {name} began ({y:04}-{m:02}-{d:02})"),
            )
        }
        DateError::Year(y) => (
            format!("「{w}」の年（{y}年）は1873年から2200年の範囲にありません"),
            format!("\"{w}\": the year {y} is not between 1873 and 2200"),
        ),
        DateError::Mismatch => (
            format!("「{w}」の西暦と和暦の年が一致しません"),
            format!("\"{w}\": the Gregorian and the era year differ"),
        ),
    };
    n.problem(ProblemKind::BadDate, r, ja, en)
}

/// Words after a date that do not change it.
const IGNORED: &[&str] = &[
    "見込み",
    "見込",
    "見通し",
    "現在",
    "時点",
    "実績",
    "頃",
    "ごろ",
    "まで",
    "末",
];

/// Read a folded, space-free date.
fn read(t: &str, bare: YearKind) -> Result<Read, DateError> {
    let mut t = t;
    while let Some(rest) = IGNORED.iter().find_map(|w| t.strip_suffix(w)) {
        t = rest;
    }
    // Both forms: 「2014（平成26）年度」, 「平成26（2014）年度」, 「2014年度（平成26年度）」.
    if let Some(open) = t.find(['(', '['])
        && open > 0
        && let Some(close) = super::matching_close(t, open)
    {
        let outer = format!("{}{}", &t[..open], &t[close + 1..]);
        let mut inner = &t[open + 1..close];
        while let Some(rest) = IGNORED.iter().find_map(|w| inner.strip_suffix(w)) {
            inner = rest;
        }
        let read_outer = read_plain(&outer, bare)?;
        if inner.is_empty() {
            return Ok(read_outer);
        }
        let read_inner = read_plain(inner, YearKind::Calendar)?;
        if read_outer.when.year() != read_inner.when.year() {
            return Err(DateError::Mismatch);
        }
        return Ok(read_outer);
    }
    read_plain(t, bare)
}

/// Read a date with no brackets in it.
fn read_plain(t: &str, bare: YearKind) -> Result<Read, DateError> {
    let mut t = t;
    while let Some(rest) = IGNORED.iter().find_map(|w| t.strip_suffix(w)) {
        t = rest;
    }
    let mut fiscal_prefix = false;
    let mut era = None;
    if t.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("FY")) {
        fiscal_prefix = true;
        t = t[2..].trim_start_matches('.');
    } else if let Some((i, len)) = era_prefix(t) {
        era = Some(i);
        t = &t[len..];
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let (year_number, rest) = if digits == 0 {
        match (era, t.strip_prefix('元')) {
            (Some(_), Some(rest)) => (1u32, rest),
            _ => return Err(DateError::NotADate),
        }
    } else if digits > 4 {
        return Err(DateError::NotADate);
    } else {
        let y = t[..digits]
            .parse::<u32>()
            .map_err(|_| DateError::NotADate)?;
        (y, &t[digits..])
    };
    let (kind, month, day) = read_tail(rest)?;
    let explicit = era.is_some() || fiscal_prefix || kind.is_some();
    if fiscal_prefix && !matches!(kind, None | Some(Kind::Fiscal)) {
        return Err(DateError::NotADate);
    }
    let year = match era {
        Some(i) => {
            if year_number == 0 {
                return Err(DateError::EraYearZero);
            }
            if year_number > 99 {
                return Err(DateError::EraYearTooLarge);
            }
            let start = ERAS.get(i).map_or(0, |e| e.2.0);
            u32::from(start) + year_number - 1
        }
        None if digits <= 2 && explicit => return Err(DateError::NoEra),
        None if digits != 4 => return Err(DateError::NotADate),
        None if !explicit && !(1873..=2200).contains(&year_number) => {
            return Err(DateError::NotADate);
        }
        None => year_number,
    };
    if !(1873..=2200).contains(&year) {
        return Err(DateError::Year(year));
    }
    let year16 = u16::try_from(year).map_err(|_| DateError::Year(year))?;
    if let Some(m) = month
        && !(1..=12).contains(&m)
    {
        return Err(DateError::Month(m));
    }
    let month8 = month.and_then(|m| u8::try_from(m).ok());
    if let (Some(m), Some(d)) = (month8, day) {
        let d = u8::try_from(d).map_err(|_| DateError::Day)?;
        Date::new(year16, m, d).ok_or(DateError::Day)?;
    }
    if let (Some(i), Some(m)) = (era, month8) {
        let (sy, sm, sd) = ERAS.get(i).map_or((0, 0, 0), |e| e.2);
        let day8 = day.and_then(|d| u8::try_from(d).ok()).unwrap_or(31);
        if (year16, m, day8) < (sy, sm, sd) {
            return Err(DateError::BeforeEra(i));
        }
    }
    let when = match (kind, month8) {
        (_, Some(month)) => When::Month {
            year: year16,
            month,
        },
        (Some(Kind::Fiscal), None) => When::FiscalYear { year: year16 },
        (Some(Kind::Year | Kind::Month), None) => When::Year { year: year16 },
        (None, None) if fiscal_prefix => When::FiscalYear { year: year16 },
        (None, None) => match bare {
            YearKind::Fiscal => When::FiscalYear { year: year16 },
            YearKind::Calendar => When::Year { year: year16 },
        },
    };
    Ok(Read { when, explicit })
}

/// What follows the year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// 年度 (or 度, as in 「H31度末」).
    Fiscal,
    /// 年, with or without a month.
    Year,
    /// A separator and a month: 「2014/3」, 「H27.3」.
    Month,
}

/// What follows a year: its kind (none for a bare year), the month and the day.
type Tail = (Option<Kind>, Option<u32>, Option<u32>);

/// Read what follows the year: nothing, 年度, 年 [M月 [D日]], or a separator, a month [and a
/// day, and a time as a spreadsheet writes it]. Returns the kind, the month and the day.
fn read_tail(rest: &str) -> Result<Tail, DateError> {
    if rest.is_empty() {
        return Ok((None, None, None));
    }
    if rest == "年度" || rest == "度" {
        return Ok((Some(Kind::Fiscal), None, None));
    }
    if let Some(after) = rest.strip_prefix('年') {
        if after.is_empty() {
            return Ok((Some(Kind::Year), None, None));
        }
        let (month, after) = small_number(after)?;
        let after = after.strip_prefix('月').ok_or(DateError::NotADate)?;
        if after.is_empty() {
            return Ok((Some(Kind::Year), Some(month), None));
        }
        let (day, after) = small_number(after)?;
        return match after {
            "日" => Ok((Some(Kind::Year), Some(month), Some(day))),
            _ => Err(DateError::NotADate),
        };
    }
    let Some(sep) = rest.chars().next().filter(|c| matches!(c, '.' | '/' | '-')) else {
        return Err(DateError::NotADate);
    };
    let (month, after) = small_number(&rest[1..])?;
    if after.is_empty() {
        return Ok((Some(Kind::Month), Some(month), None));
    }
    let after = after.strip_prefix(sep).ok_or(DateError::NotADate)?;
    // A time may follow the day with its space removed: 「2014-03-3100:00:00」.
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    let (day, after) = if digits > 2 && is_time(&after[2..]) {
        small_number(&after[..2]).map(|(d, _)| (d, &after[2..]))?
    } else {
        small_number(after)?
    };
    if after.is_empty() || is_time(after) {
        return Ok((Some(Kind::Month), Some(month), Some(day)));
    }
    Err(DateError::NotADate)
}

/// One or two digits at the start, and what follows them.
fn small_number(s: &str) -> Result<(u32, &str), DateError> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return Err(DateError::NotADate);
    }
    let v = s[..digits]
        .parse::<u32>()
        .map_err(|_| DateError::NotADate)?;
    Ok((v, &s[digits..]))
}

/// A time of day after a date, as spreadsheet cells give it: 「T00:00:00」, 「00:00」.
fn is_time(s: &str) -> bool {
    let s = s.strip_prefix('T').unwrap_or(s);
    let b = s.as_bytes();
    b.len() >= 4
        && b.len() <= 16
        && b.first().is_some_and(u8::is_ascii_digit)
        && s.contains(':')
        && b.iter()
            .all(|c| c.is_ascii_digit() || *c == b':' || *c == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fy(year: u16) -> When {
        When::FiscalYear { year }
    }

    fn y(year: u16) -> When {
        When::Year { year }
    }

    fn m(year: u16, month: u8) -> When {
        When::Month { year, month }
    }

    fn check(cases: &[(&str, When)], bare: YearKind) {
        for (text, want) in cases {
            match parse_when(text, bare) {
                Ok(w) => assert_eq!(w, *want, "{text}"),
                Err(p) => panic!("{text}: {}", p.en),
            }
        }
    }

    fn bad(text: &str) -> Problem {
        match parse_when(text, YearKind::Fiscal) {
            Ok(w) => panic!("{text}: read as {w:?}"),
            Err(p) => {
                assert_eq!(p.kind, ProblemKind::BadDate, "{text}");
                p
            }
        }
    }

    #[test]
    fn gregorian() {
        check(
            &[
                ("2014年度", fy(2014)),
                ("２０１４年度", fy(2014)),
                ("2014年", y(2014)),
                ("2014年3月", m(2014, 3)),
                ("2014年03月", m(2014, 3)),
                ("2014年12月", m(2014, 12)),
                ("2014/3", m(2014, 3)),
                ("2014.3", m(2014, 3)),
                ("2014-03", m(2014, 3)),
                ("2014／3", m(2014, 3)),
                ("2014年3月31日", m(2014, 3)),
                ("2014-03-31", m(2014, 3)),
                ("2014/3/31", m(2014, 3)),
                ("2014-03-31T00:00:00", m(2014, 3)),
                ("2014-03-31 00:00:00", m(2014, 3)),
                ("FY2014", fy(2014)),
                ("ＦＹ２０１４", fy(2014)),
                ("fy2014", fy(2014)),
                ("FY2014年度", fy(2014)),
                ("2014", fy(2014)),
                ("1873年", y(1873)),
                ("2200年度", fy(2200)),
                (" 2014 年 度 ", fy(2014)),
            ],
            YearKind::Fiscal,
        );
        check(
            &[("2014", y(2014)), ("2014年度", fy(2014))],
            YearKind::Calendar,
        );
        for text in [
            "1872年",
            "2201年度",
            "2014年13月",
            "2014/0",
            "2014-13-01",
            "2014年2月30日",
            "2015-02-29",
            "FY2014年",
            "FY2014年3月",
        ] {
            bad(text);
        }
        check(&[("2016-02-29", m(2016, 2))], YearKind::Fiscal);
        assert!(bad("2014年13月").ja.contains("13"));
    }

    #[test]
    fn eras() {
        check(
            &[
                ("平成26年度", fy(2014)),
                ("平成元年", y(1989)),
                ("平成元年度", fy(1989)),
                ("令和元年度", fy(2019)),
                ("令和元年", y(2019)),
                ("昭和63年", y(1988)),
                ("昭和64年1月", m(1989, 1)),
                ("平成31年3月", m(2019, 3)),
                ("令和5年3月", m(2023, 3)),
                ("令和元年5月", m(2019, 5)),
                ("令和元年5月1日", m(2019, 5)),
                ("平成元年1月8日", m(1989, 1)),
                ("平成２６年度", fy(2014)),
                ("平成 26 年度", fy(2014)),
                ("平成　２６　年度", fy(2014)),
                ("大正5年", y(1916)),
                ("明治45年", y(1912)),
                ("明治6年", y(1873)),
                ("昭和元年12月", m(1926, 12)),
                ("平成26", fy(2014)),
                ("令和元", fy(2019)),
            ],
            YearKind::Fiscal,
        );
        check(&[("平成26", y(2014))], YearKind::Calendar);
    }

    #[test]
    fn era_letters() {
        check(
            &[
                ("H26", fy(2014)),
                ("H.26", fy(2014)),
                ("Ｈ２６", fy(2014)),
                ("Ｈ．２６", fy(2014)),
                ("h26", fy(2014)),
                ("R1", fy(2019)),
                ("R元", fy(2019)),
                ("S63", fy(1988)),
                ("T5", fy(1916)),
                ("M45", fy(1912)),
                ("H26年度", fy(2014)),
                ("H26年", y(2014)),
                ("H26年3月", m(2014, 3)),
                ("H27.3", m(2015, 3)),
                ("H31.3", m(2019, 3)),
                ("R5.3", m(2023, 3)),
                ("H27.3.31", m(2015, 3)),
                ("H27/3", m(2015, 3)),
                ("R元年度", fy(2019)),
                ("R 5", fy(2023)),
            ],
            YearKind::Fiscal,
        );
        check(&[("H26", y(2014)), ("R1", y(2019))], YearKind::Calendar);
        for text in ["H", "H.", "Hx26", "X26", "H26x", "HH26", "H26年度度"] {
            bad(text);
        }
    }

    #[test]
    fn years_past_an_era_and_before_it() {
        check(
            &[
                ("平成32年度", fy(2020)),
                ("平成31年5月", m(2019, 5)),
                ("昭和65年", y(1990)),
                ("H32", fy(2020)),
                ("大正15年12月", m(1926, 12)),
                ("平成99年", y(2087)),
            ],
            YearKind::Fiscal,
        );
        for text in [
            "令和元年4月",
            "令和元年4月30日",
            "R1.4",
            "昭和元年11月",
            "平成元年1月7日",
        ] {
            let p = bad(text);
            assert!(p.en.contains("before"), "{text}: {}", p.en);
        }
        let p = bad("令和元年4月");
        assert_eq!(
            p.ja,
            "「令和元年4月」は令和の始まり（2019年5月1日）より前です"
        );
        assert_eq!(p.en, "\"令和元年4月\" is before 令和 began (2019-05-01)");
        for text in ["平成0年", "H0", "令和0年度"] {
            assert!(bad(text).ja.contains("0"), "{text}");
        }
        for text in ["平成100年", "H100"] {
            assert!(bad(text).en.contains("too large"), "{text}");
        }
        // 明治5年 is 1872, before the Gregorian calendar.
        assert!(bad("明治5年").en.contains("1872"));
        assert!(bad("明治元年").en.contains("1868"));
    }

    #[test]
    fn missing_era_and_not_dates() {
        for text in [
            "27年度",
            "26年",
            "27年3月",
            "２７年度",
            "27.3年度",
            "1年度",
            "27度",
        ] {
            let p = bad(text);
            if !text.contains('.') {
                assert!(p.ja.contains("元号がありません"), "{text}: {}", p.ja);
            }
        }
        for text in [
            "",
            " ",
            "年度",
            "増加",
            "26",
            "120",
            "20140",
            "3月",
            "13月",
            "H26年度末以降",
            "平成",
            "2014年3",
            "2014年3月31",
            "2014年3月31日x",
            "2014/3/31/1",
            "2014.3-31",
            "20145年",
            "H26 H27",
        ] {
            bad(text);
        }
        let p = bad(" 増加 ");
        assert_eq!(p.span, 1..7);
        assert_eq!(p.ja, "「増加」は日付として読めません");
    }

    #[test]
    fn ignored_suffixes() {
        check(
            &[
                ("平成31年度末", fy(2019)),
                ("平成26年度末現在", fy(2014)),
                ("平成27年4月1日現在", m(2015, 4)),
                ("H26時点", fy(2014)),
                ("H26年度実績", fy(2014)),
                ("H31見込み", fy(2019)),
                ("H31見込", fy(2019)),
                ("H31年度見込み", fy(2019)),
                ("2014年頃", y(2014)),
                ("H31まで", fy(2019)),
                ("H31度末", fy(2019)),
                ("2019年3月末", m(2019, 3)),
                ("2019年3月末時点", m(2019, 3)),
            ],
            YearKind::Fiscal,
        );
    }

    #[test]
    fn both_forms() {
        check(
            &[
                ("2014（平成26）年度", fy(2014)),
                ("平成26（2014）年度", fy(2014)),
                ("2019（令和元）年", y(2019)),
                ("2015（平成27）年4月", m(2015, 4)),
                ("2014年度（平成26年度）", fy(2014)),
                ("2014(H26)年度", fy(2014)),
                ("2014年度（見込み）", fy(2014)),
            ],
            YearKind::Fiscal,
        );
        assert!(bad("2014（平成27）年度").en.contains("differ"));
        bad("2014（増加）年度");
        bad("（平成26年度）");
    }
}

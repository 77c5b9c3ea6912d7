//! One observation: a value with the date it holds for, 「55.2%（平成26年度）」, 「H26：120人」,
//! 「基準値：120人（H26）」.

use super::number::{Value, value_in};
use super::when::{Read, date_problem, date_shaped, read_in};
use super::{
    APPROX, MAX_OBSERVATION, Norm, PER, Problem, ProblemKind, YearKind, closing, era_prefix,
    is_dash, is_sign, matching_close, matching_open, opening,
};
use crate::model::{Observation, When};
use std::ops::Range;

/// One observation: a value and/or its date, e.g. 「55.2%（平成26年度）」.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedObservation {
    /// The value (no number in it for 「―」).
    pub value: Value,
    /// When the value holds, if written.
    pub when: Option<When>,
    /// The byte range of the observation in the text given, label included.
    pub span: Range<usize>,
}

impl ParsedObservation {
    /// The model's observation, `text` being the text this was parsed from (for `written`).
    pub fn to_observation(&self, text: &str) -> Observation {
        Observation {
            value: self.value.value,
            approximate: self.value.approximate,
            bound: self.value.bound,
            when: self.when,
            written: text.get(self.span.clone()).unwrap_or("").to_string(),
        }
    }
}

/// Read one observation: a value and its date, in either order.
///
/// Accepts the date in brackets after or before the value (「55.2%（平成26年度）」,
/// 「（平成26年度）55.2%」), before it with a colon or a space (「H26：120人」, 「平成26年度
/// 55.2%」), the value alone (「120人」), and a leading label (基準値, 現状値, 目標値, 実績…,
/// with ： or in 【】). The first problem found is returned, its span inside `text`; a date with
/// no value (「（H26）」) is [`ProblemKind::NotANumber`].
pub fn parse_observation(text: &str, bare: YearKind) -> Result<ParsedObservation, Problem> {
    let n = Norm::new(text);
    let o = observe_in(&n, n.all(), bare);
    match o.problems.into_iter().next() {
        Some(p) => Err(p),
        None => Ok(o.obs),
    }
}

/// Which observation of an indicator a label names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// 基準値, 現状値, 現況値, 実績値.
    Baseline,
    /// 目標値.
    Target,
}

/// The labels an observation may start with, longest first.
pub(super) const LABELS: &[(&str, Role)] = &[
    ("基準値", Role::Baseline),
    ("現状値", Role::Baseline),
    ("現況値", Role::Baseline),
    ("実績値", Role::Baseline),
    ("目標値", Role::Target),
    ("基準", Role::Baseline),
    ("現状", Role::Baseline),
    ("現況", Role::Baseline),
    ("実績", Role::Baseline),
    ("目標", Role::Target),
];

/// An observation read with everything that went wrong in it.
pub(super) struct Observed {
    /// What could be read (the value empty when it could not be).
    pub(super) obs: ParsedObservation,
    /// The role its label names.
    pub(super) role: Option<Role>,
    /// What could not be read, value first, then date.
    pub(super) problems: Vec<Problem>,
}

/// True when `s` (folded) starts the way an observation can: a sign, a digit, 約, a dash, a
/// bracket, an era, FY, 年間 or a label.
pub(super) fn starts_observation(s: &str) -> bool {
    let Some(c) = s.chars().next() else {
        return false;
    };
    c.is_ascii_digit()
        || is_sign(c)
        || is_dash(c)
        || closing(c).is_some()
        || APPROX.iter().any(|w| s.starts_with(w))
        || PER.iter().any(|(w, _)| s.starts_with(w))
        || LABELS.iter().any(|(w, _)| s.starts_with(w))
        || era_prefix(s).is_some()
        || (s.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("FY"))
            && s[2..].starts_with(|c: char| c.is_ascii_digit()))
}

/// The label at the start of range `r` (「基準値：」, 「【現状値】」, 「目標 」): its role and
/// the range after it; a label only counts when something that is not a letter follows.
pub(super) fn strip_label(n: &Norm, r: Range<usize>) -> (Option<Role>, Range<usize>) {
    let r = n.trim(r);
    let s = n.sl(r.clone());
    let (open, after_open) = match s.chars().next() {
        Some(c @ ('【' | '[')) => (Some(c), c.len_utf8()),
        _ => (None, 0),
    };
    let Some((word, role)) = LABELS.iter().find(|(w, _)| s[after_open..].starts_with(w)) else {
        return (None, r);
    };
    let mut end = after_open + word.len();
    let after = &s[end..];
    if let Some(open) = open {
        let close = closing(open).unwrap_or(']');
        let spaces = after.len() - after.trim_start_matches(' ').len();
        if !after[spaces..].starts_with(close) {
            return (None, r);
        }
        end += spaces + close.len_utf8();
    } else {
        let next_ok = after.starts_with([':', ' ', '】', ']']) || starts_observation(after);
        if !next_ok {
            return (None, r);
        }
    }
    let rest = n.trim_start_chars(r.start + end..r.end, &[':']);
    (Some(*role), rest)
}

/// Read the observation in range `r` of `n`, keeping what could be read.
pub(super) fn observe_in(n: &Norm, r: Range<usize>, bare: YearKind) -> Observed {
    let full = n.trim(r);
    let (role, rest) = strip_label(n, full.clone());
    let mut out = Observed {
        obs: ParsedObservation {
            value: Value::default(),
            when: None,
            span: n.orig(full.clone()),
        },
        role,
        problems: Vec::new(),
    };
    let written = n.text(full.clone());
    if rest.is_empty() {
        out.problems.push(n.problem(
            ProblemKind::NotANumber,
            full,
            "値が書かれていません".to_string(),
            "no value is written".to_string(),
        ));
        return out;
    }
    if rest.len() > MAX_OBSERVATION {
        out.problems.push(n.problem(
            ProblemKind::NotANumber,
            full,
            "値として長すぎます".to_string(),
            "the text is too long to be a value".to_string(),
        ));
        return out;
    }
    let (value_part, date_part) = split(n, rest, bare);
    let mut no_value = None;
    match value_part.map(|v| n.trim(v)).filter(|v| !v.is_empty()) {
        Some(v) => match value_in(n, v) {
            Ok(v) => out.obs.value = v,
            Err(p) => out.problems.push(p),
        },
        None => {
            no_value = Some(n.problem(
                ProblemKind::NotANumber,
                full,
                format!("「{written}」には日付だけで値がありません"),
                format!("\"{written}\" gives a date but no value"),
            ));
        }
    }
    if let Some(d) = date_part {
        let d = n.trim(d);
        match read_in(n, d.clone(), bare) {
            Ok(Read { when, .. }) => out.obs.when = Some(when),
            Err(e) => out.problems.push(date_problem(n, d, e)),
        }
    }
    out.problems.extend(no_value);
    out
}

/// A date written explicitly (era, FY, 年, 年度 or a month), not a bare number.
fn explicit_date(n: &Norm, r: Range<usize>, bare: YearKind) -> bool {
    read_in(n, r, bare).is_ok_and(|d| d.explicit)
}

/// A date, explicit or a bare Gregorian year.
fn any_date(n: &Norm, r: Range<usize>, bare: YearKind) -> bool {
    read_in(n, r, bare).is_ok()
}

/// True when bracket content is a date (it has a digit or 元 in it).
fn date_content(s: &str) -> bool {
    s.contains(|c: char| c.is_ascii_digit() || c == '元')
}

/// Words that may stand alone in brackets after a value and say nothing about it.
const NOTES: &[&str] = &["見込み", "見込", "実績", "速報値", "暫定値", "推計"];

/// Where the value and the date are in range `r`.
fn split(
    n: &Norm,
    r: Range<usize>,
    bare: YearKind,
) -> (Option<Range<usize>>, Option<Range<usize>>) {
    let mut r = n.trim(r);
    // A trailing note in brackets, 「120人（見込み）」, is dropped.
    for _ in 0..4 {
        let s = n.sl(r.clone());
        let Some(close) = s.chars().next_back().filter(|c| opening(*c).is_some()) else {
            break;
        };
        let close_at = s.len() - close.len_utf8();
        let Some(open_at) = matching_open(s, close_at) else {
            break;
        };
        let open_len = s[open_at..].chars().next().map_or(1, char::len_utf8);
        let content = s[open_at + open_len..close_at].trim_matches(' ');
        if !NOTES.contains(&content) {
            break;
        }
        r = n.trim(r.start..r.start + open_at);
    }
    let s = n.sl(r.clone());
    let a = r.start;
    let at = |i: usize, j: usize| a + i..a + j;
    let value_before = |end: usize| n.trim_end_chars(a..a + end, &[':', '、', ',']);
    let value_after = |start: usize| n.trim_start_chars(a + start..r.end, &[':', '、', ',']);

    // A date alone (「2014年3月」 is not 2014年 and 3 月).
    if explicit_date(n, r.clone(), bare) {
        return (None, Some(r));
    }
    // Value, then the date in brackets.
    if let Some(close) = s.chars().next_back().filter(|c| opening(*c).is_some()) {
        let close_at = s.len() - close.len_utf8();
        if let Some(open_at) = matching_open(s, close_at) {
            let open_len = s[open_at..].chars().next().map_or(1, char::len_utf8);
            let content = &s[open_at + open_len..close_at];
            if date_content(content) {
                return (
                    Some(value_before(open_at)),
                    Some(at(open_at + open_len, close_at)),
                );
            }
        }
    }
    // The date in brackets, then the value.
    if let Some(open) = s.chars().next().filter(|c| closing(*c).is_some())
        && let Some(close_at) = matching_close(s, 0)
    {
        let close_len = s[close_at..].chars().next().map_or(1, char::len_utf8);
        let content = &s[open.len_utf8()..close_at];
        if date_content(content) {
            return (
                Some(value_after(close_at + close_len)),
                Some(at(open.len_utf8(), close_at)),
            );
        }
    }
    // 「H26：120人」, or 「120人：H26」.
    if let Some(colon) = s.find(':') {
        let (left, right) = (at(0, colon), at(colon + 1, s.len()));
        if date_shaped(n, left.clone()) {
            return (Some(right), Some(left));
        }
        if explicit_date(n, right.clone(), bare) {
            return (Some(left), Some(right));
        }
    }
    // 「平成26年度 55.2%」, or 「55.2% 平成26年度」: the longest date before a space, else the
    // longest date after one.
    let spaces: Vec<(usize, usize)> = space_runs(s);
    for &(start, end) in spaces.iter().rev() {
        let left = at(0, start);
        if starts_observation(&s[end..])
            && (any_date(n, left.clone(), bare) || date_shaped(n, left.clone()))
        {
            return (Some(at(end, s.len())), Some(left));
        }
    }
    for &(start, end) in &spaces {
        let right = at(end, s.len());
        if starts_observation(s)
            && (explicit_date(n, right.clone(), bare)
                || (era_prefix(&s[end..]).is_some() && date_shaped(n, right.clone())))
        {
            return (Some(at(0, start)), Some(right));
        }
    }
    // 「平成26年度120人」, 「120人H26」: a date and a value with nothing between.
    for (i, _) in s.char_indices().rev() {
        if i > 0
            && s[..i].ends_with(['年', '度', '月', '日', '末', '在', '点'])
            && starts_observation(&s[i..])
            && explicit_date(n, at(0, i), bare)
            && value_in(n, at(i, s.len())).is_ok()
        {
            return (Some(at(i, s.len())), Some(at(0, i)));
        }
    }
    for (i, c) in s.char_indices() {
        if i > 0
            && (c.is_ascii_uppercase() || "明大昭平令".contains(c))
            && era_prefix(&s[i..]).is_some()
            && explicit_date(n, at(i, s.len()), bare)
            && value_in(n, at(0, i)).is_ok()
        {
            return (Some(at(0, i)), Some(at(i, s.len())));
        }
    }
    // One part only.
    if value_in(n, r.clone()).is_ok() || !date_shaped(n, r.clone()) {
        return (Some(r), None);
    }
    (None, Some(r))
}

/// The runs of spaces inside `s`: (start, end) bytes.
pub(super) fn space_runs(s: &str) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c == ' ', start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                if st > 0 {
                    runs.push((st, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Bound;

    fn fy(year: u16) -> Option<When> {
        Some(When::FiscalYear { year })
    }

    /// Value as text, unit, date.
    fn read(text: &str) -> (Option<String>, Option<String>, Option<When>) {
        let o = parse_observation(text, YearKind::Fiscal)
            .unwrap_or_else(|p| panic!("{text}: {} at {:?}", p.en, p.span));
        assert_eq!(o.span.end, text.trim_end().len(), "{text}");
        (o.value.value.map(|d| d.to_string()), o.value.unit, o.when)
    }

    fn fails(text: &str, kind: ProblemKind) -> Problem {
        match parse_observation(text, YearKind::Fiscal) {
            Ok(o) => panic!("{text}: read as {o:?}"),
            Err(p) => {
                assert_eq!(p.kind, kind, "{text}: {}", p.en);
                p
            }
        }
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn value_then_date() {
        for (text, v, u, w) in [
            ("55.2%（平成26年度）", s("55.2"), s("%"), fy(2014)),
            ("55.2％（平成２６年度）", s("55.2"), s("%"), fy(2014)),
            ("120人（H26）", s("120"), s("人"), fy(2014)),
            ("120人(H26)", s("120"), s("人"), fy(2014)),
            ("120人 （H26）", s("120"), s("人"), fy(2014)),
            ("120人［H26］", s("120"), s("人"), fy(2014)),
            ("120人[H26]", s("120"), s("人"), fy(2014)),
            ("120人〔H26〕", s("120"), s("人"), fy(2014)),
            ("120人【H26】", s("120"), s("人"), fy(2014)),
            ("―（H26）", None, None, fy(2014)),
            ("－（Ｈ２６）", None, None, fy(2014)),
            ("2,000人以上（H31）", s("2000"), s("人"), fy(2019)),
            (
                "2,300件（H27.3）",
                s("2300"),
                s("件"),
                Some(When::Month {
                    year: 2015,
                    month: 3,
                }),
            ),
            (
                "1万6,800人（平成22年）",
                s("16800"),
                s("人"),
                Some(When::Year { year: 2010 }),
            ),
            ("120人（H26見込み）", s("120"), s("人"), fy(2014)),
            ("120人（平成26年度末現在）", s("120"), s("人"), fy(2014)),
            ("120人（2014（平成26）年度）", s("120"), s("人"), fy(2014)),
            ("120人（見込み）", s("120"), s("人"), None),
            ("120人：H26", s("120"), s("人"), fy(2014)),
            ("55.2% 平成26年度", s("55.2"), s("%"), fy(2014)),
            ("120人 H26", s("120"), s("人"), fy(2014)),
            ("120人H26", s("120"), s("人"), fy(2014)),
            ("120人（2014）", s("120"), s("人"), fy(2014)),
        ] {
            assert_eq!(read(text), (v, u, w), "{text}");
        }
        let o = parse_observation("2,000人以上（H31）", YearKind::Fiscal).ok();
        assert_eq!(o.and_then(|o| o.value.bound), Some(Bound::AtLeast));
        let o = parse_observation("120人（2014）", YearKind::Calendar).ok();
        assert_eq!(o.and_then(|o| o.when), Some(When::Year { year: 2014 }));
    }

    #[test]
    fn date_then_value() {
        for (text, v, u, w) in [
            ("（平成26年度）55.2%", s("55.2"), s("%"), fy(2014)),
            ("(H26) 120人", s("120"), s("人"), fy(2014)),
            ("（H26）：120人", s("120"), s("人"), fy(2014)),
            ("H26：120人", s("120"), s("人"), fy(2014)),
            ("H26:120人", s("120"), s("人"), fy(2014)),
            ("H26 : 120人", s("120"), s("人"), fy(2014)),
            ("平成26年度 55.2%", s("55.2"), s("%"), fy(2014)),
            ("平成26年度　55.2%", s("55.2"), s("%"), fy(2014)),
            ("平成 26 年度 55.2%", s("55.2"), s("%"), fy(2014)),
            ("H26 120人", s("120"), s("人"), fy(2014)),
            ("2014 120人", s("120"), s("人"), fy(2014)),
            ("平成26年度120人", s("120"), s("人"), fy(2014)),
            ("H26年度末 ―", None, None, fy(2014)),
        ] {
            assert_eq!(read(text), (v, u, w), "{text}");
        }
    }

    #[test]
    fn value_only() {
        for (text, v, u) in [
            ("120人", s("120"), s("人")),
            ("2014", s("2014"), None),
            ("120 人", s("120"), s("人")),
            ("1,200千円", s("1200"), s("千円")),
            ("―", None, None),
            ("約3,000人", s("3000"), s("人")),
            ("50年", s("50"), s("年")),
        ] {
            assert_eq!(read(text), (v, u, None), "{text}");
        }
    }

    #[test]
    fn labels() {
        for (text, v, w) in [
            ("基準値：120人（H26）", s("120"), fy(2014)),
            ("基準値:120人(H26)", s("120"), fy(2014)),
            ("基準値 120人（H26）", s("120"), fy(2014)),
            ("基準値　120人", s("120"), None),
            ("基準値120人", s("120"), None),
            ("【現状値】120人（H26）", s("120"), fy(2014)),
            ("【現状値】 120人", s("120"), None),
            ("[現状値]120人", s("120"), None),
            ("現況値：120人", s("120"), None),
            ("基準：120人", s("120"), None),
            ("現状：120人", s("120"), None),
            ("目標値：150人（H31）", s("150"), fy(2019)),
            ("目標：150人", s("150"), None),
            ("目標値（H31）：150人", s("150"), fy(2019)),
            (
                "実績値：130人（H28）",
                s("130"),
                Some(When::FiscalYear { year: 2016 }),
            ),
            ("実績：130人", s("130"), None),
            ("目標値：―", None, None),
        ] {
            let (value, _, when) = read(text);
            assert_eq!((value, when), (v, w), "{text}");
        }
        let n = Norm::new("【目標値】150人");
        assert_eq!(strip_label(&n, n.all()).0, Some(Role::Target));
        let n = Norm::new("現状値：120人");
        assert_eq!(strip_label(&n, n.all()).0, Some(Role::Baseline));
        // Words that only start like a label are not one.
        for text in ["目標達成率50%", "現状維持", "【目標値120人"] {
            let n = Norm::new(text);
            assert_eq!(strip_label(&n, n.all()).0, None, "{text}");
        }
        fails("目標値：", ProblemKind::NotANumber);
        fails("目標値：現状維持", ProblemKind::NotANumber);
    }

    #[test]
    fn date_without_value() {
        for text in [
            "（H26）",
            "(平成26年度)",
            "H26",
            "平成26年度",
            "2014年度",
            "2014年3月",
        ] {
            let p = fails(text, ProblemKind::NotANumber);
            assert!(p.ja.contains("値がありません"), "{text}: {}", p.ja);
            assert_eq!(p.span, 0..text.len(), "{text}");
        }
    }

    #[test]
    fn problems_point_at_their_part() {
        let text = "増加（H31）";
        let p = fails(text, ProblemKind::NotANumber);
        assert_eq!(&text[p.span.clone()], "増加");
        assert_eq!(p.ja, "「増加」は数値ではありません");
        let n = Norm::new(text);
        let o = observe_in(&n, n.all(), YearKind::Fiscal);
        assert_eq!(o.obs.when, fy(2019), "the date is kept");

        for (text, part, kind) in [
            ("120人（27年度）", "27年度", ProblemKind::BadDate),
            ("120人（平成0年）", "平成0年", ProblemKind::BadDate),
            ("120人（令和元年4月）", "令和元年4月", ProblemKind::BadDate),
            ("120人（2014年13月）", "2014年13月", ProblemKind::BadDate),
            ("27年度：120人", "27年度", ProblemKind::BadDate),
            ("27年度 120人", "27年度", ProblemKind::BadDate),
            (
                "基準値：100～120人（H26）",
                "100～120人",
                ProblemKind::NotANumber,
            ),
            ("  維持（H31） ", "維持", ProblemKind::NotANumber),
            ("現状維持", "現状維持", ProblemKind::NotANumber),
            ("1,23人（H26）", "1,23人", ProblemKind::NotANumber),
            ("27年度", "27年度", ProblemKind::BadDate),
            ("120人（累計）", "120人（累計）", ProblemKind::NotANumber),
            ("", "", ProblemKind::NotANumber),
        ] {
            let p = fails(text, kind);
            assert_eq!(&text[p.span.clone()], part, "{text}");
            assert!(p.ja.contains(part) || part.is_empty(), "{text}: {}", p.ja);
        }
        // Both parts wrong: the value's problem first, then the date's.
        let n = Norm::new("増加（27年度）");
        let o = observe_in(&n, n.all(), YearKind::Fiscal);
        let kinds: Vec<_> = o.problems.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, [ProblemKind::NotANumber, ProblemKind::BadDate]);
    }

    #[test]
    fn spans_and_model() {
        let text = "  基準値：120人（H26） ";
        let o = parse_observation(text, YearKind::Fiscal).unwrap_or_default();
        assert_eq!(&text[o.span.clone()], "基準値：120人（H26）");
        let m = o.to_observation(text);
        assert_eq!(m.written, "基準値：120人（H26）");
        assert_eq!(m.value.map(|d| d.to_string()).as_deref(), Some("120"));
        assert_eq!(m.when, fy(2014));
    }
}

//! Indicators written in one cell, as KPI columns write them:
//! 「就業支援事業による市内就職者数：120人（H26）→150人（H31）」.

use super::observation::{
    LABELS, Observed, ParsedObservation, Role, observe_in, space_runs, starts_observation,
};
use super::{
    MAX_OBSERVATION, Norm, Problem, ProblemKind, YearKind, closing, find_arrow, is_dash, is_sign,
    matching_close, rfind_arrow,
};
use std::ops::Range;

/// An indicator written in one cell: its name, unit, baseline and target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedIndicator {
    /// 指標名 as written; the whole text (trimmed) when no value could be found.
    pub name: String,
    /// The unit the baseline and target share (one missing takes the other's); none when they
    /// differ or neither has one.
    pub unit: Option<String>,
    /// 基準値: the value before the arrow, or the one a 基準値/現状値/実績値 label names.
    pub baseline: Option<ParsedObservation>,
    /// 目標値: the value after the arrow, the one a 目標値 label names, or a lone value.
    pub target: Option<ParsedObservation>,
    /// What could not be read, in the order found; spans are byte ranges of the text given.
    pub problems: Vec<Problem>,
}

/// Read an indicator written in one cell.
///
/// Accepts 「name：baseline→target」 with any of the arrows → ⇒ ➡ ➔ ⟶ -> => (spaces
/// optional), the name ending at ：, a space or where the values begin; labelled values
/// (「name（基準値：…、目標値：…）」, 「name 現状値… 目標値…」, 「name【現状値】…【目標値】…」,
/// 「name／基準値 …／目標値 …」); and a lone value, which is the target. Names may hold digits,
/// brackets and colons (「第2期創業者数」, 「若年層（15～34歳）の就業者数」). Text with no value
/// at all gives a [`ProblemKind::Unreadable`] problem and the whole text as the name.
pub fn parse_indicator(text: &str, bare: YearKind) -> ParsedIndicator {
    let n = Norm::new(text);
    let all = n.trim(n.all());
    let mut out = ParsedIndicator::default();
    let (name, observed) = read_parts(&n, all.clone(), bare);
    for (role, o) in observed {
        let slot = match role {
            Role::Baseline => &mut out.baseline,
            Role::Target => &mut out.target,
        };
        out.problems.extend(o.problems.iter().cloned());
        if slot.is_none() {
            *slot = Some(o.obs);
        }
    }
    if out.baseline.is_none() && out.target.is_none() {
        out.name = n.text(all.clone()).to_string();
        let written = n.text(all.clone());
        out.problems = vec![n.problem(
            ProblemKind::Unreadable,
            all,
            format!("「{written}」から指標の値を読み取れません"),
            format!("no indicator value can be read from \"{written}\""),
        )];
        return out;
    }
    out.name = n.text(name).to_string();
    out.problems.sort_by_key(|p| p.span.start);
    let unit_of = |o: &Option<ParsedObservation>| o.as_ref().and_then(|o| o.value.unit.clone());
    match (unit_of(&out.baseline), unit_of(&out.target)) {
        (Some(b), Some(t)) if b != t => {
            let start = out.baseline.as_ref().map_or(0, |o| o.span.start);
            let end = out.target.as_ref().map_or(0, |o| o.span.end);
            out.problems.push(Problem {
                kind: ProblemKind::UnitMismatch,
                span: start.min(end)..end.max(start),
                ja: format!("基準値の単位「{b}」と目標値の単位「{t}」が異なります"),
                en: format!("the baseline's unit \"{b}\" differs from the target's unit \"{t}\""),
            });
        }
        (b, t) => out.unit = b.or(t),
    }
    out
}

/// The name's range and the observations with the roles they play.
fn read_parts(
    n: &Norm,
    all: Range<usize>,
    bare: YearKind,
) -> (Range<usize>, Vec<(Role, Observed)>) {
    let labels = find_labels(n, all.clone());
    if let Some(first) = labels.first() {
        return labelled(n, all, &labels, first.start, bare);
    }
    let s = n.sl(all.clone());
    if let (Some((a0, _)), Some((_, b1))) = (find_arrow(s), rfind_arrow(s)) {
        let left = all.start..all.start + a0;
        let right = n.trim(all.start + b1..all.end);
        let (name, baseline) = split_name(n, left.clone(), bare);
        let target_shaped = observation_shaped(n.sl(right.clone()));
        if baseline.is_none() && !target_shaped {
            return (all, Vec::new());
        }
        let mut observed = Vec::new();
        observed.extend(baseline.map(|o| (Role::Baseline, o)));
        if !right.is_empty() {
            observed.push((Role::Target, observe_in(n, right, bare)));
        }
        let name = if observed.is_empty() { all } else { name };
        return (name, observed);
    }
    let (name, target) = split_name(n, all, bare);
    let Some(target) = target else {
        return (name, Vec::new());
    };
    // Two dated values with no arrow, 「就職率 55.2%（H26） 60.0%（H31）」: baseline, target.
    let dated = |o: &Observed| o.problems.is_empty() && o.obs.when.is_some();
    if dated(&target) {
        let head = n.trim_end_chars(name.clone(), &['、', ',', ';']);
        let (before, baseline) = split_name(n, head, bare);
        if let Some(baseline) = baseline
            && dated(&baseline)
            && (baseline.obs.value.unit.is_none()
                || target.obs.value.unit.is_none()
                || baseline.obs.value.unit == target.obs.value.unit)
        {
            return (
                before,
                vec![(Role::Baseline, baseline), (Role::Target, target)],
            );
        }
    }
    (name, vec![(Role::Target, target)])
}

/// A label found in an indicator: where it starts (at its bracket, if any) and what it names.
struct LabelAt {
    start: usize,
    role: Role,
}

/// Chars a label may follow (besides the start of the text).
const BEFORE_LABEL: &[char] = &[
    ' ', ':', '/', '(', '[', '、', ',', ';', ')', ']', '】', '〕', '→', '⇒', '➡', '➔', '⟶', '⇨',
    '➜', '>',
];

/// The labels (基準値, 【現状値】, 目標値…) in range `r`, in order: bracketed, or after a
/// separator and before something an observation starts with.
fn find_labels(n: &Norm, r: Range<usize>) -> Vec<LabelAt> {
    let s = n.sl(r.clone());
    let mut found = Vec::new();
    let mut skip_to = 0;
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        let before = prev;
        prev = Some(c);
        if i < skip_to {
            continue;
        }
        let rest = &s[i..];
        if matches!(c, '【' | '[') {
            let inner = &rest[c.len_utf8()..];
            if let Some((w, role)) = LABELS.iter().find(|(w, _)| inner.starts_with(w)) {
                let after = inner[w.len()..].trim_start_matches(' ');
                if closing(c).is_some_and(|close| after.starts_with(close)) {
                    found.push(LabelAt {
                        start: r.start + i,
                        role: *role,
                    });
                    skip_to = i + c.len_utf8() + w.len();
                }
            }
            continue;
        }
        let after_separator = before.is_none_or(|b| BEFORE_LABEL.contains(&b));
        if !after_separator {
            continue;
        }
        if let Some((w, role)) = LABELS.iter().find(|(w, _)| rest.starts_with(w)) {
            let after = &rest[w.len()..];
            let followed =
                after.starts_with([':', ' ']) || (!after.is_empty() && starts_observation(after));
            if followed {
                found.push(LabelAt {
                    start: r.start + i,
                    role: *role,
                });
                skip_to = i + w.len();
            }
        }
    }
    found
}

/// Chars that separate labelled values and are not part of them.
const BETWEEN: &[char] = &[
    '、', ',', '/', ';', '。', '→', '⇒', '➡', '➔', '⟶', '⇨', '➜', '➝', '➞', '⟹',
];

/// Read labelled observations: the name before the first label, each label's observation up
/// to the next (an unlabelled value after an arrow is the target).
fn labelled(
    n: &Norm,
    all: Range<usize>,
    labels: &[LabelAt],
    first: usize,
    bare: YearKind,
) -> (Range<usize>, Vec<(Role, Observed)>) {
    let mut name_end = first;
    let mut list_end = all.end;
    // 「name（基準値：…、目標値：…）」: the brackets hold the list.
    let before = n.trim(all.start..first);
    let bs = n.sl(before.clone());
    if let Some(open) = bs.chars().next_back().filter(|c| closing(*c).is_some()) {
        let open_at = before.end - open.len_utf8();
        let s = n.sl(all.clone());
        if let Some(close_at) = matching_close(s, open_at - all.start)
            && all.start + close_at + closing(open).map_or(1, char::len_utf8) == all.end
        {
            name_end = open_at;
            list_end = all.start + close_at;
        }
    }
    let name = n.trim_end_chars(all.start..name_end, &[':', '/', '、', ',', ';']);
    let mut observed = Vec::new();
    for (k, label) in labels.iter().enumerate() {
        let end = labels
            .get(k + 1)
            .map_or(list_end, |l| l.start)
            .min(list_end);
        if label.start >= end {
            continue;
        }
        let segment = n.trim_end_chars(label.start..end, BETWEEN);
        let s = n.sl(segment.clone());
        match super::find_arrow(s) {
            Some((a0, a1)) => {
                let left = n.trim_end_chars(segment.start..segment.start + a0, BETWEEN);
                let right = n.trim(segment.start + a1..segment.end);
                let o = observe_in(n, left, bare);
                observed.push((o.role.unwrap_or(label.role), o));
                if !right.is_empty() {
                    observed.push((Role::Target, observe_in(n, right, bare)));
                }
            }
            None => {
                let o = observe_in(n, segment, bare);
                observed.push((o.role.unwrap_or(label.role), o));
            }
        }
    }
    (name, observed)
}

/// True when a text could be meant as an observation though it may not read: it has a digit,
/// 元, a dash or a label in it.
fn observation_shaped(s: &str) -> bool {
    s.contains(|c: char| c.is_ascii_digit() || c == '元' || super::is_dash(c))
        || LABELS.iter().any(|(w, _)| s.contains(w))
}

/// Split range `l` into the name and the observation after it: after the first separator
/// (：, :, spaces) whose rest reads cleanly, else before the longest clean suffix, else after
/// the last separator whose rest looks like a value; none when nothing looks like one.
fn split_name(n: &Norm, l: Range<usize>, bare: YearKind) -> (Range<usize>, Option<Observed>) {
    let l = n.trim(l);
    let s = n.sl(l.clone());
    let near_end = |i: usize| s.len() - i <= MAX_OBSERVATION;
    // Each separator with where the text after it starts (past further spaces and colons),
    // found in one pass from the end so that long runs of separators stay linear.
    let mut next_text = vec![s.len(); s.len() + 1];
    let mut first = s.len();
    for (i, c) in s.char_indices().rev() {
        if c != ' ' && c != ':' {
            first = i;
        }
        next_text[i] = first;
    }
    let mut separators: Vec<(usize, usize, bool)> = s
        .match_indices(':')
        .map(|(i, _)| (i, i + 1, true))
        .chain(space_runs(s).into_iter().map(|(a, b)| (a, b, false)))
        .map(|(start, end, colon)| (start, next_text.get(end).copied().unwrap_or(s.len()), colon))
        .collect();
    separators.sort_unstable();
    let name_before = |i: usize| n.trim_end_chars(l.start..l.start + i, &[':']);
    // After a separator: the first that reads cleanly with no label in the value (「区分：
    // 就職者数 3人」 is not 3 人 labelled 就職者数), else the first with one (「…：累計25社」).
    let mut labelled = None;
    for &(start, at, colon) in &separators {
        let rest = &s[at..];
        if rest.is_empty() || !near_end(at) || !(colon || starts_observation(rest)) {
            continue;
        }
        let o = observe_in(n, l.start + at..l.end, bare);
        if o.problems.is_empty() {
            if o.obs.value.label.is_none() {
                return (name_before(start), Some(o));
            }
            labelled = labelled.or(Some((start, o)));
        }
    }
    if let Some((start, o)) = labelled {
        return (name_before(start), Some(o));
    }
    // With no separator a value carries no label: 「節約額3万円」 is 3万円, not 額3万円; nor
    // does it start inside a number or a range (「100～120人」 does not end in 120人).
    let mut prev: Option<char> = None;
    for (i, c) in s.char_indices() {
        let before = prev;
        prev = Some(c);
        let inside = before.is_some_and(|b| {
            b.is_ascii_digit() || is_sign(b) || is_dash(b) || matches!(b, '~' | ',' | '.' | '/')
        }) || s[..i].ends_with("から");
        if inside || !near_end(i) || !starts_observation(&s[i..]) {
            continue;
        }
        let o = observe_in(n, l.start + i..l.end, bare);
        if o.problems.is_empty() && o.obs.value.label.is_none() {
            return (name_before(i), Some(o));
        }
    }
    // Else after the last colon (or, with none, the last space) whose rest looks like a value.
    let fallback = separators
        .iter()
        .filter(|&&(_, at, _)| at < s.len() && near_end(at) && observation_shaped(&s[at..]))
        .max_by_key(|&&(start, _, colon)| (colon, start));
    if let Some(&(start, at, _)) = fallback {
        return (
            name_before(start),
            Some(observe_in(n, l.start + at..l.end, bare)),
        );
    }
    (l, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Bound, When};

    /// Value (as text) and date of an observation.
    type Obs = Option<(Option<String>, Option<When>)>;

    fn obs(o: &Option<ParsedObservation>) -> Obs {
        o.as_ref()
            .map(|o| (o.value.value.map(|d| d.to_string()), o.when))
    }

    fn v(value: &str, when: When) -> Obs {
        Some((Some(value.to_string()), Some(when)))
    }

    fn fy(year: u16) -> When {
        When::FiscalYear { year }
    }

    /// Name, unit, baseline and target, and no problems.
    fn clean(text: &str) -> (String, Option<String>, Obs, Obs) {
        let i = parse_indicator(text, YearKind::Fiscal);
        assert!(i.problems.is_empty(), "{text}: {:?}", i.problems);
        (i.name, i.unit, obs(&i.baseline), obs(&i.target))
    }

    fn s(x: &str) -> String {
        x.to_string()
    }

    #[test]
    fn name_colon_arrow() {
        assert_eq!(
            clean("就業支援事業による市内就職者数：120人（H26）→150人（H31）"),
            (
                s("就業支援事業による市内就職者数"),
                Some(s("人")),
                v("120", fy(2014)),
                v("150", fy(2019))
            )
        );
        assert_eq!(
            clean("市内新規高卒者の市内就職率 55.2%（平成26年度）→ 60.0%（平成31年度）"),
            (
                s("市内新規高卒者の市内就職率"),
                Some(s("%")),
                v("55.2", fy(2014)),
                v("60.0", fy(2019))
            )
        );
        let i = parse_indicator("就職者数：120人（H26）→150人（H31）", YearKind::Calendar);
        assert_eq!(obs(&i.baseline), v("120", When::Year { year: 2014 }));
    }

    #[test]
    fn arrows() {
        for arrow in [
            "→",
            "⇒",
            "➡",
            "➔",
            "⟶",
            "->",
            "=>",
            "－＞",
            "＝＞",
            " → ",
            "　→　",
            " -> ",
        ] {
            let text = format!("市内就職者数：120人（H26）{arrow}150人（H31）");
            assert_eq!(
                clean(&text),
                (
                    s("市内就職者数"),
                    Some(s("人")),
                    v("120", fy(2014)),
                    v("150", fy(2019))
                ),
                "{text}"
            );
        }
    }

    #[test]
    fn labelled_values() {
        let want = |name: &str| {
            (
                s(name),
                Some(s("人")),
                v("120", fy(2014)),
                v("150", fy(2019)),
            )
        };
        for text in [
            "市内就職者数（基準値：120人（H26）、目標値：150人（H31））",
            "市内就職者数(基準値:120人(H26),目標値:150人(H31))",
            "市内就職者数 現状値120人（H26） 目標値150人（H31）",
            "市内就職者数　現状値120人（H26）　目標値150人（H31）",
            "市内就職者数【現状値】120人（H26）【目標値】150人（H31）",
            "市内就職者数 【現状値】120人（H26） 【目標値】150人（H31）",
            "市内就職者数：基準値120人（H26）→目標値150人（H31）",
            "市内就職者数：基準値120人（H26）→150人（H31）",
            "市内就職者数 目標値150人（H31） 基準値120人（H26）",
            "市内就職者数 実績値120人（H26） 目標150人（H31）",
        ] {
            assert_eq!(clean(text), want("市内就職者数"), "{text}");
        }
        let i = clean("市内就職者数／基準値 120人／目標値 150人");
        assert_eq!(i.0, "市内就職者数");
        assert_eq!(i.1.as_deref(), Some("人"));
        assert_eq!(i.2, Some((Some(s("120")), None)));
        assert_eq!(i.3, Some((Some(s("150")), None)));
        // A label alone says which one it is.
        let i = clean("市内就職者数 現状値120人（H26）");
        assert_eq!((i.2, i.3), (v("120", fy(2014)), None));
        let i = clean("目標値：150人（H31）");
        assert_eq!((i.0.as_str(), i.3), ("", v("150", fy(2019))));
        // Label words inside a name are not labels.
        let i = clean("目標達成率：50%（H26）→80%（H31）");
        assert_eq!(i.0, "目標達成率");
        let i = clean("現状値把握件数：5件（H26）→10件（H31）");
        assert_eq!(i.0, "現状値把握件数");
    }

    #[test]
    fn one_value_is_the_target() {
        for (text, name, target) in [
            (
                "市内就職者数：150人（H31）",
                "市内就職者数",
                v("150", fy(2019)),
            ),
            (
                "市内就職者数 150人（H31）",
                "市内就職者数",
                v("150", fy(2019)),
            ),
            (
                "市内就職者数150人（H31）",
                "市内就職者数",
                v("150", fy(2019)),
            ),
            (
                "市内就職者数：H31：150人",
                "市内就職者数",
                v("150", fy(2019)),
            ),
            (
                "市内就職者数 平成31年度 150人",
                "市内就職者数",
                v("150", fy(2019)),
            ),
            (
                "市内就職者数（H31）150人",
                "市内就職者数",
                v("150", fy(2019)),
            ),
            ("就職者数：150人", "就職者数", Some((Some(s("150")), None))),
            (
                "第2期創業者数 3人（H31）",
                "第2期創業者数",
                v("3", fy(2019)),
            ),
            (
                "H26比の増加数：3人（H31）",
                "H26比の増加数",
                v("3", fy(2019)),
            ),
        ] {
            let (n, _, b, t) = clean(text);
            assert_eq!((n.as_str(), b, t), (name, None, target), "{text}");
        }
    }

    #[test]
    fn two_dated_values_without_an_arrow() {
        for text in [
            "就職率 55.2%（平成26年度） 60.0%（平成31年度）",
            "就職率：55.2%（H26）、60.0%（H31）",
            "就職率 55.2%（H26） 60.0（H31）",
        ] {
            let (name, unit, b, t) = clean(text);
            assert_eq!(name, "就職率", "{text}");
            assert_eq!(unit.as_deref(), Some("%"), "{text}");
            assert_eq!(b, v("55.2", fy(2014)), "{text}");
            assert_eq!(t, v("60.0", fy(2019)), "{text}");
        }
        // Units that differ do not make a pair: the first stays in the name.
        let (name, _, b, _) = clean("就職者数 5件（H26） 60人（H31）");
        assert_eq!((name.as_str(), b), ("就職者数 5件（H26）", None));
    }

    #[test]
    fn names_with_digits_brackets_colons() {
        assert_eq!(
            clean(
                "市内の若年層（15～34歳）の就業者数：1万6,800人（平成22年）→1万7,000人（平成31年）"
            ),
            (
                s("市内の若年層（15～34歳）の就業者数"),
                Some(s("人")),
                v("16800", When::Year { year: 2010 }),
                v("17000", When::Year { year: 2019 })
            )
        );
        assert_eq!(
            clean("第2期創業者数：3人（H26）→10人（H31）"),
            (
                s("第2期創業者数"),
                Some(s("人")),
                v("3", fy(2014)),
                v("10", fy(2019))
            )
        );
        assert_eq!(
            clean("公式フェイスブックページの「いいね！」数：2,300件（H27.3）→5,000件（H31.3）"),
            (
                s("公式フェイスブックページの「いいね！」数"),
                Some(s("件")),
                v(
                    "2300",
                    When::Month {
                        year: 2015,
                        month: 3
                    }
                ),
                v(
                    "5000",
                    When::Month {
                        year: 2019,
                        month: 3
                    }
                )
            )
        );
        for (text, name) in [
            ("第2期創業者数3人（H26）→10人（H31）", "第2期創業者数"),
            (
                "市内の若年層（15～34歳）の就業者数1万6,800人（H22）→1万7,000人（H31）",
                "市内の若年層（15～34歳）の就業者数",
            ),
            ("区分A：就職者数：3人（H26）→10人（H31）", "区分A：就職者数"),
            (
                "観光客数（日帰り・宿泊）：410万人（H26）→450万人（H31）",
                "観光客数（日帰り・宿泊）",
            ),
            ("H26比の就職者数：3人（H26）→10人（H31）", "H26比の就職者数"),
            ("市内 就職者数 3人（H26）→10人（H31）", "市内 就職者数"),
        ] {
            assert_eq!(clean(text).0, name, "{text}");
        }
    }

    #[test]
    fn units_shared_and_mismatched() {
        let (_, unit, b, t) = clean("市内の創業支援拠点数：―（H26）→1か所（H31）");
        assert_eq!(unit.as_deref(), Some("か所"));
        assert_eq!(b, Some((None, Some(fy(2014)))));
        assert_eq!(t, v("1", fy(2019)));
        let (_, unit, _, _) = clean("就職者数：120（H26）→150人（H31）");
        assert_eq!(unit.as_deref(), Some("人"));
        let (_, unit, _, _) = clean("就職率：0.5（H26）→0.6（H31）");
        assert_eq!(unit, None);
        let text = "就職者数：120人（H26）→150件（H31）";
        let i = parse_indicator(text, YearKind::Fiscal);
        assert_eq!(i.unit, None);
        assert_eq!(obs(&i.baseline), v("120", fy(2014)));
        assert_eq!(obs(&i.target), v("150", fy(2019)));
        assert_eq!(i.problems.len(), 1);
        let p = &i.problems[0];
        assert_eq!(p.kind, ProblemKind::UnitMismatch);
        assert_eq!(&text[p.span.clone()], "120人（H26）→150件（H31）");
        assert!(
            p.ja.contains("「人」") && p.ja.contains("「件」"),
            "{}",
            p.ja
        );
        let i = parse_indicator("就職率：55%（H26）→+5ポイント（H31）", YearKind::Fiscal);
        assert_eq!(
            i.problems.first().map(|p| p.kind),
            Some(ProblemKind::UnitMismatch)
        );
    }

    #[test]
    fn unreadable() {
        for text in [
            "市民満足度の向上",
            "  市民満足度の向上  ",
            "",
            "観光客の増加→さらなる増加",
            "市民満足度：向上",
        ] {
            let i = parse_indicator(text, YearKind::Fiscal);
            assert_eq!(i.name, text.trim(), "{text}");
            assert_eq!(
                (i.baseline.is_none(), i.target.is_none()),
                (true, true),
                "{text}"
            );
            assert_eq!(i.problems.len(), 1, "{text}");
            let p = &i.problems[0];
            assert_eq!(p.kind, ProblemKind::Unreadable);
            assert_eq!(&text[p.span.clone()], text.trim(), "{text}");
        }
        assert_eq!(
            parse_indicator("市民満足度の向上", YearKind::Fiscal).problems[0].ja,
            "「市民満足度の向上」から指標の値を読み取れません"
        );
    }

    #[test]
    fn values_that_are_not_numbers() {
        let text = "市内就職者数：増加（H31）";
        let i = parse_indicator(text, YearKind::Fiscal);
        assert_eq!(i.name, "市内就職者数");
        let t = i.target.as_ref();
        assert_eq!(t.map(|t| t.value.value), Some(None));
        assert_eq!(t.and_then(|t| t.when), Some(fy(2019)));
        assert_eq!(i.problems.len(), 1);
        assert_eq!(i.problems[0].kind, ProblemKind::NotANumber);
        assert_eq!(&text[i.problems[0].span.clone()], "増加");

        let text = "市内就職者数：120人（H26）→維持（H31）";
        let i = parse_indicator(text, YearKind::Fiscal);
        assert_eq!(obs(&i.baseline), v("120", fy(2014)));
        assert_eq!(i.target.as_ref().and_then(|t| t.when), Some(fy(2019)));
        assert_eq!(&text[i.problems[0].span.clone()], "維持");
        assert_eq!(i.unit.as_deref(), Some("人"));

        let text = "市内就職者数：120人（27年度）→150人（H31）";
        let i = parse_indicator(text, YearKind::Fiscal);
        assert_eq!(i.name, "市内就職者数");
        assert_eq!(i.problems.len(), 1, "{:?}", i.problems);
        assert_eq!(i.problems[0].kind, ProblemKind::BadDate);
        assert_eq!(&text[i.problems[0].span.clone()], "27年度");
        assert_eq!(
            i.baseline
                .as_ref()
                .and_then(|b| b.value.value)
                .map(|d| d.to_string()),
            Some(s("120"))
        );

        let text = "市内就職者数：100～120人（H26）→150人（H31）";
        let i = parse_indicator(text, YearKind::Fiscal);
        assert_eq!(i.name, "市内就職者数");
        assert_eq!(&text[i.problems[0].span.clone()], "100～120人");
        assert_eq!(obs(&i.target), v("150", fy(2019)));
    }

    #[test]
    fn bounds_and_approximations_survive() {
        let i = parse_indicator(
            "就職者数：約100人（H26）→2,000人以上（H31）",
            YearKind::Fiscal,
        );
        assert!(i.problems.is_empty(), "{:?}", i.problems);
        assert_eq!(i.baseline.as_ref().map(|b| b.value.approximate), Some(true));
        assert_eq!(
            i.target.as_ref().and_then(|t| t.value.bound),
            Some(Bound::AtLeast)
        );
        assert_eq!(i.name, "就職者数");
    }

    #[test]
    fn spans_are_in_the_text() {
        let text = "  第2期創業者数：3人（H26）→10人（H31） ";
        let i = parse_indicator(text, YearKind::Fiscal);
        assert_eq!(
            i.baseline.as_ref().map(|b| &text[b.span.clone()]),
            Some("3人（H26）")
        );
        assert_eq!(
            i.target.as_ref().map(|t| &text[t.span.clone()]),
            Some("10人（H31）")
        );
    }
}

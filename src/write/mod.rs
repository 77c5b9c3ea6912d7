//! Writers: each starts from the canonical model ([`crate::model::Strategy`]) alone and never
//! sees which reader made it.
//!
//! The labels every writer shows the same way (the title, the measure numbers ①②…, a
//! project with its grant types) live here, so the PDF and the web page never disagree.

pub mod html;
pub mod opendata;
pub mod pdf;
pub mod shinkyu;

use crate::model::{Indicator, Observation, Project, RelatedProject, Strategy};
use rust_decimal::Decimal;

/// The plan's title, or 「（無題）」 when the draft has none.
pub fn title_of(s: &Strategy) -> String {
    s.title.clone().unwrap_or_else(|| "（無題）".to_string())
}

/// The line under the title: prefecture and municipality (or the publisher), stage and date,
/// separated by 「　｜　」.
pub fn subtitle_of(s: &Strategy) -> String {
    let mut parts = Vec::new();
    if let Some(m) = &s.municipality {
        parts.push(format!("{}{}", m.prefecture, m.name));
    } else if let Some(p) = &s.publisher {
        parts.push(p.name.clone());
    }
    if let Some(stage) = s.stage {
        parts.push(stage.label().to_string());
    }
    if let Some(d) = s.date {
        parts.push(d.to_japanese());
    }
    parts.join("　｜　")
}

/// A measure's number as the drafts write it: ① … ㊿, then (51), (52), ….
pub fn measure_label(n: u32) -> String {
    match n {
        1..=20 => char::from_u32(0x2460 + n - 1).map(String::from),
        21..=35 => char::from_u32(0x3251 + n - 21).map(String::from),
        36..=50 => char::from_u32(0x32B1 + n - 36).map(String::from),
        _ => None,
    }
    .unwrap_or_else(|| format!("({n})"))
}

/// A project's grant types as written after it, e.g. 「（先行型）」; empty when it has none.
pub fn funding_text(p: &Project) -> String {
    p.funding
        .iter()
        .map(|f| format!("（{}）", f.label()))
        .collect()
}

/// A project with its grant types, e.g. 「就業支援事業（…）（先行型）」.
pub fn project_text(p: &Project) -> String {
    format!("{}{}", p.title, funding_text(p))
}

/// A related project with its budget category in front, e.g. 「（スポーツ振興）…」.
pub fn related_text(p: &RelatedProject) -> String {
    match &p.category {
        Some(c) => format!("（{c}）{}", p.title),
        None => p.title.clone(),
    }
}

/// A number as Japanese documents print it: thousands separators (「1,234」), and from 1億 up
/// the 兆・億・万 groups (「1兆2,345億」, 「4億1,000万」); decimals as the draft wrote them.
pub fn number_text(d: Decimal) -> String {
    let negative = d.is_sign_negative() && !d.is_zero();
    let abs = d.abs();
    let text = abs.to_string();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (text.clone(), None),
    };
    let commas = |digits: &str| -> String {
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    let body = if frac.is_none() && int.len() > 8 {
        // Groups of four digits from the right: 万, 億, 兆, 京.
        let digits: Vec<char> = int.chars().collect();
        let mut groups: Vec<String> = Vec::new();
        let mut end = digits.len();
        while end > 0 {
            let start = end.saturating_sub(4);
            groups.push(digits[start..end].iter().collect());
            end = start;
        }
        let names = ["", "万", "億", "兆", "京"];
        let mut out = String::new();
        for (i, g) in groups.iter().enumerate().rev() {
            let value = g.trim_start_matches('0');
            if value.is_empty() {
                continue;
            }
            out.push_str(&commas(value));
            out.push_str(names.get(i).copied().unwrap_or(""));
        }
        out
    } else {
        let mut out = commas(&int);
        if let Some(f) = frac {
            out.push('.');
            out.push_str(&f);
        }
        out
    };
    if negative { format!("-{body}") } else { body }
}

/// An observation's value with its unit and qualifiers, e.g. 「約4,200人」「2,000人以上」;
/// 「値なし」 when the draft gives none, and the draft's words when they are not a number.
pub fn value_text(o: &Observation, unit: Option<&str>) -> String {
    let Some(v) = o.value else {
        let written = strip_when(&o.written);
        return if written.is_empty() || is_dash(&written) {
            "値なし".to_string()
        } else {
            written
        };
    };
    let mut out = String::new();
    if o.approximate {
        out.push('約');
    }
    out.push_str(&number_text(v));
    out.push_str(unit.unwrap_or(""));
    if let Some(b) = o.bound {
        out.push_str(b.label());
    }
    out
}

/// The written form of a value without a trailing bracketed date (「増加（H31）」 → 「増加」).
fn strip_when(written: &str) -> String {
    let t = written.trim();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if t.ends_with(close)
            && let Some(i) = t.rfind(open)
        {
            return t[..i].trim().to_string();
        }
    }
    t.to_string()
}

fn is_dash(t: &str) -> bool {
    t.chars()
        .all(|c| matches!(c, '―' | '－' | '-' | '—' | '‐' | 'ー' | '–' | '−'))
}

/// An observation as one phrase: value and, in brackets, its date, e.g.
/// 「55.2%（2014（平成26）年度）」.
pub fn observation_text(o: &Observation, unit: Option<&str>) -> String {
    match o.when {
        Some(w) => format!("{}（{}）", value_text(o, unit), w.label()),
        None => value_text(o, unit),
    }
}

/// An indicator's values as one line: 「基準値 120人（2014（平成26）年度）→ 目標値 150人（…）」,
/// with yearly actuals between; the draft's own words when nothing could be read.
pub fn indicator_values_text(i: &Indicator) -> String {
    let unit = i.unit.as_deref();
    let mut parts = Vec::new();
    if let Some(b) = &i.baseline {
        parts.push(format!("基準値 {}", observation_text(b, unit)));
    }
    for a in &i.actuals {
        parts.push(format!("実績値 {}", observation_text(a, unit)));
    }
    if let Some(t) = &i.target {
        parts.push(format!("目標値 {}", observation_text(t, unit)));
    }
    if parts.is_empty() {
        return "（基準値・目標値の記載はありません）".to_string();
    }
    parts.join(" → ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Funding;

    #[test]
    fn measure_numbers_are_circled_up_to_fifty() {
        assert_eq!(measure_label(1), "①");
        assert_eq!(measure_label(20), "⑳");
        assert_eq!(measure_label(21), "㉑");
        assert_eq!(measure_label(36), "㊱");
        assert_eq!(measure_label(50), "㊿");
        assert_eq!(measure_label(51), "(51)");
    }

    #[test]
    fn projects_carry_their_grant_types() {
        let p = Project {
            title: "立地企業サポート事業".into(),
            funding: vec![Funding::Senkogata, Funding::Uwanose],
            ..Project::default()
        };
        assert_eq!(funding_text(&p), "（先行型）（上乗せ）");
        assert_eq!(project_text(&p), "立地企業サポート事業（先行型）（上乗せ）");
    }

    #[test]
    fn numbers_as_japanese_documents_print_them() {
        let n = |s: &str| number_text(s.parse().expect("decimal"));
        assert_eq!(n("120"), "120");
        assert_eq!(n("1200"), "1,200");
        assert_eq!(n("32400"), "32,400");
        assert_eq!(n("4100000"), "4,100,000");
        assert_eq!(n("1234500000000"), "1兆2,345億");
        assert_eq!(n("1300000000000"), "1兆3,000億");
        assert_eq!(n("120000000"), "1億2,000万");
        assert_eq!(n("55.2"), "55.2");
        assert_eq!(n("60.0"), "60.0");
        assert_eq!(n("1234.5"), "1,234.5");
        assert_eq!(n("-350"), "-350");
        assert_eq!(n("0"), "0");
    }

    #[test]
    fn observations_read_as_phrases() {
        use crate::model::{Bound, When};
        let o = Observation {
            value: Some("4200".parse().expect("d")),
            approximate: true,
            when: Some(When::FiscalYear { year: 2014 }),
            written: "約4,200人（H26）".into(),
            ..Observation::default()
        };
        assert_eq!(
            observation_text(&o, Some("人")),
            "約4,200人（2014（平成26）年度）"
        );
        let o = Observation {
            value: Some("2000".parse().expect("d")),
            bound: Some(Bound::AtLeast),
            ..Observation::default()
        };
        assert_eq!(value_text(&o, Some("人")), "2,000人以上");
        let none = Observation {
            written: "―（H26）".into(),
            ..Observation::default()
        };
        assert_eq!(value_text(&none, Some("か所")), "値なし");
        let words = Observation {
            written: "増加（H31）".into(),
            ..Observation::default()
        };
        assert_eq!(value_text(&words, None), "増加");
    }
}

//! Writers: each starts from the canonical model ([`crate::model::Strategy`]) alone and never
//! sees which reader made it.
//!
//! The labels every writer shows the same way (the title, the measure numbers ①②…, a
//! project with its grant types) live here, so the PDF and the web page never disagree.

pub mod html;
pub mod opendata;
pub mod pdf;
pub mod shinkyu;

use crate::model::{Project, RelatedProject, Strategy};

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
}

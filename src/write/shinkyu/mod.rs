//! Writers of the 新旧対照表 (the comparison of two versions of a draft): each starts from a
//! [`crate::compare::Comparison`] alone.

pub mod csv;
pub mod html;
pub mod pdf;
pub mod text;

use crate::compare::{Change, Comparison, GoalSummary, Kind};

/// The counts in one sentence, as the page and the PDF open with them.
pub fn summary(cmp: &Comparison) -> String {
    let count = |k: Kind| cmp.of_kind(k).count();
    format!(
        "変更のあった項目は {} 件です（追加 {} 件、削除 {} 件、変更 {} 件、移動 {} 件）。変更のない {} 項目は載せていません。",
        cmp.changes.len(),
        count(Kind::Added),
        count(Kind::Removed),
        count(Kind::Changed),
        count(Kind::Moved),
        cmp.unchanged()
    )
}

/// A row's header, line by line: 「変更（具体的な施策）」, then its place, or for a moved item
/// both places (「旧：…」, 「新：…」).
pub fn row_header(c: &Change) -> (String, Vec<String>) {
    let kind = format!("{}（{}）", c.kind.label(), c.level.label());
    let places = match (c.kind, &c.old, &c.new) {
        (Kind::Moved, Some(o), Some(n)) => {
            vec![format!("旧：{}", o.place), format!("新：{}", n.place)]
        }
        (_, o, n) => n
            .as_ref()
            .or(o.as_ref())
            .map(|v| v.place.clone())
            .into_iter()
            .collect(),
    };
    (kind, places)
}

/// The line under a goal's heading: its counts.
pub fn goal_note(g: &GoalSummary) -> String {
    if g.changed == 0 {
        format!("変更はありません（変更のない {} 項目）。", g.unchanged)
    } else {
        format!(
            "変更 {} 件。変更のない {} 項目は省略しています。",
            g.changed, g.unchanged
        )
    }
}

/// The file-name stem of a draft's 新旧対照表 files.
pub const STEM: &str = "shinkyu_taishohyo";

/// The links the 新旧対照表 page gives to its PDF and CSV (beside it, as `diff --out` and the
/// build write them).
pub fn files(pdf: &[u8], csv: &[u8]) -> Vec<crate::write::html::Download> {
    use crate::write::html::Download;
    vec![
        Download {
            label: "新旧対照表（印刷用）".to_string(),
            format: "PDF",
            href: format!("{STEM}.pdf"),
            bytes: pdf.len() as u64,
        },
        Download {
            label: "変更の一覧".to_string(),
            format: "CSV",
            href: format!("{STEM}.csv"),
            bytes: csv.len() as u64,
        },
    ]
}

//! The 新旧対照表 as CSV, one row per change: the same rules as the open data (UTF-8 with a BOM,
//! CRLF, the header on line 1, formula starts neutralised, line breaks removed).

use crate::compare::{Change, Comparison, Kind};
use crate::write::opendata::{Column, ColumnType, CsvEncoding, Table, clean_value};

/// The columns: change type, ID, level, place (the new one; the old one when removed), the
/// old place of a moved item, old text, new text.
pub fn columns() -> Vec<Column> {
    let col = |title, name, description, required| Column {
        title,
        name,
        description,
        kind: ColumnType::String,
        required,
        pattern: None,
    };
    vec![
        Column {
            pattern: Some("^(追加|削除|変更|移動)$"),
            ..col(
                "種別",
                "change",
                "変更の種類（追加・削除・変更・移動）",
                true,
            )
        },
        col(
            "ID",
            "id",
            "項目の ID（オープンデータと同じ。削除された項目は旧版の ID）",
            true,
        ),
        col(
            "階層",
            "level",
            "基本目標・施策の基本的方向・具体的な施策・事業例・関連する既存事業",
            true,
        ),
        col(
            "位置",
            "place",
            "新版での位置（削除された項目は旧版での位置）",
            true,
        ),
        col("旧の位置", "old_place", "移動した項目の旧版での位置", false),
        col("旧", "old_text", "旧版の文言（追加された項目は空）", false),
        col("新", "new_text", "新版の文言（削除された項目は空）", false),
    ]
}

fn row(c: &Change) -> Vec<String> {
    let here = c.new.as_ref().or(c.old.as_ref());
    let old_place = match (c.kind, &c.old) {
        (Kind::Moved, Some(o)) => o.place.clone(),
        _ => String::new(),
    };
    vec![
        c.kind.label().to_string(),
        here.map(|v| v.id.clone()).unwrap_or_default(),
        c.level.label().to_string(),
        here.map(|v| v.place.clone()).unwrap_or_default(),
        old_place,
        c.old
            .as_ref()
            .map(|v| clean_value(&v.text))
            .unwrap_or_default(),
        c.new
            .as_ref()
            .map(|v| clean_value(&v.text))
            .unwrap_or_default(),
    ]
}

/// The table of changes.
pub fn table(cmp: &Comparison) -> Table {
    Table {
        file: format!("{}.csv", super::STEM),
        resource: "shinkyu_taishohyo",
        title: format!("{}　新旧対照表", cmp.new_title),
        description: format!(
            "{}から{}への変更。変更のあった項目ごとに1行で、変更のない項目は載せていません。",
            cmp.old_name.ja, cmp.new_name.ja
        ),
        columns: columns(),
        rows: cmp.changes.iter().map(row).collect(),
        origins: cmp.changes.iter().map(|_| None).collect(),
    }
}

/// The CSV's bytes: UTF-8 with a BOM, CRLF.
pub fn bytes(cmp: &Comparison) -> Vec<u8> {
    // UTF-8 holds every character, so this cannot fail.
    crate::write::opendata::csv::bytes(&table(cmp), CsvEncoding::Utf8Bom).unwrap_or_default()
}

//! kohyo's own open-data CSVs read back: their numbered columns recast as the draft's.

use super::header::origin_of;
use crate::grid::{Cell, Grid, Origin, Slot};
use std::collections::BTreeMap;

/// A table in the layout of kohyo's open-data CSVs (施策: 基本目標番号 … 施策の基本的方向番号 …
/// 具体的な施策番号 … 交付金区分; 関連する既存事業: 関連事業番号, 分類, 関連事業名), recast as the
/// draft's columns so that published data reads back into the same model: 「1-1 方向」,
/// 「(12) 施策」, 「事業（先行型）」, 「（分類）事業」. Cells keep their origins.
pub(super) fn open_data_grid(grid: &Grid) -> Option<Grid> {
    let header = grid.rows.first()?;
    let mut cols: BTreeMap<String, usize> = BTreeMap::new();
    for (c, slot) in header.iter().enumerate() {
        if let Slot::Cell(cell) = slot {
            cols.insert(cell.text(), c);
        }
    }
    let has = |names: &[&str]| names.iter().all(|n| cols.contains_key(*n));
    let main = has(&[
        "基本目標",
        "施策の基本的方向番号",
        "施策の基本的方向",
        "具体的な施策番号",
        "具体的な施策",
        "事業例",
        "交付金区分",
    ]);
    let related = has(&["基本目標", "関連事業番号", "分類", "関連事業名"]);
    if !main && !related {
        return None;
    }
    let text = |r: usize, name: &str| -> (String, Origin) {
        let c = cols[name];
        match grid.cell_at(r, c) {
            Some((cell, _)) => (cell.text(), cell.origin.clone()),
            None => (String::new(), origin_of(grid, r, c)),
        }
    };
    let mut rows = Vec::with_capacity(grid.rows.len());
    let head: &[&str] = if main {
        &["基本目標", "施策の基本的方向", "具体的な施策", "事業例"]
    } else {
        &["基本目標", "関連する事業"]
    };
    let source_head: &[&str] = if main {
        &["基本目標", "施策の基本的方向", "具体的な施策", "事業例"]
    } else {
        &["基本目標", "関連事業名"]
    };
    rows.push(
        head.iter()
            .zip(source_head)
            .map(|(h, from)| Slot::Cell(Cell::from_text(h, text(0, from).1)))
            .collect(),
    );
    for r in 1..grid.rows.len() {
        if grid.row_is_blank(r) {
            continue;
        }
        let cell = |t: String, o: Origin| {
            if t.is_empty() {
                Slot::Empty
            } else {
                Slot::Cell(Cell::from_text(&t, o))
            }
        };
        let (goal, go) = text(r, "基本目標");
        if main {
            let (dir_no, _) = text(r, "施策の基本的方向番号");
            let (dir, d_o) = text(r, "施策の基本的方向");
            let (measure_no, _) = text(r, "具体的な施策番号");
            let (measure, m_o) = text(r, "具体的な施策");
            let (project, p_o) = text(r, "事業例");
            let (grants, _) = text(r, "交付金区分");
            let number = measure_no.rsplit('-').next().unwrap_or("").to_string();
            let measure = if number.chars().all(|c| c.is_ascii_digit()) && !number.is_empty() {
                format!("({number}) {measure}")
            } else {
                measure
            };
            let project = if project.is_empty() {
                project
            } else {
                let marks: String = grants
                    .split(';')
                    .map(str::trim)
                    .filter(|g| !g.is_empty())
                    .map(|g| format!("（{g}）"))
                    .collect();
                format!("{project}{marks}")
            };
            rows.push(vec![
                cell(goal, go),
                cell(format!("{dir_no} {dir}").trim().to_string(), d_o),
                cell(measure, m_o),
                cell(project, p_o),
            ]);
        } else {
            let (category, _) = text(r, "分類");
            let (name, n_o) = text(r, "関連事業名");
            let item = if category.is_empty() {
                name
            } else {
                format!("（{category}）{name}")
            };
            rows.push(vec![cell(goal, go), cell(item, n_o)]);
        }
    }
    Some(Grid {
        file: grid.file.clone(),
        sheet: grid.sheet.clone(),
        heading: grid.heading.clone(),
        rows,
    })
}

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
    if has(INDICATOR_COLUMNS) {
        return Some(indicator_grid(grid, &cols));
    }
    if has(RESULT_COLUMNS) {
        return Some(result_grid(grid, &cols));
    }
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

/// The columns that make a table kohyo's own 指標 CSV.
const INDICATOR_COLUMNS: &[&str] = &[
    "指標の区分",
    "基本目標番号",
    "具体的な施策番号",
    "具体的な施策",
    "指標名",
    "単位",
    "基準値",
    "基準値の注記",
    "基準年（度）",
    "基準月",
    "基準時点の区分",
    "目標値",
    "目標値の注記",
    "目標年（度）",
    "目標月",
    "目標時点の区分",
    "備考",
    "基準値の原文",
    "目標値の原文",
    "指標の原文",
];

/// Reads the named columns of one of kohyo's own CSVs, and writes the recast grid's cells.
struct Recast<'g> {
    grid: &'g Grid,
    cols: &'g BTreeMap<String, usize>,
}

impl Recast<'_> {
    /// The text of column `name` in row `r`, with its place.
    fn text(&self, r: usize, name: &str) -> (String, Origin) {
        let c = self.cols[name];
        match self.grid.cell_at(r, c) {
            Some((cell, _)) => (cell.text(), cell.origin.clone()),
            None => (String::new(), origin_of(self.grid, r, c)),
        }
    }

    /// The recast header row, placed at the source's header.
    fn head(&self, names: &[&str]) -> Vec<Slot> {
        let at = self.text(0, "指標名").1;
        names
            .iter()
            .map(|h| Slot::Cell(Cell::from_text(h, at.clone())))
            .collect()
    }

    /// Row `r`'s goal and measure keys (「基本目標1」, 「(3) 施策」, blank for a 数値目標), its
    /// indicator's name and its unit, as cells.
    fn keys(&self, r: usize) -> ([Slot; 4], String) {
        let (goal_no, go) = self.text(r, "基本目標番号");
        let (measure_no, _) = self.text(r, "具体的な施策番号");
        let (measure, mo) = self.text(r, "具体的な施策");
        let (name, no) = self.text(r, "指標名");
        let (unit, uo) = self.text(r, "単位");
        let measure_key = match measure_no.rsplit('-').next() {
            Some(n) if !measure_no.is_empty() => format!("({n}) {measure}"),
            _ => String::new(),
        };
        (
            [
                slot(format!("基本目標{goal_no}"), go),
                slot(measure_key, mo),
                slot(name, no),
                slot(unit.clone(), uo),
            ],
            unit,
        )
    }

    /// The value and year cells of the observation whose columns start with `prefix`
    /// (「基準」, 「目標」, 「実績」): the value as written carrying its number exactly, the year
    /// saying its kind.
    fn observation(&self, r: usize, prefix: &str, unit: &str) -> [Slot; 2] {
        use std::str::FromStr;
        let (value, vo) = self.text(r, &format!("{prefix}値"));
        let (qualifier, _) = self.text(r, &format!("{prefix}値の注記"));
        let (written, _) = self.text(r, &format!("{prefix}値の原文"));
        let (year, yo) = self.text(r, &format!("{prefix}年（度）"));
        let (month, _) = self.text(r, &format!("{prefix}月"));
        let (kind, _) = self.text(r, &format!("{prefix}時点の区分"));
        let mut value_cell = slot(shown_value(&written, &value, &qualifier, unit), vo);
        if let (Slot::Cell(c), Ok(v)) = (&mut value_cell, rust_decimal::Decimal::from_str(&value)) {
            c.number = Some(crate::grid::Number {
                value: v,
                unit: (!unit.is_empty()).then(|| unit.to_string()),
            });
        }
        [value_cell, slot(year_text(&kind, &year, &month), yo)]
    }

    /// The recast grid from its header and rows.
    fn grid(&self, rows: Vec<Vec<Slot>>) -> Grid {
        Grid {
            file: self.grid.file.clone(),
            sheet: self.grid.sheet.clone(),
            heading: self.grid.heading.clone(),
            rows,
        }
    }
}

/// A text cell at `o`, or nothing for no text.
fn slot(t: String, o: Origin) -> Slot {
    if t.is_empty() {
        Slot::Empty
    } else {
        Slot::Cell(Cell::from_text(&t, o))
    }
}

/// kohyo's 指標 CSV recast as an indicator table keyed by goal and measure: 基本目標 |
/// 具体的な施策 | 指標 | 単位 | 基準値 | 基準年度 | 目標値 | 目標年度 | 備考 | 指標の原文.
fn indicator_grid(grid: &Grid, cols: &BTreeMap<String, usize>) -> Grid {
    let x = Recast { grid, cols };
    let mut rows = vec![x.head(&[
        "基本目標",
        "具体的な施策",
        "指標",
        "単位",
        "基準値",
        "基準年度",
        "目標値",
        "目標年度",
        "備考",
        "指標の原文",
    ])];
    for r in 1..grid.rows.len() {
        if grid.row_is_blank(r) {
            continue;
        }
        let (keys, unit) = x.keys(r);
        let mut out: Vec<Slot> = keys.into();
        out.extend(x.observation(r, "基準", &unit));
        out.extend(x.observation(r, "目標", &unit));
        let (note, oo) = x.text(r, "備考");
        out.push(slot(note, oo));
        let (written, wo) = x.text(r, "指標の原文");
        out.push(slot(written, wo));
        rows.push(out);
    }
    x.grid(rows)
}

/// The columns that make a table kohyo's own 指標の実績 CSV.
const RESULT_COLUMNS: &[&str] = &[
    "指標ID",
    "基本目標番号",
    "具体的な施策番号",
    "具体的な施策",
    "指標名",
    "単位",
    "実績値",
    "実績値の注記",
    "実績年（度）",
    "実績月",
    "実績時点の区分",
    "実績値の原文",
];

/// kohyo's 指標の実績 CSV recast as a table of results keyed by goal and measure: 基本目標 |
/// 具体的な施策 | 指標 | 単位 | 実績値 | 実績年度, so each row's result joins its indicator again.
fn result_grid(grid: &Grid, cols: &BTreeMap<String, usize>) -> Grid {
    let x = Recast { grid, cols };
    let mut rows = vec![x.head(&[
        "基本目標",
        "具体的な施策",
        "指標",
        "単位",
        "実績値",
        "実績年度",
    ])];
    for r in 1..grid.rows.len() {
        if grid.row_is_blank(r) {
            continue;
        }
        let (keys, unit) = x.keys(r);
        let mut out: Vec<Slot> = keys.into();
        out.extend(x.observation(r, "実績", &unit));
        rows.push(out);
    }
    x.grid(rows)
}

/// A value cell's text: the words as written, else the value with its unit and qualifiers.
fn shown_value(written: &str, value: &str, qualifier: &str, unit: &str) -> String {
    if !written.is_empty() {
        return written.to_string();
    }
    if value.is_empty() {
        return String::new();
    }
    let approx = if qualifier.contains('約') { "約" } else { "" };
    let bound: String = qualifier.split(';').filter(|q| *q != "約").collect();
    format!("{approx}{value}{unit}{bound}")
}

/// A year cell's text from the open data's year, month and kind: 「2014年度」「2013年」「2015年4月」.
fn year_text(kind: &str, year: &str, month: &str) -> String {
    match kind {
        "年度" => format!("{year}年度"),
        "年" => format!("{year}年"),
        "年月" => format!("{year}年{month}月"),
        _ => String::new(),
    }
}

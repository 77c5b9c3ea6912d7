//! Finding tables by their header rows: the roles header cells name, one- and two-row
//! headers, repeated headers after a page break, note rows that end a table.

use super::indicators::{Columns, Part, indicator_part};
use crate::diag::{Code, Diagnostic};
use crate::grid::{Cell, Grid, Origin, Slot};
use std::collections::BTreeMap;

/// What a header cell names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// 基本目標.
    Goal,
    /// 施策の基本的方向.
    Direction,
    /// 具体的な施策.
    Measure,
    /// 事業例.
    Project,
    /// 関連する事業.
    Related,
}

impl Role {
    /// The header as the draft writes it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Goal => "基本目標",
            Role::Direction => "施策の基本的方向",
            Role::Measure => "具体的な施策",
            Role::Project => "事業例",
            Role::Related => "関連する事業",
        }
    }

    pub(super) fn label_en(self) -> &'static str {
        match self {
            Role::Goal => "goal",
            Role::Direction => "direction",
            Role::Measure => "measure",
            Role::Project => "projects",
            Role::Related => "related projects",
        }
    }
}

/// The role a header cell's text names, if any (spaces ignored).
pub fn header_role(text: &str) -> Option<Role> {
    let t: String = text
        .chars()
        .filter(|c| !crate::grid::is_space(*c))
        .collect();
    match t.as_str() {
        "基本目標" => Some(Role::Goal),
        "施策の基本的方向" | "基本的方向" | "施策の方向" => Some(Role::Direction),
        "具体的な施策" | "具体的施策" => Some(Role::Measure),
        "事業例" | "主な事業例" | "主な事業" | "事業" => Some(Role::Project),
        "関連する事業" | "関連する既存事業" | "関連事業" | "関連する主な事業" => {
            Some(Role::Related)
        }
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Main,
    Related,
    /// A table of indicators of its own (数値目標 or KPI), keyed by goal or measure.
    Indicators,
}

/// A header row found in a grid.
#[derive(Clone, Debug)]
pub(super) struct Header {
    pub(super) kind: Kind,
    /// The first header row (above `row` when the header takes two rows).
    pub(super) top: usize,
    /// The last header row: data starts below it.
    pub(super) row: usize,
    /// Role → column, for the main table.
    pub(super) cols: BTreeMap<Role, usize>,
    /// (goal column, related column) pairs, for the related table.
    pub(super) pairs: Vec<(usize, usize)>,
    /// Columns whose header is not a role.
    pub(super) signature: Vec<(usize, Role)>,
    /// The indicator columns: a KPI column of the main table, or an indicator table's.
    pub(super) indicators: Columns,
}

pub(super) fn anchored_text(grid: &Grid, r: usize, c: usize) -> Option<(&Cell, String)> {
    match grid.rows.get(r)?.get(c)? {
        Slot::Cell(cell) => {
            let t = cell.text();
            if t.is_empty() { None } else { Some((cell, t)) }
        }
        _ => None,
    }
}

/// Find the header row at `r`, reporting missing, duplicate and unexpected columns.
fn header_at(grid: &Grid, r: usize, diags: &mut Vec<Diagnostic>) -> Option<Header> {
    let mut roles: Vec<(usize, Role, Origin)> = Vec::new();
    let mut others: Vec<(usize, String, Origin)> = Vec::new();
    let mut parts: Vec<(usize, Part, String, Origin)> = Vec::new();
    for c in 0..grid.width() {
        if let Some((cell, t)) = anchored_text(grid, r, c) {
            if let Some(role) = header_role(&t) {
                roles.push((c, role, cell.origin.clone()));
            } else if let Some(part) = indicator_part(&t) {
                parts.push((c, part, t, cell.origin.clone()));
            } else {
                others.push((c, t, cell.origin.clone()));
            }
        }
    }
    let has = |role| roles.iter().any(|(_, r, _)| *r == role);
    let main_roles = [Role::Direction, Role::Measure, Role::Project]
        .iter()
        .filter(|r| has(**r))
        .count();
    let signature: Vec<(usize, Role)> = roles.iter().map(|(c, r, _)| (*c, *r)).collect();
    let named = parts.iter().any(|(_, p, _, _)| matches!(p, Part::Name(_)));
    if !named {
        // Without a name column, 単位, 備考 or 基準値 are not indicator columns here.
        others.extend(parts.drain(..).map(|(c, _, t, o)| (c, t, o)));
        others.sort_by_key(|o| o.0);
    }
    if has(Role::Goal) && has(Role::Related) && main_roles == 0 {
        let mut pairs = Vec::new();
        for (i, (c, role, _)) in roles.iter().enumerate() {
            if *role != Role::Goal {
                continue;
            }
            if let Some((rc, _, _)) = roles[i + 1..]
                .iter()
                .take_while(|(_, r, _)| *r != Role::Goal)
                .find(|(_, r, _)| *r == Role::Related)
            {
                pairs.push((*c, *rc));
            }
        }
        others.extend(parts.drain(..).map(|(c, _, t, o)| (c, t, o)));
        report_others(&others, diags);
        return Some(Header {
            kind: Kind::Related,
            top: r,
            row: r,
            cols: BTreeMap::new(),
            pairs,
            signature,
            indicators: Columns::default(),
        });
    }
    let indicators = indicator_columns(grid, r, &parts, diags);
    // A table of indicators names its indicators and what they belong to or their values; a
    // lone 「数値目標」 is a title, not a header.
    let keyed = has(Role::Goal) || has(Role::Measure);
    if named
        && (keyed || indicators.by_row())
        && !has(Role::Direction)
        && !has(Role::Project)
        && !has(Role::Related)
    {
        // A table of indicators of its own, keyed by its goal or measure column.
        let mut cols = BTreeMap::new();
        for (c, role, _) in &roles {
            cols.entry(*role).or_insert(*c);
        }
        if !keyed {
            diags.push(
                Diagnostic::at(
                    Code::K101,
                    origin_of(grid, r, parts.first().map_or(0, |p| p.0)),
                    "指標の表に「基本目標」か「具体的な施策」の列がありません",
                    "the table of indicators has neither a 基本目標 nor a 具体的な施策 column",
                )
                .label("この見出し行", "this header row")
                .note(
                    "どの基本目標の数値目標か、どの具体的な施策の KPI かを示す列を加えてください",
                    "add a column saying which goal (数値目標) or measure (KPI) each row belongs to",
                ),
            );
        }
        report_others(&others, diags);
        return Some(Header {
            kind: Kind::Indicators,
            top: r,
            row: r,
            cols,
            pairs: Vec::new(),
            signature,
            indicators,
        });
    }
    let main_count = main_roles + usize::from(has(Role::Goal));
    if main_count < 2 || others.len() > main_count + 1 {
        return None;
    }
    let mut cols = BTreeMap::new();
    for (c, role, origin) in &roles {
        if let Some(first) = cols.get(role) {
            diags.push(
                Diagnostic::at(
                    Code::K116,
                    origin.clone(),
                    format!("見出し「{}」の列が二つあります", role.label()),
                    format!("the header \"{}\" appears twice", role.label()),
                )
                .related(origin_of(grid, r, *first), "一つ目の列", "the first one"),
            );
            continue;
        }
        cols.insert(*role, *c);
    }
    let missing: Vec<Role> = [Role::Goal, Role::Direction, Role::Measure, Role::Project]
        .into_iter()
        .filter(|role| !cols.contains_key(role))
        .collect();
    if !missing.is_empty() {
        let ja: Vec<&str> = missing.iter().map(|r| r.label()).collect();
        let en: Vec<&str> = missing.iter().map(|r| r.label_en()).collect();
        diags.push(
            Diagnostic::at(
                Code::K101,
                origin_of(grid, r, roles.first().map_or(0, |x| x.0)),
                format!("施策の表に「{}」の列がありません", ja.join("」「")),
                format!("the table of measures has no {} column", en.join(", ")),
            )
            .label("この見出し行", "this header row")
            .note(
                "見出し行には 基本目標・施策の基本的方向・具体的な施策・事業例 の四つの列が必要です",
                "the header row needs the four columns 基本目標, 施策の基本的方向, 具体的な施策 and 事業例",
            ),
        );
    }
    report_others(&others, diags);
    Some(Header {
        kind: Kind::Main,
        top: r,
        row: r,
        cols,
        pairs: Vec::new(),
        signature,
        indicators,
    })
}

/// The indicator columns of header row `r`, reporting a part named twice (K116).
fn indicator_columns(
    grid: &Grid,
    r: usize,
    parts: &[(usize, Part, String, Origin)],
    diags: &mut Vec<Diagnostic>,
) -> Columns {
    let mut cols = Columns::default();
    for (c, part, text, origin) in parts {
        if !cols.add(*c, *part) {
            diags.push(
                Diagnostic::at(
                    Code::K116,
                    origin.clone(),
                    format!("見出し「{text}」と同じ意味の列が二つあります"),
                    format!("the header \"{text}\" names a column that appears twice"),
                )
                .note("二つ目の列は読み飛ばします", "the second column is ignored"),
            );
            let _ = (grid, r);
        }
    }
    cols
}

fn report_others(others: &[(usize, String, Origin)], diags: &mut Vec<Diagnostic>) {
    for (_, t, o) in others {
        diags.push(
            Diagnostic::at(
                Code::K102,
                o.clone(),
                format!("見出し「{t}」の列は読み飛ばします"),
                format!("the column headed \"{t}\" is ignored"),
            )
            .note(
                "読み込む列は 基本目標・施策の基本的方向・具体的な施策・事業例・関連する事業 と、指標の 重要業績評価指標（KPI）・数値目標・指標名・単位・基準値・目標値・基準年度・目標年度・実績・備考 です",
                "kohyo reads the columns 基本目標, 施策の基本的方向, 具体的な施策, 事業例 and 関連する事業, and for indicators 重要業績評価指標 (KPI), 数値目標, 指標名, 単位, 基準値, 目標値, 基準年度, 目標年度, 実績 and 備考",
            ),
        );
    }
}

/// The origin of position (r, c), even when it is empty.
pub(super) fn origin_of(grid: &Grid, r: usize, c: usize) -> Origin {
    if let Some(sheet) = &grid.sheet {
        return Origin::cell(&grid.file, sheet, r as u32, c as u32);
    }
    if let Some((cell, _)) = grid.cell_at(r, c) {
        return cell.origin.clone();
    }
    // A text format: the row's line, from any cell on it.
    let row = grid.rows.get(r);
    let line_cell = row.and_then(|row| {
        row.iter().find_map(|s| match s {
            Slot::Cell(cell) => Some(cell),
            _ => None,
        })
    });
    match line_cell {
        Some(cell) => {
            let mut o = cell.origin.clone();
            o.column = None;
            o
        }
        None => Origin::file(&grid.file),
    }
}

const NOTE_MARKS: &[&str] = &["※", "注", "（注", "(注", "＊", "*", "出典", "備考", "資料"];

/// A row that ends a table: a note (※…), or one lone cell merged across the table.
pub(super) fn is_note_row(grid: &Grid, r: usize, cols: &[usize]) -> bool {
    let cells: Vec<(&Cell, String)> = (0..grid.width())
        .filter_map(|c| anchored_text(grid, r, c))
        .collect();
    if cells.len() != 1 {
        return false;
    }
    let (cell, text) = &cells[0];
    let span = cell.colspan as usize;
    NOTE_MARKS.iter().any(|m| text.starts_with(m)) || (cols.len() > 1 && span >= cols.len())
}

pub(super) fn is_repeat_of(grid: &Grid, r: usize, header: &Header) -> bool {
    let mut sig = Vec::new();
    for c in 0..grid.width() {
        if let Some((_, t)) = anchored_text(grid, r, c)
            && let Some(role) = header_role(&t)
        {
            sig.push((c, role));
        }
    }
    !sig.is_empty() && sig == header.signature
}

/// All tables of one kind found across the inputs.
pub(super) struct Found<'a> {
    pub(super) grid: &'a Grid,
    pub(super) header: Header,
    pub(super) end: usize,
}

/// Every table found across the inputs, by kind.
#[derive(Default)]
pub(super) struct Tables<'a> {
    /// Tables of measures.
    pub(super) mains: Vec<Found<'a>>,
    /// 関連する既存事業 tables.
    pub(super) relateds: Vec<Found<'a>>,
    /// Tables of indicators of their own.
    pub(super) indicators: Vec<Found<'a>>,
}

/// Find the tables of `grid` by their header rows; false when it holds none.
pub(super) fn find_tables<'a>(
    grid: &'a Grid,
    tables: &mut Tables<'a>,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut headers: Vec<Header> = Vec::new();
    let mut r = 0;
    while r < grid.rows.len() {
        let is_continuation = headers.last().is_some_and(|h| is_repeat_of(grid, r, h));
        if !is_continuation {
            let mut local = Vec::new();
            let single = header_at(grid, r, &mut local);
            let complete = single.as_ref().is_some_and(|h| {
                h.kind != Kind::Main || MAIN_ROLES.iter().all(|role| h.cols.contains_key(role))
            });
            if !complete && let Some(h) = two_row_header(grid, r) {
                r = h.row + 1;
                headers.push(h);
                continue;
            }
            if let Some(h) = single {
                diags.extend(local);
                headers.push(h);
            }
        }
        r += 1;
    }
    for (i, h) in headers.iter().enumerate() {
        let end = headers.get(i + 1).map_or(grid.rows.len(), |n| n.top);
        let found = Found {
            grid,
            header: h.clone(),
            end,
        };
        match h.kind {
            Kind::Main => tables.mains.push(found),
            Kind::Related => tables.relateds.push(found),
            Kind::Indicators => tables.indicators.push(found),
        }
    }
    !headers.is_empty()
}

const MAIN_ROLES: [Role; 4] = [Role::Goal, Role::Direction, Role::Measure, Role::Project];

/// A main header written on two rows, as HTML and Excel tables group columns: cells of the
/// upper row that span both rows name their columns, and a cell spanning several columns
/// (「施策」) groups the names written below it (「施策の基本的方向」「具体的な施策」). Taken only
/// when every text of the two rows is a header and together they name the four columns once
/// each, so a data row is never read as half a header.
fn two_row_header(grid: &Grid, r: usize) -> Option<Header> {
    let below = r + 1;
    if below >= grid.rows.len() {
        return None;
    }
    let mut signature: Vec<(usize, Role)> = Vec::new();
    let mut indicators = Columns::default();
    let mut spans_down = false;
    for c in 0..grid.width() {
        let text = match (anchored_text(grid, r, c), anchored_text(grid, below, c)) {
            (_, Some((_, t))) => {
                // A name below must sit under a group cell of the upper row.
                if grid.cell_at(r, c).is_none_or(|(cell, _)| cell.colspan < 2) {
                    return None;
                }
                t
            }
            (Some((cell, t)), None) if cell.rowspan >= 2 => {
                spans_down = true;
                t
            }
            (Some(_), None) => return None,
            (None, None) => continue,
        };
        match (header_role(&text), indicator_part(&text)) {
            (Some(role), _) => signature.push((c, role)),
            (None, Some(part @ Part::Name(_))) => {
                if !indicators.add(c, part) {
                    return None;
                }
            }
            _ => return None,
        }
    }
    let mut cols = BTreeMap::new();
    for (c, role) in &signature {
        if cols.insert(*role, *c).is_some() {
            return None;
        }
    }
    let complete =
        cols.len() == MAIN_ROLES.len() && MAIN_ROLES.iter().all(|role| cols.contains_key(role));
    (spans_down && complete).then_some(Header {
        kind: Kind::Main,
        top: r,
        row: below,
        cols,
        pairs: Vec::new(),
        signature,
        indicators,
    })
}

/// The nearest row above the header holding one lone text cell that reads like a title.
pub(super) fn lone_cell_above(grid: &Grid, header_row: usize) -> Option<(String, Origin)> {
    for r in (0..header_row).rev().take(12) {
        if grid.row_is_blank(r) {
            continue;
        }
        let cells: Vec<(&Cell, String)> = (0..grid.width())
            .filter_map(|c| anchored_text(grid, r, c))
            .collect();
        if cells.len() != 1 {
            continue;
        }
        let (cell, t) = &cells[0];
        let looks_like_title = !t.is_ascii() && !NOTE_MARKS.iter().any(|m| t.starts_with(m));
        if looks_like_title {
            return Some((t.clone(), cell.origin.clone()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::normalize::testing::{html_grid, run};

    #[test]
    fn two_row_header_with_a_column_group() {
        let grid = html_grid(&[
            &[("基本目標", 2, 1), ("施策", 1, 2), ("事業例", 2, 1)],
            &[("施策の基本的方向", 1, 1), ("具体的な施策", 1, 1)],
            &[
                ("目標A", 2, 1),
                ("1-1 方向", 1, 1),
                ("①施策", 1, 1),
                ("事業1", 1, 1),
            ],
            &[("1-2 方向", 1, 1), ("②施策", 1, 1), ("事業2", 1, 1)],
            // The header repeated after a page break starts another table of the same draft.
            &[("基本目標", 2, 1), ("施策", 1, 2), ("事業例", 2, 1)],
            &[("施策の基本的方向", 1, 1), ("具体的な施策", 1, 1)],
            &[
                ("目標B", 1, 1),
                ("2-1 方向", 1, 1),
                ("③施策", 1, 1),
                ("事業3", 1, 1),
            ],
        ]);
        let (s, codes) = run(grid);
        assert!(
            !codes.contains(&Code::K101) && !codes.contains(&Code::K102),
            "{codes:?}"
        );
        let s = s.expect("model");
        let counts = s.counts();
        assert_eq!(
            (
                counts.goals,
                counts.directions,
                counts.measures,
                counts.projects
            ),
            (2, 3, 3, 3)
        );
        assert_eq!(
            s.goals[1].directions[0].measures[0].projects[0].title,
            "事業3"
        );
    }

    #[test]
    fn a_data_row_is_never_half_a_header() {
        // An incomplete one-row header above data stays incomplete (K101), even with spans.
        let grid = html_grid(&[
            &[
                ("基本目標", 2, 1),
                ("施策の基本的方向", 1, 1),
                ("具体的な施策", 1, 1),
            ],
            &[("1-1 方向", 1, 1), ("①施策", 1, 1)],
        ]);
        assert!(run(grid).1.contains(&Code::K101));
        // Names below a cell that groups nothing are not a header either.
        let grid = html_grid(&[
            &[
                ("基本目標", 2, 1),
                ("施策の基本的方向", 1, 1),
                ("事業例", 2, 1),
            ],
            &[("具体的な施策", 1, 1)],
        ]);
        assert!(run(grid).1.contains(&Code::K101));
    }

    #[test]
    fn header_roles() {
        assert_eq!(header_role("基本目標"), Some(Role::Goal));
        assert_eq!(header_role(" 施策の 基本的方向 "), Some(Role::Direction));
        assert_eq!(header_role("関連する事業"), Some(Role::Related));
        assert_eq!(header_role("備考"), None);
    }
}

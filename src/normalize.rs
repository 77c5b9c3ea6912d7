//! The normalizer: one set of rules that turns any reader's grids into the canonical model.
//!
//! Tables are found by their header cells, not their positions. Blank or merged-over cells
//! in the hierarchy columns mean "same as above"; a repeated header row (a page break) is
//! skipped; a note row (※…) ends a table. Display text is kept as written; only numbers,
//! direction codes, grant types and categories are parsed out of it.

use crate::diag::{Code, Diagnostic};
use crate::grid::{Cell, Grid, Origin, Slot, clean};
use crate::meta::Meta;
use crate::model::{
    Direction, Funding, Goal, Measure, Project, RelatedGroup, RelatedProject, Stage, Strategy,
};
use crate::read::ReadOutput;
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

    fn label_en(self) -> &'static str {
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

/// One file's reader output, named.
pub struct Source<'a> {
    /// The file name used in origins.
    pub file: &'a str,
    /// What its reader found.
    pub output: &'a ReadOutput,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Main,
    Related,
}

/// A header row found in a grid.
#[derive(Clone, Debug)]
struct Header {
    kind: Kind,
    /// The first header row (above `row` when the header takes two rows).
    top: usize,
    /// The last header row: data starts below it.
    row: usize,
    /// Role → column, for the main table.
    cols: BTreeMap<Role, usize>,
    /// (goal column, related column) pairs, for the related table.
    pairs: Vec<(usize, usize)>,
    /// Columns whose header is not a role.
    signature: Vec<(usize, Role)>,
}

fn anchored_text(grid: &Grid, r: usize, c: usize) -> Option<(&Cell, String)> {
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
    for c in 0..grid.width() {
        if let Some((cell, t)) = anchored_text(grid, r, c) {
            match header_role(&t) {
                Some(role) => roles.push((c, role, cell.origin.clone())),
                None => others.push((c, t, cell.origin.clone())),
            }
        }
    }
    let has = |role| roles.iter().any(|(_, r, _)| *r == role);
    let main_roles = [Role::Direction, Role::Measure, Role::Project]
        .iter()
        .filter(|r| has(**r))
        .count();
    let signature: Vec<(usize, Role)> = roles.iter().map(|(c, r, _)| (*c, *r)).collect();
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
        report_others(&others, diags);
        return Some(Header {
            kind: Kind::Related,
            top: r,
            row: r,
            cols: BTreeMap::new(),
            pairs,
            signature,
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
    })
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
                "読み込む列は 基本目標・施策の基本的方向・具体的な施策・事業例・関連する事業 です",
                "kohyo reads the columns 基本目標, 施策の基本的方向, 具体的な施策, 事業例 and 関連する事業",
            ),
        );
    }
}

/// The origin of position (r, c), even when it is empty.
fn origin_of(grid: &Grid, r: usize, c: usize) -> Origin {
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
fn is_note_row(grid: &Grid, r: usize, cols: &[usize]) -> bool {
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

fn is_repeat_of(grid: &Grid, r: usize, header: &Header) -> bool {
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

/// A parsed row of the main table: the measure it opens or continues and its projects.
#[derive(Debug)]
struct MeasureRec {
    goal: (String, Origin),
    direction: (String, Origin),
    measure: (String, Origin),
    projects: Vec<(String, Origin, Option<Origin>)>,
}

/// A text value with the place it came from and the cell for precise locations.
struct Val<'g> {
    text: String,
    origin: Origin,
    cell: &'g Cell,
}

/// All tables of one kind found across the inputs.
struct Found<'a> {
    grid: &'a Grid,
    header: Header,
    end: usize,
}

/// Normalize the readers' output into a strategy, with diagnostics.
pub fn normalize(
    sources: &[Source<'_>],
    meta: Option<&Meta>,
) -> (Option<Strategy>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    // kohyo's own open-data CSVs, recast as the draft's four (or two) columns.
    let recast: Vec<Option<Grid>> = sources
        .iter()
        .flat_map(|s| &s.output.grids)
        .map(open_data_grid)
        .collect();
    let mut mains: Vec<Found> = Vec::new();
    let mut relateds: Vec<Found> = Vec::new();
    let grids = sources.iter().flat_map(|s| &s.output.grids);
    for (grid, recast) in grids.zip(&recast) {
        find_tables(
            recast.as_ref().unwrap_or(grid),
            &mut mains,
            &mut relateds,
            &mut diags,
        );
    }
    // A main table in more than one file is an error naming both.
    if let Some(first) = mains.first() {
        let first_file = first.grid.file.clone();
        if let Some(other) = mains.iter().find(|f| f.grid.file != first_file) {
            diags.push(
                Diagnostic::at(
                    Code::K014,
                    origin_of(other.grid, other.header.top, 0),
                    format!("施策の表が {} と {} の両方にあります", first_file, other.grid.file),
                    format!("both {} and {} hold a table of measures", first_file, other.grid.file),
                )
                .related(origin_of(first.grid, first.header.top, 0), "一つ目の表", "the first table")
                .note(
                    "kohyo.toml の sources で読むファイルを指定するか、片方を別のフォルダに移してください",
                    "name the files to read in kohyo.toml's sources, or move one of them to another folder",
                ),
            );
            mains.retain(|f| f.grid.file == first_file);
        }
    }
    if mains.is_empty() {
        let origin = sources.first().map(|s| Origin::file(s.file));
        diags.push(
            Diagnostic::new(
                Code::K013,
                origin,
                "施策の表（見出し「基本目標」「施策の基本的方向」「具体的な施策」「事業例」の行がある表）が見つかりません",
                "no table of measures (a table with the headers 基本目標, 施策の基本的方向, 具体的な施策, 事業例) was found",
            )
            .note(
                "見出しの行の文字が正しいか、別のシートやファイルにないかを確かめてください",
                "check the header cells' spelling, and whether the table is on another sheet or in another file",
            ),
        );
        return (None, diags);
    }
    if mains.iter().any(|f| {
        ![Role::Goal, Role::Direction, Role::Measure]
            .iter()
            .all(|r| f.header.cols.contains_key(r))
    }) {
        // K101 was reported; without the hierarchy columns nothing sensible can be built.
        return (None, diags);
    }

    let mut hidden: Vec<(Origin, char)> = Vec::new();
    for f in mains.iter().chain(&relateds) {
        collect_hidden(f, &mut hidden);
    }
    report_hidden(&hidden, &mut diags);

    let mut dependent: Vec<(Origin, char)> = Vec::new();
    let recs = read_main(&mains, &mut diags, &mut dependent);
    let mut strategy = Strategy::default();
    build_hierarchy(&recs, &mut strategy, &mut diags);
    check_measure_numbers(&strategy, &mut diags);
    read_related(&relateds, &mut strategy, &mut diags, &mut dependent);
    report_dependent(&dependent, &mut diags);

    // Title: kohyo.toml, the main table's heading, the document's title, a lone cell above.
    let main_grid = mains[0].grid;
    let main_file = main_grid.file.clone();
    let doc_title = sources
        .iter()
        .filter(|s| s.file == main_file)
        .chain(sources.iter().filter(|s| s.file != main_file))
        .find_map(|s| s.output.title.clone());
    let title = meta
        .and_then(|m| m.title.clone())
        .map(|t| (t, None))
        .or_else(|| main_grid.heading.clone().map(|(t, o)| (t, Some(o))))
        .or_else(|| doc_title.map(|(t, o)| (t, Some(o))))
        .or_else(|| lone_cell_above(main_grid, mains[0].header.top).map(|(t, o)| (t, Some(o))));
    match title {
        Some((t, o)) => {
            strategy.title = Some(t);
            strategy.title_source = o;
        }
        None => diags.push(
            Diagnostic::new(
                Code::K113,
                Some(Origin::file(&main_file)),
                "戦略のタイトルがありません",
                "the strategy has no title",
            )
            .note(
                "kohyo.toml に title = \"○○市総合戦略（素案）\" のように書いてください（CSV にはタイトルを書く場所がありません）",
                "write title = \"...\" in kohyo.toml (CSV has no place for a title)",
            ),
        ),
    }
    strategy.stage = meta
        .and_then(|m| m.stage)
        .or_else(|| strategy.title.as_deref().and_then(Stage::from_title));
    if let Some(m) = meta {
        strategy.municipality = m.municipality.clone();
        strategy.publisher = m.publisher.clone();
        strategy.license = m.license;
        strategy.period = m.period;
        strategy.date = m.date;
        strategy.base_url = m.base_url.clone();
        strategy.update_frequency = m.update_frequency;
    }
    strategy.sources = sources.iter().map(|s| s.file.to_string()).collect();
    (Some(strategy), diags)
}

/// A table in the layout of kohyo's open-data CSVs (施策: 基本目標番号 … 施策の基本的方向番号 …
/// 具体的な施策番号 … 交付金区分; 関連する既存事業: 関連事業番号, 分類, 関連事業名), recast as the
/// draft's columns so that published data reads back into the same model: 「1-1 方向」,
/// 「(12) 施策」, 「事業（先行型）」, 「（分類）事業」. Cells keep their origins.
fn open_data_grid(grid: &Grid) -> Option<Grid> {
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

fn find_tables<'a>(
    grid: &'a Grid,
    mains: &mut Vec<Found<'a>>,
    relateds: &mut Vec<Found<'a>>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut headers: Vec<Header> = Vec::new();
    let mut r = 0;
    while r < grid.rows.len() {
        let is_continuation = headers.last().is_some_and(|h| is_repeat_of(grid, r, h));
        if !is_continuation {
            let mut local = Vec::new();
            let single = header_at(grid, r, &mut local);
            let complete = single.as_ref().is_some_and(|h| {
                h.kind == Kind::Related || MAIN_ROLES.iter().all(|role| h.cols.contains_key(role))
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
            Kind::Main => mains.push(found),
            Kind::Related => relateds.push(found),
        }
    }
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
        signature.push((c, header_role(&text)?));
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
    })
}

/// The nearest row above the header holding one lone text cell that reads like a title.
fn lone_cell_above(grid: &Grid, header_row: usize) -> Option<(String, Origin)> {
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

fn given<'g>(grid: &'g Grid, r: usize, c: Option<usize>) -> Option<Val<'g>> {
    let c = c?;
    match grid.rows.get(r)?.get(c)? {
        Slot::Cell(cell) if !cell.is_blank() => Some(Val {
            text: cell.text(),
            origin: cell.origin.clone(),
            cell,
        }),
        _ => None,
    }
}

fn read_main(
    mains: &[Found<'_>],
    diags: &mut Vec<Diagnostic>,
    dependent: &mut Vec<(Origin, char)>,
) -> Vec<MeasureRec> {
    let mut recs: Vec<MeasureRec> = Vec::new();
    let mut cur: [Option<(String, Origin)>; 3] = [None, None, None];
    for found in mains {
        let grid = found.grid;
        let h = &found.header;
        let cols = [
            h.cols.get(&Role::Goal).copied(),
            h.cols.get(&Role::Direction).copied(),
            h.cols.get(&Role::Measure).copied(),
        ];
        let pcol = h.cols.get(&Role::Project).copied();
        let all_cols: Vec<usize> = h.cols.values().copied().collect();
        for r in h.row + 1..found.end {
            if grid.row_is_blank(r) || is_repeat_of(grid, r, h) {
                continue;
            }
            if is_note_row(grid, r, &all_cols) {
                break;
            }
            let vals: [Option<Val>; 3] = [
                given(grid, r, cols[0]),
                given(grid, r, cols[1]),
                given(grid, r, cols[2]),
            ];
            for v in vals.iter().flatten() {
                collect_dependent(&v.text, v.cell, dependent);
            }
            // The first level whose value differs from the row above opens new nodes from there down.
            let mut changed: Option<usize> = None;
            for (lvl, v) in vals.iter().enumerate() {
                if let Some(v) = v
                    && changed.is_none()
                    && cur[lvl].as_ref().is_none_or(|(t, _)| *t != v.text)
                {
                    changed = Some(lvl);
                }
            }
            if cur[2].is_none() && changed.is_none() {
                changed = Some(0);
            }
            let mut ok = true;
            if let Some(from) = changed {
                for lvl in from..3 {
                    if vals[lvl].is_none() {
                        let role = [Role::Goal, Role::Direction, Role::Measure][lvl];
                        let col = cols[lvl].unwrap_or(0);
                        diags.push(
                            Diagnostic::at(
                                Code::K103,
                                origin_of(grid, r, col),
                                format!("「{}」のセルが空です", role.label()),
                                format!("the {} cell is empty", role.label_en()),
                            )
                            .label("この行", "this row")
                            .note(
                                "上の行と同じ値の空欄は、上位の列も空欄のときだけ「上と同じ」と読みます",
                                "a blank cell means \"same as above\" only when the cells to its left are blank too",
                            ),
                        );
                        ok = false;
                        break;
                    }
                }
                if ok {
                    for lvl in from..3 {
                        if let Some(v) = &vals[lvl] {
                            let text = strip_stray_quote(&v.text, v.cell, diags);
                            cur[lvl] = Some((text, v.origin.clone()));
                        }
                    }
                    if let (Some(g), Some(d), Some(m)) = (&cur[0], &cur[1], &cur[2]) {
                        recs.push(MeasureRec {
                            goal: g.clone(),
                            direction: d.clone(),
                            measure: m.clone(),
                            projects: Vec::new(),
                        });
                    }
                }
            }
            if !ok {
                continue;
            }
            if let Some(cell) =
                pcol.and_then(|c| match grid.rows.get(r).and_then(|row| row.get(c)) {
                    Some(Slot::Cell(cell)) if !cell.is_blank() => Some(cell),
                    _ => None,
                })
                && let Some(rec) = recs.last_mut()
            {
                for item in cell.items() {
                    collect_dependent(&item, cell, dependent);
                    let origin = cell.locate(&item);
                    let quote = stray_quote_origin(&item, cell);
                    rec.projects.push((item, origin, quote));
                }
            }
        }
    }
    recs
}

/// Remove a stray closing quote at the end of `text`, reporting it.
fn strip_stray_quote(text: &str, cell: &Cell, diags: &mut Vec<Diagnostic>) -> String {
    match stray_quote_origin(text, cell) {
        Some(origin) => {
            let fixed = remove_stray_quote(text);
            diags.push(stray_quote_diag(origin, &fixed));
            fixed
        }
        None => text.to_string(),
    }
}

fn stray_quote_diag(origin: Origin, fixed: &str) -> Diagnostic {
    Diagnostic::at(
        Code::K111,
        origin,
        format!("「{fixed}」の末尾に対応する開き引用符のない閉じ引用符があります（削除しました）"),
        format!("\"{fixed}\" ends with a closing quote that has no opening quote (removed)"),
    )
    .label("この ” を削除しました", "this ” was removed")
}

/// True when `text` ends with a closing quote that nothing opened.
fn has_stray_quote(text: &str) -> bool {
    let t = text.trim_end();
    if t.ends_with('”') {
        return t.matches('”').count() > t.matches('“').count();
    }
    if t.ends_with('"') {
        return t.matches('"').count() % 2 == 1;
    }
    false
}

fn remove_stray_quote(text: &str) -> String {
    let t = text.trim_end();
    let mut s = t.to_string();
    s.pop();
    s.trim_end().to_string()
}

/// Where the stray quote at the end of `text` sits in `cell`, if there is one.
fn stray_quote_origin(text: &str, cell: &Cell) -> Option<Origin> {
    if !has_stray_quote(text) {
        return None;
    }
    let mut o = cell.locate(text);
    if cell.raw.as_ref().is_some_and(|r| r.text.contains(text))
        && let Some(col) = o.column
    {
        o.column = Some(col + text.trim_end().chars().count() as u32 - 1);
    }
    Some(o)
}

/// Characters that depend on a platform's character set (NEC special characters and the like).
pub fn is_platform_dependent(c: char) -> bool {
    matches!(c as u32,
        0x2460..=0x24FF   // ① ⑴ ⒈ Ⓐ: enclosed alphanumerics
        | 0x2160..=0x217F // Ⅰ ⅰ: roman numerals
        | 0x2776..=0x2793 // ❶ ➀: dingbat circled digits
        | 0x3220..=0x3247 // ㈠ ㈱: parenthesized ideographs
        | 0x3251..=0x32BF // ㉑ ㊤: circled numbers and ideographs
        | 0x3300..=0x33FF // ㌔ ㍻ ㎝: CJK compatibility squares
    )
}

fn collect_dependent(text: &str, cell: &Cell, out: &mut Vec<(Origin, char)>) {
    for (i, c) in text.char_indices() {
        if is_platform_dependent(c) {
            let mut o = cell.locate(&text[i..]);
            if cell.raw.is_none() {
                o = cell.origin.clone();
            }
            out.push((o, c));
        }
    }
}

fn report_dependent(found: &[(Origin, char)], diags: &mut Vec<Diagnostic>) {
    let mut by_file: BTreeMap<&str, Vec<&(Origin, char)>> = BTreeMap::new();
    for f in found {
        by_file.entry(f.0.file.as_str()).or_default().push(f);
    }
    for (file, list) in by_file {
        let mut chars: Vec<char> = list.iter().map(|(_, c)| *c).collect();
        chars.sort_unstable();
        chars.dedup();
        let shown: String = chars.iter().take(20).collect();
        let more = if chars.len() > 20 { "…" } else { "" };
        let n = list.len();
        diags.push(
            Diagnostic::at(
                Code::K112,
                list[0].0.clone(),
                format!("{file} に機種依存文字が {n} か所あります（{shown}{more}）"),
                format!("{file} has {n} platform-dependent characters ({shown}{more})"),
            )
            .label("最初の一つ", "the first one")
            .note(
                "原稿ではこのままで構いません。オープンデータでは ① を 1 のような数字にして出力します",
                "fine in the draft; open data carries them as plain numbers (① becomes 1)",
            ),
        );
    }
}

/// Every hidden control character (see [`crate::grid::is_hidden_control`]) in the cells of a
/// table, header included, with the place of each.
fn collect_hidden(found: &Found<'_>, out: &mut Vec<(Origin, char)>) {
    let rows = found
        .grid
        .rows
        .get(found.header.top..found.end.min(found.grid.rows.len()));
    for slot in rows.into_iter().flatten().flatten() {
        let Slot::Cell(cell) = slot else { continue };
        for line in &cell.lines {
            for (i, c) in line.text.char_indices() {
                if crate::grid::is_hidden_control(c) {
                    let needle: String = line.text[i..].chars().take(6).collect();
                    out.push((cell.locate(&needle), c));
                }
            }
        }
    }
}

/// K118, one per file: the hidden control characters found, which the outputs leave out.
fn report_hidden(found: &[(Origin, char)], diags: &mut Vec<Diagnostic>) {
    let mut by_file: BTreeMap<&str, Vec<&(Origin, char)>> = BTreeMap::new();
    for f in found {
        by_file.entry(f.0.file.as_str()).or_default().push(f);
    }
    for (file, list) in by_file {
        let chars: Vec<char> = list.iter().map(|(_, c)| *c).collect();
        diags.push(hidden_controls_diagnostic(file, list[0].0.clone(), &chars));
    }
}

/// The K118 diagnostic for hidden control characters `chars` in `file`, the first at `origin`.
pub fn hidden_controls_diagnostic(file: &str, origin: Origin, chars: &[char]) -> Diagnostic {
    let mut kinds: Vec<char> = chars.to_vec();
    kinds.sort_unstable();
    kinds.dedup();
    let (ja, en): (Vec<String>, Vec<String>) = kinds
        .iter()
        .take(8)
        .map(|c| crate::grid::describe_hidden_control(*c))
        .unzip();
    let more = if kinds.len() > 8 { "…" } else { "" };
    let n = chars.len();
    let bidi = kinds.iter().any(|c| !c.is_control());
    let mut d = Diagnostic::at(
        Code::K118,
        origin,
        format!("{file} に表示できない制御文字が {n} か所あります（{}{more}）", ja.join("、")),
        format!(
            "{file} holds {n} control characters that cannot be shown ({}{more})",
            en.join(", ")
        ),
    )
    .label("最初の一つ", "the first one")
    .note(
        "出力からは取り除きます。ほかのソフトからの貼り付けで紛れ込むことが多いので、原稿からも削除してください",
        "the outputs leave them out; they usually come in with pasted text, so delete them from the draft too",
    );
    if bidi {
        d = d.note(
            "書字方向の制御文字（U+202E など）は表示上の文字の順序を入れ替え、書かれている内容と違って読ませることができます",
            "bidirectional formatting characters (U+202E and its kin) reorder what is displayed and can make text read other than it is written",
        );
    }
    d
}

/// Split a direction like `1-1 市内在住若者の雇用機会の拡大` into code and title.
pub fn parse_direction(text: &str) -> Option<(String, String)> {
    let chars: Vec<char> = text.trim_start().chars().collect();
    let digit = |c: char| {
        c.to_digit(10)
            .or_else(|| ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32))
    };
    let mut i = 0;
    let mut parts: Vec<String> = vec![String::new()];
    while i < chars.len() {
        let c = chars[i];
        if let Some(d) = digit(c) {
            if let Some(last) = parts.last_mut() {
                last.push(char::from_digit(d, 10).unwrap_or('0'));
            }
        } else if matches!(
            c,
            '-' | '－' | '‐' | '‑' | '–' | '—' | '―' | '−' | 'ー' | '.' | '．'
        ) && parts.last().is_some_and(|p| !p.is_empty())
            && chars.get(i + 1).and_then(|n| digit(*n)).is_some()
        {
            parts.push(String::new());
        } else {
            break;
        }
        i += 1;
    }
    if parts.len() < 2 || parts.iter().any(String::is_empty) {
        return None;
    }
    let rest: String = chars[i..].iter().collect();
    let title =
        rest.trim_start_matches(|c: char| crate::grid::is_space(c) || c == '：' || c == ':');
    if title.is_empty() {
        return None;
    }
    Some((parts.join("-"), title.to_string()))
}

/// Split a measure like `①若者の市内就職の促進`, `(1) …`, `（１）…` or `1. …` into number and title.
pub fn parse_measure(text: &str) -> Option<(u32, String)> {
    let t = text.trim_start();
    let mut chars = t.chars();
    let first = chars.next()?;
    let circled = match first as u32 {
        0x2460..=0x2473 => Some(first as u32 - 0x2460 + 1),
        0x3251..=0x325F => Some(first as u32 - 0x3251 + 21),
        0x32B1..=0x32BF => Some(first as u32 - 0x32B1 + 36),
        0x2474..=0x2487 => Some(first as u32 - 0x2474 + 1), // ⑴
        0x2776..=0x277F => Some(first as u32 - 0x2776 + 1), // ❶
        0x2780..=0x2789 => Some(first as u32 - 0x2780 + 1), // ➀
        0x278A..=0x2793 => Some(first as u32 - 0x278A + 1), // ➊
        _ => None,
    };
    if let Some(n) = circled {
        let title = chars.as_str().trim_start_matches(crate::grid::is_space);
        return (!title.is_empty()).then(|| (n, title.to_string()));
    }
    let norm: String = t
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '（' => '(',
            '）' => ')',
            '．' => '.',
            _ => c,
        })
        .collect();
    let (open, rest) = match norm.strip_prefix('(') {
        Some(r) => (true, r),
        None => (false, norm.as_str()),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let after = &rest[digits.len()..];
    let after = if open {
        after.strip_prefix(')')?
    } else {
        after
            .strip_prefix('.')
            .or_else(|| after.strip_prefix(')'))?
    };
    let n: u32 = digits.parse().ok()?;
    // Map the title back to the original text: count the characters consumed.
    let consumed = norm.chars().count() - after.chars().count();
    let title: String = t.chars().skip(consumed).collect();
    let title = title.trim_start_matches(crate::grid::is_space).to_string();
    (!title.is_empty()).then_some((n, title))
}

/// Move trailing grant types (（先行型）, （上乗せ）, possibly several) into `funding`.
pub fn split_funding(text: &str) -> (String, Vec<Funding>) {
    let mut t = text.trim_end().to_string();
    let mut funding = Vec::new();
    'outer: loop {
        for f in Funding::ALL {
            for (open, close) in [('（', '）'), ('(', ')')] {
                let suffix = format!("{open}{}{close}", f.label());
                if t.ends_with(&suffix) && t.len() > suffix.len() {
                    t.truncate(t.len() - suffix.len());
                    t = t.trim_end().to_string();
                    funding.insert(0, *f);
                    continue 'outer;
                }
            }
        }
        break;
    }
    (t, funding)
}

/// Split a related project `(分類) 名称` into category and title.
pub fn split_category(text: &str) -> (Option<String>, String) {
    let t = text.trim();
    let close = match t.chars().next() {
        Some('(') => ')',
        Some('（') => '）',
        _ => return (None, t.to_string()),
    };
    let open_len = t.chars().next().map_or(1, char::len_utf8);
    if let Some(end) = t[open_len..].find(close) {
        let cat = t[open_len..open_len + end].trim();
        let rest = t[open_len + end + close.len_utf8()..].trim_start_matches(crate::grid::is_space);
        if !cat.is_empty() && !rest.is_empty() {
            return (Some(cat.to_string()), rest.to_string());
        }
    }
    (None, t.to_string())
}

fn build_hierarchy(recs: &[MeasureRec], s: &mut Strategy, diags: &mut Vec<Diagnostic>) {
    // Per goal: index of the last record that touched it; per (goal, direction) likewise.
    let mut goal_last: Vec<usize> = Vec::new();
    let mut dir_last: Vec<Vec<usize>> = Vec::new();
    for (i, rec) in recs.iter().enumerate() {
        let gi = match s.goals.iter().position(|g| g.title == rec.goal.0) {
            Some(gi) => {
                if goal_last[gi] + 1 != i
                    && recs[goal_last[gi]].goal.0 == rec.goal.0
                    && !s.goals[gi].directions.is_empty()
                {
                    let prev = &recs[goal_last[gi]];
                    if prev.goal.1 != rec.goal.1 {
                        diags.push(
                            Diagnostic::at(
                                Code::K115,
                                rec.goal.1.clone(),
                                format!("基本目標「{}」が離れた行にもう一度出てきます（一つにまとめます）", rec.goal.0),
                                format!("goal \"{}\" appears again in a row that is not adjacent (merged)", rec.goal.0),
                            )
                            .related(s.goals[gi].source.clone(), "最初に出てきた場所", "where it first appears"),
                        );
                    }
                }
                gi
            }
            None => {
                s.goals.push(Goal {
                    id: None,
                    number: s.goals.len() as u32 + 1,
                    title: rec.goal.0.clone(),
                    directions: Vec::new(),
                    indicators: Vec::new(),
                    source: rec.goal.1.clone(),
                });
                goal_last.push(i);
                dir_last.push(Vec::new());
                s.goals.len() - 1
            }
        };
        let goal_number = s.goals[gi].number;
        let (code, title) = match parse_direction(&rec.direction.0) {
            Some(ct) => ct,
            None => {
                diags.push(
                    Diagnostic::at(
                        Code::K110,
                        rec.direction.1.clone(),
                        format!(
                            "施策の基本的方向「{}」に「1-1」のような番号がありません",
                            rec.direction.0
                        ),
                        format!("direction \"{}\" has no code like 1-1", rec.direction.0),
                    )
                    .note(
                        "「1-1 市内在住若者の雇用機会の拡大」のように番号から書いてください",
                        "start it with its code, e.g. 「1-1 …」",
                    ),
                );
                (String::new(), rec.direction.0.clone())
            }
        };
        let goal = &mut s.goals[gi];
        let existing = goal.directions.iter().position(|d| {
            if code.is_empty() {
                d.title == title
            } else {
                d.code == code
            }
        });
        let di = match existing {
            Some(di) => {
                let d = &goal.directions[di];
                if d.title != title {
                    diags.push(
                        Diagnostic::at(
                            Code::K108,
                            rec.direction.1.clone(),
                            format!(
                                "施策の基本的方向 {} の名称が「{}」と「{}」の二通りあります",
                                code, d.title, title
                            ),
                            format!(
                                "direction {} has two titles, \"{}\" and \"{}\"",
                                code, d.title, title
                            ),
                        )
                        .related(
                            d.source.clone(),
                            "もう一方の名称",
                            "the other title",
                        ),
                    );
                } else if dir_last[gi][di] + 1 != i
                    && recs[dir_last[gi][di]].direction.1 != rec.direction.1
                {
                    diags.push(
                        Diagnostic::at(
                            Code::K107,
                            rec.direction.1.clone(),
                            format!("施策の基本的方向 {code} が離れた行にもう一度出てきます（一つにまとめ、施策を番号順に並べます）"),
                            format!("direction {code} appears again in a row that is not adjacent (merged, measures ordered by number)"),
                        )
                        .label("二度目", "second place")
                        .related(d.source.clone(), "一度目", "first place")
                        .note(
                            "同じ施策の基本的方向の施策は続けて書いてください。別の方向のつもりなら番号を直してください",
                            "keep a direction's measures together, or correct the code if another direction was meant",
                        ),
                    );
                }
                di
            }
            None => {
                if let Some(g) = code.split('-').next().and_then(|g| g.parse::<u32>().ok())
                    && g != goal_number
                {
                    diags.push(
                        Diagnostic::at(
                            Code::K109,
                            rec.direction.1.clone(),
                            format!(
                                "施策の基本的方向 {code} が基本目標{goal_number} の下にあります"
                            ),
                            format!("direction {code} sits under goal {goal_number}"),
                        )
                        .related(
                            goal.source.clone(),
                            format!("基本目標{goal_number}"),
                            format!("goal {goal_number}"),
                        ),
                    );
                }
                goal.directions.push(Direction {
                    id: None,
                    code: code.clone(),
                    title: title.clone(),
                    measures: Vec::new(),
                    source: rec.direction.1.clone(),
                });
                dir_last[gi].push(i);
                goal.directions.len() - 1
            }
        };
        goal_last[gi] = i;
        dir_last[gi][di] = i;
        let (number, mtitle) = match parse_measure(&rec.measure.0) {
            Some(nt) => nt,
            None => {
                diags.push(
                    Diagnostic::at(
                        Code::K104,
                        rec.measure.1.clone(),
                        format!("具体的な施策「{}」に番号がありません", rec.measure.0),
                        format!("measure \"{}\" has no number", rec.measure.0),
                    )
                    .note(
                        "「①若者の市内就職の促進」のように番号から書いてください",
                        "start it with its number, e.g. ① or (1)",
                    ),
                );
                (0, rec.measure.0.clone())
            }
        };
        let projects = rec
            .projects
            .iter()
            .map(|(text, origin, quote)| {
                let text = match quote {
                    Some(q) => {
                        let fixed = remove_stray_quote(text);
                        diags.push(stray_quote_diag(q.clone(), &fixed));
                        fixed
                    }
                    None => text.clone(),
                };
                let (title, funding) = split_funding(&text);
                Project {
                    id: None,
                    title,
                    funding,
                    source: origin.clone(),
                }
            })
            .collect();
        let dir = &mut goal.directions[di];
        if let Some(m) = dir
            .measures
            .iter_mut()
            .find(|m| m.number == number && m.title == mtitle && number != 0)
        {
            // The same measure written again (CSV rows repeating their parents).
            let mut more: Vec<Project> = projects;
            m.projects.append(&mut more);
        } else {
            dir.measures.push(Measure {
                id: None,
                number,
                title: mtitle,
                projects,
                indicators: Vec::new(),
                source: rec.measure.1.clone(),
            });
        }
    }
    for g in &mut s.goals {
        for d in &mut g.directions {
            d.measures.sort_by_key(|m| m.number);
        }
    }
}

/// Duplicate and missing measure numbers, numbered through the whole strategy (①…⑮) or,
/// when every direction starts again at 1, within each direction.
fn check_measure_numbers(s: &Strategy, diags: &mut Vec<Diagnostic>) {
    let dirs: Vec<&Direction> = s.goals.iter().flat_map(|g| &g.directions).collect();
    let restarts = dirs
        .iter()
        .filter(|d| d.measures.first().is_some_and(|m| m.number == 1))
        .count();
    let per_direction =
        restarts > 1 && restarts == dirs.iter().filter(|d| !d.measures.is_empty()).count();
    let groups: Vec<Vec<&Measure>> = if per_direction {
        dirs.iter().map(|d| d.measures.iter().collect()).collect()
    } else {
        vec![dirs.iter().flat_map(|d| &d.measures).collect()]
    };
    for group in groups {
        let mut seen: BTreeMap<u32, &Measure> = BTreeMap::new();
        for m in group.iter().filter(|m| m.number != 0) {
            if let Some(first) = seen.get(&m.number) {
                diags.push(
                    Diagnostic::at(
                        Code::K105,
                        m.source.clone(),
                        format!(
                            "具体的な施策の番号 {} が二度使われています（「{}」と「{}」）",
                            m.number, first.title, m.title
                        ),
                        format!(
                            "measure number {} is used twice (\"{}\" and \"{}\")",
                            m.number, first.title, m.title
                        ),
                    )
                    .related(first.source.clone(), "一度目", "first use"),
                );
            } else {
                seen.insert(m.number, m);
            }
        }
        let numbers: Vec<u32> = seen.keys().copied().collect();
        if let (Some(&lo), Some(&hi)) = (numbers.first(), numbers.last()) {
            let missing: Vec<String> = (lo.min(1)..=hi)
                .filter(|n| *n != 0 && !seen.contains_key(n))
                .map(|n| n.to_string())
                .collect();
            if !missing.is_empty() {
                let after = seen
                    .range(missing[0].parse::<u32>().unwrap_or(0)..)
                    .next()
                    .map(|(_, m)| m.source.clone());
                diags.push(
                    Diagnostic::new(
                        Code::K106,
                        after,
                        format!("具体的な施策の番号 {} がありません", missing.join("・")),
                        format!("measure number(s) {} are missing", missing.join(", ")),
                    )
                    .label("この施策の前が欠番です", "the gap is before this measure"),
                );
            }
        }
    }
}

fn read_related(
    relateds: &[Found<'_>],
    s: &mut Strategy,
    diags: &mut Vec<Diagnostic>,
    dependent: &mut Vec<(Origin, char)>,
) {
    let mut groups: BTreeMap<u32, RelatedGroup> = BTreeMap::new();
    let key = |t: &str| -> String { t.chars().filter(|c| !crate::grid::is_space(*c)).collect() };
    let goal_numbers: BTreeMap<String, u32> =
        s.goals.iter().map(|g| (key(&g.title), g.number)).collect();
    for found in relateds {
        let grid = found.grid;
        let h = &found.header;
        let cols: Vec<usize> = h.pairs.iter().flat_map(|(a, b)| [*a, *b]).collect();
        let mut current: Vec<Option<(Option<u32>, Origin)>> = vec![None; h.pairs.len()];
        for r in h.row + 1..found.end {
            if grid.row_is_blank(r) || is_repeat_of(grid, r, h) {
                continue;
            }
            if is_note_row(grid, r, &cols) {
                break;
            }
            for (p, (gc, rc)) in h.pairs.iter().enumerate() {
                if let Some(v) = given(grid, r, Some(*gc)) {
                    let text = strip_stray_quote(&v.text, v.cell, diags);
                    let number = goal_numbers.get(&key(&text)).copied();
                    if number.is_none() {
                        diags.push(
                            Diagnostic::at(
                                Code::K114,
                                v.origin.clone(),
                                format!("関連する既存事業の基本目標「{text}」が施策の表にありません"),
                                format!("related-projects goal \"{text}\" is not a goal of the table of measures"),
                            )
                            .note(
                                "施策の表の基本目標と同じ文言にしてください",
                                "write it exactly as the goal in the table of measures",
                            ),
                        );
                    }
                    current[p] = Some((number, v.origin.clone()));
                }
                let Some(cell) = (match grid.rows.get(r).and_then(|row| row.get(*rc)) {
                    Some(Slot::Cell(cell)) if !cell.is_blank() => Some(cell),
                    _ => None,
                }) else {
                    continue;
                };
                let Some((goal, goal_origin)) = current[p].clone() else {
                    diags.push(Diagnostic::at(
                        Code::K103,
                        origin_of(grid, r, *gc),
                        "関連する既存事業の「基本目標」のセルが空です",
                        "the goal cell of the related projects is empty",
                    ));
                    continue;
                };
                let Some(goal) = goal else { continue };
                let group = groups.entry(goal).or_insert_with(|| RelatedGroup {
                    goal,
                    projects: Vec::new(),
                    source: goal_origin.clone(),
                });
                for item in cell.items() {
                    collect_dependent(&item, cell, dependent);
                    let origin = cell.locate(&item);
                    let item = match stray_quote_origin(&item, cell) {
                        Some(q) => {
                            let fixed = remove_stray_quote(&item);
                            diags.push(stray_quote_diag(q, &fixed));
                            fixed
                        }
                        None => item,
                    };
                    let (category, title) = split_category(&item);
                    group.projects.push(RelatedProject {
                        id: None,
                        title,
                        category,
                        source: origin,
                    });
                }
            }
        }
    }
    s.related = groups.into_values().collect();
}

/// A cleaned copy of a text as the normalizer compares it.
pub fn comparable(text: &str) -> String {
    clean(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::GridBuilder;

    /// A grid built row by row with HTML's table model; `(text, rowspan, colspan)` per cell.
    fn html_grid(rows: &[&[(&str, u32, u32)]]) -> Grid {
        let mut b = GridBuilder::new("t.html", None);
        for (r, row) in rows.iter().enumerate() {
            b.start_row();
            for (c, (text, rowspan, colspan)) in row.iter().enumerate() {
                let mut cell =
                    Cell::from_text(text, Origin::text("t.html", r as u32 + 1, c as u32 + 1));
                cell.rowspan = *rowspan;
                cell.colspan = *colspan;
                b.push(cell);
            }
        }
        b.finish()
    }

    fn run(grid: Grid) -> (Option<Strategy>, Vec<Code>) {
        let output = ReadOutput {
            grids: vec![grid],
            ..Default::default()
        };
        let (s, d) = normalize(
            &[Source {
                file: "t.html",
                output: &output,
            }],
            None,
        );
        (s, d.iter().map(|d| d.code).collect())
    }

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
    fn directions() {
        assert_eq!(
            parse_direction("1-1 市内在住若者の雇用機会の拡大"),
            Some(("1-1".into(), "市内在住若者の雇用機会の拡大".into()))
        );
        assert_eq!(
            parse_direction("２－３\u{3000}苫小牧らしい教育"),
            Some(("2-3".into(), "苫小牧らしい教育".into()))
        );
        assert_eq!(
            parse_direction("4-2\u{a0}多様な産業集積"),
            Some(("4-2".into(), "多様な産業集積".into()))
        );
        assert_eq!(
            parse_direction("10-12 長い番号"),
            Some(("10-12".into(), "長い番号".into()))
        );
        assert_eq!(parse_direction("市内在住若者の雇用機会の拡大"), None);
        assert_eq!(parse_direction("1 番号が一つ"), None);
        assert_eq!(parse_direction("1-1"), None);
    }

    #[test]
    fn measures() {
        assert_eq!(
            parse_measure("①若者の市内就職の促進"),
            Some((1, "若者の市内就職の促進".into()))
        );
        assert_eq!(
            parse_measure("⑮広域観光振興の推進"),
            Some((15, "広域観光振興の推進".into()))
        );
        assert_eq!(parse_measure("㉑二十一"), Some((21, "二十一".into())));
        assert_eq!(parse_measure("(1) 若者"), Some((1, "若者".into())));
        assert_eq!(parse_measure("（１２）若者"), Some((12, "若者".into())));
        assert_eq!(parse_measure("3. 若者"), Some((3, "若者".into())));
        assert_eq!(parse_measure("３．若者"), Some((3, "若者".into())));
        assert_eq!(parse_measure("⑴若者"), Some((1, "若者".into())));
        assert_eq!(parse_measure("若者の市内就職の促進"), None);
        assert_eq!(parse_measure("3人目の保育料"), None);
        assert_eq!(parse_measure("①"), None);
    }

    #[test]
    fn funding() {
        assert_eq!(
            split_funding(
                "就業支援事業（若者や女性の離職防止支援、高校生の地元就職支援等）（先行型）"
            ),
            (
                "就業支援事業（若者や女性の離職防止支援、高校生の地元就職支援等）".into(),
                vec![Funding::Senkogata]
            )
        );
        assert_eq!(
            split_funding("A事業（先行型）（上乗せ）"),
            ("A事業".into(), vec![Funding::Senkogata, Funding::Uwanose])
        );
        assert_eq!(
            split_funding("A事業 (上乗せ)"),
            ("A事業".into(), vec![Funding::Uwanose])
        );
        assert_eq!(
            split_funding("広域観光推進組織（DMO）の設立支援事業"),
            ("広域観光推進組織（DMO）の設立支援事業".into(), vec![])
        );
        assert_eq!(split_funding("（先行型）"), ("（先行型）".into(), vec![]));
    }

    #[test]
    fn categories() {
        assert_eq!(
            split_category("(スポーツ大会や合宿の誘致) 全国高等学校選抜アイスホッケー大会補助金"),
            (
                Some("スポーツ大会や合宿の誘致".into()),
                "全国高等学校選抜アイスホッケー大会補助金".into()
            )
        );
        assert_eq!(
            split_category("（中小商業経営の安定と強化）中小企業融資制度"),
            (
                Some("中小商業経営の安定と強化".into()),
                "中小企業融資制度".into()
            )
        );
        assert_eq!(
            split_category("新卒高校生等雇用奨励金事業"),
            (None, "新卒高校生等雇用奨励金事業".into())
        );
        assert_eq!(split_category("(括弧だけ)"), (None, "(括弧だけ)".into()));
    }

    #[test]
    fn stray_quotes() {
        assert!(has_stray_quote("植苗・美沢地区コミュニティバス運行事業”"));
        assert!(!has_stray_quote("学生と地元企業との“縁づくり”促進"));
        assert!(!has_stray_quote("“とまごころ（地元自慢の心）”"));
        assert!(has_stray_quote("事業\""));
        assert!(!has_stray_quote("\"事業\""));
        assert_eq!(
            remove_stray_quote("中心商店街活性化事業”"),
            "中心商店街活性化事業"
        );
    }

    #[test]
    fn header_roles() {
        assert_eq!(header_role("基本目標"), Some(Role::Goal));
        assert_eq!(header_role(" 施策の 基本的方向 "), Some(Role::Direction));
        assert_eq!(header_role("関連する事業"), Some(Role::Related));
        assert_eq!(header_role("備考"), None);
    }

    #[test]
    fn platform_dependent() {
        assert!(is_platform_dependent('①'));
        assert!(is_platform_dependent('㈱'));
        assert!(is_platform_dependent('Ⅲ'));
        assert!(is_platform_dependent('㍻'));
        assert!(!is_platform_dependent('あ'));
        assert!(!is_platform_dependent('１'));
    }
}

//! The normalizer: one set of rules that turns any reader's grids into the canonical model.
//!
//! Tables are found by their header cells, not their positions. Blank or merged-over cells
//! in the hierarchy columns mean "same as above"; a repeated header row (a page break) is
//! skipped; a note row (※…) ends a table. Display text is kept as written; only numbers,
//! direction codes, grant types and categories are parsed out of it.

//!
//! One file per concern: [`header`] finds tables by their header rows, [`main_table`] reads the
//! table of measures into the goal hierarchy, [`related`] the 関連する既存事業, [`labels`] parses
//! numbers, codes, grant types and categories out of display text, [`hygiene`] reports and
//! mends what the text itself gets wrong (stray quotes, platform-dependent and hidden
//! characters), and [`open_data`] recasts kohyo's own CSVs as the draft's columns.

mod header;
mod hygiene;
mod indicators;
mod labels;
mod main_table;
mod open_data;
mod related;
mod unused;

pub use header::{Role, header_role};
pub use hygiene::{hidden_controls_diagnostic, is_platform_dependent};
pub use labels::{parse_direction, parse_measure, split_category, split_funding};

use crate::diag::{Code, Diagnostic};
use crate::grid::{Grid, Origin, clean};
use crate::meta::Meta;
use crate::model::{Stage, Strategy};
use crate::read::ReadOutput;
use header::{Tables, find_tables, lone_cell_above, origin_of};
use hygiene::{collect_hidden, report_dependent, report_hidden};
use main_table::{build_hierarchy, check_measure_numbers, read_main};
use open_data::open_data_grid;
use related::read_related;

/// One file's reader output, named.
pub struct Source<'a> {
    /// The file name used in origins.
    pub file: &'a str,
    /// What its reader found.
    pub output: &'a ReadOutput,
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
    let mut tables = Tables::default();
    let grids = sources.iter().flat_map(|s| &s.output.grids);
    for (grid, recast) in grids.zip(&recast) {
        let grid = recast.as_ref().unwrap_or(grid);
        if !find_tables(grid, &mut tables, &mut diags) {
            diags.extend(unused::note(grid));
        }
    }
    let Tables {
        mut mains,
        relateds,
        indicators,
    } = tables;
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
    for f in mains.iter().chain(&relateds).chain(&indicators) {
        collect_hidden(f, &mut hidden);
    }
    report_hidden(&hidden, &mut diags);

    let mut dependent: Vec<(Origin, char)> = Vec::new();
    let recs = read_main(&mains, &mut diags, &mut dependent);
    let mut strategy = Strategy::default();
    build_hierarchy(&recs, &mut strategy, &mut diags);
    check_measure_numbers(&strategy, &mut diags);
    read_related(&relateds, &mut strategy, &mut diags, &mut dependent);
    indicators::read_tables(&indicators, &mut strategy, &mut diags);
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
        strategy.catalog = m.catalog.as_ref().map(|c| c.record.clone());
    }
    strategy.sources = sources.iter().map(|s| s.file.to_string()).collect();
    indicators::check_dates(&strategy, &mut diags);
    (Some(strategy), diags)
}

/// A cleaned copy of a text as the normalizer compares it.
pub fn comparable(text: &str) -> String {
    clean(text)
}

/// Grids and a one-grid normalize run for the unit tests of every file here.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::grid::{Cell, GridBuilder};

    /// A grid built row by row with HTML's table model; `(text, rowspan, colspan)` per cell.
    pub(crate) fn html_grid(rows: &[&[(&str, u32, u32)]]) -> Grid {
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

    pub(crate) fn run(grid: Grid) -> (Option<Strategy>, Vec<crate::diag::Code>) {
        run_grids(vec![grid])
    }

    /// Normalize several grids of one file.
    pub(crate) fn run_grids(grids: Vec<Grid>) -> (Option<Strategy>, Vec<crate::diag::Code>) {
        let output = ReadOutput {
            grids,
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
}

//! The CSV reader on the fixture drafts in `tests/fixtures/csv/`: one draft per encoding
//! (UTF-8 with BOM, CP932, UTF-16LE), each the Tomakomai seed draft in another office shape.

use kohyo::diag::Code;
use kohyo::grid::Grid;
use kohyo::read::{Format, read_file};
use std::path::Path;

const SEED: &str = "inputs/tomakomai/000_ebe3fcc3fed13691.txt";
const FOLDERS: &[&str] = &["utf8_bom", "cp932", "utf16le"];

fn fixture(path: &str) -> String {
    format!("tests/fixtures/csv/{path}")
}

fn main_file(folder: &str) -> String {
    let ext = if folder == "utf16le" { "txt" } else { "csv" };
    fixture(&format!("{folder}/01_施策.{ext}"))
}

fn related_file(folder: &str) -> String {
    let ext = if folder == "utf16le" { "txt" } else { "csv" };
    fixture(&format!("{folder}/02_関連事業.{ext}"))
}

fn grids(path: &str) -> (Format, Vec<Grid>) {
    let (format, out) = read_file(Path::new(path), path).expect("reads");
    (format, out.grids)
}

/// A goal hierarchy flattened without the normalizer: header rows skipped, blank goal and
/// direction and measure cells filled from above, 事業例 split into items.
fn flatten(grids: &[Grid]) -> Vec<[String; 4]> {
    let mut out = Vec::new();
    for g in grids {
        let (mut goal, mut direction, mut measure) = (String::new(), String::new(), String::new());
        for r in 0..g.rows.len() {
            let text = |c: usize| g.anchor(r, c).map(|cell| cell.text()).unwrap_or_default();
            if text(0) == "基本目標" || g.row_is_blank(r) {
                continue;
            }
            if !text(0).is_empty() {
                goal = text(0);
            }
            if !text(1).is_empty() {
                direction = text(1);
            }
            if !text(2).is_empty() {
                measure = text(2);
            }
            for project in g.anchor(r, 3).map(|c| c.items()).unwrap_or_default() {
                out.push([goal.clone(), direction.clone(), measure.clone(), project]);
            }
        }
    }
    out
}

/// Related projects as (goal, project) pairs, from grids laid out as goal | projects pairs of
/// columns, blank goal cells filled from above.
fn flatten_related(grids: &[Grid]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for g in grids {
        for pair in (0..g.width()).step_by(2) {
            let mut goal = String::new();
            for r in 0..g.rows.len() {
                let Some(cell) = g.anchor(r, pair + 1) else {
                    continue;
                };
                let first = g.anchor(r, pair).map(|c| c.text()).unwrap_or_default();
                if first == "基本目標" {
                    continue;
                }
                if !first.is_empty() {
                    goal = first;
                }
                for item in cell.items() {
                    out.push((goal.clone(), item));
                }
            }
        }
    }
    out.sort_by_key(|(goal, _)| {
        ["地元企業", "女性", "地元の魅力", "産業"]
            .iter()
            .position(|k| goal.starts_with(k))
            .unwrap_or(usize::MAX)
    });
    out
}

fn seed_grids() -> (Vec<Grid>, Vec<Grid>) {
    let (format, grids) = grids(SEED);
    assert_eq!(format, Format::Text);
    grids
        .into_iter()
        .partition(|g| g.anchor(0, 1).map(|c| c.text()).as_deref() != Some("関連する事業"))
}

#[test]
fn every_folder_holds_the_seed_hierarchy_cell_for_cell() {
    let (seed_main, _) = seed_grids();
    let expected = flatten(&seed_main);
    assert_eq!(expected.len(), 35);
    for folder in FOLDERS {
        let (format, grids) = grids(&main_file(folder));
        assert_eq!(format, Format::Csv, "{folder}");
        assert_eq!(grids.len(), 1, "{folder}: one grid per file");
        assert_eq!(grids[0].width(), 4, "{folder}");
        assert_eq!(
            grids[0].anchor(0, 3).map(|c| c.text()).as_deref(),
            Some("事業例"),
            "{folder}"
        );
        assert_eq!(flatten(&grids), expected, "{folder}");
    }
}

#[test]
fn every_folder_holds_the_seed_related_projects() {
    let (_, seed_related) = seed_grids();
    let expected = flatten_related(&seed_related);
    assert_eq!(expected.len(), 50);
    for folder in FOLDERS {
        let (format, grids) = grids(&related_file(folder));
        assert_eq!(format, Format::Csv, "{folder}");
        assert_eq!(grids.len(), 1, "{folder}");
        let got = flatten_related(&grids);
        assert_eq!(got, expected, "{folder}");
    }
    let counts: Vec<usize> = ["地元企業", "女性", "地元の魅力", "産業"]
        .iter()
        .map(|k| expected.iter().filter(|(g, _)| g.starts_with(k)).count())
        .collect();
    assert_eq!(counts, vec![9, 17, 19, 5]);
    assert!(
        expected.iter().any(
            |(_, p)| p == "(スポーツ大会や合宿の誘致) 全国高等学校選抜アイスホッケー大会補助金"
        )
    );
    assert!(
        expected
            .iter()
            .any(|(_, p)| p == "苫小牧クルーズ振興協議会補助金”")
    );
}

#[test]
fn the_three_shapes_of_the_hierarchy() {
    // UTF-8: every parent repeated on every row.
    let (_, g) = grids(&main_file("utf8_bom"));
    assert_eq!(g[0].rows.len(), 36);
    assert!((1..36).all(|r| g[0].anchor(r, 0).is_some() && g[0].anchor(r, 1).is_some()));
    // CP932: blank cells mean "same as above"; blank cells are not placed.
    let (_, g) = grids(&main_file("cp932"));
    assert_eq!(g[0].rows.len(), 36);
    assert_eq!((1..36).filter(|&r| g[0].anchor(r, 0).is_some()).count(), 4);
    assert_eq!((1..36).filter(|&r| g[0].anchor(r, 2).is_some()).count(), 15);
    // UTF-16LE: one row per measure, the projects in one multi-line cell.
    let (_, g) = grids(&main_file("utf16le"));
    assert_eq!(g[0].rows.len(), 16);
    let cell = g[0].anchor(12, 3).expect("⑫'s projects");
    assert_eq!(cell.lines.len(), 5);
    assert_eq!(cell.items().len(), 5);
}

#[test]
fn origins_point_at_the_fields() {
    // CP932, one row per project: 立地企業サポート事業（先行型） is the 32nd project, line 33.
    let (_, g) = grids(&main_file("cp932"));
    let cell = g[0].anchor(32, 3).expect("cell");
    assert_eq!(cell.text(), "立地企業サポート事業（先行型）");
    assert_eq!((cell.origin.line, cell.origin.column), (Some(33), Some(4)));
    // UTF-8 with BOM: the column counts characters after the BOM; quoted fields start at the quote.
    let (_, g) = grids(&main_file("utf8_bom"));
    let cell = g[0].anchor(1, 1).expect("cell");
    assert_eq!(cell.text(), "1-1 市内在住若者の雇用機会の拡大");
    assert_eq!((cell.origin.line, cell.origin.column), (Some(2), Some(32)));
    // UTF-16LE: rows after multi-line cells start on later lines; a project inside a cell is
    // located on its own line.
    let (_, g) = grids(&main_file("utf16le"));
    let cell = g[0].anchor(2, 2).expect("②");
    assert_eq!((cell.origin.line, cell.origin.column), (Some(4), Some(24)));
    let cell = g[0].anchor(2, 3).expect("②'s projects");
    let o = cell.locate("キッズタウン開催事業");
    assert_eq!((o.line, o.column), (Some(6), Some(2)));
}

#[test]
fn broken_bytes_are_k003_with_their_offset() {
    for (file, offset) in [
        ("errors/broken_cp932.csv", 359),
        ("errors/broken_utf8.csv", 526),
    ] {
        let path = fixture(file);
        let e = read_file(Path::new(&path), file).expect_err("broken byte");
        assert_eq!(e.code, Code::K003, "{file}: {e:?}");
        assert_eq!(
            e.origin.as_ref().and_then(|o| o.offset),
            Some(offset),
            "{file}"
        );
        assert!(e.message.ja.contains("4 行目"), "{file}: {}", e.message.ja);
    }
}

fn model(path: &str) -> kohyo::model::Strategy {
    let outcome = kohyo::read_draft(Path::new(path));
    assert!(!outcome.has_errors(), "{path}: {:#?}", outcome.diagnostics);
    outcome.strategy.expect("model")
}

#[test]
fn every_folder_reads_as_the_seed_model() {
    let seed = model(SEED).without_sources();
    let c = seed.counts();
    assert_eq!(
        (c.goals, c.directions, c.measures, c.projects, c.related),
        (4, 12, 15, 35, 50)
    );
    let related: Vec<usize> = seed.related.iter().map(|r| r.projects.len()).collect();
    assert_eq!(related, vec![9, 17, 19, 5]);
    for folder in FOLDERS {
        let got = model(&fixture(folder));
        assert_eq!(
            got.title.as_deref(),
            Some("苫小牧市総合戦略（骨子案）"),
            "{folder}"
        );
        assert_eq!(got.without_sources(), seed, "{folder}");
    }
}

#[test]
fn the_seed_model_keeps_the_same_warnings_from_every_folder() {
    let codes = |path: &str| {
        let mut c: Vec<_> = kohyo::read_draft(Path::new(path))
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect();
        c.sort();
        c
    };
    let seed = codes(SEED);
    for folder in FOLDERS {
        assert_eq!(codes(&fixture(folder)), seed, "{folder}");
    }
}

#[test]
fn a_single_csv_file_has_no_title() {
    for folder in FOLDERS {
        let path = main_file(folder);
        let outcome = kohyo::read_draft(Path::new(&path));
        let strategy = outcome.strategy.expect("model");
        assert_eq!(strategy.title, None, "{folder}");
        assert_eq!(strategy.goals.len(), 4, "{folder}");
        assert!(strategy.related.is_empty(), "{folder}");
    }
}

#[test]
fn projects_and_related_projects_point_at_their_lines() {
    let project = |s: &kohyo::model::Strategy, title: &str| {
        s.goals
            .iter()
            .flat_map(|g| &g.directions)
            .flat_map(|d| &d.measures)
            .flat_map(|m| &m.projects)
            .find(|p| p.title == title)
            .map(|p| p.source.clone())
            .expect("project")
    };
    // (folder, file, line, column) of 立地企業サポート事業（先行型）.
    for (folder, file, line, column) in [
        ("cp932", "01_施策.csv", 33, 4),
        ("utf8_bom", "01_施策.csv", 33, 4),
        ("utf16le", "01_施策.txt", 33, 2),
    ] {
        let s = model(&fixture(folder));
        let o = project(&s, "立地企業サポート事業");
        assert_eq!(o.file, file, "{folder}");
        assert_eq!(o.line, Some(line), "{folder}");
        let o = project(&s, "立地企業サポート事業");
        assert_eq!(o.column.map(|c| c >= column), Some(true), "{folder}: {o:?}");
        let related = s
            .related
            .iter()
            .flat_map(|r| &r.projects)
            .find(|p| p.title == "全国高等学校選抜アイスホッケー大会補助金")
            .expect("related project");
        assert_eq!(
            related.category.as_deref(),
            Some("スポーツ大会や合宿の誘致")
        );
        assert_eq!(related.source.line, Some(35), "{folder}");
    }
}

//! The Excel and ODS readers on the fixture drafts in `tests/fixtures/excel/`: the Tomakomai
//! seed draft as the city would keep it in Excel (written by `examples/make_excel_fixtures.rs`),
//! the same with phonetic guides, under an `.xls` name, and converted by LibreOffice to `.xls`
//! and `.ods`. Every one must read as the seed's model.

use kohyo::grid::{Grid, Origin, Slot};
use kohyo::model::Strategy;
use kohyo::read::{Format, read_file};
use std::io::Read;
use std::path::Path;

const SEED: &str = "inputs/tomakomai/000_ebe3fcc3fed13691.txt";
const TITLE: &str = "苫小牧市総合戦略（骨子案）";
const MAIN_SHEET: &str = "総合戦略";
const RELATED_SHEET: &str = "関連事業";

/// (folder, file, the format its bytes are).
const FIXTURES: &[(&str, &str, Format)] = &[
    ("tomakomai", "戦略.xlsx", Format::Xlsx),
    ("ruby", "戦略.xlsx", Format::Xlsx),
    ("misnamed", "戦略.xls", Format::Xlsx),
    ("xls", "戦略.xls", Format::Xls),
    ("ods", "戦略.ods", Format::Ods),
];

/// The phonetic readings the generator injects into the ruby fixture (katakana, as Excel
/// records them; the seed itself spells とまこまい in hiragana in several projects).
const READINGS: &[&str] = &["トマコマイ", "キホンモクヒョウ", "ジギョウレイ", "ジョセイ"];

fn folder(name: &str) -> String {
    format!("tests/fixtures/excel/{name}")
}

fn file(name: &str, file: &str) -> String {
    format!("tests/fixtures/excel/{name}/{file}")
}

fn model(path: &str) -> Strategy {
    let outcome = kohyo::read_draft(Path::new(path));
    assert!(!outcome.has_errors(), "{path}: {:#?}", outcome.diagnostics);
    outcome.strategy.expect("model")
}

fn grids(path: &str) -> (Format, Vec<Grid>) {
    let (format, out) = read_file(Path::new(path), path).expect("reads");
    (format, out.grids)
}

fn sheet<'a>(grids: &'a [Grid], name: &str) -> &'a Grid {
    grids
        .iter()
        .find(|g| g.sheet.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

fn project_source(s: &Strategy, title: &str) -> Origin {
    s.goals
        .iter()
        .flat_map(|g| &g.directions)
        .flat_map(|d| &d.measures)
        .flat_map(|m| &m.projects)
        .find(|p| p.title == title)
        .map(|p| p.source.clone())
        .unwrap_or_else(|| panic!("no project {title}"))
}

fn at(file: &str, sheet: &str, cell: &str) -> Origin {
    Origin {
        file: file.into(),
        sheet: Some(sheet.into()),
        cell: Some(cell.into()),
        ..Default::default()
    }
}

#[test]
fn every_fixture_reads_as_the_seed_model() {
    let seed = model(SEED).without_sources();
    let c = seed.counts();
    assert_eq!(
        (c.goals, c.directions, c.measures, c.projects, c.related),
        (4, 12, 15, 35, 50)
    );
    let related: Vec<usize> = seed.related.iter().map(|r| r.projects.len()).collect();
    assert_eq!(related, vec![9, 17, 19, 5]);
    assert_eq!(seed.title.as_deref(), Some(TITLE));
    for (name, _, _) in FIXTURES {
        let got = model(&folder(name));
        assert_eq!(got.title.as_deref(), Some(TITLE), "{name}");
        assert_eq!(got.without_sources(), seed, "{name}");
    }
}

#[test]
fn every_fixture_keeps_the_seeds_warnings_at_the_same_cells() {
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
    for (name, f, _) in FIXTURES {
        assert_eq!(codes(&folder(name)), seed, "{name}");
        // The non-adjacent second 4-2 and 4-3 (K107) and the stray ” (K111) point at their cells.
        let outcome = kohyo::read_draft(Path::new(&folder(name)));
        let places: Vec<String> = outcome
            .diagnostics
            .iter()
            .filter_map(|d| d.origin.as_ref())
            .filter_map(|o| Some(format!("{}!{}", o.sheet.as_deref()?, o.cell.as_deref()?)))
            .collect();
        assert_eq!(
            places,
            [
                "総合戦略!E5",
                "総合戦略!D26",
                "総合戦略!D27",
                "関連事業!C35",
                "関連事業!C44",
                "関連事業!C49"
            ],
            "{name}"
        );
        assert!(
            outcome
                .diagnostics
                .iter()
                .filter_map(|d| d.origin.as_ref())
                .all(|o| o.file == *f),
            "{name}"
        );
    }
}

#[test]
fn origins_are_absolute_cells_of_their_sheets() {
    for (name, f, _) in FIXTURES {
        let s = model(&folder(name));
        // The title is merged over C2:F2, above the header row at C4:F4.
        assert_eq!(s.title_source, Some(at(f, MAIN_SHEET, "C2")), "{name}");
        // ⑫ has one row per project (rows 20–24): its fourth is in F23.
        assert_eq!(
            project_source(&s, "オープンファクトリーとまこまい事業"),
            at(f, MAIN_SHEET, "F23"),
            "{name}"
        );
        // ⑬ has its projects in one Alt+Enter cell, F25.
        assert_eq!(
            project_source(&s, "立地企業サポート事業"),
            at(f, MAIN_SHEET, "F25"),
            "{name}"
        );
        // Merged cells are read at their top-left corner.
        let goal4 = &s.goals[3];
        assert_eq!(goal4.source, at(f, MAIN_SHEET, "C19"), "{name}");
        let d22 = &s.goals[1].directions[1];
        assert_eq!(
            (d22.code.as_str(), &d22.source),
            ("2-2", &at(f, MAIN_SHEET, "D11")),
            "{name}"
        );
        let m12 = s.goals[3].directions[1]
            .measures
            .iter()
            .find(|m| m.number == 12)
            .expect("⑫");
        assert_eq!(m12.source, at(f, MAIN_SHEET, "E20"), "{name}");
        // Related projects point at the 関連事業 sheet, one row per project from row 5.
        let hockey = s
            .related
            .iter()
            .flat_map(|r| &r.projects)
            .find(|p| p.title == "全国高等学校選抜アイスホッケー大会補助金")
            .expect("related project");
        assert_eq!(
            hockey.category.as_deref(),
            Some("スポーツ大会や合宿の誘致"),
            "{name}"
        );
        assert_eq!(hockey.source, at(f, RELATED_SHEET, "C38"), "{name}");
        assert_eq!(s.related[2].source, at(f, RELATED_SHEET, "B31"), "{name}");
    }
}

#[test]
fn formats_are_detected_from_the_bytes() {
    for (name, f, format) in FIXTURES {
        let (got, grids) = grids(&file(name, f));
        assert_eq!(got, *format, "{name}");
        let names: Vec<_> = grids.iter().map(|g| g.sheet.as_deref()).collect();
        assert_eq!(names, [Some(MAIN_SHEET), Some(RELATED_SHEET)], "{name}");
    }
    // The misnamed .xls is byte for byte the xlsx.
    assert_eq!(
        std::fs::read(file("misnamed", "戦略.xls")).expect("misnamed"),
        std::fs::read(file("tomakomai", "戦略.xlsx")).expect("xlsx")
    );
}

#[test]
fn merges_become_spans_in_every_format() {
    for (name, f, _) in FIXTURES {
        let (_, grids) = grids(&file(name, f));
        let g = sheet(&grids, MAIN_SHEET);
        // (0-based row, column, rowspan, colspan): the title, goals 1 and 4, direction 2-2,
        // measure ⑫.
        for (r, c, rs, cs) in [
            (1, 2, 1, 4),
            (4, 2, 5, 1),
            (18, 2, 9, 1),
            (10, 3, 2, 1),
            (19, 4, 5, 1),
        ] {
            let cell = g
                .anchor(r, c)
                .unwrap_or_else(|| panic!("{name}: ({r}, {c})"));
            assert_eq!((cell.rowspan, cell.colspan), (rs, cs), "{name}: ({r}, {c})");
            assert_eq!(g.rows[r + rs as usize - 1][c + cs as usize - 1], {
                if (rs, cs) == (1, 1) {
                    g.rows[r][c].clone()
                } else {
                    Slot::Covered { row: r, col: c }
                }
            });
        }
        // The second 4-2 (D26) is its own cell: the seed's non-adjacent direction.
        assert_eq!(
            g.anchor(25, 3).map(|c| (c.text(), c.rowspan)),
            Some(("4-2 多様な産業集積（高度化）の推進".into(), 1)),
            "{name}"
        );
        let r = sheet(&grids, RELATED_SHEET);
        let goal3 = r.anchor(30, 1).expect("B31");
        assert_eq!(
            goal3.text(),
            "地元の魅力を強化、暮らしやすさ発信で移住を促進"
        );
        assert_eq!(goal3.rowspan, 19, "{name}");
        // 50 projects from row 5, a blank row, the footnote in B56.
        assert_eq!((r.rows.len(), r.width()), (56, 3), "{name}");
        assert!(
            r.anchor(55, 1).is_some_and(|c| c.text().starts_with('※')),
            "{name}"
        );
    }
}

#[test]
fn alt_enter_cells_are_bullet_lists() {
    for (name, f, _) in FIXTURES {
        let (_, grids) = grids(&file(name, f));
        let g = sheet(&grids, MAIN_SHEET);
        // ④ (F10): `- ` bullets, one item wrapped onto a second unbulleted line.
        let cell = g.anchor(9, 5).expect("F10");
        assert_eq!(cell.lines.len(), 5, "{name}");
        let items = cell.items();
        assert_eq!(items.len(), 4, "{name}");
        assert_eq!(
            items[1],
            "「子ども送迎バス」の検討（保育ステーション～保育所や習い事などの送り迎えの負担を減らす送迎バスを想定）",
            "{name}"
        );
        // ③ (F9): ● bullets.
        let cell = g.anchor(8, 5).expect("F9");
        assert!(cell.lines.iter().all(|l| l.text.starts_with('●')), "{name}");
        assert_eq!(
            cell.items(),
            [
                "起業支援策の充実（チャレンジジョブ補助等）",
                "起業家への支援策（新規創業セミナーの開催等）"
            ],
            "{name}"
        );
        // ⑮ (F27): ・ bullets with the grant types still on the items (the normalizer splits them).
        let cell = g.anchor(26, 5).expect("F27");
        assert_eq!(
            cell.items(),
            [
                "広域観光推進組織（DMO）の設立支援事業（上乗せ）",
                "受入体制の整備事業（広域観光ルート検討や受入プログラムの検討等）（上乗せ）"
            ],
            "{name}"
        );
        // The footnote two rows below the table (C29) is the grid's last row, not data.
        assert_eq!(g.rows.len(), 29, "{name}");
        assert!(
            g.anchor(28, 2).is_some_and(|c| c.text().starts_with('※')),
            "{name}"
        );
    }
}

#[test]
fn ods_row_padding_is_not_materialised() {
    // LibreOffice pads each sheet to its last row with one repeated empty row.
    let path = file("ods", "戦略.ods");
    let content = zip_member(&path, "content.xml");
    assert!(content.contains(r#"table:number-rows-repeated="1048546""#));
    assert!(content.contains(r#"table:number-rows-spanned="9""#));
    assert!(content.contains(r#"table:number-columns-repeated="16378""#));
    let (_, grids) = grids(&path);
    for g in &grids {
        assert!(g.rows.len() < 200, "{:?}: {} rows", g.sheet, g.rows.len());
        assert!(g.width() < 20, "{:?}: {} columns", g.sheet, g.width());
    }
    assert_eq!(sheet(&grids, MAIN_SHEET).rows.len(), 29);
    assert_eq!(sheet(&grids, MAIN_SHEET).width(), 6);
    assert_eq!(sheet(&grids, RELATED_SHEET).rows.len(), 56);
    assert_eq!(sheet(&grids, RELATED_SHEET).width(), 3);
}

fn zip_member(path: &str, member: &str) -> String {
    let bytes = std::fs::read(path).expect("fixture");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut s = String::new();
    zip.by_name(member)
        .expect("member")
        .read_to_string(&mut s)
        .expect("utf-8");
    s
}

#[test]
fn phonetic_guides_never_reach_the_model() {
    // The fixture carries the guides: in the title, a header, a direction, a project inside
    // an Alt+Enter cell and a related project.
    let shared = zip_member(&file("ruby", "戦略.xlsx"), "xl/sharedStrings.xml");
    for si in [
        r#"<si><t>苫小牧市総合戦略（骨子案）</t><rPh sb="0" eb="3"><t>トマコマイ</t></rPh><phoneticPr fontId="0"/></si>"#,
        r#"<si><t>基本目標</t><rPh sb="0" eb="4"><t>キホンモクヒョウ</t></rPh>"#,
        r#"<si><t>2-3 苫小牧らしい教育プログラム形成支援</t><rPh sb="4" eb="7">"#,
        "・苫小牧市民ファミリーサポート・センター事業\n",
        r#"苫小牧クルーズ振興協議会補助金”</t><rPh sb="0" eb="3"><t>トマコマイ</t></rPh>"#,
    ] {
        assert!(shared.contains(si), "{si}");
    }
    assert!(shared.matches("<rPh ").count() > 20);
    let ruby = model(&folder("ruby"));
    let json = serde_json::to_string(&ruby).expect("json");
    for reading in READINGS {
        assert!(!json.contains(reading), "{reading} leaked into the model");
    }
    // Same file name, same cells: the model equals the plain workbook's, origins and all.
    assert_eq!(ruby, model(&folder("tomakomai")));
    // Nor into the grids (the cells kohyo shows in diagnostics).
    let (_, grids) = grids(&file("ruby", "戦略.xlsx"));
    for g in &grids {
        for slot in g.rows.iter().flatten() {
            if let Slot::Cell(c) = slot {
                let t = c.text();
                assert!(READINGS.iter().all(|r| !t.contains(r)), "{t}");
            }
        }
    }
}

//! The HTML reader on the fixture pages in `tests/fixtures/html/` (see its README): the
//! Tomakomai seed draft as a messy Shift_JIS CMS page, a clean UTF-8 HTML5 page and a minimal
//! page declared by `<meta charset>`. Each must read as the seed's model.

use kohyo::diag::Code;
use kohyo::grid::Grid;
use kohyo::model::Strategy;
use kohyo::read::{Format, read_file};
use std::path::Path;

const SEED: &str = "inputs/tomakomai/000_ebe3fcc3fed13691.txt";
const PAGES: &[&str] = &["sjis", "utf8", "meta_charset"];
const TITLE: &str = "苫小牧市総合戦略（骨子案）";

fn fixture(path: &str) -> String {
    format!("tests/fixtures/html/{path}")
}

fn page(folder: &str) -> String {
    fixture(&format!("{folder}/index.html"))
}

fn model(path: &str) -> Strategy {
    let outcome = kohyo::read_draft(Path::new(path));
    assert!(!outcome.has_errors(), "{path}: {:#?}", outcome.diagnostics);
    outcome.strategy.expect("model")
}

fn grids(path: &str) -> Vec<Grid> {
    let (format, out) = read_file(Path::new(path), "index.html").expect("reads");
    assert_eq!(format, Format::Html, "{path}");
    out.grids
}

/// The page's text as a browser decodes it (by its declared charset).
fn decoded(folder: &str) -> String {
    let bytes = std::fs::read(page(folder)).expect("fixture");
    let encoding = if folder == "utf8" {
        encoding_rs::UTF_8
    } else {
        encoding_rs::SHIFT_JIS
    };
    let (text, _, had_errors) = encoding.decode(&bytes);
    assert!(!had_errors, "{folder}");
    text.into_owned()
}

/// The page's text from a 1-based line and character column to the end of that line.
fn text_at(folder: &str, line: u32, column: u32) -> String {
    let text = decoded(folder);
    let l = text.lines().nth(line as usize - 1).expect("line");
    l.chars().skip(column as usize - 1).collect()
}

fn projects(s: &Strategy) -> impl Iterator<Item = &kohyo::model::Project> {
    s.goals
        .iter()
        .flat_map(|g| &g.directions)
        .flat_map(|d| &d.measures)
        .flat_map(|m| &m.projects)
}

#[test]
fn every_page_reads_as_the_seed_model() {
    let seed = model(SEED).without_sources();
    let c = seed.counts();
    assert_eq!(
        (c.goals, c.directions, c.measures, c.projects, c.related),
        (4, 12, 15, 35, 50)
    );
    let related: Vec<usize> = seed.related.iter().map(|r| r.projects.len()).collect();
    assert_eq!(related, vec![9, 17, 19, 5]);
    assert_eq!(seed.title.as_deref(), Some(TITLE));
    for folder in PAGES {
        // The folder (no kohyo.toml: everything comes from the page) and the page itself.
        for path in [fixture(folder), page(folder)] {
            let got = model(&path);
            assert_eq!(got.title.as_deref(), Some(TITLE), "{path}");
            assert_eq!(got.sources, vec!["index.html".to_string()], "{path}");
            assert_eq!(got.without_sources(), seed, "{path}");
        }
    }
}

#[test]
fn every_page_keeps_the_seeds_warnings() {
    // K107 ×2 (4-2 and 4-3 not adjacent), K111 ×3 (stray ”), K112 (①…⑮): nothing from the
    // navigation, layout, contact or footer tables, the repeated header or the note rows.
    let codes = |path: &str| {
        let mut c: Vec<Code> = kohyo::read_draft(Path::new(path))
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect();
        c.sort();
        c
    };
    let seed = codes(SEED);
    assert_eq!(
        seed,
        vec![
            Code::K107,
            Code::K107,
            Code::K111,
            Code::K111,
            Code::K111,
            Code::K112
        ]
    );
    for folder in PAGES {
        let mut got = codes(&fixture(folder));
        // The contact table (担当・電話) is a table of data kohyo does not read: it says so
        // once (K125, a note); navigation, layout and footer tables are not data.
        let unused = got.iter().filter(|c| **c == Code::K125).count();
        let contact = usize::from(*folder != "meta_charset");
        assert_eq!(unused, contact, "{folder}");
        got.retain(|c| *c != Code::K125);
        assert_eq!(got, seed, "{folder}");
    }
}

#[test]
fn pages_are_decoded_by_their_declared_charset() {
    for (folder, declaration) in [
        (
            "sjis",
            r#"<META http-equiv="Content-Type" content="text/html; charset=Shift_JIS">"#,
        ),
        ("utf8", r#"<meta charset="utf-8">"#),
        ("meta_charset", r#"<meta charset="shift_jis">"#),
    ] {
        let bytes = std::fs::read(page(folder)).expect("fixture");
        assert!(
            bytes
                .windows(declaration.len())
                .any(|w| w == declaration.as_bytes()),
            "{folder}"
        );
        // The Shift_JIS pages really are Shift_JIS (not UTF-8 with a stale declaration).
        assert_eq!(
            std::str::from_utf8(&bytes).is_ok(),
            folder == "utf8",
            "{folder}"
        );
        let text = decoded(folder);
        assert!(text.contains("①若者の市内就職の促進"), "{folder}");
    }
    // The Shift_JIS page declares nothing else the prescan could take.
    let sjis = decoded("sjis");
    assert!(!sjis.to_ascii_lowercase().contains("<meta charset"));
}

#[test]
fn the_title_is_the_heading_before_the_table_or_else_the_page_title() {
    // (folder, line, column, what is there): the <h1> just before the table in the Shift_JIS
    // page; the <title> minus 「｜苫小牧市」 / 「／苫小牧市」 where no text heading precedes the table
    // (the UTF-8 page's only earlier heading is its logo, an image).
    for (folder, line, column, start) in [
        (
            "sjis",
            54,
            1,
            "<h1 class=title>苫小牧市総合戦略（骨子案）</h1>",
        ),
        (
            "utf8",
            6,
            3,
            "<title>苫小牧市総合戦略（骨子案）｜苫小牧市</title>",
        ),
        (
            "meta_charset",
            3,
            1,
            "<title>苫小牧市総合戦略（骨子案）／苫小牧市</title>",
        ),
    ] {
        let s = model(&fixture(folder));
        assert_eq!(s.title.as_deref(), Some(TITLE), "{folder}");
        let o = s.title_source.expect("title source");
        assert_eq!(
            (o.file.as_str(), o.line, o.column),
            ("index.html", Some(line), Some(column)),
            "{folder}"
        );
        assert!(text_at(folder, line, column).starts_with(start), "{folder}");
    }
}

#[test]
fn projects_point_at_their_place_in_the_page() {
    // (folder, project, line, column, how the page writes it). The origin is where the
    // project's text starts: after its <td>, <li> or ・ bullet.
    let cases: &[(&str, &str, u32, u32, &str)] = &[
        // ・a<br>\n・b: the second bullet, on the line after the <br>.
        (
            "sjis",
            "市内企業の認知向上支援事業（情報ポータルサイト開設、イベント（見学会）開催等）",
            71,
            2,
            "・ after <br>",
        ),
        // An unclosed <LI> on its own line.
        (
            "sjis",
            "キッズタウン開催事業（子どもの擬似就労・消費体験等）",
            79,
            5,
            "unclosed <LI>",
        ),
        // The fourth of four unclosed <li> on one line, after the ＆ entity's cell.
        (
            "sjis",
            "男女平等参画のための意識改善支援事業（ワークライフバランスに関する講座、日本女性会議の開催等）",
            89,
            139,
            "<li> on one line",
        ),
        // One project per row below measure ⑫'s rowspan=5 cell.
        (
            "sjis",
            "市民による地域魅力の深堀り、着地型観光ツアーの開発",
            138,
            5,
            "own <td>",
        ),
        // ・a<br>・b on one line, grant type split off.
        (
            "sjis",
            "受入体制の整備事業（広域観光ルート検討や受入プログラムの検討等）",
            156,
            36,
            "・ after <br> on one line",
        ),
        (
            "utf8",
            "市内企業の認知向上支援事業（情報ポータルサイト開設、イベント（見学会）開催等）",
            51,
            19,
            "<li>",
        ),
        (
            "utf8",
            "市民による地域魅力の深堀り、着地型観光ツアーの開発",
            165,
            19,
            "<li>",
        ),
        (
            "meta_charset",
            "市民による地域魅力の深堀り、着地型観光ツアーの開発",
            31,
            21,
            "<td> after blank <td>s",
        ),
    ];
    for (folder, title, line, column, how) in cases {
        let s = model(&fixture(folder));
        let p = projects(&s).find(|p| p.title == *title).expect(title);
        assert_eq!(
            (p.source.file.as_str(), p.source.line, p.source.column),
            ("index.html", Some(*line), Some(*column)),
            "{folder}: {title} ({how})"
        );
        assert!(
            text_at(folder, *line, *column).starts_with(title),
            "{folder}: {title}"
        );
    }
}

#[test]
fn related_projects_and_stray_quotes_point_at_the_page() {
    let related = |s: &Strategy, title: &str| {
        s.related
            .iter()
            .flat_map(|r| &r.projects)
            .find(|p| p.title == title)
            .cloned()
            .expect(title)
    };
    // A ・ line; its category kept apart by &nbsp; in the Shift_JIS page: the item is located
    // by its beginning, the category's bracket.
    for (folder, line, column) in [
        ("sjis", 201, 2),
        ("utf8", 245, 21),
        ("meta_charset", 77, 13),
    ] {
        let s = model(&fixture(folder));
        let p = related(&s, "全国高等学校選抜アイスホッケー大会補助金");
        assert_eq!(
            p.category.as_deref(),
            Some("スポーツ大会や合宿の誘致"),
            "{folder}"
        );
        assert_eq!(
            (p.source.line, p.source.column),
            (Some(line), Some(column)),
            "{folder}"
        );
        assert!(
            text_at(folder, line, column).starts_with("(スポーツ大会や合宿の誘致)"),
            "{folder}"
        );
    }
    // The stray ” after 苫小牧クルーズ振興協議会補助金: the project points at its text, K111 at the ”.
    for (folder, line, column) in [
        ("sjis", 212, 2),
        ("utf8", 256, 21),
        ("meta_charset", 88, 13),
    ] {
        let outcome = kohyo::read_draft(Path::new(&fixture(folder)));
        let s = outcome.strategy.as_ref().expect("model");
        let p = related(s, "苫小牧クルーズ振興協議会補助金");
        assert_eq!(
            (p.source.line, p.source.column),
            (Some(line), Some(column)),
            "{folder}"
        );
        let k111 = outcome
            .diagnostics
            .iter()
            .find(|d| d.code == Code::K111 && d.message.ja.contains("苫小牧クルーズ"))
            .expect("K111");
        let o = k111.origin.as_ref().expect("origin");
        let quote_column = column + "苫小牧クルーズ振興協議会補助金".chars().count() as u32;
        assert_eq!(
            (o.line, o.column),
            (Some(line), Some(quote_column)),
            "{folder}"
        );
        assert!(
            text_at(folder, line, quote_column).starts_with('”'),
            "{folder}"
        );
    }
}

#[test]
fn entities_and_nbsp_do_not_leak_into_the_model() {
    for folder in PAGES {
        let s = model(&fixture(folder));
        let json = serde_json::to_string(&s).expect("json");
        assert!(!json.contains('\u{a0}'), "{folder}: U+00A0 in the model");
        for markup in ["&nbsp", "&ldquo", "&rdquo", "&#", "&amp;", "&gt;", "<", ">"] {
            assert!(!json.contains(markup), "{folder}: {markup} in the model");
        }
        // 1-1&nbsp;…, &ldquo;…&rdquo;, &#9313; and &#xFF06; as the seed writes them.
        let d = &s.goals[0].directions[0];
        assert_eq!(
            (d.code.as_str(), d.title.as_str()),
            ("1-1", "市内在住若者の雇用機会の拡大")
        );
        assert_eq!(
            s.goals[0].title,
            "地元企業と学生と“つながり”を強化し、地元雇用拡大を実現"
        );
        assert_eq!(
            s.goals[0].directions[1].title,
            "学生と地元企業との“縁づくり”促進"
        );
        let m = &s.goals[0].directions[1].measures[0];
        assert_eq!(
            (m.number, m.title.as_str()),
            (2, "学生と地元企業との交流・連携機会の創出")
        );
        assert_eq!(
            s.goals[1].directions[0].measures[0].title,
            "ワーキングマザー＆ファザーの子育て応援"
        );
    }
}

#[test]
fn navigation_layout_and_footer_tables_are_ignored() {
    // Every table of the Shift_JIS page is a grid, nested ones included, in document order.
    let g = grids(&page("sjis"));
    let first_text = |grid: &Grid| grid.anchor(0, 0).map(|c| c.text()).unwrap_or_default();
    let firsts: Vec<String> = g.iter().map(first_text).collect();
    // Cell text joins a cell's lines (menu items, <br> lines) without spaces, as Japanese does.
    let expected = [
        "",               // header: the logo <h1> (an image), tools and search
        "くらし・手続き", // global navigation
        "計画・構想苫小牧市総合計画苫小牧市人口ビジョン苫小牧市総合戦略（骨子案）", // layout: side menu | main
        "基本目標", // the table of measures, nested in the layout's main cell
        "基本目標", // 【参考】関連する既存事業
        "担当",     // contact
        "苫小牧市役所〒053-8722 北海道苫小牧市旭町4丁目5番6号電話：0144-32-6111（代表）", // footer
    ];
    assert_eq!(firsts, expected);
    // The layout's main cell has the page's text but not the tables nested in it.
    let main_cell = g[2].anchor(0, 1).expect("main cell").text();
    assert!(main_cell.contains(TITLE) && main_cell.contains("市民の皆さまのご意見"));
    assert!(!main_cell.contains("就業支援事業"), "{main_cell}");
    // The draft's tables carry the last heading before them; the layout's is the logo's (none).
    assert_eq!(g[2].heading, None);
    assert_eq!(g[3].heading.as_ref().map(|h| h.0.as_str()), Some(TITLE));
    assert_eq!(
        g[4].heading.as_ref().map(|h| h.0.as_str()),
        Some("【参考】関連する既存事業")
    );
    // The table of measures: the header twice (page break), 4 columns, the ※ row last.
    let main = &g[3];
    assert_eq!(main.width(), 4);
    assert_eq!(main.rows.len(), 1 + 3 + 4 + 1 + 3 + 9 + 1);
    let last = main.anchor(main.rows.len() - 1, 0).expect("note");
    assert!(last.text().starts_with("※ 事業例"));
    assert_eq!(last.colspan, 4);
    // The model's goals are the draft's four, not a menu or footer entry.
    let s = model(&fixture("sjis"));
    assert_eq!(s.goals.len(), 4);
}

#[test]
fn a_two_row_header_with_a_column_group() {
    let g = grids(&page("utf8"));
    let main = g
        .iter()
        .find(|g| {
            g.anchor(0, 0).is_some_and(|c| c.text() == "基本目標")
                && g.width() == 4
                && g.anchor(1, 1)
                    .is_some_and(|c| c.text() == "施策の基本的方向")
        })
        .expect("the table of measures");
    let group = main.anchor(0, 1).expect("group");
    assert_eq!((group.text().as_str(), group.colspan), ("施策", 2));
    assert_eq!(
        main.anchor(1, 2).map(|c| c.text()).as_deref(),
        Some("具体的な施策")
    );
    assert_eq!(
        main.cell_at(1, 3).map(|(c, covered)| (c.text(), covered)),
        Some(("事業例".into(), true))
    );
    // tfoot's ※ row comes last.
    let last = main.anchor(main.rows.len() - 1, 0).expect("note");
    assert!(last.text().starts_with("※"));
}

#[test]
fn a_broken_shift_jis_byte_is_k003_with_its_offset() {
    let path = fixture("errors/broken_sjis.html");
    let e = read_file(Path::new(&path), "broken_sjis.html").expect_err("broken byte");
    assert_eq!(e.code, Code::K003, "{e:?}");
    assert_eq!(e.origin.as_ref().and_then(|o| o.offset), Some(3599));
    assert!(e.message.ja.contains("74 行目"), "{}", e.message.ja);
    assert!(
        e.message.ja.contains("バイト 81 は Shift_JIS"),
        "{}",
        e.message.ja
    );
    // Read as a draft, it is an error and there is no model.
    let outcome = kohyo::read_draft(Path::new(&path));
    assert!(outcome.strategy.is_none());
    let codes: Vec<Code> = outcome.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, vec![Code::K003]);
}

#[test]
fn a_page_without_a_table_of_measures_is_k013() {
    let path = fixture("errors/no_strategy.html");
    // The page has tables (header, layout, schedule), just not the draft's.
    assert_eq!(grids(&path).len(), 3);
    let outcome = kohyo::read_draft(Path::new(&path));
    assert!(outcome.strategy.is_none());
    assert!(outcome.has_errors());
    let codes: Vec<Code> = outcome.diagnostics.iter().map(|d| d.code).collect();
    // The schedule table is data, just not the draft's: it is named as not read.
    assert_eq!(codes, vec![Code::K013, Code::K125]);
}

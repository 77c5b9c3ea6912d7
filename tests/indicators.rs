//! The draft's indicators (数値目標 and KPI) read from every input form: the 素案 fixtures in
//! `tests/fixtures/soan/` (text export, HTML, CSV, xlsx, xls, ods) must each give exactly the
//! indicators of `expected.json`, numbers and years exact, and the same model as each other.

use kohyo::diag::Code;
use kohyo::model::{Indicator, Observation, Strategy, When};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const FORMS: &[&str] = &["text", "html", "csv", "xlsx", "xls", "ods"];
const SEED: &str = "inputs/tomakomai";

fn fixture(form: &str) -> PathBuf {
    Path::new("tests/fixtures/soan").join(form)
}

fn expected() -> Vec<Value> {
    let text = std::fs::read_to_string("tests/fixtures/soan/expected.json").expect("expected");
    serde_json::from_str(&text).expect("expected.json")
}

fn read(form: &str) -> (Strategy, Vec<kohyo::diag::Diagnostic>) {
    let outcome = kohyo::read_draft(&fixture(form));
    let strategy = outcome
        .strategy
        .unwrap_or_else(|| panic!("{form}: no model: {:#?}", outcome.diagnostics));
    (strategy, outcome.diagnostics)
}

fn when_json(w: Option<When>) -> Value {
    match w {
        Some(When::FiscalYear { year }) => json!({"kind": "fiscal_year", "year": year}),
        Some(When::Year { year }) => json!({"kind": "year", "year": year}),
        Some(When::Month { year, month }) => json!({"kind": "month", "year": year, "month": month}),
        None => Value::Null,
    }
}

fn observation_json(o: &Option<Observation>) -> Value {
    match o {
        None => Value::Null,
        Some(o) => json!({
            "value": o.value.map(|v| v.to_string()),
            "approximate": o.approximate,
            "bound": o.bound.map(|b| b.label()),
            "when": when_json(o.when),
        }),
    }
}

/// The strategy's indicators in expected.json's shape; decimals as their text, so 60.0 and
/// 60 differ.
fn indicators_json(s: &Strategy) -> Vec<Value> {
    s.indicators()
        .iter()
        .map(|r| {
            let i: &Indicator = r.indicator;
            json!({
                "level": if r.measure.is_some() { "measure" } else { "goal" },
                "goal": r.goal.number,
                "measure": r.measure.map(|(_, m)| m.number),
                "name": i.name,
                "unit": i.unit,
                "baseline": observation_json(&i.baseline),
                "target": observation_json(&i.target),
                "note": i.note,
            })
        })
        .collect()
}

#[test]
fn every_form_gives_every_indicator_exactly() {
    // The model keeps the draft's order: ⑬ under 4-3 comes after ⑭ under 4-2 (the seed's
    // non-adjacent directions, merged); expected.json is by number. Compare in one order.
    let order = |v: &mut Vec<Value>| {
        v.sort_by_key(|i| (i["goal"].as_u64(), i["measure"].as_u64().unwrap_or(0)));
    };
    let mut want = expected();
    order(&mut want);
    assert_eq!(want.len(), 23);
    for form in FORMS {
        let (s, _) = read(form);
        let mut got = indicators_json(&s);
        order(&mut got);
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(g, w, "{form}: indicator {i}");
        }
        assert_eq!(got.len(), want.len(), "{form}: {got:#?}");
    }
}

#[test]
fn every_form_gives_the_same_model_and_the_seeds_hierarchy() {
    let seed = kohyo::read_draft(Path::new(SEED))
        .strategy
        .expect("seed")
        .without_sources();
    let (first, _) = read(FORMS[0]);
    let first = first.without_wording();
    for form in FORMS {
        let (s, _) = read(form);
        assert_eq!(
            s.title.as_deref(),
            Some("苫小牧市総合戦略（素案）"),
            "{form}"
        );
        let s = s.without_wording();
        assert_eq!(s.goals, first.goals, "{form}");
        assert_eq!(s.related, seed.related, "{form}");
        // Indicators aside, the hierarchy is the seed's.
        let mut bare = s.clone();
        for g in &mut bare.goals {
            g.indicators.clear();
            for m in g.directions.iter_mut().flat_map(|d| &mut d.measures) {
                m.indicators.clear();
            }
        }
        assert_eq!(bare.goals, seed.goals, "{form}");
    }
}

#[test]
fn every_form_keeps_the_seeds_warnings_and_names_the_sheet_it_does_not_read() {
    for form in FORMS {
        let (_, diags) = read(form);
        let mut codes: Vec<Code> = diags
            .iter()
            .map(|d| d.code)
            .filter(|c| *c != Code::K015)
            .collect();
        codes.sort();
        let mut want = vec![
            Code::K107,
            Code::K107,
            Code::K111,
            Code::K111,
            Code::K111,
            Code::K112,
        ];
        if ["xlsx", "xls", "ods"].contains(form) {
            // The office's メモ sheet holds no table kohyo reads, and says so.
            want.push(Code::K125);
            let note = diags.iter().find(|d| d.code == Code::K125).expect("K125");
            assert!(note.message.ja.contains("シート「メモ」"), "{note:#?}");
        }
        want.sort();
        assert_eq!(codes, want, "{form}: {diags:#?}");
    }
}

#[test]
fn indicator_texts_keep_their_wording() {
    let (s, _) = read("text");
    let kpi = &s.goals[0].directions[0].measures[0].indicators[0];
    assert_eq!(
        kpi.written.as_deref(),
        Some("就業支援事業による市内就職者数：120人（H26）→150人（H31）")
    );
    assert_eq!(
        kpi.baseline.as_ref().map(|o| o.written.as_str()),
        Some("120人（H26）")
    );
    let goal = &s.goals[0].indicators[0];
    assert_eq!(goal.written, None, "a row of a table is kept cell by cell");
    assert_eq!(
        goal.baseline.as_ref().map(|o| o.written.as_str()),
        Some("55.2%（平成26年度）")
    );
    // A %-formatted 0.552 shows as Excel shows it.
    let (x, _) = read("xlsx");
    assert_eq!(
        x.goals[0].indicators[0]
            .baseline
            .as_ref()
            .map(|o| o.written.as_str()),
        Some("55.2%")
    );
}

// ---------------------------------------------------------------------------------------------
// The indicators on the page and in the PDF.

mod common;

fn built() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let (src, d) = common::soan_draft();
    let (out, dir) = common::build_draft(&d, &[], &[]);
    (src, out, dir)
}

#[test]
fn the_page_shows_every_indicator_in_words_and_as_a_chart_that_says_the_same() {
    use scraper::{Html, Selector};
    let (_s, _o, dir) = built();
    let source = std::fs::read_to_string(dir.join("index.html")).expect("page");
    let page = Html::parse_document(&source);
    let sel = |s: &str| Selector::parse(s).expect("selector");
    let (model, _) = read("text");
    let figures: Vec<_> = page.select(&sel("figure.indicator")).collect();
    assert_eq!(figures.len(), 23);
    let text = |e: scraper::ElementRef| e.text().collect::<String>();
    for (r, f) in model.indicators().iter().zip(&figures) {
        let i = r.indicator;
        let caption = f.select(&sel("figcaption")).next().expect("figcaption");
        assert!(text(caption).starts_with(&i.name), "{}", text(caption));
        // Each value in words, with its date.
        let dd: Vec<String> = f.select(&sel("dd")).map(text).collect();
        let unit = i.unit.as_deref();
        if let Some(b) = &i.baseline {
            assert!(
                dd.contains(&kohyo::write::observation_text(b, unit)),
                "{dd:?}"
            );
        }
        // A chart is an image whose name states the same numbers.
        if let Some(svg) = f.select(&sel("svg")).next() {
            assert_eq!(svg.value().attr("role"), Some("img"));
            let title_id = svg.value().attr("aria-labelledby").expect("labelled");
            let title = svg.select(&sel("title")).next().expect("title");
            assert_eq!(title.value().attr("id"), Some(title_id));
            let alt = text(title);
            for o in i.baseline.iter().chain(&i.target) {
                assert!(alt.contains(&kohyo::write::value_text(o, unit)), "{alt}");
            }
            let bars = svg.select(&sel("rect")).count();
            let numbers = i
                .baseline
                .iter()
                .chain(&i.target)
                .filter(|o| o.value.is_some())
                .count();
            assert_eq!(bars, numbers, "{alt}");
        }
    }
    // The table view: a KPI column per goal, and each goal's 数値目標 table.
    assert_eq!(page.select(&sel("table.targets")).count(), 4);
    assert_eq!(
        page.select(&sel("table.strategy thead th:nth-child(4)"))
            .filter(|th| text(*th) == "重要業績評価指標（KPI）")
            .count(),
        4
    );
    // Still no script and no CSS-generated text.
    assert_eq!(page.select(&sel("script")).count(), 0);
    let css: String = page.select(&sel("style")).map(text).collect();
    for banned in ["url(", "counter(", "::before", "content:"] {
        assert!(!css.contains(banned), "CSS uses {banned}");
    }
    // Every td's headers name th's of its own table.
    for table in page.select(&sel("table")) {
        let ids: std::collections::HashSet<&str> = table
            .select(&sel("th[id]"))
            .filter_map(|t| t.value().attr("id"))
            .collect();
        for td in table.select(&sel("td")) {
            for h in td.value().attr("headers").unwrap_or("").split_whitespace() {
                assert!(ids.contains(h), "headers {h} not in its table");
            }
        }
    }
}

#[test]
fn the_page_with_charts_passes_vnu_axe_and_the_layout_checks() {
    if !common::web::checkers() {
        return;
    }
    let (_s, _o, dir) = built();
    let page = dir.join("index.html");
    let messages = common::web::vnu(&page);
    assert!(messages.is_empty(), "vnu: {messages:#?}");
    let report = common::web::browser_checks(&page);
    common::web::assert_browser_clean(&report);
}

#[test]
fn the_pdf_holds_the_targets_tables_and_a_kpi_column_tagged_like_the_rest() {
    use common::pdf::{check_pdf_tools, elements, qpdf_objects, role, text_of, tools, value};
    if !tools() {
        return;
    }
    let (_s, _o, dir) = built();
    let pdf = dir.join("soan.pdf");
    check_pdf_tools(&pdf);
    let raw = common::squeeze(&text_of(&pdf, true));
    let (model, _) = read("text");
    for r in model.indicators() {
        assert!(
            raw.contains(&common::squeeze(&r.indicator.name)),
            "{}",
            r.indicator.name
        );
    }
    for t in [
        "基本目標の数値目標",
        "1兆2,345億円",
        "基準値120人（2014年度）",
        "約4,200人",
        "2,000人以上",
    ] {
        assert!(raw.contains(&common::squeeze(t)), "{t}");
    }
    // The structure: H1, P, H2 数値目標, (H3, Table)×4, H2, Table, H2, Table.
    let objects = qpdf_objects(&pdf, false);
    let root = objects
        .iter()
        .find(|(_, v)| v["value"]["/Type"] == "/StructTreeRoot")
        .map(|(k, _)| k.trim_start_matches("obj:").to_string())
        .expect("structure tree");
    let mut all = Vec::new();
    elements(&objects, &root, &mut all);
    let doc = all
        .iter()
        .find(|e| role(e) == "/Document")
        .expect("Document");
    let kids: Vec<&str> = doc["/K"]
        .as_array()
        .expect("kids")
        .iter()
        .filter_map(|k| k.as_str())
        .map(|k| role(value(&objects, k)))
        .collect();
    assert_eq!(
        kids,
        [
            "/H1", "/P", "/H2", "/H3", "/Table", "/H3", "/Table", "/H3", "/Table", "/H3", "/Table",
            "/H2", "/Table", "/H2", "/Table"
        ]
    );
    // The main table's header row has the KPI column, and each KPI list item is there.
    let ths = all
        .iter()
        .filter(|e| role(e) == "/TH" && e["/A"].to_string().contains("Column"))
        .count();
    // 4 × 4 数値目標 columns, 5 main, 2 related.
    assert_eq!(ths, 16 + 5 + 2);
    let items = all.iter().filter(|e| role(e) == "/LI").count();
    let projects = model.counts().projects + model.counts().related;
    assert_eq!(items, projects + 16, "16 KPI items");
}

// ---------------------------------------------------------------------------------------------
// Indicators across versions: the 新旧対照表 and the IDs.

/// The 素案 draft with `edits` (from, to) made to its text.
fn edited(edits: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let (dir, d) = common::soan_draft();
    let path = d.join("素案.txt");
    let mut text = std::fs::read_to_string(&path).expect("text");
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{from}");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(&path, text).expect("write");
    (dir, d)
}

const NEW_TARGET: (&str, &str) = (
    "就業支援事業による市内就職者数：120人（H26）→150人（H31）",
    "就業支援事業による市内就職者数：120人（H26）→160人（H31）",
);
const REWORDED: (&str, &str) = ("移住相談件数：", "移住に関する相談件数：");

#[test]
fn a_new_target_and_a_reworded_indicator_are_changes_of_the_one_item() {
    let (_a, old) = common::soan_draft();
    let (_b, new) = edited(&[NEW_TARGET, REWORDED]);
    let rows = common::diff_csv(&old, &new);
    assert_eq!(
        rows[0],
        ["種別", "ID", "階層", "位置", "旧の位置", "旧", "新"]
    );
    let body = &rows[1..];
    assert_eq!(body.len(), 2, "{body:#?}");
    for r in body {
        assert_eq!(r[0], "変更", "{r:?}");
        assert_eq!(r[2], "重要業績評価指標（KPI）", "{r:?}");
    }
    assert_eq!(body[0][1], "I1-1-1-1");
    assert!(body[0][5].contains("目標値 150人") && body[0][6].contains("目標値 160人"));
    assert_eq!(body[1][1], "I3-2-9-1");
    assert!(
        body[1][6].starts_with("移住に関する相談件数："),
        "{:?}",
        body[1]
    );
    // The 骨子案 against the 素案: every indicator is added, nothing else changed.
    let rows = common::diff_csv(Path::new("inputs/tomakomai"), &old);
    let added: Vec<&Vec<String>> = rows[1..]
        .iter()
        .filter(|r| r[2] == "数値目標" || r[2] == "重要業績評価指標（KPI）")
        .collect();
    assert_eq!(added.len(), 23);
    assert!(added.iter().all(|r| r[0] == "追加"));
}

#[test]
fn an_indicator_keeps_its_id_across_versions_and_a_new_one_gets_a_fresh_one() {
    let (_a, d) = common::soan_draft();
    let out = tempfile::TempDir::new().expect("tempdir");
    let build = |input: &Path| {
        let o = std::process::Command::new(common::BIN)
            .arg("build")
            .arg(input)
            .arg("--out")
            .arg(out.path())
            .output()
            .expect("build");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    build(&d);
    // The next version: ⑨'s KPI reworded, and a KPI added before it under ⑨.
    let path = d.join("素案.txt");
    let text = std::fs::read_to_string(&path).expect("text");
    let text = text.replacen(REWORDED.0, REWORDED.1, 1).replacen(
        "<p>移住に関する相談件数：",
        "<ul><li>移住体験住宅の利用件数：10件（H26）→30件（H31）</li><li>移住に関する相談件数：",
        1,
    );
    let text = text.replacen("→100件（H31）</p>", "→100件（H31）</li></ul>", 1);
    std::fs::write(&path, text).expect("write");
    build(&d);
    let csv = out.path().join("soan/data/012131_soan_shihyo.csv");
    let bytes = std::fs::read(&csv).expect("csv");
    let body = String::from_utf8(bytes).expect("utf-8");
    let id_of = |name: &str| {
        body.lines()
            .find(|l| l.split(',').nth(9) == Some(name))
            .and_then(|l| l.split(',').nth(1))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    // The reworded KPI keeps I3-2-9-1, though it is now the second of ⑨; the new one, first,
    // may not take that ID and gets one never issued.
    assert_eq!(id_of("移住に関する相談件数"), "I3-2-9-1");
    assert_eq!(id_of("移住体験住宅の利用件数"), "I3-2-9-2");
    let ledger = std::fs::read_to_string(out.path().join("soan/ids.json")).expect("ids");
    assert!(ledger.contains("\"I3-2-9-2\""));
}

#[test]
fn an_indicator_that_cannot_be_read_is_reported_at_its_cell_and_published_as_written() {
    let (_a, d) = edited(&[(
        "新規創業件数：18件/年（H26）→25件/年（H31）",
        "起業しやすいまちづくりの推進",
    )]);
    let o = std::process::Command::new(common::BIN)
        .args(["check", "--format", "json"])
        .arg(&d)
        .output()
        .expect("check");
    let diags: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let k119: Vec<&serde_json::Value> = diags
        .as_array()
        .expect("list")
        .iter()
        .filter(|d| d["code"] == "K119")
        .collect();
    assert_eq!(k119.len(), 1, "{diags:#}");
    let text = std::fs::read_to_string(d.join("素案.txt")).expect("text");
    let line = text
        .lines()
        .position(|l| l.contains("起業しやすいまちづくりの推進"))
        .expect("line")
        + 1;
    assert_eq!(k119[0]["line"], line);
    // A warning: the build goes on, and every output carries the words.
    let (_o, dir) = common::build_draft(&d, &[], &[]);
    let page = std::fs::read_to_string(dir.join("index.html")).expect("page");
    assert!(page.contains("起業しやすいまちづくりの推進"));
    let csv = std::fs::read_to_string(dir.join("data/012131_soan_shihyo.csv")).expect("csv");
    assert!(csv.contains(",起業しやすいまちづくりの推進,"), "{csv}");
    if common::pdf::tools() {
        let raw = common::squeeze(&common::pdf::text_of(&dir.join("soan.pdf"), true));
        assert!(raw.contains("起業しやすいまちづくりの推進"));
    }
}

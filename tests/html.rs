//! The web page, end to end: the real binary builds the seed (and hostile drafts), and the
//! page is judged by our own structural checks, the Nu HTML Checker, and axe-core plus layout
//! checks in Debian's chromium.
//!
//! Needs Java (for vnu.jar), Node.js, `npm ci --ignore-scripts --prefix tests/js` (vnu-jar,
//! axe-core, playwright-core) and Debian's `chromium`. Under `CI=true` a missing one fails the
//! test; otherwise the test says what to install and passes.

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

mod common;
use common::{assert_in_order, model};
const VNU: &str = "tests/js/node_modules/vnu-jar/build/dist/vnu.jar";
const CHECK: &str = "tests/js/check.mjs";

/// What kohyo.toml must give for a draft to be published (after any other top-level keys).
const PUBLICATION: &str = "base_url = \"https://www.city.example.lg.jp/opendata/\"\n\n[municipality]\ncode = \"012131\"\nname = \"架空市\"\nprefecture = \"北海道\"\n\n[publisher]\nname = \"架空市\"\n";

fn ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Whether the checkers can run; under CI their absence is a failure.
fn checkers() -> bool {
    let java = Command::new("java").arg("-version").output().is_ok();
    let node = Command::new("node").arg("--version").output().is_ok();
    let modules = Path::new(VNU).is_file()
        && Path::new("tests/js/node_modules/axe-core/axe.min.js").is_file()
        && Path::new("tests/js/node_modules/playwright-core").is_dir();
    let chromium = Path::new("/usr/bin/chromium").is_file();
    let ok = java && node && modules && chromium;
    if !ok {
        let need = "Java 17, Node.js, `npm ci --ignore-scripts --prefix tests/js` and \
                    `apt-get install chromium`";
        assert!(
            !ci(),
            "HTML checkers missing (java {java}, node {node}, modules {modules}, chromium {chromium}): install {need}"
        );
        eprintln!("skipping: install {need}");
    }
    ok
}

/// Build `input` into a fresh output folder; return it and the page's path.
fn build(input: &Path) -> (TempDir, PathBuf) {
    let (out, dir) = common::build_draft(input, &[], &[]);
    let page = dir.join("index.html");
    assert!(page.is_file(), "no {}", page.display());
    (out, page)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

fn text(e: ElementRef) -> String {
    e.text().collect()
}

/// The model's strings in the order a reader meets them in the list view: goal, direction,
/// measure, projects (each with its grant types), then the goal's related projects.
fn reading_order(m: &Value) -> Vec<String> {
    let s = |v: &Value| v.as_str().expect("string").to_string();
    let mut out = Vec::new();
    let related = m["related"].as_array().expect("related");
    for g in m["goals"].as_array().expect("goals") {
        out.push(format!("基本目標{}", g["number"]));
        out.push(s(&g["title"]));
        for d in g["directions"].as_array().expect("directions") {
            out.push(s(&d["code"]));
            out.push(s(&d["title"]));
            for me in d["measures"].as_array().expect("measures") {
                out.push(s(&me["title"]));
                for p in me["projects"].as_array().expect("projects") {
                    let mut t = s(&p["title"]);
                    for f in p["funding"].as_array().expect("funding") {
                        t.push_str(&format!("（{}）", s(f)));
                    }
                    out.push(t);
                }
            }
        }
        for r in related.iter().filter(|r| r["goal"] == g["number"]) {
            for p in r["projects"].as_array().expect("projects") {
                out.push(s(&p["title"]));
            }
        }
    }
    out
}

#[test]
fn seed_page_has_the_structure_a_screen_reader_needs() {
    let input = Path::new("inputs/tomakomai");
    let (out, page_path) = build(input);
    let source = std::fs::read_to_string(&page_path).expect("page");
    let page = Html::parse_document(&source);
    let m = model(input);

    // The document: language, encoding first, title, zoomable viewport.
    assert!(source.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"));
    let head = page.select(&sel("head")).next().expect("head");
    let first = head.child_elements().next().expect("head child");
    assert_eq!(first.value().name(), "meta");
    assert_eq!(first.value().attr("charset"), Some("utf-8"));
    let title: Vec<String> = page.select(&sel("title")).map(text).collect();
    assert_eq!(title, ["苫小牧市総合戦略（骨子案）｜苫小牧市"]);
    let viewport = page
        .select(&sel("meta[name=viewport]"))
        .next()
        .and_then(|e| e.value().attr("content"))
        .expect("viewport");
    assert!(!viewport.contains("user-scalable") && !viewport.contains("maximum-scale"));

    // Self-contained: no script, no external resource, numbers never generated by CSS.
    assert_eq!(
        page.select(&sel("script, link, img, iframe, object"))
            .count(),
        0
    );
    assert_eq!(page.select(&sel("[src], [style]")).count(), 0);
    let css: String = page.select(&sel("style")).map(text).collect();
    for banned in ["url(", "@import", "counter(", "::before", "content:"] {
        assert!(!css.contains(banned), "CSS uses {banned}");
    }
    assert!(css.contains("prefers-color-scheme: dark") && css.contains("@media print"));
    assert!(css.contains("\"BIZ UDPGothic\""));

    // Landmarks and headings: a skip link to main, one h1 in main, no skipped levels.
    let skip = page
        .select(&sel("body > a.skip-link"))
        .next()
        .expect("skip link");
    assert_eq!(skip.value().attr("href"), Some("#main"));
    assert_eq!(page.select(&sel("main#main")).count(), 1);
    assert_eq!(page.select(&sel("h1")).count(), 1);
    assert_eq!(page.select(&sel("main h1")).count(), 1);
    assert_eq!(page.select(&sel("main nav.toc")).count(), 1);
    let levels: Vec<u8> = page
        .select(&sel("h1, h2, h3, h4, h5, h6"))
        .map(|h| h.value().name().as_bytes()[1] - b'0')
        .collect();
    assert_eq!(levels[0], 1);
    for pair in levels.windows(2) {
        assert!(pair[1] <= pair[0] + 1, "heading level skips: {levels:?}");
    }
    let goals = m["goals"].as_array().expect("goals");
    let h2: Vec<String> = page.select(&sel("main > section > h2")).map(text).collect();
    for g in goals {
        let want = format!(
            "基本目標{} {}",
            g["number"],
            g["title"].as_str().expect("t")
        );
        assert!(h2.contains(&want), "no h2 「{want}」 in {h2:?}");
    }
    let h3 = page.select(&sel("section[id^=goal-] h3")).count();
    let directions: usize = goals
        .iter()
        .map(|g| g["directions"].as_array().expect("d").len())
        .sum();
    assert_eq!(h3, directions + m["related"].as_array().expect("r").len());
    let measures: usize = goals
        .iter()
        .flat_map(|g| g["directions"].as_array().expect("d"))
        .map(|d| d["measures"].as_array().expect("m").len())
        .sum();
    assert_eq!(page.select(&sel("section[id^=goal-] h4")).count(), measures);
    // Each project list is labelled by its measure and 「事業例」, and both labels exist.
    let ids: Vec<&str> = page
        .select(&sel("[id]"))
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate ids");
    for ul in page.select(&sel("ul.projects")) {
        let by = ul.value().attr("aria-labelledby").expect("labelled list");
        for id in by.split(' ') {
            assert!(unique.contains(id), "aria-labelledby {id} names nothing");
        }
    }

    // Every string of the model, in document order, as text (numbers included).
    let main_text: String = page.select(&sel("main")).map(text).collect();
    assert_in_order(&main_text, &reading_order(&m));
    let grants = page.select(&sel(".grant")).map(text).collect::<Vec<_>>();
    assert!(
        grants
            .iter()
            .all(|g| g == "（先行型）" || g == "（上乗せ）"),
        "{grants:?}"
    );

    // The table view: per goal, a caption, a head row, rowspan row headers, and every data
    // cell tied with headers= to ids of header cells in its own table.
    let regions: Vec<ElementRef> = page.select(&sel("div.scroll")).collect();
    assert_eq!(regions.len(), goals.len());
    for region in &regions {
        assert_eq!(region.value().attr("tabindex"), Some("0"));
        assert_eq!(region.value().attr("role"), Some("region"));
        let table = region.select(&sel("table")).next().expect("table");
        let caption = table.select(&sel("caption")).next().expect("caption");
        assert_eq!(
            region.value().attr("aria-labelledby"),
            caption.value().attr("id")
        );
        assert_eq!(table.select(&sel("thead th")).count(), 3);
        assert_eq!(table.select(&sel("[scope]")).count(), 0);
        let th_ids: HashMap<&str, ElementRef> = table
            .select(&sel("th[id]"))
            .filter_map(|th| th.value().attr("id").map(|id| (id, th)))
            .collect();
        let cells: Vec<ElementRef> = table.select(&sel("td")).collect();
        assert!(!cells.is_empty());
        for td in cells {
            let headers = td.value().attr("headers").expect("every td has headers");
            let names: Vec<&str> = headers.split(' ').collect();
            assert_eq!(names.len(), 3, "column, direction and measure: {headers}");
            for h in names {
                assert!(
                    th_ids.contains_key(h),
                    "headers {h} is not a th of this table"
                );
            }
        }
        for th in table.select(&sel("tbody th[rowspan]")) {
            let span: usize = th
                .value()
                .attr("rowspan")
                .expect("rowspan")
                .parse()
                .expect("n");
            assert!(span >= 1);
        }
    }
    let spans: usize = page
        .select(&sel("tbody th[rowspan]"))
        .map(|th| {
            th.value()
                .attr("rowspan")
                .expect("r")
                .parse::<usize>()
                .expect("n")
        })
        .sum();
    assert_eq!(spans, measures, "direction cells span one row per measure");

    // Downloads: the PDF with its real size in the link text; licence; attribution.
    let pdf_size = std::fs::metadata(out.path().join("tomakomai/tomakomai.pdf"))
        .expect("pdf")
        .len();
    let link = page
        .select(&sel("#downloads a[href='tomakomai.pdf']"))
        .next()
        .expect("PDF link");
    assert_eq!(
        text(link),
        format!("計画書（表形式） PDF（{}KB）", pdf_size.div_ceil(1024))
    );
    for (file, label) in [
        ("data/012131_tomakomai_shisaku.csv", "施策と事業例"),
        ("data/012131_tomakomai_kanren_jigyo.csv", "関連する既存事業"),
    ] {
        let size = std::fs::metadata(out.path().join("tomakomai").join(file))
            .expect("csv")
            .len();
        let link = page
            .select(&sel(&format!("#downloads a[href='{file}']")))
            .next()
            .unwrap_or_else(|| panic!("no link to {file}"));
        assert_eq!(
            text(link),
            format!("{label} CSV（{}KB）", size.div_ceil(1024))
        );
    }
    let licence = page
        .select(&sel("a[rel=license]"))
        .next()
        .expect("licence link");
    assert_eq!(
        licence.value().attr("href"),
        Some("https://creativecommons.org/licenses/by/4.0/deed.ja")
    );
    let footer: String = page.select(&sel("footer")).map(text).collect();
    assert!(
        footer.contains("出典：苫小牧市「苫小牧市総合戦略（骨子案）」"),
        "{footer}"
    );
}

#[test]
fn the_publication_date_comes_from_kohyo_toml() {
    let dir = TempDir::new().expect("tempdir");
    let draft = dir.path().join("kasoushi");
    std::fs::create_dir(&draft).expect("mkdir");
    std::fs::write(draft.join("draft.txt"), kohyo::synth::long_draft(2)).expect("write");
    std::fs::write(
        draft.join("kohyo.toml"),
        format!("date = 2026-04-01\n{PUBLICATION}"),
    )
    .expect("write");
    let (_out, page) = build(&draft);
    let source = std::fs::read_to_string(&page).expect("page");
    assert!(
        source.contains("<time datetime=\"2026-04-01\">2026年4月1日</time>"),
        "no publication date"
    );
    // And builds are reproducible: a second build gives the same bytes.
    let (_again, page2) = build(&draft);
    assert_eq!(std::fs::read(page2).expect("page"), source.into_bytes());
}

/// The Nu HTML Checker's messages for `page` (errors, warnings and info).
fn vnu(page: &Path) -> Vec<Value> {
    let o = Command::new("java")
        .args(["-jar", VNU, "--format", "json", "--stdout"])
        .arg(page)
        .output()
        .expect("java -jar vnu.jar");
    let report: Value = serde_json::from_slice(&o.stdout).expect("vnu JSON");
    report["messages"].as_array().expect("messages").clone()
}

/// check.mjs's report for `page`.
fn browser_checks(page: &Path) -> Value {
    let o = Command::new("node")
        .arg(CHECK)
        .arg(page)
        .output()
        .expect("node check.mjs");
    assert!(
        o.status.success(),
        "check.mjs failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("check.mjs JSON")
}

fn assert_browser_clean(report: &Value) {
    for scheme in ["light", "dark"] {
        let v = report["axe"][scheme].as_array().expect("violations");
        assert!(
            v.is_empty(),
            "axe ({scheme}): {}",
            serde_json::to_string_pretty(v).unwrap_or_default()
        );
    }
    for case in ["reflow320", "spacing200"] {
        let r = &report[case];
        assert!(
            r["scrollWidth"].as_u64() <= r["clientWidth"].as_u64(),
            "{case}: the page scrolls sideways: {r}"
        );
        assert_eq!(
            r["clipped"],
            Value::Array(vec![]),
            "{case}: clipped text: {r}"
        );
        assert_eq!(
            r["outside"],
            Value::Array(vec![]),
            "{case}: text off screen: {r}"
        );
        for region in r["regions"].as_array().expect("regions") {
            assert_eq!(
                region["focusable"], true,
                "{case}: a scrolling region without tabindex"
            );
        }
    }
    assert_eq!(
        report["requests"],
        Value::Array(vec![]),
        "the page loaded something"
    );
    assert_eq!(report["content"]["lang"], "ja");
}

#[test]
fn seed_page_passes_vnu_axe_and_the_layout_checks() {
    if !checkers() {
        return;
    }
    let (_out, page) = build(Path::new("inputs/tomakomai"));
    let messages = vnu(&page);
    assert!(messages.is_empty(), "vnu: {messages:#?}");
    let report = browser_checks(&page);
    assert_browser_clean(&report);
    // At 320 px the tables scroll inside their regions, not the page.
    let regions = report["reflow320"]["regions"].as_array().expect("regions");
    assert!(regions.iter().any(|r| r["scrolls"] == true));
    assert_eq!(
        report["content"]["title"],
        "苫小牧市総合戦略（骨子案）｜苫小牧市"
    );
    // Printed: header rows repeat on every page, rows and items never split, no navigation.
    let print = &report["print"];
    assert_eq!(print["thead"], "table-header-group", "{print}");
    assert_eq!(print["tr"], "avoid", "{print}");
    assert_eq!(print["li"], "avoid", "{print}");
    assert_eq!(print["toc"], "none", "{print}");
    assert_eq!(print["skip"], "none", "{print}");
    assert_eq!(print["scroll"], "visible", "{print}");
}

#[test]
fn draft_markup_comes_out_as_visible_text() {
    if !checkers() {
        return;
    }
    let hostile = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "A&B <b>太字</b> ]]> -- 終わり",
    ];
    let dir = TempDir::new().expect("tempdir");
    let draft = dir.path().join("hostile");
    std::fs::create_dir(&draft).expect("mkdir");
    let mut csv = String::from("基本目標,施策の基本的方向,具体的な施策,事業例\n");
    for h in hostile {
        csv.push_str(&format!(
            "目標<i>一</i>,1-1 方向,①施策,\"{}\"\n",
            h.replace('"', "\"\"")
        ));
    }
    std::fs::write(draft.join("施策.csv"), csv).expect("write");
    std::fs::write(
        draft.join("kohyo.toml"),
        format!("title = \"<script>x</script>総合戦略\"\n{PUBLICATION}"),
    )
    .expect("write");
    let (_out, page) = build(&draft);
    let messages = vnu(&page);
    assert!(messages.is_empty(), "vnu: {messages:#?}");
    let report = browser_checks(&page);
    assert_eq!(report["content"]["scripts"], 0);
    assert_eq!(report["content"]["images"], 0);
    let shown = report["content"]["text"].as_str().expect("text");
    for h in hostile
        .iter()
        .chain(&["<script>x</script>総合戦略", "目標<i>一</i>"])
    {
        assert!(shown.contains(h), "「{h}」 is not shown as text");
    }
    assert_browser_clean(&report);
}

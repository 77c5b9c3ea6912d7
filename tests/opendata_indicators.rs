//! The indicator CSV (`<code>_<draft>_shihyo.csv`) end to end: the 素案 fixture built by the
//! real binary, its rows checked value by value and against デジタル庁's machine-readability
//! rules, read back into the same model, and validated by frictionless, csvwvalidate and
//! pySHACL (the DCAT record with its third CSV). A draft without indicators writes no such file.

use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

mod common;
use common::{BIN, all_csvs, l1_08_flags, l3_05_reads_an_era, model, run, venv_tool};

const SHIHYO: &str = "data/012131_soan_shihyo.csv";
const SHISAKU: &str = "data/012131_soan_shisaku.csv";
const KANREN: &str = "data/012131_soan_kanren_jigyo.csv";

fn soan() -> (TempDir, PathBuf) {
    common::soan_draft()
}

fn built() -> (TempDir, TempDir, PathBuf) {
    let (src, d) = soan();
    let (out, dir) = common::build_draft(&d, &[], &[]);
    (src, out, dir)
}

fn records(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).expect("csv");
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("UTF-8 BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("RFC 4180").iter().map(str::to_string).collect())
        .collect()
}

/// `v` with every string as the open data carries its characters
/// (`kohyo::write::opendata::portable_text`): what the CSVs read back into.
fn portable(v: Value) -> Value {
    match v {
        Value::String(s) => Value::String(kohyo::write::opendata::portable_text(&s)),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, portable(v))).collect()),
        Value::Array(a) => Value::Array(a.into_iter().map(portable).collect()),
        other => other,
    }
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("json")).expect("JSON")
}

/// The row of indicator `name` as header → value.
fn row<'a>(recs: &'a [Vec<String>], name: &str) -> Vec<(&'a str, &'a str)> {
    let r = recs
        .iter()
        .find(|r| r[9] == name)
        .unwrap_or_else(|| panic!("no row {name}"));
    recs[0]
        .iter()
        .map(String::as_str)
        .zip(r.iter().map(String::as_str))
        .collect()
}

fn get<'a>(row: &[(&str, &'a str)], col: &str) -> &'a str {
    row.iter()
        .find(|(h, _)| *h == col)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("no column {col}"))
}

#[test]
fn one_row_per_indicator_numbers_plain_units_and_years_apart() {
    let (_s, _o, dir) = built();
    let recs = records(&dir.join(SHIHYO));
    assert_eq!(recs.len(), 1 + 23);
    assert_eq!(
        recs[0],
        [
            "全国地方公共団体コード",
            "ID",
            "地方公共団体名",
            "計画名",
            "指標の区分",
            "基本目標番号",
            "基本目標",
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
        ]
    );
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "市内新規高卒者の市内就職率",
            &[
                ("ID", "I1-1"),
                ("指標の区分", "数値目標"),
                ("単位", "%"),
                ("基準値", "55.2"),
                ("基準年（度）", "2014"),
                ("基準時点の区分", "年度"),
                ("目標値", "60.0"),
                ("目標年（度）", "2019"),
            ],
        ),
        (
            "製造品出荷額等",
            &[
                ("単位", "円"),
                ("基準値", "1234500000000"),
                ("基準年（度）", "2013"),
                ("基準時点の区分", "年"),
                ("基準値の原文", "1兆2,345億円（平成25年）"),
            ],
        ),
        (
            "待機児童数",
            &[
                ("基準値", "12"),
                ("基準年（度）", "2015"),
                ("基準月", "4"),
                ("基準時点の区分", "年月"),
                ("目標値", "0"),
                ("備考", "各年4月1日現在"),
            ],
        ),
        // A negative value stays a number: no formula guard on a number kohyo wrote.
        (
            "転入者数と転出者数の差（社会増減）",
            &[("基準値", "-350"), ("目標値", "0")],
        ),
        (
            "就業支援事業による市内就職者数",
            &[
                ("ID", "I1-1-1-1"),
                ("指標の区分", "KPI"),
                ("具体的な施策番号", "1-1-1"),
                ("具体的な施策", "若者の市内就職の促進"),
                ("基準値", "120"),
                ("目標値", "150"),
                (
                    "指標の原文",
                    "就業支援事業による市内就職者数：120人（H26）→150人（H31）",
                ),
            ],
        ),
        (
            "企業隣接型保育ステーションの設置数",
            &[
                ("基準値", ""),
                ("基準年（度）", "2014"),
                ("単位", "か所"),
                ("目標値", "1"),
            ],
        ),
        (
            "一時保育の年間延べ利用者数",
            &[("基準値", "4200"), ("基準値の注記", "約")],
        ),
        (
            "着地型観光ツアーの参加者数",
            &[("目標値", "2000"), ("目標値の注記", "以上")],
        ),
        ("新規創業件数", &[("単位", "件/年")]),
        (
            "外国人宿泊者数",
            &[("基準値", "25000"), ("目標値", "50000")],
        ),
    ];
    for (name, want) in cases {
        let r = row(&recs, name);
        for (col, v) in *want {
            assert_eq!(get(&r, col), *v, "{name}: {col}");
        }
    }
    let mut ids = HashSet::new();
    for r in &recs[1..] {
        assert!(ids.insert(r[1].clone()), "duplicate {}", r[1]);
        assert!(r[1].starts_with('I'), "{}", r[1]);
    }
    // No ID of the indicator CSV is an ID of the other two.
    for f in [SHISAKU, KANREN] {
        for r in &records(&dir.join(f))[1..] {
            assert!(!ids.contains(&r[1]), "{} in {f}", r[1]);
        }
    }
}

#[test]
fn machine_readability_rules_hold_for_the_indicator_csv() {
    let (_s, _o, dir) = built();
    let path = dir.join(SHIHYO);
    let raw = String::from_utf8(std::fs::read(&path).expect("csv")).expect("UTF-8");
    let raw = raw.strip_prefix('\u{feff}').expect("L3-08: BOM");
    let recs = records(&path);
    // L1-14: one record per line, CRLF.
    let lines: Vec<&str> = raw.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), recs.len(), "L1-14");
    assert!(!raw.replace("\r\n", "").contains(['\r', '\n']), "L1-14");
    for r in &recs {
        for v in r {
            // L1-06: no padding.
            assert_eq!(v.trim(), v, "L1-06: {v:?}");
        }
    }
    // L2-01: numbers in their own columns as numbers, years as integers.
    let header = &recs[0];
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    for r in &recs[1..] {
        for c in ["基準値", "目標値"] {
            let v = &r[col(c)];
            assert!(v.is_empty() || v.parse::<f64>().is_ok(), "L2-01: {c} {v}");
            assert!(!v.contains(['%', '人', ',', '万']), "L2-01: {v}");
        }
        for c in [
            "基準年（度）",
            "目標年（度）",
            "基準月",
            "目標月",
            "基本目標番号",
        ] {
            let v = &r[col(c)];
            assert!(v.is_empty() || v.parse::<u32>().is_ok(), "L2-01: {c} {v}");
        }
        // L2-02: no required value left out as "same as above".
        for c in [
            "全国地方公共団体コード",
            "ID",
            "指標の区分",
            "基本目標番号",
            "基本目標",
            "指標名",
        ] {
            assert!(!r[col(c)].is_empty(), "L2-02: {c}");
        }
    }
    // L2-03: column names unique.
    let names: HashSet<&String> = header.iter().collect();
    assert_eq!(names.len(), header.len(), "L2-03");
    // L3-01: the header on line 1.
    assert!(lines[0].starts_with("全国地方公共団体コード,ID,"), "L3-01");
}

#[test]
fn l1_08_and_l3_05_hold_for_every_cell_in_both_encodings() {
    // L1-08 (machine-readability rules): no character harunobu flags (tests/common
    // `l1_08_flags`), and none of the wave-dash problem, in any cell of the CSVs, in
    // UTF-8 and in CP932; both encodings say the same. The fixture writes 「15～34歳」 and
    // 「保育ステーション～保育所」.
    // L3-05: no ID reads as an era date (harunobu's `_WAREKI_PATTERN`, searched).
    let (_s, d) = soan();
    let (_o, utf8) = common::build_draft(&d, &["--csv-encoding", "utf-8"], &[]);
    let (_p, cp932) = common::build_draft(&d, &["--csv-encoding", "cp932"], &[]);
    let (a, b) = (all_csvs(&utf8), all_csvs(&cp932));
    assert!(a.iter().any(|(f, _)| f.ends_with("_shihyo.csv")), "{a:?}");
    assert_eq!(a, b, "CP932 says what UTF-8 says");
    let mut tildes = 0;
    for (f, recs) in &a {
        for v in recs.iter().flatten() {
            let flagged: Vec<char> = v.chars().filter(|&c| l1_08_flags(c)).collect();
            assert!(
                flagged.is_empty(),
                "L1-08: {f} holds {flagged:?} in 「{v}」"
            );
            assert!(!v.contains(['〜', '～', '−', '－']), "L1-08: {f}: 「{v}」");
            tildes += v.matches('~').count();
        }
        let header = &recs[0];
        for (c, h) in header.iter().enumerate().filter(|(_, h)| h.ends_with("ID")) {
            for r in &recs[1..] {
                assert!(!l3_05_reads_an_era(&r[c]), "L3-05: {f}: {h} {}", r[c]);
            }
        }
    }
    assert!(tildes >= 1, "the fixture's ～ is published as ~");
}

#[test]
fn the_indicator_csv_reads_back_into_the_same_model() {
    let (_s, _o, dir) = built();
    let back = TempDir::new().expect("tempdir");
    for f in [SHISAKU, KANREN, SHIHYO] {
        std::fs::copy(
            dir.join(f),
            back.path().join(Path::new(f).file_name().expect("name")),
        )
        .expect("copy");
    }
    let (_src, original) = soan();
    let toml = std::fs::read_to_string(original.join("kohyo.toml")).expect("toml");
    std::fs::write(
        back.path().join("kohyo.toml"),
        format!("title = \"苫小牧市総合戦略（素案）\"\n{toml}"),
    )
    .expect("write");
    let o = Command::new(BIN)
        .arg("check")
        .arg(back.path())
        .output()
        .expect("check");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "エラー 0 件、警告 0 件、情報 0 件\n",
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let strip = |v: Value| {
        let s: kohyo::model::Strategy = serde_json::from_value(v).expect("model");
        s.without_sources()
    };
    let mut again = strip(model(back.path()));
    // The model as the open data carries its characters (〜 and ～ as `~`, ① as 1, …).
    let first = strip(portable(model(&original)));
    again.sources.clear();
    // Everything the draft said comes back: names, numbers, years, units, 約 and 以上, notes
    // and the words as written.
    assert_eq!(again.goals, first.goals);
    assert_eq!(again.related, first.related);
}

#[test]
fn the_catalogs_describe_the_indicator_csv() {
    let (_s, _o, dir) = built();
    let p = json(&dir.join("datapackage.json"));
    let resources = p["resources"].as_array().expect("resources");
    assert_eq!(resources.len(), 3);
    let r = resources
        .iter()
        .find(|r| r["name"] == "shihyo")
        .expect("shihyo");
    assert_eq!(r["path"], SHIHYO);
    let fields = r["schema"]["fields"].as_array().expect("fields");
    let ty = |name: &str| {
        fields
            .iter()
            .find(|f| f["name"] == name)
            .map(|f| f["type"].clone())
    };
    assert_eq!(ty("基準値"), Some("number".into()));
    assert_eq!(ty("目標値"), Some("number".into()));
    assert_eq!(ty("基準年（度）"), Some("integer".into()));
    assert_eq!(ty("単位"), Some("string".into()));
    let w = json(&dir.join(format!("{SHIHYO}-metadata.json")));
    let cols = w["tableSchema"]["columns"].as_array().expect("columns");
    assert!(
        cols.iter()
            .any(|c| c["name"] == "baseline" && c["datatype"] == "decimal"),
        "{w}"
    );
    let d = json(&dir.join("catalog/dcat.jsonld"));
    let dists = d["@graph"][0]["dcat:distribution"]
        .as_array()
        .expect("dist");
    assert_eq!(dists.len(), 5, "three CSVs, the PDF and the page");
    assert!(
        d["@graph"][0]["dct:description"]
            .as_str()
            .is_some_and(|t| t.contains("数値目標と重要業績評価指標（KPI）")),
        "{d}"
    );
    let c = json(&dir.join("catalog/ckan-package.json"));
    let res = c["resources"].as_array().expect("resources");
    assert!(
        res.iter().any(|r| r["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("_shihyo.csv"))),
        "{c}"
    );
    // The page links it.
    let page = std::fs::read_to_string(dir.join("index.html")).expect("page");
    assert!(
        page.contains("数値目標と重要業績評価指標（KPI） CSV（"),
        "link"
    );
}

#[test]
fn a_draft_without_indicators_writes_no_indicator_csv() {
    let (_o, dir) = common::build_draft(Path::new("inputs/tomakomai"), &[], &[]);
    assert!(!dir.join("data/012131_tomakomai_shihyo.csv").exists());
    let p = json(&dir.join("datapackage.json"));
    assert_eq!(p["resources"].as_array().map(Vec::len), Some(2));
}

// ---------------------------------------------------------------------------------------------
// The validators (installed in .venv/ by .ci/run).

#[test]
fn frictionless_validates_the_package_with_the_indicator_csv() {
    let Some(tool) = venv_tool("frictionless") else {
        return;
    };
    let (_s, _o, dir) = built();
    let (ok, out) = run(&tool, &["validate", "--json", "datapackage.json"], &dir);
    let report: Value = serde_json::from_str(&out).unwrap_or(Value::Null);
    assert!(ok && report["valid"] == true, "{out}");
    assert_eq!(report["tasks"].as_array().map(Vec::len), Some(3));
    // And it would catch a value that is not a number.
    let csv = dir.join(SHIHYO);
    let text = std::fs::read_to_string(&csv).expect("csv");
    std::fs::write(&csv, text.replacen(",55.2,", ",55.2%,", 1)).expect("write");
    let (ok, out) = run(&tool, &["validate", "--json", "datapackage.json"], &dir);
    assert!(!ok && out.contains("type-error"), "{out}");
}

#[test]
fn csvw_validates_the_indicator_csv() {
    let Some(tool) = venv_tool("csvwvalidate") else {
        return;
    };
    let (_s, _o, dir) = built();
    let meta = format!("{SHIHYO}-metadata.json");
    let (ok, out) = run(&tool, &[&meta], &dir);
    assert!(ok && out.trim_end().ends_with("OK"), "{out}");
    let csv = dir.join(SHIHYO);
    let text = std::fs::read_to_string(&csv).expect("csv");
    std::fs::write(&csv, text.replacen(",55.2,", ",五十五,", 1)).expect("write");
    let (ok, out) = run(&tool, &[&meta], &dir);
    assert!(!(ok && out.trim_end().ends_with("OK")), "{out}");
}

#[test]
fn dcat_with_the_indicator_csv_conforms_to_dcat_ap_3() {
    let (_s, _o, dir) = built();
    if let Some((ok, out)) = common::shacl(&dir) {
        assert!(ok, "{out}");
    }
}

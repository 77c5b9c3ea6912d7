//! The open data, end to end: the real binary builds the seed (and drafts made to test one
//! rule each), and the written files are checked against デジタル庁's machine-readability rules
//! (one test per applicable rule, named by its id), read back through kohyo's own CSV reader,
//! and validated by frictionless, csvwvalidate (PyPI csvw) and pySHACL with the DCAT-AP 3.0
//! shapes in `../shared/reference/`.
//!
//! The validators live in `.venv/` (`pip install -r tests/requirements.txt`, done by
//! `.ci/run`). Under `CI=true` a missing one fails the test; otherwise the test says what to
//! install and passes.

use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

mod common;
use common::{
    BIN, all_csvs, csv_records, l1_08_flags, l3_05_reads_an_era, model, run, shacl, venv_tool,
};
const RULES: &str = "../shared/reference/machine-readability-rules.csv";
const SHISAKU: &str = "data/012131_tomakomai_shisaku.csv";
const KANREN: &str = "data/012131_tomakomai_kanren_jigyo.csv";

/// What kohyo.toml must give for a draft to be published.
const PUBLICATION: &str = "title = \"架空市総合戦略（素案）\"\nbase_url = \"https://www.city.example.lg.jp/opendata/\"\n\n[municipality]\ncode = \"012131\"\nname = \"架空市\"\nprefecture = \"北海道\"\n\n[publisher]\nname = \"架空市\"\n";

fn ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Build `input` (extra arguments after it) into a fresh folder; return it and the draft's
/// output folder.
fn build(input: &Path, extra: &[&str]) -> (TempDir, PathBuf) {
    common::build_draft(input, extra, &[])
}

fn seed() -> (TempDir, PathBuf) {
    build(Path::new("inputs/tomakomai"), &[])
}

/// A draft folder `name` holding `files`.
fn draft(name: &str, files: &[(&str, &str)]) -> (TempDir, PathBuf) {
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path().join(name);
    std::fs::create_dir(&d).expect("mkdir");
    for (f, text) in files {
        std::fs::write(d.join(f), text).expect("write");
    }
    (dir, d)
}

/// A CSV file's records (BOM stripped), header first.
fn records(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).expect("csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM");
    csv_records(&bytes)
}

fn text(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("file");
    String::from_utf8(bytes).expect("UTF-8")
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("json")).expect("valid JSON")
}

/// The model without where things were read from.
fn without_sources(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "source" | "title_source" | "sources"))
                .map(|(k, v)| (k.clone(), without_sources(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_sources).collect()),
        other => other.clone(),
    }
}

/// The model with every string as the open data carries its characters (〜 and ～ as `~`,
/// ① as 1, …; `kohyo::write::opendata::portable_text`): what the CSVs read back into.
fn portable(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(kohyo::write::opendata::portable_text(s)),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), portable(v))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(portable).collect()),
        other => other.clone(),
    }
}

/// Every string the model holds, titles and categories of every level.
fn model_strings(m: &Value) -> Vec<String> {
    let mut out = vec![m["title"].as_str().expect("title").to_string()];
    let s = |v: &Value| v.as_str().expect("string").to_string();
    for g in m["goals"].as_array().expect("goals") {
        out.push(s(&g["title"]));
        for d in g["directions"].as_array().expect("d") {
            out.push(s(&d["code"]));
            out.push(s(&d["title"]));
            for me in d["measures"].as_array().expect("m") {
                out.push(s(&me["title"]));
                for p in me["projects"].as_array().expect("p") {
                    out.push(s(&p["title"]));
                }
            }
        }
    }
    for r in m["related"].as_array().expect("related") {
        for p in r["projects"].as_array().expect("p") {
            out.push(s(&p["title"]));
            if let Some(c) = p["category"].as_str() {
                out.push(c.to_string());
            }
        }
    }
    out
}

#[test]
fn seed_writes_every_open_data_file() {
    let (_out, dir) = seed();
    for f in [
        SHISAKU,
        KANREN,
        "data/012131_tomakomai_shisaku.csv-metadata.json",
        "data/012131_tomakomai_kanren_jigyo.csv-metadata.json",
        "datapackage.json",
        "catalog/dcat.jsonld",
        "catalog/ckan-package.json",
    ] {
        assert!(dir.join(f).is_file(), "no {f}");
    }
    // One row per 事業例 (35), plus none for measures without projects (the seed has none).
    let rows = records(&dir.join(SHISAKU));
    assert_eq!(rows.len(), 1 + 35);
    assert_eq!(
        rows[0],
        [
            "全国地方公共団体コード",
            "ID",
            "地方公共団体名",
            "計画名",
            "策定段階",
            "基本目標番号",
            "基本目標",
            "施策の基本的方向番号",
            "施策の基本的方向",
            "具体的な施策番号",
            "具体的な施策",
            "事業例番号",
            "事業例",
            "交付金区分",
            "備考"
        ]
    );
    assert_eq!(
        rows[1][..14],
        [
            "012131",
            "P1-1-1-1",
            "北海道苫小牧市",
            "苫小牧市総合戦略（骨子案）",
            "骨子案",
            "1",
            "地元企業と学生と“つながり”を強化し、地元雇用拡大を実現",
            "1-1",
            "市内在住若者の雇用機会の拡大",
            "1-1-1",
            "若者の市内就職の促進",
            "1-1-1-1",
            "就業支援事業（若者や女性の離職防止支援、高校生の地元就職支援等）",
            "先行型"
        ]
    );
    // The seed's 4-2 / 4-3 misplacement is merged in the model, so ⑫ and ⑭ sit under 4-2.
    let under_4_2: Vec<&str> = rows
        .iter()
        .filter(|r| r[7] == "4-2")
        .map(|r| r[9].as_str())
        .collect();
    assert!(
        under_4_2.contains(&"4-2-12") && under_4_2.contains(&"4-2-14"),
        "{under_4_2:?}"
    );
    let kanren = records(&dir.join(KANREN));
    assert_eq!(kanren.len(), 1 + 9 + 17 + 19 + 5);
    assert_eq!(
        kanren[0],
        [
            "全国地方公共団体コード",
            "ID",
            "地方公共団体名",
            "計画名",
            "基本目標番号",
            "基本目標",
            "関連事業番号",
            "分類",
            "関連事業名"
        ]
    );
    // A related project with a category keeps it in its own column.
    assert!(
        kanren.iter().any(|r| r[7] == "スポーツ大会や合宿の誘致"
            && r[8] == "全国高等学校選抜アイスホッケー大会補助金"),
        "category split"
    );
    // IDs: unique across the whole package, never reused.
    let mut ids = HashSet::new();
    for r in rows.iter().skip(1).chain(kanren.iter().skip(1)) {
        assert!(ids.insert(r[1].clone()), "duplicate ID {}", r[1]);
    }
}

#[test]
fn csvs_read_back_into_the_same_model() {
    let (_out, dir) = seed();
    let (_d, back) = draft("readback", &[]);
    for f in [SHISAKU, KANREN] {
        std::fs::copy(
            dir.join(f),
            back.join(Path::new(f).file_name().expect("name")),
        )
        .expect("copy");
    }
    let toml = std::fs::read_to_string("inputs/tomakomai/kohyo.toml").expect("toml");
    let toml = toml.replace(
        "sources = [\"000_ebe3fcc3fed13691.txt\"]",
        "title = \"苫小牧市総合戦略（骨子案）\"",
    );
    std::fs::write(back.join("kohyo.toml"), toml).expect("write");
    let o = Command::new(BIN)
        .arg("check")
        .arg(&back)
        .output()
        .expect("check");
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "エラー 0 件、警告 0 件、情報 0 件\n",
        "the published CSVs read back cleanly"
    );
    // The same model, its characters as the open data carries them (L1-08): the seed's
    // 「保育ステーション～保育所」 comes back with `~`, and nothing else differs.
    let seed = without_sources(&model(Path::new("inputs/tomakomai")));
    let again = without_sources(&model(&back));
    assert_eq!(again, portable(&seed));
    assert_ne!(again, seed, "the seed's ～ is published as ~");
    let text = serde_json::to_string(&again).expect("json");
    assert!(text.contains("保育ステーション~保育所"), "{text}");
}

#[test]
fn every_string_of_the_model_is_in_the_csvs() {
    let (_out, dir) = seed();
    let cells: HashSet<String> = records(&dir.join(SHISAKU))
        .into_iter()
        .chain(records(&dir.join(KANREN)))
        .flatten()
        .collect();
    for s in model_strings(&portable(&model(Path::new("inputs/tomakomai")))) {
        assert!(cells.contains(&s), "「{s}」 is in no cell");
    }
}

/// The rule ids and names, from デジタル庁's list, so each test names a rule that exists.
fn rule(id: &str) -> String {
    let path = Path::new(RULES);
    if !path.is_file() {
        assert!(
            !ci(),
            "{RULES} is missing: ../shared must sit beside the clone"
        );
        return id.to_string();
    }
    let rules = records_plain(path);
    let row = rules
        .iter()
        .find(|r| r[0] == id)
        .unwrap_or_else(|| panic!("no rule {id} in {RULES}"));
    format!("{id} {}", row[1])
}

fn records_plain(path: &Path) -> Vec<Vec<String>> {
    csv::Reader::from_path(path)
        .expect("rules csv")
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect()
}

/// Both CSVs of a build, as (name, raw text without BOM, records).
fn both(dir: &Path) -> Vec<(String, String, Vec<Vec<String>>)> {
    [SHISAKU, KANREN]
        .iter()
        .map(|f| {
            let t = text(&dir.join(f));
            let t = t.strip_prefix('\u{feff}').expect("BOM").to_string();
            (f.to_string(), t, records(&dir.join(f)))
        })
        .collect()
}

#[test]
fn l1_06_no_padding_spaces_or_line_breaks_for_layout() {
    let name = rule("L1-06");
    // A draft whose cells carry layout spaces: full-width and ASCII, leading and trailing.
    let csv = "基本目標,施策の基本的方向,具体的な施策,事業例\n\"　しごと \",1-1 雇用,(1) 就職,\"  就業　支援  \"\n";
    let (_d, d) = draft("spaces", &[("施策.csv", csv), ("kohyo.toml", PUBLICATION)]);
    let (_o, dir) = build(&d, &[]);
    for path in [dir.join("data/012131_spaces_shisaku.csv")] {
        for r in records(&path) {
            for v in r {
                assert_eq!(
                    v,
                    v.trim_matches(|c: char| c.is_whitespace()),
                    "{name}: 「{v}」"
                );
                assert!(!v.contains("  "), "{name}: 「{v}」");
            }
        }
    }
    let (_o, dir) = seed();
    for (f, _, recs) in both(&dir) {
        for v in recs.iter().flatten() {
            assert_eq!(
                v,
                v.trim_matches(|c: char| c.is_whitespace()),
                "{name}: {f} 「{v}」"
            );
        }
    }
}

#[test]
fn l1_07_one_datum_per_cell() {
    let name = rule("L1-07");
    let (_o, dir) = seed();
    let rows = records(&dir.join(SHISAKU));
    for r in rows.iter().skip(1) {
        // Numbers and names in their own columns; one project per row; no list in a cell.
        assert!(
            !r[10].starts_with(|c: char| c.is_ascii_digit() || c == '('),
            "{name}: {r:?}"
        );
        assert!(
            !r[8].starts_with(|c: char| c.is_ascii_digit()),
            "{name}: {r:?}"
        );
        assert!(
            !r[12].contains('・') || !r[12].starts_with('・'),
            "{name}: {r:?}"
        );
        assert!(
            !r[12].contains("（先行型）") && !r[12].contains("（上乗せ）"),
            "{name}: grant type split out: {r:?}"
        );
    }
    // Grant types, when a project has several, are one ;-joined value the schema describes.
    let grants: Vec<&str> = rows.iter().skip(1).map(|r| r[13].as_str()).collect();
    assert!(
        grants.contains(&"先行型") && grants.contains(&"上乗せ"),
        "{grants:?}"
    );
}

#[test]
fn l1_08_no_platform_dependent_characters() {
    let name = rule("L1-08");
    // The seed numbers its measures ①…⑮ and writes 「保育ステーション～保育所」 (U+FF5E); a
    // draft here holds ㈱, Ⅱ, ㍻, ㋿, ㎡, both wave dashes and both minus signs too.
    let csv = "基本目標,施策の基本的方向,具体的な施策,事業例\nしごと,1-1 雇用,①就職,㈱苫小牧と第Ⅱ期の㍻事業\nしごと,1-1 雇用,②住まい,㋿元年〜3年度の10㎡～20㎡の整備（−5℃と－3℃）\n";
    let (_d, d) = draft("kishu", &[("施策.csv", csv), ("kohyo.toml", PUBLICATION)]);
    let mut builds = Vec::new();
    for input in [Path::new("inputs/tomakomai"), d.as_path()] {
        for encoding in ["utf-8", "cp932"] {
            builds.push((input, encoding, build(input, &["--csv-encoding", encoding])));
        }
    }
    for (input, encoding, (_o, dir)) in &builds {
        let csvs = all_csvs(dir);
        assert!(csvs.len() >= 2, "{csvs:?}");
        for (f, recs) in &csvs {
            for v in recs.iter().flatten() {
                let flagged: Vec<char> = v.chars().filter(|&c| l1_08_flags(c)).collect();
                assert!(
                    flagged.is_empty(),
                    "{name}: {f} ({encoding}, {}) holds {flagged:?} in 「{v}」",
                    input.display()
                );
                assert!(
                    !v.contains(['〜', '～', '−', '－']),
                    "{name}: {f} ({encoding}): the wave-dash problem in 「{v}」"
                );
            }
        }
    }
    // Both encodings say the same, cell for cell.
    for pair in builds.chunks(2) {
        assert_eq!(all_csvs(&(pair[0].2).1), all_csvs(&(pair[1].2).1));
    }
    let seed = &(builds[0].2).1;
    let shisaku = records(&seed.join(SHISAKU));
    assert!(
        shisaku
            .iter()
            .any(|r| r[12].contains("保育ステーション~保育所")),
        "{name}: the seed's ～ is published as ~"
    );
    let kishu = records(&(builds[2].2).1.join("data/012131_kishu_shisaku.csv"));
    assert_eq!(kishu[1][12], "(株)苫小牧と第II期の平成事業");
    assert_eq!(kishu[1][9], "1-1-1");
    assert_eq!(kishu[2][12], "令和元年~3年度の10m2~20m2の整備（-5℃と-3℃）");
}

#[test]
fn l3_05_no_id_or_time_value_reads_as_an_era_date() {
    let name = rule("L3-05");
    // harunobu's time columns: headers with one of these words.
    const TIME: [&str; 17] = [
        "年",
        "月",
        "日",
        "年度",
        "時期",
        "期間",
        "期日",
        "日付",
        "日時",
        "時点",
        "年月",
        "調査時点",
        "対象期間",
        "date",
        "year",
        "month",
        "period",
    ];
    for encoding in ["utf-8", "cp932"] {
        let (_o, dir) = build(Path::new("inputs/tomakomai"), &["--csv-encoding", encoding]);
        for (f, recs) in all_csvs(&dir) {
            let header = &recs[0];
            for (c, h) in header.iter().enumerate() {
                assert!(!l3_05_reads_an_era(h), "{name}: {f}: header {h}");
                let lower = h.to_lowercase();
                let checked = h.ends_with("ID") || TIME.iter().any(|w| lower.contains(w));
                if !checked {
                    continue;
                }
                for r in &recs[1..] {
                    assert!(
                        !l3_05_reads_an_era(&r[c]),
                        "{name}: {f} ({encoding}): {h} 「{}」 reads as an era date",
                        r[c]
                    );
                }
            }
            let ids: Vec<&str> = recs[1..].iter().map(|r| r[1].as_str()).collect();
            assert!(
                ids.iter().all(|id| id.starts_with(['P', 'K'])),
                "{name}: {f}: {ids:?}"
            );
        }
    }
}

#[test]
fn the_l3_05_pattern_is_harunobus() {
    for (v, era) in [
        ("S1-2-2-2", true),
        ("R1-4", true),
        ("H27.3", true),
        ("平成 27 年", true),
        ("令和元年", false),
        ("S123-4", false),
        ("P1-2-2-2", false),
        ("K1-4", false),
        ("I1-1-1-1", false),
        ("（H26）", false),
    ] {
        assert_eq!(l3_05_reads_an_era(v), era, "{v}");
    }
}

#[test]
fn l1_14_one_record_per_line_crlf() {
    let name = rule("L1-14");
    let (_o, dir) = seed();
    for (f, t, recs) in both(&dir) {
        assert!(t.ends_with("\r\n"), "{name}: {f}");
        let lines: Vec<&str> = t.split_terminator("\r\n").collect();
        assert_eq!(lines.len(), recs.len(), "{name}: {f}: one line per record");
        for l in lines {
            assert!(!l.contains('\n') && !l.contains('\r'), "{name}: {f}: {l}");
        }
    }
}

#[test]
fn l1_15_values_with_commas_are_quoted() {
    let name = rule("L1-15");
    let (_o, dir) = seed();
    let t = text(&dir.join(SHISAKU));
    // The seed has no ASCII comma in its text; a draft that has one.
    assert!(!t.contains("\",\"") || t.contains('"'));
    let csv = "基本目標,施策の基本的方向,具体的な施策,事業例\nしごと,1-1 雇用,(1) 就職,\"A,B 事業 \"\"愛称\"\"\"\n";
    let (_d, d) = draft("comma", &[("施策.csv", csv), ("kohyo.toml", PUBLICATION)]);
    let (_o, dir) = build(&d, &[]);
    let path = dir.join("data/012131_comma_shisaku.csv");
    let raw = text(&path);
    assert!(raw.contains(",\"A,B 事業 \"\"愛称\"\"\","), "{name}: {raw}");
    assert_eq!(records(&path)[1][12], "A,B 事業 \"愛称\"");
}

#[test]
fn l2_01_numbers_are_numbers() {
    let name = rule("L2-01");
    let (_o, dir) = seed();
    for (f, _, recs) in both(&dir) {
        for r in recs.iter().skip(1) {
            let goal_no = if f.contains("shisaku") { &r[5] } else { &r[4] };
            assert!(goal_no.parse::<u32>().is_ok(), "{name}: {f}: {goal_no}");
        }
    }
    let p = json(&dir.join("datapackage.json"));
    for res in p["resources"].as_array().expect("resources") {
        let f = res["schema"]["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .find(|f| f["name"] == "基本目標番号")
            .expect("基本目標番号");
        assert_eq!(f["type"], "integer", "{name}");
    }
}

#[test]
fn l2_02_no_value_left_out_as_same_as_above() {
    let name = rule("L2-02");
    let (_o, dir) = seed();
    for (f, _, recs) in both(&dir) {
        let header = &recs[0];
        let required: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                !matches!(
                    h.as_str(),
                    "事業例番号" | "事業例" | "交付金区分" | "備考" | "分類"
                )
            })
            .map(|(i, _)| i)
            .collect();
        for r in recs.iter().skip(1) {
            for &i in &required {
                assert!(
                    !r[i].is_empty(),
                    "{name}: {f}: {} empty in {r:?}",
                    header[i]
                );
            }
        }
    }
    // A measure without projects still gets its row, parents filled in.
    let csv = "基本目標,施策の基本的方向,具体的な施策,事業例\nしごと,1-1 雇用,(1) 就職,就業支援\nしごと,1-2 起業,(2) 起業,\n";
    let (_d, d) = draft("empty", &[("施策.csv", csv), ("kohyo.toml", PUBLICATION)]);
    let (_o, dir) = build(&d, &[]);
    let rows = records(&dir.join("data/012131_empty_shisaku.csv"));
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2][1], "P1-2-2");
    assert_eq!(rows[2][6], "しごと");
    assert_eq!(rows[2][12], "");
}

#[test]
fn l2_03_column_names_are_unique() {
    let name = rule("L2-03");
    let (_o, dir) = seed();
    for (f, _, recs) in both(&dir) {
        let unique: HashSet<&String> = recs[0].iter().collect();
        assert_eq!(unique.len(), recs[0].len(), "{name}: {f}");
    }
}

#[test]
fn l3_01_header_on_line_1_data_from_line_2() {
    let name = rule("L3-01");
    let (_o, dir) = seed();
    for (f, t, _) in both(&dir) {
        let first = t.lines().next().expect("line 1");
        assert!(
            first.starts_with("全国地方公共団体コード,ID,"),
            "{name}: {f}: {first}"
        );
        let second = t.lines().nth(1).expect("line 2");
        assert!(second.starts_with("012131,"), "{name}: {f}: {second}");
    }
}

#[test]
fn l3_08_definitions_encoding_and_ascii_names_are_declared() {
    let name = rule("L3-08");
    let (_o, dir) = seed();
    let p = json(&dir.join("datapackage.json"));
    for res in p["resources"].as_array().expect("resources") {
        assert_eq!(res["encoding"], "utf-8-sig", "{name}: UTF-8 with BOM");
        assert_eq!(res["dialect"]["lineTerminator"], "\r\n", "{name}");
        assert_eq!(res["schema"]["primaryKey"], serde_json::json!(["ID"]));
        for f in res["schema"]["fields"].as_array().expect("fields") {
            assert!(
                f["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{name}: {f}"
            );
        }
        let bytes = std::fs::metadata(dir.join(res["path"].as_str().expect("path")))
            .expect("csv")
            .len();
        assert_eq!(res["bytes"], bytes);
    }
    for f in [SHISAKU, KANREN] {
        let m = json(&dir.join(format!("{f}-metadata.json")));
        assert_eq!(m["dialect"]["encoding"], "utf-8", "{name}");
        assert!(
            m["dc:description"]
                .as_str()
                .expect("desc")
                .contains("BOM付き"),
            "{name}"
        );
        let header = &records(&dir.join(f))[0];
        let columns = m["tableSchema"]["columns"].as_array().expect("columns");
        assert_eq!(columns.len(), header.len());
        for (c, h) in columns.iter().zip(header) {
            let n = c["name"].as_str().expect("name");
            assert!(
                n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{name}: {n}"
            );
            assert_eq!(
                c["titles"].as_str(),
                Some(h.as_str()),
                "{name}: the header is the title"
            );
        }
    }
    // Update history: the catalog carries the frequency, and the dates when the draft has one.
    let ckan = json(&dir.join("catalog/ckan-package.json"));
    let keys: Vec<&str> = ckan["extras"]
        .as_array()
        .expect("extras")
        .iter()
        .map(|e| e["key"].as_str().expect("key"))
        .collect();
    assert!(
        keys.contains(&"frequency") && keys.contains(&"update_frequency"),
        "{keys:?}"
    );
}

#[test]
fn cp932_on_request() {
    let (_o, dir) = build(Path::new("inputs/tomakomai"), &["--csv-encoding", "cp932"]);
    let bytes = std::fs::read(dir.join(SHISAKU)).expect("csv");
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM in CP932");
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad, "valid CP932");
    let (_o, utf8) = seed();
    let utf8_text = self::text(&utf8.join(SHISAKU));
    assert_eq!(text, utf8_text.trim_start_matches('\u{feff}'));
    let p = json(&dir.join("datapackage.json"));
    assert_eq!(p["resources"][0]["encoding"], "cp932");
    let m = json(&dir.join(format!("{SHISAKU}-metadata.json")));
    assert_eq!(m["dialect"]["encoding"], "shift_jis");
}

#[test]
fn ckan_payload_is_what_package_create_takes() {
    let (_o, dir) = seed();
    let c = json(&dir.join("catalog/ckan-package.json"));
    let name = c["name"].as_str().expect("name");
    assert!(name.len() >= 2 && name.len() <= 100);
    assert!(
        name.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    );
    assert_eq!(name, "012131-tomakomai");
    assert_eq!(c["title"], "苫小牧市総合戦略（骨子案）");
    assert_eq!(c["license_id"], "cc-by");
    assert!(
        c["notes"]
            .as_str()
            .expect("notes")
            .contains("出典：苫小牧市")
    );
    for t in c["tags"].as_array().expect("tags") {
        let t = t["name"].as_str().expect("tag");
        // CKAN: 2–100 characters, letters (any script), digits, space, - _ .
        assert!((2..=100).contains(&t.chars().count()), "{t}");
        assert!(
            t.chars()
                .all(|ch| ch.is_alphanumeric() || " -_.".contains(ch)),
            "{t}"
        );
    }
    assert!(
        c["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "まちひとしごと創生"),
        "まち・ひと・しごと創生 without the 「・」 CKAN refuses"
    );
    assert_eq!(c["owner_org"], "tomakomai", "from [catalog] organization");
    let extras = c["extras"].as_array().expect("extras");
    let keys: HashSet<&str> = extras
        .iter()
        .map(|e| e["key"].as_str().expect("key"))
        .collect();
    assert_eq!(keys.len(), extras.len(), "extras keys are unique");
    for k in [
        "lg_code",
        "spatial_uri",
        "spatial_text",
        "frequency",
        "publisher_name",
        "contact_name",
    ] {
        assert!(keys.contains(k), "no extra {k}");
    }
    let resources = c["resources"].as_array().expect("resources");
    assert_eq!(resources.len(), 4, "two CSVs, the PDF and the page");
    for r in resources {
        let url = r["url"].as_str().expect("url");
        // Stored files (the seed's [catalog] says files = "upload") are named by their file
        // name; the page is linked under base_url.
        let rel = match url
            .strip_prefix("https://www.city.tomakomai.hokkaido.jp/opendata/sogo-senryaku/")
        {
            Some(rel) => {
                assert_eq!(rel, "index.html", "only the page is linked");
                assert!(r.get("url_type").is_none());
                rel.to_string()
            }
            None => {
                assert_eq!(r["url_type"], "upload", "{url}");
                if url.ends_with(".csv") {
                    format!("data/{url}")
                } else {
                    url.to_string()
                }
            }
        };
        let bytes = std::fs::read(dir.join(&rel)).expect("the file exists");
        assert_eq!(r["size"], bytes.len() as u64, "{rel}");
        assert_eq!(r["hash"], kohyo::build::sha256_hex(&bytes), "{rel}");
        assert!(r["format"].is_string() && r["mimetype"].is_string());
    }
    assert_eq!(resources[0]["encoding"], "utf-8");
}

// ---------------------------------------------------------------------------------------------
// The validators.

#[test]
fn frictionless_validates_the_data_package() {
    let Some(tool) = venv_tool("frictionless") else {
        return;
    };
    let (_o, dir) = seed();
    let (ok, out) = run(&tool, &["validate", "--json", "datapackage.json"], &dir);
    let report: Value = serde_json::from_str(&out).unwrap_or(Value::Null);
    assert!(ok && report["valid"] == true, "{out}");
    assert_eq!(report["tasks"].as_array().map(Vec::len), Some(2));
    // And it would catch a broken file: a code that breaks the pattern.
    let csv = dir.join(SHISAKU);
    let broken = text(&csv).replacen("\r\n012131,", "\r\n12131,", 1);
    std::fs::write(&csv, broken).expect("write");
    let (ok, out) = run(&tool, &["validate", "--json", "datapackage.json"], &dir);
    assert!(!ok && out.contains("constraint-error"), "{out}");
}

#[test]
fn csvw_validates_each_csv() {
    let Some(tool) = venv_tool("csvwvalidate") else {
        return;
    };
    let (_o, dir) = seed();
    for f in [SHISAKU, KANREN] {
        let (ok, out) = run(&tool, &[&format!("{f}-metadata.json")], &dir);
        assert!(ok && out.trim_end().ends_with("OK"), "{f}: {out}");
    }
    // And it would catch a broken file: a header that no longer matches the titles.
    let csv = dir.join(KANREN);
    std::fs::write(&csv, text(&csv).replacen("関連事業名", "事業名", 1)).expect("write");
    let (ok, out) = run(&tool, &[&format!("{KANREN}-metadata.json")], &dir);
    assert!(!(ok && out.trim_end().ends_with("OK")), "{out}");
}

#[test]
fn dcat_conforms_to_dcat_ap_3_shapes() {
    let (_o, dir) = seed();
    let Some((ok, out)) = shacl(&dir) else {
        return;
    };
    assert!(ok, "{out}");
    let d = json(&dir.join("catalog/dcat.jsonld"));
    let ds = &d["@graph"][0];
    assert_eq!(ds["dcat:distribution"].as_array().map(Vec::len), Some(4));
    assert_eq!(ds["dct:publisher"]["dct:identifier"], "012131");
    assert_eq!(
        ds["dct:spatial"]["@id"],
        "http://data.e-stat.go.jp/lod/sac/C01213"
    );
    assert_eq!(
        ds["dct:license"],
        Value::Null,
        "licence sits on each distribution"
    );
    // And it would catch a broken record: a distribution without its access URL.
    let mut broken = d.clone();
    broken["@graph"][0]["dcat:distribution"][0]
        .as_object_mut()
        .expect("distribution")
        .remove("dcat:accessURL");
    std::fs::write(dir.join("catalog/dcat.jsonld"), broken.to_string()).expect("write");
    let (ok, out) = shacl(&dir).expect("pyshacl ran above");
    assert!(!ok && out.contains("Conforms: False"), "{out}");
}

#[test]
fn dates_licence_and_contact_come_from_kohyo_toml() {
    // A dated draft under PDL 1.0 with a contact address: the catalogs carry all three.
    let toml = format!(
        "date = 2026-04-01\nlicense = \"PDL-1.0\"\nupdate_frequency = \"annual\"\n{}\nsection = \"総合政策部\"\ncontact = \"seisaku@city.example.lg.jp\"\n\n[period]\nstart = 2025\nend = 2029\n",
        PUBLICATION.trim_end()
    );
    let csv = "基本目標,施策の基本的方向,具体的な施策,事業例\nしごと,1-1 雇用,(1) 就職,就業支援\n";
    let (_d, d) = draft("dated", &[("施策.csv", csv), ("kohyo.toml", &toml)]);
    let (_o, dir) = build(&d, &[]);
    let dcat = json(&dir.join("catalog/dcat.jsonld"));
    let ds = &dcat["@graph"][0];
    assert_eq!(ds["dct:issued"]["@value"], "2026-04-01");
    assert_eq!(ds["dct:modified"]["@value"], "2026-04-01");
    assert_eq!(
        ds["dct:accrualPeriodicity"]["@id"],
        "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
    );
    assert_eq!(ds["dct:temporal"]["dcat:startDate"]["@value"], "2025-04-01");
    assert_eq!(ds["dct:temporal"]["dcat:endDate"]["@value"], "2030-03-31");
    assert_eq!(ds["dcat:contactPoint"]["vcard:fn"], "架空市 総合政策部");
    assert_eq!(
        ds["dcat:contactPoint"]["vcard:hasEmail"]["@id"],
        "mailto:seisaku@city.example.lg.jp"
    );
    let licence = &ds["dcat:distribution"][0]["dct:license"]["@id"];
    assert_eq!(
        licence,
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
    );
    let ckan = json(&dir.join("catalog/ckan-package.json"));
    assert_eq!(ckan["license_id"], "other-at");
    assert!(
        ckan["notes"]
            .as_str()
            .expect("notes")
            .contains("公共データ利用規約")
    );
    let p = json(&dir.join("datapackage.json"));
    assert_eq!(p["licenses"][0]["name"], "PDL-1.0");
    assert_eq!(p["created"], "2026-04-01T00:00:00+09:00");
    if let Some((ok, out)) = shacl(&dir) {
        assert!(ok, "{out}");
    }
}

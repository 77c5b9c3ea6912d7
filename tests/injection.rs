//! Hostile draft text comes out inert in every output: markup stays text in the page, JSON
//! stays valid and carries the text exactly, formula starts are neutralised in the CSV, the
//! PDF shows the characters, and nothing is written outside the output folder.

mod common;

use serde_json::Value;

const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "]]> -- <!-- 終わり",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2",
    "@SUM(A1)",
    "\"}], \"@id\": \"http://evil/\", \"x\": [{\"",
];

const TOML: &str = "title = \"</title><script>x</script>総合戦略\"\nbase_url = \"https://www.city.example.lg.jp/opendata/\"\n\n[municipality]\ncode = \"012131\"\nname = \"架空市\"\nprefecture = \"北海道\"\n\n[publisher]\nname = \"架空市\"\n";

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

#[test]
fn hostile_text_is_inert_in_every_output() {
    let root = tempfile::tempdir().expect("root");
    let draft = root.path().join("hostile");
    std::fs::create_dir(&draft).expect("mkdir");
    let mut csv = String::from("基本目標,施策の基本的方向,具体的な施策,事業例\n");
    for h in HOSTILE {
        csv.push_str(&format!(
            "{},1-1 方向,(1) 施策,{}\n",
            csv_field("目標<b>一</b>"),
            csv_field(h)
        ));
    }
    std::fs::write(draft.join("施策.csv"), csv).expect("write");
    std::fs::write(draft.join("kohyo.toml"), TOML).expect("write");
    let (out, dir) = common::build_draft(&draft, &[], &[]);

    // Nothing outside the draft's output folder.
    let top: Vec<String> = std::fs::read_dir(out.path())
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(top, ["hostile"]);

    // The page: no element came from the draft.
    let page = std::fs::read_to_string(dir.join("index.html")).expect("page");
    assert_eq!(page.matches("<script").count(), 0, "a script element");
    assert_eq!(page.matches("<img").count(), 0, "an img element");
    assert_eq!(page.matches("<title>").count(), 1);

    // JSON outputs: valid, and the text is there exactly.
    for f in [
        "model.json",
        "datapackage.json",
        "catalog/dcat.jsonld",
        "catalog/ckan-package.json",
        "manifest.json",
    ] {
        let v: Value = serde_json::from_slice(&std::fs::read(dir.join(f)).expect("json"))
            .unwrap_or_else(|e| panic!("{f} is not valid JSON: {e}"));
        assert!(v.is_object(), "{f}");
    }
    let dcat: Value =
        serde_json::from_slice(&std::fs::read(dir.join("catalog/dcat.jsonld")).expect("dcat"))
            .expect("dcat");
    assert_eq!(
        dcat["@graph"].as_array().map(Vec::len),
        Some(1),
        "no node injected"
    );
    assert_eq!(
        dcat["@graph"][0]["dct:title"],
        "</title><script>x</script>総合戦略"
    );
    let model: Value =
        serde_json::from_slice(&std::fs::read(dir.join("model.json")).expect("model"))
            .expect("model");
    let projects: Vec<&str> = model["goals"][0]["directions"][0]["measures"][0]["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| p["title"].as_str().expect("title"))
        .collect();
    assert_eq!(projects, HOSTILE);

    // The CSV: every formula start neutralised, everything else as written.
    let bytes = std::fs::read(dir.join("data/012131_hostile_shisaku.csv")).expect("csv");
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("BOM");
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(body)
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect();
    let cells: Vec<&str> = rows.iter().map(|r| r[12].as_str()).collect();
    for (cell, h) in cells.iter().zip(HOSTILE) {
        if h.starts_with(['=', '+', '-', '@']) {
            assert_eq!(*cell, format!("'{h}"));
        } else {
            assert_eq!(cell, h);
        }
        assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
    }

    // The PDF: the characters are shown as text (pdftotext when available).
    let pdf = dir.join("hostile.pdf");
    assert!(pdf.is_file());
    if let Ok(o) = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
    {
        let text: String = String::from_utf8_lossy(&o.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(text.contains("<script>alert(1)</script>"), "{text}");
    }
}

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

/// Characters that must not reach any output: a right-to-left override and its pop, an
/// isolate, a bell and an escape (pasted terminal colours).
const HIDDEN: &[char] = &[
    '\u{202E}', '\u{202C}', '\u{2067}', '\u{2069}', '\u{7}', '\u{1B}',
];

#[test]
fn bidi_and_control_characters_are_reported_and_left_out_of_every_output() {
    let root = tempfile::tempdir().expect("root");
    let draft = root.path().join("bidi");
    std::fs::create_dir(&draft).expect("mkdir");
    let csv = "基本目標,施策の基本的方向,具体的な施策,事業例\n\
               目標一,1-1 方向,(1) 施策,\"会説明\u{202E}業企\u{202C}\"\n\
               目標一,1-1 方向,(1) 施策,\"\u{2067}事業\u{2069}\u{7}\u{1B}[31m赤\"\n";
    std::fs::write(draft.join("施策.csv"), csv).expect("write");
    let toml = TOML.replace("架空市\"\nprefecture", "架空\\u202E市\"\nprefecture");
    std::fs::write(draft.join("kohyo.toml"), toml).expect("write");

    // `check` reports both files, at the first character, and lets the build go on.
    let o = std::process::Command::new(common::BIN)
        .args(["check", "--format", "json", "--lang", "en"])
        .arg(&draft)
        .output()
        .expect("check");
    assert_eq!(o.status.code(), Some(0), "warnings only");
    let diags: Vec<Value> = serde_json::from_slice(&o.stdout).expect("json");
    let k118: Vec<(&str, Option<u64>, Option<u64>)> = diags
        .iter()
        .filter(|d| d["code"] == "K118")
        .map(|d| {
            let file = d["file"].as_str().unwrap_or("");
            let name = file.rsplit('/').next().unwrap_or(file);
            (name, d["line"].as_u64(), d["column"].as_u64())
        })
        .collect();
    assert_eq!(
        k118,
        [("kohyo.toml", None, None), ("施策.csv", Some(2), Some(23))],
        "{diags:#?}"
    );

    let (_out, dir) = common::build_draft(&draft, &[], &[]);
    let mut checked = 0;
    for (name, bytes) in common::files_under(&dir) {
        if name.ends_with(".pdf") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        for c in HIDDEN {
            assert!(!text.contains(*c), "{name} holds U+{:04X}", *c as u32);
        }
        // JSON escapes (\u202e, \u0007) count too.
        let lower = text.to_lowercase();
        for esc in ["\\u202e", "\\u202c", "\\u2067", "\\u0007", "\\u001b"] {
            assert!(!lower.contains(esc), "{name} holds {esc}");
        }
        checked += 1;
    }
    assert!(checked >= 10, "{checked} files checked");
    let model = std::fs::read_to_string(dir.join("model.json")).expect("model");
    assert!(
        model.contains("会説明業企") && model.contains("事業[31m赤"),
        "{model}"
    );
    if let Ok(o) = std::process::Command::new("pdftotext")
        .arg(dir.join("bidi.pdf"))
        .arg("-")
        .output()
    {
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("会説明業企"), "{text}");
        for c in HIDDEN {
            assert!(!text.contains(*c), "the PDF shows U+{:04X}", *c as u32);
        }
    }
}

//! Helpers for checking PDFs with poppler and qpdf.

use std::path::Path;
use std::process::Command;

/// Whether `tool` can run; under CI its absence is a failure.
pub fn have(tool: &str, package: &str) -> bool {
    let ok = Command::new(tool)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty() || !o.stdout.is_empty());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{tool} is missing: apt-get install {package}"
        );
        eprintln!("skipping: {tool} is missing (apt-get install {package})");
    }
    ok
}

/// Whether poppler and qpdf are all there (see [`have`]).
pub fn tools() -> bool {
    have("pdftotext", "poppler-utils")
        && have("pdffonts", "poppler-utils")
        && have("pdfinfo", "poppler-utils")
        && have("qpdf", "qpdf")
}

/// Run a tool: whether it succeeded, and its standard output.
pub fn run(cmd: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(cmd).args(args).output().expect("run tool");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// `pdftotext` of a PDF, in reading order with `raw`, else in layout order.
pub fn text_of(pdf: &Path, raw: bool) -> String {
    let p = pdf.to_string_lossy();
    let args: Vec<&str> = if raw {
        vec!["-raw", &p, "-"]
    } else {
        vec![&p, "-"]
    };
    let (ok, text) = run("pdftotext", &args);
    assert!(ok, "pdftotext failed");
    text
}

/// `pdfinfo` of a PDF.
pub fn info(pdf: &Path) -> String {
    let (ok, out) = run("pdfinfo", &[&pdf.to_string_lossy()]);
    assert!(ok, "pdfinfo failed");
    out
}

/// What `pdfinfo` prints on standard error for a PDF (poppler's syntax errors and warnings);
/// it must succeed.
pub fn info_stderr(pdf: &Path) -> String {
    let o = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    assert!(o.status.success(), "pdfinfo failed on {}", pdf.display());
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Fonts embedded and subset with ToUnicode maps, `qpdf --check` clean, tagged, PDF 1.7.
pub fn check_pdf_tools(pdf: &Path) {
    let p = pdf.to_string_lossy();
    // Fonts: every one embedded, subset, with a ToUnicode map.
    let (ok, fonts) = run("pdffonts", &[&p]);
    assert!(ok);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "{row}");
        assert!(
            cols[0].contains('+') && cols[0].contains("BIZUDGothic"),
            "{row}"
        );
    }
    // Structure of the file.
    let o = Command::new("qpdf")
        .args(["--check", &p])
        .output()
        .expect("qpdf");
    assert!(
        o.status.success(),
        "qpdf --check: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    let i = info(pdf);
    assert!(i.contains("Tagged:          yes"), "{i}");
    assert!(i.contains("PDF version:     1.7"), "{i}");
}

/// qpdf's JSON (version 2) of a PDF's objects: `"obj:N 0 R"` → the value, or for a stream
/// `{"dict": …, "data": base64 of the decoded bytes}` when `data` is set.
pub fn qpdf_objects(pdf: &Path, data: bool) -> serde_json::Map<String, serde_json::Value> {
    let p = pdf.to_string_lossy();
    let mode = if data {
        "--json-stream-data=inline"
    } else {
        "--json-stream-data=none"
    };
    let o = Command::new("qpdf")
        .args(["--json=2", "--json-key=qpdf", mode, &p])
        .output()
        .expect("qpdf --json");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("qpdf JSON");
    let serde_json::Value::Object(objects) = j["qpdf"][1].take() else {
        panic!("no objects in qpdf's JSON");
    };
    objects
}

/// An object's value: the dictionary of a stream, else the value itself.
pub fn value<'a>(
    objects: &'a serde_json::Map<String, serde_json::Value>,
    r: &str,
) -> &'a serde_json::Value {
    let o = &objects[&format!("obj:{r}")];
    if o["stream"].is_object() {
        &o["stream"]["dict"]
    } else {
        &o["value"]
    }
}

/// The structure element at `r` and every element under it, depth first.
pub fn elements<'a>(
    objects: &'a serde_json::Map<String, serde_json::Value>,
    r: &str,
    out: &mut Vec<&'a serde_json::Value>,
) {
    let e = value(objects, r);
    out.push(e);
    for k in e["/K"].as_array().into_iter().flatten() {
        if let Some(child) = k.as_str() {
            elements(objects, child, out);
        }
    }
}

/// A structure element's role (`/S`).
pub fn role(e: &serde_json::Value) -> &str {
    e["/S"].as_str().unwrap_or("")
}

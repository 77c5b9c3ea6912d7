//! `kohyo check` end to end, one test per diagnostic code: the real binary on small draft
//! folders built in temporary directories. Each problem draft is the clean baseline draft with
//! one thing broken, and each test asserts the exact set of codes that comes out, their
//! severity, where they point, and the exit status.
//!
//! Tests are named after the code they cover (`fn k107_…`); `every_code_has_a_test` fails when
//! a code in `Code::ALL` has none, so a new code cannot be added without one.

use kohyo::diag::{Code, Severity};
use serde::Deserialize;
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_kohyo");

/// The clean baseline draft in the text export format: a `#` title, the table of measures and
/// the related-projects table. Measures are numbered (1)… rather than ①… so that the baseline
/// has no platform-dependent characters (K112).
const BASE: &str = "# 架空市総合戦略（素案）

基本目標\t施策の基本的方向\t具体的な施策\t事業例
しごとをつくる\t1-1 雇用の拡大\t(1) 若者の就職\t<ul><li>就業支援事業（先行型）</li><li>企業説明会</li></ul>
\t1-2 起業の支援\t(2) 起業の促進\t<ul><li>起業支援事業</li></ul>
ひとを呼ぶ\t2-1 移住の促進\t(3) 移住の相談\t<ul><li>移住相談窓口</li></ul>

## 関連する既存事業

基本目標\t関連する事業
しごとをつくる\t<ul><li>(雇用) 雇用奨励金</li></ul>
ひとを呼ぶ\t<ul><li>移住体験住宅</li></ul>
";

/// The baseline's `kohyo.toml` (Tomakomai's code, which is valid), with everything the open
/// data needs.
const TOML: &str = r#"license = "CC-BY-4.0"
base_url = "https://www.city.example.lg.jp/opendata/"

[municipality]
code = "012131"
name = "苫小牧市"
prefecture = "北海道"

[publisher]
name = "苫小牧市"
"#;

/// `text` with `from` replaced by `to`; `from` must occur exactly once, so an edit can never
/// silently leave the baseline unchanged.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

/// The 1-based line and character column where `needle` (occurring once) starts in `text`.
fn pos(text: &str, needle: &str) -> (u32, u32) {
    assert_eq!(
        text.matches(needle).count(),
        1,
        "{needle:?} must occur once"
    );
    let byte = text.find(needle).expect("checked");
    let before = &text[..byte];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    (line, col)
}

/// A draft folder in a temporary directory.
struct Draft {
    dir: TempDir,
}

impl Draft {
    /// A folder holding `files`, and the baseline's `kohyo.toml` when they hold none (a
    /// draft folder is a publication: the open data needs its metadata, K015).
    fn new(files: &[(&str, &[u8])]) -> Draft {
        let d = Draft::bare(files);
        if !files.iter().any(|(name, _)| *name == "kohyo.toml") {
            std::fs::write(d.path().join("kohyo.toml"), TOML).expect("write");
        }
        d
    }

    /// A folder holding exactly `files`.
    fn bare(files: &[(&str, &[u8])]) -> Draft {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, bytes) in files {
            std::fs::write(dir.path().join(name), bytes).expect("write");
        }
        Draft { dir }
    }

    /// The baseline folder with `draft.txt` replaced by `text`.
    fn text(text: &str) -> Draft {
        Draft::new(&[
            ("draft.txt", text.as_bytes()),
            ("kohyo.toml", TOML.as_bytes()),
        ])
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// How diagnostics name a file of this draft.
    fn file(&self, name: &str) -> String {
        self.path().join(name).display().to_string()
    }
}

#[derive(Debug, Deserialize)]
struct Related {
    file: String,
    line: Option<u32>,
    column: Option<u32>,
}

/// One diagnostic as `--format json` prints it.
#[derive(Debug, Deserialize)]
struct Diag {
    code: String,
    severity: String,
    message: String,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    sheet: Option<String>,
    cell: Option<String>,
    offset: Option<u64>,
    location: Option<String>,
    #[serde(default)]
    related: Vec<Related>,
    #[serde(default)]
    notes: Vec<String>,
    cause: Option<String>,
}

impl Diag {
    fn at(&self, file: &str, line: u32, column: u32) {
        assert_eq!(
            (self.file.as_deref(), self.line, self.column),
            (Some(file), Some(line), Some(column)),
            "{self:#?}"
        );
        assert_eq!(
            self.location.as_deref(),
            Some(format!("{file}:{line}:{column}").as_str())
        );
    }

    fn at_cell(&self, file: &str, sheet: &str, cell: &str) {
        assert_eq!(
            (
                self.file.as_deref(),
                self.sheet.as_deref(),
                self.cell.as_deref()
            ),
            (Some(file), Some(sheet), Some(cell)),
            "{self:#?}"
        );
        assert_eq!(
            self.location.as_deref(),
            Some(format!("{file} '{sheet}'!{cell}").as_str())
        );
    }

    /// A whole file, no finer place.
    fn at_file(&self, file: &str) {
        assert_eq!(self.file.as_deref(), Some(file), "{self:#?}");
        assert_eq!(
            (self.line, self.column, &self.sheet, &self.cell, self.offset),
            (None, None, &None, &None, None),
            "{self:#?}"
        );
        assert_eq!(self.location.as_deref(), Some(file));
    }
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&std::ffi::OsStr]) -> Run {
    let out = Command::new(BIN).args(args).output().expect("runs kohyo");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

/// `kohyo check PATH --format json` (Japanese): the diagnostics.
fn check_ja(path: &Path) -> Vec<Diag> {
    let r = run(&[
        "check".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout))
}

/// `kohyo check PATH --format json --lang en`: exit status and diagnostics.
fn check(path: &Path) -> (Option<i32>, Vec<Diag>) {
    let r = run(&[
        "check".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--lang".as_ref(),
        "en".as_ref(),
    ]);
    assert!(r.stderr.is_empty(), "stderr: {}", r.stderr);
    let diags: Vec<Diag> =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout));
    (r.code, diags)
}

fn code(name: &str) -> Code {
    *Code::ALL
        .iter()
        .find(|c| c.as_str() == name)
        .unwrap_or_else(|| panic!("no code {name}"))
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// Check `path` and assert it yields exactly `expected` (code, count) — nothing else — with
/// each code's severity, and exit 1 exactly when one of them is an error. Returns the
/// diagnostics of the expected codes, in output order.
fn expect(path: &Path, expected: &[(&str, usize)]) -> Vec<Diag> {
    let (status, diags) = check(path);
    let mut got: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    got.sort_unstable();
    let mut want: Vec<&str> = expected
        .iter()
        .flat_map(|(c, n)| std::iter::repeat_n(*c, *n))
        .collect();
    want.sort_unstable();
    assert_eq!(got, want, "{diags:#?}");
    for d in &diags {
        assert_eq!(
            d.severity,
            severity_word(code(&d.code).severity()),
            "{d:#?}"
        );
        assert!(!d.message.is_empty());
    }
    let errors = diags.iter().any(|d| d.severity == "error");
    assert_eq!(status, Some(i32::from(errors)), "exit status, {diags:#?}");
    diags
}

// ---------------------------------------------------------------------------------------------
// Coverage, baselines, output forms and exit status.

#[test]
fn every_code_has_a_test() {
    // The publish codes are tested against a real catalog in tests/publish.rs.
    let me = [include_str!("check_codes.rs"), include_str!("publish.rs")].concat();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !me.contains(&format!("#[test]\nfn {}_", c.to_ascii_lowercase())))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a test in tests/check_codes.rs or tests/publish.rs: {missing:?}"
    );
}

#[test]
fn clean_baseline_has_no_diagnostics() {
    let d = Draft::text(BASE);
    expect(d.path(), &[]);
    // As a single file: the draft's content alone, clean.
    let d = Draft::bare(&[("draft.txt", BASE.as_bytes())]);
    expect(&d.path().join("draft.txt"), &[]);
    let d = Draft::text(BASE);
    let r = run(&["check".as_ref(), d.path().as_os_str()]);
    assert_eq!(r.code, Some(0));
    assert_eq!(r.stdout, "エラー 0 件、警告 0 件、情報 0 件\n");
    let r = run(&[
        "check".as_ref(),
        d.path().as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(r.stdout.trim(), "[]");
}

#[test]
fn clean_baselines_in_other_formats_have_no_diagnostics() {
    // CSV and xlsx have no place for a title: kohyo.toml gives it.
    let toml = TITLE_TOML;
    let d = Draft::new(&[
        ("draft.xlsx", &xlsx(&main_rows(&[]))),
        ("kohyo.toml", toml.as_bytes()),
    ]);
    expect(d.path(), &[]);
    let d = Draft::new(&[
        ("draft.csv", CSV.as_bytes()),
        ("kohyo.toml", toml.as_bytes()),
    ]);
    expect(d.path(), &[]);
    // HTML carries its own title.
    let d = Draft::new(&[("draft.html", HTML.as_bytes())]);
    expect(d.path(), &[]);
}

#[test]
fn seed_draft_gives_its_known_warnings_and_exit_0() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/tomakomai");
    let diags = expect(&seed, &[("K107", 2), ("K111", 3), ("K112", 1)]);
    let file = seed.join("000_ebe3fcc3fed13691.txt").display().to_string();
    let k107: Vec<&Diag> = diags.iter().filter(|d| d.code == "K107").collect();
    k107[0].at(&file, 35, 2);
    k107[1].at(&file, 36, 2);
    assert!(k107[0].message.contains("4-2"), "{}", k107[0].message);
    assert!(k107[1].message.contains("4-3"), "{}", k107[1].message);
    assert_eq!(
        (k107[0].related[0].line, k107[0].related[0].column),
        (Some(33), Some(2))
    );
    let k112: Vec<&Diag> = diags.iter().filter(|d| d.code == "K112").collect();
    k112[0].at(&file, 20, 49);
    for d in &diags {
        assert_eq!(d.file.as_deref(), Some(file.as_str()));
    }
}

#[test]
fn human_output_in_english_and_japanese() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/tomakomai");
    let file = seed.join("000_ebe3fcc3fed13691.txt").display().to_string();
    let en = run(&[
        "check".as_ref(),
        seed.as_os_str(),
        "--lang".as_ref(),
        "en".as_ref(),
    ]);
    assert_eq!(en.code, Some(0));
    assert!(
        en.stdout
            .contains("warning[K107]: direction 4-2 appears again in a row that is not adjacent"),
        "{}",
        en.stdout
    );
    assert!(
        en.stdout.contains(&format!("--> {file}:35:2")),
        "{}",
        en.stdout
    );
    assert!(en.stdout.contains("note[K112]:"), "{}", en.stdout);
    assert!(
        en.stdout.ends_with("0 errors, 5 warnings, 1 note\n"),
        "{}",
        en.stdout
    );
    assert!(!en.stdout.contains("警告"), "{}", en.stdout);

    let ja = run(&["check".as_ref(), seed.as_os_str()]);
    assert_eq!(ja.code, Some(0));
    assert!(
        ja.stdout
            .contains("警告[K107]: 施策の基本的方向 4-2 が離れた行にもう一度出てきます"),
        "{}",
        ja.stdout
    );
    assert!(
        ja.stdout.contains(&format!("--> {file}:36:2")),
        "{}",
        ja.stdout
    );
    assert!(
        ja.stdout.ends_with("エラー 0 件、警告 5 件、情報 1 件\n"),
        "{}",
        ja.stdout
    );

    // JSON messages follow --lang too.
    let json = |lang: &str| {
        let r = run(&[
            "check".as_ref(),
            seed.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
            "--lang".as_ref(),
            lang.as_ref(),
        ]);
        serde_json::from_str::<Vec<Diag>>(&r.stdout).expect("json")
    };
    let (en, ja) = (json("en"), json("ja"));
    let first_k107 = |d: &[Diag]| {
        d.iter()
            .find(|d| d.code == "K107")
            .map(|d| d.message.clone())
    };
    assert_eq!(
        first_k107(&en).as_deref(),
        Some(
            "direction 4-2 appears again in a row that is not adjacent (merged, measures ordered by number)"
        )
    );
    assert!(first_k107(&ja).is_some_and(|m| m.starts_with("施策の基本的方向 4-2")));
}

#[test]
fn human_output_of_an_error_and_exit_1() {
    let text = edit(BASE, "(3) 移住の相談", "(2) 移住の相談");
    let d = Draft::text(&text);
    let file = d.file("draft.txt");
    let (line, col) = pos(&text, "(2) 移住の相談");
    let r = run(&[
        "check".as_ref(),
        d.path().as_os_str(),
        "--lang".as_ref(),
        "en".as_ref(),
    ]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stdout
            .contains("error[K105]: measure number 2 is used twice"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&format!("--> {file}:{line}:{col}")),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.ends_with("1 error, 0 warnings, 0 notes\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn usage_errors_exit_2() {
    let d = Draft::text(BASE);
    let missing = d.path().join("no-such-draft");
    for args in [
        vec!["check".as_ref(), missing.as_os_str()],
        vec!["model".as_ref(), missing.as_os_str()],
    ] {
        let r = run(&args);
        assert_eq!(r.code, Some(2), "{args:?}");
        assert!(r.stdout.is_empty());
        assert!(r.stderr.contains("がありません"), "{}", r.stderr);
    }
    let p = d.path().as_os_str();
    for args in [
        vec!["check".as_ref(), p, "--format".as_ref(), "xml".as_ref()],
        vec!["check".as_ref(), p, "--lang".as_ref(), "fr".as_ref()],
        vec!["check".as_ref(), p, "--no-such-flag".as_ref()],
        vec!["check".as_ref()],
        vec!["frobnicate".as_ref()],
        vec![],
    ] {
        let r = run(&args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
}

#[test]
fn warnings_and_notes_alone_exit_0_errors_exit_1() {
    // A warning only.
    let text = edit(BASE, "(3) 移住の相談", "(4) 移住の相談");
    let (status, _) = check(Draft::text(&text).path());
    assert_eq!(status, Some(0));
    // A note only.
    let d = Draft::text(BASE);
    std::fs::write(d.path().join("memo.bin"), b"\x00\x01\x02").expect("write");
    assert_eq!(check(d.path()).0, Some(0));
    // An error.
    let text = edit(BASE, "(3) 移住の相談", "(2) 移住の相談");
    assert_eq!(check(Draft::text(&text).path()).0, Some(1));
}

// ---------------------------------------------------------------------------------------------
// Files: K001–K006.

#[test]
fn k001_a_source_that_cannot_be_read() {
    // A directory named in sources exists but cannot be read as a file. (Permissions cannot be
    // used: tests may run as root.)
    let d = Draft::new(&[("kohyo.toml", b"sources = [\"sub\"]\n")]);
    std::fs::create_dir(d.path().join("sub")).expect("mkdir");
    let diags = expect(d.path(), &[("K001", 1)]);
    diags[0].at_file(&d.file("sub"));
    // What happened, in words; the system's own (English) words only as the cause.
    assert!(
        diags[0].message.contains("it is a folder, not a file"),
        "{diags:#?}"
    );
    let cause = diags[0].cause.as_deref().expect("the system's words kept");
    let ja = check_ja(d.path());
    assert!(
        ja[0].message.contains("ファイルではなくフォルダです"),
        "{ja:#?}"
    );
    assert!(!ja[0].message.contains(cause), "{ja:#?}");
    let r = run(&["check".as_ref(), d.path().as_os_str()]);
    assert!(!r.stdout.contains(cause), "{}", r.stdout);
    let r = run(&[
        "check".as_ref(),
        d.path().as_os_str(),
        "--lang".as_ref(),
        "en".as_ref(),
    ]);
    assert!(
        r.stdout.contains(&format!("note: cause: {cause}")),
        "{}",
        r.stdout
    );
}

#[test]
fn k002_a_file_of_unknown_type() {
    // Named explicitly: in sources, or as the input itself.
    let d = Draft::new(&[
        ("draft.txt", BASE.as_bytes()),
        ("junk.csv", b"\x7fELF\x02\x01\x01\x00\x00\x00binary"),
        (
            "kohyo.toml",
            format!("sources = [\"draft.txt\", \"junk.csv\"]\n{TOML}").as_bytes(),
        ),
    ]);
    let diags = expect(d.path(), &[("K002", 1)]);
    diags[0].at_file(&d.file("junk.csv"));
    let diags = expect(&d.path().join("junk.csv"), &[("K002", 1)]);
    diags[0].at_file(&d.file("junk.csv"));
    // A zip that is neither a workbook nor an OpenDocument file.
    let zip = zip_with(&[("readme.txt", b"hello")]);
    let d = Draft::new(&[("draft.xlsx", &zip)]);
    let diags = expect(&d.path().join("draft.xlsx"), &[("K002", 1)]);
    diags[0].at_file(&d.file("draft.xlsx"));
}

#[test]
fn k003_undecodable_bytes_with_their_offset() {
    // A CP932 CSV with a lead byte followed by a space where a trail byte should be.
    let good =
        sjis("基本目標,施策の基本的方向,具体的な施策,事業例\nしごとをつくる,1-1 雇用の拡大,");
    let mut bytes = good.clone();
    bytes.extend_from_slice(&[0x81, 0x20]);
    bytes.extend_from_slice(&sjis("若者の就職,就業支援事業\n"));
    let d = Draft::new(&[("draft.csv", &bytes)]);
    let diags = expect(d.path(), &[("K003", 1)]);
    let k = &diags[0];
    assert_eq!(k.file.as_deref(), Some(d.file("draft.csv").as_str()));
    assert_eq!(k.offset, Some(good.len() as u64), "{k:#?}");
    assert_eq!(
        k.location.as_deref(),
        Some(format!("{}@{}", d.file("draft.csv"), good.len()).as_str())
    );
    assert!(k.message.contains("line 2"), "{}", k.message);
    // The same in a file too short for the encoding detector to be sure it is Japanese.
    let good = sjis("基本目標,事業例\nしごと,");
    let mut bytes = good.clone();
    bytes.extend_from_slice(&[0x81, 0x20]);
    let d = Draft::new(&[("draft.csv", &bytes)]);
    let diags = expect(d.path(), &[("K003", 1)]);
    assert_eq!(diags[0].offset, Some(good.len() as u64), "{:#?}", diags[0]);

    // Broken UTF-8 in the text export.
    let mut bytes = BASE.as_bytes().to_vec();
    let at = BASE.find("移住相談窓口").expect("in base");
    bytes[at + 1] = 0xFF;
    let d = Draft::new(&[("draft.txt", &bytes)]);
    let diags = expect(d.path(), &[("K003", 1)]);
    assert_eq!(diags[0].offset, Some(at as u64));

    // kohyo.toml must be UTF-8.
    let d = Draft::new(&[
        ("draft.txt", BASE.as_bytes()),
        ("kohyo.toml", &sjis("title = \"架空市\"\n")),
    ]);
    let diags = expect(d.path(), &[("K003", 1)]);
    assert_eq!(
        diags[0].file.as_deref(),
        Some(d.file("kohyo.toml").as_str())
    );
    assert_eq!(diags[0].offset, Some(9));
}

#[test]
fn k004_an_empty_file() {
    for bytes in [&b""[..], b"  \n\r\n\t"] {
        let d = Draft::new(&[
            ("draft.txt", BASE.as_bytes()),
            ("empty.csv", bytes),
            (
                "kohyo.toml",
                format!("sources = [\"draft.txt\", \"empty.csv\"]\n{TOML}").as_bytes(),
            ),
        ]);
        let diags = expect(d.path(), &[("K004", 1)]);
        diags[0].at_file(&d.file("empty.csv"));
        let diags = expect(&d.path().join("empty.csv"), &[("K004", 1)]);
        diags[0].at_file(&d.file("empty.csv"));
    }
}

#[test]
fn k005_a_damaged_file() {
    // A workbook cut short (a truncated download).
    let book = xlsx(&main_rows(&[]));
    let d = Draft::new(&[("draft.xlsx", &book[..book.len() / 2])]);
    let diags = expect(d.path(), &[("K005", 1)]);
    diags[0].at_file(&d.file("draft.xlsx"));
    // A zip that says it is a workbook but holds no valid one.
    let zip = zip_with(&[
        ("[Content_Types].xml", b"not xml at all"),
        ("xl/workbook.xml", b"<junk"),
    ]);
    let d = Draft::new(&[("draft.xlsx", &zip)]);
    let diags = expect(d.path(), &[("K005", 1)]);
    diags[0].at_file(&d.file("draft.xlsx"));
    // An OLE2 container (.xls) with nothing valid after its magic.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend_from_slice(&[0x42; 600]);
    let d = Draft::new(&[("draft.xls", &ole)]);
    let diags = expect(d.path(), &[("K005", 1)]);
    diags[0].at_file(&d.file("draft.xls"));
}

#[test]
fn k006_an_unknown_file_in_a_discovered_folder_is_skipped() {
    // Without sources, every file is tried; one kohyo cannot read is a note, not an error.
    let d = Draft::text(BASE);
    std::fs::write(
        d.path().join("logo.png"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    )
    .expect("w");
    std::fs::write(d.path().join("empty.txt"), b"").expect("write");
    let diags = expect(d.path(), &[("K006", 2)]);
    diags[0].at_file(&d.file("empty.txt"));
    diags[1].at_file(&d.file("logo.png"));
    // Hidden, lock and backup files are not even noted.
    let d = Draft::text(BASE);
    for name in [".DS_Store", "~$draft.xlsx", "draft.txt~", "README.md"] {
        std::fs::write(d.path().join(name), b"\x00\x01").expect("write");
    }
    expect(d.path(), &[]);
}

// ---------------------------------------------------------------------------------------------
// kohyo.toml and the draft as a whole: K010–K014.

#[test]
fn k007_limits_on_what_is_read() {
    // A sheet that claims the far corner of Excel: one cell at A1, one at XFD1048576. Read
    // densely that would be 17 billion cells; streamed, it is a located error at once.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("施策").expect("name");
    sheet.write_string(0, 0, "基本目標").expect("write");
    sheet
        .write_string(1_048_575, 16_383, "遠く")
        .expect("write");
    let bytes = book.save_to_buffer().expect("xlsx");
    let d = Draft::new(&[
        ("draft.xlsx", &bytes),
        ("kohyo.toml", TITLE_TOML.as_bytes()),
    ]);
    let started = std::time::Instant::now();
    let diags = expect(d.path(), &[("K007", 1)]);
    assert!(started.elapsed().as_secs() < 20, "not read densely");
    diags[0].at_cell(&d.file("draft.xlsx"), "施策", "XFD1048576");

    // A 150,000-character cell in a CSV.
    let long = "あ".repeat(150_000);
    let csv = edit(CSV, "企業説明会", &long);
    let d = Draft::new(&[
        ("draft.csv", csv.as_bytes()),
        ("kohyo.toml", TITLE_TOML.as_bytes()),
    ]);
    let diags = expect(d.path(), &[("K007", 1)]);
    let (line, col) = pos(&csv, &long);
    diags[0].at(&d.file("draft.csv"), line, col);
    assert!(diags[0].message.contains("150000"), "{diags:#?}");

    // HTML nested 600 levels deep.
    let html = edit(HTML, "<body>", &format!("<body>{}", "<div>".repeat(600)));
    let d = Draft::new(&[("draft.html", html.as_bytes())]);
    let diags = expect(d.path(), &[("K007", 1)]);
    diags[0].at_file(&d.file("draft.html"));
}

#[test]
fn k010_kohyo_toml_syntax_and_values() {
    let cases: &[(&str, &str)] = &[
        // (kohyo.toml, the text the diagnostic points at)
        ("license = \"CC-BY-4.0\"\ntitle = \n", "\n"),
        ("license = \"CC-BY-4.0\"\ntitel = \"架空市\"\n", "titel"),
        (
            "[municipality]\ncode = \"012131\"\nname = \"苫小牧市\"\nprefecture = \"北海道\"\nmayor = \"x\"\n",
            "mayor",
        ),
        (
            "[publisher]\nname = \"苫小牧市\"\ncontcat = \"x\"\n",
            "contcat",
        ),
        (
            "[period]\nstart = 2015\nend = 2019\nbegin = 2015\n",
            "begin",
        ),
        ("sources = \"draft.txt\"\n", "\"draft.txt\""),
        (
            "license = \"CC-BY-4.0\"\nlicense = \"PDL-1.0\"\n",
            "license = \"PDL",
        ),
        ("stage = \"完成\"\n", "\"完成\""),
        ("license = \"MIT\"\n", "\"MIT\""),
    ];
    for (toml, needle) in cases {
        let d = Draft::new(&[
            ("draft.txt", BASE.as_bytes()),
            ("kohyo.toml", toml.as_bytes()),
        ]);
        let diags = expect(d.path(), &[("K010", 1)]);
        let (line, col) = if *needle == "\n" {
            // The syntax error is at the end of line 2.
            (2, "title = ".chars().count() as u32 + 1)
        } else {
            pos(toml, needle)
        };
        diags[0].at(&d.file("kohyo.toml"), line, col);
    }
    // A plan period that ends before it starts points at the [period] table.
    let toml = "license = \"CC-BY-4.0\"\n\n[period]\nstart = 2020\nend = 2015\n";
    let d = Draft::new(&[
        ("draft.txt", BASE.as_bytes()),
        ("kohyo.toml", toml.as_bytes()),
    ]);
    let diags = expect(d.path(), &[("K010", 1)]);
    diags[0].at(&d.file("kohyo.toml"), 3, 1);
}

#[test]
fn k010_a_key_after_a_table_is_inside_that_table() {
    // A key appended at the end of kohyo.toml lands in its last table: the message names the
    // table, points at its [ ] line, and says where a top-level key or another table's key goes.
    let (top, tables) = TOML.split_once("\n[municipality]").expect("tables");
    let municipality = format!(
        "[municipality]{}",
        tables.split("\n[publisher]").next().expect("m")
    );
    let publisher = "[publisher]\nname = \"苫小牧市\"\n";
    let blocks = [
        ("period", "[period]\nstart = 2015\nend = 2019\n".to_string()),
        ("pdf", "[pdf]\npaper = \"A4\"\n".to_string()),
        (
            "catalog",
            "[catalog]\norganization = \"tomakomai\"\n".to_string(),
        ),
        ("publisher", publisher.to_string()),
        ("municipality", format!("{}\n", municipality.trim_end())),
    ];
    for (table, block) in &blocks {
        let other = if *table == "pdf" {
            ("start = 2015", "[period]")
        } else {
            ("orientation = \"portrait\"", "[pdf]")
        };
        for (line, what) in [
            ("bogus_key = 1", "unknown"),
            ("update_frequency = \"annual\"", "top"),
            (other.0, "other"),
        ] {
            // The tables the open data needs, this one last.
            let mut body = format!("{top}\n");
            for (name, other) in [("municipality", &blocks[4].1), ("publisher", &blocks[3].1)] {
                if name != *table {
                    body.push_str(&format!("{other}\n"));
                }
            }
            body.push_str(&format!("{block}{line}\n"));
            let d = Draft::new(&[
                ("draft.txt", BASE.as_bytes()),
                ("kohyo.toml", body.as_bytes()),
            ]);
            let diags = expect(d.path(), &[("K010", 1)]);
            let (l, c) = pos(&body, line);
            diags[0].at(&d.file("kohyo.toml"), l, c);
            let (header, _) = pos(&body, &format!("[{table}]"));
            assert_eq!(diags[0].related.len(), 1, "{diags:#?}");
            assert_eq!(diags[0].related[0].line, Some(header), "{diags:#?}");
            let en = diags[0].notes.join("\n");
            // The token keys are refused (K139), so they are never offered as keys to write.
            assert!(
                !diags[0].message.contains("token,") && !diags[0].message.contains("api_key"),
                "{diags:#?}"
            );
            assert!(
                diags[0].message.contains(&format!("[{table}]")),
                "{diags:#?}"
            );
            assert!(
                en.contains(&format!("inside the [{table}] table (from line {header})")),
                "{en}"
            );
            // In Japanese too.
            let ja = check_ja(d.path());
            let ja_notes = ja[0].notes.join("\n");
            assert!(
                ja_notes.contains(&format!(
                    "この行は [{table}] の表（{header} 行目から）の中にあります"
                )),
                "{ja_notes}"
            );
            match what {
                "top" => {
                    assert!(
                        en.contains("top-level keys go before the first [ ] line"),
                        "{en}"
                    );
                    assert!(
                        ja_notes.contains("最上位の項目は最初の [ ] の行より前に書いてください"),
                        "{ja_notes}"
                    );
                }
                "other" => {
                    assert!(
                        en.contains(&format!("belongs under the {} line", other.1)),
                        "{en}"
                    );
                    assert!(
                        ja_notes.contains(&format!("{} の行の下に書いてください", other.1)),
                        "{ja_notes}"
                    );
                }
                _ => {
                    assert!(en.contains("before the first [ ] line"), "{en}");
                    assert!(
                        ja_notes.contains("最初の [ ] の行より前に書いてください"),
                        "{ja_notes}"
                    );
                }
            }
        }
    }
}

#[test]
fn k011_a_bad_check_digit() {
    let toml = edit(TOML, "012131", "012130");
    let d = Draft::new(&[
        ("draft.txt", BASE.as_bytes()),
        ("kohyo.toml", toml.as_bytes()),
    ]);
    let diags = expect(d.path(), &[("K011", 1)]);
    let (line, col) = pos(&toml, "\"012130\"");
    diags[0].at(&d.file("kohyo.toml"), line, col);
    assert!(diags[0].message.contains("012130"), "{}", diags[0].message);
    // Not six digits, and a prefecture that does not exist.
    for bad in ["01213", "482131"] {
        let toml = edit(TOML, "012131", bad);
        let d = Draft::new(&[
            ("draft.txt", BASE.as_bytes()),
            ("kohyo.toml", toml.as_bytes()),
        ]);
        expect(d.path(), &[("K011", 1)]);
    }
}

#[test]
fn k012_sources_names_a_missing_file() {
    let toml = &format!("sources = [\"draft.txt\", \"draft2.txt\"]\n{TOML}");
    let d = Draft::new(&[
        ("draft.txt", BASE.as_bytes()),
        ("kohyo.toml", toml.as_bytes()),
    ]);
    let diags = expect(d.path(), &[("K012", 1)]);
    let (line, col) = pos(toml, "\"draft2.txt\"");
    diags[0].at(&d.file("kohyo.toml"), line, col);
    assert!(
        diags[0].message.contains("draft2.txt"),
        "{}",
        diags[0].message
    );
    // A path out of the folder counts as missing even when it exists.
    let d = Draft::new(&[("draft.txt", BASE.as_bytes())]);
    let inner = d.path().join("inner");
    std::fs::create_dir(&inner).expect("mkdir");
    std::fs::write(
        inner.join("kohyo.toml"),
        format!("sources = [\"../draft.txt\"]\n{TOML}"),
    )
    .expect("write");
    let diags = expect(&inner, &[("K012", 1)]);
    diags[0].at(&inner.join("kohyo.toml").display().to_string(), 1, 12);
    // So does an absolute path.
    let outer = d.file("draft.txt");
    let toml = format!("sources = [\"draft.txt\", {outer:?}]\n");
    std::fs::write(inner.join("draft.txt"), BASE).expect("write");
    std::fs::write(inner.join("kohyo.toml"), &toml).expect("write");
    let diags = expect(&inner, &[("K012", 1)]);
    let (line, col) = pos(&toml, &format!("{outer:?}"));
    diags[0].at(&inner.join("kohyo.toml").display().to_string(), line, col);
}

#[test]
fn k013_no_table_of_measures() {
    // A file with a table, but not the table of measures.
    let text = "# 架空市総合戦略（素案）\n\n項目\t<p>内容</p>\n人口\t<p>17万人</p>\n";
    let d = Draft::text(text);
    let diags = expect(d.path(), &[("K013", 1), ("K125", 1)]);
    let k013 = diags.iter().find(|d| d.code == "K013").expect("K013");
    k013.at_file(&d.file("draft.txt"));
    // The table that is there is named as not read.
    let k125 = diags.iter().find(|d| d.code == "K125").expect("K125");
    k125.at(&d.file("draft.txt"), 3, 1);
}

#[test]
fn k016_a_folder_with_no_draft_file() {
    // Only kohyo.toml, a README and a lock file: no draft file at all. The folder is named, as
    // it was given, and the hint says which files kohyo reads.
    let d = Draft::new(&[
        ("README.txt", "原稿を置く".as_bytes()),
        ("~$戦略.xlsx", b"lock"),
    ]);
    let diags = expect(d.path(), &[("K016", 1)]);
    diags[0].at_file(&d.path().display().to_string());
    assert!(
        diags[0].message.contains("holds no draft file"),
        "{diags:#?}"
    );
    let r = run(&["check".as_ref(), d.path().as_os_str()]);
    assert_eq!(r.code, Some(1));
    assert!(r.stdout.contains("エラー[K016]"), "{}", r.stdout);
    assert!(
        r.stdout.contains("原稿のファイルがありません"),
        "{}",
        r.stdout
    );
    for ext in [".xlsx", ".xls", ".ods", ".html", ".csv", ".txt"] {
        assert!(r.stdout.contains(ext), "the hint names {ext}: {}", r.stdout);
    }
    // An empty `sources` list reads nothing either.
    let d = Draft::new(&[
        ("draft.txt", BASE.as_bytes()),
        ("kohyo.toml", format!("sources = []\n{TOML}").as_bytes()),
    ]);
    expect(d.path(), &[("K016", 1)]);
}

#[test]
fn k016_an_empty_folder_given_as_a_relative_path_is_named_once() {
    let d = Draft::new(&[]);
    std::fs::create_dir(d.path().join("drafts")).expect("mkdir");
    let out = Command::new(BIN)
        .current_dir(d.path())
        .args(["check", "drafts", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let diags: Vec<Diag> = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "K016");
    diags[0].at_file("drafts");
}

#[test]
fn k014_two_files_hold_a_table_of_measures() {
    let main_only = BASE.split("## ").next().expect("split");
    let d = Draft::new(&[("a.txt", BASE.as_bytes()), ("b.txt", main_only.as_bytes())]);
    let diags = expect(d.path(), &[("K014", 1)]);
    let k = &diags[0];
    let (line, _) = pos(main_only, "基本目標\t施策");
    assert_eq!(
        (k.file.as_deref(), k.line),
        (Some(d.file("b.txt").as_str()), Some(line)),
        "{k:#?}"
    );
    assert!(
        k.message.contains("a.txt") && k.message.contains("b.txt"),
        "{}",
        k.message
    );
    assert_eq!(k.related.len(), 1, "{k:#?}");
    assert_eq!(k.related[0].file, d.file("a.txt"));
    assert_eq!(k.related[0].line, Some(line));
}

// ---------------------------------------------------------------------------------------------
// The table of measures: K101–K116, each from the baseline with one thing broken.

#[test]
fn k101_a_required_column_is_missing() {
    let mut text = edit(BASE, "具体的な施策\t事業例", "具体的な施策");
    for from in [
        "\t<ul><li>就業支援事業（先行型）</li><li>企業説明会</li></ul>",
        "\t<ul><li>起業支援事業</li></ul>",
        "\t<ul><li>移住相談窓口</li></ul>",
    ] {
        text = edit(&text, from, "");
    }
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K101", 1)]);
    let (line, col) = pos(&text, "基本目標\t施策");
    diags[0].at(&d.file("draft.txt"), line, col);
    assert!(
        diags[0].message.contains("projects"),
        "{}",
        diags[0].message
    );
    // Without a hierarchy column nothing else can be read, but the missing column is still
    // the one error.
    let text = edit(
        BASE,
        "\t施策の基本的方向\t具体的な施策\t",
        "\t\t具体的な施策\t",
    );
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K101", 1)]);
    assert!(
        diags[0].message.contains("direction"),
        "{}",
        diags[0].message
    );
}

#[test]
fn k102_an_unexpected_column() {
    let text = edit(BASE, "事業例\n", "事業例\t備考\n");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K102", 1)]);
    let (line, col) = pos(&text, "備考");
    diags[0].at(&d.file("draft.txt"), line, col);
    assert!(diags[0].message.contains("備考"), "{}", diags[0].message);
}

#[test]
fn k102_in_a_workbook_points_at_the_cell() {
    let mut rows = main_rows(&[]);
    rows[0].push("備考");
    let d = Draft::new(&[
        ("draft.xlsx", &xlsx(&rows)),
        ("kohyo.toml", TITLE_TOML.as_bytes()),
    ]);
    let diags = expect(d.path(), &[("K102", 1)]);
    diags[0].at_cell(&d.file("draft.xlsx"), "施策", "E1");
    // Human output names the cell, and shows its text.
    let r = run(&[
        "check".as_ref(),
        d.path().as_os_str(),
        "--lang".as_ref(),
        "en".as_ref(),
    ]);
    assert_eq!(r.code, Some(0));
    let place = format!("--> {} '施策'!E1\n", d.file("draft.xlsx"));
    assert!(r.stdout.contains(&place), "{}", r.stdout);
    assert!(r.stdout.contains("| 備考"), "{}", r.stdout);
}

#[test]
fn k103_a_required_cell_is_empty() {
    // A new direction whose measure cell is blank.
    let row = "\t1-3 人材の育成\t\t<ul><li>人材育成事業</li></ul>\n";
    let text = edit(BASE, "ひとを呼ぶ\t2-1", &format!("{row}ひとを呼ぶ\t2-1"));
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K103", 1)]);
    let (line, _) = pos(&text, "1-3 人材の育成");
    assert_eq!(diags[0].file.as_deref(), Some(d.file("draft.txt").as_str()));
    assert_eq!(diags[0].line, Some(line), "{:#?}", diags[0]);
    assert!(diags[0].message.contains("measure"), "{}", diags[0].message);
    // In a workbook the empty cell itself is named.
    let rows = main_rows(&[&["", "1-3 人材の育成", "", "人材育成事業"]]);
    let d = Draft::new(&[
        ("draft.xlsx", &xlsx(&rows)),
        ("kohyo.toml", TITLE_TOML.as_bytes()),
    ]);
    let diags = expect(d.path(), &[("K103", 1)]);
    diags[0].at_cell(&d.file("draft.xlsx"), "施策", "C5");
    // A related-projects row with no goal above it.
    let text = edit(
        BASE,
        "基本目標\t関連する事業\n",
        "基本目標\t関連する事業\n\t<ul><li>広報事業</li></ul>\n",
    );
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K103", 1)]);
    let (line, _) = pos(&text, "広報事業");
    assert_eq!(diags[0].line, Some(line), "{:#?}", diags[0]);
}

#[test]
fn k104_a_measure_without_a_number() {
    let text = edit(BASE, "(3) 移住の相談", "移住の相談");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K104", 1)]);
    let (line, col) = pos(&text, "移住の相談");
    diags[0].at(&d.file("draft.txt"), line, col);
}

#[test]
fn k105_a_measure_number_used_twice() {
    let text = edit(BASE, "(3) 移住の相談", "(2) 移住の相談");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K105", 1)]);
    let (line, col) = pos(&text, "(2) 移住の相談");
    diags[0].at(&d.file("draft.txt"), line, col);
    let (line, col) = pos(&text, "(2) 起業の促進");
    assert_eq!(
        (diags[0].related[0].line, diags[0].related[0].column),
        (Some(line), Some(col))
    );
}

#[test]
fn k106_a_measure_number_is_skipped() {
    let text = edit(BASE, "(3) 移住の相談", "(4) 移住の相談");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K106", 1)]);
    let (line, col) = pos(&text, "(4) 移住の相談");
    diags[0].at(&d.file("draft.txt"), line, col);
    assert!(diags[0].message.contains('3'), "{}", diags[0].message);
}

#[test]
fn k107_a_direction_in_rows_that_are_not_adjacent() {
    let row = "\t1-1 雇用の拡大\t(3) 地元企業の紹介\t<ul><li>企業紹介事業</li></ul>\n";
    let text = edit(BASE, "ひとを呼ぶ\t2-1", &format!("{row}ひとを呼ぶ\t2-1"));
    let text = edit(&text, "(3) 移住の相談", "(4) 移住の相談");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K107", 1)]);
    let (line, col) = pos(&text, "1-1 雇用の拡大\t(3)");
    diags[0].at(&d.file("draft.txt"), line, col);
    let (line, col) = pos(&text, "1-1 雇用の拡大\t(1)");
    assert_eq!(
        (diags[0].related[0].line, diags[0].related[0].column),
        (Some(line), Some(col))
    );
}

#[test]
fn k108_one_direction_code_with_two_titles() {
    let text = edit(BASE, "1-2 起業の支援", "1-1 起業の支援");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K108", 1)]);
    let (line, col) = pos(&text, "1-1 起業の支援");
    diags[0].at(&d.file("draft.txt"), line, col);
}

#[test]
fn k109_a_direction_code_that_does_not_match_its_goal() {
    let text = edit(BASE, "2-1 移住の促進", "3-1 移住の促進");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K109", 1)]);
    let (line, col) = pos(&text, "3-1 移住の促進");
    diags[0].at(&d.file("draft.txt"), line, col);
}

#[test]
fn k110_a_direction_without_a_code() {
    let text = edit(BASE, "2-1 移住の促進", "移住の促進");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K110", 1)]);
    let (line, col) = pos(&text, "移住の促進");
    diags[0].at(&d.file("draft.txt"), line, col);
}

#[test]
fn k111_a_closing_quote_without_an_opening_one() {
    let text = edit(BASE, "移住相談窓口</li>", "移住相談窓口”</li>");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K111", 1)]);
    let (line, col) = pos(&text, "”");
    diags[0].at(&d.file("draft.txt"), line, col);
    // In a related project too; paired quotes are fine.
    let text = edit(BASE, "移住体験住宅", "“お試し”移住体験住宅”");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K111", 1)]);
    let (line, col) = pos(&text, "住宅”");
    diags[0].at(&d.file("draft.txt"), line, col + 2);
}

#[test]
fn k112_platform_dependent_characters() {
    let text = edit(BASE, "(1) 若者の就職", "①若者の就職");
    let text = edit(&text, "(2) 起業の促進", "②起業の促進");
    let text = edit(&text, "(3) 移住の相談", "③移住の相談");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K112", 1)]);
    let (line, col) = pos(&text, "①");
    diags[0].at(&d.file("draft.txt"), line, col);
    assert!(diags[0].message.contains("3 "), "{}", diags[0].message);
}

#[test]
fn k113_no_title() {
    let text = edit(BASE, "# 架空市総合戦略（素案）\n", "");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K113", 1)]);
    diags[0].at_file(&d.file("draft.txt"));
    // kohyo.toml can give it.
    let toml = format!("title = \"架空市総合戦略（素案）\"\n{TOML}");
    let d = Draft::new(&[
        ("draft.txt", text.as_bytes()),
        ("kohyo.toml", toml.as_bytes()),
    ]);
    expect(d.path(), &[]);
}

#[test]
fn k114_a_related_goal_that_is_not_a_goal() {
    let text = edit(BASE, "ひとを呼ぶ\t<ul>", "ひとを招く\t<ul>");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K114", 1)]);
    let (line, col) = pos(&text, "ひとを招く");
    diags[0].at(&d.file("draft.txt"), line, col);
}

#[test]
fn k115_a_goal_in_rows_that_are_not_adjacent() {
    let row = "しごとをつくる\t1-3 人材の育成\t(4) 人材の育成\t<ul><li>人材育成事業</li></ul>\n";
    let text = edit(BASE, "\n\n## ", &format!("\n{row}\n## "));
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K115", 1)]);
    let (line, col) = pos(&text, "しごとをつくる\t1-3");
    diags[0].at(&d.file("draft.txt"), line, col);
    let (line, col) = pos(&text, "しごとをつくる\t1-1");
    assert_eq!(
        (diags[0].related[0].line, diags[0].related[0].column),
        (Some(line), Some(col))
    );
}

#[test]
fn k116_the_same_header_twice() {
    let text = edit(BASE, "事業例\n", "事業例\t主な事業\n");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K116", 1)]);
    let (line, col) = pos(&text, "主な事業");
    diags[0].at(&d.file("draft.txt"), line, col);
    let (_, first) = pos(&text, "事業例");
    assert_eq!(diags[0].related[0].column, Some(first));
}

#[test]
fn k201_a_character_the_pdf_font_lacks() {
    // An emoji in a project: BIZ UDGothic has no glyph for it, so the PDF can't show it.
    let text = edit(BASE, "<li>企業説明会</li>", "<li>企業説明会\u{1F600}</li>");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K201", 1)]);
    let (line, col) = pos(&text, "企業説明会");
    diags[0].at(&d.file("draft.txt"), line, col);
    assert!(diags[0].message.contains("U+1F600"), "{diags:#?}");
}

#[test]
fn k203_a_character_cp932_cannot_hold_when_building_shift_jis_csv() {
    // 鷗 (U+9DD7, as in 森鷗外) is in BIZ UDGothic but not in CP932: UTF-8 builds, CP932
    // fails naming it.
    let text = edit(BASE, "<li>企業説明会</li>", "<li>鷗外記念の企業説明会</li>");
    let d = Draft::text(&text);
    let out = tempfile::tempdir().expect("tempdir");
    let build = |encoding: &str| {
        run(&[
            "build".as_ref(),
            d.path().as_os_str(),
            "--out".as_ref(),
            out.path().as_os_str(),
            "--csv-encoding".as_ref(),
            encoding.as_ref(),
            "--lang".as_ref(),
            "en".as_ref(),
        ])
    };
    let r = build("utf-8");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let slug = kohyo::build::slug_of(d.path());
    let pdf = out.path().join(&slug).join(format!("{slug}.pdf"));
    let before = std::fs::read(&pdf).expect("pdf");
    let r = build("cp932");
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("K203"), "{}", r.stderr);
    assert!(r.stderr.contains("U+9DD7"), "{}", r.stderr);
    let (line, col) = pos(&text, "鷗外記念の企業説明会");
    assert!(
        r.stderr.contains(&format!("draft.txt:{line}:{col}")),
        "located at the project: {}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    // The failed build left the earlier outputs as they were.
    assert_eq!(std::fs::read(&pdf).expect("pdf"), before);
}

#[test]
fn k015_metadata_the_open_data_needs() {
    // No base_url and no [publisher]: one error at kohyo.toml naming both.
    let toml = "[municipality]\ncode = \"012131\"\nname = \"苫小牧市\"\nprefecture = \"北海道\"\n";
    let d = Draft::bare(&[
        ("draft.txt", BASE.as_bytes()),
        ("kohyo.toml", toml.as_bytes()),
    ]);
    let diags = expect(d.path(), &[("K015", 1)]);
    diags[0].at_file(&d.file("kohyo.toml"));
    assert!(diags[0].message.contains("base_url"), "{diags:#?}");
    assert!(diags[0].message.contains("[publisher]"), "{diags:#?}");
    assert!(!diags[0].message.contains("[municipality]"), "{diags:#?}");
    // A draft folder without kohyo.toml cannot be published either.
    let d = Draft::bare(&[("draft.txt", BASE.as_bytes())]);
    let diags = expect(d.path(), &[("K015", 1)]);
    assert!(diags[0].message.contains("[municipality]"), "{diags:#?}");
    // build fails and writes nothing.
    let out = tempfile::tempdir().expect("tempdir");
    let r = run(&[
        "build".as_ref(),
        d.path().as_os_str(),
        "--out".as_ref(),
        out.path().as_os_str(),
    ]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("K015"), "{}", r.stderr);
    assert_eq!(std::fs::read_dir(out.path()).expect("out").count(), 0);
    // A kohyo.toml that cannot be read is reported once (K010), not also as lacking keys.
    let d = Draft::bare(&[
        ("draft.txt", BASE.as_bytes()),
        ("kohyo.toml", b"base_url = "),
    ]);
    expect(d.path(), &[("K010", 1)]);
}

#[test]
fn k117_values_a_spreadsheet_would_run_as_formulas() {
    for start in ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)"] {
        let text = edit(BASE, "<li>企業説明会</li>", &format!("<li>{start}</li>"));
        let d = Draft::text(&text);
        let diags = expect(d.path(), &[("K117", 1)]);
        let (line, col) = pos(&text, start);
        diags[0].at(&d.file("draft.txt"), line, col);
        // The CSV carries it as text: prefixed with ' (OWASP).
        let out = tempfile::tempdir().expect("tempdir");
        let r = run(&[
            "build".as_ref(),
            d.path().as_os_str(),
            "--out".as_ref(),
            out.path().as_os_str(),
        ]);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        let slug = kohyo::build::slug_of(d.path());
        let csv = std::fs::read_to_string(
            out.path()
                .join(&slug)
                .join(format!("data/012131_{slug}_shisaku.csv")),
        )
        .expect("csv");
        let quoted = format!(",'{start},");
        let quoted_rfc = format!(",\"'{start}\",");
        assert!(
            csv.contains(&quoted) || csv.contains(&quoted_rfc),
            "{start} not neutralised in {csv}"
        );
    }
}

#[test]
fn k202_the_pdf_writer_refusing_is_not_reachable_from_a_draft() {
    // K202 reports krilla refusing the document (a PDF/UA violation or a PDF limit), which
    // would be a defect in kohyo's writer, not in a draft. Drafts that push the writer hardest
    // — a 10,000-character title, a 5,000-character project, a goal with no directions — must
    // still build without it.
    let long_title = "長".repeat(10_000);
    let long_project = "事業".repeat(2_500);
    let text = edit(BASE, "# 架空市総合戦略（素案）", &format!("# {long_title}"));
    let text = edit(
        &text,
        "<li>企業説明会</li>",
        &format!("<li>{long_project}</li>"),
    );
    let d = Draft::text(&text);
    let out = tempfile::tempdir().expect("tempdir");
    let r = run(&[
        "build".as_ref(),
        d.path().as_os_str(),
        "--out".as_ref(),
        out.path().as_os_str(),
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(!r.stderr.contains("K202"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------------
// Building drafts in other formats.

/// The baseline's table of measures as a CSV (blank cells = same as above) for a folder whose
/// kohyo.toml gives the title.
const CSV: &str = "基本目標,施策の基本的方向,具体的な施策,事業例
しごとをつくる,1-1 雇用の拡大,(1) 若者の就職,就業支援事業（先行型）
,,,企業説明会
,1-2 起業の支援,(2) 起業の促進,起業支援事業
ひとを呼ぶ,2-1 移住の促進,(3) 移住の相談,移住相談窓口
";

/// The baseline as a web page, the first goal's cell spanning its two rows.
const HTML: &str = r#"<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>架空市総合戦略（素案）</title></head>
<body>
<h1>架空市総合戦略（素案）</h1>
<table>
<tr><th>基本目標</th><th>施策の基本的方向</th><th>具体的な施策</th><th>事業例</th></tr>
<tr><td rowspan="2">しごとをつくる</td><td>1-1 雇用の拡大</td><td>(1) 若者の就職</td>
<td><ul><li>就業支援事業（先行型）</li><li>企業説明会</li></ul></td></tr>
<tr><td>1-2 起業の支援</td><td>(2) 起業の促進</td><td><ul><li>起業支援事業</li></ul></td></tr>
<tr><td>ひとを呼ぶ</td><td>2-1 移住の促進</td><td>(3) 移住の相談</td><td><ul><li>移住相談窓口</li></ul></td></tr>
</table>
<h2>関連する既存事業</h2>
<table>
<tr><th>基本目標</th><th>関連する事業</th></tr>
<tr><td>しごとをつくる</td><td><ul><li>(雇用) 雇用奨励金</li></ul></td></tr>
<tr><td>ひとを呼ぶ</td><td><ul><li>移住体験住宅</li></ul></td></tr>
</table>
</body></html>
"#;

/// The baseline's table of measures as rows of a sheet, with `extra` rows appended.
fn main_rows<'a>(extra: &[&[&'a str]]) -> Vec<Vec<&'a str>> {
    let mut rows: Vec<Vec<&str>> = vec![
        vec!["基本目標", "施策の基本的方向", "具体的な施策", "事業例"],
        vec![
            "しごとをつくる",
            "1-1 雇用の拡大",
            "(1) 若者の就職",
            "就業支援事業（先行型）\n企業説明会",
        ],
        vec!["", "1-2 起業の支援", "(2) 起業の促進", "起業支援事業"],
        vec![
            "ひとを呼ぶ",
            "2-1 移住の促進",
            "(3) 移住の相談",
            "移住相談窓口",
        ],
    ];
    rows.extend(extra.iter().map(|r| r.to_vec()));
    rows
}

/// A workbook with one sheet named 施策 holding `rows` from A1.
fn xlsx(rows: &[Vec<&str>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("施策").expect("name");
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32, c as u16, *v).expect("write");
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

/// The baseline's `kohyo.toml` with a title, for formats that have no place for one.
const TITLE_TOML: &str = r#"title = "架空市総合戦略（素案）"
base_url = "https://www.city.example.lg.jp/opendata/"

[municipality]
code = "012131"
name = "苫小牧市"
prefecture = "北海道"

[publisher]
name = "苫小牧市"
"#;

/// A zip archive holding `files`.
fn zip_with(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        for (name, bytes) in files {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .expect("zip");
            w.write_all(bytes).expect("zip");
        }
        w.finish().expect("zip");
    }
    buf.into_inner()
}

/// `text` in Shift_JIS (CP932).
fn sjis(text: &str) -> Vec<u8> {
    let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!bad);
    bytes.into_owned()
}

#[test]
fn k118_control_and_bidi_characters_are_reported_and_left_out() {
    // A right-to-left override hides what a line says; a bell from a paste shows nothing.
    let spoof = "企業\u{202E}明説\u{202C}会";
    let text = edit(
        BASE,
        "<li>企業説明会</li>",
        &format!("<li>{spoof}\u{0007}</li>"),
    );
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K118", 1)]);
    let (line, col) = pos(&text, "\u{202E}");
    diags[0].at(&d.file("draft.txt"), line, col);
    let msg = &diags[0].message;
    assert!(msg.contains("3 control characters"), "{msg}");
    for code in ["U+0007", "U+202C", "U+202E (bidirectional"] {
        assert!(msg.contains(code), "{code} in {msg}");
    }
    // The model keeps the text and leaves the characters out.
    let o = Command::new(BIN)
        .arg("model")
        .arg(d.path())
        .output()
        .expect("model");
    let m: serde_json::Value = serde_json::from_slice(&o.stdout).expect("model JSON");
    let projects = m["goals"][0]["directions"][0]["measures"][0]["projects"].to_string();
    assert!(projects.contains("企業明説会"), "{projects}");
    assert!(!projects.contains('\u{202E}') && !projects.contains("\\u0007"));
}

// ---------------------------------------------------------------------------------------------
// Indicators (数値目標 and KPI).

/// The baseline with a KPI column and a 数値目標 table: clean, no diagnostics.
const KPI_BASE: &str = "# 架空市総合戦略（素案）

基本目標\t施策の基本的方向\t具体的な施策\t事業例\t重要業績評価指標（KPI）
しごとをつくる\t1-1 雇用の拡大\t(1) 若者の就職\t<ul><li>就業支援事業（先行型）</li><li>企業説明会</li></ul>\t<p>市内就職者数：120人（H26）→150人（H31）</p>
\t1-2 起業の支援\t(2) 起業の促進\t<ul><li>起業支援事業</li></ul>\t<p>創業件数：18件（H26）→25件（H31）</p>
ひとを呼ぶ\t2-1 移住の促進\t(3) 移住の相談\t<ul><li>移住相談窓口</li></ul>\t<p>移住相談件数：42件（H26）→100件（H31）</p>

## 関連する既存事業

基本目標\t関連する事業
しごとをつくる\t<ul><li>(雇用) 雇用奨励金</li></ul>
ひとを呼ぶ\t<ul><li>移住体験住宅</li></ul>

## 数値目標

基本目標\t数値目標\t基準値\t目標値
しごとをつくる\t市内就職率\t55.2%（平成26年度）\t60.0%（平成31年度）
ひとを呼ぶ\t社会増減\t△350人（平成26年）\t±0人（平成31年）
";

/// KPI_BASE's kohyo.toml with the plan period 平成27年度〜平成31年度.
fn toml_with_period() -> String {
    format!("{TOML}\n[period]\nstart = 2015\nend = 2019\n")
}

fn kpi_draft(text: &str) -> Draft {
    Draft::new(&[
        ("draft.txt", text.as_bytes()),
        ("kohyo.toml", toml_with_period().as_bytes()),
    ])
}

#[test]
fn indicators_clean_baseline_has_no_diagnostics() {
    let d = kpi_draft(KPI_BASE);
    expect(d.path(), &[]);
    let m = model_of(d.path());
    assert_eq!(
        m["goals"][0]["directions"][0]["measures"][0]["indicators"][0]["name"],
        "市内就職者数"
    );
    assert_eq!(m["goals"][1]["indicators"][0]["baseline"]["value"], -350);
}

fn model_of(path: &Path) -> serde_json::Value {
    let o = Command::new(BIN)
        .arg("model")
        .arg(path)
        .output()
        .expect("model");
    serde_json::from_slice(&o.stdout).expect("model JSON")
}

#[test]
fn k119_an_indicator_that_cannot_be_read_is_reported_at_its_cell_and_kept() {
    let text = edit(
        KPI_BASE,
        "創業件数：18件（H26）→25件（H31）",
        "起業しやすいまちの実現",
    );
    let d = kpi_draft(&text);
    let diags = expect(d.path(), &[("K119", 1)]);
    let (line, col) = pos(&text, "起業しやすいまちの実現");
    diags[0].at(&d.file("draft.txt"), line, col);
    // The text is still in the model, whole, as the indicator's name.
    let m = model_of(d.path());
    let i = &m["goals"][0]["directions"][1]["measures"][0]["indicators"][0];
    assert_eq!(i["name"], "起業しやすいまちの実現");
    assert_eq!(i["written"], "起業しやすいまちの実現");
}

#[test]
fn k120_a_value_that_is_not_a_number() {
    let text = edit(KPI_BASE, "→25件（H31）", "→増加（H31）");
    let d = kpi_draft(&text);
    let diags = expect(d.path(), &[("K120", 1)]);
    let (line, col) = pos(&text, "増加");
    diags[0].at(&d.file("draft.txt"), line, col);
    assert!(diags[0].message.contains("増加"), "{}", diags[0].message);
    // The target keeps its year and its wording; it has no value.
    let m = model_of(d.path());
    let t = &m["goals"][0]["directions"][1]["measures"][0]["indicators"][0]["target"];
    assert_eq!(t["when"]["year"], 2019);
    assert!(t.get("value").is_none(), "{t}");
    assert_eq!(t["written"], "増加（H31）");
}

#[test]
fn k121_a_year_that_cannot_be_read() {
    let text = edit(KPI_BASE, "18件（H26）", "18件（26年度）");
    let d = kpi_draft(&text);
    let diags = expect(d.path(), &[("K121", 1)]);
    let (line, col) = pos(&text, "（26年度）");
    diags[0].at(&d.file("draft.txt"), line, col + 1);
}

#[test]
fn k122_a_target_outside_the_plan_period() {
    let text = edit(KPI_BASE, "→25件（H31）", "→25件（R3）");
    let d = kpi_draft(&text);
    let diags = expect(d.path(), &[("K122", 1)]);
    let (line, col) = pos(&text, "創業件数");
    diags[0].at(&d.file("draft.txt"), line, col);
    assert!(
        diags[0].message.contains("2021") && diags[0].message.contains("2015"),
        "{}",
        diags[0].message
    );
    // Without a plan period there is nothing to check against.
    let d = Draft::text(&text);
    expect(d.path(), &[]);
}

#[test]
fn k123_a_baseline_later_than_its_target() {
    let text = edit(
        KPI_BASE,
        "18件（H26）→25件（H31）",
        "18件（H31）→25件（H26）",
    );
    let d = kpi_draft(&text);
    let diags = expect(d.path(), &[("K123", 1), ("K122", 1)]);
    let k123 = diags.iter().find(|d| d.code == "K123").expect("K123");
    let (line, col) = pos(&text, "創業件数");
    k123.at(&d.file("draft.txt"), line, col);
}

#[test]
fn k124_an_indicator_whose_goal_does_not_exist() {
    let text = edit(KPI_BASE, "ひとを呼ぶ\t社会増減", "ひとを集める\t社会増減");
    let d = kpi_draft(&text);
    let diags = expect(d.path(), &[("K124", 1)]);
    let (line, col) = pos(&text, "ひとを集める");
    diags[0].at(&d.file("draft.txt"), line, col);
    // A measure that does not exist, in a KPI table keyed by measure.
    let text = format!(
        "{KPI_BASE}\n## KPI\n\n具体的な施策\t指標\t基準値\t目標値\n(9) ない施策\t利用者数\t10人（H26）\t20人（H31）\n"
    );
    let d = kpi_draft(&text);
    let diags = expect(d.path(), &[("K124", 1)]);
    let (line, col) = pos(&text, "(9) ない施策");
    diags[0].at(&d.file("draft.txt"), line, col);
    // By number alone, a measure that does exist is found.
    let text = format!(
        "{KPI_BASE}\n## KPI\n\n具体的な施策\t指標\t基準値\t目標値\n(3)\t移住者数\t10人（H26）\t20人（H31）\n"
    );
    let d = kpi_draft(&text);
    expect(d.path(), &[]);
    let m = model_of(d.path());
    let list = &m["goals"][1]["directions"][0]["measures"][0]["indicators"];
    assert_eq!(list[1]["name"], "移住者数", "{list}");
}

#[test]
fn k125_a_table_kohyo_does_not_read_is_named() {
    let text = format!("{BASE}\n## 人口の推移\n\n年\t人口\n2010年\t173,320人\n2015年\t172,737人\n");
    let d = Draft::text(&text);
    let diags = expect(d.path(), &[("K125", 1)]);
    let (line, col) = pos(&text, "年\t人口");
    diags[0].at(&d.file("draft.txt"), line, col);
    assert!(diags[0].message.contains("3 rows"), "{}", diags[0].message);
}

#[test]
fn k126_baseline_and_target_in_different_units() {
    let text = edit(KPI_BASE, "→25件（H31）", "→25社（H31）");
    let d = kpi_draft(&text);
    let diags = expect(d.path(), &[("K126", 1)]);
    // At the two values that disagree.
    let (line, col) = pos(&text, "18件（H26）→25社");
    diags[0].at(&d.file("draft.txt"), line, col);
}

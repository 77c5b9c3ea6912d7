//! The broken-input corpus (`tests/broken/`, each file named after the code it must get) and
//! the cases too big or too odd to commit (a 10 MB cell, an empty draft folder, a symlink loop
//! in `inputs/`), run through the real binaries — the release build as users run it, and the
//! test build with its overflow checks. Every case must give exit status 1, a diagnostic with
//! the right code at the right place, no panic, and leave the previous outputs exactly as they
//! were (manifest included) with no staging folder behind.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The corpus folder.
fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken")
}

/// The seed draft (the good version every case starts from).
fn seed_text() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/tomakomai/000_ebe3fcc3fed13691.txt"),
    )
    .expect("seed")
}

/// A small draft in the text export with nothing to warn about.
const CLEAN: &str = "# 架空市総合戦略（素案）\n\n基本目標\t施策の基本的方向\t具体的な施策\t事業例\nしごとをつくる\t1-1 雇用の拡大\t(1) 若者の就職\t<ul><li>就業支援事業</li></ul>\n";

/// kohyo.toml naming `source` and giving everything the outputs need.
fn toml(source: &str) -> String {
    format!(
        "title = \"苫小牧市総合戦略（骨子案）\"\nsources = [\"{source}\"]\nbase_url = \"https://www.city.example.lg.jp/opendata/\"\n\n[municipality]\ncode = \"012131\"\nname = \"苫小牧市\"\nprefecture = \"北海道\"\n\n[publisher]\nname = \"苫小牧市\"\n"
    )
}

/// The binaries to run: the release build (required under CI=true; elsewhere used when it is
/// built from these sources, else skipped with a note) and the test build.
fn binaries() -> Vec<PathBuf> {
    let debug = PathBuf::from(common::BIN);
    let release = debug
        .parent()
        .and_then(Path::parent)
        .map(|t| t.join("release").join(debug.file_name().expect("name")))
        .expect("target folder");
    let version = |bin: &Path| {
        Command::new(bin)
            .arg("--version")
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let want = version(&debug).expect("kohyo --version");
    assert!(
        want.contains("(build "),
        "the version names the build: {want}"
    );
    match version(&release) {
        Some(v) if v == want => vec![release, debug],
        found => {
            let why = match found {
                Some(v) => format!("{} is from other sources ({})", release.display(), v.trim()),
                None => format!("{} is not built", release.display()),
            };
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{why}: .ci/run builds it with `cargo build --release --locked` before the tests"
            );
            eprintln!("note: {why}; run `cargo build --release` to test it too");
            vec![debug]
        }
    }
}

/// Where a diagnostic must point.
#[derive(Clone, Copy, Debug)]
enum At {
    /// The file as a whole (nothing finer is known, as for a damaged zip).
    File,
    /// A line and column.
    Text(u64, u64),
    /// A byte offset (bytes that do not decode).
    Byte(u64),
    /// The draft folder itself.
    Folder,
}

/// A fresh project: `inputs/draft/` holding the seed and its kohyo.toml, built once into
/// `outputs/` with `bin`. Returns the root and the outputs as they were.
fn built_project(
    bin: &Path,
) -> (
    tempfile::TempDir,
    std::collections::BTreeMap<String, Vec<u8>>,
) {
    let root = tempfile::tempdir().expect("root");
    let draft = root.path().join("inputs/draft");
    std::fs::create_dir_all(&draft).expect("mkdir");
    std::fs::write(draft.join("seed.txt"), seed_text()).expect("seed");
    std::fs::write(draft.join("kohyo.toml"), toml("seed.txt")).expect("toml");
    let o = Command::new(bin)
        .arg("build")
        .current_dir(root.path())
        .output()
        .expect("build");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = common::files_under(&root.path().join("outputs"));
    assert!(before.contains_key("draft/manifest.json") && before.len() > 10);
    (root, before)
}

/// Build `inputs/` of `root` with `bin` and assert what a broken draft must give: exit status
/// 1, `code` shown at `location` on stderr, no panic, the outputs exactly `before`.
fn assert_refused(
    bin: &Path,
    root: &Path,
    before: &std::collections::BTreeMap<String, Vec<u8>>,
    code: &str,
    location: &str,
) {
    let o = Command::new(bin)
        .args(["build", "--lang", "en"])
        .current_dir(root)
        .output()
        .expect("build");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(&format!("error[{code}]")),
        "no {code}: {stderr}"
    );
    assert!(stderr.contains(location), "no {location}: {stderr}");
    let after = common::files_under(&root.join("outputs"));
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "outputs added or removed (a staging folder left?)"
    );
    for (name, bytes) in before {
        assert!(after[name] == *bytes, "{name} changed by a failed build");
    }
}

/// `kohyo check DRAFT --format json`: assert exit 1 and exactly one error or warning, `code`
/// at `at`.
fn assert_checked(bin: &Path, draft: &Path, file: &str, code: &str, at: At) -> Value {
    let o = Command::new(bin)
        .args(["check", "--format", "json", "--lang", "en"])
        .arg(draft)
        .output()
        .expect("check");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    let diags: Vec<Value> = serde_json::from_slice(&o.stdout).expect("JSON");
    // Notes (K112 for ①) may come along; nothing else may.
    let diags: Vec<Value> = diags
        .into_iter()
        .filter(|d| d["severity"] != "note")
        .collect();
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, [code], "{diags:#?}");
    let d = diags[0].clone();
    let name = d["file"]
        .as_str()
        .map(|f| f.rsplit('/').next().unwrap_or(f).to_string());
    let place = (
        d["line"].as_u64(),
        d["column"].as_u64(),
        d["offset"].as_u64(),
    );
    match at {
        At::File => {
            assert_eq!(name.as_deref(), Some(file), "{d:#}");
            assert_eq!(place, (None, None, None), "{d:#}");
        }
        At::Text(line, col) => {
            assert_eq!(name.as_deref(), Some(file), "{d:#}");
            assert_eq!(place, (Some(line), Some(col), None), "{d:#}");
        }
        At::Byte(offset) => {
            assert_eq!(name.as_deref(), Some(file), "{d:#}");
            assert_eq!(place.2, Some(offset), "{d:#}");
        }
        At::Folder => {
            let f = d["file"].as_str().unwrap_or_default();
            assert!(f.ends_with(file), "{d:#}");
        }
    }
    d
}

/// What each committed file must give: (file, code, where).
const CORPUS: &[(&str, &str, At)] = &[
    ("K002-junk.csv", "K002", At::File),
    ("K002-zip-not-workbook.xlsx", "K002", At::File),
    ("K003-broken-cp932.csv", "K003", At::Byte(233)),
    ("K004-empty.csv", "K004", At::File),
    ("K005-damaged-sector-chain.xls", "K005", At::File),
    ("K005-truncated.xlsx", "K005", At::File),
    ("K007-cells-far-apart.xls", "K007", At::File),
    ("K007-first-row-past-last.xls", "K007", At::File),
    ("K010-bad-date.toml", "K010", At::Text(2, 8)),
    ("K010-bad-value-type.toml", "K010", At::Text(2, 9)),
    ("K010-key-after-table.toml", "K010", At::Text(6, 1)),
    ("K010-syntax-error.toml", "K010", At::Text(1, 9)),
    ("K010-unknown-key.toml", "K010", At::Text(3, 1)),
    ("K013-html-page.xls", "K013", At::File),
    ("K013-no-table.html", "K013", At::File),
    ("K101-missing-columns.csv", "K101", At::Text(1, 1)),
    ("K116-duplicate-headers.csv", "K116", At::Text(1, 26)),
];

#[test]
fn the_corpus_is_complete_and_each_file_names_its_code() {
    let mut files: Vec<String> = std::fs::read_dir(corpus())
        .expect("corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('K'))
        .collect();
    files.sort();
    let listed: Vec<&str> = CORPUS.iter().map(|c| c.0).collect();
    assert_eq!(
        files, listed,
        "every file in tests/broken has a case, and every case a file"
    );
    for (file, code, _) in CORPUS {
        assert!(file.starts_with(code), "{file} is named after {code}");
    }
}

/// Put a corpus case into `draft` (which holds the seed and its kohyo.toml): a `.toml` case is
/// the draft's kohyo.toml, the seed staying its draft; any other case replaces the seed.
/// Returns the name of the file the diagnostic must name.
fn install(draft: &Path, file: &str) -> &'static str {
    if file.ends_with(".toml") {
        // A draft with nothing to warn about, so kohyo.toml's error is the only diagnostic.
        std::fs::write(draft.join("seed.txt"), CLEAN).expect("draft");
        std::fs::copy(corpus().join(file), draft.join("kohyo.toml")).expect("copy");
        return "kohyo.toml";
    }
    std::fs::remove_file(draft.join("seed.txt")).expect("rm");
    std::fs::copy(corpus().join(file), draft.join(file)).expect("copy");
    std::fs::write(draft.join("kohyo.toml"), toml(file)).expect("toml");
    ""
}

#[test]
fn every_broken_file_is_a_located_error_and_leaves_the_outputs_alone() {
    for bin in binaries() {
        for (case, code, at) in CORPUS {
            let (root, before) = built_project(&bin);
            let draft = root.path().join("inputs/draft");
            let file = match install(&draft, case) {
                "" => *case,
                named => named,
            };
            let d = assert_checked(&bin, &draft, file, code, *at);
            if file == "K013-html-page.xls" {
                let notes = d["notes"].to_string();
                assert!(
                    notes.contains("holds HTML"),
                    "the note says what it is: {notes}"
                );
            }
            let location = match at {
                At::Text(line, col) => format!("{file}:{line}:{col}"),
                At::Byte(offset) => format!("{file}@{offset}"),
                At::File | At::Folder => file.to_string(),
            };
            assert_refused(&bin, root.path(), &before, code, &location);
        }
    }
}

#[test]
fn a_ten_megabyte_cell_is_k007_at_the_cell() {
    for bin in binaries() {
        let (root, before) = built_project(&bin);
        let draft = root.path().join("inputs/draft");
        std::fs::remove_file(draft.join("seed.txt")).expect("rm");
        let lead = "基本目標１,1-1 若者の雇用,①若者の就労支援,";
        let mut csv = format!("基本目標,施策の基本的方向,具体的な施策,事業例\n{lead}\"");
        csv.push_str(&"企業説明会・".repeat(10 * 1024 * 1024 / 18));
        csv.push_str("\"\n");
        assert!(csv.len() > 10_000_000);
        std::fs::write(draft.join("big.csv"), &csv).expect("write");
        std::fs::write(draft.join("kohyo.toml"), toml("big.csv")).expect("toml");
        let col = lead.chars().count() as u64 + 1;
        let d = assert_checked(&bin, &draft, "big.csv", "K007", At::Text(2, col));
        assert!(
            d["message"].to_string().contains("100000"),
            "names the limit: {d:#}"
        );
        assert_refused(
            &bin,
            root.path(),
            &before,
            "K007",
            &format!("big.csv:2:{col}"),
        );
    }
}

/// A draft folder holding only a README and an Office lock file.
fn empty_draft(root: &Path) -> PathBuf {
    let empty = root.join("inputs/empty");
    std::fs::create_dir_all(&empty).expect("mkdir");
    std::fs::write(empty.join("README.txt"), "ここに原稿を置く\n").expect("readme");
    std::fs::write(empty.join("~$戦略.xlsx"), b"lock").expect("lock file");
    empty
}

#[test]
fn a_draft_folder_with_no_draft_is_k016() {
    for bin in binaries() {
        let (root, before) = built_project(&bin);
        let empty = empty_draft(root.path());
        assert_checked(&bin, &empty, "empty", "K016", At::Folder);
        assert_refused(&bin, root.path(), &before, "K016", "inputs/empty");
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_inputs_is_k001_and_the_other_drafts_still_build() {
    for bin in binaries() {
        let (root, before) = built_project(&bin);
        let inputs = root.path().join("inputs");
        std::os::unix::fs::symlink("loop", inputs.join("loop")).expect("loop");
        std::os::unix::fs::symlink("a", inputs.join("b")).expect("b");
        std::os::unix::fs::symlink("b", inputs.join("a")).expect("a");
        std::os::unix::fs::symlink("gone", inputs.join("dangling")).expect("dangling");
        // A link back up the tree is followed once, not forever: that folder holds no draft.
        std::os::unix::fs::symlink("..", inputs.join("up")).expect("up");
        let d = assert_checked(&bin, &inputs.join("loop"), "loop", "K001", At::Folder);
        assert!(d["message"].to_string().contains("symbolic link"), "{d:#}");
        for link in ["a", "b", "dangling", "loop"] {
            assert_refused(
                &bin,
                root.path(),
                &before,
                "K001",
                &format!("inputs/{link}"),
            );
        }
        assert_refused(&bin, root.path(), &before, "K016", "inputs/up");
    }
}

/// The Excel fixture as .xls with its first sheet's DIMENSIONS record claiming `rows` rows.
fn xls_declaring(rows: u32) -> Vec<u8> {
    use std::io::{Read, Write};
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/excel/xls/戦略.xls");
    let mut file = cfb::CompoundFile::open(std::io::Cursor::new(
        std::fs::read(fixture).expect("fixture"),
    ))
    .expect("compound file");
    let mut data = Vec::new();
    file.open_stream("/Workbook")
        .expect("workbook")
        .read_to_end(&mut data)
        .expect("read");
    let mut at = 0;
    let mut found = false;
    while at + 4 <= data.len() {
        let kind = u16::from_le_bytes([data[at], data[at + 1]]);
        let len = u16::from_le_bytes([data[at + 2], data[at + 3]]) as usize;
        if kind == 0x0200 && len == 14 {
            data[at + 8..at + 12].copy_from_slice(&rows.to_le_bytes());
            found = true;
            break;
        }
        at += 4 + len;
    }
    assert!(found, "the fixture has a DIMENSIONS record");
    file.create_stream("/Workbook")
        .expect("rewrite")
        .write_all(&data)
        .expect("write");
    file.flush().expect("flush");
    file.into_inner().into_inner()
}

#[test]
fn an_xls_declaring_four_billion_rows_is_k007_before_anything_is_allocated() {
    // Found by `cargo fuzz run read_xls`: calamine reserves memory for the declared range, so
    // this asked for hundreds of gigabytes and the process died.
    for bin in binaries() {
        let (root, before) = built_project(&bin);
        let draft = root.path().join("inputs/draft");
        std::fs::remove_file(draft.join("seed.txt")).expect("rm");
        std::fs::write(draft.join("huge.xls"), xls_declaring(0xFFFF_FFF0)).expect("xls");
        std::fs::write(draft.join("kohyo.toml"), toml("huge.xls")).expect("toml");
        let d = assert_checked(&bin, &draft, "huge.xls", "K007", At::File);
        assert!(
            d["message"].to_string().contains("4294967279 rows"),
            "{d:#}"
        );
        assert_refused(&bin, root.path(), &before, "K007", "huge.xls");
        // The same file declaring its true range reads as the draft it is.
        std::fs::write(draft.join("huge.xls"), xls_declaring(29)).expect("xls");
        let o = Command::new(&bin)
            .args(["check", "--format", "json"])
            .arg(&draft)
            .output()
            .expect("check");
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
    }
}

/// The first run of three or more English words — letters only, two or more each, one space
/// apart, as `[A-Za-z]{2,}( [A-Za-z]{2,}){2,}` — in a rendering, once what may hold ASCII
/// legitimately is taken out: source lines (`12 | …`, the draft's own text) and the draft's
/// folder path. Backticks are dropped, so a library's "unknown field `bogus_key`, expected …"
/// still reads as the words it is.
fn english_run(text: &str, draft: &Path) -> Option<String> {
    let folder = draft.display().to_string();
    for line in text.lines() {
        let trimmed = line.trim_start();
        let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && trimmed[digits..].starts_with(" |") {
            continue;
        }
        let line = line.replace(&folder, "DRAFT").replace('`', "");
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_alphabetic() {
                i += 1;
                continue;
            }
            let (mut j, mut words, mut end) = (i, 0, i);
            loop {
                let start = j;
                while j < b.len() && b[j].is_ascii_alphabetic() {
                    j += 1;
                }
                if j - start < 2 {
                    break;
                }
                words += 1;
                end = j;
                if b.get(j) == Some(&b' ') && b.get(j + 1).is_some_and(u8::is_ascii_alphabetic) {
                    j += 1;
                } else {
                    break;
                }
            }
            if words >= 3 {
                return Some(line[i..end].to_string());
            }
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
        }
    }
    None
}

#[test]
fn the_english_run_check_catches_library_sentences() {
    let draft = Path::new("/tmp/x y z/draft");
    for english in [
        "エラー[K005]: a.xlsx は xlsx として読み込めません: invalid Zip archive: Could not find EOCD",
        "エラー[K010]: kohyo.toml を読めません: unknown field `bogus_key`, expected `start` or `end`",
        "エラー[K001]: ファイル a.csv を読み込めません: No such file or directory (os error 2)",
        " = note: cause: Too many levels of symbolic links",
    ] {
        assert!(english_run(english, draft).is_some(), "{english}");
    }
    for japanese in [
        "エラー[K005]: a.xlsx は xlsx として読み込めません: ファイルが途中で切れています",
        "エラー[K010]: 知らない項目名 bogus_key があります。[period] に書けるのは start と end です",
        " --> /tmp/x y z/draft/kohyo.toml:6:1",
        "6 | license = \"CC BY 4.0 or any later version\"",
        "  = note: 読み込めるのは Excel（.xlsx・.xls）、CSV（.csv・.tsv）とテキスト書き出し（.txt）です",
        "  | - [period] の表はここから始まります",
    ] {
        assert_eq!(english_run(japanese, draft), None, "{japanese}");
    }
}

/// `kohyo check PATH --lang LANG` (human, or `--format json`): stdout, after asserting exit 1
/// and no panic.
fn check_in(bin: &Path, path: &Path, lang: &str, json: bool) -> String {
    let mut c = Command::new(bin);
    c.args(["check", "--lang", lang]).arg(path);
    if json {
        c.args(["--format", "json"]);
    }
    let o = c.output().expect("check");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    String::from_utf8(o.stdout).expect("UTF-8")
}

/// The codes (from `エラー[K005]:` / `error[K005]:` title lines) and places (`-->` and `:::`
/// lines) of a human rendering, in order.
fn codes_and_places(text: &str) -> (Vec<String>, Vec<String>) {
    let mut codes = Vec::new();
    let mut places = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        if let Some(p) = t.strip_prefix("--> ").or_else(|| t.strip_prefix("::: ")) {
            places.push(p.to_string());
        } else if !line.starts_with(' ')
            && let Some(at) = line.find("[K")
            && line[at..].get(5..7) == Some("]:")
        {
            codes.push(line[at + 1..at + 5].to_string());
        }
    }
    (codes, places)
}

#[test]
fn every_case_reads_the_same_in_both_languages_and_japanese_has_no_library_english() {
    let bin = PathBuf::from(common::BIN);
    let mut cases: Vec<(String, tempfile::TempDir, PathBuf)> = Vec::new();
    for (case, _, _) in CORPUS {
        let root = tempfile::tempdir().expect("root");
        let draft = root.path().join("inputs/draft");
        std::fs::create_dir_all(&draft).expect("mkdir");
        std::fs::write(draft.join("seed.txt"), seed_text()).expect("seed");
        std::fs::write(draft.join("kohyo.toml"), toml("seed.txt")).expect("toml");
        install(&draft, case);
        cases.push((case.to_string(), root, draft));
    }
    // The cases the tests make: a folder with no draft, and a symbolic link loop.
    let root = tempfile::tempdir().expect("root");
    let empty = empty_draft(root.path());
    cases.push(("a folder with no draft".into(), root, empty));
    #[cfg(unix)]
    {
        let root = tempfile::tempdir().expect("root");
        let inputs = root.path().join("inputs");
        std::fs::create_dir_all(&inputs).expect("mkdir");
        std::os::unix::fs::symlink("loop", inputs.join("loop")).expect("loop");
        let link = inputs.join("loop");
        cases.push(("a symbolic link loop".into(), root, link));
    }
    let mut causes = Vec::new();
    for (case, _root, draft) in &cases {
        let ja = check_in(&bin, draft, "ja", false);
        let en = check_in(&bin, draft, "en", false);
        if let Some(run) = english_run(&ja, draft) {
            panic!("{case}: the Japanese rendering holds English ({run:?}):\n{ja}");
        }
        // The JSON in Japanese too: message, label and notes.
        let ja_json: Vec<Value> =
            serde_json::from_str(&check_in(&bin, draft, "ja", true)).expect("JSON");
        for d in &ja_json {
            let words = [&d["message"], &d["label"], &d["notes"]].map(ToString::to_string);
            for w in words {
                assert_eq!(english_run(&w, draft), None, "{case}: {d:#}");
            }
        }
        // The library's own words: in the JSON's cause, as an English note, never in Japanese.
        let en_json: Vec<Value> =
            serde_json::from_str(&check_in(&bin, draft, "en", true)).expect("JSON");
        for (d, j) in en_json.iter().zip(&ja_json) {
            assert_eq!(
                d["cause"], j["cause"],
                "{case}: the cause is the same in both"
            );
            if let Some(cause) = d["cause"].as_str() {
                assert!(
                    en.contains(&format!("note: cause: {cause}")),
                    "{case}:\n{en}"
                );
                assert!(!ja.contains(cause), "{case}:\n{ja}");
                causes.push((case.clone(), cause.to_string()));
            }
        }
        // The same codes at the same places, in the same order, as the JSON says.
        let (ja_codes, ja_places) = codes_and_places(&ja);
        let (en_codes, en_places) = codes_and_places(&en);
        assert_eq!(ja_codes, en_codes, "{case}:\n{ja}\n{en}");
        assert_eq!(ja_places, en_places, "{case}:\n{ja}\n{en}");
        let json_codes: Vec<&str> = en_json.iter().filter_map(|d| d["code"].as_str()).collect();
        assert_eq!(ja_codes, json_codes, "{case}:\n{ja}");
        assert!(!ja_codes.is_empty(), "{case}: no diagnostic");
    }
    // Cases known to wrap a library's words keep them.
    for (case, cause) in [
        (
            "K005-truncated.xlsx",
            "invalid Zip archive: Could not find EOCD",
        ),
        ("K010-syntax-error.toml", "string values must be quoted"),
        ("K010-bad-date.toml", "invalid date"),
        ("a symbolic link loop", "symbolic links"),
    ] {
        assert!(
            causes
                .iter()
                .any(|(c, text)| c == case && text.contains(cause)),
            "{case} keeps {cause:?} as its cause: {causes:#?}"
        );
    }
}

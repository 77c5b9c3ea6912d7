//! Helpers the integration tests share: running the real binary.
#![allow(dead_code)] // each test file uses its own subset

pub mod ckan;
pub mod pdf;
pub mod web;

use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_kohyo");

/// Build `input` with `extra` arguments and `envs` into a fresh folder (no
/// SOURCE_DATE_EPOCH unless given); assert it succeeded without a panic, and return the folder
/// and the draft's output folder in it.
pub fn build_draft(input: &Path, extra: &[&str], envs: &[(&str, &str)]) -> (TempDir, PathBuf) {
    let out = TempDir::new().expect("tempdir");
    let mut cmd = Command::new(BIN);
    cmd.arg("build")
        .arg(input)
        .arg("--out")
        .arg(out.path())
        .args(extra);
    cmd.env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("run kohyo");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "kohyo build failed: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let dir = out.path().join(slug(input));
    (out, dir)
}

/// The name the draft's outputs are filed under (its folder name, leading dots dropped).
pub fn slug(input: &Path) -> String {
    kohyo::build::slug_of(input)
}

/// `kohyo model INPUT` as JSON.
pub fn model(input: &Path) -> serde_json::Value {
    let o = Command::new(BIN)
        .arg("model")
        .arg(input)
        .output()
        .expect("kohyo model");
    serde_json::from_slice(&o.stdout).expect("model JSON")
}

/// `s` without whitespace, for comparing text laid out differently.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every string, whitespace aside, in this order in `hay`.
pub fn assert_in_order(hay: &str, strings: &[String]) {
    let hay = squeeze(hay);
    let mut at = 0;
    for s in strings {
        let needle = squeeze(s);
        match hay[at..].find(&needle) {
            Some(i) => at += i + needle.len(),
            None => panic!("「{s}」 missing or out of order after byte {at}"),
        }
    }
}

/// Every file under `dir`: relative path (with `/`) → bytes.
pub fn files_under(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("under dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// The 素案 fixture (`tests/fixtures/soan/text/`) as a publishable draft folder `soan`:
/// Tomakomai's kohyo.toml, plan period 2015–2019.
pub fn soan_draft() -> (TempDir, PathBuf) {
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path().join("soan");
    std::fs::create_dir(&d).expect("mkdir");
    std::fs::copy("tests/fixtures/soan/text/素案.txt", d.join("素案.txt")).expect("copy");
    let toml = std::fs::read_to_string("inputs/tomakomai/kohyo.toml").expect("toml");
    let toml: String = toml
        .lines()
        .filter(|l| !l.starts_with("sources"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(d.join("kohyo.toml"), toml).expect("write");
    (dir, d)
}

/// `kohyo diff OLD NEW --out DIR`: the CSV's records (header first), checked for BOM and CRLF.
pub fn diff_csv(old: &Path, new: &Path) -> Vec<Vec<String>> {
    let out = tempfile::tempdir().expect("out");
    let o = Command::new(BIN)
        .arg("diff")
        .arg(old)
        .arg(new)
        .arg("--out")
        .arg(out.path())
        .output()
        .expect("diff");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let bytes = std::fs::read(out.path().join("shinkyu_taishohyo.csv")).expect("csv");
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").expect("UTF-8 BOM");
    let text = std::str::from_utf8(body).expect("UTF-8");
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "CRLF line ends"
    );
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect()
}

/// A validator installed in `.venv/` by `.ci/run`; none (and a note) when it is missing,
/// which fails under `CI=true`.
pub fn venv_tool(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(".venv/bin").join(name);
    if p.is_file() {
        return Some(p);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{name} is missing: python3 -m venv .venv && .venv/bin/pip install -r tests/requirements.txt"
    );
    eprintln!(
        "skipping: install {name} (python3 -m venv .venv && .venv/bin/pip install -r tests/requirements.txt)"
    );
    None
}

/// Run `tool` with `args` in `cwd`: whether it succeeded, and its stdout and stderr.
pub fn run(tool: &Path, args: &[&str], cwd: &Path) -> (bool, String) {
    let o = Command::new(std::fs::canonicalize(tool).expect("tool path"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run validator");
    (
        o.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

/// The DCAT-AP 3.0.0 SHACL shapes beside the clone.
pub const SHAPES: &str = "../shared/reference/dcat-ap-3.0.0-SHACL.ttl";

/// pySHACL on `dir`'s `catalog/dcat.jsonld` against the DCAT-AP 3 shapes, with RDFS
/// inference: whether it conforms, and the report. None (and a note) when pyshacl or the shapes
/// are missing, which fails under `CI=true`.
pub fn shacl(dir: &Path) -> Option<(bool, String)> {
    let tool = venv_tool("pyshacl")?;
    let Ok(shapes) = std::fs::canonicalize(SHAPES) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{SHAPES} is missing: ../shared must sit beside the clone"
        );
        eprintln!("skipping: {SHAPES} is missing (../shared must sit beside the clone)");
        return None;
    };
    let shapes = shapes.to_string_lossy().into_owned();
    let args = [
        "-s",
        &shapes,
        "-i",
        "rdfs",
        "-df",
        "json-ld",
        "catalog/dcat.jsonld",
    ];
    let (ok, out) = run(&tool, &args, dir);
    Some((ok && out.contains("Conforms: True"), out))
}

/// Whether デジタル庁's checker flags `c` under L1-08 (機種依存文字): harunobu's
/// `harunobu/rules/level1/L1_08_platform_dependent_chars.py` (digital-go-jp/
/// machine_readability_rule) and the `.csv` beside it. Its special characters: ㋿ (U+32FF),
/// 〜 (U+301C), ～ (U+FF5E); its ranges (`_classify_range`): circled numbers U+2460–2473,
/// U+3251–325F, U+32B1–32BF; roman numerals U+2160–217F; platform symbols U+3220–3243,
/// U+3280–32FE, U+3300–33FF, U+FE30–FE4F (a failure when the file is CP932). Its full-width
/// letters and digits are reported as info only and are not included.
pub fn l1_08_flags(c: char) -> bool {
    matches!(c as u32,
        0x32FF | 0x301C | 0xFF5E
        | 0x2460..=0x2473 | 0x3251..=0x325F | 0x32B1..=0x32BF
        | 0x2160..=0x217F
        | 0x3220..=0x3243 | 0x3280..=0x32FE | 0x3300..=0x33FF | 0xFE30..=0xFE4F
    )
}

/// Whether harunobu's L3-05 reads an era date in `value`: its pattern
/// `(明治|大正|昭和|平成|令和|M|T|S|H|R)\s*(\d{1,2})\s*(年|\.|-|/)`, searched anywhere in the
/// value (`harunobu/rules/level3/L3_05_time_axis_standardization.py`, `_WAREKI_PATTERN`).
pub fn l3_05_reads_an_era(value: &str) -> bool {
    const ERAS: [&str; 10] = [
        "明治", "大正", "昭和", "平成", "令和", "M", "T", "S", "H", "R",
    ];
    let c: Vec<char> = value.chars().collect();
    let digit = |x: char| x.is_ascii_digit() || ('０'..='９').contains(&x);
    let skip_space = |mut i: usize| {
        while i < c.len() && c[i].is_whitespace() {
            i += 1;
        }
        i
    };
    (0..c.len()).any(|start| {
        ERAS.iter().any(|era| {
            let e: Vec<char> = era.chars().collect();
            if !c[start..].starts_with(&e) {
                return false;
            }
            let d = skip_space(start + e.len());
            (1..=2).any(|n| {
                d + n <= c.len()
                    && c[d..d + n].iter().all(|&x| digit(x))
                    && c.get(skip_space(d + n))
                        .is_some_and(|x| matches!(x, '年' | '.' | '-' | '/'))
            })
        })
    })
}

/// The records of a CSV kohyo wrote, in UTF-8 with its BOM or in CP932.
pub fn csv_records(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(body) => String::from_utf8(body.to_vec()).expect("UTF-8"),
        None => {
            let (t, _, bad) = encoding_rs::SHIFT_JIS.decode(bytes);
            assert!(!bad, "valid CP932");
            t.into_owned()
        }
    };
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.expect("RFC 4180 record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// The files directly in `dir` whose extension is `ext`, sorted.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

/// Every CSV under `dir/data/`, as (file name, records), in the order of their names.
pub fn all_csvs(dir: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    files_with_extension(&dir.join("data"), "csv")
        .into_iter()
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, csv_records(&std::fs::read(&p).expect("csv")))
        })
        .collect()
}

/// What a child process prints on stderr, read line by line as it comes.
pub struct Printed {
    lines: std::sync::mpsc::Receiver<String>,
    /// Every line read so far.
    pub seen: Vec<String>,
}

impl Printed {
    /// Take `child`'s piped stderr and read it on a thread.
    pub fn of(child: &mut std::process::Child) -> Printed {
        use std::io::BufRead;
        let stderr = child.stderr.take().expect("stderr is piped");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Printed {
            lines,
            seen: Vec::new(),
        }
    }

    /// Wait up to `within` for a line that contains `want` and return it; panic with what
    /// was printed if none comes.
    pub fn wait_for(&mut self, want: &str, within: std::time::Duration) -> String {
        let deadline = std::time::Instant::now() + within;
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(want) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("never printed {want:?}:\n{}", self.seen.join("\n"));
    }

    /// The lines printed since the last call (also added to `seen`).
    pub fn drain(&mut self) -> Vec<String> {
        let new: Vec<String> = self.lines.try_iter().collect();
        self.seen.extend(new.iter().cloned());
        new
    }

    /// Everything seen, one line after another, for a failure message.
    pub fn all(&self) -> String {
        self.seen.join("\n")
    }
}

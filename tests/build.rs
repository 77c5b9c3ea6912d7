//! `kohyo build` and `kohyo watch` end to end: every output, the manifest, byte-identical
//! rebuilds, skipping unchanged drafts, keeping unchanged files' mtimes, one bad draft not
//! stopping the others, and watch rebuilding on save and surviving a bad save, a deleted and
//! re-created draft, a folder renamed away and back, a half-saved file and a burst of saves.

mod common;
use common::BIN;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};
use tempfile::TempDir;

const TOML: &str = "title = \"架空市総合戦略（素案）\"\nbase_url = \"https://www.city.example.lg.jp/opendata/\"\n\n[municipality]\ncode = \"012131\"\nname = \"架空市\"\nprefecture = \"北海道\"\n\n[publisher]\nname = \"架空市\"\n";
const CSV: &str = "基本目標,施策の基本的方向,具体的な施策,事業例\nしごと,1-1 雇用,(1) 就職,就業支援（先行型）\nしごと,1-1 雇用,(1) 就職,企業説明会\nひと,2-1 移住,(2) 相談,移住相談窓口\n";

/// `inputs/` with drafts `a` and `b`, and an empty `outputs/`.
fn workspace() -> TempDir {
    let w = TempDir::new().expect("tempdir");
    for d in ["a", "b"] {
        let dir = w.path().join("inputs").join(d);
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("施策.csv"), CSV).expect("write");
        std::fs::write(dir.join("kohyo.toml"), TOML).expect("write");
    }
    w
}

struct Run {
    code: Option<i32>,
    stderr: String,
}

fn build(w: &Path, extra: &[&str]) -> Run {
    let o = Command::new(BIN)
        .current_dir(w)
        .arg("build")
        .args(extra)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run kohyo");
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Run {
        code: o.status.code(),
        stderr,
    }
}

/// Every file under `dir`: relative path → (bytes, mtime).
fn tree(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    common::files_under(dir)
        .into_iter()
        .map(|(rel, bytes)| {
            let m = std::fs::metadata(dir.join(&rel))
                .and_then(|m| m.modified())
                .expect("mtime");
            (rel, (bytes, m))
        })
        .collect()
}

fn bytes_of(t: &BTreeMap<String, (Vec<u8>, SystemTime)>) -> BTreeMap<String, Vec<u8>> {
    t.iter().map(|(k, (b, _))| (k.clone(), b.clone())).collect()
}

#[test]
fn a_folder_of_draft_folders_builds_every_draft_in_it() {
    // Another root than inputs/: a year's folder of drafts, one of them a group of two.
    let w = TempDir::new().expect("tempdir");
    for d in ["drafts/tomakomai", "drafts/group/a", "drafts/group/b"] {
        let dir = w.path().join(d);
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("施策.csv"), CSV).expect("write");
        std::fs::write(dir.join("kohyo.toml"), TOML).expect("write");
    }
    // A README beside the drafts does not make the folder a draft.
    std::fs::write(w.path().join("drafts/README.txt"), "令和8年度の原稿").expect("write");
    let r = build(w.path(), &["drafts", "--out", "out"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.contains("作成 3 件、変更なし 0 件、失敗 0 件"),
        "{}",
        r.stderr
    );
    for d in ["tomakomai", "a", "b"] {
        assert!(
            w.path().join("out").join(d).join("manifest.json").is_file(),
            "{d}"
        );
    }
    // A draft folder given as it is still builds as one draft, sub-folders and all.
    std::fs::create_dir_all(w.path().join("drafts/tomakomai/old")).expect("mkdir");
    let r = build(w.path(), &["drafts/tomakomai", "--out", "out2"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("作成 1 件"), "{}", r.stderr);
    // An empty folder inside is a draft without files: it fails alone, the others build.
    std::fs::create_dir_all(w.path().join("drafts/empty")).expect("mkdir");
    let r = build(w.path(), &["drafts", "--out", "out"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("drafts/empty の出力を作れませんでした"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("変更なし 3 件、失敗 1 件"),
        "{}",
        r.stderr
    );
}

#[test]
fn every_output_and_a_manifest_that_lists_them() {
    let w = workspace();
    let r = build(w.path(), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.contains("作成 2 件、変更なし 0 件、失敗 0 件"),
        "{}",
        r.stderr
    );
    let out = w.path().join("outputs/a");
    let files = tree(&out);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "a.pdf",
            "catalog/ckan-package.json",
            "catalog/dcat.jsonld",
            "data/012131_a_kanren_jigyo.csv",
            "data/012131_a_kanren_jigyo.csv-metadata.json",
            "data/012131_a_shisaku.csv",
            "data/012131_a_shisaku.csv-metadata.json",
            "datapackage.json",
            "ids.json",
            "index.html",
            "manifest.json",
            "model.json",
        ]
    );
    let m: Value = serde_json::from_slice(&files["manifest.json"].0).expect("manifest");
    let artifacts = m["artifacts"].as_array().expect("artifacts");
    assert_eq!(
        artifacts.len(),
        files.len() - 1,
        "every file but the manifest"
    );
    let mut kinds = Vec::new();
    for a in artifacts {
        let path = a["path"].as_str().expect("path");
        let (bytes, _) = &files[path];
        assert_eq!(a["size"], bytes.len());
        assert_eq!(
            a["sha256"].as_str(),
            Some(kohyo::build::sha256_hex(bytes).as_str()),
            "{path}"
        );
        kinds.push(a["kind"].as_str().expect("kind").to_string());
    }
    kinds.sort();
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            "ckan",
            "csv",
            "csvw",
            "datapackage",
            "dcat",
            "html",
            "ids",
            "model",
            "pdf"
        ]
    );
    let inputs: Vec<&str> = m["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| i["path"].as_str().expect("path"))
        .collect();
    assert_eq!(inputs, ["kohyo.toml", "施策.csv"]);
    assert_eq!(m["kohyo"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn two_builds_are_byte_identical_in_every_output() {
    let w = workspace();
    assert_eq!(build(w.path(), &[]).code, Some(0));
    let first = bytes_of(&tree(&w.path().join("outputs")));
    std::fs::remove_dir_all(w.path().join("outputs")).expect("rm");
    assert_eq!(build(w.path(), &["-j", "1"]).code, Some(0));
    let second = bytes_of(&tree(&w.path().join("outputs")));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (k, v) in &first {
        assert!(second[k] == *v, "{k} differs between two builds");
    }
}

#[test]
fn unchanged_drafts_are_skipped_and_unchanged_files_keep_their_mtime() {
    let w = workspace();
    assert_eq!(build(w.path(), &[]).code, Some(0));
    let before = tree(&w.path().join("outputs"));
    std::thread::sleep(Duration::from_millis(30));
    let r = build(w.path(), &[]);
    assert!(
        r.stderr.contains("作成 0 件、変更なし 2 件、失敗 0 件"),
        "{}",
        r.stderr
    );
    assert_eq!(tree(&w.path().join("outputs")), before, "nothing touched");

    // A new date changes the PDF, the page and the catalogs, not the CSVs or model fields
    // that do not carry it: those files keep their mtime.
    let toml = w.path().join("inputs/a/kohyo.toml");
    std::fs::write(&toml, format!("date = 2026-04-01\n{TOML}")).expect("write");
    let r = build(w.path(), &[]);
    assert!(
        r.stderr.contains("作成 1 件、変更なし 1 件、失敗 0 件"),
        "{}",
        r.stderr
    );
    let after = tree(&w.path().join("outputs"));
    let csv = "a/data/012131_a_shisaku.csv";
    assert_eq!(
        after[csv], before[csv],
        "an unchanged file is not rewritten"
    );
    assert_ne!(after["a/a.pdf"].0, before["a/a.pdf"].0);
    assert!(after["a/a.pdf"].1 > before["a/a.pdf"].1);

    // --force rebuilds everything, still without touching identical files.
    let r = build(w.path(), &["--force"]);
    assert!(
        r.stderr.contains("作成 2 件、変更なし 0 件、失敗 0 件"),
        "{}",
        r.stderr
    );
    assert_eq!(tree(&w.path().join("outputs")), after);

    // An output changed by hand is put right, however the draft stands.
    std::fs::write(w.path().join("outputs/b/index.html"), "edited").expect("write");
    let r = build(w.path(), &[]);
    assert!(
        r.stderr.contains("作成 1 件、変更なし 1 件、失敗 0 件"),
        "{}",
        r.stderr
    );
    assert_eq!(
        tree(&w.path().join("outputs"))["b/index.html"].0,
        after["b/index.html"].0
    );
}

#[test]
fn a_bad_draft_fails_alone_and_keeps_its_last_good_outputs() {
    let w = workspace();
    assert_eq!(build(w.path(), &[]).code, Some(0));
    let before = tree(&w.path().join("outputs/a"));
    // Break a: a measure with no direction code (K110). Change b.
    let bad = CSV.replace("1-1 雇用", "雇用");
    std::fs::write(w.path().join("inputs/a/施策.csv"), bad).expect("write");
    std::fs::write(
        w.path().join("inputs/b/施策.csv"),
        CSV.replace("企業説明会", "企業合同説明会"),
    )
    .expect("write");
    let r = build(w.path(), &[]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("K110"), "{}", r.stderr);
    assert!(
        r.stderr.contains("作成 1 件、変更なし 0 件、失敗 1 件"),
        "{}",
        r.stderr
    );
    assert_eq!(
        tree(&w.path().join("outputs/a")),
        before,
        "a's outputs untouched"
    );
    let b =
        std::fs::read_to_string(w.path().join("outputs/b/data/012131_b_shisaku.csv")).expect("b");
    assert!(b.contains("企業合同説明会"));
    // No staging folder is left behind.
    let names: Vec<String> = std::fs::read_dir(w.path().join("outputs"))
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn watch_rebuilds_on_save_keeps_good_outputs_on_a_bad_save_and_stops_on_ctrl_c() {
    let w = workspace();
    let mut watch = Watcher::start(w.path(), &["inputs/a"]);
    watch.wait_for("watching 1 draft (Ctrl-C to stop)");
    let csv_out = w.path().join("outputs/a/data/012131_a_shisaku.csv");
    assert!(csv_out.is_file());

    // A save: the outputs follow, and the time from the save is printed.
    let input = w.path().join("inputs/a/施策.csv");
    std::fs::write(&input, CSV.replace("企業説明会", "企業見学会")).expect("write");
    let line = watch.wait_for("rebuilt");
    assert!(line.contains("ms after the save"), "{line}");
    assert!(
        std::fs::read_to_string(&csv_out)
            .expect("csv")
            .contains("企業見学会")
    );
    // Building reads the draft; that must not count as a change (no rebuild loop).
    let extra = watch.settle(Duration::from_millis(500));
    assert!(
        !extra
            .iter()
            .any(|l| l.contains("rebuilt") || l.contains("unchanged")),
        "a build without a save: {extra:?}"
    );

    // An Excel-style save: a lock file and a temporary file, then a rename over the draft.
    std::fs::write(w.path().join("inputs/a/~$施策.csv"), "lock").expect("lock");
    let tmp = w.path().join("inputs/a/ABC123.tmp");
    std::fs::write(&tmp, CSV.replace("企業説明会", "企業交流会")).expect("tmp");
    std::fs::rename(&tmp, &input).expect("rename");
    watch.wait_for("rebuilt");
    assert!(
        std::fs::read_to_string(&csv_out)
            .expect("csv")
            .contains("企業交流会")
    );
    std::fs::remove_file(w.path().join("inputs/a/~$施策.csv")).expect("rm lock");

    // A bad save: diagnostics, the last good outputs stay, watching goes on.
    let good = tree(&w.path().join("outputs/a"));
    std::fs::write(&input, CSV.replace("1-1 雇用", "雇用")).expect("write");
    watch.wait_for("has errors");
    assert!(
        watch.printed.seen.iter().any(|l| l.contains("K110")),
        "{}",
        watch.printed.seen.join("\n")
    );
    assert_eq!(tree(&w.path().join("outputs/a")), good);
    std::fs::write(&input, CSV).expect("write");
    watch.wait_for("rebuilt");

    // Ctrl-C: a clean stop.
    watch.stop();
}

#[test]
fn the_seed_builds_into_its_committed_outputs_path() {
    // The README's main command names outputs/; the seed's slug is its folder name.
    let out = TempDir::new().expect("tempdir");
    let o = Command::new(BIN)
        .args(["build", "inputs/tomakomai", "--out"])
        .arg(out.path())
        .output()
        .expect("kohyo");
    assert!(o.status.success());
    let dir: PathBuf = out.path().join("tomakomai");
    assert!(dir.join("manifest.json").is_file());
}

/// A running `kohyo watch` and the lines it has printed.
struct Watcher {
    child: std::process::Child,
    printed: common::Printed,
}

impl Watcher {
    fn start(dir: &Path, drafts: &[&str]) -> Watcher {
        let mut child = Command::new(BIN)
            .current_dir(dir)
            .arg("watch")
            .args(drafts)
            .args(["--lang", "en"])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("spawn kohyo watch");
        let printed = common::Printed::of(&mut child);
        Watcher { child, printed }
    }

    fn wait_for(&mut self, want: &str) -> String {
        self.printed.wait_for(want, Duration::from_secs(20))
    }

    /// Collect what was printed for `d`, then assert the process is still running.
    fn settle(&mut self, d: Duration) -> Vec<String> {
        std::thread::sleep(d);
        let new = self.printed.drain();
        assert!(
            self.child.try_wait().expect("try_wait").is_none(),
            "watch exited:\n{}",
            self.printed.all()
        );
        new
    }

    /// Wait until `file` holds `text` (a build may fail first while a change is half made).
    fn until_contains(&mut self, file: &Path, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if std::fs::read_to_string(file).is_ok_and(|s| s.contains(text)) {
                return;
            }
            self.settle(Duration::from_millis(50));
        }
        panic!(
            "{} never held {text:?}; watch printed:\n{}",
            file.display(),
            self.printed.all()
        );
    }

    fn stop(mut self) {
        Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill -INT");
        self.wait_for("stopped watching");
        let status = self.child.wait().expect("wait");
        assert_eq!(status.code(), Some(0), "{}", self.printed.all());
        assert!(
            !self.printed.seen.iter().any(|l| l.contains("panicked")),
            "{}",
            self.printed.all()
        );
    }
}

#[test]
fn watch_survives_a_deleted_draft_a_renamed_folder_a_half_saved_file_and_a_burst_of_saves() {
    let w = workspace();
    let mut watch = Watcher::start(w.path(), &["inputs/a", "inputs/b"]);
    watch.wait_for("watching 2 drafts");
    let a = w.path().join("inputs/a");
    let out_a = w.path().join("outputs/a");
    let csv_a = out_a.join("data/012131_a_shisaku.csv");
    let b_before = tree(&w.path().join("outputs/b"));
    let with = |m: &str| CSV.replace("企業説明会", m);

    // Deleted (a sync tool, a mistaken delete): nothing is built, the outputs stay.
    let good = tree(&out_a);
    std::fs::remove_dir_all(&a).expect("rm -r");
    let printed = watch.settle(Duration::from_millis(400));
    assert!(
        !printed.iter().any(|l| l.contains("rebuilt")),
        "{printed:?}"
    );
    assert_eq!(tree(&out_a), good, "a deleted draft keeps its outputs");
    // ...and made again (a restore): built again.
    std::fs::create_dir(&a).expect("mkdir");
    std::fs::write(a.join("kohyo.toml"), TOML).expect("toml");
    std::fs::write(a.join("施策.csv"), with("復元後")).expect("csv");
    watch.until_contains(&csv_a, "復元後");

    // Renamed away and back (a rename undone): edits after it are still seen.
    let away = w.path().join("inputs/a-old");
    std::fs::rename(&a, &away).expect("rename away");
    watch.settle(Duration::from_millis(300));
    std::fs::write(away.join("施策.csv"), with("改名中")).expect("edit while away");
    watch.settle(Duration::from_millis(300));
    assert!(
        !std::fs::read_to_string(&csv_a)
            .expect("csv")
            .contains("改名中")
    );
    std::fs::rename(&away, &a).expect("rename back");
    watch.until_contains(&csv_a, "改名中");
    std::fs::write(a.join("施策.csv"), with("改名後")).expect("edit after");
    watch.until_contains(&csv_a, "改名後");

    // Half saved, cut inside a character: an error, the last good outputs stay; then the rest.
    let good = tree(&out_a);
    let full = with("途中保存").into_bytes();
    let cut = (full.len() / 2..full.len())
        .find(|&i| std::str::from_utf8(&full[..i]).is_err())
        .expect("a cut inside a character");
    let mut f = std::fs::File::create(a.join("施策.csv")).expect("create");
    std::io::Write::write_all(&mut f, &full[..cut]).expect("first half");
    std::io::Write::flush(&mut f).expect("flush");
    watch.wait_for("has errors");
    assert!(
        watch.printed.seen.iter().any(|l| l.contains("K003")),
        "{}",
        watch.printed.seen.join("\n")
    );
    assert_eq!(tree(&out_a), good, "a half-saved file replaced the outputs");
    std::io::Write::write_all(&mut f, &full[cut..]).expect("the rest");
    drop(f);
    watch.until_contains(&csv_a, "途中保存");

    // A burst of saves (an autosave loop): the outputs end at the last one, with far fewer
    // builds than saves, and then all is quiet.
    let before = watch.printed.seen.len();
    for i in 0..40 {
        std::fs::write(a.join("施策.csv"), with(&format!("連続{i:02}"))).expect("save");
        std::thread::sleep(Duration::from_millis(2));
    }
    watch.until_contains(&csv_a, "連続39");
    // The last build's own report comes just after its rename (a loaded machine took 130 ms
    // to print it); what follows must be quiet.
    watch.settle(Duration::from_millis(300));
    let quiet = watch.settle(Duration::from_millis(500));
    assert!(
        !quiet
            .iter()
            .any(|l| l.contains("rebuilt") || l.contains("has errors")),
        "builds after the burst settled: {quiet:?}"
    );
    let builds = watch.printed.seen[before..]
        .iter()
        .filter(|l| l.contains("rebuilt") || l.contains("has errors"))
        .count();
    assert!((1..20).contains(&builds), "{builds} builds for 40 saves");

    // The other draft was never touched.
    assert_eq!(tree(&w.path().join("outputs/b")), b_before);
    watch.stop();
}

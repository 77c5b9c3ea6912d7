//! The synthetic corpus generator (`examples/gen_corpus.rs`): deterministic, every form kohyo
//! reads, valid municipality codes, and drafts that build without a diagnostic.

#[allow(dead_code)]
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

mod common;

use std::process::Command;

#[test]
fn the_same_count_gives_the_same_bytes() {
    let (a, b) = (
        tempfile::tempdir().expect("a"),
        tempfile::tempdir().expect("b"),
    );
    gen_corpus::generate(24, a.path()).expect("generate");
    // Across a second boundary, so a clock time in any file would show.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    gen_corpus::generate(24, b.path()).expect("generate");
    let (fa, fb) = (common::files_under(a.path()), common::files_under(b.path()));
    assert_eq!(fa.len(), fb.len());
    let differ: Vec<&String> = fa.keys().filter(|k| fa.get(*k) != fb.get(*k)).collect();
    assert!(differ.is_empty(), "two runs differ in {differ:?}");
    // All four forms, and a kohyo.toml in every draft.
    for ext in [".txt", ".xlsx", ".html", ".csv"] {
        assert!(fa.keys().any(|k| k.ends_with(ext)), "no {ext} draft");
    }
    assert_eq!(fa.keys().filter(|k| k.ends_with("kohyo.toml")).count(), 24);
}

#[test]
fn codes_are_valid_and_sizes_vary_up_to_ten_times_the_seed() {
    let mut measures = Vec::new();
    for i in 0..1741 {
        let d = gen_corpus::draft(i);
        assert!(
            kohyo::model::check_municipality_code(&d.code).is_ok(),
            "draft {i}: {}",
            d.code
        );
        let n: usize = d
            .goals
            .iter()
            .flat_map(|g| &g.1)
            .map(|dir| dir.2.len())
            .sum();
        measures.push(n);
    }
    let (min, max) = (
        measures.iter().min().copied(),
        measures.iter().max().copied(),
    );
    // The seed has 15 measures.
    assert!(min.is_some_and(|m| m <= 9), "{min:?}");
    assert!(max.is_some_and(|m| (100..=150).contains(&m)), "{max:?}");
    let codes: std::collections::HashSet<String> =
        (0..1741).map(|i| gen_corpus::draft(i).code).collect();
    assert_eq!(codes.len(), 1741, "one code per municipality");
}

#[test]
fn a_draft_of_each_form_builds_cleanly() {
    let root = tempfile::tempdir().expect("root");
    gen_corpus::generate(8, root.path()).expect("generate");
    for d in kohyo::build::drafts_under(&root.path().join("inputs")).expect("drafts") {
        let o = Command::new(common::BIN)
            .arg("check")
            .arg(&d)
            .output()
            .expect("check");
        // Notes are fine (K112: the drafts number their measures ①②… as real ones do).
        let out = String::from_utf8_lossy(&o.stdout);
        let summary = out.lines().last().unwrap_or_default();
        assert!(
            summary.starts_with("エラー 0 件、警告 0 件"),
            "{}: {out}",
            d.display()
        );
        assert_eq!(o.status.code(), Some(0));
    }
    let (_out, dir) = common::build_draft(&root.path().join("inputs/d0001-021008"), &[], &[]);
    assert!(dir.join("manifest.json").is_file());
}

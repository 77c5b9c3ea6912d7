//! Golden test: the seed draft's model, as `kohyo model inputs/tomakomai` prints it, must match
//! the checked-in `tests/golden/tomakomai.model.json` byte for byte.
//!
//! After an intended change to the model, regenerate with
//! `UPDATE_GOLDEN=1 cargo test --test golden` and review the diff before committing.

use std::path::Path;
use std::process::Command;

const GOLDEN: &str = "tests/golden/tomakomai.model.json";

fn model_json(input: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kohyo"))
        .args(["model", input])
        .output()
        .expect("run kohyo");
    assert!(
        out.status.success(),
        "kohyo model {input} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 JSON")
}

#[test]
fn seed_model_matches_the_golden_file() {
    let got = model_json("inputs/tomakomai");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(GOLDEN, &got).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(Path::new(GOLDEN)).expect("golden file");
    if got != want {
        let first = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .map_or(got.lines().count().min(want.lines().count()), |i| i);
        panic!(
            "kohyo model inputs/tomakomai differs from {GOLDEN} at line {}:\n  got:  {:?}\n  want: {:?}\n\
             If the change is intended, run UPDATE_GOLDEN=1 cargo test --test golden and review the diff.",
            first + 1,
            got.lines().nth(first),
            want.lines().nth(first),
        );
    }
}

#[test]
fn golden_model_has_the_seed_counts() {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(GOLDEN).expect("golden file")).expect("JSON");
    assert_eq!(v["title"], "苫小牧市総合戦略（骨子案）");
    assert_eq!(v["stage"], "骨子案");
    assert_eq!(v["municipality"]["code"], "012131");
    let goals = v["goals"].as_array().expect("goals");
    let directions: Vec<_> = goals
        .iter()
        .flat_map(|g| g["directions"].as_array().expect("directions"))
        .collect();
    let measures: Vec<_> = directions
        .iter()
        .flat_map(|d| d["measures"].as_array().expect("measures"))
        .collect();
    let projects: usize = measures
        .iter()
        .map(|m| m["projects"].as_array().expect("projects").len())
        .sum();
    let related: Vec<usize> = v["related"]
        .as_array()
        .expect("related")
        .iter()
        .map(|r| r["projects"].as_array().expect("projects").len())
        .collect();
    assert_eq!(
        (goals.len(), directions.len(), measures.len(), projects),
        (4, 12, 15, 35)
    );
    assert_eq!(related, vec![9, 17, 19, 5]);
    // The seed lists 4-2 and 4-3 twice each; the model merges them with measures in order.
    let codes: Vec<&str> = directions
        .iter()
        .map(|d| d["code"].as_str().expect("code"))
        .collect();
    assert_eq!(
        codes,
        [
            "1-1", "1-2", "1-3", "2-1", "2-2", "2-3", "3-1", "3-2", "3-3", "4-1", "4-2", "4-3"
        ]
    );
}

#[test]
fn golden_merges_the_seeds_split_directions_in_measure_order() {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(GOLDEN).expect("golden file")).expect("JSON");
    let numbers = |code: &str| -> Vec<u64> {
        v["goals"][3]["directions"]
            .as_array()
            .expect("directions")
            .iter()
            .find(|d| d["code"] == code)
            .expect("direction")["measures"]
            .as_array()
            .expect("measures")
            .iter()
            .map(|m| m["number"].as_u64().expect("number"))
            .collect()
    };
    assert_eq!(numbers("4-2"), [12, 14]);
    assert_eq!(numbers("4-3"), [13, 15]);
}

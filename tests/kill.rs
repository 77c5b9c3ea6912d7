//! A build killed with SIGKILL at any moment leaves every draft's output folder complete:
//! either as it was or as the new build made it, never half-written. Each folder's files must
//! match its manifest's hashes exactly.

#[allow(dead_code)]
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

mod common;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Every draft folder under `out` is exactly what its manifest lists.
fn assert_consistent(out: &Path, round: usize) {
    let Ok(entries) = std::fs::read_dir(out) else {
        return; // killed before the first folder was published
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(".kohyo-staging-") {
            continue; // a killed build's staging folder: never read, removed by the next build
        }
        let dir = e.path();
        let files = common::files_under(&dir);
        let manifest: Value = serde_json::from_slice(
            files
                .get("manifest.json")
                .unwrap_or_else(|| panic!("round {round}: {name} has no manifest")),
        )
        .expect("manifest JSON");
        let listed = manifest["artifacts"].as_array().expect("artifacts");
        assert_eq!(
            listed.len(),
            files.len() - 1,
            "round {round}: {name} holds other files than its manifest lists"
        );
        for a in listed {
            let path = a["path"].as_str().expect("path");
            let bytes = files
                .get(path)
                .unwrap_or_else(|| panic!("round {round}: {name}/{path} is missing"));
            assert_eq!(
                a["sha256"].as_str(),
                Some(kohyo::build::sha256_hex(bytes).as_str()),
                "round {round}: {name}/{path} does not match its manifest"
            );
        }
    }
}

#[test]
fn a_build_killed_at_random_moments_leaves_every_folder_old_or_new() {
    // In memory where the machine has /dev/shm: the test deletes and creates tens of
    // thousands of files, which ext4 makes slow when done back to back (see the README).
    let shm = Path::new("/dev/shm");
    let root = if shm.is_dir() {
        tempfile::tempdir_in(shm).expect("root")
    } else {
        tempfile::tempdir().expect("root")
    };
    gen_corpus::generate(24, root.path()).expect("corpus");
    let drafts = kohyo::build::drafts_under(&root.path().join("inputs")).expect("drafts");
    let out = root.path().join("outputs");
    // How long a full build takes here: the kills land anywhere inside it.
    let started = std::time::Instant::now();
    let first = Command::new(common::BIN)
        .current_dir(root.path())
        .args(["build", "-j", "2"])
        .output()
        .expect("build");
    assert!(first.status.success());
    let span = (started.elapsed().as_millis() as u64).max(20);
    let mut rng = gen_corpus::Rng::new(7);
    for round in 0..60 {
        // Change every draft (a new date) so the build really rewrites the folders.
        for d in &drafts {
            let toml = std::fs::read_to_string(d.join("kohyo.toml")).expect("toml");
            let toml = toml.replace(
                &toml
                    .lines()
                    .find(|l| l.starts_with("date = "))
                    .map(str::to_string)
                    .unwrap_or_default(),
                &format!("date = 2026-04-{:02}", round % 28 + 1),
            );
            std::fs::write(d.join("kohyo.toml"), toml).expect("write");
        }
        let mut child = Command::new(common::BIN)
            .current_dir(root.path())
            .args(["build", "-j", "2"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(rng.below(span)));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert_consistent(&out, round);
    }
    // And a build after all that completes, with every folder new and consistent.
    let o = Command::new(common::BIN)
        .current_dir(root.path())
        .arg("build")
        .output()
        .expect("build");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_consistent(&out, 99);
    let names: Vec<String> = std::fs::read_dir(&out)
        .expect("out")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        drafts.len(),
        "no staging folder left: {names:?}"
    );
}

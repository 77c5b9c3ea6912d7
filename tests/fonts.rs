//! The committed fonts are what `fonts/README.md` says they are: `SHA256SUMS` holds, and
//! `fonts/dehint.py` makes them byte for byte from Debian's `fonts-morisawa-bizud-gothic`.
//!
//! The reproduction needs fontTools (`fonts/requirements.txt`, in `.venv/` under `.ci/run`) and
//! the Debian package. Under `CI=true` a missing one fails the test; otherwise the test says
//! what to install and passes.

use std::path::{Path, PathBuf};
use std::process::Command;

const DEBIAN_FONTS: &str = "/usr/share/fonts/truetype/bizud-gothic";

/// `name → sha256` from a `sha256sum` file.
fn sums(file: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(file)
        .expect("sums file")
        .lines()
        .map(|l| {
            let (hash, name) = l.split_once("  ").expect("sha256sum line");
            (name.to_string(), hash.to_string())
        })
        .collect()
}

fn sha256(file: &Path) -> String {
    let o = Command::new("sha256sum")
        .arg(file)
        .output()
        .expect("sha256sum (coreutils)");
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .next()
        .expect("hash")
        .to_string()
}

#[test]
fn committed_fonts_match_their_sums() {
    let listed = sums(Path::new("fonts/SHA256SUMS"));
    assert_eq!(listed.len(), 2);
    for (name, hash) in listed {
        assert_eq!(
            sha256(&Path::new("fonts").join(&name)),
            hash,
            "fonts/{name}"
        );
    }
}

/// A Python with fontTools: the project's `.venv` first, then the system's.
fn python_with_fonttools() -> Option<PathBuf> {
    [PathBuf::from(".venv/bin/python"), PathBuf::from("python3")]
        .into_iter()
        .find(|py| {
            Command::new(py)
                .args(["-c", "import fontTools"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
fn dehint_reproduces_the_committed_fonts_from_debians() {
    let ci = std::env::var("CI").as_deref() == Ok("true");
    let python = python_with_fonttools();
    let debian = Path::new(DEBIAN_FONTS).join("BIZUDGothic-Regular.ttf");
    if python.is_none() || !debian.is_file() {
        let need = "pip install -r fonts/requirements.txt (into .venv) and \
                    apt-get install fonts-morisawa-bizud-gothic";
        assert!(!ci, "cannot check the fonts' provenance: {need}");
        eprintln!("skipping: {need}");
        return;
    }
    let python = python.expect("checked");
    let out = tempfile::tempdir().expect("tempdir");
    let upstream = sums(Path::new("fonts/UPSTREAM.SHA256SUMS"));
    let ours = sums(Path::new("fonts/SHA256SUMS"));
    for (name, hash) in upstream {
        let source = Path::new(DEBIAN_FONTS).join(&name);
        assert_eq!(
            sha256(&source),
            hash,
            "Debian's {name} is not the file the committed font was made from"
        );
        let made = out.path().join(&name);
        let o = Command::new(&python)
            .arg("fonts/dehint.py")
            .arg(&source)
            .arg(&made)
            .output()
            .expect("run dehint.py");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let want = &ours.iter().find(|(n, _)| *n == name).expect("listed").1;
        assert_eq!(
            &sha256(&made),
            want,
            "dehint.py does not reproduce fonts/{name}"
        );
    }
}

//! Build script: a content hash of kohyo's own sources, so `kohyo build` can tell that the
//! program changed even when its version number did not (during development, or a patched
//! build), and rebuild outputs that an older kohyo made.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let mut files = Vec::new();
    for dir in ["src", "fonts"] {
        files_under(Path::new(dir), &mut files);
        println!("cargo:rerun-if-changed={dir}");
    }
    for f in ["Cargo.toml", "Cargo.lock"] {
        files.push(PathBuf::from(f));
        println!("cargo:rerun-if-changed={f}");
    }
    files.sort();
    let mut h = Sha256::new();
    for f in &files {
        h.update(f.to_string_lossy().replace('\\', "/").as_bytes());
        h.update([0]);
        h.update(std::fs::read(f).unwrap_or_default());
        h.update([0]);
    }
    let id: String = h
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    println!("cargo:rustc-env=KOHYO_BUILD_ID={id}");
}

//! No draft folder name, file name or kohyo.toml value makes kohyo write outside `--out`:
//! `..` and absolute paths in `sources`, odd folder names, and symbolic links planted in the
//! output folder (for the draft's folder, its staging folder, and files inside them).

mod common;

use std::path::Path;
use std::process::Command;

fn seed() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/tomakomai/000_ebe3fcc3fed13691.txt"),
    )
    .expect("seed")
}

const TOML: &str = "base_url = \"https://www.city.example.lg.jp/opendata/\"\n\n[municipality]\ncode = \"012131\"\nname = \"苫小牧市\"\nprefecture = \"北海道\"\n\n[publisher]\nname = \"苫小牧市\"\n";

/// A draft folder `name` under `parent` holding the seed and a complete kohyo.toml.
fn draft(parent: &Path, name: &str) -> std::path::PathBuf {
    let d = parent.join(name);
    std::fs::create_dir_all(&d).expect("mkdir");
    std::fs::write(d.join("seed.txt"), seed()).expect("seed");
    std::fs::write(d.join("kohyo.toml"), TOML).expect("toml");
    d
}

fn build(input: &Path, out: &Path) -> std::process::Output {
    let o = Command::new(common::BIN)
        .arg("build")
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .expect("build");
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Every path under `dir`, files and folders, without following links.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            out.push(
                p.strip_prefix(dir)
                    .expect("under")
                    .to_string_lossy()
                    .into_owned(),
            );
            if e.file_type().expect("type").is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn sources_outside_the_draft_folder_are_refused() {
    let root = tempfile::tempdir().expect("root");
    std::fs::write(root.path().join("outside.txt"), seed()).expect("outside");
    let d = draft(root.path(), "d");
    for source in ["../outside.txt", "sub/../../outside.txt", "/etc/hostname"] {
        std::fs::write(
            d.join("kohyo.toml"),
            format!("sources = [\"{source}\"]\n{TOML}"),
        )
        .expect("toml");
        let out = root.path().join("out");
        let o = build(&d, &out);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{source}: {stderr}");
        assert!(stderr.contains("[K012]"), "{source}: {stderr}");
        assert!(!out.join("d").exists(), "{source} was read");
    }
}

#[test]
fn odd_folder_names_stay_inside_the_output_folder() {
    let root = tempfile::tempdir().expect("root");
    let inputs = root.path().join("in");
    // (folder name, where its outputs must go)
    let cases = [
        (".hidden", "hidden"),
        ("..dots", "dots"),
        (".kohyo-staging-x", "kohyo-staging-x"),
        ("back\\slash", "back\\slash"),
        ("new\nline", "new_line"),
        ("戦略 2015", "戦略 2015"),
    ];
    for (name, slug) in cases {
        let d = draft(&inputs, name);
        let out = root.path().join("out");
        let o = build(&d, &out);
        assert!(
            o.status.success(),
            "{name:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            out.join(slug).join("manifest.json").is_file(),
            "{name:?}: {:?}",
            tree(&out)
        );
    }
    // A draft given as `in/p/sub/..` is `in/p`, filed as "draft", never as `out2/..`.
    let out = root.path().join("out2");
    let p = draft(&inputs, "p");
    std::fs::create_dir(p.join("sub")).expect("sub");
    let o = build(&p.join("sub").join(".."), &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        out.join("draft/manifest.json").is_file(),
        "{:?}",
        tree(&out)
    );
    let listing = tree(root.path());
    assert!(
        listing
            .iter()
            .all(|p| p.starts_with("in") || p.starts_with("out")),
        "something written outside in/ and the output folders: {listing:?}"
    );
}

#[cfg(unix)]
#[test]
fn links_planted_in_the_output_folder_are_not_followed() {
    use std::os::unix::fs::symlink;
    let root = tempfile::tempdir().expect("root");
    let d = draft(&root.path().join("in"), "d");
    let out = root.path().join("out");
    let victim = root.path().join("victim");
    std::fs::create_dir(&victim).expect("victim");
    std::fs::write(victim.join("keep.txt"), "keep").expect("keep");
    let before = common::files_under(&victim);

    // The draft's own output folder and its staging folder are links to the victim.
    std::fs::create_dir(&out).expect("out");
    symlink(&victim, out.join("d")).expect("link d");
    symlink(&victim, out.join(".kohyo-staging-d")).expect("link staging");
    let o = build(&d, &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        common::files_under(&victim),
        before,
        "the victim was written"
    );
    let meta = std::fs::symlink_metadata(out.join("d")).expect("d");
    assert!(meta.is_dir(), "out/d is a real folder now");
    assert!(out.join("d/manifest.json").is_file());

    // A file of the outputs replaced by a link to a victim file holding the same bytes: the
    // next build (forced, so every file is written again) neither writes through it nor
    // carries the link over.
    let page = std::fs::read(out.join("d/index.html")).expect("page");
    std::fs::write(victim.join("index.html"), &page).expect("victim page");
    std::fs::remove_file(out.join("d/index.html")).expect("rm");
    symlink(victim.join("index.html"), out.join("d/index.html")).expect("link page");
    let o = Command::new(common::BIN)
        .arg("build")
        .arg(&d)
        .arg("--out")
        .arg(&out)
        .arg("--force")
        .output()
        .expect("build");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read(victim.join("index.html")).expect("victim"),
        page
    );
    let meta = std::fs::symlink_metadata(out.join("d/index.html")).expect("page");
    assert!(meta.file_type().is_file(), "the link was carried over");
    assert_eq!(std::fs::read(out.join("d/index.html")).expect("page"), page);
    let listing = tree(&out);
    assert!(
        listing.iter().all(|p| p == "d" || p.starts_with("d/")),
        "{listing:?}"
    );
}

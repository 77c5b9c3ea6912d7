//! The PDF, end to end: the real binary builds the seed and a synthetic draft long enough for
//! five and more pages, and poppler and qpdf check what a reader, a printer and a screen
//! reader would get.
//!
//! Needs `pdftotext`, `pdffonts`, `pdfinfo` (Debian: poppler-utils) and `qpdf`. Under `CI=true`
//! a missing tool fails the test; otherwise the test says what to install and passes.

use std::path::{Path, PathBuf};
use std::process::Command;
use tempfile::TempDir;

mod common;
use common::pdf::{
    check_pdf_tools, elements, info, info_stderr, qpdf_objects, role, text_of, tools, value,
};
use common::{BIN, assert_in_order, model, squeeze};

/// Build `input` into a fresh output folder and return the PDF's path.
fn build(input: &Path, envs: &[(&str, &str)]) -> (TempDir, PathBuf) {
    let (out, dir) = common::build_draft(input, &[], envs);
    let pdf = dir.join(format!("{}.pdf", common::slug(input)));
    assert!(pdf.is_file(), "no {}", pdf.display());
    (out, pdf)
}

/// The strings of the main table in reading order: goal, direction, measure, projects.
fn reading_order(m: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let s = |v: &serde_json::Value| v.as_str().expect("string").to_string();
    for g in m["goals"].as_array().expect("goals") {
        out.push(format!("基本目標{}", g["number"]));
        out.push(s(&g["title"]));
        for d in g["directions"].as_array().expect("directions") {
            out.push(format!("{}{}", s(&d["code"]), s(&d["title"])));
            for me in d["measures"].as_array().expect("measures") {
                out.push(s(&me["title"]));
                for p in me["projects"].as_array().expect("projects") {
                    let mut t = s(&p["title"]);
                    for f in p["funding"].as_array().expect("funding") {
                        t.push_str(&format!("（{}）", s(f)));
                    }
                    out.push(t);
                }
            }
        }
    }
    out
}

fn pages(pdf: &Path) -> Vec<String> {
    text_of(pdf, false)
        .split('\u{c}')
        .map(str::to_string)
        .filter(|p| !p.trim().is_empty())
        .collect()
}

#[test]
fn seed_pdf_is_tagged_embedded_and_readable_in_order() {
    if !tools() {
        return;
    }
    let input = Path::new("inputs/tomakomai");
    let (_out, pdf) = build(input, &[]);
    check_pdf_tools(&pdf);
    let i = info(&pdf);
    assert!(
        i.contains("Title:           苫小牧市総合戦略（骨子案）"),
        "{i}"
    );
    assert!(
        i.contains("Page size:       841.89 x 595.276 pts (A4)"),
        "{i}"
    );
    // Issue 3's size target: under 120 KB (fonts subset and dehinted, objects packed).
    let size = std::fs::metadata(&pdf).expect("pdf").len();
    assert!(size < 120_000, "the seed's PDF is {size} bytes");
    let m = model(input);
    assert_in_order(&text_of(&pdf, true), &reading_order(&m));
    // The related projects, after the main table, every one of them.
    let raw = squeeze(&text_of(&pdf, true));
    let related_at = raw
        .find("【参考】関連する既存事業")
        .expect("reference heading");
    for r in m["related"].as_array().expect("related") {
        for p in r["projects"].as_array().expect("projects") {
            let t = squeeze(p["title"].as_str().expect("title"));
            assert!(raw[related_at..].contains(&t), "{t}");
        }
    }
    // The header row on every page of each table; the footer's n / N on every page.
    let pages = pages(&pdf);
    let n = pages.len();
    assert!(n >= 2, "{n} pages");
    for (k, page) in pages.iter().enumerate() {
        let flat = squeeze(page);
        assert!(
            flat.contains(&format!("{}/{n}", k + 1)),
            "page {}: no footer",
            k + 1
        );
        assert!(flat.contains("基本目標"), "page {}: no header", k + 1);
        assert!(
            flat.contains("事業例") || flat.contains("関連する事業"),
            "page {}: no header",
            k + 1
        );
    }
}

#[test]
fn no_line_starts_with_closing_punctuation() {
    if !tools() {
        return;
    }
    let input = Path::new("inputs/tomakomai");
    let (_out, pdf) = build(input, &[]);
    // A line may start with ・ only as a list item's bullet.
    let m = model(input);
    let mut items: Vec<String> = Vec::new();
    for g in m["goals"].as_array().expect("goals") {
        for d in g["directions"].as_array().expect("directions") {
            for me in d["measures"].as_array().expect("measures") {
                for p in me["projects"].as_array().expect("projects") {
                    items.push(squeeze(p["title"].as_str().expect("title")));
                }
            }
        }
    }
    for r in m["related"].as_array().expect("related") {
        for p in r["projects"].as_array().expect("projects") {
            items.push(squeeze(p["title"].as_str().expect("title")));
        }
    }
    let mut lines = 0;
    for line in text_of(&pdf, true).lines() {
        let line = squeeze(line);
        let Some(c) = line.chars().next() else {
            continue;
        };
        lines += 1;
        assert!(
            !"。、」）』】ーっゃゅょ".contains(c),
            "line starts with {c}: {line}"
        );
        if let Some(rest) = line.strip_prefix('・') {
            let head: String = rest.chars().take(4).collect();
            assert!(
                items.iter().any(|t| t.starts_with(&head)),
                "line starts with ・ but is no list item: {line}"
            );
        }
    }
    assert!(lines > 100, "{lines} lines");
}

fn long_folder(toml: &str) -> TempDir {
    let dir = TempDir::new().expect("tempdir");
    let draft = dir.path().join("kasoushi");
    std::fs::create_dir(&draft).expect("mkdir");
    std::fs::write(draft.join("draft.txt"), kohyo::synth::long_draft(6)).expect("write");
    std::fs::write(draft.join("kohyo.toml"), toml).expect("write");
    dir
}

const LONG_TOML: &str = "date = 2026-04-01\nbase_url = \"https://www.city.example.lg.jp/opendata/\"\n\n[municipality]\ncode = \"012131\"\nname = \"架空市\"\nprefecture = \"北海道\"\n\n[publisher]\nname = \"架空市\"\n";

#[test]
fn long_draft_crosses_pages_with_continuations() {
    if !tools() {
        return;
    }
    let dir = long_folder(LONG_TOML);
    let input = dir.path().join("kasoushi");
    let (_out, pdf) = build(&input, &[]);
    check_pdf_tools(&pdf);
    let pages = pages(&pdf);
    assert!(pages.len() >= 5, "{} pages", pages.len());
    // Title block: title, municipality, stage and date on page 1.
    let first = squeeze(&pages[0]);
    for s in [
        "架空市まち・ひと・しごと創生総合戦略（素案）",
        "北海道架空市",
        "素案",
        "2026年4月1日",
    ] {
        assert!(first.contains(s), "page 1 lacks {s}");
    }
    // Every page of the main table repeats its header row.
    let main_pages: Vec<&String> = pages
        .iter()
        .filter(|p| squeeze(p).contains("具体的な施策その"))
        .collect();
    assert!(main_pages.len() >= 4, "{}", main_pages.len());
    for p in &main_pages {
        let flat = squeeze(p);
        for h in ["基本目標", "施策の基本的方向", "具体的な施策", "事業例"] {
            assert!(flat.contains(h), "a page lacks header {h}");
        }
    }
    // A goal crosses a page break: the next page says so.
    let continued = pages[1..]
        .iter()
        .filter(|p| squeeze(p).contains("（続き）"))
        .count();
    assert!(continued >= 2, "（続き） on {continued} pages");
    assert!(
        pages[1..]
            .iter()
            .any(|p| squeeze(p).contains("基本目標1（続き）")
                || squeeze(p).contains("基本目標2（続き）")),
        "no goal continued"
    );
    assert!(!squeeze(&pages[0]).contains("（続き）"));
    // Reading order over all pages.
    assert_in_order(&text_of(&pdf, true), &reading_order(&model(&input)));
}

#[test]
fn builds_are_byte_identical_and_honour_source_date_epoch() {
    if !tools() {
        return;
    }
    // No date: the creation time comes from SOURCE_DATE_EPOCH.
    let dir = long_folder(LONG_TOML.trim_start_matches("date = 2026-04-01\n"));
    let input = dir.path().join("kasoushi");
    let (_a, pa) = build(&input, &[("SOURCE_DATE_EPOCH", "1700000000")]);
    let (_b, pb) = build(&input, &[("SOURCE_DATE_EPOCH", "1700000000")]);
    assert_eq!(
        std::fs::read(&pa).expect("a"),
        std::fs::read(&pb).expect("b")
    );
    // 1700000000 is 2023-11-14 (UTC).
    let i = info(&pa);
    assert!(
        i.lines()
            .any(|l| l.starts_with("CreationDate:") && l.contains("Nov 14 22:13:20 2023")),
        "{i}"
    );
    let (_c, pc) = build(Path::new("inputs/tomakomai"), &[]);
    let (_d, pd) = build(Path::new("inputs/tomakomai"), &[]);
    assert_eq!(
        std::fs::read(&pc).expect("c"),
        std::fs::read(&pd).expect("d")
    );
    assert!(
        !info(&pc).contains("CreationDate"),
        "no clock time without a date"
    );
}

#[test]
fn paper_and_orientation_come_from_kohyo_toml() {
    if !tools() {
        return;
    }
    for (pdf_toml, size) in [
        ("[pdf]\npaper = \"A3\"\n", "1190.55 x 841.89 pts (A3)"),
        (
            "[pdf]\norientation = \"portrait\"\n",
            "595.276 x 841.89 pts (A4)",
        ),
    ] {
        let dir = long_folder(&format!("{LONG_TOML}\n{pdf_toml}"));
        let input = dir.path().join("kasoushi");
        let (_out, pdf) = build(&input, &[]);
        let i = info(&pdf);
        assert!(
            i.contains(&format!("Page size:       {size}")),
            "{pdf_toml}: {i}"
        );
        assert_in_order(&text_of(&pdf, true), &reading_order(&model(&input)));
    }
}

#[test]
fn a_character_the_font_lacks_is_a_located_error_and_old_outputs_stay() {
    let dir = TempDir::new().expect("tempdir");
    let draft = dir.path().join("emoji");
    std::fs::create_dir(&draft).expect("mkdir");
    let good = "# 架空市総合戦略（素案）\n\n基本目標\t施策の基本的方向\t具体的な施策\t事業例\nしごと\t1-1 雇用\t(1) 就職\t<ul><li>就業支援</li></ul>\n";
    std::fs::write(draft.join("d.txt"), good).expect("write");
    std::fs::write(draft.join("kohyo.toml"), LONG_TOML).expect("write");
    let out = dir.path().join("out");
    let o = Command::new(BIN)
        .args([
            "build".as_ref(),
            draft.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
        .output()
        .expect("kohyo");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = out.join("emoji/emoji.pdf");
    let before = std::fs::read(&pdf).expect("pdf");

    std::fs::write(
        draft.join("d.txt"),
        good.replace("就業支援", "就業支援\u{1F600}"),
    )
    .expect("write");
    let o = Command::new(BIN)
        .args([
            "build".as_ref(),
            draft.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
        .output()
        .expect("kohyo");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("K201") && stderr.contains("U+1F600"),
        "{stderr}"
    );
    assert!(stderr.contains("d.txt:4:"), "located: {stderr}");
    assert_eq!(
        std::fs::read(&pdf).expect("pdf"),
        before,
        "the old PDF is untouched"
    );

    // `check` finds it too, before any build.
    let o = Command::new(BIN)
        .args([
            "check".as_ref(),
            draft.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
        .output()
        .expect("kohyo");
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let text = v.to_string();
    assert!(text.contains("K201"), "{text}");
}

#[test]
fn committed_outputs_are_current() {
    // outputs/tomakomai/ is what `cargo run --release -- build` makes from inputs/; a change to
    // kohyo or the draft that changes any of it must come with the regenerated files.
    let (out, _pdf) = build(Path::new("inputs/tomakomai"), &[]);
    let fresh_dir = out.path().join("tomakomai");
    let committed_dir = Path::new("outputs/tomakomai");
    let (fresh, committed) = (files_under(&fresh_dir), files_under(committed_dir));
    assert_eq!(
        fresh, committed,
        "outputs/tomakomai holds other files than a build makes: run `cargo run --release -- build`"
    );
    assert!(fresh.len() >= 10, "{fresh:?}");
    for name in fresh {
        let a = std::fs::read(fresh_dir.join(&name)).expect("fresh");
        let b = std::fs::read(committed_dir.join(&name)).expect("committed");
        assert!(
            a == b,
            "outputs/tomakomai/{name} is stale: run `cargo run --release -- build` and commit it"
        );
    }
}

/// The files under `dir`, as sorted relative paths.
fn files_under(dir: &Path) -> Vec<String> {
    common::files_under(dir).into_keys().collect()
}

#[test]
fn structure_tree_links_headers_to_cells_and_the_outline_names_each_goal() {
    if !tools() {
        return;
    }
    let input = Path::new("inputs/tomakomai");
    let (_out, pdf) = build(input, &[]);
    let m = model(input);
    let objects = qpdf_objects(&pdf, false);
    let catalog = objects
        .keys()
        .map(|k| value(&objects, k.trim_start_matches("obj:")))
        .find(|v| v["/Type"] == "/Catalog")
        .expect("a catalog");
    assert_eq!(catalog["/Lang"], "u:ja-JP");
    assert_eq!(catalog["/ViewerPreferences"]["/DisplayDocTitle"], true);
    assert_eq!(catalog["/MarkInfo"]["/Marked"], true);
    assert!(catalog["/Metadata"].is_string(), "XMP metadata");

    // Document → H1, P (the subtitle), H2, Table, H2, Table.
    let root = value(&objects, catalog["/StructTreeRoot"].as_str().expect("tree"));
    let doc_ref = root["/K"][0].as_str().expect("Document");
    let doc = value(&objects, doc_ref);
    assert_eq!(role(doc), "/Document");
    let top: Vec<&str> = doc["/K"]
        .as_array()
        .expect("kids")
        .iter()
        .map(|k| role(value(&objects, k.as_str().expect("element"))))
        .collect();
    assert_eq!(top, ["/H1", "/P", "/H2", "/Table", "/H2", "/Table"]);
    let tables: Vec<Vec<&serde_json::Value>> = doc["/K"]
        .as_array()
        .expect("kids")
        .iter()
        .filter_map(|k| k.as_str())
        .filter(|k| role(value(&objects, k)) == "/Table")
        .map(|k| {
            let mut all = Vec::new();
            elements(&objects, k, &mut all);
            all
        })
        .collect();

    // The IDTree names every header cell; every Headers entry names a TH.
    let ids = root["/IDTree"]["/Names"].as_array().expect("IDTree names");
    let th_of = |id: &str| -> &serde_json::Value {
        let at = ids.iter().position(|v| v == id).expect("id in IDTree");
        value(&objects, ids[at + 1].as_str().expect("ref"))
    };
    let goals = m["goals"].as_array().expect("goals");
    let directions: usize = goals
        .iter()
        .map(|g| g["directions"].as_array().expect("dirs").len())
        .sum();
    let measures: usize = goals
        .iter()
        .flat_map(|g| g["directions"].as_array().expect("dirs"))
        .map(|d| d["measures"].as_array().expect("measures").len())
        .sum();
    let projects: usize = goals
        .iter()
        .flat_map(|g| g["directions"].as_array().expect("dirs"))
        .flat_map(|d| d["measures"].as_array().expect("measures"))
        .map(|me| me["projects"].as_array().expect("projects").len())
        .sum();
    let related: usize = m["related"]
        .as_array()
        .expect("related")
        .iter()
        .map(|r| r["projects"].as_array().expect("projects").len())
        .sum();

    let main = &tables[0];
    let id_of = |e: &serde_json::Value| e["/ID"].as_str().unwrap_or("").to_string();
    let goal_ths: Vec<_> = main
        .iter()
        .filter(|e| id_of(e).starts_with("u:Ugoal-"))
        .collect();
    let dir_ths: Vec<_> = main
        .iter()
        .filter(|e| id_of(e).starts_with("u:Udir-"))
        .collect();
    assert_eq!(goal_ths.len(), goals.len());
    assert_eq!(dir_ths.len(), directions);
    assert!(goal_ths.iter().chain(&dir_ths).all(|e| role(e) == "/TH"));
    // Goal cells span their rows: the spans add up to the body's rows, one per measure.
    let body_rows = main.iter().filter(|e| role(e) == "/TR").count() - 1;
    assert_eq!(body_rows, measures);
    let spans: i64 = goal_ths
        .iter()
        .map(|e| e["/A"][0]["/RowSpan"].as_i64().unwrap_or(1))
        .sum();
    assert_eq!(spans as usize, measures);
    // Every data cell names its column, its goal and its direction, and each name is a TH.
    let tds: Vec<_> = main.iter().filter(|e| role(e) == "/TD").collect();
    assert_eq!(
        tds.len(),
        2 * measures,
        "a measure cell and a projects cell per row"
    );
    for td in &tds {
        let headers: Vec<&str> = td["/A"][0]["/Headers"]
            .as_array()
            .expect("Headers on every TD")
            .iter()
            .map(|h| h.as_str().expect("id"))
            .collect();
        assert!(
            headers.iter().any(|h| h.starts_with("u:Ucol-")),
            "{headers:?}"
        );
        assert!(
            headers.iter().any(|h| h.starts_with("u:Ugoal-")),
            "{headers:?}"
        );
        assert!(
            headers.iter().any(|h| h.starts_with("u:Udir-")),
            "{headers:?}"
        );
        for h in headers {
            assert_eq!(role(th_of(h)), "/TH", "{h}");
        }
    }
    // Projects are list items with a label and a body: one per project, one per related one.
    for (table, want) in [(&tables[0], projects), (&tables[1], related)] {
        let items: Vec<_> = table.iter().filter(|e| role(e) == "/LI").collect();
        assert_eq!(items.len(), want);
        for li in items {
            let kids: Vec<&str> = li["/K"]
                .as_array()
                .expect("LI kids")
                .iter()
                .map(|k| role(value(&objects, k.as_str().expect("element"))))
                .collect();
            assert_eq!(kids, ["/Lbl", "/LBody"]);
        }
    }

    // The outline: one entry per goal, then the reference section, each opening a page.
    let mut titles = Vec::new();
    let mut item = value(&objects, catalog["/Outlines"].as_str().expect("outline"))["/First"]
        .as_str()
        .map(str::to_string);
    while let Some(r) = item {
        let entry = value(&objects, &r);
        titles.push(entry["/Title"].as_str().expect("title").to_string());
        let dest = &entry["/Dest"];
        let dest = match dest.as_str() {
            Some(r) => value(&objects, r),
            None => dest,
        };
        let page = dest[0].as_str().expect("a page reference");
        assert_eq!(value(&objects, page)["/Type"], "/Page");
        item = entry["/Next"].as_str().map(str::to_string);
    }
    let mut want: Vec<String> = goals
        .iter()
        .map(|g| {
            format!(
                "u:基本目標{} {}",
                g["number"],
                g["title"].as_str().expect("title")
            )
        })
        .collect();
    want.push("u:【参考】関連する既存事業".to_string());
    assert_eq!(titles, want);
}

#[test]
fn packing_into_object_streams_keeps_every_object() {
    if !tools() {
        return;
    }
    // The same document written plainly (each object on its own, krilla's file as is) and
    // packed (dictionaries in compressed object streams): qpdf must read the same objects,
    // streams decoded, from both.
    let strategy = kohyo::read_draft(Path::new("inputs/tomakomai"))
        .strategy
        .expect("the seed's model");
    let dir = TempDir::new().expect("tempdir");
    let mut settings = kohyo::write::pdf::PdfSettings::default();
    let packed = kohyo::write::pdf::write(&strategy, &settings).expect("packed PDF");
    settings.unpacked = true;
    let plain = kohyo::write::pdf::write(&strategy, &settings).expect("plain PDF");
    assert!(
        packed.len() * 10 < plain.len() * 8,
        "packing saves at least a fifth: {} → {} bytes",
        plain.len(),
        packed.len()
    );
    let (pp, up) = (dir.path().join("packed.pdf"), dir.path().join("plain.pdf"));
    std::fs::write(&pp, &packed).expect("write");
    std::fs::write(&up, &plain).expect("write");
    let (p, u) = (qpdf_objects(&pp, true), qpdf_objects(&up, true));
    for (key, plain_obj) in &u {
        if key == "trailer" {
            // The cross-reference stream's dictionary carries the trailer's entries.
            assert!(plain_obj["value"]["/Root"].is_string(), "{plain_obj}");
            for entry in ["/Root", "/Info", "/ID"] {
                assert_eq!(p[key]["value"][entry], plain_obj["value"][entry], "{entry}");
            }
            continue;
        }
        assert_eq!(p.get(key), Some(plain_obj), "{key} differs after packing");
    }
    let extra: Vec<&str> = p
        .keys()
        .filter(|k| !u.contains_key(*k) && *k != "trailer")
        .map(|k| p[k]["stream"]["dict"]["/Type"].as_str().unwrap_or("?"))
        .collect();
    assert!(
        !extra.is_empty() && extra.iter().all(|t| *t == "/ObjStm" || *t == "/XRef"),
        "{extra:?}"
    );
    assert!(extra.contains(&"/ObjStm"));
    check_pdf_tools(&pp);
}

/// The seed's model and one in which every measure and project is reworded, as model.json
/// files under `root`: two versions for a 新旧対照表 of several pages, its cells wrapped.
fn two_versions(root: &Path) -> (PathBuf, PathBuf) {
    let old = model(Path::new("inputs/tomakomai"));
    let mut new = old.clone();
    for g in new["goals"].as_array_mut().expect("goals") {
        for d in g["directions"].as_array_mut().expect("directions") {
            for m in d["measures"].as_array_mut().expect("measures") {
                let title = m["title"].as_str().expect("title");
                m["title"] = format!("{title}の拡充と見直し").into();
                for p in m["projects"].as_array_mut().expect("projects") {
                    let title = p["title"].as_str().expect("title");
                    p["title"] = format!("地域の{title}").into();
                }
            }
        }
    }
    let (old_path, new_path) = (root.join("old.json"), root.join("new.json"));
    std::fs::write(&old_path, old.to_string()).expect("old");
    std::fs::write(&new_path, new.to_string()).expect("new");
    (old_path, new_path)
}

/// `kohyo diff OLD NEW --out DIR` of [`two_versions`]; the PDF's path.
fn shinkyu_pdf(root: &Path) -> PathBuf {
    let (old_path, new_path) = two_versions(root);
    let out = root.join("diff");
    let o = Command::new(BIN)
        .arg("diff")
        .arg(&old_path)
        .arg(&new_path)
        .arg("--out")
        .arg(&out)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("kohyo diff");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = out.join("shinkyu_taishohyo.pdf");
    assert!(pdf.is_file(), "no {}", pdf.display());
    pdf
}

/// The PDFs directly in `dir`.
fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    common::files_with_extension(dir, "pdf")
}

#[test]
fn pdfinfo_prints_nothing_on_stderr_for_any_pdf_kohyo_writes() {
    if !tools() {
        return;
    }
    // poppler 22.12 took krilla's `/Suspects false` for a syntax error (issue 17).
    let root = TempDir::new().expect("tempdir");
    let long = long_folder(LONG_TOML);
    let (_seed, seed_dir) = common::build_draft(Path::new("inputs/tomakomai"), &[], &[]);
    let (_long, long_dir) = common::build_draft(&long.path().join("kasoushi"), &[], &[]);
    let mut all = pdfs_in(&seed_dir);
    all.extend(pdfs_in(&long_dir));
    all.push(shinkyu_pdf(root.path()));
    // The plain file too (packing off), which no build writes but `PdfSettings` can.
    let strategy = kohyo::read_draft(Path::new("inputs/tomakomai"))
        .strategy
        .expect("the seed's model");
    let settings = kohyo::write::pdf::PdfSettings {
        unpacked: true,
        ..Default::default()
    };
    let plain = root.path().join("plain.pdf");
    std::fs::write(
        &plain,
        kohyo::write::pdf::write(&strategy, &settings).expect("plain PDF"),
    )
    .expect("write");
    all.push(plain);
    assert_eq!(all.len(), 4, "{all:?}");
    for pdf in &all {
        let stderr = info_stderr(pdf);
        assert!(stderr.is_empty(), "pdfinfo {}: {stderr}", pdf.display());
        check_pdf_tools(pdf);
        // Still tagged: /MarkInfo says /Marked true, and no /Suspects is left.
        let objects = qpdf_objects(pdf, false);
        let catalog = objects
            .keys()
            .map(|k| value(&objects, k.trim_start_matches("obj:")))
            .find(|v| v["/Type"] == "/Catalog")
            .expect("a catalog");
        assert_eq!(catalog["/MarkInfo"]["/Marked"], true, "{}", pdf.display());
        assert!(
            catalog["/MarkInfo"].get("/Suspects").is_none(),
            "{}: {}",
            pdf.display(),
            catalog["/MarkInfo"]
        );
    }
}

/// The multi-line paragraphs whose last line is a lone character (at most one grapheme, its
/// closing punctuation aside; or, checked apart from kohyo's own rule, one character).
fn lone_last_lines(paragraphs: &[kohyo::write::pdf::CellParagraph]) -> Vec<String> {
    paragraphs
        .iter()
        .filter(|p| p.lines.len() >= 2)
        .filter(|p| {
            let last = p.lines.last().map_or("", String::as_str);
            kohyo::write::pdf::text::is_lone(last) || last.chars().count() < 2
        })
        .map(|p| format!("{:?}: {}", p.target, p.lines.join("／")))
        .collect()
}

#[test]
fn no_table_cell_ends_with_a_lone_character() {
    // The lines as the PDF writers lay them out (the same function draws them).
    let long = long_folder(LONG_TOML);
    let mut multi = 0;
    for input in [Path::new("inputs/tomakomai"), &long.path().join("kasoushi")] {
        let outcome = kohyo::read_draft(input);
        let layout = outcome.meta.as_ref().map(|m| m.pdf).unwrap_or_default();
        let s = outcome.strategy.expect("a model");
        let paragraphs = kohyo::write::pdf::table_paragraphs(
            &s,
            &kohyo::write::pdf::PdfSettings::new(layout, &s),
        );
        let lone = lone_last_lines(&paragraphs);
        assert!(lone.is_empty(), "{}: {lone:#?}", input.display());
        multi += paragraphs.iter().filter(|p| p.lines.len() >= 2).count();
        if input.ends_with("tomakomai") {
            // The seed's 「起業促／進」 and 「体験学習の推／進」 of issue 17.
            for (text, lone) in [("起業促進", "進"), ("体験学習の推進", "進")] {
                let p = paragraphs
                    .iter()
                    .find(|p| p.lines.len() >= 2 && p.lines.concat().ends_with(text))
                    .unwrap_or_else(|| panic!("no wrapped cell ends with {text}"));
                assert_ne!(p.lines.last().map(String::as_str), Some(lone), "{p:?}");
            }
        }
    }
    // The 新旧対照表 lays its cells out with the same breaker.
    let root = TempDir::new().expect("tempdir");
    let (old, new) = two_versions(root.path());
    let versions: Vec<_> = [old, new]
        .iter()
        .map(|p| kohyo::draft::read_version(p).strategy.expect("a version"))
        .collect();
    let cmp = kohyo::compare::compare(&versions[0], &versions[1]);
    let settings = kohyo::write::pdf::PdfSettings::default();
    let paragraphs = kohyo::write::shinkyu::pdf::table_paragraphs(&cmp, &settings);
    assert!(paragraphs.len() > 100, "{}", paragraphs.len());
    let lone = lone_last_lines(&paragraphs);
    assert!(lone.is_empty(), "新旧対照表: {lone:#?}");
    multi += paragraphs.iter().filter(|p| p.lines.len() >= 2).count();
    assert!(multi > 100, "only {multi} wrapped paragraphs");
}

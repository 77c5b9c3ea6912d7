//! `kohyo diff`: the seed against an edited copy that rewords a measure, moves a project to
//! another measure, adds a measure, renames a goal, deletes a related project and corrects the
//! seed's 4-2 / 4-3 misplacement. Each change must come out with the right type, level and
//! place, and nothing unchanged may be listed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn seed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/tomakomai")
}

/// Replace `from` (which must occur exactly `n` times) with `to`.
fn edit(text: &str, from: &str, to: &str, n: usize) -> String {
    assert_eq!(text.matches(from).count(), n, "{from}");
    text.replace(from, to)
}

/// The seed with the six edits, as a draft folder under `root`.
fn edited_draft(root: &Path) -> PathBuf {
    let seed = std::fs::read_to_string(seed_dir().join("000_ebe3fcc3fed13691.txt")).expect("seed");
    // Reword a measure; rename goal 2 (in both tables); delete a related project; move a
    // project from ⑤ to ⑥.
    let mut s = edit(&seed, "①若者の市内就職の促進", "①若者の地元就職の促進", 1);
    s = edit(
        &s,
        "女性が子育てしながら仕事を続けられる社会環境の整備",
        "女性が子育てしながら働き続けられる社会環境の整備",
        2,
    );
    s = edit(&s, "<li>✓ 女性人材バンクの設置</li> ", "", 1);
    s = edit(
        &s,
        " <li>苫小牧市民ファミリーサポート・センター事業</li>",
        "",
        1,
    );
    let temp = "<li>一時保育事業（保育園等における児童の一時預かり等）</li>";
    s = edit(
        &s,
        temp,
        &format!("{temp} <li>苫小牧市民ファミリーサポート・センター事業</li>"),
        1,
    );
    let mut lines: Vec<String> = s.split('\n').map(str::to_string).collect();
    let find = |lines: &[String], needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle}"))
    };
    // The misplacement: ⑫ belongs to 3-3 (とまごころの普及), ⑬ to 4-1 (進出企業へのサポート).
    let row12 = lines.remove(find(&lines, "⑫郷土の魅力を伝える活動の推進"));
    let cells: Vec<&str> = row12.split('\t').collect();
    let moved = format!("\t\t{}", cells[2..].join("\t"));
    let at = find(&lines, "⑩とまこまいライフスタイルの確立");
    lines.insert(at + 1, moved);
    let at = find(&lines, "⑬進出企業とのマッチング機能の強化");
    lines[at] = edit(
        &lines[at],
        "<p>4-3 地域間連携（広域観光）の促進</p>",
        "<p>4-1 進出企業へのサポート機能の強化</p>",
        1,
    );
    // Add a measure under 2-3.
    let at = find(&lines, "⑦苫小牧の自然をフィールドとした体験学習の推進");
    lines.insert(
        at + 1,
        "\t\t<p>⑯子どもの読書活動の推進</p>\t<ul style=\"list-style-type: none\"> <li>ブックスタート事業</li> </ul>".to_string(),
    );
    let dir = root.join("edited");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("draft.txt"), lines.join("\n")).expect("draft");
    let toml = std::fs::read_to_string(seed_dir().join("kohyo.toml")).expect("toml");
    std::fs::write(
        dir.join("kohyo.toml"),
        toml.replace("000_ebe3fcc3fed13691.txt", "draft.txt"),
    )
    .expect("toml");
    dir
}

use common::diff_csv;

/// `kohyo diff OLD NEW ARGS…` (KOHYO_LANG unset): it must succeed; its stdout and stderr.
fn diff_run(old: &Path, new: &Path, args: &[&str]) -> (String, String) {
    let o = Command::new(common::BIN)
        .arg("diff")
        .arg(old)
        .arg(new)
        .args(args)
        .env_remove("KOHYO_LANG")
        .output()
        .expect("diff");
    let stderr = String::from_utf8(o.stderr).expect("UTF-8");
    assert!(o.status.success(), "{stderr}");
    (String::from_utf8(o.stdout).expect("UTF-8"), stderr)
}

/// The rows without their ID column (IDs depend on what was published before).
fn without_ids(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            r.iter()
                .enumerate()
                .filter(|(i, _)| *i != 1)
                .map(|(_, c)| c.clone())
                .collect()
        })
        .collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[test]
fn every_edit_comes_out_with_its_type_and_place_and_nothing_else() {
    let root = tempfile::tempdir().expect("root");
    let edited = edited_draft(root.path());
    let expected = vec![
        row(&["種別", "ID", "階層", "位置", "旧の位置", "旧", "新"]),
        row(&[
            "変更",
            "P1-1-1",
            "具体的な施策",
            "基本目標1 ＞ 1-1 ＞ ①",
            "",
            "若者の市内就職の促進",
            "若者の地元就職の促進",
        ]),
        row(&[
            "変更",
            "P2",
            "基本目標",
            "基本目標2",
            "",
            "女性が子育てしながら仕事を続けられる社会環境の整備",
            "女性が子育てしながら働き続けられる社会環境の整備",
        ]),
        row(&[
            "移動",
            "P2-2-6-2",
            "事業例",
            "基本目標2 ＞ 2-2 ＞ ⑥",
            "基本目標2 ＞ 2-2 ＞ ⑤",
            "苫小牧市民ファミリーサポート・センター事業",
            "苫小牧市民ファミリーサポート・センター事業",
        ]),
        row(&[
            "追加",
            "P2-3-16",
            "具体的な施策",
            "基本目標2 ＞ 2-3 ＞ ⑯",
            "",
            "",
            "子どもの読書活動の推進",
        ]),
        row(&[
            "追加",
            "P2-3-16-1",
            "事業例",
            "基本目標2 ＞ 2-3 ＞ ⑯",
            "",
            "",
            "ブックスタート事業",
        ]),
        row(&[
            "削除",
            "K2-2",
            "関連する既存事業",
            "基本目標2 ＞ 関連する既存事業",
            "",
            "女性人材バンクの設置",
            "",
        ]),
        row(&[
            "移動",
            "P3-3-12",
            "具体的な施策",
            "基本目標3 ＞ 3-3 ＞ ⑫",
            "基本目標4 ＞ 4-2 ＞ ⑫",
            "郷土の魅力を伝える活動の推進",
            "郷土の魅力を伝える活動の推進",
        ]),
        row(&[
            "移動",
            "P4-1-13",
            "具体的な施策",
            "基本目標4 ＞ 4-1 ＞ ⑬",
            "基本目標4 ＞ 4-3 ＞ ⑬",
            "進出企業とのマッチング機能の強化",
            "進出企業とのマッチング機能の強化",
        ]),
    ];
    assert_eq!(diff_csv(&seed_dir(), &edited), expected);

    // The same from the model.json of the seed's build as the old version.
    let model = seed_dir()
        .parent()
        .and_then(Path::parent)
        .map(|p| p.join("outputs/tomakomai/model.json"))
        .expect("outputs");
    assert_eq!(diff_csv(&model, &edited), expected);
}

#[test]
fn the_printed_table_marks_insertions_and_deletions_and_counts_the_unchanged() {
    let root = tempfile::tempdir().expect("root");
    let edited = edited_draft(root.path());
    let (text, _) = diff_run(&seed_dir(), &edited, &[]);
    for line in [
        "基本目標1 地元企業と学生と“つながり”を強化し、地元雇用拡大を実現: 変更 1 件、変更なし 22 件",
        "    旧: 若者の［-市内-］就職の促進",
        "    新: 若者の［+地元+］就職の促進",
        "  [移動] 具体的な施策　基本目標3 ＞ 3-3 ＞ ⑫",
        "    旧の位置: 基本目標4 ＞ 4-2 ＞ ⑫",
    ] {
        assert!(text.lines().any(|l| l == line), "{line:?} missing:\n{text}");
    }
    // 116 items in the seed; 8 rows; the rest unchanged.
    let counts: usize = text
        .lines()
        .filter_map(|l| l.split("変更なし ").nth(1))
        .filter_map(|t| t.trim_end_matches(" 件").parse::<usize>().ok())
        .sum();
    assert_eq!(counts, 22 + 32 + 37 + 19);
}

/// True for kana, kanji and the full-width punctuation Japanese text uses.
fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' // 、。「」（ ideographic space and punctuation
        | '\u{3040}'..='\u{30FF}' // hiragana, katakana
        | '\u{3400}'..='\u{9FFF}' // kanji
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF01}'..='\u{FF60}' // full-width forms: ＞ （ ）
    )
}

#[test]
fn diff_in_english_writes_no_japanese_of_its_own() {
    let root = tempfile::tempdir().expect("root");
    let edited = edited_draft(root.path());
    let (stdout, stderr) = diff_run(&seed_dir(), &edited, &["--lang", "en"]);
    for line in [
        "  [changed] measure  goal 1 > 1-1 > ①",
        "  [moved] measure  goal 3 > 3-3 > ⑫",
        "    was at: goal 4 > 4-2 > ⑫",
        "    old: 若者の［-市内-］就職の促進",
        "    new: 若者の［+地元+］就職の促進",
    ] {
        assert!(
            stdout.lines().any(|l| l == line),
            "{line:?} missing:\n{stdout}"
        );
    }
    assert!(stdout.contains(": 1 change, 22 unchanged\n"), "{stdout}");
    // What kohyo itself writes, with the draft's own text taken out: the titles (of the
    // strategy and of every goal) and the old and new text of each change.
    let model = common::model(&seed_dir());
    let edited_model = common::model(&edited);
    let mut draft_text: Vec<String> = Vec::new();
    for m in [&model, &edited_model] {
        draft_text.extend(m["title"].as_str().map(str::to_owned));
        for g in m["goals"].as_array().expect("goals") {
            draft_text.extend(g["title"].as_str().map(str::to_owned));
        }
    }
    draft_text.sort_by_key(|t| std::cmp::Reverse(t.len()));
    let mut own = String::new();
    for line in stdout.lines().chain(stderr.lines()) {
        let line = if line.starts_with("    old: ") || line.starts_with("    new: ") {
            &line[..9]
        } else {
            line
        };
        let mut line = line.to_owned();
        for t in &draft_text {
            line = line.replace(t.as_str(), "");
        }
        own.push_str(&line);
        own.push('\n');
    }
    let japanese: String = own.chars().filter(|c| is_japanese(*c)).collect();
    assert!(
        japanese.is_empty(),
        "kohyo's own words in Japanese: {japanese:?}\n{own}"
    );
    // Writing the files: what kohyo says on stderr is English too.
    let out = tempfile::tempdir().expect("out");
    let out_arg = out.path().to_str().expect("UTF-8 path");
    let (_, said) = diff_run(&seed_dir(), &edited, &["--lang", "en", "--out", out_arg]);
    assert!(
        said.ends_with(
            "kohyo: 8 changes (2 added, 1 removed, 2 changed, 3 moved), 110 unchanged\n"
        ),
        "{said}"
    );
    assert_eq!(
        said.chars().filter(|c| is_japanese(*c)).count(),
        0,
        "{said}"
    );
    // Mutation check: the Japanese rendering does write its own words in Japanese.
    let (ja, _) = diff_run(&seed_dir(), &edited, &[]);
    assert!(
        ja.contains("  [変更] 具体的な施策　基本目標1 ＞ 1-1 ＞ ①"),
        "{ja}"
    );
}

#[test]
fn versions_with_the_same_title_are_named_by_date_or_by_file() {
    let root = tempfile::tempdir().expect("root");
    let edited = edited_draft(root.path());
    let heading = |old: &Path, new: &Path| -> Vec<String> {
        let out = tempfile::tempdir().expect("out");
        diff_pdf(old, new, out.path());
        let page =
            std::fs::read_to_string(out.path().join("shinkyu_taishohyo.html")).expect("page");
        let doc = scraper::Html::parse_document(&page);
        let dd = scraper::Selector::parse("dl.facts dd").expect("selector");
        let names: Vec<String> = doc.select(&dd).map(|e| e.text().collect()).collect();
        if !common::pdf::have("pdftotext", "poppler-utils") {
            return names;
        }
        let pdf = common::pdf::text_of(&out.path().join("shinkyu_taishohyo.pdf"), true);
        for n in &names {
            assert!(
                common::squeeze(&pdf).contains(&common::squeeze(n)),
                "{n} not in the PDF"
            );
        }
        names
    };
    // Same title, same date: by folder name.
    assert_eq!(
        heading(&seed_dir(), &edited),
        [
            "苫小牧市総合戦略（骨子案）（tomakomai）",
            "苫小牧市総合戦略（骨子案）（edited）"
        ]
    );
    // Same title, other dates: by date.
    let dated = |dir: &Path, date: &str| {
        let toml = dir.join("kohyo.toml");
        let text = std::fs::read_to_string(&toml).expect("toml");
        std::fs::write(&toml, format!("date = {date}\n{text}")).expect("toml");
    };
    let old = root.path().join("tomakomai");
    std::fs::create_dir_all(&old).expect("mkdir");
    for f in ["000_ebe3fcc3fed13691.txt", "kohyo.toml"] {
        std::fs::copy(seed_dir().join(f), old.join(f)).expect("copy");
    }
    dated(&old, "2015-08-31");
    dated(&edited, "2016-03-31");
    assert_eq!(
        heading(&old, &edited),
        [
            "苫小牧市総合戦略（骨子案）（2015年8月31日）",
            "苫小牧市総合戦略（骨子案）（2016年3月31日）"
        ]
    );
}

#[test]
fn a_version_against_itself_lists_nothing() {
    let rows = diff_csv(&seed_dir(), &seed_dir());
    assert_eq!(rows.len(), 1, "the header only: {rows:?}");
}

#[test]
fn a_broken_model_json_is_a_located_error() {
    let root = tempfile::tempdir().expect("root");
    let bad = root.path().join("model.json");
    std::fs::write(&bad, "{\n  \"title\": \"x\",\n  \"goals\": [1]\n}\n").expect("write");
    let o = Command::new(common::BIN)
        .args(["diff", "--lang", "en"])
        .arg(&bad)
        .arg(seed_dir())
        .output()
        .expect("diff");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[K005]"), "{stderr}");
    assert!(stderr.contains("model.json:3:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_html_table_marks_changes_in_words_and_passes_the_checkers() {
    use scraper::{Html, Selector};
    let root = tempfile::tempdir().expect("root");
    let edited = edited_draft(root.path());
    let out = root.path().join("out");
    let o = Command::new(common::BIN)
        .arg("diff")
        .arg(seed_dir())
        .arg(&edited)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("diff");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let page_path = out.join("shinkyu_taishohyo.html");
    let page = std::fs::read_to_string(&page_path).expect("page");
    let doc = Html::parse_document(&page);
    let sel = |s: &str| Selector::parse(s).expect("selector");
    let text = |e: scraper::ElementRef| e.text().collect::<String>();

    // One table per goal with changes; a row per change, its header naming kind and place.
    let rows: Vec<String> = doc
        .select(&sel("table.shinkyu tbody th[scope=row]"))
        .map(text)
        .collect();
    assert_eq!(rows.len(), 8, "{rows:#?}");
    assert_eq!(rows[0], "変更（具体的な施策）基本目標1 ＞ 1-1 ＞ ①");
    assert_eq!(
        rows[6],
        "移動（具体的な施策）旧：基本目標4 ＞ 4-2 ＞ ⑫新：基本目標3 ＞ 3-3 ＞ ⑫"
    );
    let heads: Vec<String> = doc
        .select(&sel("table.shinkyu thead th"))
        .map(text)
        .take(3)
        .collect();
    assert_eq!(heads, ["種別と位置", "旧", "新"]);
    // The page links its PDF and CSV, written beside it, with their sizes.
    let links: Vec<(String, String)> = doc
        .select(&sel("ul.downloads a"))
        .map(|a| (a.attr("href").unwrap_or("").to_string(), text(a)))
        .collect();
    assert_eq!(links.len(), 2, "{links:?}");
    for ((href, label), (file, format)) in links.iter().zip([
        ("shinkyu_taishohyo.pdf", "PDF"),
        ("shinkyu_taishohyo.csv", "CSV"),
    ]) {
        assert_eq!(href, file);
        let kb = std::fs::metadata(out.join(file))
            .expect("file")
            .len()
            .div_ceil(1024);
        assert!(label.ends_with(&format!("{format}（{kb}KB）")), "{label}");
    }
    // Deleted and inserted characters: struck and underlined, and said in words.
    let del: Vec<String> = doc.select(&sel("td del")).map(text).collect();
    let ins: Vec<String> = doc.select(&sel("td ins")).map(text).collect();
    assert!(del.contains(&"［削除：市内］".to_string()), "{del:?}");
    assert!(ins.contains(&"［追加：地元］".to_string()), "{ins:?}");
    assert!(
        ins.contains(&"［追加：子どもの読書活動の推進］".to_string()),
        "{ins:?}"
    );
    // Unchanged items are counted, not listed.
    assert!(
        page.contains("変更のない 110 項目は載せていません"),
        "{page}"
    );
    assert!(
        !page.contains("一時保育事業（保育園等における児童の一時預かり等）"),
        "an unchanged project was listed"
    );

    if !common::web::checkers() {
        return;
    }
    let messages = common::web::vnu(&page_path);
    assert!(messages.is_empty(), "vnu: {messages:#?}");
    let report = common::web::browser_checks(&page_path);
    common::web::assert_browser_clean(&report);
    let print = &report["print"];
    assert_eq!(print["thead"], "table-header-group", "{print}");
    assert_eq!(print["tr"], "avoid", "{print}");
}

#[test]
fn build_keeps_the_previous_model_and_publishes_the_table_against_it() {
    let root = tempfile::tempdir().expect("root");
    let draft = root.path().join("inputs/tomakomai");
    std::fs::create_dir_all(&draft).expect("mkdir");
    for f in ["000_ebe3fcc3fed13691.txt", "kohyo.toml"] {
        std::fs::copy(seed_dir().join(f), draft.join(f)).expect("copy");
    }
    let build = |extra: &[&str]| {
        let o = Command::new(common::BIN)
            .arg("build")
            .args(extra)
            .current_dir(root.path())
            .output()
            .expect("build");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let out = root.path().join("outputs/tomakomai");
    let table = out.join("shinkyu/shinkyu_taishohyo.csv");

    // The first version: nothing to compare with.
    build(&[]);
    assert!(!out.join("shinkyu").exists());

    // The edited version: the table against the first, its base kept, all in the manifest.
    let edited = edited_draft(root.path());
    std::fs::copy(
        edited.join("draft.txt"),
        draft.join("000_ebe3fcc3fed13691.txt"),
    )
    .expect("edit");
    build(&[]);
    let csv = std::fs::read(&table).expect("the table is published");
    let direct = diff_csv(&seed_dir(), &edited);
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&csv[3..])
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        without_ids(&rows),
        without_ids(&direct),
        "the build's table is kohyo diff's"
    );
    // IDs follow the items: moved ones keep their first IDs, new ones get unused ones.
    let ids: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("変更", "P1-1-1"),
            ("変更", "P2"),
            ("移動", "P2-2-5-3"),
            ("追加", "P2-3-16"),
            ("追加", "P2-3-16-1"),
            ("削除", "K2-2"),
            ("移動", "P4-2-12"),
            ("移動", "P4-3-13"),
        ]
    );
    // The open data carries the same IDs: the moved project keeps its row ID under ⑥.
    let shisaku =
        std::fs::read_to_string(out.join("data/012131_tomakomai_shisaku.csv")).expect("shisaku");
    assert!(
        shisaku.lines().any(|l| l.starts_with("012131,P2-2-5-3,")
            && l.contains(",2-2-6-2,苫小牧市民ファミリーサポート・センター事業,")),
        "{shisaku}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest"))
            .expect("json");
    let kinds: Vec<(&str, &str)> = manifest["artifacts"]
        .as_array()
        .expect("artifacts")
        .iter()
        .filter_map(|a| Some((a["path"].as_str()?, a["kind"].as_str()?)))
        .filter(|(p, _)| p.starts_with("shinkyu/"))
        .collect();
    assert_eq!(
        kinds,
        [
            ("shinkyu/base.model.json", "shinkyu-base"),
            ("shinkyu/shinkyu_taishohyo.csv", "shinkyu-csv"),
            ("shinkyu/shinkyu_taishohyo.html", "shinkyu-html"),
            ("shinkyu/shinkyu_taishohyo.pdf", "shinkyu-pdf"),
        ]
    );
    let page = std::fs::read_to_string(out.join("index.html")).expect("page");
    for format in ["html", "pdf", "csv"] {
        assert!(
            page.contains(&format!("href=\"shinkyu/shinkyu_taishohyo.{format}\"")),
            "the page links the table's {format}"
        );
    }
    // The build's PDF is kohyo diff's table.
    let direct = tempfile::tempdir().expect("direct");
    let o = Command::new(common::BIN)
        .arg("diff")
        .arg(seed_dir())
        .arg(&edited)
        .arg("--out")
        .arg(direct.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("diff");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The two name the versions by where they come from (the same title and no date tell
    // them apart): the build by build, kohyo diff by folder. All else is the same.
    if common::pdf::have("pdftotext", "poppler-utils") {
        let text = |pdf: &Path, names: [&str; 2]| {
            let mut t = common::pdf::text_of(pdf, true);
            for n in names {
                assert!(t.contains(n), "{n} in {}", pdf.display());
                t = t.replace(n, "");
            }
            t
        };
        assert_eq!(
            text(
                &out.join("shinkyu/shinkyu_taishohyo.pdf"),
                ["（前回の作成時）", "（今回）"]
            ),
            text(
                &direct.path().join("shinkyu_taishohyo.pdf"),
                ["（tomakomai）", "（edited）"]
            )
        );
    }

    // A forced rebuild of the same version keeps the table, byte for byte.
    build(&["--force"]);
    assert_eq!(std::fs::read(&table).expect("table"), csv);

    // Back to the first version: the table now runs the other way.
    std::fs::copy(
        seed_dir().join("000_ebe3fcc3fed13691.txt"),
        draft.join("000_ebe3fcc3fed13691.txt"),
    )
    .expect("revert");
    build(&[]);
    let back: Vec<Vec<String>> = {
        let csv = std::fs::read(&table).expect("table");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&csv[3..])
            .records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .collect()
    };
    assert_eq!(
        without_ids(&back),
        without_ids(&diff_csv(&edited, &seed_dir()))
    );
    let kinds: Vec<&str> = back[1..].iter().map(|r| r[0].as_str()).collect();
    // The related project deleted and now back is new: it may not take K2-2 again.
    let returned = back
        .iter()
        .find(|r| r[0] == "追加" && r[6] == "女性人材バンクの設置")
        .expect("the related project is back");
    assert!(
        returned[1].starts_with("K2-") && returned[1] != "K2-2",
        "{returned:?}"
    );
    let ledger: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("ids.json")).expect("ids")).expect("json");
    let issued: Vec<&str> = ledger["issued"]
        .as_array()
        .expect("issued")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        issued.contains(&"K2-2") && issued.contains(&"P2-3-16"),
        "{issued:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "削除").count(),
        2,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "追加").count(),
        1,
        "{kinds:?}"
    );
}

/// `kohyo diff OLD NEW --out DIR`, which must succeed; the PDF's path.
fn diff_pdf(old: &Path, new: &Path, out: &Path) -> PathBuf {
    let o = Command::new(common::BIN)
        .arg("diff")
        .arg(old)
        .arg(new)
        .arg("--out")
        .arg(out)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("diff");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let pdf = out.join("shinkyu_taishohyo.pdf");
    assert!(pdf.is_file(), "{stderr}");
    pdf
}

/// The structure elements of a PDF: the Document's children, and every element under each.
fn structure(
    objects: &serde_json::Map<String, serde_json::Value>,
) -> Vec<(String, Vec<&serde_json::Value>)> {
    use common::pdf::{elements, role, value};
    let catalog = objects
        .keys()
        .map(|k| value(objects, k.trim_start_matches("obj:")))
        .find(|v| v["/Type"] == "/Catalog")
        .expect("a catalog");
    assert_eq!(catalog["/Lang"], "u:ja-JP");
    assert_eq!(catalog["/MarkInfo"]["/Marked"], true);
    let root = value(objects, catalog["/StructTreeRoot"].as_str().expect("tree"));
    let doc = value(objects, root["/K"][0].as_str().expect("Document"));
    assert_eq!(role(doc), "/Document");
    doc["/K"]
        .as_array()
        .expect("kids")
        .iter()
        .map(|k| {
            let k = k.as_str().expect("an element");
            let mut all = Vec::new();
            elements(objects, k, &mut all);
            (role(value(objects, k)).to_string(), all)
        })
        .collect()
}

/// An element's layout or table attribute, wherever in its attribute list it is.
fn attribute<'a>(e: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
    let a = &e["/A"];
    a.as_array()
        .map(|v| v.iter().collect::<Vec<_>>())
        .unwrap_or_else(|| vec![a])
        .into_iter()
        .find_map(|d| d.get(key))
}

#[test]
fn the_pdf_table_is_tagged_and_marks_changes_by_line_and_in_words() {
    use common::pdf::{check_pdf_tools, qpdf_objects, role, text_of, tools};
    let root = tempfile::tempdir().expect("root");
    let edited = edited_draft(root.path());
    let pdf = diff_pdf(&seed_dir(), &edited, &root.path().join("out"));
    // The same versions give the same bytes.
    let again = diff_pdf(&seed_dir(), &edited, &root.path().join("again"));
    assert_eq!(
        std::fs::read(&pdf).expect("pdf"),
        std::fs::read(&again).expect("pdf")
    );
    if !tools() {
        return;
    }
    check_pdf_tools(&pdf);

    // Read in order, each marked run says what happened to it: the labels are the runs'
    // ActualText, which text extraction and screen readers use.
    let text = common::squeeze(&text_of(&pdf, true));
    for row in [
        "変更（具体的な施策）基本目標1＞1-1＞①若者の［削除：市内］就職の促進若者の［追加：地元］就職の促進",
        "変更（基本目標）基本目標2女性が子育てしながら［削除：仕事を］続けられる社会環境の整備女性が子育てしながら［追加：働き］続けられる社会環境の整備",
        "移動（事業例）旧：基本目標2＞2-2＞⑤新：基本目標2＞2-2＞⑥苫小牧市民ファミリーサポート・センター事業苫小牧市民ファミリーサポート・センター事業",
        "追加（具体的な施策）基本目標2＞2-3＞⑯（なし）［追加：子どもの読書活動の推進］",
        "追加（事業例）基本目標2＞2-3＞⑯（なし）［追加：ブックスタート事業］",
        "削除（関連する既存事業）基本目標2＞関連する既存事業［削除：女性人材バンクの設置］（削除）",
        "移動（具体的な施策）旧：基本目標4＞4-2＞⑫新：基本目標3＞3-3＞⑫郷土の魅力を伝える活動の推進郷土の魅力を伝える活動の推進",
        "移動（具体的な施策）旧：基本目標4＞4-3＞⑬新：基本目標4＞4-1＞⑬進出企業とのマッチング機能の強化進出企業とのマッチング機能の強化",
    ] {
        assert!(text.contains(row), "{row}\nnot in\n{text}");
    }
    assert!(text.contains("変更のない110項目は載せていません"), "{text}");
    assert!(
        !text.contains("一時保育事業"),
        "an unchanged project was listed"
    );

    // Document → H1, the two versions, the counts, the legend; then per goal H2, P, Table.
    let objects = qpdf_objects(&pdf, false);
    let top = structure(&objects);
    let roles: Vec<&str> = top.iter().map(|(r, _)| r.as_str()).collect();
    let mut want = vec!["/H1", "/P", "/P", "/P", "/P"];
    for _ in 0..4 {
        want.extend(["/H2", "/P", "/Table"]);
    }
    assert_eq!(roles, want);
    let tables: Vec<&Vec<&serde_json::Value>> = top
        .iter()
        .filter(|(r, _)| r == "/Table")
        .map(|(_, all)| all)
        .collect();
    let mut rows = 0;
    let mut lines = std::collections::BTreeMap::new();
    for t in &tables {
        // One header row of three column headers, then a row per change: its row header
        // and two data cells, each naming its column and its row header.
        assert_eq!(t.iter().filter(|e| role(e) == "/THead").count(), 1);
        let ths: Vec<_> = t.iter().filter(|e| role(e) == "/TH").collect();
        let tds: Vec<_> = t.iter().filter(|e| role(e) == "/TD").collect();
        let body_rows = t.iter().filter(|e| role(e) == "/TR").count() - 1;
        assert_eq!(ths.len(), 3 + body_rows);
        assert_eq!(tds.len(), 2 * body_rows);
        let id = |e: &serde_json::Value| e["/ID"].as_str().unwrap_or("").to_string();
        for td in &tds {
            let headers: Vec<String> = attribute(td, "/Headers")
                .and_then(|h| h.as_array())
                .expect("Headers on every TD")
                .iter()
                .map(|h| h.as_str().expect("id").to_string())
                .collect();
            assert_eq!(headers.len(), 2, "{headers:?}");
            for h in &headers {
                assert!(ths.iter().any(|th| &id(th) == h), "{h} names no TH");
            }
        }
        for th in &ths[3..] {
            assert_eq!(
                attribute(th, "/Scope").and_then(|s| s.as_str()),
                Some("/Row")
            );
        }
        rows += body_rows;
        // Marked runs are Spans naming their line.
        for e in t.iter().filter(|e| role(e) == "/Span") {
            let kind = attribute(e, "/TextDecorationType")
                .and_then(|k| k.as_str())
                .expect("a Span in a table names its line");
            *lines.entry(kind.to_string()).or_insert(0) += 1;
        }
    }
    assert_eq!(rows, 8);
    // Deleted: 市内, 仕事を, 女性人材バンクの設置; inserted: 地元, 働き, the new measure and
    // its project.
    assert_eq!(lines.get("/LineThrough"), Some(&3), "{lines:?}");
    assert_eq!(lines.get("/Underline"), Some(&4), "{lines:?}");
}

/// What the long comparison adds to every measure and project.
const ADDED: &str = "の拡充と見直し";

#[test]
fn a_long_pdf_table_repeats_its_header_on_every_page_and_never_splits_a_row() {
    use common::pdf::{qpdf_objects, role, text_of, tools};
    let root = tempfile::tempdir().expect("root");
    // The seed's model, and a version of it in which every measure and project is reworded.
    let old = common::model(&seed_dir());
    let mut new = old.clone();
    let mut reworded = Vec::new();
    for g in new["goals"].as_array_mut().expect("goals") {
        for d in g["directions"].as_array_mut().expect("directions") {
            for m in d["measures"].as_array_mut().expect("measures") {
                let title = m["title"].as_str().expect("title").to_string();
                reworded.push((title.clone(), String::new()));
                m["title"] = format!("{title}{ADDED}").into();
                for p in m["projects"].as_array_mut().expect("projects") {
                    let title = p["title"].as_str().expect("title").to_string();
                    let funding: String = p["funding"]
                        .as_array()
                        .expect("funding")
                        .iter()
                        .map(|f| format!("（{}）", f.as_str().expect("label")))
                        .collect();
                    reworded.push((title.clone(), funding));
                    p["title"] = format!("{title}{ADDED}").into();
                }
            }
        }
    }
    assert!(reworded.len() > 40, "{}", reworded.len());
    let (old_path, new_path) = (root.path().join("old.json"), root.path().join("new.json"));
    std::fs::write(&old_path, old.to_string()).expect("old");
    std::fs::write(&new_path, new.to_string()).expect("new");
    let pdf = diff_pdf(&old_path, &new_path, &root.path().join("out"));
    if !tools() {
        return;
    }
    let pages: Vec<String> = text_of(&pdf, true)
        .split('\u{c}')
        .map(common::squeeze)
        .filter(|p| !p.is_empty())
        .collect();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    // Every page that carries rows starts them under the header row.
    let kinds = ["変更（", "追加（", "削除（", "移動（"];
    for (i, p) in pages.iter().enumerate() {
        if kinds.iter().any(|k| p.contains(k)) {
            assert!(
                p.contains("種別と位置旧新"),
                "page {} has no header row",
                i + 1
            );
        }
    }
    // Every reworded item's row is whole on one page: the old text, then the new with the
    // insertion marked.
    for (title, funding) in &reworded {
        let row = common::squeeze(&format!(
            "{title}{funding}{title}［追加：{ADDED}］{funding}"
        ));
        assert!(
            pages.iter().any(|p| p.contains(&row)),
            "{row} is split or missing"
        );
    }
    // The repeated header rows are artifacts: the structure has one header row per table.
    let objects = qpdf_objects(&pdf, false);
    let top = structure(&objects);
    let tables: Vec<_> = top
        .iter()
        .filter(|(r, _)| r == "/Table")
        .map(|(_, all)| all)
        .collect();
    assert_eq!(tables.len(), 4, "a table per goal");
    let count = |f: &dyn Fn(&serde_json::Value) -> bool| {
        tables
            .iter()
            .flat_map(|t| t.iter())
            .filter(|e| f(e))
            .count()
    };
    assert_eq!(count(&|e| role(e) == "/THead"), 4);
    assert_eq!(count(&|e| role(e) == "/TR") - 4, reworded.len());
    assert_eq!(
        count(&|e| role(e) == "/Span"
            && attribute(e, "/TextDecorationType").and_then(|k| k.as_str()) == Some("/Underline")),
        reworded.len()
    );
}

#[test]
fn a_character_the_pdf_font_lacks_stops_diff_out_before_anything_is_written() {
    let root = tempfile::tempdir().expect("root");
    let mut new = common::model(&seed_dir());
    new["goals"][0]["directions"][0]["measures"][0]["title"] = "若者の地元就職の促進🍀".into();
    let new_path = root.path().join("new.json");
    std::fs::write(&new_path, new.to_string()).expect("new");
    let out = root.path().join("out");
    let o = Command::new(common::BIN)
        .args(["diff", "--lang", "en"])
        .arg(seed_dir())
        .arg(&new_path)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("diff");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("K201") && stderr.contains("U+1F340"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "nothing is written when the PDF cannot be");
    // The text on the terminal needs no font, so it still works.
    let o = Command::new(common::BIN)
        .arg("diff")
        .arg(seed_dir())
        .arg(&new_path)
        .output()
        .expect("diff");
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("［+地元+］就職の促進［+🍀+］"));
}

/// Every ID a JSON value holds under an `id` key, and the ledger's `issued`, in the scheme
/// kohyo published before the rename (`P…` as `S…`, `K…` as `R…`).
fn aged(v: &mut serde_json::Value) {
    use serde_json::Value;
    let old = |id: &str| match id.split_at(1) {
        ("P", n) => format!("S{n}"),
        ("K", n) => format!("R{n}"),
        _ => id.to_string(),
    };
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                match (k.as_str(), &mut *x) {
                    ("id", Value::String(id)) => *id = old(id),
                    ("issued", Value::Array(a)) => {
                        for id in a.iter_mut() {
                            if let Value::String(s) = id {
                                *s = old(s);
                            }
                        }
                    }
                    _ => aged(x),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(aged),
        _ => {}
    }
}

/// The outputs in `out` as a kohyo before the rename published them: model.json and ids.json
/// with the old IDs.
fn age_outputs(out: &Path) {
    for f in ["model.json", "ids.json"] {
        let path = out.join(f);
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).expect(f)).expect("json");
        aged(&mut v);
        std::fs::write(&path, serde_json::to_vec_pretty(&v).expect("json")).expect(f);
    }
    let model = std::fs::read_to_string(out.join("model.json")).expect("model");
    assert!(model.contains("\"id\": \"S1-1-1-1\"") && model.contains("\"id\": \"R1-1\""));
}

fn ledger(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("ids.json")).expect("ids")).expect("json")
}

/// Whether `id` holds an era initial followed by a digit (harunobu's L3-05 pattern
/// `(明治|大正|昭和|平成|令和|M|T|S|H|R)\s*(\d{1,2})\s*(年|\.|-|/)`, searched).
fn reads_as_an_era(id: &str) -> bool {
    let c: Vec<char> = id.chars().collect();
    c.windows(2)
        .any(|w| matches!(w[0], 'M' | 'T' | 'S' | 'H' | 'R') && w[1].is_ascii_digit())
}

#[test]
fn outputs_published_with_the_old_ids_are_renamed_once_and_the_rename_is_recorded() {
    let root = tempfile::tempdir().expect("root");
    let draft = root.path().join("inputs/tomakomai");
    std::fs::create_dir_all(&draft).expect("mkdir");
    for f in ["000_ebe3fcc3fed13691.txt", "kohyo.toml"] {
        std::fs::copy(seed_dir().join(f), draft.join(f)).expect("copy");
    }
    let build = |extra: &[&str]| {
        let o = Command::new(common::BIN)
            .arg("build")
            .args(extra)
            .current_dir(root.path())
            .output()
            .expect("build");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let out = root.path().join("outputs/tomakomai");
    let csvs = [
        "data/012131_tomakomai_shisaku.csv",
        "data/012131_tomakomai_kanren_jigyo.csv",
    ];
    let read = |f: &str| std::fs::read(out.join(f)).expect(f);

    // A fresh build has no rename to record.
    build(&[]);
    let fresh: Vec<Vec<u8>> = csvs.iter().map(|f| read(f)).collect();
    let first = ledger(&out);
    assert!(first.get("renamed").is_none(), "{first}");
    let issued = first["issued"].as_array().expect("issued").len();
    // 4 goals, 12 directions, 15 measures, 35 projects, 50 related projects.
    assert_eq!(issued, 4 + 12 + 15 + 35 + 50, "{first}");

    // The same version over outputs of the old scheme: every item keeps its identity under
    // its new name, so the CSVs are the fresh build's, byte for byte.
    age_outputs(&out);
    build(&["--force"]);
    for (f, bytes) in csvs.iter().zip(&fresh) {
        assert!(read(f) == *bytes, "{f} differs from the fresh build's");
    }
    assert!(!out.join("shinkyu").exists(), "only the IDs were renamed");
    let after = ledger(&out);
    let renamed = after["renamed"].as_object().expect("renamed");
    assert_eq!(renamed.len(), issued, "{after}");
    for (old, new) in renamed {
        let new = new.as_str().expect("new ID");
        let want = match old.split_at(1) {
            ("S", n) => format!("P{n}"),
            ("R", n) => format!("K{n}"),
            _ => panic!("{old} is not of the old scheme"),
        };
        assert_eq!(new, want);
    }
    assert_eq!(renamed["S1-1-1-1"], "P1-1-1-1");
    assert_eq!(renamed["R4-5"], "K4-5");
    let all: Vec<&str> = after["issued"]
        .as_array()
        .expect("issued")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(all.len(), 2 * issued, "the old IDs stay issued");
    let model = String::from_utf8(read("model.json")).expect("model");
    assert!(!model.contains("\"id\": \"S") && !model.contains("\"id\": \"R"));

    // A later build keeps the record, byte for byte.
    let kept = read("ids.json");
    build(&["--force"]);
    assert_eq!(read("ids.json"), kept);

    // The next version, published over old-scheme outputs: the 新旧対照表 and its base carry
    // the new names only, as the IDs that follow the items.
    let root2 = tempfile::tempdir().expect("root");
    let draft2 = root2.path().join("inputs/tomakomai");
    std::fs::create_dir_all(&draft2).expect("mkdir");
    for f in ["000_ebe3fcc3fed13691.txt", "kohyo.toml"] {
        std::fs::copy(seed_dir().join(f), draft2.join(f)).expect("copy");
    }
    let build2 = || {
        let o = Command::new(common::BIN)
            .arg("build")
            .current_dir(root2.path())
            .output()
            .expect("build");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let out2 = root2.path().join("outputs/tomakomai");
    build2();
    age_outputs(&out2);
    let edited = edited_draft(root2.path());
    std::fs::copy(
        edited.join("draft.txt"),
        draft2.join("000_ebe3fcc3fed13691.txt"),
    )
    .expect("edit");
    build2();
    let table = std::fs::read(out2.join("shinkyu/shinkyu_taishohyo.csv")).expect("table");
    let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&table[3..])
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect();
    let ids: Vec<(&str, &str)> = rows[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            ("変更", "P1-1-1"),
            ("変更", "P2"),
            ("移動", "P2-2-5-3"),
            ("追加", "P2-3-16"),
            ("追加", "P2-3-16-1"),
            ("削除", "K2-2"),
            ("移動", "P4-2-12"),
            ("移動", "P4-3-13"),
        ]
    );
    let base = std::fs::read_to_string(out2.join("shinkyu/base.model.json")).expect("base");
    assert!(!base.contains("\"id\": \"S") && !base.contains("\"id\": \"R"));
    for f in csvs {
        let text = std::fs::read_to_string(out2.join(f)).expect(f);
        for line in text.lines().skip(1) {
            let id = line.split(',').nth(1).expect("ID");
            assert!(!reads_as_an_era(id), "{id} in {f}");
        }
    }
    assert!(
        ledger(&out2)["renamed"]
            .as_object()
            .is_some_and(|m| !m.is_empty())
    );
}

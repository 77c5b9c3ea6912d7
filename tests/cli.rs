//! The command line as a city office meets it: every help text in Japanese by default and in
//! English under `--lang en` or `KOHYO_LANG=en`, each command's usage exactly as the README's
//! command list gives it, clap's usage errors said in the chosen language, and carets that land
//! under the right character whatever width the terminal gives ambiguous characters.

mod common;

use std::process::Command;

/// The README's command list (the first block under `## Commands`): one usage line per command.
fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let at = readme.find("\n## Commands\n").expect("a Commands section");
    let rest = &readme[at..];
    let start = rest.find("```\n").expect("a command block") + 4;
    let end = start + rest[start..].find("```").expect("end of the block");
    rest[start..end].lines().map(str::to_owned).collect()
}

/// Run kohyo with `args`; KOHYO_LANG as given (None: unset). (status, stdout, stderr)
fn kohyo(args: &[&str], lang_env: Option<&str>) -> (Option<i32>, String, String) {
    let mut cmd = Command::new(common::BIN);
    cmd.args(args);
    match lang_env {
        Some(l) => cmd.env("KOHYO_LANG", l),
        None => cmd.env_remove("KOHYO_LANG"),
    };
    let o = cmd.output().expect("run kohyo");
    (
        o.status.code(),
        String::from_utf8(o.stdout).expect("UTF-8 stdout"),
        String::from_utf8(o.stderr).expect("UTF-8 stderr"),
    )
}

/// An English phrase: three or more words of two or more letters in a row.
fn english_phrase(text: &str) -> Option<String> {
    let mut run: Vec<&str> = Vec::new();
    let words = text.split(|c: char| !(c.is_ascii_alphabetic() || c == ' ' || c == '\''));
    for chunk in words {
        for w in chunk.split(' ') {
            if w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic() || c == '\'') {
                run.push(w);
                if run.len() >= 3 {
                    return Some(run.join(" "));
                }
            } else if !w.is_empty() {
                run.clear();
            }
        }
        run.clear();
    }
    None
}

/// Kana or kanji.
fn japanese(text: &str) -> String {
    text.chars()
        .filter(|c| matches!(*c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}'))
        .collect()
}

/// The options a usage line or a help text names (`--out`, `-j`, …).
fn options(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| c.is_whitespace() || "[]<>,=".contains(c))
        .filter(|w| w.starts_with('-') && w.len() > 1 && w != &"-")
        .map(|w| w.trim_end_matches(['.', '…']).to_owned())
        .collect()
}

#[test]
fn every_help_follows_the_readme_command_list_in_both_languages() {
    let list = readme_commands();
    assert_eq!(
        list,
        kohyo::cli::USAGE
            .iter()
            .map(|(_, u)| u.to_string())
            .collect::<Vec<_>>(),
        "the README's command list and the usage lines differ"
    );
    let names: Vec<String> = list
        .iter()
        .map(|l| l.split_whitespace().nth(1).expect("a command").to_owned())
        .collect();
    // Japanese by default, English by --lang or KOHYO_LANG, and --lang over KOHYO_LANG.
    let (code, ja, _) = kohyo(&["--help"], None);
    assert_eq!(code, Some(0));
    let (_, en, _) = kohyo(&["--help", "--lang", "en"], None);
    assert_eq!(kohyo(&["--help"], Some("en")).1, en);
    assert_eq!(kohyo(&["--help", "--lang", "ja"], Some("en")).1, ja);
    for (text, heading) in [(&ja, "コマンド:"), (&en, "Commands:")] {
        let listed: Vec<String> = text
            .lines()
            .skip_while(|l| *l != heading)
            .skip(1)
            .take_while(|l| !l.is_empty())
            .map(|l| l.split_whitespace().next().expect("a name").to_owned())
            .collect();
        assert_eq!(listed, names, "kohyo --help lists other commands:\n{text}");
    }
    for (name, line) in names.iter().zip(&list) {
        for (lang, usage_word) in [("ja", "使い方: "), ("en", "Usage: ")] {
            let (code, help, stderr) = kohyo(&[name, "--help", "--lang", lang], None);
            assert_eq!(code, Some(0), "{stderr}");
            let usage = help
                .lines()
                .find_map(|l| l.strip_prefix(usage_word))
                .unwrap_or_else(|| {
                    panic!("no usage line in kohyo {name} --help ({lang}):\n{help}")
                });
            assert_eq!(usage, line, "kohyo {name} --help ({lang})");
            // The options the help explains are exactly those of the README's line.
            let explained = options(
                &help
                    .lines()
                    .filter(|l| l.starts_with("  -") || l.starts_with("      --"))
                    .map(|l| l.split("  ").find(|p| !p.is_empty()).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            let mut want = options(line);
            want.extend(["-h".to_owned(), "--help".to_owned()]);
            if name == "build" {
                want.insert("--jobs".to_owned());
            }
            assert_eq!(explained, want, "kohyo {name} --help ({lang}):\n{help}");
            // Every explained option has a help text.
            for l in help
                .lines()
                .filter(|l| l.starts_with("  -") || l.starts_with("      --"))
            {
                assert!(
                    l.split("  ").filter(|p| !p.trim().is_empty()).count() >= 2,
                    "an option without help: {l}"
                );
            }
            let body: String = help
                .lines()
                .filter(|l| !l.starts_with(usage_word))
                .collect::<Vec<_>>()
                .join("\n");
            if lang == "ja" {
                assert_eq!(
                    english_phrase(&body),
                    None,
                    "English in kohyo {name} --help:\n{help}"
                );
            } else {
                let own = body
                    .replace("新旧対照表", "")
                    .replace("地方版総合戦略", "")
                    .replace("公表", "");
                assert_eq!(
                    japanese(&own),
                    "",
                    "Japanese in kohyo {name} --help --lang en"
                );
            }
        }
        // `kohyo help NAME` is the same text.
        assert_eq!(
            kohyo(&["help", name], None).1,
            kohyo(&[name, "--help"], None).1,
            "kohyo help {name}"
        );
    }
    assert_eq!(english_phrase(&ja), None, "{ja}");
    assert_eq!(
        japanese(
            &en.replace("地方版総合戦略", "")
                .replace("公表", "")
                .replace("新旧対照表", "")
        ),
        ""
    );
}

#[test]
fn the_phrase_check_finds_english() {
    assert_eq!(
        english_phrase("K005-truncated.xlsx は読めません: invalid Zip archive"),
        Some("invalid Zip archive".to_owned())
    );
    assert_eq!(
        english_phrase("kohyo.toml の [catalog] の token_env・token_file"),
        None
    );
}

#[test]
fn usage_errors_are_said_in_the_chosen_language() {
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["biuld"],
            "「biuld」というコマンドはありません",
            "unrecognized subcommand 'biuld'",
        ),
        (
            &["build", "--froce"],
            "「--froce」というオプションはありません",
            "unexpected argument '--froce'",
        ),
        (
            &["check"],
            "必要な引数",
            "required arguments were not provided",
        ),
        (
            &["check", "a", "b"],
            "余分な引数「b」があります",
            "unexpected argument 'b'",
        ),
        (
            &["check", "x", "--format", "xml"],
            "「xml」は指定できません。指定できる値: human, json",
            "invalid value 'xml'",
        ),
        (
            &["build", "-j", "x"],
            "の値「x」が正しくありません",
            "invalid value 'x'",
        ),
        (
            &["check", "x", "--lang", "fr"],
            "「fr」は指定できません。指定できる値: ja, en",
            "invalid value 'fr'",
        ),
    ];
    for (args, ja, en) in cases {
        let (code, stdout, stderr) = kohyo(args, None);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(stdout.is_empty(), "{args:?}");
        assert!(stderr.starts_with("エラー: "), "{args:?}: {stderr}");
        assert!(stderr.contains(ja), "{args:?}: {stderr}");
        assert!(stderr.contains("使い方: kohyo"), "{args:?}: {stderr}");
        let said: String = stderr
            .lines()
            .filter(|l| !l.starts_with("使い方: "))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(english_phrase(&said), None, "{args:?}: {stderr}");
        let mut with_en = args.to_vec();
        with_en.extend(["--lang", "en"]);
        if args.contains(&"--lang") {
            with_en = args.to_vec();
        }
        let lang_env = args.contains(&"--lang").then_some("en");
        let (code, _, stderr) = kohyo(&with_en, lang_env);
        assert_eq!(code, Some(2), "{with_en:?}");
        assert!(stderr.starts_with("error: "), "{with_en:?}: {stderr}");
        assert!(stderr.contains(en), "{with_en:?}: {stderr}");
        assert!(stderr.contains("Usage: kohyo"), "{with_en:?}: {stderr}");
        assert_eq!(japanese(&stderr), "", "{with_en:?}: {stderr}");
    }
    // A near miss gets a suggestion, in both languages.
    assert!(
        kohyo(&["biuld"], None)
            .2
            .contains("ヒント: 「build」のことですか")
    );
    assert!(
        kohyo(&["biuld"], Some("en"))
            .2
            .contains("tip: a similar one exists: 'build'")
    );
    // No command at all: the help, on stderr, exit 2.
    let (code, stdout, stderr) = kohyo(&[], None);
    assert_eq!(code, Some(2));
    assert!(stdout.is_empty());
    assert!(stderr.contains("コマンド:"), "{stderr}");
}

#[test]
fn kohyo_lang_sets_the_language_of_every_message() {
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/inputs/tomakomai");
    let (_, ja, _) = kohyo(&["check", seed], None);
    assert!(ja.contains("警告[K107]"), "{ja}");
    assert!(ja.contains(" = 補足: "), "{ja}");
    assert!(ja.ends_with("エラー 0 件、警告 5 件、情報 1 件\n"), "{ja}");
    let (_, en, _) = kohyo(&["check", seed], Some("en"));
    assert!(en.contains("warning[K107]"), "{en}");
    assert!(en.contains(" = note: "), "{en}");
    assert!(en.ends_with("0 errors, 5 warnings, 1 note\n"), "{en}");
    assert_eq!(kohyo(&["check", seed, "--lang", "ja"], Some("en")).1, ja);
    let (code, _, stderr) = kohyo(&["check", "no-such-draft"], Some("en"));
    assert_eq!(code, Some(2));
    assert_eq!(stderr, "kohyo: no-such-draft does not exist\n");
    let (_, _, stderr) = kohyo(&["check", "no-such-draft"], None);
    assert_eq!(stderr, "kohyo: no-such-draft がありません\n");
}

#[test]
fn a_place_without_a_source_line_is_indented_like_one_with() {
    let dir = tempfile::tempdir().expect("dir");
    let html = dir.path().join("page.html");
    std::fs::write(
        &html,
        "<html><body><p>施策の表はありません</p></body></html>",
    )
    .expect("write");
    let (code, out, _) = kohyo(&["check", html.to_str().expect("utf-8")], None);
    assert_eq!(code, Some(1));
    let arrow = out.lines().find(|l| l.contains("--> ")).expect("a place");
    assert!(arrow.starts_with(" --> "), "{out}");
    assert!(out.lines().any(|l| l.starts_with("  = 補足: ")), "{out}");
}

/// The column the caret of the diagnostic at `line` (a line number) stands in, counted from the
/// start of the source text, and the text of that source line as shown.
fn caret(out: &str, line: u32) -> (usize, String) {
    let lines: Vec<&str> = out.lines().collect();
    let prefix = format!("{line} | ");
    let i = lines
        .iter()
        .position(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no line {line}:\n{out}"));
    let source = lines[i][prefix.len()..].to_owned();
    let bar = lines[i + 1].find('|').expect("a marker line");
    let marks = &lines[i + 1][bar + 2..];
    (marks.find('^').expect("a caret"), source)
}

#[test]
fn carets_follow_the_terminals_width_of_ambiguous_characters() {
    use unicode_width::UnicodeWidthStr;
    // K112's first circled number in the seed stands after “つながり”, whose quotes are East
    // Asian Ambiguous: two columns on a terminal that draws them wide.
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/inputs/tomakomai");
    let run = |envs: &[(&str, &str)]| {
        let mut cmd = Command::new(common::BIN);
        cmd.args(["check", seed])
            .env_remove("KOHYO_AMBIGUOUS_WIDTH")
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE")
            .env("LANG", "C.UTF-8");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        String::from_utf8(cmd.output().expect("kohyo").stdout).expect("UTF-8")
    };
    let narrow = run(&[("KOHYO_AMBIGUOUS_WIDTH", "narrow")]);
    let wide = run(&[("KOHYO_AMBIGUOUS_WIDTH", "wide")]);
    let (col, source) = caret(&narrow, 20);
    let at = source.find('①').expect("① on the line");
    assert_eq!(col, source[..at].width(), "narrow:\n{narrow}");
    let (col, _) = caret(&wide, 20);
    assert_eq!(col, source[..at].width_cjk(), "wide:\n{wide}");
    assert_eq!(
        source[..at].width_cjk() - source[..at].width(),
        2,
        "the two quotes"
    );
    // Under the circled number itself: one caret narrow, two wide.
    assert!(narrow.contains("^ 最初の一つ") && !narrow.contains("^^ 最初の一つ"));
    assert!(wide.contains(" ^^ 最初の一つ"), "{wide}");
    // Unset: a Japanese locale means wide, another means narrow.
    assert_eq!(run(&[("LANG", "ja_JP.UTF-8")]), wide);
    assert_eq!(run(&[("LC_ALL", "ja_JP.UTF-8"), ("LANG", "C")]), wide);
    assert_eq!(run(&[("LANG", "en_US.UTF-8")]), narrow);
    assert_eq!(run(&[]), narrow);
    // The setting wins over the locale.
    assert_eq!(
        run(&[("LANG", "ja_JP.UTF-8"), ("KOHYO_AMBIGUOUS_WIDTH", "narrow")]),
        narrow
    );
}

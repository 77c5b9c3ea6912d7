//! The `kohyo` command.

use kohyo::cli::{Command, Parsed};
use kohyo::diag::{self, Format, Lang};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match kohyo::cli::parse(std::env::args_os().collect()) {
        Parsed::Run(cli) => cli,
        Parsed::Print(text) => {
            let mut out = std::io::stdout().lock();
            let _ = write!(out, "{text}");
            return ExitCode::SUCCESS;
        }
        Parsed::Usage(text) => {
            eprint!("{text}");
            return ExitCode::from(2);
        }
    };
    let lang = cli.lang();
    match cli.command {
        Command::Model { input } => model(&input, lang),
        Command::Build {
            drafts,
            jobs,
            force,
        } => build(
            drafts.inputs,
            &drafts.out,
            lang,
            kohyo::build::BuildOptions {
                csv_encoding: drafts.csv_encoding.into(),
                force,
            },
            jobs,
        ),
        Command::Watch { drafts } => watch(
            drafts.inputs,
            &drafts.out,
            lang,
            kohyo::build::BuildOptions {
                csv_encoding: drafts.csv_encoding.into(),
                force: false,
            },
        ),
        Command::Serve { drafts, port, open } => serve(
            drafts.inputs,
            &drafts.out,
            lang,
            kohyo::build::BuildOptions {
                csv_encoding: drafts.csv_encoding.into(),
                force: false,
            },
            port,
            open,
        ),
        Command::Check { input, format } => check(&input, lang, format),
        Command::Diff { old, new, out } => diff(&old, &new, out.as_deref(), lang),
        Command::Publish {
            inputs,
            out,
            to,
            dry_run,
            prune,
        } => publish(
            inputs,
            &out,
            &kohyo::publish::Options { to, dry_run, prune },
            lang,
        ),
        // Answered by the parser.
        Command::Help { .. } => ExitCode::SUCCESS,
    }
}

/// `ja` or `en`, whichever `lang` is.
fn say(lang: Lang, ja: String, en: String) -> String {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

fn publish(
    inputs: Vec<PathBuf>,
    out: &std::path::Path,
    options: &kohyo::publish::Options,
    lang: Lang,
) -> ExitCode {
    let inputs = match drafts(inputs, lang) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let color = std::io::stderr().is_terminal();
    let (mut published, mut unchanged, mut failed) = (Vec::new(), 0usize, Vec::new());
    for input in &inputs {
        let p = kohyo::publish::publish_draft(input, out, options);
        let text = kohyo::publish::render(&p, lang, options.dry_run);
        if !p.steps.is_empty() {
            let mut so = std::io::stdout().lock();
            let _ = write!(so, "{text}");
            let _ = so.flush();
        }
        if !p.diagnostics.is_empty() {
            eprint!(
                "{}",
                diag::render_human(&p.diagnostics, &p.sources, lang, color)
            );
        }
        if p.failed() {
            failed.push(p.slug);
        } else if p.changed() {
            published.push(p.slug);
        } else {
            unchanged += 1;
        }
    }
    let list = |v: &[String]| {
        if v.is_empty() {
            String::new()
        } else {
            format!("（{}）", v.join("、"))
        }
    };
    let list_en = |v: &[String]| {
        if v.is_empty() {
            String::new()
        } else {
            format!(" ({})", v.join(", "))
        }
    };
    let line = match (lang, options.dry_run) {
        (Lang::Ja, true) => format!(
            "kohyo: 試行のみ（カタログは変更していません）。確認 {} 件、問題あり {} 件{}",
            inputs.len() - failed.len(),
            failed.len(),
            list(&failed)
        ),
        (Lang::En, true) => format!(
            "kohyo: dry run (the catalog was not changed): {} checked, {} with problems{}",
            inputs.len() - failed.len(),
            failed.len(),
            list_en(&failed)
        ),
        (Lang::Ja, false) => format!(
            "kohyo: 公開 {} 件{}、変更なし {unchanged} 件、失敗 {} 件{}",
            published.len(),
            list(&published),
            failed.len(),
            list(&failed)
        ),
        (Lang::En, false) => format!(
            "kohyo: {} published{}, {unchanged} unchanged, {} failed{}",
            published.len(),
            list_en(&published),
            failed.len(),
            list_en(&failed)
        ),
    };
    eprintln!("{line}");
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn model(input: &std::path::Path, lang: Lang) -> ExitCode {
    if absent(input) {
        return missing(input, lang);
    }
    let outcome = kohyo::read_draft(input);
    let (diags, sources) = outcome.display_diagnostics();
    let errors: Vec<_> = diags.into_iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        let color = std::io::stderr().is_terminal();
        eprint!("{}", diag::render_human(&errors, &sources, lang, color));
    }
    match &outcome.strategy {
        Some(s) => match serde_json::to_string_pretty(s) {
            Ok(json) => {
                let mut out = std::io::stdout().lock();
                if writeln!(out, "{json}").is_err() {
                    return ExitCode::from(1);
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "kohyo: {}",
                    say(
                        lang,
                        "モデルを JSON に書き出せませんでした".to_owned(),
                        format!("the model cannot be written as JSON: {e}")
                    )
                );
                ExitCode::from(1)
            }
        },
        None => ExitCode::from(1),
    }
}

fn check(input: &std::path::Path, lang: Lang, format: Format) -> ExitCode {
    if absent(input) {
        return missing(input, lang);
    }
    let outcome = kohyo::build::check_draft(input);
    let (diags, sources) = outcome.display_diagnostics();
    let text = match format {
        Format::Human => {
            diag::render_human(&diags, &sources, lang, std::io::stdout().is_terminal())
        }
        Format::Json => diag::render_json(&diags, lang),
    };
    let mut out = std::io::stdout().lock();
    if out.write_all(text.as_bytes()).is_err() {
        return ExitCode::from(1);
    }
    if outcome.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The drafts named: each draft folder or file as it is, each folder of draft folders opened
/// (default: `inputs/`).
fn drafts(inputs: Vec<PathBuf>, lang: Lang) -> Result<Vec<PathBuf>, ExitCode> {
    let inputs = if inputs.is_empty() {
        // Every folder under inputs/, whatever else lies there.
        match kohyo::build::drafts_under(std::path::Path::new("inputs")) {
            Ok(d) => d,
            Err(e) => {
                let e = kohyo::cli::io_reason(&e, lang, false);
                eprintln!(
                    "kohyo: {}",
                    say(
                        lang,
                        format!("inputs/ を読めません: {e}"),
                        format!("cannot read inputs/: {e}")
                    )
                );
                return Err(ExitCode::from(2));
            }
        }
    } else {
        inputs
    };
    // A link that leads nowhere is the draft's own error (K001), not a missing argument.
    if let Some(m) = inputs.iter().find(|i| absent(i)) {
        return Err(missing(m, lang));
    }
    match kohyo::build::expand_drafts(&inputs) {
        Ok(d) => Ok(d),
        Err((path, e)) => {
            let e = kohyo::cli::io_reason(&e, lang, false);
            eprintln!(
                "kohyo: {}",
                say(
                    lang,
                    format!("{} を読めません: {e}", path.display()),
                    format!("cannot read {}: {e}", path.display())
                )
            );
            Err(ExitCode::from(2))
        }
    }
}

/// Print a draft's diagnostics the way `check` does.
fn report(built: &kohyo::build::Built, lang: Lang, color: bool) -> String {
    let (mut diags, sources) = match &built.outcome {
        Some(o) => o.display_diagnostics(),
        None => (Vec::new(), Default::default()),
    };
    diags.extend(built.errors.iter().cloned());
    if diags.is_empty() {
        String::new()
    } else {
        diag::render_human(&diags, &sources, lang, color)
    }
}

fn build(
    inputs: Vec<PathBuf>,
    out: &std::path::Path,
    lang: Lang,
    options: kohyo::build::BuildOptions,
    jobs: Option<usize>,
) -> ExitCode {
    use kohyo::build::Status;
    use rayon::prelude::*;
    let inputs = match drafts(inputs, lang) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    let color = std::io::stderr().is_terminal();
    let bar = if color && inputs.len() > 1 {
        indicatif::ProgressBar::new(inputs.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let counts = std::sync::Mutex::new([0usize; 3]);
    let run = || {
        inputs.par_iter().for_each(|input| {
            let built = kohyo::build::build_draft(input, out, options);
            let text = report(&built, lang, color);
            let line = match built.status {
                Status::Built => {
                    let ms = built.timings.total.as_secs_f64() * 1000.0;
                    say(
                        lang,
                        format!(
                            "{} → {}（{ms:.0} ms）",
                            input.display(),
                            built.dir.display()
                        ),
                        format!("{} → {} ({ms:.0} ms)", input.display(), built.dir.display()),
                    )
                }
                Status::Unchanged => say(
                    lang,
                    format!("{} は変更なし", input.display()),
                    format!("{} unchanged", input.display()),
                ),
                Status::Failed => say(
                    lang,
                    format!(
                        "{} の出力を作れませんでした（以前の出力はそのまま）",
                        input.display()
                    ),
                    format!("{} failed (earlier outputs kept)", input.display()),
                ),
            };
            bar.suspend(|| {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "{text}");
                let _ = writeln!(err, "kohyo: {line}");
            });
            bar.inc(1);
            if let Ok(mut c) = counts.lock() {
                let k = match built.status {
                    Status::Built => 0,
                    Status::Unchanged => 1,
                    Status::Failed => 2,
                };
                c[k] += 1;
            }
        });
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.unwrap_or(0))
        .build()
    {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
    bar.finish_and_clear();
    let [built, unchanged, failed] = counts.into_inner().unwrap_or([0, 0, 0]);
    let s = started.elapsed().as_secs_f64();
    eprintln!(
        "kohyo: {}",
        say(
            lang,
            format!("作成 {built} 件、変更なし {unchanged} 件、失敗 {failed} 件（{s:.2} 秒）"),
            format!("{built} built, {unchanged} unchanged, {failed} failed ({s:.2} s)"),
        )
    );
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn watch(
    inputs: Vec<PathBuf>,
    out: &std::path::Path,
    lang: Lang,
    options: kohyo::build::BuildOptions,
) -> ExitCode {
    let inputs = match drafts(inputs, lang) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let color = std::io::stderr().is_terminal();
    let result = kohyo::watch::watch(&inputs, out, options, |event| {
        say_event(&event, lang, color);
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let e = e.reason(lang);
            eprintln!(
                "kohyo: {}",
                say(
                    lang,
                    format!("監視できません: {e}"),
                    format!("cannot watch: {e}")
                )
            );
            ExitCode::from(1)
        }
    }
}

/// `kohyo serve`: listen on 127.0.0.1, say where, then build and watch as `watch` does.
fn serve(
    inputs: Vec<PathBuf>,
    out: &std::path::Path,
    lang: Lang,
    options: kohyo::build::BuildOptions,
    port: Option<u16>,
    open: bool,
) -> ExitCode {
    let inputs = match drafts(inputs, lang) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let fail = |e: kohyo::serve::ServeError| {
        eprintln!("kohyo: {}", e.reason(lang));
        ExitCode::from(1)
    };
    let listener = match kohyo::serve::bind(port) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let url = match listener.local_addr() {
        Ok(a) => format!("http://127.0.0.1:{}/", a.port()),
        Err(e) => return fail(kohyo::serve::ServeError::Listen(port, e)),
    };
    eprintln!(
        "kohyo: {}",
        say(
            lang,
            format!("プレビュー: {url} （このコンピューターからだけ見られます。Ctrl-C で終了）"),
            format!("preview: {url} (seen from this computer only; Ctrl-C to stop)")
        )
    );
    if open {
        // In its own thread: a browser started from the terminal may not return at once.
        let opened = url.clone();
        std::thread::spawn(move || {
            if webbrowser::open(&opened).is_err() {
                eprintln!(
                    "kohyo: {}",
                    say(
                        lang,
                        format!("ブラウザを開けませんでした。{opened} を開いてください"),
                        format!("could not open a browser: open {opened}")
                    )
                );
            }
        });
    }
    let color = std::io::stderr().is_terminal();
    match kohyo::serve::serve(&inputs, out, options, lang, listener, |event| {
        say_event(&event, lang, color);
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// Print what `watch` (and `serve`) did, on stderr: the diagnostics as `check` prints them,
/// then one line.
fn say_event(event: &kohyo::watch::Event<'_>, lang: Lang, color: bool) {
    use kohyo::watch::Event;
    let mut err = std::io::stderr().lock();
    let line = match *event {
        Event::First { input, built } => {
            let _ = write!(err, "{}", report(built, lang, color));
            match built.status {
                kohyo::build::Status::Failed => say(
                    lang,
                    format!(
                        "{} にエラーがあります（以前の出力はそのまま）",
                        input.display()
                    ),
                    format!("{} has errors (earlier outputs kept)", input.display()),
                ),
                _ => format!("{} → {}", input.display(), built.dir.display()),
            }
        }
        Event::Watching(n) => say(
            lang,
            format!("{n} 件の原稿を監視しています（Ctrl-C で終了）"),
            format!(
                "watching {n} {} (Ctrl-C to stop)",
                if n == 1 { "draft" } else { "drafts" }
            ),
        ),
        Event::Built {
            input,
            built,
            since_event,
        } => {
            let _ = write!(err, "{}", report(built, lang, color));
            let ms = since_event.as_secs_f64() * 1000.0;
            match built.status {
                kohyo::build::Status::Failed => say(
                    lang,
                    format!(
                        "{} にエラーがあるため、前回の出力のままです",
                        input.display()
                    ),
                    format!("{} has errors: the last good outputs stay", input.display()),
                ),
                kohyo::build::Status::Unchanged => say(
                    lang,
                    format!("{} は変更なし", input.display()),
                    format!("{} unchanged", input.display()),
                ),
                kohyo::build::Status::Built => say(
                    lang,
                    format!("{} を更新しました（保存から {ms:.0} ms）", input.display()),
                    format!("rebuilt {} ({ms:.0} ms after the save)", input.display()),
                ),
            }
        }
        Event::Stopped => say(
            lang,
            "監視を終了しました".to_owned(),
            "stopped watching".to_owned(),
        ),
    };
    let _ = writeln!(err, "kohyo: {line}");
}

/// `kohyo diff`: read both versions (a draft or a model.json), compare, print or write.
fn diff(
    old: &std::path::Path,
    new: &std::path::Path,
    out: Option<&std::path::Path>,
    lang: Lang,
) -> ExitCode {
    let color = std::io::stderr().is_terminal();
    let mut versions = Vec::new();
    let mut layout = Default::default();
    for input in [old, new] {
        if absent(input) {
            return missing(input, lang);
        }
        let outcome = kohyo::draft::read_version(input);
        let (diags, sources) = outcome.display_diagnostics();
        let errors: Vec<_> = diags
            .into_iter()
            .filter(|d| d.severity == kohyo::diag::Severity::Error)
            .collect();
        // The new version's kohyo.toml chooses the paper, as for its own PDF.
        layout = outcome.meta.as_ref().map(|m| m.pdf).unwrap_or_default();
        match outcome.strategy {
            Some(s) if errors.is_empty() => versions.push(s),
            _ => {
                eprint!("{}", diag::render_human(&errors, &sources, lang, color));
                return ExitCode::from(1);
            }
        }
    }
    let mut cmp = kohyo::compare::compare(&versions[0], &versions[1]);
    // Each version by its file or folder name, or by the path given when those are equal.
    let name = |p: &std::path::Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let (o, n) = match (name(old), name(new)) {
        (Some(o), Some(n)) if o != n => (o, n),
        _ => (old.display().to_string(), new.display().to_string()),
    };
    cmp.name_by(
        &kohyo::diag::Text::new(o.clone(), o),
        &kohyo::diag::Text::new(n.clone(), n),
    );
    let Some(dir) = out else {
        print!("{}", kohyo::write::shinkyu::text::render(&cmp, lang));
        return ExitCode::SUCCESS;
    };
    let stem = kohyo::write::shinkyu::STEM;
    let settings = kohyo::write::pdf::PdfSettings::new(layout, &versions[1]);
    let pdf = match kohyo::write::shinkyu::pdf::write(&cmp, &settings) {
        Ok(b) => b,
        Err(e) => {
            let errors = e.into_diagnostics();
            eprint!(
                "{}",
                diag::render_human(&errors, &Default::default(), lang, color)
            );
            return ExitCode::from(1);
        }
    };
    let csv = kohyo::write::shinkyu::csv::bytes(&cmp);
    let page = kohyo::write::shinkyu::html::write(&cmp, &kohyo::write::shinkyu::files(&pdf, &csv));
    let files = [
        (format!("{stem}.pdf"), pdf),
        (format!("{stem}.html"), page),
        (format!("{stem}.csv"), csv),
    ];
    for (name, bytes) in &files {
        let path = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp"));
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&tmp, bytes))
            .and_then(|()| std::fs::rename(&tmp, &path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            let e = kohyo::cli::io_reason(&e, lang, true);
            eprintln!(
                "kohyo: {}",
                say(
                    lang,
                    format!("{} に書き込めません: {e}", path.display()),
                    format!("cannot write {}: {e}", path.display())
                )
            );
            return ExitCode::from(2);
        }
        eprintln!("kohyo: {}", path.display());
    }
    let n = |k| cmp.of_kind(k).count();
    use kohyo::compare::Kind;
    let (all, unchanged) = (cmp.changes.len(), cmp.unchanged());
    eprintln!(
        "kohyo: {}",
        say(
            lang,
            format!(
                "変更 {all} 件（追加 {}、削除 {}、変更 {}、移動 {}）、変更なし {unchanged} 件",
                n(Kind::Added),
                n(Kind::Removed),
                n(Kind::Changed),
                n(Kind::Moved),
            ),
            format!(
                "{all} {} ({} added, {} removed, {} changed, {} moved), {unchanged} unchanged",
                if all == 1 { "change" } else { "changes" },
                n(Kind::Added),
                n(Kind::Removed),
                n(Kind::Changed),
                n(Kind::Moved),
            )
        )
    );
    ExitCode::SUCCESS
}

/// Nothing at `p`, not even a link (a link that leads nowhere is the draft's K001).
fn absent(p: &std::path::Path) -> bool {
    std::fs::symlink_metadata(p).is_err()
}

fn missing(input: &std::path::Path, lang: Lang) -> ExitCode {
    eprintln!(
        "kohyo: {}",
        say(
            lang,
            format!("{} がありません", input.display()),
            format!("{} does not exist", input.display())
        )
    );
    ExitCode::from(2)
}

//! The `kohyo` command.

use clap::{Parser, Subcommand};
use kohyo::diag::{self, Format, Lang};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// kohyo (公表): publish a municipality's policy draft (地方版総合戦略).
#[derive(Parser)]
#[command(
    version = concat!(env!("CARGO_PKG_VERSION"), " (build ", env!("KOHYO_BUILD_ID"), ")"),
    about,
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the draft's canonical model as JSON.
    Model {
        /// A draft folder or a single draft file.
        input: PathBuf,
    },
    /// Build every draft: the PDF, the web page, the open data and model.json into
    /// OUT/<draft>/ (exit 1 if any failed).
    Build {
        #[command(flatten)]
        drafts: DraftArgs,
        /// How many drafts and writers run at once (default: one per CPU).
        #[arg(short = 'j', long)]
        jobs: Option<usize>,
        /// Rebuild drafts whose inputs have not changed.
        #[arg(long)]
        force: bool,
    },
    /// Watch the drafts and rebuild one whenever its files change (Ctrl-C to stop).
    Watch {
        #[command(flatten)]
        drafts: DraftArgs,
    },
    /// Compare two versions of a draft (新旧対照表): print the changes, or write them to
    /// --out as CSV. OLD and NEW are drafts kohyo reads, or model.json files of earlier builds.
    Diff {
        /// The old version.
        old: PathBuf,
        /// The new version.
        new: PathBuf,
        /// Write the 新旧対照表 files into this folder instead of printing.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Language of the messages.
        #[arg(long, value_enum, default_value_t = Lang::Ja)]
        lang: Lang,
    },
    /// Release the built drafts' open data to a CKAN catalog (kohyo.toml's [catalog]): create
    /// or update the dataset and one resource per file, sending only what changed. The API
    /// token comes from the environment variable KOHYO_CKAN_TOKEN (or [catalog] token_env /
    /// token_file), never from the command line.
    Publish {
        /// Draft folders (default: every folder under inputs/).
        inputs: Vec<PathBuf>,
        /// Where the drafts were built.
        #[arg(long, default_value = "outputs")]
        out: PathBuf,
        /// The catalog's root URL, over [catalog] url (e.g. a test catalog).
        #[arg(long, value_name = "URL")]
        to: Option<String>,
        /// Print what would be created, updated, uploaded or left as it is; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Remove the dataset's resources that kohyo no longer publishes.
        #[arg(long)]
        prune: bool,
        /// Language of the messages.
        #[arg(long, value_enum, default_value_t = Lang::Ja)]
        lang: Lang,
    },
    /// Check the draft and print located diagnostics (exit 1 when there are errors).
    Check {
        /// A draft folder or a single draft file.
        input: PathBuf,
        /// Language of the messages.
        #[arg(long, value_enum, default_value_t = Lang::Ja)]
        lang: Lang,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
}

/// What `build` and `watch` share: which drafts, where to, and how.
#[derive(clap::Args)]
struct DraftArgs {
    /// Draft folders (default: every folder under inputs/).
    inputs: Vec<PathBuf>,
    /// Where the outputs go.
    #[arg(long, default_value = "outputs")]
    out: PathBuf,
    /// Language of the messages.
    #[arg(long, value_enum, default_value_t = Lang::Ja)]
    lang: Lang,
    /// The CSV files' encoding: UTF-8 with a BOM, or CP932 (Shift_JIS) for offices that need
    /// it.
    #[arg(long, value_enum, default_value_t = CsvEncodingArg::Utf8)]
    csv_encoding: CsvEncodingArg,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Model { input } => model(&input),
        Command::Build {
            drafts,
            jobs,
            force,
        } => build(
            drafts.inputs,
            &drafts.out,
            drafts.lang,
            kohyo::build::BuildOptions {
                csv_encoding: drafts.csv_encoding.into(),
                force,
            },
            jobs,
        ),
        Command::Watch { drafts } => watch(
            drafts.inputs,
            &drafts.out,
            drafts.lang,
            kohyo::build::BuildOptions {
                csv_encoding: drafts.csv_encoding.into(),
                force: false,
            },
        ),
        Command::Check {
            input,
            lang,
            format,
        } => check(&input, lang, format),
        Command::Diff {
            old,
            new,
            out,
            lang,
        } => diff(&old, &new, out.as_deref(), lang),
        Command::Publish {
            inputs,
            out,
            to,
            dry_run,
            prune,
            lang,
        } => publish(
            inputs,
            &out,
            &kohyo::publish::Options { to, dry_run, prune },
            lang,
        ),
    }
}

fn publish(
    inputs: Vec<PathBuf>,
    out: &std::path::Path,
    options: &kohyo::publish::Options,
    lang: Lang,
) -> ExitCode {
    let inputs = match drafts(inputs) {
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

fn model(input: &std::path::Path) -> ExitCode {
    if absent(input) {
        return missing(input);
    }
    let outcome = kohyo::read_draft(input);
    let (diags, sources) = outcome.display_diagnostics();
    let errors: Vec<_> = diags.into_iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        let color = std::io::stderr().is_terminal();
        eprint!("{}", diag::render_human(&errors, &sources, Lang::Ja, color));
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
                eprintln!("kohyo: {e}");
                ExitCode::from(1)
            }
        },
        None => ExitCode::from(1),
    }
}

fn check(input: &std::path::Path, lang: Lang, format: Format) -> ExitCode {
    if absent(input) {
        return missing(input);
    }
    let mut outcome = kohyo::read_draft(input);
    // What would stop the PDF: characters its font lacks.
    if let Some(s) = &outcome.strategy {
        let missing = kohyo::write::pdf::check_glyphs(s);
        outcome.diagnostics.extend(missing);
        // What would stop or change the open data: formula-like values, and for a draft
        // folder (what `build` publishes) the metadata the catalogs need.
        let mut open = kohyo::write::opendata::check_values(s);
        if input.is_dir() && !outcome.toml_has_errors() {
            let toml = outcome.meta.is_some().then_some(kohyo::meta::FILE_NAME);
            open.extend(kohyo::write::opendata::check_metadata(s, toml));
        }
        outcome.diagnostics.extend(open);
    }
    let (diags, sources) = outcome.display_diagnostics();
    let text = match format {
        Format::Human => {
            let diags = diag::shown_in(&diags, lang);
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

/// `--csv-encoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum CsvEncodingArg {
    /// UTF-8 with a byte order mark.
    #[value(name = "utf-8")]
    Utf8,
    /// CP932 (Windows-31J, Shift_JIS).
    Cp932,
}

impl From<CsvEncodingArg> for kohyo::write::opendata::CsvEncoding {
    fn from(a: CsvEncodingArg) -> Self {
        match a {
            CsvEncodingArg::Utf8 => Self::Utf8Bom,
            CsvEncodingArg::Cp932 => Self::Cp932,
        }
    }
}

/// The draft folders named, or every folder under inputs/.
fn drafts(inputs: Vec<PathBuf>) -> Result<Vec<PathBuf>, ExitCode> {
    let inputs = if inputs.is_empty() {
        match kohyo::build::drafts_under(std::path::Path::new("inputs")) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("kohyo: inputs/ を読めません / cannot read inputs/: {e}");
                return Err(ExitCode::from(2));
            }
        }
    } else {
        inputs
    };
    // A link that leads nowhere is the draft's own error (K001), not a missing argument.
    if let Some(m) = inputs.iter().find(|i| absent(i)) {
        return Err(missing(m));
    }
    Ok(inputs)
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
        diag::render_human(&diag::shown_in(&diags, lang), &sources, lang, color)
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
    let inputs = match drafts(inputs) {
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
                Status::Built => format!(
                    "kohyo: {} → {}（{:.0} ms）",
                    input.display(),
                    built.dir.display(),
                    built.timings.total.as_secs_f64() * 1000.0
                ),
                Status::Unchanged => format!(
                    "kohyo: {} は変更なし / unchanged",
                    input.display()
                ),
                Status::Failed => format!(
                    "kohyo: {} の出力を作れませんでした（以前の出力はそのまま）/ {} failed (earlier outputs kept)",
                    input.display(),
                    input.display()
                ),
            };
            bar.suspend(|| {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "{text}");
                let _ = writeln!(err, "{line}");
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
    eprintln!(
        "kohyo: 作成 {built} 件、変更なし {unchanged} 件、失敗 {failed} 件（{:.2} 秒）/ {built} built, {unchanged} unchanged, {failed} failed ({:.2} s)",
        started.elapsed().as_secs_f64(),
        started.elapsed().as_secs_f64(),
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
    let inputs = match drafts(inputs) {
        Ok(i) => i,
        Err(code) => return code,
    };
    let color = std::io::stderr().is_terminal();
    let result = kohyo::watch::watch(&inputs, out, options, |event| {
        use kohyo::watch::Event;
        let mut err = std::io::stderr().lock();
        match event {
            Event::First { input, built } => {
                let _ = write!(err, "{}", report(built, lang, color));
                let _ = match built.status {
                    kohyo::build::Status::Failed => writeln!(
                        err,
                        "kohyo: {} にエラーがあります（以前の出力はそのまま）/ {} has errors (earlier outputs kept)",
                        input.display(),
                        input.display()
                    ),
                    _ => writeln!(err, "kohyo: {} → {}", input.display(), built.dir.display()),
                };
            }
            Event::Watching(n) => {
                let _ = writeln!(
                    err,
                    "kohyo: {n} 件の下書きを監視しています（Ctrl-C で終了）/ watching {n} drafts (Ctrl-C to stop)"
                );
            }
            Event::Built {
                input,
                built,
                since_event,
            } => {
                let _ = write!(err, "{}", report(built, lang, color));
                let ms = since_event.as_secs_f64() * 1000.0;
                let _ = match built.status {
                    kohyo::build::Status::Failed => writeln!(
                        err,
                        "kohyo: {} にエラーがあるため、前回の出力のままです / {} has errors: the last good outputs stay",
                        input.display(),
                        input.display()
                    ),
                    kohyo::build::Status::Unchanged => writeln!(
                        err,
                        "kohyo: {} は変更なし / {} unchanged",
                        input.display(),
                        input.display()
                    ),
                    kohyo::build::Status::Built => writeln!(
                        err,
                        "kohyo: {} を更新しました（保存から {ms:.0} ms）/ rebuilt {} ({ms:.0} ms after the save)",
                        input.display(),
                        input.display()
                    ),
                };
            }
            Event::Stopped => {
                let _ = writeln!(err, "kohyo: 監視を終了しました / stopped watching");
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kohyo: 監視できません / cannot watch: {e}");
            ExitCode::from(1)
        }
    }
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
            return missing(input);
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
                let errors = diag::shown_in(&errors, lang);
                eprint!("{}", diag::render_human(&errors, &sources, lang, color));
                return ExitCode::from(1);
            }
        }
    }
    let cmp = kohyo::compare::compare(&versions[0], &versions[1]);
    let Some(dir) = out else {
        print!("{}", kohyo::write::shinkyu::text::render(&cmp));
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
            eprintln!(
                "kohyo: {} に書き込めません / cannot write {}: {e}",
                path.display(),
                path.display()
            );
            return ExitCode::from(2);
        }
        eprintln!("kohyo: {}", path.display());
    }
    eprintln!(
        "kohyo: 変更 {} 件（追加 {}、削除 {}、変更 {}、移動 {}）、変更なし {} 件 / {} changes, {} unchanged",
        cmp.changes.len(),
        cmp.of_kind(kohyo::compare::Kind::Added).count(),
        cmp.of_kind(kohyo::compare::Kind::Removed).count(),
        cmp.of_kind(kohyo::compare::Kind::Changed).count(),
        cmp.of_kind(kohyo::compare::Kind::Moved).count(),
        cmp.unchanged(),
        cmp.changes.len(),
        cmp.unchanged()
    );
    ExitCode::SUCCESS
}

/// Nothing at `p`, not even a link (a link that leads nowhere is the draft's K001).
fn absent(p: &std::path::Path) -> bool {
    std::fs::symlink_metadata(p).is_err()
}

fn missing(input: &std::path::Path) -> ExitCode {
    eprintln!(
        "kohyo: {} がありません / {} does not exist",
        input.display(),
        input.display()
    );
    ExitCode::from(2)
}

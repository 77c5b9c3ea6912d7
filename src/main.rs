//! The `kohyo` command.

use clap::{Parser, Subcommand};
use kohyo::diag::{self, Format, Lang};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// kohyo (公表): publish a municipality's policy draft (地方版総合戦略).
#[derive(Parser)]
#[command(version, about, long_about = None)]
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
        /// Draft folders (default: every folder under inputs/).
        inputs: Vec<PathBuf>,
        /// Where the outputs go.
        #[arg(long, default_value = "outputs")]
        out: PathBuf,
        /// Language of the messages.
        #[arg(long, value_enum, default_value_t = Lang::Ja)]
        lang: Lang,
        /// The CSV files' encoding: UTF-8 with a BOM, or CP932 (Shift_JIS) for offices that
        /// need it.
        #[arg(long, value_enum, default_value_t = CsvEncodingArg::Utf8)]
        csv_encoding: CsvEncodingArg,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Model { input } => model(&input),
        Command::Build {
            inputs,
            out,
            lang,
            csv_encoding,
        } => build(inputs, &out, lang, csv_encoding.into()),
        Command::Check {
            input,
            lang,
            format,
        } => check(&input, lang, format),
    }
}

fn model(input: &std::path::Path) -> ExitCode {
    if !input.exists() {
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
    if !input.exists() {
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

fn build(
    inputs: Vec<PathBuf>,
    out: &std::path::Path,
    lang: Lang,
    csv_encoding: kohyo::write::opendata::CsvEncoding,
) -> ExitCode {
    let options = kohyo::build::BuildOptions { csv_encoding };
    let inputs = if inputs.is_empty() {
        match kohyo::build::drafts_under(std::path::Path::new("inputs")) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("kohyo: inputs/ を読めません / cannot read inputs/: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        inputs
    };
    if let Some(m) = inputs.iter().find(|i| !i.exists()) {
        return missing(m);
    }
    let started = std::time::Instant::now();
    let color = std::io::stderr().is_terminal();
    let mut failed = 0;
    for input in &inputs {
        let built = kohyo::build::build_draft(input, out, options);
        let (mut diags, sources) = built.outcome.display_diagnostics();
        diags.extend(built.errors.iter().cloned());
        if !diags.is_empty() {
            eprint!("{}", diag::render_human(&diags, &sources, lang, color));
        }
        if built.failed() {
            failed += 1;
            eprintln!(
                "kohyo: {} の出力を作れませんでした / {} failed",
                input.display(),
                input.display()
            );
        } else {
            for f in &built.files {
                eprintln!("kohyo: {}", f.display());
            }
        }
    }
    eprintln!(
        "kohyo: {} 件中 {} 件成功、{} 件失敗（{:.2} 秒）/ {} built, {} failed",
        inputs.len(),
        inputs.len() - failed,
        failed,
        started.elapsed().as_secs_f64(),
        inputs.len() - failed,
        failed
    );
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn missing(input: &std::path::Path) -> ExitCode {
    eprintln!(
        "kohyo: {} がありません / {} does not exist",
        input.display(),
        input.display()
    );
    ExitCode::from(2)
}

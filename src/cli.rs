//! The command line: its arguments, its help in Japanese (the default) or English, and clap's
//! usage errors said in the same language.
//!
//! clap writes its help and errors in English. kohyo keeps clap for parsing and replaces every
//! word it prints: each command's and argument's help comes from [`HELP`], the headings and the
//! usage lines from [`usage`], and a usage error is re-said by [`error_text`] from clap's error
//! kind and context. The language is `--lang`, else `KOHYO_LANG`, else Japanese.

use crate::diag::{Format, Lang};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

/// The parsed command line.
#[derive(Parser, Debug)]
#[command(name = "kohyo", version = concat!(env!("CARGO_PKG_VERSION"), " (build ", env!("KOHYO_BUILD_ID"), ")"))]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// The language of the messages (`--lang`, else `KOHYO_LANG`, else Japanese).
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,
}

impl Cli {
    /// The language chosen: `--lang`, else `KOHYO_LANG`, else Japanese.
    pub fn lang(&self) -> Lang {
        self.lang.unwrap_or_else(env_lang)
    }
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// `kohyo build`.
    Build {
        /// Which drafts, where to, and how.
        #[command(flatten)]
        drafts: DraftArgs,
        /// How many drafts and writers run at once.
        #[arg(short = 'j', long, value_name = "N")]
        jobs: Option<usize>,
        /// Rebuild drafts whose inputs have not changed.
        #[arg(long)]
        force: bool,
    },
    /// `kohyo watch`.
    Watch {
        /// Which drafts, where to, and how.
        #[command(flatten)]
        drafts: DraftArgs,
    },
    /// `kohyo serve`.
    Serve {
        /// Which drafts, where to, and how.
        #[command(flatten)]
        drafts: DraftArgs,
        /// The port on 127.0.0.1 (0: any free port).
        #[arg(long, value_name = "N")]
        port: Option<u16>,
        /// Open the preview in the browser.
        #[arg(long)]
        open: bool,
    },
    /// `kohyo check`.
    Check {
        /// A draft folder or a single draft file.
        input: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// `kohyo model`.
    Model {
        /// A draft folder or a single draft file.
        input: PathBuf,
    },
    /// `kohyo diff`.
    Diff {
        /// The old version.
        old: PathBuf,
        /// The new version.
        new: PathBuf,
        /// Write the 新旧対照表 files into this folder instead of printing.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// `kohyo publish`.
    Publish {
        /// Draft folders.
        inputs: Vec<PathBuf>,
        /// Where the drafts were built.
        #[arg(long, default_value = "outputs", value_name = "DIR")]
        out: PathBuf,
        /// The catalog's root URL, over `[catalog] url`.
        #[arg(long, value_name = "URL")]
        to: Option<String>,
        /// Change nothing; print what would be done.
        #[arg(long)]
        dry_run: bool,
        /// Remove the resources kohyo no longer publishes.
        #[arg(long)]
        prune: bool,
    },
    /// `kohyo help`.
    Help {
        /// The command to explain.
        command: Option<String>,
    },
}

/// What `build` and `watch` share: which drafts, where to, and how.
#[derive(clap::Args, Debug)]
pub struct DraftArgs {
    /// Draft folders, or folders of draft folders.
    pub inputs: Vec<PathBuf>,
    /// Where the outputs go.
    #[arg(long, default_value = "outputs", value_name = "DIR")]
    pub out: PathBuf,
    /// The CSV files' encoding.
    #[arg(long, value_enum, default_value_t = CsvEncodingArg::Utf8)]
    pub csv_encoding: CsvEncodingArg,
}

/// `--csv-encoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CsvEncodingArg {
    /// UTF-8 with a byte order mark.
    #[value(name = "utf-8")]
    Utf8,
    /// CP932 (Windows-31J, Shift_JIS).
    Cp932,
}

impl From<CsvEncodingArg> for crate::write::opendata::CsvEncoding {
    fn from(a: CsvEncodingArg) -> Self {
        match a {
            CsvEncodingArg::Utf8 => Self::Utf8Bom,
            CsvEncodingArg::Cp932 => Self::Cp932,
        }
    }
}

/// The commands in the order the help and the README list them, with their usage lines (the
/// README's command list holds exactly these; `tests/cli.rs` checks it).
pub const USAGE: &[(&str, &str)] = &[
    (
        "build",
        "kohyo build [INPUT...] [--out DIR] [-j N] [--force] [--lang ja|en] [--csv-encoding utf-8|cp932]",
    ),
    (
        "watch",
        "kohyo watch [INPUT...] [--out DIR] [--lang ja|en] [--csv-encoding utf-8|cp932]",
    ),
    (
        "serve",
        "kohyo serve [INPUT...] [--out DIR] [--port N] [--open] [--lang ja|en] [--csv-encoding utf-8|cp932]",
    ),
    (
        "check",
        "kohyo check INPUT [--lang ja|en] [--format human|json]",
    ),
    ("model", "kohyo model INPUT [--lang ja|en]"),
    ("diff", "kohyo diff OLD NEW [--out DIR] [--lang ja|en]"),
    (
        "publish",
        "kohyo publish [INPUT...] [--out DIR] [--to URL] [--dry-run] [--prune] [--lang ja|en]",
    ),
    ("help", "kohyo help [COMMAND] [--lang ja|en]"),
];

/// The usage line of `command` (`None`: the whole program).
pub fn usage(command: Option<&str>) -> &'static str {
    match command {
        None => "kohyo <COMMAND> [--lang ja|en]",
        Some(c) => USAGE
            .iter()
            .find(|(name, _)| *name == c)
            .map_or("kohyo <COMMAND>", |(_, u)| u),
    }
}

/// Every help text: `(place, Japanese, English)`, where the place is `""` for the program, a
/// command's name (its line in the list of commands), `command+` (the paragraph its own help
/// opens with), or `command.argument` (`*.argument` for one every command has); places that
/// share a text are joined by `|`.
pub const HELP: &[(&str, &str, &str)] = &[
    (
        "",
        "kohyo（公表）: 市町村の総合戦略（地方版総合戦略）の原稿を、印刷用の PDF、オープンデータ、読み上げにも対応したウェブページとして公表します。",
        "kohyo (公表): publishes a municipality's policy draft (地方版総合戦略) as a print-ready PDF, open data and an accessible web page.",
    ),
    (
        "build+",
        "原稿を検査し、PDF・ウェブページ・オープンデータ・model.json を OUT/<原稿>/ に作ります。変更のない原稿は飛ばします。失敗した原稿があれば終了コードは 1 です。",
        "Checks each draft and builds its PDF, web page, open data and model.json into OUT/<draft>/, skipping drafts that have not changed. Exit status 1 if any draft failed.",
    ),
    (
        "watch+",
        "原稿を作成したあと、原稿のファイルが保存されるたびに作り直します（Ctrl-C で終了）。",
        "Builds the drafts, then rebuilds a draft whenever its files are saved (Ctrl-C to stop).",
    ),
    (
        "serve+",
        "原稿を作成し、保存されるたびに作り直しながら、ブラウザで見るプレビューを http://127.0.0.1:<ポート>/ に表示します（Ctrl-C で終了）。検査の結果、公表されるウェブページ、PDF、オープンデータの表、新旧対照表を、保存のたびに自動で更新します。このコンピューターからだけ見られます。",
        "Builds the drafts, rebuilds each whenever it is saved, and serves a preview to view in the browser at http://127.0.0.1:<port>/ (Ctrl-C to stop): the check results, the web page as published, the PDF, the open data as tables and the 新旧対照表, updated on every save. Only this computer can see it.",
    ),
    (
        "check+",
        "原稿を検査し、問題の場所（ファイル・行・セル）とコードを表示します。エラーがあれば終了コードは 1 です。",
        "Checks a draft and prints each problem with its code and place (file, line, cell). Exit status 1 when there are errors.",
    ),
    (
        "model+",
        "原稿を読み取った内容（正規化したモデル）を JSON で表示します。",
        "Prints the draft's canonical model as JSON.",
    ),
    (
        "diff+",
        "原稿の二つの版を比べます（新旧対照表）。変更を表示するか、--out のフォルダに PDF・ウェブページ・CSV を書き出します。OLD と NEW は kohyo が読める原稿か、以前の作成で出力された model.json です。",
        "Compares two versions of a draft (新旧対照表): prints the changes, or writes a PDF, a web page and a CSV into --out. OLD and NEW are drafts kohyo reads, or model.json files of earlier builds.",
    ),
    (
        "publish+",
        "作成済みのオープンデータを CKAN のカタログ（kohyo.toml の [catalog]）に公開します。データセットと、ファイルごとのリソースを作成または更新し、変わったものだけを送ります。API トークンは環境変数 KOHYO_CKAN_TOKEN（または [catalog] の token_env・token_file）から読み、コマンドラインでは受け取りません。",
        "Releases the built drafts' open data to a CKAN catalog (kohyo.toml's [catalog]): creates or updates the dataset and one resource per file, sending only what changed. The API token comes from the environment variable KOHYO_CKAN_TOKEN (or [catalog] token_env / token_file), never from the command line.",
    ),
    (
        "help+",
        "このヘルプか、指定したコマンドのヘルプを表示します。",
        "Prints this help, or the help of the given command.",
    ),
    (
        "build",
        "原稿から PDF・ウェブページ・オープンデータを作ります",
        "Build each draft's PDF, web page and open data",
    ),
    (
        "watch",
        "原稿が保存されるたびに作り直します",
        "Rebuild a draft whenever it is saved",
    ),
    (
        "serve",
        "保存のたびに作り直し、ブラウザでプレビューを表示します",
        "Rebuild on every save and preview the outputs in the browser",
    ),
    (
        "check",
        "原稿を検査して、問題とその場所を示します",
        "Check a draft and show each problem and its place",
    ),
    (
        "model",
        "原稿の内容を JSON で表示します",
        "Print a draft's canonical model as JSON",
    ),
    (
        "diff",
        "原稿の二つの版を比べます（新旧対照表）",
        "Compare two versions of a draft (新旧対照表)",
    ),
    (
        "publish",
        "オープンデータを CKAN のカタログに公開します",
        "Release the open data to a CKAN catalog",
    ),
    (
        "help",
        "コマンドの説明を表示します",
        "Print the help of a command",
    ),
    (
        "build.inputs|watch.inputs|serve.inputs|publish.inputs",
        "原稿のフォルダ。原稿のフォルダを並べたフォルダも指定できます（省略時: inputs/ の下のすべての原稿）。",
        "Draft folders, or folders whose sub-folders are drafts (default: every draft under inputs/).",
    ),
    (
        "check.input|model.input",
        "原稿のフォルダか、原稿のファイル一つ。",
        "A draft folder or a single draft file.",
    ),
    (
        "build.out|watch.out|serve.out",
        "出力先のフォルダ（既定: outputs）。",
        "Where the outputs go (default: outputs).",
    ),
    (
        "publish.out",
        "作成済みの出力があるフォルダ（既定: outputs）。",
        "Where the drafts were built (default: outputs).",
    ),
    (
        "diff.out",
        "表示する代わりに、新旧対照表の PDF・ウェブページ・CSV をこのフォルダに書き出します。",
        "Write the 新旧対照表's PDF, web page and CSV into this folder instead of printing.",
    ),
    (
        "build.jobs",
        "同時に処理する数（既定: CPU の数）。",
        "How many drafts and writers run at once (default: one per CPU).",
    ),
    (
        "build.force",
        "変更のない原稿も作り直します。",
        "Rebuild drafts whose inputs have not changed.",
    ),
    (
        "build.csv_encoding|watch.csv_encoding|serve.csv_encoding",
        "CSV の文字コード: utf-8（BOM 付き、既定）か cp932（Shift_JIS。必要な部署向け）。",
        "The CSV files' encoding: utf-8 (with a byte order mark, the default) or cp932 (Shift_JIS, for offices that need it).",
    ),
    (
        "serve.port",
        "127.0.0.1 で待ち受けるポートの番号。0 なら空いているポートを使います（省略時: 8000、使われていれば次の番号）。",
        "The port to listen on at 127.0.0.1; 0 for any free port (default: 8000, or the next free one).",
    ),
    (
        "serve.open",
        "プレビューをブラウザで開きます。",
        "Open the preview in the browser.",
    ),
    (
        "check.format",
        "表示の形式: human（既定。場所と原稿の行を示します）か json。",
        "Output format: human (the default, with the draft's lines) or json.",
    ),
    ("diff.old", "古い版。", "The old version."),
    ("diff.new", "新しい版。", "The new version."),
    (
        "publish.to",
        "カタログのアドレス。[catalog] の url の代わりに使います（試験用のカタログなど）。",
        "The catalog's root URL, used instead of [catalog] url (e.g. a test catalog).",
    ),
    (
        "publish.dry_run",
        "作成・更新・アップロードする予定を表示するだけで、カタログは変更しません。",
        "Print what would be created, updated, uploaded or left as it is; change nothing.",
    ),
    (
        "publish.prune",
        "kohyo が公開しなくなったリソースをデータセットから削除します。",
        "Remove the dataset's resources that kohyo no longer publishes.",
    ),
    (
        "help.command",
        "説明するコマンド。",
        "The command to explain.",
    ),
    (
        "*.lang",
        "メッセージの言語: ja（日本語、既定）か en（英語）。環境変数 KOHYO_LANG でも指定できます。",
        "The language of the messages: ja (Japanese, the default) or en (English). KOHYO_LANG sets it too.",
    ),
    ("*.help", "このヘルプを表示します。", "Print this help."),
    ("*.version", "版を表示します。", "Print the version."),
];

/// The help text for `place` in `lang`, if [`HELP`] has one.
pub fn help_text(place: &str, lang: Lang) -> Option<&'static str> {
    HELP.iter()
        .find(|(p, _, _)| p.split('|').any(|p| p == place))
        .map(|(_, ja, en)| match lang {
            Lang::Ja => *ja,
            Lang::En => *en,
        })
}

/// Words of the help's frame.
fn frame(lang: Lang) -> (&'static str, &'static str, &'static str, &'static str) {
    match lang {
        Lang::Ja => ("使い方", "コマンド", "引数", "オプション"),
        Lang::En => ("Usage", "Commands", "Arguments", "Options"),
    }
}

/// The language `KOHYO_LANG` asks for (Japanese when it is unset or not `en…`).
///
/// The locale is deliberately not consulted: servers and CI usually run in an English or C
/// locale while the staff who read kohyo's messages read Japanese.
pub fn env_lang() -> Lang {
    match std::env::var("KOHYO_LANG") {
        Ok(v) if v.trim().to_ascii_lowercase().starts_with("en") => Lang::En,
        _ => Lang::Ja,
    }
}

/// The language the raw arguments ask for, before clap has parsed them: a valid `--lang`
/// (the last one wins, as clap takes it), else [`env_lang`].
pub fn lang_of_args(args: &[OsString]) -> Lang {
    let mut lang = None;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let value = if a == "--lang" {
            it.next().map(|v| v.into_owned())
        } else {
            a.strip_prefix("--lang=").map(str::to_owned)
        };
        match value.as_deref() {
            Some("ja") => lang = Some(Lang::Ja),
            Some("en") => lang = Some(Lang::En),
            _ => {}
        }
    }
    lang.unwrap_or_else(env_lang)
}

/// The command `args` name (the first argument that is one of kohyo's commands).
fn command_of_args(args: &[OsString]) -> Option<&'static str> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--lang" {
            it.next();
            continue;
        }
        if a.starts_with('-') {
            continue;
        }
        return USAGE.iter().map(|(n, _)| *n).find(|n| *n == a);
    }
    None
}

/// The clap command with every text in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    let (usage_word, commands, _, _) = frame(lang);
    let template = format!("{usage_word}: {{usage}}\n\n{{all-args}}");
    let mut root = Cli::command()
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(help_flag())
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version),
        )
        .about(help_text("", lang).unwrap_or_default())
        .subcommand_help_heading(commands)
        .subcommand_value_name("COMMAND")
        .help_template(format!("{{about}}\n\n{template}"))
        .override_usage(usage(None));
    for (name, _) in USAGE {
        root = root.mut_subcommand(*name, |s| {
            let order = std::cell::Cell::new(0usize);
            s.about(help_text(name, lang).unwrap_or_default())
                .long_about(None::<&str>)
                .disable_help_flag(true)
                .arg(help_flag())
                .help_template(format!(
                    "{}\n\n{template}",
                    paragraph(help_text(&format!("{name}+"), lang).unwrap_or_default())
                ))
                .override_usage(usage(Some(name)))
                .mut_args(|a| {
                    // In the order declared (clap sorts a custom heading's arguments).
                    order.set(order.get() + 1);
                    localize(a, Some(name), lang).display_order(order.get())
                })
        });
    }
    root.mut_args(|a| localize(a, None, lang))
}

/// kohyo's own `-h` / `--help` (clap's says "Print help").
fn help_flag() -> clap::Arg {
    clap::Arg::new("help")
        .short('h')
        .long("help")
        .action(ArgAction::Help)
}

/// An argument of `command` (`None`: the program's) with its help text, heading and value
/// name in `lang`.
fn localize(a: clap::Arg, command: Option<&str>, lang: Lang) -> clap::Arg {
    let (_, _, arguments, options) = frame(lang);
    let id = a.get_id().as_str().to_owned();
    let text = command
        .and_then(|c| help_text(&format!("{c}.{id}"), lang))
        .or_else(|| help_text(&format!("*.{id}"), lang))
        .unwrap_or_default();
    let heading = if a.is_positional() {
        arguments
    } else {
        options
    };
    quiet_values(named(
        a.help(text).long_help(None::<&str>).help_heading(heading),
    ))
}

/// A Japanese paragraph with one sentence a line (a terminal wraps a long line anywhere, so
/// a sentence a line keeps the help readable); English as it is.
fn paragraph(text: &str) -> String {
    text.trim_end()
        .split_inclusive('。')
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

/// An argument with the value name the README's command list uses (`INPUT`, `ja|en`, …).
fn named(a: clap::Arg) -> clap::Arg {
    let name = match a.get_id().as_str() {
        "inputs" | "input" => "INPUT",
        "lang" => "ja|en",
        "csv_encoding" => "utf-8|cp932",
        "format" => "human|json",
        "old" => "OLD",
        "new" => "NEW",
        "command" => "COMMAND",
        _ => return a,
    };
    a.value_name(name)
}

/// An argument that takes a value, without clap's English `[possible values: …]` and
/// `[default: …]` (its help text says both).
fn quiet_values(a: clap::Arg) -> clap::Arg {
    if a.get_action().takes_values() {
        a.hide_possible_values(true).hide_default_value(true)
    } else {
        a
    }
}

/// What parsing the command line ended in.
pub enum Parsed {
    /// Arguments to act on.
    Run(Cli),
    /// Text to print on stdout (help or the version), then exit 0.
    Print(String),
    /// A usage error to print on stderr, then exit 2.
    Usage(String),
}

/// Parse `args` (the program's name first), with help and errors in the language they ask for.
pub fn parse(args: Vec<OsString>) -> Parsed {
    let lang = lang_of_args(&args);
    let mut cmd = command(lang);
    match cmd.try_get_matches_from_mut(&args) {
        Ok(m) => match Cli::from_arg_matches(&m) {
            Ok(Cli {
                command: Command::Help { command: name },
                ..
            }) => help_of(&mut cmd, name.as_deref(), lang),
            Ok(cli) => Parsed::Run(cli),
            Err(e) => Parsed::Usage(error_text(&e, lang, command_of_args(&args))),
        },
        Err(e) => match e.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Parsed::Print(e.to_string()),
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand
                if command_of_args(&args).is_none() =>
            {
                Parsed::Usage(cmd.render_help().to_string())
            }
            _ => Parsed::Usage(error_text(&e, lang, command_of_args(&args))),
        },
    }
}

/// `kohyo help [COMMAND]`.
fn help_of(cmd: &mut clap::Command, name: Option<&str>, lang: Lang) -> Parsed {
    match name {
        None => Parsed::Print(cmd.render_help().to_string()),
        Some(n) => match cmd.find_subcommand_mut(n) {
            Some(sub) => Parsed::Print(sub.render_help().to_string()),
            _ => Parsed::Usage(unknown_command(n, lang)),
        },
    }
}

fn unknown_command(name: &str, lang: Lang) -> String {
    let list = USAGE.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ");
    match lang {
        Lang::Ja => format!(
            "エラー: 「{name}」というコマンドはありません。使えるコマンド: {list}\n\n詳しくは kohyo --help を見てください。\n"
        ),
        Lang::En => format!(
            "error: there is no command '{name}'. The commands are: {list}\n\nFor more information, try 'kohyo --help'.\n"
        ),
    }
}

/// A context value as text.
fn value(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(b) => Some(b.to_string()),
        ContextValue::None => None,
        _ => None,
    }
}

/// A usage error in `lang`: what is wrong, a suggestion when clap has one, the usage line of
/// the command, and where to read more.
pub fn error_text(e: &clap::Error, lang: Lang, command: Option<&str>) -> String {
    let more = match command {
        Some(c) => format!("kohyo {c} --help"),
        None => "kohyo --help".to_owned(),
    };
    if lang == Lang::En {
        // clap's own words, with kohyo's usage line.
        let rendered = e.render().to_string();
        let first = rendered
            .lines()
            .take_while(|l| !l.starts_with("Usage:") && !l.trim_start().starts_with("tip:"))
            .collect::<Vec<_>>()
            .join("\n")
            .trim_end()
            .to_owned();
        let tip = value(e, ContextKind::SuggestedSubcommand)
            .or_else(|| value(e, ContextKind::SuggestedArg))
            .or_else(|| value(e, ContextKind::SuggestedValue))
            .map(|s| format!("\n  tip: a similar one exists: '{s}'"))
            .unwrap_or_default();
        return format!(
            "{first}{tip}\n\nUsage: {}\n\nFor more information, try '{more}'.\n",
            usage(command)
        );
    }
    let arg = value(e, ContextKind::InvalidArg).unwrap_or_default();
    let given = value(e, ContextKind::InvalidValue).unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::InvalidSubcommand => format!(
            "「{}」というコマンドはありません",
            value(e, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::UnknownArgument if arg.starts_with('-') => {
            format!("「{arg}」というオプションはありません")
        }
        ErrorKind::UnknownArgument => format!("余分な引数「{arg}」があります"),
        ErrorKind::InvalidValue if given.is_empty() => format!("{arg} の値がありません"),
        ErrorKind::InvalidValue => format!(
            "{arg} に「{given}」は指定できません。指定できる値: {}",
            value(e, ContextKind::ValidValue).unwrap_or_default()
        ),
        ErrorKind::ValueValidation => {
            format!("{arg} の値「{given}」が正しくありません（数を書いてください）")
        }
        ErrorKind::MissingRequiredArgument => {
            format!("必要な引数 {arg} がありません")
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "コマンドを指定してください".to_owned()
        }
        ErrorKind::ArgumentConflict => format!(
            "{arg} は {} と一緒には使えません",
            value(e, ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::TooManyValues => format!("{arg} の値「{given}」が多すぎます"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} の値の数が合いません")
        }
        ErrorKind::NoEquals => format!("{arg} の値は = でつないでください"),
        ErrorKind::InvalidUtf8 => "引数に UTF-8 として読めない文字があります".to_owned(),
        _ => "コマンドラインを解釈できません".to_owned(),
    };
    let tip = value(e, ContextKind::SuggestedSubcommand)
        .or_else(|| value(e, ContextKind::SuggestedArg))
        .or_else(|| value(e, ContextKind::SuggestedValue))
        .map(|s| format!("\n  ヒント: 「{s}」のことですか"))
        .unwrap_or_default();
    format!(
        "エラー: {what}{tip}\n\n使い方: {}\n\n詳しくは {more} を見てください。\n",
        usage(command)
    )
}

/// What an I/O error while reading (or, with `writing`, writing) means, in `lang`: the words of
/// [`crate::explain`], with the system's own text after them only in English.
pub fn io_reason(e: &std::io::Error, lang: Lang, writing: bool) -> String {
    let x = if writing {
        crate::explain::io_write(e)
    } else {
        crate::explain::io_read(e)
    };
    match lang {
        Lang::Ja => x.ja,
        Lang::En if x.cause.is_empty() => x.en,
        Lang::En => format!("{} ({})", x.en, x.cause),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and argument clap knows has a help text in both languages.
    #[test]
    fn every_command_and_argument_has_help_in_both_languages() {
        let cmd = Cli::command();
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            assert!(help_text(&format!("*.{id}"), Lang::Ja).is_some(), "*.{id}");
        }
        for s in cmd.get_subcommands() {
            let name = s.get_name();
            assert!(help_text(name, Lang::Ja).is_some(), "{name}");
            assert!(USAGE.iter().any(|(n, _)| *n == name), "{name} has no usage");
            for a in s.get_arguments() {
                let id = a.get_id().as_str();
                let place = format!("{name}.{id}");
                assert!(
                    help_text(&place, Lang::Ja).is_some()
                        || help_text(&format!("*.{id}"), Lang::Ja).is_some(),
                    "{place} has no help"
                );
            }
        }
    }

    #[test]
    fn lang_comes_from_the_arguments_first() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_of_args(&args(&["kohyo", "build", "--lang", "en"])),
            Lang::En
        );
        assert_eq!(
            lang_of_args(&args(&["kohyo", "--lang=en", "check", "x"])),
            Lang::En
        );
        assert_eq!(
            lang_of_args(&args(&["kohyo", "--lang", "en", "--lang", "ja"])),
            Lang::Ja
        );
        assert_eq!(
            command_of_args(&args(&["kohyo", "--lang", "en", "diff", "a", "b"])),
            Some("diff")
        );
        assert_eq!(command_of_args(&args(&["kohyo", "bogus"])), None);
    }

    #[test]
    fn the_command_is_consistent() {
        command(Lang::Ja).debug_assert();
        command(Lang::En).debug_assert();
    }
}

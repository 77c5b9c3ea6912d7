//! Located diagnostics: stable codes, severities, Japanese and English messages, and
//! rendering the way rustc renders (annotate-snippets) or as JSON.

use crate::grid::Origin;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The draft cannot be published as it is.
    Error,
    /// Probably a mistake in the draft; kohyo made a documented choice and went on.
    Warning,
    /// Worth knowing; nothing is wrong.
    Note,
}

/// The language diagnostics are shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Japanese, for the staff who edit drafts.
    #[default]
    Ja,
    /// English.
    En,
}

/// A message in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Text {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A message from its Japanese and English forms.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// The message in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

macro_rules! codes {
    ($( $code:ident = $sev:ident, $ja:literal, $en:literal; )*) => {
        /// A stable diagnostic code. The table in the README lists them all.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( #[doc = $en] $code, )* }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            /// The code as written, e.g. `K101`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$code => stringify!($code), )* }
            }

            /// The severity every diagnostic with this code has.
            pub fn severity(self) -> Severity {
                match self { $( Code::$code => Severity::$sev, )* }
            }

            /// One line saying what the code means.
            pub fn summary(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( (Code::$code, Lang::Ja) => $ja, (Code::$code, Lang::En) => $en, )*
                }
            }
        }
    };
}

codes! {
    K001 = Error, "ファイルを読み込めません", "a file cannot be read";
    K002 = Error, "ファイル形式を判別できません", "the file type is not recognised";
    K003 = Error, "文字コードとして解釈できないバイトがあります", "bytes that cannot be decoded as text";
    K004 = Error, "ファイルが空です", "the file is empty";
    K005 = Error, "ファイルが壊れているか、形式どおりではありません", "the file is damaged or not what its format says";
    K006 = Note, "読み込めない種類のファイルを飛ばしました", "a file of an unknown type was skipped";
    K007 = Error, "読み込みの上限を超えています", "a limit on what kohyo reads is exceeded";
    K010 = Error, "kohyo.toml の書き方に誤りがあります", "kohyo.toml has a syntax error or an invalid value";
    K011 = Error, "全国地方公共団体コードが正しくありません", "the local government code is invalid";
    K012 = Error, "kohyo.toml の sources に書かれたファイルがありません", "a file named in kohyo.toml's sources does not exist";
    K013 = Error, "施策の表が見つかりません", "no table of measures was found";
    K014 = Error, "施策の表が複数のファイルにあります", "more than one file holds a table of measures";
    K015 = Error, "オープンデータに必要な項目が kohyo.toml にありません", "kohyo.toml lacks what the open data needs";
    K016 = Error, "フォルダに原稿のファイルがありません", "the draft folder holds no draft file";
    K101 = Error, "必要な見出しの列がありません", "a required header column is missing";
    K102 = Warning, "想定していない見出しの列があります（読み飛ばします）", "an unexpected header column (ignored)";
    K103 = Error, "必要なセルが空です", "a required cell is empty";
    K104 = Error, "具体的な施策に番号がありません", "a measure has no number";
    K105 = Error, "具体的な施策の番号が重複しています", "a measure number is used twice";
    K106 = Warning, "具体的な施策の番号に欠番があります", "measure numbers skip a number";
    K107 = Warning, "同じ施策の基本的方向が離れた行にあります（一つにまとめます）", "a direction appears in rows that are not adjacent (merged into one)";
    K108 = Error, "同じ番号の施策の基本的方向に異なる名称があります", "one direction code has two different titles";
    K109 = Warning, "施策の基本的方向の番号が基本目標と合いません", "a direction code does not match its goal";
    K110 = Error, "施策の基本的方向に番号がありません", "a direction has no code";
    K111 = Warning, "対応する開き引用符のない閉じ引用符があります（削除します）", "a closing quote with no opening quote (removed)";
    K112 = Note, "機種依存文字があります（オープンデータでは数字に置き換えます）", "platform-dependent characters (open data carries them as plain numbers)";
    K113 = Error, "戦略のタイトルがありません", "the strategy has no title";
    K114 = Error, "関連する既存事業の基本目標が施策の表にありません", "a related-projects goal matches no goal of the table of measures";
    K115 = Warning, "同じ基本目標が離れた行にあります（一つにまとめます）", "a goal appears in rows that are not adjacent (merged into one)";
    K116 = Error, "同じ見出しの列が二つあります", "the same header column appears twice";
    K117 = Warning, "表計算ソフトが数式として実行する文字で始まる値があります（CSV では無害化します）", "a value starts like a spreadsheet formula (neutralised in the CSV)";
    K118 = Warning, "表示できない制御文字があります（取り除きます）", "control characters that cannot be shown (left out)";
    K119 = Warning, "指標を読み取れません（書かれたとおりに載せます）", "an indicator cannot be read (published as written)";
    K120 = Warning, "指標の値が数値ではありません（書かれたとおりに載せます）", "an indicator's value is not a number (published as written)";
    K121 = Warning, "指標の年・年度を読み取れません", "an indicator's year or date cannot be read";
    K122 = Warning, "指標の目標年度が計画期間の外です", "an indicator's target date lies outside the plan period";
    K123 = Error, "指標の基準年度が目標年度より後です", "an indicator's baseline date is later than its target date";
    K124 = Error, "指標の基本目標・具体的な施策が見つかりません", "an indicator's goal or measure does not exist";
    K125 = Note, "読み込まない表・シートがあります", "a table or sheet kohyo does not use";
    K126 = Warning, "指標の基準値と目標値の単位が違います", "an indicator's baseline and target have different units";
    K130 = Error, "公開先のカタログが設定されていません", "no catalog to publish to is configured";
    K131 = Error, "カタログの API トークンがありません", "no API token for the catalog";
    K132 = Error, "カタログに接続できません", "the catalog cannot be reached";
    K133 = Error, "カタログが操作を認めません（API トークンか組織の権限）", "the catalog refuses (the API token, or rights on the organization)";
    K134 = Error, "カタログに組織かデータセットが見つかりません", "the organization or the dataset is not in the catalog";
    K135 = Error, "データセット名が他の組織のデータセットに使われています", "the dataset name is taken by another organization's dataset";
    K136 = Error, "カタログが値を受け付けません", "the catalog rejects a value";
    K137 = Error, "カタログの側でエラーが起きました", "the catalog failed on its side";
    K138 = Error, "公開する出力がないか、原稿より古くなっています", "the outputs to publish are missing or older than the draft";
    K139 = Error, "kohyo.toml に API トークンが書かれています", "kohyo.toml holds the API token";
    K140 = Error, "ライセンスがカタログのライセンス一覧にありません", "the licence is not in the catalog's licence list";
    K201 = Error, "PDF のフォントにない文字があります", "a character the PDF's font does not have";
    K202 = Error, "PDF を書き出せませんでした", "the PDF could not be written";
    K203 = Error, "CSV の文字コード（CP932）で表せない文字があります", "a character the CSV's encoding (CP932) cannot hold";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A secondary place a diagnostic points at, with its label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    /// Where.
    pub origin: Origin,
    /// What is there.
    pub label: Text,
}

/// One problem found in a draft, with where it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// How bad it is (always the code's severity).
    pub severity: Severity,
    /// Where it is, when it has a place.
    pub origin: Option<Origin>,
    /// What is wrong.
    pub message: Text,
    /// The label under the primary location (what to look at there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<Text>,
    /// Other places involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// Further explanation or advice.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Text>,
    /// A library's own (English) words for what went wrong, when the diagnostic wraps one:
    /// kept for `--lang en` and the JSON, never shown in Japanese (the message says it in
    /// Japanese).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with `code` at `origin` saying `ja` / `en`.
    pub fn new(
        code: Code,
        origin: Option<Origin>,
        ja: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            origin,
            message: Text::new(ja, en),
            label: None,
            related: Vec::new(),
            notes: Vec::new(),
            cause: None,
        }
    }

    /// A diagnostic at `origin`.
    pub fn at(code: Code, origin: Origin, ja: impl Into<String>, en: impl Into<String>) -> Self {
        Diagnostic::new(code, Some(origin), ja, en)
    }

    /// Add the label shown under the primary location.
    pub fn label(mut self, ja: impl Into<String>, en: impl Into<String>) -> Self {
        self.label = Some(Text::new(ja, en));
        self
    }

    /// Add a secondary location.
    pub fn related(mut self, origin: Origin, ja: impl Into<String>, en: impl Into<String>) -> Self {
        self.related.push(Related {
            origin,
            label: Text::new(ja, en),
        });
        self
    }

    /// Add a note.
    pub fn note(mut self, ja: impl Into<String>, en: impl Into<String>) -> Self {
        self.notes.push(Text::new(ja, en));
        self
    }

    /// Keep a library's own words for the problem (the `cause` field).
    pub fn cause(mut self, library_text: impl Into<String>) -> Self {
        let text = library_text.into();
        self.cause = Some(text).filter(|t| !t.trim().is_empty());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic as shown in `lang`: in English its cause (a library's own words)
    /// becomes a last note; in Japanese it stays out, the message having said it in Japanese.
    pub fn shown_in(&self, lang: Lang) -> Diagnostic {
        let mut d = self.clone();
        if let (Lang::En, Some(cause)) = (lang, &self.cause) {
            d.notes.push(Text::new("", format!("cause: {cause}")));
        }
        d
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin {
            Some(o) => write!(
                f,
                "{}: {}[{}]: {}",
                o,
                sev_word(self.severity, Lang::En),
                self.code,
                self.message.en
            ),
            None => write!(
                f,
                "{}[{}]: {}",
                sev_word(self.severity, Lang::En),
                self.code,
                self.message.en
            ),
        }
    }
}

impl std::error::Error for Diagnostic {}

fn sev_word(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::Error, Lang::En) => "error",
        (Severity::Warning, Lang::En) => "warning",
        (Severity::Note, Lang::En) => "note",
        (Severity::Error, Lang::Ja) => "エラー",
        (Severity::Warning, Lang::Ja) => "警告",
        (Severity::Note, Lang::Ja) => "情報",
    }
}

/// The decoded text of the draft's text files, by file name, for showing source lines.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    texts: BTreeMap<String, String>,
    cells: BTreeMap<(String, String, String), String>,
}

impl SourceMap {
    /// Remember the decoded text of a text file.
    pub fn add_text(&mut self, file: &str, text: String) {
        self.texts.insert(file.to_string(), text);
    }

    /// Remember a spreadsheet cell's text.
    pub fn add_cell(&mut self, file: &str, sheet: &str, cell: &str, text: String) {
        self.cells.insert(
            (file.to_string(), sheet.to_string(), cell.to_string()),
            text,
        );
    }

    /// A copy with every file name passed through `f`.
    pub fn rebased(&self, f: &dyn Fn(&str) -> String) -> SourceMap {
        SourceMap {
            texts: self.texts.iter().map(|(k, v)| (f(k), v.clone())).collect(),
            cells: self
                .cells
                .iter()
                .map(|((file, sheet, cell), v)| ((f(file), sheet.clone(), cell.clone()), v.clone()))
                .collect(),
        }
    }

    /// Merge another map into this one.
    pub fn extend(&mut self, other: SourceMap) {
        self.texts.extend(other.texts);
        self.cells.extend(other.cells);
    }

    fn line_of(&self, o: &Origin) -> Option<(&str, usize, usize)> {
        let text = self.texts.get(&o.file)?;
        let line = o.line? as usize;
        let mut start = 0;
        for (i, l) in text.split('\n').enumerate() {
            if i + 1 == line {
                let l = l.strip_suffix('\r').unwrap_or(l);
                let col = o.column.unwrap_or(1).max(1) as usize - 1;
                let byte = l.char_indices().nth(col).map_or(l.len(), |(b, _)| b);
                return Some((l, byte, start));
            }
            start += l.len() + 1;
        }
        None
    }
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// As rustc prints them, with source lines.
    #[default]
    Human,
    /// A JSON array.
    Json,
}

/// Render diagnostics for people, as rustc does; `color` adds ANSI styles. The carets follow
/// the terminal's width of East Asian Ambiguous characters ([`ambiguous_is_wide`]).
pub fn render_human(diags: &[Diagnostic], sources: &SourceMap, lang: Lang, color: bool) -> String {
    render_human_for(diags, sources, lang, color, ambiguous_is_wide())
}

/// Whether the terminal draws East Asian Ambiguous characters (“ ” ① ※ → …) two columns
/// wide: `KOHYO_AMBIGUOUS_WIDTH=wide|narrow` when set, else wide in a Japanese, Chinese or
/// Korean locale (`LC_ALL`, `LC_CTYPE`, `LANG`), the usual setting of terminals there.
pub fn ambiguous_is_wide() -> bool {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if let Some(v) = var("KOHYO_AMBIGUOUS_WIDTH") {
        return matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "wide" | "double" | "2"
        );
    }
    var("LC_ALL")
        .or_else(|| var("LC_CTYPE"))
        .or_else(|| var("LANG"))
        .is_some_and(|l| ["ja", "zh", "ko"].iter().any(|p| l.starts_with(p)))
}

/// [`render_human`] with the width of ambiguous characters given: `wide` moves each caret right
/// by one column for every ambiguous character before it on the shown line, and lengthens it by
/// one for each under it.
pub fn render_human_for(
    diags: &[Diagnostic],
    sources: &SourceMap,
    lang: Lang,
    color: bool,
    wide: bool,
) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&render_one(d, sources, lang, color, wide));
        out.push_str("\n\n");
    }
    out.push_str(&summary_line(diags, lang));
    out
}

/// One diagnostic as [`render_human_for`] shows it (its heading line first), without the
/// count line that closes a list.
pub fn render_one(
    d: &Diagnostic,
    sources: &SourceMap,
    lang: Lang,
    color: bool,
    wide: bool,
) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    // Under English, a wrapped library's own text is a last note.
    let d = &d.shown_in(lang);
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    };
    let level = if lang == Lang::Ja {
        level.with_name(Some(sev_word(d.severity, lang)))
    } else {
        level
    };
    let title = level
        .clone()
        .primary_title(d.message.get(lang))
        .id(d.code.as_str());
    let mut group: Group = Group::with_title(title);
    if let Some(o) = &d.origin {
        group = add_location(
            group,
            o,
            d.label.as_ref().map(|l| l.get(lang)),
            true,
            sources,
        );
    }
    for r in &d.related {
        group = add_location(group, &r.origin, Some(r.label.get(lang)), false, sources);
    }
    let note = match lang {
        Lang::Ja => Level::NOTE.with_name(Some("補足")),
        Lang::En => Level::NOTE,
    };
    for n in &d.notes {
        group = group.element(note.clone().message(n.get(lang)));
    }
    let report = [group];
    let mut text = renderer.render(&report);
    // annotate-snippets puts the annotation's line and column after a snippet's path; for a
    // cell's snippet that is a meaningless `:1:1` after `'戦略'!C12`, the whole place.
    for o in d.origin.iter().chain(d.related.iter().map(|r| &r.origin)) {
        if o.cell.is_some() {
            let place = o.to_string();
            text = text.replace(&format!("{place}:1:1"), &place);
        }
    }
    if wide {
        text = widen_carets(&text);
    }
    // With no numbered source line there is no gutter, and annotate-snippets starts the
    // `-->` at the margin; indent the body as under a one-digit line number.
    let numbered = d
        .origin
        .iter()
        .chain(d.related.iter().map(|r| &r.origin))
        .any(|o| sources.line_of(o).is_some());
    if !numbered {
        text = text
            .split('\n')
            .enumerate()
            .map(|(i, l)| {
                if i == 0 || l.is_empty() {
                    l.to_owned()
                } else {
                    format!(" {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
    }
    text
}

/// The visible characters of a rendered line with their byte offsets (ANSI styles skipped).
fn visible(line: &str) -> Vec<(usize, char)> {
    let mut out = Vec::new();
    let mut it = line.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte.
            if it.peek().is_some_and(|(_, c)| *c == '[') {
                it.next();
                for (_, c) in it.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        out.push((i, c));
    }
    out
}

/// The part of a rendered snippet line after its gutter (`12 | ` or `   | `): the visible
/// characters, and whether the gutter carries a line number.
fn after_gutter(v: &[(usize, char)]) -> Option<(&[(usize, char)], bool)> {
    let bar = v.iter().position(|(_, c)| *c == '|')?;
    if !v[..bar]
        .iter()
        .all(|(_, c)| c.is_ascii_digit() || *c == ' ')
    {
        return None;
    }
    let numbered = v[..bar].iter().any(|(_, c)| c.is_ascii_digit());
    let rest = &v[bar + 1..];
    let rest = rest
        .strip_prefix(&[(rest.first()?.0, ' ')][..])
        .unwrap_or(rest);
    Some((rest, numbered))
}

/// A marker line's caret run: where it starts among the visible characters after the gutter,
/// and how long it is.
fn marker_run(rest: &[(usize, char)]) -> Option<(usize, usize)> {
    let start = rest.iter().position(|(_, c)| *c != ' ')?;
    let mark = rest[start].1;
    if mark != '^' && mark != '-' {
        return None;
    }
    let len = rest[start..].iter().take_while(|(_, c)| *c == mark).count();
    // A label, if any, follows after one space.
    match rest.get(start + len) {
        None | Some((_, ' ')) => Some((start, len)),
        _ => None,
    }
}

/// Move and lengthen the carets under each source line for a terminal that draws ambiguous
/// characters two columns wide.
fn widen_carets(text: &str) -> String {
    use unicode_width::UnicodeWidthChar;
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    for i in 1..lines.len() {
        let src = visible(lines[i - 1]);
        let mark = visible(lines[i]);
        let (Some((src_rest, _)), Some((mark_rest, false))) =
            (after_gutter(&src), after_gutter(&mark))
        else {
            continue;
        };
        let Some((start, len)) = marker_run(mark_rest) else {
            continue;
        };
        if src_rest.is_empty() || marker_run(src_rest).is_some() {
            continue;
        }
        // Narrow columns of the source text, and the ambiguous characters before and under.
        let (mut col, mut before, mut under) = (0usize, 0usize, 0usize);
        for (_, c) in src_rest {
            let narrow = c.width().unwrap_or(0);
            let extra = c.width_cjk().unwrap_or(0).saturating_sub(narrow);
            if col < start {
                before += extra;
            } else if col < start + len {
                under += extra;
            } else {
                break;
            }
            col += narrow;
        }
        if before == 0 && under == 0 {
            continue;
        }
        let (first, _) = mark_rest[start];
        let (last, c) = mark_rest[start + len - 1];
        let end = last + c.len_utf8();
        let line = lines[i];
        out[i] = format!(
            "{}{}{}{}{}",
            &line[..first],
            " ".repeat(before),
            &line[first..end],
            c.to_string().repeat(under),
            &line[end..]
        );
    }
    out.join("\n")
}

fn add_location<'a>(
    group: Group<'a>,
    o: &'a Origin,
    label: Option<&'a str>,
    primary: bool,
    sources: &'a SourceMap,
) -> Group<'a> {
    let kind = if primary {
        AnnotationKind::Primary
    } else {
        AnnotationKind::Context
    };
    if let Some((line, byte, _)) = sources.line_of(o) {
        let end = line[byte..]
            .chars()
            .next()
            .map_or(byte, |c| byte + c.len_utf8());
        let mut ann = kind.span(byte..end);
        if let Some(l) = label {
            ann = ann.label(l);
        }
        return group.element(
            Snippet::source(line)
                .line_start(o.line.unwrap_or(1) as usize)
                .path(o.file.as_str())
                .annotation(ann),
        );
    }
    if let (Some(sheet), Some(cell)) = (&o.sheet, &o.cell)
        && let Some(text) = sources
            .cells
            .get(&(o.file.clone(), sheet.clone(), cell.clone()))
    {
        let shown = text.lines().next().unwrap_or("");
        let mut ann = kind.span(0..shown.len());
        if let Some(l) = label {
            ann = ann.label(l);
        }
        return group.element(
            Snippet::source(shown)
                .line_numbering(false)
                .path(o.to_string())
                .annotation(ann),
        );
    }
    let group = group.element(annotate_snippets::Origin::path(o.to_string()));
    match label {
        Some(l) if !primary => group.element(Level::NOTE.message(l)),
        _ => group,
    }
}

/// The closing count line, e.g. 「エラー 1 件、警告 2 件、情報 1 件」.
pub fn summary_line(diags: &[Diagnostic], lang: Lang) -> String {
    let count = |s| diags.iter().filter(|d| d.severity == s).count();
    let (e, w, n) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Note),
    );
    match lang {
        Lang::Ja => format!("エラー {e} 件、警告 {w} 件、情報 {n} 件\n"),
        Lang::En => {
            let plural = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            format!(
                "{}, {}, {}\n",
                plural(e, "error", "errors"),
                plural(w, "warning", "warnings"),
                plural(n, "note", "notes")
            )
        }
    }
}

/// JSON form of one diagnostic, with the message in the chosen language.
#[derive(Serialize)]
struct JsonDiag<'a> {
    code: Code,
    severity: Severity,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    origin: Option<&'a Origin>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cause: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    #[serde(flatten)]
    origin: &'a Origin,
    location: String,
    label: &'a str,
}

/// Render diagnostics as a JSON array (messages in `lang`).
pub fn render_json(diags: &[Diagnostic], lang: Lang) -> String {
    let list: Vec<JsonDiag> = diags
        .iter()
        .map(|d| JsonDiag {
            code: d.code,
            severity: d.severity,
            message: d.message.get(lang),
            label: d.label.as_ref().map(|l| l.get(lang)),
            origin: d.origin.as_ref(),
            location: d.origin.as_ref().map(ToString::to_string),
            related: d
                .related
                .iter()
                .map(|r| JsonRelated {
                    origin: &r.origin,
                    location: r.origin.to_string(),
                    label: r.label.get(lang),
                })
                .collect(),
            notes: d.notes.iter().map(|n| n.get(lang)).collect(),
            cause: d.cause.as_deref(),
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate {c}");
            assert!(c.as_str().starts_with('K') && c.as_str().len() == 4);
            assert!(!c.summary(Lang::Ja).is_empty() && !c.summary(Lang::En).is_empty());
        }
    }

    #[test]
    fn human_rendering_shows_the_source_line() {
        let mut sources = SourceMap::default();
        sources.add_text("d.txt", "first\n<li>事業”</li>\n".into());
        let d = Diagnostic::at(
            Code::K111,
            Origin::text("d.txt", 2, 7),
            "閉じ引用符",
            "closing quote",
        )
        .label("ここ", "here");
        let out = render_human(&[d], &sources, Lang::Ja, false);
        assert!(out.contains("警告[K111]: 閉じ引用符"), "{out}");
        assert!(out.contains("d.txt:2:7"), "{out}");
        assert!(out.contains("<li>事業”</li>"), "{out}");
        assert!(out.contains("エラー 0 件、警告 1 件、情報 0 件"), "{out}");
    }

    #[test]
    fn human_rendering_of_a_cell_location() {
        let mut sources = SourceMap::default();
        sources.add_cell("d.xlsx", "戦略", "C12", "⑰重複".into());
        sources.add_cell("d.xlsx", "戦略", "C3", "⑰最初".into());
        let d = Diagnostic::at(
            Code::K105,
            Origin::cell("d.xlsx", "戦略", 11, 2),
            "重複",
            "dup",
        )
        .related(Origin::cell("d.xlsx", "戦略", 2, 2), "一度目", "first");
        let out = render_human(&[d], &sources, Lang::En, false);
        assert!(out.contains("error[K105]: dup"), "{out}");
        // The cell is the whole place: no line and column after it.
        assert!(out.contains("--> d.xlsx '戦略'!C12\n"), "{out}");
        assert!(out.contains("::: d.xlsx '戦略'!C3\n"), "{out}");
        assert!(!out.contains("C12:") && !out.contains("C3:"), "{out}");
        assert!(out.contains("⑰重複") && out.contains("⑰最初"), "{out}");
    }

    #[test]
    fn a_cause_is_an_english_note_and_a_json_field_never_japanese() {
        let cause = "invalid Zip archive: Could not find EOCD";
        let d = Diagnostic::at(
            Code::K005,
            Origin::file("a.xlsx"),
            "切れています",
            "cut off",
        )
        .cause(cause);
        let sources = SourceMap::default();
        let ja = render_human(std::slice::from_ref(&d), &sources, Lang::Ja, false);
        assert!(!ja.contains("EOCD"), "{ja}");
        let en = render_human(std::slice::from_ref(&d), &sources, Lang::En, false);
        assert!(en.contains(&format!("note: cause: {cause}")), "{en}");
        for lang in [Lang::Ja, Lang::En] {
            let v: serde_json::Value =
                serde_json::from_str(&render_json(std::slice::from_ref(&d), lang)).expect("json");
            assert_eq!(v[0]["cause"], cause);
            assert_eq!(
                v[0]["notes"],
                serde_json::Value::Null,
                "not a note in the JSON"
            );
        }
        let plain = Diagnostic::at(Code::K004, Origin::file("a.csv"), "空", "empty").cause(" ");
        let v: serde_json::Value =
            serde_json::from_str(&render_json(&[plain], Lang::En)).expect("json");
        assert!(v[0].get("cause").is_none(), "{v}");
    }

    #[test]
    fn json_rendering_has_code_and_place() {
        let d = Diagnostic::at(Code::K003, Origin::byte("x.csv", 17), "バイト", "bytes");
        let v: serde_json::Value =
            serde_json::from_str(&render_json(&[d], Lang::En)).expect("json");
        assert_eq!(v[0]["code"], "K003");
        assert_eq!(v[0]["severity"], "error");
        assert_eq!(v[0]["offset"], 17);
        assert_eq!(v[0]["location"], "x.csv@17");
    }
}

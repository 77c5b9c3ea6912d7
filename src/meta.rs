//! `kohyo.toml`: what the draft itself cannot say — its sources, the municipality and its
//! code, the publisher, the licence, the plan period — and an optional title and stage.
//!
//! ```toml
//! title = "苫小牧市総合戦略（骨子案）"   # else taken from the draft
//! stage = "骨子案"                      # else parsed from the title
//! sources = ["000_ebe3fcc3fed13691.txt"] # else every recognised file in the folder
//! license = "CC-BY-4.0"                  # or "PDL-1.0"
//! date = 2015-08-31                      # publication date of this version (optional)
//!
//! [municipality]
//! code = "012131"                        # 全国地方公共団体コード, with its check digit
//! name = "苫小牧市"
//! prefecture = "北海道"
//!
//! [publisher]
//! name = "苫小牧市"
//!
//! [period]
//! start = 2015
//! end = 2019
//!
//! [catalog]                              # optional: where `kohyo publish` releases the data
//! url = "https://data.city.example.lg.jp/" # the CKAN site (else `kohyo publish --to URL`)
//! organization = "tomakomai"             # the CKAN organization that owns the dataset
//! files = "upload"                       # or "link": files stay at base_url
//! token_env = "KOHYO_CKAN_TOKEN"         # the environment variable holding the API token
//! token_file = "/home/staff/.config/kohyo/ckan-token" # else a file holding it
//! license_id = "CC-BY-4.0"               # the catalog's licence id, when not CKAN's default
//!
//! [pdf]                                  # optional; these are the defaults
//! paper = "A4"                           # or "A3"
//! orientation = "landscape"              # or "portrait"
//! ```

use crate::diag::{Code, Diagnostic, SourceMap};
use crate::grid::Origin;
use crate::model::{
    Catalog, CatalogFiles, Date, Frequency, License, Municipality, PlanPeriod, Publisher, Stage,
    check_municipality_code,
};
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

/// The file name of a draft's metadata.
pub const FILE_NAME: &str = "kohyo.toml";

/// The validated contents of `kohyo.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// The title, overriding the draft's.
    pub title: Option<String>,
    /// The stage, overriding the one parsed from the title.
    pub stage: Option<Stage>,
    /// The source files to read, relative to the draft folder.
    pub sources: Option<Vec<(String, Origin)>>,
    /// The municipality.
    pub municipality: Option<Municipality>,
    /// The publisher.
    pub publisher: Option<Publisher>,
    /// The licence.
    pub license: Option<License>,
    /// The plan period.
    pub period: Option<PlanPeriod>,
    /// The publication date of this version.
    pub date: Option<Date>,
    /// How the PDF is laid out.
    pub pdf: PdfLayout,
    /// The URL the outputs will be published under, ending in `/`.
    pub base_url: Option<String>,
    /// How often the data is updated.
    pub update_frequency: Option<Frequency>,
    /// The `[catalog]` table: the CKAN catalog `kohyo publish` releases the data to.
    pub catalog: Option<CatalogSettings>,
}

/// The environment variable that holds the catalog's API token unless `token_env` names
/// another.
pub const DEFAULT_TOKEN_ENV: &str = "KOHYO_CKAN_TOKEN";

/// The `[catalog]` table of kohyo.toml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogSettings {
    /// What the catalog record carries (organization, licence id, files uploaded or linked).
    pub record: Catalog,
    /// The CKAN site's address, e.g. `https://data.city.example.lg.jp/`.
    pub url: Option<String>,
    /// The environment variable holding the API token.
    pub token_env: String,
    /// A file holding the API token, as written (relative to the draft folder).
    pub token_file: Option<String>,
}

/// Paper size of the PDF.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// ISO A3, 297 × 420 mm.
    A3,
}

/// Orientation of the PDF's pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// Wider than tall (the default: the draft is a four-column table).
    #[default]
    Landscape,
    /// Taller than wide.
    Portrait,
}

/// The `[pdf]` table of kohyo.toml.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PdfLayout {
    /// Paper size.
    #[serde(default)]
    pub paper: Paper,
    /// Page orientation.
    #[serde(default)]
    pub orientation: Orientation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    title: Option<String>,
    stage: Option<Spanned<String>>,
    sources: Option<Vec<Spanned<String>>>,
    license: Option<Spanned<String>>,
    municipality: Option<RawMunicipality>,
    publisher: Option<RawPublisher>,
    period: Option<Spanned<RawPeriod>>,
    date: Option<Spanned<toml::value::Datetime>>,
    base_url: Option<Spanned<String>>,
    update_frequency: Option<Spanned<String>>,
    pdf: Option<PdfLayout>,
    catalog: Option<Spanned<RawCatalog>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    url: Option<Spanned<String>>,
    organization: Option<Spanned<String>>,
    files: Option<Spanned<String>>,
    token_env: Option<Spanned<String>>,
    token_file: Option<String>,
    license_id: Option<Spanned<String>>,
    /// Never accepted: present only to refuse a token written into the file (K139).
    token: Option<Spanned<toml::Value>>,
    api_key: Option<Spanned<toml::Value>>,
}

// The model's Publisher and PlanPeriod accept unknown keys; in kohyo.toml a misspelt key must
// be an error (K010), not silently dropped, so they are read through these.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPublisher {
    name: String,
    section: Option<String>,
    contact: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    start: u16,
    end: u16,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMunicipality {
    code: Spanned<String>,
    name: String,
    prefecture: String,
}

/// Parse `kohyo.toml` text; every problem is a located diagnostic.
pub fn parse(text: &str, file: &str) -> (Meta, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    // The document is parsed once for its shape, which kohyo checks itself (known keys, the
    // kind of each value) so that every message is kohyo's own, in both languages; serde's
    // English words only ever reach a diagnostic's cause.
    let doc = match toml::de::DeTable::parse(text) {
        Ok(doc) => doc,
        Err(e) => {
            diags.push(syntax_error(&e, text, file));
            return (Meta::default(), diags);
        }
    };
    check_table(doc.get_ref(), &TOP, None, text, file, &mut diags);
    if !diags.is_empty() {
        diags.sort_by_key(|d| d.origin.as_ref().map(|o| (o.line, o.column)));
        return (Meta::default(), diags);
    }
    let raw: RawMeta = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            // The shape was checked: what is left is a value serde refuses all the same.
            let origin = e
                .span()
                .map_or_else(|| Origin::file(file), |s| at(text, file, s));
            diags.push(
                Diagnostic::at(
                    Code::K010,
                    origin,
                    format!("{file} のこの値は使えません"),
                    format!("{file}: this value cannot be used"),
                )
                .cause(e.message()),
            );
            return (Meta::default(), diags);
        }
    };
    let mut meta = Meta {
        title: raw
            .title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        publisher: raw.publisher.map(|p| Publisher {
            name: p.name,
            section: p.section,
            contact: p.contact,
        }),
        pdf: raw.pdf.unwrap_or_default(),
        ..Default::default()
    };
    if let Some(date) = raw.date {
        let span = date.span();
        let value = date.into_inner();
        match value
            .date
            .filter(|_| value.time.is_none() && value.offset.is_none())
        {
            Some(d) => match Date::new(d.year, d.month, d.day) {
                Some(d) => meta.date = Some(d),
                None => diags.push(Diagnostic::at(
                    Code::K010,
                    at(text, file, span),
                    format!("date {value} は存在しない日付です"),
                    format!("date {value} is not a calendar date"),
                )),
            },
            None => diags.push(
                Diagnostic::at(
                    Code::K010,
                    at(text, file, span),
                    format!("date {value} は日付だけを書いてください"),
                    format!("date {value} must be a date alone"),
                )
                .note(
                    "例: date = 2015-08-31（引用符なし）",
                    "e.g. date = 2015-08-31 (no quotes)",
                ),
            ),
        }
    }
    if let Some(stage) = raw.stage {
        match Stage::from_label(stage.get_ref()) {
            Some(s) => meta.stage = Some(s),
            None => diags.push(
                Diagnostic::at(
                    Code::K010,
                    at(text, file, stage.span()),
                    format!("stage「{}」は段階の名前ではありません", stage.get_ref()),
                    format!("stage \"{}\" is not a stage name", stage.get_ref()),
                )
                .note(
                    "骨子案・素案・原案・策定 のいずれかを書いてください",
                    "write one of 骨子案, 素案, 原案, 策定",
                ),
            ),
        }
    }
    if let Some(license) = raw.license {
        match license.get_ref().as_str() {
            "CC-BY-4.0" | "CC BY 4.0" => meta.license = Some(License::CcBy40),
            "PDL-1.0" | "PDL1.0" => meta.license = Some(License::Pdl10),
            other => diags.push(
                Diagnostic::at(
                    Code::K010,
                    at(text, file, license.span()),
                    format!("license「{other}」には対応していません"),
                    format!("license \"{other}\" is not supported"),
                )
                .note(
                    "CC-BY-4.0 か PDL-1.0 を書いてください",
                    "write CC-BY-4.0 or PDL-1.0",
                ),
            ),
        }
    }
    if let Some(m) = raw.municipality {
        let code = m.code.get_ref().trim().to_string();
        match check_municipality_code(&code) {
            Ok(()) => {
                meta.municipality = Some(Municipality {
                    code,
                    name: m.name,
                    prefecture: m.prefecture,
                })
            }
            Err(e) => diags.push(
                Diagnostic::at(
                    Code::K011,
                    at(text, file, m.code.span()),
                    format!(
                        "全国地方公共団体コード「{code}」は正しくありません（{}）",
                        code_error_ja(&e)
                    ),
                    format!("local government code \"{code}\" is invalid ({e})"),
                )
                .note(
                    "6 桁のコードの最後の 1 桁は検査数字です（例: 苫小牧市は 012131）",
                    "the sixth digit is a check digit (e.g. Tomakomai is 012131)",
                ),
            ),
        }
    }
    if let Some(p) = raw.period {
        let span = p.span();
        let RawPeriod { start, end } = p.into_inner();
        let period = PlanPeriod { start, end };
        if period.start > period.end || period.start < 1900 || period.end > 2200 {
            diags.push(Diagnostic::at(
                Code::K010,
                at(text, file, span),
                format!(
                    "計画期間 {}〜{} が正しくありません",
                    period.start, period.end
                ),
                format!("plan period {}-{} is invalid", period.start, period.end),
            ));
        } else {
            meta.period = Some(period);
        }
    }
    if let Some(url) = raw.base_url {
        let u = url.get_ref().trim();
        match check_base_url(u) {
            Ok(()) => {
                let mut u = u.to_string();
                if !u.ends_with('/') {
                    u.push('/');
                }
                meta.base_url = Some(u);
            }
            Err(why) => diags.push(
                Diagnostic::at(
                    Code::K010,
                    at(text, file, url.span()),
                    format!(
                        "base_url「{u}」は公開先の URL として使えません（{}）",
                        why.0
                    ),
                    format!("base_url \"{u}\" is not a usable URL ({})", why.1),
                )
                .note(
                    "例: base_url = \"https://www.city.example.lg.jp/opendata/sogo-senryaku/\"",
                    "e.g. base_url = \"https://www.city.example.lg.jp/opendata/sogo-senryaku/\"",
                ),
            ),
        }
    }
    if let Some(f) = raw.update_frequency {
        match Frequency::ALL
            .iter()
            .find(|x| x.key() == f.get_ref().trim())
        {
            Some(x) => meta.update_frequency = Some(*x),
            None => {
                let keys: Vec<&str> = Frequency::ALL.iter().map(|x| x.key()).collect();
                diags.push(
                    Diagnostic::at(
                        Code::K010,
                        at(text, file, f.span()),
                        format!("update_frequency「{}」は使えません", f.get_ref()),
                        format!("update_frequency \"{}\" is not supported", f.get_ref()),
                    )
                    .note(
                        format!("{} のいずれかを書いてください", keys.join("・")),
                        format!("write one of {}", keys.join(", ")),
                    ),
                )
            }
        }
    }
    if let Some(sources) = raw.sources {
        meta.sources = Some(
            sources
                .into_iter()
                .map(|s| {
                    let o = at(text, file, s.span());
                    (s.into_inner(), o)
                })
                .collect(),
        );
    }
    if let Some(c) = raw.catalog {
        let span = c.span();
        meta.catalog = catalog(c.into_inner(), span, text, file, &mut diags);
    }
    strip_hidden(&mut meta, text, file, &mut diags);
    (meta, diags)
}

/// What a key of kohyo.toml holds.
#[derive(Clone, Copy)]
enum Kind {
    /// A quoted string.
    Text,
    /// A year, as an integer.
    Year,
    /// An array of quoted strings.
    Texts,
    /// A TOML date (no quotes).
    Date,
    /// A table of these keys.
    Table(&'static [Key]),
    /// One of these strings.
    Choice(&'static [&'static str]),
    /// Anything (keys that are refused later, whatever they hold).
    Any,
}

/// A key kohyo.toml may hold.
#[derive(Clone, Copy)]
struct Key {
    name: &'static str,
    kind: Kind,
    required: bool,
}

const fn key(name: &'static str, kind: Kind) -> Key {
    Key {
        name,
        kind,
        required: false,
    }
}

const fn needed(name: &'static str, kind: Kind) -> Key {
    Key {
        name,
        kind,
        required: true,
    }
}

const MUNICIPALITY: [Key; 3] = [
    needed("code", Kind::Text),
    needed("name", Kind::Text),
    needed("prefecture", Kind::Text),
];
const PUBLISHER: [Key; 3] = [
    needed("name", Kind::Text),
    key("section", Kind::Text),
    key("contact", Kind::Text),
];
const PERIOD: [Key; 2] = [needed("start", Kind::Year), needed("end", Kind::Year)];
const PDF: [Key; 2] = [
    key("paper", Kind::Choice(&["A4", "A3"])),
    key("orientation", Kind::Choice(&["landscape", "portrait"])),
];
const CATALOG: [Key; 8] = [
    key("url", Kind::Text),
    key("organization", Kind::Text),
    key("files", Kind::Text),
    key("token_env", Kind::Text),
    key("token_file", Kind::Text),
    key("license_id", Kind::Text),
    key("token", Kind::Any),
    key("api_key", Kind::Any),
];

/// The keys of kohyo.toml's top level, its tables among them.
const TOP: [Key; 12] = [
    key("title", Kind::Text),
    key("stage", Kind::Text),
    key("sources", Kind::Texts),
    key("license", Kind::Text),
    key("date", Kind::Date),
    key("base_url", Kind::Text),
    key("update_frequency", Kind::Text),
    key("municipality", Kind::Table(&MUNICIPALITY)),
    key("publisher", Kind::Table(&PUBLISHER)),
    key("period", Kind::Table(&PERIOD)),
    key("pdf", Kind::Table(&PDF)),
    key("catalog", Kind::Table(&CATALOG)),
];

/// Names joined for a message: 「a と b」 / "a and b", 「a・b・c」 / "a, b, c".
fn names(list: &[&str]) -> (String, String) {
    match list {
        [a, b] => (format!("{a} と {b}"), format!("{a} and {b}")),
        _ => (list.join("・"), list.join(", ")),
    }
}

/// The table (other than `inside`) whose keys include `name`, if any.
fn table_of(name: &str, inside: &str) -> Option<&'static str> {
    TOP.iter().find_map(|t| match t.kind {
        Kind::Table(keys) if t.name != inside && keys.iter().any(|k| k.name == name) => {
            Some(t.name)
        }
        _ => None,
    })
}

/// Check one table of kohyo.toml against `keys`: every key known, every value of its kind,
/// every required key there. `table` is the table's name and the span of its `[name]` line
/// (`None` at the top level).
fn check_table(
    table: &toml::de::DeTable<'_>,
    keys: &[Key],
    name: Option<(&str, Range<usize>)>,
    text: &str,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for (k, v) in table {
        let here = at(text, file, k.span());
        match keys.iter().find(|x| x.name == k.get_ref().as_ref()) {
            Some(known) => check_value(known, v, text, file, diags),
            None => diags.push(unknown_key(
                k.get_ref(),
                here,
                keys,
                name.clone(),
                text,
                file,
            )),
        }
    }
    for missing in keys
        .iter()
        .filter(|x| x.required && !table.keys().any(|k| k.get_ref().as_ref() == x.name))
    {
        let (t, span) = name.clone().unwrap_or(("", 0..0));
        diags.push(
            Diagnostic::at(
                Code::K010,
                at(text, file, span),
                format!("[{t}] に {} がありません", missing.name),
                format!("[{t}] lacks {}", missing.name),
            )
            .note(
                format!("[{t}] の行の下に {} = … を書いてください", missing.name),
                format!("write {} = … under the [{t}] line", missing.name),
            ),
        );
    }
}

/// K010 for a key kohyo does not know: what may be written there instead, and, for a key of
/// the top level or of another table, which table the line really sits in.
fn unknown_key(
    name: &str,
    here: Origin,
    keys: &[Key],
    table: Option<(&str, Range<usize>)>,
    text: &str,
    file: &str,
) -> Diagnostic {
    // The token keys are known only to be refused (K139): never offered as what to write.
    let allowed: Vec<&str> = keys
        .iter()
        .map(|k| k.name)
        .filter(|n| !matches!(*n, "token" | "api_key"))
        .collect();
    let (ja_list, en_list) = names(&allowed);
    let Some((t, header)) = table else {
        let d = Diagnostic::at(
            Code::K010,
            here,
            format!("知らない項目名 {name} があります"),
            format!("unknown key {name}"),
        );
        let d = match table_of(name, "") {
            Some(owner) => d.note(
                format!("{name} は [{owner}] の項目です。[{owner}] の行の下に書いてください"),
                format!("{name} belongs in the [{owner}] table: write it under the [{owner}] line"),
            ),
            None => d.note(
                format!("最上位に書けるのは {ja_list} です"),
                format!("the top level takes {en_list}"),
            ),
        };
        return match closest(name, &allowed) {
            Some(near) => d.note(
                format!("{near} の書き間違いではありませんか"),
                format!("did you mean {near}?"),
            ),
            None => d,
        };
    };
    let header_at = at(text, file, header);
    let d = Diagnostic::at(
        Code::K010,
        here,
        format!("知らない項目名 {name} があります。[{t}] に書けるのは {ja_list} です"),
        format!("unknown key {name}: [{t}] takes {en_list}"),
    )
    .related(
        header_at.clone(),
        format!("[{t}] の表はここから始まります"),
        format!("the [{t}] table starts here"),
    );
    let line = header_at.line.unwrap_or(1);
    if TOP.iter().any(|k| k.name == name) {
        d.note(
            format!("この行は [{t}] の表（{line} 行目から）の中にあります。最上位の項目は最初の [ ] の行より前に書いてください"),
            format!("this line sits inside the [{t}] table (from line {line}): top-level keys go before the first [ ] line"),
        )
    } else if let Some(owner) = table_of(name, t) {
        d.note(
            format!("この行は [{t}] の表（{line} 行目から）の中にあります。{name} は [{owner}] の項目なので、[{owner}] の行の下に書いてください"),
            format!("this line sits inside the [{t}] table (from line {line}): {name} belongs under the [{owner}] line"),
        )
    } else if let Some(near) = closest(name, &allowed) {
        d.note(
            format!("{near} の書き間違いではありませんか"),
            format!("did you mean {near}?"),
        )
    } else {
        d.note(
            format!("この行は [{t}] の表（{line} 行目から）の中にあります。最上位の項目のつもりなら、最初の [ ] の行より前に書いてください"),
            format!("this line sits inside the [{t}] table (from line {line}): if it is meant as a top-level key, write it before the first [ ] line"),
        )
    }
}

/// The known key `name` is closest to, when it is one or two edits away (a misspelling).
fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let distance = |a: &str, b: &str| {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
                prev = cur;
            }
        }
        row[b.len()]
    };
    known
        .iter()
        .map(|k| (distance(name, k), *k))
        .filter(|(d, _)| *d <= 2 && *d < name.chars().count())
        .min()
        .map(|(_, k)| k)
}

/// Check that a known key's value is of its kind.
fn check_value(
    key: &Key,
    v: &toml::Spanned<toml::de::DeValue<'_>>,
    text: &str,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    use toml::de::DeValue as V;
    let name = key.name;
    let here = || at(text, file, v.span());
    let wrong = |ja: String, en: String, eg: String| {
        Diagnostic::at(Code::K010, here(), ja, en).note(format!("例: {eg}"), format!("e.g. {eg}"))
    };
    match (key.kind, v.get_ref()) {
        (Kind::Any, _) | (Kind::Text, V::String(_)) | (Kind::Date, V::Datetime(_)) => {}
        (Kind::Text, _) => diags.push(wrong(
            format!("{name} には文字列を \" \" で囲んで書いてください"),
            format!("{name} takes a string in double quotes"),
            format!("{name} = \"…\""),
        )),
        (Kind::Year, V::Integer(i))
            if u16::from_str_radix(i.as_str(), i.radix()).is_ok_and(|y| y > 0) => {}
        (Kind::Year, _) => diags.push(wrong(
            format!("{name} には年を西暦の数で書いてください"),
            format!("{name} takes a year as a number"),
            format!("{name} = 2015"),
        )),
        (Kind::Texts, V::Array(items)) if items.iter().all(|i| i.get_ref().is_str()) => {}
        (Kind::Texts, _) => diags.push(wrong(
            format!(
                "{name} にはファイル名を \" \" で囲み、[ ] の中にカンマで区切って書いてください"
            ),
            format!("{name} takes a list of file names in quotes, inside [ ]"),
            format!("{name} = [\"原稿.xlsx\"]"),
        )),
        (Kind::Date, _) => diags.push(wrong(
            format!("{name} には日付を引用符なしで書いてください"),
            format!("{name} takes a date without quotes"),
            format!("{name} = 2015-08-31"),
        )),
        (Kind::Choice(choices), V::String(s)) if choices.contains(&s.as_ref()) => {}
        (Kind::Choice(choices), value) => {
            let shown = value
                .as_str()
                .map_or_else(|| " の値".to_string(), |s| format!("「{s}」"));
            let shown_en = value
                .as_str()
                .map_or_else(String::new, |s| format!(" \"{s}\""));
            diags.push(
                Diagnostic::at(
                    Code::K010,
                    here(),
                    format!("{name}{shown}は使えません"),
                    format!("{name}{shown_en} is not supported"),
                )
                .note(
                    format!("{} を \" \" で囲んで書いてください", choices.join(" か ")),
                    format!("write {}, in double quotes", choices.join(" or ")),
                ),
            );
        }
        (Kind::Table(keys), V::Table(t)) => check_table(
            t,
            keys,
            Some((name, v.span().start..v.span().start)),
            text,
            file,
            diags,
        ),
        (Kind::Table(_), _) => diags.push(wrong(
            format!("{name} は [{name}] の行の下に書く表です"),
            format!("{name} is a table: write its keys under a [{name}] line"),
            format!("[{name}]"),
        )),
    }
}

/// K010 for a document TOML cannot parse: what is wrong, in words, by what the parser found.
fn syntax_error(e: &toml::de::Error, text: &str, file: &str) -> Diagnostic {
    let origin = e
        .span()
        .map_or_else(|| Origin::file(file), |s| at(text, file, s));
    let msg = e.message();
    let has = |w: &str| msg.contains(w);
    let (ja, en) = if has("duplicate key") {
        (
            "同じ項目名がもう一度書かれています（一つの表に同じ項目は一度だけ書けます）",
            "the same key is written twice (a table holds each key once)",
        )
    } else if has("string values must be quoted") || has("invalid string") {
        (
            "文字列は \" \" で囲んでください",
            "strings go in double quotes",
        )
    } else if has("missing value") || has("key with no value") {
        ("= の後に値がありません", "there is no value after =")
    } else if has("unclosed table") || has("missing table") || has("unclosed array table") {
        (
            "表の名前の行は [ ] で閉じてください（例: [period]）",
            "a table's line must be closed with ] (e.g. [period])",
        )
    } else if has("array") {
        (
            "配列は [ ] で囲み、要素をカンマで区切ってください（例: [\"a.xlsx\", \"b.xlsx\"]）",
            "a list goes in [ ], its items separated by commas (e.g. [\"a.xlsx\", \"b.xlsx\"])",
        )
    } else if has("inline table") {
        (
            "{ } の中の書き方に誤りがあります",
            "the { } table is not well-formed",
        )
    } else if has("date") || has("time") || has("offset") {
        (
            "日付の書き方に誤りがあります（例: date = 2015-08-31）",
            "the date is not well-formed (e.g. date = 2015-08-31)",
        )
    } else if has("quote") || has("string") || has("escape") || has("unicode") {
        (
            "引用符 \" の対応か、\\ の使い方に誤りがあります（\\ は \\\\ と書きます）",
            "the quotes \" do not pair up, or a \\ is misused (write \\\\ for \\)",
        )
    } else if has("assignment") || has("`=`") || has("key-value") || has("unquoted key") {
        (
            "「項目名 = 値」の形になっていません",
            "the line is not of the form key = value",
        )
    } else if has("digit") || has("leading zero") || has("sign") || has("radix") || has("`_`") {
        (
            "数の書き方に誤りがあります",
            "the number is not well-formed",
        )
    } else if has("comment") || has("carriage return") {
        (
            "表示できない文字か、余分な文字があります",
            "the line holds a character that cannot be shown, or one too many",
        )
    } else if has("unexpected") {
        (
            "余分な文字があります（一行に書けるのは「項目名 = 値」一つです）",
            "there is something more on the line (a line holds one key = value)",
        )
    } else {
        (
            "TOML の書き方に合っていません",
            "it is not well-formed TOML",
        )
    };
    let line = origin
        .line
        .map(|l| format!("{l} 行目の"))
        .unwrap_or_default();
    let line_en = origin
        .line
        .map(|l| format!(" at line {l}"))
        .unwrap_or_default();
    Diagnostic::at(
        Code::K010,
        origin,
        format!("{file} {line}書き方に誤りがあります: {ja}"),
        format!("{file} is not well-formed{line_en}: {en}"),
    )
    .cause(msg)
}

/// The `[catalog]` table, checked: an organization name CKAN accepts, a usable URL, a token
/// named but never written here.
fn catalog(
    raw: RawCatalog,
    span: Range<usize>,
    text: &str,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<CatalogSettings> {
    let before = diags.len();
    for secret in [raw.token, raw.api_key].into_iter().flatten() {
        // The line is not shown: it holds the secret.
        let line = at(text, file, secret.span()).line.unwrap_or(0);
        diags.push(
            Diagnostic::new(
                Code::K139,
                Some(Origin::file(file)),
                format!("{file} の {line} 行目に API トークンが書かれています。このファイルは原稿と一緒に共有されるため、トークンを書いてはいけません"),
                format!("line {line} of {file} holds the API token; the file is shared with the draft and must not hold it"),
            )
            .note(
                format!("その行を消し、トークンは環境変数 {DEFAULT_TOKEN_ENV}（token_env で名前を変えられます）か、token_file に書いたファイルに入れてください。書いてしまったトークンはカタログで無効にし、作り直してください"),
                format!("delete the line and put the token in the environment variable {DEFAULT_TOKEN_ENV} (token_env renames it) or in a file named by token_file; revoke the token that was written here and make a new one"),
            ),
        );
    }
    let organization = match raw.organization {
        Some(o) if is_ckan_name(o.get_ref().trim()) => o.get_ref().trim().to_string(),
        Some(o) => {
            diags.push(
                Diagnostic::at(
                    Code::K010,
                    at(text, file, o.span()),
                    format!("organization「{}」は CKAN の組織名として使えません", o.get_ref()),
                    format!("organization \"{}\" is not a CKAN organization name", o.get_ref()),
                )
                .note(
                    "組織名（URL に出る名前）は英小文字・数字・-・_ の 2〜100 文字です（例: tomakomai）",
                    "an organization name (the one in its URL) is 2-100 lowercase letters, digits, - or _ (e.g. tomakomai)",
                ),
            );
            String::new()
        }
        None => {
            diags.push(
                Diagnostic::at(
                    Code::K010,
                    at(text, file, span.start..span.start),
                    "[catalog] に organization（データセットを持つ CKAN の組織名）がありません",
                    "[catalog] lacks organization (the CKAN organization that owns the dataset)",
                )
                .note(
                    "例: organization = \"tomakomai\"",
                    "e.g. organization = \"tomakomai\"",
                ),
            );
            String::new()
        }
    };
    let mut url = None;
    if let Some(u) = raw.url {
        match check_catalog_url(u.get_ref().trim()) {
            Ok(clean) => url = Some(clean),
            Err((ja, en)) => diags.push(
                Diagnostic::at(
                    Code::K010,
                    at(text, file, u.span()),
                    format!("url「{}」はカタログの URL として使えません（{ja}）", u.get_ref()),
                    format!("url \"{}\" is not a usable catalog URL ({en})", u.get_ref()),
                )
                .note(
                    "CKAN サイトの先頭の URL を書いてください（例: url = \"https://data.city.example.lg.jp/\"）",
                    "write the CKAN site's root URL (e.g. url = \"https://data.city.example.lg.jp/\")",
                ),
            ),
        }
    }
    let mut files = CatalogFiles::default();
    if let Some(f) = raw.files {
        match f.get_ref().trim() {
            "upload" => files = CatalogFiles::Upload,
            "link" => files = CatalogFiles::Link,
            other => diags.push(
                Diagnostic::at(
                    Code::K010,
                    at(text, file, f.span()),
                    format!("files「{other}」は使えません"),
                    format!("files \"{other}\" is not supported"),
                )
                .note(
                    "upload（ファイルをカタログに置く）か link（base_url のファイルを指す）を書いてください",
                    "write upload (the files are stored in the catalog) or link (the catalog points at the files under base_url)",
                ),
            ),
        }
    }
    let mut token_env = DEFAULT_TOKEN_ENV.to_string();
    if let Some(t) = raw.token_env {
        let name = t.get_ref().trim();
        if !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
        {
            token_env = name.to_string();
        } else {
            diags.push(
                Diagnostic::at(
                    Code::K010,
                    at(text, file, t.span()),
                    "token_env には環境変数の名前を書いてください（トークンそのものではなく）",
                    "token_env names an environment variable (not the token itself)",
                )
                .note(
                    format!("例: token_env = \"{DEFAULT_TOKEN_ENV}\""),
                    format!("e.g. token_env = \"{DEFAULT_TOKEN_ENV}\""),
                ),
            );
        }
    }
    let token_file = raw.token_file.filter(|f| !f.trim().is_empty());
    if let Some(f) = &token_file
        && inside_the_draft(f)
    {
        diags.push(
            Diagnostic::new(
                Code::K139,
                Some(Origin::file(file)),
                format!("token_file「{f}」は原稿のフォルダの中です。原稿のフォルダは共有され、その中のファイルは出力の manifest.json にも載るため、トークンを置いてはいけません"),
                format!("token_file \"{f}\" lies in the draft folder, which is shared and whose files manifest.json lists: the token must not be there"),
            )
            .note(
                "フォルダの外の絶対パスを書いてください（例: token_file = \"/home/staff/.config/kohyo/ckan-token\"）か、環境変数 KOHYO_CKAN_TOKEN を使ってください",
                "write an absolute path outside it (e.g. token_file = \"/home/staff/.config/kohyo/ckan-token\"), or use the environment variable KOHYO_CKAN_TOKEN",
            ),
        );
    }
    let license_id = raw
        .license_id
        .map(|l| l.into_inner().trim().to_string())
        .filter(|l| !l.is_empty());
    if diags.len() > before {
        return None;
    }
    Some(CatalogSettings {
        record: Catalog {
            organization,
            license_id,
            files,
        },
        url,
        token_env,
        token_file,
    })
}

/// True when `path`, relative to the draft folder, names a place inside it.
fn inside_the_draft(path: &str) -> bool {
    let p = std::path::Path::new(path.trim());
    if p.is_absolute() {
        return false;
    }
    let mut depth: i32 = 0;
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => depth -= 1,
            std::path::Component::Normal(_) => depth += 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    true
}

/// A name CKAN takes for a dataset or an organization: 2–100 of `a-z 0-9 - _`.
pub fn is_ckan_name(name: &str) -> bool {
    (2..=100).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// The catalog's root URL with one trailing `/`, or why it cannot be used: (Japanese, English).
pub fn check_catalog_url(u: &str) -> Result<String, (&'static str, &'static str)> {
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or((
            "https:// で始まっていません",
            "it does not start with https://",
        ))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() {
        return Err(("ホスト名がありません", "it has no host name"));
    }
    if u.chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#'))
    {
        return Err(("空白や ?・# を含んでいます", "it holds spaces, ? or #"));
    }
    Ok(format!("{}/", u.trim_end_matches('/')))
}

/// Take hidden control characters out of the text values that reach the outputs, with one
/// K118 at the first one written literally in the file (or at the file, when written as
/// `\u` escapes).
fn strip_hidden(meta: &mut Meta, text: &str, file: &str, diags: &mut Vec<Diagnostic>) {
    use crate::grid::{is_hidden_control, strip_hidden_controls};
    let mut found: Vec<char> = Vec::new();
    let mut fields: Vec<&mut String> = Vec::new();
    if let Some(t) = meta.title.as_mut() {
        fields.push(t);
    }
    if let Some(m) = meta.municipality.as_mut() {
        fields.push(&mut m.name);
        fields.push(&mut m.prefecture);
    }
    if let Some(p) = meta.publisher.as_mut() {
        fields.push(&mut p.name);
        fields.extend(p.section.as_mut());
        fields.extend(p.contact.as_mut());
    }
    for f in fields {
        if f.chars().any(is_hidden_control) {
            found.extend(f.chars().filter(|c| is_hidden_control(*c)));
            *f = strip_hidden_controls(f).trim().to_string();
        }
    }
    if found.is_empty() {
        return;
    }
    let origin = text
        .char_indices()
        .find(|(_, c)| is_hidden_control(*c) && !matches!(c, '\r'))
        .map_or_else(|| Origin::file(file), |(i, _)| at(text, file, i..i));
    diags.push(crate::normalize::hidden_controls_diagnostic(
        file, origin, &found,
    ));
}

/// Why a base URL cannot be used: (Japanese, English).
fn check_base_url(u: &str) -> Result<(), (&'static str, &'static str)> {
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or((
            "https:// で始まっていません",
            "it does not start with https://",
        ))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || !host.contains('.') {
        return Err(("ホスト名がありません", "it has no host name"));
    }
    if u.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
    }) {
        return Err((
            "URL に使えない文字があります",
            "it holds characters a URL cannot",
        ));
    }
    if u.contains('?') || u.contains('#') {
        return Err(("? や # を含められません", "it cannot hold ? or #"));
    }
    Ok(())
}

fn code_error_ja(e: &crate::model::CodeError) -> String {
    match e {
        crate::model::CodeError::Shape => "半角数字 6 桁ではありません".into(),
        crate::model::CodeError::Prefecture(p) => {
            format!("都道府県の部分 {p:02} が 01〜47 ではありません")
        }
        crate::model::CodeError::CheckDigit { expected } => {
            format!("検査数字は {expected} のはずです")
        }
    }
}

/// The origin of a byte span in a text.
fn at(text: &str, file: &str, span: Range<usize>) -> Origin {
    let start = span.start.min(text.len());
    let start = (0..=start)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let before = &text[..start];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before
        .rfind('\n')
        .map_or(before, |nl| &before[nl + 1..])
        .chars()
        .count() as u32
        + 1;
    Origin::text(file, line, col)
}

/// Read `kohyo.toml` from a draft folder, if there is one.
pub fn load(dir: &std::path::Path, sources: &mut SourceMap) -> (Option<Meta>, Vec<Diagnostic>) {
    let path = dir.join(FILE_NAME);
    if !path.is_file() {
        return (None, Vec::new());
    }
    match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => {
                let (meta, diags) = parse(&text, FILE_NAME);
                sources.add_text(FILE_NAME, text);
                (Some(meta), diags)
            }
            Err(e) => {
                let offset = e.utf8_error().valid_up_to();
                (
                    None,
                    vec![Diagnostic::at(
                        Code::K003,
                        Origin::byte(FILE_NAME, offset as u64),
                        format!(
                            "{FILE_NAME} は UTF-8 で保存してください（{offset} バイト目が読めません）"
                        ),
                        format!("{FILE_NAME} must be UTF-8 (byte {offset} is not)"),
                    )],
                )
            }
        },
        Err(e) => {
            let x = crate::explain::io_read(&e);
            (
                None,
                vec![
                    Diagnostic::at(
                        Code::K001,
                        Origin::file(FILE_NAME),
                        format!("{FILE_NAME} を読み込めません: {}", x.ja),
                        format!("cannot read {FILE_NAME}: {}", x.en),
                    )
                    .cause(x.cause),
                ],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_table_is_read_and_checked() {
        let (m, d) = parse(
            "[catalog]\nurl = \"http://127.0.0.1:5055\"\norganization = \"tomakomai\"\nfiles = \"link\"\n",
            "kohyo.toml",
        );
        assert!(d.is_empty(), "{d:?}");
        let c = m.catalog.unwrap();
        assert_eq!(c.url.as_deref(), Some("http://127.0.0.1:5055/"));
        assert_eq!(c.record.organization, "tomakomai");
        assert_eq!(c.record.files, CatalogFiles::Link);
        assert_eq!(c.token_env, DEFAULT_TOKEN_ENV);
        let (m, d) = parse(
            "[catalog]\norganization = \"Tomakomai City\"\n",
            "kohyo.toml",
        );
        assert!(m.catalog.is_none());
        assert_eq!(d[0].code, Code::K010);
        assert_eq!(d[0].origin.as_ref().and_then(|o| o.line), Some(2));
        let (_, d) = parse("[catalog]\nfiles = \"upload\"\n", "kohyo.toml");
        assert!(d[0].message.ja.contains("organization"), "{d:?}");
    }

    #[test]
    fn a_token_file_in_the_draft_folder_is_refused() {
        for (path, refused) in [
            ("ckan-token", true),
            ("secrets/../ckan-token", true),
            ("../ckan-token", false),
            ("/home/staff/.config/kohyo/ckan-token", false),
        ] {
            let text =
                format!("[catalog]\norganization = \"tomakomai\"\ntoken_file = \"{path}\"\n");
            let (m, d) = parse(&text, "kohyo.toml");
            assert_eq!(m.catalog.is_none(), refused, "{path}");
            assert_eq!(d.iter().any(|d| d.code == Code::K139), refused, "{path}");
        }
    }

    #[test]
    fn a_token_in_kohyo_toml_is_refused_without_being_shown() {
        let secret = "0123456789abcdef-SECRET";
        let text = format!("[catalog]\norganization = \"tomakomai\"\ntoken = \"{secret}\"\n");
        let (m, d) = parse(&text, "kohyo.toml");
        assert!(m.catalog.is_none());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::K139);
        // No line shown: the file-level origin keeps the secret out of the rendered snippet.
        assert_eq!(d[0].origin.as_ref().and_then(|o| o.line), None);
        assert!(d[0].message.ja.contains("3 行目"));
        let mut sources = SourceMap::default();
        sources.add_text("kohyo.toml", text.clone());
        for lang in [crate::diag::Lang::Ja, crate::diag::Lang::En] {
            let shown = crate::diag::render_human(&d, &sources, lang, false);
            assert!(!shown.contains(secret), "{shown}");
        }
    }

    const GOOD: &str = r#"title = "苫小牧市総合戦略（骨子案）"
stage = "骨子案"
sources = ["a.txt"]
license = "CC-BY-4.0"

[municipality]
code = "012131"
name = "苫小牧市"
prefecture = "北海道"

[publisher]
name = "苫小牧市"

[period]
start = 2015
end = 2019
"#;

    #[test]
    fn parses_a_full_file() {
        let (m, d) = parse(GOOD, "kohyo.toml");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.stage, Some(Stage::Kosshian));
        assert_eq!(
            m.municipality.as_ref().map(|m| m.code.as_str()),
            Some("012131")
        );
        assert_eq!(m.license, Some(License::CcBy40));
        assert_eq!(
            m.period,
            Some(PlanPeriod {
                start: 2015,
                end: 2019
            })
        );
        assert_eq!(m.sources.as_ref().map(|s| s[0].0.as_str()), Some("a.txt"));
        assert_eq!(m.sources.as_ref().map(|s| s[0].1.line), Some(Some(3)));
    }

    #[test]
    fn hidden_controls_are_taken_out_and_reported_at_their_line() {
        let text =
            "title = \"苫小牧市\u{202E}略戦合総\"\n[publisher]\nname = \"苫小牧市\\u0007\"\n";
        let (meta, diags) = parse(text, "kohyo.toml");
        assert_eq!(meta.title.as_deref(), Some("苫小牧市略戦合総"));
        assert_eq!(meta.publisher.map(|p| p.name).as_deref(), Some("苫小牧市"));
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::K118);
        let o = diags[0].origin.as_ref().expect("origin");
        assert_eq!((o.line, o.column), (Some(1), Some(14)));
        assert!(
            diags[0].message.ja.contains("2 か所"),
            "{}",
            diags[0].message.ja
        );
        assert!(diags[0].message.ja.contains("U+0007（制御文字）"));
        assert!(diags[0].message.ja.contains("U+202E（書字方向の制御文字）"));
    }

    #[test]
    fn bad_code_is_k011_at_its_line() {
        let (_, d) = parse(&GOOD.replace("012131", "012130"), "kohyo.toml");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::K011);
        assert_eq!(d[0].origin.as_ref().and_then(|o| o.line), Some(7));
        assert!(
            d[0].message.ja.contains("検査数字は 1 のはず"),
            "{}",
            d[0].message.ja
        );
    }

    #[test]
    fn date_and_pdf_layout() {
        let (m, d) = parse(
            "date = 2015-08-31\n[pdf]\npaper = \"A3\"\norientation = \"portrait\"\n",
            "kohyo.toml",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.date, Date::new(2015, 8, 31));
        assert_eq!(m.pdf.paper, Paper::A3);
        assert_eq!(m.pdf.orientation, Orientation::Portrait);
        let (m, _) = parse("", "kohyo.toml");
        assert_eq!(
            (m.pdf.paper, m.pdf.orientation),
            (Paper::A4, Orientation::Landscape)
        );
        for bad in [
            "date = 2015-02-30\n",
            "date = 2015-08-31T10:00:00\n",
            "date = \"2015-08-31\"\n",
            "[pdf]\npaper = \"B5\"\n",
            "[pdf]\nmargin = 3\n",
        ] {
            let (_, d) = parse(bad, "kohyo.toml");
            assert_eq!(d.len(), 1, "{bad}: {d:?}");
            assert_eq!(d[0].code, Code::K010, "{bad}");
            assert_eq!(
                d[0].origin.as_ref().and_then(|o| o.line).map(|l| l >= 1),
                Some(true)
            );
        }
    }

    /// Three English words in a row (letters only, two or more each).
    fn english(text: &str) -> bool {
        text.split(|c: char| !(c.is_ascii_alphabetic() || c == ' '))
            .any(|run| {
                run.split(' ')
                    .collect::<Vec<_>>()
                    .windows(3)
                    .any(|w| w.iter().all(|x| x.len() >= 2))
            })
    }

    #[test]
    fn k010_is_in_kohyo_s_words_and_keeps_the_parser_s_as_its_cause() {
        for (text, ja, cause) in [
            (
                "title = 苫小牧\n",
                "文字列は",
                Some("string values must be quoted"),
            ),
            (
                "title = \"a\"\ntitle = \"b\"\n",
                "同じ項目名",
                Some("duplicate key"),
            ),
            ("date = 2015-02-30\n", "日付の書き方", Some("invalid date")),
            ("sources = [\"a.txt\"\n", "配列は", None),
            (
                "[period]\nstart = 2015\nend = 2019\nbogus_key = 1\n",
                "知らない項目名 bogus_key があります。[period] に書けるのは start と end です",
                None,
            ),
            (
                "[period]\nstart = \"2015\"\nend = 2019\n",
                "年を西暦の数で",
                None,
            ),
            ("[pdf]\npaper = \"B5\"\n", "paper「B5」は使えません", None),
            ("sources = \"a.txt\"\n", "ファイル名を", None),
            (
                "[publisher]\nsection = \"x\"\n",
                "[publisher] に name がありません",
                None,
            ),
        ] {
            let (_, d) = parse(text, "kohyo.toml");
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(d[0].code, Code::K010);
            assert!(d[0].message.ja.contains(ja), "{text}: {}", d[0].message.ja);
            let words: Vec<&str> = std::iter::once(d[0].message.ja.as_str())
                .chain(d[0].notes.iter().map(|n| n.ja.as_str()))
                .collect();
            assert!(!words.iter().any(|w| english(w)), "{text}: {words:?}");
            if let Some(c) = cause {
                assert!(
                    d[0].cause.as_deref().is_some_and(|x| x.contains(c)),
                    "{d:?}"
                );
            }
        }
        assert!(english("unknown field bogus_key, expected start or end"));
    }

    #[test]
    fn syntax_errors_and_unknown_keys_are_k010() {
        let (_, d) = parse("title = \n", "kohyo.toml");
        assert_eq!(d[0].code, Code::K010);
        assert_eq!(d[0].origin.as_ref().and_then(|o| o.line), Some(1));
        let (_, d) = parse("titel = \"x\"\n", "kohyo.toml");
        assert_eq!(d[0].code, Code::K010);
        let (_, d) = parse("stage = \"完成\"\n", "kohyo.toml");
        assert_eq!(d[0].code, Code::K010);
        let (_, d) = parse("license = \"MIT\"\n", "kohyo.toml");
        assert_eq!(d[0].code, Code::K010);
        let (_, d) = parse("[period]\nstart = 2020\nend = 2015\n", "kohyo.toml");
        assert_eq!(d[0].code, Code::K010);
        // Misspelt keys in every table, at their line and column.
        for (text, line, col) in [
            ("[publisher]\nname = \"x\"\ncontcat = \"y\"\n", 3, 1),
            ("[period]\nstart = 2015\nend = 2019\nbegin = 2015\n", 4, 1),
            (
                "[municipality]\ncode = \"012131\"\nname = \"x\"\nprefecture = \"y\"\nkana = \"z\"\n",
                5,
                1,
            ),
        ] {
            let (_, d) = parse(text, "kohyo.toml");
            assert_eq!(d.len(), 1, "{text}: {d:?}");
            assert_eq!(d[0].code, Code::K010, "{text}");
            let o = d[0].origin.as_ref().expect("located");
            assert_eq!((o.line, o.column), (Some(line), Some(col)), "{text}");
        }
    }
}

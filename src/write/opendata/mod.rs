//! Open data: the draft as CSV that follows デジタル庁's 「行政データにおける機械可読性に関する
//! ルール」, with the metadata catalogs take as is (Frictionless Data Package, CSVW, DCAT-AP 3
//! JSON-LD, a CKAN `package_create` payload).
//!
//! Two tables: 施策 (one row per 事業例, every parent value repeated) and 関連する既存事業. Both
//! are built once here as [`Table`]s — columns with their Japanese and ASCII names, types and
//! constraints, and rows of cleaned values — and every file is written from them, so the CSV
//! and its three descriptions cannot disagree.

pub mod catalog;
pub mod csv;
pub mod package;

use crate::diag::{Code, Diagnostic};
use crate::grid::Origin;
use crate::model::{Frequency, License, Strategy};
use crate::normalize::is_platform_dependent;
use crate::write::title_of;
use unicode_normalization::UnicodeNormalization;

pub use csv::CsvEncoding;

/// The type of a column's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Text.
    String,
    /// A whole number (L2-01: numbers as numbers).
    Integer,
    /// A decimal number, written plainly (`55.2`, `-350`, `1234500000000`).
    Number,
}

/// One column of an open-data table.
#[derive(Clone, Debug)]
pub struct Column {
    /// The header as written in the CSV (Japanese), e.g. 基本目標番号.
    pub title: &'static str,
    /// The ASCII name for scripts (L3-08), e.g. `goal_no`.
    pub name: &'static str,
    /// What the column holds.
    pub description: &'static str,
    /// The value type.
    pub kind: ColumnType,
    /// Whether every row has a value.
    pub required: bool,
    /// A regular expression every value matches, when there is one.
    pub pattern: Option<&'static str>,
}

/// One open-data table: its file, columns and rows.
#[derive(Clone, Debug)]
pub struct Table {
    /// The file name under `data/`, e.g. `012131_tomakomai_shisaku.csv`.
    pub file: String,
    /// A short name for the resource in the package, e.g. `shisaku`.
    pub resource: &'static str,
    /// The table's title in Japanese.
    pub title: String,
    /// What the table holds.
    pub description: String,
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// The rows, each value already cleaned for the CSV.
    pub rows: Vec<Vec<String>>,
    /// Where each row's own item was read (for diagnostics about its values).
    pub origins: Vec<Option<Origin>>,
}

const CODE_PATTERN: &str = "^[0-9]{6}$";
const NUMBER_PATH: &str = "^[0-9]+(-[0-9]+)+$";

fn col(
    title: &'static str,
    name: &'static str,
    description: &'static str,
    kind: ColumnType,
    required: bool,
    pattern: Option<&'static str>,
) -> Column {
    Column {
        title,
        name,
        description,
        kind,
        required,
        pattern,
    }
}

/// The four columns every table starts with (自治体標準オープンデータセット): the code, the
/// row's ID (with its own pattern), the municipality and the plan.
fn head_columns(id_description: &'static str, id_pattern: &'static str) -> Vec<Column> {
    use ColumnType::String as Text;
    vec![
        col(
            "全国地方公共団体コード",
            "lg_code",
            "総務省の全国地方公共団体コード（検査数字付き6桁）",
            Text,
            true,
            Some(CODE_PATTERN),
        ),
        col("ID", "id", id_description, Text, true, Some(id_pattern)),
        col(
            "地方公共団体名",
            "lg_name",
            "都道府県名と市区町村名",
            Text,
            true,
            None,
        ),
        col(
            "計画名",
            "plan_title",
            "計画（総合戦略）の名称",
            Text,
            true,
            None,
        ),
    ]
}

/// The columns of the 施策 table, in the published order.
pub fn shisaku_columns() -> Vec<Column> {
    use ColumnType::{Integer, String as Text};
    let mut c = head_columns(
        "行の識別子（データセット内で一意。初めて公表したときの P＋最も下位の階層番号で、版が変わっても同じ項目は同じ ID、一度使った ID は別の項目に使わない）",
        "^P[0-9]+(-[0-9]+)+$",
    );
    c.extend([
        col("策定段階", "plan_stage", "骨子案・素案・原案・策定のいずれか", Text, false, Some("^(骨子案|素案|原案|策定)$")),
        col("基本目標番号", "goal_no", "基本目標の番号", Integer, true, None),
        col("基本目標", "goal", "基本目標", Text, true, None),
        col("施策の基本的方向番号", "direction_no", "施策の基本的方向の番号（例: 1-1）", Text, true, Some(NUMBER_PATH)),
        col("施策の基本的方向", "direction", "施策の基本的方向", Text, true, None),
        col("具体的な施策番号", "measure_no", "施策の基本的方向の番号と原稿の施策番号（①は1）をハイフンでつないだもの（例: 1-1-1）", Text, true, Some(NUMBER_PATH)),
        col("具体的な施策", "measure", "具体的な施策（番号を除く）", Text, true, None),
        col("事業例番号", "project_no", "具体的な施策番号と事業例の順番をハイフンでつないだもの（例: 1-1-1-1）。事業例のない施策では空欄", Text, false, Some(NUMBER_PATH)),
        col("事業例", "project", "事業例（交付金区分を除く）。事業例のない施策では空欄", Text, false, None),
        col("交付金区分", "grant_type", "地方創生先行型交付金の区分（先行型・上乗せ）。複数はセミコロン区切り", Text, false, Some("^(先行型|上乗せ)(;(先行型|上乗せ))*$")),
        col("備考", "remarks", "備考", Text, false, None),
    ]);
    c
}

/// The columns of the 関連する既存事業 table.
pub fn kanren_columns() -> Vec<Column> {
    use ColumnType::{Integer, String as Text};
    let mut c = head_columns(
        "行の識別子（データセット内で一意。初めて公表したときの K＋関連事業番号で、版が変わっても同じ項目は同じ ID、一度使った ID は別の項目に使わない）",
        "^K[0-9]+-[0-9]+$",
    );
    c.extend([
        col(
            "基本目標番号",
            "goal_no",
            "関連する基本目標の番号",
            Integer,
            true,
            None,
        ),
        col("基本目標", "goal", "関連する基本目標", Text, true, None),
        col(
            "関連事業番号",
            "related_no",
            "基本目標番号と順番をハイフンでつないだもの（例: 1-1）",
            Text,
            true,
            Some("^[0-9]+-[0-9]+$"),
        ),
        col(
            "分類",
            "category",
            "予算上の分類（原稿の括弧書き）。ない場合は空欄",
            Text,
            false,
            None,
        ),
        col(
            "関連事業名",
            "related_project",
            "関連する既存事業の名称",
            Text,
            true,
            None,
        ),
    ]);
    c
}

/// The columns of the 指標 table (数値目標 and KPI), in the published order.
pub fn shihyo_columns() -> Vec<Column> {
    use ColumnType::{Integer, Number, String as Text};
    let mut c = head_columns(
        "行の識別子（データセット内で一意。初めて公表したときの I＋基本目標番号または具体的な施策番号＋指標の順番で、版が変わっても同じ指標は同じ ID、一度使った ID は別の指標に使わない）",
        "^I[0-9]+(-[0-9]+)+$",
    );
    let qualifier = Some("^(約|以上|以下|超|未満)(;(約|以上|以下|超|未満))*$");
    let kind = Some("^(年度|年|年月)$");
    c.extend([
        col(
            "指標の区分",
            "indicator_type",
            "基本目標の数値目標か、具体的な施策の重要業績評価指標（KPI）か",
            Text,
            true,
            Some("^(数値目標|KPI)$"),
        ),
        col(
            "基本目標番号",
            "goal_no",
            "基本目標の番号",
            Integer,
            true,
            None,
        ),
        col("基本目標", "goal", "基本目標", Text, true, None),
        col(
            "具体的な施策番号",
            "measure_no",
            "KPI の具体的な施策の番号（施策の表と同じ。例: 1-1-1）。数値目標では空欄",
            Text,
            false,
            Some(NUMBER_PATH),
        ),
        col(
            "具体的な施策",
            "measure",
            "KPI の具体的な施策。数値目標では空欄",
            Text,
            false,
            None,
        ),
        col(
            "指標名",
            "indicator",
            "指標の名称。原稿から読み取れなかった指標は原稿の文のまま",
            Text,
            true,
            None,
        ),
        col(
            "単位",
            "unit",
            "基準値・目標値の単位（%、人、件/年 など）。単位のない比率などは空欄",
            Text,
            false,
            None,
        ),
        col(
            "基準値",
            "baseline",
            "基準値（現状値）。万・億・兆は掛けた数値、%は百分率の数値。値のないときは空欄",
            Number,
            false,
            None,
        ),
        col(
            "基準値の注記",
            "baseline_qualifier",
            "基準値が概数（約）や範囲（以上・以下・超・未満）のとき、その語",
            Text,
            false,
            qualifier,
        ),
        col(
            "基準年（度）",
            "baseline_year",
            "基準値の時点の西暦年。年度なら年度の始まる年（平成26年度は2014）",
            Integer,
            false,
            None,
        ),
        col(
            "基準月",
            "baseline_month",
            "基準値の時点が月のとき、その月（1〜12）",
            Integer,
            false,
            None,
        ),
        col(
            "基準時点の区分",
            "baseline_period_type",
            "基準年（度）が年度か、暦年か、年月か",
            Text,
            false,
            kind,
        ),
        col(
            "目標値",
            "target",
            "目標値。万・億・兆は掛けた数値、%は百分率の数値。数値でないときは空欄",
            Number,
            false,
            None,
        ),
        col(
            "目標値の注記",
            "target_qualifier",
            "目標値が概数（約）や範囲（以上・以下・超・未満）のとき、その語",
            Text,
            false,
            qualifier,
        ),
        col(
            "目標年（度）",
            "target_year",
            "目標値の時点の西暦年。年度なら年度の始まる年（平成31年度は2019）",
            Integer,
            false,
            None,
        ),
        col(
            "目標月",
            "target_month",
            "目標値の時点が月のとき、その月（1〜12）",
            Integer,
            false,
            None,
        ),
        col(
            "目標時点の区分",
            "target_period_type",
            "目標年（度）が年度か、暦年か、年月か",
            Text,
            false,
            kind,
        ),
        col("備考", "remarks", "備考", Text, false, None),
        col(
            "基準値の原文",
            "baseline_as_written",
            "原稿に書かれたとおりの基準値",
            Text,
            false,
            None,
        ),
        col(
            "目標値の原文",
            "target_as_written",
            "原稿に書かれたとおりの目標値",
            Text,
            false,
            None,
        ),
        col(
            "指標の原文",
            "indicator_as_written",
            "一つのセルに書かれた指標の原文（施策の表の KPI 列など）。表の行から読んだ指標では空欄",
            Text,
            false,
            None,
        ),
    ]);
    c
}

/// The open-data ID an indicator gets when it is first published: `I` plus its goal's number
/// (数値目標) or its measure's number (KPI), and its place among them.
pub fn indicator_id(r: &crate::model::IndicatorRef<'_>, n: usize) -> String {
    match r.measure {
        None => format!("I{}-{n}", r.goal.number),
        Some((d, m)) => format!("I{}-{}-{n}", d.code, m.number),
    }
}

/// The 指標 table: one row per indicator, 数値目標 of each goal before its measures' KPI.
pub fn shihyo(s: &Strategy, slug: &str) -> Table {
    let code = lg_code(s);
    let name = lg_name(s);
    let title = clean_value(&title_of(s));
    let mut rows = Vec::new();
    let mut origins = Vec::new();
    for (r, id) in indicators_with_ids(s) {
        let i = r.indicator;
        let (level, measure_no, measure) = indicator_place(&r);
        let [bv, bq, by, bm, bk] = observation_cells(&i.baseline);
        let [tv, tq, ty, tm, tk] = observation_cells(&i.target);
        rows.push(vec![
            code.clone(),
            id,
            name.clone(),
            title.clone(),
            level.to_string(),
            r.goal.number.to_string(),
            clean_value(&r.goal.title),
            measure_no,
            measure,
            clean_value(&i.name),
            i.unit.as_deref().map(clean_value).unwrap_or_default(),
            bv,
            bq,
            by,
            bm,
            bk,
            tv,
            tq,
            ty,
            tm,
            tk,
            i.note.as_deref().map(clean_value).unwrap_or_default(),
            i.baseline
                .as_ref()
                .map(|o| clean_value(&o.written))
                .unwrap_or_default(),
            i.target
                .as_ref()
                .map(|o| clean_value(&o.written))
                .unwrap_or_default(),
            i.written.as_deref().map(clean_value).unwrap_or_default(),
        ]);
        origins.push(Some(i.source.clone()));
    }
    Table {
        file: format!("{}_shihyo.csv", stem(s, slug)),
        resource: "shihyo",
        title: format!("{}　数値目標と重要業績評価指標（KPI）", title_of(s)),
        description: format!(
            "{}の基本目標の数値目標と具体的な施策の重要業績評価指標（KPI）。指標1件につき1行で、基準値・目標値は数値、単位と時点（西暦の年度・年・年月）はそれぞれの列に記載しています。",
            title_of(s)
        ),
        columns: shihyo_columns(),
        rows,
        origins,
    }
}

/// The columns of the 指標の実績 table: one row per yearly result of an indicator.
pub fn jisseki_columns() -> Vec<Column> {
    use ColumnType::{Integer, Number, String as Text};
    let mut c = head_columns(
        "行の識別子（データセット内で一意。指標の ID と実績の順番をハイフンでつないだもの）",
        "^I[0-9]+(-[0-9]+)+$",
    );
    c.extend([
        col(
            "指標ID",
            "indicator_id",
            "実績の指標の ID（指標の表の ID）",
            Text,
            true,
            Some("^I[0-9]+(-[0-9]+)+$"),
        ),
        col(
            "指標の区分",
            "indicator_type",
            "数値目標か、重要業績評価指標（KPI）か",
            Text,
            true,
            Some("^(数値目標|KPI)$"),
        ),
        col(
            "基本目標番号",
            "goal_no",
            "基本目標の番号",
            Integer,
            true,
            None,
        ),
        col(
            "具体的な施策番号",
            "measure_no",
            "KPI の具体的な施策の番号。数値目標では空欄",
            Text,
            false,
            Some(NUMBER_PATH),
        ),
        col(
            "具体的な施策",
            "measure",
            "KPI の具体的な施策。数値目標では空欄",
            Text,
            false,
            None,
        ),
        col("指標名", "indicator", "指標の名称", Text, true, None),
        col("単位", "unit", "実績値の単位", Text, false, None),
        col(
            "実績値",
            "actual",
            "実績値。数値でないときは空欄",
            Number,
            false,
            None,
        ),
        col(
            "実績値の注記",
            "actual_qualifier",
            "実績値が概数（約）や範囲（以上・以下・超・未満）のとき、その語",
            Text,
            false,
            Some("^(約|以上|以下|超|未満)(;(約|以上|以下|超|未満))*$"),
        ),
        col(
            "実績年（度）",
            "actual_year",
            "実績の時点の西暦年。年度なら年度の始まる年",
            Integer,
            false,
            None,
        ),
        col(
            "実績月",
            "actual_month",
            "実績の時点が月のとき、その月（1〜12）",
            Integer,
            false,
            None,
        ),
        col(
            "実績時点の区分",
            "actual_period_type",
            "実績年（度）が年度か、暦年か、年月か",
            Text,
            false,
            Some("^(年度|年|年月)$"),
        ),
        col(
            "実績値の原文",
            "actual_as_written",
            "原稿に書かれたとおりの実績値",
            Text,
            false,
            None,
        ),
    ]);
    c
}

/// An observation's value, qualifiers, year, month and kind as the open data carries them.
fn observation_cells(o: &Option<crate::model::Observation>) -> [String; 5] {
    use crate::model::When;
    let Some(o) = o else {
        return Default::default();
    };
    let mut qualifiers = Vec::new();
    if o.approximate {
        qualifiers.push("約");
    }
    if let Some(b) = o.bound {
        qualifiers.push(b.label());
    }
    let (year, month, kind) = match o.when {
        Some(w @ When::Month { year, month }) => (
            year.to_string(),
            month.to_string(),
            w.kind_label().to_string(),
        ),
        Some(w) => (
            w.year().to_string(),
            String::new(),
            w.kind_label().to_string(),
        ),
        None => Default::default(),
    };
    [
        o.value.map(|v| v.to_string()).unwrap_or_default(),
        qualifiers.join(";"),
        year,
        month,
        kind,
    ]
}

/// An indicator's 指標の区分, 具体的な施策番号 and 具体的な施策 (blank for a 数値目標).
fn indicator_place(r: &crate::model::IndicatorRef<'_>) -> (&'static str, String, String) {
    match r.measure {
        None => ("数値目標", String::new(), String::new()),
        Some((d, m)) => (
            "KPI",
            format!("{}-{}", d.code, m.number),
            clean_value(&m.title),
        ),
    }
}

/// Every indicator with its open-data ID (carried, or the one it gets when first published).
fn indicators_with_ids(s: &Strategy) -> Vec<(crate::model::IndicatorRef<'_>, String)> {
    let mut counts: std::collections::HashMap<(u32, Option<(String, u32)>), usize> =
        std::collections::HashMap::new();
    s.indicators()
        .into_iter()
        .map(|r| {
            let key = (
                r.goal.number,
                r.measure.map(|(d, m)| (d.code.clone(), m.number)),
            );
            let n = counts.entry(key).or_insert(0);
            *n += 1;
            let id = r
                .indicator
                .id
                .clone()
                .unwrap_or_else(|| indicator_id(&r, *n));
            (r, id)
        })
        .collect()
}

/// The 指標の実績 table: a row per yearly result (効果検証), oldest first within each indicator.
pub fn jisseki(s: &Strategy, slug: &str) -> Table {
    let code = lg_code(s);
    let name = lg_name(s);
    let title = clean_value(&title_of(s));
    let mut rows = Vec::new();
    let mut origins = Vec::new();
    for (r, id) in indicators_with_ids(s) {
        let i = r.indicator;
        let (level, measure_no, measure) = indicator_place(&r);
        for (k, a) in i.actuals.iter().enumerate() {
            let [v, q, y, mo, kind] = observation_cells(&Some(a.clone()));
            rows.push(vec![
                code.clone(),
                format!("{id}-{}", k + 1),
                name.clone(),
                title.clone(),
                id.clone(),
                level.to_string(),
                r.goal.number.to_string(),
                measure_no.clone(),
                measure.clone(),
                clean_value(&i.name),
                i.unit.as_deref().map(clean_value).unwrap_or_default(),
                v,
                q,
                y,
                mo,
                kind,
                clean_value(&a.written),
            ]);
            origins.push(Some(i.source.clone()));
        }
    }
    Table {
        file: format!("{}_shihyo_jisseki.csv", stem(s, slug)),
        resource: "shihyo_jisseki",
        title: format!("{}　数値目標と重要業績評価指標（KPI）の実績", title_of(s)),
        description: format!(
            "{}の数値目標と重要業績評価指標（KPI）の年ごとの実績値。実績1件につき1行で、指標IDで指標の表と結び付きます。",
            title_of(s)
        ),
        columns: jisseki_columns(),
        rows,
        origins,
    }
}

/// A value as the open data carries it: its characters as [`portable_text`] gives them (L1-08),
/// line breaks and tabs as spaces (L1-14), no padding (L1-06), and a value a spreadsheet would
/// run as a formula prefixed with `'` (OWASP).
pub fn clean_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\r' || c == '\n' || c == '\t' || c.is_control() {
            out.push(' ');
        } else if crate::grid::is_hidden_control(c) {
            // Bidi formatting characters: left out, whatever the model was made from.
        } else {
            push_portable(c, &mut out);
        }
    }
    let mut collapsed = String::with_capacity(out.len());
    let mut space = false;
    for c in out.trim_matches(crate::grid::is_space).chars() {
        if c == ' ' {
            if !space {
                collapsed.push(c);
            }
            space = true;
        } else {
            collapsed.push(c);
            space = false;
        }
    }
    if starts_like_formula(&collapsed) {
        collapsed.insert(0, '\'');
    }
    collapsed
}

/// `text` with the characters デジタル庁's rule L1-08 names (機種依存文字) and those Shift_JIS
/// and CP932 read differently (the wave-dash problem) as forms every reader takes alike, so
/// the CSVs say the same in UTF-8 and CP932:
///
/// - 〜 (U+301C) and ～ (U+FF5E) as `~`; − (U+2212) and － (U+FF0D) as `-`: Shift_JIS decoders
///   read CP932's bytes for ～ and － as 〜 and −, and CP932 cannot hold 〜 at all;
/// - platform-dependent characters (circled and parenthesized numbers and ideographs, roman
///   numerals, the squared words and units of U+3300–33FF, ㋿, the vertical forms of
///   U+FE30–FE4F; see [`is_platform_dependent`]) as their compatibility decomposition (NFKC):
///   ① → 1, ㈱ → (株), Ⅱ → II, ㍻ → 平成, ㋿ → 令和, ㎡ → m2, ︵ → (; the few whose
///   decomposition CP932 cannot hold are given the nearest form it can: ∕ in ㎧ as `/`,
///   ︱ and ︲ as `-`, ﹉–﹌ (overlines) as ￣, the sesame dots ﹅ ﹆ as ・.
///
/// The PDF and the page keep the draft's own characters; only the open data is normalized.
pub fn portable_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_portable(c, &mut out);
    }
    out
}

/// Push `c` onto `out` as [`portable_text`] carries it.
fn push_portable(c: char, out: &mut String) {
    match c {
        '\u{301C}' | '\u{FF5E}' => out.push('~'),
        '\u{2212}' | '\u{FF0D}' => out.push('-'),
        '\u{FE31}' | '\u{FE32}' => out.push('-'),
        '\u{FE45}' | '\u{FE46}' => out.push('・'),
        '\u{FE49}'..='\u{FE4C}' => out.push('￣'),
        c if is_platform_dependent(c) => {
            for d in std::iter::once(c).nfkc() {
                out.push(if d == '\u{2215}' { '/' } else { d });
            }
        }
        c => out.push(c),
    }
}

/// Whether a spreadsheet would run `text` as a formula (OWASP's list: = + - @ tab CR).
pub fn starts_like_formula(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    )
}

fn lg_name(s: &Strategy) -> String {
    s.municipality
        .as_ref()
        .map(|m| format!("{}{}", m.prefecture, m.name))
        .unwrap_or_default()
}

fn lg_code(s: &Strategy) -> String {
    s.municipality
        .as_ref()
        .map(|m| m.code.clone())
        .unwrap_or_default()
}

/// The file-name stem `<code>_<slug>`.
pub fn stem(s: &Strategy, slug: &str) -> String {
    format!("{}_{}", lg_code(s), slug)
}

/// The 施策 table: one row per 事業例; a measure without 事業例 gets one row with those blank.
pub fn shisaku(s: &Strategy, slug: &str) -> Table {
    let code = lg_code(s);
    let name = lg_name(s);
    let title = clean_value(&title_of(s));
    let stage = s.stage.map(|x| x.label().to_string()).unwrap_or_default();
    let mut rows = Vec::new();
    let mut origins = Vec::new();
    for g in &s.goals {
        for d in &g.directions {
            for m in &d.measures {
                let measure_no = format!("{}-{}", d.code, m.number);
                let base = |id: String, project_no: String, project: String, grants: String| {
                    vec![
                        code.clone(),
                        id,
                        name.clone(),
                        title.clone(),
                        stage.clone(),
                        g.number.to_string(),
                        clean_value(&g.title),
                        d.code.clone(),
                        clean_value(&d.title),
                        measure_no.clone(),
                        clean_value(&m.title),
                        project_no,
                        project,
                        grants,
                        String::new(),
                    ]
                };
                if m.projects.is_empty() {
                    rows.push(base(
                        m.id.clone().unwrap_or_else(|| format!("P{measure_no}")),
                        String::new(),
                        String::new(),
                        String::new(),
                    ));
                    origins.push(Some(m.source.clone()));
                }
                for (k, p) in m.projects.iter().enumerate() {
                    let project_no = format!("{measure_no}-{}", k + 1);
                    let grants: Vec<&str> = p.funding.iter().map(|f| f.label()).collect();
                    rows.push(base(
                        p.id.clone().unwrap_or_else(|| format!("P{project_no}")),
                        project_no,
                        clean_value(&p.title),
                        grants.join(";"),
                    ));
                    origins.push(Some(p.source.clone()));
                }
            }
        }
    }
    Table {
        file: format!("{}_shisaku.csv", stem(s, slug)),
        resource: "shisaku",
        title: format!("{}　施策と事業例", title_of(s)),
        description: format!(
            "{}の基本目標・施策の基本的方向・具体的な施策・事業例。事業例1件につき1行（事業例のない施策は1行）で、上位の階層の値をすべての行に記載しています。",
            title_of(s)
        ),
        columns: shisaku_columns(),
        rows,
        origins,
    }
}

/// The 関連する既存事業 table: one row per related project.
pub fn kanren(s: &Strategy, slug: &str) -> Table {
    let code = lg_code(s);
    let name = lg_name(s);
    let title = clean_value(&title_of(s));
    let mut rows = Vec::new();
    let mut origins = Vec::new();
    for r in &s.related {
        let goal = s
            .goals
            .iter()
            .find(|g| g.number == r.goal)
            .map(|g| clean_value(&g.title))
            .unwrap_or_default();
        for (k, p) in r.projects.iter().enumerate() {
            let no = format!("{}-{}", r.goal, k + 1);
            rows.push(vec![
                code.clone(),
                p.id.clone().unwrap_or_else(|| format!("K{no}")),
                name.clone(),
                title.clone(),
                r.goal.to_string(),
                goal.clone(),
                no,
                p.category.as_deref().map(clean_value).unwrap_or_default(),
                clean_value(&p.title),
            ]);
            origins.push(Some(p.source.clone()));
        }
    }
    Table {
        file: format!("{}_kanren_jigyo.csv", stem(s, slug)),
        resource: "kanren_jigyo",
        title: format!("{}　関連する既存事業", title_of(s)),
        description: format!(
            "{}の基本目標ごとの関連する既存事業。1事業につき1行です。",
            title_of(s)
        ),
        columns: kanren_columns(),
        rows,
        origins,
    }
}

/// The licence the data is published under: kohyo.toml's, else CC BY 4.0 (documented default).
pub fn license_of(s: &Strategy) -> License {
    s.license.unwrap_or(License::CcBy40)
}

/// How often the data is updated: kohyo.toml's, else irregular (documented default).
pub fn frequency_of(s: &Strategy) -> Frequency {
    s.update_frequency.unwrap_or(Frequency::Irregular)
}

/// The attribution line re-users must show, in Japanese.
pub fn attribution(s: &Strategy) -> String {
    let publisher = s
        .publisher
        .as_ref()
        .map(|p| p.name.clone())
        .or_else(|| s.municipality.as_ref().map(|m| m.name.clone()))
        .unwrap_or_default();
    format!(
        "出典：{publisher}「{}」（{}）",
        title_of(s),
        license_of(s).name_ja()
    )
}

/// One written CSV file.
#[derive(Clone, Debug)]
pub struct CsvFile {
    /// The path under the draft's output folder, e.g. `data/012131_x_shisaku.csv`.
    pub path: String,
    /// The table it holds.
    pub table: Table,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The CSV files of a draft, written in `encoding`, or the K203 errors of characters the
/// encoding cannot hold.
pub fn csv_files(
    s: &Strategy,
    slug: &str,
    encoding: CsvEncoding,
) -> Result<Vec<CsvFile>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut tables = vec![shisaku(s, slug), kanren(s, slug)];
    if !s.indicators().is_empty() {
        tables.push(shihyo(s, slug));
    }
    if s.indicators()
        .iter()
        .any(|r| !r.indicator.actuals.is_empty())
    {
        tables.push(jisseki(s, slug));
    }
    for table in tables {
        match csv::bytes(&table, encoding) {
            Ok(bytes) => out.push(CsvFile {
                path: format!("data/{}", table.file),
                table,
                bytes,
            }),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The metadata files, given the CSVs and the other files the catalogs list (the PDF and the
/// web page with their sizes): each CSV's CSVW metadata, `datapackage.json`, and
/// `catalog/dcat.jsonld` and `catalog/ckan-package.json`.
pub fn metadata_files(
    s: &Strategy,
    slug: &str,
    encoding: CsvEncoding,
    csvs: &[CsvFile],
    others: &[catalog::Distribution],
) -> Vec<(String, Vec<u8>)> {
    let pretty = |v: &serde_json::Value| {
        let mut b = serde_json::to_vec_pretty(v).unwrap_or_default();
        b.push(b'\n');
        b
    };
    let mut out = Vec::new();
    for f in csvs {
        out.push((
            format!("{}-metadata.json", f.path),
            pretty(&package::csvw(s, &f.table, encoding)),
        ));
    }
    let sized: Vec<(&Table, u64)> = csvs
        .iter()
        .map(|f| (&f.table, f.bytes.len() as u64))
        .collect();
    out.push((
        "datapackage.json".to_string(),
        pretty(&package::datapackage(s, slug, &sized, encoding)),
    ));
    let mut files: Vec<catalog::Distribution> = csvs
        .iter()
        .map(|f| catalog::Distribution {
            title: format!("{}（CSV）", f.table.title),
            description: f.table.description.clone(),
            path: f.path.clone(),
            format: "CSV",
            media_type: "text/csv",
            encoding: Some(encoding),
            bytes: f.bytes.len() as u64,
            sha256: crate::build::sha256_hex(&f.bytes),
        })
        .collect();
    files.extend(others.iter().cloned());
    out.push((
        "catalog/dcat.jsonld".to_string(),
        pretty(&catalog::dcat(s, slug, &files)),
    ));
    out.push((
        "catalog/ckan-package.json".to_string(),
        pretty(&catalog::ckan(s, slug, &files)),
    ));
    out
}

/// What stops the open data, and what it changes, as diagnostics: K015 for metadata the
/// catalogs need and kohyo.toml lacks (located at kohyo.toml, or the draft folder when there
/// is none), K117 for values a spreadsheet would run as formulas.
pub fn check(s: &Strategy, toml: Option<&str>) -> Vec<Diagnostic> {
    let mut out = check_metadata(s, toml);
    out.extend(check_values(s));
    out
}

/// K015: the metadata the catalogs need and kohyo.toml lacks.
pub fn check_metadata(s: &Strategy, toml: Option<&str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut missing: Vec<&str> = Vec::new();
    if s.municipality.is_none() {
        missing.push("[municipality] の code・name・prefecture");
    }
    if s.publisher.is_none() {
        missing.push("[publisher] の name");
    }
    if s.base_url.is_none() {
        missing.push("base_url（公開先の URL）");
    }
    if !missing.is_empty() {
        let origin = toml.map(Origin::file);
        let en: Vec<&str> = missing
            .iter()
            .map(|m| match *m {
                x if x.starts_with("[municipality]") => "[municipality] code, name, prefecture",
                x if x.starts_with("[publisher]") => "[publisher] name",
                _ => "base_url (where the files are published)",
            })
            .collect();
        let place = if toml.is_some() {
            "kohyo.toml"
        } else {
            "kohyo.toml がないため"
        };
        out.push(
            Diagnostic::new(
                Code::K015,
                origin,
                format!(
                    "オープンデータとカタログに必要な {} が {place}にありません",
                    missing.join("、"),
                ),
                format!(
                    "the open data and catalogs need {}, which kohyo.toml does not give",
                    en.join("; ")
                ),
            )
            .note(
                "README の「A draft」の例のように kohyo.toml に書いてください（コードは検査数字付き 6 桁）",
                "add them to kohyo.toml as in the README's example (the code has 6 digits with its check digit)",
            ),
        );
    }
    out
}

/// K117: values a spreadsheet would run as formulas (neutralised in the CSV).
pub fn check_values(s: &Strategy) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut texts: Vec<(&str, &Origin)> = Vec::new();
    for g in &s.goals {
        texts.push((&g.title, &g.source));
        for d in &g.directions {
            texts.push((&d.title, &d.source));
            for m in &d.measures {
                texts.push((&m.title, &m.source));
                for p in &m.projects {
                    texts.push((&p.title, &p.source));
                }
            }
        }
    }
    for r in &s.related {
        for p in &r.projects {
            texts.push((&p.title, &p.source));
            if let Some(c) = &p.category {
                texts.push((c, &p.source));
            }
        }
    }
    for (t, origin) in texts {
        let trimmed = t.trim_matches(crate::grid::is_space);
        // As the CSV carries it: 「－5」 starts with `-` there.
        if starts_like_formula(&portable_text(trimmed)) {
            let first: String = trimmed.chars().take(20).collect();
            out.push(
                Diagnostic::at(
                    Code::K117,
                    origin.clone(),
                    format!("「{first}」は表計算ソフトで数式として実行される文字で始まります"),
                    format!("\"{first}\" starts like a spreadsheet formula"),
                )
                .note(
                    "CSV では先頭に ' を付けて無害化します。意図した文字でなければ原稿を直してください",
                    "the CSV prefixes it with ' so it stays text; fix the draft if the character is a mistake",
                ),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_cleaned_for_machines() {
        assert_eq!(clean_value("①若者"), "1若者");
        assert_eq!(clean_value("㈱苫小牧"), "(株)苫小牧");
        assert_eq!(clean_value("　事業\r\n名  です "), "事業 名 です");
        assert_eq!(clean_value("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(clean_value("+1"), "'+1");
        assert_eq!(clean_value("-3"), "'-3");
        assert_eq!(clean_value("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(
            clean_value("\t=1"),
            "'=1",
            "a tab is padding; the = after it still counts"
        );
        assert_eq!(clean_value("1-1"), "1-1");
        assert_eq!(
            clean_value("\u{202E}=1"),
            "'=1",
            "a bidi override cannot hide a formula"
        );
    }

    /// The characters harunobu's L1-08 flags (digital-go-jp/machine_readability_rule,
    /// `harunobu/rules/level1/L1_08_platform_dependent_chars.py` and its `.csv`): ㋿, 〜, ～
    /// and the ranges of `_classify_range` (its full-width letters and digits aside, which it
    /// reports as info only).
    fn flagged_by_l1_08(c: char) -> bool {
        matches!(c as u32,
            0x32FF | 0x301C | 0xFF5E
            | 0x2460..=0x2473 | 0x3251..=0x325F | 0x32B1..=0x32BF
            | 0x2160..=0x217F
            | 0x3220..=0x3243 | 0x3280..=0x32FE | 0x3300..=0x33FF | 0xFE30..=0xFE4F
        )
    }

    #[test]
    fn each_mapped_character_has_its_portable_form() {
        for (from, to) in [
            // The wave-dash problem.
            ("〜", "~"),
            ("～", "~"),
            ("−", "-"),
            ("－", "-"),
            ("保育ステーション～保育所", "保育ステーション~保育所"),
            ("10〜20", "10~20"),
            ("△−5", "△-5"),
            // Circled, parenthesized and roman numbers.
            ("①", "1"),
            ("⑳", "20"),
            ("㉑", "21"),
            ("㊿", "50"),
            ("⑴", "(1)"),
            ("Ⅱ", "II"),
            ("ⅻ", "xii"),
            // Parenthesized and circled ideographs, months, katakana.
            ("㈱", "(株)"),
            ("㈠", "(一)"),
            ("㊤", "上"),
            ("㊙", "秘"),
            ("㋀", "1月"),
            ("㋐", "ア"),
            ("㋾", "ヲ"),
            // Era and squared words, units.
            ("㋿", "令和"),
            ("㍻", "平成"),
            ("㍼", "昭和"),
            ("㍾", "明治"),
            ("㌔", "キロ"),
            ("㍉", "ミリ"),
            ("㎡", "m2"),
            ("㎏", "kg"),
            ("㏄", "cc"),
            ("㎧", "m/s"),
            ("㏆", "C/kg"),
            // Vertical forms.
            ("︰", ".."),
            ("︱", "-"),
            ("︲", "-"),
            ("︵", "("),
            ("︻", "【"),
            ("﹁", "「"),
            ("﹅", "・"),
            ("﹆", "・"),
            ("﹉", "￣"),
            ("﹌", "￣"),
            ("﹍", "_"),
        ] {
            assert_eq!(
                clean_value(&format!("あ{from}")),
                format!("あ{to}"),
                "{from}"
            );
        }
        // At the start, a minus as the CSV carries it is a formula start like `-`.
        assert_eq!(clean_value("－5"), "'-5");
        // What is not mapped stays: full-width letters and digits, the draft's punctuation.
        for kept in ["１２３", "ＡＢＣ", "“つながり”", "―", "・", "~"] {
            assert_eq!(clean_value(kept), kept);
        }
    }

    #[test]
    fn a_minus_sign_that_becomes_a_formula_start_is_reported() {
        let mut s = crate::compare::tests::strategy();
        s.goals[0].directions[0].measures[0].projects[0].title = "－5％削減事業".into();
        let found = check_values(&s);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, Code::K117);
    }

    #[test]
    fn nothing_l1_08_flags_survives_in_either_encoding() {
        let ranges = [
            (0x2460, 0x2473),
            (0x3251, 0x325F),
            (0x32B1, 0x32BF),
            (0x2160, 0x217F),
            (0x3220, 0x3243),
            (0x3280, 0x32FF),
            (0x3300, 0x33FF),
            (0xFE30, 0xFE4F),
        ];
        let singles = [0x301C, 0xFF5E, 0x2212, 0xFF0D];
        let chars = ranges
            .iter()
            .flat_map(|&(a, b)| a..=b)
            .chain(singles)
            .filter_map(char::from_u32);
        let mut n = 0;
        for c in chars {
            n += 1;
            let out = clean_value(&format!("あ{c}"));
            assert!(
                !out.chars().any(flagged_by_l1_08),
                "U+{:04X} {c} → {out}",
                c as u32
            );
            assert!(
                !out.contains(['〜', '～', '−', '－']),
                "U+{:04X} {c} → {out}",
                c as u32
            );
            let (_, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&out);
            assert!(!unmappable, "U+{:04X} {c} → {out} is not CP932", c as u32);
        }
        assert_eq!(n, 20 + 15 + 15 + 32 + 36 + 128 + 256 + 32 + 4);
    }
}

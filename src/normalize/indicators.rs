//! Indicators: the 数値目標 of goals and the KPI (重要業績評価指標) of measures.
//!
//! They come in two shapes, and either can sit in the table of measures or in a table of its
//! own (a sheet, or a block under its own heading) keyed by 基本目標 or 具体的な施策:
//! - one cell per indicator text, 「…：120人（H26）→150人（H31）」, several per cell as lines or
//!   list items (a KPI column);
//! - a row per indicator with name, 基準値, 目標値 and optionally 単位, years, 備考 and yearly
//!   実績 in columns of their own, the cells text or spreadsheet numbers.
//!
//! Numbers and dates are parsed by [`crate::quantity`] only; whatever cannot be parsed is a
//! located diagnostic and the text is still published.

use super::header::{Found, Role, is_note_row, is_repeat_of, origin_of};
use super::labels::parse_measure;
use crate::diag::{Code, Diagnostic};
use crate::grid::{Cell, Grid, Origin, Slot, clean};
use crate::model::{Indicator, Observation, Strategy, When};
use crate::quantity::{self, Problem, ProblemKind, YearKind};
use unicode_normalization::UnicodeNormalization;

/// The level an indicator belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Level {
    /// 数値目標 of a 基本目標.
    Goal,
    /// KPI of a 具体的な施策.
    Measure,
}

/// 基準値 or 目標値.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Which {
    /// 基準値 (現状値).
    Baseline,
    /// 目標値.
    Target,
}

/// What an indicator header cell names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Part {
    /// The indicator's name, or its whole text in one cell, with the level the header implies
    /// (数値目標: a goal's; KPI, 重要業績評価指標: a measure's; 指標: the table's key decides).
    Name(Option<Level>),
    /// 単位.
    Unit,
    /// A value column, with the date its header gives (「現状値（H26）」).
    Value(Which, Option<When>),
    /// A year column, and how a bare number in it reads (年度 or 年).
    Year(Which, YearKind),
    /// 備考.
    Note,
    /// A year's 実績, e.g. 「H27実績」.
    Actual(When),
    /// 実績値 in a table of results, a row per year (its year in an [`Part::ActualYear`]).
    ActualValue,
    /// The year of a row's 実績値, and how a bare number in it reads.
    ActualYear(YearKind),
    /// The indicator as written in one cell (kohyo's own 指標 CSV, 「指標の原文」).
    Written,
}

/// A header cell's text as compared: compatibility forms (ＫＰＩ, （）) folded, spaces gone.
fn header_key(text: &str) -> String {
    text.nfkc().filter(|c| !crate::grid::is_space(*c)).collect()
}

/// What an indicator header cell names, if anything.
pub(super) fn indicator_part(text: &str) -> Option<Part> {
    // Every cell of every row is asked while headers are looked for: a header is a few words,
    // so longer text is none without further work.
    if text.len() > 96 {
        return None;
    }
    let k = header_key(text);
    let k = k.as_str();
    let name = match k {
        "重要業績評価指標"
        | "重要業績評価指標(KPI)"
        | "KPI"
        | "KPI(重要業績評価指標)"
        | "重要業績評価指標KPI"
        | "成果指標"
        | "評価指標"
        | "業績評価指標"
        | "主なKPI" => Some(Level::Measure),
        "数値目標" | "基本目標の数値目標" | "数値目標(指標)" | "成果目標" => {
            Some(Level::Goal)
        }
        _ => None,
    };
    if name.is_some() {
        return Some(Part::Name(name));
    }
    match k {
        "指標" | "指標名" | "指標の名称" | "目標指標" | "評価項目" => {
            return Some(Part::Name(None));
        }
        "単位" => return Some(Part::Unit),
        "指標の原文" => return Some(Part::Written),
        "備考" | "注記" => return Some(Part::Note),
        "基準年" | "基準年次" | "現状年" => {
            return Some(Part::Year(Which::Baseline, YearKind::Calendar));
        }
        "基準年度" | "基準値の年度" | "基準値年度" | "現状年度" | "現状値の年度" | "現状値年度"
        | "基準時点" | "基準値の時点" | "現状値の時点" | "現状時点" => {
            return Some(Part::Year(Which::Baseline, YearKind::Fiscal));
        }
        "目標年" | "目標年次" => return Some(Part::Year(Which::Target, YearKind::Calendar)),
        "目標年度" | "目標値の年度" | "目標値年度" | "目標時点" | "目標値の時点" =>
        {
            return Some(Part::Year(Which::Target, YearKind::Fiscal));
        }
        _ => {}
    }
    match k {
        "実績値" | "実績" => return Some(Part::ActualValue),
        "実績年度" | "実績の年度" | "実績値の年度" | "実績時点" | "実績値の時点" =>
        {
            return Some(Part::ActualYear(YearKind::Fiscal));
        }
        "実績年" | "実績値の年" => return Some(Part::ActualYear(YearKind::Calendar)),
        _ => {}
    }
    // 実績 with a date: 「H27実績」「実績（平成27年度）」「2015年度実績値」.
    if k.contains("実績") {
        let rest = k
            .replace("実績値", "")
            .replace("実績", "")
            .replace(['(', ')', '[', ']'], "");
        return quantity::parse_when(&rest, YearKind::Fiscal)
            .ok()
            .map(Part::Actual);
    }
    // A value column, perhaps with its date: 「基準値」「現状値（H26）」「目標値(平成31年度)」.
    const VALUES: &[(&str, Which)] = &[
        ("基準値(現状値)", Which::Baseline),
        ("現状値(基準値)", Which::Baseline),
        ("基準値", Which::Baseline),
        ("現状値", Which::Baseline),
        ("現況値", Which::Baseline),
        ("基準", Which::Baseline),
        ("現状", Which::Baseline),
        ("目標値", Which::Target),
        ("目標", Which::Target),
    ];
    for (word, which) in VALUES {
        if let Some(rest) = k.strip_prefix(word) {
            if rest.is_empty() {
                return Some(Part::Value(*which, None));
            }
            let inner = rest
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .unwrap_or(rest);
            return quantity::parse_when(inner, YearKind::Fiscal)
                .ok()
                .map(|w| Part::Value(*which, Some(w)));
        }
    }
    None
}

/// The indicator columns of a header row.
#[derive(Clone, Debug, Default)]
pub(super) struct Columns {
    /// The name (or whole-text) column and the level its header implies.
    pub(super) name: Option<(usize, Option<Level>)>,
    /// 単位.
    pub(super) unit: Option<usize>,
    /// 基準値 and 目標値 columns, with the dates their headers give.
    pub(super) value: [Option<(usize, Option<When>)>; 2],
    /// The years of 基準値 and 目標値.
    pub(super) year: [Option<(usize, YearKind)>; 2],
    /// 備考.
    pub(super) note: Option<usize>,
    /// 実績 columns, oldest first.
    pub(super) actuals: Vec<(usize, When)>,
    /// The indicator as written in one cell.
    pub(super) written: Option<usize>,
    /// A row's 実績値 and its year, in a table of results.
    pub(super) actual_value: Option<usize>,
    pub(super) actual_year: Option<(usize, YearKind)>,
}

impl Columns {
    /// Record column `c` as `part`; false when that part already has a column.
    pub(super) fn add(&mut self, c: usize, part: Part) -> bool {
        let free = |slot: &mut Option<usize>| {
            if slot.is_some() {
                return false;
            }
            *slot = Some(c);
            true
        };
        match part {
            Part::Name(level) => {
                if self.name.is_some() {
                    return false;
                }
                self.name = Some((c, level));
                true
            }
            Part::Unit => free(&mut self.unit),
            Part::Written => free(&mut self.written),
            Part::ActualValue => free(&mut self.actual_value),
            Part::ActualYear(kind) => {
                if self.actual_year.is_some() {
                    return false;
                }
                self.actual_year = Some((c, kind));
                true
            }
            Part::Note => free(&mut self.note),
            Part::Value(which, when) => {
                let slot = &mut self.value[which as usize];
                if slot.is_some() {
                    return false;
                }
                *slot = Some((c, when));
                true
            }
            Part::Year(which, kind) => {
                let slot = &mut self.year[which as usize];
                if slot.is_some() {
                    return false;
                }
                *slot = Some((c, kind));
                true
            }
            Part::Actual(when) => {
                if self.actuals.iter().any(|(_, w)| *w == when) {
                    return false;
                }
                self.actuals.push((c, when));
                self.actuals.sort_by_key(|(_, w)| w.months());
                true
            }
        }
    }

    /// True when values have columns of their own (a row per indicator), false when each
    /// indicator is written whole in the name column.
    pub(super) fn by_row(&self) -> bool {
        self.value.iter().any(Option::is_some)
            || !self.actuals.is_empty()
            || self.actual_value.is_some()
    }

    /// Every column these take.
    pub(super) fn all(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self.name.iter().map(|(c, _)| *c).collect();
        out.extend(self.unit);
        out.extend(self.value.iter().flatten().map(|(c, _)| *c));
        out.extend(self.year.iter().flatten().map(|(c, _)| *c));
        out.extend(self.note);
        out.extend(self.actuals.iter().map(|(c, _)| *c));
        out.extend(self.written);
        out.extend(self.actual_value);
        out.extend(self.actual_year.map(|(c, _)| c));
        out
    }
}

/// The anchored, non-blank cell at (r, c).
fn cell_at(grid: &Grid, r: usize, c: Option<usize>) -> Option<&Cell> {
    match grid.rows.get(r)?.get(c?)? {
        Slot::Cell(cell) if !cell.is_blank() => Some(cell),
        _ => None,
    }
}

/// Where the part `span` of `item` (one item of `cell`) sits.
fn origin_in(cell: &Cell, item: &str, span: &std::ops::Range<usize>) -> Origin {
    let mut o = cell.locate(item);
    let verbatim = cell.raw.as_ref().is_some_and(|r| r.text.contains(item));
    if verbatim && let (Some(col), Some(before)) = (o.column, item.get(..span.start)) {
        o.column = Some(col + before.chars().count() as u32);
    }
    o
}

/// The diagnostic for a parse problem at `origin` in indicator text `whole`.
fn problem_diagnostic(p: &Problem, origin: Origin, whole: &str) -> Diagnostic {
    match p.kind {
        ProblemKind::Unreadable => Diagnostic::at(
            Code::K119,
            origin,
            format!("「{whole}」から指標名・基準値・目標値を読み取れません（書かれたとおりに載せます）"),
            format!("no indicator name, baseline and target can be read from \"{whole}\" (published as written)"),
        )
        .note(
            "「就業者数：120人（H26）→150人（H31）」のように、指標名・基準値（年度）→目標値（年度）の順に書いてください",
            "write the name, then baseline (year) → target (year), e.g. 「就業者数：120人（H26）→150人（H31）」",
        ),
        ProblemKind::NotANumber => Diagnostic::at(
            Code::K120,
            origin,
            format!("{}（指標「{whole}」）", p.ja),
            format!("{} (indicator \"{whole}\")", p.en),
        )
        .note(
            "値は「150人」「60.0%」「1兆2,345億円」のように数値で書いてください。「―」は値なしと読みます",
            "write values as numbers, e.g. 150人, 60.0%, 1兆2,345億円; 「―」 means no value",
        ),
        ProblemKind::BadDate => Diagnostic::at(
            Code::K121,
            origin,
            format!("{}（指標「{whole}」）", p.ja),
            format!("{} (indicator \"{whole}\")", p.en),
        )
        .note(
            "「平成26年度」「H26」「2014年度」「令和5年3月」のように、元号か西暦で書いてください",
            "write the year with its era or in full, e.g. 平成26年度, H26, 2014年度, 令和5年3月",
        ),
        ProblemKind::UnitMismatch => Diagnostic::at(
            Code::K126,
            origin,
            format!("{}（指標「{whole}」）", p.ja),
            format!("{} (indicator \"{whole}\")", p.en),
        ),
    }
}

/// An indicator written whole in one cell item, e.g. 「…：120人（H26）→150人（H31）」.
pub(super) fn from_text(item: &str, cell: &Cell, diags: &mut Vec<Diagnostic>) -> Indicator {
    let parsed = quantity::parse_indicator(item, YearKind::Fiscal);
    for p in &parsed.problems {
        diags.push(problem_diagnostic(p, origin_in(cell, item, &p.span), item));
    }
    let observation = |o: &quantity::ParsedObservation| Observation {
        value: o.value.value,
        approximate: o.value.approximate,
        bound: o.value.bound,
        when: o.when,
        written: item.get(o.span.clone()).map(clean).unwrap_or_default(),
    };
    Indicator {
        name: parsed.name.clone(),
        unit: parsed.unit.clone(),
        baseline: parsed.baseline.as_ref().map(observation),
        target: parsed.target.as_ref().map(observation),
        written: Some(item.to_string()),
        source: cell.locate(item),
        ..Indicator::default()
    }
}

/// A year in a year column: a number cell or text (「2014」「平成26年度」「2015年4月」), with
/// `kind` for a bare year.
fn year_of(cell: &Cell, kind: YearKind, diags: &mut Vec<Diagnostic>) -> Option<When> {
    if let Some(n) = &cell.number
        && n.value.fract().is_zero()
        && let Ok(y) = i64::try_from(n.value)
        && let Ok(y) = u16::try_from(y)
        && (1873..=2200).contains(&y)
    {
        return Some(match kind {
            YearKind::Fiscal => When::FiscalYear { year: y },
            YearKind::Calendar => When::Year { year: y },
        });
    }
    let text = cell.text();
    match quantity::parse_when(&text, kind) {
        Ok(w) => Some(w),
        Err(p) => {
            diags.push(problem_diagnostic(&p, cell.locate(&text), &text));
            None
        }
    }
}

/// The unit a number cell shows, cleaned.
fn unit_text(u: &str) -> Option<String> {
    let u = clean(u).replace('／', "/").replace('％', "%");
    (!u.is_empty()).then_some(u)
}

/// One observation from a value cell, a year cell and the date the column's header gives.
/// Returns the observation and the unit its value shows.
fn observation_of(
    value: Option<&Cell>,
    year: Option<(&Cell, YearKind)>,
    header: Option<When>,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Observation, Option<String>)> {
    let when_col = year.and_then(|(c, kind)| year_of(c, kind, diags));
    let Some(cell) = value else {
        // A blank value with a year: no value (as 「―」 would say).
        return when_col.or(header).map(|when| {
            (
                Observation {
                    when: Some(when),
                    ..Observation::default()
                },
                None,
            )
        });
    };
    let text = cell.text();
    let kind = year.map_or(YearKind::Fiscal, |(_, k)| k);
    if let Some(n) = &cell.number {
        // The number as kept; the words around it (約, 以上) and a date from the text.
        let words = quantity::parse_observation(&text, kind).ok();
        return Some((
            Observation {
                value: Some(n.value),
                approximate: words.as_ref().is_some_and(|o| o.value.approximate),
                bound: words.as_ref().and_then(|o| o.value.bound),
                when: when_col.or(words.as_ref().and_then(|o| o.when)).or(header),
                written: text,
            },
            n.unit.clone(),
        ));
    }
    match quantity::parse_observation(&text, kind) {
        Ok(o) => Some((
            Observation {
                value: o.value.value,
                approximate: o.value.approximate,
                bound: o.value.bound,
                when: when_col.or(o.when).or(header),
                written: text.clone(),
            },
            o.value.unit.clone(),
        )),
        Err(p) => {
            diags.push(problem_diagnostic(
                &p,
                origin_in(cell, &text, &p.span),
                &text,
            ));
            Some((
                Observation {
                    when: when_col.or(header),
                    written: text.clone(),
                    ..Observation::default()
                },
                None,
            ))
        }
    }
}

/// An indicator written across the columns of row `r`; none when the row has no name.
pub(super) fn from_row(
    grid: &Grid,
    r: usize,
    cols: &Columns,
    diags: &mut Vec<Diagnostic>,
) -> Option<Indicator> {
    let name_cell = cell_at(grid, r, cols.name.map(|(c, _)| c))?;
    let name = name_cell.text();
    let mut units: Vec<(String, Origin)> = Vec::new();
    let mut ind = Indicator {
        name: name.clone(),
        source: name_cell.origin.clone(),
        ..Indicator::default()
    };
    for which in [Which::Baseline, Which::Target] {
        let Some((vc, header)) = cols.value[which as usize] else {
            continue;
        };
        let value = cell_at(grid, r, Some(vc));
        let year = cols.year[which as usize]
            .and_then(|(c, kind)| cell_at(grid, r, Some(c)).map(|cell| (cell, kind)));
        let Some((obs, unit)) = observation_of(value, year, header, diags) else {
            continue;
        };
        if let (Some(u), Some(cell)) = (unit, value) {
            units.push((u, cell.origin.clone()));
        }
        match which {
            Which::Baseline => ind.baseline = Some(obs),
            Which::Target => ind.target = Some(obs),
        }
    }
    for (c, when) in &cols.actuals {
        let value = cell_at(grid, r, Some(*c));
        if let Some((obs, unit)) = observation_of(value, None, Some(*when), diags)
            && value.is_some()
        {
            if let (Some(u), Some(cell)) = (unit, value) {
                units.push((u, cell.origin.clone()));
            }
            ind.actuals.push(obs);
        }
    }
    if let Some(c) = cols.actual_value {
        let value = cell_at(grid, r, Some(c));
        let year = cols
            .actual_year
            .and_then(|(c, kind)| cell_at(grid, r, Some(c)).map(|cell| (cell, kind)));
        if let Some((obs, unit)) = observation_of(value, year, None, diags)
            && value.is_some()
        {
            if let (Some(u), Some(cell)) = (unit, value) {
                units.push((u, cell.origin.clone()));
            }
            ind.actuals.push(obs);
        }
    }
    ind.actuals.sort_by_key(|o| o.when.map(When::months));
    ind.note = cell_at(grid, r, cols.note).map(Cell::text);
    ind.written = cell_at(grid, r, cols.written).map(Cell::text);
    let column_unit = cell_at(grid, r, cols.unit).and_then(|c| unit_text(&c.text()));
    ind.unit = column_unit
        .clone()
        .or_else(|| units.first().map(|u| u.0.clone()));
    if let Some(expected) = &ind.unit
        && let Some((other, at)) = units.iter().find(|(u, _)| u != expected)
    {
        let against = if column_unit.is_some() {
            ("単位の列", "the unit column")
        } else {
            ("ほかの値", "another value")
        };
        diags.push(Diagnostic::at(
            Code::K126,
            at.clone(),
            format!("指標「{name}」の値の単位「{other}」が{}の「{expected}」と違います", against.0),
            format!("indicator \"{name}\": the value's unit \"{other}\" differs from {} (\"{expected}\")", against.1),
        ));
    }
    Some(ind)
}

/// Two indicators that say the same (the same text repeated on the rows of one measure).
pub(super) fn same(a: &Indicator, b: &Indicator) -> bool {
    let strip = |i: &Indicator| Indicator {
        source: Origin::default(),
        id: None,
        ..i.clone()
    };
    strip(a) == strip(b)
}

/// Add `new` to `list` unless it is already there.
pub(super) fn push_unique(list: &mut Vec<Indicator>, new: Indicator) {
    if !list.iter().any(|i| same(i, &new)) {
        list.push(new);
    }
}

/// A comparable key of a title: compatibility forms folded, spaces gone.
fn title_key(t: &str) -> String {
    header_key(t)
}

/// The goal a key cell names: 「基本目標1」「目標１」「1」, or its title.
fn goal_by_key(s: &Strategy, text: &str) -> Option<usize> {
    let k = title_key(text);
    let numbered = k
        .strip_prefix("基本目標")
        .or_else(|| k.strip_prefix("目標"))
        .unwrap_or(&k);
    let digits: String = numbered.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty()
        && let Ok(n) = digits.parse::<u32>()
    {
        let rest = numbered[digits.len()..].trim_start_matches(['.', ':', '、', '　']);
        let by_number = s.goals.iter().position(|g| g.number == n);
        let title_ok = rest.is_empty()
            || by_number.is_some_and(|i| title_key(&s.goals[i].title) == title_key(rest));
        if title_ok && by_number.is_some() {
            return by_number;
        }
    }
    s.goals.iter().position(|g| title_key(&g.title) == k)
}

/// The measure a key cell names, as (goal, direction, measure) indexes: 「①若者の市内就職の促進」,
/// 「①」, 「(1)」, or its title.
fn measure_by_key(s: &Strategy, text: &str) -> Option<(usize, usize, usize)> {
    let all: Vec<(usize, usize, usize)> = s
        .goals
        .iter()
        .enumerate()
        .flat_map(|(gi, g)| {
            g.directions
                .iter()
                .enumerate()
                .flat_map(move |(di, d)| (0..d.measures.len()).map(move |mi| (gi, di, mi)))
        })
        .collect();
    let measure = |&(gi, di, mi): &(usize, usize, usize)| &s.goals[gi].directions[di].measures[mi];
    let trimmed = clean(text);
    let number = parse_measure(&trimmed)
        .map(|(n, t)| (n, Some(t)))
        .or_else(|| {
            // A number alone (「①」「(3)」「3.」) has no title for parse_measure: lend it one.
            parse_measure(&format!("{trimmed}x"))
                .or_else(|| parse_measure(&format!("{trimmed} x")))
                .filter(|(_, t)| t == "x")
                .map(|(n, _)| (n, None))
                .or_else(|| title_key(&trimmed).parse::<u32>().ok().map(|n| (n, None)))
        });
    if let Some((n, title)) = number {
        let with_number: Vec<&(usize, usize, usize)> =
            all.iter().filter(|i| measure(i).number == n).collect();
        if let Some(t) = &title
            && let Some(found) = with_number
                .iter()
                .find(|i| title_key(&measure(i).title) == title_key(t))
        {
            return Some(**found);
        }
        if with_number.len() == 1 {
            return Some(*with_number[0]);
        }
    }
    let k = title_key(&trimmed);
    all.iter()
        .find(|i| title_key(&measure(i).title) == k)
        .copied()
}

/// Read the tables of indicators of their own and attach each row to its goal or measure.
pub(super) fn read_tables(founds: &[Found<'_>], s: &mut Strategy, diags: &mut Vec<Diagnostic>) {
    for found in founds {
        let grid = found.grid;
        let h = &found.header;
        let cols = &h.indicators;
        let measure_col = h.cols.get(&Role::Measure).copied();
        let goal_col = h.cols.get(&Role::Goal).copied();
        let Some(key_col) = measure_col.or(goal_col) else {
            continue; // reported when the header was found (K101)
        };
        let mut all_cols = cols.all();
        all_cols.extend(measure_col);
        all_cols.extend(goal_col);
        // The row's key, as resolved: None when it names nothing (reported once).
        let mut current: Option<Option<Target>> = None;
        for r in h.row + 1..found.end {
            if grid.row_is_blank(r) || is_repeat_of(grid, r, h) {
                continue;
            }
            if is_note_row(grid, r, &all_cols) {
                break;
            }
            // The measure names the row's KPI; with no measure written, the goal its 数値目標.
            let key = cell_at(grid, r, measure_col)
                .map(|c| (c, Level::Measure))
                .or_else(|| cell_at(grid, r, goal_col).map(|c| (c, Level::Goal)));
            if let Some((cell, level)) = key {
                let text = cell.text();
                let target = match level {
                    Level::Goal => goal_by_key(s, &text).map(Target::Goal),
                    Level::Measure => measure_by_key(s, &text).map(Target::Measure),
                };
                if target.is_none() {
                    diags.push(unknown_key(level, &text, cell.origin.clone()));
                }
                current = Some(target);
            }
            let new: Vec<Indicator> = if cols.by_row() {
                from_row(grid, r, cols, diags).into_iter().collect()
            } else {
                cell_at(grid, r, cols.name.map(|(c, _)| c))
                    .map(|cell| {
                        cell.items()
                            .iter()
                            .map(|item| from_text(item, cell, diags))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            if new.is_empty() {
                continue;
            }
            let target = match &current {
                Some(t) => *t,
                None => {
                    let role = if measure_col.is_some() {
                        ("具体的な施策", "measure")
                    } else {
                        ("基本目標", "goal")
                    };
                    diags.push(
                        Diagnostic::at(
                            Code::K103,
                            origin_of(grid, r, key_col),
                            format!("指標の表の「{}」のセルが空です", role.0),
                            format!("the {} cell of the table of indicators is empty", role.1),
                        )
                        .note(
                            "空欄は上の行と同じと読みます。表の最初の行には必ず書いてください",
                            "a blank cell means the same as the row above; the first row needs one",
                        ),
                    );
                    current = Some(None);
                    None
                }
            };
            let Some(target) = target else { continue };
            let list = match target {
                Target::Goal(gi) => &mut s.goals[gi].indicators,
                Target::Measure((gi, di, mi)) => {
                    &mut s.goals[gi].directions[di].measures[mi].indicators
                }
            };
            for ind in new {
                add_results(list, ind);
            }
        }
    }
}

/// Add `new` to `list`; a row that holds only 実績値 (a table of results, a row per year) adds
/// them to the indicator of the same name, when there is one.
fn add_results(list: &mut Vec<Indicator>, new: Indicator) {
    let results_only = new.baseline.is_none() && new.target.is_none() && !new.actuals.is_empty();
    if results_only && let Some(existing) = list.iter_mut().find(|i| i.name == new.name) {
        for a in new.actuals {
            if !existing.actuals.contains(&a) {
                existing.actuals.push(a);
            }
        }
        existing.actuals.sort_by_key(|o| o.when.map(When::months));
        if existing.unit.is_none() {
            existing.unit = new.unit;
        }
        return;
    }
    push_unique(list, new);
}

/// Where a row of an indicator table belongs.
#[derive(Clone, Copy, Debug)]
enum Target {
    Goal(usize),
    Measure((usize, usize, usize)),
}

fn unknown_key(level: Level, text: &str, origin: Origin) -> Diagnostic {
    match level {
        Level::Goal => Diagnostic::at(
            Code::K124,
            origin,
            format!("指標の表の基本目標「{text}」が施策の表にありません"),
            format!("goal \"{text}\" of the table of indicators is not in the table of measures"),
        )
        .note(
            "「基本目標1」のような番号か、施策の表と同じ文言で書いてください",
            "write 基本目標1 and so on, or the goal exactly as in the table of measures",
        ),
        Level::Measure => Diagnostic::at(
            Code::K124,
            origin,
            format!("指標の表の具体的な施策「{text}」が施策の表にありません"),
            format!(
                "measure \"{text}\" of the table of indicators is not in the table of measures"
            ),
        )
        .note(
            "「①若者の市内就職の促進」のように、施策の表と同じ番号と文言で書いてください",
            "write the measure with its number as in the table of measures, e.g. ①…",
        ),
    }
}

/// Dates that cannot be right: a baseline later than its target (K123), a target outside the
/// plan period (K122).
pub(super) fn check_dates(s: &Strategy, diags: &mut Vec<Diagnostic>) {
    for r in s.indicators() {
        let i = r.indicator;
        let base = i.baseline.as_ref().and_then(|o| o.when);
        let target = i.target.as_ref().and_then(|o| o.when);
        if let (Some(b), Some(t)) = (base, target)
            && b.months().0 > t.months().1
        {
            diags.push(
                Diagnostic::at(
                    Code::K123,
                    i.source.clone(),
                    format!(
                        "指標「{}」の基準年度 {} が目標年度 {} より後です",
                        i.name,
                        b.label(),
                        t.label()
                    ),
                    format!(
                        "indicator \"{}\": the baseline date {} is later than the target date {}",
                        i.name,
                        b.label_plain(),
                        t.label_plain()
                    ),
                )
                .note(
                    "基準値と目標値、または年度の書き間違いでないか確かめてください",
                    "check whether the baseline and target, or their years, were swapped or mistyped",
                ),
            );
        }
        if let (Some(p), Some(t)) = (s.period, target) {
            let plan = (
                When::FiscalYear { year: p.start }.months().0,
                When::FiscalYear { year: p.end }.months().1,
            );
            let (from, to) = t.months();
            if to < plan.0 || from > plan.1 {
                diags.push(
                    Diagnostic::at(
                        Code::K122,
                        i.source.clone(),
                        format!(
                            "指標「{}」の目標年度 {} が計画期間（{}〜{}年度）の外です",
                            i.name,
                            t.label(),
                            p.start,
                            p.end
                        ),
                        format!(
                            "indicator \"{}\": the target date {} lies outside the plan period (fiscal {}–{})",
                            i.name,
                            t.label_plain(),
                            p.start,
                            p.end
                        ),
                    )
                    .note(
                        "計画期間は kohyo.toml の [period] です。期間の後の目標なら、そのままで構いません",
                        "the plan period is kohyo.toml's [period]; a target beyond it on purpose is fine",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::Code;
    use crate::model::When;
    use crate::normalize::testing;
    use crate::normalize::testing::html_grid;

    /// Normalize, leaving out the notes these small grids always get (no title: K113;
    /// circled numbers: K112).
    fn run(g: crate::grid::Grid) -> (Option<crate::model::Strategy>, Vec<Code>) {
        run_grids(vec![g])
    }

    fn run_grids(g: Vec<crate::grid::Grid>) -> (Option<crate::model::Strategy>, Vec<Code>) {
        let (s, mut codes) = testing::run_grids(g);
        codes.retain(|c| !matches!(c, Code::K112 | Code::K113));
        (s, codes)
    }

    const HEAD: [(&str, u32, u32); 4] = [
        ("基本目標", 1, 1),
        ("施策の基本的方向", 1, 1),
        ("具体的な施策", 1, 1),
        ("事業例", 1, 1),
    ];

    fn d(s: &str) -> Option<rust_decimal::Decimal> {
        Some(s.parse().expect("decimal"))
    }

    #[test]
    fn a_goals_column_of_the_main_table_is_read_once_for_the_goal() {
        let grid = html_grid(&[
            &[
                ("基本目標", 1, 1),
                ("数値目標", 1, 1),
                ("施策の基本的方向", 1, 1),
                ("具体的な施策", 1, 1),
                ("事業例", 1, 1),
            ],
            &[
                ("目標A", 2, 1),
                ("就職率：50.0%（H26）→60.0%（H31）", 2, 1),
                ("1-1 方向", 1, 1),
                ("①施策", 1, 1),
                ("事業1", 1, 1),
            ],
            &[("1-2 方向", 1, 1), ("②施策", 1, 1), ("事業2", 1, 1)],
        ]);
        let (s, codes) = run(grid);
        assert!(codes.is_empty(), "{codes:?}");
        let s = s.expect("model");
        assert_eq!(s.goals[0].indicators.len(), 1);
        let i = &s.goals[0].indicators[0];
        assert_eq!((i.name.as_str(), i.unit.as_deref()), ("就職率", Some("%")));
        assert!(
            s.goals[0]
                .directions
                .iter()
                .flat_map(|d| &d.measures)
                .all(|m| m.indicators.is_empty())
        );
    }

    #[test]
    fn kpi_values_in_columns_of_the_main_table_take_their_headers_dates() {
        let grid = html_grid(&[
            &[
                HEAD[0],
                HEAD[1],
                HEAD[2],
                HEAD[3],
                ("KPI", 1, 1),
                ("現状値（H26）", 1, 1),
                ("目標値(平成31年度)", 1, 1),
            ],
            &[
                ("目標A", 1, 1),
                ("1-1 方向", 1, 1),
                ("①施策", 1, 1),
                ("事業1", 1, 1),
                ("参加者数", 1, 1),
                ("120人", 1, 1),
                ("約150人", 1, 1),
            ],
        ]);
        let (s, codes) = run(grid);
        assert!(codes.is_empty(), "{codes:?}");
        let s = s.expect("model");
        let i = &s.goals[0].directions[0].measures[0].indicators[0];
        assert_eq!(i.name, "参加者数");
        assert_eq!(i.unit.as_deref(), Some("人"));
        let b = i.baseline.as_ref().expect("baseline");
        assert_eq!(
            (b.value, b.when),
            (d("120"), Some(When::FiscalYear { year: 2014 }))
        );
        let t = i.target.as_ref().expect("target");
        assert_eq!((t.value, t.approximate), (d("150"), true));
        assert_eq!(t.when, Some(When::FiscalYear { year: 2019 }));
    }

    #[test]
    fn a_kpi_column_in_a_two_row_header() {
        let grid = html_grid(&[
            &[
                ("基本目標", 2, 1),
                ("施策", 1, 2),
                ("事業例", 2, 1),
                ("重要業績評価指標（KPI）", 2, 1),
            ],
            &[("施策の基本的方向", 1, 1), ("具体的な施策", 1, 1)],
            &[
                ("目標A", 1, 1),
                ("1-1 方向", 1, 1),
                ("①施策", 1, 1),
                ("事業1", 1, 1),
                ("件数：1件（R1）→5件（R6）", 1, 1),
            ],
        ]);
        let (s, codes) = run(grid);
        assert!(codes.is_empty(), "{codes:?}");
        let s = s.expect("model");
        let i = &s.goals[0].directions[0].measures[0].indicators[0];
        assert_eq!(
            i.target.as_ref().and_then(|t| t.when),
            Some(When::FiscalYear { year: 2024 })
        );
    }

    fn main_grid() -> crate::grid::Grid {
        html_grid(&[
            &HEAD,
            &[
                ("目標A", 2, 1),
                ("1-1 方向", 1, 1),
                ("①施策", 1, 1),
                ("事業1", 1, 1),
            ],
            &[("1-2 方向", 1, 1), ("②施策", 1, 1), ("事業2", 1, 1)],
            &[
                ("目標B", 1, 1),
                ("2-1 方向", 1, 1),
                ("③施策", 1, 1),
                ("事業3", 1, 1),
            ],
        ])
    }

    #[test]
    fn a_table_of_its_own_with_units_years_and_yearly_actuals() {
        let table = html_grid(&[
            &[
                ("基本目標", 1, 1),
                ("指標", 1, 1),
                ("単位", 1, 1),
                ("基準値", 1, 1),
                ("基準年度", 1, 1),
                ("平成28年度実績", 1, 1),
                ("H27実績", 1, 1),
                ("目標値", 1, 1),
                ("目標年度", 1, 1),
                ("備考", 1, 1),
            ],
            &[
                ("基本目標1", 2, 1),
                ("就業者数", 1, 1),
                ("人", 1, 1),
                ("1,000", 1, 1),
                ("2014", 1, 1),
                ("1,150", 1, 1),
                ("1,080", 1, 1),
                ("1,200", 1, 1),
                ("2019", 1, 1),
                ("国勢調査", 1, 1),
            ],
            // Merged over: the same goal.
            &[
                ("転入者数", 1, 1),
                ("人", 1, 1),
                ("5,000", 1, 1),
                ("平成26年", 1, 1),
                ("", 1, 1),
                ("", 1, 1),
                ("5,500", 1, 1),
                ("平成31年", 1, 1),
                ("", 1, 1),
            ],
            &[
                ("目標B", 1, 1),
                ("移住者数", 1, 1),
                ("", 1, 1),
                ("―", 1, 1),
                ("2014", 1, 1),
                ("", 1, 1),
                ("", 1, 1),
                ("50件", 1, 1),
                ("2019", 1, 1),
                ("", 1, 1),
            ],
        ]);
        let (s, codes) = run_grids(vec![main_grid(), table]);
        assert!(codes.is_empty(), "{codes:?}");
        let s = s.expect("model");
        let a = &s.goals[0].indicators;
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].note.as_deref(), Some("国勢調査"));
        let years: Vec<_> = a[0].actuals.iter().map(|o| (o.value, o.when)).collect();
        assert_eq!(
            years,
            [
                (d("1080"), Some(When::FiscalYear { year: 2015 })),
                (d("1150"), Some(When::FiscalYear { year: 2016 })),
            ],
            "oldest first"
        );
        assert_eq!(
            a[1].baseline.as_ref().and_then(|o| o.when),
            Some(When::Year { year: 2014 }),
            "a year cell saying 年 is a calendar year"
        );
        let b = &s.goals[1].indicators[0];
        assert_eq!(b.unit.as_deref(), Some("件"), "the unit from the value");
        assert_eq!(b.baseline.as_ref().map(|o| o.value), Some(None));
    }

    #[test]
    fn a_table_of_its_own_whose_first_key_is_blank_is_k103() {
        let table = html_grid(&[
            &[("具体的な施策", 1, 1), ("KPI", 1, 1)],
            &[("", 1, 1), ("件数：1件（H26）→2件（H31）", 1, 1)],
            &[("①施策", 1, 1), ("人数：1人（H26）→2人（H31）", 1, 1)],
        ]);
        let (s, codes) = run_grids(vec![main_grid(), table]);
        assert_eq!(codes, [Code::K103]);
        let s = s.expect("model");
        assert_eq!(
            s.goals[0].directions[0].measures[0].indicators[0].name,
            "人数"
        );
    }

    #[test]
    fn a_lone_heading_is_no_table_and_values_without_a_key_are_k101() {
        let title = html_grid(&[&[("数値目標", 1, 1)], &[("", 1, 1)]]);
        let (_, codes) = run_grids(vec![main_grid(), title]);
        assert!(codes.is_empty(), "{codes:?}");
        let keyless = html_grid(&[
            &[("指標", 1, 1), ("基準値", 1, 1), ("目標値", 1, 1)],
            &[("件数", 1, 1), ("1件", 1, 1), ("2件", 1, 1)],
        ]);
        let (_, codes) = run_grids(vec![main_grid(), keyless]);
        assert_eq!(codes, [Code::K101]);
    }

    #[test]
    fn headers_name_their_parts() {
        use super::{Part, Which, indicator_part};
        use crate::quantity::YearKind;
        assert_eq!(
            indicator_part("重要業績評価指標（KPI）"),
            Some(Part::Name(Some(super::Level::Measure)))
        );
        assert_eq!(
            indicator_part("ＫＰＩ"),
            Some(Part::Name(Some(super::Level::Measure)))
        );
        assert_eq!(
            indicator_part("数値目標"),
            Some(Part::Name(Some(super::Level::Goal)))
        );
        assert_eq!(indicator_part("指標名"), Some(Part::Name(None)));
        assert_eq!(
            indicator_part("基準年度"),
            Some(Part::Year(Which::Baseline, YearKind::Fiscal))
        );
        assert_eq!(
            indicator_part("目標年"),
            Some(Part::Year(Which::Target, YearKind::Calendar))
        );
        assert_eq!(
            indicator_part("現状値（R5）"),
            Some(Part::Value(
                Which::Baseline,
                Some(When::FiscalYear { year: 2023 })
            ))
        );
        assert_eq!(
            indicator_part("実績（2016年度）"),
            Some(Part::Actual(When::FiscalYear { year: 2016 }))
        );
        assert_eq!(indicator_part("備考"), Some(Part::Note));
        assert_eq!(indicator_part("実績値"), Some(Part::ActualValue));
        assert_eq!(
            indicator_part("実績年度"),
            Some(Part::ActualYear(YearKind::Fiscal))
        );
        assert_eq!(
            indicator_part("実績年"),
            Some(Part::ActualYear(YearKind::Calendar))
        );
        assert_eq!(indicator_part("事業費"), None);
        assert_eq!(indicator_part("目標値（未定）"), None);
    }
}

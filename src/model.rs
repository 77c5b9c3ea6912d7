//! The canonical model of a 地方版総合戦略: every reader ends here, every writer starts here.
//!
//! Strategy → 基本目標 [`Goal`] → 施策の基本的方向 [`Direction`] → 具体的な施策 [`Measure`] →
//! 事業例 [`Project`], plus 関連する既存事業 [`RelatedGroup`]s and the draft's metadata.
//! Every node keeps the [`Origin`] it was read from, for diagnostics.

use crate::grid::Origin;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A whole strategy draft: metadata plus the goal hierarchy and the related projects.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strategy {
    /// The plan's title as written, e.g. 苫小牧市総合戦略（骨子案）.
    pub title: Option<String>,
    /// Where the title came from (absent when it came from kohyo.toml).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_source: Option<Origin>,
    /// The drafting stage.
    pub stage: Option<Stage>,
    /// The municipality the plan belongs to.
    pub municipality: Option<Municipality>,
    /// Who publishes the data.
    pub publisher: Option<Publisher>,
    /// The licence the outputs are published under.
    pub license: Option<License>,
    /// The plan period, in fiscal years.
    pub period: Option<PlanPeriod>,
    /// The publication date of this version of the draft (from kohyo.toml, never the clock).
    pub date: Option<Date>,
    /// The URL the outputs will be published under, ending in `/` (from kohyo.toml).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// How often the published data is updated (from kohyo.toml).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_frequency: Option<Frequency>,
    /// The CKAN catalog the open data is released to (from kohyo.toml's `[catalog]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<Catalog>,
    /// 基本目標, numbered in order of first appearance.
    pub goals: Vec<Goal>,
    /// 関連する既存事業, grouped by goal, in goal order.
    pub related: Vec<RelatedGroup>,
    /// The files the draft was read from, in reading order.
    pub sources: Vec<String>,
}

/// 基本目標: a basic goal of the strategy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    /// 1-based, in order of first appearance.
    pub number: u32,
    /// The goal as written.
    pub title: String,
    /// 施策の基本的方向 under this goal.
    pub directions: Vec<Direction>,
    /// 数値目標: the goal's indicators, in the order the draft gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
    /// Where the goal was first read.
    pub source: Origin,
    /// The item's open-data ID, kept across versions by `kohyo build` (see `crate::ids`);
    /// none until a build assigns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// 施策の基本的方向: a basic direction of measures, e.g. `1-1 市内在住若者の雇用機会の拡大`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Direction {
    /// The code as written with ASCII digits, e.g. `1-1`.
    pub code: String,
    /// The title after the code.
    pub title: String,
    /// 具体的な施策 under this direction, ordered by number.
    pub measures: Vec<Measure>,
    /// Where the direction was first read.
    pub source: Origin,
    /// The item's open-data ID, kept across versions by `kohyo build` (see `crate::ids`);
    /// none until a build assigns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// 具体的な施策: a concrete measure, e.g. `①若者の市内就職の促進`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measure {
    /// The measure's number (① is 1).
    pub number: u32,
    /// The title after the number.
    pub title: String,
    /// 事業例 under this measure.
    pub projects: Vec<Project>,
    /// 重要業績評価指標（KPI）: the measure's indicators, in the order the draft gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indicators: Vec<Indicator>,
    /// Where the measure was read.
    pub source: Origin,
    /// The item's open-data ID, kept across versions by `kohyo build` (see `crate::ids`);
    /// none until a build assigns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// 事業例: an example project of a measure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// The project as written, minus the trailing grant types.
    pub title: String,
    /// The 地方創生 grant types marked on the project, in the order written.
    pub funding: Vec<Funding>,
    /// Where the project was read.
    pub source: Origin,
    /// The item's open-data ID, kept across versions by `kohyo build` (see `crate::ids`);
    /// none until a build assigns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// A grant type of the 地方創生先行型交付金 marked on a project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Funding {
    /// 先行型: the base allocation.
    #[serde(rename = "先行型")]
    Senkogata,
    /// 上乗せ: the top-up allocation.
    #[serde(rename = "上乗せ")]
    Uwanose,
}

impl Funding {
    /// Every grant type kohyo recognises.
    pub const ALL: &'static [Funding] = &[Funding::Senkogata, Funding::Uwanose];

    /// The label as written in drafts.
    pub fn label(self) -> &'static str {
        match self {
            Funding::Senkogata => "先行型",
            Funding::Uwanose => "上乗せ",
        }
    }
}

impl fmt::Display for Funding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An indicator: a 数値目標 of a [`Goal`] or a KPI (重要業績評価指標) of a [`Measure`], e.g.
/// 「市内新規高卒者の市内就職率 55.2%（平成26年度）→ 60.0%（平成31年度）」.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// 指標名, e.g. 市内新規高卒者の市内就職率; the whole text when it could not be parsed.
    pub name: String,
    /// 単位 shared by the values, e.g. `%`, `人`, `件/年`; none for a plain ratio or count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// 基準値: where the indicator stands when the plan is made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Observation>,
    /// 目標値: where the plan means it to be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Observation>,
    /// 実績値 reported year by year (効果検証), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actuals: Vec<Observation>,
    /// 備考.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The indicator as the draft wrote it in one cell, when it came from one (a KPI column);
    /// none for a row of an indicator table, whose cells are kept in each [`Observation`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
    /// Where the indicator was read.
    pub source: Origin,
    /// The item's open-data ID, kept across versions by `kohyo build` (see `crate::ids`);
    /// none until a build assigns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// One value of an indicator at one time: a baseline, a target or a year's actual.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    /// The value in the indicator's unit (万・億 multiplied out, a %-formatted 0.78 as 78);
    /// none when the draft gives no value (「―」) or one that is not a number.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::quantity::serde_decimal"
    )]
    pub value: Option<rust_decimal::Decimal>,
    /// True when the value is written as approximate (約, 程度).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
    /// A bound written after the value: 以上, 以下, 超, 未満.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<Bound>,
    /// When the value holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<When>,
    /// The value as written, e.g. 「55.2%（平成26年度）」 or a cell's displayed number.
    pub written: String,
}

/// A bound written after a target value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Bound {
    /// 以上: at least.
    #[serde(rename = "以上")]
    AtLeast,
    /// 以下: at most.
    #[serde(rename = "以下")]
    AtMost,
    /// 超: more than.
    #[serde(rename = "超")]
    MoreThan,
    /// 未満: less than.
    #[serde(rename = "未満")]
    LessThan,
}

impl Bound {
    /// Every bound, as written.
    pub const ALL: &'static [Bound] = &[
        Bound::AtLeast,
        Bound::AtMost,
        Bound::MoreThan,
        Bound::LessThan,
    ];

    /// The bound as written in Japanese.
    pub fn label(self) -> &'static str {
        match self {
            Bound::AtLeast => "以上",
            Bound::AtMost => "以下",
            Bound::MoreThan => "超",
            Bound::LessThan => "未満",
        }
    }
}

/// When an observation holds, in the Gregorian calendar: a fiscal year (年度, April to March),
/// a calendar year (年) or a month (年月), kept apart as the draft wrote them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum When {
    /// 年度: the fiscal year starting in April of `year`.
    FiscalYear {
        /// The Gregorian year the fiscal year starts in (平成26年度 is 2014).
        year: u16,
    },
    /// 年: the calendar year.
    Year {
        /// The Gregorian year.
        year: u16,
    },
    /// 年月: one month.
    Month {
        /// The Gregorian year.
        year: u16,
        /// 1–12.
        month: u8,
    },
}

impl When {
    /// The Gregorian year written: the fiscal year's first year, the calendar year, the month's year.
    pub fn year(self) -> u16 {
        match self {
            When::FiscalYear { year } | When::Year { year } | When::Month { year, .. } => year,
        }
    }

    /// The month, for a month.
    pub fn month(self) -> Option<u8> {
        match self {
            When::Month { month, .. } => Some(month),
            _ => None,
        }
    }

    /// The first and last month it covers, as months since year 0 (`year * 12 + month - 1`).
    pub fn months(self) -> (u32, u32) {
        let m = |y: u16, mo: u8| u32::from(y) * 12 + u32::from(mo) - 1;
        match self {
            When::FiscalYear { year } => (m(year, 4), m(year + 1, 3)),
            When::Year { year } => (m(year, 1), m(year, 12)),
            When::Month { year, month } => (m(year, month), m(year, month)),
        }
    }

    /// The kind as the open data names it: 年度, 年 or 年月.
    pub fn kind_label(self) -> &'static str {
        match self {
            When::FiscalYear { .. } => "年度",
            When::Year { .. } => "年",
            When::Month { .. } => "年月",
        }
    }

    /// Gregorian with the era in brackets, as Japanese public documents write it:
    /// 2014（平成26）年度, 2019（令和元）年, 2015（平成27）年4月.
    pub fn label(self) -> String {
        let (year, tail) = match self {
            When::FiscalYear { year } => (year, "年度".to_string()),
            When::Year { year } => (year, "年".to_string()),
            When::Month { year, month } => (year, format!("年{month}月")),
        };
        // The era in effect at the end of May for a fiscal year (FY2019 is 令和元年度), at the
        // end of December for a calendar year (2019 is 令和元年), at the end of the month else.
        let month = match self {
            When::FiscalYear { .. } => 5,
            When::Year { .. } => 12,
            When::Month { month, .. } => month,
        };
        match crate::quantity::era_of(year, month) {
            Some(era) => format!("{year}（{era}）{tail}"),
            None => format!("{year}{tail}"),
        }
    }

    /// Gregorian only: 2014年度, 2019年, 2015年4月.
    pub fn label_plain(self) -> String {
        match self {
            When::FiscalYear { year } => format!("{year}年度"),
            When::Year { year } => format!("{year}年"),
            When::Month { year, month } => format!("{year}年{month}月"),
        }
    }
}

/// 関連する既存事業 of one goal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedGroup {
    /// The number of the goal this group belongs to.
    pub goal: u32,
    /// The existing projects.
    pub projects: Vec<RelatedProject>,
    /// Where the group's goal cell was read.
    pub source: Origin,
}

/// One related existing project, e.g. `(スポーツ大会や合宿の誘致) 全国高等学校…`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedProject {
    /// The project's name.
    pub title: String,
    /// The budget category given in parentheses before the name, if any.
    pub category: Option<String>,
    /// Where the project was read.
    pub source: Origin,
    /// The item's open-data ID, kept across versions by `kohyo build` (see `crate::ids`);
    /// none until a build assigns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// The stage of a draft, in the order a plan goes through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// 骨子案: the outline.
    #[serde(rename = "骨子案")]
    Kosshian,
    /// 素案: the first full draft.
    #[serde(rename = "素案")]
    Soan,
    /// 原案: the draft put to the council.
    #[serde(rename = "原案")]
    Genan,
    /// 策定: adopted.
    #[serde(rename = "策定")]
    Sakutei,
}

impl Stage {
    /// Every stage, in order.
    pub const ALL: &'static [Stage] = &[Stage::Kosshian, Stage::Soan, Stage::Genan, Stage::Sakutei];

    /// The stage as written in Japanese.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Kosshian => "骨子案",
            Stage::Soan => "素案",
            Stage::Genan => "原案",
            Stage::Sakutei => "策定",
        }
    }

    /// The stage in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Stage::Kosshian => "outline",
            Stage::Soan => "first draft",
            Stage::Genan => "final draft",
            Stage::Sakutei => "adopted",
        }
    }

    /// The stage named by a label (`骨子案`, `素案`, `原案`, `策定`).
    pub fn from_label(s: &str) -> Option<Stage> {
        Stage::ALL.iter().copied().find(|st| st.label() == s.trim())
    }

    /// The stage a title names in brackets or at its end, e.g. 「…総合戦略（骨子案）」.
    pub fn from_title(title: &str) -> Option<Stage> {
        [Stage::Kosshian, Stage::Soan, Stage::Genan]
            .into_iter()
            .find(|st| title.contains(st.label()))
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A municipality, identified by its 全国地方公共団体コード.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Municipality {
    /// The 6-digit 全国地方公共団体コード with its check digit, e.g. `012131`.
    pub code: String,
    /// The name, e.g. 苫小牧市.
    pub name: String,
    /// The prefecture, e.g. 北海道.
    pub prefecture: String,
}

/// Why a 全国地方公共団体コード is invalid.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Not six ASCII digits.
    #[error("not six digits")]
    Shape,
    /// The prefecture part is not 01–47.
    #[error("prefecture part {0:02} is not 01-47")]
    Prefecture(u32),
    /// The check digit does not match.
    #[error("check digit should be {expected}")]
    CheckDigit {
        /// The digit the first five digits call for.
        expected: u32,
    },
}

/// Validate a 全国地方公共団体コード: six digits, prefecture 01–47, and the check digit
/// (11 minus the weighted sum 6,5,4,3,2 modulo 11, keeping the last digit).
pub fn check_municipality_code(code: &str) -> Result<(), CodeError> {
    let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if code.len() != 6 || digits.len() != 6 {
        return Err(CodeError::Shape);
    }
    let pref = digits[0] * 10 + digits[1];
    if !(1..=47).contains(&pref) {
        return Err(CodeError::Prefecture(pref));
    }
    let sum: u32 = digits[..5]
        .iter()
        .zip([6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    let expected = (11 - sum % 11) % 10;
    if digits[5] != expected {
        return Err(CodeError::CheckDigit { expected });
    }
    Ok(())
}

/// The publisher of the outputs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publisher {
    /// The publishing body, e.g. 苫小牧市.
    pub name: String,
    /// The responsible section, e.g. 総合政策部政策推進課.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// A contact address (e-mail or URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// What the catalog record says about where the dataset lives in a CKAN catalog.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// The CKAN organization that owns the dataset (its name, e.g. `tomakomai`).
    pub organization: String,
    /// The catalog's own licence id, when its licence list differs from CKAN's default one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license_id: Option<String>,
    /// Whether the files are uploaded to the catalog or linked at `base_url`.
    #[serde(default)]
    pub files: CatalogFiles,
}

/// How a catalog holds the published files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CatalogFiles {
    /// The CSVs and the PDF are uploaded to the catalog's file store (the web page is linked).
    #[default]
    Upload,
    /// Every file is linked at its address under `base_url`.
    Link,
}

/// The licence of the published outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum License {
    /// Creative Commons Attribution 4.0 International.
    #[serde(rename = "CC-BY-4.0")]
    CcBy40,
    /// 公共データ利用規約（第1.0版）.
    #[serde(rename = "PDL-1.0")]
    Pdl10,
}

impl License {
    /// The licence's SPDX-style identifier.
    pub fn id(self) -> &'static str {
        match self {
            License::CcBy40 => "CC-BY-4.0",
            License::Pdl10 => "PDL-1.0",
        }
    }

    /// The licence's name in Japanese, as its publisher writes it.
    pub fn name_ja(self) -> &'static str {
        match self {
            License::CcBy40 => "クリエイティブ・コモンズ 表示 4.0 国際 ライセンス（CC BY 4.0）",
            License::Pdl10 => "公共データ利用規約（第1.0版）（PDL1.0）",
        }
    }

    /// Where the licence text is published.
    pub fn url(self) -> &'static str {
        match self {
            License::CcBy40 => "https://creativecommons.org/licenses/by/4.0/deed.ja",
            License::Pdl10 => {
                "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
            }
        }
    }
}

/// How often the published data is updated, from the EU Publications Office's frequency
/// vocabulary that DCAT-AP uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    /// Whenever the plan changes stage (the usual case for a 総合戦略).
    Irregular,
    /// Once a year.
    Annual,
    /// Twice a year.
    Semiannual,
    /// Every three months.
    Quarterly,
    /// Every month.
    Monthly,
}

impl Frequency {
    /// Every frequency, as written in kohyo.toml.
    pub const ALL: &'static [Frequency] = &[
        Frequency::Irregular,
        Frequency::Annual,
        Frequency::Semiannual,
        Frequency::Quarterly,
        Frequency::Monthly,
    ];

    /// The key written in kohyo.toml, e.g. `irregular`.
    pub fn key(self) -> &'static str {
        match self {
            Frequency::Irregular => "irregular",
            Frequency::Annual => "annual",
            Frequency::Semiannual => "semiannual",
            Frequency::Quarterly => "quarterly",
            Frequency::Monthly => "monthly",
        }
    }

    /// The frequency in Japanese, e.g. 不定期.
    pub fn label(self) -> &'static str {
        match self {
            Frequency::Irregular => "不定期",
            Frequency::Annual => "毎年",
            Frequency::Semiannual => "半年ごと",
            Frequency::Quarterly => "四半期ごと",
            Frequency::Monthly => "毎月",
        }
    }

    /// The vocabulary IRI, e.g. `http://publications.europa.eu/resource/authority/frequency/IRREG`.
    pub fn iri(self) -> &'static str {
        match self {
            Frequency::Irregular => {
                "http://publications.europa.eu/resource/authority/frequency/IRREG"
            }
            Frequency::Annual => {
                "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
            }
            Frequency::Semiannual => {
                "http://publications.europa.eu/resource/authority/frequency/ANNUAL_2"
            }
            Frequency::Quarterly => {
                "http://publications.europa.eu/resource/authority/frequency/QUARTERLY"
            }
            Frequency::Monthly => {
                "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
            }
        }
    }
}

/// The plan period in fiscal years, e.g. 2015–2019 (平成27年度〜平成31年度).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanPeriod {
    /// First fiscal year.
    pub start: u16,
    /// Last fiscal year.
    pub end: u16,
}

/// A calendar date, written `YYYY-MM-DD` in JSON and kohyo.toml.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, e.g. 2015.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31.
    pub day: u8,
}

impl Date {
    /// A date, if it exists in the Gregorian calendar.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days).then_some(Date { year, month, day })
    }

    /// The date as Japanese text, e.g. 2015年8月31日.
    pub fn to_japanese(self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Date, String> {
        let mut parts = s.splitn(3, '-');
        let mut next = |n: usize| {
            parts
                .next()
                .filter(|p| p.len() == n && p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse::<u16>().ok())
        };
        let (Some(y), Some(m), Some(d)) = (next(4), next(2), next(2)) else {
            return Err(format!("{s:?} is not a YYYY-MM-DD date"));
        };
        Date::new(y, m as u8, d as u8).ok_or_else(|| format!("{s} is not a calendar date"))
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Strategy {
    /// Number of directions, measures and projects, for summaries and tests.
    pub fn counts(&self) -> Counts {
        let directions = self.goals.iter().map(|g| g.directions.len()).sum();
        let measures = self
            .goals
            .iter()
            .flat_map(|g| &g.directions)
            .map(|d| d.measures.len())
            .sum();
        let projects = self
            .goals
            .iter()
            .flat_map(|g| &g.directions)
            .flat_map(|d| &d.measures)
            .map(|m| m.projects.len())
            .sum();
        let related = self.related.iter().map(|r| r.projects.len()).sum();
        Counts {
            goals: self.goals.len(),
            directions,
            measures,
            projects,
            related,
        }
    }

    /// A copy with every source position and ID cleared: the content alone, to compare models
    /// read from different formats or published at different times.
    pub fn without_sources(&self) -> Strategy {
        let mut s = self.clone();
        s.title_source = None;
        s.sources.clear();
        let clear = |list: &mut Vec<Indicator>| {
            for i in list {
                i.source = Origin::default();
                i.id = None;
            }
        };
        for g in &mut s.goals {
            g.source = Origin::default();
            g.id = None;
            clear(&mut g.indicators);
            for d in &mut g.directions {
                d.source = Origin::default();
                d.id = None;
                for m in &mut d.measures {
                    m.source = Origin::default();
                    m.id = None;
                    clear(&mut m.indicators);
                    for p in &mut m.projects {
                        p.source = Origin::default();
                        p.id = None;
                    }
                }
            }
        }
        for r in &mut s.related {
            r.source = Origin::default();
            for p in &mut r.projects {
                p.source = Origin::default();
                p.id = None;
            }
        }
        s
    }

    /// Every indicator with the goal it belongs to and, for a KPI, its measure: 数値目標 first
    /// within each goal, then the KPIs in measure order.
    pub fn indicators(&self) -> Vec<IndicatorRef<'_>> {
        let mut out = Vec::new();
        for goal in &self.goals {
            out.extend(goal.indicators.iter().map(|indicator| IndicatorRef {
                goal,
                measure: None,
                indicator,
            }));
            for d in &goal.directions {
                for m in &d.measures {
                    out.extend(m.indicators.iter().map(|indicator| IndicatorRef {
                        goal,
                        measure: Some((d, m)),
                        indicator,
                    }));
                }
            }
        }
        out
    }

    /// A copy without sources, IDs and the indicators' written forms: what a model read from a
    /// KPI column and one read from a spreadsheet of numbers share when they say the same.
    pub fn without_wording(&self) -> Strategy {
        let mut s = self.without_sources();
        let strip = |list: &mut Vec<Indicator>| {
            for i in list {
                i.written = None;
                for o in i
                    .baseline
                    .iter_mut()
                    .chain(&mut i.target)
                    .chain(&mut i.actuals)
                {
                    o.written.clear();
                }
            }
        };
        for g in &mut s.goals {
            strip(&mut g.indicators);
            for m in g.directions.iter_mut().flat_map(|d| &mut d.measures) {
                strip(&mut m.indicators);
            }
        }
        s
    }
}

/// An indicator with the goal it belongs to and, for a KPI, its direction and measure.
#[derive(Clone, Copy, Debug)]
pub struct IndicatorRef<'a> {
    /// The goal: the 数値目標's own, or the KPI's measure's.
    pub goal: &'a Goal,
    /// The KPI's direction and measure; none for a 数値目標.
    pub measure: Option<(&'a Direction, &'a Measure)>,
    /// The indicator.
    pub indicator: &'a Indicator,
}

/// How many nodes a strategy has at each level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// 基本目標.
    pub goals: usize,
    /// 施策の基本的方向.
    pub directions: usize,
    /// 具体的な施策.
    pub measures: usize,
    /// 事業例.
    pub projects: usize,
    /// 関連する既存事業.
    pub related: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn municipality_codes() {
        assert_eq!(check_municipality_code("012131"), Ok(()));
        assert_eq!(check_municipality_code("131016"), Ok(())); // 千代田区
        assert_eq!(check_municipality_code("011002"), Ok(())); // 札幌市
        assert_eq!(
            check_municipality_code("012130"),
            Err(CodeError::CheckDigit { expected: 1 })
        );
        assert_eq!(check_municipality_code("01213"), Err(CodeError::Shape));
        assert_eq!(
            check_municipality_code("０１２１３１"),
            Err(CodeError::Shape)
        );
        assert_eq!(
            check_municipality_code("482131"),
            Err(CodeError::Prefecture(48))
        );
    }

    #[test]
    fn stage_from_title() {
        assert_eq!(
            Stage::from_title("苫小牧市総合戦略（骨子案）"),
            Some(Stage::Kosshian)
        );
        assert_eq!(Stage::from_title("○○市総合戦略（素案）"), Some(Stage::Soan));
        assert_eq!(Stage::from_title("○○市総合戦略 原案"), Some(Stage::Genan));
        assert_eq!(Stage::from_title("○○市総合戦略"), None);
        assert_eq!(Stage::from_label("策定"), Some(Stage::Sakutei));
    }

    #[test]
    fn funding_serializes_as_written() {
        assert_eq!(
            serde_json::to_string(&Funding::Senkogata).ok(),
            Some("\"先行型\"".into())
        );
        assert_eq!(
            serde_json::to_string(&Stage::Kosshian).ok(),
            Some("\"骨子案\"".into())
        );
    }
}

//! The print-ready PDF: the draft as a Japanese A4 (or A3) table document, tagged for
//! PDF/UA-1, from the canonical model alone.
//!
//! Layout happens first and completely (so the footer can say `n / N`), then krilla draws the
//! pages. Every piece of text is drawn inside a marked-content span whose identifier is filed
//! under a [`Target`]; once all pages are drawn the structure tree is built from those targets
//! in reading order. Rules, shading, the footer, the repeated header row and continuation
//! labels are artifacts.

mod pack;
pub(crate) mod table;
pub mod text;

use super::{measure_label, project_text, related_text, subtitle_of, title_of};
use crate::diag::{Code, Diagnostic};
use crate::grid::Origin;
use crate::meta::{Orientation, Paper, PdfLayout};
use crate::model::{Date, Funding, Strategy};
use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope,
    Tag, TagGroup, TagId, TagTree,
};
use krilla::{Document, SerializeSettings};
use std::collections::HashMap;
use std::num::{NonZeroU16, NonZeroU32};
use std::rc::Rc;
use table::{Atom, Band, CellBox, Deco, Padding, Run, SpanCell, Table};
use text::{Fonts, Shaped, Weight};

/// Settings for one PDF: page geometry and the creation date written into its metadata.
#[derive(Clone, Copy, Debug, Default)]
pub struct PdfSettings {
    /// Paper and orientation.
    pub layout: PdfLayout,
    /// The creation time for the metadata (kohyo.toml's `date`, else `SOURCE_DATE_EPOCH`);
    /// never the clock, so builds are reproducible.
    pub created: Option<Stamp>,
    /// Leave every object on its own with a plain cross-reference table instead of packing
    /// the dictionaries into compressed object streams (for comparing the two in tests).
    pub unpacked: bool,
}

/// A point in time for the PDF's metadata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    /// The day.
    pub date: Date,
    /// Hours, minutes and seconds.
    pub time: (u8, u8, u8),
    /// Offset from UTC in hours.
    pub utc_offset: i8,
}

impl Stamp {
    /// Midnight of a publication date, Japan time.
    pub fn japan_midnight(date: Date) -> Stamp {
        Stamp {
            date,
            time: (0, 0, 0),
            utc_offset: 9,
        }
    }
}

impl PdfSettings {
    /// Settings from kohyo.toml's `[pdf]` and the strategy's date, falling back to
    /// `SOURCE_DATE_EPOCH` for the creation date.
    pub fn new(layout: PdfLayout, strategy: &Strategy) -> PdfSettings {
        PdfSettings {
            layout,
            created: strategy
                .date
                .map(Stamp::japan_midnight)
                .or_else(source_date_epoch),
            unpacked: false,
        }
    }
}

/// The time `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) names, when set and valid.
pub fn source_date_epoch() -> Option<Stamp> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let time = (
        (rem / 3600) as u8,
        (rem % 3600 / 60) as u8,
        (rem % 60) as u8,
    );
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(Stamp {
        date: Date::new(u16::try_from(year).ok()?, month, day)?,
        time,
        utc_offset: 0,
    })
}

/// Where a piece of text belongs in the structure tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// The H1 title.
    Title,
    /// The line under the title: municipality, stage, date.
    Subtitle,
    /// An H2 section heading (0: the measures, 1: the related projects).
    Heading(usize),
    /// A column header of the main table.
    MainHead(usize),
    /// A goal cell (goal index).
    Goal(usize),
    /// A direction cell.
    Direction(usize, usize),
    /// A measure cell.
    Measure(usize, usize, usize),
    /// A project's bullet.
    ProjectLabel(usize, usize, usize, usize),
    /// A project's text.
    ProjectBody(usize, usize, usize, usize),
    /// A column header of the related table.
    RelatedHead(usize),
    /// A related group's goal cell.
    RelatedGoal(usize),
    /// A related project's bullet.
    RelatedLabel(usize, usize),
    /// A related project's text.
    RelatedBody(usize, usize),
    /// A heading or paragraph of a document other than the strategy's, by position.
    Block(usize),
    /// A column header of such a document's table: (table, column).
    Head(usize, usize),
    /// A piece of a cell of such a document's table: (table, row, column, piece). A cell's
    /// pieces are its runs of plain and marked text, in reading order.
    Piece(usize, usize, usize, usize),
}

/// Why a PDF could not be written.
#[derive(Debug)]
pub enum PdfError {
    /// Characters the embedded font lacks, each with where it sits in the draft.
    MissingGlyphs(Vec<Diagnostic>),
    /// krilla refused the document (a PDF/UA violation or an internal limit).
    Krilla(String),
}

impl PdfError {
    /// The error as diagnostics, for `check` and `build` to print.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match self {
            PdfError::MissingGlyphs(d) => d,
            PdfError::Krilla(msg) => vec![Diagnostic::new(
                Code::K202,
                None,
                format!("PDF を書き出せませんでした: {msg}"),
                format!("the PDF could not be written: {msg}"),
            )],
        }
    }
}

// Typography, in points.
pub(crate) const BODY: f32 = 9.0;
pub(crate) const SMALL: f32 = 7.5;
const LEADING: f32 = 1.55;
pub(crate) const TITLE: f32 = 18.0;
pub(crate) const SUBTITLE: f32 = 10.5;
pub(crate) const HEADING: f32 = 12.0;
const FOOTER: f32 = 8.0;
pub(crate) const PAD: Padding = Padding { x: 5.0, y: 4.0 };
const BULLET: &str = "・";
const CONTINUED: &str = "（続き）";
const RELATED_HEADING: &str = "【参考】関連する既存事業";
const MAIN_HEADING: &str = "基本目標と具体的な施策";

// Colours (sRGB), all with at least 4.5:1 contrast against white where they carry text.
const INK: (u8, u8, u8) = (0x1a, 0x1a, 0x1a);
const MUTED: (u8, u8, u8) = (0x4d, 0x4d, 0x4d);
const RULE: (u8, u8, u8) = (0x59, 0x59, 0x59);
const HEAD_FILL: (u8, u8, u8) = (0xdc, 0xe3, 0xeb);
const TH_FILL: (u8, u8, u8) = (0xf2, 0xf5, 0xf8);

const MM: f32 = 72.0 / 25.4;

/// Page geometry.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Geometry {
    width: f32,
    height: f32,
    /// Left margin.
    pub left: f32,
    right: f32,
    top: f32,
    bottom: f32,
}

impl Geometry {
    /// The page and margins for a paper size and orientation.
    pub(crate) fn new(layout: PdfLayout) -> Geometry {
        let (short, long) = match layout.paper {
            Paper::A4 => (210.0 * MM, 297.0 * MM),
            Paper::A3 => (297.0 * MM, 420.0 * MM),
        };
        let (width, height) = match layout.orientation {
            Orientation::Landscape => (long, short),
            Orientation::Portrait => (short, long),
        };
        // 20 mm on the binding (left) edge, 12 mm elsewhere, 15 mm at the foot for the footer:
        // inside the unprintable margins of office printers and clear of a punched binding.
        Geometry {
            width,
            height,
            left: 20.0 * MM,
            right: 12.0 * MM,
            top: 12.0 * MM,
            bottom: 15.0 * MM,
        }
    }

    /// Width between the margins.
    pub(crate) fn body_width(&self) -> f32 {
        self.width - self.left - self.right
    }

    fn body_bottom(&self) -> f32 {
        self.height - self.bottom
    }
}

/// Every string of the model that the PDF shows, with where it came from: the glyph check
/// and the text-extraction tests walk this.
pub fn shown_texts(s: &Strategy) -> Vec<(String, Option<Origin>)> {
    let mut out = vec![(title_of(s), s.title_source.clone())];
    out.push((subtitle_of(s), None));
    for g in &s.goals {
        out.push((g.title.clone(), Some(g.source.clone())));
        for d in &g.directions {
            out.push((d.title.clone(), Some(d.source.clone())));
            out.push((d.code.clone(), Some(d.source.clone())));
            for m in &d.measures {
                out.push((m.title.clone(), Some(m.source.clone())));
                for p in &m.projects {
                    out.push((p.title.clone(), Some(p.source.clone())));
                }
            }
        }
    }
    for r in &s.related {
        for p in &r.projects {
            out.push((related_text(p), Some(p.source.clone())));
        }
    }
    out
}

/// Characters the embedded font cannot show, as K201 errors located in the draft.
pub fn check_glyphs(s: &Strategy) -> Vec<Diagnostic> {
    glyph_diagnostics(Fonts::shared(), s)
}

fn glyph_diagnostics(fonts: &Fonts, s: &Strategy) -> Vec<Diagnostic> {
    missing_glyphs(fonts, shown_texts(s))
}

/// K201 for every character of `texts` the font lacks, at the text's origin.
pub(crate) fn missing_glyphs(
    fonts: &Fonts,
    texts: Vec<(String, Option<Origin>)>,
) -> Vec<Diagnostic> {
    // Look each distinct character up once; only a text holding a missing one is searched.
    let mut seen: std::collections::HashSet<char> = std::collections::HashSet::new();
    let mut all = String::new();
    for (t, _) in &texts {
        all.extend(t.chars().filter(|c| seen.insert(*c)));
    }
    let missing = fonts.missing(&all);
    if missing.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (text, origin) in texts {
        if !text.chars().any(|c| missing.contains(&c)) {
            continue;
        }
        for c in fonts.missing(&text) {
            let code = format!("U+{:04X}", c as u32);
            out.push(
                Diagnostic::new(
                    Code::K201,
                    origin.clone(),
                    format!("文字「{c}」（{code}）は PDF のフォントにないため表示できません"),
                    format!("character '{c}' ({code}) is not in the PDF's font"),
                )
                .note(
                    "BIZ UDゴシックにある文字に置き換えてください（例: 絵文字や外字は使えません）",
                    "replace it with a character BIZ UDGothic has (emoji and private-use characters are not available)",
                ),
            );
        }
    }
    out
}

/// Lays out paragraphs into bands.
pub(crate) struct Composer<'f> {
    /// The embedded fonts.
    pub fonts: &'f Fonts,
}

impl Composer<'_> {
    fn shape(&self, text: &str, weight: Weight, size: f32) -> Rc<Shaped> {
        Rc::new(Shaped::new(self.fonts, text, weight, size))
    }

    /// A paragraph broken to `width`, one band per line.
    pub(crate) fn para(
        &self,
        text: &str,
        weight: Weight,
        size: f32,
        width: f32,
        target: Target,
        muted: bool,
    ) -> Vec<Band> {
        let mut shaped = Shaped::new(self.fonts, text, weight, size);
        for f in Funding::ALL {
            shaped = shaped.glue(&format!("（{}）", f.label()));
        }
        let shaped = Rc::new(shaped);
        let lh = size * LEADING;
        shaped
            .lines(width)
            .into_iter()
            .map(|line| Band {
                height: lh,
                runs: vec![Run {
                    x: 0.0,
                    baseline: baseline(size, lh),
                    shaped: shaped.clone(),
                    line,
                    target,
                    muted,
                    deco: None,
                    actual: None,
                }],
            })
            .collect()
    }

    /// A list item: a bullet hanging in the margin, the text indented after it.
    fn item(&self, text: &str, width: f32, label: Target, body: Target) -> Vec<Band> {
        let bullet = self.shape(BULLET, Weight::Regular, BODY);
        let indent = bullet.max_width();
        let mut bands = self.para(text, Weight::Regular, BODY, width - indent, body, false);
        for b in &mut bands {
            for r in &mut b.runs {
                r.x += indent;
            }
        }
        if let Some(first) = bands.first_mut() {
            let lh = BODY * LEADING;
            let line = bullet.lines(f32::INFINITY).into_iter().next();
            if let Some(line) = line {
                first.runs.insert(
                    0,
                    Run {
                        x: 0.0,
                        baseline: baseline(BODY, lh),
                        shaped: bullet.clone(),
                        line,
                        target: label,
                        muted: false,
                        deco: None,
                        actual: None,
                    },
                );
            }
        }
        bands
    }

    /// A paragraph of plain and marked pieces broken to `width` as one text, so lines break
    /// where they would without the marks; piece `k` is filed under `target(k)`. A marked
    /// piece is drawn with its line and, where it starts and ends, reads as its `before` and
    /// `after` words around it (its `/ActualText`).
    pub(crate) fn marked(
        &self,
        pieces: &[Piece],
        size: f32,
        width: f32,
        target: impl Fn(usize) -> Target,
    ) -> Vec<Band> {
        let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
        let mut ranges = Vec::with_capacity(pieces.len());
        let mut at = 0;
        for p in pieces {
            ranges.push(at..at + p.text.len());
            at += p.text.len();
        }
        let shaped = Rc::new(Shaped::new(self.fonts, &text, Weight::Regular, size));
        let lh = size * LEADING;
        let mut bands = Vec::new();
        for line in shaped.lines(width) {
            let mut runs = Vec::new();
            for (k, (p, r)) in pieces.iter().zip(&ranges).enumerate() {
                let (a, b) = (r.start.max(line.start), r.end.min(line.end));
                if a >= b {
                    continue;
                }
                let (piece, dx) = shaped.piece(&line, a, b);
                let actual = p.deco.and_then(|_| {
                    let starts = text[r.start..a].trim().is_empty();
                    let ends = text[b..r.end].trim().is_empty();
                    let (before, after) = (
                        if starts { p.before } else { "" },
                        if ends { p.after } else { "" },
                    );
                    (!before.is_empty() || !after.is_empty())
                        .then(|| Rc::from(format!("{before}{}{after}", &text[a..b])))
                });
                runs.push(Run {
                    x: dx,
                    baseline: baseline(size, lh),
                    shaped: shaped.clone(),
                    line: piece,
                    target: target(k),
                    muted: false,
                    deco: p.deco,
                    actual,
                });
            }
            bands.push(Band { height: lh, runs });
        }
        bands
    }

    /// min-content and max-content widths of a paragraph.
    pub(crate) fn widths(&self, text: &str, weight: Weight, size: f32) -> (f32, f32) {
        let s = Shaped::new(self.fonts, text, weight, size);
        (s.min_width(), s.max_width())
    }
}

/// A run of text in a [`Composer::marked`] paragraph.
pub(crate) struct Piece {
    /// The text.
    pub text: String,
    /// Its mark, if any.
    pub deco: Option<Deco>,
    /// Read before it (e.g. 「［削除：」).
    pub before: &'static str,
    /// Read after it.
    pub after: &'static str,
}

fn baseline(size: f32, line_height: f32) -> f32 {
    // BIZ UDGothic's ascender is 0.88 em; centre the em box in the line.
    (line_height - size) / 2.0 + 0.88 * size
}

/// A goal/direction/measure label cell: `label` in bold, then the title.
fn label_cell(
    c: &Composer,
    label: &str,
    title: &str,
    width: f32,
    target: Target,
    continued: bool,
) -> CellBox {
    let mut bands = Vec::new();
    if continued {
        bands.extend(c.para(
            &format!("{label}{CONTINUED}"),
            Weight::Bold,
            SMALL,
            width,
            target,
            true,
        ));
        bands.extend(c.para(title, Weight::Regular, BODY, width, target, true));
    } else {
        bands.extend(c.para(label, Weight::Bold, BODY, width, target, false));
        bands.extend(c.para(title, Weight::Regular, BODY, width, target, false));
    }
    CellBox { bands }
}

/// A table's header row: each column's name in bold, filed under `target(column)`.
pub(crate) fn header_cells(
    c: &Composer,
    heads: &[&str],
    widths: &[f32],
    target: impl Fn(usize) -> Target,
) -> Vec<CellBox> {
    heads
        .iter()
        .enumerate()
        .map(|(i, h)| CellBox {
            bands: c.para(h, Weight::Bold, BODY, inner(widths[i]), target(i), false),
        })
        .collect()
}

/// The content width of a cell `width` wide.
pub(crate) fn inner(width: f32) -> f32 {
    (width - 2.0 * PAD.x).max(BODY)
}

fn main_table(c: &Composer, s: &Strategy, avail: f32) -> Table {
    let heads = ["基本目標", "施策の基本的方向", "具体的な施策", "事業例"];
    // Content widths per column.
    let mut min = [0.0f32; 4];
    let mut max = [0.0f32; 4];
    let mut grow = |col: usize, text: &str, weight: Weight, size: f32, extra: f32| {
        let (lo, hi) = c.widths(text, weight, size);
        min[col] = min[col].max(lo + extra);
        max[col] = max[col].max(hi + extra);
    };
    for (i, h) in heads.iter().enumerate() {
        grow(i, h, Weight::Bold, BODY, 0.0);
    }
    let bullet = c.shape(BULLET, Weight::Regular, BODY).max_width();
    for g in &s.goals {
        grow(0, &g.title, Weight::Regular, BODY, 0.0);
        for d in &g.directions {
            grow(1, &d.title, Weight::Regular, BODY, 0.0);
            for m in &d.measures {
                grow(2, &m.title, Weight::Regular, BODY, 0.0);
                for p in &m.projects {
                    grow(3, &project_text(p), Weight::Regular, BODY, bullet);
                }
            }
        }
    }
    // The spanning columns hold a few words above a lot of white space: past fifteen
    // characters they gain little from width, so their wish is capped and 事業例 gets the room.
    for m in &mut max[..3] {
        *m = m.min(15.0 * BODY);
    }
    // No column narrower than five characters; the padding and borders on top.
    let floor = 5.0 * BODY;
    let min: Vec<f32> = min.iter().map(|m| m.max(floor) + 2.0 * PAD.x).collect();
    let max: Vec<f32> = max.iter().map(|m| m.max(floor) + 2.0 * PAD.x).collect();
    let widths = table::distribute(&min, &max, avail);

    let header = header_cells(c, &heads, &widths, Target::MainHead);

    let mut atoms: Vec<Atom> = Vec::new();
    let mut spans: Vec<SpanCell> = Vec::new();
    let gap = 2.0;
    for (gi, g) in s.goals.iter().enumerate() {
        let g_first = atoms.len();
        let g_label = format!("基本目標{}", g.number);
        for (di, d) in g.directions.iter().enumerate() {
            let d_first = atoms.len();
            for (mi, m) in d.measures.iter().enumerate() {
                let m_first = atoms.len();
                let w = inner(widths[3]);
                for (pi, p) in m.projects.iter().enumerate() {
                    let bands = c.item(
                        &project_text(p),
                        w,
                        Target::ProjectLabel(gi, di, mi, pi),
                        Target::ProjectBody(gi, di, mi, pi),
                    );
                    let last = pi + 1 == m.projects.len();
                    atoms.push(Atom {
                        cell: CellBox { bands },
                        pad_top: if pi == 0 { PAD.y } else { gap / 2.0 },
                        pad_bottom: if last { PAD.y } else { gap / 2.0 },
                        rule_above: pi == 0,
                    });
                }
                if m.projects.is_empty() {
                    atoms.push(empty_atom());
                }
                let label = measure_label(m.number);
                let w = inner(widths[2]);
                let full = CellBox {
                    bands: c.para(
                        &format!("{label}{}", m.title),
                        Weight::Regular,
                        BODY,
                        w,
                        Target::Measure(gi, di, mi),
                        false,
                    ),
                };
                spans.push(SpanCell {
                    col: 2,
                    first: m_first,
                    last: atoms.len() - 1,
                    full,
                    cont: label_cell(c, &label, &m.title, w, Target::Measure(gi, di, mi), true),
                    header: false,
                });
            }
            if d.measures.is_empty() {
                atoms.push(empty_atom());
            }
            let w = inner(widths[1]);
            let full = CellBox {
                bands: c.para(
                    &format!("{} {}", d.code, d.title),
                    Weight::Regular,
                    BODY,
                    w,
                    Target::Direction(gi, di),
                    false,
                ),
            };
            spans.push(SpanCell {
                col: 1,
                first: d_first,
                last: atoms.len() - 1,
                full,
                cont: label_cell(c, &d.code, &d.title, w, Target::Direction(gi, di), true),
                header: true,
            });
        }
        if g.directions.is_empty() {
            atoms.push(empty_atom());
        }
        let w = inner(widths[0]);
        spans.push(SpanCell {
            col: 0,
            first: g_first,
            last: atoms.len() - 1,
            full: label_cell(c, &g_label, &g.title, w, Target::Goal(gi), false),
            cont: label_cell(c, &g_label, &g.title, w, Target::Goal(gi), true),
            header: true,
        });
    }
    Table {
        widths,
        header,
        atoms,
        spans,
        pad: PAD,
    }
}

fn empty_atom() -> Atom {
    Atom {
        cell: CellBox::default(),
        pad_top: PAD.y,
        pad_bottom: PAD.y,
        rule_above: true,
    }
}

fn related_table(c: &Composer, s: &Strategy, avail: f32) -> Table {
    let heads = ["基本目標", "関連する事業"];
    // The goal column as wide as the main table's would like, within reason.
    let mut goal_min: f32 = 0.0;
    let mut goal_max: f32 = 0.0;
    for r in &s.related {
        if let Some(g) = s.goals.iter().find(|g| g.number == r.goal) {
            let (lo, hi) = c.widths(&g.title, Weight::Regular, BODY);
            goal_min = goal_min.max(lo);
            goal_max = goal_max.max(hi);
        }
    }
    let goal_w = (goal_max.max(5.0 * BODY) + 2.0 * PAD.x)
        .min(avail * 0.22)
        .max(goal_min + 2.0 * PAD.x);
    let widths = vec![goal_w, avail - goal_w];
    let header = header_cells(c, &heads, &widths, Target::RelatedHead);
    let mut atoms = Vec::new();
    let mut spans = Vec::new();
    let bullet = c.shape(BULLET, Weight::Regular, BODY).max_width();
    let col_gap = 12.0;
    for (ri, r) in s.related.iter().enumerate() {
        let first = atoms.len();
        let w = inner(widths[1]);
        let texts: Vec<String> = r.projects.iter().map(related_text).collect();
        let wants: Vec<f32> = texts
            .iter()
            .map(|t| c.widths(t, Weight::Regular, BODY).1 + bullet)
            .collect();
        // Three or two columns when most items fit their column on one or two lines.
        let n = texts.len();
        let mut k = 1;
        for cols in [3usize, 2] {
            let cw = (w - col_gap * (cols - 1) as f32) / cols as f32;
            let long = wants.iter().filter(|&&x| x > 2.0 * cw).count();
            if n >= 2 * cols && long * 5 <= n {
                k = cols;
                break;
            }
        }
        let cw = (w - col_gap * (k - 1) as f32) / k as f32;
        let rows = n.div_ceil(k).max(1);
        let items: Vec<Vec<Band>> = texts
            .iter()
            .enumerate()
            .map(|(pi, t)| {
                c.item(
                    t,
                    cw,
                    Target::RelatedLabel(ri, pi),
                    Target::RelatedBody(ri, pi),
                )
            })
            .collect();
        for row in 0..rows {
            // Column-major: column j holds items j*rows .. (j+1)*rows.
            let mut band = Band::default();
            let mut bands_out: Vec<Band> = Vec::new();
            let mut height: f32 = 0.0;
            for j in 0..k {
                let idx = j * rows + row;
                let Some(item) = items.get(idx) else { continue };
                let x0 = j as f32 * (cw + col_gap);
                let mut y = 0.0;
                for b in item {
                    for run in &b.runs {
                        band.runs.push(Run {
                            x: x0 + run.x,
                            baseline: y + run.baseline,
                            shaped: run.shaped.clone(),
                            line: run.line,
                            target: run.target,
                            muted: run.muted,
                            deco: run.deco,
                            actual: run.actual.clone(),
                        });
                    }
                    y += b.height;
                }
                height = height.max(y);
            }
            band.height = height;
            bands_out.push(band);
            let last = row + 1 == rows;
            atoms.push(Atom {
                cell: CellBox { bands: bands_out },
                pad_top: if row == 0 { PAD.y } else { 1.0 },
                pad_bottom: if last { PAD.y } else { 1.0 },
                rule_above: row == 0,
            });
        }
        let goal = s.goals.iter().find(|g| g.number == r.goal);
        let label = format!("基本目標{}", r.goal);
        let title = goal.map(|g| g.title.as_str()).unwrap_or("");
        let gw = inner(widths[0]);
        spans.push(SpanCell {
            col: 0,
            first,
            last: atoms.len() - 1,
            full: label_cell(c, &label, title, gw, Target::RelatedGoal(ri), false),
            cont: label_cell(c, &label, title, gw, Target::RelatedGoal(ri), true),
            header: true,
        });
    }
    Table {
        widths,
        header,
        atoms,
        spans,
        pad: PAD,
    }
}

/// Something placed on a page.
pub(crate) enum Item {
    /// Bands of a heading or paragraph at `y`.
    Text { y: f32, bands: Vec<Band> },
    /// A page's share of a table, its header row at `y`.
    Table {
        table: usize,
        y: f32,
        slice: table::Slice,
        /// The header row is the real one (first page of the table), not a repeat.
        first: bool,
    },
}

/// Where a table's slice landed: its page, the top of its first row, and its rows.
pub(crate) struct Placed {
    /// Page index.
    pub page: usize,
    /// Top of the first row (below the header row).
    pub rows_top: f32,
    /// The atoms on that page.
    pub slice: table::Slice,
}

/// Pages being filled top to bottom with text blocks and table slices.
pub(crate) struct Flow {
    geo: Geometry,
    pages: Vec<Vec<Item>>,
    y: f32,
}

impl Flow {
    /// An empty first page.
    pub(crate) fn new(geo: Geometry) -> Flow {
        Flow {
            geo,
            pages: vec![Vec::new()],
            y: geo.top,
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.geo.top;
    }

    /// Text lines, onto further pages when a page is full.
    pub(crate) fn text(&mut self, bands: Vec<Band>) {
        let mut chunk: Vec<Band> = Vec::new();
        let mut top = self.y;
        for b in bands {
            if self.y + b.height > self.geo.body_bottom()
                && (self.y > self.geo.top || !chunk.is_empty())
            {
                if !chunk.is_empty() {
                    self.push(Item::Text {
                        y: top,
                        bands: std::mem::take(&mut chunk),
                    });
                }
                self.new_page();
                top = self.y;
            }
            self.y += b.height;
            chunk.push(b);
        }
        if !chunk.is_empty() {
            self.push(Item::Text {
                y: top,
                bands: chunk,
            });
        }
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
        }
    }

    /// Vertical space.
    pub(crate) fn skip(&mut self, points: f32) {
        self.y += points;
    }

    /// Start a new page unless `height` points are left on this one.
    pub(crate) fn keep(&mut self, height: f32) {
        if self.y + height > self.geo.body_bottom() {
            self.new_page();
        }
    }

    /// The current page and height, for an outline entry.
    pub(crate) fn here(&self) -> (usize, f32) {
        (self.pages.len() - 1, self.y)
    }

    /// Table `index` (in the list given to [`render`]) from here on, over as many pages as
    /// it needs, its header row repeated on each.
    pub(crate) fn table(&mut self, index: usize, t: &Table) -> Vec<Placed> {
        let hh = t.header_height();
        let first_avail = self.geo.body_bottom() - self.y - hh;
        let rest_avail = self.geo.body_bottom() - self.geo.top - hh;
        let mut placed = Vec::new();
        let mut first = true;
        for slice in t.paginate(first_avail, rest_avail) {
            if slice.start == slice.end {
                self.new_page();
                continue;
            }
            if !first {
                self.new_page();
            }
            placed.push(Placed {
                page: self.pages.len() - 1,
                rows_top: self.y + hh,
                slice: slice.clone(),
            });
            let h = hh + slice.height();
            self.push(Item::Table {
                table: index,
                y: self.y,
                slice,
                first,
            });
            self.y += h + 16.0;
            first = false;
        }
        placed
    }

    /// The pages, without a trailing empty one.
    pub(crate) fn finish(mut self) -> Vec<Vec<Item>> {
        if self.pages.last().is_some_and(|p| p.is_empty()) && self.pages.len() > 1 {
            self.pages.pop();
        }
        self.pages
    }
}

/// A document being drawn: the krilla document and the marked-content identifiers of every
/// piece of text, filed by [`Target`] for the structure tree.
pub(crate) struct Drawn {
    /// The document, pages drawn.
    pub doc: Document,
    /// Identifiers by target.
    pub ids: HashMap<Target, Vec<Identifier>>,
}

/// Draw the pages with a footer on each (`footer` on the left, `n / N` on the right), in a
/// PDF/UA-1 document with tagging on.
pub(crate) fn render(
    geo: Geometry,
    fonts: &Fonts,
    pages: &[Vec<Item>],
    tables: &[Table],
    footer: &str,
) -> Result<Drawn, PdfError> {
    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| PdfError::Krilla(format!("{e:?}")))?;
    let mut doc = Document::new_with(SerializeSettings {
        configuration,
        enable_tagging: true,
        ..Default::default()
    });
    let mut ids: HashMap<Target, Vec<Identifier>> = HashMap::new();
    let total = pages.len();
    let footer_text = Shaped::new(fonts, footer, Weight::Regular, FOOTER);
    for (pi, items) in pages.iter().enumerate() {
        let size = Size::from_wh(geo.width, geo.height)
            .ok_or_else(|| PdfError::Krilla("bad page size".into()))?;
        let mut page = doc.start_page_with(PageSettings::new(size));
        let mut surface = page.surface();
        for item in items {
            match item {
                Item::Text { y, bands } => {
                    let mut yy = *y;
                    for b in bands {
                        draw_runs(&mut surface, fonts, &b.runs, geo.left, yy, Some(&mut ids));
                        yy += b.height;
                    }
                }
                Item::Table {
                    table,
                    y,
                    slice,
                    first,
                } => draw_table(
                    &mut surface,
                    fonts,
                    &tables[*table],
                    slice,
                    geo.left,
                    *y,
                    *first,
                    &mut ids,
                ),
            }
        }
        let fy = geo.height - geo.bottom + 8.0 * MM * 0.5 + FOOTER;
        artifact(&mut surface, ArtifactType::PaginationOther, |sf| {
            set_fill(sf, MUTED);
            if let Some(line) = footer_text.lines(geo.body_width() * 0.7).into_iter().next() {
                sf.draw_glyphs(
                    Point::from_xy(geo.left, fy),
                    footer_text.glyphs(&line),
                    fonts.face(Weight::Regular).pdf.clone(),
                    &footer_text.text,
                    FOOTER,
                    false,
                );
            }
            let num = Shaped::new(
                fonts,
                &format!("{} / {}", pi + 1, total),
                Weight::Regular,
                FOOTER,
            );
            if let Some(line) = num.lines(f32::INFINITY).into_iter().next() {
                sf.draw_glyphs(
                    Point::from_xy(geo.width - geo.right - line.width, fy),
                    num.glyphs(&line),
                    fonts.face(Weight::Regular).pdf.clone(),
                    &num.text,
                    FOOTER,
                    false,
                );
            }
            stroke_line(
                sf,
                geo.left,
                fy - FOOTER - 3.0,
                geo.width - geo.right,
                fy - FOOTER - 3.0,
                0.4,
            );
        });
        surface.finish();
        page.finish();
    }
    Ok(Drawn { doc, ids })
}

/// What a finished document says of itself.
pub(crate) struct About {
    /// Title (also the H1).
    pub title: String,
    /// A one-line description.
    pub description: String,
    /// The author: the municipality or publisher.
    pub author: Option<String>,
}

/// Give the drawn document its structure tree, outline and metadata, and serialize it.
pub(crate) fn finish(
    drawn: Drawn,
    tree: TagTree,
    outline: Outline,
    about: About,
    settings: &PdfSettings,
) -> Result<Vec<u8>, PdfError> {
    let mut doc = drawn.doc;
    doc.set_tag_tree(tree);
    doc.set_outline(outline);
    let mut metadata = Metadata::new()
        .title(about.title)
        .language("ja-JP".to_string())
        .creator(format!("kohyo {}", env!("CARGO_PKG_VERSION")))
        .producer(format!("kohyo {} (krilla)", env!("CARGO_PKG_VERSION")))
        .description(about.description);
    if let Some(a) = about.author {
        metadata = metadata.authors(vec![a]);
    }
    if let Some(t) = settings.created {
        metadata = metadata.creation_date(
            DateTime::new(t.date.year)
                .month(t.date.month)
                .day(t.date.day)
                .hour(t.time.0)
                .minute(t.time.1)
                .second(t.time.2)
                .utc_offset_hour(t.utc_offset)
                .utc_offset_minute(0),
        );
    }
    doc.set_metadata(metadata);
    let plain = doc
        .finish()
        .map_err(|e| PdfError::Krilla(format!("{e:?}")))?;
    if settings.unpacked {
        return Ok(plain);
    }
    // A file pdf-writer did not lay out as expected (a krilla upgrade) stays unpacked: still a
    // valid PDF, only larger; tests/pdf.rs fails on it.
    Ok(pack::pack(&plain).unwrap_or(plain))
}

/// Write the strategy as a tagged PDF/UA-1 document.
pub fn write(s: &Strategy, settings: &PdfSettings) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::shared();
    let missing = glyph_diagnostics(fonts, s);
    if !missing.is_empty() {
        return Err(PdfError::MissingGlyphs(missing));
    }
    let geo = Geometry::new(settings.layout);
    let c = Composer { fonts };
    let width = geo.body_width();
    let title = title_of(s);

    let mut flow = Flow::new(geo);
    flow.text(c.para(&title, Weight::Bold, TITLE, width, Target::Title, false));
    let subtitle = subtitle_of(s);
    if !subtitle.is_empty() {
        flow.text(c.para(
            &subtitle,
            Weight::Regular,
            SUBTITLE,
            width,
            Target::Subtitle,
            false,
        ));
    }
    flow.skip(10.0);
    let tables = [main_table(&c, s, width), related_table(&c, s, width)];
    let headings = [MAIN_HEADING, RELATED_HEADING];
    let mut outline_goals: Vec<(usize, f32)> = vec![(0, 0.0); s.goals.len()];
    let mut outline_related: Option<(usize, f32)> = None;
    for (ti, (t, heading)) in tables.iter().zip(headings).enumerate() {
        if t.atoms.is_empty() {
            continue;
        }
        let heading = c.para(
            heading,
            Weight::Bold,
            HEADING,
            width,
            Target::Heading(ti),
            false,
        );
        let hh = heading.iter().map(|b| b.height).sum::<f32>() + 4.0;
        flow.keep(hh + t.opening_height());
        if ti == 1 {
            outline_related = Some(flow.here());
        }
        flow.text(heading);
        flow.skip(4.0);
        for placed in flow.table(ti, t) {
            if ti == 0 {
                // Where each goal starts, for the outline.
                let mut yy = placed.rows_top;
                let slice = &placed.slice;
                for (i, h) in (slice.start..slice.end).zip(&slice.heights) {
                    for sp in t.spans.iter().filter(|sp| sp.col == 0 && sp.first == i) {
                        if let Some(gi) = goal_of(sp) {
                            outline_goals[gi] = (placed.page, yy);
                        }
                    }
                    yy += h;
                }
            }
        }
    }
    let pages = flow.finish();
    let mut drawn = render(geo, fonts, &pages, &tables, &title)?;
    let tree = tag_tree(s, &title, &tables, &mut drawn.ids);

    // Outline: one entry per goal, and the reference section.
    let mut outline = Outline::new();
    for (gi, g) in s.goals.iter().enumerate() {
        let (p, yy) = outline_goals[gi];
        outline.push_child(OutlineNode::new(
            format!("基本目標{} {}", g.number, g.title),
            XyzDestination::new(p, Point::from_xy(geo.left, yy)),
        ));
    }
    if let Some((p, yy)) = outline_related {
        outline.push_child(OutlineNode::new(
            RELATED_HEADING.to_string(),
            XyzDestination::new(p, Point::from_xy(geo.left, yy)),
        ));
    }
    let author = s
        .publisher
        .as_ref()
        .map(|p| p.name.clone())
        .or_else(|| s.municipality.as_ref().map(|m| m.name.clone()));
    finish(
        drawn,
        tree,
        outline,
        About {
            title: title.clone(),
            description: subtitle,
            author,
        },
        settings,
    )
}

fn goal_of(sp: &SpanCell) -> Option<usize> {
    sp.full
        .bands
        .iter()
        .flat_map(|b| &b.runs)
        .find_map(|r| match r.target {
            Target::Goal(g) => Some(g),
            _ => None,
        })
}

fn color((r, g, b): (u8, u8, u8)) -> krilla::paint::Paint {
    rgb::Color::new(r, g, b).into()
}

fn set_fill(surface: &mut Surface, c: (u8, u8, u8)) {
    surface.set_fill(Some(Fill {
        paint: color(c),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }));
}

fn artifact(surface: &mut Surface, kind: ArtifactType, draw: impl FnOnce(&mut Surface)) {
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
    draw(surface);
    surface.end_tagged();
}

fn stroke_line(surface: &mut Surface, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
    stroke(surface, x1, y1, x2, y2, width, RULE);
}

fn stroke(
    surface: &mut Surface,
    x1: f32,
    y1: f32,
    x2: f32,
    y2: f32,
    width: f32,
    colour: (u8, u8, u8),
) {
    let mut pb = PathBuilder::new();
    pb.move_to(x1, y1);
    pb.line_to(x2, y2);
    if let Some(path) = pb.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: color(colour),
            width,
            ..Default::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

fn fill_rect(surface: &mut Surface, x: f32, y: f32, w: f32, h: f32, c: (u8, u8, u8)) {
    if let Some(rect) = Rect::from_xywh(x, y, w, h) {
        let mut pb = PathBuilder::new();
        pb.push_rect(rect);
        if let Some(path) = pb.finish() {
            surface.set_stroke(None);
            set_fill(surface, c);
            surface.draw_path(&path);
        }
    }
}

/// Draw text runs with their top-left at (x, y). With `ids`, each line is a tagged span filed
/// under its target; without, the runs are drawn as they are (inside an artifact).
fn draw_runs(
    surface: &mut Surface,
    fonts: &Fonts,
    runs: &[Run],
    x: f32,
    y: f32,
    mut ids: Option<&mut HashMap<Target, Vec<Identifier>>>,
) {
    for r in runs {
        let size = r.shaped.size;
        let glyphs = r.shaped.glyphs(&r.line);
        if glyphs.is_empty() {
            continue;
        }
        let id = ids.is_some().then(|| {
            surface.start_tagged(ContentTag::Span(
                SpanTag::empty().with_actual_text(r.actual.as_deref()),
            ))
        });
        set_fill(surface, if r.muted { MUTED } else { INK });
        surface.draw_glyphs(
            Point::from_xy(x + r.x, y + r.baseline),
            glyphs,
            fonts.face(r.shaped.weight).pdf.clone(),
            &r.shaped.text,
            size,
            false,
        );
        let tagged = id.is_some();
        if let (Some(id), Some(map)) = (id, ids.as_deref_mut()) {
            surface.end_tagged();
            map.entry(r.target).or_default().push(id);
        }
        if let Some(deco) = r.deco {
            // A double line through the middle of the em box (BIZ UDGothic: 0.88 em above the
            // baseline, 0.12 below), as deletions are struck in Japanese documents: a single
            // line is lost among the horizontal strokes of kanji. An underline just under
            // the em box. The structure tree names the line.
            let (x1, x2) = (x + r.x, x + r.x + r.line.width);
            let at = |dy: f32| y + r.baseline + dy * size;
            let draw = |sf: &mut Surface| match deco {
                Deco::LineThrough => {
                    for dy in [-0.44, -0.32] {
                        stroke(sf, x1, at(dy), x2, at(dy), 0.05 * size, INK);
                    }
                }
                Deco::Underline => stroke(sf, x1, at(0.2), x2, at(0.2), 0.08 * size, INK),
            };
            if tagged {
                artifact(surface, ArtifactType::Layout, draw);
            } else {
                draw(surface);
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_table(
    surface: &mut Surface,
    fonts: &Fonts,
    t: &Table,
    slice: &table::Slice,
    x0: f32,
    y0: f32,
    first: bool,
    ids: &mut HashMap<Target, Vec<Identifier>>,
) {
    let hh = t.header_height();
    let total_w = t.width();
    let xs: Vec<f32> = t
        .widths
        .iter()
        .scan(x0, |acc, w| {
            let x = *acc;
            *acc += w;
            Some(x)
        })
        .collect();
    let atom_col = t.widths.len() - 1;
    let mut row_y = Vec::with_capacity(slice.heights.len() + 1);
    let mut yy = y0 + hh;
    for h in &slice.heights {
        row_y.push(yy);
        yy += h;
    }
    row_y.push(yy);
    let bottom = yy;
    let y_of = |i: usize| row_y[i - slice.start];

    // Shading and rules.
    artifact(surface, ArtifactType::Layout, |sf| {
        fill_rect(sf, x0, y0, total_w, hh, HEAD_FILL);
        for sp in &t.spans {
            if sp.header && sp.first < slice.end && sp.last >= slice.start {
                let a = sp.first.max(slice.start);
                let b = sp.last.min(slice.end - 1);
                fill_rect(
                    sf,
                    xs[sp.col],
                    y_of(a),
                    t.widths[sp.col],
                    y_of(b + 1) - y_of(a),
                    TH_FILL,
                );
            }
        }
        // Outer frame and column lines.
        stroke_line(sf, x0, y0, x0 + total_w, y0, 0.8);
        stroke_line(sf, x0, bottom, x0 + total_w, bottom, 0.8);
        stroke_line(sf, x0, y0 + hh, x0 + total_w, y0 + hh, 0.8);
        for (i, x) in xs.iter().enumerate() {
            stroke_line(sf, *x, y0, *x, bottom, if i == 0 { 0.8 } else { 0.4 });
        }
        stroke_line(sf, x0 + total_w, y0, x0 + total_w, bottom, 0.8);
        // Span segment edges.
        for sp in &t.spans {
            if sp.first < slice.end && sp.last >= slice.start {
                let a = sp.first.max(slice.start);
                let b = sp.last.min(slice.end - 1);
                let (x1, x2) = (xs[sp.col], x0 + total_w);
                stroke_line(sf, x1, y_of(a), x2, y_of(a), 0.4);
                stroke_line(sf, x1, y_of(b + 1), x2, y_of(b + 1), 0.4);
            }
        }
        for i in slice.start..slice.end {
            if t.atoms[i].rule_above {
                stroke_line(sf, xs[atom_col], y_of(i), x0 + total_w, y_of(i), 0.4);
            }
        }
    });

    // Header row: real on the table's first page, a pagination artifact after.
    for (i, cell) in t.header.iter().enumerate() {
        let mut y = y0 + PAD.y;
        for b in &cell.bands {
            if first {
                draw_runs(surface, fonts, &b.runs, xs[i] + PAD.x, y, Some(ids));
            } else {
                artifact(surface, ArtifactType::PaginationOther, |sf| {
                    draw_runs(sf, fonts, &b.runs, xs[i] + PAD.x, y, None);
                });
            }
            y += b.height;
        }
    }

    // Cells in reading order: for each atom row, the spans that start on it, then the atom.
    for i in slice.start..slice.end {
        let mut starting: Vec<&SpanCell> = t
            .spans
            .iter()
            .filter(|sp| {
                sp.first.max(slice.start) == i && sp.first < slice.end && sp.last >= slice.start
            })
            .collect();
        starting.sort_by_key(|sp| sp.col);
        for sp in starting {
            let mut y = y_of(i) + PAD.y;
            let real = sp.first == i;
            let cell = if real { &sp.full } else { &sp.cont };
            for b in &cell.bands {
                if real {
                    draw_runs(surface, fonts, &b.runs, xs[sp.col] + PAD.x, y, Some(ids));
                } else {
                    artifact(surface, ArtifactType::PaginationOther, |sf| {
                        draw_runs(sf, fonts, &b.runs, xs[sp.col] + PAD.x, y, None);
                    });
                }
                y += b.height;
            }
        }
        let atom = &t.atoms[i];
        let top = if i == slice.start {
            atom.pad_top.max(PAD.y)
        } else {
            atom.pad_top
        };
        let mut y = y_of(i) + top;
        for b in &atom.cell.bands {
            draw_runs(surface, fonts, &b.runs, xs[atom_col] + PAD.x, y, Some(ids));
            y += b.height;
        }
    }
}

/// A structure element ID: `kind-1-2…`.
pub(crate) fn tag_id(kind: &str, n: &[usize]) -> TagId {
    let mut s = kind.to_string();
    for x in n {
        s.push('-');
        s.push_str(&x.to_string());
    }
    TagId::from(s.into_bytes())
}

/// The marked content filed under `t`, as structure children (each only once).
pub(crate) fn take(ids: &mut HashMap<Target, Vec<Identifier>>, t: Target) -> Vec<Node> {
    ids.remove(&t)
        .unwrap_or_default()
        .into_iter()
        .map(Node::from)
        .collect()
}

/// A structure element around `children`, or none when there are none.
pub(crate) fn group(tag: impl Into<krilla::tagging::TagKind>, children: Vec<Node>) -> Option<Node> {
    (!children.is_empty()).then(|| TagGroup::with_children(tag, children).into())
}

fn list_item(
    ids: &mut HashMap<Target, Vec<Identifier>>,
    label: Target,
    body: Target,
) -> Option<Node> {
    let mut children = Vec::new();
    children.extend(group(Tag::Lbl, take(ids, label)));
    children.extend(group(Tag::LBody, take(ids, body)));
    group(Tag::LI, children)
}

/// A THead row of column headers `prefix-0…`, their text filed under `target(i)`.
pub(crate) fn head_row(
    ids: &mut HashMap<Target, Vec<Identifier>>,
    prefix: &str,
    columns: usize,
    target: impl Fn(usize) -> Target,
) -> Vec<Node> {
    (0..columns)
        .filter_map(|i| {
            group(
                Tag::TH(TableHeaderScope::Column).with_id(Some(tag_id(prefix, &[i]))),
                take(ids, target(i)),
            )
        })
        .collect()
}

/// A bulleted list of `n` items whose label and body targets are `targets(i)`.
fn bullet_list(
    ids: &mut HashMap<Target, Vec<Identifier>>,
    n: usize,
    targets: impl Fn(usize) -> (Target, Target),
) -> Vec<Node> {
    let items: Vec<Node> = (0..n)
        .filter_map(|i| {
            let (label, body) = targets(i);
            list_item(ids, label, body)
        })
        .collect();
    group(Tag::L(ListNumbering::Disc), items)
        .into_iter()
        .collect()
}

/// A Table of a header row and body rows.
pub(crate) fn table_node(head: Vec<Node>, body: Vec<Node>) -> Option<Node> {
    let mut table = Vec::new();
    table.extend(group(
        Tag::THead,
        group(Tag::TR, head).into_iter().collect(),
    ));
    table.extend(group(Tag::TBody, body));
    group(Tag::Table, table)
}

fn span(n: usize) -> Option<NonZeroU32> {
    NonZeroU32::new(u32::try_from(n).unwrap_or(u32::MAX)).filter(|n| n.get() > 1)
}

fn tag_tree(
    s: &Strategy,
    title: &str,
    tables: &[Table; 2],
    ids: &mut HashMap<Target, Vec<Identifier>>,
) -> TagTree {
    let mut tree = TagTree::new().with_lang(Some("ja-JP".to_string()));
    let h = |level: u16| NonZeroU16::new(level).unwrap_or(NonZeroU16::MIN);
    let mut doc: Vec<Node> = Vec::new();
    doc.extend(group(
        Tag::Hn(h(1), Some(title.to_string())),
        take(ids, Target::Title),
    ));
    doc.extend(group(Tag::P, take(ids, Target::Subtitle)));

    // The main table.
    if !tables[0].atoms.is_empty() {
        doc.extend(group(
            Tag::Hn(h(2), Some(MAIN_HEADING.to_string())),
            take(ids, Target::Heading(0)),
        ));
        let head = head_row(ids, "col", 4, Target::MainHead);
        let mut body = Vec::new();
        for (gi, g) in s.goals.iter().enumerate() {
            let goal_id = tag_id("goal", &[gi]);
            let goal_rows: usize = g
                .directions
                .iter()
                .map(|d| d.measures.len().max(1))
                .sum::<usize>()
                .max(1);
            let mut goal_cell = group(
                Tag::TH(TableHeaderScope::Row)
                    .with_id(Some(goal_id.clone()))
                    .with_headers(Some([tag_id("col", &[0])]))
                    .with_row_span(span(goal_rows)),
                take(ids, Target::Goal(gi)),
            );
            if g.directions.is_empty() {
                let mut tr = Vec::new();
                tr.extend(goal_cell.take());
                body.extend(group(Tag::TR, tr));
            }
            for (di, d) in g.directions.iter().enumerate() {
                let dir_id = tag_id("dir", &[gi, di]);
                let mut dir_cell = group(
                    Tag::TH(TableHeaderScope::Row)
                        .with_id(Some(dir_id.clone()))
                        .with_headers(Some([tag_id("col", &[1]), goal_id.clone()]))
                        .with_row_span(span(d.measures.len().max(1))),
                    take(ids, Target::Direction(gi, di)),
                );
                if d.measures.is_empty() {
                    let mut tr = Vec::new();
                    tr.extend(goal_cell.take());
                    tr.extend(dir_cell.take());
                    body.extend(group(Tag::TR, tr));
                }
                for (mi, m) in d.measures.iter().enumerate() {
                    let mut tr = Vec::new();
                    tr.extend(goal_cell.take());
                    tr.extend(dir_cell.take());
                    let headers =
                        |col: usize| [tag_id("col", &[col]), goal_id.clone(), dir_id.clone()];
                    tr.extend(group(
                        Tag::TD.with_headers(Some(headers(2))),
                        take(ids, Target::Measure(gi, di, mi)),
                    ));
                    let list = bullet_list(ids, m.projects.len(), |pi| {
                        (
                            Target::ProjectLabel(gi, di, mi, pi),
                            Target::ProjectBody(gi, di, mi, pi),
                        )
                    });
                    tr.extend(group(Tag::TD.with_headers(Some(headers(3))), list));
                    body.extend(group(Tag::TR, tr));
                }
            }
        }
        doc.extend(table_node(head, body));
    }

    // The related projects.
    if !tables[1].atoms.is_empty() {
        doc.extend(group(
            Tag::Hn(h(2), Some(RELATED_HEADING.to_string())),
            take(ids, Target::Heading(1)),
        ));
        let head = head_row(ids, "rcol", 2, Target::RelatedHead);
        let mut body = Vec::new();
        for (ri, r) in s.related.iter().enumerate() {
            let gid = tag_id("rgoal", &[ri]);
            let mut tr = Vec::new();
            tr.extend(group(
                Tag::TH(TableHeaderScope::Row)
                    .with_id(Some(gid.clone()))
                    .with_headers(Some([tag_id("rcol", &[0])])),
                take(ids, Target::RelatedGoal(ri)),
            ));
            let list = bullet_list(ids, r.projects.len(), |pi| {
                (Target::RelatedLabel(ri, pi), Target::RelatedBody(ri, pi))
            });
            tr.extend(group(
                Tag::TD.with_headers(Some([tag_id("rcol", &[1]), gid])),
                list,
            ));
            body.extend(group(Tag::TR, tr));
        }
        doc.extend(table_node(head, body));
    }
    for n in doc {
        tree.push(n);
    }
    tree
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(text: &str, deco: Option<Deco>) -> Piece {
        Piece {
            text: text.to_string(),
            deco,
            before: if deco.is_some() { "［削除：" } else { "" },
            after: if deco.is_some() { "］" } else { "" },
        }
    }

    /// A run as seen: text drawn, ActualText, target piece, decorated.
    type Seen = (String, Option<String>, usize, bool);

    /// Every run, line by line.
    fn runs(bands: &[Band]) -> Vec<Vec<Seen>> {
        bands
            .iter()
            .map(|b| {
                b.runs
                    .iter()
                    .map(|r| {
                        let Target::Piece(_, _, _, k) = r.target else {
                            panic!("{:?}", r.target)
                        };
                        (
                            r.shaped.text[r.line.start..r.line.end].to_string(),
                            r.actual.as_deref().map(str::to_string),
                            k,
                            r.deco.is_some(),
                        )
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_marked_run_cut_by_a_line_break_says_its_label_once_around_the_whole() {
        let c = Composer {
            fonts: Fonts::shared(),
        };
        let pieces = [
            piece("若者の", None),
            piece("市内における就職", Some(Deco::LineThrough)),
            piece("の促進", None),
        ];
        // Five characters a line: 若者の市内 / における就 / 職の促進.
        let bands = c.marked(&pieces, BODY, 5.0 * BODY + 0.5, |k| {
            Target::Piece(0, 0, 1, k)
        });
        let got = runs(&bands);
        let s = |t: &str| t.to_string();
        assert_eq!(
            got,
            vec![
                vec![
                    (s("若者の"), None, 0, false),
                    (s("市内"), Some(s("［削除：市内")), 1, true)
                ],
                vec![(s("における就"), None, 1, true)],
                vec![
                    (s("職"), Some(s("職］")), 1, true),
                    (s("の促進"), None, 2, false)
                ],
            ]
        );
        // Runs sit where the unbroken line put them: each starts where the last ended.
        for b in &bands {
            for w in b.runs.windows(2) {
                assert!((w[0].x + w[0].line.width - w[1].x).abs() < 0.01);
            }
        }
    }

    #[test]
    fn a_marked_run_on_one_line_reads_as_label_text_label() {
        let c = Composer {
            fonts: Fonts::shared(),
        };
        let pieces = [piece("旧", None), piece("市内", Some(Deco::LineThrough))];
        let bands = c.marked(&pieces, BODY, 100.0 * BODY, |k| Target::Piece(0, 0, 1, k));
        let got = runs(&bands);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0][1].1.as_deref(), Some("［削除：市内］"));
        assert_eq!(got[0][0].1, None, "plain text reads as itself");
    }
}

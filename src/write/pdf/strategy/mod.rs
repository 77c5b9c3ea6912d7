//! The strategy's PDF: the title, the main table (基本目標と具体的な施策) and the reference
//! table (【参考】関連する既存事業), each under its heading, with an outline entry per goal.

mod tables;
mod tree;

use super::compose::Composer;
use super::draw::render;
use super::finish::{About, finish};
use super::flow::Flow;
use super::glyphs::glyph_diagnostics;
use super::settings::{BODY, Geometry, HEADING, SUBTITLE, TITLE};
use super::table::{CellParagraph, SpanCell, Table};
use super::text::{Fonts, Weight};
use super::{PdfError, PdfSettings, Target};
use crate::model::Strategy;
use crate::write::{subtitle_of, title_of};
use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::outline::{Outline, OutlineNode};
use tables::{has_kpi, main_table, related_table, target_heads, targets_table, targets_widths};
use tree::tag_tree;

const RELATED_HEADING: &str = "【参考】関連する既存事業";
const MAIN_HEADING: &str = "基本目標と具体的な施策";
const TARGETS_HEADING: &str = "基本目標の数値目標";
const MAIN_HEADING_KPI: &str = "基本目標と具体的な施策・重要業績評価指標（KPI）";

/// A goal's 数値目標 table in the document: its table index, the goal's index, and its
/// heading's block number and text.
pub(super) struct TargetsTable {
    pub(super) table: usize,
    pub(super) goal: usize,
    pub(super) block: usize,
    pub(super) heading: String,
}

/// The document's tables, laid out for the body's `width`: the main table, the related table,
/// then one 数値目標 table per goal that has indicators; and, for each of those, its goal's
/// index (table `2 + k` belongs to goal `goals[k]`).
fn lay_out_tables(c: &Composer, s: &Strategy, width: f32) -> (Vec<Table>, Vec<usize>) {
    let mut tables = vec![main_table(c, s, width), related_table(c, s, width)];
    let mut goals = Vec::new();
    if s.goals.iter().any(|g| !g.indicators.is_empty()) {
        let heads = target_heads(s);
        let widths = targets_widths(c, s, &heads, width);
        for (gi, g) in s.goals.iter().enumerate() {
            if !g.indicators.is_empty() {
                tables.push(targets_table(c, g, tables.len(), &heads, &widths));
                goals.push(gi);
            }
        }
    }
    (tables, goals)
}

/// Every paragraph of every table cell of the strategy's PDF, line by line, exactly as
/// [`write`] lays them out (for checking the line breaking: no line starts with 。, no
/// paragraph ends with a lone character). Characters the font lacks are not checked here.
pub fn table_paragraphs(s: &Strategy, settings: &PdfSettings) -> Vec<CellParagraph> {
    let geo = Geometry::new(settings.layout);
    let c = Composer {
        fonts: Fonts::shared(),
    };
    let (tables, _) = lay_out_tables(&c, s, geo.body_width());
    tables.iter().flat_map(Table::paragraphs).collect()
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
    let (tables, target_goals) = lay_out_tables(&c, s, width);
    let main_heading = if has_kpi(s) {
        MAIN_HEADING_KPI
    } else {
        MAIN_HEADING
    };
    let headings = [main_heading, RELATED_HEADING];
    let mut outline_goals: Vec<(usize, f32)> = vec![(0, 0.0); s.goals.len()];
    let mut outline_related: Option<(usize, f32)> = None;
    let mut outline_targets: Option<(usize, f32)> = None;

    // The goals' 数値目標 first, as a plan states its goals before its measures.
    let mut goal_tables: Vec<TargetsTable> = Vec::new();
    if !target_goals.is_empty() {
        let mut heading = Some(c.para(
            TARGETS_HEADING,
            Weight::Bold,
            HEADING,
            width,
            Target::Heading(2),
            false,
        ));
        for (k, &gi) in target_goals.iter().enumerate() {
            let g = &s.goals[gi];
            let ti = 2 + k;
            let t = &tables[ti];
            let text = format!("基本目標{}　{}", g.number, g.title);
            let block = goal_tables.len();
            let sub = c.para(
                &text,
                Weight::Bold,
                BODY,
                width,
                Target::Block(block),
                false,
            );
            let sub_h = sub.iter().map(|b| b.height).sum::<f32>() + 2.0;
            if let Some(heading) = heading.take() {
                let hh = heading.iter().map(|b| b.height).sum::<f32>() + 4.0;
                flow.keep(hh + sub_h + t.opening_height());
                outline_targets = Some(flow.here());
                flow.text(heading);
                flow.skip(4.0);
            }
            flow.keep(sub_h + t.opening_height());
            flow.text(sub);
            flow.skip(2.0);
            flow.table(ti, t);
            flow.skip(2.0);
            goal_tables.push(TargetsTable {
                table: ti,
                goal: gi,
                block,
                heading: text,
            });
        }
        flow.skip(6.0);
    }

    for (ti, heading) in headings.iter().enumerate() {
        let t = &tables[ti];
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
    let tree = tag_tree(
        s,
        &title,
        main_heading,
        &tables,
        &goal_tables,
        &mut drawn.ids,
    );

    // Outline: the 数値目標, one entry per goal, and the reference section.
    let mut outline = Outline::new();
    if let Some((p, yy)) = outline_targets {
        outline.push_child(OutlineNode::new(
            TARGETS_HEADING.to_string(),
            XyzDestination::new(p, Point::from_xy(geo.left, yy)),
        ));
    }
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

/// The goal a spanning cell of the main table's first column belongs to.
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

//! The strategy's PDF: the title, the main table (基本目標と具体的な施策) and the reference
//! table (【参考】関連する既存事業), each under its heading, with an outline entry per goal.

mod tables;
mod tree;

use super::compose::Composer;
use super::draw::render;
use super::finish::{About, finish};
use super::flow::Flow;
use super::glyphs::glyph_diagnostics;
use super::settings::{Geometry, HEADING, SUBTITLE, TITLE};
use super::table::SpanCell;
use super::text::{Fonts, Weight};
use super::{PdfError, PdfSettings, Target};
use crate::model::Strategy;
use crate::write::{subtitle_of, title_of};
use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::outline::{Outline, OutlineNode};
use tables::{main_table, related_table};
use tree::tag_tree;

const RELATED_HEADING: &str = "【参考】関連する既存事業";
const MAIN_HEADING: &str = "基本目標と具体的な施策";

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

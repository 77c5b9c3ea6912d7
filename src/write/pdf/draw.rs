//! Drawing with krilla: the pages the flow laid out, each line of text a tagged span filed
//! under its [`Target`]; rules, shading, the footer, repeated header rows and continuation
//! labels as artifacts.

use super::flow::Item;
use super::settings::{FOOTER, Geometry, MM, PAD};
use super::table::{self, Deco, Run, SpanCell, Table};
use super::text::{Fonts, Shaped, Weight};
use super::{PdfError, Target};
use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Rect, Size};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ArtifactType, ContentTag, Identifier, SpanTag};
use krilla::{Document, SerializeSettings};
use std::collections::HashMap;

// Colours (sRGB), all with at least 4.5:1 contrast against white where they carry text.
const INK: (u8, u8, u8) = (0x1a, 0x1a, 0x1a);
const MUTED: (u8, u8, u8) = (0x4d, 0x4d, 0x4d);
const RULE: (u8, u8, u8) = (0x59, 0x59, 0x59);
const HEAD_FILL: (u8, u8, u8) = (0xdc, 0xe3, 0xeb);
const TH_FILL: (u8, u8, u8) = (0xf2, 0xf5, 0xf8);

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

//! The 新旧対照表 as a tagged PDF/UA-1 document for print and the council, drawn with the main
//! PDF's fonts, page frame and table machinery: per goal a heading, the counts and a table
//! 種別と位置 | 旧 | 新 whose header row repeats on every page and whose rows never break.
//!
//! Deleted characters are struck through and inserted ones underlined; the structure tree
//! wraps each such run in a `Span` whose `TextDecorationType` names the line, and the run's
//! `/ActualText` reads 「［削除：…］」 or 「［追加：…］」, so the change survives being read out or
//! copied and never rests on the line alone.

use super::{goal_note, row_header, summary};
use crate::compare::{Change, Comparison, Segment};
use crate::write::pdf::table::{Atom, CellBox, CellParagraph, Deco, SpanCell, Table};
use crate::write::pdf::text::{Fonts, Weight};
use crate::write::pdf::{
    About, BODY, Composer, Flow, Geometry, HEADING, PAD, PdfError, PdfSettings, Piece, SMALL,
    SUBTITLE, TITLE, Target, finish, group, head_row, header_cells, inner, missing_glyphs, render,
    table_node, tag_id, take,
};
use krilla::destination::XyzDestination;
use krilla::geom::Point;
use krilla::outline::{Outline, OutlineNode};
use krilla::tagging::{
    Identifier, Node, TableHeaderScope, Tag, TagKind, TagTree, TextDecorationType,
};
use std::collections::HashMap;
use std::num::NonZeroU16;

/// The table's column headers.
const HEADS: [&str; 3] = ["種別と位置", "旧", "新"];
/// Read before and after a deleted run.
const DELETED: (&str, &str) = ("［削除：", "］");
/// Read before and after an inserted run.
const INSERTED: (&str, &str) = ("［追加：", "］");

/// A block of the document in reading order, for the structure tree.
enum Block {
    /// The title (H1), filed under `Target::Block(n)`.
    Title(usize, String),
    /// A paragraph.
    Para(usize),
    /// A goal's heading (H2).
    Heading(usize, String),
    /// A goal's table: its index and its rows.
    Table(usize, Vec<RowMarks>),
}

/// Which pieces of a row's 旧 and 新 cells are marked, for their `Span`s.
struct RowMarks {
    old: Vec<Option<Deco>>,
    new: Vec<Option<Deco>>,
}

/// The title: 「{new} 新旧対照表」.
fn title(cmp: &Comparison) -> String {
    format!("{} 新旧対照表", cmp.new_title)
}

/// Every string the PDF shows, for the glyph check.
fn shown(cmp: &Comparison) -> Vec<String> {
    let mut out = vec![title(cmp), cmp.old_name.ja.clone(), cmp.new_name.ja.clone()];
    out.extend(cmp.organisation.clone());
    for g in &cmp.goals {
        out.push(g.title.clone());
    }
    for c in &cmp.changes {
        for v in c.old.iter().chain(&c.new) {
            out.push(v.place.clone());
            out.push(v.text.clone());
        }
    }
    out
}

/// Each goal's table (none for a goal without changes), laid out for the body's `width`,
/// numbered in document order.
fn goal_tables(c: &Composer, cmp: &Comparison, width: f32) -> Vec<Option<(Table, Vec<RowMarks>)>> {
    let widths = column_widths(c, cmp, width);
    let mut next = 0;
    cmp.goals
        .iter()
        .map(|g| {
            let rows: Vec<&Change> = cmp.changes.iter().filter(|ch| ch.goal == g.goal).collect();
            (!rows.is_empty()).then(|| {
                next += 1;
                goal_table(c, next - 1, &rows, &widths)
            })
        })
        .collect()
}

/// Every paragraph of every table cell of the 新旧対照表's PDF, line by line, exactly as
/// [`write`] lays them out (for checking the line breaking). Characters the font lacks are
/// not checked here.
pub fn table_paragraphs(cmp: &Comparison, settings: &PdfSettings) -> Vec<CellParagraph> {
    let geo = Geometry::new(settings.layout);
    let c = Composer {
        fonts: Fonts::shared(),
    };
    goal_tables(&c, cmp, geo.body_width())
        .iter()
        .flatten()
        .flat_map(|(t, _)| t.paragraphs())
        .collect()
}

/// Write the 新旧対照表 as a tagged PDF/UA-1 document. Characters the font lacks are K201
/// errors (without a place: the texts come from two versions).
pub fn write(cmp: &Comparison, settings: &PdfSettings) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::shared();
    let missing = missing_glyphs(fonts, shown(cmp).into_iter().map(|t| (t, None)).collect());
    if !missing.is_empty() {
        return Err(PdfError::MissingGlyphs(missing));
    }
    let geo = Geometry::new(settings.layout);
    let c = Composer { fonts };
    let width = geo.body_width();
    let title = title(cmp);
    let mut blocks = Vec::new();
    // Text blocks are numbered in reading order; the tree finds each by its number.
    let mut next = 0;
    let mut block = || {
        next += 1;
        (next - 1, Target::Block(next - 1))
    };

    let mut flow = Flow::new(geo);
    let (n, t) = block();
    flow.text(c.para(&title, Weight::Bold, TITLE, width, t, false));
    blocks.push(Block::Title(n, title.clone()));
    for (label, value) in [("旧", &cmp.old_name.ja), ("新", &cmp.new_name.ja)] {
        let (n, t) = block();
        flow.text(c.para(
            &format!("{label}：{value}"),
            Weight::Regular,
            SUBTITLE,
            width,
            t,
            false,
        ));
        blocks.push(Block::Para(n));
    }
    flow.skip(6.0);
    let (n, t) = block();
    flow.text(c.para(&summary(cmp), Weight::Regular, BODY, width, t, false));
    blocks.push(Block::Para(n));
    let (n, t) = block();
    let plain = |s: &str| Piece {
        text: s.to_string(),
        deco: None,
        before: "",
        after: "",
    };
    let legend = [
        plain("表の見方：新旧で違う文字のうち、旧にだけある文字は"),
        Piece {
            deco: Some(Deco::LineThrough),
            ..plain("取り消し線")
        },
        plain("、新にだけある文字は"),
        Piece {
            deco: Some(Deco::Underline),
            ..plain("下線")
        },
        plain(
            "で示します（読み上げとコピーでは［削除：…］［追加：…］と表します）。移動した項目は旧と新の位置を両方示します。",
        ),
    ];
    flow.text(c.marked(&legend, BODY, width, |_| t));
    blocks.push(Block::Para(n));
    flow.skip(8.0);

    let mut tables = Vec::new();
    let mut outline = Outline::new();
    for (g, table) in cmp.goals.iter().zip(goal_tables(&c, cmp, width)) {
        let heading_text = format!("基本目標{}　{}", g.goal, g.title);
        let (hn, ht) = block();
        let heading = c.para(&heading_text, Weight::Bold, HEADING, width, ht, false);
        let (pn, pt) = block();
        let note = goal_note(g);
        let note = c.para(&note, Weight::Regular, BODY, width, pt, false);
        let above: f32 = heading.iter().chain(&note).map(|b| b.height).sum::<f32>() + 8.0;
        flow.keep(above + table.as_ref().map_or(0.0, |(t, _)| t.opening_height()));
        let (page, y) = flow.here();
        outline.push_child(OutlineNode::new(
            heading_text.clone(),
            XyzDestination::new(page, Point::from_xy(geo.left, y)),
        ));
        flow.text(heading);
        blocks.push(Block::Heading(hn, heading_text));
        flow.skip(2.0);
        flow.text(note);
        blocks.push(Block::Para(pn));
        flow.skip(6.0);
        if let Some((t, marks)) = table {
            flow.table(tables.len(), &t);
            blocks.push(Block::Table(tables.len(), marks));
            tables.push(t);
        }
        flow.skip(6.0);
    }
    let pages = flow.finish();
    let mut drawn = render(geo, fonts, &pages, &tables, &title)?;
    let tree = tag_tree(&blocks, &mut drawn.ids);
    finish(
        drawn,
        tree,
        outline,
        About {
            title,
            description: format!(
                "{}から{}への変更 {} 件の新旧対照表",
                cmp.old_name.ja,
                cmp.new_name.ja,
                cmp.changes.len()
            ),
            author: cmp.organisation.clone(),
        },
        settings,
    )
}

/// One side of a change as pieces: the old text with its deleted runs, or the new with its
/// inserted ones.
fn side(segments: &[Segment], new: bool) -> Vec<Piece> {
    let piece = |t: &String, deco, (before, after): (&'static str, &'static str)| Piece {
        text: t.clone(),
        deco,
        before,
        after,
    };
    segments
        .iter()
        .filter_map(|s| match s {
            Segment::Same(t) => Some(piece(t, None, ("", ""))),
            Segment::Deleted(t) if !new => Some(piece(t, Some(Deco::LineThrough), DELETED)),
            Segment::Inserted(t) if new => Some(piece(t, Some(Deco::Underline), INSERTED)),
            _ => None,
        })
        .collect()
}

/// The same columns for every goal's table: 種別と位置 as wide as its longest place wants,
/// between 8 characters and a quarter of the page; 旧 and 新 share the rest equally.
fn column_widths(c: &Composer, cmp: &Comparison, avail: f32) -> Vec<f32> {
    let mut want: f32 = 0.0;
    for ch in &cmp.changes {
        let (kind, places) = row_header(ch);
        want = want.max(c.widths(&kind, Weight::Bold, BODY).1);
        for p in &places {
            want = want.max(c.widths(p, Weight::Regular, BODY).1);
        }
    }
    let w0 = (want + 2.0 * PAD.x).clamp(8.0 * BODY + 2.0 * PAD.x, avail * 0.26);
    let rest = (avail - w0) / 2.0;
    vec![w0, rest, rest]
}

/// A goal's table: a row per change, the 新 column as the atom column (rows never break).
fn goal_table(c: &Composer, ti: usize, rows: &[&Change], widths: &[f32]) -> (Table, Vec<RowMarks>) {
    let widths = widths.to_vec();
    let header = header_cells(c, &HEADS, &widths, |i| Target::Head(ti, i));
    let mut atoms = Vec::new();
    let mut spans = Vec::new();
    let mut marks = Vec::new();
    for (ri, ch) in rows.iter().enumerate() {
        // 種別と位置.
        let target = Target::Piece(ti, ri, 0, 0);
        let w = inner(widths[0]);
        let (kind, places) = row_header(ch);
        let mut bands = c.para(&kind, Weight::Bold, BODY, w, target, false);
        for p in &places {
            bands.extend(c.para(p, Weight::Regular, BODY, w, target, false));
        }
        spans.push(SpanCell {
            col: 0,
            first: ri,
            last: ri,
            full: CellBox { bands },
            cont: CellBox::default(),
            header: true,
        });
        // 旧 and 新.
        let cell = |col: usize, present: bool, new: bool, none: &str| {
            let w = inner(widths[col]);
            if present {
                let pieces = side(&ch.segments, new);
                let decos = pieces.iter().map(|p| p.deco).collect();
                let bands = c.marked(&pieces, BODY, w, |k| Target::Piece(ti, ri, col, k));
                (CellBox { bands }, decos)
            } else {
                let bands = c.para(
                    none,
                    Weight::Regular,
                    SMALL,
                    w,
                    Target::Piece(ti, ri, col, 0),
                    true,
                );
                (CellBox { bands }, vec![None])
            }
        };
        let (old_cell, old) = cell(1, ch.old.is_some(), false, "（なし）");
        let (new_cell, new) = cell(2, ch.new.is_some(), true, "（削除）");
        spans.push(SpanCell {
            col: 1,
            first: ri,
            last: ri,
            full: old_cell,
            cont: CellBox::default(),
            header: false,
        });
        atoms.push(Atom {
            cell: new_cell,
            pad_top: PAD.y,
            pad_bottom: PAD.y,
            rule_above: true,
        });
        marks.push(RowMarks { old, new });
    }
    (
        Table {
            widths,
            header,
            atoms,
            spans,
            pad: PAD,
        },
        marks,
    )
}

/// A cell's pieces in order, each marked one inside a `Span` naming its line.
fn cell_children(
    ids: &mut HashMap<Target, Vec<Identifier>>,
    target: impl Fn(usize) -> Target,
    decos: &[Option<Deco>],
) -> Vec<Node> {
    let mut out = Vec::new();
    for (k, deco) in decos.iter().enumerate() {
        let pieces = take(ids, target(k));
        match deco {
            None => out.extend(pieces),
            Some(d) => {
                let kind = match d {
                    Deco::LineThrough => TextDecorationType::LineThrough,
                    Deco::Underline => TextDecorationType::Underline,
                };
                out.extend(group(
                    TagKind::from(Tag::Span).with_text_decoration_type(Some(kind)),
                    pieces,
                ));
            }
        }
    }
    out
}

fn tag_tree(blocks: &[Block], ids: &mut HashMap<Target, Vec<Identifier>>) -> TagTree {
    let mut tree = TagTree::new().with_lang(Some("ja-JP".to_string()));
    let level = |n: u16| NonZeroU16::new(n).unwrap_or(NonZeroU16::MIN);
    for b in blocks {
        let node = match b {
            Block::Title(n, text) => group(
                Tag::Hn(level(1), Some(text.clone())),
                take(ids, Target::Block(*n)),
            ),
            Block::Para(n) => group(Tag::P, take(ids, Target::Block(*n))),
            Block::Heading(n, text) => group(
                Tag::Hn(level(2), Some(text.clone())),
                take(ids, Target::Block(*n)),
            ),
            Block::Table(ti, rows) => {
                let prefix = format!("t{ti}-col");
                let head = head_row(ids, &prefix, HEADS.len(), |i| Target::Head(*ti, i));
                let col = |i: usize| tag_id(&prefix, &[i]);
                let mut body = Vec::new();
                for (ri, marks) in rows.iter().enumerate() {
                    let row_id = tag_id(&format!("t{ti}-row"), &[ri]);
                    let mut tr = Vec::new();
                    tr.extend(group(
                        Tag::TH(TableHeaderScope::Row)
                            .with_id(Some(row_id.clone()))
                            .with_headers(Some([col(0)])),
                        take(ids, Target::Piece(*ti, ri, 0, 0)),
                    ));
                    for (c, decos) in [(1, &marks.old), (2, &marks.new)] {
                        tr.extend(group(
                            Tag::TD.with_headers(Some([col(c), row_id.clone()])),
                            cell_children(ids, |k| Target::Piece(*ti, ri, c, k), decos),
                        ));
                    }
                    body.extend(group(Tag::TR, tr));
                }
                table_node(head, body)
            }
        };
        if let Some(node) = node {
            tree.push(node);
        }
    }
    tree
}

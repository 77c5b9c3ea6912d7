//! The strategy's structure tree: the H1 and subtitle, then per table its H2 and a Table
//! whose row headers (goal, direction) carry the IDs its cells' `Headers` name.

use super::tables::target_heads;
use super::{RELATED_HEADING, TARGETS_HEADING, TargetsTable};
use crate::model::Strategy;
use crate::write::pdf::Target;
use crate::write::pdf::table::Table;
use crate::write::pdf::tag::{bullet_list, group, head_row, span, table_node, tag_id, take};
use krilla::tagging::{Identifier, Node, TableHeaderScope, Tag, TagTree};
use std::collections::HashMap;
use std::num::NonZeroU16;

/// The structure tree, taking every identifier filed for the document's targets.
pub(super) fn tag_tree(
    s: &Strategy,
    title: &str,
    main_heading: &str,
    tables: &[Table],
    goal_tables: &[TargetsTable],
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

    // The goals' 数値目標: a heading and a table each.
    if !goal_tables.is_empty() {
        doc.extend(group(
            Tag::Hn(h(2), Some(TARGETS_HEADING.to_string())),
            take(ids, Target::Heading(2)),
        ));
    }
    let columns = target_heads(s).len();
    for gt in goal_tables {
        doc.extend(group(
            Tag::Hn(h(3), Some(gt.heading.clone())),
            take(ids, Target::Block(gt.block)),
        ));
        let ti = gt.table;
        let prefix = format!("n{ti}-col");
        let head = head_row(ids, &prefix, columns, |i| Target::Head(ti, i));
        let col = |i: usize| tag_id(&prefix, &[i]);
        let mut body = Vec::new();
        for ri in 0..s.goals[gt.goal].indicators.len() {
            let row_id = tag_id(&format!("n{ti}-row"), &[ri]);
            let mut tr = Vec::new();
            tr.extend(group(
                Tag::TH(TableHeaderScope::Row)
                    .with_id(Some(row_id.clone()))
                    .with_headers(Some([col(0)])),
                take(ids, Target::Piece(ti, ri, 0, 0)),
            ));
            for c in 1..columns {
                tr.extend(group(
                    Tag::TD.with_headers(Some([col(c), row_id.clone()])),
                    take(ids, Target::Piece(ti, ri, c, 0)),
                ));
            }
            body.extend(group(Tag::TR, tr));
        }
        doc.extend(table_node(head, body));
    }

    // The main table.
    let kpi = tables[0].widths.len() == 5;
    let pcol = tables[0].widths.len() - 1;
    if !tables[0].atoms.is_empty() {
        doc.extend(group(
            Tag::Hn(h(2), Some(main_heading.to_string())),
            take(ids, Target::Heading(0)),
        ));
        let head = head_row(ids, "col", pcol + 1, Target::MainHead);
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
                    if kpi {
                        let list = if m.indicators.is_empty() {
                            take(ids, Target::KpiBody(gi, di, mi, 0))
                        } else {
                            bullet_list(ids, m.indicators.len(), |ki| {
                                (
                                    Target::KpiLabel(gi, di, mi, ki),
                                    Target::KpiBody(gi, di, mi, ki),
                                )
                            })
                        };
                        tr.extend(group(Tag::TD.with_headers(Some(headers(3))), list));
                    }
                    let list = bullet_list(ids, m.projects.len(), |pi| {
                        (
                            Target::ProjectLabel(gi, di, mi, pi),
                            Target::ProjectBody(gi, di, mi, pi),
                        )
                    });
                    tr.extend(group(Tag::TD.with_headers(Some(headers(pcol))), list));
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

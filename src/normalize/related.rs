//! The 関連する既存事業 table, one or several goal | projects column pairs side by side.

use super::header::{Found, is_note_row, is_repeat_of, origin_of};
use super::hygiene::{
    collect_dependent, remove_stray_quote, stray_quote_diag, stray_quote_origin, strip_stray_quote,
};
use super::labels::split_category;
use super::main_table::given;
use crate::diag::{Code, Diagnostic};
use crate::grid::{Origin, Slot};
use crate::model::{RelatedGroup, RelatedProject, Strategy};
use std::collections::BTreeMap;

pub(super) fn read_related(
    relateds: &[Found<'_>],
    s: &mut Strategy,
    diags: &mut Vec<Diagnostic>,
    dependent: &mut Vec<(Origin, char)>,
) {
    let mut groups: BTreeMap<u32, RelatedGroup> = BTreeMap::new();
    let key = |t: &str| -> String { t.chars().filter(|c| !crate::grid::is_space(*c)).collect() };
    let goal_numbers: BTreeMap<String, u32> =
        s.goals.iter().map(|g| (key(&g.title), g.number)).collect();
    for found in relateds {
        let grid = found.grid;
        let h = &found.header;
        let cols: Vec<usize> = h.pairs.iter().flat_map(|(a, b)| [*a, *b]).collect();
        let mut current: Vec<Option<(Option<u32>, Origin)>> = vec![None; h.pairs.len()];
        for r in h.row + 1..found.end {
            if grid.row_is_blank(r) || is_repeat_of(grid, r, h) {
                continue;
            }
            if is_note_row(grid, r, &cols) {
                break;
            }
            for (p, (gc, rc)) in h.pairs.iter().enumerate() {
                if let Some(v) = given(grid, r, Some(*gc)) {
                    let text = strip_stray_quote(&v.text, v.cell, diags);
                    let number = goal_numbers.get(&key(&text)).copied();
                    if number.is_none() {
                        diags.push(
                            Diagnostic::at(
                                Code::K114,
                                v.origin.clone(),
                                format!("関連する既存事業の基本目標「{text}」が施策の表にありません"),
                                format!("related-projects goal \"{text}\" is not a goal of the table of measures"),
                            )
                            .note(
                                "施策の表の基本目標と同じ文言にしてください",
                                "write it exactly as the goal in the table of measures",
                            ),
                        );
                    }
                    current[p] = Some((number, v.origin.clone()));
                }
                let Some(cell) = (match grid.rows.get(r).and_then(|row| row.get(*rc)) {
                    Some(Slot::Cell(cell)) if !cell.is_blank() => Some(cell),
                    _ => None,
                }) else {
                    continue;
                };
                let Some((goal, goal_origin)) = current[p].clone() else {
                    diags.push(Diagnostic::at(
                        Code::K103,
                        origin_of(grid, r, *gc),
                        "関連する既存事業の「基本目標」のセルが空です",
                        "the goal cell of the related projects is empty",
                    ));
                    continue;
                };
                let Some(goal) = goal else { continue };
                let group = groups.entry(goal).or_insert_with(|| RelatedGroup {
                    goal,
                    projects: Vec::new(),
                    source: goal_origin.clone(),
                });
                for item in cell.items() {
                    collect_dependent(&item, cell, dependent);
                    let origin = cell.locate(&item);
                    let item = match stray_quote_origin(&item, cell) {
                        Some(q) => {
                            let fixed = remove_stray_quote(&item);
                            diags.push(stray_quote_diag(q, &fixed));
                            fixed
                        }
                        None => item,
                    };
                    let (category, title) = split_category(&item);
                    group.projects.push(RelatedProject {
                        id: None,
                        title,
                        category,
                        source: origin,
                    });
                }
            }
        }
    }
    s.related = groups.into_values().collect();
}

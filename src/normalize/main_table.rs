//! The table of measures: rows to records (blank and merged cells are "same as above"),
//! records to the goal → direction → measure → project hierarchy, and the measure numbers
//! checked.

use super::header::{Found, Role, is_note_row, is_repeat_of, origin_of};
use super::hygiene::{
    collect_dependent, remove_stray_quote, stray_quote_diag, stray_quote_origin, strip_stray_quote,
};
use super::indicators::{Columns, Level, from_row, from_text, push_unique};
use super::labels::{parse_direction, parse_measure, split_funding};
use crate::diag::{Code, Diagnostic};
use crate::grid::{Cell, Grid, Origin, Slot};
use crate::model::Indicator;
use crate::model::{Direction, Goal, Measure, Project, Strategy};
use std::collections::{BTreeMap, HashSet};

/// A parsed row of the main table: the measure it opens or continues and its projects.
#[derive(Debug)]
pub(super) struct MeasureRec {
    pub(super) goal: (String, Origin),
    pub(super) direction: (String, Origin),
    pub(super) measure: (String, Origin),
    pub(super) projects: Vec<(String, Origin, Option<Origin>)>,
    /// The measure's KPI read on its rows.
    pub(super) indicators: Vec<Indicator>,
    /// The goal's 数値目標 read on these rows.
    pub(super) goal_indicators: Vec<Indicator>,
}

/// A text value with the place it came from and the cell for precise locations.
pub(super) struct Val<'g> {
    pub(super) text: String,
    pub(super) origin: Origin,
    pub(super) cell: &'g Cell,
}

pub(super) fn given<'g>(grid: &'g Grid, r: usize, c: Option<usize>) -> Option<Val<'g>> {
    let c = c?;
    match grid.rows.get(r)?.get(c)? {
        Slot::Cell(cell) if !cell.is_blank() => Some(Val {
            text: cell.text(),
            origin: cell.origin.clone(),
            cell,
        }),
        _ => None,
    }
}

pub(super) fn read_main(
    mains: &[Found<'_>],
    diags: &mut Vec<Diagnostic>,
    dependent: &mut Vec<(Origin, char)>,
) -> Vec<MeasureRec> {
    let mut recs: Vec<MeasureRec> = Vec::new();
    let mut cur: [Option<(String, Origin)>; 3] = [None, None, None];
    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    for found in mains {
        let grid = found.grid;
        let h = &found.header;
        let cols = [
            h.cols.get(&Role::Goal).copied(),
            h.cols.get(&Role::Direction).copied(),
            h.cols.get(&Role::Measure).copied(),
        ];
        let pcol = h.cols.get(&Role::Project).copied();
        let all_cols: Vec<usize> = h.cols.values().copied().collect();
        for r in h.row + 1..found.end {
            if grid.row_is_blank(r) || is_repeat_of(grid, r, h) {
                continue;
            }
            if is_note_row(grid, r, &all_cols) {
                break;
            }
            let vals: [Option<Val>; 3] = [
                given(grid, r, cols[0]),
                given(grid, r, cols[1]),
                given(grid, r, cols[2]),
            ];
            for v in vals.iter().flatten() {
                collect_dependent(&v.text, v.cell, dependent);
            }
            // The first level whose value differs from the row above opens new nodes from there down.
            let mut changed: Option<usize> = None;
            for (lvl, v) in vals.iter().enumerate() {
                if let Some(v) = v
                    && changed.is_none()
                    && cur[lvl].as_ref().is_none_or(|(t, _)| *t != v.text)
                {
                    changed = Some(lvl);
                }
            }
            if cur[2].is_none() && changed.is_none() {
                changed = Some(0);
            }
            let mut ok = true;
            if let Some(from) = changed {
                for lvl in from..3 {
                    if vals[lvl].is_none() {
                        let role = [Role::Goal, Role::Direction, Role::Measure][lvl];
                        let col = cols[lvl].unwrap_or(0);
                        diags.push(
                            Diagnostic::at(
                                Code::K103,
                                origin_of(grid, r, col),
                                format!("「{}」のセルが空です", role.label()),
                                format!("the {} cell is empty", role.label_en()),
                            )
                            .label("この行", "this row")
                            .note(
                                "上の行と同じ値の空欄は、上位の列も空欄のときだけ「上と同じ」と読みます",
                                "a blank cell means \"same as above\" only when the cells to its left are blank too",
                            ),
                        );
                        ok = false;
                        break;
                    }
                }
                if ok {
                    for lvl in from..3 {
                        if let Some(v) = &vals[lvl] {
                            let text = strip_stray_quote(&v.text, v.cell, diags);
                            cur[lvl] = Some((text, v.origin.clone()));
                        }
                    }
                    if let (Some(g), Some(d), Some(m)) = (&cur[0], &cur[1], &cur[2]) {
                        recs.push(MeasureRec {
                            goal: g.clone(),
                            direction: d.clone(),
                            measure: m.clone(),
                            projects: Vec::new(),
                            indicators: Vec::new(),
                            goal_indicators: Vec::new(),
                        });
                    }
                }
            }
            if !ok {
                continue;
            }
            if let Some(cell) =
                pcol.and_then(|c| match grid.rows.get(r).and_then(|row| row.get(c)) {
                    Some(Slot::Cell(cell)) if !cell.is_blank() => Some(cell),
                    _ => None,
                })
                && let Some(rec) = recs.last_mut()
            {
                for item in cell.items() {
                    collect_dependent(&item, cell, dependent);
                    let origin = cell.locate(&item);
                    let quote = stray_quote_origin(&item, cell);
                    rec.projects.push((item, origin, quote));
                }
            }
            if let Some(rec) = recs.last_mut() {
                read_indicators(grid, r, &h.indicators, rec, &mut seen, diags);
            }
        }
    }
    recs
}

/// The indicators a row of the main table gives (a KPI or 数値目標 column), added to its
/// record; an indicator text repeated on the rows of one goal or measure (CSV rows repeating
/// their parents) is read once, and an indicator whose columns repeat another's is kept once.
fn read_indicators(
    grid: &Grid,
    r: usize,
    cols: &Columns,
    rec: &mut MeasureRec,
    seen: &mut HashSet<(String, String, String)>,
    diags: &mut Vec<Diagnostic>,
) {
    let Some((c, level)) = cols.name else {
        return;
    };
    let Some(Slot::Cell(cell)) = grid.rows.get(r).and_then(|row| row.get(c)) else {
        return;
    };
    if cell.is_blank() {
        return;
    }
    let goal_level = level == Some(Level::Goal);
    let owner = if goal_level {
        (rec.goal.0.clone(), String::new())
    } else {
        (rec.direction.0.clone(), rec.measure.0.clone())
    };
    let new: Vec<Indicator> = if cols.by_row() {
        // Each row is its own indicator; one repeated in full is dropped below.
        from_row(grid, r, cols, diags).into_iter().collect()
    } else {
        cell.items()
            .into_iter()
            .filter(|item| seen.insert((owner.0.clone(), owner.1.clone(), item.clone())))
            .map(|item| from_text(&item, cell, diags))
            .collect()
    };
    let list = if goal_level {
        &mut rec.goal_indicators
    } else {
        &mut rec.indicators
    };
    for i in new {
        push_unique(list, i);
    }
}

pub(super) fn build_hierarchy(recs: &[MeasureRec], s: &mut Strategy, diags: &mut Vec<Diagnostic>) {
    // Per goal: index of the last record that touched it; per (goal, direction) likewise.
    let mut goal_last: Vec<usize> = Vec::new();
    let mut dir_last: Vec<Vec<usize>> = Vec::new();
    for (i, rec) in recs.iter().enumerate() {
        let gi = match s.goals.iter().position(|g| g.title == rec.goal.0) {
            Some(gi) => {
                if goal_last[gi] + 1 != i
                    && recs[goal_last[gi]].goal.0 == rec.goal.0
                    && !s.goals[gi].directions.is_empty()
                {
                    let prev = &recs[goal_last[gi]];
                    if prev.goal.1 != rec.goal.1 {
                        diags.push(
                            Diagnostic::at(
                                Code::K115,
                                rec.goal.1.clone(),
                                format!("基本目標「{}」が離れた行にもう一度出てきます（一つにまとめます）", rec.goal.0),
                                format!("goal \"{}\" appears again in a row that is not adjacent (merged)", rec.goal.0),
                            )
                            .related(s.goals[gi].source.clone(), "最初に出てきた場所", "where it first appears"),
                        );
                    }
                }
                gi
            }
            None => {
                s.goals.push(Goal {
                    id: None,
                    number: s.goals.len() as u32 + 1,
                    title: rec.goal.0.clone(),
                    directions: Vec::new(),
                    indicators: Vec::new(),
                    source: rec.goal.1.clone(),
                });
                goal_last.push(i);
                dir_last.push(Vec::new());
                s.goals.len() - 1
            }
        };
        let goal_number = s.goals[gi].number;
        let (code, title) = match parse_direction(&rec.direction.0) {
            Some(ct) => ct,
            None => {
                diags.push(
                    Diagnostic::at(
                        Code::K110,
                        rec.direction.1.clone(),
                        format!(
                            "施策の基本的方向「{}」に「1-1」のような番号がありません",
                            rec.direction.0
                        ),
                        format!("direction \"{}\" has no code like 1-1", rec.direction.0),
                    )
                    .note(
                        "「1-1 市内在住若者の雇用機会の拡大」のように番号から書いてください",
                        "start it with its code, e.g. 「1-1 …」",
                    ),
                );
                (String::new(), rec.direction.0.clone())
            }
        };
        let goal = &mut s.goals[gi];
        let existing = goal.directions.iter().position(|d| {
            if code.is_empty() {
                d.title == title
            } else {
                d.code == code
            }
        });
        let di = match existing {
            Some(di) => {
                let d = &goal.directions[di];
                if d.title != title {
                    diags.push(
                        Diagnostic::at(
                            Code::K108,
                            rec.direction.1.clone(),
                            format!(
                                "施策の基本的方向 {} の名称が「{}」と「{}」の二通りあります",
                                code, d.title, title
                            ),
                            format!(
                                "direction {} has two titles, \"{}\" and \"{}\"",
                                code, d.title, title
                            ),
                        )
                        .related(
                            d.source.clone(),
                            "もう一方の名称",
                            "the other title",
                        ),
                    );
                } else if dir_last[gi][di] + 1 != i
                    && recs[dir_last[gi][di]].direction.1 != rec.direction.1
                {
                    diags.push(
                        Diagnostic::at(
                            Code::K107,
                            rec.direction.1.clone(),
                            format!("施策の基本的方向 {code} が離れた行にもう一度出てきます（一つにまとめ、施策を番号順に並べます）"),
                            format!("direction {code} appears again in a row that is not adjacent (merged, measures ordered by number)"),
                        )
                        .label("二度目", "second place")
                        .related(d.source.clone(), "一度目", "first place")
                        .note(
                            "同じ施策の基本的方向の施策は続けて書いてください。別の方向のつもりなら番号を直してください",
                            "keep a direction's measures together, or correct the code if another direction was meant",
                        ),
                    );
                }
                di
            }
            None => {
                if let Some(g) = code.split('-').next().and_then(|g| g.parse::<u32>().ok())
                    && g != goal_number
                {
                    diags.push(
                        Diagnostic::at(
                            Code::K109,
                            rec.direction.1.clone(),
                            format!(
                                "施策の基本的方向 {code} が基本目標{goal_number} の下にあります"
                            ),
                            format!("direction {code} sits under goal {goal_number}"),
                        )
                        .related(
                            goal.source.clone(),
                            format!("基本目標{goal_number}"),
                            format!("goal {goal_number}"),
                        ),
                    );
                }
                goal.directions.push(Direction {
                    id: None,
                    code: code.clone(),
                    title: title.clone(),
                    measures: Vec::new(),
                    source: rec.direction.1.clone(),
                });
                dir_last[gi].push(i);
                goal.directions.len() - 1
            }
        };
        goal_last[gi] = i;
        dir_last[gi][di] = i;
        let (number, mtitle) = match parse_measure(&rec.measure.0) {
            Some(nt) => nt,
            None => {
                diags.push(
                    Diagnostic::at(
                        Code::K104,
                        rec.measure.1.clone(),
                        format!("具体的な施策「{}」に番号がありません", rec.measure.0),
                        format!("measure \"{}\" has no number", rec.measure.0),
                    )
                    .note(
                        "「①若者の市内就職の促進」のように番号から書いてください",
                        "start it with its number, e.g. ① or (1)",
                    ),
                );
                (0, rec.measure.0.clone())
            }
        };
        let projects = rec
            .projects
            .iter()
            .map(|(text, origin, quote)| {
                let text = match quote {
                    Some(q) => {
                        let fixed = remove_stray_quote(text);
                        diags.push(stray_quote_diag(q.clone(), &fixed));
                        fixed
                    }
                    None => text.clone(),
                };
                let (title, funding) = split_funding(&text);
                Project {
                    id: None,
                    title,
                    funding,
                    source: origin.clone(),
                }
            })
            .collect();
        let dir = &mut goal.directions[di];
        if let Some(m) = dir
            .measures
            .iter_mut()
            .find(|m| m.number == number && m.title == mtitle && number != 0)
        {
            // The same measure written again (CSV rows repeating their parents).
            let mut more: Vec<Project> = projects;
            m.projects.append(&mut more);
            for i in &rec.indicators {
                push_unique(&mut m.indicators, i.clone());
            }
        } else {
            dir.measures.push(Measure {
                id: None,
                number,
                title: mtitle,
                projects,
                indicators: rec.indicators.clone(),
                source: rec.measure.1.clone(),
            });
        }
        for i in &rec.goal_indicators {
            push_unique(&mut goal.indicators, i.clone());
        }
    }
    for g in &mut s.goals {
        for d in &mut g.directions {
            d.measures.sort_by_key(|m| m.number);
        }
    }
}

/// Duplicate and missing measure numbers, numbered through the whole strategy (①…⑮) or,
/// when every direction starts again at 1, within each direction.
pub(super) fn check_measure_numbers(s: &Strategy, diags: &mut Vec<Diagnostic>) {
    let dirs: Vec<&Direction> = s.goals.iter().flat_map(|g| &g.directions).collect();
    let restarts = dirs
        .iter()
        .filter(|d| d.measures.first().is_some_and(|m| m.number == 1))
        .count();
    let per_direction =
        restarts > 1 && restarts == dirs.iter().filter(|d| !d.measures.is_empty()).count();
    let groups: Vec<Vec<&Measure>> = if per_direction {
        dirs.iter().map(|d| d.measures.iter().collect()).collect()
    } else {
        vec![dirs.iter().flat_map(|d| &d.measures).collect()]
    };
    for group in groups {
        let mut seen: BTreeMap<u32, &Measure> = BTreeMap::new();
        for m in group.iter().filter(|m| m.number != 0) {
            if let Some(first) = seen.get(&m.number) {
                diags.push(
                    Diagnostic::at(
                        Code::K105,
                        m.source.clone(),
                        format!(
                            "具体的な施策の番号 {} が二度使われています（「{}」と「{}」）",
                            m.number, first.title, m.title
                        ),
                        format!(
                            "measure number {} is used twice (\"{}\" and \"{}\")",
                            m.number, first.title, m.title
                        ),
                    )
                    .related(first.source.clone(), "一度目", "first use"),
                );
            } else {
                seen.insert(m.number, m);
            }
        }
        let numbers: Vec<u32> = seen.keys().copied().collect();
        if let (Some(&lo), Some(&hi)) = (numbers.first(), numbers.last()) {
            let missing: Vec<String> = (lo.min(1)..=hi)
                .filter(|n| *n != 0 && !seen.contains_key(n))
                .map(|n| n.to_string())
                .collect();
            if !missing.is_empty() {
                let after = seen
                    .range(missing[0].parse::<u32>().unwrap_or(0)..)
                    .next()
                    .map(|(_, m)| m.source.clone());
                diags.push(
                    Diagnostic::new(
                        Code::K106,
                        after,
                        format!("具体的な施策の番号 {} がありません", missing.join("・")),
                        format!("measure number(s) {} are missing", missing.join(", ")),
                    )
                    .label("この施策の前が欠番です", "the gap is before this measure"),
                );
            }
        }
    }
}

//! The strategy's two tables, built from the model: column widths from their content, one
//! atom per project (or per band of the related projects' multi-column lists), and spanning
//! cells for the goals, directions and measures.

use crate::model::{Goal, Indicator, Strategy};
use crate::write::pdf::Target;
use crate::write::pdf::compose::{BULLET, Composer, header_cells, inner, label_cell};
use crate::write::pdf::settings::{BODY, PAD, SMALL};
use crate::write::pdf::table::{self, Atom, Band, CellBox, Run, SpanCell, Table};
use crate::write::pdf::text::Weight;
use crate::write::{
    indicator_values_text, measure_label, observation_text, project_text, related_text, value_text,
};

/// True when some measure has KPI: the main table then has a KPI column.
pub(super) fn has_kpi(s: &Strategy) -> bool {
    s.goals
        .iter()
        .flat_map(|g| &g.directions)
        .flat_map(|d| &d.measures)
        .any(|m| !m.indicators.is_empty())
}

/// The main table: 基本目標 | 施策の基本的方向 | 具体的な施策 | 事業例, with a column
/// 重要業績評価指標（KPI） before 事業例 when the draft has KPI.
pub(super) fn main_table(c: &Composer, s: &Strategy, avail: f32) -> Table {
    let kpi = has_kpi(s);
    let heads: Vec<&str> = if kpi {
        vec![
            "基本目標",
            "施策の基本的方向",
            "具体的な施策",
            "重要業績評価指標（KPI）",
            "事業例",
        ]
    } else {
        vec!["基本目標", "施策の基本的方向", "具体的な施策", "事業例"]
    };
    let n = heads.len();
    let pcol = n - 1;
    // Content widths per column.
    let mut min = vec![0.0f32; n];
    let mut max = vec![0.0f32; n];
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
                    grow(pcol, &project_text(p), Weight::Regular, BODY, bullet);
                }
                for i in &m.indicators {
                    grow(3, &i.name, Weight::Regular, BODY, bullet);
                    for line in kpi_lines(i) {
                        grow(3, &line, Weight::Regular, SMALL, bullet);
                    }
                }
            }
        }
    }
    // The spanning columns hold a few words above a lot of white space: past fifteen
    // characters they gain little from width, so their wish is capped and 事業例 gets the room.
    for m in &mut max[..3] {
        *m = m.min(15.0 * BODY);
    }
    if kpi {
        // KPI lines read well at about twenty characters; 事業例 keeps the most room.
        max[3] = max[3].min(18.0 * BODY);
    }
    // No column narrower than five characters; the padding and borders on top.
    let floor = 5.0 * BODY;
    let min: Vec<f32> = min.iter().map(|m| m.max(floor) + 2.0 * PAD.x).collect();
    let max: Vec<f32> = max.iter().map(|m| m.max(floor) + 2.0 * PAD.x).collect();
    let widths = table::distribute(&min, &max, avail);

    let header = header_cells(c, &heads, &widths, Target::MainHead);
    let bullet_w = c.shape(BULLET, Weight::Regular, BODY).max_width();

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
                let w = inner(widths[pcol]);
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
                if kpi {
                    let w = inner(widths[3]);
                    let mut bands = Vec::new();
                    for (ki, i) in m.indicators.iter().enumerate() {
                        bands.extend(kpi_item(c, i, w, bullet_w, (gi, di, mi, ki)));
                    }
                    if m.indicators.is_empty() {
                        bands = c.para(
                            "—",
                            Weight::Regular,
                            BODY,
                            w,
                            Target::KpiBody(gi, di, mi, 0),
                            true,
                        );
                    }
                    spans.push(SpanCell {
                        col: 3,
                        first: m_first,
                        last: atoms.len() - 1,
                        full: CellBox { bands },
                        cont: label_cell(
                            c,
                            &label,
                            "重要業績評価指標（KPI）",
                            w,
                            Target::KpiBody(gi, di, mi, 0),
                            true,
                        ),
                        header: false,
                    });
                }
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

/// One KPI in the main table: its name as a bulleted item, its values below in small print,
/// under the same indent.
fn kpi_item(
    c: &Composer,
    i: &Indicator,
    w: f32,
    indent: f32,
    (gi, di, mi, ki): (usize, usize, usize, usize),
) -> Vec<crate::write::pdf::table::Band> {
    let body = Target::KpiBody(gi, di, mi, ki);
    let mut bands = c.item(&i.name, w, Target::KpiLabel(gi, di, mi, ki), body);
    for line in kpi_lines(i) {
        // A date never breaks: 「（2014年度）」 moves down whole.
        let date = line.rfind('（').map(|at| &line[at..]).unwrap_or("");
        let mut values = c.para_keeping(
            &line,
            &[date],
            Weight::Regular,
            SMALL,
            w - indent,
            body,
            false,
        );
        for b in &mut values {
            for r in &mut b.runs {
                r.x += indent;
            }
        }
        bands.extend(values);
    }
    if let Some(first) = bands.first_mut() {
        // A little air between two KPIs of one measure.
        if ki > 0 {
            first.height += 3.0;
            for r in &mut first.runs {
                r.baseline += 3.0;
            }
        }
    }
    bands
}

/// A KPI's values for a narrow column, one line each: 「基準値 120人（2014年度）」,
/// 「目標値 150人（2019年度）」 (the era is left to the 数値目標 tables and the page).
fn kpi_lines(i: &Indicator) -> Vec<String> {
    let unit = i.unit.as_deref();
    let line = |label: &str, o: &crate::model::Observation| {
        let when = o
            .when
            .map(|w| format!("（{}）", w.label_plain()))
            .unwrap_or_default();
        format!("{label} {}{when}", value_text(o, unit))
    };
    let mut out: Vec<String> = Vec::new();
    out.extend(i.baseline.iter().map(|o| line("基準値", o)));
    out.extend(i.actuals.iter().map(|o| line("実績値", o)));
    out.extend(i.target.iter().map(|o| line("目標値", o)));
    if out.is_empty() {
        out.push(indicator_values_text(i));
    }
    out
}

/// The columns of the goals' 数値目標 tables: 数値目標 | 基準値 | 目標値 | 備考, with 実績値
/// between 基準値 and 目標値 when some goal reports results.
pub(super) fn target_heads(s: &Strategy) -> Vec<&'static str> {
    let actuals = s
        .goals
        .iter()
        .flat_map(|g| &g.indicators)
        .any(|i| !i.actuals.is_empty());
    if actuals {
        vec!["数値目標", "基準値", "実績値", "目標値", "備考"]
    } else {
        vec!["数値目標", "基準値", "目標値", "備考"]
    }
}

/// What an indicator's cells hold, column by column, in the order of `heads`.
fn target_cells(i: &Indicator, heads: &[&str]) -> Vec<String> {
    let unit = i.unit.as_deref();
    let value = |o: &Option<crate::model::Observation>| {
        o.as_ref()
            .map(|o| observation_text(o, unit))
            .unwrap_or_else(|| "—".to_string())
    };
    heads
        .iter()
        .map(|h| match *h {
            "数値目標" => match unit {
                Some(u) => format!("{}（単位：{u}）", i.name),
                None => i.name.clone(),
            },
            "基準値" => value(&i.baseline),
            "目標値" => value(&i.target),
            "実績値" if i.actuals.is_empty() => "—".to_string(),
            "実績値" => i
                .actuals
                .iter()
                .map(|o| observation_text(o, unit))
                .collect::<Vec<_>>()
                .join("\n"),
            _ => i.note.clone().unwrap_or_else(|| "—".to_string()),
        })
        .collect()
}

/// A goal's 数値目標 table, table number `ti` of the document: a row per indicator in the
/// columns `heads`, the last (備考) the atom column (rows never break).
pub(super) fn targets_table(
    c: &Composer,
    g: &Goal,
    ti: usize,
    heads: &[&str],
    widths: &[f32],
) -> Table {
    let widths = widths.to_vec();
    let header = header_cells(c, heads, &widths, |i| Target::Head(ti, i));
    let mut atoms = Vec::new();
    let mut spans = Vec::new();
    let last = heads.len() - 1;
    for (ri, i) in g.indicators.iter().enumerate() {
        let cell = |col: usize, text: &str| {
            let mut bands = Vec::new();
            for line in text.split('\n') {
                bands.extend(c.para(
                    line,
                    Weight::Regular,
                    BODY,
                    inner(widths[col]),
                    Target::Piece(ti, ri, col, 0),
                    false,
                ));
            }
            CellBox { bands }
        };
        let texts = target_cells(i, heads);
        for (col, t) in texts.iter().enumerate().take(last) {
            spans.push(SpanCell {
                col,
                first: ri,
                last: ri,
                full: cell(col, t),
                cont: CellBox::default(),
                header: col == 0,
            });
        }
        atoms.push(Atom {
            cell: cell(last, &texts[last]),
            pad_top: PAD.y,
            pad_bottom: PAD.y,
            rule_above: true,
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

/// The same columns for every goal's 数値目標 table, from every goal's indicators.
pub(super) fn targets_widths(c: &Composer, s: &Strategy, heads: &[&str], avail: f32) -> Vec<f32> {
    let mut min = vec![0.0f32; heads.len()];
    let mut max = vec![0.0f32; heads.len()];
    for (i, h) in heads.iter().enumerate() {
        let (lo, hi) = c.widths(h, Weight::Bold, BODY);
        min[i] = min[i].max(lo);
        max[i] = max[i].max(hi);
    }
    for i in s.goals.iter().flat_map(|g| &g.indicators) {
        for (col, text) in target_cells(i, heads).iter().enumerate() {
            for line in text.split('\n') {
                let (lo, hi) = c.widths(line, Weight::Regular, BODY);
                min[col] = min[col].max(lo);
                max[col] = max[col].max(hi);
            }
        }
    }
    let floor = 4.0 * BODY;
    let min: Vec<f32> = min.iter().map(|m| m.max(floor) + 2.0 * PAD.x).collect();
    let max: Vec<f32> = max.iter().map(|m| m.max(floor) + 2.0 * PAD.x).collect();
    table::distribute(&min, &max, avail)
}

/// An empty row under a spanning cell that has nothing beneath it.
fn empty_atom() -> Atom {
    Atom {
        cell: CellBox::default(),
        pad_top: PAD.y,
        pad_bottom: PAD.y,
        rule_above: true,
    }
}

/// The reference table: 基本目標 | 関連する事業, each goal's projects in up to three columns.
pub(super) fn related_table(c: &Composer, s: &Strategy, avail: f32) -> Table {
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

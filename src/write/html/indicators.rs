//! Indicators on the page: each 数値目標 and KPI as its name, its values in words (基準値,
//! 実績値, 目標値, each with its date) and a small bar chart drawn in inline SVG (no script), whose
//! text alternative states the same numbers.

use super::Html;
use crate::model::{Indicator, Observation};
use crate::write::{indicator_values_text, observation_text, value_text};

/// The styles of indicators, added to the page's style sheet when the draft has any.
pub(super) const CSS: &str = include_str!("indicators.css");

/// Width of the chart's drawing area, in CSS pixels at 100 %.
const CHART_W: f64 = 240.0;
/// Height of one bar and the gap below it.
const BAR_H: f64 = 12.0;
const GAP: f64 = 6.0;

/// The indicators as a list labelled by `labelledby`, each item a figure.
pub(super) fn list(h: &mut Html, indicators: &[Indicator], id_prefix: &str, labelledby: &str) {
    h.open(
        "ul",
        &[("class", "indicators"), ("aria-labelledby", labelledby)],
    );
    for (k, i) in indicators.iter().enumerate() {
        h.open("li", &[]);
        figure(h, i, &format!("{id_prefix}-i{}", k + 1));
        h.close();
    }
    h.close();
}

/// One indicator: name, values, chart, note.
fn figure(h: &mut Html, i: &Indicator, id: &str) {
    let name_id = format!("{id}-name");
    h.open(
        "figure",
        &[("class", "indicator"), ("aria-labelledby", &name_id)],
    );
    h.open("figcaption", &[("id", &name_id), ("class", "ind-name")]);
    h.text(&i.name);
    if let Some(u) = &i.unit {
        h.el("span", &[("class", "ind-unit")], &format!("（単位：{u}）"));
    }
    h.close();
    let rows = rows(i);
    if rows.is_empty() {
        h.el(
            "p",
            &[("class", "none")],
            "（基準値・目標値の記載はありません）",
        );
    } else {
        h.open("dl", &[("class", "ind-values")]);
        for (label, o) in &rows {
            h.open("div", &[("class", label.class)]);
            h.open("dt", &[]);
            // The bar's colour beside its label; the order of the bars says the same.
            h.el("span", &[("class", "swatch"), ("aria-hidden", "true")], "");
            let unit = i.unit.as_deref();
            match o.when {
                // Results are several: each term names its year, so no two say the same.
                Some(w) if label.class == ACTUAL.class => {
                    h.text(&format!("{}（{}）", label.text, w.label()));
                    h.close();
                    h.el("dd", &[], &value_text(o, unit));
                }
                _ => {
                    h.text(label.text);
                    h.close();
                    h.el("dd", &[], &observation_text(o, unit));
                }
            }
            h.close();
        }
        h.close();
        chart(h, i, &rows, id);
    }
    if let Some(n) = &i.note {
        h.el("p", &[("class", "ind-note")], &format!("備考：{n}"));
    }
    h.close(); // figure
}

/// What a row of values is: its label and the class that colours its bar.
struct Label {
    text: &'static str,
    class: &'static str,
}

const BASELINE: Label = Label {
    text: "基準値",
    class: "v-base",
};
const ACTUAL: Label = Label {
    text: "実績値",
    class: "v-actual",
};
const TARGET: Label = Label {
    text: "目標値",
    class: "v-target",
};

/// The indicator's values in time order: baseline, actuals, target.
fn rows(i: &Indicator) -> Vec<(Label, &Observation)> {
    let mut out = Vec::new();
    if let Some(b) = &i.baseline {
        out.push((BASELINE, b));
    }
    for a in &i.actuals {
        out.push((ACTUAL, a));
    }
    if let Some(t) = &i.target {
        out.push((TARGET, t));
    }
    out
}

/// A horizontal bar per value, in the order of the list above it, on one zero line; values
/// that are not numbers get no bar. `role="img"` with a `<title>` that says the numbers.
fn chart(h: &mut Html, i: &Indicator, rows: &[(Label, &Observation)], id: &str) {
    let values: Vec<Option<f64>> = rows
        .iter()
        .map(|(_, o)| o.value.and_then(|v| v.to_string().parse::<f64>().ok()))
        .collect();
    if values.iter().all(Option::is_none) {
        return;
    }
    let mut max = values.iter().flatten().fold(0.0f64, |a, v| a.max(*v));
    if i.unit.as_deref() == Some("%") && max <= 100.0 {
        // A rate is drawn against the whole: 55.2 % and 60.0 % differ by a tenth, not by half.
        max = 100.0;
    }
    let min = values.iter().flatten().fold(0.0f64, |a, v| a.min(*v));
    let span = if max - min > 0.0 { max - min } else { 1.0 };
    let zero = CHART_W * (-min) / span;
    let height = rows.len() as f64 * (BAR_H + GAP) + GAP;
    let alt: Vec<String> = rows
        .iter()
        .map(|(label, o)| {
            let when = o
                .when
                .map(|w| format!("（{}）", w.label_plain()))
                .unwrap_or_default();
            format!("{} {}{when}", label.text, value_text(o, i.unit.as_deref()))
        })
        .collect();
    let title_id = format!("{id}-chart");
    let view = format!("0 0 {} {}", CHART_W + 2.0, fmt(height));
    h.open(
        "svg",
        &[
            ("class", "ind-chart"),
            ("viewBox", &view),
            ("width", &fmt(CHART_W + 2.0)),
            ("height", &fmt(height)),
            ("role", "img"),
            ("aria-labelledby", &title_id),
        ],
    );
    h.el(
        "title",
        &[("id", &title_id)],
        &format!("{}の棒グラフ：{}", i.name, alt.join("、")),
    );
    for (k, ((label, _), v)) in rows.iter().zip(&values).enumerate() {
        let Some(v) = v else { continue };
        let y = GAP + k as f64 * (BAR_H + GAP);
        let w = CHART_W * v.abs() / span;
        let x = if *v < 0.0 { zero - w } else { zero };
        h.open(
            "rect",
            &[
                ("class", label.class),
                ("x", &fmt(x + 1.0)),
                ("y", &fmt(y)),
                ("width", &fmt(w.max(1.0))),
                ("height", &fmt(BAR_H)),
            ],
        );
        h.close();
    }
    // The zero line.
    h.open(
        "line",
        &[
            ("class", "axis"),
            ("x1", &fmt(zero + 1.0)),
            ("x2", &fmt(zero + 1.0)),
            ("y1", "0"),
            ("y2", &fmt(height)),
        ],
    );
    h.close();
    h.close(); // svg
}

/// A coordinate with at most two decimals, no trailing zeros.
fn fmt(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// The indicators of a table cell: each name and its values in words.
pub(super) fn cell_items(h: &mut Html, indicators: &[Indicator]) {
    h.open("ul", &[("class", "ind-cell")]);
    for i in indicators {
        h.open("li", &[]);
        h.text(&i.name);
        h.text("：");
        h.text(&indicator_values_text(i));
        h.close();
    }
    h.close();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::When;

    fn obs(v: &str, year: u16) -> Observation {
        Observation {
            value: Some(v.parse().expect("decimal")),
            when: Some(When::FiscalYear { year }),
            ..Observation::default()
        }
    }

    #[test]
    fn the_chart_says_the_numbers_and_draws_a_bar_each() {
        let i = Indicator {
            name: "移住相談件数".into(),
            unit: Some("件".into()),
            baseline: Some(obs("42", 2014)),
            target: Some(obs("100", 2019)),
            ..Indicator::default()
        };
        let mut h = Html::new();
        figure(&mut h, &i, "x");
        let out = h.finish();
        assert!(
            out.contains("<title id=\"x-chart\">移住相談件数の棒グラフ：基準値 42件（2014年度）、目標値 100件（2019年度）</title>"),
            "{out}"
        );
        assert_eq!(out.matches("<rect").count(), 2);
        assert!(
            out.contains("width=\"240\""),
            "the larger value takes the width: {out}"
        );
        assert!(out.contains("<dd>42件（2014（平成26）年度）</dd>"), "{out}");
    }

    #[test]
    fn rates_are_drawn_against_the_whole() {
        let i = Indicator {
            name: "就職率".into(),
            unit: Some("%".into()),
            baseline: Some(obs("55.2", 2014)),
            target: Some(obs("60.0", 2019)),
            ..Indicator::default()
        };
        let mut h = Html::new();
        figure(&mut h, &i, "x");
        let out = h.finish();
        // 60 % of 240 is 144.
        assert!(out.contains("width=\"144\""), "{out}");
    }

    #[test]
    fn negative_values_grow_left_of_the_zero_line() {
        let i = Indicator {
            name: "社会増減".into(),
            unit: Some("人".into()),
            baseline: Some(obs("-350", 2014)),
            target: Some(obs("0", 2019)),
            ..Indicator::default()
        };
        let mut h = Html::new();
        figure(&mut h, &i, "x");
        let out = h.finish();
        // The zero line stands at the right edge; the -350 bar ends there.
        assert!(out.contains("x1=\"241\""), "{out}");
        assert!(out.contains("-350人"), "{out}");
    }

    #[test]
    fn an_indicator_without_numbers_has_no_chart() {
        let i = Indicator {
            name: "市民満足度の向上".into(),
            ..Indicator::default()
        };
        let mut h = Html::new();
        figure(&mut h, &i, "x");
        let out = h.finish();
        assert!(!out.contains("<svg"), "{out}");
        assert!(out.contains("記載はありません"), "{out}");
    }
}

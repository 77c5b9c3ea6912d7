//! The 新旧対照表 as a web page, with the main page's style sheet and accessibility: a table per goal with
//! 旧 | 新 columns and row headers naming the change and its place; deleted characters struck
//! through (`<del>`), inserted ones underlined (`<ins>`), each also announced in words for
//! screen readers, so nothing rests on colour or line style alone.

use crate::compare::{Change, Comparison, GoalSummary, Segment};
use crate::write::html::{Download, Html, end_page, open_table, start_page};

/// Styles the comparison adds to the main page's.
const EXTRA_CSS: &str = r#"
.vh {
  position: absolute;
  width: 1px;
  height: 1px;
  margin: -1px;
  padding: 0;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
  border: 0;
}
del { text-decoration: line-through; text-decoration-thickness: 2px; }
ins { text-decoration: underline; text-decoration-thickness: 2px; text-underline-offset: 0.2em; }
.legend del, .legend ins { padding: 0 0.25em; }
.shinkyu td { position: relative; } /* holds the hidden labels inside the scrolling region */
.shinkyu thead th:nth-child(1) { width: 30%; }
.shinkyu thead th:nth-child(2), .shinkyu thead th:nth-child(3) { width: 35%; }
.kind { display: block; font-weight: bold; }
.nowrap { white-space: nowrap; }
.place { display: block; }
"#;

/// Write the 新旧対照表 page, linking `files` (the same table as PDF and CSV) near the top.
pub fn write(cmp: &Comparison, files: &[Download]) -> Vec<u8> {
    let title = match &cmp.organisation {
        Some(o) => format!("{} 新旧対照表｜{o}", cmp.new_title),
        None => format!("{} 新旧対照表", cmp.new_title),
    };
    let description = format!(
        "{}から{}への変更 {} 件の新旧対照表。",
        cmp.old_name.ja,
        cmp.new_name.ja,
        cmp.changes.len()
    );
    let mut h = start_page(
        &title,
        &description,
        EXTRA_CSS,
        cmp.organisation.as_deref().unwrap_or("地方版総合戦略"),
    );
    h.open("h1", &[]);
    h.text(&format!("{} ", cmp.new_title));
    h.el("span", &[("class", "nowrap")], "新旧対照表");
    h.close();
    h.nl();
    h.open("dl", &[("class", "facts")]);
    for (term, value) in [("旧", &cmp.old_name.ja), ("新", &cmp.new_name.ja)] {
        h.open("div", &[]);
        h.el("dt", &[], term);
        h.el("dd", &[], value);
        h.close();
    }
    h.close();
    h.nl();
    if !files.is_empty() {
        h.el(
            "p",
            &[("id", "files-h")],
            "この表は次のファイルでも公開しています。",
        );
        h.open(
            "ul",
            &[("class", "downloads"), ("aria-labelledby", "files-h")],
        );
        for d in files {
            h.open("li", &[]);
            h.el("a", &[("href", &d.href)], &d.link_text());
            h.close();
        }
        h.close();
        h.nl();
    }
    h.el("p", &[], &super::summary(cmp));
    h.nl();
    legend(&mut h);
    for g in &cmp.goals {
        goal_table(&mut h, cmp, g);
    }
    end_page(h, |h| {
        h.el(
            "p",
            &[("class", "generator")],
            concat!(
                "この表は kohyo ",
                env!("CARGO_PKG_VERSION"),
                " で二つの版の原稿から作成しました。"
            ),
        )
    })
    .into_bytes()
}

/// How changes are marked, shown with the marks themselves.
fn legend(h: &mut Html) {
    h.open("p", &[("class", "legend")]);
    h.text("表の見方：新旧で違う文字のうち、旧にだけある文字は");
    h.el("del", &[], "取り消し線");
    h.text("、新にだけある文字は");
    h.el("ins", &[], "下線");
    h.text("で示します（読み上げでは「削除」「追加」と読みます）。移動した項目は旧と新の位置を両方示します。");
    h.close();
    h.nl();
}

fn goal_table(h: &mut Html, cmp: &Comparison, g: &GoalSummary) {
    let goal = g.goal;
    let id = format!("g{goal}");
    h.open("section", &[("aria-labelledby", &id)]);
    h.el(
        "h2",
        &[("id", &id)],
        &format!("基本目標{goal}　{}", g.title),
    );
    h.el("p", &[], &super::goal_note(g));
    if g.changed == 0 {
        h.close();
        h.nl();
        return;
    }
    open_table(
        h,
        "strategy shinkyu",
        &format!("{id}-caption"),
        &format!("表{goal}　基本目標{goal}の新旧対照"),
    );
    h.open("thead", &[]);
    h.open("tr", &[]);
    h.el("th", &[("scope", "col")], "種別と位置");
    h.el("th", &[("scope", "col")], "旧");
    h.el("th", &[("scope", "col")], "新");
    h.close();
    h.close();
    h.nl();
    h.open("tbody", &[]);
    for c in cmp.changes.iter().filter(|c| c.goal == goal) {
        row(h, c);
    }
    h.close();
    h.close(); // table
    h.close(); // div
    h.close(); // section
    h.nl();
}

fn row(h: &mut Html, c: &Change) {
    h.open("tr", &[]);
    h.open("th", &[("scope", "row")]);
    let (kind, places) = super::row_header(c);
    h.el("span", &[("class", "kind")], &kind);
    for p in &places {
        h.el("span", &[("class", "place")], p);
    }
    h.close();
    h.open("td", &[]);
    if c.old.is_some() {
        side(h, &c.segments, false);
    } else {
        h.el("span", &[("class", "none")], "（なし）");
    }
    h.close();
    h.open("td", &[]);
    if c.new.is_some() {
        side(h, &c.segments, true);
    } else {
        h.el("span", &[("class", "none")], "（削除）");
    }
    h.close();
    h.close();
    h.nl();
}

/// One side of a change: the old text with its deleted runs, or the new with its inserted.
fn side(h: &mut Html, segments: &[Segment], new: bool) {
    for s in segments {
        match s {
            Segment::Same(t) => h.text(t),
            Segment::Deleted(t) if !new => {
                h.open("del", &[]);
                h.el("span", &[("class", "vh")], "［削除：");
                h.text(t);
                h.el("span", &[("class", "vh")], "］");
                h.close();
            }
            Segment::Inserted(t) if new => {
                h.open("ins", &[]);
                h.el("span", &[("class", "vh")], "［追加：");
                h.text(t);
                h.el("span", &[("class", "vh")], "］");
                h.close();
            }
            _ => {}
        }
    }
}

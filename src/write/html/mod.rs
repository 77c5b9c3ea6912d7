//! The web page: one self-contained, accessible HTML page per draft (WCAG 2.2 AA, JIS X
//! 8341-3:2016 AA).
//!
//! The primary view is headings and lists — 基本目標 (h2) → 施策の基本的方向 (h3) → 具体的な施策
//! (h4) → 事業例 (a labelled list) — because a four-level table with merged cells is hard to
//! follow by ear; a table view per goal follows, every data cell tied to its headers with
//! `id`/`headers`. Inline CSS, no script, no external requests. Markup goes through [`Html`],
//! which escapes every text and attribute value it is given: draft text cannot become markup.

mod indicators;

use super::{funding_text, measure_label, related_text, title_of};
use crate::model::{Goal, Project, Strategy};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use quick_xml::escape::{escape, partial_escape};

/// A file the page links to for download (the PDF, the CSV files), with its size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Download {
    /// What the file holds, e.g. 「計画書（表形式）」.
    pub label: String,
    /// The format shown in the link text, e.g. `PDF`, `CSV`.
    pub format: &'static str,
    /// The link, relative to the page.
    pub href: String,
    /// The file's size in bytes.
    pub bytes: u64,
}

impl Download {
    /// The link text: label, format and size in kilobytes (rounded up), e.g.
    /// 「計画書 PDF（96KB）」.
    pub fn link_text(&self) -> String {
        format!(
            "{} {}（{}）",
            self.label,
            self.format,
            size_text(self.bytes)
        )
    }
}

/// A file name as one URL path segment: everything but unreserved ASCII percent-encoded, so a
/// draft folder named 「苫小牧 市#2」 still links right.
pub fn href_of(file_name: &str) -> String {
    const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    utf8_percent_encode(file_name, SEGMENT).to_string()
}

/// A size as Japanese sites write it: KB (1,024 bytes) rounded up, MB above 1,024 KB.
pub fn size_text(bytes: u64) -> String {
    let kb = bytes.div_ceil(1024).max(1);
    if kb < 1024 {
        format!("{kb}KB")
    } else {
        format!("{:.1}MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// What the page needs besides the model: the files it links to.
#[derive(Clone, Debug, Default)]
pub struct HtmlSettings {
    /// The downloads, in the order listed.
    pub downloads: Vec<Download>,
}

/// The page's style sheet: light and dark schemes, reflow down to 320 CSS px, print rules.
/// Our own constant (never draft text); it holds no `<`, so it cannot end the `<style>` early.
pub(crate) const CSS: &str = include_str!("html.css");

/// A small typed HTML builder: element and attribute names are `'static` (never draft text);
/// every text and attribute value is escaped on the way in.
pub(crate) struct Html {
    pub(crate) out: String,
    open: Vec<&'static str>,
}

/// Elements with no end tag.
const VOID: &[&str] = &["meta", "link", "br", "hr", "img", "input"];

impl Html {
    pub(crate) fn new() -> Html {
        Html {
            out: String::with_capacity(64 * 1024),
            open: Vec::new(),
        }
    }

    pub(crate) fn start_tag(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            self.out.push_str(&escape(clean(value).as_str()));
            self.out.push('"');
        }
        self.out.push('>');
    }

    /// Open `tag`; [`Html::close`] closes it.
    pub(crate) fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        debug_assert!(!VOID.contains(&tag), "{tag} is void");
        self.start_tag(tag, attrs);
        self.open.push(tag);
    }

    /// Close the innermost open element.
    pub(crate) fn close(&mut self) {
        if let Some(tag) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(tag);
            self.out.push('>');
        }
    }

    /// An element with no content and no end tag.
    pub(crate) fn void(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        debug_assert!(VOID.contains(&tag), "{tag} is not void");
        self.start_tag(tag, attrs);
    }

    /// Text content, escaped.
    pub(crate) fn text(&mut self, s: &str) {
        self.out.push_str(&partial_escape(clean(s).as_str()));
    }

    /// `<tag attrs>text</tag>`.
    pub(crate) fn el(&mut self, tag: &'static str, attrs: &[(&'static str, &str)], text: &str) {
        self.open(tag, attrs);
        self.text(text);
        self.close();
    }

    /// A line break in the source, between block elements (never inside inline text).
    pub(crate) fn nl(&mut self) {
        self.out.push('\n');
    }

    pub(crate) fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out.push('\n');
        self.out
    }
}

/// Text with the characters HTML forbids (C0/C1 controls other than tab and line breaks,
/// noncharacters) replaced by U+FFFD, so the page stays valid whatever the draft holds, and
/// bidi formatting characters left out (the readers drop them already; this is the last line).
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_control() || !crate::grid::is_hidden_control(*c))
        .map(|c| {
            let forbidden = (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                || matches!(c as u32, 0xFDD0..=0xFDEF)
                || (c as u32 & 0xFFFE) == 0xFFFE;
            if forbidden { '\u{FFFD}' } else { c }
        })
        .collect()
}

/// The page's `<title>`: 「計画名｜団体名」.
fn page_title(s: &Strategy) -> String {
    let title = title_of(s);
    let org = s
        .municipality
        .as_ref()
        .map(|m| m.name.clone())
        .or_else(|| s.publisher.as_ref().map(|p| p.name.clone()));
    match org {
        Some(o) => format!("{title}｜{o}"),
        None => title,
    }
}

fn goal_heading(g: &Goal) -> String {
    format!("基本目標{} {}", g.number, g.title)
}

/// Write the strategy as one HTML page.
pub fn write(s: &Strategy, settings: &HtmlSettings) -> Vec<u8> {
    let org = s
        .municipality
        .as_ref()
        .map(|m| format!("{}{}", m.prefecture, m.name))
        .or_else(|| s.publisher.as_ref().map(|p| p.name.clone()));
    let extra_css = if s.indicators().is_empty() {
        ""
    } else {
        indicators::CSS
    };
    let mut h = start_page(
        &page_title(s),
        &description(s),
        extra_css,
        org.as_deref().unwrap_or("地方版総合戦略"),
    );
    h.el("h1", &[], &title_of(s));
    h.nl();
    facts(&mut h, s);
    toc(&mut h, s, settings);
    for g in &s.goals {
        goal_section(&mut h, s, g);
    }
    table_view(&mut h, s);
    downloads(&mut h, s, settings);
    end_page(h, |h| footer(h, s)).into_bytes()
}

/// The page's description for search engines: counts of goals, directions and measures.
fn description(s: &Strategy) -> String {
    let mut description = format!(
        "{}の基本目標{}件、施策の基本的方向{}件、具体的な施策{}件と事業例。",
        title_of(s),
        s.goals.len(),
        s.goals.iter().map(|g| g.directions.len()).sum::<usize>(),
        s.goals
            .iter()
            .flat_map(|g| &g.directions)
            .map(|d| d.measures.len())
            .sum::<usize>()
    );
    if let Some(d) = s.date {
        description.push_str(&format!("{}公表。", d.to_japanese()));
    }
    description
}

/// Begin an HTML page in `lang`: the doctype, `<html>`, and in `<head>` (left open) the
/// charset, a zoomable viewport and `title`.
pub(crate) fn open_head(lang: &str, title: &str) -> Html {
    let mut h = Html::new();
    h.out.push_str("<!DOCTYPE html>\n");
    h.open("html", &[("lang", lang)]);
    h.nl();
    h.open("head", &[]);
    h.nl();
    h.void("meta", &[("charset", "utf-8")]);
    h.nl();
    h.void(
        "meta",
        &[
            ("name", "viewport"),
            ("content", "width=device-width, initial-scale=1"),
        ],
    );
    h.nl();
    h.el("title", &[], title);
    h.nl();
    h
}

/// Finish a page begun by [`start_page`]: close `<main>`, write the site footer (its
/// contents by `contents`) and close the document.
pub(crate) fn end_page(mut h: Html, contents: impl FnOnce(&mut Html)) -> String {
    h.close(); // main
    h.nl();
    h.open("footer", &[("class", "site")]);
    h.open("div", &[("class", "wrap")]);
    contents(&mut h);
    h.close();
    h.close();
    h.finish()
}

/// Start a kohyo page: the doctype, the head (charset, viewport, `title`, `description`,
/// generator, the style sheet plus `extra_css`), the skip link and the site header naming
/// `org`; `<main>` is left open for the page's content.
pub(crate) fn start_page(title: &str, description: &str, extra_css: &str, org: &str) -> Html {
    let mut h = open_head("ja", title);
    h.void("meta", &[("name", "description"), ("content", description)]);
    h.nl();
    h.void(
        "meta",
        &[
            ("name", "generator"),
            ("content", concat!("kohyo ", env!("CARGO_PKG_VERSION"))),
        ],
    );
    h.nl();
    h.open("style", &[]);
    h.out.push_str(CSS);
    h.out.push_str(extra_css);
    h.close();
    h.nl();
    h.close(); // head
    h.nl();
    h.open("body", &[]);
    h.nl();
    h.el(
        "a",
        &[("class", "skip-link"), ("href", "#main")],
        "本文へ移動",
    );
    h.nl();
    h.open("header", &[("class", "site")]);
    h.open("div", &[("class", "wrap")]);
    h.el("p", &[("class", "org")], org);
    h.close();
    h.close();
    h.nl();
    h.open("main", &[("id", "main"), ("class", "wrap")]);
    h.nl();
    h
}

/// The facts under the title: who, which stage, when, the period and the licence.
fn facts(h: &mut Html, s: &Strategy) {
    let mut rows: Vec<(&str, String, Option<String>)> = Vec::new();
    if let Some(m) = &s.municipality {
        rows.push(("団体", format!("{}{}", m.prefecture, m.name), None));
    } else if let Some(p) = &s.publisher {
        rows.push(("団体", p.name.clone(), None));
    }
    if let Some(st) = s.stage {
        rows.push(("策定段階", st.label().to_string(), None));
    }
    if let Some(p) = s.period {
        rows.push(("計画期間", format!("{}年度〜{}年度", p.start, p.end), None));
    }
    if let Some(d) = s.date {
        rows.push(("公表日", d.to_japanese(), Some(d.to_string())));
    }
    if rows.is_empty() {
        return;
    }
    h.open("dl", &[("class", "facts")]);
    for (term, value, datetime) in rows {
        h.open("div", &[]);
        h.el("dt", &[], term);
        h.open("dd", &[]);
        match datetime {
            Some(dt) => h.el("time", &[("datetime", &dt)], &value),
            None => h.text(&value),
        }
        h.close();
        h.close();
    }
    h.close();
    h.nl();
}

fn toc(h: &mut Html, s: &Strategy, settings: &HtmlSettings) {
    h.open("nav", &[("class", "toc"), ("aria-labelledby", "toc-title")]);
    h.el("h2", &[("id", "toc-title")], "目次");
    h.open("ol", &[]);
    for g in &s.goals {
        h.open("li", &[]);
        h.el(
            "a",
            &[("href", &format!("#goal-{}", g.number))],
            &goal_heading(g),
        );
        h.close();
    }
    if !s.goals.is_empty() {
        h.open("li", &[]);
        h.el("a", &[("href", "#table-view")], "表形式で見る");
        h.close();
    }
    if !settings.downloads.is_empty() || s.license.is_some() {
        h.open("li", &[]);
        h.el("a", &[("href", "#downloads")], "ダウンロードと利用条件");
        h.close();
    }
    h.close();
    h.close();
    h.nl();
}

/// The id of a goal's section on the page.
fn goal_id(g: &Goal) -> String {
    format!("goal-{}", g.number)
}

/// The id of the heading of a goal's 数値目標.
fn targets_id(goal_id: &str) -> String {
    format!("{goal_id}-targets")
}

/// The id of the heading of the `index`th (0-based) direction of a goal.
fn direction_id(goal_id: &str, index: usize) -> String {
    format!("{goal_id}-d{}", index + 1)
}

/// The id of the heading of the `index`th (0-based) measure of a direction.
fn measure_id(direction_id: &str, index: usize) -> String {
    format!("{direction_id}-m{}", index + 1)
}

/// The id of the label of a measure's KPI.
fn kpi_id(measure_id: &str) -> String {
    format!("{measure_id}-kpi")
}

/// The id of the heading of a goal's 関連する既存事業.
fn related_id(goal_id: &str) -> String {
    format!("{goal_id}-related")
}

/// A part of the page a reader can be sent to: the heading of the item read at `origin`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// Where the item was read in the draft.
    pub origin: crate::grid::Origin,
    /// The `id` on the page (without `#`).
    pub id: String,
    /// The item as a path from its goal, e.g. 「基本目標1 › 1-1 › ①若者の市内就職の促進」.
    pub label: String,
    /// How deep the item is: 0 goal, 1 direction or 数値目標, 2 measure, 3 project or KPI.
    pub depth: u8,
}

/// Every item of the page that has a place in the draft, with the id of the heading it is
/// shown under (a project and a KPI under their measure's, an indicator under its list's),
/// in page order.
pub fn anchors(s: &Strategy) -> Vec<Anchor> {
    let mut out = Vec::new();
    let mut push = |origin: &crate::grid::Origin, id: &str, label: String, depth: u8| {
        out.push(Anchor {
            origin: origin.clone(),
            id: id.to_owned(),
            label,
            depth,
        });
    };
    for g in &s.goals {
        let gid = goal_id(g);
        let glabel = format!("基本目標{}", g.number);
        push(&g.source, &gid, goal_heading(g), 0);
        for i in &g.indicators {
            push(
                &i.source,
                &targets_id(&gid),
                format!("{glabel} › 数値目標 › {}", i.name),
                1,
            );
        }
        for (di, d) in g.directions.iter().enumerate() {
            let did = direction_id(&gid, di);
            let dlabel = format!("{glabel} › {}", d.code);
            push(
                &d.source,
                &did,
                format!("{glabel} › {} {}", d.code, d.title),
                1,
            );
            for (mi, m) in d.measures.iter().enumerate() {
                let mid = measure_id(&did, mi);
                let mlabel = format!("{dlabel} › {}{}", measure_label(m.number), m.title);
                push(&m.source, &mid, mlabel.clone(), 2);
                for p in &m.projects {
                    push(&p.source, &mid, format!("{mlabel} › {}", p.title), 3);
                }
                for i in &m.indicators {
                    push(
                        &i.source,
                        &kpi_id(&mid),
                        format!("{mlabel} › KPI › {}", i.name),
                        3,
                    );
                }
            }
        }
        if let Some(r) = s.related.iter().find(|r| r.goal == g.number) {
            let rid = related_id(&gid);
            push(&r.source, &rid, format!("{glabel} › 関連する既存事業"), 1);
            for p in &r.projects {
                push(
                    &p.source,
                    &rid,
                    format!("{glabel} › 関連する既存事業 › {}", p.title),
                    2,
                );
            }
        }
    }
    out
}

fn goal_section(h: &mut Html, s: &Strategy, g: &Goal) {
    let gid = goal_id(g);
    let hid = format!("{gid}-h");
    h.open("section", &[("id", &gid), ("aria-labelledby", &hid)]);
    h.nl();
    h.open("h2", &[("id", &hid)]);
    h.el(
        "span",
        &[("class", "num")],
        &format!("基本目標{}", g.number),
    );
    h.text(" ");
    h.text(&g.title);
    h.close();
    h.nl();
    if !g.indicators.is_empty() {
        let tid = targets_id(&gid);
        h.open("div", &[("class", "targets")]);
        h.el(
            "h3",
            &[("id", &tid)],
            &format!("基本目標{}の数値目標", g.number),
        );
        indicators::list(h, &g.indicators, &tid, &tid);
        h.close();
        h.nl();
    }
    for (di, d) in g.directions.iter().enumerate() {
        let did = direction_id(&gid, di);
        h.open("div", &[("class", "direction")]);
        h.open("h3", &[("id", &did)]);
        h.el("span", &[("class", "num")], &d.code);
        h.text(" ");
        h.text(&d.title);
        h.close();
        h.nl();
        for (mi, m) in d.measures.iter().enumerate() {
            let mid = measure_id(&did, mi);
            let lid = format!("{mid}-l");
            h.open("div", &[("class", "measure")]);
            h.open("h4", &[("id", &mid)]);
            h.el("span", &[("class", "num")], &measure_label(m.number));
            h.text(&m.title);
            h.close();
            h.el("p", &[("class", "list-label"), ("id", &lid)], "事業例");
            if m.projects.is_empty() {
                h.el("p", &[("class", "none")], "（事業例の記載はありません）");
            } else {
                h.open(
                    "ul",
                    &[
                        ("class", "projects"),
                        ("aria-labelledby", &format!("{mid} {lid}")),
                    ],
                );
                project_items(h, &m.projects);
                h.close();
            }
            if !m.indicators.is_empty() {
                let kid = kpi_id(&mid);
                h.el(
                    "p",
                    &[("class", "list-label"), ("id", &kid)],
                    "重要業績評価指標（KPI）",
                );
                indicators::list(h, &m.indicators, &kid, &format!("{mid} {kid}"));
            }
            h.close(); // measure
            h.nl();
        }
        h.close(); // direction
        h.nl();
    }
    if let Some(r) = s.related.iter().find(|r| r.goal == g.number) {
        let rid = related_id(&gid);
        h.open("div", &[("class", "related")]);
        h.el(
            "h3",
            &[("id", &rid)],
            &format!("基本目標{}の関連する既存事業", g.number),
        );
        h.open(
            "ul",
            &[("class", "related-list"), ("aria-labelledby", &rid)],
        );
        for p in &r.projects {
            h.el("li", &[], &related_text(p));
        }
        h.close();
        h.close();
        h.nl();
    }
    h.close(); // goal section
    h.nl();
}

/// The 事業例 as list items, each with its grant types as a labelled badge of text.
fn project_items(h: &mut Html, projects: &[Project]) {
    for p in projects {
        h.open("li", &[]);
        h.text(&p.title);
        let grants = funding_text(p);
        if !grants.is_empty() {
            h.el("span", &[("class", "grant")], &grants);
        }
        h.close();
    }
}

fn table_view(h: &mut Html, s: &Strategy) {
    if s.goals.is_empty() {
        return;
    }
    h.open(
        "section",
        &[("id", "table-view"), ("aria-labelledby", "table-view-h")],
    );
    h.el("h2", &[("id", "table-view-h")], "表形式で見る");
    h.el(
        "p",
        &[],
        "基本目標ごとの表です。表が画面に収まらないときは、表の部分を横にスクロールできます。",
    );
    h.nl();
    for g in &s.goals {
        let t = format!("t{}", g.number);
        open_table(
            h,
            "strategy",
            &format!("{t}-caption"),
            &format!("表{}　{}", g.number, goal_heading(g)),
        );
        let (hd, hm, hp) = (format!("{t}-dir"), format!("{t}-mea"), format!("{t}-prj"));
        let hk = format!("{t}-kpi");
        let kpis = g
            .directions
            .iter()
            .flat_map(|d| &d.measures)
            .any(|m| !m.indicators.is_empty());
        h.open("thead", &[]);
        h.open("tr", &[]);
        h.el("th", &[("id", &hd)], "施策の基本的方向");
        h.el("th", &[("id", &hm)], "具体的な施策");
        h.el("th", &[("id", &hp)], "事業例");
        if kpis {
            h.el("th", &[("id", &hk)], "重要業績評価指標（KPI）");
        }
        h.close();
        h.close();
        h.nl();
        h.open("tbody", &[]);
        for (di, d) in g.directions.iter().enumerate() {
            let did = format!("{t}-d{}", di + 1);
            let rows = d.measures.len().max(1).to_string();
            h.open("tr", &[]);
            h.open("th", &[("id", &did), ("headers", &hd), ("rowspan", &rows)]);
            h.text(&format!("{} {}", d.code, d.title));
            h.close();
            if d.measures.is_empty() {
                h.el("td", &[("headers", &format!("{hm} {did}"))], "—");
                h.el("td", &[("headers", &format!("{hp} {did}"))], "—");
                if kpis {
                    h.el("td", &[("headers", &format!("{hk} {did}"))], "—");
                }
                h.close();
            }
            for (mi, m) in d.measures.iter().enumerate() {
                if mi > 0 {
                    h.open("tr", &[]);
                }
                let mid = format!("{did}-m{}", mi + 1);
                h.el(
                    "th",
                    &[("id", &mid), ("headers", &format!("{hm} {did}"))],
                    &format!("{}{}", measure_label(m.number), m.title),
                );
                h.open("td", &[("headers", &format!("{hp} {did} {mid}"))]);
                if m.projects.is_empty() {
                    h.text("—");
                } else {
                    h.open("ul", &[]);
                    project_items(h, &m.projects);
                    h.close();
                }
                h.close(); // td
                if kpis {
                    h.open("td", &[("headers", &format!("{hk} {did} {mid}"))]);
                    if m.indicators.is_empty() {
                        h.text("—");
                    } else {
                        indicators::cell_items(h, &m.indicators);
                    }
                    h.close();
                }
                h.close(); // tr
                h.nl();
            }
        }
        h.close(); // tbody
        h.close(); // table
        h.close(); // scroll region
        h.nl();
        if !g.indicators.is_empty() {
            targets_table(h, g);
        }
    }
    h.close();
    h.nl();
}

/// A goal's 数値目標 as a table: 指標 | 基準値 | 目標値 | 備考, the indicator a row header.
fn targets_table(h: &mut Html, g: &Goal) {
    let t = format!("t{}n", g.number);
    open_table(
        h,
        "strategy targets",
        &format!("{t}-caption"),
        &format!("表{}の2　基本目標{}の数値目標", g.number, g.number),
    );
    let actuals = g.indicators.iter().any(|i| !i.actuals.is_empty());
    let mut heads = vec![
        (format!("{t}-name"), "数値目標"),
        (format!("{t}-base"), "基準値"),
    ];
    if actuals {
        heads.push((format!("{t}-actual"), "実績値"));
    }
    heads.push((format!("{t}-goal"), "目標値"));
    heads.push((format!("{t}-note"), "備考"));
    h.open("thead", &[]);
    h.open("tr", &[]);
    for (id, text) in &heads {
        h.el("th", &[("id", id)], text);
    }
    h.close();
    h.close();
    h.open("tbody", &[]);
    for (k, i) in g.indicators.iter().enumerate() {
        let rid = format!("{t}-r{}", k + 1);
        let unit = i.unit.as_deref();
        h.open("tr", &[]);
        h.el("th", &[("id", &rid), ("headers", &heads[0].0)], &i.name);
        let cell = |o: &Option<crate::model::Observation>| {
            o.as_ref()
                .map(|o| super::observation_text(o, unit))
                .unwrap_or_else(|| "—".to_string())
        };
        for (id, head) in &heads[1..] {
            let headers = format!("{id} {rid}");
            match *head {
                "基準値" => h.el("td", &[("headers", &headers)], &cell(&i.baseline)),
                "目標値" => h.el("td", &[("headers", &headers)], &cell(&i.target)),
                "実績値" => {
                    h.open("td", &[("headers", &headers)]);
                    if i.actuals.is_empty() {
                        h.text("—");
                    }
                    for (n, a) in i.actuals.iter().enumerate() {
                        if n > 0 {
                            h.void("br", &[]);
                        }
                        h.text(&super::observation_text(a, unit));
                    }
                    h.close();
                }
                _ => h.el(
                    "td",
                    &[("headers", &headers)],
                    i.note.as_deref().unwrap_or("—"),
                ),
            }
        }
        h.close();
        h.nl();
    }
    h.close(); // tbody
    h.close(); // table
    h.close(); // scroll region
    h.nl();
}

fn downloads(h: &mut Html, s: &Strategy, settings: &HtmlSettings) {
    if settings.downloads.is_empty() && s.license.is_none() {
        return;
    }
    h.open(
        "section",
        &[("id", "downloads"), ("aria-labelledby", "downloads-h")],
    );
    h.el("h2", &[("id", "downloads-h")], "ダウンロードと利用条件");
    if !settings.downloads.is_empty() {
        h.open("ul", &[("class", "downloads")]);
        for d in &settings.downloads {
            h.open("li", &[]);
            h.el("a", &[("href", &d.href)], &d.link_text());
            h.close();
        }
        h.close();
    }
    if let Some(l) = s.license {
        h.open("p", &[]);
        h.text("このページと上のファイルは、");
        h.el("a", &[("href", l.url()), ("rel", "license")], l.name_ja());
        h.text("の下に提供されています。");
        h.close();
    }
    h.close();
    h.nl();
}

/// Open a table in a focusable region that scrolls sideways on a narrow screen, named by its
/// caption; the caller writes the rows and closes the table and the region.
pub(crate) fn open_table(h: &mut Html, class: &str, caption_id: &str, caption: &str) {
    h.open(
        "div",
        &[
            ("class", "scroll"),
            ("tabindex", "0"),
            ("role", "region"),
            ("aria-labelledby", caption_id),
        ],
    );
    h.open("table", &[("class", class)]);
    // The caption is as wide as the table; its text wraps at the screen's width and stays in
    // view while the table scrolls sideways.
    h.open("caption", &[("id", caption_id)]);
    h.el("span", &[("class", "cap")], caption);
    h.close();
}

/// The footer's contents: the credit, the contact and the generator.
fn footer(h: &mut Html, s: &Strategy) {
    let publisher = s
        .publisher
        .as_ref()
        .map(|p| p.name.clone())
        .or_else(|| s.municipality.as_ref().map(|m| m.name.clone()));
    if let Some(p) = &publisher {
        let mut credit = format!("出典：{p}「{}」", title_of(s));
        if let Some(d) = s.date {
            credit.push_str(&format!("（{}公表）", d.to_japanese()));
        }
        h.el("p", &[], &credit);
    }
    if let Some(p) = &s.publisher {
        let mut contact = String::new();
        if let Some(sec) = &p.section {
            contact.push_str(&format!("担当：{} {sec}", p.name));
        }
        if !contact.is_empty() {
            h.el("p", &[], &contact);
        }
        if let Some(c) = &p.contact {
            h.open("p", &[]);
            h.text("問い合わせ先：");
            h.text(c);
            h.close();
        }
    }
    h.el(
        "p",
        &[("class", "generator")],
        concat!(
            "このページは kohyo ",
            env!("CARGO_PKG_VERSION"),
            " で原稿から作成しました。"
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Direction, Measure, Project};

    fn strategy(project: &str) -> Strategy {
        Strategy {
            title: Some("テスト市総合戦略".into()),
            goals: vec![Goal {
                number: 1,
                title: "目標".into(),
                directions: vec![Direction {
                    code: "1-1".into(),
                    title: "方向".into(),
                    measures: vec![Measure {
                        number: 1,
                        title: "施策".into(),
                        projects: vec![Project {
                            title: project.into(),
                            ..Project::default()
                        }],
                        ..Measure::default()
                    }],
                    ..Direction::default()
                }],
                ..Goal::default()
            }],
            ..Strategy::default()
        }
    }

    fn page(project: &str) -> String {
        String::from_utf8(write(&strategy(project), &HtmlSettings::default())).expect("utf-8")
    }

    #[test]
    fn every_anchor_is_an_id_of_the_page() {
        let mut s = strategy("事業");
        s.goals[0].indicators.push(crate::model::Indicator {
            name: "転入者数".into(),
            ..Default::default()
        });
        s.goals[0].directions[0].measures[0]
            .indicators
            .push(crate::model::Indicator {
                name: "相談件数".into(),
                ..Default::default()
            });
        s.related.push(crate::model::RelatedGroup {
            goal: 1,
            projects: vec![crate::model::RelatedProject {
                title: "既存".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
        let p = String::from_utf8(write(&s, &HtmlSettings::default())).expect("utf-8");
        let a = anchors(&s);
        let ids: Vec<&str> = a.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "goal-1",
                "goal-1-targets",
                "goal-1-d1",
                "goal-1-d1-m1",
                "goal-1-d1-m1",
                "goal-1-d1-m1-kpi",
                "goal-1-related",
                "goal-1-related"
            ]
        );
        for id in ids {
            assert!(
                p.contains(&format!("id=\"{id}\"")),
                "{id} is not on the page"
            );
        }
        assert_eq!(a[4].label, "基本目標1 › 1-1 › ①施策 › 事業");
    }

    #[test]
    fn draft_text_cannot_become_markup() {
        let p = page(r#"<script>alert(1)</script>"><img src=x onerror=alert(1)>"#);
        assert!(!p.contains("<script"), "{p}");
        assert!(!p.contains("<img"), "{p}");
        assert!(p.contains("&lt;script&gt;alert(1)&lt;/script&gt;\"&gt;&lt;img src=x"));
    }

    #[test]
    fn attribute_values_are_escaped() {
        let mut h = Html::new();
        h.el("a", &[("href", "\"><script>x</script>")], "t");
        assert_eq!(
            h.finish(),
            "<a href=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">t</a>\n"
        );
    }

    #[test]
    fn forbidden_characters_become_replacement_characters() {
        assert_eq!(
            clean("a\u{0}b\u{7}c\u{9f}d\u{FFFF}e\u{FDD0}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}"
        );
        assert_eq!(clean("改行\nと\tタブ"), "改行\nと\tタブ");
        assert_eq!(clean("a\u{202E}b\u{2066}c"), "abc", "bidi formatting goes");
    }

    #[test]
    fn the_style_sheet_cannot_close_its_element() {
        assert!(!CSS.contains('<'));
        assert!(
            !CSS.contains("::before") && !CSS.contains("counter("),
            "numbers are text"
        );
    }

    #[test]
    fn file_names_become_path_segments() {
        assert_eq!(href_of("tomakomai.pdf"), "tomakomai.pdf");
        assert_eq!(
            href_of("苫小牧 市#2.pdf"),
            "%E8%8B%AB%E5%B0%8F%E7%89%A7%20%E5%B8%82%232.pdf"
        );
    }

    #[test]
    fn sizes_round_up_to_kilobytes() {
        assert_eq!(size_text(0), "1KB");
        assert_eq!(size_text(97_483), "96KB");
        assert_eq!(size_text(1024), "1KB");
        assert_eq!(size_text(1025), "2KB");
        assert_eq!(size_text(3 * 1024 * 1024), "3.0MB");
    }

    #[test]
    fn elements_close_in_order() {
        let p = page("事業");
        assert!(p.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"));
        assert!(
            p.ends_with("</footer></body></html>\n"),
            "{}",
            &p[p.len() - 80..]
        );
        assert_eq!(
            p.matches("<section").count(),
            p.matches("</section>").count()
        );
        assert_eq!(p.matches("<ul").count(), p.matches("</ul>").count());
    }
}

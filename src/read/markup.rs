//! Cell content from HTML: shared by the HTML reader (table cells of a page) and the text
//! export (whose cells hold HTML fragments). `<li>` becomes a list item; `<p>`, `<div>` and
//! `<br>` separate lines; ruby readings (`<rt>`, `<rp>`), scripts and nested tables are left out.

use crate::grid::Line;
use scraper::{ElementRef, Html, Node};

/// The lines of an HTML fragment, such as one cell of the text export.
pub fn fragment_lines(html: &str) -> Vec<Line> {
    if !html.contains('<') && !html.contains('&') {
        return vec![Line::para(html)];
    }
    let doc = Html::parse_fragment(html);
    element_lines(doc.root_element())
}

/// The lines of an element's content (a `<td>`, a fragment's root).
pub fn element_lines(el: ElementRef<'_>) -> Vec<Line> {
    let mut acc = Acc::default();
    walk(el, &mut acc);
    acc.flush();
    acc.lines
}

#[derive(Default)]
struct Acc {
    lines: Vec<Line>,
    buf: String,
    /// How deep the walk is: past [`crate::limits::MAX_HTML_DEPTH`] the rest is taken as plain
    /// text (iteratively), so absurd nesting cannot overflow the stack.
    depth: usize,
}

impl Acc {
    fn flush(&mut self) {
        let text = source_spaces(&self.buf);
        if !text.trim().is_empty() {
            self.lines.push(Line::para(text));
        }
        self.buf.clear();
    }
}

/// HTML source formatting: a whitespace run that contains a line break is one space.
fn source_spaces(s: &str) -> String {
    if !s.contains(['\n', '\r']) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    for c in s.chars() {
        if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
            run.push(c);
        } else {
            if !run.is_empty() {
                out.push_str(if run.contains(['\n', '\r']) {
                    " "
                } else {
                    &run
                });
                run.clear();
            }
            out.push(c);
        }
    }
    if !run.is_empty() {
        out.push(' ');
    }
    out
}

const SKIPPED: &[&str] = &[
    "script", "style", "template", "rt", "rp", "table", "noscript", "head", "title",
];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dd",
    "dt",
    "dl",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "address",
    "pre",
    "figure",
    "figcaption",
    "caption",
    "hr",
    "tr",
    "td",
    "th",
];

fn walk(el: ElementRef<'_>, acc: &mut Acc) {
    if acc.depth >= crate::limits::MAX_HTML_DEPTH {
        acc.buf.extend(el.text());
        return;
    }
    acc.depth += 1;
    walk_children(el, acc);
    acc.depth -= 1;
}

fn walk_children(el: ElementRef<'_>, acc: &mut Acc) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => acc.buf.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                if SKIPPED.contains(&name) {
                    continue;
                }
                match name {
                    "br" => acc.flush(),
                    "ul" | "ol" | "menu" => {
                        acc.flush();
                        list(child_el, acc);
                    }
                    "li" => {
                        acc.flush();
                        item(child_el, acc);
                    }
                    _ if BLOCKS.contains(&name) => {
                        acc.flush();
                        walk(child_el, acc);
                        acc.flush();
                    }
                    _ => walk(child_el, acc),
                }
            }
            _ => {}
        }
    }
}

fn list(el: ElementRef<'_>, acc: &mut Acc) {
    for child in el.children() {
        match child.value() {
            Node::Element(e) if e.name() == "li" => {
                if let Some(li) = ElementRef::wrap(child) {
                    item(li, acc);
                }
            }
            Node::Element(e) if SKIPPED.contains(&e.name()) => {}
            Node::Element(_) => {
                // Stray content directly in a list: treat it as its own lines.
                if let Some(other) = ElementRef::wrap(child) {
                    walk(other, acc);
                    acc.flush();
                }
            }
            Node::Text(t) => acc.buf.push_str(t),
            _ => {}
        }
    }
    acc.flush();
}

/// One `<li>`: its own text (line breaks inside join with a space) is one item; nested
/// lists add their own items after it.
fn item(li: ElementRef<'_>, acc: &mut Acc) {
    let mut inner = Acc {
        depth: acc.depth + 1,
        ..Acc::default()
    };
    walk(li, &mut inner);
    inner.flush();
    let mut own = String::new();
    let mut rest = Vec::new();
    for line in inner.lines {
        if line.item {
            rest.push(line);
        } else {
            if !own.is_empty() {
                own.push(' ');
            }
            own.push_str(line.text.trim());
        }
    }
    if !own.trim().is_empty() {
        acc.lines.push(Line::item(own));
    }
    acc.lines.extend(rest);
}

/// How deeply the elements of `doc` nest, counted without recursion.
pub fn depth(doc: &Html) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(doc.tree.root(), 0usize)];
    while let Some((node, d)) = stack.pop() {
        deepest = deepest.max(d);
        for child in node.children() {
            stack.push((child, d + 1));
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{Cell, Origin};

    #[test]
    fn absurd_nesting_is_flattened_not_a_stack_overflow() {
        let n = 100_000;
        let html = format!("{}深い{}", "<span>".repeat(n), "</span>".repeat(n));
        let lines = fragment_lines(&html);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text, "深い");
        let nested_lists = format!(
            "{}項目{}",
            "<ul><li>".repeat(2_000),
            "</li></ul>".repeat(2_000)
        );
        let lines = fragment_lines(&nested_lists);
        assert!(lines.iter().any(|l| l.text.contains("項目")));
        assert!(depth(&Html::parse_fragment(&html)) > crate::limits::MAX_HTML_DEPTH);
    }

    fn items(html: &str) -> Vec<String> {
        Cell::new(fragment_lines(html), Origin::file("t")).items()
    }

    #[test]
    fn seed_list_cell() {
        let cell = r#"<ul style="list-style-type: none"> <li>就業支援事業（先行型）</li> <li>市内企業の認知向上支援事業</li> </ul>"#;
        assert_eq!(
            items(cell),
            vec!["就業支援事業（先行型）", "市内企業の認知向上支援事業"]
        );
    }

    #[test]
    fn seed_paragraph_with_lost_bullets() {
        let cell = "<p> ヒーリングスポットとしての苫小牧の魅力造成事業  知的好奇心を満たす苫小牧の過ごし方の提案事業  地域コミュニティーポイント事業</p>";
        assert_eq!(
            items(cell),
            vec![
                "ヒーリングスポットとしての苫小牧の魅力造成事業",
                "知的好奇心を満たす苫小牧の過ごし方の提案事業",
                "地域コミュニティーポイント事業"
            ]
        );
    }

    #[test]
    fn plain_text_and_entities() {
        assert_eq!(fragment_lines("地元企業"), vec![Line::para("地元企業")]);
        let c = Cell::new(fragment_lines("<p>A&amp;B&nbsp;C</p>"), Origin::file("t"));
        assert_eq!(c.text(), "A&B C");
    }

    #[test]
    fn br_separated_bullets_and_unclosed_li() {
        assert_eq!(
            items("・A事業<br>・B事業<br/>・C事業"),
            vec!["A事業", "B事業", "C事業"]
        );
        assert_eq!(items("<ul><li>A<li>B</ul>"), vec!["A", "B"]);
    }

    #[test]
    fn ruby_and_scripts_do_not_leak() {
        let c = Cell::new(
            fragment_lines(
                "<ruby>苫小牧<rp>(</rp><rt>とまこまい</rt><rp>)</rp></ruby>市<script>x()</script>",
            ),
            Origin::file("t"),
        );
        assert_eq!(c.text(), "苫小牧市");
    }

    #[test]
    fn source_newlines_are_one_space() {
        let c = Cell::new(
            fragment_lines("<p>\n   Open\n   Data  事業\n</p>"),
            Origin::file("t"),
        );
        assert_eq!(c.items(), vec!["Open Data", "事業"]);
    }
}

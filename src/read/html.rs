//! HTML pages, through html5ever (scraper).
//!
//! Every `<table>` of the page, nested layout tables included, becomes one [`Grid`] built with
//! HTML's own table model (`rowspan`/`colspan` take slots, `tfoot` rows come last). Each grid
//! carries the last `<h1>`–`<h6>` before it; the page's `<title>`, minus the site name, is the
//! document title.
//!
//! html5ever gives no source positions, so a light scan of the decoded text finds the start tags
//! of cells, headings and the title (outside comments, scripts, styles and other raw text) and
//! tags each one with a marker attribute carrying its index in the scan before parsing. A
//! parsed element's marker therefore names exactly the start tag that made it; when the scan
//! and the parser disagree about what is markup, the page is parsed again without markers and
//! the cells point at the whole file rather than at a wrong place.

use super::{ReadOutput, decode, markup};
use crate::diag::{Diagnostic, SourceMap};
use crate::grid::{Cell, Grid, GridBuilder, Origin, Raw, clean};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use scraper::{ElementRef, Html, Node};

/// How many bytes the charset prescan looks at, as browsers do.
const PRESCAN_LIMIT: usize = 1024;
/// The attribute that ties a parsed element to its start tag in the scan.
const MARKER: &str = "data-kohyo-src-at";
/// Start tags whose position is recorded: cells, headings and the title.
const MARKED: &[&str] = &["td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "title"];
/// Tags that end a cell's source text.
const CELL_BOUNDARY: &[&str] = &[
    "td", "th", "tr", "table", "thead", "tbody", "tfoot", "caption", "colgroup", "col", "body",
    "html",
];
/// Elements whose content the tokenizer reads as text, never as tags.
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];
/// Spans beyond this are typing mistakes; HTML itself caps `colspan` at 1000.
const MAX_SPAN: u32 = 1000;
const HTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// Read an HTML page: every table becomes a grid, in document order.
pub fn read(bytes: &[u8], file: &str) -> Result<ReadOutput, Diagnostic> {
    let declared = if decode::bom(bytes).is_some() {
        None
    } else {
        prescan_charset(bytes)
    };
    let text = decode_page(bytes, file, declared)?;
    let mut page = Page::new(&text, file);
    let doc = page.parse();
    let depth = markup::depth(&doc);
    if depth > crate::limits::MAX_HTML_DEPTH {
        return Err(crate::limits::exceeded(
            Origin::file(file),
            &format!("HTML の要素の入れ子の深さ（{depth}）"),
            &format!("the nesting depth of the HTML elements ({depth})"),
            crate::limits::MAX_HTML_DEPTH,
        ));
    }

    let mut out = ReadOutput::default();
    let mut heading: Option<(String, Origin)> = None;
    for node in doc.tree.root().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        if !is_html(el) || in_template(el) {
            continue;
        }
        match el.value().name() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let origin = page.origin(el);
                let text = Cell::new(markup::element_lines(el), origin.clone()).text();
                if !text.is_empty() {
                    heading = Some((text, origin));
                }
            }
            "title" if out.title.is_none() => {
                let raw: String = el.text().collect();
                if let Some(title) = strip_site_name(&clean(&raw)) {
                    out.title = Some((title, page.origin(el)));
                }
            }
            "table" => out.grids.push(page.table(el, heading.clone())?),
            _ => {}
        }
    }
    let mut sources = SourceMap::default();
    sources.add_text(file, text);
    out.sources = sources;
    Ok(out)
}

/// Decode with the BOM or the declared charset. A page that declares a legacy charset but was
/// saved as UTF-8 (an editor converted it and left the `<meta>` alone) is read as UTF-8 when
/// the declared charset cannot decode it and UTF-8 can; other undecodable bytes are K003.
fn decode_page(
    bytes: &[u8],
    file: &str,
    declared: Option<&'static Encoding>,
) -> Result<String, Diagnostic> {
    match decode::decode(bytes, file, declared) {
        Ok(d) => Ok(d.text),
        Err(e) => {
            if declared.is_some_and(|d| d != UTF_8) && std::str::from_utf8(bytes).is_ok() {
                decode::decode(bytes, file, Some(UTF_8)).map(|d| d.text)
            } else {
                Err(e)
            }
        }
    }
}

fn is_html(el: ElementRef<'_>) -> bool {
    &*el.value().name.ns == HTML_NS
}

/// Template contents are inert: never shown, so never part of the draft.
fn in_template(el: ElementRef<'_>) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().name() == "template" && is_html(a))
}

/// The decoded page with the start tags found by the scan.
struct Page<'a> {
    text: &'a str,
    file: &'a str,
    tags: Vec<Tag>,
    line_starts: Vec<usize>,
    /// False when positions could not be tied to elements (every origin is the whole file).
    marked: bool,
}

impl<'a> Page<'a> {
    fn new(text: &'a str, file: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Page {
            text,
            file,
            tags: scan_tags(text),
            line_starts,
            marked: false,
        }
    }

    /// Parse the page with markers on the recorded start tags, or without them when the page
    /// already uses the marker's name or the scan misread the markup.
    fn parse(&mut self) -> Html {
        if self.text.to_ascii_lowercase().contains(MARKER) {
            return Html::parse_document(self.text);
        }
        let mut marked = String::with_capacity(self.text.len() + self.tags.len() * 32);
        let mut last = 0;
        for (i, tag) in self.tags.iter().enumerate() {
            if tag.closing || !MARKED.contains(&tag.name.as_str()) {
                continue;
            }
            marked.push_str(&self.text[last..tag.name_end]);
            marked.push_str(&format!(" {MARKER}=\"{i}\""));
            last = tag.name_end;
        }
        marked.push_str(&self.text[last..]);
        let doc = Html::parse_document(&marked);
        if marker_leaked(&doc) {
            return Html::parse_document(self.text);
        }
        self.marked = true;
        doc
    }

    /// The recorded start tag that made `el`, if the scan and the parser agree on it.
    fn tag_of(&self, el: ElementRef<'_>) -> Option<(usize, &Tag)> {
        if !self.marked {
            return None;
        }
        let index: usize = el.value().attr(MARKER)?.parse().ok()?;
        let tag = self.tags.get(index)?;
        (!tag.closing && tag.name == el.value().name()).then_some((index, tag))
    }

    /// 1-based line and character column of a byte offset.
    fn line_col(&self, offset: usize) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        (to_u32(line), to_u32(column))
    }

    /// Where an element's start tag is, or the whole file.
    fn origin(&self, el: ElementRef<'_>) -> Origin {
        match self.tag_of(el) {
            Some((_, tag)) => {
                let (line, column) = self.line_col(tag.start);
                Origin::text(self.file, line, column)
            }
            None => Origin::file(self.file),
        }
    }

    /// A cell's source text: from its start tag to the next tag that ends or starts a cell,
    /// row, section or table.
    fn raw(&self, el: ElementRef<'_>) -> Option<Raw> {
        let (index, tag) = self.tag_of(el)?;
        let end = self.tags[index + 1..]
            .iter()
            .find(|t| CELL_BOUNDARY.contains(&t.name.as_str()))
            .map_or(self.text.len(), |t| t.start);
        let (line, column) = self.line_col(tag.start);
        Some(Raw {
            text: self.text.get(tag.start..end)?.trim_end().to_string(),
            line,
            column,
        })
    }

    /// One table as a grid: its own rows only (not those of tables nested in its cells).
    fn table(
        &self,
        table: ElementRef<'_>,
        heading: Option<(String, Origin)>,
    ) -> Result<Grid, Diagnostic> {
        let mut builder = GridBuilder::new(self.file, None);
        if let Some((text, origin)) = heading {
            builder.heading(text, origin);
        }
        let mut sections: Vec<Vec<ElementRef<'_>>> = Vec::new();
        let mut footers: Vec<Vec<ElementRef<'_>>> = Vec::new();
        let mut loose: Vec<ElementRef<'_>> = Vec::new();
        for child in table.child_elements().filter(|c| is_html(*c)) {
            match child.value().name() {
                "tr" => loose.push(child),
                name @ ("thead" | "tbody" | "tfoot") => {
                    if !loose.is_empty() {
                        sections.push(std::mem::take(&mut loose));
                    }
                    let rows = rows_of(child);
                    if name == "tfoot" {
                        // HTML's table model puts footer row groups after everything else.
                        footers.push(rows);
                    } else {
                        sections.push(rows);
                    }
                }
                _ => {}
            }
        }
        if !loose.is_empty() {
            sections.push(loose);
        }
        sections.extend(footers);
        for rows in &sections {
            for (i, tr) in rows.iter().enumerate() {
                builder.start_row();
                let left = to_u32(rows.len() - i);
                for td in tr.child_elements().filter(|c| is_html(*c)) {
                    if !matches!(td.value().name(), "td" | "th") {
                        continue;
                    }
                    builder.push(self.cell(td, left));
                }
            }
        }
        builder.finish_checked()
    }

    /// One `<td>`/`<th>`, its row span clipped to the `left` rows of its row group.
    fn cell(&self, td: ElementRef<'_>, left: u32) -> Cell {
        let mut cell = Cell::new(markup::element_lines(td), self.origin(td));
        let rowspan = span(td.value().attr("rowspan"), true);
        cell.rowspan = if rowspan == 0 {
            left
        } else {
            rowspan.min(left)
        }
        .max(1);
        cell.colspan = span(td.value().attr("colspan"), false).max(1);
        if let Some(raw) = self.raw(td) {
            cell = cell.with_raw(raw);
        }
        cell
    }
}

fn rows_of(section: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    section
        .child_elements()
        .filter(|c| is_html(*c) && c.value().name() == "tr")
        .collect()
}

/// A span attribute by HTML's rules for non-negative integers ("2px" is 2): absent or invalid
/// is 1; zero stays zero only for `rowspan` (to the end of the row group); capped at 1000.
fn span(value: Option<&str>, zero_allowed: bool) -> u32 {
    let Some(v) = value else { return 1 };
    let v = v.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let v = v.strip_prefix('+').unwrap_or(v);
    let digits: &str = &v[..v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len())];
    if digits.is_empty() {
        return 1;
    }
    let n = digits
        .parse::<u64>()
        .map_or(u64::from(MAX_SPAN), |n| n.min(u64::from(MAX_SPAN)));
    let n = n as u32;
    if n == 0 && !zero_allowed { 1 } else { n }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// True when a marker ended up anywhere but as an attribute of an element the scan meant:
/// the scan took something for a tag that the parser read as text, a comment or a value.
fn marker_leaked(doc: &Html) -> bool {
    doc.tree.values().any(|node| match node {
        Node::Text(t) => t.contains(MARKER),
        Node::Comment(c) => c.contains(MARKER),
        Node::Doctype(d) => d.name().contains(MARKER) || d.public_id().contains(MARKER),
        Node::ProcessingInstruction(p) => p.data.contains(MARKER) || p.target.contains(MARKER),
        Node::Element(e) => e.attrs().any(|(name, value)| {
            value.contains(MARKER)
                || name.contains(MARKER) && (name != MARKER || !MARKED.contains(&e.name()))
        }),
        _ => false,
    })
}

/// The page title without the site name after a separator: 「苫小牧市総合戦略（骨子案）｜苫小牧市」
/// is 「苫小牧市総合戦略（骨子案）」. A pipe cuts at its first occurrence (「ページ｜課｜市」), a
/// slash or a spaced dash at its last (titles contain those more often).
pub fn strip_site_name(title: &str) -> Option<String> {
    let title = title.trim();
    let cut = title.find(['｜', '|']).or_else(|| {
        [" - ", " – ", " — ", "／", " / "]
            .iter()
            .filter_map(|s| title.rfind(s))
            .max()
    });
    let kept = match cut {
        Some(at) if !clean(&title[..at]).is_empty() => clean(&title[..at]),
        _ => clean(title),
    };
    (!kept.is_empty()).then_some(kept)
}

/// A start or end tag found by the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Tag {
    /// Lowercase tag name.
    name: String,
    /// Byte offset of the `<`.
    start: usize,
    /// Byte offset just after the name.
    name_end: usize,
    /// True for an end tag.
    closing: bool,
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The tags of a page as the HTML tokenizer sees them: comments, bogus comments, doctypes and
/// the content of raw-text elements (`<script>`, `<style>`, `<title>`, …) hold no tags.
fn scan_tags(src: &str) -> Vec<Tag> {
    let b = src.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(lt) = b
        .get(i..)
        .and_then(|s| s.iter().position(|&c| c == b'<'))
        .map(|p| p + i)
    {
        i = lt;
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            let body = i + 4;
            if b.get(body) == Some(&b'>') {
                i = body + 1;
            } else if b.get(body..body + 2) == Some(b"->") {
                i = body + 2;
            } else {
                let end = [
                    find(b, body, b"-->").map(|e| e + 3),
                    find(b, body, b"--!>").map(|e| e + 4),
                ]
                .into_iter()
                .flatten()
                .min();
                match end {
                    Some(e) => i = e,
                    None => break,
                }
            }
            continue;
        }
        let next = rest.get(1).copied().unwrap_or(0);
        let closing = next == b'/';
        let name_start = if closing { i + 2 } else { i + 1 };
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            if next == b'!' || next == b'?' || closing && b.get(i + 2) != Some(&b'>') {
                // A doctype or a bogus comment, up to the next `>`.
                match find(b, i + 1, b">") {
                    Some(e) => i = e + 1,
                    None => break,
                }
            } else if closing {
                i += 3; // `</>` is dropped.
            } else {
                i += 1; // A lone `<` is text.
            }
            continue;
        }
        let mut name_end = name_start;
        while name_end < b.len()
            && !is_ws(b[name_end])
            && b[name_end] != b'/'
            && b[name_end] != b'>'
        {
            name_end += 1;
        }
        let name = src[name_start..name_end].to_ascii_lowercase();
        let Some(end) = tag_end(b, name_end, &mut None) else {
            break; // EOF inside a tag: the tokenizer drops it.
        };
        let raw_text = !closing && RAW_TEXT.contains(&name.as_str());
        let plaintext = !closing && name == "plaintext";
        tags.push(Tag {
            name: name.clone(),
            start: i,
            name_end,
            closing,
        });
        i = end;
        if plaintext {
            break;
        }
        if raw_text {
            match find_end_tag(b, i, name.as_bytes()) {
                Some(e) => i = e,
                None => break,
            }
        }
    }
    tags
}

/// The offset of `</name` (followed by a space, `/` or `>`), any case, from `from`.
fn find_end_tag(b: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut i = from;
    loop {
        let at = find(b, i, b"</")?;
        let after = at + 2 + name.len();
        if b.get(at + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && b.get(after)
                .is_none_or(|&c| is_ws(c) || c == b'/' || c == b'>')
        {
            return Some(at);
        }
        i = at + 2;
    }
}

/// Attributes as (lowercase name, value).
type Attrs = Vec<(String, String)>;

/// Walk a tag's attributes from just after its name to just past its `>`, as the tokenizer
/// does (quoted values may hold `>`). `None` when the file ends inside the tag.
fn tag_end(b: &[u8], from: usize, attrs: &mut Option<Attrs>) -> Option<usize> {
    let mut j = from;
    loop {
        while j < b.len() && (is_ws(b[j]) || b[j] == b'/') {
            j += 1;
        }
        let c = *b.get(j)?;
        if c == b'>' {
            return Some(j + 1);
        }
        let name_start = j;
        j += 1; // The first character may be `=`.
        while j < b.len() && !is_ws(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
            j += 1;
        }
        let name = String::from_utf8_lossy(&b[name_start..j]).to_ascii_lowercase();
        while j < b.len() && is_ws(b[j]) {
            j += 1;
        }
        let mut value = String::new();
        if b.get(j) == Some(&b'=') {
            j += 1;
            while j < b.len() && is_ws(b[j]) {
                j += 1;
            }
            match b.get(j) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let close = find(b, j + 1, &[q])?;
                    value = String::from_utf8_lossy(&b[j + 1..close]).into_owned();
                    j = close + 1;
                }
                _ => {
                    let start = j;
                    while j < b.len() && !is_ws(b[j]) && b[j] != b'>' {
                        j += 1;
                    }
                    value = String::from_utf8_lossy(&b[start..j]).into_owned();
                }
            }
        }
        if let Some(list) = attrs {
            list.push((name, value));
        }
    }
}

/// The charset a page declares in its first 1024 bytes (`<meta charset>` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`), as the HTML prescan finds it.
pub fn prescan_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let b = &bytes[..bytes.len().min(PRESCAN_LIMIT)];
    let mut i = 0;
    while let Some(lt) = b
        .get(i..)
        .and_then(|s| s.iter().position(|&c| c == b'<'))
        .map(|p| p + i)
    {
        i = lt;
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = find(b, i + 4, b"-->")? + 3;
            continue;
        }
        let is_meta = rest.len() > 5
            && rest[1..5].eq_ignore_ascii_case(b"meta")
            && (is_ws(rest[5]) || rest[5] == b'/');
        if is_meta {
            let mut attrs = Some(Vec::new());
            let end = tag_end(b, i + 5, &mut attrs);
            if let Some(enc) = attrs.as_deref().and_then(meta_charset) {
                return Some(enc);
            }
            i = end?;
            continue;
        }
        let tag_start = if rest.get(1) == Some(&b'/') { 2 } else { 1 };
        if rest.get(tag_start).is_some_and(u8::is_ascii_alphabetic) {
            let mut j = i + tag_start;
            while j < b.len() && !is_ws(b[j]) && b[j] != b'>' {
                j += 1;
            }
            i = tag_end(b, j, &mut None)?;
        } else if matches!(rest.get(1), Some(b'!' | b'/' | b'?')) {
            i = find(b, i + 1, b">")? + 1;
        } else {
            i += 1;
        }
    }
    None
}

fn meta_charset(attrs: &[(String, String)]) -> Option<&'static Encoding> {
    let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    let label = match get("charset") {
        Some(c) => c.trim().to_string(),
        None => {
            let equiv = get("http-equiv")?;
            if !equiv.trim().eq_ignore_ascii_case("content-type") {
                return None;
            }
            charset_in_content(get("content")?)?
        }
    };
    let enc = Encoding::for_label(label.as_bytes())?;
    // As browsers do: a UTF-16 declaration in an ASCII-compatible file means UTF-8.
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return Some(UTF_8);
    }
    if enc == encoding_rs::X_USER_DEFINED {
        return Some(WINDOWS_1252);
    }
    Some(enc)
}

/// `charset=…` in a `Content-Type` value, quoted or not.
fn charset_in_content(content: &str) -> Option<String> {
    let lower = content.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find("charset") {
        let after = from + p + "charset".len();
        let rest = content[after..].trim_start();
        if let Some(v) = rest.strip_prefix('=') {
            let v = v.trim_start();
            let value = match v.chars().next() {
                Some(q @ ('"' | '\'')) => v[1..].split(q).next().filter(|_| v[1..].contains(q))?,
                _ => v
                    .split(|c: char| c.is_ascii_whitespace() || c == ';')
                    .next()
                    .unwrap_or(""),
            };
            return (!value.is_empty()).then(|| value.to_string());
        }
        from = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use encoding_rs::SHIFT_JIS;

    fn page(html: &str) -> ReadOutput {
        read(html.as_bytes(), "p.html").expect("reads")
    }

    fn at(o: &Origin) -> (Option<u32>, Option<u32>) {
        (o.line, o.column)
    }

    #[test]
    fn prescan_finds_meta_charset() {
        assert_eq!(
            prescan_charset(br#"<!DOCTYPE html><html><head><meta charset="Shift_JIS">"#),
            Some(SHIFT_JIS)
        );
        assert_eq!(
            prescan_charset(b"<html><head><META CHARSET=utf-8 />"),
            Some(UTF_8)
        );
        assert_eq!(prescan_charset(b"<meta charset='utf-16le'>"), Some(UTF_8));
    }

    #[test]
    fn prescan_finds_http_equiv() {
        let head = br#"<html><head><meta name="x" content="charset=euc-jp"><meta http-equiv="Content-Type" content="text/html; charset=shift_jis"></head>"#;
        assert_eq!(prescan_charset(head), Some(SHIFT_JIS));
        let quoted = br#"<meta content='text/html; charset="x-sjis"' http-equiv=content-type>"#;
        assert_eq!(prescan_charset(quoted), Some(SHIFT_JIS));
    }

    #[test]
    fn prescan_without_declaration() {
        assert_eq!(
            prescan_charset(b"<html><head><title>x</title></head><body>"),
            None
        );
        // Commented out, unknown or too late is no declaration.
        assert_eq!(
            prescan_charset(b"<!-- <meta charset=shift_jis> --><p>"),
            None
        );
        assert_eq!(prescan_charset(b"<meta charset=klingon>"), None);
        let mut late = vec![b' '; 1100];
        late.extend_from_slice(b"<meta charset=shift_jis>");
        assert_eq!(prescan_charset(&late), None);
        // An attribute value holding `>` does not end the tag early.
        assert_eq!(
            prescan_charset(br#"<a title="a>b"><meta charset="euc-jp">"#),
            Some(encoding_rs::EUC_JP)
        );
    }

    #[test]
    fn shift_jis_page_is_decoded_by_its_declaration() {
        let src = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">\
                   <title>戦略｜市</title></head><body><table><tr><td>①若者の市内就職の促進</td></tr></table>";
        let (bytes, _, _) = SHIFT_JIS.encode(src);
        let out = read(&bytes, "p.html").expect("reads");
        assert_eq!(out.title.map(|t| t.0).as_deref(), Some("戦略"));
        assert_eq!(
            out.grids[0].anchor(0, 0).map(Cell::text).as_deref(),
            Some("①若者の市内就職の促進")
        );
    }

    #[test]
    fn broken_shift_jis_byte_is_k003_with_its_offset() {
        let (good, _, _) =
            SHIFT_JIS.encode("<meta charset=\"shift_jis\"><table><tr><td>基本目標</td><td>");
        let mut bytes = good.into_owned();
        let at = bytes.len();
        bytes.extend_from_slice(&[0x81, 0x20]);
        bytes.extend_from_slice(b"</td></tr></table>");
        let e = read(&bytes, "p.html").expect_err("bad byte");
        assert_eq!(e.code, Code::K003);
        assert_eq!(e.origin.as_ref().and_then(|o| o.offset), Some(at as u64));
    }

    #[test]
    fn utf8_saved_page_with_a_stale_shift_jis_declaration() {
        let out = page("<meta charset=\"shift_jis\"><table><tr><td>基本目標</td></tr></table>");
        assert_eq!(
            out.grids[0].anchor(0, 0).map(Cell::text).as_deref(),
            Some("基本目標")
        );
    }

    #[test]
    fn nested_tables_are_separate_grids() {
        let out = page(
            "<table><tr><td>メニュー</td><td>本文の前<table><tr><td>基本目標</td><td>事業例</td></tr></table>本文の後</td></tr></table>",
        );
        assert_eq!(out.grids.len(), 2);
        let outer = &out.grids[0];
        assert_eq!(outer.rows.len(), 1);
        let cell = outer.anchor(0, 1).expect("layout cell");
        assert_eq!(cell.text(), "本文の前本文の後");
        let inner = &out.grids[1];
        assert_eq!(inner.rows.len(), 1);
        assert_eq!(
            inner.anchor(0, 1).map(Cell::text).as_deref(),
            Some("事業例")
        );
    }

    #[test]
    fn spans_take_slots() {
        let out = page(concat!(
            "<table><thead><tr><th>A<th>B<th>C</thead>",
            "<tbody><tr><td rowspan=\"3\">g<td rowspan=2px>d<td>m1",
            "<tr><td>m2",
            "<tr><td colspan=2>note",
            "<tr><td>x<td><td>z",
            "</tbody><tfoot><tr><td colspan=0>foot</tfoot>",
            "<tbody><tr><td rowspan=0>r<td>1<td>a<tr><td>2<td>b</tbody></table>"
        ));
        let g = &out.grids[0];
        let text = |r: usize, c: usize| {
            g.cell_at(r, c)
                .map(|(cell, covered)| (cell.text(), covered))
        };
        assert_eq!(g.width(), 3);
        assert_eq!(text(1, 0), Some(("g".into(), false)));
        assert_eq!(text(3, 0), Some(("g".into(), true)));
        assert_eq!(text(2, 1), Some(("d".into(), true)));
        assert_eq!(text(2, 2), Some(("m2".into(), false)));
        assert_eq!(text(3, 1), Some(("note".into(), false)));
        assert_eq!(text(3, 2), Some(("note".into(), true)));
        // Blank cells keep their place.
        assert_eq!(text(4, 1), Some((String::new(), false)));
        assert_eq!(text(4, 2), Some(("z".into(), false)));
        // rowspan=0 runs to the end of its row group; tfoot rows come last.
        assert_eq!(g.anchor(5, 0).map(|c| c.rowspan), Some(2));
        assert_eq!(text(6, 0), Some(("r".into(), true)));
        assert_eq!(text(6, 2), Some(("b".into(), false)));
        assert_eq!(text(7, 0), Some(("foot".into(), false)));
        assert_eq!(g.anchor(7, 0).map(|c| c.colspan), Some(1));
        assert_eq!(g.rows.len(), 8);
    }

    #[test]
    fn absurd_spans_are_clamped() {
        assert_eq!(span(None, true), 1);
        assert_eq!(span(Some("abc"), true), 1);
        assert_eq!(span(Some(" +3"), true), 3);
        assert_eq!(span(Some("0"), false), 1);
        assert_eq!(span(Some("99999999999999999999"), false), MAX_SPAN);
        let out = page(
            "<table><tr><td colspan=65535 rowspan=100000>x</td></tr><tr><td>y</td></tr></table>",
        );
        let g = &out.grids[0];
        // The second row's cell takes the first free slot, after the wide cell's 1000.
        assert_eq!(g.width(), MAX_SPAN as usize + 1);
        assert_eq!(
            g.anchor(1, MAX_SPAN as usize).map(Cell::text).as_deref(),
            Some("y")
        );
        assert_eq!(g.rows.len(), 2);
        assert_eq!(g.anchor(0, 0).map(|c| c.rowspan), Some(2));
    }

    #[test]
    fn origins_point_at_the_cell_start_tag() {
        let src = "<html>\n<!-- <td>commented</td> -->\n<script>if (a<td) {}</script>\n<table>\n  <tr><td title=\"a>b\">苫小牧</td>\n    <TD\n class=x>①若者の\n<li>市内就職”</li></table>";
        let out = page(src);
        let g = &out.grids[0];
        let first = g.anchor(0, 0).expect("cell");
        assert_eq!(at(&first.origin), (Some(5), Some(7)));
        let second = g.anchor(0, 1).expect("cell");
        assert_eq!(at(&second.origin), (Some(6), Some(5)));
        let raw = second.raw.as_ref().expect("raw");
        assert!(
            raw.text.starts_with("<TD\n class=x>①若者の"),
            "{}",
            raw.text
        );
        assert!(raw.text.ends_with("市内就職”</li>"), "{}", raw.text);
        let quote = second.locate("”");
        assert_eq!(at(&quote), (Some(8), Some(9)));
        // Diagnostics can show the source.
        assert!(format!("{:?}", out.sources).contains("苫小牧"));
    }

    #[test]
    fn positions_fall_back_to_the_file_when_unsure() {
        // The page already uses the marker attribute: no positions rather than wrong ones.
        let out = page(&format!(
            "<table><tr><td {MARKER}=\"0\">a</td></tr></table>"
        ));
        let cell = out.grids[0].anchor(0, 0).expect("cell");
        assert_eq!(cell.origin, Origin::file("p.html"));
        assert!(cell.raw.is_none());
        // A CDATA section the scan takes for a bogus comment up to its first `>`.
        let out =
            page("<svg><![CDATA[ a > b <td>x</td> ]]></svg><table><tr><td>a</td></tr></table>");
        let cell = out.grids[0].anchor(0, 0).expect("cell");
        assert_eq!(cell.text(), "a");
        assert_eq!(cell.origin, Origin::file("p.html"));
    }

    #[test]
    fn title_loses_its_site_name() {
        assert_eq!(
            strip_site_name("苫小牧市総合戦略（骨子案）｜苫小牧市").as_deref(),
            Some("苫小牧市総合戦略（骨子案）")
        );
        assert_eq!(
            strip_site_name("総合戦略 | 総合政策課 | 苫小牧市").as_deref(),
            Some("総合戦略")
        );
        assert_eq!(
            strip_site_name("総合戦略（案）／苫小牧市").as_deref(),
            Some("総合戦略（案）")
        );
        assert_eq!(
            strip_site_name("まち・ひと・しごと - 総合戦略 - 苫小牧市").as_deref(),
            Some("まち・ひと・しごと - 総合戦略")
        );
        assert_eq!(strip_site_name("総合戦略").as_deref(), Some("総合戦略"));
        assert_eq!(strip_site_name("｜苫小牧市").as_deref(), Some("｜苫小牧市"));
        assert_eq!(strip_site_name("  ").as_deref(), None);
        let out = page(
            "<html><head>\n<title>\n 戦略（骨子案）｜苫小牧市 </title></head><body><p>x</p></body></html>",
        );
        let (title, origin) = out.title.expect("title");
        assert_eq!(title, "戦略（骨子案）");
        assert_eq!(at(&origin), (Some(2), Some(1)));
    }

    #[test]
    fn tables_take_the_last_heading_before_them() {
        let out = page(concat!(
            "<h1><img alt=logo></h1><table><tr><td>nav</td></tr></table>\n",
            "<h1>苫小牧市</h1><div><h2>苫小牧市総合戦略<ruby>案<rt>あん</rt></ruby></h2></div>\n",
            "<table><tr><td>a</td></tr></table>",
            "<template><h3>hidden</h3><table><tr><td>t</td></tr></table></template>",
            "<h3>【参考】関連する既存事業</h3><table><tr><td>b</td></tr></table>"
        ));
        assert_eq!(out.grids.len(), 3);
        assert_eq!(out.grids[0].heading, None);
        let (text, origin) = out.grids[1].heading.clone().expect("heading");
        assert_eq!(text, "苫小牧市総合戦略案");
        assert_eq!(at(&origin), (Some(2), Some(19)));
        assert_eq!(
            out.grids[2].heading.as_ref().map(|h| h.0.as_str()),
            Some("【参考】関連する既存事業")
        );
    }

    #[test]
    fn page_without_a_table() {
        let out =
            page("<html><head><title>お知らせ</title></head><body><p>準備中です</p></body></html>");
        assert!(out.grids.is_empty());
        assert_eq!(out.title.map(|t| t.0).as_deref(), Some("お知らせ"));
        let out = page("");
        assert!(out.grids.is_empty() && out.title.is_none());
    }

    #[test]
    fn scan_skips_raw_text_and_comments() {
        let tags = scan_tags(
            "<p a='<td>'><!--><td><style></td></STYLE ><textarea><th></textarea><th/><!x<td>>",
        );
        let names: Vec<(&str, bool)> = tags.iter().map(|t| (t.name.as_str(), t.closing)).collect();
        assert_eq!(
            names,
            vec![
                ("p", false),
                ("td", false),
                ("style", false),
                ("style", true),
                ("textarea", false),
                ("textarea", true),
                ("th", false)
            ]
        );
    }
}

//! OpenDocument spreadsheets (`.ods`), read straight from `content.xml`.
//!
//! Values, spans and positions all come from one pass over the XML, so a cell's place is the
//! one LibreOffice shows: `table:number-columns-repeated` and `table:number-rows-repeated`
//! advance the position (the padding LibreOffice writes to the sheet's end is never
//! materialised), `table:number-rows-spanned` / `table:number-columns-spanned` become merge
//! ranges, and covered cells are covered. Paragraphs (`<text:p>`) and `<text:line-break/>` are
//! line breaks, `<text:s text:c="n"/>` is n spaces; ruby text, notes and annotations are not
//! part of the text. The grid is built the same way as the Excel reader's.

use super::xlsx::{SheetCell, SheetData, build_grid, number_text};
use super::{Format, ReadOutput};
use crate::diag::Diagnostic;
use crate::explain::{self, Explained};
use crate::grid::Number;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::reader::Reader;
use std::io::{Cursor, Read};

/// The largest `content.xml` read (a zip bomb guard).
const MAX_CONTENT: u64 = 512 * 1024 * 1024;

/// How many times a repeated row or cell that holds a value is materialised at most.
const MAX_REPEAT: usize = 1024;

/// Read an OpenDocument spreadsheet: every sheet becomes a grid, with its spans.
pub fn read(bytes: &[u8], file: &str) -> Result<ReadOutput, Diagnostic> {
    super::check_zip(bytes, file, Format::Ods)?;
    let content = content_xml(bytes).map_err(|d| super::broken(file, Format::Ods, d))?;
    let sheets = parse_content(&content).map_err(|d| super::broken(file, Format::Ods, d))?;
    let mut out = ReadOutput::default();
    for sheet in &sheets {
        super::xlsx::check_sheet(file, sheet)?;
        out.grids.push(build_grid(file, sheet, &mut out.sources));
    }
    Ok(out)
}

fn content_xml(bytes: &[u8]) -> Result<String, Explained> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| explain::zip(&e))?;
    let entry = zip.by_name("content.xml").map_err(|_| {
        Explained::own(
            "ブックの本体 content.xml がありません",
            "there is no content.xml in the archive",
        )
    })?;
    let mut content = String::new();
    entry
        .take(MAX_CONTENT)
        .read_to_string(&mut content)
        .map_err(|e| {
            let x = match e.kind() {
                std::io::ErrorKind::InvalidData => Explained::new(
                    "ブックの本体 content.xml を展開できないか、UTF-8 ではありません",
                    "content.xml cannot be inflated, or is not UTF-8",
                    "",
                ),
                _ => explain::io_read(&e),
            };
            Explained {
                cause: format!("content.xml: {e}"),
                ..x
            }
        })?;
    Ok(content)
}

/// One `table:table-cell` (or covered cell) as read: its text, repeats and spans.
struct OdsCell {
    text: Option<String>,
    /// The number of a float, percentage or currency cell, as shown (a percentage × 100).
    number: Option<Number>,
    repeat: usize,
    rows_spanned: usize,
    cols_spanned: usize,
}

/// The sheet being read.
struct SheetState {
    data: SheetData,
    row: usize,
}

/// The row being read.
struct RowState {
    repeat: usize,
    cells: Vec<(usize, OdsCell)>,
    col: usize,
}

fn parse_content(content: &str) -> Result<Vec<SheetData>, Explained> {
    let mut reader = Reader::from_str(content);
    let mut sheets = Vec::new();
    let mut sheet: Option<SheetState> = None;
    let mut row: Option<RowState> = None;
    let mut seen_body = false;
    loop {
        let event = reader.read_event().map_err(|e| xml_error(&reader, e))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) if e.name().as_ref() == "office:spreadsheet" => seen_body = true,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table" => {
                if sheet.is_some() {
                    // A sub-table inside a cell is not part of the sheet's grid.
                    if !empty {
                        skip(&mut reader, &e)?;
                    }
                    continue;
                }
                let data = SheetData {
                    name: attr(&e, "table:name")?.unwrap_or_default(),
                    cells: Vec::new(),
                    merges: Vec::new(),
                };
                if empty {
                    sheets.push(data);
                } else {
                    sheet = Some(SheetState { data, row: 0 });
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table" => {
                if let Some(s) = sheet.take() {
                    sheets.push(s.data);
                }
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                let r = RowState {
                    repeat: count(&e, "table:number-rows-repeated")?,
                    cells: Vec::new(),
                    col: 0,
                };
                match sheet.as_mut() {
                    Some(s) if empty => finish_row(s, r),
                    Some(_) => row = Some(r),
                    None => {}
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                if let (Some(s), Some(r)) = (sheet.as_mut(), row.take()) {
                    finish_row(s, r);
                }
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(
                    e.name().as_ref(),
                    "table:table-cell" | "table:covered-table-cell"
                ) =>
            {
                let cell = read_cell(&mut reader, &e, empty)?;
                if let Some(r) = row.as_mut() {
                    let col = r.col;
                    r.col = r.col.saturating_add(cell.repeat);
                    r.cells.push((col, cell));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_body {
        return Err(Explained::own(
            "ブックの本体 content.xml に表計算のシートがありません",
            "content.xml holds no spreadsheet",
        ));
    }
    Ok(sheets)
}

/// Place a finished row's cells and spans; a repeated row that holds anything is repeated
/// (up to [`MAX_REPEAT`] times), an empty one only moves the position on.
fn finish_row(sheet: &mut SheetState, row: RowState) {
    let has_content = row
        .cells
        .iter()
        .any(|(_, c)| c.text.is_some() || c.rows_spanned > 1 || c.cols_spanned > 1);
    if has_content {
        for i in 0..row.repeat.min(MAX_REPEAT) {
            let r = sheet.row.saturating_add(i);
            for (col, cell) in &row.cells {
                let repeat =
                    if cell.text.is_some() || cell.rows_spanned > 1 || cell.cols_spanned > 1 {
                        cell.repeat.min(MAX_REPEAT)
                    } else {
                        0
                    };
                for j in 0..repeat {
                    let c = col.saturating_add(j);
                    if let Some(text) = &cell.text {
                        sheet.data.cells.push(SheetCell {
                            row: r,
                            col: c,
                            text: text.clone(),
                            number: cell.number.clone(),
                        });
                    }
                    if cell.rows_spanned > 1 || cell.cols_spanned > 1 {
                        sheet.data.merges.push((
                            r,
                            c,
                            r.saturating_add(cell.rows_spanned - 1),
                            c.saturating_add(cell.cols_spanned - 1),
                        ));
                    }
                }
            }
        }
    }
    sheet.row = sheet.row.saturating_add(row.repeat);
}

/// Read one cell element (the reader is just past its start tag).
fn read_cell(
    reader: &mut Reader<&[u8]>,
    e: &BytesStart<'_>,
    empty: bool,
) -> Result<OdsCell, Explained> {
    let repeat = count(e, "table:number-columns-repeated")?;
    let rows_spanned = count(e, "table:number-rows-spanned")?;
    let cols_spanned = count(e, "table:number-columns-spanned")?;
    let value_type = attr(e, "office:value-type")?;
    let is_error = attr(e, "calcext:value-type")?.as_deref() == Some("error");
    let content = if empty {
        String::new()
    } else {
        cell_text(reader, e)?
    };
    let mut number = None;
    let text = if is_error {
        None
    } else {
        match value_type.as_deref() {
            Some(kind @ ("float" | "percentage" | "currency")) => match attr(e, "office:value")? {
                Some(v) => {
                    number = ods_number(v.trim(), kind == "percentage", &content);
                    if content.trim().is_empty() {
                        v.trim()
                            .parse::<f64>()
                            .ok()
                            .map(number_text)
                            .or(Some(content))
                    } else {
                        Some(content)
                    }
                }
                None => Some(content),
            },
            Some("boolean") => match attr(e, "office:boolean-value")?.as_deref() {
                Some("true" | "TRUE" | "1") => Some("TRUE".to_string()),
                Some(_) => Some("FALSE".to_string()),
                None => Some(content),
            },
            Some("date") => attr(e, "office:date-value")?.or(Some(content)),
            Some("time") => attr(e, "office:time-value")?.or(Some(content)),
            _ => Some(content),
        }
    };
    Ok(OdsCell {
        text: text.filter(|t| !t.is_empty()),
        number,
        repeat,
        rows_spanned,
        cols_spanned,
    })
}

/// The number an ODS number cell keeps (`office:value`, exact as written; a percentage's
/// fraction times 100), with at least the decimals the cell shows and the unit it shows.
fn ods_number(value: &str, percentage: bool, shown: &str) -> Option<Number> {
    use std::str::FromStr;
    let mut v = rust_decimal::Decimal::from_str(value)
        .or_else(|_| rust_decimal::Decimal::from_scientific(value))
        .ok()?;
    if percentage {
        v = v
            .checked_mul(rust_decimal::Decimal::ONE_HUNDRED)?
            .normalize();
    }
    let shown = shown.trim();
    let decimals = shown.split_once(['.', '．']).map_or(0, |(_, rest)| {
        rest.chars().take_while(char::is_ascii_digit).count()
    });
    if (decimals as u32) > v.scale() {
        v.rescale(decimals as u32);
    }
    let unit = if percentage {
        Some("%".to_string())
    } else {
        crate::quantity::parse_value(shown)
            .ok()
            .and_then(|p| p.unit)
    };
    Some(Number { value: v, unit })
}

/// The text of a cell: paragraphs and line breaks become `\n`; ruby text, notes and
/// annotations are skipped.
fn cell_text(reader: &mut Reader<&[u8]>, cell: &BytesStart<'_>) -> Result<String, Explained> {
    let mut out = String::new();
    let mut paragraphs = 0usize;
    let mut in_p = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| xml_error(reader, e))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::End(e) if e.name() == cell.name() => return Ok(out),
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "text:p" | "text:h" => {
                    if paragraphs > 0 {
                        out.push('\n');
                    }
                    paragraphs += 1;
                    if !empty {
                        in_p += 1;
                    }
                }
                "text:s" => {
                    let n = count(&e, "text:c")?.min(1024);
                    out.extend(std::iter::repeat_n(' ', n));
                    if !empty {
                        skip(reader, &e)?;
                    }
                }
                "text:tab" => out.push('\t'),
                "text:line-break" => out.push('\n'),
                "office:annotation"
                | "text:ruby-text"
                | "text:note"
                | "text:tracked-changes"
                | "draw:frame"
                | "draw:custom-shape"
                | "table:table"
                    if !empty =>
                {
                    skip(reader, &e)?;
                }
                _ => {}
            },
            Event::End(e) if matches!(e.name().as_ref(), "text:p" | "text:h") => {
                in_p = in_p.saturating_sub(1);
            }
            Event::Text(t) if in_p > 0 => {
                // ODF collapses runs of XML white space; explicit spaces are <text:s/>.
                let mut last_space = false;
                for ch in t.xml10_content().chars() {
                    if matches!(ch, ' ' | '\t' | '\r' | '\n') {
                        if !last_space {
                            out.push(' ');
                        }
                        last_space = true;
                    } else {
                        out.push(ch);
                        last_space = false;
                    }
                }
            }
            Event::CData(t) if in_p > 0 => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_p > 0 => {
                if let Ok(Some(ch)) = r.resolve_char_ref() {
                    out.push(ch);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    out.push_str(s);
                }
            }
            Event::Eof => {
                return Err(Explained::own(
                    "ブックの本体 content.xml がセルの途中で終わっています",
                    "content.xml ends inside a cell",
                ));
            }
            _ => {}
        }
    }
}

/// Skip an element's content up to its end tag.
fn skip(reader: &mut Reader<&[u8]>, e: &BytesStart<'_>) -> Result<(), Explained> {
    let name = e.name().as_ref().to_string();
    reader
        .read_to_end(QName(&name))
        .map(|_| ())
        .map_err(|err| xml_error(reader, err))
}

/// An attribute's unescaped value.
fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, Explained> {
    match e.try_get_attribute(name) {
        Ok(Some(a)) => a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| Some(v.into_owned()))
            .map_err(|err| attr_error(name, err)),
        Ok(None) => Ok(None),
        Err(err) => Err(attr_error(name, err)),
    }
}

/// A repeat or span count: at least 1.
fn count(e: &BytesStart<'_>, name: &str) -> Result<usize, Explained> {
    match attr(e, name)? {
        Some(v) => v.trim().parse::<usize>().map(|n| n.max(1)).map_err(|_| {
            Explained::own(
                format!("ブックの本体 content.xml の {name}=\"{v}\" が数ではありません"),
                format!("{name}=\"{v}\" is not a count"),
            )
        }),
        None => Ok(1),
    }
}

fn xml_error(reader: &Reader<&[u8]>, e: quick_xml::Error) -> Explained {
    Explained {
        cause: format!("content.xml at byte {}: {e}", reader.buffer_position()),
        ..explain::xml(&e, Some("content.xml"))
    }
}

/// An attribute whose value cannot be read.
fn attr_error(name: &str, err: impl std::fmt::Display) -> Explained {
    Explained::new(
        format!("ブックの中の content.xml の属性 {name} の値が正しくありません"),
        format!("the attribute {name} in content.xml has an invalid value"),
        format!("attribute {name}: {err}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::grid::{Cell, Slot};
    use std::io::Write;

    fn ods(content: &str) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let o = zip::write::SimpleFileOptions::default();
            w.start_file("mimetype", o).expect("zip");
            w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
                .expect("zip");
            w.start_file("content.xml", o).expect("zip");
            w.write_all(content.as_bytes()).expect("zip");
            w.finish().expect("zip");
        }
        buf.into_inner()
    }

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:body><office:spreadsheet>"#;
    const TAIL: &str = "</office:spreadsheet></office:body></office:document-content>";

    fn sample() -> Vec<u8> {
        let body = r#"<table:table table:name="施策"><table:table-column table:number-columns-repeated="1024"/>
<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="string" calcext:value-type="string"><text:p>基本目標</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="1" calcext:value-type="float"><text:p>1</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="0.5"><text:p>0.5</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1019"/></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell table:number-rows-spanned="2" office:value-type="string"><text:p><text:ruby><text:ruby-base>苫小牧</text:ruby-base><text:ruby-text>とまこまい</text:ruby-text></text:ruby>市<office:annotation><dc:creator>x</dc:creator><text:p>メモ</text:p></office:annotation></text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>・就業<text:span>支援</text:span></text:p><text:p>・起業<text:s/>支援<text:line-break/>・A<text:s text:c="2"/>B &amp; C</text:p></table:table-cell><table:table-cell office:value-type="string" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:covered-table-cell office:value-type="string"><text:p>hidden</text:p></table:covered-table-cell><table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>横</text:p></table:table-cell><table:covered-table-cell/></table:table-row>
<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
</table:table><table:table table:name="空"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#;
        ods(&format!("{HEAD}{body}{TAIL}"))
    }

    fn texts(g: &crate::grid::Grid) -> Vec<String> {
        g.rows
            .iter()
            .flatten()
            .filter_map(|s| {
                if let Slot::Cell(c) = s {
                    Some(c.text())
                } else {
                    None
                }
            })
            .collect()
    }

    #[test]
    fn positions_spans_and_text() {
        let out = read(&sample(), "b.ods").expect("reads");
        assert_eq!(out.grids.len(), 2);
        let g = &out.grids[0];
        assert_eq!(g.sheet.as_deref(), Some("施策"));
        // Repeated padding rows and columns are not materialised.
        assert_eq!((g.rows.len(), g.width()), (5, 5));
        assert!(out.grids[1].rows.is_empty());
        let head = g.anchor(2, 2).expect("C3");
        assert_eq!(head.origin.to_string(), "b.ods '施策'!C3");
        assert_eq!(head.text(), "基本目標");
        assert_eq!(g.anchor(2, 3).map(Cell::text), Some("1".into()));
        assert_eq!(g.anchor(2, 4).map(Cell::text), Some("0.5".into()));
        // Ruby text and annotations are not text.
        let merged = g.anchor(3, 2).expect("C4");
        assert_eq!(merged.text(), "苫小牧市");
        assert_eq!(merged.rowspan, 2);
        assert_eq!(g.rows[4][2], Slot::Covered { row: 3, col: 2 });
        let list = g.anchor(3, 3).expect("D4");
        assert_eq!(list.items(), vec!["就業支援", "起業 支援", "A", "B & C"]);
        assert_eq!(g.rows[3][4], Slot::Empty, "error cells are skipped");
        assert_eq!(
            g.anchor(4, 3).map(|c| (c.text(), c.colspan)),
            Some(("横".into(), 2))
        );
        assert_eq!(g.rows[4][4], Slot::Covered { row: 4, col: 3 });
        assert!(
            texts(g)
                .iter()
                .all(|t| !t.contains("とまこまい") && !t.contains("メモ") && t != "hidden")
        );
        let sources = format!("{:?}", out.sources);
        assert!(sources.contains(r#""C4"): "苫小牧市""#), "{sources}");
        assert!(!sources.contains("hidden"), "{sources}");
    }

    #[test]
    fn damaged_files_are_k005() {
        let bytes = sample();
        for cut in [10, bytes.len() / 2, bytes.len() - 10] {
            let err = read(&bytes[..cut], "t.ods").expect_err("truncated");
            assert_eq!(err.code, Code::K005);
        }
        let err = read(
            &ods("<office:document-content><office:body><office:spreadsheet><table:table"),
            "x.ods",
        )
        .expect_err("bad xml");
        assert_eq!(err.code, Code::K005);
        let err = read(&ods("<office:document-content/>"), "x.ods").expect_err("not a spreadsheet");
        assert_eq!(err.code, Code::K005);
        let err = read(b"PK\x03\x04garbage", "x.ods").expect_err("not a zip");
        assert_eq!(err.code, Code::K005);
    }
}

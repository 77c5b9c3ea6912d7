//! Excel workbooks (`.xlsx` and `.xls`) through calamine.
//!
//! Every sheet becomes one [`Grid`] with cells at their absolute sheet positions, so origins
//! read `'施策'!C12` whatever blank rows and columns precede the table. A merge range keeps its
//! value in the top-left cell and covers the rest. Phonetic guides (ルビ: `<rPh>` runs in
//! `sharedStrings.xml`, `ExtRst` blocks in BIFF8) are dropped by calamine's string readers and
//! never reach the text; the tests prove it on a fixture that carries them.

use super::{Format, ReadOutput};
use crate::diag::{Diagnostic, SourceMap};
use crate::explain::{self, Explained};
use crate::grid::{Cell, Grid, GridBuilder, Number, Origin, a1};
use calamine::{Data, Dimensions, Range, Reader, Xls, Xlsx};
use std::collections::HashMap;
use std::io::Cursor;

/// Read an Excel workbook: every sheet becomes a grid, with its merge ranges.
pub fn read(format: Format, bytes: &[u8], file: &str) -> Result<ReadOutput, Diagnostic> {
    if format == Format::Xlsx {
        super::check_zip(bytes, file, format)?;
    }
    // calamine parses untrusted bytes; `read::contain` (around this reader) turns a panic
    // inside it into K005.
    let sheets = load(format, bytes, file).map_err(|e| match e {
        LoadError::Broken(detail) => super::broken(file, format, detail),
        LoadError::Limit(d) => *d,
    })?;
    let mut out = ReadOutput::default();
    for sheet in sheets {
        out.grids.push(build_grid(file, &sheet, &mut out.sources));
    }
    Ok(out)
}

/// One worksheet as calamine gives it: name, values and merge ranges.
#[derive(Debug)]
pub(crate) struct SheetData {
    /// The sheet's name.
    pub name: String,
    /// Non-empty values.
    pub cells: Vec<SheetCell>,
    /// Inclusive merge ranges (r0, c0, r1, c1), absolute and 0-based.
    pub merges: Vec<(usize, usize, usize, usize)>,
}

/// One non-empty value of a sheet.
#[derive(Debug)]
pub(crate) struct SheetCell {
    /// Absolute 0-based row.
    pub row: usize,
    /// Absolute 0-based column.
    pub col: usize,
    /// The value as the spreadsheet shows it.
    pub text: String,
    /// The number, for a number cell.
    pub number: Option<Number>,
}

impl SheetCell {
    /// A text value at (row, col).
    pub(crate) fn text(row: usize, col: usize, text: String) -> Self {
        SheetCell {
            row,
            col,
            text,
            number: None,
        }
    }
}

/// Why a workbook could not be loaded.
enum LoadError {
    /// Damaged, or not what its format says (K005), explained.
    Broken(Explained),
    /// Over a limit (K007).
    Limit(Box<Diagnostic>),
}

impl From<calamine::XlsError> for LoadError {
    fn from(e: calamine::XlsError) -> Self {
        LoadError::Broken(explain::xls(&e))
    }
}

impl From<calamine::XlsxError> for LoadError {
    fn from(e: calamine::XlsxError) -> Self {
        LoadError::Broken(explain::xlsx(&e))
    }
}

/// Check an .xls before calamine parses it: the container must be a well-formed compound
/// file (cfb is strict where calamine is lenient, and calamine's leniency is where fuzzing
/// found its panics), and no sheet may declare a used range (its DIMENSIONS record) over
/// [`crate::limits::MAX_DECLARED_CELLS`]. Records are read where calamine reads them: in
/// order from the start, and from each sheet's position in its BOUNDSHEET record.
///
/// The same walk collects what calamine does not give: each number cell's format code, from
/// the FORMAT and XF records and the cell's XF index, by sheet name.
fn check_declared_ranges(
    bytes: &[u8],
    file: &str,
) -> Result<HashMap<String, XlsFormats>, LoadError> {
    use std::io::Read;
    let mut container = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| LoadError::Broken(explain::compound_file(&e)))?;
    let stream = container
        .open_stream("/Workbook")
        .or_else(|_| container.open_stream("/Book"))
        .map_err(|e| {
            LoadError::Broken(Explained::new(
                "Excel のブックの本体（Workbook）がありません（パスワードで保護されたブックか、Excel 以外のソフトのファイルではありませんか）",
                "it holds no workbook stream (a password-protected workbook, or a file of another program?)",
                format!("no workbook stream: {e}"),
            ))
        })?;
    let mut data = Vec::new();
    stream
        .take(crate::limits::MAX_FILE_BYTES)
        .read_to_end(&mut data)
        .map_err(|e| LoadError::Broken(explain::compound_file(&e)))?;
    let mut globals = Scan::default();
    scan_records(&data, 0, false, file, &mut globals)?;
    let mut out = HashMap::new();
    for (at, name) in std::mem::take(&mut globals.sheets) {
        let mut sheet = Scan::default();
        scan_records(&data, at, true, file, &mut sheet)?;
        let mut formats = XlsFormats::default();
        for (row, col, xf) in sheet.cells {
            let code = globals.xfs.get(usize::from(xf)).and_then(|ifmt| {
                globals
                    .formats
                    .get(ifmt)
                    .cloned()
                    .or_else(|| builtin_format(*ifmt).map(str::to_string))
            });
            if let Some(code) = code.filter(|c| c != "General") {
                formats
                    .cells
                    .insert((usize::from(row), usize::from(col)), code);
            }
        }
        out.insert(name, formats);
    }
    Ok(out)
}

/// What a walk over BIFF records collects.
#[derive(Debug, Default)]
struct Scan {
    /// Sheet positions and names, from BOUNDSHEET records.
    sheets: Vec<(usize, String)>,
    /// Format codes by index, from FORMAT records.
    formats: HashMap<u16, String>,
    /// The format index of each XF record, in order.
    xfs: Vec<u16>,
    /// Number-bearing cells: (row, column, XF index).
    cells: Vec<(u16, u16, u16)>,
}

/// The number format of each number cell of one .xls sheet that has one other than General.
#[derive(Debug, Default)]
pub(crate) struct XlsFormats {
    cells: HashMap<(usize, usize), String>,
}

impl XlsFormats {
    /// The format code of the cell at (row, col), if it has one.
    fn of(&self, row: usize, col: usize) -> Option<&str> {
        self.cells.get(&(row, col)).map(String::as_str)
    }
}

/// The built-in number formats of BIFF8 that matter for values (the date ones calamine
/// handles itself).
fn builtin_format(ifmt: u16) -> Option<&'static str> {
    Some(match ifmt {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

/// A BIFF8 string at `at`: a character count of `count_len` bytes, a flags byte (bit 0: two
/// bytes per character) and the characters; None when it runs past the record.
fn biff_string(data: &[u8], at: usize, count_len: usize) -> Option<String> {
    let count = match count_len {
        1 => usize::from(*data.get(at)?),
        _ => usize::from(u16::from_le_bytes([*data.get(at)?, *data.get(at + 1)?])),
    };
    let flags = *data.get(at + count_len)?;
    let start = at + count_len + 1;
    if flags & 1 == 1 {
        let bytes = data.get(start..start + count * 2)?;
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(
            data.get(start..start + count)?
                .iter()
                .map(|b| char::from(*b))
                .collect(),
        )
    }
}

/// K007 when a sheet's cells span more than [`crate::limits::MAX_DECLARED_CELLS`] (calamine
/// makes its range dense: two cells far apart would ask for gigabytes).
fn check_area(rows: u64, cols: u64, file: &str) -> Result<(), LoadError> {
    if rows * cols > crate::limits::MAX_DECLARED_CELLS {
        return Err(LoadError::Limit(Box::new(crate::limits::exceeded(
            Origin::file(file),
            &format!("シートの範囲（{rows} 行 × {cols} 列）"),
            &format!("the range of a sheet ({rows} rows × {cols} columns)"),
            crate::limits::MAX_DECLARED_CELLS,
        ))));
    }
    Ok(())
}

/// Walk BIFF records from `at` to the end of the stream, or in a sheet (`sheet`) to its EOF
/// record: check each DIMENSIONS declaration and, in a sheet, the span of its cell records;
/// collect the sheet positions of BOUNDSHEET records.
fn scan_records(
    data: &[u8],
    mut at: usize,
    sheet: bool,
    file: &str,
    scan: &mut Scan,
) -> Result<(), LoadError> {
    let u16_at = |i: usize| data.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at = |i: usize| {
        data.get(i..i + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    // (first row, last row, first column, last column) of the sheet's cells so far.
    let mut span: Option<(u16, u16, u16, u16)> = None;
    let mut cell = |row: u16, c0: u16, c1: u16| -> Result<(), LoadError> {
        let (r0, r1, a, b) = span.unwrap_or((row, row, c0, c1));
        let next = (r0.min(row), r1.max(row), a.min(c0), b.max(c1));
        span = Some(next);
        check_area(
            u64::from(next.1 - next.0) + 1,
            u64::from(next.3.saturating_sub(next.2)) + 1,
            file,
        )
    };
    while let (Some(kind), Some(len)) = (u16_at(at), u16_at(at + 2)) {
        let body = at + 4;
        match kind {
            0x000A if sheet => break,
            0x0085 if !sheet => {
                // BOUNDSHEET: position, state, type, then the name (8-bit count).
                if let Some(p) = u32_at(body) {
                    let name = biff_string(data, body + 6, 1).unwrap_or_default();
                    scan.sheets.push((p as usize, name));
                }
            }
            0x041E if !sheet => {
                // FORMAT: index, then the code (16-bit count).
                if let (Some(i), Some(code)) = (u16_at(body), biff_string(data, body + 2, 2)) {
                    scan.formats.insert(i, code);
                }
            }
            0x00E0 if !sheet => scan.xfs.push(u16_at(body + 2).unwrap_or(0)),
            0x0200 => {
                // First row, last row + 1, first column, last column + 1: 32-bit rows in
                // BIFF8 (14 bytes), 16-bit in BIFF5 (10 bytes).
                let range = if len == 10 {
                    u16_at(body)
                        .zip(u16_at(body + 2))
                        .map(|(a, b)| (u32::from(a), u32::from(b)))
                        .zip(u16_at(body + 4).zip(u16_at(body + 6)))
                } else {
                    u32_at(body)
                        .zip(u32_at(body + 4))
                        .zip(u16_at(body + 8).zip(u16_at(body + 10)))
                };
                if let Some(((rf, rl), (cf, cl))) = range {
                    // The size calamine will reserve, computed as it computes it: a first
                    // column over 255 or past the last reads as 0, and its 32-bit
                    // subtractions wrap, so a first row past the last asks for 4 billion rows.
                    let (cf, cl) = (u32::from(cf), u32::from(cl));
                    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                    let (rows, cols) = if rl >= 1 && cl >= 1 {
                        (
                            (rl - 1).wrapping_sub(rf).wrapping_add(1),
                            (cl - 1).wrapping_sub(cf).wrapping_add(1),
                        )
                    } else {
                        (1, 1)
                    };
                    check_area(u64::from(rows), u64::from(cols), file)?;
                }
            }
            // Cell records calamine keeps (formula, number, label, rich string, bool/error,
            // RK, shared-string label): row and column first.
            0x0006 | 0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD if sheet => {
                if let (Some(row), Some(col)) = (u16_at(body), u16_at(body + 2)) {
                    cell(row, col, col)?;
                    // FORMULA, NUMBER and RK carry numbers: keep their XF index.
                    if matches!(kind, 0x0006 | 0x0203 | 0x027E)
                        && let Some(xf) = u16_at(body + 4)
                    {
                        scan.cells.push((row, col, xf));
                    }
                }
            }
            // MULRK: row, first column, (XF index, RK value) per column, last column.
            0x00BD if sheet && len >= 6 => {
                let last = (body + usize::from(len)).saturating_sub(2);
                if let (Some(row), Some(c0), Some(c1)) =
                    (u16_at(body), u16_at(body + 2), u16_at(last))
                {
                    cell(row, c0, c1.max(c0))?;
                    let mut at = body + 4;
                    let mut col = c0;
                    while at + 6 <= last && col <= c1 {
                        if let Some(xf) = u16_at(at) {
                            scan.cells.push((row, col, xf));
                        }
                        at += 6;
                        col = col.saturating_add(1);
                    }
                }
            }
            _ => {}
        }
        at = body + usize::from(len);
    }
    Ok(())
}

fn load(format: Format, bytes: &[u8], file: &str) -> Result<Vec<SheetData>, LoadError> {
    let mut sheets = Vec::new();
    match format {
        Format::Xls => {
            // calamine reserves room for the used range each sheet declares before it reads a
            // cell; BIFF8 declares rows as 32-bit numbers, so a forged declaration would ask
            // for hundreds of gigabytes (found by fuzzing). Check the declarations first.
            let styles = check_declared_ranges(bytes, file)?;
            let mut book: Xls<_> = Xls::new(Cursor::new(bytes))?;
            for name in book.sheet_names() {
                let range = book.worksheet_range(&name)?;
                let merges = book.merge_cells_by_sheet_name(&name)?;
                let formats = styles.get(&name);
                let sheet = sheet_data(name, &range, &merges, formats);
                check_cells(
                    file,
                    &sheet.name,
                    sheet.cells.iter().map(|c| (c.row, c.col)),
                )?;
                sheets.push(sheet);
            }
        }
        _ => {
            // An .xlsx sheet may claim any bounds up to XFD1048576; calamine's dense range would
            // allocate them all, so the cells are streamed and checked one by one.
            let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))?;
            for name in book.sheet_names() {
                let mut cells = Vec::new();
                {
                    let mut reader = book.worksheet_cells_reader(&name)?;
                    while let Some((cell, style)) = reader.next_cell_with_style_id()? {
                        let (r, c) = cell.get_position();
                        let (r, c) = (r as usize, c as usize);
                        let value = Data::from(cell.get_value().clone());
                        let format = reader
                            .styles()
                            .get(style)
                            .and_then(|s| s.number_format.as_ref())
                            .map(|f| f.format_code.clone());
                        if let Some(cell) = sheet_cell(r, c, &value, format.as_deref()) {
                            cells.push(cell);
                            check_cells(file, &name, std::iter::once((r, c)))?;
                            if cells.len() > crate::limits::MAX_CELLS {
                                return Err(LoadError::Limit(Box::new(crate::limits::exceeded(
                                    Origin::cell(file, &name, r as u32, c as u32),
                                    "シートのセル数",
                                    "the number of cells in the sheet",
                                    crate::limits::MAX_CELLS,
                                ))));
                            }
                        }
                    }
                }
                let merges = book.merge_cells_by_sheet_name(&name)?;
                sheets.push(SheetData {
                    name,
                    cells,
                    merges: merges_of(&merges),
                });
            }
        }
    }
    Ok(sheets)
}

/// K007 when a sheet's cells go beyond the limits (position or number), checked before the
/// dense grid is built.
pub(crate) fn check_sheet(file: &str, sheet: &SheetData) -> Result<(), Diagnostic> {
    let over = |d| match d {
        LoadError::Limit(d) => *d,
        LoadError::Broken(detail) => super::broken(file, Format::Xlsx, detail),
    };
    check_cells(
        file,
        &sheet.name,
        sheet.cells.iter().map(|c| (c.row, c.col)),
    )
    .map_err(over)?;
    if let Some(last) = sheet.cells.get(crate::limits::MAX_CELLS) {
        return Err(crate::limits::exceeded(
            Origin::cell(file, &sheet.name, last.row as u32, last.col as u32),
            "シートのセル数",
            "the number of cells in the sheet",
            crate::limits::MAX_CELLS,
        ));
    }
    Ok(())
}

/// K007 for a cell beyond the row or column limit.
fn check_cells(
    file: &str,
    sheet: &str,
    cells: impl Iterator<Item = (usize, usize)>,
) -> Result<(), LoadError> {
    use crate::limits::{MAX_COLUMNS, MAX_ROWS, exceeded};
    for (r, c) in cells {
        if r >= MAX_ROWS || c >= MAX_COLUMNS {
            let at = Origin::cell(file, sheet, r as u32, c as u32);
            let cell = a1(r as u32, c as u32);
            return Err(LoadError::Limit(Box::new(exceeded(
                at,
                &format!("セル {cell} の位置（{} 行目・{} 列目）", r + 1, c + 1),
                &format!(
                    "the position of cell {cell} (row {}, column {})",
                    r + 1,
                    c + 1
                ),
                format!("{MAX_ROWS} 行・{MAX_COLUMNS} 列"),
            ))));
        }
    }
    Ok(())
}

fn merges_of(merges: &[Dimensions]) -> Vec<(usize, usize, usize, usize)> {
    merges
        .iter()
        .map(|d| {
            (
                d.start.0 as usize,
                d.start.1 as usize,
                d.end.0 as usize,
                d.end.1 as usize,
            )
        })
        .collect()
}

fn sheet_data(
    name: String,
    range: &Range<Data>,
    merges: &[Dimensions],
    formats: Option<&XlsFormats>,
) -> SheetData {
    let (r_off, c_off) = range.start().unwrap_or((0, 0));
    let cells = range
        .used_cells()
        .filter_map(|(r, c, v)| {
            let (r, c) = (r + r_off as usize, c + c_off as usize);
            let format = formats.and_then(|f| f.of(r, c));
            sheet_cell(r, c, v, format)
        })
        .collect();
    SheetData {
        name,
        cells,
        merges: merges_of(merges),
    }
}

/// A sheet value with its number format: a number shown as the format shows it, with the
/// exact value it stands for (a %-formatted 0.78 is 78 %); any other value as [`value_text`].
fn sheet_cell(r: usize, c: usize, v: &Data, format: Option<&str>) -> Option<SheetCell> {
    let f = match v {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        _ => return value_text(v).map(|t| SheetCell::text(r, c, t)),
    };
    match crate::quantity::spreadsheet_number(f, format) {
        Some(n) if !n.display.is_empty() => Some(SheetCell {
            row: r,
            col: c,
            text: n.display,
            number: Some(Number {
                value: n.value,
                unit: n.unit,
            }),
        }),
        _ => value_text(v).map(|t| SheetCell::text(r, c, t)),
    }
}

/// A cell value as display text: integers without `.0`, floats plainly, dates in ISO 8601;
/// `None` for empty strings, empty cells and error cells.
fn value_text(v: &Data) -> Option<String> {
    let s = match v {
        Data::Empty | Data::Error(_) => return None,
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{day:02}")
            } else {
                format!("{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
    };
    if s.is_empty() { None } else { Some(s) }
}

/// A number as a person would write it: `1` not `1.0`, `0.5`, no exponent for whole numbers.
pub(crate) fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Build a sheet's grid from its values and merges, registering each cell's text.
///
/// Merge ranges are clipped to the extent of the sheet's values: a merge reaching past the
/// last value (a whole-row or whole-column merge) must not materialise a million rows.
pub(crate) fn build_grid(file: &str, sheet: &SheetData, sources: &mut SourceMap) -> Grid {
    let mut builder = GridBuilder::new(file, Some(&sheet.name));
    let max_row = sheet.cells.iter().map(|c| c.row).max();
    let max_col = sheet.cells.iter().map(|c| c.col).max();
    let mut merges = Vec::new();
    if let (Some(max_row), Some(max_col)) = (max_row, max_col) {
        for &(r0, c0, r1, c1) in &sheet.merges {
            let (r1, c1) = (r1.min(max_row), c1.min(max_col));
            if r0 <= r1 && c0 <= c1 && (r0, c0) != (r1, c1) {
                merges.push((r0, c0, r1, c1));
            }
        }
    }
    let covered = |r: usize, c: usize| {
        merges.iter().any(|&(r0, c0, r1, c1)| {
            (r0..=r1).contains(&r) && (c0..=c1).contains(&c) && (r, c) != (r0, c0)
        })
    };
    for cell in &sheet.cells {
        let (r, c) = (cell.row, cell.col);
        let (r32, c32) = (r as u32, c as u32);
        if !covered(r, c) {
            // Excel keeps covered cells' values in the file but never shows them.
            sources.add_cell(file, &sheet.name, &a1(r32, c32), cell.text.clone());
        }
        let mut grid_cell = Cell::from_text(&cell.text, Origin::cell(file, &sheet.name, r32, c32));
        grid_cell.number = cell.number.clone();
        builder.place(r, c, grid_cell);
    }
    for &(r0, c0, r1, c1) in &merges {
        builder.merge(
            r0,
            c0,
            r1,
            c1,
            Origin::cell(file, &sheet.name, r0 as u32, c0 as u32),
        );
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::grid::Slot;
    use std::io::Write;

    /// A minimal xlsx holding the given sheet XML and shared strings.
    fn xlsx(sheet_xml: &str, shared: &str) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let o = zip::write::SimpleFileOptions::default();
            let files = [
                (
                    "[Content_Types].xml",
                    r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
                ),
                (
                    "_rels/.rels",
                    r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
                ),
                (
                    "xl/workbook.xml",
                    r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="施策" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
                ),
                (
                    "xl/_rels/workbook.xml.rels",
                    r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
                ),
            ];
            for (name, body) in files {
                w.start_file(name, o).expect("zip");
                w.write_all(body.as_bytes()).expect("zip");
            }
            w.start_file("xl/worksheets/sheet1.xml", o).expect("zip");
            w.write_all(sheet_xml.as_bytes()).expect("zip");
            w.start_file("xl/sharedStrings.xml", o).expect("zip");
            w.write_all(shared.as_bytes()).expect("zip");
            w.finish().expect("zip");
        }
        buf.into_inner()
    }

    const SHARED: &str = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>基本目標</t></si><si><t>苫小牧</t><rPh sb="0" eb="3"><t>トマコマイ</t></rPh><phoneticPr fontId="1"/></si><si><r><t>・就業支援</t></r><r><t xml:space="preserve">
・起業支援</t></r><rPh sb="1" eb="3"><t>シュウギョウ</t></rPh><phoneticPr fontId="1"/></si></sst>"#;

    /// Values start at C4 (an offset range); C5:C7 is merged; D5 holds an integer as a float.
    fn sample() -> Vec<u8> {
        let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="4"><c r="C4" t="s"><v>0</v></c></row>
<row r="5"><c r="C5" t="s"><v>1</v></c><c r="D5"><v>1</v></c><c r="E5"><v>2.5</v></c></row>
<row r="6"><c r="C6" t="s"><v>0</v></c><c r="D6" t="s"><v>2</v></c><c r="E6" t="e"><v>#DIV/0!</v></c><c r="F6" t="b"><v>1</v></c></row>
<row r="7"><c r="D7" t="str"><v></v></c><c r="E7"><v>7</v></c></row>
</sheetData><mergeCells count="2"><mergeCell ref="C5:C7"/><mergeCell ref="A1:XFD1"/></mergeCells></worksheet>"#;
        xlsx(sheet, SHARED)
    }

    #[test]
    fn offsets_merges_numbers_and_no_ruby() {
        let out = read(Format::Xlsx, &sample(), "b.xlsx").expect("reads");
        assert_eq!(out.grids.len(), 1);
        let g = &out.grids[0];
        assert_eq!(g.sheet.as_deref(), Some("施策"));
        // The whole-row merge over blanks is clipped to the values' extent (column F).
        assert_eq!(g.width(), 6);
        let head = g.anchor(3, 2).expect("C4");
        assert_eq!(head.text(), "基本目標");
        assert_eq!(head.origin.to_string(), "b.xlsx '施策'!C4");
        let merged = g.anchor(4, 2).expect("C5");
        assert_eq!(merged.text(), "苫小牧");
        assert_eq!(merged.rowspan, 3);
        // The covered C6 value is hidden, as in Excel.
        assert_eq!(g.rows[5][2], Slot::Covered { row: 4, col: 2 });
        assert_eq!(g.rows[6][2], Slot::Covered { row: 4, col: 2 });
        assert_eq!(g.anchor(4, 3).map(Cell::text), Some("1".into()));
        assert_eq!(g.anchor(4, 4).map(Cell::text), Some("2.5".into()));
        assert_eq!(g.anchor(5, 5).map(Cell::text), Some("TRUE".into()));
        let list = g.anchor(5, 3).expect("D6");
        assert_eq!(list.items(), vec!["就業支援", "起業支援"]);
        assert_eq!(list.origin.cell.as_deref(), Some("D6"));
        // Error cells and empty strings are not placed.
        assert_eq!(g.rows[5][4], Slot::Empty);
        assert_eq!(g.rows[6][3], Slot::Empty);
        // Phonetic guides never reach the text.
        let all: Vec<String> = g
            .rows
            .iter()
            .flatten()
            .filter_map(|s| {
                if let Slot::Cell(c) = s {
                    Some(c.text())
                } else {
                    None
                }
            })
            .collect();
        assert!(
            all.iter()
                .all(|t| !t.contains("トマコマイ") && !t.contains("シュウギョウ")),
            "{all:?}"
        );
        // The merge over blank cells is a blank anchor, clipped to the values' width.
        let blank = g.anchor(0, 0).expect("A1 anchor");
        assert!(blank.is_blank());
        assert_eq!(blank.colspan, 6);
        // Shown cells are registered for diagnostics; hidden covered values are not.
        let sources = format!("{:?}", out.sources);
        assert!(sources.contains(r#""C4"): "基本目標""#), "{sources}");
        assert!(!sources.contains(r#""C6")"#), "{sources}");
    }

    #[test]
    fn number_formatting() {
        assert_eq!(number_text(1.0), "1");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(0.25), "0.25");
        assert_eq!(number_text(2024.0), "2024");
    }

    #[test]
    fn damaged_files_are_k005() {
        let bytes = sample();
        for cut in [10, bytes.len() / 2, bytes.len() - 10] {
            let err = read(Format::Xlsx, &bytes[..cut], "t.xlsx").expect_err("truncated");
            assert_eq!(err.code, Code::K005);
        }
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            w.start_file("readme.txt", zip::write::SimpleFileOptions::default())
                .expect("zip");
            w.write_all(b"not a workbook").expect("zip");
            w.finish().expect("zip");
        }
        let err = read(Format::Xlsx, buf.get_ref(), "z.xlsx").expect_err("not a workbook");
        assert_eq!(err.code, Code::K005);
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend(std::iter::repeat_n(0xFFu8, 600));
        let err = read(Format::Xls, &ole, "o.xls").expect_err("broken OLE");
        assert_eq!(err.code, Code::K005);
        let err = read(Format::Xls, &bytes, "x.xls").expect_err("zip as xls");
        assert_eq!(err.code, Code::K005);
    }
}

//! The intermediate table grid that every reader produces and the normalizer consumes.
//!
//! A reader turns its format into [`Grid`]s: dense matrices of [`Slot`]s where merged
//! cells (Excel merge ranges, HTML `rowspan`/`colspan`, ODS `number-rows-spanned`) are an
//! anchor [`Cell`] plus [`Slot::Covered`] positions. Cell content is kept as [`Line`]s so the
//! shared rules here — whitespace cleaning, bullet glyphs, lost bullets, continuation lines —
//! turn any format's cell into scalar text ([`Cell::text`]) or list items ([`Cell::items`]) the
//! same way.

use crate::diag::Diagnostic;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a piece of draft text came from: a file plus a line/column, a sheet cell or a byte.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Origin {
    /// The file, as named relative to the draft folder (or as given on the command line).
    pub file: String,
    /// 1-based line in a text file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column in characters, in a text file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Sheet name in a spreadsheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// A1-style cell reference in a spreadsheet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
    /// Byte offset in the file, for problems below the text level (undecodable bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl Origin {
    /// The whole file, no finer place.
    pub fn file(file: &str) -> Self {
        Origin {
            file: file.to_string(),
            ..Default::default()
        }
    }

    /// A 1-based line and character column in a text file.
    pub fn text(file: &str, line: u32, column: u32) -> Self {
        Origin {
            file: file.to_string(),
            line: Some(line),
            column: Some(column),
            ..Default::default()
        }
    }

    /// A spreadsheet cell, from 0-based row and column indexes.
    pub fn cell(file: &str, sheet: &str, row: u32, col: u32) -> Self {
        Origin {
            file: file.to_string(),
            sheet: Some(sheet.to_string()),
            cell: Some(a1(row, col)),
            ..Default::default()
        }
    }

    /// A byte offset in a file.
    pub fn byte(file: &str, offset: u64) -> Self {
        Origin {
            file: file.to_string(),
            offset: Some(offset),
            ..Default::default()
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.sheet, &self.cell, self.line, self.offset) {
            (Some(sheet), Some(cell), _, _) => {
                write!(f, "{} '{}'!{}", self.file, sheet.replace('\'', "''"), cell)
            }
            (_, _, Some(line), _) => {
                write!(f, "{}:{}:{}", self.file, line, self.column.unwrap_or(1))
            }
            (_, _, _, Some(off)) => write!(f, "{}@{}", self.file, off),
            _ => write!(f, "{}", self.file),
        }
    }
}

/// The A1 reference of a 0-based (row, column): `a1(11, 2)` is `C12`.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(b'A' + rem);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row as u64 + 1)
}

/// The 0-based (row, column) of an A1 reference, the inverse of [`a1`]: `from_a1("C12")` is
/// `(11, 2)`; none for anything else (no letters, no row, row 0, lower case, `$`).
pub fn from_a1(cell: &str) -> Option<(u32, u32)> {
    let digits = cell.trim_start_matches(|c: char| c.is_ascii_uppercase());
    let letters = &cell[..cell.len() - digits.len()];
    if letters.is_empty() || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let row: u32 = digits.parse().ok()?;
    let col = letters.bytes().try_fold(0u32, |n, b| {
        n.checked_mul(26)?.checked_add(u32::from(b - b'A') + 1)
    })?;
    Some((row.checked_sub(1)?, col - 1))
}

/// One line of a cell's content: a paragraph, a line-break-separated line, or an explicit list item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The text as the format gave it, entities decoded, internal whitespace not yet collapsed.
    pub text: String,
    /// True when the format marked this line as a list item (`<li>`).
    pub item: bool,
}

impl Line {
    /// A paragraph or line-break-separated line.
    pub fn para(text: impl Into<String>) -> Self {
        Line {
            text: text.into(),
            item: false,
        }
    }

    /// An explicit list item.
    pub fn item(text: impl Into<String>) -> Self {
        Line {
            text: text.into(),
            item: true,
        }
    }
}

/// The source text of a cell in a text format, so diagnostics can point inside the cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raw {
    /// The cell's bytes as they appear in the decoded file.
    pub text: String,
    /// 1-based line where `text` starts.
    pub line: u32,
    /// 1-based character column where `text` starts.
    pub column: u32,
}

/// A non-empty or empty anchor cell of a grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// The content, in order.
    pub lines: Vec<Line>,
    /// Where the cell is.
    pub origin: Origin,
    /// Rows this cell spans (1 for an unmerged cell).
    pub rowspan: u32,
    /// Columns this cell spans (1 for an unmerged cell).
    pub colspan: u32,
    /// The cell's source text in a text format (text export, CSV, HTML), for precise locations.
    pub raw: Option<Raw>,
    /// The number a spreadsheet keeps in the cell, when it is a number cell: the exact value
    /// as shown (a %-formatted 0.78 is 78) and the unit its number format gives.
    pub number: Option<Number>,
}

/// A spreadsheet's number cell: what the lines show, as a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number {
    /// The value in the unit shown: 78 for a 0.78 formatted as a percentage.
    pub value: rust_decimal::Decimal,
    /// The unit the number format shows: `%`, or a literal such as 人 in `#,##0"人"`.
    pub unit: Option<String>,
}

impl Cell {
    /// A cell holding the given lines at `origin`, unmerged.
    pub fn new(lines: Vec<Line>, origin: Origin) -> Self {
        Cell {
            lines,
            origin,
            rowspan: 1,
            colspan: 1,
            raw: None,
            number: None,
        }
    }

    /// A cell holding one plain string, split into lines at line breaks (Excel's Alt+Enter).
    pub fn from_text(text: &str, origin: Origin) -> Self {
        Cell::new(split_line_breaks(text), origin)
    }

    /// Attach the number a spreadsheet keeps in the cell.
    pub fn with_number(mut self, number: Number) -> Self {
        self.number = Some(number);
        self
    }

    /// Attach the cell's source text for precise locations.
    pub fn with_raw(mut self, raw: Raw) -> Self {
        self.raw = Some(raw);
        self
    }

    /// True when the cell holds no visible text.
    pub fn is_blank(&self) -> bool {
        self.lines.iter().all(|l| clean(&l.text).is_empty())
    }

    /// The cell as one scalar value: lines cleaned and joined, for titles and headers.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for line in &self.lines {
            let t = clean(&line.text);
            if t.is_empty() {
                continue;
            }
            if !out.is_empty() && needs_space(&out, &t) {
                out.push(' ');
            }
            out.push_str(&t);
        }
        out
    }

    /// The cell as a list: explicit items, bulleted lines, and lost bullets (runs of two or
    /// more spaces inside one paragraph) each become one item; bullet glyphs are removed;
    /// in a cell that uses bullet glyphs, an unbulleted line continues the item above it.
    pub fn items(&self) -> Vec<String> {
        let uses_glyphs = self
            .lines
            .iter()
            .any(|l| !l.item && strip_bullet(clean(&l.text).as_str()).is_some());
        let mut out: Vec<String> = Vec::new();
        for line in &self.lines {
            if line.item {
                let t = clean(&line.text);
                let t = strip_bullet(&t).unwrap_or(&t).to_string();
                if !t.is_empty() {
                    out.push(t);
                }
                continue;
            }
            for (i, seg) in split_lost_bullets(&line.text).into_iter().enumerate() {
                let t = clean(seg);
                if t.is_empty() {
                    continue;
                }
                if let Some(rest) = strip_bullet(&t) {
                    if !rest.is_empty() {
                        out.push(rest.to_string());
                    }
                } else if uses_glyphs && i == 0 && !out.is_empty() {
                    let last = out.last_mut().expect("checked non-empty"); // ok: invariant
                    if needs_space(last, &t) {
                        last.push(' ');
                    }
                    last.push_str(&t);
                } else {
                    out.push(t);
                }
            }
        }
        out
    }

    /// The origin of `needle` inside this cell: exact line and column when the cell has raw
    /// source text containing it, else the cell's own origin.
    pub fn locate(&self, needle: &str) -> Origin {
        let Some(raw) = &self.raw else {
            return self.origin.clone();
        };
        let found = raw.text.find(needle).or_else(|| {
            // Fall back to the needle's first few characters (entities, tags or spacing may differ).
            let head: String = needle.chars().take(6).collect();
            if head.is_empty() {
                None
            } else {
                raw.text.find(&head)
            }
        });
        let Some(byte) = found else {
            return self.origin.clone();
        };
        let before = &raw.text[..byte];
        let newlines = before.matches('\n').count() as u32;
        let column = match before.rfind('\n') {
            Some(nl) => before[nl + 1..].chars().count() as u32 + 1,
            None => raw.column + before.chars().count() as u32,
        };
        let mut o = self.origin.clone();
        o.line = Some(raw.line + newlines);
        o.column = Some(column);
        o
    }
}

/// One position of a grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Nothing there (or a blank cell the reader dropped).
    Empty,
    /// A cell anchored here.
    Cell(Cell),
    /// Covered by the merged cell anchored at (row, column).
    Covered {
        /// Anchor row index.
        row: usize,
        /// Anchor column index.
        col: usize,
    },
}

/// One table as a dense matrix, with the context the normalizer needs to find a title.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grid {
    /// The file the table came from.
    pub file: String,
    /// The sheet, for spreadsheets.
    pub sheet: Option<String>,
    /// The nearest heading before this table in the document (HTML), if any.
    pub heading: Option<(String, Origin)>,
    /// Row-major slots; every row has the same length.
    pub rows: Vec<Vec<Slot>>,
}

impl Grid {
    /// Number of columns.
    pub fn width(&self) -> usize {
        self.rows.first().map_or(0, Vec::len)
    }

    /// The cell anchored at or covering (row, col), with a flag telling whether it is covered.
    pub fn cell_at(&self, row: usize, col: usize) -> Option<(&Cell, bool)> {
        match self.rows.get(row)?.get(col)? {
            Slot::Empty => None,
            Slot::Cell(c) => Some((c, false)),
            Slot::Covered { row: r, col: c } => match self.rows.get(*r)?.get(*c)? {
                Slot::Cell(cell) => Some((cell, true)),
                _ => None,
            },
        }
    }

    /// The cell anchored at (row, col) itself, ignoring merges.
    pub fn anchor(&self, row: usize, col: usize) -> Option<&Cell> {
        match self.rows.get(row)?.get(col)? {
            Slot::Cell(c) => Some(c),
            _ => None,
        }
    }

    /// True when the row has no anchored non-blank cell.
    pub fn row_is_blank(&self, row: usize) -> bool {
        self.rows.get(row).is_none_or(|r| {
            r.iter().all(|s| match s {
                Slot::Cell(c) => c.is_blank(),
                _ => true,
            })
        })
    }
}

/// Builds a [`Grid`] either cell by cell with spans (HTML's table model: each new cell takes
/// the next free position) or by absolute position plus merge ranges (spreadsheets).
#[derive(Debug, Default)]
pub struct GridBuilder {
    grid: Grid,
    cursor_row: Option<usize>,
    /// The first limit the table went over (K007); what lies beyond it is not placed.
    over: Option<Diagnostic>,
}

impl GridBuilder {
    /// A builder for a table from `file` (and `sheet` for spreadsheets).
    pub fn new(file: &str, sheet: Option<&str>) -> Self {
        GridBuilder {
            grid: Grid {
                file: file.to_string(),
                sheet: sheet.map(str::to_string),
                ..Default::default()
            },
            cursor_row: None,
            over: None,
        }
    }

    /// Whether a cell spanning to (`row`, `col`) at `origin` with `chars` characters fits the
    /// limits; the first one that does not is kept for [`GridBuilder::finish_checked`].
    fn fits(&mut self, row: usize, col: usize, chars: usize, origin: &Origin) -> bool {
        use crate::limits::{MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, exceeded};
        let over = if row >= MAX_ROWS {
            Some(exceeded(
                origin.clone(),
                &format!("表の行数（{} 行目）", row + 1),
                &format!("the number of rows (row {})", row + 1),
                MAX_ROWS,
            ))
        } else if col >= MAX_COLUMNS {
            Some(exceeded(
                origin.clone(),
                &format!("表の列数（{} 列目）", col + 1),
                &format!("the number of columns (column {})", col + 1),
                MAX_COLUMNS,
            ))
        } else if chars > MAX_CELL_CHARS {
            Some(exceeded(
                origin.clone(),
                &format!("セルの文字数（{chars} 字）"),
                &format!("the length of a cell ({chars} characters)"),
                MAX_CELL_CHARS,
            ))
        } else {
            None
        };
        match over {
            Some(d) => {
                self.over.get_or_insert(d);
                false
            }
            None => true,
        }
    }

    /// Set the nearest heading before the table.
    pub fn heading(&mut self, text: String, origin: Origin) {
        self.grid.heading = Some((text, origin));
    }

    /// Start a new row (HTML-style building).
    pub fn start_row(&mut self) {
        let r = self.cursor_row.map_or(0, |r| r + 1);
        let origin = Origin::file(&self.grid.file);
        if !self.fits(r, 0, 0, &origin) {
            return;
        }
        self.cursor_row = Some(r);
        self.ensure(r, 0);
    }

    /// Append a cell to the current row at the next free column, honouring its spans.
    pub fn push(&mut self, cell: Cell) {
        let r = match self.cursor_row {
            Some(r) => r,
            None => {
                self.start_row();
                0
            }
        };
        let row = &self.grid.rows[r];
        let mut c = 0;
        while c < row.len() && !matches!(row[c], Slot::Empty) {
            c += 1;
        }
        self.place(r, c, cell);
    }

    /// Put a cell at an absolute 0-based position, covering its span.
    pub fn place(&mut self, row: usize, col: usize, cell: Cell) {
        let rs = cell.rowspan.max(1) as usize;
        let cs = cell.colspan.max(1) as usize;
        let chars = cell.lines.iter().map(|l| l.text.chars().count()).sum();
        let origin = cell.origin.clone();
        if !self.fits(row + rs - 1, col + cs - 1, chars, &origin) {
            return;
        }
        self.ensure(row + rs - 1, col + cs - 1);
        for r in row..row + rs {
            for c in col..col + cs {
                if (r, c) != (row, col) && matches!(self.grid.rows[r][c], Slot::Empty) {
                    self.grid.rows[r][c] = Slot::Covered { row, col };
                }
            }
        }
        self.grid.rows[row][col] = Slot::Cell(cell);
    }

    /// Merge the inclusive range (r0, c0)–(r1, c1) into the cell at its top-left corner,
    /// creating an empty anchor when the corner holds nothing (a merge over blank cells).
    pub fn merge(&mut self, r0: usize, c0: usize, r1: usize, c1: usize, origin: Origin) {
        if r1 < r0 || c1 < c0 || !self.fits(r1, c1, 0, &origin) {
            return;
        }
        self.ensure(r1, c1);
        let mut anchor = match std::mem::replace(&mut self.grid.rows[r0][c0], Slot::Empty) {
            Slot::Cell(c) => c,
            _ => Cell::new(Vec::new(), origin),
        };
        anchor.rowspan = (r1 - r0 + 1) as u32;
        anchor.colspan = (c1 - c0 + 1) as u32;
        for r in r0..=r1 {
            for c in c0..=c1 {
                if (r, c) != (r0, c0) {
                    // Excel keeps values of covered cells in the file but never shows them.
                    self.grid.rows[r][c] = Slot::Covered { row: r0, col: c0 };
                }
            }
        }
        self.grid.rows[r0][c0] = Slot::Cell(anchor);
    }

    fn ensure(&mut self, row: usize, col: usize) {
        while self.grid.rows.len() <= row {
            self.grid.rows.push(Vec::new());
        }
        for r in &mut self.grid.rows {
            if r.len() <= col {
                r.resize(col + 1, Slot::Empty);
            }
        }
    }

    /// Finish, or the K007 error of the first limit the table went over.
    pub fn finish_checked(mut self) -> Result<Grid, Diagnostic> {
        match self.over.take() {
            Some(d) => Err(d),
            None => Ok(self.finish()),
        }
    }

    /// Finish: pad every row to the same width and drop trailing blank rows (cells beyond a
    /// limit were left out; see [`GridBuilder::finish_checked`]).
    pub fn finish(mut self) -> Grid {
        let width = self.grid.rows.iter().map(Vec::len).max().unwrap_or(0);
        for r in &mut self.grid.rows {
            r.resize(width, Slot::Empty);
        }
        while self
            .grid
            .rows
            .last()
            .is_some_and(|r| r.iter().all(|s| matches!(s, Slot::Empty)))
        {
            self.grid.rows.pop();
        }
        self.grid
    }
}

/// Split text at line breaks (`\n`, `\r\n`, `\r`, U+2028) into paragraph lines.
pub fn split_line_breaks(text: &str) -> Vec<Line> {
    text.split(['\n', '\r', '\u{2028}'])
        .filter(|s| !s.is_empty())
        .map(Line::para)
        .collect()
}

/// True for the spaces that can separate lost bullets or pad text: ASCII whitespace, NBSP,
/// the ideographic space and the other Unicode space separators.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' || c == '\u{feff}'
}

/// True for characters that cannot be shown and must not reach a reader: control characters
/// other than tab and line breaks, and the bidirectional formatting characters (U+202E and
/// its kin), which reorder what is displayed and can make text read other than it is.
pub fn is_hidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` without its hidden control characters (see [`is_hidden_control`]).
pub fn strip_hidden_controls(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(is_hidden_control) {
        s.chars()
            .filter(|c| !is_hidden_control(*c))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// How a hidden control character is named in a diagnostic: `U+202E` plus what it is.
pub fn describe_hidden_control(c: char) -> (String, String) {
    let code = format!("U+{:04X}", c as u32);
    if c.is_control() {
        (
            format!("{code}（制御文字）"),
            format!("{code} (control character)"),
        )
    } else {
        (
            format!("{code}（書字方向の制御文字）"),
            format!("{code} (bidirectional formatting character)"),
        )
    }
}

/// Clean a piece of display text: NBSP and other spaces become one ASCII space per run (a
/// single ideographic space between words is kept as written), and the ends are trimmed.
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run: Vec<char> = Vec::new();
    let flush = |out: &mut String, run: &mut Vec<char>| {
        if run.is_empty() {
            return;
        }
        if !out.is_empty() {
            if run.len() == 1 && run[0] == '\u{3000}' {
                out.push('\u{3000}');
            } else {
                out.push(' ');
            }
        }
        run.clear();
    };
    for c in s.chars() {
        if is_space(c) {
            run.push(c);
        } else if is_hidden_control(c) {
            // Control and bidi formatting characters carry no text (reported as K118).
            continue;
        } else {
            flush(&mut out, &mut run);
            out.push(c);
        }
    }
    out
}

/// Split a paragraph at runs of two or more spaces: where bullet glyphs were lost in
/// extraction, the items survive only separated by such runs.
pub fn split_lost_bullets(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut run_start: Option<usize> = None;
    let mut run_len = 0;
    for (i, c) in s.char_indices() {
        if is_space(c) && c != '\n' {
            if run_start.is_none() {
                run_start = Some(i);
            }
            run_len += 1;
        } else {
            if let Some(rs) = run_start
                && run_len >= 2
            {
                parts.push(&s[start..rs]);
                start = i;
            }
            run_start = None;
            run_len = 0;
        }
    }
    parts.push(&s[start..]);
    parts
}

/// Bullet glyphs that open a list item in a cell.
pub const BULLETS: &[char] = &[
    '・', '･', '●', '○', '◯', '■', '□', '◆', '◇', '▪', '▫', '•', '‣', '◦', '✓', '✔', '☑', '➢', '▶',
    '►',
];

/// If `t` starts with a bullet glyph, the text after it (trimmed); else `None`.
/// A hyphen counts as a bullet only before a space or a non-digit, so `-10%` stays text.
pub fn strip_bullet(t: &str) -> Option<&str> {
    let mut chars = t.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    if BULLETS.contains(&first) {
        return Some(rest.trim_start_matches(is_space));
    }
    if matches!(first, '-' | '－' | '‐' | '−') {
        let next = rest.chars().next();
        if next.is_some_and(|n| is_space(n) || !(n.is_ascii_digit() || n == '-')) {
            return Some(rest.trim_start_matches(is_space));
        }
    }
    None
}

/// Whether joining `a` and `b` needs a space: only between two Latin letters or digits.
fn needs_space(a: &str, b: &str) -> bool {
    let last = a.chars().last();
    let first = b.chars().next();
    matches!((last, first), (Some(x), Some(y)) if x.is_ascii_alphanumeric() && y.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(lines: Vec<Line>) -> Cell {
        Cell::new(lines, Origin::file("t"))
    }

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 2), "C12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
        assert_eq!(a1(0, 702), "AAA1");
        for (row, col) in [
            (0, 0),
            (11, 2),
            (0, 25),
            (0, 26),
            (9, 701),
            (0, 702),
            (1_048_575, 16_383),
        ] {
            assert_eq!(from_a1(&a1(row, col)), Some((row, col)));
        }
        for bad in [
            "",
            "C",
            "12",
            "C0",
            "c12",
            "$C$12",
            "C12D",
            "C-1",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1",
        ] {
            assert_eq!(from_a1(bad), None, "{bad}");
        }
    }

    #[test]
    fn clean_collapses_and_trims() {
        assert_eq!(clean("  a\u{a0}\u{a0}b \n c "), "a b c");
        assert_eq!(
            clean("\u{3000}苫小牧\u{3000}市\u{3000}"),
            "苫小牧\u{3000}市"
        );
        assert_eq!(clean("a\u{0007}b"), "ab");
        assert_eq!(
            clean("abc\u{202E}fed\u{202C}"),
            "abcfed",
            "bidi overrides go"
        );
        assert_eq!(clean("\u{2067}x\u{2069}\u{200F}"), "x");
        assert_eq!(
            clean("a\u{200D}b"),
            "a\u{200D}b",
            "joiners are text (emoji, scripts)"
        );
    }

    #[test]
    fn lost_bullets_split_on_two_spaces() {
        let c = cell(vec![Line::para(
            " 移住情報発信事業（移住促進ポータルサイト開設等）  苫小牧市お試し居住体験の支援事業",
        )]);
        assert_eq!(
            c.items(),
            vec![
                "移住情報発信事業（移住促進ポータルサイト開設等）",
                "苫小牧市お試し居住体験の支援事業"
            ]
        );
        // One space is not a lost bullet.
        let c = cell(vec![Line::para("A B")]);
        assert_eq!(c.items(), vec!["A B"]);
        // NBSP and ideographic spaces count too.
        let c = cell(vec![Line::para("A\u{a0}\u{a0}B\u{3000}\u{3000}C")]);
        assert_eq!(c.items(), vec!["A", "B", "C"]);
    }

    #[test]
    fn explicit_items_strip_check_marks() {
        let c = cell(vec![
            Line::item("✓ 新卒高校生等雇用奨励金事業"),
            Line::item("✓ 高校生就職支援事業"),
        ]);
        assert_eq!(
            c.items(),
            vec!["新卒高校生等雇用奨励金事業", "高校生就職支援事業"]
        );
    }

    #[test]
    fn bullet_lines_and_continuations() {
        let c = Cell::from_text(
            "・就業支援事業（若者や女性の\n離職防止支援等）\n●市内企業の認知向上支援事業\n- 起業支援",
            Origin::file("t"),
        );
        assert_eq!(
            c.items(),
            vec![
                "就業支援事業（若者や女性の離職防止支援等）",
                "市内企業の認知向上支援事業",
                "起業支援"
            ]
        );
        // Without glyphs every line is its own item.
        let c = Cell::from_text("A事業\nB事業\r\nC事業", Origin::file("t"));
        assert_eq!(c.items(), vec!["A事業", "B事業", "C事業"]);
        // Latin words joined across a continuation keep a space.
        let c = Cell::from_text("・Open\nData", Origin::file("t"));
        assert_eq!(c.items(), vec!["Open Data"]);
    }

    #[test]
    fn hyphen_is_a_bullet_only_before_text() {
        assert_eq!(strip_bullet("- 起業"), Some("起業"));
        assert_eq!(strip_bullet("-起業"), Some("起業"));
        assert_eq!(strip_bullet("-10%削減"), None);
        assert_eq!(strip_bullet("事業"), None);
    }

    #[test]
    fn text_joins_lines() {
        let c = cell(vec![
            Line::para("地元の魅力を強化、"),
            Line::para("暮らしやすさ発信で移住を促進"),
        ]);
        assert_eq!(c.text(), "地元の魅力を強化、暮らしやすさ発信で移住を促進");
        assert!(cell(vec![Line::para(" \u{3000} ")]).is_blank());
    }

    #[test]
    fn builder_honours_html_spans() {
        let mut b = GridBuilder::new("t", None);
        b.start_row();
        let mut goal = Cell::from_text("G", Origin::file("t"));
        goal.rowspan = 2;
        b.push(goal);
        b.push(Cell::from_text("D1", Origin::file("t")));
        b.start_row();
        b.push(Cell::from_text("D2", Origin::file("t")));
        let g = b.finish();
        assert_eq!(g.width(), 2);
        assert_eq!(g.rows[1][0], Slot::Covered { row: 0, col: 0 });
        assert_eq!(g.cell_at(1, 1).map(|(c, _)| c.text()), Some("D2".into()));
        assert_eq!(
            g.cell_at(1, 0).map(|(c, cov)| (c.text(), cov)),
            Some(("G".into(), true))
        );
    }

    #[test]
    fn builder_merges_ranges() {
        let mut b = GridBuilder::new("t", Some("S"));
        b.place(0, 0, Cell::from_text("G", Origin::cell("t", "S", 0, 0)));
        b.place(
            1,
            0,
            Cell::from_text("hidden", Origin::cell("t", "S", 1, 0)),
        );
        b.merge(0, 0, 2, 0, Origin::cell("t", "S", 0, 0));
        let g = b.finish();
        assert_eq!(g.rows.len(), 3);
        assert_eq!(g.anchor(0, 0).map(|c| c.rowspan), Some(3));
        assert_eq!(g.rows[1][0], Slot::Covered { row: 0, col: 0 });
    }

    #[test]
    fn locate_points_inside_raw_text() {
        let c = cell(vec![Line::para("x")]).with_raw(Raw {
            text: "<li>abc”</li>\n<li>def</li>".into(),
            line: 10,
            column: 5,
        });
        let o = c.locate("”");
        assert_eq!((o.line, o.column), (Some(10), Some(12)));
        let o = c.locate("def");
        assert_eq!((o.line, o.column), (Some(11), Some(5)));
    }
}

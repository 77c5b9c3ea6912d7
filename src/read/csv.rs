//! CSV and tab-separated text, in UTF-8 (with or without BOM), CP932 or UTF-16.
//!
//! The whole file is one grid: record *r*, field *c* is grid position (*r*, *c*). Blank fields
//! are not placed, so the normalizer sees them as empty (in hierarchy columns: "same as above").
//! Quoted fields may hold line breaks (Excel's Alt+Enter); they become the cell's lines.
//!
//! The values come from the `csv` crate; each field's place in the file (line and character
//! column where the field starts, opening quote included) is found by scanning the record's
//! source text with the same quoting rules, so diagnostics can point at the field and inside it.

use super::{Format, ReadOutput, decode};
use crate::diag::{Code, Diagnostic, SourceMap};
use crate::grid::{Cell, GridBuilder, Origin, Raw};
use encoding_rs::{UTF_16BE, UTF_16LE};

/// Read a CSV or tab-separated file: the file is one grid.
///
/// UTF-16 input (Excel's "Unicode text") is tab-separated; any other input is sniffed: tabs or
/// commas, whichever the first non-empty line holds more of outside quotes.
pub fn read(bytes: &[u8], file: &str) -> Result<ReadOutput, Diagnostic> {
    let decoded = decode::decode(bytes, file, None)?;
    let text = decoded.text;
    if let Some(at) = text.find('\0') {
        return Err(binary(file, &text, at));
    }
    let delimiter = if decoded.encoding == UTF_16LE || decoded.encoding == UTF_16BE {
        b'\t'
    } else {
        sniff_delimiter(&text)
    };
    let lines = LineIndex::new(&text);
    let mut builder = GridBuilder::new(file, None);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = ::csv::StringRecord::new();
    let mut cursor = 0usize;
    let mut row = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(super::broken(file, Format::Csv, crate::explain::csv(&e))),
        }
        let start = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(cursor);
        let (spans, end) = field_spans(&text, start, delimiter);
        cursor = end;
        for (col, value) in record.iter().enumerate() {
            // The scanner and the csv crate follow the same rules; should they ever disagree,
            // fall back to the record's start rather than guess.
            let (from, to) = spans
                .get(col)
                .copied()
                .unwrap_or_else(|| (spans.first().map_or(start, |s| s.0), start));
            let (line, column) = lines.place(&text, from);
            let cell = Cell::from_text(value, Origin::text(file, line, column)).with_raw(Raw {
                text: text.get(from..to).unwrap_or(value).to_string(),
                line,
                column,
            });
            if !cell.is_blank() {
                builder.place(row, col, cell);
            }
        }
        row += 1;
    }
    let mut out = ReadOutput::default();
    out.grids.push(builder.finish_checked()?);
    let mut sources = SourceMap::default();
    sources.add_text(file, text);
    out.sources = sources;
    Ok(out)
}

/// The delimiter of a BOM-less or UTF-8 file: tab when the first non-empty line holds more
/// tabs than commas outside quotes, else comma.
fn sniff_delimiter(text: &str) -> u8 {
    let (mut tabs, mut commas) = (0usize, 0usize);
    let mut in_quotes = false;
    let mut field_start = true;
    let mut content = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                } else {
                    in_quotes = false;
                }
            }
            continue;
        }
        match c {
            '"' if field_start => {
                in_quotes = true;
                content = true;
                field_start = false;
            }
            '\t' => {
                tabs += 1;
                field_start = true;
            }
            ',' => {
                commas += 1;
                field_start = true;
            }
            '\r' | '\n' => {
                if content || tabs + commas > 0 {
                    break;
                }
                field_start = true;
            }
            c => {
                if !crate::grid::is_space(c) {
                    content = true;
                }
                field_start = false;
            }
        }
    }
    if tabs > commas { b'\t' } else { b',' }
}

/// The byte spans (start, end) of the fields of the record whose parse started at byte
/// `start`, and the byte where the record ends. Like the csv crate, blank lines before the
/// record are skipped, a field is quoted only when `"` is its first byte, `""` inside quotes
/// is one quote, text after a closing quote belongs to the same field, and `\r`, `\n` or
/// `\r\n` outside quotes end the record. A span includes the field's quotes.
fn field_spans(text: &str, start: usize, delimiter: u8) -> (Vec<(usize, usize)>, usize) {
    let b = text.as_bytes();
    let mut i = start.min(b.len());
    while i < b.len() && (b[i] == b'\r' || b[i] == b'\n') {
        i += 1;
    }
    let mut spans = Vec::new();
    loop {
        let from = i;
        if i < b.len() && b[i] == b'"' {
            i += 1;
            while i < b.len() {
                if b[i] == b'"' {
                    if b.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
        }
        while i < b.len() && b[i] != delimiter && b[i] != b'\r' && b[i] != b'\n' {
            i += 1;
        }
        spans.push((from, i));
        if i < b.len() && b[i] == delimiter {
            i += 1;
            continue;
        }
        return (spans, i);
    }
}

/// Byte offsets where lines start, to turn a byte offset into a 1-based line and character
/// column. Lines end at `\n`, as in [`SourceMap`]; a `\r` before it is part of the line end.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line and character column of byte `at`.
    fn place(&self, text: &str, at: usize) -> (u32, u32) {
        let idx = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        let line_start = self.starts.get(idx).copied().unwrap_or(0);
        let column = text.get(line_start..at).map_or(0, |s| s.chars().count());
        (to_u32(idx + 1), to_u32(column + 1))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// K005 for a file that decodes but holds NUL characters: binary data, not a CSV.
fn binary(file: &str, text: &str, at: usize) -> Diagnostic {
    let (line, column) = LineIndex::new(text).place(text, at);
    Diagnostic::at(
        Code::K005,
        Origin::text(file, line, column),
        format!(
            "{file} は CSV として読み込めません: {line} 行目に NUL 文字があり、テキストファイルではありません"
        ),
        format!(
            "{file} cannot be read as CSV: line {line} holds a NUL character, so it is not a text file"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{Grid, Slot};
    use encoding_rs::SHIFT_JIS;

    fn grid(bytes: &[u8]) -> Grid {
        let mut out = read(bytes, "t.csv").expect("reads");
        assert_eq!(out.grids.len(), 1);
        out.grids.remove(0)
    }

    fn texts(g: &Grid) -> Vec<Vec<String>> {
        g.rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|s| match s {
                        Slot::Cell(c) => c.text(),
                        _ => String::new(),
                    })
                    .collect()
            })
            .collect()
    }

    fn place(g: &Grid, row: usize, col: usize) -> (Option<u32>, Option<u32>) {
        let c = g.anchor(row, col).expect("cell");
        (c.origin.line, c.origin.column)
    }

    fn utf16le(s: &str) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        bytes
    }

    #[test]
    fn sniffs_the_delimiter() {
        assert_eq!(sniff_delimiter("a,b,c\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n"), b'\t');
        assert_eq!(
            sniff_delimiter("\r\n  \n基本目標\t事業例\nx,y,z,w\n"),
            b'\t'
        );
        // Commas inside quotes do not count; a multi-line quoted field is still the first line.
        assert_eq!(sniff_delimiter("\"a,b,c\"\t\"d,\ne\"\tf\n"), b'\t');
        assert_eq!(sniff_delimiter("\"x\t\"\"y\"\"\t\",b\n"), b',');
        // A quote inside an unquoted field is a plain character.
        assert_eq!(sniff_delimiter("a\"b\tc\td,e\n"), b'\t');
        assert_eq!(sniff_delimiter("単独の列\n"), b',');
        assert_eq!(sniff_delimiter(""), b',');
    }

    #[test]
    fn comma_and_tab_files() {
        let g = grid("基本目標,事業例\n目標A,事業1\n,事業2\n".as_bytes());
        assert_eq!(
            texts(&g),
            vec![
                vec!["基本目標", "事業例"],
                vec!["目標A", "事業1"],
                vec!["", "事業2"]
            ]
        );
        assert_eq!(g.rows[2][0], Slot::Empty, "blank cells are not placed");
        let g = grid("基本目標\t事業例\n目標A\t事業, その1\n".as_bytes());
        assert_eq!(texts(&g)[1], vec!["目標A", "事業, その1"]);
    }

    #[test]
    fn quoted_multiline_fields_become_lines() {
        let g = grid("a,b\r\n\"x\",\"・事業1\n・事業\"\"2\"\"\r\n・事業3\"\r\n".as_bytes());
        let c = g.anchor(1, 1).expect("cell");
        assert_eq!(c.lines.len(), 3);
        assert_eq!(c.items(), vec!["事業1", "事業\"2\"", "事業3"]);
        assert_eq!(g.anchor(1, 0).expect("cell").text(), "x");
    }

    #[test]
    fn field_origins_and_raw_text() {
        let src = "基本目標,施策,事業例\r\n目標A,\"①施策\",\"・一\n・二\"\r\n,,事業X\r\n\r\n\"引用\"\"付き\"\"\",末尾\r\n";
        let g = grid(src.as_bytes());
        assert_eq!(place(&g, 0, 0), (Some(1), Some(1)));
        assert_eq!(place(&g, 0, 1), (Some(1), Some(6)));
        assert_eq!(place(&g, 0, 2), (Some(1), Some(9)));
        assert_eq!(place(&g, 1, 0), (Some(2), Some(1)));
        assert_eq!(
            place(&g, 1, 1),
            (Some(2), Some(5)),
            "a quoted field starts at its quote"
        );
        assert_eq!(place(&g, 1, 2), (Some(2), Some(11)));
        let c = g.anchor(1, 2).expect("cell");
        let raw = c.raw.as_ref().expect("raw");
        assert_eq!(
            (raw.text.as_str(), raw.line, raw.column),
            ("\"・一\n・二\"", 2, 11)
        );
        let o = c.locate("二");
        assert_eq!((o.line, o.column), (Some(3), Some(2)));
        // After the multi-line field and CRLF line ends.
        assert_eq!(place(&g, 2, 2), (Some(4), Some(3)));
        // A blank line is skipped; the record after it is the next grid row.
        assert_eq!(place(&g, 3, 0), (Some(6), Some(1)));
        assert_eq!(g.anchor(3, 0).expect("cell").text(), "引用\"付き\"");
        assert_eq!(place(&g, 3, 1), (Some(6), Some(12)));
        let o = g.anchor(3, 1).expect("cell").locate("末尾");
        assert_eq!((o.line, o.column), (Some(6), Some(12)));
    }

    #[test]
    fn origins_in_a_bom_file_start_after_the_bom() {
        let g = grid("\u{feff}基本目標,事業例\r\n目標,\"事業\"\r\n".as_bytes());
        assert_eq!(g.anchor(0, 0).expect("cell").text(), "基本目標");
        assert_eq!(place(&g, 0, 0), (Some(1), Some(1)));
        assert_eq!(place(&g, 1, 1), (Some(2), Some(4)));
    }

    #[test]
    fn sources_hold_the_decoded_text() {
        let (bytes, _, _) = SHIFT_JIS.encode("基本目標,事業例\r\n①目標,“縁”\r\n");
        let out = read(&bytes, "s.csv").expect("reads");
        let g = &out.grids[0];
        assert_eq!(g.anchor(1, 0).expect("cell").text(), "①目標");
        assert_eq!(g.anchor(1, 1).expect("cell").text(), "“縁”");
        assert_eq!(g.file, "s.csv");
        assert!(out.title.is_none());
    }

    #[test]
    fn decodes_utf8_cp932_and_utf16le() {
        let expected = vec![
            vec!["基本目標", "具体的な施策"],
            vec!["目標A", "⑮広域観光振興の推進"],
        ];
        let g = grid("\u{feff}基本目標,具体的な施策\r\n目標A,⑮広域観光振興の推進\r\n".as_bytes());
        assert_eq!(texts(&g), expected);
        let g = grid("基本目標,具体的な施策\n目標A,⑮広域観光振興の推進\n".as_bytes());
        assert_eq!(texts(&g), expected);
        let (sjis, _, unmappable) =
            SHIFT_JIS.encode("基本目標,具体的な施策\r\n目標A,⑮広域観光振興の推進\r\n");
        assert!(!unmappable);
        assert_eq!(texts(&grid(&sjis)), expected);
        // UTF-16 is always tab-separated, even with commas in the text.
        let g = grid(&utf16le(
            "基本目標\t具体的な施策\r\n目標A\t\"⑮広域観光振興の推進,\n（上乗せ）\"\r\n",
        ));
        assert_eq!(texts(&g)[0], expected[0]);
        assert_eq!(
            texts(&g)[1],
            vec!["目標A", "⑮広域観光振興の推進,（上乗せ）"]
        );
        assert_eq!(g.anchor(1, 1).expect("cell").lines.len(), 2);
        assert_eq!(place(&g, 1, 1), (Some(2), Some(5)));
    }

    #[test]
    fn broken_utf8_byte_is_k003_with_its_offset() {
        let mut bytes = "基本目標,事業例\n目標A,地元企業".as_bytes().to_vec();
        let at = bytes.len();
        bytes.push(0xFF);
        bytes.extend_from_slice("と学生\n".as_bytes());
        let e = read(&bytes, "u.csv").expect_err("bad byte");
        assert_eq!(e.code, Code::K003);
        assert_eq!(e.origin.as_ref().and_then(|o| o.offset), Some(at as u64));
        assert!(e.message.ja.contains("2 行目"), "{}", e.message.ja);
    }

    #[test]
    fn broken_cp932_byte_is_k003_with_its_offset() {
        let (good, _, _) = SHIFT_JIS.encode("基本目標,施策の基本的方向,具体的な施策\r\n地元雇用の拡大,1-1 若者の雇用,①就職の促進\r\n");
        let mut bytes = good.into_owned();
        let at = bytes.len();
        bytes.extend_from_slice(&[0x81, 0x20]); // a lead byte followed by an invalid trail byte
        let (tail, _, _) = SHIFT_JIS.encode("が壊れた行\r\n");
        bytes.extend_from_slice(&tail);
        let e = read(&bytes, "s.csv").expect_err("bad byte");
        assert_eq!(e.code, Code::K003);
        assert_eq!(e.origin.as_ref().and_then(|o| o.offset), Some(at as u64));
    }

    #[test]
    fn binary_junk_is_an_error_not_a_panic() {
        // A deterministic pseudo-random byte soup.
        let mut x: u32 = 0x1234_5678;
        let junk: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 24) as u8
            })
            .collect();
        let e = read(&junk, "j.csv").expect_err("junk");
        assert!(matches!(e.code, Code::K003 | Code::K005), "{e:?}");
        let e = read(b"a,b\n\x00\x01\x02,c\n", "j.csv").expect_err("NUL");
        assert_eq!(e.code, Code::K005);
        assert_eq!(e.origin.as_ref().and_then(|o| o.line), Some(2));
        // Odd shapes never panic.
        for src in [
            &b""[..],
            b"\"",
            b"\"unterminated,\n",
            b",,,\n",
            b"\r\r\n\n",
            b"a\"b,\"c\"d\"\",e",
            b"\xff\xfe",
            b"\xff\xfe\x00",
            b"\xef\xbb\xbf",
        ] {
            let _ = read(src, "odd.csv");
        }
    }

    #[test]
    fn ragged_rows_and_trailing_blank_fields() {
        let g = grid("a,b,c\nd\ne,,,\n".as_bytes());
        assert_eq!(g.width(), 3);
        assert_eq!(texts(&g)[1], vec!["d", "", ""]);
        assert_eq!(texts(&g)[2], vec!["e", "", ""]);
    }

    #[test]
    fn unterminated_quote_runs_to_the_end() {
        let g = grid("a,\"b\nc".as_bytes());
        let c = g.anchor(0, 1).expect("cell");
        assert_eq!(c.lines.len(), 2);
        assert_eq!(place(&g, 0, 1), (Some(1), Some(3)));
    }
}

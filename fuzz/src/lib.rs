//! What the fuzz targets share: reading bytes through a reader and on through the normalizer
//! and the writers, checking the invariants a user relies on (errors are located, the
//! outputs are well-formed), and building table grids from fuzz bytes for the normalizer.

use kohyo::grid::{Cell, Grid, GridBuilder, Line, Origin};
use kohyo::normalize::{Source, normalize};
use kohyo::read::{Format, ReadOutput, read_bytes};

/// The file name every origin must carry.
pub const FILE: &str = "fuzz.input";

/// Read `data` as `format`; an error must name the file. Whatever was read goes on through
/// the normalizer and the writers.
pub fn read_and_normalize(format: Format, data: &[u8]) {
    match read_bytes(format, data, FILE) {
        Ok(out) => {
            for d in &out.diagnostics {
                assert_located(d);
            }
            normalize_and_write(&out);
        }
        Err(d) => assert_located(&d),
    }
}

/// A diagnostic from reading a file always points at that file.
fn assert_located(d: &kohyo::diag::Diagnostic) {
    let o = d.origin.as_ref().expect("a reader's diagnostic has an origin");
    assert_eq!(o.file, FILE, "{d:?}");
}

/// Normalize one reader's output and, when a model comes out, write the web page, the CSVs
/// and the catalog metadata from it (the PDF is left to the tests: it is 1,000× slower).
pub fn normalize_and_write(out: &ReadOutput) {
    let (strategy, diags) = normalize(
        &[Source {
            file: FILE,
            output: out,
        }],
        None,
    );
    for d in &diags {
        if let Some(o) = &d.origin {
            assert_eq!(o.file, FILE, "{d:?}");
        }
    }
    let Some(s) = strategy else { return };
    let page = kohyo::write::html::write(&s, &kohyo::write::html::HtmlSettings::default());
    let page = String::from_utf8(page).expect("the page is UTF-8");
    assert!(!page.contains("<script"), "draft text became markup");
    let _ = kohyo::write::opendata::check(&s, None);
    use kohyo::write::opendata::{CsvEncoding, csv_files, metadata_files};
    for enc in [CsvEncoding::Utf8Bom, CsvEncoding::Cp932] {
        if let Ok(csvs) = csv_files(&s, "fuzz", enc) {
            for (path, bytes) in metadata_files(&s, "fuzz", enc, &csvs, &[]) {
                if path.ends_with(".json") || path.ends_with(".jsonld") {
                    let _: serde_json::Value =
                        serde_json::from_slice(&bytes).expect("metadata is JSON");
                }
            }
        }
    }
}

/// Words the normalizer looks for, so the fuzzer reaches past the header search quickly.
const WORDS: &[&str] = &[
    "基本目標",
    "施策の基本的方向",
    "具体的な施策",
    "事業例",
    "関連する事業",
    "関連する既存事業",
    "基本目標１　安定した雇用を創出する",
    "1-1 若者の雇用",
    "１－２",
    "2-1",
    "①",
    "②企業誘致",
    "③",
    "（１）",
    "・",
    "●",
    "- ",
    "※",
    "（先行型）",
    "（加速化交付金）",
    "【参考】",
    "」",
    "「",
    "=cmd|' /C calc'!A0",
    "<script>",
    "\u{202E}",
    "\u{0007}",
    "\u{3000}",
    "  ",
    "\n",
    "苫小牧市総合戦略（骨子案）",
    "",
];

/// A grid built from fuzz bytes, read as a small program: each byte either picks a word, a
/// raw character, a span, or starts a new cell or row. Headings come from the first bytes.
pub fn grid_from_bytes(data: &[u8]) -> Grid {
    let mut b = GridBuilder::new(FILE, Some("Sheet1"));
    let mut text = String::new();
    let (mut rowspan, mut colspan) = (1u32, 1u32);
    let (mut row, mut col) = (0u32, 0u32);
    let mut bytes = data.iter().copied();
    let flush = |b: &mut GridBuilder, text: &mut String, rs: &mut u32, cs: &mut u32, row: u32, col: u32| {
        let mut cell = Cell::new(
            kohyo::grid::split_line_breaks(text)
                .into_iter()
                .map(|l| if l.text.starts_with('・') { Line::item(l.text) } else { l })
                .collect(),
            Origin::cell(FILE, "Sheet1", row, col),
        );
        cell.rowspan = *rs;
        cell.colspan = *cs;
        b.push(cell);
        text.clear();
        *rs = 1;
        *cs = 1;
    };
    b.start_row();
    while let Some(op) = bytes.next() {
        match op {
            0..=0x9F => text.push_str(WORDS[op as usize % WORDS.len()]),
            0xA0..=0xCF => {
                if let Some(c) = bytes.next() {
                    text.push(char::from_u32(0x3000 + u32::from(c) * 8).unwrap_or('?'));
                }
            }
            0xD0..=0xDF => rowspan = u32::from(op - 0xCF),
            0xE0..=0xE7 => colspan = u32::from(op - 0xDF),
            0xE8..=0xF7 => {
                flush(&mut b, &mut text, &mut rowspan, &mut colspan, row, col);
                col += 1;
            }
            _ => {
                flush(&mut b, &mut text, &mut rowspan, &mut colspan, row, col);
                b.start_row();
                row += 1;
                col = 0;
            }
        }
    }
    flush(&mut b, &mut text, &mut rowspan, &mut colspan, row, col);
    b.finish()
}

/// Normalize and write a grid built from fuzz bytes.
pub fn normalize_grid(data: &[u8]) {
    let out = ReadOutput {
        grids: vec![grid_from_bytes(data)],
        ..Default::default()
    };
    normalize_and_write(&out);
}

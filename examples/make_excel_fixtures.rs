//! Writes the Excel fixture drafts in `tests/fixtures/excel/`: the Tomakomai seed draft
//! (`inputs/tomakomai/000_ebe3fcc3fed13691.txt`) as a city office would keep it in Excel.
//!
//! Run `cargo run --example make_excel_fixtures` from the crate root. The output is
//! deterministic (fixed creation date, fixed zip timestamps), so a re-run on an unchanged
//! example leaves `git status` clean. It writes
//!
//! - `tomakomai/戦略.xlsx`: sheet `総合戦略` with the title merged over C2:F2, the header row at
//!   C4:F4 (blank columns A–B and rows 1 and 3 before it), 基本目標 and 施策の基本的方向 merged
//!   vertically, 具体的な施策 either one row with all its 事業例 in one Alt+Enter cell
//!   (`・`, `●` or `- ` bullets, or none; two long items wrapped onto an unbulleted second
//!   line) or one row per 事業例 with the measure cell merged over them, and a `※` footnote
//!   below the table; sheet `関連事業` with header 基本目標 | 関連する事業 at B4:C4, one row per
//!   project (goal 1's ticked `✓ ` as in the seed), the goal merged vertically, and a footnote.
//! - `ruby/戦略.xlsx`: the same workbook with phonetic guides (`<rPh>` runs and
//!   `<phoneticPr>`) injected into `xl/sharedStrings.xml`, as Japanese Excel writes them.
//! - `misnamed/戦略.xls`: the xlsx bytes under an `.xls` name.
//!
//! and, in `tests/fixtures/soan/`, the seed at its next stage (素案) with indicators:
//!
//! - `xlsx/戦略.xlsx`: the same two sheets (title 苫小牧市総合戦略（素案）), then sheet
//!   `数値目標` (one row per 数値目標, the goal written 「基本目標1」 and merged over its rows;
//!   values as NUMBER cells with number formats, %-values as fractions formatted `0.0%`, years
//!   as numbers (年度), texts (平成25年) or DATE cells formatted `yyyy"年"m"月"`), sheet `KPI`
//!   (one row per KPI, the measure merged over ⑤'s two; a `0%` value with an empty unit cell,
//!   texts ―, 約4,200 and 2,000以上, DATE years for ⑧) and sheet `メモ`, an office note.
//!
//! `xls/戦略.xls` and `ods/戦略.ods` are converted from `tomakomai/戦略.xlsx` (and the soan
//! ones from `soan/xlsx/戦略.xlsx`) once with LibreOffice and committed; see
//! `tests/fixtures/excel/README.md` and `tests/fixtures/soan/README.md`.
//!
//! The data is ported from `tests/fixtures/csv/make.py` (itself transcribed from the seed),
//! keeping the seed's quirks: its row order (4-2 and 4-3 each twice, not adjacent),
//! （先行型）/（上乗せ） suffixes, and the stray trailing `”` on three related projects. The
//! indicators ([`SOAN_GOAL_ROWS`], [`SOAN_KPI_ROWS`]) are ported from
//! `tests/fixtures/soan/data.py`, whose `make.py` reads the workbook back and fails when the
//! two disagree.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};
use std::error::Error;
use std::io::{Cursor, Read, Write};
use std::path::Path;

const TITLE: &str = "苫小牧市総合戦略（骨子案）";
const SOAN_TITLE: &str = "苫小牧市総合戦略（素案）";
const MAIN_SHEET: &str = "総合戦略";
const RELATED_SHEET: &str = "関連事業";
const MAIN_HEADER: [&str; 4] = ["基本目標", "施策の基本的方向", "具体的な施策", "事業例"];
const RELATED_HEADER: [&str; 2] = ["基本目標", "関連する事業"];

/// The main table's first column (C) and header row (4), 0-based.
const MAIN_COL: u16 = 2;
const MAIN_HEADER_ROW: u32 = 3;
/// The related table's first column (B) and header row (4), 0-based.
const RELATED_COL: u16 = 1;
const RELATED_HEADER_ROW: u32 = 3;

const MAIN_NOTE: &str = "※ 事業例は現時点の案であり、今後の検討により変更となる場合があります。";
const RELATED_NOTE: &str = "※ 関連する既存事業は平成27年度予算の事業名で記載しています。";

/// How a measure's 事業例 are laid out.
#[derive(Clone, Copy)]
enum Shape {
    /// One row; every project on its own line (Alt+Enter) of one cell, opened by the bullet.
    OneCell(&'static str),
    /// One row per project, the measure cell merged over them; each cell opened by the
    /// bullet (`""` for none).
    RowPerProject(&'static str),
}

/// The shape of each of the 15 measures, in order: a mix, as in a file many hands edited.
const SHAPES: [Shape; 15] = [
    Shape::OneCell("・"),       // ①
    Shape::RowPerProject(""),   // ②
    Shape::OneCell("●"),        // ③
    Shape::OneCell("- "),       // ④ (one project wrapped onto a second line)
    Shape::OneCell("・"),       // ⑤ (one project wrapped onto a second line)
    Shape::OneCell("・"),       // ⑥
    Shape::OneCell(""),         // ⑦
    Shape::OneCell("・"),       // ⑧
    Shape::OneCell("・"),       // ⑨
    Shape::RowPerProject(""),   // ⑩
    Shape::OneCell("●"),        // ⑪
    Shape::RowPerProject("・"), // ⑫
    Shape::OneCell("・"),       // ⑬
    Shape::OneCell(""),         // ⑭
    Shape::OneCell("・"),       // ⑮
];

/// Projects typed with a line break in the middle (the continuation line has no bullet):
/// the break follows this prefix.
const WRAPPED: &[&str] = &[
    "子育て世代包括支援センター事業（妊娠・出産・子育ての切れ目ない支援を",
    "「子ども送迎バス」の検討（保育ステーション～",
];

/// Goals whose related projects are each ticked with `✓ `, as the seed's list is.
const TICKED_GOALS: &[usize] = &[1];

/// Phonetic guides injected into the ruby variant: every shared string containing one of
/// these words gets an `<rPh>` run with its reading over each occurrence (as Japanese Excel
/// records the kana typed through the IME), then a `<phoneticPr>`. This reaches the title,
/// the 基本目標 and 事業例 headers, a direction, projects inside Alt+Enter cells and a
/// related project. The readings are katakana, Excel's default: the seed itself writes
/// とまこまい in hiragana (旬のとまこまい情報の発信事業), so a leak would not show as that.
const RUBY: &[(&str, &str)] = &[
    ("苫小牧", "トマコマイ"),
    ("基本目標", "キホンモクヒョウ"),
    ("事業例", "ジギョウレイ"),
    ("女性", "ジョセイ"),
];

fn main() -> Result<(), Box<dyn Error>> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let out = fixtures.join("excel");
    let xlsx = workbook()?;
    write(&out.join("tomakomai/戦略.xlsx"), &xlsx)?;
    write(&out.join("ruby/戦略.xlsx"), &with_ruby(&xlsx)?)?;
    write(&out.join("misnamed/戦略.xls"), &xlsx)?;
    write(&fixtures.join("soan/xlsx/戦略.xlsx"), &soan_workbook()?)?;
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Box<dyn Error>> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)?;
    println!("wrote {} ({} bytes)", path.display(), bytes.len());
    Ok(())
}

/// The cell formats of the workbook.
struct Formats {
    title: Format,
    header: Format,
    body: Format,
    note: Format,
}

impl Formats {
    fn new() -> Self {
        let body = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xD9E1F2)),
            body,
            note: Format::new().set_font_size(9),
        }
    }
}

/// A workbook with the fixed author and creation date (`date` as y, m, d at 09:00 UTC).
fn new_book(date: (u16, u8, u8)) -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(date.0, date.1, date.2)?.and_hms(9, 0, 0)?;
    book.set_properties(
        &DocProperties::new()
            .set_author("苫小牧市")
            .set_creation_datetime(&created),
    );
    Ok(book)
}

fn workbook() -> Result<Vec<u8>, XlsxError> {
    let mut book = new_book((2015, 9, 1))?;
    let f = Formats::new();
    main_sheet(book.add_worksheet(), &f, TITLE)?;
    related_sheet(book.add_worksheet(), &f)?;
    book.save_to_buffer()
}

/// The 素案 workbook: the seed's two sheets, then the indicators and an office note.
fn soan_workbook() -> Result<Vec<u8>, XlsxError> {
    let mut book = new_book((2015, 10, 20))?;
    let f = Formats::new();
    main_sheet(book.add_worksheet(), &f, SOAN_TITLE)?;
    related_sheet(book.add_worksheet(), &f)?;
    goal_indicator_sheet(book.add_worksheet(), &f)?;
    kpi_sheet(book.add_worksheet(), &f)?;
    memo_sheet(book.add_worksheet(), &f)?;
    book.save_to_buffer()
}

/// Write `text` over rows first..=last of column `col`, merged when it spans more than one row.
fn vertical(
    sheet: &mut Worksheet,
    first: u32,
    last: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if last > first {
        sheet.merge_range(first, col, last, col, text, format)?;
    } else {
        sheet.write_string_with_format(first, col, text, format)?;
    }
    Ok(())
}

/// A project as typed: the bullet, then the text, with a line break where it was wrapped.
fn typed(bullet: &str, project: &str) -> String {
    let mut text = format!("{bullet}{project}");
    if let Some(prefix) = WRAPPED.iter().find(|p| project.starts_with(**p)) {
        text.insert(bullet.len() + prefix.len(), '\n');
    }
    text
}

/// Extend `runs` with (first row, last row, value): consecutive rows of equal value merge.
fn extend_run(runs: &mut Vec<(u32, u32, String)>, first: u32, last: u32, value: &str) {
    match runs.last_mut() {
        Some(run) if run.2 == value && run.1 + 1 == first => run.1 = last,
        _ => runs.push((first, last, value.to_string())),
    }
}

fn main_sheet(sheet: &mut Worksheet, f: &Formats, title: &str) -> Result<(), XlsxError> {
    sheet.set_name(MAIN_SHEET)?;
    let c = MAIN_COL;
    for (col, width) in [
        (0, 2.0),
        (1, 2.0),
        (c, 26.0),
        (c + 1, 26.0),
        (c + 2, 30.0),
        (c + 3, 70.0),
    ] {
        sheet.set_column_width(col, width)?;
    }
    sheet.merge_range(
        MAIN_HEADER_ROW - 2,
        c,
        MAIN_HEADER_ROW - 2,
        c + 3,
        title,
        &f.title,
    )?;
    for (i, h) in MAIN_HEADER.iter().enumerate() {
        sheet.write_string_with_format(MAIN_HEADER_ROW, c + i as u16, *h, &f.header)?;
    }
    let mut goals = Vec::new();
    let mut directions = Vec::new();
    let mut row = MAIN_HEADER_ROW + 1;
    for (&(goal, direction, measure, projects), shape) in MEASURES.iter().zip(SHAPES) {
        let first = row;
        match shape {
            Shape::OneCell(bullet) => {
                let cell: Vec<String> = projects.iter().map(|p| typed(bullet, p)).collect();
                sheet.write_string_with_format(row, c + 3, cell.join("\n"), &f.body)?;
                row += 1;
            }
            Shape::RowPerProject(bullet) => {
                for p in projects {
                    sheet.write_string_with_format(row, c + 3, typed(bullet, p), &f.body)?;
                    row += 1;
                }
            }
        }
        let last = row - 1;
        vertical(sheet, first, last, c + 2, measure, &f.body)?;
        extend_run(&mut goals, first, last, GOALS[goal - 1]);
        extend_run(&mut directions, first, last, direction);
    }
    for (first, last, goal) in &goals {
        vertical(sheet, *first, *last, c, goal, &f.body)?;
    }
    for (first, last, direction) in &directions {
        vertical(sheet, *first, *last, c + 1, direction, &f.body)?;
    }
    sheet.write_string_with_format(row + 1, c, MAIN_NOTE, &f.note)?;
    Ok(())
}

fn related_sheet(sheet: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(RELATED_SHEET)?;
    let c = RELATED_COL;
    for (col, width) in [(0, 2.0), (c, 40.0), (c + 1, 60.0)] {
        sheet.set_column_width(col, width)?;
    }
    sheet.write_string_with_format(
        RELATED_HEADER_ROW - 2,
        c,
        "【参考】関連する既存事業",
        &f.title,
    )?;
    for (i, h) in RELATED_HEADER.iter().enumerate() {
        sheet.write_string_with_format(RELATED_HEADER_ROW, c + i as u16, *h, &f.header)?;
    }
    let mut row = RELATED_HEADER_ROW + 1;
    for &(goal, projects) in RELATED {
        let first = row;
        let tick = if TICKED_GOALS.contains(&goal) {
            "✓ "
        } else {
            ""
        };
        for p in projects {
            sheet.write_string_with_format(row, c + 1, format!("{tick}{p}"), &f.body)?;
            row += 1;
        }
        vertical(sheet, first, row - 1, c, GOALS[goal - 1], &f.body)?;
    }
    sheet.write_string_with_format(row + 1, c, RELATED_NOTE, &f.note)?;
    Ok(())
}

/// A value or year cell of the indicator sheets.
#[derive(Clone, Copy)]
enum Val {
    /// A NUMBER cell with its number format (`""` for General).
    Num(f64, &'static str),
    /// A text cell, as typed.
    Text(&'static str),
    /// A DATE cell (year, month, day), formatted [`MONTH`].
    Date(u16, u8, u8),
}

/// One row of the 数値目標 or KPI sheet.
struct IndicatorRow {
    /// The goal number (数値目標) or the measure number ①…⑮ (KPI).
    key: usize,
    name: &'static str,
    /// `""` writes a blank cell (bordered, no value).
    unit: &'static str,
    baseline: Val,
    baseline_year: Val,
    target: Val,
    target_year: Val,
    /// `""` writes a blank cell (bordered, no value).
    note: &'static str,
}

/// Number formats of the indicator sheets.
const PERCENT_1: &str = "0.0%";
const PERCENT_0: &str = "0%";
const RATIO: &str = "0.00";
const SIGNED: &str = r"#,##0;[Red]\-#,##0";
const COUNT: &str = "#,##0";
const MONTH: &str = r#"yyyy"年"m"月""#;

const GOAL_HEADER: [&str; 8] = [
    "基本目標",
    "指標",
    "単位",
    "基準値",
    "基準年度",
    "目標値",
    "目標年度",
    "備考",
];
const KPI_HEADER: [&str; 7] = [
    "具体的な施策",
    "指標",
    "単位",
    "基準値",
    "基準年度",
    "目標値",
    "目標年度",
];
/// The indicator sheets' first column (B) and header row (4), 0-based.
const INDICATOR_COL: u16 = 1;
const INDICATOR_HEADER_ROW: u32 = 3;

const MEMO: &[&str] = &[
    "作業メモ（政策推進課）",
    "・数値目標・KPIの基準値は平成26年度実績（一部は見込み値）。",
    "・観光入込客数、外国人宿泊者数は観光振興課の集計による。",
    "・10月の推進本部会議で最終確認のうえ、パブリックコメントに付す。",
];

fn indicator_header(
    sheet: &mut Worksheet,
    f: &Formats,
    heading: &str,
    header: &[&str],
    widths: &[f64],
) -> Result<(), XlsxError> {
    let c = INDICATOR_COL;
    sheet.set_column_width(0, 2.0)?;
    for (i, w) in widths.iter().enumerate() {
        sheet.set_column_width(c + i as u16, *w)?;
    }
    sheet.write_string_with_format(INDICATOR_HEADER_ROW - 2, c, heading, &f.title)?;
    for (i, h) in header.iter().enumerate() {
        sheet.write_string_with_format(INDICATOR_HEADER_ROW, c + i as u16, *h, &f.header)?;
    }
    Ok(())
}

/// Write `rows` from the row under the header: the key column (`key` names it) merged over
/// the rows that share it, then 指標 | 単位 | 基準値 | 基準年度 | 目標値 | 目標年度 (| 備考).
fn indicator_rows(
    sheet: &mut Worksheet,
    f: &Formats,
    rows: &[IndicatorRow],
    key: impl Fn(usize) -> String,
    with_note: bool,
) -> Result<(), XlsxError> {
    let c = INDICATOR_COL;
    let mut keys = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let row = INDICATOR_HEADER_ROW + 1 + i as u32;
        extend_run(&mut keys, row, row, &key(r.key));
        sheet.write_string_with_format(row, c + 1, r.name, &f.body)?;
        if r.unit.is_empty() {
            sheet.write_blank(row, c + 2, &f.body)?;
        } else {
            sheet.write_string_with_format(row, c + 2, r.unit, &f.body)?;
        }
        for (col, val) in [r.baseline, r.baseline_year, r.target, r.target_year]
            .into_iter()
            .enumerate()
        {
            write_val(sheet, row, c + 3 + col as u16, val, &f.body)?;
        }
        if with_note {
            if r.note.is_empty() {
                sheet.write_blank(row, c + 7, &f.body)?;
            } else {
                sheet.write_string_with_format(row, c + 7, r.note, &f.body)?;
            }
        }
    }
    for (first, last, text) in &keys {
        vertical(sheet, *first, *last, c, text, &f.body)?;
    }
    Ok(())
}

fn write_val(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    val: Val,
    body: &Format,
) -> Result<(), XlsxError> {
    match val {
        Val::Num(n, "") => sheet.write_number_with_format(row, col, n, body)?,
        Val::Num(n, code) => {
            sheet.write_number_with_format(row, col, n, &body.clone().set_num_format(code))?
        }
        Val::Text(t) => sheet.write_string_with_format(row, col, t, body)?,
        Val::Date(y, m, d) => sheet.write_date_with_format(
            row,
            col,
            &ExcelDateTime::from_ymd(y, m, d)?,
            &body.clone().set_num_format(MONTH),
        )?,
    };
    Ok(())
}

fn goal_indicator_sheet(sheet: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name("数値目標")?;
    indicator_header(
        sheet,
        f,
        "数値目標",
        &GOAL_HEADER,
        &[12.0, 34.0, 6.0, 18.0, 11.0, 18.0, 11.0, 18.0],
    )?;
    indicator_rows(sheet, f, SOAN_GOAL_ROWS, |g| format!("基本目標{g}"), true)
}

fn kpi_sheet(sheet: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name("KPI")?;
    indicator_header(
        sheet,
        f,
        "重要業績評価指標（KPI）",
        &KPI_HEADER,
        &[40.0, 40.0, 6.0, 11.0, 11.0, 11.0, 11.0],
    )?;
    indicator_rows(
        sheet,
        f,
        SOAN_KPI_ROWS,
        |m| MEASURES[m - 1].2.to_string(),
        false,
    )
}

fn memo_sheet(sheet: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name("メモ")?;
    sheet.set_column_width(0, 80.0)?;
    for (i, line) in MEMO.iter().enumerate() {
        let format = if i == 0 { &f.title } else { &f.note };
        sheet.write_string_with_format(i as u32, 0, *line, format)?;
    }
    Ok(())
}

/// The workbook with phonetic guides ([`RUBY`]) injected into `xl/sharedStrings.xml`; every
/// other member is copied unchanged, in order, with the same fixed timestamp.
fn with_ruby(xlsx: &[u8]) -> Result<Vec<u8>, Box<dyn Error>> {
    let mut zin = zip::ZipArchive::new(Cursor::new(xlsx))?;
    let mut out = Cursor::new(Vec::new());
    let mut zout = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut injected = 0;
    for i in 0..zin.len() {
        let mut entry = zin.by_index(i)?;
        let name = entry.name()?.to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        if name == "xl/sharedStrings.xml" {
            let (xml, n) = inject_ruby(&String::from_utf8(data)?);
            injected = n;
            data = xml.into_bytes();
        }
        zout.start_file(name, options)?;
        zout.write_all(&data)?;
    }
    zout.finish()?;
    if injected < 8 {
        return Err(format!("only {injected} shared strings took phonetic guides").into());
    }
    println!("phonetic guides in {injected} shared strings");
    Ok(out.into_inner())
}

/// Add `<rPh>` runs and a `<phoneticPr>` to every plain `<si><t>…</t></si>` whose text holds
/// a [`RUBY`] word; the count of strings changed comes back with the XML.
fn inject_ruby(xml: &str) -> (String, usize) {
    let mut out = String::with_capacity(xml.len() * 2);
    let mut rest = xml;
    let mut changed = 0;
    while let Some(start) = rest.find("<si>") {
        let Some(len) = rest[start..].find("</si>") else {
            break;
        };
        let end = start + len;
        out.push_str(&rest[..end]);
        let si = &rest[start + "<si>".len()..end];
        if let Some(runs) = phonetic_runs(si) {
            out.push_str(&runs);
            out.push_str(r#"<phoneticPr fontId="0"/>"#);
            changed += 1;
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    (out, changed)
}

/// The `<rPh>` runs for one `<si>` body holding a single `<t>`, or `None` when no word of
/// [`RUBY`] occurs in it. Positions count UTF-16 units, as Excel's do.
fn phonetic_runs(si: &str) -> Option<String> {
    let open = si.find("<t")?;
    let body_start = open + si[open..].find('>')? + 1;
    let body_end = body_start + si[body_start..].find("</t>")?;
    if si[body_end + 4..].contains("<t") {
        return None; // rich text: left alone
    }
    let text = unescape(&si[body_start..body_end]);
    let mut runs: Vec<(usize, usize, &str)> = Vec::new();
    for (word, reading) in RUBY {
        for (byte, _) in text.match_indices(word) {
            let sb = text[..byte].encode_utf16().count();
            runs.push((sb, sb + word.encode_utf16().count(), reading));
        }
    }
    if runs.is_empty() {
        return None;
    }
    runs.sort();
    Some(
        runs.iter()
            .map(|(sb, eb, r)| format!(r#"<rPh sb="{sb}" eb="{eb}"><t>{r}</t></rPh>"#))
            .collect(),
    )
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

// Ported from tests/fixtures/csv/make.py (transcribed from the seed): the four goals, then one
// (goal number, 施策の基本的方向, 具体的な施策, 事業例) per measure row, in the seed's row order,
// then the 関連する既存事業 by goal number.

const GOALS: [&str; 4] = [
    "地元企業と学生と“つながり”を強化し、地元雇用拡大を実現",
    "女性が子育てしながら仕事を続けられる社会環境の整備",
    "地元の魅力を強化、暮らしやすさ発信で移住を促進",
    "産業競争力を高め、地域ブランド力を向上",
];

const MEASURES: &[(usize, &str, &str, &[&str])] = &[
    (
        1,
        "1-1 市内在住若者の雇用機会の拡大",
        "①若者の市内就職の促進",
        &[
            "就業支援事業（若者や女性の離職防止支援、高校生の地元就職支援等）（先行型）",
            "市内企業の認知向上支援事業（情報ポータルサイト開設、イベント（見学会）開催等）",
        ],
    ),
    (
        1,
        "1-2 学生と地元企業との“縁づくり”促進",
        "②学生と地元企業との交流・連携機会の創出",
        &[
            "高校生・大学生等と市内企業とのマッチング支援",
            "苫小牧駒澤大、室蘭工大、苫小牧高専等の高等教育機関と連携した各種取組の展開",
            "キッズタウン開催事業（子どもの擬似就労・消費体験等）",
        ],
    ),
    (
        1,
        "1-3 若者によるベンチャー起業の支援",
        "③苫小牧出身者の起業促進",
        &[
            "起業支援策の充実（チャレンジジョブ補助等）",
            "起業家への支援策（新規創業セミナーの開催等）",
        ],
    ),
    (
        2,
        "2-1 仕事と子育ての両立支援",
        "④ワーキングマザー＆ファザーの子育て応援",
        &[
            "企業隣接型「保育ステーション」の設置に向けた検討",
            "「子ども送迎バス」の検討（保育ステーション～保育所や習い事などの送り迎えの負担を減らす送迎バスを想定）",
            "パパの子育て応援事業（父子手帳交付、パパの子育て講座等）",
            "男女平等参画のための意識改善支援事業（ワークライフバランスに関する講座、日本女性会議の開催等）",
        ],
    ),
    (
        2,
        "2-2 出産・子育てしやすさを実感支援",
        "⑤子育て支援事業の充実",
        &[
            "3人目の保育料等の無料化事業の検討",
            "地域子育て支援事業（子育て親子の交流促進等）",
            "苫小牧市民ファミリーサポート・センター事業",
            "子育て世代包括支援センター事業（妊娠・出産・子育ての切れ目ない支援を提供するワンストップ拠点を整備等）",
        ],
    ),
    (
        2,
        "2-2 出産・子育てしやすさを実感支援",
        "⑥保育サービスの充実",
        &["一時保育事業（保育園等における児童の一時預かり等）"],
    ),
    (
        2,
        "2-3 苫小牧らしい教育プログラム形成支援",
        "⑦苫小牧の自然をフィールドとした体験学習の推進",
        &["豊かな自然環境を活かした学習プログラムの検討（子どもの感性と生きる力の育成等）"],
    ),
    (
        3,
        "3-1 苫小牧出身者のネットワーク化支援",
        "⑧苫小牧出身者への継続的な情報発信の拡充",
        &[
            "旬のとまこまい情報の発信事業（苫小牧市公式ホームページや公式フェイスブックページによる情報発信等）",
        ],
    ),
    (
        3,
        "3-2 交流人口・定住人口の拡大支援",
        "⑨移住・定住者の受け入れ体制の充実",
        &[
            "移住情報発信事業（移住促進ポータルサイト開設等）",
            "苫小牧市お試し居住体験の支援事業",
        ],
    ),
    (
        3,
        "3-3 “とまごころ（地元自慢の心）”の普及",
        "⑩とまこまいライフスタイルの確立",
        &[
            "ヒーリングスポットとしての苫小牧の魅力造成事業",
            "知的好奇心を満たす苫小牧の過ごし方の提案事業",
            "地域コミュニティーポイント事業",
        ],
    ),
    (
        4,
        "4-1 進出企業へのサポート機能の強化",
        "⑪縁結びコーディネート機能の設置",
        &["とまこまい縁結びサポート助成事業（婚活パーティーの開催助成等）"],
    ),
    (
        4,
        "4-2 多様な産業集積（高度化）の推進",
        "⑫郷土の魅力を伝える活動の推進",
        &[
            "「地域学（地域の歴史・生活文化）」「地域コミュニティとのかかわり」を通じた「とまごころ（郷土愛、地元自慢の心）の醸成」",
            "市民による地域魅力の深堀り、着地型観光ツアーの開発",
            "「知られざる苫小牧」の情報発信事業",
            "オープンファクトリーとまこまい事業",
            "ご当地スポーツ（アイスホッケー等）の推進事業",
        ],
    ),
    (
        4,
        "4-3 地域間連携（広域観光）の促進",
        "⑬進出企業とのマッチング機能の強化",
        &[
            "進出予定企業インセンティブツアー事業（「現地下見ツアー」の開催等）",
            "新たな事業所や機能等を市内に設けた企業への助成制度の整備事業",
            "立地企業サポート事業（先行型）",
        ],
    ),
    (
        4,
        "4-2 多様な産業集積（高度化）の推進",
        "⑭多様な産業分野の企業誘致の促進",
        &["進出企業のニーズを踏まえて苫小牧の優位性を活かした先進的な立地モデルの検討事業"],
    ),
    (
        4,
        "4-3 地域間連携（広域観光）の促進",
        "⑮広域観光振興の推進",
        &[
            "広域観光推進組織（DMO）の設立支援事業（上乗せ）",
            "受入体制の整備事業（広域観光ルート検討や受入プログラムの検討等）（上乗せ）",
        ],
    ),
];

const RELATED: &[(usize, &[&str])] = &[
    (
        1,
        &[
            "新卒高校生等雇用奨励金事業",
            "高校生就職支援事業",
            "人材確保支援事業",
            "職場環境改善事業",
            "事業拡大・販路拡大支援事業",
            "就業支援事業",
            "産学官連携共同研究事業",
            "雇用創出奨励交付金事業",
            "就農者等支援事業",
        ],
    ),
    (
        2,
        &[
            "女性センターの機能変更",
            "女性人材バンクの設置",
            "一時保育事業",
            "地域子育て支援事業",
            "私立幼稚園地域開放事業",
            "保育料の独自軽減",
            "私立幼稚園就園奨励費補助金",
            "私立幼稚園入園料補助金",
            "小規模保育施設緊急整備補助事業",
            "私立保育所緊急整備費補助事業",
            "潜在保育士及び新卒保育士確保事業",
            "家庭的保育者認定事業",
            "こんにちは赤ちゃん事業",
            "妊娠・出産に関する正しい知識の教育",
            "特定不妊治療費助成事業",
            "マタニティーマークの普及",
            "学力向上推進事業",
        ],
    ),
    (
        3,
        &[
            "こども国際交流事業",
            "インターネット情報発信事業",
            "まちなか再生総合プロジェクト事業",
            "公共交通路線維持費補助事業",
            "植苗・美沢地区コミュニティバス運行事業”",
            "樽前予約運行型バス事業",
            "健康ウォーキング事業",
            "(スポーツ大会や合宿の誘致) 全国高等学校選抜アイスホッケー大会補助金",
            "(総合型地域スポーツクラブ育成支援) 氷上スポーツ育成事業",
            "管理不全建物等対策費",
            "(中小商業経営の安定と強化) 中小企業融資制度",
            "創業サポート事業",
            "商店街活性化事業",
            "中心商店街活性化事業”",
            "観光資源有効活用事業",
            "観光PR推進事業",
            "観光案内所事業",
            "とまこまいフィルムコミッション事業",
            "苫小牧クルーズ振興協議会補助金”",
        ],
    ),
    (
        4,
        &[
            "新千歳空港整備事業費負担金",
            "国際コンテナターミナル等の機能強化",
            "ポートセールスの推進",
            "工業地域の開発と企業の誘致",
            "苫東開発の推進",
        ],
    ),
];

// Ported from tests/fixtures/soan/data.py (make.py there reads the workbook back and checks it):
// the 数値目標 by goal and the KPI by measure, as a city office would type them into Excel.

const fn fy(year: f64) -> Val {
    Val::Num(year, "")
}

const SOAN_GOAL_ROWS: &[IndicatorRow] = &[
    IndicatorRow {
        key: 1,
        name: "市内新規高卒者の市内就職率",
        unit: "%",
        baseline: Val::Num(0.552, PERCENT_1),
        baseline_year: fy(2014.0),
        target: Val::Num(0.6, PERCENT_1),
        target_year: fy(2019.0),
        note: "",
    },
    IndicatorRow {
        key: 1,
        name: "有効求人倍率",
        unit: "倍",
        baseline: Val::Num(0.86, RATIO),
        baseline_year: fy(2014.0),
        target: Val::Num(1.0, RATIO),
        target_year: fy(2019.0),
        note: "",
    },
    IndicatorRow {
        key: 2,
        name: "合計特殊出生率",
        unit: "",
        baseline: Val::Num(1.4, RATIO),
        baseline_year: Val::Text("平成25年"),
        target: Val::Num(1.5, RATIO),
        target_year: Val::Text("平成31年"),
        note: "",
    },
    IndicatorRow {
        key: 2,
        name: "待機児童数",
        unit: "人",
        baseline: Val::Num(12.0, COUNT),
        baseline_year: Val::Date(2015, 4, 1),
        target: Val::Num(0.0, COUNT),
        target_year: Val::Date(2019, 4, 1),
        note: "各年4月1日現在",
    },
    IndicatorRow {
        key: 3,
        name: "転入者数と転出者数の差（社会増減）",
        unit: "人",
        baseline: Val::Num(-350.0, SIGNED),
        baseline_year: Val::Text("平成26年"),
        target: Val::Num(0.0, SIGNED),
        target_year: Val::Text("平成31年"),
        note: "",
    },
    IndicatorRow {
        key: 4,
        name: "製造品出荷額等",
        unit: "円",
        baseline: Val::Num(1_234_500_000_000.0, COUNT),
        baseline_year: Val::Text("平成25年"),
        target: Val::Num(1_300_000_000_000.0, COUNT),
        target_year: Val::Text("平成31年"),
        note: "",
    },
    IndicatorRow {
        key: 4,
        name: "観光入込客数",
        unit: "人",
        baseline: Val::Num(4_100_000.0, COUNT),
        baseline_year: fy(2014.0),
        target: Val::Num(4_500_000.0, COUNT),
        target_year: fy(2019.0),
        note: "",
    },
];

/// A KPI row with FY2014 → FY2019 years.
const fn kpi(
    measure: usize,
    name: &'static str,
    unit: &'static str,
    b: Val,
    t: Val,
) -> IndicatorRow {
    IndicatorRow {
        key: measure,
        name,
        unit,
        baseline: b,
        baseline_year: fy(2014.0),
        target: t,
        target_year: fy(2019.0),
        note: "",
    }
}

const fn n(value: f64) -> Val {
    Val::Num(value, COUNT)
}

const SOAN_KPI_ROWS: &[IndicatorRow] = &[
    kpi(
        1,
        "就業支援事業による市内就職者数",
        "人",
        n(120.0),
        n(150.0),
    ),
    kpi(2, "インターンシップ参加学生数", "人", n(85.0), n(200.0)),
    kpi(3, "新規創業件数", "件/年", n(18.0), n(25.0)),
    kpi(
        4,
        "企業隣接型保育ステーションの設置数",
        "か所",
        Val::Text("―"),
        n(1.0),
    ),
    kpi(
        5,
        "地域子育て支援センターの年間利用者数",
        "人",
        n(32400.0),
        n(35000.0),
    ),
    kpi(
        5,
        "ファミリー・サポート・センター会員数",
        "人",
        n(1050.0),
        n(1200.0),
    ),
    kpi(
        6,
        "一時保育の年間延べ利用者数",
        "人",
        Val::Text("約4,200"),
        n(4500.0),
    ),
    // The % comes from the number format only: the unit cell is empty.
    kpi(
        7,
        "自然体験学習プログラムの参加率",
        "",
        Val::Num(0.78, PERCENT_0),
        Val::Num(0.9, PERCENT_0),
    ),
    IndicatorRow {
        key: 8,
        name: "公式フェイスブックページの「いいね！」数",
        unit: "件",
        baseline: n(2300.0),
        baseline_year: Val::Date(2015, 3, 1),
        target: n(5000.0),
        target_year: Val::Date(2019, 3, 1),
        note: "",
    },
    kpi(9, "移住相談件数", "件", n(42.0), n(100.0)),
    kpi(
        10,
        "地域コミュニティーポイント事業の参加者数",
        "人",
        Val::Text("―"),
        n(3000.0),
    ),
    kpi(
        11,
        "婚活イベントによるカップル成立数",
        "組",
        n(15.0),
        n(30.0),
    ),
    kpi(
        12,
        "着地型観光ツアーの参加者数",
        "人",
        n(1200.0),
        Val::Text("2,000以上"),
    ),
    kpi(13, "新規立地企業数", "社", n(5.0), n(25.0)),
    kpi(14, "企業訪問件数", "件/年", n(60.0), n(100.0)),
    kpi(15, "外国人宿泊者数", "人", n(25000.0), n(50000.0)),
];

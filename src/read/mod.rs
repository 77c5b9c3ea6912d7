//! Readers: each turns one file format into [`Grid`]s; the normalizer takes it from there.
//!
//! The format is decided from the file's first bytes, never from its extension: an `.xls`
//! that is really xlsx or HTML is common in offices.

pub mod csv;
pub mod decode;
pub mod html;
pub mod markup;
pub mod ods;
pub mod text;
pub mod xlsx;

use crate::diag::{Code, Diagnostic, SourceMap};
use crate::explain::{self, Explained};
use crate::grid::{Grid, Origin};
use std::fmt;

/// What a reader gives back for one file.
#[derive(Debug, Default)]
pub struct ReadOutput {
    /// Every table found in the file, in document order.
    pub grids: Vec<Grid>,
    /// The document's own title, when the format has one (the text export's `#` heading,
    /// an HTML page's `<title>` minus its site-name suffix).
    pub title: Option<(String, Origin)>,
    /// Source text and cell texts for showing diagnostics.
    pub sources: SourceMap,
    /// Problems that did not stop the reader.
    pub diagnostics: Vec<Diagnostic>,
}

/// A file format kohyo reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// The text export: tab-separated rows with HTML fragments in cells and `#` headings.
    Text,
    /// Office Open XML workbook (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Legacy Excel workbook (BIFF8 in an OLE2 container).
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// An HTML page.
    Html,
    /// Comma- or tab-separated values.
    Csv,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Text => "text export",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Html => "html",
            Format::Csv => "csv",
        })
    }
}

impl Format {
    /// The format's name in Japanese messages.
    pub fn name_ja(self) -> &'static str {
        match self {
            Format::Text => "テキスト書き出し",
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Html => "HTML",
            Format::Csv => "CSV",
        }
    }
}

const OLE2_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decide a file's format from its bytes. `None` when it is none of the formats kohyo reads.
pub fn detect(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"PK\x03\x04") {
        return detect_zip(bytes);
    }
    if bytes.starts_with(OLE2_MAGIC) {
        return Some(Format::Xls);
    }
    if looks_binary(bytes) {
        return None;
    }
    let head = decode::sniff_text(bytes, 64 * 1024);
    let trimmed = head.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let lower: String = trimmed
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || lower.starts_with("<?xml") && lower.contains("<html")
        || lower.starts_with("<head")
        || lower.starts_with("<body")
        || lower.starts_with("<meta")
        || lower.starts_with("<table")
        || lower.starts_with("<!--") && lower.contains("<html")
    {
        return Some(Format::Html);
    }
    if is_text_export(&head) {
        return Some(Format::Text);
    }
    if head.contains(',') || head.contains('\t') {
        return Some(Format::Csv);
    }
    None
}

/// The text export: tab-separated lines whose cells hold HTML fragments, or `#` headings.
fn is_text_export(head: &str) -> bool {
    let mut tabbed = 0;
    let mut heading = false;
    let mut markup = false;
    for line in head.lines() {
        if line.starts_with("# ") || line.starts_with("## ") {
            heading = true;
        }
        if line.contains('\t') {
            tabbed += 1;
            if line.contains("<p>") || line.contains("<li>") || line.contains("<ul") {
                markup = true;
            }
        }
    }
    tabbed > 0 && (heading || markup)
}

fn detect_zip(bytes: &[u8]) -> Option<Format> {
    let reader = std::io::Cursor::new(bytes);
    let Ok(mut zip) = zip::ZipArchive::new(reader) else {
        return detect_damaged_zip(bytes);
    };
    if zip.by_name("xl/workbook.xml").is_ok() || zip.by_name("xl/workbook.bin").is_ok() {
        return Some(Format::Xlsx);
    }
    if let Ok(mut m) = zip.by_name("mimetype") {
        let mut s = String::new();
        use std::io::Read;
        if m.by_ref().take(200).read_to_string(&mut s).is_ok()
            && s.trim() == "application/vnd.oasis.opendocument.spreadsheet"
        {
            return Some(Format::Ods);
        }
    }
    if zip.by_name("content.xml").is_ok() {
        return Some(Format::Ods);
    }
    None
}

/// A zip whose central directory is unreadable (a truncated download or copy): judge it by
/// its first member's name, so the right reader reports it as damaged (K005).
fn detect_damaged_zip(bytes: &[u8]) -> Option<Format> {
    let len = u16::from_le_bytes([*bytes.get(26)?, *bytes.get(27)?]) as usize;
    let name = bytes.get(30..30 + len)?;
    if name.starts_with(b"[Content_Types].xml")
        || name.starts_with(b"xl/")
        || name.starts_with(b"_rels/")
    {
        return Some(Format::Xlsx);
    }
    if name == b"mimetype" {
        let extra = u16::from_le_bytes([*bytes.get(28)?, *bytes.get(29)?]) as usize;
        let rest = bytes.get(30 + len + extra..)?;
        if rest.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
            return Some(Format::Ods);
        }
    }
    None
}

/// NUL bytes outside a UTF-16 text mean a binary file.
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    bytes.iter().take(8192).any(|&b| b == 0)
}

/// Read one file's bytes as `format`, naming it `file` in origins.
pub fn read_bytes(format: Format, bytes: &[u8], file: &str) -> Result<ReadOutput, Diagnostic> {
    match format {
        Format::Text => text::read(bytes, file),
        Format::Xlsx | Format::Xls => contain(file, format, || xlsx::read(format, bytes, file)),
        Format::Ods => contain(file, format, || ods::read(bytes, file)),
        Format::Html => html::read(bytes, file),
        Format::Csv => csv::read(bytes, file),
    }
}

thread_local! {
    /// Set while a third-party parser runs under [`contain`]: its panic is reported as K005,
    /// not printed.
    static CONTAINED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run a reader built on a third-party parser so that a panic inside it (a bug there, found by
/// fuzzing: calamine 0.38 slices out of bounds on some damaged .xls sector chains) becomes
/// K005 for the file instead of taking kohyo down. Other threads' panics print as before.
pub fn contain<T>(
    file: &str,
    format: Format,
    run: impl FnOnce() -> Result<T, Diagnostic>,
) -> Result<T, Diagnostic> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CONTAINED.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    let was = CONTAINED.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
    CONTAINED.with(|c| c.set(was));
    result.unwrap_or_else(|_| {
        Err(broken(
            file,
            format,
            Explained::own(
                "ファイルの内部構造が壊れています",
                "its internal structure is damaged",
            ),
        ))
    })
}

/// Read one file: detect its format from its bytes, then run the right reader.
pub fn read_file(path: &std::path::Path, file: &str) -> Result<(Format, ReadOutput), Diagnostic> {
    if let Ok(m) = std::fs::metadata(path)
        && m.len() > crate::limits::MAX_FILE_BYTES
    {
        return Err(crate::limits::exceeded(
            Origin::file(file),
            &format!("ファイルの大きさ（{} バイト）", m.len()),
            &format!("the file's size ({} bytes)", m.len()),
            format!("{} バイト", crate::limits::MAX_FILE_BYTES),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        let x = explain::io_read(&e);
        Diagnostic::at(
            Code::K001,
            Origin::file(file),
            format!("ファイル {file} を読み込めません: {}", x.ja),
            format!("cannot read {file}: {}", x.en),
        )
        .cause(x.cause)
    })?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Diagnostic::at(
            Code::K004,
            Origin::file(file),
            format!("ファイル {file} は空です"),
            format!("{file} is empty"),
        ));
    }
    let format = detect(&bytes).ok_or_else(|| {
        let d = unknown_type(file);
        if bytes.starts_with(b"PK\x03\x04") {
            d.note(
                "ZIP 形式の圧縮ファイルですが、中に Excel（.xlsx）や OpenDocument（.ods）のブックがありません",
                "it is a zip archive, but it holds no Excel (.xlsx) or OpenDocument (.ods) workbook",
            )
        } else {
            d
        }
    })?;
    Ok((format, read_bytes(format, &bytes, file)?))
}

/// The K002 diagnostic for a file of unknown type.
pub fn unknown_type(file: &str) -> Diagnostic {
    Diagnostic::at(
        Code::K002,
        Origin::file(file),
        format!("{file} の形式を判別できません"),
        format!("cannot tell what kind of file {file} is"),
    )
    .note(
        "読み込めるのは Excel（.xlsx / .xls）、OpenDocument（.ods）、HTML、CSV（UTF-8・Shift_JIS・UTF-16）とテキスト書き出しです",
        "kohyo reads Excel (.xlsx / .xls), OpenDocument (.ods), HTML, CSV (UTF-8, Shift_JIS, UTF-16) and the text export",
    )
}

/// Check a zip container (.xlsx, .ods) against the limits before anything is inflated: the
/// number of entries and the total uncompressed size the archive declares.
pub fn check_zip(bytes: &[u8], file: &str, format: Format) -> Result<(), Diagnostic> {
    use crate::limits::{MAX_ZIP_ENTRIES, MAX_ZIP_UNCOMPRESSED, exceeded};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| broken(file, format, explain::zip(&e)))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(exceeded(
            Origin::file(file),
            &format!("zip の中のファイル数（{}）", zip.len()),
            &format!("the number of entries in the zip ({})", zip.len()),
            MAX_ZIP_ENTRIES,
        ));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let size = zip.by_index_raw(i).map(|f| f.size()).unwrap_or(0);
        total = total.saturating_add(size);
    }
    if total > MAX_ZIP_UNCOMPRESSED {
        return Err(exceeded(
            Origin::file(file),
            &format!("展開後の大きさ（{total} バイト）"),
            &format!("the uncompressed size ({total} bytes)"),
            format!("{MAX_ZIP_UNCOMPRESSED} バイト"),
        ));
    }
    Ok(())
}

/// The K005 diagnostic for a file that is damaged or not what its format says: what happened
/// in each language (`x`), the library's own words kept as the diagnostic's cause.
pub fn broken(file: &str, format: Format, x: Explained) -> Diagnostic {
    let d = Diagnostic::at(
        Code::K005,
        Origin::file(file),
        format!(
            "{file} は {} として読み込めません: {}",
            format.name_ja(),
            x.ja
        ),
        format!("{file} cannot be read as {format}: {}", x.en),
    )
    .cause(x.cause.as_str());
    if x.is_truncation() {
        d.note(
            "元のファイルをもう一度コピーするか、表計算ソフトで保存し直してください",
            "copy it again from where it came from, or save it again from the spreadsheet program",
        )
    } else {
        d.note(
            "表計算ソフトで開けるか確かめ、開けるなら保存し直してください",
            "check that the spreadsheet program opens it, and if so save it again",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(detect(b"<!DOCTYPE html><html></html>"), Some(Format::Html));
        assert_eq!(detect(b"\xef\xbb\xbf  <html lang=ja>"), Some(Format::Html));
        assert_eq!(
            detect("# 戦略\n\n基本目標\t施策\n".as_bytes()),
            Some(Format::Text)
        );
        assert_eq!(detect("a\t<p>x</p>\n".as_bytes()), Some(Format::Text));
        assert_eq!(
            detect("基本目標,事業例\nA,B\n".as_bytes()),
            Some(Format::Csv)
        );
        assert_eq!(detect(b"\x00\x01\x02binary"), None);
        assert_eq!(detect(OLE2_MAGIC), Some(Format::Xls));
        assert_eq!(detect(b"just words"), None);
    }

    #[test]
    fn detects_zip_kinds() {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default();
            w.start_file("mimetype", opts).expect("zip");
            w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
                .expect("zip");
            w.finish().expect("zip");
        }
        assert_eq!(detect(buf.get_ref()), Some(Format::Ods));
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            w.start_file("readme.txt", zip::write::SimpleFileOptions::default())
                .expect("zip");
            w.finish().expect("zip");
        }
        assert_eq!(detect(buf.get_ref()), None);
        // A truncated workbook is still a workbook (its reader then reports the damage).
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            w.start_file(
                "[Content_Types].xml",
                zip::write::SimpleFileOptions::default(),
            )
            .expect("zip");
            w.write_all(&[b'x'; 300]).expect("zip");
            w.finish().expect("zip");
        }
        let cut = &buf.get_ref()[..buf.get_ref().len() / 2];
        assert_eq!(detect(cut), Some(Format::Xlsx));
    }
}

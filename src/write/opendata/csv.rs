//! The CSV files: RFC 4180 (quoted only where needed), CRLF, the header on line 1 (L3-01), and
//! UTF-8 with a BOM so Excel opens them right — or CP932 for offices that need Shift_JIS.

use super::Table;
use crate::diag::{Code, Diagnostic};

/// The character encoding of the written CSV files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CsvEncoding {
    /// UTF-8 with a byte order mark (the default).
    #[default]
    Utf8Bom,
    /// CP932 (Windows-31J, Microsoft's Shift_JIS), no BOM.
    Cp932,
}

impl CsvEncoding {
    /// The encoding's name in Frictionless metadata (a Python codec name).
    pub fn frictionless_name(self) -> &'static str {
        match self {
            CsvEncoding::Utf8Bom => "utf-8-sig",
            CsvEncoding::Cp932 => "cp932",
        }
    }

    /// The encoding's label for CSVW and CKAN (a WHATWG label).
    pub fn label(self) -> &'static str {
        match self {
            CsvEncoding::Utf8Bom => "utf-8",
            CsvEncoding::Cp932 => "shift_jis",
        }
    }

    /// Whether the file starts with a byte order mark.
    pub fn bom(self) -> bool {
        self == CsvEncoding::Utf8Bom
    }
}

/// The table as CSV text (header row, then one line per row, CRLF).
pub fn text(table: &Table) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .quote_style(::csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail; a failure would be a bug in the csv crate, so the row is
    // dropped rather than the process stopped.
    let _ = w.write_record(table.columns.iter().map(|c| c.title));
    for row in &table.rows {
        let _ = w.write_record(row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The table's CSV file in `encoding`, or K203 errors naming every character CP932 cannot hold
/// and where it came from in the draft.
pub fn bytes(table: &Table, encoding: CsvEncoding) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let text = text(table);
    match encoding {
        CsvEncoding::Utf8Bom => {
            let mut out = Vec::with_capacity(text.len() + 3);
            out.extend_from_slice(b"\xEF\xBB\xBF");
            out.extend_from_slice(text.as_bytes());
            Ok(out)
        }
        CsvEncoding::Cp932 => {
            let mut errors = Vec::new();
            for (row, origin) in table.rows.iter().zip(&table.origins) {
                for value in row {
                    for c in value.chars() {
                        if !cp932_has(c) {
                            let code = format!("U+{:04X}", c as u32);
                            errors.push(
                                Diagnostic::new(
                                    Code::K203,
                                    origin.clone(),
                                    format!(
                                        "文字「{c}」（{code}）は CP932（Shift_JIS）で表せないため {} に書けません",
                                        table.file
                                    ),
                                    format!(
                                        "character '{c}' ({code}) cannot be written to {} in CP932 (Shift_JIS)",
                                        table.file
                                    ),
                                )
                                .note(
                                    "原稿の文字を置き換えるか、--csv-encoding を指定せず UTF-8 で出力してください",
                                    "replace the character in the draft, or leave out --csv-encoding to write UTF-8",
                                ),
                            );
                        }
                    }
                }
            }
            errors.dedup_by(|a, b| a.message == b.message && a.origin == b.origin);
            if !errors.is_empty() {
                return Err(errors);
            }
            let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
            Ok(bytes.into_owned())
        }
    }
}

/// Whether CP932 (as encoding_rs's Shift_JIS encoder, which is Windows-31J) holds `c`.
fn cp932_has(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (_, _, had_errors) = encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf));
    !had_errors
}

#[cfg(test)]
mod tests {
    use super::super::{Column, ColumnType, Table};
    use super::*;
    use crate::grid::Origin;

    fn table(values: &[&str]) -> Table {
        Table {
            file: "t.csv".into(),
            resource: "t",
            title: "t".into(),
            description: "t".into(),
            columns: vec![
                Column {
                    title: "名前",
                    name: "name",
                    description: "",
                    kind: ColumnType::String,
                    required: true,
                    pattern: None,
                },
                Column {
                    title: "番号",
                    name: "no",
                    description: "",
                    kind: ColumnType::Integer,
                    required: true,
                    pattern: None,
                },
            ],
            rows: values
                .iter()
                .enumerate()
                .map(|(i, v)| vec![v.to_string(), (i + 1).to_string()])
                .collect(),
            origins: values
                .iter()
                .map(|_| Some(Origin::text("draft.txt", 3, 5)))
                .collect(),
        }
    }

    #[test]
    fn utf8_with_bom_crlf_and_quotes_only_where_needed() {
        let b = bytes(
            &table(&["苫小牧", "a,b", "say \"hi\""]),
            CsvEncoding::Utf8Bom,
        )
        .expect("csv");
        assert_eq!(
            String::from_utf8(b).expect("utf-8"),
            "\u{feff}名前,番号\r\n苫小牧,1\r\n\"a,b\",2\r\n\"say \"\"hi\"\"\",3\r\n"
        );
    }

    #[test]
    fn cp932_encodes_or_names_what_it_cannot() {
        let b = bytes(&table(&["苫小牧～①"]), CsvEncoding::Cp932).expect("cp932 holds these");
        let (back, _, bad) = encoding_rs::SHIFT_JIS.decode(&b);
        assert!(!bad);
        assert_eq!(back, "名前,番号\r\n苫小牧～①,1\r\n");
        let e = bytes(&table(&["𠮷野家", "🍣"]), CsvEncoding::Cp932).expect_err("not in CP932");
        assert_eq!(e.len(), 2);
        assert!(e[0].message.ja.contains("U+20BB7"), "{:?}", e[0].message);
        assert_eq!(e[0].code, Code::K203);
        assert_eq!(e[0].origin, Some(Origin::text("draft.txt", 3, 5)));
    }
}

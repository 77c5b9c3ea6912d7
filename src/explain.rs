//! What the errors of the libraries kohyo wraps (std::io, zip, calamine, cfb, quick-xml, csv,
//! serde_json) mean, in words city staff understand: a Japanese and a plain English sentence
//! for each, chosen by the error's variant, never by showing its text. The library's own words
//! are kept as the explanation's `cause`, which a diagnostic carries for `--lang en` and the
//! JSON (`Diagnostic::cause`); no Japanese message shows them.

use std::fmt;
use std::io;

/// A library's error explained: what happened, in each language, and the library's own text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explained {
    /// What happened, in Japanese (no library text).
    pub ja: String,
    /// What happened, in English.
    pub en: String,
    /// The library's own message (empty when kohyo itself found the problem).
    pub cause: String,
}

impl Explained {
    /// An explanation with the library's text `cause`.
    pub fn new(ja: impl Into<String>, en: impl Into<String>, cause: impl fmt::Display) -> Self {
        Explained {
            ja: ja.into(),
            en: en.into(),
            cause: cause.to_string(),
        }
    }

    /// A problem kohyo found itself: no library text to keep.
    pub fn own(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Explained::new(ja, en, "")
    }

    /// The same explanation with `ja` / `en` put before it, e.g. the part of a workbook.
    pub fn within(self, ja: &str, en: &str) -> Self {
        Explained {
            ja: format!("{ja}{}", self.ja),
            en: format!("{en}{}", self.en),
            cause: self.cause,
        }
    }

    /// True when the file was cut off part way (a failed download or copy).
    pub fn is_truncation(&self) -> bool {
        self.ja == CUT_OFF.0
    }
}

const CUT_OFF: (&str, &str) = ("ファイルが途中で切れています", "the file is cut off");
const DAMAGED: (&str, &str) = (
    "ファイルの内部構造が壊れています",
    "its internal structure is damaged",
);
const PASSWORD: (&str, &str) = (
    "パスワードで保護されています（パスワードを外して保存し直してください）",
    "it is password protected (save it again without the password)",
);

fn pair((ja, en): (&str, &str), cause: impl fmt::Display) -> Explained {
    Explained::new(ja, en, cause)
}

/// True for the "too many levels of symbolic links" error (ELOOP), which std::io has no stable
/// kind for.
fn is_link_loop(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    const ELOOP: i32 = 40;
    #[cfg(not(target_os = "linux"))]
    const ELOOP: i32 = 62;
    cfg!(unix) && e.raw_os_error() == Some(ELOOP)
}

/// Why a file or folder could not be read.
pub fn io_read(e: &io::Error) -> Explained {
    use io::ErrorKind as K;
    if is_link_loop(e) {
        return pair(
            (
                "シンボリックリンクが循環しています",
                "a symbolic link leads round in a loop",
            ),
            e,
        );
    }
    let words = match e.kind() {
        K::NotFound => (
            "ファイルが見つかりません（移動されたか、削除されたか、名前が変わっています）",
            "it is not there (moved, deleted or renamed)",
        ),
        K::PermissionDenied => (
            "読み取る権限がありません（ファイルのアクセス権を確かめてください）",
            "there is no permission to read it",
        ),
        K::IsADirectory => ("ファイルではなくフォルダです", "it is a folder, not a file"),
        K::NotADirectory => (
            "フォルダのはずの場所がファイルです",
            "a folder on its path is a file",
        ),
        K::UnexpectedEof => CUT_OFF,
        K::InvalidData => ("中身が壊れています", "its content is damaged"),
        K::InvalidFilename => (
            "ファイル名に使えない文字があるか、名前が長すぎます",
            "its name holds characters that cannot be used, or is too long",
        ),
        K::Interrupted | K::TimedOut | K::WouldBlock => (
            "読み込みが途中で止まりました（ネットワーク上のフォルダなら、つながっているか確かめてください）",
            "reading stopped part way (if the folder is on the network, check the connection)",
        ),
        K::ResourceBusy => (
            "ほかのプログラムが使用中です",
            "another program is using it",
        ),
        K::OutOfMemory => ("メモリが足りません", "there is not enough memory"),
        _ => (
            "読み込みの途中でシステムのエラーが起きました",
            "the system reported an error while reading it",
        ),
    };
    pair(words, e)
}

/// Why a file or folder could not be written.
pub fn io_write(e: &io::Error) -> Explained {
    use io::ErrorKind as K;
    let words = match e.kind() {
        K::PermissionDenied => (
            "書き込む権限がありません（フォルダのアクセス権を確かめてください）",
            "there is no permission to write there",
        ),
        K::StorageFull | K::QuotaExceeded => ("ディスクの空きが足りません", "the disk is full"),
        K::ReadOnlyFilesystem => ("書き込みのできない場所です", "the place is read-only"),
        K::NotFound => (
            "書き込む先のフォルダが見つかりません",
            "the folder to write into is not there",
        ),
        K::IsADirectory => (
            "同じ名前のフォルダがあります",
            "a folder of that name is in the way",
        ),
        K::NotADirectory => (
            "フォルダのはずの場所がファイルです",
            "a folder on its path is a file",
        ),
        K::ResourceBusy => (
            "ほかのプログラムが使用中です",
            "another program is using it",
        ),
        K::InvalidFilename => (
            "ファイル名に使えない文字があるか、名前が長すぎます",
            "its name holds characters that cannot be used, or is too long",
        ),
        _ => (
            "書き込みの途中でシステムのエラーが起きました",
            "the system reported an error while writing it",
        ),
    };
    pair(words, e)
}

/// What is wrong with a zip container (an .xlsx or .ods file).
pub fn zip(e: &zip::result::ZipError) -> Explained {
    use zip::result::ZipError as Z;
    match e {
        Z::Io(io) => {
            let x = io_read(io);
            Explained {
                cause: e.to_string(),
                ..x
            }
        }
        Z::InvalidArchive(msg) => {
            let lower = msg.to_ascii_lowercase();
            if lower.contains("eocd")
                || lower.contains("central directory")
                || lower.contains("end of central")
            {
                pair(CUT_OFF, e)
            } else {
                pair(
                    (
                        "圧縮ファイル（ZIP）としての構造が壊れています",
                        "its zip structure is damaged",
                    ),
                    e,
                )
            }
        }
        Z::UnsupportedArchive(_) | Z::CompressionMethodNotSupported(_) => pair(
            (
                "kohyo の扱えない圧縮方式か暗号化で保存されています（表計算ソフトで普通に保存し直してください）",
                "it uses a compression or encryption kohyo does not read (save it again the ordinary way)",
            ),
            e,
        ),
        Z::FileNotFound => pair(
            (
                "ブックに必要な部品がありません",
                "a part the workbook needs is missing",
            ),
            e,
        ),
        Z::InvalidPassword => pair(PASSWORD, e),
        _ => pair(DAMAGED, e),
    }
}

/// What is wrong with an XML part of a workbook (quick-xml's errors), `part` naming it
/// (e.g. `content.xml`), or `None` when the library does not say which.
pub fn xml(e: &quick_xml::Error, part: Option<&str>) -> Explained {
    use quick_xml::Error as X;
    let (ja_part, en_part) = match part {
        Some(p) => (format!("ブックの中の {p}"), format!("the workbook's {p}")),
        None => (
            "ブックの中の XML".to_string(),
            "an XML part of the workbook".to_string(),
        ),
    };
    let (ja, en) = match e {
        X::Io(io) => {
            let x = io_read(io);
            (x.ja, x.en)
        }
        X::Encoding(_) => (
            format!("{ja_part} の文字コードが正しくありません"),
            format!("{en_part} is not in a valid encoding"),
        ),
        X::Escape(_) => (
            format!("{ja_part} に正しくない文字参照（&…;）があります"),
            format!("{en_part} holds an invalid character reference (&…;)"),
        ),
        _ => (
            format!("{ja_part} の書き方が壊れています"),
            format!("{en_part} is malformed"),
        ),
    };
    Explained::new(ja, en, e)
}

/// What is wrong with an .xlsx workbook, from calamine's error.
pub fn xlsx(e: &calamine::XlsxError) -> Explained {
    use calamine::XlsxError as X;
    let x = match e {
        X::Io(io) => io_read(io),
        X::Zip(z) => zip(z),
        X::Xml(x) => xml(x, None),
        X::Password => pair(PASSWORD, ""),
        X::FileNotFound(name) => Explained::own(
            format!("ブックに必要な部品 {name} がありません"),
            format!("the workbook lacks its part {name}"),
        ),
        X::WorksheetNotFound(name) => sheet_missing(name),
        _ => pair(DAMAGED, ""),
    };
    Explained {
        cause: e.to_string(),
        ..x
    }
}

/// A sheet the workbook's list names but does not hold.
fn sheet_missing(name: &str) -> Explained {
    Explained::own(
        format!("ブックの目次にあるシート「{name}」が見つかりません"),
        format!("the sheet \"{name}\" the workbook lists is missing"),
    )
}

/// What is wrong with an .xls workbook, from calamine's error.
pub fn xls(e: &calamine::XlsError) -> Explained {
    use calamine::XlsError as X;
    let x = match e {
        X::Io(io) => io_read(io),
        X::Cfb(_) => pair(COMPOUND, ""),
        X::Password => pair(PASSWORD, ""),
        X::EoStream(_) | X::Len { .. } | X::ContinueRecordTooShort => pair(
            (
                "ブックのデータが途中で切れています",
                "the workbook's data ends too early",
            ),
            "",
        ),
        X::WorksheetNotFound(name) => sheet_missing(name),
        _ => pair(DAMAGED, ""),
    };
    Explained {
        cause: e.to_string(),
        ..x
    }
}

const COMPOUND: (&str, &str) = (
    "Excel 97-2003 形式の入れ物（複合ファイル）の構造が壊れています",
    "its container (an OLE2 compound file, as Excel 97-2003 saves) is damaged",
);

/// What is wrong with an .xls file's container, from the cfb crate's error (an io::Error).
pub fn compound_file(e: &io::Error) -> Explained {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => pair(CUT_OFF, e),
        io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput => pair(COMPOUND, e),
        _ => io_read(e),
    }
}

/// What is wrong with a CSV file, from the csv crate's error.
pub fn csv(e: &::csv::Error) -> Explained {
    use ::csv::ErrorKind as C;
    let x = match e.kind() {
        C::Io(io) => io_read(io),
        C::Utf8 { .. } => pair(
            (
                "UTF-8 として読めない文字があります",
                "it holds bytes that are not UTF-8",
            ),
            "",
        ),
        C::UnequalLengths { .. } => pair(
            (
                "行によって列の数が違います",
                "its rows have different numbers of fields",
            ),
            "",
        ),
        _ => pair(
            ("CSV の書き方に誤りがあります", "it is not well-formed CSV"),
            "",
        ),
    };
    Explained {
        cause: e.to_string(),
        ..x
    }
}

/// What is wrong with a JSON file kohyo expected to be its own model.json (serde_json).
pub fn json(e: &serde_json::Error) -> Explained {
    use serde_json::error::Category as C;
    let words = match e.classify() {
        C::Io => (
            "読み込みの途中でシステムのエラーが起きました",
            "the system reported an error while reading it",
        ),
        C::Syntax => (
            "JSON の書き方に誤りがあります",
            "it is not well-formed JSON",
        ),
        C::Data => (
            "JSON ですが、kohyo の model.json の形ではありません",
            "it is JSON, but not in the shape of kohyo's model.json",
        ),
        C::Eof => CUT_OFF,
    };
    pair(words, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_kinds_have_japanese_words() {
        for kind in [
            io::ErrorKind::NotFound,
            io::ErrorKind::PermissionDenied,
            io::ErrorKind::IsADirectory,
            io::ErrorKind::Other,
        ] {
            let x = io_read(&io::Error::from(kind));
            assert!(!x.ja.is_ascii() && !x.ja.contains(&x.cause), "{x:?}");
            assert!(!x.cause.is_empty());
        }
        let x = io_write(&io::Error::from(io::ErrorKind::StorageFull));
        assert_eq!(x.ja, "ディスクの空きが足りません");
    }

    #[test]
    fn a_zip_without_its_end_is_cut_off() {
        let Err(e) = zip::ZipArchive::new(io::Cursor::new(b"PK\x03\x04 short".to_vec())) else {
            panic!("not a zip");
        };
        let x = zip(&e);
        assert!(x.is_truncation(), "{x:?}");
        assert_eq!(x.cause, e.to_string());
    }
}

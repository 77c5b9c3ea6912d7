//! Limits on what kohyo reads from a draft, in one place. A draft that goes over one gets a
//! located K007 error instead of exhausting memory or time. Real drafts are far below every
//! limit: the seed is a 9 KB file, 56 rows, 4 columns, and its longest cell has 1,200
//! characters.

use crate::diag::{Code, Diagnostic};
use crate::grid::Origin;

/// Largest draft file read, in bytes (32 MiB).
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// Most entries in an .xlsx or .ods zip archive.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// Largest total of the uncompressed sizes an .xlsx or .ods declares (256 MiB): a zip bomb
/// stops here before anything is inflated.
pub const MAX_ZIP_UNCOMPRESSED: u64 = 256 * 1024 * 1024;
/// Most rows of one table or sheet.
pub const MAX_ROWS: usize = 100_000;
/// Most columns of one table or sheet.
pub const MAX_COLUMNS: usize = 1_024;
/// Most non-empty cells of one sheet.
pub const MAX_CELLS: usize = 1_000_000;
/// Largest used range (rows × columns) an .xls sheet may declare: calamine reserves memory
/// for all of it before reading a cell, so a forged declaration must stop here.
pub const MAX_DECLARED_CELLS: u64 = 4_000_000;
/// Most characters in one cell.
pub const MAX_CELL_CHARS: usize = 100_000;
/// Deepest nesting of HTML elements followed.
pub const MAX_HTML_DEPTH: usize = 512;

/// The K007 error: `what` (Japanese, English) is over `limit`, at `origin`.
pub fn exceeded(
    origin: Origin,
    what_ja: &str,
    what_en: &str,
    limit: impl std::fmt::Display,
) -> Diagnostic {
    Diagnostic::at(
        Code::K007,
        origin,
        format!("{what_ja}が上限（{limit}）を超えています"),
        format!("{what_en} is over the limit ({limit})"),
    )
    .note(
        "原稿の表として大きすぎるか、壊れたファイルです。余分な行・列・セルを削除してください（上限は README にあります）",
        "too large for a draft's table, or a damaged file: remove stray rows, columns or cells (the limits are in the README)",
    )
}

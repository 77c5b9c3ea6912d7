//! Tables and sheets that hold no table kohyo reads get a note, so nothing vanishes silently:
//! a sheet of office notes, a table whose header row is misspelt, a layout table with data.

use super::header::anchored_text;
use crate::diag::{Code, Diagnostic};
use crate::grid::Grid;

/// The K125 note for a grid in which no table was found, when it holds data: at least two
/// rows with two or more cells of text (a lone line or a one-row menu is page furniture).
pub(super) fn note(grid: &Grid) -> Option<Diagnostic> {
    let mut first = None;
    let mut rows_with_data = 0;
    let mut cells = 0;
    for r in 0..grid.rows.len() {
        let texts: Vec<_> = (0..grid.width())
            .filter_map(|c| anchored_text(grid, r, c))
            .collect();
        if first.is_none() {
            first = texts.first().map(|(cell, _)| cell.origin.clone());
        }
        cells += texts.len();
        if texts.len() >= 2 {
            rows_with_data += 1;
        }
    }
    let at = first?;
    if rows_with_data < 2 && grid.sheet.is_none() {
        return None;
    }
    let (ja, en) = match &grid.sheet {
        Some(sheet) => (
            format!(
                "シート「{sheet}」（{cells} セル）には施策・関連する事業・指標の表がないため、読み込みません"
            ),
            format!(
                "sheet \"{sheet}\" ({cells} cells) holds no table of measures, related projects or indicators, and is not read"
            ),
        ),
        None => (
            format!(
                "この表（{} 行 × {} 列）は施策・関連する事業・指標の表ではないため、読み込みません",
                grid.rows.len(),
                grid.width()
            ),
            format!(
                "this table ({} rows × {} columns) is no table of measures, related projects or indicators, and is not read",
                grid.rows.len(),
                grid.width()
            ),
        ),
    };
    Some(
        Diagnostic::at(Code::K125, at, ja, en)
            .label("最初のセル", "its first cell")
            .note(
                "読み込むのは、見出しの行（基本目標・施策の基本的方向・具体的な施策・事業例、基本目標・関連する事業、または 基本目標／具体的な施策・指標・基準値・目標値）のある表です。読むはずの表なら見出しの文字を確かめてください",
                "kohyo reads tables with a header row (基本目標, 施策の基本的方向, 具体的な施策, 事業例; 基本目標, 関連する事業; or 基本目標/具体的な施策, 指標, 基準値, 目標値); if this table should be read, check its header cells",
            ),
    )
}

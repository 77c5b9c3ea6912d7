//! The text export: the city's working document saved as text. Headings are `#` lines;
//! tables are runs of tab-separated lines whose cells hold HTML fragments (`<p>`, `<ul><li>`);
//! an empty leading cell means "same as the row above"; a header row repeats where a page broke.

use super::{ReadOutput, decode, markup};
use crate::diag::{Diagnostic, SourceMap};
use crate::grid::{Cell, GridBuilder, Origin, Raw};

/// Read a text export.
pub fn read(bytes: &[u8], file: &str) -> Result<ReadOutput, Diagnostic> {
    let decoded = decode::decode(bytes, file, None)?;
    let text = decoded.text;
    let mut out = ReadOutput::default();
    let mut current: Option<(GridBuilder, usize)> = None;
    for (i, raw_line) in text.split('\n').enumerate() {
        let line_no = i as u32 + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        if line.contains('\t') {
            let (builder, row) = current.get_or_insert_with(|| (GridBuilder::new(file, None), 0));
            let mut column = 1u32;
            for (c, field) in line.split('\t').enumerate() {
                let width = field.chars().count() as u32;
                if !field.trim().is_empty() {
                    let origin = Origin::text(file, line_no, column);
                    let cell = Cell::new(markup::fragment_lines(field), origin).with_raw(Raw {
                        text: field.to_string(),
                        line: line_no,
                        column,
                    });
                    builder.place(*row, c, cell);
                }
                column += width + 1;
            }
            *row += 1;
            continue;
        }
        if line.trim().is_empty() {
            // Blank lines inside a table (page breaks of the export) do not end it.
            continue;
        }
        if let Some((builder, _)) = current.take() {
            out.grids.push(builder.finish_checked()?);
        }
        if let Some(title) = line.strip_prefix("# ") {
            let title = crate::grid::clean(title);
            if out.title.is_none() && !title.is_empty() {
                out.title = Some((title, Origin::text(file, line_no, 3)));
            }
        }
    }
    if let Some((builder, _)) = current.take() {
        out.grids.push(builder.finish_checked()?);
    }
    let mut sources = SourceMap::default();
    sources.add_text(file, text);
    out.sources = sources;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Slot;

    #[test]
    fn tables_headings_and_positions() {
        let src = " \n# 戦略（骨子案）\n\nNo.1\n\n基本目標\t施策の基本的方向\n目標A\t<p>1-1 方向</p>\n\t1-2 方向\n\n基本目標\t施策の基本的方向\n## 参考\n\n基本目標\t関連する事業\n";
        let out = read(src.as_bytes(), "d.txt").expect("reads");
        assert_eq!(
            out.title.as_ref().map(|t| t.0.as_str()),
            Some("戦略（骨子案）")
        );
        assert_eq!(out.grids.len(), 2);
        let g = &out.grids[0];
        assert_eq!(g.rows.len(), 4);
        assert_eq!(g.rows[2][0], Slot::Empty);
        let c = g.anchor(2, 1).expect("cell");
        assert_eq!(c.text(), "1-2 方向");
        assert_eq!((c.origin.line, c.origin.column), (Some(8), Some(2)));
        let c = g.anchor(1, 1).expect("cell");
        assert_eq!(c.text(), "1-1 方向");
        assert_eq!(c.origin.column, Some(5));
    }
}

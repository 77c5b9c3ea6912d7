//! Table layout: column widths from content, cells as stacks of line bands, and pagination
//! with spanning cells that continue across pages.
//!
//! A table here has *spanning columns* (every column but the last: 基本目標, 施策の基本的方向,
//! 具体的な施策 — or 基本目標 in the reference table) and one *atom column* (the last:
//! 事業例 or 関連する事業). The atom column is a sequence of atoms — one project, or one band of
//! a multi-column list — and every spanning cell covers a run of consecutive atoms. Pages break
//! only between atoms, so no line is ever cut; a spanning cell cut by a page break is drawn
//! again at the top of the next page from its continuation box, which carries 「（続き）」.

use super::Target;
use super::text::{Line, Shaped};
use std::rc::Rc;

/// One line of shaped text placed in a band.
pub struct Run {
    /// Left edge, from the cell's content box.
    pub x: f32,
    /// Baseline, from the band's top.
    pub baseline: f32,
    /// The paragraph the line belongs to.
    pub shaped: Rc<Shaped>,
    /// Which part of it.
    pub line: Line,
    /// Where the text belongs in the structure tree.
    pub target: Target,
    /// Grey, smaller print (continuation marks).
    pub muted: bool,
    /// A line drawn through or under the text.
    pub deco: Option<Deco>,
    /// What the text stands for when read out or copied (the drawn glyphs alone miss it):
    /// becomes the marked content's `/ActualText`.
    pub actual: Option<Rc<str>>,
}

/// A line drawn with text, which the structure tree names as its `TextDecorationType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deco {
    /// Struck through: deleted text.
    LineThrough,
    /// Underlined: inserted text.
    Underline,
}

/// A horizontal slice of a cell's content that is never cut: one line box (or one row of a
/// multi-column list).
#[derive(Default)]
pub struct Band {
    /// Height in points.
    pub height: f32,
    /// Text drawn in the band.
    pub runs: Vec<Run>,
}

/// A cell's content laid out for one width.
#[derive(Default)]
pub struct CellBox {
    /// The bands, top to bottom.
    pub bands: Vec<Band>,
}

impl CellBox {
    /// Content height (without padding).
    pub fn height(&self) -> f32 {
        self.bands.iter().map(|b| b.height).sum()
    }

    /// The cell's paragraphs as laid out, top to bottom: the lines of one shaped text are one
    /// paragraph, whatever runs (marked pieces) draw them; a list item's bullet is a
    /// paragraph of its own, beside its text's first line.
    pub fn paragraphs(&self) -> Vec<CellParagraph> {
        let mut out: Vec<(*const Shaped, CellParagraph)> = Vec::new();
        for band in &self.bands {
            let mut lines: Vec<(&Run, usize, usize)> = Vec::new();
            for r in &band.runs {
                match lines
                    .iter_mut()
                    .find(|l| Rc::ptr_eq(&l.0.shaped, &r.shaped))
                {
                    Some(l) => {
                        l.1 = l.1.min(r.line.start);
                        l.2 = l.2.max(r.line.end);
                    }
                    None => lines.push((r, r.line.start, r.line.end)),
                }
            }
            for (r, start, end) in lines {
                let text = r.shaped.text[start..end].to_string();
                let key = Rc::as_ptr(&r.shaped);
                match out.iter_mut().rev().find(|(k, _)| *k == key) {
                    Some((_, p)) => p.lines.push(text),
                    None => out.push((
                        key,
                        CellParagraph {
                            target: r.target,
                            lines: vec![text],
                        },
                    )),
                }
            }
        }
        out.into_iter().map(|(_, p)| p).collect()
    }
}

/// A paragraph of a table cell as laid out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellParagraph {
    /// Where its (first) text belongs in the structure tree: which cell of which table.
    pub target: Target,
    /// The text of each of its lines, top to bottom, trailing spaces left out.
    pub lines: Vec<String>,
}

/// One atom of the atom column.
pub struct Atom {
    /// Its content.
    pub cell: CellBox,
    /// Space above its content.
    pub pad_top: f32,
    /// Space below its content.
    pub pad_bottom: f32,
    /// Whether a rule is drawn above it (it starts a new logical row).
    pub rule_above: bool,
}

/// A cell of a spanning column, covering atoms `first..=last`.
pub struct SpanCell {
    /// Its column.
    pub col: usize,
    /// First atom covered.
    pub first: usize,
    /// Last atom covered.
    pub last: usize,
    /// The content, drawn where the cell starts.
    pub full: CellBox,
    /// The label drawn where the cell continues on a new page.
    pub cont: CellBox,
    /// Shaded as a header cell.
    pub header: bool,
}

/// A table ready to paginate.
pub struct Table {
    /// Column widths in points (cell borders included).
    pub widths: Vec<f32>,
    /// The header row's cells.
    pub header: Vec<CellBox>,
    /// The atom column.
    pub atoms: Vec<Atom>,
    /// The cells of the spanning columns.
    pub spans: Vec<SpanCell>,
    /// Cell padding.
    pub pad: Padding,
}

/// Cell padding in points.
#[derive(Clone, Copy, Debug)]
pub struct Padding {
    /// Left and right.
    pub x: f32,
    /// Top and bottom.
    pub y: f32,
}

/// The atoms on one page and their heights there.
#[derive(Clone, Debug, PartialEq)]
pub struct Slice {
    /// First atom.
    pub start: usize,
    /// One past the last atom.
    pub end: usize,
    /// Height of each atom row on this page (grown where a spanning cell needs room).
    pub heights: Vec<f32>,
}

impl Slice {
    /// Total height of the rows.
    pub fn height(&self) -> f32 {
        self.heights.iter().sum()
    }
}

impl Table {
    /// Height of the header row.
    pub fn header_height(&self) -> f32 {
        self.header.iter().map(CellBox::height).fold(0.0, f32::max) + 2.0 * self.pad.y
    }

    /// Height of the header row and the first row together: what a heading above the table
    /// keeps with it, so that a heading never ends a page alone.
    pub fn opening_height(&self) -> f32 {
        self.header_height() + self.heights(0, 1).iter().sum::<f32>()
    }

    /// Every paragraph of every cell as laid out: the header row's, the atoms', then the
    /// spanning cells' (each cell's full content, then its 「（続き）」 label).
    pub fn paragraphs(&self) -> Vec<CellParagraph> {
        let header = self.header.iter();
        let atoms = self.atoms.iter().map(|a| &a.cell);
        let spans = self.spans.iter().flat_map(|s| [&s.full, &s.cont]);
        header
            .chain(atoms)
            .chain(spans)
            .flat_map(CellBox::paragraphs)
            .collect()
    }

    /// Total width.
    pub fn width(&self) -> f32 {
        self.widths.iter().sum()
    }

    /// Row heights for atoms `start..end` laid out on one page.
    pub fn heights(&self, start: usize, end: usize) -> Vec<f32> {
        let mut h: Vec<f32> = (start..end)
            .map(|i| {
                let a = &self.atoms[i];
                let top = if i == start {
                    a.pad_top.max(self.pad.y)
                } else {
                    a.pad_top
                };
                let bottom = if i + 1 == end {
                    a.pad_bottom.max(self.pad.y)
                } else {
                    a.pad_bottom
                };
                top + a.cell.height() + bottom
            })
            .collect();
        // Narrow spans first, so that a wide span sees the room its inner spans took.
        let mut spans: Vec<&SpanCell> = self
            .spans
            .iter()
            .filter(|s| s.first < end && s.last >= start)
            .collect();
        spans.sort_by_key(|s| (s.last - s.first, std::cmp::Reverse(s.col)));
        for s in spans {
            let (a, b) = (s.first.max(start), s.last.min(end - 1));
            let need = if a == s.first {
                s.full.height()
            } else {
                s.cont.height()
            } + 2.0 * self.pad.y;
            let have: f32 = h[a - start..=b - start].iter().sum();
            if need > have {
                h[b - start] += need - have;
            }
        }
        h
    }

    /// Break the atoms into pages: the first page has `first` points for rows (below the
    /// header), every further page `rest`. A page always takes at least one atom.
    pub fn paginate(&self, first: f32, rest: f32) -> Vec<Slice> {
        let mut out = Vec::new();
        let mut start = 0;
        let n = self.atoms.len();
        while start < n {
            let avail = if out.is_empty() { first } else { rest };
            let mut end = start + 1;
            let mut best = self.heights(start, end);
            while end < n {
                let h = self.heights(start, end + 1);
                if h.iter().sum::<f32>() > avail {
                    break;
                }
                end += 1;
                best = h;
            }
            // Don't leave a page that starts a logical row with only its first atom when the
            // row goes on (a lone heading line at the foot of a page).
            if end < n
                && end - start > 1
                && self.atoms[end - 1].rule_above
                && !self.atoms[end].rule_above
            {
                end -= 1;
                best = self.heights(start, end);
            }
            // Nothing fits on a first page that is already partly used: start on a fresh one.
            if out.is_empty() && best.iter().sum::<f32>() > avail && first < rest {
                out.push(Slice {
                    start,
                    end: start,
                    heights: Vec::new(),
                });
                continue;
            }
            out.push(Slice {
                start,
                end,
                heights: best,
            });
            start = end;
        }
        out
    }
}

/// Column widths the way browsers lay out auto tables: every column gets at least its
/// min-content width; the room left is shared in proportion to how much more each column
/// would like (max-content − min-content).
pub fn distribute(min: &[f32], max: &[f32], avail: f32) -> Vec<f32> {
    let max: Vec<f32> = max.iter().zip(min).map(|(a, b)| a.max(*b)).collect();
    let sum_min: f32 = min.iter().sum();
    let sum_max: f32 = max.iter().sum();
    if sum_max <= avail {
        let extra = avail - sum_max;
        return max
            .iter()
            .map(|m| m + extra * m / sum_max.max(f32::EPSILON))
            .collect();
    }
    if sum_min >= avail {
        return min
            .iter()
            .map(|m| m * avail / sum_min.max(f32::EPSILON))
            .collect();
    }
    let ratio = (avail - sum_min) / (sum_max - sum_min);
    min.iter()
        .zip(&max)
        .map(|(lo, hi)| lo + (hi - lo) * ratio)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(h: f32) -> Band {
        Band {
            height: h,
            runs: Vec::new(),
        }
    }

    fn cell(lines: usize) -> CellBox {
        CellBox {
            bands: (0..lines).map(|_| band(10.0)).collect(),
        }
    }

    fn atom(lines: usize, rule: bool) -> Atom {
        Atom {
            cell: cell(lines),
            pad_top: if rule { 4.0 } else { 1.0 },
            pad_bottom: 1.0,
            rule_above: rule,
        }
    }

    fn table(atoms: Vec<Atom>, spans: Vec<SpanCell>) -> Table {
        Table {
            widths: vec![100.0, 200.0],
            header: vec![cell(1), cell(1)],
            atoms,
            spans,
            pad: Padding { x: 4.0, y: 4.0 },
        }
    }

    #[test]
    fn widths_follow_content() {
        assert_eq!(
            distribute(&[10.0, 10.0], &[20.0, 60.0], 160.0),
            vec![40.0, 120.0]
        );
        let w = distribute(&[10.0, 20.0], &[110.0, 220.0], 130.0);
        assert!(
            (w[0] - 43.333).abs() < 0.01 && (w[1] - 86.666).abs() < 0.01,
            "{w:?}"
        );
        assert_eq!(
            distribute(&[100.0, 100.0], &[200.0, 200.0], 100.0),
            vec![50.0, 50.0]
        );
    }

    #[test]
    fn a_spanning_cell_taller_than_its_rows_grows_the_last() {
        let t = table(
            vec![atom(1, true), atom(1, false)],
            vec![SpanCell {
                col: 0,
                first: 0,
                last: 1,
                full: cell(5),
                cont: cell(1),
                header: true,
            }],
        );
        let h = t.heights(0, 2);
        assert_eq!(h[0], 4.0 + 10.0 + 1.0);
        assert_eq!(h.iter().sum::<f32>(), 50.0 + 8.0);
    }

    #[test]
    fn pages_break_between_atoms_and_take_at_least_one() {
        let atoms = (0..10).map(|i| atom(3, i % 3 == 0)).collect();
        let t = table(
            atoms,
            vec![SpanCell {
                col: 0,
                first: 0,
                last: 9,
                full: cell(2),
                cont: cell(1),
                header: true,
            }],
        );
        let pages = t.paginate(70.0, 110.0);
        assert_eq!(pages.first().map(|p| p.start), Some(0));
        assert_eq!(pages.last().map(|p| p.end), Some(10));
        for w in pages.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        for (i, p) in pages.iter().enumerate() {
            let avail = if i == 0 { 70.0 } else { 110.0 };
            assert!(p.height() <= avail || p.end - p.start == 1, "{p:?}");
        }
        // A huge atom still gets a page of its own.
        let t = table(
            vec![atom(1, true), atom(30, true), atom(1, true)],
            Vec::new(),
        );
        let pages = t.paginate(100.0, 100.0);
        assert!(
            pages.iter().any(|p| p.start == 1 && p.end == 2),
            "{pages:?}"
        );
    }
}

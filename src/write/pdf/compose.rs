//! Composition: paragraphs, list items and marked runs shaped and broken into line bands,
//! and the cells (labels, header rows) tables are built from.

use super::Target;
use super::settings::{BODY, LEADING, PAD, SMALL};
use super::table::{Band, CellBox, Deco, Run};
use super::text::{Fonts, Shaped, Weight};
use crate::model::Funding;
use std::rc::Rc;

/// A list item's bullet.
pub(super) const BULLET: &str = "・";
/// Added to a spanning cell's label where a page break cut it.
const CONTINUED: &str = "（続き）";

/// Lays out paragraphs into bands.
pub(crate) struct Composer<'f> {
    /// The embedded fonts.
    pub fonts: &'f Fonts,
}

impl Composer<'_> {
    /// `text` shaped, not yet broken into lines.
    pub(super) fn shape(&self, text: &str, weight: Weight, size: f32) -> Rc<Shaped> {
        Rc::new(Shaped::new(self.fonts, text, weight, size))
    }

    /// A paragraph broken to `width`, one band per line.
    pub(crate) fn para(
        &self,
        text: &str,
        weight: Weight,
        size: f32,
        width: f32,
        target: Target,
        muted: bool,
    ) -> Vec<Band> {
        self.para_keeping(text, &[], weight, size, width, target, muted)
    }

    /// A paragraph broken to `width` never inside one of `keep` (nor inside a grant type).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn para_keeping(
        &self,
        text: &str,
        keep: &[&str],
        weight: Weight,
        size: f32,
        width: f32,
        target: Target,
        muted: bool,
    ) -> Vec<Band> {
        let mut shaped = grant_types_whole(Shaped::new(self.fonts, text, weight, size));
        for k in keep {
            shaped = shaped.glue(k);
        }
        let shaped = Rc::new(shaped);
        let lh = size * LEADING;
        shaped
            .lines(width)
            .into_iter()
            .map(|line| Band {
                height: lh,
                runs: vec![Run {
                    x: 0.0,
                    baseline: baseline(size, lh),
                    shaped: shaped.clone(),
                    line,
                    target,
                    muted,
                    deco: None,
                    actual: None,
                }],
            })
            .collect()
    }

    /// A list item: a bullet hanging in the margin, the text indented after it.
    pub(super) fn item(&self, text: &str, width: f32, label: Target, body: Target) -> Vec<Band> {
        let bullet = self.shape(BULLET, Weight::Regular, BODY);
        let indent = bullet.max_width();
        let mut bands = self.para(text, Weight::Regular, BODY, width - indent, body, false);
        for b in &mut bands {
            for r in &mut b.runs {
                r.x += indent;
            }
        }
        if let Some(first) = bands.first_mut() {
            let lh = BODY * LEADING;
            let line = bullet.lines(f32::INFINITY).into_iter().next();
            if let Some(line) = line {
                first.runs.insert(
                    0,
                    Run {
                        x: 0.0,
                        baseline: baseline(BODY, lh),
                        shaped: bullet.clone(),
                        line,
                        target: label,
                        muted: false,
                        deco: None,
                        actual: None,
                    },
                );
            }
        }
        bands
    }

    /// A paragraph of plain and marked pieces broken to `width` as one text, so lines break
    /// where they would without the marks; piece `k` is filed under `target(k)`. A marked
    /// piece is drawn with its line and, where it starts and ends, reads as its `before` and
    /// `after` words around it (its `/ActualText`).
    pub(crate) fn marked(
        &self,
        pieces: &[Piece],
        size: f32,
        width: f32,
        target: impl Fn(usize) -> Target,
    ) -> Vec<Band> {
        let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
        let mut ranges = Vec::with_capacity(pieces.len());
        let mut at = 0;
        for p in pieces {
            ranges.push(at..at + p.text.len());
            at += p.text.len();
        }
        let shaped = Rc::new(grant_types_whole(Shaped::new(
            self.fonts,
            &text,
            Weight::Regular,
            size,
        )));
        let lh = size * LEADING;
        let mut bands = Vec::new();
        for line in shaped.lines(width) {
            let mut runs = Vec::new();
            for (k, (p, r)) in pieces.iter().zip(&ranges).enumerate() {
                let (a, b) = (r.start.max(line.start), r.end.min(line.end));
                if a >= b {
                    continue;
                }
                let (piece, dx) = shaped.piece(&line, a, b);
                let actual = p.deco.and_then(|_| {
                    let starts = text[r.start..a].trim().is_empty();
                    let ends = text[b..r.end].trim().is_empty();
                    let (before, after) = (
                        if starts { p.before } else { "" },
                        if ends { p.after } else { "" },
                    );
                    (!before.is_empty() || !after.is_empty())
                        .then(|| Rc::from(format!("{before}{}{after}", &text[a..b])))
                });
                runs.push(Run {
                    x: dx,
                    baseline: baseline(size, lh),
                    shaped: shaped.clone(),
                    line: piece,
                    target: target(k),
                    muted: false,
                    deco: p.deco,
                    actual,
                });
            }
            bands.push(Band { height: lh, runs });
        }
        bands
    }

    /// min-content and max-content widths of a paragraph.
    pub(crate) fn widths(&self, text: &str, weight: Weight, size: f32) -> (f32, f32) {
        let s = Shaped::new(self.fonts, text, weight, size);
        (s.min_width(), s.max_width())
    }
}

/// A run of text in a [`Composer::marked`] paragraph.
pub(crate) struct Piece {
    /// The text.
    pub text: String,
    /// Its mark, if any.
    pub deco: Option<Deco>,
    /// Read before it (e.g. 「［削除：」).
    pub before: &'static str,
    /// Read after it.
    pub after: &'static str,
}

/// `shaped` with every grant-type mark (「（先行型）」, 「（上乗せ）」) kept on one line.
fn grant_types_whole(mut shaped: Shaped) -> Shaped {
    for f in Funding::ALL {
        shaped = shaped.glue(&format!("（{}）", f.label()));
    }
    shaped
}

fn baseline(size: f32, line_height: f32) -> f32 {
    // BIZ UDGothic's ascender is 0.88 em; centre the em box in the line.
    (line_height - size) / 2.0 + 0.88 * size
}

/// A goal/direction/measure label cell: `label` in bold, then the title.
pub(super) fn label_cell(
    c: &Composer,
    label: &str,
    title: &str,
    width: f32,
    target: Target,
    continued: bool,
) -> CellBox {
    let mut bands = Vec::new();
    if continued {
        bands.extend(c.para(
            &format!("{label}{CONTINUED}"),
            Weight::Bold,
            SMALL,
            width,
            target,
            true,
        ));
        bands.extend(c.para(title, Weight::Regular, BODY, width, target, true));
    } else {
        bands.extend(c.para(label, Weight::Bold, BODY, width, target, false));
        bands.extend(c.para(title, Weight::Regular, BODY, width, target, false));
    }
    CellBox { bands }
}

/// A table's header row: each column's name in bold, filed under `target(column)`.
pub(crate) fn header_cells(
    c: &Composer,
    heads: &[&str],
    widths: &[f32],
    target: impl Fn(usize) -> Target,
) -> Vec<CellBox> {
    heads
        .iter()
        .enumerate()
        .map(|(i, h)| CellBox {
            bands: c.para(h, Weight::Bold, BODY, inner(widths[i]), target(i), false),
        })
        .collect()
}

/// The content width of a cell `width` wide.
pub(crate) fn inner(width: f32) -> f32 {
    (width - 2.0 * PAD.x).max(BODY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(text: &str, deco: Option<Deco>) -> Piece {
        Piece {
            text: text.to_string(),
            deco,
            before: if deco.is_some() { "［削除：" } else { "" },
            after: if deco.is_some() { "］" } else { "" },
        }
    }

    /// A run as seen: text drawn, ActualText, target piece, decorated.
    type Seen = (String, Option<String>, usize, bool);

    /// Every run, line by line.
    fn runs(bands: &[Band]) -> Vec<Vec<Seen>> {
        bands
            .iter()
            .map(|b| {
                b.runs
                    .iter()
                    .map(|r| {
                        let Target::Piece(_, _, _, k) = r.target else {
                            panic!("{:?}", r.target)
                        };
                        (
                            r.shaped.text[r.line.start..r.line.end].to_string(),
                            r.actual.as_deref().map(str::to_string),
                            k,
                            r.deco.is_some(),
                        )
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_marked_run_cut_by_a_line_break_says_its_label_once_around_the_whole() {
        let c = Composer {
            fonts: Fonts::shared(),
        };
        let pieces = [
            piece("若者の", None),
            piece("市内における就職", Some(Deco::LineThrough)),
            piece("の促進", None),
        ];
        // Five characters a line: 若者の市内 / における就 / 職の促進.
        let bands = c.marked(&pieces, BODY, 5.0 * BODY + 0.5, |k| {
            Target::Piece(0, 0, 1, k)
        });
        let got = runs(&bands);
        let s = |t: &str| t.to_string();
        assert_eq!(
            got,
            vec![
                vec![
                    (s("若者の"), None, 0, false),
                    (s("市内"), Some(s("［削除：市内")), 1, true)
                ],
                vec![(s("における就"), None, 1, true)],
                vec![
                    (s("職"), Some(s("職］")), 1, true),
                    (s("の促進"), None, 2, false)
                ],
            ]
        );
        // Runs sit where the unbroken line put them: each starts where the last ended.
        for b in &bands {
            for w in b.runs.windows(2) {
                assert!((w[0].x + w[0].line.width - w[1].x).abs() < 0.01);
            }
        }
    }

    #[test]
    fn a_grant_type_mark_is_never_split_in_a_marked_paragraph() {
        let c = Composer {
            fonts: Fonts::shared(),
        };
        // The 新旧対照表's 旧 cell of the seed's first project: plain text that ends in a mark.
        let pieces = [piece(
            "就業支援事業（若者や女性の離職防止支援、高校生の地元就職支援等）（先行型）",
            None,
        )];
        for chars in 6..40 {
            let width = chars as f32 * BODY + 0.5;
            let bands = c.marked(&pieces, BODY, width, |k| Target::Piece(0, 0, 1, k));
            let lines: Vec<String> = runs(&bands)
                .iter()
                .map(|l| l.iter().map(|r| r.0.as_str()).collect())
                .collect();
            assert!(
                lines.iter().any(|l| l.contains("（先行型）")),
                "{chars}: {lines:?}"
            );
        }
    }

    #[test]
    fn a_marked_run_on_one_line_reads_as_label_text_label() {
        let c = Composer {
            fonts: Fonts::shared(),
        };
        let pieces = [piece("旧", None), piece("市内", Some(Deco::LineThrough))];
        let bands = c.marked(&pieces, BODY, 100.0 * BODY, |k| Target::Piece(0, 0, 1, k));
        let got = runs(&bands);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0][1].1.as_deref(), Some("［削除：市内］"));
        assert_eq!(got[0][0].1, None, "plain text reads as itself");
    }
}

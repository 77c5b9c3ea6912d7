//! The print-ready PDF: the draft as a Japanese A4 (or A3) table document, tagged for
//! PDF/UA-1, from the canonical model alone.
//!
//! Layout happens first and completely (so the footer can say `n / N`), then krilla draws the
//! pages. Every piece of text is drawn inside a marked-content span whose identifier is filed
//! under a [`Target`]; once all pages are drawn the structure tree is built from those targets
//! in reading order. Rules, shading, the footer, the repeated header row and continuation
//! labels are artifacts.
//!
//! The machinery is shared: `settings` (page geometry, sizes), `glyphs` (the K201 check),
//! `text` (fonts, shaping, line breaking), `compose` (paragraphs into line bands, cells),
//! `table` (column widths, pagination), `flow` (bands and table slices onto pages), `draw`
//! (the pages, with krilla), `tag` (structure-tree helpers), `finish` (tree, outline,
//! metadata) and `pack` (object streams). `strategy` builds the strategy's document from
//! them, as `crate::write::shinkyu::pdf` builds the 新旧対照表.

mod compose;
mod draw;
mod finish;
mod flow;
mod glyphs;
mod pack;
mod settings;
mod strategy;
pub(crate) mod table;
mod tag;
pub mod text;

pub use glyphs::{check_glyphs, shown_texts};
pub use settings::{PdfSettings, Stamp, source_date_epoch};
pub use strategy::{table_paragraphs, write};
pub use table::CellParagraph;

// The pieces the 新旧対照表 (`crate::write::shinkyu::pdf`) builds on.
pub(crate) use compose::{Composer, Piece, header_cells, inner};
pub(crate) use draw::render;
pub(crate) use finish::{About, finish};
pub(crate) use flow::Flow;
pub(crate) use glyphs::missing_glyphs;
pub(crate) use settings::{BODY, Geometry, HEADING, PAD, SMALL, SUBTITLE, TITLE};
pub(crate) use tag::{group, head_row, table_node, tag_id, take};

use crate::diag::{Code, Diagnostic};

/// Where a piece of text belongs in the structure tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// The H1 title.
    Title,
    /// The line under the title: municipality, stage, date.
    Subtitle,
    /// An H2 section heading (0: the measures, 1: the related projects, 2: the 数値目標).
    Heading(usize),
    /// A column header of the main table.
    MainHead(usize),
    /// A goal cell (goal index).
    Goal(usize),
    /// A direction cell.
    Direction(usize, usize),
    /// A measure cell.
    Measure(usize, usize, usize),
    /// A project's bullet.
    ProjectLabel(usize, usize, usize, usize),
    /// A project's text.
    ProjectBody(usize, usize, usize, usize),
    /// A KPI's bullet in the main table: (goal, direction, measure, indicator).
    KpiLabel(usize, usize, usize, usize),
    /// A KPI's name and values in the main table.
    KpiBody(usize, usize, usize, usize),
    /// A column header of the related table.
    RelatedHead(usize),
    /// A related group's goal cell.
    RelatedGoal(usize),
    /// A related project's bullet.
    RelatedLabel(usize, usize),
    /// A related project's text.
    RelatedBody(usize, usize),
    /// A heading or paragraph of a document other than the strategy's, by position.
    Block(usize),
    /// A column header of such a document's table: (table, column).
    Head(usize, usize),
    /// A piece of a cell of such a document's table: (table, row, column, piece). A cell's
    /// pieces are its runs of plain and marked text, in reading order.
    Piece(usize, usize, usize, usize),
}

/// Why a PDF could not be written.
#[derive(Debug)]
pub enum PdfError {
    /// Characters the embedded font lacks, each with where it sits in the draft.
    MissingGlyphs(Vec<Diagnostic>),
    /// krilla refused the document (a PDF/UA violation or an internal limit).
    Krilla(String),
}

impl PdfError {
    /// The error as diagnostics, for `check` and `build` to print.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match self {
            PdfError::MissingGlyphs(d) => d,
            PdfError::Krilla(msg) => vec![
                Diagnostic::new(
                    Code::K202,
                    None,
                    "PDF を書き出せませんでした（内容が PDF/UA の決まりに合わないか、PDF の上限を超えています）",
                    "the PDF could not be written (the content breaks a PDF/UA rule or goes over a limit of PDF)",
                )
                .cause(msg),
            ],
        }
    }
}

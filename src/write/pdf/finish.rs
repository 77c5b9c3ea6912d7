//! Finishing: the drawn document gets its structure tree, outline and metadata, and is
//! serialized, mended (`/Suspects false` left out) and packed.

use super::draw::Drawn;
use super::{PdfError, PdfSettings, pack};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::Outline;
use krilla::tagging::TagTree;

/// What a finished document says of itself.
pub(crate) struct About {
    /// Title (also the H1).
    pub title: String,
    /// A one-line description.
    pub description: String,
    /// The author: the municipality or publisher.
    pub author: Option<String>,
}

/// Give the drawn document its structure tree, outline and metadata, and serialize it.
pub(crate) fn finish(
    drawn: Drawn,
    tree: TagTree,
    outline: Outline,
    about: About,
    settings: &PdfSettings,
) -> Result<Vec<u8>, PdfError> {
    let mut doc = drawn.doc;
    doc.set_tag_tree(tree);
    doc.set_outline(outline);
    let mut metadata = Metadata::new()
        .title(about.title)
        .language("ja-JP".to_string())
        .creator(format!("kohyo {}", env!("CARGO_PKG_VERSION")))
        .producer(format!("kohyo {} (krilla)", env!("CARGO_PKG_VERSION")))
        .description(about.description);
    if let Some(a) = about.author {
        metadata = metadata.authors(vec![a]);
    }
    if let Some(t) = settings.created {
        metadata = metadata.creation_date(
            DateTime::new(t.date.year)
                .month(t.date.month)
                .day(t.date.day)
                .hour(t.time.0)
                .minute(t.time.1)
                .second(t.time.2)
                .utc_offset_hour(t.utc_offset)
                .utc_offset_minute(0),
        );
    }
    doc.set_metadata(metadata);
    let mut plain = doc
        .finish()
        .map_err(|e| PdfError::Krilla(format!("{e:?}")))?;
    // `/Suspects false` out of /MarkInfo (poppler calls it a syntax error), offsets unmoved. A
    // file pdf-writer did not lay out as expected keeps it; tests/pdf.rs fails on that.
    let _ = pack::drop_suspects(&mut plain);
    if settings.unpacked {
        return Ok(plain);
    }
    // A file pdf-writer did not lay out as expected (a krilla upgrade) stays unpacked: still a
    // valid PDF, only larger; tests/pdf.rs fails on it.
    Ok(pack::pack(&plain).unwrap_or(plain))
}

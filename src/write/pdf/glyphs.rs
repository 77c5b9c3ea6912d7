//! The glyph check: every string the strategy's PDF shows, and a K201 error for each
//! character the embedded font lacks, located in the draft.

use super::text::Fonts;
use crate::diag::{Code, Diagnostic};
use crate::grid::Origin;
use crate::model::Strategy;
use crate::write::{related_text, subtitle_of, title_of};

/// Every string of the model that the PDF shows, with where it came from: the glyph check
/// and the text-extraction tests walk this.
pub fn shown_texts(s: &Strategy) -> Vec<(String, Option<Origin>)> {
    let mut out = vec![(title_of(s), s.title_source.clone())];
    out.push((subtitle_of(s), None));
    for g in &s.goals {
        out.push((g.title.clone(), Some(g.source.clone())));
        for d in &g.directions {
            out.push((d.title.clone(), Some(d.source.clone())));
            out.push((d.code.clone(), Some(d.source.clone())));
            for m in &d.measures {
                out.push((m.title.clone(), Some(m.source.clone())));
                for p in &m.projects {
                    out.push((p.title.clone(), Some(p.source.clone())));
                }
            }
        }
    }
    for r in &s.related {
        for p in &r.projects {
            out.push((related_text(p), Some(p.source.clone())));
        }
    }
    out
}

/// Characters the embedded font cannot show, as K201 errors located in the draft.
pub fn check_glyphs(s: &Strategy) -> Vec<Diagnostic> {
    glyph_diagnostics(Fonts::shared(), s)
}

/// [`check_glyphs`] with the fonts given.
pub(super) fn glyph_diagnostics(fonts: &Fonts, s: &Strategy) -> Vec<Diagnostic> {
    missing_glyphs(fonts, shown_texts(s))
}

/// K201 for every character of `texts` the font lacks, at the text's origin.
pub(crate) fn missing_glyphs(
    fonts: &Fonts,
    texts: Vec<(String, Option<Origin>)>,
) -> Vec<Diagnostic> {
    // Look each distinct character up once; only a text holding a missing one is searched.
    let mut seen: std::collections::HashSet<char> = std::collections::HashSet::new();
    let mut all = String::new();
    for (t, _) in &texts {
        all.extend(t.chars().filter(|c| seen.insert(*c)));
    }
    let missing = fonts.missing(&all);
    if missing.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (text, origin) in texts {
        if !text.chars().any(|c| missing.contains(&c)) {
            continue;
        }
        for c in fonts.missing(&text) {
            let code = format!("U+{:04X}", c as u32);
            out.push(
                Diagnostic::new(
                    Code::K201,
                    origin.clone(),
                    format!("文字「{c}」（{code}）は PDF のフォントにないため表示できません"),
                    format!("character '{c}' ({code}) is not in the PDF's font"),
                )
                .note(
                    "BIZ UDゴシックにある文字に置き換えてください（例: 絵文字や外字は使えません）",
                    "replace it with a character BIZ UDGothic has (emoji and private-use characters are not available)",
                ),
            );
        }
    }
    out
}

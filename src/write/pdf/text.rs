//! Text: the embedded fonts, shaping with rustybuzz, and Japanese line breaking.
//!
//! Break opportunities come from ICU4X's UAX #14 segmenter in strict mode (CSS
//! `line-break: strict`: no break before small kana or the prolonged sound mark), and a kinsoku
//! guard on top of it makes sure that no line starts with closing punctuation
//! (。、」）・ー…) or a small kana and none ends with an opening bracket (「（…), whatever the
//! Unicode data says. Widths are the font's own advances from shaping, so lines fit exactly.

use icu_segmenter::LineSegmenter;
use icu_segmenter::options::{LineBreakOptions, LineBreakStrictness};
use krilla::text::{Font, GlyphId, KrillaGlyph};

static REGULAR: &[u8] = include_bytes!("../../../fonts/BIZUDGothic-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../../fonts/BIZUDGothic-Bold.ttf");

/// Characters no line may start with (行頭禁則).
pub const NO_LINE_START: &str = "、。，．,.：；:;？！?!・ー―‐－～〜…‥゛゜ヽヾゝゞ々〻」』）］｝〕〉》】〙〗〟’”｠»)]}％‰℃°′″ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ";

/// Characters no line may end with (行末禁則).
pub const NO_LINE_END: &str = "「『（［｛〔〈《【〘〖〝‘“｟«([{";

/// The weight of a run of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Weight {
    /// BIZ UDGothic Regular.
    Regular,
    /// BIZ UDGothic Bold.
    Bold,
}

/// One embedded font: the PDF side (krilla) and the shaping side (rustybuzz).
pub struct Face {
    /// The font as krilla embeds it.
    pub pdf: Font,
    shaper: rustybuzz::Face<'static>,
    upem: f32,
    /// Shape plans by script: building one is slow, and a document needs only a few.
    plans: std::sync::Mutex<
        Vec<(
            Option<rustybuzz::Script>,
            std::sync::Arc<rustybuzz::ShapePlan>,
        )>,
    >,
}

impl Face {
    fn load(data: &'static [u8], name: &str) -> Face {
        // The fonts are compiled into the binary, so failing to parse them is a build defect,
        // not a problem with any draft.
        let pdf = Font::new(krilla::Data::from(data), 0)
            .unwrap_or_else(|| panic!("the embedded font {name} cannot be parsed"));
        let shaper = rustybuzz::Face::from_slice(data, 0)
            .unwrap_or_else(|| panic!("the embedded font {name} cannot be parsed"));
        let upem = shaper.units_per_em() as f32;
        Face {
            pdf,
            shaper,
            upem,
            plans: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The shape plan for left-to-right text in `script`, built once.
    fn plan(&self, script: Option<rustybuzz::Script>) -> std::sync::Arc<rustybuzz::ShapePlan> {
        let mut plans = self
            .plans
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, p)) = plans.iter().find(|(s, _)| *s == script) {
            return p.clone();
        }
        let plan = std::sync::Arc::new(rustybuzz::ShapePlan::new(
            &self.shaper,
            rustybuzz::Direction::LeftToRight,
            script,
            None,
            &[],
        ));
        plans.push((script, plan.clone()));
        plan
    }

    /// Whether the font has a glyph for `c`.
    pub fn has(&self, c: char) -> bool {
        self.shaper.glyph_index(c).is_some()
    }
}

/// The two embedded faces.
pub struct Fonts {
    /// BIZ UDGothic Regular.
    pub regular: Face,
    /// BIZ UDGothic Bold.
    pub bold: Face,
}

impl Fonts {
    /// The fonts compiled into kohyo, parsed once per process and shared by every document.
    pub fn shared() -> &'static Fonts {
        static FONTS: std::sync::OnceLock<Fonts> = std::sync::OnceLock::new();
        FONTS.get_or_init(Fonts::load)
    }

    /// Load the fonts compiled into kohyo.
    pub fn load() -> Fonts {
        Fonts {
            regular: Face::load(REGULAR, "BIZUDGothic-Regular.ttf"),
            bold: Face::load(BOLD, "BIZUDGothic-Bold.ttf"),
        }
    }

    /// The face for a weight.
    pub fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// The characters of `text` that the fonts cannot show (controls that are never drawn
    /// are left out), in order, each once.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        for c in text.chars() {
            if is_invisible(c) || out.contains(&c) {
                continue;
            }
            if !self.regular.has(c) || !self.bold.has(c) {
                out.push(c);
            }
        }
        out
    }
}

/// Characters that are never drawn (line breaks and the like are turned into layout).
fn is_invisible(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t')
}

/// A paragraph shaped once, in one weight and size; lines are slices of it.
pub struct Shaped {
    /// The text.
    pub text: String,
    /// The weight.
    pub weight: Weight,
    /// The font size in points.
    pub size: f32,
    glyphs: Vec<KrillaGlyph>,
    /// Width in points before each char boundary: `(byte offset, x)`, plus the end.
    stops: Vec<(usize, f32)>,
    /// Byte ranges that must not be broken inside (e.g. a grant-type mark 「（先行型）」).
    glue: Vec<std::ops::Range<usize>>,
}

/// A line of a shaped paragraph: a byte range without trailing spaces, and its width.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line {
    /// Start byte.
    pub start: usize,
    /// End byte (trailing spaces excluded).
    pub end: usize,
    /// Width in points.
    pub width: f32,
}

impl Shaped {
    /// Shape `text` with the given face and size. Text the font lacks must have been
    /// reported before (see [`Fonts::missing`]); such glyphs would be `.notdef`, which the
    /// PDF/UA validator refuses.
    pub fn new(fonts: &Fonts, text: &str, weight: Weight, size: f32) -> Shaped {
        let face = fonts.face(weight);
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        let plan = face.plan(Some(buffer.script()));
        let out = rustybuzz::shape_with_plan(&face.shaper, &plan, buffer);
        let infos = out.glyph_infos();
        let positions = out.glyph_positions();
        let mut glyphs = Vec::with_capacity(infos.len());
        for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
            let start = info.cluster as usize;
            // A cluster runs to the next glyph's cluster start (LTR text: clusters ascend).
            let end = infos[i + 1..]
                .iter()
                .map(|g| g.cluster as usize)
                .find(|&c| c > start)
                .unwrap_or(text.len());
            glyphs.push(KrillaGlyph {
                glyph_id: GlyphId::new(info.glyph_id),
                text_range: start..end,
                x_advance: pos.x_advance as f32 / face.upem,
                x_offset: pos.x_offset as f32 / face.upem,
                y_offset: pos.y_offset as f32 / face.upem,
                y_advance: pos.y_advance as f32 / face.upem,
                location: None,
            });
        }
        // Width before every char boundary.
        let mut stops = Vec::with_capacity(text.len() / 2 + 2);
        let mut x = 0.0;
        let mut g = 0;
        for (b, _) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            while g < glyphs.len() && glyphs[g].text_range.start < b {
                x += glyphs[g].x_advance * size;
                g += 1;
            }
            stops.push((b, x));
        }
        Shaped {
            text: text.to_string(),
            weight,
            size,
            glyphs,
            stops,
            glue: Vec::new(),
        }
    }

    /// Keep every occurrence of `piece` on one line (where it fits).
    pub fn glue(mut self, piece: &str) -> Shaped {
        if !piece.is_empty() {
            for (i, _) in self.text.match_indices(piece) {
                self.glue.push(i..i + piece.len());
            }
        }
        self
    }

    fn opportunities(&self) -> Vec<usize> {
        let mut ops = break_opportunities(&self.text);
        ops.retain(|b| !self.glue.iter().any(|g| g.start < *b && *b < g.end));
        ops
    }

    fn x_at(&self, byte: usize) -> f32 {
        match self.stops.binary_search_by(|s| s.0.cmp(&byte)) {
            Ok(i) => self.stops[i].1,
            Err(i) => self.stops[i.min(self.stops.len() - 1)].1,
        }
    }

    /// Width of `start..end` with trailing spaces left out, and the trimmed end.
    fn span(&self, start: usize, end: usize) -> (usize, f32) {
        let trimmed = start + self.text[start..end].trim_end().len();
        (trimmed, self.x_at(trimmed) - self.x_at(start))
    }

    /// The width of the whole paragraph on one line (max-content).
    pub fn max_width(&self) -> f32 {
        self.span(0, self.text.len()).1
    }

    /// The widest piece that can't be broken (min-content).
    pub fn min_width(&self) -> f32 {
        let mut prev = 0;
        let mut widest: f32 = 0.0;
        for b in self.opportunities().into_iter().chain([self.text.len()]) {
            widest = widest.max(self.span(prev, b).1);
            prev = b;
        }
        widest
    }

    /// Break into lines no wider than `width` (a piece wider than that is broken between
    /// characters, still honouring kinsoku where it can).
    pub fn lines(&self, width: f32) -> Vec<Line> {
        let text = &self.text;
        let mut lines = Vec::new();
        if text.trim().is_empty() {
            return lines;
        }
        let ops: Vec<usize> = self.opportunities();
        let mut start = 0;
        let mut last_fit: Option<usize> = None;
        let mut i = 0;
        let ends: Vec<usize> = ops.iter().copied().chain([text.len()]).collect();
        while i < ends.len() {
            let b = ends[i];
            if b <= start {
                i += 1;
                continue;
            }
            let (_, w) = self.span(start, b);
            if w <= width + 0.01 {
                last_fit = Some(b);
                i += 1;
                continue;
            }
            match last_fit.take() {
                Some(fit) => {
                    let (end, w) = self.span(start, fit);
                    lines.push(Line {
                        start,
                        end,
                        width: w,
                    });
                    start = skip_spaces(text, fit);
                }
                None => {
                    // One piece is wider than the line: break it between characters.
                    let cut = self.emergency_cut(start, b, width);
                    let (end, w) = self.span(start, cut);
                    lines.push(Line {
                        start,
                        end,
                        width: w,
                    });
                    start = skip_spaces(text, cut);
                }
            }
        }
        if start < text.len() {
            let (end, w) = self.span(start, text.len());
            if end > start {
                lines.push(Line {
                    start,
                    end,
                    width: w,
                });
            }
        }
        lines
    }

    /// The last char boundary in `start..end` where `start..cut` fits, preferring one that
    /// doesn't put a no-start character at the head of the next line. Always advances.
    fn emergency_cut(&self, start: usize, end: usize, width: f32) -> usize {
        let text = &self.text;
        let bounds: Vec<usize> = text[start..end]
            .char_indices()
            .map(|(i, _)| start + i)
            .skip(1)
            .collect();
        let fits: Vec<usize> = bounds
            .iter()
            .copied()
            .filter(|&b| self.x_at(b) - self.x_at(start) <= width + 0.01)
            .collect();
        let ok = |b: usize| {
            let next = text[b..].chars().next();
            let prev = text[..b].chars().next_back();
            b == end
                || !next.is_some_and(|c| NO_LINE_START.contains(c))
                    && !prev.is_some_and(|c| NO_LINE_END.contains(c))
        };
        // Kinsoku first: a fitting boundary that breaks no rule; else let up to two
        // characters hang past the edge (ぶら下げ) to reach one; only then break anyway.
        let hang = 2.0 * self.size;
        fits.iter()
            .rev()
            .copied()
            .find(|&b| ok(b))
            .or_else(|| {
                bounds
                    .iter()
                    .copied()
                    .chain([end])
                    .filter(|&b| self.x_at(b) - self.x_at(start) <= width + hang)
                    .find(|&b| ok(b) && !fits.contains(&b))
            })
            .or_else(|| fits.last().copied())
            .or_else(|| bounds.first().copied())
            .unwrap_or(end)
    }

    /// Bytes `start..end` of `line` as a line of their own, and their distance from the
    /// line's left edge.
    pub fn piece(&self, line: &Line, start: usize, end: usize) -> (Line, f32) {
        let left = self.x_at(start);
        (
            Line {
                start,
                end,
                width: self.x_at(end) - left,
            },
            left - self.x_at(line.start),
        )
    }

    /// The glyphs of a line, with text ranges into [`Shaped::text`].
    pub fn glyphs(&self, line: &Line) -> &[KrillaGlyph] {
        let from = self
            .glyphs
            .partition_point(|g| g.text_range.start < line.start);
        let to = self
            .glyphs
            .partition_point(|g| g.text_range.start < line.end);
        &self.glyphs[from..to]
    }
}

fn skip_spaces(text: &str, at: usize) -> usize {
    at + (text[at..].len() - text[at..].trim_start().len())
}

/// Byte offsets (strictly inside `text`) where a line may break.
pub fn break_opportunities(text: &str) -> Vec<usize> {
    let mut options = LineBreakOptions::default();
    options.strictness = Some(LineBreakStrictness::Strict);
    let segmenter = LineSegmenter::new_for_non_complex_scripts(options);
    segmenter
        .segment_str(text)
        .filter(|&b| b > 0 && b < text.len())
        .filter(|&b| {
            let next = text[b..].chars().next();
            let prev = text[..b].trim_end().chars().next_back();
            !next.is_some_and(|c| NO_LINE_START.contains(c))
                && !prev.is_some_and(|c| NO_LINE_END.contains(c))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn fonts() -> &'static Fonts {
        static F: OnceLock<Fonts> = OnceLock::new();
        F.get_or_init(Fonts::load)
    }

    fn broken(text: &str, width: f32) -> Vec<String> {
        let s = Shaped::new(fonts(), text, Weight::Regular, 10.0);
        s.lines(width)
            .iter()
            .map(|l| text[l.start..l.end].to_string())
            .collect()
    }

    #[test]
    fn full_width_characters_are_one_em() {
        let s = Shaped::new(fonts(), "苫小牧市", Weight::Regular, 10.0);
        assert!((s.max_width() - 40.0).abs() < 0.01, "{}", s.max_width());
        let s = Shaped::new(fonts(), "ab", Weight::Regular, 10.0);
        assert!((s.max_width() - 10.0).abs() < 0.01, "{}", s.max_width());
    }

    #[test]
    fn lines_fit_and_keep_every_character() {
        let text =
            "地元企業と学生と“つながり”を強化し、地元雇用拡大を実現する。DMO support 2015年度";
        for width in [35.0, 52.0, 80.0, 130.0, 1000.0] {
            let lines = broken(text, width);
            let s = Shaped::new(fonts(), text, Weight::Regular, 10.0);
            for l in s.lines(width) {
                // Within the width, or hanging at most two characters past it (ぶら下げ).
                assert!(l.width <= width + 20.01, "{width}: {l:?}");
            }
            let joined: String = lines.concat();
            assert_eq!(joined.replace(' ', ""), text.replace(' ', ""), "{width}");
        }
    }

    #[test]
    fn kinsoku_holds_at_every_width() {
        let text = "「地域学（地域の歴史・生活文化）」の推進、ふるさと教育。ジョイントベンチャー、ちょっとしたキャッシュレス化…を行う（先行型）";
        for w in 2..60 {
            let width = w as f32 * 10.0 + 3.0;
            let lines = broken(text, width);
            for (i, l) in lines.iter().enumerate() {
                let first = l.chars().next().expect("non-empty line");
                let last = l.chars().next_back().expect("non-empty line");
                if i > 0 {
                    assert!(
                        !NO_LINE_START.contains(first),
                        "{width}: line starts with {first}: {lines:?}"
                    );
                }
                if i + 1 < lines.len() {
                    assert!(
                        !NO_LINE_END.contains(last),
                        "{width}: line ends with {last}: {lines:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn latin_words_and_numbers_stay_whole_where_they_fit() {
        let lines = broken("広域観光推進組織DMOの設立支援2015年度から", 75.0);
        assert!(lines.iter().any(|l| l.contains("DMO")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("2015")), "{lines:?}");
        // A word wider than the line is still broken, never lost.
        let lines = broken("Supercalifragilistic", 30.0);
        assert_eq!(lines.concat(), "Supercalifragilistic");
        assert!(lines.len() > 1);
    }

    #[test]
    fn glued_pieces_stay_on_one_line() {
        let text = "就業支援事業（若者や女性の離職防止支援）（先行型）";
        let s = Shaped::new(fonts(), text, Weight::Regular, 10.0).glue("（先行型）");
        for width in [60.0, 100.0, 160.0, 220.0] {
            let lines: Vec<&str> = s
                .lines(width)
                .iter()
                .map(|l| &text[l.start..l.end])
                .collect();
            assert!(
                lines.iter().any(|l| l.contains("（先行型）")),
                "{width}: {lines:?}"
            );
        }
    }

    #[test]
    fn min_and_max_content_widths() {
        let s = Shaped::new(fonts(), "苫小牧 Tomakomai", Weight::Regular, 10.0);
        assert!((s.min_width() - 45.0).abs() < 0.01, "{}", s.min_width());
        assert!((s.max_width() - 80.0).abs() < 0.01, "{}", s.max_width());
    }

    #[test]
    fn missing_characters_are_named() {
        assert!(fonts().missing("苫小牧市①㉑（先行型）✓").is_empty());
        // Emoji, and 𠮷 (U+20BB7, outside JIS X 0208/0213's BMP part), are not in the font.
        assert_eq!(
            fonts().missing("a\u{1F600}b𠮷\u{1F600}"),
            vec!['\u{1F600}', '𠮷']
        );
    }
}

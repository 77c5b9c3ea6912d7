//! Text: the embedded fonts, shaping with rustybuzz, and Japanese line breaking.
//!
//! Break opportunities come from ICU4X's UAX #14 segmenter in strict mode (CSS
//! `line-break: strict`: no break before small kana or the prolonged sound mark), and a kinsoku
//! guard on top of it makes sure that no line starts with closing punctuation
//! (。、」）・ー…) or a small kana and none ends with an opening bracket (「（…), whatever the
//! Unicode data says. Widths are the font's own advances from shaping, so lines fit exactly.
//!
//! Lines are filled greedily, then a paragraph whose last line would hold a lone character
//! ([`is_lone`]: 「進」, 「進。」) takes one more character (the fewest a break allows) down
//! from the line before, as a typesetter does; lines are never tightened, so a character is
//! never pulled up. Every paragraph kohyo sets goes through [`Shaped::lines`]: table cells,
//! the title block, headings and the 新旧対照表 alike.

use icu_segmenter::options::{LineBreakOptions, LineBreakStrictness};
use icu_segmenter::{GraphemeClusterSegmenter, LineSegmenter};
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
    /// characters, still honouring kinsoku where it can). A paragraph of two or more lines
    /// never ends with a lone character ([`is_lone`]) where the last line can take one more
    /// from the line before and still fit; the number of lines stays what filling each line
    /// greedily gives.
    pub fn lines(&self, width: f32) -> Vec<Line> {
        let mut lines = self.greedy(width);
        self.no_lone_last_line(&mut lines, width);
        lines
    }

    /// Fill each line with as much as fits.
    fn greedy(&self, width: f32) -> Vec<Line> {
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

    /// When the last of two or more lines is a lone character, move the break before it back
    /// to the latest break opportunity (any character boundary kinsoku allows, if that line
    /// was cut inside a word wider than the column) from which the last line still fits in
    /// `width` and is no longer lone. The line count does not change; if nothing fits, the
    /// lines stay as they are.
    fn no_lone_last_line(&self, lines: &mut [Line], width: f32) {
        let n = lines.len();
        if n < 2 {
            return;
        }
        let text = &self.text;
        let (prev, last) = (lines[n - 2], lines[n - 1]);
        if !is_lone(&text[last.start..last.end]) {
            return;
        }
        let ops = self.opportunities();
        let mut breaks: Vec<usize> = ops
            .iter()
            .copied()
            .filter(|&b| prev.start < b && b < prev.end)
            .collect();
        let cut_inside_a_word = !ops.iter().any(|&b| prev.end <= b && b <= last.start);
        if cut_inside_a_word {
            breaks.extend(
                text[prev.start..prev.end]
                    .char_indices()
                    .map(|(i, _)| prev.start + i)
                    .filter(|&b| b > prev.start && self.kinsoku_allows(b)),
            );
            breaks.sort_unstable();
            breaks.dedup();
        }
        for &b in breaks.iter().rev() {
            let start = skip_spaces(text, b);
            let (end, w) = self.span(start, text.len());
            if w > width + 0.01 {
                // An earlier break only makes the last line longer.
                return;
            }
            let (prev_end, prev_w) = self.span(prev.start, b);
            if prev_end <= prev.start || is_lone(&text[start..end]) {
                continue;
            }
            lines[n - 2] = Line {
                start: prev.start,
                end: prev_end,
                width: prev_w,
            };
            lines[n - 1] = Line {
                start,
                end,
                width: w,
            };
            return;
        }
    }

    /// Whether a line may end at `b` and the next start there: kinsoku alone, without the
    /// segmenter's opportunities.
    fn kinsoku_allows(&self, b: usize) -> bool {
        let next = self.text[b..].chars().next();
        let prev = self.text[..b].chars().next_back();
        !next.is_some_and(|c| NO_LINE_START.contains(c))
            && !prev.is_some_and(|c| NO_LINE_END.contains(c))
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
        let ok = |b: usize| b == end || self.kinsoku_allows(b);
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

/// Whether a paragraph's last line would be a lone character: at most one grapheme once its
/// trailing punctuation is set aside. Trailing punctuation is every character no line may
/// start with that is not a letter or digit (。、」）！… and ％℃, not ー々 or small kana), so
/// 「進」, 「進。」 and 「進）。」 are lone and 「推進」, 「推進。」 are not.
pub fn is_lone(line: &str) -> bool {
    let core = line.trim_end_matches(|c: char| {
        c.is_whitespace() || NO_LINE_START.contains(c) && !c.is_alphanumeric()
    });
    GraphemeClusterSegmenter::new()
        .segment_str(core)
        .filter(|&b| b > 0)
        .count()
        <= 1
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

    /// Ten 10-point full-width characters a line.
    const TEN: f32 = 100.5;

    #[test]
    fn a_lone_last_character_takes_one_more_from_the_line_before() {
        // The seed's cells: 「起業促／進」 and 「体験学習の推／進」 as the greedy fill leaves them.
        assert_eq!(
            broken("苫小牧出身者の起業促進", TEN),
            ["苫小牧出身者の起業", "促進"]
        );
        assert_eq!(
            broken("苫小牧の自然をフィールドとした体験学習の推進", TEN),
            ["苫小牧の自然をフィー", "ルドとした体験学習の", "推進"]
        );
        // A lone character with its punctuation: 「進。」 becomes 「推進。」.
        assert_eq!(
            broken("地域の魅力を推進。", 70.5),
            ["地域の魅力を", "推進。"]
        );
        // Two characters are no lone character: nothing moves.
        assert_eq!(
            broken("苫小牧出身者の起業促進策", TEN),
            ["苫小牧出身者の起業促", "進策"]
        );
        // A word wider than the column, cut between its letters, gives up a letter.
        assert_eq!(
            broken("Supercalifragilistic", 95.5),
            ["Supercalifragilist", "ic"]
        );
    }

    #[test]
    fn a_lone_character_stays_where_nothing_else_fits() {
        // One character a line: the last cannot take another.
        assert_eq!(broken("起業", 10.5), ["起", "業"]);
        // The line before is one piece that may not be broken (a grant-type mark): taking it
        // down would not fit, so the lone character stays.
        let text = "（先行型）他";
        let s = Shaped::new(fonts(), text, Weight::Regular, 10.0).glue("（先行型）");
        let lines = |width| -> Vec<&str> {
            s.lines(width)
                .iter()
                .map(|l| &text[l.start..l.end])
                .collect()
        };
        assert_eq!(lines(55.5), ["（先行型）", "他"]);
        // Where the whole piece fits on the last line, it goes down.
        let text = "支援（先行型）他";
        let s = Shaped::new(fonts(), text, Weight::Regular, 10.0).glue("（先行型）");
        let got: Vec<&str> = s
            .lines(70.5)
            .iter()
            .map(|l| &text[l.start..l.end])
            .collect();
        assert_eq!(got, ["支援", "（先行型）他"]);
    }

    #[test]
    fn lone_means_one_grapheme_before_the_closing_punctuation() {
        for lone in [
            "進",
            "進。",
            "進）。",
            "進」",
            "々。",
            "A",
            "が",
            "👍🏽",
            "。",
        ] {
            assert!(is_lone(lone), "{lone}");
        }
        for not in [
            "推進",
            "推進。",
            "ャー",
            "ab",
            "2015",
            "（先行型）",
            "「進」",
        ] {
            assert!(!is_lone(not), "{not}");
        }
    }

    #[test]
    fn the_last_line_is_never_lone_and_nothing_else_changes() {
        let texts = [
            "「地域学（地域の歴史・生活文化）」の推進、ふるさと教育。ジョイントベンチャー、ちょっとしたキャッシュレス化…を行う（先行型）",
            "地元企業と学生と“つながり”を強化し、地元雇用拡大を実現する。DMO support 2015年度",
            "子育て世代包括支援センター事業（妊娠・出産・子育ての切れ目ない支援を提供するワンストップ拠点を整備等）",
            "女性が子育てしながら仕事を続けられる社会環境の整備",
        ];
        let mut moved = 0;
        for text in texts {
            let s = Shaped::new(fonts(), text, Weight::Regular, 10.0);
            for w in 3..60 {
                let width = w as f32 * 10.0 + 0.5;
                let (greedy, lines) = (s.greedy(width), s.lines(width));
                let show = |ls: &[Line]| -> Vec<String> {
                    ls.iter()
                        .map(|l| text[l.start..l.end].to_string())
                        .collect()
                };
                assert_eq!(greedy.len(), lines.len(), "{width}: {:?}", show(&lines));
                assert_eq!(
                    show(&greedy).concat(),
                    show(&lines).concat(),
                    "{width}: every character kept, in order"
                );
                // Only the last two lines may differ, and the last never got wider than the
                // column.
                let n = lines.len();
                if n >= 2 {
                    assert_eq!(greedy[..n - 2], lines[..n - 2]);
                    if greedy[n - 1] != lines[n - 1] {
                        moved += 1;
                        assert!(lines[n - 1].width <= width + 0.01);
                    }
                    let last = &text[lines[n - 1].start..lines[n - 1].end];
                    assert!(!is_lone(last), "{width}: {:?}", show(&lines));
                }
            }
        }
        assert!(moved > 5, "the texts exercise the rule: {moved}");
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

//! Text hygiene: stray closing quotes (removed, K111), platform-dependent characters (K112)
//! and hidden control characters (K118), each reported at its place.

use super::header::Found;
use crate::diag::{Code, Diagnostic};
use crate::grid::{Cell, Origin, Slot};
use std::collections::BTreeMap;

/// Remove a stray closing quote at the end of `text`, reporting it.
pub(super) fn strip_stray_quote(text: &str, cell: &Cell, diags: &mut Vec<Diagnostic>) -> String {
    match stray_quote_origin(text, cell) {
        Some(origin) => {
            let fixed = remove_stray_quote(text);
            diags.push(stray_quote_diag(origin, &fixed));
            fixed
        }
        None => text.to_string(),
    }
}

pub(super) fn stray_quote_diag(origin: Origin, fixed: &str) -> Diagnostic {
    Diagnostic::at(
        Code::K111,
        origin,
        format!("「{fixed}」の末尾に対応する開き引用符のない閉じ引用符があります（削除しました）"),
        format!("\"{fixed}\" ends with a closing quote that has no opening quote (removed)"),
    )
    .label("この ” を削除しました", "this ” was removed")
}

/// True when `text` ends with a closing quote that nothing opened.
fn has_stray_quote(text: &str) -> bool {
    let t = text.trim_end();
    if t.ends_with('”') {
        return t.matches('”').count() > t.matches('“').count();
    }
    if t.ends_with('"') {
        return t.matches('"').count() % 2 == 1;
    }
    false
}

pub(super) fn remove_stray_quote(text: &str) -> String {
    let t = text.trim_end();
    let mut s = t.to_string();
    s.pop();
    s.trim_end().to_string()
}

/// Where the stray quote at the end of `text` sits in `cell`, if there is one.
pub(super) fn stray_quote_origin(text: &str, cell: &Cell) -> Option<Origin> {
    if !has_stray_quote(text) {
        return None;
    }
    let mut o = cell.locate(text);
    if cell.raw.as_ref().is_some_and(|r| r.text.contains(text))
        && let Some(col) = o.column
    {
        o.column = Some(col + text.trim_end().chars().count() as u32 - 1);
    }
    Some(o)
}

/// Characters that depend on a platform's character set (NEC special characters and the like).
pub fn is_platform_dependent(c: char) -> bool {
    matches!(c as u32,
        0x2460..=0x24FF   // ① ⑴ ⒈ Ⓐ: enclosed alphanumerics
        | 0x2160..=0x217F // Ⅰ ⅰ: roman numerals
        | 0x2776..=0x2793 // ❶ ➀: dingbat circled digits
        | 0x3220..=0x3247 // ㈠ ㈱: parenthesized ideographs
        | 0x3251..=0x32FF // ㉑ ㊤ ㋀ ㋐ ㋿: circled numbers, ideographs, months, katakana; 令和
        | 0x3300..=0x33FF // ㌔ ㍻ ㎝: CJK compatibility squares
        | 0xFE30..=0xFE4F // ︰ ︵ ﹁: CJK compatibility (vertical) forms
    )
}

pub(super) fn collect_dependent(text: &str, cell: &Cell, out: &mut Vec<(Origin, char)>) {
    for (i, c) in text.char_indices() {
        if is_platform_dependent(c) {
            let mut o = cell.locate(&text[i..]);
            if cell.raw.is_none() {
                o = cell.origin.clone();
            }
            out.push((o, c));
        }
    }
}

pub(super) fn report_dependent(found: &[(Origin, char)], diags: &mut Vec<Diagnostic>) {
    let mut by_file: BTreeMap<&str, Vec<&(Origin, char)>> = BTreeMap::new();
    for f in found {
        by_file.entry(f.0.file.as_str()).or_default().push(f);
    }
    for (file, list) in by_file {
        let mut chars: Vec<char> = list.iter().map(|(_, c)| *c).collect();
        chars.sort_unstable();
        chars.dedup();
        let shown: String = chars.iter().take(20).collect();
        let more = if chars.len() > 20 { "…" } else { "" };
        let n = list.len();
        diags.push(
            Diagnostic::at(
                Code::K112,
                list[0].0.clone(),
                format!("{file} に機種依存文字が {n} か所あります（{shown}{more}）"),
                format!("{file} has {n} platform-dependent characters ({shown}{more})"),
            )
            .label("最初の一つ", "the first one")
            .note(
                "原稿ではこのままで構いません。オープンデータでは ① を 1 のような数字にして出力します",
                "fine in the draft; open data carries them as plain numbers (① becomes 1)",
            ),
        );
    }
}

/// Every hidden control character (see [`crate::grid::is_hidden_control`]) in the cells of a
/// table, header included, with the place of each.
pub(super) fn collect_hidden(found: &Found<'_>, out: &mut Vec<(Origin, char)>) {
    let rows = found
        .grid
        .rows
        .get(found.header.top..found.end.min(found.grid.rows.len()));
    for slot in rows.into_iter().flatten().flatten() {
        let Slot::Cell(cell) = slot else { continue };
        for line in &cell.lines {
            for (i, c) in line.text.char_indices() {
                if crate::grid::is_hidden_control(c) {
                    let needle: String = line.text[i..].chars().take(6).collect();
                    out.push((cell.locate(&needle), c));
                }
            }
        }
    }
}

/// K118, one per file: the hidden control characters found, which the outputs leave out.
pub(super) fn report_hidden(found: &[(Origin, char)], diags: &mut Vec<Diagnostic>) {
    let mut by_file: BTreeMap<&str, Vec<&(Origin, char)>> = BTreeMap::new();
    for f in found {
        by_file.entry(f.0.file.as_str()).or_default().push(f);
    }
    for (file, list) in by_file {
        let chars: Vec<char> = list.iter().map(|(_, c)| *c).collect();
        diags.push(hidden_controls_diagnostic(file, list[0].0.clone(), &chars));
    }
}

/// The K118 diagnostic for hidden control characters `chars` in `file`, the first at `origin`.
pub fn hidden_controls_diagnostic(file: &str, origin: Origin, chars: &[char]) -> Diagnostic {
    let mut kinds: Vec<char> = chars.to_vec();
    kinds.sort_unstable();
    kinds.dedup();
    let (ja, en): (Vec<String>, Vec<String>) = kinds
        .iter()
        .take(8)
        .map(|c| crate::grid::describe_hidden_control(*c))
        .unzip();
    let more = if kinds.len() > 8 { "…" } else { "" };
    let n = chars.len();
    let bidi = kinds.iter().any(|c| !c.is_control());
    let mut d = Diagnostic::at(
        Code::K118,
        origin,
        format!("{file} に表示できない制御文字が {n} か所あります（{}{more}）", ja.join("、")),
        format!(
            "{file} holds {n} control characters that cannot be shown ({}{more})",
            en.join(", ")
        ),
    )
    .label("最初の一つ", "the first one")
    .note(
        "出力からは取り除きます。ほかのソフトからの貼り付けで紛れ込むことが多いので、原稿からも削除してください",
        "the outputs leave them out; they usually come in with pasted text, so delete them from the draft too",
    );
    if bidi {
        d = d.note(
            "書字方向の制御文字（U+202E など）は表示上の文字の順序を入れ替え、書かれている内容と違って読ませることができます",
            "bidirectional formatting characters (U+202E and its kin) reorder what is displayed and can make text read other than it is written",
        );
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_quotes() {
        assert!(has_stray_quote("植苗・美沢地区コミュニティバス運行事業”"));
        assert!(!has_stray_quote("学生と地元企業との“縁づくり”促進"));
        assert!(!has_stray_quote("“とまごころ（地元自慢の心）”"));
        assert!(has_stray_quote("事業\""));
        assert!(!has_stray_quote("\"事業\""));
        assert_eq!(
            remove_stray_quote("中心商店街活性化事業”"),
            "中心商店街活性化事業"
        );
    }

    #[test]
    fn platform_dependent() {
        assert!(is_platform_dependent('①'));
        assert!(is_platform_dependent('㈱'));
        assert!(is_platform_dependent('Ⅲ'));
        assert!(is_platform_dependent('㍻'));
        assert!(is_platform_dependent('㋿'));
        assert!(is_platform_dependent('㋐'));
        assert!(is_platform_dependent('︵'));
        assert!(!is_platform_dependent('あ'));
        assert!(!is_platform_dependent('１'));
    }
}

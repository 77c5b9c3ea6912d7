//! What the normalizer parses out of display text: direction codes, measure numbers, grant
//! types and related-project categories. The text is otherwise kept as written.

use crate::model::Funding;

/// Split a direction like `1-1 市内在住若者の雇用機会の拡大` into code and title.
pub fn parse_direction(text: &str) -> Option<(String, String)> {
    let chars: Vec<char> = text.trim_start().chars().collect();
    let digit = |c: char| {
        c.to_digit(10)
            .or_else(|| ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32))
    };
    let mut i = 0;
    let mut parts: Vec<String> = vec![String::new()];
    while i < chars.len() {
        let c = chars[i];
        if let Some(d) = digit(c) {
            if let Some(last) = parts.last_mut() {
                last.push(char::from_digit(d, 10).unwrap_or('0'));
            }
        } else if matches!(
            c,
            '-' | '－' | '‐' | '‑' | '–' | '—' | '―' | '−' | 'ー' | '.' | '．'
        ) && parts.last().is_some_and(|p| !p.is_empty())
            && chars.get(i + 1).and_then(|n| digit(*n)).is_some()
        {
            parts.push(String::new());
        } else {
            break;
        }
        i += 1;
    }
    if parts.len() < 2 || parts.iter().any(String::is_empty) {
        return None;
    }
    let rest: String = chars[i..].iter().collect();
    let title =
        rest.trim_start_matches(|c: char| crate::grid::is_space(c) || c == '：' || c == ':');
    if title.is_empty() {
        return None;
    }
    Some((parts.join("-"), title.to_string()))
}

/// Split a measure like `①若者の市内就職の促進`, `(1) …`, `（１）…` or `1. …` into number and title.
pub fn parse_measure(text: &str) -> Option<(u32, String)> {
    let t = text.trim_start();
    let mut chars = t.chars();
    let first = chars.next()?;
    let circled = match first as u32 {
        0x2460..=0x2473 => Some(first as u32 - 0x2460 + 1),
        0x3251..=0x325F => Some(first as u32 - 0x3251 + 21),
        0x32B1..=0x32BF => Some(first as u32 - 0x32B1 + 36),
        0x2474..=0x2487 => Some(first as u32 - 0x2474 + 1), // ⑴
        0x2776..=0x277F => Some(first as u32 - 0x2776 + 1), // ❶
        0x2780..=0x2789 => Some(first as u32 - 0x2780 + 1), // ➀
        0x278A..=0x2793 => Some(first as u32 - 0x278A + 1), // ➊
        _ => None,
    };
    if let Some(n) = circled {
        let title = chars.as_str().trim_start_matches(crate::grid::is_space);
        return (!title.is_empty()).then(|| (n, title.to_string()));
    }
    let norm: String = t
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '（' => '(',
            '）' => ')',
            '．' => '.',
            _ => c,
        })
        .collect();
    let (open, rest) = match norm.strip_prefix('(') {
        Some(r) => (true, r),
        None => (false, norm.as_str()),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let after = &rest[digits.len()..];
    let after = if open {
        after.strip_prefix(')')?
    } else {
        after
            .strip_prefix('.')
            .or_else(|| after.strip_prefix(')'))?
    };
    let n: u32 = digits.parse().ok()?;
    // Map the title back to the original text: count the characters consumed.
    let consumed = norm.chars().count() - after.chars().count();
    let title: String = t.chars().skip(consumed).collect();
    let title = title.trim_start_matches(crate::grid::is_space).to_string();
    (!title.is_empty()).then_some((n, title))
}

/// Move trailing grant types (（先行型）, （上乗せ）, possibly several) into `funding`.
pub fn split_funding(text: &str) -> (String, Vec<Funding>) {
    let mut t = text.trim_end().to_string();
    let mut funding = Vec::new();
    'outer: loop {
        for f in Funding::ALL {
            for (open, close) in [('（', '）'), ('(', ')')] {
                let suffix = format!("{open}{}{close}", f.label());
                if t.ends_with(&suffix) && t.len() > suffix.len() {
                    t.truncate(t.len() - suffix.len());
                    t = t.trim_end().to_string();
                    funding.insert(0, *f);
                    continue 'outer;
                }
            }
        }
        break;
    }
    (t, funding)
}

/// Split a related project `(分類) 名称` into category and title.
pub fn split_category(text: &str) -> (Option<String>, String) {
    let t = text.trim();
    let close = match t.chars().next() {
        Some('(') => ')',
        Some('（') => '）',
        _ => return (None, t.to_string()),
    };
    let open_len = t.chars().next().map_or(1, char::len_utf8);
    if let Some(end) = t[open_len..].find(close) {
        let cat = t[open_len..open_len + end].trim();
        let rest = t[open_len + end + close.len_utf8()..].trim_start_matches(crate::grid::is_space);
        if !cat.is_empty() && !rest.is_empty() {
            return (Some(cat.to_string()), rest.to_string());
        }
    }
    (None, t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions() {
        assert_eq!(
            parse_direction("1-1 市内在住若者の雇用機会の拡大"),
            Some(("1-1".into(), "市内在住若者の雇用機会の拡大".into()))
        );
        assert_eq!(
            parse_direction("２－３\u{3000}苫小牧らしい教育"),
            Some(("2-3".into(), "苫小牧らしい教育".into()))
        );
        assert_eq!(
            parse_direction("4-2\u{a0}多様な産業集積"),
            Some(("4-2".into(), "多様な産業集積".into()))
        );
        assert_eq!(
            parse_direction("10-12 長い番号"),
            Some(("10-12".into(), "長い番号".into()))
        );
        assert_eq!(parse_direction("市内在住若者の雇用機会の拡大"), None);
        assert_eq!(parse_direction("1 番号が一つ"), None);
        assert_eq!(parse_direction("1-1"), None);
    }

    #[test]
    fn measures() {
        assert_eq!(
            parse_measure("①若者の市内就職の促進"),
            Some((1, "若者の市内就職の促進".into()))
        );
        assert_eq!(
            parse_measure("⑮広域観光振興の推進"),
            Some((15, "広域観光振興の推進".into()))
        );
        assert_eq!(parse_measure("㉑二十一"), Some((21, "二十一".into())));
        assert_eq!(parse_measure("(1) 若者"), Some((1, "若者".into())));
        assert_eq!(parse_measure("（１２）若者"), Some((12, "若者".into())));
        assert_eq!(parse_measure("3. 若者"), Some((3, "若者".into())));
        assert_eq!(parse_measure("３．若者"), Some((3, "若者".into())));
        assert_eq!(parse_measure("⑴若者"), Some((1, "若者".into())));
        assert_eq!(parse_measure("若者の市内就職の促進"), None);
        assert_eq!(parse_measure("3人目の保育料"), None);
        assert_eq!(parse_measure("①"), None);
    }

    #[test]
    fn funding() {
        assert_eq!(
            split_funding(
                "就業支援事業（若者や女性の離職防止支援、高校生の地元就職支援等）（先行型）"
            ),
            (
                "就業支援事業（若者や女性の離職防止支援、高校生の地元就職支援等）".into(),
                vec![Funding::Senkogata]
            )
        );
        assert_eq!(
            split_funding("A事業（先行型）（上乗せ）"),
            ("A事業".into(), vec![Funding::Senkogata, Funding::Uwanose])
        );
        assert_eq!(
            split_funding("A事業 (上乗せ)"),
            ("A事業".into(), vec![Funding::Uwanose])
        );
        assert_eq!(
            split_funding("広域観光推進組織（DMO）の設立支援事業"),
            ("広域観光推進組織（DMO）の設立支援事業".into(), vec![])
        );
        assert_eq!(split_funding("（先行型）"), ("（先行型）".into(), vec![]));
    }

    #[test]
    fn categories() {
        assert_eq!(
            split_category("(スポーツ大会や合宿の誘致) 全国高等学校選抜アイスホッケー大会補助金"),
            (
                Some("スポーツ大会や合宿の誘致".into()),
                "全国高等学校選抜アイスホッケー大会補助金".into()
            )
        );
        assert_eq!(
            split_category("（中小商業経営の安定と強化）中小企業融資制度"),
            (
                Some("中小商業経営の安定と強化".into()),
                "中小企業融資制度".into()
            )
        );
        assert_eq!(
            split_category("新卒高校生等雇用奨励金事業"),
            (None, "新卒高校生等雇用奨励金事業".into())
        );
        assert_eq!(split_category("(括弧だけ)"), (None, "(括弧だけ)".into()));
    }
}

//! Number cells as spreadsheets keep them: an f64 and a number format code (`0.0%`,
//! `#,##0"人"`), read into the value the cell shows and the text it shows it as.

use super::{decimal_text, shift10};
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

/// A number cell as a spreadsheet keeps it, read through its format: 0.552 formatted `0.0%` is
/// 55.2 with unit `%`, shown as 「55.2%」.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellNumber {
    /// The value in the unit shown (a `%` format multiplies by 100), at least as many decimals
    /// as the format shows, more when the number has them.
    pub value: Decimal,
    /// The text the spreadsheet shows: rounded to the format's decimals, with its thousands
    /// separators, % sign and literal text.
    pub display: String,
    /// The unit the format writes after the number: `%`, or a literal such as `人`, `件/年`.
    pub unit: Option<String>,
}

/// Read a number cell's f64 through its number format code (as calamine reports it: `General`,
/// `0.00`, `#,##0`, `0.0%`, `#,##0"人"`, `#,##0\人`, `[$-ja-JP]#,##0`,
/// `#,##0;[Red]\-#,##0`…).
///
/// The f64 is read through its shortest round-trip text, never binary arithmetic; a `%`
/// multiplies by 100 exactly; commas after the last digit divide by 1000 each (`#,##0,`). The
/// first section serves positives and zero, the second (when there is one) negatives, whose
/// value stays negative; colours, locale tags, `_x` padding and `*x` fill are ignored. A date,
/// time, scientific or text format gives the plain number. None for a non-finite value or one
/// beyond a decimal's range.
pub fn spreadsheet_number(value: f64, format_code: Option<&str>) -> Option<CellNumber> {
    if !value.is_finite() {
        return None;
    }
    let mut d = Decimal::from_str(&format!("{value}")).ok()?;
    if d.is_zero() {
        d.set_sign_positive(true);
    }
    let plain = CellNumber {
        value: d,
        display: decimal_text(d),
        unit: None,
    };
    let code = format_code.unwrap_or("");
    let code = if code.trim().is_empty() {
        "General"
    } else {
        code
    };
    let sections = split_sections(code);
    let negative = d.is_sign_negative();
    let (section, own_sign) = match sections.get(1) {
        Some(s) if negative && !s.trim().is_empty() => (*s, true),
        _ => (sections.first().copied().unwrap_or("General"), false),
    };
    let f = parse_section(section);
    if f.not_number || !f.digits {
        return Some(plain);
    }
    let Some(v) = scaled(d, &f) else {
        return Some(plain);
    };
    let shown = if f.general {
        decimal_text(v.abs())
    } else {
        digits(v.abs(), &f)
    };
    let sign = if negative && !own_sign { "-" } else { "" };
    let unit = f.unit.trim();
    let unit = (!unit.is_empty() && !unit.chars().all(|c| c.is_ascii_punctuation() && c != '%'))
        .then(|| unit.to_string());
    Some(CellNumber {
        value: v,
        display: format!("{sign}{}{shown}{}", f.prefix, f.suffix),
        unit,
    })
}

/// The value in the unit shown: ×100 for each %, ÷1000 for each trailing comma, at least the
/// format's decimals.
fn scaled(d: Decimal, f: &Section) -> Option<Decimal> {
    let mut v = shift10(d, i32::try_from(f.percent.checked_mul(2)?).ok()?)?;
    if f.scale_commas > 0 {
        v = shift10(v, -i32::try_from(f.scale_commas.checked_mul(3)?).ok()?)?.normalize();
    }
    let decimals = u32::try_from(f.frac_zeros.min(28)).ok()?;
    if !f.general && v.scale() < decimals {
        v.rescale(decimals);
    }
    Some(v)
}

/// The digits as the format shows them, for a value that is not negative.
fn digits(a: Decimal, f: &Section) -> String {
    let most = f.frac_total.min(28);
    let least = f.frac_zeros.min(most);
    let mut r = a.round_dp_with_strategy(most as u32, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(most as u32);
    let text = r.to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut frac = frac.to_string();
    while frac.len() < least {
        frac.push('0');
    }
    while frac.len() > least && frac.ends_with('0') {
        frac.pop();
    }
    let mut int = if int == "0" && f.int_zeros == 0 {
        String::new()
    } else {
        int.to_string()
    };
    while int.len() < f.int_zeros.min(30) {
        int.insert(0, '0');
    }
    if f.thousands {
        int = group(&int);
    }
    if f.point {
        format!("{int}.{frac}")
    } else {
        int
    }
}

/// Digits with a comma before every three from the right: 1234500 as 1,234,500.
fn group(int: &str) -> String {
    let n = int.chars().count();
    let mut out = String::with_capacity(int.len() + n / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The sections of a format code, split at `;` outside quotes, escapes and brackets.
fn split_sections(code: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut quoted, mut escaped, mut bracket) = (false, false, false);
    let mut start = 0;
    for (i, c) in code.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '"' if !bracket => quoted = !quoted,
            '\\' if !quoted => escaped = true,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            ';' if !quoted && !bracket => {
                out.push(&code[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&code[start..]);
    out
}

/// One section of a format code, as far as numbers go.
#[derive(Default, Debug)]
struct Section {
    /// `General` (or G/標準): the number as it is.
    general: bool,
    /// A date, time, scientific or text format.
    not_number: bool,
    /// Digit placeholders (0 # ?) or General were found.
    digits: bool,
    /// `0`s before the decimal point: the fewest integer digits shown.
    int_zeros: usize,
    /// A comma between digit placeholders.
    thousands: bool,
    /// A decimal point.
    point: bool,
    /// `0`s after the point: the fewest decimals shown.
    frac_zeros: usize,
    /// Placeholders after the point: the most decimals shown.
    frac_total: usize,
    /// How many `%` signs.
    percent: u32,
    /// Commas after the last digit placeholder, each dividing by 1000.
    scale_commas: u32,
    /// Text shown before the number.
    prefix: String,
    /// Text shown after the number.
    suffix: String,
    /// The part of the suffix that names a unit: quoted or escaped text, %, non-ASCII chars.
    unit: String,
}

impl Section {
    /// Literal text: before the number, or after it (and in the unit when `unit_worthy`).
    fn literal(&mut self, text: &str, unit_worthy: bool) {
        if self.digits {
            self.suffix.push_str(text);
            if unit_worthy {
                self.unit.push_str(text);
            }
        } else {
            self.prefix.push_str(text);
        }
    }
}

/// Read one section of a format code.
fn parse_section(section: &str) -> Section {
    let chars: Vec<char> = section.chars().collect();
    let mut f = Section::default();
    let mut fraction = false;
    let mut pending_commas = 0u32;
    let mut i = 0;
    let starts = |i: usize, word: &str| {
        let w: Vec<char> = word.chars().collect();
        chars.get(i..i + w.len()).is_some_and(|c| {
            c.iter()
                .zip(&w)
                .all(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
        })
    };
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            '"' => {
                let mut text = String::new();
                while let Some(&q) = chars.get(i) {
                    i += 1;
                    if q == '"' {
                        break;
                    }
                    text.push(q);
                }
                f.literal(&text, true);
            }
            '\\' => {
                if let Some(&e) = chars.get(i) {
                    f.literal(&e.to_string(), true);
                }
                i += 1;
            }
            '_' | '*' => i += 1,
            '[' => {
                let mut content = String::new();
                while let Some(&b) = chars.get(i) {
                    i += 1;
                    if b == ']' {
                        break;
                    }
                    content.push(b);
                }
                if let Some(currency) = content.strip_prefix('$') {
                    let symbol = currency.split('-').next().unwrap_or("");
                    f.literal(symbol, false);
                } else if !content.is_empty()
                    && content
                        .chars()
                        .all(|c| matches!(c, 'h' | 'H' | 'm' | 'M' | 's' | 'S'))
                {
                    f.not_number = true;
                }
            }
            '0' | '#' | '?' => {
                if fraction {
                    f.frac_total += 1;
                    if c == '0' {
                        f.frac_zeros += 1;
                    }
                } else {
                    if pending_commas > 0 && f.digits {
                        f.thousands = true;
                    }
                    pending_commas = 0;
                    if c == '0' {
                        f.int_zeros += 1;
                    }
                }
                if f.digits && !f.suffix.is_empty() {
                    // Text between digits (「0-00」) is not the unit.
                    f.suffix.clear();
                    f.unit.clear();
                }
                f.digits = true;
            }
            '.' if !fraction
                && (f.digits || chars.get(i).is_some_and(|n| matches!(n, '0' | '#' | '?'))) =>
            {
                fraction = true;
                f.point = true;
                f.digits = true;
            }
            ',' if f.digits && !fraction => pending_commas += 1,
            '%' => {
                f.percent = f.percent.saturating_add(1);
                f.literal("%", true);
            }
            'E' | 'e' if chars.get(i).is_some_and(|n| matches!(n, '+' | '-')) => {
                f.not_number = true;
                i += 1;
            }
            _ if starts(i - 1, "general") || starts(i - 1, "g/標準") => {
                f.general = true;
                f.digits = true;
                i += if starts(i - 1, "general") { 6 } else { 3 };
            }
            _ if starts(i - 1, "standard") => {
                f.general = true;
                f.digits = true;
                i += 7;
            }
            'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' | 'g' | 'G' | 'e' | 'E'
            | 'b' | 'B' | 'a' | 'A' => f.not_number = true,
            '@' => f.not_number = !f.digits,
            c => f.literal(&c.to_string(), !c.is_ascii()),
        }
    }
    if f.digits && pending_commas > 0 {
        f.scale_commas = pending_commas;
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Value (as text, scale kept), display and unit.
    fn read(value: f64, code: &str) -> (String, String, Option<String>) {
        let c = spreadsheet_number(value, Some(code)).unwrap_or_else(|| panic!("{value} {code}"));
        (c.value.to_string(), c.display, c.unit)
    }

    fn s(x: &str) -> String {
        x.to_string()
    }

    #[test]
    fn percent_multiplies_exactly() {
        for (value, code, v, shown) in [
            (0.78, "0%", "78", "78%"),
            (0.552, "0.0%", "55.2", "55.2%"),
            (0.6, "0.0%", "60.0", "60.0%"),
            (0.5525, "0.0%", "55.25", "55.3%"),
            (1.0, "0%", "100", "100%"),
            (0.0, "0.0%", "0.0", "0.0%"),
            (0.123456, "0.00%", "12.3456", "12.35%"),
            (0.07, "0%", "7", "7%"),
            (0.1, "0.0%", "10.0", "10.0%"),
            (0.29, "0%", "29", "29%"),
            (1.005, "0.0%", "100.5", "100.5%"),
        ] {
            assert_eq!(
                read(value, code),
                (s(v), s(shown), Some(s("%"))),
                "{value} {code}"
            );
        }
        // Never from the magnitude: a ratio under General stays a ratio.
        assert_eq!(read(0.78, "General"), (s("0.78"), s("0.78"), None));
        assert_eq!(
            spreadsheet_number(0.78, None).map(|c| c.value.to_string()),
            Some(s("0.78"))
        );
    }

    #[test]
    fn decimals_of_the_format() {
        for (value, code, v, shown) in [
            (1.4, "0.00", "1.40", "1.40"),
            (1.4, "0", "1.4", "1"),
            (1.5, "0", "1.5", "2"),
            (2.5, "0", "2.5", "3"),
            (1234.5, "#,##0", "1234.5", "1,235"),
            (
                1234500000000.0,
                "#,##0",
                "1234500000000",
                "1,234,500,000,000",
            ),
            (1234.0, "0", "1234", "1234"),
            (12.0, "0.0", "12.0", "12.0"),
            (0.5, "#.#", "0.5", ".5"),
            (1.0, "0.#", "1", "1."),
            (1.25, "0.0#", "1.25", "1.25"),
            (1.2, "0.0#", "1.2", "1.2"),
            (7.0, "000", "7", "007"),
            (999.999, "#,##0.00", "999.999", "1,000.00"),
            (0.1 + 0.2, "0.00", "0.30000000000000004", "0.30"),
            (123.0, "General", "123", "123"),
            (45000.0, "", "45000", "45000"),
            (1234567.0, "#,##0,", "1234.567", "1,235"),
            (1234567.0, "#,##0,\"千円\"", "1234.567", "1,235千円"),
            (1200000.0, "0,,", "1.2", "1"),
        ] {
            let (got_v, got_shown, _) = read(value, code);
            assert_eq!((got_v, got_shown), (s(v), s(shown)), "{value} {code}");
        }
    }

    #[test]
    fn literal_units() {
        for (value, code, shown, unit) in [
            (12.0, "#,##0\"人\"", "12人", Some("人")),
            (1234.0, "#,##0\"人\"", "1,234人", Some("人")),
            (5.0, "0\"件\"", "5件", Some("件")),
            (5.0, "0\"件/年\"", "5件/年", Some("件/年")),
            (1234.0, "#,##0\\人", "1,234人", Some("人")),
            (5.0, "0\" pt\"", "5 pt", Some("pt")),
            (5.0, "0人", "5人", Some("人")),
            (5.0, "General\"人\"", "5人", Some("人")),
            (5.0, "\"約\"0\"人\"", "約5人", Some("人")),
            (5.0, "0_)", "5", None),
            (5.0, "0\\-00", "005", None),
            (5.0, "0 ", "5 ", None),
        ] {
            let (_, got_shown, got_unit) = read(value, code);
            assert_eq!(
                (got_shown.as_str(), got_unit.as_deref()),
                (shown, unit),
                "{code}"
            );
        }
    }

    #[test]
    fn sections_colours_locales_padding() {
        for (value, code, v, shown, unit) in [
            (1234.0, "[$-ja-JP]#,##0", "1234", "1,234", None),
            (1234.0, "[$-411]#,##0", "1234", "1,234", None),
            (1234.0, "[$¥-411]#,##0", "1234", "¥1,234", None),
            (1.25, "[Red]0.0", "1.25", "1.3", None),
            (1234.0, "_(* #,##0_)", "1234", "1,234", None),
            (
                -1234.0,
                "_(* #,##0_);_(* \\(#,##0\\)",
                "-1234",
                "(1,234)",
                None,
            ),
            (1234.0, "#,##0;[Red]\\-#,##0", "1234", "1,234", None),
            (-1234.0, "#,##0;[Red]\\-#,##0", "-1234", "-1,234", None),
            (-1234.0, "#,##0;[Red]#,##0", "-1234", "1,234", None),
            (-1234.0, "#,##0", "-1234", "-1,234", None),
            (-0.05, "0.0%;[Red]-0.0%", "-5.0", "-5.0%", Some("%")),
            (0.05, "0.0%;[Red]-0.0%", "5.0", "5.0%", Some("%")),
            (0.0, "0.0%;[Red]-0.0%", "0.0", "0.0%", Some("%")),
            (-5.0, "0;(0)", "-5", "(5)", None),
            (-5.0, "0;", "-5", "-5", None),
            (-5.0, "0\"人\";\"▲\"0\"人\"", "-5", "▲5人", Some("人")),
            (-0.0, "0", "0", "0", None),
            (5.0, "[>=100]0;0.0", "5", "5", None),
            (5.0, "[Blue]0;[Red]-0;0", "5", "5", None),
            (-350.0, "General", "-350", "-350", None),
        ] {
            let got = read(value, code);
            assert_eq!(got, (s(v), s(shown), unit.map(s)), "{value} {code}");
        }
    }

    #[test]
    fn not_number_formats_give_the_plain_number() {
        for code in [
            "yyyy/m/d",
            "m/d/yy",
            "[$-ja-JP]ggge\"年\"m\"月\"d\"日\"",
            "h:mm:ss",
            "[h]:mm",
            "0.00E+00",
            "@",
            "\"―\"",
            "AM/PM h:mm",
        ] {
            let c = spreadsheet_number(41729.5, Some(code));
            assert_eq!(
                c.map(|c| (c.value.to_string(), c.display, c.unit)),
                Some((s("41729.5"), s("41729.5"), None)),
                "{code}"
            );
        }
    }

    #[test]
    fn non_finite_and_extremes() {
        assert_eq!(spreadsheet_number(f64::NAN, Some("0")), None);
        assert_eq!(spreadsheet_number(f64::INFINITY, None), None);
        assert_eq!(spreadsheet_number(f64::NEG_INFINITY, Some("0%")), None);
        assert_eq!(spreadsheet_number(1e300, Some("0")), None);
        for value in [
            f64::MIN_POSITIVE,
            5e-324,
            1e-20,
            1e20,
            7.9e28,
            -7.9e28,
            1e28,
        ] {
            for code in ["0", "0.00%", "#,##0.000", "General", "0%%%%%%%%%%%%%%%%"] {
                let _ = spreadsheet_number(value, Some(code));
            }
        }
        assert_eq!(
            spreadsheet_number(1e20, Some("#,##0")).map(|c| c.display),
            Some(s("100,000,000,000,000,000,000"))
        );
        let long = format!("0.{}", "0".repeat(100));
        let c = spreadsheet_number(1.5, Some(&long));
        assert_eq!(c.as_ref().map(|c| c.display.len()), Some(2 + 28));
    }
}

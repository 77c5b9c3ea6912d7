//! Japanese numbers and dates as drafts write them, parsed once for every reader: values with
//! units (「1兆2,345億円」, 「約3,000人」, 「55.2％」), eras (平成26年度, H26, 令和元年) and the
//! indicator texts of KPI columns (「…：120人（H26）→150人（H31）」).

use rust_decimal::Decimal;

/// The eras of the modern calendar: name, abbreviation letter, first day (Gregorian y, m, d).
pub const ERAS: &[(&str, char, (u16, u8, u8))] = &[
    ("明治", 'M', (1868, 10, 23)),
    ("大正", 'T', (1912, 7, 30)),
    ("昭和", 'S', (1926, 12, 25)),
    ("平成", 'H', (1989, 1, 8)),
    ("令和", 'R', (2019, 5, 1)),
];

/// The era and its year in effect on the last day of `month` of Gregorian `year`, as written
/// in documents: 「平成26」, 「令和元」. None before the Gregorian calendar was adopted (1873).
pub fn era_of(year: u16, month: u8) -> Option<String> {
    if year < 1873 || !(1..=12).contains(&month) {
        return None;
    }
    let last_day = crate::model::Date::new(year, month, 31)
        .or_else(|| crate::model::Date::new(year, month, 30))
        .or_else(|| crate::model::Date::new(year, month, 29))
        .or_else(|| crate::model::Date::new(year, month, 28))?;
    let (name, _, (start, _, _)) = ERAS
        .iter()
        .rev()
        .find(|(_, _, (y, m, d))| (*y, *m, *d) <= (last_day.year, last_day.month, last_day.day))?;
    let n = year - start + 1;
    Some(if n == 1 {
        format!("{name}元")
    } else {
        format!("{name}{n}")
    })
}

/// Serde for an optional [`Decimal`] as a plain JSON number (`55.2`, `150`), read back exactly
/// for the up to 15 significant digits drafts hold.
pub mod serde_decimal {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::str::FromStr;

    /// Write the value as a JSON number: an integer when written without a fraction, else the
    /// shortest float that reads back as the same decimal (`60.0` stays `60.0`).
    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        let Some(d) = v else {
            return s.serialize_none();
        };
        if d.scale() == 0
            && let Ok(i) = i64::try_from(*d)
        {
            return s.serialize_i64(i);
        }
        let f: f64 = d
            .to_string()
            .parse()
            .map_err(|_| serde::ser::Error::custom(format!("{d} is not a number")))?;
        s.serialize_f64(f)
    }

    /// Read a JSON number (integer or float) as a decimal through its shortest text.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        let v = Option::<serde_json::Number>::deserialize(d)?;
        v.map(|n| {
            let text = n.to_string();
            Decimal::from_str(&text)
                .or_else(|_| Decimal::from_scientific(&text))
                .map_err(|e| serde::de::Error::custom(format!("{text}: {e}")))
        })
        .transpose()
    }
}

/// The decimal written as plain text, trailing zeros kept as the draft wrote them (`60.0`).
pub fn decimal_text(d: Decimal) -> String {
    d.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eras_at_the_end_of_a_month() {
        assert_eq!(era_of(2014, 5).as_deref(), Some("平成26"));
        assert_eq!(era_of(2019, 4).as_deref(), Some("平成31"));
        assert_eq!(era_of(2019, 5).as_deref(), Some("令和元"));
        assert_eq!(era_of(2019, 12).as_deref(), Some("令和元"));
        assert_eq!(era_of(1989, 1).as_deref(), Some("平成元"));
        assert_eq!(era_of(1988, 12).as_deref(), Some("昭和63"));
        assert_eq!(era_of(1926, 12).as_deref(), Some("昭和元"));
        assert_eq!(era_of(1926, 11).as_deref(), Some("大正15"));
        assert_eq!(era_of(1912, 7).as_deref(), Some("大正元"));
        assert_eq!(era_of(2026, 3).as_deref(), Some("令和8"));
        assert_eq!(era_of(1800, 3), None);
    }

    #[test]
    fn decimals_are_json_numbers() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct V {
            #[serde(with = "serde_decimal")]
            v: Option<Decimal>,
        }
        for (text, json) in [
            ("55.2", "55.2"),
            ("150", "150"),
            ("60.0", "60.0"),
            ("1234500000000", "1234500000000"),
            ("-350", "-350"),
            ("0.86", "0.86"),
        ] {
            let v = V {
                v: Some(text.parse().expect("decimal")),
            };
            let out = serde_json::to_string(&v).expect("json");
            assert_eq!(out, format!("{{\"v\":{json}}}"));
            let back: V = serde_json::from_str(&out).expect("back");
            assert_eq!(back.v.map(|d| d.to_string()), v.v.map(|d| d.to_string()));
        }
    }
}

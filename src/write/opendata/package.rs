//! The descriptions of the CSV files: a Frictionless Data Package (`datapackage.json`, a Table
//! Schema per CSV) and W3C CSVW metadata per CSV (`<file>-metadata.json`).

use super::{ColumnType, CsvEncoding, Table, attribution, license_of};
use crate::model::Strategy;
use crate::write::title_of;
use serde_json::{Value, json};

/// A name catalogs accept: lowercase ASCII letters, digits, `-` and `_` (other characters
/// become `-`), at most `max` characters, never empty.
pub fn ascii_name(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '-'
        };
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    let out: String = out.trim_matches('-').chars().take(max).collect();
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "plan".to_string()
    } else {
        out
    }
}

/// The package's name: `<code>-<slug>` in catalog-safe characters.
pub fn package_name(s: &Strategy, slug: &str) -> String {
    let code = s
        .municipality
        .as_ref()
        .map(|m| m.code.as_str())
        .unwrap_or("");
    ascii_name(&format!("{code}-{slug}"), 100)
}

fn field(c: &super::Column) -> Value {
    let mut constraints = serde_json::Map::new();
    if c.required {
        constraints.insert("required".into(), json!(true));
    }
    if let Some(p) = c.pattern {
        constraints.insert(
            "pattern".into(),
            json!(p.trim_start_matches('^').trim_end_matches('$')),
        );
    }
    let mut f = json!({
        "name": c.title,
        "title": c.title,
        "description": c.description,
        "type": match c.kind {
            ColumnType::String => "string",
            ColumnType::Integer => "integer",
            ColumnType::Number => "number",
        },
    });
    if !constraints.is_empty() {
        f["constraints"] = Value::Object(constraints);
    }
    f
}

/// `datapackage.json`: the package, its licence and publisher, and for each CSV its path,
/// encoding (with BOM), size, dialect and Table Schema (types, required fields, patterns,
/// primary key, Japanese names as in the header).
pub fn datapackage(
    s: &Strategy,
    slug: &str,
    tables: &[(&Table, u64)],
    encoding: CsvEncoding,
) -> Value {
    let license = license_of(s);
    let publisher = s
        .publisher
        .as_ref()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let resources: Vec<Value> = tables
        .iter()
        .map(|(t, bytes)| {
            json!({
                "name": t.resource,
                "path": format!("data/{}", t.file),
                "profile": "tabular-data-resource",
                "title": t.title,
                "description": t.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": encoding.frictionless_name(),
                "bytes": bytes,
                "dialect": {
                    "delimiter": ",",
                    "lineTerminator": "\r\n",
                    "quoteChar": "\"",
                    "doubleQuote": true,
                    "header": true,
                },
                "schema": {
                    "fields": t.columns.iter().map(field).collect::<Vec<_>>(),
                    "primaryKey": ["ID"],
                    "missingValues": [""],
                },
            })
        })
        .collect();
    let mut p = json!({
        "profile": "tabular-data-package",
        "name": package_name(s, slug),
        "title": title_of(s),
        "description": format!(
            "{}の施策と事業例、関連する既存事業{}。{}",
            title_of(s),
            if s.indicators().is_empty() { "" } else { "、数値目標と重要業績評価指標（KPI）" },
            attribution(s)
        ),
        "licenses": [{
            "name": license.id(),
            "path": license.url(),
            "title": license.name_ja(),
        }],
        "contributors": [{ "title": publisher, "role": "publisher" }],
        "keywords": keywords(s),
        "resources": resources,
    });
    if let Some(base) = &s.base_url {
        p["homepage"] = json!(base);
    }
    if let Some(d) = s.date {
        p["created"] = json!(format!("{d}T00:00:00+09:00"));
    }
    p
}

/// Keywords for catalogs: the kind of plan, the municipality and the stage.
pub fn keywords(s: &Strategy) -> Vec<String> {
    let mut k = vec![
        "総合戦略".to_string(),
        "地方創生".to_string(),
        "まち・ひと・しごと創生".to_string(),
    ];
    if let Some(m) = &s.municipality {
        k.push(m.prefecture.clone());
        k.push(m.name.clone());
    }
    if let Some(st) = s.stage {
        k.push(st.label().to_string());
    }
    k
}

/// CSVW metadata for one CSV: ASCII column names with the Japanese headers as titles, types
/// and patterns, required columns, the primary key, and the dialect (encoding, header,
/// CRLF). The file sits beside its CSV, so `url` is the bare file name.
pub fn csvw(s: &Strategy, t: &Table, encoding: CsvEncoding) -> Value {
    let license = license_of(s);
    let columns: Vec<Value> = t
        .columns
        .iter()
        .map(|c| {
            let base = match c.kind {
                ColumnType::String => "string",
                ColumnType::Integer => "integer",
                ColumnType::Number => "decimal",
            };
            let datatype = match c.pattern {
                Some(p) => json!({ "base": base, "format": p.trim_start_matches('^').trim_end_matches('$') }),
                None => json!(base),
            };
            json!({
                "name": c.name,
                "titles": c.title,
                "dc:description": c.description,
                "datatype": datatype,
                "required": c.required,
            })
        })
        .collect();
    let bom = if encoding.bom() {
        "（BOM付き）"
    } else {
        ""
    };
    json!({
        "@context": ["http://www.w3.org/ns/csvw", { "@language": "ja" }],
        "url": t.file,
        "dc:title": t.title,
        "dc:description": format!(
            "{} 文字コード {}{bom}、改行 CRLF、1行目が項目名。",
            t.description,
            encoding.label()
        ),
        "dc:license": { "@id": license.url() },
        "dc:publisher": s.publisher.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
        "dialect": {
            "encoding": encoding.label(),
            "header": true,
            "headerRowCount": 1,
            "delimiter": ",",
            "doubleQuote": true,
            "quoteChar": "\"",
            "lineTerminators": ["\r\n"],
            "skipRows": 0,
            "trim": false,
        },
        "tableSchema": {
            "columns": columns,
            "primaryKey": "id",
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_catalogs_accept() {
        assert_eq!(ascii_name("012131-tomakomai", 100), "012131-tomakomai");
        assert_eq!(ascii_name("012131-苫小牧 市", 100), "012131");
        assert_eq!(ascii_name("苫小牧", 100), "plan");
        assert_eq!(ascii_name("A_B--C", 100), "a_b-c");
        assert_eq!(ascii_name(&"x".repeat(300), 100).len(), 100);
    }
}

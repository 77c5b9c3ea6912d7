//! Catalog records: DCAT-AP 3 JSON-LD (`catalog/dcat.jsonld`) and a CKAN `package_create`
//! payload (`catalog/ckan-package.json`), both describing the dataset and every file of it —
//! the CSVs, the PDF and the web page — at the URLs under kohyo.toml's `base_url`.

use super::package::{keywords, package_name};
use super::{CsvEncoding, attribution, frequency_of, license_of};
use crate::model::{CatalogFiles, License, Strategy};
use crate::write::title_of;
use serde_json::{Value, json};

/// One published file, as the catalogs list it.
#[derive(Clone, Debug)]
pub struct Distribution {
    /// The title, e.g. 「施策と事業例（CSV）」.
    pub title: String,
    /// What it holds.
    pub description: String,
    /// The path relative to the draft's output folder, e.g. `data/012131_x_shisaku.csv`.
    pub path: String,
    /// The format's short name: `CSV`, `PDF`, `HTML`.
    pub format: &'static str,
    /// The IANA media type.
    pub media_type: &'static str,
    /// The character encoding, for text files.
    pub encoding: Option<CsvEncoding>,
    /// The size in bytes.
    pub bytes: u64,
    /// The SHA-256 of the file, in lowercase hex (the catalog's `hash`, which tells
    /// `kohyo publish` whether the file changed).
    pub sha256: String,
}

impl Distribution {
    fn format_iri(&self) -> &'static str {
        match self.format {
            "CSV" => "http://publications.europa.eu/resource/authority/file-type/CSV",
            "PDF" => "http://publications.europa.eu/resource/authority/file-type/PDF",
            _ => "http://publications.europa.eu/resource/authority/file-type/HTML",
        }
    }
}

/// The e-Stat LOD IRI of the municipality's 標準地域コード (the first five digits of the
/// 全国地方公共団体コード), used as `dct:spatial`.
pub fn spatial_iri(code: &str) -> String {
    let five: String = code.chars().take(5).collect();
    format!("http://data.e-stat.go.jp/lod/sac/C{five}")
}

fn url(s: &Strategy, path: &str) -> String {
    let base = s.base_url.as_deref().unwrap_or("");
    let encoded: Vec<String> = path.split('/').map(crate::write::html::href_of).collect();
    format!("{base}{}", encoded.join("/"))
}

/// The DCAT-AP 3 description of the dataset and its distributions, as JSON-LD.
pub fn dcat(s: &Strategy, slug: &str, files: &[Distribution]) -> Value {
    let license = license_of(s);
    let dataset_iri = format!("{}#dataset", s.base_url.as_deref().unwrap_or(""));
    let publisher = s.publisher.as_ref();
    let m = s.municipality.as_ref();
    let mut agent = json!({
        "@id": format!("{}#publisher", s.base_url.as_deref().unwrap_or("")),
        "@type": "foaf:Agent",
        "foaf:name": publisher.map(|p| p.name.clone()).unwrap_or_default(),
    });
    if let Some(m) = m {
        agent["dct:identifier"] = json!(m.code);
        agent["dct:spatial"] = json!({ "@id": spatial_iri(&m.code) });
    }
    let distributions: Vec<Value> = files
        .iter()
        .map(|f| {
            let link = url(s, &f.path);
            json!({
                "@id": format!("{link}#distribution"),
                "@type": "dcat:Distribution",
                "dct:title": f.title,
                "dct:description": sentences_apart(&f.description),
                "dcat:accessURL": { "@id": link },
                "dcat:downloadURL": { "@id": link },
                "dct:format": { "@id": f.format_iri(), "@type": "dct:MediaTypeOrExtent" },
                "dcat:mediaType": {
                    "@id": format!("https://www.iana.org/assignments/media-types/{}", f.media_type),
                    "@type": "dct:MediaType",
                },
                "dcat:byteSize": { "@value": f.bytes.to_string(), "@type": "xsd:nonNegativeInteger" },
                "dct:license": license_document(license),
            })
        })
        .collect();
    let mut dataset = json!({
        "@id": dataset_iri,
        "@type": "dcat:Dataset",
        "dct:identifier": package_name(s, slug),
        "dct:title": title_of(s),
        "dct:description": format!(
            "{}の基本目標・施策の基本的方向・具体的な施策・事業例と関連する既存事業{}。{}",
            title_of(s),
            indicators_phrase(s),
            attribution(s)
        ),
        // The CKAN tags' forms: a CKAN that harvests this record makes its keywords tags,
        // and refuses one with 「・」.
        "dcat:keyword": ckan_tags(&keywords(s)),
        "dct:publisher": agent,
        "dct:language": {
            "@id": "http://publications.europa.eu/resource/authority/language/JPN",
            "@type": "dct:LinguisticSystem",
        },
        "dct:accrualPeriodicity": { "@id": frequency_of(s).iri(), "@type": "dct:Frequency" },
        "dcat:landingPage": { "@id": url(s, "index.html"), "@type": "foaf:Document" },
        "dcat:distribution": distributions,
    });
    if let Some(m) = m {
        dataset["dct:spatial"] = json!({
            "@id": spatial_iri(&m.code),
            "@type": "dct:Location",
            "skos:prefLabel": format!("{}{}", m.prefecture, m.name),
        });
    }
    if let Some(d) = s.date {
        let date = json!({ "@value": d.to_string(), "@type": "xsd:date" });
        dataset["dct:issued"] = date.clone();
        dataset["dct:modified"] = date;
    }
    if let Some(p) = s.period {
        dataset["dct:temporal"] = json!({
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": { "@value": format!("{}-04-01", p.start), "@type": "xsd:date" },
            "dcat:endDate": { "@value": format!("{}-03-31", p.end + 1), "@type": "xsd:date" },
        });
    }
    if let Some(p) = publisher {
        let mut contact = json!({
            "@type": ["vcard:Kind", "vcard:Organization"],
            "vcard:fn": match &p.section {
                Some(sec) => format!("{} {sec}", p.name),
                None => p.name.clone(),
            },
        });
        if let Some(c) = &p.contact {
            if c.contains('@') && !c.contains("://") {
                contact["vcard:hasEmail"] = json!({ "@id": format!("mailto:{c}") });
            } else if c.starts_with("http://") || c.starts_with("https://") {
                contact["vcard:hasURL"] = json!({ "@id": c });
            }
        }
        dataset["dcat:contactPoint"] = contact;
    }
    json!({
        "@context": {
            "@language": "ja",
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@graph": [dataset],
    })
}

/// The licence as a `dct:LicenseDocument`: its IRI and an English `dct:title`, by which a
/// catalog can tell which licence of its own list this is. ckanext-dcat (a CKAN portal
/// harvesting the record) sets the dataset's `license_id` only when a distribution's licence
/// IRI or title equals an entry of CKAN's licence list; that list files CC BY under a
/// versionless Open Definition IRI, so CC BY 4.0 is found by the title the list gives it,
/// "Creative Commons Attribution" (`cc-by`, as the CKAN payload says; `tests/dcat_ckan.rs`).
/// The title is the only one, so it is read whatever the portal's language. CKAN's list has
/// no PDL: PDL 1.0 carries its own English name, for a portal that lists it.
fn license_document(l: License) -> Value {
    let title = match l {
        License::CcBy40 => "Creative Commons Attribution",
        License::Pdl10 => "Public Data License (Version 1.0)",
    };
    json!({
        "@id": l.url(),
        "@type": "dct:LicenseDocument",
        "dct:title": { "@value": title, "@language": "en" },
    })
}

/// The CKAN license id for the licence (CKAN's default licence list).
pub fn ckan_license(l: License) -> &'static str {
    match l {
        License::CcBy40 => "cc-by",
        License::Pdl10 => "other-at",
    }
}

/// The CKAN payload `kohyo publish` sends: the dataset's fields as `package_create` and
/// `package_patch` take them (name, title, notes, licence, tags, extras and, when kohyo.toml
/// names one, `owner_org`), and under `resources` each file's fields as `resource_create` and
/// `resource_patch` take them, with its `hash` (SHA-256). Files the catalog stores are named
/// by their bare file name in `url` (CKAN keeps an upload's URL so); linked files by their
/// address under `base_url`. The web page is always linked: its home is the city's site.
pub fn ckan(s: &Strategy, slug: &str, files: &[Distribution]) -> Value {
    let license = license_of(s);
    let mut extras: Vec<Value> = Vec::new();
    let mut extra = |k: &str, v: String| extras.push(json!({ "key": k, "value": v }));
    if let Some(m) = &s.municipality {
        extra("lg_code", m.code.clone());
        extra("spatial_text", format!("{}{}", m.prefecture, m.name));
        extra("spatial_uri", spatial_iri(&m.code));
    }
    let freq = frequency_of(s);
    extra("frequency", freq.iri().to_string());
    extra("update_frequency", freq.label().to_string());
    if let Some(p) = &s.publisher {
        extra("publisher_name", p.name.clone());
        let contact = match &p.section {
            Some(sec) => format!("{} {sec}", p.name),
            None => p.name.clone(),
        };
        extra("contact_name", contact);
        if let Some(c) = &p.contact {
            extra("contact_email_or_url", c.clone());
        }
    }
    extra("license_name", license.name_ja().to_string());
    extra("license_url", license.url().to_string());
    extra("attribution", attribution(s));
    if let Some(st) = s.stage {
        extra("plan_stage", st.label().to_string());
    }
    if let Some(d) = s.date {
        extra("issued", d.to_string());
    }
    if let Some(p) = s.period {
        extra("temporal_start", format!("{}-04-01", p.start));
        extra("temporal_end", format!("{}-03-31", p.end + 1));
    }
    let upload = s
        .catalog
        .as_ref()
        .is_some_and(|c| c.files == CatalogFiles::Upload);
    let resources: Vec<Value> = files
        .iter()
        .map(|f| {
            let stored = upload && f.format != "HTML";
            let mut r = json!({
                "name": f.title,
                "description": sentences_apart(&f.description),
                "url": if stored { file_name(&f.path).to_string() } else { url(s, &f.path) },
                "format": f.format,
                "mimetype": f.media_type,
                "size": f.bytes,
                "hash": f.sha256,
            });
            if stored {
                r["url_type"] = json!("upload");
            }
            if let Some(e) = f.encoding {
                r["encoding"] = json!(e.label());
            }
            r
        })
        .collect();
    let mut p = json!({
        "name": package_name(s, slug),
        "title": title_of(s),
        "notes": format!(
            "{}の基本目標・施策の基本的方向・具体的な施策・事業例と関連する既存事業{}です。\n\n{}",
            title_of(s),
            indicators_phrase(s),
            attribution(s)
        ),
        "url": s.base_url.clone().unwrap_or_default(),
        "license_id": s
            .catalog
            .as_ref()
            .and_then(|c| c.license_id.clone())
            .unwrap_or_else(|| ckan_license(license).to_string()),
        "author": s.publisher.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
        "tags": ckan_tags(&keywords(s)).into_iter().map(|k| json!({ "name": k })).collect::<Vec<_>>(),
        "extras": extras,
        "resources": resources,
    });
    if let Some(c) = &s.catalog {
        p["owner_org"] = json!(c.organization);
    }
    p
}

/// A description with its sentences as paragraphs. CKAN's lists show a resource's description
/// cut to 80 characters at a word boundary, and a Japanese sentence has none, so a longer
/// description showed as a bare 「...」; between paragraphs the cut finds its place.
pub fn sentences_apart(text: &str) -> String {
    text.split_inclusive('。')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The last segment of a path: the name a file is stored under in the catalog.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Keywords as CKAN tags. CKAN takes 2–100 characters of letters, digits, spaces, `-`, `_`
/// and `.` (Python's `\w`), and refuses 「・」, brackets and other punctuation, so, as Japanese
/// portals write such words: 「・」 between words is dropped (まち・ひと・しごと創生 →
/// まちひとしごと創生), brackets and quotes are dropped, other punctuation becomes a space;
/// tags left shorter than two characters are left out, and repeats are kept once.
pub fn ckan_tags(keywords: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in keywords {
        let mut tag = String::new();
        for c in k.chars() {
            if is_tag_char(c) {
                tag.push(c);
            } else if matches!(
                c,
                '・' | '･'
                    | '「'
                    | '」'
                    | '『'
                    | '』'
                    | '（'
                    | '）'
                    | '('
                    | ')'
                    | '【'
                    | '】'
                    | '〔'
                    | '〕'
                    | '［'
                    | '］'
                    | '['
                    | ']'
                    | '“'
                    | '”'
                    | '"'
                    | '\''
                    | '‘'
                    | '’'
            ) {
                continue;
            } else if !tag.ends_with(' ') {
                tag.push(' ');
            }
        }
        let tag: String = tag.trim().chars().take(100).collect();
        let tag = tag.trim_end().to_string();
        if tag.chars().count() >= 2 && !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

/// A character CKAN's tag validator takes: what Python's `\w` matches (letters, marks of
/// letters, digits, `_`), space, `-` and `.`.
pub fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ')
}

/// 「、数値目標と重要業績評価指標（KPI）」 when the draft has indicators (the dataset then holds
/// them too), else nothing.
fn indicators_phrase(s: &Strategy) -> &'static str {
    if s.indicators().is_empty() {
        ""
    } else {
        "、数値目標と重要業績評価指標（KPI）"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(words: &[&str]) -> Vec<String> {
        ckan_tags(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn sentences_become_paragraphs_for_the_catalogs_lists() {
        assert_eq!(sentences_apart("一。二です。三"), "一。\n\n二です。\n\n三");
        assert_eq!(sentences_apart("印刷用の計画書"), "印刷用の計画書");
    }

    #[test]
    fn tags_keep_to_what_ckan_accepts() {
        assert_eq!(
            tags(&["まち・ひと・しごと創生", "総合戦略", "北海道"]),
            ["まちひとしごと創生", "総合戦略", "北海道"]
        );
        assert_eq!(tags(&["「地方創生」"]), ["地方創生"]);
        assert_eq!(tags(&["子育て、教育"]), ["子育て 教育"]);
        assert_eq!(tags(&["Ｒ＆Ｄ"]), ["Ｒ Ｄ"]);
        // Too short after cleaning, or repeated: left out.
        assert_eq!(tags(&["市", "・", "北海道", "北海道"]), ["北海道"]);
        assert_eq!(tags(&[&"あ".repeat(150)])[0].chars().count(), 100);
        // Long vowel marks and iteration marks are letters to CKAN (\w).
        assert_eq!(tags(&["データ々ー"]), ["データ々ー"]);
        for t in tags(&["まち・ひと・しごと創生", "（仮称）センター", "A/B テスト"])
        {
            assert!(t.chars().all(is_tag_char), "{t}");
            assert!((2..=100).contains(&t.chars().count()));
        }
    }
}

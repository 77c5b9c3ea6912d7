//! A second real client of `catalog/dcat.jsonld`: ckanext-dcat, the DCAT extension CKAN
//! portals harvest with. `tests/ckan/dcat_parse.py` runs its `RDFParser` with the DCAT-AP 3
//! profile (`euro_dcat_ap_3`) on the record, without a CKAN server, and prints the CKAN dataset
//! dict it makes; each test compares it field by field with our own record
//! (`catalog/dcat.jsonld`), our CKAN payload (`catalog/ckan-package.json`), the model
//! (`model.json`) and the files on disk.
//!
//! The Python is `.venv-ckan/bin/python` (CKAN from `tests/ckan/requirements.txt`, ckanext-dcat
//! from `tests/ckan/requirements-dcat.txt`), or `KOHYO_CKAN_PYTHON` when set. Without it, or
//! without ckanext-dcat in it, a test fails under `CI=true` and otherwise says what to install
//! and passes.
//!
//! What ckanext-dcat cannot give back as our CKAN payload has it, by its design rather than by
//! our record (each asserted as what it does give):
//! - `format` and `mimetype`: the profile keeps `dct:format` and `dcat:mediaType` IRIs as they
//!   are (it writes them back the same way), and CKAN's format list knows `CSV` and `text/csv`,
//!   not the EU file-type and IANA IRIs DCAT-AP 3 requires; so a resource's format is
//!   `…/file-type/CSV` and its mimetype `https://www.iana.org/assignments/media-types/text/csv`.
//! - `name` (the dataset's URL name): the parser leaves it to the harvester; `dct:identifier`
//!   comes back as the `identifier` extra, which is our payload's `name`.
//! - `url`: the landing page (`…/index.html`), where our payload gives the folder it is served
//!   at (`base_url`).
//! - a resource's `encoding`: the DCAT-AP profiles read no character encoding (and our record
//!   states none).
//! - PDL 1.0: CKAN's licence list has no entry for it, so `license_id` is empty (our payload
//!   files it under `other-at`); each resource still carries the licence IRI.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

const INSTALL: &str = "python3 -m venv .venv-ckan && .venv-ckan/bin/pip install -r tests/ckan/requirements.txt -r tests/ckan/requirements-dcat.txt";
const IANA: &str = "https://www.iana.org/assignments/media-types/";
const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";

fn ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Not there: fail under CI, else say so and let the test pass.
fn missing(what: &str) -> Option<Value> {
    assert!(!ci(), "{what}: {INSTALL}");
    eprintln!("skipping: {what} (install: {INSTALL})");
    None
}

/// The Python with CKAN and ckanext-dcat: `KOHYO_CKAN_PYTHON`, else the project's `.venv-ckan`.
fn python() -> PathBuf {
    match std::env::var_os("KOHYO_CKAN_PYTHON") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-ckan/bin/python"),
    }
}

/// ckanext-dcat's reading of `dir`'s `catalog/dcat.jsonld`: the one dataset dict. None (and a
/// note) when the Python or ckanext-dcat is missing, which fails under `CI=true`.
fn parsed(dir: &Path) -> Option<Value> {
    let py = python();
    if !py.is_file() {
        return missing(&format!("{} is missing", py.display()));
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ckan/dcat_parse.py");
    let o = Command::new(&py)
        .arg(script)
        .arg(dir.join("catalog/dcat.jsonld"))
        .output()
        .expect("run dcat_parse.py");
    let stderr = String::from_utf8_lossy(&o.stderr);
    if o.status.code() == Some(3) {
        return missing(stderr.trim());
    }
    assert!(o.status.success(), "ckanext-dcat failed: {stderr}");
    let v: Value = serde_json::from_slice(&o.stdout).expect("dcat_parse.py prints JSON");
    let datasets = v.as_array().expect("a list of datasets");
    assert_eq!(datasets.len(), 1, "one dataset in the record: {v:#}");
    Some(datasets[0].clone())
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON")
}

/// CKAN's `extras` list as a map, every key once.
fn extras(v: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in v["extras"].as_array().expect("extras") {
        let k = e["key"].as_str().expect("key").to_string();
        let val = e["value"].as_str().expect("value").to_string();
        assert!(out.insert(k.clone(), val).is_none(), "extra {k} twice");
    }
    out
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("a string: {v}"))
}

fn tags(v: &Value) -> BTreeSet<String> {
    v["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .map(|t| s(&t["name"]).to_string())
        .collect()
}

/// A list of objects keyed by `key` (RDF keeps no order among a subject's values, so the
/// parser's resources and tags come in the graph's order, not ours).
fn file_name(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or(url)
}

fn by<'a>(list: &'a Value, key: &str) -> BTreeMap<&'a str, &'a Map<String, Value>> {
    let list = list.as_array().expect("a list");
    let map: BTreeMap<_, _> = list
        .iter()
        .map(|r| (s(&r[key]), r.as_object().expect("an object")))
        .collect();
    assert_eq!(map.len(), list.len(), "{key} unique");
    map
}

/// What the comparison found for the caller to check further.
struct Read {
    dataset: Value,
    extras: BTreeMap<String, String>,
    package: Value,
    package_extras: BTreeMap<String, String>,
}

/// Build `input`, let ckanext-dcat read the DCAT record, and compare every field both records
/// (and the model) state. None when ckanext-dcat is not installed (outside CI).
fn check(input: &Path) -> Option<Read> {
    let (_out, dir) = common::build_draft(input, &[], &[]);
    let d = parsed(&dir)?;
    let ours = json(&dir.join("catalog/dcat.jsonld"));
    let ours = &ours["@graph"][0];
    let pkg = json(&dir.join("catalog/ckan-package.json"));
    let model = json(&dir.join("model.json"));
    let x = extras(&d);
    let px = extras(&pkg);

    // Title and description.
    assert_eq!(d["title"], ours["dct:title"]);
    assert_eq!(d["title"], pkg["title"]);
    assert_eq!(d["notes"], ours["dct:description"]);
    assert!(
        s(&d["notes"]).ends_with(&px["attribution"]),
        "{}",
        d["notes"]
    );
    assert!(s(&pkg["notes"]).ends_with(&px["attribution"]));

    // The dataset: its IRI, identifier (our payload's name) and landing page.
    assert_eq!(x["uri"], s(&ours["@id"]));
    assert_eq!(x["identifier"], s(&ours["dct:identifier"]));
    assert_eq!(x["identifier"], s(&pkg["name"]));
    assert_eq!(d["url"], ours["dcat:landingPage"]["@id"]);
    assert_eq!(s(&d["url"]), format!("{}index.html", s(&pkg["url"])));

    // Licence: CKAN's id from the distributions' licence, as our payload has it (but PDL, which
    // CKAN's list does not hold).
    let licence_url = &px["license_url"];
    if pkg["license_id"] == "other-at" {
        assert_eq!(d["license_id"], "", "CKAN's licence list has no PDL");
    } else {
        assert_eq!(d["license_id"], pkg["license_id"]);
    }

    // Publisher: name, IRI and the municipality code it carries.
    let publisher = &ours["dct:publisher"];
    assert_eq!(x["publisher_name"], s(&publisher["foaf:name"]));
    assert_eq!(x["publisher_name"], px["publisher_name"]);
    assert_eq!(x["publisher_name"], s(&pkg["author"]));
    assert_eq!(x["publisher_name"], s(&model["publisher"]["name"]));
    assert_eq!(x["publisher_uri"], s(&publisher["@id"]));
    assert_eq!(x["publisher_identifier"], px["lg_code"]);
    assert_eq!(x["publisher_identifier"], s(&model["municipality"]["code"]));

    // Contact point.
    assert_eq!(x["contact_name"], s(&ours["dcat:contactPoint"]["vcard:fn"]));
    assert_eq!(x["contact_name"], px["contact_name"]);
    match px.get("contact_email_or_url") {
        Some(c) if c.contains('@') => assert_eq!(x.get("contact_email"), Some(c)),
        Some(c) => assert_eq!(x.get("contact_url"), Some(c)),
        None => assert!(!x.contains_key("contact_email") && !x.contains_key("contact_url")),
    }

    // Spatial: the e-Stat 標準地域コード IRI and the place's name.
    assert_eq!(x["spatial_uri"], s(&ours["dct:spatial"]["@id"]));
    assert_eq!(x["spatial_uri"], px["spatial_uri"]);
    let code = s(&model["municipality"]["code"]);
    assert_eq!(
        x["spatial_uri"],
        format!("http://data.e-stat.go.jp/lod/sac/C{}", &code[..5])
    );
    assert_eq!(x["spatial_text"], s(&ours["dct:spatial"]["skos:prefLabel"]));
    assert_eq!(x["spatial_text"], px["spatial_text"]);
    let m = &model["municipality"];
    assert_eq!(
        x["spatial_text"],
        format!("{}{}", s(&m["prefecture"]), s(&m["name"]))
    );

    // Frequency: the EU vocabulary's IRI.
    assert_eq!(x["frequency"], s(&ours["dct:accrualPeriodicity"]["@id"]));
    assert_eq!(x["frequency"], px["frequency"]);
    assert!(
        x["frequency"].starts_with("http://publications.europa.eu/resource/authority/frequency/")
    );

    // Period, and the dates when the draft has one.
    let period = &model["period"];
    assert_eq!(x["temporal_start"], px["temporal_start"]);
    assert_eq!(x["temporal_end"], px["temporal_end"]);
    assert_eq!(x["temporal_start"], format!("{}-04-01", period["start"]));
    let end = period["end"].as_i64().expect("end year") + 1;
    assert_eq!(x["temporal_end"], format!("{end}-03-31"));
    for key in ["issued", "modified"] {
        assert_eq!(
            x.get(key).map(String::as_str),
            ours[format!("dct:{key}")]["@value"].as_str(),
            "{key}"
        );
    }
    assert_eq!(x.get("issued"), px.get("issued"));

    // Language and keywords.
    assert_eq!(
        x["language"],
        r#"["http://publications.europa.eu/resource/authority/language/JPN"]"#
    );
    assert_eq!(tags(&d), tags(&pkg));
    let keywords: BTreeSet<String> = ours["dcat:keyword"]
        .as_array()
        .expect("keywords")
        .iter()
        .map(|k| s(k).to_string())
        .collect();
    assert_eq!(tags(&d), keywords);

    // Every distribution, matched to our payload's resource and our record's distribution by
    // its URL.
    let got = by(&d["resources"], "url");
    // The payload names a file the catalog stores by its bare name (the upload's URL), a
    // linked one by its address: match by the file name.
    let want: BTreeMap<&str, &Map<String, Value>> = by(&pkg["resources"], "url")
        .into_values()
        .map(|r| (file_name(s(&r["url"])), r))
        .collect();
    let dists: BTreeMap<&str, &Value> = ours["dcat:distribution"]
        .as_array()
        .expect("distributions")
        .iter()
        .map(|v| (s(&v["dcat:downloadURL"]["@id"]), v))
        .collect();
    assert_eq!(
        got.keys()
            .map(|u| file_name(u))
            .collect::<std::collections::BTreeSet<_>>(),
        want.keys()
            .copied()
            .collect::<std::collections::BTreeSet<_>>()
    );
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        dists.keys().collect::<Vec<_>>()
    );
    let base = s(&pkg["url"]);
    for (url, r) in &got {
        let w = want[file_name(url)];
        let dist = dists[url];
        assert_eq!(r["name"], w["name"], "{url}");
        assert_eq!(r["name"], dist["dct:title"], "{url}");
        assert_eq!(r["description"], w["description"], "{url}");
        assert_eq!(s(&r["access_url"]), *url);
        assert_eq!(s(&r["download_url"]), *url);
        assert_eq!(r["uri"], dist["@id"], "{url}");
        assert_eq!(
            s(&r["format"]),
            format!("{FILE_TYPE}{}", s(&w["format"])),
            "{url}"
        );
        assert_eq!(
            s(&r["mimetype"]),
            format!("{IANA}{}", s(&w["mimetype"])),
            "{url}"
        );
        assert_eq!(s(&r["license"]), licence_url, "{url}");
        // The size is a number, the file's size on disk.
        assert!(r["size"].is_u64(), "{url}: size {}", r["size"]);
        assert_eq!(r["size"], w["size"], "{url}");
        let rel = url.strip_prefix(base).expect("under base_url");
        let on_disk = std::fs::metadata(dir.join(rel)).expect("the file").len();
        assert_eq!(r["size"].as_u64(), Some(on_disk), "{url}");
    }

    Some(Read {
        dataset: d,
        extras: x,
        package: pkg,
        package_extras: px,
    })
}

#[test]
fn ckanext_dcat_reads_the_seed_record_as_ours() {
    let Some(r) = check(Path::new("inputs/tomakomai")) else {
        return;
    };
    // The seed's values, spelled out.
    assert_eq!(r.dataset["title"], "苫小牧市総合戦略（骨子案）");
    assert_eq!(r.dataset["license_id"], "cc-by");
    assert_eq!(r.extras["publisher_name"], "苫小牧市");
    assert_eq!(
        r.extras["spatial_uri"],
        "http://data.e-stat.go.jp/lod/sac/C01213"
    );
    assert_eq!(r.extras["spatial_text"], "北海道苫小牧市");
    assert_eq!(
        r.extras["frequency"],
        "http://publications.europa.eu/resource/authority/frequency/IRREG"
    );
    assert_eq!(r.extras["temporal_start"], "2015-04-01");
    assert_eq!(r.extras["temporal_end"], "2020-03-31");
    let formats: Vec<&str> = r.dataset["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|x| s(&x["format"]).trim_start_matches(FILE_TYPE))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(formats, ["CSV", "HTML", "PDF"]);
    assert_eq!(r.dataset["resources"].as_array().map(Vec::len), Some(4));
    assert_eq!(r.package["resources"].as_array().map(Vec::len), Some(4));
}

#[test]
fn ckanext_dcat_reads_every_csv_of_the_soan_fixture() {
    // The 素案 with indicators: three CSVs (施策, 関連する既存事業, 指標) besides the PDF and
    // the page.
    let (_src, d) = common::soan_draft();
    let Some(r) = check(&d) else {
        return;
    };
    let resources = r.dataset["resources"].as_array().expect("resources");
    let csvs: BTreeSet<&str> = resources
        .iter()
        .filter(|x| s(&x["format"]) == format!("{FILE_TYPE}CSV"))
        .map(|x| s(&x["url"]).rsplit('/').next().expect("file name"))
        .collect();
    assert_eq!(
        csvs,
        BTreeSet::from([
            "012131_soan_kanren_jigyo.csv",
            "012131_soan_shihyo.csv",
            "012131_soan_shisaku.csv",
        ])
    );
    assert_eq!(resources.len(), 5);
    assert_eq!(r.dataset["license_id"], "cc-by");
    assert!(s(&r.dataset["notes"]).contains("数値目標と重要業績評価指標（KPI）"));
}

#[test]
fn ckanext_dcat_reads_dates_contact_frequency_and_pdl() {
    // A dated draft under PDL 1.0 with a section and a contact address, updated yearly.
    let dir = tempfile::TempDir::new().expect("tempdir");
    let d = dir.path().join("dated");
    std::fs::create_dir(&d).expect("mkdir");
    let toml = "title = \"架空市総合戦略（素案）\"\ndate = 2026-04-01\nlicense = \"PDL-1.0\"\nupdate_frequency = \"annual\"\nbase_url = \"https://www.city.example.lg.jp/opendata/\"\n\n[municipality]\ncode = \"012131\"\nname = \"架空市\"\nprefecture = \"北海道\"\n\n[publisher]\nname = \"架空市\"\nsection = \"総合政策部\"\ncontact = \"seisaku@city.example.lg.jp\"\n\n[period]\nstart = 2025\nend = 2029\n";
    let csv = "基本目標,施策の基本的方向,具体的な施策,事業例\nしごと,1-1 雇用,(1) 就職,就業支援\n";
    std::fs::write(d.join("kohyo.toml"), toml).expect("write");
    std::fs::write(d.join("施策.csv"), csv).expect("write");
    let Some(r) = check(&d) else {
        return;
    };
    assert_eq!(r.extras["issued"], "2026-04-01");
    assert_eq!(r.extras["modified"], "2026-04-01");
    assert_eq!(r.extras["contact_name"], "架空市 総合政策部");
    assert_eq!(r.extras["contact_email"], "seisaku@city.example.lg.jp");
    assert_eq!(
        r.extras["frequency"],
        "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
    );
    assert_eq!(r.extras["temporal_start"], "2025-04-01");
    assert_eq!(r.extras["temporal_end"], "2030-03-31");
    // CKAN has no PDL: no licence id, but every resource names the licence.
    assert_eq!(r.dataset["license_id"], "");
    assert_eq!(r.package["license_id"], "other-at");
    for res in r.dataset["resources"].as_array().expect("resources") {
        assert_eq!(
            res["license"],
            "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
        );
    }
    assert_eq!(
        r.package_extras["license_url"],
        s(&r.dataset["resources"][0]["license"])
    );
}

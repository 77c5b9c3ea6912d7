//! The README's diagnostic-code table lists every code with its severity and both summaries,
//! exactly as `src/diag.rs` defines them, and nothing else.

use kohyo::diag::{Code, Lang, Severity};

#[test]
fn readme_lists_every_diagnostic_code() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let start = readme.find("<!-- codes:start").expect("codes:start marker");
    let end = readme.find("<!-- codes:end -->").expect("codes:end marker");
    let rows: Vec<&str> = readme[start..end]
        .lines()
        .filter(|l| l.starts_with("| K"))
        .collect();
    let want: Vec<String> = Code::ALL
        .iter()
        .map(|c| {
            let severity = match c.severity() {
                Severity::Error => "エラー (error)",
                Severity::Warning => "警告 (warning)",
                Severity::Note => "情報 (note)",
            };
            format!(
                "| {} | {} | {} | {} |",
                c.as_str(),
                severity,
                c.summary(Lang::Ja),
                c.summary(Lang::En)
            )
        })
        .collect();
    assert_eq!(
        rows, want,
        "README.md's code table is out of step with src/diag.rs"
    );
}

#[test]
fn readme_kohyo_toml_example_is_valid() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let start = readme.find("```toml\n").expect("a toml example") + "```toml\n".len();
    let end = start + readme[start..].find("```").expect("end of the example");
    let (meta, diags) = kohyo::meta::parse(&readme[start..end], "kohyo.toml");
    assert!(diags.is_empty(), "{diags:?}");
    assert!(meta.date.is_some() && meta.municipality.is_some() && meta.period.is_some());
}

//! Building a draft's outputs: read, check, write. Files are written to a temporary file in
//! the same folder and renamed into place, so a failed build leaves earlier outputs whole.

use crate::diag::Diagnostic;
use crate::draft::{Outcome, read_draft};
use crate::write::html::{self, Download, HtmlSettings};
use crate::write::opendata::{self, CsvEncoding, catalog::Distribution};
use crate::write::pdf::{self, PdfSettings};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What one draft's build did.
pub struct Built {
    /// The draft's name (its folder name), used for the output folder and file names.
    pub slug: String,
    /// Files written (or left as they were when unchanged).
    pub files: Vec<PathBuf>,
    /// The read outcome, with its diagnostics.
    pub outcome: Outcome,
    /// Diagnostics from the writers.
    pub errors: Vec<Diagnostic>,
}

impl Built {
    /// Whether the build failed (the reader or a writer reported an error).
    pub fn failed(&self) -> bool {
        self.outcome.has_errors() || !self.errors.is_empty()
    }
}

/// The draft folders under `root`, sorted by name (hidden folders skipped).
pub fn drafts_under(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        let name = entry.file_name();
        if entry.file_type()?.is_dir() && !name.to_string_lossy().starts_with('.') {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

/// The name a draft's outputs are filed under: its folder (or file stem) name.
pub fn slug_of(input: &Path) -> String {
    let name = if input.is_dir() {
        input.file_name()
    } else {
        input.file_stem()
    };
    name.map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty() && n != "." && n != "..")
        .unwrap_or_else(|| "draft".to_string())
}

/// How a build writes its outputs.
#[derive(Clone, Copy, Debug, Default)]
pub struct BuildOptions {
    /// The CSV files' encoding (`--csv-encoding`).
    pub csv_encoding: CsvEncoding,
}

/// Build one draft into `out/<slug>/`: the PDF, the web page, the open data (CSV, CSVW,
/// datapackage.json, DCAT and CKAN records) and model.json. Nothing is written unless every
/// output could be made.
pub fn build_draft(input: &Path, out: &Path, options: BuildOptions) -> Built {
    let slug = slug_of(input);
    let outcome = read_draft(input);
    let mut built = Built {
        slug: slug.clone(),
        files: Vec::new(),
        outcome,
        errors: Vec::new(),
    };
    if built.outcome.has_errors() {
        return built;
    }
    let Some(strategy) = built.outcome.strategy.clone() else {
        return built;
    };
    let strategy = &strategy;
    let toml = built
        .outcome
        .meta
        .is_some()
        .then_some(crate::meta::FILE_NAME);
    let mut found = opendata::check_values(strategy);
    if input.is_dir() {
        found.extend(opendata::check_metadata(strategy, toml));
    }
    let (errors, notes): (Vec<Diagnostic>, Vec<Diagnostic>) =
        found.into_iter().partition(Diagnostic::is_error);
    built.outcome.diagnostics.extend(notes);
    if !errors.is_empty() {
        built.errors = errors;
        return built;
    }
    let layout = built
        .outcome
        .meta
        .as_ref()
        .map(|m| m.pdf)
        .unwrap_or_default();
    let dir = out.join(&slug);
    let pdf_bytes = match pdf::write(strategy, &PdfSettings::new(layout, strategy)) {
        Ok(b) => b,
        Err(e) => {
            built.errors = e.into_diagnostics();
            return built;
        }
    };
    let csvs = match opendata::csv_files(strategy, &slug, options.csv_encoding) {
        Ok(c) => c,
        Err(e) => {
            built.errors = e;
            return built;
        }
    };
    let model = match serde_json::to_string_pretty(strategy) {
        Ok(m) => m + "\n",
        Err(e) => {
            built.errors.push(io_error(&dir, &e.to_string()));
            return built;
        }
    };
    let pdf_name = format!("{slug}.pdf");
    let mut downloads = vec![Download {
        label: "計画書（表形式）".to_string(),
        format: "PDF",
        href: html::href_of(&pdf_name),
        bytes: pdf_bytes.len() as u64,
    }];
    for f in &csvs {
        let label = match f.table.resource {
            "shisaku" => "施策と事業例",
            _ => "関連する既存事業",
        };
        downloads.push(Download {
            label: label.to_string(),
            format: "CSV",
            href: f
                .path
                .split('/')
                .map(html::href_of)
                .collect::<Vec<_>>()
                .join("/"),
            bytes: f.bytes.len() as u64,
        });
    }
    let page = html::write(strategy, &HtmlSettings { downloads });
    let others = [
        Distribution {
            title: "計画書（PDF）".to_string(),
            description: "印刷用の表形式の計画書（タグ付き PDF）".to_string(),
            path: pdf_name.clone(),
            format: "PDF",
            media_type: "application/pdf",
            encoding: None,
            bytes: pdf_bytes.len() as u64,
        },
        Distribution {
            title: "計画のウェブページ（HTML）".to_string(),
            description: "見出しと箇条書き、表で読めるウェブページ".to_string(),
            path: "index.html".to_string(),
            format: "HTML",
            media_type: "text/html",
            encoding: None,
            bytes: page.len() as u64,
        },
    ];
    let metadata = opendata::metadata_files(strategy, &slug, options.csv_encoding, &csvs, &others);
    let mut files: Vec<(String, Vec<u8>)> =
        vec![(pdf_name, pdf_bytes), ("index.html".to_string(), page)];
    files.extend(csvs.into_iter().map(|f| (f.path, f.bytes)));
    files.extend(metadata);
    files.push(("model.json".to_string(), model.into_bytes()));
    for (name, bytes) in files {
        let path = dir.join(name);
        match write_atomic(&path, &bytes) {
            Ok(()) => built.files.push(path),
            Err(e) => {
                built.errors.push(io_error(&path, &e.to_string()));
                return built;
            }
        }
    }
    built
}

fn io_error(path: &Path, e: &str) -> Diagnostic {
    Diagnostic::new(
        crate::diag::Code::K001,
        None,
        format!("{} に書き込めません: {e}", path.display()),
        format!("cannot write {}: {e}", path.display()),
    )
}

/// Write `bytes` to `path` through a temporary file in the same folder and a rename. A file
/// that already holds exactly these bytes is left alone (its mtime stays).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_keeps_identical_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a/b.txt");
        write_atomic(&p, b"one").expect("write");
        assert_eq!(std::fs::read(&p).expect("read"), b"one");
        let before = std::fs::metadata(&p)
            .and_then(|m| m.modified())
            .expect("mtime");
        std::thread::sleep(std::time::Duration::from_millis(20));
        write_atomic(&p, b"one").expect("write");
        let after = std::fs::metadata(&p)
            .and_then(|m| m.modified())
            .expect("mtime");
        assert_eq!(before, after);
        write_atomic(&p, b"two").expect("write");
        assert_eq!(std::fs::read(&p).expect("read"), b"two");
        let names: Vec<_> = std::fs::read_dir(p.parent().expect("dir"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug_of(Path::new("inputs/tomakomai")), "tomakomai");
        assert_eq!(slug_of(Path::new("no/such/place")), "place");
        assert_eq!(slug_of(Path::new("x/戦略.xlsx")), "戦略");
    }
}

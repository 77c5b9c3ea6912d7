//! Building a draft's outputs: read, check, write. Files are written to a temporary file in
//! the same folder and renamed into place, so a failed build leaves earlier outputs whole.

use crate::diag::Diagnostic;
use crate::draft::{Outcome, read_draft};
use crate::write::html::{self, Download, HtmlSettings};
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

/// Build one draft into `out/<slug>/`.
pub fn build_draft(input: &Path, out: &Path) -> Built {
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
    let Some(strategy) = built.outcome.strategy.as_ref() else {
        return built;
    };
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
    let model = match serde_json::to_string_pretty(strategy) {
        Ok(m) => m + "\n",
        Err(e) => {
            built.errors.push(io_error(&dir, &e.to_string()));
            return built;
        }
    };
    let pdf_name = format!("{slug}.pdf");
    let page = html::write(
        strategy,
        &HtmlSettings {
            downloads: vec![Download {
                label: "計画書（表形式）".to_string(),
                format: "PDF",
                href: html::href_of(&pdf_name),
                bytes: pdf_bytes.len() as u64,
            }],
        },
    );
    for (name, bytes) in [
        (pdf_name, pdf_bytes),
        ("index.html".to_string(), page),
        ("model.json".to_string(), model.into_bytes()),
    ] {
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

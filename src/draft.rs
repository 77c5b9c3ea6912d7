//! A draft as staff keep it: a folder with source files and `kohyo.toml`, or a single file.
//!
//! Origins name files relative to the draft folder, so a model does not depend on where the
//! draft sits; [`Outcome::base`] says where that is, for messages.

use crate::diag::{Code, Diagnostic, SourceMap};
use crate::grid::Origin;
use crate::meta::{self, Meta};
use crate::model::Strategy;
use crate::normalize::{self, Source};
use crate::read::{self, ReadOutput};
use std::path::{Path, PathBuf};

/// The result of reading and normalizing a draft.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The model, when one could be built (it may still carry errors in `diagnostics`).
    pub strategy: Option<Strategy>,
    /// Everything found, in order of place.
    pub diagnostics: Vec<Diagnostic>,
    /// Source texts for rendering diagnostics.
    pub sources: SourceMap,
    /// The draft folder that origins' file names are relative to.
    pub base: PathBuf,
    /// The draft's `kohyo.toml`, if it has one.
    pub meta: Option<Meta>,
    /// Time spent reading the files into grids.
    pub read_time: std::time::Duration,
    /// Time spent normalizing the grids into the model.
    pub normalize_time: std::time::Duration,
}

impl Outcome {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// True when kohyo.toml itself has an error (it cannot be read, or a value is invalid):
    /// then what it lacks is not reported too, so one mistake gives one message.
    pub fn toml_has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.is_error() && d.origin.as_ref().is_some_and(|o| o.file == meta::FILE_NAME))
    }
}

/// True for files that are never draft sources: hidden files, Office lock files (`~$…`),
/// editor swap and backup files, kohyo.toml and READMEs.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name.starts_with(".~lock")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == meta::FILE_NAME
        || name.to_ascii_lowercase().starts_with("readme")
}

/// The file name origins give the draft folder itself (empty: the folder's path relative to
/// itself); [`Outcome::display_diagnostics`] shows it as the folder's path.
pub const FOLDER: &str = "";

/// Read a draft folder or a single file into the canonical model.
pub fn read_draft(path: &Path) -> Outcome {
    let started = std::time::Instant::now();
    let mut out = Outcome::default();
    let mut files: Vec<(String, PathBuf, bool)> = Vec::new(); // (name, path, explicit)
    if let Err(e) = std::fs::metadata(path)
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
    {
        // A symbolic link that leads nowhere: a loop (ELOOP) or a target that is gone.
        out.base = path.to_path_buf();
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => crate::explain::Explained::new(
                "リンク先が見つかりません",
                "its target is not there",
                &e,
            ),
            _ => crate::explain::io_read(&e),
        };
        out.diagnostics.push(
            Diagnostic::at(
                Code::K001,
                Origin::file(FOLDER),
                format!("シンボリックリンク {} の先をたどれません: {}", path.display(), why.ja),
                format!("cannot follow the symbolic link {}: {}", path.display(), why.en),
            )
            .cause(why.cause)
            .note(
                "リンクが自分自身を指している（循環している）か、リンク先が消えています。リンクを作り直すか削除してください",
                "the link points at itself (a loop) or its target is gone; re-create or remove it",
            ),
        );
        return out;
    }
    if path.is_dir() {
        out.base = path.to_path_buf();
        let (meta, diags) = meta::load(path, &mut out.sources);
        out.diagnostics.extend(diags);
        match meta.as_ref().and_then(|m| m.sources.clone()) {
            Some(list) => {
                for (name, origin) in list {
                    let p = path.join(&name);
                    if !p.exists() || name.contains("..") || Path::new(&name).is_absolute() {
                        out.diagnostics.push(
                            Diagnostic::at(
                                Code::K012,
                                origin,
                                format!("sources に書かれた {name} がフォルダにありません"),
                                format!("{name}, named in sources, is not in the draft folder"),
                            )
                            .note(
                                "ファイル名の綴りと置き場所を確かめてください",
                                "check the file name and where the file is",
                            ),
                        );
                        continue;
                    }
                    files.push((name, p, true));
                }
            }
            None => match list_folder(path) {
                Ok(list) => files.extend(list.into_iter().map(|(n, p)| (n, p, false))),
                Err(d) => out.diagnostics.push(d),
            },
        }
        out.meta = meta;
    } else {
        out.base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        files.push((name, path.to_path_buf(), true));
    }

    let mut outputs: Vec<(String, ReadOutput)> = Vec::new();
    let mut disguised: Vec<(String, read::Format)> = Vec::new();
    for (name, p, explicit) in files {
        match read::read_file(&p, &name) {
            Ok((format, mut output)) => {
                if is_disguised(&name, format) {
                    disguised.push((name.clone(), format));
                }
                out.diagnostics.append(&mut output.diagnostics);
                out.sources.extend(std::mem::take(&mut output.sources));
                outputs.push((name, output));
            }
            Err(d) if !explicit && matches!(d.code, Code::K002 | Code::K004) => {
                out.diagnostics.push(Diagnostic::at(
                    Code::K006,
                    Origin::file(&name),
                    format!("{name} は原稿として読めない種類のファイルなので飛ばしました"),
                    format!("skipped {name}: not a kind of file kohyo reads"),
                ));
            }
            Err(d) => out.diagnostics.push(d),
        }
    }
    let sources: Vec<Source> = outputs
        .iter()
        .map(|(name, output)| Source { file: name, output })
        .collect();
    if sources.is_empty() {
        if !out.has_errors() {
            out.diagnostics.push(no_draft_file(path));
        }
    } else {
        out.read_time = started.elapsed();
        let (strategy, mut diags) = normalize::normalize(&sources, out.meta.as_ref());
        out.strategy = strategy;
        // No table in a "workbook" that is really a web page or text: say what it is.
        for d in diags.iter_mut().filter(|d| d.code == Code::K013) {
            for (name, format) in &disguised {
                let ext = name.rsplit('.').next().unwrap_or_default();
                let (what, what_en) = match format {
                    read::Format::Html => ("HTML（ウェブページ）です", "HTML (a web page)"),
                    read::Format::Csv => ("CSV です", "CSV"),
                    _ => ("テキストです", "text"),
                };
                *d = d.clone().note(
                    format!("{name} は拡張子が .{ext} ですが、中身は {what}（保存に失敗したウェブページなどではありませんか）"),
                    format!("{name} is named .{ext} but holds {what_en} (a web page saved by a failed download?)"),
                );
            }
        }
        out.diagnostics.extend(diags);
        out.normalize_time = started.elapsed() - out.read_time;
    }
    sort_diagnostics(&mut out.diagnostics);
    out
}

/// Read one version of a draft for comparison: a draft folder or file, or a `model.json` from
/// an earlier build. The outcome carries the model, or the diagnostics that stopped it.
pub fn read_version(path: &Path) -> Outcome {
    let is_model = path.is_file()
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if !is_model {
        return read_draft(path);
    }
    let mut out = Outcome {
        base: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        ..Default::default()
    };
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    if std::fs::metadata(path).is_ok_and(|m| m.len() > crate::limits::MAX_FILE_BYTES) {
        out.diagnostics.push(crate::limits::exceeded(
            Origin::file(&name),
            "ファイルの大きさ",
            "the file's size",
            crate::limits::MAX_FILE_BYTES,
        ));
        return out;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let x = crate::explain::io_read(&e);
            out.diagnostics.push(
                Diagnostic::at(
                    Code::K001,
                    Origin::file(&name),
                    format!("ファイル {name} を読み込めません: {}", x.ja),
                    format!("cannot read {name}: {}", x.en),
                )
                .cause(x.cause),
            );
            return out;
        }
    };
    match serde_json::from_slice::<Strategy>(&bytes) {
        Ok(mut s) => {
            // A model.json of a kohyo before the ID rename: its IDs under their current names.
            crate::ids::upgrade(&mut s, &mut crate::ids::Ledger::default());
            out.strategy = Some(s);
        }
        Err(e) => out.diagnostics.push({
            let x = crate::explain::json(&e);
            Diagnostic::at(
                Code::K005,
                Origin::text(&name, e.line() as u32, e.column() as u32),
                format!(
                    "{name} は kohyo の model.json として読み込めません: {}",
                    x.ja
                ),
                format!("{name} cannot be read as kohyo's model.json: {}", x.en),
            )
            .cause(x.cause)
            .note(
                "以前の kohyo build が出力した model.json を指定してください",
                "give a model.json written by an earlier kohyo build",
            )
        }),
    }
    out
}

/// K016: a draft folder with no file kohyo could read as a draft, and what it reads.
fn no_draft_file(path: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::K016,
        Some(Origin::file(FOLDER)),
        format!("{} に原稿のファイルがありません", path.display()),
        format!("{} holds no draft file", path.display()),
    )
    .note(
        "読み込めるのは Excel（.xlsx・.xlsm・.xls）、OpenDocument（.ods）、HTML（.html・.htm）、CSV（.csv・.tsv）とテキスト書き出し（.txt）です。名前が . や ~$ で始まるファイル、~・.swp・.swx・.tmp・.bak で終わるファイル、README は読みません",
        "kohyo reads Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods), HTML (.html, .htm), CSV (.csv, .tsv) and the text export (.txt); files whose names start with . or ~$, end with ~, .swp, .swx, .tmp or .bak, and READMEs are not read",
    )
}

/// Whether a file named as a workbook (.xlsx, .xls, .ods) turned out to be a page or text.
fn is_disguised(name: &str, format: read::Format) -> bool {
    let ext = name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    matches!(ext.as_str(), "xlsx" | "xlsm" | "xls" | "ods")
        && matches!(
            format,
            read::Format::Html | read::Format::Text | read::Format::Csv
        )
}

/// Every regular file of a folder that may be a draft source, sorted by name.
fn list_folder(dir: &Path) -> Result<Vec<(String, PathBuf)>, Diagnostic> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        let x = crate::explain::io_read(&e);
        Diagnostic::at(
            Code::K001,
            Origin::file(FOLDER),
            format!("フォルダ {} を読み込めません: {}", dir.display(), x.ja),
            format!("cannot read folder {}: {}", dir.display(), x.en),
        )
        .cause(x.cause)
    })?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_ignored_name(&name) {
            continue;
        }
        let p = entry.path();
        if p.is_file() {
            files.push((name, p));
        }
    }
    files.sort();
    Ok(files)
}

/// Order diagnostics by file, then place, then code, so output is stable.
fn sort_diagnostics(d: &mut [Diagnostic]) {
    d.sort_by(|a, b| {
        let key = |x: &Diagnostic| {
            x.origin.as_ref().map(|o| {
                (
                    o.file.clone(),
                    o.sheet.clone(),
                    o.line,
                    o.cell.as_ref().map(|c| cell_order(c)),
                    o.column,
                    o.offset,
                )
            })
        };
        key(a).cmp(&key(b)).then(a.code.cmp(&b.code))
    });
}

/// Row-major order key of an A1 reference.
fn cell_order(a1: &str) -> (u64, usize, String) {
    let letters: String = a1.chars().take_while(char::is_ascii_alphabetic).collect();
    let row: u64 = a1[letters.len()..].parse().unwrap_or(0);
    (row, letters.len(), letters)
}

impl Outcome {
    /// The diagnostics and sources with file names joined to the draft folder, as a person
    /// at the command line names them.
    pub fn display_diagnostics(&self) -> (Vec<Diagnostic>, SourceMap) {
        self.display_diagnostics_at(&self.base)
    }

    /// [`Outcome::display_diagnostics`] with the files named from `base` instead of the
    /// folder the draft was read from (the same folder, named another way).
    pub fn display_diagnostics_at(&self, base: &Path) -> (Vec<Diagnostic>, SourceMap) {
        let base = base.to_path_buf();
        let rebase = |f: &str| -> String {
            if base.as_os_str().is_empty() {
                f.to_string()
            } else if f == FOLDER {
                base.display().to_string()
            } else {
                base.join(f).display().to_string()
            }
        };
        let diags = self
            .diagnostics
            .iter()
            .cloned()
            .map(|mut d| {
                if let Some(o) = &mut d.origin {
                    o.file = rebase(&o.file);
                }
                for r in &mut d.related {
                    r.origin.file = rebase(&r.origin.file);
                }
                d
            })
            .collect();
        (diags, self.sources.rebased(&rebase))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_level_diagnostic_names_the_folder_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = read_draft(dir.path());
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
        assert_eq!(out.diagnostics[0].code, Code::K016);
        assert_eq!(out.diagnostics[0].origin, Some(Origin::file(FOLDER)));
        // As given on the command line, relative or not.
        for base in ["drafts", "a/drafts", "/tmp/drafts"] {
            let shown = Outcome {
                base: PathBuf::from(base),
                diagnostics: out.diagnostics.clone(),
                ..Default::default()
            }
            .display_diagnostics()
            .0;
            assert_eq!(
                shown[0].origin.as_ref().map(|o| o.file.as_str()),
                Some(base)
            );
        }
    }
}

//! Building a draft's outputs: read, check, write every output, publish them all at once.
//!
//! Every output is made in memory first; nothing is written unless all of them could be made.
//! They are then written into a staging folder beside the draft's output folder — a file whose
//! bytes are unchanged is hard-linked from the old folder, so its mtime stays — and the staging
//! folder is swapped with the output folder in one atomic `renameat2(RENAME_EXCHANGE)`. A
//! build that fails or is killed at any moment leaves the previous outputs complete. Files are
//! not fsynced one by one (as cargo and git do not): that protects against a crash of the
//! machine, not of kohyo, and on this machine it doubled the time of a large build.
//!
//! `manifest.json` lists every artifact (kind, path, size, sha256) and the fingerprint of what
//! the outputs were made from — the draft's files, kohyo's version and a hash of its sources
//! (`build.rs`), the fonts and the build options — so an unchanged draft is skipped.

use crate::diag::Diagnostic;
use crate::draft::{Outcome, is_ignored_name, read_draft};
use crate::write::html::{self, Download, HtmlSettings};
use crate::write::opendata::{self, CsvEncoding, catalog::Distribution};
use crate::write::pdf::{self, PdfSettings};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The name of the manifest in each draft's output folder.
pub const MANIFEST: &str = "manifest.json";

/// How a build writes its outputs.
#[derive(Clone, Copy, Debug, Default)]
pub struct BuildOptions {
    /// The CSV files' encoding (`--csv-encoding`).
    pub csv_encoding: CsvEncoding,
    /// Rebuild even when nothing changed (`--force`).
    pub force: bool,
}

/// What became of one draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The outputs were made and published.
    Built,
    /// Nothing the outputs depend on changed: they were left as they were.
    Unchanged,
    /// The draft has errors (or a file could not be written): earlier outputs were kept.
    Failed,
}

/// Time spent in each stage of one draft's build.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// Reading the files into grids.
    pub read: Duration,
    /// Normalizing into the model.
    pub normalize: Duration,
    /// The PDF.
    pub pdf: Duration,
    /// The web page.
    pub html: Duration,
    /// The open data (CSV and metadata).
    pub data: Duration,
    /// Writing and publishing the files.
    pub write: Duration,
    /// The whole build of the draft.
    pub total: Duration,
}

/// What one draft's build did.
pub struct Built {
    /// The draft's name (its folder name), used for the output folder and file names.
    pub slug: String,
    /// Built, unchanged or failed.
    pub status: Status,
    /// The draft's output folder.
    pub dir: PathBuf,
    /// The read outcome, with its diagnostics (absent when the draft was unchanged).
    pub outcome: Option<Outcome>,
    /// Diagnostics about writing the files (the writers' own are in `outcome`).
    pub errors: Vec<Diagnostic>,
    /// Time per stage.
    pub timings: Timings,
}

impl Built {
    /// Whether the build failed.
    pub fn failed(&self) -> bool {
        self.status == Status::Failed
    }
}

/// One artifact in the manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Artifact {
    /// What it is: pdf, html, csv, csvw, datapackage, dcat, ckan or model.
    pub kind: String,
    /// The path relative to the draft's output folder, with `/`.
    pub path: String,
    /// The size in bytes.
    pub size: u64,
    /// The SHA-256 of the bytes, in hex.
    pub sha256: String,
}

/// One input file in the manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    /// The file name in the draft folder.
    pub path: String,
    /// The size in bytes.
    pub size: u64,
    /// The SHA-256 of the bytes, in hex.
    pub sha256: String,
}

/// `manifest.json`: what the outputs are and what they were made from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The kohyo version that made the outputs.
    pub kohyo: String,
    /// A hash of the sources of the kohyo that made them (same version, different program).
    pub build: String,
    /// SHA-256 over everything the outputs depend on (inputs, version, fonts, options).
    pub fingerprint: String,
    /// The draft's files.
    pub inputs: Vec<Input>,
    /// Every output file, the manifest excepted.
    pub artifacts: Vec<Artifact>,
}

/// The draft folders under `root`, sorted by name (hidden folders skipped). A symbolic link is
/// followed to the folder it names; one that leads nowhere (dangling, or a loop) is listed
/// too, so building it reports why instead of skipping it in silence.
pub fn drafts_under(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        let listed = if kind.is_symlink() {
            // Followed: a folder it names, or nothing at all (a loop or a dangling link).
            std::fs::metadata(entry.path()).map_or(true, |m| m.is_dir())
        } else {
            kind.is_dir()
        };
        if listed {
            out.push(entry.path());
        }
    }
    out.sort();
    Ok(out)
}

/// The drafts `inputs` name: a draft folder or file as it is; a folder that holds no draft
/// files and no kohyo.toml but has sub-folders (a folder of drafts, like `inputs/`) opened to
/// the drafts under it, to any depth. On an error, the folder that could not be read.
pub fn expand_drafts(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
    /// How deep folders of drafts may nest (a link back up would otherwise never end).
    const DEPTH: usize = 8;
    fn expand(
        p: &Path,
        depth: usize,
        out: &mut Vec<PathBuf>,
    ) -> Result<(), (PathBuf, std::io::Error)> {
        if depth < DEPTH && is_folder_of_drafts(p).map_err(|e| (p.to_path_buf(), e))? {
            for d in drafts_under(p).map_err(|e| (p.to_path_buf(), e))? {
                expand(&d, depth + 1, out)?;
            }
        } else {
            out.push(p.to_path_buf());
        }
        Ok(())
    }
    let mut out = Vec::new();
    for i in inputs {
        expand(i, 0, &mut out)?;
    }
    Ok(out)
}

/// True for a folder with sub-folders but no file kohyo would read as a draft and no
/// kohyo.toml: it holds drafts rather than being one.
pub fn is_folder_of_drafts(p: &Path) -> std::io::Result<bool> {
    if !std::fs::metadata(p).is_ok_and(|m| m.is_dir()) {
        return Ok(false);
    }
    let mut folders = false;
    for entry in std::fs::read_dir(p)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == crate::meta::FILE_NAME {
            return Ok(false);
        }
        if name.starts_with('.') {
            continue;
        }
        // A link that leads nowhere is listed as a draft by drafts_under (to report it).
        let is_dir = match std::fs::metadata(entry.path()) {
            Ok(m) => m.is_dir(),
            Err(_) => entry.file_type().is_ok_and(|t| t.is_symlink()),
        };
        if is_dir {
            folders = true;
        } else if !crate::draft::is_ignored_name(&name) {
            return Ok(false);
        }
    }
    Ok(folders)
}

/// The name a draft's outputs are filed under: its folder (or file stem) name.
pub fn slug_of(input: &Path) -> String {
    let name = if input.is_dir() {
        input.file_name()
    } else {
        input.file_stem()
    };
    // A name is one path component already; leading dots would hide the outputs (or make
    // them collide with a staging folder), and control characters have no place in a file name.
    name.map(|n| {
        n.to_string_lossy()
            .trim_start_matches('.')
            .chars()
            .map(|c| if c.is_control() { '_' } else { c })
            .collect::<String>()
    })
    .filter(|n| !n.is_empty())
    .unwrap_or_else(|| "draft".to_string())
}

/// SHA-256 of `bytes` in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The draft's files (the folder's files but editor and lock files, or the single file).
fn input_files(input: &Path) -> Vec<(String, PathBuf)> {
    if input.is_dir() {
        let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(input)
            .map(|rd| {
                rd.flatten()
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        let keep = name == crate::meta::FILE_NAME || !is_ignored_name(&name);
                        (keep && e.path().is_file()).then(|| (name, e.path()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    } else {
        let name = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        vec![(name, input.to_path_buf())]
    }
}

/// What the outputs depend on, hashed: (fingerprint, the inputs as listed in the manifest).
fn fingerprint(input: &Path, options: BuildOptions) -> (String, Vec<Input>) {
    let mut inputs = Vec::new();
    let mut all = Sha256::new();
    // The build ID hashes kohyo's sources and the fonts compiled into it (build.rs), at
    // compile time: no 7 MB of fonts to hash on every start.
    all.update(format!(
        "kohyo {} {}\n",
        env!("CARGO_PKG_VERSION"),
        env!("KOHYO_BUILD_ID")
    ));
    all.update(format!("csv {:?}\n", options.csv_encoding));
    all.update(format!("slug {}\n", slug_of(input)));
    for (name, path) in input_files(input) {
        // An unreadable file changes the fingerprint too; the reader reports it.
        let bytes = std::fs::read(&path).unwrap_or_default();
        let hex = sha256_hex(&bytes);
        all.update(format!("{name}\0{}\0{hex}\n", bytes.len()));
        inputs.push(Input {
            path: name,
            size: bytes.len() as u64,
            sha256: hex,
        });
    }
    (hex(&all.finalize()), inputs)
}

/// The manifest in `dir`, when there is a readable one.
pub fn read_manifest(dir: &Path) -> Option<Manifest> {
    let bytes = std::fs::read(dir.join(MANIFEST)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Whether the outputs in `dir` are exactly what the manifest lists.
/// The draft's files as a manifest lists them, to tell whether outputs were made from them.
pub fn current_inputs(input: &Path) -> Vec<Input> {
    fingerprint(input, BuildOptions::default()).1
}

/// True when every artifact the manifest lists is in `dir` with its size and hash.
pub fn outputs_intact(dir: &Path, m: &Manifest) -> bool {
    m.artifacts.iter().all(|a| {
        std::fs::read(dir.join(&a.path))
            .is_ok_and(|b| b.len() as u64 == a.size && sha256_hex(&b) == a.sha256)
    })
}

/// Where the 新旧対照表 against the previous version goes in a draft's output folder.
pub const SHINKYU_DIR: &str = "shinkyu";

/// The model the 新旧対照表 compares against, kept beside it so a rebuild that changes nothing
/// in the draft keeps the table.
pub const SHINKYU_BASE: &str = "shinkyu/base.model.json";

fn kind_of(path: &str) -> &'static str {
    match path {
        SHINKYU_BASE => "shinkyu-base",
        p if p.starts_with("shinkyu/") && p.ends_with(".pdf") => "shinkyu-pdf",
        p if p.starts_with("shinkyu/") && p.ends_with(".html") => "shinkyu-html",
        p if p.starts_with("shinkyu/") && p.ends_with(".csv") => "shinkyu-csv",
        "index.html" => "html",
        "model.json" => "model",
        crate::ids::FILE => "ids",
        "datapackage.json" => "datapackage",
        "catalog/dcat.jsonld" => "dcat",
        "catalog/ckan-package.json" => "ckan",
        p if p.ends_with(".csv-metadata.json") => "csvw",
        p if p.ends_with(".csv") => "csv",
        p if p.ends_with(".pdf") => "pdf",
        _ => "other",
    }
}

/// What `kohyo check` reports on a draft: the reader's diagnostics, plus what would stop the
/// PDF (characters its font lacks) or stop or change the open data (formula-like values, and
/// for a draft folder, which is what `build` publishes, the metadata the catalogs need).
pub fn check_draft(input: &Path) -> Outcome {
    let mut outcome = read_draft(input);
    if let Some(s) = &outcome.strategy {
        let missing = pdf::check_glyphs(s);
        outcome.diagnostics.extend(missing);
        let mut open = opendata::check_values(s);
        if input.is_dir() && !outcome.toml_has_errors() {
            let toml = outcome.meta.is_some().then_some(crate::meta::FILE_NAME);
            open.extend(opendata::check_metadata(s, toml));
        }
        outcome.diagnostics.extend(open);
    }
    outcome
}

/// Build one draft into `out/<slug>/`: the PDF, the web page, the open data (CSV, CSVW,
/// datapackage.json, DCAT and CKAN records), model.json and manifest.json. Skipped when the
/// manifest says nothing changed (unless `options.force`); nothing is written unless every
/// output could be made.
pub fn build_draft(input: &Path, out: &Path, options: BuildOptions) -> Built {
    let started = Instant::now();
    let slug = slug_of(input);
    let dir = out.join(&slug);
    let mut built = Built {
        slug: slug.clone(),
        status: Status::Failed,
        dir: dir.clone(),
        outcome: None,
        errors: Vec::new(),
        timings: Timings::default(),
    };
    let (fingerprint, inputs) = fingerprint(input, options);
    if !options.force
        && let Some(m) = read_manifest(&dir)
        && m.fingerprint == fingerprint
        && outputs_intact(&dir, &m)
    {
        built.status = Status::Unchanged;
        built.timings.total = started.elapsed();
        return built;
    }

    let mut outcome = read_draft(input);
    built.timings.read = outcome.read_time;
    built.timings.normalize = outcome.normalize_time;
    let files = if outcome.has_errors() {
        None
    } else {
        outcome.strategy.clone().and_then(|mut strategy| {
            // IDs carried over from the last published version (crate::ids); the published
            // models' IDs of the old scheme are renamed first, so the 新旧対照表 shows the
            // current names too.
            let mut ledger: crate::ids::Ledger = std::fs::read(dir.join(crate::ids::FILE))
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or_default();
            let mut published = read_model(&dir.join("model.json"));
            if let Some(p) = published.as_mut() {
                crate::ids::upgrade(p, &mut ledger);
            }
            crate::ids::assign(&mut strategy, published.as_ref(), &mut ledger);
            let base = comparison_base(&dir, published, &strategy).map(|mut b| {
                crate::ids::upgrade(&mut b, &mut ledger);
                b
            });
            make_outputs(
                input,
                &strategy,
                base.as_ref(),
                &ledger,
                &slug,
                &mut outcome,
                options,
                &mut built.errors,
                &mut built.timings,
            )
        })
    };
    // The writers' diagnostics point into the draft: keep them with the reader's, so they
    // are shown with the draft's paths and source lines.
    outcome.diagnostics.append(&mut built.errors);
    built.outcome = Some(outcome);
    let Some(mut files) = files else {
        built.timings.total = started.elapsed();
        return built;
    };

    let write_started = Instant::now();
    let mut artifacts: Vec<Artifact> = files
        .iter()
        .map(|(path, bytes)| Artifact {
            kind: kind_of(path).to_string(),
            path: path.clone(),
            size: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        })
        .collect();
    artifacts.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = Manifest {
        kohyo: env!("CARGO_PKG_VERSION").to_string(),
        build: env!("KOHYO_BUILD_ID").to_string(),
        fingerprint,
        inputs,
        artifacts,
    };
    match serde_json::to_vec_pretty(&manifest) {
        Ok(mut m) => {
            m.push(b'\n');
            files.push((MANIFEST.to_string(), m));
        }
        Err(e) => {
            built.errors.push(io_error(&dir, internal(&e)));
            return built;
        }
    }
    match publish(out, &slug, &files) {
        Ok(()) => built.status = Status::Built,
        Err(e) => built
            .errors
            .push(io_error(&dir, crate::explain::io_write(&e))),
    }
    built.timings.write = write_started.elapsed();
    built.timings.total = started.elapsed();
    built
}

fn read_model(path: &Path) -> Option<crate::model::Strategy> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// The version the 新旧対照表 compares `new` against: `published` (the model of the outputs in
/// `dir`) when the draft's content changed since (places in the files aside), else the base
/// the current table was made against, so a forced rebuild or an edit that moves only lines
/// keeps it.
pub fn comparison_base(
    dir: &Path,
    published: Option<crate::model::Strategy>,
    new: &crate::model::Strategy,
) -> Option<crate::model::Strategy> {
    match published {
        Some(p) if p.without_sources() != new.without_sources() => Some(p),
        _ => read_model(&dir.join(SHINKYU_BASE)),
    }
}

/// Every output of a clean draft, in memory: (path under the output folder, bytes). The PDF
/// and the open data are made in parallel; the page needs their sizes, the catalogs the page's.
/// With a `base` that differs, the 新旧対照表 against it goes under `shinkyu/` with the base.
#[allow(clippy::too_many_arguments)]
fn make_outputs(
    input: &Path,
    strategy: &crate::model::Strategy,
    base: Option<&crate::model::Strategy>,
    ledger: &crate::ids::Ledger,
    slug: &str,
    outcome: &mut Outcome,
    options: BuildOptions,
    errors: &mut Vec<Diagnostic>,
    timings: &mut Timings,
) -> Option<Vec<(String, Vec<u8>)>> {
    let toml = outcome.meta.is_some().then_some(crate::meta::FILE_NAME);
    let mut found = opendata::check_values(strategy);
    if input.is_dir() {
        found.extend(opendata::check_metadata(strategy, toml));
    }
    let (errs, notes): (Vec<Diagnostic>, Vec<Diagnostic>) =
        found.into_iter().partition(Diagnostic::is_error);
    outcome.diagnostics.extend(notes);
    if !errs.is_empty() {
        errors.extend(errs);
        return None;
    }
    let layout = outcome.meta.as_ref().map(|m| m.pdf).unwrap_or_default();
    let ((pdf_result, pdf_time), (csv_result, csv_time)) = rayon::join(
        || {
            let t = Instant::now();
            let r = pdf::write(strategy, &PdfSettings::new(layout, strategy));
            (r, t.elapsed())
        },
        || {
            let t = Instant::now();
            let r = opendata::csv_files(strategy, slug, options.csv_encoding);
            (r, t.elapsed())
        },
    );
    timings.pdf = pdf_time;
    let pdf_bytes = match pdf_result {
        Ok(b) => b,
        Err(e) => {
            errors.extend(e.into_diagnostics());
            return None;
        }
    };
    let csvs = match csv_result {
        Ok(c) => c,
        Err(e) => {
            errors.extend(e);
            return None;
        }
    };

    let html_started = Instant::now();
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
            "shihyo" => "数値目標と重要業績評価指標（KPI）",
            "shihyo_jisseki" => "数値目標と重要業績評価指標（KPI）の実績",
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
    let comparison = base
        .map(|b| {
            let mut c = crate::compare::compare(b, strategy);
            c.name_by(
                &crate::diag::Text::new("前回の作成時", "as last built"),
                &crate::diag::Text::new("今回", "this build"),
            );
            c
        })
        .filter(|c| !c.changes.is_empty());
    let mut shinkyu: Vec<(String, Vec<u8>)> = Vec::new();
    if let (Some(cmp), Some(b)) = (&comparison, base) {
        use crate::write::shinkyu;
        let stem = format!("{SHINKYU_DIR}/{}", shinkyu::STEM);
        let settings = PdfSettings::new(layout, strategy);
        let pdf = match shinkyu::pdf::write(cmp, &settings) {
            Ok(b) => b,
            Err(e) => {
                errors.extend(e.into_diagnostics());
                return None;
            }
        };
        let csv = shinkyu::csv::bytes(cmp);
        let page = shinkyu::html::write(cmp, &shinkyu::files(&pdf, &csv));
        shinkyu.push((format!("{stem}.pdf"), pdf));
        shinkyu.push((format!("{stem}.html"), page));
        shinkyu.push((format!("{stem}.csv"), csv));
        match serde_json::to_string_pretty(b) {
            Ok(m) => shinkyu.push((SHINKYU_BASE.to_string(), (m + "\n").into_bytes())),
            Err(e) => {
                errors.push(io_error(Path::new(SHINKYU_BASE), internal(&e)));
                return None;
            }
        }
        for (label, format, (path, bytes)) in [
            ("新旧対照表", "PDF", &shinkyu[0]),
            ("新旧対照表", "HTML", &shinkyu[1]),
            ("新旧対照表", "CSV", &shinkyu[2]),
        ] {
            downloads.push(Download {
                label: format!("{label}（{}から）", crate::write::title_of(b)),
                format,
                href: path
                    .split('/')
                    .map(html::href_of)
                    .collect::<Vec<_>>()
                    .join("/"),
                bytes: bytes.len() as u64,
            });
        }
    }
    let page = html::write(strategy, &HtmlSettings { downloads });
    timings.html = html_started.elapsed();

    let data_started = Instant::now();
    let others = [
        Distribution {
            title: "計画書（PDF）".to_string(),
            description: "印刷用の表形式の計画書（タグ付き PDF）".to_string(),
            path: pdf_name.clone(),
            format: "PDF",
            media_type: "application/pdf",
            encoding: None,
            bytes: pdf_bytes.len() as u64,
            sha256: sha256_hex(&pdf_bytes),
        },
        Distribution {
            title: "計画のウェブページ（HTML）".to_string(),
            description: "見出しと箇条書き、表で読めるウェブページ".to_string(),
            path: "index.html".to_string(),
            format: "HTML",
            media_type: "text/html",
            encoding: None,
            bytes: page.len() as u64,
            sha256: sha256_hex(&page),
        },
    ];
    let metadata = opendata::metadata_files(strategy, slug, options.csv_encoding, &csvs, &others);
    let model = match serde_json::to_string_pretty(strategy) {
        Ok(m) => m + "\n",
        Err(e) => {
            errors.push(io_error(Path::new("model.json"), internal(&e)));
            return None;
        }
    };
    timings.data = csv_time + data_started.elapsed();
    let mut files: Vec<(String, Vec<u8>)> =
        vec![(pdf_name, pdf_bytes), ("index.html".to_string(), page)];
    files.extend(csvs.into_iter().map(|f| (f.path, f.bytes)));
    files.extend(metadata);
    files.push(("model.json".to_string(), model.into_bytes()));
    files.extend(shinkyu);
    files.push((crate::ids::FILE.to_string(), ledger.to_json()));
    Some(files)
}

/// K001 for an output that cannot be written, with what happened (`x`) and the library's words
/// as its cause.
fn io_error(path: &Path, x: crate::explain::Explained) -> Diagnostic {
    Diagnostic::new(
        crate::diag::Code::K001,
        None,
        format!("{} に書き込めません: {}", path.display(), x.ja),
        format!("cannot write {}: {}", path.display(), x.en),
    )
    .cause(x.cause)
}

/// An output kohyo could not put together in memory (serde_json refused it: a bug of kohyo's).
fn internal(e: &serde_json::Error) -> crate::explain::Explained {
    crate::explain::Explained::new(
        "出力を組み立てる途中で kohyo の内部のエラーが起きました",
        "kohyo failed while putting the output together",
        e,
    )
}

/// The name of a draft's staging folder in the output folder.
fn staging_name(slug: &str) -> String {
    format!(".kohyo-staging-{slug}")
}

/// Publish `files` as `out/<slug>/`, all at once: stage them in a folder beside it (unchanged
/// files hard-linked from the current folder, so their mtimes stay), then swap the staging
/// folder with the current one atomically and remove the old one. A staging folder left by a
/// killed build is removed first.
pub fn publish(out: &Path, slug: &str, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    let dir = out.join(slug);
    // One staging folder per draft, by name: what a killed build left is cleared first, and
    // no scan of the output folder is needed (that made large builds quadratic).
    let staged = out.join(staging_name(slug));
    if staged.exists() {
        std::fs::remove_dir_all(&staged)?;
    }
    std::fs::create_dir(&staged)?;
    for (name, bytes) in files {
        let target = staged.join(name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let old = dir.join(name);
        // Only a regular file is linked: a symbolic link planted in the old folder is neither
        // followed nor carried over.
        let same = std::fs::symlink_metadata(&old).is_ok_and(|m| m.file_type().is_file())
            && std::fs::read(&old).is_ok_and(|b| b == *bytes);
        if same && std::fs::hard_link(&old, &target).is_ok() {
            continue;
        }
        let mut f = std::fs::File::create(&target)?;
        f.write_all(bytes)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
    }
    if dir.exists() {
        swap(&staged, &dir)?;
        // `staged` now holds the previous outputs.
        std::fs::remove_dir_all(&staged)?;
    } else {
        std::fs::rename(&staged, &dir)?;
    }
    Ok(())
}

/// Exchange two folders atomically (Linux `renameat2(RENAME_EXCHANGE)`); elsewhere, or where
/// the file system refuses, move the old one aside and the new one in.
fn swap(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    let aside = a.with_extension("old");
    std::fs::rename(b, &aside)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&aside, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mtime(p: &Path) -> std::time::SystemTime {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .expect("mtime")
    }

    fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(n, b)| (n.to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn publishing_swaps_the_whole_folder_and_keeps_unchanged_files() {
        let out = tempfile::tempdir().expect("tempdir");
        publish(
            out.path(),
            "d",
            &files(&[("a.txt", "one"), ("sub/b.txt", "two"), ("gone.txt", "x")]),
        )
        .expect("publish");
        let a = out.path().join("d/a.txt");
        let before = mtime(&a);
        std::thread::sleep(Duration::from_millis(20));
        publish(
            out.path(),
            "d",
            &files(&[("a.txt", "one"), ("sub/b.txt", "TWO")]),
        )
        .expect("publish");
        assert_eq!(mtime(&a), before, "an unchanged file keeps its mtime");
        assert_eq!(
            std::fs::read_to_string(out.path().join("d/sub/b.txt")).expect("b"),
            "TWO"
        );
        assert!(
            !out.path().join("d/gone.txt").exists(),
            "the folder is exactly the new set"
        );
        let names: Vec<String> = std::fs::read_dir(out.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["d"], "no staging folder left");
    }

    #[test]
    fn staging_left_by_a_killed_build_is_removed() {
        let out = tempfile::tempdir().expect("tempdir");
        let stale = out.path().join(staging_name("d"));
        std::fs::create_dir_all(stale.join("x")).expect("mkdir");
        publish(out.path(), "d", &files(&[("a.txt", "one")])).expect("publish");
        assert!(!stale.exists());
        // Another draft's staging folder is not ours to remove.
        let other = out.path().join(staging_name("e"));
        std::fs::create_dir_all(&other).expect("mkdir");
        publish(out.path(), "d", &files(&[("a.txt", "one")])).expect("publish");
        assert!(other.exists());
    }

    #[test]
    fn kinds_of_artifacts() {
        assert_eq!(kind_of("x.pdf"), "pdf");
        assert_eq!(kind_of("index.html"), "html");
        assert_eq!(kind_of("data/a.csv"), "csv");
        assert_eq!(kind_of("data/a.csv-metadata.json"), "csvw");
        assert_eq!(kind_of("datapackage.json"), "datapackage");
        assert_eq!(kind_of("catalog/dcat.jsonld"), "dcat");
        assert_eq!(kind_of("catalog/ckan-package.json"), "ckan");
        assert_eq!(kind_of("model.json"), "model");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug_of(Path::new("inputs/tomakomai")), "tomakomai");
        assert_eq!(slug_of(Path::new("no/such/place")), "place");
        assert_eq!(slug_of(Path::new("x/戦略.xlsx")), "戦略");
        assert_eq!(slug_of(Path::new("x/..")), "draft");
        assert_eq!(slug_of(Path::new("x/.kohyo-staging-a")), "kohyo-staging-a");
        assert_eq!(slug_of(Path::new("x/a\nb")), "a_b");
        assert_eq!(slug_of(Path::new("/")), "draft");
    }

    #[test]
    fn sha256_is_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

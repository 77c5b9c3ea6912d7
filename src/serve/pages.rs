//! The preview's own pages: the list of drafts, and per draft four views (the diagnostics
//! with the web page, the PDF, the open data as tables, the 新旧対照表).
//!
//! Every page has the same frame: a skip link, a header naming the preview, `<main>` and a
//! footer saying that the preview is seen on this machine only. What a rebuild changes sits
//! in elements marked `data-live` (swapped in by `preview.js`), and the outputs are shown in
//! `<iframe>`s marked with the SHA-256 of the file they show (reloaded when it changes). Markup
//! goes through the web page's builder, which escapes every text and attribute value.

use super::http::View;
use super::{DraftView, Snapshot};
use crate::build::{Artifact, Status};
use crate::diag::{Diagnostic, Lang, Severity};
use crate::write::html::{Html, end_page, href_of, open_head, size_text};
use std::fmt::Write as _;
use std::path::Path;

/// The most rows of a CSV file shown as a table; the file itself has them all.
pub const MAX_ROWS: usize = 500;

fn t(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// A path of the outputs as a URL: `/out/<slug>/<path>`, each segment encoded.
fn out_href(slug: &str, path: &str) -> String {
    let mut href = format!("/out/{}", href_of(slug));
    for s in path.split('/') {
        href.push('/');
        href.push_str(&href_of(s));
    }
    href
}

/// The URL of a view of a draft.
fn view_href(slug: &str, view: View) -> String {
    format!("/drafts/{}/{}", href_of(slug), view.segment())
}

/// The start of every preview page, with `<main>` left open. `body` holds the page's
/// generation (the state it shows), the draft it is about and the ids of its frames.
fn begin(lang: Lang, title: &str, generation: u64, slug: Option<&str>, frames: &str) -> Html {
    let mut h = open_head(t(lang, "ja", "en"), title);
    h.void(
        "link",
        &[("rel", "stylesheet"), ("href", "/assets/preview.css")],
    );
    h.nl();
    h.open("script", &[("src", "/assets/preview.js"), ("defer", "")]);
    h.close();
    h.nl();
    h.close(); // head
    h.nl();
    let generation = generation.to_string();
    let mut body: Vec<(&'static str, &str)> =
        vec![("data-generation", &generation), ("data-frames", frames)];
    if let Some(s) = slug {
        body.push(("data-slug", s));
    }
    h.open("body", &body);
    h.nl();
    h.el(
        "a",
        &[("class", "skip-link"), ("href", "#main")],
        t(lang, "本文へ移動", "Skip to the content"),
    );
    h.nl();
    h.open("header", &[("class", "site")]);
    h.open("div", &[("class", "wrap")]);
    h.open("p", &[("class", "brand")]);
    h.el(
        "a",
        &[("href", "/")],
        t(lang, "kohyo プレビュー", "kohyo preview"),
    );
    h.close();
    h.close();
    h.close();
    h.nl();
    h.open("main", &[("id", "main"), ("class", "wrap")]);
    h.nl();
    h
}

/// Close `<main>`, add the footer and finish the page.
fn end(h: Html, lang: Lang) -> String {
    end_page(h, |h| {
        h.el(
            "p",
            &[],
            t(
                lang,
                "このプレビューは、kohyo serve を動かしているこのコンピューターだけで見られます（127.0.0.1）。公表されるのは出力フォルダのファイルで、このページの表示や更新の仕組みは含まれません。",
                "This preview is seen only on the computer that runs kohyo serve (127.0.0.1). What is published are the files of the output folder, without this page's display or its updates.",
            ),
        )
    })
}

/// Open `<section id>` labelled by its `<h2>` (`heading`), with `extra` attributes.
fn open_section(h: &mut Html, id: &str, extra: &[(&'static str, &str)], heading: &str) {
    let hid = format!("{id}-h");
    let mut attrs: Vec<(&'static str, &str)> = vec![("id", id), ("aria-labelledby", &hid)];
    attrs.extend_from_slice(extra);
    h.open("section", &attrs);
    h.el("h2", &[("id", &hid)], heading);
}

/// A draft's state in words.
pub fn status_text(status: Option<Status>, lang: Lang) -> &'static str {
    match status {
        None => t(lang, "作成中", "building"),
        Some(Status::Built) => t(lang, "作成済み", "built"),
        Some(Status::Unchanged) => t(lang, "変更なし", "unchanged"),
        Some(Status::Failed) => t(
            lang,
            "エラーあり（前回の出力を表示）",
            "failed (showing the last good outputs)",
        ),
    }
}

fn status_class(status: Option<Status>) -> &'static str {
    match status {
        None => "state building",
        Some(Status::Failed) => "state failed",
        _ => "state ok",
    }
}

/// 「エラー 1 件、警告 2 件、情報 0 件」.
fn counts(d: &DraftView, lang: Lang) -> String {
    crate::diag::summary_line(&d.diagnostics, lang)
        .trim_end()
        .to_owned()
}

/// `/`: the drafts with their state and counts.
pub fn start(s: &Snapshot, lang: Lang) -> String {
    let mut h = begin(
        lang,
        t(
            lang,
            "原稿の一覧｜kohyo プレビュー",
            "Drafts | kohyo preview",
        ),
        s.generation,
        None,
        "",
    );
    h.el("h1", &[], t(lang, "原稿のプレビュー", "Draft preview"));
    h.el(
        "p",
        &[],
        t(
            lang,
            "原稿のファイルを保存すると、kohyo が作り直し、この画面も自動で新しくなります。原稿を選ぶと、検査の結果と、公表されるウェブページ・PDF・オープンデータを確かめられます。",
            "When a draft's file is saved, kohyo rebuilds it and this screen follows by itself. Choose a draft to see its check results and the web page, PDF and open data that will be published.",
        ),
    );
    h.nl();
    h.open("div", &[("id", "drafts"), ("data-live", "")]);
    h.open(
        "div",
        &[
            ("class", "scroll"),
            ("tabindex", "0"),
            ("role", "region"),
            ("aria-labelledby", "drafts-caption"),
        ],
    );
    h.open("table", &[]);
    h.el(
        "caption",
        &[("id", "drafts-caption")],
        t(lang, "原稿と作成の状態", "Drafts and their state"),
    );
    h.open("thead", &[]);
    h.open("tr", &[]);
    for head in [
        t(lang, "原稿", "Draft"),
        t(lang, "状態", "State"),
        t(lang, "エラー", "Errors"),
        t(lang, "警告", "Warnings"),
        t(lang, "情報", "Notes"),
    ] {
        h.el("th", &[("scope", "col")], head);
    }
    h.close();
    h.close();
    h.open("tbody", &[]);
    for d in &s.drafts {
        h.open("tr", &[]);
        h.open("th", &[("scope", "row")]);
        let name = d.title.clone().unwrap_or_else(|| d.slug.clone());
        h.el("a", &[("href", &view_href(&d.slug, View::Page))], &name);
        h.el("span", &[("class", "path")], &d.input.display().to_string());
        h.close();
        h.el(
            "td",
            &[("class", status_class(d.status))],
            status_text(d.status, lang),
        );
        for sev in [Severity::Error, Severity::Warning, Severity::Note] {
            h.el("td", &[("class", "num")], &d.count(sev).to_string());
        }
        h.close();
    }
    h.close();
    h.close(); // table
    h.close(); // scroll
    h.close(); // #drafts
    h.nl();
    end(h, lang)
}

/// The artifacts of a draft's last good build, from its manifest.
fn artifacts(out: &Path, slug: &str) -> Vec<Artifact> {
    crate::build::read_manifest(&out.join(slug))
        .map(|m| m.artifacts)
        .unwrap_or_default()
}

/// The frames a view shows, given what the outputs hold (the page reloads whole when these
/// change, e.g. when the first good build makes them appear).
fn frames_of(view: View, files: &[Artifact]) -> Vec<(&'static str, &Artifact)> {
    let of = |kind: &str| files.iter().find(|a| a.kind == kind);
    let (id, file) = match view {
        View::Page => ("frame-page", of("html")),
        View::Pdf => ("frame-pdf", of("pdf")),
        View::Shinkyu => ("frame-shinkyu", of("shinkyu-html")),
        View::Data => return Vec::new(),
    };
    file.map(|f| vec![(id, f)]).unwrap_or_default()
}

/// `/drafts/<slug>/…`: one view of a draft, under its state and (on the first view) its
/// diagnostics.
pub fn draft(s: &Snapshot, d: &DraftView, view: View, out: &Path, lang: Lang) -> String {
    let files = artifacts(out, &d.slug);
    let frames = frames_of(view, &files);
    let frame_ids: Vec<&str> = frames.iter().map(|(id, _)| *id).collect();
    let name = d.title.clone().unwrap_or_else(|| d.slug.clone());
    let view_name = view_name(view, lang);
    let title = format!(
        "{view_name}：{name}｜{}",
        t(lang, "kohyo プレビュー", "kohyo preview")
    );
    let mut h = begin(
        lang,
        &title,
        s.generation,
        Some(&d.slug),
        &frame_ids.join(" "),
    );
    h.open(
        "nav",
        &[
            ("class", "crumbs"),
            ("aria-label", t(lang, "現在の位置", "Where you are")),
        ],
    );
    h.open("ol", &[]);
    h.open("li", &[]);
    h.el("a", &[("href", "/")], t(lang, "原稿の一覧", "Drafts"));
    h.close();
    h.el("li", &[("aria-current", "page")], &d.slug);
    h.close();
    h.close();
    h.nl();
    h.el("h1", &[], &name);
    h.nl();
    tabs(&mut h, d, view, lang);
    state(&mut h, d, view, &files, lang);
    if view == View::Page {
        diagnostics(&mut h, d, lang);
    }
    match view {
        View::Page => page_view(&mut h, d, &frames, lang),
        View::Pdf => pdf_view(&mut h, d, &files, &frames, lang),
        View::Data => data_view(&mut h, d, &files, out, lang),
        View::Shinkyu => shinkyu_view(&mut h, d, &files, &frames, lang),
    }
    end(h, lang)
}

fn view_name(view: View, lang: Lang) -> &'static str {
    match view {
        View::Page => t(lang, "検査結果とウェブページ", "Check results and web page"),
        View::Pdf => "PDF",
        View::Data => t(lang, "オープンデータ", "Open data"),
        View::Shinkyu => t(lang, "新旧対照表", "新旧対照表 (comparison)"),
    }
}

fn tabs(h: &mut Html, d: &DraftView, view: View, lang: Lang) {
    h.open(
        "nav",
        &[
            ("class", "tabs"),
            ("aria-label", t(lang, "表示する内容", "What to show")),
        ],
    );
    h.open("ul", &[]);
    for v in View::ALL {
        h.open("li", &[]);
        let href = view_href(&d.slug, v);
        if v == view {
            h.el(
                "a",
                &[("href", &href), ("aria-current", "page")],
                view_name(v, lang),
            );
        } else {
            h.el("a", &[("href", &href)], view_name(v, lang));
        }
        h.close();
    }
    h.close();
    h.close();
    h.nl();
}

/// The state of the last build: a polite live region, and when the save failed its errors,
/// above the last good outputs.
fn state(h: &mut Html, d: &DraftView, view: View, files: &[Artifact], lang: Lang) {
    let failed = d.status == Some(Status::Failed);
    let class = if failed { "banner failed" } else { "banner" };
    open_section(
        h,
        "state",
        &[("class", class), ("data-live", "")],
        &format!(
            "{}：{}",
            t(lang, "作成の状態", "Build state"),
            status_text(d.status, lang)
        ),
    );
    let mut line = String::new();
    match (d.status, lang) {
        (None, Lang::Ja) => line.push_str("原稿を読み込んでいます。作成が終わると、この画面に表示します。"),
        (None, Lang::En) => line.push_str("Reading the draft. This screen shows it when the build is done."),
        (Some(Status::Failed), Lang::Ja) => line.push_str(
            "保存された原稿にエラーがあるため、出力は作り直していません。エラーを直して保存すると、自動で作り直します。",
        ),
        (Some(Status::Failed), Lang::En) => line.push_str(
            "The saved draft has errors, so the outputs were not rebuilt. Fix them and save: it rebuilds by itself.",
        ),
        (Some(Status::Unchanged), Lang::Ja) => line.push_str("原稿の内容は、前回作成した出力と同じです（作り直す必要はありませんでした）。"),
        (Some(Status::Unchanged), Lang::En) => line.push_str("The draft is as its last outputs were made from (nothing to rebuild)."),
        (Some(Status::Built), Lang::Ja) => match d.took {
            Some(took) => {
                let _ = write!(line, "保存から {} ms で作り直しました。", took.as_millis());
            }
            None => line.push_str("出力を作りました。"),
        },
        (Some(Status::Built), Lang::En) => match d.took {
            Some(took) => {
                let _ = write!(line, "Rebuilt {} ms after the save.", took.as_millis());
            }
            None => line.push_str("The outputs are built."),
        },
    }
    if d.status.is_some() {
        line.push_str(&counts(d, lang));
        line.push_str(t(lang, "。", "."));
    }
    h.el("p", &[("aria-live", "polite")], &line);
    if failed {
        if files.is_empty() {
            h.el(
                "p",
                &[],
                t(
                    lang,
                    "まだ正しく作成できた出力がありません。",
                    "There are no good outputs yet.",
                ),
            );
        } else {
            h.el(
                "p",
                &[],
                t(
                    lang,
                    "下に表示しているのは、前回正しく作成できた出力です。",
                    "Below are the last good outputs.",
                ),
            );
        }
        if view != View::Page {
            // The errors here too: the first view lists every diagnostic under this.
            let errors: Vec<usize> = (0..d.diagnostics.len())
                .filter(|i| d.diagnostics[*i].is_error())
                .collect();
            diag_list(h, d, &errors, false, lang);
        }
    }
    h.close();
    h.nl();
}

/// Every diagnostic, as `kohyo check` prints it, each with a link to its item on the page.
fn diagnostics(h: &mut Html, d: &DraftView, lang: Lang) {
    open_section(
        h,
        "diagnostics",
        &[("data-live", "")],
        t(
            lang,
            "検査の結果（kohyo check）",
            "Check results (kohyo check)",
        ),
    );
    if d.status.is_none() {
        h.el("p", &[], t(lang, "作成中です。", "Building."));
    } else if d.diagnostics.is_empty() {
        h.el(
            "p",
            &[],
            t(lang, "問題は見つかりませんでした。", "No problems found."),
        );
    } else {
        h.el("p", &[], &counts(d, lang));
        let all: Vec<usize> = (0..d.diagnostics.len()).collect();
        diag_list(h, d, &all, true, lang);
    }
    h.close();
    h.nl();
}

/// The diagnostics `which`: each a heading (its first line) and the rest of what `check`
/// prints, with, when `linked`, a link that shows its item in the page's frame.
fn diag_list(h: &mut Html, d: &DraftView, which: &[usize], linked: bool, lang: Lang) {
    h.open("ol", &[("class", "diags")]);
    for &i in which {
        let diag: &Diagnostic = &d.diagnostics[i];
        let class = match diag.severity {
            Severity::Error => "diag error",
            Severity::Warning => "diag warning",
            Severity::Note => "diag note",
        };
        let id = format!("d{}", i + 1);
        h.open("li", &[("class", class), ("id", &id)]);
        // Carets under Japanese text line up in a CJK monospace font, which draws the
        // ambiguous characters (“ ① ※) two columns wide.
        let text = crate::diag::render_one(diag, &d.sources, lang, false, lang == Lang::Ja);
        let text = text.trim_end();
        let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
        h.el("h3", &[], first);
        if !rest.trim().is_empty() {
            h.el("pre", &[("tabindex", "0")], rest.trim_end());
        }
        if linked && let Some(Some(a)) = d.links.get(i) {
            h.open("p", &[("class", "at")]);
            h.el(
                "a",
                &[
                    (
                        "href",
                        &format!("{}#{}", out_href(&d.slug, "index.html"), a.id),
                    ),
                    ("target", "page"),
                    ("data-show", "frame-page"),
                ],
                &format!(
                    "{}{}",
                    t(lang, "ページで見る：", "Show on the page: "),
                    a.label
                ),
            );
            h.close();
        }
        h.close();
    }
    h.close();
}

/// An output in a frame, marked with its version, with a line of links above it.
fn frame(h: &mut Html, slug: &str, id: &str, name: &'static str, file: &Artifact, title: &str) {
    let version = &file.sha256[..file.sha256.len().min(16)];
    let src = format!("{}?v={version}", out_href(slug, &file.path));
    h.open("div", &[("class", "frame")]);
    h.open(
        "iframe",
        &[
            ("id", id),
            ("name", name),
            ("title", title),
            ("src", &src),
            ("data-version", &file.sha256),
        ],
    );
    h.close();
    h.close();
    h.nl();
}

fn no_outputs(h: &mut Html, lang: Lang) {
    h.el(
        "p",
        &[("class", "none")],
        t(
            lang,
            "まだ出力がありません。原稿のエラーを直して保存すると、ここに表示します。",
            "No outputs yet. Fix the draft's errors and save: they appear here.",
        ),
    );
}

fn page_view(h: &mut Html, d: &DraftView, frames: &[(&str, &Artifact)], lang: Lang) {
    open_section(
        h,
        "page-view",
        &[],
        t(lang, "公表されるウェブページ", "The web page as published"),
    );
    match frames.first() {
        Some((id, file)) => {
            h.open("p", &[]);
            h.el(
                "a",
                &[("href", &out_href(&d.slug, &file.path))],
                t(lang, "ウェブページだけを開く", "Open the web page alone"),
            );
            h.close();
            let title = format!(
                "{}：{}",
                t(lang, "公表されるウェブページ", "Web page"),
                d.title.as_deref().unwrap_or(&d.slug)
            );
            frame(h, &d.slug, id, "page", file, &title);
        }
        None => no_outputs(h, lang),
    }
    h.close();
    h.nl();
}

fn download(h: &mut Html, slug: &str, file: &Artifact, label: &str) {
    h.el(
        "a",
        &[("href", &out_href(slug, &file.path)), ("download", "")],
        &format!("{label}（{}）", size_text(file.size)),
    );
}

fn pdf_view(
    h: &mut Html,
    d: &DraftView,
    files: &[Artifact],
    frames: &[(&str, &Artifact)],
    lang: Lang,
) {
    open_section(h, "pdf-view", &[], t(lang, "印刷用の PDF", "The print PDF"));
    match files.iter().find(|a| a.kind == "pdf") {
        Some(file) => {
            h.open("p", &[("id", "pdf-links"), ("data-live", "")]);
            download(
                h,
                &d.slug,
                file,
                &format!("{} PDF", t(lang, "ダウンロード:", "Download:")),
            );
            h.close();
            if let Some((id, file)) = frames.first() {
                let title = format!("PDF：{}", d.title.as_deref().unwrap_or(&d.slug));
                frame(h, &d.slug, id, "pdf", file, &title);
            }
        }
        None => no_outputs(h, lang),
    }
    h.close();
    h.nl();
}

fn shinkyu_view(
    h: &mut Html,
    d: &DraftView,
    files: &[Artifact],
    frames: &[(&str, &Artifact)],
    lang: Lang,
) {
    open_section(
        h,
        "shinkyu-view",
        &[],
        t(
            lang,
            "前回の作成との新旧対照表",
            "新旧対照表 against the last build",
        ),
    );
    match frames.first() {
        Some((id, file)) => {
            h.open("p", &[("id", "shinkyu-links"), ("data-live", "")]);
            for (kind, label) in [("shinkyu-pdf", "PDF"), ("shinkyu-csv", "CSV")] {
                if let Some(f) = files.iter().find(|a| a.kind == kind) {
                    download(
                        h,
                        &d.slug,
                        f,
                        &format!("{} {label}", t(lang, "ダウンロード:", "Download:")),
                    );
                    h.text(" ");
                }
            }
            h.close();
            frame(
                h,
                &d.slug,
                id,
                "shinkyu",
                file,
                t(lang, "新旧対照表", "新旧対照表 (comparison)"),
            );
        }
        None => {
            h.el(
                "p",
                &[("class", "none")],
                t(
                    lang,
                    "新旧対照表はまだありません。原稿の内容を変えて保存すると、前回の作成と比べた新旧対照表をここに表示します。",
                    "No 新旧対照表 yet. When a saved change alters the draft's content, the comparison with the last build appears here.",
                ),
            );
        }
    }
    h.close();
    h.nl();
}

/// The open data: each CSV file as a table (its first [`MAX_ROWS`] rows), with its files.
fn data_view(h: &mut Html, d: &DraftView, files: &[Artifact], out: &Path, lang: Lang) {
    h.open("div", &[("id", "data"), ("data-live", "")]);
    let csvs: Vec<&Artifact> = files.iter().filter(|a| a.kind == "csv").collect();
    if csvs.is_empty() {
        no_outputs(h, lang);
    }
    let dir = out.join(&d.slug);
    for (n, csv) in csvs.iter().enumerate() {
        let meta_path = format!("{}-metadata.json", csv.path);
        let meta = files.iter().find(|a| a.path == meta_path);
        let title = meta
            .and_then(|m| std::fs::read(dir.join(&m.path)).ok())
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|v| v["dc:title"].as_str().map(str::to_owned));
        let id = format!("csv-{}", n + 1);
        let file_name = csv.path.rsplit('/').next().unwrap_or(&csv.path);
        open_section(h, &id, &[], title.as_deref().unwrap_or(file_name));
        h.open("p", &[]);
        download(
            h,
            &d.slug,
            csv,
            &format!("{} {file_name}", t(lang, "ダウンロード:", "Download:")),
        );
        if let Some(m) = meta {
            h.text(" ");
            download(
                h,
                &d.slug,
                m,
                t(lang, "メタデータ（CSVW）", "Metadata (CSVW)"),
            );
        }
        h.close();
        match std::fs::read(dir.join(&csv.path)) {
            Ok(bytes) => csv_table(h, &bytes, &format!("{id}-t"), file_name, lang),
            Err(_) => no_outputs(h, lang),
        }
        h.close();
        h.nl();
    }
    let others: Vec<&Artifact> = files
        .iter()
        .filter(|a| matches!(a.kind.as_str(), "datapackage" | "dcat" | "ckan" | "model"))
        .collect();
    if !others.is_empty() {
        open_section(
            h,
            "meta",
            &[],
            t(lang, "カタログ用のメタデータ", "Metadata for the catalogs"),
        );
        h.open("ul", &[]);
        for a in others {
            h.open("li", &[]);
            h.el("a", &[("href", &out_href(&d.slug, &a.path))], &a.path);
            h.text(&format!("（{}）", size_text(a.size)));
            h.close();
        }
        h.close();
        h.close();
    }
    h.close();
    h.nl();
}

/// A CSV file's text: UTF-8 (with or without its byte order mark), else CP932.
fn csv_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned(),
    }
}

fn csv_table(h: &mut Html, bytes: &[u8], id: &str, file_name: &str, lang: Lang) {
    let text = csv_text(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .filter_map(Result::ok)
        .map(|r| r.iter().map(str::to_owned).collect())
        .collect();
    let Some((head, body)) = rows.split_first() else {
        h.el(
            "p",
            &[("class", "none")],
            t(lang, "（空のファイル）", "(empty file)"),
        );
        return;
    };
    let shown = body.len().min(MAX_ROWS);
    let caption = match lang {
        Lang::Ja if shown < body.len() => {
            format!("{file_name}（全 {} 行のうち先頭の {shown} 行）", body.len())
        }
        Lang::Ja => format!("{file_name}（{} 行）", body.len()),
        Lang::En if shown < body.len() => {
            format!("{file_name} (the first {shown} of {} rows)", body.len())
        }
        Lang::En => format!("{file_name} ({} rows)", body.len()),
    };
    h.open(
        "div",
        &[
            ("class", "scroll"),
            ("tabindex", "0"),
            ("role", "region"),
            ("aria-labelledby", id),
        ],
    );
    h.open("table", &[("class", "csv")]);
    h.el("caption", &[("id", id)], &caption);
    h.open("thead", &[]);
    h.open("tr", &[]);
    for c in head {
        h.el("th", &[("scope", "col")], c);
    }
    h.close();
    h.close();
    h.open("tbody", &[]);
    for row in &body[..shown] {
        h.open("tr", &[]);
        for c in row {
            h.el("td", &[], c);
        }
        h.close();
    }
    h.close();
    h.close();
    h.close();
}

/// Why a request got no page.
#[derive(Clone, Copy, Debug)]
pub enum Problem {
    /// Nothing at this address.
    NotFound,
    /// The path tries to leave the outputs.
    Refused,
    /// The request came by another name than this machine's.
    Host,
    /// Not GET or HEAD.
    Method,
}

/// The page of a refused or unknown request.
pub fn problem(lang: Lang, p: Problem) -> String {
    let (title, text) = match p {
        Problem::NotFound => (
            t(lang, "ページがありません", "No such page"),
            t(
                lang,
                "このアドレスには何もありません。",
                "There is nothing at this address.",
            ),
        ),
        Problem::Refused => (
            t(lang, "このアドレスは開けません", "This address is refused"),
            t(
                lang,
                "プレビューが見せるのは出力フォルダのファイルだけです。",
                "The preview shows only the files of the output folder.",
            ),
        ),
        Problem::Host => (
            t(
                lang,
                "このアドレスでは開けません",
                "Not served under this name",
            ),
            t(
                lang,
                "プレビューは、このコンピューターの 127.0.0.1 か localhost で開いてください。",
                "Open the preview as 127.0.0.1 or localhost on this computer.",
            ),
        ),
        Problem::Method => (
            t(lang, "この操作はできません", "Not allowed"),
            t(
                lang,
                "プレビューは表示するだけです。",
                "The preview only shows.",
            ),
        ),
    };
    let mut h = begin(lang, &format!("{title}｜kohyo プレビュー"), 0, None, "");
    h.el("h1", &[], title);
    h.el("p", &[], text);
    h.open("p", &[]);
    h.el(
        "a",
        &[("href", "/")],
        t(lang, "原稿の一覧へ", "To the drafts"),
    );
    h.close();
    end(h, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_become_encoded_links() {
        assert_eq!(
            out_href("苫小牧 #2", "data/a b.csv"),
            "/out/%E8%8B%AB%E5%B0%8F%E7%89%A7%20%232/data/a%20b.csv"
        );
        assert_eq!(
            super::super::http::route(&out_href("苫小牧 #2", "data/a b.csv")),
            super::super::http::Route::Out("苫小牧 #2".into(), "data/a b.csv".into())
        );
    }

    #[test]
    fn a_cp932_csv_reads_as_its_text() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("基本目標,施策\r\n1,雇用\r\n");
        assert_eq!(csv_text(&bytes), "基本目標,施策\r\n1,雇用\r\n");
        assert_eq!(csv_text("\u{feff}a,b".as_bytes()), "a,b");
    }

    #[test]
    fn a_long_csv_is_cut_and_says_so() {
        let mut csv = String::from("a,b\n");
        for i in 0..MAX_ROWS + 5 {
            csv.push_str(&format!("{i},<x>\n"));
        }
        let mut h = Html::new();
        csv_table(&mut h, csv.as_bytes(), "t", "f.csv", Lang::Ja);
        let out = h.finish();
        assert!(out.contains(&format!("全 {} 行のうち先頭の {MAX_ROWS} 行", MAX_ROWS + 5)));
        assert_eq!(out.matches("<tr>").count(), MAX_ROWS + 1);
        assert!(out.contains("&lt;x&gt;") && !out.contains("<x>"));
    }
}

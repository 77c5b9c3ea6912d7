//! `kohyo publish`: release a built draft's open data to a CKAN catalog.
//!
//! For each draft it reads what `kohyo build` wrote (the manifest and
//! `catalog/ckan-package.json`, the exact fields it sends), asks the catalog what it holds
//! (`package_show`), and does only what differs ([`plan`]): creates the dataset or patches
//! the fields that changed, creates, patches or uploads one resource per file, keeping each
//! resource's id; a file whose SHA-256 matches the catalog's `hash` is not sent again.
//! Resources kohyo no longer publishes are removed only with `--prune`. Nothing local is
//! written, so a failed publish leaves the outputs as they were; the next publish finishes
//! what one cut short.

pub mod client;
mod errors;
pub mod plan;

use crate::build::{self, Manifest};
use crate::diag::{Code, Diagnostic, Lang, SourceMap};
use crate::meta::{self, CatalogSettings};
use crate::write::opendata::catalog::file_name;
use client::{Client, Failure, Retry, Secret};
use errors::Call;
use plan::{Local, Step};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The file in a draft's output folder holding the payload publish sends.
pub const PAYLOAD: &str = "catalog/ckan-package.json";

/// How `kohyo publish` runs.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The catalog's root URL, over kohyo.toml's `[catalog] url`.
    pub to: Option<String>,
    /// Only say what would be done: read from the catalog, change nothing.
    pub dry_run: bool,
    /// Remove resources kohyo no longer publishes.
    pub prune: bool,
}

/// One step of a draft's publish, with what it concerns and whether it was carried out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Done {
    /// The step.
    pub step: Step,
    /// The dataset's name or the resource's file name (or catalog name).
    pub subject: String,
    /// True once the catalog confirmed it (always false in a dry run).
    pub done: bool,
}

/// What became of one draft.
#[derive(Debug, Default)]
pub struct Published {
    /// The draft's output folder name.
    pub slug: String,
    /// The dataset's page in the catalog, once known.
    pub dataset_url: Option<String>,
    /// The steps, in the order they were (or would be) carried out.
    pub steps: Vec<Done>,
    /// What went wrong, located where it can be.
    pub diagnostics: Vec<Diagnostic>,
    /// The texts the diagnostics point into (kohyo.toml, the payload).
    pub sources: SourceMap,
}

impl Published {
    /// True when the draft was not (fully) published.
    pub fn failed(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// True when the catalog was changed.
    pub fn changed(&self) -> bool {
        self.steps.iter().any(|d| d.done && d.step.changes())
    }
}

/// Everything a publish of one draft needs, gathered before the first call.
struct Job {
    site: String,
    org: String,
    local: Local,
    /// Where each resource's file is, by index.
    files: Vec<PathBuf>,
    payload_file: String,
    token: Option<Secret>,
}

/// Publish the draft in `input`, built into `out/<draft>/`.
pub fn publish_draft(input: &Path, out: &Path, options: &Options) -> Published {
    let slug = build::slug_of(input);
    let mut p = Published {
        slug: slug.clone(),
        ..Default::default()
    };
    let dir = out.join(&slug);
    let job = match prepare(input, &dir, options, &mut p) {
        Some(j) => j,
        None => return p,
    };
    let client = Client::new(&job.site, job.token.clone(), Retry::default());
    run(&client, &job, options, &mut p);
    p
}

/// Read the settings, the outputs and the token; every problem becomes a diagnostic.
fn prepare(input: &Path, dir: &Path, options: &Options, p: &mut Published) -> Option<Job> {
    let toml_path = input.join(meta::FILE_NAME).display().to_string();
    let mut sources = SourceMap::default();
    let (meta, mut diags) = meta::load(input, &mut sources);
    for d in &mut diags {
        if let Some(o) = &mut d.origin
            && o.file == meta::FILE_NAME
        {
            o.file = toml_path.clone();
        }
    }
    p.sources
        .extend(sources.rebased(&|f| input.join(f).display().to_string()));
    if diags.iter().any(Diagnostic::is_error) {
        p.diagnostics = diags;
        return None;
    }
    let Some(settings) = meta.and_then(|m| m.catalog) else {
        p.diagnostics.push(errors::no_catalog(&toml_path, input));
        return None;
    };
    let site = match options.to.as_deref().map(meta::check_catalog_url) {
        Some(Ok(u)) => u,
        Some(Err((ja, en))) => {
            let to = options.to.clone().unwrap_or_default();
            p.diagnostics.push(Diagnostic::new(
                Code::K130,
                None,
                format!("--to「{to}」はカタログの URL として使えません（{ja}）"),
                format!("--to \"{to}\" is not a usable catalog URL ({en})"),
            ));
            return None;
        }
        None => match &settings.url {
            Some(u) => u.clone(),
            None => {
                p.diagnostics.push(errors::no_url(&toml_path));
                return None;
            }
        },
    };
    let manifest = current_outputs(input, dir, &mut p.diagnostics)?;
    let payload_path = dir.join(PAYLOAD);
    let payload_file = payload_path.display().to_string();
    let text = match std::fs::read_to_string(&payload_path) {
        Ok(t) => t,
        Err(_) => {
            p.diagnostics.push(errors::stale(
                &payload_file,
                "がありません",
                "is missing",
                input,
            ));
            return None;
        }
    };
    let local = serde_json::from_str::<Value>(&text)
        .ok()
        .as_ref()
        .and_then(Local::from_payload);
    p.sources.add_text(&payload_file, text);
    let Some(local) = local else {
        p.diagnostics.push(errors::stale(
            &payload_file,
            "が CKAN の項目として読めません",
            "is not a CKAN payload",
            input,
        ));
        return None;
    };
    let org = settings.record.organization.clone();
    if local.dataset.get("owner_org").and_then(Value::as_str) != Some(org.as_str()) {
        p.diagnostics.push(errors::stale(
            &payload_file,
            "の組織（owner_org）が kohyo.toml と違います",
            "names another organization (owner_org) than kohyo.toml",
            input,
        ));
        return None;
    }
    let mut files = Vec::new();
    for r in &local.resources {
        let artifact = manifest
            .artifacts
            .iter()
            .find(|a| file_name(&a.path) == r.file && a.kind != "csvw");
        let hash = r.fields.get("hash").and_then(Value::as_str);
        match artifact {
            Some(a) if hash == Some(a.sha256.as_str()) => files.push(dir.join(&a.path)),
            _ => {
                p.diagnostics.push(errors::stale(
                    &payload_file,
                    &format!("の {} が出力のファイルと合いません", r.file),
                    &format!("does not match the output file {}", r.file),
                    input,
                ));
                return None;
            }
        }
    }
    let token = match token(&settings, input) {
        Ok(t) => t,
        Err(d) => {
            p.diagnostics.push(*d);
            return None;
        }
    };
    if token.is_none() && !options.dry_run {
        p.diagnostics
            .push(errors::no_token(&settings, &toml_path, &site));
        return None;
    }
    p.dataset_url = Some(format!("{site}dataset/{}", local.name()));
    Some(Job {
        site,
        org,
        local,
        files,
        payload_file,
        token,
    })
}

/// The manifest of outputs made from the draft as it is now, untouched since; else K138.
fn current_outputs(input: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Option<Manifest> {
    let folder = dir.display().to_string();
    let Some(m) = build::read_manifest(dir) else {
        diags.push(errors::stale(
            &folder,
            "に出力がありません",
            "holds no outputs",
            input,
        ));
        return None;
    };
    if m.inputs != build::current_inputs(input) {
        diags.push(errors::stale(
            &folder,
            "の出力は原稿が変わる前に作られたものです",
            "holds outputs made before the draft last changed",
            input,
        ));
        return None;
    }
    if !build::outputs_intact(dir, &m) {
        diags.push(errors::stale(
            &folder,
            "の出力がビルドの後に書き換えられています",
            "holds outputs changed since they were built",
            input,
        ));
        return None;
    }
    Some(m)
}

/// The API token: the environment variable, else the token file; none when neither is set.
fn token(settings: &CatalogSettings, input: &Path) -> Result<Option<Secret>, Box<Diagnostic>> {
    if let Ok(v) = std::env::var(&settings.token_env)
        && let Some(s) = Secret::new(&v)
    {
        return Ok(Some(s));
    }
    let Some(file) = &settings.token_file else {
        return Ok(None);
    };
    let path = input.join(file);
    match std::fs::read_to_string(&path) {
        Ok(t) => match Secret::new(&t) {
            Some(s) => Ok(Some(s)),
            None => Err(Box::new(errors::token_file(&path, "が空です", "is empty"))),
        },
        Err(_) => Err(Box::new(errors::token_file(
            &path,
            "を読めません",
            "cannot be read",
        ))),
    }
}

/// Ask, plan and (unless a dry run) carry out.
fn run(client: &Client, job: &Job, options: &Options, p: &mut Published) {
    let ctx = errors::Context {
        site: &job.site,
        org: &job.org,
        dataset: job.local.name(),
        payload: &job.payload_file,
        local: &job.local,
    };
    let fail = |p: &mut Published, f: &Failure, call: Call| {
        p.diagnostics.push(errors::diagnose(f, call, &ctx));
    };
    match client.show("organization_show", &[("id", &job.org)]) {
        Ok(_) => {}
        Err(f) => return fail(p, &f, Call::Organization),
    }
    if let Err(d) = check_license(client, &ctx) {
        p.diagnostics.push(*d);
        return;
    }
    if job.token.is_some()
        && let Err(d) = check_rights(client, &ctx)
    {
        p.diagnostics.push(*d);
        return;
    }
    let remote = match show_dataset(client, &ctx) {
        Ok(r) => r,
        Err(d) => {
            p.diagnostics.push(*d);
            return;
        }
    };
    let steps = plan::plan(&job.local, remote.as_ref(), options.prune);
    p.steps = steps
        .into_iter()
        .map(|step| Done {
            subject: subject(&step, &job.local),
            step,
            done: false,
        })
        .collect();
    if options.dry_run {
        return;
    }
    for i in 0..p.steps.len() {
        let step = p.steps[i].step.clone();
        match carry_out(client, job, &ctx, &step) {
            Ok(()) => p.steps[i].done = true,
            Err(d) => {
                p.diagnostics.push(*d);
                return;
            }
        }
    }
}

fn subject(step: &Step, local: &Local) -> String {
    match step {
        Step::CreateDataset | Step::UpdateDataset { .. } | Step::KeepDataset | Step::Reorder => {
            local.name().to_string()
        }
        Step::CreateResource { index }
        | Step::UpdateResource { index, .. }
        | Step::KeepResource { index, .. } => local.resources[*index].file.clone(),
        Step::Unlisted { name, .. } => name.clone(),
    }
}

/// The catalog's licence list must hold the payload's `license_id` (CKAN itself does not
/// check it, and a portal's list may differ from CKAN's default).
fn check_license(client: &Client, ctx: &errors::Context) -> Result<(), Box<Diagnostic>> {
    let id = ctx
        .local
        .dataset
        .get("license_id")
        .and_then(Value::as_str)
        .unwrap_or("");
    let list = client
        .show("license_list", &[])
        .map_err(|f| Box::new(errors::diagnose(&f, Call::Licenses, ctx)))?;
    let licenses = list.as_array().cloned().unwrap_or_default();
    if licenses.is_empty()
        || licenses
            .iter()
            .any(|l| l.get("id").and_then(Value::as_str) == Some(id))
    {
        return Ok(());
    }
    Err(Box::new(errors::license(id, &licenses, ctx)))
}

/// The token's user may create datasets in the organization (`organization_list_for_user`);
/// an empty list means the catalog did not recognise the token.
fn check_rights(client: &Client, ctx: &errors::Context) -> Result<(), Box<Diagnostic>> {
    let orgs = client
        .show(
            "organization_list_for_user",
            &[("permission", "create_dataset")],
        )
        .map_err(|f| Box::new(errors::diagnose(&f, Call::Rights, ctx)))?;
    let names: Vec<String> = orgs
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|o| o.get("name").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if names.iter().any(|n| n == ctx.org) {
        Ok(())
    } else {
        Err(Box::new(errors::no_rights(&names, ctx)))
    }
}

/// The catalog's dataset of this name, if any, when it is this organization's.
fn show_dataset(client: &Client, ctx: &errors::Context) -> Result<Option<Value>, Box<Diagnostic>> {
    match client.show("package_show", &[("id", ctx.dataset)]) {
        Ok(v) => {
            let owner = v
                .get("organization")
                .and_then(|o| o.get("name"))
                .and_then(Value::as_str)
                .unwrap_or("");
            if owner == ctx.org {
                Ok(Some(v))
            } else {
                Err(Box::new(errors::name_taken(Some(owner), ctx)))
            }
        }
        Err(Failure::Refused { status: 404, .. }) => Ok(None),
        Err(Failure::Refused { status: 403, .. }) => Err(Box::new(errors::name_taken(None, ctx))),
        Err(f) => Err(Box::new(errors::diagnose(&f, Call::Show, ctx))),
    }
}

/// A field's value as a multipart text part.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The fields of resource `index` to send, `only` those named when given; for a stored file
/// the catalog sets `url`, `url_type` and `size` from the upload itself.
fn resource_fields(job: &Job, index: usize, only: Option<&[String]>) -> Vec<(String, Value)> {
    let r = &job.local.resources[index];
    r.fields
        .iter()
        .filter(|(k, _)| !(r.upload && matches!(k.as_str(), "url" | "url_type" | "size")))
        .filter(|(k, _)| only.is_none_or(|o| o.iter().any(|f| f == *k)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn carry_out(
    client: &Client,
    job: &Job,
    ctx: &errors::Context,
    step: &Step,
) -> Result<(), Box<Diagnostic>> {
    let err = |f: Failure, call: Call| Box::new(errors::diagnose(&f, call, ctx));
    let name = job.local.name();
    match step {
        Step::KeepDataset | Step::KeepResource { .. } | Step::Unlisted { remove: false, .. } => {
            Ok(())
        }
        Step::CreateDataset => {
            let body = Value::Object(job.local.dataset.clone());
            create_checked(
                || client.post("package_create", &body, false),
                || match client.show("package_show", &[("id", name)]) {
                    Ok(_) => Ok(true),
                    Err(Failure::Refused { status: 404, .. }) => Ok(false),
                    Err(f) => Err(f),
                },
            )
            .map_err(|f| err(f, Call::Create))
        }
        Step::UpdateDataset { fields } => {
            let mut body = serde_json::Map::new();
            body.insert("id".into(), json!(name));
            for f in fields {
                match f.as_str() {
                    "state" => body.insert("state".into(), json!("active")),
                    _ => body.insert(f.clone(), job.local.dataset[f].clone()),
                };
            }
            client
                .post("package_patch", &Value::Object(body), true)
                .map(|_| ())
                .map_err(|f| err(f, Call::Update))
        }
        Step::CreateResource { index } => {
            let r = &job.local.resources[*index];
            let hash = r.fields.get("hash").cloned().unwrap_or(Value::Null);
            let created = create_checked(
                || {
                    send_resource(
                        client,
                        job,
                        *index,
                        "resource_create",
                        ("package_id", name),
                        None,
                        r.upload,
                    )
                },
                // Did the create happen? Look for the file in the catalog's dataset; the hash
                // arrives with the upload in one request, so a matching hash means all of it.
                || match client.show("package_show", &[("id", name)]) {
                    Ok(v) => Ok(v["resources"].as_array().is_some_and(|rs| {
                        rs.iter().any(|x| {
                            x.get("url").and_then(Value::as_str).map(file_name) == Some(&r.file)
                                && x.get("hash") == Some(&hash)
                        })
                    })),
                    Err(f) => Err(f),
                },
            );
            created.map_err(|f| err(f, Call::Resource(r.file.clone())))
        }
        Step::UpdateResource {
            index,
            id,
            upload,
            fields,
        } => {
            let r = &job.local.resources[*index];
            send_resource(
                client,
                job,
                *index,
                "resource_patch",
                ("id", id),
                if *upload { None } else { Some(fields) },
                *upload,
            )
            .map(|_| ())
            .map_err(|f| err(f, Call::Resource(r.file.clone())))
        }
        Step::Unlisted {
            id, remove: true, ..
        } => match client.post("resource_delete", &json!({ "id": id }), true) {
            Ok(_) | Err(Failure::Refused { status: 404, .. }) => Ok(()),
            Err(f) => Err(err(f, Call::Prune)),
        },
        Step::Reorder => {
            let v = client
                .show("package_show", &[("id", name)])
                .map_err(|f| err(f, Call::Show))?;
            let remote: Vec<(String, String)> = v["resources"]
                .as_array()
                .map(|rs| {
                    rs.iter()
                        .map(|x| {
                            (
                                x["id"].as_str().unwrap_or("").to_string(),
                                x["url"].as_str().map(file_name).unwrap_or("").to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut order: Vec<String> = Vec::new();
            for r in &job.local.resources {
                if let Some((id, _)) = remote
                    .iter()
                    .find(|(id, f)| *f == r.file && !order.contains(id))
                {
                    order.push(id.clone());
                }
            }
            for (id, _) in &remote {
                if !order.contains(id) {
                    order.push(id.clone());
                }
            }
            client
                .post(
                    "package_resource_reorder",
                    &json!({ "id": name, "order": order }),
                    true,
                )
                .map(|_| ())
                .map_err(|f| err(f, Call::Update))
        }
    }
}

/// `resource_create` or `resource_patch` for resource `index`, `key` naming the dataset or
/// the resource, with the file when it is stored in the catalog and `upload` is set.
fn send_resource(
    client: &Client,
    job: &Job,
    index: usize,
    action: &str,
    key: (&str, &str),
    only: Option<&[String]>,
    upload: bool,
) -> Result<Value, Failure> {
    let r = &job.local.resources[index];
    let repeatable = action == "resource_patch";
    let fields = resource_fields(job, index, only);
    if r.upload && upload {
        let mut parts = vec![(key.0.to_string(), key.1.to_string())];
        parts.extend(fields.iter().map(|(k, v)| (k.clone(), text_of(v))));
        let mime = r
            .fields
            .get("mimetype")
            .and_then(Value::as_str)
            .unwrap_or("application/octet-stream");
        client.post_file(action, &parts, &job.files[index], &r.file, mime, repeatable)
    } else {
        let mut body = serde_json::Map::new();
        body.insert(key.0.into(), json!(key.1));
        body.extend(fields);
        client.post(action, &Value::Object(body), repeatable)
    }
}

/// Run a create that must not be repeated blindly: when it fails for want of an answer or on
/// a server error, `happened` asks the catalog whether it took effect; only when it did not is
/// the create tried again.
fn create_checked(
    mut create: impl FnMut() -> Result<Value, Failure>,
    mut happened: impl FnMut() -> Result<bool, Failure>,
) -> Result<(), Failure> {
    let retry = Retry::default();
    let mut wait = retry.first_wait;
    let mut tries = 1;
    loop {
        match create() {
            Ok(_) => return Ok(()),
            Err(f) if f.transient() && tries < retry.attempts => {
                std::thread::sleep(wait);
                wait *= 2;
                tries += 1;
                // `happened` is itself a show, retried inside the client.
                if happened()? {
                    return Ok(());
                }
            }
            Err(f) => return Err(f),
        }
    }
}

/// The text `kohyo publish` prints for one draft: what was (or would be) done, step by step.
pub fn render(p: &Published, lang: Lang, dry_run: bool) -> String {
    let mut out = String::new();
    let en = lang == Lang::En;
    match &p.dataset_url {
        Some(u) => out.push_str(&format!("{}: {u}\n", p.slug)),
        None => out.push_str(&format!("{}:\n", p.slug)),
    }
    for d in &p.steps {
        let (ja, en_text) = describe(&d.step, dry_run || !d.done);
        let what = if en { en_text } else { ja };
        let kind = match (&d.step, en) {
            (Step::CreateDataset | Step::UpdateDataset { .. } | Step::KeepDataset, false) => {
                "データセット"
            }
            (Step::CreateDataset | Step::UpdateDataset { .. } | Step::KeepDataset, true) => {
                "dataset"
            }
            (Step::Reorder, false) => "リソースの順序",
            (Step::Reorder, true) => "order of resources",
            (_, false) => "リソース",
            (_, true) => "resource",
        };
        let fields = match &d.step {
            Step::UpdateDataset { fields } | Step::UpdateResource { fields, .. }
                if !fields.is_empty() =>
            {
                format!("（{}）", fields.join(", "))
            }
            _ => String::new(),
        };
        let fields = if en {
            fields.replace('（', " (").replace('）', ")")
        } else {
            fields
        };
        if !dry_run && !d.done && d.step.changes() {
            // Not reached: the publish stopped before this step.
            let pending = if en { "not done" } else { "未実施" };
            out.push_str(&format!("  {kind} {}: {pending}\n", d.subject));
            continue;
        }
        out.push_str(&format!("  {kind} {}: {what}{fields}\n", d.subject));
    }
    out
}

/// A step in words: (Japanese, English), as planned or as done.
fn describe(step: &Step, planned: bool) -> (&'static str, &'static str) {
    match (step, planned) {
        (Step::CreateDataset, true) => ("作成します", "would be created"),
        (Step::CreateDataset, false) => ("作成しました", "created"),
        (Step::UpdateDataset { .. }, true) => ("項目を更新します", "would be updated"),
        (Step::UpdateDataset { .. }, false) => ("項目を更新しました", "updated"),
        (Step::KeepDataset | Step::KeepResource { .. }, _) => ("変更なし", "unchanged"),
        (Step::CreateResource { .. }, true) => ("作成します", "would be created"),
        (Step::CreateResource { .. }, false) => ("作成しました", "created"),
        (Step::UpdateResource { upload: true, .. }, true) => {
            ("ファイルを送り直します", "would be uploaded again")
        }
        (Step::UpdateResource { upload: true, .. }, false) => {
            ("ファイルを送り直しました", "uploaded again")
        }
        (Step::UpdateResource { .. }, true) => ("項目を更新します", "would be updated"),
        (Step::UpdateResource { .. }, false) => ("項目を更新しました", "updated"),
        (Step::Unlisted { remove: false, .. }, _) => (
            "kohyo が公開していないリソースです（--prune で削除）",
            "not published by kohyo any more (--prune removes it)",
        ),
        (Step::Unlisted { remove: true, .. }, true) => ("削除します", "would be removed"),
        (Step::Unlisted { remove: true, .. }, false) => ("削除しました", "removed"),
        (Step::Reorder, true) => ("並べ直します", "would be set"),
        (Step::Reorder, false) => ("並べ直しました", "set"),
    }
}

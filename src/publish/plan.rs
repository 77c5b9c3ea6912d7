//! What a publish has to do: the local payload (`catalog/ckan-package.json`) compared with
//! what the catalog holds (`package_show`), field by field and file by file. Pure: no
//! network, so every decision is tested here.

use crate::write::opendata::catalog::file_name;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One resource kohyo publishes: its fields as `resource_create` takes them, and the file.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalResource {
    /// The fields from `catalog/ckan-package.json` (name, description, url, format, …, hash).
    pub fields: Map<String, Value>,
    /// The file's name, the key a resource is known by across publishes.
    pub file: String,
    /// True when the file is uploaded to the catalog (else it is linked by `url`).
    pub upload: bool,
}

impl LocalResource {
    /// The resource's display name.
    pub fn name(&self) -> &str {
        self.fields
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
}

/// The payload split: the dataset's own fields, and its resources.
#[derive(Clone, Debug, PartialEq)]
pub struct Local {
    /// Every top-level field but `resources`.
    pub dataset: Map<String, Value>,
    /// The resources, in the order the dataset lists them.
    pub resources: Vec<LocalResource>,
}

impl Local {
    /// Split a `catalog/ckan-package.json` payload.
    pub fn from_payload(payload: &Value) -> Option<Local> {
        let mut dataset = payload.as_object()?.clone();
        let resources = match dataset.remove("resources") {
            Some(Value::Array(rs)) => rs
                .into_iter()
                .filter_map(|r| {
                    let fields = r.as_object()?.clone();
                    let url = fields.get("url")?.as_str()?;
                    let upload = fields.get("url_type").and_then(Value::as_str) == Some("upload");
                    Some(LocalResource {
                        file: file_name(url).to_string(),
                        fields,
                        upload,
                    })
                })
                .collect(),
            _ => Vec::new(),
        };
        Some(Local { dataset, resources })
    }

    /// The dataset's name.
    pub fn name(&self) -> &str {
        self.dataset
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
}

/// One thing a publish does, or leaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Create the dataset (`package_create`).
    CreateDataset,
    /// Change these dataset fields (`package_patch`).
    UpdateDataset {
        /// The fields that differ, in the payload's order.
        fields: Vec<String>,
    },
    /// The dataset's fields are as published.
    KeepDataset,
    /// Create the resource (`resource_create`), uploading its file when it is stored.
    CreateResource {
        /// Its index in [`Local::resources`].
        index: usize,
    },
    /// Change the resource (`resource_patch`), keeping its id.
    UpdateResource {
        /// Its index in [`Local::resources`].
        index: usize,
        /// The catalog's id for it.
        id: String,
        /// True when the file itself changed and is uploaded again.
        upload: bool,
        /// The fields that differ.
        fields: Vec<String>,
    },
    /// The resource is as published.
    KeepResource {
        /// Its index in [`Local::resources`].
        index: usize,
        /// The catalog's id for it.
        id: String,
    },
    /// A resource in the catalog that kohyo no longer publishes.
    Unlisted {
        /// The catalog's id for it.
        id: String,
        /// Its name in the catalog.
        name: String,
        /// True when `--prune` removes it (`resource_delete`); else it is only reported.
        remove: bool,
    },
    /// Put the resources in the payload's order (`package_resource_reorder`).
    Reorder,
}

impl Step {
    /// True when the step changes the catalog.
    pub fn changes(&self) -> bool {
        match self {
            Step::KeepDataset | Step::KeepResource { .. } => false,
            Step::Unlisted { remove, .. } => *remove,
            _ => true,
        }
    }
}

/// The steps that make the catalog's dataset `remote` (absent: not there yet) what `local`
/// says; `prune` removes resources kohyo no longer publishes.
pub fn plan(local: &Local, remote: Option<&Value>, prune: bool) -> Vec<Step> {
    let Some(remote) = remote else {
        let mut steps = vec![Step::CreateDataset];
        steps.extend((0..local.resources.len()).map(|index| Step::CreateResource { index }));
        return steps;
    };
    let mut steps = Vec::new();
    let fields = dataset_changes(&local.dataset, remote);
    steps.push(if fields.is_empty() {
        Step::KeepDataset
    } else {
        Step::UpdateDataset { fields }
    });
    let remote_resources: Vec<&Value> = remote
        .get("resources")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let mut used = vec![false; remote_resources.len()];
    // Where each local resource ends up in the catalog's list, to tell whether the order
    // needs setting: matched ones keep their place, new ones are appended.
    let mut places: Vec<usize> = Vec::new();
    let mut appended = remote_resources.len();
    for (index, r) in local.resources.iter().enumerate() {
        let found = remote_resources.iter().enumerate().position(|(i, rr)| {
            !used[i] && rr.get("url").and_then(Value::as_str).map(file_name) == Some(&r.file)
        });
        match found {
            Some(i) => {
                used[i] = true;
                places.push(i);
                let rr = remote_resources[i];
                let id = str_of(rr, "id").to_string();
                let fields = resource_changes(r, rr);
                let upload = r.upload
                    && (fields.iter().any(|f| f == "hash") || str_of(rr, "url_type") != "upload");
                if fields.is_empty() && !upload {
                    steps.push(Step::KeepResource { index, id });
                } else {
                    steps.push(Step::UpdateResource {
                        index,
                        id,
                        upload,
                        fields,
                    });
                }
            }
            None => {
                places.push(appended);
                appended += 1;
                steps.push(Step::CreateResource { index });
            }
        }
    }
    let mut unlisted_before_ours = false;
    for (i, rr) in remote_resources.iter().enumerate() {
        if !used[i] {
            if !prune && places.iter().any(|&p| p > i) {
                unlisted_before_ours = true;
            }
            steps.push(Step::Unlisted {
                id: str_of(rr, "id").to_string(),
                name: str_of(rr, "name").to_string(),
                remove: prune,
            });
        }
    }
    if places.windows(2).any(|w| w[0] > w[1]) || unlisted_before_ours {
        steps.push(Step::Reorder);
    }
    steps
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Equal as CKAN keeps them: a missing value, `null` and `""` are one; numbers and numeric
/// strings compare by value (CKAN may answer a size either way).
fn same(local: &Value, remote: Option<&Value>) -> bool {
    let remote = remote.unwrap_or(&Value::Null);
    let empty = |v: &Value| v.is_null() || v.as_str() == Some("");
    if empty(local) && empty(remote) {
        return true;
    }
    match (local, remote) {
        (Value::Number(a), Value::String(b)) | (Value::String(b), Value::Number(a)) => {
            b.parse::<f64>().ok() == a.as_f64()
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => local == remote,
    }
}

fn tag_names(v: Option<&Value>) -> Vec<String> {
    let mut names: Vec<String> = v
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|t| t.get("name").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn extras_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|e| {
                    let k = e.get("key")?.as_str()?;
                    let v = match e.get("value")? {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    Some((k.to_string(), v))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The dataset fields whose published value differs from the payload's.
fn dataset_changes(local: &Map<String, Value>, remote: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (key, value) in local {
        let same = match key.as_str() {
            "tags" => tag_names(Some(value)) == tag_names(remote.get("tags")),
            "extras" => extras_map(Some(value)) == extras_map(remote.get("extras")),
            // CKAN answers the organization's id in owner_org, and its name under organization.
            "owner_org" => {
                let name = remote
                    .get("organization")
                    .and_then(|o| o.get("name"))
                    .and_then(Value::as_str);
                value.as_str().is_some_and(|v| {
                    Some(v) == name || Some(v) == remote.get("owner_org").and_then(Value::as_str)
                })
            }
            _ => same(value, remote.get(key)),
        };
        if !same {
            out.push(key.clone());
        }
    }
    if str_of(remote, "state") == "deleted" {
        out.push("state".to_string());
    }
    out
}

/// The resource fields whose published value differs from the payload's.
fn resource_changes(local: &LocalResource, remote: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (key, value) in &local.fields {
        let same = match key.as_str() {
            // A stored file's URL is the catalog's download address, ending in its name.
            "url" if local.upload => {
                remote.get("url").and_then(Value::as_str).map(file_name) == Some(&local.file)
            }
            _ => same(value, remote.get(key)),
        };
        if !same {
            out.push(key.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload() -> Value {
        json!({
            "name": "012131-tomakomai",
            "title": "苫小牧市総合戦略（骨子案）",
            "owner_org": "tomakomai",
            "url": "",
            "tags": [{"name": "総合戦略"}, {"name": "地方創生"}],
            "extras": [{"key": "lg_code", "value": "012131"}, {"key": "frequency", "value": "IRREG"}],
            "resources": [
                {"name": "施策（CSV）", "url": "a.csv", "url_type": "upload", "size": 10, "hash": "h1", "format": "CSV"},
                {"name": "計画書（PDF）", "url": "b.pdf", "url_type": "upload", "size": 20, "hash": "h2", "format": "PDF"},
                {"name": "ウェブページ", "url": "https://x.example.jp/index.html", "size": 30, "hash": "h3", "format": "HTML"},
            ],
        })
    }

    /// What CKAN answers after publishing `payload` as is.
    fn published(p: &Value) -> Value {
        let mut r = p.clone();
        r["owner_org"] = json!("0d7f-uuid");
        r["organization"] = json!({"name": "tomakomai", "id": "0d7f-uuid"});
        r["state"] = json!("active");
        r["tags"] = json!([
            {"name": "地方創生", "id": "t2", "display_name": "地方創生", "state": "active", "vocabulary_id": null},
            {"name": "総合戦略", "id": "t1", "display_name": "総合戦略", "state": "active", "vocabulary_id": null},
        ]);
        r["extras"] =
            json!([{"key": "frequency", "value": "IRREG"}, {"key": "lg_code", "value": "012131"}]);
        r["url"] = Value::Null;
        let rs: Vec<Value> = p["resources"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .map(|(i, res)| {
                let mut res = res.clone();
                res["id"] = json!(format!("r{i}"));
                res["position"] = json!(i);
                if res["url_type"] == "upload" {
                    res["url"] = json!(format!(
                        "http://ckan/dataset/d/resource/r{i}/download/{}",
                        res["url"].as_str().unwrap()
                    ));
                    res["size"] = json!(res["size"].to_string());
                }
                res
            })
            .collect();
        r["resources"] = json!(rs);
        r
    }

    #[test]
    fn a_new_dataset_is_created_with_every_resource() {
        let local = Local::from_payload(&payload()).unwrap();
        assert_eq!(
            plan(&local, None, false),
            vec![
                Step::CreateDataset,
                Step::CreateResource { index: 0 },
                Step::CreateResource { index: 1 },
                Step::CreateResource { index: 2 },
            ]
        );
        assert_eq!(local.resources[0].file, "a.csv");
        assert!(local.resources[0].upload);
        assert!(!local.resources[2].upload);
        assert_eq!(local.resources[2].file, "index.html");
    }

    #[test]
    fn publishing_the_same_again_changes_nothing() {
        let p = payload();
        let local = Local::from_payload(&p).unwrap();
        let steps = plan(&local, Some(&published(&p)), false);
        assert!(steps.iter().all(|s| !s.changes()), "{steps:?}");
        assert_eq!(steps.len(), 4);
    }

    #[test]
    fn a_changed_file_replaces_only_its_resource() {
        let p = payload();
        let remote = published(&p);
        let mut q = p.clone();
        q["resources"][0]["hash"] = json!("h1-new");
        q["resources"][0]["size"] = json!(11);
        let steps = plan(&Local::from_payload(&q).unwrap(), Some(&remote), false);
        assert_eq!(
            steps.iter().filter(|s| s.changes()).collect::<Vec<_>>(),
            vec![&Step::UpdateResource {
                index: 0,
                id: "r0".into(),
                upload: true,
                fields: vec!["hash".into(), "size".into()],
            }]
        );
    }

    #[test]
    fn a_renamed_resource_is_patched_without_an_upload() {
        let p = payload();
        let remote = published(&p);
        let mut q = p.clone();
        q["resources"][1]["name"] = json!("計画書（素案・PDF）");
        q["title"] = json!("苫小牧市総合戦略（素案）");
        let steps = plan(&Local::from_payload(&q).unwrap(), Some(&remote), false);
        assert_eq!(
            steps[0],
            Step::UpdateDataset {
                fields: vec!["title".into()]
            }
        );
        assert_eq!(
            steps[2],
            Step::UpdateResource {
                index: 1,
                id: "r1".into(),
                upload: false,
                fields: vec!["name".into()],
            }
        );
    }

    #[test]
    fn tags_and_extras_compare_as_sets_and_maps() {
        let p = payload();
        let mut remote = published(&p);
        remote["tags"] = json!([{"name": "総合戦略"}, {"name": "まち・ひと"}]);
        remote["extras"] = json!([{"key": "lg_code", "value": "012131"}]);
        let steps = plan(&Local::from_payload(&p).unwrap(), Some(&remote), false);
        assert_eq!(
            steps[0],
            Step::UpdateDataset {
                fields: vec!["extras".into(), "tags".into()]
            }
        );
    }

    #[test]
    fn resources_no_longer_published_are_removed_only_with_prune() {
        let p = payload();
        let mut remote = published(&p);
        remote["resources"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "old", "name": "古い表", "url": "http://ckan/x/download/old.csv"}));
        let local = Local::from_payload(&p).unwrap();
        let kept = plan(&local, Some(&remote), false);
        assert!(kept.contains(&Step::Unlisted {
            id: "old".into(),
            name: "古い表".into(),
            remove: false
        }));
        assert!(kept.iter().all(|s| !s.changes()));
        let pruned = plan(&local, Some(&remote), true);
        assert!(pruned.contains(&Step::Unlisted {
            id: "old".into(),
            name: "古い表".into(),
            remove: true
        }));
    }

    #[test]
    fn a_new_resource_before_others_asks_for_the_order() {
        let p = payload();
        let mut remote = published(&p);
        remote["resources"].as_array_mut().unwrap().remove(0);
        let steps = plan(&Local::from_payload(&p).unwrap(), Some(&remote), false);
        assert!(steps.contains(&Step::CreateResource { index: 0 }));
        assert_eq!(steps.last(), Some(&Step::Reorder));
        // Appended at the end, no reorder is needed.
        let mut remote = published(&p);
        remote["resources"].as_array_mut().unwrap().pop();
        let steps = plan(&Local::from_payload(&p).unwrap(), Some(&remote), false);
        assert!(!steps.contains(&Step::Reorder));
    }

    #[test]
    fn a_deleted_dataset_is_brought_back() {
        let p = payload();
        let mut remote = published(&p);
        remote["state"] = json!("deleted");
        let steps = plan(&Local::from_payload(&p).unwrap(), Some(&remote), false);
        assert_eq!(
            steps[0],
            Step::UpdateDataset {
                fields: vec!["state".into()]
            }
        );
    }

    #[test]
    fn a_resource_whose_upload_never_arrived_is_uploaded() {
        let p = payload();
        let mut remote = published(&p);
        remote["resources"][1]["url_type"] = json!("");
        remote["resources"][1]["url"] = json!("b.pdf");
        let steps = plan(&Local::from_payload(&p).unwrap(), Some(&remote), false);
        assert!(matches!(
            &steps[2],
            Step::UpdateResource { upload: true, .. }
        ));
    }
}

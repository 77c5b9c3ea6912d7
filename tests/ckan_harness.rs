//! The test CKAN itself (tests/ckan/ckan.sh): it answers, the organizations are there, and the
//! three tokens have the rights the publish tests rely on.

mod common;

use common::ckan::ckan;
use serde_json::json;

#[test]
fn status_show_answers_ckan_2_11() {
    let Some(c) = ckan() else { return };
    let (status, v) = c.action("status_show", "", json!({}));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["result"]["ckan_version"], "2.11.6", "{v}");
}

#[test]
fn both_organizations_exist() {
    let Some(c) = ckan() else { return };
    for org in [&c.org, &c.other_org] {
        let (status, v) = c.action("organization_show", "", json!({"id": org}));
        assert_eq!(status, 200, "{org}: {v}");
        assert_eq!(v["result"]["name"], org.as_str());
    }
}

#[test]
fn the_tokens_have_their_rights() {
    let Some(c) = ckan() else { return };
    let name = format!(
        "kohyo-harness-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_nanos()
    );
    let dataset = json!({"name": name, "title": "harness", "owner_org": c.org});

    // Another organization's admin may not create in the editor's organization.
    let (status, v) = c.action("package_create", &c.other_token, dataset.clone());
    assert_eq!(status, 403, "{v}");
    assert_eq!(v["error"]["__type"], "Authorization Error", "{v}");

    // The editor may, and the dataset is indexed (the Solr stand-in answers package_search).
    let (status, v) = c.action("package_create", &c.token, dataset);
    assert_eq!(status, 200, "{v}");
    let id = v["result"]["id"].as_str().expect("id").to_string();
    let (status, v) = c.action("package_search", "", json!({"q": format!("name:{name}")}));
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["result"]["count"], 1, "{v}");

    // Only the sysadmin may purge.
    let (status, v) = c.action("dataset_purge", &c.token, json!({"id": id}));
    assert_eq!(status, 403, "{v}");
    let (status, v) = c.action("dataset_purge", &c.sysadmin_token, json!({"id": id}));
    assert_eq!(status, 200, "{v}");
    let (status, _) = c.action("package_show", &c.sysadmin_token, json!({"id": id}));
    assert_eq!(status, 404);
}

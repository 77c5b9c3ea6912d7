//! The test CKAN (`tests/ckan/ckan.sh start`): where it is, its tokens, and plain calls to its
//! action API.

use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

/// `tests/ckan/ckan.sh start` writes this (KEY=VALUE lines).
pub const ENV_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/target/ckan/env");

/// How to get one running, for the skip note and the CI failure.
const HOW: &str = "tests/ckan/ckan.sh install && tests/ckan/ckan.sh start";

/// A running CKAN 2.11 with organization `org` (whose admin holds `token`), `other_org` (whose
/// admin holds `other_token`: no rights on `org`) and a sysadmin.
#[derive(Clone)]
pub struct Ckan {
    /// e.g. `http://127.0.0.1:5055`, no trailing slash
    pub url: String,
    pub org: String,
    pub other_org: String,
    pub token: String,
    pub other_token: String,
    pub sysadmin_token: String,
    /// `ckan.storage_path`: uploads land under `resources/`
    pub storage: PathBuf,
    agent: ureq::Agent,
}

/// The test CKAN when it runs and answers `status_show`. When it does not: under `CI=true` the
/// test fails, saying how to start it; otherwise a note on stderr and None, so the caller skips.
pub fn ckan() -> Option<Ckan> {
    match connect() {
        Ok(c) => Some(c),
        Err(why) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "the test CKAN is needed: {why} ({HOW})"
            );
            eprintln!("skipping: the test CKAN is not running: {why} (start it: {HOW})");
            None
        }
    }
}

fn connect() -> Result<Ckan, String> {
    let text = std::fs::read_to_string(ENV_FILE).map_err(|e| format!("{ENV_FILE}: {e}"))?;
    let vars: std::collections::HashMap<&str, &str> =
        text.lines().filter_map(|l| l.split_once('=')).collect();
    let var = |k: &str| {
        vars.get(k)
            .map(|v| v.to_string())
            .ok_or_else(|| format!("{ENV_FILE} has no {k}"))
    };
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .new_agent();
    let c = Ckan {
        url: var("CKAN_URL")?,
        org: var("CKAN_ORG")?,
        other_org: var("CKAN_OTHER_ORG")?,
        token: var("CKAN_TOKEN")?,
        other_token: var("CKAN_OTHER_TOKEN")?,
        sysadmin_token: var("CKAN_SYSADMIN_TOKEN")?,
        storage: PathBuf::from(var("CKAN_STORAGE")?),
        agent,
    };
    let status = c
        .agent
        .get(format!("{}/api/3/action/status_show", c.url))
        .config()
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .call()
        .map_err(|e| format!("{} does not answer: {e}", c.url))?
        .status();
    if status != 200 {
        return Err(format!(
            "{}/api/3/action/status_show answers {status}",
            c.url
        ));
    }
    Ok(c)
}

impl Ckan {
    /// POST `body` as JSON to action `name` with `token` (`""`: anonymous). The status and the
    /// answer: `{"success": true, "result": …}`, or `{"success": false, "error": {"__type": …}}`
    /// (a body that is not JSON comes back as a JSON string).
    pub fn action(&self, name: &str, token: &str, body: Value) -> (u16, Value) {
        let mut req = self.agent.post(format!("{}/api/3/action/{name}", self.url));
        if !token.is_empty() {
            req = req.header("Authorization", token);
        }
        let mut resp = req
            .send_json(&body)
            .unwrap_or_else(|e| panic!("{name} on {}: {e}", self.url));
        let status = resp.status().as_u16();
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_vec()
            .unwrap_or_else(|e| panic!("{name}: reading the answer: {e}"));
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, value)
    }

    /// The bytes at `url` (a resource's download URL), anonymously; panics unless 200.
    pub fn get(&self, url: &str) -> Vec<u8> {
        let mut resp = self
            .agent
            .get(url)
            .call()
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        assert_eq!(resp.status().as_u16(), 200, "GET {url}");
        resp.body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_vec()
            .unwrap_or_else(|e| panic!("GET {url}: {e}"))
    }
}

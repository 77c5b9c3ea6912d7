//! `kohyo publish` against a real CKAN 2.11 (`tests/ckan/ckan.sh start`; see README): the
//! dataset and its resources appear as `catalog/ckan-package.json` says, uploads download
//! back byte for byte, a second publish changes nothing, an edit changes only its own
//! resources, and every refusal (bad token, no rights, no organization, a name taken, the
//! catalog gone mid-publish) is a clear error that leaves the outputs as they were.
//!
//! The catalog is real: CKAN's action API, validation, database and file store. Only Solr is
//! a stand-in (tests/ckan/solr.py), because it cannot be installed on these machines; the
//! outage in `the_catalog_going_away_mid_publish…` is a test proxy that cuts the connection.

mod common;

use common::ckan::{Ckan, ckan};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tempfile::TempDir;

/// A copy of the seed draft in a folder of its own, named uniquely so every run makes a new
/// dataset (`012131-<name>`) in the long-lived local catalog.
struct Draft {
    _tmp: TempDir,
    input: PathBuf,
    out: PathBuf,
    slug: String,
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}-{:x}{:x}",
        nanos & 0xffff_ffff_ffff,
        std::process::id()
    )
}

impl Draft {
    fn new(prefix: &str, toml_edit: impl Fn(String) -> String) -> Draft {
        let tmp = TempDir::new().expect("tempdir");
        let slug = unique(prefix);
        let input = tmp.path().join(&slug);
        std::fs::create_dir_all(&input).expect("mkdir");
        let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/tomakomai");
        for f in ["000_ebe3fcc3fed13691.txt", "kohyo.toml"] {
            std::fs::copy(seed.join(f), input.join(f)).expect("copy the seed");
        }
        let toml = std::fs::read_to_string(input.join("kohyo.toml")).expect("toml");
        std::fs::write(input.join("kohyo.toml"), toml_edit(toml)).expect("write toml");
        let out = tmp.path().join("outputs");
        let d = Draft {
            _tmp: tmp,
            input,
            out,
            slug,
        };
        d.build();
        d
    }

    fn build(&self) {
        let o = Command::new(common::BIN)
            .arg("build")
            .arg(&self.input)
            .arg("--out")
            .arg(&self.out)
            .output()
            .expect("kohyo build");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }

    fn dir(&self) -> PathBuf {
        self.out.join(&self.slug)
    }

    fn name(&self) -> String {
        format!("012131-{}", self.slug)
    }

    fn payload(&self) -> Value {
        let text = std::fs::read_to_string(self.dir().join("catalog/ckan-package.json"))
            .expect("ckan-package.json");
        serde_json::from_str(&text).expect("payload JSON")
    }

    /// `kohyo publish` to `url` with `token` in KOHYO_CKAN_TOKEN (none when empty).
    fn publish(&self, url: &str, token: &str, extra: &[&str]) -> Run {
        let mut cmd = Command::new(common::BIN);
        cmd.arg("publish")
            .arg(&self.input)
            .arg("--out")
            .arg(&self.out)
            .arg("--to")
            .arg(url)
            .args(extra)
            .env("KOHYO_PUBLISH_RETRY_MS", "20")
            .env_remove("KOHYO_CKAN_TOKEN");
        if !token.is_empty() {
            cmd.env("KOHYO_CKAN_TOKEN", token);
        }
        let o = cmd.output().expect("kohyo publish");
        let run = Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        };
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        if !token.is_empty() {
            assert!(
                !run.stdout.contains(token) && !run.stderr.contains(token),
                "the token was printed"
            );
        }
        run
    }

    /// Every output file with its bytes' hash, to show a failed publish changed none.
    fn snapshot(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut stack = vec![self.dir()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("read outputs").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let bytes = std::fs::read(&p).expect("read output");
                    out.insert(p.display().to_string(), kohyo::build::sha256_hex(&bytes));
                }
            }
        }
        out
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// `package_show` as the sysadmin sees it; None when absent.
fn show(c: &Ckan, name: &str) -> Option<Value> {
    let (status, v) = c.action("package_show", &c.sysadmin_token, json!({ "id": name }));
    match status {
        200 => Some(v["result"].clone()),
        404 => None,
        s => panic!("package_show {name}: {s} {v}"),
    }
}

fn file_name(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or(url)
}

fn by_file(pkg: &Value) -> BTreeMap<String, Value> {
    pkg["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| {
            (
                file_name(r["url"].as_str().unwrap_or("")).to_string(),
                r.clone(),
            )
        })
        .collect()
}

fn tag_names(v: &Value) -> Vec<String> {
    let mut t: Vec<String> = v
        .as_array()
        .expect("tags")
        .iter()
        .map(|t| t["name"].as_str().unwrap_or("").to_string())
        .collect();
    t.sort();
    t
}

fn extras(v: &Value) -> BTreeMap<String, String> {
    v.as_array()
        .expect("extras")
        .iter()
        .map(|e| {
            (
                e["key"].as_str().unwrap_or("").to_string(),
                e["value"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The catalog's dataset holds exactly what the payload says, field by field, and each stored
/// file downloads back byte for byte.
fn assert_matches_payload(c: &Ckan, d: &Draft, pkg: &Value) {
    let p = d.payload();
    for key in ["name", "title", "notes", "license_id", "author", "url"] {
        assert_eq!(pkg[key], p[key], "dataset field {key}");
    }
    assert_eq!(pkg["organization"]["name"], p["owner_org"]);
    assert_eq!(tag_names(&pkg["tags"]), tag_names(&p["tags"]));
    assert_eq!(extras(&pkg["extras"]), extras(&p["extras"]));
    assert_eq!(pkg["state"], "active");
    let remote = by_file(pkg);
    let local = p["resources"].as_array().expect("payload resources");
    assert_eq!(remote.len(), local.len(), "one resource per published file");
    let order: Vec<&str> = pkg["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| file_name(r["url"].as_str().unwrap_or("")))
        .collect();
    let want: Vec<&str> = local
        .iter()
        .map(|r| file_name(r["url"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(order, want, "resources in the payload's order");
    for lr in local {
        let file = file_name(lr["url"].as_str().unwrap()).to_string();
        let rr = &remote[&file];
        for (k, v) in lr.as_object().unwrap() {
            match k.as_str() {
                "url" if lr["url_type"] == "upload" => {
                    assert!(rr["url"].as_str().unwrap().starts_with(&c.url), "{rr}");
                }
                "size" => assert_eq!(rr["size"].as_u64(), v.as_u64(), "{file} size"),
                _ => assert_eq!(&rr[k], v, "{file} field {k}"),
            }
        }
        if lr["url_type"] == "upload" {
            let local_path = walk_find(&d.dir(), &file).expect("the file in the outputs");
            let bytes = c.get(rr["url"].as_str().unwrap());
            assert_eq!(
                bytes,
                std::fs::read(&local_path).unwrap(),
                "{file} downloads back byte for byte"
            );
        }
    }
}

fn walk_find(dir: &Path, name: &str) -> Option<PathBuf> {
    for e in std::fs::read_dir(dir).ok()?.flatten() {
        let p = e.path();
        if p.is_dir() {
            if let Some(f) = walk_find(&p, name) {
                return Some(f);
            }
        } else if p.file_name().and_then(|n| n.to_str()) == Some(name) {
            return Some(p);
        }
    }
    None
}

/// resource id → (hash, last_modified, metadata_modified).
fn stamps(pkg: &Value) -> BTreeMap<String, (Value, Value, Value)> {
    pkg["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                (
                    r["hash"].clone(),
                    r["last_modified"].clone(),
                    r["metadata_modified"].clone(),
                ),
            )
        })
        .collect()
}

#[test]
fn the_seed_is_published_then_left_alone_then_updated_resource_by_resource() {
    let Some(c) = ckan() else { return };
    let d = Draft::new("seed", |t| t);
    // A dry run first: it says what it would do and does nothing, even without a token.
    let dry = d.publish(&c.url, "", &["--dry-run"]);
    assert_eq!(dry.code, 0, "{dry:?}");
    assert!(dry.stdout.contains("作成します"), "{dry:?}");
    assert!(
        show(&c, &d.name()).is_none(),
        "a dry run created the dataset"
    );

    let first = d.publish(&c.url, &c.token, &[]);
    assert_eq!(first.code, 0, "{first:?}");
    assert_eq!(first.stdout.matches("作成しました").count(), 5, "{first:?}");
    let pkg = show(&c, &d.name()).expect("the dataset exists");
    assert_matches_payload(&c, &d, &pkg);
    // CKAN's own dataset page lists each resource with its description cut to 80 characters
    // at a word boundary: the first sentence shows, not a bare "...".
    let page = String::from_utf8(c.get(&format!("{}/dataset/{}", c.url, d.name()))).unwrap();
    assert!(
        page.contains(
            "苫小牧市総合戦略（骨子案）の基本目標・施策の基本的方向・具体的な施策・事業例。"
        ),
        "the dataset page shows the CSV's first sentence"
    );

    // Nothing changed: nothing is sent, nothing in the catalog moves.
    let second = d.publish(&c.url, &c.token, &[]);
    assert_eq!(second.code, 0, "{second:?}");
    assert_eq!(second.stdout.matches("変更なし").count(), 5, "{second:?}");
    assert!(second.stderr.contains("公開 0 件"), "{second:?}");
    let again = show(&c, &d.name()).unwrap();
    assert_eq!(again["metadata_modified"], pkg["metadata_modified"]);
    assert_eq!(stamps(&again), stamps(&pkg));

    // A related project reworded: the related-projects CSV, the PDF and the page change;
    // the table of measures does not. Only those resources change, and every id stays.
    let txt = d.input.join("000_ebe3fcc3fed13691.txt");
    let text = std::fs::read_to_string(&txt).unwrap();
    let related_line = text
        .lines()
        .position(|l| l.contains("関連する既存事業"))
        .expect("the related projects' section");
    let target = text
        .lines()
        .skip(related_line + 3)
        .find(|l| l.contains('\t') && !l.trim().is_empty())
        .expect("a related project row")
        .to_string();
    assert!(target.contains("<li>✓ "), "{target}");
    let edited_row = target.replacen("<li>✓ ", "<li>✓ （拡充）", 1);
    std::fs::write(&txt, text.replacen(&target, &edited_row, 1)).unwrap();
    // Before the rebuild the outputs are older than the draft: refused, nothing sent.
    let stale = d.publish(&c.url, &c.token, &[]);
    assert_eq!(stale.code, 1, "{stale:?}");
    assert!(stale.stderr.contains("K138"), "{stale:?}");
    d.build();
    let third = d.publish(&c.url, &c.token, &[]);
    assert_eq!(third.code, 0, "{third:?}");
    let after = show(&c, &d.name()).unwrap();
    assert_matches_payload(&c, &d, &after);
    let (before, now) = (stamps(&pkg), stamps(&after));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        now.keys().collect::<Vec<_>>(),
        "resource ids kept"
    );
    let before_files = by_file(&pkg);
    let changed: Vec<String> = by_file(&after)
        .into_iter()
        .filter(|(f, r)| before_files[f]["hash"] != r["hash"])
        .map(|(f, _)| f)
        .collect();
    let shisaku = format!("012131_{}_shisaku.csv", d.slug);
    assert!(!changed.contains(&shisaku), "{changed:?}");
    assert!(changed.contains(&format!("012131_{}_kanren_jigyo.csv", d.slug)));
    assert!(changed.contains(&format!("{}.pdf", d.slug)));
    let unchanged = &by_file(&after)[&shisaku];
    assert_eq!(
        unchanged["last_modified"],
        before_files[&shisaku]["last_modified"]
    );
    assert_eq!(
        unchanged["metadata_modified"], before_files[&shisaku]["metadata_modified"],
        "the unchanged CSV was not touched"
    );
    for f in &changed {
        assert!(
            third
                .stdout
                .lines()
                .any(|l| l.contains(f.as_str()) && !l.contains("変更なし")),
            "{third:?}"
        );
    }
}

#[test]
fn linked_files_are_listed_by_their_address_and_never_uploaded() {
    let Some(c) = ckan() else { return };
    let d = Draft::new("link", |t| {
        t.replace("files = \"upload\"", "files = \"link\"")
    });
    let run = d.publish(&c.url, &c.token, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    let pkg = show(&c, &d.name()).unwrap();
    assert_matches_payload(&c, &d, &pkg);
    for r in pkg["resources"].as_array().unwrap() {
        assert!(
            r["url"]
                .as_str()
                .unwrap()
                .starts_with("https://www.city.tomakomai.hokkaido.jp/opendata/sogo-senryaku/"),
            "{r}"
        );
        assert_ne!(r["url_type"], "upload");
    }
    let second = d.publish(&c.url, &c.token, &[]);
    assert_eq!(second.stdout.matches("変更なし").count(), 5, "{second:?}");
}

#[test]
fn resources_kohyo_no_longer_publishes_go_only_with_prune() {
    let Some(c) = ckan() else { return };
    let d = Draft::new("prune", |t| t);
    assert_eq!(d.publish(&c.url, &c.token, &[]).code, 0);
    let (status, v) = c.action(
        "resource_create",
        &c.token,
        json!({ "package_id": d.name(), "name": "古い一覧", "url": "https://www.example.jp/old.csv" }),
    );
    assert_eq!(status, 200, "{v}");
    let old = v["result"]["id"].as_str().unwrap().to_string();
    let kept = d.publish(&c.url, &c.token, &[]);
    assert_eq!(kept.code, 0, "{kept:?}");
    assert!(kept.stdout.contains("--prune で削除"), "{kept:?}");
    assert!(by_file(&show(&c, &d.name()).unwrap()).contains_key("old.csv"));
    let pruned = d.publish(&c.url, &c.token, &["--prune"]);
    assert_eq!(pruned.code, 0, "{pruned:?}");
    assert!(pruned.stdout.contains("削除しました"), "{pruned:?}");
    let pkg = show(&c, &d.name()).unwrap();
    assert!(
        pkg["resources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["id"] != old.as_str())
    );
    assert_matches_payload(&c, &d, &pkg);
}

#[test]
fn k133_a_bad_token_is_refused_clearly_and_changes_nothing() {
    let Some(c) = ckan() else { return };
    let d = Draft::new("badtoken", |t| t);
    let before = d.snapshot();
    let run = d.publish(&c.url, "not-a-real-token-0123456789", &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("エラー[K133]"), "{run:?}");
    assert!(
        run.stderr
            .contains("API トークンがカタログに認められていない"),
        "{run:?}"
    );
    assert!(run.stderr.contains("失敗 1 件"), "{run:?}");
    assert!(show(&c, &d.name()).is_none());
    assert_eq!(d.snapshot(), before, "a failed publish changed the outputs");
    // In English too.
    let en = d.publish(&c.url, "not-a-real-token-0123456789", &["--lang", "en"]);
    assert!(
        en.stderr.contains("error[K133]") && en.stderr.contains("does not recognise the API token"),
        "{en:?}"
    );
}

#[test]
fn k133_a_user_without_rights_on_the_organization_is_told_which_it_has() {
    let Some(c) = ckan() else { return };
    let d = Draft::new("norights", |t| t);
    let run = d.publish(&c.url, &c.other_token, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("K133"), "{run:?}");
    assert!(
        run.stderr
            .contains(&format!("組織 {} の編集者ではありません", c.org))
            && run.stderr.contains(&c.other_org),
        "{run:?}"
    );
    assert!(show(&c, &d.name()).is_none());
}

#[test]
fn k134_an_organization_the_catalog_lacks_is_named() {
    let Some(c) = ckan() else { return };
    let d = Draft::new("noorg", |t| {
        t.replace(
            "organization = \"tomakomai\"",
            "organization = \"no-such-city\"",
        )
    });
    let before = d.snapshot();
    let run = d.publish(&c.url, &c.token, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("エラー[K134]"), "{run:?}");
    assert!(
        run.stderr.contains("組織 no-such-city はカタログ"),
        "{run:?}"
    );
    assert_eq!(d.snapshot(), before);
}

#[test]
fn k135_a_name_taken_by_another_organization_is_never_overwritten() {
    let Some(c) = ckan() else { return };
    let d = Draft::new("taken", |t| t);
    let (status, v) = c.action(
        "package_create",
        &c.other_token,
        json!({ "name": d.name(), "title": "他の市のデータ", "owner_org": c.other_org }),
    );
    assert_eq!(status, 200, "{v}");
    let run = d.publish(&c.url, &c.token, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("エラー[K135]"), "{run:?}");
    assert!(
        run.stderr
            .contains(&format!("組織 {} のデータセット", c.other_org)),
        "{run:?}"
    );
    // The place in the payload is shown.
    assert!(run.stderr.contains("ckan-package.json:"), "{run:?}");
    let theirs = show(&c, &d.name()).unwrap();
    assert_eq!(theirs["title"], "他の市のデータ");
    assert_eq!(theirs["organization"]["name"], c.other_org.as_str());
    assert_eq!(theirs["resources"].as_array().unwrap().len(), 0);
}

#[test]
fn k140_a_licence_the_catalog_does_not_list_is_caught_with_a_suggestion() {
    let Some(c) = ckan() else { return };
    let d = Draft::new("licence", |t| {
        t.replace("[catalog]", "[catalog]\nlicense_id = \"CC-BY-4.0-JP\"")
    });
    let run = d.publish(&c.url, &c.token, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("エラー[K140]"), "{run:?}");
    // CKAN's default list calls it cc-by.
    assert!(run.stderr.contains("license_id = \"cc-by\""), "{run:?}");
    assert!(show(&c, &d.name()).is_none());
}

#[test]
fn k132_an_unreachable_catalog_is_reported_after_retrying() {
    // A port nothing listens on: no CKAN needed, but the test runs with the others.
    let Some(_c) = ckan() else { return };
    let d = Draft::new("gone", |t| t);
    let free = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", free.local_addr().unwrap());
    drop(free);
    let before = d.snapshot();
    let run = d.publish(&url, "some-token", &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("エラー[K132]"), "{run:?}");
    assert!(
        run.stderr.contains("接続できないか、接続が切れました"),
        "{run:?}"
    );
    assert_eq!(d.snapshot(), before);
}

/// A listener on a free local port for a proxy in front of `target`: the listener, the URL
/// to publish to, and the catalog's `host:port`.
fn listen(target: &str) -> (TcpListener, String, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let addr = target
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    (listener, url, addr)
}

/// A TCP proxy in front of the catalog that cuts every connection, and stops listening, once
/// the client starts its `cut_at`-th request whose first line holds `marker`.
struct Proxy {
    url: String,
    seen: Arc<AtomicUsize>,
}

fn proxy(target: &str, marker: &'static str, cut_at: usize) -> Proxy {
    let (listener, url, addr) = listen(target);
    let seen = Arc::new(AtomicUsize::new(0));
    let down = Arc::new(AtomicBool::new(false));
    let (s, dn) = (seen.clone(), down.clone());
    std::thread::spawn(move || {
        for client in listener.incoming() {
            if dn.load(Ordering::SeqCst) {
                break; // the listener is dropped: later connections are refused
            }
            let Ok(client) = client else { continue };
            let Ok(server) = TcpStream::connect(&addr) else {
                continue;
            };
            let (s, dn) = (s.clone(), dn.clone());
            let (mut c_read, mut s_write) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            let (mut s_read, mut c_write) = (server, client);
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    let n = match c_read.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    let chunk = String::from_utf8_lossy(&buf[..n]);
                    let hits = chunk.matches(marker).count();
                    if hits > 0 && s.fetch_add(hits, Ordering::SeqCst) + hits >= cut_at {
                        dn.store(true, Ordering::SeqCst);
                        let _ = c_read.shutdown(std::net::Shutdown::Both);
                        let _ = s_write.shutdown(std::net::Shutdown::Both);
                        // Wake the accept loop so it sees `down` and drops the listener.
                        break;
                    }
                    if s_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            });
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut s_read, &mut c_write);
            });
        }
    });
    Proxy { url, seen }
}

#[test]
fn the_catalog_going_away_mid_publish_is_reported_and_a_later_publish_finishes_the_job() {
    let Some(c) = ckan() else { return };
    let d = Draft::new("cut", |t| t);
    // The connection is cut as the second resource is sent, and the catalog stays away.
    let p = proxy(&c.url, "POST /api/3/action/resource_create", 2);
    let before = d.snapshot();
    let run = d.publish(&p.url, &c.token, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(p.seen.load(Ordering::SeqCst) >= 2);
    assert!(run.stderr.contains("エラー[K132]"), "{run:?}");
    assert!(run.stderr.contains("続きから仕上げます"), "{run:?}");
    assert!(run.stdout.contains("未実施"), "{run:?}");
    assert!(run.stderr.contains("失敗 1 件"), "{run:?}");
    assert_eq!(d.snapshot(), before, "a failed publish changed the outputs");
    let half = show(&c, &d.name()).expect("the dataset was created before the cut");
    assert!(half["resources"].as_array().unwrap().len() < 4, "{half}");

    // The catalog is back (straight, no proxy): the next publish completes, with no
    // resource twice.
    let next = d.publish(&c.url, &c.token, &[]);
    assert_eq!(next.code, 0, "{next:?}");
    assert!(next.stdout.contains("変更なし"), "{next:?}");
    let done = show(&c, &d.name()).unwrap();
    assert_matches_payload(&c, &d, &done);
}

/// A proxy in front of the catalog that answers `503 Service Unavailable` (a CKAN behind a
/// busy web server) instead of forwarding, for the first `fail` requests whose first line
/// holds `marker`; every other request goes through. With `done`, the failing requests reach
/// the catalog first and only their answers are lost (the work is done, the client is told
/// it failed).
fn flaky(target: &str, marker: &'static str, fail: usize, done: bool) -> Proxy {
    let (listener, url, addr) = listen(target);
    let seen = Arc::new(AtomicUsize::new(0));
    let s = seen.clone();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { continue };
            let (s, addr) = (s.clone(), addr.clone());
            std::thread::spawn(move || {
                // One request per connection: read it whole (headers and Content-Length).
                let mut req = Vec::new();
                let mut buf = [0u8; 16 * 1024];
                let head_end = loop {
                    match client.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                    if let Some(i) = req.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                };
                let head = String::from_utf8_lossy(&req[..head_end]).to_string();
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse().ok())?
                    })
                    .unwrap_or(0);
                while req.len() < head_end + length {
                    match client.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => req.extend_from_slice(&buf[..n]),
                    }
                }
                let first = head.lines().next().unwrap_or("").to_string();
                let head = head.replace("Connection: keep-alive", "Connection: close");
                let forward = |head: &str| -> Option<TcpStream> {
                    let mut server = TcpStream::connect(&addr).ok()?;
                    let mut out = head.as_bytes().to_vec();
                    out.extend_from_slice(&req[head_end..]);
                    server.write_all(&out).ok()?;
                    Some(server)
                };
                if first.contains(marker) && s.fetch_add(1, Ordering::SeqCst) < fail {
                    if done && let Some(mut server) = forward(&head) {
                        let _ = std::io::copy(&mut server, &mut std::io::sink());
                    }
                    let body = "<html><body>503 Service Unavailable</body></html>";
                    let _ = write!(
                        client,
                        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    return;
                }
                // Forward with the connection closed after the answer.
                if let Some(mut server) = forward(&head) {
                    let _ = std::io::copy(&mut server, &mut client);
                }
            });
        }
    });
    Proxy { url, seen }
}

#[test]
fn k137_a_busy_catalog_is_retried_where_that_is_safe_and_a_create_is_never_doubled() {
    let Some(c) = ckan() else { return };
    // Reads answered 503 twice: retried, and the publish goes through.
    let d = Draft::new("busy", |t| t);
    let p = flaky(&c.url, "GET /api/3/action/package_show", 2, false);
    let run = d.publish(&p.url, &c.token, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(p.seen.load(Ordering::SeqCst) >= 3);
    assert_matches_payload(&c, &d, &show(&c, &d.name()).unwrap());

    // A create answered 503 (as a proxy does whether or not CKAN did the work): kohyo asks
    // package_show before trying again, and the dataset is made once.
    let d = Draft::new("busycreate", |t| t);
    let p = flaky(&c.url, "POST /api/3/action/package_create", 1, false);
    let run = d.publish(&p.url, &c.token, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        p.seen.load(Ordering::SeqCst),
        2,
        "one failed create, one that worked"
    );
    assert_matches_payload(&c, &d, &show(&c, &d.name()).unwrap());
    // The same when CKAN did create it and only the answer was lost: package_show finds
    // it, and no second create is sent (it would be 409 "That URL is already in use").
    let d = Draft::new("lostanswer", |t| t);
    let p = flaky(&c.url, "POST /api/3/action/package_create", 1, true);
    let run = d.publish(&p.url, &c.token, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        p.seen.load(Ordering::SeqCst),
        1,
        "the create was not sent again"
    );
    assert_matches_payload(&c, &d, &show(&c, &d.name()).unwrap());
    // And for a resource: its upload arrived, its answer did not.
    let d = Draft::new("lostupload", |t| t);
    let p = flaky(&c.url, "POST /api/3/action/resource_create", 1, true);
    let run = d.publish(&p.url, &c.token, &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        p.seen.load(Ordering::SeqCst),
        4,
        "each resource created once"
    );
    assert_matches_payload(&c, &d, &show(&c, &d.name()).unwrap());

    // A catalog that keeps failing: K137 with what it answered, after the retries.
    let d = Draft::new("down", |t| t);
    let p = flaky(
        &c.url,
        "GET /api/3/action/organization_show",
        usize::MAX,
        false,
    );
    let run = d.publish(&p.url, &c.token, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(p.seen.load(Ordering::SeqCst), 4, "four tries in all");
    assert!(run.stderr.contains("エラー[K137]"), "{run:?}");
    assert!(run.stderr.contains("HTTP 503"), "{run:?}");
    assert!(show(&c, &d.name()).is_none());
}

#[test]
fn k131_no_token_says_where_one_goes() {
    // Checked before any call: no catalog is needed to tell it.
    let d = Draft::new("notoken", |t| t);
    let none = d.publish("http://127.0.0.1:9/", "", &[]);
    assert_eq!(none.code, 1, "{none:?}");
    assert!(none.stderr.contains("エラー[K131]"), "{none:?}");
    assert!(
        none.stderr.contains("環境変数 KOHYO_CKAN_TOKEN"),
        "{none:?}"
    );
    assert!(none.stdout.is_empty(), "{none:?}");
    // A token file that is empty is named.
    let d = Draft::new("tokenfile", |t| {
        t.replace("[catalog]", "[catalog]\ntoken_file = \"../ckan-token\"")
    });
    std::fs::write(d.input.join("../ckan-token"), "\n").unwrap();
    let empty = d.publish("http://127.0.0.1:9/", "", &[]);
    assert_eq!(empty.code, 1, "{empty:?}");
    assert!(
        empty.stderr.contains("K131") && empty.stderr.contains("ckan-token が空です"),
        "{empty:?}"
    );
}

#[test]
fn k130_a_draft_without_a_catalog_is_told_how_to_name_one() {
    let d = Draft::new("nocatalog", |t| {
        let cut = t.find("\n[catalog]").expect("the seed's [catalog]");
        t[..cut].to_string() + "\n"
    });
    let run = d.publish("http://127.0.0.1:9/", "some-token", &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("エラー[K130]"), "{run:?}");
    assert!(
        run.stderr.contains("organization = \"tomakomai\""),
        "{run:?}"
    );
    // With [catalog] but no url and no --to.
    let d = Draft::new("nourl", |t| t);
    let mut cmd = Command::new(common::BIN);
    let o = cmd
        .arg("publish")
        .arg(&d.input)
        .arg("--out")
        .arg(&d.out)
        .env("KOHYO_CKAN_TOKEN", "some-token")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("K130") && stderr.contains("--to URL"),
        "{stderr}"
    );
}

#[test]
fn k138_outputs_missing_or_edited_since_the_build_are_not_published() {
    let d = Draft::new("edited", |t| t);
    let csv = walk_find(&d.dir(), &format!("012131_{}_shisaku.csv", d.slug)).unwrap();
    let mut bytes = std::fs::read(&csv).unwrap();
    bytes.extend_from_slice(b"\r\n");
    std::fs::write(&csv, bytes).unwrap();
    let run = d.publish("http://127.0.0.1:9/", "some-token", &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("エラー[K138]"), "{run:?}");
    assert!(
        run.stderr.contains("ビルドの後に書き換えられています"),
        "{run:?}"
    );
    std::fs::remove_dir_all(d.dir()).unwrap();
    let gone = d.publish("http://127.0.0.1:9/", "some-token", &[]);
    assert!(
        gone.stderr.contains("K138") && gone.stderr.contains("に出力がありません"),
        "{gone:?}"
    );
}

#[test]
fn k139_a_token_written_into_kohyo_toml_is_refused_and_never_shown() {
    let secret = "4f9c2d7e1b-secret-token";
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("withtoken");
    std::fs::create_dir_all(&input).unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/tomakomai");
    std::fs::copy(
        seed.join("000_ebe3fcc3fed13691.txt"),
        input.join("000_ebe3fcc3fed13691.txt"),
    )
    .unwrap();
    let toml = std::fs::read_to_string(seed.join("kohyo.toml")).unwrap();
    std::fs::write(
        input.join("kohyo.toml"),
        toml.replace("[catalog]", &format!("[catalog]\ntoken = \"{secret}\"")),
    )
    .unwrap();
    for args in [
        &["check"][..],
        &["build", "--out"][..],
        &["publish", "--out"][..],
    ] {
        let mut cmd = Command::new(common::BIN);
        cmd.arg(args[0]).arg(&input);
        if args.len() > 1 {
            cmd.arg(args[1]).arg(tmp.path().join("out"));
        }
        let o = cmd.output().unwrap();
        let (out, err) = (
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr),
        );
        assert_eq!(o.status.code(), Some(1), "{args:?}: {out}{err}");
        assert!(
            format!("{out}{err}").contains("K139"),
            "{args:?}: {out}{err}"
        );
        assert!(
            !out.contains(secret) && !err.contains(secret),
            "{args:?} showed the token"
        );
    }
    assert!(!tmp.path().join("out").exists(), "nothing was built");
}

#[test]
fn k136_a_value_ckan_refuses_is_located_in_the_payload() {
    // The payload kohyo wrote before its tags were cleaned: CKAN 2.11 refuses the tag
    // まち・ひと・しごと創生 (409), and the error points at its line.
    let Some(c) = ckan() else { return };
    let d = Draft::new("oldtags", |t| t);
    let path = d.dir().join("catalog/ckan-package.json");
    let old = std::fs::read_to_string(&path)
        .unwrap()
        .replace("まちひとしごと創生", "まち・ひと・しごと創生");
    std::fs::write(&path, &old).unwrap();
    // The manifest as that build wrote it, so the outputs are intact.
    let mpath = d.dir().join("manifest.json");
    let mut m: Value = serde_json::from_str(&std::fs::read_to_string(&mpath).unwrap()).unwrap();
    for a in m["artifacts"].as_array_mut().unwrap() {
        if a["path"] == "catalog/ckan-package.json" {
            a["sha256"] = json!(kohyo::build::sha256_hex(old.as_bytes()));
            a["size"] = json!(old.len());
        }
    }
    std::fs::write(&mpath, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let run = d.publish(&c.url, &c.token, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("エラー[K136]"), "{run:?}");
    assert!(
        run.stderr.contains("tags の値「まち・ひと・しごと創生」"),
        "{run:?}"
    );
    let line = old
        .lines()
        .position(|l| l.contains("まち・ひと・しごと創生"))
        .unwrap()
        + 1;
    assert!(
        run.stderr.contains(&format!("ckan-package.json:{line}:")),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("can only contain alphanumeric characters"),
        "CKAN's words quoted: {run:?}"
    );
    assert!(show(&c, &d.name()).is_none(), "CKAN rolled the create back");
}

#[test]
fn several_drafts_in_one_run_are_each_reported_and_one_failure_does_not_stop_the_others() {
    let Some(c) = ckan() else { return };
    let tmp = TempDir::new().unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs/tomakomai");
    let (good, bad) = (unique("many-a"), unique("many-b"));
    for (name, org) in [(&good, "tomakomai"), (&bad, "no-such-city")] {
        let dir = tmp.path().join("in").join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(
            seed.join("000_ebe3fcc3fed13691.txt"),
            dir.join("000_ebe3fcc3fed13691.txt"),
        )
        .unwrap();
        let toml = std::fs::read_to_string(seed.join("kohyo.toml")).unwrap();
        std::fs::write(
            dir.join("kohyo.toml"),
            toml.replace(
                "organization = \"tomakomai\"",
                &format!("organization = \"{org}\""),
            ),
        )
        .unwrap();
    }
    let out = tmp.path().join("out");
    let inputs = [
        tmp.path().join("in").join(&bad),
        tmp.path().join("in").join(&good),
    ];
    let o = Command::new(common::BIN)
        .arg("build")
        .args(&inputs)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = Command::new(common::BIN)
        .arg("publish")
        .args(&inputs)
        .arg("--out")
        .arg(&out)
        .arg("--to")
        .arg(&c.url)
        .env("KOHYO_CKAN_TOKEN", &c.token)
        .env("KOHYO_PUBLISH_RETRY_MS", "20")
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert_eq!(o.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("K134"), "{stderr}");
    assert!(
        stderr.contains(&format!("公開 1 件（{good}）"))
            && stderr.contains(&format!("失敗 1 件（{bad}）")),
        "{stderr}"
    );
    assert!(show(&c, &format!("012131-{good}")).is_some());
    assert!(show(&c, &format!("012131-{bad}")).is_none());
}

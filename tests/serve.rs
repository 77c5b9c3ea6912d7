//! `kohyo serve`: the preview in the browser. The real binary serves a copy of the seed; the
//! pages are fetched over HTTP, checked by the Nu HTML Checker and, in Debian's chromium,
//! by axe-core while a draft is edited, broken and fixed (tests/js/serve.mjs).

mod common;

use common::{BIN, web};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const SEED: &str = "inputs/tomakomai";
const DRAFT: &str = "000_ebe3fcc3fed13691.txt";
/// An edit a member of staff might make: a measure's title.
const EDIT: (&str, &str) = ("①若者の市内就職の促進", "①若者の市内就職と定着の促進");
/// A mistake: measure ⑥ numbered ⑤ again (K105, on line 25).
const BREAK: (&str, &str) = ("⑥保育サービスの充実", "⑤保育サービスの充実");

/// A copy of the seed in a fresh folder, with an output folder beside it.
fn workspace() -> (TempDir, PathBuf, PathBuf) {
    let w = TempDir::new().expect("tempdir");
    let input = w.path().join("tomakomai");
    std::fs::create_dir(&input).expect("mkdir");
    for e in std::fs::read_dir(SEED).expect("seed") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), input.join(e.file_name())).expect("copy");
    }
    let out = w.path().join("out");
    (w, input, out)
}

/// A running `kohyo serve` and what it has printed.
struct Server {
    child: std::process::Child,
    printed: common::Printed,
    port: u16,
}

impl Server {
    fn start(input: &Path, out: &Path, extra: &[&str], envs: &[(&str, &str)]) -> Server {
        Server::start_with(&[input], out, extra, envs)
    }

    fn start_many(inputs: &[&Path], out: &Path, extra: &[&str]) -> Server {
        Server::start_with(inputs, out, extra, &[])
    }

    fn start_with(inputs: &[&Path], out: &Path, extra: &[&str], envs: &[(&str, &str)]) -> Server {
        // Run beside the drafts and name them as staff would (`tomakomai`), so the preview
        // names the draft's files the same way.
        let cwd = inputs[0].parent().expect("a parent folder");
        let mut cmd = Command::new(BIN);
        cmd.current_dir(cwd)
            .arg("serve")
            .args(inputs.iter().map(|i| i.strip_prefix(cwd).unwrap_or(i)))
            .arg("--out")
            .arg(out)
            .args(["--port", "0"])
            .args(extra)
            .stderr(Stdio::piped())
            .stdout(Stdio::null());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn kohyo serve");
        let printed = common::Printed::of(&mut child);
        let mut s = Server {
            child,
            printed,
            port: 0,
        };
        let line = s.wait_for("http://127.0.0.1:");
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .expect("a port in the line");
        s.port = port;
        s
    }

    fn wait_for(&mut self, want: &str) -> String {
        self.printed.wait_for(want, Duration::from_secs(60))
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// GET `path`: status and body.
    fn get(&self, path: &str) -> (u16, String) {
        let (status, _, body) = raw(self.port, &format!("GET {path} HTTP/1.1"), "127.0.0.1");
        (status, body)
    }

    /// Ctrl-C: a clean stop.
    fn stop(mut self) {
        Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill -INT");
        let status = self.child.wait().expect("wait");
        self.printed.drain();
        assert_eq!(status.code(), Some(0), "{}", self.printed.all());
        assert!(
            !self.printed.seen.iter().any(|l| l.contains("panicked")),
            "{}",
            self.printed.all()
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Send `request_line` exactly as written (no client normalizes its path) with `Host: host:port`;
/// the status, the headers and the body.
fn raw(port: u16, request_line: &str, host: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    write!(
        s,
        "{request_line}\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).expect("read");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

/// Replace `from` by `to` in the draft.
fn edit(input: &Path, (from, to): (&str, &str)) {
    let path = input.join(DRAFT);
    let text = std::fs::read_to_string(&path).expect("draft");
    assert!(text.contains(from), "the draft has no {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn paths_outside_the_outputs_other_hosts_and_other_methods_are_refused() {
    let (_w, input, out) = workspace();
    let mut s = Server::start(&input, &out, &[], &[]);
    s.wait_for("監視しています");
    // A file beside the outputs that must never be served, and one inside not in the manifest.
    std::fs::write(out.join("secret.txt"), "SECRET-OUTSIDE").expect("write");
    std::fs::write(out.join("tomakomai/stray.txt"), "SECRET-STRAY").expect("write");
    let (ok, body) = s.get("/out/tomakomai/index.html");
    assert_eq!(ok, 200);
    // The page as published: the very bytes on disk, with no script.
    assert_eq!(
        body.as_bytes(),
        std::fs::read(out.join("tomakomai/index.html")).expect("page")
    );
    assert!(!body.contains("<script"), "the published page has a script");
    let p = s.port;
    for (line, want) in [
        ("GET /out/tomakomai/../secret.txt HTTP/1.1", 403),
        (
            "GET /out/tomakomai/../../tomakomai/kohyo.toml HTTP/1.1",
            403,
        ),
        ("GET /out/tomakomai/%2e%2e/secret.txt HTTP/1.1", 403),
        ("GET /out/tomakomai/%2E%2E%2Fsecret.txt HTTP/1.1", 403),
        ("GET /out/tomakomai/..%5Csecret.txt HTTP/1.1", 403),
        ("GET /out/%2Ftmp%2Fsecret.txt/x HTTP/1.1", 403),
        ("GET /out/tomakomai//etc/passwd HTTP/1.1", 403),
        ("GET //etc/passwd HTTP/1.1", 403),
        (
            &format!("GET http://127.0.0.1:{p}/out/tomakomai/../secret.txt HTTP/1.1"),
            403,
        ),
        ("GET /out/tomakomai/stray.txt HTTP/1.1", 404),
        ("GET /out/tomakomai/../tomakomai/stray.txt HTTP/1.1", 403),
        ("GET /out/other/index.html HTTP/1.1", 404),
        ("GET /drafts/other/ HTTP/1.1", 404),
        ("POST / HTTP/1.1", 405),
        ("DELETE /out/tomakomai/index.html HTTP/1.1", 405),
    ] {
        let (status, _, body) = raw(s.port, line, "127.0.0.1");
        assert_eq!(status, want, "{line}: {body}");
        assert!(
            !body.contains("SECRET") && !body.contains("root:"),
            "{line}"
        );
    }
    // Another name for this machine (DNS rebinding) gets nothing.
    let (status, _, body) = raw(
        s.port,
        "GET /out/tomakomai/index.html HTTP/1.1",
        "evil.example",
    );
    assert_eq!(status, 421, "{body}");
    assert!(body.contains("127.0.0.1"), "{body}");
    // By its own names it is served; a refusal is a page in Japanese.
    assert_eq!(raw(s.port, "GET / HTTP/1.1", "localhost").0, 200);
    let (_, head, body) = raw(s.port, "GET /out/tomakomai/%2e%2e/x HTTP/1.1", "127.0.0.1");
    assert!(body.contains("このアドレスは開けません"), "{body}");
    assert!(
        head.to_ascii_lowercase()
            .contains("x-content-type-options: nosniff"),
        "{head}"
    );
    s.stop();
}

#[test]
fn a_busy_port_is_a_clear_error_and_the_server_listens_on_this_machine_only() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let (_w, input, out) = workspace();
    let o = Command::new(BIN)
        .arg("serve")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--port", &port.to_string()])
        .output()
        .expect("kohyo serve");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("ポート {port} は、ほかのプログラムが使っています"))
            && err.contains("--port 0"),
        "{err}"
    );
    assert!(
        !out.exists(),
        "nothing is built when the preview cannot start"
    );

    let mut s = Server::start(&input, &out, &[], &[]);
    // Not on any other address of this machine.
    let other: Vec<std::net::IpAddr> = Command::new("hostname")
        .arg("-I")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|a| a.parse().ok())
        .filter(|a: &std::net::IpAddr| !a.is_loopback())
        .collect();
    for ip in other {
        assert!(
            TcpStream::connect_timeout(&(ip, s.port).into(), Duration::from_secs(2)).is_err(),
            "the preview answers on {ip}"
        );
    }
    // Ctrl-C is a clean stop once watching has begun (before, it ends the process as a
    // signal does).
    s.wait_for("監視しています");
    s.stop();
}

#[test]
fn open_starts_the_browser_on_the_preview() {
    let (w, input, out) = workspace();
    let opened = w.path().join("opened.txt");
    let script = w.path().join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .expect("script");
    Command::new("chmod")
        .arg("+x")
        .arg(&script)
        .status()
        .expect("chmod");
    let script = script.display().to_string();
    let mut s = Server::start(&input, &out, &["--open"], &[("BROWSER", &script)]);
    s.wait_for("監視しています");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !opened.is_file() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let url = std::fs::read_to_string(&opened).expect("the browser was started");
    assert_eq!(url.trim(), s.url("/"));
    s.stop();
}

/// The preview's pages of the seed after an edit (so a 新旧対照表 exists), in `lang`.
fn pages(lang: &str) -> (TempDir, Vec<(&'static str, String)>, PathBuf) {
    let (w, input, out) = workspace();
    let mut s = Server::start(&input, &out, &["--lang", lang], &[]);
    s.wait_for(if lang == "en" {
        "watching"
    } else {
        "監視しています"
    });
    edit(&input, EDIT);
    s.wait_for(if lang == "en" {
        "rebuilt"
    } else {
        "更新しました"
    });
    let mut got = Vec::new();
    for (name, path) in [
        ("start", "/"),
        ("page", "/drafts/tomakomai/"),
        ("pdf", "/drafts/tomakomai/pdf"),
        ("data", "/drafts/tomakomai/data"),
        ("shinkyu", "/drafts/tomakomai/shinkyu"),
        ("missing", "/nothing"),
    ] {
        let (status, body) = s.get(path);
        assert_eq!(status, if name == "missing" { 404 } else { 200 }, "{path}");
        got.push((name, body));
    }
    s.stop();
    (w, got, out)
}

fn page<'a>(pages: &'a [(&str, String)], name: &str) -> &'a str {
    &pages.iter().find(|(n, _)| *n == name).expect(name).1
}

#[test]
fn the_preview_shows_diagnostics_as_check_does_the_outputs_and_passes_the_nu_checker() {
    let (w, got, out) = pages("ja");
    let draft = page(&got, "page");
    // Every diagnostic of `kohyo check`, with its code and place.
    let check = Command::new(BIN)
        .current_dir(w.path())
        .args(["check", "--format", "json", "tomakomai"])
        .output()
        .expect("check");
    let diags: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json");
    let diags = diags.as_array().expect("array");
    assert!(diags.len() >= 5, "{diags:?}");
    for d in diags {
        let code = d["code"].as_str().expect("code");
        let message = d["message"].as_str().expect("message");
        assert!(
            draft.contains(&format!("[{code}]: {}", quick_escape(message))),
            "{code} {message} missing from the preview"
        );
        if let Some(at) = d["location"].as_str() {
            assert!(at.starts_with("tomakomai/"), "{at}");
            assert!(draft.contains(&quick_escape(at)), "{at} missing");
        }
    }
    // Each link to the page names an id that the published page has.
    let published = std::fs::read_to_string(out.join("tomakomai/index.html")).expect("page");
    let links: Vec<&str> = draft
        .split("href=\"/out/tomakomai/index.html#")
        .skip(1)
        .map(|r| r.split('"').next().expect("id"))
        .collect();
    assert!(links.len() >= 4, "{links:?}");
    for id in &links {
        assert!(published.contains(&format!("id=\"{id}\"")), "{id}");
    }
    // K112 (line 20) concerns the first measure; K111 on line 41 its own related project.
    assert!(draft.contains("ページで見る：基本目標1 › 1-1 › ①若者の市内就職と定着の促進"));
    assert!(draft.contains(
        "ページで見る：基本目標3 › 関連する既存事業 › 植苗・美沢地区コミュニティバス運行事業"
    ));
    // The frame of the page, the PDF, the CSV as tables, the 新旧対照表.
    assert!(draft.contains("<iframe id=\"frame-page\" name=\"page\""));
    let pdf = page(&got, "pdf");
    assert!(pdf.contains("<iframe id=\"frame-pdf\"") && pdf.contains("tomakomai.pdf"));
    assert!(pdf.contains(" download=\"\">ダウンロード: PDF（"), "{pdf}");
    let data = page(&got, "data");
    for csv in common::files_with_extension(&out.join("tomakomai/data"), "csv") {
        let rows = common::csv_records(&std::fs::read(&csv).expect("csv"));
        let name = csv
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(
            data.contains(&format!("{name}（{} 行）", rows.len() - 1)),
            "{name}"
        );
        // Every value is in a cell (escaped).
        for row in rows.iter().skip(1).take(20) {
            for cell in row {
                assert!(
                    data.contains(&format!("<td>{}</td>", quick_escape(cell))),
                    "{cell}"
                );
            }
        }
    }
    let shinkyu = page(&got, "shinkyu");
    assert!(
        shinkyu.contains("<iframe id=\"frame-shinkyu\""),
        "{shinkyu}"
    );
    // Nothing loaded from outside, and the refresh script only in the preview's pages.
    for (name, body) in &got {
        assert!(
            !body.contains("http://") && !body.contains("https://"),
            "{name}"
        );
        assert!(
            body.contains("<script src=\"/assets/preview.js\""),
            "{name}"
        );
    }
    if !web::checkers() {
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    for (name, body) in &got {
        let file = dir.path().join(format!("{name}.html"));
        std::fs::write(&file, body).expect("write");
        let messages = web::vnu(&file);
        assert!(messages.is_empty(), "vnu on {name}: {messages:#?}");
    }
}

#[test]
fn the_preview_speaks_english_on_request() {
    let (_w, got, _) = pages("en");
    let draft = page(&got, "page");
    assert!(draft.contains("<html lang=\"en\">"));
    assert!(draft.contains("warning[K107]:"), "{draft}");
    assert!(draft.contains("Check results (kohyo check)"));
    let start = page(&got, "start");
    assert!(start.contains("Drafts and their state"));
    // The preview's own words have no Japanese; the draft's text and the page frame do.
    let start_text: String = start
        .split('<')
        .filter_map(|t| t.split_once('>').map(|(_, text)| text))
        .collect();
    let own = start_text.replace("苫小牧市総合戦略（骨子案）", "");
    assert!(
        !own.chars()
            .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}')),
        "{own}"
    );
}

/// Text as the page escapes it.
fn quick_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[test]
fn in_a_browser_the_preview_follows_an_edit_a_broken_save_and_the_fix_without_reloading() {
    if !web::checkers() {
        return;
    }
    let (w, input, out) = workspace();
    // A second draft, broken from the start: no outputs yet.
    let fresh = w.path().join("fresh");
    std::fs::create_dir(&fresh).expect("mkdir");
    for e in std::fs::read_dir(&input).expect("seed") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), fresh.join(e.file_name())).expect("copy");
    }
    edit(&fresh, BREAK);
    let mut s = Server::start_many(&[&input, &fresh], &out, &[]);
    s.wait_for("2 件の原稿を監視しています");
    assert!(!out.join("fresh").exists());
    let shots = std::env::var("KOHYO_SCREENSHOTS").ok();
    let plan = serde_json::json!({
        "base": s.url("/"),
        "slug": "tomakomai",
        "draft": input.join(DRAFT),
        "edit": { "from": EDIT.0, "to": EDIT.1 },
        "broken": { "from": BREAK.0, "to": BREAK.1, "code": "K105", "place": format!("{DRAFT}:25:3") },
        "fresh": {
            "slug": "fresh", "draft": fresh.join(DRAFT), "from": BREAK.1, "to": BREAK.0,
            "code": "K105", "expect": "保育サービスの充実",
        },
        "screenshots": shots,
    });
    let plan_file = w.path().join("plan.json");
    std::fs::write(&plan_file, plan.to_string()).expect("plan");
    let o = Command::new("node")
        .arg("tests/js/serve.mjs")
        .arg(&plan_file)
        .output()
        .expect("node serve.mjs");
    assert!(
        o.status.success(),
        "serve.mjs failed: {}\nkohyo: {}",
        String::from_utf8_lossy(&o.stderr),
        s.printed.all()
    );
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("serve.mjs JSON");
    eprintln!(
        "serve.mjs: {}",
        serde_json::to_string(&r["steps"]).unwrap_or_default()
    );
    eprintln!("serve.mjs fresh: {}", r["fresh"]);
    for step in ["edit", "broken", "fixed"] {
        let ms = r["steps"][step]["ms"].as_u64();
        // Seen within a second of the save, with the page never reloaded.
        assert!(
            ms.is_some_and(|ms| ms < 1000),
            "{step}: {}",
            r["steps"][step]
        );
        assert_eq!(
            r["steps"][step]["kept"], true,
            "{step}: the page was reloaded"
        );
    }
    assert_eq!(r["loads"], 0, "the page was reloaded");
    // A draft broken from its first build: its error and no frame (never a blank page); the
    // fix brings its page in, without a reload.
    let fresh = &r["fresh"];
    assert_eq!(fresh["before"]["failed"], true, "{fresh}");
    assert_eq!(fresh["before"]["code"], true, "{fresh}");
    assert_eq!(fresh["before"]["frames"], 0, "{fresh}");
    assert!(fresh["ms"].as_u64().is_some_and(|ms| ms < 1000), "{fresh}");
    assert_eq!(fresh["kept"], true, "{fresh}");
    assert_eq!(fresh["loads"], 0, "{fresh}");
    assert_eq!(fresh["failed_after"], false, "{fresh}");
    let broken = &r["steps"]["broken"];
    let text = broken["diagnostics"].as_str().expect("text");
    assert!(
        text.contains("エラー[K105]: 具体的な施策の番号 5 が二度使われています"),
        "{text}"
    );
    assert!(
        broken["state"]
            .as_str()
            .expect("state")
            .contains("エラーあり"),
        "{broken}"
    );
    assert_eq!(broken["frame_kept"], true, "the last good page went away");
    assert_eq!(broken["error_above_frame"], true);
    assert!(
        !r["steps"]["fixed"]["state"]
            .as_str()
            .expect("state")
            .contains("エラーあり")
    );
    assert_eq!(r["link"]["target_exists"], true, "{}", r["link"]);
    for (view, schemes) in r["axe"].as_object().expect("axe") {
        for scheme in ["light", "dark"] {
            let a = &schemes[scheme];
            let v = a["violations"].as_array().expect("violations");
            assert!(v.is_empty(), "axe on {view} ({scheme}): {v:#?}");
            assert!(
                a["reflow"]["scrollWidth"].as_u64() <= a["reflow"]["clientWidth"].as_u64(),
                "{view} scrolls sideways at 320 px: {}",
                a["reflow"]
            );
        }
    }
    assert_eq!(
        r["outside"],
        serde_json::json!([]),
        "requests outside the preview"
    );
    s.stop();
}

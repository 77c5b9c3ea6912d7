//! The web-page checkers the tests share: the Nu HTML Checker and check.mjs (axe-core and the
//! layout checks in Debian's chromium).

use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The Nu HTML Checker, from npm's vnu-jar.
pub const VNU: &str = "tests/js/node_modules/vnu-jar/build/dist/vnu.jar";
/// axe-core and the layout checks in chromium.
pub const CHECK: &str = "tests/js/check.mjs";

/// Whether this is CI (where a missing checker is a failure).
pub fn ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// Whether the checkers can run; under CI their absence is a failure.
pub fn checkers() -> bool {
    let java = Command::new("java").arg("-version").output().is_ok();
    let node = Command::new("node").arg("--version").output().is_ok();
    let modules = Path::new(VNU).is_file()
        && Path::new("tests/js/node_modules/axe-core/axe.min.js").is_file()
        && Path::new("tests/js/node_modules/playwright-core").is_dir();
    let chromium = Path::new("/usr/bin/chromium").is_file();
    let ok = java && node && modules && chromium;
    if !ok {
        let need = "Java 17, Node.js, `npm ci --ignore-scripts --prefix tests/js` and \
                    `apt-get install chromium`";
        assert!(
            !ci(),
            "HTML checkers missing (java {java}, node {node}, modules {modules}, chromium {chromium}): install {need}"
        );
        eprintln!("skipping: install {need}");
    }
    ok
}

/// The Nu HTML Checker's messages for `page` (errors, warnings and info).
pub fn vnu(page: &Path) -> Vec<Value> {
    let o = Command::new("java")
        .args(["-jar", VNU, "--format", "json", "--stdout"])
        .arg(page)
        .output()
        .expect("java -jar vnu.jar");
    let report: Value = serde_json::from_slice(&o.stdout).expect("vnu JSON");
    report["messages"].as_array().expect("messages").clone()
}

/// check.mjs's report for `page`.
pub fn browser_checks(page: &Path) -> Value {
    let o = Command::new("node")
        .arg(CHECK)
        .arg(page)
        .output()
        .expect("node check.mjs");
    assert!(
        o.status.success(),
        "check.mjs failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("check.mjs JSON")
}

pub fn assert_browser_clean(report: &Value) {
    for scheme in ["light", "dark"] {
        let v = report["axe"][scheme].as_array().expect("violations");
        assert!(
            v.is_empty(),
            "axe ({scheme}): {}",
            serde_json::to_string_pretty(v).unwrap_or_default()
        );
    }
    for case in ["reflow320", "spacing200"] {
        let r = &report[case];
        assert!(
            r["scrollWidth"].as_u64() <= r["clientWidth"].as_u64(),
            "{case}: the page scrolls sideways: {r}"
        );
        assert_eq!(
            r["clipped"],
            Value::Array(vec![]),
            "{case}: clipped text: {r}"
        );
        assert_eq!(
            r["outside"],
            Value::Array(vec![]),
            "{case}: text off screen: {r}"
        );
        for region in r["regions"].as_array().expect("regions") {
            assert_eq!(
                region["focusable"], true,
                "{case}: a scrolling region without tabindex"
            );
        }
    }
    assert_eq!(
        report["requests"],
        Value::Array(vec![]),
        "the page loaded something"
    );
    assert_eq!(report["content"]["lang"], "ja");
}

//! The CKAN action API over HTTP: one blocking client (ureq with rustls), CKAN's answers
//! read into values, and retries with backoff for the calls that are safe to repeat.

use serde_json::Value;
use std::path::Path;
use std::time::Duration;
use ureq::unversioned::multipart::{Form, Part};

/// An API token. It is sent in the `Authorization` header and never shown: `Debug` prints a
/// mask, and no message kohyo writes contains it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wrap a token, without the whitespace around it (a file's final newline).
    pub fn new(token: &str) -> Option<Self> {
        let t = token.trim();
        (!t.is_empty()).then(|| Secret(t.to_string()))
    }

    /// The token itself, for the header alone.
    fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Why a call did not succeed.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// No answer: the host is unknown, the connection refused or cut, TLS failed, or the
    /// catalog did not answer in time.
    Unreachable {
        /// What kind of failure, for the message.
        why: Unreachable,
        /// The HTTP library's own words (shown in English messages only).
        detail: String,
    },
    /// CKAN answered with an error: its HTTP status and its `error` object (or the whole body
    /// when it is not CKAN's envelope).
    Refused {
        /// The HTTP status.
        status: u16,
        /// CKAN's `error` (`__type`, `message`, or a field → messages map).
        error: Value,
    },
    /// An answer that is not CKAN's JSON (a proxy's error page, a site that is not CKAN).
    Garbled {
        /// The HTTP status.
        status: u16,
        /// The first characters of the body.
        text: String,
    },
}

/// Kinds of no-answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreachable {
    /// The host name does not resolve.
    HostNotFound,
    /// Nothing listens there, or the connection was cut.
    Connection,
    /// No answer in time.
    Timeout,
    /// The TLS handshake or certificate failed.
    Tls,
    /// Anything else (a malformed URL, a protocol error).
    Other,
}

impl Failure {
    /// True when trying the same call again may succeed: no answer, or a server-side error.
    pub fn transient(&self) -> bool {
        match self {
            Failure::Unreachable { why, .. } => *why != Unreachable::HostNotFound,
            Failure::Refused { status, .. } | Failure::Garbled { status, .. } => *status >= 500,
        }
    }
}

/// How many times a call that is safe to repeat is tried, and the first wait between tries
/// (doubled each time).
#[derive(Clone, Copy, Debug)]
pub struct Retry {
    /// Tries in all, the first included.
    pub attempts: u32,
    /// The wait after the first failure.
    pub first_wait: Duration,
}

impl Default for Retry {
    /// Four tries, waiting 0.5 s, 1 s and 2 s; `KOHYO_PUBLISH_RETRY_MS` sets the first wait.
    fn default() -> Self {
        let ms = std::env::var("KOHYO_PUBLISH_RETRY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(500);
        Retry {
            attempts: 4,
            first_wait: Duration::from_millis(ms),
        }
    }
}

/// A client for one CKAN site's action API.
pub struct Client {
    agent: ureq::Agent,
    api: String,
    token: Option<Secret>,
    retry: Retry,
}

impl Client {
    /// A client for the site at `site` (its root URL, ending in `/`), sending `token` when
    /// there is one.
    pub fn new(site: &str, token: Option<Secret>, retry: Retry) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(300)))
            .http_status_as_error(false)
            .user_agent(format!("kohyo/{}", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client {
            agent,
            api: format!("{site}api/3/action/"),
            token,
            retry,
        }
    }

    /// A read-only action (`package_show`, `organization_show`, `license_list`) by GET,
    /// retried while it fails for want of an answer or on a server error.
    pub fn show(&self, action: &str, params: &[(&str, &str)]) -> Result<Value, Failure> {
        self.retrying(true, || {
            let mut req = self.agent.get(format!("{}{action}", self.api));
            for (k, v) in params {
                req = req.query(*k, *v);
            }
            if let Some(t) = &self.token {
                req = req.header("Authorization", t.expose());
            }
            answer(req.call())
        })
    }

    /// A write action with a JSON body; retried only when `repeatable` (a patch or delete that
    /// gives the same result when done twice).
    pub fn post(&self, action: &str, body: &Value, repeatable: bool) -> Result<Value, Failure> {
        self.retrying(repeatable, || {
            let mut req = self.agent.post(format!("{}{action}", self.api));
            if let Some(t) = &self.token {
                req = req.header("Authorization", t.expose());
            }
            answer(req.send_json(body))
        })
    }

    /// A write action as a multipart form: `fields` as text parts and the file at `path` as
    /// the part `upload`, named `file_name`; retried only when `repeatable`.
    pub fn post_file(
        &self,
        action: &str,
        fields: &[(String, String)],
        path: &Path,
        file_name: &str,
        mime: &str,
        repeatable: bool,
    ) -> Result<Value, Failure> {
        self.retrying(repeatable, || {
            let bytes = std::fs::read(path).map_err(|e| Failure::Unreachable {
                why: Unreachable::Other,
                detail: format!("{}: {e}", path.display()),
            })?;
            let mut form = Form::new();
            for (k, v) in fields {
                form = form.text(k, v);
            }
            let part = Part::bytes(&bytes)
                .file_name(file_name)
                .mime_str(mime)
                .map_err(|e| from_ureq(&e))?;
            form = form.part("upload", part);
            let mut req = self.agent.post(format!("{}{action}", self.api));
            if let Some(t) = &self.token {
                req = req.header("Authorization", t.expose());
            }
            answer(req.send(form))
        })
    }

    fn retrying(
        &self,
        repeatable: bool,
        mut call: impl FnMut() -> Result<Value, Failure>,
    ) -> Result<Value, Failure> {
        let mut wait = self.retry.first_wait;
        let mut tries = 1;
        loop {
            match call() {
                Err(f) if repeatable && f.transient() && tries < self.retry.attempts => {
                    std::thread::sleep(wait);
                    wait *= 2;
                    tries += 1;
                }
                other => return other,
            }
        }
    }
}

/// CKAN's answer as its `result`, or why not.
fn answer(sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<Value, Failure> {
    let mut resp = sent.map_err(|e| from_ureq(&e))?;
    let status = resp.status().as_u16();
    let text = resp
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .map_err(|e| from_ureq(&e))?;
    envelope(status, &text)
}

/// Read CKAN's `{"success": …, "result"|"error": …}` envelope.
pub fn envelope(status: u16, text: &str) -> Result<Value, Failure> {
    let garbled = || Failure::Garbled {
        status,
        text: text.chars().take(200).collect(),
    };
    let Ok(body) = serde_json::from_str::<Value>(text) else {
        return Err(garbled());
    };
    match body.get("success").and_then(Value::as_bool) {
        Some(true) if (200..300).contains(&status) => {
            Ok(body.get("result").cloned().unwrap_or(Value::Null))
        }
        Some(_) => Err(Failure::Refused {
            status,
            error: body.get("error").cloned().unwrap_or(Value::Null),
        }),
        // A 400 can carry a bare JSON string.
        None if status >= 400 => Err(Failure::Refused {
            status,
            error: body,
        }),
        None => Err(garbled()),
    }
}

fn from_ureq(e: &ureq::Error) -> Failure {
    use ureq::Error as E;
    let why = match e {
        E::HostNotFound => Unreachable::HostNotFound,
        E::Timeout(_) => Unreachable::Timeout,
        E::ConnectionFailed => Unreachable::Connection,
        E::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Unreachable::Timeout,
        E::Io(_) => Unreachable::Connection,
        E::Tls(_) | E::Rustls(_) => Unreachable::Tls,
        _ => Unreachable::Other,
    };
    Failure::Unreachable {
        why,
        detail: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ckan_envelopes() {
        assert_eq!(
            envelope(200, r#"{"help":"h","success":true,"result":{"name":"x"}}"#),
            Ok(json!({"name": "x"}))
        );
        assert_eq!(
            envelope(
                409,
                r#"{"success":false,"error":{"__type":"Validation Error","name":["That URL is already in use."]}}"#
            ),
            Err(Failure::Refused {
                status: 409,
                error: json!({"__type": "Validation Error", "name": ["That URL is already in use."]})
            })
        );
        assert_eq!(
            envelope(400, r#""Bad request - JSON Error""#),
            Err(Failure::Refused {
                status: 400,
                error: json!("Bad request - JSON Error")
            })
        );
        let garbled = envelope(502, "<html>Bad Gateway</html>");
        assert!(matches!(garbled, Err(Failure::Garbled { status: 502, .. })));
        assert!(garbled.unwrap_err().transient());
    }

    #[test]
    fn tokens_are_never_shown() {
        let s = Secret::new("  abc.def-secret\n").unwrap();
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(s.expose(), "abc.def-secret");
        assert!(Secret::new(" \n").is_none());
    }

    #[test]
    fn only_failures_worth_a_second_try_are_transient() {
        let refused = |status| Failure::Refused {
            status,
            error: Value::Null,
        };
        assert!(refused(500).transient());
        assert!(refused(503).transient());
        assert!(!refused(409).transient());
        assert!(!refused(403).transient());
        let cut = Failure::Unreachable {
            why: Unreachable::Connection,
            detail: String::new(),
        };
        assert!(cut.transient());
        let unknown = Failure::Unreachable {
            why: Unreachable::HostNotFound,
            detail: String::new(),
        };
        assert!(!unknown.transient());
    }
}

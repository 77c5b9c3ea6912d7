//! What a publish says when it cannot go on: every CKAN answer and every local problem as a
//! located diagnostic in Japanese and English. CKAN's own words are quoted, never relied on:
//! they may be translated, so decisions key on the status and the field names.

use super::client::{Failure, Unreachable};
use super::plan::Local;
use crate::diag::{Code, Diagnostic};
use crate::grid::Origin;
use crate::meta::CatalogSettings;
use serde_json::Value;
use std::path::Path;

/// What the publish was doing when the catalog answered.
#[derive(Clone, Debug)]
pub enum Call {
    /// `organization_show`.
    Organization,
    /// `license_list`.
    Licenses,
    /// `organization_list_for_user`.
    Rights,
    /// `package_show`.
    Show,
    /// `package_create`.
    Create,
    /// `package_patch` or `package_resource_reorder`.
    Update,
    /// `resource_create` or `resource_patch` for this file.
    Resource(String),
    /// `resource_delete`.
    Prune,
}

impl Call {
    /// True for the calls that change the catalog: only then can a failure leave part done.
    fn writes(&self) -> bool {
        matches!(
            self,
            Call::Create | Call::Update | Call::Resource(_) | Call::Prune
        )
    }

    fn words(&self) -> (String, String) {
        match self {
            Call::Organization => ("組織の確認".into(), "checking the organization".into()),
            Call::Licenses => (
                "ライセンス一覧の取得".into(),
                "reading the licence list".into(),
            ),
            Call::Rights => ("権限の確認".into(), "checking the rights".into()),
            Call::Show => ("データセットの確認".into(), "reading the dataset".into()),
            Call::Create => ("データセットの作成".into(), "creating the dataset".into()),
            Call::Update => ("データセットの更新".into(), "updating the dataset".into()),
            Call::Resource(f) => (
                format!("リソース {f} の送信"),
                format!("sending resource {f}"),
            ),
            Call::Prune => ("リソースの削除".into(), "removing a resource".into()),
        }
    }
}

/// The draft's place in the catalog, for the messages.
pub struct Context<'a> {
    /// The catalog's root URL.
    pub site: &'a str,
    /// The organization.
    pub org: &'a str,
    /// The dataset's name.
    pub dataset: &'a str,
    /// The payload's path, as shown.
    pub payload: &'a str,
    /// The payload.
    pub local: &'a Local,
}

const RESUME_JA: &str = "ここまでに済んだ分はカタログに残ります。原因を直してもう一度 kohyo publish を実行すると、続きから仕上げます（済んだものは送り直しません）";
const RESUME_EN: &str = "what was done so far stays in the catalog; fix the cause and run kohyo publish again to finish the job (nothing done is sent twice)";

/// The note that a later publish finishes the job, for failures of calls that write.
trait Resume {
    fn resume(self, call: &Call) -> Self;
}

impl Resume for Diagnostic {
    fn resume(self, call: &Call) -> Self {
        if call.writes() {
            self.note(RESUME_JA, RESUME_EN)
        } else {
            self
        }
    }
}

/// K130: no `[catalog]` in kohyo.toml.
pub fn no_catalog(toml: &str, input: &Path) -> Diagnostic {
    let origin = Path::new(toml).is_file().then(|| Origin::file(toml));
    Diagnostic::new(
        Code::K130,
        origin,
        format!(
            "{} の公開先のカタログが kohyo.toml の [catalog] にありません",
            input.display()
        ),
        format!(
            "kohyo.toml of {} has no [catalog] to publish to",
            input.display()
        ),
    )
    .note(
        "kohyo.toml に [catalog] を書いてください（例: [catalog] の下に url = \"https://data.city.example.lg.jp/\" と organization = \"tomakomai\"）。API トークンは環境変数 KOHYO_CKAN_TOKEN で渡します",
        "add a [catalog] table to kohyo.toml (e.g. url = \"https://data.city.example.lg.jp/\" and organization = \"tomakomai\" under [catalog]); the API token comes from the environment variable KOHYO_CKAN_TOKEN",
    )
}

/// K130: a `[catalog]` without `url`, and no `--to`.
pub fn no_url(toml: &str) -> Diagnostic {
    Diagnostic::new(
        Code::K130,
        Some(Origin::file(toml)),
        "カタログの URL がありません",
        "the catalog's URL is not given",
    )
    .note(
        "kohyo.toml の [catalog] に url = \"https://…/\" を書くか、kohyo publish --to URL で指定してください",
        "write url = \"https://…/\" under [catalog] in kohyo.toml, or give kohyo publish --to URL",
    )
}

/// K138: the outputs are missing, stale or edited; `ja`/`en` finish the sentence about `what`.
pub fn stale(what: &str, ja: &str, en: &str, input: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::K138,
        Some(Origin::file(what)),
        format!("{what} {ja}"),
        format!("{what} {en}"),
    )
    .note(
        format!(
            "公開する前に kohyo build {} を実行してください。kohyo publish は、いまの原稿から作った出力だけを公開します",
            input.display()
        ),
        format!(
            "run kohyo build {} before publishing: kohyo publish releases only outputs made from the draft as it is now",
            input.display()
        ),
    )
}

/// K131: the token file named in kohyo.toml is empty or unreadable.
pub fn token_file(path: &Path, ja: &str, en: &str) -> Diagnostic {
    let shown = path.display().to_string();
    Diagnostic::new(
        Code::K131,
        None,
        format!("token_file に書かれたファイル {shown} {ja}"),
        format!("the token file {shown} named by token_file {en}"),
    )
    .note(
        "カタログの利用者ページで API トークンを作り、そのファイルに1行で保存してください",
        "make an API token on your user page in the catalog and save it in that file as one line",
    )
}

/// K131: no token at all.
pub fn no_token(settings: &CatalogSettings, toml: &str, site: &str) -> Diagnostic {
    let var = &settings.token_env;
    let file = settings
        .token_file
        .as_deref()
        .map(|f| format!("、token_file の {f}"))
        .unwrap_or_default();
    let file_en = settings
        .token_file
        .as_deref()
        .map(|f| format!(" nor the token file {f}"))
        .unwrap_or_default();
    Diagnostic::new(
        Code::K131,
        Some(Origin::file(toml)),
        format!("カタログ {site} の API トークンが、環境変数 {var}{file} のどちらにもありません"),
        format!("no API token for the catalog {site}: neither the environment variable {var}{file_en} holds one"),
    )
    .note(
        format!("カタログの利用者ページで API トークンを作り、環境変数 {var} に入れてから実行してください（kohyo.toml やコマンドラインには書きません）。--dry-run なら、トークンなしで公開される内容を確かめられます"),
        format!("make an API token on your user page in the catalog and set it in {var} (never in kohyo.toml or on the command line); --dry-run shows what would be published without a token"),
    )
}

/// K140: the payload's licence id is not in the catalog's list.
pub fn license(id: &str, licenses: &[Value], ctx: &Context) -> Diagnostic {
    let extras: Vec<&str> = ctx
        .local
        .dataset
        .get("extras")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter(|e| e.get("key").and_then(Value::as_str) == Some("license_url"))
                .filter_map(|e| e.get("value").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    // Licences of the portal that look like ours: the same address, or the same family.
    let ours = extras.first().copied().unwrap_or("");
    let key = if ours.contains("creativecommons.org/licenses/by/") {
        "by"
    } else {
        "public_data_license"
    };
    let like: Vec<String> = licenses
        .iter()
        .filter(|l| {
            let url = l.get("url").and_then(Value::as_str).unwrap_or("");
            let lid = l.get("id").and_then(Value::as_str).unwrap_or("");
            (key == "by"
                && (url.contains("/licenses/by/")
                    || lid.to_lowercase() == "cc-by"
                    || lid.to_lowercase().starts_with("cc-by-4")))
                || (key != "by" && (url.contains(key) || lid.to_lowercase().contains("pdl")))
        })
        .filter_map(|l| l.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    let mut d = Diagnostic::new(
        Code::K140,
        locate(ctx, "license_id", None).map(|(l, c)| Origin::text(ctx.payload, l, c)),
        format!(
            "license_id「{id}」は {} のライセンス一覧にありません",
            ctx.site
        ),
        format!(
            "license_id \"{id}\" is not in the licence list of {}",
            ctx.site
        ),
    );
    d = if like.is_empty() {
        d.note(
            "kohyo.toml の [catalog] に license_id = \"…\" で、このカタログでのライセンスの id を書いてください（カタログの api/3/action/license_list で一覧を見られます）",
            "write the catalog's id for the licence as license_id = \"…\" under [catalog] in kohyo.toml (the catalog lists them at api/3/action/license_list)",
        )
    } else {
        d.note(
            format!("このカタログでは {} が同じライセンスのようです。kohyo.toml の [catalog] に license_id = \"{}\" と書いて、kohyo build をやり直してください", like.join("・"), like[0]),
            format!("the catalog seems to call the licence {}: write license_id = \"{}\" under [catalog] in kohyo.toml and build again", like.join(", "), like[0]),
        )
    };
    d
}

/// K133: the token's user cannot create datasets in the organization.
pub fn no_rights(orgs: &[String], ctx: &Context) -> Diagnostic {
    let (ja, en) = if orgs.is_empty() {
        (
            "API トークンがカタログに認められていないか（期限切れ・取り消し・別のサイトのもの）、その利用者はどの組織の編集者でもありません".to_string(),
            "the catalog does not recognise the API token (expired, revoked or from another site), or its user is an editor of no organization".to_string(),
        )
    } else {
        (
            format!(
                "API トークンの利用者は組織 {} の編集者ではありません（編集できる組織: {}）",
                ctx.org,
                orgs.join("・")
            ),
            format!(
                "the API token's user is not an editor of the organization {} (it may edit: {})",
                ctx.org,
                orgs.join(", ")
            ),
        )
    };
    Diagnostic::new(Code::K133, None, ja, en).note(
        format!("カタログの管理者に、組織 {} の編集者か管理者にしてもらうか、正しいトークンを作り直してください", ctx.org),
        format!("ask the catalog's administrator to make the user an editor or admin of {}, or make a new token", ctx.org),
    )
}

/// K135: the dataset name is taken by another organization's dataset (`owner` when visible).
pub fn name_taken(owner: Option<&str>, ctx: &Context) -> Diagnostic {
    let origin = locate(ctx, "name", None).map(|(l, c)| Origin::text(ctx.payload, l, c));
    let (ja, en) = match owner {
        Some(o) if !o.is_empty() => (
            format!(
                "データセット名 {} は、組織 {o} のデータセットがすでに使っています",
                ctx.dataset
            ),
            format!(
                "the dataset name {} is already used by a dataset of the organization {o}",
                ctx.dataset
            ),
        ),
        _ => (
            format!(
                "データセット名 {} は、この利用者からは見えないデータセット（他の組織の非公開データセットなど）がすでに使っています",
                ctx.dataset
            ),
            format!(
                "the dataset name {} is already used by a dataset this user cannot see (another organization's private dataset, say)",
                ctx.dataset
            ),
        ),
    };
    Diagnostic::new(Code::K135, origin, ja, en).note(
        "原稿のフォルダ名からデータセット名を作っています（全国地方公共団体コード-フォルダ名）。フォルダ名を変えるか、カタログの管理者に相談してください。他の組織のデータセットは書き換えません",
        "the name is made from the draft's folder name (local government code-folder name): rename the folder or ask the catalog's administrator; kohyo never overwrites another organization's dataset",
    )
}

/// The CKAN message texts in an error value, joined.
fn messages(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(messages).collect(),
        Value::Object(o) => o.values().flat_map(messages).collect(),
        _ => Vec::new(),
    }
}

/// The line and column of `field` in the payload (and, when `value` is given, of the line
/// that holds both), 1-based.
fn locate(ctx: &Context, field: &str, value: Option<&str>) -> Option<(u32, u32)> {
    let text = std::fs::read_to_string(ctx.payload).ok()?;
    let key = format!("\"{field}\":");
    let quoted = value.map(|v| serde_json::to_string(v).unwrap_or_default());
    for (i, line) in text.lines().enumerate() {
        let hit = match &quoted {
            Some(q) => line.contains(q.as_str()),
            None => line.contains(&key),
        };
        if hit {
            let col = line
                .find(quoted.as_deref().unwrap_or(&key))
                .map(|b| line[..b].chars().count() + 1)
                .unwrap_or(1);
            return Some((i as u32 + 1, col as u32));
        }
    }
    None
}

/// The value of `field` as written in the payload, shortened for a message.
fn shown_value(ctx: &Context, field: &str) -> String {
    let v = match ctx.local.dataset.get(field) {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let short: String = v.chars().take(60).collect();
    if short.len() < v.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// One K136 per field CKAN refused: where it is in the payload, its value, what CKAN said.
fn validation(error: &Value, call: &Call, ctx: &Context) -> Vec<Diagnostic> {
    let Some(fields) = error.as_object() else {
        return Vec::new();
    };
    let (doing_ja, doing_en) = call.words();
    let mut out = Vec::new();
    for (field, problem) in fields {
        if field.starts_with("__") {
            continue;
        }
        // Lists (tags, extras, resources) answer one entry per item: point at the items
        // that have messages.
        let items: Vec<(Option<String>, Vec<String>)> = match problem {
            Value::Array(a) if a.iter().any(Value::is_object) => a
                .iter()
                .enumerate()
                .filter(|(_, e)| !messages(e).is_empty())
                .map(|(i, e)| {
                    let item = ctx
                        .local
                        .dataset
                        .get(field)
                        .and_then(|l| l.get(i))
                        .and_then(|x| x.get("name").or_else(|| x.get("key")))
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    (item, messages(e))
                })
                .collect(),
            // A list field answered as a list of messages (tags): the item the message quotes.
            other => {
                let said = messages(other);
                let quoted = ctx
                    .local
                    .dataset
                    .get(field)
                    .and_then(Value::as_array)
                    .and_then(|items| {
                        items
                            .iter()
                            .filter_map(|x| x.get("name").or_else(|| x.get("key")))
                            .filter_map(Value::as_str)
                            .find(|n| said.iter().any(|m| m.contains(&format!("\"{n}\""))))
                    })
                    .map(str::to_string);
                vec![(quoted, said)]
            }
        };
        for (item, said) in items {
            let value = item.clone().unwrap_or_else(|| shown_value(ctx, field));
            let origin = locate(ctx, field, item.as_deref())
                .or_else(|| locate(ctx, field, None))
                .map(|(l, c)| Origin::text(ctx.payload, l, c));
            let said = said.join(" / ");
            out.push(
                Diagnostic::new(
                    Code::K136,
                    origin,
                    format!(
                        "{doing_ja}で、カタログが {field} の値「{value}」を受け付けませんでした"
                    ),
                    format!("{doing_en}: the catalog refused the value \"{value}\" of {field}"),
                )
                .note(
                    format!("カタログの応答: 「{said}」"),
                    format!("the catalog said: \"{said}\""),
                )
                .resume(call),
            );
        }
    }
    out
}

/// A failed call as a diagnostic.
pub fn diagnose(f: &Failure, call: Call, ctx: &Context) -> Diagnostic {
    let (doing_ja, doing_en) = call.words();
    match f {
        Failure::Unreachable { why, detail } => {
            let (ja, en) = match why {
                Unreachable::HostNotFound => {
                    ("ホスト名が見つかりません", "the host name does not resolve")
                }
                Unreachable::Connection => (
                    "接続できないか、接続が切れました",
                    "the connection was refused or cut",
                ),
                Unreachable::Timeout => ("時間内に応答がありません", "no answer in time"),
                Unreachable::Tls => (
                    "HTTPS の証明書か暗号化の確認に失敗しました",
                    "the TLS handshake or certificate check failed",
                ),
                Unreachable::Other => ("通信できません", "the request could not be made"),
            };
            Diagnostic::new(
                Code::K132,
                None,
                format!("{doing_ja}の途中で、カタログ {} に接続できませんでした（{ja}）", ctx.site),
                format!("{doing_en}: the catalog {} cannot be reached ({en}: {detail})", ctx.site),
            )
            .note(
                "カタログの URL（kohyo.toml の [catalog] url か --to）と、ネットワークにつながっているかを確かめてください",
                "check the catalog's URL (url under [catalog] in kohyo.toml, or --to) and the network",
            )
            .resume(&call)
        }
        Failure::Refused { status: 409, error } => {
            // CKAN's "name already in use" is the name taken, not a bad value.
            if matches!(call, Call::Create)
                && error.get("name").is_some()
                && error
                    .as_object()
                    .is_some_and(|o| o.keys().filter(|k| !k.starts_with("__")).count() == 1)
            {
                return name_taken(None, ctx);
            }
            let mut all = validation(error, &call, ctx);
            match all.len() {
                0 => Diagnostic::new(
                    Code::K136,
                    None,
                    format!("{doing_ja}で、カタログが値を受け付けませんでした"),
                    format!("{doing_en}: the catalog refused the values"),
                )
                .note(
                    format!("カタログの応答: 「{}」", messages(error).join(" / ")),
                    format!("the catalog said: \"{}\"", messages(error).join(" / ")),
                ),
                1 => all.remove(0),
                _ => {
                    let mut first = all.remove(0);
                    for other in all {
                        if let Some(o) = other.origin {
                            first = first.related(
                                o,
                                other.message.ja.clone(),
                                other.message.en.clone(),
                            );
                        }
                    }
                    first
                }
            }
        }
        Failure::Refused { status: 403, error } => {
            let said = messages(error).join(" / ");
            Diagnostic::new(
                Code::K133,
                None,
                format!("{doing_ja}を、カタログ {} が認めませんでした", ctx.site),
                format!("{doing_en}: the catalog {} refused it", ctx.site),
            )
            .note(
                format!("API トークンが正しいか、その利用者が組織 {} の編集者か管理者かを確かめてください。カタログの応答: 「{said}」", ctx.org),
                format!("check that the API token is right and its user is an editor or admin of {}; the catalog said: \"{said}\"", ctx.org),
            )
        }
        Failure::Refused { status: 404, error } => {
            let said = messages(error).join(" / ");
            let (ja, en) = match call {
                Call::Organization => (
                    format!("組織 {} はカタログ {} にありません", ctx.org, ctx.site),
                    format!(
                        "the organization {} does not exist in the catalog {}",
                        ctx.org, ctx.site
                    ),
                ),
                _ => (
                    format!(
                        "{doing_ja}で、カタログに相手が見つかりませんでした（他の人が同時に削除したかもしれません）"
                    ),
                    format!(
                        "{doing_en}: the catalog found nothing there (someone may have deleted it meanwhile)"
                    ),
                ),
            };
            Diagnostic::new(Code::K134, None, ja, en).note(
                format!("kohyo.toml の [catalog] organization が、カタログの組織の URL に出る名前と同じかを確かめてください。カタログの応答: 「{said}」"),
                format!("check that organization under [catalog] in kohyo.toml is the name in the organization's URL in the catalog; the catalog said: \"{said}\""),
            )
        }
        Failure::Refused { status, error } => {
            let said = messages(error).join(" / ");
            Diagnostic::new(
                Code::K137,
                None,
                format!(
                    "{doing_ja}で、カタログ {} がエラーを返しました（HTTP {status}）",
                    ctx.site
                ),
                format!(
                    "{doing_en}: the catalog {} answered an error (HTTP {status})",
                    ctx.site
                ),
            )
            .note(
                format!("カタログの応答: 「{said}」"),
                format!("the catalog said: \"{said}\""),
            )
            .resume(&call)
        }
        Failure::Garbled { status, text } => Diagnostic::new(
            Code::K137,
            None,
            format!(
                "{doing_ja}で、{} から CKAN の応答ではないものが返りました（HTTP {status}）",
                ctx.site
            ),
            format!(
                "{doing_en}: {} answered something that is not CKAN's (HTTP {status})",
                ctx.site
            ),
        )
        .note(
            format!(
                "URL が CKAN のサイトの先頭を指しているかを確かめてください。応答の最初: 「{text}」"
            ),
            format!("check that the URL is the CKAN site's root; the answer began: \"{text}\""),
        )
        .resume(&call),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// CKAN 2.11's answer to a payload with a tag it refuses and an extra named like a core
    /// field, as the test catalog gave it.
    const REFUSED: &str = r#"{"extras": [{"key": ["There is a schema field with the same name"]}], "tags": ["Tag \"まち・ひと・しごと創生\" can only contain alphanumeric characters, spaces (\" \"), hyphens (\"-\"), underscores (\"_\") or dots (\".\")"], "__type": "Validation Error"}"#;

    #[test]
    fn a_refused_value_is_located_in_the_payload_and_quoted() {
        let payload = json!({
            "name": "012131-tomakomai",
            "owner_org": "tomakomai",
            "tags": [{"name": "総合戦略"}, {"name": "まち・ひと・しごと創生"}],
            "extras": [{"key": "title", "value": "x"}],
        });
        let text = serde_json::to_string_pretty(&payload).unwrap();
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("ckan-package.json");
        std::fs::write(&path, &text).unwrap();
        let shown = path.display().to_string();
        let local = Local::from_payload(&payload).unwrap();
        let ctx = Context {
            site: "http://127.0.0.1:5055/",
            org: "tomakomai",
            dataset: "012131-tomakomai",
            payload: &shown,
            local: &local,
        };
        let f = Failure::Refused {
            status: 409,
            error: serde_json::from_str(REFUSED).unwrap(),
        };
        let d = diagnose(&f, Call::Create, &ctx);
        assert_eq!(d.code, Code::K136);
        // Two refused fields: the first is the diagnostic, the second a related place.
        assert_eq!(d.related.len(), 1);
        let line_of =
            |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() as u32 + 1;
        let extras = d.origin.as_ref().unwrap();
        assert_eq!(extras.file, shown);
        assert_eq!(extras.line, Some(line_of("\"key\": \"title\"")));
        assert!(
            d.message.ja.contains("extras の値「title」"),
            "{}",
            d.message.ja
        );
        assert!(
            d.notes[0]
                .ja
                .contains("There is a schema field with the same name")
        );
        let tags = &d.related[0];
        assert_eq!(tags.origin.line, Some(line_of("まち・ひと・しごと創生")));
        assert!(
            tags.label
                .ja
                .contains("tags の値「まち・ひと・しごと創生」"),
            "{}",
            tags.label.ja
        );
    }

    #[test]
    fn name_in_use_on_create_is_the_name_taken() {
        let payload = json!({"name": "012131-tomakomai", "owner_org": "tomakomai"});
        let local = Local::from_payload(&payload).unwrap();
        let ctx = Context {
            site: "http://127.0.0.1:5055/",
            org: "tomakomai",
            dataset: "012131-tomakomai",
            payload: "/nonexistent/ckan-package.json",
            local: &local,
        };
        let f = Failure::Refused {
            status: 409,
            error: json!({"name": ["That URL is already in use."], "__type": "Validation Error"}),
        };
        assert_eq!(diagnose(&f, Call::Create, &ctx).code, Code::K135);
        let cut = Failure::Unreachable {
            why: Unreachable::Timeout,
            detail: "timeout: global".into(),
        };
        let d = diagnose(&cut, Call::Resource("a.csv".into()), &ctx);
        assert_eq!(d.code, Code::K132);
        assert!(d.message.ja.contains("リソース a.csv の送信"));
        assert!(
            !d.message.ja.contains("timeout: global"),
            "library English stays out of the Japanese"
        );
        assert!(d.message.en.contains("timeout: global"));
    }
}

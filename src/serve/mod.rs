//! `kohyo serve`: a live preview in the browser for the staff who edit a draft.
//!
//! It builds and watches the drafts as [`crate::watch`] does and serves, on 127.0.0.1 only, a
//! small site of its own ([`pages`]): a start page listing the drafts, and per draft its
//! diagnostics (rendered as `kohyo check` renders them, each linked to the item of the page it
//! concerns), the web page as it will be published, the PDF, the CSV files as tables and the
//! 新旧対照表. Every rebuild is announced over server-sent events (`/events`); the preview's
//! own script (`preview.js`, only in the preview's pages: the published outputs stay
//! script-free) fetches the page again and swaps in what changed, without a reload. A failed
//! save shows its errors above the last good outputs, which the build kept.
//!
//! The HTTP side is axum on a small tokio runtime ([`http`]); the watch loop runs on the
//! calling thread and shares the drafts' state with it behind a mutex.

mod http;
pub mod pages;

use crate::build::{BuildOptions, Built, Status, check_draft};
use crate::diag::{Diagnostic, Lang, Severity, SourceMap};
use crate::write::html::Anchor;
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The port tried first when none is given; the next few are tried when it is taken.
pub const DEFAULT_PORT: u16 = 8000;

/// How many ports after [`DEFAULT_PORT`] are tried before letting the system choose one.
const PORTS_TRIED: u16 = 10;

/// Why the preview could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The port asked for is in use.
    Busy(u16),
    /// Listening failed otherwise (with the port asked for, when one was).
    Listen(Option<u16>, std::io::Error),
    /// The HTTP runtime could not start.
    Runtime(std::io::Error),
    /// Watching the drafts could not start.
    Watch(crate::watch::WatchError),
}

impl ServeError {
    /// The reason in `lang`, for the staff who run `kohyo serve`.
    pub fn reason(&self, lang: Lang) -> String {
        match (self, lang) {
            (ServeError::Busy(p), Lang::Ja) => format!(
                "ポート {p} は、ほかのプログラムが使っています。別の番号を --port で指定するか、--port 0 で空いているポートを使ってください"
            ),
            (ServeError::Busy(p), Lang::En) => format!(
                "port {p} is in use by another program: give another with --port, or --port 0 for any free port"
            ),
            (ServeError::Listen(p, e), lang) => {
                let why = crate::cli::io_reason(e, lang, false);
                match (p, lang) {
                    (Some(p), Lang::Ja) => format!("ポート {p} で待ち受けできません: {why}"),
                    (Some(p), Lang::En) => format!("cannot listen on port {p}: {why}"),
                    (None, Lang::Ja) => format!("待ち受けできません: {why}"),
                    (None, Lang::En) => format!("cannot listen: {why}"),
                }
            }
            (ServeError::Runtime(e), lang) => {
                let why = crate::cli::io_reason(e, lang, false);
                match lang {
                    Lang::Ja => format!("プレビューを始められません: {why}"),
                    Lang::En => format!("cannot start the preview: {why}"),
                }
            }
            (ServeError::Watch(e), Lang::Ja) => format!("監視できません: {}", e.reason(lang)),
            (ServeError::Watch(e), Lang::En) => format!("cannot watch: {}", e.reason(lang)),
        }
    }
}

/// Listen on 127.0.0.1 (never on another interface): on `port` when given (0: any free
/// port), else on [`DEFAULT_PORT`] or, when that is taken, one of the next few or any free one.
pub fn bind(port: Option<u16>) -> Result<TcpListener, ServeError> {
    let at = |p: u16| TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, p));
    match port {
        Some(p) => at(p).map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => ServeError::Busy(p),
            _ => ServeError::Listen(Some(p), e),
        }),
        None => {
            for p in DEFAULT_PORT..DEFAULT_PORT + PORTS_TRIED {
                match at(p) {
                    Ok(l) => return Ok(l),
                    Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
                    Err(e) => return Err(ServeError::Listen(Some(p), e)),
                }
            }
            at(0).map_err(|e| ServeError::Listen(None, e))
        }
    }
}

/// What the preview knows of one draft.
#[derive(Clone, Debug)]
pub struct DraftView {
    /// The draft's name (its output folder's name).
    pub slug: String,
    /// The draft as given on the command line (diagnostics name its files from there).
    pub input: PathBuf,
    /// What the last build did; none until the first build has finished.
    pub status: Option<Status>,
    /// The draft's title, once it has been read.
    pub title: Option<String>,
    /// Every diagnostic as `kohyo check` reports it, with the paths it prints.
    pub diagnostics: Vec<Diagnostic>,
    /// The source lines the diagnostics show.
    pub sources: SourceMap,
    /// For each diagnostic, the item of the published page it concerns, when there is one.
    pub links: Vec<Option<Anchor>>,
    /// How many times the draft has been built since the preview started.
    pub builds: u64,
    /// From the save to the outputs in place, for the last build after a save.
    pub took: Option<Duration>,
}

impl DraftView {
    fn new(slug: String, input: PathBuf) -> Self {
        DraftView {
            slug,
            input,
            status: None,
            title: None,
            diagnostics: Vec::new(),
            sources: SourceMap::default(),
            links: Vec::new(),
            builds: 0,
            took: None,
        }
    }

    /// How many diagnostics have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Everything the preview shows, as of the last build.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    /// The drafts, in the order they were given.
    pub drafts: Vec<DraftView>,
    /// Bumped on every build of any draft: a page made at an older generation is stale.
    pub generation: u64,
}

/// What the HTTP side shares with the watch loop.
pub(crate) struct Shared {
    state: Mutex<Snapshot>,
    /// Where the drafts' outputs are.
    out: PathBuf,
    /// The language of the preview's own words and of the diagnostics.
    lang: Lang,
    /// The port listened on (a request for another host or port is refused).
    port: u16,
    /// Each rebuild: (generation, the draft's slug).
    changes: tokio::sync::watch::Sender<(u64, String)>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        // A panic while the lock was held leaves the last state, which is still worth showing.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A copy of the state.
    fn snapshot(&self) -> Snapshot {
        self.lock().clone()
    }

    /// Record a build of `input` and tell the pages.
    fn record(&self, input: &Path, built: &Built, took: Option<Duration>) {
        let slug = built.slug.clone();
        let given = {
            let state = self.lock();
            match state.drafts.iter().find(|d| d.slug == slug) {
                Some(d) => d.input.clone(),
                None => input.to_path_buf(),
            }
        };
        let page = std::fs::read_to_string(built.dir.join("index.html")).unwrap_or_default();
        let seen = seen_diagnostics(&given, built, &page);
        let generation = {
            let mut state = self.lock();
            state.generation += 1;
            let generation = state.generation;
            if let Some(d) = state.drafts.iter_mut().find(|d| d.slug == slug) {
                d.status = Some(built.status);
                d.title = seen.title.or(d.title.take());
                d.diagnostics = seen.diagnostics;
                d.sources = seen.sources;
                d.links = seen.links;
                d.builds += 1;
                d.took = took;
            }
            generation
        };
        self.changes.send_replace((generation, slug));
    }
}

/// The diagnostics of a build, as the preview shows them.
struct Seen {
    title: Option<String>,
    diagnostics: Vec<Diagnostic>,
    sources: SourceMap,
    links: Vec<Option<Anchor>>,
}

/// What `kohyo check` would report on the draft just built, with the paths given on the
/// command line and each diagnostic's place on the published `page` (when it has an id there).
fn seen_diagnostics(given: &Path, built: &Built, page: &str) -> Seen {
    // A build that wrote its outputs ran every check already; one that was skipped or failed
    // did not, so the draft is checked as `kohyo check` checks it.
    let checked;
    let outcome = match (&built.status, &built.outcome) {
        (Status::Built, Some(o)) => o,
        _ => {
            checked = check_draft(given);
            &checked
        }
    };
    let anchors = outcome
        .strategy
        .as_ref()
        .map(crate::write::html::anchors)
        .unwrap_or_default();
    let mut links: Vec<Option<Anchor>> = outcome
        .diagnostics
        .iter()
        .map(|d| {
            d.origin
                .as_ref()
                .and_then(|o| anchor_for(&anchors, o))
                .filter(|a| page.contains(&format!("id=\"{}\"", a.id)))
                .cloned()
        })
        .collect();
    // Named as given on the command line (a single draft file keeps its own base).
    let base = if given.is_dir() { given } else { &outcome.base };
    let (mut diagnostics, sources) = outcome.display_diagnostics_at(base);
    if built.status == Status::Failed {
        // What stopped the writing itself (a full disk, a folder that cannot be replaced).
        for e in &built.errors {
            if !diagnostics.contains(e) {
                diagnostics.push(e.clone());
                links.push(None);
            }
        }
    }
    Seen {
        title: outcome.strategy.as_ref().map(crate::write::title_of),
        diagnostics,
        sources,
        links,
    }
}

/// Where along a file a place is: (line, column) in a text file, (row, column) in a sheet, all
/// 1-based; column 0 is a line with no column.
fn place(o: &crate::grid::Origin) -> Option<(u32, u32)> {
    if let Some(line) = o.line {
        return Some((line, o.column.unwrap_or(0)));
    }
    let (row, col) = crate::grid::from_a1(o.cell.as_deref()?)?;
    Some((row + 1, col + 1))
}

/// The item of the page a diagnostic at `at` concerns: the item read exactly there; else one
/// on the same line or row (the last one starting at or before the place, else the first);
/// else the last one read before it in the same file and sheet.
pub fn anchor_for<'a>(anchors: &'a [Anchor], at: &crate::grid::Origin) -> Option<&'a Anchor> {
    let (line, column) = place(at)?;
    let placed: Vec<((u32, u32), &Anchor)> = anchors
        .iter()
        .filter(|a| a.origin.file == at.file && a.origin.sheet == at.sheet)
        .filter_map(|a| place(&a.origin).map(|p| (p, a)))
        .collect();
    let on_line = || placed.iter().filter(|((l, _), _)| *l == line);
    let before = on_line()
        .filter(|((_, c), _)| *c <= column || column == 0)
        .max_by_key(|((_, c), a)| (*c, a.depth));
    let first = || on_line().min_by_key(|((_, c), a)| (*c, std::cmp::Reverse(a.depth)));
    let earlier = || {
        placed
            .iter()
            .filter(|((l, _), _)| *l < line)
            .max_by_key(|((l, c), a)| (*l, *c, a.depth))
    };
    before.or_else(first).or_else(earlier).map(|(_, a)| *a)
}

/// Serve the preview of `inputs` on `listener` and keep their outputs in `out` in step with
/// their files until Ctrl-C, reporting builds through `on` as `kohyo watch` does.
pub fn serve(
    inputs: &[PathBuf],
    out: &Path,
    options: BuildOptions,
    lang: Lang,
    listener: TcpListener,
    mut on: impl FnMut(crate::watch::Event<'_>),
) -> Result<(), ServeError> {
    let port = listener
        .local_addr()
        .map_err(|e| ServeError::Listen(None, e))?
        .port();
    let drafts = inputs
        .iter()
        .map(|i| DraftView::new(crate::build::slug_of(i), i.clone()))
        .collect();
    let (changes, _) = tokio::sync::watch::channel((0, String::new()));
    let shared = Arc::new(Shared {
        state: Mutex::new(Snapshot {
            drafts,
            generation: 0,
        }),
        out: out.to_path_buf(),
        lang,
        port,
        changes,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("kohyo-serve")
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    http::start(&runtime, listener, shared.clone()).map_err(ServeError::Runtime)?;
    let result = crate::watch::watch(inputs, out, options, |event| {
        use crate::watch::Event;
        match &event {
            Event::First { input, built } => shared.record(input, built, None),
            Event::Built {
                input,
                built,
                since_event,
            } => shared.record(input, built, Some(*since_event)),
            Event::Watching(_) | Event::Stopped => {}
        }
        on(event);
    });
    // Open connections (the event streams) end with the runtime.
    runtime.shutdown_timeout(Duration::from_millis(200));
    result.map_err(ServeError::Watch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::Origin;

    fn anchor(file: &str, line: u32, id: &str, depth: u8) -> Anchor {
        Anchor {
            origin: Origin {
                line: Some(line),
                ..Origin::file(file)
            },
            id: id.into(),
            label: id.into(),
            depth,
        }
    }

    fn at_column(file: &str, line: u32, column: u32, id: &str, depth: u8) -> Anchor {
        Anchor {
            origin: Origin::text(file, line, column),
            ..anchor(file, line, id, depth)
        }
    }

    /// A cell by its A1 name, as the readers write it.
    fn cell(file: &str, sheet: &str, cell: &str) -> Origin {
        let (row, col) = crate::grid::from_a1(cell).expect("an A1 name");
        Origin::cell(file, sheet, row, col)
    }

    #[test]
    fn a_diagnostic_links_to_the_item_read_there_or_just_before() {
        let a = vec![
            anchor("d.txt", 10, "goal-1", 0),
            anchor("d.txt", 11, "goal-1-d1", 1),
            anchor("d.txt", 12, "goal-1-d1-m1", 2),
            anchor("d.txt", 12, "goal-1-d1-m1", 3),
            anchor("d.txt", 20, "goal-2", 0),
        ];
        let at = |line| Origin::text("d.txt", line, 3);
        assert_eq!(
            anchor_for(&a, &at(11)).map(|a| a.id.as_str()),
            Some("goal-1-d1")
        );
        // Several items on one line: the one starting at or before the column, else the first.
        let row = vec![
            at_column("d.txt", 30, 1, "goal-3-d1", 1),
            at_column("d.txt", 30, 40, "goal-3-d1-m1", 2),
            at_column("d.txt", 30, 80, "goal-3-d1-m1", 3),
        ];
        let on = |column| {
            let mut o = at(30);
            o.column = Some(column);
            anchor_for(&row, &o).map(|a| (a.id.as_str(), a.depth))
        };
        assert_eq!(on(50), Some(("goal-3-d1-m1", 2)));
        assert_eq!(on(90), Some(("goal-3-d1-m1", 3)));
        assert_eq!(on(1), Some(("goal-3-d1", 1)));
        let late = vec![at_column("d.txt", 30, 40, "goal-3-d1-m1", 2)];
        let mut o = at(30);
        o.column = Some(2);
        assert_eq!(anchor_for(&late, &o).map(|a| a.depth), Some(2));
        assert_eq!(anchor_for(&a, &at(15)).map(|a| a.depth), Some(3));
        assert_eq!(
            anchor_for(&a, &at(20)).map(|a| a.id.as_str()),
            Some("goal-2")
        );
        // Before the first item (the title), in another file, or with no line: no item.
        assert_eq!(anchor_for(&a, &at(3)), None);
        assert_eq!(anchor_for(&a, &Origin::file("d.txt")), None);
        let mut other = at(12);
        other.file = "e.txt".into();
        assert_eq!(anchor_for(&a, &other), None);
    }

    #[test]
    fn a_spreadsheet_diagnostic_links_by_cell_then_by_row() {
        let mut m = anchor("d.xlsx", 0, "goal-1-d1-m1", 2);
        m.origin = cell("d.xlsx", "戦略", "C5");
        let mut d = anchor("d.xlsx", 0, "goal-1-d1", 1);
        d.origin = cell("d.xlsx", "戦略", "B5");
        let a = vec![d, m];
        let id = |c: &str| anchor_for(&a, &cell("d.xlsx", "戦略", c)).map(|a| a.id.clone());
        assert_eq!(id("B5").as_deref(), Some("goal-1-d1"));
        assert_eq!(id("D5").as_deref(), Some("goal-1-d1-m1"));
        assert_eq!(id("D9").as_deref(), Some("goal-1-d1-m1"));
        assert_eq!(id("A5").as_deref(), Some("goal-1-d1"));
        assert_eq!(id("A4"), None);
        assert_eq!(anchor_for(&a, &cell("d.xlsx", "別表", "C5")), None);
    }

    #[test]
    fn an_explicit_busy_port_is_an_error_and_the_default_moves_on() {
        let taken = bind(Some(0)).expect("a free port");
        let port = taken.local_addr().expect("addr").port();
        assert!(matches!(bind(Some(port)), Err(ServeError::Busy(p)) if p == port));
        let text = ServeError::Busy(port).reason(Lang::Ja);
        assert!(
            text.contains(&port.to_string()) && text.contains("--port 0"),
            "{text}"
        );
        let l = bind(None).expect("the default or a later port");
        assert!(l.local_addr().expect("addr").ip().is_loopback());
    }
}

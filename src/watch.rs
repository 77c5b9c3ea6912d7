//! `kohyo watch`: keep the outputs in step while someone edits a draft.
//!
//! The parent folders of the drafts are watched (so a draft folder deleted and made again, or
//! renamed back, is still seen); file events are debounced (notify-debouncer-full), so Excel's
//! save — a temporary file, then renames — is one change. Lock and editor files (`~$…`, `.swp`,
//! `…~`) never trigger a build. Each changed draft is rebuilt with [`build_draft`]; a draft with
//! errors keeps its last good outputs, and watching goes on. Ctrl-C stops cleanly between
//! builds.

use crate::build::{BuildOptions, Built, build_draft};
use crate::draft::is_ignored_name;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the file system must be quiet before a change is built.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// What the watcher reports.
pub enum Event<'a> {
    /// A draft was built before watching starts.
    First {
        /// The draft folder.
        input: &'a Path,
        /// What the build did.
        built: &'a Built,
    },
    /// Watching has started (after a first build of every draft), over this many drafts.
    Watching(usize),
    /// A draft was built (or failed, keeping its last good outputs).
    Built {
        /// The draft folder.
        input: &'a Path,
        /// What the build did.
        built: &'a Built,
        /// From the first file event of the change to the last rename of the outputs.
        since_event: Duration,
    },
    /// Ctrl-C: watching has stopped.
    Stopped,
}

enum Message {
    Files(DebounceEventResult),
    Stop,
}

/// The draft among `inputs` that a changed `path` belongs to, unless the path is a lock,
/// swap or temporary file.
fn draft_of<'a>(inputs: &'a [PathBuf], path: &Path) -> Option<&'a PathBuf> {
    let name = path.file_name()?.to_string_lossy();
    let draft = inputs
        .iter()
        .find(|i| path.starts_with(i) || path == i.as_path())?;
    if path != draft.as_path() && is_ignored_name(&name) && name != crate::meta::FILE_NAME {
        return None;
    }
    Some(draft)
}

/// Why watching could not start.
#[derive(Debug)]
pub struct WatchError {
    /// The folder that could not be watched, when it was one.
    pub path: Option<PathBuf>,
    /// What the file-watching library said.
    pub error: notify_debouncer_full::notify::Error,
}

impl WatchError {
    /// The reason in `lang`, for the staff who run `kohyo watch`.
    pub fn reason(&self, lang: crate::diag::Lang) -> String {
        use crate::diag::Lang;
        use notify_debouncer_full::notify::ErrorKind as K;
        let place = self
            .path
            .as_ref()
            .map(|p| format!("{}: ", p.display()))
            .unwrap_or_default();
        let why = match (&self.error.kind, lang) {
            (K::MaxFilesWatch, Lang::Ja) => "監視できるファイル数の上限に達しました（Linux では sysctl の fs.inotify.max_user_watches を増やしてください）".to_owned(),
            (K::MaxFilesWatch, Lang::En) => "the limit on watched files is reached (on Linux, raise the sysctl fs.inotify.max_user_watches)".to_owned(),
            (K::PathNotFound, Lang::Ja) => "フォルダがありません".to_owned(),
            (K::PathNotFound, Lang::En) => "the folder does not exist".to_owned(),
            (K::Io(e), lang) => crate::cli::io_reason(e, lang, false),
            (_, Lang::Ja) => "ファイルの変更を監視できません".to_owned(),
            (_, Lang::En) => format!("cannot watch for changes: {}", self.error),
        };
        format!("{place}{why}")
    }
}

/// Watch `inputs` (draft folders) and rebuild into `out` until Ctrl-C, reporting through
/// `on`. Returns an error only when watching cannot start.
pub fn watch(
    inputs: &[PathBuf],
    out: &Path,
    options: BuildOptions,
    mut on: impl FnMut(Event<'_>),
) -> Result<(), WatchError> {
    // Absolute paths, so events (which carry absolute paths) match.
    let inputs: Vec<PathBuf> = inputs
        .iter()
        .map(|i| std::path::absolute(i).unwrap_or_else(|_| i.clone()))
        .collect();
    let (tx, rx) = mpsc::channel::<Message>();
    let files_tx = tx.clone();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |r: DebounceEventResult| {
        let _ = files_tx.send(Message::Files(r));
    })
    .map_err(|error| WatchError { path: None, error })?;
    let parents: BTreeSet<PathBuf> = inputs
        .iter()
        .map(|i| {
            i.parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| i.clone())
        })
        .collect();
    for p in &parents {
        debouncer
            .watch(p, RecursiveMode::Recursive)
            .map_err(|error| WatchError {
                path: Some(p.clone()),
                error,
            })?;
    }
    let stop_tx = tx;
    // Only one handler per process; a second watch in the same process keeps the first.
    let _ = ctrlc::set_handler(move || {
        let _ = stop_tx.send(Message::Stop);
    });

    for input in &inputs {
        let built = build_draft(input, out, options);
        on(Event::First {
            input,
            built: &built,
        });
    }
    on(Event::Watching(inputs.len()));

    while let Ok(message) = rx.recv() {
        let events = match message {
            Message::Stop => break,
            Message::Files(Ok(events)) => events,
            // A watcher error (e.g. a folder that vanished) is not fatal: keep watching.
            Message::Files(Err(_)) => continue,
        };
        // Drafts touched by this batch, each with its earliest event.
        let mut touched: Vec<(&PathBuf, Instant)> = Vec::new();
        for e in &events {
            // Reading a file is an event too (inotify's open and close): building reads the
            // draft, so only changes count, or every build would start the next.
            if matches!(e.event.kind, EventKind::Access(_)) {
                continue;
            }
            for p in &e.event.paths {
                if let Some(d) = draft_of(&inputs, p) {
                    match touched.iter_mut().find(|(x, _)| *x == d) {
                        Some((_, t)) => *t = (*t).min(e.time),
                        None => touched.push((d, e.time)),
                    }
                }
            }
        }
        for (input, first) in touched {
            if !input.is_dir() {
                continue; // deleted or being renamed: wait for it to come back
            }
            let built = build_draft(input, out, options);
            on(Event::Built {
                input,
                built: &built,
                since_event: first.elapsed(),
            });
        }
    }
    on(Event::Stopped);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_map_to_their_draft_and_skip_lock_files() {
        let inputs = vec![PathBuf::from("/in/a"), PathBuf::from("/in/b")];
        assert_eq!(
            draft_of(&inputs, Path::new("/in/a/draft.xlsx")),
            Some(&inputs[0])
        );
        assert_eq!(
            draft_of(&inputs, Path::new("/in/b/kohyo.toml")),
            Some(&inputs[1])
        );
        assert_eq!(draft_of(&inputs, Path::new("/in/a")), Some(&inputs[0]));
        assert_eq!(draft_of(&inputs, Path::new("/in/a/~$draft.xlsx")), None);
        assert_eq!(draft_of(&inputs, Path::new("/in/a/.draft.txt.swp")), None);
        assert_eq!(draft_of(&inputs, Path::new("/in/a/draft.txt~")), None);
        assert_eq!(draft_of(&inputs, Path::new("/in/c/draft.txt")), None);
    }
}

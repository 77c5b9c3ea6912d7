//! The 新旧対照表 as plain text for the terminal: per goal the counts, then each change with
//! its place, the old text with deletions in ［-…-］ and the new text with insertions in ［+…+］.

use crate::compare::{Comparison, Kind, Segment};
use std::fmt::Write;

/// The old text with its deleted runs marked, and the new text with its inserted runs marked.
pub fn marked(segments: &[Segment]) -> (String, String) {
    let (mut old, mut new) = (String::new(), String::new());
    for s in segments {
        match s {
            Segment::Same(t) => {
                old.push_str(t);
                new.push_str(t);
            }
            Segment::Deleted(t) => {
                let _ = write!(old, "［-{t}-］");
            }
            Segment::Inserted(t) => {
                let _ = write!(new, "［+{t}+］");
            }
        }
    }
    (old, new)
}

/// The whole table as text.
pub fn render(cmp: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "新旧対照表: {} → {}", cmp.old_title, cmp.new_title);
    if cmp.changes.is_empty() {
        let _ = writeln!(
            out,
            "変更はありません（{} 項目すべて同じ）",
            cmp.unchanged()
        );
        return out;
    }
    for g in &cmp.goals {
        let _ = writeln!(
            out,
            "\n基本目標{} {}: 変更 {} 件、変更なし {} 件",
            g.goal, g.title, g.changed, g.unchanged
        );
        for c in cmp.changes.iter().filter(|c| c.goal == g.goal) {
            let here = c.new.as_ref().or(c.old.as_ref());
            let place = here.map(|v| v.place.as_str()).unwrap_or_default();
            let _ = writeln!(out, "  [{}] {}　{}", c.kind.label(), c.level.label(), place);
            if c.kind == Kind::Moved
                && let Some(o) = &c.old
            {
                let _ = writeln!(out, "    旧の位置: {}", o.place);
            }
            let (old, new) = marked(&c.segments);
            if c.old.is_some() {
                let _ = writeln!(out, "    旧: {old}");
            }
            if c.new.is_some() {
                let _ = writeln!(out, "    新: {new}");
            }
        }
    }
    out
}

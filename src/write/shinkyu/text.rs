//! The 新旧対照表 as plain text for the terminal: per goal the counts, then each change with
//! its place, the old text with deletions in ［-…-］ and the new text with insertions in ［+…+］.

use crate::compare::{Comparison, Kind, Segment, place_en};
use crate::diag::Lang;
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

/// The whole table as text, in `lang` (the draft's own text as it is).
pub fn render(cmp: &Comparison, lang: Lang) -> String {
    let en = lang == Lang::En;
    let mut out = String::new();
    let _ = if en {
        writeln!(
            out,
            "Changes from the old version to the new: {} → {}",
            cmp.old_name.en, cmp.new_name.en
        )
    } else {
        writeln!(out, "新旧対照表: {} → {}", cmp.old_name.ja, cmp.new_name.ja)
    };
    if cmp.changes.is_empty() {
        let n = cmp.unchanged();
        let _ = if en {
            writeln!(out, "No changes ({n} {} alike)", items(n))
        } else {
            writeln!(out, "変更はありません（{n} 項目すべて同じ）")
        };
        return out;
    }
    for g in &cmp.goals {
        let _ = if en {
            writeln!(
                out,
                "\nGoal {} {}: {} {}, {} unchanged",
                g.goal,
                g.title,
                g.changed,
                if g.changed == 1 { "change" } else { "changes" },
                g.unchanged
            )
        } else {
            writeln!(
                out,
                "\n基本目標{} {}: 変更 {} 件、変更なし {} 件",
                g.goal, g.title, g.changed, g.unchanged
            )
        };
        for c in cmp.changes.iter().filter(|c| c.goal == g.goal) {
            let here = c.new.as_ref().or(c.old.as_ref());
            let place = here.map(|v| v.place.as_str()).unwrap_or_default();
            let _ = if en {
                writeln!(
                    out,
                    "  [{}] {}  {}",
                    c.kind.label_en(),
                    c.level.label_en(),
                    place_en(place)
                )
            } else {
                writeln!(out, "  [{}] {}　{}", c.kind.label(), c.level.label(), place)
            };
            if c.kind == Kind::Moved
                && let Some(o) = &c.old
            {
                let _ = if en {
                    writeln!(out, "    was at: {}", place_en(&o.place))
                } else {
                    writeln!(out, "    旧の位置: {}", o.place)
                };
            }
            let (old, new) = marked(&c.segments);
            if c.old.is_some() {
                let _ = writeln!(out, "    {} {old}", if en { "old:" } else { "旧:" });
            }
            if c.new.is_some() {
                let _ = writeln!(out, "    {} {new}", if en { "new:" } else { "新:" });
            }
        }
    }
    out
}

/// "item" or "items".
fn items(n: usize) -> &'static str {
    if n == 1 { "item" } else { "items" }
}

//! Open-data IDs that stay with an item across versions of a draft.
//!
//! The first build gives each item its positional ID (`P1-1-3-2`: its number path; `K1-4` for
//! a related project, `I…` for an indicator; see `crate::compare::positional_id`). Each later
//! build pairs the new version's items with the previous one's (the same pairing as the
//! 新旧対照表) and carries the IDs over, so a reworded measure or a project moved to another
//! measure keeps its ID. An item with no counterpart gets its positional ID unless that was
//! ever issued before, in which case the last number is raised until it is new: an ID once
//! published never names anything else. The IDs ever issued are kept with the outputs in
//! `ids.json`.
//!
//! **The one-time rename.** kohyo first published IDs starting `S` (施策) and `R` (関連する
//! 既存事業). A letter among M T S H R followed by a digit reads as a Japanese era date to
//! machine-readability checkers (デジタル庁's L3-05 takes `S1-2` for 昭和1年 and `R1-4` for
//! 令和1年), so the scheme became `P` and `K` with the same numbers. A build whose previous
//! outputs carry IDs of the old scheme (in `ids.json` or the published `model.json`) renames
//! them before pairing, so every item keeps its identity, and records the rename in the
//! ledger's `renamed` map (old → new), which every later build keeps. The old IDs stay in
//! `issued`; the new scheme can never make them again.

use crate::compare::{NodePath, items, pairs, positional_id};
use crate::model::Strategy;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The file in a draft's output folder that lists every ID ever issued for it.
pub const FILE: &str = "ids.json";

/// Every ID issued for a draft, in any version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    /// The IDs, sorted.
    pub issued: BTreeSet<String>,
    /// IDs of the old scheme and the IDs they became (`S1-1` → `P1-1`, `R1-4` → `K1-4`), so a
    /// re-user can map data published before the rename. Left out of `ids.json` when empty,
    /// as for a draft first published under the current scheme.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub renamed: BTreeMap<String, String>,
}

impl Ledger {
    /// The ledger as written to `ids.json`.
    pub fn to_json(&self) -> Vec<u8> {
        let mut b = serde_json::to_vec_pretty(self).unwrap_or_default();
        b.push(b'\n');
        b
    }

    /// Rename the ledger's own IDs of the old scheme: every ID ever issued, those of items
    /// deleted since included, so the new name of a retired ID is never given to another item.
    pub fn upgrade(&mut self) {
        let old: Vec<(String, String)> = self
            .issued
            .iter()
            .filter_map(|id| renamed(id).map(|new| (id.clone(), new)))
            .collect();
        for (old, new) in old {
            self.record(old, new);
        }
    }

    /// Record that `old` became `new`: both count as issued.
    fn record(&mut self, old: String, new: String) {
        self.issued.insert(old.clone());
        self.issued.insert(new.clone());
        self.renamed.insert(old, new);
    }
}

/// The current name of an ID of the old scheme: `S1-2-2` → `P1-2-2`, `R1-4` → `K1-4` (the
/// letter changes, the numbers stay); none for any other ID.
pub fn renamed(id: &str) -> Option<String> {
    let mut chars = id.chars();
    let letter = match chars.next()? {
        'S' => 'P',
        'R' => 'K',
        _ => return None,
    };
    let numbers = chars.as_str();
    numbers
        .split('-')
        .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{letter}{numbers}"))
}

/// Rename the IDs of the old scheme that `s` (a model an earlier kohyo published) carries,
/// recording each rename in `ledger`.
pub fn upgrade(s: &mut Strategy, ledger: &mut Ledger) {
    for (path, _) in items(s) {
        let id = slot(s, path);
        if let Some(new) = id.as_deref().and_then(renamed)
            && let Some(old) = id.replace(new.clone())
        {
            ledger.record(old, new);
        }
    }
}

/// Whether `s` carries an ID of the old scheme.
fn has_old_ids(s: &Strategy) -> bool {
    items(s).iter().any(|(_, id)| renamed(id).is_some())
}

fn slot(s: &mut Strategy, path: NodePath) -> &mut Option<String> {
    match path {
        NodePath::Goal(g) => &mut s.goals[g].id,
        NodePath::Direction(g, d) => &mut s.goals[g].directions[d].id,
        NodePath::Measure(g, d, m) => &mut s.goals[g].directions[d].measures[m].id,
        NodePath::Project(g, d, m, p) => &mut s.goals[g].directions[d].measures[m].projects[p].id,
        NodePath::Related(r, p) => &mut s.related[r].projects[p].id,
        NodePath::Target(g, i) => &mut s.goals[g].indicators[i].id,
        NodePath::Kpi(g, d, m, i) => &mut s.goals[g].directions[d].measures[m].indicators[i].id,
    }
}

/// Raise the last number of `id` until it is neither issued nor taken.
fn fresh(id: String, taken: &BTreeSet<String>) -> String {
    if !taken.contains(&id) {
        return id;
    }
    let (stem, last) = match id.rfind(|c: char| !c.is_ascii_digit()) {
        Some(i) => id.split_at(i + 1),
        None => ("", id.as_str()),
    };
    let mut n: u64 = last.parse().unwrap_or(0);
    loop {
        n += 1;
        let candidate = format!("{stem}{n}");
        if !taken.contains(&candidate) {
            return candidate;
        }
    }
}

/// Give every item of `new` its ID, carried from `previous` where the item continues one of
/// its items, else a positional one never issued before; record them all in `ledger`.
///
/// IDs of the old scheme in `previous` or `ledger` are renamed first (see the module's notes).
pub fn assign(new: &mut Strategy, previous: Option<&Strategy>, ledger: &mut Ledger) {
    ledger.upgrade();
    let upgraded;
    let previous = match previous {
        Some(p) if has_old_ids(p) => {
            let mut p = p.clone();
            upgrade(&mut p, ledger);
            upgraded = p;
            Some(&upgraded)
        }
        other => other,
    };
    let paired: Vec<(NodePath, Option<String>)> = match previous {
        Some(p) => pairs(p, new)
            .into_iter()
            .map(|(path, old)| (path, old.map(|(_, id)| id)))
            .collect(),
        None => items(new)
            .into_iter()
            .map(|(path, _)| (path, None))
            .collect(),
    };
    if let Some(p) = previous {
        // IDs a previous kohyo published without a ledger count as issued.
        ledger.issued.extend(items(p).into_iter().map(|(_, id)| id));
    }
    let mut taken: BTreeSet<String> = ledger.issued.clone();
    let mut used: BTreeSet<String> = BTreeSet::new();
    // Carried IDs first, so a new item cannot take one.
    for (path, id) in &paired {
        if let Some(id) = id
            && used.insert(id.clone())
        {
            *slot(new, *path) = Some(id.clone());
        }
    }
    taken.extend(used.iter().cloned());
    for (path, _) in &paired {
        if slot(new, *path).is_none() {
            let id = fresh(positional_id(new, *path), &taken);
            taken.insert(id.clone());
            *slot(new, *path) = Some(id);
        }
    }
    ledger.issued = taken;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::tests::{project, strategy};

    fn ids(s: &Strategy) -> Vec<String> {
        let d = &s.goals[0].directions[0];
        d.measures
            .iter()
            .flat_map(|m| {
                std::iter::once(m.id.clone().unwrap_or_default())
                    .chain(m.projects.iter().map(|p| p.id.clone().unwrap_or_default()))
            })
            .collect()
    }

    fn all_ids(s: &Strategy) -> Vec<String> {
        items(s).into_iter().map(|(_, id)| id).collect()
    }

    /// Whether `id` holds an era initial followed by a digit, as harunobu's L3-05 pattern
    /// `(明治|大正|昭和|平成|令和|M|T|S|H|R)\s*(\d{1,2})\s*(年|\.|-|/)` would find it.
    fn reads_as_an_era(id: &str) -> bool {
        let c: Vec<char> = id.chars().collect();
        c.windows(2)
            .any(|w| matches!(w[0], 'M' | 'T' | 'S' | 'H' | 'R') && w[1].is_ascii_digit())
    }

    /// `s` and `ledger` as a kohyo before the rename published them: `P…` as `S…`, `K…` as
    /// `R…`.
    fn aged(s: &mut Strategy, ledger: &mut Ledger) {
        let old = |id: &str| match id.split_at(1) {
            ("P", n) => format!("S{n}"),
            ("K", n) => format!("R{n}"),
            _ => id.to_string(),
        };
        for (path, _) in items(s) {
            if let Some(id) = slot(s, path).as_mut() {
                *id = old(id);
            }
        }
        ledger.issued = ledger.issued.iter().map(|id| old(id)).collect();
    }

    /// The seed's first version, published under the old scheme: the model and its ledger.
    fn published_before_the_rename() -> (Strategy, Ledger) {
        let mut v1 = strategy();
        let mut ledger = Ledger::default();
        assign(&mut v1, None, &mut ledger);
        aged(&mut v1, &mut ledger);
        (v1, ledger)
    }

    #[test]
    fn the_first_version_gets_positional_ids() {
        let mut s = strategy();
        let mut ledger = Ledger::default();
        assign(&mut s, None, &mut ledger);
        assert_eq!(
            ids(&s),
            ["P1-1-1", "P1-1-1-1", "P1-1-1-2", "P1-1-2", "P1-1-2-1"]
        );
        assert_eq!(s.goals[0].id.as_deref(), Some("P1"));
        assert_eq!(s.goals[0].directions[0].id.as_deref(), Some("P1-1"));
        assert_eq!(s.related[0].projects[0].id.as_deref(), Some("K1-1"));
        assert_eq!(
            ledger.issued.len(),
            12,
            "every item of both goals, the related project too"
        );
        for id in all_ids(&s) {
            assert!(!reads_as_an_era(&id), "{id} reads as an era date");
        }
    }

    #[test]
    fn a_moved_project_keeps_its_id_and_a_new_one_never_reuses_an_old_one() {
        let mut v1 = strategy();
        let mut ledger = Ledger::default();
        assign(&mut v1, None, &mut ledger);
        // v2: インターンシップ moves to ②; 企業説明会 is dropped; a new project takes ①'s
        // first place, whose positional ID P1-1-1-1 was 企業説明会's.
        let mut v2 = strategy();
        let moved = v2.goals[0].directions[0].measures[0].projects.remove(1);
        v2.goals[0].directions[0].measures[1].projects.push(moved);
        v2.goals[0].directions[0].measures[0].projects[0] = project("合同就職面接会");
        assign(&mut v2, Some(&v1), &mut ledger);
        assert_eq!(
            ids(&v2),
            ["P1-1-1", "P1-1-1-3", "P1-1-2", "P1-1-2-1", "P1-1-1-2"],
            "the new project skips P1-1-1-1 (issued) and P1-1-1-2 (kept by the moved one)"
        );
        // v3 brings 企業説明会 back as new: P1-1-1-1 stays retired.
        let mut v3 = v2.clone();
        v3.goals[0].directions[0].measures[0]
            .projects
            .push(project("企業説明会"));
        for m in &mut v3.goals[0].directions[0].measures {
            for p in &mut m.projects {
                p.id = None;
            }
        }
        assign(&mut v3, Some(&v2), &mut ledger);
        let all = ids(&v3);
        assert_eq!(all[2], "P1-1-1-4", "{all:?}");
        let unique: BTreeSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), all.len());
        assert!(ledger.renamed.is_empty());
    }

    #[test]
    fn old_ids_from_the_ledger_and_the_model_are_renamed_and_recorded() {
        let (v1, mut ledger) = published_before_the_rename();
        assert_eq!(ids(&v1)[0], "S1-1-1");
        assert_eq!(v1.related[0].projects[0].id.as_deref(), Some("R1-1"));
        // A project deleted before the rename: its ID is retired, under either name.
        ledger.issued.insert("S1-1-2-2".into());
        let mut v2 = strategy();
        v2.goals[0].directions[0].measures[1]
            .projects
            .push(project("創業補助金"));
        assign(&mut v2, Some(&v1), &mut ledger);
        assert_eq!(
            ids(&v2),
            [
                "P1-1-1", "P1-1-1-1", "P1-1-1-2", "P1-1-2", "P1-1-2-1", "P1-1-2-3"
            ],
            "same numbers, new letter; the new project skips P1-1-2-2, the retired one's"
        );
        assert_eq!(v2.goals[1].id.as_deref(), Some("P2"));
        assert_eq!(v2.related[0].projects[0].id.as_deref(), Some("K1-1"));
        assert_eq!(ledger.renamed.len(), 13, "the 12 items and the retired ID");
        for (old, new) in [
            ("S1", "P1"),
            ("S1-1", "P1-1"),
            ("S1-1-1-2", "P1-1-1-2"),
            ("S2-1-3-1", "P2-1-3-1"),
            ("S1-1-2-2", "P1-1-2-2"),
            ("R1-1", "K1-1"),
        ] {
            assert_eq!(ledger.renamed.get(old).map(String::as_str), Some(new));
        }
        for (old, new) in &ledger.renamed {
            assert!(ledger.issued.contains(old) && ledger.issued.contains(new));
        }
        for id in all_ids(&v2) {
            assert!(!reads_as_an_era(&id), "{id} reads as an era date");
        }
        let json = String::from_utf8(ledger.to_json()).expect("UTF-8");
        assert!(json.contains("\"S1-1-2-2\": \"P1-1-2-2\""), "{json}");
    }

    #[test]
    fn a_model_without_a_ledger_is_renamed_too() {
        let (v1, _) = published_before_the_rename();
        let mut ledger = Ledger::default();
        let mut v2 = strategy();
        assign(&mut v2, Some(&v1), &mut ledger);
        assert_eq!(ids(&v2)[0], "P1-1-1");
        assert_eq!(ledger.renamed.len(), 12);
        assert!(ledger.issued.contains("S1-1-1") && ledger.issued.contains("P1-1-1"));
    }

    #[test]
    fn a_reworded_item_keeps_its_renamed_id() {
        let (mut v1, mut ledger) = published_before_the_rename();
        // ② got its ID when it was added as ⑦ in an earlier version: not its positional one.
        v1.goals[0].directions[0].measures[1].id = Some("S1-1-7".into());
        ledger.issued.insert("S1-1-7".into());
        let mut v2 = strategy();
        v2.goals[0].directions[0].measures[1].title = "創業と事業承継の支援".into();
        // And インターンシップ moves to ② as it is renamed.
        let moved = v2.goals[0].directions[0].measures[0].projects.remove(1);
        v2.goals[0].directions[0].measures[1].projects.push(moved);
        assign(&mut v2, Some(&v1), &mut ledger);
        assert_eq!(
            ids(&v2),
            ["P1-1-1", "P1-1-1-1", "P1-1-7", "P1-1-2-1", "P1-1-1-2"]
        );
        assert_eq!(
            ledger.renamed.get("S1-1-7").map(String::as_str),
            Some("P1-1-7")
        );
        let unique: BTreeSet<String> = all_ids(&v2).into_iter().collect();
        assert_eq!(unique.len(), all_ids(&v2).len());
    }

    #[test]
    fn a_later_build_keeps_the_renamed_record() {
        let (v1, mut ledger) = published_before_the_rename();
        let mut v2 = strategy();
        assign(&mut v2, Some(&v1), &mut ledger);
        let record = ledger.renamed.clone();
        assert_eq!(record.len(), 12);
        // The next build reads ids.json back and the model is of the new scheme.
        let mut ledger: Ledger = serde_json::from_slice(&ledger.to_json()).expect("ids.json");
        let mut v3 = strategy();
        v3.goals[0].directions[0].measures[0]
            .projects
            .push(project("合同就職面接会"));
        assign(&mut v3, Some(&v2), &mut ledger);
        assert_eq!(ledger.renamed, record);
        assert_eq!(ids(&v3)[3], "P1-1-1-3");
        let json = String::from_utf8(ledger.to_json()).expect("UTF-8");
        assert!(json.contains("\"renamed\""), "{json}");
    }

    #[test]
    fn a_build_with_no_old_ids_writes_no_renamed_map() {
        let mut v1 = strategy();
        let mut ledger = Ledger::default();
        assign(&mut v1, None, &mut ledger);
        let mut v2 = strategy();
        assign(&mut v2, Some(&v1), &mut ledger);
        assert!(ledger.renamed.is_empty());
        let json = String::from_utf8(ledger.to_json()).expect("UTF-8");
        assert!(!json.contains("renamed"), "{json}");
        // An ids.json without the key reads as no rename.
        let back: Ledger = serde_json::from_slice(br#"{"issued": ["P1"]}"#).expect("ids.json");
        assert!(back.renamed.is_empty());
    }

    #[test]
    fn only_ids_of_the_old_scheme_are_renamed() {
        for (old, new) in [
            ("S1", Some("P1")),
            ("S1-2-2-2", Some("P1-2-2-2")),
            ("R1-4", Some("K1-4")),
            ("R12-34", Some("K12-34")),
            ("P1-2", None),
            ("K1-4", None),
            ("I1-1", None),
            ("S", None),
            ("S1-", None),
            ("S1--2", None),
            ("Sx", None),
            ("R１", None),
        ] {
            assert_eq!(renamed(old).as_deref(), new, "{old}");
        }
    }
}

//! Open-data IDs that stay with an item across versions of a draft.
//!
//! The first build gives each item its positional ID (`S1-1-3-2`: its number path). Each later
//! build pairs the new version's items with the previous one's (the same pairing as the
//! 新旧対照表) and carries the IDs over, so a reworded measure or a project moved to another
//! measure keeps its ID. An item with no counterpart gets its positional ID unless that was
//! ever issued before, in which case the last number is raised until it is new: an ID once
//! published never names anything else. The IDs ever issued are kept with the outputs in
//! `ids.json`.

use crate::compare::{NodePath, items, pairs, positional_id};
use crate::model::Strategy;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The file in a draft's output folder that lists every ID ever issued for it.
pub const FILE: &str = "ids.json";

/// Every ID issued for a draft, in any version.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    /// The IDs, sorted.
    pub issued: BTreeSet<String>,
}

impl Ledger {
    /// The ledger as written to `ids.json`.
    pub fn to_json(&self) -> Vec<u8> {
        let mut b = serde_json::to_vec_pretty(self).unwrap_or_default();
        b.push(b'\n');
        b
    }
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
pub fn assign(new: &mut Strategy, previous: Option<&Strategy>, ledger: &mut Ledger) {
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

    #[test]
    fn the_first_version_gets_positional_ids() {
        let mut s = strategy();
        let mut ledger = Ledger::default();
        assign(&mut s, None, &mut ledger);
        assert_eq!(
            ids(&s),
            ["S1-1-1", "S1-1-1-1", "S1-1-1-2", "S1-1-2", "S1-1-2-1"]
        );
        assert_eq!(s.goals[0].id.as_deref(), Some("S1"));
        assert_eq!(
            ledger.issued.len(),
            12,
            "every item of both goals, the related project too"
        );
    }

    #[test]
    fn a_moved_project_keeps_its_id_and_a_new_one_never_reuses_an_old_one() {
        let mut v1 = strategy();
        let mut ledger = Ledger::default();
        assign(&mut v1, None, &mut ledger);
        // v2: インターンシップ moves to ②; 企業説明会 is dropped; a new project takes ①'s
        // first place, whose positional ID S1-1-1-1 was 企業説明会's.
        let mut v2 = strategy();
        let moved = v2.goals[0].directions[0].measures[0].projects.remove(1);
        v2.goals[0].directions[0].measures[1].projects.push(moved);
        v2.goals[0].directions[0].measures[0].projects[0] = project("合同就職面接会");
        assign(&mut v2, Some(&v1), &mut ledger);
        assert_eq!(
            ids(&v2),
            ["S1-1-1", "S1-1-1-3", "S1-1-2", "S1-1-2-1", "S1-1-1-2"],
            "the new project skips S1-1-1-1 (issued) and S1-1-1-2 (kept by the moved one)"
        );
        // v3 brings 企業説明会 back as new: S1-1-1-1 stays retired.
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
        assert_eq!(all[2], "S1-1-1-4", "{all:?}");
        let unique: BTreeSet<&String> = all.iter().collect();
        assert_eq!(unique.len(), all.len());
    }
}

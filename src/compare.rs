//! The 新旧対照表: what changed between two versions of a draft.
//!
//! Both versions are flattened into their items (基本目標, 施策の基本的方向, 具体的な施策,
//! 事業例, 関連する既存事業), then paired level by level from the top: each pair is scored by
//! text similarity plus whether their parents were paired and whether their numbers agree, and
//! the best pairs are taken first. A pair whose parents were paired is *changed* when its text
//! differs; a pair whose parents were not is *moved*; what is left over is *added* or
//! *removed*. A renumbered direction keeps its identity (its title carries it); a measure
//! renumbered only because another was added is not a change.

use crate::diag::Text;
use crate::model::Strategy;
use crate::write::{indicator_values_text, measure_label, project_text, related_text, title_of};
use serde::Serialize;
use similar::{Algorithm, ChangeTag, TextDiff};
use std::collections::HashMap;

/// The level of an item in the strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Level {
    /// 基本目標.
    Goal,
    /// 施策の基本的方向.
    Direction,
    /// 具体的な施策.
    Measure,
    /// 事業例.
    Project,
    /// 数値目標 of a goal.
    Target,
    /// 重要業績評価指標（KPI） of a measure.
    Kpi,
    /// 関連する既存事業.
    Related,
}

impl Level {
    /// The level as the draft names it.
    pub fn label(self) -> &'static str {
        match self {
            Level::Goal => "基本目標",
            Level::Direction => "施策の基本的方向",
            Level::Measure => "具体的な施策",
            Level::Project => "事業例",
            Level::Target => "数値目標",
            Level::Kpi => "重要業績評価指標（KPI）",
            Level::Related => "関連する既存事業",
        }
    }

    /// The level in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Level::Goal => "basic goal",
            Level::Direction => "policy direction",
            Level::Measure => "measure",
            Level::Project => "project",
            Level::Target => "numerical target",
            Level::Kpi => "KPI",
            Level::Related => "related existing project",
        }
    }
}

/// What happened to an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Kind {
    /// 追加: only in the new version.
    Added,
    /// 削除: only in the old version.
    Removed,
    /// 変更: in both, in the same place, with different text.
    Changed,
    /// 移動: in both, under a different parent (its text may differ too).
    Moved,
}

impl Kind {
    /// The word the 新旧対照表 uses.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Added => "追加",
            Kind::Removed => "削除",
            Kind::Changed => "変更",
            Kind::Moved => "移動",
        }
    }

    /// The word in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Changed => "changed",
            Kind::Moved => "moved",
        }
    }
}

/// A place (「基本目標1 ＞ 1-1 ＞ ①」) in English (「goal 1 > 1-1 > ①」): places are made only
/// from these words, the draft's codes and the measures' circled numbers.
pub fn place_en(place: &str) -> String {
    place
        .split(" ＞ ")
        .map(|part| match part {
            "数値目標" => "numerical targets".to_owned(),
            "関連する既存事業" => "related existing projects".to_owned(),
            p => match p.strip_prefix("基本目標") {
                Some(n) => format!("goal {n}"),
                None => p.to_owned(),
            },
        })
        .collect::<Vec<_>>()
        .join(" > ")
}

/// One version of an item as the table shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Version {
    /// The item's ID in that version (`P` plus its number path, `K` for related projects, `I`
    /// for indicators; see `positional_id`).
    pub id: String,
    /// Where it is: 「基本目標1 ＞ 1-1 ＞ ①」.
    pub place: String,
    /// Its text as published.
    pub text: String,
}

/// A run of text in a change: kept, deleted from the old version or inserted in the new.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Segment {
    /// In both versions.
    Same(String),
    /// Only in the old version (struck through).
    Deleted(String),
    /// Only in the new version (underlined).
    Inserted(String),
}

/// One row of the 新旧対照表.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What happened.
    pub kind: Kind,
    /// The item's level.
    pub level: Level,
    /// The old version (none when added).
    pub old: Option<Version>,
    /// The new version (none when removed).
    pub new: Option<Version>,
    /// The text from old to new, character by character.
    pub segments: Vec<Segment>,
    /// The goal number the row is filed under (the new one, or the old one when removed).
    pub goal: u32,
}

/// Per goal of the new version (and removed goals), how many items changed and how many not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoalSummary {
    /// The goal number.
    pub goal: u32,
    /// The goal's title.
    pub title: String,
    /// Rows listed under it.
    pub changed: usize,
    /// Items under it (itself included) left out as unchanged.
    pub unchanged: usize,
}

/// The 新旧対照表 of two versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The old version's title.
    pub old_title: String,
    /// The new version's title.
    pub new_title: String,
    /// How the table names the old version: its title, with its date or stage when both
    /// versions have the same title (see [`Comparison::name_by`]).
    pub old_name: Text,
    /// How the table names the new version.
    pub new_name: Text,
    /// Who publishes the new version: prefecture and municipality, or the publisher.
    pub organisation: Option<String>,
    /// The changes, in the new version's order (removed items where they stood).
    pub changes: Vec<Change>,
    /// Per goal, changed and unchanged counts.
    pub goals: Vec<GoalSummary>,
}

impl Comparison {
    /// When the two versions are still named alike (same title, no dates or stages to tell
    /// them apart), add where each came from: the files given to `kohyo diff`, or which build.
    pub fn name_by(&mut self, old: &Text, new: &Text) {
        if self.old_name == self.new_name && old != new {
            let tag = |name: &Text, from: &Text| {
                Text::new(
                    format!("{}（{}）", name.ja, from.ja),
                    format!("{} ({})", name.en, from.en),
                )
            };
            self.old_name = tag(&self.old_name, old);
            self.new_name = tag(&self.new_name, new);
        }
    }

    /// The changes of one kind.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }

    /// Items left out as unchanged, over all goals.
    pub fn unchanged(&self) -> usize {
        self.goals.iter().map(|g| g.unchanged).sum()
    }
}

/// Where an item sits in its strategy, by index (not by number).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodePath {
    /// `goals[g]`.
    Goal(usize),
    /// `goals[g].directions[d]`.
    Direction(usize, usize),
    /// `goals[g].directions[d].measures[m]`.
    Measure(usize, usize, usize),
    /// `goals[g].directions[d].measures[m].projects[p]`.
    Project(usize, usize, usize, usize),
    /// `goals[g].indicators[i]`.
    Target(usize, usize),
    /// `goals[g].directions[d].measures[m].indicators[i]`.
    Kpi(usize, usize, usize, usize),
    /// `related[r].projects[p]`.
    Related(usize, usize),
}

/// One item of a flattened strategy.
#[derive(Clone, Debug)]
struct Item {
    level: Level,
    path: NodePath,
    /// Index of the parent item (the goal of a related project).
    parent: Option<usize>,
    /// The goal number it is under.
    goal: u32,
    /// The number that names it among its siblings: goal number, direction code, measure
    /// number, a related project's category (projects have none).
    number: String,
    id: String,
    place: String,
    text: String,
    /// The text compared for similarity: width-folded, without spaces.
    key: String,
}

fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc()
        .filter(|c| !c.is_whitespace() && !crate::grid::is_space(*c))
        .collect()
}

/// How the table names the two versions: their titles; when those are equal, each with its
/// date, else with its stage, where the two differ.
fn version_names(old_s: &Strategy, new_s: &Strategy) -> (Text, Text) {
    let (o, n) = (title_of(old_s), title_of(new_s));
    let plain = |t: &str| Text::new(t, t);
    if o != n {
        return (plain(&o), plain(&n));
    }
    if let (Some(a), Some(b)) = (old_s.date, new_s.date)
        && a != b
    {
        return (
            Text::new(format!("{o}（{}）", a.to_japanese()), format!("{o} ({a})")),
            Text::new(format!("{n}（{}）", b.to_japanese()), format!("{n} ({b})")),
        );
    }
    if let (Some(a), Some(b)) = (old_s.stage, new_s.stage)
        && a != b
    {
        return (
            Text::new(
                format!("{o}（{}）", a.label()),
                format!("{o} ({})", a.label_en()),
            ),
            Text::new(
                format!("{n}（{}）", b.label()),
                format!("{n} ({})", b.label_en()),
            ),
        );
    }
    (plain(&o), plain(&n))
}

/// Every item of `s` in document order, parents before their children.
fn flatten(s: &Strategy) -> Vec<Item> {
    let mut items = Vec::new();
    let push = |items: &mut Vec<Item>, mut item: Item| {
        item.key = fold(&item.text);
        items.push(item);
        items.len() - 1
    };
    let mut goal_index = std::collections::BTreeMap::new();
    for (gx, g) in s.goals.iter().enumerate() {
        let gplace = format!("基本目標{}", g.number);
        let gi = push(
            &mut items,
            Item {
                level: Level::Goal,
                path: NodePath::Goal(gx),
                parent: None,
                goal: g.number,
                number: g.number.to_string(),
                id: g
                    .id
                    .clone()
                    .unwrap_or_else(|| positional_id(s, NodePath::Goal(gx))),
                place: gplace.clone(),
                text: g.title.clone(),
                key: String::new(),
            },
        );
        goal_index.insert(g.number, gi);
        for (k, i) in g.indicators.iter().enumerate() {
            let path = NodePath::Target(gx, k);
            push(
                &mut items,
                Item {
                    level: Level::Target,
                    path,
                    parent: Some(gi),
                    goal: g.number,
                    number: String::new(),
                    id: i.id.clone().unwrap_or_else(|| positional_id(s, path)),
                    place: format!("{gplace} ＞ 数値目標"),
                    text: indicator_text(i),
                    key: String::new(),
                },
            );
        }
        for (dx, d) in g.directions.iter().enumerate() {
            let dplace = format!("{gplace} ＞ {}", d.code);
            let di = push(
                &mut items,
                Item {
                    level: Level::Direction,
                    path: NodePath::Direction(gx, dx),
                    parent: Some(gi),
                    goal: g.number,
                    number: d.code.clone(),
                    id: d
                        .id
                        .clone()
                        .unwrap_or_else(|| positional_id(s, NodePath::Direction(gx, dx))),
                    place: dplace.clone(),
                    text: format!("{} {}", d.code, d.title),
                    key: String::new(),
                },
            );
            for (mx, m) in d.measures.iter().enumerate() {
                let mplace = format!("{dplace} ＞ {}", measure_label(m.number));
                let mpath = NodePath::Measure(gx, dx, mx);
                let mi = push(
                    &mut items,
                    Item {
                        level: Level::Measure,
                        path: mpath,
                        parent: Some(di),
                        goal: g.number,
                        number: m.number.to_string(),
                        id: m.id.clone().unwrap_or_else(|| positional_id(s, mpath)),
                        place: mplace.clone(),
                        text: m.title.clone(),
                        key: String::new(),
                    },
                );
                for (k, p) in m.projects.iter().enumerate() {
                    let path = NodePath::Project(gx, dx, mx, k);
                    push(
                        &mut items,
                        Item {
                            level: Level::Project,
                            path,
                            parent: Some(mi),
                            goal: g.number,
                            number: String::new(),
                            id: p.id.clone().unwrap_or_else(|| positional_id(s, path)),
                            place: mplace.clone(),
                            text: project_text(p),
                            key: String::new(),
                        },
                    );
                }
                for (k, i) in m.indicators.iter().enumerate() {
                    let path = NodePath::Kpi(gx, dx, mx, k);
                    push(
                        &mut items,
                        Item {
                            level: Level::Kpi,
                            path,
                            parent: Some(mi),
                            goal: g.number,
                            number: String::new(),
                            id: i.id.clone().unwrap_or_else(|| positional_id(s, path)),
                            place: format!("{mplace} ＞ KPI"),
                            text: indicator_text(i),
                            key: String::new(),
                        },
                    );
                }
            }
        }
    }
    for (rx, r) in s.related.iter().enumerate() {
        for (k, p) in r.projects.iter().enumerate() {
            let path = NodePath::Related(rx, k);
            push(
                &mut items,
                Item {
                    level: Level::Related,
                    path,
                    parent: goal_index.get(&r.goal).copied(),
                    goal: r.goal,
                    number: p.category.clone().unwrap_or_default(),
                    id: p.id.clone().unwrap_or_else(|| positional_id(s, path)),
                    place: format!("基本目標{} ＞ 関連する既存事業", r.goal),
                    text: related_text(p),
                    key: String::new(),
                },
            );
        }
    }
    items
}

/// An indicator as the table compares and shows it: its name, then its values in words, so a
/// new target or a reworded name is a change of the one item.
fn indicator_text(i: &crate::model::Indicator) -> String {
    format!("{}：{}", i.name, indicator_values_text(i))
}

/// The ID an item gets from its place: `P` plus its number path (基本目標 `P1`, direction
/// `P1-1`, measure `P1-1-3`, project `P1-1-3-2`), `K` (関連) plus goal and position for a
/// related project (`K1-4`), `I` for an indicator (`I1-1` for a goal's first 数値目標,
/// `I1-1-3-1` for a measure's first KPI).
///
/// The letters avoid the era initials M T S H R, which machine-readability checkers read as
/// dates when a digit follows (デジタル庁's L3-05 takes `S1-2` for 昭和1年); IDs of that older
/// scheme (`S…`, `R…`) are renamed once by `crate::ids`.
pub fn positional_id(s: &Strategy, path: NodePath) -> String {
    let dir = |g: usize, d: usize| &s.goals[g].directions[d];
    match path {
        NodePath::Goal(g) => format!("P{}", s.goals[g].number),
        NodePath::Direction(g, d) => format!("P{}", dir(g, d).code),
        NodePath::Measure(g, d, m) => {
            format!("P{}-{}", dir(g, d).code, dir(g, d).measures[m].number)
        }
        NodePath::Project(g, d, m, p) => format!(
            "P{}-{}-{}",
            dir(g, d).code,
            dir(g, d).measures[m].number,
            p + 1
        ),
        NodePath::Related(r, p) => format!("K{}-{}", s.related[r].goal, p + 1),
        NodePath::Target(g, i) => format!("I{}-{}", s.goals[g].number, i + 1),
        NodePath::Kpi(g, d, m, i) => format!(
            "I{}-{}-{}",
            dir(g, d).code,
            dir(g, d).measures[m].number,
            i + 1
        ),
    }
}

/// Every item of `s` in document order: its place and its ID (the one it carries, else its
/// positional one).
pub fn items(s: &Strategy) -> Vec<(NodePath, String)> {
    flatten(s).into_iter().map(|i| (i.path, i.id)).collect()
}

/// Pair every item of `new` with the item of `old` it continues, if any: (its place in `new`,
/// the place and ID of its counterpart in `old`), in `new`'s document order.
pub fn pairs(old: &Strategy, new: &Strategy) -> Vec<(NodePath, Option<(NodePath, String)>)> {
    let (old_items, new_items, _, new_to_old) = pair_all(old, new);
    new_items
        .iter()
        .zip(new_to_old)
        .map(|(n, o)| {
            (
                n.path,
                o.map(|o| (old_items[o].path, old_items[o].id.clone())),
            )
        })
        .collect()
}

/// Flatten both versions and pair their items level by level, from the top.
#[allow(clippy::type_complexity)]
fn pair_all(
    old_s: &Strategy,
    new_s: &Strategy,
) -> (Vec<Item>, Vec<Item>, Vec<Option<usize>>, Vec<Option<usize>>) {
    let old = flatten(old_s);
    let new = flatten(new_s);
    let mut old_to_new = vec![None; old.len()];
    let mut new_to_old = vec![None; new.len()];
    for level in [
        Level::Goal,
        Level::Direction,
        Level::Measure,
        Level::Project,
        Level::Target,
        Level::Kpi,
        Level::Related,
    ] {
        pair_level(level, &old, &new, &mut old_to_new, &mut new_to_old);
    }
    (old, new, old_to_new, new_to_old)
}

/// How alike two texts are, 0 to 1 (matching characters over total length).
fn similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_chars(a, b)
        .ratio()
}

/// Whether a pair is close enough to be one item, given its context.
fn acceptable(level: Level, sim: f32, same_parent: bool, same_number: bool) -> bool {
    match level {
        Level::Goal => same_number || sim >= 0.6,
        Level::Direction if same_parent && same_number => sim >= 0.2,
        Level::Direction | Level::Measure if same_parent => sim >= 0.4,
        Level::Direction | Level::Measure => sim >= 0.75,
        Level::Project | Level::Related | Level::Target | Level::Kpi if same_parent => sim >= 0.5,
        Level::Project | Level::Related | Level::Target | Level::Kpi => sim >= 0.8,
    }
}

/// Pair the items of `level`: the best-scoring acceptable pairs first.
fn pair_level(
    level: Level,
    old: &[Item],
    new: &[Item],
    old_to_new: &mut [Option<usize>],
    new_to_old: &mut [Option<usize>],
) {
    let olds: Vec<usize> = (0..old.len()).filter(|&i| old[i].level == level).collect();
    let news: Vec<usize> = (0..new.len()).filter(|&i| new[i].level == level).collect();
    let same_parent =
        |o: usize, n: usize, old_to_new: &[Option<usize>]| match (old[o].parent, new[n].parent) {
            (Some(po), Some(pn)) => old_to_new[po] == Some(pn),
            (None, None) => true,
            _ => false,
        };
    // Most items do not change: one with the same text under the same parent, alone of its
    // kind on both sides, is paired at once, so only the rest are scored against each other.
    // (text, the new parent) → (old items, new items).
    type Buckets<'a> = HashMap<(&'a str, Option<usize>), (Vec<usize>, Vec<usize>)>;
    let mut buckets: Buckets = HashMap::new();
    for &o in &olds {
        let parent = match old[o].parent {
            Some(po) => match old_to_new[po] {
                Some(pn) => Some(pn),
                None => continue,
            },
            None => None,
        };
        buckets.entry((&old[o].key, parent)).or_default().0.push(o);
    }
    for &n in &news {
        if let Some(b) = buckets.get_mut(&(new[n].key.as_str(), new[n].parent)) {
            b.1.push(n);
        }
    }
    for (os, ns) in buckets.values() {
        if let ([o], [n]) = (os.as_slice(), ns.as_slice()) {
            old_to_new[*o] = Some(*n);
            new_to_old[*n] = Some(*o);
        }
    }
    let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
    for &o in olds.iter().filter(|&&o| old_to_new[o].is_none()) {
        let lo = old[o].key.chars().count();
        for &n in news.iter().filter(|&&n| new_to_old[n].is_none()) {
            let parent = same_parent(o, n, old_to_new);
            let same_number = !old[o].number.is_empty() && old[o].number == new[n].number;
            // The ratio cannot exceed 2·min/(sum) of the lengths: skip pairs that could not pass.
            let ln = new[n].key.chars().count();
            let bound = if lo + ln == 0 {
                1.0
            } else {
                2.0 * lo.min(ln) as f32 / (lo + ln) as f32
            };
            if !acceptable(level, bound, parent, same_number) {
                continue;
            }
            let sim = similarity(&old[o].key, &new[n].key);
            if acceptable(level, sim, parent, same_number) {
                let score =
                    sim + if parent { 0.3 } else { 0.0 } + if same_number { 0.2 } else { 0.0 };
                candidates.push((score, o, n));
            }
        }
    }
    // Best first; ties in document order, so the result never depends on anything else.
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, o, n) in candidates {
        if old_to_new[o].is_none() && new_to_old[n].is_none() {
            old_to_new[o] = Some(n);
            new_to_old[n] = Some(o);
        }
    }
}

fn segments(old: &str, new: &str) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for (tag, text) in similar::utils::diff_chars(Algorithm::Myers, old, new) {
        let seg = match tag {
            ChangeTag::Equal => Segment::Same(text.to_string()),
            ChangeTag::Delete => Segment::Deleted(text.to_string()),
            ChangeTag::Insert => Segment::Inserted(text.to_string()),
        };
        out.push(seg);
    }
    out
}

fn version(item: &Item) -> Version {
    Version {
        id: item.id.clone(),
        place: item.place.clone(),
        text: item.text.clone(),
    }
}

/// Compare two versions of a draft.
pub fn compare(old_s: &Strategy, new_s: &Strategy) -> Comparison {
    let (old_name, new_name) = version_names(old_s, new_s);
    let (old, new, old_to_new, new_to_old) = pair_all(old_s, new_s);

    // Rows in the new version's order; a removed item right after the new position of the
    // nearest item before it in the old version that was kept.
    let mut rows: Vec<((u32, usize, usize), Change)> = Vec::new();
    let mut unchanged: std::collections::BTreeMap<u32, usize> = Default::default();
    for (n, item) in new.iter().enumerate() {
        let change = match new_to_old[n] {
            None => Some(Change {
                kind: Kind::Added,
                level: item.level,
                old: None,
                new: Some(version(item)),
                segments: vec![Segment::Inserted(item.text.clone())],
                goal: item.goal,
            }),
            Some(o) => {
                let same_parent = match (old[o].parent, item.parent) {
                    (Some(po), Some(pn)) => old_to_new[po] == Some(pn),
                    (None, None) => true,
                    _ => false,
                };
                let kind = if !same_parent {
                    Some(Kind::Moved)
                } else if old[o].text != item.text {
                    Some(Kind::Changed)
                } else {
                    None
                };
                kind.map(|kind| Change {
                    kind,
                    level: item.level,
                    old: Some(version(&old[o])),
                    new: Some(version(item)),
                    segments: segments(&old[o].text, &item.text),
                    goal: item.goal,
                })
            }
        };
        match change {
            Some(c) => rows.push(((item.goal, n, 0), c)),
            None => *unchanged.entry(item.goal).or_default() += 1,
        }
    }
    for (o, item) in old.iter().enumerate() {
        if old_to_new[o].is_some() {
            continue;
        }
        let anchor = (0..o).rev().find_map(|p| old_to_new[p]);
        // Filed under the goal its old goal became (or the old goal, when that went too).
        let mut goal = item.goal;
        let mut p = Some(o);
        while let Some(i) = p {
            if old[i].level == Level::Goal {
                goal = old_to_new[i].map_or(old[i].goal, |n| new[n].goal);
                break;
            }
            p = old[i].parent;
        }
        let key = (goal, anchor.unwrap_or(0), o + 1);
        rows.push((
            key,
            Change {
                kind: Kind::Removed,
                level: item.level,
                old: Some(version(item)),
                new: None,
                segments: vec![Segment::Deleted(item.text.clone())],
                goal,
            },
        ));
    }
    rows.sort_by_key(|r| r.0);
    let changes: Vec<Change> = rows.into_iter().map(|(_, c)| c).collect();

    let mut goals: Vec<GoalSummary> = new_s
        .goals
        .iter()
        .map(|g| GoalSummary {
            goal: g.number,
            title: g.title.clone(),
            changed: changes.iter().filter(|c| c.goal == g.number).count(),
            unchanged: unchanged.get(&g.number).copied().unwrap_or(0),
        })
        .collect();
    for c in &changes {
        if !goals.iter().any(|g| g.goal == c.goal) {
            let title = old_s
                .goals
                .iter()
                .find(|g| g.number == c.goal)
                .map(|g| g.title.clone())
                .unwrap_or_default();
            goals.push(GoalSummary {
                goal: c.goal,
                title,
                changed: changes.iter().filter(|x| x.goal == c.goal).count(),
                unchanged: unchanged.get(&c.goal).copied().unwrap_or(0),
            });
        }
    }
    goals.sort_by_key(|g| g.goal);
    Comparison {
        old_title: title_of(old_s),
        new_title: title_of(new_s),
        old_name,
        new_name,
        organisation: new_s
            .municipality
            .as_ref()
            .map(|m| format!("{}{}", m.prefecture, m.name))
            .or_else(|| new_s.publisher.as_ref().map(|p| p.name.clone())),
        changes,
        goals,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Direction, Goal, Measure, Project, RelatedGroup, RelatedProject};

    /// A project with only a title.
    pub(crate) fn project(t: &str) -> Project {
        Project {
            title: t.into(),
            ..Default::default()
        }
    }

    /// Two goals, three measures, four projects and one related project: what the
    /// comparison and ID tests start from.
    pub(crate) fn strategy() -> Strategy {
        Strategy {
            title: Some("架空市総合戦略（骨子案）".into()),
            goals: vec![
                Goal {
                    number: 1,
                    title: "安定した雇用を創出する".into(),
                    directions: vec![Direction {
                        code: "1-1".into(),
                        title: "若者の雇用機会の拡大".into(),
                        measures: vec![
                            Measure {
                                number: 1,
                                title: "若者の市内就職の促進".into(),
                                projects: vec![
                                    project("企業説明会"),
                                    project("インターンシップ事業"),
                                ],
                                ..Default::default()
                            },
                            Measure {
                                number: 2,
                                title: "創業の支援".into(),
                                projects: vec![project("創業塾の開催")],
                                ..Default::default()
                            },
                        ],
                        ..Default::default()
                    }],
                    ..Default::default()
                },
                Goal {
                    number: 2,
                    title: "新しい人の流れをつくる".into(),
                    directions: vec![Direction {
                        code: "2-1".into(),
                        title: "移住の促進".into(),
                        measures: vec![Measure {
                            number: 3,
                            title: "移住相談の充実".into(),
                            projects: vec![project("移住相談窓口の設置")],
                            ..Default::default()
                        }],
                        ..Default::default()
                    }],
                    ..Default::default()
                },
            ],
            related: vec![RelatedGroup {
                goal: 1,
                projects: vec![RelatedProject {
                    title: "就労支援事業".into(),
                    category: Some("雇用".into()),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn the_same_version_has_no_changes() {
        let c = compare(&strategy(), &strategy());
        assert!(c.changes.is_empty(), "{:#?}", c.changes);
        // 2 goals, 2 directions, 3 measures, 4 projects, 1 related.
        assert_eq!(c.unchanged(), 12);
        assert_eq!(
            c.goals
                .iter()
                .map(|g| (g.goal, g.unchanged))
                .collect::<Vec<_>>(),
            [(1, 8), (2, 4)]
        );
    }

    #[test]
    fn a_reworded_measure_is_changed_with_its_characters_marked() {
        let mut s = strategy();
        s.goals[0].directions[0].measures[0].title = "若者の地元就職の促進".into();
        let c = compare(&strategy(), &s);
        assert_eq!(c.changes.len(), 1, "{:#?}", c.changes);
        let ch = &c.changes[0];
        assert_eq!((ch.kind, ch.level), (Kind::Changed, Level::Measure));
        assert_eq!(
            ch.new.as_ref().map(|v| v.place.as_str()),
            Some("基本目標1 ＞ 1-1 ＞ ①")
        );
        assert_eq!(
            ch.segments,
            [
                Segment::Same("若者の".into()),
                Segment::Deleted("市内".into()),
                Segment::Inserted("地元".into()),
                Segment::Same("就職の促進".into()),
            ]
        );
    }

    #[test]
    fn a_project_under_another_measure_is_moved_and_ids_follow() {
        let mut s = strategy();
        let p = s.goals[0].directions[0].measures[0].projects.remove(1);
        s.goals[0].directions[0].measures[1].projects.push(p);
        let c = compare(&strategy(), &s);
        assert_eq!(c.changes.len(), 1, "{:#?}", c.changes);
        let ch = &c.changes[0];
        assert_eq!((ch.kind, ch.level), (Kind::Moved, Level::Project));
        assert_eq!(ch.old.as_ref().map(|v| v.id.as_str()), Some("P1-1-1-2"));
        assert_eq!(ch.new.as_ref().map(|v| v.id.as_str()), Some("P1-1-2-2"));
        assert_eq!(
            ch.new.as_ref().map(|v| v.place.as_str()),
            Some("基本目標1 ＞ 1-1 ＞ ②")
        );
    }

    #[test]
    fn a_renumbered_direction_keeps_its_identity_and_a_renamed_goal_is_changed() {
        let mut s = strategy();
        s.goals[1].directions[0].code = "2-2".into();
        s.goals[1].title = "地方への新しいひとの流れをつくる".into();
        let c = compare(&strategy(), &s);
        let kinds: Vec<(Kind, Level)> = c.changes.iter().map(|c| (c.kind, c.level)).collect();
        assert_eq!(
            kinds,
            [
                (Kind::Changed, Level::Goal),
                (Kind::Changed, Level::Direction)
            ],
            "{:#?}",
            c.changes
        );
        // Its measures and projects did not change: the direction kept its identity.
        assert_eq!(c.goals[1].unchanged, 2);
    }

    #[test]
    fn added_and_removed_items_are_listed_where_they_stand() {
        let mut s = strategy();
        s.goals[0].directions[0].measures.push(Measure {
            number: 4,
            title: "女性の就労の支援".into(),
            projects: vec![project("再就職セミナー")],
            ..Default::default()
        });
        s.related[0].projects.clear();
        let c = compare(&strategy(), &s);
        let rows: Vec<(Kind, Level, u32)> = c
            .changes
            .iter()
            .map(|c| (c.kind, c.level, c.goal))
            .collect();
        assert_eq!(
            rows,
            [
                (Kind::Added, Level::Measure, 1),
                (Kind::Added, Level::Project, 1),
                (Kind::Removed, Level::Related, 1),
            ],
            "{:#?}",
            c.changes
        );
    }

    #[test]
    fn an_unrelated_rewrite_is_removed_and_added_not_changed() {
        let mut s = strategy();
        s.goals[0].directions[0].measures[0].projects[0].title = "空港アクセスの改善".into();
        let c = compare(&strategy(), &s);
        let kinds: Vec<Kind> = c.changes.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, [Kind::Removed, Kind::Added], "{:#?}", c.changes);
    }
}

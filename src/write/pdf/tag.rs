//! Structure-tree helpers: element IDs, the marked content filed under a [`Target`], and the
//! groups (lists, header rows, tables) every document's tree is built from.

use super::Target;
use krilla::tagging::{Identifier, ListNumbering, Node, TableHeaderScope, Tag, TagGroup, TagId};
use std::collections::HashMap;
use std::num::NonZeroU32;

/// A structure element ID: `kind-1-2…`.
pub(crate) fn tag_id(kind: &str, n: &[usize]) -> TagId {
    let mut s = kind.to_string();
    for x in n {
        s.push('-');
        s.push_str(&x.to_string());
    }
    TagId::from(s.into_bytes())
}

/// The marked content filed under `t`, as structure children (each only once).
pub(crate) fn take(ids: &mut HashMap<Target, Vec<Identifier>>, t: Target) -> Vec<Node> {
    ids.remove(&t)
        .unwrap_or_default()
        .into_iter()
        .map(Node::from)
        .collect()
}

/// A structure element around `children`, or none when there are none.
pub(crate) fn group(tag: impl Into<krilla::tagging::TagKind>, children: Vec<Node>) -> Option<Node> {
    (!children.is_empty()).then(|| TagGroup::with_children(tag, children).into())
}

fn list_item(
    ids: &mut HashMap<Target, Vec<Identifier>>,
    label: Target,
    body: Target,
) -> Option<Node> {
    let mut children = Vec::new();
    children.extend(group(Tag::Lbl, take(ids, label)));
    children.extend(group(Tag::LBody, take(ids, body)));
    group(Tag::LI, children)
}

/// A THead row of column headers `prefix-0…`, their text filed under `target(i)`.
pub(crate) fn head_row(
    ids: &mut HashMap<Target, Vec<Identifier>>,
    prefix: &str,
    columns: usize,
    target: impl Fn(usize) -> Target,
) -> Vec<Node> {
    (0..columns)
        .filter_map(|i| {
            group(
                Tag::TH(TableHeaderScope::Column).with_id(Some(tag_id(prefix, &[i]))),
                take(ids, target(i)),
            )
        })
        .collect()
}

/// A bulleted list of `n` items whose label and body targets are `targets(i)`.
pub(super) fn bullet_list(
    ids: &mut HashMap<Target, Vec<Identifier>>,
    n: usize,
    targets: impl Fn(usize) -> (Target, Target),
) -> Vec<Node> {
    let items: Vec<Node> = (0..n)
        .filter_map(|i| {
            let (label, body) = targets(i);
            list_item(ids, label, body)
        })
        .collect();
    group(Tag::L(ListNumbering::Disc), items)
        .into_iter()
        .collect()
}

/// A Table of a header row and body rows.
pub(crate) fn table_node(head: Vec<Node>, body: Vec<Node>) -> Option<Node> {
    let mut table = Vec::new();
    table.extend(group(
        Tag::THead,
        group(Tag::TR, head).into_iter().collect(),
    ));
    table.extend(group(Tag::TBody, body));
    group(Tag::Table, table)
}

/// A row or column span of `n` cells, when more than one.
pub(super) fn span(n: usize) -> Option<NonZeroU32> {
    NonZeroU32::new(u32::try_from(n).unwrap_or(u32::MAX)).filter(|n| n.get() > 1)
}

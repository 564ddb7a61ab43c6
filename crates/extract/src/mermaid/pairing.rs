//! Which relationship line each `FK` attribute of an entity stands for: by the line's label
//! (`Recipe }o--|| Member : cook` and `cookId`), by the column's stem (`room_id` and `rooms`),
//! or by elimination (the one attribute left and the one line left), and the referential
//! actions an attribute's comment states (`"ON DELETE CASCADE"`).

use super::parse::Attribute;
use super::{stems, Edge};
use crate::context::resolve_known;
use model::{name_key, singular_plural_variants, ReferentialAction};
use std::collections::BTreeSet;

/// How an attribute was paired with its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum How {
    /// The line's label starts the attribute's name (`cook` and `cookId`).
    Label,
    /// The attribute is named after the line's parent entity (`room_id` and `rooms`); `true`
    /// when other parents were possible, so the choice is a guess from the name.
    Stem(bool),
    /// The only attribute left and the only line left.
    Elimination,
    /// Every line of the entity goes to one parent.
    OnlyParent,
}

impl How {
    /// Whether the pairing rests on a guess from a name rather than on what the diagram says.
    pub(super) fn inferred(self) -> bool {
        matches!(self, How::Stem(true))
    }
}

/// Pairs `attrs` (the FK attributes of one entity) with `mine` (the edges whose child is that
/// entity): for each attribute, the index into `mine` of its edge and how it was chosen.
/// `used` holds the relationship lines already spoken for and gains those chosen here;
/// `names_other` says whether an attribute's name names an entity no line links (such an
/// attribute is not paired by elimination: its name says where it points).
pub(super) fn pair(
    attrs: &[&Attribute],
    mine: &[&Edge],
    used: &mut BTreeSet<usize>,
    names_other: &dyn Fn(&str) -> bool,
) -> Vec<Option<(usize, How)>> {
    let mut out: Vec<Option<(usize, How)>> = vec![None; attrs.len()];
    let parents: BTreeSet<String> = mine.iter().map(|x| x.parent.clone()).collect();
    // The edge of `line` to use: the more likely direction of a one-to-one line first.
    let edge_of = |line: usize| -> Option<usize> {
        let mut of: Vec<usize> = (0..mine.len()).filter(|&i| mine[i].line == line).collect();
        of.sort_by_key(|&i| !mine[i].primary);
        of.first().copied()
    };

    // 1. Labels: an attribute whose name starts with the words of exactly one line's label,
    //    a label no other attribute claims.
    let by_label: Vec<BTreeSet<usize>> = attrs
        .iter()
        .map(|a| mine.iter().filter(|x| !used.contains(&x.line) && label_names(&x.label, a)).map(|x| x.line).collect())
        .collect();
    for (i, lines) in by_label.iter().enumerate() {
        let [line] = lines.iter().copied().collect::<Vec<_>>()[..] else { continue };
        if by_label.iter().filter(|l| l.contains(&line)).count() != 1 {
            continue;
        }
        if let Some(e) = edge_of(line) {
            used.insert(line);
            out[i] = Some((e, How::Label));
        }
    }

    // 2. Stems: the attribute is named after a parent; of several lines to that parent, each
    //    attribute takes one no other took.
    let mut claimed = false;
    for (i, a) in attrs.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        let Some(parent) = named_parent(&a.name, &parents) else { continue };
        claimed = true;
        let best = (0..mine.len())
            .filter(|&e| mine[e].parent == parent)
            .min_by_key(|&e| (used.contains(&mine[e].line), !mine[e].primary));
        if let Some(e) = best {
            used.insert(mine[e].line);
            out[i] = Some((e, How::Stem(parents.len() > 1)));
        }
    }

    // 3. Elimination: one attribute left that names nothing else, one line left.
    let rest: Vec<usize> = (0..attrs.len()).filter(|&i| out[i].is_none() && !names_other(&attrs[i].name)).collect();
    let free: BTreeSet<usize> = mine.iter().map(|x| x.line).filter(|l| !used.contains(l)).collect();
    if let ([i], [line]) = (&rest[..], &free.iter().copied().collect::<Vec<_>>()[..]) {
        if let Some(e) = edge_of(*line) {
            used.insert(*line);
            out[*i] = Some((e, How::Elimination));
        }
        return out;
    }

    // 4. Every line goes to one parent and no attribute names another: they all point there.
    let primary: BTreeSet<&str> = mine.iter().filter(|x| x.primary).map(|x| x.parent.as_str()).collect();
    if primary.len() == 1 && !claimed {
        for &i in &rest {
            let best = (0..mine.len()).filter(|&e| mine[e].primary).min_by_key(|&e| used.contains(&mine[e].line));
            if let Some(e) = best {
                used.insert(mine[e].line);
                out[i] = Some((e, How::OnlyParent));
            }
        }
    }
    out
}

/// The parent (of `parents`) an attribute is named after: `room_id` → `rooms`, `cuisineCode` →
/// `cuisine` (the parent's name, then the name of its key).
pub(super) fn named_parent(column: &str, parents: &BTreeSet<String>) -> Option<String> {
    if let Some(p) = stems(column).iter().find_map(|s| resolve_known(s, parents)) {
        return Some(p);
    }
    let words = words(column);
    if words.len() < 2 {
        return None;
    }
    let hits: Vec<&String> = parents
        .iter()
        .filter(|p| {
            let mut names = vec![name_key(p)];
            names.extend(singular_plural_variants(p));
            names.iter().any(|n| {
                let pw: Vec<String> = n.split('_').filter(|w| !w.is_empty()).map(str::to_string).collect();
                !pw.is_empty() && pw.len() < words.len() && words.starts_with(&pw)
            })
        })
        .collect();
    match hits[..] {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// Whether a line's label names the attribute: its words start the attribute's name
/// (`cook` → `cookId`, `cook_id`), are the whole name (`template_id`, as schemadoc labels its
/// lines), or are the attribute's comment.
fn label_names(label: &str, a: &Attribute) -> bool {
    let lw = words(label);
    if lw.is_empty() || lw.concat().chars().count() < 2 {
        return false;
    }
    let aw = words(&a.name);
    aw.starts_with(&lw) || a.comment.as_deref().is_some_and(|c| words(c) == lw)
}

/// The lower-case words of a name or label: `cuisineCode`, `cuisine_code` and `Cuisine Code`
/// all give `cuisine`, `code`.
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_numeric();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The `ON DELETE` and `ON UPDATE` actions an attribute comment states
/// (`"ON DELETE CASCADE"`, `"on update set null"`).
pub(super) fn actions(comment: &str) -> (Option<ReferentialAction>, Option<ReferentialAction>) {
    let w: Vec<String> = comment
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '='))
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect();
    let mut delete = None;
    let mut update = None;
    for i in 0..w.len() {
        if w[i] != "ON" {
            continue;
        }
        let Some(action) = action(&w[(i + 2).min(w.len())..]) else { continue };
        match w.get(i + 1).map(String::as_str) {
            Some("DELETE") => delete = delete.or(Some(action)),
            Some("UPDATE") => update = update.or(Some(action)),
            _ => {}
        }
    }
    (delete, update)
}

fn action(w: &[String]) -> Option<ReferentialAction> {
    let second = w.get(1).map(String::as_str);
    Some(match (w.first()?.as_str(), second) {
        ("CASCADE", _) => ReferentialAction::Cascade,
        ("RESTRICT", _) => ReferentialAction::Restrict,
        ("SET", Some("NULL")) => ReferentialAction::SetNull,
        ("SET", Some("DEFAULT")) => ReferentialAction::SetDefault,
        ("NO", Some("ACTION")) => ReferentialAction::NoAction,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_camel_snake_and_spaces() {
        assert_eq!(words("cuisineCode"), ["cuisine", "code"]);
        assert_eq!(words("cook_id"), ["cook", "id"]);
        assert_eq!(words("\"is assigned\""), ["is", "assigned"]);
        assert_eq!(words("HTTPStatus"), ["httpstatus"]);
    }

    #[test]
    fn named_parent_reads_stems_and_key_suffixes() {
        let parents: BTreeSet<String> = ["cuisine".to_string(), "member".to_string()].into();
        assert_eq!(named_parent("cuisineCode", &parents).as_deref(), Some("cuisine"));
        assert_eq!(named_parent("member_id", &parents).as_deref(), Some("member"));
        assert_eq!(named_parent("cookId", &parents), None);
        assert_eq!(named_parent("cuisine", &parents), None);
    }

    #[test]
    fn comments_state_actions() {
        use ReferentialAction::*;
        assert_eq!(actions("ON DELETE CASCADE"), (Some(Cascade), None));
        assert_eq!(actions("room, on delete set null, on update cascade"), (Some(SetNull), Some(Cascade)));
        assert_eq!(actions("on delete: no action"), (Some(NoAction), None));
        assert_eq!(actions("on"), (None, None));
        assert_eq!(actions("turned on update"), (None, None));
    }
}

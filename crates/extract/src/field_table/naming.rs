//! Naming conventions: the table a column name like `user_id` points at.

use super::words::is_ident;
use crate::context::resolve_known;
use std::collections::BTreeSet;

/// The table a column name like `user_id`/`userId` points at, by convention: `users`.
pub(crate) fn fk_target_from_column(column: &str, known: &BTreeSet<String>) -> Option<String> {
    let stem = column
        .strip_suffix("_id")
        .or_else(|| column.strip_suffix("_ID"))
        .or_else(|| column.strip_suffix("Id").filter(|s| s.chars().last().is_some_and(|c| c.is_lowercase())))?;
    if stem.is_empty() || !is_ident(stem) {
        return None;
    }
    let snake = to_snake(stem);
    if let Some(hit) = resolve_known(&snake, known) {
        return Some(hit);
    }
    Some(plural(&snake))
}

/// `UserProfile` → `user_profile`.
pub(crate) fn to_snake(s: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower = i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if i > 0 && (prev_lower || (next_lower && chars[i - 1].is_uppercase())) && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The English plural of a table stem (`user` → `users`, `category` → `categories`).
pub(crate) fn plural(s: &str) -> String {
    if s.ends_with('s') || s.ends_with('x') || s.ends_with("ch") || s.ends_with("sh") {
        format!("{s}es")
    } else if let Some(stem) = s.strip_suffix('y').filter(|st| !st.ends_with(['a', 'e', 'i', 'o', 'u'])) {
        format!("{stem}ies")
    } else {
        format!("{s}s")
    }
}

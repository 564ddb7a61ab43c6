/// The key under which a name is compared: unquoted and lower-cased
/// (`"Users"`, `` `users` ``, `USERS` and `[users]` are one name).
pub fn name_key(name: &str) -> String {
    unquote(name).to_lowercase()
}

/// Whether two names are one name under [`name_key`], without allocating.
pub fn name_eq(a: &str, b: &str) -> bool {
    let (a, b) = (unquote(a), unquote(b));
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

fn unquote(name: &str) -> &str {
    let trimmed = name.trim();
    trimmed
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| trimmed.strip_prefix('`').and_then(|s| s.strip_suffix('`')))
        .or_else(|| trimmed.strip_prefix('[').and_then(|s| s.strip_suffix(']')))
        .unwrap_or(trimmed)
}

/// Other spellings under which an English table name may appear: its plural or singular
/// (`user` ↔ `users`, `category` ↔ `categories`, `box` ↔ `boxes`), compared by [`name_key`].
pub fn singular_plural_variants(name: &str) -> Vec<String> {
    let key = name_key(name);
    let mut out = Vec::new();
    if let Some(stem) = key.strip_suffix("ies") {
        out.push(format!("{stem}y"));
    }
    if let Some(stem) = key.strip_suffix("es") {
        out.push(stem.to_string());
    }
    if let Some(stem) = key.strip_suffix('s') {
        out.push(stem.to_string());
    }
    if let Some(stem) = key.strip_suffix('y') {
        out.push(format!("{stem}ies"));
    }
    out.push(format!("{key}s"));
    out.push(format!("{key}es"));
    out.retain(|v| !v.is_empty() && *v != key);
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_case_do_not_matter() {
        assert_eq!(name_key("\"Users\""), "users");
        assert_eq!(name_key("`USERS`"), "users");
        assert_eq!(name_key("[users]"), "users");
        assert!(name_eq("\"Users\"", "users") && name_eq("사용자", "사용자") && !name_eq("users", "user"));
    }

    #[test]
    fn plural_and_singular_variants() {
        assert!(singular_plural_variants("user").contains(&"users".to_string()));
        assert!(singular_plural_variants("users").contains(&"user".to_string()));
        assert!(singular_plural_variants("category").contains(&"categories".to_string()));
        assert!(singular_plural_variants("categories").contains(&"category".to_string()));
    }
}

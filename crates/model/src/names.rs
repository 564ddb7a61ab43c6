/// The key under which a name is compared: unquoted and lower-cased
/// (`"Users"`, `` `users` ``, `USERS` and `[users]` are one name).
pub fn name_key(name: &str) -> String {
    unquote(name).to_lowercase()
}

/// Whether two names are one name under [`name_key`], without allocating.
pub fn name_eq(a: &str, b: &str) -> bool {
    // Fast path for the common case, two plain ASCII names: nothing to unquote or trim.
    if is_plain_ascii(a) && is_plain_ascii(b) {
        return a.eq_ignore_ascii_case(b);
    }
    let (a, b) = (unquote(a), unquote(b));
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

/// An ASCII name that starts and ends with a letter, digit or `_`: no quotes, no spaces around it.
fn is_plain_ascii(name: &str) -> bool {
    let word = |c: &u8| c.is_ascii_alphanumeric() || *c == b'_';
    let bytes = name.as_bytes();
    bytes.first().is_some_and(word) && bytes.last().is_some_and(word) && name.is_ascii()
}

/// Whether `namespace` is the default schema, where unqualified names live: `public`
/// (PostgreSQL) and `dbo` (SQL Server). `public.trees` and `trees` are one table.
pub fn is_default_namespace(namespace: &str) -> bool {
    name_eq(namespace, "public") || name_eq(namespace, "dbo")
}

/// Whether two table references (`orchard.trees`, `public.trees`, `trees`) have one key under
/// [`reference_key`], without allocating.
pub fn reference_eq(a: &str, b: &str) -> bool {
    let (a_ns, a_name) = split_qualified(a);
    let (b_ns, b_name) = split_qualified(b);
    name_eq(a_name, b_name) && namespace_eq(a_ns, b_ns)
}

/// Whether two namespaces are one, the default schema (`public`, `dbo`, or none written) being one.
pub fn namespace_eq(a: Option<&str>, b: Option<&str>) -> bool {
    match (a.filter(|n| !is_default_namespace(n)), b.filter(|n| !is_default_namespace(n))) {
        (None, None) => true,
        (Some(a), Some(b)) => name_eq(a, b),
        _ => false,
    }
}

/// Splits a table reference at its last dot outside quotes: `orchard.trees` → (`orchard`,
/// `trees`), `"My.Schema"."T"` → (`"My.Schema"`, `"T"`), `trees` → (none, `trees`). A database
/// or catalog part before the schema (`db.orchard.trees`) stays in the namespace part.
pub fn split_qualified(name: &str) -> (Option<&str>, &str) {
    let name = name.trim();
    let mut quote: Option<char> = None;
    let mut last_dot = None;
    for (i, c) in name.char_indices() {
        match (quote, c) {
            (None, '"' | '`') => quote = Some(c),
            (None, '[') => quote = Some(']'),
            (Some(q), c) if c == q => quote = None,
            (None, '.') => last_dot = Some(i),
            _ => {}
        }
    }
    match last_dot {
        Some(i) if i > 0 && i + 1 < name.len() => (Some(name[..i].trim()), name[i + 1..].trim()),
        _ => (None, name),
    }
}

/// The key under which a table is compared: `namespace.name` under [`name_key`], or the bare
/// name's key when the table lives in the default schema ([`is_default_namespace`]).
pub fn table_key(namespace: Option<&str>, name: &str) -> String {
    match namespace.filter(|n| !is_default_namespace(n)) {
        Some(ns) => format!("{}.{}", name_key(ns), name_key(name)),
        None => name_key(name),
    }
}

/// The key of a table reference as written (`orchard.trees`, `public.trees`, `trees`): see
/// [`table_key`].
pub fn reference_key(reference: &str) -> String {
    let (ns, name) = split_qualified(reference);
    table_key(ns, name)
}

/// A table's name as messages show it: `orchard.trees`, or `trees` in the default schema.
pub fn qualified_name(namespace: Option<&str>, name: &str) -> String {
    match namespace.filter(|n| !is_default_namespace(n)) {
        Some(ns) => format!("{ns}.{name}"),
        None => name.to_string(),
    }
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

/// The edit distance between two strings counted in characters, a swap of two neighbours
/// counting as one edit (optimal string alignment). Used to suggest the name a typo meant.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The candidate a misspelled `name` most likely meant: its singular or plural, the only candidate
/// containing it as a whole `_`-separated part (`keywords` → `custom_keywords`), or the closest
/// candidate by edit distance (at most a third of the name's length). Ties keep candidate order.
pub fn suggest_name<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let key = name_key(name);
    let candidates: Vec<&str> = candidates.into_iter().filter(|c| name_key(c) != key && !c.is_empty()).collect();
    let variants = singular_plural_variants(&key);
    if let Some(c) = candidates.iter().find(|c| variants.contains(&name_key(c))) {
        return Some(c.to_string());
    }
    let contains_part = |c: &str, part: &str| {
        let c = name_key(c);
        c.split('_').any(|p| p == part)
            || (part.contains('_') && (c.starts_with(&format!("{part}_")) || c.ends_with(&format!("_{part}"))))
    };
    let containing: Vec<&&str> = candidates.iter().filter(|c| contains_part(c, &key)).collect();
    if let [only] = containing.as_slice() {
        return Some(only.to_string());
    }
    let limit = (key.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| (edit_distance(&key, &name_key(c)), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

/// Whether `name` matches `pattern`, where `*` stands for any run of characters and `?` for one
/// (case-insensitive, as unquoted SQL names are).
pub fn glob(pattern: &str, name: &str) -> bool {
    fn at(p: &[char], n: &[char]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some(('*', rest)) => (0..=n.len()).any(|i| at(rest, &n[i..])),
            Some(('?', rest)) => !n.is_empty() && at(rest, &n[1..]),
            Some((c, rest)) => n.first().is_some_and(|x| x == c) && at(rest, &n[1..]),
        }
    }
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    at(&p, &n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("emial", "email"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("사용자", "사용"), 1);
    }

    #[test]
    fn quotes_and_case_do_not_matter() {
        assert_eq!(name_key("\"Users\""), "users");
        assert_eq!(name_key("`USERS`"), "users");
        assert_eq!(name_key("[users]"), "users");
        assert!(name_eq("\"Users\"", "users") && name_eq("사용자", "사용자") && !name_eq("users", "user"));
    }

    #[test]
    fn qualified_names_split_outside_quotes_and_default_schemas_vanish() {
        assert_eq!(split_qualified("orchard.trees"), (Some("orchard"), "trees"));
        assert_eq!(split_qualified("\"My.Schema\".\"T\""), (Some("\"My.Schema\""), "\"T\""));
        assert_eq!(split_qualified("[dbo].[Wards]"), (Some("[dbo]"), "[Wards]"));
        assert_eq!(split_qualified("trees"), (None, "trees"));
        assert_eq!(reference_key("public.Trees"), "trees");
        assert_eq!(reference_key("[dbo].[Wards]"), "wards");
        assert_eq!(reference_key("Orchard.Trees"), "orchard.trees");
        assert_eq!(qualified_name(Some("orchard"), "trees"), "orchard.trees");
        assert_eq!(qualified_name(Some("public"), "trees"), "trees");
    }

    #[test]
    fn plural_and_singular_variants() {
        assert!(singular_plural_variants("user").contains(&"users".to_string()));
        assert!(singular_plural_variants("users").contains(&"user".to_string()));
        assert!(singular_plural_variants("category").contains(&"categories".to_string()));
        assert!(singular_plural_variants("categories").contains(&"category".to_string()));
    }
}

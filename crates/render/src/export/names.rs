//! Identifier spelling shared by the exporters: class/model names from table names, field names
//! from column names, each kept unique within its scope.

use std::collections::BTreeSet;

/// Whether `name` is a plain ASCII identifier (`[A-Za-z_][A-Za-z0-9_]*`).
pub fn is_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The ASCII words of a name (`user_profiles` → `user`, `profiles`; `createdAt` → `created`, `At`).
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase(),
        None => String::new(),
    }
}

/// `user_profiles` → `UserProfiles`; `None` when the name has no ASCII letters to build one from.
pub fn pascal(name: &str) -> Option<String> {
    let joined: String = words(name).iter().map(|w| capitalised(w)).collect();
    joined.starts_with(|c: char| c.is_ascii_alphabetic()).then_some(joined)
}

/// `created_at` → `createdAt`; `None` when the name has no ASCII letters to build one from.
pub fn camel(name: &str) -> Option<String> {
    let pascal = pascal(name)?;
    let mut chars = pascal.chars();
    let first = chars.next()?;
    Some(first.to_ascii_lowercase().to_string() + chars.as_str())
}

/// The singular of an English plural table name's last word (`users` → `user`, `categories` →
/// `category`, `addresses` → `address`, `status` stays).
pub fn singular(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let cut = |n: usize| name[..name.len() - n].to_string();
    if lower.ends_with("ies") && name.len() > 4 {
        return cut(3) + "y";
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if lower.ends_with(suffix) {
            return cut(2);
        }
    }
    if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
        && name.len() > 2
    {
        return cut(1);
    }
    name.to_string()
}

/// Hands out names unique within one scope (case-insensitively), suffixing `2`, `3`… on clashes.
#[derive(Default)]
pub struct Unique {
    taken: BTreeSet<String>,
}

impl Unique {
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_ascii_lowercase());
    }

    pub fn take(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_string();
        let mut n = 2;
        while self.taken.contains(&name.to_ascii_lowercase()) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        self.reserve(&name);
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_and_plurals() {
        assert_eq!(pascal("user_profiles").as_deref(), Some("UserProfiles"));
        assert_eq!(pascal("onboarding_data").as_deref(), Some("OnboardingData"));
        assert_eq!(camel("created_at").as_deref(), Some("createdAt"));
        assert_eq!(camel("displayName").as_deref(), Some("displayName"));
        assert_eq!(camel("이름"), None);
        assert_eq!(pascal("2fa_codes"), None);
        assert_eq!(singular("users"), "user");
        assert_eq!(singular("categories"), "category");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("status"), "status");
        assert_eq!(singular("boxes"), "box");
        assert!(is_identifier("user_id") && !is_identifier("사용자") && !is_identifier("1a"));
        let mut u = Unique::default();
        u.reserve("user");
        assert_eq!(u.take("User"), "User2");
        assert_eq!(u.take("posts"), "posts");
    }
}

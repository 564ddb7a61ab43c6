//! What the user says about findings, in one place: which rules are allowed (not reported), only
//! warned about or denied (errors), per rule or per severity, from a config file or the command
//! line; tables whose findings are not reported; and `<!-- schemadoc:allow rule -->` markers in the
//! documents, each for one block or one line. The config file and the flags only fill a
//! [`Policy`]; applying it to findings happens here.

use model::{edit_distance, glob, Diagnostic, RuleInfo, Schema, Severity, Span};
use std::collections::BTreeSet;
use std::sync::Arc;

/// What to do with the findings a selector matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error (for a severity: findings of it and above fail the run).
    Deny,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

/// What an entry of `allow`/`warn`/`deny` names: one rule, or every finding of a severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Selector {
    Rule(&'static str),
    Severity(Severity),
}

/// A name in `allow`/`warn`/`deny` that is neither a rule nor a severity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule `{name}`{}", .suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
pub struct UnknownRule {
    pub name: String,
    pub suggestion: Option<String>,
}

/// The entry `name` names among `rules` (a rule name, or `info`/`warning`/`error`).
pub fn selector(name: &str, rules: &[RuleInfo]) -> Result<Selector, UnknownRule> {
    let name = name.trim();
    if let Some(severity) = Severity::parse(name) {
        return Ok(Selector::Severity(severity));
    }
    if let Some(r) = rules.iter().find(|r| r.name.eq_ignore_ascii_case(name)) {
        return Ok(Selector::Rule(r.name));
    }
    let lower = name.to_ascii_lowercase().replace('_', "-");
    let suggestion = rules
        .iter()
        .map(|r| (edit_distance(&lower, r.name), r.name))
        .filter(|(d, n)| *d <= (n.len() / 3).max(2))
        .min()
        .map(|(_, n)| n.to_string());
    Err(UnknownRule { name: name.to_string(), suggestion })
}

/// Rules allowed for a range of lines of one file (`<!-- schemadoc:allow rule -->`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowance {
    pub file: Arc<str>,
    pub first_line: u32,
    pub last_line: u32,
    pub rules: Vec<&'static str>,
}

/// Everything the user said about findings.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// In the order given: a later entry overrides an earlier one of the same kind; an entry for a
    /// rule overrides one for its severity.
    entries: Vec<(Selector, Level)>,
    /// Table name patterns (`*` and `?` wildcards) whose findings are not reported.
    ignore_tables: Vec<String>,
    allowances: Vec<Allowance>,
}

impl Policy {
    /// Adds an entry; later ones win.
    pub fn set(&mut self, selector: Selector, level: Level) {
        self.entries.push((selector, level));
    }

    /// Adds `level` for each name of `names` (rules or severities), failing on the first unknown one.
    pub fn set_names(&mut self, level: Level, names: &[String], rules: &[RuleInfo]) -> Result<(), UnknownRule> {
        for name in names {
            self.set(selector(name, rules)?, level);
        }
        Ok(())
    }

    pub fn ignore_tables(&mut self, patterns: &[String]) {
        self.ignore_tables.extend(patterns.iter().cloned());
    }

    pub fn allow_lines(&mut self, allowances: Vec<Allowance>) {
        self.allowances.extend(allowances);
    }

    /// The level the user gave a rule, by its name or else by the severity of its finding.
    pub fn level(&self, rule: &str, severity: Severity) -> Option<Level> {
        let last = |want: &dyn Fn(&Selector) -> bool| self.entries.iter().rev().find(|(s, _)| want(s)).map(|e| e.1);
        last(&|s| matches!(s, Selector::Rule(r) if *r == rule))
            .or_else(|| last(&|s| matches!(s, Selector::Severity(sev) if *sev == severity)))
    }

    /// The lowest severity the user denied (`--deny warning`): findings at or above it fail.
    pub fn deny_threshold(&self) -> Option<Severity> {
        self.entries
            .iter()
            .filter_map(|(s, l)| match (s, l) {
                (Selector::Severity(sev), Level::Deny) => Some(*sev),
                _ => None,
            })
            .min()
    }

    /// The findings as the user wants them: allowed ones dropped (by rule, severity, ignored table
    /// or marker), warned and denied ones at their new severity.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>, schema: &Schema) -> Vec<Diagnostic> {
        let ignored = self.ignored_lines(schema);
        diagnostics
            .into_iter()
            .filter(|d| !ignored.contains(&(d.span.file.clone(), d.span.line)))
            .filter(|d| !self.allowed_here(d.rule, &d.span))
            .filter_map(|mut d| {
                match self.level(d.rule, d.severity) {
                    Some(Level::Allow) => return None,
                    Some(Level::Warn) => d.severity = Severity::Warning,
                    // A denied severity keeps its name; it fails the run (see `fails`).
                    Some(Level::Deny) if !self.denies_severity_only(d.rule) => d.severity = Severity::Error,
                    _ => {}
                }
                Some(d)
            })
            .collect()
    }

    /// Whether a finding (after [`Policy::apply`]) fails the run: an error, or at or above a denied severity.
    pub fn fails(&self, d: &Diagnostic) -> bool {
        d.severity == Severity::Error || self.deny_threshold().is_some_and(|t| d.severity >= t)
    }

    /// Whether the rule's `Deny` comes from a severity entry rather than one naming it.
    fn denies_severity_only(&self, rule: &str) -> bool {
        !self.entries.iter().any(|(s, _)| matches!(s, Selector::Rule(r) if *r == rule))
    }

    fn allowed_here(&self, rule: &str, span: &Span) -> bool {
        self.allowances.iter().any(|a| {
            a.file == span.file
                && (a.first_line..=a.last_line).contains(&span.line)
                && a.rules.iter().any(|r| *r == rule || *r == "all")
        })
    }

    /// The (file, line) of every element of an ignored table: the table, its columns and
    /// constraints, and the indexes on it.
    fn ignored_lines(&self, schema: &Schema) -> BTreeSet<(Arc<str>, u32)> {
        let mut lines = BTreeSet::new();
        if self.ignore_tables.is_empty() {
            return lines;
        }
        let ignored = |name: &str| self.ignore_tables.iter().any(|p| glob(p, name));
        for t in schema.tables.iter().filter(|t| ignored(&t.name) || ignored(&t.qualified_name())) {
            let mut add = |o: &model::Origin| {
                lines.insert((o.file.clone(), o.line));
            };
            add(&t.origin);
            t.columns.iter().for_each(|c| add(&c.origin));
            t.foreign_keys.iter().for_each(|f| add(&f.origin));
            t.uniques.iter().for_each(|u| add(&u.origin));
            t.checks.iter().for_each(|c| add(&c.origin));
            if let Some(pk) = &t.primary_key {
                add(&pk.origin);
            }
            for i in schema.indexes.iter().filter(|i| model::name_eq(&i.table, &t.name)) {
                add(&i.origin);
            }
        }
        lines
    }
}

/// The `<!-- schemadoc:allow rule-a, rule-b -->` markers of one document. A marker on a line of
/// its own allows the rules for the block that follows it (a fenced block through its closing
/// fence, else the lines up to the next blank one); a marker after other text on a line allows
/// them for that line. Inside a fenced block the marker is a SQL comment,
/// `-- schemadoc:allow rule`: after code, for its line; on a line of its own, for the statement
/// that follows (through the line ending in `;`). `all` allows every rule. Unknown rule names are
/// findings.
pub fn allowances(file: &Arc<str>, text: &str, rules: &[RuleInfo]) -> (Vec<Allowance>, Vec<Diagnostic>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Found { file, rules, out: Vec::new(), problems: Vec::new() };
    let mut fence: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            } else if let Some(start) = line.find("-- schemadoc:allow").filter(|_| !line.contains("<!--")) {
                let names = &line[start + "-- schemadoc:allow".len()..];
                let alone = line[..start].trim().is_empty();
                let range = if alone { statement_after(&lines, i) } else { (i as u32 + 1, i as u32 + 1) };
                found.marker(names, line, i, start, range);
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        let mut rest = *line;
        while let Some(start) = rest.find("<!--") {
            let after = &rest[start + 4..];
            let Some(end) = after.find("-->") else { break };
            let body = after[..end].trim();
            let column = line.len() - rest.len() + start;
            rest = &after[end + 3..];
            let Some(names) = body.strip_prefix("schemadoc:allow") else { continue };
            if !names.is_empty() && !names.starts_with(char::is_whitespace) {
                continue;
            }
            let alone = line[..column].trim().is_empty() && rest.trim().is_empty();
            let range = if alone { block_after(&lines, i) } else { (i as u32 + 1, i as u32 + 1) };
            found.marker(names, line, i, column, range);
        }
    }
    (found.out, found.problems)
}

/// Markers found so far in one document.
struct Found<'a> {
    file: &'a Arc<str>,
    rules: &'a [RuleInfo],
    out: Vec<Allowance>,
    problems: Vec<Diagnostic>,
}

impl Found<'_> {
    /// A marker naming `names` at byte `column` of line index `i`, covering the 1-based `range`.
    fn marker(&mut self, names: &str, line: &str, i: usize, column: usize, range: (u32, u32)) {
        let mut allowed = Vec::new();
        for name in names.split([',', ' ']).map(str::trim).filter(|n| !n.is_empty()) {
            if name == "all" {
                allowed.push("all");
                continue;
            }
            match selector(name, self.rules) {
                Ok(Selector::Rule(r)) => allowed.push(r),
                other => {
                    let suggestion = other.err().and_then(|e| e.suggestion);
                    let col = line[..column].chars().count() as u32 + 1;
                    let d = Diagnostic::warning(
                        "unknown-marker",
                        Span::new(self.file.clone(), i as u32 + 1, col, 0),
                        format!("`schemadoc:allow` names unknown rule `{name}`"),
                    )
                    .with_help(match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "`schemadoc rules` lists the rules".to_string(),
                    });
                    self.problems.push(d);
                }
            }
        }
        if !allowed.is_empty() {
            let (first_line, last_line) = range;
            self.out.push(Allowance { file: self.file.clone(), first_line, last_line, rules: allowed });
        }
    }
}

/// The 1-based lines of the SQL statement that follows line index `i`: from the next non-blank
/// line through the one ending in `;` (or the block's end).
fn statement_after(lines: &[&str], i: usize) -> (u32, u32) {
    let Some(start) = (i + 1..lines.len()).find(|&j| !lines[j].trim().is_empty()) else {
        return (i as u32 + 1, i as u32 + 1);
    };
    let end = (start..lines.len())
        .find(|&j| {
            let t = lines[j].trim();
            t.ends_with(';') || t.starts_with("```") || t.starts_with("~~~")
        })
        .unwrap_or(lines.len() - 1);
    (start as u32 + 1, end as u32 + 1)
}

/// The 1-based lines of the block that follows line index `i`: a fenced block through its closing
/// fence, else the lines up to the next blank one.
fn block_after(lines: &[&str], i: usize) -> (u32, u32) {
    let Some(start) = (i + 1..lines.len()).find(|&j| !lines[j].trim().is_empty()) else {
        return (i as u32 + 1, i as u32 + 1);
    };
    let first = lines[start].trim_start();
    let end = if first.starts_with("```") || first.starts_with("~~~") {
        let f = &first[..3];
        (start + 1..lines.len()).find(|&j| lines[j].trim_start().starts_with(f)).unwrap_or(lines.len() - 1)
    } else {
        (start..lines.len()).take_while(|&j| !lines[j].trim().is_empty()).last().unwrap_or(start)
    };
    (start as u32 + 1, end as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;

    fn rules() -> &'static [RuleInfo] {
        crate::rules()
    }

    fn finding(rule: &'static str, severity: Severity, line: u32) -> Diagnostic {
        Diagnostic::new(rule, severity, Span::new(FILE.into(), line, 1, 0), "m")
    }

    #[test]
    fn names_are_rules_or_severities_and_typos_get_a_suggestion() {
        assert_eq!(selector("warning", rules()), Ok(Selector::Severity(Severity::Warning)));
        assert_eq!(selector("warn", rules()), Ok(Selector::Severity(Severity::Warning)));
        assert_eq!(selector("unknown-type", rules()), Ok(Selector::Rule("unknown-type")));
        let e = selector("unknwon-table", rules()).unwrap_err();
        assert_eq!(e.to_string(), "unknown rule `unknwon-table`; did you mean `unknown-table`?");
        assert_eq!(selector("zzz", rules()).unwrap_err().to_string(), "unknown rule `zzz`");
    }

    #[test]
    fn rules_are_allowed_warned_or_denied_and_rule_entries_beat_severity_entries() {
        let mut p = Policy::default();
        p.set(Selector::Severity(Severity::Info), Level::Allow);
        p.set(Selector::Rule("missing-foreign-key"), Level::Deny);
        p.set(Selector::Rule("unknown-table"), Level::Warn);
        p.set(Selector::Rule("duplicate-index"), Level::Allow);
        let out = p.apply(
            vec![
                finding("missing-foreign-key", Severity::Info, 1),
                finding("inferred-foreign-key", Severity::Info, 2),
                finding("unknown-table", Severity::Error, 3),
                finding("duplicate-index", Severity::Warning, 4),
                finding("foreign-key-without-index", Severity::Warning, 5),
            ],
            &Schema::default(),
        );
        let got: Vec<(&str, Severity)> = out.iter().map(|d| (d.rule, d.severity)).collect();
        assert_eq!(
            got,
            [
                ("missing-foreign-key", Severity::Error),
                ("unknown-table", Severity::Warning),
                ("foreign-key-without-index", Severity::Warning),
            ]
        );
        assert!(p.fails(&out[0]) && !p.fails(&out[1]) && !p.fails(&out[2]));
        // `--deny warning` fails on warnings and keeps calling them warnings
        p.set(Selector::Severity(Severity::Warning), Level::Deny);
        let out = p.apply(vec![finding("foreign-key-without-index", Severity::Warning, 5)], &Schema::default());
        assert_eq!(out[0].severity, Severity::Warning);
        assert!(p.fails(&out[0]));
    }

    #[test]
    fn findings_on_ignored_tables_are_dropped() {
        let s = schema(vec![table("legacy_users", 1).col("id", int(), 2), table("users", 4).col("id", int(), 5)]);
        let mut p = Policy::default();
        p.ignore_tables(&["LEGACY_*".to_string()]);
        let out = p.apply(
            vec![
                finding("missing-primary-key", Severity::Warning, 1),
                finding("missing-primary-key", Severity::Warning, 4),
            ],
            &s,
        );
        assert_eq!(out.iter().map(|d| d.span.line).collect::<Vec<_>>(), [4]);
        assert!(glob("a?c*", "abcdef") && !glob("a?c", "ac") && glob("*", ""));
    }

    #[test]
    fn allow_markers_cover_one_block_or_one_line() {
        let text = "# 설계\n\n<!-- schemadoc:allow unknown-type, missing-primary-key -->\n```sql\nCREATE TABLE t (\n  a VARCHR(1)\n);\n```\n\nx <!-- schemadoc:allow duplicate-index -->\n\n<!-- schemadoc:allow unknwon-table -->\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```sql\n<!-- schemadoc:allow all -->\n```\n\n```sql\nCREATE TABLE u (\n  b VARCHR(1) -- schemadoc:allow unknown-type\n);\n-- schemadoc:allow missing-primary-key\nCREATE TABLE v (\n  c INT\n);\n```\n";
        let file: Arc<str> = FILE.into();
        let (allowed, problems) = allowances(&file, text, rules());
        assert_eq!(allowed.len(), 4, "{allowed:#?}");
        assert_eq!((allowed[2].first_line, allowed[2].last_line, allowed[2].rules[0]), (23, 23, "unknown-type"));
        assert_eq!((allowed[3].first_line, allowed[3].last_line, allowed[3].rules[0]), (26, 28, "missing-primary-key"));
        assert_eq!((allowed[0].first_line, allowed[0].last_line), (4, 8));
        assert_eq!(allowed[0].rules, ["unknown-type", "missing-primary-key"]);
        assert_eq!((allowed[1].first_line, allowed[1].last_line), (10, 10));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].span.line, 12);
        assert_eq!(problems[0].help.as_deref(), Some("did you mean `unknown-table`?"));
        let mut p = Policy::default();
        p.allow_lines(allowed);
        let out = p.apply(
            vec![
                finding("unknown-type", Severity::Error, 6),
                finding("unknown-table", Severity::Error, 6),
                finding("unknown-type", Severity::Error, 9),
                finding("duplicate-index", Severity::Warning, 10),
            ],
            &Schema::default(),
        );
        assert_eq!(
            out.iter().map(|d| (d.rule, d.span.line)).collect::<Vec<_>>(),
            [("unknown-table", 6), ("unknown-type", 9)]
        );
    }
}

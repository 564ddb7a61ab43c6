//! Diagnostics one line each, for big documents and editors' problem matchers.

use model::{Diagnostic, Severity};
use std::collections::BTreeMap;
use std::fmt::Write;

/// One line per finding, `file:line:col: severity[rule]: message`, then how many findings each
/// rule produced (most first) and the totals.
pub fn concise(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    let mut per_rule: BTreeMap<&str, (usize, Severity)> = BTreeMap::new();
    for d in diags {
        let message = d.message.replace('\n', " ");
        let _ =
            writeln!(out, "{}:{}:{}: {}[{}]: {message}", d.span.file, d.span.line, d.span.column, d.severity, d.rule);
        let e = per_rule.entry(d.rule).or_insert((0, d.severity));
        e.0 += 1;
        e.1 = e.1.max(d.severity);
    }
    if diags.is_empty() {
        out.push_str("no findings\n");
        return out;
    }
    let mut counts: Vec<(&str, usize, Severity)> = per_rule.into_iter().map(|(r, (n, s))| (r, n, s)).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = counts.iter().map(|c| c.1.to_string().len()).max().unwrap_or(1);
    out.push('\n');
    for (rule, n, severity) in counts {
        let _ = writeln!(out, "{n:>width$}  {rule} ({severity})");
    }
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let _ = writeln!(
        out,
        "{} error(s), {} warning(s), {} info",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::Span;

    #[test]
    fn one_line_per_finding_and_counts_per_rule() {
        let at = |line| Span::new("설계.md".into(), line, 3, 0);
        let diags = vec![
            Diagnostic::error("unknown-type", at(4), "column `t.a` has unknown type `VARCHR(1)`"),
            Diagnostic::warning("foreign-key-without-index", at(7), "two\nlines"),
            Diagnostic::warning("foreign-key-without-index", at(9), "again"),
        ];
        assert_eq!(
            concise(&diags),
            "설계.md:4:3: error[unknown-type]: column `t.a` has unknown type `VARCHR(1)`\n\
             설계.md:7:3: warning[foreign-key-without-index]: two lines\n\
             설계.md:9:3: warning[foreign-key-without-index]: again\n\
             \n\
             2  foreign-key-without-index (warning)\n\
             1  unknown-type (error)\n\
             1 error(s), 2 warning(s), 0 info\n"
        );
        assert_eq!(concise(&[]), "no findings\n");
    }
}

//! What the user controls about findings: the config file and `--allow`/`--warn`/`--deny`
//! become one [`check::policy::Policy`]; `check` reports through it, and `plan`/`apply` refuse a
//! document whose errors it does not allow unless `--allow-errors`.

use crate::config::Config;
use anyhow::{bail, Result};
use check::policy::{allowances, Level, Policy};
use check::LeftOut;
use extract::scan::{Item, SqlFlavor};
use extract::{Extraction, SourceFile};
use model::{Diagnostic, RuleInfo, Severity, SqlDialect};

/// How findings are reported: per rule or severity (`--deny warning`, `--allow missing-foreign-key`).
#[derive(clap::Args, Default)]
pub struct Control {
    /// Do not report this rule (or every finding of a severity: info, warning, error); repeatable.
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,
    /// Report this rule (or severity) as a warning; repeatable.
    #[arg(long, value_name = "RULE")]
    pub warn: Vec<String>,
    /// Report this rule as an error; a severity (`--deny warning`) makes findings of it and above
    /// fail the run; repeatable.
    #[arg(long, value_name = "RULE")]
    pub deny: Vec<String>,
}

/// The document's SQL engine: as its blocks or `--dialect` say, else as the config says.
pub fn document_dialect(extraction: &Extraction) -> Option<SqlDialect> {
    extraction.dialect.map(SqlFlavor::model)
}

/// Every finding about the documents, before the policy: the readers', the rules' and the
/// generated regions', sorted and without duplicates.
pub fn findings(files: &[SourceFile], extraction: &Extraction) -> Vec<Diagnostic> {
    let mut diagnostics = extraction.diagnostics.clone();
    diagnostics.extend(check::check_in(&extraction.schema, document_dialect(extraction)));
    for file in files {
        diagnostics.extend(render::sync::regions(&file.name, &file.text, false).1);
    }
    diagnostics.sort_by(|a, b| (&a.span, a.rule, &a.message).cmp(&(&b.span, b.rule, &b.message)));
    diagnostics.dedup();
    diagnostics
}

/// The policy of the config file and the flags (flags win), with the documents' allow markers;
/// findings about the markers themselves come back with it.
pub fn policy(
    config: &Config,
    control: &Control,
    files: &[SourceFile],
    rules: &[RuleInfo],
) -> Result<(Policy, Vec<Diagnostic>)> {
    let mut policy = Policy::default();
    let from = |what: &str| match &config.path {
        Some(p) => format!("`{}`: {what}", p.display()),
        None => what.to_string(),
    };
    for (level, names) in [(Level::Allow, &config.allow), (Level::Warn, &config.warn), (Level::Deny, &config.deny)] {
        if let Err(e) = policy.set_names(level, names, rules) {
            bail!("{}", from(&format!("{}: {e}", level.as_str())));
        }
    }
    for (level, names) in [(Level::Allow, &control.allow), (Level::Warn, &control.warn), (Level::Deny, &control.deny)] {
        if let Err(e) = policy.set_names(level, names, rules) {
            let hint = if e.suggestion.is_none() { "; `schemadoc rules` lists the rules" } else { "" };
            bail!("--{}: {e}{hint}", level.as_str());
        }
    }
    policy.ignore_tables(&config.ignore_tables);
    let mut problems = Vec::new();
    for file in files {
        let (allowed, found) = allowances(&file.name, &file.text, rules);
        policy.allow_lines(allowed);
        problems.extend(found);
    }
    Ok((policy, problems))
}

/// The findings as the policy has them, for `check`, `plan` and `apply`.
pub fn reported(
    files: &[SourceFile],
    extraction: &Extraction,
    config: &Config,
    control: &Control,
    rules: &[RuleInfo],
) -> Result<(Policy, Vec<Diagnostic>)> {
    let (policy, problems) = policy(config, control, files, rules)?;
    let mut all = findings(files, extraction);
    all.extend(problems);
    all.sort_by(|a, b| (&a.span, a.rule, &a.message).cmp(&(&b.span, b.rule, &b.message)));
    let all = policy.apply(all, &extraction.schema);
    Ok((policy, all))
}

/// For `plan`/`apply`: the document's errors (as the policy has them) refuse the run — said on
/// standard error, `Ok(false)` — unless `allow_errors`, when what they concern is left out of the
/// schema and returned for the plan's header.
pub fn gate(
    files: &[SourceFile],
    extraction: &mut Extraction,
    config: &Config,
    control: &Control,
    rules: &[RuleInfo],
    allow_errors: bool,
) -> Result<Option<Vec<LeftOut>>> {
    let (_, reported) = reported(files, extraction, config, control, rules)?;
    let errors: Vec<Diagnostic> = reported.into_iter().filter(|d| d.severity == Severity::Error).collect();
    if errors.is_empty() {
        return Ok(Some(Vec::new()));
    }
    if !allow_errors {
        let n = errors.len();
        eprintln!("error: the document has {n} error{}; nothing was planned", if n == 1 { "" } else { "s" });
        for d in &errors {
            eprintln!("  {}:{}: [{}] {}", d.span.file, d.span.line, d.rule, d.message);
        }
        eprintln!(
            "help: fix {}, or pass `--allow-errors` to leave out what {} concern{} (the plan lists it), \
             or allow the rule in schemadoc.toml",
            if n == 1 { "it" } else { "them" },
            if n == 1 { "it" } else { "they" },
            if n == 1 { "s" } else { "" },
        );
        return Ok(None);
    }
    Ok(Some(check::leave_out(&mut extraction.schema, &errors)))
}

/// Says on standard error, once per column, which of the document's types `engine` does not have
/// and what each becomes there.
pub fn warn_foreign_types(engine: &dyn dialect::Engine, extraction: &Extraction) {
    let Some(document) = document_dialect(extraction) else { return };
    for n in dialect::foreign_types(engine, &extraction.schema, document) {
        eprintln!("warning: {}: {} ({})", n.object, n.note, n.origin);
    }
}

/// The plan header's lines for what `--allow-errors` left out, one per error.
pub fn left_out_lines(left: &[LeftOut]) -> Vec<String> {
    left.iter()
        .map(|l| {
            let what = match &l.element {
                Some(e) => format!("left out {e}"),
                None => "nothing left out".to_string(),
            };
            format!("{what}: {} [{}] ({}:{})", l.message, l.rule, l.file, l.line)
        })
        .collect()
}

/// Fails when a `--section`/`--exclude-section` matches no heading of the documents, naming the
/// headings there are.
pub fn check_sections(files: &[SourceFile], sections: &[String], excluded: &[String]) -> Result<()> {
    if sections.is_empty() && excluded.is_empty() {
        return Ok(());
    }
    let mut headings: Vec<String> = Vec::new();
    for f in files {
        for item in extract::scan::scan(f.name.clone(), &f.text).items {
            if let Item::Heading(h) = item {
                headings.push(h.text);
            }
        }
    }
    for (flag, patterns) in [("--section", sections), ("--exclude-section", excluded)] {
        for p in patterns {
            let lower = p.to_lowercase();
            if headings.iter().any(|h| h.to_lowercase().contains(&lower)) {
                continue;
            }
            if headings.is_empty() {
                bail!("{flag} `{p}` matches no heading: the documents have no headings");
            }
            let shown: Vec<String> = headings.iter().take(12).map(|h| format!("`{h}`")).collect();
            let more = headings.len().saturating_sub(shown.len());
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            bail!(
                "{flag} `{p}` matches no heading (a heading must contain the text); the headings are {}{more}",
                shown.join(", ")
            );
        }
    }
    Ok(())
}

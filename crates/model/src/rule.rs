use crate::{Diagnostic, Severity, Span};

/// A named kind of finding, documented where it is declared (see [`crate::declare_rule!`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable kebab-case name (`foreign-key-without-index`).
    pub name: &'static str,
    pub default_severity: Severity,
    /// The rule's documentation: *What it does / Why it matters / Example*, as markdown.
    pub doc: &'static str,
}

impl RuleInfo {
    /// A finding of this rule at its default severity.
    pub fn at(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.name, self.default_severity, span, message)
    }

    /// The documentation as markdown, without the space each doc-comment line starts with.
    pub fn doc_markdown(&self) -> String {
        self.doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n")
    }

    /// The first sentence of the documentation, for listings.
    pub fn summary(&self) -> &'static str {
        let doc = self.doc.trim_start();
        let body = doc.strip_prefix("What it does:").unwrap_or(doc).trim_start();
        body.split_terminator(['\n']).next().unwrap_or("").trim()
    }
}

/// Declares a rule as a documented constant: the doc comment *is* the rule's documentation.
///
/// ```
/// schemadoc_model::declare_rule! {
///     /// What it does: flags tables without a primary key.
///     ///
///     /// Why it matters: rows cannot be addressed.
///     ///
///     /// Example: `CREATE TABLE t (a int);`
///     pub MISSING_PRIMARY_KEY = "missing-primary-key", Warning
/// }
/// assert_eq!(MISSING_PRIMARY_KEY.name, "missing-primary-key");
/// assert!(MISSING_PRIMARY_KEY.doc.contains("Why it matters"));
/// ```
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:expr])* $vis:vis $ident:ident = $name:literal, $sev:ident) => {
        $(#[doc = $doc])*
        $vis const $ident: $crate::RuleInfo = $crate::RuleInfo {
            name: $name,
            default_severity: $crate::Severity::$sev,
            doc: concat!($($doc, "\n"),*),
        };
    };
}

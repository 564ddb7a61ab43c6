use crate::Origin;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a source file: 1-based line, 1-based column counted in characters, and the length of
/// the marked text in characters (0 marks a single point).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
    pub len: u32,
}

impl Span {
    pub fn new(file: Arc<str>, line: u32, column: u32, len: u32) -> Self {
        Span { file, line, column, len }
    }
}

impl From<&Origin> for Span {
    fn from(o: &Origin) -> Self {
        Span { file: o.file.clone(), line: o.line, column: o.column.max(1), len: 0 }
    }
}

/// A secondary location that explains a diagnostic ("defined here").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// A problem found in the user's input, reported at a place in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// The stable kebab-case name of the rule that produced this (`foreign-key-without-index`).
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub related: Vec<Related>,
    /// What the user can do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(rule: &'static str, severity: Severity, span: Span, message: impl Into<String>) -> Self {
        Diagnostic { rule, severity, message: message.into(), span, related: Vec::new(), help: None }
    }

    pub fn error(rule: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self::new(rule, Severity::Error, span, message)
    }

    pub fn warning(rule: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self::new(rule, Severity::Warning, span, message)
    }

    pub fn info(rule: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self::new(rule, Severity::Info, span, message)
    }

    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related { span, message: message.into() });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

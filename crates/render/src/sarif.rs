use crate::diagnostics_json::end_column;
use model::{Diagnostic, RuleInfo, Severity, Span};
use serde::Serialize;

/// Renders diagnostics as a SARIF 2.1.0 log (for code-scanning services): one run whose tool
/// driver is `schemadoc` at `tool_version`, with a rule descriptor per entry of `rules` (its summary,
/// its documentation as text and markdown, its default level) and a result per diagnostic.
///
/// Rules a diagnostic names but `rules` lacks get a bare descriptor, so that every `ruleIndex` is
/// valid. Columns count Unicode code points (`columnKind: unicodeCodePoints`); a span of length 0
/// gets no `endColumn`, which SARIF reads as "to the end of the line". Help text is appended to the
/// result's message, as SARIF results have no help of their own.
pub fn sarif(diags: &[Diagnostic], rules: &[RuleInfo], tool_version: &str) -> String {
    let mut descriptors: Vec<ReportingDescriptor> = Vec::new();
    for rule in rules {
        if !descriptors.iter().any(|d| d.id == rule.name) {
            descriptors.push(ReportingDescriptor::from_rule(rule));
        }
    }
    for diag in diags {
        if !diag.rule.is_empty() && !descriptors.iter().any(|d| d.id == diag.rule) {
            descriptors.push(ReportingDescriptor::bare(diag.rule));
        }
    }
    let results = diags
        .iter()
        .map(|diag| {
            let rule_index = descriptors.iter().position(|d| d.id == diag.rule);
            let mut text = if diag.message.is_empty() { diag.rule.to_string() } else { diag.message.clone() };
            if let Some(help) = &diag.help {
                text.push_str("\n\nhelp: ");
                text.push_str(help);
            }
            SarifResult {
                rule_id: rule_index.map(|_| diag.rule),
                rule_index,
                level: level(diag.severity),
                message: Message { text },
                locations: vec![Location::new(&diag.span, None, None)],
                related_locations: diag
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| Location::new(&r.span, Some(i), Some(r.message.clone())))
                    .collect(),
            }
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "schemadoc",
                    version: (!tool_version.is_empty()).then_some(tool_version),
                    rules: descriptors,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    crate::to_pretty_json(&log)
}

/// The SARIF level of a severity (`info` is SARIF's `note`).
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Rule documentation as markdown: doc comments carry a space after each `///`, which is dropped.
fn clean_doc(doc: &str) -> String {
    let lines: Vec<&str> = doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l).trim_end()).collect();
    lines.join("\n").trim().to_string()
}

/// A file name as a URI reference: relative paths stay relative (with `/` separators and
/// percent-encoding), absolute ones become `file://` URIs.
fn file_uri(file: &str) -> String {
    let path = file.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    let (prefix, rest) = if drive {
        ("file:///", path)
    } else if let Some(rest) = path.strip_prefix('/') {
        ("file:///", rest)
    } else {
        ("", path)
    };
    let mut out = String::from(prefix);
    for (i, b) in rest.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') || (drive && i == 1);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
struct Driver<'a> {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_description: Option<Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<MultiformatMessage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<MultiformatMessage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_configuration: Option<Configuration>,
}

impl ReportingDescriptor {
    fn from_rule(rule: &RuleInfo) -> Self {
        let doc = clean_doc(rule.doc);
        let docs = (!doc.is_empty()).then(|| MultiformatMessage { text: doc.clone(), markdown: doc });
        let summary = rule.summary();
        ReportingDescriptor {
            id: rule.name,
            short_description: (!summary.is_empty()).then(|| Message { text: summary.to_string() }),
            full_description: docs.clone(),
            help: docs,
            default_configuration: Some(Configuration { level: level(rule.default_severity) }),
        }
    }

    fn bare(id: &'static str) -> Self {
        ReportingDescriptor {
            id,
            short_description: None,
            full_description: None,
            help: None,
            default_configuration: None,
        }
    }
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize, Clone)]
struct MultiformatMessage {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

impl Location {
    fn new(span: &Span, id: Option<usize>, message: Option<String>) -> Self {
        let region = (span.line > 0).then(|| Region {
            start_line: span.line,
            start_column: span.column.max(1),
            end_column: end_column(span),
        });
        Location {
            id,
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri: file_uri(&span.file) },
                region,
            },
            message: message.map(|text| Message { text }),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_references_or_file_uris() {
        assert_eq!(file_uri("docs/schema.md"), "docs/schema.md");
        assert_eq!(file_uri("./docs/my schema.md"), "docs/my%20schema.md");
        assert_eq!(file_uri("docs\\설계.md"), "docs/%EC%84%A4%EA%B3%84.md");
        assert_eq!(file_uri("/home/u/a.md"), "file:///home/u/a.md");
        assert_eq!(file_uri("C:\\work\\a.md"), "file:///C:/work/a.md");
        // A colon in a relative path would read as a URI scheme.
        assert_eq!(file_uri("a:b.md"), "a%3Ab.md");
    }

    #[test]
    fn doc_comment_spaces_are_dropped() {
        assert_eq!(
            clean_doc(" What it does: x.\n\n Why: `y`\n     indented\n"),
            "What it does: x.\n\nWhy: `y`\n    indented"
        );
    }

    #[test]
    fn severities_map_to_sarif_levels() {
        assert_eq!(level(Severity::Error), "error");
        assert_eq!(level(Severity::Warning), "warning");
        assert_eq!(level(Severity::Info), "note");
    }
}

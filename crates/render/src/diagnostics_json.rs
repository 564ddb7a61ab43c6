use model::{Diagnostic, Span};
use serde::Serialize;

/// Renders diagnostics as the JSON other tools read:
/// `{"diagnostics":[{"rule","severity","message","file","line","column","end_column","help",
/// "related":[{"file","line","column","end_column","message"}]}]}`, pretty-printed, keys in that
/// order, diagnostics in the order given.
///
/// `column` is 1-based in characters; `end_column` is the column just after the marked text, or
/// `null` when the span marks a single point; `help` is `null` when there is none.
pub fn diagnostics_json(diags: &[Diagnostic]) -> String {
    let doc = Document { diagnostics: diags.iter().map(JsonDiagnostic::from).collect() };
    crate::to_pretty_json(&doc)
}

#[derive(Serialize)]
struct Document<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    end_column: Option<u32>,
    help: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    end_column: Option<u32>,
    message: &'a str,
}

/// The column after the last marked character, when the span marks any.
pub(crate) fn end_column(span: &Span) -> Option<u32> {
    (span.len > 0).then(|| span.column.max(1).saturating_add(span.len))
}

impl<'a> From<&'a Diagnostic> for JsonDiagnostic<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        JsonDiagnostic {
            rule: d.rule,
            severity: d.severity.as_str(),
            message: &d.message,
            file: &d.span.file,
            line: d.span.line,
            column: d.span.column.max(1),
            end_column: end_column(&d.span),
            help: d.help.as_deref(),
            related: d
                .related
                .iter()
                .map(|r| JsonRelated {
                    file: &r.span.file,
                    line: r.span.line,
                    column: r.span.column.max(1),
                    end_column: end_column(&r.span),
                    message: &r.message,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_list_is_an_empty_array() {
        let value: serde_json::Value = serde_json::from_str(&diagnostics_json(&[])).unwrap();
        assert_eq!(value, serde_json::json!({ "diagnostics": [] }));
    }

    #[test]
    fn end_column_is_exclusive_and_null_for_points() {
        assert_eq!(end_column(&Span::new("a".into(), 1, 3, 4)), Some(7));
        assert_eq!(end_column(&Span::new("a".into(), 1, 3, 0)), None);
        assert_eq!(end_column(&Span::new("a".into(), 1, u32::MAX, 4)), Some(u32::MAX));
    }
}

use crate::support::{column_span, ident};
use model::{declare_rule, name_key, Column, Diagnostic, Schema, Table, TypeKind};

declare_rule! {
    /// What it does: flags a text column whose comment lists its allowed values but no CHECK enforces them.
    /// Lists look like `pending|processing|done`, `'user' | 'assistant'` or `'casual', 'formal', 'mixed'`:
    /// two values separated by `|`, or three separated by `,` or `/`. Columns mentioned by a CHECK
    /// of their table and enum-typed columns pass; open lists ("etc.", "e.g.", "등") and prose are not
    /// flagged.
    ///
    /// Why it matters: the comment is a promise the database does not keep: any typo
    /// (`'complete'` for `'completed'`) is stored silently and breaks the code that switches on it.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE jobs (status VARCHAR(20) NOT NULL);  -- 'pending', 'running', 'done'
    /// -- better: status VARCHAR(20) NOT NULL CHECK (status IN ('pending', 'running', 'done'))
    /// ```
    pub RULE = "enum-like-comment", Warning
}

/// Words that make a list open-ended or a set of examples.
const OPEN_LIST: &[&str] = &["etc", "e.g", "eg.", "such as", "for example", "for instance", "...", "…", " 등", "ex)"];

/// Words that show a comma-separated run is prose.
const PROSE: &[&str] = &["and", "or", "the", "a", "an", "of", "to", "in", "with", "for", "is", "are"];

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    for table in &schema.tables {
        for column in &table.columns {
            if !is_text_like(&column.ty.kind) || is_checked(table, column) {
                continue;
            }
            let Some(comment) = column.comment.as_deref() else { continue };
            let Some(values) = listed_values(comment) else { continue };
            let shown = values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
            let literals = values.iter().map(|v| format!("'{}'", v.replace('\'', "''"))).collect::<Vec<_>>().join(", ");
            out.push(
                RULE.at(
                    column_span(column),
                    format!(
                        "the comment of `{}.{}` lists its values ({shown}) but no CHECK constraint enforces them",
                        table.name, column.name
                    ),
                )
                .with_help(format!("add `CHECK ({} IN ({literals}))`, or use an enum type", ident(&column.name))),
            );
        }
    }
}

fn is_text_like(kind: &TypeKind) -> bool {
    matches!(kind, TypeKind::Text | TypeKind::Varchar { .. } | TypeKind::Char { .. } | TypeKind::Other { .. })
}

/// Whether a CHECK of the table mentions the column.
fn is_checked(table: &Table, column: &Column) -> bool {
    let key = name_key(&column.name);
    table
        .checks
        .iter()
        .any(|c| c.columns.iter().any(|n| name_key(n) == key) || words(&c.expr.to_lowercase()).any(|w| w == key))
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty())
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// An identifier-like word, and whether it was quoted.
    Word(String, bool),
    Sep(char),
    Other,
}

/// The values a comment enumerates, when it holds a closed list of identifier-like words.
fn listed_values(comment: &str) -> Option<Vec<String>> {
    let lower = comment.to_lowercase();
    if OPEN_LIST.iter().any(|w| lower.contains(w)) {
        return None;
    }
    let tokens = tokenize(comment);
    let mut best: Option<Vec<String>> = None;
    let mut i = 0;
    while i < tokens.len() {
        let Token::Word(first, _) = &tokens[i] else {
            i += 1;
            continue;
        };
        let sep = match tokens.get(i + 1) {
            Some(Token::Sep(c)) => *c,
            _ => {
                i += 1;
                continue;
            }
        };
        let mut run = vec![(first.clone(), matches!(tokens[i], Token::Word(_, true)))];
        let mut j = i + 1;
        while let (Some(Token::Sep(c)), Some(Token::Word(w, q))) = (tokens.get(j), tokens.get(j + 1)) {
            if *c != sep {
                break;
            }
            run.push((w.clone(), *q));
            j += 2;
        }
        let before = i.checked_sub(1).and_then(|k| tokens.get(k));
        let after = tokens.get(j);
        if accepted(&run, sep, before, after) && best.as_ref().is_none_or(|b| b.len() < run.len()) {
            let mut values: Vec<String> = Vec::new();
            for (w, _) in run {
                if !values.contains(&w) {
                    values.push(w);
                }
            }
            best = Some(values);
        }
        i = j.max(i + 1);
    }
    best.filter(|v| v.len() >= 2)
}

fn accepted(run: &[(String, bool)], sep: char, before: Option<&Token>, after: Option<&Token>) -> bool {
    // NOTE: a separator right before or after the run means the list goes on with items that are
    // not identifiers (`'#FF5722', 'cozy', 'warm'`): examples of free values, not an enumeration.
    let continues = |t: Option<&Token>| matches!(t, Some(Token::Sep(c)) if *c == sep);
    if continues(before) || continues(after) {
        return false;
    }
    if sep == '|' {
        return run.len() >= 2;
    }
    if run.len() < 3 {
        return false;
    }
    let all_quoted = run.iter().all(|(_, q)| *q);
    if all_quoted {
        return true;
    }
    let glued = |t: Option<&Token>| matches!(t, Some(Token::Word(..)));
    let prose = run.iter().any(|(w, _)| PROSE.contains(&w.to_lowercase().as_str()));
    !glued(before) && !glued(after) && !prose && run.iter().all(|(w, _)| w.chars().count() >= 2)
}

fn is_word(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().count() <= 40
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if matches!(c, '|' | ',' | '/') {
            out.push(Token::Sep(c));
            i += 1;
        } else if let Some(close) = closing_quote(c) {
            let end = chars[i + 1..].iter().position(|&d| d == close).map(|p| i + 1 + p);
            match end {
                Some(end) => {
                    let inner: String = chars[i + 1..end].iter().collect();
                    out.push(if is_word(&inner) { Token::Word(inner, true) } else { Token::Other });
                    i = end + 1;
                }
                None => {
                    out.push(Token::Other);
                    i += 1;
                }
            }
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '_' | '-' | '.')) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect::<String>().trim_end_matches(['-', '.']).to_string();
            out.push(if is_word(&word) { Token::Word(word, false) } else { Token::Other });
        } else {
            out.push(Token::Other);
            i += 1;
        }
    }
    out
}

fn closing_quote(c: char) -> Option<char> {
    match c {
        '\'' | '"' | '`' => Some(c),
        '‘' => Some('’'),
        '“' => Some('”'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use model::Severity;

    fn values(comment: &str) -> Option<Vec<String>> {
        listed_values(comment)
    }

    #[test]
    fn lists_are_recognised() {
        let v = |s: &[&str]| Some(strings(s));
        assert_eq!(values("pending|processing|done"), v(&["pending", "processing", "done"]));
        assert_eq!(values("'user' | 'assistant'"), v(&["user", "assistant"]));
        assert_eq!(values("말투: 'casual', 'formal', 'mixed'"), v(&["casual", "formal", "mixed"]));
        assert_eq!(values("상태 (draft, active, archived)"), v(&["draft", "active", "archived"]));
        assert_eq!(values("mp3/wav/ogg 형식"), v(&["mp3", "wav", "ogg"]));
    }

    #[test]
    fn prose_and_open_lists_are_not() {
        assert_eq!(values("'survival', 'belonging', 'recognition', etc."), None);
        assert_eq!(values("'#FF5722', 'potted_plant', 'cozy', 'warm'"), None);
        assert_eq!(values("name, email, and phone of the user"), None);
        assert_eq!(values("width, height, depth in cm"), None);
        assert_eq!(values("{ templateId, skipCache, dryRun }"), v3());
        assert_eq!(values("1, 2, 3, 4, 5"), None);
        assert_eq!(values("'user', 'assistant'"), None);
        assert_eq!(values("사용자 이름"), None);
        assert_eq!(values(""), None);
        assert_eq!(values("'unterminated, x, y"), None);
    }

    fn v3() -> Option<Vec<String>> {
        // A brace list is recognised; the column type (JSON) is what excludes it in `run`.
        Some(strings(&["templateId", "skipCache", "dryRun"]))
    }

    #[test]
    fn checked_or_non_text_columns_pass() {
        let s = schema(vec![table("jobs", 1)
            .col("status", varchar(20), 2)
            .comment("'pending', 'running', 'done'")
            .check("status IN ('pending', 'running', 'done')", &[], 3)
            .col("config", model::DataType::new(TypeKind::Jsonb, "JSONB"), 4)
            .comment("{ templateId, skipCache, dryRun }")
            .col("title", text(), 5)
            .comment("shown in lists, cards and search")]);
        assert!(findings(super::run, &s).is_empty());
    }

    #[test]
    fn unchecked_lists_are_warned() {
        let s = schema(vec![table("chat_messages", 1)
            .col("role", varchar(20), 7)
            .comment("'user' | 'assistant'")
            .col("status", text(), 8)
            .comment("pending|processing|completed")
            .check("length(role) > 0", &["role"], 9)]);
        let d = findings(super::run, &s);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!((d[0].rule, d[0].severity, d[0].span.line), ("enum-like-comment", Severity::Warning, 8));
        assert_eq!(
            d[0].message,
            "the comment of `chat_messages.status` lists its values (`pending`, `processing`, `completed`) \
             but no CHECK constraint enforces them"
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some("add `CHECK (status IN ('pending', 'processing', 'completed'))`, or use an enum type")
        );
    }
}

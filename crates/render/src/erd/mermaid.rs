use super::{key_marks, Relationship};
use model::{Column, ForeignKey, Schema, Table, TypeKind};
use std::fmt::Write as _;

/// Renders a schema as a Mermaid `erDiagram`: an entity per table (in the model's order) listing
/// `type name PK, FK, UK "comment"` attributes, then a relationship per foreign key, from the
/// referenced table to the referencing one, labelled with the FK columns.
///
/// Cardinality follows the constraints: the referenced side is "exactly one" when the FK columns
/// are `NOT NULL` and "zero or one" when one is nullable; the referencing side is "zero or one"
/// when the FK columns are unique (a primary key, unique constraint or full unique index lies
/// within them) and "zero or more" otherwise. Nothing in a schema forces a parent to have children,
/// so "one or more" is never drawn. The line is solid (identifying) when the FK columns are part
/// of the referencing table's primary key, dashed otherwise.
///
/// Output stays within the syntax older Mermaid releases accept too: names outside
/// `[A-Za-z][A-Za-z0-9_]*` (Korean, spaces) or starting like a Mermaid keyword are quoted as
/// entities; attribute names and types are reduced to ASCII words (`varchar(255)` becomes
/// `varchar_255`), with the written name kept in the attribute's comment when it had to change.
pub fn mermaid(schema: &Schema) -> String {
    let mut out = String::from("erDiagram\n");
    for table in &schema.tables {
        let _ = writeln!(out, "    {} {{", entity_name(&table.qualified_name()));
        for (i, column) in table.columns.iter().enumerate() {
            out.push_str(&attribute(table, column, i, schema));
        }
        out.push_str("    }\n");
    }
    for table in &schema.tables {
        for fk in &table.foreign_keys {
            out.push_str(&relationship(table, fk, schema));
        }
    }
    out
}

/// Words the Mermaid ER lexer reads as keywords (case-insensitively) at the start of a name.
const KEYWORD_PREFIXES: &[&str] = &[
    "accdescr",
    "acctitle",
    "class",
    "direction",
    "end",
    "erdiagram",
    "many",
    "one",
    "only",
    "optionally",
    "style",
    "subgraph",
    "title",
    "to",
    "zero",
];

/// An entity name Mermaid accepts: bare when it is a plain ASCII word, quoted otherwise.
pub(crate) fn entity_name(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && lower != "u"
        && !KEYWORD_PREFIXES.iter().any(|k| lower.starts_with(k));
    if plain {
        return name.to_string();
    }
    // NOTE: Mermaid's quoted entity names exclude `"`, `%`, `\` and line breaks.
    let quoted: String = name
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '%' | '\\' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let quoted = quoted.trim();
    if quoted.is_empty() {
        "\"_\"".to_string()
    } else {
        format!("\"{quoted}\"")
    }
}

/// Text Mermaid accepts inside a `"…"` comment or label.
fn quoted_text(text: &str) -> String {
    // NOTE: inside an entity block, text between two `~` is read as a generic type, even in a
    // comment, so tildes are replaced as well as quotes and line breaks.
    let cleaned: String = text
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '~' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let mut text = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    // NOTE: some Mermaid releases strip `%%` comments anywhere on a line.
    while text.contains("%%") {
        text = text.replace("%%", "%");
    }
    text
}

/// Reduces text to an ASCII word of letters, digits and `_`, or `None` if nothing is left.
fn ascii_word(text: &str) -> Option<String> {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let trimmed = out.trim_end_matches('_');
    trimmed.chars().any(|c| c.is_ascii_alphanumeric()).then(|| trimmed.to_string())
}

/// The attribute type word: the canonical type as an ASCII word (`varchar_255`,
/// `decimal_10_2`, `text[]`).
pub(crate) fn type_word(kind: &TypeKind) -> String {
    if let TypeKind::Array { of } = kind {
        return format!("{}[]", type_word(of));
    }
    let word = ascii_word(&kind.to_string()).unwrap_or_else(|| kind.family().to_string());
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        format!("t_{word}")
    } else if is_key_word(&word) {
        format!("{word}_")
    } else {
        word
    }
}

/// Whether Mermaid would read `word` as a key marker (`PK`, `FK`, `UK`, in any case).
fn is_key_word(word: &str) -> bool {
    matches!(word.to_ascii_lowercase().as_str(), "pk" | "fk" | "uk")
}

/// The attribute name Mermaid accepts, and whether it differs from the written one.
fn attribute_name(name: &str, position: usize) -> (String, bool) {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !is_key_word(name);
    if plain {
        return (name.to_string(), false);
    }
    let word = match ascii_word(name) {
        Some(w) if w.starts_with(|c: char| c.is_ascii_alphabetic()) => w,
        Some(w) => format!("c_{w}"),
        None => format!("column_{}", position + 1),
    };
    let word = if is_key_word(&word) { format!("{word}_") } else { word };
    (word, true)
}

fn attribute(table: &Table, column: &Column, position: usize, schema: &Schema) -> String {
    let keys = key_marks(table, column, schema);
    let (name, renamed) = attribute_name(&column.name, position);
    let mut comment = Vec::new();
    if renamed {
        comment.push(quoted_text(&column.name));
    }
    if let Some(c) = &column.comment {
        comment.push(quoted_text(c));
    }
    comment.retain(|c| !c.is_empty());
    let mut line = format!("        {} {name}", type_word(&column.ty.kind));
    if !keys.is_empty() {
        line.push(' ');
        line.push_str(&keys.join(", "));
    }
    if !comment.is_empty() {
        let _ = write!(line, " \"{}\"", comment.join(": "));
    }
    line.push('\n');
    line
}

fn relationship(child: &Table, fk: &ForeignKey, schema: &Schema) -> String {
    let r = Relationship::of(child, fk, schema);
    let parent_side = if r.optional { "|o" } else { "||" };
    let child_side = if r.unique { "o|" } else { "o{" };
    let line = if r.identifying { "--" } else { ".." };
    let label = quoted_text(&r.label);
    let label = if label.is_empty() { "references".to_string() } else { label };
    // A table of another database schema is named with it (`orchard.trees`), as SQL names it.
    let parent = schema.table(&fk.ref_table).map_or_else(|| r.parent.to_string(), Table::qualified_name);
    format!(
        "    {} {parent_side}{line}{child_side} {} : \"{label}\"\n",
        entity_name(&parent),
        entity_name(&child.qualified_name())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_stay_bare_and_others_are_quoted() {
        assert_eq!(entity_name("chat_messages"), "chat_messages");
        assert_eq!(entity_name("사용자"), "\"사용자\"");
        assert_eq!(entity_name("order items"), "\"order items\"");
        assert_eq!(entity_name("_private"), "\"_private\"");
        assert_eq!(entity_name("50%\"off\""), "\"50_'off'\"");
        assert_eq!(entity_name(""), "\"_\"");
    }

    #[test]
    fn names_the_lexer_reads_as_keywords_are_quoted() {
        for name in ["tokens", "Topics", "one_time_codes", "many", "u", "U", "classes", "styles", "endpoints"] {
            assert_eq!(entity_name(name), format!("\"{name}\""), "{name}");
        }
        assert_eq!(entity_name("users"), "users");
        assert_eq!(entity_name("orders"), "orders");
    }

    #[test]
    fn type_words_are_ascii_words() {
        assert_eq!(type_word(&TypeKind::Varchar { len: Some(255) }), "varchar_255");
        assert_eq!(type_word(&TypeKind::Decimal { precision: Some(10), scale: Some(2) }), "decimal_10_2");
        assert_eq!(type_word(&TypeKind::Array { of: Box::new(TypeKind::Text) }), "text[]");
        assert_eq!(type_word(&TypeKind::Enum { name: "status".into() }), "enum_status");
        assert_eq!(type_word(&TypeKind::Enum { name: "상태".into() }), "enum");
        assert_eq!(type_word(&TypeKind::Other { raw: "문자열".into() }), "other");
        assert_eq!(type_word(&TypeKind::Other { raw: "2d point".into() }), "t_2d_point");
        assert_eq!(type_word(&TypeKind::Timestamp { tz: true, precision: Some(3) }), "timestamptz_3");
        assert_eq!(type_word(&TypeKind::Other { raw: "Pk".into() }), "Pk_");
    }

    #[test]
    fn attribute_names_are_ascii_words() {
        assert_eq!(attribute_name("user_id", 0), ("user_id".to_string(), false));
        assert_eq!(attribute_name("사용자 ID", 0), ("ID".to_string(), true));
        assert_eq!(attribute_name("이름", 2), ("column_3".to_string(), true));
        assert_eq!(attribute_name("pk", 0), ("pk_".to_string(), true));
        assert_eq!(attribute_name("1st", 0), ("c_1st".to_string(), true));
        assert_eq!(attribute_name("e-mail", 0), ("e_mail".to_string(), true));
    }

    #[test]
    fn quoted_text_drops_quotes_tildes_and_line_breaks() {
        assert_eq!(quoted_text("a \"b\"\n~c~"), "a 'b' -c-");
        assert_eq!(quoted_text("50%%% off"), "50% off");
    }
}

//! The type at the start of a column bullet's description: a SQL type of any dialect
//! (`BIGINT UNSIGNED`, `VARCHAR(40)`, `enum('open', 'done')`), or a Python / TypeScript annotation
//! (`Optional[float]`, `List[str]`, `string | null`, `number[]`, `ForeignKey[Greenhouse]`).

use crate::types::{parse_loose_type, parse_sql_type};
use model::{DataType, TypeKind};

/// A type read from the start of a bullet's description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BulletType {
    /// `None` for a reference annotation (`ForeignKey[Greenhouse]`), which states no type.
    pub ty: Option<DataType>,
    /// `Some(true)` for `Optional[…]`, `… | null`, `…?`.
    pub nullable: Option<bool>,
    /// The table a reference annotation points at.
    pub references: Option<String>,
    /// Bytes of the description the type takes.
    pub len: usize,
}

/// Reads the type at the start of `text`; `None` when it does not start with one.
pub(super) fn leading_type(text: &str) -> Option<BulletType> {
    let start = text.len() - text.trim_start().len();
    let units = units(&text[start..]);
    // Constraint words end the type: `timestamp NOT NULL`.
    let unit = |k: usize| &text[start + units[k].0..start + units[k].1];
    let words = (0..units.len())
        .position(|k| is_constraint_word(unit(k)) && (k == 0 || unit(k - 1) != "|"))
        .unwrap_or(units.len());
    // The longest run of units that reads as one type: `BIGINT UNSIGNED`, `timestamp with time zone`.
    for n in (1..=words.min(4)).rev() {
        let end = units[n - 1].1;
        let spelled = &text[start..start + end];
        if let Some(mut t) = annotation(spelled) {
            t.len = start + end;
            // `str (UUID)`: a type in brackets right after a loose one says it precisely.
            if let Some(&(open, close)) = units.get(n) {
                let group = text[start + open..start + close].trim();
                if let Some(inner) = group.strip_prefix('(').and_then(|g| g.strip_suffix(')')) {
                    if let Some(precise) = annotation(inner).and_then(|p| p.ty).filter(|p| p.exact) {
                        if t.ty.as_ref().is_some_and(|ty| !ty.exact) {
                            t.ty = Some(precise);
                            t.len = start + close;
                        }
                    }
                }
            }
            return Some(t);
        }
    }
    None
}

/// Whether a word starts the constraints after a type.
pub(super) fn is_constraint_word(w: &str) -> bool {
    matches!(
        w.to_ascii_uppercase().as_str(),
        "NOT"
            | "NULL"
            | "NULLABLE"
            | "PK"
            | "FK"
            | "UK"
            | "PRIMARY"
            | "FOREIGN"
            | "UNIQUE"
            | "DEFAULT"
            | "REFERENCES"
            | "CHECK"
            | "AUTO_INCREMENT"
            | "AUTOINCREMENT"
            | "AUTO-INCREMENT"
            | "IDENTITY"
            | "GENERATED"
            | "COLLATE"
            | "INDEX"
            | "REQUIRED"
            | "OPTIONAL"
            | "->"
            | "→"
    )
}

/// Splits `text` into words with their argument lists attached (`VARCHAR (40)`, `Enum ('a', 'b')`),
/// up to the first top-level `,` or `;`: (start, end) byte ranges.
fn units(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut start: Option<usize> = None;
    let mut stop = text.len();
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' | '<' => {
                if depth == 0 && start.is_none() {
                    // An argument list separated by spaces belongs to the word before it.
                    match out.pop() {
                        Some((s, _)) if c == '(' => start = Some(s),
                        other => {
                            out.extend(other);
                            start = Some(i);
                        }
                    }
                }
                depth += 1;
            }
            ')' | ']' | '>' => {
                depth -= 1;
                if depth < 0 {
                    stop = i;
                    break;
                }
            }
            ',' | ';' if depth == 0 => {
                stop = i;
                break;
            }
            c if c.is_whitespace() && depth == 0 => {
                if let Some(s) = start.take() {
                    out.push((s, i));
                }
            }
            _ => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        if depth == 0 && quote.is_none() {
            out.push((s, stop));
        }
    }
    out
}

/// Reads one type spelling, whole.
fn annotation(spelled: &str) -> Option<BulletType> {
    let s = spelled.trim();
    let plain = |ty: DataType| BulletType { ty: Some(ty), nullable: None, references: None, len: 0 };
    // `str (UUID)`: a family word made precise by the type in brackets after it.
    if let Some((word, group)) = s.split_once(" (") {
        let inner = group.strip_suffix(')').map(str::trim);
        let loose = scalar(word).filter(|t| !t.exact);
        if let (Some(_), Some(precise)) = (loose, inner.and_then(scalar).filter(|t| t.exact)) {
            return Some(plain(precise));
        }
    }
    // TypeScript: `string | null`, `Date | undefined`.
    if let Some((head, tail)) = s.rsplit_once('|') {
        let tail = tail.trim().to_ascii_lowercase();
        if matches!(tail.as_str(), "null" | "none" | "undefined") {
            let mut t = annotation(head)?;
            t.nullable = Some(true);
            return Some(t);
        }
        return None;
    }
    if let Some(head) = s.strip_suffix('?') {
        let mut t = annotation(head)?;
        t.nullable = Some(true);
        return Some(t);
    }
    if let Some(head) = s.strip_suffix("[]") {
        if head.trim().is_empty() {
            return None;
        }
        let t = annotation(head)?;
        let of = t.ty?;
        return Some(plain(DataType { kind: TypeKind::Array { of: Box::new(of.kind) }, spelling: s.into(), ..of }));
    }
    // Generics: `Optional[float]`, `List[str]`, `Array<string>`, `ForeignKey[Greenhouse]`.
    if let Some(open) = s.find(['[', '<']) {
        let close = if s.as_bytes()[open] == b'[' { ']' } else { '>' };
        let inner = s[open + 1..].strip_suffix(close)?.trim();
        let outer = s[..open].trim();
        let outer = outer.rsplit('.').next().unwrap_or(outer);
        return match outer.to_ascii_lowercase().as_str() {
            "optional" => {
                let mut t = annotation(inner)?;
                t.nullable = Some(true);
                Some(t)
            }
            "mapped" => annotation(inner),
            "list" | "array" | "sequence" | "set" | "tuple" | "frozenset" => {
                let of = annotation(inner.split(',').next().unwrap_or(inner))?.ty?;
                let exact = of.exact;
                Some(plain(DataType { kind: TypeKind::Array { of: Box::new(of.kind) }, spelling: s.into(), exact }))
            }
            "dict" | "record" | "map" | "mapping" => Some(plain(DataType::loose(TypeKind::Json, s))),
            "foreignkey" | "fk" | "ref" | "reference" => {
                let target = inner.trim_matches(['"', '\'', '`']);
                is_name(target).then(|| BulletType {
                    ty: None,
                    nullable: None,
                    references: Some(target.to_string()),
                    len: 0,
                })
            }
            _ => None,
        };
    }
    scalar(s).map(plain)
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// A scalar type: a SQL type of any dialect, or a Python / TypeScript / Java scalar.
fn scalar(s: &str) -> Option<DataType> {
    let lower = s.to_ascii_lowercase();
    let loose = |kind: TypeKind| Some(DataType::loose(kind, s));
    match lower.as_str() {
        "str" | "string" => return loose(TypeKind::Text),
        "int" | "integer" | "long" | "number" => return Some(parse_loose_type(s)),
        "float" | "double" => return loose(TypeKind::Float { bytes: 8 }),
        "bool" | "boolean" => return Some(DataType::new(TypeKind::Bool, s)),
        "datetime" | "date_time" | "instant" | "localdatetime" | "offsetdatetime" | "zoneddatetime" => {
            return loose(TypeKind::Timestamp { tz: false, precision: None })
        }
        "localdate" => return Some(DataType::new(TypeKind::Date, s)),
        "decimal" | "bigdecimal" => return loose(TypeKind::Decimal { precision: None, scale: None }),
        "bytes" | "bytearray" | "buffer" | "uint8array" => return loose(TypeKind::Bytes),
        "dict" | "object" => return loose(TypeKind::Json),
        _ => {}
    }
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let ty = parse_sql_type(s);
    match &ty.kind {
        TypeKind::Other { .. } => {
            // Types no portable kind covers, spelled as SQL engines spell them.
            let base = lower.split(['(', ' ']).next().unwrap_or("");
            let known = matches!(
                base,
                "geometry"
                    | "geography"
                    | "point"
                    | "polygon"
                    | "linestring"
                    | "inet"
                    | "cidr"
                    | "macaddr"
                    | "tsvector"
                    | "hstore"
                    | "ltree"
                    | "xml"
                    | "varbit"
                    | "objectid"
            ) || ((base == "enum" || base == "set") && lower.ends_with(')'));
            known.then_some(ty)
        }
        _ => Some(ty),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<(TypeKind, Option<bool>, usize)> {
        leading_type(s)
            .map(|t| (t.ty.map(|t| t.kind).unwrap_or(TypeKind::Other { raw: "-".into() }), t.nullable, t.len))
    }

    #[test]
    fn sql_types_with_words_and_arguments() {
        assert_eq!(kind("BIGINT UNSIGNED PK, auto-increment"), Some((TypeKind::Int { bytes: 8 }, None, 15)));
        assert_eq!(kind("VARCHAR(40), NOT NULL"), Some((TypeKind::Varchar { len: Some(40) }, None, 11)));
        assert_eq!(kind("NUMERIC(4,2), NULL").map(|k| k.2), Some(12));
        assert_eq!(
            kind("timestamp with time zone not null").map(|k| k.0),
            Some(TypeKind::Timestamp { tz: true, precision: None })
        );
        let e = leading_type("Enum ('MLLW', 'MSL') — datum").unwrap();
        assert_eq!(e.ty.unwrap().spelling, "Enum ('MLLW', 'MSL')");
        assert_eq!(kind("Installation date"), None);
        assert_eq!(kind("Primary key (SERIAL)"), None);
        assert_eq!(kind("JSON is used").map(|k| k.2), Some(4));
    }

    #[test]
    fn python_and_typescript_annotations() {
        assert_eq!(kind("Optional[float]"), Some((TypeKind::Float { bytes: 8 }, Some(true), 15)));
        assert_eq!(kind("List[str]").map(|k| k.0), Some(TypeKind::Array { of: Box::new(TypeKind::Text) }));
        assert_eq!(kind("string | null").map(|k| (k.0, k.1)), Some((TypeKind::Text, Some(true))));
        assert_eq!(kind("number[]").map(|k| k.0), Some(TypeKind::Array { of: Box::new(TypeKind::Int { bytes: 4 }) }));
        assert_eq!(kind("Date?").map(|k| k.1), Some(Some(true)));
        let fk = leading_type("ForeignKey[Greenhouse]").unwrap();
        assert_eq!((fk.ty, fk.references.as_deref()), (None, Some("Greenhouse")));
        assert_eq!(kind("str (UUID)"), Some((TypeKind::Uuid, None, 10)));
        assert_eq!(kind("str, label"), Some((TypeKind::Text, None, 3)));
    }

    #[test]
    fn prose_is_not_a_type() {
        for s in ["Region lookup", "", "(", "[]", "a | b", "`x`", "1:N", "Optional[", "List[]", "<>"] {
            assert_eq!(kind(s), None, "{s}");
        }
    }
}

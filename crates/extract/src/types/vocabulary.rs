//! Type words of notations that are not SQL: what a column typed `Long`, `LocalDateTime`,
//! `string`, `Optional[float]` or `ObjectId` holds, as a portable type.
//!
//! Each vocabulary is a table of its own, so that adding a word to one never changes another; the
//! order in which [`familiar`] asks them settles words several share (`String`, `Date`, `Float`).

use model::{DataType, TypeKind};

/// A family of type spellings a document may use for its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Vocabulary {
    /// SQL type names of any engine (`VARCHAR(255)`, `timestamptz`, `NVARCHAR(MAX)`, `POINT`).
    Sql,
    /// SQLAlchemy column types (`String(36)`, `DateTime(timezone=True)`).
    SqlAlchemy,
    /// Prisma scalars (`String`, `Int`, `DateTime`, `Json`, `Bytes`).
    Prisma,
    /// Java and JPA field types (`Long`, `LocalDateTime`, `BigDecimal`, `UUID`).
    Java,
    /// TypeScript types (`string`, `number`, `boolean`, `Date`, `string[]`).
    TypeScript,
    /// Python annotations (`str`, `int`, `datetime`, `Optional[float]`, `List[str]`).
    Python,
    /// MongoDB / Mongoose schema types (`ObjectId`, `Mixed`, `Array`, `Decimal128`).
    Mongo,
}

/// `T`, `T | null`, `T/null`, `T | undefined`, `Optional[T]`, `T?`: the type without its marks of
/// optionality, and whether there were any.
pub fn strip_optional(spelling: &str) -> (&str, bool) {
    let s = spelling.trim();
    if let Some(inner) = s.strip_prefix("Optional[").and_then(|r| r.strip_suffix(']')) {
        return (inner.trim(), true);
    }
    for sep in ['|', '/'] {
        if let Some((a, b)) = s.split_once(sep) {
            let (a, b) = (a.trim(), b.trim());
            let none = |x: &str| matches!(x, "null" | "None" | "undefined" | "NULL" | "nil");
            if none(b) && !a.is_empty() && !a.contains(sep) {
                return (a, true);
            }
            if none(a) && !b.is_empty() && !b.contains(sep) {
                return (b, true);
            }
        }
    }
    if let Some(inner) = s.strip_suffix('?').filter(|i| !i.is_empty() && !i.ends_with('?')) {
        return (inner.trim_end(), true);
    }
    (s, false)
}

/// A type word of a vocabulary other than SQL and SQLAlchemy, with the vocabulary it comes from.
/// `None` when no such vocabulary knows the word.
pub fn familiar(spelling: &str) -> Option<(DataType, Vocabulary)> {
    let written = spelling.trim();
    let (s, _) = strip_optional(written);
    // Generic containers: `List[str]`, `list[int]`, `string[]`, `Array<string>`, `Set<Long>`.
    if let Some(inner) = container_item(s) {
        let of = match familiar(inner) {
            Some((t, _)) => t.kind,
            None => crate::types::parse_written_type(inner).kind,
        };
        let vocab =
            if s.ends_with("[]") || s.starts_with("Array<") { Vocabulary::TypeScript } else { Vocabulary::Python };
        return Some((DataType::new(TypeKind::Array { of: Box::new(of) }, written), vocab));
    }
    for (vocab, table) in [
        (Vocabulary::Prisma, PRISMA),
        (Vocabulary::Java, JAVA),
        (Vocabulary::TypeScript, TYPESCRIPT),
        (Vocabulary::Python, PYTHON),
        (Vocabulary::Mongo, MONGO),
    ] {
        if let Some(&(_, kind, exact)) = table.iter().find(|(w, _, _)| *w == s) {
            let kind = kind.kind();
            let ty = if exact { DataType::new(kind, written) } else { DataType::loose(kind, written) };
            return Some((ty, vocab));
        }
    }
    None
}

/// The item type of a container spelling, when it is one.
fn container_item(s: &str) -> Option<&str> {
    if let Some(inner) = s.strip_suffix("[]") {
        return Some(inner.trim()).filter(|i| !i.is_empty() && !i.contains(char::is_whitespace));
    }
    for open in ["List[", "list[", "Sequence[", "Set[", "set[", "Tuple[", "tuple["] {
        if let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(']')) {
            return Some(inner.trim().split(',').next().unwrap_or("").trim()).filter(|i| !i.is_empty());
        }
    }
    for open in ["List<", "Array<", "Set<", "ArrayList<", "Collection<"] {
        if let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix('>')) {
            return Some(inner.trim()).filter(|i| !i.is_empty());
        }
    }
    None
}

/// A portable type without its spelling, so that the tables below stay `const`.
#[derive(Clone, Copy)]
enum K {
    Int(u8),
    Float(u8),
    Decimal,
    Bool,
    Text,
    Char(u32),
    Bytes,
    Uuid,
    Json,
    Date,
    Time,
    Timestamp,
    TimestampTz,
    Timestamp3,
    Interval,
}

impl K {
    fn kind(self) -> TypeKind {
        match self {
            K::Int(bytes) => TypeKind::Int { bytes },
            K::Float(bytes) => TypeKind::Float { bytes },
            K::Decimal => TypeKind::Decimal { precision: None, scale: None },
            K::Bool => TypeKind::Bool,
            K::Text => TypeKind::Text,
            K::Char(n) => TypeKind::Char { len: Some(n) },
            K::Bytes => TypeKind::Bytes,
            K::Uuid => TypeKind::Uuid,
            K::Json => TypeKind::Json,
            K::Date => TypeKind::Date,
            K::Time => TypeKind::Time { tz: false },
            K::Timestamp => TypeKind::Timestamp { tz: false, precision: None },
            K::TimestampTz => TypeKind::Timestamp { tz: true, precision: None },
            K::Timestamp3 => TypeKind::Timestamp { tz: false, precision: Some(3) },
            K::Interval => TypeKind::Interval,
        }
    }
}

/// (word, portable type, whether the word fixes width and length).
type Words = &'static [(&'static str, K, bool)];

/// Prisma scalars as Prisma Migrate creates them on PostgreSQL (the default provider).
const PRISMA: Words = &[
    ("String", K::Text, true),
    ("Int", K::Int(4), true),
    ("BigInt", K::Int(8), true),
    ("Float", K::Float(8), true),
    ("Decimal", K::Decimal, true),
    ("DateTime", K::Timestamp3, true),
    ("Json", K::Json, false),
    ("Bytes", K::Bytes, true),
    ("Boolean", K::Bool, true),
];

/// Java (JPA / Hibernate defaults) field types.
const JAVA: Words = &[
    ("Long", K::Int(8), true),
    ("long", K::Int(8), true),
    ("Integer", K::Int(4), true),
    ("int", K::Int(4), true),
    ("Short", K::Int(2), true),
    ("short", K::Int(2), true),
    ("Byte", K::Int(1), true),
    ("byte", K::Int(1), true),
    ("Double", K::Float(8), true),
    ("double", K::Float(8), true),
    ("BigDecimal", K::Decimal, true),
    ("BigInteger", K::Decimal, true),
    ("boolean", K::Bool, true),
    ("Character", K::Char(1), true),
    ("LocalDateTime", K::Timestamp, true),
    ("LocalDate", K::Date, true),
    ("LocalTime", K::Time, true),
    ("Instant", K::TimestampTz, true),
    ("OffsetDateTime", K::TimestampTz, true),
    ("ZonedDateTime", K::TimestampTz, true),
    ("Timestamp", K::Timestamp, true),
    ("Duration", K::Interval, true),
    ("UUID", K::Uuid, true),
    ("byte[]", K::Bytes, true),
    ("Byte[]", K::Bytes, true),
    ("Map", K::Json, false),
];

/// TypeScript types: a `number` says only that it is a number, a `string` only that it is text.
const TYPESCRIPT: Words = &[
    ("string", K::Text, false),
    // NOTE: documents use `number` for keys and counts far more than for fractions.
    ("number", K::Int(4), false),
    ("bigint", K::Int(8), true),
    ("boolean", K::Bool, true),
    ("Date", K::Timestamp, false),
    ("object", K::Json, false),
    ("any", K::Json, false),
    ("unknown", K::Json, false),
    ("Record<string, any>", K::Json, false),
    ("Record<string, unknown>", K::Json, false),
    ("Buffer", K::Bytes, true),
    ("Uint8Array", K::Bytes, true),
];

/// Python annotations, as SQLAlchemy's default annotation map reads them.
const PYTHON: Words = &[
    ("str", K::Text, false),
    ("int", K::Int(4), true),
    ("float", K::Float(8), true),
    ("bool", K::Bool, true),
    ("datetime", K::Timestamp, true),
    ("datetime.datetime", K::Timestamp, true),
    ("date", K::Date, true),
    ("datetime.date", K::Date, true),
    ("time", K::Time, true),
    ("timedelta", K::Interval, true),
    ("Decimal", K::Decimal, true),
    ("decimal.Decimal", K::Decimal, true),
    ("bytes", K::Bytes, true),
    ("uuid.UUID", K::Uuid, true),
    ("dict", K::Json, false),
    ("Dict", K::Json, false),
    // NOTE: a bare list needs a `type_annotation_map` entry too; JSON is what projects use.
    ("list", K::Json, false),
    ("List", K::Json, false),
];

/// MongoDB BSON / Mongoose schema types.
const MONGO: Words = &[
    // NOTE: an ObjectId is 12 bytes, written as 24 hexadecimal characters.
    ("ObjectId", K::Char(24), true),
    ("ObjectID", K::Char(24), true),
    ("Schema.Types.ObjectId", K::Char(24), true),
    ("Mixed", K::Json, false),
    ("Schema.Types.Mixed", K::Json, false),
    // NOTE: an array of anything; engines without arrays store it as JSON.
    ("Array", K::Json, false),
    ("Object", K::Json, false),
    ("Embedded", K::Json, false),
    ("Number", K::Int(4), false),
    ("Int32", K::Int(4), true),
    ("Int64", K::Int(8), true),
    ("Decimal128", K::Decimal, true),
    ("Buffer", K::Bytes, true),
    ("BinData", K::Bytes, true),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<TypeKind> {
        familiar(s).map(|(t, _)| t.kind)
    }

    #[test]
    fn each_vocabulary_maps_its_words() {
        assert_eq!(kind("Long"), Some(TypeKind::Int { bytes: 8 }));
        assert_eq!(kind("LocalDateTime"), Some(TypeKind::Timestamp { tz: false, precision: None }));
        assert_eq!(kind("Instant"), Some(TypeKind::Timestamp { tz: true, precision: None }));
        assert_eq!(kind("BigDecimal"), Some(TypeKind::Decimal { precision: None, scale: None }));
        assert_eq!(kind("DateTime"), Some(TypeKind::Timestamp { tz: false, precision: Some(3) }));
        assert_eq!(kind("number"), Some(TypeKind::Int { bytes: 4 }));
        assert_eq!(kind("float"), Some(TypeKind::Float { bytes: 8 }));
        assert_eq!(kind("ObjectId"), Some(TypeKind::Char { len: Some(24) }));
        assert_eq!(kind("Mixed"), Some(TypeKind::Json));
        assert_eq!(familiar("Long").map(|(_, v)| v), Some(Vocabulary::Java));
        assert_eq!(familiar("str").map(|(_, v)| v), Some(Vocabulary::Python));
        assert!(!familiar("string").is_some_and(|(t, _)| t.exact));
        assert_eq!(kind("Address"), None);
        assert_eq!(kind("VARCHR"), None);
    }

    #[test]
    fn optional_and_containers() {
        assert_eq!(strip_optional("Optional[float]"), ("float", true));
        assert_eq!(strip_optional("String/null"), ("String", true));
        assert_eq!(strip_optional("string | null"), ("string", true));
        assert_eq!(strip_optional("String?"), ("String", true));
        assert_eq!(strip_optional("Date"), ("Date", false));
        assert_eq!(kind("Optional[float]"), Some(TypeKind::Float { bytes: 8 }));
        assert_eq!(kind("List[str]"), Some(TypeKind::Array { of: Box::new(TypeKind::Text) }));
        assert_eq!(kind("string[]"), Some(TypeKind::Array { of: Box::new(TypeKind::Text) }));
        assert_eq!(kind("Int[]"), Some(TypeKind::Array { of: Box::new(TypeKind::Int { bytes: 4 }) }));
        assert_eq!(kind("Array<number>"), Some(TypeKind::Array { of: Box::new(TypeKind::Int { bytes: 4 }) }));
        let written = familiar("List[str]").map(|(t, _)| t.spelling);
        assert_eq!(written.as_deref(), Some("List[str]"));
    }
}

use crate::support::{column_span, span_named};
use model::{declare_rule, name_key, DefaultValue, Diagnostic, Schema, Severity, Span, TypeKind};
use std::collections::BTreeMap;

declare_rule! {
    /// What it does: flags types, indexes and defaults that need a PostgreSQL extension the schema never creates.
    /// `vector` columns, `ivfflat`/`hnsw` indexes and `vector_*_ops` operator classes need `vector`;
    /// `uuid_generate_v4()` defaults need `uuid-ossp`; trigram operator classes need `pg_trgm`;
    /// `citext`, `hstore`, `ltree` and PostGIS types need their extension. One finding per extension
    /// lists every user. A `gen_random_uuid()` default is only noted: it is built in since
    /// PostgreSQL 13 and needs `pgcrypto` before.
    ///
    /// Why it matters: without `CREATE EXTENSION` the database rejects the table or index
    /// (`type "vector" does not exist`), so applying the document fails.
    ///
    /// Example:
    /// ```sql
    /// CREATE TABLE chunks (id BIGINT PRIMARY KEY, embedding VECTOR(1536));
    /// -- missing: CREATE EXTENSION IF NOT EXISTS vector;
    /// ```
    pub RULE = "missing-extension", Error
}

/// One thing that needs an extension: where it is and what it is.
struct User {
    span: Span,
    what: String,
}

pub fn run(schema: &Schema, out: &mut Vec<Diagnostic>) {
    let mut needs: BTreeMap<&'static str, Vec<User>> = BTreeMap::new();
    for table in &schema.tables {
        for column in &table.columns {
            let name = format!("`{}.{}`", table.qualified_name(), column.name);
            if let Some(ext) = type_extension(&column.ty.kind) {
                let what = format!("column {name} is of type `{}`", column.ty.spelling.trim());
                needs.entry(ext).or_default().push(User { span: column_span(column), what });
            }
            let raw = match &column.default {
                Some(DefaultValue::Raw(raw)) => raw.to_lowercase(),
                Some(DefaultValue::GeneratedUuid) => "gen_random_uuid()".to_string(),
                _ => continue,
            };
            let ext = if raw.contains("uuid_generate_v") {
                "uuid-ossp"
            } else if raw.contains("gen_random_uuid") || raw.contains("gen_random_bytes") || raw.contains("crypt(") {
                "pgcrypto"
            } else {
                continue;
            };
            let what = format!("the default of {name} calls `{}`", raw.split('(').next().unwrap_or(&raw).trim());
            needs.entry(ext).or_default().push(User { span: column_span(column), what });
        }
    }
    for index in &schema.indexes {
        let name = index.name.as_deref().map(|n| format!("index `{n}`")).unwrap_or_else(|| "an index".to_string());
        let span = span_named(&index.origin, index.name.as_deref().unwrap_or(""));
        let method = index.method.as_deref().map(name_key).unwrap_or_default();
        if method == "ivfflat" || method == "hnsw" {
            needs
                .entry("vector")
                .or_default()
                .push(User { span: span.clone(), what: format!("{name} uses `{method}`") });
        }
        for part in &index.parts {
            let text = format!("{} {}", part.opclass.as_deref().unwrap_or(""), part.expr.as_deref().unwrap_or(""));
            let text = text.to_lowercase();
            let ext = if text.contains("vector_") && text.contains("_ops") {
                "vector"
            } else if text.contains("_trgm_ops") {
                "pg_trgm"
            } else {
                continue;
            };
            let what = format!("{name} uses the operator class `{}`", part.opclass.as_deref().unwrap_or(text.trim()));
            needs.entry(ext).or_default().push(User { span: span.clone(), what });
        }
    }
    for (ext, mut users) in needs {
        // NOTE: `pgcrypto`'s `gen_random_uuid()` is built in from PostgreSQL 13 on.
        let builtin = ext == "pgcrypto" && users.iter().all(|u| u.what.ends_with("`gen_random_uuid`"));
        let accepted = schema.has_extension(ext) || (ext == "vector" && schema.has_extension("pgvector"));
        if accepted || users.is_empty() {
            continue;
        }
        users.sort_by(|a, b| a.span.cmp(&b.span));
        let first = users.remove(0);
        let (severity, message) = if builtin {
            (Severity::Info, format!("{}, which needs the `pgcrypto` extension before PostgreSQL 13", first.what))
        } else {
            (
                Severity::Error,
                format!("{}, which needs the `{ext}` extension, but the schema never creates it", first.what),
            )
        };
        let mut d = Diagnostic::new(RULE.name, severity, first.span, message);
        for u in users {
            d = d.with_related(u.span, format!("{}, which needs it too", u.what));
        }
        let quoted = if ext.contains('-') { format!("\"{ext}\"") } else { ext.to_string() };
        let mut help = format!("CREATE EXTENSION IF NOT EXISTS {quoted};");
        if builtin {
            help = format!("on PostgreSQL 12 or older: {help}");
        }
        out.push(d.with_help(help));
    }
}

/// The extension a column type comes from.
fn type_extension(kind: &TypeKind) -> Option<&'static str> {
    match kind {
        TypeKind::Vector { .. } => Some("vector"),
        TypeKind::Array { of } => type_extension(of),
        TypeKind::Other { raw } => {
            let raw = name_key(raw);
            let base = raw.split(['(', ' ', '[']).next().unwrap_or("");
            match base {
                "citext" => Some("citext"),
                "hstore" => Some("hstore"),
                "ltree" | "lquery" => Some("ltree"),
                "geometry" | "geography" => Some("postgis"),
                "halfvec" | "sparsevec" => Some("vector"),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;
    use model::IndexPart;

    fn with_users() -> Schema {
        let mut s = schema(vec![
            table("chunks", 1)
                .col("id", uuid(), 2)
                .default(DefaultValue::Raw("uuid_generate_v4()".into()))
                .col("embedding", vector(1536), 3)
                .col("title", text(), 4),
            table("docs", 6).col("id", uuid(), 7).default(DefaultValue::GeneratedUuid),
        ]);
        let mut hnsw = index("idx_emb", "chunks", &[], 9);
        hnsw.method = Some("hnsw".into());
        hnsw.parts = vec![IndexPart { opclass: Some("vector_cosine_ops".into()), ..IndexPart::column("embedding") }];
        s.indexes.push(hnsw);
        let mut trgm = index("idx_title", "chunks", &[], 10);
        trgm.method = Some("gin".into());
        trgm.parts = vec![IndexPart { opclass: Some("gin_trgm_ops".into()), ..IndexPart::column("title") }];
        s.indexes.push(trgm);
        s
    }

    #[test]
    fn created_extensions_pass() {
        let mut s = with_users();
        s.extensions = vec![extension("vector", 0), extension("uuid-ossp", 0), extension("PG_TRGM", 0)];
        s.extensions.push(extension("pgcrypto", 0));
        assert!(findings(super::run, &s).is_empty());
    }

    #[test]
    fn missing_extensions_are_reported_once_each() {
        let d = findings(super::run, &with_users());
        assert_eq!(d.len(), 4, "{d:#?}");
        let by_ext = |e: &str| d.iter().find(|d| d.help.as_deref().is_some_and(|h| h.contains(e))).unwrap();
        let vector = by_ext("EXISTS vector;");
        assert_eq!((vector.rule, vector.severity, vector.span.line), ("missing-extension", Severity::Error, 3));
        assert_eq!(
            vector.message,
            "column `chunks.embedding` is of type `VECTOR(1536)`, which needs the `vector` extension, \
             but the schema never creates it"
        );
        // the hnsw method and the opclass of the same index
        assert_eq!(vector.related.len(), 2);
        assert!(vector.related.iter().all(|r| r.span.line == 9));
        let ossp = by_ext("\"uuid-ossp\"");
        assert_eq!((ossp.severity, ossp.span.line), (Severity::Error, 2));
        let trgm = by_ext("pg_trgm");
        assert_eq!(trgm.span.line, 10);
        let crypto = by_ext("pgcrypto");
        assert_eq!((crypto.severity, crypto.span.line), (Severity::Info, 7));
        assert!(crypto.message.contains("before PostgreSQL 13"));
    }
}

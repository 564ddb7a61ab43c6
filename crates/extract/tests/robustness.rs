//! No input makes extraction panic: truncated, shuffled and byte-mangled documents give diagnostics only.

use proptest::prelude::*;
use schemadoc_extract::{extract, Options, SourceFile};

const DOCUMENT: &str = include_str!("../../../examples/shop.md");
const KOREAN: &str = include_str!("../../../examples/community-ko.md");
const BULLETS: &str = include_str!("../../schemadoc/tests/fixtures/ok/bullets-en.md");
const BULLETS_KO: &str = include_str!("../../schemadoc/tests/fixtures/ok/bullets-ko.md");
const DBML_EN: &str = include_str!("../../schemadoc/tests/fixtures/ok/dbml-en.md");
const DBML_KO: &str = include_str!("../../schemadoc/tests/fixtures/ok/dbml-ko.md");
const CATALOG_EN: &str = include_str!("../../schemadoc/tests/fixtures/ok/catalog-en.md");
const CATALOG_KO: &str = include_str!("../../schemadoc/tests/fixtures/ok/catalog-ko.md");
const BOXES_EN: &str = include_str!("../../schemadoc/tests/fixtures/ok/boxes-en.md");
const BOXES_KO: &str = include_str!("../../schemadoc/tests/fixtures/ok/boxes-ko.md");
const RELATIONAL_EN: &str = include_str!("../../schemadoc/tests/fixtures/ok/relational-en.md");
const RELATIONAL_KO: &str = include_str!("../../schemadoc/tests/fixtures/ok/relational-ko.md");

fn run(text: &str) {
    let files = [SourceFile { name: "doc.md".into(), text: text.to_string() }];
    let extraction = extract(&files, &Options::default());
    // Every diagnostic points into the document.
    let lines = text.lines().count().max(1) as u32 + 1;
    for d in &extraction.diagnostics {
        assert!(d.span.line >= 1 && d.span.line <= lines, "{d:?} is outside the document");
    }
}

fn char_boundary_prefix(s: &str, n: usize) -> &str {
    let mut n = n.min(s.len());
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    &s[..n]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn truncated_documents_do_not_panic(n in 0usize..DOCUMENT.len(), korean in any::<bool>()) {
        let doc = if korean { KOREAN } else { DOCUMENT };
        run(char_boundary_prefix(doc, n));
    }

    #[test]
    fn shuffled_lines_do_not_panic(seed in any::<u64>(), korean in any::<bool>()) {
        let doc = if korean { KOREAN } else { DOCUMENT };
        let mut lines: Vec<&str> = doc.lines().collect();
        let mut state = seed | 1;
        for i in (1..lines.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            lines.swap(i, (state % (i as u64 + 1)) as usize);
        }
        run(&lines.join("\n"));
    }

    #[test]
    fn mangled_bytes_do_not_panic(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..40), korean in any::<bool>()) {
        let doc = if korean { KOREAN } else { DOCUMENT };
        let mut bytes = doc.as_bytes().to_vec();
        for (at, byte) in edits {
            let i = at % bytes.len();
            bytes[i] = byte;
        }
        run(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn arbitrary_text_does_not_panic(text in "\\PC{0,400}") {
        run(&text);
    }

    #[test]
    fn sql_like_noise_does_not_panic(parts in proptest::collection::vec(prop_oneof![
        Just("CREATE TABLE "), Just("t ("), Just("id INT PRIMARY KEY"), Just(", "), Just(");\n"), Just("'"),
        Just("$$"), Just("--"), Just("/*"), Just("REFERENCES u(id)"), Just("ALTER TABLE t ADD "), Just("```sql\n"),
        Just("```\n"), Just("| a | b |\n|---|---|\n"), Just("model X {\n"), Just("}\n"), Just("erDiagram\n"),
        Just("```prisma\n"), Just("```mermaid\n"), Just("한글 "), Just("\r\n"), Just("\t"), Just("CHECK ("),
        Just("FOREIGN KEY (a) REFERENCES b(c)"), Just("<!-- schemadoc:ignore -->\n"), Just("- `idx` ON `a`\n"),
    ], 0..60)) {
        run(&parts.concat());
    }

    #[test]
    fn truncated_and_shuffled_bullet_documents_do_not_panic(n in 0usize..4000, seed in any::<u64>(), korean in any::<bool>()) {
        let doc = if korean { BULLETS_KO } else { BULLETS };
        run(char_boundary_prefix(doc, n));
        let mut lines: Vec<&str> = doc.lines().collect();
        let mut state = seed | 1;
        for i in (1..lines.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            lines.swap(i, (state % (i as u64 + 1)) as usize);
        }
        run(&lines.join("\n"));
    }

    #[test]
    fn bullet_noise_does_not_panic(parts in proptest::collection::vec(prop_oneof![
        Just("### `t`\n"), Just("## 1. orders\n"), Just("### columns\n"), Just("**Entity**\n"), Just("**Key Columns**:\n"),
        Just("Index:\n"), Just("컬럼:\n"), Just("- "), Just("  - "), Just("* "), Just("`id`"), Just("id"), Just(": "),
        Just("BIGINT UNSIGNED"), Just("VARCHAR(40)"), Just("enum(`a`, `b`)"), Just("Optional[float]"), Just("List[str]"),
        Just("string | null"), Just("ForeignKey[T]"), Just("str (UUID)"), Just(", "), Just("PK"), Just("FK -> "),
        Just("`t(id)`"), Just("t.id"), Just(" → "), Just("(1:N)"), Just("(N:1)"), Just("NOT NULL"), Just("default `x`"),
        Just("auto-increment"), Just("PK: `id`"), Just("컬럼: `a`, `b`"), Just("(a, b) composite PK"), Just("each an FK"),
        Just("unique: `t.c`"), Just("index: `t.a`, `t.b`"), Just("idx_t_id"), Just("(Index)"), Just("("), Just(")"),
        Just("["), Just("]"), Just("'"), Just("한글 설명"), Just(" — "), Just("\n"), Just("\n\n"), Just("**Primary Key**: `c`\n"),
    ], 0..80)) {
        run(&parts.concat());
    }

    #[test]
    fn truncated_dbml_does_not_panic(n in 0usize..DBML_EN.len().max(DBML_KO.len()), korean in any::<bool>()) {
        let doc = if korean { DBML_KO } else { DBML_EN };
        run(char_boundary_prefix(doc, n));
    }

    #[test]
    fn mangled_dbml_does_not_panic(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..40), korean in any::<bool>()) {
        let doc = if korean { DBML_KO } else { DBML_EN };
        let mut bytes = doc.as_bytes().to_vec();
        for (at, byte) in edits {
            let i = at % bytes.len();
            bytes[i] = byte;
        }
        run(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn dbml_like_noise_does_not_panic(parts in proptest::collection::vec(prop_oneof![
        Just("```dbml\n"), Just("```\n"), Just("Table "), Just("t"), Just("core."), Just(" as A"), Just(" {\n"),
        Just("}\n"), Just("id int "), Just("["), Just("]"), Just("pk, "), Just("ref: > t.id"), Just("ref: <> "),
        Just("default: `now()`"), Just("note: '"), Just("'''"), Just("Ref: a.(x, y) - b.(x, y)"), Just("\n"),
        Just("Indexes {\n"), Just("(a, `lower(b)`) [unique, type: hash]"), Just("Enum e {\n"), Just("~p\n"),
        Just("TablePartial p {\n"), Just("TableGroup g {\n"), Just("Project x {\n"), Just("database_type: 'MySQL'"),
        Just("/*"), Just("//"), Just("\""), Just("회원 "), Just("\r\n"), Just("Records t(a) {\n"), Just(":"), Just(","),
    ], 0..80)) {
        run(&parts.concat());
    }
    #[test]
    fn truncated_and_shuffled_catalogs_do_not_panic(n in 0usize..3000, seed in any::<u64>(), korean in any::<bool>()) {
        let doc = if korean { CATALOG_KO } else { CATALOG_EN };
        run(char_boundary_prefix(doc, n));
        let mut lines: Vec<&str> = doc.lines().collect();
        let mut state = seed | 1;
        for i in (1..lines.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            lines.swap(i, (state % (i as u64 + 1)) as usize);
        }
        run(&lines.join("\n"));
    }

    #[test]
    fn catalog_noise_does_not_panic(parts in proptest::collection::vec(prop_oneof![
        Just("## Tables\n"), Just("## 테이블 목록\n"), Just("## Out of scope\n"), Just("## 제외\n"), Just("### x (2 tables)\n"),
        Just("- "), Just("  - "), Just("`t`"), Just("t_a"), Just("**T**"), Just(" - "), Just(": "), Just("회원"),
        Just("| 테이블 | 역할 |\n|---|---|\n"), Just("| table | main columns | keys |\n|---|---|---|\n"), Just("| "),
        Just(" |"), Just("`id`, `a_id`"), Just("PK id; FK a_id→t; a > 0"), Just("FK x -> "), Just("(a, b)"), Just("…"),
        Just("```\n"), Just("catalog     a · b\n"), Just("s/\n├── x\n└── y\n"), Just("s.t\n"), Just("## Schema layout\n"),
        Just("same as `t`"), Just("`t` 테이블과 동일"), Just("미사용"), Just("deprecated"), Just("```mermaid\nerDiagram\n"),
        Just("A ||--o{ B : r\n"), Just("A |o--o| B : r\n"), Just("A { }\n"), Just("\n"), Just("\n\n"), Just("\r\n"),
    ], 0..80)) {
        run(&parts.concat());
    }

    #[test]
    fn truncated_and_mangled_box_and_relational_documents_do_not_panic(
        n in 0usize..2000,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..40),
        which in 0usize..4,
    ) {
        let doc = [BOXES_EN, BOXES_KO, RELATIONAL_EN, RELATIONAL_KO][which];
        run(char_boundary_prefix(doc, n));
        let mut bytes = doc.as_bytes().to_vec();
        for (at, byte) in edits {
            let i = at % bytes.len();
            bytes[i] = byte;
        }
        run(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn box_noise_does_not_panic(parts in proptest::collection::vec(prop_oneof![
        Just("```\n"), Just("```text\n"), Just("┌"), Just("┐"), Just("└"), Just("┘"), Just("─"), Just("──────"),
        Just("│"), Just("├"), Just("┤"), Just("┬"), Just("┼"), Just("+"), Just("-"), Just("------"), Just("|"),
        Just(" "), Just("    "), Just("\n"), Just("patrons"), Just("patron_id"), Just("회원"), Just("수량"), Just("(PK)"),
        Just(" FK"), Just(" UK"), Just("- "), Just("..") , Just("…"), Just("}o"), Just("||"), Just("o{"), Just("<"),
        Just(">"), Just("▶"), Just("1"), Just("N"), Just(":"), Just("t(a, b)"), Just("(<u>id</u>, #x_id)"),
        Just("model M {\n"), Just("}\n"), Just("\t"), Just("→ t"), Just("varchar(20)"), Just("═"), Just("║"), Just("╔"),
    ], 0..120)) {
        run(&parts.concat());
    }
}

//! Generated design documents of a given size, shared by the `check` benchmarks.
#![allow(dead_code)]

use std::fmt::Write as _;

/// A document of `n` tables: a quarter each in SQL, Prisma, field tables and a Mermaid ERD, each table
/// with 15 columns and a foreign key to an earlier table, plus an index list.
pub fn generate(n: usize) -> String {
    let mut doc = String::from("# 대규모 스키마 (benchmark)\n\n");
    let quarter = n / 4;
    doc.push_str("## SQL\n\n```sql\n");
    for i in 0..quarter {
        let _ = writeln!(doc, "CREATE TABLE t{i} (\n  id BIGSERIAL PRIMARY KEY,");
        if i > 0 {
            let _ = writeln!(doc, "  parent_id BIGINT REFERENCES t{}(id) ON DELETE CASCADE,", i - 1);
        }
        for c in 0..13 {
            let _ = writeln!(doc, "  col_{c} VARCHAR({}) NOT NULL DEFAULT 'x',  -- 설명 {c}", 10 + c);
        }
        let _ =
            writeln!(doc, "  created_at TIMESTAMPTZ DEFAULT NOW()\n);\nCREATE INDEX idx_t{i}_col_0 ON t{i} (col_0);");
    }
    doc.push_str("```\n\n## Prisma\n\n```prisma\n");
    for i in quarter..2 * quarter {
        let _ = writeln!(doc, "model T{i} {{\n  id Int @id @default(autoincrement())");
        for c in 0..13 {
            let _ = writeln!(doc, "  field{c} String? @db.VarChar(50)");
        }
        let _ = writeln!(doc, "  createdAt DateTime @default(now()) @map(\"created_at\")\n  @@map(\"t{i}\")\n}}");
    }
    doc.push_str("```\n\n## Field tables\n\n");
    for i in 2 * quarter..3 * quarter {
        let _ = writeln!(doc, "### t{i} 테이블\n\n| 필드명 | 타입 | 제약조건 | 설명 |\n|---|---|---|---|");
        let _ = writeln!(doc, "| `id` | String(36) | PK | 식별자 |");
        let _ = writeln!(doc, "| `t{}_id` | BIGINT | FK(t{}.id), NOT NULL | 상위 |", i - 1, i - 1);
        for c in 0..13 {
            let _ = writeln!(doc, "| `col_{c}` | Text | NULLABLE | 값 {c} |");
        }
        let _ = writeln!(doc, "\n#### 인덱스\n\n- `idx_t{i}_col_1` ON `col_1`\n");
    }
    doc.push_str("## ERD\n\n```mermaid\nerDiagram\n");
    for i in 3 * quarter..n {
        let _ = writeln!(doc, "    T{i} {{\n        int id PK");
        for c in 0..14 {
            let _ = writeln!(doc, "        string col_{c}");
        }
        let _ = writeln!(doc, "    }}");
        if i > 3 * quarter {
            let _ = writeln!(doc, "    T{} ||--o{{ T{i} : has", i - 1);
        }
    }
    doc.push_str("```\n");
    doc
}

/// A document of `n` tables written only in bullets, in the shapes people use: backticked columns under
/// a table heading, plain columns under a "columns" sub-heading with an index list, bold entities with
/// Python annotations, and one bullet per table; each table has 15 columns and a reference to an
/// earlier table.
pub fn generate_bullets(n: usize) -> String {
    let mut doc = String::from("# 대규모 스키마 (bullets benchmark)\n\n");
    let mut i = 0;
    while i < n {
        let parent = i.saturating_sub(1);
        match i % 4 {
            0 => {
                let _ = writeln!(doc, "## `t{i}`\n\n- `id`: BIGINT UNSIGNED PK, auto-increment");
                let _ = writeln!(doc, "- `parent_id`: BIGINT UNSIGNED FK -> `t{parent}(id)`");
                for c in 0..12 {
                    let _ = writeln!(doc, "- `col_{c}`: VARCHAR({}), NOT NULL, default `x` — 설명 {c}", 10 + c);
                }
                let _ = writeln!(doc, "- `opened_at`, `closed_at`\n");
            }
            1 => {
                let _ = writeln!(doc, "## {i}. t{i}\nOne row per thing.\n\n### columns\n- id: UUID, PK");
                let _ = writeln!(doc, "- parent_id: BIGINT, NOT NULL");
                for c in 0..13 {
                    let _ = writeln!(doc, "- col_{c}: NUMERIC(10,2), NULL");
                }
                let _ = writeln!(
                    doc,
                    "\n### indexes\n- index on `col_0`\n\n### 관계\n- `t{parent}.id` → `t{i}.parent_id` (1:N)\n"
                );
            }
            2 => {
                let _ = writeln!(doc, "**t{i}**\n- id: int, PK\n- parent_id: ForeignKey[t{parent}]");
                for c in 0..13 {
                    let _ = writeln!(doc, "- col_{c}: Optional[float]");
                }
                doc.push('\n');
            }
            _ => {
                let _ = write!(doc, "### 4.{i} `t{i}`\n\n- `t{i}`: `id` BIGINT PK, `parent_id` BIGINT NOT NULL");
                for c in 0..13 {
                    let _ = write!(doc, ", `col_{c}` smallint");
                }
                let _ = writeln!(doc, "\n- FK: `parent_id -> t{parent}.id`\n");
            }
        }
        i += 1;
    }
    doc
}

/// A document of `n` tables in one DBML block: schema-qualified tables with notes, 15 columns each with
/// settings (`pk`, `increment`, `not null`, `default`, `note`, an enum type), two indexes per table, a
/// reference to the previous table (inline `ref:` on even tables, a `Ref:` with an action on odd ones),
/// an enum and a `TableGroup` per 100 tables.
pub fn generate_dbml(n: usize) -> String {
    let mut doc = String::from(
        "# Large design (DBML benchmark)\n\n```dbml\nEnum core.status {\n  active\n  retired [note: 'kept']\n}\n\n",
    );
    for i in 0..n {
        let _ = writeln!(doc, "Table core.t{i} [note: '테이블 {i}'] {{\n  id bigint [pk, increment]");
        if i > 0 {
            if i % 2 == 0 {
                let _ = writeln!(doc, "  parent_id bigint [not null, ref: > core.t{}.id]", i - 1);
            } else {
                let _ = writeln!(doc, "  parent_id bigint [not null]");
            }
        }
        for c in 0..12 {
            let _ = writeln!(doc, "  col_{c} varchar({}) [not null, default: 'x', note: '설명 {c}']", 10 + c);
        }
        let _ = writeln!(doc, "  state core.status [default: 'active']");
        let _ = writeln!(doc, "  created_at timestamp [default: `now()`]\n  Indexes {{\n    col_0\n    (col_1, created_at) [unique, name: 'uq_t{i}_col_1']\n  }}\n}}");
        if i % 2 == 1 {
            let _ = writeln!(doc, "Ref: core.t{i}.parent_id > core.t{}.id [delete: cascade]", i - 1);
        }
    }
    for g in 0..n.div_ceil(100) {
        let _ = writeln!(doc, "TableGroup group_{g} {{");
        for i in g * 100..((g + 1) * 100).min(n) {
            let _ = writeln!(doc, "  core.t{i}");
        }
        doc.push_str("}\n");
    }
    doc.push_str("```\n");
    doc
}

/// A document of `n` tables drawn: in each group of ten tables, four pairs of boxes side by
/// side joined by a crow's-foot line (15 columns each, the right box referencing the left), then
/// two tables in relational notation in a text block of their own.
pub fn generate_boxes(n: usize) -> String {
    let mut doc = String::from("# 대규모 스키마 (box diagram benchmark)\n\n");
    let width = 24;
    let column = |text: &str| format!("| {text:<w$}|", w = width - 1);
    let edge = format!("+{}+", "-".repeat(width));
    for block in (0..n).step_by(10) {
        doc.push_str("```\n");
        for a in (block..(block + 8).min(n)).step_by(2) {
            let b = a + 1;
            let mut left = vec![edge.clone(), column(&format!("t{a}")), edge.clone(), column("id PK bigint")];
            for c in 0..14 {
                left.push(column(&format!("col_{c} varchar(20)")));
            }
            left.push(edge.clone());
            if b >= n {
                doc.push_str(&left.join("\n"));
                doc.push('\n');
                continue;
            }
            let mut right = vec![edge.clone(), column(&format!("t{b}")), edge.clone(), column("id PK bigint")];
            right.push(column(&format!("t{a}_id FK")));
            for c in 0..13 {
                right.push(column(&format!("col_{c} int")));
            }
            right.push(edge.clone());
            for (k, (l, r)) in left.iter().zip(&right).enumerate() {
                let gap = if k == 3 { "||----o{" } else { "        " };
                let _ = writeln!(doc, "{l}{gap}{r}");
            }
            doc.push('\n');
        }
        doc.push_str("```\n\n```text\n");
        for t in (block + 8)..(block + 10).min(n) {
            let cols: Vec<String> = (0..13).map(|c| format!("col_{c}")).collect();
            let parent = t.saturating_sub(1);
            let _ = writeln!(doc, "t{t}(id bigint PK, parent_id bigint FK -> t{parent}.id, {})", cols.join(", "));
        }
        doc.push_str("```\n\n");
    }
    doc
}

//! DBML front-end (the language of dbdiagram.io and dbdocs): every ```dbml block, and every
//! unlabelled block whose content is DBML, of all documents form one schema — a `Ref` may name a
//! table another block defines.
//!
//! What each construct becomes: `Table` a table (its schema in [`model::Table::namespace`], its
//! `note` the comment, its `TableGroup` in [`model::Table::group`]); column settings the column's
//! nullability, default, identity (`increment`), comment, primary key, unique and check; `Indexes`
//! indexes (an index marked `pk` the primary key); `Ref` and inline `ref:` foreign keys on the
//! many side (`>`: the left end holds the key; `<`: the right; `-`: the end that is not its
//! table's key); `Enum` an enum type; `TablePartial` columns injected where `~name` stands;
//! `Project { database_type }` the documents' SQL dialect. A many-to-many `<>` needs a junction
//! table, so it makes no foreign key and says so.

mod lex;
mod lower;
mod syntax;
#[cfg(test)]
mod tests;

use crate::frontend::Partial;
use crate::scan::{BlockLang, CodeBlock, Document, Item, SqlFlavor};
use model::{Notation, RuleInfo, Span};

model::declare_rule! {
    /// What it does: flags DBML text that cannot be read: an unclosed `{`, `[`, string or
    /// comment, a line that is not a column, index or setting, a column without a type, a setting
    /// without its value.
    ///
    /// Why it matters: dbdiagram.io and `dbml2sql` reject the file, and schemadoc cannot know what
    /// the unreadable text meant, so it is left out of the model (the rest is still read).
    ///
    /// Example: `Table users { id int [pk` with no closing `]` or `}`.
    pub DBML_SYNTAX_ERROR = "dbml-syntax-error", Error
}

model::declare_rule! {
    /// What it does: flags DBML settings the language does not define for the element they are
    /// on (`[primary]`, `[nullable]`), and referential actions it does not know.
    ///
    /// Why it matters: DBML tools reject or ignore them, so the constraint the author meant is not
    /// in the model.
    ///
    /// Example: `email varchar [uniqe]` — write `[unique]`.
    pub DBML_UNKNOWN_SETTING = "dbml-unknown-setting", Warning
}

model::declare_rule! {
    /// What it does: flags a `Ref`, inline `ref:`, index, `TableGroup` or `~partial` that names a
    /// table, alias, column or partial no DBML block defines, and references whose ends have
    /// different numbers of columns.
    ///
    /// Why it matters: the foreign key or index cannot be built, so it is left out; DBML tools
    /// reject the file.
    ///
    /// Example: `Ref: posts.author_id > user.id` where the table is `users`.
    pub DBML_INVALID_REFERENCE = "dbml-invalid-reference", Error
}

model::declare_rule! {
    /// What it does: flags a table, column, enum, enum value, alias, partial, primary key or
    /// `Project` defined twice in the documents' DBML, and a table put in two table groups.
    ///
    /// Why it matters: the blocks form one schema; DBML tools reject duplicates, and only the
    /// first definition is used.
    ///
    /// Example: two blocks each holding `Table users { … }`.
    pub DBML_DUPLICATE_DEFINITION = "dbml-duplicate-definition", Error
}

model::declare_rule! {
    /// What it does: notes a many-to-many relationship (`Ref: a.id <> b.id`, `[ref: <> b.id]`).
    ///
    /// Why it matters: no foreign key can hold a many-to-many relationship; a database needs a
    /// junction table with a key to each side. schemadoc makes none up, and says so, so that the
    /// missing constraint is not a surprise.
    ///
    /// Example: `Ref: students.id <> courses.id` — add `Table enrollments { student_id int [ref: >
    /// students.id] course_id int [ref: > courses.id] }`.
    pub DBML_MANY_TO_MANY = "dbml-many-to-many", Info
}

model::declare_rule! {
    /// What it does: notes DBML elements that hold no schema and are skipped: `Records` (sample
    /// rows).
    ///
    /// Why it matters: it says the block was seen and left out on purpose.
    ///
    /// Example: `Records users(id, name) { 1, 'Ann' }`.
    pub DBML_SKIPPED = "dbml-skipped", Info
}

/// The rules this front-end reports.
pub const RULES: &[RuleInfo] = &[
    DBML_SYNTAX_ERROR,
    DBML_UNKNOWN_SETTING,
    DBML_INVALID_REFERENCE,
    DBML_DUPLICATE_DEFINITION,
    DBML_MANY_TO_MANY,
    DBML_SKIPPED,
];

/// What the documents' DBML says.
pub struct Read {
    pub partial: Partial,
    /// The SQL dialect a `Project { database_type: … }` names, when schemadoc reads it.
    pub dialect: Option<SqlFlavor>,
}

/// Reads every DBML block of `docs` as one schema.
pub fn extract(docs: &[Document]) -> Read {
    let mut partial = Partial::new(Notation::Dbml);
    let mut srcs = Vec::new();
    for doc in docs {
        for item in &doc.items {
            let Item::Block(block) = item else { continue };
            if !is_dbml(block) {
                continue;
            }
            partial.mark_read(&doc.file, block.fence_line);
            let parsed = syntax::parse(block);
            for e in parsed.errors {
                let at = Span::new(doc.file.clone(), e.pos.line, e.pos.column, e.len);
                partial.diagnostics.push(DBML_SYNTAX_ERROR.at(at, e.message));
            }
            srcs.extend(parsed.elements.into_iter().map(|element| lower::Src { file: doc.file.clone(), element }));
        }
    }
    let dialect = lower::lower(srcs, &mut partial);
    Read { partial, dialect }
}

/// Whether a block is DBML: labelled so, or unlabelled (or labelled as plain text, as dbdiagram
/// users often do) with DBML content.
pub fn is_dbml(block: &CodeBlock) -> bool {
    match &block.lang {
        BlockLang::Dbml => true,
        BlockLang::Unlabelled => looks_like_dbml(&block.content),
        BlockLang::Other(label) if matches!(label.as_str(), "text" | "txt" | "plain" | "plaintext" | "dbdiagram") => {
            looks_like_dbml(&block.content)
        }
        _ => false,
    }
}

/// Whether unlabelled text is DBML: its first line (after comments) opens a DBML element
/// (`Table x {`, `Ref: a.b > c.d`, `Enum x {`, `Project x {`, `TableGroup x {`, `TablePartial x {`)
/// and it has a `Table` or `Ref`. Prisma (`model`, `datasource`), SQL (`CREATE`) and Mermaid
/// (`erDiagram`) never match: their first word differs, and a Prisma-like `enum` block is not
/// enough without a `Table`.
pub fn looks_like_dbml(content: &str) -> bool {
    let mut lines = content.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//"));
    let Some(first) = lines.next() else { return false };
    if !opens_element(first) {
        return false;
    }
    let has_table_or_ref = |l: &str| {
        let w = first_word(l).to_ascii_lowercase();
        (w == "table" || w == "ref") && opens_element(l)
    };
    let prisma = |l: &str| matches!(first_word(l), "model" | "datasource" | "generator");
    let mut found = has_table_or_ref(first);
    for l in lines {
        if prisma(l) {
            return false;
        }
        found = found || has_table_or_ref(l);
    }
    found
}

fn first_word(line: &str) -> &str {
    line.split(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or("")
}

/// Whether a line opens a DBML element: `Keyword name … {`, or `Ref name?: a.b > c.d`.
fn opens_element(line: &str) -> bool {
    let line = line.split_once("//").map_or(line, |(code, _)| code).trim_end();
    let word = first_word(line);
    let rest = line[word.len()..].trim_start();
    match word.to_ascii_lowercase().as_str() {
        "ref" => match rest.split_once(':') {
            Some((name, rel)) if !name.trim().contains(' ') => rel.contains(['>', '<', '-']) && rel.contains('.'),
            _ => rest.ends_with('{'),
        },
        "table" | "tablepartial" | "enum" | "tablegroup" | "project" => {
            rest.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '"' || c == '{') && rest.ends_with('{')
        }
        _ => false,
    }
}

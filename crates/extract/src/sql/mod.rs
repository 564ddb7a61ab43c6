//! SQL DDL front-end (PostgreSQL, MySQL/MariaDB, SQLite).
//!
//! Reads every SQL code block (and unlabelled blocks that hold DDL) of the documents in order and
//! applies the statements to one schema, as a database would: `CREATE TABLE`, `ALTER TABLE`,
//! `CREATE INDEX`, `DROP …`, types, extensions, views, comments, functions and triggers. Data
//! statements and `PRAGMA`s are kept apart; bare column lists ("fragments") are attached to the
//! table their context names.
//!
//! Statements are split here (so one bad statement never hides its neighbours) and parsed with
//! sqlparser; positions come from our own lexer because sqlparser's spans are incomplete.

mod fragment;
mod lex;
mod lower;
mod objects;
mod split;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_dialects;

use crate::frontend::Partial;
use crate::scan::{BlockLang, CodeBlock, Document, Item, SqlFlavor};
use lex::{Lines, Src};
use model::{reference_key, Diagnostic, Notation, Origin, RuleInfo, Span};
use split::Stmt;
use sqlparser::ast::Statement;
use sqlparser::dialect::{Dialect, GenericDialect, MsSqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::{Parser, ParserError};
use std::collections::BTreeSet;
use std::sync::Arc;

model::declare_rule! {
    /// What it does: reports a SQL statement that no SQL dialect schemadoc knows can parse.
    ///
    /// Why it matters: a statement the database rejects means the document does not describe a
    /// schema that can exist; everything the statement meant to define is missing.
    ///
    /// Example: `CREATE TABLE users (id INT,, name TEXT);`
    pub SYNTAX_ERROR = "syntax-error", Error
}

model::declare_rule! {
    /// What it does: flags a table created twice in the SQL of the documents.
    ///
    /// Why it matters: the database rejects the second `CREATE TABLE` (or, with `IF NOT EXISTS`,
    /// silently keeps the first), so the second definition never takes effect.
    ///
    /// Example: `CREATE TABLE users (id INT); … CREATE TABLE users (id BIGINT);`
    pub DUPLICATE_TABLE = "duplicate-table", Error
}

model::declare_rule! {
    /// What it does: flags a column declared twice in one table, or added by `ALTER TABLE … ADD
    /// COLUMN` when the table already has it.
    ///
    /// Why it matters: the database rejects the statement ("column already exists").
    ///
    /// Example: `CREATE TABLE t (a INT, a TEXT);`
    pub DUPLICATE_COLUMN = "duplicate-column", Error
}

model::declare_rule! {
    /// What it does: notes an `ADD COLUMN IF NOT EXISTS` of a column the table already has, whose
    /// definition differs from the existing one.
    ///
    /// Why it matters: `IF NOT EXISTS` makes the statement a no-op, so the new definition (a
    /// default, a type, `NOT NULL`) is never applied where the column exists.
    ///
    /// Example: `ALTER TABLE jobs ADD COLUMN IF NOT EXISTS job_type VARCHAR(20) DEFAULT '3d';`
    /// when `jobs.job_type` exists without a default.
    pub REDUNDANT_ADD_COLUMN = "redundant-add-column", Info
}

model::declare_rule! {
    /// What it does: flags a constraint added under a name the table already uses, or one that
    /// repeats an existing key.
    ///
    /// Why it matters: PostgreSQL rejects the named case ("relation … already exists"); an unnamed
    /// repeat builds a second, useless index.
    ///
    /// Example: `ALTER TABLE personas ADD CONSTRAINT one_roommate_per_user UNIQUE (user_id);`
    /// when `CREATE TABLE personas` already declares it.
    pub DUPLICATE_CONSTRAINT = "duplicate-constraint", Error
}

model::declare_rule! {
    /// What it does: flags a table given a second primary key.
    ///
    /// Why it matters: a table has at most one primary key; the database rejects the statement.
    ///
    /// Example: `CREATE TABLE t (a INT PRIMARY KEY, b INT, PRIMARY KEY (b));`
    pub MULTIPLE_PRIMARY_KEYS = "multiple-primary-keys", Error
}

model::declare_rule! {
    /// What it does: flags an index, type, view or extension created twice under one name.
    ///
    /// Why it matters: the database rejects the second `CREATE` unless it says `IF NOT EXISTS` or
    /// `OR REPLACE`.
    ///
    /// Example: `CREATE INDEX idx_a ON t (a); CREATE INDEX idx_a ON t (b);`
    pub DUPLICATE_OBJECT = "duplicate-object", Error
}

model::declare_rule! {
    /// What it does: flags an `ALTER TABLE` or `COMMENT ON COLUMN` that names a column its table
    /// does not have, whichever notation defines the table.
    ///
    /// Why it matters: the database rejects the statement ("column does not exist").
    ///
    /// Example: `ALTER TABLE users ALTER COLUMN nmae SET NOT NULL;`
    pub ALTER_UNKNOWN_COLUMN = "alter-unknown-column", Error
}

model::declare_rule! {
    /// What it does: flags a `DROP` of a table, index or constraint the documents never define,
    /// without `IF EXISTS`.
    ///
    /// Why it matters: the database rejects the statement, and a misspelt name leaves the object
    /// that was meant to go in place.
    ///
    /// Example: `DROP TABLE old_users;` when no `old_users` exists.
    pub DROP_UNKNOWN = "drop-unknown", Warning
}

model::declare_rule! {
    /// What it does: notes an `ALTER TABLE` that schemadoc cannot apply to the merged schema: one
    /// written before the `CREATE TABLE` of its table, or a `DROP CONSTRAINT` naming a constraint
    /// that the notation defining the table (a field table, a model, an ERD) does not name.
    ///
    /// Why it matters: the change is not part of the merged schema; on a database built from the
    /// document it fails or removes something the documents still show.
    ///
    /// Example: `ALTER TABLE users DROP CONSTRAINT users_email_unique;` where `users` is a markdown
    /// field table whose `email` is `UNIQUE`.
    pub ALTER_NOT_RECORDED = "alter-not-recorded", Info
}

model::declare_rule! {
    /// What it does: notes a data statement (`INSERT`, `UPDATE`, `DELETE`, a query) among the DDL.
    ///
    /// Why it matters: it changes or reads data, not the schema; schemadoc keeps it for a data
    /// migration instead of treating it as a definition.
    ///
    /// Example: `UPDATE workflows SET mapping_config = target_config->'m';`
    pub NOT_SCHEMA = "not-schema", Info
}

model::declare_rule! {
    /// What it does: notes a `PRAGMA` that sets a connection option.
    ///
    /// Why it matters: SQLite forgets pragmas such as `foreign_keys = ON` on every new connection;
    /// they are settings to apply when connecting, not part of the schema file.
    ///
    /// Example: `PRAGMA journal_mode = WAL;`
    pub CONNECTION_SETTING = "connection-setting", Info
}

model::declare_rule! {
    /// What it does: notes a block or statement that is only column definitions or constraints
    /// (`target_config JSONB DEFAULT '{}',`, `FOREIGN KEY (a) REFERENCES b(id)`), and which table
    /// it was attached to, judged from a `-- a → b` comment, the nearest heading or the text
    /// before it.
    ///
    /// Why it matters: fragments are not statements a database runs; attaching them to the wrong
    /// table would invent columns, so the attachment is reported for review.
    ///
    /// Example: under `### workflows 테이블`, a block holding `mapping_config JSONB DEFAULT '{}',`.
    pub SQL_FRAGMENT = "sql-fragment", Info
}

model::declare_rule! {
    /// What it does: notes a valid statement that the schema model does not represent
    /// (`GRANT`, `CREATE SEQUENCE`, row-level security policies, …).
    ///
    /// Why it matters: it is not lost silently: whatever it does must be applied by other means.
    ///
    /// Example: `GRANT SELECT ON users TO reporting;`
    pub STATEMENT_NOT_MODELLED = "statement-not-modelled", Info
}

model::declare_rule! {
    /// What it does: notes a `DROP TABLE` of a table the documents themselves create, and what
    /// schemadoc made of it.
    ///
    /// Why it matters: a reset or rollback section (`DROP TABLE IF EXISTS …` under "Reset",
    /// "Rollback", "초기화") is not the design and must not erase it; a drop followed by a new
    /// `CREATE TABLE` is migration history; a drop that nothing follows removes the table from the
    /// design. Each case is said at the line, never applied quietly.
    ///
    /// Example: `## Reset` followed by `DROP TABLE IF EXISTS fish;` after `CREATE TABLE fish (…)`.
    pub DEFINED_TABLE_DROPPED = "defined-table-dropped", Info
}

/// The rules this front-end reports.
pub const RULES: &[RuleInfo] = &[
    DEFINED_TABLE_DROPPED,
    SYNTAX_ERROR,
    DUPLICATE_TABLE,
    DUPLICATE_COLUMN,
    REDUNDANT_ADD_COLUMN,
    DUPLICATE_CONSTRAINT,
    MULTIPLE_PRIMARY_KEYS,
    DUPLICATE_OBJECT,
    ALTER_UNKNOWN_COLUMN,
    DROP_UNKNOWN,
    ALTER_NOT_RECORDED,
    NOT_SCHEMA,
    CONNECTION_SETTING,
    SQL_FRAGMENT,
    STATEMENT_NOT_MODELLED,
];

/// Reads the SQL of `docs` (in order) into one schema. `forced` overrides the dialect of every
/// block; `known_tables` (name keys) are the tables other notations define, used to attach
/// fragments.
pub fn extract(docs: &[Document], forced: Option<SqlFlavor>, known_tables: &BTreeSet<String>) -> Partial {
    struct Block<'a> {
        block: &'a CodeBlock,
        file: Arc<str>,
        src: Src<'a>,
        stmts: Vec<Stmt>,
        flavor: Option<SqlFlavor>,
    }
    let mut blocks: Vec<Block> = Vec::new();
    for doc in docs {
        let sql_blocks: Vec<(&CodeBlock, Option<SqlFlavor>)> = doc
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Block(b) => match &b.lang {
                    BlockLang::Sql(label) => Some((b, *label)),
                    BlockLang::Unlabelled if looks_like_ddl(&b.content) => Some((b, None)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        // A block that says nothing about its dialect takes the document's.
        let doc_flavor = sql_blocks.iter().find_map(|(b, label)| label.or_else(|| detect_flavor(&b.content)));
        for (b, label) in sql_blocks {
            let flavor = forced.or(label).or_else(|| detect_flavor(&b.content)).or(doc_flavor);
            let options = lex::LexOptions {
                backslash_escapes: flavor == Some(SqlFlavor::Mysql),
                brackets: flavor == Some(SqlFlavor::Mssql),
            };
            let src = Src::lex_with(&b.content, options);
            let stmts = split::statements(&src);
            blocks.push(Block { block: b, file: doc.file.clone(), src, stmts, flavor });
        }
    }

    // Every table the SQL creates, so fragments and forward references can name them.
    let mut known = known_tables.clone();
    for b in &blocks {
        for s in &b.stmts {
            if let Some(name) = lower::created_table_name(&b.src, s) {
                known.insert(reference_key(&name));
            }
        }
    }

    let mut builder = lower::Builder::new(known_tables, known);
    // Where each table is created (block, statement), so a DROP knows whether a CREATE follows it.
    for (bi, b) in blocks.iter().enumerate() {
        for (si, s) in b.stmts.iter().enumerate() {
            if let Some(name) = lower::created_table_name(&b.src, s) {
                let line = b.block.position(b.src.toks[s.first].start).0;
                builder.creates.entry(reference_key(&name)).or_default().push(((bi, si), line));
            }
        }
    }
    for (bi, b) in blocks.iter().enumerate() {
        let lines = Lines::new(b.block);
        let only_drops = !b.stmts.is_empty() && b.stmts.iter().all(|s| s.word(&b.src, 0) == "DROP");
        let cx = Cx {
            src: &b.src,
            lines: &lines,
            block: b.block,
            file: b.file.clone(),
            flavor: b.flavor,
            teardown: teardown_context(b.block, only_drops),
        };
        for &(open, resume) in &b.src.unterminated {
            builder.diagnostics.push(unterminated_dollar(&cx, open, resume));
        }
        for (si, s) in b.stmts.iter().enumerate() {
            builder.at = (bi, si);
            builder.statement(&cx, s);
        }
    }
    let mut partial = builder.finish();
    for b in &blocks {
        partial.mark_read(&b.file, b.block.fence_line);
    }
    partial
}

/// A dollar quote opened at byte `open` and never closed; `resume` is where reading resumed.
fn unterminated_dollar(cx: &Cx, open: usize, resume: usize) -> Diagnostic {
    let tag_len = cx.src.text[open + 1..].find('$').map_or(1, |k| k + 2);
    let tag = &cx.src.text[open..open + tag_len];
    let span = cx.span_at(open, tag.chars().count() as u32);
    let rest = if resume < cx.src.text.len() {
        let (line, _) = cx.lines.position(resume);
        format!("its body is taken to end before line {line}, where reading resumes")
    } else {
        "everything after it, to the end of the block, is read as its body".to_string()
    };
    SYNTAX_ERROR
        .at(span, format!("dollar quote `{tag}` is never closed: {rest}"))
        .with_help(format!("close the body with `{tag}`"))
}

/// Whether an unlabelled block holds DDL: its first word (after comments) is CREATE, ALTER, DROP
/// or COMMENT ON.
fn looks_like_ddl(content: &str) -> bool {
    let src = Src::lex(content, false);
    let mut sig = src.toks.iter().enumerate().filter(|(_, t)| !t.is_trivia()).map(|(i, _)| i);
    let Some(first) = sig.next() else { return false };
    ["CREATE", "ALTER", "DROP"].iter().any(|k| src.is_kw(first, k))
        || (src.is_kw(first, "COMMENT") && sig.next().is_some_and(|i| src.is_kw(i, "ON")))
}

/// The dialect a block's content implies, from tell-tale words; `None` when nothing tells.
pub(crate) fn detect_flavor(content: &str) -> Option<SqlFlavor> {
    // The first 64 KiB tell as much as the rest.
    let mut cut = content.len().min(64 * 1024);
    while !content.is_char_boundary(cut) {
        cut -= 1;
    }
    let content = &content[..cut];
    let upper = content.to_ascii_uppercase();
    let compact: String = upper.split_whitespace().collect();
    let has_word = |w: &str| {
        upper.match_indices(w).any(|(i, _)| {
            let before = upper[..i].chars().next_back();
            let after = upper[i + w.len()..].chars().next();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    };
    let pg = ["SERIAL", "BIGSERIAL", "SMALLSERIAL", "JSONB", "TIMESTAMPTZ", "PLPGSQL", "BYTEA"]
        .iter()
        .filter(|w| has_word(w))
        .count()
        + ["::", "$$", "GEN_RANDOM_UUID", "UUID_GENERATE_V4"].iter().filter(|w| upper.contains(*w)).count();
    let mysql =
        ["AUTO_INCREMENT", "UNSIGNED", "TINYINT", "MEDIUMTEXT", "LONGTEXT"].iter().filter(|w| has_word(w)).count()
            + usize::from(content.contains('`'))
            + usize::from(compact.contains("ENGINE="));
    let sqlite = ["AUTOINCREMENT", "PRAGMA"].iter().filter(|w| has_word(w)).count()
        + ["DATETIME('NOW')", "WITHOUTROWID", "STRICT;"].iter().filter(|w| compact.contains(*w)).count();
    let mssql = ["NVARCHAR", "UNIQUEIDENTIFIER", "DATETIME2", "GETDATE", "SYSDATETIME", "NEWID", "NONCLUSTERED"]
        .iter()
        .filter(|w| has_word(w))
        .count()
        + usize::from(compact.contains("IDENTITY(") && !upper.contains("AS IDENTITY"))
        + usize::from(content.lines().any(|l| l.trim().eq_ignore_ascii_case("GO")))
        + usize::from(bracketed_name(content));
    let best = pg.max(mysql).max(sqlite).max(mssql);
    if best == 0 {
        None
    } else if mssql == best {
        Some(SqlFlavor::Mssql)
    } else if pg == best {
        Some(SqlFlavor::Postgres)
    } else if sqlite == best {
        Some(SqlFlavor::Sqlite)
    } else {
        Some(SqlFlavor::Mysql)
    }
}

/// Whether `content` quotes a name in brackets the SQL Server way (`[dbo].[Wards]`, `[Order ID] INT`),
/// as opposed to an array type (`TEXT[]`, `INT[3]`).
fn bracketed_name(content: &str) -> bool {
    content.match_indices('[').any(|(i, _)| {
        let rest = &content[i + 1..];
        let Some(close) = rest.find(']') else { return false };
        let inner = &rest[..close];
        let before = content[..i].chars().next_back();
        !inner.is_empty()
            && inner.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && !inner.contains('\n')
            && !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ']')
    })
}

/// Words of a heading or the text before a block that mark a section undoing the design: a reset,
/// teardown, rollback or clean-up script.
const TEARDOWN_WORDS: &[&str] = &[
    "reset",
    "teardown",
    "tear down",
    "rollback",
    "roll back",
    "cleanup",
    "clean up",
    "clean slate",
    "down migration",
    "uninstall",
    "revert",
    "undo",
    "drop all",
    "초기화",
    "롤백",
    "정리",
    "리셋",
    "되돌리",
    "원복",
    "삭제 스크립트",
];

/// Why the block reads as a teardown section (the heading or text that says so), if it does: a
/// heading or preceding text with a teardown word, or a block of nothing but `DROP`s.
fn teardown_context(block: &CodeBlock, only_drops: bool) -> Option<String> {
    let says = |text: &str| {
        let lower = text.to_lowercase();
        TEARDOWN_WORDS.iter().any(|w| lower.contains(w))
            || lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == "down")
    };
    if let Some(h) = block.headings.last().filter(|h| says(&h.text)) {
        return Some(format!("the section “{}” (line {})", h.text, h.line));
    }
    if let Some(t) = block.preceding_text.as_deref().filter(|t| says(t)) {
        let short: String = t.chars().take(40).collect();
        return Some(format!("the text “{short}” before the block"));
    }
    only_drops.then(|| format!("the block at line {} holds only DROP statements", block.fence_line))
}

/// Everything a statement's lowering needs to know about where it is written.
pub(crate) struct Cx<'s, 'a> {
    pub src: &'s Src<'a>,
    pub lines: &'s Lines<'a>,
    pub block: &'a CodeBlock,
    pub file: Arc<str>,
    pub flavor: Option<SqlFlavor>,
    /// Why the block is a reset/teardown/rollback section, when it is one.
    pub teardown: Option<String>,
}

impl Cx<'_, '_> {
    pub fn origin(&self, tok: usize, notation: Notation) -> Origin {
        let offset = self.src.toks.get(tok).map(|t| t.start).unwrap_or(0);
        let (line, column) = self.lines.position(offset);
        Origin::new(self.file.clone(), line, column, notation)
    }

    /// The span of token `tok` (its length in characters).
    pub fn span(&self, tok: usize) -> Span {
        let offset = self.src.toks.get(tok).map(|t| t.start).unwrap_or(0);
        let (line, column) = self.lines.position(offset);
        let len = self.src.text_of(tok).chars().count() as u32;
        Span::new(self.file.clone(), line, column, len)
    }

    /// A span from byte `offset` of the block, `len` characters long.
    pub fn span_at(&self, offset: usize, len: u32) -> Span {
        let (line, column) = self.lines.position(offset);
        Span::new(self.file.clone(), line, column, len)
    }
}

/// A statement no dialect could parse: the first dialect's message and where it points, as a
/// byte offset into the parsed text.
#[derive(Debug, Clone)]
pub(crate) struct ParseFailure {
    pub message: String,
    pub offset: Option<usize>,
}

fn dialects(flavor: Option<SqlFlavor>) -> Vec<Box<dyn Dialect>> {
    let pg: Box<dyn Dialect> = Box::new(PostgreSqlDialect {});
    let my: Box<dyn Dialect> = Box::new(MySqlDialect {});
    let lite: Box<dyn Dialect> = Box::new(SQLiteDialect {});
    let generic: Box<dyn Dialect> = Box::new(GenericDialect {});
    match flavor {
        Some(SqlFlavor::Postgres) | None => vec![pg, generic, lite, my],
        Some(SqlFlavor::Mysql) => vec![my, generic, pg, lite],
        Some(SqlFlavor::Sqlite) => vec![lite, generic, pg, my],
        Some(SqlFlavor::Mssql) => vec![Box::new(MsSqlDialect {}), generic, pg, my, lite],
    }
}

/// Whether `text` parses as exactly one expression in some dialect (the flavour's first); the
/// parser's message when it does not.
pub(crate) fn parse_expression(text: &str, flavor: Option<SqlFlavor>) -> Result<(), String> {
    use sqlparser::tokenizer::Token;
    let mut first_error = None;
    for d in dialects(flavor) {
        let parsed = Parser::new(d.as_ref()).try_with_sql(text).and_then(|mut p| {
            p.parse_expr()?;
            match p.peek_token().token {
                Token::EOF => Ok(()),
                other => Err(ParserError::ParserError(format!("`{other}` follows the expression"))),
            }
        });
        match parsed {
            Ok(()) => return Ok(()),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(match first_error {
        Some(ParserError::ParserError(m)) | Some(ParserError::TokenizerError(m)) => {
            failure_from_message(text, &m).message
        }
        _ => "it does not parse as an expression".to_string(),
    })
}

/// How many statements our splitter finds in `text` (`backslash_escapes`: read quotes as MySQL).
pub(crate) fn statement_count(text: &str, backslash_escapes: bool) -> usize {
    split::statements(&Src::lex(text, backslash_escapes)).len()
}

/// Parses `text` as one or more statements, in the block's dialect first, then in the others.
pub(crate) fn parse(text: &str, flavor: Option<SqlFlavor>) -> Result<Vec<Statement>, ParseFailure> {
    let blanked;
    let text = if flavor == Some(SqlFlavor::Mssql) {
        blanked = blank_storage_words(text);
        blanked.as_str()
    } else {
        text
    };
    let mut first_error: Option<ParserError> = None;
    for d in dialects(flavor) {
        match Parser::parse_sql(d.as_ref(), text) {
            Ok(stmts) => return Ok(stmts),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let message = match first_error {
        Some(ParserError::ParserError(m)) | Some(ParserError::TokenizerError(m)) => m,
        Some(ParserError::RecursionLimitExceeded) => "the statement is nested too deeply".to_string(),
        None => "cannot parse the statement".to_string(),
    };
    Err(failure_from_message(text, &message))
}

/// T-SQL with its storage words blanked out (same length, so positions hold): `CLUSTERED`,
/// `NONCLUSTERED`, and filegroups (`ON [PRIMARY]`, `TEXTIMAGE_ON [PRIMARY]`) say where rows are
/// stored, not what the schema is, and sqlparser reads none of them.
fn blank_storage_words(text: &str) -> String {
    let src = Src::lex_with(text, lex::LexOptions { backslash_escapes: false, brackets: true });
    let mut out = text.to_string();
    let sig: Vec<usize> = (0..src.toks.len()).filter(|&i| !src.toks[i].is_trivia()).collect();
    let mut blank = |i: usize| {
        let t = src.toks[i];
        out.replace_range(t.start..t.end, &" ".repeat(t.end - t.start));
    };
    for (k, &i) in sig.iter().enumerate() {
        if src.is_kw(i, "CLUSTERED") || src.is_kw(i, "NONCLUSTERED") {
            blank(i);
        }
        let filegroup = src.is_kw(i, "TEXTIMAGE_ON")
            || (src.is_kw(i, "ON") && k > 0 && src.is_punct(sig[k - 1], ')'))
            || (src.is_kw(i, "ON") && k == sig.len().saturating_sub(2));
        let next_is_group = sig
            .get(k + 1)
            .is_some_and(|&j| src.text_of(j).eq_ignore_ascii_case("[PRIMARY]") || src.text_of(j).starts_with('['));
        if filegroup && next_is_group && sig.get(k + 2).is_none_or(|&j| !src.is_punct(j, '(')) {
            blank(i);
            blank(sig[k + 1]);
        }
    }
    out
}

/// Splits sqlparser's `… at Line: L, Column: C` into the message and a byte offset into `text`.
fn failure_from_message(text: &str, message: &str) -> ParseFailure {
    let Some(at) = message.rfind(" at Line: ") else {
        return ParseFailure { message: message.to_string(), offset: None };
    };
    let loc = &message[at + " at Line: ".len()..];
    let mut parts = loc.split(", Column: ");
    let line: Option<usize> = parts.next().and_then(|l| l.trim().parse().ok());
    let col: Option<usize> = parts.next().and_then(|c| c.trim().parse().ok());
    let offset = match (line, col) {
        (Some(l), Some(c)) if l >= 1 && c >= 1 => {
            let line_start = if l == 1 { Some(0) } else { text.match_indices('\n').nth(l - 2).map(|(i, _)| i + 1) };
            line_start.map(|s| {
                let line_text = &text[s..];
                s + line_text.char_indices().nth(c - 1).map(|(k, _)| k).unwrap_or(line_text.len())
            })
        }
        _ => None,
    };
    ParseFailure { message: message[..at].to_string(), offset }
}

/// Reports `failure` of the text starting at byte `base` of the block, as a `syntax-error`.
pub(crate) fn syntax_error(cx: &Cx, stmt: &Stmt, base: usize, failure: &ParseFailure) -> Diagnostic {
    let (start, end) = stmt.range(cx.src);
    let offset = failure.offset.map(|o| base + o).filter(|&o| o < end).unwrap_or_else(|| {
        // At the end of the statement: point at its last token.
        stmt.sig.last().map(|&i| cx.src.toks[i].start).unwrap_or(start)
    });
    let len = cx.src.tok_at(offset).map(|i| cx.src.text_of(i).chars().count() as u32).unwrap_or(1);
    SYNTAX_ERROR
        .at(cx.span_at(offset, len), format!("cannot parse this SQL statement: {}", failure.message))
        .with_help("tried as PostgreSQL, MySQL, SQLite and generic SQL; fix the statement or mark the block with `<!-- schemadoc:ignore -->`")
}

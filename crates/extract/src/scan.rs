//! Markdown scanning: the blocks, tables, list items, paragraphs and markers of a document, each
//! with its exact line and the path of headings above it.

use model::{Diagnostic, Span};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::sync::Arc;

/// A markdown file split into the pieces the front-ends read, in document order.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: Arc<str>,
    pub items: Vec<Item>,
    /// Problems in the markdown itself (unknown `schemadoc:` markers).
    pub diagnostics: Vec<Diagnostic>,
}

/// One piece of a document.
#[derive(Debug, Clone)]
pub enum Item {
    Block(CodeBlock),
    Table(MdTable),
    ListItem(TextItem),
    Paragraph(TextItem),
    Heading(Heading),
    /// A `<!-- schemadoc:… -->` marker that is not consumed by scanning (e.g. `renamed`).
    Marker(Marker),
}

impl Item {
    pub fn line(&self) -> u32 {
        match self {
            Item::Block(b) => b.fence_line,
            Item::Table(t) => t.line,
            Item::ListItem(t) | Item::Paragraph(t) => t.line,
            Item::Heading(h) => h.line,
            Item::Marker(m) => m.line,
        }
    }

    pub fn headings(&self) -> &[Heading] {
        match self {
            Item::Block(b) => &b.headings,
            Item::Table(t) => &t.headings,
            Item::ListItem(t) | Item::Paragraph(t) => &t.headings,
            Item::Heading(h) => std::slice::from_ref(h),
            Item::Marker(m) => &m.headings,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// The heading's text with inline markup removed.
    pub text: String,
    pub line: u32,
    /// The text of the code spans the heading holds (`` ### `users` — accounts `` → `users`), in order.
    pub code_spans: Vec<String>,
}

/// The language a fenced block's info string names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockLang {
    /// ```sql, ```postgresql, ```mysql, ```sqlite …, with the dialect the label implies.
    Sql(Option<SqlFlavor>),
    Prisma,
    Mermaid,
    Dbml,
    TypeScript,
    Python,
    /// Any other label (`bash`, `json`, …), lower-cased.
    Other(String),
    /// No label, or an indented block: the content decides.
    Unlabelled,
}

/// The SQL dialect a label or the content implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SqlFlavor {
    Postgres,
    Mysql,
    Sqlite,
    /// SQL Server (T-SQL): read, and translated to the other engines; never a target.
    Mssql,
}

impl SqlFlavor {
    /// The model's name of this dialect.
    pub fn model(self) -> model::SqlDialect {
        match self {
            SqlFlavor::Postgres => model::SqlDialect::Postgres,
            SqlFlavor::Mysql => model::SqlDialect::Mysql,
            SqlFlavor::Sqlite => model::SqlDialect::Sqlite,
            SqlFlavor::Mssql => model::SqlDialect::Mssql,
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "psql" | "pgsql" | "pg" | "plpgsql" => Some(SqlFlavor::Postgres),
            "mysql" | "mariadb" => Some(SqlFlavor::Mysql),
            "sqlite" | "sqlite3" => Some(SqlFlavor::Sqlite),
            "tsql" | "t-sql" | "mssql" | "sqlserver" | "transact-sql" => Some(SqlFlavor::Mssql),
            _ => None,
        }
    }
}

impl BlockLang {
    pub fn from_info(info: &str) -> BlockLang {
        let word = info.split(|c: char| c.is_whitespace() || c == ',' || c == '{').next().unwrap_or("");
        let lower = word.to_ascii_lowercase();
        if let Some(f) = SqlFlavor::parse(&lower) {
            return BlockLang::Sql(Some(f));
        }
        match lower.as_str() {
            "" => BlockLang::Unlabelled,
            "sql" | "ddl" | "plsql" => BlockLang::Sql(None),
            "prisma" => BlockLang::Prisma,
            "mermaid" => BlockLang::Mermaid,
            "dbml" => BlockLang::Dbml,
            "typescript" | "ts" | "tsx" => BlockLang::TypeScript,
            "python" | "py" | "python3" => BlockLang::Python,
            _ => BlockLang::Other(lower),
        }
    }
}

/// A fenced or indented code block.
#[derive(Debug, Clone)]
pub struct CodeBlock {
    pub info: String,
    pub lang: BlockLang,
    /// The block's text, `\n`-separated, without the fences and without `\r`.
    pub content: String,
    /// The 1-based line of the opening fence (for an indented block, of its first line).
    pub fence_line: u32,
    /// The 1-based line of the first content line.
    pub first_line: u32,
    /// Characters before the content on each line that markdown removed (list indentation).
    pub indent: u32,
    pub headings: Vec<Heading>,
    /// The text of the paragraph or list item just before the block, if any (prose context).
    pub preceding_text: Option<String>,
    /// Where each line of `content` starts, built on the first [`CodeBlock::position`] (after which
    /// `content` is not to change).
    pub line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl CodeBlock {
    /// The file position of byte `offset` into [`CodeBlock::content`]: (line, column), 1-based,
    /// the column counted in characters. Logarithmic in the block's size, so that reading every
    /// statement of a large block stays linear.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(&self.content, offset.min(self.content.len()));
        let starts = self
            .line_starts
            .get_or_init(|| std::iter::once(0).chain(self.content.match_indices('\n').map(|(i, _)| i + 1)).collect());
        let line = starts.partition_point(|&s| s <= offset).max(1) - 1;
        let column = self.content[starts[line]..offset].chars().count() as u32 + 1 + self.indent;
        (self.first_line + line as u32, column)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A cell of a markdown table: its text with inline markup removed, and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    pub line: u32,
    pub column: u32,
}

/// A GFM table.
#[derive(Debug, Clone)]
pub struct MdTable {
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    pub line: u32,
    pub headings: Vec<Heading>,
    pub preceding_text: Option<String>,
}

/// A paragraph or list item: its text with inline markup removed (code spans keep their text).
#[derive(Debug, Clone)]
pub struct TextItem {
    pub text: String,
    /// The raw markdown of the item (code spans still in backticks).
    pub raw: String,
    pub line: u32,
    pub column: u32,
    pub headings: Vec<Heading>,
    /// The names written as code spans (`` `users` ``), in order.
    pub code_spans: Vec<String>,
}

/// A `<!-- schemadoc:name key=value … -->` marker.
#[derive(Debug, Clone)]
pub struct Marker {
    pub name: String,
    pub args: Vec<(String, String)>,
    pub line: u32,
    pub column: u32,
    pub headings: Vec<Heading>,
}

/// Markers the scanner understands. `ignore` drops the next block, table or list item;
/// `ignore-start` … `ignore-end` drop everything between; `renamed` is kept for migrations.
/// `generated` … `generated-end` mark the regions `schemadoc sync` writes.
pub const KNOWN_MARKERS: &[&str] =
    &["ignore", "ignore-start", "ignore-end", "renamed", "generated", "generated-end", "allow"];

model::declare_rule! {
    /// What it does: flags `<!-- schemadoc:… -->` comments that schemadoc does not understand.
    ///
    /// Why it matters: a misspelt marker (`schemadoc:ignroe`) silently fails to exclude a block, so
    /// an outdated table definition would still count.
    ///
    /// Example: `<!-- schemadoc:skip -->` — write `<!-- schemadoc:ignore -->`.
    pub UNKNOWN_MARKER = "unknown-marker", Warning
}

/// Byte offset → (line, column) for one source text.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    fn position(&self, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let col = self.text[self.starts[line]..offset].chars().count();
        (line as u32 + 1, col as u32 + 1)
    }

    fn line_text(&self, line: u32) -> &'a str {
        let i = (line as usize).saturating_sub(1);
        let start = self.starts.get(i).copied().unwrap_or(self.text.len());
        let end = self.starts.get(i + 1).map(|e| e - 1).unwrap_or(self.text.len());
        self.text[start..end.max(start)].trim_end_matches('\r')
    }
}

/// Splits a markdown text into [`Item`]s. Never fails: anything unreadable is plain text.
pub fn scan(file: Arc<str>, text: &str) -> Document {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let index = LineIndex::new(text);
    let mut items = Vec::new();
    let mut diagnostics = Vec::new();
    let mut headings: Vec<Heading> = Vec::new();

    let mut open: Option<Open> = None;
    let mut table: Option<(MdTable, Vec<Cell>, bool)> = None; // (table, current row, in head)
    let mut cell: Option<Cell> = None;
    let mut list_depth = 0usize;
    let mut item_stack: Vec<TextBuilder> = Vec::new();
    let mut last_text: Option<String> = None;
    let mut ignore_next = false;
    let mut ignore_region = false;

    let parser = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let (line, column) = index.position(range.start);
                open = Some(Open::Heading(TextBuilder::new(line, column), heading_level(level)));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(Open::Heading(b, level)) = open.take() {
                    let h = Heading { level, text: b.text.trim().to_string(), line: b.line, code_spans: b.code_spans };
                    headings.retain(|x| x.level < level);
                    headings.push(h.clone());
                    items.push(Item::Heading(h));
                    last_text = None;
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let (fence_line, column) = index.position(range.start);
                let (info, first_line) = match &kind {
                    CodeBlockKind::Fenced(info) => (info.to_string(), fence_line + 1),
                    CodeBlockKind::Indented => (String::new(), fence_line),
                };
                let indent = column - 1;
                open = Some(Open::Code {
                    block: CodeBlock {
                        lang: BlockLang::from_info(&info),
                        info,
                        content: String::new(),
                        fence_line,
                        first_line,
                        indent,
                        headings: headings.clone(),
                        preceding_text: last_text.clone(),
                        line_starts: Default::default(),
                    },
                });
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(Open::Code { mut block }) = open.take() {
                    block.content = block.content.replace('\r', "");
                    // NOTE: an indented block's first line is where the event starts, past the indent.
                    if !take_ignore(&mut ignore_next, ignore_region) {
                        items.push(Item::Block(block));
                    }
                }
                last_text = None;
            }
            Event::Start(Tag::Table(_)) => {
                let (line, _) = index.position(range.start);
                table = Some((
                    MdTable {
                        header: Vec::new(),
                        rows: Vec::new(),
                        line,
                        headings: headings.clone(),
                        preceding_text: last_text.clone(),
                    },
                    Vec::new(),
                    false,
                ));
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.2 = true;
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some((t, row, in_head)) = table.as_mut() {
                    t.header = std::mem::take(row);
                    *in_head = false;
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some((t, row, _)) = table.as_mut() {
                    t.rows.push(std::mem::take(row));
                }
            }
            Event::Start(Tag::TableCell) => {
                let (line, column) = index.position(range.start);
                cell = Some(Cell { text: String::new(), line, column });
            }
            Event::End(TagEnd::TableCell) => {
                if let (Some(mut c), Some((_, row, _))) = (cell.take(), table.as_mut()) {
                    c.text = c.text.trim().to_string();
                    row.push(c);
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some((t, _, _)) = table.take() {
                    if !take_ignore(&mut ignore_next, ignore_region) {
                        items.push(Item::Table(t));
                    }
                }
                last_text = None;
            }
            Event::Start(Tag::List(_)) => {
                // A nested list ends the text of the item that holds it.
                if let Some(b) = item_stack.last_mut() {
                    b.closed = true;
                }
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) => {
                let (line, column) = index.position(range.start);
                let mut b = TextBuilder::new(line, column);
                b.raw = raw_first_line(index.line_text(line), column);
                item_stack.push(b);
            }
            Event::End(TagEnd::Item) => {
                if let Some(b) = item_stack.pop() {
                    let item = b.finish(&headings);
                    last_text = Some(item.text.clone());
                    if !take_ignore(&mut ignore_next, ignore_region) && !item.text.is_empty() {
                        items.push(Item::ListItem(item));
                    }
                }
            }
            Event::Start(Tag::Paragraph) if item_stack.is_empty() && table.is_none() => {
                let (line, column) = index.position(range.start);
                let mut b = TextBuilder::new(line, column);
                b.raw = text[range.clone()].to_string();
                open = Some(Open::Paragraph(b));
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(Open::Paragraph(b)) = open.take() {
                    let item = b.finish(&headings);
                    last_text = Some(item.text.clone());
                    items.push(Item::Paragraph(item));
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let (line, column) = index.position(range.start);
                for marker in parse_markers(&html, line, column, &headings) {
                    match marker.name.as_str() {
                        "ignore" => ignore_next = true,
                        "ignore-start" => ignore_region = true,
                        "ignore-end" => ignore_region = false,
                        name if KNOWN_MARKERS.contains(&name) => items.push(Item::Marker(marker)),
                        name => diagnostics.push(
                            UNKNOWN_MARKER
                                .at(
                                    Span::new(file.clone(), marker.line, marker.column, 0),
                                    format!("unknown marker `schemadoc:{name}`"),
                                )
                                .with_help(format!("known markers: {}", KNOWN_MARKERS.join(", "))),
                        ),
                    }
                }
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                let is_code = matches!(event, Event::Code(_));
                if let Some(c) = cell.as_mut() {
                    if c.text.trim().is_empty() {
                        // The cell starts where its text does, past padding and a code span's backtick.
                        let (line, column) = index.position(range.start);
                        let lead = (t.len() - t.trim_start().len()) as u32;
                        c.line = line;
                        c.column = column + lead + u32::from(is_code);
                    }
                    c.text.push_str(t);
                } else if let Some(Open::Code { block }) = open.as_mut() {
                    block.content.push_str(t);
                } else if let Some(Open::Heading(b, _)) = open.as_mut() {
                    b.push(t, is_code);
                } else if let Some(b) = item_stack.last_mut() {
                    b.push(t, is_code);
                } else if let Some(Open::Paragraph(b)) = open.as_mut() {
                    b.push(t, is_code);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(b) = item_stack.last_mut() {
                    b.push(" ", false);
                } else if let Some(Open::Paragraph(b)) = open.as_mut() {
                    b.push(" ", false);
                }
            }
            _ => {}
        }
    }
    Document { file, items, diagnostics }
}

fn take_ignore(ignore_next: &mut bool, in_region: bool) -> bool {
    std::mem::replace(ignore_next, false) || in_region
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn raw_first_line(line: &str, column: u32) -> String {
    line.chars().skip(column as usize - 1).collect()
}

enum Open {
    Heading(TextBuilder, u8),
    Code { block: CodeBlock },
    Paragraph(TextBuilder),
}

struct TextBuilder {
    text: String,
    raw: String,
    line: u32,
    column: u32,
    code_spans: Vec<String>,
    /// Set once a nested list starts: later text belongs to the nested items.
    closed: bool,
}

impl TextBuilder {
    fn new(line: u32, column: u32) -> Self {
        TextBuilder { text: String::new(), raw: String::new(), line, column, code_spans: Vec::new(), closed: false }
    }

    fn push(&mut self, t: &str, is_code: bool) {
        if self.closed {
            return;
        }
        self.text.push_str(t);
        if is_code {
            self.code_spans.push(t.to_string());
        }
    }

    fn finish(self, headings: &[Heading]) -> TextItem {
        TextItem {
            text: self.text.trim().to_string(),
            raw: self.raw,
            line: self.line,
            column: self.column,
            headings: headings.to_vec(),
            code_spans: self.code_spans,
        }
    }
}

/// Reads `<!-- schemadoc:name key=value -->` markers out of an HTML fragment.
fn parse_markers(html: &str, line: u32, column: u32, headings: &[Heading]) -> Vec<Marker> {
    let mut out = Vec::new();
    let mut rest = html;
    let mut consumed_lines = 0u32;
    while let Some(start) = rest.find("<!--") {
        consumed_lines += rest[..start].matches('\n').count() as u32;
        let after = &rest[start + 4..];
        let Some(end) = after.find("-->") else { break };
        let body = after[..end].trim();
        if let Some(spec) = body.strip_prefix("schemadoc:") {
            let mut words = spec.split_whitespace();
            let name = words.next().unwrap_or("").to_ascii_lowercase();
            let args = words
                .map(|w| match w.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.trim_matches(['"', '\'']).to_string()),
                    None => (w.to_string(), String::new()),
                })
                .collect();
            out.push(Marker {
                name,
                args,
                line: line + consumed_lines,
                column: if consumed_lines == 0 { column } else { 1 },
                headings: headings.to_vec(),
            });
        }
        consumed_lines += after[..end].matches('\n').count() as u32;
        rest = &after[end + 3..];
    }
    out
}

/// Keeps the items under the selected sections: an item is kept when one of its headings contains
/// one of `include` (all items when `include` is empty) and none contains one of `exclude`
/// (case-insensitive substring match).
pub fn select_sections(doc: &mut Document, include: &[String], exclude: &[String]) {
    let matches = |item: &Item, patterns: &[String]| {
        item.headings().iter().any(|h| {
            let t = h.text.to_lowercase();
            patterns.iter().any(|p| t.contains(&p.to_lowercase()))
        })
    };
    doc.items.retain(|item| (include.is_empty() || matches(item, include)) && !matches(item, exclude));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        scan("t.md".into(), text)
    }

    #[test]
    fn fenced_blocks_keep_lines_language_and_headings() {
        let d = doc("# 스키마\n\n## 1. users 테이블\n\n```sql\nCREATE TABLE users (\n  id INT\n);\n```\n");
        let Item::Block(b) = &d.items[2] else { panic!("{:?}", d.items) };
        assert_eq!(b.lang, BlockLang::Sql(None));
        assert_eq!(b.fence_line, 5);
        assert_eq!(b.first_line, 6);
        assert_eq!(b.content, "CREATE TABLE users (\n  id INT\n);\n");
        assert_eq!(b.headings.iter().map(|h| h.text.as_str()).collect::<Vec<_>>(), ["스키마", "1. users 테이블"]);
        assert_eq!(b.position(b.content.find("id").unwrap()), (7, 3));
    }

    #[test]
    fn crlf_bom_and_korean_do_not_move_positions() {
        let d = doc("\u{feff}# 제목\r\n\r\n설명 문단\r\n\r\n```postgresql\r\nCREATE TABLE t (a int);\r\n```\r\n");
        let Item::Block(b) = d.items.iter().find(|i| matches!(i, Item::Block(_))).unwrap() else { unreachable!() };
        assert_eq!(b.lang, BlockLang::Sql(Some(SqlFlavor::Postgres)));
        assert_eq!(b.first_line, 6);
        assert!(!b.content.contains('\r'));
        assert_eq!(b.preceding_text.as_deref(), Some("설명 문단"));
    }

    #[test]
    fn tables_have_cells_with_positions() {
        let d = doc("### users\n\n| 필드명 | 타입 |\n|---|---|\n| `id` | String(36) |\n| **email** | Text |\n");
        let Item::Table(t) = &d.items[1] else { panic!() };
        assert_eq!(t.header.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["필드명", "타입"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0][0].text, "id");
        assert_eq!(t.rows[0][0].line, 5);
        assert_eq!((t.rows[0][0].column, t.rows[0][1].column), (4, 10));
        assert_eq!(t.rows[1][0].text, "email");
        assert_eq!(t.rows[1][1].line, 6);
    }

    #[test]
    fn list_items_keep_code_spans_and_nested_items_are_separate() {
        let d = doc("### jobs 테이블\n- `idx_jobs_user_id` ON `user_id`\n- 상위\n  - 하위 항목\n");
        let items: Vec<&TextItem> =
            d.items.iter().filter_map(|i| if let Item::ListItem(t) = i { Some(t) } else { None }).collect();
        assert_eq!(items[0].code_spans, ["idx_jobs_user_id", "user_id"]);
        assert_eq!(items[0].line, 2);
        assert!(items.iter().any(|i| i.text == "하위 항목" && i.line == 4));
        assert!(items.iter().any(|i| i.text == "상위"));
    }

    #[test]
    fn ignore_marker_drops_the_next_block_and_unknown_markers_are_reported() {
        let d = doc("<!-- schemadoc:ignore -->\n```sql\nCREATE TABLE old (a int);\n```\n\n<!-- schemadoc:skip -->\n\n```sql\nCREATE TABLE new (a int);\n```\n");
        let blocks: Vec<_> = d.items.iter().filter(|i| matches!(i, Item::Block(_))).collect();
        assert_eq!(blocks.len(), 1);
        assert_eq!(d.diagnostics.len(), 1);
        assert_eq!(d.diagnostics[0].rule, "unknown-marker");
        assert_eq!(d.diagnostics[0].span.line, 6);
    }

    #[test]
    fn sections_can_be_selected_and_excluded() {
        let mut d = doc("# A\n```sql\nx\n```\n# B\n```sql\ny\n```\n");
        select_sections(&mut d, &[], &["b".to_string()]);
        let blocks: Vec<_> = d.items.iter().filter(|i| matches!(i, Item::Block(_))).collect();
        assert_eq!(blocks.len(), 1);
    }
}

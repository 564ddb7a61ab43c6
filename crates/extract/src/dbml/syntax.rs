//! The DBML language (dbml.dbdiagram.io): a forgiving parser over [`super::lex`] tokens that keeps
//! the file position of every name, reports each problem where it was written and goes on reading.

use super::lex::{lex, Pos, SyntaxError, Tok, Token};
use crate::scan::CodeBlock;

/// A name as written, with where it starts and how many characters it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ident {
    pub text: String,
    pub pos: Pos,
    pub len: u32,
}

/// A possibly schema-qualified name (`core.users`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QName {
    pub schema: Option<String>,
    pub name: Ident,
}

/// One entry of a `[…]` settings list: `pk`, `not null`, `default: 0`, `ref: > users.id`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Setting {
    /// The key, lower-cased, words joined by one space (`not null`, `primary key`).
    pub key: String,
    pub pos: Pos,
    pub len: u32,
    pub value: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Str(String),
    Num(String),
    /// A backtick expression (`` `now()` ``).
    Expr(String),
    /// Bare words (`cascade`, `set null`, `true`, `btree`), or a quoted name.
    Words(String),
    Color(String),
    Ref(RelOp, Endpoint),
}

impl Value {
    /// The text of a string, words or quoted value.
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::Words(s) | Value::Num(s) | Value::Expr(s) | Value::Color(s) => Some(s),
            Value::Ref(..) => None,
        }
    }
}

/// The relationship a `Ref` draws between its two ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RelOp {
    /// `>`: many-to-one, the left end references the right.
    ManyToOne,
    /// `<`: one-to-many, the right end references the left.
    OneToMany,
    /// `-`: one-to-one.
    OneToOne,
    /// `<>`: many-to-many.
    ManyToMany,
}

/// One end of a relationship: `[schema.]table.column` or `[schema.]table.(a, b)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub table: QName,
    pub columns: Vec<Ident>,
    pub pos: Pos,
    pub len: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub name: Ident,
    /// The type as written (`varchar(255)`, `int[]`, `core.status`), quotes removed.
    pub ty: Ident,
    pub settings: Vec<Setting>,
}

#[derive(Debug, Clone)]
pub(crate) enum IndexKey {
    Column(Ident),
    Expr(Ident),
}

#[derive(Debug, Clone)]
pub(crate) struct IndexDef {
    pub keys: Vec<IndexKey>,
    pub pos: Pos,
    pub settings: Vec<Setting>,
}

#[derive(Debug, Clone)]
pub(crate) struct CheckDef {
    pub expr: String,
    pub pos: Pos,
    pub settings: Vec<Setting>,
}

#[derive(Debug, Clone)]
pub(crate) enum Member {
    Column(Column),
    Note(String),
    Indexes(Vec<IndexDef>),
    Checks(Vec<CheckDef>),
    /// `~partial_name`
    Inject(Ident),
}

/// `Table` or `TablePartial`.
#[derive(Debug, Clone)]
pub(crate) struct TableDecl {
    pub name: QName,
    pub alias: Option<Ident>,
    pub settings: Vec<Setting>,
    pub members: Vec<Member>,
}

#[derive(Debug, Clone)]
pub(crate) struct EnumValue {
    pub name: Ident,
    pub settings: Vec<Setting>,
}

#[derive(Debug, Clone)]
pub(crate) struct RefDecl {
    pub name: Option<Ident>,
    pub left: Endpoint,
    pub op: RelOp,
    pub op_pos: Pos,
    pub right: Endpoint,
    pub settings: Vec<Setting>,
}

#[derive(Debug, Clone)]
pub(crate) enum Element {
    Project {
        name: Option<Ident>,
        props: Vec<(Ident, Value)>,
    },
    Table(TableDecl),
    Partial(TableDecl),
    Enum {
        name: QName,
        values: Vec<EnumValue>,
    },
    Ref(RefDecl),
    Group {
        name: Ident,
        tables: Vec<QName>,
    },
    /// An element that holds no schema (`Records` sample data), with its keyword.
    Skipped(Ident),
}

/// What a block says, and what could not be read.
pub(crate) struct Parsed {
    pub elements: Vec<Element>,
    pub errors: Vec<SyntaxError>,
}

const TOP_KEYWORDS: &[&str] = &["table", "tablepartial", "enum", "ref", "tablegroup", "project", "note", "records"];

/// Parses one DBML block. Never fails: what cannot be read is an error, and reading goes on.
pub(crate) fn parse(block: &CodeBlock) -> Parsed {
    let mut errors = Vec::new();
    let toks = lex(block, &mut errors);
    let end = toks.last().map(|t| t.pos).unwrap_or(Pos { line: block.first_line, column: 1 + block.indent });
    let mut p = Parser { src: &block.content, toks: &toks, i: 0, errors, end };
    let mut elements = Vec::new();
    while let Some(t) = p.skip_blank() {
        let keyword = match &t.tok {
            Tok::Word(w) => w.to_ascii_lowercase(),
            _ => String::new(),
        };
        let pos = t.pos;
        let before = p.i;
        let element = match keyword.as_str() {
            "table" => {
                p.i += 1;
                p.table().map(Element::Table)
            }
            "tablepartial" => {
                p.i += 1;
                p.table().map(Element::Partial)
            }
            "enum" => {
                p.i += 1;
                p.enumeration()
            }
            "ref" => {
                p.i += 1;
                p.reference(&mut elements);
                None
            }
            "tablegroup" => {
                p.i += 1;
                p.group()
            }
            "project" => {
                p.i += 1;
                p.project()
            }
            "note" | "records" => {
                // A sticky note is prose on the diagram; `Records` is sample data.
                let word = p.ident();
                p.skip_statement();
                word.filter(|_| keyword == "records").map(Element::Skipped)
            }
            _ => {
                let found = t.tok.describe();
                p.error_at(
                    pos,
                    t.end - t.start,
                    format!(
                        "expected `Table`, `Ref`, `Enum`, `TableGroup`, `TablePartial` or `Project`, found {found}"
                    ),
                );
                p.skip_statement();
                None
            }
        };
        elements.extend(element);
        if p.i == before {
            p.i += 1;
        }
    }
    Parsed { elements, errors: p.errors }
}

struct Parser<'a> {
    src: &'a str,
    toks: &'a [Token],
    i: usize,
    errors: Vec<SyntaxError>,
    end: Pos,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.toks.get(self.i)
    }

    fn peek_tok(&self) -> Option<&'a Tok> {
        self.peek().map(|t| &t.tok)
    }

    fn peek_at(&self, k: usize) -> Option<&'a Tok> {
        self.toks.get(self.i + k).map(|t| &t.tok)
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek_tok() == Some(tok) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn here(&self) -> (Pos, u32) {
        match self.peek() {
            Some(t) => (t.pos, self.src[t.start..t.end].chars().count().max(1) as u32),
            None => (self.end, 0),
        }
    }

    fn found(&self) -> String {
        self.peek_tok().map_or_else(|| "the end of the block".into(), Tok::describe)
    }

    fn error_at(&mut self, pos: Pos, len: usize, message: String) {
        self.errors.push(SyntaxError { pos, len: len as u32, message });
    }

    /// An error at the current token: "expected X, found Y".
    fn expected(&mut self, what: &str) {
        let (pos, len) = self.here();
        let message = format!("expected {what}, found {}", self.found());
        self.errors.push(SyntaxError { pos, len, message });
    }

    /// Skips newlines and `;`, returning the next token.
    fn skip_blank(&mut self) -> Option<&'a Token> {
        while matches!(self.peek_tok(), Some(Tok::Newline | Tok::Semi)) {
            self.i += 1;
        }
        self.peek()
    }

    fn skip_newlines(&mut self) {
        while self.eat(&Tok::Newline) {}
    }

    fn at_line_end(&self) -> bool {
        matches!(self.peek_tok(), None | Some(Tok::Newline | Tok::RBrace | Tok::Semi))
    }

    /// Skips to the end of the line; a `{` on the way is skipped with everything up to its `}`.
    fn skip_statement(&mut self) {
        let mut depth = 0usize;
        while let Some(t) = self.peek_tok() {
            match t {
                Tok::Newline | Tok::Semi if depth == 0 => break,
                Tok::LBrace => depth += 1,
                Tok::RBrace if depth == 0 => break,
                Tok::RBrace => {
                    depth -= 1;
                    if depth == 0 {
                        self.i += 1;
                        break;
                    }
                }
                _ => {}
            }
            self.i += 1;
        }
    }

    /// Skips the rest of a line inside a block, leaving a closing `}` in place.
    fn skip_line(&mut self) {
        while !matches!(self.peek_tok(), None | Some(Tok::Newline | Tok::RBrace)) {
            self.i += 1;
        }
    }

    /// A word or quoted name.
    fn ident(&mut self) -> Option<Ident> {
        let t = self.peek()?;
        let text = match &t.tok {
            Tok::Word(w) | Tok::Num(w) => w.clone(),
            Tok::Quoted(q) => q.clone(),
            _ => return None,
        };
        self.i += 1;
        Some(Ident { text, pos: t.pos, len: self.src[t.start..t.end].chars().count() as u32 })
    }

    /// `name` or `schema.name`.
    fn qname(&mut self) -> Option<QName> {
        let first = self.ident()?;
        if self.peek_tok() == Some(&Tok::Dot) && matches!(self.peek_at(1), Some(Tok::Word(_) | Tok::Quoted(_))) {
            self.i += 1;
            let second = self.ident()?;
            let len = second.pos.column.saturating_sub(first.pos.column) + second.len;
            return Some(QName {
                schema: Some(first.text),
                name: Ident { text: second.text, pos: first.pos, len: len.max(second.len) },
            });
        }
        Some(QName { schema: None, name: first })
    }

    /// An opening `{` (possibly on the next line); reports its absence.
    fn open_brace(&mut self, after: &str) -> Option<Pos> {
        let save = self.i;
        self.skip_newlines();
        if let Some(t) = self.peek().filter(|t| t.tok == Tok::LBrace) {
            self.i += 1;
            return Some(t.pos);
        }
        self.i = save;
        self.expected(&format!("`{{` after {after}"));
        self.skip_statement();
        None
    }

    /// Whether the current line starts a top-level element (`Table x {`): a sign that the
    /// enclosing block was not closed.
    fn at_top_level_element(&self) -> bool {
        let Some(Tok::Word(w)) = self.peek_tok() else { return false };
        let lower = w.to_ascii_lowercase();
        if !TOP_KEYWORDS.contains(&lower.as_str()) || lower == "note" {
            return false;
        }
        let mut k = 1;
        while let Some(t) = self.peek_at(k) {
            match t {
                Tok::Newline => return false,
                Tok::LBrace => return true,
                Tok::Colon if lower == "ref" => return true,
                _ => k += 1,
            }
        }
        false
    }

    /// Reads members up to the closing `}` of a block opened at `open`, calling `member` for each
    /// line. Reports a missing `}`.
    fn body(&mut self, open: Pos, what: &str, mut member: impl FnMut(&mut Self)) {
        loop {
            let Some(t) = self.skip_blank() else {
                self.error_at(open, 1, format!("{what} is not closed: `}}` missing"));
                return;
            };
            if t.tok == Tok::RBrace {
                self.i += 1;
                return;
            }
            if self.at_top_level_element() {
                self.error_at(open, 1, format!("{what} is not closed: `}}` missing before line {}", t.pos.line));
                return;
            }
            let before = self.i;
            member(self);
            if self.i == before {
                self.i += 1;
            }
        }
    }

    /// After a member: anything left on the line is an error.
    fn end_of_member(&mut self) {
        if !self.at_line_end() {
            self.expected("the end of the line");
            self.skip_line();
        }
    }

    fn table(&mut self) -> Option<TableDecl> {
        let Some(name) = self.qname() else {
            self.expected("a table name");
            self.skip_statement();
            return None;
        };
        let mut alias = None;
        if matches!(self.peek_tok(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case("as")) {
            self.i += 1;
            alias = self.ident();
            if alias.is_none() {
                self.expected("an alias after `as`");
            }
        }
        let settings = if self.peek_tok() == Some(&Tok::LBracket) { self.settings() } else { Vec::new() };
        let open = self.open_brace(&format!("table `{}`", name.name.text))?;
        let mut members = Vec::new();
        let what = format!("table `{}`", name.name.text);
        self.body(open, &what, |p| {
            if let Some(m) = p.table_member() {
                members.push(m);
            }
        });
        Some(TableDecl { name, alias, settings, members })
    }

    fn table_member(&mut self) -> Option<Member> {
        let t = self.peek()?;
        if t.tok == Tok::Tilde {
            self.i += 1;
            let name = self.ident();
            if name.is_none() {
                self.expected("a partial name after `~`");
            }
            self.end_of_member();
            return name.map(Member::Inject);
        }
        if let Tok::Word(w) = &t.tok {
            let lower = w.to_ascii_lowercase();
            let next = self.peek_at(1);
            match lower.as_str() {
                "note" if matches!(next, Some(Tok::Colon | Tok::LBrace)) => {
                    self.i += 1;
                    return self.note().map(Member::Note);
                }
                "indexes" if matches!(next, Some(Tok::LBrace | Tok::Newline)) => {
                    self.i += 1;
                    let open = self.open_brace("`Indexes`")?;
                    let mut defs = Vec::new();
                    self.body(open, "`Indexes`", |p| defs.extend(p.index_def()));
                    return Some(Member::Indexes(defs));
                }
                "checks" if matches!(next, Some(Tok::LBrace | Tok::Newline)) => {
                    self.i += 1;
                    let open = self.open_brace("`Checks`")?;
                    let mut defs = Vec::new();
                    self.body(open, "`Checks`", |p| defs.extend(p.check_def()));
                    return Some(Member::Checks(defs));
                }
                _ => {}
            }
        }
        self.column().map(Member::Column)
    }

    /// `Note: 'text'` or `Note { 'text' }`, after the keyword.
    fn note(&mut self) -> Option<String> {
        if self.eat(&Tok::Colon) {
            let text = self.string();
            self.end_of_member();
            return text;
        }
        let open = self.open_brace("`Note`")?;
        let mut text = None;
        self.body(open, "`Note`", |p| {
            let s = p.string();
            text = text.take().or(s);
            p.end_of_member();
        });
        text
    }

    fn string(&mut self) -> Option<String> {
        match self.peek_tok() {
            Some(Tok::Str(s)) => {
                self.i += 1;
                Some(s.clone())
            }
            _ => {
                self.expected("a string");
                self.skip_line();
                None
            }
        }
    }

    fn column(&mut self) -> Option<Column> {
        let Some(name) = self.ident() else {
            self.expected("a column, `Indexes`, `Note` or `}`");
            self.skip_line();
            return None;
        };
        let Some(ty) = self.column_type() else {
            let (pos, len) = self.here();
            let message = format!("column `{}` has no type; it is left out", name.text);
            self.errors.push(SyntaxError { pos, len, message });
            self.skip_line();
            return None;
        };
        let settings = if self.peek_tok() == Some(&Tok::LBracket) { self.settings() } else { Vec::new() };
        self.end_of_member();
        Some(Column { name, ty, settings })
    }

    /// A column type: `"quoted type"`, or words with `(args)` and `[]` (`decimal(10,2)`,
    /// `int[]`, `core.status`, and, forgivingly, `double precision`).
    fn column_type(&mut self) -> Option<Ident> {
        let first = self.peek()?;
        if let Tok::Quoted(q) = &first.tok {
            self.i += 1;
            let mut text = q.clone();
            let mut end = first.end;
            while self.peek_tok() == Some(&Tok::LBracket) && self.peek_at(1) == Some(&Tok::RBracket) {
                end = self.toks[self.i + 1].end;
                self.i += 2;
                text.push_str("[]");
            }
            let len = self.src[first.start..end].chars().count() as u32;
            return Some(Ident { text, pos: first.pos, len });
        }
        if !matches!(first.tok, Tok::Word(_)) {
            return None;
        }
        let start = first.start;
        let mut end = first.end;
        self.i += 1;
        loop {
            match self.peek_tok() {
                Some(Tok::Dot) if matches!(self.peek_at(1), Some(Tok::Word(_))) => {
                    end = self.toks[self.i + 1].end;
                    self.i += 2;
                }
                Some(Tok::LParen) => {
                    let open = self.toks[self.i].pos;
                    let mut depth = 0usize;
                    while let Some(t) = self.peek() {
                        match t.tok {
                            Tok::LParen => depth += 1,
                            Tok::RParen => depth = depth.saturating_sub(1),
                            Tok::Newline | Tok::LBracket | Tok::RBrace => break,
                            _ => {}
                        }
                        end = t.end;
                        self.i += 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    if depth > 0 {
                        self.error_at(open, 1, "unclosed `(` in a column type".into());
                    }
                }
                Some(Tok::LBracket) if self.peek_at(1) == Some(&Tok::RBracket) => {
                    end = self.toks[self.i + 1].end;
                    self.i += 2;
                }
                Some(Tok::Word(_)) => {
                    end = self.toks[self.i].end;
                    self.i += 1;
                }
                _ => break,
            }
        }
        let text = self.src[start..end].to_string();
        Some(Ident { len: text.chars().count() as u32, text, pos: first.pos })
    }

    /// `[a, b: c, …]`. Newlines may follow `[` and `,`; a line that ends inside the list
    /// otherwise closes it (and is reported), so one missing `]` does not swallow the block.
    fn settings(&mut self) -> Vec<Setting> {
        let open = self.toks[self.i].pos;
        self.i += 1;
        let mut out = Vec::new();
        loop {
            self.skip_newlines();
            match self.peek_tok() {
                Some(Tok::RBracket) => {
                    self.i += 1;
                    return out;
                }
                None | Some(Tok::RBrace) => {
                    self.error_at(open, 1, "unclosed `[`: `]` missing".into());
                    return out;
                }
                _ => {}
            }
            match self.setting() {
                Some(s) => out.push(s),
                None => {
                    while !matches!(
                        self.peek_tok(),
                        None | Some(Tok::Comma | Tok::RBracket | Tok::Newline | Tok::RBrace)
                    ) {
                        self.i += 1;
                    }
                }
            }
            match self.peek_tok() {
                Some(Tok::Comma) => self.i += 1,
                Some(Tok::RBracket) => {}
                Some(Tok::Newline) if matches!(self.next_significant(), Some(Tok::RBracket)) => {}
                Some(Tok::Newline) | None | Some(Tok::RBrace) => {
                    self.error_at(open, 1, "unclosed `[`: `]` missing before the end of the line".into());
                    return out;
                }
                _ => {
                    self.expected("`,` or `]`");
                    while !matches!(
                        self.peek_tok(),
                        None | Some(Tok::Comma | Tok::RBracket | Tok::Newline | Tok::RBrace)
                    ) {
                        self.i += 1;
                    }
                    self.eat(&Tok::Comma);
                }
            }
        }
    }

    fn next_significant(&self) -> Option<&'a Tok> {
        self.toks[self.i..].iter().map(|t| &t.tok).find(|t| **t != Tok::Newline)
    }

    fn setting(&mut self) -> Option<Setting> {
        let start = self.peek()?;
        let mut words = Vec::new();
        let mut end = start.end;
        while let Some(Tok::Word(w)) = self.peek_tok() {
            words.push(w.to_ascii_lowercase());
            end = self.toks[self.i].end;
            self.i += 1;
        }
        if words.is_empty() {
            self.expected("a setting");
            return None;
        }
        let key = words.join(" ");
        let len = self.src[start.start..end].chars().count() as u32;
        let value = if self.eat(&Tok::Colon) {
            if key == "ref" {
                let op = self.rel_op()?;
                Some(Value::Ref(op.0, self.endpoint()?))
            } else {
                let v = self.value();
                if v.is_none() {
                    self.expected(&format!("a value for `{key}`"));
                }
                v
            }
        } else {
            None
        };
        Some(Setting { key, pos: start.pos, len, value })
    }

    fn value(&mut self) -> Option<Value> {
        let t = self.peek()?;
        let v = match &t.tok {
            Tok::Str(s) => Value::Str(s.clone()),
            Tok::Num(n) => Value::Num(n.clone()),
            Tok::Expr(e) => Value::Expr(e.clone()),
            Tok::Color(c) => Value::Color(c.clone()),
            Tok::Quoted(q) => Value::Words(q.clone()),
            Tok::Minus => match self.peek_at(1) {
                Some(Tok::Num(n)) => {
                    self.i += 1;
                    Value::Num(format!("-{n}"))
                }
                _ => return None,
            },
            Tok::Word(_) => {
                let mut words = Vec::new();
                while let Some(Tok::Word(w)) = self.peek_tok() {
                    words.push(w.clone());
                    self.i += 1;
                }
                return Some(Value::Words(words.join(" ")));
            }
            _ => return None,
        };
        self.i += 1;
        Some(v)
    }

    fn rel_op(&mut self) -> Option<(RelOp, Pos)> {
        let t = self.peek();
        let op = match t.map(|t| &t.tok) {
            Some(Tok::Gt) => RelOp::ManyToOne,
            Some(Tok::Lt) => RelOp::OneToMany,
            Some(Tok::Minus) => RelOp::OneToOne,
            Some(Tok::LtGt) => RelOp::ManyToMany,
            _ => {
                self.expected("a relationship `>`, `<`, `-` or `<>`");
                return None;
            }
        };
        self.i += 1;
        Some((op, t.map(|t| t.pos).unwrap_or_default()))
    }

    /// `[schema.]table.column` or `[schema.]table.(a, b)`.
    fn endpoint(&mut self) -> Option<Endpoint> {
        let start = self.peek()?;
        let mut parts: Vec<Ident> = Vec::new();
        let mut columns: Option<Vec<Ident>> = None;
        loop {
            if self.peek_tok() == Some(&Tok::LParen) && !parts.is_empty() {
                self.i += 1;
                let mut cols = Vec::new();
                loop {
                    match self.ident() {
                        Some(c) => cols.push(c),
                        None => {
                            self.expected("a column name");
                            break;
                        }
                    }
                    if !self.eat(&Tok::Comma) {
                        break;
                    }
                }
                if !self.eat(&Tok::RParen) {
                    self.expected("`)`");
                    return None;
                }
                columns = Some(cols);
                break;
            }
            match self.ident() {
                Some(part) => parts.push(part),
                None => {
                    self.expected("`table.column`");
                    return None;
                }
            }
            if !self.eat(&Tok::Dot) {
                break;
            }
        }
        let end = self.toks[self.i - 1].end;
        let len = self.src[start.start..end].chars().count() as u32;
        let columns = match columns {
            Some(c) => c,
            None if parts.len() >= 2 => parts.pop().into_iter().collect(),
            None => {
                self.error_at(start.pos, len as usize, "expected `table.column`, found a name alone".into());
                return None;
            }
        };
        if parts.len() > 2 {
            self.error_at(start.pos, len as usize, "expected `[schema.]table.column`: too many `.` parts".into());
            return None;
        }
        let name = parts.pop()?;
        let schema = parts.pop().map(|s| s.text);
        Some(Endpoint { table: QName { schema, name }, columns, pos: start.pos, len })
    }

    fn enumeration(&mut self) -> Option<Element> {
        let Some(name) = self.qname() else {
            self.expected("an enum name");
            self.skip_statement();
            return None;
        };
        let open = self.open_brace(&format!("enum `{}`", name.name.text))?;
        let mut values = Vec::new();
        self.body(open, &format!("enum `{}`", name.name.text), |p| match p.ident() {
            Some(v) => {
                let settings = if p.peek_tok() == Some(&Tok::LBracket) { p.settings() } else { Vec::new() };
                p.end_of_member();
                values.push(EnumValue { name: v, settings });
            }
            None => {
                p.expected("an enum value");
                p.skip_line();
            }
        });
        Some(Element::Enum { name, values })
    }

    /// `Ref name?: a > b [settings]` or `Ref name? { a > b … }`; every relationship read is pushed.
    fn reference(&mut self, out: &mut Vec<Element>) {
        let name = if matches!(self.peek_tok(), Some(Tok::Word(_) | Tok::Quoted(_))) { self.ident() } else { None };
        if self.eat(&Tok::Colon) {
            if let Some(r) = self.relationship(name) {
                out.push(Element::Ref(r));
            }
            if !self.at_line_end() {
                self.expected("the end of the line");
                self.skip_statement();
            }
            return;
        }
        let Some(open) = self.open_brace("`Ref`") else { return };
        self.body(open, "`Ref`", |p| {
            if let Some(r) = p.relationship(name.clone()) {
                out.push(Element::Ref(r));
            }
            p.end_of_member();
        });
    }

    fn relationship(&mut self, name: Option<Ident>) -> Option<RefDecl> {
        let r = (|| {
            let left = self.endpoint()?;
            let (op, op_pos) = self.rel_op()?;
            let right = self.endpoint()?;
            let settings = if self.peek_tok() == Some(&Tok::LBracket) { self.settings() } else { Vec::new() };
            Some(RefDecl { name, left, op, op_pos, right, settings })
        })();
        if r.is_none() {
            self.skip_line();
        }
        r
    }

    fn group(&mut self) -> Option<Element> {
        let Some(name) = self.ident() else {
            self.expected("a table group name");
            self.skip_statement();
            return None;
        };
        if self.peek_tok() == Some(&Tok::LBracket) {
            self.settings();
        }
        let open = self.open_brace(&format!("table group `{}`", name.text))?;
        let mut tables = Vec::new();
        self.body(open, &format!("table group `{}`", name.text), |p| {
            if matches!(p.peek_tok(), Some(Tok::Word(w)) if w.eq_ignore_ascii_case("note"))
                && matches!(p.peek_at(1), Some(Tok::Colon | Tok::LBrace))
            {
                p.i += 1;
                p.note();
                return;
            }
            match p.qname() {
                Some(t) => tables.push(t),
                None => {
                    p.expected("a table name");
                    p.skip_line();
                }
            }
            p.end_of_member();
        });
        Some(Element::Group { name, tables })
    }

    fn project(&mut self) -> Option<Element> {
        let name = if matches!(self.peek_tok(), Some(Tok::Word(_) | Tok::Quoted(_))) { self.ident() } else { None };
        let open = self.open_brace("`Project`")?;
        let mut props = Vec::new();
        self.body(open, "`Project`", |p| {
            let Some(key) = p.ident() else {
                p.expected("a `key: value` line");
                p.skip_line();
                return;
            };
            if key.text.eq_ignore_ascii_case("note") && p.peek_tok() == Some(&Tok::LBrace) {
                if let Some(n) = p.note() {
                    props.push((key, Value::Str(n)));
                }
                return;
            }
            if !p.eat(&Tok::Colon) {
                p.expected("`:`");
                p.skip_line();
                return;
            }
            match p.value() {
                Some(v) => props.push((key, v)),
                None => p.expected("a value"),
            }
            p.end_of_member();
        });
        Some(Element::Project { name, props })
    }

    /// One line of `Indexes { … }`: `col`, `(a, b)`, `` `expr` `` or `(a, `expr`)`, then settings.
    fn index_def(&mut self) -> Option<IndexDef> {
        let pos = self.peek()?.pos;
        let mut keys = Vec::new();
        if self.eat(&Tok::LParen) {
            loop {
                match self.index_key() {
                    Some(k) => keys.push(k),
                    None => {
                        self.expected("a column or `` `expression` ``");
                        self.skip_line();
                        return None;
                    }
                }
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
            if !self.eat(&Tok::RParen) {
                self.expected("`)`");
                self.skip_line();
                return None;
            }
        } else {
            match self.index_key() {
                Some(k) => keys.push(k),
                None => {
                    self.expected("an index: a column, `(a, b)` or `` `expression` ``");
                    self.skip_line();
                    return None;
                }
            }
        }
        let settings = if self.peek_tok() == Some(&Tok::LBracket) { self.settings() } else { Vec::new() };
        self.end_of_member();
        Some(IndexDef { keys, pos, settings })
    }

    fn index_key(&mut self) -> Option<IndexKey> {
        self.skip_newlines();
        let t = self.peek()?;
        if let Tok::Expr(e) = &t.tok {
            self.i += 1;
            let len = self.src[t.start..t.end].chars().count() as u32;
            return Some(IndexKey::Expr(Ident { text: e.clone(), pos: t.pos, len }));
        }
        self.ident().map(IndexKey::Column)
    }

    fn check_def(&mut self) -> Option<CheckDef> {
        let t = self.peek()?;
        let Tok::Expr(e) = &t.tok else {
            self.expected("a check `` `expression` ``");
            self.skip_line();
            return None;
        };
        self.i += 1;
        let settings = if self.peek_tok() == Some(&Tok::LBracket) { self.settings() } else { Vec::new() };
        self.end_of_member();
        Some(CheckDef { expr: e.clone(), pos: t.pos, settings })
    }
}

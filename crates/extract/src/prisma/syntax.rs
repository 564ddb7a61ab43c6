//! The Prisma schema language: a lexer and a forgiving parser that keeps the file position of
//! every name, so that each problem is reported where it was written and parsing goes on.

use crate::scan::CodeBlock;

/// A place in the markdown file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Pos {
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(String),
    At,
    AtAt,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Colon,
    Equals,
    Question,
    Dot,
    /// `/// text`
    DocComment(String),
    /// `// text`
    Comment(String),
    Newline,
    /// A string literal without its closing quote.
    Unterminated(String),
    Unknown(char),
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Str(s) | Tok::Unterminated(s) => format!("\"{s}\""),
            Tok::Num(s) => format!("`{s}`"),
            Tok::At => "`@`".into(),
            Tok::AtAt => "`@@`".into(),
            Tok::LBrace => "`{`".into(),
            Tok::RBrace => "`}`".into(),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Colon => "`:`".into(),
            Tok::Equals => "`=`".into(),
            Tok::Question => "`?`".into(),
            Tok::Dot => "`.`".into(),
            Tok::DocComment(_) | Tok::Comment(_) => "a comment".into(),
            Tok::Newline => "the end of the line".into(),
            Tok::Unknown(c) => format!("`{c}`"),
        }
    }
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    pos: Pos,
    /// Byte range in the block content.
    start: usize,
    end: usize,
}

/// Splits a block's content into tokens, tracking file positions as it goes.
fn lex(block: &CodeBlock) -> Vec<Token> {
    let src = block.content.as_str();
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    let mut line = block.first_line;
    let mut column = 1 + block.indent;
    // Advances over one char, keeping line/column.
    macro_rules! bump {
        () => {{
            let next = chars.next();
            if let Some((_, c)) = next {
                if c == '\n' {
                    line += 1;
                    column = 1 + block.indent;
                } else {
                    column += 1;
                }
            }
            next
        }};
    }
    while let Some(&(start, c)) = chars.peek() {
        let pos = Pos { line, column };
        let simple = match c {
            '\n' => Some(Tok::Newline),
            '@' => None,
            '{' => Some(Tok::LBrace),
            '}' => Some(Tok::RBrace),
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            '[' => Some(Tok::LBracket),
            ']' => Some(Tok::RBracket),
            ',' => Some(Tok::Comma),
            ':' => Some(Tok::Colon),
            '=' => Some(Tok::Equals),
            '?' => Some(Tok::Question),
            '.' => Some(Tok::Dot),
            _ => None,
        };
        if let Some(tok) = simple {
            bump!();
            out.push(Token { tok, pos, start, end: start + 1 });
            continue;
        }
        if c.is_whitespace() {
            bump!();
            continue;
        }
        let tok = if c == '@' {
            bump!();
            if chars.peek().map(|&(_, c)| c) == Some('@') {
                bump!();
                Tok::AtAt
            } else {
                Tok::At
            }
        } else if c == '/' && src[start..].starts_with("//") {
            let doc = src[start..].starts_with("///");
            let mut text = String::new();
            while let Some(&(_, c)) = chars.peek() {
                if c == '\n' {
                    break;
                }
                text.push(c);
                bump!();
            }
            let body = text.trim_start_matches('/').trim().to_string();
            if doc {
                Tok::DocComment(body)
            } else {
                Tok::Comment(body)
            }
        } else if c == '"' {
            bump!();
            let mut text = String::new();
            let mut closed = false;
            while let Some(&(_, c)) = chars.peek() {
                match c {
                    '\n' => break,
                    '"' => {
                        bump!();
                        closed = true;
                        break;
                    }
                    '\\' => {
                        bump!();
                        match chars.peek().map(|&(_, c)| c) {
                            Some('n') => text.push('\n'),
                            Some('t') => text.push('\t'),
                            Some('\n') | None => continue,
                            Some(other) => text.push(other),
                        }
                        bump!();
                    }
                    _ => {
                        text.push(c);
                        bump!();
                    }
                }
            }
            if closed {
                Tok::Str(text)
            } else {
                Tok::Unterminated(text)
            }
        } else if c.is_ascii_digit() || (c == '-' && src[start + 1..].starts_with(|d: char| d.is_ascii_digit())) {
            let mut text = String::new();
            text.push(c);
            bump!();
            while let Some(&(_, c)) = chars.peek() {
                if c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' {
                    text.push(c);
                    bump!();
                } else {
                    break;
                }
            }
            Tok::Num(text)
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut text = String::new();
            while let Some(&(_, c)) = chars.peek() {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    text.push(c);
                    bump!();
                } else {
                    break;
                }
            }
            Tok::Ident(text)
        } else {
            bump!();
            Tok::Unknown(c)
        };
        let end = chars.peek().map(|&(i, _)| i).unwrap_or(src.len());
        out.push(Token { tok, pos, start, end });
    }
    out
}

/// The kind of a top-level block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DeclKind {
    Model,
    View,
    /// A MongoDB composite type.
    Type,
    Enum,
    Datasource,
    Generator,
}

impl DeclKind {
    fn parse(word: &str) -> Option<DeclKind> {
        Some(match word {
            "model" => DeclKind::Model,
            "view" => DeclKind::View,
            "type" => DeclKind::Type,
            "enum" => DeclKind::Enum,
            "datasource" => DeclKind::Datasource,
            "generator" => DeclKind::Generator,
            _ => return None,
        })
    }

    pub fn keyword(self) -> &'static str {
        match self {
            DeclKind::Model => "model",
            DeclKind::View => "view",
            DeclKind::Type => "type",
            DeclKind::Enum => "enum",
            DeclKind::Datasource => "datasource",
            DeclKind::Generator => "generator",
        }
    }
}

/// A top-level block: `model User { … }`.
#[derive(Debug, Clone)]
pub(super) struct Decl {
    pub kind: DeclKind,
    pub name: String,
    pub name_pos: Pos,
    pub members: Vec<Member>,
    /// The `///` comment above the block.
    pub doc: Option<String>,
}

/// One line of a block body.
#[derive(Debug, Clone)]
pub(super) enum Member {
    Field(Field),
    /// A block attribute (`@@index([…])`).
    Attr(Attr),
    /// `key = value` in a datasource or generator.
    Assign {
        key: String,
        value: Expr,
    },
}

/// A model field or an enum value (an enum value has no type).
#[derive(Debug, Clone)]
pub(super) struct Field {
    pub name: String,
    pub pos: Pos,
    pub ty: Option<FieldType>,
    pub attrs: Vec<Attr>,
    /// The `///` comment above the field or the `//` comment after it.
    pub comment: Option<String>,
}

#[derive(Debug, Clone)]
pub(super) struct FieldType {
    /// `String`, `User`, or `Unsupported`.
    pub name: String,
    pub pos: Pos,
    pub list: bool,
    pub optional: bool,
    /// The SQL text of `Unsupported("vector(1536)")`.
    pub unsupported: Option<String>,
    /// The type as written, without `?` (`String[]`, `Unsupported("vector(1536)")`).
    pub text: String,
}

/// `@name(args)` or `@@name(args)`; `name` joins dotted parts (`db.VarChar`).
#[derive(Debug, Clone)]
pub(super) struct Attr {
    pub name: String,
    pub pos: Pos,
    pub args: Vec<Arg>,
    /// The attribute as written (`@db.VarChar(100)`).
    pub text: String,
}

impl Attr {
    /// The argument called `name`, or else the positional argument at `index`.
    pub fn arg(&self, name: &str, index: Option<usize>) -> Option<&Expr> {
        self.args
            .iter()
            .find(|a| a.name.as_deref() == Some(name))
            .map(|a| &a.value)
            .or_else(|| index.and_then(|i| self.args.iter().filter(|a| a.name.is_none()).nth(i)).map(|a| &a.value))
    }
}

#[derive(Debug, Clone)]
pub(super) struct Arg {
    pub name: Option<String>,
    pub value: Expr,
}

#[derive(Debug, Clone)]
pub(super) struct Expr {
    pub kind: ExprKind,
    pub pos: Pos,
    /// The expression as written.
    pub text: String,
}

#[derive(Debug, Clone)]
pub(super) enum ExprKind {
    Str(String),
    Num(String),
    Ident(String),
    Call { name: String, args: Vec<Arg> },
    Array(Vec<Expr>),
}

impl Expr {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_ident(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::Ident(s) => Some(s),
            _ => None,
        }
    }

    /// The elements of an array, or the expression itself.
    pub fn elements(&self) -> Vec<&Expr> {
        match &self.kind {
            ExprKind::Array(items) => items.iter().collect(),
            _ => vec![self],
        }
    }
}

/// A problem found while parsing.
#[derive(Debug, Clone)]
pub(super) struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// The declarations of one block and the syntax errors in it.
pub(super) struct Parsed {
    pub decls: Vec<Decl>,
    pub errors: Vec<SyntaxError>,
}

/// Parses one ```prisma block. Never fails: unreadable lines become errors and are skipped.
pub(super) fn parse(block: &CodeBlock) -> Parsed {
    let tokens = lex(block);
    let mut p = Parser { src: &block.content, tokens, i: 0, errors: Vec::new(), end: Pos::default() };
    p.end = p.tokens.last().map(|t| t.pos).unwrap_or(Pos { line: block.first_line, column: 1 + block.indent });
    let decls = p.file();
    Parsed { decls, errors: p.errors }
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    i: usize,
    errors: Vec<SyntaxError>,
    end: Pos,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.i).map(|t| &t.tok)
    }

    fn pos(&self) -> Pos {
        self.tokens.get(self.i).map(|t| t.pos).unwrap_or(self.end)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.i).cloned();
        if t.is_some() {
            self.i += 1;
        }
        t
    }

    fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.errors.push(SyntaxError { pos, message: message.into() });
    }

    /// Reports the current token as unexpected.
    fn unexpected(&mut self, wanted: &str) {
        let pos = self.pos();
        let found = self.peek().map(Tok::describe).unwrap_or_else(|| "the end of the block".into());
        self.error(pos, format!("expected {wanted}, found {found}"));
    }

    /// Skips to the next newline (not consuming it), stepping over bracketed groups.
    fn skip_line(&mut self) {
        while let Some(t) = self.peek() {
            match t {
                Tok::Newline => break,
                Tok::RBrace => break,
                _ => {
                    self.i += 1;
                }
            }
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline | Tok::Comment(_))) {
            self.i += 1;
        }
    }

    fn file(&mut self) -> Vec<Decl> {
        let mut decls = Vec::new();
        let mut doc: Vec<String> = Vec::new();
        while let Some(tok) = self.peek().cloned() {
            match tok {
                Tok::Newline => {
                    self.i += 1;
                }
                Tok::Comment(_) => {
                    self.i += 1;
                    doc.clear();
                }
                Tok::DocComment(text) => {
                    self.i += 1;
                    doc.push(text);
                }
                Tok::Ident(word) if DeclKind::parse(&word).is_some() => {
                    let kind = DeclKind::parse(&word).unwrap_or(DeclKind::Model);
                    self.i += 1;
                    let docs = std::mem::take(&mut doc);
                    if let Some(decl) = self.decl(kind, docs) {
                        decls.push(decl);
                    }
                }
                Tok::RBrace => {
                    let pos = self.pos();
                    self.error(pos, "unmatched `}`");
                    self.i += 1;
                }
                _ => {
                    self.unexpected("`model`, `enum`, `view`, `type`, `datasource` or `generator`");
                    self.skip_top_level_line();
                    doc.clear();
                }
            }
        }
        decls
    }

    /// Skips an unreadable top-level line, and the body it opens, if any.
    fn skip_top_level_line(&mut self) {
        let mut depth = 0i32;
        while let Some(t) = self.peek() {
            match t {
                Tok::LBrace => depth += 1,
                Tok::RBrace => {
                    depth -= 1;
                    if depth <= 0 {
                        self.i += 1;
                        return;
                    }
                }
                Tok::Newline if depth == 0 => return,
                _ => {}
            }
            self.i += 1;
        }
    }

    fn decl(&mut self, kind: DeclKind, doc: Vec<String>) -> Option<Decl> {
        let name_pos = self.pos();
        let name = match self.peek() {
            Some(Tok::Ident(n)) => {
                let n = n.clone();
                self.i += 1;
                n
            }
            _ => {
                self.unexpected(&format!("a name after `{}`", kind.keyword()));
                self.skip_top_level_line();
                return None;
            }
        };
        self.skip_newlines();
        if self.peek() != Some(&Tok::LBrace) {
            self.unexpected(&format!("`{{` to open {} `{name}`", kind.keyword()));
            self.skip_top_level_line();
            return None;
        }
        self.i += 1;
        let members = self.body(kind, &name, name_pos);
        let doc = (!doc.is_empty()).then(|| doc.join("\n"));
        Some(Decl { kind, name, name_pos, members, doc })
    }

    /// Reads members up to the closing `}` (consumed).
    fn body(&mut self, kind: DeclKind, name: &str, name_pos: Pos) -> Vec<Member> {
        let mut members = Vec::new();
        let mut doc: Vec<String> = Vec::new();
        loop {
            let Some(tok) = self.peek().cloned() else {
                self.error(name_pos, format!("{} `{name}` is not closed: `}}` is missing", kind.keyword()));
                return members;
            };
            match tok {
                Tok::RBrace => {
                    self.i += 1;
                    return members;
                }
                Tok::Newline => {
                    self.i += 1;
                }
                Tok::Comment(_) => {
                    self.i += 1;
                    doc.clear();
                }
                Tok::DocComment(text) => {
                    self.i += 1;
                    doc.push(text);
                }
                Tok::AtAt => {
                    if let Some(attr) = self.attr() {
                        members.push(Member::Attr(attr));
                    }
                    self.end_of_member();
                    doc.clear();
                }
                Tok::Ident(word) if matches!(kind, DeclKind::Datasource | DeclKind::Generator) => {
                    self.i += 1;
                    if self.peek() == Some(&Tok::Equals) {
                        self.i += 1;
                        if let Some(value) = self.expr() {
                            members.push(Member::Assign { key: word, value });
                        }
                    } else {
                        self.unexpected(&format!("`=` after `{word}`"));
                    }
                    self.end_of_member();
                }
                Tok::Ident(word) if DeclKind::parse(&word).is_some() && self.looks_like_decl() => {
                    // NOTE: a `model X {` inside a body means the previous `}` is missing.
                    self.error(name_pos, format!("{} `{name}` is not closed: `}}` is missing", kind.keyword()));
                    return members;
                }
                Tok::Ident(_) => {
                    let comment = std::mem::take(&mut doc);
                    if let Some(field) = self.field(kind, comment) {
                        members.push(Member::Field(field));
                    }
                }
                _ => {
                    self.unexpected("a field, `@@` attribute or `}`");
                    self.skip_line();
                    doc.clear();
                }
            }
        }
    }

    /// Whether the tokens at the cursor read `keyword Name {`.
    fn looks_like_decl(&self) -> bool {
        matches!(
            (self.tokens.get(self.i + 1).map(|t| &t.tok), self.tokens.get(self.i + 2).map(|t| &t.tok)),
            (Some(Tok::Ident(_)), Some(Tok::LBrace))
        )
    }

    /// After a member: a trailing comment is allowed, then the line must end.
    fn end_of_member(&mut self) -> Option<String> {
        let mut comment = None;
        if let Some(Tok::Comment(c) | Tok::DocComment(c)) = self.peek() {
            comment = Some(c.clone());
            self.i += 1;
        }
        match self.peek() {
            None | Some(Tok::Newline) | Some(Tok::RBrace) => {}
            Some(_) => {
                self.unexpected("the end of the line");
                self.skip_line();
            }
        }
        comment
    }

    fn field(&mut self, kind: DeclKind, doc: Vec<String>) -> Option<Field> {
        let name_tok = self.next()?;
        let Tok::Ident(name) = name_tok.tok else { return None };
        let pos = name_tok.pos;
        let mut ty = None;
        if kind != DeclKind::Enum {
            ty = self.field_type(&name);
            if ty.is_none() {
                self.skip_line();
                return None;
            }
        }
        let mut attrs = Vec::new();
        while self.peek() == Some(&Tok::At) {
            if let Some(a) = self.attr() {
                attrs.push(a);
            }
        }
        let trailing = self.end_of_member();
        let comment = trailing.or_else(|| (!doc.is_empty()).then(|| doc.join("\n")));
        Some(Field { name, pos, ty, attrs, comment })
    }

    fn field_type(&mut self, field: &str) -> Option<FieldType> {
        let pos = self.pos();
        let Some(Tok::Ident(name)) = self.peek().cloned() else {
            self.unexpected(&format!("a type for field `{field}`"));
            return None;
        };
        let start = self.tokens[self.i].start;
        self.i += 1;
        let mut unsupported = None;
        if name == "Unsupported" && self.peek() == Some(&Tok::LParen) {
            self.i += 1;
            match self.peek().cloned() {
                Some(Tok::Str(s)) => {
                    self.i += 1;
                    unsupported = Some(s);
                }
                _ => self.unexpected("a quoted SQL type in `Unsupported(…)`"),
            }
            if self.peek() == Some(&Tok::RParen) {
                self.i += 1;
            } else {
                self.unexpected("`)`");
                return None;
            }
        }
        let mut end = self.tokens[self.i - 1].end;
        let mut list = false;
        let mut optional = false;
        if self.peek() == Some(&Tok::LBracket) && self.tokens.get(self.i + 1).map(|t| &t.tok) == Some(&Tok::RBracket) {
            self.i += 2;
            list = true;
            end = self.tokens[self.i - 1].end;
        }
        if self.peek() == Some(&Tok::Question) {
            self.i += 1;
            optional = true;
        }
        let text = self.src.get(start..end).unwrap_or(&name).to_string();
        Some(FieldType { name, pos, list, optional, unsupported, text })
    }

    /// `@name…` or `@@name…` at the cursor.
    fn attr(&mut self) -> Option<Attr> {
        let at = self.next()?;
        let start = at.start;
        let mut name = String::new();
        loop {
            match self.peek().cloned() {
                Some(Tok::Ident(part)) => {
                    self.i += 1;
                    name.push_str(&part);
                }
                _ => {
                    self.unexpected("an attribute name");
                    return None;
                }
            }
            if self.peek() == Some(&Tok::Dot) {
                self.i += 1;
                name.push('.');
            } else {
                break;
            }
        }
        let mut args = Vec::new();
        if self.peek() == Some(&Tok::LParen) {
            self.i += 1;
            args = self.args(Tok::RParen)?;
        }
        let end = self.tokens[self.i - 1].end;
        let text = self.src.get(start..end).unwrap_or_default().to_string();
        Some(Attr { name, pos: at.pos, args, text })
    }

    /// Arguments up to `close` (consumed). On error, skips to the end of the line and gives `None`.
    fn args(&mut self, close: Tok) -> Option<Vec<Arg>> {
        let mut args = Vec::new();
        loop {
            self.skip_newlines();
            if self.peek() == Some(&close) {
                self.i += 1;
                return Some(args);
            }
            let named = match (self.peek(), self.tokens.get(self.i + 1).map(|t| &t.tok)) {
                (Some(Tok::Ident(n)), Some(Tok::Colon)) => Some(n.clone()),
                _ => None,
            };
            if named.is_some() {
                self.i += 2;
            }
            let Some(value) = self.expr() else {
                self.skip_line();
                return None;
            };
            args.push(Arg { name: named, value });
            self.skip_newlines();
            match self.peek() {
                Some(Tok::Comma) => {
                    self.i += 1;
                }
                Some(t) if *t == close => {}
                _ => {
                    self.unexpected(&format!("`,` or {}", close.describe()));
                    self.skip_line();
                    return None;
                }
            }
        }
    }

    fn expr(&mut self) -> Option<Expr> {
        self.skip_newlines();
        let Some(first) = self.tokens.get(self.i).cloned() else {
            self.unexpected("a value");
            return None;
        };
        let kind = match first.tok {
            Tok::Str(s) => {
                self.i += 1;
                ExprKind::Str(s)
            }
            Tok::Num(n) => {
                self.i += 1;
                ExprKind::Num(n)
            }
            Tok::Ident(mut name) => {
                self.i += 1;
                while self.peek() == Some(&Tok::Dot) {
                    if let Some(Tok::Ident(part)) = self.tokens.get(self.i + 1).map(|t| t.tok.clone()) {
                        self.i += 2;
                        name.push('.');
                        name.push_str(&part);
                    } else {
                        break;
                    }
                }
                if self.peek() == Some(&Tok::LParen) {
                    self.i += 1;
                    let args = self.args(Tok::RParen)?;
                    ExprKind::Call { name, args }
                } else {
                    ExprKind::Ident(name)
                }
            }
            Tok::LBracket => {
                self.i += 1;
                let items = self.args(Tok::RBracket)?;
                ExprKind::Array(items.into_iter().map(|a| a.value).collect())
            }
            Tok::Unterminated(_) => {
                self.error(first.pos, "string is not closed: `\"` is missing");
                return None;
            }
            _ => {
                self.unexpected("a value");
                return None;
            }
        };
        let end = self.tokens[self.i - 1].end;
        let text = self.src.get(first.start..end).unwrap_or_default().to_string();
        Some(Expr { kind, pos: first.pos, text })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::{scan, Item};

    fn parse_text(text: &str) -> Parsed {
        let doc = scan("t.md".into(), text);
        let Some(Item::Block(b)) = doc.items.into_iter().find(|i| matches!(i, Item::Block(_))) else {
            panic!("no block")
        };
        parse(&b)
    }

    #[test]
    fn fields_attributes_and_positions() {
        let p = parse_text(
            "# s\n\n```prisma\n/// 사용자\nmodel User {\n  id String @id @default(uuid()) // 기본 키\n  name String? @db.VarChar(100)\n  tags String[]\n  @@index([name(sort: Desc)], type: Hash)\n}\n```\n",
        );
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let d = &p.decls[0];
        assert_eq!((d.kind, d.name.as_str(), d.name_pos), (DeclKind::Model, "User", Pos { line: 5, column: 7 }));
        assert_eq!(d.doc.as_deref(), Some("사용자"));
        let Member::Field(id) = &d.members[0] else { panic!() };
        assert_eq!(id.pos, Pos { line: 6, column: 3 });
        assert_eq!(id.attrs.len(), 2);
        assert_eq!(id.attrs[1].text, "@default(uuid())");
        assert_eq!(id.comment.as_deref(), Some("기본 키"));
        let Member::Field(name) = &d.members[1] else { panic!() };
        let ty = name.ty.as_ref().unwrap();
        assert!(ty.optional && !ty.list);
        assert_eq!(name.attrs[0].name, "db.VarChar");
        assert_eq!(name.attrs[0].text, "@db.VarChar(100)");
        let Member::Field(tags) = &d.members[2] else { panic!() };
        assert_eq!(tags.ty.as_ref().unwrap().text, "String[]");
        let Member::Attr(idx) = &d.members[3] else { panic!() };
        assert_eq!(idx.name, "index");
        assert_eq!(idx.arg("type", None).and_then(|e| e.as_ident()), Some("Hash"));
    }

    #[test]
    fn errors_are_reported_and_parsing_goes_on() {
        let p = parse_text("```prisma\nmodel A {\n  id Int @id\n  ??? bad\n  x String @default(\"open\n}\nwhat\nmodel B {\n  id Int @id\n```\n");
        let lines: Vec<u32> = p.errors.iter().map(|e| e.pos.line).collect();
        assert!(lines.contains(&4), "{:?}", p.errors);
        assert!(lines.contains(&5), "{:?}", p.errors);
        assert!(lines.contains(&7), "{:?}", p.errors);
        assert!(p.errors.iter().any(|e| e.message.contains("`B` is not closed")), "{:?}", p.errors);
        assert_eq!(p.decls.len(), 2);
    }
}

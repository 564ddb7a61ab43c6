//! DBML tokens: words, quoted names, strings (`'…'`, `'''…'''`), backtick expressions, numbers,
//! colours and punctuation, each with its file position. Comments are dropped; a newline inside a
//! `/* */` comment still ends a line.

use crate::scan::CodeBlock;

/// A place in the markdown file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Pos {
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    /// An identifier or keyword (`Table`, `users`, `varchar`, `2fa_code`).
    Word(String),
    /// A `"double quoted"` name.
    Quoted(String),
    /// A `'single quoted'` or `'''multi-line'''` string, unescaped.
    Str(String),
    /// A `` `backtick` `` expression.
    Expr(String),
    Num(String),
    /// `#3498db`
    Color(String),
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Comma,
    Colon,
    Dot,
    Tilde,
    Semi,
    Lt,
    Gt,
    Minus,
    /// `<>`
    LtGt,
    Newline,
    Unknown(char),
}

impl Tok {
    pub(super) fn describe(&self) -> String {
        match self {
            Tok::Word(s) | Tok::Num(s) | Tok::Color(s) => format!("`{s}`"),
            Tok::Quoted(s) => format!("`\"{s}\"`"),
            Tok::Str(_) => "a string".into(),
            Tok::Expr(e) => format!("`` `{e}` ``"),
            Tok::LBrace => "`{`".into(),
            Tok::RBrace => "`}`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Colon => "`:`".into(),
            Tok::Dot => "`.`".into(),
            Tok::Tilde => "`~`".into(),
            Tok::Semi => "`;`".into(),
            Tok::Lt => "`<`".into(),
            Tok::Gt => "`>`".into(),
            Tok::Minus => "`-`".into(),
            Tok::LtGt => "`<>`".into(),
            Tok::Newline => "the end of the line".into(),
            Tok::Unknown(c) => format!("`{c}`"),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub tok: Tok,
    pub pos: Pos,
    /// Byte range in the block content.
    pub start: usize,
    pub end: usize,
}

/// A problem found while reading DBML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub pos: Pos,
    pub len: u32,
    pub message: String,
}

/// Splits a block's content into tokens, tracking file positions as it goes.
pub(super) fn lex(block: &CodeBlock, errors: &mut Vec<SyntaxError>) -> Vec<Token> {
    let src = block.content.as_str();
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    let mut line = block.first_line;
    let mut column = 1 + block.indent;
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
    macro_rules! peek {
        () => {
            chars.peek().map(|&(_, c)| c)
        };
    }
    while let Some(&(start, c)) = chars.peek() {
        let pos = Pos { line, column };
        let rest = &src[start..];
        let simple = match c {
            '\n' => Some(Tok::Newline),
            '{' => Some(Tok::LBrace),
            '}' => Some(Tok::RBrace),
            '[' => Some(Tok::LBracket),
            ']' => Some(Tok::RBracket),
            '(' => Some(Tok::LParen),
            ')' => Some(Tok::RParen),
            ',' => Some(Tok::Comma),
            ':' => Some(Tok::Colon),
            '.' => Some(Tok::Dot),
            '~' => Some(Tok::Tilde),
            ';' => Some(Tok::Semi),
            '>' => Some(Tok::Gt),
            '-' => Some(Tok::Minus),
            '<' if !rest.starts_with("<>") => Some(Tok::Lt),
            _ => None,
        };
        if let Some(tok) = simple {
            bump!();
            out.push(Token { tok, pos, start, end: start + c.len_utf8() });
            continue;
        }
        if c.is_whitespace() {
            bump!();
            continue;
        }
        let tok = if rest.starts_with("<>") {
            bump!();
            bump!();
            Tok::LtGt
        } else if rest.starts_with("//") {
            while peek!().is_some_and(|c| c != '\n') {
                bump!();
            }
            continue;
        } else if rest.starts_with("/*") {
            bump!();
            bump!();
            let mut closed = false;
            let mut newline = None;
            while let Some(c) = peek!() {
                if c == '*' && src[chars.peek().map_or(src.len(), |&(i, _)| i)..].starts_with("*/") {
                    bump!();
                    bump!();
                    closed = true;
                    break;
                }
                if c == '\n' && newline.is_none() {
                    newline = chars.peek().map(|&(i, _)| (i, Pos { line, column }));
                }
                bump!();
            }
            if !closed {
                errors.push(SyntaxError { pos, len: 2, message: "unclosed `/*` comment".into() });
            }
            if let Some((i, p)) = newline {
                out.push(Token { tok: Tok::Newline, pos: p, start: i, end: i + 1 });
            }
            continue;
        } else if rest.starts_with("'''") {
            bump!();
            bump!();
            bump!();
            let mut text = String::new();
            let mut closed = false;
            while let Some(c) = peek!() {
                let at = chars.peek().map_or(src.len(), |&(i, _)| i);
                if src[at..].starts_with("'''") {
                    bump!();
                    bump!();
                    bump!();
                    closed = true;
                    break;
                }
                bump!();
                if c == '\\' {
                    match peek!() {
                        Some('\n') => {
                            bump!();
                        }
                        Some(e @ ('\'' | '\\')) => {
                            text.push(e);
                            bump!();
                        }
                        _ => text.push('\\'),
                    }
                } else {
                    text.push(c);
                }
            }
            if !closed {
                errors.push(SyntaxError { pos, len: 3, message: "unclosed `'''` string".into() });
            }
            Tok::Str(dedent(&text))
        } else if c == '\'' || c == '"' || c == '`' {
            bump!();
            let mut text = String::new();
            let mut closed = false;
            while let Some(ch) = peek!() {
                if ch == '\n' {
                    break;
                }
                bump!();
                if ch == c {
                    closed = true;
                    break;
                }
                if ch == '\\' && c != '`' {
                    match peek!() {
                        Some(e) if e == c || e == '\\' => {
                            text.push(e);
                            bump!();
                        }
                        _ => text.push('\\'),
                    }
                } else {
                    text.push(ch);
                }
            }
            if !closed {
                let what = match c {
                    '\'' => "string",
                    '"' => "quoted name",
                    _ => "expression",
                };
                errors.push(SyntaxError {
                    pos,
                    len: 1,
                    message: format!("unclosed {what}: `{c}` missing before the end of the line"),
                });
            }
            match c {
                '\'' => Tok::Str(text),
                '"' => Tok::Quoted(text),
                _ => Tok::Expr(text),
            }
        } else if c == '#' {
            bump!();
            let mut text = String::from("#");
            while let Some(c) = peek!().filter(|c| c.is_ascii_alphanumeric()) {
                text.push(c);
                bump!();
            }
            Tok::Color(text)
        } else if is_word_char(c) {
            let mut text = String::new();
            while let Some(c) = peek!().filter(|&c| is_word_char(c)) {
                text.push(c);
                bump!();
            }
            // `1.5`: a number with a fraction.
            let at = chars.peek().map_or(src.len(), |&(i, _)| i);
            if text.chars().all(|c| c.is_ascii_digit())
                && src[at..].starts_with('.')
                && src[at + 1..].starts_with(|c: char| c.is_ascii_digit())
            {
                text.push('.');
                bump!();
                while let Some(c) = peek!().filter(char::is_ascii_digit) {
                    text.push(c);
                    bump!();
                }
            }
            if text.starts_with(|c: char| c.is_ascii_digit()) && text.chars().all(|c| c.is_ascii_digit() || c == '.') {
                Tok::Num(text)
            } else {
                Tok::Word(text)
            }
        } else {
            bump!();
            Tok::Unknown(c)
        };
        let end = chars.peek().map_or(src.len(), |&(i, _)| i);
        out.push(Token { tok, pos, start, end });
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// A `'''` string as DBML reads it: the common indentation and the first and last blank lines removed.
fn dedent(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.chars().take_while(|c| *c == ' ' || *c == '\t').count())
        .min()
        .unwrap_or(0);
    let body: Vec<String> = lines.iter().map(|l| l.chars().skip(indent).collect::<String>()).collect();
    let mut body = body.join("\n");
    while body.starts_with('\n') {
        body.remove(0);
    }
    body.truncate(body.trim_end().len());
    body
}

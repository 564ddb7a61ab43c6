//! A small SQL lexer that keeps byte positions: enough to split statements, find where each
//! identifier is written and read text exactly as the document spells it. The parsing proper is
//! left to sqlparser.

use crate::scan::CodeBlock;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A bare word: keyword or identifier.
    Word,
    /// A quoted identifier (`"x"`, `` `x` ``).
    Quoted,
    /// A string literal (`'x'`, `E'x'`).
    Str,
    Number,
    /// A dollar-quoted body (`$$ … $$`, `$fn$ … $fn$`).
    Dollar,
    LineComment,
    BlockComment,
    /// Any other single character.
    Punct,
}

/// One token: its kind and its byte range in the lexed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tok {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Tok {
    pub fn is_trivia(&self) -> bool {
        matches!(self.kind, Kind::LineComment | Kind::BlockComment)
    }
}

/// A lexed text: the text and its tokens (whitespace is not a token; comments are).
pub(crate) struct Src<'a> {
    pub text: &'a str,
    pub toks: Vec<Tok>,
    /// Dollar quotes never closed: (byte offset of the opening tag, byte offset where lexing
    /// resumed: the next line that starts a DDL statement, or the end).
    pub unterminated: Vec<(usize, usize)>,
}

/// How a dialect spells what the lexer must know.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LexOptions {
    /// `\'` escapes a quote in plain strings (MySQL).
    pub backslash_escapes: bool,
    /// `[name]` quotes an identifier (SQL Server); elsewhere `[` is an array bracket.
    pub brackets: bool,
}

/// Where an unclosed dollar quote opened at `from` most likely ends: the start of the first later
/// line that begins a DDL statement (`CREATE`, `ALTER`, `DROP`, `COMMENT ON`), or the end.
fn dollar_resume(text: &str, from: usize) -> usize {
    let mut at = text[from..].find('\n').map(|k| from + k + 1);
    while let Some(line_start) = at {
        let line = &text[line_start..];
        let this_line = line.split('\n').next().unwrap_or("");
        let first: String = this_line
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_uppercase();
        if matches!(first.as_str(), "CREATE" | "ALTER" | "DROP" | "COMMENT") {
            return line_start;
        }
        at = line.find('\n').map(|k| line_start + k + 1);
    }
    text.len()
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c == '$' || c.is_alphanumeric()
}

impl<'a> Src<'a> {
    /// Lexes `text`. `backslash_escapes`: whether `\'` escapes a quote in plain strings (MySQL).
    pub fn lex(text: &'a str, backslash_escapes: bool) -> Self {
        Self::lex_with(text, LexOptions { backslash_escapes, brackets: false })
    }

    /// Lexes `text` as `options` say.
    pub fn lex_with(text: &'a str, options: LexOptions) -> Self {
        let backslash_escapes = options.backslash_escapes;
        let mut unterminated = Vec::new();
        let b = text.as_bytes();
        let len = b.len();
        let mut toks = Vec::with_capacity(len / 4);
        let mut i = 0;
        let line_end = |from: usize| text[from..].find('\n').map(|k| from + k).unwrap_or(len);
        while i < len {
            let c = b[i];
            if c.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            let start = i;
            let (kind, end) = if c == b'-' && b.get(i + 1) == Some(&b'-') {
                (Kind::LineComment, line_end(i))
            } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
                let mut depth = 0usize;
                let mut j = i;
                let mut end = len;
                while j < len {
                    if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                        if depth == 0 {
                            end = j;
                            break;
                        }
                    } else {
                        j += 1;
                    }
                }
                (Kind::BlockComment, end)
            } else if c == b'\'' {
                (Kind::Str, string_end(b, i, i + 1, b'\'', backslash_escapes).unwrap_or_else(|| line_end(i)))
            } else if (c == b'E' || c == b'e')
                && b.get(i + 1) == Some(&b'\'')
                && (i == 0 || !text[..i].chars().next_back().is_some_and(is_ident_char))
            {
                (Kind::Str, string_end(b, i, i + 2, b'\'', true).unwrap_or_else(|| line_end(i)))
            } else if c == b'"' || c == b'`' {
                (Kind::Quoted, string_end(b, i, i + 1, c, false).unwrap_or_else(|| line_end(i)))
            } else if c == b'[' && options.brackets {
                // NOTE: SQL Server doubles `]` inside a bracketed name (`[a]]b]`).
                (Kind::Quoted, string_end(b, i, i + 1, b']', false).unwrap_or_else(|| line_end(i)))
            } else if c == b'$' {
                match dollar_tag(text, i) {
                    Some(tag_end) => {
                        let tag = &text[i..tag_end];
                        let end = text[tag_end..].find(tag).map(|k| tag_end + k + tag.len()).unwrap_or_else(|| {
                            // Never closed: the body ends where the next statement most likely starts,
                            // so what follows is still read.
                            let resume = dollar_resume(text, tag_end);
                            unterminated.push((i, resume));
                            // The line break before the resumed line stays outside the body, so the
                            // statement there starts a line.
                            if resume > tag_end && b[resume - 1] == b'\n' {
                                resume - 1
                            } else {
                                resume
                            }
                        });
                        (Kind::Dollar, end)
                    }
                    None => (Kind::Punct, i + 1),
                }
            } else if c.is_ascii_digit() {
                let mut j = i;
                while j < len && (b[j].is_ascii_alphanumeric() || b[j] == b'.' || b[j] == b'_') {
                    j += 1;
                }
                (Kind::Number, j)
            } else {
                let ch = text[i..].chars().next().unwrap_or(' ');
                if is_ident_start(ch) {
                    let mut j = i;
                    for (k, ch) in text[i..].char_indices() {
                        if !is_ident_char(ch) {
                            break;
                        }
                        j = i + k + ch.len_utf8();
                    }
                    (Kind::Word, j)
                } else {
                    (Kind::Punct, i + ch.len_utf8())
                }
            };
            toks.push(Tok { kind, start, end: end.max(start + 1).min(len) });
            i = end.max(start + 1);
        }
        Src { text, toks, unterminated }
    }

    pub fn text_of(&self, i: usize) -> &'a str {
        self.toks.get(i).map(|t| &self.text[t.start..t.end]).unwrap_or("")
    }

    /// Whether token `i` is the bare word `kw` (ASCII case-insensitive).
    pub fn is_kw(&self, i: usize, kw: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Word && self.text[t.start..t.end].eq_ignore_ascii_case(kw))
    }

    pub fn is_punct(&self, i: usize, p: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Punct && self.text[t.start..].starts_with(p))
    }

    /// The identifier token `i` names, unquoted (`"Users"` → `Users`).
    pub fn ident(&self, i: usize) -> Option<String> {
        let t = self.toks.get(i)?;
        let s = &self.text[t.start..t.end];
        match t.kind {
            Kind::Word => Some(s.to_string()),
            Kind::Quoted if s.starts_with('[') => {
                let inner = &s[1..];
                Some(inner.strip_suffix(']').unwrap_or(inner).replace("]]", "]"))
            }
            Kind::Quoted => {
                let q = s.chars().next()?;
                let inner = s.strip_prefix(q).map(|r| r.strip_suffix(q).unwrap_or(r)).unwrap_or(s);
                Some(inner.replace(&format!("{q}{q}"), &q.to_string()))
            }
            _ => None,
        }
    }

    /// The text between the start of token `a` and the end of token `b` (inclusive), as written.
    pub fn span_text(&self, a: usize, b: usize) -> &'a str {
        match (self.toks.get(a), self.toks.get(b)) {
            (Some(x), Some(y)) if y.end >= x.start => &self.text[x.start..y.end],
            _ => "",
        }
    }

    /// The index of the token that starts at or covers byte `offset`.
    pub fn tok_at(&self, offset: usize) -> Option<usize> {
        let i = self.toks.partition_point(|t| t.end <= offset);
        (i < self.toks.len() && self.toks[i].start <= offset).then_some(i)
    }

    /// Whether a line break separates the end of token `a` from the start of token `b`.
    pub fn newline_between(&self, a: usize, b: usize) -> bool {
        match (self.toks.get(a), self.toks.get(b)) {
            (Some(x), Some(y)) if y.start >= x.end => self.text[x.end..y.start].contains('\n'),
            _ => false,
        }
    }

    /// The text of a comment token without its delimiters, trimmed.
    pub fn comment_text(&self, i: usize) -> String {
        let s = self.text_of(i);
        let inner = match self.toks[i].kind {
            Kind::LineComment => s.trim_start_matches('-'),
            Kind::BlockComment => {
                let s = s.strip_prefix("/*").unwrap_or(s);
                s.strip_suffix("*/").unwrap_or(s)
            }
            _ => s,
        };
        let lines: Vec<&str> = inner.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        lines.join("\n")
    }
}

/// The end (exclusive) of a quoted run starting at `open` whose body starts at `from`; `None`
/// when unterminated.
fn string_end(b: &[u8], _open: usize, from: usize, q: u8, backslash: bool) -> Option<usize> {
    let mut j = from;
    while j < b.len() {
        let c = b[j];
        if backslash && c == b'\\' {
            j += 2;
            continue;
        }
        if c == q {
            if b.get(j + 1) == Some(&q) {
                j += 2;
                continue;
            }
            return Some(j + 1);
        }
        j += 1;
    }
    None
}

/// For `$tag$` at `i`, the end of the opening tag; `None` for `$1` or a lone `$`.
fn dollar_tag(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i + 1..];
    let mut end = None;
    for (k, ch) in rest.char_indices() {
        if ch == '$' {
            end = Some(i + 1 + k + 1);
            break;
        }
        if !(ch == '_' || ch.is_alphanumeric()) || (k == 0 && ch.is_ascii_digit()) {
            return None;
        }
    }
    end
}

/// Byte offset → markdown (line, column) for one code block, in O(log n) per lookup: the same
/// answer as [`CodeBlock::position`], which counts from the start of the block every time.
pub(crate) struct Lines<'a> {
    block: &'a CodeBlock,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(block: &'a CodeBlock) -> Self {
        let mut starts = vec![0];
        starts.extend(block.content.match_indices('\n').map(|(i, _)| i + 1));
        Lines { block, starts }
    }

    pub fn position(&self, offset: usize) -> (u32, u32) {
        let text = &self.block.content;
        let mut offset = offset.min(text.len());
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let column = text[self.starts[line]..offset].chars().count() as u32 + 1 + self.block.indent;
        (self.block.first_line + line as u32, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(Kind, &str)> {
        let src = Src::lex(s, false);
        src.toks.iter().map(|t| (t.kind, &s[t.start..t.end])).collect()
    }

    #[test]
    fn strings_identifiers_comments_and_dollar_bodies() {
        let k = kinds("a 'it''s;' \"x;y\" `b` -- c;\n/* d; /* e */ f */ $fn$ x; $fn$ $1 E'\\';'");
        assert_eq!(
            k,
            vec![
                (Kind::Word, "a"),
                (Kind::Str, "'it''s;'"),
                (Kind::Quoted, "\"x;y\""),
                (Kind::Quoted, "`b`"),
                (Kind::LineComment, "-- c;"),
                (Kind::BlockComment, "/* d; /* e */ f */"),
                (Kind::Dollar, "$fn$ x; $fn$"),
                (Kind::Punct, "$"),
                (Kind::Number, "1"),
                (Kind::Str, "E'\\';'"),
            ]
        );
    }

    #[test]
    fn korean_words_and_unterminated_strings() {
        let k = kinds("이름 'abc\nx");
        assert_eq!(k, vec![(Kind::Word, "이름"), (Kind::Str, "'abc"), (Kind::Word, "x")]);
    }
}

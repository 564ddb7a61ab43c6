//! Splitting a block into statements, and a statement's parenthesised or comma-separated lists
//! into elements, with the comments that belong to each.

use super::lex::{Kind, Src};

/// One statement of a block, as token indices into its [`Src`].
#[derive(Debug, Clone)]
pub(crate) struct Stmt {
    /// The first token after the previous statement's terminator (comments before the statement
    /// start here).
    pub lead_from: usize,
    /// The first significant (non-comment) token.
    pub first: usize,
    /// One past the last token of the statement (the `;`, or the end).
    pub end_tok: usize,
    /// The significant tokens, in order.
    pub sig: Vec<usize>,
}

impl Stmt {
    /// Byte range of the statement text (from its first to its last significant token).
    pub fn range(&self, src: &Src) -> (usize, usize) {
        let start = src.toks[self.first].start;
        let end = self.sig.last().map(|&i| src.toks[i].end).unwrap_or(start);
        (start, end)
    }

    pub fn text<'a>(&self, src: &Src<'a>) -> &'a str {
        let (a, b) = self.range(src);
        &src.text[a..b]
    }

    /// The comments written just before the statement (not those trailing the previous one on
    /// its last line).
    pub fn leading_comments(&self, src: &Src) -> Vec<usize> {
        let mut out = Vec::new();
        for i in self.lead_from..self.first {
            if !src.toks[i].is_trivia() {
                continue;
            }
            if i > 0 && self.lead_from > 0 && i == self.lead_from && !src.newline_between(i - 1, i) {
                continue; // `…;  -- trailing comment of the previous statement`
            }
            out.push(i);
        }
        out
    }

    /// The `n`th significant word, upper-cased (for classification).
    pub fn word(&self, src: &Src, n: usize) -> String {
        self.sig
            .get(n)
            .filter(|&&i| src.toks[i].kind == Kind::Word)
            .map(|&i| src.text_of(i).to_ascii_uppercase())
            .unwrap_or_default()
    }
}

/// Words that begin a statement at the start of a line even when the previous one lacks its `;`.
fn starts_statement(src: &Src, sig: &[usize], k: usize, current_first_word: &str) -> bool {
    let w = |n: usize| sig.get(k + n).map(|&i| src.text_of(i).to_ascii_uppercase()).unwrap_or_default();
    match w(0).as_str() {
        "CREATE" => matches!(
            w(1).as_str(),
            "TABLE"
                | "UNIQUE"
                | "INDEX"
                | "VIEW"
                | "MATERIALIZED"
                | "TYPE"
                | "EXTENSION"
                | "FUNCTION"
                | "TRIGGER"
                | "OR"
                | "TEMP"
                | "TEMPORARY"
                | "PROCEDURE"
                | "SEQUENCE"
                | "SCHEMA"
        ),
        "ALTER" => w(1) == "TABLE",
        "DROP" => current_first_word != "ALTER" && matches!(w(1).as_str(), "TABLE" | "INDEX" | "VIEW" | "TYPE"),
        "PRAGMA" => true,
        _ => false,
    }
}

/// Splits a lexed block into statements at `;`, keeping `BEGIN … END` bodies of triggers and
/// routines whole, and at a line that starts a new DDL statement when the previous one forgot
/// its `;`.
pub(crate) fn statements(src: &Src) -> Vec<Stmt> {
    let mut out = Vec::new();
    let mut cur: Option<Stmt> = None;
    let mut lead_from = 0;
    let mut depth = 0i32;
    let mut block_depth = 0i32;
    let mut routine = false;
    let mut first_word = String::new();
    let n = src.toks.len();
    let mut i = 0;
    while i < n {
        let tok = src.toks[i];
        if tok.is_trivia() {
            i += 1;
            continue;
        }
        // SQL Server's batch separator: `GO` alone on its line (or `GO 5`) ends every statement.
        let go = tok.kind == Kind::Word && src.is_kw(i, "GO") && is_go_line(src, i);
        if go || (tok.kind == Kind::Punct && src.is_punct(i, ';') && block_depth == 0) {
            if let Some(mut s) = cur.take() {
                s.end_tok = i;
                out.push(s);
            }
            lead_from = i + 1;
            depth = 0;
            block_depth = 0;
            i += 1;
            if go && src.toks.get(i).is_some_and(|t| t.kind == Kind::Number) && !src.newline_between(i - 1, i) {
                i += 1;
                lead_from = i;
            }
            continue;
        }
        // A new DDL statement at the start of a line, the previous one unterminated.
        if let Some(s) = cur.as_ref() {
            let prev = *s.sig.last().unwrap_or(&s.first);
            if depth <= 0
                && block_depth == 0
                && tok.kind == Kind::Word
                && src.newline_between(prev, i)
                && !src.is_punct(prev, ',')
                && is_statement_word(&first_word)
            {
                let mut probe = vec![i];
                probe.extend((i + 1..n).filter(|&j| !src.toks[j].is_trivia()).take(2));
                if starts_statement(src, &probe, 0, &first_word) {
                    if let Some(mut s) = cur.take() {
                        s.end_tok = i;
                        lead_from = s.sig.last().map(|&l| l + 1).unwrap_or(i);
                        out.push(s);
                    }
                    depth = 0;
                }
            }
        }
        if cur.is_none() {
            cur = Some(Stmt { lead_from, first: i, end_tok: n, sig: Vec::new() });
            let words: Vec<String> = (i..n)
                .filter(|&j| !src.toks[j].is_trivia())
                .take(5)
                .map(|j| src.text_of(j).to_ascii_uppercase())
                .collect();
            first_word = words.first().cloned().unwrap_or_default();
            routine = first_word == "CREATE"
                && words.iter().skip(1).any(|w| matches!(w.as_str(), "TRIGGER" | "FUNCTION" | "PROCEDURE"));
            block_depth = 0;
            depth = 0;
        }
        if let Some(s) = cur.as_mut() {
            s.sig.push(i);
        }
        if tok.kind == Kind::Punct {
            if src.is_punct(i, '(') {
                depth += 1;
            } else if src.is_punct(i, ')') {
                depth -= 1;
            }
        } else if routine && tok.kind == Kind::Word {
            let w = src.text_of(i);
            if w.eq_ignore_ascii_case("BEGIN") || (w.eq_ignore_ascii_case("CASE") && block_depth > 0) {
                block_depth += 1;
            } else if w.eq_ignore_ascii_case("END") && block_depth > 0 {
                let next = (i + 1..n).find(|&j| !src.toks[j].is_trivia());
                let closes_other =
                    next.is_some_and(|j| ["IF", "LOOP", "WHILE", "REPEAT", "FOR"].iter().any(|k| src.is_kw(j, k)));
                if !closes_other {
                    block_depth -= 1;
                }
            }
        }
        i += 1;
    }
    if let Some(mut s) = cur.take() {
        s.end_tok = n;
        out.push(s);
    }
    out
}

/// Whether token `i` (a `GO`) stands alone on its line, save a repeat count (`GO 5`) and a comment.
fn is_go_line(src: &Src, i: usize) -> bool {
    let t = src.toks[i];
    let line_start = src.text[..t.start].rfind('\n').map_or(0, |k| k + 1);
    let line_end = src.text[t.end..].find('\n').map_or(src.text.len(), |k| t.end + k);
    if !src.text[line_start..t.start].trim().is_empty() {
        return false;
    }
    let rest = src.text[t.end..line_end].trim();
    let rest = rest.split("--").next().unwrap_or("").trim();
    rest.is_empty() || rest.chars().all(|c| c.is_ascii_digit())
}

/// Words that begin a statement (as opposed to a column list fragment).
pub(crate) fn is_statement_word(w: &str) -> bool {
    matches!(
        w,
        "CREATE"
            | "ALTER"
            | "DROP"
            | "INSERT"
            | "UPDATE"
            | "DELETE"
            | "SELECT"
            | "WITH"
            | "PRAGMA"
            | "SET"
            | "BEGIN"
            | "COMMIT"
            | "ROLLBACK"
            | "START"
            | "END"
            | "COMMENT"
            | "GRANT"
            | "REVOKE"
            | "TRUNCATE"
            | "EXPLAIN"
            | "VACUUM"
            | "ANALYZE"
            | "REINDEX"
            | "DO"
            | "CALL"
            | "USE"
            | "SHOW"
            | "DECLARE"
            | "LOCK"
            | "COPY"
            | "VALUES"
            | "DELIMITER"
            | "SAVEPOINT"
            | "RELEASE"
            | "REFRESH"
            | "CLUSTER"
            | "LISTEN"
            | "NOTIFY"
            | "PREPARE"
            | "EXECUTE"
            | "DEALLOCATE"
            | "ATTACH"
            | "DETACH"
            | "REPLACE"
            | "MERGE"
            | "UPSERT"
            | "LOAD"
            | "DESCRIBE"
            | "OPTIMIZE"
            | "RENAME"
            | "SECURITY"
            | "RESET"
            | "DISCARD"
            | "IMPORT"
            | "TABLE"
    ) || is_tsql_procedural(w)
}

/// T-SQL words that begin a statement which runs code or administers the server: valid, but no
/// schema (`EXEC sp_x`, `BACKUP DATABASE …`, `PRINT 'done'`).
pub(crate) fn is_tsql_procedural(w: &str) -> bool {
    matches!(
        w,
        "EXEC"
            | "EXECUTE"
            | "DECLARE"
            | "BACKUP"
            | "RESTORE"
            | "PRINT"
            | "DBCC"
            | "RAISERROR"
            | "THROW"
            | "WAITFOR"
            | "IF"
            | "WHILE"
            | "RETURN"
            | "OPEN"
            | "CLOSE"
            | "FETCH"
            | "BULK"
            | "REVERT"
            | "GO"
    )
}

/// One element of a comma-separated list: its significant tokens and the comments that describe
/// it (inside it, trailing it on its line, and block comments right after it).
#[derive(Debug, Clone, Default)]
pub(crate) struct Elem {
    pub sig: Vec<usize>,
    pub comments: Vec<usize>,
    /// Comments on the lines before the element (headings of a group of columns, `-- a → b`).
    pub leading: Vec<usize>,
}

impl Elem {
    pub fn first(&self) -> Option<usize> {
        self.sig.first().copied()
    }

    /// The element's text from its first to its last significant token.
    pub fn text<'a>(&self, src: &Src<'a>) -> &'a str {
        match (self.sig.first(), self.sig.last()) {
            (Some(&a), Some(&b)) => src.span_text(a, b),
            _ => "",
        }
    }

    /// The same element from its `k`th significant token on.
    pub fn from(&self, k: usize) -> Elem {
        Elem { sig: self.sig.get(k..).unwrap_or(&[]).to_vec(), comments: self.comments.clone(), leading: Vec::new() }
    }
}

/// Splits tokens `from..to` at depth-0 commas. Empty elements (a trailing comma) are dropped.
pub(crate) fn split_list(src: &Src, from: usize, to: usize) -> Vec<Elem> {
    let mut out: Vec<Elem> = Vec::new();
    let mut cur = Elem::default();
    let mut depth = 0i32;
    // After a comma: comments on the comma's line, then block comments, still belong to the
    // element before it.
    let mut after_comma: Option<usize> = None;
    let to = to.min(src.toks.len());
    for i in from..to {
        let t = src.toks[i];
        if t.is_trivia() {
            if let Some(comma) = after_comma {
                let same_line = !src.newline_between(comma, i);
                if same_line || t.kind == Kind::BlockComment {
                    if let Some(prev) = out.last_mut() {
                        prev.comments.push(i);
                    }
                    continue;
                }
                after_comma = None;
            }
            if cur.sig.is_empty() {
                cur.leading.push(i);
            } else {
                cur.comments.push(i);
            }
            continue;
        }
        after_comma = None;
        if t.kind == Kind::Punct {
            // NOTE: `ARRAY[1, 2, 3]` and `int[3]` hold commas that do not end an element.
            if src.is_punct(i, '(') || src.is_punct(i, '[') {
                depth += 1;
            } else if src.is_punct(i, ')') || src.is_punct(i, ']') {
                depth -= 1;
            } else if src.is_punct(i, ',') && depth == 0 {
                let done = std::mem::take(&mut cur);
                if !done.sig.is_empty() {
                    out.push(done);
                    after_comma = Some(i);
                }
                continue;
            }
        }
        cur.sig.push(i);
    }
    if !cur.sig.is_empty() {
        out.push(cur);
    }
    out
}

/// The index (in `sig`) of the `)` matching the `(` at `sig[open]`.
pub(crate) fn matching_paren(src: &Src, sig: &[usize], open: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (k, &i) in sig.iter().enumerate().skip(open) {
        if src.is_punct(i, '(') {
            depth += 1;
        } else if src.is_punct(i, ')') {
            depth -= 1;
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        let src = Src::lex(s, false);
        statements(&src).iter().map(|st| st.text(&src).to_string()).collect()
    }

    #[test]
    fn semicolons_inside_strings_bodies_and_triggers_do_not_split() {
        let s = "CREATE TABLE a (x TEXT DEFAULT ';'); -- c;\n\
                 CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN x := 1; RETURN NEW; END; $$ LANGUAGE plpgsql;\n\
                 CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE a SET x = CASE WHEN 1 THEN 'a' END; END;\n\
                 SELECT 1";
        let parts = split(s);
        assert_eq!(parts.len(), 4, "{parts:?}");
        assert!(parts[1].ends_with("LANGUAGE plpgsql"));
        assert!(parts[2].ends_with("END; END"), "{}", parts[2]);
    }

    #[test]
    fn a_missing_semicolon_before_a_new_create_splits_at_the_line() {
        let parts =
            split("CREATE TABLE a (x INT)\n\nCREATE INDEX i ON a(x);\nALTER TABLE a\n  ALTER COLUMN x SET NOT NULL;");
        assert_eq!(parts.len(), 3, "{parts:?}");
    }

    #[test]
    fn list_elements_keep_their_trailing_comments() {
        let s = "a INT, -- first\n  /* block */\n  -- heading of b\n  b TEXT -- second\n";
        let src = Src::lex(s, false);
        let els = split_list(&src, 0, src.toks.len());
        assert_eq!(els.len(), 2);
        let texts = |e: &Elem| e.comments.iter().map(|&i| src.comment_text(i)).collect::<Vec<_>>();
        assert_eq!(texts(&els[0]), ["first", "block"]);
        assert_eq!(texts(&els[1]), ["second"]);
        assert_eq!(els[1].leading.len(), 1);
    }
}

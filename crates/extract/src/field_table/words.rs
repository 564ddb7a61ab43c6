//! The constraint words of a field-table cell (`PK`, `FK(users.id)`, `NOT NULL`, `DEFAULT=0`, …).

use model::ReferentialAction;

/// What one row's constraint words say.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Constraints {
    pub pk: bool,
    pub fk: Option<FkTarget>,
    /// `FK` without a target.
    pub bare_fk: bool,
    /// The table a bare `FK` names without a column (`FK (users)`, `foreign key to users` in a
    /// description): its target when that table is defined.
    pub fk_table: Option<String>,
    pub unique: bool,
    pub not_null: bool,
    pub nullable: bool,
    pub index: bool,
    /// The default as written (`True`, `"google"`, `now()`).
    pub default: Option<String>,
    pub auto: bool,
    pub on_update: Option<String>,
    pub check: Option<String>,
}

/// A foreign-key target as written (`users.id`, `users(id)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FkTarget {
    pub table: String,
    pub columns: Vec<String>,
    pub on_delete: Option<ReferentialAction>,
    pub on_update: Option<ReferentialAction>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    Word(String),
    /// The text inside `( … )`.
    Group(String),
    /// A quoted string with its quote character.
    Quoted(String, char),
    Sep,
    Eq,
    Colon,
    Arrow,
}

fn tokenize(s: &str) -> Vec<Tok> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            ',' | ';' | '|' => {
                out.push(Tok::Sep);
                i += 1;
            }
            '=' => {
                out.push(Tok::Eq);
                i += 1;
            }
            ':' | '：' => {
                out.push(Tok::Colon);
                i += 1;
            }
            '→' | '⇒' | '➔' => {
                out.push(Tok::Arrow);
                i += 1;
            }
            '-' if chars.get(i + 1) == Some(&'>') => {
                out.push(Tok::Arrow);
                i += 2;
            }
            '\'' | '"' => {
                let q = c;
                let mut j = i + 1;
                let mut text = String::new();
                while j < chars.len() && chars[j] != q {
                    text.push(chars[j]);
                    j += 1;
                }
                out.push(Tok::Quoted(text, q));
                i = j + 1;
            }
            '(' => {
                let mut depth = 1;
                let mut j = i + 1;
                let mut text = String::new();
                while j < chars.len() {
                    match chars[j] {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    text.push(chars[j]);
                    j += 1;
                }
                out.push(Tok::Group(text.trim().to_string()));
                i = j + 1;
            }
            ')' => i += 1,
            _ => {
                let mut j = i;
                let mut text = String::new();
                while j < chars.len() {
                    let d = chars[j];
                    if d.is_whitespace()
                        || matches!(d, ',' | ';' | '|' | '=' | ':' | '：' | '(' | ')' | '\'' | '"' | '→' | '⇒' | '➔')
                        || (d == '-' && chars.get(j + 1) == Some(&'>'))
                    {
                        break;
                    }
                    text.push(d);
                    j += 1;
                }
                // A sentence's full stop is not part of its last word (`primary key.`).
                if text.len() > 1 && text.ends_with('.') {
                    text.pop();
                }
                out.push(Tok::Word(text));
                i = j;
            }
        }
    }
    out
}

pub(super) fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Reads `users.id`, `users(id)`, `public.users.id`, `users` into a target.
pub(crate) fn parse_ref(table_part: &str, group: Option<&str>) -> Option<FkTarget> {
    let t = table_part.trim().trim_matches('`');
    let (table, columns) = match group {
        Some(g) => {
            let cols: Vec<String> = g.split(',').map(|c| c.trim().trim_matches(['`', '"']).to_string()).collect();
            if !cols.iter().all(|c| is_ident(c)) {
                return None;
            }
            let table = t.rsplit('.').next().unwrap_or(t);
            (table.to_string(), cols)
        }
        None => match t.rsplit_once('.') {
            Some((tbl, col)) => (tbl.rsplit('.').next().unwrap_or(tbl).to_string(), vec![col.to_string()]),
            None => (t.to_string(), Vec::new()),
        },
    };
    (is_ident(&table) && columns.iter().all(|c| is_ident(c))).then_some(FkTarget {
        table,
        columns,
        on_delete: None,
        on_update: None,
    })
}

fn action(words: &[String]) -> Option<(ReferentialAction, usize)> {
    let w0 = words.first().map(|s| s.to_uppercase()).unwrap_or_default();
    let w1 = words.get(1).map(|s| s.to_uppercase()).unwrap_or_default();
    match (w0.as_str(), w1.as_str()) {
        ("CASCADE", _) => Some((ReferentialAction::Cascade, 1)),
        ("RESTRICT", _) => Some((ReferentialAction::Restrict, 1)),
        ("SET", "NULL") => Some((ReferentialAction::SetNull, 2)),
        ("SET", "DEFAULT") => Some((ReferentialAction::SetDefault, 2)),
        ("NO", "ACTION") => Some((ReferentialAction::NoAction, 2)),
        _ => None,
    }
}

/// Whether a word starts a constraint phrase (`PK`, `NOT NULL`, `AUTOINCREMENT`, `필수`) rather
/// than a value.
pub(super) fn is_constraint_word(w: &str) -> bool {
    matches!(
        w.to_uppercase().as_str(),
        "PK" | "FK"
            | "UK"
            | "UQ"
            | "NN"
            | "NOT"
            | "NOTNULL"
            | "NOT_NULL"
            | "UNIQUE"
            | "PRIMARY"
            | "FOREIGN"
            | "REFERENCES"
            | "INDEX"
            | "IDX"
            | "AUTO"
            | "AUTO_INCREMENT"
            | "AUTOINCREMENT"
            | "AUTO-INCREMENT"
            | "IDENTITY"
            | "SERIAL"
            | "NULLABLE"
            | "REQUIRED"
            | "기본키"
            | "외래키"
            | "필수"
            | "고유"
            | "유니크"
            | "자동증가"
            | "인덱스"
            | "AI"
    )
}

/// Splits a "default" cell into the default value and the constraint words written there
/// instead (`PK, AUTOINCREMENT`, `'x', NOT NULL`, `auto`).
pub(super) fn split_default_cell(text: &str) -> (Option<String>, String) {
    let (mut values, mut words) = (Vec::new(), Vec::new());
    for part in split_top_level(text) {
        let first = part.split(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
        if is_constraint_word(first) {
            words.push(part);
        } else if !part.is_empty() {
            values.push(part);
        }
    }
    ((!values.is_empty()).then(|| values.join(", ")), words.join(", "))
}

/// The comma-separated parts of `text`, commas inside quotes and parentheses kept.
fn split_top_level(text: &str) -> Vec<String> {
    let (mut parts, mut cur) = (Vec::new(), String::new());
    let (mut depth, mut quote) = (0usize, None::<char>);
    for c in text.chars() {
        match (c, quote) {
            (q, Some(open)) if q == open => quote = None,
            (_, Some(_)) => {}
            ('\'' | '"', None) => quote = Some(c),
            ('(', None) => depth += 1,
            (')', None) => depth = depth.saturating_sub(1),
            (',', None) if depth == 0 => {
                parts.push(std::mem::take(&mut cur).trim().to_string());
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur.trim().to_string());
    parts
}

/// Key words a description cell may state among its prose: upper-case markers (`PK`, `FK`,
/// `UNIQUE`, `NOT NULL`) and key phrases in any case (`primary key`, `references t(c)`, `t.c 참조`).
fn description_word(raw: &str, next: Option<&str>) -> bool {
    let upper = raw.to_uppercase();
    let shouting = raw == upper && raw.chars().any(|c| c.is_ascii_alphabetic());
    match upper.as_str() {
        "PK" | "FK" | "UK" | "UNIQUE" | "INDEX" | "AUTO_INCREMENT" | "AUTOINCREMENT" | "IDENTITY" | "NN" => shouting,
        "NOT" => shouting && next == Some("NULL"),
        "PRIMARY" | "FOREIGN" | "기본" | "외래" => next.is_some_and(|n| n.eq_ignore_ascii_case("key") || n == "키"),
        "REFERENCES" | "참조" | "기본키" | "외래키" | "자동증가" | "AUTO-INCREMENT" | "AUTO-INCREMENTING"
        | "AUTO-INCREMENTED" => true,
        // `references events(id), indexed`: the word alone, never `indexed by …` prose.
        "INDEXED" => next.is_none(),
        _ => false,
    }
}

impl Constraints {
    /// Reads the constraint words of `text` into `self`; unknown words are ignored.
    pub(crate) fn read(&mut self, text: &str) {
        self.read_words(text, false);
    }

    /// Reads the keys a description cell states among its prose (see [`description_word`]): a
    /// foreign key there needs a written column (`users.id`, `users(id)`) or an arrow.
    pub(crate) fn read_description(&mut self, text: &str) {
        self.read_words(text, true);
    }

    fn read_words(&mut self, text: &str, description: bool) {
        let toks = tokenize(text);
        let word = |i: usize| match toks.get(i) {
            Some(Tok::Word(w)) => Some(w.to_uppercase()),
            _ => None,
        };
        let raw = |i: usize| match toks.get(i) {
            Some(Tok::Word(w)) => Some(w.as_str()),
            _ => None,
        };
        let mut i = 0;
        while i < toks.len() {
            // `→ mechanics.id`, `-> bays(id)`: an arrow alone points at the referenced column.
            if matches!(toks.get(i), Some(Tok::Arrow)) && self.fk.is_none() {
                let target = match (toks.get(i + 1), toks.get(i + 2)) {
                    (Some(Tok::Word(t)), Some(Tok::Group(g))) if is_ident(t) => parse_ref(t, Some(g)).map(|t| (t, 2)),
                    (Some(Tok::Word(t)), _) if t.contains('.') => parse_ref(t, None).map(|t| (t, 1)),
                    _ => None,
                };
                if let Some((t, n)) = target.filter(|(t, _)| !t.columns.is_empty()) {
                    self.fk = Some(t);
                    self.bare_fk = false;
                    i += 1 + n;
                    continue;
                }
            }
            // `users.id (FK)`: the target, then the word that makes it one.
            if let (Some(Tok::Word(t)), Some(Tok::Group(g))) = (toks.get(i), toks.get(i + 1)) {
                let says_fk = matches!(g.trim().to_uppercase().as_str(), "FK" | "FOREIGN KEY" | "외래키" | "참조");
                if says_fk && t.contains('.') && self.fk.is_none() {
                    if let Some(target) = parse_ref(t, None).filter(|t| !t.columns.is_empty()) {
                        self.fk = Some(target);
                        self.bare_fk = false;
                        i += 2;
                        continue;
                    }
                }
            }
            let Some(w) = word(i) else {
                // `PK (auto increment)`: a remark in brackets may hold constraint words too.
                if let (false, Some(Tok::Group(g))) = (description, toks.get(i)) {
                    let g = g.clone();
                    self.read_words(&g, false);
                }
                i += 1;
                continue;
            };
            let negated =
                i > 0 && raw(i - 1).is_some_and(|p| matches!(p.to_lowercase().as_str(), "not" | "no" | "never"));
            if description && (negated || !description_word(raw(i).unwrap_or(""), raw(i + 1))) {
                i += 1;
                continue;
            }
            i += 1;
            match w.as_str() {
                "PK" | "기본키" | "주키" | "PRIMARY_KEY" | "PRIMARYKEY" => self.pk = true,
                "PRIMARY" | "기본" if matches!(word(i).as_deref(), Some("KEY" | "키")) => {
                    self.pk = true;
                    i += 1;
                }
                "FK" | "외래키" | "REFERENCES" | "REF" | "참조" | "FOREIGN" | "외래" => {
                    if w == "FOREIGN" || w == "외래" {
                        if !matches!(word(i).as_deref(), Some("KEY" | "키")) {
                            continue;
                        }
                        i += 1;
                    }
                    let explicit = w == "REFERENCES" || w == "REF" || w == "참조";
                    let mut j = i;
                    let mut pointed = explicit;
                    let mut arrow = false;
                    while matches!(toks.get(j), Some(Tok::Eq | Tok::Colon | Tok::Arrow))
                        || matches!(word(j).as_deref(), Some("TO" | "-" | "—" | "–"))
                    {
                        arrow |= matches!(toks.get(j), Some(Tok::Arrow));
                        pointed = true;
                        j += 1;
                    }
                    let target = match (toks.get(j), toks.get(j + 1)) {
                        (Some(Tok::Group(g)), _) => {
                            let g = g.trim();
                            match g.find('(') {
                                Some(p) => parse_ref(&g[..p], Some(g[p + 1..].trim_end_matches(')'))).map(|t| (t, 1)),
                                None => parse_ref(g, None).filter(|t| !t.columns.is_empty() || pointed).map(|t| (t, 1)),
                            }
                        }
                        (Some(Tok::Word(t)), Some(Tok::Group(g))) => parse_ref(t, Some(g)).map(|t| (t, 2)),
                        (Some(Tok::Word(t)), _) if t.contains('.') || (pointed && !is_keyword(t)) => {
                            parse_ref(t, None).map(|t| (t, 1))
                        }
                        _ => None,
                    };
                    // Prose names things after "references"; a description's target must say
                    // its column or follow an arrow. A table alone is kept as a hint.
                    let hint = match (&target, toks.get(j)) {
                        (Some((t, _)), _) if t.columns.is_empty() => Some(t.table.clone()),
                        (None, Some(Tok::Group(g))) if is_ident(g.trim()) => Some(g.trim().to_string()),
                        // `foreign key to pages (the author's page)`.
                        (None, Some(Tok::Word(t))) if pointed && is_ident(t) && !is_keyword(t) => Some(t.clone()),
                        _ => None,
                    };
                    let target = target.filter(|(t, _)| !description || arrow || !t.columns.is_empty());
                    // `users.id 참조`: Korean writes the target before the word.
                    let target = target.or_else(|| (w == "참조").then(|| target_before(&toks, i - 1)).flatten());
                    match target {
                        Some((t, n)) => {
                            self.fk = Some(t);
                            self.bare_fk = false;
                            i = (j + n).max(i);
                        }
                        None if self.fk.is_none() && w != "참조" && w != "REFERENCES" => {
                            self.bare_fk = true;
                            self.fk_table = self.fk_table.take().or(hint);
                        }
                        None => {}
                    }
                }
                "UNIQUE" | "UK" | "UQ" | "고유" | "유니크" | "UNIQUE_KEY" | "중복불가" => {
                    self.unique = true;
                    match word(i).as_deref() {
                        Some("KEY" | "CONSTRAINT") => i += 1,
                        Some("INDEX") => {
                            self.index = true;
                            i += 1;
                        }
                        _ => {}
                    }
                }
                "NOT" if word(i).as_deref() == Some("NULL") => {
                    self.not_null = true;
                    i += 1;
                }
                "NN" | "NOTNULL" | "NOT_NULL" | "필수" | "REQUIRED" => self.not_null = true,
                "NULLABLE" | "NULL" | "OPTIONAL" | "선택" | "NULL허용" | "널허용" => self.nullable = true,
                "INDEX" | "INDEXED" | "IDX" | "인덱스" => self.index = true,
                "DEFAULT" | "기본값" | "디폴트" | "DEFAULT_VALUE" => {
                    while matches!(toks.get(i), Some(Tok::Eq | Tok::Colon)) {
                        i += 1;
                    }
                    if let Some((v, n)) = value_at(&toks, i) {
                        self.default = Some(v);
                        i += n;
                    }
                }
                "AUTO" | "AUTO_INCREMENT" | "AUTOINCREMENT" | "IDENTITY" | "SERIAL" | "자동증가" | "AI"
                | "AUTO-INCREMENT" | "AUTO-INCREMENTING" | "AUTO-INCREMENTED" => {
                    self.auto = true;
                    if word(i).as_deref() == Some("INCREMENT") {
                        i += 1;
                    }
                }
                "ON" => {
                    let which = word(i);
                    if !matches!(which.as_deref(), Some("UPDATE" | "DELETE")) {
                        continue;
                    }
                    i += 1;
                    while matches!(toks.get(i), Some(Tok::Eq | Tok::Colon)) {
                        i += 1;
                    }
                    let rest: Vec<String> = toks[i.min(toks.len())..]
                        .iter()
                        .take(2)
                        .map(|t| if let Tok::Word(w) = t { w.clone() } else { String::new() })
                        .collect();
                    if let Some((a, n)) = action(&rest) {
                        if let Some(fk) = self.fk.as_mut() {
                            if which.as_deref() == Some("DELETE") {
                                fk.on_delete = Some(a);
                            } else {
                                fk.on_update = Some(a);
                            }
                        }
                        i += n;
                    } else if which.as_deref() == Some("UPDATE") {
                        if let Some((v, n)) = value_at(&toks, i) {
                            self.on_update = Some(v);
                            i += n;
                        }
                    }
                }
                "CHECK" => {
                    if let Some(Tok::Group(g)) = toks.get(i) {
                        self.check = Some(g.clone());
                        i += 1;
                    }
                }
                _ => {}
            }
        }
    }
}

/// The target written just before the word at `at` (`users.id 참조`, `users(id)를 참조`,
/// `users 테이블 참조`), with how many tokens it takes (0: they are behind).
fn target_before(toks: &[Tok], at: usize) -> Option<(FkTarget, usize)> {
    let word = |k: usize| match toks.get(k) {
        Some(Tok::Word(w)) => Some(w.trim_end_matches(|c: char| !c.is_ascii()).to_string()),
        _ => None,
    };
    let prev = at.checked_sub(1)?;
    match toks.get(prev)? {
        Tok::Group(g) => parse_ref(&word(prev.checked_sub(1)?)?, Some(g)),
        Tok::Word(w) if w == "테이블" || w == "테이블을" || w == "테이블의" => {
            parse_ref(&word(prev.checked_sub(1)?)?, None)
        }
        Tok::Word(_) => {
            let w = word(prev)?;
            if w.contains('.') {
                parse_ref(&w, None)
            } else {
                // `teams 테이블의 id 참조`: the table, then its column.
                let of = prev.checked_sub(1).and_then(|k| match toks.get(k) {
                    Some(Tok::Word(o)) if o == "테이블의" || o == "테이블" => Some(k),
                    _ => None,
                })?;
                parse_ref(&word(of.checked_sub(1)?)?, Some(&w))
            }
        }
        _ => None,
    }
    .map(|t| (t, 0))
}

fn is_keyword(w: &str) -> bool {
    matches!(
        w.to_uppercase().as_str(),
        "NOT" | "NULL" | "NULLABLE" | "UNIQUE" | "INDEX" | "PK" | "DEFAULT" | "ON" | "PRIMARY" | "KEY" | "CHECK"
    )
}

/// A value written after `DEFAULT`/`ON UPDATE`: a quoted string, a call (`now()`) or a word.
fn value_at(toks: &[Tok], i: usize) -> Option<(String, usize)> {
    match (toks.get(i)?, toks.get(i + 1)) {
        (Tok::Quoted(s, q), _) => Some((format!("{q}{s}{q}"), 1)),
        (Tok::Word(w), Some(Tok::Group(g))) => Some((format!("{w}({g})"), 2)),
        (Tok::Word(w), _) => Some((w.clone(), 1)),
        (Tok::Group(g), _) => Some((format!("({g})"), 1)),
        _ => None,
    }
}

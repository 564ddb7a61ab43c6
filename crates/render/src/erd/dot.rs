use super::{key_marks, Relationship};
use model::{name_key, Schema, Table};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The group each table is drawn in, by [`name_key`] of its qualified name (`schema.table`, or the
/// bare name): a PostgreSQL schema, a DBML `TableGroup`, a section of the document.
pub type Groups = BTreeMap<String, String>;

/// How to draw a schema as a Graphviz graph.
#[derive(Debug, Clone, Default)]
pub struct DotOptions {
    /// Tables are drawn inside a labelled box per group; tables without a group are drawn outside.
    pub groups: Groups,
    /// A caption drawn above the diagram.
    pub title: Option<String>,
}

/// The font Graphviz asks fontconfig for: a CJK face so that Korean names render (Debian package
/// `fonts-noto-cjk`); fontconfig falls back to the default sans-serif face where it is missing.
const FONT: &str = "Noto Sans CJK KR";

/// The name a diagram shows for a table: qualified with its schema when it has one.
fn display_name(table: &Table) -> String {
    table.qualified_name()
}

/// Renders a schema as a Graphviz `digraph`: one box per table (its name, then a row per column
/// with key marks `PK`/`FK`/`UK`, name and type; `NOT NULL` columns in bold), and one line per
/// foreign key from the referencing column to the referenced table, drawn in crow's-foot notation
/// (see [`Relationship`]): a bar for "one", a circle for "zero", a crow's foot for "many". A
/// referenced table the schema does not hold (an external table, or one outside a neighbourhood)
/// is drawn as a dashed box with its name only.
pub fn dot(schema: &Schema, options: &DotOptions) -> String {
    let mut out = String::from("digraph erd {\n");
    header(&mut out, options.title.as_deref());

    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for table in &schema.tables {
        ids.insert(name_key(&table.name), node_id(&display_name(table)));
        ids.insert(name_key(&display_name(table)), node_id(&display_name(table)));
    }

    // Tables, grouped into clusters in group-name order, then the ungrouped ones in schema order.
    let mut clusters: BTreeMap<&str, Vec<&Table>> = BTreeMap::new();
    let mut loose: Vec<&Table> = Vec::new();
    for table in &schema.tables {
        match options.groups.get(&name_key(&display_name(table))) {
            Some(group) => clusters.entry(group.as_str()).or_default().push(table),
            None => loose.push(table),
        }
    }
    for (i, (group, tables)) in clusters.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{i} {{");
        let _ = writeln!(out, "    label={}; style=\"rounded,dashed\"; color=\"#7f8c8d\";", quote(group));
        for table in tables {
            out.push_str(&table_node(table, schema, "    "));
        }
        out.push_str("  }\n");
    }
    for table in loose {
        out.push_str(&table_node(table, schema, "  "));
    }

    // Referenced tables the schema does not hold, once each.
    let mut stubs: BTreeSet<String> = BTreeSet::new();
    for table in &schema.tables {
        for fk in &table.foreign_keys {
            let key = name_key(&fk.ref_table);
            if !ids.contains_key(&key) && stubs.insert(key.clone()) {
                let id = node_id(&fk.ref_table);
                let _ = writeln!(
                    out,
                    "  {id} [shape=box, style=\"dashed\", fontcolor=\"#7f8c8d\", color=\"#7f8c8d\", label={}];",
                    quote(&fk.ref_table)
                );
                ids.insert(key, id);
            }
        }
    }

    for table in &schema.tables {
        let child = node_id(&display_name(table));
        for fk in &table.foreign_keys {
            let r = Relationship::of(table, fk, schema);
            let parent = &ids[&name_key(&fk.ref_table)];
            // The line leaves the referencing column's row on its right and enters the referenced
            // column's row on its left (the layout runs left to right).
            let port = fk
                .columns
                .first()
                .and_then(|c| table.columns.iter().position(|col| model::name_eq(&col.name, c)))
                .map(|i| format!(":out{i}"))
                .unwrap_or_default();
            let target = schema.table(&fk.ref_table);
            let target_column = fk
                .ref_columns
                .first()
                .cloned()
                .or_else(|| target.and_then(|t| t.primary_key.as_ref()).and_then(|pk| pk.columns.first().cloned()));
            let parent_port = target
                .zip(target_column)
                .and_then(|(t, c)| t.columns.iter().position(|col| model::name_eq(&col.name, &c)))
                .map(|i| format!(":in{i}"))
                .unwrap_or_default();
            // NOTE: with dir=both, `arrowtail` is drawn at the child (tail) and `arrowhead` at the
            // parent (head); Graphviz reads composite arrow names from the line's end outwards.
            let head = if r.optional { "teeodot" } else { "teetee" };
            let tail = if r.unique { "teeodot" } else { "crowodot" };
            let style = if r.identifying { "solid" } else { "dashed" };
            let _ = writeln!(
                out,
                "  {child}{port} -> {parent}{parent_port} [dir=both, arrowtail={tail}, arrowhead={head}, style={style}, tooltip={}];",
                quote(&format!("{}.{} → {}", display_name(table), r.label, r.parent))
            );
        }
    }
    out.push_str("}\n");
    out
}

/// Renders the groups of a schema as one box each (with its table count), and one line between two
/// groups for the foreign keys that cross them in either direction (labelled with their count,
/// thicker for more). Tables in no group are drawn in a group named `(other)`. The groups are laid
/// out by force (`neato`) rather than in ranks: between groups references run every way, and
/// ranks then stretch the picture into long crossing arcs.
pub fn overview(schema: &Schema, groups: &Groups, title: Option<&str>) -> String {
    let group_of = |name: &str| -> String {
        let key = name_key(name);
        groups.get(&key).cloned().unwrap_or_else(|| "(other)".to_string())
    };
    let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
    let mut table_group: BTreeMap<String, String> = BTreeMap::new();
    for table in &schema.tables {
        let g = group_of(&display_name(table));
        *sizes.entry(g.clone()).or_default() += 1;
        table_group.insert(name_key(&table.name), g.clone());
        table_group.insert(name_key(&display_name(table)), g);
    }
    // One line per pair of groups, whichever way its references run.
    let mut links: BTreeMap<(String, String), usize> = BTreeMap::new();
    for table in &schema.tables {
        let from = group_of(&display_name(table));
        for fk in &table.foreign_keys {
            if let Some(to) = table_group.get(&name_key(&fk.ref_table)) {
                if *to != from {
                    let pair = if from < *to { (from.clone(), to.clone()) } else { (to.clone(), from.clone()) };
                    *links.entry(pair).or_default() += 1;
                }
            }
        }
    }
    let mut out = String::from("digraph groups {\n");
    header(&mut out, title);
    out.push_str("  graph [layout=neato, overlap=false, splines=true, sep=\"+24\"];\n");
    for (group, n) in &sizes {
        let label = format!(
            "<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"6\"><TR><TD BGCOLOR=\"#1f4e79\"><FONT COLOR=\"white\"><B>{}</B></FONT></TD></TR><TR><TD>{n} table{}</TD></TR></TABLE>>",
            html(group),
            if *n == 1 { "" } else { "s" }
        );
        let _ = writeln!(out, "  {} [label={label}];", node_id(group));
    }
    for ((from, to), n) in &links {
        let width = 1.0 + (*n as f64).log2().min(4.0) * 0.75;
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, dir=none, penwidth={width:.2}, tooltip={}];",
            node_id(from),
            node_id(to),
            quote(&n.to_string()),
            quote(&format!("{from} — {to}: {n} reference{}", if *n == 1 { "" } else { "s" }))
        );
    }
    out.push_str("}\n");
    out
}

fn header(out: &mut String, title: Option<&str>) {
    let _ = writeln!(out, "  graph [rankdir=LR, fontname={}, fontsize=12, nodesep=0.4, ranksep=0.8];", quote(FONT));
    if let Some(title) = title {
        let _ = writeln!(out, "  label={}; labelloc=t; fontsize=16;", quote(title));
    }
    let _ = writeln!(out, "  node [shape=plaintext, fontname={}, fontsize=11];", quote(FONT));
    let _ = writeln!(out, "  edge [fontname={}, fontsize=9, color=\"#34495e\"];", quote(FONT));
}

fn table_node(table: &Table, schema: &Schema, indent: &str) -> String {
    let mut label =
        String::from("<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"4\" COLOR=\"#34495e\">");
    let _ = write!(
        label,
        "<TR><TD COLSPAN=\"3\" BGCOLOR=\"#1f4e79\" ALIGN=\"CENTER\"><FONT COLOR=\"white\"><B>{}</B></FONT></TD></TR>",
        html(&display_name(table))
    );
    if let Some(comment) = table.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        let _ = write!(
            label,
            "<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\"><FONT POINT-SIZE=\"9\" COLOR=\"#555555\">{}</FONT></TD></TR>",
            html(&shorten(comment, 60))
        );
    }
    if table.columns.is_empty() {
        label.push_str("<TR><TD COLSPAN=\"3\"><FONT COLOR=\"#7f8c8d\"><I>columns not stated</I></FONT></TD></TR>");
    }
    for (i, column) in table.columns.iter().enumerate() {
        let marks = key_marks(table, column, schema).join(" ");
        // NOTE: Graphviz rejects an empty <FONT></FONT> element.
        let marks = if marks.is_empty() {
            String::new()
        } else {
            format!("<FONT POINT-SIZE=\"9\" COLOR=\"#b9770e\">{marks}</FONT>")
        };
        let name = if column.nullable { html(&column.name) } else { format!("<B>{}</B>", html(&column.name)) };
        let _ = write!(
            label,
            "<TR><TD ALIGN=\"LEFT\" PORT=\"in{i}\">{marks}</TD><TD ALIGN=\"LEFT\">{name}</TD><TD ALIGN=\"LEFT\" PORT=\"out{i}\">{}</TD></TR>",
            type_cell(&column.ty.to_string())
        );
    }
    label.push_str("</TABLE>>");
    format!("{indent}{} [label={label}];\n", node_id(&display_name(table)))
}

fn type_cell(ty: &str) -> String {
    if ty.is_empty() {
        String::new()
    } else {
        format!("<FONT COLOR=\"#555555\">{}</FONT>", html(ty))
    }
}

/// A DOT node id: always a quoted string, so that any name is one id.
fn node_id(name: &str) -> String {
    quote(name)
}

/// A DOT double-quoted string: quotes and backslashes escaped, line breaks as spaces.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text inside a Graphviz HTML-like label: markup characters as entities, line breaks as spaces.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            ']' => out.push_str("&#93;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn shorten(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_every_name_one_id() {
        assert_eq!(quote("a\"b\\c\nd"), "\"a\\\"b\\\\c d\"");
        assert_eq!(html("<b> & \"x\""), "&lt;b&gt; &amp; &quot;x&quot;");
    }

    #[test]
    fn long_comments_are_shortened_on_a_character_boundary() {
        assert_eq!(shorten("가나다라마바사", 4), "가나다…");
        assert_eq!(shorten("short  text", 60), "short text");
    }
}

//! What must be true before a plan touches a database: the extensions it needs exist on the server,
//! and nothing is lost or fails on existing data unless the user allowed it. Counts come from the
//! live database, so refusals say exactly what is at stake.

use crate::migrate::{HazardKind, Plan};
use crate::session::{DbError, Session};
use model::{name_eq, Schema};
use serde::Serialize;

/// A hazard of a planned statement, measured on the live database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Measured {
    /// Index of the statement in the plan.
    pub statement: usize,
    pub kind: HazardKind,
    pub message: String,
    /// What the probe counted, when the hazard has one.
    pub count: Option<i64>,
    /// What the count means ("non-null values in messages.audio_url").
    pub label: Option<String>,
    /// Why the probe was not run (it calls a function with side effects).
    pub not_counted: Option<String>,
}

impl Measured {
    /// "12,345 non-null values in messages.audio_url", or the hazard's message without a count.
    pub fn describe(&self) -> String {
        match (self.count, &self.label, &self.not_counted) {
            (Some(n), Some(label), _) => format!("{} {label}", thousands(n)),
            (None, _, Some(why)) => format!("{} (not counted: {why})", self.message),
            _ => self.message.clone(),
        }
    }

    /// Whether this hazard stops an apply without `--allow-destructive`: data would be lost (a
    /// count of zero loses nothing), a likely rename was not declared, or existing rows would make
    /// the statement fail.
    pub fn blocks(&self, allow_destructive: bool) -> bool {
        match self.kind {
            HazardKind::Drop => !allow_destructive,
            HazardKind::DataLoss => !allow_destructive && self.count != Some(0),
            HazardKind::LikelyRename => !allow_destructive,
            HazardKind::MayFail => self.count.is_some_and(|n| n > 0),
            _ => false,
        }
    }
}

/// Runs every hazard's probe.
pub fn measure(session: &mut dyn Session, plan: &Plan) -> Result<Vec<Measured>, DbError> {
    let mut out = Vec::new();
    for (i, statement) in plan.statements.iter().enumerate() {
        for hazard in &statement.hazards {
            let (count, not_counted) = match &hazard.probe {
                Some(sql) => match session.unsafe_to_count(sql)? {
                    Some(why) => (None, Some(why)),
                    None => (Some(session.count(sql)?), None),
                },
                None => (None, None),
            };
            out.push(Measured {
                statement: i,
                kind: hazard.kind,
                message: hazard.message.clone(),
                count,
                label: hazard.probe_label.clone(),
                not_counted,
            });
        }
    }
    Ok(out)
}

/// Extensions `target` needs that neither the live database has nor the server can create.
pub fn missing_extensions(session: &mut dyn Session, live: &Schema, target: &Schema) -> Result<Vec<String>, DbError> {
    let needed: Vec<&str> =
        target.extensions.iter().map(|e| e.name.as_str()).filter(|name| !live.has_extension(name)).collect();
    if needed.is_empty() {
        return Ok(Vec::new());
    }
    let available = session.available_extensions()?;
    Ok(needed.into_iter().filter(|n| !available.iter().any(|a| name_eq(a, n))).map(str::to_string).collect())
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(kind: HazardKind, count: Option<i64>) -> Measured {
        Measured {
            statement: 0,
            kind,
            message: "drops x".into(),
            count,
            label: Some("values in t.x".into()),
            not_counted: None,
        }
    }

    #[test]
    fn counts_read_well() {
        assert_eq!(thousands(12_345), "12,345");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(7), "7");
        assert_eq!(m(HazardKind::DataLoss, Some(12_345)).describe(), "12,345 values in t.x");
        let skipped = Measured { not_counted: Some("it calls lo_create".into()), ..m(HazardKind::MayFail, None) };
        assert_eq!(skipped.describe(), "drops x (not counted: it calls lo_create)");
    }

    #[test]
    fn what_blocks_an_apply() {
        assert!(m(HazardKind::DataLoss, Some(3)).blocks(false));
        assert!(!m(HazardKind::DataLoss, Some(3)).blocks(true));
        assert!(!m(HazardKind::DataLoss, Some(0)).blocks(false), "changing no value is not destructive");
        assert!(m(HazardKind::Drop, Some(0)).blocks(false), "a drop is destructive even of an empty table");
        assert!(!m(HazardKind::Drop, Some(7)).blocks(true));
        assert!(m(HazardKind::DataLoss, None).blocks(false), "an unmeasured loss is assumed");
        assert!(m(HazardKind::LikelyRename, None).blocks(false));
        assert!(m(HazardKind::MayFail, Some(2)).blocks(true), "a statement that will fail is never allowed");
        assert!(!m(HazardKind::MayFail, Some(0)).blocks(false));
        assert!(!m(HazardKind::Rewrite, None).blocks(false));
    }
}

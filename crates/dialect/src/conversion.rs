//! What a change of column type does to the values already stored, engine-neutral: each way a
//! value can come out different ([`Effect`]), and the hazard that counts the values it changes.
//! Engines spell only the condition that tells a changed value (`col::date::timestamp <> col` on
//! PostgreSQL, `CAST(col AS DECIMAL(10,2)) <> col` on MySQL); the classification, the messages and
//! the refusal (`--allow-destructive`) are shared.
//!
//! Conversions that make the statement *fail* (a string too long for a PostgreSQL `varchar(n)`, an
//! integer out of range) are not effects: each engine counts those as [`HazardKind::MayFail`].

use crate::migrate::{Hazard, HazardKind};
use model::TypeKind;

/// A way a type change alters values that fit the new type: every value it applies to is counted
/// and the change is refused without `--allow-destructive` unless the count is zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Decimal places beyond `scale` are rounded (`numeric(12,4)` → `numeric(12,2)`, float → decimal).
    Scale { scale: u32 },
    /// The fraction is rounded away (decimal or floating point → integer).
    Fraction,
    /// Integers that a binary floating point number of `bits` significant bits cannot hold exactly
    /// (beyond 2⁵³ for a double, 2²⁴ for a float) become the nearest one it can.
    Mantissa { bits: u32 },
    /// A double becomes a single-precision float: about 7 significant digits are kept.
    FloatPrecision,
    /// A timestamp becomes a date: the time of day is dropped.
    TimeOfDay,
    /// Fractions of a second beyond `precision` digits are dropped or rounded.
    SubSecond { precision: u32 },
    /// A timestamp without time zone becomes one with: each value is read as a time of the
    /// database's time zone; local times that do not exist there (a daylight-saving gap) move.
    ZoneInterpretation,
    /// A timestamp with time zone becomes one without: each instant is written as the database
    /// time zone's local time, and the offset is gone (the repeated hour of a daylight-saving
    /// change can no longer be told apart).
    ZoneDropped,
    /// Text becomes a number: spellings the number does not keep (`007`, ` 12`, `+5`, `1.50` for an
    /// integer) are lost; the count is of values whose text differs from the number's.
    TextToNumber,
}

/// How a timestamp type is held: its time zone flag and fractional digits (the engine's default
/// when unwritten).
fn timestamp(kind: &TypeKind, default_precision: u32) -> Option<(bool, u32)> {
    match kind {
        TypeKind::Timestamp { tz, precision } => Some((*tz, precision.unwrap_or(default_precision))),
        _ => None,
    }
}

fn is_string(kind: &TypeKind) -> bool {
    matches!(kind, TypeKind::Text | TypeKind::Varchar { .. } | TypeKind::Char { .. })
}

/// Significant bits of a floating point type of `bytes`.
fn mantissa(bytes: u8) -> u32 {
    if bytes <= 4 {
        24
    } else {
        53
    }
}

/// Bits an integer of `bytes` may need.
fn int_bits(bytes: u8) -> u32 {
    u32::from(bytes) * 8 - 1
}

/// The ways a change from `from` to `to` alters values that fit the new type, in a stable order.
/// `timestamp_precision` is the engine's fractional-second digits for a timestamp that writes
/// none (6 on PostgreSQL, 0 on MySQL).
pub(crate) fn effects(from: &TypeKind, to: &TypeKind, timestamp_precision: u32) -> Vec<Effect> {
    use TypeKind::*;
    let mut out = Vec::new();
    match (from, to) {
        (Decimal { scale: s1, .. }, Decimal { scale: Some(s2), .. }) if s1.is_none_or(|s1| s1 > *s2) => {
            out.push(Effect::Scale { scale: *s2 })
        }
        (Float { .. }, Decimal { scale, .. }) => out.push(Effect::Scale { scale: scale.unwrap_or(0) }),
        (Decimal { .. } | Float { .. }, Int { .. }) => out.push(Effect::Fraction),
        (Int { bytes }, Float { bytes: f }) if int_bits(*bytes) > mantissa(*f) => {
            out.push(Effect::Mantissa { bits: mantissa(*f) })
        }
        (Decimal { precision, .. }, Float { bytes: f }) => {
            // NOTE: a double keeps 15 significant decimal digits exactly, a float 6.
            let digits = if *f <= 4 { 6 } else { 15 };
            if precision.is_none_or(|p| p > digits) {
                out.push(Effect::FloatPrecision);
            }
        }
        (Float { bytes: 8 }, Float { bytes: 4 }) => out.push(Effect::FloatPrecision),
        (Timestamp { .. }, Date) => out.push(Effect::TimeOfDay),
        (Timestamp { .. }, Timestamp { .. }) => {
            let (Some((tz1, p1)), Some((tz2, p2))) =
                (timestamp(from, timestamp_precision), timestamp(to, timestamp_precision))
            else {
                return out;
            };
            if p2 < p1 {
                out.push(Effect::SubSecond { precision: p2 });
            }
            match (tz1, tz2) {
                (false, true) => out.push(Effect::ZoneInterpretation),
                (true, false) => out.push(Effect::ZoneDropped),
                _ => {}
            }
        }
        (Date, Timestamp { tz: true, .. }) => out.push(Effect::ZoneInterpretation),
        (a, Int { .. } | Decimal { .. } | Float { .. }) if is_string(a) => out.push(Effect::TextToNumber),
        _ => {}
    }
    out
}

impl Effect {
    /// What happens to the values of `label` (`orders.placed_at`) becoming `ty`, in the database
    /// time zone `zone` when the effect depends on one.
    pub(crate) fn message(&self, label: &str, ty: &str, zone: Option<&str>) -> String {
        let zone = zone
            .map(|z| format!("`{z}`, the database's time zone"))
            .unwrap_or_else(|| "the session's time zone (the database's could not be read)".to_string());
        match self {
            Effect::Scale { scale } => format!("values of {label} are rounded to {scale} decimal places ({ty})"),
            Effect::Fraction => format!("fractions of {label} are rounded away ({ty})"),
            Effect::Mantissa { bits } => {
                format!("integers of {label} beyond 2^{bits} become the nearest {ty} ({bits} significant bits)")
            }
            Effect::FloatPrecision => format!("values of {label} lose significant digits as {ty}"),
            Effect::TimeOfDay => format!("the time of day of {label} is dropped ({ty})"),
            Effect::SubSecond { precision } => {
                format!("fractions of a second of {label} beyond {precision} digits are dropped ({ty})")
            }
            Effect::ZoneInterpretation => format!(
                "values of {label} are read as local times of {zone}; times that do not exist there (a \
                 daylight-saving gap) move"
            ),
            Effect::ZoneDropped => {
                format!("instants of {label} are written as local times of {zone}; the offset is dropped")
            }
            Effect::TextToNumber => {
                format!("text of {label} is read as {ty}: spellings the number does not keep are lost")
            }
        }
    }

    /// What a count of this effect counts ("values of orders.total with more than 2 decimal places"),
    /// naming the time zone (`zone`) when the effect depends on it.
    pub(crate) fn counted(&self, label: &str, zone: Option<&str>) -> String {
        match self {
            Effect::Scale { scale } => format!("values of {label} with more than {scale} decimal places"),
            Effect::Fraction => format!("values of {label} with a fraction"),
            Effect::Mantissa { bits } => format!("values of {label} not exact in {bits} significant bits"),
            Effect::FloatPrecision => format!("values of {label} that lose digits"),
            Effect::TimeOfDay => format!("values of {label} with a time of day"),
            Effect::SubSecond { precision } => {
                format!("values of {label} with more than {precision} fractional digits")
            }
            Effect::ZoneInterpretation => format!("values of {label} that move when read in {}", zone_words(zone)),
            Effect::ZoneDropped => {
                format!("values of {label} that change without their offset in {}", zone_words(zone))
            }
            Effect::TextToNumber => format!("values of {label} whose text differs from the number"),
        }
    }

    /// The hazard: values change, counted by `condition` on the live table `t` (a quoted name) when
    /// the engine can tell a changed value, else assumed (and refused) without a count.
    pub(crate) fn hazard(
        &self,
        t: &str,
        label: &str,
        ty: &str,
        zone: Option<&str>,
        condition: Option<String>,
    ) -> Hazard {
        let hazard = Hazard::new(HazardKind::DataLoss, self.message(label, ty, zone));
        match condition {
            Some(cond) => hazard.counted(format!("SELECT count(*) FROM {t} WHERE {cond}"), self.counted(label, zone)),
            None => hazard,
        }
    }
}

/// "`Asia/Seoul`, the database's time zone".
fn zone_words(zone: Option<&str>) -> String {
    zone.map(|z| format!("`{z}`, the database's time zone"))
        .unwrap_or_else(|| "the session's time zone (the database's could not be read)".to_string())
}

/// A condition, in SQL every engine reads (`CASE`, `BETWEEN`, `%`), true when the integer column
/// `c` holds a value that a binary floating point number of `bits` significant bits cannot hold
/// exactly: beyond 2^bits, a value is exact only when it is a multiple of the power of two its
/// magnitude leaves (2 up to 2^(bits+1), 4 up to 2^(bits+2)…). Integer arithmetic only, so the
/// count is exact at every magnitude (no `log2`, no `abs` of the smallest integer).
pub(crate) fn inexact_in_float(c: &str, bits: u32) -> String {
    let mut out = format!("CASE WHEN {c} BETWEEN -{} AND {} THEN 0", 1u64 << bits, 1u64 << bits);
    for k in 1..(63 - bits) {
        let bound = 1u64 << (bits + k);
        out.push_str(&format!(" WHEN {c} BETWEEN -{bound} AND {bound} THEN {c} % {}", 1u64 << k));
    }
    out.push_str(&format!(" ELSE {c} % {} END <> 0", 1u64 << (63 - bits)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(tz: bool, precision: Option<u32>) -> TypeKind {
        TypeKind::Timestamp { tz, precision }
    }

    #[test]
    fn widening_changes_nothing() {
        use TypeKind::*;
        assert!(effects(&Int { bytes: 4 }, &Int { bytes: 8 }, 6).is_empty());
        assert!(effects(&Int { bytes: 4 }, &Float { bytes: 8 }, 6).is_empty(), "31 bits fit 53");
        assert!(effects(&Decimal { precision: Some(10), scale: Some(2) }, &Float { bytes: 8 }, 6).is_empty());
        assert!(effects(
            &Decimal { precision: Some(10), scale: Some(2) },
            &Decimal { precision: Some(12), scale: Some(4) },
            6
        )
        .is_empty());
        assert!(effects(&Date, &ts(false, None), 6).is_empty());
        assert!(effects(&ts(false, Some(3)), &ts(false, None), 6).is_empty());
        assert!(effects(&Varchar { len: Some(10) }, &Text, 6).is_empty());
        assert!(effects(&Int { bytes: 8 }, &Text, 6).is_empty());
    }

    #[test]
    fn every_lossy_change_is_classified() {
        use TypeKind::*;
        let d = |p, s| Decimal { precision: Some(p), scale: Some(s) };
        assert_eq!(effects(&d(12, 4), &d(12, 2), 6), [Effect::Scale { scale: 2 }]);
        assert_eq!(effects(&Float { bytes: 8 }, &d(10, 2), 6), [Effect::Scale { scale: 2 }]);
        assert_eq!(effects(&d(10, 2), &Int { bytes: 8 }, 6), [Effect::Fraction]);
        assert_eq!(effects(&Int { bytes: 8 }, &Float { bytes: 8 }, 6), [Effect::Mantissa { bits: 53 }]);
        assert_eq!(effects(&Int { bytes: 4 }, &Float { bytes: 4 }, 6), [Effect::Mantissa { bits: 24 }]);
        assert_eq!(effects(&Float { bytes: 8 }, &Float { bytes: 4 }, 6), [Effect::FloatPrecision]);
        assert_eq!(effects(&d(20, 2), &Float { bytes: 8 }, 6), [Effect::FloatPrecision]);
        assert_eq!(effects(&ts(false, None), &Date, 6), [Effect::TimeOfDay]);
        assert_eq!(effects(&ts(true, None), &Date, 6), [Effect::TimeOfDay]);
        assert_eq!(effects(&ts(false, None), &ts(true, None), 6), [Effect::ZoneInterpretation]);
        assert_eq!(
            effects(&ts(true, Some(6)), &ts(false, Some(0)), 6),
            [Effect::SubSecond { precision: 0 }, Effect::ZoneDropped]
        );
        assert_eq!(effects(&ts(false, Some(6)), &ts(false, None), 0), [Effect::SubSecond { precision: 0 }]);
        assert_eq!(effects(&Text, &Int { bytes: 4 }, 6), [Effect::TextToNumber]);
        assert_eq!(effects(&Varchar { len: Some(20) }, &d(10, 2), 6), [Effect::TextToNumber]);
    }

    #[test]
    fn the_time_zone_is_named_in_the_message() {
        let m = Effect::ZoneInterpretation.message("t.at", "timestamptz", Some("Asia/Seoul"));
        assert!(m.contains("`Asia/Seoul`, the database's time zone"), "{m}");
        let m = Effect::ZoneDropped.message("t.at", "timestamp", None);
        assert!(m.contains("could not be read"), "{m}");
    }

    /// The condition, evaluated in Rust the way SQL would, against a direct test of exactness.
    fn inexact(v: i64, bits: u32) -> bool {
        let limit = 1i128 << bits;
        let v128 = i128::from(v);
        if (-limit..=limit).contains(&v128) {
            return false;
        }
        for k in 1..(63 - bits) {
            let bound = 1i128 << (bits + k);
            if (-bound..=bound).contains(&v128) {
                return v128 % (1i128 << k) != 0;
            }
        }
        v128 % (1i128 << (63 - bits)) != 0
    }

    #[test]
    fn integers_inexact_in_a_double_are_found_at_every_magnitude() {
        let exact = |v: i64, bits: u32| {
            let f = if bits == 53 { v as f64 } else { v as f32 as f64 };
            // NOTE: i64::MAX as f64 is 2^63, which does not fit back: compare in i128.
            (f as i128) == i128::from(v)
        };
        let mut samples = vec![0, 1, -1, i64::MAX, i64::MIN, i64::MIN + 1];
        for shift in 20..63 {
            let p = 1i64 << shift;
            samples.extend([p - 1, p, p + 1, p + 2, p + 3, -p, -p - 1, -p + 1, p - 2, p + 1024, p + 2048 + 1]);
        }
        for bits in [24, 53] {
            for &v in &samples {
                assert_eq!(inexact(v, bits), !exact(v, bits), "{v} with {bits} bits");
            }
        }
        let sql = inexact_in_float("\"c\"", 53);
        assert!(sql.starts_with("CASE WHEN \"c\" BETWEEN -9007199254740992 AND 9007199254740992 THEN 0"), "{sql}");
        assert!(sql.ends_with("ELSE \"c\" % 1024 END <> 0"), "{sql}");
    }
}

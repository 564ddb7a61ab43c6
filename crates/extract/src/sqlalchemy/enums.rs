//! Python enum classes as column types: `class Mood(str, enum.Enum)` in the same python block,
//! used as `Mapped[Mood]` or `Enum(Mood)`.

use super::{args, call, kwarg, last_segment, py_string, ClassDef};
use crate::frontend::Partial;
use model::{name_key, DataType, Enum, Origin, TypeKind};

/// An enum class of the document: its members as (name, value) in order.
pub(super) struct EnumClass {
    pub name: String,
    pub members: Vec<(String, String)>,
    pub origin: Origin,
}

/// Whether a class's bases make it a python enum (`enum.Enum`, `str, Enum`, `IntEnum`, `StrEnum`).
pub(super) fn is_enum_class(bases: &[String]) -> bool {
    bases.iter().any(|b| matches!(last_segment(b.trim()), "Enum" | "IntEnum" | "StrEnum" | "Flag" | "IntFlag"))
}

/// Reads `NAME = value` (or `NAME = auto()`) in an enum class body.
pub(super) fn member(text: &str) -> Option<(String, String)> {
    let (name, value) = text.split_once('=')?;
    let name = name.trim();
    if name.is_empty() || name.starts_with('_') || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let value = value.trim();
    let value = py_string(value).unwrap_or_else(|| value.to_string());
    Some((name.to_string(), value))
}

/// Gives every column typed by an enum class of the document that enum as its type, and adds the
/// enum types SQLAlchemy creates. SQLAlchemy names the type after the class in lower case and
/// stores the members' *names*, unless `name=` or `values_callable=` say otherwise.
pub(super) fn resolve<'a>(enums: &[EnumClass], classes: impl Iterator<Item = &'a mut ClassDef>, out: &mut Partial) {
    if enums.is_empty() {
        return;
    }
    for class in classes {
        for col in &mut class.columns {
            let Some(ty) = &col.ty else { continue };
            let TypeKind::Other { raw } = &ty.kind else { continue };
            let Some((class_name, type_name, by_value)) = enum_use(raw) else { continue };
            let Some(e) = enums.iter().find(|e| e.name == class_name) else { continue };
            let type_name = type_name.unwrap_or_else(|| e.name.to_lowercase());
            let values: Vec<String> =
                e.members.iter().map(|(n, v)| if by_value { v.clone() } else { n.clone() }).collect();
            if !out.schema.enums.iter().any(|x| name_key(&x.name) == name_key(&type_name)) {
                out.schema.enums.push(Enum { name: type_name.clone(), values, origin: e.origin.clone() });
            }
            col.ty = Some(DataType::new(TypeKind::Enum { name: type_name }, ty.spelling.clone()));
        }
    }
}

/// `Mood` → (`Mood`, None, false); `Enum(Mood, name="mood_kind", values_callable=…)` →
/// (`Mood`, Some(`mood_kind`), true).
fn enum_use(raw: &str) -> Option<(String, Option<String>, bool)> {
    let raw = raw.trim();
    let Some((callee, inner, _)) = call(raw) else {
        let class = last_segment(raw);
        return class.chars().all(|c| c.is_alphanumeric() || c == '_').then(|| (class.to_string(), None, false));
    };
    if !matches!(last_segment(callee), "Enum" | "SAEnum" | "SqlEnum" | "SQLEnum") {
        return None;
    }
    let mut class = None;
    let mut name = None;
    let mut by_value = false;
    for (_, a) in args(inner) {
        match kwarg(a) {
            Some(("name", v)) => name = py_string(v),
            Some(("values_callable", _)) => by_value = true,
            Some(_) => {}
            None if class.is_none() && py_string(a).is_none() => class = Some(last_segment(a.trim()).to_string()),
            None => {}
        }
    }
    class.map(|c| (c, name, by_value))
}

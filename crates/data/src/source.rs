//! Reading the records of a JSON file one at a time, however large the file: an array of objects,
//! an object of objects keyed by id (`{ "<id>": { … } }`), an object wrapping one array
//! (`{ "users": [ … ] }`), or JSON Lines (`.jsonl`, `.ndjson`). Only one record is held at a time.

use serde::de::{self, DeserializeSeed, Deserializer as _, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::io::Read;

/// One record of a file: its position (0-based, in file order), the key it was stored under in
/// an object keyed by id, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub index: u64,
    pub key: Option<String>,
    pub value: Value,
}

/// Why reading stopped: the file is not JSON of a supported shape, or the consumer stopped.
#[derive(Debug)]
pub enum ReadStop<E> {
    Syntax(String),
    Consumer(E),
}

/// Calls `each` with every record of `reader`, in order.
pub fn read_records<R: Read, E>(
    reader: R,
    lines: bool,
    mut each: impl FnMut(Record) -> Result<(), E>,
) -> Result<u64, ReadStop<E>> {
    if lines {
        let mut index = 0;
        for value in serde_json::Deserializer::from_reader(reader).into_iter::<Value>() {
            let value = value.map_err(|e| ReadStop::Syntax(e.to_string()))?;
            each(Record { index, key: None, value }).map_err(ReadStop::Consumer)?;
            index += 1;
        }
        return Ok(index);
    }
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut state = State { each: &mut each, stopped: None, count: 0 };
    let read = de.deserialize_any(Top { state: &mut state });
    if let Some(e) = state.stopped.take() {
        return Err(ReadStop::Consumer(e));
    }
    read.map_err(|e| ReadStop::Syntax(e.to_string()))?;
    de.end().map_err(|e| ReadStop::Syntax(e.to_string()))?;
    Ok(state.count)
}

struct State<'f, F, E> {
    each: &'f mut F,
    stopped: Option<E>,
    count: u64,
}

impl<F: FnMut(Record) -> Result<(), E>, E> State<'_, F, E> {
    fn give<X: de::Error>(&mut self, key: Option<String>, value: Value) -> Result<(), X> {
        let record = Record { index: self.count, key, value };
        self.count += 1;
        (self.each)(record).map_err(|e| {
            self.stopped = Some(e);
            X::custom("stopped by the consumer")
        })
    }
}

struct Top<'s, 'f, F, E> {
    state: &'s mut State<'f, F, E>,
}

impl<'de, F: FnMut(Record) -> Result<(), E>, E> Visitor<'de> for Top<'_, '_, F, E> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of objects, or an object of objects keyed by id")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            self.state.give(None, value)?;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            // An array under a key is a wrapper (`{ "users": [ … ] }`): its elements are the rows,
            // read one at a time as well.
            map.next_value_seed(Entry { state: &mut *self.state, key })?;
        }
        Ok(())
    }
}

/// The value under one key of a top-level object.
struct Entry<'s, 'f, F, E> {
    state: &'s mut State<'f, F, E>,
    key: String,
}

impl<'de, F: FnMut(Record) -> Result<(), E>, E> DeserializeSeed<'de> for Entry<'_, '_, F, E> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Record) -> Result<(), E>, E> Visitor<'de> for Entry<'_, '_, F, E> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(value) = seq.next_element::<Value>()? {
            self.state.give(None, value)?;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let value = object_of(map)?;
        self.state.give(Some(self.key), value)
    }

    fn visit_bool<X: de::Error>(self, v: bool) -> Result<(), X> {
        self.state.give(Some(self.key), Value::Bool(v))
    }
    fn visit_i64<X: de::Error>(self, v: i64) -> Result<(), X> {
        self.state.give(Some(self.key), Value::from(v))
    }
    fn visit_u64<X: de::Error>(self, v: u64) -> Result<(), X> {
        self.state.give(Some(self.key), Value::from(v))
    }
    fn visit_f64<X: de::Error>(self, v: f64) -> Result<(), X> {
        self.state.give(Some(self.key), Value::from(v))
    }
    fn visit_str<X: de::Error>(self, v: &str) -> Result<(), X> {
        self.state.give(Some(self.key), Value::from(v))
    }
    fn visit_unit<X: de::Error>(self) -> Result<(), X> {
        self.state.give(Some(self.key), Value::Null)
    }
}

/// A map read whole into a JSON object.
fn object_of<'de, A: MapAccess<'de>>(mut map: A) -> Result<Value, A::Error> {
    let mut out = serde_json::Map::new();
    while let Some((k, v)) = map.next_entry::<String, Value>()? {
        out.insert(k, v);
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str, lines: bool) -> Vec<Record> {
        let mut out = Vec::new();
        read_records::<_, ()>(text.as_bytes(), lines, |r| {
            out.push(r);
            Ok(())
        })
        .unwrap();
        out
    }

    #[test]
    fn arrays_keyed_objects_wrappers_and_lines() {
        let a = all(r#"[{"id":1},{"id":2}]"#, false);
        assert_eq!(a.len(), 2);
        assert_eq!(a[1].index, 1);
        let k = all(r#"{"s1":{"userId":"u"},"s2":{"userId":"v"}}"#, false);
        assert_eq!(k[1].key.as_deref(), Some("s2"));
        assert_eq!(k[1].value["userId"], "v");
        let w = all(r#"{"users":[{"id":1},{"id":2},{"id":3}]}"#, false);
        assert_eq!((w.len(), w[2].key.clone()), (3, None));
        let l = all("{\"id\":1}\n{\"id\":2}\n", true);
        assert_eq!(l.len(), 2);
    }

    #[test]
    fn broken_json_is_a_syntax_stop() {
        let r = read_records::<_, ()>(&b"[{\"id\":1},"[..], false, |_| Ok(()));
        assert!(matches!(r, Err(ReadStop::Syntax(m)) if m.contains("line 1")));
        let r = read_records::<_, ()>(&b"[] []"[..], false, |_| Ok(()));
        assert!(matches!(r, Err(ReadStop::Syntax(_))));
    }

    #[test]
    fn the_consumer_can_stop() {
        let r = read_records(&b"[1,2,3]"[..], false, |rec| if rec.index == 1 { Err("stop") } else { Ok(()) });
        assert!(matches!(r, Err(ReadStop::Consumer("stop"))));
    }
}

//! The JSON reader (`src/json.rs`): never panics; agrees with serde_json on
//! which texts are JSON (within the reader's nesting bound) and on their
//! values; writing a parsed value and reading it back gives the same value.
#![no_main]

use cognito_wasm::json::Json;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// The reader's nesting bound is 64; stay clear of the edge, where the two
/// count differently (serde_json's own limit is 128).
const SAFE_DEPTH: usize = 60;

fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(m) => 1 + m.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Whether our value means the same as serde_json's (objects: the last of
/// duplicate members, as both readers keep; numbers: equal as serde_json
/// reads our kept source text).
fn same(ours: &Json, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Json::Null, Value::Null) => true,
        (Json::Bool(a), Value::Bool(b)) => a == b,
        (Json::Number(text), Value::Number(_)) => {
            serde_json::from_str::<Value>(text).ok().as_ref() == Some(theirs)
        }
        (Json::String(a), Value::String(b)) => a == b,
        (Json::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Json::Object(members), Value::Object(map)) => {
            map.iter()
                .all(|(k, v)| ours.get(k).is_some_and(|o| same(o, v)))
                && members.iter().all(|(k, _)| map.contains_key(k))
        }
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let ours = Json::parse(data);
    let theirs = serde_json::from_slice::<Value>(data);
    match (&ours, &theirs) {
        (Some(o), Ok(t)) => assert!(same(o, t), "values differ"),
        // serde_json (without arbitrary_precision) refuses numbers beyond
        // f64's range; RFC 8259 §6 lets a reader accept them, and ours does
        // (kept as text; `as_f64` gives None).
        (Some(_), Err(e)) if e.to_string().starts_with("number out of range") => {}
        (Some(_), Err(e)) => panic!("we accept what serde_json refuses: {e}"),
        (None, Ok(t)) => assert!(depth(t) > SAFE_DEPTH, "we refuse valid JSON"),
        (None, Err(_)) => {}
    }
    if let Some(v) = ours {
        let text = v.to_json_string();
        assert_eq!(
            Json::parse(text.as_bytes()).as_ref(),
            Some(&v),
            "round trip"
        );
        // The accessors on every value: none may panic.
        let mut stack = vec![&v];
        while let Some(x) = stack.pop() {
            let _ = (x.as_f64(), x.as_str(), x.is_object(), x.get("a"));
            match x {
                Json::Array(a) => stack.extend(a.iter()),
                Json::Object(m) => stack.extend(m.iter().map(|(_, v)| v)),
                Json::Number(n) => {
                    // Exact for plain integers of up to 15 digits.
                    let digits = n.trim_start_matches('-');
                    if digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()) {
                        assert_eq!(x.as_f64(), n.parse::<f64>().ok(), "integer value of {n}");
                    }
                }
                _ => {}
            }
        }
    }
});

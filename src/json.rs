//! A small JSON reader and writer (RFC 8259) for JWT headers and claims,
//! JWKS documents and OAuth token responses.
//!
//! Why not serde_json: these documents are small and read by key, and
//! serde_json plus serde's derive machinery costs several times the bytes of
//! this module in the shipped wasm (see the crate's size notes). Numbers keep
//! their source text, so writing claims back out never reformats a float.
//!
//! Parsing is strict RFC 8259 (no trailing commas, comments, or control
//! characters in strings), nesting is bounded, and nothing panics on any
//! input. Duplicate object members are kept; lookups return the last one, as
//! JavaScript's `JSON.parse` does (RFC 7519 §4 allows exactly that).

use crate::prelude::*;

/// The deepest nesting accepted; deeper input is rejected rather than
/// risking the stack.
const MAX_DEPTH: usize = 64;

/// A parsed JSON value (RFC 8259 §3).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as its validated source text (RFC 8259 §6).
    Number(String),
    /// A string, unescaped (RFC 8259 §7).
    String(String),
    /// An array (RFC 8259 §5).
    Array(Vec<Json>),
    /// An object's members in source order (RFC 8259 §4).
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parses a complete JSON text (RFC 8259 §2); `None` if it is not valid
    /// UTF-8 JSON or nests deeper than 64 levels.
    pub fn parse(bytes: &[u8]) -> Option<Json> {
        let text = core::str::from_utf8(bytes).ok()?;
        let mut p = Parser {
            s: text.as_bytes(),
            i: 0,
        };
        let v = p.value(0)?;
        p.ws();
        (p.i == p.s.len()).then_some(v)
    }

    /// The member `key` of an object (the last one if repeated); `None` for
    /// non-objects and absent keys.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(m) => m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string value, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The numeric value, if this is a finite number. Exact (correctly
    /// rounded) for up to 15 significant digits with a decimal exponent of
    /// at most ±22, which covers every time claim and `expires_in`; other
    /// values are approximated. Why not `str::parse::<f64>`: its tables cost
    /// ~17 KiB of gzipped wasm.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(n) => number_value(n).filter(|f| f.is_finite()),
            _ => None,
        }
    }

    /// The array elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }

    /// Serialises the value as compact JSON text (RFC 8259), escaping only
    /// what §7 requires.
    pub fn to_json_string(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_str(s, out),
            Json::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            Json::Object(m) => {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(k, out);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// The value of an RFC 8259 number lexeme (already validated by the
/// parser). Digits go into an integer mantissa and the decimal exponent is
/// applied with one multiplication or division by an exact power of ten,
/// Clinger's fast path: one rounding, so exact for mantissas below 2^53 and
/// exponents within ±22.
fn number_value(text: &str) -> Option<f64> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (digits_part, exp_part) = match rest.find(['e', 'E']) {
        Some(i) => (rest.get(..i)?, rest.get(i + 1..)?),
        None => (rest, ""),
    };
    let mut mantissa: u64 = 0;
    let mut exp10: i64 = 0;
    let mut after_point = false;
    for b in digits_part.bytes() {
        match b {
            b'.' => after_point = true,
            b'0'..=b'9' => {
                if mantissa < 1_000_000_000_000_000_000 {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    exp10 -= i64::from(after_point);
                } else {
                    // Digits beyond 19 only scale the value.
                    exp10 += i64::from(!after_point);
                }
            }
            _ => return None,
        }
    }
    if !exp_part.is_empty() {
        let (sign, digits) = match exp_part.as_bytes()[0] {
            b'-' => (-1, exp_part.get(1..)?),
            b'+' => (1, exp_part.get(1..)?),
            _ => (1, exp_part),
        };
        let mut e: i64 = 0;
        for b in digits.bytes() {
            // Saturate: anything this large is infinite or zero anyway.
            e = (e * 10 + i64::from(b.wrapping_sub(b'0'))).min(100_000);
        }
        exp10 += sign * e;
    }
    let m = mantissa as f64;
    let value = if mantissa == 0 {
        0.0
    } else if exp10 >= 0 {
        m * pow10(exp10)
    } else if exp10 >= -308 {
        m / pow10(-exp10)
    } else {
        // Split so the divisor stays finite (subnormal results).
        m / pow10(308) / pow10(-exp10 - 308)
    };
    Some(if negative { -value } else { value })
}

/// 10^e for e ≥ 0: exact up to 10^22, then by repeated squaring (infinite
/// beyond f64's range, which callers reject as not finite).
fn pow10(e: i64) -> f64 {
    let mut result = 1.0f64;
    let mut base = 10.0f64;
    let mut e = e;
    while e > 0 {
        if e & 1 == 1 {
            result *= base;
        }
        base *= base;
        e >>= 1;
    }
    result
}

fn write_str(s: &str, out: &mut String) {
    out.push('"');
    // Runs of characters that need no escape are copied whole; every
    // escaped character is ASCII, so the runs end on character boundaries.
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(run..i).unwrap_or_default());
        if escaped.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        } else {
            out.push_str(escaped);
        }
        run = i + 1;
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    // Called for every byte read: inlined, it makes parsing a token's
    // claims about a tenth faster for a few bytes of code.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> Option<()> {
        let end = self.i.checked_add(lit.len())?;
        (self.s.get(self.i..end)? == lit).then(|| self.i = end)
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match self.peek()? {
            b'n' => self.eat(b"null").map(|_| Json::Null),
            b't' => self.eat(b"true").map(|_| Json::Bool(true)),
            b'f' => self.eat(b"false").map(|_| Json::Bool(false)),
            b'"' => self.string().map(Json::String),
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return Some(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            return Some(Json::Array(items));
                        }
                        _ => return None,
                    }
                }
            }
            b'{' => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    return Some(Json::Object(members));
                }
                loop {
                    self.ws();
                    if self.peek()? != b'"' {
                        return None;
                    }
                    let key = self.string()?;
                    self.ws();
                    self.eat(b":")?;
                    members.push((key, self.value(depth + 1)?));
                    self.ws();
                    match self.peek()? {
                        b',' => self.i += 1,
                        b'}' => {
                            self.i += 1;
                            return Some(Json::Object(members));
                        }
                        _ => return None,
                    }
                }
            }
            _ => self.number(),
        }
    }

    /// RFC 8259 §6: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Option<Json> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek()? {
            b'0' => self.i += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.require_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            self.require_digits()?;
        }
        let text = core::str::from_utf8(self.s.get(start..self.i)?).ok()?;
        Some(Json::Number(text.to_owned()))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
    }

    fn require_digits(&mut self) -> Option<()> {
        let start = self.i;
        self.digits();
        (self.i > start).then_some(())
    }

    fn hex4(&mut self) -> Option<u32> {
        let end = self.i.checked_add(4)?;
        let h = core::str::from_utf8(self.s.get(self.i..end)?).ok()?;
        if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.i = end;
        u32::from_str_radix(h, 16).ok()
    }

    /// RFC 8259 §7, including surrogate pairs; lone surrogates are rejected
    /// because they cannot be represented in UTF-8.
    fn string(&mut self) -> Option<String> {
        self.i += 1; // the opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.i += 1;
            }
            // The input is valid UTF-8 and we stopped at an ASCII byte, so
            // this slice is on character boundaries.
            let run = core::str::from_utf8(self.s.get(start..self.i)?).ok()?;
            match self.peek()? {
                // No escape: one allocation of the right size.
                b'"' if out.is_empty() => {
                    self.i += 1;
                    return Some(run.to_owned());
                }
                b'"' => {
                    self.i += 1;
                    out.push_str(run);
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(run);
                    self.i += 1;
                    let esc = self.peek()?;
                    self.i += 1;
                    out.push(match esc {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                self.eat(b"\\u")?;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return None;
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(cp)?
                        }
                        _ => return None,
                    });
                }
                _ => return None, // a raw control character
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Json;

    /// Converts serde_json's reading (an independent parser) to ours, for
    /// comparison.
    fn from_serde(v: &serde_json::Value) -> Json {
        match v {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(*b),
            serde_json::Value::Number(n) => Json::Number(n.to_string()),
            serde_json::Value::String(s) => Json::String(s.clone()),
            serde_json::Value::Array(a) => Json::Array(a.iter().map(from_serde).collect()),
            serde_json::Value::Object(m) => {
                Json::Object(m.iter().map(|(k, v)| (k.clone(), from_serde(v))).collect())
            }
        }
    }

    #[test]
    fn agrees_with_serde_json_on_valid_and_invalid_texts() {
        let cases: &[&str] = &[
            r#"{"a":1,"b":[true,false,null],"c":{"d":"e"}}"#,
            r#" { "s" : "q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00" } "#,
            r#"[0,-0,12,-3,1.5,2e10,1E-3,-1.25e+2]"#,
            r#""only a string""#,
            "[]",
            "{}",
            "{\"k\":\"\u{1F600} raw utf8\"}",
            // Invalid in both:
            "",
            "{",
            r#"{"a":1,}"#,
            "[1,]",
            "01",
            "1.",
            ".5",
            "-",
            "+1",
            "1e",
            r#""\ud800""#,
            r#""\udc00x""#,
            r#""\x""#,
            "\"tab\tinside\"",
            "nul",
            "truex",
            "[1] 2",
            "{\"a\" 1}",
            "{1:2}",
            "NaN",
            "<html>oops</html>",
        ];
        for c in cases {
            let ours = Json::parse(c.as_bytes());
            let theirs = serde_json::from_str::<serde_json::Value>(c)
                .ok()
                .map(|v| from_serde(&v));
            // serde_json normalises number text (e.g. 2e10 → 20000000000.0),
            // so numbers are compared by value, everything else exactly.
            match (&ours, &theirs) {
                (Some(a), Some(b)) => assert!(same(a, b), "{c}: {a:?} vs {b:?}"),
                (None, None) => {}
                _ => panic!("disagree on {c:?}: ours {ours:?}, serde_json {theirs:?}"),
            }
        }
    }

    fn same(a: &Json, b: &Json) -> bool {
        match (a, b) {
            (Json::Number(_), Json::Number(_)) => a.as_f64() == b.as_f64(),
            (Json::Array(x), Json::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
            }
            (Json::Object(x), Json::Object(y)) => {
                x.len() == y.len() && x.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
            }
            _ => a == b,
        }
    }

    #[test]
    fn numbers_match_correctly_rounded_parsing_where_claimed() {
        // Exact where the doc says so: std's parser is the reference.
        let exact = [
            "0",
            "-0",
            "7",
            "1763780100",
            "1763780100.5",
            "9007199254740991",
            "1.5",
            "2e10",
            "1E-3",
            "-1.25e+2",
            "0.1",
            "3.14159",
            "123456789012345",
            "1e22",
            "1e-22",
            "4.2e-7",
            "100e-2",
        ];
        for t in exact {
            let v = Json::parse(t.as_bytes()).unwrap();
            assert_eq!(v.as_f64(), Some(t.parse::<f64>().unwrap()), "{t}");
        }
        // Elsewhere close, and huge values are not finite numbers.
        for t in [
            "1.7976931348623157e300",
            "12345678901234567890123",
            "5e-324",
            "1e-400",
        ] {
            let ours = Json::parse(t.as_bytes()).unwrap().as_f64().unwrap();
            let std: f64 = t.parse().unwrap();
            assert!(
                (ours - std).abs() <= std.abs() * 1e-12,
                "{t}: {ours} vs {std}"
            );
        }
        for t in ["1e400", "-1e309", "1e99999999999999999999"] {
            assert_eq!(Json::parse(t.as_bytes()).unwrap().as_f64(), None, "{t}");
        }
    }

    #[test]
    fn deep_nesting_and_invalid_utf8_are_rejected_without_panic() {
        let deep = "[".repeat(100_000);
        assert_eq!(Json::parse(deep.as_bytes()), None);
        assert_eq!(Json::parse(b"\"\xff\""), None);
        let ok = format!("{}1{}", "[".repeat(60), "]".repeat(60));
        assert!(Json::parse(ok.as_bytes()).is_some());
    }

    #[test]
    fn duplicate_keys_resolve_to_the_last_like_json_parse() {
        let v = Json::parse(br#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(v.get("a").and_then(Json::as_f64), Some(2.0));
    }

    #[test]
    fn writer_output_is_read_back_identically_by_serde_json() {
        let text = r#"{"s":"q\"\\ \u0001 é 😀","n":[1,-2.5e3,null,true],"o":{}}"#;
        let v = Json::parse(text.as_bytes()).unwrap();
        let written = v.to_json_string();
        let a: serde_json::Value = serde_json::from_str(text).unwrap();
        let b: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(a, b);
    }
}

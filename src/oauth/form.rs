//! `application/x-www-form-urlencoded` (RFC 6749 Appendix B, WHATWG URL
//! §5): the encoding of OAuth query strings and token-request bodies.

use crate::prelude::*;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `s` form-encoded: `*-._` and alphanumerics kept, space as `+`,
/// every other byte of its UTF-8 as `%XX` (the WHATWG byte serializer, as
/// `URLSearchParams` writes it).
pub(crate) fn encode_into(s: &str, out: &mut String) {
    for &b in s.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
}

/// `k1=v1&k2=v2…`, each name and value form-encoded.
pub(crate) fn serialize(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(k, &mut out);
        out.push('=');
        encode_into(v, &mut out);
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes one form-encoded name or value (`+` is a space). `None` for a
/// malformed `%` escape or bytes that are not UTF-8: such a value cannot
/// have come from an honest server, so it is refused, not guessed at.
pub(crate) fn decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = hex_val(*b.get(i + 1)?)?;
                let lo = hex_val(*b.get(i + 2)?)?;
                out.push(hi << 4 | lo);
                i += 2;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Parses a query string into decoded pairs, in order (empty segments are
/// skipped, a name without `=` has an empty value).
pub(crate) fn parse(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Some((decode(k)?, decode(v)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_urlsearchparams() {
        // Expected strings are what `new URLSearchParams({k: v}).toString()`
        // prints in Node 20 for each value.
        let cases = [
            ("openid email", "openid+email"),
            (
                "https://app.example/cb?x=1&y=2",
                "https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3D2",
            ),
            ("a~b!c'd(e)f*g", "a%7Eb%21c%27d%28e%29f*g"),
            ("é😀", "%C3%A9%F0%9F%98%80"),
            (
                "aws.cognito.signin.user.admin",
                "aws.cognito.signin.user.admin",
            ),
        ];
        for (input, want) in cases {
            let mut out = String::new();
            encode_into(input, &mut out);
            assert_eq!(out, want, "{input}");
            assert_eq!(decode(&out).as_deref(), Some(input));
        }
    }

    #[test]
    fn decode_rejects_bad_escapes_and_non_utf8() {
        assert_eq!(decode("%"), None);
        assert_eq!(decode("%4"), None);
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode("%FF"), None);
        assert_eq!(decode("a%20b+c").as_deref(), Some("a b c"));
        assert_eq!(
            parse("a=1&&b&c=%3D").unwrap(),
            vec![
                ("a".into(), "1".into()),
                ("b".into(), String::new()),
                ("c".into(), "=".into())
            ]
        );
    }
}

//! Helpers shared by the fuzz targets: splitting one fuzz input into the
//! several messages a flow reads (responses, effect answers, storage).
//!
//! Inputs are split on NUL bytes, which no JSON text, URL or stored record
//! of the SDK contains, so a seed is readable text with `\0` between the
//! parts and libFuzzer's mutations keep the parts apart.

/// The parts of `data` between NUL bytes (an input without NUL is one part).
pub fn parts(data: &[u8]) -> Vec<&[u8]> {
    data.split(|b| *b == 0).collect()
}

/// The part as text, with invalid UTF-8 replaced: the SDK's entry points
/// take `&str` where JavaScript hands them strings, which are always valid.
pub fn text(part: &[u8]) -> String {
    String::from_utf8_lossy(part).into_owned()
}

/// A small integer chosen by the first byte of `part` (0 when empty), for
/// picking which parser or flow an input drives.
pub fn pick(part: &[u8], n: usize) -> usize {
    part.first().map_or(0, |b| *b as usize % n)
}

/// An HTTP status from a part that starts with three ASCII digits
/// (`"400 {...}"`), else 200; and the rest of the part as the body.
pub fn status_and_body(part: &[u8]) -> (u16, &[u8]) {
    if part.len() >= 3 && part[..3].iter().all(u8::is_ascii_digit) {
        let status = part[..3]
            .iter()
            .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
        let body = part.get(3..).unwrap_or(&[]);
        let body = body.strip_prefix(b" ").unwrap_or(body);
        (status, body)
    } else {
        (200, part)
    }
}

/// The response headers every fuzzed response carries: the JSON content
/// type (what Cognito sends; the parsers check it) and a `Date`.
pub const HEADERS: &[(&str, &str)] = &[
    ("content-type", "application/x-amz-json-1.1"),
    ("date", "Mon, 01 Dec 2025 00:00:00 GMT"),
    ("x-amzn-requestid", "fuzz"),
];

/// [`HEADERS`] without the `Date` header, whose absence makes the token
/// parsers take the clock skew from the access token's `iat`.
pub const HEADERS_NO_DATE: &[(&str, &str)] = &[
    ("content-type", "application/x-amz-json-1.1"),
    ("x-amzn-requestid", "fuzz"),
];

/// The response headers an input asks for: without `Date` when the
/// selector part's second byte is odd.
pub fn headers_for(selector: &[u8]) -> &'static [(&'static str, &'static str)] {
    if selector.get(1).is_some_and(|b| b & 1 == 1) {
        HEADERS_NO_DATE
    } else {
        HEADERS
    }
}

/// Local time of every fuzzed flow: 2025-12-01T00:00:00Z, seconds.
pub const NOW: i64 = 1_764_547_200;

/// `body` with every `$ACCESS` replaced by an unsigned JWT whose claims are
/// `claims` (base64url-encoded here): the token parsers read `exp` and
/// `iat` from inside the access token, which the fuzzer could hardly reach
/// through base64 in a JSON string.
pub fn with_access_token(body: &[u8], claims: Option<&[u8]>) -> Vec<u8> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let Some(claims) = claims else {
        return body.to_vec();
    };
    let token = format!(
        "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.{}.c2ln",
        URL_SAFE_NO_PAD.encode(claims)
    );
    let mut out = Vec::with_capacity(body.len() + token.len());
    let mut rest = body;
    while let Some(i) = rest.windows(7).position(|w| w == b"$ACCESS") {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(token.as_bytes());
        rest = &rest[i + 7..];
    }
    out.extend_from_slice(rest);
    out
}

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

/// Local time of every fuzzed flow: 2025-12-01T00:00:00Z, seconds.
pub const NOW: i64 = 1_764_547_200;

//! Compact JWS decoding (RFC 7515 §7.1, RFC 7519 §7.2): three base64url
//! segments, a JSON header and JSON claims, nothing trusted yet.

use crate::prelude::*;

use super::JwtError;
use crate::json::Json;
use crate::Error;

/// base64url-decodes one segment (RFC 7515 §2, "Base64url Encoding") as
/// aws-jwt-verify (Node's `Buffer`) reads it: padding optional (but never
/// more than completes the last group of four) and unused trailing bits
/// ignored, so that both accept and reject the same tokens. The signed bytes
/// are the segment text itself, so this leniency cannot change what a
/// signature covers. Tokens are public, so no constant-time decoding: every
/// verification decodes three segments, through a table.
pub(crate) fn b64url_decode(segment: &str) -> Option<Vec<u8>> {
    let data = segment.trim_end_matches('=');
    let padding = segment.len() - data.len();
    let rest = data.len() % 4;
    if rest == 1 || (padding > 0 && (rest == 0 || rest + padding > 4)) {
        return None;
    }
    let mut out = vec![0u8; data.len() * 3 / 4];
    let (mut acc, mut bits, mut n) = (0u32, 0u32, 0);
    for &c in data.as_bytes() {
        let v = SEXTETS[usize::from(c)];
        if v > 63 {
            return None;
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            if let Some(byte) = out.get_mut(n) {
                *byte = (acc >> bits) as u8;
            }
            n += 1;
        }
    }
    // A last group of 2 or 3 characters leaves 4 or 2 bits unused.
    Some(out)
}

/// Each byte's value as a base64url character, 255 for other bytes.
static SEXTETS: [u8; 256] = {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut table = [255u8; 256];
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// The JOSE header fields this SDK uses (RFC 7515 §4.1).
#[derive(Debug, Clone, PartialEq)]
pub struct JwsHeader {
    /// `alg`: the signature algorithm (§4.1.1). Only `RS256` is accepted later.
    pub alg: String,
    /// `kid`: which JWKS key signed the token (§4.1.4).
    pub kid: Option<String>,
}

/// A decoded but unverified JWT: never trust `claims` before the signature
/// and claim checks pass (see [`super::JwtVerifier`]).
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedJwt {
    /// The header.
    pub header: JwsHeader,
    /// The claims set, a JSON object (RFC 7519 §4).
    pub claims: Json,
    /// The JWS signing input `BASE64URL(header) . BASE64URL(payload)`
    /// (RFC 7515 §5.2 step 8), the bytes the signature covers.
    pub signing_input: String,
    /// The decoded signature bytes.
    pub signature: Vec<u8>,
}

fn parse_error(reason: &'static str) -> Error {
    Error::Jwt(JwtError::Parse { reason })
}

/// The largest token decoded: Cognito's tokens are a few KiB (even with
/// the 100 groups a user may have), and a megabyte of forged token must not
/// cost a megabyte of base64 and JSON work per request.
pub const MAX_JWT_BYTES: usize = 64 * 1024;

/// Decodes a compact-serialised JWS (RFC 7515 §7.1), checking the shapes
/// aws-jwt-verify checks (`decomposeUnverifiedJwt`): exactly three non-empty
/// segments, a header object with string `alg`/`kid`, a claims object whose
/// registered claims have the right JSON types (RFC 7519 §4.1).
pub fn decode_jwt(token: &str) -> Result<DecodedJwt, Error> {
    decode_jwt_text(token).map(|(jwt, _)| jwt)
}

/// [`decode_jwt`], with the claims also as the token carries them: their
/// JSON text (UTF-8, and valid JSON since it parsed).
pub(crate) fn decode_jwt_text(token: &str) -> Result<(DecodedJwt, String), Error> {
    if token.len() > MAX_JWT_BYTES {
        return Err(parse_error("the token is larger than 64 KiB"));
    }
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(parse_error(
            "a JWT has exactly three dot-separated parts (header.payload.signature)",
        ));
    };
    if h.is_empty() || p.is_empty() || s.is_empty() {
        return Err(parse_error("a JWT part is empty (an unsigned token?)"));
    }
    let header_bytes = b64url_decode(h).ok_or(parse_error("the header is not base64url"))?;
    let claim_bytes = b64url_decode(p).ok_or(parse_error("the payload is not base64url"))?;
    let signature = b64url_decode(s).ok_or(parse_error("the signature is not base64url"))?;

    let header = Json::parse(&header_bytes)
        .filter(Json::is_object)
        .ok_or(parse_error("the header is not a JSON object"))?;
    let alg = match header.get("alg") {
        Some(Json::String(a)) => a.clone(),
        None => String::new(),
        Some(_) => return Err(parse_error("the header's alg is not a string")),
    };
    let kid = match header.get("kid") {
        Some(Json::String(k)) => Some(k.clone()),
        None => None,
        Some(_) => return Err(parse_error("the header's kid is not a string")),
    };

    let claim_text = String::from_utf8(claim_bytes)
        .map_err(|_| parse_error("the payload is not a JSON object"))?;
    let claims = Json::parse(claim_text.as_bytes())
        .filter(Json::is_object)
        .ok_or(parse_error("the payload is not a JSON object"))?;
    check_claim_types(&claims)?;

    let jwt = DecodedJwt {
        header: JwsHeader { alg, kid },
        claims,
        signing_input: [h, ".", p].concat(),
        signature,
    };
    Ok((jwt, claim_text))
}

/// RFC 7519 §4.1 types, as aws-jwt-verify's `assertJwtPayload` checks them.
fn check_claim_types(claims: &Json) -> Result<(), Error> {
    for name in ["exp", "nbf", "iat"] {
        if let Some(v) = claims.get(name) {
            if v.as_f64().is_none() {
                return Err(parse_error(
                    "a time claim (exp, nbf or iat) is not a number",
                ));
            }
        }
    }
    for name in ["iss", "sub", "scope", "jti"] {
        if matches!(claims.get(name), Some(v) if v.as_str().is_none()) {
            return Err(parse_error(
                "a string claim (iss, sub, scope or jti) is not a string",
            ));
        }
    }
    match claims.get("aud") {
        None | Some(Json::String(_)) => Ok(()),
        Some(Json::Array(a)) if a.iter().all(|x| x.as_str().is_some()) => Ok(()),
        Some(_) => Err(parse_error(
            "aud is neither a string nor an array of strings",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::{b64url_decode, decode_jwt, MAX_JWT_BYTES};

    #[test]
    fn a_token_over_the_cap_is_refused_and_one_below_it_decoded() {
        let b = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let token = |pad: usize| {
            let claims = ["{\"sub\":\"", &"x".repeat(pad), "\"}"].concat();
            [b(r#"{"alg":"RS256","kid":"k"}"#), b(&claims), b("sig")].join(".")
        };
        let at_cap = token(40 * 1024);
        assert!(at_cap.len() <= MAX_JWT_BYTES);
        assert!(decode_jwt(&at_cap).is_ok());
        let over = token(50 * 1024);
        assert!(over.len() > MAX_JWT_BYTES);
        let e = decode_jwt(&over).unwrap_err();
        assert_eq!(e.code(), "JwtParse");
    }
    use base64::alphabet::URL_SAFE;
    use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
    use base64::engine::DecodePaddingMode;
    use base64::Engine;

    /// The `base64` crate configured as Node's `Buffer` reads base64url
    /// (padding optional, unused trailing bits ignored): an independent
    /// decoder that must agree with ours on every short input.
    const REFERENCE: GeneralPurpose = GeneralPurpose::new(
        &URL_SAFE,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );

    #[test]
    fn lenient_base64url_agrees_with_reference() {
        let alphabet = ['A', 'B', 'Q', 'f', '-', '_', '=', '+', '/', '.', 'é'];
        let mut inputs = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            inputs.extend(last.iter().cloned());
        }
        inputs.push("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into());
        inputs.push("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl=".into());
        for s in &inputs {
            assert_eq!(b64url_decode(s), REFERENCE.decode(s).ok(), "{s:?}");
        }
    }
}

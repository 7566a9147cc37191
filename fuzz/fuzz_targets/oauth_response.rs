//! The hosted UI's token endpoint responses (code exchange, refresh,
//! client credentials: RFC 6749 §5.1/§5.2), `userInfo` and `/oauth2/revoke`
//! (`src/oauth/`), any status and body; accepted token responses are
//! turned into session tokens. A third part, if any, is the claims of an
//! access token put where the body says `$ACCESS`. No panic; only status 200 is accepted.
#![no_main]

use cognito_wasm::cognito::TokenSet as SessionTokens;
use cognito_wasm::oauth::{
    process_revoke_response, process_token_response, process_userinfo_response,
};
use fuzz_common::{parts, pick, status_and_body, with_access_token, NOW};
use libfuzzer_sys::fuzz_target;

const HEADERS: &[(&str, &str)] = &[
    ("content-type", "application/json;charset=UTF-8"),
    ("date", "Mon, 01 Dec 2025 00:00:00 GMT"),
];

fuzz_target!(|data: &[u8]| {
    let p = parts(data);
    let (status, body) = status_and_body(p.get(1).copied().unwrap_or(&[]));
    let body = &with_access_token(body, p.get(2).copied())[..];
    match pick(p[0], 4) {
        0 | 1 => {
            let expect_id = pick(p[0], 4) == 0;
            if let Ok(t) = process_token_response(status, HEADERS, body, expect_id) {
                assert_eq!(
                    status, 200,
                    "a token response accepted with status {status}"
                );
                let previous = SessionTokens {
                    id_token: "id".into(),
                    access_token: "access".into(),
                    refresh_token: Some("refresh".into()),
                    expires_in: 3600,
                    token_type: "Bearer".into(),
                    expires_at: NOW,
                    clock_skew: 0,
                };
                let _ = t
                    .clone()
                    .into_session_tokens(NOW, HEADERS[1].1.into(), None);
                if let Ok(s) = t.into_session_tokens(NOW, None, Some(&previous)) {
                    let back = SessionTokens::from_storage_string(&s.to_storage_string());
                    assert_eq!(back.as_ref(), Some(&s), "session tokens round trip");
                }
            }
        }
        2 => {
            let _ = process_userinfo_response(status, HEADERS, body, Some("sub-1"));
            let _ = process_userinfo_response(status, HEADERS, body, None);
        }
        _ => {
            let _ = process_revoke_response(status, HEADERS, body);
        }
    }
});

//! Every Cognito JSON API response parser (`src/cognito/`): any status and
//! body, for each operation's `process_…_response`, the refresh response,
//! `error_name` and the `Date` header reader. A third part, if any, is the
//! claims of an access token put where the body says `$ACCESS`. Property: no panic, and a
//! 2xx body that is not a JSON object is never accepted.
#![no_main]

use cognito_wasm::cognito::{
    error_name, parse_http_date, process_associate_software_token_response,
    process_code_delivery_response, process_confirm_device_response, process_empty_response,
    process_get_user_response, process_list_devices_response, process_refresh_response,
    process_response, process_sign_up_response, process_update_user_attributes_response,
    process_verify_software_token_response, TokenSet,
};
use cognito_wasm::json::Json;
use fuzz_common::{headers_for, parts, pick, status_and_body, text, with_access_token, NOW};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let p = parts(data);
    let which = pick(p[0], 12);
    let (status, body) = status_and_body(p.get(1).copied().unwrap_or(&[]));
    let body = &with_access_token(body, p.get(2).copied())[..];
    let h = headers_for(p[0]);
    let ok = match which {
        0 => process_response("InitiateAuth", status, h, body).is_ok(),
        1 => process_empty_response("ConfirmSignUp", status, h, body).is_ok(),
        2 => process_associate_software_token_response(status, h, body).is_ok(),
        3 => process_verify_software_token_response(status, h, body).is_ok(),
        4 => process_sign_up_response(status, h, body).is_ok(),
        5 => process_code_delivery_response("ForgotPassword", status, h, body).is_ok(),
        6 => process_update_user_attributes_response(status, h, body).is_ok(),
        7 => process_get_user_response(status, h, body).is_ok(),
        8 => process_confirm_device_response(status, h, body).is_ok(),
        9 => process_list_devices_response(status, h, body).is_ok(),
        10 => {
            let previous = TokenSet {
                id_token: "id".into(),
                access_token: "access".into(),
                refresh_token: Some("refresh".into()),
                expires_in: 3600,
                token_type: "Bearer".into(),
                expires_at: NOW,
                clock_skew: 0,
            };
            let r = process_refresh_response(
                "GetTokensFromRefreshToken",
                status,
                h,
                body,
                NOW,
                &previous,
            );
            if let Ok(t) = &r {
                // A stored session must read back as itself.
                let back = TokenSet::from_storage_string(&t.to_storage_string());
                assert_eq!(back.as_ref(), Some(t), "token set round trip");
            }
            r.is_ok()
        }
        _ => {
            let s = text(body);
            let _ = error_name(&s);
            let _ = parse_http_date(&s);
            false
        }
    };
    if ok {
        let parsed = Json::parse(body.trim_ascii());
        assert!(
            body.trim_ascii().is_empty() || parsed.is_some_and(|j| j.is_object()),
            "accepted a body that is not a JSON object"
        );
        assert!((200..300).contains(&status), "accepted status {status}");
    }
});

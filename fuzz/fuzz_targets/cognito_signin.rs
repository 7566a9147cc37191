//! The sign-in flow (`src/cognito/signin.rs`) fed arbitrary responses:
//! every `InitiateAuth`/`RespondToAuthChallenge` answer, challenge
//! parameters (SRP's `SALT`, `SRP_B`, `SECRET_BLOCK`, `USER_ID_FOR_SRP`,
//! device and MFA ones) and the answers a user could give. No panic.
#![no_main]

use cognito_wasm::cognito::{
    Answer, AuthFlow, ChallengeName, PreparedSrp, Progress, RememberedDevice, SignIn,
    SignInOptions, SrpSetup, UserPool,
};
use fuzz_common::{parts, pick, status_and_body, text, HEADERS, NOW};
use libfuzzer_sys::fuzz_target;

/// The SRP ephemeral as prepared elsewhere (`A` only): computing one here
/// would cost a 3072-bit exponentiation per input; the SRP math on hostile
/// parameters is the `srp_challenge` target's.
fn setup() -> SrpSetup {
    SrpSetup {
        prepared: Some(PreparedSrp::Remote {
            public_a: "0a".repeat(192),
        }),
        // As the shipped core runs it: every SRP step is the caller's.
        offload: true,
        remote_only: true,
    }
}

fuzz_target!(|data: &[u8]| {
    let p = parts(data);
    let head = p[0];
    let flow = match pick(head, 6) {
        0 => AuthFlow::UserSrp,
        1 => AuthFlow::UserPassword,
        2 => AuthFlow::Custom,
        3 => AuthFlow::CustomWithSrp,
        4 => AuthFlow::UserAuth { preferred: None },
        _ => AuthFlow::UserAuth {
            preferred: Some(ChallengeName::PasswordSrp),
        },
    };
    let with_secret = head.get(1).is_some_and(|b| b & 1 == 1);
    let device = RememberedDevice {
        key: "us-east-1_0123456789abcdef".into(),
        group_key: "-group".into(),
        password: "device-password".to_owned().into(),
    };
    let pool = UserPool::new(
        "us-east-1_Fuzz",
        "client",
        with_secret.then_some("secret"),
        Some("http://127.0.0.1:9"),
    )
    .expect("fixed pool");
    let options = SignInOptions {
        username: "alice",
        password: Some("Passw0rd!"),
        flow: &flow,
        device: head.get(1).is_some_and(|b| b & 2 == 2).then_some(&device),
        client_metadata: &[("k", "v")],
    };
    let Ok((mut s, _request)) = SignIn::start_with_srp(&pool, options, setup()) else {
        return;
    };
    // Each later part is the next response; a part after a challenge may
    // instead be the user's answer (`"answer:<kind>:<text>"`).
    for part in &p[1..] {
        if let Some(rest) = part.strip_prefix(b"answer:") {
            let rest = text(rest);
            let (kind, value) = rest.split_once(':').unwrap_or((&rest, ""));
            let answer = match kind {
                "code" => Answer::Code(value),
                "password" => Answer::NewPassword {
                    password: value,
                    attributes: &[("name", "A")],
                },
                "mfa" => Answer::MfaType(value),
                "totp" => Answer::SetUpTotp,
                "email" => Answer::SetUpEmail(value),
                "custom" => Answer::Custom(value),
                "webauthn" => Answer::WebAuthn(value),
                _ => Answer::Select {
                    challenge: ChallengeName::parse(value).unwrap_or(ChallengeName::PasswordSrp),
                    password: Some("Passw0rd!"),
                },
            };
            let _ = s.answer(answer);
            continue;
        }
        let (status, body) = status_and_body(part);
        match s.process(status, HEADERS, body, NOW) {
            Ok(Progress::Compute(job)) => {
                // The claim as the SRP module would compute it: its value
                // does not matter to the flow, which only forwards it.
                let _ = job.challenge();
                let _ = s.answer_srp("c2lnbmF0dXJl", "Mon Dec 1 00:00:00 UTC 2025");
            }
            Ok(Progress::NeedSrpA) => {
                let _ = s.answer_srp_a("0a");
            }
            Ok(Progress::Done(_)) => return,
            Ok(_) | Err(_) => {}
        }
        let _ = (s.awaits_answer(), s.pending_challenge(), s.session());
    }
});

//! Known answers from independent implementations (`tests/vectors/srp.json`,
//! written by `tests/vectors/generate.mjs` from amazon-cognito-identity-js and
//! pycognito, never from this crate): our SRP client must agree byte for byte.

use cognito_wasm::srp::{
    answer_password_verifier, cognito_timestamp, device_verifier_with, pool_name, secret_hash,
    EphemeralKey, PasswordVerifierChallenge,
};
use serde::Deserialize;
use zeroize::Zeroizing;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SrpCase {
    name: String,
    user_pool_id: String,
    // `username` (what InitiateAuth sent) is not read: only USER_ID_FOR_SRP
    // enters the math, which the alias cases prove.
    password: String,
    a: String,
    srp_a: String,
    salt: String,
    srp_b: String,
    secret_block: String,
    user_id_for_srp: String,
    unix_seconds: i64,
    timestamp: String,
    signature: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TimestampCase {
    unix_seconds: i64,
    timestamp: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SecretHashCase {
    username: String,
    client_id: String,
    client_secret: String,
    secret_hash: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeviceCase {
    device_group_key: String,
    device_key: String,
    password: String,
    salt_hex: String,
    salt_b64: String,
    verifier_b64: String,
}

#[derive(Deserialize)]
struct Vectors {
    srp: Vec<SrpCase>,
    timestamps: Vec<TimestampCase>,
    #[serde(rename = "secretHash")]
    secret_hash: Vec<SecretHashCase>,
    device: Vec<DeviceCase>,
}

fn vectors() -> Vectors {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/srp.json");
    let text = std::fs::read_to_string(path).expect("tests/vectors/srp.json is readable");
    serde_json::from_str(&text).expect("tests/vectors/srp.json parses")
}

/// Bytes of a hex number of any length (an odd length gets a leading 0).
fn hex_bytes(hex: &str) -> Vec<u8> {
    let padded = if hex.len() % 2 == 1 {
        format!("0{hex}")
    } else {
        hex.to_owned()
    };
    (0..padded.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&padded[i..i + 2], 16).expect("valid hex in the vectors"))
        .collect()
}

/// A hex number in canonical form, so values compare as numbers
/// (amazon-cognito-identity-js sends `toString(16)`: no padding).
fn canonical_hex(hex: &str) -> String {
    let s = hex.trim_start_matches('0').to_ascii_lowercase();
    if s.is_empty() {
        "0".to_owned()
    } else {
        s
    }
}

/// Panics with every failing case's name, so one run shows the whole picture.
fn report(section: &str, total: usize, failures: Vec<String>) {
    assert!(total > 0, "{section}: no cases in the vectors");
    assert!(
        failures.is_empty(),
        "{section}: {} of {total} cases disagree with the independent implementation:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

/// Seeded-random cases (`random-*`), then the edge cases (`edge-*`), as two
/// tests so that the harness runs them on two threads.
#[test]
fn srp_random_cases_match_amazon_cognito_identity_js() {
    let v = vectors();
    let cases: Vec<&SrpCase> = v
        .srp
        .iter()
        .filter(|c| !c.name.starts_with("edge-"))
        .collect();
    assert!(
        cases.len() >= 200,
        "at least 200 seeded-random SRP cases expected"
    );
    check_srp_cases("srp (random)", &cases);
}

#[test]
fn srp_edge_cases_match_amazon_cognito_identity_js() {
    let v = vectors();
    let cases: Vec<&SrpCase> = v
        .srp
        .iter()
        .filter(|c| c.name.starts_with("edge-"))
        .collect();
    check_srp_cases("srp (edges)", &cases);
}

/// For each case: `A` from the fixed `a`, the `TIMESTAMP` from the fixed
/// clock, and the `PASSWORD_CLAIM_SIGNATURE`, all as the official client sent them.
fn check_srp_cases(section: &str, cases: &[&SrpCase]) {
    let mut failures = Vec::new();
    for c in cases {
        let key = match EphemeralKey::from_secret(&hex_bytes(&c.a)) {
            Ok(k) => k,
            Err(e) => {
                failures.push(format!("{}: from_secret failed: {e}", c.name));
                continue;
            }
        };
        if canonical_hex(&key.public_hex()) != canonical_hex(&c.srp_a) {
            failures.push(format!("{}: SRP_A differs", c.name));
            continue;
        }
        let realm = match pool_name(&c.user_pool_id) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{}: pool name: {e}", c.name));
                continue;
            }
        };
        let challenge = PasswordVerifierChallenge {
            salt: &c.salt,
            srp_b: &c.srp_b,
            secret_block: &c.secret_block,
            user_id_for_srp: &c.user_id_for_srp,
        };
        let timestamp = cognito_timestamp(c.unix_seconds);
        if timestamp != c.timestamp {
            failures.push(format!(
                "{}: TIMESTAMP {timestamp:?}, expected {:?}",
                c.name, c.timestamp
            ));
        }
        match answer_password_verifier(&key, realm, &c.password, &challenge, &c.timestamp) {
            Ok(claim) if claim.signature == c.signature => {}
            Ok(claim) => failures.push(format!(
                "{}: PASSWORD_CLAIM_SIGNATURE {}, expected {}",
                c.name, claim.signature, c.signature
            )),
            Err(e) => failures.push(format!("{}: error {e}", c.name)),
        }
    }
    report(section, cases.len(), failures);
}

#[test]
fn timestamps_match_date_helper() {
    let v = vectors();
    let failures = v
        .timestamps
        .iter()
        .filter_map(|t| {
            let ours = cognito_timestamp(t.unix_seconds);
            (ours != t.timestamp)
                .then(|| format!("{}: {ours:?}, expected {:?}", t.unix_seconds, t.timestamp))
        })
        .collect();
    report("timestamps", v.timestamps.len(), failures);
}

#[test]
fn secret_hash_matches_pycognito() {
    let v = vectors();
    let failures = v
        .secret_hash
        .iter()
        .filter_map(|s| {
            let ours = secret_hash(&s.username, &s.client_id, &s.client_secret);
            (ours != s.secret_hash).then(|| {
                format!(
                    "username {:?} client {}: {ours}, expected {}",
                    s.username, s.client_id, s.secret_hash
                )
            })
        })
        .collect();
    report("secretHash", v.secret_hash.len(), failures);
}

#[test]
fn device_verifiers_match_generate_hash_device() {
    let v = vectors();
    let mut failures = Vec::new();
    for d in &v.device {
        let name = format!("device {} salt {}", d.device_key, d.salt_hex);
        match device_verifier_with(
            &d.device_group_key,
            &d.device_key,
            Zeroizing::new(d.password.clone()),
            &hex_bytes(&d.salt_hex),
        ) {
            Ok(ours) => {
                if ours.salt_b64 != d.salt_b64 {
                    failures.push(format!(
                        "{name}: Salt {}, expected {}",
                        ours.salt_b64, d.salt_b64
                    ));
                }
                if ours.verifier_b64 != d.verifier_b64 {
                    failures.push(format!("{name}: PasswordVerifier differs"));
                }
            }
            Err(e) => failures.push(format!("{name}: error {e}")),
        }
    }
    report("device", v.device.len(), failures);
}

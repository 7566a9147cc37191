//! The client's half of Cognito's SRP: the ephemeral key pair, the session
//! key from the `PASSWORD_VERIFIER` challenge, and the password claim.

use crate::prelude::*;

use super::bignum::Num;
use super::engine::{self, Residue};
use super::group::k_multiplier;
use super::hashing::{salt_hash_bytes, session_key, u_hash, x_hash_encoded_salt};
use crate::Error;
use base64ct::{Base64, Encoding};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

/// The client's ephemeral SRP key pair: secret `a` and public `A = g^a mod N`.
///
/// Single use: one per sign-in attempt. `a` is kept as bytes and zeroed on
/// drop; `Debug` never shows it.
pub struct EphemeralKey {
    /// `a` big-endian, at the length it was given (a public length: the
    /// exponentiations' running time depends on it, never on its value).
    a: Zeroizing<Vec<u8>>,
    /// `A = g^a mod N`, 384 big-endian bytes.
    public: [u8; 384],
}

impl core::fmt::Debug for EphemeralKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EphemeralKey").finish_non_exhaustive()
    }
}

impl EphemeralKey {
    /// A fresh key pair: 128 random bytes from the platform CSPRNG, reduced
    /// mod N, as Cognito's own clients draw `a`.
    pub fn generate() -> Result<EphemeralKey, Error> {
        let mut bytes = Zeroizing::new(vec![0u8; 128]);
        getrandom::fill(&mut bytes).map_err(|_| Error::Random)?;
        EphemeralKey::from_secret(&bytes)
    }

    /// The key pair for a given secret `a` (big-endian bytes). For tests and
    /// known-answer vectors; production code uses [`EphemeralKey::generate`].
    pub fn from_secret(a: &[u8]) -> Result<EphemeralKey, Error> {
        // `a` is an exponent: it is used as given, not reduced mod N (which
        // would change g^a), exactly as amazon-cognito-identity-js does.
        if a.iter().fold(0u8, |acc, &b| acc | b) == 0 {
            return Err(Error::EmptyArgument { field: "a" });
        }
        let a = Zeroizing::new(a.to_vec());
        let public = *Residue::pow_g(&a).to_be_bytes();
        // The g^x table is independent of the challenge: build it now (once
        // per process) rather than after the challenge arrives.
        engine::prepare_fixed_base();
        Ok(EphemeralKey { a, public })
    }

    /// The key pair for a secret `a` whose `A = g^a mod N` was computed
    /// elsewhere (a host's native modular exponentiation, e.g. OpenSSL
    /// through Node's `node:crypto`). `A` is taken as given, not recomputed:
    /// a wrong one only makes Cognito refuse the claim. `A` must be big-endian,
    /// at most 384 bytes, and neither 0 nor ≥ N.
    pub fn from_parts(a: &[u8], public_be: &[u8]) -> Result<EphemeralKey, Error> {
        if a.iter().fold(0u8, |acc, &b| acc | b) == 0 {
            return Err(Error::EmptyArgument { field: "a" });
        }
        let bad = Error::InvalidArgument {
            field: "A",
            reason: "must be g^a mod N: 1 to 384 big-endian bytes, not 0, below N",
        };
        if public_be.len() > 384 || Num::from_be_bytes(public_be) >= *super::group::modulus() {
            return Err(bad);
        }
        let mut public = [0u8; 384];
        public[384 - public_be.len()..].copy_from_slice(public_be);
        if public.iter().all(|&b| b == 0) {
            return Err(bad);
        }
        // No g^x table here: a host that computed A natively computes g^x
        // natively too, and the table is built on first use if it does not.
        Ok(EphemeralKey {
            a: Zeroizing::new(a.to_vec()),
            public,
        })
    }

    /// `A` as 384 big-endian bytes.
    pub fn public_be_bytes(&self) -> &[u8; 384] {
        &self.public
    }

    /// `A` as Cognito's `SRP_A` parameter: lowercase hex, no padding.
    pub fn public_hex(&self) -> String {
        Num::from_be_bytes(&self.public).to_hex()
    }
}

/// The parameters of Cognito's `PASSWORD_VERIFIER` challenge (the
/// `ChallengeParameters` of the `InitiateAuth` response).
#[derive(Clone, Copy)]
pub struct PasswordVerifierChallenge<'a> {
    /// `SALT`: the user's salt, hex.
    pub salt: &'a str,
    /// `SRP_B`: the server's public value, hex.
    pub srp_b: &'a str,
    /// `SECRET_BLOCK`: opaque base64 that must be echoed and signed.
    pub secret_block: &'a str,
    /// `USER_ID_FOR_SRP`: the identity the verifier was made for (the
    /// username, or the `sub` when sign-in is by alias).
    pub user_id_for_srp: &'a str,
}

/// The answer to a `PASSWORD_VERIFIER` challenge: the parameters to send in
/// `RespondToAuthChallenge` besides `USERNAME` (and `SECRET_HASH`).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordClaim {
    /// `PASSWORD_CLAIM_SIGNATURE`, base64.
    pub signature: String,
    /// `PASSWORD_CLAIM_SECRET_BLOCK`: the challenge's `SECRET_BLOCK` echoed.
    pub secret_block: String,
    /// `TIMESTAMP`, in the format of [`super::cognito_timestamp`].
    pub timestamp: String,
}

impl core::fmt::Debug for PasswordClaim {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PasswordClaim")
            .field("timestamp", &self.timestamp)
            .finish_non_exhaustive()
    }
}

fn parse_hex(field: &'static str, value: &str) -> Result<Num, Error> {
    Num::from_hex(value).ok_or(Error::InvalidHex { field })
}

/// RFC 5054 §2.6's `S = (B − k·g^x)^(a + u·x) mod N`, as 384 big-endian
/// bytes, for `B` already reduced mod N.
fn premaster_secret(a: &[u8], b: &Residue, u: &[u8], x: &[u8; 32]) -> Zeroizing<[u8; 384]> {
    let k = Residue::from_be_bytes(k_multiplier().as_be_bytes());
    let g_x = Residue::pow_g_256(x);
    let base = b.sub(&k.mul(&g_x));
    let (exponent, bits) = engine::add_mul(a, u, x);
    base.pow_bits(&exponent, bits).to_be_bytes()
}

/// The 16-byte SRP session key ("password authentication key").
///
/// `realm` is the pool name (the part of the pool id after `_`), or the device
/// group key for device authentication; `user_id` is `USER_ID_FOR_SRP` (or the
/// device key). Computes, with `PAD` = [`super::minimal_be_bytes`]:
/// `u = H(PAD(A) | PAD(B))`, `x = H(PAD(salt) | H(realm | user_id | ":" | password))`,
/// `S = (B - k·g^x)^(a + u·x) mod N`, and the key
/// `HKDF-SHA256(ikm = PAD(S), salt = PAD(u), info = "Caldera Derived Key", L = 16)`.
///
/// Rejects `B ≡ 0 (mod N)` and `u = 0` (RFC 5054 §2.5.4, §2.6).
pub fn password_authentication_key(
    key: &EphemeralKey,
    realm: &str,
    user_id: &str,
    password: &str,
    salt_hex: &str,
    srp_b_hex: &str,
) -> Result<Zeroizing<[u8; 16]>, Error> {
    let (b_residue, u_bytes, x_bytes) =
        challenge_values(key, realm, user_id, password, salt_hex, srp_b_hex)?;
    let s = premaster_secret(&key.a, &b_residue, &u_bytes, &x_bytes);
    Ok(session_key(&s[..], &u_bytes))
}

/// The checked challenge values: `B mod N` (not 0), `u` (not 0) and `x`.
type ChallengeValues = (Residue, [u8; 32], Zeroizing<[u8; 32]>);

/// Checks the challenge and computes [`ChallengeValues`].
fn challenge_values(
    key: &EphemeralKey,
    realm: &str,
    user_id: &str,
    password: &str,
    salt_hex: &str,
    srp_b_hex: &str,
) -> Result<ChallengeValues, Error> {
    if password.is_empty() {
        return Err(Error::EmptyArgument { field: "password" });
    }
    if user_id.is_empty() {
        return Err(Error::EmptyArgument {
            field: "USER_ID_FOR_SRP",
        });
    }
    let b = parse_hex("SRP_B", srp_b_hex)?;
    // SALT may be negative: hashed as the official client hashes it.
    let salt = salt_hash_bytes(salt_hex).ok_or(Error::InvalidHex { field: "SALT" })?;
    let b_residue = Residue::from_be_bytes(b.as_be_bytes());
    if b_residue.is_zero() {
        return Err(Error::InvalidSrpB);
    }
    // u hashes B as sent, not reduced (as Cognito's own clients do).
    let u_bytes = u_hash(&key.public, b.as_be_bytes());
    if u_bytes.iter().all(|&b| b == 0) {
        return Err(Error::InvalidSrpU);
    }
    let x_bytes = x_hash_encoded_salt(realm, user_id, password, &salt);
    Ok((b_residue, u_bytes, x_bytes))
}

/// A `PASSWORD_VERIFIER` answer computed in steps, so that a host's native
/// modular exponentiation (OpenSSL through Node's `node:crypto`
/// DiffieHellman) can do the two exponentiations while hashing, the
/// reduction and the signature stay here. The math is RFC 5054 §2.6's, as in
/// [`answer_password_verifier`]:
///
/// 1. [`SplitClaim::begin`] checks the challenge and computes `u` and `x`;
/// 2. the host computes `g^x mod N` from [`SplitClaim::x`];
/// 3. [`SplitClaim::base`] gives `B − k·g^x mod N` and
///    [`SplitClaim::exponent`] gives `a + u·x`;
/// 4. the host computes `S = base^exponent mod N` (or
///    [`SplitClaim::pow_here`] when it cannot, e.g. for a base of 0 or 1);
/// 5. [`SplitClaim::finish`] derives the session key and signs the claim.
///
/// Holds secrets (`a`, `x`), zeroed on drop; `Debug` shows none.
pub struct SplitClaim {
    a: Zeroizing<Vec<u8>>,
    b: Residue,
    u: [u8; 32],
    x: Zeroizing<[u8; 32]>,
    realm: String,
    user_id: String,
    secret_block: String,
    timestamp: String,
}

impl core::fmt::Debug for SplitClaim {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SplitClaim").finish_non_exhaustive()
    }
}

impl SplitClaim {
    /// Step 1: the same checks as [`answer_password_verifier`] (in the same
    /// order, so the same errors), then `u` and `x`. Consumes the ephemeral
    /// (single use).
    pub fn begin(
        key: EphemeralKey,
        realm: &str,
        password: &str,
        challenge: &PasswordVerifierChallenge<'_>,
        timestamp: &str,
    ) -> Result<SplitClaim, Error> {
        if realm.is_empty() {
            return Err(Error::EmptyArgument { field: "pool name" });
        }
        decode_secret_block(challenge.secret_block)?;
        let (b, u, x) = challenge_values(
            &key,
            realm,
            challenge.user_id_for_srp,
            password,
            challenge.salt,
            challenge.srp_b,
        )?;
        Ok(SplitClaim {
            a: key.a.clone(),
            b,
            u,
            x,
            realm: realm.to_owned(),
            user_id: challenge.user_id_for_srp.to_owned(),
            secret_block: challenge.secret_block.to_owned(),
            timestamp: timestamp.to_owned(),
        })
    }

    /// `x = H(PAD(salt) | H(realm | user_id | ":" | password))`, big-endian:
    /// the exponent of `g^x` (secret: it is as good as the password).
    pub fn x(&self) -> &[u8; 32] {
        &self.x
    }

    /// Step 3: `(B − k·g^x) mod N` as 384 big-endian bytes, for `g^x`
    /// (big-endian, any length; reduced mod N).
    pub fn base(&self, g_x: &[u8]) -> Zeroizing<[u8; 384]> {
        let k = Residue::from_be_bytes(k_multiplier().as_be_bytes());
        let g_x = Residue::from_be_bytes(g_x);
        self.b.sub(&k.mul(&g_x)).to_be_bytes()
    }

    /// Step 3: `a + u·x` big-endian (leading zero bytes possible; their
    /// number depends on the input lengths only).
    pub fn exponent(&self) -> Zeroizing<Vec<u8>> {
        engine::add_mul(&self.a, &self.u, &self.x[..]).0
    }

    /// Step 4 in this module's engine: `base^(a + u·x) mod N`, for when the
    /// host cannot (OpenSSL refuses a base of 0, 1 or N − 1).
    pub fn pow_here(&self, base: &[u8]) -> Zeroizing<[u8; 384]> {
        let (exponent, bits) = engine::add_mul(&self.a, &self.u, &self.x[..]);
        Residue::from_be_bytes(base)
            .pow_bits(&exponent, bits)
            .to_be_bytes()
    }

    /// Step 5: the session key from `S` (big-endian, any length, reduced
    /// mod N) and the signed claim.
    pub fn finish(&self, s: &[u8]) -> Result<PasswordClaim, Error> {
        let s = Residue::from_be_bytes(s).to_be_bytes();
        let key = session_key(&s[..], &self.u);
        let signature = password_claim_signature(
            &key,
            &self.realm,
            &self.user_id,
            &self.secret_block,
            &self.timestamp,
        )?;
        Ok(PasswordClaim {
            signature,
            secret_block: self.secret_block.clone(),
            timestamp: self.timestamp.clone(),
        })
    }
}

/// `SECRET_BLOCK` as bytes: base64, where `-` and `_` count as `+` and `/`
/// (the URL-safe alphabet), as amazon-cognito-identity-js decodes it
/// (`Buffer.from(…, "base64")` accepts both alphabets). Cognito sends the
/// standard alphabet; moto's opaque block is a UUID.
fn decode_secret_block(b64: &str) -> Result<Vec<u8>, Error> {
    let bad = || Error::InvalidBase64 {
        field: "SECRET_BLOCK",
    };
    match Base64::decode_vec(b64) {
        Ok(block) => Ok(block),
        Err(_) if b64.contains(['-', '_']) => {
            let standard: String = b64
                .chars()
                .map(|c| match c {
                    '-' => '+',
                    '_' => '/',
                    c => c,
                })
                .collect();
            Base64::decode_vec(&standard).map_err(|_| bad())
        }
        Err(_) => Err(bad()),
    }
}

/// `PASSWORD_CLAIM_SIGNATURE`: base64 of
/// `HMAC-SHA256(key, realm | user_id | base64decode(SECRET_BLOCK) | timestamp)`.
pub fn password_claim_signature(
    key: &[u8; 16],
    realm: &str,
    user_id: &str,
    secret_block_b64: &str,
    timestamp: &str,
) -> Result<String, Error> {
    let block = decode_secret_block(secret_block_b64)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| Error::Random)?;
    mac.update(realm.as_bytes());
    mac.update(user_id.as_bytes());
    mac.update(&block);
    mac.update(timestamp.as_bytes());
    Ok(Base64::encode_string(&mac.finalize().into_bytes()))
}

/// Answers a `PASSWORD_VERIFIER` challenge: the session key, then the claim
/// signed over `timestamp` (see [`super::cognito_timestamp`]).
pub fn answer_password_verifier(
    key: &EphemeralKey,
    realm: &str,
    password: &str,
    challenge: &PasswordVerifierChallenge<'_>,
    timestamp: &str,
) -> Result<PasswordClaim, Error> {
    if realm.is_empty() {
        return Err(Error::EmptyArgument { field: "pool name" });
    }
    // Validate the secret block before the expensive exponentiations.
    decode_secret_block(challenge.secret_block)?;
    let session_key = password_authentication_key(
        key,
        realm,
        challenge.user_id_for_srp,
        password,
        challenge.salt,
        challenge.srp_b,
    )?;
    let signature = password_claim_signature(
        &session_key,
        realm,
        challenge.user_id_for_srp,
        challenge.secret_block,
        timestamp,
    )?;
    Ok(PasswordClaim {
        signature,
        secret_block: challenge.secret_block.to_owned(),
        timestamp: timestamp.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `SECRET_BLOCK` decoding agrees, on every short input, with the
    /// `base64` crate's padded standard alphabet (as Node's `Buffer` would
    /// also take `-`/`_` for `+`/`/`).
    #[test]
    fn secret_block_decoding_agrees_with_reference() {
        use base64::engine::general_purpose::STANDARD;
        use base64::Engine;
        let reference = |s: &str| {
            STANDARD
                .decode(s)
                .or_else(|_| STANDARD.decode(s.replace('-', "+").replace('_', "/")))
                .ok()
        };
        let alphabet = ['A', 'B', 'Q', 'f', '+', '/', '-', '_', '=', ' '];
        let mut inputs = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..5 {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            inputs.extend(last.iter().cloned());
        }
        for s in &inputs {
            assert_eq!(decode_secret_block(s).ok(), reference(s), "{s:?}");
        }
    }

    fn key() -> EphemeralKey {
        EphemeralKey::from_secret(&[7u8; 32]).unwrap()
    }

    fn challenge<'a>(b: &'a str) -> PasswordVerifierChallenge<'a> {
        PasswordVerifierChallenge {
            salt: "a1b2",
            srp_b: b,
            secret_block: "AAEC",
            user_id_for_srp: "alice",
        }
    }

    #[test]
    fn rejects_b_congruent_to_zero() {
        // N and its multiples, computed by num-bigint (the reference).
        let n = num_bigint::BigUint::from_bytes_be(&super::super::modulus_be_bytes());
        let hex = |m: u32| (&n * m).to_str_radix(16);
        let (n1, n2, n7) = (hex(1), hex(2), hex(7));
        let padded = format!("0000{n1}");
        for b in ["0", "000", &n1, &n2, &n7, &padded] {
            let r = answer_password_verifier(&key(), "Pool", "pw", &challenge(b), "t");
            assert_eq!(r.unwrap_err(), Error::InvalidSrpB, "B = {b}");
        }
    }

    #[test]
    fn secret_block_in_the_url_safe_alphabet_reads_as_node_buffer_does() {
        // moto's SECRET_BLOCK is a UUID. Node's Buffer (amazon-cognito-
        // identity-js) decodes `-` as `+` (and `_` as `/`), so its claim
        // signs the same bytes as the standard-alphabet spelling.
        let mac_key = [9u8; 16];
        let uuid = "3a7bb1ed-3a14-4294-84e3-d5a9fa155e69";
        let plus = "3a7bb1ed+3a14+4294+84e3+d5a9fa155e69";
        let sign = |b| password_claim_signature(&mac_key, "Pool", "alice", b, "t").unwrap();
        assert_eq!(sign(uuid), sign(plus));
        assert_eq!(sign("ab_c"), sign("ab/c"));
        assert_ne!(sign(uuid), sign("3a7bb1ed"));
        let c = PasswordVerifierChallenge {
            secret_block: uuid,
            ..challenge("1234")
        };
        let claim = answer_password_verifier(&key(), "Pool", "pw", &c, "t").unwrap();
        assert_eq!(claim.secret_block, uuid, "echoed verbatim");
        for bad in ["3a7b-", "ab_c!", "-_-"] {
            let r = password_claim_signature(&mac_key, "Pool", "alice", bad, "t");
            assert_eq!(
                r.unwrap_err(),
                Error::InvalidBase64 {
                    field: "SECRET_BLOCK"
                },
                "{bad}"
            );
        }
    }

    #[test]
    fn rejects_malformed_input() {
        let r = answer_password_verifier(&key(), "Pool", "pw", &challenge("xyz"), "t");
        assert_eq!(r.unwrap_err(), Error::InvalidHex { field: "SRP_B" });
        let r = answer_password_verifier(&key(), "Pool", "pw", &challenge(""), "t");
        assert_eq!(r.unwrap_err(), Error::InvalidHex { field: "SRP_B" });
        let r = answer_password_verifier(&key(), "Pool", "", &challenge("1234"), "t");
        assert_eq!(r.unwrap_err(), Error::EmptyArgument { field: "password" });
        let mut c = challenge("1234");
        c.secret_block = "not base64!";
        let r = answer_password_verifier(&key(), "Pool", "pw", &c, "t");
        assert_eq!(
            r.unwrap_err(),
            Error::InvalidBase64 {
                field: "SECRET_BLOCK"
            }
        );
    }

    #[test]
    fn secret_is_not_debug_printed() {
        let s = format!("{:?}", key());
        assert_eq!(s, "EphemeralKey { .. }");
    }

    #[test]
    fn split_claim_with_num_bigint_powers_equals_the_inline_claim() {
        // The host's part (g^x, base^e) done by num-bigint, as a native
        // library would: the claim must be the inline one.
        let n = num_bigint::BigUint::from_bytes_be(&super::super::modulus_be_bytes());
        let g = num_bigint::BigUint::from(2u32);
        let a = [0x5au8; 128];
        let a_pub = g.modpow(&num_bigint::BigUint::from_bytes_be(&a), &n);
        let key = EphemeralKey::from_parts(&a, &a_pub.to_bytes_be()).unwrap();
        let inline_key = EphemeralKey::from_secret(&a).unwrap();
        assert_eq!(key.public_hex(), inline_key.public_hex());
        let b = (&n - 12345u32).to_str_radix(16);
        let c = challenge(&b);
        let split = SplitClaim::begin(key, "Pool", "pw", &c, "t").unwrap();
        let gx = g.modpow(&num_bigint::BigUint::from_bytes_be(split.x()), &n);
        let base = split.base(&gx.to_bytes_be());
        let e = num_bigint::BigUint::from_bytes_be(&split.exponent());
        let s = num_bigint::BigUint::from_bytes_be(&base[..]).modpow(&e, &n);
        let claim = split.finish(&s.to_bytes_be()).unwrap();
        let want = answer_password_verifier(&inline_key, "Pool", "pw", &c, "t").unwrap();
        assert_eq!(claim, want);
        assert_eq!(
            &split.pow_here(&base[..])[..],
            &pad384(&s.to_bytes_be())[..]
        );
        // The same errors as the inline path, before any work.
        let k = || EphemeralKey::from_secret(&a).unwrap();
        let zero = SplitClaim::begin(k(), "Pool", "pw", &challenge("0"), "t");
        assert_eq!(zero.unwrap_err(), Error::InvalidSrpB);
        let mut bad = challenge("1234");
        bad.secret_block = "not base64!";
        let r = SplitClaim::begin(k(), "Pool", "pw", &bad, "t");
        assert_eq!(r.unwrap_err().code(), "InvalidBase64");
        // A must be below N and not zero.
        let n_bytes = n.to_bytes_be();
        assert_eq!(
            EphemeralKey::from_parts(&a, &n_bytes).unwrap_err().code(),
            "InvalidArgument"
        );
        assert_eq!(
            EphemeralKey::from_parts(&a, &[0, 0]).unwrap_err().code(),
            "InvalidArgument"
        );
        assert_eq!(
            EphemeralKey::from_parts(&[0], &[2]).unwrap_err().code(),
            "EmptyArgument"
        );
    }

    fn pad384(v: &[u8]) -> [u8; 384] {
        let mut out = [0u8; 384];
        out[384 - v.len()..].copy_from_slice(v);
        out
    }

    #[test]
    fn generated_keys_differ() {
        let a = EphemeralKey::generate().unwrap();
        let b = EphemeralKey::generate().unwrap();
        assert_ne!(a.public_hex(), b.public_hex());
    }
}

//! The big-number engine behind the SRP math, kept behind this one small
//! module so that it can be replaced (num-bigint today).
//!
//! Everything SRP needs: parse from bytes/hex, serialise to big-endian bytes,
//! modular exponentiation, and `(x - y) mod n` for a possibly negative `x - y`.

use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::Zero;

/// A non-negative big integer.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Num(BigUint);

impl core::fmt::Debug for Num {
    // SRP numbers are often secret (a, x, S): never print them.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Num(..)")
    }
}

impl Num {
    /// From big-endian bytes (leading zero bytes allowed).
    pub fn from_be_bytes(bytes: &[u8]) -> Num {
        Num(BigUint::from_bytes_be(bytes))
    }

    /// From a hexadecimal string (either case, no prefix, leading zeros allowed);
    /// `None` if empty or not hex.
    pub fn from_hex(hex: &str) -> Option<Num> {
        if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        BigUint::parse_bytes(hex.as_bytes(), 16).map(Num)
    }

    /// From a small integer.
    pub fn from_u32(v: u32) -> Num {
        Num(BigUint::from(v))
    }

    /// Minimal big-endian bytes (`[]` for zero).
    pub fn to_be_bytes(&self) -> Vec<u8> {
        if self.0.is_zero() {
            Vec::new()
        } else {
            self.0.to_bytes_be()
        }
    }

    /// Lowercase hexadecimal without leading zeros (`"0"` for zero).
    pub fn to_hex(&self) -> String {
        self.0.to_str_radix(16)
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    /// `self mod n`.
    pub fn rem(&self, n: &Num) -> Num {
        Num(&self.0 % &n.0)
    }

    /// `self^e mod n`.
    pub fn mod_pow(&self, e: &Num, n: &Num) -> Num {
        Num(self.0.modpow(&e.0, &n.0))
    }

    /// `self * other`.
    pub fn mul(&self, other: &Num) -> Num {
        Num(&self.0 * &other.0)
    }

    /// `self + other`.
    pub fn add(&self, other: &Num) -> Num {
        Num(&self.0 + &other.0)
    }

    /// `(self - other) mod n`, correct when `other > self` (the result is the
    /// non-negative representative, as RFC 5054's `(B - k*v) mod N` needs).
    pub fn sub_mod(&self, other: &Num, n: &Num) -> Num {
        let a = self.0.mod_floor(&n.0);
        let b = other.0.mod_floor(&n.0);
        if a >= b {
            Num(a - b)
        } else {
            Num(&n.0 - (b - a))
        }
    }
}

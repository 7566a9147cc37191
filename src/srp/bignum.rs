//! `Num`: a non-negative integer as SRP exchanges it (hex on the wire,
//! big-endian bytes in hashes). Only conversions live here; the modular
//! arithmetic is the constant-time engine in [`super::engine`].

use crate::prelude::*;

use zeroize::Zeroize;

/// A non-negative big integer, held as minimal big-endian bytes (no leading
/// zero byte; zero is empty). Zeroed on drop and never printed, since SRP
/// numbers are often secret (`a`, `x`, `S`).
#[derive(Clone, PartialEq, Eq)]
pub struct Num(Vec<u8>);

impl Drop for Num {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl core::fmt::Debug for Num {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Num(..)")
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Num) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Num {
    // Minimal encodings: a longer one is larger, equal lengths compare bytewise.
    fn cmp(&self, other: &Num) -> core::cmp::Ordering {
        (self.0.len(), &self.0).cmp(&(other.0.len(), &other.0))
    }
}

impl Num {
    /// From big-endian bytes (leading zero bytes allowed).
    pub fn from_be_bytes(bytes: &[u8]) -> Num {
        let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        Num(bytes[start..].to_vec())
    }

    /// From a hexadecimal string (either case, no prefix, leading zeros
    /// allowed, odd length allowed); `None` if empty or not hex.
    pub fn from_hex(hex: &str) -> Option<Num> {
        let digits = hex.as_bytes();
        if digits.is_empty() {
            return None;
        }
        let len = digits.len().div_ceil(2);
        let mut bytes = vec![0u8; len];
        // Fill from the least significant digit so an odd length pads on top.
        for (i, &c) in digits.iter().rev().enumerate() {
            let d = (c as char).to_digit(16)? as u8;
            bytes[len - 1 - i / 2] |= d << (4 * (i % 2));
        }
        let num = Num::from_be_bytes(&bytes);
        bytes.zeroize();
        Some(num)
    }

    /// From a small integer.
    pub fn from_u32(v: u32) -> Num {
        Num::from_be_bytes(&v.to_be_bytes())
    }

    /// Minimal big-endian bytes (`[]` for zero).
    pub fn to_be_bytes(&self) -> Vec<u8> {
        self.0.clone()
    }

    /// Minimal big-endian bytes, borrowed.
    pub fn as_be_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Lowercase hexadecimal without leading zeros (`"0"` for zero).
    pub fn to_hex(&self) -> String {
        let hex = super::hashing::to_hex(&self.0);
        match hex.strip_prefix('0') {
            Some(rest) if !rest.is_empty() => rest.to_owned(),
            _ if hex.is_empty() => "0".to_owned(),
            _ => hex,
        }
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Num;

    #[test]
    fn hex_round_trips_like_num_bigint() {
        for s in [
            "0",
            "000",
            "1",
            "f",
            "0f",
            "abc",
            "00ABCdef",
            "80",
            "100",
            "ffffffffff",
        ] {
            let ours = Num::from_hex(s).unwrap();
            let reference = num_bigint::BigUint::parse_bytes(s.as_bytes(), 16).unwrap();
            assert_eq!(ours.to_hex(), reference.to_str_radix(16), "{s}");
            let want = if reference == num_bigint::BigUint::default() {
                vec![]
            } else {
                reference.to_bytes_be()
            };
            assert_eq!(ours.to_be_bytes(), want, "{s}");
        }
        for bad in ["", "x", "12g4", " 12", "+1", "-1", "0x12", "é"] {
            assert!(Num::from_hex(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn order_is_numeric() {
        let h = |s| Num::from_hex(s).unwrap();
        assert!(h("100") > h("ff"));
        assert!(h("00ff") == h("ff"));
        assert!(h("0") < h("1"));
    }
}

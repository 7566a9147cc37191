//! Property tests: every engine operation against num-bigint (the reference
//! implementation) on random and edge inputs. Run natively by `cargo test`
//! and on wasm32 by `tests/engine_wasm32.test.mjs`.

use crate::limbs::{self, Limbs, BITS, BYTES, LIMBS, MASK, N, N0_INV, R2, TOP_FOLD, TWO_N};
use crate::{add_mul, montgomery, pow, Residue};
use num_bigint::BigUint;

/// splitmix64: a fixed-seed generator, so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn big_n() -> BigUint {
    BigUint::from_bytes_be(&limbs::to_be_bytes(&N))
}

fn r() -> BigUint {
    BigUint::from(1u8) << (BITS as usize * LIMBS)
}

fn to_big(a: &Limbs) -> BigUint {
    let mut v = BigUint::default();
    for &l in a.iter().rev() {
        v = (v << BITS as usize) + BigUint::from(l);
    }
    v
}

fn from_big(v: &BigUint) -> Limbs {
    assert!(v < &r());
    let mut out = [0u32; LIMBS];
    let mask = BigUint::from(MASK);
    for (i, o) in out.iter_mut().enumerate() {
        let limb = (v >> (BITS as usize * i)) & &mask;
        *o = limb.to_u32_digits().first().copied().unwrap_or(0);
    }
    out
}

fn normalized(a: &Limbs) -> bool {
    a.iter().all(|&l| l <= MASK)
}

/// Inputs below 2N: the edges, values with long runs of all-ones limbs, and
/// random values of every size.
fn operands(rng: &mut Rng, random: usize) -> Vec<BigUint> {
    let n = big_n();
    let one = BigUint::from(1u8);
    let two_n = &n << 1;
    let mut v = vec![
        BigUint::default(),
        one.clone(),
        BigUint::from(2u8),
        &n - &one,
        n.clone(),
        &n + &one,
        &two_n - &one,
        (&one << 3072) - &one, // all-ones limbs below bit 3072 (≥ N)
        (&one << 3052) - &one, // all-ones limbs 0..108
        &n >> 1,
    ];
    for _ in 0..random {
        let len = 1 + rng.below(BYTES + 1);
        v.push(BigUint::from_bytes_be(&rng.bytes(len)) % &two_n);
    }
    v
}

#[test]
fn constants_match_reference() {
    let n = big_n();
    let hex: String = crate::N_HEX.concat();
    assert_eq!(n, BigUint::parse_bytes(hex.as_bytes(), 16).unwrap());
    assert_eq!(n.bits(), 3072);
    assert_eq!(to_big(&TWO_N), &n << 1);
    assert_eq!(to_big(&R2), (r() * r()) % &n);
    assert_eq!(to_big(&TOP_FOLD), (BigUint::from(1u8) << 3072) - &n);
    // N0_INV = −N⁻¹ mod 2^28.
    assert_eq!((u64::from(N[0]) * u64::from(N0_INV) + 1) % (1 << BITS), 0);
    assert!(normalized(&N) && normalized(&R2) && normalized(&TOP_FOLD));
}

#[test]
fn bytes_round_trip() {
    let mut rng = Rng(1);
    for len in [0, 1, 27, 28, 383, 384, 385] {
        for _ in 0..8 {
            let b = rng.bytes(len);
            let l = limbs::from_be_bytes(&b);
            assert!(normalized(&l));
            assert_eq!(to_big(&l), BigUint::from_bytes_be(&b));
            if len <= BYTES {
                let back = limbs::to_be_bytes(&l);
                assert_eq!(
                    BigUint::from_bytes_be(&back[..]),
                    BigUint::from_bytes_be(&b)
                );
            }
        }
    }
    let ff = [0xffu8; 385];
    assert_eq!(limbs::from_be_bytes(&ff), [MASK; LIMBS]);
}

#[test]
fn montgomery_mul_and_sqr_match_reference() {
    let n = big_n();
    let two_n = &n << 1;
    let r_inv = r().modinv(&n).unwrap();
    let mut rng = Rng(2);
    let ops = operands(&mut rng, 40);
    for (i, a) in ops.iter().enumerate() {
        let al = from_big(a);
        let sq = montgomery::sqr(&al);
        assert!(
            normalized(&sq) && to_big(&sq) < two_n,
            "sqr bound, case {i}"
        );
        assert_eq!(to_big(&sq) % &n, (a * a * &r_inv) % &n, "sqr, case {i}");
        // Every edge against every edge, and each random against a random.
        let partners: Vec<&BigUint> = if i < 10 {
            ops.iter().collect()
        } else {
            vec![&ops[rng.below(ops.len())]]
        };
        for b in partners {
            let p = montgomery::mul(&al, &from_big(b));
            assert!(normalized(&p) && to_big(&p) < two_n, "mul bound, case {i}");
            assert_eq!(to_big(&p) % &n, (a * b * &r_inv) % &n, "mul, case {i}");
        }
        let c = montgomery::from_montgomery(&al);
        assert_eq!(to_big(&c), (a * &r_inv) % &n, "from_montgomery, case {i}");
    }
}

#[test]
fn residue_from_any_length_reduces() {
    let n = big_n();
    let mut rng = Rng(3);
    let mut inputs: Vec<Vec<u8>> = vec![
        vec![],
        vec![0],
        vec![0; 400],
        vec![0xff; 384],
        vec![0xff; 385],
        vec![0xff; 386],
        vec![0xff; 1200],
        limbs::to_be_bytes(&N).to_vec(),
        limbs::to_be_bytes(&TWO_N).to_vec(),
    ];
    // N − 1, N + 1, and N with a leading zero byte.
    let nb = limbs::to_be_bytes(&N);
    let mut below = nb.to_vec();
    below[BYTES - 1] -= 1;
    inputs.push(below);
    inputs.push((&n + 1u8).to_bytes_be());
    inputs.push([&[0u8][..], &nb[..]].concat());
    for _ in 0..30 {
        let len = rng.below(1200);
        inputs.push(rng.bytes(len));
    }
    for (i, b) in inputs.iter().enumerate() {
        let want = BigUint::from_bytes_be(b) % &n;
        let got = Residue::from_be_bytes(b);
        assert!(to_big(&got.0) < &n << 1, "bound, case {i}");
        assert_eq!(
            BigUint::from_bytes_be(&got.to_be_bytes()[..]),
            want,
            "case {i}"
        );
        assert_eq!(
            got.is_zero(),
            want == BigUint::default(),
            "is_zero, case {i}"
        );
    }
}

#[test]
fn sub_and_mul_match_reference() {
    let n = big_n();
    let mut rng = Rng(4);
    let ops = operands(&mut rng, 20);
    for (i, a) in ops.iter().enumerate() {
        for b in [&ops[rng.below(ops.len())], &ops[0], &ops[3], a] {
            let ra = Residue::from_be_bytes(&a.to_bytes_be());
            let rb = Residue::from_be_bytes(&b.to_bytes_be());
            let diff = ra.sub(&rb);
            assert!(to_big(&diff.0) < &n << 1);
            let want = ((a % &n) + &n - (b % &n)) % &n;
            assert_eq!(
                BigUint::from_bytes_be(&diff.to_be_bytes()[..]),
                want,
                "sub, case {i}"
            );
            let prod = ra.mul(&rb);
            assert_eq!(
                BigUint::from_bytes_be(&prod.to_be_bytes()[..]),
                (a * b) % &n,
                "mul, case {i}"
            );
        }
    }
}

#[test]
fn pow_matches_reference() {
    let n = big_n();
    let mut rng = Rng(5);
    let ops = operands(&mut rng, 6);
    let mut exps: Vec<Vec<u8>> = vec![vec![], vec![0], vec![1], vec![0xff; 3], vec![0, 0, 0x80]];
    for _ in 0..4 {
        let len = rng.below(24);
        exps.push(rng.bytes(len));
    }
    exps.push(rng.bytes(129)); // the size of a + u·x
    for (i, base) in ops.iter().enumerate() {
        let e = &exps[i % exps.len()];
        let rb = Residue::from_be_bytes(&base.to_bytes_be());
        let got = rb.pow(e);
        assert!(to_big(&got.0) < &n << 1);
        let want = base.modpow(&BigUint::from_bytes_be(e), &n);
        assert_eq!(
            BigUint::from_bytes_be(&got.to_be_bytes()[..]),
            want,
            "pow, case {i}"
        );
    }
}

#[test]
fn pow_g_matches_reference() {
    let n = big_n();
    let two = BigUint::from(2u8);
    let mut rng = Rng(6);
    let mut exps: Vec<Vec<u8>> = vec![vec![], vec![0], vec![1], vec![31], vec![0xff; 4]];
    exps.push(vec![0xff; 32]);
    exps.push(rng.bytes(128));
    for _ in 0..6 {
        let len = rng.below(40);
        exps.push(rng.bytes(len));
    }
    for (i, e) in exps.iter().enumerate() {
        let got = Residue::pow_g(e);
        assert!(to_big(&got.0) < &n << 1);
        let want = two.modpow(&BigUint::from_bytes_be(e), &n);
        assert_eq!(
            BigUint::from_bytes_be(&got.to_be_bytes()[..]),
            want,
            "pow_g, case {i}"
        );
    }
}

#[test]
fn pow_g_256_comb_matches_reference() {
    let n = big_n();
    let two = BigUint::from(2u8);
    let mut rng = Rng(8);
    let mut exps: Vec<[u8; 32]> = vec![[0; 32], [0xff; 32]];
    let mut one = [0u8; 32];
    one[31] = 1;
    exps.push(one);
    let mut top = [0u8; 32];
    top[0] = 0x80;
    exps.push(top);
    for _ in 0..8 {
        let mut e = [0u8; 32];
        e.copy_from_slice(&rng.bytes(32));
        exps.push(e);
    }
    for (i, e) in exps.iter().enumerate() {
        let got = Residue::pow_g_256(e);
        assert!(to_big(&got.0) < &n << 1);
        let want = two.modpow(&BigUint::from_bytes_be(e), &n);
        assert_eq!(
            BigUint::from_bytes_be(&got.to_be_bytes()[..]),
            want,
            "case {i}"
        );
        // The shift-based path agrees too.
        assert_eq!(
            Residue::pow_g(e).to_be_bytes(),
            got.to_be_bytes(),
            "case {i}"
        );
    }
}

#[test]
fn pow_bits_with_a_bit_bound_matches_reference() {
    let n = big_n();
    let mut rng = Rng(9);
    let base_bytes = rng.bytes(384);
    let base = Residue::from_be_bytes(&base_bytes);
    for bits in [0, 1, 5, 77, 159, 160] {
        // An exponent below 2^bits in a 20-byte buffer (the contract).
        let mask: BigUint = (BigUint::from(1u8) << bits) - 1u8;
        let e: BigUint = BigUint::from_bytes_be(&rng.bytes(20)) & &mask;
        let mut exp = vec![0u8; 20];
        let eb = e.to_bytes_be();
        if e.bits() > 0 {
            exp[20 - eb.len()..].copy_from_slice(&eb);
        }
        let want = BigUint::from_bytes_be(&base_bytes).modpow(&e, &n);
        let got = base.pow_bits(&exp, bits);
        assert_eq!(
            BigUint::from_bytes_be(&got.to_be_bytes()[..]),
            want,
            "bits {bits}"
        );
    }
}

#[test]
fn window_and_select_are_exact() {
    // mul_pow2 is exercised through pow_g; the window reader on its own:
    let e = [0b1010_1100u8, 0b0101_0011];
    let v = 0b1010_1100_0101_0011u32;
    for pos in 0..20 {
        assert_eq!(pow::window_at(&e, pos), (v >> pos) & 31, "pos {pos}");
    }
}

#[test]
fn add_mul_matches_reference() {
    let mut rng = Rng(7);
    let cases: Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> = (0..40)
        .map(|i| {
            let (la, lu, lx) = match i {
                0 => (0, 0, 0),
                1 => (128, 32, 32),
                2 => (384, 32, 32),
                _ => (rng.below(400), rng.below(40), rng.below(40)),
            };
            let fill = |rng: &mut Rng, l: usize| if i == 3 { vec![0xff; l] } else { rng.bytes(l) };
            (fill(&mut rng, la), fill(&mut rng, lu), fill(&mut rng, lx))
        })
        .collect();
    for (i, (a, u, x)) in cases.iter().enumerate() {
        let (got, bits) = add_mul(a, u, x);
        let want =
            BigUint::from_bytes_be(a) + BigUint::from_bytes_be(u) * BigUint::from_bytes_be(x);
        assert_eq!(BigUint::from_bytes_be(&got), want, "case {i}");
        assert!(want.bits() as usize <= bits, "bit bound, case {i}");
        assert!(bits <= got.len() * 8, "bound within the buffer, case {i}");
    }
}

//! Modular exponentiation by a public exponent, on 32-bit limbs (wasm32's native word).
//!
//! This is all RSA verification needs: `s^e mod n` with `n` odd and everything public, so the
//! arithmetic is variable-time on purpose. Montgomery multiplication is the textbook CIOS
//! method (Koç, Acar and Kaliski, "Analyzing and Comparing Montgomery Multiplication
//! Algorithms", 1996); numbers are little-endian `u32` limbs of the modulus's length.

/// An odd modulus with its Montgomery constants, computed once per key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modulus {
    /// `n`, little-endian limbs; the top limb is not zero.
    n: Vec<u32>,
    /// `-n⁻¹ mod 2³²`.
    n_prime: u32,
    /// `R² mod n`, where `R = 2^(32·limbs)`: multiplying by it enters Montgomery form.
    r_squared: Vec<u32>,
}

impl Modulus {
    /// The modulus given as big-endian bytes; `None` when it is even or zero.
    pub fn from_be_bytes(bytes: &[u8]) -> Option<Self> {
        let mut n = limbs_from_be_bytes(bytes, bytes.len().div_ceil(4));
        while n.last() == Some(&0) {
            n.pop();
        }
        let low = *n.first()?;
        if low & 1 == 0 {
            return None;
        }
        let r_squared = power_of_two_mod(64 * n.len(), &n);
        Some(Modulus {
            n_prime: inverse_mod_word(low).wrapping_neg(),
            r_squared,
            n,
        })
    }

    /// `base^e mod n` for a big-endian `base`; `None` unless `0 ≤ base < n`.
    /// The result is big-endian, `width` bytes long (left-padded with zeros).
    pub fn pow_be(&self, base: &[u8], e: u64, width: usize) -> Option<Vec<u8>> {
        let base = limbs_from_be_bytes(base, self.n.len().max(base.len().div_ceil(4)));
        if base[self.n.len()..].iter().any(|l| *l != 0) {
            return None;
        }
        let base = &base[..self.n.len()];
        if !less_than(base, &self.n) || e == 0 {
            return None;
        }
        let base = self.mul(base, &self.r_squared);
        let mut acc = base.clone();
        for bit in (0..63 - e.leading_zeros()).rev() {
            acc = self.mul(&acc, &acc);
            if (e >> bit) & 1 == 1 {
                acc = self.mul(&acc, &base);
            }
        }
        let mut one = vec![0; self.n.len()];
        one[0] = 1;
        Some(limbs_to_be_bytes(&self.mul(&acc, &one), width))
    }

    /// Montgomery product `a·b·R⁻¹ mod n` of two numbers below `n`.
    fn mul(&self, a: &[u32], b: &[u32]) -> Vec<u32> {
        let len = self.n.len();
        // t has two extra limbs for the carries of each round.
        let mut t = vec![0u32; len + 2];
        for &a_i in a {
            let mut carry = 0u64;
            for (t_j, &b_j) in t.iter_mut().zip(b) {
                let sum = u64::from(*t_j) + u64::from(a_i) * u64::from(b_j) + carry;
                *t_j = sum as u32;
                carry = sum >> 32;
            }
            let sum = u64::from(t[len]) + carry;
            t[len] = sum as u32;
            t[len + 1] = (sum >> 32) as u32;

            // Add m·n, with m chosen so that the lowest limb becomes zero, then drop that limb.
            let m = t[0].wrapping_mul(self.n_prime);
            let mut carry = (u64::from(t[0]) + u64::from(m) * u64::from(self.n[0])) >> 32;
            for j in 1..len {
                let sum = u64::from(t[j]) + u64::from(m) * u64::from(self.n[j]) + carry;
                t[j - 1] = sum as u32;
                carry = sum >> 32;
            }
            let sum = u64::from(t[len]) + carry;
            t[len - 1] = sum as u32;
            t[len] = t[len + 1] + (sum >> 32) as u32;
        }
        // t < 2n: one conditional subtraction brings it below n.
        if t[len] != 0 || !less_than(&t[..len], &self.n) {
            subtract_in_place(&mut t[..len], &self.n);
        }
        t.truncate(len);
        t
    }
}

/// `2^exponent mod n` by repeated doubling (once per key, so plain is fine).
fn power_of_two_mod(exponent: usize, n: &[u32]) -> Vec<u32> {
    let mut x = vec![0u32; n.len()];
    x[0] = 1;
    if n.len() == 1 && n[0] == 1 {
        x[0] = 0;
    }
    for _ in 0..exponent {
        let mut carry = 0;
        for limb in x.iter_mut() {
            let next = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = next;
        }
        if carry == 1 || !less_than(&x, n) {
            subtract_in_place(&mut x, n);
        }
    }
    x
}

/// `x⁻¹ mod 2³²` for odd `x`, by Newton's iteration (each step doubles the correct bits).
fn inverse_mod_word(x: u32) -> u32 {
    let mut inv = x; // correct to 3 bits for odd x
    for _ in 0..4 {
        inv = inv.wrapping_mul(2u32.wrapping_sub(x.wrapping_mul(inv)));
    }
    inv
}

/// `a < b` for numbers of the same limb count.
fn less_than(a: &[u32], b: &[u32]) -> bool {
    a.iter().rev().cmp(b.iter().rev()) == std::cmp::Ordering::Less
}

/// `a -= b` (mod 2^(32·len)): the borrow out of the top limb cancels a carry the caller dropped.
fn subtract_in_place(a: &mut [u32], b: &[u32]) {
    let mut borrow = 0u64;
    for (a_i, &b_i) in a.iter_mut().zip(b) {
        let diff = u64::from(*a_i)
            .wrapping_sub(u64::from(b_i))
            .wrapping_sub(borrow);
        *a_i = diff as u32;
        borrow = diff >> 63;
    }
}

/// Big-endian bytes to `len` little-endian limbs (more bytes than fit are an error upstream).
fn limbs_from_be_bytes(bytes: &[u8], len: usize) -> Vec<u32> {
    let mut limbs = vec![0u32; len];
    for (i, byte) in bytes.iter().rev().enumerate() {
        limbs[i / 4] |= u32::from(*byte) << (8 * (i % 4));
    }
    limbs
}

/// Little-endian limbs to `width` big-endian bytes (the value must fit).
fn limbs_to_be_bytes(limbs: &[u32], width: usize) -> Vec<u8> {
    (0..width)
        .rev()
        .map(|i| limbs.get(i / 4).map_or(0, |l| (l >> (8 * (i % 4))) as u8))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn be(x: u128) -> Vec<u8> {
        x.to_be_bytes().to_vec()
    }

    fn pow_mod(mut b: u128, mut e: u64, n: u128) -> u128 {
        // Small operands only (n < 2^64), so products fit in u128.
        let mut acc = 1 % n;
        b %= n;
        while e > 0 {
            if e & 1 == 1 {
                acc = acc * b % n;
            }
            b = b * b % n;
            e >>= 1;
        }
        acc
    }

    #[test]
    fn agrees_with_plain_arithmetic_on_small_moduli() {
        let moduli = [
            3u128,
            0xffff_fffb,
            0x1_0000_0001,
            0xffff_ffff_ffff_ffc5,
            0x8000_0000_0000_0001,
        ];
        for n in moduli {
            let m = Modulus::from_be_bytes(&be(n)).unwrap();
            for base in [0u128, 1, 2, n / 3, n - 1] {
                for e in [1u64, 2, 3, 17, 65537, u64::MAX] {
                    let got = m.pow_be(&be(base), e, 16).unwrap();
                    assert_eq!(got, be(pow_mod(base, e, n)), "{base}^{e} mod {n}");
                }
            }
        }
    }

    #[test]
    fn refuses_even_moduli_and_out_of_range_bases() {
        assert!(Modulus::from_be_bytes(&be(10)).is_none());
        assert!(Modulus::from_be_bytes(&[0, 0]).is_none());
        let m = Modulus::from_be_bytes(&be(0xffff_fffb)).unwrap();
        assert!(m.pow_be(&be(0xffff_fffb), 3, 4).is_none());
        assert!(m.pow_be(&be(1 << 80), 3, 4).is_none());
        assert_eq!(m.pow_be(&be(2), 3, 4), Some(vec![0, 0, 0, 8]));
    }

    #[test]
    fn inverse_is_exact() {
        for x in [1u32, 3, 0xffff_ffff, 0x1234_5677, 0x8000_0001] {
            assert_eq!(x.wrapping_mul(inverse_mod_word(x)), 1);
        }
    }
}

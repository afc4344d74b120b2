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
            acc = self.square(&acc);
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
        let mut t = vec![0u32; 2 * len];
        for (i, &a_i) in a.iter().enumerate() {
            t[i + len] = multiply_add(&mut t[i..i + len], b, a_i);
        }
        self.reduce(t)
    }

    /// Montgomery square `a·a·R⁻¹ mod n`: each cross product once, doubled, plus the squares.
    fn square(&self, a: &[u32]) -> Vec<u32> {
        let len = self.n.len();
        let mut t = vec![0u32; 2 * len];
        for (i, &a_i) in a.iter().enumerate() {
            t[i + len] = multiply_add(&mut t[2 * i + 1..i + len], &a[i + 1..], a_i);
        }
        let mut carry = 0u32;
        for limb in t.iter_mut() {
            let next = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = next;
        }
        let mut carry = 0u64;
        for (pair, &a_i) in t.chunks_exact_mut(2).zip(a) {
            let square = u64::from(a_i) * u64::from(a_i);
            let low = u64::from(pair[0]) + (square & 0xffff_ffff) + carry;
            pair[0] = low as u32;
            let high = u64::from(pair[1]) + (square >> 32) + (low >> 32);
            pair[1] = high as u32;
            carry = high >> 32;
        }
        self.reduce(t)
    }

    /// `t·R⁻¹ mod n` for a `t < n·R` of twice the modulus's length (separated operand
    /// scanning): step i adds m·n·2^(32i), with m chosen so that limb i becomes zero; the carry
    /// out of limb i + len goes to limb i + len + 1, which the next step adds to anyway.
    fn reduce(&self, mut t: Vec<u32>) -> Vec<u32> {
        let len = self.n.len();
        let mut overflow = 0u64;
        for i in 0..len {
            let m = t[i].wrapping_mul(self.n_prime);
            let carry = multiply_add(&mut t[i..i + len], &self.n, m);
            let sum = u64::from(t[i + len]) + u64::from(carry) + overflow;
            t[i + len] = sum as u32;
            overflow = sum >> 32;
        }
        // The upper half (plus the overflow bit) is below 2n: one conditional subtraction.
        let mut result = t.split_off(len);
        if overflow != 0 || !less_than(&result, &self.n) {
            subtract_in_place(&mut result, &self.n);
        }
        result
    }
}

/// `acc += b·x` over `acc.len()` limbs (zipped slices: no bounds checks); returns the carry out.
fn multiply_add(acc: &mut [u32], b: &[u32], x: u32) -> u32 {
    let mut carry = 0u64;
    for (acc_j, &b_j) in acc.iter_mut().zip(b) {
        let sum = u64::from(*acc_j) + u64::from(x) * u64::from(b_j) + carry;
        *acc_j = sum as u32;
        carry = sum >> 32;
    }
    carry as u32
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
    fn squaring_equals_multiplying_by_itself() {
        // A 2048-bit odd modulus and bases spread over its range (a simple LCG fills the limbs).
        let mut x = 0x9e37_79b9u32;
        let mut next = || {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            x
        };
        let mut n: Vec<u32> = (0..64).map(|_| next()).collect();
        n[0] |= 1;
        n[63] |= 0x8000_0000;
        let bytes: Vec<u8> = n.iter().rev().flat_map(|l| l.to_be_bytes()).collect();
        let m = Modulus::from_be_bytes(&bytes).unwrap();
        for top in [0u32, 1, 0x7fff_ffff, 0xffff_ffff] {
            let mut a: Vec<u32> = (0..64).map(|_| next()).collect();
            a[63] = top.min(n[63] - 1);
            assert_eq!(m.square(&a), m.mul(&a, &a));
        }
        let max: Vec<u32> = n
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { l - 1 } else { *l })
            .collect();
        assert_eq!(m.square(&max), m.mul(&max, &max));
    }

    #[test]
    fn inverse_is_exact() {
        for x in [1u32, 3, 0xffff_ffff, 0x1234_5677, 0x8000_0001] {
            assert_eq!(x.wrapping_mul(inverse_mod_word(x)), 1);
        }
    }
}

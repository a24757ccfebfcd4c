//! Levenshtein distance and Jaro-Winkler similarity on characters already split, without
//! allocating for texts of up to 64 characters.
//!
//! - Levenshtein: Hyyrö's bit-parallel form of Myers' algorithm (one machine word holds a column
//!   of the edit matrix), over blocks of 64 characters when the shorter text is longer. Time
//!   `O(⌈m / 64⌉ · n)`: linear in the longer text when the shorter is a name's length.
//! - Jaro-Winkler: the same definition and the same floating-point operations as `strsim`'s
//!   `generic_jaro_winkler` (so scores agree bit for bit), with the match search limited to the
//!   match window (strsim walks from the start of the other text each time, quadratic on long
//!   texts) and the matched positions kept as bits.
//!
//! Both are checked against `strsim` on arbitrary texts (proptest).

/// The positions at which each character occurs in a text of up to 64 characters, as bits.
/// ASCII characters are looked up in a table, others in a short list.
struct Masks {
    ascii: [u64; 128],
    other: Vec<(char, u64)>,
}

impl Masks {
    fn new(text: &[char]) -> Self {
        let mut masks = Self {
            ascii: [0; 128],
            other: Vec::new(),
        };
        for (at, &c) in text.iter().enumerate() {
            let bit = 1u64 << at;
            match usize::try_from(u32::from(c)) {
                Ok(code) if code < 128 => masks.ascii[code] |= bit,
                _ => match masks.other.iter_mut().find(|(known, _)| *known == c) {
                    Some((_, mask)) => *mask |= bit,
                    None => masks.other.push((c, bit)),
                },
            }
        }
        masks
    }

    fn get(&self, c: char) -> u64 {
        let code = u32::from(c) as usize;
        if code < 128 {
            self.ascii[code]
        } else {
            self.other
                .iter()
                .find(|(known, _)| *known == c)
                .map_or(0, |(_, mask)| *mask)
        }
    }
}

/// The Levenshtein distance (insertions, deletions and substitutions of one character each).
pub(crate) fn levenshtein(a: &[char], b: &[char]) -> usize {
    let (pattern, text) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if pattern.is_empty() {
        return text.len();
    }
    if pattern.len() <= 64 {
        levenshtein_word(pattern, text)
    } else {
        levenshtein_blocks(pattern, text)
    }
}

/// A text compared with many others: its masks are built once. The distances are the same as
/// [`levenshtein`]'s (the distance is symmetric, so this text may be the longer one).
pub(crate) struct Pattern {
    text: Vec<char>,
    /// For a text of 1 to 64 characters.
    masks: Option<Masks>,
}

impl Pattern {
    pub fn new(text: &[char]) -> Self {
        Self {
            text: text.to_vec(),
            masks: (1..=64).contains(&text.len()).then(|| Masks::new(text)),
        }
    }

    /// The Levenshtein distance of this text and `other`.
    pub fn distance(&self, other: &[char]) -> usize {
        match &self.masks {
            Some(masks) => levenshtein_masks(masks, self.text.len(), other),
            None => levenshtein(&self.text, other),
        }
    }
}

/// Hyyrö (2003), for a pattern of 1 to 64 characters.
fn levenshtein_word(pattern: &[char], text: &[char]) -> usize {
    levenshtein_masks(&Masks::new(pattern), pattern.len(), text)
}

/// Hyyrö (2003), for the pattern of `masks`, of 1 to 64 characters (`pattern_len`), and a text
/// of any length.
fn levenshtein_masks(masks: &Masks, pattern_len: usize, text: &[char]) -> usize {
    let last = 1u64 << (pattern_len - 1);
    let mut vp = u64::MAX;
    let mut vn = 0u64;
    let mut distance = pattern_len;
    for &c in text {
        let eq = masks.get(c);
        let d0 = (((eq & vp).wrapping_add(vp)) ^ vp) | eq | vn;
        let hp = vn | !(d0 | vp);
        let hn = d0 & vp;
        if hp & last != 0 {
            distance += 1;
        } else if hn & last != 0 {
            distance -= 1;
        }
        let hp = (hp << 1) | 1;
        let hn = hn << 1;
        vp = hn | !(d0 | hp);
        vn = hp & d0;
    }
    distance
}

/// Myers' algorithm over blocks of 64 pattern characters, carrying the horizontal deltas from
/// one block to the next.
fn levenshtein_blocks(pattern: &[char], text: &[char]) -> usize {
    let blocks: Vec<Masks> = pattern.chunks(64).map(Masks::new).collect();
    let mut vp = vec![u64::MAX; blocks.len()];
    let mut vn = vec![0u64; blocks.len()];
    let last_bits = (pattern.len() - 1) % 64;
    let last = 1u64 << last_bits;
    let mut distance = pattern.len();
    for &c in text {
        // The top row's horizontal delta is +1 (the first row of the matrix counts up).
        let mut carry_p = 1u64;
        let mut carry_n = 0u64;
        for (at, masks) in blocks.iter().enumerate() {
            let eq = masks.get(c) | carry_n;
            let (p, n) = (vp[at], vn[at]);
            let d0 = (((eq & p).wrapping_add(p)) ^ p) | eq | n;
            let hp = n | !(d0 | p);
            let hn = d0 & p;
            let top = if at + 1 == blocks.len() {
                last
            } else {
                1u64 << 63
            };
            let out_p = u64::from(hp & top != 0);
            let out_n = u64::from(hn & top != 0);
            let hp = (hp << 1) | carry_p;
            let hn = (hn << 1) | carry_n;
            vp[at] = hn | !(d0 | hp);
            vn[at] = hp & d0;
            carry_p = out_p;
            carry_n = out_n;
        }
        if carry_p != 0 {
            distance += 1;
        } else if carry_n != 0 {
            distance -= 1;
        }
    }
    distance
}

/// The Jaro similarity, as `strsim::generic_jaro` computes it.
pub(crate) fn jaro(a: &[char], b: &[char]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let search_range = (a_len.max(b_len) / 2).saturating_sub(1);
    if b_len <= 64 && a_len <= 64 {
        jaro_small(a, b, search_range)
    } else {
        jaro_large(a, b, search_range)
    }
}

/// Jaro for texts of up to 64 characters: the matched positions are bits.
fn jaro_small(a: &[char], b: &[char], search_range: usize) -> f64 {
    let masks = Masks::new(b);
    let b_len = b.len();
    let mut a_flags = 0u64;
    let mut b_flags = 0u64;
    let mut matches = 0usize;
    for (i, &c) in a.iter().enumerate() {
        let low = i.saturating_sub(search_range);
        let high = b_len.min(i + search_range + 1);
        if low >= high {
            continue;
        }
        let window = bits_below(high) & !bits_below(low);
        let free = masks.get(c) & window & !b_flags;
        if free != 0 {
            // The first free equal character in the window, as strsim takes it.
            b_flags |= free & free.wrapping_neg();
            a_flags |= 1u64 << i;
            matches += 1;
        }
    }
    let mut transpositions = 0usize;
    if matches != 0 {
        let mut remaining_b = b_flags;
        let mut remaining_a = a_flags;
        while remaining_a != 0 {
            let i = remaining_a.trailing_zeros() as usize;
            let j = remaining_b.trailing_zeros() as usize;
            if a[i] != b[j] {
                transpositions += 1;
            }
            remaining_a &= remaining_a - 1;
            remaining_b &= remaining_b - 1;
        }
    }
    jaro_value(matches, transpositions / 2, a.len(), b_len)
}

/// The bits of the positions below `n` (`n` ≤ 64).
fn bits_below(n: usize) -> u64 {
    if n >= 64 { u64::MAX } else { (1u64 << n) - 1 }
}

/// Jaro for longer texts: flags in vectors, the search limited to the window.
fn jaro_large(a: &[char], b: &[char], search_range: usize) -> f64 {
    let b_len = b.len();
    let mut a_flags = vec![false; a.len()];
    let mut b_flags = vec![false; b_len];
    let mut matches = 0usize;
    for (i, &c) in a.iter().enumerate() {
        let low = i.saturating_sub(search_range);
        let high = b_len.min(i + search_range + 1);
        for j in low..high {
            if !b_flags[j] && b[j] == c {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    let mut transpositions = 0usize;
    if matches != 0 {
        let mut b_matched = b.iter().zip(&b_flags).filter(|(_, f)| **f).map(|(c, _)| c);
        for (c, _) in a.iter().zip(&a_flags).filter(|(_, f)| **f) {
            if b_matched.next() != Some(c) {
                transpositions += 1;
            }
        }
    }
    jaro_value(matches, transpositions / 2, a.len(), b_len)
}

fn jaro_value(matches: usize, transpositions: usize, a_len: usize, b_len: usize) -> f64 {
    if matches == 0 {
        0.0
    } else {
        ((matches as f64 / a_len as f64)
            + (matches as f64 / b_len as f64)
            + ((matches - transpositions) as f64 / matches as f64))
            / 3.0
    }
}

/// The Jaro-Winkler similarity, as `strsim::generic_jaro_winkler` computes it: a shared prefix
/// of up to four characters raises a Jaro similarity above 0.7.
pub(crate) fn jaro_winkler(a: &[char], b: &[char]) -> f64 {
    let sim = jaro(a, b);
    if sim > 0.7 {
        let prefix = a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    struct Chars<'a>(&'a [char]);

    impl<'a> IntoIterator for &Chars<'a> {
        type Item = &'a char;
        type IntoIter = std::slice::Iter<'a, char>;

        fn into_iter(self) -> Self::IntoIter {
            self.0.iter()
        }
    }

    #[test]
    fn known_distances() {
        assert_eq!(levenshtein(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(levenshtein(&chars(""), &chars("abc")), 3);
        assert_eq!(levenshtein(&chars("abc"), &chars("abc")), 0);
        assert_eq!(levenshtein(&chars("é ü"), &chars("e ü")), 1);
    }

    #[test]
    fn long_texts_are_compared_in_blocks() {
        let a: Vec<char> = "abcdefghij".repeat(20).chars().collect();
        let mut b = a.clone();
        b[5] = 'x';
        b.remove(150);
        b.insert(70, 'y');
        assert_eq!(levenshtein(&a, &b), 3);
        assert_eq!(levenshtein(&b, &a), 3);
    }

    /// Texts over a small alphabet (so that they share characters) with some non-ASCII ones.
    fn text(max: usize) -> impl Strategy<Value = Vec<char>> {
        prop::collection::vec(
            prop::sample::select(vec!['a', 'b', 'c', ' ', 'é', 'ß', '\u{fffd}', 'z']),
            0..max,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn a_pattern_gives_the_same_distances(a in text(90), b in text(90)) {
            let pattern = Pattern::new(&a);
            prop_assert_eq!(pattern.distance(&b), levenshtein(&a, &b));
            prop_assert_eq!(Pattern::new(&b).distance(&a), levenshtein(&a, &b));
        }

        #[test]
        fn levenshtein_equals_strsim(a in text(150), b in text(150)) {
            prop_assert_eq!(levenshtein(&a, &b), strsim::generic_levenshtein(&Chars(&a), &Chars(&b)));
        }

        #[test]
        fn jaro_winkler_equals_strsim_bit_for_bit(a in text(90), b in text(90)) {
            let ours = jaro_winkler(&a, &b);
            let theirs = strsim::generic_jaro_winkler(&Chars(&a), &Chars(&b));
            prop_assert_eq!(ours.to_bits(), theirs.to_bits(), "{} vs {}", ours, theirs);
        }
    }
}

//! Stable sorting with one copy of the sort in the app's wasm.
//!
//! `slice::sort_by` is generic over its comparison, so every call site carries its own copy
//! of the standard library's stable sort (about 3 KB of wasm each). In the app (wasm32),
//! [`sort_by`] sorts positions instead, with one non-generic sort of `usize`s that asks the
//! caller's comparison through a `&mut dyn FnMut`, and then moves the items into that order:
//! the same order as `sort_by` (stable: equal items keep their order), at the cost of two
//! small vectors. Natively (the server, the tests, the benchmarks) it is `slice::sort_by`.

use std::cmp::Ordering;

/// Sorts `items` by `cmp`, stably: the order `slice::sort_by` gives.
pub fn sort_by<T>(items: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    sort_by_positions(items, cmp);
    #[cfg(not(target_arch = "wasm32"))]
    items.sort_by(cmp);
}

/// [`sort_by`] in the app: the positions sorted, then the items moved into their order.
pub fn sort_by_positions<T>(items: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = stable_order(items.len(), &mut |a, b| cmp(&items[a], &items[b]));
    arrange(&order, &mut |a, b| items.swap(a, b));
}

/// The positions `0..len` sorted stably by `cmp`.
#[inline(never)]
fn stable_order(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Swaps items so that position `i` holds the item that was at `order[i]`.
#[inline(never)]
fn arrange(order: &[usize], swap: &mut dyn FnMut(usize, usize)) {
    // `at[p]`: the item (by its first position) now at position p; `now[i]`: where item i is.
    let mut at: Vec<usize> = (0..order.len()).collect();
    let mut now = at.clone();
    for (i, &wanted) in order.iter().enumerate() {
        let j = now[wanted];
        if j != i {
            swap(i, j);
            let moved = at[i];
            at[j] = moved;
            now[moved] = j;
            at[i] = wanted;
            now[wanted] = i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_sort_as_the_standard_sort_does() {
        // Pairs compared by their first half only, so that stability shows in the second.
        let mut seed = 7_u64;
        for len in 0..60 {
            let items: Vec<(u64, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    ((seed >> 33) % 5, i)
                })
                .collect();
            for reverse in [false, true] {
                let cmp = |a: &(u64, usize), b: &(u64, usize)| {
                    if reverse {
                        b.0.cmp(&a.0)
                    } else {
                        a.0.cmp(&b.0)
                    }
                };
                let mut expected = items.clone();
                expected.sort_by(cmp);
                let mut got = items.clone();
                sort_by_positions(&mut got, cmp);
                assert_eq!(got, expected, "len {len}");
                let mut native = items.clone();
                sort_by(&mut native, cmp);
                assert_eq!(native, expected);
            }
        }
    }

    #[test]
    fn items_that_are_not_copy_move_whole() {
        let mut names: Vec<String> = ["c", "a", "b", "a"].map(String::from).to_vec();
        sort_by_positions(&mut names, |a, b| a.cmp(b));
        assert_eq!(names, ["a", "a", "b", "c"]);
    }
}

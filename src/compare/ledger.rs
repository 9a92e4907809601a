//! The ledger: every term grouped by where it occurs (both / only A / only B).
//!
//! Within a group, names come first, then titles of works, quotes, title words, quantities, percentages,
//! dates, ordinals and plain numbers; within a kind, the most mentioned first.

use serde::Serialize;

use super::{Presence, Term, TermKind};

/// Term indexes (into [`super::Comparison::terms`]) grouped by presence.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ledger {
    /// Terms both articles mention.
    pub both: Vec<usize>,
    /// Terms only A mentions.
    pub only_a: Vec<usize>,
    /// Terms only B mentions.
    pub only_b: Vec<usize>,
}

fn kind_rank(k: TermKind) -> u8 {
    match k {
        TermKind::Name => 0,
        TermKind::Work => 1,
        TermKind::Quote => 2,
        TermKind::Topic => 3,
        TermKind::Quantity => 4,
        TermKind::Percent => 5,
        TermKind::Date => 6,
        TermKind::Ordinal => 7,
        TermKind::Number => 8,
    }
}

impl Ledger {
    /// Groups and orders `terms`.
    pub fn new(terms: &[Term]) -> Ledger {
        let mut ledger = Ledger::default();
        for (i, t) in terms.iter().enumerate() {
            match t.presence {
                Presence::Both => ledger.both.push(i),
                Presence::OnlyA => ledger.only_a.push(i),
                Presence::OnlyB => ledger.only_b.push(i),
            }
        }
        for group in [&mut ledger.both, &mut ledger.only_a, &mut ledger.only_b] {
            // Stable: equal terms keep their order of first appearance.
            group.sort_by_key(|&i| {
                let t = &terms[i];
                (kind_rank(t.kind), std::cmp::Reverse(t.a_count + t.b_count))
            });
        }
        ledger
    }

    /// The group for `presence`.
    pub fn group(&self, presence: Presence) -> &[usize] {
        match presence {
            Presence::Both => &self.both,
            Presence::OnlyA => &self.only_a,
            Presence::OnlyB => &self.only_b,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(kind: TermKind, key: &str, a: usize, b: usize) -> Term {
        Term {
            kind,
            key: key.into(),
            a: (a > 0).then(|| key.into()),
            b: (b > 0).then(|| key.into()),
            a_count: a,
            b_count: b,
            presence: match (a > 0, b > 0) {
                (true, true) => Presence::Both,
                (true, false) => Presence::OnlyA,
                _ => Presence::OnlyB,
            },
            date: None,
        }
    }

    #[test]
    fn groups_by_presence_then_kind_then_count() {
        let terms = [
            term(TermKind::Number, "n5", 1, 1),
            term(TermKind::Name, "克里", 9, 9),
            term(TermKind::Quantity, "8项反制措施", 1, 0),
            term(TermKind::Percent, "30%", 0, 1),
            term(TermKind::Name, "秦刚", 1, 0),
            term(TermKind::Name, "汪文斌", 2, 0),
        ];
        let l = Ledger::new(&terms);
        assert_eq!(l.both, [1, 0]);
        assert_eq!(l.only_a, [5, 4, 2]);
        assert_eq!(l.only_b, [3]);
        assert_eq!(l.group(Presence::OnlyB), [3]);
    }
}

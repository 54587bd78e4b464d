//! Vote weights (количество голосов, ч.3 ст.48 ЖК РФ): one vote per square
//! metre of owned area, exact to the last fraction.

use rustc_hash::FxHashMap as HashMap;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};

use crate::number::{Votes, div, exact, mul};
use crate::registry::{Holder, Layout, Owner, OwnerKey, OwnerKind, Premise, Registry, Room};
use crate::warning::Warning;

/// Who casts a holding's votes: one owner, or a joint group as one block.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Voter {
    /// An owner as [`OwnerKey`] tells owners apart across the building: an organisation by its
    /// name, a person by the registry's `owner_id`, else within one premise (two people may share
    /// a name).
    Owner { key: OwnerKey, kind: OwnerKind, name: String },
    /// A joint group, identified by its members' names in registry order.
    Joint(Vec<String>),
}

impl Voter {
    /// The name people read: the owner's name, or the members' names joined by `, `.
    pub fn name(&self) -> String {
        match self {
            Voter::Owner { name, .. } => name.clone(),
            Voter::Joint(names) => names.join(", "),
        }
    }

    /// The owner kind (a joint group is reported as its first member's).
    pub fn kind(&self) -> OwnerKind {
        match self {
            Voter::Owner { kind, .. } => *kind,
            Voter::Joint(_) => OwnerKind::Person,
        }
    }
}

/// One unit that votes: an owner or joint group in a premise or room, with its weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
    /// Index into `Registry::premises`.
    pub premise: usize,
    pub room: Option<String>,
    /// The owner, or every member of the joint group in registry order.
    pub owners: Vec<Owner>,
    pub joint: bool,
    /// The area held in: the premise's, or the room's for a communal flat.
    pub area: Votes,
    /// The fraction of that area held; `None` for the whole of it.
    pub share: Option<Votes>,
    pub votes: Votes,
    /// `votes × Weights::denominator`: a whole number, so that sums of many holdings are
    /// integer additions instead of fraction additions with ever-growing denominators.
    pub units: BigInt,
}

impl Holding {
    pub fn voter(&self) -> Voter {
        if self.joint {
            Voter::Joint(self.owners.iter().map(|o| o.name.clone()).collect())
        } else {
            let owner = &self.owners[0];
            Voter::Owner { key: owner.key(self.premise), kind: owner.kind, name: owner.name.clone() }
        }
    }
}

/// The votes of one voter summed over all their holdings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoterVotes {
    pub voter: Voter,
    pub votes: Votes,
    /// Indices into `Weights::holdings`.
    pub holdings: Vec<usize>,
}

/// The weights of a whole building.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weights {
    /// TOTAL (общее количество голосов): Σ area of premises with at least one owner.
    pub total: Votes,
    pub holdings: Vec<Holding>,
    pub warnings: Vec<Warning>,
    /// The least common denominator of all holdings' votes (see `Holding::units`).
    pub denominator: BigInt,
}

impl Weights {
    /// Computes every holding's weight and TOTAL.
    pub fn compute(registry: &Registry) -> Weights {
        let mut weights =
            Weights { total: Votes::zero(), holdings: Vec::new(), warnings: Vec::new(), denominator: BigInt::one() };
        for (index, premise) in registry.premises.iter().enumerate() {
            if !premise.is_owned() {
                weights.warnings.push(Warning::UnownedPremise { premise: premise.label.clone() });
                continue;
            }
            match &premise.layout {
                Layout::Whole(holders) => weights.add(index, premise, None, &premise.area, holders),
                Layout::Rooms(rooms) => weights.add_rooms(index, premise, rooms),
            }
        }
        let owned = registry.premises.iter().filter(|p| p.is_owned()).map(|p| &p.area);
        weights.total = exact_sum(owned);
        weights.denominator = common_denominator(weights.holdings.iter().map(|h| h.votes.denom()));
        let units = scale(weights.holdings.iter().map(|h| &h.votes), &weights.denominator);
        for (holding, units) in weights.holdings.iter_mut().zip(units) {
            holding.units = units;
        }
        weights
    }

    /// The holdings of one owner in one premise (a joint group's holding counts for each member).
    pub fn holdings_of<'a>(&'a self, premise: usize, owner: &'a str) -> impl Iterator<Item = &'a Holding> + 'a {
        self.holdings.iter().filter(move |h| h.premise == premise && h.owners.iter().any(|o| o.name == owner))
    }

    /// A sum of holdings' units as exact votes.
    pub fn votes_of_units(&self, units: BigInt) -> Votes {
        Votes::new(units, self.denominator.clone())
    }

    /// Sole, shared and joint holdings: `weight × share` (the share is 1 for the whole),
    /// where `weight` is the premise's area, or a communal room's weight.
    fn add(&mut self, index: usize, premise: &Premise, room: Option<&Room>, weight: &Votes, holders: &[Holder]) {
        let sum: Votes = holders.iter().map(Holder::fraction).sum();
        if sum < Votes::one() {
            self.warnings.push(Warning::SharesIncomplete {
                premise: premise.label.clone(),
                room: room.map(|r| r.label.clone()),
                sum: exact(&sum),
            });
        }
        for holder in holders {
            self.holdings.push(Holding {
                premise: index,
                room: room.map(|r| r.label.clone()),
                owners: holder.owners.clone(),
                joint: holder.joint.is_some(),
                area: room.map_or(&premise.area, |r| &r.area).clone(),
                share: holder.share.clone(),
                votes: match &holder.share {
                    Some(share) => mul(weight, share),
                    None => weight.clone(),
                },
                units: BigInt::zero(),
            });
        }
    }

    /// Communal flats (ст.42 ЖК РФ): each owned room also carries the flat's common areas
    /// in proportion to its area, `room + room / owned × (flat − owned)`, where `owned`
    /// is the area of the owned rooms. The owned rooms thus share the whole flat.
    fn add_rooms(&mut self, index: usize, premise: &Premise, rooms: &[Room]) {
        let owned = exact_sum(rooms.iter().filter(|r| !r.holders.is_empty()).map(|r| &r.area));
        for room in rooms {
            if room.holders.is_empty() {
                self.warnings.push(Warning::UnownedRoom { premise: premise.label.clone(), room: room.label.clone() });
                continue;
            }
            // room + room / owned × (flat − owned) = room × flat / owned
            let weight = div(&mul(&room.area, &premise.area), &owned);
            self.add(index, premise, Some(room), &weight, &room.holders);
        }
    }

    /// A number of votes as a fraction of TOTAL (0 for an empty building).
    pub fn fraction_of_total(&self, votes: &Votes) -> Votes {
        if self.total.is_zero() { Votes::zero() } else { votes / &self.total }
    }

    /// Votes per voter across the building, in order of first appearance. The
    /// municipality, the state, each legal entity and each person with an `owner_id` are one
    /// voter; other people are one voter per premise.
    pub fn voters(&self) -> Vec<VoterVotes> {
        let mut out: Vec<VoterVotes> = Vec::new();
        let mut at: HashMap<Voter, usize> = HashMap::default();
        for (index, holding) in self.holdings.iter().enumerate() {
            let voter = holding.voter();
            let slot = *at.entry(voter.clone()).or_insert_with(|| {
                out.push(VoterVotes { voter, votes: Votes::zero(), holdings: Vec::new() });
                out.len() - 1
            });
            out[slot].votes += &holding.votes;
            out[slot].holdings.push(index);
        }
        out
    }
}

/// The least common multiple of `denominators`. Each denominator is small even when their
/// multiple is huge, so every step reduces the big multiple modulo a small number first.
fn common_denominator<'a>(denominators: impl Iterator<Item = &'a BigInt>) -> BigInt {
    let mut lcm = BigInt::one();
    for d in denominators {
        match d.to_u64() {
            Some(small) => {
                let rest = (&lcm % small).to_u64().unwrap_or(0);
                let g = small.gcd(&rest);
                if g != small {
                    lcm *= small / g;
                }
            }
            None => lcm = lcm.lcm(d),
        }
    }
    lcm
}

/// Each value as a whole number of units of 1/`denominator` (a common multiple of their
/// denominators), dividing the big denominator once per distinct small one.
fn scale<'a>(values: impl Iterator<Item = &'a Votes>, denominator: &BigInt) -> Vec<BigInt> {
    let mut factors: HashMap<&BigInt, BigInt> = HashMap::default();
    values.map(|v| v.numer() * &*factors.entry(v.denom()).or_insert_with_key(|d| denominator / *d)).collect()
}

/// An exact sum of many values with small denominators: integer additions over their
/// common denominator, reduced once, instead of a fraction addition per value.
pub fn exact_sum<'a>(values: impl Iterator<Item = &'a Votes> + Clone) -> Votes {
    let denominator = common_denominator(values.clone().map(|v| v.denom()));
    let sum: BigInt = scale(values, &denominator).into_iter().sum();
    Votes::new(sum, denominator)
}

//! The canvass: facts folded into statuses, the registered-mail list and progress; contacts only under consent.

mod common;

use chrono::DateTime;
use obhod_core::registry::since::Since;
use obhod_core::{Act, Canvass, Contact, Fact, Outcome, Weights};
use proptest::prelude::*;

use common::registry;

/// Flat 1: two owners with shares; flat 2: a joint couple; shop: a legal entity; attic: unowned.
fn building() -> obhod_core::Registry {
    registry(
        "1;flat;60;1;1;;;Иванов;;1/2;\n\
         1;flat;60;1;1;;;Петрова;;1/2;\n\
         2;flat;40;1;2;;;Сидоров;;;с1\n\
         2;flat;40;1;2;;;Сидорова;;;с1\n\
         Н-1;nonresidential;100;;0;;;ООО «Ромашка»;legal;;\n\
         Чердак;nonresidential;50;;;;;;;;",
    )
}

fn fact(n: u32, premise: &str, owner: Option<&str>, outcome: Outcome) -> Fact {
    let contact = (outcome == Outcome::Contact).then(|| format!("01JC{n:022}"));
    Fact {
        id: format!("01JF{n:022}"),
        device: "phone-1".into(),
        at: DateTime::parse_from_rfc3339("2026-11-21T19:00:00+06:00").unwrap(),
        note: None,
        act: Act::Mark {
            premise: premise.into(),
            owner: owner.map(str::to_string),
            outcome,
            contact,
            sent: None,
            signed: None,
            under: 0,
        },
    }
}

fn withdraw(n: u32, of: u32) -> Fact {
    Fact { act: Act::Withdraw { fact: format!("01JF{of:022}") }, ..fact(n, "1", None, Outcome::Absent) }
}

fn mail(canvass: &Canvass, registry: &obhod_core::Registry) -> Vec<(String, String)> {
    canvass.mail_list().map(|(p, o)| (registry.premises[p.premise].label.clone(), o.owner.name.clone())).collect()
}

#[test]
fn before_any_visit_every_owner_of_an_owned_premise_needs_a_letter() {
    let registry = building();
    let canvass = Canvass::fold(&registry, vec![]);
    let mail = mail(&canvass, &registry);
    assert_eq!(mail.len(), 5, "the unowned attic gets no letter: {mail:?}");
    assert!(mail.contains(&("2".into(), "Сидорова".into())), "each joint owner apart");
}

#[test]
fn delivered_without_owner_notifies_every_owner_and_letter_puts_one_back() {
    let registry = building();
    let facts = vec![fact(1, "1", None, Outcome::Delivered), fact(2, "1", Some("Петрова"), Outcome::Letter)];
    let canvass = Canvass::fold(&registry, facts);
    let flat = &canvass.premises[0];
    assert!(flat.owners.iter().all(|o| o.notified));
    assert_eq!((flat.visits, flat.last_outcome), (2, Some(Outcome::Letter)));
    let mail = mail(&canvass, &registry);
    assert!(mail.contains(&("1".into(), "Петрова".into())), "marked letter: on the list although notified");
    assert!(!mail.contains(&("1".into(), "Иванов".into())));
}

#[test]
fn a_withdrawn_fact_no_longer_counts_but_stays_in_the_history() {
    let registry = building();
    let canvass = Canvass::fold(&registry, vec![fact(1, "1", None, Outcome::Delivered), withdraw(2, 1)]);
    let flat = &canvass.premises[0];
    assert!(flat.owners.iter().all(|o| !o.notified));
    assert_eq!((flat.visits, flat.last_outcome, flat.history.len()), (0, None, 1));
}

#[test]
fn a_contact_shows_only_while_a_consent_stands() {
    let registry = building();
    let consent = fact(1, "Н-1", Some("ООО «Ромашка»"), Outcome::Consent);
    let contact = fact(2, "Н-1", Some("ООО «Ромашка»"), Outcome::Contact);
    let with = Canvass::fold(&registry, vec![consent.clone(), contact.clone()]);
    assert_eq!(with.premises[2].owners[0].contact.as_deref(), Some("01JC0000000000000000000002"));
    assert_eq!(with.premises[2].contacts, ["01JC0000000000000000000002"]);
    let without = Canvass::fold(&registry, vec![consent, contact, withdraw(3, 1)]);
    assert_eq!(without.premises[2].owners[0].contact, None);
    assert!(without.premises[2].contacts.is_empty(), "its values are to be erased");
}

#[test]
fn a_contact_does_not_rest_on_a_consent_given_after_it() {
    let registry = building();
    let owner = Some("ООО «Ромашка»");
    let facts = vec![
        fact(1, "Н-1", owner, Outcome::Consent),
        fact(2, "Н-1", owner, Outcome::Contact),
        withdraw(3, 1),
        fact(4, "Н-1", owner, Outcome::Consent), // consents again, but the old phone was erased
    ];
    let canvass = Canvass::fold(&registry, facts.clone());
    assert!(canvass.premises[2].owners[0].consent);
    assert_eq!((canvass.premises[2].owners[0].contact.as_ref(), canvass.premises[2].contacts.len()), (None, 0));
    let again = [facts, vec![fact(5, "Н-1", owner, Outcome::Contact)]].concat();
    assert_eq!(Canvass::fold(&registry, again).premises[2].contacts, ["01JC0000000000000000000005"]);
}

#[test]
fn a_contacts_debug_never_shows_its_values() {
    let contact = Contact { phone: Some("+7 900 000-00-00".into()), email: Some("a@b.ru".into()) };
    let debug = format!("{contact:?}");
    assert!(!debug.contains("000-00-00") && !debug.contains("a@b.ru"), "{debug}");
}

#[test]
fn progress_counts_pairs_and_the_votes_of_fully_notified_holdings() {
    let registry = building();
    let weights = Weights::compute(&registry);
    let facts = vec![
        fact(1, "1", Some("Иванов"), Outcome::Delivered),
        fact(2, "2", Some("Сидоров"), Outcome::Delivered),
        fact(3, "Н-1", None, Outcome::Delivered),
        fact(4, "1", Some("Петрова"), Outcome::Refused),
    ];
    let canvass = Canvass::fold(&registry, facts);
    let progress = canvass.progress(&weights, |_| true);
    assert_eq!((progress.owners, progress.notified, progress.letters, progress.refused), (5, 3, 2, 1));
    // Иванов's half of flat 1 (30) and the shop (100); the joint flat 2 waits for Сидорова.
    assert_eq!(obhod_core::number::exact(&progress.notified_votes), "130");
    let entrance = canvass.progress(&weights, |p| registry.premises[p].entrance.as_deref() == Some("1"));
    assert_eq!((entrance.owners, entrance.notified), (4, 2));
}

#[test]
fn facts_naming_what_the_registry_lacks_are_set_aside() {
    let registry = building();
    let canvass = Canvass::fold(
        &registry,
        vec![fact(1, "99", None, Outcome::Delivered), fact(2, "1", Some("Кто-то"), Outcome::Delivered)],
    );
    assert_eq!(canvass.stray, vec![0, 1]);
    assert!(canvass.premises.iter().all(|p| p.visits == 0));
}

fn any_fact(n: u32) -> impl Strategy<Value = Fact> {
    let premise =
        prop::sample::select(vec![("1", Some("Иванов")), ("1", None), ("2", Some("Сидорова")), ("Н-1", None)]);
    let outcome = prop::sample::select(Outcome::ALL.to_vec());
    (premise, outcome, 0..n + 1).prop_map(move |((premise, owner), outcome, cites)| {
        if cites < n && cites % 3 == 0 { withdraw(n, cites) } else { fact(n, premise, owner, outcome) }
    })
}

proptest! {
    /// The same facts in any order give the same statuses (a merge never changes meaning).
    #[test]
    fn the_fold_does_not_depend_on_order(
        facts in (1u32..40).prop_flat_map(|len| (0..len).map(any_fact).collect::<Vec<_>>()),
        seed in any::<u64>(),
    ) {
        let registry = building();
        let mut shuffled = facts.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let mut twice = shuffled.clone();
        twice.extend(facts.iter().cloned());
        let a = Canvass::fold(&registry, facts);
        prop_assert_eq!(&a, &Canvass::fold(&registry, shuffled));
        prop_assert_eq!(&a, &Canvass::fold(&registry, twice), "a fact received twice counts once");
    }
}

proptest! {
    /// Adding facts to a fold (the TUI after a mark, newest facts; or anything older) gives the
    /// same statuses as folding them all at once.
    #[test]
    fn extending_a_fold_equals_folding_everything(
        facts in (1u32..40).prop_flat_map(|len| (0..len).map(any_fact).collect::<Vec<_>>()),
        split in 0usize..40,
        older in any::<bool>(),
    ) {
        let registry = building();
        let split = split.min(facts.len());
        let (mut first, mut rest) = (facts[..split].to_vec(), facts[split..].to_vec());
        if older {
            std::mem::swap(&mut first, &mut rest);
        }
        let mut canvass = Canvass::fold(&registry, first);
        canvass.extend(&registry, rest);
        prop_assert_eq!(canvass, Canvass::fold(&registry, facts));
    }
}

/// The building above with the attic owned by the same organisation as Н-1.
fn building_with_an_owner_of_two() -> obhod_core::Registry {
    registry(
        "1;flat;60;1;1;;;Иванов;;1/2;\n\
         1;flat;60;1;1;;;Петрова;;1/2;\n\
         2;flat;40;1;2;;;Сидоров;;;с1\n\
         2;flat;40;1;2;;;Сидорова;;;с1\n\
         Н-1;nonresidential;100;;0;;;ООО «Ромашка»;legal;;\n\
         Чердак;nonresidential;50;;0;;;ООО «Ромашка»;legal;;",
    )
}

fn any_fact_of_two(n: u32) -> impl Strategy<Value = Fact> {
    let premise = prop::sample::select(vec![
        ("1", Some("Иванов")),
        ("1", None),
        ("2", Some("Сидорова")),
        ("Н-1", None),
        ("Чердак", None),
    ]);
    let outcome = prop::sample::select(Outcome::ALL.to_vec());
    (premise, outcome, 0..n + 1).prop_map(move |((premise, owner), outcome, cites)| {
        if cites < n && cites % 3 == 0 { withdraw(n, cites) } else { fact(n, premise, owner, outcome) }
    })
}

proptest! {
    /// Folding only the facts around one premise gives that premise the statuses the whole fold
    /// gives it, an owner's notice at another of its premises included.
    #[test]
    fn the_fold_around_a_premise_equals_the_whole_fold_there(
        facts in (1u32..40).prop_flat_map(|len| (0..len).map(any_fact_of_two).collect::<Vec<_>>()),
    ) {
        let registry = building_with_an_owner_of_two();
        let all = Canvass::fold(&registry, facts.clone());
        for p in 0..registry.premises.len() {
            let around = Canvass::fold_around(&registry, facts.iter(), p);
            let (a, b) = (&around.premises[p], &all.premises[p]);
            prop_assert_eq!(&a.owners, &b.owners);
            prop_assert_eq!((a.visits, a.last_outcome, &a.contacts), (b.visits, b.last_outcome, &b.contacts));
        }
    }
}

#[test]
fn an_outcome_word_is_read_in_any_case_with_latin_look_alikes_and_extra_spaces() {
    for (text, outcome) in [
        ("delivered", Outcome::Delivered),
        ("Sent", Outcome::Sent),
        ("вручено", Outcome::Delivered),
        ("BPУЧЕНО", Outcome::Delivered),
        ("нe  зacтaли", Outcome::Absent),
        (" Письмо   отправлено ", Outcome::Sent),
        ("oтказ", Outcome::Refused),
    ] {
        assert_eq!(Outcome::parse(text), Some(outcome), "{text}");
    }
    for text in ["dеlivered", "вручен", "otkaz", ""] {
        assert_eq!(Outcome::parse(text), None, "{text}");
    }
}

/// The building after flat 1's second half was sold to a buyer and flat 2 was found to have a
/// third joint owner: `building()` updated once.
fn building_updated() -> obhod_core::Registry {
    let mut updated = registry(
        "1;flat;60;1;1;;;Иванов;;1/2;\n\
         1;flat;60;1;1;;;Кузнецов;;1/2;\n\
         2;flat;40;1;2;;;Сидоров;;;с1\n\
         2;flat;40;1;2;;;Сидорова;;;с1\n\
         2;flat;40;1;2;;;Сидоров-младший;;;с1\n\
         Н-1;nonresidential;100;;0;;;ООО «Ромашка»;legal;;\n\
         Чердак;nonresidential;50;;;;;;;;",
    );
    updated.since = Since::next(&building(), &updated, chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    updated
}

/// A fact of either registry, recorded under the first (0) or the updated one (1).
fn any_fact_of_either(n: u32) -> impl Strategy<Value = Fact> {
    let premise = prop::sample::select(vec![
        ("1", None),
        ("1", Some("Иванов")),
        ("1", Some("Петрова")),
        ("1", Some("Кузнецов")),
        ("2", None),
        ("2", Some("Сидоров-младший")),
        ("Н-1", None),
    ]);
    let outcome = prop::sample::select(vec![Outcome::Delivered, Outcome::Absent, Outcome::Letter, Outcome::Refused]);
    (premise, outcome, 0..n + 1, 0u64..2).prop_map(move |((premise, owner), outcome, cites, under)| {
        if cites < n && cites % 4 == 0 {
            return withdraw(n, cites);
        }
        let mut fact = fact(n, premise, owner, outcome);
        if let Act::Mark { under: version, .. } = &mut fact.act {
            *version = under;
        }
        fact
    })
}

proptest! {
    /// A registry update never makes a mark reach more owners: an owner who stays keeps what the
    /// facts gave it before; an owner who came with the update is notified only by a fact
    /// recorded under the new registry (naming it or for every owner), never by an older one.
    #[test]
    fn a_later_registry_never_widens_what_a_mark_reaches(
        facts in (1u32..40).prop_flat_map(|len| (0..len).map(any_fact_of_either).collect::<Vec<_>>()),
    ) {
        let (before, after) = (building(), building_updated());
        let (old, new) = (Canvass::fold(&before, facts.clone()), Canvass::fold(&after, facts.clone()));
        let withdrawn = obhod_core::canvass::withdrawn(facts.iter());
        for (premise, owner) in new.owners() {
            let label = &after.premises[premise.premise].label;
            let name = &owner.owner.name;
            match old.premises[premise.premise].owner(name) {
                Some(was) => prop_assert_eq!(was.notified, owner.notified, "{} of {} stays as it was", name, label),
                None => {
                    let reached = facts.iter().filter(|f| !withdrawn.contains(&f.id)).any(|f| matches!(&f.act,
                        Act::Mark { premise: p, owner: o, outcome: Outcome::Delivered, under, .. }
                            if p == label && o.as_ref().is_none_or(|o| o == name) && (o.is_some() || *under >= 1)));
                    prop_assert_eq!(owner.notified, reached, "{} of {} came with the update", name, label);
                }
            }
        }
    }
}

//! A real group for the store's tests: a CA and member certificates made with rcgen, memberships
//! set on each device's store, the members recorded by the organiser's device (CA-signed).

use std::path::Path;

use automerge::sync::{Message, State, SyncDoc};
use automerge::{Automerge, ReadDoc};
use obhod_store::{Campaign, MemberRecord, Membership, StoreError, SyncSession};
use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};

use super::{sources, sync};

pub struct Group {
    ca_key: KeyPair,
    ca_params: CertificateParams,
    ca_pem: String,
    /// The CA certificate, DER: what a joining device is given through the invite's pinned channel.
    pub ca_der: Vec<u8>,
}

impl Group {
    pub fn new() -> Group {
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = ca_params.self_signed(&ca_key).unwrap();
        Group { ca_key, ca_params, ca_pem: ca.pem(), ca_der: ca.der().to_vec() }
    }

    /// Makes `campaign`'s device a member (the organiser's when `organiser`) and has the
    /// organiser's store record it.
    pub fn admit(&self, campaign: &mut Campaign, organiser: Option<&mut Campaign>, name: &str) {
        let key = KeyPair::generate().unwrap();
        let issuer = Issuer::new(self.ca_params.clone(), &self.ca_key);
        let cert = CertificateParams::new(Vec::<String>::new()).unwrap().signed_by(&key, &issuer).unwrap();
        let is_organiser = organiser.is_none();
        campaign
            .set_membership(&Membership {
                group: "G".into(),
                group_name: "Совет дома".into(),
                device_name: name.into(),
                member_pem: format!("{}{}{}", self.ca_pem, cert.pem(), key.serialize_pem()),
                ca_pem: is_organiser.then(|| format!("{}{}", self.ca_pem, self.ca_key.serialize_pem())),
            })
            .unwrap();
        let now = chrono::Local::now().fixed_offset();
        let record = MemberRecord {
            organiser: is_organiser,
            ..MemberRecord::new(campaign.device(), name, &format!("{:02x}", name.len()), cert.der(), now)
        };
        organiser.unwrap_or(campaign).add_member(&record).unwrap();
    }
}

/// An organiser's store (A) and two members' (B, C), all synced.
pub fn three(dir: &Path) -> (Group, Campaign, Campaign, Campaign) {
    let group = Group::new();
    let mut a = Campaign::init(&dir.join("a.db"), sources()).unwrap();
    let mut b = a.replica_to(&dir.join("b.db")).unwrap();
    let mut c = a.replica_to(&dir.join("c.db")).unwrap();
    group.admit(&mut a, None, "Организатор");
    group.admit(&mut b, Some(&mut a), "Телефон Анны");
    group.admit(&mut c, Some(&mut a), "Телефон Олега");
    sync(&mut a, &mut b);
    sync(&mut a, &mut c);
    (group, a, b, c)
}

/// Offers everything `hostile` holds to `honest` by the sync protocol, until the honest store has
/// nothing more to ask or refuses a message.
pub fn push(hostile: &mut Automerge, honest: &mut Campaign) -> Result<(), StoreError> {
    let (mut state, mut session) = (State::new(), SyncSession::new());
    for _ in 0..50 {
        let message = hostile.generate_sync_message(&mut state);
        if let Some(message) = &message {
            session.receive(honest, &message.clone().encode())?;
        }
        let reply = session.generate(honest);
        if let Some(reply) = &reply {
            hostile.receive_sync_message(&mut state, Message::decode(reply).unwrap()).unwrap();
        }
        if message.is_none() && reply.is_none() {
            return Ok(());
        }
    }
    panic!("the sync does not end");
}

/// The document of a store, to forge changes on, under a new actor.
pub fn forger(campaign: &Campaign) -> Automerge {
    let mut doc = Automerge::load(&campaign.document()).unwrap();
    doc.set_actor(automerge::ActorId::random());
    doc
}

/// The id of a map at the document's root.
pub fn map(doc: &Automerge, key: &str) -> automerge::ObjId {
    doc.get(automerge::ROOT, key).unwrap().unwrap().1
}

/// The stored text of a fact.
pub fn fact_text(doc: &Automerge, id: &str) -> String {
    let facts = map(doc, "facts");
    doc.get(&facts, id).unwrap().unwrap().0.into_string().unwrap()
}

/// Writes `forged`'s last change into `campaign`'s file as a change row, past the check: what an
/// older obhod would have taken from a hostile peer.
pub fn write_past_the_check(forged: &Automerge, campaign: &Campaign) {
    let change = forged.get_last_local_change().unwrap().clone();
    let conn = rusqlite::Connection::open(campaign.path()).unwrap();
    conn.execute(
        "INSERT INTO change (campaign, hash, data) VALUES (?1, ?2, ?3)",
        rusqlite::params![campaign.id(), change.hash().0.as_slice(), change.raw_bytes()],
    )
    .unwrap();
}

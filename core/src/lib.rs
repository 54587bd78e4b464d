//! The domain of obhod, the canvass and count before a general meeting of owners (ОСС)
//! of a Russian apartment building: the registry of owners, exact vote weights, the
//! tally of decisions and the legal deadlines. Pure: it parses readers and strings and
//! returns plain values; storage, terminals and networks live in other crates.

pub mod act;
pub mod ballots;
pub mod canvass;
pub mod date;
pub mod deadlines;
pub mod decision;
pub mod entry;
pub mod error;
pub mod lang;
pub mod mail;
pub mod meeting;
pub mod number;
pub mod registry;
pub mod report;
pub mod representative;
pub mod table;
pub mod tally;
pub mod text;
pub mod warning;
pub mod weights;

pub use ballots::{Answer, Ballot, Invalid, parse_ballots};
pub use canvass::{
    Act, Canvass, Contact, Fact, Notice, NoticeBy, Outcome, OwnerStatus, OwnerWide, PremiseStatus, Progress,
};
pub use error::{InputError, Problem};
pub use lang::{Lang, plural};
pub use mail::{
    AddressParts, BadTracking, Destination, Envelope, Letter, Tracking, envelope_warnings, envelopes, every_envelope,
};
pub use meeting::{LawItem, Meeting, MeetingForm, MeetingKind, PostalAddress, Question, Threshold};
pub use number::Votes;
pub use registry::{Found, Holder, Layout, Match, Owner, OwnerKey, OwnerKind, Premise, PremiseKind, Registry, Room};
pub use report::{Count, Fmt, Report};
pub use representative::{Authority, Proxy, ProxyDefect, Representative};
pub use tally::{
    Excluded, Exclusion, Live, Prospect, QuestionResult, Running, Settling, Signed, Strict, StrictQuestion, Tally,
};
pub use warning::Warning;
pub use weights::{Holding, Voter, VoterVotes, Weights};

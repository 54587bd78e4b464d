//! The bundled demo building, Садовая, 5: 160 flats in four entrances, shops, parking, storerooms,
//! communal flats, joint and municipal property (`fixtures/sadovaya-5`).

use obhod_store::Sources;

const MEETING: &str = include_str!("../../fixtures/sadovaya-5/meeting.toml");
const REGISTRY: &str = include_str!("../../fixtures/sadovaya-5/registry.csv");
const BALLOTS: &str = include_str!("../../fixtures/sadovaya-5/ballots.csv");

/// The demo building's files as a campaign is created from them.
pub fn sources() -> Sources {
    Sources {
        meeting_file: "sadovaya-5/meeting.toml".into(),
        meeting_text: MEETING.into(),
        registry_file: "sadovaya-5/registry.csv".into(),
        registry_text: REGISTRY.trim_start_matches('\u{feff}').into(),
    }
}

/// The demo building's received ballots (for trying the quorum panel).
pub fn ballots() -> &'static str {
    BALLOTS
}

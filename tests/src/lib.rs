//! Shared pieces of the cross-crate end-to-end tests in `tests/`.

use std::path::Path;

use obhod_store::Sources;

/// A file of the guide's worked example (`fixtures/guide-example`).
pub fn guide_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/guide-example").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The guide example's meeting and registry, as `obhod init` reads them.
pub fn guide_sources() -> Sources {
    Sources {
        meeting_file: "meeting.toml".into(),
        meeting_text: guide_file("meeting.toml"),
        registry_file: "registry.csv".into(),
        registry_text: guide_file("registry.csv"),
    }
}

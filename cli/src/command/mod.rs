//! One module per subcommand. Each returns the text to print, so that `main` owns
//! stdout and exit codes.

pub mod ballots;
pub mod conflicts;
pub mod deadlines;
pub mod demo;
pub mod group;
pub mod init;
pub mod mail;
pub mod mark;
pub mod meeting;
pub mod papers;
pub mod registry;
pub mod status;
pub mod sync;
pub mod tally;
pub mod weights;

//! One module per subcommand. Each returns the text to print, so that `main` owns
//! stdout and exit codes.

pub mod deadlines;
pub mod tally;
pub mod weights;

//! thresh's integration tests: one binary, one module per topic.

mod util;

mod cli_extract;
mod comment_systems;
mod robustness;
mod seeds;

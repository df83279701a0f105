//! thresh's integration tests: one binary, one module per topic.

// Test helpers outside #[test] functions unwrap too: a failure there is a failed test.
#![allow(clippy::unwrap_used)]

mod util;

mod archives;
mod browser;
mod cli_extract;
mod comment_systems;
mod crashes;
mod index_search;
mod layers;
mod ranking;
mod reliability;
mod robustness;
mod seeds;
mod serve;
mod site_templates;
mod stories;

//! thresh: a search engine for folders of saved web pages.
//!
//! Pages go through one pipeline. [`ingest`] turns a saved page's bytes (HTML in any charset, or
//! a browser's plain-text dump) into a [`ingest::Page`]: the article (title, site, byline,
//! dates, body) with the boilerplate stripped, and its reader comments, each with author, time
//! and text. [`index`] walks a corpus folder and keeps a tantivy index of those pages current,
//! one document per article and per comment; [`search`] answers queries over it with ranked,
//! highlighted hits. [`watch`] keeps an index current while its corpus changes, and [`serve`]
//! answers searches over HTTP: a web page to search from and a JSON API.
//!
//! ```
//! use thresh::ingest::{extract, IngestConfig};
//! let dump = "Rain Expected Across The Region\n\nRain is expected across the region on \
//!             Tuesday, the weather service said, with heavy showers in the afternoon.\n\n\
//!             ADVERTISEMENT\n";
//! let page = extract("rain.txt", dump.as_bytes(), &IngestConfig::default()).unwrap();
//! assert_eq!(page.title.as_deref(), Some("Rain Expected Across The Region"));
//! assert!(!page.body.contains("ADVERTISEMENT"));
//! ```
#![deny(missing_docs)]

pub mod index;
pub mod ingest;
pub mod panics;
pub mod search;
pub mod serve;
pub mod watch;

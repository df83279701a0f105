//! What words and characters mean, as data and cheap tests: the boilerplate phrase lists, the
//! class and id vocabularies, character classes and case-insensitive search. Imports nothing
//! else of ingest.

pub mod caseless;
pub mod chars;
pub mod names;
pub mod phrases;

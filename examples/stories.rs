//! How well the story fingerprints tell copies of one story from distinct stories, for
//! `bench/duplicates.sh`: reads a list of pages that are all distinct stories and a list of
//! pairs that are copies of one story (tab-separated), extracts each page as `thresh` does,
//! and prints, for each threshold of estimated containment, how many distinct pairs would
//! wrongly collapse and how many copies would collapse (by address, or by sketch).
//!
//!   cargo run --release --example stories -- DISTINCT_LIST PAIRS_LIST

use std::fs;

use rayon::prelude::*;
use thresh::index::story;
use thresh::ingest::{self, IngestConfig};

/// A page's address key and sketch.
type Keys = (Option<String>, Option<story::Sketch>);

/// A page's story keys: its address key and its body's fingerprint.
fn keys(path: &str) -> Keys {
    let config = IngestConfig::default();
    let Ok(bytes) = fs::read(path) else {
        return (None, None);
    };
    match ingest::extract(path, &bytes, &config) {
        Ok(page) => (
            page.url.as_deref().and_then(story::url_key),
            story::Sketch::of(&page.body),
        ),
        Err(_) => (None, None),
    }
}

fn lines(path: &str) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(String::from)
        .collect()
}

fn main() {
    // Panics that extraction catches (a page it recovers) are not news here, as in `thresh`.
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !thresh::panics::panics_are_handled() {
            default(info);
        }
    }));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [distinct, pairs] = args.as_slice() else {
        eprintln!("usage: stories DISTINCT_LIST PAIRS_LIST");
        std::process::exit(2);
    };
    let names = lines(distinct);
    let distinct: Vec<Keys> = names.par_iter().map(|p| keys(p)).collect();
    let all_pairs: Vec<(String, Keys, Keys)> = lines(pairs)
        .par_iter()
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| {
            let form = b.rsplit_once('.').map_or("", |(_, e)| e).to_string();
            (form, keys(a), keys(b))
        })
        .collect();
    let sketched = distinct.iter().filter(|k| k.1.is_some()).count();
    let mut contained = Vec::new();
    let mut same_url = 0;
    for (i, a) in distinct.iter().enumerate() {
        for (j, b) in distinct.iter().enumerate().skip(i + 1) {
            if a.0.is_some() && a.0 == b.0 {
                same_url += 1;
            }
            if let (Some(x), Some(y)) = (&a.1, &b.1) {
                let c = x.containment(y);
                if c >= story::SAME_STORY_CONTAINMENT {
                    println!("collapsed: {} and {} ({c:.2})", names[i], names[j]);
                }
                contained.push(c);
            }
        }
    }
    println!(
        "distinct stories: {} pages ({} with a sketch), {} pairs of sketches, {} pairs sharing an address key",
        distinct.len(),
        sketched,
        contained.len(),
        same_url
    );
    let mut forms: Vec<&str> = all_pairs.iter().map(|p| p.0.as_str()).collect();
    forms.sort_unstable();
    forms.dedup();
    for form in forms {
        println!("\nHTML and its copy as .{form}:");
        let pairs: Vec<_> = all_pairs
            .iter()
            .filter(|p| p.0 == form)
            .map(|p| (p.1.clone(), p.2.clone()))
            .collect();
        containment(&pairs, &contained);
    }
}

/// Prints how many of `pairs` collapse, and of the distinct pairs' `contained`, per threshold
/// of estimated containment.
fn containment(pairs: &[(Keys, Keys)], contained: &[f64]) {
    let copy: Vec<Option<f64>> = pairs
        .iter()
        .map(|(a, b)| Some(a.1.as_ref()?.containment(b.1.as_ref()?)))
        .collect();
    let by_url = pairs
        .iter()
        .filter(|(a, b)| a.0.is_some() && a.0 == b.0)
        .count();
    println!(
        "copies: {} pairs, {by_url} share an address key",
        pairs.len()
    );
    println!("containment  distinct pairs collapsed  copies collapsed (address or sketch)");
    for at in [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] {
        let wrong = contained.iter().filter(|&&c| c >= at).count();
        let right = pairs
            .iter()
            .zip(&copy)
            .filter(|((a, b), c)| a.0.is_some() && a.0 == b.0 || c.is_some_and(|c| c >= at))
            .count();
        let mark = if (at - story::SAME_STORY_CONTAINMENT).abs() < 1e-9 {
            "  <- SAME_STORY_CONTAINMENT"
        } else {
            ""
        };
        println!("{at:11.1}  {wrong:24}  {right:6} / {}{mark}", pairs.len());
    }
}

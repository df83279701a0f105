//! One hit per story: a story saved several times (as HTML, as a text dump, as MHTML, on two
//! days) is one hit, the newest capture, naming the other copies; distinct stories of one site
//! stay apart; `--all-copies` lists every copy.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{s, thresh};

const STORY: &str = "The harbour commission voted on Thursday to dredge the northern channel \
    before the autumn storms, after two fishing boats ran aground there in August. The work \
    will cost about four hundred thousand pounds and take six weeks, the chair said, and the \
    channel will stay open to small craft at high tide while the dredger is at work. Fishermen \
    welcomed the decision but asked why it had taken a year, and the commission promised a \
    survey of the southern approach in the spring.";

const OTHER: &str = "The lifeboat station opened its doors to visitors on Saturday for the \
    first time since its new boathouse was finished, and more than a thousand people queued \
    along the quay to see the crew launch the all-weather boat down the slipway. Volunteers \
    served tea in the old net loft, children tried on the crew's helmets, and the coxswain \
    thanked the town for the appeal that had paid for the building over five long winters.";

fn html(title: &str, body: &str, url: Option<&str>, captured: &str) -> String {
    let canonical = url
        .map(|u| format!("<link rel=\"canonical\" href=\"{u}\">"))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><!--\n Page saved with SingleFile \n url: {} \n \
         saved date: {captured}\n--><head><meta charset=\"utf-8\"><title>{title} | Harbour News\
         </title>{canonical}</head><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a>\
         </nav><article><h1>{title}</h1><p>{body}</p></article><footer>Harbour News, \
         Quay Street</footer></body></html>",
        url.unwrap_or("https://harbour.example.com/")
    )
}

fn hits(dir: &Path, args: &[&str]) -> Vec<Value> {
    let run = thresh(dir, args);
    assert!(run.code() <= 1, "{}", run.stderr());
    run.json_lines()
}

#[test]
fn copies_of_a_story_are_one_hit_and_other_stories_stay_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let corpus = dir.join("corpus");
    fs::create_dir(&corpus).unwrap();
    let url = "https://www.harbour.example.com/news/dredging?utm_source=rss";
    let old = "Mon Sep 07 2020 09:00:00 GMT+0000 (Coordinated Universal Time)";
    let new = "Tue Sep 08 2020 18:30:00 GMT+0000 (Coordinated Universal Time)";
    fs::write(
        corpus.join("dredging.html"),
        html("Channel to be dredged", STORY, Some(url), old),
    )
    .unwrap();
    // Saved again a day later, with a slightly different address.
    fs::write(
        corpus.join("dredging-again.html"),
        html(
            "Channel to be dredged",
            STORY,
            Some("http://harbour.example.com/news/dredging/"),
            new,
        ),
    )
    .unwrap();
    // And as a text dump, with the site's lines around it and no address.
    fs::write(
        corpus.join("dredging.txt"),
        format!(
            "Channel to be dredged | Harbour News\n\nHome News\n\n{STORY}\n\nHarbour News, Quay Street\n"
        ),
    )
    .unwrap();
    fs::write(
        corpus.join("lifeboat.html"),
        html(
            "Lifeboat open day",
            &format!("{OTHER} The harbour commission sent its chair."),
            Some("https://harbour.example.com/news/lifeboat"),
            old,
        ),
    )
    .unwrap();
    let run = thresh(dir, &["index", "--json"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());

    let found = hits(dir, &["search", "--json", "harbour commission"]);
    let pages: Vec<&str> = found.iter().map(|h| s(h, "page")).collect();
    assert_eq!(pages, ["dredging-again.html", "lifeboat.html"], "{found:?}");
    let mut copies: Vec<&str> = found[0]["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    copies.sort_unstable();
    assert_eq!(copies, ["corpus/dredging.html", "corpus/dredging.txt"]);
    assert_eq!(found[1]["duplicates"], Value::Array(Vec::new()));

    let text = thresh(dir, &["search", "--color", "never", "harbour commission"]).stdout();
    assert!(
        text.contains("also saved as corpus/dredging.html, corpus/dredging.txt")
            || text.contains("also saved as corpus/dredging.txt, corpus/dredging.html"),
        "{text}"
    );

    let all = hits(
        dir,
        &["search", "--json", "--all-copies", "harbour commission"],
    );
    assert_eq!(all.len(), 4, "{all:?}");
    assert!(
        all.iter()
            .all(|h| h["duplicates"] == Value::Array(Vec::new()))
    );
}

//! Ranking and languages: CJK, stemming and folding at index and query time, typos, snippets,
//! and a snapshot of the top hits for a fixed query list over a small corpus of pages written
//! for these tests (tests/fixtures/ranking), so a ranking change shows up as a reviewed diff.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::util::{fixture, s, thresh};

/// A temporary folder with the ranking pages as `corpus/`, indexed.
fn indexed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    for entry in fs::read_dir(fixture("ranking")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
        }
    }
    thresh(dir.path(), &["index", "--quiet"]).assert_exit_code(0);
    dir
}

fn search(dir: &Path, args: &[&str]) -> (i32, Vec<Value>, String) {
    let mut all = vec!["search", "--json", "-n", "20"];
    all.extend_from_slice(args);
    let run = thresh(dir, &all);
    (run.code(), run.json_lines(), run.stderr())
}

fn pages(hits: &[Value]) -> Vec<&str> {
    hits.iter().map(|h| s(h, "page")).collect()
}

/// The highlighted pieces of a hit's snippet.
fn marked(hit: &Value) -> Vec<String> {
    let snippet = s(hit, "snippet");
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            snippet[a..b].to_string()
        })
        .collect()
}

#[test]
fn korean_japanese_and_chinese_words_find_their_pages() {
    let dir = indexed();
    let d = dir.path();
    // A Korean word inside a longer word with its particle (방탄소년단이), and a word that
    // only occurs there.
    let (code, hits, _) = search(d, &["방탄소년단"]);
    assert_eq!(code, 0);
    assert_eq!(pages(&hits), vec!["ko-drama-ost.html"]);
    assert!(
        marked(&hits[0]).iter().all(|m| m == "방탄소년단"),
        "{:?}",
        marked(&hits[0])
    );
    let (_, hits, _) = search(d, &["주제가"]);
    assert_eq!(pages(&hits), vec!["ko-drama-ost.html"]);
    // Japanese: kanji and katakana inside unbroken text.
    let (_, hits, _) = search(d, &["主題歌"]);
    assert_eq!(pages(&hits), vec!["ja-drama-ost.html"]);
    let m = marked(&hits[0]);
    assert!(!m.is_empty() && m.iter().all(|m| m == "主題歌"), "{m:?}");
    let (_, hits, _) = search(d, &["シグナル"]);
    assert_eq!(pages(&hits), vec!["ja-drama-ost.html"]);
    // Chinese, and a single character that only occurs inside longer runs.
    let (_, hits, _) = search(d, &["主题曲"]);
    assert_eq!(pages(&hits), vec!["zh-drama-ost.html"]);
    let (_, hits, _) = search(d, &["弹"]);
    assert_eq!(pages(&hits), vec!["zh-drama-ost.html"]);
    // Characters that are not adjacent in the page do not match as a word.
    let (code, _, _) = search(d, &["主曲"]);
    assert_eq!(code, 1);
    // Latin words inside CJK pages: `BTS` in `BTS가` and `BTSが`.
    let (_, hits, _) = search(d, &["bts", "--kind", "article"]);
    let found = pages(&hits);
    for page in [
        "ko-drama-ost.html",
        "ja-drama-ost.html",
        "en-drama-ost.html",
    ] {
        assert!(found.contains(&page), "{found:?}");
    }
}

#[test]
fn stems_and_accents_match_as_typed_or_not() {
    let dir = indexed();
    let d = dir.path();
    // English stems: `songs` finds `song`, and the highlight is the word as written.
    let (_, hits, _) = search(d, &["songs", "--kind", "article"]);
    assert_eq!(s(&hits[0], "page"), "en-drama-ost.html");
    assert!(marked(&hits[0]).iter().any(|m| m == "song"));
    // French: plural and accents (`chanson`, `cafe`).
    let (_, hits, _) = search(d, &["chanson"]);
    assert_eq!(pages(&hits), vec!["fr-chansons.html"]);
    let (_, hits, _) = search(d, &["cafe"]);
    assert_eq!(pages(&hits), vec!["fr-chansons.html"]);
    assert_eq!(marked(&hits[0]), vec!["café"]);
    // German umlauts folded both ways.
    let (_, hits, _) = search(d, &["sanger"]);
    assert_eq!(pages(&hits), vec!["de-lieder.html"]);
    let (_, hits, _) = search(d, &["Österreich"]);
    assert_eq!(pages(&hits), vec!["de-lieder.html"]);
    // Full-width Latin letters are the same letters.
    let (_, hits, _) = search(d, &["ＫＩＭＣＨＩ"]);
    assert_eq!(pages(&hits), vec!["en-kimchi-stew.html"]);
}

#[test]
fn typos_are_forgiven_on_request_and_exact_matches_come_first() {
    let dir = indexed();
    let d = dir.path();
    // Nothing found: a suggestion, and no hits.
    let (code, hits, err) = search(d, &["stadum"]);
    assert_eq!(code, 1);
    assert!(hits.is_empty());
    assert!(err.contains("did you mean: stadium"), "{err}");
    // --fuzzy searches with it, and says so.
    let (code, hits, err) = search(d, &["--fuzzy", "stadum"]);
    assert_eq!(code, 0);
    assert!(err.contains("showing hits for: stadium"), "{err}");
    assert_eq!(s(&hits[0], "page"), "en-world-tour.html");
    // A stemmed word is suggested as pages write it, not as its stem.
    let (_, _, err) = search(d, &["detectivs"]);
    assert!(err.contains("did you mean: detectives"), "{err}");
    // word~1: `gaon` and `gain` are one edit apart; pages with the word as typed rank first.
    let (_, hits, _) = search(d, &["gaon~1", "--kind", "article"]);
    let found = pages(&hits);
    assert_eq!(found.first(), Some(&"en-gaon-chart.html"), "{found:?}");
    assert!(found.contains(&"en-weight-gain.html"), "{found:?}");
    let (_, hits, _) = search(d, &["gain~1", "--kind", "article"]);
    assert_eq!(pages(&hits).first(), Some(&"en-weight-gain.html"));
    // A word the index holds gets no suggestion.
    let (code, _, err) = search(d, &["stadium", "--kind", "comment", "--author", "nobody"]);
    assert_eq!(code, 1);
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn snippets_are_sentences_and_their_number_is_chosen() {
    let dir = indexed();
    let d = dir.path();
    let (_, hits, _) = search(d, &["drama", "--kind", "article"]);
    let hit = hits
        .iter()
        .find(|h| s(h, "page") == "en-drama-ost.html")
        .unwrap();
    // Two fragments by default, each a whole sentence.
    assert_eq!(
        s(hit, "snippet").matches(" … ").count(),
        1,
        "{}",
        s(hit, "snippet")
    );
    let (_, hits, _) = search(d, &["drama", "--kind", "article", "--snippets", "1"]);
    let hit = hits
        .iter()
        .find(|h| s(h, "page") == "en-drama-ost.html")
        .unwrap();
    assert!(!s(hit, "snippet").contains(" … "), "{}", s(hit, "snippet"));
    assert!(s(hit, "snippet").trim_end_matches('…').ends_with('.'));
    let run = thresh(d, &["search", "drama", "--snippets", "0"]);
    run.assert_exit_code(2);
    assert!(run.stderr().contains("--snippets"), "{}", run.stderr());
}

#[test]
fn a_question_ranks_the_page_that_answers_it_first() {
    let dir = indexed();
    let (_, hits, _) = search(
        dir.path(),
        &["what is the theme song of the japanese drama signal?"],
    );
    assert_eq!(s(&hits[0], "page"), "en-drama-ost.html");
}

/// The top hits of every query in queries.txt, as `rank. page [kind]` lines.
#[test]
fn ranking_snapshot() {
    let dir = indexed();
    let queries = fs::read_to_string(fixture("ranking/queries.txt")).unwrap();
    let mut report = String::new();
    for q in queries.lines().filter(|l| !l.trim().is_empty()) {
        let run = thresh(dir.path(), &["search", "--json", "-n", "5", q]);
        report.push_str(&format!("{q}\n"));
        for h in run.json_lines() {
            let comment = h["comment"]
                .as_u64()
                .map(|c| format!(" #{c}"))
                .unwrap_or_default();
            report.push_str(&format!(
                "  {}. {} [{}{}]\n",
                h["rank"],
                s(&h, "page"),
                s(&h, "kind"),
                comment
            ));
        }
    }
    insta::assert_snapshot!("ranking", report);
}

/// A corpus of pages written here, one paragraph each, indexed.
fn corpus_of(pages: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    for (name, title, text) in pages {
        let html = format!(
            "<html lang=\"en\"><head><title>{title}</title></head><body><article><h1>{title}</h1>\
             <p>{text} The rest of this paragraph is ordinary prose about the weather in a \
             harbour town, long enough to be taken for an article.</p></article></body></html>"
        );
        fs::write(corpus.join(name), html).unwrap();
    }
    thresh(dir.path(), &["index", "--quiet"]).assert_exit_code(0);
    dir
}

#[test]
fn a_typed_word_splits_at_punctuation_and_capital_operators_combine_words() {
    let dir = corpus_of(&[
        (
            "bacon.html",
            "Breakfast notes",
            "Bacon enriched with vitamin C was sold in Japan.",
        ),
        (
            "tcell.html",
            "Immune notes",
            "A cell of type T matures in the thymus.",
        ),
        (
            "moon.html",
            "NASA and the moon",
            "NASA plans a moon landing with a lander.",
        ),
        ("mars.html", "NASA and Mars", "NASA sends a rover to Mars."),
        ("soup.html", "Soup", "Vitamin soup is warm."),
    ]);
    let d = dir.path();
    // The parts of a punctuated word are plain words, found apart (no phrase is demanded).
    let (code, hits, _) = search(d, &["--all", "Vitamin", "C-Enriched", "Bacon"]);
    assert_eq!((code, pages(&hits)), (0, vec!["bacon.html"]));
    let (_, hits, _) = search(d, &["--all", "T-cell"]);
    assert_eq!(pages(&hits), ["tcell.html"]);
    // A stop word with a comma attached stays a stop word: optional, so the page is found.
    let (_, hits, _) = search(d, &["--all", "thymus", "of,"]);
    assert_eq!(pages(&hits), ["tcell.html"]);
    // NOT, AND and parentheses are operators; lower case "not" is a word.
    let (_, hits, _) = search(d, &["nasa", "NOT", "moon"]);
    assert_eq!(pages(&hits), ["mars.html"]);
    let (_, hits, _) = search(d, &["nasa", "AND", "(moon", "OR", "rover)"]);
    let mut found = pages(&hits);
    found.sort();
    assert_eq!(found, ["mars.html", "moon.html"]);
    // Operators alone, or syntax alone, find nothing (and say what was read as text).
    for stray in ["NOT", "AND", "*", "( )"] {
        let (code, hits, stderr) = search(d, &[stray]);
        assert_eq!((code, hits.len()), (1, 0), "{stray}: {stderr}");
    }
    let (_, hits, stderr) = search(d, &["rover)"]);
    assert_eq!(pages(&hits), ["mars.html"]);
    assert!(stderr.contains("parenthesis"), "{stderr}");
}

#[test]
fn a_word_most_pages_hold_is_not_demanded_while_a_rarer_one_is_there() {
    // "health" is on a third of the pages (common), "muscle" on two of thirteen (rare); the
    // page most about muscles says "health" nowhere.
    let mut pages_in: Vec<(String, String, String)> = vec![
        ("a.html", "Sleep", "Sleep and health go together."),
        ("b.html", "Diet", "Diet matters for health."),
        ("c.html", "Walks", "Walking is good for health."),
        (
            "d.html",
            "Muscle cramps",
            "Muscle cramps, muscle soreness and muscle fatigue after a run.",
        ),
        (
            "e.html",
            "Stretching",
            "Stretching a muscle once helps health.",
        ),
    ]
    .into_iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    for i in 0..8 {
        pages_in.push((
            format!("f{i}.html"),
            format!("Tide {i}"),
            "The tide was high.".into(),
        ));
    }
    let refs: Vec<(&str, &str, &str)> = pages_in
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    let dir = corpus_of(&refs);
    let (_, hits, _) = search(dir.path(), &["muscle", "health"]);
    let found = pages(&hits);
    // Demanding "health" would put the page that mentions a muscle once above the page about
    // muscles; the common word still ranks, after the rare one.
    assert_eq!(found[..2], ["d.html", "e.html"]);
    assert_eq!(found.len(), 5);
    // When every word is common, every word is demanded.
    let (_, hits, _) = search(dir.path(), &["--all", "tide", "health"]);
    assert!(hits.is_empty());
}

#[test]
fn a_query_word_matches_another_language_only_through_its_own_stem() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    let page = |lang: &str, title: &str, text: &str| {
        format!(
            "<html lang=\"{lang}\"><head><title>{title}</title></head><body><article>\
             <h1>{title}</h1><p>{text}</p></article></body></html>"
        )
    };
    let en = "The rest of this paragraph is ordinary prose about the weather in a harbour town.";
    let pt = "O resto deste parágrafo fala do tempo numa cidade portuária, como sempre.";
    let de = "Der Rest dieses Absatzes spricht vom Wetter in einer Hafenstadt, wie immer.";
    let files = [
        (
            "nasa.html",
            page("en", "A probe", &format!("NASA launches a probe. {en}")),
        ),
        (
            "runs.html",
            page("en", "Mornings", &format!("She runs every morning. {en}")),
        ),
        (
            "quiet.html",
            page("en", "Quiet", &format!("Nothing happens here. {en}")),
        ),
        (
            "chuva.html",
            page(
                "pt",
                "Chuva",
                &format!("Chuva nas ruas e a classificação final. {pt}"),
            ),
        ),
        (
            "lauf.html",
            page("de", "Lauf", &format!("Das Running ist beliebt. {de}")),
        ),
    ];
    for (name, html) in &files {
        fs::write(corpus.join(name), html).unwrap();
    }
    thresh(dir.path(), &["index", "--quiet"]).assert_exit_code(0);
    let d = dir.path();
    // English "nasa" is not Portuguese "nas" ("in the"), which the Portuguese stemmer makes
    // of it: the English page holds the word as typed, and English is the larger language.
    let (_, hits, _) = search(d, &["nasa"]);
    assert_eq!(pages(&hits), ["nasa.html"]);
    assert_eq!(marked(&hits[0]), ["NASA"]);
    // A word typed without its accents finds the accented page.
    let (_, hits, _) = search(d, &["classificacao"]);
    assert_eq!(pages(&hits), ["chuva.html"]);
    // A word whose exact match is in a smaller language keeps its stem in the larger one.
    let (_, hits, _) = search(d, &["running"]);
    let mut found = pages(&hits);
    found.sort();
    assert_eq!(found, ["lauf.html", "runs.html"]);
}

#[test]
fn a_typo_is_suggested_by_how_pages_spell_words_and_unknown_words_are_left_out() {
    let en = "The rest of this paragraph is ordinary prose about the weather in a harbour town.";
    let dir = corpus_of(&[
        (
            "imp1.html",
            "Senate vote",
            &format!("The impeachment trial opened. {en}"),
        ),
        (
            "imp2.html",
            "House vote",
            &format!("An impeachment inquiry began. {en}"),
        ),
        (
            "host1.html",
            "Crisis",
            &format!("The hostages were freed. {en}"),
        ),
        (
            "host2.html",
            "Servers",
            &format!("A host serves pages; every host does. {en}"),
        ),
        (
            "host3.html",
            "Parties",
            &format!("The host greeted the host of guests. {en}"),
        ),
        ("stad.html", "Match", &format!("The stadium was full. {en}")),
    ]);
    let d = dir.path();
    // The index holds the stem "impeach", three edits from the typo; the word is one.
    let (code, _, err) = search(d, &["impeachmnt"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean: impeachment"), "{err}");
    let (code, hits, _) = search(d, &["impeachmnt~"]);
    assert_eq!(code, 0);
    let mut found = pages(&hits);
    found.sort();
    assert_eq!(found, ["imp1.html", "imp2.html"]);
    let (code, _, err) = search(d, &["--fuzzy", "impeachmnt"]);
    assert_eq!(code, 0, "{err}");
    // The nearest spelling on the pages wins over the commoner stem nearer the stemmed typo.
    let (_, _, err) = search(d, &["hostges"]);
    assert!(err.contains("did you mean: hostages"), "{err}");
    // A word with nothing near it is left out of the suggestion.
    let (_, _, err) = search(d, &["stadum", "zzqqxx"]);
    assert!(err.contains("did you mean: stadium ("), "{err}");
    // Words no page holds match nothing, filters or not.
    for args in [
        &["zzqqxx", "--kind", "article"][..],
        &["--all", "stadium", "zzqqxx", "--kind", "article"],
    ] {
        let (code, hits, _) = search(d, args);
        assert_eq!((code, hits.len()), (1, 0), "{args:?}");
    }
    // A pasted page of unknown words costs a bounded time and suggests nothing.
    let long: Vec<String> = (0..3000).map(|i| format!("qzx{i}vw")).collect();
    let mut args = vec!["--all"];
    args.extend(long.iter().map(String::as_str));
    let (code, hits, err) = search(d, &args);
    assert_eq!(code, 1);
    assert!(hits.is_empty());
    assert!(!err.contains("did you mean"), "{err}");
}

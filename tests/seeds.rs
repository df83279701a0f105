//! The user's own pages in corpus/, read the way the design describes them.

use crate::util::{extract_json, repo, s};

#[test]
fn community_post_has_all_sixteen_comments_with_authors_and_times_in_order() {
    let page = extract_json(&repo().join("corpus/000_6ff71d627275b5c3.txt"));
    let got: Vec<(String, String)> = page["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (s(c, "author").to_string(), s(c, "posted").to_string()))
        .collect();
    // Read off the page by hand: every "name date time (UTC)" header in document order.
    let want = [
        ("katheli", "2018-03-08T12:00:00Z"),
        ("melonsalad", "2018-03-08T12:11:00Z"),
        ("meggicchi", "2018-03-08T14:07:00Z"),
        ("anonymous_loljk", "2018-03-09T04:10:00Z"),
        ("meggicchi", "2018-03-09T13:04:00Z"),
        ("anonymous_loljk", "2018-03-09T14:23:00Z"),
        ("meggicchi", "2018-03-09T15:44:00Z"),
        ("jazzygyu", "2018-03-08T14:19:00Z"),
        ("kcaomei", "2018-03-08T15:36:00Z"),
        ("youtubelargo", "2018-03-08T17:26:00Z"),
        ("katheli", "2018-03-08T17:34:00Z"),
        ("youtubelargo", "2018-03-08T18:15:00Z"),
        ("youtubelargo", "2018-03-08T18:46:00Z"),
        ("katheli", "2018-03-08T19:35:00Z"),
        ("mc1a", "2018-03-09T09:04:00Z"),
        ("queenhinata", "2018-03-09T17:14:00Z"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, t)| (a.to_string(), t.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn community_post_metadata_edit_marker_and_capture_footer() {
    let page = extract_json(&repo().join("corpus/000_6ff71d627275b5c3.txt"));
    assert_eq!(s(&page, "format"), "text");
    assert_eq!(
        s(&page, "title"),
        "Mini BTS Round-Up Post: OST for Japanese Drama + Gaon Sales/Billboard Rankings"
    );
    assert_eq!(s(&page, "published"), "2018-03-08T12:46:00");
    assert_eq!(s(&page, "captured"), "2018-12-13T13:17:00Z");
    assert_eq!(s(&page, "lang"), "en");
    let comments = page["comments"].as_array().unwrap();
    let kcaomei = &comments[8];
    assert_eq!(s(kcaomei, "edited"), "2018-03-08T15:38:00Z");
    assert!(!s(kcaomei, "text").contains("Edited at"));
    let last = comments.last().unwrap();
    assert!(s(last, "text").ends_with("*prays one day they'll do an anime theme song*"));
    assert!(!s(last, "text").contains("This page was loaded"));
    // An image-only comment survives with empty text.
    assert_eq!(s(&comments[11], "text"), "");
    let body = s(&page, "body");
    assert!(
        body.starts_with("BTS To Sing Theme Song For Japanese Remake"),
        "{body}"
    );
    assert!(body.ends_with("to make a post about it."), "{body}");
    assert!(!body.contains("katheli"));
    assert!(!body.contains("12:46 pm"));
    assert!(!body.contains("Mini BTS Round-Up Post"));
}

#[test]
fn news_page_loses_its_debris_and_keeps_its_byline_and_one_caption() {
    let page = extract_json(&repo().join("corpus/003_09faf8b8a5b91584.txt"));
    assert_eq!(
        s(&page, "title"),
        "BTS' Jin to drop theme song for K-drama 'Jirisan' on Nov. 7"
    );
    assert_eq!(s(&page, "site"), "ABS-CBN");
    assert_eq!(s(&page, "author"), "Anna Gabrielle Cerezo");
    assert_eq!(page["comments"].as_array().unwrap().len(), 0);
    let body = s(&page, "body");
    for debris in [
        "ADVERTISEMENT",
        "cookies",
        "ad blocker",
        "online advertisements",
        "dpo-dps-seal",
        "Clipboard",
        "Anna Gabrielle Cerezo",
        "ABS-CBN News",
        "Jirisan' on Nov. 7",
    ] {
        assert!(
            !body.contains(debris),
            "{debris:?} left in the body:\n{body}"
        );
    }
    assert_eq!(
        body.matches("BTS vocalist Kim Seokjin\n").count(),
        1,
        "{body}"
    );
    assert!(body.contains("much-awaited OST for the iQiyi original Korean series"));
    assert!(body.ends_with("for two consecutive weeks."), "{body}");
}

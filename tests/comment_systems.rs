//! Comment systems, each from a fixture page written to mirror its real markup.

use serde_json::Value;

use crate::util::{extract_json, fixture, s};

/// (author, posted, depth, text) of each comment.
fn comments(page: &Value) -> Vec<(String, String, Option<u64>, String)> {
    page["comments"]
        .as_array()
        .expect("comments is a list")
        .iter()
        .map(|c| {
            (
                s(c, "author").to_string(),
                s(c, "posted").to_string(),
                c["depth"].as_u64(),
                s(c, "text").to_string(),
            )
        })
        .collect()
}

fn c(
    author: &str,
    posted: &str,
    depth: Option<u64>,
    text: &str,
) -> (String, String, Option<u64>, String) {
    (author.into(), posted.into(), depth, text.into())
}

fn assert_body_clean(page: &Value, keeps: &str, comment_words: &[&str]) {
    let body = s(page, "body");
    assert!(body.contains(keeps), "body lost {keeps:?}:\n{body}");
    for w in comment_words {
        assert!(
            !body.contains(w),
            "comment text {w:?} leaked into the body:\n{body}"
        );
    }
}

#[test]
fn wordpress() {
    let page = extract_json(&fixture("comments/wordpress.html"));
    assert_eq!(s(&page, "title"), "Our Allotment in May");
    assert_eq!(s(&page, "site"), "The Patient Gardener");
    assert_eq!(s(&page, "author"), "Margaret Hale");
    assert_eq!(s(&page, "published"), "2019-05-20T08:30:00+01:00");
    assert_eq!(
        s(&page, "url"),
        "https://gardener.example.org/2019/05/allotment-in-may/"
    );
    assert_eq!(
        comments(&page),
        vec![
            c(
                "Tom Potts",
                "2019-05-20T19:04:11+01:00",
                Some(0),
                "Slugs got my lettuces too. Beer traps helped a little.\n\nGood luck with the shed!"
            ),
            c(
                "Margaret Hale",
                "2019-05-21T07:15:00+01:00",
                Some(1),
                "Beer traps are next on the list, thank you Tom."
            ),
            c(
                "Priya",
                "2019-05-22T12:40:00+01:00",
                Some(0),
                "Lovely to see the beans doing well."
            ),
        ]
    );
    assert_body_clean(
        &page,
        "mend the shed roof",
        &["Beer traps", "Lovely to see"],
    );
    let body = s(&page, "body");
    for chrome in [
        "cookies",
        "Share this",
        "Twitter",
        "Related",
        "Allotment in April",
        "Recent Posts",
        "Leave a Reply",
        "powered by",
        "Posted on",
    ] {
        assert!(!body.contains(chrome), "{chrome:?} in body:\n{body}");
    }
}

#[test]
fn disqus_saved_thread() {
    let page = extract_json(&fixture("comments/disqus.html"));
    assert_eq!(
        comments(&page),
        vec![
            c(
                "filmfan_88",
                "2018-04-08T21:12:00",
                Some(0),
                "Agreed about the ending. It was the quietest scene and the strongest."
            ),
            c(
                "lisboa_nights",
                "2018-04-09T06:30:00",
                Some(1),
                "The book is even better, if you have the time."
            ),
            c(
                "Marguerite",
                "2018-04-10T11:45:00",
                Some(0),
                "Too slow for me, sorry.\n\nThe photography was lovely though."
            ),
        ]
    );
    assert_body_clean(
        &page,
        "stayed with me for days",
        &["quietest scene", "Too slow"],
    );
    assert!(
        page["author"].is_null(),
        "a commenter is not the article's author"
    );
}

#[test]
fn livejournal_thread_with_edit_marker_and_image_comment() {
    let page = extract_json(&fixture("comments/livejournal.html"));
    assert_eq!(
        s(&page, "title"),
        "Weekly round-up: new singles and chart news"
    );
    assert_eq!(s(&page, "author"), "katheli");
    assert_eq!(s(&page, "published"), "2018-03-08T12:46:00");
    let got = comments(&page);
    assert_eq!(
        got,
        vec![
            c(
                "melonsalad",
                "2018-03-08T12:11:00Z",
                Some(0),
                "i hate to be negative but idk if the ballad is gonna work\n\nprove me wrong pls"
            ),
            c(
                "jazzygyu",
                "2018-03-08T14:19:00Z",
                Some(1),
                "it will be fine, their ballads always chart"
            ),
            c("youtubelargo", "2018-03-08T18:15:00Z", Some(0), ""),
        ]
    );
    assert_eq!(s(&page["comments"][1], "edited"), "2018-03-08T14:30:00Z");
    assert_body_clean(
        &page,
        "music video will follow",
        &["prove me wrong", "Reply"],
    );
}

#[test]
fn blogger_classic_comment_block() {
    let page = extract_json(&fixture("comments/blogger.html"));
    assert_eq!(s(&page, "title"), "A walk up Pen y Fan in the snow");
    assert_eq!(s(&page, "author"), "Gareth");
    assert_eq!(
        comments(&page),
        vec![
            c(
                "Sian",
                "2018-02-03T19:05:00",
                None,
                "What a day for it! The photos are stunning."
            ),
            c(
                "Anonymous",
                "2018-02-04T08:40:00",
                None,
                "Were the paths icy near the top?"
            ),
        ]
    );
    assert_body_clean(
        &page,
        "pot of tea in the pub",
        &["icy near the top", "Email This", "Post a Comment"],
    );
}

#[test]
fn phpbb_forum_thread_first_post_is_the_article() {
    let page = extract_json(&fixture("comments/phpbb.html"));
    assert_eq!(s(&page, "title"), "Best way to store seed potatoes?");
    assert_eq!(s(&page, "author"), "OldDigger");
    assert_eq!(s(&page, "published"), "2021-01-14T18:02:00Z");
    let got = comments(&page);
    assert_eq!(got.len(), 2);
    assert_eq!(
        (got[0].0.as_str(), got[0].1.as_str()),
        ("Rowena", "2021-01-14T19:30:00Z")
    );
    assert!(got[0].3.contains("A spare bedroom with the heating off"));
    assert_eq!(got[1].0, "OldDigger");
    assert_body_clean(
        &page,
        "Egg boxes on a windowsill",
        &["spare bedroom", "Dig for victory", "Powered by"],
    );
}

#[test]
fn schema_org_microdata_comments() {
    let page = extract_json(&fixture("comments/schema_org.html"));
    assert_eq!(s(&page, "author"), "Dev Patel");
    assert_eq!(s(&page, "site"), "Home Repair Weekly");
    assert_eq!(
        comments(&page),
        vec![
            c(
                "Hannah K.",
                "2022-09-02T10:15:00Z",
                Some(0),
                "Worked first time. Took me ten minutes."
            ),
            c(
                "Luis",
                "2022-09-03T16:40:00Z",
                Some(0),
                "Mine was the O-ring, not the washer, but the steps were the same."
            ),
        ]
    );
    assert_body_clean(&page, "same size", &["ten minutes", "O-ring"]);
}

#[test]
fn generic_class_names_in_another_language() {
    let page = extract_json(&fixture("comments/generic.html"));
    assert_eq!(s(&page, "lang"), "de");
    assert_eq!(
        comments(&page),
        vec![
            c(
                "radler42",
                "2023-04-12T14:05:00",
                None,
                "Endlich! Darauf warten wir seit Jahren."
            ),
            c(
                "Autofahrer",
                "2023-04-12T15:30:00",
                None,
                "Und wo sollen die Parkplätze hin?"
            ),
        ]
    );
    assert_body_clean(&page, "vom Land getragen", &["Endlich", "Parkplätze"]);
}

#[test]
fn readers_reviews_of_a_product_are_its_comments() {
    let page = extract_json(&fixture("comments/reviews.html"));
    let got = comments(&page);
    let authors: Vec<&str> = got.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(authors, ["Maren K.", "Tomasz", "Ines"]);
    assert_eq!(got[1].1, "2024-02-10T18:40:00");
    assert!(got[2].3.starts_with("Too light for my taste"), "{got:?}");
    assert_body_clean(
        &page,
        "red berries",
        &["pour-over", "freshly roasted", "Too light"],
    );
}

#[test]
fn a_section_no_name_marks_is_found_by_its_heading() {
    let page = extract_json(&fixture("comments/unnamed.html"));
    assert_eq!(
        comments(&page),
        vec![
            c(
                "Gwen Harper",
                "2018-06-12T21:41:00",
                None,
                "My grandfather worked that mill as a boy. He would have loved to see it turning again; thank you all for the work."
            ),
            c(
                "D. Pryce",
                "2018-06-13T07:02:00",
                None,
                "Is the mill open to visitors? We walk past it most weekends and would like to see the wheel from the inside."
            ),
            c(
                "Tom O.",
                "2018-06-13T12:15:00",
                None,
                "Which oak did you use for the paddles, green or seasoned? Green oak moves a lot as it dries."
            ),
            c(
                "Gwen Harper",
                "2018-06-14T08:30:00",
                None,
                "Tom, the carpenter said seasoned, two years under cover in his barn."
            ),
        ]
    );
    assert_body_clean(
        &page,
        "for the first time in fifty years.",
        &["grandfather", "Responses", "seasoned"],
    );
}

//! `thresh extract`: JSON Lines, errors per file, --files-from, charsets end to end.

use std::fs;

use crate::util::{repo, s, thresh};

#[test]
fn json_lines_echo_the_path_and_report_failures_in_place() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("empty.html"), "").unwrap();
    fs::write(
        dir.path().join("blob.html"),
        [0u8, 159, 146, 150, 0, 1, 2, 3],
    )
    .unwrap();
    let seed = repo().join("corpus/003_09faf8b8a5b91584.txt");
    let seed = seed.to_str().unwrap();
    let run = thresh(
        dir.path(),
        &[
            "extract",
            "--json",
            "empty.html",
            seed,
            "missing.txt",
            "blob.html",
        ],
    );
    run.assert_exit_code(1);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 4);
    assert_eq!(s(&lines[0], "path"), "empty.html");
    assert!(s(&lines[0], "error").contains("empty"));
    assert_eq!(s(&lines[1], "path"), seed);
    assert!(lines[1]["error"].is_null());
    assert!(s(&lines[2], "error").contains("no such file"));
    assert!(s(&lines[3], "error").contains("binary"));
    // One line on stderr per failed file, naming it.
    let err = run.stderr();
    assert_eq!(err.lines().count(), 3, "{err}");
    assert!(err.lines().all(|l| l.starts_with("thresh: ")));
    assert!(err.contains("missing.txt"));
}

#[test]
fn files_from_reads_a_list() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list");
    let corpus = repo().join("corpus");
    fs::write(
        &list,
        format!(
            "{}\n{}\n",
            corpus.join("000_6ff71d627275b5c3.txt").display(),
            corpus.join("003_09faf8b8a5b91584.txt").display()
        ),
    )
    .unwrap();
    let run = thresh(
        dir.path(),
        &["extract", "--json", "--files-from", list.to_str().unwrap()],
    );
    run.assert_exit_code(0);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["comments"].as_array().unwrap().len(), 16);
}

#[test]
fn text_output_shows_metadata_body_and_comments() {
    let run = thresh(&repo(), &["extract", "corpus/000_6ff71d627275b5c3.txt"]);
    run.assert_exit_code(0);
    let out = run.stdout();
    assert!(out.contains("title:     Mini BTS Round-Up Post"));
    assert!(out.contains("--- comment 0 by katheli · 2018-03-08T12:00:00Z"));
    assert_eq!(out.matches("--- comment ").count(), 16);
}

#[test]
fn no_files_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    thresh(dir.path(), &["extract"]).assert_exit_code(2);
}

/// Pages in legacy charsets, undeclared, with the bytes made here.
#[test]
fn legacy_charsets_come_out_as_the_right_text() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "ko.html",
            encoding_rs::EUC_KR,
            "방탄소년단이 일본 드라마 시그널의 주제가를 부른다. 이 곡은 힙합 트랙이며 팬들이 기대하고 있다.",
        ),
        (
            "ja.html",
            encoding_rs::SHIFT_JIS,
            "防弾少年団が日本版ドラマ「シグナル」の主題歌を歌うことが明らかになった。ヒップホップの曲だという。",
        ),
        (
            "zh.html",
            encoding_rs::GB18030,
            "防弹少年团将为日本翻拍版电视剧《信号》演唱主题曲，这是一首嘻哈风格的歌曲，粉丝们非常期待。",
        ),
        (
            "fr.html",
            encoding_rs::WINDOWS_1252,
            "Les élèves français étudient très tôt; le café coûte cher à Noël, déclare l'économiste.",
        ),
    ];
    for (name, enc, text) in cases {
        let html = format!(
            "<html><head><title>T</title></head><body><article><p>{text}</p><p>{text}</p></article></body></html>"
        );
        fs::write(dir.path().join(name), enc.encode(&html).0).unwrap();
        let txt = name.replace(".html", ".txt");
        fs::write(
            dir.path().join(&txt),
            enc.encode(&format!("Title Line Here\n\n{text}\n")).0,
        )
        .unwrap();
        for file in [name.to_string(), txt] {
            let run = thresh(dir.path(), &["extract", "--json", &file]);
            run.assert_exit_code(0);
            let page = &run.json_lines()[0];
            assert!(
                s(page, "body").contains(text),
                "{file} ({}): {}",
                s(page, "encoding"),
                s(page, "body")
            );
        }
    }
}

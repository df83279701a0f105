//! `thresh serve` driven from a real browser: headless Chromium through ChromeDriver
//! (WebDriver). The test needs `chromium` and `chromedriver` on the machine (Debian's packages
//! `chromium` and `chromium-driver`); `.ci/run` installs them and sets `THRESH_BROWSER_TESTS=1`,
//! which makes their absence a failure. Elsewhere the test says that it was skipped.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};

use crate::serve::{HOSTILE_TITLE, corpus, start_server};
use crate::util::thresh;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_driver() -> (Driver, String) {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver listens"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (Driver(child), format!("http://127.0.0.1:{port}"))
}

fn browser_available() -> bool {
    let present = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !present {
        assert!(
            std::env::var_os("THRESH_BROWSER_TESTS").is_none(),
            "THRESH_BROWSER_TESTS is set but {CHROMIUM} or {CHROMEDRIVER} is missing"
        );
        eprintln!(
            "skipped: no {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
        );
    }
    present
}

/// True when the PNG has more than one colour in it: a page was drawn.
fn is_drawn(png_bytes: &[u8]) -> bool {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(px).collect();
    let distinct: std::collections::HashSet<&[u8]> = pixels.iter().copied().collect();
    info.width > 100 && info.height > 100 && distinct.len() > 10
}

/// Waits up to ten seconds for an element to be on the page.
async fn appear(
    client: &fantoccini::Client,
    locator: Locator<'_>,
) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(locator)
        .await
        .unwrap_or_else(|e| panic!("{locator:?} did not appear: {e}"))
}

#[test]
fn a_reader_searches_filters_pages_and_opens_a_thread_in_a_browser() {
    if !browser_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    corpus(tmp.path(), 12);
    thresh(tmp.path(), &["index", "corpus", "-q"]).assert_exit_code(0);
    let server = start_server(tmp.path(), &[]);
    let (_driver, webdriver) = start_driver();
    let profile = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                    "--window-size=1200,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&webdriver)
            .await
            .expect("a browser session");
        let base = &server.base;

        // Type a query and submit the form.
        client.goto(&format!("{base}/")).await.unwrap();
        let q = client.find(Locator::Id("q")).await.unwrap();
        q.send_keys("wombat").await.unwrap();
        client
            .find(Locator::Css("form.search button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        appear(&client, Locator::Css("li.hit")).await;
        let url = client.current_url().await.unwrap();
        assert!(url.as_str().contains("q=wombat"), "{url}");
        let hits = client.find_all(Locator::Css("li.hit")).await.unwrap();
        assert_eq!(hits.len(), 10, "a full first page");
        let marks = client.find_all(Locator::Css("li.hit mark")).await.unwrap();
        assert!(!marks.is_empty());
        assert_eq!(marks[0].text().await.unwrap().to_lowercase(), "wombat");
        let total = client.find(Locator::Css("p.total")).await.unwrap();
        assert!(total.text().await.unwrap().starts_with("14 hits"));

        // The hostile title shows as text: no element of it, no script of it ran.
        let shown: Vec<String> = {
            let mut v = Vec::new();
            for t in client.find_all(Locator::Css("a.title")).await.unwrap() {
                v.push(t.text().await.unwrap());
            }
            v
        };
        assert!(
            shown
                .iter()
                .any(|t| t.contains("<script>window.pwned=1</script>")),
            "{shown:?}"
        );
        let scripts = client
            .execute(
                "return [document.scripts.length, typeof window.pwned, \
                 document.querySelectorAll('main img').length];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(scripts, serde_json::json!([1, "undefined", 0]));
        assert!(HOSTILE_TITLE.contains("onerror"));

        // Page forward.
        client
            .find(Locator::Css("a[rel=next]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        appear(&client, Locator::Css("ol.hits[start='11']")).await;
        let rest = client.find_all(Locator::Css("li.hit")).await.unwrap();
        assert_eq!(rest.len(), 4);

        // Filter to comments, then open the comment's thread.
        client.goto(&format!("{base}/?q=wombat")).await.unwrap();
        let link = client
            .find(Locator::XPath(
                "//nav[@class='kinds']/a[starts-with(., 'Comments')]",
            ))
            .await
            .unwrap();
        assert_eq!(link.text().await.unwrap(), "Comments (1)");
        link.click().await.unwrap();
        appear(&client, Locator::Css("li.hit.comment")).await;
        assert!(
            client
                .find_all(Locator::Css("li.hit.article"))
                .await
                .unwrap()
                .is_empty()
        );
        client
            .find(Locator::Css("li.hit.comment a.title"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        appear(&client, Locator::Css("section.comments")).await;
        let comments = client.find_all(Locator::Css("li.comment")).await.unwrap();
        assert_eq!(comments.len(), 2);
        let target = client.current_url().await.unwrap();
        assert_eq!(target.fragment(), Some("c0"));
        let author = client
            .find(Locator::Css("li.comment#c0 .author"))
            .await
            .unwrap();
        assert_eq!(author.text().await.unwrap(), "Ann Reader");

        // Search as you type replaces the results without a submit, and the address follows.
        client.goto(&format!("{base}/")).await.unwrap();
        let q = client.find(Locator::Id("q")).await.unwrap();
        q.send_keys("wombat").await.unwrap();
        appear(&client, Locator::Css("li.hit")).await;
        let url = client.current_url().await.unwrap();
        assert!(url.as_str().ends_with("/?q=wombat"), "{url}");

        let png = client.screenshot().await.unwrap();
        if let Some(path) = std::env::var_os("THRESH_SCREENSHOT") {
            std::fs::write(path, &png).unwrap();
        }
        assert!(is_drawn(&png), "the screenshot shows a page");
        client.close().await.unwrap();
    });
}

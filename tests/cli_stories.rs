//! `reader stories`: JSON schema, every article in exactly one story, paths as `reader list
//! --json` prints them, `--min-outlets`, the text form, and the labelled stories from the
//! trimmed archive-dev fixtures.

mod cli_support;
use cli_support::TestHome;

use std::collections::{BTreeSet, HashMap};
use std::process::{Command, Output};

use serde_json::Value;

const ARCHIVE: &str = "tests/fixtures/stories/archive";

fn reader(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> Value {
    let out = reader(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn json_schema_and_every_article_once() {
    let stories = json(&["stories", "--json", ARCHIVE]);
    let list = json(&["list", "--json", ARCHIVE]);
    let listed: BTreeSet<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    let mut seen: Vec<&str> = Vec::new();
    for (n, s) in stories.as_array().unwrap().iter().enumerate() {
        let mut k = keys(s);
        k.sort();
        assert_eq!(k, ["articles", "first", "id", "last", "outlets", "title"]);
        assert_eq!(s["id"], n + 1);
        let articles = s["articles"].as_array().unwrap();
        let total: u64 = s["outlets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                let mut k = keys(o);
                k.sort();
                assert_eq!(k, ["count", "name"]);
                o["count"].as_u64().unwrap()
            })
            .sum();
        assert_eq!(total as usize, articles.len());
        assert!(
            articles.iter().any(|a| a["title"] == s["title"]),
            "the headline is a member's title"
        );
        for a in articles {
            let mut k = keys(a);
            k.sort();
            assert_eq!(
                k,
                ["archived", "outlet", "path", "published", "title", "url"]
            );
            seen.push(a["path"].as_str().unwrap());
        }
    }
    let unique: BTreeSet<&str> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "an article is in two stories");
    assert_eq!(unique, listed, "stories hold exactly the listed articles");
}

#[test]
fn stories_are_newest_first_and_min_outlets_filters() {
    let all = json(&["stories", "--json", ARCHIVE]);
    let all = all.as_array().unwrap();
    let lasts: Vec<&str> = all.iter().filter_map(|s| s["last"].as_str()).collect();
    assert!(lasts.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let wide = json(&["stories", "--json", "--min-outlets", "3", ARCHIVE]);
    let wide = wide.as_array().unwrap();
    assert!(!wide.is_empty() && wide.len() < all.len());
    for s in wide {
        assert!(s["outlets"].as_array().unwrap().len() >= 3);
    }
}

#[test]
fn a_labelled_story_is_found_whole() {
    // Canada suspends its extradition treaty with Hong Kong: four outlets, eight reports.
    let stories = json(&["stories", "--json", ARCHIVE]);
    let mut story_of: HashMap<String, u64> = HashMap::new();
    for s in stories.as_array().unwrap() {
        for a in s["articles"].as_array().unwrap() {
            story_of.insert(
                a["path"].as_str().unwrap().to_string(),
                s["id"].as_u64().unwrap(),
            );
        }
    }
    let labels = std::fs::read_to_string("tests/fixtures/stories/labels.toml").unwrap();
    let labels = reader::stories::eval::parse_labels(&labels).unwrap();
    let (_, canada) = labels
        .iter()
        .find(|(id, _)| id == "canada-suspends-hk-extradition")
        .unwrap();
    let ids: BTreeSet<u64> = canada
        .files
        .iter()
        .map(|f| story_of[&format!("{ARCHIVE}/{f}")])
        .collect();
    assert_eq!(ids.len(), 1, "split into {ids:?}");
    let id = *ids.iter().next().unwrap();
    let members = story_of.values().filter(|&&s| s == id).count();
    assert_eq!(members, canada.files.len(), "nothing else joined");
}

#[test]
fn text_form_lists_headline_span_outlets_and_reports() {
    let out = reader(&["stories", "--min-outlets", "4", ARCHIVE]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let canada = text
        .lines()
        .find(|l| l.contains("2020-07-03 – 2020-07-05") && l.contains("引渡"))
        .unwrap_or_else(|| panic!("no Canada story in\n{text}"));
    assert!(canada.starts_with(|c: char| c.is_ascii_digit()));
    assert!(
        canada.contains("法广 4") && canada.contains("美国之音 2"),
        "{canada}"
    );
    assert!(text.contains("\n    2020-07-03  美国之音    加拿大宣布暂停与香港的引渡协议\n"));
}

#[test]
fn seeds_by_default() {
    let v = json(&["stories", "--json"]);
    let n: usize = v
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["articles"].as_array().unwrap().len())
        .sum();
    assert_eq!(n, 2);
}

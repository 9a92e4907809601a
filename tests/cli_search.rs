//! `reader search`: ranked hits with exact fields, the query language's messages, exit codes,
//! the index in the cache folder (incremental, rebuilt when stale), and two processes at once.
//! Every run points XDG_* and HOME at a temporary folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/search";

struct Env {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    archive: PathBuf,
}

/// A temporary home and a copy of the fixtures as the archive.
fn env() -> Env {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let archive = tmp.path().join("archive");
    std::fs::create_dir_all(&archive).unwrap();
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURES)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), archive.join(entry.file_name())).unwrap();
    }
    Env {
        _tmp: tmp,
        home,
        archive,
    }
}

impl Env {
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_reader"));
        c.env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_CACHE_HOME", self.home.join("cache"))
            .env("XDG_DATA_HOME", self.home.join("data"))
            .arg("search")
            .args(args);
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// `reader search --json QUERY ARCHIVE`, parsed.
    fn json(&self, query: &str) -> Vec<Value> {
        let archive = self.archive.to_str().unwrap();
        let out = self.run(&["--json", query, archive]);
        let text = String::from_utf8(out.stdout).unwrap();
        serde_json::from_str::<Value>(&text)
            .unwrap_or_else(|e| panic!("{e}: {text}"))
            .as_array()
            .unwrap()
            .clone()
    }

    fn path(&self, name: &str) -> String {
        self.archive.join(name).display().to_string()
    }

    fn index_dirs(&self) -> Vec<PathBuf> {
        let libraries = self.home.join("cache/reader/libraries");
        std::fs::read_dir(libraries)
            .map(|d| d.map(|e| e.unwrap().path().join("index")).collect())
            .unwrap_or_default()
    }
}

fn paths(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn json_hits_have_exactly_the_documented_fields() {
    let env = env();
    let hits = env.json("拉布");
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hit = hits[0].as_object().unwrap();
    let mut keys: Vec<&str> = hit.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "outlet",
            "path",
            "published",
            "score",
            "snippet",
            "title",
            "url"
        ]
    );
    assert_eq!(hit["path"], env.path("gcw-filibuster.txt"));
    assert_eq!(hit["title"], "香港立法会拉布议员再度发言");
    assert_eq!(hit["outlet"], "观察者网");
    assert_eq!(hit["published"], "2020-07-09T10:21:21Z");
    assert_eq!(hit["url"], Value::Null);
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert_eq!(hit["snippet"], "反对派议员再次拉布，会议被迫延长。");

    let dw = env.json("克里");
    assert_eq!(dw.len(), 1);
    assert_eq!(dw[0]["title"], "美國氣候特使克里訪問北京");
    assert_eq!(dw[0]["outlet"], "德國之聲");
    assert_eq!(dw[0]["url"], "https://www.dw.com/zh/a-54100001");
    assert_eq!(dw[0]["published"], "2020-07-09T12:00:00Z");
    assert_eq!(
        dw[0]["snippet"],
        "美國氣候特使克里週四抵達北京，與中方討論氣候合作。"
    );
}

#[test]
fn scripts_case_phrases_and_fields() {
    let env = env();
    // Traditional finds Simplified and back.
    assert_eq!(
        paths(&env.json("拉布議員")),
        [env.path("gcw-filibuster.txt")]
    );
    assert_eq!(paths(&env.json("美国气候")), [env.path("dw-kerry.txt")]);
    assert_eq!(paths(&env.json("KERRY")), [env.path("dw-kerry.txt")]);
    assert_eq!(
        paths(&env.json("\"climate envoy\"")),
        [env.path("en-envoy.html")]
    );
    assert!(env.json("\"envoy climate\"").is_empty());
    // Outlet by an alias, negation, dates.
    assert_eq!(
        paths(&env.json("气候 outlet:dw")),
        [env.path("dw-kerry.txt")]
    );
    assert!(env.json("气候 -outlet:dw").is_empty());
    assert_eq!(paths(&env.json("filibuster")), [env.path("en-envoy.html")]);
    assert_eq!(
        paths(&env.json("议员 on:2020-07-09")),
        [env.path("gcw-filibuster.txt")]
    );
    assert!(env.json("议员 after:2020-07-10").is_empty());
    // Words from the outlet's names and the byline are text too.
    assert_eq!(
        paths(&env.json("\"deutsche welle\"")),
        [env.path("dw-kerry.txt")]
    );
}

#[test]
fn metadata_only_queries_list_newest_first_without_scores() {
    let env = env();
    let hits = env.json("on:2020-07-09");
    assert_eq!(
        paths(&hits),
        [env.path("dw-kerry.txt"), env.path("gcw-filibuster.txt")]
    );
    assert!(hits.iter().all(|h| h["score"].is_null()));
}

#[test]
fn text_lines_and_limit() {
    let env = env();
    let archive = env.archive.to_str().unwrap();
    let out = env.run(&["气候", archive]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "1  2020-07-09  德國之聲  美國氣候特使克里訪問北京",
            "   美國氣候特使克里週四抵達北京，與中方討論氣候合作。",
            &format!("   {}", env.path("dw-kerry.txt")),
        ]
    );
    let out = env.run(&["--limit", "1", "--json", "the", archive]);
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 1);
}

#[test]
fn malformed_queries_exit_2_with_the_reason() {
    let env = env();
    let archive = env.archive.to_str().unwrap();
    for (query, reason) in [
        (
            "after:tomorow",
            "reader: search: after: needs a date like 2020-07-09 or 7月9日, got 'tomorow'",
        ),
        (
            "is:nonsense",
            "reader: search: is: takes unread, read, starred or unstarred, got 'nonsense'",
        ),
        (
            "\"unclosed",
            "reader: search: the quote \" here is never closed",
        ),
    ] {
        let out = env.run(&[query, archive]);
        assert_eq!(out.status.code(), Some(2), "{query}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().next(), Some(reason), "{err}");
        assert!(out.stdout.is_empty());
    }
    let out = env.run(&["kerry foo:x", archive]);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("reader: search: unknown field 'foo:'"),
        "{err}"
    );
    // The caret points at the field.
    assert_eq!(err.lines().nth(2), Some("        ^"), "{err}");
}

#[test]
fn no_hits_exit_1_with_a_message() {
    let env = env();
    let archive = env.archive.to_str().unwrap();
    let out = env.run(&["马尔代夫", archive]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "reader: no report matches 马尔代夫\n"
    );
    let out = env.run(&["--json", "马尔代夫", archive]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "[]\n");
}

#[test]
fn the_seeds_by_default() {
    let env = env();
    let out = env.run(&["--json", "克里"]);
    assert_eq!(out.status.code(), Some(0));
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    let titles: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    assert!(
        titles.contains(&"COP27即將召開 美籲中重啟氣候對話"),
        "{titles:?}"
    );
    assert!(
        env.index_dirs().is_empty(),
        "the seeds are indexed in memory"
    );
}

#[test]
fn the_index_is_kept_in_the_cache_and_follows_changes() {
    let env = env();
    assert_eq!(paths(&env.json("拉布")).len(), 1);
    let dirs = env.index_dirs();
    assert_eq!(dirs.len(), 1);
    assert!(dirs[0].join("meta.json").exists());
    assert_eq!(
        std::fs::read_to_string(dirs[0].join("reader-schema")).unwrap(),
        format!("{}\n", reader::search::index::SCHEMA_VERSION)
    );
    // A changed file, a new one, a removed one.
    let gcw = env.archive.join("gcw-filibuster.txt");
    let text = std::fs::read_to_string(&gcw)
        .unwrap()
        .replace("拉布", "马尔代夫");
    std::fs::write(&gcw, text).unwrap();
    std::fs::write(
        env.archive.join("new.html"),
        "<title>Another filibuster</title><p>拉布又来了。</p>",
    )
    .unwrap();
    std::fs::remove_file(env.archive.join("en-envoy.html")).unwrap();
    assert_eq!(paths(&env.json("拉布")), [env.path("new.html")]);
    assert_eq!(
        paths(&env.json("马尔代夫")),
        [env.path("gcw-filibuster.txt")]
    );
    assert_eq!(paths(&env.json("filibuster")), [env.path("new.html")]);
    // A stale index is rebuilt with a message.
    std::fs::write(dirs[0].join("reader-schema"), "reader-index 0\n").unwrap();
    let out = env.run(&["拉布", env.archive.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("made by another version; building it again"),
        "{err}"
    );
    // A corrupt one too.
    std::fs::write(dirs[0].join("meta.json"), "garbage").unwrap();
    let out = env.run(&["拉布", env.archive.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("could not be read"), "{err}");
}

#[test]
fn two_processes_at_once() {
    let env = env();
    // More files, so the first build takes a moment and the two overlap.
    for i in 0..300 {
        std::fs::write(
            env.archive.join(format!("filler-{i:03}.html")),
            format!("<title>Filler {i}</title><p>Nothing about the topic, number {i}.</p>"),
        )
        .unwrap();
    }
    let archive = env.archive.to_str().unwrap();
    let children: Vec<_> = (0..2)
        .map(|_| {
            env.command(&["--json", "拉布", archive])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
        // The one without the writer waits for the other's update, then answers the same.
        assert_eq!(hits.as_array().unwrap().len(), 1, "{err}");
    }
    // Afterwards the index is whole.
    assert_eq!(paths(&env.json("拉布")), [env.path("gcw-filibuster.txt")]);
    assert_eq!(env.json("filler").len(), 20, "the default limit");
}

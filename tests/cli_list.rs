//! `reader list`: exact lines, alignment in display columns, JSON fields, exit codes, pipes.

mod cli_support;
use cli_support::TestHome;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use unicode_width::UnicodeWidthStr;

fn reader(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

const SEED_LINES: &str = "\
1  2022-10-26  德國之聲  COP27即將召開 美籲中重啟氣候對話
2  2022-09-01  观察者网  气候问题上，美国想跟中国重新走到一起
";

#[test]
fn bundled_seeds_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .arg("list")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout), SEED_LINES);
    assert_eq!(text(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn seeds_folder_on_disk_lists_the_same() {
    let out = reader(&["list", "seeds/"]);
    assert_eq!(text(&out.stdout), SEED_LINES);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn fixtures_align_by_display_width_with_warnings_counted() {
    let out = reader(&["list", "tests/fixtures/good"]);
    let stdout = text(&out.stdout);
    // The archive time stands in, marked `~`, where no publication time is known.
    let expected = [
        " 1  2022-11-01   Example News  A Plain Page & Its Title",
        " 2  2022-10-20   德國之聲      美國總統拜登：中美氣候合作「不可或缺」",
        " 3  2022-10-17~  德國之聲      圖片集：COP27會場",
        " 4  2022-10-17   德國之聲      德國之聲報道 經鏡像保存",
        " 5  2022-02-24   —             红色标题反转",
        " 6  2022-02-24   —             image-only.txt",
        " 7  2022-02-24   观察者网      没有标题的报道，第一行当作标题。",
        " 8  2022-02-24   观察者网      带BOM的报道",
        " 9  2022-02-24   观察者网      标题\u{fffd}\u{fffd}坏",
        "10  2022-02-24   德國之聲      普京宣布展開特別軍事行動",
        "11  2021-10-28   观察者网      普京授权在顿巴斯地区展开“军事行动”",
        "12  —            —             Only a heading",
        "13  —            观察者网      日期无效的报道",
        "14  —            —             A Markdown note",
        "15  —            —             Just a plain note",
    ];
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected);
    // Every title starts at display column 30: index 2 + date 10 + outlet 12 + three gaps of 2.
    for line in stdout.lines() {
        let mut width = 0;
        let mut title_at = None;
        for (i, c) in line.char_indices() {
            if width == 31 {
                title_at = Some(i);
                break;
            }
            width += c.to_string().width();
        }
        let title_at = title_at.unwrap_or_else(|| panic!("short line {line:?}"));
        assert!(
            line[..title_at].ends_with("  ") && !line[title_at..].starts_with(' '),
            "{line:?}"
        );
    }
    // Warnings are counted, not listed: `check` lists them.
    assert_eq!(
        text(&out.stderr),
        "reader: 3 warnings (`reader check` lists them)\n"
    );
    // Warnings do not fail a listing.
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn nothing_from_a_file_reaches_the_terminal_as_a_control() {
    let out = reader(&["list", "tests/fixtures"]);
    for s in [text(&out.stdout), text(&out.stderr)] {
        assert!(
            !s.chars()
                .any(|c| c != '\n' && reader::sanitize::is_forbidden(c)),
            "{s:?}"
        );
    }
    let json = reader(&["list", "--json", "tests/fixtures/good/control-chars.txt"]);
    let s = text(&json.stdout);
    assert!(
        !s.contains("\\u001b") && !s.contains("\\u0007") && !s.contains('\u{202e}'),
        "{s}"
    );
}

#[test]
fn files_that_do_not_load_give_exit_1_and_the_rest_is_listed() {
    // The loader's folders only: other suites keep fixtures of their own beside them.
    let out = reader(&[
        "list",
        "tests/fixtures/bad",
        "tests/fixtures/compare",
        "tests/fixtures/good",
    ]);
    assert_eq!(out.status.code(), Some(1));
    // 15 of the loader's fixtures and the 2 of tests/fixtures/compare/.
    assert_eq!(text(&out.stdout).lines().count(), 17);
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with(
        "reader: tests/fixtures/bad/alias-bomb.txt: YAML front matter: repetition limit exceeded\n\
         reader: tests/fixtures/bad/binary.png: binary data (NUL bytes)\n"
    ));
    assert_eq!(stderr.lines().count(), 7);
    assert!(stderr.ends_with(
        "reader: tests/fixtures/bad/unclosed-front-matter.txt: front matter opened with --- on line 2 never closes\n\
         reader: 3 warnings (`reader check` lists them)\n"
    ));
}

#[test]
fn empty_folder_is_nothing_to_show() {
    let dir = tempfile::tempdir().unwrap();
    let out = reader(&["list", dir.path().to_str().unwrap()]);
    assert_eq!(text(&out.stdout), "");
    assert_eq!(text(&out.stderr), "reader: no articles found\n");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn json_has_the_documented_fields() {
    let out = reader(&["list", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 2);
    let dw = &items[0];
    assert_eq!(dw["index"], 1);
    assert_eq!(dw["title"], "COP27即將召開 美籲中重啟氣候對話");
    assert_eq!(dw["outlet"], "德國之聲");
    assert_eq!(dw["author"], serde_json::Value::Null);
    assert_eq!(dw["published"], "2022-10-26T01:34:17.666Z");
    assert_eq!(dw["archived"], "2022-10-26T01:47:03Z");
    assert_eq!(dw["archived_text"], "1666748823000");
    assert_eq!(
        dw["url"],
        "https://www.dw.com/zh/COP27%E5%8D%B3%E5%B0%87%E5%8F%AC%E9%96%8B%20%E7%BE%8E%E7%B1%B2%E4%B8%AD%E9%87%8D%E5%95%9F%E6%B0%A3%E5%80%99%E5%B0%8D%E8%A9%B1/a-63558196"
    );
    assert_eq!(dw["categories"], serde_json::json!([]));
    assert_eq!(
        dw["image"],
        "https://images.weserv.nl/?url=static.dw.com/image/62527817_303.jpg"
    );
    assert_eq!(
        dw["path"],
        "seeds/dw-2022-10-26-cop27-us-urges-china-climate-dialogue.txt"
    );
    assert_eq!(dw["format"], "link-header");
    assert_eq!(dw["chars"], 1357);
    let gc = &items[1];
    assert_eq!(gc["title"], "气候问题上，美国想跟中国重新走到一起");
    assert_eq!(gc["author"], "李丽");
    assert_eq!(gc["published"], "2022-09-01T10:21:21Z");
    assert_eq!(gc["published_text"], "Thu, 01 Sep 2022 10:21:21 GMT");
    assert_eq!(gc["archived"], serde_json::Value::Null);
    assert_eq!(
        gc["categories"],
        serde_json::json!(["新媒体", "观察者网", "头条"])
    );
    assert_eq!(gc["format"], "front-matter");
    assert_eq!(gc["chars"], 1050);
    assert_eq!(gc["reading_minutes"], 3);
    assert_eq!(gc["extra"]["comments"], "false");
}

#[test]
fn closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let page =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/good/note.md"))
            .unwrap();
    for i in 0..3000 {
        std::fs::write(dir.path().join(format!("{i:04}.md")), &page).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_reader"))
        .test_home()
        .args(["list", dir.path().to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(stderr, "");
    assert_eq!(status.code(), Some(0));
}

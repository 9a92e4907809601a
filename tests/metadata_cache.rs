//! The metadata cache (src/cache): a relaunch on unchanged files stats them and reads none;
//! per-file invalidation by size and by mtime; deleted and added files; a corrupt, truncated or
//! foreign cache is rebuilt; exact non-UTF-8 paths; the same list with and without the cache;
//! the background loader's first batch; two processes at once.

use std::fs::File;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use reader::commands::list;
use reader::library::{Library, LoadEvent};

/// A report of the link-header format (archive time in the first line), `title` in its link.
fn report(title: &str, ms: u64) -> String {
    format!(
        "<!--{ms}-->\n[{title}](https://example.org/{ms}.html)\n------------\n\n<p>{title}：正文第一段，足够长的文字。</p>\n<p>第二段。</p>\n"
    )
}

fn write(path: &Path, text: &str, mtime: SystemTime) {
    std::fs::write(path, text).unwrap();
    File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
}

fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

fn lines(library: &Library) -> String {
    let mut out = Vec::new();
    list::write_lines(&mut out, library).unwrap();
    String::from_utf8(out).unwrap()
}

fn json(library: &Library) -> String {
    let mut out = Vec::new();
    list::write_json(&mut out, library).unwrap();
    String::from_utf8(out).unwrap()
}

fn titles(library: &Library) -> Vec<&str> {
    library.articles.iter().map(|a| a.title.as_str()).collect()
}

struct Setup {
    _dir: tempfile::TempDir,
    archive: PathBuf,
    cache: PathBuf,
}

fn setup(n: u64) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(archive.join("sub")).unwrap();
    for i in 0..n {
        let sub = if i % 2 == 0 { "" } else { "sub/" };
        write(
            &archive.join(format!("{sub}r{i}.txt")),
            &report(&format!("报道{i}"), 1_600_000_000_000 + i * 3_600_000),
            at(1_700_000_000 + i),
        );
    }
    let cache = dir.path().join("cache/libraries/x/meta.bin");
    Setup {
        _dir: dir,
        archive,
        cache,
    }
}

impl Setup {
    fn load(&self) -> Library {
        Library::load_cached(std::slice::from_ref(&self.archive), Some(&self.cache))
    }

    fn uncached(&self) -> Library {
        Library::load(std::slice::from_ref(&self.archive))
    }
}

#[test]
fn a_relaunch_gives_the_same_list_byte_for_byte_and_reads_no_file() {
    let s = setup(12);
    // A broken file is retried every time, and named every time.
    std::fs::write(s.archive.join("empty.txt"), "").unwrap();
    let cold = s.uncached();
    let first = s.load();
    assert!(s.cache.exists());
    let warm = s.load();
    assert_eq!(lines(&first), lines(&cold));
    assert_eq!(lines(&warm), lines(&cold));
    assert_eq!(json(&warm), json(&cold));
    assert_eq!(warm.problems, cold.problems);
    assert!(!cold.problems.is_empty());
    assert_eq!(warm.articles.len(), 12);
    // The learned furniture is the same, learned from the cached edge keys.
    for a in &cold.articles {
        let b = &warm.articles[warm.find(a.path()).unwrap()];
        assert_eq!(a.furniture_keys, b.furniture_keys);
        // The cache adds the title and author folded for search, as folding them gives.
        let mut meta = b.meta.clone();
        assert_eq!(meta.folded.take(), Some(reader::search::fold(a)));
        // And the canonical URL, as computing it gives.
        let canonical = meta
            .canonical
            .take()
            .expect("the cache carries the canonical URL");
        assert_eq!(canonical.url, reader::library::canonical_url_of(a));
        assert!(canonical.url.is_some());
        assert_eq!(a.meta, meta);
        assert_eq!(cold.learned_furniture(a), warm.learned_furniture(b));
    }

    // Unreadable files cannot be read: the relaunch still lists them all, so it reads none.
    use std::os::unix::fs::PermissionsExt;
    let one = s.archive.join("r0.txt");
    std::fs::set_permissions(&one, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = std::fs::read(&one).is_ok(); // root reads anything
    let warm = s.load();
    std::fs::set_permissions(&one, std::fs::Permissions::from_mode(0o644)).unwrap();
    if !readable {
        assert_eq!(lines(&warm), lines(&cold));
    }
}

#[test]
fn same_size_and_mtime_means_unchanged_so_the_file_is_not_read() {
    let s = setup(3);
    s.load();
    // Same length, same mtime, other bytes: the cache's word stands (only a stat is made).
    let f = s.archive.join("r0.txt");
    write(&f, &report("报道X", 1_600_000_000_000), at(1_700_000_000));
    assert!(titles(&s.load()).contains(&"报道0"));
    assert!(titles(&s.uncached()).contains(&"报道X"));
}

#[test]
fn a_changed_mtime_reparses_that_file() {
    let s = setup(3);
    s.load();
    let f = s.archive.join("r0.txt");
    write(&f, &report("报道X", 1_600_000_000_000), at(1_700_000_500));
    let warm = s.load();
    assert!(titles(&warm).contains(&"报道X"), "{:?}", titles(&warm));
    assert!(!titles(&warm).contains(&"报道0"));
    assert_eq!(lines(&warm), lines(&s.uncached()));
    // And the cache now holds the new version.
    write(&f, &report("报道Y", 1_600_000_000_000), at(1_700_000_500));
    assert!(titles(&s.load()).contains(&"报道X"));
}

#[test]
fn a_changed_size_reparses_that_file() {
    let s = setup(3);
    s.load();
    let f = s.archive.join("sub/r1.txt");
    // Same mtime as before, longer text.
    write(
        &f,
        &report("更长的报道标题", 1_600_003_600_000),
        at(1_700_000_001),
    );
    let warm = s.load();
    assert!(
        titles(&warm).contains(&"更长的报道标题"),
        "{:?}",
        titles(&warm)
    );
    assert_eq!(lines(&warm), lines(&s.uncached()));
}

#[test]
fn deleted_files_go_and_added_files_come() {
    let s = setup(4);
    s.load();
    std::fs::remove_file(s.archive.join("r2.txt")).unwrap();
    write(
        &s.archive.join("sub/new.txt"),
        &report("新报道", 1_700_000_000_000),
        at(1_700_009_999),
    );
    let warm = s.load();
    assert_eq!(warm.articles.len(), 4);
    assert!(!titles(&warm).contains(&"报道2"));
    assert_eq!(warm.articles[0].title, "新报道");
    assert_eq!(lines(&warm), lines(&s.uncached()));
    // Again, from the rewritten cache.
    assert_eq!(lines(&s.load()), lines(&warm));
}

#[test]
fn a_corrupt_truncated_or_foreign_cache_is_rebuilt() {
    let s = setup(5);
    let cold = lines(&s.uncached());
    s.load();
    let good = std::fs::read(&s.cache).unwrap();
    let damaged: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"not a cache".to_vec(),
        good[..good.len() / 2].to_vec(),
        good[..good.len() - 1].to_vec(),
        {
            let mut flipped = good.clone();
            let mid = flipped.len() / 2;
            flipped[mid] ^= 0x55;
            flipped
        },
        {
            // Another format version.
            let mut other = good.clone();
            other[8] = other[8].wrapping_add(1);
            other
        },
        vec![0xff; 4096],
    ];
    for bytes in damaged {
        std::fs::write(&s.cache, &bytes).unwrap();
        assert_eq!(lines(&s.load()), cold);
        assert_eq!(
            std::fs::read(&s.cache).unwrap().len(),
            good.len(),
            "rewritten"
        );
        assert_eq!(lines(&s.load()), cold);
    }
    // A cache that is a folder, or in a place that cannot be written: loads all the same.
    std::fs::remove_file(&s.cache).unwrap();
    std::fs::create_dir(&s.cache).unwrap();
    assert_eq!(lines(&s.load()), cold);
}

#[test]
fn paths_that_are_not_utf8_are_kept_exactly() {
    let s = setup(2);
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9-\xff.txt");
    let odd = s.archive.join(name);
    write(
        &odd,
        &report("奇怪的文件名", 1_650_000_000_000),
        at(1_700_000_100),
    );
    let cold = s.uncached();
    s.load();
    let warm = s.load();
    assert_eq!(json(&warm), json(&cold));
    let i = warm.find(&odd).expect("found by its exact path");
    assert_eq!(
        warm.articles[i].path().as_os_str().as_bytes(),
        odd.as_os_str().as_bytes()
    );
    assert_eq!(warm.articles[i].title, "奇怪的文件名");
    // The body still opens from the exact path.
    let body = warm.articles[i].load_body().unwrap();
    assert!(body.html.contains("奇怪的文件名"));
}

#[test]
fn the_background_loader_sends_every_unchanged_file_in_its_first_batch() {
    let s = setup(300);
    s.load();
    write(
        &s.archive.join("late.txt"),
        &report("后来的", 1_700_000_000_000),
        at(1_700_009_999),
    );
    let rx = Library::spawn_load_cached(vec![s.archive.clone()], Some(s.cache.clone()));
    let events: Vec<LoadEvent> = rx.iter().collect();
    let LoadEvent::Batch(first, problems) = &events[0] else {
        panic!("first event {:?}", events[0]);
    };
    assert_eq!(first.len(), 300);
    assert!(problems.is_empty());
    assert!(
        matches!(events[1], LoadEvent::Discovered(301)),
        "{:?}",
        events[1]
    );
    assert!(matches!(events.last(), Some(LoadEvent::Done)));
    let mut library = Library::default();
    for e in events {
        if let LoadEvent::Batch(a, p) = e {
            library.extend(a, p);
        }
    }
    assert_eq!(lines(&library), lines(&s.uncached()));
    // The loader thread writes the cache after Done: it comes to hold all 301.
    wait_for_cache(&s, 301);
}

/// A background load's events applied as the reader's list applies them: batches added,
/// `Removed` taking every file named off. Returns the library and the removals sent.
fn apply(events: Vec<LoadEvent>) -> (Library, Vec<Vec<PathBuf>>) {
    let (mut articles, mut problems, mut removals) = (Vec::new(), Vec::new(), Vec::new());
    for e in events {
        match e {
            LoadEvent::Batch(a, p) => {
                articles.extend(a);
                problems.extend(p);
            }
            LoadEvent::Removed(paths) => {
                articles
                    .retain(|a: &reader::article::Article| !paths.iter().any(|p| p == a.path()));
                removals.push(paths);
            }
            LoadEvent::Discovered(_) | LoadEvent::Done => {}
        }
    }
    let mut library = Library::default();
    library.extend(articles, problems);
    (library, removals)
}

/// Waits for the loader thread (which writes the cache after `Done`) to leave a cache of `n`.
fn wait_for_cache(s: &Setup, n: usize) {
    let start = std::time::Instant::now();
    while reader::cache::Prior::read(&s.cache).map(|p| p.len()) != Some(n) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "cache not rewritten"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_relaunch_lists_the_cache_at_once_then_takes_back_what_is_gone_or_changed() {
    let s = setup(20);
    // One report saved twice (the same URL): one row, two paths.
    let copy = report("两份的报道", 1_650_000_000_000);
    write(&s.archive.join("copy-a.txt"), &copy, at(1_700_000_500));
    write(&s.archive.join("sub/copy-b.txt"), &copy, at(1_700_000_501));
    s.load();
    std::fs::remove_file(s.archive.join("r2.txt")).unwrap();
    std::fs::remove_file(s.archive.join("copy-a.txt")).unwrap();
    write(
        &s.archive.join("sub/r5.txt"),
        &report("改过的报道", 1_600_000_000_000 + 5 * 3_600_000),
        at(1_700_000_005),
    );
    write(
        &s.archive.join("new.txt"),
        &report("新报道", 1_700_000_000_000),
        at(1_700_009_999),
    );
    let events: Vec<LoadEvent> =
        Library::spawn_load_cached(vec![s.archive.clone()], Some(s.cache.clone()))
            .iter()
            .collect();
    // First, before any file is looked at: everything the cache holds, gone files too.
    let LoadEvent::Batch(first, problems) = &events[0] else {
        panic!("first event {:?}", events[0]);
    };
    assert_eq!(first.len(), 22);
    assert!(problems.is_empty());
    assert!(first.iter().any(|a| a.title == "报道2"));
    // Then the files gone or changed, with the other copy of the gone copy (it comes again).
    let removed: Vec<&Vec<PathBuf>> = events
        .iter()
        .filter_map(|e| match e {
            LoadEvent::Removed(p) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(removed.len(), 1, "{events:?}");
    let mut names: Vec<String> = removed[0]
        .iter()
        .map(|p| p.strip_prefix(&s.archive).unwrap().display().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["copy-a.txt", "r2.txt", "sub/copy-b.txt", "sub/r5.txt"]
    );
    let at_removed = events
        .iter()
        .position(|e| matches!(e, LoadEvent::Removed(_)))
        .unwrap();
    let LoadEvent::Batch(again, _) = &events[at_removed + 1] else {
        panic!("after Removed: {:?}", events[at_removed + 1]);
    };
    let again: Vec<&str> = again.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(again, ["两份的报道"]);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, LoadEvent::Discovered(21))),
        "{events:?}"
    );
    assert!(matches!(events.last(), Some(LoadEvent::Done)));
    // Applied in order, the events give what a load without a cache gives.
    let (library, _) = apply(events);
    assert_eq!(lines(&library), lines(&s.uncached()));
    assert!(titles(&library).contains(&"改过的报道"));
    assert!(!titles(&library).contains(&"报道2"));
    wait_for_cache(&s, 21);
    // Nothing changed since: no removal, one batch of everything.
    let events: Vec<LoadEvent> =
        Library::spawn_load_cached(vec![s.archive.clone()], Some(s.cache.clone()))
            .iter()
            .collect();
    assert!(
        matches!(
            &events[..],
            [LoadEvent::Batch(a, _), LoadEvent::Discovered(21), LoadEvent::Done] if a.len() == 21
        ),
        "{events:?}"
    );
}

#[test]
fn two_processes_at_once_both_list_and_leave_a_whole_cache() {
    let s = setup(200);
    let root = s
        .cache
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .parent()
        .unwrap();
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_reader"))
            .env("XDG_CACHE_HOME", root.join("xdg-cache"))
            .env("XDG_CONFIG_HOME", root.join("xdg-config"))
            .env("XDG_DATA_HOME", root.join("xdg-data"))
            .env("HOME", root.join("home"))
            .args(["list".as_ref(), s.archive.as_os_str()])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let want = lines(&s.uncached());
    for _ in 0..2 {
        let (a, b) = (run(), run());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        assert!(a.status.success() && b.status.success());
        assert_eq!(String::from_utf8(a.stdout).unwrap(), want);
        assert_eq!(String::from_utf8(b.stdout).unwrap(), want);
    }
    let out = run().wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), want);
    let key = reader::config::library_key(std::slice::from_ref(&s.archive));
    let dir = root.join("xdg-cache/reader/libraries").join(key);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["meta.bin"], "no temporary files left");
}

#[test]
fn a_file_changed_just_before_the_load_is_not_trusted_to_its_mtime() {
    // Within one timestamp tick a second change keeps the mtime: such files are parsed again.
    let s = setup(2);
    let f = s.archive.join("fresh.txt");
    let now = SystemTime::now();
    write(&f, &report("新写的A", 1_650_000_000_000), now);
    assert!(titles(&s.load()).contains(&"新写的A"));
    write(&f, &report("新写的B", 1_650_000_000_000), now);
    assert!(titles(&s.load()).contains(&"新写的B"));
    // The old files are cached all the same.
    assert_eq!(reader::cache::Prior::read(&s.cache).unwrap().len(), 2);
}

/// Files are stat'ed relative to their folder: through a linked folder and a linked file the
/// relaunch lists the same and reads no file (each is unreadable then); a file replaced by a
/// folder, or by a link to a missing file, is no longer listed.
#[test]
fn linked_files_and_folders_are_stated_through_their_links() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let s = setup(4);
    let outside = s._dir.path().join("outside");
    std::fs::create_dir_all(outside.join("deep")).unwrap();
    write(
        &outside.join("deep/linked.txt"),
        &report("链接的报道", 1_650_000_000_000),
        at(1_700_000_100),
    );
    write(
        &outside.join("single.txt"),
        &report("单个链接", 1_650_000_360_000),
        at(1_700_000_200),
    );
    symlink(outside.join("deep"), s.archive.join("via-folder")).unwrap();
    symlink(outside.join("single.txt"), s.archive.join("via-file.txt")).unwrap();
    let cold = lines(&s.uncached());
    assert!(
        cold.contains("链接的报道") && cold.contains("单个链接"),
        "{cold}"
    );
    s.load();
    let linked = [outside.join("deep/linked.txt"), outside.join("single.txt")];
    for f in &linked {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    let unreadable = linked.iter().all(|f| std::fs::read(f).is_err()); // root reads anything
    let warm = lines(&s.load());
    for f in &linked {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    assert_eq!(warm, cold);
    if unreadable {
        // Listed from the cache although neither could be read.
        assert!(warm.contains("链接的报道") && warm.contains("单个链接"));
    }

    // r0.txt becomes a folder, the linked file goes: neither is listed from the cache.
    std::fs::remove_file(s.archive.join("r0.txt")).unwrap();
    std::fs::create_dir(s.archive.join("r0.txt")).unwrap();
    std::fs::remove_file(outside.join("single.txt")).unwrap();
    let warm = s.load();
    assert!(!titles(&warm).contains(&"报道0"), "{:?}", titles(&warm));
    assert!(!titles(&warm).contains(&"单个链接"), "{:?}", titles(&warm));
    assert_eq!(lines(&warm), lines(&s.uncached()));
}

/// The fold the cache keeps is used only while the title and author are the ones folded:
/// changed after the load, they are folded again.
#[test]
fn the_cached_fold_is_trusted_only_for_its_own_title_and_author() {
    let s = setup(2);
    write(
        &s.archive.join("t.txt"),
        &report("美國氣候特使", 1_650_000_000_000),
        at(1_700_000_300),
    );
    s.load();
    let warm = s.load();
    let a = &warm.articles[warm.find(&s.archive.join("t.txt")).unwrap()];
    let folded = a.meta.folded.clone().expect("the cache carries the fold");
    assert_eq!(folded.title, "美国气候特使");
    assert_eq!(folded.author, None);
    let (title, author) = reader::search::folded(a);
    assert_eq!((title.as_ref(), author), ("美国气候特使", None));

    let mut changed = a.clone();
    changed.title = "香港立法會".into();
    changed.author = Some("ALICE".into());
    let (title, author) = reader::search::folded(&changed);
    assert_eq!(title, "香港立法会");
    assert_eq!(author.as_deref(), Some("alice"));
}

/// The canonical URL the cache keeps is used only for the URL it was made from.
#[test]
fn the_cached_canonical_url_is_trusted_only_for_its_own_url() {
    let s = setup(1);
    s.load();
    let warm = s.load();
    let a = &warm.articles[0];
    let kept = a.meta.canonical.clone().expect("the cache carries it");
    assert_eq!(kept.url.as_deref(), Some("example.org/1600000000000.html"));
    assert_eq!(
        reader::library::canonical_url_of(a).as_deref(),
        Some("example.org/1600000000000.html")
    );
    let mut moved = a.clone();
    moved.url = Some("https://www.Example.org/other.html?utm_source=x#top".into());
    assert_eq!(
        reader::library::canonical_url_of(&moved).as_deref(),
        Some("example.org/other.html")
    );
    moved.url = None;
    assert_eq!(reader::library::canonical_url_of(&moved), None);
    // A cached value is believed for its own URL even where computing would differ: it is
    // the one the URL gave when the file was parsed.
    let mut forged = a.clone();
    forged.meta.canonical.as_mut().unwrap().url = Some("cached.example/x".into());
    assert_eq!(
        reader::library::canonical_url_of(&forged).as_deref(),
        Some("cached.example/x")
    );
}

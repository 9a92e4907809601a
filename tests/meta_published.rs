//! The hand-checked sample of issue #9: fifty reports trimmed from archive-dev, ten per outlet,
//! each with the time its page prints and that time in UTC worked out by hand
//! (`tests/fixtures/meta/published.toml`). Every entry is asserted to the exact value.

use std::path::{Path, PathBuf};

use reader::article::{self, dates};

#[derive(serde::Deserialize)]
struct Sample {
    report: Vec<Entry>,
}

#[derive(serde::Deserialize)]
struct Entry {
    file: String,
    outlet: String,
    printed: String,
    published: Option<String>,
    precision: Option<String>,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/meta")
}

fn sample() -> Vec<Entry> {
    let text = std::fs::read_to_string(dir().join("published.toml")).expect("published.toml");
    toml::from_str::<Sample>(&text)
        .expect("published.toml parses")
        .report
}

#[test]
fn every_hand_checked_publication_time_is_exact() {
    let sample = sample();
    assert_eq!(sample.len(), 50, "ten reports for each of the five outlets");
    let mut wrong = Vec::new();
    for e in &sample {
        let path = dir().join(&e.file);
        let raw = std::fs::read_to_string(&path).expect("fixture");
        let a = article::load_file(&path).unwrap_or_else(|err| panic!("{}: {err}", e.file));
        assert_eq!(a.outlet.as_deref(), Some(e.outlet.as_str()), "{}", e.file);
        let got = a.published.as_ref().map(|p| {
            // Compared to the minute: the pages print seconds for some outlets only.
            p.utc.strftime("%Y-%m-%dT%H:%M:00Z").to_string()
        });
        let precision = a.meta.published_precision.map(|p| p.as_str().to_string());
        if got != e.published || precision != e.precision {
            wrong.push(format!(
                "{}: printed {:?}: got {got:?} ({precision:?}), want {:?} ({:?})",
                e.file, e.printed, e.published, e.precision
            ));
            continue;
        }
        if e.published.is_some() {
            // The time was read from what the page prints, where it prints it.
            assert!(
                raw.contains(&e.printed),
                "{}: printed text in the file",
                e.file
            );
            let p = a.published.as_ref().expect("published");
            assert_eq!(p.original, e.printed, "{}", e.file);
            assert_eq!(a.meta.published_from, Some(dates::Source::Dateline));
            let lt = a.list_time().expect("list time");
            assert!(!lt.archived, "{}", e.file);
        } else {
            // No time on the page: the list shows the archive time, marked.
            let lt = a.list_time().expect("archive time");
            assert!(lt.archived, "{}", e.file);
            assert_eq!(
                Some(lt.utc),
                a.archived.as_ref().map(|s| s.utc),
                "{}",
                e.file
            );
            assert!(lt.date_label().ends_with(article::ARCHIVE_MARK));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_sample_covers_every_outlet_and_form() {
    let sample = sample();
    for outlet in ["德國之聲", "法广", "美国之音", "路透", "BBC中文"] {
        assert_eq!(
            sample.iter().filter(|e| e.outlet == outlet).count(),
            10,
            "{outlet}"
        );
    }
    let day = sample
        .iter()
        .filter(|e| e.precision.as_deref() == Some("day"))
        .count();
    let none = sample.iter().filter(|e| e.published.is_none()).count();
    assert_eq!((day, none), (10, 2));
}

/// A day-precision date is the day as printed, shown without a time.
#[test]
fn a_printed_day_is_shown_as_printed() {
    let a = article::load_file(&dir().join("bbc-1048155.md")).expect("load");
    let lt = a.list_time().expect("time");
    assert_eq!(lt.date_label(), "2020-07-04");
    assert_eq!(
        a.meta.published_day,
        Some(jiff::civil::date(2020, 7, 4)),
        "the printed day, not the UTC day (2020-07-03T23:00Z)"
    );
}

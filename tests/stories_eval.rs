//! Story grouping scored on the hand-labelled stories of archive-dev, from trimmed copies of the
//! labelled reports (`tests/fixtures/stories/archive`, header as written, body cut to what the
//! grouping reads). The figures on the whole archive (with its 1,121 unlabelled reports as
//! distractors) come from `scripts/stories-eval`.

use std::path::Path;

use reader::stories::{Params, eval};

fn labels() -> Vec<(String, eval::Labelled)> {
    let text = std::fs::read_to_string("tests/fixtures/stories/labels.toml").unwrap();
    eval::parse_labels(&text).unwrap()
}

#[test]
fn labels_are_sound() {
    let labels = labels();
    assert!(labels.len() >= 25, "{} stories", labels.len());
    let mut seen = std::collections::HashSet::new();
    for (id, l) in &labels {
        assert!(l.set == "dev" || l.set == "held-out", "{id}: set {}", l.set);
        let outlets: std::collections::HashSet<_> = l
            .files
            .iter()
            .map(|f| f.split('/').next().unwrap())
            .collect();
        assert!(outlets.len() >= 2, "{id} has one outlet");
        for f in &l.files {
            assert!(seen.insert(f.clone()), "{f} is in two stories");
            assert!(
                Path::new("tests/fixtures/stories/archive")
                    .join(f)
                    .is_file(),
                "{f}"
            );
        }
    }
    let dev = labels.iter().filter(|(_, l)| l.set == "dev").count();
    assert!(dev >= 12 && labels.len() - dev >= 12);
}

#[test]
fn bcubed_on_the_labelled_stories() {
    let results = eval::evaluate(
        Path::new("tests/fixtures/stories/archive"),
        &labels(),
        Params::default(),
    );
    for r in &results {
        assert!(r.missing.is_empty(), "{:?}", r.missing);
        let s = r.scores;
        eprintln!(
            "{}: precision {:.3} recall {:.3} F1 {:.3}",
            r.set, s.precision, s.recall, s.f1
        );
        // Floors a little under the figures measured when the labels were committed (dev 0.852,
        // held-out 0.883), so a regression fails while noise-free changes pass.
        let floor = if r.set == "dev" { 0.83 } else { 0.86 };
        assert!(s.f1 >= floor, "{} F1 {:.3} < {floor}", r.set, s.f1);
        assert!(
            s.precision >= 0.95,
            "{} precision {:.3}",
            r.set,
            s.precision
        );
    }
    assert_eq!(results.len(), 2);
}

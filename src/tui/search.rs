//! Search that treats Traditional and Simplified Chinese as one script and ignores case.
//!
//! Every article gets a normalised key (title, outlet, author) once when it is loaded, so that
//! filtering is a substring scan per keystroke. Body lines are normalised when a find starts.
//! Invariant: [`normalize`] is applied to both sides of every comparison.

use crate::article::Article;
pub use crate::search::{find_all, normalize};

/// The key a list filter matches against: title, outlet (with every name the outlet table
/// gives it: aliases in both scripts and English, so `/Reuters` finds 路透), and author,
/// normalised. Each field is normalised alone (fields are joined by U+001F, which no phrase
/// conversion spans), the outlet's names once per outlet.
pub fn article_key(article: &Article) -> String {
    // Folded when the file was parsed, on a relaunch (the metadata cache keeps it).
    let (title, author) = crate::search::folded(article);
    let mut key = title.into_owned();
    if let Some(outlet) = &article.outlet {
        key.push('\u{1f}');
        key.push_str(&outlet_key(outlet));
    }
    if let Some(author) = author {
        key.push('\u{1f}');
        key.push_str(&author);
    }
    key
}

/// The normalised names of an outlet as written: the name, then every other name the outlet
/// table gives it. The same for every report of the outlet, so each thread folds it once per
/// outlet (a list of 100,000 reports has a few dozen).
fn outlet_key(outlet: &str) -> std::rc::Rc<str> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;
    thread_local! {
        static KEYS: RefCell<HashMap<String, Rc<str>>> = RefCell::new(HashMap::new());
    }
    KEYS.with(|keys| {
        if let Some(k) = keys.borrow().get(outlet) {
            return k.clone();
        }
        let mut names = outlet.to_string();
        if let Some(rules) = crate::article::outlet::rules(outlet) {
            for name in rules.names().filter(|&n| n != outlet) {
                names.push('\u{1f}');
                names.push_str(name);
            }
        }
        let k: Rc<str> = Rc::from(normalize(&names));
        let mut keys = keys.borrow_mut();
        // Outlet names come from reports: a bound keeps a hostile archive from growing this.
        if keys.len() < 4_096 {
            keys.insert(outlet.to_string(), k.clone());
        }
        k
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outlet_is_found_by_any_of_its_names() {
        let mut a = crate::article::parse(
            crate::article::Origin::Memory {
                name: "r.txt".into(),
                bytes: std::sync::Arc::from(&b"<p>text</p>"[..]),
            },
            b"<p>text</p>",
        )
        .unwrap();
        a.outlet = Some("路透".into());
        let key = article_key(&a);
        for query in ["路透", "reuters", "Reuters", "路透社"] {
            assert!(key.contains(&normalize(query)), "{query}: {key}");
        }
        assert!(!key.contains(&normalize("BBC")));
    }

    #[test]
    fn traditional_and_simplified_meet() {
        assert_eq!(normalize("德國之聲"), "德国之声");
        assert_eq!(normalize("克裡"), normalize("克里"));
        assert_eq!(normalize("COP27 Climate"), "cop27 climate");
    }

    #[test]
    fn find_all_gives_char_ranges_in_the_original() {
        let line = "美國氣候特使克裡說，美国";
        assert_eq!(find_all(line, &normalize("美国")), [0..2, 10..12]);
        assert_eq!(find_all(line, &normalize("克里")), vec![(6..8)]);
        assert_eq!(find_all("Kerry met kerry", "kerry"), [0..5, 10..15]);
        assert!(find_all("abc", "").is_empty());
        assert!(find_all("ab", "abc").is_empty());
    }

    #[test]
    fn matches_do_not_overlap() {
        assert_eq!(find_all("aaaa", "aa"), [0..2, 2..4]);
    }
}

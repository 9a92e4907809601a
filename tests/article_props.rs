//! Property tests: no input makes the loaders panic, every loaded article has a one-line title,
//! and no control character reaches any field.

use std::sync::Arc;

use proptest::prelude::*;
use reader::article::{self, Article, Origin};
use reader::sanitize::is_forbidden;

const SEEDS: [&[u8]; 2] = [
    include_bytes!("../seeds/guancha-2022-09-01-us-wants-climate-talks.txt"),
    include_bytes!("../seeds/dw-2022-10-26-cop27-us-urges-china-climate-dialogue.txt"),
];

fn parse(bytes: &[u8]) -> Result<Article, article::LoadError> {
    let bytes: Arc<[u8]> = bytes.into();
    article::parse(
        Origin::Memory {
            name: "mem/x.txt".into(),
            bytes: bytes.clone(),
        },
        &bytes,
    )
}

fn clean(s: &str) -> bool {
    !s.chars().any(|c| is_forbidden(c) || c == '\n')
}

fn check(bytes: &[u8]) {
    match parse(bytes) {
        Ok(a) => {
            assert!(!a.title.is_empty());
            assert!(clean(&a.title), "{:?}", a.title);
            for s in [&a.outlet, &a.author, &a.url, &a.image]
                .into_iter()
                .flatten()
            {
                assert!(clean(s), "{s:?}");
            }
            for s in a
                .categories
                .iter()
                .chain(a.extra.iter().flat_map(|(k, v)| [k, v]))
            {
                assert!(clean(s), "{s:?}");
            }
            for st in [&a.published, &a.archived].into_iter().flatten() {
                assert!(clean(&st.original));
            }
            let body = a.load_body().unwrap();
            assert_eq!((body.chars, body.words), (a.chars, a.words));
            assert!(!body.html.chars().any(|c| c != '\n' && is_forbidden(c)));
            for l in &body.links {
                assert!(clean(&l.text) && clean(&l.url));
            }
            for i in &body.images {
                assert!(clean(&i.src) && i.caption.as_deref().is_none_or(clean));
            }
        }
        Err(e) => assert!(!e.reason.is_empty()),
    }
}

/// Pieces the formats are made of, so random files often look almost right.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"---\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\xef\xbb\xbf".to_vec()),
        Just(b"<!--1666748823000-->\n".to_vec()),
        Just(b"[".to_vec()),
        Just(b"](https://www.dw.com/zh/a%-1)".to_vec()),
        Just(b"------\n".to_vec()),
        Just(b"title: '_a_b_'\n".to_vec()),
        Just(b"date: Invalid Date\n".to_vec()),
        Just(b"<div><i>byline<br>2022-10-26T01:34:17.666Z</i></div>".to_vec()),
        Just(b"<img src=\"x\"><div><small>cap</small></div>".to_vec()),
        Just(b"<p>\xe6\xad\xa3\xe6\x96\x87</p>".to_vec()),
        Just(b"\x1b[31m\x1b]0;t\x07\xc2\x9b\xe2\x80\xae".to_vec()),
        Just(b"&amp;&#x0;&#99999999;&".to_vec()),
        Just(b"# heading\n".to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(b"<".to_vec()),
        Just(b"_".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..16),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes);
    }

    #[test]
    fn assembled_pieces_never_panic(pieces in proptest::collection::vec(piece(), 0..24)) {
        check(&pieces.concat());
    }

    #[test]
    fn damaged_seeds_never_panic(
        which in 0usize..2,
        cut in 0usize..5000,
        insert_at in 0usize..5000,
        insert in piece(),
    ) {
        let seed = SEEDS[which];
        let mut bytes = seed[..cut.min(seed.len())].to_vec();
        let at = insert_at.min(bytes.len());
        bytes.splice(at..at, insert);
        check(&bytes);
    }
}

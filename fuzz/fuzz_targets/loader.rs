//! Any bytes through the loader: detection, header fields, the body pass. No panic, and every
//! field that reaches the screen is free of control characters.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use reader::article::{self, Origin};

fuzz_target!(|data: &[u8]| {
    let bytes: Arc<[u8]> = data.into();
    let origin = Origin::Memory {
        name: "fuzz.txt".into(),
        bytes: bytes.clone(),
    };
    if let Ok(a) = article::parse(origin, &bytes) {
        for field in [Some(&a.title), a.outlet.as_ref(), a.author.as_ref(), a.url.as_ref()] {
            if let Some(f) = field {
                assert!(!f.chars().any(char::is_control), "{f:?}");
            }
        }
        let _ = a.load_body();
    }
});

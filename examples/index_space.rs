//! Prints where a search index's bytes go, per segment component and field.
//! Run: `cargo run --example index_space -- INDEX_DIR`.

fn main() {
    let dir = std::env::args().nth(1).expect("index folder");
    let index = tantivy::Index::open_in_dir(&dir).expect("open index");
    let reader = index.reader().expect("reader");
    let searcher = reader.searcher();
    let usage = searcher.space_usage().expect("space usage");
    println!(
        "segments {}, total {}",
        usage.segments().len(),
        usage.total()
    );
    let mut per: std::collections::BTreeMap<(String, String), u64> = Default::default();
    for s in usage.segments() {
        let parts = [
            ("term", s.termdict()),
            ("idx", s.postings()),
            ("pos", s.positions()),
            ("fast", s.fast_fields()),
            ("fieldnorm", s.fieldnorms()),
        ];
        for (name, p) in parts {
            for u in p.fields() {
                let fname = u.field_name().to_string();
                *per.entry((name.to_string(), fname)).or_default() += u.total().get_bytes();
            }
        }
        *per.entry(("store".into(), "-".into())).or_default() += s.store().total().get_bytes();
    }
    for ((part, field), bytes) in per {
        println!("{part:10} {field:8} {bytes:>10}");
    }
}

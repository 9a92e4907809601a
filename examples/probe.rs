fn main() {
    let path = std::env::args().nth(1).unwrap();
    let width: u16 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let s = std::fs::read_to_string(&path).unwrap();
    let body = if let Some(i) = s.find("\n------\n") {
        &s[i + 8..]
    } else {
        let i = s.find("\n---\n\n").unwrap();
        &s[i + 5..]
    };
    let r = reader::render::render_html(body, width, &reader::render::RenderOptions::new(true));
    for l in &r.lines {
        println!("|{}|", l);
    }
    for l in &r.links {
        println!("{l:?}");
    }
}

//! Simplified/Traditional conversion over the seeds, exact strings: the comparison's display
//! conversions (character-aligned) and the search key. Pinned when zhconv (GPL) was replaced by
//! ferrous-opencc; the one change from zhconv on the seeds is noted where it is tested.

use std::path::Path;

use reader::article::load_file;
use reader::compare::script::{Script, convert};
use reader::tui::search::normalize;

const GUANCHA: &str = "seeds/guancha-2022-09-01-us-wants-climate-talks.txt";
const DW: &str = "seeds/dw-2022-10-26-cop27-us-urges-china-climate-dialogue.txt";

fn title(path: &str) -> String {
    load_file(Path::new(path)).unwrap().title
}

/// The stretch of `path`'s body that starts at `start` and holds `chars` characters.
fn excerpt(path: &str, start: &str, chars: usize) -> String {
    let article = load_file(Path::new(path)).unwrap();
    let html = article.load_body().unwrap().html;
    let at = html
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} in {path}"));
    html[at..].chars().take(chars).collect()
}

#[test]
fn titles_in_both_scripts() {
    let dw = title(DW);
    assert_eq!(dw, "COP27即將召開 美籲中重啟氣候對話");
    assert_eq!(
        convert(&dw, Script::Simplified),
        "COP27即将召开 美吁中重启气候对话"
    );
    assert_eq!(convert(&dw, Script::Traditional), dw);
    assert_eq!(normalize(&dw), "cop27即将召开 美吁中重启气候对话");

    let guancha = title(GUANCHA);
    assert_eq!(guancha, "气候问题上，美国想跟中国重新走到一起");
    assert_eq!(convert(&guancha, Script::Simplified), guancha);
    assert_eq!(
        convert(&guancha, Script::Traditional),
        "氣候問題上，美國想跟中國重新走到一起"
    );
    assert_eq!(normalize(&guancha), guancha);
}

#[test]
fn traditional_body_to_simplified() {
    let text = excerpt(DW, "中國隨即宣布", 46);
    assert_eq!(
        text,
        "中國隨即宣布停止與美國在氣候變化等多領域的合作與對話</a>。但在去年11月於格拉斯哥舉行的"
    );
    // zhconv left 於 as it was here; OpenCC converts it (于格拉斯哥 is the Simplified spelling).
    let simplified =
        "中国随即宣布停止与美国在气候变化等多领域的合作与对话</a>。但在去年11月于格拉斯哥举行的";
    assert_eq!(convert(&text, Script::Simplified), simplified);
    assert_eq!(normalize(&text), simplified);
    assert_eq!(
        convert(&text, Script::Traditional),
        "中國隨即宣佈停止與美國在氣候變化等多領域的合作與對話</a>。但在去年11月於格拉斯哥舉行的"
    );
}

#[test]
fn traditional_stays_traditional_in_its_standard_form() {
    let text = excerpt(DW, "美國眾議院議長", 29);
    assert_eq!(text, "美國眾議院議長佩洛西（Nancy Pelosi）出訪台灣後");
    assert_eq!(
        convert(&text, Script::Simplified),
        "美国众议院议长佩洛西（Nancy Pelosi）出访台湾后"
    );
    // OpenCC's s2t writes the standard form 臺 where zhconv kept the Taiwan form 台.
    assert_eq!(
        convert(&text, Script::Traditional),
        "美國眾議院議長佩洛西（Nancy Pelosi）出訪臺灣後"
    );
}

#[test]
fn simplified_body_to_traditional() {
    let text = excerpt(GUANCHA, "8月30日", 44);
    assert_eq!(
        text,
        "8月30日，美国气候问题特使克里在接受《金融时报》采访时表示，希望中方能恢复双边气候谈判"
    );
    assert_eq!(convert(&text, Script::Simplified), text);
    assert_eq!(
        convert(&text, Script::Traditional),
        "8月30日，美國氣候問題特使克里在接受《金融時報》採訪時表示，希望中方能恢復雙邊氣候談判"
    );
    assert_eq!(normalize(&text), text);
}

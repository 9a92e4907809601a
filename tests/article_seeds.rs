//! Exact field values of both bundled seeds, read from disk, embedded, and with their bodies.

use std::path::Path;

use reader::article::{self, Article, Format, Image, Link};
use reader::library::Library;

const GUANCHA: &str = "seeds/guancha-2022-09-01-us-wants-climate-talks.txt";
const DW: &str = "seeds/dw-2022-10-26-cop27-us-urges-china-climate-dialogue.txt";

fn seed(name: &str) -> Article {
    article::load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

fn utc(a: &Option<article::Stamp>) -> Option<(String, String)> {
    a.as_ref().map(|s| (s.utc.to_string(), s.original.clone()))
}

#[test]
fn guancha_header_fields() {
    let a = seed(GUANCHA);
    assert_eq!(a.title, "气候问题上，美国想跟中国重新走到一起");
    assert_eq!(a.outlet.as_deref(), Some("观察者网"));
    assert_eq!(a.author.as_deref(), Some("李丽"));
    assert_eq!(
        utc(&a.published),
        Some((
            "2022-09-01T10:21:21Z".into(),
            "Thu, 01 Sep 2022 10:21:21 GMT".into()
        ))
    );
    assert_eq!(a.archived, None);
    assert_eq!(a.url, None);
    assert_eq!(a.categories, ["新媒体", "观察者网", "头条"]);
    assert_eq!(
        a.image.as_deref(),
        Some("https://i.guancha.cn/news/2022/09/01/20220901104008580.jpg")
    );
    assert_eq!(
        a.extra,
        [
            ("comments".to_string(), "false".to_string()),
            (
                "thumbnail".to_string(),
                "https://i.guancha.cn/news/2022/09/01/20220901104008580.jpg".to_string()
            )
        ]
    );
    assert_eq!(a.format, Format::FrontMatter);
    assert_eq!(a.body_range, 342..4146);
    assert_eq!((a.chars, a.words, a.cjk), (1050, 20, 919));
    assert_eq!(a.reading_minutes(), 3);
    assert!(a.warnings.is_empty());
}

#[test]
fn guancha_body() {
    let b = seed(GUANCHA).load_body().unwrap();
    assert_eq!(
        b.images,
        [
            Image {
                src: "https://i.guancha.cn/news/2022/09/01/20220901104008580.jpg".into(),
                caption: None
            },
            Image {
                src: "https://i.guancha.cn/news/external/2022/09/01/20220901090035352.png".into(),
                caption: Some("“气候特使约翰克里寻求中美恢复排放谈判” 《金融时报》报道截图".into())
            },
        ]
    );
    assert_eq!(
        b.links,
        [Link {
            text: "8项反制措施".into(),
            url: "https://www.guancha.cn/internation/2022_08_05_652521.shtml".into()
        }]
    );
    assert_eq!((b.chars, b.words, b.reading_minutes), (1050, 20, 3));
    assert!(
        b.html
            .starts_with("\n<div>   \n<img src=\"https://i.guancha.cn/news/2022/09/01/")
    );
    assert!(b.html.contains("【文/观察者网 李丽】8月5日"));
    assert!(b.html.trim_end().ends_with("</div>"));
}

#[test]
fn dw_header_fields() {
    let a = seed(DW);
    assert_eq!(a.title, "COP27即將召開 美籲中重啟氣候對話");
    assert_eq!(a.outlet.as_deref(), Some("德國之聲"));
    assert_eq!(a.author, None);
    assert_eq!(
        utc(&a.published),
        Some((
            "2022-10-26T01:34:17.666Z".into(),
            "2022-10-26T01:34:17.666Z".into()
        ))
    );
    assert_eq!(
        utc(&a.archived),
        Some(("2022-10-26T01:47:03Z".into(), "1666748823000".into()))
    );
    assert_eq!(
        a.url.as_deref(),
        Some(
            "https://www.dw.com/zh/COP27%E5%8D%B3%E5%B0%87%E5%8F%AC%E9%96%8B%20%E7%BE%8E%E7%B1%B2%E4%B8%AD%E9%87%8D%E5%95%9F%E6%B0%A3%E5%80%99%E5%B0%8D%E8%A9%B1/a-63558196"
        )
    );
    assert_eq!(
        a.display_url().as_deref(),
        Some("https://www.dw.com/zh/COP27即將召開 美籲中重啟氣候對話/a-63558196")
    );
    assert!(a.categories.is_empty());
    assert_eq!(
        a.image.as_deref(),
        Some("https://images.weserv.nl/?url=static.dw.com/image/62527817_303.jpg")
    );
    assert!(a.extra.is_empty());
    assert_eq!(a.format, Format::LinkHeader);
    assert_eq!(a.body_range, 236..4775);
    assert_eq!((a.chars, a.words, a.cjk), (1357, 17, 1153));
    assert!(a.warnings.is_empty());
}

#[test]
fn dw_body() {
    let b = seed(DW).load_body().unwrap();
    assert_eq!(
        b.images,
        [
            Image {
                src: "https://images.weserv.nl/?url=static.dw.com/image/62527817_303.jpg".into(),
                caption: Some("美國氣候特使克里在接受英國《衛報》訪問時，敦促中國重啟與美國的氣候談判，讓削減溫室氣體排放的相關行動能持續有進展。".into())
            },
            Image {
                src: "https://images.weserv.nl/?url=static.dw.com/image/59057122_303.jpg".into(),
                caption: Some("克里告訴《衛報》，雖然中國暫停與美國的氣候合作，但這不會破壞第27屆聯合國氣候峰會的議程。".into())
            },
        ]
    );
    assert_eq!(
        b.links,
        [
            Link {
                text: "中國隨即宣布停止與美國在氣候變化等多領域的合作與對話".into(),
                url: "https://api.dw.com/api/detail/article/62721519".into()
            },
            Link {
                text: "第26屆聯合國氣候峰會上".into(),
                url: "https://api.dw.com/api/detail/article/59814202".into()
            },
        ]
    );
    assert_eq!((b.chars, b.words, b.reading_minutes), (1357, 17, 3));
    assert!(
        b.html
            .starts_with("\n<div><i><br>2022-10-26T01:34:17.666Z</i></div><img")
    );
}

#[test]
fn bundled_matches_disk_newest_first() {
    let lib = Library::bundled();
    assert!(lib.problems.is_empty());
    let names: Vec<_> = lib
        .articles
        .iter()
        .map(|a| a.path().to_str().unwrap())
        .collect();
    assert_eq!(names, [DW, GUANCHA]);
    for a in &lib.articles {
        assert!(matches!(a.origin, article::Origin::Embedded { .. }));
        let disk = seed(a.path().to_str().unwrap());
        assert_eq!(a.title, disk.title);
        assert_eq!(a.published, disk.published);
        assert_eq!(a.body_range, disk.body_range);
        assert_eq!(
            a.load_body().unwrap().images,
            disk.load_body().unwrap().images
        );
    }
}

#[test]
fn memory_origin_parses_like_a_file() {
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(DW)).unwrap();
    let a = article::parse(
        article::Origin::Memory {
            name: "mem/dw.txt".into(),
            bytes: bytes.clone().into(),
        },
        &bytes,
    )
    .unwrap();
    assert_eq!(a.path(), Path::new("mem/dw.txt"));
    assert_eq!(a.title, "COP27即將召開 美籲中重啟氣候對話");
    assert_eq!(a.load_body().unwrap().links.len(), 2);
}

//! Titles: the front-matter generator's quote artefacts, and the fallbacks that keep a title from
//! ever being empty.
//!
//! The 观察者网 generator writes `_` where the source title had quote marks:
//! `_气候问题上，美国想跟中国重新走到一起_` and `普京授权在顿巴斯地区展开_军事行动_` (the original reads
//! 展开“军事行动”). The outer pair is dropped and inner pairs become “ ”.
//!
//! Only a *lone* underscore that is not inside a Latin word counts as an artefact: `snake_case`,
//! `file_name_v2` and `__init__` keep theirs, because the generator never touches those (it
//! replaces quote marks, which do not sit between two Latin letters). An odd artefact left without
//! a partner stays as written.

/// Removes the generator's `_` quote artefacts from a (one-line, sanitised) title.
pub fn fix_quote_artefacts(title: &str) -> String {
    let chars: Vec<char> = title.chars().collect();
    let n = chars.len();
    let is_word = |c: char| c.is_ascii_alphanumeric();
    let candidate = |i: usize| -> bool {
        if chars[i] != '_' {
            return false;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        if prev == Some('_') || next == Some('_') {
            return false;
        }
        !(prev.is_some_and(is_word) && next.is_some_and(is_word))
    };
    let mut marks: Vec<usize> = (0..n).filter(|&i| candidate(i)).collect();
    let mut drop = Vec::new();
    if n > 2 && marks.len() >= 2 && marks[0] == 0 && marks[marks.len() - 1] == n - 1 {
        drop.push(0);
        drop.push(n - 1);
        marks.remove(0);
        marks.pop();
    }
    let mut replace = std::collections::HashMap::new();
    for pair in marks.chunks_exact(2) {
        replace.insert(pair[0], '“');
        replace.insert(pair[1], '”');
    }
    let mut out = String::with_capacity(title.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if drop.contains(&i) {
            continue;
        }
        out.push(*replace.get(&i).unwrap_or(&c));
    }
    let out = out.trim().to_string();
    if out.is_empty() {
        title.to_string()
    } else {
        out
    }
}

/// Separators between a title and a site or programme name.
/// `--` is not one: Reuters writes a headline's source that way (`…--华尔街日报`).
const SEPARATORS: &[&str] = &[
    " - ", " – ", " — ", " | ", " ｜ ", "｜", " _ ", "_", " :: ", " · ",
];

/// A title without its site and programme suffixes, with entities decoded: the outlet's own
/// patterns first, then a generic rule — a trailing separator followed by a known outlet's name
/// (any outlet, any alias). Returns the cleaned title; the text is never emptied.
pub fn strip_suffixes(title: &str, outlet: Option<&super::outlet::Outlet>) -> String {
    let decoded = super::scan::decode_entities(title);
    let mut t = crate::sanitize::clean_line(&decoded);
    for _ in 0..3 {
        let before = t.len();
        if let Some(o) = outlet {
            for re in o.suffix_patterns() {
                if let Some(m) = re.find(&t) {
                    if m.start() > 0 {
                        t.truncate(m.start());
                        t = t.trim_end().to_string();
                    }
                }
            }
        }
        // Generic: `TITLE - 某某网`, `TITLE | Reuters`.
        for sep in SEPARATORS {
            if let Some(i) = t.rfind(sep) {
                let tail = t[i + sep.len()..].trim();
                if i > 0 && super::outlet::by_name(tail).is_some() {
                    t.truncate(i);
                    t = t.trim_end().to_string();
                    break;
                }
            }
        }
        if t.len() == before {
            break;
        }
    }
    if t.trim().is_empty() {
        crate::sanitize::clean_line(&decoded)
    } else {
        t
    }
}

#[cfg(test)]
mod suffix_tests {
    use super::strip_suffixes;
    use crate::article::outlet::rules;

    #[test]
    fn outlet_and_generic_suffixes() {
        let rfi = rules("法广");
        assert_eq!(
            strip_suffixes(
                "全球新冠肺炎破53万人病死 逾1129万例确诊 – 法国国际广播电台 - RFI",
                rfi
            ),
            "全球新冠肺炎破53万人病死 逾1129万例确诊"
        );
        assert_eq!(
            strip_suffixes("香港《国安法》能不能唤醒所有人？ - 要闻分析", rfi),
            "香港《国安法》能不能唤醒所有人？"
        );
        // A topic before the title stays.
        assert_eq!(
            strip_suffixes("Coronavirus - 美国卫生高官发出预警", rfi),
            "Coronavirus - 美国卫生高官发出预警"
        );
        // Generic: a known outlet's name after a separator, whatever the outlet.
        assert_eq!(
            strip_suffixes("Hong Kong law passes | Reuters", None),
            "Hong Kong law passes"
        );
        assert_eq!(
            strip_suffixes("习近平会见外宾_新华网", None),
            "习近平会见外宾"
        );
        assert_eq!(strip_suffixes("标题 - 某某博客", None), "标题 - 某某博客");
        // Reuters' source attribution is part of the headline.
        assert_eq!(
            strip_suffixes(
                "中国告诉美国 越过“红线”贸易协议就危险了--华尔街日报",
                rules("路透")
            ),
            "中国告诉美国 越过“红线”贸易协议就危险了--华尔街日报"
        );
        assert_eq!(
            strip_suffixes("香港不会被任何制裁行动吓怕--特首", rules("路透")),
            "香港不会被任何制裁行动吓怕--特首"
        );
        assert_eq!(
            strip_suffixes("A &amp; B &#8211; 说法", None),
            "A & B – 说法"
        );
        // Never empty.
        assert_eq!(strip_suffixes("RFI", rfi), "RFI");
    }
}

#[cfg(test)]
mod tests {
    use super::fix_quote_artefacts as fix;

    #[test]
    fn outer_pair_is_dropped() {
        assert_eq!(
            fix("_气候问题上，美国想跟中国重新走到一起_"),
            "气候问题上，美国想跟中国重新走到一起"
        );
    }

    #[test]
    fn inner_pair_becomes_quotes() {
        assert_eq!(
            fix("普京授权在顿巴斯地区展开_军事行动_"),
            "普京授权在顿巴斯地区展开“军事行动”"
        );
        assert_eq!(fix("_美方_拒绝_谈判_"), "美方“拒绝”谈判");
        assert_eq!(fix("_外交部：_台独_没有出路_"), "外交部：“台独”没有出路");
        assert_eq!(fix("两个_词_和_另一个_"), "两个“词”和“另一个”");
    }

    #[test]
    fn latin_quotes_at_word_edges() {
        assert_eq!(
            fix("Biden says _no deal_ with Beijing"),
            "Biden says “no deal” with Beijing"
        );
        assert_eq!(fix("COP27_会议_开幕"), "COP27“会议”开幕");
    }

    #[test]
    fn snake_case_and_dunder_are_kept() {
        assert_eq!(
            fix("Using snake_case names in Rust"),
            "Using snake_case names in Rust"
        );
        assert_eq!(fix("file_name_v2 released"), "file_name_v2 released");
        assert_eq!(
            fix("Python __init__ explained"),
            "Python __init__ explained"
        );
        assert_eq!(fix("my_var"), "my_var");
    }

    #[test]
    fn lone_artefact_stays() {
        assert_eq!(fix("半个_引号"), "半个_引号");
        assert_eq!(fix("_"), "_");
        assert_eq!(fix("__"), "__");
        assert_eq!(fix("_ _"), "_ _");
        assert_eq!(fix(""), "");
    }

    #[test]
    fn odd_inner_count_pairs_the_first_two() {
        assert_eq!(fix("甲_乙_丙_丁"), "甲“乙”丙_丁");
    }
}

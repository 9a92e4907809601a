//! Outlets: which news organisation a report comes from.
//!
//! One small table maps each outlet's display name to the other names it goes by (in front
//! matter, in the body's agency credit such as （德國之聲中文網）) and to its web hosts. Add a row to
//! teach the reader a new outlet. A host that is not in the table still names the outlet by the
//! host itself (`example.com`), which is better than nothing.

/// One outlet: its display name, the other names it is written as, and its hosts.
pub struct Outlet {
    /// The name shown in the list and the metadata.
    pub name: &'static str,
    /// Other spellings: Simplified/Traditional forms, the Chinese-service names, English names.
    pub aliases: &'static [&'static str],
    /// Registrable domains; subdomains match too.
    pub hosts: &'static [&'static str],
}

/// The known outlets.
pub const OUTLETS: &[Outlet] = &[
    Outlet {
        name: "观察者网",
        aliases: &["觀察者網", "观察者", "guancha", "Guancha"],
        hosts: &["guancha.cn"],
    },
    Outlet {
        name: "德國之聲",
        aliases: &[
            "德国之声",
            "德國之聲中文網",
            "德国之声中文网",
            "DW",
            "Deutsche Welle",
        ],
        hosts: &["dw.com", "dw.de"],
    },
    Outlet {
        name: "BBC中文",
        aliases: &["BBC中文网", "BBC中文網", "BBC News 中文", "BBC"],
        hosts: &["bbc.com", "bbc.co.uk"],
    },
    Outlet {
        name: "美国之音",
        aliases: &["美國之音", "VOA"],
        hosts: &["voachinese.com", "voanews.com"],
    },
    Outlet {
        name: "法广",
        aliases: &["法廣", "法国国际广播电台", "RFI"],
        hosts: &["rfi.fr"],
    },
    Outlet {
        name: "自由亚洲电台",
        aliases: &["自由亞洲電台", "RFA"],
        hosts: &["rfa.org"],
    },
    Outlet {
        name: "联合早报",
        aliases: &["聯合早報"],
        hosts: &["zaobao.com", "zaobao.com.sg"],
    },
    Outlet {
        name: "纽约时报中文网",
        aliases: &["紐約時報中文網"],
        hosts: &["cn.nytimes.com"],
    },
    Outlet {
        name: "新华网",
        aliases: &["新华社", "新華社", "新華網"],
        hosts: &["xinhuanet.com", "news.cn"],
    },
    Outlet {
        name: "人民网",
        aliases: &["人民網", "人民日报", "人民日報"],
        hosts: &["people.com.cn"],
    },
    Outlet {
        name: "环球时报",
        aliases: &["環球時報", "环球网", "環球網"],
        hosts: &["huanqiu.com"],
    },
    Outlet {
        name: "澎湃新闻",
        aliases: &["澎湃新聞"],
        hosts: &["thepaper.cn"],
    },
    Outlet {
        name: "中国日报",
        aliases: &["中國日報", "China Daily"],
        hosts: &["chinadaily.com.cn"],
    },
    Outlet {
        name: "Reuters",
        aliases: &["路透社"],
        hosts: &["reuters.com"],
    },
];

/// The outlet's display name for a name as written (exact match on name or alias, case-insensitive
/// for Latin names).
pub fn by_name(written: &str) -> Option<&'static str> {
    let w = written.trim();
    OUTLETS
        .iter()
        .find(|o| o.name == w || o.aliases.iter().any(|a| a.eq_ignore_ascii_case(w)))
        .map(|o| o.name)
}

/// The host of a URL, lower-cased, without `www.`, user info or port; `None` when there is none.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = authority.split(':').next()?.trim_end_matches('.');
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    let host = host.to_ascii_lowercase();
    Some(
        host.strip_prefix("www.")
            .map(str::to_string)
            .unwrap_or(host),
    )
}

/// The outlet for a URL: a table name when the host is known, else the host itself.
pub fn by_url(url: &str) -> Option<String> {
    known_host(url)
        .map(str::to_string)
        .or_else(|| host_of(url).map(|h| crate::sanitize::clean_line(&h)))
}

/// The outlet for a URL whose host is in the table.
pub fn known_host(url: &str) -> Option<&'static str> {
    let host = host_of(url)?;
    OUTLETS
        .iter()
        .find(|o| {
            o.hosts
                .iter()
                .any(|h| host == *h || host.ends_with(&format!(".{h}")))
        })
        .map(|o| o.name)
}

/// The outlet named by the body's opening credit (see [`opening_credit`]). `prefix` is a
/// bounded prefix of the body.
pub fn by_credit(prefix: &str) -> Option<&'static str> {
    opening_credit(prefix)?.outlet
}

/// What a bracketed credit in a body says: the outlet that published the report and the
/// writer (an opening credit such as `【文/观察者网 李丽】` or `（德國之聲中文網）`), or the
/// agencies it draws on (a source line such as `（美聯社、衛報）`, or `（图/路透社）`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Credit {
    /// The outlet named in an opening credit (a table name). Never set for a source line.
    pub outlet: Option<&'static str>,
    /// The writer's names from an opening credit, roles and outlet names left out (sanitised).
    pub author: Option<String>,
    /// The agencies named by a source line, as written (sanitised).
    pub sources: Vec<String>,
}

/// Longest credit read, in bytes (inside the brackets, tags included).
const MAX_CREDIT: usize = 240;

/// How far into a body an opening credit is looked for, in bytes: it opens the text, after at
/// most a dateline, a lead image and its caption. The bound keeps the index pass cheap.
pub const OPENING_SCAN: usize = 4096;

/// The first opening credit in the first [`OPENING_SCAN`] bytes of `body` (for a whole page,
/// pass the part after `</head>`) that names an outlet or a writer. Only a bracket that starts a
/// paragraph or line counts: `（路透社）` in the middle of a sentence is not a credit. Source
/// lines are skipped: an agency credit names where the report's facts came from, not who
/// published it.
pub fn opening_credit(body: &str) -> Option<Credit> {
    credits(super::scan::prefix(body, OPENING_SCAN))
        .find(|c| c.outlet.is_some() || c.author.is_some())
}

/// Every credit in `prefix`, in text order: brackets `【…】`, `（…）` or `(…)` that start a
/// paragraph or line, read by [`read_credit`].
pub fn credits(prefix: &str) -> impl Iterator<Item = Credit> + '_ {
    const BRACKETS: [(&str, &str); 3] = [("【", "】"), ("（", "）"), ("(", ")")];
    // A credit starts a block, so only the places after a tag or a line break are looked at
    // (found with a fast byte search), not every bracket in the text.
    let mut next_gt = prefix.find('>');
    let mut next_nl = prefix.find('\n');
    let mut at_start = true;
    let mut last = None;
    std::iter::from_fn(move || {
        loop {
            let from = if at_start {
                at_start = false;
                0
            } else {
                let from = match (next_gt, next_nl) {
                    (Some(g), Some(n)) => g.min(n),
                    (g, n) => g.or(n)?,
                };
                if next_gt == Some(from) {
                    next_gt = prefix[from + 1..].find('>').map(|j| from + 1 + j);
                }
                if next_nl == Some(from) {
                    next_nl = prefix[from + 1..].find('\n').map(|j| from + 1 + j);
                }
                from + 1
            };
            let rest = &prefix[from..];
            let at = from + (rest.len() - rest.trim_start().len());
            if last.is_some_and(|l| at <= l) {
                continue;
            }
            let Some(&(open, close)) = BRACKETS.iter().find(|(o, _)| prefix[at..].starts_with(o))
            else {
                continue;
            };
            last = Some(at);
            if !starts_block(&prefix[..at]) {
                continue;
            }
            let after = &prefix[at + open.len()..];
            let Some(j) = after[..super::scan::floor_boundary(after, MAX_CREDIT)].find(close)
            else {
                continue;
            };
            let inner = super::scan::strip_tags(&after[..j]);
            let text_follows = text_follows(&after[j + close.len()..]);
            if let Some(credit) = read_credit(&inner, open == "【", text_follows) {
                return Some(credit);
            }
        }
    })
}

/// Reads the text inside one credit's brackets. `lenticular` is true for `【…】`, the form
/// Chinese outlets use for their own bylines; `text_follows` is true when the report's text
/// goes on after the bracket in the same paragraph (an opening credit), false when the bracket
/// stands alone (a source line, usually at the end).
///
/// - `文/观察者网 李丽`, `文/ 观察者网 王世纯 编辑/高莘`: outlet 观察者网, author 李丽 or 王世纯
///   (later roles such as `编辑/` are not the author).
/// - `观察者网 综合报道` in `【…】`: the outlet, no author.
/// - `德國之聲中文網` followed by text: the outlet. Alone in its paragraph: a source line.
/// - `美聯社、衛報`, `路透社, 法新社`: a source line (several agencies are never the outlet).
/// - `图/路透社`, `来源：环球时报`: a source line (a picture or source credit).
/// - Anything naming no outlet and no byline role (`10月25日`, `John Kerry`): not a credit.
pub fn read_credit(inner: &str, lenticular: bool, text_follows: bool) -> Option<Credit> {
    let inner = inner.trim();
    if inner.is_empty() {
        return None;
    }
    if let Some(rest) = strip_role(inner, SOURCE_ROLES) {
        return Some(source_line(rest));
    }
    if let Some(rest) = strip_role(inner, BYLINE_ROLES) {
        // A byline: the outlet may be anywhere in it (`文/ 约瑟夫·奈 翻译/ 观察者网 由冠群`).
        return Some(Credit {
            outlet: find_outlet(inner),
            author: names(rest),
            sources: Vec::new(),
        });
    }
    let outlet = find_outlet(inner);
    if lenticular {
        let outlet = outlet?;
        return Some(Credit {
            outlet: Some(outlet),
            author: names(inner),
            sources: Vec::new(),
        });
    }
    let parts: Vec<&str> = inner
        .split(LIST_SEPARATORS)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        // Several names: agencies the report draws on. Only names, not a parenthetical remark.
        return parts
            .iter()
            .all(|p| p.chars().count() <= 20 && !p.contains(SENTENCE_PUNCTUATION))
            .then(|| source_line(inner));
    }
    let outlet = outlet?;
    if !text_follows {
        return Some(source_line(inner));
    }
    // `（德國之聲中文網 乐然）`: a name set apart by a space is the writer; a word glued to the
    // outlet's name (`路透社消息`) is not.
    let author = inner
        .contains(char::is_whitespace)
        .then(|| names(inner))
        .flatten();
    Some(Credit {
        outlet: Some(outlet),
        author,
        sources: Vec::new(),
    })
}

/// Roles that open a byline: the writer's names follow.
const BYLINE_ROLES: &[&str] = &["撰文", "作者", "记者", "記者", "文"];
/// Roles that open a picture or source credit.
const SOURCE_ROLES: &[&str] = &[
    "图片来源",
    "圖片來源",
    "资料来源",
    "資料來源",
    "来源",
    "來源",
    "稿源",
    "图",
    "圖",
    "摄影",
    "攝影",
    "摄",
    "攝",
    "Source",
    "source",
    "Photo",
    "photo",
];
/// Separators between the names of a source line.
const LIST_SEPARATORS: &[char] = &['、', '，', ',', ';', '；', '/', '／', '&'];
/// Punctuation that marks a remark, not a name.
const SENTENCE_PUNCTUATION: &[char] = &['。', '：', ':', '！', '？', '!', '?', '“', '”', '"'];
/// Words in a credit that are neither outlets nor names.
const FILLERS: &[&str] = &[
    "综合报道",
    "綜合報導",
    "綜合報道",
    "报道",
    "報導",
    "報道",
    "综合",
    "綜合",
    "特约记者",
    "特約記者",
    "记者",
    "記者",
    "专栏作者",
    "專欄作者",
    "特约作者",
    "特約作者",
    "编译",
    "編譯",
    "整理",
    "消息",
    "讯",
    "訊",
    "报",
    "報",
];

/// `inner` without a leading role and its mark (`文/`, `文／`, `来源：`, `图 / `), if it has one.
fn strip_role<'a>(inner: &'a str, roles: &[&str]) -> Option<&'a str> {
    roles.iter().find_map(|role| {
        let rest = inner.strip_prefix(role)?.trim_start();
        let rest = ['/', '／', ':', '：']
            .iter()
            .find_map(|m| rest.strip_prefix(*m))?;
        Some(rest.trim_start())
    })
}

/// A source line: the names it lists.
fn source_line(list: &str) -> Credit {
    Credit {
        sources: list
            .split(LIST_SEPARATORS)
            .map(crate::sanitize::clean_line)
            .filter(|p| !p.is_empty())
            .collect(),
        ..Credit::default()
    }
}

/// The writer's names at the start of a byline: words up to the next role (`编辑/…`), with
/// outlet names and fillers taken out; `None` when nothing is left or a word is no name.
fn names(byline: &str) -> Option<String> {
    let mut names = Vec::new();
    for word in byline.split_whitespace() {
        if word.contains(['/', '／', ':', '：']) {
            break;
        }
        let rest = match find_outlet_at_start(word) {
            Some(len) => &word[len..],
            None => word,
        };
        if rest.is_empty() || is_filler(rest) {
            continue;
        }
        if rest.chars().count() > 16 || rest.contains(SENTENCE_PUNCTUATION) {
            return None;
        }
        names.push(rest);
    }
    let joined = crate::sanitize::clean_line(&names.join(" "));
    (!joined.is_empty()).then_some(joined)
}

/// True when `word` is made only of filler words (`综合报道`, `记者`, …).
fn is_filler(mut word: &str) -> bool {
    while !word.is_empty() {
        match FILLERS.iter().find(|f| word.starts_with(**f)) {
            Some(f) => word = &word[f.len()..],
            None => return false,
        }
    }
    true
}

/// The first known outlet named anywhere in `text` (the longest name at the earliest place).
/// Latin names match whole words only, ignoring case: `DW` names 德國之聲, `DWELL` does not.
pub fn find_outlet(text: &str) -> Option<&'static str> {
    let mut best: Option<(usize, usize, &'static str)> = None;
    for o in OUTLETS {
        for written in std::iter::once(&o.name).chain(o.aliases) {
            let Some(at) = find_word(text, written) else {
                continue;
            };
            let better = match best {
                None => true,
                Some((b_at, b_len, _)) => at < b_at || (at == b_at && written.len() > b_len),
            };
            if better {
                best = Some((at, written.len(), o.name));
            }
        }
    }
    best.map(|(_, _, name)| name)
}

/// The length of the known outlet name `word` starts with, the longest if several.
fn find_outlet_at_start(word: &str) -> Option<usize> {
    OUTLETS
        .iter()
        .flat_map(|o| std::iter::once(&o.name).chain(o.aliases))
        .filter(|w| {
            word.get(..w.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(w))
                && (!w.is_ascii()
                    || !word[w.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
        })
        .map(|w| w.len())
        .max()
}

/// Where `name` occurs in `text`: exactly for CJK names, as a whole word ignoring ASCII case
/// for Latin ones.
fn find_word(text: &str, name: &str) -> Option<usize> {
    if !name.is_ascii() {
        // Credits are short: a plain scan beats setting up a substring searcher per name.
        let n = name.as_bytes();
        return text
            .as_bytes()
            .windows(n.len())
            .position(|w| w[0] == n[0] && w == n);
    }
    let mut from = 0;
    while let Some(i) = super::scan::find_ascii_ci(&text[from..], name) {
        let at = from + i;
        let end = at + name.len();
        let alnum = |c: char| c.is_ascii_alphanumeric();
        let before_ok = !text[..at].ends_with(alnum);
        let after_ok = !text[end..].starts_with(alnum);
        if before_ok && after_ok {
            return Some(at);
        }
        from = end;
    }
    None
}

/// True when a bracket after `before` starts a paragraph or a line: only white space, line
/// breaks, block tags or inline formatting that opens there come between.
fn starts_block(before: &str) -> bool {
    let mut rest = before.trim_end_matches([' ', '\t', '\u{3000}', '\u{a0}']);
    loop {
        if rest.is_empty() || rest.ends_with(['\n', '\r']) {
            return true;
        }
        if !rest.ends_with('>') {
            return false;
        }
        let Some(open) = rest.rfind('<') else {
            return false;
        };
        let tag = &rest[open + 1..rest.len() - 1];
        let closing = tag.starts_with('/');
        let name = tag_name(tag);
        if INLINE.contains(&name.as_str()) {
            // `<strong>【文/…】`: look further back. `</a>（…）` or `<a>（…）` is inside a sentence.
            if closing || name == "a" {
                return false;
            }
            rest = rest[..open].trim_end();
            continue;
        }
        return true;
    }
}

/// True when the report's text goes on after a bracket in the same paragraph.
fn text_follows(after: &str) -> bool {
    let mut rest = after;
    loop {
        let trimmed = rest.trim_start();
        let space = &rest[..rest.len() - trimmed.len()];
        if space.matches('\n').count() >= 2 {
            return false;
        }
        rest = trimmed;
        if rest.is_empty() {
            return false;
        }
        if !rest.starts_with('<') {
            return true;
        }
        let Some(end) = rest.find('>') else {
            return false;
        };
        if !INLINE.contains(&tag_name(&rest[1..end]).as_str()) {
            return false;
        }
        rest = &rest[end + 1..];
    }
}

/// Inline formatting tags: they neither start nor end a paragraph.
const INLINE: &[&str] = &["strong", "b", "em", "i", "span", "font", "u", "a"];

/// The lower-case name of a tag from the text between `<` and `>`.
fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases() {
        assert_eq!(by_name("观察者网"), Some("观察者网"));
        assert_eq!(by_name("德国之声中文网"), Some("德國之聲"));
        assert_eq!(by_name("dw"), Some("德國之聲"));
        assert_eq!(by_name("头条"), None);
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://www.dw.com/zh/x/a-1").as_deref(),
            Some("dw.com")
        );
        assert_eq!(
            host_of("http://user@News.Example.org:8080/p?q").as_deref(),
            Some("news.example.org")
        );
        assert_eq!(host_of("not a url"), None);
        assert_eq!(host_of("file:///tmp/x"), None);
        assert_eq!(
            by_url("https://www.dw.com/zh/COP27%E5%8D%B3/a-63558196").as_deref(),
            Some("德國之聲")
        );
        assert_eq!(
            by_url("https://m.guancha.cn/internation/2022_08_05_652521.shtml").as_deref(),
            Some("观察者网")
        );
        assert_eq!(
            by_url("https://www.example.com/a").as_deref(),
            Some("example.com")
        );
        // A stray `%` is not a problem: the host comes before it.
        assert_eq!(
            by_url("https://www.dw.com/zh/100%的/a-1").as_deref(),
            Some("德國之聲")
        );
    }

    fn credit(author: Option<&str>, outlet: Option<&'static str>) -> Option<Credit> {
        Some(Credit {
            outlet,
            author: author.map(str::to_string),
            sources: Vec::new(),
        })
    }

    fn sources(names: &[&str]) -> Option<Credit> {
        Some(Credit {
            sources: names.iter().map(|n| n.to_string()).collect(),
            ..Credit::default()
        })
    }

    #[test]
    fn guancha_byline_gives_outlet_and_writer() {
        let body = "<div>\n<img src=a.jpg>\n<p>\n【文/观察者网 李丽】8月5日，中方宣布";
        assert_eq!(opening_credit(body), credit(Some("李丽"), Some("观察者网")));
        assert_eq!(by_credit(body), Some("观察者网"));
        // A later role is not the writer.
        assert_eq!(
            opening_credit("<p>【文/观察者网 王世纯 编辑/高莘】据"),
            credit(Some("王世纯"), Some("观察者网"))
        );
        assert_eq!(
            opening_credit("<p>【文／ 观察者网 王世纯 编辑/ 高莘】据"),
            credit(Some("王世纯"), Some("观察者网"))
        );
        // Two writers; a columnist's title glued to the outlet.
        assert_eq!(
            opening_credit("<p>【文/观察者网 王世纯 陈思佳】据"),
            credit(Some("王世纯 陈思佳"), Some("观察者网"))
        );
        assert_eq!(
            opening_credit("<p>【文/ 观察者网专栏作者 宁南山】"),
            credit(Some("宁南山"), Some("观察者网"))
        );
        // A translated piece: the writer first, the outlet with the translator.
        assert_eq!(
            opening_credit("<p>【文/ 约瑟夫·奈 翻译/ 观察者网 由冠群】"),
            credit(Some("约瑟夫·奈"), Some("观察者网"))
        );
        // Inline formatting around the credit.
        assert_eq!(
            opening_credit("<p><strong>【文/观察者网 李丽】</strong>8月5日"),
            credit(Some("李丽"), Some("观察者网"))
        );
    }

    #[test]
    fn lenticular_credit_without_a_byline() {
        assert_eq!(
            opening_credit("<p>【观察者网 综合报道】据"),
            credit(None, Some("观察者网"))
        );
        assert_eq!(
            opening_credit("<p>【环球时报记者 张三】据"),
            credit(Some("张三"), Some("环球时报"))
        );
        // A bracketed heading that names no outlet is no credit.
        assert_eq!(opening_credit("<p>【延伸阅读】美国"), None);
        // A byline without an outlet still gives the writer.
        assert_eq!(
            opening_credit("<p>【文/李丽】8月"),
            credit(Some("李丽"), None)
        );
    }

    #[test]
    fn dw_agency_credit_at_the_start() {
        let seed = "<div><i><br>2022-10-26T01:34:17.666Z</i></div><img src=x><div><small>克里。</small></div><p>（德國之聲中文網）美國氣候特使克里（John Kerry）在";
        assert_eq!(opening_credit(seed), credit(None, Some("德國之聲")));
        assert_eq!(by_credit("<p>（德国之声中文网）美国"), Some("德國之聲"));
        assert_eq!(by_credit("<p>(德国之声中文网)美国"), Some("德國之聲"));
        assert_eq!(by_credit("<p>(DW) Berlin"), Some("德國之聲"));
        // A name set apart by a space is the writer.
        assert_eq!(
            opening_credit("<p>（德國之聲中文網 乐然）美國"),
            credit(Some("乐然"), Some("德國之聲"))
        );
        // A word glued to the name is not.
        assert_eq!(
            opening_credit("<p>（路透社消息）美國"),
            credit(None, Some("Reuters"))
        );
    }

    #[test]
    fn trailing_source_lines_are_not_the_outlet() {
        let tail = "<p>克里說。</p><p>（美聯社、衛報）</p><p><em>© 2022年德國之聲版權聲明</em></p>";
        assert_eq!(credits(tail).next(), sources(&["美聯社", "衛報"]));
        assert_eq!(opening_credit(tail), None);
        // A single known agency alone in its paragraph is a source line too.
        assert_eq!(credits("<p>（路透社）</p>").next(), sources(&["路透社"]));
        assert_eq!(by_credit("<p>（路透社）</p>"), None);
        assert_eq!(
            credits("<p>(Reuters, AFP)</p>").next(),
            sources(&["Reuters", "AFP"])
        );
        // Picture and source credits.
        assert_eq!(credits("<p>（图/路透社）</p>").next(), sources(&["路透社"]));
        assert_eq!(by_credit("<p>（来源：环球时报）美国"), None);
        // The source line is skipped; a later opening credit still counts.
        assert_eq!(
            by_credit("<p>（美聯社、衛報）</p><p>（德國之聲中文網）美國"),
            Some("德國之聲")
        );
    }

    #[test]
    fn brackets_inside_a_sentence_are_not_credits() {
        assert_eq!(by_credit("<p>据路透社（Reuters）报道"), None);
        assert_eq!(by_credit("<p>美國時間週二（德國之聲）出席"), None);
        assert_eq!(by_credit("<p>据<a href=x>（路透社）</a>报道"), None);
        assert_eq!(by_credit("<p>（10月25日）出席"), None);
        assert_eq!(by_credit("<p>(DWELL) home"), None);
        // Markdown: a line start counts.
        assert_eq!(
            by_credit("# 标题\n\n（德國之聲中文網）美國"),
            Some("德國之聲")
        );
    }

    #[test]
    fn only_the_top_of_the_body_is_read() {
        let late = format!("{}<p>（德國之聲中文網）美國", "<p>正文。</p>".repeat(400));
        assert!(late.len() > OPENING_SCAN);
        assert_eq!(opening_credit(&late), None);
        assert_eq!(
            opening_credit(&late[late.len() - 100..]),
            credit(None, Some("德國之聲"))
        );
    }

    #[test]
    fn outlets_found_inside_text() {
        assert_eq!(find_outlet("文/观察者网 李丽"), Some("观察者网"));
        assert_eq!(find_outlet("德國之聲中文網綜合報導"), Some("德國之聲"));
        assert_eq!(find_outlet("dw news"), Some("德國之聲"));
        assert_eq!(find_outlet("DWELL"), None);
        assert_eq!(find_outlet("李丽"), None);
    }
}

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

/// The outlet named by an agency credit near the top of a body, such as `（德國之聲中文網）` or
/// `(德国之声中文网)`. `prefix` is a bounded prefix of the body.
pub fn by_credit(prefix: &str) -> Option<&'static str> {
    for (open, close) in [("（", "）"), ("(", ")"), ("【", "】")] {
        let mut rest = prefix;
        while let Some(i) = rest.find(open) {
            let after = &rest[i + open.len()..];
            let Some(j) = after.find(close) else { break };
            let inner = &after[..j];
            if inner.len() <= 60 {
                if let Some(name) = by_name(inner) {
                    return Some(name);
                }
            }
            rest = after;
        }
    }
    None
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

    #[test]
    fn agency_credits() {
        assert_eq!(
            by_credit("<p>（德國之聲中文網）美國氣候特使"),
            Some("德國之聲")
        );
        assert_eq!(by_credit("<p>(德国之声中文网)美国"), Some("德國之聲"));
        assert_eq!(
            by_credit("<p>（美聯社、衛報）（德国之声）"),
            Some("德國之聲")
        );
        assert_eq!(by_credit("<p>（10月25日）出席"), None);
    }
}

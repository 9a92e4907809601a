//! Outlets: which news organisation a report comes from, and what the reader knows about it.
//!
//! The knowledge is data: `assets/outlets.toml` (compiled in) holds one table per outlet — its
//! display name, the other names it goes by (in front matter, in agency credits such as
//! （德國之聲中文網）), its hosts, the zone of the times it prints without one, its title suffixes,
//! byline hints and the page-furniture rules the cleaning stage uses. A file at
//! `$XDG_CONFIG_HOME/reader/outlets.toml` (else `~/.config/reader/outlets.toml`) adds outlets or
//! overrides fields of one (same key). A host that is in no table still names the outlet by the
//! host itself (`example.com`), as a last resort.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

/// The built-in table.
pub const BUILTIN: &str = include_str!("../../assets/outlets.toml");

/// How an outlet writes all-numeric dates such as `05/07/2020`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Day first (European): `05/07/2020` is 5 July.
    #[default]
    Dmy,
    /// Month first (American): `07/05/2020` is 5 July.
    Mdy,
}

/// One outlet and its rules.
#[derive(Clone, Debug)]
pub struct Outlet {
    /// The table key (`reuters`, `dw`, …).
    pub key: String,
    /// The name shown in the list and the metadata: the outlet's own (Chinese) name.
    pub name: String,
    /// Other spellings: the other script, English names, the services' names.
    pub aliases: Vec<String>,
    /// Registrable hosts; subdomains match too.
    pub hosts: Vec<String>,
    /// The zone of times the outlet prints without one, as written (`Europe/Paris`, `+08:00`).
    pub zone_name: Option<String>,
    /// The zone, resolved.
    pub zone: Option<jiff::tz::TimeZone>,
    /// How the outlet writes numeric dates.
    pub date_order: DateOrder,
    /// Title suffix patterns as written (regexes matched at the end of the title).
    pub title_suffixes: Vec<String>,
    /// Byline hints as written (regexes with a `name` group).
    pub byline: Vec<String>,
    /// Furniture for the cleaning stage: CSS selectors.
    pub strip: Vec<String>,
    /// Furniture for the cleaning stage: words that mark furniture in an `id` or `class`.
    pub strip_id_or_class: Vec<String>,
    /// Furniture for the cleaning stage: regexes of whole furniture lines or blocks.
    pub strip_text: Vec<String>,
    suffix_res: Vec<Regex>,
    byline_res: Vec<Regex>,
}

impl Outlet {
    /// The compiled title-suffix patterns, each anchored at the end of the title.
    pub fn suffix_patterns(&self) -> &[Regex] {
        &self.suffix_res
    }

    /// The compiled byline hints (each has a `name` group).
    pub fn byline_patterns(&self) -> &[Regex] {
        &self.byline_res
    }

    /// Every name the outlet goes by: the display name, then the aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// One table as written in a TOML file; every field optional so a user file can override one.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: Option<String>,
    aliases: Option<Vec<String>>,
    hosts: Option<Vec<String>>,
    zone: Option<String>,
    date_order: Option<DateOrder>,
    title_suffixes: Option<Vec<String>>,
    byline: Option<Vec<String>>,
    strip: Option<Vec<String>>,
    strip_id_or_class: Option<Vec<String>>,
    strip_text: Option<Vec<String>>,
}

impl Entry {
    fn merge(&mut self, over: Entry) {
        macro_rules! take {
            ($($f:ident),*) => { $( if over.$f.is_some() { self.$f = over.$f; } )* };
        }
        take!(
            name,
            aliases,
            hosts,
            zone,
            date_order,
            title_suffixes,
            byline
        );
        // Furniture rules add to the built-in ones: a user's rule for what they miss should
        // not drop them.
        macro_rules! add {
            ($($f:ident),*) => { $(
                if let Some(more) = over.$f {
                    self.$f.get_or_insert_with(Vec::new).extend(more);
                }
            )* };
        }
        add!(strip, strip_id_or_class, strip_text);
    }
}

/// The outlets, with indexes by host and by name.
#[derive(Debug, Default)]
pub struct Outlets {
    list: Vec<Outlet>,
    by_host: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
    /// Every written name (CJK exact, Latin lower-cased), longest first, for searching text.
    written: Vec<(String, usize)>,
    problems: Vec<String>,
}

impl Outlets {
    /// Builds the table from the built-in text and an optional user file (its path for messages
    /// and its text). A bad user file, or a bad entry in it, is reported in [`Outlets::problems`]
    /// as `PATH: line N: reason`, and everything else still works.
    pub fn parse(builtin: &str, user: Option<(&Path, &str)>) -> Outlets {
        let mut problems = Vec::new();
        let mut entries: Vec<(String, Entry)> = match toml::from_str::<toml::Table>(builtin) {
            Ok(t) => t
                .into_iter()
                .filter_map(|(k, v)| Some((k, v.try_into::<Entry>().ok()?)))
                .collect(),
            Err(e) => {
                problems.push(format!("built-in outlets.toml: {e}"));
                Vec::new()
            }
        };
        let mut user_lines: HashMap<String, usize> = HashMap::new();
        if let Some((path, text)) = user {
            let shown = crate::sanitize::clean_line(&path.display().to_string());
            match toml::from_str::<toml::Table>(text) {
                Err(e) => problems.push(format!(
                    "{shown}: {}{}; the built-in outlets are used",
                    e.span()
                        .map(|s| format!("line {}: ", line_of(text, s.start)))
                        .unwrap_or_default(),
                    e.message().trim()
                )),
                Ok(table) => {
                    for (key, value) in table {
                        let line = line_of(text, text.find(&format!("[{key}]")).unwrap_or(0));
                        match value.try_into::<Entry>() {
                            Ok(over) => {
                                user_lines.insert(key.clone(), line);
                                match entries.iter_mut().find(|(k, _)| *k == key) {
                                    Some((_, e)) => e.merge(over),
                                    None => entries.push((key, over)),
                                }
                            }
                            Err(e) => problems.push(format!(
                                "{shown}: line {line}: [{key}]: {}; entry skipped",
                                e.message().trim()
                            )),
                        }
                    }
                }
            }
            let _ = shown;
        }
        let shown_user = user.map(|(p, _)| crate::sanitize::clean_line(&p.display().to_string()));
        let mut list = Vec::new();
        for (key, e) in entries {
            let whence = match (user_lines.get(&key), &shown_user) {
                (Some(line), Some(p)) => format!("{p}: line {line}: [{key}]"),
                _ => format!("built-in outlets.toml: [{key}]"),
            };
            match build(key, e) {
                Ok(o) => list.push(o),
                Err(reason) => problems.push(format!("{whence}: {reason}; entry skipped")),
            }
        }
        let mut by_host = HashMap::new();
        let mut by_name = HashMap::new();
        let mut written = Vec::new();
        // Later entries (the user's) win a contested host or name.
        for (i, o) in list.iter().enumerate() {
            for h in &o.hosts {
                by_host.insert(h.to_ascii_lowercase(), i);
            }
            for n in o.names() {
                by_name.insert(fold(n), i);
                written.push((n.to_string(), i));
            }
        }
        written.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        Outlets {
            list,
            by_host,
            by_name,
            written,
            problems,
        }
    }

    /// The outlets, in table order.
    pub fn all(&self) -> &[Outlet] {
        &self.list
    }

    /// Problems met reading the tables (`PATH: line N: reason`).
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// The outlet written as `name` (its display name or an alias; Latin names ignore case).
    pub fn find(&self, name: &str) -> Option<&Outlet> {
        self.by_name.get(&fold(name.trim())).map(|&i| &self.list[i])
    }

    /// The outlet whose host (or a parent domain of it) is `host`.
    pub fn by_host(&self, host: &str) -> Option<&Outlet> {
        let mut h = host;
        loop {
            if let Some(&i) = self.by_host.get(h) {
                return Some(&self.list[i]);
            }
            h = h.split_once('.')?.1;
            if !h.contains('.') {
                return None;
            }
        }
    }
}

/// Lower-cases Latin names so `dw`, `DW` and `Dw` are one; CJK names are compared as written.
fn fold(name: &str) -> String {
    name.to_lowercase()
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

fn build(key: String, e: Entry) -> Result<Outlet, String> {
    let name = e
        .name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .ok_or("no `name`")?;
    let compile = |field: &str, pats: &[String], anchor: bool| -> Result<Vec<Regex>, String> {
        pats.iter()
            .map(|p| {
                let src = if anchor {
                    format!(r"(?:{p})\s*$")
                } else {
                    p.clone()
                };
                Regex::new(&src).map_err(|err| {
                    let err = err.to_string();
                    let last = err.lines().last().unwrap_or("").trim().to_string();
                    format!("{field}: bad pattern {p:?}: {last}")
                })
            })
            .collect()
    };
    let title_suffixes = e.title_suffixes.unwrap_or_default();
    let byline = e.byline.unwrap_or_default();
    let strip_text = e.strip_text.unwrap_or_default();
    let suffix_res = compile("title_suffixes", &title_suffixes, true)?;
    let byline_res = compile("byline", &byline, false)?;
    compile("strip_text", &strip_text, false)?;
    let zone = match e.zone.as_deref() {
        None => None,
        Some(z) => Some(super::dates::zone(z).ok_or_else(|| format!("zone: unknown zone {z:?}"))?),
    };
    Ok(Outlet {
        key,
        name,
        aliases: e.aliases.unwrap_or_default(),
        hosts: e
            .hosts
            .unwrap_or_default()
            .into_iter()
            .map(|h| h.trim().trim_start_matches("www.").to_ascii_lowercase())
            .collect(),
        zone_name: e.zone,
        zone,
        date_order: e.date_order.unwrap_or_default(),
        title_suffixes,
        byline,
        strip: e.strip.unwrap_or_default(),
        strip_id_or_class: e.strip_id_or_class.unwrap_or_default(),
        strip_text,
        suffix_res,
        byline_res,
    })
}

/// Where the user's outlet file is: `$XDG_CONFIG_HOME/reader/outlets.toml`, else
/// `~/.config/reader/outlets.toml`.
pub fn user_file() -> Option<PathBuf> {
    crate::config::dir().map(|d| d.join("outlets.toml"))
}

/// The table in use: the built-in one merged with the user's file, read once. Unit tests never
/// read the user's file.
pub fn table() -> &'static Outlets {
    static TABLE: OnceLock<Outlets> = OnceLock::new();
    TABLE.get_or_init(|| {
        let user = if cfg!(test) { None } else { user_file() };
        // A folder we may not look into holds no file of ours; a file we may not read is worth
        // a message.
        let user = user.filter(|p| std::fs::metadata(p).is_ok());
        let text = user
            .as_ref()
            .and_then(|p| match std::fs::read_to_string(p) {
                Ok(t) => Some(Ok(t)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => Some(Err(super::io_reason(&e))),
            });
        match (&user, text) {
            (Some(p), Some(Ok(t))) => Outlets::parse(BUILTIN, Some((p, &t))),
            (Some(p), Some(Err(reason))) => {
                let mut t = Outlets::parse(BUILTIN, None);
                t.problems.push(format!(
                    "{}: {reason}; the built-in outlets are used",
                    crate::sanitize::clean_line(&p.display().to_string())
                ));
                t
            }
            _ => Outlets::parse(BUILTIN, None),
        }
    })
}

/// Problems met reading the outlet tables (a bad user file), for `check` and the commands.
pub fn config_problems() -> &'static [String] {
    table().problems()
}

/// The known outlets.
pub fn all() -> &'static [Outlet] {
    table().all()
}

/// The rules of the outlet named `name` (display name or alias), e.g. from [`super::Article::outlet`].
pub fn rules(name: &str) -> Option<&'static Outlet> {
    table().find(name)
}

/// The outlet's display name for a name as written (exact match on name or alias, case-insensitive
/// for Latin names).
pub fn by_name(written: &str) -> Option<&'static str> {
    rules(written).map(|o| o.name.as_str())
}

/// True when `query` names the outlet `outlet` (a display name): any alias, either script,
/// English, ignoring case; also a part of one of its names (`路透` finds 路透社 reports).
pub fn matches(outlet: &str, query: &str) -> bool {
    let q = fold(query.trim());
    if q.is_empty() {
        return true;
    }
    if fold(outlet).contains(&q) {
        return true;
    }
    rules(outlet).is_some_and(|o| o.names().any(|n| fold(n).contains(&q)))
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
    table().by_host(&host).map(|o| o.name.as_str())
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
    let t = table();
    let mut best: Option<(usize, usize, usize)> = None;
    for (written, i) in &t.written {
        let Some(at) = find_word(text, written) else {
            continue;
        };
        let better = match best {
            None => true,
            Some((b_at, b_len, _)) => at < b_at || (at == b_at && written.len() > b_len),
        };
        if better {
            best = Some((at, written.len(), *i));
        }
    }
    best.map(|(_, _, i)| t.list[i].name.as_str())
}

/// The length of the known outlet name `word` starts with, the longest if several.
fn find_outlet_at_start(word: &str) -> Option<usize> {
    table()
        .written
        .iter()
        .map(|(w, _)| w.as_str())
        .find(|w| {
            word.get(..w.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(w))
                && (!w.is_ascii()
                    || !word[w.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
        })
        .map(str::len)
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
            credit(None, Some("路透"))
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

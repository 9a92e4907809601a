//! The first and last lines of a body: the dateline (`<div><i>NAME<br>2020-07-05T13:33:34Z</i></div>`,
//! `<div>05/07/2020 - 23:41</div>`, `日期：2020年7月20日`, `发布时间：…`), the byline beside it,
//! credit lines (`作者：`, `记者：`, `文/`, `By …`), editor lines (`编译 刘静；审校 李军`, `责编：`),
//! the agency credit that opens a wire report (`（法新社巴黎20日电）`, `路透伦敦7月20日 -`), and
//! `Post tags:` lines. Plain string search over a bounded prefix and suffix: the list pass runs
//! this for every file.

use std::ops::Range;

use super::dates::{self, Found};
use super::outlet::{self, DateOrder};
use super::scan;

/// How many text lines at the top are looked at for a dateline or byline.
const LEAD_LINES: usize = 8;
/// How many text lines at the end are looked at for credits and tags.
const CLOSING_LINES: usize = 12;
/// How far from the end the closing lines are looked for, in bytes.
pub const CLOSING_SCAN: usize = 4096;
/// A dateline is a short line: longer text with a date in it is the report itself.
const MAX_DATELINE_CHARS: usize = 80;
/// The longest credit line read.
const MAX_CREDIT_CHARS: usize = 60;

/// One line of text: its byte range in the scanned HTML, the text (tags stripped, entities
/// decoded, one line), and whether a `<br>` (not a block boundary) came before it.
#[derive(Debug)]
struct Line {
    range: Range<usize>,
    text: String,
    after_br: bool,
}

/// What the top and the end of a body say.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Lead {
    /// The dateline's date, and where in the body it was.
    pub date: Option<Found>,
    /// The byte range within the scanned body of the dateline's text together with the byline
    /// written beside it (the renderer can show them once in the header line).
    pub block: Option<Range<usize>>,
    /// The byline beside the dateline, or from a credit line (`作者：…`).
    pub author: Option<String>,
    /// The byte range within the scanned body of a line at the top that is a byline and nothing
    /// else (`<p>Von Anna Schmidt</p>`, no dateline beside it), which gave [`Lead::author`].
    pub byline_line: Option<Range<usize>>,
    /// Agencies credited: the opening credit of a wire report, source lines at the end.
    pub agency: Vec<String>,
    /// Translators and editors.
    pub editors: Vec<String>,
    /// Tags from a `Post tags:` line or `rel="tag"` links.
    pub tags: Vec<String>,
    /// The name leading the first line of text after the dateline (`方方：我一向热爱武汉…`):
    /// a columnist's when the title leads with it too (see `parse`).
    pub standfirst_name: Option<String>,
    /// The whole line [`Lead::standfirst_name`] leads (a caption repeating the title is no
    /// standfirst).
    pub standfirst_line: Option<String>,
}

/// Splits `html` into text lines at block tags and `<br>`.
fn lines(html: &str, limit: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut start = 0;
    let mut joined = false;
    let push = |from: usize, to: usize, after_br: bool, out: &mut Vec<Line>| {
        let raw = &html[from..to];
        if raw.trim().is_empty() || !raw.contains(|c: char| !c.is_whitespace() && c != '<') {
            return false;
        }
        let text = crate::sanitize::clean_line(&scan::strip_tags(raw));
        let text = collapse(&text);
        if text.is_empty() {
            return false;
        }
        // The range covers the text, not the surrounding tags.
        let lead = raw.len() - raw.trim_start().len();
        let trail = raw.len() - raw.trim_end().len();
        out.push(Line {
            range: from + lead..to - trail,
            text,
            after_br,
        });
        true
    };
    while i < bytes.len() && out.len() < limit {
        if bytes[i] == b'<' {
            // An unclosed tag runs to the end of the text (cut at a character boundary).
            let (tag, end) = match html[i..].find('>') {
                Some(n) => (&html[i + 1..i + n], i + n + 1),
                None => (&html[i + 1..], bytes.len()),
            };
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            let is_br = name == "br";
            let is_block = is_br
                || matches!(
                    name.as_str(),
                    "div"
                        | "p"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "li"
                        | "ul"
                        | "ol"
                        | "hr"
                        | "figure"
                        | "figcaption"
                        | "table"
                        | "tr"
                        | "td"
                        | "section"
                        | "article"
                        | "header"
                        | "footer"
                        | "blockquote"
                        | "img"
                        | "time"
                        | "aside"
                        | "dl"
                        | "dt"
                        | "dd"
                );
            if is_block {
                let pushed = push(start, i, joined, &mut out);
                // A line joins the next one when only `<br>`s come between them.
                joined = if pushed { is_br } else { joined && is_br };
                start = end;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    if out.len() < limit {
        push(start, html.len(), joined, &mut out);
    }
    out
}

/// One space for each run of white space.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Labels a page prints before its date.
const DATE_LABELS: &[&str] = &[
    "发布时间",
    "發布時間",
    "发表时间",
    "發表時間",
    "更新时间",
    "更新時間",
    "出版时间",
    "出版時間",
    "日期",
    "时间",
    "時間",
    "发布",
    "發布",
    "更新",
    "Published",
    "Updated",
    "Posted",
    "Date",
];

/// Reads the top and the end of a body (`head` is a bounded prefix, `tail` a bounded suffix, and
/// `tail_offset` where it starts in the body).
pub fn read(head: &str, tail: &str, order: DateOrder) -> Lead {
    let mut lead = Lead::default();
    let top = lines(head, LEAD_LINES);
    for (k, line) in top.iter().enumerate() {
        if lead.date.is_some() {
            break;
        }
        let labelled = DATE_LABELS.iter().any(|l| {
            line.text.starts_with(l)
                && line.text[l.len()..]
                    .trim_start()
                    .starts_with([':', '：', ' '])
        });
        let short = line.text.chars().count() <= MAX_DATELINE_CHARS;
        if !short && !labelled {
            // `WIEN, 3. Mai 2024 – Der Gemeinderat…`: the date is read, the text stays whole.
            if let Some(found) = opening_dateline(&line.text, order) {
                lead.date = Some(found);
            }
            continue;
        }
        let Some((at, found)) = dates::find_dates(&line.text, order).into_iter().next() else {
            continue;
        };
        // In a short line the date must be most of it: "5日起实施的措施" is no dateline.
        let rest = format!("{}{}", &line.text[..at.start], &line.text[at.end..]);
        let rest =
            rest.trim_matches(|c: char| c.is_whitespace() || "|｜-–—·:：,，()（）".contains(c));
        let rest_is_label_or_name = labelled
            || rest.is_empty()
            || DATE_LABELS.iter().any(|l| rest.starts_with(l))
            || rest.chars().count() <= 24;
        if !rest_is_label_or_name {
            continue;
        }
        lead.date = Some(found);
        let mut block = line.range.clone();
        // `NAME<br>DATE` in one block: the name is the byline.
        if line.after_br && k > 0 {
            let prev = &top[k - 1];
            if let Some(name) = byline_name(&prev.text) {
                lead.author = Some(name);
            } else if let Some(o) = outlet::by_name(prev.text.trim()) {
                // `ARD<br>DATE`: another outlet's material, credited as such.
                push_unique(&mut lead.agency, o.to_string());
            }
            block.start = prev.range.start;
        } else if !rest.is_empty() && !labelled {
            // `NAME · DATE` on one line.
            let before = line.text[..at.start].trim();
            if let Some(name) =
                byline_name(before.trim_end_matches(['|', '｜', '·', '-', '–', '—', ',']))
            {
                lead.author = Some(name);
            }
        }
        lead.block = Some(block);
    }
    for line in top.iter().take(LEAD_LINES) {
        let had_author = lead.author.is_some();
        credit_line(&line.text, &mut lead, true);
        if !had_author && lead.author.is_some() && lead.block.is_none() && only_a_byline(&line.text)
        {
            lead.byline_line = Some(line.range.clone());
        }
    }
    let dateline_end = lead.block.as_ref().map_or(0, |b| b.end);
    if let Some((name, line)) = top
        .iter()
        .find(|l| l.range.start >= dateline_end)
        .and_then(|l| {
            let (name, rest) = l.text.split_once(['：', ':'])?;
            (!rest.trim().is_empty() && looks_like_a_person(name.trim()))
                .then(|| byline_name(name))
                .flatten()
                .map(|n| (n, l.text.clone()))
        })
    {
        lead.standfirst_name = Some(name);
        lead.standfirst_line = Some(line);
    }
    if let Some(agency) = top.iter().find_map(|l| agency_credit(&l.text)) {
        push_unique(&mut lead.agency, agency);
    }
    let closing = lines(tail, usize::MAX);
    let skip = closing.len().saturating_sub(CLOSING_LINES);
    for line in &closing[skip..] {
        credit_line(&line.text, &mut lead, false);
        if let Some(rest) = [
            "Post tags:",
            "Tags:",
            "标签：",
            "標籤：",
            "标签:",
            "關鍵字：",
        ]
        .iter()
        .find_map(|l| line.text.strip_prefix(l))
        {
            for t in rest.split([',', '，', '、', '|', '/']) {
                let t = t.trim();
                if !t.is_empty() && t.chars().count() <= 30 {
                    push_unique(&mut lead.tags, t.to_string());
                }
            }
        }
    }
    for t in rel_tags(tail) {
        push_unique(&mut lead.tags, t);
    }
    lead
}

/// How far into a paragraph a wire-style dateline's date may end, in bytes.
const OPENING_DATELINE_BYTES: usize = 120;
/// The longest place name before a wire-style dateline's date, in characters.
const MAX_PLACE_CHARS: usize = 40;

/// Lower-case words inside place names.
const PLACE_PARTICLES: &[&str] = &[
    "am", "an", "der", "im", "ob", "bei", "de", "du", "des", "la", "le", "les", "sur", "en", "del",
    "di", "da", "do", "upon", "on",
];

/// The date of a wire-style dateline opening a paragraph of story text, in any language: a
/// place (capitalised, at most four words, no digits or sentence punctuation; an agency in
/// brackets may follow it) and a comma, then the date, then a dash: `WIEN, 3. Mai 2024 – …`,
/// `PARIS (AFP), 3 mai 2024 — …`, `New York, May 3, 2024 - …`. A sentence that merely starts
/// with a date or mentions one (`Am 3. Mai 2024 hat…`) has no dash right after it.
fn opening_dateline(text: &str, order: DateOrder) -> Option<Found> {
    let mut cut = text.len().min(OPENING_DATELINE_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let (at, found) = dates::find_dates(&text[..cut], order).into_iter().next()?;
    let place = text[..at.start]
        .trim_end()
        .strip_suffix([',', '，'])?
        .trim();
    // The place's words are capitalised but for the particles of place names
    // (`Frankfurt am Main`, `Saint-Denis-de-la-Réunion`, `Rio de Janeiro`); an agency in brackets
    // may follow (`PARIS (AFP)`).
    let name = place.split_once('(').map_or(place, |(name, agency)| {
        if agency.ends_with(')') {
            name.trim_end()
        } else {
            ""
        }
    });
    let words_ok = name.split_whitespace().enumerate().all(|(i, w)| {
        w.chars().next().is_some_and(char::is_uppercase) || (i > 0 && PLACE_PARTICLES.contains(&w))
    });
    let place_ok = words_ok
        && !name.is_empty()
        && place.chars().count() <= MAX_PLACE_CHARS
        && name.split_whitespace().count() <= 4
        && !place.contains(|c: char| c.is_ascii_digit() || ".!?:;。！？：；\"“”„«»".contains(c));
    if !place_ok {
        return None;
    }
    let mut after = text[at.end..].trim_start();
    if let Some(rest) = after.strip_prefix('(') {
        let (agency, rest) = rest.split_once(')')?;
        if agency.chars().count() > 20 {
            return None;
        }
        after = rest.trim_start();
    }
    let dash = after.strip_prefix(['–', '—', '-'])?;
    dash.starts_with(char::is_whitespace).then_some(found)
}

/// Texts of `<a rel="tag">` links.
fn rel_tags(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = scan::find_ascii_ci(rest, "<a ") {
        let after = &rest[i + 3..];
        let Some(end) = after.find('>') else { break };
        let tag = &after[..end];
        let is_tag = scan::attr(tag, "rel")
            .is_some_and(|r| r.split_whitespace().any(|w| w.eq_ignore_ascii_case("tag")));
        rest = &after[end + 1..];
        if is_tag {
            let close = scan::find_ascii_ci(rest, "</a").unwrap_or(0);
            let text = collapse(&crate::sanitize::clean_line(&scan::strip_tags(
                &rest[..close],
            )));
            if !text.is_empty() && text.chars().count() <= 30 {
                out.push(text);
            }
        }
    }
    out
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Roles that credit the writer.
const AUTHOR_ROLES: &[&str] = &[
    "采访记者",
    "採訪記者",
    "特约记者",
    "特約記者",
    "记者",
    "記者",
    "作者",
    "撰文",
    "撰稿",
    "文",
    "By",
    "by",
    // The bylines of other languages: German, French, Spanish and Portuguese, Italian, Dutch,
    // Scandinavian. Only before a name (see `latin_name`): `Von hier aus…` is no byline.
    "Von",
    "von",
    "Par",
    "par",
    "Por",
    "por",
    "Di",
    "Door",
    "Av",
    "Af",
];

/// Particles inside a Latin-script name (`Ursula von der Leyen`, `María de la Cruz`).
const NAME_PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "del", "della", "di", "da", "do", "dos", "du", "la", "le",
    "y", "e", "und", "and", "et", "ten", "ter", "zu", "bin", "al",
];

/// A byline's value in Latin script is names: one to six words, each capitalised or a particle,
/// at least one capitalised, no sentence punctuation (`Anna Schmidt`, `Jean Dupont et Marie
/// Curie`; not `eso`, `den Plänen profitieren`).
fn latin_names(value: &str) -> bool {
    let words: Vec<&str> = value.split_whitespace().collect();
    (1..=6).contains(&words.len())
        && words
            .iter()
            .any(|w| w.chars().next().is_some_and(char::is_uppercase))
        && words.iter().all(|w| {
            NAME_PARTICLES.contains(w)
                || (w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars()
                        .all(|c| c.is_alphabetic() || matches!(c, '-' | '.' | '\'' | '’')))
        })
}
/// Roles that credit a translator or editor.
const EDITOR_ROLES: &[&str] = &[
    "责任编辑",
    "責任編輯",
    "责编",
    "責編",
    "网编",
    "網編",
    "编辑",
    "編輯",
    "编译",
    "編譯",
    "审校",
    "審校",
    "翻译",
    "翻譯",
    "校对",
    "校對",
    "发稿",
    "發稿",
    "Edited by",
    "Translated by",
];
/// Words after a name that are no part of it: `（综合报道）`, `(摘编)`.
const NAME_NOTES: &[&str] = &[
    "综合报道",
    "綜合報導",
    "綜合報道",
    "摘编",
    "摘編",
    "编译",
    "編譯",
    "报道",
    "報導",
    "采访记者",
    "採訪記者",
    "整理",
];

/// A writer's name from a byline as written: `null` (a generator artefact), roles, outlet names
/// and notes such as `（综合报道）` removed, spaces collapsed, a doubled name once. `None` when
/// nothing that looks like a name is left.
pub fn byline_name(raw: &str) -> Option<String> {
    let mut s = collapse(raw);
    loop {
        let before = s.clone();
        for junk in ["null", "undefined", "None"] {
            if let Some(r) = s.strip_prefix(junk) {
                if r.is_empty() || r.starts_with(' ') {
                    s = r.trim().to_string();
                }
            }
        }
        for role in AUTHOR_ROLES {
            if let Some(r) = s.strip_prefix(role) {
                let r2 = r.trim_start();
                if let Some(r3) = r2.strip_prefix([':', '：', '/', '／', '|', '｜']) {
                    s = r3.trim().to_string();
                } else if role.is_ascii() && r.starts_with(' ') {
                    s = r2.to_string();
                }
            }
        }
        // Trailing notes in brackets.
        for (o, c) in [("（", "）"), ("(", ")")] {
            if s.ends_with(c) {
                if let Some(i) = s.rfind(o) {
                    let inner = &s[i + o.len()..s.len() - c.len()];
                    if NAME_NOTES.iter().any(|n| inner.trim() == *n) {
                        s = s[..i].trim().to_string();
                    }
                }
            }
        }
        // A trailing note after a space: `赵六 报道`.
        if let Some((name, note)) = s.rsplit_once(' ') {
            if NAME_NOTES.contains(&note) {
                s = name.trim().to_string();
            }
        }
        if s == before {
            break;
        }
    }
    // The outlet itself (`德国之声 中文网`) is no writer.
    let joined: String = s.split_whitespace().collect();
    if outlet::by_name(&s).is_some() || outlet::by_name(&joined).is_some() {
        return None;
    }
    // An outlet's name before the writer's (`观察者网 王世纯`).
    if let Some((first, rest)) = s.split_once(' ') {
        if outlet::by_name(first).is_some() {
            s = rest.trim().to_string();
        }
    }
    if s.is_empty() || s.chars().count() > 40 {
        return None;
    }
    // The outlet itself (`德国之声 中文网`) is no writer.
    let joined: String = s.split_whitespace().collect();
    if outlet::by_name(&s).is_some() || outlet::by_name(&joined).is_some() {
        return None;
    }
    if s.contains(['。', '，', '！', '？', '“', '"', '：', ':'])
        || s.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    // A doubled name once: `李丽 李丽`.
    let words: Vec<&str> = s.split(' ').collect();
    if words.len() % 2 == 0
        && words.len() >= 2
        && words[..words.len() / 2] == words[words.len() / 2..]
    {
        s = words[..words.len() / 2].join(" ");
    }
    Some(s)
}

/// A personal name's shape, not a programme's or a column's (`时事大家谈`, `焦点对话`): two or
/// three Han characters (a compound surname's four are rarer than four-character programme
/// names), or two or three capitalised Latin words.
fn looks_like_a_person(name: &str) -> bool {
    if name
        .chars()
        .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '·')
    {
        return (2..=3).contains(&name.chars().count());
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    (2..=3).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '.')
        })
}

/// Reads a credit line (`作者：李丽`, `文/张三`, `编译 刘静；审校 李军`, `By Jane Doe`) into the
/// author or the editors.
fn credit_line(text: &str, lead: &mut Lead, at_top: bool) {
    if text.chars().count() > MAX_CREDIT_CHARS {
        return;
    }
    let t = text.trim();
    // A bracketed credit must be the whole line: `【文/观察者网 李丽】据…` is the opening credit's
    // business (see `outlet::opening_credit`).
    if t.starts_with(['（', '(', '【', '[']) && !t.ends_with(['）', ')', '】', ']']) {
        return;
    }
    let inner = t
        .trim_start_matches(['（', '(', '【', '['])
        .trim_end_matches(['）', ')', '】', ']'])
        .trim();
    // `编译 王凤昌 发稿 朱淑珍`: a role after a space starts another credit.
    let mut marked = inner.to_string();
    for role in EDITOR_ROLES.iter().filter(|r| !r.is_ascii()) {
        // Each replacement below needs a space and the role: most lines have neither, and
        // this runs on every short paragraph of every report loaded or indexed.
        if !marked.contains(' ') {
            break;
        }
        if !marked.contains(role) {
            continue;
        }
        for mark in [" ", "：", ":", "/", "／"] {
            marked = marked.replace(&format!(" {role}{mark}"), &format!("；{role}{mark}"));
        }
    }
    for part in marked.split(['；', ';', '，', ',']).map(str::trim) {
        if let Some(names) = role_value(part, EDITOR_ROLES) {
            // `编译/审校 艾茂林/王灿`: the second role is no name.
            let names = names
                .split(['、', '/', '／', ' '])
                .filter(|n| !EDITOR_ROLES.contains(&n.trim()));
            for n in names.filter_map(byline_name) {
                push_unique(&mut lead.editors, n);
            }
            continue;
        }
        if let Some(names) = role_value(part, AUTHOR_ROLES) {
            // Latin-script roles (`By`, `Von`, `Par`…) only at the top, where they are a
            // byline, and only before names; `文/` etc. anywhere.
            let latin = part.starts_with(|c: char| c.is_ascii_alphabetic());
            if latin && (!at_top || !latin_names(names)) {
                continue;
            }
            if lead.author.is_none() {
                let first = names
                    .split(['、', '/', '／'])
                    .filter_map(byline_name)
                    .collect::<Vec<_>>()
                    .join(" ");
                if !first.is_empty() {
                    lead.author = Some(first);
                }
            }
        }
    }
}

/// True for a line that is one author credit and nothing else (`Von Anna Schmidt`, `作者：张三`,
/// `（记者 李四）`): no editor's credit, no second part, so the header line says all it says.
fn only_a_byline(text: &str) -> bool {
    let inner = text
        .trim()
        .trim_start_matches(['（', '(', '【', '['])
        .trim_end_matches(['）', ')', '】', ']'])
        .trim();
    !inner.contains(['；', ';', '，', ',', '。'])
        && role_value(inner, AUTHOR_ROLES).is_some()
        && role_value(inner, EDITOR_ROLES).is_none()
        && !EDITOR_ROLES
            .iter()
            .filter(|r| !r.is_ascii())
            .any(|r| inner.contains(&format!(" {r}")))
}

/// The text after a role and its mark (`编译 刘静`, `责编：王五`, `文/张三`, `By Jane Doe`).
fn role_value<'a>(part: &'a str, roles: &[&str]) -> Option<&'a str> {
    roles.iter().find_map(|role| {
        let rest = part.strip_prefix(role)?;
        let trimmed = rest.trim_start();
        let value = if let Some(v) = trimmed.strip_prefix([':', '：', '/', '／', '|', '｜']) {
            v.trim()
        } else if rest.starts_with([' ', '\u{3000}'])
            && (role.chars().count() >= 2 || role.is_ascii())
        {
            trimmed
        } else {
            return None;
        };
        (!value.is_empty()).then_some(value)
    })
}

/// The agency credit opening a wire report: `（法新社巴黎20日电）`, `路透阿姆斯特丹7月3日 -`,
/// `【新华社北京7月3日电】`, `中新网7月3日电`, `(AFP) -`. The agency's display name.
pub fn agency_credit(first: &str) -> Option<String> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(concat!(
            r"^[（(【\[]?\s*(?P<who>[\p{Han}A-Za-z]{2,12}?)\s*(?P<place>[\p{Han}]{0,10}?)\s*",
            r"(?:\d{4}年)?(?:\d{1,2}月)?\d{1,2}日\s*(?:电|電|讯|訊|消息)?\s*(?:[）)】\]]|\s+[-–—]|\s*[-–—])"
        ))
        .expect("static agency regex")
    });
    let c = re.captures(first.trim())?;
    let who = c.name("who")?.as_str();
    // The agency is a known outlet whose name opens the credit (路透, 法新社, 新华社, …).
    let name = outlet::by_name(who).or_else(|| {
        outlet::all()
            .iter()
            .filter_map(|o| {
                o.names()
                    .filter(|n| {
                        !n.is_ascii()
                            && first
                                .trim_start_matches(['（', '(', '【', '['])
                                .starts_with(n)
                    })
                    .map(str::len)
                    .max()
                    .map(|l| (l, o.name.as_str()))
            })
            .max()
            .map(|(_, n)| n)
    })?;
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date_of(head: &str) -> Option<String> {
        read(head, "", DateOrder::Dmy).date.map(|f| f.text)
    }

    #[test]
    fn an_unclosed_tag_before_a_wide_character_does_not_panic() {
        // Found by tests/article_props: the tag ran to the end of the text, cut one byte early.
        let l = read("<p>张三</p><!--1666748\u{fffd}\u{fffd}", "", DateOrder::Dmy);
        assert!(l.date.is_none());
        let _ = read("<b\u{fffd}", "", DateOrder::Dmy);
    }

    #[test]
    fn a_byline_line_without_a_dateline_gives_its_range() {
        let head = "<p>Von Anna Schmidt</p><p>Der Stadtrat hat am Dienstag beschlossen.</p>";
        let l = read(head, "", DateOrder::Dmy);
        assert_eq!(l.author.as_deref(), Some("Anna Schmidt"));
        assert_eq!(l.byline_line.map(|r| &head[r]), Some("Von Anna Schmidt"));
        // A line crediting an editor too says more than the header line: it stays.
        let head = "<p>记者 张三 编译 李四</p><p>正文。</p>";
        let l = read(head, "", DateOrder::Dmy);
        assert_eq!(l.author.as_deref(), Some("张三"));
        assert_eq!(l.byline_line, None);
        // Story text starting with a role word is no byline.
        let l = read(
            "<p>Von hier aus sieht man die Stadt.</p>",
            "",
            DateOrder::Dmy,
        );
        assert_eq!((l.author, l.byline_line), (None, None));
        // Beside a dateline, the dateline's block covers it.
        let head = "<div><i>洪沙<br>2020-07-05T13:33:34.166Z</i></div><p>正文</p>";
        assert_eq!(read(head, "", DateOrder::Dmy).byline_line, None);
    }

    #[test]
    fn dw_dateline_and_byline() {
        let l = read(
            "<div><i>  洪沙 （综合报道）<br>2020-07-05T13:33:34.166Z</i></div><img src=x><p>（德国之声中文网）美国",
            "",
            DateOrder::Dmy,
        );
        assert_eq!(
            l.date.as_ref().map(|f| f.text.as_str()),
            Some("2020-07-05T13:33:34.166Z")
        );
        assert_eq!(l.author.as_deref(), Some("洪沙"));
        let l = read(
            "<div><i>  ARD<br>2020-07-05T14:32:43.321Z</i></div><p>（德国之声中文网）在德国",
            "",
            DateOrder::Dmy,
        );
        assert_eq!((l.author, l.agency), (None, vec!["ARD".to_string()]));
        let l = read(
            "<div><i>德国之声 中文网<br>2020-07-05T14:32:43.321Z</i></div>",
            "",
            DateOrder::Dmy,
        );
        assert_eq!((l.author, l.agency), (None, vec![]));
        let head = "<div><i>  洪沙 （综合报道）<br>2020-07-05T13:33:34.166Z</i></div>";
        let block = read(head, "", DateOrder::Dmy).block.unwrap();
        assert_eq!(
            &head[block],
            "<i>  洪沙 （综合报道）<br>2020-07-05T13:33:34.166Z</i>"
        );
        for (raw, want) in [
            ("null 张筠青（综合报道）", Some("张筠青")),
            ("采访记者： William Yang", Some("William Yang")),
            ("William  Yang", Some("William Yang")),
            ("德国之声 中文网", None),
            ("null", None),
            ("苗子(摘编)", Some("苗子")),
            ("李丽 李丽", Some("李丽")),
        ] {
            assert_eq!(byline_name(raw).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn dateline_forms() {
        assert_eq!(
            date_of("<div>05/07/2020 - 23:41</div><p>text").as_deref(),
            Some("05/07/2020 - 23:41")
        );
        assert_eq!(
            date_of("<div><i>2020年 7月 5日</i></div>").as_deref(),
            Some("2020年 7月 5日")
        );
        assert_eq!(
            date_of("<div><i>Sun, 05 Jul 2020 21:08:24 GMT</i></div>").as_deref(),
            Some("Sun, 05 Jul 2020 21:08:24 GMT")
        );
        assert_eq!(
            date_of("<p>日期：2020年7月20日 17:50</p>").as_deref(),
            Some("2020年7月20日 17:50")
        );
        assert_eq!(
            date_of("<p>发布时间：2020-07-20 17:50:03</p>").as_deref(),
            Some("2020-07-20 17:50:03")
        );
        // A date inside the report's text is no dateline.
        assert_eq!(
            date_of("<p>新法将于2020年7月5日起在全港实施，违者将被追究刑事责任并处以罚款。</p>"),
            None
        );
    }

    #[test]
    fn a_wire_style_dateline_opening_the_story_gives_the_date() {
        for (head, want) in [
            (
                "<p>Von Maria Huber</p><p>WIEN, 3. Mai 2024 – Der Gemeinderat hat am Freitag die neue Straßenbahnlinie beschlossen, die ab 2026 fährt.</p>",
                "3. Mai 2024",
            ),
            (
                "<p>PARIS (AFP), 3 mai 2024 — Le conseil municipal a voté mardi un plan de rénovation des écoles de la ville.</p>",
                "3 mai 2024",
            ),
            (
                "<p>New York, May 3, 2024 (Reuters) - Stocks rose on Friday as investors weighed the latest jobs report from the government.</p>",
                "May 3, 2024",
            ),
            (
                "<p>Frankfurt am Main, 20.07.2020 - Die Europäische Zentralbank lässt die Zinsen unverändert, wie sie am Montag mitteilte.</p>",
                "20.07.2020",
            ),
        ] {
            let l = read(head, "", DateOrder::Dmy);
            assert_eq!(l.date.map(|f| f.text).as_deref(), Some(want), "{head}");
            // The paragraph is story text: nothing of it is taken out of the body.
            assert_eq!(l.block, None, "{head}");
        }
        // A date in a sentence, a sentence before the date, no dash after it: no dateline.
        for head in [
            "<p>Am 3. Mai 2024 hat der Gemeinderat die neue Straßenbahnlinie beschlossen, die ab 2026 den Westen verbindet.</p>",
            "<p>Der Gemeinderat hat am 3. Mai 2024 – nach langer Debatte – die neue Straßenbahnlinie beschlossen, sagte er.</p>",
            "<p>WIEN, 3. Mai 2024 hat der Gemeinderat die neue Straßenbahnlinie beschlossen, die ab 2026 den Westen verbindet.</p>",
            "<p>Seit dem Beschluss vom 3. Mai 2024 – so die Stadt – ist die Straßenbahnlinie im Bau und soll 2026 fahren.</p>",
        ] {
            assert_eq!(read(head, "", DateOrder::Dmy).date, None, "{head}");
        }
    }

    #[test]
    fn editors_agency_and_tags() {
        let l = read(
            "<p>路透阿姆斯特丹7月3日 - 荷兰央行总裁暨欧洲央行管理委员会委员克诺特周五表示，欧元区经济衰退程度超过欧洲央行基准预估的风险已经降低。</p>",
            "<p>(完)</p><div><p class=\"Attribution_content\">编译 刘静；审校 李军 </p></div><p>Post tags: 香港, 国安法</p><a rel=\"tag\" href=\"/t\">人权</a>",
            DateOrder::Dmy,
        );
        assert_eq!(l.agency, ["路透"]);
        assert_eq!(l.editors, ["刘静", "李军"]);
        assert_eq!(l.tags, ["香港", "国安法", "人权"]);
        assert_eq!(l.author, None);
        assert_eq!(
            agency_credit("（法新社巴黎20日电）法国总统").as_deref(),
            Some("法新社")
        );
        assert_eq!(
            agency_credit("【新华社北京7月3日电】").as_deref(),
            Some("新华网")
        );
        assert_eq!(agency_credit("美国总统7月3日表示"), None);
    }

    #[test]
    fn credit_lines_give_the_author() {
        let l = read(
            "<p>作者：李丽</p><p>正文很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长。</p>",
            "<p>责编：王五</p>",
            DateOrder::Dmy,
        );
        assert_eq!(l.author.as_deref(), Some("李丽"));
        assert_eq!(l.editors, ["王五"]);
        // Credits without a separator between them; several names to a role.
        let l = read(
            "",
            "<p>(完)</p><p class=\"Attribution_content\">编译 蔡美珍/孙茉莉 审校 白云/王兴亚 </p>",
            DateOrder::Dmy,
        );
        assert_eq!(l.editors, ["蔡美珍", "孙茉莉", "白云", "王兴亚"]);
        let l = read("", "<p>编译 王凤昌 发稿 朱淑珍</p>", DateOrder::Dmy);
        assert_eq!(l.editors, ["王凤昌", "朱淑珍"]);
        let l = read("", "<p>编译/审校 艾茂林/王灿 王灿</p>", DateOrder::Dmy);
        assert_eq!(l.editors, ["艾茂林", "王灿"]);
        assert_eq!(l.author, None);
        // 网编 and 翻译 are editors; a writer credited at the end is the author.
        let l = read(
            "",
            "<p>正文。</p><p>文/张三</p><p>网编：李四 翻译：王五</p>",
            DateOrder::Dmy,
        );
        assert_eq!(l.author.as_deref(), Some("张三"));
        assert_eq!(l.editors, ["李四", "王五"]);
        let l = read("<p>记者 赵六 报道</p>", "", DateOrder::Dmy);
        assert_eq!(l.author.as_deref(), Some("赵六"));
        let l = read(
            "<div>30/06/2020 - 13:54</div><p><strong>方方：我一向热爱武汉，从未想过离开这里。</strong></p><p>文/方方</p>",
            "",
            DateOrder::Dmy,
        );
        assert_eq!(l.standfirst_name.as_deref(), Some("方方"));
        let l = read(
            "<p>针对人大通过国安法，林郑月娥说：欢迎。</p>",
            "",
            DateOrder::Dmy,
        );
        assert_eq!(l.standfirst_name, None);
        // A programme's name leading the standfirst is no person.
        for programme in [
            "时事大家谈：北京疫情复燃",
            "焦点对话：中印冲突",
            "Newsline：today",
        ] {
            let l = read(&format!("<p>{programme}</p>"), "", DateOrder::Dmy);
            assert_eq!(l.standfirst_name, None, "{programme}");
        }
        let l = read("<p>Frank Sieren：中国</p>", "", DateOrder::Dmy);
        assert_eq!(l.standfirst_name.as_deref(), Some("Frank Sieren"));
        let l = read("<p>By Jane Doe</p>", "", DateOrder::Dmy);
        assert_eq!(l.author.as_deref(), Some("Jane Doe"));
        for (line, name) in [
            ("Von Anna Schmidt", Some("Anna Schmidt")),
            ("Von Ursula von der Leyen", Some("Ursula von der Leyen")),
            ("Par Jean Dupont, envoyé spécial", Some("Jean Dupont")),
            (
                "Por María García y José Pérez",
                Some("María García y José Pérez"),
            ),
            ("Door Jan de Vries", Some("Jan de Vries")),
            ("Von hier aus fährt der Bus.", None),
            ("Por eso, la alcaldesa habló.", None),
            ("Par ailleurs", None),
        ] {
            let l = read(&format!("<p>{line}</p>"), "", DateOrder::Dmy);
            assert_eq!(l.author.as_deref(), name, "{line}");
        }
    }
}

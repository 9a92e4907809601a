//! Term extraction: names, dates, numbers, percentages, quantities, ordinals, quoted phrases and
//! titles of works, found in one paragraph's pivot (Simplified) text.
//!
//! Names in Chinese have no capital letters, so they come from the segmenter (jieba, with
//! part-of-speech tags: people `nr`, places `ns`, organisations `nt`), from the shape of a title
//! (a CJK name right after a role noun: 特使克里, 发言人汪文斌, 议长佩洛西, kept only where the
//! segmenter does not read an ordinary word there), and Latin capitalised word sequences. Every
//! name found anywhere in either article is then marked wherever it occurs
//! ([`mark_known_names`]). Agency credits at a paragraph's start (路透渥太华7月3日 -,
//! （法新社巴黎20日电）) and outlet names are never terms. Each
//! occurrence carries a normalised key, so the same term written in either script, or with
//! Chinese numerals instead of digits, meets its counterpart. Extractors run in priority order and
//! never overlap.

use std::ops::Range;
use std::sync::LazyLock;

use jieba_rs::Jieba;
use regex::Regex;
use serde::Serialize;

use super::script::is_han;
use super::similarity::is_stop_word;

/// What kind of term an occurrence is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TermKind {
    /// A person, place or organisation name.
    Name,
    /// A title of a work in 《》 (newspapers, laws, statements).
    Work,
    /// A content word of either title (引渡, 国安法, 制裁) found in the bodies.
    Topic,
    /// A short quoted phrase (「戰狼外交」, “scare quotes”).
    Quote,
    /// A date (8月5日, 2022年, October 25).
    Date,
    /// A percentage (30%).
    Percent,
    /// A count or amount with its unit (8项反制措施, 一万亿美元, $100 billion).
    Quantity,
    /// An ordinal (第27届, 26th).
    Ordinal,
    /// Any other number.
    Number,
}

impl TermKind {
    /// The stable name used in JSON and the ledger.
    pub fn as_str(self) -> &'static str {
        match self {
            TermKind::Name => "name",
            TermKind::Work => "work",
            TermKind::Topic => "topic",
            TermKind::Quote => "quote",
            TermKind::Date => "date",
            TermKind::Percent => "percent",
            TermKind::Quantity => "quantity",
            TermKind::Ordinal => "ordinal",
            TermKind::Number => "number",
        }
    }
}

/// A calendar date as precise as the text gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PartialDate {
    /// The year, when stated or resolved from the publication date.
    pub year: Option<i16>,
    /// The month (1–12), if stated.
    pub month: Option<i8>,
    /// The day of the month, if stated.
    pub day: Option<i8>,
}

impl PartialDate {
    /// ISO-like text: `2022-08-05`, `2022-08`, `2022`, or `--08-05` when the year is unknown.
    pub fn iso(&self) -> String {
        let y = self.year.map_or("-".to_string(), |y| format!("{y:04}"));
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{y}-{m:02}-{d:02}"),
            (Some(m), None) => format!("{y}-{m:02}"),
            _ => y,
        }
    }
}

/// One occurrence of a term in a paragraph's pivot text.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// The kind of term.
    pub kind: TermKind,
    /// The normalised key that identifies the term on both sides.
    pub key: String,
    /// Byte range in the pivot text.
    pub range: Range<usize>,
    /// For dates: the date meant.
    pub date: Option<PartialDate>,
    /// A single capitalised word at the start of a sentence: a name only if the articles also
    /// use it where capitals mean names (see [`confirm_names`]).
    pub tentative: bool,
}

/// Drops tentative names (see [`Found::tentative`]) that no confident name of either article
/// confirms: `Commuters reacted …` is no name, but `Hale said …` is when `Martin Hale` occurs.
pub fn confirm_names(a: &mut [Vec<Found>], b: &mut [Vec<Found>]) {
    let mut confirmed = std::collections::HashSet::new();
    for found in a.iter().chain(b.iter()) {
        for f in found
            .iter()
            .filter(|f| f.kind == TermKind::Name && !f.tentative)
        {
            confirmed.insert(f.key.clone());
            for w in f.key.split_whitespace() {
                confirmed.insert(w.to_string());
            }
        }
    }
    // A surname alone (Hale) is the same term as the one full name that ends with it.
    let mut surname: std::collections::HashMap<String, Option<String>> = Default::default();
    for found in a.iter().chain(b.iter()) {
        for f in found.iter().filter(|f| f.kind == TermKind::Name) {
            if let Some((_, last)) = f.key.rsplit_once(' ') {
                surname
                    .entry(last.to_string())
                    .and_modify(|full| {
                        if full.as_deref() != Some(f.key.as_str()) {
                            *full = None;
                        }
                    })
                    .or_insert_with(|| Some(f.key.clone()));
            }
        }
    }
    for found in a.iter_mut().chain(b.iter_mut()) {
        found.retain(|f| !f.tentative || confirmed.contains(&f.key));
        for f in found.iter_mut().filter(|f| f.kind == TermKind::Name) {
            if let Some(Some(full)) = surname.get(&f.key) {
                f.key = full.clone();
            }
        }
    }
}

/// Latin names written in parentheses right after a CJK name (克里（John Kerry）), as a map
/// from each such Latin name's key, and each CJK name it glosses, to one key for them all: one
/// person under two transliterations (庞皮欧（Pompeo）, 蓬佩奥（Pompeo）) is one term. The key is
/// the CJK name glossed first; keys that map to themselves are left out.
pub fn glosses<'a>(
    paragraphs: impl Iterator<Item = (&'a str, &'a [Found])>,
) -> std::collections::HashMap<String, String> {
    // Union-find over keys, the first-seen CJK name of a group as its root.
    let mut parent: std::collections::HashMap<String, String> = Default::default();
    fn root(parent: &std::collections::HashMap<String, String>, k: &str) -> String {
        let mut k = k.to_string();
        while let Some(p) = parent.get(&k).filter(|p| **p != k) {
            k = p.clone();
        }
        k
    }
    for (text, found) in paragraphs {
        for w in found.windows(2) {
            let (cjk, latin) = (&w[0], &w[1]);
            if cjk.kind != TermKind::Name || latin.kind != TermKind::Name {
                continue;
            }
            if !cjk.key.chars().any(is_han) || latin.key.chars().any(is_han) {
                continue;
            }
            let between = text[cjk.range.end..latin.range.start].trim();
            if !matches!(between, "（" | "(") || !text[latin.range.end..].starts_with(['）', ')'])
            {
                continue;
            }
            let (rc, rl) = (root(&parent, &cjk.key), root(&parent, &latin.key));
            parent.entry(rc.clone()).or_insert_with(|| rc.clone());
            if rc == rl {
                continue;
            }
            // A Latin root joins the CJK group; two CJK groups keep the earlier root.
            let rl_is_latin = !rl.chars().any(is_han);
            if rl_is_latin || !parent.contains_key(&rl) {
                parent.insert(rl, rc);
            } else {
                parent.insert(rc, rl);
            }
        }
    }
    let keys: Vec<String> = parent.keys().cloned().collect();
    keys.into_iter()
        .filter_map(|k| {
            let r = root(&parent, &k);
            (r != k).then_some((k, r))
        })
        .collect()
}

/// What date resolution knows while reading one article in order.
#[derive(Clone, Copy, Debug, Default)]
pub struct DateContext {
    /// The publication date, for years left unsaid (8月5日) and relative years (去年).
    pub published: Option<jiff::civil::Date>,
    /// The last month mentioned, for a bare day (…8月2日晚……5日，外交部宣布).
    pub last: Option<(Option<i16>, i8)>,
}

macro_rules! re {
    ($name:ident, $pat:expr) => {
        static $name: LazyLock<Regex> = LazyLock::new(|| Regex::new($pat).expect("valid regex"));
    };
}

const ZH_NUM: &str = "[零〇一二两三四五六七八九十百千万亿]";
const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";

re!(WORK, r"《([^《》\n]{1,40})》");
re!(
    QUOTE,
    r#"“([^“”\n]{1,40})”|「([^「」\n]{1,40})」|『([^『』\n]{1,40})』|"([^"\n]{1,60})"|‘([^‘’\n]{1,40})’"#
);
re!(
    DATE_ZH,
    r"(?:(\d{4})\s*年\s*|(去年|今年|明年|前年))?(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?"
);
re!(DAY_ZH, r"(?:^|[，。；、：\s（(])(\d{1,2})\s*[日号]");
re!(YEAR_ZH, r"(\d{4})\s*年");
re!(ISO_DATE, r"(?-u:\b)(\d{4})-(\d{2})-(\d{2})(?-u:\b)");
static DATE_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?-u:\b)(?:({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?|(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTHS})\.?(?:,?\s+(\d{{4}}))?|({MONTHS})\.?\s+(\d{{4}}))(?-u:\b)"
    ))
    .expect("valid regex")
});
re!(YEAR_EN, r"(?-u:\b)(19\d{2}|20\d{2})(?-u:\b)");
static PERCENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(\d+(?:\.\d+)?)\s*(?:%|％|个百分点|\s(?:percent|per cent)(?-u:\b))|百分之({ZH_NUM}+(?:点{ZH_NUM}+)?)"
    ))
    .expect("valid regex")
});
static ORDINAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"第\s*(\d+|{ZH_NUM}+)|(?-u:\b)(\d+)(?:st|nd|rd|th)(?-u:\b)"
    ))
    .expect("valid regex")
});
/// Measure words that count a following noun (8项措施); the noun phrase is kept with them.
const CLASSIFIERS: &str = "项|个|名|位|家|所|条|架|艘|枚|件|起|场|轮|批|类|种|款|套|台|篇|部|辆|份|例|座|支|只|张|道|块|间|层";
/// Units that stand alone (100万人, 一万亿美元).
const UNITS: &str = "平方公里|公里|千米|美元|欧元|英镑|日元|人民币|元|吨|公斤|千克|亿|倍|岁|人|国|次|天|年|周|小时|分钟|秒|度|米|亩";
static QTY_ZH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(\d+(?:[.,]\d+)*|{ZH_NUM}*[十百千万亿]{ZH_NUM}*|[两二三四五六七八九])\s*(万亿|万|亿)?\s*(?:({CLASSIFIERS})|({UNITS}))"
    ))
    .expect("valid regex")
});
re!(
    QTY_EN,
    r"[$€£¥]\s?\d[\d,]*(?:\.\d+)?(?:\s*(?:million|billion|trillion|bn)(?-u:\b))?|(?-u:\b)\d[\d,]*(?:\.\d+)?\s+(?:(?:million|billion|trillion)\s+)?[a-z][a-z\-]+(?:\s[a-z][a-z\-]+)?"
);
re!(NUMBER, r"\d+(?:[.,]\d+)*");
re!(
    LATIN_NAME,
    r"\p{Lu}[\p{Latin}\p{Greek}\p{Cyrillic}\p{M}\d'’\-]*(?:\s(?:(?:of|the|de|la|von|van|der|al|bin|du|di)\s)*\p{Lu}[\p{Latin}\p{Greek}\p{Cyrillic}\p{M}\d'’\-]*)*"
);
/// Nouns of office or trade that typically stand right before a person's name.
const ROLES: &str = "副总统|总统|国家主席|主席|副总理|总理|首相|国务卿|秘书长|外交部长|外交大臣|外相|大臣|外长|防长|部长|大使|特使|发言人|众议院议长|议长|参议员|众议员|议员|州长|市长|省长|局长|主任|董事长|总裁|首席执行官|首席财务官|财务官|行政总裁|创始人|负责人|教授|研究员|分析师|经济学家|记者|主持人|将军|司令|国王|女王|总书记|委员|领导人|外交官";
static ROLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(ROLES).expect("valid regex"));
static ROLE_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("^(?:{ROLES})")).expect("valid regex"));
/// Function words and verbs that end a name after a role noun.
const NAME_STOPS: &[&str] = &[
    "表示", "说", "称", "强调", "指出", "认为", "告诉", "透露", "重申", "坦言", "承认", "呼吁",
    "希望", "敦促", "警告", "解释", "补充", "回应", "谴责", "批评", "在", "于", "向", "对", "与",
    "和", "及", "跟", "的", "也", "还", "曾", "已", "将", "就", "再", "又", "是", "等", "则", "都",
    "今", "昨", "日前", "近日", "接受", "出席", "访问", "会见", "会晤", "举行", "发表", "宣布",
    "访华", "率", "此前", "随后", "一直", "当天", "同日", "本周", "上周", "此次", "这次", "并",
    "但", "而", "被", "把", "从", "到", "为", "以", "因", "所", "之", "会", "要", "能", "不", "没",
    "先生", "女士", "一行", "首次", "近期", "早前", "星期", "亦", "即", "却", "虽", "若", "让",
    "给", "替", "去", "时候", "了", "着", "过", "们", "个", "这", "那", "该", "其", "此", "每",
    "各", "所有",
];

/// The segmenter with its dictionary, loaded once for the whole program: the ledger and the
/// story signals ([`crate::stories`]) share it (the dictionary takes a moment and some memory).
pub static SEGMENTER: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for (word, freq, tag, _) in news_words() {
        jieba.add_word(word, freq, tag);
    }
    jieba
});

/// The words of `assets/segmenter.txt`: word, frequency, tag, and the key it is a form of.
fn news_words() -> impl Iterator<
    Item = (
        &'static str,
        Option<usize>,
        Option<&'static str>,
        &'static str,
    ),
> {
    include_str!("../../assets/segmenter.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let word = parts.next()?;
            let freq = parts.next().and_then(|f| f.parse().ok());
            let tag = parts.next();
            Some((word, freq, tag, parts.next().unwrap_or(word)))
        })
}

/// Each word of `assets/segmenter.txt` with its tag and key.
static NEWS: LazyLock<
    std::collections::HashMap<&'static str, (Option<&'static str>, &'static str)>,
> = LazyLock::new(|| news_words().map(|(w, _, t, k)| (w, (t, k))).collect());

/// The key of a news term (`港版国安法` → `国安法`), from `assets/segmenter.txt`.
fn news_key(word: &str) -> &str {
    NEWS.get(word).map_or(word, |&(_, k)| k)
}

/// The tag of a word: the data file's (the segmenter keeps a tag it already has), else the
/// segmenter's.
fn tag_of<'a>(word: &str, segmenter: &'a str) -> &'a str {
    match NEWS.get(word) {
        Some(&(Some(tag), _)) => tag,
        _ => segmenter,
    }
}

/// What the segmenter says a word is, as far as terms care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pos {
    /// A person (`nr`, `nrfg`, `nrt`).
    Person,
    /// A place (`ns`).
    Place,
    /// An organisation (`nt`).
    Organisation,
    /// A noun, including proper (`nz`) and verbal (`vn`) nouns and set phrases (`l`, `i`).
    Noun,
    /// A verb.
    Verb,
    /// A news term from `assets/segmenter.txt` (tag `nw`): 国安法, 港版国安法.
    NewsTerm,
    /// Not a word the dictionary knows as anything in particular (`x`).
    Unknown,
    /// Anything else (adverbs, particles, pronouns, numerals, …).
    Other,
}

fn pos_of(tag: &str) -> Pos {
    match tag {
        "nr" | "nrfg" | "nrt" => Pos::Person,
        "ns" => Pos::Place,
        "nt" => Pos::Organisation,
        "x" => Pos::Unknown,
        "nw" => Pos::NewsTerm,
        "v" => Pos::Verb,
        t if t.starts_with('n') || t == "vn" || t == "l" || t == "i" || t == "j" => Pos::Noun,
        _ => Pos::Other,
    }
}

/// One word of a text as the segmenter cut it.
#[derive(Clone, Debug)]
struct Word {
    range: Range<usize>,
    pos: Pos,
    /// The dictionary has the word (else the segmenter's model guessed it and its tag).
    known: bool,
    /// Tagged `nrt` or `nrfg`: a transliterated or full name, not only a surname-shaped word.
    full_name: bool,
}

/// The words of `text` (empty when it has no Han character: the segmenter adds nothing then).
fn words(text: &str) -> Vec<Word> {
    if !text.chars().any(is_han) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut at = 0;
    for tag in SEGMENTER.tag(text, true) {
        // The words tile the text in order.
        let range = at..at + tag.word.len();
        at = range.end;
        let tag_name = tag_of(tag.word, tag.tag);
        let pos = pos_of(tag_name);
        // Only names need to know whether the tag was guessed.
        let known = matches!(pos, Pos::Person | Pos::Place | Pos::Organisation)
            && SEGMENTER.has_word(tag.word);
        let full_name = matches!(tag_name, "nrt" | "nrfg");
        out.push(Word {
            range,
            pos,
            known,
            full_name,
        });
    }
    out
}

/// Where a credit at the start of a paragraph ends: a bracketed credit of up to 30 characters
/// （法新社巴黎20日电）, a numeric or English date-time, or up to 16 characters ending in a day
/// and a dash or 电 (路透渥太华7月3日 -, 法新社巴黎20日电), repeatedly. 0 when there is none.
pub fn credit_prefix(text: &str) -> usize {
    static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(?:\s*[（(【\[][^（）()【】\[\]]{1,30}[）)】\]]|\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[T\s-]+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?)?|\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s+\d{1,2}\s+\w{3}\s+\d{4}\s+[\d:]{5,8}(?:\s+GMT)?|\s*[^\s\d（(]{0,16}(?:\d{1,2}月)?\d{1,2}日(?:电|\s*[-–—]))\s*[-–—]?",
        )
        .expect("valid regex")
    });
    let mut end = 0;
    for _ in 0..4 {
        let rest = &text[end..];
        match CREDIT.find(rest) {
            Some(m) if m.end() > 0 && is_credit(&rest[..m.end()]) => {
                end += m.end();
                end += text[end..].len() - text[end..].trim_start().len();
            }
            _ => break,
        }
    }
    end
}

/// A prefix matched by the credit pattern that really is one: bracketed text is a credit only
/// when it names an agency or outlet, or holds a date (（2020年6月22日） is a caption's date, not
/// a credit, but then it is no term either); an unbracketed one must end in a date.
fn is_credit(prefix: &str) -> bool {
    let p = prefix.trim();
    let Some(inner) = p.strip_prefix(['（', '(', '【', '[']).and_then(|s| {
        s.trim_end_matches(['-', '–', '—', ' '])
            .strip_suffix(['）', ')', '】', ']'])
    }) else {
        // A date alone opens a sentence (2022-10-26 …); a credit has a time, a dash or 电.
        return p.contains(':') || p.ends_with(['-', '–', '—', '电']) || p.ends_with("GMT");
    };
    inner.chars().any(|c| c.is_ascii_digit())
        || crate::article::outlet::find_outlet(inner).is_some()
        || inner.ends_with(['电', '讯'])
        || inner.contains("报道")
}

/// Names the segmenter tags as people, places or organisations, where nothing else was found.
fn entities(text: &str, words: &[Word]) -> Vec<Found> {
    let mut out = Vec::new();
    for w in words {
        let word = &text[w.range.clone()];
        if w.pos == Pos::NewsTerm {
            out.push(Found {
                kind: TermKind::Topic,
                key: news_key(word).to_string(),
                range: w.range.clone(),
                date: None,
                tentative: false,
            });
            continue;
        }
        if !matches!(w.pos, Pos::Person | Pos::Place | Pos::Organisation) {
            continue;
        }
        // 美国政府, 中国政府: the place is the term both reports share, whoever speaks for it.
        if let Some(place) = word.strip_suffix("政府").filter(|p| is_place(p)) {
            out.push(Found {
                kind: TermKind::Name,
                key: news_key(place).to_string(),
                range: w.range.start..w.range.start + place.len(),
                date: None,
                tentative: false,
            });
            continue;
        }
        if word.chars().filter(|&c| is_han(c)).count() < 2 || is_outlet_name(word) {
            continue;
        }
        // A guessed place or organisation is too often a phrase; a guessed person (官孟晚 from
        // 财务官孟晚舟), or one the dictionary tags only `nr`, must look like a Chinese name
        // unless a Latin name glosses it: 庞皮欧（Pompeo）.
        let glossed = glossed_at(text, w.range.end);
        if !w.known && w.pos != Pos::Person {
            continue;
        }
        if w.pos == Pos::Person && !w.full_name && !glossed && !plausible_person(word) {
            continue;
        }
        out.push(Found {
            kind: TermKind::Name,
            key: news_key(word).to_string(),
            range: w.range.clone(),
            date: None,
            tentative: false,
        });
    }
    out
}

/// Words of a title too common in headlines to say what a report is about (they are furniture of
/// the headline: 焦点, 更新版; or speech: 表示, 称).
const TITLE_STOPS: &[&str] = &[
    "表示",
    "宣布",
    "指出",
    "认为",
    "回应",
    "强调",
    "呼吁",
    "要求",
    "报道",
    "消息",
    "新闻",
    "焦点",
    "更新",
    "更新版",
    "视频",
    "图片",
    "分析",
    "评论",
    "专访",
    "独家",
    "快讯",
    "最新",
    "问题",
    "情况",
    "事件",
    "进行",
    "发生",
    "可能",
    "继续",
    "考虑",
    "采取",
    "措施",
    "成为",
    "出现",
    "开始",
    "已经",
    "没有",
    "不会",
    "不能",
    "如何",
    "为何",
    "什么",
    "怎么",
    "是否",
];

/// The content words of a title (pivot text): nouns, verbs and names of two characters or
/// more (where a body has a word as a name, the name is found first), each once, longest
/// first, for
/// [`TermKind::Topic`] terms.
pub fn title_words(title: &str) -> Vec<String> {
    let mut out: Vec<String> = words(title)
        .into_iter()
        // Names the body does not confirm as names (瑞幸) still name what the report is about.
        .filter(|w| w.pos != Pos::Other)
        .map(|w| title[w.range].to_string())
        .filter(|w| w.chars().count() >= 2 && w.chars().all(is_han))
        .filter(|w| !TITLE_STOPS.contains(&w.as_str()))
        .collect();
    out.sort_by(|x, y| y.len().cmp(&x.len()).then_with(|| x.cmp(y)));
    out.dedup();
    out
}

/// Drops a one-character function word the segmenter reads at the end of a name found by
/// shape (孟晚舟后 → 孟晚舟), while two characters remain.
fn trim_function_word(f: &mut Found, words: &[Word], text: &str) {
    let last = words.partition_point(|w| w.range.end < f.range.end);
    let Some(w) = words.get(last) else { return };
    let one_char = text[w.range.clone()].chars().count() == 1;
    if w.range.end == f.range.end
        && w.pos == Pos::Other
        && one_char
        && text[f.range.start..w.range.start].chars().count() >= 2
    {
        f.range.end = w.range.start;
        f.key = text[f.range.clone()].to_string();
    }
}

/// Common Chinese surnames: a name the segmenter guessed, or one its dictionary tags only `nr`
/// (where it also tags phrases: 许可, 高喊, 采取措施), is taken when it starts with one.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤向常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";

/// A person's name as the segmenter gives it (see [`SURNAMES`]): two or three characters after
/// a common surname, and not the surname-like first character of a word of time or manner
/// (于 + 本周).
fn plausible_person(word: &str) -> bool {
    let n = word.chars().count();
    let Some(first) = word.chars().next() else {
        return false;
    };
    if !(2..=3).contains(&n) || !SURNAMES.contains(first) {
        return false;
    }
    if n == 3 {
        let tail = &word[first.len_utf8()..];
        let tags = SEGMENTER.tag(tail, false);
        if let [only] = tags.as_slice() {
            if SEGMENTER.has_word(tail)
                && matches!(
                    only.tag.chars().next(),
                    Some('t' | 'd' | 'v' | 'p' | 'r' | 'm' | 'f' | 'c' | 'u')
                )
            {
                return false;
            }
        }
    }
    true
}

/// The dictionary knows `word` as a place.
fn is_place(word: &str) -> bool {
    SEGMENTER.has_word(word)
        && matches!(SEGMENTER.tag(word, false).as_slice(), [only] if only.tag == "ns")
}

/// A Latin name in brackets starts at `at`: （Pompeo）, (Justin Trudeau).
fn glossed_at(text: &str, at: usize) -> bool {
    let rest = text[at..].trim_start();
    rest.strip_prefix(['（', '('])
        .is_some_and(|r| r.trim_start().starts_with(|c: char| c.is_ascii_uppercase()))
}

/// Outlet and agency names (路透社, 法新社, 德国之声) say who reports, not what happened.
fn is_outlet_name(word: &str) -> bool {
    crate::article::outlet::by_name(word).is_some()
        || ["路透", "法广", "美联", "法新"].contains(&word)
}

/// A name found by shape that the segmenter reads as ordinary words (考虑干涉, 有权) is none:
/// the word it starts with, when of two characters or more, must be a name or unknown.
fn segmenter_allows(range: &Range<usize>, words: &[Word], text: &str) -> bool {
    let first = words.partition_point(|w| w.range.end <= range.start);
    let Some(w) = words.get(first) else {
        return true;
    };
    text[w.range.clone()].chars().count() < 2
        || matches!(
            w.pos,
            Pos::Person | Pos::Place | Pos::Organisation | Pos::Unknown
        )
}

/// Finds the terms of one paragraph (pivot text), in order, without overlaps.
pub fn extract(text: &str, ctx: &mut DateContext) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let mut taken = Taken::new(text.len());
    let words = words(text);
    // Cheap tests spare most paragraphs most regex passes.
    let digits = text.bytes().any(|b| b.is_ascii_digit());
    let latin = text.bytes().any(|b| b.is_ascii_alphabetic());
    let zh_numerals = text.contains([
        '十', '百', '千', '万', '亿', '两', '二', '三', '四', '五', '六', '七', '八', '九',
    ]);

    for c in (text.contains('《'))
        .then(|| WORK.captures_iter(text))
        .into_iter()
        .flatten()
    {
        let m = c.get(0).expect("match");
        add(
            &mut found,
            &mut taken,
            Found {
                kind: TermKind::Work,
                key: format!("《{}》", c[1].trim()),
                range: m.range(),
                date: None,
                tentative: false,
            },
        );
    }
    for c in QUOTE.captures_iter(text) {
        let m = c.get(0).expect("match");
        let inner = (1..=5).find_map(|i| c.get(i)).expect("one group").as_str();
        // A news term in quotes (“港版国安法”) is that term, found below.
        if is_short_phrase(inner) && !NEWS.contains_key(inner.trim()) {
            add(
                &mut found,
                &mut taken,
                Found {
                    kind: TermKind::Quote,
                    key: format!("“{}”", inner.trim().to_lowercase()),
                    range: m.range(),
                    date: None,
                    tentative: false,
                },
            );
        }
    }
    for f in dates(text, ctx) {
        add(&mut found, &mut taken, f);
    }
    let percent = digits || text.contains("百分之");
    for c in (percent)
        .then(|| PERCENT.captures_iter(text))
        .into_iter()
        .flatten()
    {
        let m = c.get(0).expect("match");
        let value = match (c.get(1), c.get(2)) {
            (Some(d), _) => d.as_str().to_string(),
            (None, Some(z)) => zh_decimal(z.as_str()),
            _ => continue,
        };
        let range = trim_range(text, m.range());
        add(
            &mut found,
            &mut taken,
            Found {
                kind: TermKind::Percent,
                key: format!("{value}%"),
                range,
                date: None,
                tentative: false,
            },
        );
    }
    let ordinal = digits || text.contains('第');
    for c in (ordinal)
        .then(|| ORDINAL.captures_iter(text))
        .into_iter()
        .flatten()
    {
        let m = c.get(0).expect("match");
        if !latin_boundary_before(text, m.start()) {
            continue;
        }
        let value = match (c.get(1), c.get(2)) {
            (Some(n), _) => number_key(n.as_str()),
            (None, Some(n)) => n.as_str().to_string(),
            _ => continue,
        };
        add(
            &mut found,
            &mut taken,
            Found {
                kind: TermKind::Ordinal,
                key: format!("#{value}"),
                range: m.range(),
                date: None,
                tentative: false,
            },
        );
    }
    for c in (digits || zh_numerals)
        .then(|| QTY_ZH.captures_iter(text))
        .into_iter()
        .flatten()
    {
        let m = c.get(0).expect("match");
        // 数十种, 几百人: no number is said.
        if !latin_boundary_before(text, m.start()) || text[..m.start()].ends_with(['数', '几']) {
            continue;
        }
        let mut end = m.end();
        if c.get(3).is_some() {
            end += noun_phrase(text, end, &words);
        }
        let number = c.get(1).expect("number").as_str();
        // A count's key is its number and noun, whatever the measure word (59种应用, 59款应用).
        let number_end = c.get(1).expect("number").end();
        let rest = match c.get(3) {
            Some(classifier) => format!(
                "{}{}",
                c.get(2).map_or("", |w| w.as_str()),
                &text[classifier.end()..end]
            ),
            None => text[number_end..end].to_string(),
        }
        .replace(char::is_whitespace, "");
        add(
            &mut found,
            &mut taken,
            Found {
                kind: TermKind::Quantity,
                key: format!("{}{rest}", number_key(number)),
                range: m.start()..end,
                date: None,
                tentative: false,
            },
        );
    }
    for m in (digits)
        .then(|| QTY_EN.find_iter(text))
        .into_iter()
        .flatten()
    {
        if !latin_boundary_before(text, m.start()) {
            continue;
        }
        let mut s = m.as_str();
        // "8 countermeasures", "12 failed inspections", but not "8 the": words must carry meaning.
        while let Some((head, last)) = s.rsplit_once(' ') {
            if is_stop_word(last) {
                s = head;
            } else {
                break;
            }
        }
        let money = s.starts_with(['$', '€', '£', '¥']);
        let words = s.split(' ').skip(1).collect::<Vec<_>>();
        if !money && (words.is_empty() || words.iter().any(|w| is_stop_word(w))) {
            continue;
        }
        let range = m.start()..m.start() + s.len();
        let key = s.replace(',', "").to_lowercase();
        let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
        add(
            &mut found,
            &mut taken,
            Found {
                kind: TermKind::Quantity,
                key,
                range,
                date: None,
                tentative: false,
            },
        );
    }
    for mut f in role_names(text) {
        if segmenter_allows(&f.range, &words, text) {
            trim_function_word(&mut f, &words, text);
            add(&mut found, &mut taken, f);
        }
    }
    for f in entities(text, &words) {
        add(&mut found, &mut taken, f);
    }
    for f in latin.then(|| latin_names(text)).into_iter().flatten() {
        add(&mut found, &mut taken, f);
    }
    for m in (digits)
        .then(|| NUMBER.find_iter(text))
        .into_iter()
        .flatten()
    {
        if !latin_boundary_before(text, m.start()) || !latin_boundary_after(text, m.end()) {
            continue;
        }
        add(
            &mut found,
            &mut taken,
            Found {
                kind: TermKind::Number,
                key: format!("n{}", m.as_str().replace(',', "")),
                range: m.range(),
                date: None,
                tentative: false,
            },
        );
    }
    // Terms inside an opening credit say who reported, not what (路透渥太华7月3日 -).
    let credit = credit_prefix(text);
    if credit > 0 {
        found.retain(|f| f.range.start >= credit);
    }
    found.sort_by_key(|f| f.range.start);
    found
}

/// A set of names to find in one pass (leftmost, longest first).
pub struct KnownNames(Option<Regex>);

impl KnownNames {
    /// Names given longest first; an empty list, or one too large to compile, finds nothing.
    pub fn new(names: &[String]) -> KnownNames {
        if names.is_empty() {
            return KnownNames(None);
        }
        let pattern = names
            .iter()
            .map(|n| regex::escape(n))
            .collect::<Vec<_>>()
            .join("|");
        KnownNames(
            regex::RegexBuilder::new(&pattern)
                .size_limit(1 << 26)
                .build()
                .ok(),
        )
    }
}

/// Marks every further occurrence of the `names` (pivot text; the match is the key) that does
/// not overlap a term already found; `found` stays sorted.
pub fn mark_known_names(text: &str, names: &KnownNames, found: &mut Vec<Found>) {
    mark_known(text, names, TermKind::Name, found);
}

/// [`mark_known_names`] for terms of any kind (title words are [`TermKind::Topic`]).
pub fn mark_known(text: &str, names: &KnownNames, kind: TermKind, found: &mut Vec<Found>) {
    let Some(re) = &names.0 else { return };
    let mut taken = Taken::of(text.len(), found);
    let before = found.len();
    let credit = credit_prefix(text);
    for m in re.find_iter(text).filter(|m| m.start() >= credit) {
        add(
            found,
            &mut taken,
            Found {
                kind,
                key: m.as_str().to_string(),
                range: m.range(),
                date: None,
                tentative: false,
            },
        );
    }
    if found.len() > before {
        found.sort_by_key(|f| f.range.start);
    }
}

/// The bytes of a text already claimed by a term, so checking an overlap costs the length of
/// the candidate, not the number of terms found (one huge paragraph can hold many).
struct Taken(Vec<u64>);

impl Taken {
    fn new(len: usize) -> Taken {
        Taken(vec![0; len / 64 + 1])
    }

    fn of(len: usize, found: &[Found]) -> Taken {
        let mut t = Taken::new(len);
        for f in found {
            t.claim(&f.range);
        }
        t
    }

    fn is_free(&self, r: &Range<usize>) -> bool {
        r.clone().all(|i| self.0[i / 64] & (1 << (i % 64)) == 0)
    }

    fn claim(&mut self, r: &Range<usize>) {
        for i in r.clone() {
            self.0[i / 64] |= 1 << (i % 64);
        }
    }
}

fn add(found: &mut Vec<Found>, taken: &mut Taken, f: Found) {
    if !f.range.is_empty() && taken.is_free(&f.range) {
        taken.claim(&f.range);
        found.push(f);
    }
}

fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    r.start + lead..r.end - trail
}

fn latin_boundary_before(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_ascii_alphanumeric())
}

fn latin_boundary_after(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// A quote short enough to be a term rather than a quoted sentence.
fn is_short_phrase(inner: &str) -> bool {
    let inner = inner.trim();
    if inner.is_empty() || inner.ends_with(['。', '！', '？', '.', '!', '?', '，', ',']) {
        return false;
    }
    let han = inner.chars().filter(|&c| is_han(c)).count();
    let words = inner.split_whitespace().count();
    // A slogan may hold one comma (“光复香港，时代革命”), a sentence more.
    let commas = inner.matches(['，', ',']).count();
    han <= 12 && words <= 6 && commas <= 1 && !inner.contains(['。', '；'])
}

/// The length in bytes of the noun phrase after a classifier at `at`: whole nouns and verbs of
/// the segmenter, up to six ideographs, ending before a name, a function word or punctuation
/// (59种中国手机应用 keeps no noun: 中国 is a name of its own). Without the segmenter's words
/// (no Han text), up to six ideographs before a function word.
fn noun_phrase(text: &str, at: usize, words: &[Word]) -> usize {
    let rest = &text[at..];
    let first = words.partition_point(|w| w.range.start < at);
    if words.get(first).is_some_and(|w| w.range.start == at) {
        let mut end = at;
        let mut n = 0;
        let mut noun = false;
        for w in &words[first..] {
            let len = text[w.range.clone()].chars().count();
            // A verb may lead the phrase (反制措施), not follow its noun (加拿大人没有).
            let fits = w.pos == Pos::Noun || (w.pos == Pos::Verb && !noun);
            if !fits || n + len > 6 || !text[w.range.clone()].chars().all(is_han) {
                break;
            }
            noun |= w.pos == Pos::Noun;
            n += len;
            end = w.range.end;
        }
        return end - at;
    }
    let mut len = 0;
    let mut n = 0;
    while n < 6 {
        let tail = &rest[len..];
        let Some(c) = tail.chars().next() else { break };
        if !is_han(c) || NAME_STOPS.iter().any(|s| tail.starts_with(s)) {
            break;
        }
        len += c.len_utf8();
        n += 1;
    }
    len
}

fn dates(text: &str, ctx: &mut DateContext) -> Vec<Found> {
    // Every date form here holds a digit.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    // Gather every candidate, then resolve in reading order so a bare day finds its month.
    struct Cand {
        range: Range<usize>,
        year: Option<i16>,
        rel: Option<i16>,
        month: Option<i8>,
        day: Option<i8>,
        bare_day: bool,
    }
    let mut cands: Vec<Cand> = Vec::new();
    let num = |m: Option<regex::Match<'_>>| m.and_then(|m| m.as_str().parse::<i16>().ok());
    for c in DATE_ZH.captures_iter(text) {
        let m = c.get(0).expect("match");
        if !latin_boundary_before(text, m.start()) {
            continue;
        }
        let rel = c.get(2).map(|r| match r.as_str() {
            "去年" => -1,
            "明年" => 1,
            "前年" => -2,
            _ => 0,
        });
        cands.push(Cand {
            range: m.range(),
            year: num(c.get(1)),
            rel,
            month: num(c.get(3)).map(|v| v as i8),
            day: num(c.get(4)).map(|v| v as i8),
            bare_day: false,
        });
    }
    for c in DAY_ZH.captures_iter(text) {
        let g = c.get(1).expect("day");
        let end = c.get(0).expect("match").end();
        cands.push(Cand {
            range: g.start()..end,
            year: None,
            rel: None,
            month: None,
            day: num(Some(g)).map(|v| v as i8),
            bare_day: true,
        });
    }
    for c in YEAR_ZH.captures_iter(text) {
        let m = c.get(0).expect("match");
        if latin_boundary_before(text, m.start()) {
            cands.push(Cand {
                range: m.range(),
                year: num(c.get(1)),
                rel: None,
                month: None,
                day: None,
                bare_day: false,
            });
        }
    }
    for c in ISO_DATE.captures_iter(text) {
        cands.push(Cand {
            range: c.get(0).expect("match").range(),
            year: num(c.get(1)),
            rel: None,
            month: num(c.get(2)).map(|v| v as i8),
            day: num(c.get(3)).map(|v| v as i8),
            bare_day: false,
        });
    }
    let latin = text.bytes().any(|b| b.is_ascii_alphabetic());
    for c in latin
        .then(|| DATE_EN.captures_iter(text))
        .into_iter()
        .flatten()
    {
        let m = c.get(0).expect("match");
        let (month, day, year) = if let Some(mo) = c.get(1) {
            (mo, num(c.get(2)), num(c.get(3)))
        } else if let Some(mo) = c.get(5) {
            (mo, num(c.get(4)), num(c.get(6)))
        } else {
            (c.get(7).expect("month"), None, num(c.get(8)))
        };
        cands.push(Cand {
            range: m.range(),
            year,
            rel: None,
            month: month_number(month.as_str()),
            day: day.map(|v| v as i8),
            bare_day: false,
        });
    }
    for c in YEAR_EN.captures_iter(text) {
        let m = c.get(0).expect("match");
        let next = text[m.end()..].chars().next();
        // 2000万人 is a number, 2000年 is found above.
        if !matches!(next, Some('%' | '％')) && !next.is_some_and(is_han) {
            cands.push(Cand {
                range: m.range(),
                year: num(c.get(1)),
                rel: None,
                month: None,
                day: None,
                bare_day: false,
            });
        }
    }
    // Longest first at each start, then by position; overlapping later candidates lose.
    cands.sort_by_key(|c| (c.range.start, std::cmp::Reverse(c.range.end)));
    let mut out: Vec<Found> = Vec::new();
    let mut prev_end: Option<(usize, Option<i16>)> = None;
    for c in cands {
        if out.last().is_some_and(|f| f.range.end > c.range.start) {
            continue;
        }
        let mut date = PartialDate {
            year: c.year,
            month: c.month,
            day: c.day,
        };
        if !valid(&date) {
            continue;
        }
        if c.bare_day {
            let Some((year, month)) = ctx.last else {
                continue;
            };
            date.year = year;
            date.month = Some(month);
        } else if date.year.is_none() && date.month.is_some() {
            // A range end (8月31日至9月3日) shares the start's year.
            let joined = prev_end.is_some_and(|(end, _)| {
                let between = text[end..c.range.start].trim();
                matches!(
                    between,
                    "至" | "到" | "-" | "–" | "—" | "~" | "～" | "to" | "and"
                )
            });
            date.year = if joined {
                prev_end.and_then(|(_, y)| y)
            } else {
                resolve_year(c.rel, date.month, date.day, ctx.published)
            };
        }
        if let Some(m) = date.month {
            ctx.last = Some((date.year, m));
        }
        prev_end = Some((c.range.end, date.year));
        out.push(Found {
            kind: TermKind::Date,
            key: format!("date:{}", date.iso()),
            range: c.range,
            date: Some(date),
            tentative: false,
        });
    }
    out
}

fn valid(d: &PartialDate) -> bool {
    d.month.is_none_or(|m| (1..=12).contains(&m)) && d.day.is_none_or(|x| (1..=31).contains(&x))
}

/// The year of a date written without one: relative to the publication year (去年), or that
/// year, or the year before when the date would otherwise lie far after publication.
fn resolve_year(
    rel: Option<i16>,
    month: Option<i8>,
    day: Option<i8>,
    published: Option<jiff::civil::Date>,
) -> Option<i16> {
    let p = published?;
    if let Some(r) = rel {
        return Some(p.year() + r);
    }
    let m = month?;
    let candidate = jiff::civil::Date::new(p.year(), m, day.unwrap_or(1)).ok()?;
    let ahead = p.until(candidate).ok()?.get_days();
    // Reports look back more often than ahead: a date more than half a year ahead is last year's.
    Some(if ahead > 183 { p.year() - 1 } else { p.year() })
}

fn month_number(name: &str) -> Option<i8> {
    let lower = name.to_ascii_lowercase();
    let m = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|p| lower.starts_with(p))?;
    Some(m as i8 + 1)
}

/// A number written in digits or Chinese numerals, as plain digits (二十六 → 26, 一万亿 → 1000000000000).
pub fn number_key(s: &str) -> String {
    if s.bytes()
        .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        return s.replace(',', "");
    }
    zh_integer(s).map_or_else(|| s.to_string(), |v| v.to_string())
}

fn zh_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Parses a Chinese integer numeral (十, 二十六, 一百零五, 三千万, 一万亿).
pub fn zh_integer(s: &str) -> Option<u64> {
    // Completed 亿 groups, the part between 万 and 亿, the part below 万, the pending digit.
    let (mut yi, mut wan, mut section) = (0u64, 0u64, 0u64);
    let mut current: Option<u64> = None;
    let mut any = false;
    for c in s.chars() {
        any = true;
        if let Some(d) = zh_digit(c) {
            current = Some(d);
            continue;
        }
        match c {
            '十' | '百' | '千' => {
                let unit = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                section += current.unwrap_or(1) * unit;
            }
            '万' => {
                wan = wan.checked_add(
                    (section + current.unwrap_or(0))
                        .max(1)
                        .checked_mul(10_000)?,
                )?;
                section = 0;
            }
            '亿' => {
                yi = (yi + wan + section + current.unwrap_or(0))
                    .max(1)
                    .checked_mul(100_000_000)?;
                wan = 0;
                section = 0;
            }
            _ => return None,
        }
        current = None;
    }
    any.then(|| yi + wan + section + current.unwrap_or(0))
}

fn zh_decimal(s: &str) -> String {
    match s.split_once('点') {
        Some((i, f)) => {
            let frac: String = f
                .chars()
                .filter_map(zh_digit)
                .map(|d| char::from(b'0' + d as u8))
                .collect();
            format!("{}.{frac}", number_key(i))
        }
        None => number_key(s),
    }
}

/// CJK names after a role noun (特使克里, 发言人汪文斌).
fn role_names(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    for m in ROLE.find_iter(text) {
        let rest = &text[m.end()..];
        let mut len = 0;
        let mut han = 0;
        let mut chain = false;
        while han < 4 {
            let tail = &rest[len..];
            let Some(c) = tail.chars().next() else { break };
            if c == '·' || c == '•' {
                len += c.len_utf8();
                continue;
            }
            if !is_han(c) || NAME_STOPS.iter().any(|s| tail.starts_with(s)) {
                break;
            }
            // A chain of titles (总统气候问题特使克里): the last role names the person.
            if ROLE_START.is_match(tail) {
                chain = true;
                break;
            }
            len += c.len_utf8();
            han += 1;
        }
        if chain {
            continue;
        }
        let name = rest[..len].trim_end_matches(['·', '•']);
        let han_count = name.chars().filter(|&c| is_han(c)).count();
        if han_count < 2 {
            continue;
        }
        // Skip a 4-character run that does not end at a boundary: likely a phrase, not a name.
        if han_count == 4 {
            let after = &rest[len..];
            let bounded = after.chars().next().is_none_or(|c| !is_han(c))
                || NAME_STOPS.iter().any(|s| after.starts_with(s));
            if !bounded {
                continue;
            }
        }
        out.push(Found {
            kind: TermKind::Name,
            key: name.to_string(),
            range: m.end()..m.end() + name.len(),
            date: None,
            tentative: false,
        });
    }
    out
}

/// Latin capitalised word sequences (John Kerry, United Nations, COP27).
fn latin_names(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    // Lower-case words of the text, built on first need (once per paragraph, not per name).
    let mut lower_words: Option<std::collections::HashSet<&str>> = None;
    for m in LATIN_NAME.find_iter(text) {
        if !latin_boundary_before(text, m.start())
            || text[..m.start()].ends_with(|c: char| c.is_alphabetic() && !is_han(c))
        {
            continue;
        }
        let mut start = m.start();
        let mut s = m.as_str();
        // Drop leading function words capitalised only by their position (The, But, In).
        loop {
            let (first, rest) = s.split_once(char::is_whitespace).unwrap_or((s, ""));
            if is_stop_word(&first.to_lowercase())
                || MONTHS.split('|').any(|mo| mo == first)
                || is_title_word(first)
            {
                if rest.is_empty() {
                    s = "";
                    break;
                }
                start += s.len() - rest.len();
                s = rest;
            } else {
                break;
            }
        }
        let s = s
            .trim_end_matches("'s")
            .trim_end_matches("’s")
            .trim_end_matches(['\'', '’', '-']);
        let letters = s.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 2 || s.chars().count() < 2 {
            continue;
        }
        if is_weekday(s) || (!s.contains(' ') && sentence_word(text, start, s, &mut lower_words)) {
            continue;
        }
        // Agencies (REUTERS) and photographers credited after them (REUTERS/Blair Gable).
        if is_outlet_name(s) || text[..start].ends_with('/') {
            continue;
        }
        let before = text[..start].trim_end();
        let initial = before.is_empty() || before.ends_with(['.', '!', '?', '"', '“', ':', '”']);
        out.push(Found {
            kind: TermKind::Name,
            key: s.to_lowercase(),
            range: start..start + s.len(),
            date: None,
            tentative: initial && !s.contains(' '),
        });
    }
    out
}

/// A single capitalised word at the start of a sentence that the text also uses in lower case
/// (Climate talks … climate) is an ordinary word, not a name.
fn sentence_word<'t>(
    text: &'t str,
    start: usize,
    word: &str,
    lower_words: &mut Option<std::collections::HashSet<&'t str>>,
) -> bool {
    let before = text[..start].trim_end();
    let at_sentence_start = before.is_empty() || before.ends_with(['.', '!', '?', '"', '“', ':']);
    if !at_sentence_start {
        return false;
    }
    let words = lower_words.get_or_insert_with(|| {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.starts_with(|c: char| c.is_lowercase()))
            .collect()
    });
    words.contains(word.to_lowercase().as_str())
}

/// Titles written before English names (Mayor Elena Ruiz → Elena Ruiz).
fn is_title_word(w: &str) -> bool {
    matches!(
        w.trim_end_matches('.'),
        "Mr" | "Mrs"
            | "Ms"
            | "Dr"
            | "Prof"
            | "Professor"
            | "Sir"
            | "Dame"
            | "Mayor"
            | "President"
            | "Vice"
            | "Prime"
            | "Minister"
            | "Secretary"
            | "Senator"
            | "Governor"
            | "Chief"
            | "Executive"
            | "Chairman"
            | "Chairwoman"
            | "Chair"
            | "Director"
            | "General"
            | "Chancellor"
            | "King"
            | "Queen"
            | "Prince"
            | "Princess"
            | "Pope"
            | "Judge"
            | "Justice"
            | "Ambassador"
            | "Envoy"
            | "Spokesman"
            | "Spokeswoman"
            | "Spokesperson"
            | "Rep"
            | "Sen"
            | "Gov"
            | "Speaker"
            | "Commissioner"
            | "Officer"
            | "Captain"
            | "Colonel"
            | "Lieutenant"
            | "Sergeant"
            | "Admiral"
            | "Bishop"
            | "Saint"
            | "St"
    )
}

fn is_weekday(s: &str) -> bool {
    matches!(
        s,
        "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(y: i16, m: i8, d: i8) -> DateContext {
        DateContext {
            published: Some(jiff::civil::date(y, m, d)),
            last: None,
        }
    }

    fn keys(text: &str) -> Vec<(TermKind, String, String)> {
        let mut c = ctx(2022, 9, 1);
        extract(text, &mut c)
            .into_iter()
            .map(|f| (f.kind, f.key, text[f.range].to_string()))
            .collect()
    }

    fn has(text: &str, kind: TermKind, key: &str, surface: &str) {
        let k = keys(text);
        assert!(
            k.iter()
                .any(|(kk, key2, s)| *kk == kind && key2 == key && s == surface),
            "{kind:?} {key} {surface} not in {k:?}"
        );
    }

    #[test]
    fn counts_keep_their_noun_phrase() {
        has(
            "5日，外交部宣布8项反制措施，其中包括",
            TermKind::Quantity,
            "8反制措施",
            "8项反制措施",
        );
        // The measure word is not the key; a name after it is no part of the noun phrase.
        has("禁止59种中国手机应用", TermKind::Quantity, "59", "59种");
        has("禁止59款中国应用", TermKind::Quantity, "59", "59款");
        assert!(
            keys("数十种移动应用")
                .iter()
                .all(|k| k.0 != TermKind::Quantity)
        );
        has("1亿2000万人", TermKind::Quantity, "2000万人", "2000万人");
        has(
            "赔偿一万亿美元来",
            TermKind::Quantity,
            "1000000000000美元",
            "一万亿美元",
        );
        has(
            "listed 12 failed inspections since 2022",
            TermKind::Quantity,
            "12 failed inspections",
            "12 failed inspections",
        );
        has(
            "They agreed on 8 countermeasures.",
            TermKind::Quantity,
            "8 countermeasures",
            "8 countermeasures",
        );
        has(
            "a $100 billion fund",
            TermKind::Quantity,
            "$100 billion",
            "$100 billion",
        );
    }

    #[test]
    fn percentages() {
        has("总排放量的30%。", TermKind::Percent, "30%", "30%");
        has("约百分之三十", TermKind::Percent, "30%", "百分之三十");
        has(
            "about 30 percent of",
            TermKind::Percent,
            "30%",
            "30 percent",
        );
    }

    #[test]
    fn dates_resolve_years() {
        has(
            "8月5日，中方宣布",
            TermKind::Date,
            "date:2022-08-05",
            "8月5日",
        );
        has("去年4月，美国", TermKind::Date, "date:2021-04", "去年4月");
        has("在11月举行的", TermKind::Date, "date:2022-11", "11月");
        has(
            "去年8月31日至9月3日",
            TermKind::Date,
            "date:2021-09-03",
            "9月3日",
        );
        has("© 2022年德國", TermKind::Date, "date:2022", "2022年");
        has(
            "on October 25, 2022 he",
            TermKind::Date,
            "date:2022-10-25",
            "October 25, 2022",
        );
        has(
            "since 5 August the",
            TermKind::Date,
            "date:2022-08-05",
            "5 August",
        );
        has(
            "2022-10-26 x",
            TermKind::Date,
            "date:2022-10-26",
            "2022-10-26",
        );
    }

    #[test]
    fn a_date_far_ahead_of_publication_is_last_years() {
        let mut c = ctx(2023, 1, 10);
        let f = extract("12月20日，会议在3月举行", &mut c);
        let dates: Vec<_> = f.iter().filter_map(|f| f.date).map(|d| d.iso()).collect();
        assert_eq!(dates, ["2022-12-20", "2023-03"]);
    }

    #[test]
    fn a_bare_day_takes_the_last_month() {
        let text = "8月2日晚，专机降落。5日，外交部宣布";
        let mut c = ctx(2022, 9, 1);
        let f = extract(text, &mut c);
        let dates: Vec<_> = f.iter().filter_map(|f| f.date).map(|d| d.iso()).collect();
        assert_eq!(dates, ["2022-08-02", "2022-08-05"]);
        // Without a month before it, a bare day is no date.
        assert!(keys("5日，外交部").iter().all(|k| k.0 != TermKind::Date));
    }

    #[test]
    fn names_after_roles() {
        has("美国气候问题特使克里在接受", TermKind::Name, "克里", "克里");
        has("外交部发言人汪文斌表示", TermKind::Name, "汪文斌", "汪文斌");
        has(
            "美国众议院议长佩洛西（Nancy Pelosi）出访",
            TermKind::Name,
            "佩洛西",
            "佩洛西",
        );
        has(
            "美国众议院议长佩洛西（Nancy Pelosi）出访",
            TermKind::Name,
            "nancy pelosi",
            "Nancy Pelosi",
        );
        has(
            "美国总统气候问题特使克里在上海",
            TermKind::Name,
            "克里",
            "克里",
        );
        assert!(
            keys("美国总统气候问题特使克里")
                .iter()
                .all(|k| k.1 != "气候问题"),
            "a title chain is not a name"
        );
    }

    #[test]
    fn latin_names_skip_sentence_words() {
        let k = keys(
            "The United Nations met. But Kerry's plan, said John Kerry on Tuesday. X, Y and Z.",
        );
        let names: Vec<_> = k
            .iter()
            .filter(|k| k.0 == TermKind::Name)
            .map(|k| k.2.as_str())
            .collect();
        assert_eq!(names, ["United Nations", "Kerry", "John Kerry"]);
        let mut c = ctx(2024, 3, 1);
        let mut a = extract(
            "Commuters were angry. Hale said so. Mayor Elena Ruiz agreed.",
            &mut c,
        );
        let mut b = extract("The chief executive, Martin Hale, disagreed.", &mut c);
        let tentative: Vec<_> = a
            .iter()
            .filter(|f| f.tentative)
            .map(|f| f.key.as_str())
            .collect();
        assert_eq!(tentative, ["commuters", "hale"]);
        confirm_names(std::slice::from_mut(&mut a), std::slice::from_mut(&mut b));
        let names: Vec<_> = a.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            names,
            ["martin hale", "elena ruiz"],
            "Hale is Martin Hale's surname"
        );
    }

    #[test]
    fn latin_glosses_join_their_cjk_names() {
        let text = "美国特使克里（John Kerry）说，约翰（John Kerry）";
        let mut c = ctx(2022, 9, 1);
        let found = extract(text, &mut c);
        let g = glosses([(text, found.as_slice())].into_iter());
        // Both CJK names the Latin name glosses are one person, under the first.
        assert_eq!(g.len(), 2, "{g:?}");
        assert_eq!(g["john kerry"], "克里");
        assert_eq!(g["约翰"], "克里");
    }

    #[test]
    fn two_transliterations_glossed_alike_are_one_person() {
        let a = "美国国务卿庞皮欧（Pompeo）周三表示";
        let b = "美國國務卿蓬佩奧（Pompeo）週三說";
        let b = crate::compare::script::convert(b, crate::compare::Script::Simplified);
        let mut c = ctx(2020, 7, 1);
        let fa = extract(a, &mut c);
        let fb = extract(&b, &mut c);
        let g = glosses([(a, fa.as_slice()), (b.as_ref(), fb.as_slice())].into_iter());
        assert_eq!(g.get("蓬佩奥").map(String::as_str), Some("庞皮欧"), "{g:?}");
        assert_eq!(g.get("pompeo").map(String::as_str), Some("庞皮欧"), "{g:?}");
    }

    #[test]
    fn the_segmenter_names_people_places_and_organisations() {
        let k = keys("黎智英接受美联社专访时表示，香港特区政府和华为都在。罗冠聪离开香港。");
        let names: Vec<_> = k
            .iter()
            .filter(|k| k.0 == TermKind::Name)
            .map(|k| k.2.as_str())
            .collect();
        // 香港特区政府: the place is the term (as 美国政府 is 美国).
        assert_eq!(names, ["黎智英", "香港特区", "华为", "罗冠聪", "香港"]);
        // Phrases the bundled dictionary tags as names are none.
        let k = keys("于本周采取措施，许可高喊的东西。");
        assert!(k.iter().all(|k| k.0 != TermKind::Name), "{k:?}");
    }

    #[test]
    fn news_terms_take_one_key_in_any_form() {
        has("实施港版国安法后", TermKind::Topic, "国安法", "港版国安法");
        has("通过国家安全法。", TermKind::Topic, "国安法", "国家安全法");
        has("“港区国安法”生效", TermKind::Topic, "国安法", "港区国安法");
        has("川普在推特上", TermKind::Name, "特朗普", "川普");
    }

    #[test]
    fn credits_at_a_paragraph_start_carry_no_terms() {
        for text in [
            "路透渥太华7月3日 - 加拿大总理特鲁多周五表示",
            "（法新社巴黎20日电） 加拿大总理特鲁多周五表示",
            "29/06/2020 - 10:05 加拿大总理特鲁多周五表示",
        ] {
            let k = keys(text);
            let surfaces: Vec<_> = k.iter().map(|k| k.2.as_str()).collect();
            assert_eq!(surfaces, ["加拿大", "特鲁多"], "{text}");
        }
        // A date that opens a sentence is no credit.
        has(
            "2022-10-26 x",
            TermKind::Date,
            "date:2022-10-26",
            "2022-10-26",
        );
        // Nor is a bracketed remark.
        has("（加拿大总理特鲁多）", TermKind::Name, "特鲁多", "特鲁多");
    }

    #[test]
    fn five_years_in_numerals_or_digits() {
        has("居留许可五年。", TermKind::Quantity, "5年", "五年");
        has("居留权至5年。", TermKind::Quantity, "5年", "5年");
    }

    #[test]
    fn role_names_the_segmenter_reads_as_words_are_none() {
        has("首席财务官孟晚舟后，", TermKind::Name, "孟晚舟", "孟晚舟");
        assert!(
            keys("加拿大领导人考虑干涉此事")
                .iter()
                .all(|k| k.1 != "考虑干涉")
        );
    }

    #[test]
    fn quotes_and_works() {
        has(
            "推行「戰狼外交」，",
            TermKind::Quote,
            "“戰狼外交”",
            "「戰狼外交」",
        );
        has(
            "接受《金融时报》采访",
            TermKind::Work,
            "《金融时报》",
            "《金融时报》",
        );
        assert!(
            keys("他说：“我们认为我们必须站出来，我们有责任。”")
                .iter()
                .all(|k| k.0 != TermKind::Quote),
            "a quoted sentence is not a term"
        );
    }

    #[test]
    fn ordinals_meet_across_numerals() {
        has("第二十六次缔约方大会", TermKind::Ordinal, "#26", "第二十六");
        has("第26屆聯合國", TermKind::Ordinal, "#26", "第26");
        has("the 27th summit", TermKind::Ordinal, "#27", "27th");
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(zh_integer("十"), Some(10));
        assert_eq!(zh_integer("二十六"), Some(26));
        assert_eq!(zh_integer("一百零五"), Some(105));
        assert_eq!(zh_integer("三千万"), Some(30_000_000));
        assert_eq!(zh_integer("一万亿"), Some(1_000_000_000_000));
        assert_eq!(zh_integer("x"), None);
    }

    #[test]
    fn known_names_are_marked_everywhere_without_overlap() {
        let text = "克里强调，《克里传》";
        let mut c = ctx(2022, 9, 1);
        let mut f = extract(text, &mut c);
        mark_known_names(text, &KnownNames::new(&["克里".to_string()]), &mut f);
        let names: Vec<_> = f
            .iter()
            .filter(|f| f.kind == TermKind::Name)
            .map(|f| f.range.clone())
            .collect();
        assert_eq!(names.len(), 1);
        assert_eq!(names[0], 0.."克里".len());
    }

    #[test]
    fn numbers_inside_latin_words_are_not_numbers() {
        assert!(
            keys("COP27即將召開")
                .iter()
                .all(|k| k.0 != TermKind::Number)
        );
        has("COP27即將召開", TermKind::Name, "cop27", "COP27");
    }
}

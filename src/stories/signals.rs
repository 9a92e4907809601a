//! What a report says it is about: the signals story grouping matches on.
//!
//! The text read is the title and the lead (the first [`LEAD_CHARS`] characters of the body's
//! paragraphs, dateline paragraphs skipped), folded to Simplified so that 蓬佩奧 and 蓬佩奥 meet.
//! Credits at the start of a paragraph ("路透渥太华6月25日 -", "（德国之声中文网）",
//! "29/06/2020 - 10:05", "Mon, 29 Jun 2020 14:07:54 GMT") are cut before segmenting, and agency
//! names from `assets/stories.toml` are never signals. The segmenter (jieba, with part-of-speech
//! tags) gives names (nr), places (ns), organisations (nt) and other proper nouns (nz); on top
//! come Latin names, numbers that are not dates, quoted phrases and the title's content words.

use std::collections::HashSet;
use std::sync::OnceLock;

use jieba_rs::Jieba;
use regex::Regex;
use serde::Deserialize;

use crate::compare::paragraphs;
use crate::compare::script::{self, Script};
use crate::compare::terms;

/// How many characters of body text after the title are read.
pub const LEAD_CHARS: usize = 600;

/// The stories knowledge file, compiled in.
pub const DEFAULT_KNOWLEDGE: &str = include_str!("../../assets/stories.toml");

/// What kind of signal a term is; the kind sets its weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A person's name (jieba `nr`, `nrfg`, `nrt`).
    Person,
    /// A place (`ns`).
    Place,
    /// An organisation (`nt`).
    Organisation,
    /// Another proper noun (`nz`).
    Proper,
    /// A Latin-script name (capitalised), lower-cased.
    Latin,
    /// A number that is not part of a date or time, as digits.
    Number,
    /// A phrase in quotation marks or title marks.
    Quote,
    /// A content word of the title (nouns and verbs of two characters or more).
    TitleWord,
    /// Two adjacent Han characters of the title: names the segmenter does not know still meet.
    Bigram,
    /// A noun of the lead.
    Word,
}

impl Kind {
    /// The weight a term of this kind starts with (before rarity).
    pub fn weight(self) -> f32 {
        match self {
            Kind::Person => 3.0,
            Kind::Organisation => 2.5,
            Kind::Quote => 2.5,
            Kind::Latin => 2.0,
            Kind::Proper => 2.0,
            Kind::Place => 1.5,
            Kind::Number => 1.5,
            Kind::TitleWord => 1.2,
            Kind::Bigram => 0.7,
            Kind::Word => 0.6,
        }
    }
}

/// One signal of a report: a term in the pivot script, its kind, and whether the title has it.
#[derive(Clone, Debug, PartialEq)]
pub struct Signal {
    /// The term, Simplified, Latin lower-cased, numbers as digits.
    pub term: String,
    /// Its kind.
    pub kind: Kind,
    /// The title has it (titles say what a report is about most directly).
    pub in_title: bool,
}

#[derive(Deserialize)]
struct Knowledge {
    credits: Vec<String>,
    common: Vec<String>,
}

struct Tools {
    jieba: &'static Jieba,
    stop: HashSet<String>,
    credit_prefix: Regex,
    quote: Regex,
}

fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let k: Knowledge =
            toml::from_str(DEFAULT_KNOWLEDGE).expect("assets/stories.toml is valid (tested)");
        let stop = k
            .credits
            .iter()
            .chain(&k.common)
            .map(|s| s.to_lowercase())
            .collect();
        Tools {
            // The one segmenter the ledger uses too: its dictionary is loaded once.
            jieba: &terms::SEGMENTER,
            stop,
            // At a paragraph's start: a bracketed credit of up to 30 characters; a numeric or
            // English date-time; or up to 16 characters ending in a date and a dash or 电.
            credit_prefix: Regex::new(
                r"^(?:\s*[（(][^（）()]{1,30}[）)]|\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[T\s-]+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?)?|\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s+\d{1,2}\s+\w{3}\s+\d{4}\s+[\d:]{5,8}(?:\s+GMT)?|\s*[^\s\d（(]{0,16}\d{1,2}月\d{1,2}日电?\s*[-–—]?)\s*[-–—]?",
            )
            .expect("valid regex"),
            quote: Regex::new(r"[“「『《\x22]([^”」』》\x22]{2,24})[”」』》\x22]").expect("valid regex"),
        }
    })
}

/// Forces the segmenter's dictionary to load now (it takes a moment), e.g. on a worker.
pub fn warm_up() {
    tools();
}

/// Cuts credits and date-times from the start of a paragraph, repeatedly.
fn strip_credits(text: &str) -> &str {
    let re = &tools().credit_prefix;
    let mut t = text.trim_start();
    for _ in 0..4 {
        match re.find(t) {
            Some(m) if m.end() > 0 => t = t[m.end()..].trim_start(),
            _ => break,
        }
    }
    t
}

/// The lead: the body's non-dateline paragraphs, credits cut, up to [`LEAD_CHARS`] characters.
pub fn lead(html: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for p in paragraphs::paragraphs(html) {
        if paragraphs::is_dateline(&p.text) {
            continue;
        }
        let text = strip_credits(&p.text);
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        for c in text.chars() {
            if chars >= LEAD_CHARS {
                return out;
            }
            out.push(c);
            chars += 1;
        }
    }
    out
}

fn is_date_unit(next: &str) -> bool {
    let c = next.chars().next();
    matches!(
        c,
        Some('年' | '月' | '日' | '号' | '时' | '点' | '分' | '秒' | ':' | '/' | '周')
    )
}

fn kind_of(tag: &str) -> Option<Kind> {
    Some(match tag {
        "nr" | "nrfg" | "nrt" => Kind::Person,
        "ns" => Kind::Place,
        "nt" => Kind::Organisation,
        "nz" => Kind::Proper,
        _ => return None,
    })
}

fn push(out: &mut Vec<Signal>, seen: &mut HashSet<String>, term: String, kind: Kind, title: bool) {
    if seen.insert(term.clone()) {
        out.push(Signal {
            term,
            kind,
            in_title: title,
        });
    }
}

/// Signals of one text (title or lead) into `out`, each term once (the first kind wins).
fn scan(text: &str, title: bool, out: &mut Vec<Signal>, seen: &mut HashSet<String>) {
    let t = tools();
    let pivot = script::convert(text, Script::Simplified);
    let text: &str = &pivot;
    for cap in t.quote.captures_iter(text) {
        let q = cap[1].trim();
        if q.chars().count() >= 2 && !t.stop.contains(q) {
            push(out, seen, q.to_string(), Kind::Quote, title);
        }
    }
    let tags = t.jieba.tag(text, true);
    for (i, tag) in tags.iter().enumerate() {
        let word = tag.word.trim();
        if word.is_empty() {
            continue;
        }
        let next = tags.get(i + 1).map_or("", |n| n.word);
        if let Some(kind) = kind_of(tag.tag) {
            if word.chars().count() >= 2 && !t.stop.contains(word) {
                push(out, seen, word.to_string(), kind, title);
            }
            continue;
        }
        match tag.tag {
            "eng" => {
                let starts_upper = word.chars().next().is_some_and(|c| c.is_ascii_uppercase());
                let lower = word.to_ascii_lowercase();
                if starts_upper && word.len() >= 2 && !t.stop.contains(&lower) {
                    push(out, seen, lower, Kind::Latin, title);
                }
            }
            "m" => {
                if is_date_unit(next) {
                    continue;
                }
                let key = terms::number_key(word);
                let digits = key.bytes().filter(u8::is_ascii_digit).count();
                let year_like = key.len() == 4 && (key.starts_with("19") || key.starts_with("20"));
                if key.bytes().all(|b| b.is_ascii_digit() || b == b'.') && digits >= 2 && !year_like
                {
                    push(out, seen, key, Kind::Number, title);
                }
            }
            tag if title
                && (tag.starts_with('n') || tag.starts_with('v'))
                && word.chars().count() >= 2
                && script::has_han(word)
                && !t.stop.contains(word) =>
            {
                push(out, seen, word.to_string(), Kind::TitleWord, title);
            }
            tag if !title
                && tag.starts_with('n')
                && word.chars().count() >= 2
                && script::has_han(word)
                && !t.stop.contains(word) =>
            {
                push(out, seen, word.to_string(), Kind::Word, title);
            }
            _ => {}
        }
    }
    if title {
        let han: Vec<char> = text.chars().collect();
        for w in han.windows(2) {
            if script::is_han(w[0]) && script::is_han(w[1]) {
                let b: String = w.iter().collect();
                if !t.stop.contains(&b) {
                    push(out, seen, b, Kind::Bigram, title);
                }
            }
        }
    }
}

/// The signals of a report from its title and body HTML.
pub fn extract(title: &str, html: &str) -> Vec<Signal> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    scan(title, true, &mut out, &mut seen);
    let lead = lead(html);
    let mut body = Vec::new();
    scan(&lead, false, &mut body, &mut seen);
    // A title word the lead names as an entity keeps the entity's kind.
    out.extend(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms_of(title: &str, html: &str) -> Vec<String> {
        extract(title, html).into_iter().map(|s| s.term).collect()
    }

    #[test]
    fn knowledge_file_parses() {
        let k: Knowledge = toml::from_str(DEFAULT_KNOWLEDGE).unwrap();
        assert!(k.credits.iter().any(|c| c == "路透"));
    }

    #[test]
    fn credits_and_datelines_are_cut() {
        assert_eq!(
            strip_credits("路透渥太华6月25日 - 加拿大总理"),
            "加拿大总理"
        );
        assert_eq!(
            strip_credits("（德国之声中文网）香港特区政府"),
            "香港特区政府"
        );
        assert_eq!(
            strip_credits("29/06/2020 - 10:05 （法新社蒙特娄28日电） 加拿大"),
            "加拿大"
        );
        assert_eq!(
            strip_credits("Mon, 29 Jun 2020 14:07:54 GMT 时事大家谈"),
            "时事大家谈"
        );
        assert_eq!(
            strip_credits("2020-06-26T00:14:56 路透渥太华6月25日 - 特鲁多"),
            "特鲁多"
        );
    }

    #[test]
    fn names_places_numbers_quotes_in_one_script() {
        let t = terms_of(
            "加拿大總理特魯多拒絕用孟晚舟交換",
            "<p>路透渥太华6月25日 - 特鲁多(Justin Trudeau)周四说，19位知名人士的“释放孟晚舟”要求是错误的。</p>",
        );
        for want in ["特鲁多", "加拿大", "trudeau", "19", "释放孟晚舟", "晚舟"] {
            assert!(t.contains(&want.to_string()), "{want} missing from {t:?}");
        }
        for never in ["路透", "渥太华6月25日", "6", "25", "2020"] {
            assert!(!t.contains(&never.to_string()), "{never} in {t:?}");
        }
    }

    #[test]
    fn lead_skips_dateline_paragraphs_and_stops_at_the_limit() {
        let long = "字".repeat(LEAD_CHARS * 2);
        let html = format!("<p>德国之声 2020-07-02T06:50:34.415Z</p><p>{long}</p>");
        let l = lead(&html);
        assert_eq!(l.chars().count(), LEAD_CHARS);
        assert!(!l.contains("2020"));
    }
}

//! Day headers in the list (issue #12): a header row before the first report of each day
//! (the day in the zone the list shows dates in). Headers are rows on screen only: the
//! selection, `view` and every movement count reports; the list's offset counts screen rows.
//!
//! The headers are kept as the `view` indices where a day starts, found in one pass when the
//! view is filtered, so mapping between screen rows and reports is a binary search: drawing a
//! frame costs the visible rows, not the list.

use jiff::civil::Date;

use super::{App, Input, SearchTarget};
use crate::search::DayRange;

/// What a screen row of the list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListRow {
    /// The header of the `k`th day of the view.
    Header(usize),
    /// The report at this index of the view.
    Item(usize),
}

/// The day starts of a view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DayRows {
    /// Indices into the view where a new day starts; the first is 0 when the view is not
    /// empty. Header `k` is on screen row `starts[k] + k`.
    starts: Vec<u32>,
    /// Reports in the view.
    len: usize,
}

impl DayRows {
    /// The day starts of a view whose reports fall on `days` (in view order).
    pub fn new(days: impl IntoIterator<Item = Option<Date>>) -> DayRows {
        let mut starts = Vec::new();
        let mut last: Option<Option<Date>> = None;
        let mut len = 0;
        for (i, day) in days.into_iter().enumerate() {
            if last != Some(day) {
                starts.push(i as u32);
                last = Some(day);
            }
            len = i + 1;
        }
        DayRows { starts, len }
    }

    /// A view of `len` reports without headers (ranked search hits).
    pub fn flat(len: usize) -> DayRows {
        DayRows {
            starts: Vec::new(),
            len,
        }
    }

    /// Rows on screen: reports plus headers.
    pub fn rows(&self) -> usize {
        self.len + self.starts.len()
    }

    /// Headers in the view.
    pub fn days(&self) -> usize {
        self.starts.len()
    }

    /// The screen row of the report at view index `i`.
    pub fn row_of(&self, i: usize) -> usize {
        i + self.starts.partition_point(|&s| s as usize <= i)
    }

    /// The day (header index) of the report at view index `i`.
    pub fn day_of(&self, i: usize) -> usize {
        self.starts
            .partition_point(|&s| s as usize <= i)
            .saturating_sub(1)
    }

    /// The view index of the first report of day `k`.
    pub fn start(&self, k: usize) -> usize {
        self.starts.get(k).map_or(0, |&s| s as usize)
    }

    /// Reports on day `k`.
    pub fn count(&self, k: usize) -> usize {
        let end = self.starts.get(k + 1).map_or(self.len, |&s| s as usize);
        end - self.starts[k] as usize
    }

    /// What screen row `r` shows (`None` past the end).
    pub fn at(&self, r: usize) -> Option<ListRow> {
        if r >= self.rows() {
            return None;
        }
        if self.starts.is_empty() {
            return Some(ListRow::Item(r));
        }
        // The last header on or above row r: header k is on row starts[k] + k.
        let (mut lo, mut hi) = (0, self.starts.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.starts[mid] as usize + mid <= r {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let k = lo - 1;
        let header = self.starts[k] as usize + k;
        Some(if r == header {
            ListRow::Header(k)
        } else {
            ListRow::Item(r - k - 1)
        })
    }

    /// The report a move of `rows` screen rows from report `i` lands on: a header gives the
    /// report under it (or, when that is where the move started, the one above it).
    pub fn move_rows(&self, i: usize, rows: isize) -> usize {
        if self.len == 0 {
            return 0;
        }
        let from = self.row_of(i);
        let to = super::offset(from, rows, self.rows() - 1);
        match self.at(to) {
            Some(ListRow::Item(j)) => j,
            Some(ListRow::Header(k)) => {
                let under = self.start(k);
                if under == i && rows < 0 {
                    under.saturating_sub(1)
                } else {
                    under
                }
            }
            None => i,
        }
    }
}

/// How far `day` is from `range`, in days (0 inside it).
fn distance(day: Date, range: DayRange) -> i64 {
    let days = |a: Date, b: Date| (a - b).get_days() as i64;
    if day < range.first {
        days(range.first, day)
    } else if day > range.last {
        days(day, range.last)
    } else {
        0
    }
}

impl App {
    /// Today in the list's zone (dates typed without a year are the latest such day).
    pub(super) fn today(&self) -> Date {
        self.config
            .clock
            .now
            .to_zoned(self.config.clock.tz.clone())
            .date()
    }

    /// The days of the list as shown, newest first: each with the view index of its first
    /// report and how many reports it has. With day headers these are the headers; while the
    /// list shows full-text hits (ranked, no headers) they are the days the hits fall on, each
    /// starting at its best hit.
    fn view_days(&self) -> Vec<ViewDay> {
        let days = &self.catalog.days;
        if !self.shows_hits() {
            return (0..self.day_rows.days())
                .map(|k| {
                    let first = self.day_rows.start(k);
                    ViewDay {
                        day: days[self.view[first] as usize],
                        first,
                        count: self.day_rows.count(k),
                    }
                })
                .collect();
        }
        let mut by_day: Vec<ViewDay> = Vec::new();
        let mut at: std::collections::HashMap<Option<Date>, usize> = Default::default();
        for (i, &id) in self.view.iter().enumerate() {
            let day = days[id as usize];
            match at.get(&day) {
                Some(&k) => by_day[k].count += 1,
                None => {
                    at.insert(day, by_day.len());
                    by_day.push(ViewDay {
                        day,
                        first: i,
                        count: 1,
                    });
                }
            }
        }
        // Newest first, the undated last, as the headers would be.
        by_day.sort_by(|a, b| match (a.day, b.day) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        by_day
    }

    /// The day of `days` nearest `range` (its index) and how far it is in days: the first
    /// (newest) inside the range, else the nearest; between two equally near, the later.
    fn nearest_day(days: &[ViewDay], range: DayRange) -> Option<(i64, usize)> {
        let mut best: Option<(i64, usize)> = None;
        for (k, v) in days.iter().enumerate() {
            let Some(day) = v.day else {
                continue;
            };
            let d = distance(day, range);
            if best.is_none_or(|(b, _)| d < b) {
                best = Some((d, k));
            }
            if d == 0 {
                break;
            }
        }
        best
    }

    /// The days `text` names. A date typed without a year (`7月9日`, `9 July`) is that day in
    /// the year, from today back to the list's oldest, that brings it nearest a day with
    /// reports: in an archive of 2020, `7月1日` is 2020-07-01, not this year's. Dates with a
    /// year, and `today` or `yesterday`, are as [`crate::search::parse_day`] reads them.
    pub(super) fn resolve_day(&self, text: &str) -> Option<DayRange> {
        self.resolve_day_in(text, &self.view_days())
    }

    fn resolve_day_in(&self, text: &str, days: &[ViewDay]) -> Option<DayRange> {
        use crate::search::parse_day;
        let plain = parse_day(text, self.today())?;
        // Reference days that tell the kinds apart: a relative day moves with a one-day
        // change of "today", a year-less one with a one-year change, a full date with neither.
        let (a, b, c) = (
            jiff::civil::date(2000, 12, 31),
            jiff::civil::date(2000, 12, 30),
            jiff::civil::date(1999, 12, 31),
        );
        let at = |today: Date| parse_day(text, today);
        if at(a) != at(b) || at(a) == at(c) {
            return Some(plain);
        }
        let dated: Vec<Date> = days.iter().filter_map(|v| v.day).collect();
        let (Some(&newest), Some(&oldest)) = (dated.first(), dated.last()) else {
            return Some(plain);
        };
        let score = |r: DayRange| App::nearest_day(days, r).map_or(i64::MAX, |(d, _)| d);
        let mut best = (score(plain), plain);
        let this_year = self.today().year();
        // This year is `plain` (no day after today); earlier years end on 31 December.
        for year in (oldest.year()..=newest.year().min(this_year - 1)).rev() {
            let Some(r) = jiff::civil::Date::new(year, 12, 31).ok().and_then(at) else {
                continue;
            };
            let s = score(r);
            if s < best.0 {
                best = (s, r);
            }
        }
        Some(best.1)
    }

    /// `d`: opens the date prompt in the status bar.
    pub(super) fn begin_jump(&mut self) {
        self.input = Some(Input {
            target: SearchTarget::Date,
            text: String::new(),
        });
    }

    /// What the date being typed reads as, for the prompt: `2020-07-09 Thu`, a range, or why
    /// it is not a date.
    pub fn date_preview(&self, text: &str) -> String {
        if text.trim().is_empty() {
            return "a date: 2020-07-09, 7月9日, 9 July, yesterday".to_string();
        }
        match self.resolve_day(text) {
            Some(r) if r.first == r.last => label(Some(r.first)),
            Some(r) => format!("{} – {}", label(Some(r.first)), label(Some(r.last))),
            None => "not a date".to_string(),
        }
    }

    /// Jumps the list to the first report (the topmost row) on the day `text` names, or on
    /// the nearest day that has reports, and says which.
    pub(super) fn jump_to_date(&mut self, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let days = self.view_days();
        let Some(range) = self.resolve_day_in(text, &days) else {
            self.error(format!(
                "“{}” is not a date (try 2020-07-09, 7月9日 or 9 July)",
                crate::sanitize::clean_line(text)
            ));
            return;
        };
        let Some((d, k)) = App::nearest_day(&days, range) else {
            self.say(if self.shows_hits() {
                "no dated reports among the hits"
            } else {
                "no dated reports in the list"
            });
            return;
        };
        let before = self.selected;
        let found = &days[k];
        self.selected = found.first;
        // The day's header at the top of the list (ranked hits: the day's best hit).
        self.list_offset = self
            .day_rows
            .row_of(found.first)
            .saturating_sub(usize::from(!self.shows_hits()));
        self.focus = crate::tui::layout::Pane::List;
        if self.selected != before {
            self.selection_moved();
        }
        let asked = self.date_preview(text);
        let day = label(found.day);
        let count = found.count;
        let what = match (self.shows_hits(), count) {
            (true, 1) => format!("1 of {} hits", self.view.len()),
            (true, _) => format!("{count} of {} hits, best first", self.view.len()),
            (false, 1) => "1 report".to_string(),
            (false, _) => format!("{count} reports"),
        };
        self.say(if d == 0 {
            format!("{day}: {what}")
        } else {
            format!("no reports on {asked}; nearest: {day} ({what})")
        });
    }
}

/// A day of the list as shown (see `App::view_days`).
struct ViewDay {
    day: Option<Date>,
    /// The view index of its first report.
    first: usize,
    /// Its reports in the view.
    count: usize,
}

/// The header's text: `2020-07-09 Thu`, or `no date`.
pub fn label(day: Option<Date>) -> String {
    match day {
        Some(d) => d.strftime("%Y-%m-%d %a").to_string(),
        None => "no date".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<Date> {
        Some(s.parse().unwrap())
    }

    /// Three days: 2 reports, 1, 3; then two undated.
    fn sample() -> DayRows {
        DayRows::new([
            d("2020-07-09"),
            d("2020-07-09"),
            d("2020-07-08"),
            d("2020-07-06"),
            d("2020-07-06"),
            d("2020-07-06"),
            None,
            None,
        ])
    }

    #[test]
    fn rows_interleave_headers_before_each_day() {
        let rows = sample();
        assert_eq!(rows.rows(), 12);
        assert_eq!(rows.days(), 4);
        let shown: Vec<ListRow> = (0..12).map(|r| rows.at(r).unwrap()).collect();
        use ListRow::*;
        assert_eq!(
            shown,
            [
                Header(0),
                Item(0),
                Item(1),
                Header(1),
                Item(2),
                Header(2),
                Item(3),
                Item(4),
                Item(5),
                Header(3),
                Item(6),
                Item(7)
            ]
        );
        assert_eq!(rows.at(12), None);
        for (r, row) in shown.iter().enumerate() {
            if let Item(i) = row {
                assert_eq!(rows.row_of(*i), r);
            }
        }
        assert_eq!(
            (0..8).map(|i| rows.day_of(i)).collect::<Vec<_>>(),
            [0, 0, 1, 2, 2, 2, 3, 3]
        );
        assert_eq!(
            (0..4).map(|k| rows.count(k)).collect::<Vec<_>>(),
            [2, 1, 3, 2]
        );
    }

    #[test]
    fn an_empty_view_has_no_rows() {
        let rows = DayRows::new([]);
        assert_eq!(rows.rows(), 0);
        assert_eq!(rows.at(0), None);
        assert_eq!(rows.move_rows(0, 5), 0);
    }

    #[test]
    fn moves_by_rows_land_on_reports() {
        let rows = sample();
        // Row 1 (report 0) + 3 = row 4: report 2.
        assert_eq!(rows.move_rows(0, 3), 2);
        // + 2 = row 3, a header: the report under it.
        assert_eq!(rows.move_rows(0, 2), 2);
        // Up from report 2 (row 4) by 1: the header above it, so the report before it.
        assert_eq!(rows.move_rows(2, -1), 1);
        // Up by 2 from report 3 (row 6): row 4, report 2.
        assert_eq!(rows.move_rows(3, -2), 2);
        assert_eq!(rows.move_rows(0, 100), 7);
        assert_eq!(rows.move_rows(7, -100), 0);
    }

    #[test]
    fn labels_name_the_weekday() {
        assert_eq!(label(d("2020-07-09")), "2020-07-09 Thu");
        assert_eq!(label(None), "no date");
    }
}

//! Where each pane goes for a terminal size: computed in one place, used by drawing, scrolling
//! (page sizes) and the mouse, so they always agree.
//!
//! Modes (issue #4): from 120 columns list, body and metadata side by side; from 60x15 list and
//! body, the metadata replacing the list on `i`; below that one pane at a time; below 20x5 a
//! "terminal too small" notice. Every rectangle lies inside the given area, for any area.

use ratatui::layout::Rect;

/// A pane of the main view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pane {
    /// The article list.
    List,
    /// The rendered body.
    Body,
    /// The metadata.
    Meta,
}

/// How the screen is divided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// List, body and (unless hidden) metadata side by side.
    Wide,
    /// Two panes: list (or metadata) and body.
    Medium,
    /// One pane at a time.
    Single,
    /// Too small to show anything useful.
    TooSmall,
}

/// Minimum width for three panes.
pub const WIDE_COLS: u16 = 120;
/// Below this width (or [`TWO_PANE_ROWS`] rows), one pane at a time.
pub const TWO_PANE_COLS: u16 = 60;
/// Below this height (or [`TWO_PANE_COLS`] columns), one pane at a time.
pub const TWO_PANE_ROWS: u16 = 15;
/// Below this width (or [`MIN_ROWS`] rows), the "too small" notice.
pub const MIN_COLS: u16 = 20;
/// Below this height, the "too small" notice.
pub const MIN_ROWS: u16 = 5;

/// The rectangles of one frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    /// The mode for this size.
    pub mode: Mode,
    /// The list pane, if shown.
    pub list: Option<Rect>,
    /// The body pane, if shown.
    pub body: Option<Rect>,
    /// The metadata pane, if shown.
    pub meta: Option<Rect>,
    /// The status bar (one row), empty when too small.
    pub status: Rect,
    /// Everything above the status bar: where overlays and the comparison view go.
    pub main: Rect,
}

impl Areas {
    /// The rectangle of a pane, if shown.
    pub fn pane(&self, pane: Pane) -> Option<Rect> {
        match pane {
            Pane::List => self.list,
            Pane::Body => self.body,
            Pane::Meta => self.meta,
        }
    }

    /// The shown panes, left to right.
    pub fn visible(&self) -> Vec<Pane> {
        let mut panes: Vec<(u16, Pane)> = [Pane::List, Pane::Body, Pane::Meta]
            .into_iter()
            .filter_map(|p| self.pane(p).map(|r| (r.x, p)))
            .collect();
        panes.sort_by_key(|&(x, _)| x);
        panes.into_iter().map(|(_, p)| p).collect()
    }

    /// The pane containing a cell, if any.
    pub fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        let pos = ratatui::layout::Position::new(column, row);
        [Pane::List, Pane::Body, Pane::Meta]
            .into_iter()
            .find(|&p| self.pane(p).is_some_and(|r| r.contains(pos)))
    }
}

/// What the layout depends on besides the size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wanted {
    /// The focused pane (the one shown in single-pane mode).
    pub focus: Pane,
    /// Metadata shown in wide mode.
    pub info_wide: bool,
    /// Metadata shown (instead of the list) in medium mode.
    pub info_medium: bool,
}

/// The mode for a size.
pub fn mode(area: Rect) -> Mode {
    if area.width < MIN_COLS || area.height < MIN_ROWS {
        Mode::TooSmall
    } else if area.width < TWO_PANE_COLS || area.height < TWO_PANE_ROWS {
        Mode::Single
    } else if area.width < WIDE_COLS {
        Mode::Medium
    } else {
        Mode::Wide
    }
}

/// Divides `area` for the wanted panes.
pub fn compute(area: Rect, wanted: Wanted) -> Areas {
    let mode = mode(area);
    let empty = Rect::new(area.x, area.y, 0, 0);
    if mode == Mode::TooSmall {
        return Areas {
            mode,
            list: None,
            body: None,
            meta: None,
            status: empty,
            main: area,
        };
    }
    let main = Rect::new(area.x, area.y, area.width, area.height - 1);
    let status = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
    let mut areas = Areas {
        mode,
        list: None,
        body: None,
        meta: None,
        status,
        main,
    };
    let w = main.width;
    let column = |x: u16, width: u16| Rect::new(main.x + x, main.y, width, main.height);
    match mode {
        Mode::Wide => {
            let list = (w * 3 / 10).clamp(36, 60);
            let meta = if wanted.info_wide {
                (w * 22 / 100).clamp(30, 44)
            } else {
                0
            };
            areas.list = Some(column(0, list));
            areas.body = Some(column(list, w - list - meta));
            if meta > 0 {
                areas.meta = Some(column(w - meta, meta));
            }
        }
        Mode::Medium => {
            let left = (w * 38 / 100).clamp(24, 46);
            let left_rect = column(0, left);
            if wanted.info_medium {
                areas.meta = Some(left_rect);
            } else {
                areas.list = Some(left_rect);
            }
            areas.body = Some(column(left, w - left));
        }
        Mode::Single => match wanted.focus {
            Pane::List => areas.list = Some(main),
            Pane::Body => areas.body = Some(main),
            Pane::Meta => areas.meta = Some(main),
        },
        Mode::TooSmall => unreachable!("handled above"),
    }
    areas
}

/// A centred rectangle for an overlay of at most `width` x `height` inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const WANT: Wanted = Wanted {
        focus: Pane::List,
        info_wide: true,
        info_medium: false,
    };

    #[test]
    fn modes_follow_the_issue_thresholds() {
        assert_eq!(mode(Rect::new(0, 0, 120, 15)), Mode::Wide);
        assert_eq!(mode(Rect::new(0, 0, 119, 40)), Mode::Medium);
        assert_eq!(mode(Rect::new(0, 0, 80, 24)), Mode::Medium);
        assert_eq!(mode(Rect::new(0, 0, 59, 40)), Mode::Single);
        assert_eq!(mode(Rect::new(0, 0, 200, 14)), Mode::Single);
        assert_eq!(mode(Rect::new(0, 0, 20, 5)), Mode::Single);
        assert_eq!(mode(Rect::new(0, 0, 19, 40)), Mode::TooSmall);
        assert_eq!(mode(Rect::new(0, 0, 400, 4)), Mode::TooSmall);
    }

    #[test]
    fn wide_shows_three_panes_that_tile_the_width() {
        let a = compute(Rect::new(0, 0, 140, 40), WANT);
        let (l, b, m) = (a.list.unwrap(), a.body.unwrap(), a.meta.unwrap());
        assert_eq!((l.x, l.width), (0, 42));
        assert_eq!((b.x, b.width), (42, 68));
        assert_eq!((m.x, m.width), (110, 30));
        assert_eq!(l.height, 39);
        assert_eq!(a.status, Rect::new(0, 39, 140, 1));
        assert_eq!(a.visible(), [Pane::List, Pane::Body, Pane::Meta]);
        let hidden = compute(
            Rect::new(0, 0, 140, 40),
            Wanted {
                info_wide: false,
                ..WANT
            },
        );
        assert_eq!(hidden.meta, None);
        assert_eq!(hidden.body.unwrap().width, 98);
    }

    #[test]
    fn medium_swaps_list_for_metadata() {
        let a = compute(Rect::new(0, 0, 80, 24), WANT);
        assert_eq!(a.list, Some(Rect::new(0, 0, 30, 23)));
        assert_eq!(a.body, Some(Rect::new(30, 0, 50, 23)));
        let info = compute(
            Rect::new(0, 0, 80, 24),
            Wanted {
                info_medium: true,
                ..WANT
            },
        );
        assert_eq!(info.list, None);
        assert_eq!(info.meta, Some(Rect::new(0, 0, 30, 23)));
        assert_eq!(info.visible(), [Pane::Meta, Pane::Body]);
    }

    #[test]
    fn single_shows_the_focused_pane() {
        let a = compute(
            Rect::new(0, 0, 50, 20),
            Wanted {
                focus: Pane::Body,
                ..WANT
            },
        );
        assert_eq!(a.visible(), [Pane::Body]);
        assert_eq!(a.body, Some(Rect::new(0, 0, 50, 19)));
        assert_eq!(a.pane_at(10, 5), Some(Pane::Body));
        assert_eq!(a.pane_at(10, 19), None);
    }

    #[test]
    fn every_rect_is_inside_the_area_for_all_sizes() {
        for w in 0..=260u16 {
            for h in 0..=60u16 {
                let area = Rect::new(3, 2, w, h);
                for info in [false, true] {
                    let a = compute(
                        area,
                        Wanted {
                            info_wide: info,
                            info_medium: info,
                            ..WANT
                        },
                    );
                    for r in [a.list, a.body, a.meta].into_iter().flatten() {
                        assert!(area.contains(r.as_position()) || r.is_empty());
                        assert!(r.right() <= area.right() && r.bottom() <= area.bottom());
                    }
                }
            }
        }
        let c = centered(Rect::new(0, 0, 10, 3), 90, 30);
        assert_eq!(c, Rect::new(0, 0, 10, 3));
    }
}

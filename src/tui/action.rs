//! Everything the user can ask of the reader, as one documented enum.
//!
//! Keys map to actions through the keymap (`assets/keymap.toml`); the app changes state only in
//! [`crate::tui::app::App::update`]. Each bindable action has a stable snake_case name (used in
//! the keymap file), a description (the help overlay) and a short label (status-bar hints), so a
//! newcomer finds a key's meaning in one place.

use serde::Deserialize;

/// A request to change the app state. Unit variants can be bound to keys in the keymap; the
/// variants that carry data come from text input and the mouse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Quit the reader at once, from anywhere.
    Quit,
    /// Quit when in the list; elsewhere back out like `back`.
    QuitOrBack,
    /// Clear the search, close the overlay, or go back to the list.
    Back,
    /// Move the selection (or scroll) one row down.
    Down,
    /// Move the selection (or scroll) one row up.
    Up,
    /// Go to the first row or the top of the text.
    Top,
    /// Go to the last row or the end of the text.
    Bottom,
    /// One page down.
    PageDown,
    /// One page up.
    PageUp,
    /// Half a page down.
    HalfPageDown,
    /// Half a page up.
    HalfPageUp,
    /// Open the selected article for reading.
    Open,
    /// Read the next article in the list.
    NextArticle,
    /// Read the previous article in the list.
    PrevArticle,
    /// Move the focus to the next pane.
    FocusNext,
    /// Move the focus to the previous pane.
    FocusPrev,
    /// Move the focus to the pane on the left.
    FocusLeft,
    /// Move the focus to the pane on the right.
    FocusRight,
    /// Start a search: filter the list, or find in the body.
    Search,
    /// Go to the next match in the body.
    NextMatch,
    /// Go to the previous match in the body.
    PrevMatch,
    /// Show or hide the metadata pane.
    ToggleInfo,
    /// List the article's links.
    Links,
    /// Copy the selected link's URL to the clipboard (OSC 52).
    CopyLink,
    /// Show the keys.
    Help,
    /// List the files that failed to load, with reasons.
    Problems,
    /// Mark or unmark the selected article for comparison (up to two).
    ToggleMark,
    /// Mark the article read or unread (kept between launches).
    ToggleRead,
    /// Star or unstar the article (kept between launches).
    ToggleStar,
    /// Compare the two marked articles side by side.
    Compare,
    /// Open or close the stories view: the library grouped into stories across outlets.
    Stories,
    /// Browse by outlet and saved filter: the outlets overlay, with report counts.
    Outlets,
    /// Jump the list to a date as typed (2020-07-09, 7月9日, 9 July), or the nearest day.
    JumpToDate,
    /// Stories view: show every story, or only those reported by two outlets or more.
    ToggleAllStories,
    /// Comparison: cycle both sides through Simplified, Traditional and their own script.
    ToggleScript,
    /// Comparison: show or hide the ledger (terms both / only A / only B, and the timeline).
    ToggleLedger,
    /// Comparison: lock or unlock the scrolling of the two sides to the aligned rows.
    ToggleScrollLock,
    /// Comparison: jump to the paragraph a cross-reference (`↔ B¶14`) near the top points to.
    FollowCrossRef,
    /// Accept the search text and return to navigation.
    SearchAccept,
    /// Delete the last character of the search text.
    SearchBackspace,
    /// Clear the search text.
    SearchClear,
    /// Type a character into the search text (not bindable: any printable key).
    #[serde(skip)]
    Insert(char),
    /// Scroll the pane under the mouse down (not bindable: mouse wheel).
    #[serde(skip)]
    WheelDown(u16, u16),
    /// Scroll the pane under the mouse up (not bindable: mouse wheel).
    #[serde(skip)]
    WheelUp(u16, u16),
    /// Click at a cell: focus the pane, select the list row (not bindable: mouse).
    #[serde(skip)]
    Click(u16, u16),
}

impl Action {
    /// What the action does, for the help overlay.
    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "quit the reader",
            Action::QuitOrBack => "quit (in the list), else back",
            Action::Back => "clear the search, close, or go back",
            Action::Down => "down one row",
            Action::Up => "up one row",
            Action::Top => "go to the top",
            Action::Bottom => "go to the end",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::HalfPageDown => "half a page down",
            Action::HalfPageUp => "half a page up",
            Action::Open => "open the article",
            Action::NextArticle => "next article",
            Action::PrevArticle => "previous article",
            Action::FocusNext => "focus the next pane",
            Action::FocusPrev => "focus the previous pane",
            Action::FocusLeft => "focus the pane on the left",
            Action::FocusRight => "focus the pane on the right",
            Action::Search => "search (list: filter; body: find)",
            Action::NextMatch => "next match",
            Action::PrevMatch => "previous match",
            Action::ToggleInfo => "show or hide the metadata",
            Action::Links => "list the article's links",
            Action::CopyLink => "copy the URL (OSC 52)",
            Action::Help => "show or hide this help",
            Action::Problems => "files that failed to load",
            Action::ToggleMark => "mark for comparison (up to two)",
            Action::ToggleRead => "mark read or unread",
            Action::ToggleStar => "star or unstar",
            Action::Compare => "compare the marked pair (or with the same story's best report)",
            Action::Stories => "stories across outlets (open or close)",
            Action::Outlets => "outlets and saved filters: narrow the list",
            Action::JumpToDate => "jump to a date (2020-07-09, 7月9日, 9 July)",
            Action::ToggleAllStories => "all stories, or only those of 2+ outlets",
            Action::ToggleScript => "script: Simplified, Traditional, original",
            Action::ToggleLedger => "show or hide the ledger and timeline",
            Action::ToggleScrollLock => "lock or unlock scrolling to the aligned rows",
            Action::FollowCrossRef => "jump to the cross-referenced paragraph (↔)",
            Action::SearchAccept => "keep the search and navigate",
            Action::SearchBackspace => "delete a character",
            Action::SearchClear => "clear the search text",
            Action::Insert(_) => "type into the search",
            Action::WheelDown(..) | Action::WheelUp(..) => "scroll (mouse wheel)",
            Action::Click(..) => "focus and select (mouse click)",
        }
    }

    /// A one- or two-word label for the status-bar hints.
    pub fn label(self) -> &'static str {
        match self {
            Action::Quit | Action::QuitOrBack => "quit",
            Action::Back => "back",
            Action::Down | Action::Up => "move",
            Action::Top => "top",
            Action::Bottom => "end",
            Action::PageDown | Action::PageUp => "page",
            Action::HalfPageDown | Action::HalfPageUp => "half page",
            Action::Open => "open",
            Action::NextArticle => "next",
            Action::PrevArticle => "prev",
            Action::FocusNext | Action::FocusPrev | Action::FocusLeft | Action::FocusRight => {
                "focus"
            }
            Action::Search => "search",
            Action::NextMatch | Action::PrevMatch => "match",
            Action::ToggleInfo => "info",
            Action::Links => "links",
            Action::CopyLink => "copy",
            Action::Help => "help",
            Action::Problems => "problems",
            Action::ToggleMark => "mark",
            Action::ToggleRead => "read/unread",
            Action::ToggleStar => "star",
            Action::Compare => "compare",
            Action::Stories => "stories",
            Action::Outlets => "outlets",
            Action::JumpToDate => "date",
            Action::ToggleAllStories => "all/2+ outlets",
            Action::ToggleScript => "script",
            Action::ToggleLedger => "ledger",
            Action::ToggleScrollLock => "lock",
            Action::FollowCrossRef => "jump ↔",
            Action::SearchAccept => "keep",
            Action::SearchBackspace => "delete",
            Action::SearchClear => "clear",
            Action::Insert(_) => "type",
            Action::WheelDown(..) | Action::WheelUp(..) => "scroll",
            Action::Click(..) => "click",
        }
    }
}

/// What the event loop must do for the app after an update: the only side effects besides
/// drawing, kept out of `update` so that it stays pure and testable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Leave the event loop and restore the terminal.
    Quit,
    /// Put this text on the clipboard with OSC 52 (works over SSH).
    Copy(String),
}

//! All styles in one struct, read from `assets/theme.toml`: a 16-colour variant and a no-colour
//! variant (NO_COLOR, `--color never`) that shows selection and highlights with reverse, bold and
//! underline alone. Panes take every style from here; none writes a colour of its own.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use serde::Deserialize;

/// The default theme file, compiled in.
pub const DEFAULT_THEME: &str = include_str!("../../assets/theme.toml");

/// Every style the panes use.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Styles {
    /// Pane borders.
    pub border: StyleSpec,
    /// The focused pane's border.
    pub border_focused: StyleSpec,
    /// Pane titles.
    pub title: StyleSpec,
    /// The focused pane's title.
    pub title_focused: StyleSpec,
    /// Dates in the list.
    pub date: StyleSpec,
    /// Day headers in the list (`── 2020-07-09 Thu ──`).
    pub day_header: StyleSpec,
    /// Outlets in the list.
    pub outlet: StyleSpec,
    /// Titles in the list.
    pub list_title: StyleSpec,
    /// The unread mark.
    pub unread: StyleSpec,
    /// The star mark.
    pub starred: StyleSpec,
    /// The comparison mark.
    pub marked: StyleSpec,
    /// The selected row of the focused list.
    pub selected: StyleSpec,
    /// The selected row when the list is not focused.
    pub selected_unfocused: StyleSpec,
    /// Position indicators on pane borders.
    pub position: StyleSpec,
    /// Metadata field names.
    pub meta_key: StyleSpec,
    /// Metadata values.
    pub meta_value: StyleSpec,
    /// Secondary metadata (relative times, original text).
    pub meta_dim: StyleSpec,
    /// The status bar.
    pub status: StyleSpec,
    /// Keys in the status-bar hints.
    pub status_key: StyleSpec,
    /// A message in the status bar.
    pub status_message: StyleSpec,
    /// An error message or the failed-files count in the status bar.
    pub status_error: StyleSpec,
    /// The search prompt.
    pub prompt: StyleSpec,
    /// A search match in the body.
    pub find_match: StyleSpec,
    /// The current search match in the body.
    pub find_current: StyleSpec,
    /// Keys in the help overlay.
    pub help_key: StyleSpec,
    /// Section headings in the help overlay.
    pub help_heading: StyleSpec,
    /// Errors (problems overlay, body that failed to load).
    pub error: StyleSpec,
    /// Warnings.
    pub warning: StyleSpec,
    /// Comparison: a term both articles mention (no colour: underlined).
    pub term_shared: StyleSpec,
    /// Comparison: a term only one article mentions (no colour: bold).
    pub term_one_side: StyleSpec,
    /// Comparison: paragraph labels (`A¶3  ↔ B¶11`) and side marks in the ledger.
    pub para_label: StyleSpec,
    /// Comparison: the gap sentence above the columns.
    pub gap: StyleSpec,
}

/// A style as written in the theme file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StyleSpec {
    /// Foreground colour name (`red`, `lightcyan`, `reset`, …).
    pub fg: Option<String>,
    /// Background colour name.
    pub bg: Option<String>,
    /// Modifiers: bold, dim, italic, underlined, reversed.
    #[serde(default)]
    pub mods: Vec<String>,
}

impl StyleSpec {
    fn to_style(&self) -> Result<Style, String> {
        let mut style = Style::new();
        if let Some(fg) = &self.fg {
            style = style.fg(parse_color(fg)?);
        }
        if let Some(bg) = &self.bg {
            style = style.bg(parse_color(bg)?);
        }
        for m in &self.mods {
            style = style.add_modifier(match m.as_str() {
                "bold" => Modifier::BOLD,
                "dim" => Modifier::DIM,
                "italic" => Modifier::ITALIC,
                "underlined" => Modifier::UNDERLINED,
                "reversed" => Modifier::REVERSED,
                other => return Err(format!("unknown modifier `{other}`")),
            });
        }
        Ok(style)
    }
}

fn parse_color(name: &str) -> Result<Color, String> {
    name.parse::<Color>()
        .map_err(|_| format!("unknown colour `{name}`"))
}

#[derive(Deserialize)]
struct ThemeFile {
    color: Styles,
    mono: Styles,
}

/// Resolved styles and the border set, ready for drawing.
#[derive(Clone, Debug)]
pub struct Theme {
    /// True when colours are used.
    pub color: bool,
    /// True when borders and marks use ASCII only.
    pub ascii: bool,
    /// Border characters.
    pub border_set: border::Set<'static>,
    /// The ellipsis used to cut text.
    pub ellipsis: &'static str,
    /// The unread mark: one column wide in every terminal.
    pub unread_mark: &'static str,
    /// The star mark: one column wide in every terminal (not East Asian ambiguous, as ★ is).
    pub star_mark: &'static str,
    pub(crate) border: Style,
    pub(crate) border_focused: Style,
    pub(crate) title: Style,
    pub(crate) title_focused: Style,
    pub(crate) date: Style,
    pub(crate) day_header: Style,
    pub(crate) outlet: Style,
    pub(crate) list_title: Style,
    pub(crate) unread: Style,
    pub(crate) starred: Style,
    pub(crate) marked: Style,
    pub(crate) selected: Style,
    pub(crate) selected_unfocused: Style,
    pub(crate) position: Style,
    pub(crate) meta_key: Style,
    pub(crate) meta_value: Style,
    pub(crate) meta_dim: Style,
    pub(crate) status: Style,
    pub(crate) status_key: Style,
    pub(crate) status_message: Style,
    pub(crate) status_error: Style,
    pub(crate) prompt: Style,
    pub(crate) find_match: Style,
    pub(crate) find_current: Style,
    pub(crate) help_key: Style,
    pub(crate) help_heading: Style,
    pub(crate) error: Style,
    pub(crate) warning: Style,
    pub(crate) term_shared: Style,
    pub(crate) term_one_side: Style,
    pub(crate) para_label: Style,
    pub(crate) gap: Style,
}

impl Theme {
    /// The bundled theme, with or without colour, with Unicode or ASCII borders.
    pub fn new(color: bool, ascii: bool) -> Theme {
        Theme::parse(DEFAULT_THEME, color, ascii).expect("the bundled theme is valid (tested)")
    }

    /// Parses a theme file; the error says what is wrong.
    pub fn parse(text: &str, color: bool, ascii: bool) -> Result<Theme, String> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| e.to_string())?;
        Theme::from_file(&file, color, ascii)
    }

    /// The bundled theme with the config file's `[theme]` merged over it: `[theme.color]` and
    /// `[theme.mono]` entries `name = { fg, bg, mods }` replace that style whole. An entry that
    /// cannot apply (unknown variant or style, a bad colour or modifier) is left out and
    /// returned for a message naming its line.
    pub fn with_overrides(
        overrides: &toml::Table,
        color: bool,
        ascii: bool,
    ) -> (Theme, Vec<super::keymap::Override>) {
        use super::keymap::Override;
        let mut raw: toml::Table = toml::from_str(DEFAULT_THEME).expect("the bundled theme");
        let mut problems = Vec::new();
        for (variant, entries) in overrides {
            let Some(base) = raw.get_mut(variant).and_then(|t| t.as_table_mut()) else {
                problems.push(Override {
                    table: "theme".into(),
                    key: variant.clone(),
                    reason: format!(
                        "unknown theme variant `{}` (`color` or `mono`); it is ignored",
                        crate::sanitize::clean_line(variant)
                    ),
                });
                continue;
            };
            let Some(entries) = entries.as_table() else {
                problems.push(Override {
                    table: "theme".into(),
                    key: variant.clone(),
                    reason: format!("`theme.{variant}` should be a table of styles; it is ignored"),
                });
                continue;
            };
            for (name, spec) in entries {
                let shown = crate::sanitize::clean_line(name);
                let fail = |reason: String| Override {
                    table: format!("theme.{variant}"),
                    key: name.clone(),
                    reason,
                };
                if !base.contains_key(name) {
                    problems.push(fail(format!("unknown style `{shown}`; it is ignored")));
                    continue;
                }
                let parsed = spec
                    .clone()
                    .try_into::<StyleSpec>()
                    .map_err(|e| e.message().trim().to_string())
                    .and_then(|s| s.to_style().map(|_| ()));
                match parsed {
                    Ok(()) => {
                        base.insert(name.clone(), spec.clone());
                    }
                    Err(e) => problems.push(fail(format!(
                        "style `{shown}`: {}; it keeps its default",
                        crate::sanitize::clean_line(&e)
                    ))),
                }
            }
        }
        let theme = toml::Value::Table(raw)
            .try_into::<ThemeFile>()
            .map_err(|e| e.to_string())
            .and_then(|f| Theme::from_file(&f, color, ascii));
        match theme {
            Ok(t) => (t, problems),
            Err(e) => {
                problems.push(Override {
                    table: "theme".into(),
                    key: String::new(),
                    reason: format!(
                        "{}; the default theme is used",
                        crate::sanitize::clean_line(&e)
                    ),
                });
                (Theme::new(color, ascii), problems)
            }
        }
    }

    fn from_file(file: &ThemeFile, color: bool, ascii: bool) -> Result<Theme, String> {
        let s = if color { &file.color } else { &file.mono };
        // Both variants must parse, so a broken [color] is found even when testing without it.
        for spec in [&file.color, &file.mono] {
            spec.border.to_style()?;
        }
        Ok(Theme {
            color,
            ascii,
            border_set: if ascii { ASCII_BORDER } else { border::ROUNDED },
            ellipsis: if ascii { "~" } else { "…" },
            // ASCII as mutt and newsboat mark them: N for new, ! for flagged.
            unread_mark: if ascii { "N" } else { "•" },
            star_mark: if ascii { "!" } else { "✦" },
            border: s.border.to_style()?,
            border_focused: s.border_focused.to_style()?,
            title: s.title.to_style()?,
            title_focused: s.title_focused.to_style()?,
            date: s.date.to_style()?,
            day_header: s.day_header.to_style()?,
            outlet: s.outlet.to_style()?,
            list_title: s.list_title.to_style()?,
            unread: s.unread.to_style()?,
            starred: s.starred.to_style()?,
            marked: s.marked.to_style()?,
            selected: s.selected.to_style()?,
            selected_unfocused: s.selected_unfocused.to_style()?,
            position: s.position.to_style()?,
            meta_key: s.meta_key.to_style()?,
            meta_value: s.meta_value.to_style()?,
            meta_dim: s.meta_dim.to_style()?,
            status: s.status.to_style()?,
            status_key: s.status_key.to_style()?,
            status_message: s.status_message.to_style()?,
            status_error: s.status_error.to_style()?,
            prompt: s.prompt.to_style()?,
            find_match: s.find_match.to_style()?,
            find_current: s.find_current.to_style()?,
            help_key: s.help_key.to_style()?,
            help_heading: s.help_heading.to_style()?,
            error: s.error.to_style()?,
            warning: s.warning.to_style()?,
            term_shared: s.term_shared.to_style()?,
            term_one_side: s.term_one_side.to_style()?,
            para_label: s.para_label.to_style()?,
            gap: s.gap.to_style()?,
        })
    }
}

/// Borders in plain ASCII for terminals (and fonts) without box drawing.
const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_theme_parses_in_both_variants() {
        let color = Theme::new(true, false);
        assert_eq!(
            color.selected,
            Style::new().fg(Color::Black).bg(Color::Cyan)
        );
        let mono = Theme::new(false, true);
        assert_eq!(mono.selected, Style::new().add_modifier(Modifier::REVERSED));
        assert_eq!(mono.border_set.top_left, "+");
        assert_eq!(mono.ellipsis, "~");
    }

    /// Without colour nothing may rely on colour: no style of [mono] sets one, and every style
    /// that marks something in [color] (selection, matches, marks) has a modifier in [mono].
    #[test]
    fn mono_variant_has_no_colour_and_keeps_every_distinction() {
        let file: ThemeFile = toml::from_str(DEFAULT_THEME).unwrap();
        let m = &file.mono;
        let all = [
            &m.border,
            &m.border_focused,
            &m.title,
            &m.title_focused,
            &m.date,
            &m.day_header,
            &m.outlet,
            &m.list_title,
            &m.unread,
            &m.starred,
            &m.marked,
            &m.selected,
            &m.selected_unfocused,
            &m.position,
            &m.meta_key,
            &m.meta_value,
            &m.meta_dim,
            &m.status,
            &m.status_key,
            &m.status_message,
            &m.status_error,
            &m.prompt,
            &m.find_match,
            &m.find_current,
            &m.help_key,
            &m.help_heading,
            &m.error,
            &m.warning,
            &m.term_shared,
            &m.term_one_side,
            &m.para_label,
            &m.gap,
        ];
        for spec in all {
            assert_eq!((spec.fg.as_deref(), spec.bg.as_deref()), (None, None));
        }
        for spec in [
            &m.selected,
            &m.selected_unfocused,
            &m.find_match,
            &m.find_current,
            &m.unread,
            &m.starred,
            &m.marked,
            &m.border_focused,
            &m.term_shared,
            &m.term_one_side,
        ] {
            assert!(!spec.mods.is_empty());
        }
        assert_ne!(m.find_match, m.find_current);
        assert_ne!(m.selected, m.selected_unfocused);
        assert_ne!(m.border, m.border_focused);
        assert_ne!(m.term_shared, m.term_one_side);
    }

    #[test]
    fn colour_variant_uses_only_the_16_ansi_colours() {
        const ANSI: [&str; 17] = [
            "reset",
            "black",
            "red",
            "green",
            "yellow",
            "blue",
            "magenta",
            "cyan",
            "gray",
            "darkgray",
            "lightred",
            "lightgreen",
            "lightyellow",
            "lightblue",
            "lightmagenta",
            "lightcyan",
            "white",
        ];
        let file: toml::Table = toml::from_str(DEFAULT_THEME).unwrap();
        let color = file["color"].as_table().unwrap();
        let mut seen = 0;
        for (name, spec) in color {
            for key in ["fg", "bg"] {
                if let Some(c) = spec.get(key).and_then(|v| v.as_str()) {
                    assert!(ANSI.contains(&c), "{name}.{key} = {c}");
                    seen += 1;
                }
            }
        }
        assert!(seen > 10);
    }

    #[test]
    fn bad_theme_is_reported() {
        let bad = DEFAULT_THEME.replacen("fg = \"darkgray\"", "fg = \"mauve\"", 1);
        assert_eq!(
            Theme::parse(&bad, true, false).unwrap_err(),
            "unknown colour `mauve`"
        );
    }

    #[test]
    fn config_theme_merges_over_the_defaults() {
        let over: toml::Table = toml::from_str(
            "[color]\ndate = { fg = \"red\", mods = [\"bold\"] }\n[mono]\ndate = { mods = [\"underlined\"] }\n",
        )
        .unwrap();
        let (t, problems) = Theme::with_overrides(&over, true, false);
        assert_eq!(problems, []);
        assert_eq!(
            t.date,
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
        );
        assert_eq!(t.outlet, Theme::new(true, false).outlet);
        let (t, _) = Theme::with_overrides(&over, false, false);
        assert_eq!(t.date, Style::new().add_modifier(Modifier::UNDERLINED));
    }

    #[test]
    fn bad_config_styles_are_named_and_keep_their_default() {
        let over: toml::Table = toml::from_str(
            "[color]\ndate = { fg = \"mauve\" }\ndte = {}\noutlet = { fg = \"red\", size = 3 }\nborder = { fg = \"green\" }\n[colour]\n",
        )
        .unwrap();
        let (t, problems) = Theme::with_overrides(&over, true, false);
        let got: Vec<(&str, &str, &str)> = problems
            .iter()
            .map(|p| (p.table.as_str(), p.key.as_str(), p.reason.as_str()))
            .collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(
            got[0],
            (
                "theme.color",
                "date",
                "style `date`: unknown colour `mauve`; it keeps its default"
            )
        );
        assert_eq!(
            got[1],
            ("theme.color", "dte", "unknown style `dte`; it is ignored")
        );
        assert_eq!(
            got[3],
            (
                "theme",
                "colour",
                "unknown theme variant `colour` (`color` or `mono`); it is ignored"
            )
        );
        assert_eq!((got[2].0, got[2].1), ("theme.color", "outlet"));
        assert!(got[2].2.contains("size"), "{got:?}");
        let default = Theme::new(true, false);
        assert_eq!(t.date, default.date);
        assert_eq!(t.outlet, default.outlet);
        assert_eq!(t.border, Style::new().fg(Color::Green));
    }
}

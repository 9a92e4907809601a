//! The one table of keys: per layer, key → [`Action`]. It drives dispatch, the help overlay and
//! the status-bar hints, so rebinding a key in `assets/keymap.toml` changes all three together.
//!
//! Invariants: every layer of [`Layer::ALL`] has a section; every key spec parses; a key is bound
//! at most once per layer (checked when the table is built, so a bad default fails the tests).

use std::collections::HashMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde::Deserialize;

use super::action::Action;

/// The default key map, compiled in.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Where a key is looked up. The top layer decides; panes fall back to [`Layer::Global`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layer {
    /// Keys that work in every pane (not in text input or overlays, except `quit`).
    Global,
    /// The article list has the focus.
    List,
    /// The body has the focus.
    Body,
    /// The metadata pane has the focus.
    Meta,
    /// A search is being typed.
    Search,
    /// The links overlay is open.
    Links,
    /// The outlets overlay is open.
    Outlets,
    /// The problems overlay is open.
    Problems,
    /// The help overlay is open.
    Help,
    /// The side-by-side comparison (issue #5) is shown.
    Compare,
    /// The stories view (issue #11) is shown.
    Stories,
    /// A story's coverage is shown.
    Coverage,
}

impl Layer {
    /// Every layer, in the order the help overlay lists them.
    pub const ALL: [Layer; 12] = [
        Layer::Global,
        Layer::List,
        Layer::Body,
        Layer::Meta,
        Layer::Search,
        Layer::Links,
        Layer::Outlets,
        Layer::Problems,
        Layer::Help,
        Layer::Compare,
        Layer::Stories,
        Layer::Coverage,
    ];

    /// The section name in the keymap file.
    pub fn name(self) -> &'static str {
        match self {
            Layer::Global => "global",
            Layer::List => "list",
            Layer::Body => "body",
            Layer::Meta => "meta",
            Layer::Search => "search",
            Layer::Links => "links",
            Layer::Outlets => "outlets",
            Layer::Problems => "problems",
            Layer::Help => "help",
            Layer::Compare => "compare",
            Layer::Stories => "stories",
            Layer::Coverage => "coverage",
        }
    }

    /// A heading for the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Layer::Global => "Everywhere",
            Layer::List => "Article list",
            Layer::Body => "Reading",
            Layer::Meta => "Metadata",
            Layer::Search => "Typing a search",
            Layer::Links => "Links",
            Layer::Outlets => "Outlets",
            Layer::Problems => "Problems",
            Layer::Help => "Help",
            Layer::Compare => "Comparison",
            Layer::Stories => "Stories",
            Layer::Coverage => "A story's coverage",
        }
    }

    /// True for the panes, which fall back to the global section.
    pub fn is_pane(self) -> bool {
        matches!(self, Layer::List | Layer::Body | Layer::Meta)
    }
}

/// A key with its modifiers, normalised so that `J` and `Shift-j` are one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key code.
    pub code: KeyCode,
    /// Only Ctrl and Alt are kept: Shift is part of the character.
    pub mods: KeyModifiers,
}

impl Key {
    /// Normalises a terminal key event.
    pub fn from_event(event: &KeyEvent) -> Key {
        let mut mods = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match event.code {
            // Some terminals send Ctrl-letters as upper case.
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::Char(' ') => KeyCode::Char(' '),
            code => code,
        };
        if code == KeyCode::BackTab {
            mods = KeyModifiers::NONE;
        }
        Key { code, mods }
    }

    /// Parses a key spec such as `j`, `J`, `C-f`, `PageDown`, `Space`.
    pub fn parse(spec: &str) -> Result<Key, String> {
        let (mods, rest) = if let Some(rest) = spec.strip_prefix("C-") {
            (KeyModifiers::CONTROL, rest)
        } else if let Some(rest) = spec.strip_prefix("M-") {
            (KeyModifiers::ALT, rest)
        } else {
            (KeyModifiers::NONE, spec)
        };
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(if mods.is_empty() {
                c
            } else {
                c.to_ascii_lowercase()
            }),
            _ => match rest {
                "Down" => KeyCode::Down,
                "Up" => KeyCode::Up,
                "Left" => KeyCode::Left,
                "Right" => KeyCode::Right,
                "Home" => KeyCode::Home,
                "End" => KeyCode::End,
                "PageDown" => KeyCode::PageDown,
                "PageUp" => KeyCode::PageUp,
                "Enter" => KeyCode::Enter,
                "Esc" => KeyCode::Esc,
                "Tab" => KeyCode::Tab,
                "BackTab" => KeyCode::BackTab,
                "Space" => KeyCode::Char(' '),
                "Backspace" => KeyCode::Backspace,
                "Delete" => KeyCode::Delete,
                f if f.starts_with('F') => match f[1..].parse::<u8>() {
                    Ok(n @ 1..=12) => KeyCode::F(n),
                    _ => return Err(format!("unknown key `{spec}`")),
                },
                _ => return Err(format!("unknown key `{spec}`")),
            },
        };
        Ok(Key { code, mods })
    }

    /// How the key is shown in hints and help; `ascii` avoids arrows.
    pub fn display(&self, ascii: bool) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Down => if ascii { "Down" } else { "↓" }.to_string(),
            KeyCode::Up => if ascii { "Up" } else { "↑" }.to_string(),
            KeyCode::Left => if ascii { "Left" } else { "←" }.to_string(),
            KeyCode::Right => if ascii { "Right" } else { "→" }.to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift-Tab".to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            KeyCode::Delete => "Del".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{base}")
        } else if self.mods.contains(KeyModifiers::ALT) {
            format!("Alt-{base}")
        } else {
            base
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display(false))
    }
}

/// An entry of the config file's `[keys]` or `[theme]` that could not apply: where it is
/// (`keys.list`, `open`) and why, ending in what the reader does instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    /// The dotted table, e.g. `keys.list`.
    pub table: String,
    /// The key within it (empty: the whole table).
    pub key: String,
    /// Why, in words for the user.
    pub reason: String,
}

/// One action of a layer with its keys, in file order: a row of the help overlay.
#[derive(Clone, Debug)]
pub struct Binding {
    /// The action.
    pub action: Action,
    /// Its keys; the first is shown in hints.
    pub keys: Vec<Key>,
}

/// The parsed key map.
#[derive(Clone, Debug)]
pub struct Keymap {
    layers: HashMap<Layer, Vec<Binding>>,
    lookup: HashMap<(Layer, Key), Action>,
    hints: HashMap<Layer, Vec<Action>>,
}

impl Keymap {
    /// The compiled-in default map.
    pub fn default_map() -> Keymap {
        Keymap::parse(DEFAULT_KEYMAP).expect("the bundled keymap is valid (tested)")
    }

    /// Parses a keymap file; the error names the layer and the entry at fault.
    pub fn parse(text: &str) -> Result<Keymap, String> {
        let raw: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        Keymap::from_table(&raw)
    }

    /// The default map with the config file's `[keys]` merged over it: per layer, `action =
    /// [keys]` replaces that action's keys (`[]` unbinds it), and a key taken from another
    /// action of the layer leaves it. Each entry that cannot apply (unknown layer or action, a
    /// key that does not parse) is left out and returned as (table, key, reason) for a message
    /// naming its line; the rest applies.
    pub fn with_overrides(overrides: &toml::Table) -> (Keymap, Vec<Override>) {
        let mut raw: toml::Table = toml::from_str(DEFAULT_KEYMAP).expect("the bundled keymap");
        let mut problems = Vec::new();
        for (layer_name, entries) in overrides {
            let problem = |key: &str, reason: String| Override {
                table: format!("keys.{layer_name}"),
                key: key.to_string(),
                reason,
            };
            let Some(layer) = Layer::ALL.iter().find(|l| l.name() == layer_name) else {
                let names: Vec<&str> = Layer::ALL.iter().map(|l| l.name()).collect();
                problems.push(Override {
                    table: "keys".into(),
                    key: layer_name.clone(),
                    reason: format!(
                        "unknown key layer `{}` (the layers: {}); it is ignored",
                        crate::sanitize::clean_line(layer_name),
                        names.join(", ")
                    ),
                });
                continue;
            };
            let Some(entries) = entries.as_table() else {
                problems.push(Override {
                    table: "keys".into(),
                    key: layer_name.clone(),
                    reason: format!(
                        "`keys.{layer_name}` should be a table of action = [keys]; it is ignored"
                    ),
                });
                continue;
            };
            for (action, keys) in entries {
                let shown = crate::sanitize::clean_line(action);
                if let Err(e) = parse_action(action) {
                    let e = crate::sanitize::clean_line(&e);
                    problems.push(problem(
                        action,
                        format!("{e} (`?` lists them); it is ignored"),
                    ));
                    continue;
                }
                let specs: Option<Vec<&str>> = keys
                    .as_array()
                    .and_then(|list| list.iter().map(|k| k.as_str()).collect());
                let Some(specs) = specs else {
                    problems.push(problem(
                        action,
                        format!("`{shown}` should be a list of keys in quotes, e.g. [\"j\", \"Down\"]; it is ignored"),
                    ));
                    continue;
                };
                if let Some(bad) = specs.iter().find_map(|k| Key::parse(k).err()) {
                    let bad = crate::sanitize::clean_line(&bad);
                    problems.push(problem(action, format!("{bad}; `{shown}` keeps its keys")));
                    continue;
                }
                let mut unique: Vec<Key> = Vec::new();
                for k in specs.iter().filter_map(|k| Key::parse(k).ok()) {
                    if !unique.contains(&k) {
                        unique.push(k);
                    }
                }
                let Some(table) = raw.get_mut(layer.name()).and_then(|t| t.as_table_mut()) else {
                    continue;
                };
                // The keys leave whatever action of this layer had them.
                for (other, list) in table.iter_mut() {
                    if other == action {
                        continue;
                    }
                    if let Some(list) = list.as_array_mut() {
                        list.retain(|k| {
                            k.as_str()
                                .and_then(|k| Key::parse(k).ok())
                                .is_none_or(|k| !unique.contains(&k))
                        });
                    }
                }
                let list = specs.iter().map(|k| toml::Value::String((*k).to_string()));
                table.insert(action.clone(), toml::Value::Array(list.collect()));
            }
        }
        match Keymap::from_table(&raw) {
            Ok(map) => (map, problems),
            Err(e) => {
                problems.push(Override {
                    table: "keys".into(),
                    key: String::new(),
                    reason: format!(
                        "{}; the default keys are used",
                        crate::sanitize::clean_line(&e)
                    ),
                });
                (Keymap::default_map(), problems)
            }
        }
    }

    /// Builds the map from a parsed keymap file.
    fn from_table(raw: &toml::Table) -> Result<Keymap, String> {
        let mut layers = HashMap::new();
        let mut lookup = HashMap::new();
        let mut hints = HashMap::new();
        for layer in Layer::ALL {
            let table = raw
                .get(layer.name())
                .and_then(|v| v.as_table())
                .ok_or_else(|| format!("missing section [{}]", layer.name()))?;
            let mut bindings = Vec::new();
            for (name, keys) in table {
                let action = parse_action(name).map_err(|e| format!("[{}] {e}", layer.name()))?;
                let keys = keys
                    .as_array()
                    .ok_or_else(|| format!("[{}] {name}: expected a list of keys", layer.name()))?;
                let mut parsed = Vec::new();
                for key in keys {
                    let spec = key
                        .as_str()
                        .ok_or_else(|| format!("[{}] {name}: keys are strings", layer.name()))?;
                    let key = Key::parse(spec).map_err(|e| format!("[{}] {e}", layer.name()))?;
                    if let Some(other) = lookup.insert((layer, key), action) {
                        return Err(format!(
                            "[{}] key `{spec}` is bound twice ({other:?} and {action:?})",
                            layer.name()
                        ));
                    }
                    parsed.push(key);
                }
                bindings.push(Binding {
                    action,
                    keys: parsed,
                });
            }
            layers.insert(layer, bindings);
        }
        if let Some(table) = raw.get("hints").and_then(|v| v.as_table()) {
            for layer in Layer::ALL {
                let Some(list) = table.get(layer.name()).and_then(|v| v.as_array()) else {
                    continue;
                };
                let mut actions = Vec::new();
                for name in list {
                    let name = name.as_str().unwrap_or_default();
                    actions.push(parse_action(name).map_err(|e| format!("[hints] {e}"))?);
                }
                hints.insert(layer, actions);
            }
        }
        Ok(Keymap {
            layers,
            lookup,
            hints,
        })
    }

    /// The action for a key in `layer`; panes fall back to the global section.
    pub fn action(&self, layer: Layer, key: Key) -> Option<Action> {
        self.lookup.get(&(layer, key)).copied().or_else(|| {
            if layer.is_pane() {
                self.lookup.get(&(Layer::Global, key)).copied()
            } else {
                None
            }
        })
    }

    /// The action for a terminal key event, or `None` for releases and unbound keys.
    pub fn action_for(&self, layer: Layer, event: &KeyEvent) -> Option<Action> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        self.action(layer, Key::from_event(event))
    }

    /// The bindings of a layer, in file order.
    pub fn bindings(&self, layer: Layer) -> &[Binding] {
        self.layers.get(&layer).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The first key bound to `action` in `layer` (or, for panes, in the global section).
    pub fn first_key(&self, layer: Layer, action: Action) -> Option<Key> {
        let find = |l: Layer| {
            self.bindings(l)
                .iter()
                .find(|b| b.action == action)
                .and_then(|b| b.keys.first().copied())
        };
        find(layer).or_else(|| {
            if layer.is_pane() {
                find(Layer::Global)
            } else {
                None
            }
        })
    }

    /// The status-bar hints of a layer: (key, label) for each hinted action that has a key.
    pub fn hints(&self, layer: Layer, ascii: bool) -> Vec<(String, &'static str)> {
        self.hints
            .get(&layer)
            .into_iter()
            .flatten()
            .filter_map(|&action| {
                self.first_key(layer, action)
                    .map(|k| (k.display(ascii), action.label()))
            })
            .collect()
    }
}

fn parse_action(name: &str) -> Result<Action, String> {
    Action::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(name))
        .map_err(|_| format!("unknown action `{name}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(spec: &str) -> Key {
        Key::parse(spec).unwrap()
    }

    #[test]
    fn default_map_parses_and_binds_the_issue_keys() {
        let map = Keymap::default_map();
        let cases = [
            (Layer::List, "j", Action::Down),
            (Layer::List, "Down", Action::Down),
            (Layer::List, "k", Action::Up),
            (Layer::List, "g", Action::Top),
            (Layer::List, "End", Action::Bottom),
            (Layer::List, "Enter", Action::Open),
            (Layer::List, "/", Action::Search),
            (Layer::List, "q", Action::QuitOrBack),
            (Layer::List, "Space", Action::ToggleMark),
            (Layer::List, "c", Action::Compare),
            (Layer::List, "C-c", Action::Quit),
            (Layer::List, "?", Action::Help),
            (Layer::List, "!", Action::Problems),
            (Layer::List, "i", Action::ToggleInfo),
            (Layer::List, "Tab", Action::FocusNext),
            (Layer::List, "BackTab", Action::FocusPrev),
            (Layer::Body, "Space", Action::PageDown),
            (Layer::Body, "PageDown", Action::PageDown),
            (Layer::Body, "C-f", Action::PageDown),
            (Layer::Body, "b", Action::PageUp),
            (Layer::Body, "C-b", Action::PageUp),
            (Layer::Body, "C-d", Action::HalfPageDown),
            (Layer::Body, "C-u", Action::HalfPageUp),
            (Layer::Body, "J", Action::NextArticle),
            (Layer::Body, "K", Action::PrevArticle),
            (Layer::Body, "h", Action::FocusLeft),
            (Layer::Body, "Left", Action::FocusLeft),
            (Layer::Body, "n", Action::NextMatch),
            (Layer::Body, "N", Action::PrevMatch),
            (Layer::Body, "o", Action::Links),
            (Layer::Body, "Esc", Action::Back),
            (Layer::Links, "Enter", Action::CopyLink),
            (Layer::Search, "Enter", Action::SearchAccept),
            (Layer::Search, "Backspace", Action::SearchBackspace),
        ];
        for (layer, spec, action) in cases {
            assert_eq!(
                map.action(layer, key(spec)),
                Some(action),
                "{layer:?} {spec}"
            );
        }
        // Overlays and text input do not fall back to the global keys.
        assert_eq!(map.action(Layer::Search, key("i")), None);
        assert_eq!(map.action(Layer::Help, key("!")), None);
    }

    #[test]
    fn shifted_letters_and_ctrl_normalise() {
        let shifted = KeyEvent::new(KeyCode::Char('J'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&shifted), key("J"));
        let ctrl_upper = KeyEvent::new(KeyCode::Char('C'), KeyModifiers::CONTROL);
        assert_eq!(Key::from_event(&ctrl_upper), key("C-c"));
        let backtab = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&backtab), key("BackTab"));
    }

    #[test]
    fn hints_follow_the_bindings() {
        let map = Keymap::default_map();
        let hints = map.hints(Layer::List, false);
        assert_eq!(hints[0], ("Enter".to_string(), "open"));
        assert!(hints.contains(&("/".to_string(), "search")));
        assert!(hints.contains(&("?".to_string(), "help")));
        let rebound = DEFAULT_KEYMAP.replace("open = [\"Enter\"]", "open = [\"o\", \"Enter\"]");
        let rebound = rebound.replacen("links = [\"o\"]\n", "", 1);
        let map = Keymap::parse(&rebound).unwrap();
        assert_eq!(map.hints(Layer::List, false)[0], ("o".to_string(), "open"));
        assert_eq!(map.action(Layer::List, key("o")), Some(Action::Open));
    }

    #[test]
    fn errors_name_the_fault() {
        let err = Keymap::parse("[global]\nquit = [\"C-c\"]\n").unwrap_err();
        assert_eq!(err, "missing section [list]");
        let twice = DEFAULT_KEYMAP.replace("top = [\"g\", \"Home\"]", "top = [\"j\"]");
        assert!(Keymap::parse(&twice).unwrap_err().contains("bound twice"));
        let bad = DEFAULT_KEYMAP.replace("compare = [\"c\"]", "comprae = [\"c\"]");
        assert_eq!(
            Keymap::parse(&bad).unwrap_err(),
            "[list] unknown action `comprae`"
        );
        assert!(Key::parse("Hyper").is_err());
        assert!(Key::parse("F13").is_err());
    }

    #[test]
    fn keys_display_for_humans() {
        assert_eq!(key("C-f").display(false), "Ctrl-f");
        assert_eq!(key("Down").display(false), "↓");
        assert_eq!(key("Down").display(true), "Down");
        assert_eq!(key("Space").display(false), "Space");
        assert_eq!(key("BackTab").display(false), "Shift-Tab");
    }

    fn overrides(text: &str) -> toml::Table {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn config_keys_merge_over_the_defaults() {
        // `o` is the links key in the list by default: taking it for `open` moves it.
        let (map, problems) = Keymap::with_overrides(&overrides(
            "[list]\nopen = [\"o\", \"Enter\"]\ndown = [\"n\"]\n",
        ));
        assert_eq!(problems, []);
        assert_eq!(map.action(Layer::List, key("o")), Some(Action::Open));
        assert_eq!(map.action(Layer::List, key("Enter")), Some(Action::Open));
        assert_eq!(map.first_key(Layer::List, Action::Open), Some(key("o")));
        assert_eq!(map.action(Layer::List, key("n")), Some(Action::Down));
        assert_eq!(map.action(Layer::List, key("j")), None);
        assert_eq!(map.first_key(Layer::List, Action::Links), None);
        // Other layers keep theirs.
        assert_eq!(map.action(Layer::Body, key("j")), Some(Action::Down));
        // None: the defaults.
        let (map, problems) = Keymap::with_overrides(&toml::Table::new());
        assert_eq!(problems, []);
        assert_eq!(map.action(Layer::List, key("o")), Some(Action::Links));
    }

    #[test]
    fn bad_config_keys_are_named_and_the_rest_applies() {
        let (map, problems) = Keymap::with_overrides(&overrides(
            "[list]\nopne = [\"x\"]\ndown = [\"C-\"]\nup = \"k\"\ntop = [\"t\"]\n[lisst]\ndown = [\"j\"]\n",
        ));
        let got: Vec<(&str, &str, &str)> = problems
            .iter()
            .map(|p| (p.table.as_str(), p.key.as_str(), p.reason.as_str()))
            .collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0].0, "keys.list");
        assert_eq!(got[0].1, "opne");
        assert!(got[0].2.starts_with("unknown action `opne`"), "{got:?}");
        assert_eq!((got[1].0, got[1].1), ("keys.list", "down"));
        assert!(got[1].2.ends_with("; `down` keeps its keys"), "{got:?}");
        assert_eq!((got[2].0, got[2].1), ("keys.list", "up"));
        assert!(got[2].2.contains("a list of keys"), "{got:?}");
        assert_eq!((got[3].0, got[3].1), ("keys", "lisst"));
        assert!(got[3].2.starts_with("unknown key layer `lisst`"), "{got:?}");
        assert_eq!(map.action(Layer::List, key("j")), Some(Action::Down));
        assert_eq!(map.action(Layer::List, key("t")), Some(Action::Top));
        assert_eq!(map.action(Layer::List, key("x")), None);
    }
}

//! reader: a terminal reader for saved news reports, able to lay two reports of one story side by
//! side.
//!
//! The crate is a pure core and a thin shell:
//! - [`article`]: the model and the loaders (format detection, front matter, link header, dates,
//!   outlet). No terminal code.
//! - [`library`]: a set of articles with the problems met while loading kept beside them.
//! - [`render`]: article HTML to styled, wrapped, sanitised lines for a given width.
//! - [`compare`]: alignment and term analysis of two articles, independent of any UI.
//! - [`tui`]: the full-screen reader (state, actions, keymap, panes).
//! - [`commands`]: the plain commands (`list`, `show`, `check`, `compare`) for pipes.
//! - [`cli`]: argument definitions shared by the binary and the tests.
//! - [`config`]: the user's settings file.
//! - [`serve`]: `reader serve`, the reader and the plain commands over SSH.
//! - [`search`]: the query language, the analyzer and the full-text index.
//! - [`state`]: read, starred and reading positions per user, in SQLite.
//! - [`sanitize`]: the one gate that keeps article text from driving the terminal.

pub mod article;
pub mod cache;
pub mod cli;
pub mod columns;
pub mod commands;
pub mod compare;
pub mod config;
pub mod html_limit;
pub mod library;
pub mod render;
pub mod sanitize;
pub mod search;
pub mod serve;
pub mod state;
pub mod stories;
pub mod tui;

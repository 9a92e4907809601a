//! Helpers shared by the tests that spawn the binary.
#![allow(dead_code)]

use std::process::Command;

/// Points a spawned reader at the test target's own XDG folders, so no test reads the user's
/// config or state, or writes their cache.
pub trait TestHome {
    /// Sets `XDG_CONFIG_HOME`, `XDG_CACHE_HOME` and `XDG_DATA_HOME` under `CARGO_TARGET_TMPDIR`.
    fn test_home(&mut self) -> &mut Self;
}

impl TestHome for Command {
    fn test_home(&mut self) -> &mut Command {
        self.env(
            "XDG_CONFIG_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/xdg/config"),
        )
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/xdg/cache"),
        )
        .env(
            "XDG_DATA_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/xdg/data"),
        )
    }
}

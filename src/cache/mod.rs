//! The metadata cache (placeholder name for the file, filled in below).

/// The cache file's name inside its library folder.
pub const FILE_NAME: &str = "meta.bin";

//! End to end (issue #12 full-text search): the real `reader` binary in a pseudo-terminal on
//! the search fixtures; once the index is built, `/` and a word found only in a body list that
//! report with its matching sentence. Every spawned process gets its own XDG folders.

mod pty_support;

use pty_support::Launch;

#[test]
fn slash_and_a_body_only_word_find_the_report_with_its_sentence() {
    // Wide enough for the list to show a snippet beside the title.
    let mut s = Launch::reader(&["tests/fixtures/search"])
        .size(200, 30)
        .spawn();
    s.wait_text("Articles 3 ");
    // The index is built in the background: the status bar says so until it is ready.
    s.wait_gone("indexing");
    s.send("/公帑");
    s.wait_text("Articles 1/3");
    // The title, then the sentence that holds the word, from just before the word when the
    // sentence is longer than the room.
    s.wait_text(" · …浪费公帑。");
    // Enter keeps the hits and leaves the prompt.
    s.send("\r");
    s.wait_gone("/公帑▏");
    s.quit();
}

//! The plain commands on hostile files and pipes (issue #15): special files are refused at once
//! with what they are, the size cap names the file and the cap, and a closed pipe ends quietly.

mod cli_support;
use cli_support::TestHome;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DW: &str = "seeds/dw-2022-10-26-cop27-us-urges-china-climate-dialogue.txt";

fn reader() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reader"));
    c.test_home();
    c.env_remove("READER_MAX_SIZE").env("NO_COLOR", "1");
    c
}

/// Runs `cmd`, killing it after `limit`; the output, or a failure naming the hang.
fn run_within(mut cmd: Command, limit: Duration) -> std::process::Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("{cmd:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn show_on_a_fifo_says_so_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("report.txt");
    mkfifo(&fifo);
    let mut cmd = reader();
    cmd.arg("show").arg(&fifo);
    let out = run_within(cmd, Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("reader: {}: not a regular file (a FIFO)\n", fifo.display())
    );
}

#[test]
fn devices_are_refused_not_read() {
    for dev in ["/dev/zero", "/dev/urandom"] {
        if !Path::new(dev).exists() {
            continue;
        }
        let mut cmd = reader();
        cmd.args(["show", dev]);
        let out = run_within(cmd, Duration::from_secs(10));
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("reader: {dev}: not a regular file (a device)\n")
        );
    }
}

#[test]
fn the_size_cap_names_the_file_and_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.html");
    std::fs::write(&big, format!("<p>{}</p>", "x".repeat(3000))).unwrap();
    let expected = format!(
        "reader: {}: too large: 2.9 KiB is over the size cap of 2 KiB (raise it with --max-size or READER_MAX_SIZE)\n",
        big.display()
    );
    let out = reader()
        .args(["show", "--max-size", "2K"])
        .arg(&big)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr), expected);

    // The environment variable, and `list`, which lists what loads and names what does not.
    std::fs::copy(DW, dir.path().join("dw.txt")).unwrap();
    let out = reader()
        .arg("list")
        .arg(dir.path())
        .env("READER_MAX_SIZE", "2k")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("big.html: too large"), "{err}");
    assert!(err.contains("dw.txt: too large"), "{err}");

    // Raised, both load.
    let out = reader()
        .args(["list", "--max-size", "1M"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);

    let out = reader()
        .args(["list", "--max-size", "lots"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = reader()
        .arg("list")
        .env("READER_MAX_SIZE", "0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("reader: READER_MAX_SIZE: "));
}

/// Runs `reader ARGS` writing into a pipe whose reading end is already closed (what `| head`
/// becomes once `head` has its lines): every write fails with EPIPE. The status and stderr.
fn into_closed_pipe(args: &[&str]) -> (Option<i32>, String) {
    use std::os::fd::{FromRawFd, OwnedFd};
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: both descriptors were just created by pipe() and are owned here alone.
    let (read_end, write_end) =
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(read_end);
    let out = reader()
        .args(args)
        .stdout(Stdio::from(write_end))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn closed_pipes_end_quietly_from_every_command_and_format() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3 {
        std::fs::copy(DW, dir.path().join(format!("dw-{i}.txt"))).unwrap();
    }
    let path = dir.path().to_str().unwrap();
    for args in [
        vec!["list", path],
        vec!["list", "--json", path],
        vec!["check", path],
        vec!["show", DW],
        vec!["compare", DW, DW],
        vec!["compare", "--json", DW, DW],
    ] {
        let (code, err) = into_closed_pipe(&args);
        assert_eq!((code, err.as_str()), (Some(0), ""), "{args:?}");
    }
}

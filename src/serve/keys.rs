//! The keys of `reader serve`: the authorized_keys file that says who may read, and the
//! server's own host key.
//!
//! authorized_keys follows OpenSSH's format (sshd(8), "AUTHORIZED_KEYS FILE FORMAT"): one key a
//! line as `[options] type base64 [comment]`; blank lines and `#` comments are skipped; options
//! are comma-separated, with double-quoted values that may hold spaces, commas and `\"`. The
//! server reads only the keys: options are accepted and reported as not enforced, since none of
//! them (`command=`, `from=`, `no-pty`…) has a meaning it honours, and a key that relied on one
//! for its safety must be known not to have it. A line that does not parse is reported with its
//! number and skipped; the other keys still count.

use std::collections::HashSet;
use std::fmt;
use std::io::{self, Read, Write};
use std::path::Path;

use russh::keys::{HashAlg, PrivateKey, PublicKey};

/// A line of authorized_keys that was skipped or is taken with a caveat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineProblem {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong, as a sentence.
    pub reason: String,
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// The keys allowed in.
#[derive(Clone, Debug, Default)]
pub struct AuthorizedKeys {
    /// The keys' wire encodings (algorithm and key data; comments play no part).
    keys: HashSet<Vec<u8>>,
    /// Each key's comment, in file order, for the start-up log.
    pub comments: Vec<String>,
}

/// Key types OpenSSH writes in authorized_keys.
const KEY_TYPES: [&str; 8] = [
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-dss",
];

/// Key types whose signatures this server can verify.
const VERIFIABLE: [&str; 4] = [
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
];

impl AuthorizedKeys {
    /// Parses the text of an authorized_keys file: the keys, and a problem per bad line (or
    /// per option that is not enforced).
    pub fn parse(text: &str) -> (AuthorizedKeys, Vec<LineProblem>) {
        let mut keys = AuthorizedKeys::default();
        let mut problems = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            match parse_line(trimmed) {
                Ok(entry) => {
                    if !entry.options.is_empty() {
                        problems.push(LineProblem {
                            line,
                            reason: format!(
                                "options not enforced by reader serve (the key is allowed \
                                 without them): {}",
                                entry.options.join(", ")
                            ),
                        });
                    }
                    keys.keys.insert(wire(&entry.key));
                    keys.comments.push(entry.comment);
                }
                Err(reason) => problems.push(LineProblem { line, reason }),
            }
        }
        (keys, problems)
    }

    /// Reads and parses `path`.
    pub fn load(path: &Path) -> io::Result<(AuthorizedKeys, Vec<LineProblem>)> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("{}: {e}", crate::article::shown_path(path)),
            )
        })?;
        Ok(AuthorizedKeys::parse(&text))
    }

    /// True when `key` is one of the file's.
    pub fn allows(&self, key: &PublicKey) -> bool {
        self.keys.contains(&wire(key))
    }

    /// How many keys are allowed.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when no key is allowed.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The key's identity: its algorithm and key data, as sent on the wire.
fn wire(key: &PublicKey) -> Vec<u8> {
    // `to_bytes` encodes the key data alone (the comment is not part of it).
    key.to_bytes()
        .unwrap_or_else(|_| key.to_openssh().unwrap_or_default().into_bytes())
}

/// `SHA256:…`, as `ssh-keygen -l` prints it: the key's name in logs and in the state store.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

struct Entry {
    options: Vec<String>,
    key: PublicKey,
    comment: String,
}

fn parse_line(line: &str) -> Result<Entry, String> {
    let (options, rest) = if KEY_TYPES.iter().any(|t| first_word(line) == *t) {
        (Vec::new(), line)
    } else {
        split_options(line)?
    };
    let rest = rest.trim_start();
    let kind = first_word(rest);
    if !KEY_TYPES.contains(&kind) {
        return Err(if kind.is_empty() {
            "options without a key".into()
        } else {
            // Name what the line starts with: either it is a misspelt key type, or options
            // came without one.
            format!(
                "`{}` is not a key type",
                crate::sanitize::clean_line(&first_word(line).chars().take(40).collect::<String>())
            )
        });
    }
    if !VERIFIABLE.contains(&kind) {
        return Err(format!(
            "{kind} keys are not supported (use ssh-ed25519 or ecdsa-sha2-*)"
        ));
    }
    let after = rest[kind.len()..].trim_start();
    let data = first_word(after);
    if data.is_empty() {
        return Err(format!("{kind} without key data"));
    }
    let comment = after[data.len()..].trim().to_string();
    let key = PublicKey::from_openssh(&format!("{kind} {data}"))
        .map_err(|e| format!("the {kind} key data does not decode ({e})"))?;
    if key.algorithm().as_str() != kind {
        return Err(format!(
            "the key data is a {} key, not {kind}",
            key.algorithm().as_str()
        ));
    }
    Ok(Entry {
        options: options
            .iter()
            .map(|o| o.split('=').next().unwrap_or(o).to_string())
            .collect(),
        key,
        comment,
    })
}

fn first_word(s: &str) -> &str {
    s.split([' ', '\t']).next().unwrap_or("")
}

/// Splits the leading options (up to the first unquoted blank) into their items.
fn split_options(line: &str) -> Result<(Vec<String>, &str), String> {
    let mut options = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quoted => {
                if let Some((_, next)) = chars.next() {
                    current.push(next);
                }
            }
            '"' => quoted = !quoted,
            ',' if !quoted => options.push(std::mem::take(&mut current)),
            ' ' | '\t' if !quoted => {
                options.push(current);
                if options.iter().any(|o| o.is_empty()) {
                    return Err("an empty option".into());
                }
                return Ok((options, &line[i..]));
            }
            _ => current.push(c),
        }
    }
    Err(if quoted {
        "an option's quoted value is not closed".into()
    } else {
        "no key after the options".into()
    })
}

/// Loads the host key at `path`, or creates an ed25519 key there (mode 0600, its folder made as
/// needed) when there is none. Returns the key and whether it was created.
pub fn host_key(path: &Path) -> io::Result<(PrivateKey, bool)> {
    let shown = crate::article::shown_path(path);
    match std::fs::read(path) {
        Ok(bytes) => {
            check_private(path)?;
            let key = PrivateKey::from_openssh(&bytes).map_err(|e| {
                io::Error::other(format!("{shown}: not an OpenSSH private key ({e})"))
            })?;
            Ok((key, false))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let mut seed = [0u8; 32];
            std::fs::File::open("/dev/urandom")?.read_exact(&mut seed)?;
            let key = PrivateKey::from(russh::keys::ssh_key::private::Ed25519Keypair::from_seed(
                &seed,
            ));
            seed.fill(0);
            let text = key
                .to_openssh(russh::keys::ssh_key::LineEnding::LF)
                .map_err(|e| io::Error::other(format!("encoding the host key: {e}")))?;
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            let mut file = options
                .open(path)
                .map_err(|e| io::Error::new(e.kind(), format!("{shown}: {e}")))?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            Ok((key, true))
        }
        Err(e) => Err(io::Error::new(e.kind(), format!("{shown}: {e}"))),
    }
}

/// Refuses a host key that others can read, as sshd does.
fn check_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(io::Error::other(format!(
                "{}: the host key is readable by others (mode {:o}); chmod 600 it",
                crate::article::shown_path(path),
                mode & 0o777
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ED: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOXjLmVF1FuPNxRqEZKnV0SkfE8Ipz98hXA8GWwRnwY7";
    const ED2: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJWaWVQUAtesFgCD/q7ybLMcnVosI6WKyq3kNgOjS+hy";

    #[test]
    fn keys_with_comments_blank_lines_and_options() {
        let text = format!(
            "# the team\n\n{ED} alice@laptop\n  \
             from=\"10.0.0.0/8,192.168.1.1\",command=\"echo \\\"hi there\\\"\",no-pty {ED2} bob\n"
        );
        let (keys, problems) = AuthorizedKeys::parse(&text);
        assert_eq!(keys.len(), 2);
        assert_eq!(keys.comments, ["alice@laptop", "bob"]);
        assert_eq!(
            problems,
            [LineProblem {
                line: 4,
                reason: "options not enforced by reader serve (the key is allowed without \
                         them): from, command, no-pty"
                    .into()
            }]
        );
        let alice = PublicKey::from_openssh(ED).unwrap();
        assert!(keys.allows(&alice));
    }

    #[test]
    fn bad_lines_are_reported_with_their_numbers_and_the_rest_still_counts() {
        let text = format!(
            "{ED}\nssh-ed25519\nssh-ed25519 AAAA!!notbase64\nnot-a-key AAAA\n\
             ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ x\ncommand=\"unclosed {ED2}\n\
             ssh-ed25519 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmK\n{ED2}"
        );
        let (keys, problems) = AuthorizedKeys::parse(&text);
        assert_eq!(keys.len(), 2);
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 7]);
        assert_eq!(problems[0].reason, "ssh-ed25519 without key data");
        assert!(
            problems[1]
                .reason
                .starts_with("the ssh-ed25519 key data does not decode")
        );
        assert_eq!(problems[2].reason, "`not-a-key` is not a key type");
        assert_eq!(
            problems[3].reason,
            "ssh-rsa keys are not supported (use ssh-ed25519 or ecdsa-sha2-*)"
        );
        assert_eq!(problems[4].reason, "an option's quoted value is not closed");
        assert_eq!(
            problems[4].to_string(),
            "line 6: an option's quoted value is not closed"
        );
    }

    #[test]
    fn a_key_not_in_the_file_is_not_allowed() {
        let (keys, _) = AuthorizedKeys::parse(ED);
        assert!(!keys.allows(&PublicKey::from_openssh(ED2).unwrap()));
        assert!(keys.allows(&PublicKey::from_openssh(&format!("{ED} other comment")).unwrap()));
    }

    #[test]
    fn the_host_key_is_created_private_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/host_key");
        let (first, created) = host_key(&path).unwrap();
        assert!(created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (again, created) = host_key(&path).unwrap();
        assert!(!created);
        assert_eq!(first.public_key(), again.public_key());
        assert_eq!(first.algorithm(), russh::keys::Algorithm::Ed25519);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = host_key(&path).unwrap_err();
            assert!(e.to_string().contains("readable by others"), "{e}");
        }
    }
}

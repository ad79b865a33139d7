//! The secret rules: one per credential kind, each a literal anchor (found by one
//! aho-corasick pass over a file's bytes) and a hand-written validator that says whether
//! the bytes at the anchor are a real credential of that kind, and where it lies.
//!
//! Formats that identify themselves (a fixed prefix plus a fixed alphabet and length, or a
//! PEM armour line) are detected as in gitleaks' and trufflehog's high-precision
//! detectors. Three kinds have no format of their own and are found by what surrounds
//! them instead, never by entropy alone: an AWS secret access key (40 base64 characters
//! mixing cases and digits) given to a name such as `aws_secret_access_key` or on the line
//! of an access key id; the literal password of a URL's user-info
//! (`scheme://user:password@`); and the literal after `docker login -p`/`--password`.
//! Placeholders are rejected: a value containing `example`, a run of six equal characters,
//! a password that is a word such as `password` or `changeme`, a reference (`$VAR`,
//! `${{ secrets.X }}`, `<token>`), or (for PEM blocks) a body that is not base64 of at
//! least 64 characters with at least 16 distinct characters.
//!
//! Decision on AWS: an access key id (`AKIA`/`ASIA` + 16 base32 characters) is reported
//! on its own, as gitleaks does, but at medium severity — the id alone does not
//! authenticate; its secret key beside it is reported at high severity.
//! A URL password is medium: it is most often a local test database's.

use std::ops::Range;

use crate::model::{Rule, Severity};

use super::mask::{docker_login_password, url_password};

/// One credential kind.
pub struct Detector {
    pub rule: &'static Rule,
    pub severity: Severity,
    /// What the message calls it.
    pub noun: &'static str,
    pub anchors: &'static [&'static str],
    /// Given the file's bytes, the anchor's offset and length, the credential's byte range
    /// (from the anchor, or after it when the anchor is the name given to the value).
    pub validate: fn(&[u8], usize, usize) -> Option<Range<usize>>,
    /// How many leading bytes of the value a report may show: the format's public prefix
    /// (`ghp_`), 0 for a value with no prefix of its own.
    pub public_prefix: usize,
    /// The value is shown whole: a PEM block's armour line, not the key below it.
    pub shows_value: bool,
}

const fn rule(id: &'static str, title: &'static str) -> Rule {
    Rule {
        group: "secrets",
        id,
        title,
        help: "Anyone who can read the repository, or any clone or fork of it, can use this credential. Revoke it now (rotating is the fix; deleting the line is not, the value stays in git history), then load it from a secret store or CI secret at run time.",
    }
}

pub const PRIVATE_KEY: Rule = rule("secret-private-key", "private key committed to the tree");
pub const AWS_ACCESS_KEY: Rule = rule("secret-aws-access-key", "AWS access key id committed to the tree");
pub const GITHUB_TOKEN: Rule = rule("secret-github-token", "GitHub token committed to the tree");
pub const GITLAB_TOKEN: Rule = rule(
    "secret-gitlab-token",
    "GitLab personal access token committed to the tree",
);
pub const SLACK_TOKEN: Rule = rule("secret-slack-token", "Slack token committed to the tree");
pub const SLACK_WEBHOOK: Rule = rule(
    "secret-slack-webhook",
    "Slack incoming webhook URL committed to the tree",
);
pub const STRIPE_KEY: Rule = rule(
    "secret-stripe-key",
    "Stripe live secret or restricted key committed to the tree",
);
pub const AWS_SECRET_KEY: Rule = rule("secret-aws-secret-key", "AWS secret access key committed to the tree");
pub const URL_PASSWORD: Rule = rule(
    "secret-url-password",
    "URL with a literal password committed to the tree",
);
pub const DOCKER_LOGIN_PASSWORD: Rule = rule(
    "secret-docker-login-password",
    "`docker login` with a literal password committed to the tree",
);
pub const GOOGLE_API_KEY: Rule = rule("secret-google-api-key", "Google API key committed to the tree");
pub const NPM_TOKEN: Rule = rule("secret-npm-token", "npm access token committed to the tree");
pub const PYPI_TOKEN: Rule = rule("secret-pypi-token", "PyPI API token committed to the tree");

/// Sorted by id.
pub const ALL: &[Rule] = &[
    AWS_ACCESS_KEY,
    AWS_SECRET_KEY,
    DOCKER_LOGIN_PASSWORD,
    GITHUB_TOKEN,
    GITLAB_TOKEN,
    GOOGLE_API_KEY,
    NPM_TOKEN,
    PRIVATE_KEY,
    PYPI_TOKEN,
    SLACK_TOKEN,
    SLACK_WEBHOOK,
    STRIPE_KEY,
    URL_PASSWORD,
];

pub const DETECTORS: &[Detector] = &[
    Detector {
        rule: &PRIVATE_KEY,
        severity: Severity::High,
        noun: "private key block",
        anchors: &["-----BEGIN "],
        validate: pem_private_key,
        public_prefix: 0,
        shows_value: true,
    },
    Detector {
        rule: &AWS_ACCESS_KEY,
        severity: Severity::Medium,
        noun: "AWS access key id",
        anchors: &["AKIA", "ASIA"],
        validate: |b, s, a| {
            token(b, s, a, 16..=16, |c| {
                c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c)
            })
        },
        public_prefix: 4,
        shows_value: false,
    },
    Detector {
        rule: &GITHUB_TOKEN,
        severity: Severity::High,
        noun: "GitHub token",
        anchors: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        validate: |b, s, a| token(b, s, a, 36..=36, |c| c.is_ascii_alphanumeric()),
        public_prefix: 4,
        shows_value: false,
    },
    Detector {
        rule: &GITHUB_TOKEN,
        severity: Severity::High,
        noun: "GitHub fine-grained token",
        anchors: &["github_pat_"],
        validate: |b, s, a| token(b, s, a, 82..=82, is_word),
        public_prefix: 4,
        shows_value: false,
    },
    Detector {
        rule: &GITLAB_TOKEN,
        severity: Severity::High,
        noun: "GitLab personal access token",
        anchors: &["glpat-"],
        validate: |b, s, a| token(b, s, a, 20..=100, |c| is_word(c) || c == b'-'),
        public_prefix: 4,
        shows_value: false,
    },
    Detector {
        rule: &SLACK_TOKEN,
        severity: Severity::High,
        noun: "Slack token",
        anchors: &["xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-"],
        validate: slack_token,
        public_prefix: 4,
        shows_value: false,
    },
    Detector {
        rule: &SLACK_WEBHOOK,
        severity: Severity::High,
        noun: "Slack webhook URL",
        anchors: &["hooks.slack.com/services/"],
        validate: slack_webhook,
        public_prefix: 4,
        shows_value: false,
    },
    Detector {
        rule: &STRIPE_KEY,
        severity: Severity::High,
        noun: "Stripe live key",
        anchors: &["sk_live_", "rk_live_"],
        validate: |b, s, a| token(b, s, a, 24..=99, |c| c.is_ascii_alphanumeric()),
        public_prefix: 4,
        shows_value: false,
    },
    Detector {
        rule: &GOOGLE_API_KEY,
        severity: Severity::High,
        noun: "Google API key",
        anchors: &["AIza"],
        validate: |b, s, a| token(b, s, a, 35..=35, |c| is_word(c) || c == b'-'),
        public_prefix: 4,
        shows_value: false,
    },
    Detector {
        rule: &NPM_TOKEN,
        severity: Severity::High,
        noun: "npm access token",
        anchors: &["npm_"],
        validate: |b, s, a| token(b, s, a, 36..=36, |c| c.is_ascii_alphanumeric()),
        public_prefix: 4,
        shows_value: false,
    },
    Detector {
        rule: &PYPI_TOKEN,
        severity: Severity::High,
        noun: "PyPI API token",
        anchors: &["pypi-AgEIcHlwaS5vcmc"],
        validate: |b, s, a| token(b, s, a, 50..=400, |c| is_word(c) || c == b'-'),
        public_prefix: 4,
        shows_value: false,
    },
    Detector {
        rule: &AWS_SECRET_KEY,
        severity: Severity::High,
        noun: "AWS secret access key",
        // The middle of every name of [`AWS_SECRET_NAMES`]: seven anchors of five
        // beginnings made the search of every file twice as slow (its prefilter matches
        // a text position on its first three bytes).
        anchors: &["ecret", "ECRET"],
        validate: aws_secret_named,
        public_prefix: 0,
        shows_value: false,
    },
    Detector {
        rule: &URL_PASSWORD,
        severity: Severity::Medium,
        noun: "URL password",
        anchors: &["://"],
        validate: |b, s, a| url_password(b, s + a).filter(|p| !is_placeholder_password(&b[p.clone()])),
        public_prefix: 0,
        shows_value: false,
    },
    Detector {
        rule: &DOCKER_LOGIN_PASSWORD,
        severity: Severity::High,
        noun: "`docker login` password",
        anchors: &["docker login"],
        validate: |b, s, _| docker_login_password(b, s).filter(|p| !is_placeholder_password(&b[p.clone()])),
        public_prefix: 0,
        shows_value: false,
    },
];

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// `anchor` at `start`, then `length` bytes of `alphabet`, with no word character right
/// before it nor right after it (a token inside a longer identifier is something else).
fn token(
    bytes: &[u8],
    start: usize,
    anchor: usize,
    length: std::ops::RangeInclusive<usize>,
    alphabet: fn(u8) -> bool,
) -> Option<Range<usize>> {
    if start > 0 && is_word(bytes[start - 1]) {
        return None;
    }
    let body_start = start + anchor;
    let body = bytes[body_start..]
        .iter()
        .take(length.end() + 1)
        .take_while(|c| alphabet(**c))
        .count();
    let end = body_start + body;
    let after_ok = bytes.get(end).is_none_or(|c| !is_word(*c));
    (length.contains(&body) && after_ok && !is_placeholder(&bytes[body_start..end])).then_some(start..end)
}

/// The 40 base64 characters of an AWS secret access key at `start`, bounded on both sides.
pub fn aws_secret_at(bytes: &[u8], start: usize) -> Option<Range<usize>> {
    let base64 = |c: &u8| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/';
    if start > 0 && base64(&bytes[start - 1]) {
        return None;
    }
    let len = bytes[start..].iter().take(41).take_while(|c| base64(c)).count();
    let value = &bytes[start..start + len];
    let mixed = value.iter().any(u8::is_ascii_uppercase) && value.iter().any(u8::is_ascii_lowercase);
    (len == 40 && mixed && value.iter().any(u8::is_ascii_digit) && !is_placeholder(value)).then_some(start..start + len)
}

/// The names an AWS secret access key is given.
pub(super) const AWS_SECRET_NAMES: [&str; 7] = [
    "aws_secret_access_key",
    "AWS_SECRET_ACCESS_KEY",
    "secret_access_key",
    "SECRET_ACCESS_KEY",
    "SecretAccessKey",
    "aws_secret_key",
    "AWS_SECRET_KEY",
];

/// The value given to a name of [`AWS_SECRET_NAMES`] (found by its `ecret`, at `start`):
/// past quotes, spaces and a `:`, `=` or `=>`, at most 12 bytes on.
fn aws_secret_named(bytes: &[u8], start: usize, _anchor: usize) -> Option<Range<usize>> {
    // Where the name around the anchor ends; names that end alike give the same value.
    let after = AWS_SECRET_NAMES.iter().find_map(|name| {
        let offset = name.find("ecret").or_else(|| name.find("ECRET"))?;
        let name_start = start.checked_sub(offset)?;
        let name_end = name_start + name.len();
        (bytes.get(name_start..name_end)? == name.as_bytes()).then_some(name_end)
    })?;
    let gap = bytes[after..]
        .iter()
        .take(12)
        .take_while(|c| b"\"' \t:=>".contains(c))
        .count();
    let separated = bytes[after..after + gap].iter().any(|c| b":=".contains(c));
    separated.then(|| aws_secret_at(bytes, after + gap)).flatten()
}

/// Words written where a password goes in documentation.
fn is_placeholder_password(value: &[u8]) -> bool {
    const WORDS: &[&[u8]] = &[
        b"password",
        b"passwd",
        b"pass",
        b"pwd",
        b"secret",
        b"changeme",
        b"token",
        b"user",
        b"username",
    ];
    is_placeholder(value) || WORDS.iter().any(|w| value.eq_ignore_ascii_case(w))
}

/// `example` in any case, or six equal characters in a row.
pub fn is_placeholder(body: &[u8]) -> bool {
    let example = body.windows(7).any(|w| w.eq_ignore_ascii_case(b"example"));
    let repeated = body.windows(6).any(|w| w.iter().all(|c| *c == w[0]));
    example || repeated
}

/// `xox?-` then dash-separated groups: at least three, one of at least nine digits (the
/// team or user id), the last at least eight characters.
fn slack_token(bytes: &[u8], start: usize, anchor: usize) -> Option<Range<usize>> {
    let found = token(bytes, start, anchor, 20..=255, |c| {
        c.is_ascii_alphanumeric() || c == b'-'
    })?;
    let body = &bytes[start + anchor..found.end];
    let groups: Vec<&[u8]> = body.split(|c| *c == b'-').collect();
    let has_id = groups.iter().any(|g| g.len() >= 9 && g.iter().all(u8::is_ascii_digit));
    let last_long = groups.last().is_some_and(|g| g.len() >= 8);
    (groups.len() >= 3 && has_id && last_long).then_some(found)
}

/// `hooks.slack.com/services/T…/B…/` and a 24-character secret.
fn slack_webhook(bytes: &[u8], start: usize, anchor: usize) -> Option<Range<usize>> {
    let mut at = start + anchor;
    for prefix in [b'T', b'B'] {
        let id = bytes[at..]
            .iter()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            .count();
        if bytes.get(at) != Some(&prefix) || id < 9 || bytes.get(at + id) != Some(&b'/') {
            return None;
        }
        at += id + 1;
    }
    token(bytes, at, 0, 24..=24, |c| c.is_ascii_alphanumeric()).map(|secret| start..secret.end)
}

/// How far past the armour line a PEM block's end may be.
const PEM_MAX_BODY: usize = 64 * 1024;

/// `-----BEGIN <label> PRIVATE KEY-----` (or `... PRIVATE KEY BLOCK-----`, PGP), then a
/// base64 body, then `-----END`. The body may be split into lines, quoted string pieces or
/// `\n` escapes (a key inside source code); header lines (`Proc-Type: ...`) are skipped.
/// Returns the end of the armour line: the finding points at it, never at the body.
fn pem_private_key(bytes: &[u8], start: usize, anchor: usize) -> Option<Range<usize>> {
    let label_start = start + anchor;
    let label_len = bytes[label_start..]
        .iter()
        .take(60)
        .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || **c == b' ')
        .count();
    let label = &bytes[label_start..label_start + label_len];
    let armour_end = label_start + label_len + 5;
    let armoured = bytes.get(label_start + label_len..armour_end) == Some(b"-----");
    if !armoured || !(label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK")) {
        return None;
    }
    let window = &bytes[armour_end..bytes.len().min(armour_end + PEM_MAX_BODY)];
    let body_len = memchr::memmem::find(window, b"-----END")?;
    base64_body(&window[..body_len]).then_some(start..armour_end)
}

fn base64_body(body: &[u8]) -> bool {
    let mut seen = [false; 256];
    let mut count = 0usize;
    let text = String::from_utf8_lossy(body).replace("\\n", "\n").replace("\\r", "\n");
    for line in text.lines().filter(|l| !l.contains(':')) {
        for c in line.bytes().filter(|c| !c.is_ascii_whitespace() && !b"\"'".contains(c)) {
            if !(c.is_ascii_alphanumeric() || b"+/=".contains(&c)) {
                return false;
            }
            seen[usize::from(c)] = true;
            count += 1;
        }
    }
    count >= 64 && seen.iter().filter(|s| **s).count() >= 16
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(text: &str) -> Option<&'static str> {
        let bytes = text.as_bytes();
        DETECTORS.iter().find_map(|d| {
            d.anchors.iter().find_map(|a| {
                let start = memchr::memmem::find(bytes, a.as_bytes())?;
                (d.validate)(bytes, start, a.len()).map(|_| d.rule.id)
            })
        })
    }

    #[test]
    fn rules_are_sorted_and_every_rule_has_a_detector() {
        assert!(ALL.windows(2).all(|w| w[0].id < w[1].id));
        assert!(ALL.iter().all(|r| DETECTORS.iter().any(|d| d.rule.id == r.id)));
    }

    #[test]
    fn tokens_need_their_exact_shape() {
        // Built at run time so this source file holds no token-shaped literal.
        let body36 = "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
        assert_eq!(detect(&format!("t = \"ghp_{body36}\"")), Some("secret-github-token"));
        assert_eq!(detect(&format!("t = \"ghp_{body36}x\"")), None);
        assert_eq!(detect(&format!("my_ghp_{body36}")), None);
        assert_eq!(detect("key: AKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(
            detect(&format!("key: AKIA{}", "Q2W3E4R5T6Y7U2I3")),
            Some("secret-aws-access-key")
        );
        assert_eq!(detect("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), None);
        assert_eq!(detect("token: xoxb-your-token-here-please"), None);
    }

    #[test]
    fn pem_blocks_need_a_base64_body() {
        let header = format!("-----BEGIN {} KEY-----", "RSA PRIVATE");
        let body = "MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naN9Zl5xV1d9Qw8Tx2yKk3rT0pLmN4oQ5rS6tU7vW8xY9zA0bC1dE2fG3hI4jK5lM\n";
        let real = format!("{header}\n{body}-----END RSA PRIVATE KEY-----\n");
        assert_eq!(detect(&real), Some("secret-private-key"));
        let escaped = format!("k = \"{header}\\n{}-----END\"", body.replace('\n', "\\n"));
        assert_eq!(detect(&escaped), Some("secret-private-key"));
        assert_eq!(detect(&format!("{header}\n...\n-----END RSA PRIVATE KEY-----")), None);
        assert_eq!(detect(&format!("{header}\n{}\n-----END", "x".repeat(64))), None);
        assert_eq!(detect(&format!("{header}\nno end")), None);
        assert_eq!(
            detect(&format!("-----BEGIN {}-----\n{body}-----END", "PUBLIC KEY")),
            None
        );
    }
}

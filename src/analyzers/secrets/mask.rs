//! Masking: what every snippet, message and fact drawn from a file's text passes through
//! before it reaches the model, so that no rule (a workflow rule showing its line, a parse
//! error quoting it, a dependency's specifier) can print a secret the secret rules would
//! hide.
//!
//! Four kinds of value are masked, each character replaced by `*` so that columns and
//! carets still line up (the text around it is kept):
//! - whatever a secret rule detects ([`super::find`]), less the format's public prefix
//!   (`ghp_****...`);
//! - the password of a URL's user-info (`https://user:****@host`);
//! - literal credentials by the name they are given: the value after `password`, `passwd`,
//!   `pwd`, `passphrase` (`:` or `=`), and after `docker login -p`/`--password`; values of
//!   keys ending in `secret`, `token`, `api_key`/`apikey`, `access_key`, `private_key`, `auth`
//!   are masked when they look random (at least 8 characters, letters and digits), so that
//!   `id-token: write` stays readable;
//! - runs of 40 or more base64 characters that mix upper case, lower case and digits
//!   (an AWS secret access key, a PEM body line), which have no format of their own.
//!
//! A value that is an expression or a reference (`${{ secrets.X }}`, `$VAR`, `<token>`,
//! `{...}`, `%s`) is kept: it holds no secret.
//!
//! Masking keeps the text's length in characters, and works in one pass over the text
//! with bounded look-back, so its cost is linear in the text's length.

use std::borrow::Cow;
use std::ops::Range;

/// `text` with every secret value in it masked; borrowed when there is none.
pub fn mask(text: &str) -> Cow<'_, str> {
    let spans = spans(text);
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, keep) in spans {
        let shown = range.start + keep;
        out.push_str(&text[at..shown]);
        out.extend(std::iter::repeat_n('*', text[shown..range.end].chars().count()));
        at = range.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// Where `text` holds a secret: byte ranges in order, none overlapping, each with the
/// length of the public prefix that may stay. Every range starts and ends on a character
/// boundary.
pub fn spans(text: &str) -> Vec<Span> {
    let mut spans = detected(text);
    url_passwords(text, &mut spans);
    named_values(text, &mut spans);
    docker_login_passwords(text, &mut spans);
    random_runs(text, &mut spans);
    spans.sort_by_key(|(range, _)| (range.start, std::cmp::Reverse(range.end)));
    // Overlapping spans are masked as one, with the first one's public prefix.
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for (range, keep) in spans {
        match merged.last_mut() {
            Some((last, _)) if range.start < last.end => last.end = last.end.max(range.end),
            _ => merged.push((range, keep)),
        }
    }
    merged
}

/// A byte range to mask, and how many of its first bytes may stay (a public prefix).
pub type Span = (Range<usize>, usize);

/// The secret rules' own hits; a PEM armour line (not a secret) stays as it is.
fn detected(text: &str) -> Vec<Span> {
    super::find_hits(text.as_bytes(), false)
        .into_iter()
        .filter(|hit| !hit.detector.shows_value)
        .map(|hit| {
            let keep = hit.detector.public_prefix.min(hit.end - hit.start);
            (hit.start..hit.end, keep)
        })
        .collect()
}

/// `scheme://user:password@`: the password. A user-info without a colon (a token given as
/// the user name) is left to the token rules, and `git@host:path` has no scheme.
fn url_passwords(text: &str, spans: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    for scheme_end in memchr::memmem::find_iter(bytes, b"://") {
        if let Some(password) = url_password(bytes, scheme_end + 3) {
            spans.push((password, 0));
        }
    }
}

/// The password range of the user-info starting at `authority`, if it is a literal.
pub(super) fn url_password(bytes: &[u8], authority: usize) -> Option<Range<usize>> {
    let userinfo_len = bytes[authority..]
        .iter()
        .take(256)
        .take_while(|c| is_userinfo(**c))
        .count();
    if bytes.get(authority + userinfo_len) != Some(&b'@') {
        return None;
    }
    let colon = bytes[authority..authority + userinfo_len]
        .iter()
        .position(|c| *c == b':')?;
    let password = authority + colon + 1..authority + userinfo_len;
    (!password.is_empty() && is_literal(&bytes[password.clone()])).then_some(password)
}

/// RFC 3986 user-info characters, less `@` (its end).
fn is_userinfo(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=:".contains(&c)
}

/// Key names whose value is a credential whatever it looks like.
const ALWAYS_SECRET: &[&str] = &["password", "passwd", "pwd", "passphrase"];
/// Key name endings whose value is a credential when it looks random.
const SECRET_WHEN_RANDOM: &[&str] = &[
    "secret",
    "token",
    "api_key",
    "apikey",
    "access_key",
    "private_key",
    "auth",
];

/// `key: value`, `key = value`, `key=value`, `"key": "value"`: the value, when the key
/// names a credential.
fn named_values(text: &str, spans: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    for separator in memchr::memchr2_iter(b':', b'=', bytes) {
        if !may_end_a_secret_name(bytes, separator) {
            continue;
        }
        let Some(key) = key_before(bytes, separator) else {
            continue;
        };
        let ends_with = |name: &&str| {
            key.len() >= name.len() && key[key.len() - name.len()..].eq_ignore_ascii_case(name.as_bytes())
        };
        let always = ALWAYS_SECRET.iter().any(ends_with);
        if !always && !SECRET_WHEN_RANDOM.iter().any(ends_with) {
            continue;
        }
        let Some(value) = value_after(bytes, separator + 1) else {
            continue;
        };
        let literal = &bytes[value.clone()];
        if is_literal(literal) && (always || looks_random(literal)) {
            spans.push((value, 0));
        }
    }
}

/// Whether the byte that would end a key before `separator` (past a closing quote, as
/// [`key_before`] reads it) can end one of the names of [`ALWAYS_SECRET`] and
/// [`SECRET_WHEN_RANDOM`]: JSON reports have a `:` after every key, and few keys end so.
fn may_end_a_secret_name(bytes: &[u8], separator: usize) -> bool {
    let mut end = separator;
    if end > 0 && matches!(bytes[end - 1], b'"' | b'\'') {
        end -= 1;
    }
    end > 0 && SECRET_NAME_ENDS.contains(&bytes[end - 1].to_ascii_lowercase())
}

/// The last letters of the names of [`ALWAYS_SECRET`] and [`SECRET_WHEN_RANDOM`].
const SECRET_NAME_ENDS: &[u8] = b"dehnty";

/// The key right before a `:`/`=` at `separator`: word characters, `-` and `.`, maybe
/// quoted, at most 64 bytes back. `::`, `==`, `:=`, `=>` and `://` are not separators of
/// a key and its value.
fn key_before(bytes: &[u8], separator: usize) -> Option<&[u8]> {
    let before = &bytes[separator.saturating_sub(66)..separator];
    let mut end = before.len();
    if end > 0 && matches!(before[end - 1], b'"' | b'\'') {
        end -= 1;
    }
    let start = before[..end]
        .iter()
        .rposition(|c| !(c.is_ascii_alphanumeric() || b"_-.".contains(c)))
        .map_or(0, |i| i + 1);
    let key = &before[start..end];
    let doubled = matches!(bytes.get(separator + 1), Some(b':' | b'=' | b'/'));
    (!key.is_empty() && key.len() <= 64 && !doubled).then_some(key)
}

/// The value after a separator: past spaces, then a quoted string or a run up to
/// whitespace or a delimiter.
fn value_after(bytes: &[u8], from: usize) -> Option<Range<usize>> {
    let mut at = from;
    while bytes.get(at).is_some_and(|c| *c == b' ' || *c == b'\t') {
        at += 1;
    }
    let quote = bytes.get(at).copied().filter(|c| matches!(c, b'"' | b'\''));
    if quote.is_some() {
        at += 1;
    }
    let end = at
        + bytes[at..]
            .iter()
            .take_while(|c| match quote {
                Some(q) => **c != q && **c != b'\n',
                None => !c.is_ascii_whitespace() && !b",;)}]\"'`".contains(c),
            })
            .count();
    (end > at).then_some(at..end)
}

/// Not an expression, a reference, a boolean or a placeholder.
fn is_literal(value: &[u8]) -> bool {
    let reference = b"${<(%[@&*".contains(&value[0]) || memchr::memmem::find(value, b"${").is_some();
    let word = [&b"true"[..], b"false", b"null", b"none", b"yes", b"no"]
        .iter()
        .any(|w| value.eq_ignore_ascii_case(w));
    !reference && !word
}

/// At least 8 characters with both letters and digits: a generated value, not a word
/// (`write`, `inherit`) or a name.
fn looks_random(value: &[u8]) -> bool {
    value.len() >= 8 && value.iter().any(u8::is_ascii_digit) && value.iter().any(u8::is_ascii_alphabetic)
}

/// `docker login ... -p VALUE` and `--password VALUE` (with a space; `--password=VALUE` is
/// a named value). `--password-stdin` reads no value from the line.
fn docker_login_passwords(text: &str, spans: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    for login in memchr::memmem::find_iter(bytes, b"docker login") {
        if let Some(password) = docker_login_password(bytes, login) {
            spans.push((password, 0));
        }
    }
}

/// The literal password of the `docker login` command at `login`, on its line.
pub(super) fn docker_login_password(bytes: &[u8], login: usize) -> Option<Range<usize>> {
    let line_end = memchr::memchr(b'\n', &bytes[login..]).map_or(bytes.len(), |i| login + i);
    let mut at = login;
    while at < line_end {
        let word_end = bytes[at..line_end]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(line_end, |i| at + i);
        if matches!(&bytes[at..word_end], b"-p" | b"--password") {
            let value = value_after(bytes, word_end)?;
            return (value.end <= line_end && is_literal(&bytes[value.clone()])).then_some(value);
        }
        at = word_end + 1;
    }
    None
}

/// Runs of 40 or more base64 characters mixing upper case, lower case and digits that do
/// not read as a path ([`path_like`]): a key with no format to detect it by (an AWS secret
/// access key is 40, a PEM body line 64). Hex digests (no upper case), words and paths stay.
fn random_runs(text: &str, spans: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let len = bytes[at..].iter().take_while(|c| BASE64[**c as usize]).count();
        let run = &bytes[at..at + len];
        // The length first: nearly every run is a short word, read once, not four times.
        let mixed = || {
            run.iter().any(u8::is_ascii_uppercase)
                && run.iter().any(u8::is_ascii_lowercase)
                && run.iter().any(u8::is_ascii_digit)
        };
        if len >= 40 && mixed() && !path_like(run) {
            spans.push((at..at + len, 0));
        }
        at += len.max(1);
    }
}

/// The base64 alphabet, as a table: [`random_runs`] reads every byte of every report.
const BASE64: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'+' || c == b'/';
        b += 1;
    }
    table
};

/// A run with `/` that reads as a path: four or more slashes, or a segment of three or
/// more lower-case letters (`folly/container/F14Intrinsics...`), which a random key's
/// segments almost never are.
fn path_like(run: &[u8]) -> bool {
    let slashes = run.iter().filter(|c| **c == b'/').count();
    let wordy = |segment: &&[u8]| segment.len() >= 3 && segment.iter().all(u8::is_ascii_lowercase);
    slashes >= 4 || (slashes > 0 && run.split(|c| *c == b'/').any(|s| wordy(&s)))
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn detected_tokens_keep_their_public_prefix() {
        let token = format!("ghp_{}", "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5");
        let line = format!("run: 'curl -H \"Authorization=token {token}\" x || true'");
        let masked = mask(&line);
        assert!(!masked.contains(&token), "{masked}");
        assert!(masked.contains(&format!("ghp_{}", "*".repeat(36))), "{masked}");
        assert_eq!(masked.chars().count(), line.chars().count(), "columns stay aligned");
        assert!(
            masked.ends_with("x || true'"),
            "the text after the value is kept: {masked}"
        );
    }

    #[test]
    fn passwords_by_name_in_urls_and_docker_login() {
        assert_eq!(
            mask("      password: Zq86jmJf08jHOlhk"),
            "      password: ****************"
        );
        assert_eq!(mask("DB_PASSWORD=\"hunter2\" next"), "DB_PASSWORD=\"*******\" next");
        assert_eq!(
            mask("url = \"https://bob:s3cr3tpw@db.example.org/x\""),
            "url = \"https://bob:********@db.example.org/x\""
        );
        assert_eq!(
            mask("docker login -u me -p Pa55word registry.io"),
            "docker login -u me -p ******** registry.io"
        );
        assert_eq!(
            mask("docker login --password 'Pa55 x' r"),
            "docker login --password '******' r"
        );
        assert_eq!(mask("client_secret: 8f3k2l9d0s7a"), "client_secret: ************");
        let aws = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzKEY7Q2W3E";
        assert_eq!(mask(&format!("id,{aws}")), format!("id,{}", "*".repeat(40)));
        let path = "folly/container/detail/F14IntrinsicsAvailability.h";
        assert_eq!(mask(path), path, "a path is not a key");
    }

    #[test]
    fn the_prefilter_knows_the_last_letter_of_every_secret_name() {
        for name in super::ALWAYS_SECRET.iter().chain(super::SECRET_WHEN_RANDOM) {
            let last = name.as_bytes()[name.len() - 1];
            assert!(super::SECRET_NAME_ENDS.contains(&last), "{name}");
            let upper = name.to_ascii_uppercase();
            for line in [
                format!("{name}: Zq86jmJf08jHOlhk"),
                format!("\"{upper}\"=\"Zq86jmJf08jHOlhk\""),
            ] {
                assert!(mask(&line).contains("****************"), "{line}");
            }
        }
    }

    #[test]
    fn references_and_words_stay_readable() {
        for line in [
            "password: ${{ secrets.REGISTRY_PASSWORD }}",
            "docker login -u me -p $TOKEN",
            "docker login --password-stdin",
            "permissions:\n  id-token: write",
            "secrets: inherit",
            "https://github.com/o/r.git",
            "git@github.com:o/r.git",
            "a == b",
            "token: <your token>",
        ] {
            assert_eq!(mask(line), line);
        }
    }
}

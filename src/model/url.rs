//! URLs as the model shows them: never with credentials.

/// Hides credentials in a URL: the whole user-info part of http(s)/ftp URLs (tokens are
/// often given as the user name), and the password elsewhere (`ssh://git@host` keeps `git`).
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string(); // scp-like `git@host:path` or a local path: no secret there
    };
    let authority_start = scheme_end + 3;
    let authority_end = url[authority_start..]
        .find('/')
        .map_or(url.len(), |i| authority_start + i);
    let Some(at) = url[authority_start..authority_end].rfind('@') else {
        return url.to_string();
    };
    let userinfo = &url[authority_start..authority_start + at];
    let scheme = url[..scheme_end].to_ascii_lowercase();
    let kept = if scheme.starts_with("http") || scheme.starts_with("ftp") {
        "***".to_string()
    } else {
        match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***"),
            None => userinfo.to_string(),
        }
    };
    format!("{}{}{}", &url[..authority_start], kept, &url[authority_start + at..])
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn credentials_never_survive_in_urls() {
        assert_eq!(
            redact_url("https://ghp_secret@github.com/o/r.git"),
            "https://***@github.com/o/r.git"
        );
        assert_eq!(redact_url("https://user:pw@host/x"), "https://***@host/x");
        assert_eq!(redact_url("ssh://git:pw@host/x"), "ssh://git:***@host/x");
        assert_eq!(redact_url("ssh://git@host/x"), "ssh://git@host/x");
        assert_eq!(redact_url("git@github.com:o/r.git"), "git@github.com:o/r.git");
        assert_eq!(redact_url("https://github.com/o/r@v1"), "https://github.com/o/r@v1");
    }
}

//! Supply chain and secrets, end to end: vendored components, binary artifacts, posture,
//! a submodule tracking a branch, and committed credentials that must be reported at
//! their line and never printed.

mod common;

use common::{audit_json, plumb, report, TestRepo};

/// Credentials of every kind with their file and 1-based line. Built at run time, so that
/// no token-shaped literal sits in plumb's own tree.
fn planted() -> Vec<(&'static str, &'static str, usize, String)> {
    let alnum36 = "Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1Jh9Gf8Ed7Cb6Aa1Bb";
    let pem_body = "MIIEowIBAAKCAQEAyTq2hN3oWvL8sE5dJfR1gK7mP0uXbC4iQz9VtYw6HnaeFjOl\nrG2kU8yZx3NqTbV1cWd5sAe7LoPh0JiM9fK4gR6tQ2uYv8wXz1BnCm3DlEjHkIa\n";
    let pem = format!(
        "-----BEGIN {} KEY-----\n{pem_body}-----END RSA PRIVATE KEY-----\n",
        "RSA PRIVATE"
    );
    vec![
        ("secret-private-key", "deploy/id_rsa", 1, pem),
        (
            "secret-github-token",
            "app/settings.py",
            2,
            format!("ghp_{}", &alnum36[..36]),
        ),
        (
            "secret-github-token",
            "app/settings.py",
            3,
            format!(
                "github_pat_11ABCDEFG0abcdefghij12_{}",
                "Kx7Lm2Np9Qr4St6Uv8Wy1Za3Bc5De7Fg9Hi2Jk4Lm6No8Pq1Rs3Tu5Vw7Xy"
            ),
        ),
        (
            "secret-aws-access-key",
            "app/settings.py",
            4,
            format!("AKIA{}", "Q2W3E4R5T6Y7U2I3"),
        ),
        (
            "secret-gitlab-token",
            "app/settings.py",
            5,
            format!("glpat-{}", "aB3cD4eF5gH6iJ7kL8mN"),
        ),
        (
            "secret-slack-token",
            "app/settings.py",
            6,
            format!("xoxb-{}", "2345678901-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"),
        ),
        (
            "secret-slack-webhook",
            "app/settings.py",
            7,
            format!(
                "hooks.slack.com/services/{}",
                "T0A1B2C3D/B4E5F6G7H/q1W2e3R4t5Y6u7I8o9P0a1S2"
            ),
        ),
        (
            "secret-stripe-key",
            "app/settings.py",
            8,
            format!("sk_live_{}", "4eC39HqLyjWDarjtT1zdp7dc"),
        ),
        (
            "secret-google-api-key",
            "app/settings.py",
            9,
            format!("AIza{}", "SyD3x9Kq2Lm7Np4Rs8Tv1Wx6Yz0Ab5Cd3Ef"),
        ),
        ("secret-npm-token", "web/.npmrc", 1, format!("npm_{}", &alnum36[2..38])),
        (
            "secret-pypi-token",
            "web/.pypirc",
            2,
            format!(
                "pypi-AgEIcHlwaS5vcmc{}",
                "CJGU4YTQ1ZjM0LTk2YWYtNDJjNC1hZmE0LWE3NjM0ZTI4ZDE5YgACKlsz"
            ),
        ),
        (
            "secret-aws-secret-key",
            "app/settings.py",
            10,
            format!("wJalrXUtnFEMI/K7MDENG/{}", "bPxRfiCYzKEY7Q2W3E"),
        ),
        ("secret-url-password", "app/settings.py", 11, "s3cr3tPw9".to_string()),
        (
            "secret-stripe-key",
            "app/settings.py",
            12,
            format!("rk_live_{}", "9fQ2Lm4Np6Rs8Tv1Wx3Yz5Ab"),
        ),
        (
            "secret-docker-login-password",
            "deploy/login.sh",
            2,
            "Dk8pw2Lq".to_string(),
        ),
    ]
}

fn secrets_repo() -> TestRepo {
    let secrets = planted();
    let value = |line: usize| {
        secrets
            .iter()
            .find(|s| s.1 == "app/settings.py" && s.2 == line)
            .map(|s| s.3.clone())
            .unwrap_or_default()
    };
    let settings: String = (1..=12)
        .map(|line| match line {
            1 => "# settings\n".to_string(),
            7 => format!("SLACK = \"https://{}\"\n", value(7)),
            10 => format!("AWS_SECRET_ACCESS_KEY = \"{}\"\n", value(10)),
            11 => format!("DB = \"postgres://app:{}@db.internal/app\"\n", value(11)),
            n => format!("KEY_{n} = \"{}\"\n", value(n)),
        })
        .collect();
    let repo = TestRepo::new();
    repo.write("deploy/id_rsa", &secrets[0].3)
        .write("app/settings.py", settings)
        .write("web/.npmrc", format!("//registry.npmjs.org/:_authToken={}\n", secrets[9].3))
        .write("web/.pypirc", format!("[pypi]\npassword = {}\n", secrets[10].3))
        .write(
            "deploy/login.sh",
            format!("#!/bin/sh\ndocker login -u bot -p {} registry.example.org\n", secrets[14].3),
        )
        // Placeholders from documentation: never reported.
        .write(
            "docs/setup.md",
            "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n-----BEGIN EC PRIVATE KEY-----\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END EC PRIVATE KEY-----\ntoken: ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n",
        )
        .commit("secrets");
    repo
}

/// The parts of a credential that must never be printed: the whole value and, for a PEM
/// block, every body line.
fn forbidden(value: &str) -> Vec<String> {
    let mut parts = vec![value.to_string()];
    parts.extend(value.lines().filter(|l| !l.starts_with("-----")).map(str::to_string));
    parts.extend(value.get(6..).map(str::to_string));
    parts
}

#[test]
fn every_secret_kind_is_reported_at_its_line() {
    let repo = secrets_repo();
    let audit = audit_json(repo.path(), &[]);
    let mut found: Vec<(String, String, u64)> = audit["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("secret-")))
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["location"]["path"].as_str().unwrap_or_default().to_string(),
                f["location"]["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    found.sort();
    let mut expected: Vec<(String, String, u64)> = planted()
        .into_iter()
        .map(|(rule, path, line, _)| (rule.to_string(), path.to_string(), line as u64))
        .collect();
    expected.sort();
    assert_eq!(found, expected);
    let snippet = |line: u64| {
        audit["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["location"]["path"] == "app/settings.py" && f["location"]["line"] == line)
            .map(|f| f["snippet"].clone())
    };
    // Every character of the value past its format's public prefix is masked, so the
    // caret still lines up; the text around it stays.
    let stars = |n: usize| "*".repeat(n);
    assert_eq!(
        snippet(2),
        Some(serde_json::json!(format!("KEY_2 = \"ghp_{}\"", stars(36))))
    );
    assert_eq!(
        snippet(7),
        Some(serde_json::json!(format!("SLACK = \"https://hook{}\"", stars(65))))
    );
    assert_eq!(
        snippet(11),
        Some(serde_json::json!(format!(
            "DB = \"postgres://app:{}@db.internal/app\"",
            stars(9)
        )))
    );
}

#[test]
fn no_output_ever_contains_a_secret() {
    let repo = secrets_repo();
    let outputs = every_output(repo.path());
    assert!(
        outputs.iter().any(|(_, text)| text.contains("secret-github-token")),
        "the secrets are reported"
    );
    for (rule, path, _, value) in planted() {
        for part in forbidden(&value) {
            for (name, text) in &outputs {
                assert!(!text.contains(&part), "{name} shows the {rule} of {path}");
            }
        }
    }
}

#[test]
fn vendored_components_posture_and_binaries() {
    let mit = "MIT License\n\nCopyright (c) 2020 Someone\n\nPermission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n";
    let repo = TestRepo::new();
    repo.write("LICENSE", mit)
        .write("third_party/fmt/LICENSE.rst", mit)
        .write("third_party/fmt/CMakeLists.txt", "cmake_minimum_required(VERSION 3.8)\nproject(FMT\n  VERSION 10.2.1 LANGUAGES CXX)\n")
        .write("third_party/fmt/src/format.cc", "int a = 1;\nint b = 2;\n")
        .write("third_party/README.md", "vendored code\n")
        .write(".gitmodules", "[submodule \"pybind11\"]\n\tpath = third_party/pybind11\n\turl = https://github.com/pybind/pybind11.git\n\tbranch = master\n")
        .write(".github/SECURITY.md", "Report to security@example.org\n")
        .write("docs/CODEOWNERS", "* @team\n")
        .write(".github/dependabot.yml", "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule: {interval: weekly}\n")
        .write(
            ".github/workflows/release.yml",
            "on: push\npermissions: {}\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/attest-build-provenance@v1\n      - run: cosign sign-blob --yes dist/x.tar.gz\n",
        )
        .write("tools/helper.exe", b"MZ\x90\0")
        .write("bin/tool", b"\x7fELF\x02\x01\x01\0\0\0")
        .write("dist/pkg-1.0-py3-none-any.whl", b"PK\x03\x04");
    // A gitlink without a checkout: staged after `add -A`, which would drop it.
    repo.git(&["add", "-A"]);
    repo.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        "160000,0123456789abcdef0123456789abcdef01234567,third_party/pybind11",
    ]);
    repo.git(&["commit", "-q", "-m", "vendored"]);
    let audit = audit_json(repo.path(), &[]);
    let supply = &audit["supply_chain"];
    let vendored: Vec<String> = supply["vendored"]
        .as_array()
        .expect("vendored")
        .iter()
        .map(|c| {
            format!(
                "{} files={} code={} version={} at {}:{} license={} {}% commit={}",
                c["path"].as_str().unwrap_or_default(),
                c["files"],
                c["code_lines"],
                c["version"]["value"].as_str().unwrap_or("-"),
                c["version"]["location"]["path"].as_str().unwrap_or("-"),
                c["version"]["location"]["line"],
                c["license"]["spdx"].as_str().unwrap_or("-"),
                c["license"]["confidence_percent"],
                c["submodule_commit"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        vendored,
        [
            "third_party/fmt files=3 code=10 version=10.2.1 at third_party/fmt/CMakeLists.txt:3 license=MIT 100% commit=-",
            "third_party/pybind11 files=0 code=0 version=- at -:null license=- null% commit=0123456789abcdef0123456789abcdef01234567",
        ]
    );
    let posture = &supply["posture"];
    assert_eq!(posture["security_policy"], ".github/SECURITY.md");
    assert_eq!(posture["codeowners"], "docs/CODEOWNERS");
    assert_eq!(posture["license"]["spdx"], "MIT");
    assert_eq!(posture["dependabot_ecosystems"], serde_json::json!(["pypi"]));
    let provenance: Vec<String> = posture["provenance"]
        .as_array()
        .expect("provenance")
        .iter()
        .map(|e| {
            format!(
                "{} line {}",
                e["value"].as_str().unwrap_or_default(),
                e["location"]["line"]
            )
        })
        .collect();
    assert_eq!(
        provenance,
        ["actions/attest-build-provenance@v1 line 7", "cosign sign-blob line 8"]
    );
    let binaries: Vec<String> = supply["binary_artifacts"]
        .as_array()
        .expect("binary artifacts")
        .iter()
        .map(|b| {
            format!(
                "{} {}",
                b["path"].as_str().unwrap_or_default(),
                b["kind"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        binaries,
        [
            "bin/tool executable",
            "dist/pkg-1.0-py3-none-any.whl archive",
            "tools/helper.exe executable"
        ]
    );
    let branch = audit["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "submodule-tracks-branch")
        .expect("the branch is a finding");
    assert_eq!(
        (branch["location"]["path"].as_str(), branch["location"]["line"].as_u64()),
        (Some(".gitmodules"), Some(4))
    );
    let md = report(repo.path(), "md", &[]);
    assert!(md.contains("| `third_party/fmt` | folder name | 3 | 10 | `10.2.1` (`third_party/fmt/CMakeLists.txt:3`) | `MIT` (100%, `third_party/fmt/LICENSE.rst`) |"), "{md}");
    assert!(md.contains("| **Dependency Updates** | 🟡 **PARTIAL** | Dependabot: `pypi`; not covered by Dependabot: `github-actions` |"), "{md}");
}

/// Secrets on lines that other rules report, quote or list: a workflow's container
/// password (`hardcoded-credentials`), a token on a `|| true` line (`silent-failure`), in
/// a template injection, after an unpinned `uses:`, on a line that breaks the YAML
/// (`workflow-parse-error`), a `docker login -p`, a Dockerfile `FROM`, a dependency from a
/// URL with a password (specifiers go to the posture table and the SBOM), a manifest that
/// does not parse, a bad glob in `plumb.toml`, a commit subject and a module's file name. None may reach any
/// output, in any format, on stdout or stderr.
#[test]
fn secrets_never_leak_through_other_rules() {
    let token = format!("ghp_{}", "Zq8Xw7Vu6Ts5Rq4Po3Nm2Lk1Jh9Gf8Ed7Cb6");
    let aws_id = format!("AKIA{}", "Q2W3E4R5T6Y7U2I3");
    let aws_secret = format!("wJalrXUtnFEMI/K7MDENG/{}", "bPxRfiCYzKEY7Q2W3E");
    let password = "Zq86jmJf08jHOlhk";
    let url_password = "Pw9x8c7v6";
    let docker_password = "Dk8pw2Lq77";
    let secrets = [
        token.as_str(),
        &aws_id,
        &aws_secret,
        password,
        url_password,
        docker_password,
    ];
    let workflow = format!(
        "on: issues\njobs:\n  build:\n    runs-on: ubuntu-latest\n    container:\n      image: registry.example.org/app:1\n      credentials:\n        username: bot\n        password: {password}\n    steps:\n      - uses: actions/checkout@main # {token}\n      - run: 'curl -H \"Authorization=token {token}\" https://x || true'\n      - run: echo \"${{{{ github.event.issue.title }}}}\" {aws_id},{aws_secret}\n      - run: docker login -u bot -p {docker_password} registry.example.org\n"
    );
    let repo = TestRepo::new();
    repo.write(".github/workflows/ci.yml", workflow)
        .write(".github/workflows/broken.yml", format!("on: push\njobs: [{token}\n"))
        .write("Dockerfile", format!("FROM python:3.11 # {token}\nFROM registry.example.org/base # {aws_id}\n"))
        .write(
            "requirements.txt",
            format!("private-pkg @ git+https://deploy:{url_password}@git.example.org/p.git\nrequests==2.31.0\n"),
        )
        .write("pyproject.toml", format!("[project\nname = \"{token}\"\n"))
        .write(
            "package.json",
            format!("{{\"name\": \"x\", \"dependencies\": {{\"y\": \"git+https://u:{url_password}@git.example.org/y.git\"}}}}\n"),
        )
        .write("plumb.toml", format!("[[surface]]\nname = \"x\"\npaths = [\"[{token}\"]\n"))
        .write("src/app.py", "import os\n")
        // A module named by the token (a file with an import is a module): its path and
        // name are in audit.json's modules, which are laid out and masked apart.
        .write("tools/run.py", format!("import {token}\n"))
        .write(&format!("tools/{token}.py"), "import os\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", &format!("deploy with {token}")]);

    let outputs = every_output(repo.path());
    // The lines were reported by the rules that show them, so the test can fail.
    let json = &outputs.iter().find(|(n, _)| n == "audit.json").expect("json").1;
    for rule in [
        "hardcoded-credentials",
        "silent-failure",
        "template-injection",
        "unpinned-uses",
        "workflow-parse-error",
        "docker-image-unpinned",
        "manifest-parse-error",
        "secret-docker-login-password",
        "secret-aws-secret-key",
        "secret-url-password",
    ] {
        assert!(json.contains(&format!("\"rule\": \"{rule}\"")), "{rule} is reported");
    }
    let masked_module = format!("\"path\": \"tools/ghp_{}.py\"", "*".repeat(36));
    assert!(json.contains(&masked_module), "the module is listed, masked");
    for secret in secrets {
        for (name, text) in &outputs {
            assert!(!text.contains(secret), "{name} shows {secret}");
        }
    }
}

/// Everything plumb prints or writes about `repo`, named: each format on stdout (with
/// `--findings` on stderr), the pack in every format with `--findings` on stdout, stderr,
/// and `plumb sbom`.
fn every_output(repo: &std::path::Path) -> Vec<(String, String)> {
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let mut outputs: Vec<(String, String)> = Vec::new();
    for format in ["md", "json", "sarif", "cyclonedx", "dot"] {
        let output = plumb()
            .arg("audit")
            .arg(repo)
            .args(["--stdout", format, "--findings"])
            .output()
            .expect("plumb runs");
        assert!(output.status.success(), "--stdout {format}");
        if format == "json" {
            common::parse_audit_json(&text(&output.stdout));
        }
        outputs.push((format!("--stdout {format}"), text(&output.stdout)));
        outputs.push((format!("stderr of --stdout {format}"), text(&output.stderr)));
    }
    let out = tempfile::tempdir().expect("tempdir");
    let output = plumb()
        .arg("audit")
        .arg(repo)
        .arg("--out")
        .arg(out.path())
        .args(["--format", "md,json,sarif,cyclonedx,dot", "--findings"])
        .output()
        .expect("plumb runs");
    assert!(output.status.success());
    outputs.push(("--findings".into(), text(&output.stdout)));
    outputs.push(("stderr".into(), text(&output.stderr)));
    for name in ["audit.md", "audit.json", "audit.sarif", "sbom.cdx.json", "graph.dot"] {
        let report = std::fs::read_to_string(out.path().join(name)).expect("report written");
        outputs.push((name.to_string(), report));
    }
    let sbom = plumb().arg("sbom").arg(repo).output().expect("plumb runs");
    outputs.push(("plumb sbom".into(), text(&sbom.stdout)));
    outputs
}

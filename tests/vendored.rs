//! The repository's license as one SPDX expression, and vendored code found by its
//! content (own license file, own manifest, license header, known single file), end to
//! end on fixture repositories built here.

mod common;

use common::{audit_json, plumb, report, TestRepo};

const MIT_BODY: &str = "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in the Software without restriction, including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n";

const UNLICENSE: &str = "This is free and unencumbered software released into the public domain.\n\nAnyone is free to copy, modify, publish, use, compile, sell, or distribute this software, either in source code form or as a compiled binary, for any purpose, commercial or non-commercial, and by any means.\n\nIn jurisdictions that recognize copyright laws, the author or authors of this software dedicate any and all copyright interest in the software to the public domain. We make this dedication for the benefit of the public at large and to the detriment of our heirs and successors. We intend this dedication to be an overt act of relinquishment in perpetuity of all present and future rights to this software under copyright law.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n\nFor more information, please refer to <http://unlicense.org/>\n";

fn mit(holder: &str) -> String {
    format!("MIT License\n\nCopyright (c) 2020 {holder}\n\n{MIT_BODY}")
}

fn c_file(header: &str, lines: usize) -> String {
    let body: String = (0..lines).map(|i| format!("int v{i} = {i};\n")).collect();
    format!("{header}\n{body}")
}

fn vendored_rows(audit: &serde_json::Value) -> Vec<String> {
    audit["supply_chain"]["vendored"]
        .as_array()
        .expect("vendored")
        .iter()
        .map(|c| {
            format!(
                "{} by={} files={} version={} license={} evidence={} at {}:{}",
                c["path"].as_str().unwrap_or_default(),
                c["found_by"].as_str().unwrap_or_default(),
                c["files"],
                c["version"]["value"].as_str().unwrap_or("-"),
                c["license"]["spdx"].as_str().unwrap_or("-"),
                c["evidence"]["value"].as_str().unwrap_or("-"),
                c["evidence"]["location"]["path"].as_str().unwrap_or("-"),
                c["evidence"]["location"]["line"],
            )
        })
        .collect()
}

fn role_of(audit: &serde_json::Value, path: &str) -> Option<String> {
    audit["god_modules"]["overall"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["path"] == path)
        .and_then(|f| f["role"].as_str().map(str::to_string))
}

#[test]
fn the_declared_expression_is_the_repository_license() {
    let repo = TestRepo::new();
    repo.write("LICENSE-MIT", mit("Andrew"))
        .write("UNLICENSE", UNLICENSE)
        .write(
            "COPYING",
            "This project is dual-licensed under the Unlicense and MIT licenses.\n",
        )
        .write(
            "Cargo.toml",
            "[package]\nname = \"finder\"\nversion = \"14.1.0\"\nlicense = \"Unlicense OR MIT\"\n",
        )
        .write("src/main.rs", "fn main() {}\n")
        .commit("dual");
    let audit = audit_json(repo.path(), &[]);
    let license = &audit["supply_chain"]["posture"]["repository_license"];
    assert_eq!(license["expression"], "Unlicense OR MIT");
    assert_eq!(license["declared"][0]["location"]["path"], "Cargo.toml");
    assert_eq!(license["declared"][0]["location"]["line"], 4);
    let files: Vec<&str> = license["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["spdx"].as_str())
        .collect();
    assert_eq!(files, ["MIT", "Unlicense"]);
    let md = report(repo.path(), "md", &[]);
    assert!(
        md.contains("- **License**: 🟢 `Unlicense OR MIT` (declared in `Cargo.toml:4`; `MIT`"),
        "{md}"
    );
    let output = plumb().arg("sbom").arg(repo.path()).output().expect("plumb runs");
    let bom: serde_json::Value = serde_json::from_slice(&output.stdout).expect("the BOM is JSON");
    assert_eq!(
        bom["metadata"]["component"]["licenses"],
        serde_json::json!([{"expression": "Unlicense OR MIT"}])
    );
}

#[test]
fn several_license_files_without_a_declaration_are_a_choice() {
    let repo = TestRepo::new();
    repo.write("LICENSE-MIT", mit("Someone"))
        .write("UNLICENSE", UNLICENSE)
        // Free text is no SPDX expression: the files decide.
        .write(
            "pyproject.toml",
            "[project]\nname = \"x\"\nlicense = {text = \"Public domain or MIT\"}\n",
        )
        .write("x.py", "X = 1\n")
        .commit("two files");
    let audit = audit_json(repo.path(), &[]);
    let license = &audit["supply_chain"]["posture"]["repository_license"];
    assert_eq!(license["expression"], "MIT OR Unlicense");
    assert_eq!(license["declared"][0]["value"], "Public domain or MIT");

    let repo = TestRepo::new();
    repo.write("LICENSE", mit("Someone"))
        .write(
            "pyproject.toml",
            "[project]\nname = \"x\"\nlicense = {text = \"BSD-3-Clause\"}\n",
        )
        .write("x.py", "X = 1\n")
        .commit("pep 621");
    let audit = audit_json(repo.path(), &[]);
    let license = &audit["supply_chain"]["posture"]["repository_license"];
    assert_eq!(license["expression"], "BSD-3-Clause", "declared wins over the file");
    assert_eq!(license["declared"][0]["location"]["line"], 3);
}

/// One repository with every content rule, and each of the look-alikes that stay the
/// repository's own code.
fn content_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("LICENSE", mit("Acme Corp."))
        .write(
            "package.json",
            "{\n  \"name\": \"acme\",\n  \"version\": \"2.0.0\",\n  \"license\": \"MIT\",\n  \"workspaces\": [\"packages/*\"]\n}\n",
        )
        .write("src/main.c", c_file("/* Copyright (c) 2024 Acme Corp. */", 30))
        // Rule 1: a folder with its own license naming another holder.
        .write(".github/actions/checkout/LICENSE", mit("GitHub, Inc."))
        .write(".github/actions/checkout/action.yml", "name: Checkout\nruns:\n  using: node20\n  main: dist/index.js\n")
        .write(".github/actions/checkout/dist/index.js", "module.exports = 1;\n")
        // Rule 1, look-alike: own holder in a sub-package's license.
        .write("tools/lint/LICENSE", mit("Acme Corp"))
        .write("tools/lint/lint.py", "X = 1\n")
        // Rule 2: another project's manifest with its own name, version and license.
        .write(
            "libs/leftpad/package.json",
            "{\n  \"name\": \"left-pad\",\n  \"version\": \"1.3.0\",\n  \"license\": \"WTFPL\"\n}\n",
        )
        .write("libs/leftpad/index.js", "module.exports = function leftPad() {};\n")
        // Rule 2, look-alikes: a workspace member, a package under the repository's
        // license, a private package, a test fixture.
        .write(
            "packages/ui/package.json",
            "{\n  \"name\": \"acme-ui\",\n  \"version\": \"1.0.0\",\n  \"license\": \"Apache-2.0\"\n}\n",
        )
        .write("packages/ui/index.js", "module.exports = 2;\n")
        .write(
            "apps/web/package.json",
            "{\n  \"name\": \"acme-web\",\n  \"version\": \"1.0.0\",\n  \"license\": \"MIT\"\n}\n",
        )
        .write("apps/web/index.js", "module.exports = 3;\n")
        .write(
            "apps/site/package.json",
            "{\n  \"name\": \"site\",\n  \"version\": \"1.0.0\",\n  \"license\": \"ISC\",\n  \"private\": true\n}\n",
        )
        .write("apps/site/index.js", "module.exports = 4;\n")
        .write(
            "tests/fixtures/pkg/pyproject.toml",
            "[project]\nname = \"fixture\"\nversion = \"0.1\"\nlicense = \"GPL-3.0-only\"\n",
        )
        .write("tests/fixtures/pkg/mod.py", "X = 1\n")
        // Rule 3: a well-known single file, large.
        .write(
            "src/include/json.hpp",
            c_file(
                "/*\n    __ _____ _____ _____\n |  |   |  |   |  | JSON for Modern C++\n |  |  |__   |  |   | | | |  version 3.11.3\n https://github.com/nlohmann/json\n SPDX-License-Identifier: MIT\n*/",
                400,
            ),
        )
        // Rule 4: a header naming only another holder, large.
        .write("src/util/fast_hash.c", c_file("/* Copyright 2019 Jane Doe\n * SPDX-License-Identifier: BSD-2-Clause */", 300))
        // Rule 4, look-alikes: another holder next to the own one; another holder under
        // the root license file.
        .write(
            "src/util/adapted.c",
            c_file("// Copyright 2019 John Roe\n// Copyright 2024 Acme Corp", 200),
        )
        .write(
            "src/util/contributed.c",
            c_file("// Copyright 2024 Bob Smith\n// This source code is licensed under the MIT license found in the\n// LICENSE file in the root directory of this source tree.", 100),
        )
        .commit("content");
    repo
}

#[test]
fn vendored_code_is_found_by_its_content() {
    let repo = content_repo();
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(
        vendored_rows(&audit),
        [
            ".github/actions/checkout by=license-file files=3 version=- license=MIT evidence=Copyright holder: GitHub at .github/actions/checkout/LICENSE:3",
            "libs/leftpad by=manifest files=2 version=1.3.0 license=WTFPL evidence=left-pad 1.3.0 at libs/leftpad/package.json:3",
            "src/include/json.hpp by=known-file files=1 version=3.11.3 license=MIT evidence=- at -:null",
            "src/util/fast_hash.c by=license-header files=1 version=- license=BSD-2-Clause evidence=Copyright holder: Jane Doe at src/util/fast_hash.c:1",
        ]
    );
    // Vendored files leave the largest hand-maintained files; own ones stay.
    assert_eq!(role_of(&audit, "src/include/json.hpp"), None);
    assert_eq!(role_of(&audit, "src/util/fast_hash.c"), None);
    assert_eq!(role_of(&audit, "src/util/adapted.c").as_deref(), Some("source"));
    assert_eq!(role_of(&audit, "src/util/contributed.c").as_deref(), Some("source"));
    assert_eq!(role_of(&audit, "src/main.c").as_deref(), Some("source"));
    let md = report(repo.path(), "md", &[]);
    assert!(
        md.contains("| `libs/leftpad` | own manifest: left-pad 1.3.0 (`libs/leftpad/package.json:3`) | 2 |"),
        "{md}"
    );
}

#[test]
fn a_repository_without_an_own_holder_has_no_header_rule() {
    // No holder in the root license, none dominant among the headers: every header
    // would name "another" holder, so none is taken for vendored.
    let repo = TestRepo::new();
    repo.write("COPYING", "GNU GENERAL PUBLIC LICENSE, see the web.\n");
    for i in 0..12 {
        repo.write(
            &format!("drivers/d{i}.c"),
            c_file(
                &format!("// SPDX-License-Identifier: GPL-2.0\n// Copyright (C) 2005 Person {i}"),
                5,
            ),
        );
    }
    repo.commit("kernel-like");
    let audit = audit_json(repo.path(), &[]);
    assert_eq!(vendored_rows(&audit), Vec::<String>::new());
}

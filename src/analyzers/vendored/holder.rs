//! Copyright holders: who a license file or a source file's header says owns the code,
//! and whether two such names are the same owner.
//!
//! A copyright line is a line holding `copyright` (any case, `SPDX-FileCopyrightText:`
//! included) followed by a year, `(c)` or `©` and then a name: `Copyright (c) Meta
//! Platforms, Inc. and affiliates.`, `Copyright 2023 Arm Limited and/or its affiliates`;
//! `Portions (c) Name` counts too (a modified copy's notice of the part its editor owns).
//! Lines that talk about copyright (`the above copyright notice`, `copyright owner`) have
//! neither and name nobody. The name is cut at the first `,`, `;`, `<`, `(`, ` - ` or
//! `. `, lowercased, and the words that do not tell owners apart are dropped (`the`,
//! `inc`, `ltd`, `llc`, `co`, `corp`, `corporation`, `limited`, `gmbh`, `and`, `or`,
//! `its`, `affiliates`, `all`, `rights`, `reserved`, `authors`, `contributors`, `team`,
//! `developers`, `project`): `meta platforms`, `arm`. Two names are the same owner when
//! one's words begin the other's (`samsung electronics` and `samsung electronics co ltd`).
//!
//! Only the first [`HEADER_BYTES`] of a file are read for its header.

/// How much of a source file is read for its header: the first 4 KiB.
pub const HEADER_BYTES: usize = 4096;

/// Copyright lines kept per file: a header naming more owners than this is a list of
/// contributors, and the first few decide.
const MAX_HOLDERS: usize = 8;

/// Longest holder name kept, in bytes.
const MAX_HOLDER_BYTES: usize = 120;

const NOISE_WORDS: &[&str] = &[
    "affiliates",
    "all",
    "and",
    "authors",
    "co",
    "contributors",
    "corp",
    "corporation",
    "developers",
    "gmbh",
    "inc",
    "its",
    "limited",
    "llc",
    "ltd",
    "or",
    "project",
    "reserved",
    "rights",
    "team",
    "the",
];

/// A copyright holder named at a line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Holder {
    /// The name as written (trimmed, capped), for display.
    pub name: String,
    /// The name's distinguishing words, lowercase, space-separated.
    pub key: String,
    pub line: usize,
}

/// The first valid UTF-8 stretch of at most `HEADER_BYTES` of `bytes`.
pub fn header(bytes: &[u8]) -> &str {
    let prefix = &bytes[..bytes.len().min(HEADER_BYTES)];
    let prefix = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    match std::str::from_utf8(prefix) {
        Ok(text) => text,
        // A character cut at the limit, or a file that is not UTF-8 further on.
        Err(e) => std::str::from_utf8(&prefix[..e.valid_up_to()]).unwrap_or(""),
    }
}

/// The holders the copyright lines of `text` name, in order, at most [`MAX_HOLDERS`].
pub fn holders(text: &str) -> Vec<Holder> {
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            holder_of_line(line).map(|(name, key)| Holder {
                name,
                key,
                line: index + 1,
            })
        })
        .take(MAX_HOLDERS)
        .collect()
}

/// The holder a copyright line names: (name as written, key).
fn holder_of_line(line: &str) -> Option<(String, String)> {
    // Most lines name nobody: test before lowercasing a copy.
    if !["opyright", "OPYRIGHT", "ortions (", "ORTIONS ("]
        .iter()
        .any(|n| line.contains(n))
    {
        return None;
    }
    let lower = line.to_ascii_lowercase();
    let (at, word) = match lower.find("copyright") {
        Some(at) => (at, "copyright".len()),
        // `Portions (c) Meta Platforms, Inc.`: a modified copy's notice of its own part.
        None => (lower.find("portions (c)")?, "portions".len()),
    };
    let mut rest = &line[at + word..];
    // `SPDX-FileCopyrightText: 2021 Someone`
    if let Some(after) = rest.strip_prefix("Text:").or_else(|| rest.strip_prefix("text:")) {
        rest = after;
    }
    let mut marked = false;
    loop {
        let trimmed = rest.trim_start_matches([' ', '\t', ':']);
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("(c)") {
            rest = &trimmed[3..];
        } else if let Some(after) = trimmed.strip_prefix('©') {
            rest = after;
        } else if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
            let end = trimmed
                .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | ',' | ' ' | '–')))
                .unwrap_or(trimmed.len());
            // "present" after a range (`2014-present`).
            let mut after = &trimmed[end..];
            if after.to_ascii_lowercase().starts_with("present") {
                after = &after["present".len()..];
            }
            rest = after;
        } else {
            rest = trimmed;
            break;
        }
        marked = true;
    }
    if !marked {
        return None;
    }
    let cut = [", ", ";", "<", "(", " - ", ". ", "*/", "-->", "\""]
        .iter()
        .filter_map(|stop| rest.find(stop))
        .min()
        .unwrap_or(rest.len());
    let name = rest[..cut].trim().trim_end_matches(['.', ',']).trim();
    if !name.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    let key = key_of(name);
    if key.is_empty() {
        return None;
    }
    let mut shown = name.to_string();
    if shown.len() > MAX_HOLDER_BYTES {
        let end = (0..=MAX_HOLDER_BYTES)
            .rev()
            .find(|&i| shown.is_char_boundary(i))
            .unwrap_or(0);
        shown.truncate(end);
    }
    Some((shown, key))
}

/// The distinguishing words of a holder's name (see the module doc).
pub fn key_of(name: &str) -> String {
    let lower = name.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !NOISE_WORDS.contains(w))
        .take(8)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two keys name the same owner: one's words begin the other's.
pub fn same_owner(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    !short.is_empty() && (long == short || long.starts_with(&format!("{short} ")))
}

/// Whether a header says its code is under the repository's own license file (`found in
/// the LICENSE file in the root directory of this source tree`): code contributed to the
/// repository under its license, whoever holds the copyright.
pub fn refers_to_root_license(header: &str) -> bool {
    let lower = header.to_ascii_lowercase();
    lower.contains("root directory of this source tree") || lower.contains("license file in the root directory")
}

/// The SPDX expression a header states (`SPDX-License-Identifier: MIT`), with its line.
pub fn spdx_identifier(header: &str) -> Option<(String, usize)> {
    header.lines().enumerate().find_map(|(index, line)| {
        let at = line.find("SPDX-License-Identifier:")?;
        let value = line[at + "SPDX-License-Identifier:".len()..]
            .trim()
            .trim_end_matches("*/")
            .trim_end_matches("-->")
            .trim();
        (!value.is_empty() && value.len() <= 200).then(|| (value.to_string(), index + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        holders(text).into_iter().map(|h| h.key).collect()
    }

    #[test]
    fn copyright_lines_name_their_holders() {
        assert_eq!(
            keys("# Copyright (c) Meta Platforms, Inc. and affiliates.\n"),
            ["meta platforms"]
        );
        assert_eq!(
            keys("// Copyright 2023-2025 Arm Limited and/or its affiliates.\n"),
            ["arm"]
        );
        assert_eq!(keys(" * Copyright © 2024 Apple Inc. All rights reserved.\n"), ["apple"]);
        assert_eq!(
            keys("# SPDX-FileCopyrightText: 2021 Taneli Hukkinen\n"),
            ["taneli hukkinen"]
        );
        assert_eq!(
            keys("Copyright 2014-present Facebook. All Rights Reserved.\n"),
            ["facebook"]
        );
        assert_eq!(
            keys("# Portions (c) Meta Platforms, Inc. and affiliates.\n"),
            ["meta platforms"]
        );
        assert_eq!(
            keys("/* Copyright (C) 2019 Jane Doe <jane@example.com> */\n"),
            ["jane doe"]
        );
        let prose = "The above copyright notice and this permission notice shall be included\nthe copyright owner or entity\nCOPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\"\n";
        assert!(keys(prose).is_empty(), "{:?}", keys(prose));
        let two = "# Copyright 2023 Martin Pavella\n# Copyright 2023-2026 NXP\n";
        assert_eq!(keys(two), ["martin pavella", "nxp"]);
        assert_eq!(holders(two)[1].line, 2);
    }

    #[test]
    fn owners_compare_by_leading_words() {
        assert!(same_owner(
            &key_of("Samsung Electronics"),
            &key_of("Samsung Electronics Co. LTD")
        ));
        assert!(same_owner(&key_of("The ExecuTorch Authors"), "executorch"));
        assert!(!same_owner("arm", "armada"));
        assert!(!same_owner("", "x"));
    }

    #[test]
    fn header_is_bounded_and_valid_utf8() {
        let mut bytes = "é".repeat(HEADER_BYTES).into_bytes();
        assert!(header(&bytes).len() <= HEADER_BYTES);
        bytes.truncate(10);
        bytes.push(0xff);
        assert_eq!(header(&bytes), "ééééé");
        assert_eq!(
            spdx_identifier("/*\n * SPDX-License-Identifier: MIT OR Apache-2.0 */\n"),
            Some(("MIT OR Apache-2.0".to_string(), 2))
        );
    }
}

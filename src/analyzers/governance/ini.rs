//! INI as Python's `configparser` reads `setup.cfg` and `.importlinter`: `[section]`
//! headers, `key = value` or `key: value`, a value continued on the indented lines below
//! it (one item a line, as import-linter's lists are written), full-line comments with
//! `#` or `;`. Each value line keeps its line number, for findings at the line that
//! names a module.

/// One section, with its header's line.
#[derive(Debug, Default)]
pub struct Section {
    pub name: String,
    pub line: usize,
    pub entries: Vec<Entry>,
}

#[derive(Debug)]
pub struct Entry {
    pub key: String,
    pub line: usize,
    /// The value's non-empty lines (the one after the key, then the continuation
    /// lines), each trimmed, a trailing ` # comment` cut, with its 1-based line.
    pub values: Vec<(String, usize)>,
}

#[cfg(test)]
impl Section {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// What does not parse, at its 1-based line.
#[derive(Debug, PartialEq, Eq)]
pub struct Error {
    pub line: usize,
    pub message: String,
}

/// The sections of `text`; lines before the first header, or that are neither a header,
/// an entry nor a continuation, are errors.
pub fn parse(text: &str) -> Result<Vec<Section>, Error> {
    let mut sections: Vec<Section> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        let continued = raw.starts_with([' ', '\t']);
        if continued {
            if let Some(entry) = sections.last_mut().and_then(|s| s.entries.last_mut()) {
                push_value(&mut entry.values, trimmed, line);
                continue;
            }
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            sections.push(Section {
                name: name.trim().to_string(),
                line,
                entries: Vec::new(),
            });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            return Err(Error {
                line,
                message: "an entry before any `[section]` header".to_string(),
            });
        };
        let Some(split) = trimmed.find(['=', ':']) else {
            return Err(Error {
                line,
                message: format!("`{trimmed}` is neither `key = value` nor a `[section]` header"),
            });
        };
        let mut values = Vec::new();
        push_value(&mut values, &trimmed[split + 1..], line);
        section.entries.push(Entry {
            key: trimmed[..split].trim().to_ascii_lowercase(),
            line,
            values,
        });
    }
    Ok(sections)
}

fn push_value(values: &mut Vec<(String, usize)>, text: &str, line: usize) {
    let text = match text.find(" #") {
        Some(at) => &text[..at],
        None => text,
    }
    .trim();
    if !text.is_empty() {
        values.push((text.to_string(), line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_on_continuation_lines_keep_their_lines() {
        let text = "[importlinter]\nroot_package = pkg\n\n[importlinter:contract:one]\nname: One\nsource_modules =\n    pkg.a\n    # a comment\n    pkg.b  # why\n";
        let sections = parse(text).expect("parses");
        assert_eq!(sections.len(), 2);
        let sources = sections[1].get("source_modules").expect("key");
        assert_eq!(sources.values, [("pkg.a".to_string(), 7), ("pkg.b".to_string(), 9)]);
        assert_eq!(sections[1].get("name").expect("name").values, [("One".to_string(), 5)]);
        let error = parse("x = 1\n").expect_err("no section");
        assert_eq!(error.line, 1);
    }
}

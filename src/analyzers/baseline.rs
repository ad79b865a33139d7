//! `.plumb/baseline.toml`: the findings a team has accepted for now, read from the
//! snapshot like `plumb.toml`, and compared with the audit's findings by
//! [`crate::judge::baseline`]. `plumb check --baseline FILE` reads a file from outside the
//! snapshot with the same [`read`].
//!
//! A mistake in the file is a `baseline-invalid` finding at its line, and the entry is
//! left out (so its finding counts as new and `plumb check` fails on it); the file is
//! never rewritten by the audit.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHasher};

use crate::model::{Baseline, BaselineEntry, BaselineSource, Confidence, EntryStatus, Finding, Rule, Severity};
use crate::scan::{File, FileInfo};

use super::caps::{thousands, PER_AUDIT};
use super::positions::Positions;
use super::toml_tables;
use super::workflows::rules::{Judgement, Reporter};
use super::{Analysis, Analyzer, Conclusion};

pub struct BaselineAnalyzer;

/// Where `plumb baseline` writes the baseline and `plumb check` reads it.
pub const BASELINE_PATH: &str = ".plumb/baseline.toml";

/// The only layout of the file so far; `version` says which one a file is in.
pub const BASELINE_VERSION: i64 = 1;

pub const BASELINE_INVALID: Rule = Rule {
    group: "baseline",
    id: "baseline-invalid",
    title: "baseline entry that plumb cannot use",
    help: "The baseline file is not valid TOML, or an entry has an unknown key, a missing or mistyped `rule`, `path` or `fingerprint` (16 hexadecimal digits), an `expires` that is not a date (`2026-06-30`), a rule id this plumb does not know, or it repeats an earlier entry. The entry is left out, so the finding it accepted counts as new and `plumb check` fails on it: fix the reported line, or rewrite the file with `plumb baseline` once it reads.",
};

const RULES: &[Rule] = &[BASELINE_INVALID];

/// At most this many entries are read: as many as the findings one audit lists
/// ([`PER_AUDIT`]), which is all `plumb baseline` can write, and a bound on the memory a
/// hostile file can ask for (past it, one finding at the first entry left out, and the
/// rest of the file is not parsed).
pub const MAX_ENTRIES: usize = PER_AUDIT;
/// TOML syntax errors reported one by one; past them, one finding counts the rest.
const MAX_SYNTAX_ERRORS: usize = 100;

const TOP_KEYS: &[&str] = &["version", "finding"];
const ENTRY_KEYS: &[&str] = &["rule", "path", "fingerprint", "reason", "owner", "expires"];

impl Analyzer for BaselineAnalyzer {
    fn id(&self) -> &'static str {
        "baseline"
    }

    fn rules(&self) -> &'static [Rule] {
        RULES
    }

    fn wants(&self, file: &FileInfo) -> bool {
        file.path == BASELINE_PATH
    }

    fn visit(&self, file: &File<'_>, out: &mut Analysis) {
        out.baseline = super::keep_text(file, &mut out.notes, "baseline");
    }

    fn finish(&self, analysis: &Analysis) -> Conclusion {
        let Some(file) = &analysis.baseline else {
            return Box::new(|_| {});
        };
        let (baseline, findings) = read(&file.path, Arc::clone(&file.text), BaselineSource::Snapshot);
        Box::new(move |audit| {
            audit.findings.extend(findings);
            audit.baseline = Some(baseline);
        })
    }
}

type Value<'t> = toml::de::DeValue<'t>;
type Spanned<T> = toml::Spanned<T>;

/// Parses and validates a baseline file: the valid entries, and a `baseline-invalid`
/// finding for every mistake (every syntax error too; the file then has no entries).
pub fn read(path: &str, text: Arc<str>, source: BaselineSource) -> (Baseline, Vec<Finding>) {
    let mut reader = Reader {
        positions: Positions::new(&text),
        reporter: Reporter::new(path, &text),
        base: 0,
    };
    let entries = reader.document(&text);
    let findings = reader.reporter.into_findings();
    let baseline = Baseline {
        path: path.to_string(),
        source,
        entries,
        new: Vec::new(),
        text,
    };
    (baseline, findings)
}

/// Removes the entries whose rule no rule of this plumb has (`known` says which are),
/// and returns a `baseline-invalid` finding at each: they could never match.
pub fn unknown_rules(baseline: &mut Baseline, known: impl Fn(&str) -> bool) -> Vec<Finding> {
    // Taken out in place: a second vector of the kept entries would double them.
    let unknown: Vec<_> = baseline.entries.extract_if(.., |entry| !known(&entry.rule)).collect();
    let mut reporter = Reporter::new(&baseline.path, &baseline.text);
    for entry in unknown {
        let message = format!("entry for `{}`, which is no rule of this plumb", entry.rule);
        invalid(&mut reporter, (entry.line, 1), message);
    }
    reporter.into_findings()
}

struct Reader<'t> {
    positions: Positions<'t>,
    reporter: Reporter<'t>,
    /// Where the table being read starts in the file: its spans are counted from there.
    base: usize,
}

/// The entries read so far, and how many tables.
#[derive(Default)]
struct Entries {
    kept: Vec<BaselineEntry>,
    /// Tables seen, kept or not.
    index: usize,
    /// The kept entries by the hash of their rule, path and fingerprint, for repeats.
    by_identity: FxHashMap<u64, Vec<usize>>,
}

impl Entries {
    fn identity(entry: &BaselineEntry) -> u64 {
        let mut hasher = FxHasher::default();
        (&entry.rule, &entry.path, &entry.fingerprint).hash(&mut hasher);
        hasher.finish()
    }

    fn is_repeat(&self, entry: &BaselineEntry) -> bool {
        let same = |kept: &BaselineEntry| {
            (&kept.rule, &kept.path, &kept.fingerprint) == (&entry.rule, &entry.path, &entry.fingerprint)
        };
        self.by_identity
            .get(&Self::identity(entry))
            .is_some_and(|indexes| indexes.iter().any(|&i| same(&self.kept[i])))
    }

    fn push(&mut self, entry: BaselineEntry) {
        self.by_identity
            .entry(Self::identity(&entry))
            .or_default()
            .push(self.kept.len());
        self.kept.push(entry);
    }
}

/// An entry's fields as read, before the required ones are checked.
#[derive(Default)]
struct Fields {
    rule: Option<String>,
    path: Option<String>,
    fingerprint: Option<String>,
    reason: Option<String>,
    owner: Option<String>,
    expires: Option<String>,
}

impl Reader<'_> {
    /// The entries of the file, read one `[[finding]]` table at a time
    /// ([`toml_tables`]): first every table for syntax errors (any makes the file's
    /// entries unusable), then each for its entries.
    fn document(&mut self, text: &str) -> Vec<BaselineEntry> {
        if self.syntax_errors(text) {
            return Vec::new();
        }
        let mut entries = Entries::default();
        for (start, chunk) in toml_tables::documents(text, "finding") {
            if entries.index > MAX_ENTRIES {
                break;
            }
            self.base = start;
            let (document, _) = toml::de::DeTable::parse_recoverable(chunk);
            for (key, value) in document.get_ref() {
                match key.get_ref().as_ref() {
                    "version" => self.version(value),
                    "finding" => self.entries(value, &mut entries, text),
                    _ => self.unknown_key(key, TOP_KEYS),
                }
            }
        }
        self.base = 0;
        entries.kept
    }

    /// Reports the file's syntax errors, if it has any.
    fn syntax_errors(&mut self, text: &str) -> bool {
        let mut errors: Vec<(usize, String)> = Vec::new();
        let mut more = 0;
        for (start, chunk) in toml_tables::documents(text, "finding") {
            let (_, found) = toml::de::DeTable::parse_recoverable(chunk);
            for error in found {
                if errors.len() <= MAX_SYNTAX_ERRORS {
                    let offset = start + error.span().map_or(0, |span| span.start);
                    errors.push((offset, error.message().trim().to_string()));
                } else {
                    more += 1;
                }
            }
        }
        let Some(&(first_unreported, _)) = errors.get(MAX_SYNTAX_ERRORS) else {
            for (offset, message) in &errors {
                self.invalid(*offset, message.clone());
            }
            return !errors.is_empty();
        };
        for (offset, message) in errors.iter().take(MAX_SYNTAX_ERRORS) {
            self.invalid(*offset, message.clone());
        }
        let message = format!(
            "this syntax error and the {} after it are not reported one by one",
            errors.len() - MAX_SYNTAX_ERRORS - 1 + more
        );
        self.invalid(first_unreported, message);
        true
    }

    fn version(&mut self, value: &Spanned<Value<'_>>) {
        let message = match value.get_ref() {
            Value::Integer(number) if number.as_str().parse::<i64>() == Ok(BASELINE_VERSION) => return,
            Value::Integer(number) => format!(
                "`version` is {}: this plumb reads baseline version {BASELINE_VERSION}",
                number.as_str()
            ),
            other => format!("`version` must be a whole number, not {}", a(other)),
        };
        self.invalid(value.span().start, message);
    }

    /// `[[finding]]` tables, each validated alone.
    fn entries(&mut self, value: &Spanned<Value<'_>>, entries: &mut Entries, text: &str) {
        let Value::Array(tables) = value.get_ref() else {
            let message = format!("`finding` must be `[[finding]]` tables, not {}", a(value.get_ref()));
            return self.invalid(value.span().start, message);
        };
        for table in tables {
            if entries.index == MAX_ENTRIES {
                entries.index += 1;
                let rest = self.tables_after(text, self.base + table.span().start);
                let message = format!(
                    "plumb reads at most {} entries: this one and the {} after it are ignored",
                    thousands(MAX_ENTRIES),
                    thousands(rest)
                );
                return self.invalid(table.span().start, message);
            }
            entries.index += 1;
            let Some(entry) = self.entry(table) else {
                continue;
            };
            if entries.is_repeat(&entry) {
                let message = format!(
                    "`{}` in `{}` with fingerprint {} is listed twice: the repeat is ignored",
                    entry.rule, entry.path, entry.fingerprint
                );
                self.invalid(table.span().start, message);
                continue;
            }
            entries.push(entry);
        }
    }

    /// How many `[[finding]]` headers follow the one at byte `offset` of the file.
    fn tables_after(&self, text: &str, offset: usize) -> usize {
        let header_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
        text[header_end..]
            .split_inclusive('\n')
            .filter(|line| toml_tables::is_header(line, "finding"))
            .count()
    }

    fn entry(&mut self, table: &Spanned<Value<'_>>) -> Option<BaselineEntry> {
        let start = table.span().start;
        let Value::Table(values) = table.get_ref() else {
            let message = format!("an entry must be a table, not {}", a(table.get_ref()));
            self.invalid(start, message);
            return None;
        };
        let mut fields = Fields::default();
        let mut expiry_unreadable = false;
        for (key, value) in values.iter() {
            let name = key.get_ref().as_ref();
            match name {
                "rule" => fields.rule = self.string(value, "`rule`"),
                "path" => fields.path = self.string(value, "`path`"),
                "fingerprint" => fields.fingerprint = self.fingerprint(value),
                "reason" => fields.reason = self.string(value, "`reason`"),
                "owner" => fields.owner = self.string(value, "`owner`"),
                "expires" => {
                    fields.expires = self.expires(value);
                    expiry_unreadable = fields.expires.is_none();
                }
                _ => self.unknown_key(key, ENTRY_KEYS),
            }
        }
        let missing: Vec<&str> = [
            ("`rule`", fields.rule.is_none()),
            ("`path`", fields.path.is_none()),
            ("`fingerprint`", fields.fingerprint.is_none()),
        ]
        .iter()
        .filter(|(_, missing)| *missing)
        .map(|(name, _)| *name)
        .collect();
        if !missing.is_empty() {
            self.invalid(start, format!("entry has no valid {}", missing.join(", ")));
            return None;
        }
        if expiry_unreadable {
            return None;
        }
        Some(BaselineEntry {
            rule: fields.rule?,
            path: fields.path?,
            fingerprint: fields.fingerprint?,
            reason: fields.reason,
            owner: fields.owner,
            expires: fields.expires,
            line: self.positions.line(self.base + start),
            status: EntryStatus::Fixed,
            matched: None,
        })
    }

    fn fingerprint(&mut self, value: &Spanned<Value<'_>>) -> Option<String> {
        let text = self.string(value, "`fingerprint`")?;
        if text.len() == 16 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Some(text);
        }
        let message = format!("fingerprint `{text}` is not 16 hexadecimal digits (0-9, a-f) as plumb writes them");
        self.invalid(value.span().start, message);
        None
    }

    /// `expires`: a TOML date (`2026-06-30`) or a string holding one. A mistake makes the
    /// whole entry invalid: an entry whose limit cannot be read must not accept forever.
    fn expires(&mut self, value: &Spanned<Value<'_>>) -> Option<String> {
        let written = match value.get_ref() {
            Value::Datetime(datetime) => match (datetime.date, datetime.time, datetime.offset) {
                (Some(date), None, None) => return Some(date.to_string()),
                _ => datetime.to_string(),
            },
            Value::String(text) if is_date(text) => return Some(text.to_string()),
            Value::String(text) => text.to_string(),
            other => a(other),
        };
        let message = format!("`expires` is {written}: it must be a date such as 2026-06-30");
        self.invalid(value.span().start, message);
        None
    }

    /// The string `value`, or a finding that `what` must be one.
    fn string(&mut self, value: &Spanned<Value<'_>>, what: &str) -> Option<String> {
        match value.get_ref() {
            Value::String(text) => Some(text.to_string()),
            other => {
                let message = format!("{what} must be a string, not {}", a(other));
                self.invalid(value.span().start, message);
                None
            }
        }
    }

    fn unknown_key(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>, expected: &[&str]) {
        let expected: Vec<String> = expected.iter().map(|k| format!("`{k}`")).collect();
        let message = format!(
            "unknown field `{}`, expected one of {}",
            key.get_ref(),
            expected.join(", ")
        );
        self.invalid(key.span().start, message);
    }

    /// A finding at `offset` of the table being read (of the file, in `syntax_errors`).
    fn invalid(&mut self, offset: usize, message: String) {
        let at = self.positions.position(self.base + offset);
        invalid(&mut self.reporter, at, message);
    }
}

fn invalid(reporter: &mut Reporter<'_>, at: (usize, usize), message: String) {
    let judgement = Judgement {
        severity: Severity::Medium,
        confidence: Confidence::High,
        message,
        remediation: "Fix the entry; it is left out until then, and its finding counts as new.",
    };
    reporter.report(&BASELINE_INVALID, at, 1, judgement);
}

/// Whether `text` is a calendar date written `YYYY-MM-DD` (the 29th of February only in
/// a leap year).
pub fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return false;
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// A value's TOML type with its article: `an integer`, `a table`.
fn a(value: &Value<'_>) -> String {
    let kind = value.type_str();
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> (Vec<BaselineEntry>, Vec<(usize, String)>) {
        let (baseline, findings) = read(BASELINE_PATH, text.into(), BaselineSource::Snapshot);
        let problems = findings.into_iter().map(|f| (f.location.line, f.message)).collect();
        (baseline.entries, problems)
    }

    const ENTRY: &str = "[[finding]]\nrule = \"unpinned-uses\"\npath = \"a.yml\"\nfingerprint = \"0123456789abcdef\"\n";

    #[test]
    fn a_valid_file_reads_every_field() {
        let text = format!(
            "version = 1\n\n{ENTRY}reason = \"vendor fork\"\nowner = \"@ci\"\nexpires = 2026-06-30\n\n{}expires = \"2024-02-29\"\n",
            ENTRY.replace("a.yml", "b.yml")
        );
        let (entries, problems) = messages(&text);
        assert_eq!(problems, []);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].line, 3);
        assert_eq!(entries[0].reason.as_deref(), Some("vendor fork"));
        assert_eq!(entries[0].owner.as_deref(), Some("@ci"));
        assert_eq!(entries[0].expires.as_deref(), Some("2026-06-30"));
        assert_eq!(entries[1].expires.as_deref(), Some("2024-02-29"));
    }

    #[test]
    fn bad_toml_is_a_finding_at_its_line_and_no_entry() {
        let (entries, problems) = messages(&format!("{ENTRY}reason = [\n"));
        assert!(entries.is_empty());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].0, 5);
    }

    #[test]
    fn a_repeated_entry_is_reported_and_left_out() {
        let (entries, problems) = messages(&format!("{ENTRY}\n{ENTRY}"));
        assert_eq!(entries.len(), 1);
        assert_eq!(
            problems,
            [(
                6,
                "`unpinned-uses` in `a.yml` with fingerprint 0123456789abcdef is listed twice: the repeat is ignored"
                    .to_string()
            )]
        );
    }

    #[test]
    fn an_expiry_that_is_not_a_date_leaves_the_entry_out() {
        for (written, shown) in [
            ("\"next year\"", "next year"),
            ("\"2026-02-30\"", "2026-02-30"),
            ("2026-06-30T10:00:00Z", "2026-06-30T10:00:00Z"),
            ("20260630", "an integer"),
        ] {
            let (entries, problems) = messages(&format!("{ENTRY}expires = {written}\n"));
            assert!(entries.is_empty(), "{written}");
            assert_eq!(
                problems,
                [(5, format!("`expires` is {shown}: it must be a date such as 2026-06-30"))],
                "{written}"
            );
        }
    }

    #[test]
    fn missing_and_mistyped_fields_are_named() {
        let (entries, problems) = messages("[[finding]]\nrule = 3\npath = \"a\"\nfingerprint = \"XYZ\"\nnote = 1\n");
        assert!(entries.is_empty());
        let mut lines: Vec<usize> = problems.iter().map(|p| p.0).collect();
        lines.sort();
        assert_eq!(lines, [1, 2, 4, 5], "{problems:?}");
        assert!(
            problems.contains(&(1, "entry has no valid `rule`, `fingerprint`".to_string())),
            "{problems:?}"
        );
    }

    #[test]
    fn unknown_rules_are_removed_and_reported_at_their_entry() {
        let text = format!("{ENTRY}\n{}", ENTRY.replace("unpinned-uses", "no-such-rule"));
        let (mut baseline, findings) = read(BASELINE_PATH, text.as_str().into(), BaselineSource::Snapshot);
        assert!(findings.is_empty());
        let unknown = unknown_rules(&mut baseline, |rule| rule == "unpinned-uses");
        assert_eq!(baseline.entries.len(), 1);
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].location.line, 6);
        assert_eq!(unknown[0].rule, "baseline-invalid");
    }

    #[test]
    fn dates_are_calendar_dates() {
        for good in ["2026-06-30", "2024-02-29", "2000-02-29", "9999-12-31"] {
            assert!(is_date(good), "{good}");
        }
        for bad in [
            "2026-6-30",
            "2100-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2026-06-3x",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}

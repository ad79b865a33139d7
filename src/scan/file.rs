//! What the scan knows about one file, and what it hands to analyzers.

use std::borrow::Cow;
use std::cell::OnceCell;

use tokei::LanguageType;

use super::{directive_lines, DirectiveLine};
use crate::model::{LineCounts, Role};

/// Path-level facts, decided before any analyzer runs.
#[derive(Debug, Clone)]
pub struct FileInfo {
    pub path: String,
    pub language: Option<LanguageType>,
    pub role: Role,
    pub bytes: u64,
    /// `false` for untracked work-tree files, which are counted apart.
    pub tracked: bool,
}

impl FileInfo {
    /// The file name (last path component).
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// One file with its bytes, alive only while the analyzers visit it.
pub struct File<'a> {
    pub info: &'a FileInfo,
    pub bytes: &'a [u8],
    text: OnceCell<Option<&'a str>>,
    /// The line counter's directive lines, when it noted them.
    directives: Option<&'a [DirectiveLine]>,
}

impl<'a> File<'a> {
    pub fn new(info: &'a FileInfo, bytes: &'a [u8]) -> Self {
        File {
            info,
            bytes,
            text: OnceCell::new(),
            directives: None,
        }
    }

    /// The file with the directive lines the line counter noted in its bytes.
    pub fn with_directives(self, directives: Option<&'a [DirectiveLine]>) -> Self {
        File { directives, ..self }
    }

    /// The lines that may hold a C preprocessor directive: the counter's, else found now
    /// (a file with a byte order mark, or not counted).
    pub fn directive_lines(&self) -> Cow<'a, [DirectiveLine]> {
        match self.directives {
            Some(directives) => Cow::Borrowed(directives),
            None => Cow::Owned(directive_lines(self.bytes)),
        }
    }

    /// The bytes as UTF-8 (a leading BOM dropped), decoded at most once; `None` when they
    /// are not UTF-8.
    pub fn text(&self) -> Option<&'a str> {
        *self.text.get_or_init(|| {
            let bytes = self.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(self.bytes);
            std::str::from_utf8(bytes).ok()
        })
    }
}

/// What the scan keeps of a file after its bytes are dropped.
#[derive(Debug, Clone)]
pub struct FileRecord {
    /// Whether the bytes were line-counted (read, not binary, language known).
    pub counted: bool,
    pub info: FileInfo,
    /// The language's own lines (zero when the file was not line-counted).
    pub lines: LineCounts,
    /// Lines of other languages embedded in the file.
    pub embedded: LineCounts,
}

impl FileRecord {
    /// A file whose lines were not counted.
    pub fn uncounted(info: FileInfo) -> Self {
        FileRecord {
            info,
            counted: false,
            lines: LineCounts::default(),
            embedded: LineCounts::default(),
        }
    }
}

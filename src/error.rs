//! Errors that stop an audit before it starts: the user asked for something that does
//! not exist. Everything that goes wrong with a single file is a scan note instead.

use std::path::PathBuf;

/// A mistake in the command line or its inputs: one line on stderr, exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("no such path: {0}")]
    NoSuchPath(PathBuf),
    #[error("not a directory: {0}")]
    NotADirectory(PathBuf),
    #[error("cannot read {0}: {1}")]
    Unreadable(PathBuf, String),
    #[error("cannot open the git repository at {0}: {1}")]
    Repository(PathBuf, String),
    #[error("unknown revision: {0}")]
    UnknownRevision(String),
    #[error("--rev {0} needs a git repository, and the path is a plain directory")]
    RevisionWithoutRepository(String),
    #[error("a bare repository has no work tree to hold docs/audit: pass --out DIR or --stdout")]
    BareNeedsOut,
    #[error("{0} exists already: pass --force to replace it")]
    ConfigExists(PathBuf),
    #[error("plumb init writes plumb.toml into a work tree or a plain directory, and this repository is bare")]
    InitNeedsWorkTree,
    #[error("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 from 0 to {1}, and is {0:?}")]
    SourceDateEpoch(String, u64),
    #[error("a bare repository has no work tree to hold .plumb/baseline.toml: pass --output FILE")]
    BaselineNeedsOutput,
    #[error("{0}:{1}:{2}: {3}")]
    Baseline(PathBuf, usize, usize, String),
    #[error("cannot write {0}: {1}")]
    Write(PathBuf, String),
    #[error("--update-refactor-md: {0}")]
    RefactorMd(String),
}

//! What the judgement costs: the whole audit of a repository, and the scores, ranking and
//! plan (`judge::judge`) run again on a copy of its result, each timed over several rounds.
//! The budget: scoring, ranking and planning add at most 5 % to the audit.
//!
//!     cargo bench --bench judge -- /path/to/repository [rounds]

use std::time::{Duration, Instant};

use plumb::scan::ScanOptions;
use plumb::source::Snapshot;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let Some(path) = args.next() else {
        eprintln!("usage: cargo bench --bench judge -- REPOSITORY [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let snapshot = Snapshot::open(path.as_ref(), None).expect("a repository to audit");
    let options = ScanOptions {
        max_file_bytes: 10 * 1024 * 1024,
        excluded: Default::default(),
    };
    let audit_once = || plumb::audit(&snapshot, &options, "1970-01-01T00:00:00+00:00".into(), &|| {});
    let audit = audit_once();
    let (mut audits, mut judgements) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let started = Instant::now();
        std::hint::black_box(audit_once());
        audits.push(started.elapsed());
        let mut copy = audit.clone();
        let started = Instant::now();
        plumb::judge::judge(&mut copy);
        judgements.push(started.elapsed());
        std::hint::black_box(copy);
    }
    let (audit_median, judge_median) = (median(&mut audits), median(&mut judgements));
    println!(
        "{path}: {} findings, {rounds} rounds: audit {:.1} ms, judge::judge {:.2} ms ({:.2} % of the audit)",
        audit.findings.len(),
        audit_median.as_secs_f64() * 1e3,
        judge_median.as_secs_f64() * 1e3,
        100.0 * judge_median.as_secs_f64() / audit_median.as_secs_f64()
    );
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

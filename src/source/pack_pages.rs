//! Giving back the pages of pack files that a `--rev` scan has read.
//!
//! gix reads packs through read-only memory maps. Reading every blob of a tree touches
//! every page of the pack, and each touched page counts in the process's resident memory
//! until the map is dropped at exit: on the Linux kernel's tree, 250 MB on top of the
//! audit's own 300. The pages belong to the kernel's page cache, so the audit does not
//! need them mapped: `MADV_DONTNEED` drops them from this process only, and a later read
//! maps them again from the cache (a minor fault, no disk read). Each reading thread
//! does that after every [`RELEASE_EVERY`] bytes of blobs, so the pack's share of the
//! resident set stays a few megabytes.
//!
//! Only Linux is handled: the maps are found in `/proc/self/maps` by their `.pack` name.

/// Blob bytes a thread reads between two releases.
const RELEASE_EVERY: u64 = 32 << 20;

/// Counts the blob bytes one thread reads, and releases the pack pages when due.
#[derive(Debug, Default)]
pub struct PackPages {
    read_since_release: u64,
}

impl PackPages {
    pub fn note_read(&mut self, bytes: usize) {
        self.read_since_release += bytes as u64;
        if self.read_since_release >= RELEASE_EVERY {
            self.read_since_release = 0;
            release();
        }
    }
}

#[cfg(target_os = "linux")]
fn release() {
    // Memory accounting only: when the maps cannot be read, nothing is released.
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        return;
    };
    for (start, end) in pack_maps(&maps) {
        // SAFETY: the range is a whole read-only map of a pack file, which gix never
        // writes to (its `MAP_PRIVATE` pages are never copied on write). For such a map,
        // `MADV_DONTNEED` only unmaps the pages from this process: the next access,
        // from any thread, maps the same file bytes again. No memory is invalidated.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn release() {}

/// The address ranges of read-only maps of `.pack` files in a `/proc/self/maps` text
/// (`start-end perms offset dev inode path`).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn pack_maps(maps: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    maps.lines().filter_map(|line| {
        let mut fields = line.splitn(6, ' ');
        let range = fields.next()?;
        let perms = fields.next()?;
        let path = fields.nth(3)?.trim_start();
        if !path.ends_with(".pack") || !perms.starts_with("r-") {
            return None;
        }
        let (start, end) = range.split_once('-')?;
        let start = usize::from_str_radix(start, 16).ok()?;
        let end = usize::from_str_radix(end, 16).ok()?;
        (start < end).then_some((start, end))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_read_only_pack_maps_are_released() {
        let maps = "\
55d0c0000000-55d0c0100000 r--p 00000000 fd:00 12 /usr/bin/plumb
7f0000000000-7f0000400000 r--p 00000000 fd:00 34                         /r/.git/objects/pack/pack-ab.pack
7f0000400000-7f0000500000 r--p 00000000 fd:00 35                         /r/.git/objects/pack/pack-ab.idx
7f0000500000-7f0000600000 rw-p 00000000 fd:00 36                         /r/x.pack
7f0000600000-7f0000700000 r--p 00000000 fd:00 37                         /r/my dir/objects/pack/pack-cd.pack
7f0000700000-7f0000800000 rw-p 00000000 00:00 0 
";
        let found: Vec<_> = pack_maps(maps).collect();
        assert_eq!(
            found,
            [(0x7f0000000000, 0x7f0000400000), (0x7f0000600000, 0x7f0000700000)]
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_released_pack_map_still_reads_the_same_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("test.pack");
        let bytes: Vec<u8> = (0..1 << 20).map(|i: u32| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).expect("write");
        let file = std::fs::File::open(&path).expect("open");
        // SAFETY: a private read-only map of a file this test owns and does not change.
        let map = unsafe { memmap2::MmapOptions::new().map_copy_read_only(&file) }.expect("map");
        assert_eq!(&map[..], &bytes[..]);
        release();
        assert_eq!(&map[..], &bytes[..]);
    }
}

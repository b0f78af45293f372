//! Tuning of the C allocator (glibc malloc) that the service's memory comes from.
//!
//! Measured on the benchmark data set: with glibc's defaults the server grew from 18 MB to
//! 256 MB after twelve logins and to 400–500 MB under the benchmark. Two defaults cause it:
//! - the *dynamic mmap threshold*: after the first 19 MiB argon2 work area is freed, glibc raises
//!   the threshold above it, so later work areas (and large statistics buffers) come from the heap
//!   and stay resident after they are freed;
//! - one arena per thread up to 8 × cores, each keeping its own freed memory, and the blocking
//!   pool runs dozens of threads.
//!
//! Fixing the threshold (large blocks are mapped and returned to the system when freed) and
//! capping the arenas keeps the resident size near what is in use, at the cost of mapping each
//! argon2 work area afresh.

/// Blocks at least this large are mapped on their own and unmapped when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 256 * 1024;

/// Most malloc arenas (glibc's default is 8 per core).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const ARENA_MAX: libc::c_int = 4;

/// Applies the settings above; call once, first thing at start-up. Returns false when the C
/// library refused them (the service still works, only with more memory).
#[allow(unsafe_code)] // mallopt: see the SAFETY comment inside.
pub fn tune() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only sets allocator parameters; both values are in their valid range.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
                && libc::mallopt(libc::M_ARENA_MAX, ARENA_MAX) == 1
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        true
    }
}

use clap::Parser;
use std::process::ExitCode;

/// jemalloc (tikv-jemallocator) where it builds: every target but MSVC, which keeps the
/// system's allocator.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts (before `main`); `_RJEM_MALLOC_CONF` in the
/// environment still overrides each of them.
///
/// Two arenas, one per core of the machines ropa is measured on, instead of four per core;
/// freed pages go back to the system after 200 ms instead of 10 s, and are purged outright
/// rather than first marked lazily freed (such pages count in the process until the kernel
/// wants them). A large register's build frees much while it exports, and the freed pages
/// counted in its peak for as long as jemalloc kept them (L: 535 MB instead of 650 MB with
/// jemalloc's defaults and 560 MB with mimalloc; docs/performance.md).
#[cfg(not(target_env = "msvc"))]
const MALLOC_CONF: &std::ffi::CStr = c"narenas:2,dirty_decay_ms:200,muzzy_decay_ms:0";

/// The pointer jemalloc reads its options through (`const char *malloc_conf`, under the
/// prefix tikv-jemalloc-sys gives its symbols).
#[cfg(not(target_env = "msvc"))]
#[repr(transparent)]
struct ConfPointer(*const std::ffi::c_char);

// SAFETY: the pointer is to a constant C string, never written.
#[cfg(not(target_env = "msvc"))]
unsafe impl Sync for ConfPointer {}

#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static JEMALLOC_CONF: ConfPointer = ConfPointer(MALLOC_CONF.as_ptr());

fn main() -> ExitCode {
    ropa::cli::run(ropa::cli::Cli::parse())
}

#[cfg(all(test, not(target_env = "msvc")))]
mod tests {
    /// jemalloc's options in force, as the names it reads them by.
    fn options() -> [(&'static str, isize); 3] {
        // SAFETY: each name is a NUL-terminated option jemalloc documents, read as its type
        // (`unsigned` for narenas, `ssize_t` for the decays; both fit an `isize` here).
        unsafe {
            [
                (
                    "narenas",
                    tikv_jemalloc_ctl::raw::read::<u32>(b"opt.narenas\0").unwrap() as isize,
                ),
                (
                    "dirty_decay_ms",
                    tikv_jemalloc_ctl::raw::read::<isize>(b"opt.dirty_decay_ms\0").unwrap(),
                ),
                (
                    "muzzy_decay_ms",
                    tikv_jemalloc_ctl::raw::read::<isize>(b"opt.muzzy_decay_ms\0").unwrap(),
                ),
            ]
        }
    }

    /// ropa's options are in force without the environment, and each is overridden by
    /// `_RJEM_MALLOC_CONF` (read back in a child test process started with it): a renamed
    /// symbol in a new tikv-jemalloc-sys would leave jemalloc's defaults and fail the first
    /// check.
    #[test]
    fn jemalloc_runs_with_ropas_options_unless_the_environment_sets_them() {
        const CHILD: &str = "ROPA_TEST_JEMALLOC_CHILD";
        if std::env::var_os(CHILD).is_some() {
            for (name, value) in options() {
                assert_eq!(value, 7, "{name} is not the environment's");
            }
            return;
        }
        if std::env::var_os("_RJEM_MALLOC_CONF").is_none() {
            let ours: Vec<String> = options()
                .iter()
                .map(|(name, value)| format!("{name}:{value}"))
                .collect();
            assert_eq!(ours.join(","), super::MALLOC_CONF.to_str().unwrap());
        }
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "tests::jemalloc_runs_with_ropas_options_unless_the_environment_sets_them",
            ])
            .env(CHILD, "1")
            .env(
                "_RJEM_MALLOC_CONF",
                "narenas:7,dirty_decay_ms:7,muzzy_decay_ms:7",
            )
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "the child test failed");
    }
}

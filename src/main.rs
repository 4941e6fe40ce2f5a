use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its option enum is not exported as constants).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Freed memory goes back to the system after 10 ms instead of mimalloc's 1 s: a large
    // register's build frees much while it exports, and held that for a second longer (L: a
    // peak 40–60 MB lower for 0.1–0.3 s more; docs/performance.md). MIMALLOC_PURGE_DELAY still
    // rules.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a number in mimalloc's option table, as its environment variable does.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
    }
    ropa::cli::run(ropa::cli::Cli::parse())
}

#[cfg(test)]
mod tests {
    use super::MI_OPTION_PURGE_DELAY;

    /// The option number is mimalloc's, not exported: a child test process started with
    /// `MIMALLOC_PURGE_DELAY` must read that value back under this number.
    #[test]
    fn the_purge_delay_option_is_the_one_its_environment_variable_sets() {
        const CHILD: &str = "ROPA_TEST_PURGE_DELAY_CHILD";
        // SAFETY: reads a number from mimalloc's option table.
        let read = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        if std::env::var_os(CHILD).is_some() {
            assert_eq!(
                read, 77,
                "option {MI_OPTION_PURGE_DELAY} is not the purge delay"
            );
            return;
        }
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "tests::the_purge_delay_option_is_the_one_its_environment_variable_sets",
            ])
            .env("MIMALLOC_PURGE_DELAY", "77")
            .env(CHILD, "1")
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "the child test failed");
    }
}

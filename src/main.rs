use clap::Parser;
use std::ffi::{CStr, c_char, c_long};
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The mimalloc options ropa sets, by number (its option enum is not exported as constants),
/// with the environment variable that sets each, which still rules, and ropa's value.
///
/// Freed memory goes back to the system after 50 ms instead of mimalloc's 1 s, and its arenas
/// commit memory as it is used instead of all at once: a large register's build frees much
/// while it exports, and fewer of the freed pages stay counted in the process (L: a peak
/// 20–30 MB lower and no slower; docs/performance.md).
const MI_OPTIONS: [(libmimalloc_sys::mi_option_t, &CStr, c_long); 2] = [
    (15, c"MIMALLOC_PURGE_DELAY", 50),
    (4, c"MIMALLOC_ARENA_EAGER_COMMIT", 0),
];

unsafe extern "C" {
    /// The C library's, which reads the environment without allocating (`std::env::var_os`
    /// returns an owned string).
    fn getenv(name: *const c_char) -> *const c_char;
}

/// Sets the allocator's options before anything is allocated: the Rust runtime allocates
/// before `main`, and mimalloc makes its first arena, committed or not as the option then
/// says, at the first allocation.
#[ctor::ctor(unsafe)]
fn set_allocator_options() {
    for (option, variable, value) in MI_OPTIONS {
        // SAFETY: `variable` is a C string; no other thread runs yet to change the environment.
        if unsafe { getenv(variable.as_ptr()) }.is_null() {
            // SAFETY: sets a number in mimalloc's option table, as its environment variable
            // does.
            unsafe { libmimalloc_sys::mi_option_set(option, value) };
        }
    }
}

fn main() -> ExitCode {
    ropa::cli::run(ropa::cli::Cli::parse())
}

#[cfg(test)]
mod tests {
    use super::MI_OPTIONS;

    /// The option numbers are mimalloc's, not exported: a child test process started with
    /// each option's environment variable must read that value back under its number. Without
    /// the variable, the process reads ropa's value, set before `main`.
    #[test]
    fn each_allocator_option_is_the_one_its_environment_variable_sets() {
        const CHILD: &str = "ROPA_TEST_MI_OPTIONS_CHILD";
        for (option, variable, value) in MI_OPTIONS {
            if std::env::var_os(variable.to_str().unwrap()).is_none() {
                // SAFETY: reads a number from mimalloc's option table.
                let read = unsafe { libmimalloc_sys::mi_option_get(option) };
                assert_eq!(read, value, "ropa's value for {variable:?} was not set");
            }
        }
        if std::env::var_os(CHILD).is_some() {
            for (option, variable, _) in MI_OPTIONS {
                // SAFETY: reads a number from mimalloc's option table.
                let read = unsafe { libmimalloc_sys::mi_option_get(option) };
                assert_eq!(read, 7, "option {option} is not the one {variable:?} sets");
            }
            return;
        }
        let mut child = std::process::Command::new(std::env::current_exe().unwrap());
        child
            .args([
                "--exact",
                "tests::each_allocator_option_is_the_one_its_environment_variable_sets",
            ])
            .env(CHILD, "1")
            .stdout(std::process::Stdio::null());
        for (_, variable, _) in MI_OPTIONS {
            child.env(variable.to_str().unwrap(), "7");
        }
        assert!(child.status().unwrap().success(), "the child test failed");
    }
}

//! Parsing libraries can panic on malformed input (calamine's compound-file reader indexes
//! past the end of corrupt `.xls` streams). A corrupt file must end in a diagnostic naming it,
//! so each call into such a library runs contained: a panic becomes an error value, and the
//! panic hook stays silent while it is contained, so the user sees the diagnostic, not a
//! backtrace. Panics anywhere else still reach the hook as before.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static CONTAINED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`; a panic inside it becomes `Err` with the panic's message.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CONTAINED.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = CONTAINED.with(|c| c.replace(true));
    // The closure's state is dropped or discarded on a panic; callers keep nothing it touched.
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINED.with(|c| c.set(outer));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_with_its_message() {
        let caught = contain(|| -> u32 { panic!("index out of bounds") });
        assert_eq!(caught, Err("index out of bounds".to_string()));
        assert_eq!(contain(|| 7), Ok(7));
    }
}

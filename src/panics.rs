//! The panic boundary: steps whose panics thresh catches and turns into an error, and the
//! thread-local state a panic hook reads to stay quiet about them. Owns nothing else; every
//! stage may use it.
//!
//! A panic while extracting one page is a bug, but it must cost that page only: the indexer
//! reports the file and goes on, and the user's terminal gets one line instead of a backtrace.
//! A panic inside the index library while reading damaged files is reported as a damaged index.

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    /// How many panic boundaries the current thread is inside.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// Where the last panic caught on this thread happened, as the hook recorded it.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Marks the current thread as inside a boundary until dropped.
struct Inside;

impl Inside {
    fn enter() -> Inside {
        DEPTH.with(|d| d.set(d.get() + 1));
        Inside
    }
}

impl Drop for Inside {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// True while the current thread runs a step whose panics ingest catches and recovers from, so
/// that a panic hook need not print them.
pub fn panics_are_handled() -> bool {
    DEPTH.with(Cell::get) > 0
}

/// Lets a panic hook note where a caught panic happened (`file:line`), so that the error the
/// boundary returns can name it.
pub fn record_location(location: String) {
    LOCATION.with(|l| *l.borrow_mut() = Some(location));
}

/// Runs `f`; a panic inside it comes back as `Err(message)`, with the place it happened when a
/// hook recorded one.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let _inside = Inside::enter();
    LOCATION.with(|l| l.borrow_mut().take());
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        match LOCATION.with(|l| l.borrow_mut().take()) {
            Some(at) => format!("{message} (at {at})"),
            None => message,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_becomes_its_message_and_the_thread_leaves_the_boundary() {
        let before = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let caught = catch(|| -> u32 { panic!("bad page {}", 7) });
        let nested = catch(|| catch(|| panic!("inner")).is_err() && panics_are_handled());
        std::panic::set_hook(before);
        assert_eq!(caught, Err("bad page 7".to_string()));
        assert_eq!(nested, Ok(true));
        assert!(!panics_are_handled());
        assert_eq!(catch(|| 3), Ok(3));
    }
}

//! The native URL parser behind `WebUrl` (the `url` crate) on the table the wasm suites also run
//! against the runtime's `URL`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod helper;

#[test]
fn the_native_url_parser_passes_the_shared_table() {
    helper::url_cases::check_all();
}

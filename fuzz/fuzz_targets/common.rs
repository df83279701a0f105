//! What the extraction targets share.

/// Panics that thresh catches and recovers from (a third-party layout step's, inside the panic
/// boundary) are not crashes; libFuzzer's own hook would abort on them. A panic that escapes the
/// boundary still reaches it, and so does an `Internal` error the target turns into a panic.
pub fn quiet_caught_panics() {
    let fuzzer_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !thresh::panics::panics_are_handled() {
            fuzzer_hook(info);
        }
    }));
}

/// Extracts `data` as the file `name`; a bug caught at the boundary is a crash.
pub fn extract_or_crash(name: &str, data: &[u8]) {
    use thresh::ingest::{IngestConfig, IngestError, extract};
    if let Err(IngestError::Internal { message, .. }) = extract(name, data, &IngestConfig::default())
    {
        panic!("internal error: {message}");
    }
}

//! Reading a saved page: any text, read by the quick reading and by html5ever's tree
//! builder. Wherever the quick reading does not give way, it must give html5ever's
//! document, and neither may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(html) = std::str::from_utf8(bytes) else {
        return;
    };
    let (quick, full) = casebook::import::html::quick::both_readings(html);
    if let Some(quick) = quick {
        assert_eq!(
            Ok(&quick),
            full.as_ref(),
            "the quick reading differs from html5ever's"
        );
    }
});

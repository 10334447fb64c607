//! Reading a saved page: any text, read by the quick reading and by html5ever's tree
//! builder. Wherever the quick reading does not give way, it must give html5ever's
//! document, and neither may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(html) = std::str::from_utf8(bytes) else {
        return;
    };
    use casebook::import::html::stream::Scope;
    for scope in [Scope::Page, Scope::Article] {
        let (quick, full) = casebook::import::html::quick::both_readings(html, scope);
        if let Some(quick) = quick {
            assert_eq!(
                Ok(&quick),
                full.as_ref(),
                "the quick reading of {scope:?} differs from html5ever's"
            );
        }
    }
    // Reading the article first, then the page when there is none, is reading the page.
    assert_eq!(
        casebook::import::html::read_page(html),
        casebook::import::html::depth::parse(html, Scope::Page),
        "reading the article first changed the document"
    );
});

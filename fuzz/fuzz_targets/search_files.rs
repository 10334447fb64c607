//! Reading a search index's block file back (a pair file): any bytes, as a host or a
//! proxy might send them, through the table, the blocks and the pairs in them. None may
//! panic; a table read from bytes must place every block inside them.
#![no_main]

use casebook::search::{blocks, pairs};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Some(table) = blocks::table(bytes) {
        let mut last = 0;
        for block in &table {
            assert!(block.range.start <= block.range.end, "a block ends before it starts");
            assert!(block.first >= last, "blocks out of order");
            last = block.first;
            let _ = blocks::block_for(&table, block.first);
        }
        let _ = blocks::block_for(&table, u32::MAX);
    }
    let _ = blocks::unpack(bytes);
    let _ = pairs::read_pair_file(bytes);
});

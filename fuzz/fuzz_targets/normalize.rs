//! Fuzz the normalizer and the writers behind it on table grids built from fuzz bytes
//! (header words, codes, bullets, spans, control characters), whatever reader would give them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kohyo_fuzz::normalize_grid(data);
});

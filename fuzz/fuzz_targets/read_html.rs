//! Fuzz the html reader: any bytes read as Html must give a grid or a located diagnostic,
//! never a panic, a hang or unbounded memory; what it reads then goes through the normalizer.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kohyo_fuzz::read_and_normalize(kohyo::read::Format::Html, data);
});

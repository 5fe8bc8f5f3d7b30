//! Files in and out: reading input safely, writing outputs atomically, YAML, CSV records and
//! cells, and the limits on input sizes.

pub mod csv_cell;
pub mod csv_records;
pub mod external_sort;
pub mod input;
pub mod limits;
pub mod output;
pub mod yaml;

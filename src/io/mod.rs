//! Files in and out: reading input safely, writing outputs atomically, YAML, CSV records and
//! cells, the limits on input sizes, and input quoted safely in messages.

pub mod csv_cell;
pub mod csv_records;
pub mod external_sort;
pub mod input;
pub mod limits;
pub mod output;
pub mod quote;
pub mod yaml;

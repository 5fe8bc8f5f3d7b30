//! Where text is appended: a `String`, or a block of output bytes (which then stay UTF-8).
//!
//! The batch fast path writes a row's reasons straight into its block of output, and the
//! same code writes them into a `String` when a need's reason is prepared in advance.

pub trait TextOut {
    fn push_str(&mut self, text: &str);

    fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    /// A number as [`crate::profile::write_number`] writes it.
    fn push_number(&mut self, n: f64) {
        let mut text = String::new();
        crate::profile::write_number(&mut text, n);
        self.push_str(&text);
    }
}

impl TextOut for String {
    fn push_str(&mut self, text: &str) {
        String::push_str(self, text);
    }

    fn push(&mut self, c: char) {
        String::push(self, c);
    }

    fn push_number(&mut self, n: f64) {
        crate::profile::write_number(self, n);
    }
}

impl TextOut for Vec<u8> {
    fn push_str(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }
}

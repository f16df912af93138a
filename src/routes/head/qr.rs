//! A QR code for an invite link, drawn as one SVG path (the `qrcode` crate
//! without its renderers: only the module matrix is used).

use std::fmt::Write;

/// A QR code for `text` as an SVG path and the side of its square (quiet zone included),
/// or `None` if it does not fit; drawn by a view, so no markup is built as text.
pub fn path(text: &str) -> Option<(usize, String)> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let mut path = String::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == qrcode::Color::Dark {
            // A 4-module quiet zone around the code.
            let _ = write!(path, "M{} {}h1v1h-1z", i % width + 4, i / width + 4);
        }
    }
    Some((width + 8, path))
}

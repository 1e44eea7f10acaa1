//! SVG → PNG with resvg, using only the font bundled in the binary.
//!
//! Fonts: the binary carries Noto Sans Regular and Bold (crate `notosans`;
//! the font files are © Google, under the Apache License 2.0 per their name
//! table, and the crate ships the SIL OFL 1.1 text Noto is now released
//! under). They are the *only* fonts resvg sees: every family in an SVG's
//! font stack (named ones like `Helvetica`, and the generic `sans-serif`,
//! `serif`, `monospace`, …) falls back to Noto Sans. System fonts are
//! deliberately not loaded: a fresh machine or CI may have none, and the
//! same SVG must give the same PNG bytes on every machine (the crate also
//! builds resvg without its `system-fonts` feature). The cost is that
//! characters outside Noto Sans (Latin, Greek, Cyrillic and common symbols;
//! no CJK or emoji) are left out of the drawing.
//!
//! Size: a PNG larger than [`MAX_SIDE`] px on a side or [`MAX_PIXELS`] in
//! all is refused before any pixel buffer is allocated, with the largest
//! scale that would fit in the error, so a caller can retry smaller.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

/// Largest width or height of a PNG, px.
pub const MAX_SIDE: u32 = 16_384;

/// Largest number of pixels of a PNG (100 megapixels, 400 MB of RGBA).
pub const MAX_PIXELS: u64 = 100_000_000;

/// The family name of the bundled font.
pub const FONT_FAMILY: &str = "Noto Sans";

/// Why an SVG could not become a PNG.
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    /// The SVG could not be parsed (bad XML, no size, …).
    #[error("invalid SVG: {0}")]
    InvalidSvg(#[source] usvg::Error),
    /// The scale factor is not a positive finite number.
    #[error("invalid PNG scale {0}: it must be a positive number")]
    InvalidScale(f32),
    /// The PNG would be larger than [`MAX_SIDE`] or [`MAX_PIXELS`].
    #[error(
        "PNG would be {width}×{height} px, over the limit of {MAX_SIDE} px a side and \
         {MAX_PIXELS} pixels; use a scale of at most {max_scale:.3}"
    )]
    TooLarge {
        /// Width the PNG would have, px.
        width: u64,
        /// Height the PNG would have, px.
        height: u64,
        /// The largest scale that fits the limits (0 if even a 1 px
        /// side would not).
        max_scale: f32,
    },
    /// The pixel buffer could not be made.
    #[error("cannot allocate a {width}×{height} px image")]
    Alloc {
        /// Width, px.
        width: u32,
        /// Height, px.
        height: u32,
    },
    /// PNG encoding failed.
    #[error("cannot encode PNG: {0}")]
    Encode(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The font database: the bundled faces only, every generic family mapped
/// to them. Built once per process.
fn fonts() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(notosans::REGULAR_TTF.to_vec());
        db.load_font_data(notosans::BOLD_TTF.to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        db.set_serif_family(FONT_FAMILY);
        db.set_monospace_family(FONT_FAMILY);
        db.set_cursive_family(FONT_FAMILY);
        db.set_fantasy_family(FONT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Output size for `w × h` at `scale`, or why it is refused.
fn output_size(w: f32, h: f32, scale: f32) -> Result<(u32, u32), PngError> {
    let width = (f64::from(w) * f64::from(scale)).ceil().max(1.0);
    let height = (f64::from(h) * f64::from(scale)).ceil().max(1.0);
    if width > f64::from(MAX_SIDE)
        || height > f64::from(MAX_SIDE)
        || width * height > MAX_PIXELS as f64
    {
        let by_side = f64::from(MAX_SIDE) / f64::from(w.max(h));
        let by_area = (MAX_PIXELS as f64 / (f64::from(w) * f64::from(h))).sqrt();
        // Round down to 3 decimals so the suggested scale really fits.
        let max_scale = (by_side.min(by_area) * 1000.0).floor() / 1000.0;
        return Err(PngError::TooLarge {
            width: width.min(u64::MAX as f64) as u64,
            height: height.min(u64::MAX as f64) as u64,
            max_scale: max_scale as f32,
        });
    }
    Ok((width as u32, height as u32))
}

/// Renders `svg` to PNG bytes at `scale` × its size (`2.0` for a crisp
/// slide image).
///
/// The SVG's `width`/`height` (or `viewBox`) give its size in px; the PNG is
/// that size times `scale`, rounded up, with a transparent background where
/// the SVG draws nothing. Text is drawn with the bundled font only (see the
/// module docs), so the output is the same on every machine. External
/// images and fonts referenced by the SVG are not loaded.
///
/// # Errors
/// [`PngError::InvalidSvg`] when the SVG does not parse,
/// [`PngError::InvalidScale`] for a scale that is not a positive finite
/// number, [`PngError::TooLarge`] when the PNG would exceed [`MAX_SIDE`] or
/// [`MAX_PIXELS`] (checked before allocating), [`PngError::Encode`] when PNG
/// encoding fails.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, PngError> {
    if !scale.is_finite() || scale <= 0.0 {
        return Err(PngError::InvalidScale(scale));
    }
    let mut opt = usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    // Nothing outside the SVG text is read: `<image href="path">` would
    // otherwise load files from disk (data: URLs still work).
    opt.image_href_resolver.resolve_string = Box::new(|_, _| None);
    let tree = usvg::Tree::from_str(svg, &opt).map_err(PngError::InvalidSvg)?;
    let size = tree.size();
    let (width, height) = output_size(size.width(), size.height(), scale)?;
    let mut pixmap = Pixmap::new(width, height).ok_or(PngError::Alloc { width, height })?;
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PngError::Encode(Box::new(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60">
  <rect width="200" height="60" fill="#ffffff"/>
  <text x="10" y="40" font-family="Helvetica, Arial, sans-serif" font-size="28" fill="#000000">Revenue</text>
</svg>"##;

    /// Decodes the PNG header: (width, height).
    fn png_size(png: &[u8]) -> (u32, u32) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
        assert_eq!(&png[12..16], b"IHDR");
        let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
        (w, h)
    }

    /// Dark pixels in a rectangle of the decoded image, via tiny-skia.
    fn dark_pixels(png: &[u8], x0: u32, y0: u32, x1: u32, y1: u32) -> usize {
        let pix = Pixmap::decode_png(png).expect("decodes");
        let mut n = 0;
        for y in y0..y1 {
            for x in x0..x1 {
                let p = pix.pixel(x, y).unwrap().demultiply();
                if p.alpha() > 200 && p.red() < 100 && p.green() < 100 && p.blue() < 100 {
                    n += 1;
                }
            }
        }
        n
    }

    #[test]
    fn text_renders_with_the_bundled_font() {
        let png = svg_to_png(TEXT_SVG, 2.0).unwrap();
        assert_eq!(png_size(&png), (400, 120));
        // Text sits in x 20..~260, y ~30..80 at 2×: plenty of dark pixels
        // there, none to the far right.
        let text = dark_pixels(&png, 0, 0, 400, 120);
        assert!(text > 1000, "only {text} dark pixels: text not drawn");
        assert_eq!(dark_pixels(&png, 330, 0, 400, 120), 0);
        // Deterministic.
        assert_eq!(png, svg_to_png(TEXT_SVG, 2.0).unwrap());
    }

    #[test]
    fn any_family_falls_back_to_the_bundled_font() {
        for family in ["serif", "monospace", "NoSuchFont", "cursive"] {
            let svg = TEXT_SVG.replace("Helvetica, Arial, sans-serif", family);
            let png = svg_to_png(&svg, 1.0).unwrap();
            assert!(dark_pixels(&png, 0, 0, 200, 60) > 200, "{family}");
        }
        // No font-family at all, bold weight.
        let svg = TEXT_SVG.replace(
            "font-family=\"Helvetica, Arial, sans-serif\"",
            "font-weight=\"bold\"",
        );
        let png = svg_to_png(&svg, 1.0).unwrap();
        assert!(dark_pixels(&png, 0, 0, 200, 60) > 200);
    }

    #[test]
    fn invalid_svg_is_an_error() {
        for bad in [
            "",
            "not svg",
            "<svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"10\"/>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect></svg>",
        ] {
            let err = svg_to_png(bad, 1.0).unwrap_err();
            assert!(matches!(err, PngError::InvalidSvg(_)), "{bad:?}: {err:?}");
            assert!(err.to_string().starts_with("invalid SVG: "), "{err}");
        }
    }

    #[test]
    fn bad_scale_is_an_error() {
        for s in [0.0, -1.0, f32::NAN, f32::INFINITY] {
            assert!(matches!(
                svg_to_png(TEXT_SVG, s),
                Err(PngError::InvalidScale(_))
            ));
        }
    }

    #[test]
    fn huge_svg_is_refused_before_allocating() {
        // 1,000,000 px wide: would be 4 GB+ of pixels.
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1000000" height="50000"><rect width="10" height="10"/></svg>"#;
        let err = svg_to_png(svg, 2.0).unwrap_err();
        let PngError::TooLarge {
            width,
            height,
            max_scale,
        } = err
        else {
            panic!("{err:?}");
        };
        assert_eq!((width, height), (2_000_000, 100_000));
        assert!(max_scale > 0.0 && max_scale <= 0.016_384, "{max_scale}");
        assert!(err.to_string().contains("2000000×100000"), "{err}");
        // The suggested scale fits (checked without drawing 16k px).
        assert!(output_size(1_000_000.0, 50_000.0, max_scale).is_ok());

        // Within the side limit but over the pixel budget.
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="12000" height="12000"/>"#;
        let err = svg_to_png(svg, 1.0).unwrap_err();
        assert!(matches!(err, PngError::TooLarge { .. }), "{err:?}");
        let PngError::TooLarge { max_scale, .. } = err else {
            unreachable!()
        };
        let (w, h) = output_size(12000.0, 12000.0, max_scale).unwrap();
        assert!(u64::from(w) * u64::from(h) <= MAX_PIXELS);
    }

    #[test]
    fn files_referenced_by_the_svg_are_not_read() {
        let path = std::env::temp_dir().join(format!("revarch-png-{}.svg", std::process::id()));
        std::fs::write(
            &path,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50"><rect width="50" height="50"/></svg>"#,
        )
        .unwrap();
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="50" height="50"><image width="50" height="50" xlink:href="{}"/></svg>"#,
            path.display()
        );
        let png = svg_to_png(&svg, 1.0);
        let _ = std::fs::remove_file(&path);
        assert_eq!(dark_pixels(&png.unwrap(), 0, 0, 50, 50), 0);
    }

    #[test]
    fn tiny_scale_gives_at_least_one_pixel() {
        let png = svg_to_png(TEXT_SVG, 0.001).unwrap();
        assert_eq!(png_size(&png), (1, 1));
    }
}

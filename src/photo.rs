//! Making a picked file ready to keep: a photo is made small on the phone (its longest side at
//! most 1,600 px, re-encoded as JPEG until it is about 250 KB), a PDF is kept as it is up to
//! 10 MB; either way its type is read from its bytes (a program renamed `.jpg` is refused) and
//! it is named by the SHA-256 of its bytes, which the server checks again.

use sha2::{Digest, Sha256};
use thidua_core::files::{photo_size, FileRef, FileType, DEFAULT_MAX_FILE_BYTES, MAX_FILE_NAME};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A photo kept larger than this is encoded again at a lower quality.
const PHOTO_TARGET_BYTES: f64 = 250.0 * 1024.0;
const QUALITIES: [f64; 4] = [0.82, 0.72, 0.62, 0.5];

/// Why a picked file was not kept.
#[derive(Clone, Debug, PartialEq)]
pub enum PrepareError {
    /// Not a photo (JPEG, PNG, WebP) or a PDF, by its bytes.
    NotAllowed,
    /// A PDF over the limit.
    TooBig { max: u64 },
    /// The browser could not read or encode it.
    Unreadable,
}

fn js<T>(result: Result<T, JsValue>) -> Result<T, PrepareError> {
    result.map_err(|_| PrepareError::Unreadable)
}

/// The bytes of a blob.
pub async fn read(blob: &web_sys::Blob) -> Result<Vec<u8>, PrepareError> {
    let buffer = js(JsFuture::from(blob.array_buffer()).await)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Lowercase hex SHA-256.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// The canvas's picture as a JPEG blob at `quality`.
async fn jpeg(
    canvas: &web_sys::HtmlCanvasElement,
    quality: f64,
) -> Result<web_sys::Blob, PrepareError> {
    let (tx, rx) = futures_channel();
    let callback = Closure::once_into_js(move |blob: JsValue| tx(blob));
    js(canvas.to_blob_with_type_and_encoder_options(
        callback.unchecked_ref(),
        "image/jpeg",
        &JsValue::from_f64(quality),
    ))?;
    rx.await
        .dyn_into::<web_sys::Blob>()
        .map_err(|_| PrepareError::Unreadable)
}

/// A one-shot value passed from a browser callback to an async wait.
fn futures_channel() -> (
    impl FnOnce(JsValue),
    impl std::future::Future<Output = JsValue>,
) {
    let mut resolve_fn = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| resolve_fn = Some(resolve));
    let send = move |value: JsValue| {
        if let Some(resolve) = resolve_fn {
            let _ = resolve.call1(&JsValue::NULL, &value);
        }
    };
    let wait = async move { JsFuture::from(promise).await.unwrap_or(JsValue::NULL) };
    (send, wait)
}

/// A photo made small: drawn at most 1,600 px on its longest side on a white ground (a PNG's
/// transparency), and encoded as JPEG until it is about 250 KB.
async fn shrink(file: &web_sys::File) -> Result<web_sys::Blob, PrepareError> {
    let window = web_sys::window().ok_or(PrepareError::Unreadable)?;
    let bitmap: web_sys::ImageBitmap =
        js(JsFuture::from(js(window.create_image_bitmap_with_blob(file))?).await)?
            .dyn_into()
            .map_err(|_| PrepareError::Unreadable)?;
    let (width, height) = photo_size(bitmap.width(), bitmap.height());
    let document = window.document().ok_or(PrepareError::Unreadable)?;
    let canvas: web_sys::HtmlCanvasElement = js(document.create_element("canvas"))?
        .dyn_into()
        .map_err(|_| PrepareError::Unreadable)?;
    canvas.set_width(width);
    canvas.set_height(height);
    let context: web_sys::CanvasRenderingContext2d = js(canvas.get_context("2d"))?
        .ok_or(PrepareError::Unreadable)?
        .dyn_into()
        .map_err(|_| PrepareError::Unreadable)?;
    context.set_fill_style_str("#fff");
    context.fill_rect(0.0, 0.0, f64::from(width), f64::from(height));
    js(context.draw_image_with_image_bitmap_and_dw_and_dh(
        &bitmap,
        0.0,
        0.0,
        f64::from(width),
        f64::from(height),
    ))?;
    bitmap.close();
    let mut blob = jpeg(&canvas, QUALITIES[0]).await?;
    for quality in &QUALITIES[1..] {
        if blob.size() <= PHOTO_TARGET_BYTES {
            break;
        }
        blob = jpeg(&canvas, *quality).await?;
    }
    Ok(blob)
}

/// `name` shortened to what is kept, with `.jpg` for a photo that became a JPEG.
fn kept_name(name: &str, photo: bool) -> String {
    let base = if photo {
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        format!("{stem}.jpg")
    } else {
        name.to_owned()
    };
    base.chars()
        .rev()
        .take(MAX_FILE_NAME)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

/// A picked file ready to keep: its reference and its bytes.
pub async fn prepare(file: &web_sys::File) -> Result<(FileRef, web_sys::Blob), PrepareError> {
    let original = read(file).await?;
    let Some(found) = FileType::sniff(&original) else {
        return Err(PrepareError::NotAllowed);
    };
    let blob: web_sys::Blob = if found.is_image() {
        shrink(file).await?
    } else {
        if file.size() > DEFAULT_MAX_FILE_BYTES as f64 {
            return Err(PrepareError::TooBig {
                max: DEFAULT_MAX_FILE_BYTES,
            });
        }
        file.clone().into()
    };
    let bytes = if found.is_image() {
        read(&blob).await?
    } else {
        original
    };
    let file_type = FileType::sniff(&bytes).ok_or(PrepareError::NotAllowed)?;
    let reference = FileRef {
        hash: sha256(&bytes),
        size: bytes.len() as u64,
        file_type,
        name: kept_name(&file.name(), found.is_image()),
    };
    Ok((reference, blob))
}

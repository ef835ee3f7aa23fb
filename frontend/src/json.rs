//! JSON in and out of the SPA. In the browser the engine's own `JSON.parse`/`JSON.stringify` do
//! the text work and `serde-wasm-bindgen` maps the values, which keeps serde_json's parser and its
//! per-type copies out of the wasm (the SPA has a size budget). Native unit tests have no
//! JavaScript engine and use serde_json; the browser tests exercise the wasm path.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The value in `text`, or `None` when it is not JSON of that shape.
#[cfg(target_arch = "wasm32")]
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let value = js_sys::JSON::parse(text).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// `value` as JSON text (maps as objects, `None` as `null`, like serde_json).
#[cfg(target_arch = "wasm32")]
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    js_sys::JSON::stringify(&value).ok()?.as_string()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

#[cfg(not(target_arch = "wasm32"))]
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    serde_json::to_string(value).ok()
}

//! Writes the Swedish catalogue each app embeds (`OUT_DIR/sv.json`): the shipped catalogue
//! without the texts the app never shows (`catalogue_filter.rs`). The talks' app, the account
//! app, the officers' app, the administrator's app and the kiosk are built with features of their
//! own (`talks`, `account`, `officers`, `administration`, `kiosk`) and keep their own texts.

include!("catalogue_filter.rs");

fn main() {
    println!("cargo:rerun-if-changed=i18n/sv.json");
    println!("cargo:rerun-if-changed=catalogue_filter.rs");
    let features: Vec<&str> = [
        ("talks", "CARGO_FEATURE_TALKS"),
        ("account", "CARGO_FEATURE_ACCOUNT"),
        ("officers", "CARGO_FEATURE_OFFICERS"),
        ("administration", "CARGO_FEATURE_ADMINISTRATION"),
        ("kiosk", "CARGO_FEATURE_KIOSK"),
    ]
    .into_iter()
    .filter(|(_, var)| std::env::var_os(var).is_some())
    .map(|(feature, _)| feature)
    .collect();
    let source = std::fs::read_to_string("i18n/sv.json").expect("i18n/sv.json is readable");
    let full: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&source).expect("i18n/sv.json is a flat string map");
    let lean: std::collections::BTreeMap<&String, &String> = full
        .iter()
        .filter(|(key, _)| keep(key, &features))
        .collect();
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("sv.json");
    std::fs::write(
        out,
        serde_json::to_string(&lean).expect("a map of strings is written"),
    )
    .expect("OUT_DIR is writable");
}

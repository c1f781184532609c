//! The one generation code path: reads `openapi/intercom.yaml`, checks it, and runs progenitor.
//!
//! `build.rs` and `xtask` both include this module with `#[path]`, so the generator settings
//! exist exactly once. It depends only on what both of them depend on: `progenitor`,
//! `openapiv3`, `serde_json`, `serde_yaml_ng`, `syn`, `prettyplease` and `heck`.

#![allow(dead_code)] // each includer uses a different subset

pub mod extra;
pub mod lint;
pub mod operations;
pub mod settings;
pub mod spec;

use std::path::Path;

/// The description's path, relative to the crate root.
pub const SPEC_PATH: &str = "openapi/intercom.yaml";

/// Reads the description (YAML) into a JSON value.
pub fn load_spec(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse_spec(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses description text (YAML or JSON) into a JSON value.
pub fn parse_spec(text: &str) -> Result<serde_json::Value, String> {
    serde_yaml_ng::from_str(text).map_err(|e| format!("not valid YAML: {e}"))
}

/// Lints the description and generates the Rust code for it, pretty-printed.
///
/// Every error names the operation or schema at fault and the rule it breaks.
pub fn generate(spec: &serde_json::Value) -> Result<String, String> {
    let problems = lint::lint(spec);
    if !problems.is_empty() {
        return Err(format!(
            "openapi/intercom.yaml breaks {} rule(s) the generator depends on:\n  - {}",
            problems.len(),
            problems.join("\n  - ")
        ));
    }
    let for_generator = settings::strip_validation_only(spec);
    let openapi: openapiv3::OpenAPI = serde_json::from_value(for_generator)
        .map_err(|e| format!("not an OpenAPI 3.0 document: {e}"))?;

    // progenitor panics on some layouts the lint does not know yet; turn that into an error
    // instead of an unexplained build-script crash.
    let result = quietly(|| {
        let mut generator = progenitor::Generator::new(&settings::generation_settings());
        generator.generate_tokens(&openapi)
    });
    let tokens = match result {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(e)) => return Err(format!("progenitor rejected the description: {e}")),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            return Err(format!(
                "progenitor panicked on the description: {message}\n\
                 (the lint in codegen/lint.rs did not catch this layout; teach it to)"
            ));
        }
    };
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("progenitor produced code that does not parse: {e}"))?;
    extra::default_extra_maps(&mut file);
    // The lint above already read the table without a problem.
    let table = operations::table(spec).map_err(|problems| problems.join("\n"))?;
    operations::check_names(&table, &prettyplease::unparse(&file))?;
    let table_code: syn::File = syn::parse_str(&operations::render(&table))
        .map_err(|e| format!("the operation table does not parse: {e}"))?;
    file.items.extend(table_code.items);
    Ok(prettyplease::unparse(&file))
}

/// Runs `f`, catching a panic without printing it (it is reported as an error instead).
///
/// The panic hook is process-wide: only panics of this thread are silenced, other threads'
/// still reach the previous hook, and calls are serialized so the hook is restored in order.
fn quietly<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    use std::sync::{Arc, Mutex};

    static SERIAL: Mutex<()> = Mutex::new(());
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let this_thread = std::thread::current().id();
    let previous = Arc::new(std::panic::take_hook());
    let forward = previous.clone();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() != this_thread {
            forward(info);
        }
    }));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    drop(std::panic::take_hook()); // drops `forward`, the other owner of `previous`
    match Arc::try_unwrap(previous) {
        Ok(previous) => std::panic::set_hook(previous),
        Err(shared) => std::panic::set_hook(Box::new(move |info| shared(info))),
    }
    result
}

//! The one edit made to typify's output: an `extra` map is optional like any other field.
//!
//! `additionalProperties: {}` next to `properties` makes typify add
//! `#[serde(flatten)] pub extra: serde_json::Map<String, Value>` to the struct, which keeps the
//! properties the description does not name. typify 0.8 treats that field as required, though:
//! the type loses its `Default` derive (all its other fields being optional) and its builder
//! starts `extra` as `Err("no value supplied for extra")`, so `Type::builder()...try_into()`
//! fails unless `.extra(..)` is set. An empty map is the natural default (an answer without
//! unknown keys), so this step gives the builder `Ok(Default::default())` for `extra` and
//! derives `Default` again where every other field has a default of its own.

use syn::{Expr, Fields, ImplItem, Item, ItemStruct, Member, punctuated::Punctuated};

/// The name typify gives the flattened map of a struct's other properties.
const EXTRA: &str = "extra";

/// Applies the edit to the generated file (its `types` and `types::builder` modules).
pub fn default_extra_maps(file: &mut syn::File) {
    let Some(types) = module_items(&mut file.items, "types") else {
        return;
    };
    for item in types.iter_mut() {
        if let Item::Struct(item) = item
            && has_extra(item)
            && other_fields_default(item)
        {
            derive_default(item);
        }
    }
    let Some(builders) = module_items(types, "builder") else {
        return;
    };
    for item in builders.iter_mut() {
        let Item::Impl(item) = item else { continue };
        let is_default = item
            .trait_
            .as_ref()
            .and_then(|(path, _)| path.segments.last())
            .is_some_and(|segment| segment.ident == "Default");
        if !is_default {
            continue;
        }
        for impl_item in &mut item.items {
            let ImplItem::Fn(function) = impl_item else {
                continue;
            };
            for statement in &mut function.block.stmts {
                if let syn::Stmt::Expr(Expr::Struct(body), _) = statement {
                    for field in &mut body.fields {
                        if matches!(&field.member, Member::Named(name) if name == EXTRA) {
                            field.expr = syn::parse_quote!(Ok(Default::default()));
                        }
                    }
                }
            }
        }
    }
}

/// The items of the inline module `name` among `items`.
fn module_items<'a>(items: &'a mut [Item], name: &str) -> Option<&'a mut Vec<Item>> {
    items.iter_mut().find_map(|item| match item {
        Item::Mod(module) if module.ident == name => module.content.as_mut().map(|(_, i)| i),
        _ => None,
    })
}

/// True for a struct with a flattened `extra` field.
fn has_extra(item: &ItemStruct) -> bool {
    item.fields.iter().any(|field| {
        field.ident.as_ref().is_some_and(|name| name == EXTRA)
            && field
                .attrs
                .iter()
                .any(|attr| attr_mentions(attr, "flatten"))
    })
}

/// True when every field but `extra` is an `Option` or has `#[serde(default ..)]`: the rule by
/// which typify derives `Default` for a struct without an `extra` map.
fn other_fields_default(item: &ItemStruct) -> bool {
    let Fields::Named(fields) = &item.fields else {
        return false;
    };
    fields.named.iter().all(|field| {
        let is_extra = field.ident.as_ref().is_some_and(|name| name == EXTRA);
        let is_option = matches!(&field.ty, syn::Type::Path(path)
            if path.path.segments.last().is_some_and(|s| s.ident == "Option"));
        is_extra
            || is_option
            || field
                .attrs
                .iter()
                .any(|attr| attr_mentions(attr, "default"))
    })
}

/// True for a `#[serde(..)]` attribute that names `word` among its arguments.
fn attr_mentions(attr: &syn::Attribute, word: &str) -> bool {
    if !attr.path().is_ident("serde") {
        return false;
    }
    let mut found = false;
    let _ = attr.parse_nested_meta(|meta| {
        found |= meta.path.is_ident(word);
        if meta.input.peek(syn::Token![=]) {
            meta.value()?.parse::<Expr>()?;
        }
        Ok(())
    });
    found
}

/// Adds `Default` to the struct's `#[derive(..)]`, after `Debug` (typify's order).
fn derive_default(item: &mut ItemStruct) {
    for attr in &mut item.attrs {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(mut derives) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        if derives.iter().any(|path| path.is_ident("Default")) {
            return;
        }
        let at = derives
            .iter()
            .position(|path| path.is_ident("Debug"))
            .map_or(derives.len(), |i| i + 1);
        let mut list: Vec<syn::Path> = derives.into_iter().collect();
        list.insert(at, syn::parse_quote!(Default));
        derives = list.into_iter().collect();
        *attr = syn::parse_quote!(#[derive(#derives)]);
        return;
    }
}

//! The public API of the generated code, read with `syn`: types, fields, methods and
//! re-exports by path, each with its signature, so two revisions can be compared.
//!
//! The setters of `types::builder::*` are left out: they mirror the fields of the type they
//! build, which are listed.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use syn::{Fields, ImplItem, Type, UseTree, Visibility};

use super::{Change, ChangeKind, Subject, rules};

/// One public item of the generated code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Item {
    /// `struct`, `enum`, `field`, `method`, `function`, `re-export`, ...
    pub kind: &'static str,
    /// Its Rust signature (a field's type, a method's `fn` line), pretty-printed on one line.
    pub signature: String,
}

/// The public items of `code` (as [`crate::codegen::generate`] makes it), by path:
/// `types::Note` (a type), `types::Note.html` (a field), `Client::create_note` (a method),
/// `builder::CreateNote::body` (a builder setter).
pub fn public_items(code: &str) -> Result<BTreeMap<String, Item>, String> {
    let file =
        syn::parse_file(code).map_err(|e| format!("the generated code does not parse: {e}"))?;
    let mut items = BTreeMap::new();
    collect(&file.items, "", &mut items);
    Ok(items)
}

/// Items added, removed and changed between two sets of public items.
pub(super) fn compare(
    before: &BTreeMap<String, Item>,
    after: &BTreeMap<String, Item>,
) -> Vec<Change> {
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut changes = Vec::new();
    for path in paths {
        let (kind, detail, (verdict, reason)) = match (before.get(path), after.get(path)) {
            (Some(b), None) => (
                ChangeKind::ItemRemoved,
                format!("{} removed: `{}`", b.kind, b.signature),
                rules::item_removed(),
            ),
            (None, Some(a)) => (
                ChangeKind::ItemAdded,
                format!("{} added: `{}`", a.kind, a.signature),
                rules::item_added(),
            ),
            (Some(b), Some(a)) if b != a => (
                ChangeKind::ItemChanged,
                format!(
                    "{} changed from `{}` to `{}`",
                    a.kind, b.signature, a.signature
                ),
                rules::item_changed(),
            ),
            _ => continue,
        };
        changes.push(Change {
            subject: Subject::GeneratedApi,
            at: path.clone(),
            kind,
            verdict,
            detail,
            reason,
        });
    }
    changes
}

fn collect(items: &[syn::Item], prefix: &str, out: &mut BTreeMap<String, Item>) {
    for item in items {
        match item {
            syn::Item::Mod(m) if is_pub(&m.vis) => {
                if let Some((_, inner)) = &m.content {
                    collect(inner, &format!("{prefix}{}::", m.ident), out);
                }
            }
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                let path = format!("{prefix}{}", s.ident);
                let fields: Vec<&syn::Field> = match &s.fields {
                    Fields::Named(named) => named.named.iter().collect(),
                    Fields::Unnamed(unnamed) => unnamed.unnamed.iter().collect(),
                    Fields::Unit => Vec::new(),
                };
                for (index, field) in fields.into_iter().enumerate() {
                    if is_pub(&field.vis) {
                        let name = field
                            .ident
                            .as_ref()
                            .map_or_else(|| index.to_string(), ToString::to_string);
                        insert(
                            out,
                            format!("{path}.{name}"),
                            "field",
                            render_type(&field.ty),
                        );
                    }
                }
                let signature = format!("pub struct {}{}", s.ident, render_generics(&s.generics));
                insert(out, path, "struct", signature);
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let signature = format!("pub enum {}{}", e.ident, render_generics(&e.generics));
                insert(out, format!("{prefix}{}", e.ident), "enum", signature);
            }
            syn::Item::Type(t) if is_pub(&t.vis) => {
                let signature = format!("pub type {} = {}", t.ident, render_type(&t.ty));
                insert(out, format!("{prefix}{}", t.ident), "type alias", signature);
            }
            syn::Item::Trait(t) if is_pub(&t.vis) => {
                insert(
                    out,
                    format!("{prefix}{}", t.ident),
                    "trait",
                    format!("pub trait {}", t.ident),
                );
            }
            syn::Item::Fn(f) if is_pub(&f.vis) => {
                insert(
                    out,
                    format!("{prefix}{}", f.sig.ident),
                    "function",
                    render_fn(&f.vis, &f.sig),
                );
            }
            syn::Item::Const(c) if is_pub(&c.vis) => {
                insert(
                    out,
                    format!("{prefix}{}", c.ident),
                    "const",
                    render_type(&c.ty),
                );
            }
            syn::Item::Static(s) if is_pub(&s.vis) => {
                insert(
                    out,
                    format!("{prefix}{}", s.ident),
                    "static",
                    render_type(&s.ty),
                );
            }
            syn::Item::Use(u) if is_pub(&u.vis) => use_leaves(&u.tree, prefix, "", out),
            syn::Item::Impl(i) if i.trait_.is_none() && prefix != "types::builder::" => {
                let Some(owner) = type_name(&i.self_ty) else {
                    continue;
                };
                for member in &i.items {
                    if let ImplItem::Fn(f) = member
                        && is_pub(&f.vis)
                    {
                        let path = format!("{prefix}{owner}::{}", f.sig.ident);
                        insert(out, path, "method", render_fn(&f.vis, &f.sig));
                    }
                }
            }
            _ => {}
        }
    }
}

fn insert(out: &mut BTreeMap<String, Item>, path: String, kind: &'static str, signature: String) {
    out.insert(path, Item { kind, signature });
}

/// `pub use a::{B, c::D as E}`: `B` and `E`, each with the path it re-exports.
fn use_leaves(tree: &UseTree, prefix: &str, used: &str, out: &mut BTreeMap<String, Item>) {
    match tree {
        UseTree::Path(p) => use_leaves(&p.tree, prefix, &format!("{used}{}::", p.ident), out),
        UseTree::Name(n) => insert(
            out,
            format!("{prefix}{}", n.ident),
            "re-export",
            format!("pub use {used}{}", n.ident),
        ),
        UseTree::Rename(r) => insert(
            out,
            format!("{prefix}{}", r.rename),
            "re-export",
            format!("pub use {used}{} as {}", r.ident, r.rename),
        ),
        UseTree::Glob(_) => insert(
            out,
            format!("{prefix}{used}*"),
            "re-export",
            format!("pub use {used}*"),
        ),
        UseTree::Group(g) => {
            for tree in &g.items {
                use_leaves(tree, prefix, used, out);
            }
        }
    }
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// `Client` for `Client`, `ListEvents` for `ListEvents<'a>`.
fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// A method's or function's `fn` line (with its `where` clause), on one line.
fn render_fn(vis: &Visibility, sig: &syn::Signature) -> String {
    let function = syn::ItemFn {
        attrs: Vec::new(),
        vis: vis.clone(),
        modifiers: Default::default(),
        sig: sig.clone(),
        block: Box::new(syn::Block {
            brace_token: Default::default(),
            stmts: Vec::new(),
        }),
    };
    let text = one_line(&unparse(syn::Item::Fn(function)));
    text.trim_end_matches("{}")
        .trim_end()
        .trim_end_matches(',')
        .to_string()
}

/// A type, pretty-printed (`::std::option::Option<::std::string::String>`).
fn render_type(ty: &Type) -> String {
    let alias = syn::ItemType {
        attrs: Vec::new(),
        vis: Visibility::Inherited,
        modifiers: Default::default(),
        type_token: Default::default(),
        ident: syn::Ident::new("T", proc_macro2::Span::call_site()),
        generics: Default::default(),
        eq_token: Default::default(),
        ty: Box::new(ty.clone()),
        semi_token: Default::default(),
        where_clause_placement: syn::WhereClausePlacement::Early,
    };
    let text = one_line(&unparse(syn::Item::Type(alias)));
    text.trim_start_matches("type T = ")
        .trim_end_matches(';')
        .to_string()
}

/// `<'a>` and the like, or nothing.
fn render_generics(generics: &syn::Generics) -> String {
    if generics.params.is_empty() {
        return String::new();
    }
    let probe = syn::ItemStruct {
        attrs: Vec::new(),
        vis: Visibility::Inherited,
        struct_token: Default::default(),
        ident: syn::Ident::new("S", proc_macro2::Span::call_site()),
        generics: generics.clone(),
        fields: Fields::Unit,
        semi_token: Some(Default::default()),
    };
    let text = one_line(&unparse(syn::Item::Struct(probe)));
    text.trim_start_matches("struct S")
        .trim_end_matches(';')
        .to_string()
}

fn unparse(item: syn::Item) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items: vec![item],
    })
}

/// Joins pretty-printed lines with single spaces, without the spaces a line break left inside
/// brackets (`send( self, )` becomes `send(self)`).
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(", )", ")")
        .replace(" )", ")")
        .replace("< ", "<")
        .replace(", >", ">")
}

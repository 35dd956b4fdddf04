; Rust imports, supertraits and calls for codekg (capture names: ingest/languages/CAPTURES.md).

; ---- use declarations: one imported name per match ----
; `use a::b::C;`
(use_declaration
  argument: (scoped_identifier path: (_) @import.from name: (identifier) @import.name))
  @reference.import
; `use a::b::C as D;`
(use_declaration
  argument: (use_as_clause
    path: (scoped_identifier path: (_) @import.from name: (identifier) @import.name)
    alias: (identifier) @import.alias)) @reference.import
; `use a::b::{C, D};`
(use_declaration
  argument: (scoped_use_list
    path: (_) @import.from
    list: (use_list (identifier) @import.name))) @reference.import
; `use a::b::{C as D};`
(use_declaration
  argument: (scoped_use_list
    path: (_) @import.from
    list: (use_list
      (use_as_clause path: (identifier) @import.name alias: (identifier) @import.alias))))
  @reference.import
; `use a::b::*;` (modules often glob-import each other: `use super::*` in a child and
; `pub use self::child::*` in the parent; the resolver follows each name once per lookup)
(use_declaration
  argument: (use_wildcard (_) @import.from) @import.wildcard) @reference.import
; `use serde;`
(use_declaration argument: (identifier) @import.module) @reference.import

; ---- Supertraits: `trait A: B + C` inherits B and C ----
(trait_item
  bounds: (trait_bounds
    [(type_identifier) (scoped_type_identifier) (generic_type)] @reference.base))
  @definition.trait

; ---- `impl Trait for Type`: Type's struct/enum implements Trait (attached through the receiver,
; like the impl's methods) ----
(impl_item
  trait: [(type_identifier) (scoped_type_identifier) (generic_type)] @reference.implements
  type: (_) @method.receiver)

; ---- Calls: a function path, a method through `.`, a generic call `parse::<T>()` ----
(call_expression
  function: [(identifier) (scoped_identifier) (field_expression) (generic_function)]
    @reference.call)

; Rust definitions for codekg (capture names: ingest/languages/CAPTURES.md).
; Structs and unions (kind struct), enums and traits are Classes; functions; methods of `impl`
; blocks attach to the implementing type (@method.receiver), trait methods (with or without a
; default body) are Methods of the trait; named struct fields are Fields; `const`/`static` items of
; a module are Variables. Inline `mod m { ... }` blocks are scopes (`m.helper`). rustdoc (`///`,
; `/** */`) directly above an item, through its attributes, is its docstring.

; ---- Modules: name prefixes only ----
(mod_item name: (identifier) @name body: (declaration_list)) @scope

; ---- Types ----
(struct_item
  name: (type_identifier) @name) @definition.struct
(struct_item body: (_) @signature.end) @definition.struct

(union_item
  name: (type_identifier) @name
  body: (_) @signature.end) @definition.struct

(enum_item
  name: (type_identifier) @name
  body: (_) @signature.end) @definition.enum

(trait_item
  name: (type_identifier) @name
  body: (_) @signature.end) @definition.trait

; ---- Functions; methods in impl blocks (receiver: the implementing type) and traits ----
(function_item
  name: (identifier) @name
  body: (_) @signature.end) @definition.function

(impl_item
  type: (_) @method.receiver
  body: (declaration_list
    (function_item name: (identifier) @name) @definition.method))

(trait_item
  body: (declaration_list
    (function_signature_item name: (identifier) @name) @definition.method))

; ---- Parameters (name with its type), self, return type ----
(function_item
  parameters: (parameters
    (parameter pattern: (identifier) @param type: (_) @param.type)))
  @definition.function
(function_item
  parameters: (parameters (self_parameter) @param)) @definition.function
(function_item return_type: (_) @return_type) @definition.function

(function_item
  parameters: (parameters
    (parameter pattern: (identifier) @param type: (_) @param.type)))
  @definition.method
(function_item
  parameters: (parameters (self_parameter) @param)) @definition.method
(function_item return_type: (_) @return_type) @definition.method

(function_signature_item
  parameters: (parameters
    (parameter pattern: (identifier) @param type: (_) @param.type)))
  @definition.method
(function_signature_item
  parameters: (parameters (self_parameter) @param)) @definition.method
(function_signature_item return_type: (_) @return_type) @definition.method

; ---- Modifiers ----
(function_item (function_modifiers "async" @modifier.async)) @definition.function
(function_item (function_modifiers "async" @modifier.async)) @definition.method
(function_item (function_modifiers "unsafe" @modifier.unsafe)) @definition.function
(function_item (function_modifiers "unsafe" @modifier.unsafe)) @definition.method

; ---- rustdoc: outer doc comments directly above the item, attributes in between ----
((line_comment outer: (outer_doc_comment_marker)) @doc.comment
  .
  (attribute_item)*
  .
  (function_item) @definition.function)
((line_comment outer: (outer_doc_comment_marker)) @doc.comment
  .
  (attribute_item)*
  .
  (struct_item) @definition.struct)
((line_comment outer: (outer_doc_comment_marker)) @doc.comment
  .
  (attribute_item)*
  .
  (enum_item) @definition.enum)
((line_comment outer: (outer_doc_comment_marker)) @doc.comment
  .
  (attribute_item)*
  .
  (union_item) @definition.struct)
((line_comment outer: (outer_doc_comment_marker)) @doc.comment
  .
  (attribute_item)*
  .
  (trait_item) @definition.trait)
((line_comment outer: (outer_doc_comment_marker)) @doc.comment
  .
  (attribute_item)*
  .
  (function_signature_item) @definition.method)
(declaration_list
  (line_comment outer: (outer_doc_comment_marker)) @doc.comment
  .
  (attribute_item)*
  .
  (function_item) @definition.method)
((block_comment outer: (outer_doc_comment_marker)) @doc.comment
  .
  (attribute_item)*
  .
  (function_item) @definition.function)
((block_comment outer: (outer_doc_comment_marker)) @doc.comment
  .
  (attribute_item)*
  .
  (struct_item) @definition.struct)

; ---- Fields: named struct and union fields ----
(field_declaration name: (field_identifier) @name) @definition.variable

; ---- Module-level constants and statics (not those of impl blocks or traits) ----
(source_file (const_item name: (identifier) @name) @definition.variable)
(source_file (static_item name: (identifier) @name) @definition.variable)
(mod_item
  body: (declaration_list (const_item name: (identifier) @name) @definition.variable))
(mod_item
  body: (declaration_list (static_item name: (identifier) @name) @definition.variable))

; Go definitions for codekg (capture names: ingest/languages/CAPTURES.md).
; Structs, interfaces and other named types are Classes; functions; methods attach to their
; receiver's type (@method.receiver), interface method specs are Methods of the interface; struct
; fields are Fields; package-level var/const names are Variables (locals are dropped by the
; extractor). Go doc is the comment run directly above a declaration.

; ---- Package: the module is the directory; the clause names the root package ----
(package_clause (package_identifier) @module.name)

; ---- Types (package level: types declared inside functions are locals) ----
(source_file
  (type_declaration
    (type_spec
      name: (type_identifier) @name
      type: (struct_type (field_declaration_list) @signature.end)) @definition.struct))

(source_file
  (type_declaration
    (type_spec
      name: (type_identifier) @name
      type: (interface_type "{" @signature.end)) @definition.interface))

(source_file
  (type_declaration
    (type_spec
      name: (type_identifier) @name
      type: [
        (type_identifier) (qualified_type) (generic_type) (pointer_type) (array_type)
        (slice_type) (map_type) (channel_type) (function_type) (parenthesized_type)
      ]) @definition.class))

; ---- Functions and methods ----
(function_declaration
  name: (identifier) @name) @definition.function

(function_declaration
  body: (block) @signature.end) @definition.function

(method_declaration
  receiver: (parameter_list
    (parameter_declaration type: (_) @method.receiver))
  name: (field_identifier) @name) @definition.method

(method_declaration
  body: (block) @signature.end) @definition.method

; Interface method specifications (of package-level interfaces).
(source_file
  (type_declaration
    (type_spec
      type: (interface_type
        (method_elem name: (field_identifier) @name) @definition.method))))

; ---- Parameters (each name with its type), results ----
(function_declaration
  parameters: (parameter_list
    (parameter_declaration name: (identifier) @param type: (_) @param.type)))
  @definition.function
(function_declaration
  parameters: (parameter_list
    (variadic_parameter_declaration name: (identifier) @param type: (_) @param.type)))
  @definition.function
(function_declaration result: (_) @return_type) @definition.function

(method_declaration
  parameters: (parameter_list
    (parameter_declaration name: (identifier) @param type: (_) @param.type)))
  @definition.method
(method_declaration
  parameters: (parameter_list
    (variadic_parameter_declaration name: (identifier) @param type: (_) @param.type)))
  @definition.method
(method_declaration result: (_) @return_type) @definition.method

(method_elem
  parameters: (parameter_list
    (parameter_declaration name: (identifier) @param type: (_) @param.type)))
  @definition.method
(method_elem result: (_) @return_type) @definition.method

; ---- Doc comments: the comment run directly above the declaration ----
((comment) @doc.comment . (function_declaration) @definition.function)
((comment) @doc.comment . (method_declaration) @definition.method)
((comment) @doc.comment . (method_elem) @definition.method)
((comment) @doc.comment
  .
  (type_declaration (type_spec type: (struct_type)) @definition.struct))
((comment) @doc.comment
  .
  (type_declaration (type_spec type: (interface_type)) @definition.interface))
((comment) @doc.comment
  .
  (type_declaration
    (type_spec
      type: [
        (type_identifier) (qualified_type) (generic_type) (pointer_type) (array_type)
        (slice_type) (map_type) (channel_type) (function_type) (parenthesized_type)
      ]) @definition.class))
; Inside a grouped `type ( ... )` declaration.
((comment) @doc.comment . (type_spec type: (struct_type)) @definition.struct)
((comment) @doc.comment . (type_spec type: (interface_type)) @definition.interface)

; ---- Fields (struct members, several names per line) ----
(field_declaration
  name: (field_identifier) @name @definition.variable)

; ---- Package-level variables and constants (one per name) ----
((var_spec name: (identifier) @name @definition.variable) (#not-eq? @name "_"))
((const_spec name: (identifier) @name @definition.variable) (#not-eq? @name "_"))

; Go imports, embedding and calls for codekg (capture names: ingest/languages/CAPTURES.md).

; ---- Imports: one per import spec; the path as written (quotes stripped by the hook) ----
(import_spec
  !name
  path: (_) @import.module) @reference.import

(import_spec
  name: (package_identifier) @import.alias
  path: (_) @import.module) @reference.import

(import_spec
  name: (dot) @import.wildcard
  path: (_) @import.module) @reference.import

; ---- Embedding: an embedded struct field or interface is a base (INHERITS) ----
(type_spec
  type: (struct_type
    (field_declaration_list
      (field_declaration
        !name
        type: [(type_identifier) (qualified_type) (generic_type)] @reference.base))))
  @definition.struct

(type_spec
  type: (struct_type
    (field_declaration_list
      (field_declaration
        !name
        type: (pointer_type [(type_identifier) (qualified_type) (generic_type)] @reference.base)))))
  @definition.struct

(type_spec
  type: (interface_type
    (type_elem . [(type_identifier) (qualified_type) (generic_type)] @reference.base .)))
  @definition.interface

; ---- Calls: the called name or selector chain ----
(call_expression
  function: [(identifier) (selector_expression)] @reference.call)

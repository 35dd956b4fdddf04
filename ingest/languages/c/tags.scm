; C definitions for codekg (capture names: ingest/languages/CAPTURES.md).
; Function definitions (not prototypes); structs and unions (kind struct) and enums with a body;
; `typedef struct {...} T;` is the struct T; struct/union members are Fields; file-level variable
; definitions are Variables (locals are dropped by the extractor). Doxygen and plain comment runs
; directly above a definition are its docstring.

; ---- Functions: the declarator may be wrapped in pointer declarators (returns a pointer) ----
(function_definition
  declarator: (function_declarator declarator: (identifier) @name)
  body: (compound_statement) @signature.end) @definition.function

(function_definition
  declarator: (pointer_declarator
    declarator: (function_declarator declarator: (identifier) @name))
  body: (compound_statement) @signature.end) @definition.function

(function_definition
  declarator: (pointer_declarator
    declarator: (pointer_declarator
      declarator: (function_declarator declarator: (identifier) @name)))
  body: (compound_statement) @signature.end) @definition.function

(function_definition
  declarator: (function_declarator
    declarator: (parenthesized_declarator (identifier) @name))
  body: (compound_statement) @signature.end) @definition.function

(function_definition
  declarator: (attributed_declarator
    (function_declarator declarator: (identifier) @name))
  body: (compound_statement) @signature.end) @definition.function

; ---- Parameters (name with its type), return type ----
(function_definition
  declarator: (_
    parameters: (parameter_list
      (parameter_declaration
        type: (_) @param.type
        declarator: [
          (identifier) @param
          (pointer_declarator declarator: (identifier) @param)
          (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @param))
          (array_declarator declarator: (identifier) @param)
        ]))))
  @definition.function

(function_definition
  declarator: (_ (_
    parameters: (parameter_list
      (parameter_declaration
        type: (_) @param.type
        declarator: [
          (identifier) @param
          (pointer_declarator declarator: (identifier) @param)
          (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @param))
          (array_declarator declarator: (identifier) @param)
        ])))))
  @definition.function

(function_definition type: (_) @return_type) @definition.function

; ---- Types with a body ----
(struct_specifier
  name: (type_identifier) @name
  body: (field_declaration_list) @signature.end) @definition.struct

(union_specifier
  name: (type_identifier) @name
  body: (field_declaration_list) @signature.end) @definition.struct

(enum_specifier
  name: (type_identifier) @name
  body: (enumerator_list) @signature.end) @definition.enum

; `typedef struct { ... } T;`: the anonymous type is named by the typedef.
(type_definition
  type: (struct_specifier !name body: (field_declaration_list))
  declarator: (type_identifier) @name) @definition.struct

(type_definition
  type: (union_specifier !name body: (field_declaration_list))
  declarator: (type_identifier) @name) @definition.struct

(type_definition
  type: (enum_specifier !name body: (enumerator_list))
  declarator: (type_identifier) @name) @definition.enum

; `struct { ... } g;` at file level: the anonymous type is named by its variable, so that its
; members have an owner (the variable itself is then not reported apart).
(translation_unit
  (declaration
    type: (struct_specifier !name body: (field_declaration_list))
    declarator: [
      (identifier) @name
      (init_declarator declarator: (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (init_declarator declarator: (array_declarator declarator: (identifier) @name))
    ]) @definition.struct)

; ---- Doc comments: the comment run directly above ----
((comment) @doc.comment . (function_definition) @definition.function)
((comment) @doc.comment . (struct_specifier) @definition.struct)
((comment) @doc.comment . (union_specifier) @definition.struct)
((comment) @doc.comment . (enum_specifier) @definition.enum)
((comment) @doc.comment . (declaration type: (struct_specifier) @definition.struct))
((comment) @doc.comment . (declaration type: (union_specifier) @definition.struct))
((comment) @doc.comment . (declaration type: (enum_specifier) @definition.enum))
((comment) @doc.comment . (type_definition type: (struct_specifier) @definition.struct))
((comment) @doc.comment . (type_definition type: (union_specifier) @definition.struct))
((comment) @doc.comment . (type_definition type: (enum_specifier) @definition.enum))
((comment) @doc.comment
  .
  (type_definition type: (struct_specifier !name)) @definition.struct)
((comment) @doc.comment
  .
  (type_definition type: (union_specifier !name)) @definition.struct)
((comment) @doc.comment
  .
  (type_definition type: (enum_specifier !name)) @definition.enum)

; ---- Fields: struct/union members (through pointer, array and function-pointer declarators) ----
(field_declaration declarator: (field_identifier) @name @definition.variable)
(field_declaration declarator: (_ (field_identifier) @name @definition.variable))
(field_declaration declarator: (_ (_ (field_identifier) @name @definition.variable)))
(field_declaration declarator: (_ (_ (_ (field_identifier) @name @definition.variable))))

; ---- File-level variable definitions (declarations inside functions are locals; `extern`
; declarations are not definitions) ----
(declaration
    .
    (_) @_first
    declarator: [
      (identifier) @name
      (init_declarator declarator: (identifier) @name)
      (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
      (init_declarator
        declarator: (pointer_declarator
          declarator: (pointer_declarator declarator: (identifier) @name)))
      (init_declarator declarator: (array_declarator declarator: (identifier) @name))
      (init_declarator
        declarator: (array_declarator declarator: (array_declarator declarator: (identifier) @name)))
      (init_declarator
        declarator: (pointer_declarator declarator: (array_declarator declarator: (identifier) @name)))
      (pointer_declarator declarator: (identifier) @name)
      (pointer_declarator declarator: (pointer_declarator declarator: (identifier) @name))
      (array_declarator declarator: (identifier) @name)
      (array_declarator declarator: (array_declarator declarator: (identifier) @name))
      (pointer_declarator declarator: (array_declarator declarator: (identifier) @name))
      (function_declarator
        declarator: (parenthesized_declarator
          (pointer_declarator declarator: (identifier) @name)))
      (init_declarator
        declarator: (function_declarator
          declarator: (parenthesized_declarator
            (pointer_declarator declarator: (identifier) @name))))
    ] @definition.variable
  (#not-eq? @_first "extern"))

; C++ definitions for codekg (capture names: ingest/languages/CAPTURES.md).
; Classes, structs, unions (kind struct) and enums with a body; functions; methods defined in a
; class body or out of it (`void A::f() {}`: @method.receiver names the class); data members are
; Fields; namespace-level variable definitions are Variables. Namespaces are scopes (@scope):
; they prefix qualified names (`ns.Foo`) without being nodes. Declarations without a body
; (prototypes, in-class method declarations) are not definitions. Doxygen and plain comment runs
; directly above a definition are its docstring.

; ---- Namespaces: name prefixes only ----
(namespace_definition
  name: [(namespace_identifier) (nested_namespace_specifier)] @name) @scope

; ---- Classes ----
(class_specifier
  name: (type_identifier) @name
  body: (field_declaration_list) @signature.end) @definition.class
(class_specifier
  name: (template_type name: (type_identifier) @name)
  body: (field_declaration_list) @signature.end) @definition.class

(struct_specifier
  name: (type_identifier) @name
  body: (field_declaration_list) @signature.end) @definition.struct
(struct_specifier
  name: (template_type name: (type_identifier) @name)
  body: (field_declaration_list) @signature.end) @definition.struct

(union_specifier
  name: (type_identifier) @name
  body: (field_declaration_list) @signature.end) @definition.struct

(enum_specifier
  name: (type_identifier) @name
  body: (enumerator_list) @signature.end) @definition.enum

; `class EXPORT_MACRO Name { ... };` parses as a function `Name` returning `class EXPORT_MACRO`
; with a compound-statement body: it is the class Name (its members parse as declarations).
(function_definition
  type: (class_specifier name: (type_identifier) !body)
  declarator: (identifier) @name
  body: (compound_statement) @signature.end) @definition.class
(function_definition
  type: (struct_specifier name: (type_identifier) !body)
  declarator: (identifier) @name
  body: (compound_statement) @signature.end) @definition.struct

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

; ---- Functions and in-class methods (the declarator may return a pointer or reference) ----
(function_definition
  declarator: (function_declarator
    declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name)
  body: (_) @signature.end) @definition.function
(function_definition
  declarator: (_
    (function_declarator
      declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name))
  body: (_) @signature.end) @definition.function
(function_definition
  declarator: (_ (_
    (function_declarator
      declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name)))
  body: (_) @signature.end) @definition.function

; Conversion operators `operator T() const {}`: named `operator T` (what ctags and the standard
; call a conversion-function-id; @name.end stops the name before the parameter list).
(function_definition
  declarator: (operator_cast declarator: (_) @name.end) @name
  body: (_) @signature.end) @definition.function
(function_definition
  declarator: (qualified_identifier
    scope: (_) @method.receiver
    name: (operator_cast declarator: (_) @name.end) @name)
  body: (_) @signature.end) @definition.method

; ---- Out-of-class methods: `R A::f(...) {}`, `A<T>::f`, `ns::A::f` (receiver: the last scope) ----
(function_definition
  declarator: (function_declarator
    declarator: (qualified_identifier
      scope: (_) @method.receiver
      name: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name))
  body: (_) @signature.end) @definition.function
(function_definition
  declarator: (function_declarator
    declarator: (qualified_identifier
      name: (qualified_identifier
        scope: (_) @method.receiver
        name: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name)))
  body: (_) @signature.end) @definition.function
(function_definition
  declarator: (_
    (function_declarator
      declarator: (qualified_identifier
        scope: (_) @method.receiver
        name: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name)))
  body: (_) @signature.end) @definition.function
(function_definition
  declarator: (_
    (function_declarator
      declarator: (qualified_identifier
        name: (qualified_identifier
          scope: (_) @method.receiver
          name: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name))))
  body: (_) @signature.end) @definition.function

; ---- Parameters (name with its type), return type ----
(function_definition
  declarator: (function_declarator
    parameters: (parameter_list
      (parameter_declaration
        type: (_) @param.type
        declarator: [
          (identifier) @param
          (pointer_declarator declarator: (identifier) @param)
          (reference_declarator (identifier) @param)
          (array_declarator declarator: (identifier) @param)
        ]))))
  @definition.function
(function_definition
  declarator: (function_declarator
    parameters: (parameter_list
      (optional_parameter_declaration
        type: (_) @param.type
        declarator: [
          (identifier) @param
          (pointer_declarator declarator: (identifier) @param)
          (reference_declarator (identifier) @param)
          (array_declarator declarator: (identifier) @param)
        ]))))
  @definition.function
(function_definition type: (_) @return_type) @definition.function

; ---- Doc comments: the comment run directly above (a template's comment is above `template`) ----
((comment) @doc.comment . (function_definition) @definition.function)
((comment) @doc.comment . (template_declaration (function_definition) @definition.function))
((comment) @doc.comment . (class_specifier) @definition.class)
((comment) @doc.comment . (struct_specifier) @definition.struct)
((comment) @doc.comment . (union_specifier) @definition.struct)
((comment) @doc.comment . (enum_specifier) @definition.enum)
((comment) @doc.comment . (template_declaration (class_specifier) @definition.class))
((comment) @doc.comment . (template_declaration (struct_specifier) @definition.struct))
((comment) @doc.comment . (declaration type: (class_specifier) @definition.class))
((comment) @doc.comment . (declaration type: (struct_specifier) @definition.struct))
((comment) @doc.comment . (declaration type: (enum_specifier) @definition.enum))
((comment) @doc.comment . (type_definition type: (struct_specifier !name)) @definition.struct)
((comment) @doc.comment . (type_definition type: (enum_specifier !name)) @definition.enum)

; ---- Data members ----
(field_declaration
  declarator: [
    (field_identifier) @name
    (pointer_declarator declarator: (field_identifier) @name)
    (pointer_declarator declarator: (pointer_declarator declarator: (field_identifier) @name))
    (reference_declarator (field_identifier) @name)
    (array_declarator declarator: (field_identifier) @name)
    (array_declarator declarator: (array_declarator declarator: (field_identifier) @name))
    (function_declarator
      declarator: (parenthesized_declarator
        (pointer_declarator declarator: (field_identifier) @name)))
  ] @definition.variable)

; ---- Namespace-level variable definitions: declarations directly in a file, namespace,
; `extern "C"` block or preprocessor branch (never in a function body, even when the function
; itself did not parse as a definition); `extern` is a declaration, not a definition ----
(translation_unit
  (declaration
    .
    (_) @_first
    declarator: [
      (identifier) @name
      (init_declarator declarator: (identifier) @name)
      (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
      (init_declarator declarator: (reference_declarator (identifier) @name))
      (init_declarator declarator: (array_declarator declarator: (identifier) @name))
      (init_declarator
        declarator: (pointer_declarator declarator: (array_declarator declarator: (identifier) @name)))
      (pointer_declarator declarator: (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (function_declarator
        declarator: (parenthesized_declarator
          (pointer_declarator declarator: (identifier) @name)))
      (init_declarator
        declarator: (function_declarator
          declarator: (parenthesized_declarator
            (pointer_declarator declarator: (identifier) @name))))
    ] @definition.variable
    (#not-eq? @_first "extern")))
(declaration_list
  (declaration
    .
    (_) @_first
    declarator: [
      (identifier) @name
      (init_declarator declarator: (identifier) @name)
      (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
      (init_declarator declarator: (reference_declarator (identifier) @name))
      (init_declarator declarator: (array_declarator declarator: (identifier) @name))
      (init_declarator
        declarator: (pointer_declarator declarator: (array_declarator declarator: (identifier) @name)))
      (pointer_declarator declarator: (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (function_declarator
        declarator: (parenthesized_declarator
          (pointer_declarator declarator: (identifier) @name)))
      (init_declarator
        declarator: (function_declarator
          declarator: (parenthesized_declarator
            (pointer_declarator declarator: (identifier) @name))))
    ] @definition.variable
    (#not-eq? @_first "extern")))
(preproc_if
  (declaration
    .
    (_) @_first
    declarator: [
      (identifier) @name
      (init_declarator declarator: (identifier) @name)
      (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
      (init_declarator declarator: (reference_declarator (identifier) @name))
      (init_declarator declarator: (array_declarator declarator: (identifier) @name))
      (init_declarator
        declarator: (pointer_declarator declarator: (array_declarator declarator: (identifier) @name)))
      (pointer_declarator declarator: (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (function_declarator
        declarator: (parenthesized_declarator
          (pointer_declarator declarator: (identifier) @name)))
      (init_declarator
        declarator: (function_declarator
          declarator: (parenthesized_declarator
            (pointer_declarator declarator: (identifier) @name))))
    ] @definition.variable
    (#not-eq? @_first "extern")))
(preproc_ifdef
  (declaration
    .
    (_) @_first
    declarator: [
      (identifier) @name
      (init_declarator declarator: (identifier) @name)
      (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
      (init_declarator declarator: (reference_declarator (identifier) @name))
      (init_declarator declarator: (array_declarator declarator: (identifier) @name))
      (init_declarator
        declarator: (pointer_declarator declarator: (array_declarator declarator: (identifier) @name)))
      (pointer_declarator declarator: (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (function_declarator
        declarator: (parenthesized_declarator
          (pointer_declarator declarator: (identifier) @name)))
      (init_declarator
        declarator: (function_declarator
          declarator: (parenthesized_declarator
            (pointer_declarator declarator: (identifier) @name))))
    ] @definition.variable
    (#not-eq? @_first "extern")))
(preproc_else
  (declaration
    .
    (_) @_first
    declarator: [
      (identifier) @name
      (init_declarator declarator: (identifier) @name)
      (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
      (init_declarator declarator: (reference_declarator (identifier) @name))
      (init_declarator declarator: (array_declarator declarator: (identifier) @name))
      (init_declarator
        declarator: (pointer_declarator declarator: (array_declarator declarator: (identifier) @name)))
      (pointer_declarator declarator: (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (function_declarator
        declarator: (parenthesized_declarator
          (pointer_declarator declarator: (identifier) @name)))
      (init_declarator
        declarator: (function_declarator
          declarator: (parenthesized_declarator
            (pointer_declarator declarator: (identifier) @name))))
    ] @definition.variable
    (#not-eq? @_first "extern")))
(preproc_elif
  (declaration
    .
    (_) @_first
    declarator: [
      (identifier) @name
      (init_declarator declarator: (identifier) @name)
      (init_declarator declarator: (pointer_declarator declarator: (identifier) @name))
      (init_declarator declarator: (reference_declarator (identifier) @name))
      (init_declarator declarator: (array_declarator declarator: (identifier) @name))
      (init_declarator
        declarator: (pointer_declarator declarator: (array_declarator declarator: (identifier) @name)))
      (pointer_declarator declarator: (identifier) @name)
      (array_declarator declarator: (identifier) @name)
      (function_declarator
        declarator: (parenthesized_declarator
          (pointer_declarator declarator: (identifier) @name)))
      (init_declarator
        declarator: (function_declarator
          declarator: (parenthesized_declarator
            (pointer_declarator declarator: (identifier) @name))))
    ] @definition.variable
    (#not-eq? @_first "extern")))

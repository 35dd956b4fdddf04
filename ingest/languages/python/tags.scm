; Python definitions, docstrings and imports for codekg.
; Capture names follow ingest/languages/CAPTURES.md. Matches that capture the same
; @definition.* node describe one definition and are merged by the extractor, so every
; optional detail (docstring, decorators, bases, async, return type) is its own small pattern.

; ---- Definitions ----
(class_definition
  name: (identifier) @name
  ":" @signature.end) @definition.class

(function_definition
  name: (identifier) @name
  ":" @signature.end) @definition.function

; ---- Details of functions ----
(function_definition
  "async" @modifier.async) @definition.function

(function_definition
  return_type: (_) @return_type) @definition.function

(function_definition
  parameters: (parameters
    [
      (identifier) @param
      (typed_parameter [(identifier) (list_splat_pattern) (dictionary_splat_pattern)] @param)
      (default_parameter name: (_) @param)
      (typed_default_parameter name: (_) @param)
      (list_splat_pattern) @param
      (dictionary_splat_pattern) @param
    ])) @definition.function

; ---- Decorators (the expression after '@') ----
(decorated_definition
  (decorator (_) @decorator)
  definition: (function_definition) @definition.function)

(decorated_definition
  (decorator (_) @decorator)
  definition: (class_definition) @definition.class)

; ---- Base classes, in order; keyword arguments (metaclass=..., **kw) are not bases ----
(class_definition
  superclasses: (argument_list
    [
      (identifier) (attribute) (subscript) (call) (conditional_expression)
      (parenthesized_expression) (binary_operator) (list_splat)
    ] @reference.base)) @definition.class

; ---- Docstrings: a string that is the first statement of a body (comments may precede it) ----
(class_definition
  body: (block . (comment)* . (expression_statement . (string) @doc .))) @definition.class

(function_definition
  body: (block . (comment)* . (expression_statement . (string) @doc .))) @definition.function

(module . (comment)* . (expression_statement . (string) @doc .))

; ---- Imports: one match per imported name ----
(import_statement
  name: (dotted_name) @import.module) @reference.import

(import_statement
  name: (aliased_import
    name: (dotted_name) @import.module
    alias: (identifier) @import.alias)) @reference.import

(import_from_statement
  module_name: (_) @import.from
  name: (dotted_name) @import.name) @reference.import

(import_from_statement
  module_name: (_) @import.from
  name: (aliased_import
    name: (dotted_name) @import.name
    alias: (identifier) @import.alias)) @reference.import

(import_from_statement
  module_name: (_) @import.from
  (wildcard_import) @import.wildcard) @reference.import

(future_import_statement
  "__future__" @import.from
  name: (dotted_name) @import.name) @reference.import

(future_import_statement
  "__future__" @import.from
  name: (aliased_import
    name: (dotted_name) @import.name
    alias: (identifier) @import.alias)) @reference.import

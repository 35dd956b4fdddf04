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

; ---- Parameter annotations: the type with its parameter, in one match ----
(function_definition
  parameters: (parameters
    (typed_parameter . (identifier) @param type: (type) @param.type))) @definition.function

(function_definition
  parameters: (parameters
    (typed_default_parameter name: (_) @param type: (type) @param.type))) @definition.function

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

; ---- Fields and variables: `name = ...` / `name: T = ...` binds a Variable at module level and
; a Field in a class body (locals in functions are not reported); `self.name = ...` in a method
; binds a Field of the method's class ----
(expression_statement
  (assignment left: (identifier) @name) @definition.variable)

(expression_statement
  (assignment
    left: (attribute
      object: (identifier) @_self
      attribute: (identifier) @name)) @definition.field
  (#eq? @_self "self"))

; ---- Calls: the called expression (a name or a dotted attribute chain) ----
(call function: [(identifier) (attribute)] @reference.call)

; ---- Name accesses inside functions (for USES of module variables): `global` declarations,
; bindings, and names read in expression positions (not attribute names, keywords or params) ----
(global_statement (identifier) @reference.global)
; `self.x` read or assigned in a method (USES of the class's Fields).
((attribute object: (identifier) @_obj attribute: (identifier)) @reference.member
  (#eq? @_obj "self"))
(assignment
  left: (attribute object: (identifier) @_obj attribute: (identifier)) @reference.member.write
  (#eq? @_obj "self"))
(augmented_assignment
  left: (attribute object: (identifier) @_obj attribute: (identifier)) @reference.member.write
  (#eq? @_obj "self"))
(assignment left: (identifier) @reference.write)
(augmented_assignment left: (identifier) @reference.write)
(augmented_assignment left: (identifier) @reference.read)
(assignment right: (identifier) @reference.read)
(augmented_assignment right: (identifier) @reference.read)
(attribute object: (identifier) @reference.read)
(call function: (identifier) @reference.read)
(argument_list (identifier) @reference.read)
(keyword_argument value: (identifier) @reference.read)
(return_statement (identifier) @reference.read)
(binary_operator left: (identifier) @reference.read)
(binary_operator right: (identifier) @reference.read)
(unary_operator argument: (identifier) @reference.read)
(comparison_operator (identifier) @reference.read)
(boolean_operator left: (identifier) @reference.read)
(boolean_operator right: (identifier) @reference.read)
(not_operator argument: (identifier) @reference.read)
(subscript value: (identifier) @reference.read)
(subscript subscript: (identifier) @reference.read)
(if_statement condition: (identifier) @reference.read)
(for_statement right: (identifier) @reference.read)
(list (identifier) @reference.read)
(tuple (identifier) @reference.read)
(expression_list (identifier) @reference.read)
(pair value: (identifier) @reference.read)
(conditional_expression (identifier) @reference.read)

; Python definitions and their details for codekg (edges: edges.scm, compiled with this file).
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

; (One pattern per kind of parameter.)
(function_definition
  parameters: (parameters (identifier) @param)) @definition.function
(function_definition
  parameters: (parameters
    (typed_parameter [(identifier) (list_splat_pattern) (dictionary_splat_pattern)] @param)))
  @definition.function
(function_definition
  parameters: (parameters (default_parameter name: (_) @param))) @definition.function
(function_definition
  parameters: (parameters (typed_default_parameter name: (_) @param))) @definition.function
(function_definition
  parameters: (parameters (list_splat_pattern) @param)) @definition.function
(function_definition
  parameters: (parameters (dictionary_splat_pattern) @param)) @definition.function

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

; ---- Docstrings: a string that is the first statement of a body (comments may precede it:
; tree-sitter-python puts the comments before a body's first statement outside its block, so the
; block needs no `(comment)*`) ----
(class_definition
  body: (block . (expression_statement . (string) @doc .))) @definition.class

(function_definition
  body: (block . (expression_statement . (string) @doc .))) @definition.function

(module . (comment)* . (expression_statement . (string) @doc .))

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

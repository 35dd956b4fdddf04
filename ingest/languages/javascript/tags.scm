; JavaScript definitions and their details for codekg (edges: edges.scm, compiled with this
; file). Capture names: ingest/languages/CAPTURES.md.

; ---- Classes ----
(class_declaration
  name: (identifier) @name
  body: (class_body) @signature.end) @definition.class

; ---- Functions: declarations, generators, and function values bound by const/let/var ----
(function_declaration
  name: (identifier) @name
  body: (statement_block) @signature.end) @definition.function

(generator_function_declaration
  name: (identifier) @name
  body: (statement_block) @signature.end) @definition.function

(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function

; A function value assigned to a member by a module-level statement: `exports.f = function
; () {}`, `options.hook = (v) => {}`; `Foo.prototype.m = function () {}` is a method of Foo.
(program
  (expression_statement
    (assignment_expression
      left: (member_expression
        object: (identifier)
        property: (property_identifier) @name)
      right: [(arrow_function) (function_expression) (generator_function)]) @definition.function))
(program
  (expression_statement
    (assignment_expression
      left: (member_expression
        object: (member_expression property: (property_identifier) @_object)
        property: (property_identifier) @name)
      right: [(arrow_function) (function_expression) (generator_function)]) @definition.function)
  (#not-eq? @_object "prototype"))
(program
  (expression_statement
    (assignment_expression
      left: (member_expression
        object: (member_expression
          object: (identifier) @method.receiver
          property: (property_identifier) @_prototype)
        property: (property_identifier) @name)
      right: [(arrow_function) (function_expression) (generator_function)]) @definition.method)
  (#eq? @_prototype "prototype"))

; ---- Methods: in class bodies only (object literal members are not definitions) ----
(class_body
  (method_definition
    name: [(property_identifier) (private_property_identifier) (computed_property_name)
           (string) (number)] @name
    body: (statement_block) @signature.end) @definition.method)

; ---- Details: parameters, modifiers ----
(function_declaration
  parameters: (formal_parameters
    [
      (identifier) @param
      (assignment_pattern left: (_) @param)
      (rest_pattern) @param
    ])) @definition.function

(method_definition
  parameters: (formal_parameters
    [
      (identifier) @param
      (assignment_pattern left: (_) @param)
      (rest_pattern) @param
    ])) @definition.method

(variable_declarator
  value: (arrow_function
    parameters: (formal_parameters
      [
        (identifier) @param
        (assignment_pattern left: (_) @param)
        (rest_pattern) @param
      ]))) @definition.function

(variable_declarator
  value: (arrow_function parameter: (identifier) @param)) @definition.function

(variable_declarator
  value: (function_expression
    parameters: (formal_parameters
      [
        (identifier) @param
        (assignment_pattern left: (_) @param)
        (rest_pattern) @param
      ]))) @definition.function

(function_declaration "async" @modifier.async) @definition.function
(variable_declarator value: (arrow_function "async" @modifier.async)) @definition.function
(variable_declarator value: (function_expression "async" @modifier.async)) @definition.function
(method_definition "async" @modifier.async) @definition.method
(method_definition "static" @modifier.static) @definition.method
(method_definition "get" @modifier.getter) @definition.method
(method_definition "set" @modifier.setter) @definition.method

; ---- JSDoc: the comment directly above (through `export`). Every pattern naming a
; @definition.* node must be as specific as the definition's own pattern: a match creates the
; definition if no other does. ----
((comment) @doc.comment . (class_declaration) @definition.class)
((comment) @doc.comment . (export_statement declaration: (class_declaration) @definition.class))
((comment) @doc.comment . (function_declaration) @definition.function)
((comment) @doc.comment . (export_statement declaration: (function_declaration) @definition.function))
((comment) @doc.comment . (generator_function_declaration) @definition.function)
((comment) @doc.comment .
  (lexical_declaration
    (variable_declarator
      value: [(arrow_function) (function_expression) (generator_function)]) @definition.function))
((comment) @doc.comment .
  (variable_declaration
    (variable_declarator
      value: [(arrow_function) (function_expression) (generator_function)]) @definition.function))
((comment) @doc.comment .
  (export_statement
    declaration: (lexical_declaration
      (variable_declarator
        value: [(arrow_function) (function_expression) (generator_function)])
        @definition.function)))
(class_body (comment) @doc.comment . (method_definition) @definition.method)

; ---- Fields and variables: class fields (Field); const/let/var at module level (Variable) ----
(field_definition
  property: [(property_identifier) (private_property_identifier)] @name) @definition.variable

; (module level means a statement of the program itself: bindings inside callbacks and blocks
; are locals)
(program
  (lexical_declaration
    (variable_declarator name: (identifier) @name) @definition.variable))
(program
  (variable_declaration
    (variable_declarator name: (identifier) @name) @definition.variable))
(program
  (export_statement
    declaration: (lexical_declaration
      (variable_declarator name: (identifier) @name) @definition.variable)))
(program
  (export_statement
    declaration: (variable_declaration
      (variable_declarator name: (identifier) @name) @definition.variable)))
; Destructuring at module level: `const { a, b: c } = o` binds a and c.
(program
  [(lexical_declaration (variable_declarator name: (object_pattern
     [(shorthand_property_identifier_pattern) @name @definition.variable
      (pair_pattern value: (identifier) @name @definition.variable)])))
   (variable_declaration (variable_declarator name: (object_pattern
     [(shorthand_property_identifier_pattern) @name @definition.variable
      (pair_pattern value: (identifier) @name @definition.variable)])))
   (export_statement declaration: (lexical_declaration (variable_declarator name: (object_pattern
     [(shorthand_property_identifier_pattern) @name @definition.variable
      (pair_pattern value: (identifier) @name @definition.variable)]))))])

; TypeScript (and TSX) definitions and their details for codekg (edges: edges.scm, compiled with
; this file). Capture names: ingest/languages/CAPTURES.md. The JavaScript patterns plus
; interfaces, enums, abstract classes and members, namespaces (@scope) and typed parameters.
; Type aliases (`type A = ...`) are not definitions (no Class, no Variable).

; ---- Classes ----
(class_declaration
  name: (type_identifier) @name
  body: (class_body) @signature.end) @definition.class
(abstract_class_declaration
  name: (type_identifier) @name
  body: (class_body) @signature.end) @definition.class
(interface_declaration
  name: (type_identifier) @name
  body: (interface_body) @signature.end) @definition.interface
(enum_declaration
  name: (identifier) @name
  body: (enum_body) @signature.end) @definition.enum

; ---- Namespaces: `namespace a.b { ... }` prefixes the qualified paths of what it holds ----
(internal_module name: [(identifier) (nested_identifier)] @name) @scope
(module name: [(identifier) (nested_identifier)] @name) @scope

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
; Overload signatures (`function f(x: string): R;` before the implementation, `declare function`,
; an interface's `m(): R; m(x: T): R;`): one definition per overload set, from the first
; signature through the implementation (@definition.overload, CAPTURES.md), as ctags and the
; TypeScript compiler see it. Every pattern naming these nodes uses @definition.overload.
(function_signature name: (identifier) @name) @definition.overload
(class_body
  (method_signature
    name: [(property_identifier) (private_property_identifier) (computed_property_name)
           (string) (number)] @name) @definition.overload)
(class_body
  (abstract_method_signature
    name: [(property_identifier) (private_property_identifier) (computed_property_name)
           (string) (number)] @name) @definition.method)
(interface_body
  (method_signature
    name: [(property_identifier) (private_property_identifier) (computed_property_name)
           (string) (number)] @name) @definition.overload)

; ---- Details: parameters, modifiers ----
(function_declaration
  parameters: (formal_parameters
    [
      (required_parameter pattern: (_) @param)
      (optional_parameter pattern: (_) @param)
    ])) @definition.function

(method_definition
  parameters: (formal_parameters
    [
      (required_parameter pattern: (_) @param)
      (optional_parameter pattern: (_) @param)
    ])) @definition.method

(variable_declarator
  value: (arrow_function
    parameters: (formal_parameters
      [(required_parameter pattern: (_) @param) (optional_parameter pattern: (_) @param)]))) @definition.function

(variable_declarator
  value: (arrow_function parameter: (identifier) @param)) @definition.function

(function_declaration
  parameters: (formal_parameters
    [
      (required_parameter pattern: (_) @param type: (type_annotation (_) @param.type))
      (optional_parameter pattern: (_) @param type: (type_annotation (_) @param.type))
    ])) @definition.function
(method_definition
  parameters: (formal_parameters
    [
      (required_parameter pattern: (_) @param type: (type_annotation (_) @param.type))
      (optional_parameter pattern: (_) @param type: (type_annotation (_) @param.type))
    ])) @definition.method
(function_declaration return_type: (type_annotation (_) @return_type)) @definition.function
(method_definition return_type: (type_annotation (_) @return_type)) @definition.method
(method_definition (accessibility_modifier) @modifier.access) @definition.method
(abstract_method_signature "abstract" @modifier.abstract) @definition.method
(abstract_class_declaration "abstract" @modifier.abstract) @definition.class
(class_declaration decorator: (decorator (_) @decorator)) @definition.class

(variable_declarator
  value: (function_expression
    parameters: (formal_parameters
      [(required_parameter pattern: (_) @param) (optional_parameter pattern: (_) @param)]))) @definition.function

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
((comment) @doc.comment . (abstract_class_declaration) @definition.class)
((comment) @doc.comment . (interface_declaration) @definition.interface)
((comment) @doc.comment . (enum_declaration) @definition.enum)
((comment) @doc.comment .
  (export_statement declaration: (abstract_class_declaration) @definition.class))
((comment) @doc.comment .
  (export_statement declaration: (interface_declaration) @definition.interface))
((comment) @doc.comment . (export_statement declaration: (enum_declaration) @definition.enum))
(interface_body (comment) @doc.comment . (method_signature) @definition.overload)
((comment) @doc.comment . (export_statement declaration: (class_declaration) @definition.class))
((comment) @doc.comment . (function_declaration) @definition.function)
((comment) @doc.comment . (function_signature) @definition.overload)
((comment) @doc.comment . (export_statement declaration: (function_signature) @definition.overload))
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
(public_field_definition
  name: [(property_identifier) (private_property_identifier)] @name) @definition.variable
(interface_body
  (property_signature
    name: [(property_identifier) (private_property_identifier)] @name) @definition.variable)
; Parameter properties: `constructor(private x: T, readonly y: U)` declares fields x and y.
(method_definition
  name: (property_identifier) @_ctor
  parameters: (formal_parameters
    [
      (required_parameter (accessibility_modifier) pattern: (identifier) @name)
      (optional_parameter (accessibility_modifier) pattern: (identifier) @name)
      (required_parameter "readonly" pattern: (identifier) @name)
      (optional_parameter "readonly" pattern: (identifier) @name)
    ] @definition.field)
  (#eq? @_ctor "constructor"))
; Interface construct signatures `new (...): T` are the interface's member "new".
(interface_body (construct_signature "new" @name) @definition.method)

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
; `declare const x: T;` and destructuring at module level: `const { a, b: c } = o` binds a and c.
(program
  (ambient_declaration
    [(lexical_declaration (variable_declarator name: (identifier) @name) @definition.variable)
     (variable_declaration (variable_declarator name: (identifier) @name) @definition.variable)]))
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

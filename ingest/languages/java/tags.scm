; Java definitions and their details for codekg (edges: edges.scm, compiled with this file).
; Capture names: ingest/languages/CAPTURES.md. Records are Classes of kind "class", annotation
; types (@interface) Classes of kind "interface"; enum constants are not definitions.

; ---- The package: the file's module is <package>.<file stem> (language.cc) ----
(package_declaration [(identifier) (scoped_identifier)] @module.name)

; ---- Types ----
(class_declaration
  name: (identifier) @name
  body: (class_body) @signature.end) @definition.class
(record_declaration
  name: (identifier) @name
  body: (class_body) @signature.end) @definition.class
(interface_declaration
  name: (identifier) @name
  body: (interface_body) @signature.end) @definition.interface
(annotation_type_declaration
  name: (identifier) @name
  body: (annotation_type_body) @signature.end) @definition.interface
(enum_declaration
  name: (identifier) @name
  body: (enum_body) @signature.end) @definition.enum

; ---- Methods and constructors of named types (members of anonymous classes, `new T() {...}`,
; are not definitions: the details below name no @name, so they create none) ----
(class_declaration
  body: (class_body (method_declaration name: (identifier) @name) @definition.method))
(record_declaration
  body: (class_body (method_declaration name: (identifier) @name) @definition.method))
(interface_declaration
  body: (interface_body (method_declaration name: (identifier) @name) @definition.method))
(enum_declaration
  body: (enum_body (enum_body_declarations
    (method_declaration name: (identifier) @name) @definition.method)))
(method_declaration body: (block) @signature.end) @definition.method
(constructor_declaration
  name: (identifier) @name
  body: (constructor_body) @signature.end) @definition.method
(compact_constructor_declaration
  name: (identifier) @name
  body: (block) @signature.end) @definition.method
(annotation_type_element_declaration name: (identifier) @name) @definition.method

; ---- Details: parameters with their types, return type, modifiers ----
(method_declaration
  parameters: (formal_parameters
    (formal_parameter type: (_) @param.type name: (identifier) @param))) @definition.method
(method_declaration
  parameters: (formal_parameters
    (spread_parameter (variable_declarator name: (identifier) @param)))) @definition.method
(constructor_declaration
  parameters: (formal_parameters
    (formal_parameter type: (_) @param.type name: (identifier) @param))) @definition.method
(method_declaration type: (_) @return_type) @definition.method
(method_declaration (modifiers "static" @modifier.static)) @definition.method
(method_declaration (modifiers "abstract" @modifier.abstract)) @definition.method
(method_declaration (modifiers (marker_annotation name: (_) @decorator))) @definition.method
(method_declaration (modifiers (annotation name: (_) @decorator))) @definition.method
(class_declaration (modifiers "abstract" @modifier.abstract)) @definition.class
(class_declaration (modifiers (marker_annotation name: (_) @decorator))) @definition.class
(class_declaration (modifiers (annotation name: (_) @decorator))) @definition.class

; ---- Javadoc: the comment directly above ----
([(block_comment) (line_comment)] @doc.comment . (class_declaration) @definition.class)
([(block_comment) (line_comment)] @doc.comment . (record_declaration) @definition.class)
([(block_comment) (line_comment)] @doc.comment . (interface_declaration) @definition.interface)
([(block_comment) (line_comment)] @doc.comment .
  (annotation_type_declaration) @definition.interface)
([(block_comment) (line_comment)] @doc.comment . (enum_declaration) @definition.enum)
([(block_comment) (line_comment)] @doc.comment . (method_declaration) @definition.method)
([(block_comment) (line_comment)] @doc.comment . (constructor_declaration) @definition.method)

; ---- Fields (bodies of named types; one per declarator) ----
(class_declaration
  body: (class_body
    (field_declaration
      declarator: (variable_declarator name: (identifier) @name) @definition.variable)))
(record_declaration
  body: (class_body
    (field_declaration
      declarator: (variable_declarator name: (identifier) @name) @definition.variable)))
(enum_declaration
  body: (enum_body (enum_body_declarations
    (field_declaration
      declarator: (variable_declarator name: (identifier) @name) @definition.variable))))
(constant_declaration
  declarator: (variable_declarator name: (identifier) @name) @definition.variable)

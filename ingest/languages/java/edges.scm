; Java edges for codekg: imports, extends/implements, calls and construction. Compiled together
; with tags.scm (capture names: ingest/languages/CAPTURES.md).

; ---- Bases: a class extends one class and implements interfaces; an interface extends
; interfaces (its bases) ----
(class_declaration
  superclass: (superclass [(type_identifier) (scoped_type_identifier) (generic_type)]
                          @reference.base)) @definition.class
(class_declaration
  interfaces: (super_interfaces
    (type_list [(type_identifier) (scoped_type_identifier) (generic_type)]
                @reference.implements))) @definition.class
(enum_declaration
  interfaces: (super_interfaces
    (type_list [(type_identifier) (scoped_type_identifier) (generic_type)]
                @reference.implements))) @definition.enum
(record_declaration
  interfaces: (super_interfaces
    (type_list [(type_identifier) (scoped_type_identifier) (generic_type)]
                @reference.implements))) @definition.class
(interface_declaration
  (extends_interfaces
    (type_list [(type_identifier) (scoped_type_identifier) (generic_type)]
                @reference.base))) @definition.interface

; ---- Imports: `import a.b.C;` names class C of module a.b.C; `import a.b.*;` every class of
; package a.b; static imports name a member of a class ----
(import_declaration
  (scoped_identifier scope: (_) @import.from name: (identifier) @import.name) .) @reference.import
(import_declaration
  [(identifier) (scoped_identifier)] @import.from
  (asterisk) @import.wildcard) @reference.import

; ---- Calls: a method invocation (captured whole: its argument list is dropped) and
; construction of a named class ----
(method_invocation) @reference.invocation
(object_creation_expression type: [(type_identifier) (scoped_type_identifier)] @reference.call)
(object_creation_expression type: (generic_type [(type_identifier) (scoped_type_identifier)]
                                                @reference.call))

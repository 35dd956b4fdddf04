; Python edges for codekg: base classes, imports, calls and name accesses. Compiled together
; with tags.scm as one query (capture names: ingest/languages/CAPTURES.md), so a pattern here may
; add details to a definition of tags.scm by capturing the same @definition.* node.

; ---- Base classes, in order; keyword arguments (metaclass=..., **kw) are not bases ----
(class_definition
  superclasses: (argument_list
    [
      (identifier) (attribute) (subscript) (call) (conditional_expression)
      (parenthesized_expression) (binary_operator) (list_splat)
    ] @reference.base)) @definition.class

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

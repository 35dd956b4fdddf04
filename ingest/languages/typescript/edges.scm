; TypeScript (and TSX) edges for codekg: imports (ES and CommonJS), re-exports, extends and
; implements, and calls.
; Compiled together with tags.scm (capture names: ingest/languages/CAPTURES.md).

; ---- Base classes ----
(class_declaration
  (class_heritage (extends_clause value: (_) @reference.base))) @definition.class
(abstract_class_declaration
  (class_heritage (extends_clause value: (_) @reference.base))) @definition.class
(class_declaration
  (class_heritage (implements_clause (_) @reference.implements))) @definition.class
(abstract_class_declaration
  (class_heritage (implements_clause (_) @reference.implements))) @definition.class
(interface_declaration (extends_type_clause type: (_) @reference.base)) @definition.interface

; ---- ES imports: one match per imported name; the source string is resolved by the hooks ----
; import def from 'm'  ->  the module (its default export) as def
(import_statement
  (import_clause (identifier) @import.alias)
  source: (string) @import.module) @reference.import
; import {a, b as c} from 'm'
(import_statement
  (import_clause (named_imports (import_specifier name: (_) @import.name)))
  source: (string) @import.from) @reference.import
(import_statement
  (import_clause (named_imports (import_specifier name: (_) @import.name alias: (_) @import.alias)))
  source: (string) @import.from) @reference.import
; import * as ns from 'm'  ->  the module as ns
(import_statement
  (import_clause (namespace_import (identifier) @import.alias))
  source: (string) @import.module) @reference.import
; import 'm'
(import_statement . source: (string) @import.module) @reference.import

; ---- Re-exports ----
(export_statement
  (export_clause (export_specifier name: (_) @import.name))
  source: (string) @import.from) @reference.import
(export_statement
  (export_clause (export_specifier name: (_) @import.name alias: (_) @import.alias))
  source: (string) @import.from) @reference.import
(export_statement "*" @import.wildcard source: (string) @import.from) @reference.import

; ---- CommonJS: const x = require('m'); const {a, b: c} = require('m') ----
(variable_declarator
  name: (identifier) @import.alias
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string) @import.module .))
  (#eq? @_require "require")) @reference.import
(variable_declarator
  name: (object_pattern (shorthand_property_identifier_pattern) @import.name)
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string) @import.from .))
  (#eq? @_require "require")) @reference.import
(variable_declarator
  name: (object_pattern
    (pair_pattern key: (property_identifier) @import.name value: (identifier) @import.alias))
  value: (call_expression
    function: (identifier) @_require
    arguments: (arguments . (string) @import.from .))
  (#eq? @_require "require")) @reference.import

; ---- Calls and construction: the called expression (a name or a dotted member chain) ----
(call_expression function: [(identifier) (member_expression)] @reference.call)
(new_expression constructor: [(identifier) (member_expression)] @reference.call)

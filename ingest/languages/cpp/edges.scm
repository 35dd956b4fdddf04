; C++ includes, bases and calls for codekg (capture names: ingest/languages/CAPTURES.md).

; ---- Includes: `#include "x.h"` resolves to a repository file (ResolveImportFile), `<x>` is
; External unless the repository has it ----
(preproc_include
  path: [(string_literal) (system_lib_string)] @import.module) @reference.import

; ---- Base classes, in order ----
(class_specifier
  (base_class_clause
    [(type_identifier) (qualified_identifier) (template_type)] @reference.base))
  @definition.class
(struct_specifier
  (base_class_clause
    [(type_identifier) (qualified_identifier) (template_type)] @reference.base))
  @definition.struct

; ---- Calls: a name, a qualified name, a member through `.`/`->`, a template function ----
(call_expression
  function: [(identifier) (qualified_identifier) (field_expression) (template_function)]
    @reference.call)

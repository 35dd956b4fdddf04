; C includes and calls for codekg (capture names: ingest/languages/CAPTURES.md).

; ---- Includes: `#include "x.h"` resolves to a repository file (ResolveImportFile), `<x.h>` is
; External ----
(preproc_include
  path: [(string_literal) (system_lib_string)] @import.module) @reference.import

; ---- Calls: the called name, or a member through `.`/`->` ----
(call_expression
  function: [(identifier) (field_expression)] @reference.call)

#pragma once
// Extractor: the generic, language-independent fact extractor.
//
// It parses a file with the language's tree-sitter grammar, runs the language's tags query and
// maps captures (vocabulary: ingest/languages/CAPTURES.md) to FileFacts. It knows no language:
// everything language-specific comes from the query and the Language hooks.
//
// Thread-safety: after Create(), an Extractor is immutable; Extract() may run on many threads at
// once (each call uses its own parser and query cursor).

#include <memory>
#include <string_view>

#include "common/result.h"
#include "ingest/facts.h"
#include "ingest/languages/language.h"

struct TSQuery;

namespace kg::ingest {

class Extractor {
 public:
  // Compiles the language's tags query. Errors: InvalidArgument when the query does not compile
  // (message names the problem, position points into the .scm text) or uses a capture name
  // outside the vocabulary. `language` must outlive the Extractor.
  static Result<std::unique_ptr<Extractor>> Create(const languages::Language& language);

  ~Extractor();
  Extractor(const Extractor&) = delete;
  Extractor& operator=(const Extractor&) = delete;

  // Extracts the facts of one file. `path` is repository-relative ('/'-separated) and becomes the
  // prefix of definition ids; `module` is the module the file defines. Syntax errors are not
  // failures: the partial tree's facts are returned with FileFacts::syntax_error set.
  // Errors: InvalidArgument if text is larger than 4 GiB; Internal if the parser fails.
  Result<FileFacts> Extract(std::string_view path, std::string_view text,
                            const languages::ModuleInfo& module) const;

  const languages::Language& language() const { return language_; }

 private:
  Extractor(const languages::Language& language, TSQuery* query);

  const languages::Language& language_;
  TSQuery* query_;  // owned; immutable after creation
};

}  // namespace kg::ingest

#pragma once
// Extractor: the generic, language-independent fact extractor.
//
// It parses a file with the language's tree-sitter grammar, matches the language's tags query
// (codekg's QueryMatcher, which returns what tree-sitter's query cursor would) and maps captures
// (vocabulary: ingest/languages/CAPTURES.md) to FileFacts. It knows no language: everything
// language-specific comes from the query and the Language hooks.
//
// Thread-safety: after Create(), an Extractor is immutable; Extract() may run on many threads at
// once (each thread reuses its own parser and matcher scratch).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "ingest/facts.h"
#include "ingest/languages/language.h"
#include "ingest/query_matcher.h"

namespace kg::ingest {

class Extractor {
 public:
  // Compiles the language's tags query and edges query (as one query). Errors: InvalidArgument when
  // the query does not compile (message names tags.scm or edges.scm and the problem, position
  // points into that file), uses a capture name outside the vocabulary, or a predicate other
  // than (#eq? @capture "text"|@capture) and (#not-eq? ...). `language` must outlive the
  // Extractor.
  static Result<std::unique_ptr<Extractor>> Create(const languages::Language& language);

  // The process-wide Extractor of `language`: compiled by the first call, then shared (never
  // freed; one per language). Thread-safe. Errors: those of Create(), returned by every call.
  static Result<const Extractor*> ForLanguage(const languages::Language& language);

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
  // Whether the language's queries capture @module.name (files declare their module, so the
  // module of a file not parsed in a run is the one stored for it, not ModuleForPath's).
  bool declares_modules() const { return declares_modules_; }

  // A text predicate of a query pattern: capture text equals (or not) a string or another
  // capture's text. Public for the extractor's helpers; not part of the contract.
  struct Predicate {
    bool negate = false;
    uint32_t capture = 0;
    std::optional<uint32_t> other_capture;
    std::string value;
  };

 private:
  struct Roles;  // the capture roles, by capture id (extractor.cc)

  Extractor(const languages::Language& language, std::unique_ptr<QueryMatcher> matcher,
            std::vector<std::vector<Predicate>> predicates);

  const languages::Language& language_;
  std::unique_ptr<QueryMatcher> matcher_;           // immutable after creation
  std::vector<std::vector<Predicate>> predicates_;  // by pattern index
  std::unique_ptr<const Roles> roles_;
  bool declares_modules_ = false;
};

}  // namespace kg::ingest

#pragma once
// The language registry: which Language handles which file. One line per language in
// registry.cc. All functions are thread-safe; returned pointers are static and never null
// unless stated.

#include <string_view>
#include <vector>

#include "ingest/languages/language.h"

namespace kg::ingest::languages {

// Every registered language, in registration order.
const std::vector<const Language*>& AllLanguages();

// The language of a file by its name suffix (case-sensitive, e.g. "pkg/a.py" -> python), or
// nullptr when no language handles it.
const Language* LanguageForPath(std::string_view path);

// The language with the given name ("python"), or nullptr.
const Language* LanguageByName(std::string_view name);

}  // namespace kg::ingest::languages

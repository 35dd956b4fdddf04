#pragma once
// Module naming and import resolution shared by JavaScript and TypeScript (ES modules and
// CommonJS): a file's module is its path without the extension, dotted ("src/util/strings.js"
// -> "src.util.strings"; dots inside a file or folder name become '_'); "dir/index.js" is the
// folder's module ("dir", is_package). Thread-safe pure functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/languages/language.h"

namespace kg::ingest::languages::script {

// The module of the file at repository-relative `path`.
ModuleInfo ModuleForPath(std::string_view path);

// An import specifier as written (quotes included, e.g. "'./util'") inside `module`: a relative
// specifier ("./x", "../y/z.js") becomes the dotted module it names by path arithmetic (known
// extensions dropped); a bare one ("react", "@babel/core", "lodash/fp") is returned without its
// quotes. nullopt when a relative specifier climbs above the repository root.
std::optional<std::string> ImportSource(std::string_view written, const ModuleInfo& module);

// The repository file a relative specifier names, probing like Node and TypeScript: the exact
// path, then each of `extensions` appended, then "<path>/index" + each extension; a ".js"
// specifier also tries the same stem with each extension (TypeScript's ESM convention).
std::optional<std::string> ImportFile(std::string_view written, std::string_view importer,
                                      const FileExists& exists,
                                      const std::vector<std::string_view>& extensions);

// Test code: files named *.test.*, *.spec.*, or under __tests__/, test/ or tests/ folders.
bool IsTestPath(std::string_view path);

}  // namespace kg::ingest::languages::script

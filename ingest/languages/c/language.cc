// C: what the queries cannot express -- the module is the file's path, `#include "x.h"`
// resolves to a repository file (languages/c/c_family.h), test code is found by path. `.h`
// headers are read as C++ (languages/cpp), as universal-ctags does: most headers parse the same
// and C++ headers would not parse as C.

#include <string>
#include <string_view>
#include <vector>

#include "ingest/languages/c/c_family.h"
#include "ingest/languages/language.h"

extern "C" const TSLanguage* tree_sitter_c(void);

namespace kg::ingest::languages::c {

extern const std::string_view kTagsScm;   // languages/c/tags.scm, embedded by CMake
extern const std::string_view kEdgesScm;  // languages/c/edges.scm

namespace {

class CLanguage final : public c_family::CFamilyLanguage {
 public:
  std::string_view name() const override { return "c"; }

  const std::vector<std::string_view>& extensions() const override {
    static const std::vector<std::string_view> kExtensions = {".c"};
    return kExtensions;
  }

  const TSLanguage* grammar() const override { return tree_sitter_c(); }
  std::string_view tags_query() const override { return kTagsScm; }
  std::string_view edges_query() const override { return kEdgesScm; }

  bool IsTest(std::string_view kind, std::string_view name, std::string_view path) const override {
    (void)kind;
    (void)name;
    return c_family::IsTestPath(path);
  }

  // C has no methods: a call through `p->f()` is a function pointer, never `this`.
  bool IsSelfName(std::string_view name) const override {
    (void)name;
    return false;
  }
};

}  // namespace

const Language& GetLanguage() {
  static const CLanguage kLanguage;
  return kLanguage;
}

}  // namespace kg::ingest::languages::c

// C++: what the queries cannot express -- the module is the file's path, `#include "x.h"`
// resolves to a repository file (languages/c/c_family.h), test code is found by path and by
// googletest's TEST/TEST_F/TEST_P macros (parsed as functions of those names). `.h` headers are
// read as C++ (a C header parses the same; a C++ header would not parse as C), as
// universal-ctags does.

#include <string>
#include <string_view>
#include <vector>

#include "ingest/languages/c/c_family.h"
#include "ingest/languages/language.h"

extern "C" const TSLanguage* tree_sitter_cpp(void);

namespace kg::ingest::languages::cpp {

extern const std::string_view kTagsScm;   // languages/cpp/tags.scm, embedded by CMake
extern const std::string_view kEdgesScm;  // languages/cpp/edges.scm

namespace {

class CppLanguage final : public c_family::CFamilyLanguage {
 public:
  std::string_view name() const override { return "cpp"; }

  const std::vector<std::string_view>& extensions() const override {
    static const std::vector<std::string_view> kExtensions = {
        ".cc", ".cpp", ".cxx", ".c++", ".h", ".hh", ".hpp", ".hxx", ".h++", ".ipp", ".inl"};
    return kExtensions;
  }

  const TSLanguage* grammar() const override { return tree_sitter_cpp(); }
  std::string_view tags_query() const override { return kTagsScm; }
  std::string_view edges_query() const override { return kEdgesScm; }

  bool IsTest(std::string_view kind, std::string_view name, std::string_view path) const override {
    if (c_family::IsTestPath(path)) return true;
    if (kind == "file") return false;
    return name == "TEST" || name == "TEST_F" || name == "TEST_P" || name == "TYPED_TEST" ||
           name == "TYPED_TEST_P";
  }
};

}  // namespace

const Language& GetLanguage() {
  static const CppLanguage kLanguage;
  return kLanguage;
}

}  // namespace kg::ingest::languages::cpp

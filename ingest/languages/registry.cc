#include "ingest/languages/registry.h"

namespace kg::ingest::languages {

namespace python {
const Language& GetLanguage();
}  // namespace python
namespace go {
const Language& GetLanguage();
}  // namespace go
namespace c {
const Language& GetLanguage();
}  // namespace c
namespace cpp {
const Language& GetLanguage();
}  // namespace cpp
namespace rust {
const Language& GetLanguage();
}  // namespace rust
namespace javascript {
const Language& GetLanguage();
}  // namespace javascript
namespace java {
const Language& GetLanguage();
}  // namespace java
namespace typescript {
const Language& GetLanguage();
const Language& GetTsxLanguage();
}  // namespace typescript

const std::vector<const Language*>& AllLanguages() {
  static const std::vector<const Language*> kLanguages = {
      &python::GetLanguage(),         // languages/python/
      &go::GetLanguage(),             // languages/go/
      &c::GetLanguage(),              // languages/c/
      &cpp::GetLanguage(),            // languages/cpp/
      &rust::GetLanguage(),           // languages/rust/
      &javascript::GetLanguage(),     // languages/javascript/
      &java::GetLanguage(),           // languages/java/
      &typescript::GetLanguage(),     // languages/typescript/ (.ts)
      &typescript::GetTsxLanguage(),  // languages/typescript/ (.tsx, same queries)
  };
  return kLanguages;
}

const Language* LanguageForPath(std::string_view path) {
  for (const Language* lang : AllLanguages()) {
    for (std::string_view ext : lang->extensions()) {
      if (path.size() > ext.size() && path.ends_with(ext) &&
          path[path.size() - ext.size() - 1] != '/') {
        return lang;
      }
    }
  }
  return nullptr;
}

const Language* LanguageByName(std::string_view name) {
  for (const Language* lang : AllLanguages()) {
    if (lang->name() == name) return lang;
  }
  return nullptr;
}

}  // namespace kg::ingest::languages

#include "ingest/languages/registry.h"

namespace kg::ingest::languages {

namespace python {
const Language& GetLanguage();
}  // namespace python

const std::vector<const Language*>& AllLanguages() {
  static const std::vector<const Language*> kLanguages = {
      &python::GetLanguage(),  // languages/python/
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

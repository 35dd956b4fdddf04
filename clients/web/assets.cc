#include "clients/web/assets.h"

namespace kg::clients::web {

// Defined in the sources generated from the files (clients/CMakeLists.txt).
extern const std::string_view kIndexHtml;
extern const std::string_view kAppJs;
extern const std::string_view kStyleCss;

const std::vector<Asset>& Assets() {
  static const std::vector<Asset> kAssets = {
      {"index.html", "text/html; charset=utf-8", kIndexHtml},
      {"app.js", "text/javascript; charset=utf-8", kAppJs},
      {"style.css", "text/css; charset=utf-8", kStyleCss},
  };
  return kAssets;
}

const Asset* FindAsset(std::string_view name) {
  for (const Asset& a : Assets()) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

}  // namespace kg::clients::web

#pragma once
// The web explorer's files (clients/web/*.html, .js, .css), embedded into the binary at build
// time so codekgd serves them without reading the source tree. Pure data; thread-safe.

#include <string_view>
#include <vector>

namespace kg::clients::web {

struct Asset {
  std::string_view name;          // file name, e.g. "app.js"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view body;
};

// Every asset; "index.html" first.
const std::vector<Asset>& Assets();

// The asset called `name`, or nullptr.
const Asset* FindAsset(std::string_view name);

}  // namespace kg::clients::web

// libFuzzer target: the Python extractor (tree-sitter parse + tags/edges query + capture
// mapping, ingest/extractor.h) over arbitrary bytes, as ingest would see any .py file.
// Invariants: Extract() succeeds (syntax errors are facts, not failures) and every definition's
// byte range lies inside the text with start <= end.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ingest/extractor.h"
#include "ingest/languages/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const kg::ingest::Extractor* extractor = [] {
    const auto* python = kg::ingest::languages::LanguageByName("python");
    if (python == nullptr) std::abort();
    auto e = kg::ingest::Extractor::ForLanguage(*python);
    if (!e.ok()) std::abort();
    return *e;
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto facts = extractor->Extract("pkg/fuzz.py", text, {"pkg.fuzz", false});
  if (!facts.ok()) std::abort();
  for (const auto& d : facts->definitions) {
    if (d.start_byte > d.end_byte || d.end_byte > size) std::abort();
  }
  return 0;
}

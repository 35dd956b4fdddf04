#pragma once
// Small text helpers shared by the walks: template filling and Markdown-ish naming.
// Pure functions; thread-safe.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "synth/prng.h"

namespace kg::synth {

using TemplateVars = std::vector<std::pair<std::string_view, std::string>>;

// Replaces {name} placeholders found in `vars`; anything else is copied as written.
inline std::string FillTemplate(std::string_view text, const TemplateVars& vars) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      size_t close = text.find('}', i);
      if (close != std::string_view::npos) {
        std::string_view name = text.substr(i + 1, close - i - 1);
        auto it =
            std::find_if(vars.begin(), vars.end(), [&](const auto& v) { return v.first == name; });
        if (it != vars.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

// "`s`".
inline std::string CodeSpan(std::string_view s) { return "`" + std::string(s) + "`"; }

// "`name` (in `path`)", or "`name`" without a path.
inline std::string NameInFile(std::string_view name, std::string_view path) {
  if (path.empty() || path == name) return CodeSpan(name);
  return CodeSpan(name) + " (in " + CodeSpan(path) + ")";
}

// Sorted, distinct.
inline std::vector<std::string> SortedUnique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Picks one of `n` wordings for (seed, key).
inline size_t PickWording(uint64_t seed, std::string_view key, size_t n) {
  return static_cast<size_t>(SeededHash(seed, key) % n);
}

}  // namespace kg::synth

// Default Language hooks shared by most languages.

#include "ingest/languages/language.h"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace kg::ingest::languages {
namespace {

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f'; });
}

std::string_view StripLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::string_view StripRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Removes one comment marker at the start of `raw_line`, and the space after it; a line inside a
// block comment without a leading '*' keeps its indentation. `in_block` tracks /* ... */ blocks
// across lines.
std::string_view StripMarker(std::string_view raw_line, bool* in_block) {
  std::string_view line = StripLeft(raw_line);
  auto drop = [&line](size_t n) {
    line.remove_prefix(n);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  };
  if (*in_block) {
    if (line.starts_with("*/")) {
      line.remove_prefix(2);
    } else if (line.starts_with("*")) {
      drop(1);
    } else {
      line = raw_line;  // relative indentation is kept
    }
  } else if (line.starts_with("/**") || line.starts_with("/*!")) {
    *in_block = true;
    line.remove_prefix(3);
    while (line.starts_with("*") && !line.starts_with("*/")) line.remove_prefix(1);  // /*****
    if (!line.empty() && line.front() == '<') line.remove_prefix(1);                 // Doxygen /**<
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  } else if (line.starts_with("/*")) {
    *in_block = true;
    drop(2);
  } else if (line.starts_with("///") || line.starts_with("//!")) {
    line.remove_prefix(3);
    if (!line.empty() && line.front() == '<') line.remove_prefix(1);  // Doxygen ///<
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  } else if (line.starts_with("//")) {
    drop(2);
  } else if (line.starts_with("#")) {
    size_t n = 0;
    while (n < line.size() && line[n] == '#') ++n;
    drop(n);
  }
  if (*in_block) {
    line = StripRight(line);
    if (line.ends_with("*/")) {
      *in_block = false;
      line.remove_suffix(2);
      while (!line.empty() && line.back() == '*') line.remove_suffix(1);  // *****/
    }
  }
  return line;
}

}  // namespace

std::optional<std::string> Language::CleanDocComment(std::string_view raw) const {
  std::vector<std::string_view> lines;
  bool in_block = false;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find('\n', start);
    if (end == std::string_view::npos) end = raw.size();
    lines.push_back(StripRight(StripMarker(raw.substr(start, end - start), &in_block)));
    start = end + 1;
  }
  // Common indentation of the lines after the first (the first starts right after its marker).
  if (!lines.empty()) lines[0] = StripLeft(lines[0]);
  size_t margin = std::string_view::npos;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (IsBlank(lines[i])) continue;
    margin = std::min(margin, lines[i].size() - StripLeft(lines[i]).size());
  }
  while (!lines.empty() && IsBlank(lines.back())) lines.pop_back();
  size_t first = 0;
  while (first < lines.size() && IsBlank(lines[first])) ++first;
  if (first == lines.size()) return std::nullopt;
  std::string out;
  for (size_t i = first; i < lines.size(); ++i) {
    if (i > first) out.push_back('\n');
    std::string_view l = lines[i];
    if (!IsBlank(l)) out.append(i == 0 ? l : l.substr(std::min(margin, l.size())));
  }
  return out;
}

}  // namespace kg::ingest::languages

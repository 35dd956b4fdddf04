#include "synth/code_text.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "synth/walk_query.h"

namespace kg::synth {
namespace {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

size_t Indent(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

bool Blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

std::string Join(const std::vector<std::string_view>& lines, size_t from, size_t shift_from,
                 size_t shift) {
  std::string out;
  for (size_t i = from; i < lines.size(); ++i) {
    std::string_view l = lines[i];
    if (i >= shift_from && !Blank(l)) l.remove_prefix(std::min(shift, Indent(l)));
    if (Blank(l)) l = {};
    if (i > from) out.push_back('\n');
    out.append(l);
  }
  return out;
}

}  // namespace

Result<std::map<std::string, std::string>> FileImports(const WalkContext& context) {
  KG_ASSIGN_OR_RETURN(query::QueryResult r,
                      context.Query("MATCH (f:File)-[r:IMPORTS]->(t) "
                                    "RETURN f.path, r.line, r.module, r.symbol, r.alias"));
  std::map<std::string, std::set<std::tuple<int64_t, std::string>>> by_file;
  for (const ValueList& row : r.rows) {
    std::string path = CellString(row[0]), module = CellString(row[2]);
    std::string symbol = CellString(row[3]), alias = CellString(row[4]);
    if (path.empty() || module.empty() || symbol == "*") continue;
    std::string stmt = symbol.empty() ? "import " + module : "from " + module + " import " + symbol;
    if (!alias.empty()) stmt += " as " + alias;
    by_file[path].insert({CellInt(row[1]).value_or(0), stmt});
  }
  std::map<std::string, std::string> out;
  for (const auto& [path, stmts] : by_file) {
    std::string text;
    for (const auto& [line, stmt] : stmts) text += stmt + "\n";
    out[path] = std::move(text);
  }
  return out;
}

std::string DedentBody(std::string_view code, size_t body_indent) {
  std::vector<std::string_view> lines = SplitLines(code);
  size_t min_indent = SIZE_MAX;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (!Blank(lines[i])) min_indent = std::min(min_indent, Indent(lines[i]));
  }
  size_t shift = min_indent == SIZE_MAX || min_indent < body_indent ? 0 : min_indent - body_indent;
  return Join(lines, 0, 1, shift);
}

std::string Dedent(std::string_view code) {
  std::vector<std::string_view> lines = SplitLines(code);
  size_t min_indent = SIZE_MAX;
  for (auto l : lines) {
    if (!Blank(l)) min_indent = std::min(min_indent, Indent(l));
  }
  return Join(lines, 0, 0, min_indent == SIZE_MAX ? 0 : min_indent);
}

std::string LineRange(std::string_view text, int64_t first, int64_t last) {
  std::vector<std::string_view> lines = SplitLines(text);
  if (lines.empty()) return "";
  int64_t n = static_cast<int64_t>(lines.size());
  first = std::clamp<int64_t>(first, 0, n - 1);
  last = std::clamp<int64_t>(last, first, n - 1);
  std::string out;
  for (int64_t i = first; i <= last; ++i) {
    if (i > first) out.push_back('\n');
    out.append(lines[static_cast<size_t>(i)]);
  }
  return out;
}

}  // namespace kg::synth

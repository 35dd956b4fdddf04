#include "bench/languages/score.h"

#include <algorithm>
#include <tuple>

namespace kg::bench::languages {

namespace {

struct KindRule {
  std::string_view kind;
  std::string_view klass;
  bool top_level_only = false;  // excluded when scoped in a function or method
};

const std::vector<KindRule>* RulesFor(std::string_view language) {
  static const std::map<std::string_view, std::vector<KindRule>> kRules = {
      {"Go",
       {{"struct", "type"},
        {"interface", "type"},
        {"type", "type"},
        {"func", "callable"},
        {"methodSpec", "callable"},
        {"member", "field"},
        {"var", "variable", true},
        {"const", "variable", true}}},
      {"C",
       {{"struct", "type"},
        {"union", "type"},
        {"enum", "type"},
        {"function", "callable"},
        {"member", "field"},
        {"variable", "variable", true}}},
      {"C++",
       {{"class", "type"},
        {"struct", "type"},
        {"union", "type"},
        {"enum", "type"},
        {"function", "callable"},
        {"member", "field"},
        {"variable", "variable", true}}},
      {"Rust",
       {{"struct", "type"},
        {"enum", "type"},
        {"interface", "type"},
        {"function", "callable"},
        {"method", "callable"},
        {"field", "field"},
        {"variable", "variable", true}}},
      {"JavaScript",
       {{"class", "type"},
        {"function", "callable"},
        {"generator", "callable"},
        {"method", "callable"},
        {"getter", "callable"},
        {"setter", "callable"},
        {"field", "field"},
        {"variable", "variable", true},
        {"constant", "variable", true}}},
      {"TypeScript",
       {{"class", "type"},
        {"interface", "type"},
        {"enum", "type"},
        {"function", "callable"},
        {"generator", "callable"},
        {"method", "callable"},
        {"property", "field"},
        {"variable", "variable", true},
        {"constant", "variable", true}}},
      {"Java",
       {{"class", "type"},
        {"interface", "type"},
        {"enum", "type"},
        {"annotation", "type"},
        {"method", "callable"},
        {"field", "field"}}},
  };
  auto it = kRules.find(language);
  return it == kRules.end() ? nullptr : &it->second;
}

bool InFunction(std::string_view scope_kind) {
  return scope_kind == "function" || scope_kind == "method" || scope_kind == "func" ||
         scope_kind == "generator" || scope_kind == "getter" || scope_kind == "setter";
}

}  // namespace

std::string CtagsClass(std::string_view ctags_language, std::string_view kind,
                       std::string_view name, std::string_view typeref,
                       std::string_view scope_kind) {
  if (name.starts_with("__anon") || name.empty()) return "";
  if ((ctags_language == "C" || ctags_language == "C++") && kind == "typedef") {
    // `typedef struct {...} T;` names the anonymous type T.
    for (std::string_view k : {"struct:", "union:", "enum:", "class:"}) {
      if (typeref.starts_with(k) && typeref.find("__anon") != std::string_view::npos) {
        return "type";
      }
    }
    return "";
  }
  const std::vector<KindRule>* rules = RulesFor(ctags_language);
  if (rules == nullptr) return "";
  for (const KindRule& r : *rules) {
    if (r.kind != kind) continue;
    if (r.top_level_only && InFunction(scope_kind)) return "";
    return std::string(r.klass);
  }
  return "";
}

std::string CodekgClass(std::string_view label) {
  if (label == "Class") return "type";
  if (label == "Function" || label == "Method") return "callable";
  if (label == "Field") return "field";
  if (label == "Variable") return "variable";
  return "";
}

ScoreResult Score(std::vector<Tag> ctags, std::vector<Tag> codekg) {
  auto key = [](const Tag& t) { return std::tie(t.path, t.name, t.klass, t.line); };
  auto by_key = [&](const Tag& a, const Tag& b) { return key(a) < key(b); };
  std::sort(ctags.begin(), ctags.end(), by_key);
  std::sort(codekg.begin(), codekg.end(), by_key);
  ScoreResult result;
  for (const Tag& t : ctags) {
    ++result.total.ctags;
    ++result.by_class[t.klass].ctags;
  }
  for (const Tag& t : codekg) {
    ++result.total.codekg;
    ++result.by_class[t.klass].codekg;
  }
  std::vector<bool> used(codekg.size(), false);
  // Candidates share (path, name, klass): a contiguous run of `codekg` per ctags tag.
  size_t run = 0;
  for (const Tag& t : ctags) {
    auto group = [](const Tag& x) { return std::tie(x.path, x.name, x.klass); };
    while (run < codekg.size() && group(codekg[run]) < group(t)) ++run;
    int best = -1;
    for (size_t i = run; i < codekg.size() && group(codekg[i]) == group(t); ++i) {
      const Tag& c = codekg[i];
      if (used[i] || t.line < c.line || t.line > std::max(c.line, c.end_line)) continue;
      if (best < 0 || t.line - c.line < t.line - codekg[best].line) best = static_cast<int>(i);
    }
    if (best < 0) {
      result.missed.push_back(t);
      continue;
    }
    used[best] = true;
    ++result.total.matched;
    ++result.by_class[t.klass].matched;
  }
  for (size_t i = 0; i < codekg.size(); ++i) {
    if (!used[i]) result.extra.push_back(codekg[i]);
  }
  return result;
}

}  // namespace kg::bench::languages

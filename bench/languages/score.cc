#include "bench/languages/score.h"

#include <algorithm>
#include <regex>
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

bool IsScript(std::string_view language) {
  return language == "JavaScript" || language == "TypeScript";
}

// The source line of a ctags pattern `/^...$/`.
std::string_view PatternLine(std::string_view pattern) {
  if (pattern.starts_with("/^")) pattern.remove_prefix(2);
  if (pattern.ends_with("$/")) {
    pattern.remove_suffix(2);
  } else if (pattern.ends_with("/")) {
    pattern.remove_suffix(1);  // ctags cuts long lines without `$`
  }
  return pattern;
}

std::string RegexEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

bool Search(std::string_view line, const std::string& re) {
  return std::regex_search(line.begin(), line.end(), std::regex(re));
}

std::string Qualified(const CtagsFields& t) {
  return t.scope.empty() ? std::string(t.name) : std::string(t.scope) + "." + std::string(t.name);
}

// "protodata": `F.prototype.m = <value>` where the value on the line is not a function.
bool IsPrototypeData(const CtagsFields& t) {
  std::string_view line = PatternLine(t.pattern);
  std::string head = ".prototype." + std::string(t.name);
  size_t at = line.find(head);
  if (at == std::string_view::npos) return false;
  std::string_view rest = line.substr(at + head.size());
  static const std::regex kAssign(R"(^\s*=\s*)");
  static const std::regex kChained(R"(^[\w$.]+\s*=\s*)");  // `= G.prototype.n = function`
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(rest.begin(), rest.end(), m, kAssign)) return false;
  rest.remove_prefix(m.length(0));
  while (std::regex_search(rest.begin(), rest.end(), m, kChained)) rest.remove_prefix(m.length(0));
  if (rest.empty()) return false;  // the value is on the next line
  return !(rest.starts_with("function") || rest.starts_with("async") || rest.starts_with("(") ||
           rest.find("=>") != std::string_view::npos);
}

}  // namespace

std::string ObjectLiteralScope(const CtagsFields& t) {
  if (t.language != "JavaScript" || t.kind != "class") return "";
  std::string_view line = PatternLine(t.pattern);
  if (Search(line, R"(\bclass\b)")) return "";
  std::string name = RegexEscape(t.name);
  if (!Search(line, "(^|[^\\w$])" + name + R"(\s*[:=]\s*\{)")) return "";
  return Qualified(t);
}

CtagsClasses CtagsClass(const CtagsFields& t,
                        const std::vector<std::string>& object_literal_scopes) {
  std::string_view name = t.name;
  if (name.starts_with("__anon") || name.empty()) return {};
  if (IsScript(t.language) && name.starts_with("AnonymousFunction")) return {};  // "anon"
  if ((t.language == "C" || t.language == "C++") && t.kind == "typedef") {
    // `typedef struct {...} T;` names the anonymous type T.
    for (std::string_view k : {"struct:", "union:", "enum:", "class:"}) {
      if (t.typeref.starts_with(k) && t.typeref.find("__anon") != std::string_view::npos) {
        return {"type", ""};
      }
    }
    return {};
  }
  if (t.language == "JavaScript") {
    for (const std::string& ols : object_literal_scopes) {  // "pseudo": object literal keys
      if (t.scope == ols ||
          (t.scope.starts_with(ols) && t.scope.size() > ols.size() && t.scope[ols.size()] == '.')) {
        return {};
      }
    }
    if (t.kind == "class") {
      std::string_view line = PatternLine(t.pattern);
      if (!Search(line, R"(\bclass\b)")) {  // "pseudo"
        if (Search(line, "\\bfunction\\s*\\*?\\s*" + RegexEscape(name) + "\\s*\\(")) {
          return {"callable", ""};
        }
        if (!ObjectLiteralScope(t).empty() && t.scope.empty()) return {"variable", ""};
        return {};
      }
    }
    if (t.kind == "method" && IsPrototypeData(t)) return {};  // "protodata"
  }
  const std::vector<KindRule>* rules = RulesFor(t.language);
  if (rules == nullptr) return {};
  for (const KindRule& r : *rules) {
    if (r.kind != t.kind) continue;
    if (r.top_level_only && InFunction(t.scope_kind)) return {};
    CtagsClasses c{std::string(r.klass), ""};
    if (IsScript(t.language) && c.klass == "variable") c.alt_klass = "callable";  // "binding"
    return c;
  }
  return {};
}

bool UnscoredCodekgDefinition(std::string_view ctags_language, std::string_view signature,
                              std::string_view parent_label) {
  if (!IsScript(ctags_language)) return false;
  if (ctags_language == "TypeScript" && (parent_label == "Function" || parent_label == "Method")) {
    return true;  // "nested fn"
  }
  static const std::regex kArrowMember(
      R"(^\s*[\w$]+(\.[\w$]+)+\s*=\s*(async\s*)?(\([^)]*\)|[\w$]+)\s*=>)");
  return std::regex_search(signature.begin(), signature.end(), kArrowMember);
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
  auto group = [](const Tag& x) { return std::tie(x.path, x.name, x.klass); };
  // The unused codekg definition of (t.path, t.name, klass) whose span holds t.line, nearest
  // start first; -1 when none.
  auto find = [&](const Tag& t, const std::string& klass) {
    Tag probe{t.path, t.name, klass, "", 0, 0};
    auto it = std::lower_bound(codekg.begin(), codekg.end(), probe,
                               [&](const Tag& a, const Tag& b) { return group(a) < group(b); });
    int best = -1;
    for (size_t i = it - codekg.begin(); i < codekg.size() && group(codekg[i]) == group(probe);
         ++i) {
      const Tag& c = codekg[i];
      if (used[i] || t.line < c.line || t.line > std::max(c.line, c.end_line)) continue;
      if (best < 0 || t.line - c.line < t.line - codekg[best].line) best = static_cast<int>(i);
    }
    return best;
  };
  // Own-class matches first, so that an alternative match never takes a definition another
  // tag matches in its own class.
  std::vector<const Tag*> unmatched;
  for (const Tag& t : ctags) {
    int best = find(t, t.klass);
    if (best < 0) {
      unmatched.push_back(&t);
      continue;
    }
    used[best] = true;
    ++result.total.matched;
    ++result.by_class[t.klass].matched;
  }
  for (const Tag* t : unmatched) {
    int best = t->alt_klass.empty() ? -1 : find(*t, t->alt_klass);
    if (best < 0) {
      result.missed.push_back(*t);
      continue;
    }
    used[best] = true;
    ++result.total.matched;
    ++result.by_class[t->klass].matched;
  }
  for (size_t i = 0; i < codekg.size(); ++i) {
    if (!used[i]) result.extra.push_back(codekg[i]);
  }
  return result;
}

uint64_t UnscoreExtrasIn(const std::map<std::string, std::vector<std::pair<int, int>>>& ranges,
                         ScoreResult* result) {
  uint64_t dropped = 0;
  std::vector<Tag> kept;
  for (Tag& t : result->extra) {
    auto it = ranges.find(t.path);
    bool inside = false;
    if (it != ranges.end()) {
      for (const auto& [first, last] : it->second)
        inside = inside || (t.line >= first && t.line <= last);
    }
    if (!inside) {
      kept.push_back(std::move(t));
      continue;
    }
    ++dropped;
    --result->total.codekg;
    --result->by_class[t.klass].codekg;
  }
  result->extra = std::move(kept);
  return dropped;
}

}  // namespace kg::bench::languages

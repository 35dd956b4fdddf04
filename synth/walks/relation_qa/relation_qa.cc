#include "synth/walks/relation_qa/relation_qa.h"

#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "synth/prng.h"
#include "synth/walk_query.h"
#include "synth/walks/relation_qa/templates.h"

namespace kg::synth::relation_qa {

const std::string_view kInheritsQuery =
    "MATCH (c:Class)-[r:INHERITS]->(b) "
    "RETURN c.qualified_name, c.path, b.qualified_name, b.name, b.path, labels(b), r.index "
    "ORDER BY c.qualified_name, r.index";

const std::string_view kMethodsQuery =
    "MATCH (c:Class)-[:HAS_METHOD]->(m:Method) "
    "RETURN c.qualified_name, c.path, m.name, m.signature, m.docstring, m.start_line, "
    "m.decorators "
    "ORDER BY c.qualified_name, m.name";

namespace {

// A class (or an External base) as the walk names it.
struct ClassRef {
  std::string qualified_name;
  std::string path;  // empty for externals
  bool external = false;

  // Node-id style key: `path:Qualified.Name`, or `external:name`.
  std::string Key() const {
    return external ? "external:" + qualified_name : path + ":" + qualified_name;
  }
  bool operator<(const ClassRef& o) const {
    return std::tie(qualified_name, path, external) <
           std::tie(o.qualified_name, o.path, o.external);
  }
  bool operator==(const ClassRef& o) const {
    return qualified_name == o.qualified_name && path == o.path && external == o.external;
  }
};

struct MethodRef {
  std::string name;
  std::string signature;   // display form, see DisplaySignature()
  std::string summary;     // first docstring line, may be empty
  std::string decorators;  // "`@staticmethod` " etc., or empty
  int64_t start_line = std::numeric_limits<int64_t>::max();
};

using Vars = std::vector<std::pair<std::string_view, std::string>>;

// Replaces {name} placeholders found in `vars`; anything else is copied as written.
std::string Fill(std::string_view text, const Vars& vars) {
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

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// The signature as shown in answers: `name(params) -> ret`, without `def` and the colon.
std::string DisplaySignature(const std::string& name, std::string_view raw) {
  std::string s = Trim(raw);
  while (!s.empty() && s.back() == ':') s.pop_back();
  s = Trim(s);
  std::string prefix;
  if (StartsWith(s, "async def ")) {
    prefix = "async ";
    s = Trim(s.substr(10));
  } else if (StartsWith(s, "def ")) {
    s = Trim(s.substr(4));
  }
  if (s.empty()) return prefix + name;
  if (s[0] == '(') return prefix + name + s;
  return prefix + s;
}

// First non-empty line of a docstring, without string quotes.
std::string DocSummary(std::string_view raw) {
  std::string s = Trim(raw);
  size_t p = 0;
  while (p < s.size() && std::string_view("rRuUbBfF").find(s[p]) != std::string_view::npos) ++p;
  if (p < s.size() && (s[p] == '"' || s[p] == '\'')) {
    s = s.substr(p);
    for (std::string_view q : {"\"\"\"", "'''", "\"", "'"}) {
      if (StartsWith(s, q)) {
        s = s.substr(q.size());
        if (s.size() >= q.size() && s.compare(s.size() - q.size(), q.size(), q) == 0) {
          s.resize(s.size() - q.size());
        }
        break;
      }
    }
  }
  size_t start = 0;
  while (start <= s.size()) {
    size_t nl = s.find('\n', start);
    std::string line = Trim(std::string_view(s).substr(
        start, nl == std::string::npos ? std::string::npos : nl - start));
    if (!line.empty()) return line;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return "";
}

// Decorators as written (without '@'), each as a code span followed by a space:
// ["staticmethod"] -> "`@staticmethod` ". Empty for none.
std::string DisplayDecorators(const Value& cell) {
  std::string out;
  auto add = [&](const Value& v) {
    if (v.is_string() && !v.as_string().empty()) out += "`@" + v.as_string() + "` ";
  };
  if (cell.is_list()) {
    for (const auto& v : cell.as_list()) add(v);
  } else {
    add(cell);
  }
  return out;
}

// "a", "a and b", "a, b and c".
std::string JoinAnd(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? " and " : ", ";
    out += items[i];
  }
  return out;
}

std::string Code(std::string_view s) { return "`" + std::string(s) + "`"; }

// "`Shape` (defined in `shop/base.py`)" or "`Exception` (external, not defined in this codebase)".
std::string DescribeBase(const ClassRef& b) {
  if (b.external) return Code(b.qualified_name) + " (external, not defined in this codebase)";
  return Code(b.qualified_name) + " (defined in " + Code(b.path) + ")";
}

std::string ClassInFile(const ClassRef& c) {
  return Code(c.qualified_name) + " (in " + Code(c.path) + ")";
}

TrainingPair MakePair(const DirectionTemplates& t, const std::string& subject, uint64_t seed,
                      const Vars& vars, std::string output) {
  std::string key = std::string(t.relation) + "|" + std::string(t.direction) + "|" + subject;
  const Wording& w = t.wordings[SeededHash(seed, key) % t.wordings.size()];
  TrainingPair p;
  p.instruction = Fill(w.instruction, vars);
  p.input = Fill(w.input, vars);
  p.output = std::move(output);
  p.relation = std::string(t.relation);
  p.direction = std::string(t.direction);
  p.subject = subject;
  return p;
}

Status InheritsPairs(storage::GraphStore& store, std::string_view graph, uint64_t seed,
                     std::vector<TrainingPair>* out) {
  KG_ASSIGN_OR_RETURN(query::QueryResult r, RunWalkQuery(store, graph, kInheritsQuery));
  if (r.columns.size() != 7) return Status::Internal("relation_qa: unexpected INHERITS columns");
  // class -> (index, base); base -> subclasses.
  std::map<ClassRef, std::vector<std::pair<int64_t, ClassRef>>> bases;
  std::map<ClassRef, std::vector<ClassRef>> subclasses;
  for (const ValueList& row : r.rows) {
    ClassRef c{CellString(row[0]), CellString(row[1]), false};
    ClassRef b;
    b.qualified_name = CellString(row[2]);
    if (b.qualified_name.empty()) b.qualified_name = CellString(row[3]);
    b.path = CellString(row[4]);
    b.external = CellHasLabel(row[5], "External") || b.path.empty();
    if (b.external) b.path.clear();
    if (c.qualified_name.empty() || b.qualified_name.empty()) continue;
    int64_t index = CellInt(row[6]).value_or(std::numeric_limits<int64_t>::max());
    auto& bs = bases[c];
    if (std::none_of(bs.begin(), bs.end(), [&](const auto& x) { return x.second == b; })) {
      bs.emplace_back(index, b);
    }
    auto& ss = subclasses[b];
    if (std::find(ss.begin(), ss.end(), c) == ss.end()) ss.push_back(c);
  }

  for (auto& [c, bs] : bases) {
    std::stable_sort(bs.begin(), bs.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::string> names;
    for (const auto& [index, b] : bs) names.push_back(DescribeBase(b));
    std::string output = ClassInFile(c) + " inherits directly from ";
    if (bs.size() == 1) {
      output += names[0] + ".";
    } else {
      output += std::to_string(bs.size()) + " classes, in this order: " + JoinAnd(names) + ".";
    }
    Vars vars = {{"graph", std::string(graph)}, {"class", c.qualified_name}, {"path", c.path}};
    out->push_back(MakePair(kBasesTemplates, c.Key(), seed, vars, std::move(output)));
  }

  for (auto& [b, ss] : subclasses) {
    std::sort(ss.begin(), ss.end());
    std::vector<std::string> names;
    for (const auto& c : ss) names.push_back(ClassInFile(c));
    std::string base_ref = b.external
                               ? "the external class " + Code(b.qualified_name)
                               : Code(b.qualified_name) + " (defined in " + Code(b.path) + ")";
    std::string output;
    if (ss.size() == 1) {
      output = "One class inherits directly from " + DescribeBase(b) + ": " + names[0] + ".";
    } else {
      output = std::to_string(ss.size()) + " classes inherit directly from " + DescribeBase(b) +
               ": " + JoinAnd(names) + ".";
    }
    Vars vars = {{"graph", std::string(graph)}, {"base_ref", base_ref}};
    out->push_back(MakePair(kSubclassesTemplates, b.Key(), seed, vars, std::move(output)));
  }
  return Status::OK();
}

std::string MethodLine(const MethodRef& m) {
  std::string line = "- " + m.decorators + Code(m.signature);
  if (!m.summary.empty()) line += ": " + m.summary;
  return line;
}

Status MethodPairs(storage::GraphStore& store, std::string_view graph, uint64_t seed,
                   std::vector<TrainingPair>* out) {
  KG_ASSIGN_OR_RETURN(query::QueryResult r, RunWalkQuery(store, graph, kMethodsQuery));
  if (r.columns.size() != 7) return Status::Internal("relation_qa: unexpected HAS_METHOD columns");
  std::map<ClassRef, std::vector<MethodRef>> methods;
  std::map<std::string, std::vector<std::pair<ClassRef, MethodRef>>> definers;
  for (const ValueList& row : r.rows) {
    ClassRef c{CellString(row[0]), CellString(row[1]), false};
    MethodRef m;
    m.name = CellString(row[2]);
    if (c.qualified_name.empty() || m.name.empty()) continue;
    m.signature = DisplaySignature(m.name, CellString(row[3]));
    m.summary = DocSummary(CellString(row[4]));
    m.start_line = CellInt(row[5]).value_or(std::numeric_limits<int64_t>::max());
    m.decorators = DisplayDecorators(row[6]);
    auto& ms = methods[c];
    if (std::none_of(ms.begin(), ms.end(), [&](const MethodRef& x) {
          return x.name == m.name && x.signature == m.signature;
        })) {
      ms.push_back(m);
      definers[m.name].emplace_back(c, m);
    }
  }

  for (auto& [c, ms] : methods) {
    std::stable_sort(ms.begin(), ms.end(), [](const MethodRef& x, const MethodRef& y) {
      return std::tie(x.start_line, x.name) < std::tie(y.start_line, y.name);
    });
    std::string output =
        ClassInFile(c) + " defines " +
        (ms.size() == 1 ? std::string("one method") : std::to_string(ms.size()) + " methods") + ":";
    for (const auto& m : ms) output += "\n" + MethodLine(m);
    Vars vars = {{"graph", std::string(graph)}, {"class", c.qualified_name}, {"path", c.path}};
    out->push_back(MakePair(kMethodsTemplates, c.Key(), seed, vars, std::move(output)));
  }

  for (auto& [name, ds] : definers) {
    std::stable_sort(ds.begin(), ds.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    std::string output;
    if (ds.size() == 1) {
      output = "The method " + Code(name) + " is defined in class " + ClassInFile(ds[0].first) +
               " with the signature " + ds[0].second.decorators + Code(ds[0].second.signature) +
               ".";
    } else {
      output = "A method named " + Code(name) + " is defined in " + std::to_string(ds.size()) +
               " classes:";
      for (const auto& [c, m] : ds) {
        output += "\n- " + ClassInFile(c) + ": " + m.decorators + Code(m.signature);
      }
    }
    Vars vars = {{"graph", std::string(graph)}, {"method", name}};
    out->push_back(MakePair(kDefiningClassTemplates, name, seed, vars, std::move(output)));
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<TrainingPair>> Walk(storage::GraphStore& store, std::string_view graph,
                                       uint64_t seed) {
  std::vector<TrainingPair> pairs;
  KG_RETURN_IF_ERROR(InheritsPairs(store, graph, seed, &pairs));
  KG_RETURN_IF_ERROR(MethodPairs(store, graph, seed, &pairs));
  return pairs;
}

}  // namespace kg::synth::relation_qa

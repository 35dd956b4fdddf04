#include "synth/walks/relation_qa/relation_qa.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <span>
#include <string>
#include <tuple>
#include <utility>

#include "synth/prng.h"
#include "synth/text.h"
#include "synth/walk_query.h"
#include "synth/walks/relation_qa/templates.h"

namespace kg::synth::relation_qa {

const std::string_view kInheritsQuery =
    "MATCH (c:Class)-[r:INHERITS]->(b) "
    "RETURN c.qualified_name, c.path, b.qualified_name, b.name, b.path, labels(b), r.index, "
    "id(c), id(b) "
    "ORDER BY c.qualified_name, r.index";

const std::string_view kMethodsQuery =
    "MATCH (c:Class)-[:HAS_METHOD]->(m:Method) "
    "RETURN c.qualified_name, c.path, m.name, m.signature, m.docstring, m.start_line, "
    "m.decorators, id(c) "
    "ORDER BY c.qualified_name, m.name";

// Every generic edge type in one scan ({types} = "CALLS|IMPORTS|..."): one engine call instead
// of one per type; rows are grouped by type(r) in the walk.
const std::string_view kEdgeQueryTemplate =
    "MATCH (a)-[r:{types}]->(b) "
    "RETURN id(a), coalesce(a.qualified_name, a.name, a.path), a.path, labels(a), "
    "id(b), coalesce(b.qualified_name, b.name, b.path), b.path, labels(b), type(r)";

const std::string_view kNamesQuery =
    "MATCH (n) RETURN DISTINCT coalesce(n.qualified_name, n.name, n.path), n.name";

namespace {

// A class (or an External base) as the walk names it.
struct ClassRef {
  std::string qualified_name;
  std::string path;  // empty for externals
  bool external = false;
  std::string id;  // node id (not part of the identity)

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

// A positive record about `key` that gets one negative: a target (forward) or source
// (backward) of `relation` that the subject is NOT related to.
struct NegativeSeed {
  std::string relation;                // edge type
  std::string key;                     // meta.subject of the positive
  std::string id;                      // node id of the subject
  std::string display;                 // subject name as shown
  std::string path;                    // subject's file
  std::string label;                   // subject's label
  std::vector<std::string> positives;  // sorted names the subject IS related to
  bool forward = true;                 // subject is the edge's source
  std::span<const Wording> wordings;   // placeholders {a} (source), {b} (target), {graph}
  std::string_view fact;               // "{a} does not ... {b}"
  std::string_view verb;               // "{subject} <verb> <positives>"
};

// Relation + "/fwd" -> distinct target names; + "/bwd" -> distinct source names.
using Pools = std::map<std::string, std::vector<std::string>>;

using Vars = TemplateVars;

// The walks' shared template filling (synth/text.h).
std::string Fill(std::string_view text, const Vars& vars) { return FillTemplate(text, vars); }

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

// Sorted, distinct.
std::vector<std::string> SortedSet(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
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

Status InheritsPairs(const WalkContext& ctx, std::vector<TrainingPair>* out,
                     std::vector<NegativeSeed>* negatives, Pools* pools) {
  const std::string_view graph = ctx.graph;
  const uint64_t seed = ctx.seed;
  KG_ASSIGN_OR_RETURN(query::QueryResult r, ctx.Query(kInheritsQuery));
  if (r.columns.size() != 9) return Status::Internal("relation_qa: unexpected INHERITS columns");
  // class -> (index, base); base -> subclasses.
  std::map<ClassRef, std::vector<std::pair<int64_t, ClassRef>>> bases;
  std::map<ClassRef, std::vector<ClassRef>> subclasses;
  for (const ValueList& row : r.rows) {
    ClassRef c{CellString(row[0]), CellString(row[1]), false, CellString(row[7])};
    ClassRef b;
    b.id = CellString(row[8]);
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
    TrainingPair p = MakePair(kBasesTemplates, c.Key(), seed, vars, std::move(output));
    p.path = c.path;
    p.label = "Class";
    p.verify_query = "MATCH (c:Class)-[:INHERITS]->(b) WHERE id(c) = " + CypherString(c.id) +
                     " RETURN DISTINCT coalesce(b.qualified_name, b.name)";
    std::vector<std::string> expect;
    for (const auto& [index, b] : bs) {
      expect.push_back(b.qualified_name);
      p.apis.push_back(b.qualified_name);
    }
    p.verify_expect = SortedSet(std::move(expect));
    if (negatives != nullptr) {
      negatives->push_back({"INHERITS", c.Key(), c.id, c.qualified_name, c.path, "Class",
                            p.verify_expect, true, kInheritsNeg,
                            "{a} does not inherit directly from {b}", "inherits directly from"});
    }
    out->push_back(std::move(p));
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
    TrainingPair p = MakePair(kSubclassesTemplates, b.Key(), seed, vars, std::move(output));
    p.path = b.path;
    p.label = b.external ? "External" : "Class";
    p.verify_query = "MATCH (c:Class)-[:INHERITS]->(b) WHERE id(b) = " + CypherString(b.id) +
                     " RETURN DISTINCT c.qualified_name";
    std::vector<std::string> expect;
    for (const auto& c : ss) expect.push_back(c.qualified_name);
    p.verify_expect = SortedSet(std::move(expect));
    p.apis.push_back(b.qualified_name);
    out->push_back(std::move(p));
  }
  std::vector<std::string> pool;
  for (const auto& [b, ss] : subclasses) pool.push_back(b.qualified_name);
  (*pools)["INHERITS/fwd"] = SortedSet(std::move(pool));
  return Status::OK();
}

std::string MethodLine(const MethodRef& m) {
  std::string line = "- " + m.decorators + Code(m.signature);
  if (!m.summary.empty()) line += ": " + m.summary;
  return line;
}

Status MethodPairs(const WalkContext& ctx, std::vector<TrainingPair>* out,
                   std::vector<NegativeSeed>* negatives, Pools* pools) {
  const std::string_view graph = ctx.graph;
  const uint64_t seed = ctx.seed;
  KG_ASSIGN_OR_RETURN(query::QueryResult r, ctx.Query(kMethodsQuery));
  if (r.columns.size() != 8) return Status::Internal("relation_qa: unexpected HAS_METHOD columns");
  std::map<ClassRef, std::vector<MethodRef>> methods;
  std::map<std::string, std::vector<std::pair<ClassRef, MethodRef>>> definers;
  for (const ValueList& row : r.rows) {
    ClassRef c{CellString(row[0]), CellString(row[1]), false, CellString(row[7])};
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
    TrainingPair p = MakePair(kMethodsTemplates, c.Key(), seed, vars, std::move(output));
    p.path = c.path;
    p.label = "Class";
    p.verify_query =
        "MATCH (c:Class)-[:HAS_METHOD]->(m:Method) WHERE id(c) = " + CypherString(c.id) +
        " RETURN DISTINCT m.name";
    std::vector<std::string> expect;
    for (const auto& m : ms) {
      expect.push_back(m.name);
      p.apis.push_back(c.qualified_name + "." + m.name);
    }
    p.verify_expect = SortedSet(std::move(expect));
    if (negatives != nullptr) {
      negatives->push_back({"HAS_METHOD", c.Key(), c.id, c.qualified_name, c.path, "Class",
                            p.verify_expect, true, kHasMethodNeg, "{a} defines no method named {b}",
                            "defines the methods"});
    }
    out->push_back(std::move(p));
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
    TrainingPair p = MakePair(kDefiningClassTemplates, name, seed, vars, std::move(output));
    p.label = "Method";
    if (ds.size() == 1) p.path = ds[0].first.path;
    p.verify_query =
        "MATCH (c:Class)-[:HAS_METHOD]->(m:Method) WHERE m.name = " + CypherString(name) +
        " RETURN DISTINCT c.qualified_name";
    std::vector<std::string> expect;
    for (const auto& [c, m] : ds) {
      expect.push_back(c.qualified_name);
      p.apis.push_back(c.qualified_name + "." + name);
    }
    p.verify_expect = SortedSet(std::move(expect));
    out->push_back(std::move(p));
  }
  std::vector<std::string> pool;
  for (const auto& [name, ds] : definers) pool.push_back(name);
  (*pools)["HAS_METHOD/fwd"] = SortedSet(std::move(pool));
  return Status::OK();
}

// An entity of a generic edge row.
struct Entity {
  std::string id, display, path, label;
  bool external = false;
};

std::string Describe(const Entity& e) {
  if (e.external) return Code(e.display) + " (external)";
  if (e.path.empty() || e.path == e.display) return Code(e.display);
  return Code(e.display) + " (in " + Code(e.path) + ")";
}

std::string TargetExpr(std::string_view relation, std::string_view var) {
  std::string v(var);
  if (relation == "HAS_METHOD") return v + ".name";
  return "coalesce(" + v + ".qualified_name, " + v + ".name, " + v + ".path)";
}

std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  size_t at = out.find(from);
  if (at != std::string::npos) out.replace(at, from.size(), to);
  return out;
}

// Rows of kEdgeQueryTemplate for one edge type.
using EdgeRows = std::vector<const ValueList*>;

Status EdgePairs(const WalkContext& ctx, const EdgeTemplates& t, const EdgeRows& rows,
                 std::vector<TrainingPair>* out, std::vector<NegativeSeed>* negatives,
                 Pools* pools) {
  std::map<std::string, Entity> entities;
  std::map<std::string, std::vector<std::string>> fwd, bwd;  // id -> ids
  size_t n = 0;
  for (const ValueList* row_ptr : rows) {
    const ValueList& row = *row_ptr;
    if ((++n & 1023) == 0 && ctx.IsCancelled()) return Status::Cancelled("cancelled");
    Entity a{CellString(row[0]), CellString(row[1]), CellString(row[2]), CellFirstLabel(row[3])};
    Entity b{CellString(row[4]), CellString(row[5]), CellString(row[6]), CellFirstLabel(row[7])};
    if (a.id.empty() || b.id.empty() || a.display.empty() || b.display.empty()) continue;
    a.external = CellHasLabel(row[3], "External");
    b.external = CellHasLabel(row[7], "External");
    fwd[a.id].push_back(b.id);
    bwd[b.id].push_back(a.id);
    entities.emplace(a.id, std::move(a));
    entities.emplace(b.id, std::move(b));
  }
  auto emit = [&](const std::map<std::string, std::vector<std::string>>& groups, bool forward) {
    DirectionTemplates dt{t.relation, forward ? t.forward_direction : t.backward_direction,
                          forward ? t.forward : t.backward};
    std::string_view verb = forward ? t.forward_verb : t.backward_verb;
    for (const auto& [sid, raw] : groups) {
      const Entity& s = entities.at(sid);
      std::vector<std::string> ids = SortedSet(raw);
      std::vector<const Entity*> others;
      for (const auto& id : ids) others.push_back(&entities.at(id));
      std::stable_sort(others.begin(), others.end(), [](const Entity* x, const Entity* y) {
        return std::tie(x->display, x->path) < std::tie(y->display, y->path);
      });
      std::string output = Describe(s) + " " + std::string(verb);
      if (others.size() == 1) {
        output += " " + Describe(*others[0]) + ".";
      } else {
        output += " " + std::to_string(others.size()) + " entities:";
        for (const Entity* o : others) output += "\n- " + Describe(*o);
      }
      Vars vars = {{"graph", std::string(ctx.graph)}, {"subject", Describe(s)}};
      TrainingPair p = MakePair(dt, sid, ctx.seed, vars, std::move(output));
      p.path = s.path;
      p.label = s.label;
      std::string self = forward ? "a" : "b", other = forward ? "b" : "a";
      p.verify_query = "MATCH (a)-[:" + std::string(t.relation) + "]->(b) WHERE id(" + self +
                       ") = " + CypherString(sid) + " RETURN DISTINCT " +
                       TargetExpr(t.relation, other);
      std::vector<std::string> expect;
      for (const Entity* o : others) {
        expect.push_back(o->display);
        if (!o->external) p.apis.push_back(o->display);
      }
      p.verify_expect = SortedSet(std::move(expect));
      if (negatives != nullptr) {
        negatives->push_back({std::string(t.relation), sid, sid, s.display, s.path, s.label,
                              p.verify_expect, forward, t.negative, t.negative_fact, verb});
      }
      out->push_back(std::move(p));
    }
  };
  emit(fwd, true);
  if (ctx.IsCancelled()) return Status::Cancelled("cancelled");
  emit(bwd, false);
  // Pools of real targets (forward negatives) and sources (backward negatives).
  if (negatives != nullptr) {
    std::vector<std::string> targets, sources;
    for (const auto& [id, v] : bwd) targets.push_back(entities.at(id).display);
    for (const auto& [id, v] : fwd) sources.push_back(entities.at(id).display);
    (*pools)[std::string(t.relation) + "/fwd"] = SortedSet(std::move(targets));
    (*pools)[std::string(t.relation) + "/bwd"] = SortedSet(std::move(sources));
  }
  return Status::OK();
}

// A near-miss of `name`: its last dotted component slightly misspelled. "" if none applies.
std::string NearMiss(const std::string& name, uint64_t h) {
  size_t dot = name.rfind('.');
  std::string head = dot == std::string::npos ? "" : name.substr(0, dot + 1);
  std::string tail = dot == std::string::npos ? name : name.substr(dot + 1);
  if (tail.size() < 3) return "";
  switch (h % 4) {
    case 0:
      tail += "s";
      break;
    case 1:
      tail.pop_back();
      break;
    case 2: {
      size_t i = 1 + (h >> 8) % (tail.size() - 2);
      std::swap(tail[i], tail[i + 1]);
      break;
    }
    default:
      tail = "get_" + tail;
      break;
  }
  std::string out = head + tail;
  return out == name ? "" : out;
}

// One negative per seed: a real unrelated entity from the pool, or a near-miss name that the
// graph confirms absent (not the name or qualified name of any node).
void NegativePairs(const WalkContext& ctx, const std::vector<NegativeSeed>& seeds,
                   const Pools& pools, const std::set<std::string>& names,
                   std::vector<TrainingPair>* out) {
  for (const NegativeSeed& ns : seeds) {
    uint64_t h = SeededHash(
        ctx.seed, "negative|" + ns.relation + "|" + ns.key + (ns.forward ? "|fwd" : "|bwd"));
    auto pool_it = pools.find(ns.relation + (ns.forward ? "/fwd" : "/bwd"));
    auto usable = [&](const std::string& c) {
      return !c.empty() && c != ns.display &&
             !std::binary_search(ns.positives.begin(), ns.positives.end(), c);
    };
    std::string candidate;
    bool near_miss = false;
    auto try_real = [&] {
      if (pool_it == pools.end() || pool_it->second.empty()) return;
      const auto& pool = pool_it->second;
      for (size_t k = 0; k < 16 && k < pool.size(); ++k) {
        const std::string& c = pool[(h + k * 0x9e3779b9ULL) % pool.size()];
        if (usable(c)) {
          candidate = c;
          return;
        }
      }
    };
    auto try_near = [&] {
      if (ns.positives.empty()) return;
      const std::string& base = ns.positives[(h >> 16) % ns.positives.size()];
      for (uint64_t k = 0; k < 4; ++k) {
        std::string c = NearMiss(base, (h >> 24) + k);
        if (usable(c) && names.count(c) == 0) {
          candidate = c;
          near_miss = true;
          return;
        }
      }
    };
    if (h & 1) {
      try_near();
      if (candidate.empty()) try_real();
    } else {
      try_real();
      if (candidate.empty()) try_near();
    }
    if (candidate.empty()) continue;
    std::string a = Code(ns.display), b = Code(candidate);
    if (!ns.forward) std::swap(a, b);
    Vars vars = {{"graph", std::string(ctx.graph)}, {"a", a}, {"b", b}};
    std::string output = "No. " + Fill(ns.fact, vars) + ".";
    if (near_miss) {
      output +=
          " There is no " + Code(candidate) + " in the " + std::string(ctx.graph) + " codebase.";
    }
    if (!ns.positives.empty()) {
      std::vector<std::string> shown;
      for (size_t i = 0; i < ns.positives.size() && i < 5; ++i) {
        shown.push_back(Code(ns.positives[i]));
      }
      if (ns.positives.size() > 5) {
        shown.push_back(std::to_string(ns.positives.size() - 5) + " more");
      }
      output += " " + Code(ns.display) + " " + std::string(ns.verb) + " " + JoinAnd(shown) + ".";
    }
    DirectionTemplates dt{ns.relation, "negative", ns.wordings};
    TrainingPair p =
        MakePair(dt, ns.key + (ns.forward ? "" : "|bwd"), ctx.seed, vars, std::move(output));
    p.negative = true;
    p.path = ns.path;
    p.label = ns.label;
    std::string self = ns.forward ? "a" : "b", other = ns.forward ? "b" : "a";
    p.verify_query = "MATCH (a)-[:" + ns.relation + "]->(b) WHERE id(" + self +
                     ") = " + CypherString(ns.id) + " AND " + TargetExpr(ns.relation, other) +
                     " = " + CypherString(candidate) + " RETURN count(*)";
    p.verify_expect = {"0"};
    out->push_back(std::move(p));
  }
}

}  // namespace

Result<std::vector<TrainingPair>> Walk(const WalkContext& context) {
  std::vector<TrainingPair> pairs;
  std::vector<NegativeSeed> seeds;
  Pools pools;
  std::vector<NegativeSeed>* neg = context.negatives ? &seeds : nullptr;
  KG_RETURN_IF_ERROR(InheritsPairs(context, &pairs, neg, &pools));
  KG_RETURN_IF_ERROR(MethodPairs(context, &pairs, neg, &pools));
  std::string types;
  for (const EdgeTemplates& t : kEdgeTemplates) {
    types += (types.empty() ? "" : "|") + std::string(t.relation);
  }
  KG_ASSIGN_OR_RETURN(query::QueryResult edges,
                      context.Query(Replace(kEdgeQueryTemplate, "{types}", types)));
  if (edges.columns.size() != 9) return Status::Internal("relation_qa: unexpected edge columns");
  std::map<std::string, EdgeRows, std::less<>> by_type;
  for (const ValueList& row : edges.rows) by_type[CellString(row[8])].push_back(&row);
  static const EdgeRows kNoRows;
  for (const EdgeTemplates& t : kEdgeTemplates) {
    auto it = by_type.find(t.relation);
    KG_RETURN_IF_ERROR(
        EdgePairs(context, t, it == by_type.end() ? kNoRows : it->second, &pairs, neg, &pools));
  }
  if (!seeds.empty()) {
    KG_ASSIGN_OR_RETURN(query::QueryResult r, context.Query(kNamesQuery));
    std::set<std::string> names;
    for (const ValueList& row : r.rows) {
      for (const Value& v : row) {
        if (v.is_string()) names.insert(v.as_string());
      }
    }
    NegativePairs(context, seeds, pools, names, &pairs);
  }
  return pairs;
}

}  // namespace kg::synth::relation_qa

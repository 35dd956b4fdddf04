#include "synth/walks/relation_qa/relation_qa.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "synth/parallel.h"
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
// of one per type; rows are grouped by type(r) in the walk. Only the endpoints' ids: what the
// answers show of a node comes from kNodesQuery, once per node instead of once per edge end.
const std::string_view kEdgeQueryTemplate =
    "MATCH (a)-[r:{types}]->(b) RETURN id(a), id(b), type(r)";

// Every node once: how answers show it, and the names negatives must avoid (a near-miss name is
// used only if no node has it as its shown name or its `name`).
const std::string_view kNodesQuery =
    "MATCH (n) RETURN id(n), coalesce(n.qualified_name, n.name, n.path), n.path, labels(n), n.name";

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
  std::string relation;               // edge type
  std::string key;                    // meta.subject of the positive
  std::string id;                     // node id of the subject
  std::string display;                // subject name as shown
  std::string path;                   // subject's file
  std::string label;                  // subject's label
  size_t pair = 0;                    // index of the positive in the walk's output: its
                                      // verify_expect are the names the subject IS related to
  bool forward = true;                // subject is the edge's source
  std::span<const Wording> wordings;  // placeholders {a} (source), {b} (target), {graph}
  std::string_view fact;              // "{a} does not ... {b}"
  std::string_view verb;              // "{subject} <verb> <positives>"
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
                            out->size(), true, kInheritsNeg,
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
                            out->size(), true, kHasMethodNeg, "{a} defines no method named {b}",
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

// A node of kNodesQuery, as the generic edge answers show it.
struct Entity {
  std::string id, display, path, label;
  bool external = false;
  std::string described;  // Describe(*this), filled once the node is an edge end
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

// The nodes of the graph, numbered in id order (so sorting numbers sorts ids).
struct Nodes {
  std::vector<Entity> entities;                          // by number
  std::unordered_map<std::string_view, uint32_t> by_id;  // views into entities[k].id
  std::unordered_set<std::string_view> names;            // shown names and `name`s of all nodes
  std::vector<std::string> extra_names;                  // owns `name`s not shown (views above)
};

Status ReadNodes(const WalkContext& ctx, Nodes* nodes) {
  KG_ASSIGN_OR_RETURN(query::QueryResult r, ctx.Query(kNodesQuery));
  if (r.columns.size() != 5) return Status::Internal("relation_qa: unexpected node columns");
  std::vector<Entity>& es = nodes->entities;
  es.reserve(r.rows.size());
  std::vector<std::string> name_of;
  std::vector<char> shown_is_name;  // the shown name is a string (not null, not a number)
  name_of.reserve(r.rows.size());
  shown_is_name.reserve(r.rows.size());
  for (const ValueList& row : r.rows) {
    Entity e;
    e.id = CellString(row[0]);
    e.display = CellString(row[1]);
    e.path = CellString(row[2]);
    e.label = CellFirstLabel(row[3]);
    e.external = CellHasLabel(row[3], "External");
    es.push_back(std::move(e));
    name_of.push_back(row[4].is_string() ? row[4].as_string() : std::string());
    shown_is_name.push_back(row[1].is_string() ? 1 : 0);
  }
  std::vector<uint32_t> order(es.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](uint32_t x, uint32_t y) { return es[x].id < es[y].id; });
  std::vector<Entity> sorted;
  std::vector<char> shown;
  sorted.reserve(es.size());
  shown.reserve(es.size());
  nodes->extra_names.reserve(es.size());
  for (uint32_t i : order) {
    sorted.push_back(std::move(es[i]));
    shown.push_back(shown_is_name[i]);
    if (!name_of[i].empty() && name_of[i] != sorted.back().display) {
      nodes->extra_names.push_back(std::move(name_of[i]));
    }
  }
  es = std::move(sorted);  // element addresses are final from here: views below stay valid
  nodes->by_id.reserve(es.size());
  nodes->names.reserve(es.size() + nodes->extra_names.size());
  for (uint32_t k = 0; k < es.size(); ++k) {
    nodes->by_id.emplace(es[k].id, k);
    if (shown[k]) nodes->names.insert(es[k].display);
  }
  for (const std::string& n : nodes->extra_names) nodes->names.insert(n);
  return Status::OK();
}

// Edges of one type as (source, target) node numbers.
using EdgeList = std::vector<std::pair<uint32_t, uint32_t>>;

// The records of one direction of one edge type: forward = one per source ("subject -> its
// targets"), backward = one per target. `edges` are the type's edges as (source, target), in
// any order, possibly repeated; every end's `described` is filled. Reads `nodes` only, so the
// directions of all types can be built on several threads at once. Also sets the pool of the
// opposite direction's negatives: forward fills `relation/bwd` (the sources), backward
// `relation/fwd` (the targets).
Status EdgeDirectionPairs(const WalkContext& ctx, const EdgeTemplates& t, bool forward,
                          const EdgeList& edges, const Nodes& nodes, std::vector<TrainingPair>* out,
                          std::vector<NegativeSeed>* negatives, Pools* pools) {
  const std::vector<Entity>& entities = nodes.entities;
  const std::string graph_name(ctx.graph);
  const std::string relation(t.relation);
  // (subject, other) sorted and distinct; a group is one subject.
  EdgeList sorted;
  sorted.reserve(edges.size());
  for (const auto& [a, b] : edges) {
    if (forward) {
      sorted.emplace_back(a, b);
    } else {
      sorted.emplace_back(b, a);
    }
  }
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  DirectionTemplates dt{t.relation, forward ? t.forward_direction : t.backward_direction,
                        forward ? t.forward : t.backward};
  std::string_view verb = forward ? t.forward_verb : t.backward_verb;
  std::vector<const Entity*> others;
  for (size_t g = 0; g < sorted.size();) {
    if ((g & 1023) == 0 && ctx.IsCancelled()) return Status::Cancelled("cancelled");
    const uint32_t sid = sorted[g].first;
    others.clear();
    size_t end = g;
    for (; end < sorted.size() && sorted[end].first == sid; ++end) {
      others.push_back(&entities[sorted[end].second]);
    }
    g = end;
    const Entity& s = entities[sid];
    std::stable_sort(others.begin(), others.end(), [](const Entity* x, const Entity* y) {
      return std::tie(x->display, x->path) < std::tie(y->display, y->path);
    });
    std::string output = s.described + " " + std::string(verb);
    if (others.size() == 1) {
      output += " " + others[0]->described + ".";
    } else {
      output += " " + std::to_string(others.size()) + " entities:";
      for (const Entity* o : others) output += "\n- " + o->described;
    }
    Vars vars = {{"graph", graph_name}, {"subject", s.described}};
    TrainingPair p = MakePair(dt, s.id, ctx.seed, vars, std::move(output));
    p.path = s.path;
    p.label = s.label;
    std::string self = forward ? "a" : "b", other = forward ? "b" : "a";
    p.verify_query = "MATCH (a)-[:" + relation + "]->(b) WHERE id(" + self +
                     ") = " + CypherString(s.id) + " RETURN DISTINCT " +
                     TargetExpr(t.relation, other);
    std::vector<std::string> expect;
    expect.reserve(others.size());
    for (const Entity* o : others) {
      expect.push_back(o->display);
      if (!o->external) p.apis.push_back(o->display);
    }
    p.verify_expect = SortedSet(std::move(expect));
    if (negatives != nullptr) {
      negatives->push_back({relation, s.id, s.id, s.display, s.path, s.label, out->size(), forward,
                            t.negative, t.negative_fact, verb});
    }
    out->push_back(std::move(p));
  }
  // Pool of real subjects of this direction: the candidates of the other direction's negatives.
  if (negatives != nullptr) {
    std::vector<std::string> subjects;
    for (size_t i = 0; i < sorted.size(); ++i) {
      if (i == 0 || sorted[i].first != sorted[i - 1].first) {
        subjects.push_back(entities[sorted[i].first].display);
      }
    }
    (*pools)[relation + (forward ? "/bwd" : "/fwd")] = SortedSet(std::move(subjects));
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
// graph confirms absent (not the name or qualified name of any node). `positives` holds the
// records the seeds point at (NegativeSeed::pair); the negatives are appended to `out`, in seed
// order. Reads its inputs only: disjoint parts of the seeds can be done on several threads.
void NegativePairs(const WalkContext& ctx, std::span<const NegativeSeed> seeds,
                   const std::vector<TrainingPair>& records, const Pools& pools,
                   const std::unordered_set<std::string_view>& names,
                   std::vector<TrainingPair>* out) {
  out->reserve(out->size() + seeds.size());
  for (const NegativeSeed& ns : seeds) {
    const std::vector<std::string>& positives = records[ns.pair].verify_expect;
    uint64_t h = SeededHash(
        ctx.seed, "negative|" + ns.relation + "|" + ns.key + (ns.forward ? "|fwd" : "|bwd"));
    auto pool_it = pools.find(ns.relation + (ns.forward ? "/fwd" : "/bwd"));
    auto usable = [&](const std::string& c) {
      return !c.empty() && c != ns.display &&
             !std::binary_search(positives.begin(), positives.end(), c);
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
      if (positives.empty()) return;
      const std::string& base = positives[(h >> 16) % positives.size()];
      for (uint64_t k = 0; k < 4; ++k) {
        std::string c = NearMiss(base, (h >> 24) + k);
        if (usable(c) && names.count(std::string_view(c)) == 0) {
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
    if (!positives.empty()) {
      std::vector<std::string> shown;
      for (size_t i = 0; i < positives.size() && i < 5; ++i) {
        shown.push_back(Code(positives[i]));
      }
      if (positives.size() > 5) {
        shown.push_back(std::to_string(positives.size() - 5) + " more");
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
  // Two threads (synth/parallel.h), three phases; each part has its own outputs, concatenated in
  // the canonical order afterwards, so the records do not depend on scheduling.
  //   1. this thread: the INHERITS and HAS_METHOD records and the scan of the generic edge types
  //      from kSideTypes on; the other: every node (kNodesQuery) and the scan of the first
  //      kSideTypes types (CALLS and IMPORTS, about half of the edges of a Python graph).
  //   2. the records of the generic edge types, one unit per (type, direction) in canonical
  //      order; the units are split into two runs of about equal edge counts.
  //   3. the negatives, the seeds split in two halves.
  constexpr size_t kTypes = std::size(kEdgeTemplates);
  constexpr size_t kSideTypes = 2;
  const bool with_negatives = context.negatives;
  std::vector<TrainingPair> pairs;
  std::vector<NegativeSeed> seeds;
  Pools pools;
  Nodes nodes;
  auto edge_query = [](size_t from, size_t to) {
    std::string types;
    for (size_t t = from; t < to; ++t) {
      types += (types.empty() ? "" : "|") + std::string(kEdgeTemplates[t].relation);
    }
    return Replace(kEdgeQueryTemplate, "{types}", types);
  };
  auto with_cancel = [&](const CancelFn& cancelled) {
    WalkContext ctx = context;
    ctx.cancelled = cancelled;
    return ctx;
  };
  query::QueryResult edges[2];
  Status first = Status::OK(), second = Status::OK();
  auto scan_edges = [](const WalkContext& ctx, const std::string& text,
                       query::QueryResult* out) -> Status {
    KG_ASSIGN_OR_RETURN(*out, ctx.Query(text));
    if (out->columns.size() != 3) return Status::Internal("relation_qa: unexpected edge columns");
    return Status::OK();
  };
  RunBoth(
      context.cancelled,
      [&](const CancelFn& cancelled) {
        const WalkContext ctx = with_cancel(cancelled);
        std::vector<NegativeSeed>* neg = with_negatives ? &seeds : nullptr;
        first = InheritsPairs(ctx, &pairs, neg, &pools);
        if (first.ok()) first = MethodPairs(ctx, &pairs, neg, &pools);
        if (first.ok()) first = scan_edges(ctx, edge_query(kSideTypes, kTypes), &edges[1]);
      },
      [&](const CancelFn& cancelled) {
        const WalkContext ctx = with_cancel(cancelled);
        second = ReadNodes(ctx, &nodes);
        if (second.ok()) second = scan_edges(ctx, edge_query(0, kSideTypes), &edges[0]);
      });
  KG_RETURN_IF_ERROR(first);
  KG_RETURN_IF_ERROR(second);

  // The edges of each type as node numbers (their order does not matter: phase 2 sorts them).
  std::vector<EdgeList> by_type(kTypes);
  auto number = [&](const Value& id) -> std::optional<uint32_t> {
    if (!id.is_string() || id.as_string().empty()) return std::nullopt;
    auto it = nodes.by_id.find(id.as_string());
    if (it == nodes.by_id.end() || nodes.entities[it->second].display.empty()) {
      return std::nullopt;
    }
    return it->second;
  };
  for (query::QueryResult& result : edges) {
    for (const ValueList& row : result.rows) {
      if (!row[2].is_string()) continue;
      size_t t = 0;
      while (t < kTypes && kEdgeTemplates[t].relation != row[2].as_string()) ++t;
      if (t == kTypes) continue;
      std::optional<uint32_t> a = number(row[0]), b = number(row[1]);
      if (a && b) by_type[t].emplace_back(*a, *b);
    }
    result = query::QueryResult();
  }
  // Every edge end as the answers show it (phase 2 reads `nodes` only).
  std::vector<Entity>& entities = nodes.entities;
  for (const EdgeList& list : by_type) {
    for (const auto& [a, b] : list) {
      for (uint32_t k : {a, b}) {
        if (entities[k].described.empty()) entities[k].described = Describe(entities[k]);
      }
    }
  }

  // Phase 2. Unit u = type u / 2, forward when u is even; units [0, split) run on this thread.
  struct Part {
    std::vector<TrainingPair> pairs;
    std::vector<NegativeSeed> seeds;
    Pools pools;
    Status status = Status::OK();
  };
  const size_t units = 2 * kTypes;
  size_t total_edges = 0;
  for (const EdgeList& list : by_type) total_edges += list.size();
  // The split that best evens the two runs' edge counts (a unit weighs its type's edge count).
  size_t split = 0, best = 2 * total_edges;
  for (size_t u = 0, done = 0; u <= units; done += u < units ? by_type[u / 2].size() : 0, ++u) {
    size_t longer = std::max(done, 2 * total_edges - done);
    if (longer < best) {
      best = longer;
      split = u;
    }
  }
  auto run_units = [&](size_t from, size_t to, const CancelFn& cancelled, Part* part) {
    const WalkContext ctx = with_cancel(cancelled);
    for (size_t u = from; u < to && part->status.ok(); ++u) {
      part->status =
          EdgeDirectionPairs(ctx, kEdgeTemplates[u / 2], u % 2 == 0, by_type[u / 2], nodes,
                             &part->pairs, with_negatives ? &part->seeds : nullptr, &part->pools);
    }
  };
  Part low, high;
  RunBoth(
      context.cancelled, [&](const CancelFn& c) { run_units(0, split, c, &low); },
      [&](const CancelFn& c) { run_units(split, units, c, &high); });
  KG_RETURN_IF_ERROR(low.status);
  KG_RETURN_IF_ERROR(high.status);
  by_type.clear();
  pairs.reserve(pairs.size() + low.pairs.size() + high.pairs.size() + seeds.size() +
                low.seeds.size() + high.seeds.size());
  for (Part* part : {&low, &high}) {
    for (NegativeSeed& s : part->seeds) {
      s.pair += pairs.size();
      seeds.push_back(std::move(s));
    }
    for (TrainingPair& p : part->pairs) pairs.push_back(std::move(p));
    for (auto& [key, pool] : part->pools) pools[key] = std::move(pool);
    *part = Part();
  }
  if (context.IsCancelled()) return Status::Cancelled("cancelled");

  // Phase 3.
  if (!seeds.empty()) {
    const std::span<const NegativeSeed> all(seeds);
    const size_t half = all.size() / 2;
    std::vector<TrainingPair> tail;
    RunBoth(
        context.cancelled,
        [&](const CancelFn& c) {
          NegativePairs(with_cancel(c), all.first(half), pairs, pools, nodes.names, &low.pairs);
        },
        [&](const CancelFn& c) {
          NegativePairs(with_cancel(c), all.subspan(half), pairs, pools, nodes.names, &tail);
        });
    for (TrainingPair& p : low.pairs) pairs.push_back(std::move(p));
    for (TrainingPair& p : tail) pairs.push_back(std::move(p));
  }
  return pairs;
}

}  // namespace kg::synth::relation_qa

#include "synth/walks/path_qa/path_qa.h"

#include <cctype>
#include <map>
#include <set>
#include <span>
#include <string>

#include "synth/text.h"
#include "synth/walk_query.h"
#include "synth/walks/path_qa/templates.h"

namespace kg::synth::path_qa {

const std::string_view kInheritedQuery =
    "MATCH (c:Class)-[:INHERITS]->(b:Class)-[:HAS_METHOD]->(m:Method) "
    "RETURN id(c), c.qualified_name, c.path, b.qualified_name, b.path, m.name";

const std::string_view kGrandparentQuery =
    "MATCH (c:Class)-[:INHERITS]->(b:Class)-[:INHERITS]->(g:Class)-[:HAS_METHOD]->(m:Method) "
    "RETURN id(c), c.qualified_name, c.path, b.qualified_name, b.path, g.qualified_name, g.path, "
    "m.name";

const std::string_view kCalleeQuery =
    "MATCH (a)-[:CALLS]->(b) WHERE (a:Function OR a:Method) AND (b:Function OR b:Method) "
    "RETURN id(a), a.qualified_name, a.path, labels(a), b.qualified_name, b.path";

const std::string_view kReturnQuery =
    "MATCH (f) WHERE (f:Function OR f:Method) AND f.return_type IS NOT NULL "
    "RETURN id(f), f.qualified_name, f.path, labels(f), f.return_type";

const std::string_view kClassMethodsQuery =
    "MATCH (c:Class)-[:HAS_METHOD]->(m:Method) RETURN c.name, c.qualified_name, c.path, m.name";

namespace {

struct Subject {
  std::string id, qn, path, label;
};

TrainingPair Make(const WalkContext& ctx, std::string_view direction,
                  std::span<const Wording> wordings, const Subject& s, std::string think,
                  std::string answer) {
  const Wording& w =
      wordings[PickWording(ctx.seed, std::string(direction) + "|" + s.id, wordings.size())];
  TemplateVars vars = {{"subject", NameInFile(s.qn, s.path)}, {"graph", std::string(ctx.graph)}};
  TrainingPair p;
  p.instruction = FillTemplate(w.instruction, vars);
  p.input = FillTemplate(w.input, vars);
  p.output = "<think>\n" + think + "</think>\n\n" + answer;
  p.relation = "PATH";
  p.direction = std::string(direction);
  p.subject = s.id;
  p.path = s.path;
  p.label = s.label;
  return p;
}

Status Inherited(const WalkContext& ctx, std::vector<TrainingPair>* out) {
  KG_ASSIGN_OR_RETURN(query::QueryResult r, ctx.Query(kInheritedQuery));
  // class id -> base (qn, path) -> method names
  std::map<std::string, Subject> subjects;
  std::map<std::string, std::map<std::pair<std::string, std::string>, std::set<std::string>>> by;
  for (const ValueList& row : r.rows) {
    Subject s{CellString(row[0]), CellString(row[1]), CellString(row[2]), "Class"};
    std::string m = CellString(row[5]);
    if (s.id.empty() || s.qn.empty() || m.empty()) continue;
    by[s.id][{CellString(row[3]), CellString(row[4])}].insert(m);
    subjects.emplace(s.id, s);
  }
  for (const auto& [id, bases] : by) {
    if (ctx.IsCancelled()) return Status::Cancelled("cancelled");
    const Subject& s = subjects.at(id);
    std::string think, answer;
    size_t total = 0;
    for (const auto& [base, methods] : bases) {
      think += CodeSpan(s.qn) + " inherits from " + NameInFile(base.first, base.second) + ".\n";
      std::string list;
      for (const auto& m : methods) list += (list.empty() ? "" : ", ") + CodeSpan(m);
      think += CodeSpan(base.first) + " defines " + list + ".\n";
      answer += "\n- from " + CodeSpan(base.first) + ": " + list;
      total += methods.size();
    }
    answer = CodeSpan(s.qn) + " inherits " + std::to_string(total) +
             (total == 1 ? " method" : " methods") +
             " from its direct bases (unless it "
             "overrides them):" +
             answer;
    out->push_back(Make(ctx, "inherited_methods", kInheritedMethods, s, think, answer));
  }
  return Status::OK();
}

// 3 hops: class -INHERITS-> parent -INHERITS-> grandparent -HAS_METHOD-> method.
Status GrandparentMethods(const WalkContext& ctx, std::vector<TrainingPair>* out) {
  KG_ASSIGN_OR_RETURN(query::QueryResult r, ctx.Query(kGrandparentQuery));
  using Ref = std::pair<std::string, std::string>;  // (qualified name, path)
  std::map<std::string, Subject> subjects;
  // class id -> (parent, grandparent) -> method names
  std::map<std::string, std::map<std::pair<Ref, Ref>, std::set<std::string>>> by;
  for (const ValueList& row : r.rows) {
    Subject s{CellString(row[0]), CellString(row[1]), CellString(row[2]), "Class"};
    Ref parent{CellString(row[3]), CellString(row[4])};
    Ref grand{CellString(row[5]), CellString(row[6])};
    std::string m = CellString(row[7]);
    if (s.id.empty() || s.qn.empty() || parent.first.empty() || grand.first.empty() || m.empty() ||
        grand.first == s.qn) {
      continue;
    }
    by[s.id][{parent, grand}].insert(m);
    subjects.emplace(s.id, s);
  }
  for (const auto& [id, chains] : by) {
    if (ctx.IsCancelled()) return Status::Cancelled("cancelled");
    if (chains.size() > 4) continue;  // long traces teach little
    const Subject& s = subjects.at(id);
    std::string think, answer;
    size_t total = 0;
    for (const auto& [chain, methods] : chains) {
      const auto& [parent, grand] = chain;
      std::string list;
      for (const auto& m : methods) list += (list.empty() ? "" : ", ") + CodeSpan(m);
      think += CodeSpan(s.qn) + " inherits from " + NameInFile(parent.first, parent.second) + ".\n";
      think += CodeSpan(parent.first) + " inherits from " + NameInFile(grand.first, grand.second) +
               ".\n";
      think += CodeSpan(grand.first) + " defines " + list + ".\n";
      answer +=
          "\n- from " + CodeSpan(grand.first) + " (via " + CodeSpan(parent.first) + "): " + list;
      total += methods.size();
    }
    answer = CodeSpan(s.qn) + " inherits " + std::to_string(total) +
             (total == 1 ? " method" : " methods") +
             " from its grandparent classes (unless a class on the way overrides them):" + answer;
    TrainingPair p = Make(ctx, "grandparent_methods", kGrandparentMethods, s, think, answer);
    for (const auto& [chain, methods] : chains) p.apis.push_back(chain.second.first);
    out->push_back(std::move(p));
  }
  return Status::OK();
}

Status CalleeFiles(const WalkContext& ctx, std::vector<TrainingPair>* out) {
  KG_ASSIGN_OR_RETURN(query::QueryResult r, ctx.Query(kCalleeQuery));
  std::map<std::string, Subject> subjects;
  std::map<std::string, std::set<std::pair<std::string, std::string>>> callees;
  for (const ValueList& row : r.rows) {
    Subject s{CellString(row[0]), CellString(row[1]), CellString(row[2]), CellFirstLabel(row[3])};
    std::string qn = CellString(row[4]), path = CellString(row[5]);
    if (s.id.empty() || s.qn.empty() || qn.empty() || path.empty()) continue;
    callees[s.id].insert({qn, path});
    subjects.emplace(s.id, s);
  }
  for (const auto& [id, cs] : callees) {
    if (ctx.IsCancelled()) return Status::Cancelled("cancelled");
    if (cs.size() > 12) continue;  // long traces teach little; keep the walk focused
    const Subject& s = subjects.at(id);
    std::string think;
    std::map<std::string, std::vector<std::string>> files;
    for (const auto& [qn, path] : cs) {
      think += CodeSpan(s.qn) + " calls " + CodeSpan(qn) + ".\n";
      think += CodeSpan(qn) + " is defined in " + CodeSpan(path) + ".\n";
      files[path].push_back(CodeSpan(qn));
    }
    std::string answer = "The code " + CodeSpan(s.qn) + " calls is defined in " +
                         std::to_string(files.size()) + (files.size() == 1 ? " file:" : " files:");
    for (const auto& [path, names] : files) {
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      answer += "\n- " + CodeSpan(path) + ": " + list;
    }
    out->push_back(Make(ctx, "callee_files", kCalleeFiles, s, think, answer));
  }
  return Status::OK();
}

// The class name a return annotation names: `Optional[Foo]` -> "Foo", `"Foo"` -> "Foo",
// `pkg.Foo` -> "Foo". "" when it is not a single plain name.
std::string ReturnedClass(std::string t) {
  auto strip = [&](std::string_view prefix) {
    if (t.rfind(prefix, 0) == 0 && t.back() == ']')
      t = t.substr(prefix.size(), t.size() - prefix.size() - 1);
  };
  strip("Optional[");
  strip("typing.Optional[");
  if (t.size() >= 2 && (t.front() == '"' || t.front() == '\'') && t.back() == t.front()) {
    t = t.substr(1, t.size() - 2);
  }
  for (char c : t) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return "";
  }
  size_t dot = t.rfind('.');
  return dot == std::string::npos ? t : t.substr(dot + 1);
}

Status ReturnTypes(const WalkContext& ctx, std::vector<TrainingPair>* out) {
  KG_ASSIGN_OR_RETURN(query::QueryResult classes, ctx.Query(kClassMethodsQuery));
  // class name -> (qn, path) -> methods; a name must be unique in the graph to be used.
  std::map<std::string, std::map<std::pair<std::string, std::string>, std::set<std::string>>>
      by_name;
  for (const ValueList& row : classes.rows) {
    by_name[CellString(row[0])][{CellString(row[1]), CellString(row[2])}].insert(
        CellString(row[3]));
  }
  KG_ASSIGN_OR_RETURN(query::QueryResult r, ctx.Query(kReturnQuery));
  std::map<std::string, std::pair<Subject, std::string>> fns;  // sorted by id
  for (const ValueList& row : r.rows) {
    Subject s{CellString(row[0]), CellString(row[1]), CellString(row[2]), CellFirstLabel(row[3])};
    std::string cls = ReturnedClass(CellString(row[4]));
    if (s.id.empty() || s.qn.empty() || cls.empty()) continue;
    fns.emplace(s.id, std::make_pair(s, cls));
  }
  for (const auto& [id, sc] : fns) {
    if (ctx.IsCancelled()) return Status::Cancelled("cancelled");
    const auto& [s, cls] = sc;
    auto it = by_name.find(cls);
    if (it == by_name.end() || it->second.size() != 1) continue;  // unknown or ambiguous
    const auto& [ref, methods] = *it->second.begin();
    std::string list;
    for (const auto& m : methods) list += (list.empty() ? "" : ", ") + CodeSpan(m);
    std::string think = CodeSpan(s.qn) + " returns " + CodeSpan(cls) + ".\n" + CodeSpan(cls) +
                        " is the class " + NameInFile(ref.first, ref.second) + ".\n" +
                        CodeSpan(ref.first) + " defines " + list + ".\n";
    std::string answer =
        CodeSpan(s.qn) + " returns a " + CodeSpan(ref.first) + ", which defines " + list + ".";
    TrainingPair p = Make(ctx, "return_type", kReturnType, s, think, answer);
    p.apis.push_back(ref.first);
    out->push_back(std::move(p));
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<TrainingPair>> Walk(const WalkContext& context) {
  std::vector<TrainingPair> pairs;
  KG_RETURN_IF_ERROR(Inherited(context, &pairs));
  KG_RETURN_IF_ERROR(GrandparentMethods(context, &pairs));
  KG_RETURN_IF_ERROR(CalleeFiles(context, &pairs));
  KG_RETURN_IF_ERROR(ReturnTypes(context, &pairs));
  return pairs;
}

}  // namespace kg::synth::path_qa

#include "ingest/batch_builder.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "ingest/sha256.h"
#include "ingest/walk.h"

namespace kg::ingest {
namespace {

ValueList ToList(const std::vector<std::string>& items) {
  ValueList out;
  out.reserve(items.size());
  for (const std::string& s : items) out.emplace_back(s);
  return out;
}

// Collects the shared External nodes of a batch once each.
class ExternalNodes {
 public:
  void Add(const Target& t) {
    if (t.kind != Target::Kind::kExternal || !seen_.insert(t.id).second) return;
    storage::NodeFact node;
    node.id = t.id;
    node.labels = {"External"};
    node.props.emplace("name", t.dotted);
    node.shared = true;
    nodes_.push_back(std::move(node));
  }
  std::vector<storage::NodeFact> Take() { return std::move(nodes_); }

 private:
  std::unordered_set<std::string> seen_;
  std::vector<storage::NodeFact> nodes_;
};

// A symbol node with the design's common properties (id, name, qualified_name, path, language,
// lines and byte range); callers add what is specific to the kind.
storage::NodeFact SymbolNode(const FileFacts& facts, const std::string& id,
                             const std::string& label, const std::string& name,
                             const std::string& qualified_path, int start_line, int end_line,
                             uint32_t start_byte, uint32_t end_byte) {
  storage::NodeFact node;
  node.id = id;
  node.labels = {label};
  Properties& p = node.props;
  p.emplace("name", name);
  std::string qualified_name;
  qualified_name.reserve(facts.module.name.size() + 1 + qualified_path.size());
  qualified_name.append(facts.module.name).append(".").append(qualified_path);
  p.emplace("qualified_name", std::move(qualified_name));
  p.emplace("path", facts.path);
  p.emplace("language", facts.language);
  p.emplace("start_line", start_line);
  p.emplace("end_line", end_line);
  p.emplace("start_byte", static_cast<int64_t>(start_byte));
  p.emplace("end_byte", static_cast<int64_t>(end_byte));
  return node;
}

}  // namespace

std::string DirectoryId(std::string_view path) {
  if (path.empty() || path == "/") return "dir:/";
  return "dir:" + std::string(path);
}

storage::FactBatch BuildFileBatch(const FileFacts& facts, FileContent content,
                                  const std::string& module_id, Resolver& resolver) {
  storage::FactBatch batch;
  batch.path = facts.path;
  batch.content_hash = std::move(content.hash);
  batch.language = facts.language;
  const std::string& path = facts.path;
  // Room for the usual facts (external nodes and USES edges grow the vectors when many): a
  // vector of edges regrown from empty moves every edge several times.
  size_t edges = 4 + 2 * facts.members.size() + 2 * facts.imports.size() + facts.calls.size() +
                 facts.receiver_implements.size();
  for (const Definition& d : facts.definitions) {
    edges += 3 + d.bases.size() + d.implements.size() + d.decorators.size() + d.params.size();
  }
  batch.edges.reserve(edges);
  batch.nodes.reserve(2 + facts.definitions.size() + facts.members.size());

  storage::NodeFact file;
  file.id = path;
  file.labels = {"File"};
  file.props["path"] = path;
  file.props["name"] = BaseName(path);
  file.props["language"] = facts.language;
  file.props["size"] = static_cast<int64_t>(content.size);
  file.props["hash"] = batch.content_hash;
  file.props["is_test"] = facts.is_test;
  if (facts.syntax_error) {
    file.props["syntax_error"] = "line " + std::to_string(facts.syntax_error->line) + ", column " +
                                 std::to_string(facts.syntax_error->column) + ": " +
                                 facts.syntax_error_detail;
  }
  batch.nodes.push_back(std::move(file));
  batch.edges.push_back({DirectoryId(ParentDir(path)), "CONTAINS", path, {}});

  storage::NodeFact module;
  module.id = module_id;
  module.labels = {"Module"};
  module.props["name"] = facts.module.name;
  module.props["path"] = path;
  module.props["language"] = facts.language;
  module.props["is_package"] = facts.module.is_package;
  module.props["is_test"] = facts.is_test;
  if (facts.module_docstring) module.props["docstring"] = *facts.module_docstring;
  batch.nodes.push_back(std::move(module));
  batch.edges.push_back({path, "DEFINES_MODULE", module_id, {}});

  ExternalNodes externals;
  for (size_t i = 0; i < facts.definitions.size(); ++i) {
    const Definition& d = facts.definitions[i];
    storage::NodeFact node = SymbolNode(facts, d.id, d.label, d.name, d.qualified_path,
                                        d.start_line, d.end_line, d.start_byte, d.end_byte);
    Properties& p = node.props;
    p.emplace("signature", d.signature);
    if (d.docstring) p.emplace("docstring", *d.docstring);
    p.emplace("is_test", d.is_test);
    if (d.label == "Class") {
      p.emplace("kind", d.kind);
      p.emplace("bases", ToList(d.bases));
      if (!d.implements.empty()) p.emplace("implements", ToList(d.implements));
    } else {
      p.emplace("params", ToList(d.params));
      if (d.return_type) p.emplace("return_type", *d.return_type);
      p.emplace("is_async", d.is_async);
    }
    p.emplace("decorators", ToList(d.decorators));
    for (const std::string& m : d.modifiers) p["is_" + m] = true;  // may override is_test/is_async
    batch.nodes.push_back(std::move(node));

    if (!d.receiver.empty()) {
      // A method attached to its class from outside the class body: HAS_METHOD from the class
      // when the module defines it; the file contains the method either way.
      std::optional<std::string> cls = resolver.FindReceiverClass(facts, d);
      batch.edges.push_back({path, "CONTAINS", d.id, {}});
      if (cls) {
        batch.edges.push_back({*cls, "HAS_METHOD", d.id, {}});
      } else if (d.parent >= 0) {
        batch.edges.push_back({facts.definitions[d.parent].id, "CONTAINS", d.id, {}});
      } else {
        batch.edges.push_back({module_id, "CONTAINS", d.id, {}});
      }
    } else if (d.parent < 0) {
      batch.edges.push_back({path, "CONTAINS", d.id, {}});
      batch.edges.push_back({module_id, "CONTAINS", d.id, {}});
    } else {
      const Definition& parent = facts.definitions[d.parent];
      batch.edges.push_back({parent.id, d.label == "Method" ? "HAS_METHOD" : "CONTAINS", d.id, {}});
    }
    for (size_t b = 0; b < d.bases.size(); ++b) {
      Target t = resolver.ResolveInFile(facts, d.parent, d.bases[b]);
      externals.Add(t);
      Properties props;
      props["index"] = static_cast<int64_t>(b);
      props["written"] = d.bases[b];
      batch.edges.push_back({d.id, "INHERITS", t.id, std::move(props)});
    }
    for (size_t b = 0; b < d.implements.size(); ++b) {
      Target t = resolver.ResolveInFile(facts, d.parent, d.implements[b]);
      externals.Add(t);
      Properties props;
      props["index"] = static_cast<int64_t>(b);
      props["written"] = d.implements[b];
      batch.edges.push_back({d.id, "IMPLEMENTS", t.id, std::move(props)});
    }
  }

  // `impl Trait for Type`: the Type's Class (in this file or its module) implements Trait.
  std::map<std::string, int64_t> implemented;  // class id -> IMPLEMENTS edges so far
  for (const ReceiverImplementsFact& r : facts.receiver_implements) {
    Definition probe;
    probe.receiver = r.receiver;
    probe.qualified_path = r.qualified_path + ".impl";
    std::optional<std::string> cls = resolver.FindReceiverClass(facts, probe);
    if (!cls) continue;
    Target t = resolver.ResolveInFile(facts, -1, r.implements);
    externals.Add(t);
    Properties props;
    props["index"] = implemented[*cls]++;
    props["written"] = r.implements;
    batch.edges.push_back({*cls, "IMPLEMENTS", t.id, std::move(props)});
  }

  // Decorators reference what they name; a method overrides the same-named member of the first
  // base class (depth-first) in the repository that has one.
  std::set<std::pair<std::string, std::string>> references;
  for (const Definition& d : facts.definitions) {
    for (const std::string& decorator : d.decorators) {
      Target t = resolver.ResolveInFile(facts, d.parent, decorator);
      if (!references.emplace(d.id, t.id).second) continue;
      externals.Add(t);
      Properties props;
      props["kind"] = "decorator";
      props["line"] = d.start_line;
      batch.edges.push_back({d.id, "REFERENCES", t.id, std::move(props)});
    }
    // Annotations of parameters and the return type that name repository definitions.
    std::vector<std::pair<std::string, int>> annotations;  // text, line
    for (const std::string& type : d.param_types) {
      if (!type.empty()) annotations.emplace_back(type, d.start_line);
    }
    if (d.return_type) annotations.emplace_back(*d.return_type, d.start_line);
    for (const auto& [type, line] : annotations) {
      for (const Target& t : resolver.ResolveAnnotation(facts, d.parent, type)) {
        if (!references.emplace(d.id, t.id).second) continue;
        Properties props;
        props["kind"] = "annotation";
        props["line"] = line;
        batch.edges.push_back({d.id, "REFERENCES", t.id, std::move(props)});
      }
    }
    if (d.label != "Method" || d.parent < 0) continue;
    const Definition& cls = facts.definitions[d.parent];
    if (cls.label != "Class") continue;
    if (auto overridden = resolver.FindInBases(facts, cls, d.name)) {
      batch.edges.push_back({d.id, "OVERRIDES", *overridden, {}});
    }
  }

  // Fields (HAS_FIELD from their class) and module variables (CONTAINS from file and module).
  for (const Member& m : facts.members) {
    storage::NodeFact node = SymbolNode(facts, m.id, m.label, m.name, m.qualified_path, m.line,
                                        m.line, m.start_byte, m.end_byte);
    Properties& p = node.props;
    p["is_test"] = facts.is_test;
    batch.nodes.push_back(std::move(node));
    if (m.owner >= 0) {
      const std::string& owner = facts.definitions[m.owner].id;
      Properties props;
      props["inherited"] = false;
      props["declared_in"] = owner;
      batch.edges.push_back({owner, "HAS_FIELD", m.id, std::move(props)});
    } else {
      batch.edges.push_back({path, "CONTAINS", m.id, {}});
      batch.edges.push_back({module_id, "CONTAINS", m.id, {}});
    }
  }

  // Fields inherited from repository base classes (not re-declared by the class).
  for (const Definition& d : facts.definitions) {
    if (d.label != "Class" || d.bases.empty()) continue;
    for (const Resolver::InheritedField& f : resolver.InheritedFields(d.id)) {
      Properties props;
      props["inherited"] = true;
      props["declared_in"] = f.declared_in;
      batch.edges.push_back({d.id, "HAS_FIELD", f.id, std::move(props)});
    }
  }

  // Calls: one edge per (caller, callee), at the first call site, with the number of sites, in
  // the order of first sites. (A definition's id is unique in its file, so the caller's index
  // stands for its id; the hashed keys view into `call_edges`, reserved: never reallocated.)
  struct CallEdge {
    int caller = -1;
    std::string target;
    int line = 0, col = 0;
    int64_t count = 0;
    std::string resolution;
  };
  std::vector<CallEdge> call_edges;
  call_edges.reserve(facts.calls.size());
  struct CallKeyHash {
    size_t operator()(const std::pair<int, std::string_view>& k) const {
      return std::hash<std::string_view>()(k.second) * 31 + static_cast<size_t>(k.first);
    }
  };
  std::unordered_map<std::pair<int, std::string_view>, size_t, CallKeyHash> call_index;
  call_index.reserve(facts.calls.size());
  for (const CallFact& call : facts.calls) {
    CallTarget t = resolver.ResolveCall(facts, call);
    externals.Add(t.target);
    auto found = call_index.find(std::pair<int, std::string_view>(call.caller, t.target.id));
    if (found != call_index.end()) {
      ++call_edges[found->second].count;
      continue;
    }
    CallEdge& e = call_edges.emplace_back();
    e.caller = call.caller;
    e.target = std::move(t.target.id);
    e.line = call.line;
    e.col = call.col;
    e.count = 1;
    e.resolution = t.resolution.empty() ? "none" : std::move(t.resolution);
    call_index.emplace(std::pair<int, std::string_view>(e.caller, e.target), call_edges.size() - 1);
  }
  for (CallEdge& e : call_edges) {
    Properties props;
    props.emplace("col", e.col);
    props.emplace("count", e.count);
    props.emplace("line", e.line);
    props.emplace("resolution", std::move(e.resolution));
    batch.edges.push_back(
        {facts.definitions[e.caller].id, "CALLS", std::move(e.target), std::move(props)});
  }

  // USES: a function reads a module variable of its file it does not bind locally (parameters
  // and names bound without `global` are locals; the extractor leaves out reads of parameters),
  // or writes one it declares `global`. (Names are views into `facts`; a file has many
  // accesses, so the sets are hashed.)
  std::unordered_map<std::string_view, const Member*> variables;
  for (const Member& m : facts.members) {
    if (m.owner < 0) variables.emplace(m.name, &m);
  }
  using NameSet = std::unordered_set<std::string_view>;
  std::unordered_map<int, NameSet> globals, locals;  // by function index
  auto holds = [](const std::unordered_map<int, NameSet>& by_scope, int scope,
                  std::string_view name) {
    auto it = by_scope.find(scope);
    return it != by_scope.end() && it->second.count(name) > 0;
  };
  for (const AccessFact& a : facts.accesses) {
    if (a.access == AccessFact::Kind::kGlobal) globals[a.scope].insert(a.name);
  }
  for (const AccessFact& a : facts.accesses) {
    if (a.access == AccessFact::Kind::kWrite && !holds(globals, a.scope, a.name))
      locals[a.scope].insert(a.name);
  }
  // (function index, target id, access) of the edges made; the views point into `facts` and the
  // node-stable caches below.
  std::set<std::tuple<int, std::string_view, AccessFact::Kind>> uses;
  auto add_use = [&](const AccessFact& a, const std::string& to) {
    if (!uses.emplace(a.scope, to, a.access).second) return;
    Properties props;
    props["access"] = AccessName(a.access);
    props["line"] = a.line;
    batch.edges.push_back({facts.definitions[a.scope].id, "USES", to, std::move(props)});
  };
  // Names the file's imports bind (USES of another module's Variable through an import).
  const std::vector<ImportBinding> bindings = BindingsOf(facts.imports);
  NameSet imported;
  for (const ImportBinding& b : bindings) imported.insert(b.name);
  NameSet own;  // top-level names the file defines itself
  for (const Definition& d : facts.definitions) {
    if (d.parent < 0) own.insert(d.name);
  }
  std::unordered_map<std::string_view, std::optional<std::string>> imported_variable;  // -> id
  // class index -> attribute -> the Field it names, if any
  std::unordered_map<int, std::unordered_map<std::string_view, std::optional<std::string>>>
      field_of;
  for (const AccessFact& a : facts.accesses) {
    if (a.access == AccessFact::Kind::kGlobal) continue;
    const Definition& fn = facts.definitions[a.scope];
    if (a.name.starts_with("self.")) {  // an instance attribute: a Field of the method's class
      if (fn.label != "Method" || fn.parent < 0) continue;
      const Definition& cls = facts.definitions[fn.parent];
      if (cls.label != "Class") continue;
      std::string_view attribute = std::string_view(a.name).substr(5);
      auto& of_class = field_of[fn.parent];
      auto cached = of_class.find(attribute);
      if (cached == of_class.end()) {
        std::optional<std::string> member = resolver.FindMember(cls.id, attribute);
        if (member && resolver.LabelOf(*member) != "Field") member.reset();
        cached = of_class.emplace(attribute, std::move(member)).first;
      }
      if (cached->second) add_use(a, *cached->second);
      continue;
    }
    if (a.access != AccessFact::Kind::kRead || variables.count(a.name) || own.count(a.name) ||
        !imported.count(a.name) || holds(locals, a.scope, a.name)) {
      continue;
    }
    auto cached = imported_variable.find(a.name);
    if (cached == imported_variable.end()) {
      Target t = resolver.ResolveInFile(facts, -1, a.name);
      std::optional<std::string> id;
      if (t.kind == Target::Kind::kDefinition && resolver.LabelOf(t.id) == "Variable") id = t.id;
      cached = imported_variable.emplace(a.name, id).first;
    }
    if (cached->second) add_use(a, *cached->second);
  }
  for (const AccessFact& a : facts.accesses) {
    auto var = variables.find(a.name);
    if (a.access == AccessFact::Kind::kGlobal || var == variables.end()) continue;
    bool is_global = holds(globals, a.scope, a.name);
    if (a.access == AccessFact::Kind::kWrite && !is_global) continue;
    if (a.access == AccessFact::Kind::kRead && !is_global && holds(locals, a.scope, a.name)) {
      continue;
    }
    add_use(a, var->second->id);
  }

  for (const ImportFact& imp : facts.imports) {
    Target t = resolver.ResolveImport(imp);
    externals.Add(t);
    Properties props;
    props["line"] = imp.line;
    props["module"] = imp.module;
    if (imp.from) props["symbol"] = imp.name;
    if (!imp.alias.empty()) props["alias"] = imp.alias;
    batch.edges.push_back({path, "IMPORTS", t.id, std::move(props)});
    // A package's own module re-exports what it imports by name from the repository.
    bool in_repo = t.kind == Target::Kind::kDefinition || t.kind == Target::Kind::kModule;
    if (facts.module.is_package && imp.from && imp.name != "*" && in_repo && t.id != module_id) {
      Properties exported;
      exported["name"] = imp.alias.empty() ? imp.name : imp.alias;
      exported["line"] = imp.line;
      batch.edges.push_back({module_id, "EXPORTS", t.id, std::move(exported)});
    }
  }
  for (storage::NodeFact& n : externals.Take()) batch.nodes.push_back(std::move(n));
  batch.text = std::move(content.text);
  return batch;
}

storage::FactBatch BuildTreeBatch(std::string_view repo_name,
                                  const std::vector<std::string>& files) {
  std::set<std::string> dirs = {""};
  for (const std::string& f : files) {
    for (std::string_view d = ParentDir(f); !d.empty(); d = ParentDir(d)) {
      if (!dirs.emplace(d).second) break;
    }
  }
  storage::FactBatch batch;
  batch.path = std::string(kTreeBatchPath);
  batch.language = std::string(kTreeBatchLanguage);

  storage::NodeFact repo;
  repo.id = "repo:";
  repo.labels = {"Repo"};
  repo.props["name"] = repo_name;
  batch.nodes.push_back(std::move(repo));
  batch.edges.push_back({"repo:", "CONTAINS", DirectoryId(""), {}});

  std::string listing = std::string(repo_name) + "\n";
  for (const std::string& d : dirs) {
    storage::NodeFact node;
    node.id = DirectoryId(d);
    node.labels = {"Directory"};
    node.props["path"] = d.empty() ? "/" : d;
    node.props["name"] = d.empty() ? std::string(repo_name) : std::string(BaseName(d));
    batch.nodes.push_back(std::move(node));
    if (!d.empty())
      batch.edges.push_back({DirectoryId(ParentDir(d)), "CONTAINS", DirectoryId(d), {}});
    listing += d + "\n";
  }
  batch.content_hash = Sha256Hex(listing);
  return batch;
}

}  // namespace kg::ingest

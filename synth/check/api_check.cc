#include "synth/check/api_check.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

#include "synth/dedup.h"
#include "synth/walk_query.h"

extern "C" const TSLanguage* tree_sitter_python(void);

namespace kg::synth {

using Json = nlohmann::json;

namespace {

// What the graph says about one qualified name.
struct NodeInfo {
  std::string id;
  std::string label;  // first label
  std::string qualified_name;
  std::string signature;
  bool is_static = false;  // @staticmethod
  bool is_class_method = false;
};

// The accepted call shapes of a signature.
struct Arity {
  int min_positional = 0;
  int max_positional = 0;          // -1 = *args
  bool any_keyword = false;        // **kwargs
  std::vector<std::string> names;  // every parameter that may be passed by keyword
  std::set<std::string> required_keyword_only;
  bool valid = false;
};

}  // namespace

struct ApiChecker::Cache {
  Cache() {
    ts_parser_set_language(parser, tree_sitter_python());
    ts_parser_set_language(sig_parser, tree_sitter_python());
  }
  ~Cache() {
    ts_parser_delete(sig_parser);
    ts_parser_delete(parser);
  }
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;
  // Parsers for snippets and for signatures, reused by every Check of the checker.
  TSParser* parser = ts_parser_new();
  TSParser* sig_parser = ts_parser_new();
  bool graph_exists = false;  // the graph was found once (it is not looked up per snippet)
  bool loaded = false;
  std::set<std::string> top_packages;  // first components of the graph's modules
  std::map<std::string, std::optional<NodeInfo>> by_qn;
  // class qn -> (member name -> info); plus whether any base is outside the graph.
  struct Members {
    std::map<std::string, NodeInfo> members;
    bool external_base = false;
  };
  std::map<std::string, Members> members;
  std::map<std::string, std::vector<std::string>> children;  // module qn -> child names
};

namespace {

std::string Text(TSNode n, std::string_view code) {
  uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (e > code.size() || b > e) return "";
  return std::string(code.substr(b, e - b));
}

std::string Type(TSNode n) { return ts_node_type(n); }

TSNode Field(TSNode n, const char* name) {
  return ts_node_child_by_field_name(n, name, static_cast<uint32_t>(strlen(name)));
}

bool HasDecorator(const Value& v, std::string_view name) {
  if (v.is_string()) return v.as_string() == name;
  if (!v.is_list()) return false;
  for (const auto& d : v.as_list()) {
    if (d.is_string() && d.as_string() == name) return true;
  }
  return false;
}

const std::set<std::string>& Builtins() {
  static const std::set<std::string> kBuiltins = {"abs",
                                                  "all",
                                                  "any",
                                                  "ascii",
                                                  "bin",
                                                  "bool",
                                                  "breakpoint",
                                                  "bytearray",
                                                  "bytes",
                                                  "callable",
                                                  "chr",
                                                  "classmethod",
                                                  "compile",
                                                  "complex",
                                                  "delattr",
                                                  "dict",
                                                  "dir",
                                                  "divmod",
                                                  "enumerate",
                                                  "eval",
                                                  "exec",
                                                  "filter",
                                                  "float",
                                                  "format",
                                                  "frozenset",
                                                  "getattr",
                                                  "globals",
                                                  "hasattr",
                                                  "hash",
                                                  "help",
                                                  "hex",
                                                  "id",
                                                  "input",
                                                  "int",
                                                  "isinstance",
                                                  "issubclass",
                                                  "iter",
                                                  "len",
                                                  "list",
                                                  "locals",
                                                  "map",
                                                  "max",
                                                  "memoryview",
                                                  "min",
                                                  "next",
                                                  "object",
                                                  "oct",
                                                  "open",
                                                  "ord",
                                                  "pow",
                                                  "print",
                                                  "property",
                                                  "range",
                                                  "repr",
                                                  "reversed",
                                                  "round",
                                                  "set",
                                                  "setattr",
                                                  "slice",
                                                  "sorted",
                                                  "staticmethod",
                                                  "str",
                                                  "sum",
                                                  "super",
                                                  "tuple",
                                                  "type",
                                                  "vars",
                                                  "zip",
                                                  "__import__",
                                                  "None",
                                                  "True",
                                                  "False",
                                                  "Exception",
                                                  "ValueError",
                                                  "TypeError",
                                                  "KeyError",
                                                  "IndexError",
                                                  "AttributeError",
                                                  "RuntimeError",
                                                  "NotImplementedError",
                                                  "NotImplemented",
                                                  "StopIteration",
                                                  "self",
                                                  "cls",
                                                  "__name__",
                                                  "__file__",
                                                  "__doc__",
                                                  "ImportError",
                                                  "OSError",
                                                  "LookupError",
                                                  "AssertionError",
                                                  "Ellipsis",
                                                  "BaseException",
                                                  "DeprecationWarning",
                                                  "Warning",
                                                  "UserWarning",
                                                  "RuntimeWarning",
                                                  "PendingDeprecationWarning",
                                                  "IOError"};
  return kBuiltins;
}

// Parses `def f(<params>)` text (the node's signature property) into an Arity.
Arity ParseArity(std::string_view signature, TSParser* parser) {
  Arity a;
  std::string text(signature);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
  if (text.rfind("async ", 0) == 0) text = text.substr(6);
  if (text.rfind("def ", 0) != 0) return a;
  if (text.empty() || text.back() != ':') text += ":";
  text += " pass\n";
  TSTree* tree =
      ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
  if (tree == nullptr) return a;
  TSNode root = ts_tree_root_node(tree);
  TSNode fn = ts_node_named_child(root, 0);
  if (Type(fn) != "function_definition") {
    ts_tree_delete(tree);
    return a;
  }
  TSNode params = Field(fn, "parameters");
  bool keyword_only = false;
  for (uint32_t i = 0; i < ts_node_named_child_count(params); ++i) {
    TSNode p = ts_node_named_child(params, i);
    std::string t = Type(p);
    std::string name;
    bool has_default = t == "default_parameter" || t == "typed_default_parameter";
    if (t == "identifier") {
      name = Text(p, text);
    } else if (t == "typed_parameter") {
      TSNode inner = ts_node_named_child(p, 0);
      std::string it = Type(inner);
      if (it == "list_splat_pattern") {
        a.max_positional = -1;
        keyword_only = true;
        continue;
      }
      if (it == "dictionary_splat_pattern") {
        a.any_keyword = true;
        continue;
      }
      name = Text(inner, text);
    } else if (has_default) {
      name = Text(Field(p, "name"), text);
    } else if (t == "list_splat_pattern") {
      if (a.max_positional >= 0) a.max_positional = -1;
      keyword_only = true;
      continue;
    } else if (t == "keyword_separator") {
      keyword_only = true;
      continue;
    } else if (t == "dictionary_splat_pattern") {
      a.any_keyword = true;
      continue;
    } else if (t == "positional_separator") {
      continue;
    } else {
      continue;
    }
    a.names.push_back(name);
    if (keyword_only) {
      if (!has_default) a.required_keyword_only.insert(name);
      continue;
    }
    if (a.max_positional >= 0) ++a.max_positional;
    if (!has_default) ++a.min_positional;
  }
  // A *args seen before later positionals: max stays unbounded.
  a.valid = true;
  ts_tree_delete(tree);
  return a;
}

// A value the snippet computes, as far as the check can tell.
struct Sym {
  enum Kind { kUnknown, kModule, kClass, kInstance, kFunction, kMethod, kLocal } kind = kUnknown;
  std::string qn;      // module / class / function qualified name
  NodeInfo info;       // for functions, methods, classes
  bool bound = false;  // method reached through an instance (self is implicit)
  bool known = false;  // resolved against the graph
};

class Analyzer {
 public:
  Analyzer(storage::GraphStore& store, const std::string& graph, ApiChecker::Cache* cache,
           std::string_view code, TSParser* sig_parser)
      : store_(store), graph_(graph), cache_(*cache), code_(code), sig_parser_(sig_parser) {}

  Status Run(TSNode root) {
    CollectBindings(root);
    return Visit(root);
  }

  Json references = Json::array();
  int resolved = 0, not_found = 0, unresolvable = 0, arity_mismatch = 0;

 private:
  // Every name the snippet binds anywhere (assignments, parameters, loops, defs, ...): such
  // names are local and never reported.
  void CollectBindings(TSNode n) {
    std::string t = Type(n);
    auto bind_target = [&](TSNode target) { BindTargets(target); };
    if (t == "function_definition" || t == "class_definition") {
      locals_.insert(Text(Field(n, "name"), code_));
    } else if (t == "assignment" || t == "augmented_assignment" || t == "for_statement" ||
               t == "for_in_clause") {
      bind_target(Field(n, "left"));
    } else if (t == "parameters" || t == "lambda_parameters") {
      for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) {
        TSNode p = ts_node_named_child(n, i);
        std::string pt = Type(p);
        if (pt == "identifier") {
          locals_.insert(Text(p, code_));
        } else if (pt == "default_parameter" || pt == "typed_default_parameter") {
          locals_.insert(Text(Field(p, "name"), code_));
        } else {
          BindTargets(p);
        }
      }
    } else if (t == "as_pattern") {
      TSNode alias = Field(n, "alias");
      if (!ts_node_is_null(alias)) BindTargets(alias);
    } else if (t == "global_statement" || t == "nonlocal_statement") {
      BindTargets(n);
    } else if (t == "named_expression") {
      bind_target(Field(n, "name"));
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) {
      CollectBindings(ts_node_named_child(n, i));
    }
  }
  void BindTargets(TSNode n) {
    if (ts_node_is_null(n)) return;
    if (Type(n) == "identifier") {
      locals_.insert(Text(n, code_));
      return;
    }
    if (Type(n) == "attribute" || Type(n) == "subscript") return;
    for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) {
      BindTargets(ts_node_named_child(n, i));
    }
  }

  Result<query::QueryResult> Query(std::string_view text, ValueMap params) {
    return RunWalkQuery(store_, graph_, text, params);
  }

  Status LoadPackages() {
    if (cache_.loaded) return Status::OK();
    KG_ASSIGN_OR_RETURN(auto r, Query("MATCH (m:Module) RETURN m.name", {}));
    for (const auto& row : r.rows) {
      std::string qn = CellString(row[0]);
      if (!qn.empty()) cache_.top_packages.insert(qn.substr(0, qn.find('.')));
    }
    cache_.loaded = true;
    return Status::OK();
  }

  static NodeInfo InfoFromRow(const ValueList& row) {
    NodeInfo info;
    info.id = CellString(row[0]);
    info.label = CellFirstLabel(row[1]);
    info.qualified_name = CellString(row[2]);
    info.signature = CellString(row[3]);
    info.is_static = HasDecorator(row[4], "staticmethod");
    info.is_class_method = HasDecorator(row[4], "classmethod");
    return info;
  }

  // The node with qualified name `qn`, following re-exports (a package's EXPORTS edges) when
  // no node has it directly.
  Result<std::optional<NodeInfo>> Lookup(const std::string& qn, int depth = 0) {
    auto it = cache_.by_qn.find(qn);
    if (it != cache_.by_qn.end()) return it->second;
    std::optional<NodeInfo> found;
    KG_ASSIGN_OR_RETURN(
        auto r, Query("MATCH (n) WHERE n.qualified_name = $qn "
                      "RETURN id(n), labels(n), n.qualified_name, n.signature, n.decorators",
                      {{"qn", qn}}));
    for (const auto& row : r.rows) {
      NodeInfo info = InfoFromRow(row);
      if (info.label == "External") continue;
      if (!found) found = info;
    }
    if (!found) {
      // Modules carry their dotted name in `name`.
      KG_ASSIGN_OR_RETURN(auto m,
                          Query("MATCH (n:Module) WHERE n.name = $qn "
                                "RETURN id(n), labels(n), n.name, n.signature, n.decorators",
                                {{"qn", qn}}));
      if (!m.rows.empty()) found = InfoFromRow(m.rows[0]);
    }
    size_t dot = qn.rfind('.');
    if (!found && dot != std::string::npos && depth < 3) {
      // `from pkg import Name` where pkg/__init__.py re-exports Name (an EXPORTS edge).
      KG_ASSIGN_OR_RETURN(auto exp,
                          Query("MATCH (m:Module)-[e:EXPORTS]->(t) WHERE m.name = $m AND "
                                "e.name = $name RETURN t.qualified_name",
                                {{"m", qn.substr(0, dot)}, {"name", qn.substr(dot + 1)}}));
      for (const auto& row : exp.rows) {
        std::string target = CellString(row[0]);
        if (target.empty() || target == qn) continue;
        KG_ASSIGN_OR_RETURN(found, Lookup(target, depth + 1));
        if (found) break;
      }
    }
    cache_.by_qn[qn] = found;
    return found;
  }

  Result<const ApiChecker::Cache::Members*> MembersOf(const std::string& class_qn) {
    auto it = cache_.members.find(class_qn);
    if (it != cache_.members.end()) return &it->second;
    ApiChecker::Cache::Members m;
    std::vector<std::string> queue = {class_qn};
    std::set<std::string> seen;
    while (!queue.empty() && seen.size() < 32) {
      std::string c = queue.front();
      queue.erase(queue.begin());
      if (!seen.insert(c).second) continue;
      KG_ASSIGN_OR_RETURN(
          auto r, Query("MATCH (c:Class)-[:HAS_METHOD|HAS_FIELD]->(x) WHERE c.qualified_name = "
                        "$qn RETURN id(x), labels(x), x.qualified_name, x.signature, "
                        "x.decorators, x.name",
                        {{"qn", c}}));
      for (const auto& row : r.rows) {
        std::string name = CellString(row[5]);
        if (!name.empty() && m.members.count(name) == 0) m.members[name] = InfoFromRow(row);
      }
      KG_ASSIGN_OR_RETURN(auto b,
                          Query("MATCH (c:Class)-[:INHERITS]->(b) WHERE c.qualified_name = $qn "
                                "RETURN b.qualified_name, labels(b), b.name",
                                {{"qn", c}}));
      for (const auto& row : b.rows) {
        std::string label = CellFirstLabel(row[1]);
        std::string base = CellString(row[0]);
        if (label == "External" || base.empty()) {
          std::string name = CellString(row[2]);
          if (name != "object") m.external_base = true;
        } else {
          queue.push_back(base);
        }
      }
    }
    auto [ins, ok] = cache_.members.emplace(class_qn, std::move(m));
    return &ins->second;
  }

  Result<std::vector<std::string>> ModuleChildren(const std::string& module) {
    auto it = cache_.children.find(module);
    if (it != cache_.children.end()) return it->second;
    KG_ASSIGN_OR_RETURN(auto r, Query("MATCH (n) WHERE n.qualified_name STARTS WITH $p "
                                      "RETURN DISTINCT n.qualified_name",
                                      {{"p", module + "."}}));
    std::vector<std::string> names;
    KG_ASSIGN_OR_RETURN(auto sub, Query("MATCH (n:Module) WHERE n.name STARTS WITH $p "
                                        "RETURN DISTINCT n.name",
                                        {{"p", module + "."}}));
    for (const auto* rows : {&r.rows, &sub.rows}) {
      for (const auto& row : *rows) {
        std::string qn = CellString(row[0]);
        if (qn.size() <= module.size() + 1) continue;
        std::string rest = qn.substr(module.size() + 1);
        if (!rest.empty() && rest.find('.') == std::string::npos) names.push_back(rest);
      }
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    cache_.children[module] = names;
    return names;
  }

  static Json Suggest(const std::string& name, const std::vector<std::string>& pool,
                      const std::string& prefix) {
    std::vector<std::pair<double, std::string>> scored;
    for (const auto& c : pool) {
      scored.emplace_back(-LevenshteinSimilarity(name, c), c);
    }
    std::sort(scored.begin(), scored.end());
    Json out = Json::array();
    for (size_t i = 0; i < scored.size() && i < 3; ++i) {
      if (-scored[i].first < 0.3) break;
      out.push_back(prefix + scored[i].second);
    }
    return out;
  }

  Json& Report(TSNode at, const std::string& name, const std::string& kind,
               const std::string& status) {
    TSPoint p = ts_node_start_point(at);
    Json ref = {{"name", name},        {"kind", kind},     {"line", p.row + 1},
                {"col", p.column + 1}, {"status", status}, {"suggestions", Json::array()}};
    if (status == "resolved") ++resolved;
    if (status == "not_found") ++not_found;
    if (status == "unresolvable") ++unresolvable;
    references.push_back(std::move(ref));
    return references.back();
  }

  static std::string KindOf(const NodeInfo& info) {
    if (info.label == "Module") return "module";
    if (info.label == "Class") return "class";
    if (info.label == "Function") return "function";
    if (info.label == "Method") return "method";
    if (info.label == "Field") return "attribute";
    if (info.label == "Variable") return "variable";
    return "name";
  }

  static Sym SymOf(const NodeInfo& info) {
    Sym s;
    s.known = true;
    s.info = info;
    s.qn = info.qualified_name;
    if (info.label == "Module") s.kind = Sym::kModule;
    if (info.label == "Class") s.kind = Sym::kClass;
    if (info.label == "Function") s.kind = Sym::kFunction;
    if (info.label == "Method") s.kind = Sym::kMethod;
    return s;
  }

  void Resolved(Json& ref, const NodeInfo& info) {
    ref["node_id"] = info.id;
    ref["qualified_name"] = info.qualified_name;
  }

  // import a.b.c [as x] / from m import n [as x]
  Status Import(TSNode n) {
    KG_RETURN_IF_ERROR(LoadPackages());
    std::string t = Type(n);
    if (t == "import_statement") {
      for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) {
        TSNode c = ts_node_named_child(n, i);
        TSNode name_node = c;
        std::string alias;
        if (Type(c) == "aliased_import") {
          name_node = Field(c, "name");
          alias = Text(Field(c, "alias"), code_);
        }
        std::string dotted = Text(name_node, code_);
        KG_ASSIGN_OR_RETURN(Sym s, ImportName(c, dotted, "module"));
        if (!alias.empty()) {
          bindings_[alias] = s;
        } else {
          std::string top = dotted.substr(0, dotted.find('.'));
          Sym m;
          m.kind = s.known || cache_.top_packages.count(top) ? Sym::kModule : Sym::kUnknown;
          m.qn = top;
          m.known = m.kind == Sym::kModule;
          bindings_[top] = m;
        }
      }
      return Status::OK();
    }
    // import_from_statement
    TSNode module_node = Field(n, "module_name");
    std::string module = Text(module_node, code_);
    bool relative = Type(module_node) == "relative_import";
    for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) {
      TSNode c = ts_node_named_child(n, i);
      if (ts_node_eq(c, module_node)) continue;
      if (Type(c) == "wildcard_import") {
        star_import_ = true;
        continue;
      }
      TSNode name_node = c;
      std::string alias;
      if (Type(c) == "aliased_import") {
        name_node = Field(c, "name");
        alias = Text(Field(c, "alias"), code_);
      }
      if (Type(name_node) != "dotted_name") continue;
      std::string name = Text(name_node, code_);
      Sym s;
      if (relative) {
        Report(c, module + name, "name", "unresolvable");
      } else {
        KG_ASSIGN_OR_RETURN(s, ImportName(c, module + "." + name, "name"));
      }
      bindings_[alias.empty() ? name : alias] = s;
    }
    return Status::OK();
  }

  Result<Sym> ImportName(TSNode at, const std::string& qn, const std::string& default_kind) {
    std::string top = qn.substr(0, qn.find('.'));
    if (cache_.top_packages.count(top) == 0) {
      Report(at, qn, default_kind, "unresolvable");
      return Sym{};
    }
    KG_ASSIGN_OR_RETURN(auto info, Lookup(qn));
    if (info) {
      Json& ref = Report(at, qn, KindOf(*info), "resolved");
      Resolved(ref, *info);
      return SymOf(*info);
    }
    size_t dot = qn.rfind('.');
    Json& ref = Report(at, qn, default_kind, "not_found");
    if (dot != std::string::npos) {
      std::string parent = qn.substr(0, dot);
      KG_ASSIGN_OR_RETURN(auto kids, ModuleChildren(parent));
      ref["suggestions"] = Suggest(qn.substr(dot + 1), kids, parent + ".");
    }
    return Sym{};
  }

  // Resolves attribute `attr` of `base` (written `text`).
  Result<Sym> Attribute(TSNode at, const Sym& base, const std::string& attr,
                        const std::string& text) {
    if (base.kind == Sym::kModule) {
      std::string qn = base.qn + "." + attr;
      KG_ASSIGN_OR_RETURN(auto info, Lookup(qn));
      if (info) {
        Json& ref = Report(at, text, KindOf(*info), "resolved");
        Resolved(ref, *info);
        return SymOf(*info);
      }
      Json& ref = Report(at, text, "name", "not_found");
      KG_ASSIGN_OR_RETURN(auto kids, ModuleChildren(base.qn));
      ref["suggestions"] = Suggest(attr, kids, base.qn + ".");
      return Sym{};
    }
    if (base.kind == Sym::kClass || base.kind == Sym::kInstance) {
      KG_ASSIGN_OR_RETURN(auto members, MembersOf(base.qn));
      auto it = members->members.find(attr);
      if (it != members->members.end()) {
        const NodeInfo& info = it->second;
        Json& ref = Report(at, text, info.label == "Method" ? "method" : "attribute", "resolved");
        Resolved(ref, info);
        Sym s = SymOf(info);
        s.bound = base.kind == Sym::kInstance || info.is_class_method;
        if (info.label != "Method") s.kind = Sym::kUnknown;
        return s;
      }
      if (members->external_base || attr.rfind("__", 0) == 0) {
        Report(at, text, "attribute", "unresolvable");
        return Sym{};
      }
      Json& ref = Report(at, text, "attribute", "not_found");
      std::vector<std::string> pool;
      for (const auto& [name, info] : members->members) pool.push_back(name);
      ref["suggestions"] = Suggest(attr, pool, base.qn + ".");
      return Sym{};
    }
    if (base.kind == Sym::kUnknown && !base.known && base.qn == "<report>") {
      Report(at, text, "attribute", "unresolvable");
    }
    return Sym{};
  }

  // Checks the call's argument count against `callee`; records a mismatch on the last
  // reference of the callee.
  void CheckCall(TSNode call, const Sym& callee, size_t ref_index) {
    const NodeInfo* target = &callee.info;
    NodeInfo init;
    bool skip_first = callee.bound;
    if (callee.kind == Sym::kClass) {
      auto members = MembersOf(callee.qn);
      if (!members.ok()) return;
      auto it = (*members)->members.find("__init__");
      if (it == (*members)->members.end()) return;
      init = it->second;
      target = &init;
      skip_first = true;
    } else if (callee.kind != Sym::kFunction && callee.kind != Sym::kMethod) {
      return;
    }
    if (target->is_static) skip_first = false;
    if (target->is_class_method) skip_first = true;
    Arity a = ParseArity(target->signature, sig_parser_);
    if (!a.valid) return;
    TSNode args = Field(call, "arguments");
    if (ts_node_is_null(args) || Type(args) != "argument_list") return;
    int positional = 0;
    std::set<std::string> keywords;
    for (uint32_t i = 0; i < ts_node_named_child_count(args); ++i) {
      TSNode arg = ts_node_named_child(args, i);
      std::string t = Type(arg);
      if (t == "list_splat" || t == "dictionary_splat") return;
      if (t == "comment") continue;
      if (t == "keyword_argument") {
        keywords.insert(Text(Field(arg, "name"), code_));
      } else {
        ++positional;
      }
    }
    int min = a.min_positional, max = a.max_positional;
    std::vector<std::string> names = a.names;
    if (skip_first && !names.empty() && max != 0) {
      names.erase(names.begin());
      if (min > 0) --min;
      if (max > 0) --max;
    }
    bool ok = true;
    if (max >= 0 && positional > max) ok = false;
    // Keywords fill required positionals they name.
    int filled = positional;
    for (int i = positional; i < static_cast<int>(names.size()) && i < min; ++i) {
      if (keywords.count(names[static_cast<size_t>(i)])) ++filled;
    }
    if (filled < min) ok = false;
    for (const auto& k : keywords) {
      if (!a.any_keyword && std::find(names.begin(), names.end(), k) == names.end()) ok = false;
    }
    for (const auto& k : a.required_keyword_only) {
      if (!keywords.count(k)) ok = false;
    }
    if (ok) return;
    std::string expected = max < 0      ? std::to_string(min) + "+"
                           : min == max ? std::to_string(min)
                                        : std::to_string(min) + ".." + std::to_string(max);
    references[ref_index]["arity"] = {{"expected", expected},
                                      {"given", positional + static_cast<int>(keywords.size())}};
    ++arity_mismatch;
  }

  // Evaluates an expression: reports what it references and returns what it is.
  Result<Sym> Eval(TSNode n) {
    std::string t = Type(n);
    if (t == "identifier") {
      std::string name = Text(n, code_);
      auto it = bindings_.find(name);
      if (it != bindings_.end()) return it->second;
      Sym s;
      if (!locals_.count(name) && !Builtins().count(name)) {
        // A free name: defined outside the snippet (or by a star import).
        s.qn = "<report>";
      }
      return s;
    }
    if (t == "attribute") {
      TSNode object = Field(n, "object");
      KG_ASSIGN_OR_RETURN(Sym base, Eval(object));
      std::string attr = Text(Field(n, "attribute"), code_);
      if (base.kind == Sym::kUnknown) {
        // Attributes of something the check cannot type: dynamic, not reported one by one
        // unless the chain starts at a free name.
        if (base.qn == "<report>") Report(n, Text(n, code_), "attribute", "unresolvable");
        return Sym{};
      }
      return Attribute(n, base, attr, Text(n, code_));
    }
    if (t == "call") {
      TSNode fn = Field(n, "function");
      size_t before = references.size();
      KG_ASSIGN_OR_RETURN(Sym callee, Eval(fn));
      size_t after = references.size();
      TSNode args = Field(n, "arguments");
      if (!ts_node_is_null(args)) KG_RETURN_IF_ERROR(Visit(args));
      if (callee.known) {
        size_t ref_index = after > before ? after - 1 : SIZE_MAX;
        if (ref_index == SIZE_MAX) {
          // The callee was bound earlier (e.g. `from m import f` then `f()`): report the call.
          Json& ref = Report(fn, Text(fn, code_), KindOf(callee.info), "resolved");
          Resolved(ref, callee.info);
          ref_index = references.size() - 1;
        }
        CheckCall(n, callee, ref_index);
        if (callee.kind == Sym::kClass) {
          Sym inst = callee;
          inst.kind = Sym::kInstance;
          return inst;
        }
      }
      return Sym{};
    }
    KG_RETURN_IF_ERROR(Visit(n));
    return Sym{};
  }

  Status Visit(TSNode n) {
    std::string t = Type(n);
    if (t == "import_statement" || t == "import_from_statement") return Import(n);
    if (t == "future_import_statement") return Status::OK();
    if (t == "identifier" || t == "attribute" || t == "call") return Eval(n).status();
    if (t == "assignment") {
      TSNode left = Field(n, "left"), right = Field(n, "right");
      Sym value;
      if (!ts_node_is_null(right)) {
        KG_ASSIGN_OR_RETURN(value, Eval(right));
      }
      if (!ts_node_is_null(left)) {
        if (Type(left) == "identifier") {
          bindings_[Text(left, code_)] = value;
        } else {
          KG_RETURN_IF_ERROR(Visit(left));
        }
      }
      TSNode type = Field(n, "type");
      if (!ts_node_is_null(type)) KG_RETURN_IF_ERROR(Visit(type));
      return Status::OK();
    }
    if (t == "keyword_argument") {
      TSNode value = Field(n, "value");
      return ts_node_is_null(value) ? Status::OK() : Visit(value);
    }
    if (t == "function_definition" || t == "class_definition") {
      // Parameters and names are bindings, not references.
      for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) {
        TSNode c = ts_node_named_child(n, i);
        if (ts_node_eq(c, Field(n, "name"))) continue;
        KG_RETURN_IF_ERROR(Visit(c));
      }
      return Status::OK();
    }
    if (t == "parameters" || t == "lambda_parameters") {
      for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) {
        TSNode p = ts_node_named_child(n, i);
        TSNode v = Field(p, "value");
        if (!ts_node_is_null(v)) KG_RETURN_IF_ERROR(Visit(v));
        TSNode ty = Field(p, "type");
        if (!ts_node_is_null(ty)) KG_RETURN_IF_ERROR(Visit(ty));
      }
      return Status::OK();
    }
    if (t == "string" || t == "comment" || t == "integer" || t == "float") return Status::OK();
    for (uint32_t i = 0; i < ts_node_named_child_count(n); ++i) {
      KG_RETURN_IF_ERROR(Visit(ts_node_named_child(n, i)));
    }
    return Status::OK();
  }

  storage::GraphStore& store_;
  const std::string& graph_;
  ApiChecker::Cache& cache_;
  std::string_view code_;
  TSParser* sig_parser_;
  std::set<std::string> locals_;
  std::map<std::string, Sym> bindings_;
  bool star_import_ = false;
};

}  // namespace

ApiChecker::ApiChecker(storage::GraphStore& store, std::string graph)
    : store_(store), graph_(std::move(graph)), cache_(std::make_unique<Cache>()) {}

ApiChecker::~ApiChecker() = default;

Result<Json> ApiChecker::Check(std::string_view code, std::string_view language) {
  if (language != "python") {
    return Status::InvalidArgument("language '" + std::string(language) +
                                   "' is not supported by the API check (supported: python)");
  }
  bool blank = std::all_of(code.begin(), code.end(),
                           [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; });
  if (blank) return Status::InvalidArgument("the code snippet is empty");
  if (code.size() > kMaxSnippetBytes) {
    return Status::InvalidArgument("the code snippet has " + std::to_string(code.size()) +
                                   " bytes; the limit is " + std::to_string(kMaxSnippetBytes));
  }
  // NotFound for an unknown graph, before any parsing (once per checker).
  if (!cache_->graph_exists) {
    KG_RETURN_IF_ERROR(RunWalkQuery(store_, graph_, "MATCH (n:Repo) RETURN count(n)").status());
    cache_->graph_exists = true;
  }
  TSParser* parser = cache_->parser;
  TSParser* sig_parser = cache_->sig_parser;
  TSTree* tree =
      ts_parser_parse_string(parser, nullptr, code.data(), static_cast<uint32_t>(code.size()));
  Status status;
  Json result;
  if (tree == nullptr) {
    status = Status::Internal("tree-sitter failed to parse the snippet");
  } else {
    TSNode root = ts_tree_root_node(tree);
    Analyzer analyzer(store_, graph_, cache_.get(), code, sig_parser);
    status = analyzer.Run(root);
    if (status.ok()) {
      result = {{"ok", analyzer.not_found == 0 && analyzer.arity_mismatch == 0},
                {"references", std::move(analyzer.references)},
                {"counts",
                 {{"resolved", analyzer.resolved},
                  {"not_found", analyzer.not_found},
                  {"unresolvable", analyzer.unresolvable},
                  {"arity_mismatch", analyzer.arity_mismatch}}},
                {"syntax_error", ts_node_has_error(root)}};
    }
    ts_tree_delete(tree);
  }
  if (!status.ok()) return status;
  return result;
}

Result<Json> CheckApi(storage::GraphStore& store, std::string_view graph, std::string_view code,
                      std::string_view language) {
  ApiChecker checker(store, std::string(graph));
  return checker.Check(code, language);
}

}  // namespace kg::synth

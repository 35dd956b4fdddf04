#include "ingest/resolver.h"

#include <algorithm>
#include <set>
#include <utility>

#include "ingest/languages/registry.h"

namespace kg::ingest {
namespace {

constexpr int kMaxReexportHops = 8;

std::vector<std::string> SplitDots(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find('.', start);
    out.emplace_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) return out;
    start = pos + 1;
  }
}

// SplitDots as views into `s`, into *out (cleared first).
void SplitDotViews(std::string_view s, std::vector<std::string_view>* out) {
  out->clear();
  size_t start = 0;
  while (true) {
    size_t pos = s.find('.', start);
    out->push_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) return;
    start = pos + 1;
  }
}

std::string JoinDots(const std::vector<std::string>& parts, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    if (i > begin) out.push_back('.');
    out += parts[i];
  }
  return out;
}

bool IsIdentChar(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80;
}

// "a.b.c" made of identifiers (no empty parts). '$' and '-' count as identifier characters: JS
// names and file-derived module names ("src.my-widget") contain them.
// A call written with C++/Rust paths, members through `->` or template/generic arguments as a
// dotted name: `ns::f` -> ns.f, `this->m` -> this.m, `Type::new` -> Type.new, `f<int>`,
// `f::<T>` -> f, `::g` -> g. Other text is returned unchanged.
std::string DottedCallee(std::string_view callee) {
  if (callee.find_first_of(":-<") == std::string_view::npos) return std::string(callee);
  std::string out;
  int depth = 0;
  for (size_t i = 0; i < callee.size(); ++i) {
    char c = callee[i];
    if (c == '<') {
      ++depth;
    } else if (c == '>' && depth > 0) {
      --depth;
    } else if (depth > 0) {
      continue;
    } else if ((c == ':' && i + 1 < callee.size() && callee[i + 1] == ':') ||
               (c == '-' && i + 1 < callee.size() && callee[i + 1] == '>')) {
      out.push_back('.');
      ++i;
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

bool IsDottedName(std::string_view s) {
  if (s.empty()) return false;
  bool part_start = true;
  for (char c : s) {
    if (c == '.') {
      if (part_start) return false;
      part_start = true;
      continue;
    }
    if (!(IsIdentChar(c) || c == '$' || c == '-') || (part_start && c >= '0' && c <= '9')) {
      return false;
    }
    part_start = false;
  }
  return !part_start;
}

// The file path of a definition id `path:Qualified.Path`.
std::string_view PathOfIdPrefix(std::string_view id) {
  size_t colon = id.rfind(':');
  return colon == std::string_view::npos ? std::string_view() : id.substr(0, colon);
}

// Whether the definition `id` (`path:Qualified.Path`, maybe with "#n") is named `name` directly
// inside a scope named `scope`: its qualified path is `scope.name` or ends with `.scope.name`.
bool InScopeNamed(std::string_view id, std::string_view scope, std::string_view name) {
  std::string_view qualified = id.substr(id.rfind(':') + 1);  // npos + 1 == 0: the whole id
  qualified = qualified.substr(0, qualified.find('#'));
  if (!qualified.ends_with(name)) return false;
  qualified.remove_suffix(name.size());
  if (!qualified.ends_with('.')) return false;
  qualified.remove_suffix(1);
  if (!qualified.ends_with(scope)) return false;
  qualified.remove_suffix(scope.size());
  return qualified.empty() || qualified.back() == '.';
}

Target External(std::string_view dotted) {
  Target t;
  t.kind = Target::Kind::kExternal;
  t.dotted = std::string(dotted);
  t.id = ExternalId(dotted);
  return t;
}

// The name of the External node of an unresolved call: the callee as written, except that a
// call through an expression receiver keeps only the names after it: `"{}".format` ->
// "(...).format", `super().save` -> "(...).save", `rows[i].strip` -> "(...).strip". As names,
// such callees were unique per call site (whole SQL strings; on Django a fifth of the External
// nodes and an eighth of the name trigrams) and told an agent or a search nothing; one node per
// method name groups them. Receivers that end in a name (`a?.b`, `p->m`) stay as written.
std::string CallExternalName(std::string_view callee) {
  if (IsDottedName(callee)) return std::string(callee);
  size_t i = callee.size();  // the trailing run of name characters and dots starts at i
  while (i > 0 && (IsIdentChar(callee[i - 1]) || callee[i - 1] == '$' || callee[i - 1] == '.')) {
    --i;
  }
  if (i == 0) return std::string(callee);
  const char end = callee[i - 1];  // ends the receiver expression
  if (end != ')' && end != ']' && end != '}' && end != '"' && end != '\'' && end != '`') {
    return std::string(callee);
  }
  std::string_view rest = callee.substr(i);  // ".format", ".a.b"
  if (!rest.starts_with('.') || !IsDottedName(rest.substr(1))) return std::string(callee);
  return "(...)" + std::string(rest);
}

}  // namespace

std::string ExternalId(std::string_view dotted) { return "external:" + std::string(dotted); }

std::vector<ImportBinding> BindingsOf(const std::vector<ImportFact>& imports) {
  std::vector<ImportBinding> out;
  for (const ImportFact& imp : imports) {
    if (imp.module.empty() && imp.name.empty()) continue;
    if (!imp.from) {
      if (!imp.alias.empty()) {
        out.push_back({imp.alias, imp.module});
      } else {
        std::string first = imp.module.substr(0, imp.module.find('.'));
        out.push_back({first, first});
      }
    } else if (imp.name == "*") {
      out.push_back({"*", imp.module});
    } else {
      std::string target = imp.module.empty() ? imp.name : imp.module + "." + imp.name;
      out.push_back({imp.alias.empty() ? imp.name : imp.alias, target});
    }
  }
  return out;
}

RepoSymbols::RepoSymbols(std::map<std::string, languages::ModuleInfo> modules,
                         StoredSymbolLookup* stored)
    : modules_(std::make_move_iterator(modules.begin()), std::make_move_iterator(modules.end())),
      stored_(stored) {
  for (const auto& [path, info] : modules_) {
    owners_.emplace(info.name, path);  // first path wins
    module_files_[info.name].push_back(path);
  }
}

const std::vector<std::string>& RepoSymbols::FilesOfModule(std::string_view module) const {
  static const std::vector<std::string> kNone;
  auto it = module_files_.find(module);
  return it == module_files_.end() ? kNone : it->second;
}

const std::vector<CallableName>& RepoSymbols::CallablesNamed(std::string_view name) {
  if (!callables_built_) {
    callables_built_ = true;
    std::set<std::string, std::less<>> parsed_paths;
    for (const auto& [path, index] : parsed_) {
      parsed_paths.insert(path);
      for (const Definition& d : index.facts->definitions) {
        bool is_method = d.label == "Method";
        if (is_method || d.label == "Function") {
          callables_[d.name].push_back({d.name, d.id, is_method});
        }
      }
    }
    if (stored_ != nullptr) {
      for (CallableName& c : stored_->CallableNames(parsed_paths)) {
        if (modules_.find(PathOfIdPrefix(c.id)) != modules_.end()) {
          std::string n = c.name;
          callables_[n].push_back(std::move(c));
        }
      }
    }
  }
  static const std::vector<CallableName> kNone;
  auto it = callables_.find(name);
  return it == callables_.end() ? kNone : it->second;
}

void ResolveImportFiles(const languages::Language& language,
                        const std::map<std::string, languages::ModuleInfo>& modules,
                        FileFacts* facts) {
  languages::FileExists exists = [&modules](std::string_view p) {
    return modules.count(std::string(p)) > 0;
  };
  for (ImportFact& imp : facts->imports) {
    std::optional<std::string> file = language.ResolveImportFile(imp.written, facts->path, exists);
    if (!file) continue;
    auto it = modules.find(*file);
    if (it == modules.end()) continue;
    imp.file = *file;
    imp.module = it->second.name;
    imp.resolved = true;
  }
}

void RepoSymbols::AddParsed(const FileFacts* facts) {
  ParsedIndex& index = parsed_[facts->path];
  index = ParsedIndex();
  index.facts = facts;
  const int defs = static_cast<int>(facts->definitions.size());
  index.definition_by_path.reserve(defs);
  index.definition_by_id.reserve(defs);
  index.fields.resize(defs);
  for (int i = 0; i < defs; ++i) {
    const Definition& d = facts->definitions[i];
    index.definition_by_path.emplace(d.qualified_path, i);  // the first one wins
    index.definition_by_id.emplace(d.id, i);
  }
  const int members = static_cast<int>(facts->members.size());
  index.member_by_path.reserve(members);
  index.member_by_id.reserve(members);
  for (int i = 0; i < members; ++i) {
    const Member& m = facts->members[i];
    index.member_by_path.emplace(m.qualified_path, i);
    index.member_by_id.emplace(m.id, i);
    if (m.owner >= 0 && m.owner < defs) index.fields[m.owner].push_back(i);
  }
  bindings_.erase(facts->path);
}

const RepoSymbols::ParsedIndex* RepoSymbols::IndexOfPath(std::string_view path) const {
  auto it = parsed_.find(path);
  return it == parsed_.end() ? nullptr : &it->second;
}

std::optional<std::string> RepoSymbols::ModulePath(std::string_view module) const {
  auto it = owners_.find(module);
  if (it == owners_.end()) return std::nullopt;
  return it->second;
}

std::string RepoSymbols::ModuleId(std::string_view path) const {
  auto it = modules_.find(path);
  if (it == modules_.end()) return "module:" + std::string(path);  // not reached by contract
  const std::string& name = it->second.name;
  auto owner = owners_.find(name);
  if (owner != owners_.end() && owner->second != path) {
    return "module:" + name + "#" + std::string(path);
  }
  return "module:" + name;
}

std::optional<std::string> RepoSymbols::FindDefinition(std::string_view path,
                                                       std::string_view qualified_path) {
  if (const ParsedIndex* index = IndexOfPath(path)) {
    // Definitions first; a member never shares a definition's qualified path.
    if (auto d = index->definition_by_path.find(qualified_path);
        d != index->definition_by_path.end()) {
      return index->facts->definitions[d->second].id;
    }
    if (auto m = index->member_by_path.find(qualified_path); m != index->member_by_path.end()) {
      return index->facts->members[m->second].id;
    }
    return std::nullopt;
  }
  if (stored_ == nullptr) return std::nullopt;
  return stored_->FindDefinition(path, qualified_path);
}

const std::vector<ImportBinding>& RepoSymbols::Bindings(std::string_view path) {
  auto it = bindings_.find(path);
  if (it != bindings_.end()) return it->second;
  std::vector<ImportBinding> bindings;
  // Implicit wildcard imports (Java: the file's package) come before the file's own.
  const languages::Language* lang = languages::LanguageForPath(path);
  auto module = modules_.find(path);
  if (lang != nullptr && module != modules_.end()) {
    for (std::string& w : lang->ImplicitWildcardImports(module->second)) {
      bindings.push_back({"*", std::move(w)});
    }
  }
  std::vector<ImportBinding> own;
  if (auto p = parsed_.find(path); p != parsed_.end()) {
    own = BindingsOf(p->second.facts->imports);
  } else if (stored_ != nullptr) {
    own = stored_->Bindings(path);
  }
  bindings.insert(bindings.end(), own.begin(), own.end());
  return bindings_.emplace(std::string(path), std::move(bindings)).first->second;
}

namespace {
// (path, definition index or -1, member index or -1) of `id` in parsed facts.
std::string_view PathOfId(std::string_view id) {
  size_t colon = id.rfind(':');
  return colon == std::string_view::npos ? std::string_view() : id.substr(0, colon);
}
}  // namespace

std::string RepoSymbols::LabelOf(std::string_view id) {
  std::string_view path = PathOfId(id);
  if (const ParsedIndex* index = IndexOfPath(path)) {
    if (auto d = index->definition_by_id.find(id); d != index->definition_by_id.end()) {
      return index->facts->definitions[d->second].label;
    }
    if (auto m = index->member_by_id.find(id); m != index->member_by_id.end()) {
      return index->facts->members[m->second].label;
    }
    return "";
  }
  return stored_ == nullptr ? "" : stored_->LabelOf(id);
}

std::vector<std::pair<std::string, std::string>> RepoSymbols::FieldsOf(std::string_view class_id) {
  std::string_view path = PathOfId(class_id);
  if (const ParsedIndex* index = IndexOfPath(path)) {
    std::vector<std::pair<std::string, std::string>> out;
    auto d = index->definition_by_id.find(class_id);
    if (d == index->definition_by_id.end()) return out;
    for (int i : index->fields[d->second]) {
      const Member& m = index->facts->members[i];
      out.emplace_back(m.name, m.id);
    }
    return out;
  }
  return stored_ == nullptr ? std::vector<std::pair<std::string, std::string>>()
                            : stored_->FieldsOf(class_id);
}

const FileFacts* RepoSymbols::Parsed(std::string_view path) const {
  auto it = parsed_.find(path);
  return it == parsed_.end() ? nullptr : it->second.facts;
}

Target Resolver::ResolveDotted(std::string_view dotted) { return Resolve(dotted, 0); }

Target Resolver::Resolve(std::string_view dotted, int depth) {
  // A top-level lookup depends only on the name and the (unchanging) symbols: many call sites
  // of a file ask for the same names through the same wildcard imports.
  if (depth == 0) {
    auto it = memo_.find(dotted);
    if (it != memo_.end()) return it->second;
  }
  std::unordered_set<std::string> tried;
  Target t = Resolve(dotted, depth, &tried);
  if (depth == 0) memo_.emplace(std::string(dotted), t);
  return t;
}

Target Resolver::Resolve(std::string_view dotted, int depth,
                         std::unordered_set<std::string>* tried) {
  if (!IsDottedName(dotted)) return External(dotted);
  std::vector<std::string> parts = SplitDots(dotted);
  // The longest prefix that is a repository module.
  for (size_t k = parts.size(); k > 0; --k) {
    std::string module = JoinDots(parts, 0, k);
    std::optional<std::string> path = symbols_.ModulePath(module);
    if (!path) continue;
    Target t;
    t.dotted = std::string(dotted);
    t.module = module;
    t.id = symbols_.ModuleId(*path);
    if (k == parts.size()) {
      // Java: the module a.b.C names its class C.
      const languages::Language* lang = languages::LanguageForPath(*path);
      if (lang != nullptr && lang->ModuleNamesItsClass()) {
        if (auto id = symbols_.FindDefinition(*path, parts.back())) {
          t.kind = Target::Kind::kDefinition;
          t.id = *id;
          return t;
        }
      }
      t.kind = Target::Kind::kModule;
      return t;
    }
    std::string rest = JoinDots(parts, k, parts.size());
    if (auto id = symbols_.FindDefinition(*path, rest)) {
      t.kind = Target::Kind::kDefinition;
      t.id = *id;
      return t;
    }
    if (depth < kMaxReexportHops) {
      std::string tail = JoinDots(parts, k + 1, parts.size());
      std::vector<std::string> wildcards;
      const ImportBinding* bound = nullptr;  // the last binding of the name wins
      for (const ImportBinding& b : symbols_.Bindings(*path)) {
        if (b.name == "*") wildcards.push_back(b.target);
        if (b.name == parts[k]) bound = &b;
      }
      if (bound != nullptr) {
        std::string next = tail.empty() ? bound->target : bound->target + "." + tail;
        if (next != dotted) return Resolve(next, depth + 1, tried);
      }
      for (const std::string& w : wildcards) {
        // Each name is tried through wildcards once per lookup: modules that glob-import each
        // other (Rust `use super::*` in a child, `pub use self::child::*` in the parent) would
        // otherwise re-enter the same names at every hop, exponentially in the hop limit. A
        // name tried before did not resolve to a definition (or is being resolved further up).
        std::string candidate = w + "." + rest;
        if (!tried->insert(candidate).second) continue;
        Target via = Resolve(candidate, depth + 1, tried);
        if (via.kind == Target::Kind::kDefinition) return via;
      }
    }
    t.kind = Target::Kind::kModuleMember;
    return t;
  }
  return External(dotted);
}

size_t Resolver::InFileKeyHash::operator()(const InFileKeyView& k) const {
  size_t h = std::hash<std::string_view>()(k.written);
  h ^= std::hash<const void*>()(k.facts) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= std::hash<int>()(k.scope) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

Target Resolver::ResolveInFile(const FileFacts& facts, int scope, std::string_view written) {
  // Only facts registered with the symbols are memoized: they outlive the symbols and do not
  // change, so a (facts, scope, text) lookup always gives the same target. The classes of popular
  // bases are looked up again for every member and inherited field of every subclass.
  if (symbols_.IndexOf(facts) == nullptr) return ResolveInFileUncached(facts, scope, written);
  InFileKeyView view{&facts, scope, written};
  if (auto it = in_file_memo_.find(view); it != in_file_memo_.end()) return it->second;
  Target t = ResolveInFileUncached(facts, scope, written);
  in_file_memo_.emplace(InFileKey{&facts, scope, std::string(written)}, t);
  return t;
}

Target Resolver::ResolveInFileUncached(const FileFacts& facts, int scope,
                                       std::string_view written) {
  // "Generic[T]" -> "Generic"; "namedtuple('P', 'x')" -> "namedtuple"; "List<T>" -> "List".
  std::string name;
  for (char c : written) {
    if (c == '[' || c == '(' || c == '<') break;
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\') name.push_back(c);
  }
  if (!IsDottedName(name)) return External(written);
  std::vector<std::string> parts = SplitDots(name);

  // Enclosing class scopes (innermost first), then the module's own definitions. Python looks
  // names up in a class body while it runs, so a nested class may name a sibling.
  std::vector<std::string> prefixes;
  for (int s = scope; s >= 0; s = facts.definitions[s].parent) {
    if (facts.definitions[s].label == "Class") {
      prefixes.push_back(facts.definitions[s].qualified_path + ".");
    }
  }
  prefixes.push_back("");
  const RepoSymbols::ParsedIndex* index = symbols_.IndexOf(facts);
  for (const std::string& prefix : prefixes) {
    std::string qualified = prefix + name;
    const Definition* found = nullptr;
    if (index != nullptr) {
      auto it = index->definition_by_path.find(qualified);
      if (it != index->definition_by_path.end()) found = &facts.definitions[it->second];
    } else {
      for (const Definition& d : facts.definitions) {
        if (d.qualified_path == qualified) {
          found = &d;
          break;
        }
      }
    }
    if (found != nullptr) {
      Target t;
      t.kind = Target::Kind::kDefinition;
      t.id = found->id;
      t.dotted = facts.module.name + "." + qualified;
      t.module = facts.module.name;
      return t;
    }
  }
  std::string tail = JoinDots(parts, 1, parts.size());
  std::vector<std::string> wildcards;
  const ImportBinding* bound = nullptr;  // the last binding of the name wins
  for (const ImportBinding& b : symbols_.Bindings(facts.path)) {
    if (b.name == "*") wildcards.push_back(b.target);
    if (b.name == parts[0]) bound = &b;
  }
  if (bound != nullptr)
    return Resolve(tail.empty() ? bound->target : bound->target + "." + tail, 0);
  for (const std::string& w : wildcards) {
    Target via = Resolve(w + "." + name, 0);
    if (via.kind == Target::Kind::kDefinition) return via;
  }
  return External(name);
}

Target Resolver::ResolveImport(const ImportFact& imp) {
  if (!imp.resolved) {
    return External(imp.name.empty() || imp.name == "*" ? imp.written
                                                        : imp.written + "." + imp.name);
  }
  // An import naming a repository file (an include, a JS relative import): that file's module,
  // or the named definition in it.
  if (!imp.file.empty() && symbols_.HasFile(imp.file)) {
    Target t;
    t.kind = Target::Kind::kModule;
    t.id = symbols_.ModuleId(imp.file);
    t.module = imp.module;
    t.dotted = imp.module;
    if (imp.from && !imp.name.empty() && imp.name != "*") {
      t.dotted = imp.module + "." + imp.name;
      if (auto id = symbols_.FindDefinition(imp.file, imp.name)) {
        t.kind = Target::Kind::kDefinition;
        t.id = *id;
      } else {
        Target via = Resolve(t.dotted, 0);  // re-exports
        if (via.kind == Target::Kind::kDefinition) return via;
        t.kind = Target::Kind::kModuleMember;
      }
    }
    return t;
  }
  // Python imports modules: the module named must exist as a file of the repository, else the
  // import is of something outside it (or broken).
  if (!imp.from) {
    if (!symbols_.ModulePath(imp.module)) return External(imp.module);
    return Resolve(imp.module, 0);
  }
  std::string dotted = imp.module.empty() ? imp.name : imp.module + "." + imp.name;
  if (imp.module.empty() && symbols_.ModulePath(imp.name)) return Resolve(imp.name, 0);
  if (imp.module.empty() || !symbols_.ModulePath(imp.module)) {
    // Java: `import a.b.C;` imports from package a.b, which no file defines; a.b.C does.
    if (!imp.module.empty() && imp.name != "*" && !imp.name.empty() &&
        symbols_.ModulePath(dotted)) {
      return Resolve(dotted, 0);
    }
    return External(imp.name == "*" || imp.name.empty() ? imp.module : dotted);
  }
  if (imp.name == "*" || imp.name.empty()) return Resolve(imp.module, 0);
  return Resolve(dotted, 0);
}

}  // namespace kg::ingest

namespace kg::ingest {

std::optional<std::string> Resolver::FindMember(std::string_view class_id, std::string_view name) {
  return FindMember(class_id, name, 0);
}

std::optional<std::string> Resolver::FindMember(std::string_view class_id, std::string_view name,
                                                int depth) {
  size_t colon = class_id.rfind(':');
  if (colon == std::string_view::npos || depth > kMaxReexportHops) return std::nullopt;
  std::string_view path = class_id.substr(0, colon);
  std::string_view qualified = class_id.substr(colon + 1);
  qualified = qualified.substr(0, qualified.find('#'));
  std::string member;  // the member's qualified path
  member.reserve(qualified.size() + 1 + name.size());
  member.append(qualified).append(".").append(name);
  if (auto id = symbols_.FindDefinition(path, member)) return id;
  // Methods attached by a receiver in other files of the class's module (Go packages).
  if (auto module = ModuleOfPath(path)) {
    for (const std::string& other : symbols_.FilesOfModule(*module)) {
      if (other == path) continue;
      if (auto id = symbols_.FindDefinition(other, member)) return id;
    }
  }
  const Definition* d = ParsedDefinition(class_id);
  if (d == nullptr) return std::nullopt;
  const FileFacts& facts = *symbols_.Parsed(PathOfId(class_id));
  for (const std::string& base : d->bases) {
    Target t = ResolveInFile(facts, d->parent, base);
    if (t.kind != Target::Kind::kDefinition || t.id == class_id) continue;
    if (auto id = FindMember(t.id, name, depth + 1)) return id;
  }
  return std::nullopt;
}

const Definition* Resolver::ParsedDefinition(std::string_view id) {
  const RepoSymbols::ParsedIndex* index = symbols_.IndexOfPath(PathOfId(id));
  if (index == nullptr) return nullptr;
  auto it = index->definition_by_id.find(id);
  return it == index->definition_by_id.end() ? nullptr : &index->facts->definitions[it->second];
}

std::optional<std::string> Resolver::ModuleOfPath(std::string_view path) {
  return symbols_.ModuleOf(path);
}

std::optional<std::string> Resolver::FindReceiverClass(const FileFacts& facts,
                                                       const Definition& method) {
  if (method.receiver.empty()) return std::nullopt;
  size_t dot = method.qualified_path.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  std::string qualified = method.qualified_path.substr(0, dot);
  const RepoSymbols::ParsedIndex* index = symbols_.IndexOf(facts);
  if (index != nullptr) {
    // The first definition of the path, when a Class, is the first Class of the path.
    auto first = index->definition_by_path.find(qualified);
    if (first != index->definition_by_path.end() &&
        facts.definitions[first->second].label == "Class") {
      return facts.definitions[first->second].id;
    }
  }
  if (index == nullptr || index->definition_by_path.count(qualified) > 0) {
    for (const Definition& d : facts.definitions) {
      if (d.label == "Class" && d.qualified_path == qualified) return d.id;
    }
  }
  for (const std::string& other : symbols_.FilesOfModule(facts.module.name)) {
    if (other == facts.path) continue;
    std::optional<std::string> id = symbols_.FindDefinition(other, qualified);
    if (id && symbols_.LabelOf(*id) == "Class") return id;
  }
  return std::nullopt;
}

std::vector<Resolver::InheritedField> Resolver::InheritedFields(std::string_view class_id) {
  std::set<std::string> names;
  for (const auto& [name, id] : symbols_.FieldsOf(class_id)) names.insert(name);
  std::vector<InheritedField> out;
  const Definition* d = ParsedDefinition(class_id);
  if (d == nullptr) return out;
  const FileFacts& facts = *symbols_.Parsed(PathOfId(class_id));
  for (const std::string& base : d->bases) {
    Target t = ResolveInFile(facts, d->parent, base);
    if (t.kind != Target::Kind::kDefinition || t.id == class_id) continue;
    CollectFields(t.id, 1, &names, &out);
  }
  return out;
}

void Resolver::CollectFields(std::string_view class_id, int depth, std::set<std::string>* names,
                             std::vector<InheritedField>* out) {
  if (depth > kMaxReexportHops || symbols_.LabelOf(class_id) != "Class") return;
  for (const auto& [name, id] : symbols_.FieldsOf(class_id)) {
    if (names->insert(name).second) out->push_back({name, id, std::string(class_id)});
  }
  const Definition* d = ParsedDefinition(class_id);
  if (d == nullptr) return;
  const FileFacts& facts = *symbols_.Parsed(PathOfId(class_id));
  for (const std::string& base : d->bases) {
    Target t = ResolveInFile(facts, d->parent, base);
    if (t.kind != Target::Kind::kDefinition || t.id == class_id) continue;
    CollectFields(t.id, depth + 1, names, out);
  }
}

CallTarget Resolver::ResolveCall(const FileFacts& facts, const CallFact& call) {
  // The External target is made only when nothing resolved the call (most calls resolve or stay
  // unresolved through paths that never read it); a definition found directly keeps the callee
  // as its dotted name.
  CallTarget out = ResolveCallTarget(facts, call);
  if (out.target.id.empty()) {
    out.target = External(CallExternalName(call.callee));
  } else if (out.target.dotted.empty()) {
    out.target.dotted = call.callee;
  }
  return out;
}

const Resolver::CallBindings& Resolver::CallBindingsOf(std::string_view path) {
  const std::vector<ImportBinding>& bindings = symbols_.Bindings(path);
  if (call_bindings_.of == &bindings && call_bindings_.path == path) return call_bindings_;
  call_bindings_.of = &bindings;
  call_bindings_.path = path;
  call_bindings_.last.clear();
  call_bindings_.wildcards.clear();
  for (const ImportBinding& b : bindings) {
    if (b.name == "*") call_bindings_.wildcards.push_back(&b.target);
    call_bindings_.last[b.name] = &b;
  }
  return call_bindings_;
}

std::optional<std::string> Resolver::FindInBases(const FileFacts& facts, const Definition& cls,
                                                 std::string_view name) {
  for (const std::string& base : cls.bases) {
    Target t = ResolveInFile(facts, cls.parent, base);
    if (t.kind != Target::Kind::kDefinition || t.id == cls.id) continue;
    if (auto id = FindMember(t.id, name)) return id;
  }
  return std::nullopt;
}

CallTarget Resolver::ResolveCallTarget(const FileFacts& facts, const CallFact& call) {
  CallTarget out;  // an empty target id: unresolved (ResolveCall makes it External)
  if (call.caller < 0 || call.caller >= static_cast<int>(facts.definitions.size())) return out;
  const Definition& caller = facts.definitions[call.caller];
  const languages::Language* language = languages::LanguageByName(facts.language);
  auto found = [&](std::string id, std::string resolution) {
    out.target.kind = Target::Kind::kDefinition;
    out.target.id = std::move(id);
    out.target.module = facts.module.name;
    out.resolution = std::move(resolution);
    return out;
  };
  // super().m() in a method: m on the bases of the method's class, or of the class named in
  // super(C, self); else unresolved.
  if (auto super_call =
          language != nullptr ? language->ParseSuperCall(call.callee) : std::nullopt) {
    if (caller.label != "Method" || caller.parent < 0) return out;
    const FileFacts* cls_facts = &facts;
    const Definition* cls = &facts.definitions[caller.parent];
    if (cls->label != "Class") return out;
    if (!super_call->from_class.empty() && super_call->from_class != cls->name) {
      Target named = ResolveInFile(facts, caller.parent, super_call->from_class);
      cls = named.kind == Target::Kind::kDefinition ? ParsedDefinition(named.id) : nullptr;
      cls_facts = cls != nullptr ? symbols_.Parsed(PathOfId(named.id)) : nullptr;
      if (cls_facts == nullptr || cls->label != "Class") return out;
    }
    if (auto id = FindInBases(*cls_facts, *cls, super_call->member)) {
      return found(std::move(*id), "super");
    }
    return out;
  }
  std::string dotted;  // the callee read as a dotted name, when written otherwise
  std::string_view callee = call.callee;
  if (callee.find_first_of(":-<") != std::string_view::npos) {
    dotted = DottedCallee(callee);
    callee = dotted;
  }
  if (!IsDottedName(callee)) return out;
  SplitDotViews(callee, &callee_parts_);  // views into `callee`
  const std::vector<std::string_view>& parts = callee_parts_;
  // Nothing resolved the call: exactly one candidate of the repository with its name. Through a
  // receiver of unknown type (`value.lower()`), the candidates are the Methods of that name and
  // the Functions in a scope the receiver names (`geo::helper`), never a module-level Function.
  auto by_name = [&]() {
    if (parts.size() == 1 && (language == nullptr || !language->ResolvesBareCallsByName())) {
      return out;
    }
    const std::string* only = nullptr;
    for (const CallableName& c : symbols_.CallablesNamed(parts.back())) {
      if (parts.size() > 1 && !c.is_method &&
          !InScopeNamed(c.id, parts[parts.size() - 2], parts.back())) {
        continue;
      }
      if (only != nullptr) return out;  // ambiguous
      only = &c.id;
    }
    if (only == nullptr) return out;
    out.target.kind = Target::Kind::kDefinition;
    out.target.id = *only;
    out.target.module = "";
    out.resolution = "name";
    return out;
  };

  // self.m() / cls.m() / this.m(): the caller's class and its bases.
  bool is_self = language != nullptr ? language->IsSelfName(parts[0])
                                     : (parts[0] == "self" || parts[0] == "cls");
  if (parts.size() == 2 && is_self) {
    if (caller.label == "Method") {
      std::optional<std::string> cls;
      if (caller.parent >= 0 && facts.definitions[caller.parent].label == "Class") {
        cls = facts.definitions[caller.parent].id;
      } else {
        cls = FindReceiverClass(facts, caller);
      }
      if (cls) {
        if (auto id = FindMember(*cls, parts[1])) return found(*id, "scope");
      }
    }
    return by_name();
  }

  // A parameter of the caller shadows everything; its annotation names its class.
  for (size_t i = 0; i < caller.params.size(); ++i) {
    if (caller.params[i] != parts[0]) continue;
    if (parts.size() == 2 && i < caller.param_types.size() && !caller.param_types[i].empty()) {
      Target cls = ResolveInFile(facts, caller.parent, caller.param_types[i]);
      if (cls.kind == Target::Kind::kDefinition) {
        if (auto id = FindMember(cls.id, parts[1])) return found(*id, "scope");
      }
    }
    return by_name();
  }

  // Enclosing function scopes (class bodies are not visible from methods), then the module.
  const RepoSymbols::ParsedIndex* index = symbols_.IndexOf(facts);
  auto lookup = [&facts, index](std::string_view qualified) -> const std::string* {
    if (index != nullptr) {
      if (auto d = index->definition_by_path.find(qualified);
          d != index->definition_by_path.end()) {
        return &facts.definitions[d->second].id;
      }
      auto m = index->member_by_path.find(qualified);
      return m != index->member_by_path.end() ? &facts.members[m->second].id : nullptr;
    }
    for (const Definition& d : facts.definitions) {
      if (d.qualified_path == qualified) return &d.id;
    }
    for (const Member& m : facts.members) {
      if (m.qualified_path == qualified) return &m.id;
    }
    return nullptr;
  };
  std::string qualified;  // reused: most callers have a scope or two to try
  for (int s = call.caller; s >= 0; s = facts.definitions[s].parent) {
    const Definition& scope = facts.definitions[s];
    if (scope.label == "Class") continue;
    qualified.assign(scope.qualified_path).append(".").append(parts[0]);
    if (lookup(qualified) != nullptr) {
      qualified.assign(scope.qualified_path).append(".").append(callee);
      const std::string* full = lookup(qualified);
      return full != nullptr ? found(*full, "scope") : by_name();
    }
  }
  if (lookup(parts[0]) != nullptr) {
    const std::string* full = lookup(callee);
    return full != nullptr ? found(*full, "exact") : by_name();
  }
  // Java/C++: `foo()` in a method calls a method of its class (or of a base class).
  if (parts.size() == 1 && caller.label == "Method" && language != nullptr &&
      language->CallsSiblingsUnqualified()) {
    std::optional<std::string> cls;
    if (caller.parent >= 0 && facts.definitions[caller.parent].label == "Class") {
      cls = facts.definitions[caller.parent].id;
    } else {
      cls = FindReceiverClass(facts, caller);
    }
    if (cls) {
      if (auto id = FindMember(*cls, parts[0])) return found(*id, "scope");
    }
  }

  // Imports, then wildcard imports. (The cached bindings stay in place while resolving.)
  std::string_view tail =
      parts.size() > 1 ? std::string_view(callee).substr(parts[0].size() + 1) : std::string_view();
  const CallBindings& bindings = CallBindingsOf(facts.path);
  if (auto bound = bindings.last.find(parts[0]); bound != bindings.last.end()) {
    const std::string& target = bound->second->target;
    Target t = Resolve(tail.empty() ? target : target + "." + std::string(tail), 0);
    if (t.kind == Target::Kind::kDefinition) {
      out.target = std::move(t);
      out.resolution = "import";
    } else {
      out.target = External(t.dotted.empty() ? call.callee : t.dotted);
    }
    return out;
  }
  for (const std::string* w : bindings.wildcards) {
    Target via = Resolve(*w + "." + std::string(callee), 0);
    if (via.kind == Target::Kind::kDefinition) {
      out.target = std::move(via);
      out.resolution = "import";
      return out;
    }
  }
  return by_name();
}

}  // namespace kg::ingest

namespace kg::ingest {

std::vector<Target> Resolver::ResolveAnnotation(const FileFacts& facts, int scope,
                                                std::string_view annotation) {
  std::vector<Target> out;
  std::set<std::string> seen;
  size_t i = 0;
  while (i < annotation.size()) {
    if (!IsIdentChar(annotation[i]) || (annotation[i] >= '0' && annotation[i] <= '9')) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < annotation.size() && (IsIdentChar(annotation[i]) || annotation[i] == '.')) ++i;
    std::string_view name = annotation.substr(start, i - start);
    while (!name.empty() && name.back() == '.') name.remove_suffix(1);
    Target t = ResolveInFile(facts, scope, name);
    if (t.kind == Target::Kind::kDefinition && seen.insert(t.id).second) out.push_back(t);
  }
  return out;
}

}  // namespace kg::ingest

#pragma once
// Resolver: turns names as written (imports, base classes) into graph node ids.
//
// Resolution sees the whole repository: the files parsed in this run (their FileFacts) and the
// files left unchanged since the last ingest (through a StoredSymbolLookup, backed by a storage
// Snapshot). A dotted name resolves to a definition node (`path:Qualified.Name`; module-level
// Variables and class Fields count as definitions), a Module node (`module:<dotted>`), a member
// of a repository module that is not a definition (e.g. a name bound by tuple unpacking), or an
// External node (`external:<dotted>`) -- never to nothing.
//
// Re-exports are followed: `from shop import Product`, where shop/__init__.py does
// `from .models import Product`, resolves to `shop/models.py:Product` (at most 8 hops).
//
// Thread-safety: not thread-safe (caches); use one RepoSymbols/Resolver per thread.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ingest/facts.h"
#include "ingest/languages/language.h"

namespace kg::ingest {

// Hash maps keyed by std::string that are searched with a std::string_view (no key copy).
struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
template <typename T>
using StringHashMap = std::unordered_map<std::string, T, StringViewHash, std::equal_to<>>;

// A name bound by a file's imports: `import a.b` binds "a" -> "a"; `import a.b as x` binds
// "x" -> "a.b"; `from m import n as x` binds "x" -> "m.n"; `from m import *` binds "*" -> "m".
struct ImportBinding {
  std::string name;
  std::string target;  // absolute dotted name
};

// The bindings made by a file's imports, in source order.
std::vector<ImportBinding> BindingsOf(const std::vector<ImportFact>& imports);

// A Function or Method of the repository, as the "name" call resolution sees it.
struct CallableName {
  std::string name;
  std::string id;
  bool is_method = false;  // label Method (else Function)
};

// Symbols of files not parsed in this run (stored by an earlier ingest).
class StoredSymbolLookup {
 public:
  virtual ~StoredSymbolLookup() = default;
  // The id of the definition `qualified_path` of file `path` if it is stored, else nullopt.
  virtual std::optional<std::string> FindDefinition(std::string_view path,
                                                    std::string_view qualified_path) = 0;
  // The import bindings of the stored file `path` (empty when unknown).
  virtual std::vector<ImportBinding> Bindings(std::string_view path) = 0;
  // The label of the stored node `id` ("Class", "Variable", ...), or "" when unknown.
  virtual std::string LabelOf(std::string_view id) {
    (void)id;
    return "";
  }
  // The Fields a stored class declares itself (its non-inherited HAS_FIELD targets): (name, id).
  virtual std::vector<std::pair<std::string, std::string>> FieldsOf(std::string_view class_id) {
    (void)class_id;
    return {};
  }
  // Every stored Function and Method whose file is not in `skip_paths`.
  virtual std::vector<CallableName> CallableNames(
      const std::set<std::string, std::less<>>& skip_paths) {
    (void)skip_paths;
    return {};
  }
};

// Fills ImportFact::file for the imports of `facts` that name a repository file through
// Language::ResolveImportFile (C/C++ includes, JS/TS relative imports), and then sets their
// `module` to that file's module (from `modules`, path -> module) and `resolved` to true.
// `language` is the file's language; `modules` holds every file of the repository.
void ResolveImportFiles(const languages::Language& language,
                        const std::map<std::string, languages::ModuleInfo>& modules,
                        FileFacts* facts);

// The repository as the resolver sees it.
class RepoSymbols {
 public:
  // `modules`: every file that is (or stays) in the graph -> the module it defines. `stored` may
  // be null (nothing stored); it must outlive this object.
  RepoSymbols(std::map<std::string, languages::ModuleInfo> modules, StoredSymbolLookup* stored);

  // Registers a file parsed in this run; its facts shadow anything stored. `facts` must outlive
  // this object.
  void AddParsed(const FileFacts* facts);

  // The file defining module `module`; when several do (e.g. two conftest.py), the first path.
  std::optional<std::string> ModulePath(std::string_view module) const;
  // The Module node id of the file at `path`: `module:<dotted>`, or `module:<dotted>#<path>`
  // for a file whose module name is taken by an earlier path. REQUIRES: path is a known file.
  std::string ModuleId(std::string_view path) const;
  // The definition id of `qualified_path` in file `path` (the first one when repeated).
  std::optional<std::string> FindDefinition(std::string_view path, std::string_view qualified_path);
  // The import bindings of file `path`.
  const std::vector<ImportBinding>& Bindings(std::string_view path);
  // The facts of `path` when it was parsed in this run, else null.
  const FileFacts* Parsed(std::string_view path) const;

  // Lookups into the facts of a file registered with AddParsed (keys view into those facts).
  struct ParsedIndex {
    const FileFacts* facts = nullptr;
    std::unordered_map<std::string_view, int> definition_by_path;  // first of a qualified path
    std::unordered_map<std::string_view, int> member_by_path;      // qualified path -> member
    std::unordered_map<std::string_view, int> definition_by_id;
    std::unordered_map<std::string_view, int> member_by_id;
    std::vector<std::vector<int>> fields;  // by definition index: the members it owns, in order
  };
  // The index of the file parsed at `path`, or null.
  const ParsedIndex* IndexOfPath(std::string_view path) const;
  // The index of `facts` when they are the facts registered for their path, else null (facts
  // not registered are searched linearly by the Resolver).
  const ParsedIndex* IndexOf(const FileFacts& facts) const {
    const ParsedIndex* index = IndexOfPath(facts.path);
    return index != nullptr && index->facts == &facts ? index : nullptr;
  }
  // The label of the definition or member `id` ("Class", "Function", "Method", "Field",
  // "Variable"), or "" when it is not one.
  std::string LabelOf(std::string_view id);
  // The Fields class `class_id` declares itself: (name, id), in source order.
  std::vector<std::pair<std::string, std::string>> FieldsOf(std::string_view class_id);
  // The module name of the repository file `path`, or nullopt.
  std::optional<std::string> ModuleOf(std::string_view path) const {
    auto it = modules_.find(path);
    if (it == modules_.end()) return std::nullopt;
    return it->second.name;
  }
  // Whether `path` is a file of the repository (parsed or stored).
  bool HasFile(std::string_view path) const { return modules_.find(path) != modules_.end(); }
  // Every file of module `module` (several in Go packages), sorted; empty when none.
  const std::vector<std::string>& FilesOfModule(std::string_view module) const;
  // The Functions and Methods named `name` anywhere in the repository (parsed files, then
  // stored ones), each once. Built on first use.
  const std::vector<CallableName>& CallablesNamed(std::string_view name);

 private:
  std::map<std::string, languages::ModuleInfo, std::less<>> modules_;  // path -> module
  StringHashMap<std::string> owners_;                                  // module -> first path
  StringHashMap<std::vector<std::string>> module_files_;               // module -> paths, sorted
  StoredSymbolLookup* stored_;
  std::map<std::string, ParsedIndex, std::less<>> parsed_;  // path -> its facts, indexed
  StringHashMap<std::vector<ImportBinding>> bindings_;      // cache
  bool callables_built_ = false;
  StringHashMap<std::vector<CallableName>> callables_;  // by name
};

// What a name resolved to.
struct Target {
  enum class Kind {
    kDefinition,    // a class/function/method node of the repository
    kModule,        // a repository module
    kModuleMember,  // a name inside a repository module that is not a definition (id = module)
    kExternal,      // outside the repository, or unknown (id = external:<dotted>)
  };
  Kind kind = Kind::kExternal;
  std::string id;      // the node id to point at
  std::string dotted;  // the absolute dotted name that was resolved (External name)
  std::string module;  // the repository module holding it (kDefinition, kModule[Member])
};

// A call site resolved: the callee and how it was found.
struct CallTarget {
  Target target;
  // "exact": a definition of the same file named at module level; "scope": an enclosing
  // function's nested definition, or `self.m` / `cls.m` found on the caller's class or its bases
  // in the repository; "super": `super().m` (Language::ParseSuperCall) found on the bases of the
  // caller's class (or of the class named in `super(C, self)`); "import": through the file's
  // imports; "name": nothing above resolved it,
  // but exactly one candidate of the repository has the called name (the last part of `x.foo`;
  // through a receiver only Methods, or Functions of a scope the receiver names: ResolveCall);
  // "" when unresolved (External).
  std::string resolution;
};

// Resolves names against `symbols`, which must not change while the Resolver lives (results of
// absolute lookups are memoized). Not thread-safe.
class Resolver {
 public:
  explicit Resolver(RepoSymbols& symbols) : symbols_(symbols) {}

  // Resolves an absolute dotted name ("shop.models.Product", "abc.ABC").
  Target ResolveDotted(std::string_view dotted);

  // Resolves an expression written in `facts`' file inside definition `scope` (index into
  // facts.definitions, or -1 for module level): enclosing class scopes and the file's own
  // definitions first, then its import bindings, then its wildcard imports. Subscripts and call
  // arguments are ignored ("Generic[T]" resolves "Generic"). Unknown names become External
  // nodes named as written.
  Target ResolveInFile(const FileFacts& facts, int scope, std::string_view written);

  // Resolves what an import statement's name points at (see ingest.h for the edge model). The
  // imported module must be a repository module, else the target is External (`import os.path`
  // -> external:os.path; `from x import y` -> external:x.y).
  Target ResolveImport(const ImportFact& import);

  // Resolves the callee of `call` (a call site of `facts`). Python scoping: the enclosing
  // function scopes (not class bodies), then the module's definitions and variables, then its
  // imports. `self.m()` / `cls.m()` in a method look `m` up on the method's class and then its
  // base classes in the repository (depth-first, in base order); `p.m()` where `p` is a
  // parameter of the caller annotated with a repository class looks `m` up on that class (both
  // "scope"). The instance names are the language's (Language::IsSelfName: Python self/cls,
  // others `this`). A Class target means construction. What none of this resolves (and is not
  // bound by an import) resolves by name when exactly one candidate of the repository has the
  // called name ("name"; bare names only when Language::ResolvesBareCallsByName). A bare name's
  // candidates are its Functions and Methods; a call through a receiver (`x.attr()`, x not
  // resolved above) can only reach a Method named `attr`, or a Function the receiver names the
  // enclosing scope of (`geo::helper` -> Function geo.helper, a namespace), never a module-level
  // Function (`value.lower()` in `def lower(value)` is not a call of that function).
  // C++/Rust callees are read as dotted names first (`ns::f`, `Type::new`, `this->m`, `f<T>` ->
  // ns.f, Type.new, this.m, f). Unresolved callees are External nodes named as written
  // ("self.x.save", "len", "missing::x"), except through an expression receiver: the names after
  // it ("(...).format" for `"{}".format`, "(...).save" for `super().save`). Bases of classes in
  // files not parsed in this run are not followed.
  CallTarget ResolveCall(const FileFacts& facts, const CallFact& call);

  // The repository definitions named in a type annotation written in `facts`' file inside
  // definition `scope` ("Optional[CartItem]", "'Cart'", "Dict[str, models.Money]"): every dotted
  // name in the text is resolved like ResolveInFile; only targets of kind kDefinition are
  // returned (classes, or module-level names such as type aliases), each once, in text order.
  std::vector<Target> ResolveAnnotation(const FileFacts& facts, int scope,
                                        std::string_view annotation);

  // The id of the member `name` of the class `class_id` (a definition id), looked up on the class
  // (including methods attached to it by a receiver in other files of its module) and then,
  // depth-first, its base classes in the repository (up to 8 levels); nullopt if none.
  std::optional<std::string> FindMember(std::string_view class_id, std::string_view name);
  // The member `name` of the first base class of `cls` (a Class of `facts`), in base order,
  // that has one (FindMember on each base, the class itself skipped): what `name` overrides, and
  // what a call through `super()` reaches; nullopt if none.
  std::optional<std::string> FindInBases(const FileFacts& facts, const Definition& cls,
                                         std::string_view name);

  // The Class a method with a receiver (Definition::receiver) belongs to: the Class whose
  // qualified path is the method's qualified path without its last part, in the method's own
  // file, else in another file of the same module (sorted by path; parsed or stored). nullopt
  // when the class is not in the module (the method then hangs off its file and module).
  std::optional<std::string> FindReceiverClass(const FileFacts& facts, const Definition& method);

  // The label of a repository definition or member id ("Class", ..., "Field", "Variable"), or
  // "" (RepoSymbols::LabelOf).
  std::string LabelOf(std::string_view id) { return symbols_.LabelOf(id); }

  // A Field a class inherits from a repository base class.
  struct InheritedField {
    std::string name;
    std::string id;           // the Field node
    std::string declared_in;  // the base class declaring it
  };
  // The Fields `class_id` inherits: those of its repository base classes (depth-first in base
  // order, up to 8 levels; the first class declaring a name wins) whose names the class itself
  // does not declare. Bases of classes in files not parsed in this run are not followed (their
  // own Fields count).
  std::vector<InheritedField> InheritedFields(std::string_view class_id);

 private:
  // ResolveCall without the External fallback: an empty target id when unresolved, an empty
  // dotted name when a definition was found without resolving a dotted name.
  CallTarget ResolveCallTarget(const FileFacts& facts, const CallFact& call);
  Target Resolve(std::string_view dotted, int depth);
  Target Resolve(std::string_view dotted, int depth, std::unordered_set<std::string>* tried);
  Target ResolveInFileUncached(const FileFacts& facts, int scope, std::string_view written);
  std::optional<std::string> ModuleOfPath(std::string_view path);
  // The definition `id` of a file parsed in this run (indexed), or null.
  const Definition* ParsedDefinition(std::string_view id);
  std::optional<std::string> FindMember(std::string_view class_id, std::string_view name,
                                        int depth);
  void CollectFields(std::string_view class_id, int depth, std::set<std::string>* names,
                     std::vector<InheritedField>* out);

  // ResolveInFile's memo key: (facts registered with the symbols, scope, text as written).
  struct InFileKeyView {
    const FileFacts* facts;
    int scope;
    std::string_view written;
  };
  struct InFileKey {
    const FileFacts* facts;
    int scope;
    std::string written;
    operator InFileKeyView() const { return {facts, scope, written}; }
  };
  struct InFileKeyHash {
    using is_transparent = void;
    size_t operator()(const InFileKeyView& k) const;
    size_t operator()(const InFileKey& k) const { return (*this)(InFileKeyView(k)); }
  };
  struct InFileKeyEq {
    using is_transparent = void;
    bool operator()(const InFileKeyView& a, const InFileKeyView& b) const {
      return a.facts == b.facts && a.scope == b.scope && a.written == b.written;
    }
  };

  // The import bindings of the file whose calls ResolveCallTarget resolves: the last binding of
  // each name, and the wildcard imports in order (rebuilt when the file changes).
  struct CallBindings {
    std::string path;
    const std::vector<ImportBinding>* of = nullptr;  // RepoSymbols::Bindings(path)
    std::unordered_map<std::string_view, const ImportBinding*> last;
    std::vector<const std::string*> wildcards;
  };
  const CallBindings& CallBindingsOf(std::string_view path);

  RepoSymbols& symbols_;
  CallBindings call_bindings_;
  std::vector<std::string_view> callee_parts_;  // ResolveCallTarget's, reused
  StringHashMap<Target> memo_;                  // absolute lookups (depth 0)
  std::unordered_map<InFileKey, Target, InFileKeyHash, InFileKeyEq> in_file_memo_;
};

// `external:<dotted>`.
std::string ExternalId(std::string_view dotted);

}  // namespace kg::ingest

#include "ingest/extractor.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "ingest/ts_heap.h"

namespace kg::ingest {
namespace {

// The capture vocabulary (CAPTURES.md). Names starting with '_' are helpers and ignored.
enum class Role {
  kDefinition,      // @definition.<kind>
  kName,            // @name
  kSignatureEnd,    // @signature.end
  kDoc,             // @doc
  kParam,           // @param
  kParamType,       // @param.type
  kReturnType,      // @return_type
  kDecorator,       // @decorator
  kModifier,        // @modifier.<m>
  kBase,            // @reference.base
  kImplements,      // @reference.implements
  kDocComment,      // @doc.comment
  kReceiver,        // @method.receiver
  kModuleName,      // @module.name
  kImport,          // @reference.import
  kImportModule,    // @import.module
  kImportFrom,      // @import.from
  kImportName,      // @import.name
  kImportAlias,     // @import.alias
  kImportWildcard,  // @import.wildcard
  kCall,            // @reference.call
  kInvocation,      // @reference.invocation
  kRead,            // @reference.read
  kWrite,           // @reference.write
  kGlobal,          // @reference.global
  kMemberRead,      // @reference.member
  kMemberWrite,     // @reference.member.write
  kIgnored,         // @_...
  kNameEnd,         // @name.end
};

struct CaptureRole {
  Role role;
  std::string suffix;  // kind of a definition, name of a modifier
};

std::optional<CaptureRole> ParseCaptureName(std::string_view name) {
  static const std::map<std::string_view, Role, std::less<>> kExact = {
      {"name", Role::kName},
      {"signature.end", Role::kSignatureEnd},
      {"name.end", Role::kNameEnd},
      {"doc", Role::kDoc},
      {"param", Role::kParam},
      {"param.type", Role::kParamType},
      {"return_type", Role::kReturnType},
      {"decorator", Role::kDecorator},
      {"reference.base", Role::kBase},
      {"reference.implements", Role::kImplements},
      {"doc.comment", Role::kDocComment},
      {"method.receiver", Role::kReceiver},
      {"module.name", Role::kModuleName},
      {"reference.import", Role::kImport},
      {"import.module", Role::kImportModule},
      {"import.from", Role::kImportFrom},
      {"import.name", Role::kImportName},
      {"import.alias", Role::kImportAlias},
      {"import.wildcard", Role::kImportWildcard},
      {"reference.call", Role::kCall},
      {"reference.invocation", Role::kInvocation},
      {"reference.read", Role::kRead},
      {"reference.write", Role::kWrite},
      {"reference.global", Role::kGlobal},
      {"reference.member", Role::kMemberRead},
      {"reference.member.write", Role::kMemberWrite},
  };
  if (auto it = kExact.find(name); it != kExact.end()) return CaptureRole{it->second, ""};
  // A scope (C++ namespace, Rust mod, TS namespace) is a definition that only prefixes the
  // qualified paths of what it holds; it produces no node.
  if (name == "scope") return CaptureRole{Role::kDefinition, "scope"};
  if (name.starts_with("_")) return CaptureRole{Role::kIgnored, ""};
  for (auto [prefix, role] : {std::pair{std::string_view("definition."), Role::kDefinition},
                              std::pair{std::string_view("modifier."), Role::kModifier}}) {
    if (name.starts_with(prefix) && name.size() > prefix.size()) {
      return CaptureRole{role, std::string(name.substr(prefix.size()))};
    }
  }
  return std::nullopt;
}

// Definition kinds that produce Class nodes (with property `kind`).
bool IsClassKind(std::string_view kind) {
  return kind == "class" || kind == "interface" || kind == "struct" || kind == "enum" ||
         kind == "trait" || kind == "protocol";
}

// Definition kinds that produce Member facts rather than Definitions.
bool IsMemberKind(std::string_view kind) { return kind == "field" || kind == "variable"; }

std::string_view NodeText(TSNode node, std::string_view text) {
  uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
  if (start > text.size() || end > text.size() || end < start) return {};
  return text.substr(start, end - start);
}

std::string_view RStrip(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' ||
                        s.back() == '\r' || s.back() == '\\')) {
    s.remove_suffix(1);
  }
  return s;
}

// Collapses runs of whitespace (incl. newlines) to one space: for names written over lines.
std::string Squeeze(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// A whole call captured as the callee (Java `a.b(x)`): the trailing argument list removed
// ("a.b(c).d(e)" -> "a.b(c).d"). Text not ending in a balanced "(...)" is returned unchanged.
std::string WithoutArguments(std::string callee) {
  if (callee.empty() || callee.back() != ')') return callee;
  int depth = 0;
  for (size_t i = callee.size(); i > 0; --i) {
    char c = callee[i - 1];
    if (c == ')') ++depth;
    if (c == '(' && --depth == 0) {
      if (i - 1 == 0) return callee;  // "(a or b)": a parenthesized callee, not arguments
      callee.resize(i - 1);
      return callee;
    }
  }
  return callee;
}

bool IsCompactedAway(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\\';
}

// Removes all whitespace: dotted names may be written as `a . b`. (Most names have none: they
// are copied whole.)
std::string Compact(std::string_view s) {
  size_t first = 0;
  while (first < s.size() && !IsCompactedAway(s[first])) ++first;
  std::string out(s.substr(0, first));
  for (size_t i = first; i < s.size(); ++i) {
    if (!IsCompactedAway(s[i])) out.push_back(s[i]);
  }
  return out;
}

// Values keyed by position, in the order seen; Sort() orders them by key (stable) and keeps the
// first value of each key. A sorted vector: a definition collects a few, a file many accesses,
// and a std::map allocated a node for each.
template <typename Key, typename T>
class FirstByKey {
 public:
  void emplace(Key key, T value) { items_.emplace_back(std::move(key), std::move(value)); }
  void clear() { items_.clear(); }  // keeps the capacity
  void Sort() {
    std::stable_sort(items_.begin(), items_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    items_.erase(std::unique(items_.begin(), items_.end(),
                             [](const auto& a, const auto& b) { return a.first == b.first; }),
                 items_.end());
  }
  // REQUIRES: Sort() was called since the last emplace().
  const T* find(const Key& key) const {
    auto it = std::lower_bound(items_.begin(), items_.end(), key,
                               [](const auto& item, const Key& k) { return item.first < k; });
    return it != items_.end() && it->first == key ? &it->second : nullptr;
  }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::pair<Key, T>& back() const { return items_.back(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

 private:
  std::vector<std::pair<Key, T>> items_;
};

// Everything one definition node collected over all matches.
struct PendingDef {
  TSNode node;
  std::string kind;
  std::optional<TSNode> name;
  std::optional<uint32_t> name_end;  // @name.end: the name stops before this node
  std::optional<uint32_t> signature_end;
  std::optional<TSNode> doc;
  std::optional<TSNode> return_type;
  FirstByKey<uint32_t, TSNode> params;        // by start byte: order and de-duplication
  FirstByKey<uint32_t, TSNode> param_types;   // by the start byte of their parameter
  FirstByKey<uint32_t, TSNode> decorators;    // by start byte
  FirstByKey<uint32_t, TSNode> bases;         // by start byte
  FirstByKey<uint32_t, TSNode> implements;    // by start byte
  FirstByKey<uint32_t, TSNode> doc_comments;  // by start byte
  std::optional<TSNode> receiver;
  std::vector<std::string> modifiers;

  void Sort() {
    params.Sort();
    param_types.Sort();
    decorators.Sort();
    bases.Sort();
    implements.Sort();
    doc_comments.Sort();
  }
};

constexpr std::string_view kScopeKind = "scope";
constexpr std::string_view kOverloadKind = "overload";  // CAPTURES.md: @definition.overload

bool IsIdentByte(char c) {
  return c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
}

// The base type name of a method receiver as written: generic arguments, pointers, references,
// lifetimes, qualifiers and path prefixes removed ("*Server" -> "Server", "&'a mut Server<T>" ->
// "Server", "ns::Server" -> "Server", "Server[K, V]" -> "Server").
std::string ReceiverBaseName(std::string_view text) {
  std::string stripped;
  int depth = 0;
  for (char c : text) {
    if (c == '<' || c == '[') {
      ++depth;
    } else if (c == '>' || c == ']') {
      depth = depth > 0 ? depth - 1 : 0;
    } else if (depth == 0) {
      stripped.push_back(c);
    }
  }
  std::string last;
  for (size_t i = 0; i < stripped.size();) {
    if (!IsIdentByte(stripped[i])) {
      bool lifetime = stripped[i] == '\'';
      ++i;
      if (lifetime) {
        while (i < stripped.size() && IsIdentByte(stripped[i])) ++i;
      }
      continue;
    }
    size_t start = i;
    while (i < stripped.size() && IsIdentByte(stripped[i])) ++i;
    std::string_view word = std::string_view(stripped).substr(start, i - start);
    if (word == "mut" || word == "const" || word == "dyn" || word == "impl" || word == "volatile" ||
        word == "struct" || word == "class") {
      continue;
    }
    last = std::string(word);
  }
  return last;
}

// The documentation comment run that ends with `last` (a comment node directly above a
// definition): `last` and the comment siblings before it on consecutive lines (a blank line or
// code on the same line as the first comment ends the run), joined by '\n'. Empty when `last`
// is not directly above the next code (a blank line in between).
std::string DocCommentRun(TSNode last, std::string_view text) {
  TSNode next = ts_node_next_sibling(last);
  while (!ts_node_is_null(next) && ts_node_is_extra(next) &&
         ts_node_symbol(next) == ts_node_symbol(last)) {
    next = ts_node_next_sibling(next);
  }
  if (!ts_node_is_null(next) && ts_node_start_point(next).row > ts_node_end_point(last).row + 1) {
    return "";
  }
  std::vector<TSNode> run = {last};
  TSNode first = last;
  for (TSNode prev = ts_node_prev_sibling(last); !ts_node_is_null(prev);
       prev = ts_node_prev_sibling(prev)) {
    if (ts_node_symbol(prev) != ts_node_symbol(last)) {
      // Code ending on the line where the run starts: the comment trails that code.
      if (ts_node_end_point(prev).row == ts_node_start_point(first).row) run.pop_back();
      break;
    }
    if (ts_node_end_point(prev).row + 1 < ts_node_start_point(first).row) break;
    run.push_back(prev);
    first = prev;
  }
  std::string out;
  for (size_t i = run.size(); i > 0; --i) {
    if (!out.empty()) out.push_back('\n');
    out.append(NodeText(run[i - 1], text));
  }
  return out;
}

// The last descendant of `node` that is not an extra (comment), following last children down:
// grammars attach comments that trail a body to the body, but a definition ends with its last
// statement.
TSNode LastNonExtra(TSNode node) {
  while (true) {
    uint32_t n = ts_node_child_count(node);
    TSNode next = {};
    bool found = false;
    for (uint32_t i = n; i > 0; --i) {
      TSNode child = ts_node_child(node, i - 1);
      if (!ts_node_is_extra(child)) {
        next = child;
        found = true;
        break;
      }
    }
    if (!found) return node;
    node = next;
  }
}

bool IsError(TSNode node) { return ts_node_symbol(node) == static_cast<TSSymbol>(-1); }

// The first ERROR or MISSING node in document order, if the tree has errors.
std::optional<TSNode> FirstError(TSNode root) {
  if (!ts_node_has_error(root)) return std::nullopt;
  TSNode node = root;
  while (true) {
    if (IsError(node) || ts_node_is_missing(node)) return node;
    uint32_t n = ts_node_child_count(node);
    bool descended = false;
    for (uint32_t i = 0; i < n; ++i) {
      TSNode child = ts_node_child(node, i);
      if (ts_node_has_error(child) || ts_node_is_missing(child)) {
        node = child;
        descended = true;
        break;
      }
    }
    if (!descended) return node;
  }
}

// Links ts_heap.cc, whose constructor gives tree-sitter its own heap, into every program that
// parses (a static library's object is linked only when something refers to it).
[[gnu::used]] TsHeapStats (*const link_ts_heap)() = &GetTsHeapStats;

struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};
struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};

// Whether the match satisfies the text predicates of its pattern (#eq?, #not-eq?).
bool PredicatesHold(const std::vector<Extractor::Predicate>& predicates, const TSQueryMatch& match,
                    std::string_view text) {
  for (const Extractor::Predicate& p : predicates) {
    auto value_of = [&](uint32_t capture) -> std::optional<std::string_view> {
      for (uint16_t i = 0; i < match.capture_count; ++i) {
        if (match.captures[i].index == capture) return NodeText(match.captures[i].node, text);
      }
      return std::nullopt;
    };
    std::optional<std::string_view> left = value_of(p.capture);
    if (!left) continue;  // an optional capture that did not take part
    std::optional<std::string_view> right =
        p.other_capture ? value_of(*p.other_capture) : std::optional<std::string_view>(p.value);
    if (!right) continue;
    if ((*left == *right) == p.negate) return false;
  }
  return true;
}

}  // namespace

// The role of each capture of the query, by capture id (parsed once, at creation).
struct Extractor::Roles {
  std::vector<CaptureRole> by_capture;
};

Extractor::Extractor(const languages::Language& language, std::unique_ptr<QueryMatcher> matcher,
                     std::vector<std::vector<Predicate>> predicates)
    : language_(language), matcher_(std::move(matcher)), predicates_(std::move(predicates)) {
  auto roles = std::make_unique<Roles>();
  for (const std::string& name : matcher_->capture_names()) {
    roles->by_capture.push_back(*ParseCaptureName(name));  // Create checked
    if (name == "module.name") declares_modules_ = true;
  }
  roles_ = std::move(roles);
}

Extractor::~Extractor() = default;

Result<std::unique_ptr<Extractor>> Extractor::Create(const languages::Language& language) {
  // tags.scm and edges.scm are compiled as one query, so each file is walked once.
  std::string source(language.tags_query());
  const size_t tags_size = source.size() + 1;
  if (!language.edges_query().empty()) {
    source += "\n";
    source += language.edges_query();
  }
  // Positions (and the file named) are those inside tags.scm or edges.scm.
  auto where = [&](size_t offset, TextPosition* pos) {
    const bool in_edges = offset >= tags_size;
    const size_t base = in_edges ? tags_size : 0;
    pos->offset = static_cast<int64_t>(offset - base);
    pos->line = 1;
    size_t line_start = base;
    for (size_t i = base; i < offset && i < source.size(); ++i) {
      if (source[i] == '\n') {
        ++pos->line;
        line_start = i + 1;
      }
    }
    pos->column = static_cast<int>(offset - line_start) + 1;
    return std::string(language.name()) + (in_edges ? " edges query: " : " tags query: ");
  };
  Result<std::unique_ptr<QueryMatcher>> compiled =
      QueryMatcher::Compile(language.grammar(), source);
  if (!compiled.ok()) {
    const Status& error = compiled.status();
    TextPosition pos;
    size_t offset = error.position() ? static_cast<size_t>(error.position()->offset) : 0;
    std::string prefix = where(offset, &pos);
    return Status::SyntaxError(prefix + error.message(), pos);
  }
  std::unique_ptr<QueryMatcher> matcher = std::move(compiled).value();
  for (const std::string& name : matcher->capture_names()) {
    if (!ParseCaptureName(name)) {
      return Status::InvalidArgument(std::string(language.name()) + " tags query: capture @" +
                                     name +
                                     " is not in the vocabulary (ingest/languages/CAPTURES.md)");
    }
  }
  // Text predicates, per pattern: only (#eq? @a "text"|@b) and (#not-eq? ...) are known.
  std::vector<std::vector<Predicate>> predicates(matcher->pattern_count());
  for (uint32_t pattern = 0; pattern < matcher->pattern_count(); ++pattern) {
    for (const QueryMatcher::Predicate& written : matcher->predicates(pattern)) {
      const std::string& op = written.name;
      if ((op != "eq?" && op != "not-eq?") || written.args.size() != 2 ||
          !written.args[0].is_capture) {
        TextPosition pos;
        std::string prefix = where(written.offset, &pos);
        return Status::SyntaxError(prefix + "unsupported predicate #" + op +
                                       " (only #eq? and #not-eq? with a capture "
                                       "and a capture or text)",
                                   pos);
      }
      Predicate p;
      p.negate = op == "not-eq?";
      p.capture = written.args[0].capture;
      if (written.args[1].is_capture) {
        p.other_capture = written.args[1].capture;
      } else {
        p.value = written.args[1].text;
      }
      predicates[pattern].push_back(std::move(p));
    }
  }
  return std::unique_ptr<Extractor>(
      new Extractor(language, std::move(matcher), std::move(predicates)));
}

Result<const Extractor*> Extractor::ForLanguage(const languages::Language& language) {
  static std::mutex mu;
  static auto* cache = new std::map<const languages::Language*, Result<const Extractor*>>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache->find(&language);
  if (it == cache->end()) {
    Result<std::unique_ptr<Extractor>> made = Create(language);
    Result<const Extractor*> entry =
        made.ok() ? Result<const Extractor*>(made.value().release()) : made.status();
    it = cache->emplace(&language, std::move(entry)).first;
  }
  return it->second;
}

Result<FileFacts> Extractor::Extract(std::string_view path, std::string_view text,
                                     const languages::ModuleInfo& module) const {
  if (text.size() > UINT32_MAX) {
    return Status::InvalidArgument("file too large to parse: " + std::string(path));
  }
  FileFacts facts;
  facts.path = std::string(path);
  facts.language = std::string(language_.name());
  facts.module = module;
  facts.is_test = language_.IsTest("file", "", path);
  std::string prepared;  // Language::PrepareSource: same offsets, what the grammar cannot parse
  text = language_.PrepareSource(text, &prepared);  // blanked

  // One parser and one matcher scratch per thread, reused: a fresh parser starts with empty
  // allocation pools (subtrees, stack), which costs a parse many more mallocs.
  thread_local std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
  thread_local auto scratch = QueryMatcher::NewScratch();
  if (ts_parser_language(parser.get()) != language_.grammar() &&
      !ts_parser_set_language(parser.get(), language_.grammar())) {
    return Status::Internal("tree-sitter rejected the " + std::string(language_.name()) +
                            " grammar (ABI version mismatch)");
  }
  std::unique_ptr<TSTree, TreeDeleter> tree(ts_parser_parse_string(
      parser.get(), nullptr, text.data(), static_cast<uint32_t>(text.size())));
  if (!tree) {
    ts_parser_reset(parser.get());  // the next file starts clean
    return Status::Internal("tree-sitter failed to parse " + std::string(path));
  }
  TSNode root = ts_tree_root_node(tree.get());

  if (auto err = FirstError(root)) {
    TSPoint p = ts_node_start_point(*err);
    TextPosition pos;
    pos.line = static_cast<int>(p.row) + 1;
    pos.column = static_cast<int>(p.column) + 1;
    pos.offset = ts_node_start_byte(*err);
    facts.syntax_error = pos;
    if (ts_node_is_missing(*err)) {
      facts.syntax_error_detail = "missing '" + std::string(ts_node_type(*err)) + "'";
    } else {
      std::string snippet = Squeeze(NodeText(*err, text).substr(0, 40));
      facts.syntax_error_detail = "unexpected '" + snippet + "'";
    }
  }

  const std::vector<CaptureRole>& roles = roles_->by_capture;

  std::unordered_map<const void*, PendingDef> defs;
  std::map<std::pair<uint32_t, uint32_t>, ImportFact> imports;  // by (statement, name) start
  std::optional<TSNode> module_doc;
  std::optional<TSNode> module_name;
  // Call sites by (start, end) byte -> (node, whole invocation captured).
  // (The two lists a file fills most are kept per thread with their capacity: regrowing them
  // from empty for every file moved their items several times.)
  thread_local FirstByKey<std::pair<uint32_t, uint32_t>, std::pair<TSNode, bool>> calls;
  calls.clear();
  std::map<uint32_t, std::pair<TSNode, TSNode>> receiver_impls;  // by start: (type, interface)
  thread_local FirstByKey<std::pair<uint32_t, int>, TSNode> accesses;  // by (start byte, role)
  accesses.clear();

  for (const TSQueryMatch& match : matcher_->Match(root, *scratch)) {
    if (!predicates_[match.pattern_index].empty() &&
        !PredicatesHold(predicates_[match.pattern_index], match, text)) {
      continue;
    }
    const TSQueryCapture* def_capture = nullptr;
    const TSQueryCapture* import_capture = nullptr;
    for (uint16_t i = 0; i < match.capture_count; ++i) {
      Role role = roles[match.captures[i].index].role;
      if (role == Role::kDefinition) def_capture = &match.captures[i];
      if (role == Role::kImport) import_capture = &match.captures[i];
    }
    if (import_capture != nullptr) {
      ImportFact imp;
      imp.line = static_cast<int>(ts_node_start_point(import_capture->node).row) + 1;
      uint32_t name_start = ts_node_start_byte(import_capture->node);
      for (uint16_t i = 0; i < match.capture_count; ++i) {
        const TSQueryCapture& c = match.captures[i];
        if (ts_node_is_extra(c.node)) continue;  // a comment is never a captured value
        std::string value = Compact(NodeText(c.node, text));
        switch (roles[c.index].role) {
          case Role::kImportModule:
            imp.written = value;
            name_start = ts_node_start_byte(c.node);
            break;
          case Role::kImportFrom:
            imp.from = true;
            imp.written = value;
            break;
          case Role::kImportName:
            imp.name = value;
            name_start = ts_node_start_byte(c.node);
            break;
          case Role::kImportAlias:
            imp.alias = value;
            break;
          case Role::kImportWildcard:
            imp.name = "*";
            name_start = ts_node_start_byte(c.node);
            break;
          default:
            break;
        }
      }
      if (imp.written.empty()) continue;  // a pattern without a module capture
      // Several patterns may describe the same imported name (with and without its alias):
      // their captures are merged.
      auto [it, inserted] =
          imports.emplace(std::pair{ts_node_start_byte(import_capture->node), name_start}, imp);
      if (!inserted) {
        ImportFact& seen = it->second;
        if (seen.alias.empty()) seen.alias = imp.alias;
        if (seen.name.empty()) seen.name = imp.name;
      }
      continue;
    }
    if (def_capture == nullptr) {
      std::optional<TSNode> impl_receiver, impl_interface;  // `impl Trait for Type`
      for (uint16_t i = 0; i < match.capture_count; ++i) {
        Role role = roles[match.captures[i].index].role;
        if (role == Role::kReceiver) impl_receiver = match.captures[i].node;
        if (role == Role::kImplements) impl_interface = match.captures[i].node;
        if (role == Role::kDoc) module_doc = match.captures[i].node;
        if (role == Role::kModuleName && !module_name) module_name = match.captures[i].node;
        if (role == Role::kCall || role == Role::kInvocation) {
          TSNode node = match.captures[i].node;
          calls.emplace(std::pair{ts_node_start_byte(node), ts_node_end_byte(node)},
                        std::pair{node, role == Role::kInvocation});
        }
        if (role == Role::kRead || role == Role::kWrite || role == Role::kGlobal ||
            role == Role::kMemberRead || role == Role::kMemberWrite) {
          accesses.emplace(
              std::pair{ts_node_start_byte(match.captures[i].node), static_cast<int>(role)},
              match.captures[i].node);
        }
      }
      if (impl_receiver && impl_interface) {
        receiver_impls.emplace(ts_node_start_byte(*impl_interface),
                               std::pair{*impl_receiver, *impl_interface});
      }
      continue;
    }
    PendingDef& def = defs[def_capture->node.id];
    def.node = def_capture->node;
    std::optional<uint32_t> param_start;
    std::optional<TSNode> param_type;
    // The first kind seen wins, except that a class/function kind wins over a member kind on
    // the same node (`const f = () => {}` matched as a variable and as a function).
    const std::string& kind = roles[def_capture->index].suffix;
    if (def.kind.empty() || (IsMemberKind(def.kind) && !IsMemberKind(kind))) def.kind = kind;
    for (uint16_t i = 0; i < match.capture_count; ++i) {
      const TSQueryCapture& c = match.captures[i];
      uint32_t start = ts_node_start_byte(c.node);
      const CaptureRole& role = roles[c.index];
      if (role.role == Role::kDocComment) {
        def.doc_comments.emplace(start, c.node);
        continue;
      }
      if (ts_node_is_extra(c.node)) continue;  // a comment is never a captured value
      switch (role.role) {
        case Role::kName:
          def.name = c.node;
          break;
        case Role::kSignatureEnd:
          def.signature_end = start;
          break;
        case Role::kNameEnd:
          def.name_end = start;
          break;
        case Role::kDoc:
          def.doc = c.node;
          break;
        case Role::kParam:
          def.params.emplace(start, c.node);
          param_start = start;
          break;
        case Role::kParamType:
          param_type = c.node;
          break;
        case Role::kReturnType:
          def.return_type = c.node;
          break;
        case Role::kDecorator:
          def.decorators.emplace(start, c.node);
          break;
        case Role::kBase:
          def.bases.emplace(start, c.node);
          break;
        case Role::kImplements:
          def.implements.emplace(start, c.node);
          break;
        case Role::kReceiver:
          def.receiver = c.node;
          break;
        case Role::kModifier:
          if (std::find(def.modifiers.begin(), def.modifiers.end(), role.suffix) ==
              def.modifiers.end()) {
            def.modifiers.push_back(role.suffix);
          }
          break;
        default:
          break;
      }
    }
    if (param_start && param_type) def.param_types.emplace(*param_start, *param_type);
  }

  for (auto& [id, def] : defs) def.Sort();
  calls.Sort();
  accesses.Sort();

  if (module_doc) {
    facts.module_docstring = language_.CleanDocstring(NodeText(*module_doc, text));
  }
  if (module_name) {
    facts.declared_module = Compact(NodeText(*module_name, text));
    facts.module = language_.ModuleForDeclaration(path, *facts.declared_module, module);
  }
  for (auto& [key, imp] : imports) {
    if (auto resolved = language_.ResolveImportSource(imp.written, facts.module)) {
      imp.module = *resolved;
    } else {
      imp.module = imp.written;
      imp.resolved = false;
    }
    facts.imports.push_back(std::move(imp));
  }
  facts.imports.shrink_to_fit();  // the facts live until the repository is written

  // Definitions in source order; a parent starts before (or with) its children.
  std::vector<const PendingDef*> ordered;
  std::vector<const PendingDef*> members;
  for (const auto& [id, def] : defs) {
    if (!def.name) continue;  // a definition without a name is not reported
    (IsMemberKind(def.kind) ? members : ordered).push_back(&def);
  }
  std::sort(ordered.begin(), ordered.end(), [](const PendingDef* a, const PendingDef* b) {
    uint32_t sa = ts_node_start_byte(a->node), sb = ts_node_start_byte(b->node);
    if (sa != sb) return sa < sb;
    return ts_node_end_byte(a->node) > ts_node_end_byte(b->node);  // outer first
  });
  facts.definitions.reserve(ordered.size());
  facts.members.reserve(members.size());
  std::unordered_map<const void*, int> index_of;
  // Scopes (@scope): their qualified path and enclosing definition, by node.
  struct Scope {
    std::string qualified_path;
    int parent = -1;
  };
  std::unordered_map<const void*, Scope> scope_of;
  // The ancestors of `node`, innermost first, into `chain`. ts_node_parent descends from the root
  // at every call (tree-sitter 0.20), so walking up costs one descent per level; this is one
  // descent, by a cursor going to the child that holds the node's first byte. When that descent
  // misses the node (as it can for an empty node at the end of its parent), the walk up is used.
  struct Descent {  // a cursor per thread, reused (freed with the thread)
    TSTreeCursor cursor;
    explicit Descent(TSNode at) : cursor(ts_tree_cursor_new(at)) {}
    ~Descent() { ts_tree_cursor_delete(&cursor); }
  };
  thread_local std::vector<TSNode> chain;
  thread_local Descent descent_holder(root);
  TSTreeCursor& descent = descent_holder.cursor;
  auto ancestors = [&](TSNode node) {
    chain.clear();
    ts_tree_cursor_reset(&descent, root);
    const uint32_t start = ts_node_start_byte(node);
    for (;;) {
      TSNode at = ts_tree_cursor_current_node(&descent);
      if (ts_node_eq(at, node)) {
        std::reverse(chain.begin(), chain.end());
        return;
      }
      chain.push_back(at);
      if (ts_tree_cursor_goto_first_child_for_byte(&descent, start) < 0) break;
    }
    chain.clear();
    for (TSNode up = ts_node_parent(node); !ts_node_is_null(up); up = ts_node_parent(up)) {
      chain.push_back(up);
    }
  };
  // The enclosing definition of `node` and the qualified path prefix its name goes under
  // (the nearest enclosing scope's path, else the definition's, else "").
  auto place = [&](TSNode node, int* parent, std::string* prefix) {
    *parent = -1;
    prefix->clear();
    ancestors(node);
    for (TSNode up : chain) {
      if (auto it = index_of.find(up.id); it != index_of.end()) {
        *parent = it->second;
        *prefix = facts.definitions[it->second].qualified_path;
        return;
      }
      if (auto it = scope_of.find(up.id); it != scope_of.end()) {
        *prefix = it->second.qualified_path;
        *parent = it->second.parent;
        return;
      }
    }
  };
  // qualified_path -> occurrences so far; the keys view into facts.definitions (reserved above:
  // never reallocated here).
  std::unordered_map<std::string_view, int> repeats;
  repeats.reserve(ordered.size());
  int overload_run = -1;  // the definition a run of overload signatures is merged into
  for (const PendingDef* pending : ordered) {
    Definition d;
    d.kind = pending->kind;
    d.name = Compact(NodeText(*pending->name, text));
    if (uint32_t name_start = ts_node_start_byte(*pending->name);
        pending->name_end && *pending->name_end > name_start &&
        *pending->name_end <= ts_node_end_byte(*pending->name)) {
      d.name = Compact(text.substr(name_start, *pending->name_end - name_start));
    }
    std::string prefix;
    place(pending->node, &d.parent, &prefix);
    auto join = [](const std::string& a, const std::string& b) {
      return a.empty() ? b : a + "." + b;
    };
    if (d.kind == kScopeKind) {
      scope_of[pending->node.id] = Scope{join(prefix, d.name), d.parent};
      continue;
    }
    const Definition* parent = d.parent >= 0 ? &facts.definitions[d.parent] : nullptr;
    bool in_class =
        parent != nullptr && parent->label == "Class" && prefix == parent->qualified_path;
    if (pending->receiver && !in_class && !IsClassKind(d.kind)) {
      d.receiver = ReceiverBaseName(NodeText(*pending->receiver, text));
    }
    d.qualified_path = join(prefix, d.receiver.empty() ? d.name : d.receiver + "." + d.name);
    bool overload = d.kind == kOverloadKind;
    if (overload_run >= 0) {
      // The next overload signature or the implementation of the same name: one definition.
      Definition& first = facts.definitions[overload_run];
      overload_run = -1;
      if (first.qualified_path == d.qualified_path && first.parent == d.parent) {
        TSNode last = LastNonExtra(pending->node);
        first.end_line = static_cast<int>(ts_node_end_point(last).row) + 1;
        first.end_byte = ts_node_end_byte(last);
        index_of[pending->node.id] = static_cast<int>(&first - facts.definitions.data());
        if (overload) overload_run = static_cast<int>(&first - facts.definitions.data());
        continue;
      }
    }
    if (overload) {
      d.kind = in_class ? "method" : "function";
      overload_run = static_cast<int>(facts.definitions.size());
    }
    auto seen = repeats.find(d.qualified_path);
    int n = seen == repeats.end() ? 1 : seen->second + 1;
    d.id.reserve(path.size() + 1 + d.qualified_path.size());
    d.id.append(path).append(":").append(d.qualified_path);
    if (n > 1) d.id.append("#").append(std::to_string(n));
    if (IsClassKind(d.kind)) {
      d.label = "Class";
    } else if (d.kind == "method" || !d.receiver.empty() || in_class) {
      d.label = "Method";
    } else {
      d.label = "Function";
    }
    TSNode last = LastNonExtra(pending->node);
    TSPoint sp = ts_node_start_point(pending->node), ep = ts_node_end_point(last);
    d.start_line = static_cast<int>(sp.row) + 1;
    TSPoint np = ts_node_start_point(*pending->name);
    d.name_line = static_cast<int>(np.row) + 1;
    d.name_col = static_cast<int>(np.column) + 1;
    d.end_line = static_cast<int>(ep.row) + 1;
    d.start_byte = ts_node_start_byte(pending->node);
    d.end_byte = ts_node_end_byte(last);
    std::string_view def_text = NodeText(pending->node, text);
    size_t header_end = pending->signature_end && *pending->signature_end >= d.start_byte
                            ? *pending->signature_end - d.start_byte
                            : def_text.find('\n');
    d.signature = std::string(RStrip(def_text.substr(0, header_end)));
    if (pending->doc) d.docstring = language_.CleanDocstring(NodeText(*pending->doc, text));
    if (!d.docstring && !pending->doc_comments.empty()) {
      // The comment closest above the definition ends the run.
      std::string run = DocCommentRun(pending->doc_comments.back().second, text);
      if (!run.empty()) d.docstring = language_.CleanDocComment(run);
    }
    for (const auto& [start, node] : pending->params) {
      d.params.push_back(Compact(NodeText(node, text)));
      const TSNode* type = pending->param_types.find(start);
      d.param_types.push_back(type == nullptr ? "" : Squeeze(NodeText(*type, text)));
    }
    if (pending->return_type) d.return_type = Squeeze(NodeText(*pending->return_type, text));
    for (const auto& [start, node] : pending->decorators)
      d.decorators.push_back(Squeeze(NodeText(node, text)));
    for (const auto& [start, node] : pending->bases)
      d.bases.push_back(Squeeze(NodeText(node, text)));
    for (const auto& [start, node] : pending->implements)
      d.implements.push_back(Squeeze(NodeText(node, text)));
    d.modifiers = pending->modifiers;
    d.is_async = std::find(pending->modifiers.begin(), pending->modifiers.end(), "async") !=
                 pending->modifiers.end();
    std::string test_kind =
        d.label == "Class" ? "class" : (d.label == "Method" ? "method" : "function");
    d.is_test = language_.IsTest(test_kind, d.name, path);
    index_of[pending->node.id] = static_cast<int>(facts.definitions.size());
    facts.definitions.push_back(std::move(d));
    if (seen == repeats.end()) {
      repeats.emplace(facts.definitions.back().qualified_path, 1);
    } else {
      seen->second = n;
    }
  }

  for (const auto& [start, impl] : receiver_impls) {
    ReceiverImplementsFact r;
    r.receiver = ReceiverBaseName(NodeText(impl.first, text));
    int parent = -1;
    std::string prefix;
    place(impl.first, &parent, &prefix);
    r.qualified_path = prefix.empty() ? r.receiver : prefix + "." + r.receiver;
    r.implements = Squeeze(NodeText(impl.second, text));
    r.line = static_cast<int>(ts_node_start_point(impl.second).row) + 1;
    facts.receiver_implements.push_back(std::move(r));
  }

  // The innermost definition whose range holds byte `pos`, or -1. Definitions are sorted by
  // start and properly nested, so the candidate is the last one starting at or before `pos`, or
  // one of its ancestors.
  auto enclosing = [&facts](uint32_t pos) {
    auto it = std::upper_bound(facts.definitions.begin(), facts.definitions.end(), pos,
                               [](uint32_t p, const Definition& d) { return p < d.start_byte; });
    int i = static_cast<int>(it - facts.definitions.begin()) - 1;
    while (i >= 0 && facts.definitions[i].end_byte <= pos) i = facts.definitions[i].parent;
    return i;
  };

  // Members: a variable in a class body or a field is owned by the class; a variable in a
  // function is a local and not reported. The first binding of a qualified path wins.
  std::sort(members.begin(), members.end(), [](const PendingDef* a, const PendingDef* b) {
    return ts_node_start_byte(a->node) < ts_node_start_byte(b->node);
  });
  // Views into facts.definitions and facts.members (reserved above: never reallocated here).
  std::unordered_set<std::string_view> taken;
  taken.reserve(facts.definitions.size() + members.size());
  for (const Definition& d : facts.definitions) taken.insert(d.qualified_path);
  for (const PendingDef* pending : members) {
    int scope = enclosing(ts_node_start_byte(pending->node));
    Member m;
    m.name = Compact(NodeText(*pending->name, text));
    if (pending->kind == "field") {  // self.x in a method: a field of the method's class
      if (scope < 0 || facts.definitions[scope].label != "Method") continue;
      scope = facts.definitions[scope].parent;
    }
    if (scope >= 0 && facts.definitions[scope].label != "Class") continue;  // a local
    m.owner = scope;
    m.label = scope >= 0 ? "Field" : "Variable";
    if (scope >= 0) {
      m.qualified_path = facts.definitions[scope].qualified_path + "." + m.name;
    } else {  // module level, possibly inside scopes (namespaces)
      int ignored = -1;
      std::string prefix;
      place(pending->node, &ignored, &prefix);
      m.qualified_path = prefix.empty() ? m.name : prefix + "." + m.name;
    }
    if (taken.count(m.qualified_path) > 0) continue;
    m.id = std::string(path) + ":" + m.qualified_path;
    m.line = static_cast<int>(ts_node_start_point(pending->node).row) + 1;
    TSPoint np = ts_node_start_point(*pending->name);
    m.name_line = static_cast<int>(np.row) + 1;
    m.name_col = static_cast<int>(np.column) + 1;
    m.start_byte = ts_node_start_byte(pending->node);
    m.end_byte = ts_node_end_byte(pending->node);
    facts.members.push_back(std::move(m));
    taken.insert(facts.members.back().qualified_path);
  }
  // The reserve counted every binding, locals included (on Django 2.6x the members kept): the
  // facts live until the whole repository is written, so the spare room is given back. (`taken`
  // is not used from here on.)
  facts.members.shrink_to_fit();

  // Calls inside functions and methods.
  facts.calls.reserve(calls.size());
  for (const auto& [range, call_site] : calls) {
    const auto& [node, invocation] = call_site;
    int scope = enclosing(range.first);
    if (scope < 0 || facts.definitions[scope].label == "Class") continue;
    CallFact call;
    call.caller = scope;
    call.callee = Compact(NodeText(node, text));
    if (invocation) call.callee = WithoutArguments(std::move(call.callee));
    TSPoint p = ts_node_start_point(node);
    call.line = static_cast<int>(p.row) + 1;
    call.col = static_cast<int>(p.column) + 1;
    facts.calls.push_back(std::move(call));
  }

  // Name accesses inside functions and methods. A member read at a node that is written is the
  // assignment's target, not a read.
  std::set<uint32_t> member_writes;
  for (const auto& [key, node] : accesses) {
    if (key.second == static_cast<int>(Role::kMemberWrite)) member_writes.insert(key.first);
  }
  // Only the first access of a name per (function, kind) is kept: a function reads the same
  // names over and over, and what the accesses become (USES edges, one per function, target and
  // kind, at the first access's line) needs no more.
  std::unordered_set<std::string> seen;
  std::string seen_key;
  for (const auto& [key, node] : accesses) {
    if (key.second == static_cast<int>(Role::kMemberRead) && member_writes.count(key.first)) {
      continue;
    }
    int scope = enclosing(key.first);
    if (scope < 0 || facts.definitions[scope].label == "Class") continue;
    AccessFact access;
    access.scope = scope;
    access.name = Compact(NodeText(node, text));
    Role role = static_cast<Role>(key.second);
    access.access =
        role == Role::kRead || role == Role::kMemberRead
            ? AccessFact::Kind::kRead
            : (role == Role::kWrite || role == Role::kMemberWrite ? AccessFact::Kind::kWrite
                                                                  : AccessFact::Kind::kGlobal);
    if (access.access == AccessFact::Kind::kRead) {  // a parameter is a local: never a USES
      const std::vector<std::string>& params = facts.definitions[scope].params;
      if (std::find(params.begin(), params.end(), access.name) != params.end()) continue;
    }
    seen_key.assign(reinterpret_cast<const char*>(&scope), sizeof(scope));
    seen_key += static_cast<char>(access.access);
    seen_key += access.name;
    if (!seen.insert(seen_key).second) continue;
    access.line = static_cast<int>(ts_node_start_point(node).row) + 1;
    facts.accesses.push_back(std::move(access));
  }
  facts.accesses.shrink_to_fit();  // kept until every file is resolved
  return facts;
}

}  // namespace kg::ingest

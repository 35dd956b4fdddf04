#include "ingest/stored_symbols.h"

#include <algorithm>

#include "common/schema.h"

namespace kg::ingest {
namespace {

constexpr auto kContains = static_cast<storage::EdgeTypeId>(schema::EdgeType::kCONTAINS);
constexpr auto kImports = static_cast<storage::EdgeTypeId>(schema::EdgeType::kIMPORTS);
constexpr auto kInherits = static_cast<storage::EdgeTypeId>(schema::EdgeType::kINHERITS);
constexpr auto kHasField = static_cast<storage::EdgeTypeId>(schema::EdgeType::kHAS_FIELD);
constexpr auto kImplements = static_cast<storage::EdgeTypeId>(schema::EdgeType::kIMPLEMENTS);
constexpr auto kDefinesModule = static_cast<storage::EdgeTypeId>(schema::EdgeType::kDEFINES_MODULE);

std::string StringProp(const Properties& props, std::string_view key) {
  auto it = props.find(key);
  return it != props.end() && it->second.is_string() ? it->second.as_string() : std::string();
}

}  // namespace

std::optional<storage::NodeKey> StoredSymbols::Find(std::string_view id) {
  Result<std::optional<storage::NodeKey>> key = snapshot_.FindNode(id);
  if (!key.ok()) {
    Note(key.status());
    return std::nullopt;
  }
  return *key;
}

std::optional<std::string> StoredSymbols::FindDefinition(std::string_view path,
                                                         std::string_view qualified_path) {
  std::string id = std::string(path) + ":" + std::string(qualified_path);
  if (!Find(id)) return std::nullopt;
  return id;
}

std::vector<ImportBinding> StoredSymbols::Bindings(std::string_view path) {
  std::vector<ImportBinding> out;
  std::optional<storage::NodeKey> file = Find(path);
  if (!file) return out;
  std::vector<storage::EdgeRecord> edges;
  auto cursor = snapshot_.Expand(*file, storage::Direction::kOut, kImports);
  storage::EdgeRecord edge;
  while (cursor->Next(&edge)) edges.push_back(edge);
  Note(cursor->status());
  // Source order: by the `line` property (the edge order in storage is by target).
  std::stable_sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) {
    auto line = [](const storage::EdgeRecord& e) {
      auto it = e.props.find("line");
      return it != e.props.end() && it->second.is_int() ? it->second.as_int() : 0;
    };
    return line(a) < line(b);
  });
  for (const storage::EdgeRecord& e : edges) {
    ImportFact imp;
    imp.module = StringProp(e.props, "module");
    imp.alias = StringProp(e.props, "alias");
    auto symbol = e.props.find("symbol");
    imp.from = symbol != e.props.end();
    if (imp.from) imp.name = StringProp(e.props, "symbol");
    std::vector<ImportBinding> b = BindingsOf({imp});
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

std::string StoredSymbols::LabelOf(std::string_view id) {
  std::optional<storage::NodeKey> key = Find(id);
  if (!key) return "";
  Result<std::optional<storage::NodeRecord>> node = snapshot_.GetNode(*key);
  if (!node.ok()) {
    Note(node.status());
    return "";
  }
  if (!*node) return "";
  for (storage::LabelId l : (*node)->labels) {
    for (schema::Label label :
         {schema::Label::kClass, schema::Label::kFunction, schema::Label::kMethod,
          schema::Label::kField, schema::Label::kVariable}) {
      if (l == static_cast<storage::LabelId>(label)) {
        switch (label) {
          case schema::Label::kClass:
            return "Class";
          case schema::Label::kFunction:
            return "Function";
          case schema::Label::kMethod:
            return "Method";
          case schema::Label::kField:
            return "Field";
          default:
            return "Variable";
        }
      }
    }
  }
  return "";
}

std::vector<std::pair<std::string, std::string>> StoredSymbols::FieldsOf(
    std::string_view class_id) {
  std::vector<std::pair<std::string, std::string>> out;
  std::optional<storage::NodeKey> key = Find(class_id);
  if (!key) return out;
  auto cursor = snapshot_.Expand(*key, storage::Direction::kOut, kHasField);
  storage::EdgeRecord edge;
  while (cursor->Next(&edge)) {
    auto inherited = edge.props.find("inherited");
    if (inherited != edge.props.end() && inherited->second.is_bool() &&
        inherited->second.as_bool()) {
      continue;
    }
    Result<std::optional<storage::NodeRecord>> node = snapshot_.GetNode(edge.dst);
    if (!node.ok()) {
      Note(node.status());
      continue;
    }
    if (*node) out.emplace_back(StringProp((*node)->props, "name"), (*node)->id);
  }
  Note(cursor->status());
  return out;
}

std::vector<std::string> StoredSymbols::TopLevelIds(std::string_view module_id) {
  std::vector<std::string> out;
  std::optional<storage::NodeKey> module = Find(module_id);
  if (!module) return out;
  auto cursor = snapshot_.Expand(*module, storage::Direction::kOut, kContains);
  storage::EdgeRecord edge;
  while (cursor->Next(&edge)) {
    Result<std::optional<storage::NodeRecord>> node = snapshot_.GetNode(edge.dst);
    if (!node.ok()) {
      Note(node.status());
      continue;
    }
    if (*node) out.push_back((*node)->id);
  }
  Note(cursor->status());
  std::sort(out.begin(), out.end());
  return out;
}

std::set<std::string> StoredSymbols::FilesPointingAt(const std::vector<std::string>& target_ids,
                                                     const std::set<std::string>* import_symbols) {
  std::set<std::string> out;
  for (const std::string& id : target_ids) {
    std::optional<storage::NodeKey> target = Find(id);
    if (!target) continue;
    for (storage::EdgeTypeId type : {kImports, kInherits, kImplements}) {
      auto cursor = snapshot_.Expand(*target, storage::Direction::kIn, type);
      storage::EdgeRecord edge;
      while (cursor->Next(&edge)) {
        if (import_symbols != nullptr && type == kImports &&
            import_symbols->count(StringProp(edge.props, "symbol")) == 0) {
          continue;
        }
        Result<std::optional<storage::NodeRecord>> src = snapshot_.GetNode(edge.src);
        if (!src.ok()) {
          Note(src.status());
          continue;
        }
        if (!*src) continue;
        std::string path = StringProp((*src)->props, "path");
        if (!path.empty()) out.insert(path);
      }
      Note(cursor->status());
    }
  }
  return out;
}

std::set<std::string> StoredSymbols::DefinitionIds(std::string_view path) {
  std::set<std::string> out;
  std::vector<std::optional<storage::NodeRecord>> nodes = ReadAll(*snapshot_.ScanPathPrefix(path));
  std::set<storage::LabelId> wanted;
  for (schema::Label label :
       {schema::Label::kClass, schema::Label::kFunction, schema::Label::kMethod,
        schema::Label::kField, schema::Label::kVariable}) {
    wanted.insert(static_cast<storage::LabelId>(label));
  }
  for (const std::optional<storage::NodeRecord>& n : nodes) {
    if (!n || StringProp(n->props, "path") != path) continue;
    for (storage::LabelId l : n->labels) {
      if (wanted.count(l)) {
        out.insert(n->id);
        break;
      }
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> StoredSymbols::QualifiedNames(
    const std::set<std::string, std::less<>>& skip_paths) {
  std::vector<std::pair<std::string, std::string>> out;
  for (schema::Label label :
       {schema::Label::kModule, schema::Label::kClass, schema::Label::kFunction,
        schema::Label::kMethod, schema::Label::kField, schema::Label::kVariable}) {
    const char* prop = label == schema::Label::kModule ? "name" : "qualified_name";
    ForEachNodeOutside(label, skip_paths, [&](const storage::NodeRecord& n) {
      std::string qn = StringProp(n.props, prop);
      if (!qn.empty()) out.emplace_back(std::move(qn), n.id);
    });
  }
  return out;
}

std::vector<CallableName> StoredSymbols::CallableNames(
    const std::set<std::string, std::less<>>& skip_paths) {
  std::vector<CallableName> out;
  for (schema::Label label : {schema::Label::kFunction, schema::Label::kMethod}) {
    ForEachNodeOutside(label, skip_paths, [&](const storage::NodeRecord& n) {
      out.push_back({StringProp(n.props, "name"), n.id, label == schema::Label::kMethod});
    });
  }
  return out;
}

void StoredSymbols::ForEachNodeOutside(schema::Label label,
                                       const std::set<std::string, std::less<>>& skip_paths,
                                       const std::function<void(const storage::NodeRecord&)>& fn) {
  for (const std::optional<storage::NodeRecord>& n :
       ReadAll(*snapshot_.ScanLabel(static_cast<storage::LabelId>(label)))) {
    if (n && skip_paths.count(StringProp(n->props, "path")) == 0) fn(*n);
  }
}

std::vector<std::optional<storage::NodeRecord>> StoredSymbols::ReadAll(
    storage::NodeCursor& cursor) {
  std::vector<storage::NodeKey> keys;
  storage::NodeKey key;
  while (cursor.Next(&key)) keys.push_back(key);
  Note(cursor.status());
  std::vector<std::optional<storage::NodeRecord>> nodes;
  Status s = snapshot_.GetNodes(keys, &nodes);
  if (!s.ok()) {
    Note(s);
    nodes.clear();
  }
  return nodes;
}

std::optional<std::string> StoredSymbols::ModuleNameOf(std::string_view path) {
  std::optional<storage::NodeKey> file = Find(path);
  if (!file) return std::nullopt;
  auto cursor = snapshot_.Expand(*file, storage::Direction::kOut, kDefinesModule);
  storage::EdgeRecord edge;
  std::optional<std::string> out;
  if (cursor->Next(&edge)) {
    Result<std::optional<storage::NodeRecord>> node = snapshot_.GetNode(edge.dst);
    if (!node.ok()) {
      Note(node.status());
    } else if (*node) {
      out = StringProp((*node)->props, "name");
    }
  }
  Note(cursor->status());
  return out;
}

}  // namespace kg::ingest

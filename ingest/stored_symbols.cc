#include "ingest/stored_symbols.h"

#include <algorithm>

#include "common/schema.h"

namespace kg::ingest {
namespace {

constexpr auto kContains = static_cast<storage::EdgeTypeId>(schema::EdgeType::kCONTAINS);
constexpr auto kImports = static_cast<storage::EdgeTypeId>(schema::EdgeType::kIMPORTS);
constexpr auto kInherits = static_cast<storage::EdgeTypeId>(schema::EdgeType::kINHERITS);

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
    for (storage::EdgeTypeId type : {kImports, kInherits}) {
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

}  // namespace kg::ingest

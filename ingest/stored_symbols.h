#pragma once
// StoredSymbols: what an earlier ingest stored, read through a storage Snapshot.
//
// Used by IngestPath for files left unchanged (their definitions and import bindings take part
// in resolution) and to find which unchanged files depend on a changed one (they are re-resolved).
// Storage errors do not abort lookups (the symbol is treated as absent); the first one is kept in
// status() and IngestPath reports it.
//
// Thread-safety: like the Snapshot it wraps, one thread at a time.

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "ingest/resolver.h"
#include "storage/graph_store.h"

namespace kg::ingest {

class StoredSymbols final : public StoredSymbolLookup {
 public:
  // `snapshot` must outlive this object.
  explicit StoredSymbols(storage::Snapshot& snapshot) : snapshot_(snapshot) {}

  std::optional<std::string> FindDefinition(std::string_view path,
                                            std::string_view qualified_path) override;
  // Rebuilt from the IMPORTS edges of the File node (props module, symbol, alias).
  std::vector<ImportBinding> Bindings(std::string_view path) override;
  std::string LabelOf(std::string_view id) override;
  // From the class's HAS_FIELD edges with inherited = false.
  std::vector<std::pair<std::string, std::string>> FieldsOf(std::string_view class_id) override;
  // From the Function and Method label scans (property `name`).
  std::vector<CallableName> CallableNames(
      const std::set<std::string, std::less<>>& skip_paths) override;

  // The name of the Module the stored file `path` defines (its DEFINES_MODULE target), or
  // nullopt when the file is not stored.
  std::optional<std::string> ModuleNameOf(std::string_view path);

  // Ids of the top-level definitions stored for a module (its Module node's CONTAINS targets),
  // sorted; empty when the module is not stored.
  std::vector<std::string> TopLevelIds(std::string_view module_id);

  // Paths of the stored files with an IMPORTS, INHERITS or IMPLEMENTS edge into any of `target_ids`
  // (missing ids are ignored). When `import_symbols` is given, an IMPORTS edge only counts if its
  // `symbol` property is in the set.
  std::set<std::string> FilesPointingAt(const std::vector<std::string>& target_ids,
                                        const std::set<std::string>* import_symbols = nullptr);

  // Ids of the stored Class, Function, Method, Field and Variable nodes of file `path`.
  std::set<std::string> DefinitionIds(std::string_view path);

  // (qualified name, id) of every stored Module (its `name`), Class, Function, Method, Field and
  // Variable node whose `path` is not in `skip_paths`.
  std::vector<std::pair<std::string, std::string>> QualifiedNames(
      const std::set<std::string, std::less<>>& skip_paths);

  // OK, or the first storage error met.
  const Status& status() const { return status_; }

 private:
  std::optional<storage::NodeKey> Find(std::string_view id);
  // Calls fn for every stored node of `label` whose `path` is not in `skip_paths`.
  void ForEachNodeOutside(schema::Label label, const std::set<std::string, std::less<>>& skip_paths,
                          const std::function<void(const storage::NodeRecord&)>& fn);
  // The records of every node `cursor` yields (nullopt for a key with no record); empty after
  // a storage error, which is noted.
  std::vector<std::optional<storage::NodeRecord>> ReadAll(storage::NodeCursor& cursor);
  void Note(const Status& s) {
    if (status_.ok() && !s.ok()) status_ = s;
  }

  storage::Snapshot& snapshot_;
  Status status_;
};

}  // namespace kg::ingest

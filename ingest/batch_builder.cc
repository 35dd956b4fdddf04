#include "ingest/batch_builder.h"

#include <set>
#include <utility>

#include "ingest/sha256.h"

namespace kg::ingest {
namespace {

std::string_view ParentDir(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

ValueList ToList(const std::vector<std::string>& items) {
  ValueList out;
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
    node.props["name"] = t.dotted;
    node.shared = true;
    nodes_.push_back(std::move(node));
  }
  std::vector<storage::NodeFact> Take() { return std::move(nodes_); }

 private:
  std::set<std::string> seen_;
  std::vector<storage::NodeFact> nodes_;
};

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
    storage::NodeFact node;
    node.id = d.id;
    node.labels = {d.label};
    Properties& p = node.props;
    p["name"] = d.name;
    p["qualified_name"] = facts.module.name + "." + d.qualified_path;
    p["path"] = path;
    p["language"] = facts.language;
    p["start_line"] = d.start_line;
    p["end_line"] = d.end_line;
    p["start_byte"] = static_cast<int64_t>(d.start_byte);
    p["end_byte"] = static_cast<int64_t>(d.end_byte);
    p["signature"] = d.signature;
    if (d.docstring) p["docstring"] = *d.docstring;
    p["is_test"] = d.is_test;
    if (d.label == "Class") {
      p["kind"] = d.kind;
      p["bases"] = ToList(d.bases);
    } else {
      p["params"] = ToList(d.params);
      if (d.return_type) p["return_type"] = *d.return_type;
      p["is_async"] = d.is_async;
    }
    p["decorators"] = ToList(d.decorators);
    for (const std::string& m : d.modifiers) p["is_" + m] = true;
    batch.nodes.push_back(std::move(node));

    if (d.parent < 0) {
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

// DocLinker and the documentation file batch.

#include "ingest/doc_linker.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "ingest/walk.h"

namespace kg::ingest {
namespace {

std::string DirId(std::string_view dir) {
  return dir.empty() ? std::string("dir:/") : "dir:" + std::string(dir);
}

std::string_view LastComponent(std::string_view dotted) {
  size_t dot = dotted.rfind('.');
  return dot == std::string_view::npos ? dotted : dotted.substr(dot + 1);
}

double Confidence(std::string_view via, bool exact, bool dotted) {
  int row = via == "link" ? 0 : (via == "code_span" ? 1 : 2);
  static constexpr double kTable[3][3] = {{1.0, 0.8, 0.7}, {0.9, 0.7, 0.6}, {0.8, 0.5, 0.4}};
  return kTable[row][exact ? 0 : (dotted ? 1 : 2)];
}

// GitHub-style anchor: lower-case, spaces -> '-', only [a-z0-9_-] and non-ASCII bytes kept.
std::string Slug(std::string_view title) {
  std::string out;
  for (unsigned char c : title) {
    if (c >= 0x80 || std::isalnum(c) || c == '_' || c == '-') {
      out.push_back(static_cast<char>(c < 0x80 ? std::tolower(c) : c));
    } else if (c == ' ') {
      out.push_back('-');
    }
  }
  return out.empty() ? "section" : out;
}

bool Linkable(const Target& t) {
  return t.kind == Target::Kind::kDefinition || t.kind == Target::Kind::kModule;
}

}  // namespace

std::optional<DocLink> DocLinker::Link(const docs::DocMention& mention, const FileFacts* facts,
                                       int scope) {
  bool dotted = mention.name.find('.') != std::string::npos;
  if (facts != nullptr) {
    Target t = resolver_.ResolveInFile(*facts, scope, mention.name);
    if (Linkable(t)) return DocLink{t.id, Confidence(mention.via, true, dotted)};
  }
  Target t = resolver_.ResolveDotted(mention.name);
  if (Linkable(t)) return DocLink{t.id, Confidence(mention.via, true, dotted)};
  if (auto id = UniqueSuffix(mention.name)) {
    return DocLink{*id, Confidence(mention.via, false, dotted)};
  }
  return std::nullopt;
}

std::optional<std::string> DocLinker::UniqueSuffix(const std::string& name) {
  if (!loaded_) {
    loaded_ = true;
    names_ = load_names_();
    by_last_.reserve(names_.size());
    for (size_t i = 0; i < names_.size(); ++i) {
      by_last_[LastComponent(names_[i].first)].push_back(static_cast<uint32_t>(i));
    }
  }
  if (auto memo = suffix_memo_.find(name); memo != suffix_memo_.end()) return memo->second;
  auto unique = [this, &name]() -> std::optional<std::string> {
    auto it = by_last_.find(LastComponent(name));
    if (it == by_last_.end()) return std::nullopt;
    const std::string* found = nullptr;
    std::string suffix = "." + name;
    for (uint32_t i : it->second) {
      const auto& [qn, id] = names_[i];
      if (qn == name || qn.ends_with(suffix)) {
        if (found != nullptr && *found != id) return std::nullopt;  // ambiguous
        found = &id;
      }
    }
    if (found == nullptr) return std::nullopt;
    return *found;
  };
  return suffix_memo_.emplace(name, unique()).first->second;
}

void AppendQualifiedNames(const FileFacts& facts, const std::string& module_id,
                          QualifiedNames* out) {
  auto qualified = [&facts](const std::string& path) {
    std::string name;
    name.reserve(facts.module.name.size() + 1 + path.size());
    name.append(facts.module.name).append(".").append(path);
    return name;
  };
  out->emplace_back(facts.module.name, module_id);
  for (const Definition& d : facts.definitions)
    out->emplace_back(qualified(d.qualified_path), d.id);
  for (const Member& m : facts.members) out->emplace_back(qualified(m.qualified_path), m.id);
}

storage::FactBatch BuildDocBatch(const std::string& path, const docs::DocFacts& doc,
                                 docs::DocFormat format, std::string hash, uint64_t size,
                                 std::string text, DocLinker& linker) {
  std::string language = format == docs::DocFormat::kMarkdown ? "markdown" : "rst";
  storage::FactBatch batch;
  batch.path = path;
  batch.content_hash = std::move(hash);
  batch.language = language;
  batch.text = std::move(text);

  storage::NodeFact file;
  file.id = path;
  file.labels = {"File"};
  file.props["path"] = path;
  file.props["name"] = BaseName(path);
  file.props["language"] = language;
  file.props["size"] = static_cast<int64_t>(size);
  file.props["hash"] = batch.content_hash;
  file.props["is_test"] = false;
  batch.nodes.push_back(std::move(file));
  batch.edges.push_back({DirId(ParentDir(path)), "CONTAINS", path, {}});

  std::string doc_id = "doc:" + path;
  storage::NodeFact doc_node;
  doc_node.id = doc_id;
  doc_node.labels = {"Doc"};
  doc_node.props["name"] = BaseName(path);
  doc_node.props["path"] = path;
  doc_node.props["language"] = language;
  doc_node.props["title"] = doc.title;
  batch.nodes.push_back(std::move(doc_node));
  batch.edges.push_back({path, "CONTAINS", doc_id, {}});

  std::vector<std::string> ids;
  std::set<std::string> taken;
  for (const docs::DocSection& s : doc.sections) {
    std::string base = path + "#" + (s.level == 0 ? std::string() : Slug(s.title));
    std::string id = base;
    for (int n = 2; !taken.insert(id).second; ++n) id = base + "-" + std::to_string(n);
    ids.push_back(id);
    storage::NodeFact node;
    node.id = id;
    node.labels = {"DocSection"};
    Properties& p = node.props;
    p["name"] = s.title;
    p["title"] = s.title;
    p["level"] = s.level;
    p["path"] = path;
    p["language"] = language;
    p["start_line"] = s.start_line;
    p["end_line"] = s.end_line;
    p["start_byte"] = static_cast<int64_t>(s.start_byte);
    p["end_byte"] = static_cast<int64_t>(s.end_byte);
    p["text"] = s.text;
    batch.nodes.push_back(std::move(node));
    batch.edges.push_back({s.parent >= 0 ? ids[s.parent] : doc_id, "CONTAINS", id, {}});

    std::map<std::string, std::pair<DocLink, const docs::DocMention*>> best;  // by target id
    for (const docs::DocMention& m : s.mentions) {
      std::optional<DocLink> link = linker.Link(m);
      if (!link) continue;
      auto [it, added] = best.try_emplace(link->id, *link, &m);
      if (!added && link->confidence > it->second.first.confidence) it->second = {*link, &m};
    }
    for (const auto& [target, found] : best) {
      Properties props;
      props["via"] = found.second->via;
      props["confidence"] = found.first.confidence;
      props["name"] = found.second->name;
      props["line"] = found.second->line;
      batch.edges.push_back({id, "DOCUMENTS", target, std::move(props)});
    }
  }
  return batch;
}

std::vector<storage::EdgeFact> DocstringEdges(const FileFacts& facts, const std::string& module_id,
                                              DocLinker& linker) {
  std::vector<storage::EdgeFact> out;
  auto add = [&](const std::string& source, const std::string& docstring, int scope, int line) {
    std::map<std::string, std::pair<double, std::string>> best;  // target -> (confidence, name)
    for (const docs::DocMention& m : docs::DocstringMentions(docstring, line)) {
      std::optional<DocLink> link = linker.Link(m, &facts, scope);
      if (!link || link->id == source) continue;
      auto [it, added] = best.try_emplace(link->id, link->confidence, m.name);
      if (!added && link->confidence > it->second.first) it->second = {link->confidence, m.name};
    }
    for (const auto& [target, found] : best) {
      Properties props;
      props["via"] = "docstring";
      props["confidence"] = found.first;
      props["name"] = found.second;
      out.push_back({source, "DOCUMENTS", target, std::move(props)});
    }
  };
  if (facts.module_docstring) add(module_id, *facts.module_docstring, -1, 1);
  for (size_t i = 0; i < facts.definitions.size(); ++i) {
    const Definition& d = facts.definitions[i];
    if (d.docstring) add(d.id, *d.docstring, static_cast<int>(i), d.start_line + 1);
  }
  return out;
}

}  // namespace kg::ingest

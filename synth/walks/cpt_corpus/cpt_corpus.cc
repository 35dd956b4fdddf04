#include "synth/walks/cpt_corpus/cpt_corpus.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "synth/code_text.h"
#include "synth/walk_query.h"

namespace kg::synth::cpt_corpus {

const std::string_view kFilesQuery =
    "MATCH (f:File)-[:DEFINES_MODULE]->(m:Module) RETURN f.path, f.language, m.docstring";
const std::string_view kPiecesQuery =
    "MATCH (f:File)-[:CONTAINS]->(d) WHERE d.start_byte IS NOT NULL "
    "RETURN f.path, d.start_byte, d.end_byte, d.start_line, labels(d), d.code";
const std::string_view kDependenciesQuery =
    "MATCH (f:File)-[:IMPORTS]->(t) WHERE t.path IS NOT NULL RETURN DISTINCT f.path, t.path";

namespace {

// The longest prefix of `s` of at most `n` bytes that does not cut a UTF-8 character.
size_t Utf8Prefix(std::string_view s, size_t n) {
  if (n >= s.size()) return s.size();
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

// Splits `piece` (larger than `budget`) at line boundaries into segments of at most `budget`
// bytes; a line larger than `budget` is cut at UTF-8 character boundaries.
std::vector<std::string> SplitLines(std::string_view piece, size_t budget) {
  std::vector<std::string> out;
  std::string seg;
  bool open = false;  // `seg` holds at least one line (possibly empty)
  size_t start = 0;
  while (start <= piece.size()) {
    size_t nl = piece.find('\n', start);
    std::string_view line =
        piece.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (open && seg.size() + 1 + line.size() <= budget) {
      seg += '\n';
      seg += line;
    } else {
      if (open) out.push_back(std::move(seg));
      seg.clear();
      open = false;
      while (line.size() > budget) {
        size_t cut = Utf8Prefix(line, budget);
        if (cut == 0) cut = budget;  // budget < one character: cut the bytes anyway
        out.emplace_back(line.substr(0, cut));
        line.remove_prefix(cut);
      }
      seg = std::string(line);
      open = true;
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  if (open) out.push_back(std::move(seg));
  return out;
}

// A top-level definition of a file, as read from kPiecesQuery.
struct Definition {
  int64_t start_byte = 0, end_byte = 0, start_line = 0, end_line = 0;
  bool is_def = false;  // a Class, Function or Method (not a Variable)
  std::string code;
};

struct SourceFile {
  std::string language, docstring;
  std::vector<Definition> definitions;
};

// "\"\"\"doc\"\"\"" for Python, "// doc" lines otherwise; "" if the docstring cannot be quoted.
std::string DocstringPiece(const SourceFile& f, bool python) {
  if (f.docstring.empty()) return "";
  if (!python) {
    std::string out;
    size_t start = 0;
    while (start <= f.docstring.size()) {
      size_t nl = f.docstring.find('\n', start);
      std::string_view line =
          std::string_view(f.docstring)
              .substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (!out.empty()) out += '\n';
      out += line.empty() ? "//" : "// " + std::string(line);
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    return out;
  }
  std::string quote = "\"\"\"";
  if (f.docstring.find(quote) != std::string::npos) quote = "'''";
  if (f.docstring.find(quote) != std::string::npos) return "";
  bool newline = f.docstring.find('\n') != std::string::npos || f.docstring.back() == quote[0] ||
                 f.docstring.back() == '\\';
  return quote + f.docstring + (newline ? "\n" : "") + quote;
}

FileText Assemble(const SourceFile& f, std::string_view imports) {
  const bool python = f.language == "python";
  FileText text;
  // Each piece remembers its kind and last line for the separator before the next one.
  bool prev_def = false;
  int64_t prev_end_line = -1;
  auto add = [&](std::string piece, bool is_def, int64_t start_line, int64_t end_line) {
    std::string sep;
    if (!text.pieces.empty()) {
      if (python && (is_def || prev_def)) {
        sep = "\n\n\n";
      } else if (prev_end_line >= 0 && start_line == prev_end_line + 1) {
        sep = "\n";
      } else {
        sep = "\n\n";
      }
    }
    text.pieces.push_back(std::move(piece));
    text.separators.push_back(std::move(sep));
    prev_def = is_def;
    prev_end_line = end_line;
  };
  std::string doc = DocstringPiece(f, python);
  if (!doc.empty()) add(std::move(doc), false, -1, -1);
  if (python && !imports.empty()) {
    std::string block(imports);
    while (!block.empty() && block.back() == '\n') block.pop_back();
    if (!block.empty()) add(std::move(block), false, -1, -1);
  }
  int64_t covered = -1;  // end byte of the last definition written
  for (const Definition& d : f.definitions) {
    if (d.start_byte < covered || d.code.empty()) continue;
    covered = std::max(covered, d.end_byte);
    add(DedentBody(d.code), d.is_def, d.start_line, d.end_line);
  }
  return text;
}

}  // namespace

std::vector<std::string> ImportOrder(
    std::vector<std::string> files, const std::vector<std::pair<std::string, std::string>>& imports,
    size_t* cycles) {
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  const size_t n = files.size();
  auto index = [&](const std::string& path) -> size_t {
    auto it = std::lower_bound(files.begin(), files.end(), path);
    return it != files.end() && *it == path ? static_cast<size_t>(it - files.begin()) : n;
  };
  std::vector<std::vector<size_t>> deps(n);  // i imports deps[i]
  for (const auto& [importer, imported] : imports) {
    size_t a = index(importer), b = index(imported);
    if (a < n && b < n && a != b) deps[a].push_back(b);
  }
  for (auto& d : deps) {
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
  }

  // Strongly connected components (Tarjan, iterative).
  constexpr size_t kUnset = static_cast<size_t>(-1);
  std::vector<size_t> order_of(n, kUnset), low(n, 0), component(n, kUnset);
  std::vector<bool> on_stack(n, false);
  std::vector<size_t> stack;
  std::vector<std::pair<size_t, size_t>> frames;  // (node, next dependency to visit)
  size_t counter = 0, components = 0;
  for (size_t root = 0; root < n; ++root) {
    if (order_of[root] != kUnset) continue;
    frames.emplace_back(root, 0);
    order_of[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!frames.empty()) {
      auto& [v, next] = frames.back();
      if (next < deps[v].size()) {
        size_t w = deps[v][next++];
        if (order_of[w] == kUnset) {
          order_of[w] = low[w] = counter++;
          stack.push_back(w);
          on_stack[w] = true;
          frames.emplace_back(w, 0);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], order_of[w]);
        }
        continue;
      }
      size_t done = v;
      frames.pop_back();
      if (!frames.empty()) low[frames.back().first] = std::min(low[frames.back().first], low[done]);
      if (low[done] == order_of[done]) {
        size_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          component[w] = components;
        } while (w != done);
        ++components;
      }
    }
  }

  // Members of each component in path order; the condensed graph; Kahn with the ready
  // component whose first path is smallest first.
  std::vector<std::vector<size_t>> members(components);
  for (size_t i = 0; i < n; ++i) members[component[i]].push_back(i);
  std::vector<std::set<size_t>> dependents(components);
  std::vector<size_t> waiting(components, 0);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j : deps[i]) {
      size_t ci = component[i], cj = component[j];
      if (ci != cj && dependents[cj].insert(ci).second) ++waiting[ci];
    }
  }
  std::set<size_t> ready;  // first member index (members are in path order)
  for (size_t c = 0; c < components; ++c) {
    if (waiting[c] == 0) ready.insert(members[c].front());
  }
  size_t cyclic = 0;
  std::vector<std::string> out;
  out.reserve(n);
  while (!ready.empty()) {
    size_t c = component[*ready.begin()];
    ready.erase(ready.begin());
    if (members[c].size() > 1) ++cyclic;
    for (size_t i : members[c]) out.push_back(files[i]);
    for (size_t d : dependents[c]) {
      if (--waiting[d] == 0) ready.insert(members[d].front());
    }
  }
  if (cycles != nullptr) *cycles = cyclic;
  return out;
}

std::vector<std::string> ChunkFile(std::string_view comment, std::string_view path,
                                   const FileText& text, size_t max_bytes) {
  max_bytes = std::max<size_t>(max_bytes, 1);
  std::string body;
  for (size_t i = 0; i < text.pieces.size(); ++i) {
    if (i > 0 && i < text.separators.size()) body += text.separators[i];
    body += text.pieces[i];
  }
  std::string base = std::string(comment) + " " + std::string(path);
  std::string whole = base.substr(0, Utf8Prefix(base, max_bytes / 2));
  if (whole.size() + 1 + body.size() <= max_bytes) return {whole + "\n" + body};

  // Parts: reserve room for " (part k/n)" and the newline.
  constexpr size_t kSuffix = 24;
  std::string head;
  if (max_bytes / 2 > kSuffix + 1) head = base.substr(0, Utf8Prefix(base, max_bytes / 2 - kSuffix));
  const size_t budget = head.empty() ? max_bytes : max_bytes - head.size() - kSuffix - 1;
  std::vector<std::string> bodies;
  std::string current;
  bool open = false;
  for (size_t i = 0; i < text.pieces.size(); ++i) {
    const std::string& piece = text.pieces[i];
    // Both arms are string_views: with `text.separators[i] : ""` the conditional's type is
    // std::string, and the view would dangle on a temporary (found by ASan).
    std::string_view sep = open && i < text.separators.size() ? std::string_view(text.separators[i])
                                                              : std::string_view();
    if (open && current.size() + sep.size() + piece.size() <= budget) {
      current += sep;
      current += piece;
      continue;
    }
    if (open) bodies.push_back(std::move(current));
    current.clear();
    open = true;
    if (piece.size() <= budget) {
      current = piece;
      continue;
    }
    std::vector<std::string> segments = SplitLines(piece, budget);
    for (size_t s = 0; s + 1 < segments.size(); ++s) bodies.push_back(std::move(segments[s]));
    current = std::move(segments.back());
  }
  if (open) bodies.push_back(std::move(current));
  std::vector<std::string> out;
  out.reserve(bodies.size());
  const std::string total = std::to_string(bodies.size());
  for (size_t k = 0; k < bodies.size(); ++k) {
    if (head.empty()) {
      out.push_back(std::move(bodies[k]));
    } else {
      out.push_back(head + " (part " + std::to_string(k + 1) + "/" + total + ")\n" + bodies[k]);
    }
  }
  return out;
}

Result<std::vector<TrainingPair>> Walk(const WalkContext& context) {
  auto count = [&](const char* key, uint64_t n) {
    if (context.stats != nullptr) (*context.stats)[std::string("cpt_corpus.") + key] += n;
  };
  std::map<std::string, SourceFile> files;
  {
    KG_ASSIGN_OR_RETURN(query::QueryResult r, context.Query(kFilesQuery));
    for (const ValueList& row : r.rows) {
      std::string path = CellString(row[0]);
      if (path.empty()) continue;
      SourceFile& f = files[path];
      f.language = CellString(row[1]);
      f.docstring = CellString(row[2]);
    }
  }
  {
    KG_ASSIGN_OR_RETURN(query::QueryResult r, context.Query(kPiecesQuery));
    size_t n = 0;
    for (ValueList& row : r.rows) {
      if ((++n & 1023) == 0 && context.IsCancelled()) return Status::Cancelled("cancelled");
      auto f = files.find(CellString(row[0]));
      if (f == files.end()) continue;
      Definition d;
      d.start_byte = CellInt(row[1]).value_or(-1);
      d.end_byte = CellInt(row[2]).value_or(-1);
      d.start_line = CellInt(row[3]).value_or(-1);
      d.is_def = !CellHasLabel(row[4], "Variable") && !CellHasLabel(row[4], "Field");
      if (row[5].is_string()) d.code = row[5].as_string();
      if (d.start_byte < 0 || d.end_byte < d.start_byte || d.code.empty()) continue;
      d.end_line = d.start_line + std::count(d.code.begin(), d.code.end(), '\n');
      f->second.definitions.push_back(std::move(d));
    }
  }
  KG_ASSIGN_OR_RETURN(auto imports, FileImports(context));
  std::vector<std::pair<std::string, std::string>> dependencies;
  {
    KG_ASSIGN_OR_RETURN(query::QueryResult r, context.Query(kDependenciesQuery));
    for (const ValueList& row : r.rows) {
      dependencies.emplace_back(CellString(row[0]), CellString(row[1]));
    }
  }
  std::vector<std::string> paths;
  paths.reserve(files.size());
  for (auto& [path, f] : files) {
    std::sort(f.definitions.begin(), f.definitions.end(),
              [](const Definition& a, const Definition& b) {
                return std::tie(a.start_byte, b.end_byte) < std::tie(b.start_byte, a.end_byte);
              });
    paths.push_back(path);
  }
  size_t cycles = 0;
  std::vector<std::string> order = ImportOrder(std::move(paths), dependencies, &cycles);
  count("cycles", cycles);

  std::vector<TrainingPair> pairs;
  for (const std::string& path : order) {
    if (context.IsCancelled()) return Status::Cancelled("cancelled");
    const SourceFile& f = files.at(path);
    auto imp = imports.find(path);
    FileText text = Assemble(f, imp == imports.end() ? std::string_view() : imp->second);
    if (text.pieces.empty()) {
      count("skipped_empty", 1);
      continue;
    }
    std::vector<std::string> chunks =
        ChunkFile(f.language == "python" ? "#" : "//", path, text, context.max_chunk_bytes);
    count("files", 1);
    count("parts", chunks.size());
    if (chunks.size() > 1) count("split_files", 1);
    for (size_t k = 0; k < chunks.size(); ++k) {
      TrainingPair p;
      p.output = std::move(chunks[k]);
      p.relation = "File";
      p.direction = chunks.size() == 1 ? "whole" : "part";
      p.subject = chunks.size() == 1 ? path : path + "#" + std::to_string(k + 1);
      p.path = path;
      p.label = "File";
      pairs.push_back(std::move(p));
    }
  }
  return pairs;
}

}  // namespace kg::synth::cpt_corpus

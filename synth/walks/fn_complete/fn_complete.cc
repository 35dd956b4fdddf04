#include "synth/walks/fn_complete/fn_complete.h"

#include <map>
#include <string>

#include "synth/code_text.h"
#include "synth/text.h"
#include "synth/walk_query.h"
#include "synth/walks/fn_complete/templates.h"

namespace kg::synth::fn_complete {

const std::string_view kFunctionsQuery =
    "MATCH (f:Function) WHERE f.docstring IS NOT NULL "
    "RETURN id(f), f.qualified_name, f.path, f.docstring, f.code, labels(f)";
const std::string_view kMethodsQuery =
    "MATCH (c:Class)-[:HAS_METHOD]->(f:Method) WHERE f.docstring IS NOT NULL "
    "RETURN id(f), f.qualified_name, f.path, f.docstring, f.code, labels(f)";

namespace {

constexpr size_t kMaxCodeBytes = 4000;

Status Collect(const WalkContext& ctx, std::string_view text, bool method,
               const std::map<std::string, std::string>& imports,
               std::map<std::string, TrainingPair>* out) {
  KG_ASSIGN_OR_RETURN(query::QueryResult r, ctx.Query(text));
  size_t n = 0;
  for (const ValueList& row : r.rows) {
    if ((++n & 255) == 0 && ctx.IsCancelled()) return Status::Cancelled("cancelled");
    std::string id = CellString(row[0]), qn = CellString(row[1]), path = CellString(row[2]);
    std::string doc = CellString(row[3]), raw = CellString(row[4]);
    if (id.empty() || qn.empty() || doc.empty() || raw.empty() || raw.size() > kMaxCodeBytes) {
      continue;
    }
    std::string code = method ? DedentBody(raw) : raw;
    size_t lines = std::count(code.begin(), code.end(), '\n') + 1;
    if (lines < 3 || lines > 80) continue;
    // The prompt: the definition up to the end of its docstring.
    std::string doc_text = method ? DedentBody(doc) : doc;
    size_t at = code.find(doc_text);
    if (at == std::string::npos) continue;
    std::string head = code.substr(0, at + doc_text.size());
    if (head.size() + 8 >= code.size()) continue;  // no body beyond the docstring
    auto imp = imports.find(path);
    std::string header = imp == imports.end() ? "" : imp->second;
    TemplateVars vars = {{"name", qn},
                         {"path", path},
                         {"graph", std::string(ctx.graph)},
                         {"kind", method ? "method" : "function"}};
    const Wording& w = kWordings[PickWording(ctx.seed, "fn_complete|" + id, std::size(kWordings))];
    TrainingPair p;
    p.instruction = FillTemplate(w.instruction, vars);
    p.input = "```python\n" + (header.empty() ? "" : header + "\n\n") + head + "\n```";
    p.output = "```python\n" + code + "\n```";
    p.relation = method ? "Method" : "Function";
    p.direction = "body";
    p.subject = id;
    p.path = path;
    p.label = method ? "Method" : "Function";
    p.code = (header.empty() ? "" : header + "\n\n") + code + "\n";
    p.apis.push_back(qn);
    out->emplace(id, std::move(p));
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<TrainingPair>> Walk(const WalkContext& context) {
  KG_ASSIGN_OR_RETURN(auto imports, FileImports(context));
  std::map<std::string, TrainingPair> by_id;
  KG_RETURN_IF_ERROR(Collect(context, kFunctionsQuery, false, imports, &by_id));
  KG_RETURN_IF_ERROR(Collect(context, kMethodsQuery, true, imports, &by_id));
  std::vector<TrainingPair> pairs;
  pairs.reserve(by_id.size());
  for (auto& [id, p] : by_id) pairs.push_back(std::move(p));
  return pairs;
}

}  // namespace kg::synth::fn_complete

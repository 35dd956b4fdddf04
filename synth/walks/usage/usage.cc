#include "synth/walks/usage/usage.h"

#include <map>
#include <string>

#include "synth/code_text.h"
#include "synth/prng.h"
#include "synth/text.h"
#include "synth/walk_query.h"
#include "synth/walks/usage/templates.h"

namespace kg::synth::usage {

const std::string_view kCallSitesQuery =
    "MATCH (a)-[r:CALLS]->(b) WHERE (b:Function OR b:Method) AND r.line IS NOT NULL "
    "RETURN id(b), b.qualified_name, b.signature, id(a), a.qualified_name, a.path, "
    "a.start_line, r.line, labels(b)";

namespace {

struct Site {
  std::string callee_qn, signature, label, caller_id, caller_qn, caller_path;
  int64_t caller_line = 0, line = 0;
  uint64_t rank = 0;
};

}  // namespace

Result<std::vector<TrainingPair>> Walk(const WalkContext& context) {
  KG_ASSIGN_OR_RETURN(query::QueryResult r, context.Query(kCallSitesQuery));
  std::map<std::string, Site> chosen;  // callee id -> the seed's call site
  for (const ValueList& row : r.rows) {
    Site s;
    std::string callee = CellString(row[0]);
    s.callee_qn = CellString(row[1]);
    s.signature = CellString(row[2]);
    s.caller_id = CellString(row[3]);
    s.caller_qn = CellString(row[4]);
    s.caller_path = CellString(row[5]);
    s.caller_line = CellInt(row[6]).value_or(0);
    s.line = CellInt(row[7]).value_or(0);
    s.label = row[8].is_list() && !row[8].as_list().empty() ? CellString(row[8].as_list()[0]) : "";
    if (callee.empty() || s.caller_qn.empty() || s.caller_path.empty() || s.line <= 0 ||
        s.caller_line <= 0 || s.line < s.caller_line) {
      continue;
    }
    s.rank = SeededHash(context.seed, callee + "|" + s.caller_id + "|" + std::to_string(s.line));
    auto it = chosen.find(callee);
    if (it == chosen.end() || s.rank < it->second.rank) chosen[callee] = std::move(s);
  }
  if (context.IsCancelled()) return Status::Cancelled("cancelled");
  KG_ASSIGN_OR_RETURN(auto imports, FileImports(context));
  // The callers' code, one query per caller would be slow: fetch the chosen callers' code.
  std::map<std::string, std::string> code;
  {
    ValueList ids;
    for (const auto& [callee, s] : chosen) ids.push_back(s.caller_id);
    KG_ASSIGN_OR_RETURN(
        query::QueryResult cr,
        context.Query("MATCH (a) WHERE id(a) IN $ids RETURN id(a), a.code", {{"ids", ids}}));
    for (const ValueList& row : cr.rows) code[CellString(row[0])] = CellString(row[1]);
  }
  std::vector<TrainingPair> pairs;
  for (const auto& [callee, s] : chosen) {
    if (context.IsCancelled()) return Status::Cancelled("cancelled");
    auto c = code.find(s.caller_id);
    if (c == code.end() || c->second.empty()) continue;
    int64_t at = s.line - s.caller_line;
    std::string snippet = Dedent(LineRange(c->second, at - 3, at + 3));
    if (snippet.empty()) continue;
    auto imp = imports.find(s.caller_path);
    std::string header = imp == imports.end() ? "" : imp->second;
    std::string signature = s.signature.empty() ? s.callee_qn : s.signature;
    TemplateVars vars = {
        {"callee", s.callee_qn}, {"signature", signature}, {"graph", std::string(context.graph)}};
    const Wording& w =
        kWordings[PickWording(context.seed, "usage|" + callee, std::size(kWordings))];
    TrainingPair p;
    p.instruction = FillTemplate(w.instruction, vars);
    p.input = FillTemplate(w.input, vars);
    p.output = CodeSpan(s.caller_qn) + " (in " + CodeSpan(s.caller_path) + ") calls " +
               CodeSpan(s.callee_qn) + " at line " + std::to_string(s.line) + ":\n```python\n" +
               snippet + "\n```";
    p.relation = "CALLS";
    p.direction = "usage";
    p.subject = callee;
    p.path = s.caller_path;
    p.label = s.label;
    p.code = (header.empty() ? "" : header + "\n") + snippet + "\n";
    p.apis.push_back(s.callee_qn);
    pairs.push_back(std::move(p));
  }
  return pairs;
}

}  // namespace kg::synth::usage

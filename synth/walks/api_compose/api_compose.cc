#include "synth/walks/api_compose/api_compose.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "synth/check/api_check.h"
#include "synth/prng.h"
#include "synth/text.h"
#include "synth/walk_query.h"
#include "synth/walks/api_compose/teacher.h"
#include "synth/walks/api_compose/templates.h"

namespace kg::synth::api_compose {

const std::string_view kModulesQuery = "MATCH (m:Module) RETURN m.name";
const std::string_view kFunctionsQuery =
    "MATCH (f:Function) RETURN id(f), f.qualified_name, f.name, f.path, f.signature, "
    "f.docstring, f.is_test";
const std::string_view kCallsQuery =
    "MATCH (a)-[:CALLS]->(b:Function) RETURN DISTINCT id(a), id(b)";

namespace {

constexpr size_t kBeamWidth = 4;
constexpr size_t kMaxBundle = 3;
constexpr size_t kMaxNeighbours = 24;

struct Api {
  std::string id, qn, name, module, path, signature, summary;
  RequiredParams params;
  size_t usage = 0;
  std::vector<size_t> neighbours;
};

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// First non-empty line of a docstring, without quotes.
std::string Summary(std::string_view doc) {
  std::string s = Trim(doc);
  while (!s.empty() && (s.front() == '"' || s.front() == '\'' || s.front() == 'r')) s.erase(0, 1);
  while (!s.empty() && (s.back() == '"' || s.back() == '\'')) s.pop_back();
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    std::string line =
        Trim(std::string_view(s).substr(start, nl == std::string::npos ? nl : nl - start));
    if (!line.empty()) return line;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return "";
}

bool Identifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

double Reward(const std::vector<size_t>& bundle, const std::vector<Api>& apis,
              const std::vector<bool>& covered) {
  double r = 0;
  for (size_t a : bundle) {
    double weight = covered[a] ? 0.1 : 1.0;
    r += weight / (1.0 + std::log1p(static_cast<double>(apis[a].usage)));
  }
  return r;
}

// Beam search from `seed_api`; returns the best bundle of 2..3 APIs, or {} if it has no
// neighbours.
std::vector<size_t> SearchBundle(size_t seed_api, const std::vector<Api>& apis,
                                 const std::vector<bool>& covered, uint64_t seed) {
  using Scored = std::pair<double, std::vector<size_t>>;
  std::vector<std::vector<size_t>> beam = {{seed_api}};
  std::vector<size_t> best;
  double best_reward = -1;
  auto tie = [&](const std::vector<size_t>& b) {
    std::string key;
    for (size_t a : b) key += apis[a].qn + "+";
    return SeededHash(seed, key);
  };
  for (size_t size = 2; size <= kMaxBundle; ++size) {
    std::vector<Scored> next;
    std::set<std::vector<size_t>> seen;
    for (const auto& bundle : beam) {
      for (size_t member : bundle) {
        for (size_t nb : apis[member].neighbours) {
          if (std::find(bundle.begin(), bundle.end(), nb) != bundle.end()) continue;
          std::vector<size_t> grown = bundle;
          grown.push_back(nb);
          std::vector<size_t> key = grown;
          std::sort(key.begin(), key.end());
          if (!seen.insert(key).second) continue;
          next.emplace_back(Reward(grown, apis, covered), std::move(grown));
        }
      }
    }
    if (next.empty()) break;
    std::sort(next.begin(), next.end(), [&](const Scored& x, const Scored& y) {
      if (x.first != y.first) return x.first > y.first;
      return tie(x.second) < tie(y.second);
    });
    if (next.size() > kBeamWidth) next.resize(kBeamWidth);
    beam.clear();
    for (auto& [reward, bundle] : next) {
      if (reward > best_reward) {
        best_reward = reward;
        best = bundle;
      }
      beam.push_back(std::move(bundle));
    }
  }
  return best;
}

struct Written {
  std::string code;    // the example (imports + function)
  std::string output;  // the answer
};

Written TemplateAnswer(const std::vector<const Api*>& bundle) {
  std::map<std::string, std::vector<std::string>> imports;  // module -> names
  std::vector<std::string> params;
  std::set<std::string> taken;
  for (const Api* a : bundle) {
    imports[a->module].push_back(a->name);
    taken.insert(a->name);
  }
  auto param = [&](const std::string& name) {
    if (std::find(params.begin(), params.end(), name) == params.end()) params.push_back(name);
  };
  std::string body, name = "use";
  std::string results;
  for (size_t i = 0; i < bundle.size(); ++i) {
    const Api* a = bundle[i];
    std::vector<std::string> args;
    for (const auto& p : a->params.positional) {
      std::string local = taken.count(p) ? p + "_arg" : p;
      param(local);
      args.push_back(local);
    }
    for (const auto& p : a->params.keyword_only) {
      std::string local = taken.count(p) ? p + "_arg" : p;
      param(local);
      args.push_back(p + "=" + local);
    }
    std::string call = a->name + "(";
    for (size_t k = 0; k < args.size(); ++k) call += (k ? ", " : "") + args[k];
    call += ")";
    std::string var = "result_" + std::to_string(i + 1);
    body += "    " + var + " = " + call + "\n";
    results += (i ? ", " : "") + var;
    name += "_" + a->name;
  }
  std::string code;
  for (const auto& [module, names] : imports) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    code += "from " + module + " import " + list + "\n";
  }
  std::string signature;
  for (size_t k = 0; k < params.size(); ++k) signature += (k ? ", " : "") + params[k];
  code += "\n\ndef " + name + "(" + signature + "):\n" + body + "    return " + results + "\n";
  std::string output = "```python\n" + code + "```\n\nThe APIs used:";
  for (const Api* a : bundle) {
    output += "\n- " + CodeSpan(a->qn) + " (in " + CodeSpan(a->path) +
              "): " + CodeSpan(Trim(a->signature));
    if (!a->summary.empty()) output += " - " + a->summary;
  }
  return {code, output};
}

void Count(const WalkContext& ctx, const std::string& key) {
  if (ctx.stats != nullptr) ++(*ctx.stats)["api_compose." + key];
}

}  // namespace

RequiredParams ParseRequiredParams(std::string_view signature) {
  RequiredParams out;
  size_t open = signature.find('(');
  if (open == std::string_view::npos) return out;
  int depth = 0;
  size_t close = std::string_view::npos;
  for (size_t i = open; i < signature.size(); ++i) {
    char c = signature[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') {
      if (--depth == 0) {
        close = i;
        break;
      }
    }
  }
  if (close == std::string_view::npos) return out;
  std::string_view params = signature.substr(open + 1, close - open - 1);
  std::vector<std::string> parts;
  std::string current;
  depth = 0;
  for (char c : params) {
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      parts.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  parts.push_back(current);
  bool keyword_only = false;
  for (const auto& raw : parts) {
    std::string p = Trim(raw);
    if (p.empty() || p == "/") continue;
    if (p.rfind("**", 0) == 0) continue;
    if (p[0] == '*') {
      keyword_only = true;
      continue;
    }
    bool has_default = p.find('=') != std::string::npos;
    std::string name = Trim(p.substr(0, std::min(p.find(':'), p.find('='))));
    if (has_default || !Identifier(name)) continue;
    (keyword_only ? out.keyword_only : out.positional).push_back(name);
  }
  out.valid = true;
  return out;
}

std::string FirstCodeBlock(std::string_view text) {
  size_t fence = text.find("```");
  if (fence == std::string_view::npos) return "";
  size_t line_end = text.find('\n', fence);
  if (line_end == std::string_view::npos) return "";
  std::string lang = Trim(text.substr(fence + 3, line_end - fence - 3));
  if (!lang.empty() && lang != "python" && lang != "py") return "";
  size_t end = text.find("```", line_end + 1);
  if (end == std::string_view::npos) return "";
  return std::string(text.substr(line_end + 1, end - line_end - 1));
}

Result<std::vector<TrainingPair>> Walk(const WalkContext& context) {
  KG_ASSIGN_OR_RETURN(query::QueryResult modules, context.Query(kModulesQuery));
  std::set<std::string> module_names;
  for (const ValueList& row : modules.rows) module_names.insert(CellString(row[0]));
  KG_ASSIGN_OR_RETURN(query::QueryResult functions, context.Query(kFunctionsQuery));
  std::map<std::string, Api> by_id;  // sorted by id: a canonical order
  for (const ValueList& row : functions.rows) {
    Api a;
    a.id = CellString(row[0]);
    a.qn = CellString(row[1]);
    a.name = CellString(row[2]);
    a.path = CellString(row[3]);
    a.signature = CellString(row[4]);
    a.summary = Summary(CellString(row[5]));
    bool is_test = row[6].is_bool() && row[6].as_bool();
    size_t dot = a.qn.rfind('.');
    if (a.id.empty() || dot == std::string::npos || is_test || a.name.empty() || a.name[0] == '_' ||
        a.qn.substr(dot + 1) != a.name) {
      continue;
    }
    a.module = a.qn.substr(0, dot);
    if (!module_names.count(a.module)) continue;  // nested or not importable
    a.params = ParseRequiredParams(a.signature);
    if (!a.params.valid) continue;
    by_id.emplace(a.id, std::move(a));
  }
  std::vector<Api> apis;
  std::map<std::string, size_t> index;
  for (auto& [id, a] : by_id) {
    index[id] = apis.size();
    apis.push_back(std::move(a));
  }
  KG_ASSIGN_OR_RETURN(query::QueryResult calls, context.Query(kCallsQuery));
  std::map<std::string, std::set<size_t>> callees_of;  // caller id -> APIs it calls
  std::vector<std::set<size_t>> related(apis.size());
  for (const ValueList& row : calls.rows) {
    auto b = index.find(CellString(row[1]));
    if (b == index.end()) continue;
    std::string caller = CellString(row[0]);
    callees_of[caller].insert(b->second);
    auto a = index.find(caller);
    if (a != index.end() && a->second != b->second) {
      related[a->second].insert(b->second);
      related[b->second].insert(a->second);
    }
  }
  for (const auto& [caller, set] : callees_of) {
    for (size_t x : set) {
      ++apis[x].usage;
      if (set.size() > 16) continue;  // a caller of many APIs says little about any pair
      for (size_t y : set) {
        if (x != y) related[x].insert(y);
      }
    }
  }
  std::map<std::string, std::vector<size_t>> by_module;
  for (size_t i = 0; i < apis.size(); ++i) by_module[apis[i].module].push_back(i);
  for (size_t i = 0; i < apis.size(); ++i) {
    for (size_t j : by_module[apis[i].module]) {
      if (j != i) related[i].insert(j);
    }
    std::vector<size_t> nb(related[i].begin(), related[i].end());
    std::stable_sort(nb.begin(), nb.end(),
                     [&](size_t x, size_t y) { return apis[x].usage < apis[y].usage; });
    if (nb.size() > kMaxNeighbours) nb.resize(kMaxNeighbours);
    apis[i].neighbours = std::move(nb);
  }
  if (context.IsCancelled()) return Status::Cancelled("cancelled");

  std::vector<size_t> seeds(apis.size());
  for (size_t i = 0; i < seeds.size(); ++i) seeds[i] = i;
  std::vector<uint64_t> tie(apis.size());
  for (size_t i = 0; i < apis.size(); ++i) tie[i] = SeededHash(context.seed, apis[i].qn);
  std::sort(seeds.begin(), seeds.end(), [&](size_t x, size_t y) {
    if (apis[x].usage != apis[y].usage) return apis[x].usage < apis[y].usage;
    return tie[x] < tie[y];
  });
  std::vector<bool> covered(apis.size(), false);
  std::vector<std::vector<size_t>> bundles;
  for (size_t s : seeds) {
    if (covered[s]) continue;
    std::vector<size_t> bundle = SearchBundle(s, apis, covered, context.seed);
    if (bundle.size() < 2) continue;
    for (size_t a : bundle) covered[a] = true;
    bundles.push_back(std::move(bundle));
  }

  std::unique_ptr<ApiChecker> checker;
  if (context.teacher != nullptr && context.teacher->enabled()) {
    checker = std::make_unique<ApiChecker>(context.store, std::string(context.graph));
  }
  std::vector<TrainingPair> pairs;
  for (const auto& bundle : bundles) {
    if (context.IsCancelled()) return Status::Cancelled("cancelled");
    std::vector<const Api*> members;
    std::vector<std::string> names;
    std::string subject;
    for (size_t a : bundle) {
      members.push_back(&apis[a]);
      names.push_back(CodeSpan(apis[a].qn));
      subject += (subject.empty() ? "" : "+") + apis[a].qn;
    }
    std::string list;
    for (size_t i = 0; i < names.size(); ++i) {
      if (i > 0) list += i + 1 == names.size() ? " and " : ", ";
      list += names[i];
    }
    TemplateVars vars = {{"apis", list}, {"graph", std::string(context.graph)}};
    const Wording& w =
        kWordings[PickWording(context.seed, "api_compose|" + subject, std::size(kWordings))];
    TrainingPair p;
    p.instruction = FillTemplate(w.instruction, vars);
    p.input = FillTemplate(w.input, vars);
    p.relation = "API_COMPOSE";
    p.direction = "bundle" + std::to_string(bundle.size());
    p.subject = subject;
    p.path = members[0]->path;
    p.label = "Function";
    for (const Api* a : members) p.apis.push_back(a->qn);
    bool written = false;
    if (checker != nullptr) {
      std::string prompt = p.instruction + (p.input.empty() ? "" : "\n\n" + p.input) +
                           "\n\nThe APIs and their signatures:";
      for (const Api* a : members) {
        prompt += "\n- " + a->qn + ": " + Trim(a->signature);
        if (!a->summary.empty()) prompt += " - " + a->summary;
      }
      Count(context, "teacher_requests");
      auto reply =
          AskTeacher(*context.teacher,
                     FillTemplate(kTeacherSystem, {{"graph", std::string(context.graph)}}), prompt);
      if (!reply.ok()) {
        Count(context, "teacher_failed");
      } else {
        std::string code = FirstCodeBlock(*reply);
        bool ok = false;
        if (!code.empty()) {
          auto check = checker->Check(code);
          if (!check.ok() && !check.status().IsInvalidArgument()) return check.status();
          ok = check.ok() && (*check)["ok"].get<bool>();
        }
        if (ok) {
          p.output = *reply;
          p.code = code;
          written = true;
          Count(context, "teacher_used");
        } else {
          Count(context, "teacher_rejected");
        }
      }
    }
    if (!written) {
      Written t = TemplateAnswer(members);
      p.output = std::move(t.output);
      p.code = std::move(t.code);
      Count(context, "template_used");
    }
    pairs.push_back(std::move(p));
  }
  return pairs;
}

}  // namespace kg::synth::api_compose

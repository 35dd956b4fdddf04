// tck_runner: runs the openCypher TCK scenarios of our subset (../shared/tck) against the query
// engine and prints the pass rate per tier.
//
// Input (found relative to the repository: CODEKG_SOURCE_DIR/../shared/tck):
//   subset-scenarios.tsv  manifest; rows with tier A or B and expect rows|ordered|empty are run
//   features/**.feature   Gherkin: the scenario at `line`, Scenario Outline row `example`
//                         (1-based over all Examples rows), `And parameters are:`, the query
//                         and the expected table
//   setup-graphs.json     the plain-CREATE setup graphs, keyed by manifest id
// Each scenario gets a fresh graph loaded through GraphStore::ApplyBatch (graph-level batch,
// nodes kCreatedIdPrefix + "n<id>"; a property `id` is stored as query::kUserIdProperty). `complex`
// setups run their `having executed:` queries (Background first) and named graphs
// (graphs/<name>/<name>.cypher) through the engine's CREATE. Other setups fail with "setup not
// supported". Results are compared by the TCK rules: `in any order` = multiset of rows, `in order`
// = sequence, `ignoring element order for lists` = lists as multisets; values are compared in
// canonical Cypher literal form (nodes `(:A:B {k: 'v'})`, relationships
// `[:T {k: 1}]`, int 1 differs from float 1.0).
//
// Usage: tck_runner [--floor-a=N] [--floor-b=N] [--tck=DIR] [--filter=SUBSTRING] [--quiet]
// Exit status: 0 when the TCK was found and every tier passed at least its floor; 1 otherwise
// (a missing TCK folder is a failure, not a skip).

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "query/engine.h"
#include "storage/graph_store.h"
#include "tests/query/code_graph.h"

namespace kg::query::tck {
namespace {

namespace fs = std::filesystem;

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? "" : std::string(s.substr(b, e - b + 1));
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  size_t begin = 0;
  while (true) {
    size_t end = line.find('\t', begin);
    out.push_back(line.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) return out;
    begin = end + 1;
  }
}

// A Gherkin table row `| a | b |`; `\|` and `\\` are escapes.
std::vector<std::string> SplitRow(const std::string& line) {
  std::string s = Trim(line);
  std::vector<std::string> cells;
  std::string cur;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '\\' && i + 2 < s.size() && (s[i + 1] == '|' || s[i + 1] == '\\')) {
      cur += s[++i];
    } else if (s[i] == '|') {
      cells.push_back(Trim(cur));
      cur.clear();
    } else {
      cur += s[i];
    }
  }
  cells.push_back(Trim(cur));
  return cells;
}

// ---- One scenario, as read from its feature file ----

struct Scenario {
  // Setup for `complex` scenarios, in order: queries of `having executed:` steps (Background
  // first) and named graphs (`the binary-tree-1 graph`) as "graph:<name>".
  std::vector<std::string> setup;
  std::string query;
  std::vector<std::pair<std::string, std::string>> params;
  bool expect_empty = false;
  bool ordered = false;
  bool ignore_list_order = false;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

struct Step {
  std::string text;
  std::optional<std::string> doc;
  std::vector<std::vector<std::string>> table;
};

std::string Substitute(std::string s, const std::map<std::string, std::string>& sub) {
  for (const auto& [key, value] : sub) {
    const std::string pattern = "<" + key + ">";
    size_t at = 0;
    while ((at = s.find(pattern, at)) != std::string::npos) {
      s.replace(at, pattern.size(), value);
      at += value.size();
    }
  }
  return s;
}

Result<Scenario> ReadScenario(const fs::path& file, int line, int example) {
  std::ifstream in(file);
  if (!in) return Status::NotFound("cannot read " + file.string());
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  if (line < 1 || line > static_cast<int>(lines.size())) {
    return Status::InvalidArgument("line out of range");
  }
  std::vector<Step> steps;
  // The feature's Background steps come first.
  for (size_t i = 0; i < static_cast<size_t>(line) && i < lines.size(); ++i) {
    if (!StartsWith(Trim(lines[i]), "Background:")) continue;
    for (size_t j = i + 1; j < lines.size(); ++j) {
      const std::string s = Trim(lines[j]);
      if (StartsWith(s, "Scenario")) break;
      if (StartsWith(s, "\"\"\"")) {
        const size_t indent = lines[j].find_first_not_of(' ');
        std::string body;
        size_t k = j + 1;
        for (; k < lines.size() && !StartsWith(Trim(lines[k]), "\"\"\""); ++k) {
          const std::string& raw = lines[k];
          body +=
              (body.empty() ? "" : "\n") + (raw.size() >= indent ? raw.substr(indent) : Trim(raw));
        }
        if (!steps.empty()) steps.back().doc = body;
        j = k;
        continue;
      }
      for (const char* kw : {"Given ", "And "}) {
        if (StartsWith(s, kw)) {
          steps.push_back(Step{s.substr(std::string_view(kw).size()), std::nullopt, {}});
          break;
        }
      }
    }
    break;
  }
  std::vector<std::string> example_header;
  std::vector<std::vector<std::string>> example_rows;
  bool in_examples = false;
  for (size_t i = static_cast<size_t>(line); i < lines.size(); ++i) {
    const std::string s = Trim(lines[i]);
    if (s.empty() || s[0] == '#' || s[0] == '@') continue;
    if (StartsWith(s, "Scenario") || StartsWith(s, "Background:") || StartsWith(s, "Feature:")) {
      break;
    }
    if (StartsWith(s, "Examples:") || StartsWith(s, "Scenarios:")) {
      in_examples = true;
      example_header.clear();  // a new block repeats the header
      continue;
    }
    if (StartsWith(s, "\"\"\"")) {
      const size_t indent = lines[i].find_first_not_of(' ');
      std::string body;
      size_t j = i + 1;
      for (; j < lines.size() && !StartsWith(Trim(lines[j]), "\"\"\""); ++j) {
        const std::string& raw = lines[j];
        std::string text = raw.size() >= indent && raw.find_first_not_of(' ') >= indent
                               ? raw.substr(std::min(indent, raw.size()))
                               : Trim(raw);
        body += (body.empty() ? "" : "\n") + text;
      }
      if (steps.empty()) return Status::InvalidArgument("doc string without a step");
      steps.back().doc = body;
      i = j;
      continue;
    }
    if (s[0] == '|') {
      std::vector<std::string> row = SplitRow(s);
      if (in_examples) {
        if (example_header.empty()) {
          example_header = row;
        } else {
          example_rows.push_back(row);
        }
      } else if (!steps.empty()) {
        steps.back().table.push_back(row);
      }
      continue;
    }
    for (const char* kw : {"Given ", "When ", "Then ", "And ", "But "}) {
      if (StartsWith(s, kw)) {
        steps.push_back(Step{s.substr(std::string_view(kw).size()), std::nullopt, {}});
        break;
      }
    }
  }
  std::map<std::string, std::string> sub;
  if (example > 0) {
    if (example > static_cast<int>(example_rows.size())) {
      return Status::InvalidArgument("example " + std::to_string(example) + " not found");
    }
    const auto& row = example_rows[static_cast<size_t>(example - 1)];
    for (size_t c = 0; c < example_header.size() && c < row.size(); ++c) {
      sub[example_header[c]] = row[c];
    }
  }
  Scenario sc;
  bool have_query = false, have_expect = false;
  for (const Step& st : steps) {
    if (st.text == "having executed:" && st.doc) {
      sc.setup.push_back(Substitute(*st.doc, sub));
    } else if (StartsWith(st.text, "the ") && st.text.size() > 10 &&
               st.text.compare(st.text.size() - 6, 6, " graph") == 0) {
      sc.setup.push_back("graph:" + st.text.substr(4, st.text.size() - 10));
    } else if (st.text == "executing query:" && st.doc) {
      sc.query = Substitute(*st.doc, sub);
      have_query = true;
    } else if (st.text == "parameters are:") {
      for (const auto& r : st.table) {
        if (r.size() == 2) sc.params.emplace_back(Substitute(r[0], sub), Substitute(r[1], sub));
      }
    } else if (StartsWith(st.text, "the result should be empty")) {
      sc.expect_empty = true;
      have_expect = true;
    } else if (StartsWith(st.text, "the result should be")) {
      sc.ordered = st.text.find("in order") != std::string::npos;
      sc.ignore_list_order = st.text.find("ignoring element order") != std::string::npos;
      if (st.table.empty()) return Status::InvalidArgument("result table missing");
      for (const auto& cell : st.table[0]) sc.header.push_back(Substitute(cell, sub));
      for (size_t r = 1; r < st.table.size(); ++r) {
        std::vector<std::string> row;
        for (const auto& cell : st.table[r]) row.push_back(Substitute(cell, sub));
        sc.rows.push_back(std::move(row));
      }
      have_expect = true;
    }
  }
  if (!have_query) return Status::InvalidArgument("no `When executing query:` step");
  if (!have_expect) return Status::InvalidArgument("no expected result step");
  return sc;
}

// ---- Values in TCK literal syntax ----

struct TckValue {
  enum class Kind { kNull, kBool, kInt, kFloat, kString, kList, kMap, kNode, kRel };
  Kind kind = Kind::kNull;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::string s;                                      // string; relationship type
  std::vector<std::string> labels;                    // node
  std::vector<TckValue> list;                         // list
  std::vector<std::pair<std::string, TckValue>> map;  // map; node/rel properties
};

class LiteralParser {
 public:
  explicit LiteralParser(std::string_view text) : t_(text) {}

  Result<TckValue> ParseAll() {
    KG_ASSIGN_OR_RETURN(TckValue v, ParseValue());
    SkipWs();
    if (p_ != t_.size()) return Error("trailing text");
    return v;
  }

 private:
  Status Error(const std::string& what) const {
    return Status::InvalidArgument("cannot read TCK value '" + std::string(t_) + "': " + what +
                                   " at " + std::to_string(p_));
  }
  void SkipWs() {
    while (p_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[p_]))) ++p_;
  }
  bool Eat(char c) {
    SkipWs();
    if (p_ < t_.size() && t_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool EatWord(std::string_view w) {
    SkipWs();
    if (t_.substr(p_, w.size()) != w) return false;
    size_t end = p_ + w.size();
    if (end < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[end])) || t_[end] == '_')) {
      return false;
    }
    p_ = end;
    return true;
  }
  Result<std::string> Name() {
    SkipWs();
    if (p_ < t_.size() && t_[p_] == '`') {
      size_t end = t_.find('`', p_ + 1);
      if (end == std::string_view::npos) return Error("unterminated name");
      std::string out(t_.substr(p_ + 1, end - p_ - 1));
      p_ = end + 1;
      return out;
    }
    size_t b = p_;
    while (p_ < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[p_])) || t_[p_] == '_')) {
      ++p_;
    }
    if (b == p_) return Error("expected a name");
    return std::string(t_.substr(b, p_ - b));
  }
  Result<std::vector<std::pair<std::string, TckValue>>> MapBody() {
    std::vector<std::pair<std::string, TckValue>> out;
    if (Eat('}')) return out;
    while (true) {
      KG_ASSIGN_OR_RETURN(std::string key, Name());
      if (!Eat(':')) return Error("expected ':'");
      KG_ASSIGN_OR_RETURN(TckValue v, ParseValue());
      out.emplace_back(std::move(key), std::move(v));
      if (Eat('}')) return out;
      if (!Eat(',')) return Error("expected ',' or '}'");
    }
  }
  Result<TckValue> ParseValue() {
    SkipWs();
    if (p_ >= t_.size()) return Error("unexpected end");
    TckValue v;
    const char c = t_[p_];
    if (EatWord("null")) return v;
    if (EatWord("true") || EatWord("false")) {
      v.kind = TckValue::Kind::kBool;
      v.b = t_[p_ - 2] == 'u';  // "true" ends in "ue", "false" in "se"
      return v;
    }
    if (EatWord("NaN")) {
      v.kind = TckValue::Kind::kFloat;
      v.f = std::nan("");
      return v;
    }
    if (c == '\'' || c == '"') {
      ++p_;
      v.kind = TckValue::Kind::kString;
      while (p_ < t_.size() && t_[p_] != c) {
        if (t_[p_] == '\\' && p_ + 1 < t_.size()) {
          ++p_;
          char e = t_[p_];
          v.s += e == 'n' ? '\n' : e == 't' ? '\t' : e;
        } else {
          v.s += t_[p_];
        }
        ++p_;
      }
      if (p_ >= t_.size()) return Error("unterminated string");
      ++p_;
      return v;
    }
    if (c == '(') {
      ++p_;
      v.kind = TckValue::Kind::kNode;
      while (Eat(':')) {
        KG_ASSIGN_OR_RETURN(std::string label, Name());
        v.labels.push_back(std::move(label));
      }
      if (Eat('{')) {
        KG_ASSIGN_OR_RETURN(v.map, MapBody());
      }
      if (!Eat(')')) return Error("expected ')'");
      return v;
    }
    if (c == '[') {
      ++p_;
      SkipWs();
      if (p_ < t_.size() && t_[p_] == ':') {
        ++p_;
        v.kind = TckValue::Kind::kRel;
        KG_ASSIGN_OR_RETURN(v.s, Name());
        if (Eat('{')) {
          KG_ASSIGN_OR_RETURN(v.map, MapBody());
        }
        if (!Eat(']')) return Error("expected ']'");
        return v;
      }
      v.kind = TckValue::Kind::kList;
      if (Eat(']')) return v;
      while (true) {
        KG_ASSIGN_OR_RETURN(TckValue item, ParseValue());
        v.list.push_back(std::move(item));
        if (Eat(']')) return v;
        if (!Eat(',')) return Error("expected ',' or ']'");
      }
    }
    if (c == '{') {
      ++p_;
      v.kind = TckValue::Kind::kMap;
      KG_ASSIGN_OR_RETURN(v.map, MapBody());
      return v;
    }
    if (c == '<') return Error("paths are not supported");
    // Numbers.
    size_t b = p_;
    if (t_[p_] == '-' || t_[p_] == '+') ++p_;
    if (t_.substr(p_, 3) == "Inf") {
      p_ += 3;
      v.kind = TckValue::Kind::kFloat;
      v.f = t_[b] == '-' ? -INFINITY : INFINITY;
      return v;
    }
    bool is_float = false;
    while (p_ < t_.size() &&
           (std::isalnum(static_cast<unsigned char>(t_[p_])) || t_[p_] == '.' ||
            ((t_[p_] == '-' || t_[p_] == '+') && (t_[p_ - 1] == 'e' || t_[p_ - 1] == 'E')))) {
      if (t_[p_] == '.' || t_[p_] == 'e' || t_[p_] == 'E') is_float = true;
      ++p_;
    }
    std::string num(t_.substr(b, p_ - b));
    if (num.empty() || num == "-" || num == "+") return Error("unexpected character");
    if (num.find("0x") != std::string::npos || num.find("0X") != std::string::npos) {
      is_float = false;
    }
    if (is_float) {
      v.kind = TckValue::Kind::kFloat;
      v.f = std::strtod(num.c_str(), nullptr);
    } else {
      v.kind = TckValue::Kind::kInt;
      v.i = std::strtoll(num.c_str(), nullptr, 0);
    }
    return v;
  }

  std::string_view t_;
  size_t p_ = 0;
};

std::string FormatFloat(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d < 0 ? "-Inf" : "Inf";
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  std::string s(buf, ec == std::errc() ? ptr : buf);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// The canonical rendering: equal iff the TCK considers the values equal.
std::string Canonical(const TckValue& v, bool ignore_list_order) {
  auto props = [&](const std::vector<std::pair<std::string, TckValue>>& m) {
    std::vector<std::string> parts;
    for (const auto& [k, x] : m) parts.push_back(k + ": " + Canonical(x, ignore_list_order));
    std::sort(parts.begin(), parts.end());
    std::string out = "{";
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
    return out + "}";
  };
  switch (v.kind) {
    case TckValue::Kind::kNull:
      return "null";
    case TckValue::Kind::kBool:
      return v.b ? "true" : "false";
    case TckValue::Kind::kInt:
      return std::to_string(v.i);
    case TckValue::Kind::kFloat:
      return FormatFloat(v.f);
    case TckValue::Kind::kString:
      return Quote(v.s);
    case TckValue::Kind::kList: {
      std::vector<std::string> parts;
      for (const auto& x : v.list) parts.push_back(Canonical(x, ignore_list_order));
      if (ignore_list_order) std::sort(parts.begin(), parts.end());
      std::string out = "[";
      for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
      return out + "]";
    }
    case TckValue::Kind::kMap:
      return props(v.map);
    case TckValue::Kind::kNode: {
      std::vector<std::string> labels = v.labels;
      std::sort(labels.begin(), labels.end());
      std::string out = "(";
      for (const auto& l : labels) out += ":" + l;
      if (!v.map.empty()) out += (labels.empty() ? "" : " ") + props(v.map);
      return out + ")";
    }
    case TckValue::Kind::kRel:
      return "[:" + v.s + (v.map.empty() ? "" : " " + props(v.map)) + "]";
  }
  return "?";
}

// An engine value as a TCK value (see query/engine.h for the node and relationship maps).
TckValue FromValue(const Value& v) {
  TckValue out;
  switch (v.type()) {
    case Value::Type::kNull:
      break;
    case Value::Type::kBool:
      out.kind = TckValue::Kind::kBool;
      out.b = v.as_bool();
      break;
    case Value::Type::kInt:
      out.kind = TckValue::Kind::kInt;
      out.i = v.as_int();
      break;
    case Value::Type::kDouble:
      out.kind = TckValue::Kind::kFloat;
      out.f = v.as_double();
      break;
    case Value::Type::kString:
      out.kind = TckValue::Kind::kString;
      out.s = v.as_string();
      break;
    case Value::Type::kList:
      out.kind = TckValue::Kind::kList;
      for (const auto& x : v.as_list()) out.list.push_back(FromValue(x));
      break;
    case Value::Type::kMap: {
      const ValueMap& m = v.as_map();
      const bool node = m.count("_id") && m.count("_labels");
      const bool rel = m.count("_type") && m.count("_src") && m.count("_dst");
      out.kind = node ? TckValue::Kind::kNode : rel ? TckValue::Kind::kRel : TckValue::Kind::kMap;
      for (const auto& [k, x] : m) {
        if (node && k == "_labels" && x.is_list()) {
          for (const auto& l : x.as_list())
            out.labels.push_back(l.is_string() ? l.as_string() : "?");
          continue;
        }
        if (node && k == "_id") continue;
        if (rel && (k == "_type" || k == "_src" || k == "_dst")) {
          if (k == "_type" && x.is_string()) out.s = x.as_string();
          continue;
        }
        out.map.emplace_back(k, FromValue(x));
      }
      break;
    }
  }
  return out;
}

Result<Value> ToValue(const TckValue& v) {
  switch (v.kind) {
    case TckValue::Kind::kNull:
      return Value();
    case TckValue::Kind::kBool:
      return Value(v.b);
    case TckValue::Kind::kInt:
      return Value(v.i);
    case TckValue::Kind::kFloat:
      return Value(v.f);
    case TckValue::Kind::kString:
      return Value(v.s);
    case TckValue::Kind::kList: {
      ValueList list;
      for (const auto& x : v.list) {
        KG_ASSIGN_OR_RETURN(Value item, ToValue(x));
        list.push_back(std::move(item));
      }
      return Value(std::move(list));
    }
    case TckValue::Kind::kMap: {
      ValueMap map;
      for (const auto& [k, x] : v.map) {
        KG_ASSIGN_OR_RETURN(Value item, ToValue(x));
        map[k] = std::move(item);
      }
      return Value(std::move(map));
    }
    default:
      return Status::NotSupported("a node or relationship as a parameter");
  }
}

Value JsonToValue(const nlohmann::json& j) {
  if (j.is_null()) return Value();
  if (j.is_boolean()) return Value(j.get<bool>());
  if (j.is_number_integer()) return Value(j.get<int64_t>());
  if (j.is_number()) return Value(j.get<double>());
  if (j.is_string()) return Value(j.get<std::string>());
  if (j.is_array()) {
    ValueList list;
    for (const auto& x : j) list.push_back(JsonToValue(x));
    return Value(std::move(list));
  }
  ValueMap map;
  for (const auto& [k, x] : j.items()) map[k] = JsonToValue(x);
  return Value(std::move(map));
}

Status LoadGraph(storage::GraphStore& store, const std::string& graph, const nlohmann::json& g) {
  storage::FactBatch batch;
  for (const auto& n : g.at("nodes")) {
    storage::NodeFact fact;
    fact.id = kCreatedIdPrefix + ("n" + std::to_string(n.at("id").get<int64_t>()));
    for (const auto& l : n.at("labels")) fact.labels.push_back(l.get<std::string>());
    for (const auto& [k, x] : n.at("properties").items()) {
      fact.props[k == "id" ? kUserIdProperty : k] = JsonToValue(x);
    }
    batch.nodes.push_back(std::move(fact));
  }
  for (const auto& e : g.at("edges")) {
    storage::EdgeFact fact;
    fact.src_id = kCreatedIdPrefix + ("n" + std::to_string(e.at("src").get<int64_t>()));
    fact.dst_id = kCreatedIdPrefix + ("n" + std::to_string(e.at("dst").get<int64_t>()));
    fact.type = e.at("type").get<std::string>();
    for (const auto& [k, x] : e.at("properties").items()) fact.props[k] = JsonToValue(x);
    batch.edges.push_back(std::move(fact));
  }
  return store.ApplyBatch(graph, batch);
}

// ---- Running and comparing ----

struct ManifestRow {
  std::string id, file, tier, expect, setup;
  int line = 0;
  int example = 0;
};

std::string RenderRow(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const auto& c : cells) out += " " + c + " |";
  return out;
}

// Runs one scenario; empty string = passed, else the reason it failed.
std::string RunScenario(const ManifestRow& row, const fs::path& tck, const nlohmann::json& graphs,
                        storage::GraphStore& store, int index) {
  auto sc = ReadScenario(tck / "features" / row.file, row.line, row.example);
  if (!sc.ok()) return "feature file: " + sc.status().ToString();
  const std::string graph = "tck" + std::to_string(index);
  Status s = store.CreateGraph(graph);
  if (!s.ok()) return "create graph: " + s.ToString();
  if (row.setup == "plain-create") {
    auto it = graphs.find(row.id);
    if (it == graphs.end()) return "setup graph missing from setup-graphs.json";
    s = LoadGraph(store, graph, *it);
    if (!s.ok()) return "setup: " + s.ToString();
  } else if (row.setup == "complex") {
    for (const std::string& step : sc->setup) {
      std::string text = step;
      if (StartsWith(step, "graph:")) {
        const std::string name = step.substr(6);
        std::ifstream in(tck / "graphs" / name / (name + ".cypher"));
        if (!in) return "setup graph '" + name + "' not found";
        std::stringstream buffer;
        buffer << in.rdbuf();
        text = buffer.str();
      }
      auto r = ExecuteQuery(store, graph, text);
      if (!r.ok()) return "setup query failed: " + r.status().ToString();
    }
  } else if (row.setup != "none") {
    return "setup not supported (" + row.setup + ")";
  }
  QueryOptions options;
  options.max_rows = 100000;
  options.timeout_ms = 10000;
  for (const auto& [name, literal] : sc->params) {
    auto v = LiteralParser(literal).ParseAll();
    if (!v.ok()) return "parameter: " + v.status().ToString();
    auto value = ToValue(*v);
    if (!value.ok()) return "parameter: " + value.status().ToString();
    options.params[name] = std::move(value).value();
  }
  auto result = ExecuteQuery(store, graph, sc->query, options);
  if (!result.ok()) return "query failed: " + result.status().ToString();
  if (sc->expect_empty) {
    if (result->rows.empty()) return "";
    return "expected no rows, got " + std::to_string(result->rows.size());
  }
  // Columns by name, in the expected order.
  std::vector<size_t> order;
  for (const auto& name : sc->header) {
    auto it = std::find(result->columns.begin(), result->columns.end(), name);
    if (it == result->columns.end()) {
      std::string got;
      for (const auto& c : result->columns) got += (got.empty() ? "" : ", ") + c;
      return "column '" + name + "' missing; got columns [" + got + "]";
    }
    order.push_back(static_cast<size_t>(it - result->columns.begin()));
  }
  if (order.size() != result->columns.size()) return "result has extra columns";
  std::vector<std::string> expected, actual;
  for (const auto& r : sc->rows) {
    std::vector<std::string> cells;
    for (const auto& cell : r) {
      auto v = LiteralParser(cell).ParseAll();
      if (!v.ok()) return "expected table: " + v.status().ToString();
      cells.push_back(Canonical(*v, sc->ignore_list_order));
    }
    expected.push_back(RenderRow(cells));
  }
  for (const auto& r : result->rows) {
    std::vector<std::string> cells;
    for (size_t c : order) cells.push_back(Canonical(FromValue(r[c]), sc->ignore_list_order));
    actual.push_back(RenderRow(cells));
  }
  if (!sc->ordered) {
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
  }
  if (expected == actual) return "";
  std::string msg = "rows differ; expected:";
  for (size_t i = 0; i < expected.size() && i < 6; ++i) msg += " " + expected[i];
  if (expected.size() > 6) msg += " ...(" + std::to_string(expected.size()) + ")";
  msg += " got:";
  for (size_t i = 0; i < actual.size() && i < 6; ++i) msg += " " + actual[i];
  if (actual.size() > 6) msg += " ...(" + std::to_string(actual.size()) + ")";
  return msg;
}

int Main(int argc, char** argv) {
  fs::path tck = fs::path(CODEKG_SOURCE_DIR) / ".." / "shared" / "tck";
  std::map<std::string, int> floors = {{"A", 0}, {"B", 0}};
  std::string filter;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (StartsWith(arg, "--floor-a=")) {
      floors["A"] = std::stoi(arg.substr(10));
    } else if (StartsWith(arg, "--floor-b=")) {
      floors["B"] = std::stoi(arg.substr(10));
    } else if (StartsWith(arg, "--tck=")) {
      tck = arg.substr(6);
    } else if (StartsWith(arg, "--filter=")) {
      filter = arg.substr(9);
    } else if (arg == "--quiet") {
      quiet = true;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
      return 1;
    }
  }
  const fs::path manifest = tck / "subset-scenarios.tsv";
  std::ifstream tsv(manifest);
  if (!tsv) {
    std::printf(
        "FAIL: the openCypher TCK subset was not found at %s (expected %s); the TCK is "
        "the conformance yardstick and must be present\n",
        tck.string().c_str(), manifest.string().c_str());
    return 1;
  }
  std::ifstream graphs_in(tck / "setup-graphs.json");
  if (!graphs_in) {
    std::printf("FAIL: %s is missing\n", (tck / "setup-graphs.json").string().c_str());
    return 1;
  }
  nlohmann::json graphs;
  try {
    graphs = nlohmann::json::parse(graphs_in);
  } catch (const std::exception& e) {
    std::printf("FAIL: setup-graphs.json: %s\n", e.what());
    return 1;
  }

  std::vector<ManifestRow> rows;
  std::string line;
  std::getline(tsv, line);  // header
  while (std::getline(tsv, line)) {
    std::vector<std::string> f = SplitTabs(line);
    if (f.size() < 9) continue;
    ManifestRow r{f[0], f[1], f[5], f[6], f[8], std::atoi(f[2].c_str()), std::atoi(f[3].c_str())};
    if (r.tier != "A" && r.tier != "B") continue;
    if (r.expect != "rows" && r.expect != "ordered" && r.expect != "empty") continue;
    if (!filter.empty() && r.id.find(filter) == std::string::npos) continue;
    rows.push_back(std::move(r));
  }

  testing::TempDir dir;
  storage::Options store_options;
  store_options.sync_writes = false;
  auto store = storage::GraphStore::Open(dir.path(), store_options);
  if (!store.ok()) {
    std::printf("FAIL: cannot open a store: %s\n", store.status().ToString().c_str());
    return 1;
  }
  std::map<std::string, std::pair<int, int>> counts;  // tier -> (passed, failed)
  std::vector<std::string> failures;
  int index = 0;
  for (const auto& r : rows) {
    std::string reason = RunScenario(r, tck, graphs, **store, index++);
    auto& [passed, failed] = counts[r.tier];
    if (reason.empty()) {
      ++passed;
    } else {
      ++failed;
      std::replace(reason.begin(), reason.end(), '\n', ' ');
      failures.push_back("[" + r.tier + "] " + r.id + ": " + reason);
    }
  }
  if (!quiet) {
    std::printf("Failures:\n");
    for (const auto& f : failures) std::printf("  %s\n", f.c_str());
  }
  bool ok = true;
  for (const char* tier : {"A", "B"}) {
    auto [passed, failed] = counts[tier];
    std::printf("TCK tier %s: %d passed, %d failed (%d/%d)\n", tier, passed, failed, passed,
                passed + failed);
    if (filter.empty() && passed < floors[tier]) {
      std::printf("FAIL: tier %s passed %d, below the floor of %d\n", tier, passed, floors[tier]);
      ok = false;
    }
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace kg::query::tck

int main(int argc, char** argv) { return kg::query::tck::Main(argc, argv); }

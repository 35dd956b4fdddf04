// Scalar functions of the query language and their registration table.

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/schema.h"
#include "query/functions/function_registry.h"

namespace kg::query::functions {
namespace {

Status TypeError(std::string_view fn, std::string_view expected, const Value& got) {
  return Status::InvalidArgument(std::string(fn) + "() expects " + std::string(expected) +
                                 ", got " + got.TypeName() + " " + got.DebugString());
}

bool IsNodeMap(const ValueMap& m) { return m.count("_id") > 0 && m.count("_labels") > 0; }
bool IsRelMap(const ValueMap& m) {
  return m.count("_type") > 0 && m.count("_src") > 0 && m.count("_dst") > 0;
}
bool IsEntityField(std::string_view key) {
  return key == "_id" || key == "_labels" || key == "_type" || key == "_src" || key == "_dst";
}

std::string FormatDouble(double d) {
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  std::string s(buf, ec == std::errc() ? ptr : buf);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

Result<Value> ToLower(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!a[0].is_string()) return TypeError("toLower", "a string", a[0]);
  return Value(schema::ToLowerAscii(a[0].as_string()));
}

Result<Value> ToUpper(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!a[0].is_string()) return TypeError("toUpper", "a string", a[0]);
  std::string s = a[0].as_string();
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return Value(std::move(s));
}

Result<Value> Labels(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!a[0].is_map() || !IsNodeMap(a[0].as_map())) return TypeError("labels", "a node", a[0]);
  return a[0].as_map().find("_labels")->second;
}

Result<Value> Type(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!a[0].is_map() || !IsRelMap(a[0].as_map())) {
    return TypeError("type", "a relationship", a[0]);
  }
  return a[0].as_map().find("_type")->second;
}

Result<Value> Id(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (a[0].is_map()) {
    const ValueMap& m = a[0].as_map();
    if (IsNodeMap(m)) return m.find("_id")->second;
    if (IsRelMap(m)) {
      const Value& src = m.find("_src")->second;
      const Value& dst = m.find("_dst")->second;
      const Value& type = m.find("_type")->second;
      if (src.is_string() && dst.is_string() && type.is_string()) {
        return Value(src.as_string() + "-[:" + type.as_string() + "]->" + dst.as_string());
      }
    }
  }
  return TypeError("id", "a node or relationship", a[0]);
}

Result<Value> Size(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (a[0].is_list()) return Value(static_cast<int64_t>(a[0].as_list().size()));
  if (a[0].is_string()) return Value(static_cast<int64_t>(a[0].as_string().size()));
  if (a[0].is_map()) return Value(static_cast<int64_t>(a[0].as_map().size()));
  return TypeError("size", "a list or string", a[0]);
}

Result<Value> Coalesce(const ValueList& a) {
  for (const auto& v : a) {
    if (!v.is_null()) return v;
  }
  return Value();
}

Result<Value> Keys(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!a[0].is_map()) return TypeError("keys", "a node, relationship or map", a[0]);
  const ValueMap& m = a[0].as_map();
  bool entity = IsNodeMap(m) || IsRelMap(m);
  ValueList keys;
  for (const auto& [k, v] : m) {
    if (entity && IsEntityField(k)) continue;
    keys.emplace_back(k);
  }
  return Value(std::move(keys));
}

Result<Value> Properties(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!a[0].is_map()) return TypeError("properties", "a node, relationship or map", a[0]);
  const ValueMap& m = a[0].as_map();
  bool entity = IsNodeMap(m) || IsRelMap(m);
  ValueMap out;
  for (const auto& [k, v] : m) {
    if (entity && IsEntityField(k)) continue;
    out.emplace(k, v);
  }
  return Value(std::move(out));
}

Result<Value> ToString(const ValueList& a) {
  const Value& v = a[0];
  switch (v.type()) {
    case Value::Type::kNull:
      return Value();
    case Value::Type::kBool:
      return Value(v.as_bool() ? "true" : "false");
    case Value::Type::kInt:
      return Value(std::to_string(v.as_int()));
    case Value::Type::kDouble:
      return Value(FormatDouble(v.as_double()));
    case Value::Type::kString:
      return v;
    default:
      return TypeError("toString", "a string, number or boolean", v);
  }
}

std::string_view TrimView(std::string_view s, bool left, bool right) {
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (left && !s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (right && !s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

Result<Value> ToInteger(const ValueList& a) {
  const Value& v = a[0];
  if (v.is_null()) return Value();
  if (v.is_int()) return v;
  if (v.is_bool()) return Value(static_cast<int64_t>(v.as_bool() ? 1 : 0));
  if (v.is_double()) {
    double d = v.as_double();
    if (!std::isfinite(d) || d >= 9.2233720368547758e18 || d < -9.2233720368547758e18) {
      return Value();
    }
    return Value(static_cast<int64_t>(d));
  }
  if (v.is_string()) {
    std::string_view s = TrimView(v.as_string(), true, true);
    int64_t i = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
    if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty()) return Value(i);
    double d = 0;
    auto [ptr2, ec2] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec2 == std::errc() && ptr2 == s.data() + s.size() && !s.empty() && std::isfinite(d) &&
        std::fabs(d) < 9.2233720368547758e18) {
      return Value(static_cast<int64_t>(d));
    }
    return Value();
  }
  return TypeError("toInteger", "a string, number or boolean", v);
}

Result<Value> ToFloat(const ValueList& a) {
  const Value& v = a[0];
  if (v.is_null()) return Value();
  if (v.is_number()) return Value(v.as_number());
  if (v.is_string()) {
    std::string_view s = TrimView(v.as_string(), true, true);
    double d = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc() && ptr == s.data() + s.size() && !s.empty()) return Value(d);
    return Value();
  }
  return TypeError("toFloat", "a string or number", v);
}

template <bool kLeft, bool kRight>
Result<Value> Trim(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!a[0].is_string()) return TypeError("trim", "a string", a[0]);
  return Value(std::string(TrimView(a[0].as_string(), kLeft, kRight)));
}

Result<Value> Substring(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!a[0].is_string()) return TypeError("substring", "a string", a[0]);
  if (!a[1].is_int()) return TypeError("substring", "an integer start", a[1]);
  const std::string& s = a[0].as_string();
  int64_t start = a[1].as_int();
  if (start < 0) return Status::InvalidArgument("substring() start must not be negative");
  int64_t len = static_cast<int64_t>(s.size());
  if (a.size() > 2) {
    if (!a[2].is_int()) return TypeError("substring", "an integer length", a[2]);
    len = a[2].as_int();
    if (len < 0) return Status::InvalidArgument("substring() length must not be negative");
  }
  if (static_cast<uint64_t>(start) >= s.size()) return Value("");
  return Value(s.substr(static_cast<size_t>(start), static_cast<size_t>(len)));
}

Result<Value> Split(const ValueList& a) {
  if (a[0].is_null() || a[1].is_null()) return Value();
  if (!a[0].is_string()) return TypeError("split", "a string", a[0]);
  if (!a[1].is_string()) return TypeError("split", "a string delimiter", a[1]);
  const std::string& s = a[0].as_string();
  const std::string& d = a[1].as_string();
  ValueList parts;
  if (d.empty()) {
    for (char c : s) parts.emplace_back(std::string(1, c));
    return Value(std::move(parts));
  }
  size_t start = 0;
  while (true) {
    size_t pos = s.find(d, start);
    if (pos == std::string::npos) {
      parts.emplace_back(s.substr(start));
      break;
    }
    parts.emplace_back(s.substr(start, pos - start));
    start = pos + d.size();
  }
  return Value(std::move(parts));
}

Result<Value> Replace(const ValueList& a) {
  if (a[0].is_null() || a[1].is_null() || a[2].is_null()) return Value();
  if (!a[0].is_string() || !a[1].is_string() || !a[2].is_string()) {
    return Status::InvalidArgument("replace() expects three strings");
  }
  const std::string& s = a[0].as_string();
  const std::string& from = a[1].as_string();
  const std::string& to = a[2].as_string();
  if (from.empty()) return a[0];
  std::string out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(from, start);
    if (pos == std::string::npos) break;
    out.append(s, start, pos - start);
    out += to;
    start = pos + from.size();
  }
  out.append(s, start, std::string::npos);
  return Value(std::move(out));
}

Result<Value> Abs(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (a[0].is_int()) {
    int64_t v = a[0].as_int();
    if (v == INT64_MIN) return Status::InvalidArgument("abs() integer overflow");
    return Value(v < 0 ? -v : v);
  }
  if (a[0].is_double()) return Value(std::fabs(a[0].as_double()));
  return TypeError("abs", "a number", a[0]);
}

Result<Value> Head(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!a[0].is_list()) return TypeError("head", "a list", a[0]);
  return a[0].as_list().empty() ? Value() : a[0].as_list().front();
}

Result<Value> Last(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!a[0].is_list()) return TypeError("last", "a list", a[0]);
  return a[0].as_list().empty() ? Value() : a[0].as_list().back();
}

Result<Value> Reverse(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (a[0].is_string()) {
    std::string s = a[0].as_string();
    std::reverse(s.begin(), s.end());
    return Value(std::move(s));
  }
  if (a[0].is_list()) {
    ValueList l = a[0].as_list();
    std::reverse(l.begin(), l.end());
    return Value(std::move(l));
  }
  return TypeError("reverse", "a list or string", a[0]);
}

bool IsPathMap(const Value& v) {
  return v.is_map() && v.as_map().count("_nodes") > 0 && v.as_map().count("_relationships") > 0;
}

Result<Value> Nodes(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!IsPathMap(a[0])) return TypeError("nodes", "a path", a[0]);
  return a[0].as_map().find("_nodes")->second;
}

Result<Value> Relationships(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!IsPathMap(a[0])) return TypeError("relationships", "a path", a[0]);
  return a[0].as_map().find("_relationships")->second;
}

Result<Value> Length(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (IsPathMap(a[0])) {
    const Value& rels = a[0].as_map().find("_relationships")->second;
    return Value(static_cast<int64_t>(rels.is_list() ? rels.as_list().size() : 0));
  }
  if (a[0].is_list()) return Value(static_cast<int64_t>(a[0].as_list().size()));
  if (a[0].is_string()) return Value(static_cast<int64_t>(a[0].as_string().size()));
  return TypeError("length", "a path", a[0]);
}

// At most this many elements from range(), so that a query cannot exhaust memory with it.
constexpr int64_t kMaxRangeElements = 1'000'000;

Result<Value> Range(const ValueList& a) {
  for (const auto& v : a) {
    if (!v.is_int()) return TypeError("range", "integer arguments", v);
  }
  const int64_t start = a[0].as_int();
  const int64_t end = a[1].as_int();
  const int64_t step = a.size() > 2 ? a[2].as_int() : 1;
  if (step == 0) return Status::InvalidArgument("range() step must not be zero");
  // Number of elements, computed without overflow.
  uint64_t count = 0;
  const uint64_t magnitude =
      step > 0 ? static_cast<uint64_t>(step) : static_cast<uint64_t>(-(step + 1)) + 1;
  if (step > 0 && end >= start) {
    count = (static_cast<uint64_t>(end) - static_cast<uint64_t>(start)) / magnitude + 1;
  } else if (step < 0 && start >= end) {
    count = (static_cast<uint64_t>(start) - static_cast<uint64_t>(end)) / magnitude + 1;
  }
  if (count > static_cast<uint64_t>(kMaxRangeElements)) {
    return Status::InvalidArgument("range() would produce more than " +
                                   std::to_string(kMaxRangeElements) + " elements");
  }
  ValueList out;
  out.reserve(static_cast<size_t>(count));
  int64_t v = start;
  for (uint64_t i = 0; i < count; ++i) {
    out.emplace_back(v);
    if (i + 1 < count) v += step;  // stays within [start, end]: no overflow
  }
  return Value(std::move(out));
}

Result<Value> Tail(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!a[0].is_list()) return TypeError("tail", "a list", a[0]);
  const auto& l = a[0].as_list();
  if (l.empty()) return Value(ValueList{});
  return Value(ValueList(l.begin() + 1, l.end()));
}

template <double (*F)(double)>
Result<Value> Rounding(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (a[0].is_int()) return a[0];
  if (!a[0].is_double()) return TypeError("rounding", "a number", a[0]);
  return Value(F(a[0].as_double()));
}

Result<Value> Sqrt(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!a[0].is_number()) return TypeError("sqrt", "a number", a[0]);
  return Value(std::sqrt(a[0].as_number()));
}

Result<Value> Sign(const ValueList& a) {
  if (a[0].is_null()) return Value();
  if (!a[0].is_number()) return TypeError("sign", "a number", a[0]);
  const double d = a[0].as_number();
  return Value(static_cast<int64_t>(d > 0 ? 1 : d < 0 ? -1 : 0));
}

}  // namespace

// The registration table: one line per function.
const std::vector<ScalarFunction>& ScalarFunctions() {
  static const std::vector<ScalarFunction> kFunctions = {
      {"toLower", 1, 1, ToLower, "lower-cased string"},
      {"toUpper", 1, 1, ToUpper, "upper-cased string"},
      {"labels", 1, 1, Labels, "label names of a node"},
      {"type", 1, 1, Type, "type name of a relationship"},
      {"id", 1, 1, Id, "string id of a node (path:Qualified.Name) or relationship"},
      {"size", 1, 1, Size, "number of elements of a list, bytes of a string"},
      {"coalesce", 1, -1, Coalesce, "first non-null argument"},
      {"keys", 1, 1, Keys, "property names"},
      {"properties", 1, 1, Properties, "properties as a map"},
      {"toString", 1, 1, ToString, "value as a string"},
      {"toInteger", 1, 1, ToInteger, "value as an integer, null if not convertible"},
      {"toFloat", 1, 1, ToFloat, "value as a float, null if not convertible"},
      {"trim", 1, 1, Trim<true, true>, "string without surrounding whitespace"},
      {"ltrim", 1, 1, Trim<true, false>, "string without leading whitespace"},
      {"rtrim", 1, 1, Trim<false, true>, "string without trailing whitespace"},
      {"substring", 2, 3, Substring, "substring(s, start[, length]), 0-based bytes"},
      {"split", 2, 2, Split, "split(s, delimiter) -> list of strings"},
      {"replace", 3, 3, Replace, "replace(s, search, replacement)"},
      {"abs", 1, 1, Abs, "absolute value"},
      {"head", 1, 1, Head, "first element of a list"},
      {"last", 1, 1, Last, "last element of a list"},
      {"reverse", 1, 1, Reverse, "reversed list or string"},
      {"nodes", 1, 1, Nodes, "nodes of a path, in order"},
      {"relationships", 1, 1, Relationships, "relationships of a path, in order"},
      {"length", 1, 1, Length, "number of relationships of a path"},
      {"range", 2, 3, Range, "range(start, end[, step]): integers, end included"},
      {"tail", 1, 1, Tail, "list without its first element"},
      {"ceil", 1, 1, Rounding<std::ceil>, "smallest integral value not below"},
      {"floor", 1, 1, Rounding<std::floor>, "largest integral value not above"},
      {"round", 1, 1, Rounding<std::round>, "nearest integral value"},
      {"sqrt", 1, 1, Sqrt, "square root"},
      {"sign", 1, 1, Sign, "-1, 0 or 1"},
  };
  return kFunctions;
}

const ScalarFunction* FindScalarFunction(std::string_view name) {
  std::string lower = schema::ToLowerAscii(name);
  for (const auto& f : ScalarFunctions()) {
    if (schema::ToLowerAscii(f.name) == lower) return &f;
  }
  return nullptr;
}

bool IsKnownUnsupportedFunction(std::string_view name) {
  static const char* const kNames[] = {"startnode",
                                       "endnode",
                                       "rand",
                                       "timestamp",
                                       "date",
                                       "datetime",
                                       "left",
                                       "right",
                                       "shortestpath",
                                       "allshortestpaths",
                                       "reduce",
                                       "percentilecont",
                                       "percentiledisc",
                                       "stdev",
                                       "stdevp",
                                       "tobooleanornull",
                                       "toboolean",
                                       "log",
                                       "exp",
                                       "pi",
                                       "e"};
  std::string lower = schema::ToLowerAscii(name);
  for (const char* n : kNames) {
    if (lower == n) return true;
  }
  return false;
}

std::vector<std::string> ClosestFunctionNames(std::string_view name, size_t max) {
  std::vector<std::pair<size_t, std::string>> scored;
  std::string lower = schema::ToLowerAscii(name);
  for (const auto& f : ScalarFunctions()) {
    scored.emplace_back(schema::EditDistance(lower, schema::ToLowerAscii(f.name)),
                        std::string(f.name));
  }
  for (std::string_view agg : {"count", "collect", "min", "max", "sum", "avg"}) {
    scored.emplace_back(schema::EditDistance(lower, agg), std::string(agg));
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (const auto& [dist, n] : scored) {
    if (out.size() >= max) break;
    if (dist <= std::max<size_t>(2, lower.size() / 3)) out.push_back(n);
  }
  return out;
}

}  // namespace kg::query::functions

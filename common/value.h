#pragma once
// Value: a property value as stored on nodes and edges and as returned in query rows.
//
// One of: null, bool, int64, double, string, list of Value, map string -> Value. Maps keep keys
// sorted (std::map), so two equal maps compare equal and print identically.
// Value is a regular type (copyable, movable, comparable). Not thread-safe for concurrent mutation.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kg {

class Value;
using ValueList = std::vector<Value>;
using ValueMap = std::map<std::string, Value, std::less<>>;
// Properties of a node or edge, keyed by property name.
using Properties = ValueMap;

class Value {
 public:
  // The order of alternatives defines the cross-type order of Compare(); append only.
  enum class Type : uint8_t { kNull = 0, kBool, kInt, kDouble, kString, kList, kMap };

  Value() = default;  // null
  Value(std::nullptr_t) {}
  Value(bool b) : data_(b) {}
  Value(int v) : data_(static_cast<int64_t>(v)) {}
  Value(int64_t v) : data_(v) {}
  Value(double v) : data_(v) {}
  Value(const char* s) : data_(std::string(s)) {}
  Value(std::string s) : data_(std::move(s)) {}
  Value(std::string_view s) : data_(std::string(s)) {}
  Value(ValueList l) : data_(std::move(l)) {}
  Value(ValueMap m) : data_(std::move(m)) {}

  Type type() const { return static_cast<Type>(data_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_int() const { return type() == Type::kInt; }
  bool is_double() const { return type() == Type::kDouble; }
  bool is_number() const { return is_int() || is_double(); }
  bool is_string() const { return type() == Type::kString; }
  bool is_list() const { return type() == Type::kList; }
  bool is_map() const { return type() == Type::kMap; }

  // REQUIRES: the matching is_*() is true.
  bool as_bool() const { return std::get<bool>(data_); }
  int64_t as_int() const { return std::get<int64_t>(data_); }
  double as_double() const { return std::get<double>(data_); }
  // int or double as double. REQUIRES: is_number().
  double as_number() const { return is_int() ? static_cast<double>(as_int()) : as_double(); }
  const std::string& as_string() const { return std::get<std::string>(data_); }
  const ValueList& as_list() const { return std::get<ValueList>(data_); }
  ValueList& as_list() { return std::get<ValueList>(data_); }
  const ValueMap& as_map() const { return std::get<ValueMap>(data_); }
  ValueMap& as_map() { return std::get<ValueMap>(data_); }

  // A total order over all values, used for ORDER BY, DISTINCT and index keys: first by type
  // (null < bool < number < string < list < map; int and double compare numerically as one
  // type), then by value. Returns <0, 0, >0.
  static int Compare(const Value& a, const Value& b);
  bool operator==(const Value& o) const { return Compare(*this, o) == 0; }
  bool operator<(const Value& o) const { return Compare(*this, o) < 0; }

  // The openCypher name of the value's type: "null", "boolean", "integer", "float", "string",
  // "list" or "map" (for error messages).
  const char* TypeName() const;

  // A compact, human-readable rendering (strings quoted, lists in [], maps in {}), for logs,
  // messages and tests.
  std::string DebugString() const;

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string, ValueList, ValueMap> data_;
};

}  // namespace kg

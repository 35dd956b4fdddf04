#include "common/value.h"

#include <cmath>
#include <cstdio>

namespace kg {
namespace {

// Rank used for the cross-type order; ints and doubles share a rank.
int TypeRank(Value::Type t) {
  switch (t) {
    case Value::Type::kNull:
      return 0;
    case Value::Type::kBool:
      return 1;
    case Value::Type::kInt:
    case Value::Type::kDouble:
      return 2;
    case Value::Type::kString:
      return 3;
    case Value::Type::kList:
      return 4;
    case Value::Type::kMap:
      return 5;
  }
  return 6;
}

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

void AppendQuoted(std::string* out, const std::string& s) {
  out->push_back('\'');
  for (char c : s) {
    if (c == '\'' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('\'');
}

}  // namespace

int Value::Compare(const Value& a, const Value& b) {
  int ra = TypeRank(a.type()), rb = TypeRank(b.type());
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (a.type()) {
    case Type::kNull:
      return 0;
    case Type::kBool:
      return Cmp(a.as_bool(), b.as_bool());
    case Type::kInt:
    case Type::kDouble: {
      if (a.is_int() && b.is_int()) return Cmp(a.as_int(), b.as_int());
      double x = a.as_number(), y = b.as_number();
      // NaN sorts after every number and equals itself, keeping the order total.
      bool nx = std::isnan(x), ny = std::isnan(y);
      if (nx || ny) return nx == ny ? 0 : (nx ? 1 : -1);
      return Cmp(x, y);
    }
    case Type::kString:
      return a.as_string().compare(b.as_string()) < 0 ? -1
                                                      : (a.as_string() == b.as_string() ? 0 : 1);
    case Type::kList: {
      const auto& x = a.as_list();
      const auto& y = b.as_list();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        int c = Compare(x[i], y[i]);
        if (c != 0) return c;
      }
      return Cmp(x.size(), y.size());
    }
    case Type::kMap: {
      const auto& x = a.as_map();
      const auto& y = b.as_map();
      auto i = x.begin();
      auto j = y.begin();
      for (; i != x.end() && j != y.end(); ++i, ++j) {
        int c = i->first.compare(j->first);
        if (c != 0) return c < 0 ? -1 : 1;
        c = Compare(i->second, j->second);
        if (c != 0) return c;
      }
      return Cmp(x.size(), y.size());
    }
  }
  return 0;
}

const char* Value::TypeName() const {
  switch (type()) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "boolean";
    case Type::kInt:
      return "integer";
    case Type::kDouble:
      return "float";
    case Type::kString:
      return "string";
    case Type::kList:
      return "list";
    case Type::kMap:
      return "map";
  }
  return "value";
}

std::string Value::DebugString() const {
  std::string out;
  switch (type()) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return as_bool() ? "true" : "false";
    case Type::kInt:
      return std::to_string(as_int());
    case Type::kDouble: {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.17g", as_double());
      out = buf;
      if (out.find_first_of(".eEn") == std::string::npos) out += ".0";
      return out;
    }
    case Type::kString:
      AppendQuoted(&out, as_string());
      return out;
    case Type::kList: {
      out = "[";
      bool first = true;
      for (const auto& v : as_list()) {
        if (!first) out += ", ";
        first = false;
        out += v.DebugString();
      }
      return out + "]";
    }
    case Type::kMap: {
      out = "{";
      bool first = true;
      for (const auto& [k, v] : as_map()) {
        if (!first) out += ", ";
        first = false;
        out += k + ": " + v.DebugString();
      }
      return out + "}";
    }
  }
  return out;
}

}  // namespace kg

#include "query/functions/order.h"

#include <cmath>

namespace kg::query::functions {
namespace {

enum Rank : int { kMap, kNode, kRel, kList, kString, kBool, kNumber, kNaN, kNull };

Rank RankOf(const Value& v) {
  switch (v.type()) {
    case Value::Type::kNull:
      return kNull;
    case Value::Type::kBool:
      return kBool;
    case Value::Type::kInt:
      return kNumber;
    case Value::Type::kDouble:
      return std::isnan(v.as_double()) ? kNaN : kNumber;
    case Value::Type::kString:
      return kString;
    case Value::Type::kList:
      return kList;
    case Value::Type::kMap: {
      const ValueMap& m = v.as_map();
      if (m.count("_id") > 0 && m.count("_labels") > 0) return kNode;
      if (m.count("_type") > 0 && m.count("_src") > 0 && m.count("_dst") > 0) return kRel;
      return kMap;
    }
  }
  return kNull;
}

}  // namespace

int OrderCompare(const Value& a, const Value& b) {
  const Rank ra = RankOf(a), rb = RankOf(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case kList: {
      const ValueList& x = a.as_list();
      const ValueList& y = b.as_list();
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        int c = OrderCompare(x[i], y[i]);
        if (c != 0) return c;
      }
      return x.size() < y.size() ? -1 : (y.size() < x.size() ? 1 : 0);
    }
    case kNode:
      return Value::Compare(a.as_map().find("_id")->second, b.as_map().find("_id")->second);
    case kNaN:
    case kNull:
      return 0;
    default:
      return Value::Compare(a, b);
  }
}

}  // namespace kg::query::functions

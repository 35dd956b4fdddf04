#include "query/exec/row.h"

#include <tuple>

namespace kg::query::exec {
namespace {

int CompareEdges(const storage::EdgeRecord& a, const storage::EdgeRecord& b) {
  auto ka = std::tie(a.src, a.type, a.dst, a.seq);
  auto kb = std::tie(b.src, b.type, b.dst, b.seq);
  return ka < kb ? -1 : (kb < ka ? 1 : 0);
}

}  // namespace

int CompareEntities(const Entity& a, const Entity& b) {
  if (a.index() != b.index()) return a.index() < b.index() ? -1 : 1;
  switch (a.index()) {
    case 0:
      return 0;
    case 1: {
      auto x = std::get<NodeRef>(a).key, y = std::get<NodeRef>(b).key;
      return x < y ? -1 : (y < x ? 1 : 0);
    }
    case 2:
      return CompareEdges(*std::get<EdgePtr>(a), *std::get<EdgePtr>(b));
    case 3: {
      const auto& x = *std::get<EdgeListPtr>(a);
      const auto& y = *std::get<EdgeListPtr>(b);
      for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        int c = CompareEdges(x[i], y[i]);
        if (c != 0) return c;
      }
      return x.size() < y.size() ? -1 : (y.size() < x.size() ? 1 : 0);
    }
    default:
      return Value::Compare(std::get<Value>(a), std::get<Value>(b));
  }
}

bool EntityVectorLess::operator()(const std::vector<Entity>& a,
                                  const std::vector<Entity>& b) const {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    int c = CompareEntities(a[i], b[i]);
    if (c != 0) return c < 0;
  }
  return a.size() < b.size();
}

}  // namespace kg::query::exec

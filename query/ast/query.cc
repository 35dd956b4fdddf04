#include "query/ast/query.h"

namespace kg::query::ast {
namespace {

std::string PropertyMapToString(const PropertyMap& props) {
  if (props.empty()) return "";
  std::string out = " {";
  for (size_t i = 0; i < props.size(); ++i) {
    out += (i ? ", " : "") + props[i].first + ": " + props[i].second->ToString();
  }
  return out + "}";
}

std::string NodeToString(const NodePattern& n) {
  return "(" + n.variable + LabelGroupsToString(n.label_groups) +
         PropertyMapToString(n.properties) + ")";
}

std::string RelToString(const RelPattern& r) {
  std::string detail = r.variable;
  for (size_t i = 0; i < r.types.size(); ++i) detail += (i ? "|" : ":") + r.types[i];
  if (r.var_length) {
    detail += "*";
    if (r.min_hops) detail += std::to_string(*r.min_hops);
    if (r.has_range_dots) detail += "..";
    if (r.max_hops) detail += std::to_string(*r.max_hops);
  }
  detail += PropertyMapToString(r.properties);
  std::string mid = detail.empty() ? "--" : "-[" + detail + "]-";
  switch (r.direction) {
    case RelDirection::kRight:
      return mid + ">";
    case RelDirection::kLeft:
      return "<" + mid;
    case RelDirection::kBoth:
      return mid;
  }
  return mid;
}

}  // namespace

std::string Query::ToString() const {
  std::string out;
  if (explain) out += "EXPLAIN\n";
  for (const auto& m : matches) {
    out += "MATCH ";
    for (size_t p = 0; p < m.patterns.size(); ++p) {
      const auto& part = m.patterns[p];
      if (p) out += ", ";
      if (!part.path_variable.empty()) out += part.path_variable + " = ";
      for (size_t i = 0; i < part.nodes.size(); ++i) {
        if (i > 0) out += RelToString(part.rels[i - 1]);
        out += NodeToString(part.nodes[i]);
      }
    }
    out += "\n";
    if (m.where) out += "WHERE " + m.where->ToString() + "\n";
  }
  out += "RETURN ";
  if (ret.distinct) out += "DISTINCT ";
  if (ret.star) out += "*";
  for (size_t i = 0; i < ret.items.size(); ++i) {
    out += (i ? ", " : "") + ret.items[i].expr->ToString();
    if (!ret.items[i].alias.empty()) out += " AS " + ret.items[i].alias;
  }
  if (!ret.order_by.empty()) {
    out += "\nORDER BY ";
    for (size_t i = 0; i < ret.order_by.size(); ++i) {
      out += (i ? ", " : "") + ret.order_by[i].expr->ToString() +
             (ret.order_by[i].descending ? " DESC" : "");
    }
  }
  if (ret.skip) out += "\nSKIP " + ret.skip->ToString();
  if (ret.limit) out += "\nLIMIT " + ret.limit->ToString();
  return out;
}

}  // namespace kg::query::ast

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

std::string ProjectionToString(const ReturnClause& ret) {
  std::string out;
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
  if (ret.where) out += "\nWHERE " + ret.where->ToString();
  return out;
}

std::string PatternsToString(const std::vector<PatternPart>& patterns) {
  std::string out;
  for (size_t p = 0; p < patterns.size(); ++p) {
    const auto& part = patterns[p];
    if (p) out += ", ";
    if (!part.path_variable.empty()) out += part.path_variable + " = ";
    for (size_t i = 0; i < part.nodes.size(); ++i) {
      if (i > 0) out += RelToString(part.rels[i - 1]);
      out += NodeToString(part.nodes[i]);
    }
  }
  return out;
}

std::string MatchToString(const MatchClause& m) {
  std::string out = m.optional ? "OPTIONAL MATCH " : "MATCH ";
  out += PatternsToString(m.patterns);
  out += "\n";
  if (m.where) out += "WHERE " + m.where->ToString() + "\n";
  return out;
}

}  // namespace

std::string Query::ToString() const {
  std::string out;
  if (explain) out += "EXPLAIN\n";
  if (profile) out += "PROFILE\n";
  for (const auto& c : clauses) {
    switch (c.kind) {
      case Clause::Kind::kMatch:
        out += MatchToString(c.match);
        break;
      case Clause::Kind::kUnwind:
        out += "UNWIND " + c.unwind.expr->ToString() + " AS " + c.unwind.variable + "\n";
        break;
      case Clause::Kind::kWith:
        out += "WITH " + ProjectionToString(c.with) + "\n";
        break;
      case Clause::Kind::kCreate:
        out += "CREATE " + PatternsToString(c.create.patterns) + "\n";
        break;
      case Clause::Kind::kCall: {
        out += "CALL " + c.call.procedure + "(";
        for (size_t i = 0; i < c.call.args.size(); ++i) {
          out += (i ? ", " : "") + c.call.args[i]->ToString();
        }
        out += ")";
        for (size_t i = 0; i < c.call.yields.size(); ++i) {
          out += (i ? ", " : " YIELD ") + c.call.yields[i].first;
          if (!c.call.yields[i].second.empty()) out += " AS " + c.call.yields[i].second;
        }
        out += "\n";
        if (c.call.where) out += "WHERE " + c.call.where->ToString() + "\n";
        break;
      }
    }
  }
  if (!has_return) return out;
  return out + "RETURN " + ProjectionToString(ret);
}

}  // namespace kg::query::ast

#include "query/ast/expression.h"

#include "common/schema.h"

namespace kg::query::ast {

const char* BinaryOpName(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return "OR";
    case BinaryOp::kXor:
      return "XOR";
    case BinaryOp::kAnd:
      return "AND";
    case BinaryOp::kEq:
      return "=";
    case BinaryOp::kNe:
      return "<>";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kStartsWith:
      return "STARTS WITH";
    case BinaryOp::kEndsWith:
      return "ENDS WITH";
    case BinaryOp::kContains:
      return "CONTAINS";
    case BinaryOp::kIn:
      return "IN";
    case BinaryOp::kRegexMatch:
      return "=~";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kMod:
      return "%";
    case BinaryOp::kPow:
      return "^";
  }
  return "?";
}

std::string LabelGroupsToString(const LabelGroups& groups) {
  std::string out;
  for (const auto& group : groups) {
    out += ':';
    for (size_t i = 0; i < group.size(); ++i) {
      if (i > 0) out += '|';
      out += group[i];
    }
  }
  return out;
}

std::string Expr::ToString() const {
  auto child = [this](size_t i) { return children[i]->ToString(); };
  switch (kind) {
    case ExprKind::kLiteral:
      return literal.DebugString();
    case ExprKind::kParameter:
      return "$" + name;
    case ExprKind::kVariable:
      return name;
    case ExprKind::kProperty:
      return child(0) + "." + name;
    case ExprKind::kIndex:
      return child(0) + "[" + child(1) + "]";
    case ExprKind::kHasLabels:
      return child(0) + LabelGroupsToString(label_groups);
    case ExprKind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < children.size(); ++i) out += (i ? ", " : "") + child(i);
      return out + "]";
    }
    case ExprKind::kMap: {
      std::string out = "{";
      for (size_t i = 0; i < children.size(); ++i) {
        out += (i ? ", " : "") + map_keys[i] + ": " + child(i);
      }
      return out + "}";
    }
    case ExprKind::kFunctionCall: {
      std::string out = schema::ToLowerAscii(name) + "(" + (distinct ? "DISTINCT " : "");
      for (size_t i = 0; i < children.size(); ++i) out += (i ? ", " : "") + child(i);
      return out + ")";
    }
    case ExprKind::kCountStar:
      return "count(*)";
    case ExprKind::kNot:
      return "(NOT " + child(0) + ")";
    case ExprKind::kNegate:
      return "(-" + child(0) + ")";
    case ExprKind::kBinary:
      return "(" + child(0) + " " + BinaryOpName(op) + " " + child(1) + ")";
    case ExprKind::kIsNull:
      return "(" + child(0) + " IS NULL)";
    case ExprKind::kIsNotNull:
      return "(" + child(0) + " IS NOT NULL)";
    case ExprKind::kCase: {
      std::string out = "CASE";
      size_t i = 0;
      if (case_has_subject) out += " " + child(i++);
      const size_t pairs_end = children.size() - (case_has_else ? 1 : 0);
      for (; i + 1 < pairs_end; i += 2) {
        out += " WHEN " + child(i) + " THEN " + child(i + 1);
      }
      if (case_has_else) out += " ELSE " + child(children.size() - 1);
      return out + " END";
    }
    case ExprKind::kListComprehension: {
      std::string out = "[" + variable + " IN " + child(0);
      if (has_where) out += " WHERE " + child(1);
      if (has_projection) out += " | " + child(children.size() - 1);
      return out + "]";
    }
    case ExprKind::kQuantifier:
      return name + "(" + variable + " IN " + child(0) + " WHERE " + child(1) + ")";
    case ExprKind::kPatternPredicate:
      return text;
    case ExprKind::kMapProjection: {
      std::string out = child(0) + " {";
      bool first = true;
      if (map_all) {
        out += ".*";
        first = false;
      }
      for (size_t i = 0; i < map_keys.size(); ++i) {
        out += (first ? "" : ", ") + map_keys[i] + ": " + child(i + 1);
        first = false;
      }
      return out + "}";
    }
  }
  return "?";
}

ExprPtr Expr::Clone() const {
  auto copy = std::make_unique<Expr>();
  copy->kind = kind;
  copy->pos = pos;
  copy->text = text;
  copy->literal = literal;
  copy->name = name;
  copy->op = op;
  copy->distinct = distinct;
  copy->label_groups = label_groups;
  copy->map_keys = map_keys;
  copy->case_has_subject = case_has_subject;
  copy->case_has_else = case_has_else;
  copy->variable = variable;
  copy->has_where = has_where;
  copy->has_projection = has_projection;
  copy->map_all = map_all;
  copy->pattern = pattern;
  for (const auto& c : children) copy->AddChild(c->Clone());
  return copy;
}

}  // namespace kg::query::ast

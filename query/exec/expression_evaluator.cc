#include "query/exec/expression_evaluator.h"

#include <re2/re2.h>

#include <cmath>

#include "query/exec/pattern_matcher.h"

namespace kg::query::exec {
namespace {

using bind::BoundExpr;
using bind::BoundExprKind;

Status ErrorAt(const BoundExpr& e, const std::string& msg) {
  return Status::SyntaxError(msg + " in '" + e.text + "'", e.pos);
}

// Three-valued booleans: nullopt = null.
using Tri = std::optional<bool>;

Result<Tri> ToTri(const BoundExpr& e, const Value& v, const char* op) {
  if (v.is_null()) return Tri();
  if (!v.is_bool()) {
    return ErrorAt(e, std::string(op) + " expects boolean operands, got " + v.TypeName() + " " +
                          v.DebugString());
  }
  return Tri(v.as_bool());
}

// Ordering between comparable values: nullopt when the types are not comparable.
std::optional<int> OrderValues(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_double() && std::isnan(a.as_double())) return std::nullopt;
    if (b.is_double() && std::isnan(b.as_double())) return std::nullopt;
    return Value::Compare(a, b);
  }
  if ((a.is_string() && b.is_string()) || (a.is_bool() && b.is_bool())) {
    return Value::Compare(a, b);
  }
  if (a.is_list() && b.is_list()) {
    // Lexicographic; an incomparable or null element pair makes the result null.
    const auto& x = a.as_list();
    const auto& y = b.as_list();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (x[i].is_null() || y[i].is_null()) return std::nullopt;
      std::optional<int> c = OrderValues(x[i], y[i]);
      if (!c) return std::nullopt;
      if (*c != 0) return c;
    }
    return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
  }
  return std::nullopt;
}

Result<Value> Arithmetic(const BoundExpr& e, const Value& a, const Value& b) {
  const ast::BinaryOp op = e.op;
  if (a.is_null() || b.is_null()) return Value();
  if (op == ast::BinaryOp::kAdd) {
    if (a.is_list() || b.is_list()) {
      ValueList out;
      if (a.is_list()) {
        out = a.as_list();
      } else {
        out.push_back(a);
      }
      if (b.is_list()) {
        out.insert(out.end(), b.as_list().begin(), b.as_list().end());
      } else {
        out.push_back(b);
      }
      return Value(std::move(out));
    }
    if (a.is_string() && b.is_string()) return Value(a.as_string() + b.as_string());
  }
  if (!a.is_number() || !b.is_number()) {
    return ErrorAt(e, std::string("cannot apply '") + ast::BinaryOpName(op) + "' to " +
                          a.TypeName() + " and " + b.TypeName());
  }
  if (op == ast::BinaryOp::kPow) return Value(std::pow(a.as_number(), b.as_number()));
  if (a.is_int() && b.is_int()) {
    int64_t x = a.as_int(), y = b.as_int(), out = 0;
    bool overflow = false;
    switch (op) {
      case ast::BinaryOp::kAdd:
        overflow = __builtin_add_overflow(x, y, &out);
        break;
      case ast::BinaryOp::kSub:
        overflow = __builtin_sub_overflow(x, y, &out);
        break;
      case ast::BinaryOp::kMul:
        overflow = __builtin_mul_overflow(x, y, &out);
        break;
      case ast::BinaryOp::kDiv:
      case ast::BinaryOp::kMod:
        if (y == 0) return ErrorAt(e, "division by zero");
        if (x == INT64_MIN && y == -1) {
          overflow = true;
          break;
        }
        out = op == ast::BinaryOp::kDiv ? x / y : x % y;
        break;
      default:
        return Status::Internal("not an arithmetic operator");
    }
    if (overflow) return ErrorAt(e, "integer overflow");
    return Value(out);
  }
  double x = a.as_number(), y = b.as_number();
  switch (op) {
    case ast::BinaryOp::kAdd:
      return Value(x + y);
    case ast::BinaryOp::kSub:
      return Value(x - y);
    case ast::BinaryOp::kMul:
      return Value(x * y);
    case ast::BinaryOp::kDiv:
      return Value(x / y);
    case ast::BinaryOp::kMod:
      return Value(std::fmod(x, y));
    default:
      return Status::Internal("not an arithmetic operator");
  }
}

Result<Value> PropertyOf(const BoundExpr& e, const Entity& target, ExecContext& ctx) {
  switch (target.index()) {
    case 0:
      return Value();
    case 1:
      return ctx.NodeProperty(std::get<NodeRef>(target).key, e.key);
    case 2: {
      const auto& props = std::get<EdgePtr>(target)->props;
      auto it = props.find(e.key);
      return it != props.end() ? it->second : Value();
    }
    case 3:
      return ErrorAt(e, "cannot read property '" + e.key +
                            "' of a variable-length relationship "
                            "list");
    default: {
      const Value& v = std::get<Value>(target);
      if (v.is_null()) return Value();
      if (v.is_map()) {
        const ValueMap& m = v.as_map();
        auto it = m.find(e.key);
        if (it != m.end()) return it->second;
        // A node as a map (from nodes(p), collect(n), ...): `id` is its string id.
        if (e.key == "id" && m.count("_labels") > 0) {
          auto id = m.find("_id");
          if (id != m.end()) return id->second;
        }
        return Value();
      }
      return ErrorAt(
          e, "cannot read property '" + e.key + "' of " + v.TypeName() + " " + v.DebugString());
    }
  }
}

Result<Value> HasLabels(const BoundExpr& e, const Entity& target, ExecContext& ctx) {
  if (target.index() == 0) return Value();
  if (const Value* v = std::get_if<Value>(&target)) {
    if (v->is_null()) return Value();
    return ErrorAt(e, std::string("label predicate needs a node, got ") + (*v).TypeName());
  }
  const NodeRef* node = std::get_if<NodeRef>(&target);
  if (node == nullptr) return ErrorAt(e, "label predicate needs a node, got a relationship");
  KG_ASSIGN_OR_RETURN(const std::vector<storage::LabelId>* labels, ctx.NodeLabels(node->key));
  for (const auto& group : e.label_groups) {
    bool any = false;
    for (auto id : group) {
      for (auto have : *labels) any = any || have == id;
    }
    if (!any) return Value(false);
  }
  return Value(true);
}

Result<Value> Index(const BoundExpr& e, const Value& target, const Value& index) {
  if (target.is_null() || index.is_null()) return Value();
  if (target.is_list()) {
    if (!index.is_int()) return ErrorAt(e, "list index must be an integer");
    const auto& list = target.as_list();
    int64_t i = index.as_int();
    if (i < 0) i += static_cast<int64_t>(list.size());
    if (i < 0 || i >= static_cast<int64_t>(list.size())) return Value();
    return list[static_cast<size_t>(i)];
  }
  if (target.is_map()) {
    if (!index.is_string()) return ErrorAt(e, "map key must be a string");
    auto it = target.as_map().find(index.as_string());
    return it != target.as_map().end() ? it->second : Value();
  }
  return ErrorAt(e, std::string("cannot index ") + target.TypeName());
}

// Equality of two entities without converting nodes/relationships when both are the same kind.
Result<Tri> EntitiesEqual(const Entity& a, const Entity& b, ExecContext& ctx) {
  if (a.index() == 1 && b.index() == 1) {
    return Tri(std::get<NodeRef>(a).key == std::get<NodeRef>(b).key);
  }
  if (a.index() == 2 && b.index() == 2) {
    return Tri(SameEdge(*std::get<EdgePtr>(a), *std::get<EdgePtr>(b)));
  }
  KG_ASSIGN_OR_RETURN(Value x, ctx.ToValue(a));
  KG_ASSIGN_OR_RETURN(Value y, ctx.ToValue(b));
  return ValuesEqual(x, y);
}

Result<Value> EvaluateBinary(const BoundExpr& e, const Row& row, ExecContext& ctx) {
  using ast::BinaryOp;
  const BoundExpr& le = *e.children[0];
  const BoundExpr& re = *e.children[1];
  switch (e.op) {
    case BinaryOp::kAnd:
    case BinaryOp::kOr: {
      const bool is_and = e.op == BinaryOp::kAnd;
      const char* name = is_and ? "AND" : "OR";
      KG_ASSIGN_OR_RETURN(Value lv, Evaluate(le, row, ctx));
      KG_ASSIGN_OR_RETURN(Tri l, ToTri(e, lv, name));
      if (l && *l != is_and) return Value(*l);  // false AND x, true OR x
      KG_ASSIGN_OR_RETURN(Value rv, Evaluate(re, row, ctx));
      KG_ASSIGN_OR_RETURN(Tri r, ToTri(e, rv, name));
      if (r && *r != is_and) return Value(*r);
      if (!l || !r) return Value();
      return Value(is_and);
    }
    case BinaryOp::kXor: {
      KG_ASSIGN_OR_RETURN(Value lv, Evaluate(le, row, ctx));
      KG_ASSIGN_OR_RETURN(Value rv, Evaluate(re, row, ctx));
      KG_ASSIGN_OR_RETURN(Tri l, ToTri(e, lv, "XOR"));
      KG_ASSIGN_OR_RETURN(Tri r, ToTri(e, rv, "XOR"));
      if (!l || !r) return Value();
      return Value(*l != *r);
    }
    case BinaryOp::kEq:
    case BinaryOp::kNe: {
      KG_ASSIGN_OR_RETURN(Entity l, EvaluateEntity(le, row, ctx));
      KG_ASSIGN_OR_RETURN(Entity r, EvaluateEntity(re, row, ctx));
      KG_ASSIGN_OR_RETURN(Tri eq, EntitiesEqual(l, r, ctx));
      if (!eq) return Value();
      return Value(e.op == BinaryOp::kEq ? *eq : !*eq);
    }
    default:
      break;
  }
  KG_ASSIGN_OR_RETURN(Value l, Evaluate(le, row, ctx));
  KG_ASSIGN_OR_RETURN(Value r, Evaluate(re, row, ctx));
  switch (e.op) {
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe: {
      if (l.is_null() || r.is_null()) return Value();
      std::optional<int> c = OrderValues(l, r);
      if (!c) return Value();
      switch (e.op) {
        case BinaryOp::kLt:
          return Value(*c < 0);
        case BinaryOp::kLe:
          return Value(*c <= 0);
        case BinaryOp::kGt:
          return Value(*c > 0);
        default:
          return Value(*c >= 0);
      }
    }
    case BinaryOp::kStartsWith:
    case BinaryOp::kEndsWith:
    case BinaryOp::kContains: {
      if (!l.is_string() || !r.is_string()) return Value();
      const std::string& s = l.as_string();
      const std::string& t = r.as_string();
      if (e.op == BinaryOp::kStartsWith) return Value(s.compare(0, t.size(), t) == 0);
      if (e.op == BinaryOp::kEndsWith) {
        return Value(s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0);
      }
      return Value(s.find(t) != std::string::npos);
    }
    case BinaryOp::kRegexMatch: {
      if (!l.is_string() || !r.is_string()) return Value();
      auto re2 = ctx.Regex(r.as_string());
      if (!re2.ok()) return ErrorAt(e, re2.status().message());
      return Value(RE2::FullMatch(l.as_string(), **re2));
    }
    case BinaryOp::kIn: {
      if (r.is_null()) return Value();
      if (!r.is_list()) {
        return ErrorAt(e, std::string("IN expects a list on the right, got ") + r.TypeName());
      }
      bool saw_null = false;
      for (const auto& item : r.as_list()) {
        Tri eq = ValuesEqual(l, item);
        if (eq && *eq) return Value(true);
        if (!eq) saw_null = true;
      }
      return saw_null ? Value() : Value(false);
    }
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
    case BinaryOp::kPow:
      return Arithmetic(e, l, r);
    default:
      return Status::Internal("unhandled binary operator");
  }
}

// The properties of an entity or map, without the entity fields (_id, _labels, ...).
Result<ValueMap> PropertiesOf(const BoundExpr& e, const Entity& target, ExecContext& ctx) {
  KG_ASSIGN_OR_RETURN(Value v, ctx.ToValue(target));
  if (v.is_null()) return ValueMap();
  if (!v.is_map()) {
    return ErrorAt(
        e, std::string("map projection needs a node, relationship or map, got ") + v.TypeName());
  }
  ValueMap out = v.as_map();
  if (target.index() == 1 || target.index() == 2 ||
      (out.count("_id") > 0 && out.count("_labels") > 0) ||
      (out.count("_type") > 0 && out.count("_src") > 0)) {
    for (const char* k : {"_id", "_labels", "_type", "_src", "_dst"}) out.erase(k);
  }
  return out;
}

// [x IN list WHERE p | e] and any/all/none/single(x IN list WHERE p).
Result<Value> EvaluateComprehension(const BoundExpr& e, const Row& row, ExecContext& ctx) {
  KG_ASSIGN_OR_RETURN(Value list, Evaluate(*e.children[0], row, ctx));
  if (list.is_null()) return Value();
  if (!list.is_list()) {
    return ErrorAt(e, std::string("expected a list after IN, got ") + list.TypeName());
  }
  Row local = row;
  if (local.size() <= static_cast<size_t>(e.slot)) local.resize(static_cast<size_t>(e.slot) + 1);
  const bool quantifier = e.kind == BoundExprKind::kQuantifier;
  const BoundExpr* where = e.has_where ? e.children[1].get() : nullptr;
  const BoundExpr* projection = e.has_projection ? e.children.back().get() : nullptr;
  ValueList out;
  int64_t trues = 0;
  bool saw_null = false;
  for (const Value& item : list.as_list()) {
    KG_RETURN_IF_ERROR(ctx.Tick());
    local[static_cast<size_t>(e.slot)] = Entity(item);
    Tri keep = true;
    if (where != nullptr) {
      KG_ASSIGN_OR_RETURN(Value w, Evaluate(*where, local, ctx));
      if (!w.is_null() && !w.is_bool()) {
        return ErrorAt(e, std::string("WHERE expects a boolean, got ") + w.TypeName());
      }
      keep = w.is_null() ? Tri() : Tri(w.as_bool());
    }
    if (quantifier) {
      if (!keep) {
        saw_null = true;
      } else if (*keep) {
        ++trues;
      }
      if (e.key == "any" && trues > 0) return Value(true);
      if (e.key == "all" && keep && !*keep) return Value(false);
      if (e.key == "none" && trues > 0) return Value(false);
      if (e.key == "single" && trues > 1) return Value(false);
      continue;
    }
    if (!keep || !*keep) continue;
    if (projection != nullptr) {
      KG_ASSIGN_OR_RETURN(Value v, Evaluate(*projection, local, ctx));
      out.push_back(std::move(v));
    } else {
      out.push_back(item);
    }
  }
  if (!quantifier) return Value(std::move(out));
  if (saw_null) {
    // Unknown unless the answer is already decided by the known elements.
    if (e.key == "single" && trues > 1) return Value(false);
    return Value();
  }
  if (e.key == "any") return Value(trues > 0);
  if (e.key == "all") return Value(true);
  if (e.key == "none") return Value(trues == 0);
  return Value(trues == 1);  // single
}

// {"_nodes": [...], "_relationships": [...]} from the pattern's slots.
Result<Value> EvaluatePath(const BoundExpr& e, const Row& row, ExecContext& ctx) {
  ValueList nodes;
  ValueList rels;
  std::optional<storage::NodeKey> current;
  for (size_t i = 0; i < e.children.size(); ++i) {
    const Entity& entity = row[static_cast<size_t>(e.children[i]->slot)];
    if (i % 2 == 0) {
      const NodeRef* node = std::get_if<NodeRef>(&entity);
      if (node == nullptr) return Value();  // e.g. OPTIONAL MATCH without a match
      if (i == 0) {
        KG_ASSIGN_OR_RETURN(Value v, ctx.NodeValue(node->key));
        nodes.push_back(std::move(v));
      }
      current = node->key;
      continue;
    }
    std::vector<const storage::EdgeRecord*> edges;
    if (const EdgePtr* edge = std::get_if<EdgePtr>(&entity)) {
      edges.push_back(edge->get());
    } else if (const EdgeListPtr* list = std::get_if<EdgeListPtr>(&entity)) {
      for (const auto& x : **list) edges.push_back(&x);
    } else {
      return Value();
    }
    for (const storage::EdgeRecord* edge : edges) {
      KG_ASSIGN_OR_RETURN(Value r, ctx.EdgeValue(*edge));
      rels.push_back(std::move(r));
      current = edge->src == *current ? edge->dst : edge->src;
      KG_ASSIGN_OR_RETURN(Value n, ctx.NodeValue(*current));
      nodes.push_back(std::move(n));
    }
  }
  ValueMap path;
  path["_nodes"] = Value(std::move(nodes));
  path["_relationships"] = Value(std::move(rels));
  return Value(std::move(path));
}

}  // namespace

std::optional<bool> ValuesEqual(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return std::nullopt;
  if (a.is_number() && b.is_number()) return Value::Compare(a, b) == 0;
  if (a.type() != b.type()) return false;
  if (a.is_list()) {
    const auto& x = a.as_list();
    const auto& y = b.as_list();
    if (x.size() != y.size()) return false;
    bool unknown = false;
    for (size_t i = 0; i < x.size(); ++i) {
      auto eq = ValuesEqual(x[i], y[i]);
      if (eq && !*eq) return false;
      if (!eq) unknown = true;
    }
    return unknown ? std::nullopt : std::optional<bool>(true);
  }
  if (a.is_map()) {
    const auto& x = a.as_map();
    const auto& y = b.as_map();
    if (x.size() != y.size()) return false;
    bool unknown = false;
    for (auto i = x.begin(), j = y.begin(); i != x.end(); ++i, ++j) {
      if (i->first != j->first) return false;
      auto eq = ValuesEqual(i->second, j->second);
      if (eq && !*eq) return false;
      if (!eq) unknown = true;
    }
    return unknown ? std::nullopt : std::optional<bool>(true);
  }
  return Value::Compare(a, b) == 0;
}

Result<Entity> EvaluateEntity(const BoundExpr& e, const Row& row, ExecContext& ctx) {
  if (e.kind == BoundExprKind::kSlot) {
    if (e.slot < 0 || static_cast<size_t>(e.slot) >= row.size()) {
      return Status::Internal("slot out of range for '" + e.text + "'");
    }
    return row[static_cast<size_t>(e.slot)];
  }
  KG_ASSIGN_OR_RETURN(Value v, Evaluate(e, row, ctx));
  return Entity(std::move(v));
}

Result<Value> Evaluate(const BoundExpr& e, const Row& row, ExecContext& ctx) {
  switch (e.kind) {
    case BoundExprKind::kConstant:
      return e.constant;
    case BoundExprKind::kSlot: {
      KG_ASSIGN_OR_RETURN(Entity entity, EvaluateEntity(e, row, ctx));
      return ctx.ToValue(entity);
    }
    case BoundExprKind::kProperty: {
      KG_ASSIGN_OR_RETURN(Entity target, EvaluateEntity(*e.children[0], row, ctx));
      return PropertyOf(e, target, ctx);
    }
    case BoundExprKind::kIndex: {
      const BoundExpr& target_expr = *e.children[0];
      KG_ASSIGN_OR_RETURN(Value index, Evaluate(*e.children[1], row, ctx));
      KG_ASSIGN_OR_RETURN(Entity target, EvaluateEntity(target_expr, row, ctx));
      // n['name'] on a node or relationship reads a property.
      if ((target.index() == 1 || target.index() == 2) && index.is_string()) {
        BoundExpr lookup;
        lookup.kind = BoundExprKind::kProperty;
        lookup.key = index.as_string();
        lookup.text = e.text;
        lookup.pos = e.pos;
        return PropertyOf(lookup, target, ctx);
      }
      KG_ASSIGN_OR_RETURN(Value tv, ctx.ToValue(target));
      return Index(e, tv, index);
    }
    case BoundExprKind::kHasLabels: {
      KG_ASSIGN_OR_RETURN(Entity target, EvaluateEntity(*e.children[0], row, ctx));
      return HasLabels(e, target, ctx);
    }
    case BoundExprKind::kList: {
      ValueList out;
      for (const auto& c : e.children) {
        KG_ASSIGN_OR_RETURN(Value v, Evaluate(*c, row, ctx));
        out.push_back(std::move(v));
      }
      return Value(std::move(out));
    }
    case BoundExprKind::kMap: {
      ValueMap out;
      for (size_t i = 0; i < e.children.size(); ++i) {
        KG_ASSIGN_OR_RETURN(Value v, Evaluate(*e.children[i], row, ctx));
        out[e.map_keys[i]] = std::move(v);
      }
      return Value(std::move(out));
    }
    case BoundExprKind::kFunction: {
      ValueList args;
      for (const auto& c : e.children) {
        KG_ASSIGN_OR_RETURN(Value v, Evaluate(*c, row, ctx));
        args.push_back(std::move(v));
      }
      auto result = e.function->fn(args);
      if (!result.ok()) return ErrorAt(e, result.status().message());
      return result;
    }
    case BoundExprKind::kNot: {
      KG_ASSIGN_OR_RETURN(Value v, Evaluate(*e.children[0], row, ctx));
      KG_ASSIGN_OR_RETURN(Tri t, ToTri(e, v, "NOT"));
      return t ? Value(!*t) : Value();
    }
    case BoundExprKind::kNegate: {
      KG_ASSIGN_OR_RETURN(Value v, Evaluate(*e.children[0], row, ctx));
      if (v.is_null()) return Value();
      if (v.is_int()) {
        if (v.as_int() == INT64_MIN) return ErrorAt(e, "integer overflow");
        return Value(-v.as_int());
      }
      if (v.is_double()) {
        const double d = -v.as_double();
        return Value(d == 0 ? 0.0 : d);  // no negative zero (openCypher: -0.0 = 0.0)
      }
      return ErrorAt(e, std::string("cannot negate ") + v.TypeName());
    }
    case BoundExprKind::kBinary:
      return EvaluateBinary(e, row, ctx);
    case BoundExprKind::kCase: {
      size_t i = 0;
      std::optional<Value> subject;
      if (e.case_has_subject) {
        KG_ASSIGN_OR_RETURN(Value v, Evaluate(*e.children[i++], row, ctx));
        subject = std::move(v);
      }
      const size_t pairs_end = e.children.size() - (e.case_has_else ? 1 : 0);
      for (; i + 1 < pairs_end; i += 2) {
        KG_ASSIGN_OR_RETURN(Value when, Evaluate(*e.children[i], row, ctx));
        // Simple form: subject = when; generic form: when is true (null/false/others: no).
        const bool hit = subject ? ValuesEqual(*subject, when).value_or(false)
                                 : (when.is_bool() && when.as_bool());
        if (hit) return Evaluate(*e.children[i + 1], row, ctx);
      }
      if (e.case_has_else) return Evaluate(*e.children.back(), row, ctx);
      return Value();
    }
    case BoundExprKind::kListComprehension:
    case BoundExprKind::kQuantifier:
      return EvaluateComprehension(e, row, ctx);
    case BoundExprKind::kPatternPredicate: {
      KG_ASSIGN_OR_RETURN(std::optional<bool> found, MatchPatternPredicate(*e.pattern, row, ctx));
      return found ? Value(*found) : Value();
    }
    case BoundExprKind::kMapProjection: {
      KG_ASSIGN_OR_RETURN(Entity base, EvaluateEntity(*e.children[0], row, ctx));
      if (base.index() == 0 || (base.index() == 4 && std::get<Value>(base).is_null())) {
        return Value();
      }
      ValueMap out;
      if (e.map_all) {
        KG_ASSIGN_OR_RETURN(out, PropertiesOf(e, base, ctx));
      }
      for (size_t i = 0; i < e.map_keys.size(); ++i) {
        KG_ASSIGN_OR_RETURN(Value v, Evaluate(*e.children[i + 1], row, ctx));
        out[e.map_keys[i]] = std::move(v);
      }
      return Value(std::move(out));
    }
    case BoundExprKind::kPath:
      return EvaluatePath(e, row, ctx);
    case BoundExprKind::kIsNull:
    case BoundExprKind::kIsNotNull: {
      if (e.children[0]->kind == BoundExprKind::kProperty) {  // n.prop IS [NOT] NULL: no copy
        const BoundExpr& prop = *e.children[0];
        KG_ASSIGN_OR_RETURN(Entity target, EvaluateEntity(*prop.children[0], row, ctx));
        if (const auto* node = std::get_if<NodeRef>(&target)) {
          KG_ASSIGN_OR_RETURN(bool has, ctx.NodeHasProperty(node->key, prop.key));
          return Value(e.kind == BoundExprKind::kIsNull ? !has : has);
        }
        KG_ASSIGN_OR_RETURN(Value v, PropertyOf(prop, target, ctx));
        return Value(e.kind == BoundExprKind::kIsNull ? v.is_null() : !v.is_null());
      }
      KG_ASSIGN_OR_RETURN(Entity v, EvaluateEntity(*e.children[0], row, ctx));
      bool is_null = v.index() == 0 || (v.index() == 4 && std::get<Value>(v).is_null());
      return Value(e.kind == BoundExprKind::kIsNull ? is_null : !is_null);
    }
  }
  return Status::Internal("unhandled expression kind");
}

Result<bool> EvaluatePredicate(const BoundExpr& e, const Row& row, ExecContext& ctx) {
  KG_ASSIGN_OR_RETURN(Value v, Evaluate(e, row, ctx));
  if (v.is_null()) return false;
  if (!v.is_bool()) {
    return ErrorAt(
        e, std::string("WHERE expects a boolean, got ") + v.TypeName() + " " + v.DebugString());
  }
  return v.as_bool();
}

}  // namespace kg::query::exec

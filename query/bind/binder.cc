#include "query/bind/binder.h"

#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <set>

#include "common/schema.h"

namespace kg::query::bind {
namespace {

using ast::Expr;
using ast::ExprKind;

constexpr size_t kMaxPatternElements = 500;

std::string At(const TextPosition& pos) {
  return " (line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column) + ")";
}

BoundExprPtr MakeExpr(BoundExprKind kind, const TextPosition& pos, std::string text) {
  auto e = std::make_unique<BoundExpr>();
  e->kind = kind;
  e->pos = pos;
  e->text = std::move(text);
  return e;
}

BoundExprPtr MakeSlot(int slot, const std::string& name, const TextPosition& pos) {
  auto e = MakeExpr(BoundExprKind::kSlot, pos, name);
  e->slot = slot;
  return e;
}

BoundExprPtr MakeConstant(Value v, const TextPosition& pos) {
  auto e = MakeExpr(BoundExprKind::kConstant, pos, v.DebugString());
  e->constant = std::move(v);
  return e;
}

// `var.key = value`, the predicate form of a pattern's property map entry.
BoundExprPtr PropertyEquals(int slot, const std::string& var, const std::string& key,
                            BoundExprPtr value, const TextPosition& pos) {
  auto prop = MakeExpr(BoundExprKind::kProperty, pos, var + "." + key);
  prop->key = key;
  prop->children.push_back(MakeSlot(slot, var, pos));
  auto eq = MakeExpr(BoundExprKind::kBinary, pos, "(" + prop->text + " = " + value->text + ")");
  eq->op = ast::BinaryOp::kEq;
  eq->children.push_back(std::move(prop));
  eq->children.push_back(std::move(value));
  return eq;
}

// Splits a conjunction into its conjuncts (a AND (b AND c) -> a, b, c).
void SplitConjuncts(BoundExprPtr e, std::vector<BoundExprPtr>* out) {
  if (e->kind == BoundExprKind::kBinary && e->op == ast::BinaryOp::kAnd) {
    SplitConjuncts(std::move(e->children[0]), out);
    SplitConjuncts(std::move(e->children[1]), out);
    return;
  }
  out->push_back(std::move(e));
}

// "did you mean 'X'?" from the names closest to `spelling`, or a list of known names.
std::string Suggestion(std::string_view spelling, const std::vector<std::string>& known,
                       bool labels) {
  std::vector<std::string> candidates = known;
  if (candidates.empty()) candidates = schema::ClosestNames(spelling, labels, 3);
  const std::string lower = schema::ToLowerAscii(spelling);
  const size_t threshold = std::max<size_t>(2, lower.size() / 3);
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& name : candidates) {
    scored.emplace_back(schema::EditDistance(lower, schema::ToLowerAscii(name)), name);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> close;
  for (const auto& [dist, name] : scored) {
    if (dist > threshold || close.size() >= 3) break;
    if (std::find(close.begin(), close.end(), name) == close.end()) close.push_back(name);
  }
  std::string out;
  if (!close.empty()) {
    out = "; did you mean ";
    for (size_t i = 0; i < close.size(); ++i) {
      if (i > 0) out += i + 1 == close.size() ? " or " : ", ";
      out += "'" + close[i] + "'";
    }
    return out + "?";
  }
  std::vector<std::string> sorted = candidates;
  std::sort(sorted.begin(), sorted.end());
  out = labels ? " (known labels: " : " (known relationship types: ";
  for (size_t i = 0; i < sorted.size() && i < 20; ++i) out += (i ? ", " : "") + sorted[i];
  if (sorted.size() > 20) out += ", ...";
  return out + ")";
}

class Binder {
 public:
  Binder(storage::GraphStore& store, const ValueMap& params, int64_t max_var_hops)
      : store_(store), params_(params), max_var_hops_(max_var_hops) {}

  Result<BoundQuery> Run(const ast::Query& query) {
    out_.explain = query.explain;
    out_.profile = query.profile;
    out_.has_return = query.has_return;
    // Each pattern element becomes a (nested) operator; bound the depth of the plan.
    size_t elements = 0;
    for (const auto& c : query.clauses) {
      if (c.kind != ast::Clause::Kind::kMatch) continue;
      for (const auto& part : c.match.patterns) {
        elements += part.nodes.size() + part.rels.size();
      }
      if (elements > kMaxPatternElements) {
        return Status::SyntaxError("query has too many pattern elements (" +
                                       std::to_string(elements) + "; the maximum is " +
                                       std::to_string(kMaxPatternElements) + ")",
                                   c.match.pos);
      }
    }
    for (const auto& c : query.clauses) {
      BoundClause bound;
      bound.kind = c.kind;
      switch (c.kind) {
        case ast::Clause::Kind::kMatch:
          KG_RETURN_IF_ERROR(BindMatch(c.match, &bound.match));
          break;
        case ast::Clause::Kind::kUnwind:
          KG_RETURN_IF_ERROR(BindUnwind(c.unwind, &bound.unwind));
          break;
        case ast::Clause::Kind::kWith:
          KG_RETURN_IF_ERROR(BindProjection(c.with, /*is_with=*/true, &bound.with));
          break;
        case ast::Clause::Kind::kCreate:
          KG_RETURN_IF_ERROR(BindCreate(c.create, &bound.create));
          out_.has_create = true;
          break;
        case ast::Clause::Kind::kCall:
          KG_RETURN_IF_ERROR(BindCall(c.call, &bound.call));
          break;
      }
      out_.clauses.push_back(std::move(bound));
    }
    if (query.has_return) {
      KG_RETURN_IF_ERROR(BindProjection(query.ret, /*is_with=*/false, &out_.ret));
    }
    return std::move(out_);
  }

 private:
  // How names resolve in the expression being bound.
  struct Env {
    std::string_view clause = "WHERE";
    bool allow_aggregates = false;      // RETURN items
    bool in_aggregate = false;          // inside an aggregate's argument
    bool allow_match_variables = true;  // variables of the MATCH clauses are visible
    // ORDER BY after projection: aliases (name -> column slot) and returned expressions
    // (canonical text -> column slot).
    const std::map<std::string, int, std::less<>>* aliases = nullptr;
    const std::map<std::string, int, std::less<>>* item_texts = nullptr;
  };

  int NewSlot(std::string name, SlotKind kind, bool anonymous) {
    out_.slots.push_back(SlotInfo{std::move(name), kind, anonymous});
    return static_cast<int>(out_.slots.size()) - 1;
  }

  void Warn(std::string warning) {
    if (warned_.insert(warning).second) out_.warnings.push_back(std::move(warning));
  }

  // Resolves one label name; nullopt (plus a warning) when the store does not know it.
  Result<std::optional<storage::LabelId>> ResolveLabel(const std::string& name) {
    auto id = store_.LabelIdFor(name, /*create=*/false);
    if (id.ok()) {
      out_.resolved_names.push_back(ResolvedName{true, name, *id});
      return std::optional<storage::LabelId>(*id);
    }
    if (!id.status().IsNotFound()) return id.status();
    if (!known_labels_) known_labels_ = store_.KnownLabels();
    Warn("unknown label '" + name + "'" + Suggestion(name, *known_labels_, true));
    return std::optional<storage::LabelId>();
  }

  Result<std::optional<storage::EdgeTypeId>> ResolveType(const std::string& name) {
    auto id = store_.EdgeTypeIdFor(name, /*create=*/false);
    if (id.ok()) {
      out_.resolved_names.push_back(ResolvedName{false, name, *id});
      return std::optional<storage::EdgeTypeId>(*id);
    }
    if (!id.status().IsNotFound()) return id.status();
    if (!known_types_) known_types_ = store_.KnownEdgeTypes();
    Warn("unknown relationship type '" + name + "'" + Suggestion(name, *known_types_, false));
    return std::optional<storage::EdgeTypeId>();
  }

  Result<LabelIdGroups> ResolveLabelGroups(const ast::LabelGroups& groups) {
    LabelIdGroups out;
    for (const auto& group : groups) {
      std::vector<storage::LabelId> ids;
      for (const auto& name : group) {
        KG_ASSIGN_OR_RETURN(std::optional<storage::LabelId> id, ResolveLabel(name));
        if (id && std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
      }
      out.push_back(std::move(ids));
    }
    return out;
  }

  Result<int> DeclareNode(const ast::NodePattern& node) {
    if (node.variable.empty()) {
      return NewSlot("_anon" + std::to_string(anon_count_++), SlotKind::kNode, true);
    }
    auto it = scope_.find(node.variable);
    if (it != scope_.end()) {
      // A value (e.g. from UNWIND of collected nodes) may hold a node: checked when expanding.
      if (out_.slots[it->second].kind == SlotKind::kRelationship ||
          out_.slots[it->second].kind == SlotKind::kRelationshipList) {
        return Status::SyntaxError("variable '" + node.variable + "' is a relationship, not a node",
                                   node.variable_pos);
      }
      return it->second;
    }
    int slot = NewSlot(node.variable, SlotKind::kNode, false);
    scope_.emplace(node.variable, slot);
    return slot;
  }

  Result<int> DeclareRel(const ast::RelPattern& rel, std::set<std::string>* rels_in_match) {
    SlotKind kind = rel.var_length ? SlotKind::kRelationshipList : SlotKind::kRelationship;
    if (rel.variable.empty()) {
      return NewSlot("_anon" + std::to_string(anon_count_++), kind, true);
    }
    auto it = scope_.find(rel.variable);
    if (it != scope_.end()) {
      if (out_.slots[it->second].kind == SlotKind::kNode) {
        return Status::SyntaxError("variable '" + rel.variable + "' is a node, not a relationship",
                                   rel.variable_pos);
      }
      if (rels_in_match->count(rel.variable) > 0) {
        return Status::SyntaxError(
            "relationship variable '" + rel.variable + "' is used more than once in the pattern",
            rel.variable_pos);
      }
      if (out_.slots[it->second].kind != SlotKind::kRelationship || rel.var_length) {
        return Status::NotSupported("reusing variable-length relationship variable '" +
                                    rel.variable + "' is not supported yet" + At(rel.variable_pos));
      }
      rels_in_match->insert(rel.variable);
      return it->second;  // bound earlier: the planner expands only along that edge
    }
    rels_in_match->insert(rel.variable);
    int slot = NewSlot(rel.variable, kind, false);
    scope_.emplace(rel.variable, slot);
    return slot;
  }

  Status BindHops(const ast::RelPattern& rel, BoundRel* out) {
    out->var_length = rel.var_length;
    if (!rel.var_length) return Status::OK();
    int64_t min = rel.min_hops.value_or(1);
    std::optional<int64_t> max = rel.max_hops;
    if (!rel.has_range_dots && rel.min_hops) max = rel.min_hops;  // `*2` = exactly 2
    // A lower bound above the upper bound (`*2..1`) is valid and matches nothing: the walk
    // never reaches min_hops within max_hops.
    if (min > max_var_hops_) {
      return Status::SyntaxError("variable-length lower bound " + std::to_string(min) +
                                     " exceeds the maximum of " + std::to_string(max_var_hops_) +
                                     " hops",
                                 rel.pos);
    }
    if (!max || *max > max_var_hops_) {
      Warn("variable-length relationship" + At(rel.pos) + (max ? " upper bound " : " unbounded") +
           (max ? std::to_string(*max) : "") +
           " clamped to max_var_hops = " + std::to_string(max_var_hops_));
      out_.var_hops_clamped = true;
      max = max_var_hops_;
    }
    out->min_hops = min;
    out->max_hops = *max;
    return Status::OK();
  }

  Status BindMatch(const ast::MatchClause& m, BoundMatch* out) {
    out->optional = m.optional;
    std::set<std::string> rels_in_match;
    // Declare every variable first, so property maps may refer to any of them.
    for (const auto& part : m.patterns) {
      BoundPattern pattern;
      for (size_t i = 0; i < part.nodes.size(); ++i) {
        KG_ASSIGN_OR_RETURN(int slot, DeclareNode(part.nodes[i]));
        pattern.node_slots.push_back(slot);
        if (i < part.rels.size()) {
          BoundRel rel;
          KG_ASSIGN_OR_RETURN(rel.slot, DeclareRel(part.rels[i], &rels_in_match));
          rel.pos = part.rels[i].pos;
          rel.direction = part.rels[i].direction;
          pattern.rels.push_back(std::move(rel));
        }
      }
      if (!part.path_variable.empty()) {
        if (scope_.count(part.path_variable) > 0) {
          return Status::SyntaxError("variable '" + part.path_variable + "' is already defined",
                                     part.pos);
        }
        auto path = MakeExpr(BoundExprKind::kPath, part.pos, part.path_variable);
        for (size_t i = 0; i < pattern.node_slots.size(); ++i) {
          if (i > 0) {
            const int r = pattern.rels[i - 1].slot;
            path->children.push_back(MakeSlot(r, out_.slots[r].name, part.pos));
          }
          const int n = pattern.node_slots[i];
          path->children.push_back(MakeSlot(n, out_.slots[n].name, part.pos));
        }
        pattern.path_slot = NewSlot(part.path_variable, SlotKind::kValue, false);
        scope_.emplace(part.path_variable, pattern.path_slot);
        pattern.path_expr = std::move(path);
      }
      out->patterns.push_back(std::move(pattern));
    }
    // Constraints.
    Env env;
    env.clause = "MATCH";
    for (size_t p = 0; p < m.patterns.size(); ++p) {
      const auto& part = m.patterns[p];
      BoundPattern& pattern = out->patterns[p];
      for (size_t i = 0; i < part.nodes.size(); ++i) {
        const ast::NodePattern& node = part.nodes[i];
        const int slot = pattern.node_slots[i];
        const std::string& var = out_.slots[slot].name;
        if (!node.label_groups.empty()) {
          auto pred = MakeExpr(BoundExprKind::kHasLabels, node.pos,
                               var + ast::LabelGroupsToString(node.label_groups));
          KG_ASSIGN_OR_RETURN(pred->label_groups, ResolveLabelGroups(node.label_groups));
          pred->children.push_back(MakeSlot(slot, var, node.pos));
          out->predicates.push_back(std::move(pred));
        }
        for (const auto& [key, value_expr] : node.properties) {
          KG_ASSIGN_OR_RETURN(BoundExprPtr value, BindExpr(*value_expr, env));
          out->predicates.push_back(PropertyEquals(slot, var, key, std::move(value), node.pos));
        }
      }
      for (size_t i = 0; i < part.rels.size(); ++i) {
        const ast::RelPattern& rel = part.rels[i];
        BoundRel& bound = pattern.rels[i];
        if (!rel.types.empty()) {
          bound.any_type = false;
          for (const auto& name : rel.types) {
            KG_ASSIGN_OR_RETURN(std::optional<storage::EdgeTypeId> id, ResolveType(name));
            if (id && std::find(bound.types.begin(), bound.types.end(), *id) == bound.types.end()) {
              bound.types.push_back(*id);
            }
          }
        }
        KG_RETURN_IF_ERROR(BindHops(rel, &bound));
        for (const auto& [key, value_expr] : rel.properties) {
          KG_ASSIGN_OR_RETURN(BoundExprPtr value, BindExpr(*value_expr, env));
          if (!rel.var_length) {
            // `r.key = value`, placed by the planner once everything it reads is bound.
            const int slot = bound.slot;
            const std::string& var = out_.slots[slot].name;
            out->predicates.push_back(PropertyEquals(slot, var, key, std::move(value), rel.pos));
            continue;
          }
          // Applies to every edge of the path, so it is evaluated before the walk.
          std::vector<int> slots;
          value->CollectSlots(&slots);
          if (!slots.empty()) {
            return Status::NotSupported(
                "property values of a variable-length relationship must be literals or "
                "parameters" +
                At(value_expr->pos));
          }
          bound.properties.emplace_back(key, std::move(value));
        }
      }
    }
    if (m.where) {
      env.clause = "WHERE";
      KG_ASSIGN_OR_RETURN(BoundExprPtr where, BindExpr(*m.where, env));
      SplitConjuncts(std::move(where), &out->predicates);
    }
    return Status::OK();
  }

  Result<BoundExprPtr> BindAggregate(const Expr& e, Env& env) {
    if (!env.allow_aggregates) {
      return Status::SyntaxError(
          "aggregate function '" + e.text + "' is not allowed in " + std::string(env.clause),
          e.pos);
    }
    if (env.in_aggregate) {
      return Status::SyntaxError("aggregate functions cannot be nested: " + e.text, e.pos);
    }
    BoundAggregate agg;
    agg.text = e.ToString();
    if (e.kind == ExprKind::kCountStar) {
      agg.kind = functions::AggregateKind::kCountStar;
    } else {
      agg.kind = *functions::FindAggregate(e.name);
      agg.distinct = e.distinct;
      if (e.children.size() != 1) {
        return Status::SyntaxError(std::string(functions::AggregateName(agg.kind)) +
                                       "() expects 1 argument, got " +
                                       std::to_string(e.children.size()),
                                   e.pos);
      }
      Env inner = env;
      inner.in_aggregate = true;
      KG_ASSIGN_OR_RETURN(agg.arg, BindExpr(*e.children[0], inner));
    }
    agg.slot = NewSlot(agg.text, SlotKind::kValue, false);
    aggregate_slots_.insert(agg.slot);
    auto ref = MakeSlot(agg.slot, agg.text, e.pos);
    projection_->aggregates.push_back(std::move(agg));
    return ref;
  }

  Result<BoundExprPtr> BindFunction(const Expr& e, Env& env) {
    if (functions::FindAggregate(e.name)) return BindAggregate(e, env);
    const functions::ScalarFunction* fn = functions::FindScalarFunction(e.name);
    if (fn == nullptr) {
      if (functions::IsKnownUnsupportedFunction(e.name)) {
        return Status::NotSupported("function '" + e.name + "' is not supported yet" + At(e.pos));
      }
      std::string msg = "unknown function '" + e.name + "'";
      auto close = functions::ClosestFunctionNames(e.name, 1);
      if (!close.empty()) msg += "; did you mean '" + close[0] + "'?";
      return Status::SyntaxError(msg, e.pos);
    }
    if (e.distinct) {
      return Status::SyntaxError("DISTINCT is only allowed in aggregate functions", e.pos);
    }
    const int n = static_cast<int>(e.children.size());
    if (n < fn->min_args || (fn->max_args >= 0 && n > fn->max_args)) {
      std::string expected =
          fn->min_args == fn->max_args ? std::to_string(fn->min_args)
          : fn->max_args < 0           ? "at least " + std::to_string(fn->min_args)
                             : std::to_string(fn->min_args) + " to " + std::to_string(fn->max_args);
      return Status::SyntaxError(std::string(fn->name) + "() expects " + expected + " argument" +
                                     (expected == "1" ? "" : "s") + ", got " + std::to_string(n),
                                 e.pos);
    }
    auto out = MakeExpr(BoundExprKind::kFunction, e.pos, e.ToString());
    out->function = fn;
    for (const auto& c : e.children) {
      KG_ASSIGN_OR_RETURN(BoundExprPtr arg, BindExpr(*c, env));
      out->children.push_back(std::move(arg));
    }
    return out;
  }

  Result<BoundExprPtr> BindVariable(const Expr& e, Env& env) {
    for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
      if (it->first == e.name) return MakeSlot(it->second, e.name, e.pos);
    }
    if (env.aliases != nullptr) {
      auto it = env.aliases->find(e.name);
      if (it != env.aliases->end()) return MakeSlot(it->second, e.name, e.pos);
    }
    auto it = scope_.find(e.name);
    if (it != scope_.end()) {
      if (!env.allow_match_variables) {
        return Status::SyntaxError("variable '" + e.name + "' is not available in " +
                                       std::string(env.clause) +
                                       " after DISTINCT or aggregation; return it or use a "
                                       "returned column",
                                   e.pos);
      }
      return MakeSlot(it->second, e.name, e.pos);
    }
    std::string msg = "unknown variable '" + e.name + "'";
    size_t best = std::max<size_t>(2, e.name.size() / 3) + 1;
    std::string suggestion;
    for (const auto& [name, slot] : scope_) {
      size_t d = schema::EditDistance(e.name, name);
      if (d < best) {
        best = d;
        suggestion = name;
      }
    }
    if (!suggestion.empty()) msg += "; did you mean '" + suggestion + "'?";
    return Status::SyntaxError(msg, e.pos);
  }

  Result<BoundExprPtr> BindExpr(const Expr& e, Env& env) {
    if (env.item_texts != nullptr) {
      auto it = env.item_texts->find(e.ToString());
      if (it != env.item_texts->end()) return MakeSlot(it->second, e.text, e.pos);
    }
    switch (e.kind) {
      case ExprKind::kLiteral:
        return MakeConstant(e.literal, e.pos);
      case ExprKind::kParameter: {
        auto it = params_.find(e.name);
        if (it == params_.end()) {
          return Status::SyntaxError("missing parameter $" + e.name, e.pos);
        }
        return MakeConstant(it->second, e.pos);
      }
      case ExprKind::kVariable:
        return BindVariable(e, env);
      case ExprKind::kCountStar:
        return BindAggregate(e, env);
      case ExprKind::kFunctionCall:
        if (schema::ToLowerAscii(e.name) == "exists" && e.children.size() == 1) {
          return BindExists(e, env);
        }
        return BindFunction(e, env);
      case ExprKind::kListComprehension:
      case ExprKind::kQuantifier:
        return BindComprehension(e, env);
      case ExprKind::kPatternPredicate:
        return BindPatternPredicate(e, env);
      case ExprKind::kMapProjection: {
        auto out = MakeExpr(BoundExprKind::kMapProjection, e.pos, e.ToString());
        out->map_keys = e.map_keys;
        out->map_all = e.map_all;
        for (const auto& c : e.children) {
          KG_ASSIGN_OR_RETURN(BoundExprPtr child, BindExpr(*c, env));
          out->children.push_back(std::move(child));
        }
        return out;
      }
      default:
        break;
    }
    BoundExprKind kind;
    switch (e.kind) {
      case ExprKind::kProperty:
        kind = BoundExprKind::kProperty;
        break;
      case ExprKind::kIndex:
        kind = BoundExprKind::kIndex;
        break;
      case ExprKind::kHasLabels:
        kind = BoundExprKind::kHasLabels;
        break;
      case ExprKind::kList:
        kind = BoundExprKind::kList;
        break;
      case ExprKind::kMap:
        kind = BoundExprKind::kMap;
        break;
      case ExprKind::kNot:
        kind = BoundExprKind::kNot;
        break;
      case ExprKind::kNegate:
        kind = BoundExprKind::kNegate;
        break;
      case ExprKind::kBinary:
        kind = BoundExprKind::kBinary;
        break;
      case ExprKind::kIsNull:
        kind = BoundExprKind::kIsNull;
        break;
      case ExprKind::kIsNotNull:
        kind = BoundExprKind::kIsNotNull;
        break;
      case ExprKind::kCase:
        kind = BoundExprKind::kCase;
        break;
      default:
        return Status::Internal("binder: unexpected expression kind");
    }
    auto out = MakeExpr(kind, e.pos, e.ToString());
    out->key = e.name;
    out->op = e.op;
    out->map_keys = e.map_keys;
    out->case_has_subject = e.case_has_subject;
    out->case_has_else = e.case_has_else;
    bool all_constant = true;
    for (const auto& c : e.children) {
      KG_ASSIGN_OR_RETURN(BoundExprPtr child, BindExpr(*c, env));
      all_constant = all_constant && child->kind == BoundExprKind::kConstant;
      out->children.push_back(std::move(child));
    }
    if (kind == BoundExprKind::kHasLabels) {
      KG_ASSIGN_OR_RETURN(out->label_groups, ResolveLabelGroups(e.label_groups));
    }
    // Fold constant lists and maps (lets the planner use `n.name IN ['a', 'b']`).
    if (all_constant && kind == BoundExprKind::kList) {
      ValueList values;
      for (const auto& c : out->children) values.push_back(c->constant);
      return MakeConstant(Value(std::move(values)), e.pos);
    }
    if (all_constant && kind == BoundExprKind::kMap) {
      ValueMap values;
      for (size_t i = 0; i < out->children.size(); ++i) {
        values[out->map_keys[i]] = out->children[i]->constant;
      }
      return MakeConstant(Value(std::move(values)), e.pos);
    }
    if (kind == BoundExprKind::kBinary && e.op == ast::BinaryOp::kRegexMatch &&
        out->children[1]->kind == BoundExprKind::kConstant &&
        out->children[1]->constant.is_string()) {
      RE2::Options options;
      options.set_log_errors(false);
      RE2 re(out->children[1]->constant.as_string(), options);
      if (!re.ok()) {
        return Status::SyntaxError("invalid regular expression " +
                                       out->children[1]->constant.DebugString() + ": " + re.error(),
                                   e.children[1]->pos);
      }
    }
    return out;
  }

  // exists(pattern) is the pattern predicate; exists(x.prop) is x.prop IS NOT NULL.
  Result<BoundExprPtr> BindExists(const Expr& e, Env& env) {
    const Expr& arg = *e.children[0];
    if (arg.kind == ExprKind::kPatternPredicate) return BindPatternPredicate(arg, env);
    if (arg.kind != ExprKind::kProperty) {
      return Status::SyntaxError("exists() expects a pattern or a property, got " + arg.text,
                                 arg.pos);
    }
    auto out = MakeExpr(BoundExprKind::kIsNotNull, e.pos, e.ToString());
    KG_ASSIGN_OR_RETURN(BoundExprPtr child, BindExpr(arg, env));
    out->children.push_back(std::move(child));
    return out;
  }

  // [x IN list WHERE p | e] and any/all/none/single(x IN list WHERE p): x is a fresh local slot
  // visible only inside.
  Result<BoundExprPtr> BindComprehension(const Expr& e, Env& env) {
    const bool quantifier = e.kind == ExprKind::kQuantifier;
    auto out = MakeExpr(quantifier ? BoundExprKind::kQuantifier : BoundExprKind::kListComprehension,
                        e.pos, e.ToString());
    out->key = e.name;
    out->has_where = e.has_where;
    out->has_projection = e.has_projection;
    KG_ASSIGN_OR_RETURN(BoundExprPtr list, BindExpr(*e.children[0], env));
    out->children.push_back(std::move(list));
    out->slot = NewSlot(e.variable, SlotKind::kValue, false);
    locals_.emplace_back(e.variable, out->slot);
    Env inner = env;
    inner.item_texts = nullptr;
    for (size_t i = 1; i < e.children.size(); ++i) {
      auto child = BindExpr(*e.children[i], inner);
      if (!child.ok()) {
        locals_.pop_back();
        return child.status();
      }
      out->children.push_back(std::move(child).value());
    }
    locals_.pop_back();
    return out;
  }

  Result<std::vector<std::pair<std::string, BoundExprPtr>>> BindPropertyMap(
      const ast::PropertyMap& props, Env& env) {
    std::vector<std::pair<std::string, BoundExprPtr>> out;
    for (const auto& [key, value] : props) {
      KG_ASSIGN_OR_RETURN(BoundExprPtr v, BindExpr(*value, env));
      out.emplace_back(key, std::move(v));
    }
    return out;
  }

  // A pattern as a predicate: its named variables must be bound already.
  Result<BoundExprPtr> BindPatternPredicate(const Expr& e, Env& env) {
    const ast::PatternPart& part = *e.pattern;
    if (!part.path_variable.empty()) {
      return Status::SyntaxError("a pattern predicate cannot declare a path variable", part.pos);
    }
    auto pattern = std::make_shared<BoundPatternPredicate>();
    auto lookup = [&](const std::string& name, const TextPosition& pos) -> Result<int> {
      Expr var;
      var.kind = ExprKind::kVariable;
      var.name = name;
      var.text = name;
      var.pos = pos;
      auto bound = BindVariable(var, env);
      if (!bound.ok()) {
        return Status::SyntaxError("variable '" + name +
                                       "' in a pattern predicate must be bound earlier in the "
                                       "query (a pattern predicate cannot introduce variables)",
                                   pos);
      }
      return (*bound)->slot;
    };
    for (const auto& node : part.nodes) {
      PredicateNode n;
      if (!node.variable.empty()) {
        KG_ASSIGN_OR_RETURN(n.slot, lookup(node.variable, node.variable_pos));
      }
      KG_ASSIGN_OR_RETURN(n.labels, ResolveLabelGroups(node.label_groups));
      KG_ASSIGN_OR_RETURN(n.properties, BindPropertyMap(node.properties, env));
      pattern->nodes.push_back(std::move(n));
    }
    for (const auto& rel : part.rels) {
      PredicateRel r;
      if (!rel.variable.empty()) {
        KG_ASSIGN_OR_RETURN(r.slot, lookup(rel.variable, rel.variable_pos));
      }
      if (!rel.types.empty()) {
        r.any_type = false;
        for (const auto& name : rel.types) {
          KG_ASSIGN_OR_RETURN(std::optional<storage::EdgeTypeId> id, ResolveType(name));
          if (id) r.types.push_back(*id);
        }
      }
      r.direction = rel.direction;
      BoundRel hops;
      KG_RETURN_IF_ERROR(BindHops(rel, &hops));
      r.var_length = hops.var_length;
      r.min_hops = hops.min_hops;
      r.max_hops = hops.max_hops;
      KG_ASSIGN_OR_RETURN(r.properties, BindPropertyMap(rel.properties, env));
      pattern->rels.push_back(std::move(r));
    }
    auto out = MakeExpr(BoundExprKind::kPatternPredicate, e.pos, e.text);
    out->pattern = std::move(pattern);
    return out;
  }

  // CALL db.search(text [, limit]) YIELD node, score [WHERE ...].
  Status BindCall(const ast::CallClause& c, BoundCall* out) {
    out->procedure = schema::ToLowerAscii(c.procedure);
    if (out->procedure != "db.search") {
      return Status::NotSupported("procedure '" + c.procedure +
                                  "' is not supported (known: db.search)" + At(c.pos));
    }
    if (c.args.empty() || c.args.size() > 2) {
      return Status::SyntaxError("db.search expects (text) or (text, limit), got " +
                                     std::to_string(c.args.size()) + " arguments",
                                 c.pos);
    }
    Env env;
    env.clause = "CALL";
    for (const auto& a : c.args) {
      KG_ASSIGN_OR_RETURN(BoundExprPtr arg, BindExpr(*a, env));
      out->args.push_back(std::move(arg));
    }
    std::vector<std::pair<std::string, std::string>> yields = c.yields;
    if (yields.empty()) yields = {{"node", ""}, {"score", ""}};
    for (const auto& [field, alias] : yields) {
      const std::string name = alias.empty() ? field : alias;
      if (field != "node" && field != "score") {
        return Status::SyntaxError("db.search yields 'node' and 'score', not '" + field + "'",
                                   c.pos);
      }
      int& slot = field == "node" ? out->node_slot : out->score_slot;
      if (slot >= 0) return Status::SyntaxError("'" + field + "' is yielded twice", c.pos);
      if (scope_.count(name) > 0) {
        return Status::SyntaxError("variable '" + name + "' is already defined", c.pos);
      }
      slot = NewSlot(name, field == "node" ? SlotKind::kNode : SlotKind::kValue, false);
      scope_.emplace(name, slot);
    }
    if (c.where) {
      env.clause = "WHERE";
      KG_ASSIGN_OR_RETURN(BoundExprPtr where, BindExpr(*c.where, env));
      SplitConjuncts(std::move(where), &out->where);
    }
    return Status::OK();
  }

  // CREATE: new nodes get fresh slots; relationships need one type and a direction.
  Status BindCreate(const ast::CreateClause& c, BoundCreate* out) {
    Env env;
    env.clause = "CREATE";
    std::map<int, int> index_of_slot;  // slot -> index in out->nodes
    for (const auto& part : c.patterns) {
      if (!part.path_variable.empty()) {
        return Status::NotSupported("path variables in CREATE are not supported yet" +
                                    At(part.pos));
      }
      std::vector<int> indexes;
      for (const auto& node : part.nodes) {
        auto it = node.variable.empty() ? scope_.end() : scope_.find(node.variable);
        if (it != scope_.end()) {
          if (out_.slots[it->second].kind != SlotKind::kNode &&
              out_.slots[it->second].kind != SlotKind::kValue) {
            return Status::SyntaxError("variable '" + node.variable + "' is not a node",
                                       node.variable_pos);
          }
          if (!node.label_groups.empty() || !node.properties.empty()) {
            return Status::SyntaxError("variable '" + node.variable +
                                           "' is already bound; CREATE cannot add labels or "
                                           "properties to it",
                                       node.variable_pos);
          }
          auto known = index_of_slot.find(it->second);
          if (known == index_of_slot.end()) {
            CreateNode n;
            n.slot = it->second;
            n.create = false;
            known = index_of_slot.emplace(it->second, static_cast<int>(out->nodes.size())).first;
            out->nodes.push_back(std::move(n));
          }
          indexes.push_back(known->second);
          continue;
        }
        CreateNode n;
        for (const auto& group : node.label_groups) {
          if (group.size() != 1) {
            return Status::SyntaxError("CREATE needs plain labels (no '|')", node.pos);
          }
          n.labels.push_back(group[0]);
        }
        KG_ASSIGN_OR_RETURN(n.properties, BindPropertyMap(node.properties, env));
        if (node.variable.empty()) {
          n.slot = NewSlot("_anon" + std::to_string(anon_count_++), SlotKind::kValue, true);
        } else {
          n.slot = NewSlot(node.variable, SlotKind::kValue, false);
          scope_.emplace(node.variable, n.slot);
        }
        index_of_slot.emplace(n.slot, static_cast<int>(out->nodes.size()));
        indexes.push_back(static_cast<int>(out->nodes.size()));
        out->nodes.push_back(std::move(n));
      }
      for (size_t i = 0; i < part.rels.size(); ++i) {
        const ast::RelPattern& rel = part.rels[i];
        if (rel.types.size() != 1) {
          return Status::SyntaxError("a relationship in CREATE needs exactly one type", rel.pos);
        }
        if (rel.direction == ast::RelDirection::kBoth) {
          return Status::SyntaxError("a relationship in CREATE needs a direction", rel.pos);
        }
        if (rel.var_length) {
          return Status::SyntaxError("a relationship in CREATE cannot have variable length",
                                     rel.pos);
        }
        CreateRel r;
        r.type = rel.types[0];
        const bool right = rel.direction == ast::RelDirection::kRight;
        r.src = indexes[right ? i : i + 1];
        r.dst = indexes[right ? i + 1 : i];
        KG_ASSIGN_OR_RETURN(r.properties, BindPropertyMap(rel.properties, env));
        if (rel.variable.empty()) {
          r.slot = NewSlot("_anon" + std::to_string(anon_count_++), SlotKind::kValue, true);
        } else {
          if (scope_.count(rel.variable) > 0) {
            return Status::SyntaxError("variable '" + rel.variable + "' is already defined",
                                       rel.variable_pos);
          }
          r.slot = NewSlot(rel.variable, SlotKind::kValue, false);
          scope_.emplace(rel.variable, r.slot);
        }
        out->rels.push_back(std::move(r));
      }
    }
    return Status::OK();
  }

  bool ReadsVariableSlot(const BoundExpr& e) const {
    std::vector<int> slots;
    e.CollectSlots(&slots);
    for (int s : slots) {
      if (aggregate_slots_.count(s) == 0) return true;
    }
    return false;
  }

  Result<int64_t> BindCount(const Expr& e, std::string_view clause) {
    Env env;
    env.clause = clause;
    env.allow_match_variables = false;
    auto bound = BindExpr(e, env);
    if (bound.ok() && (*bound)->kind == BoundExprKind::kConstant && (*bound)->constant.is_int() &&
        (*bound)->constant.as_int() >= 0) {
      return (*bound)->constant.as_int();
    }
    if (!bound.ok() && (!bound.status().IsInvalidArgument() ||
                        bound.status().message().rfind("missing parameter", 0) == 0)) {
      return bound.status();
    }
    return Status::SyntaxError(
        std::string(clause) + " expects a non-negative integer literal or parameter, got " + e.text,
        e.pos);
  }

  // UNWIND expr AS v: v is a new value variable.
  Status BindUnwind(const ast::UnwindClause& u, BoundUnwind* out) {
    Env env;
    env.clause = "UNWIND";
    KG_ASSIGN_OR_RETURN(out->expr, BindExpr(*u.expr, env));
    if (scope_.count(u.variable) > 0) {
      return Status::SyntaxError("variable '" + u.variable + "' is already defined",
                                 u.variable_pos);
    }
    out->variable = u.variable;
    out->slot = NewSlot(u.variable, SlotKind::kValue, false);
    scope_.emplace(u.variable, out->slot);
    return Status::OK();
  }

  // RETURN, or the projection of WITH (`is_with`): after a WITH only its columns are in scope.
  Status BindProjection(const ast::ReturnClause& ret, bool is_with, BoundReturn* target) {
    BoundReturn& out = *target;
    projection_ = target;
    aggregate_slots_.clear();
    const char* clause_name = is_with ? "WITH" : "RETURN";
    out.distinct = ret.distinct;
    // `*` = every named variable in scope, in order of declaration.
    std::vector<ast::ReturnItem> star_items;
    if (ret.star) {
      std::vector<std::pair<int, std::string>> named;
      for (const auto& [name, slot] : scope_) named.emplace_back(slot, name);
      std::sort(named.begin(), named.end());
      for (const auto& [slot, name] : named) {
        ast::ReturnItem item;
        item.expr = std::make_unique<Expr>();
        item.expr->kind = ExprKind::kVariable;
        item.expr->name = name;
        item.expr->text = name;
        item.expr->pos = ret.pos;
        star_items.push_back(std::move(item));
      }
      if (star_items.empty() && !is_with) {
        return Status::SyntaxError("RETURN * needs at least one named variable", ret.pos);
      }
    }
    const std::vector<ast::ReturnItem>& items = ret.star ? star_items : ret.items;
    if (is_with) {
      for (const auto& item : items) {
        if (item.alias.empty() && item.expr->kind != ExprKind::kVariable) {
          return Status::SyntaxError(
              "expression '" + item.expr->text + "' in WITH must be aliased (use AS)",
              item.expr->pos);
        }
      }
    }

    std::set<std::string> names;
    std::map<std::string, int, std::less<>> aliases;
    std::map<std::string, int, std::less<>> item_texts;
    for (const auto& item : items) {
      Env env;
      env.clause = clause_name;
      env.allow_aggregates = true;
      const size_t aggregates_before = out.aggregates.size();
      KG_ASSIGN_OR_RETURN(BoundExprPtr expr, BindExpr(*item.expr, env));
      const bool aggregating = out.aggregates.size() > aggregates_before;
      if (aggregating && ReadsVariableSlot(*expr)) {
        return Status::SyntaxError(
            std::string(clause_name) + " item '" + item.expr->text +
                "' mixes an aggregate with a non-aggregated value; return that value as its own "
                "column (it becomes a grouping key)",
            item.expr->pos);
      }
      std::string name = !item.alias.empty()                      ? item.alias
                         : item.expr->kind == ExprKind::kVariable ? item.expr->name
                                                                  : item.expr->text;
      if (!names.insert(name).second) {
        return Status::SyntaxError("duplicate column name '" + name + "'",
                                   item.alias.empty() ? item.expr->pos : item.alias_pos);
      }
      ReturnColumn column;
      column.name = name;
      // A projected node or relationship variable stays one (a later MATCH may use it).
      SlotKind kind = SlotKind::kValue;
      if (expr->kind == BoundExprKind::kSlot && !aggregating) kind = out_.slots[expr->slot].kind;
      column.slot = NewSlot(name, kind, false);
      column.expr = std::move(expr);
      column.aggregating = aggregating;
      out.aggregating = out.aggregating || aggregating;
      if (!item.alias.empty()) {
        aliases[item.alias] = column.slot;
      } else if (item.expr->kind == ExprKind::kVariable) {
        aliases[item.expr->name] = column.slot;
      }
      item_texts.emplace(item.expr->ToString(), column.slot);
      out.columns.push_back(std::move(column));
    }

    for (const auto& sort : ret.order_by) {
      Env env;
      env.clause = "ORDER BY";
      env.allow_match_variables = !out.distinct && !out.aggregating;
      env.aliases = &aliases;
      env.item_texts = &item_texts;
      BoundSortKey key;
      auto bound = BindExpr(*sort.expr, env);
      if (!bound.ok() &&
          bound.status().message().find("is not allowed in ORDER BY") != std::string::npos) {
        return Status::SyntaxError("aggregate '" + sort.expr->text +
                                       "' in ORDER BY must also be returned (e.g. RETURN ... AS "
                                       "n ORDER BY n)",
                                   sort.expr->pos);
      }
      if (!bound.ok()) return bound.status();
      key.expr = std::move(bound).value();
      key.descending = sort.descending;
      out.order_by.push_back(std::move(key));
    }
    if (ret.skip) {
      KG_ASSIGN_OR_RETURN(out.skip, BindCount(*ret.skip, "SKIP"));
    }
    if (ret.limit) {
      KG_ASSIGN_OR_RETURN(int64_t limit, BindCount(*ret.limit, "LIMIT"));
      out.limit = limit;
    }
    if (is_with) {
      // WHERE sees the columns and, like ORDER BY, the incoming variables (without DISTINCT
      // or aggregation); it is evaluated on the projected row, which still holds them.
      if (ret.where) {
        Env env;
        env.clause = "WHERE";
        env.allow_match_variables = !out.distinct && !out.aggregating;
        env.aliases = &aliases;
        env.item_texts = &item_texts;
        KG_ASSIGN_OR_RETURN(BoundExprPtr where, BindExpr(*ret.where, env));
        SplitConjuncts(std::move(where), &out.where);
      }
      scope_.clear();
      for (const auto& c : out.columns) scope_.emplace(c.name, c.slot);
    }
    return Status::OK();
  }

  storage::GraphStore& store_;
  const ValueMap& params_;
  const int64_t max_var_hops_;
  BoundQuery out_;
  std::map<std::string, int, std::less<>> scope_;  // variable name -> slot
  std::set<int> aggregate_slots_;                  // aggregate slots of the projection being bound
  BoundReturn* projection_ = nullptr;  // the projection whose aggregates are being bound
  std::set<std::string> warned_;
  std::vector<std::pair<std::string, int>> locals_;  // comprehension variables, innermost last
  std::optional<std::vector<std::string>> known_labels_;
  std::optional<std::vector<std::string>> known_types_;
  int anon_count_ = 0;
};

std::string SlotKindName(SlotKind kind) {
  switch (kind) {
    case SlotKind::kNode:
      return "node";
    case SlotKind::kRelationship:
      return "relationship";
    case SlotKind::kRelationshipList:
      return "relationship list";
    case SlotKind::kValue:
      return "value";
  }
  return "?";
}

std::string ProjectionToString(const char* clause, const BoundReturn& ret) {
  std::string out = std::string(clause) + (ret.distinct ? " DISTINCT" : "");
  for (const auto& c : ret.columns) {
    out += " " + c.expr->text + " AS " + c.name + " -> #" + std::to_string(c.slot);
  }
  out += "\n";
  for (const auto& pred : ret.where) out += "  WHERE " + pred->text + "\n";
  return out;
}

}  // namespace

std::string BoundQuery::ToString() const {
  std::string out = "slots:";
  for (size_t i = 0; i < slots.size(); ++i) {
    out += " #" + std::to_string(i) + "=" + slots[i].name + "(" + SlotKindName(slots[i].kind) + ")";
  }
  out += "\n";
  for (const auto& c : clauses) {
    if (c.kind == ast::Clause::Kind::kUnwind) {
      out += "UNWIND " + c.unwind.expr->text + " AS " + c.unwind.variable + " -> #" +
             std::to_string(c.unwind.slot) + "\n";
      continue;
    }
    if (c.kind == ast::Clause::Kind::kWith) {
      out += ProjectionToString("WITH", c.with);
      continue;
    }
    if (c.kind == ast::Clause::Kind::kCall) {
      out += "CALL " + c.call.procedure + " -> node #" + std::to_string(c.call.node_slot) +
             ", score #" + std::to_string(c.call.score_slot) + "\n";
      for (const auto& pred : c.call.where) out += "  WHERE " + pred->text + "\n";
      continue;
    }
    if (c.kind == ast::Clause::Kind::kCreate) {
      out += "CREATE";
      for (const auto& n : c.create.nodes) {
        out += " #" + std::to_string(n.slot) + (n.create ? "(new)" : "(bound)");
      }
      for (const auto& r : c.create.rels) out += " -" + r.type + "->";
      out += "\n";
      continue;
    }
    const BoundMatch& m = c.match;
    out += m.optional ? "OPTIONAL MATCH" : "MATCH";
    for (const auto& p : m.patterns) {
      out += " [";
      for (size_t i = 0; i < p.node_slots.size(); ++i) {
        if (i > 0) {
          const BoundRel& r = p.rels[i - 1];
          out += " -#" + std::to_string(r.slot);
          if (r.var_length) {
            out += "*" + std::to_string(r.min_hops) + ".." + std::to_string(r.max_hops);
          }
          out += "- ";
        }
        out += "#" + std::to_string(p.node_slots[i]);
      }
      out += "]";
    }
    out += "\n";
    for (const auto& pred : m.predicates) out += "  WHERE " + pred->text + "\n";
  }
  if (!has_return) return out;
  return out + ProjectionToString("RETURN", ret);
}

Result<BoundQuery> Bind(const ast::Query& query, storage::GraphStore& store, const ValueMap& params,
                        int64_t max_var_hops) {
  return Binder(store, params, max_var_hops).Run(query);
}

}  // namespace kg::query::bind

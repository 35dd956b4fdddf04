#include "query/plan/planner.h"

#include <algorithm>
#include <limits>
#include <list>
#include <set>
#include <tuple>

#include "common/schema.h"
#include "query/plan/logical_create.h"
#include "query/plan/logical_optional.h"
#include "query/plan/logical_search.h"
#include "query/plan/logical_unwind.h"

namespace kg::query::plan {
namespace {

using bind::BoundExpr;
using bind::BoundExprKind;

// The names of the `name` property a predicate pins node `slot` to, if it is usable by the
// label+name index: `slot.name = 'x'`, `'x' = slot.name`, `slot.name IN ['x', 'y']`, and
// (case_insensitive) `toLower(slot.name) = 'x'`.
struct NameConstraint {
  std::vector<std::string> names;
  bool case_insensitive = false;
};

bool IsPropertyOf(const BoundExpr& e, int slot, std::string_view key) {
  return e.kind == BoundExprKind::kProperty && e.key == key &&
         e.children[0]->kind == BoundExprKind::kSlot && e.children[0]->slot == slot;
}

bool IsNameProperty(const BoundExpr& e, int slot) { return IsPropertyOf(e, slot, "name"); }

// `slot.id` or `id(slot)`: both are the node's string id.
bool IsIdOf(const BoundExpr& e, int slot) {
  if (IsPropertyOf(e, slot, "id")) return true;
  return e.kind == BoundExprKind::kFunction && e.function != nullptr && e.function->name == "id" &&
         e.children.size() == 1 && e.children[0]->kind == BoundExprKind::kSlot &&
         e.children[0]->slot == slot;
}

// The string ids a predicate pins node `slot` to: `slot.id = 'x'`, `id(slot) = 'x'`, or either
// `IN ['x', ...]`.
std::optional<std::vector<std::string>> IdConstraintOf(const BoundExpr& p, int slot) {
  if (p.kind != BoundExprKind::kBinary) return std::nullopt;
  const BoundExpr& l = *p.children[0];
  const BoundExpr& r = *p.children[1];
  if (p.op == ast::BinaryOp::kEq) {
    for (auto [prop, value] : {std::pair{&l, &r}, std::pair{&r, &l}}) {
      if (value->kind == BoundExprKind::kConstant && value->constant.is_string() &&
          IsIdOf(*prop, slot)) {
        return std::vector<std::string>{value->constant.as_string()};
      }
    }
    return std::nullopt;
  }
  if (p.op == ast::BinaryOp::kIn && IsIdOf(l, slot) && r.kind == BoundExprKind::kConstant &&
      r.constant.is_list()) {
    std::vector<std::string> ids;
    for (const auto& v : r.constant.as_list()) {
      if (!v.is_string()) return std::nullopt;
      ids.push_back(v.as_string());
    }
    return ids;
  }
  return std::nullopt;
}

// Labels of `slot.A OR slot.B OR ...` (each a single-label test): the node has one of them.
bool CollectOrLabels(const BoundExpr& p, int slot, std::vector<storage::LabelId>* out) {
  if (p.kind == BoundExprKind::kBinary && p.op == ast::BinaryOp::kOr) {
    return CollectOrLabels(*p.children[0], slot, out) && CollectOrLabels(*p.children[1], slot, out);
  }
  if (p.kind != BoundExprKind::kHasLabels || p.children[0]->kind != BoundExprKind::kSlot ||
      p.children[0]->slot != slot || p.label_groups.size() != 1) {
    return false;
  }
  for (auto id : p.label_groups[0]) {
    if (std::find(out->begin(), out->end(), id) == out->end()) out->push_back(id);
  }
  return true;
}

bool IsLowerName(const BoundExpr& e, int slot) {
  return e.kind == BoundExprKind::kFunction && e.function != nullptr &&
         e.function->name == "toLower" && e.children.size() == 1 &&
         IsNameProperty(*e.children[0], slot);
}

std::optional<NameConstraint> NameConstraintOf(const BoundExpr& p, int slot) {
  if (p.kind != BoundExprKind::kBinary) return std::nullopt;
  const BoundExpr& l = *p.children[0];
  const BoundExpr& r = *p.children[1];
  if (p.op == ast::BinaryOp::kEq) {
    for (auto [prop, value] : {std::pair{&l, &r}, std::pair{&r, &l}}) {
      if (value->kind != BoundExprKind::kConstant || !value->constant.is_string()) continue;
      if (IsNameProperty(*prop, slot)) return NameConstraint{{value->constant.as_string()}, false};
      if (IsLowerName(*prop, slot)) return NameConstraint{{value->constant.as_string()}, true};
    }
    return std::nullopt;
  }
  if (p.op == ast::BinaryOp::kIn && IsNameProperty(l, slot) && r.kind == BoundExprKind::kConstant &&
      r.constant.is_list()) {
    NameConstraint out;
    for (const auto& v : r.constant.as_list()) {
      if (!v.is_string()) return std::nullopt;
      if (std::find(out.names.begin(), out.names.end(), v.as_string()) == out.names.end()) {
        out.names.push_back(v.as_string());
      }
    }
    return out;
  }
  return std::nullopt;
}

bool IsLabelPredicateOf(const BoundExpr& p, int slot) {
  return p.kind == BoundExprKind::kHasLabels && p.children[0]->kind == BoundExprKind::kSlot &&
         p.children[0]->slot == slot;
}

// How a pattern could start at one node.
struct ScanChoice {
  LogicalNodeScan::Mode mode = LogicalNodeScan::Mode::kAll;
  std::vector<storage::LabelId> labels;
  std::vector<std::string> names;
  bool case_insensitive = false;
  int64_t line = 0;
  uint64_t cost = 0;
  std::vector<const BoundExpr*> consumed;  // predicates the scan fully enforces
};

// Literal substrings that every match of `pattern` contains (lower-cased), for the trigram
// prefilter of `=~`. Conservative: any construct it does not understand (alternation, classes,
// groups other than a leading flag group, escapes) yields no needles, i.e. no index.
std::vector<std::string> RegexNeedles(std::string_view pattern) {
  if (pattern.substr(0, 4) == "(?i)") pattern.remove_prefix(4);
  std::vector<std::string> needles;
  std::string run;
  auto flush = [&] {
    if (!run.empty()) needles.push_back(schema::ToLowerAscii(run));
    run.clear();
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    const bool literal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '_' || c == ' ' || c == '-' || c == '/' ||
                         c == ':';
    if (literal) {
      run.push_back(c);
      continue;
    }
    if (c == '*' || c == '?' || c == '{') {
      // The previous character is optional or repeated: drop it from the run.
      if (!run.empty()) run.pop_back();
      flush();
      if (c == '{') {
        while (i < pattern.size() && pattern[i] != '}') ++i;
      }
      continue;
    }
    if (c == '+' || c == '.' || c == '^' || c == '$') {
      flush();
      continue;
    }
    return {};  // | ( ) [ ] \ and anything else
  }
  flush();
  return needles;
}

storage::Direction WalkDirection(ast::RelDirection written, bool forward) {
  switch (written) {
    case ast::RelDirection::kRight:
      return forward ? storage::Direction::kOut : storage::Direction::kIn;
    case ast::RelDirection::kLeft:
      return forward ? storage::Direction::kIn : storage::Direction::kOut;
    case ast::RelDirection::kBoth:
      return storage::Direction::kBoth;
  }
  return storage::Direction::kBoth;
}

// The guessed size of a path+label scan: a file's nodes of one label (one for File; more for
// Function). Above the exact indexes (qualified_name 1, at-line 4), below a path prefix (50).
constexpr uint64_t kPathLabelCost = 8;

class Planner {
 public:
  Planner(const bind::BoundQuery& query, storage::GraphStore& store, storage::Snapshot& snapshot)
      : query_(query), store_(store), snapshot_(snapshot) {}

  Result<std::unique_ptr<LogicalOperator>> Run() {
    std::unique_ptr<LogicalOperator> root = std::make_unique<LogicalStart>();
    for (const auto& clause : query_.clauses) {
      switch (clause.kind) {
        case ast::Clause::Kind::kMatch: {
          KG_ASSIGN_OR_RETURN(root, PlanMatchClause(clause.match, std::move(root)));
          break;
        }
        case ast::Clause::Kind::kUnwind: {
          auto unwind = std::make_unique<LogicalUnwind>();
          unwind->expr = clause.unwind.expr.get();
          unwind->slot = clause.unwind.slot;
          unwind->variable = clause.unwind.variable;
          unwind->child = std::move(root);
          root = std::move(unwind);
          bound_.insert(clause.unwind.slot);
          break;
        }
        case ast::Clause::Kind::kCall: {
          auto search = std::make_unique<LogicalSearch>();
          search->call = &clause.call;
          search->child = std::move(root);
          root = std::move(search);
          if (clause.call.node_slot >= 0) bound_.insert(clause.call.node_slot);
          if (clause.call.score_slot >= 0) bound_.insert(clause.call.score_slot);
          if (!clause.call.where.empty()) {
            auto filter = std::make_unique<LogicalFilter>();
            for (const auto& p : clause.call.where) filter->predicates.push_back(p.get());
            filter->child = std::move(root);
            root = std::move(filter);
          }
          break;
        }
        case ast::Clause::Kind::kCreate: {
          auto create = std::make_unique<LogicalCreate>();
          create->create = &clause.create;
          create->child = std::move(root);
          root = std::move(create);
          for (const auto& n : clause.create.nodes) bound_.insert(n.slot);
          for (const auto& r : clause.create.rels) bound_.insert(r.slot);
          break;
        }
        case ast::Clause::Kind::kWith: {
          KG_ASSIGN_OR_RETURN(root, PlanProjection(clause.with, std::move(root)));
          if (!clause.with.where.empty()) {
            auto filter = std::make_unique<LogicalFilter>();
            for (const auto& p : clause.with.where) filter->predicates.push_back(p.get());
            filter->child = std::move(root);
            root = std::move(filter);
          }
          // Only the projected columns are visible after WITH.
          bound_.clear();
          for (const auto& c : clause.with.columns) bound_.insert(c.slot);
          break;
        }
      }
    }
    if (!query_.has_return) return root;
    return PlanProjection(query_.ret, std::move(root));
  }

 private:
  const std::string& NameOf(int slot) const { return query_.slots[slot].name; }

  // Wraps `root` in a Filter holding every pending predicate whose slots are all bound.
  std::unique_ptr<LogicalOperator> PlaceFilters(std::unique_ptr<LogicalOperator> root) {
    auto filter = std::make_unique<LogicalFilter>();
    for (auto it = pending_.begin(); it != pending_.end();) {
      std::vector<int> slots;
      (*it)->CollectSlots(&slots);
      bool ready =
          std::all_of(slots.begin(), slots.end(), [this](int s) { return bound_.count(s) > 0; });
      if (ready) {
        filter->predicates.push_back(*it);
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
    if (filter->predicates.empty()) return root;
    filter->child = std::move(root);
    return filter;
  }

  Result<uint64_t> CountLabels(const std::vector<storage::LabelId>& labels) {
    uint64_t total = 0;
    for (auto id : labels) {
      KG_ASSIGN_OR_RETURN(uint64_t n, snapshot_.CountLabel(id));
      total += n;
    }
    return total;
  }

  // The pending predicate `slot:L` when `labels` is exactly {L}; null otherwise.
  const BoundExpr* SingleLabelPredicate(int slot, const std::vector<storage::LabelId>& labels) {
    if (labels.size() != 1) return nullptr;
    for (const BoundExpr* p : pending_) {
      if (IsLabelPredicateOf(*p, slot) && p->label_groups.size() == 1 &&
          p->label_groups[0].size() == 1 && p->label_groups[0][0] == labels[0]) {
        return p;
      }
    }
    return nullptr;
  }

  // The cheapest start for node `slot`: an id, a label (+name) index, or a property index.
  Result<ScanChoice> ChooseScan(int slot) {
    KG_ASSIGN_OR_RETURN(ScanChoice choice, ChooseLabelScan(slot));
    if (choice.mode == LogicalNodeScan::Mode::kById ||
        choice.mode == LogicalNodeScan::Mode::kEmpty) {
      return choice;
    }
    std::vector<storage::LabelId> labels;
    if (choice.mode == LogicalNodeScan::Mode::kLabel ||
        choice.mode == LogicalNodeScan::Mode::kLabelName) {
      labels = choice.labels;
    }
    KG_ASSIGN_OR_RETURN(const uint64_t total, snapshot_.CountNodes());
    const uint64_t base = choice.mode == LogicalNodeScan::Mode::kAll ? total : choice.cost;
    KG_ASSIGN_OR_RETURN(std::optional<ScanChoice> index,
                        ChooseIndexScan(slot, labels, base, total));
    if (index && index->cost < choice.cost) return std::move(*index);
    return choice;
  }

  // A property index for node `slot` (see LogicalNodeScan::Mode), with a heuristic cost where
  // the index gives no count; `labels` is the label the planner would scan otherwise (it stays
  // a filter) and `base` that scan's size.
  Result<std::optional<ScanChoice>> ChooseIndexScan(int slot,
                                                    const std::vector<storage::LabelId>& labels,
                                                    uint64_t base, uint64_t total) {
    using Mode = LogicalNodeScan::Mode;
    std::optional<ScanChoice> best;
    auto offer = [&](Mode mode, std::vector<std::string> names, uint64_t cost,
                     std::vector<storage::LabelId> scan_labels, bool ci = false, int64_t line = 0) {
      if (best && best->cost <= cost) return;
      ScanChoice c;
      c.mode = mode;
      c.names = std::move(names);
      c.labels = std::move(scan_labels);
      c.case_insensitive = ci;
      c.cost = std::max<uint64_t>(cost, 1);
      c.line = line;
      best = std::move(c);
    };
    std::vector<storage::LabelId> one_label;
    if (labels.size() == 1) one_label = labels;
    std::optional<std::string> at_path;
    std::optional<int64_t> start_le, end_ge;
    for (const BoundExpr* p : pending_) {
      if (p->kind != BoundExprKind::kBinary) continue;
      const BoundExpr& l = *p->children[0];
      const BoundExpr& r = *p->children[1];
      const bool r_string = r.kind == BoundExprKind::kConstant && r.constant.is_string();
      const bool name = IsNameProperty(l, slot);
      const bool lower_name = IsLowerName(l, slot);
      switch (p->op) {
        case ast::BinaryOp::kEq: {
          for (auto [prop, value] : {std::pair{&l, &r}, std::pair{&r, &l}}) {
            if (value->kind != BoundExprKind::kConstant || !value->constant.is_string()) continue;
            const std::string& v = value->constant.as_string();
            if (IsPropertyOf(*prop, slot, "qualified_name")) {
              offer(Mode::kQualifiedName, {v}, 1, one_label);
              // The index yields exactly the nodes (with the label) whose string
              // qualified_name is v: neither predicate needs a filter.
              if (best->mode == Mode::kQualifiedName && best->consumed.empty() &&
                  best->names.size() == 1 && best->names[0] == v) {
                best->consumed.push_back(p);
                if (const BoundExpr* label = SingleLabelPredicate(slot, one_label)) {
                  best->consumed.push_back(label);
                }
              }
            } else if (IsPropertyOf(*prop, slot, "path")) {
              at_path = v;
              offer(Mode::kPathPrefix, {v}, std::min<uint64_t>(base, 50), {});
              if (!one_label.empty()) {
                // The index yields exactly the nodes with the label whose string path is v:
                // neither predicate needs a filter.
                offer(Mode::kPathLabel, {v}, std::min<uint64_t>(base, kPathLabelCost), one_label);
                if (best->mode == Mode::kPathLabel && best->consumed.empty() &&
                    best->names[0] == v) {
                  best->consumed.push_back(p);
                  if (const BoundExpr* label = SingleLabelPredicate(slot, one_label)) {
                    best->consumed.push_back(label);
                  }
                }
              }
            }
          }
          break;
        }
        case ast::BinaryOp::kIn:
          if (IsPropertyOf(l, slot, "qualified_name") && r.kind == BoundExprKind::kConstant &&
              r.constant.is_list()) {
            std::vector<std::string> qns;
            bool all_strings = true;
            for (const auto& v : r.constant.as_list()) {
              all_strings = all_strings && v.is_string();
              if (v.is_string()) qns.push_back(v.as_string());
            }
            if (all_strings && !qns.empty()) {
              offer(Mode::kQualifiedName, qns, qns.size(), one_label);
            }
          }
          break;
        case ast::BinaryOp::kStartsWith:
          if (!r_string || r.constant.as_string().empty()) break;
          if ((name || lower_name) && !labels.empty()) {
            offer(Mode::kNamePrefix, {r.constant.as_string()}, base / 8, labels, lower_name);
          } else if (IsPropertyOf(l, slot, "path")) {
            offer(Mode::kPathPrefix, {r.constant.as_string()}, base / 4, {});
          }
          break;
        case ast::BinaryOp::kEndsWith:
          if (r_string && !r.constant.as_string().empty() &&
              IsPropertyOf(l, slot, "qualified_name")) {
            offer(Mode::kQualifiedNameSuffix, {r.constant.as_string()}, base / 8, one_label);
          }
          break;
        case ast::BinaryOp::kContains:
        case ast::BinaryOp::kRegexMatch: {
          if (!r_string || !(name || (lower_name && p->op == ast::BinaryOp::kContains))) break;
          std::vector<std::string> needles =
              p->op == ast::BinaryOp::kContains
                  ? std::vector<std::string>{schema::ToLowerAscii(r.constant.as_string())}
                  : RegexNeedles(r.constant.as_string());
          needles.erase(std::remove_if(needles.begin(), needles.end(),
                                       [](const std::string& n) { return n.size() < 3; }),
                        needles.end());
          if (needles.empty()) break;
          auto estimate = snapshot_.EstimateNameTrigrams(needles);
          if (!estimate.ok()) break;
          uint64_t cost = *estimate;
          // The estimate counts every label; with one label assume it holds its share.
          if (!one_label.empty() && total > 0) cost = cost * base / total;
          offer(Mode::kNameTrigrams, needles, cost, one_label);
          break;
        }
        case ast::BinaryOp::kLe:
        case ast::BinaryOp::kGe: {
          // slot.start_line <= L, L >= slot.start_line, slot.end_line >= L, L <= slot.end_line
          const bool le = p->op == ast::BinaryOp::kLe;
          for (auto [prop, value, prop_left] :
               {std::tuple{&l, &r, true}, std::tuple{&r, &l, false}}) {
            if (value->kind != BoundExprKind::kConstant || !value->constant.is_int()) continue;
            const bool prop_le = le == prop_left;  // prop <= value
            if (prop_le && IsPropertyOf(*prop, slot, "start_line")) {
              start_le = value->constant.as_int();
            }
            if (!prop_le && IsPropertyOf(*prop, slot, "end_line")) {
              end_ge = value->constant.as_int();
            }
          }
          break;
        }
        default:
          break;
      }
    }
    if (at_path && start_le && end_ge && *start_le == *end_ge) {
      offer(Mode::kAtLine, {*at_path}, 4, {}, false, *start_le);
    }
    return best;
  }

  Result<ScanChoice> ChooseLabelScan(int slot) {
    ScanChoice choice;
    // A string id pins the node: at most one node per id (the predicate stays as a filter,
    // because `id` reads a user property `id` where one was created).
    for (const BoundExpr* p : pending_) {
      if (auto ids = IdConstraintOf(*p, slot)) {
        choice.mode = LogicalNodeScan::Mode::kById;
        choice.names = std::move(*ids);
        choice.cost = choice.names.size();
        return choice;
      }
    }
    KG_ASSIGN_OR_RETURN(choice.cost, snapshot_.CountNodes());
    // `n:A OR n:B` (from WHERE): a union of label scans, the predicate kept as a filter.
    for (const BoundExpr* p : pending_) {
      std::vector<storage::LabelId> labels;
      if (IsLabelPredicateOf(*p, slot) || !CollectOrLabels(*p, slot, &labels)) continue;
      KG_ASSIGN_OR_RETURN(uint64_t count, CountLabels(labels));
      if (count < choice.cost) {
        choice.mode = LogicalNodeScan::Mode::kLabel;
        choice.labels = labels;
        choice.cost = count;
      }
    }
    // Label groups: pick the cheapest alternation (a conjunction needs only one scanned).
    const BoundExpr* label_pred = nullptr;
    std::optional<std::vector<storage::LabelId>> best_group;
    uint64_t best_count = std::numeric_limits<uint64_t>::max();
    for (const BoundExpr* p : pending_) {
      if (!IsLabelPredicateOf(*p, slot)) continue;
      for (const auto& group : p->label_groups) {
        if (group.empty()) {  // an unknown label: nothing can match
          choice.mode = LogicalNodeScan::Mode::kEmpty;
          choice.cost = 0;
          choice.labels.clear();
          choice.consumed = {p};
          return choice;
        }
        KG_ASSIGN_OR_RETURN(uint64_t count, CountLabels(group));
        if (count < best_count) {
          best_count = count;
          best_group = group;
          label_pred = p->label_groups.size() == 1 ? p : nullptr;
        }
      }
    }
    if (!best_group) return choice;  // all nodes
    choice.mode = LogicalNodeScan::Mode::kLabel;
    choice.labels = *best_group;
    choice.cost = best_count;
    if (label_pred != nullptr) choice.consumed.push_back(label_pred);
    // Name equality: exact beats case-insensitive; fewer names beat more.
    const BoundExpr* name_pred = nullptr;
    std::optional<NameConstraint> best_name;
    for (const BoundExpr* p : pending_) {
      auto c = NameConstraintOf(*p, slot);
      if (!c) continue;
      auto rank = [](const NameConstraint& n) {
        return std::pair{n.case_insensitive ? 1 : 0, n.names.size()};
      };
      if (!best_name || rank(*c) < rank(*best_name)) {
        best_name = c;
        name_pred = p;
      }
    }
    if (best_name) {
      choice.mode = LogicalNodeScan::Mode::kLabelName;
      choice.names = best_name->names;
      choice.case_insensitive = best_name->case_insensitive;
      choice.cost = std::min<uint64_t>(choice.cost, choice.labels.size() * choice.names.size());
      // toLower(n.name) = 'Foo' can never hold, but the index would return 'foo': keep it.
      if (!best_name->case_insensitive) choice.consumed.push_back(name_pred);
    }
    return choice;
  }

  Result<std::vector<std::string>> LabelNames(const std::vector<storage::LabelId>& ids) {
    std::vector<std::string> names;
    for (auto id : ids) {
      KG_ASSIGN_OR_RETURN(std::string name, store_.LabelNameOf(id));
      names.push_back(std::move(name));
    }
    return names;
  }

  Result<std::unique_ptr<LogicalOperator>> PlanScan(int slot, ScanChoice choice,
                                                    std::unique_ptr<LogicalOperator> root) {
    auto scan = std::make_unique<LogicalNodeScan>();
    scan->slot = slot;
    scan->variable = NameOf(slot);
    scan->mode = choice.mode;
    scan->labels = choice.labels;
    KG_ASSIGN_OR_RETURN(scan->label_names, LabelNames(choice.labels));
    scan->names = choice.names;
    scan->case_insensitive = choice.case_insensitive;
    scan->line = choice.line;
    scan->estimated_rows = choice.cost;
    scan->child = std::move(root);
    for (const BoundExpr* p : choice.consumed) pending_.remove(p);
    bound_.insert(slot);
    return PlaceFilters(std::move(scan));
  }

  Result<std::unique_ptr<LogicalOperator>> PlanExpand(const bind::BoundRel& rel, int from, int to,
                                                      bool forward,
                                                      std::unique_ptr<LogicalOperator> root) {
    auto expand = std::make_unique<LogicalExpand>();
    expand->from_slot = from;
    expand->to_slot = to;
    expand->rel_slot = rel.slot;
    expand->from_name = NameOf(from);
    expand->to_name = NameOf(to);
    expand->rel_name = query_.slots[rel.slot].anonymous ? "" : NameOf(rel.slot);
    expand->to_bound = bound_.count(to) > 0;
    expand->rel_bound = bound_.count(rel.slot) > 0;
    expand->direction = WalkDirection(rel.direction, forward);
    expand->any_type = rel.any_type;
    expand->types = rel.types;
    for (auto id : rel.types) {
      KG_ASSIGN_OR_RETURN(std::string name, store_.EdgeTypeNameOf(id));
      expand->type_names.push_back(std::move(name));
    }
    expand->var_length = rel.var_length;
    expand->min_hops = rel.min_hops;
    expand->max_hops = rel.max_hops;
    expand->reverse_path = !forward;
    expand->rel_properties = &rel.properties;
    expand->unique_with = match_rels_;
    expand->need_edge_props = !query_.slots[rel.slot].anonymous || !rel.properties.empty() ||
                              in_path_ || expand->rel_bound || SlotReadByPending(rel.slot);
    expand->child = std::move(root);
    last_expand_ = expand.get();
    match_rels_.push_back(rel.slot);
    bound_.insert(rel.slot);
    bound_.insert(to);
    return PlaceFilters(std::move(expand));
  }

  // True when a predicate not placed yet reads `slot` (e.g. an anonymous relationship's
  // property map, bound as `r.key = value`).
  bool SlotReadByPending(int slot) const {
    std::vector<int> slots;
    for (const BoundExpr* p : pending_) p->CollectSlots(&slots);
    return std::find(slots.begin(), slots.end(), slot) != slots.end();
  }

  Result<std::unique_ptr<LogicalOperator>> PlanPattern(const bind::BoundPattern& pattern,
                                                       std::unique_ptr<LogicalOperator> root) {
    const auto& nodes = pattern.node_slots;
    in_path_ = pattern.path_slot >= 0;
    // Anchor: an already bound node, else the cheapest scan.
    size_t anchor = nodes.size();
    for (size_t i = 0; i < nodes.size() && anchor == nodes.size(); ++i) {
      if (bound_.count(nodes[i]) > 0) anchor = i;
    }
    if (anchor == nodes.size()) {
      std::optional<ScanChoice> best;
      for (size_t i = 0; i < nodes.size(); ++i) {
        KG_ASSIGN_OR_RETURN(ScanChoice c, ChooseScan(nodes[i]));
        if (!best || c.cost < best->cost) {
          best = std::move(c);
          anchor = i;
        }
      }
      KG_ASSIGN_OR_RETURN(root, PlanScan(nodes[anchor], std::move(*best), std::move(root)));
    }
    for (size_t i = anchor; i + 1 < nodes.size(); ++i) {
      KG_ASSIGN_OR_RETURN(root, PlanExpand(pattern.rels[i], nodes[i], nodes[i + 1],
                                           /*forward=*/true, std::move(root)));
    }
    for (size_t i = anchor; i > 0; --i) {
      KG_ASSIGN_OR_RETURN(root, PlanExpand(pattern.rels[i - 1], nodes[i], nodes[i - 1],
                                           /*forward=*/false, std::move(root)));
    }
    if (pattern.path_slot >= 0) {
      // The path is assembled once every element of the pattern is bound.
      auto project = std::make_unique<LogicalProject>();
      project->items.push_back(
          {pattern.path_slot, NameOf(pattern.path_slot), pattern.path_expr.get()});
      project->child = std::move(root);
      bound_.insert(pattern.path_slot);
      root = PlaceFilters(std::move(project));
    }
    return root;
  }

  Result<std::unique_ptr<LogicalOperator>> PlanMatch(const bind::BoundMatch& match,
                                                     std::unique_ptr<LogicalOperator> root) {
    pending_.clear();
    for (const auto& p : match.predicates) pending_.push_back(p.get());
    match_rels_.clear();
    last_expand_ = nullptr;
    root = PlaceFilters(std::move(root));  // predicates over earlier variables or constants
    std::list<const bind::BoundPattern*> remaining;
    for (const auto& p : match.patterns) remaining.push_back(&p);
    while (!remaining.empty()) {
      // Prefer a pattern that joins what is already bound (no cross product).
      auto next = std::find_if(remaining.begin(), remaining.end(), [this](const auto* p) {
        return std::any_of(p->node_slots.begin(), p->node_slots.end(),
                           [this](int s) { return bound_.count(s) > 0; });
      });
      if (next == remaining.end()) next = remaining.begin();
      KG_ASSIGN_OR_RETURN(root, PlanPattern(**next, std::move(root)));
      remaining.erase(next);
    }
    if (!pending_.empty()) {
      return Status::Internal("planner left predicates unplaced: " + pending_.front()->text);
    }
    // Only the last expansion of a MATCH is in no later expansion's uniqueness check, so only it
    // may leave its relationship's identity incomplete (see LogicalExpand::batched).
    if (LogicalExpand* e = last_expand_; e != nullptr) {
      e->batched = !e->var_length && !e->rel_bound && !e->need_edge_props &&
                   e->direction != storage::Direction::kBoth &&
                   (e->any_type || e->types.size() == 1);
      e->rel_unused = !e->need_edge_props;
    }
    return root;
  }

  // MATCH, or OPTIONAL MATCH: the match planned over an Argument (the input row), run per row.
  Result<std::unique_ptr<LogicalOperator>> PlanMatchClause(const bind::BoundMatch& match,
                                                           std::unique_ptr<LogicalOperator> root) {
    if (!match.optional) return PlanMatch(match, std::move(root));
    const std::set<int> before = bound_;
    auto optional = std::make_unique<LogicalOptional>();
    KG_ASSIGN_OR_RETURN(optional->inner, PlanMatch(match, std::make_unique<LogicalArgument>()));
    for (int slot : bound_) {
      if (before.count(slot) == 0 && !query_.slots[slot].anonymous) {
        optional->new_variables.push_back(NameOf(slot));
      }
    }
    optional->child = std::move(root);
    return std::unique_ptr<LogicalOperator>(std::move(optional));
  }

  // RETURN or the projection of WITH.
  Result<std::unique_ptr<LogicalOperator>> PlanProjection(const bind::BoundReturn& ret,
                                                          std::unique_ptr<LogicalOperator> root) {
    auto project = [&](bool aggregating) {
      auto op = std::make_unique<LogicalProject>();
      for (const auto& c : ret.columns) {
        if (c.aggregating == aggregating) op->items.push_back({c.slot, c.name, c.expr.get()});
      }
      return op;
    };
    if (!ret.aggregating) {
      auto op = project(false);
      op->child = std::move(root);
      root = std::move(op);
    } else {
      auto keys = project(false);
      auto aggregate = std::make_unique<LogicalAggregate>();
      for (const auto& item : keys->items) {
        aggregate->key_slots.push_back(item.slot);
        aggregate->key_names.push_back(item.name);
      }
      for (const auto& a : ret.aggregates) aggregate->aggregates.push_back(&a);
      if (!keys->items.empty()) {
        keys->child = std::move(root);
        root = std::move(keys);
      }
      aggregate->child = std::move(root);
      auto values = project(true);
      values->child = std::move(aggregate);
      root = std::move(values);
    }
    if (ret.distinct) {
      auto distinct = std::make_unique<LogicalDistinct>();
      for (const auto& c : ret.columns) {
        distinct->slots.push_back(c.slot);
        distinct->names.push_back(c.name);
      }
      distinct->child = std::move(root);
      root = std::move(distinct);
    }
    if (!ret.order_by.empty()) {
      auto sort = std::make_unique<LogicalSort>();
      for (const auto& k : ret.order_by) sort->keys.push_back(&k);
      sort->child = std::move(root);
      root = std::move(sort);
    }
    if (ret.skip > 0) {
      auto skip = std::make_unique<LogicalSkip>();
      skip->count = ret.skip;
      skip->child = std::move(root);
      root = std::move(skip);
    }
    if (ret.limit) {
      auto limit = std::make_unique<LogicalLimit>();
      limit->count = *ret.limit;
      limit->child = std::move(root);
      root = std::move(limit);
    }
    return root;
  }

  const bind::BoundQuery& query_;
  storage::GraphStore& store_;
  storage::Snapshot& snapshot_;
  std::set<int> bound_;                   // slots bound by the operators planned so far
  std::list<const BoundExpr*> pending_;   // predicates of the current MATCH not yet placed
  std::vector<int> match_rels_;           // relationship slots of the current MATCH, in order
  bool in_path_ = false;                  // the pattern being planned has a path variable
  LogicalExpand* last_expand_ = nullptr;  // the latest expansion of the current MATCH
};

// Sets LogicalExpand::frontier where the row multiplicity of a variable-length expansion cannot
// change the result: only per-row, deterministic operators lie between it and a DISTINCT.
void MarkFrontierExpands(LogicalOperator* op) {
  bool distinct_above = false;
  for (; op != nullptr; op = op->child.get()) {
    switch (op->type) {
      case LogicalOperatorType::kDistinct:
        distinct_above = true;
        break;
      case LogicalOperatorType::kFilter:
      case LogicalOperatorType::kProject:
      case LogicalOperatorType::kNodeScan:
        break;
      case LogicalOperatorType::kExpand: {
        auto* e = static_cast<LogicalExpand*>(op);
        e->frontier = distinct_above && e->var_length && e->rel_unused && !e->rel_bound &&
                      e->unique_with.empty() &&
                      (e->rel_properties == nullptr || e->rel_properties->empty()) &&
                      e->direction != storage::Direction::kBoth && e->min_hops <= 1;
        break;
      }
      default:
        distinct_above = false;
        break;
    }
  }
}

// Node data read by expressions: the property names read (of any receiver; a superset is
// harmless) and the slots whose node labels or properties are read directly.
struct NodeReads {
  std::set<std::string> names;
  std::set<int> slots;
};

void CollectNodeReads(const BoundExpr& e, NodeReads* out) {
  const bool of_slot = !e.children.empty() && e.children[0]->kind == BoundExprKind::kSlot;
  if (e.kind == BoundExprKind::kProperty) {
    out->names.insert(e.key);
    if (of_slot) out->slots.insert(e.children[0]->slot);
  }
  if (e.kind == BoundExprKind::kHasLabels && of_slot) out->slots.insert(e.children[0]->slot);
  if (e.pattern != nullptr) {
    for (const auto& n : e.pattern->nodes) {
      for (const auto& [key, value] : n.properties) {
        out->names.insert(key);
        CollectNodeReads(*value, out);
      }
      if (n.slot >= 0 && (!n.labels.empty() || !n.properties.empty())) out->slots.insert(n.slot);
    }
    for (const auto& r : e.pattern->rels) {
      for (const auto& [key, value] : r.properties) CollectNodeReads(*value, out);
    }
  }
  for (const auto& c : e.children) CollectNodeReads(*c, out);
}

void CollectOperatorReads(const LogicalOperator* op, NodeReads* out) {
  for (; op != nullptr; op = op->child.get()) {
    switch (op->type) {
      case LogicalOperatorType::kFilter:
        for (const BoundExpr* p : static_cast<const LogicalFilter*>(op)->predicates) {
          CollectNodeReads(*p, out);
        }
        break;
      case LogicalOperatorType::kProject:
        for (const auto& item : static_cast<const LogicalProject*>(op)->items) {
          CollectNodeReads(*item.expr, out);
        }
        break;
      case LogicalOperatorType::kSort:
        for (const auto* key : static_cast<const LogicalSort*>(op)->keys) {
          CollectNodeReads(*key->expr, out);
        }
        break;
      case LogicalOperatorType::kAggregate:
        for (const auto* agg : static_cast<const LogicalAggregate*>(op)->aggregates) {
          if (agg->arg != nullptr) CollectNodeReads(*agg->arg, out);
        }
        break;
      case LogicalOperatorType::kUnwind:
        CollectNodeReads(*static_cast<const LogicalUnwind*>(op)->expr, out);
        break;
      case LogicalOperatorType::kExpand: {
        const auto* e = static_cast<const LogicalExpand*>(op);
        if (e->rel_properties != nullptr) {
          for (const auto& [key, value] : *e->rel_properties) CollectNodeReads(*value, out);
        }
        break;
      }
      case LogicalOperatorType::kOptional:
        CollectOperatorReads(static_cast<const LogicalOptional*>(op)->inner.get(), out);
        break;
      default:
        break;
    }
  }
}

// Sets LogicalExpand::prefetch_targets and LogicalNodeScan::prefetch (see logical_operator.h).
void MarkPrefetch(LogicalOperator* op, const LogicalOperator* parent, const NodeReads& reads) {
  for (; op != nullptr; parent = op, op = op->child.get()) {
    if (op->type == LogicalOperatorType::kExpand) {
      auto* e = static_cast<LogicalExpand*>(op);
      e->prefetch_targets = !e->to_bound && reads.slots.count(e->to_slot) > 0;
    } else if (op->type == LogicalOperatorType::kNodeScan && parent != nullptr &&
               parent->type == LogicalOperatorType::kFilter) {
      auto* scan = static_cast<LogicalNodeScan*>(op);
      NodeReads filter;
      for (const BoundExpr* p : static_cast<const LogicalFilter*>(parent)->predicates) {
        CollectNodeReads(*p, &filter);
      }
      scan->prefetch = filter.slots.count(scan->slot) > 0;
    } else if (op->type == LogicalOperatorType::kOptional) {
      MarkPrefetch(static_cast<LogicalOptional*>(op)->inner.get(), nullptr, reads);
    }
  }
}

}  // namespace

Result<LogicalPlan> Plan(bind::BoundQuery query, storage::GraphStore& store,
                         storage::Snapshot& snapshot) {
  LogicalPlan plan;
  plan.query = std::make_unique<const bind::BoundQuery>(std::move(query));
  KG_ASSIGN_OR_RETURN(plan.root, Planner(*plan.query, store, snapshot).Run());
  MarkFrontierExpands(plan.root.get());
  NodeReads reads;
  CollectOperatorReads(plan.root.get(), &reads);
  plan.node_properties.assign(reads.names.begin(), reads.names.end());
  MarkPrefetch(plan.root.get(), nullptr, reads);
  for (const auto& c : plan.query->ret.columns) {
    plan.columns.push_back(c.name);
    plan.output_slots.push_back(c.slot);
  }
  plan.num_slots = static_cast<int>(plan.query->slots.size());
  plan.discard_rows = !plan.query->has_return;
  return plan;
}

}  // namespace kg::query::plan

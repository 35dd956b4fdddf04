#include "query/parse/parser.h"

#include <charconv>
#include <exception>
#include <limits>
#include <tao/pegtl/contrib/limit_depth.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "common/schema.h"
#include "common/utf8.h"
#include "query/parse/grammar.h"

namespace kg::query::parse {
namespace {

namespace pegtl = tao::pegtl;
namespace g = grammar;
using Node = pegtl::parse_tree::node;
using ast::Expr;
using ast::ExprKind;
using ast::ExprPtr;

// Deep enough for any realistic query (~40 nested parentheses), shallow enough that the
// recursive-descent parser and the later recursive stages never exhaust the stack.
constexpr size_t kMaxRuleDepth = 800;
// Expressions nested deeper than this (e.g. a chain of 300 `+`) are rejected.
constexpr int kMaxExpressionDepth = 256;

template <typename Rule>
using DepthLimit = pegtl::limit_depth<kMaxRuleDepth>;

// Like parse_tree::fold_one, but keeps the node's content (the source text of the expression,
// used for default column names).
struct fold_keep : pegtl::parse_tree::apply<fold_keep> {
  template <typename N, typename... States>
  static void transform(std::unique_ptr<N>& n, States&&... /*unused*/) {
    if (n->children.size() == 1) n = std::move(n->children.front());
  }
};

template <typename Rule>
using Selector = pegtl::parse_tree::selector<
    Rule,
    pegtl::parse_tree::store_content::on<
        g::explain_marker, g::optional_marker, g::match_clause, g::where_clause, g::pattern,
        g::path_var, g::node_pattern, g::label_group, g::label_name, g::rel_pattern, g::rel_detail,
        g::type_name, g::var_length, g::range_min, g::range_dots, g::range_max, g::left_arrow,
        g::right_arrow, g::variable, g::map_literal, g::map_entry, g::map_key, g::list_literal,
        g::function_call, g::func_name, g::distinct_marker, g::count_star, g::paren_expr, g::param,
        g::string_lit, g::int_lit, g::float_lit, g::lit_true, g::lit_false, g::lit_null,
        g::property_lookup, g::prop_key, g::index_lookup, g::unary_minus, g::unary_plus, g::op_mul,
        g::op_div, g::op_mod, g::op_pow, g::op_add, g::op_sub, g::suffix_starts_with,
        g::suffix_ends_with, g::suffix_contains, g::suffix_in, g::suffix_regex,
        g::suffix_is_not_null, g::suffix_is_null, g::op_ne, g::op_le, g::op_ge, g::op_eq, g::op_lt,
        g::op_gt, g::not_op, g::return_clause, g::return_star, g::return_item, g::alias_name,
        g::order_by, g::sort_item, g::sort_desc, g::sort_asc, g::skip_clause, g::limit_clause,
        g::with_clause, g::unwind_clause, g::unwind_variable, g::case_expr, g::case_subject,
        g::case_when, g::case_else, g::profile_marker, g::create_clause, g::no_return,
        g::list_comprehension, g::comprehension_variable, g::comprehension_where,
        g::comprehension_projection, g::quantifier, g::quantifier_name, g::pattern_predicate,
        g::pp_node, g::pp_rel, g::pp_rel_detail, g::map_projection, g::map_projection_all,
        g::map_projection_property, g::map_projection_variable, g::map_projection_entry,
        g::call_clause, g::procedure_name, g::yield_item, g::yield_field>,
    fold_keep::on<g::or_expr, g::xor_expr, g::and_expr, g::comparison, g::pred_expr, g::additive,
                  g::multiplicative, g::power, g::postfix_expr>>;

TextPosition PosOf(const Node& n) {
  return TextPosition{static_cast<int>(n.m_begin.line), static_cast<int>(n.m_begin.column),
                      static_cast<int64_t>(n.m_begin.byte)};
}

// A name as written, without the backticks of a quoted name.
std::string NameOf(const Node& n) {
  std::string_view s = n.string_view();
  if (s.size() >= 2 && s.front() == '`' && s.back() == '`') s = s.substr(1, s.size() - 2);
  return std::string(s);
}

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// What the parser found at `offset`, for "expected X but found Y" messages.
std::string FoundAt(std::string_view text, size_t offset) {
  if (offset >= text.size()) return "reached the end of the query";
  size_t end = offset;
  while (end < text.size() && IsWordChar(text[end]) && end - offset < 40) ++end;
  if (end == offset) {
    // One character; a UTF-8 sequence is kept whole.
    end = offset + 1;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  return "found '" + std::string(text.substr(offset, end - offset)) + "'";
}

// Turns the PEGTL parse tree into an ast::Query. The tree's shape is fixed by the grammar and
// the Selector above; see the comments on each Build function for the children it expects.
class AstBuilder {
 public:
  explicit AstBuilder(std::string_view text) : text_(text) {}

  Result<ast::Query> BuildStatement(const Node& root) {
    ast::Query query;
    bool have_return = false;
    for (const auto& child : root.children) {
      if (child->is_type<g::explain_marker>()) {
        query.explain = true;
      } else if (child->is_type<g::profile_marker>()) {
        query.profile = true;
      } else if (child->is_type<g::no_return>()) {
        continue;  // checked below
      } else if (child->is_type<g::call_clause>()) {
        // call_clause: procedure_name, expr*, yield_item*, where_clause?
        ast::Clause clause;
        clause.kind = ast::Clause::Kind::kCall;
        clause.call.pos = PosOf(*child);
        for (const auto& c : child->children) {
          if (c->is_type<g::procedure_name>()) {
            clause.call.procedure = std::string(c->string_view());
          } else if (c->is_type<g::yield_item>()) {
            std::string alias = c->children.size() > 1 ? NameOf(*c->children[1]) : "";
            clause.call.yields.emplace_back(NameOf(*c->children.at(0)), std::move(alias));
          } else if (c->is_type<g::where_clause>()) {
            KG_ASSIGN_OR_RETURN(clause.call.where, BuildExpr(*c->children.at(0)));
          } else {
            KG_ASSIGN_OR_RETURN(ExprPtr arg, BuildExpr(*c));
            clause.call.args.push_back(std::move(arg));
          }
        }
        query.clauses.push_back(std::move(clause));
      } else if (child->is_type<g::create_clause>()) {
        ast::Clause clause;
        clause.kind = ast::Clause::Kind::kCreate;
        clause.create.pos = PosOf(*child);
        for (const auto& p : child->children) {
          KG_ASSIGN_OR_RETURN(ast::PatternPart part, BuildPattern(*p));
          clause.create.patterns.push_back(std::move(part));
        }
        query.clauses.push_back(std::move(clause));
      } else if (child->is_type<g::match_clause>()) {
        ast::Clause clause;
        clause.kind = ast::Clause::Kind::kMatch;
        KG_ASSIGN_OR_RETURN(clause.match, BuildMatch(*child));
        query.clauses.push_back(std::move(clause));
      } else if (child->is_type<g::with_clause>()) {
        ast::Clause clause;
        clause.kind = ast::Clause::Kind::kWith;
        KG_ASSIGN_OR_RETURN(clause.with, BuildReturn(*child));
        query.clauses.push_back(std::move(clause));
      } else if (child->is_type<g::unwind_clause>()) {
        // unwind_clause: expression, unwind_variable
        ast::Clause clause;
        clause.kind = ast::Clause::Kind::kUnwind;
        clause.unwind.pos = PosOf(*child);
        KG_ASSIGN_OR_RETURN(clause.unwind.expr, BuildExpr(*child->children.at(0)));
        clause.unwind.variable = NameOf(*child->children.at(1));
        clause.unwind.variable_pos = PosOf(*child->children.at(1));
        query.clauses.push_back(std::move(clause));
      } else if (child->is_type<g::return_clause>()) {
        KG_ASSIGN_OR_RETURN(query.ret, BuildReturn(*child));
        have_return = true;
      } else {
        return Unexpected(*child);
      }
    }
    if (!have_return) {
      // The grammar accepts a statement without RETURN only at the end of the input.
      if (query.clauses.empty() || query.clauses.back().kind != ast::Clause::Kind::kCreate) {
        return Status::SyntaxError("expected MATCH or RETURN but reached the end of the query",
                                   PositionAt(text_, text_.size()));
      }
      query.has_return = false;
    }
    return query;
  }

 private:
  Status ErrorAt(const Node& n, const std::string& msg) const {
    return Status::SyntaxError(msg, PosOf(n));
  }
  Status Unexpected(const Node& n) const {
    return Status::Internal("unexpected parse tree node " + std::string(n.type));
  }

  // match_clause: optional_marker?, pattern+, where_clause?
  Result<ast::MatchClause> BuildMatch(const Node& n) {
    ast::MatchClause m;
    m.pos = PosOf(n);
    for (const auto& child : n.children) {
      if (child->is_type<g::optional_marker>()) {
        m.optional = true;
      } else if (child->is_type<g::pattern>()) {
        KG_ASSIGN_OR_RETURN(ast::PatternPart part, BuildPattern(*child));
        m.patterns.push_back(std::move(part));
      } else if (child->is_type<g::where_clause>()) {
        KG_ASSIGN_OR_RETURN(m.where, BuildExpr(*child->children.at(0)));
      } else {
        return Unexpected(*child);
      }
    }
    return m;
  }

  // pattern: path_var?, node_pattern, (rel_pattern, node_pattern)*
  Result<ast::PatternPart> BuildPattern(const Node& n) {
    ast::PatternPart part;
    part.pos = PosOf(n);
    for (const auto& child : n.children) {
      if (child->is_type<g::path_var>()) {
        part.path_variable = NameOf(*child);
      } else if (child->is_type<g::node_pattern>() || child->is_type<g::pp_node>()) {
        KG_ASSIGN_OR_RETURN(ast::NodePattern node, BuildNode(*child));
        part.nodes.push_back(std::move(node));
      } else if (child->is_type<g::rel_pattern>() || child->is_type<g::pp_rel>()) {
        KG_ASSIGN_OR_RETURN(ast::RelPattern rel, BuildRel(*child));
        part.rels.push_back(std::move(rel));
      } else {
        return Unexpected(*child);
      }
    }
    return part;
  }

  // label_group: label_name+
  std::vector<std::string> BuildLabelGroup(const Node& n) {
    std::vector<std::string> names;
    for (const auto& c : n.children) names.push_back(NameOf(*c));
    return names;
  }

  // map_literal: map_entry*; map_entry: map_key, expr
  Result<ast::PropertyMap> BuildPropertyMap(const Node& n) {
    ast::PropertyMap props;
    for (const auto& entry : n.children) {
      KG_ASSIGN_OR_RETURN(ExprPtr value, BuildExpr(*entry->children.at(1)));
      props.emplace_back(NameOf(*entry->children.at(0)), std::move(value));
    }
    return props;
  }

  // node_pattern: variable?, label_group*, map_literal?
  Result<ast::NodePattern> BuildNode(const Node& n) {
    ast::NodePattern node;
    node.pos = PosOf(n);
    for (const auto& child : n.children) {
      if (child->is_type<g::variable>()) {
        node.variable = NameOf(*child);
        node.variable_pos = PosOf(*child);
      } else if (child->is_type<g::label_group>()) {
        node.label_groups.push_back(BuildLabelGroup(*child));
      } else if (child->is_type<g::map_literal>()) {
        KG_ASSIGN_OR_RETURN(node.properties, BuildPropertyMap(*child));
      } else {
        return Unexpected(*child);
      }
    }
    return node;
  }

  Result<int64_t> ParseHops(const Node& n) {
    int64_t v = 0;
    std::string_view s = n.string_view();
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) {
      return ErrorAt(n, "hop count out of range");
    }
    return v;
  }

  // rel_pattern: left_arrow?, rel_detail?, right_arrow?
  // rel_detail: variable?, type_name*, var_length?, map_literal?
  // var_length: range_min?, range_dots?, range_max?
  Result<ast::RelPattern> BuildRel(const Node& n) {
    ast::RelPattern rel;
    rel.pos = PosOf(n);
    bool left = false, right = false;
    for (const auto& child : n.children) {
      if (child->is_type<g::left_arrow>()) {
        left = true;
      } else if (child->is_type<g::right_arrow>()) {
        right = true;
      } else if (child->is_type<g::rel_detail>() || child->is_type<g::pp_rel_detail>()) {
        for (const auto& d : child->children) {
          if (d->is_type<g::variable>()) {
            rel.variable = NameOf(*d);
            rel.variable_pos = PosOf(*d);
          } else if (d->is_type<g::type_name>()) {
            rel.types.push_back(NameOf(*d));
          } else if (d->is_type<g::map_literal>()) {
            KG_ASSIGN_OR_RETURN(rel.properties, BuildPropertyMap(*d));
          } else if (d->is_type<g::var_length>()) {
            rel.var_length = true;
            for (const auto& r : d->children) {
              if (r->is_type<g::range_min>()) {
                KG_ASSIGN_OR_RETURN(int64_t v, ParseHops(*r));
                rel.min_hops = v;
              } else if (r->is_type<g::range_max>()) {
                KG_ASSIGN_OR_RETURN(int64_t v, ParseHops(*r));
                rel.max_hops = v;
              } else if (r->is_type<g::range_dots>()) {
                rel.has_range_dots = true;
              } else {
                return Unexpected(*r);
              }
            }
          } else {
            return Unexpected(*d);
          }
        }
      } else {
        return Unexpected(*child);
      }
    }
    if (left == right) {
      rel.direction = ast::RelDirection::kBoth;
    } else {
      rel.direction = right ? ast::RelDirection::kRight : ast::RelDirection::kLeft;
    }
    return rel;
  }

  // return_clause: distinct_marker?, (return_star | return_item+), order_by?, skip_clause?,
  // limit_clause?, where_clause? (WITH only); also builds with_clause
  Result<ast::ReturnClause> BuildReturn(const Node& n) {
    ast::ReturnClause ret;
    ret.pos = PosOf(n);
    for (const auto& child : n.children) {
      if (child->is_type<g::distinct_marker>()) {
        ret.distinct = true;
      } else if (child->is_type<g::return_star>()) {
        ret.star = true;
      } else if (child->is_type<g::return_item>()) {
        ast::ReturnItem item;
        KG_ASSIGN_OR_RETURN(item.expr, BuildExpr(*child->children.at(0)));
        if (child->children.size() > 1) {
          item.alias = NameOf(*child->children[1]);
          item.alias_pos = PosOf(*child->children[1]);
        }
        ret.items.push_back(std::move(item));
      } else if (child->is_type<g::order_by>()) {
        for (const auto& s : child->children) {
          ast::SortItem item;
          KG_ASSIGN_OR_RETURN(item.expr, BuildExpr(*s->children.at(0)));
          item.descending = s->children.size() > 1 && s->children[1]->is_type<g::sort_desc>();
          ret.order_by.push_back(std::move(item));
        }
      } else if (child->is_type<g::skip_clause>()) {
        KG_ASSIGN_OR_RETURN(ret.skip, BuildExpr(*child->children.at(0)));
      } else if (child->is_type<g::limit_clause>()) {
        KG_ASSIGN_OR_RETURN(ret.limit, BuildExpr(*child->children.at(0)));
      } else if (child->is_type<g::where_clause>()) {  // WITH ... WHERE
        KG_ASSIGN_OR_RETURN(ret.where, BuildExpr(*child->children.at(0)));
      } else {
        return Unexpected(*child);
      }
    }
    return ret;
  }

  static ExprPtr NewExpr(ExprKind kind, const Node& n) {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->pos = PosOf(n);
    e->text = std::string(n.string_view());
    return e;
  }

  static ExprPtr NewBinary(ast::BinaryOp op, ExprPtr left, ExprPtr right, const Node& n) {
    auto e = NewExpr(ExprKind::kBinary, n);
    e->op = op;
    e->AddChild(std::move(left));
    e->AddChild(std::move(right));
    return e;
  }

  // Left-associative chain of one operator: operands only.
  Result<ExprPtr> BuildChain(const Node& n, ast::BinaryOp op) {
    KG_ASSIGN_OR_RETURN(ExprPtr acc, BuildExpr(*n.children.at(0)));
    for (size_t i = 1; i < n.children.size(); ++i) {
      KG_ASSIGN_OR_RETURN(ExprPtr right, BuildExpr(*n.children[i]));
      acc = NewBinary(op, std::move(acc), std::move(right), n);
      KG_RETURN_IF_ERROR(CheckDepth(*acc, n));
    }
    return acc;
  }

  static ast::BinaryOp OperatorOf(const Node& n) {
    if (n.is_type<g::op_ne>()) return ast::BinaryOp::kNe;
    if (n.is_type<g::op_le>()) return ast::BinaryOp::kLe;
    if (n.is_type<g::op_ge>()) return ast::BinaryOp::kGe;
    if (n.is_type<g::op_eq>()) return ast::BinaryOp::kEq;
    if (n.is_type<g::op_lt>()) return ast::BinaryOp::kLt;
    if (n.is_type<g::op_gt>()) return ast::BinaryOp::kGt;
    if (n.is_type<g::op_add>()) return ast::BinaryOp::kAdd;
    if (n.is_type<g::op_sub>()) return ast::BinaryOp::kSub;
    if (n.is_type<g::op_mul>()) return ast::BinaryOp::kMul;
    if (n.is_type<g::op_div>()) return ast::BinaryOp::kDiv;
    if (n.is_type<g::op_pow>()) return ast::BinaryOp::kPow;
    return ast::BinaryOp::kMod;
  }

  // Chain of operand (op operand)*, left-associative (additive, multiplicative).
  Result<ExprPtr> BuildOperatorChain(const Node& n) {
    KG_ASSIGN_OR_RETURN(ExprPtr acc, BuildExpr(*n.children.at(0)));
    for (size_t i = 1; i + 1 < n.children.size(); i += 2) {
      KG_ASSIGN_OR_RETURN(ExprPtr right, BuildExpr(*n.children[i + 1]));
      acc = NewBinary(OperatorOf(*n.children[i]), std::move(acc), std::move(right), n);
      KG_RETURN_IF_ERROR(CheckDepth(*acc, n));
    }
    return acc;
  }

  // a < b <= c means (a < b) AND (b <= c), as in openCypher.
  Result<ExprPtr> BuildComparison(const Node& n) {
    std::vector<ExprPtr> operands;
    std::vector<ast::BinaryOp> ops;
    for (size_t i = 0; i < n.children.size(); ++i) {
      if (i % 2 == 1) {
        ops.push_back(OperatorOf(*n.children[i]));
      } else {
        KG_ASSIGN_OR_RETURN(ExprPtr e, BuildExpr(*n.children[i]));
        operands.push_back(std::move(e));
      }
    }
    if (ops.size() + 1 != operands.size()) return Unexpected(n);
    ExprPtr result;
    for (size_t i = 0; i < ops.size(); ++i) {
      ExprPtr left = i == 0 ? std::move(operands[0]) : operands[i]->Clone();
      ExprPtr right = i + 1 == ops.size() ? std::move(operands[i + 1]) : operands[i + 1]->Clone();
      ExprPtr cmp = NewBinary(ops[i], std::move(left), std::move(right), n);
      result = result ? NewBinary(ast::BinaryOp::kAnd, std::move(result), std::move(cmp), n)
                      : std::move(cmp);
      KG_RETURN_IF_ERROR(CheckDepth(*result, n));
    }
    return result;
  }

  // pred_expr: operand, suffix*
  Result<ExprPtr> BuildPredicates(const Node& n) {
    KG_ASSIGN_OR_RETURN(ExprPtr acc, BuildExpr(*n.children.at(0)));
    for (size_t i = 1; i < n.children.size(); ++i) {
      const Node& s = *n.children[i];
      if (s.is_type<g::suffix_is_null>() || s.is_type<g::suffix_is_not_null>()) {
        auto e =
            NewExpr(s.is_type<g::suffix_is_null>() ? ExprKind::kIsNull : ExprKind::kIsNotNull, n);
        e->AddChild(std::move(acc));
        acc = std::move(e);
        KG_RETURN_IF_ERROR(CheckDepth(*acc, n));
        continue;
      }
      ast::BinaryOp op;
      if (s.is_type<g::suffix_starts_with>()) {
        op = ast::BinaryOp::kStartsWith;
      } else if (s.is_type<g::suffix_ends_with>()) {
        op = ast::BinaryOp::kEndsWith;
      } else if (s.is_type<g::suffix_contains>()) {
        op = ast::BinaryOp::kContains;
      } else if (s.is_type<g::suffix_in>()) {
        op = ast::BinaryOp::kIn;
      } else if (s.is_type<g::suffix_regex>()) {
        op = ast::BinaryOp::kRegexMatch;
      } else {
        return Unexpected(s);
      }
      KG_ASSIGN_OR_RETURN(ExprPtr right, BuildExpr(*s.children.at(0)));
      acc = NewBinary(op, std::move(acc), std::move(right), n);
      KG_RETURN_IF_ERROR(CheckDepth(*acc, n));
    }
    return acc;
  }

  // postfix_expr: atom, (property_lookup | index_lookup | label_group)*
  Result<ExprPtr> BuildPostfix(const Node& n) {
    KG_ASSIGN_OR_RETURN(ExprPtr acc, BuildExpr(*n.children.at(0)));
    for (size_t i = 1; i < n.children.size(); ++i) {
      const Node& op = *n.children[i];
      // The text of a partial chain ends where this postfix operation ends.
      std::string text(text_.substr(n.m_begin.byte, op.m_end.byte - n.m_begin.byte));
      ExprPtr e;
      if (op.is_type<g::property_lookup>()) {
        e = NewExpr(ExprKind::kProperty, n);
        e->name = NameOf(*op.children.at(0));
        e->AddChild(std::move(acc));
      } else if (op.is_type<g::index_lookup>()) {
        e = NewExpr(ExprKind::kIndex, n);
        e->AddChild(std::move(acc));
        KG_ASSIGN_OR_RETURN(ExprPtr index, BuildExpr(*op.children.at(0)));
        e->AddChild(std::move(index));
      } else if (op.is_type<g::label_group>()) {
        if (acc->kind == ExprKind::kHasLabels && i > 1 &&
            n.children[i - 1]->is_type<g::label_group>()) {
          acc->label_groups.push_back(BuildLabelGroup(op));  // `n:A:B`
          acc->text = text;
          continue;
        }
        e = NewExpr(ExprKind::kHasLabels, n);
        e->label_groups.push_back(BuildLabelGroup(op));
        e->AddChild(std::move(acc));
      } else {
        return Unexpected(op);
      }
      e->text = std::move(text);
      acc = std::move(e);
      KG_RETURN_IF_ERROR(CheckDepth(*acc, n));
    }
    return acc;
  }

  Result<ExprPtr> BuildIntLiteral(const Node& n, bool negate) {
    std::string_view s = n.string_view();
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
      base = 16;
      s.remove_prefix(2);
    } else if (s.size() > 2 && s[0] == '0' && s[1] == 'o') {
      base = 8;
      s.remove_prefix(2);
    }
    uint64_t magnitude = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude, base);
    const uint64_t limit =
        static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negate ? 1u : 0u);
    if (ec != std::errc() || ptr != s.data() + s.size() || magnitude > limit) {
      return ErrorAt(n, "integer literal out of range: " + std::string(n.string_view()));
    }
    auto e = NewExpr(ExprKind::kLiteral, n);
    if (negate) {
      e->literal = magnitude == limit ? std::numeric_limits<int64_t>::min()
                                      : -static_cast<int64_t>(magnitude);
    } else {
      e->literal = static_cast<int64_t>(magnitude);
    }
    return e;
  }

  Result<ExprPtr> BuildFloatLiteral(const Node& n) {
    std::string_view s = n.string_view();
    double v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) {
      return ErrorAt(n, "float literal out of range: " + std::string(s));
    }
    auto e = NewExpr(ExprKind::kLiteral, n);
    e->literal = v;
    return e;
  }

  static int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // string_lit: the literal with its quotes; resolves escapes.
  Result<ExprPtr> BuildString(const Node& n) {
    std::string_view raw = n.string_view();
    std::string_view body = raw.substr(1, raw.size() - 2);
    const size_t body_offset = n.m_begin.byte + 1;
    std::string out;
    out.reserve(body.size());
    for (size_t i = 0; i < body.size(); ++i) {
      char c = body[i];
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      const size_t at = i;
      char e = body[++i];  // the grammar guarantees a character after '\'
      switch (e) {
        case 'n':
          out.push_back('\n');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case '0':
          out.push_back('\0');
          break;
        case '\\':
        case '\'':
        case '"':
        case '/':
          out.push_back(e);
          break;
        case 'u':
        case 'U': {
          const size_t digits = e == 'u' ? 4 : 8;
          uint32_t cp = 0;
          bool ok = i + digits < body.size();  // digits at i+1 .. i+digits
          for (size_t k = 1; ok && k <= digits; ++k) {
            int h = HexValue(body[i + k]);
            if (h < 0) {
              ok = false;
            } else {
              cp = cp * 16 + static_cast<uint32_t>(h);
            }
          }
          if (!ok || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return Status::SyntaxError("invalid unicode escape in string literal",
                                       PositionAt(text_, body_offset + at));
          }
          AppendUtf8(&out, cp);
          i += digits;
          break;
        }
        default:
          return Status::SyntaxError(
              "invalid escape sequence '\\" + std::string(1, e) + "' in string literal",
              PositionAt(text_, body_offset + at));
      }
    }
    auto lit = NewExpr(ExprKind::kLiteral, n);
    lit->literal = std::move(out);
    return lit;
  }

  Status CheckDepth(const Expr& e, const Node& n) const {
    if (e.depth <= kMaxExpressionDepth) return Status::OK();
    return ErrorAt(n, "expression is nested too deeply (more than " +
                          std::to_string(kMaxExpressionDepth) + " levels)");
  }

  Result<ExprPtr> BuildExpr(const Node& n) {
    KG_ASSIGN_OR_RETURN(ExprPtr e, BuildExprUnchecked(n));
    KG_RETURN_IF_ERROR(CheckDepth(*e, n));
    return e;
  }

  Result<ExprPtr> BuildExprUnchecked(const Node& n) {
    if (n.is_type<g::or_expr>()) return BuildChain(n, ast::BinaryOp::kOr);
    if (n.is_type<g::xor_expr>()) return BuildChain(n, ast::BinaryOp::kXor);
    if (n.is_type<g::and_expr>()) return BuildChain(n, ast::BinaryOp::kAnd);
    if (n.is_type<g::not_op>()) {
      auto e = NewExpr(ExprKind::kNot, n);
      KG_ASSIGN_OR_RETURN(ExprPtr child, BuildExpr(*n.children.at(0)));
      e->AddChild(std::move(child));
      return e;
    }
    if (n.is_type<g::comparison>()) return BuildComparison(n);
    if (n.is_type<g::pred_expr>()) return BuildPredicates(n);
    if (n.is_type<g::additive>() || n.is_type<g::multiplicative>() || n.is_type<g::power>()) {
      return BuildOperatorChain(n);
    }
    if (n.is_type<g::unary_minus>()) {
      const Node& child = *n.children.at(0);
      if (child.is_type<g::int_lit>()) {
        KG_ASSIGN_OR_RETURN(ExprPtr lit, BuildIntLiteral(child, /*negate=*/true));
        lit->pos = PosOf(n);
        lit->text = std::string(n.string_view());
        return lit;
      }
      auto e = NewExpr(ExprKind::kNegate, n);
      KG_ASSIGN_OR_RETURN(ExprPtr operand, BuildExpr(child));
      e->AddChild(std::move(operand));
      return e;
    }
    if (n.is_type<g::unary_plus>()) return BuildExpr(*n.children.at(0));
    if (n.is_type<g::postfix_expr>()) return BuildPostfix(n);
    if (n.is_type<g::int_lit>()) return BuildIntLiteral(n, /*negate=*/false);
    if (n.is_type<g::float_lit>()) return BuildFloatLiteral(n);
    if (n.is_type<g::string_lit>()) return BuildString(n);
    if (n.is_type<g::lit_true>() || n.is_type<g::lit_false>() || n.is_type<g::lit_null>()) {
      auto e = NewExpr(ExprKind::kLiteral, n);
      if (!n.is_type<g::lit_null>()) e->literal = n.is_type<g::lit_true>();
      return e;
    }
    if (n.is_type<g::param>()) {
      auto e = NewExpr(ExprKind::kParameter, n);
      std::string name = std::string(n.string_view().substr(1));
      if (name.size() >= 2 && name.front() == '`') name = name.substr(1, name.size() - 2);
      e->name = std::move(name);
      return e;
    }
    if (n.is_type<g::variable>()) {
      auto e = NewExpr(ExprKind::kVariable, n);
      e->name = NameOf(n);
      return e;
    }
    if (n.is_type<g::paren_expr>()) {
      KG_ASSIGN_OR_RETURN(ExprPtr inner, BuildExpr(*n.children.at(0)));
      inner->text = std::string(n.string_view());
      return inner;
    }
    if (n.is_type<g::list_literal>()) {
      auto e = NewExpr(ExprKind::kList, n);
      for (const auto& c : n.children) {
        KG_ASSIGN_OR_RETURN(ExprPtr item, BuildExpr(*c));
        e->AddChild(std::move(item));
      }
      return e;
    }
    if (n.is_type<g::map_literal>()) {
      auto e = NewExpr(ExprKind::kMap, n);
      KG_ASSIGN_OR_RETURN(ast::PropertyMap entries, BuildPropertyMap(n));
      for (auto& [key, value] : entries) {
        e->map_keys.push_back(key);
        e->AddChild(std::move(value));
      }
      return e;
    }
    if (n.is_type<g::case_expr>()) {
      // case_expr: case_subject?, case_when+ (expr, expr), case_else?
      auto e = NewExpr(ExprKind::kCase, n);
      for (const auto& c : n.children) {
        if (c->is_type<g::case_subject>()) e->case_has_subject = true;
        if (c->is_type<g::case_else>()) e->case_has_else = true;
        for (const auto& part : c->children) {
          KG_ASSIGN_OR_RETURN(ExprPtr child, BuildExpr(*part));
          e->AddChild(std::move(child));
        }
      }
      return e;
    }
    if (n.is_type<g::count_star>()) return NewExpr(ExprKind::kCountStar, n);
    if (n.is_type<g::list_comprehension>() || n.is_type<g::quantifier>()) {
      // list_comprehension: variable, expr, comprehension_where?, comprehension_projection?
      // quantifier: quantifier_name, variable, expr, comprehension_where
      const bool quantifier = n.is_type<g::quantifier>();
      auto e = NewExpr(quantifier ? ExprKind::kQuantifier : ExprKind::kListComprehension, n);
      for (const auto& c : n.children) {
        if (c->is_type<g::quantifier_name>()) {
          e->name = schema::ToLowerAscii(c->string_view());
        } else if (c->is_type<g::comprehension_variable>()) {
          e->variable = NameOf(*c);
        } else if (c->is_type<g::comprehension_where>()) {
          e->has_where = true;
          KG_ASSIGN_OR_RETURN(ExprPtr w, BuildExpr(*c->children.at(0)));
          e->AddChild(std::move(w));
        } else if (c->is_type<g::comprehension_projection>()) {
          e->has_projection = true;
          KG_ASSIGN_OR_RETURN(ExprPtr p, BuildExpr(*c->children.at(0)));
          e->AddChild(std::move(p));
        } else {
          KG_ASSIGN_OR_RETURN(ExprPtr list, BuildExpr(*c));
          e->AddChild(std::move(list));
        }
      }
      return e;
    }
    if (n.is_type<g::pattern_predicate>()) {
      auto e = NewExpr(ExprKind::kPatternPredicate, n);
      KG_ASSIGN_OR_RETURN(ast::PatternPart part, BuildPattern(n));
      e->pattern = std::make_shared<const ast::PatternPart>(std::move(part));
      return e;
    }
    if (n.is_type<g::map_projection>()) {
      // map_projection: variable, item*
      auto e = NewExpr(ExprKind::kMapProjection, n);
      const Node& var = *n.children.at(0);
      auto base = NewExpr(ExprKind::kVariable, var);
      base->name = NameOf(var);
      e->AddChild(std::move(base));
      for (size_t i = 1; i < n.children.size(); ++i) {
        const Node& item = *n.children[i];
        if (item.is_type<g::map_projection_all>()) {
          e->map_all = true;
        } else if (item.is_type<g::map_projection_property>()) {
          const std::string key = NameOf(*item.children.at(0));
          auto prop = NewExpr(ExprKind::kProperty, item);
          prop->name = key;
          auto target = NewExpr(ExprKind::kVariable, var);
          target->name = NameOf(var);
          prop->AddChild(std::move(target));
          e->map_keys.push_back(key);
          e->AddChild(std::move(prop));
        } else if (item.is_type<g::map_projection_variable>()) {
          auto v = NewExpr(ExprKind::kVariable, item);
          v->name = NameOf(item);
          e->map_keys.push_back(v->name);
          e->AddChild(std::move(v));
        } else if (item.is_type<g::map_entry>() || item.is_type<g::map_projection_entry>()) {
          KG_ASSIGN_OR_RETURN(ExprPtr value, BuildExpr(*item.children.at(1)));
          e->map_keys.push_back(NameOf(*item.children.at(0)));
          e->AddChild(std::move(value));
        } else {
          return Unexpected(item);
        }
      }
      return e;
    }
    if (n.is_type<g::function_call>()) {
      auto e = NewExpr(ExprKind::kFunctionCall, n);
      for (const auto& c : n.children) {
        if (c->is_type<g::func_name>()) {
          e->name = std::string(c->string_view());
        } else if (c->is_type<g::distinct_marker>()) {
          e->distinct = true;
        } else {
          KG_ASSIGN_OR_RETURN(ExprPtr arg, BuildExpr(*c));
          e->AddChild(std::move(arg));
        }
      }
      return e;
    }
    return Unexpected(n);
  }

  std::string_view text_;
};

}  // namespace

TextPosition PositionAt(std::string_view text, size_t offset) {
  if (offset > text.size()) offset = text.size();
  TextPosition pos{1, 1, static_cast<int64_t>(offset)};
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
  }
  return pos;
}

Result<ast::Query> ParseQuery(std::string_view text) {
  if (text.size() > kMaxQueryBytes) {
    return Status::InvalidArgument("query is too long (" + std::to_string(text.size()) +
                                   " bytes; the maximum is " + std::to_string(kMaxQueryBytes) +
                                   ")");
  }
  try {
    pegtl::memory_input<> in(text.data(), text.size(), "query");
    std::unique_ptr<Node> root =
        pegtl::parse_tree::parse<g::Statement, Selector, DepthLimit, g::Control>(in);
    if (!root) {
      // Unreachable: the statement ends in must<end_of_query>, so failure always raises.
      return Status::SyntaxError("invalid query", TextPosition{1, 1, 0});
    }
    return AstBuilder(text).BuildStatement(*root);
  } catch (const pegtl::parse_error& e) {
    const auto& positions = e.positions();
    TextPosition pos{1, 1, 0};
    if (!positions.empty()) {
      pos = TextPosition{static_cast<int>(positions.front().line),
                         static_cast<int>(positions.front().column),
                         static_cast<int64_t>(positions.front().byte)};
    }
    std::string message(e.message());
    if (!message.empty() && message.front() == g::kNotSupportedMarker) {
      return Status::NotSupported(message.substr(1) + " is not supported yet").WithPosition(pos);
    }
    if (message.find("nesting depth") != std::string::npos) {
      return Status::SyntaxError("query is nested too deeply", pos);
    }
    return Status::SyntaxError(message + " but " + FoundAt(text, static_cast<size_t>(pos.offset)),
                               pos);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("query parser failed: ") + e.what());
  }
}

}  // namespace kg::query::parse

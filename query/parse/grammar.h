#pragma once
// The PEGTL grammar of codekg's Cypher-like query language (read-only openCypher subset).
//
// Layout: lexical rules (whitespace, comments, keywords, names, literals), expressions by
// precedence (OR < XOR < AND < NOT < comparison < string/list/null predicates < + - < * / % <
// ^ < unary < postfix < atom), patterns, clauses, and the statement. Keywords are case-insensitive.
//
// Errors. Every `must<R>` names a rule R that has a message in kErrorMessage below (enforced at
// compile time by must_if<..., RequireMessage=true>); a failed must<R> throws
// tao::pegtl::parse_error at the position where R was expected, and parse/parser.cc turns it into
// Status::SyntaxError("expected ...", position). Valid Cypher outside the subset (MERGE,
// SET, ...) is recognised by its keyword and raises a message starting with
// kNotSupportedMarker, which parser.cc turns into Status::NotSupported with the position.
//
// This header is included by parser.cc and by the tests (analyze<Statement>() == 0 issues).

#include <tao/pegtl.hpp>

namespace kg::query::parse::grammar {

namespace pegtl = tao::pegtl;
using pegtl::any;
using pegtl::at;
using pegtl::digit;
using pegtl::eof;
using pegtl::eolf;
using pegtl::failure;
using pegtl::identifier;
using pegtl::identifier_other;
using pegtl::if_must;
using pegtl::must;
using pegtl::not_at;
using pegtl::not_one;
using pegtl::one;
using pegtl::opt;
using pegtl::plus;
using pegtl::seq;
using pegtl::sor;
using pegtl::space;
using pegtl::star;
using pegtl::two;
using pegtl::until;
using pegtl::xdigit;

// ---- Whitespace and comments ----

// Unterminated comments, strings and quoted names are reported where they start.
struct unterminated_comment : failure {};
struct unterminated_string : failure {};
struct unterminated_name : failure {};

struct line_comment : seq<two<'/'>, until<eolf>> {};
struct block_comment : sor<seq<pegtl::string<'/', '*'>, until<pegtl::string<'*', '/'>>>,
                           seq<at<pegtl::string<'/', '*'>>, must<unterminated_comment>>> {};
struct ws : star<sor<space, line_comment, block_comment>> {};

// ---- Keywords (case-insensitive, whole words) ----

struct word_end : not_at<identifier_other> {};
#define KG_QUERY_KEYWORD(rule, text) \
  struct rule : seq<TAO_PEGTL_ISTRING(text), word_end> {}
KG_QUERY_KEYWORD(kw_match, "MATCH");
KG_QUERY_KEYWORD(kw_optional, "OPTIONAL");
KG_QUERY_KEYWORD(kw_where, "WHERE");
KG_QUERY_KEYWORD(kw_return, "RETURN");
KG_QUERY_KEYWORD(kw_with, "WITH");
KG_QUERY_KEYWORD(kw_unwind, "UNWIND");
KG_QUERY_KEYWORD(kw_create, "CREATE");
KG_QUERY_KEYWORD(kw_merge, "MERGE");
KG_QUERY_KEYWORD(kw_delete, "DELETE");
KG_QUERY_KEYWORD(kw_detach, "DETACH");
KG_QUERY_KEYWORD(kw_set, "SET");
KG_QUERY_KEYWORD(kw_remove, "REMOVE");
KG_QUERY_KEYWORD(kw_call, "CALL");
KG_QUERY_KEYWORD(kw_union, "UNION");
KG_QUERY_KEYWORD(kw_foreach, "FOREACH");
KG_QUERY_KEYWORD(kw_load, "LOAD");
KG_QUERY_KEYWORD(kw_use, "USE");
KG_QUERY_KEYWORD(kw_explain, "EXPLAIN");
KG_QUERY_KEYWORD(kw_profile, "PROFILE");
KG_QUERY_KEYWORD(kw_order, "ORDER");
KG_QUERY_KEYWORD(kw_by, "BY");
KG_QUERY_KEYWORD(kw_skip, "SKIP");
KG_QUERY_KEYWORD(kw_limit, "LIMIT");
KG_QUERY_KEYWORD(kw_distinct, "DISTINCT");
KG_QUERY_KEYWORD(kw_as, "AS");
KG_QUERY_KEYWORD(kw_asc, "ASC");
KG_QUERY_KEYWORD(kw_ascending, "ASCENDING");
KG_QUERY_KEYWORD(kw_desc, "DESC");
KG_QUERY_KEYWORD(kw_descending, "DESCENDING");
KG_QUERY_KEYWORD(kw_and, "AND");
KG_QUERY_KEYWORD(kw_or, "OR");
KG_QUERY_KEYWORD(kw_xor, "XOR");
KG_QUERY_KEYWORD(kw_not, "NOT");
KG_QUERY_KEYWORD(kw_in, "IN");
KG_QUERY_KEYWORD(kw_is, "IS");
KG_QUERY_KEYWORD(kw_null, "NULL");
KG_QUERY_KEYWORD(kw_true, "TRUE");
KG_QUERY_KEYWORD(kw_false, "FALSE");
KG_QUERY_KEYWORD(kw_starts, "STARTS");
KG_QUERY_KEYWORD(kw_ends, "ENDS");
KG_QUERY_KEYWORD(kw_contains, "CONTAINS");
KG_QUERY_KEYWORD(kw_case, "CASE");
KG_QUERY_KEYWORD(kw_when, "WHEN");
KG_QUERY_KEYWORD(kw_then, "THEN");
KG_QUERY_KEYWORD(kw_else, "ELSE");
KG_QUERY_KEYWORD(kw_end, "END");
KG_QUERY_KEYWORD(kw_count, "COUNT");
KG_QUERY_KEYWORD(kw_yield, "YIELD");
KG_QUERY_KEYWORD(kw_any, "ANY");
KG_QUERY_KEYWORD(kw_all, "ALL");
KG_QUERY_KEYWORD(kw_none, "NONE");
KG_QUERY_KEYWORD(kw_single, "SINGLE");
#undef KG_QUERY_KEYWORD

// Words that cannot be used as unquoted variable or function names.
struct reserved : sor<kw_match, kw_optional, kw_where, kw_return, kw_with, kw_unwind, kw_create,
                      kw_merge, kw_delete, kw_detach, kw_set, kw_remove, kw_call, kw_union,
                      kw_foreach, kw_load, kw_explain, kw_profile, kw_order, kw_by, kw_skip,
                      kw_limit, kw_distinct, kw_as, kw_asc, kw_ascending, kw_desc, kw_descending,
                      kw_and, kw_or, kw_xor, kw_not, kw_in, kw_is, kw_null, kw_true, kw_false,
                      kw_starts, kw_ends, kw_contains, kw_case, kw_when, kw_then, kw_else, kw_end> {
};

// ---- Names ----

struct quoted_name
    : sor<seq<one<'`'>, until<one<'`'>>>, seq<at<one<'`'>>, must<unterminated_name>>> {};
// Any name (labels, types, property keys may be keywords, e.g. [:CONTAINS]).
struct symbolic_name : sor<quoted_name, identifier> {};
struct variable : sor<quoted_name, seq<not_at<reserved>, identifier>> {};
struct label_name : symbolic_name {};
struct type_name : symbolic_name {};
struct prop_key : symbolic_name {};
struct map_key : symbolic_name {};
struct alias_name : symbolic_name {};
struct param_name : sor<symbolic_name, plus<digit>> {};
struct func_name : seq<not_at<reserved>, identifier> {};

// ---- Punctuation that is required at some point (named for error messages) ----

struct rparen : one<')'> {};
struct rbracket : one<']'> {};
struct rbrace : one<'}'> {};
struct colon : one<':'> {};
struct comma : one<','> {};
struct dash : one<'-'> {};

// ---- Literals ----

struct escape_seq : seq<one<'\\'>, any> {};
struct sq_string : seq<one<'\''>, star<sor<escape_seq, not_one<'\'', '\\'>>>, one<'\''>> {};
struct dq_string : seq<one<'"'>, star<sor<escape_seq, not_one<'"', '\\'>>>, one<'"'>> {};
struct string_lit : sor<sq_string, dq_string, seq<at<one<'\'', '"'>>, must<unterminated_string>>> {
};
struct digits : plus<digit> {};
struct exponent : seq<one<'e', 'E'>, opt<one<'+', '-'>>, digits> {};
struct float_lit : seq<sor<seq<digits, one<'.'>, digits, opt<exponent>>,
                           seq<one<'.'>, digits, opt<exponent>>, seq<digits, exponent>>,
                       word_end> {};
struct int_lit : seq<sor<seq<one<'0'>, one<'x', 'X'>, plus<xdigit>>,
                         seq<one<'0'>, one<'o'>, plus<pegtl::range<'0', '7'>>>, digits>,
                     word_end> {};
struct lit_true : kw_true {};
struct lit_false : kw_false {};
struct lit_null : kw_null {};
struct param : seq<one<'$'>, must<param_name>> {};

// ---- Features recognised only to report NotSupported (message marker, see parser.cc) ----

struct ns_merge : failure {};
struct ns_delete : failure {};
struct ns_set : failure {};
struct ns_remove : failure {};
struct ns_union : failure {};
struct ns_foreach : failure {};
struct ns_load : failure {};
struct ns_use : failure {};
template <typename Keyword, typename Report>
struct unsupported : seq<at<Keyword>, must<Report>> {};

// ---- Expressions ----

struct expression;
struct label_group;
struct rel_types;
struct var_length;
struct left_arrow;
struct right_arrow;

struct list_literal : seq<one<'['>, ws, opt<expression, ws, star<comma, ws, must<expression>, ws>>,
                          must<rbracket>> {};
struct map_entry : seq<map_key, ws, must<colon>, ws, must<expression>> {};
struct map_literal
    : seq<one<'{'>, ws, opt<map_entry, ws, star<comma, ws, must<map_entry>, ws>>, must<rbrace>> {};
struct count_star : seq<kw_count, ws, one<'('>, ws, one<'*'>, ws, must<rparen>> {};
struct distinct_marker : kw_distinct {};
struct function_call
    : seq<func_name, ws, one<'('>, ws, opt<distinct_marker, ws>,
          opt<expression, ws, star<comma, ws, must<expression>, ws>>, must<rparen>> {};
struct paren_expr : seq<one<'('>, ws, must<expression>, ws, must<rparen>> {};
// CASE [subject] WHEN a THEN b ... [ELSE c] END
struct case_subject : seq<expression> {};
struct case_when : seq<kw_when, ws, must<expression>, ws, must<kw_then>, ws, must<expression>> {};
struct case_else : seq<kw_else, ws, must<expression>> {};
struct case_expr : seq<kw_case, ws, opt<case_subject, ws>, must<case_when>, star<ws, case_when>,
                       opt<ws, case_else>, ws, must<kw_end>> {};
// [x IN list [WHERE pred] [| expr]]; tried before list_literal (`[x IN l]` is a comprehension).
struct comprehension_variable : variable {};
struct comprehension_where : seq<kw_where, ws, must<expression>> {};
struct comprehension_projection : seq<one<'|'>, ws, must<expression>> {};
struct list_comprehension
    : seq<one<'['>, ws, comprehension_variable, ws, kw_in, ws, expression,
          opt<ws, comprehension_where>, opt<ws, comprehension_projection>, ws, one<']'>> {};
// ANY / ALL / NONE / SINGLE (x IN list WHERE pred)
struct quantifier_name : sor<kw_any, kw_all, kw_none, kw_single> {};
struct quantifier : seq<quantifier_name, ws, one<'('>, ws, comprehension_variable, ws, must<kw_in>,
                        ws, must<expression>, ws, must<comprehension_where>, ws, must<rparen>> {};
// A pattern used as an expression, e.g. `(a)-[:CALLS]->(:Function)`: at least one
// relationship. Its rules never raise (so `(a) - (b)` still parses as a subtraction).
struct pp_node
    : seq<one<'('>, ws, opt<variable, ws>, star<label_group, ws>, opt<map_literal, ws>, one<')'>> {
};
struct pp_rel_detail : seq<one<'['>, ws, opt<variable, ws>, opt<rel_types, ws>, opt<var_length, ws>,
                           opt<map_literal, ws>, one<']'>> {};
struct pp_rel
    : seq<opt<left_arrow, ws>, dash, ws, opt<pp_rel_detail, ws>, dash, opt<ws, right_arrow>> {};
struct pattern_predicate : seq<pp_node, plus<ws, pp_rel, ws, pp_node>> {};
// n {.key, key: expr, .*, var}
struct map_projection_all : seq<one<'.'>, ws, one<'*'>> {};
struct map_projection_property : seq<one<'.'>, ws, prop_key> {};
struct map_projection_variable : variable {};
struct map_projection_entry : seq<map_key, ws, colon, ws, must<expression>> {};
struct map_projection_item : sor<map_projection_all, map_projection_property, map_projection_entry,
                                 map_projection_variable> {};
struct map_projection
    : seq<variable, ws, one<'{'>, ws,
          opt<map_projection_item, ws, star<comma, ws, must<map_projection_item>, ws>>,
          must<rbrace>> {};
struct atom : sor<float_lit, int_lit, string_lit, lit_true, lit_false, lit_null, param,
                  list_comprehension, list_literal, map_literal, case_expr, count_star, quantifier,
                  function_call, pattern_predicate, paren_expr, map_projection, variable> {};

struct property_lookup : seq<one<'.'>, ws, must<prop_key>> {};
struct index_lookup : seq<one<'['>, ws, must<expression>, ws, must<rbracket>> {};
struct postfix_expr : seq<atom, star<ws, sor<property_lookup, index_lookup, label_group>>> {};

struct unary;
struct unary_minus : seq<one<'-'>, ws, must<unary>> {};
struct unary_plus : seq<one<'+'>, ws, must<unary>> {};
struct unary : sor<unary_minus, unary_plus, postfix_expr> {};

struct op_mul : one<'*'> {};
struct op_div : seq<one<'/'>, not_at<one<'/', '*'>>> {};
struct op_mod : one<'%'> {};
struct op_pow : one<'^'> {};
struct power : seq<unary, star<ws, op_pow, ws, must<unary>>> {};
struct multiplicative : seq<power, star<ws, sor<op_mul, op_div, op_mod>, ws, must<power>>> {};

struct op_add : one<'+'> {};
struct op_sub : one<'-'> {};
struct additive : seq<multiplicative, star<ws, sor<op_add, op_sub>, ws, must<multiplicative>>> {};

struct suffix_starts_with : seq<kw_starts, ws, must<kw_with>, ws, must<additive>> {};
struct suffix_ends_with : seq<kw_ends, ws, must<kw_with>, ws, must<additive>> {};
struct suffix_contains : seq<kw_contains, ws, must<additive>> {};
struct suffix_in : seq<kw_in, ws, must<additive>> {};
struct suffix_regex : seq<pegtl::string<'=', '~'>, ws, must<additive>> {};
struct suffix_is_not_null : seq<kw_is, ws, kw_not, ws, must<kw_null>> {};
struct suffix_is_null : seq<kw_is, ws, must<kw_null>> {};
struct pred_expr
    : seq<additive, star<ws, sor<suffix_starts_with, suffix_ends_with, suffix_contains, suffix_in,
                                 suffix_regex, suffix_is_not_null, suffix_is_null>>> {};

struct op_ne : sor<pegtl::string<'<', '>'>, pegtl::string<'!', '='>> {};
struct op_le : pegtl::string<'<', '='> {};
struct op_ge : pegtl::string<'>', '='> {};
struct op_eq : seq<one<'='>, not_at<one<'~'>>> {};
struct op_lt : one<'<'> {};
struct op_gt : one<'>'> {};
struct comparison
    : seq<pred_expr, star<ws, sor<op_ne, op_le, op_ge, op_eq, op_lt, op_gt>, ws, must<pred_expr>>> {
};

struct not_expr;
struct not_op : seq<kw_not, ws, must<not_expr>> {};
struct not_expr : sor<not_op, comparison> {};
struct and_expr : seq<not_expr, star<ws, kw_and, ws, must<not_expr>>> {};
struct xor_expr : seq<and_expr, star<ws, kw_xor, ws, must<and_expr>>> {};
struct or_expr : seq<xor_expr, star<ws, kw_or, ws, must<xor_expr>>> {};
// Not `: or_expr` (that would inherit or_expr's rule_t and hide the or_expr node).
struct expression : seq<or_expr> {};

// ---- Patterns ----

// `:A|B` (alternation); `:A:B` is two groups (conjunction).
struct label_group
    : seq<colon, ws, must<label_name>, star<ws, one<'|'>, ws, opt<colon, ws>, must<label_name>>> {};
struct node_pattern
    : seq<one<'('>, ws, opt<variable, ws>, opt<label_group, star<ws, label_group>, ws>,
          opt<map_literal, ws>, must<rparen>> {};

struct range_min : digits {};
struct range_dots : two<'.'> {};
struct range_max : digits {};
struct var_length : seq<one<'*'>, ws, opt<range_min, ws>, opt<range_dots, ws, opt<range_max>>> {};
struct rel_types
    : seq<colon, ws, must<type_name>, star<ws, one<'|'>, ws, opt<colon, ws>, must<type_name>>> {};
struct rel_detail : seq<one<'['>, ws, opt<variable, ws>, opt<rel_types, ws>, opt<var_length, ws>,
                        opt<map_literal, ws>, must<rbracket>> {};
struct left_arrow : one<'<'> {};
struct right_arrow : one<'>'> {};
struct rel_pattern
    : seq<opt<left_arrow, ws>, dash, ws, opt<rel_detail, ws>, must<dash>, opt<ws, right_arrow>> {};

struct path_var : variable {};
struct pattern : seq<opt<path_var, ws, one<'='>, ws>, node_pattern,
                     star<ws, rel_pattern, ws, must<node_pattern>>> {};

// ---- Clauses ----

struct where_clause : seq<kw_where, ws, must<expression>> {};
struct optional_marker : kw_optional {};
struct match_clause : seq<opt<optional_marker, ws>, kw_match, ws, must<pattern>,
                          star<ws, comma, ws, must<pattern>>, opt<ws, where_clause>> {};
// CALL db.search('text') [YIELD node [AS n], score [AS s] [WHERE ...]]: a procedure call.
struct procedure_name : seq<identifier, star<one<'.'>, identifier>> {};
struct yield_field : symbolic_name {};
struct yield_item : seq<yield_field, opt<ws, kw_as, ws, must<alias_name>>> {};
struct call_clause
    : seq<kw_call, ws, procedure_name, ws, one<'('>, ws,
          opt<expression, ws, star<comma, ws, must<expression>, ws>>, must<rparen>,
          opt<ws, kw_yield, ws, must<yield_item>, star<ws, comma, ws, must<yield_item>>>,
          opt<ws, where_clause>> {};
// CREATE pattern, ...: writes the pattern's nodes and relationships (graph-level facts).
struct create_clause : seq<kw_create, ws, must<pattern>, star<ws, comma, ws, must<pattern>>> {};
struct unsupported_clause : sor<unsupported<kw_merge, ns_merge>, unsupported<kw_delete, ns_delete>,
                                unsupported<kw_detach, ns_delete>, unsupported<kw_set, ns_set>,
                                unsupported<kw_remove, ns_remove>,
                                unsupported<kw_foreach, ns_foreach>, unsupported<kw_load, ns_load>,
                                unsupported<kw_union, ns_union>, unsupported<kw_use, ns_use>> {};
struct return_star : one<'*'> {};
struct return_item : seq<expression, opt<ws, kw_as, ws, must<alias_name>>> {};
struct return_items : sor<return_star, seq<return_item, star<ws, comma, ws, must<return_item>>>> {};
struct sort_desc : sor<kw_descending, kw_desc> {};
struct sort_asc : sor<kw_ascending, kw_asc> {};
struct sort_item : seq<expression, opt<ws, sor<sort_desc, sort_asc>>> {};
struct order_by
    : seq<kw_order, ws, must<kw_by>, ws, must<sort_item>, star<ws, comma, ws, must<sort_item>>> {};
struct skip_clause : seq<kw_skip, ws, must<expression>> {};
struct limit_clause : seq<kw_limit, ws, must<expression>> {};

struct with_clause
    : seq<kw_with, ws, opt<distinct_marker, ws>, must<return_items>, opt<ws, order_by>,
          opt<ws, skip_clause>, opt<ws, limit_clause>, opt<ws, where_clause>> {};
struct unwind_variable : variable {};
struct unwind_clause
    : seq<kw_unwind, ws, must<expression>, ws, must<kw_as>, ws, must<unwind_variable>> {};
struct reading_clause : sor<match_clause, with_clause, unwind_clause, create_clause, call_clause,
                            unsupported_clause> {};
struct return_clause : seq<kw_return, ws, opt<distinct_marker, ws>, must<return_items>,
                           opt<ws, order_by>, opt<ws, skip_clause>, opt<ws, limit_clause>> {};

// ---- Statement ----

struct explain_marker : kw_explain {};
struct profile_marker : kw_profile {};
struct end_of_query : eof {};
// A statement without RETURN is accepted here only at the end of the input; parser.cc requires
// that it ends with CREATE.
struct no_return : at<opt<one<';'>>, ws, eof> {};
struct statement
    : seq<ws, opt<sor<explain_marker, profile_marker>, ws>, star<reading_clause, ws>,
          sor<no_return, must<return_clause>>, ws, opt<unsupported<kw_union, ns_union>>,
          opt<one<';'>, ws>, must<end_of_query>> {};

// ---- Error messages ----

// Messages starting with this marker mean "valid Cypher, not supported"; the rest of the
// message names the feature.
inline constexpr char kNotSupportedMarker = '\x01';

template <typename Rule>
inline constexpr const char* kErrorMessage = nullptr;

#define KG_QUERY_ERROR(rule, msg) \
  template <>                     \
  inline constexpr const char* kErrorMessage<rule> = msg
KG_QUERY_ERROR(unterminated_comment, "unterminated comment: expected '*/'");
KG_QUERY_ERROR(unterminated_name, "unterminated quoted name: expected a closing '`'");
KG_QUERY_ERROR(unterminated_string, "unterminated string literal: expected a closing quote");
KG_QUERY_ERROR(param_name, "expected a parameter name after '$'");
KG_QUERY_ERROR(rparen, "expected ')'");
KG_QUERY_ERROR(rbracket, "expected ']'");
KG_QUERY_ERROR(rbrace, "expected '}'");
KG_QUERY_ERROR(colon, "expected ':'");
KG_QUERY_ERROR(dash, "expected '-' to complete the relationship pattern");
KG_QUERY_ERROR(map_entry, "expected a property 'key: value'");
KG_QUERY_ERROR(expression, "expected an expression");
KG_QUERY_ERROR(unary, "expected an expression");
KG_QUERY_ERROR(multiplicative, "expected an expression");
KG_QUERY_ERROR(power, "expected an expression");
KG_QUERY_ERROR(case_when, "expected WHEN");
KG_QUERY_ERROR(kw_then, "expected THEN");
KG_QUERY_ERROR(kw_end, "expected END");
KG_QUERY_ERROR(additive, "expected an expression");
KG_QUERY_ERROR(pred_expr, "expected an expression");
KG_QUERY_ERROR(not_expr, "expected an expression");
KG_QUERY_ERROR(and_expr, "expected an expression");
KG_QUERY_ERROR(xor_expr, "expected an expression");
KG_QUERY_ERROR(prop_key, "expected a property name after '.'");
KG_QUERY_ERROR(kw_with, "expected WITH");
KG_QUERY_ERROR(kw_null, "expected NULL");
KG_QUERY_ERROR(kw_by, "expected BY after ORDER");
KG_QUERY_ERROR(kw_as, "expected AS");
KG_QUERY_ERROR(kw_in, "expected IN");
KG_QUERY_ERROR(yield_item, "expected a field name after YIELD");
KG_QUERY_ERROR(comprehension_where, "expected WHERE and a predicate");
KG_QUERY_ERROR(map_projection_item, "expected a map projection item such as .name or key: value");
KG_QUERY_ERROR(unwind_variable, "expected a variable name after AS");
KG_QUERY_ERROR(label_name, "expected a label name");
KG_QUERY_ERROR(type_name, "expected a relationship type name");
KG_QUERY_ERROR(node_pattern, "expected a node pattern such as (n)");
KG_QUERY_ERROR(pattern, "expected a pattern such as (n:Label)");
KG_QUERY_ERROR(alias_name, "expected a column name after AS");
KG_QUERY_ERROR(return_items, "expected an expression or '*' to return");
KG_QUERY_ERROR(return_item, "expected an expression to return");
KG_QUERY_ERROR(sort_item, "expected an expression to sort by");
KG_QUERY_ERROR(return_clause, "expected MATCH or RETURN");
KG_QUERY_ERROR(end_of_query, "expected end of query");
KG_QUERY_ERROR(ns_merge,
               "\x01"
               "MERGE");
KG_QUERY_ERROR(ns_delete,
               "\x01"
               "DELETE");
KG_QUERY_ERROR(ns_set,
               "\x01"
               "SET");
KG_QUERY_ERROR(ns_remove,
               "\x01"
               "REMOVE");
KG_QUERY_ERROR(ns_union,
               "\x01"
               "UNION");
KG_QUERY_ERROR(ns_foreach,
               "\x01"
               "FOREACH");
KG_QUERY_ERROR(ns_load,
               "\x01"
               "LOAD CSV");
KG_QUERY_ERROR(ns_use,
               "\x01"
               "USE");
#undef KG_QUERY_ERROR

// Only must<> raises (an alternative that merely fails never does).
struct Errors {
  template <typename Rule>
  static constexpr const char* message = kErrorMessage<Rule>;
  template <typename Rule>
  static constexpr bool raise_on_failure = false;
};

template <typename Rule>
using Control = pegtl::must_if<Errors, pegtl::normal, /*RequireMessage=*/true>::control<Rule>;

// The whole statement.
using Statement = statement;

}  // namespace kg::query::parse::grammar

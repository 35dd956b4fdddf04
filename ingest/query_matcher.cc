#include "ingest/query_matcher.h"

#include <algorithm>
#include <cctype>
#include <tuple>
#include <utility>

namespace kg::ingest {
namespace {

enum class Quant : uint8_t { kOne, kOptional, kStar, kPlus };

constexpr TSSymbol kErrorSymbol = static_cast<TSSymbol>(-1);  // ts_builtin_sym_error

// One element of a pattern: a node (named or anonymous), a wildcard, or an alternation.
struct Element {
  enum class Kind : uint8_t { kNode, kWildcardNamed, kWildcardAny, kAlternation };
  Kind kind = Kind::kNode;
  TSSymbol symbol = 0;  // kNode
  TSFieldId field = 0;  // the field the node must be in, 0 = any
  Quant quant = Quant::kOne;
  bool immediate = false;  // anchored after its predecessor: no named sibling in between
  bool last = false;       // anchored at the end: no named sibling after it
  uint16_t depth = 0;      // below the pattern's first node
  std::vector<TSFieldId> negated;
  std::vector<uint16_t> captures;
  std::vector<uint32_t> children;      // the child sequence, element indices
  std::vector<uint32_t> alternatives;  // kAlternation
};

struct Pattern {
  std::vector<uint32_t> top;  // the first node, or a top-level group of siblings
  std::vector<QueryMatcher::Predicate> predicates;
  bool has_quantifier = false;
};

// A function reference that does not own its callable (lambdas outlive every call here).
class Next {
 public:
  template <typename F>
  Next(const F& f)  // NOLINT: implicit, as a std::function would be
      : obj_(&f), call_([](const void* o) { (*static_cast<const F*>(o))(); }) {}
  void operator()() const { call_(obj_); }

 private:
  const void* obj_;
  void (*call_)(const void*);
};

bool IsIdentStart(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}
bool IsIdentChar(char c) { return IsIdentStart(c) || c == '.' || c == '?' || c == '!'; }

}  // namespace

struct QueryMatcher::Impl {
  std::vector<Element> elements;
  std::vector<Pattern> patterns;
  std::vector<std::string> capture_names;
  std::vector<std::vector<uint16_t>> by_symbol;  // symbol -> patterns that can start there
  // symbol -> whether a pattern may check the field of a child of such a node (the others'
  // children are listed without asking the cursor for their field); index `symbols` stands
  // for every symbol at once.
  std::vector<bool> child_fields;
  // Anonymous leaves (punctuation, keywords) are left out of a file's node table unless a
  // pattern names their symbol (`anon_used`, by symbol) or may see every child of their parent:
  // a `_` wildcard, or a quantifier, whose repetitions must be adjacent siblings (`anon_all`, by
  // parent symbol, index `symbols` for any parent). Nothing else looks at them: anchors skip
  // anonymous nodes.
  std::vector<bool> anon_used, anon_all;
};

class QueryMatcher::Scratch {
 public:
  Scratch() : cursor(ts_tree_cursor_new(TSNode{})) {}
  ~Scratch() { ts_tree_cursor_delete(&cursor); }

  // Every node of the tree, each node's visible children next to each other (breadth first):
  // listing them once is one walk of the tree, and matching then reads only this table.
  struct Node {
    TSNode node;
    uint32_t kids_begin = 0, kids_count = 0;  // its children, indices into `nodes`
    uint32_t parent = 0;                      // kNone for the root
    uint32_t depth = 0;
    TSSymbol symbol = 0;
    TSFieldId field = 0;  // its field in the parent, 0 = none
    bool named = false;
  };
  struct Rec {  // one match, until sorted
    uint32_t end_start, end_end;
    uint32_t end_depth, root_depth;
    uint32_t pattern, seq;
    uint32_t cap_begin, cap_count;
  };

  TSTreeCursor cursor;
  std::vector<Node> nodes;
  std::vector<TSQueryCapture> stack;  // captures of the assignment in progress
  std::vector<uint32_t> trail;        // the nodes assigned so far, in pattern order
  std::vector<TSQueryCapture> captures;
  std::vector<Rec> recs;
  std::vector<TSQueryMatch> out;
};

namespace {

// ---- Compiling ----

class Parser {
 public:
  Parser(const TSLanguage* grammar, std::string_view text, QueryMatcher::Impl* out)
      : g_(grammar), s_(text), out_(out) {}

  Status Run() {
    for (;;) {
      SkipSpace();
      if (at_ >= s_.size()) return Status::OK();
      size_t start = at_;
      Pattern p;
      pattern_ = &p;
      Kind k = Kind::kElement;
      KG_RETURN_IF_ERROR(ParsePattern(0, &p.top, false, &k));
      if (k == Kind::kClose) return Fail(start, "unexpected '" + std::string(1, s_[at_]) + "'");
      if (k == Kind::kPredicate || p.top.empty())
        return Fail(start, "a predicate outside a pattern");
      const Element& first = out_->elements[p.top[0]];
      if (first.quant != Quant::kOne) {
        return Fail(start, "a quantifier on a pattern's first node is not supported");
      }
      out_->patterns.push_back(std::move(p));
    }
  }

 private:
  enum class Kind { kElement, kGroup, kPredicate, kClose };

  Status Fail(size_t pos, const std::string& what) const {
    TextPosition p;
    p.offset = static_cast<int64_t>(pos);
    p.line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < pos && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++p.line;
        line_start = i + 1;
      }
    }
    p.column = static_cast<int>(pos - line_start) + 1;
    return Status::SyntaxError("query: " + what, p);
  }

  void SkipSpace() {
    while (at_ < s_.size()) {
      char c = s_[at_];
      if (c == ';') {
        while (at_ < s_.size() && s_[at_] != '\n') ++at_;
      } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
        ++at_;
      } else {
        return;
      }
    }
  }
  bool Peek(char c) const { return at_ < s_.size() && s_[at_] == c; }
  std::string_view Ident() {
    size_t start = at_;
    if (at_ < s_.size() && IsIdentStart(s_[at_])) {
      ++at_;
      while (at_ < s_.size() && IsIdentChar(s_[at_])) ++at_;
    }
    return s_.substr(start, at_ - start);
  }
  Status String(std::string* out) {  // at the opening quote
    size_t start = at_++;
    for (;;) {
      if (at_ >= s_.size()) return Fail(start, "unterminated string");
      char c = s_[at_++];
      if (c == '"') return Status::OK();
      if (c == '\\') {
        if (at_ >= s_.size()) return Fail(start, "unterminated string");
        char e = s_[at_++];
        out->push_back(e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e == '0' ? '\0' : e);
      } else {
        out->push_back(c);
      }
    }
  }

  uint32_t NewElement(uint16_t depth) {
    out_->elements.emplace_back();
    out_->elements.back().depth = depth;
    return static_cast<uint32_t>(out_->elements.size() - 1);
  }

  // Parses one pattern (or predicate) at `depth`, appending its element to *seq. *kind tells
  // what was there; kClose leaves the ')' or ']' unread.
  Status ParsePattern(uint16_t depth, std::vector<uint32_t>* seq, bool immediate, Kind* kind) {
    SkipSpace();
    if (at_ >= s_.size()) return Fail(at_, "unexpected end of the query");
    const size_t start = at_;
    const char c = s_[at_];
    *kind = Kind::kElement;
    uint32_t e = 0;
    if (c == ')' || c == ']') {
      *kind = Kind::kClose;
      return Status::OK();
    }
    if (c == '[') {
      ++at_;
      e = NewElement(depth);
      out_->elements[e].kind = Element::Kind::kAlternation;
      std::vector<uint32_t> alts;
      for (;;) {
        Kind k;
        KG_RETURN_IF_ERROR(ParsePattern(depth, &alts, false, &k));
        if (k == Kind::kClose) {
          if (s_[at_] != ']') return Fail(at_, "expected ']'");
          ++at_;
          break;
        }
        if (k != Kind::kElement) return Fail(start, "an alternation holds nodes only");
        if (out_->elements[alts.back()].kind == Element::Kind::kAlternation) {
          return Fail(start, "nested alternations are not supported");
        }
      }
      if (alts.empty()) return Fail(start, "an empty alternation");
      out_->elements[e].alternatives = std::move(alts);
    } else if (c == '(') {
      ++at_;
      SkipSpace();
      if (Peek('(') || Peek('"') || Peek('[')) {  // a group of siblings
        if (depth > 0 || !seq->empty()) {
          return Fail(start, "groups inside a pattern are not supported");
        }
        bool anchor = false;
        for (;;) {
          SkipSpace();
          if (Peek('.')) {
            if (seq->empty()) return Fail(at_, "an anchor before a group's first node");
            anchor = true;
            ++at_;
            continue;
          }
          Kind k;
          KG_RETURN_IF_ERROR(ParsePattern(0, seq, anchor, &k));
          if (k == Kind::kClose) {
            if (s_[at_] != ')') return Fail(at_, "expected ')'");
            if (anchor) return Fail(at_, "an anchor after a group's last node");
            ++at_;
            break;
          }
          if (k == Kind::kGroup) return Fail(start, "nested groups are not supported");
          if (k == Kind::kElement) anchor = false;
        }
        if (seq->empty()) return Fail(start, "an empty group");
        *kind = Kind::kGroup;
        SkipSpace();
        if (Peek('*') || Peek('+') || Peek('?')) {
          return Fail(at_, "quantifiers on a group are not supported");
        }
        if (Peek('@')) {  // captures after a group of one node: that node's
          if (seq->size() != 1)
            return Fail(at_, "captures on a group of siblings are not supported");
          e = seq->back();
          seq->pop_back();
          *kind = Kind::kElement;
          return Suffixes(e, out_->elements[e].immediate, seq);
        }
        return Status::OK();
      }
      if (Peek('#')) {  // a predicate: (#name? @capture "text" word ...)
        ++at_;
        QueryMatcher::Predicate pred;
        pred.offset = start;
        pred.name = std::string(Ident());
        if (pred.name.empty()) return Fail(at_, "expected a predicate name");
        for (;;) {
          SkipSpace();
          if (at_ >= s_.size()) return Fail(start, "unterminated predicate");
          if (Peek(')')) {
            ++at_;
            break;
          }
          QueryMatcher::Predicate::Arg arg;
          if (Peek('@')) {
            size_t cap = ++at_;
            std::string_view name = CaptureName();
            auto& names = out_->capture_names;
            auto it = std::find(names.begin(), names.end(), name);
            if (it == names.end()) {
              return Fail(cap - 1, "unknown capture @" + std::string(name));
            }
            arg.is_capture = true;
            arg.capture = static_cast<uint32_t>(it - names.begin());
          } else if (Peek('"')) {
            KG_RETURN_IF_ERROR(String(&arg.text));
          } else {
            arg.text = std::string(Ident());
            if (arg.text.empty()) {
              return Fail(at_, "unexpected '" + std::string(1, s_[at_]) + "' in a predicate");
            }
          }
          pred.args.push_back(std::move(arg));
        }
        pattern_->predicates.push_back(std::move(pred));
        *kind = Kind::kPredicate;
        return Status::OK();
      }
      e = NewElement(depth);
      size_t name_at = at_;
      if (Peek('_') && (at_ + 1 >= s_.size() || !IsIdentChar(s_[at_ + 1]))) {
        ++at_;
        out_->elements[e].kind = Element::Kind::kWildcardNamed;
      } else {
        std::string_view name = Ident();
        if (name.empty()) return Fail(at_, "expected a node type");
        if (Peek('/')) return Fail(at_, "supertype patterns are not supported");
        if (name == "ERROR" || name == "MISSING") {
          return Fail(name_at, std::string(name) + " patterns are not supported");
        }
        TSSymbol sym =
            ts_language_symbol_for_name(g_, name.data(), static_cast<uint32_t>(name.size()), true);
        if (sym == 0) return Fail(name_at, "unknown node type '" + std::string(name) + "'");
        if (ts_language_symbol_type(g_, sym) != TSSymbolTypeRegular) {
          return Fail(name_at,
                      "supertype patterns are not supported ('" + std::string(name) + "')");
        }
        out_->elements[e].symbol = sym;
      }
      bool anchor = false;
      std::vector<uint32_t> children;
      for (;;) {
        SkipSpace();
        if (at_ >= s_.size()) return Fail(start, "unterminated node pattern");
        if (Peek(')')) {
          ++at_;
          if (anchor) {
            if (children.empty()) return Fail(at_ - 1, "an anchor in a node without children");
            out_->elements[children.back()].last = true;
          }
          break;
        }
        if (Peek('!')) {
          ++at_;
          size_t f_at = at_;
          std::string_view f = Ident();
          TSFieldId id = f.empty() ? 0
                                   : ts_language_field_id_for_name(g_, f.data(),
                                                                   static_cast<uint32_t>(f.size()));
          if (id == 0) return Fail(f_at, "unknown field '" + std::string(f) + "'");
          out_->elements[e].negated.push_back(id);
          continue;
        }
        if (Peek('.')) {
          anchor = true;
          ++at_;
          continue;
        }
        Kind k;
        KG_RETURN_IF_ERROR(ParsePattern(depth + 1, &children, anchor, &k));
        if (k == Kind::kClose) return Fail(at_, "expected ')'");
        if (k == Kind::kElement) anchor = false;
      }
      out_->elements[e].children = std::move(children);
    } else if (c == '"') {
      std::string text;
      KG_RETURN_IF_ERROR(String(&text));
      TSSymbol sym =
          ts_language_symbol_for_name(g_, text.data(), static_cast<uint32_t>(text.size()), false);
      if (sym == 0) return Fail(start, "unknown node type \"" + text + "\"");
      e = NewElement(depth);
      out_->elements[e].symbol = sym;
    } else if (c == '_' && (at_ + 1 >= s_.size() || !IsIdentChar(s_[at_ + 1]))) {
      ++at_;
      e = NewElement(depth);
      out_->elements[e].kind = Element::Kind::kWildcardAny;
    } else if (IsIdentStart(c)) {  // field: pattern
      std::string_view f = Ident();
      SkipSpace();
      if (!Peek(':'))
        return Fail(start, "expected ':' after the field name '" + std::string(f) + "'");
      ++at_;
      TSFieldId id = ts_language_field_id_for_name(g_, f.data(), static_cast<uint32_t>(f.size()));
      if (id == 0) return Fail(start, "unknown field '" + std::string(f) + "'");
      Kind k;
      KG_RETURN_IF_ERROR(ParsePattern(depth, seq, immediate, &k));
      if (k != Kind::kElement) return Fail(start, "a field holds a node pattern");
      out_->elements[seq->back()].field = id;
      return Status::OK();
    } else {
      return Fail(start, "unexpected '" + std::string(1, c) + "'");
    }
    return Suffixes(e, immediate, seq);
  }

  // A pattern's quantifier, then its captures; appends the element to *seq.
  Status Suffixes(uint32_t e, bool immediate, std::vector<uint32_t>* seq) {
    Element* el = &out_->elements[e];
    el->immediate = immediate;
    for (;;) {
      SkipSpace();
      if (Peek('*') || Peek('+') || Peek('?')) {
        if (el->quant != Quant::kOne) return Fail(at_, "two quantifiers");
        el->quant = Peek('*') ? Quant::kStar : Peek('+') ? Quant::kPlus : Quant::kOptional;
        pattern_->has_quantifier = true;
        ++at_;
      } else if (Peek('@')) {
        ++at_;
        std::string_view name = CaptureName();
        if (name.empty()) return Fail(at_, "expected a capture name");
        auto& names = out_->capture_names;
        auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) it = names.insert(names.end(), std::string(name));
        el->captures.push_back(static_cast<uint16_t>(it - names.begin()));
      } else {
        break;
      }
    }
    seq->push_back(e);
    return Status::OK();
  }

  std::string_view CaptureName() {
    size_t start = at_;
    while (at_ < s_.size() && IsIdentChar(s_[at_])) ++at_;
    return s_.substr(start, at_ - start);
  }

  const TSLanguage* g_;
  std::string_view s_;
  QueryMatcher::Impl* out_;
  Pattern* pattern_ = nullptr;
  size_t at_ = 0;
};

// The symbols a pattern element can start at (kNode/kAlternation), or true for any node.
void StartSymbols(const QueryMatcher::Impl& q, uint32_t e, std::vector<TSSymbol>* out,
                  bool* any_named, bool* any) {
  const Element& el = q.elements[e];
  switch (el.kind) {
    case Element::Kind::kNode:
      out->push_back(el.symbol);
      break;
    case Element::Kind::kWildcardNamed:
      *any_named = true;
      break;
    case Element::Kind::kWildcardAny:
      *any = true;
      break;
    case Element::Kind::kAlternation:
      for (uint32_t a : el.alternatives) StartSymbols(q, a, out, any_named, any);
      break;
  }
}

// ---- Matching ----

using Scratch = QueryMatcher::Scratch;
constexpr uint32_t kNone = UINT32_MAX;

class Matching {
 public:
  Matching(const QueryMatcher::Impl& q, Scratch& s) : q_(q), s_(s) {}

  // Every match of pattern `p` whose first node is node `n` of the table.
  void TryPattern(uint32_t p, uint32_t n) {
    const Pattern& pat = q_.patterns[p];
    const Scratch::Node& node = s_.nodes[n];
    pattern_ = p;
    root_depth_ = node.depth;
    first_rec_ = s_.recs.size();
    auto emit = [this] { Emit(); };
    if (pat.top.size() == 1) {
      MatchElement(pat.top[0], n, 0, emit);
    } else {
      MatchGroup(pat, n, emit);
    }
    if (pat.has_quantifier) KeepLongest();
  }

 private:
  template <typename Emit>
  void MatchGroup(const Pattern& pat, uint32_t n, const Emit& emit) {
    const Scratch::Node& node = s_.nodes[n];
    // A group of siblings: none at the root; and none inside an ERROR node (tree-sitter starts
    // only patterns with a single root node there).
    if (node.parent == kNone || s_.nodes[node.parent].symbol == kErrorSymbol) return;
    const Scratch::Node& parent = s_.nodes[node.parent];
    const uint32_t begin = parent.kids_begin, count = parent.kids_count;
    auto rest = [&] { MatchSeq(pat.top, 1, begin, count, n - begin + 1, emit); };
    MatchElement(pat.top[0], n, 0, rest);
  }

  // tree-sitter's longest-match rule, for quantified patterns: of the matches one pattern made
  // at one node, those whose captures are all in another match are dropped.
  void KeepLongest() {
    auto contains = [&](const Scratch::Rec& big, const Scratch::Rec& small) {
      for (uint32_t i = 0; i < small.cap_count; ++i) {
        const TSQueryCapture& c = s_.captures[small.cap_begin + i];
        bool found = false;
        for (uint32_t j = 0; j < big.cap_count && !found; ++j) {
          const TSQueryCapture& d = s_.captures[big.cap_begin + j];
          found = c.index == d.index && c.node.id == d.node.id;
        }
        if (!found) return false;
      }
      return true;
    };
    size_t keep = first_rec_;
    for (size_t r = first_rec_; r < s_.recs.size(); ++r) {
      bool dropped = false;
      for (size_t o = first_rec_; o < s_.recs.size() && !dropped; ++o) {
        dropped = o != r && s_.recs[o].cap_count > s_.recs[r].cap_count &&
                  contains(s_.recs[o], s_.recs[r]);
      }
      if (!dropped) s_.recs[keep++] = s_.recs[r];
    }
    s_.recs.resize(keep);
  }

  // Whether element `el` matches node `n` by itself (type, field, negated fields); `field` is
  // the field of an enclosing alternation (0 = none).
  bool Accepts(const Element& el, const Scratch::Node& n, TSFieldId field) const {
    if (field != 0 && n.field != field) return false;
    if (el.field != 0 && n.field != el.field) return false;
    switch (el.kind) {
      case Element::Kind::kNode:
        if (n.symbol != el.symbol) return false;
        break;
      case Element::Kind::kWildcardNamed:
        if (!n.named || n.symbol == kErrorSymbol) return false;
        break;
      case Element::Kind::kWildcardAny:
        if (n.symbol == kErrorSymbol) return false;
        break;
      case Element::Kind::kAlternation:
        return true;  // decided by the alternatives
    }
    for (TSFieldId f : el.negated) {
      if (!ts_node_is_null(ts_node_child_by_field_id(n.node, f))) return false;
    }
    return true;
  }

  // Matches element `e` (and its children) at node `n`, then calls next() for every way it
  // does. `outer` is an alternation whose captures and field apply too (0 = none).
  void MatchElement(uint32_t e, uint32_t n, uint32_t outer, Next next) {
    const Element& el = q_.elements[e];
    if (el.kind == Element::Kind::kAlternation) {
      for (uint32_t a : el.alternatives) MatchElement(a, n, e, next);
      return;
    }
    const Element* alt = outer != 0 ? &q_.elements[outer] : nullptr;
    const Scratch::Node& node = s_.nodes[n];
    if (!Accepts(el, node, alt != nullptr ? alt->field : 0)) return;
    const size_t stack_size = s_.stack.size();
    for (uint16_t id : el.captures) s_.stack.push_back(TSQueryCapture{node.node, id});
    if (alt != nullptr) {
      for (uint16_t id : alt->captures) s_.stack.push_back(TSQueryCapture{node.node, id});
    }
    s_.trail.push_back(n);
    if (el.children.empty()) {
      next();
    } else {
      MatchSeq(el.children, 0, node.kids_begin, node.kids_count, 0, next);
    }
    s_.trail.pop_back();
    s_.stack.resize(stack_size);
  }

  // Matches elements seq[i..] to the children [begin + pos, begin + count), then calls next().
  void MatchSeq(const std::vector<uint32_t>& seq, size_t i, uint32_t begin, uint32_t count,
                uint32_t pos, Next next) {
    if (i == seq.size()) {
      next();
      return;
    }
    const Element& el = q_.elements[seq[i]];
    auto rest = [&](uint32_t after) { MatchSeq(seq, i + 1, begin, count, after, next); };
    if (el.quant == Quant::kOne || el.quant == Quant::kOptional) {
      Candidates(el, begin, count, pos, false,
                 [&](uint32_t q) { MatchElement(seq[i], begin + q, 0, [&] { rest(q + 1); }); });
      if (el.quant == Quant::kOptional) rest(pos);
      return;
    }
    Repeat(seq[i], el, begin, count, pos, 0, rest);
  }

  // `*` and `+`: each repetition after the first is the very next sibling (tree-sitter: even an
  // anonymous node in between ends the run).
  template <typename Rest>
  void Repeat(uint32_t e, const Element& el, uint32_t begin, uint32_t count, uint32_t pos, int done,
              const Rest& rest) {
    Candidates(el, begin, count, pos, done > 0, [&](uint32_t q) {
      MatchElement(e, begin + q, 0, [&] { Repeat(e, el, begin, count, q + 1, done + 1, rest); });
    });
    if (done > 0 || el.quant == Quant::kStar) rest(pos);
  }

  // Calls fn(q) for each child index q >= pos that element `el` may be assigned to: any later
  // child; when it is anchored, only up to the first named one; when `strict`, only `pos`.
  template <typename Fn>
  void Candidates(const Element& el, uint32_t begin, uint32_t count, uint32_t pos, bool strict,
                  const Fn& fn) {
    for (uint32_t q = pos; q < count; ++q) {
      const Scratch::Node& node = s_.nodes[begin + q];
      // (Most children fail on their symbol or field: checked here, before MatchElement.)
      bool ok = el.field == 0 || node.field == el.field;
      if (ok && el.kind == Element::Kind::kNode) ok = node.symbol == el.symbol;
      if (ok && el.last) {  // anchored at the end: no named sibling after it
        for (uint32_t r = q + 1; r < count && ok; ++r) ok = !s_.nodes[begin + r].named;
      }
      if (ok) fn(q);
      if (strict || (el.immediate && node.named)) break;
    }
  }

  void Emit() {
    const uint32_t n = static_cast<uint32_t>(s_.stack.size());
    // Assignments that capture the same nodes (differing in uncaptured ones) are one match.
    for (size_t r = first_rec_; r < s_.recs.size(); ++r) {
      const Scratch::Rec& rec = s_.recs[r];
      if (rec.cap_count != n) continue;
      bool same = true;
      for (uint32_t k = 0; k < n && same; ++k) {
        const TSQueryCapture& a = s_.captures[rec.cap_begin + k];
        same = a.index == s_.stack[k].index && a.node.id == s_.stack[k].node.id;
      }
      if (same) return;
    }
    const Scratch::Node& end = s_.nodes[s_.trail.back()];
    Scratch::Rec rec;
    rec.end_start = ts_node_start_byte(end.node);
    rec.end_end = ts_node_end_byte(end.node);
    rec.end_depth = end.depth;
    rec.root_depth = root_depth_;
    rec.pattern = pattern_;
    rec.seq = static_cast<uint32_t>(s_.recs.size());
    rec.cap_begin = static_cast<uint32_t>(s_.captures.size());
    rec.cap_count = n;
    s_.captures.insert(s_.captures.end(), s_.stack.begin(), s_.stack.end());
    s_.recs.push_back(rec);
  }

  const QueryMatcher::Impl& q_;
  Scratch& s_;
  uint32_t pattern_ = 0;
  uint32_t root_depth_ = 0;
  size_t first_rec_ = 0;
};

}  // namespace

QueryMatcher::QueryMatcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
QueryMatcher::~QueryMatcher() = default;

uint32_t QueryMatcher::pattern_count() const {
  return static_cast<uint32_t>(impl_->patterns.size());
}
const std::vector<std::string>& QueryMatcher::capture_names() const { return impl_->capture_names; }
const std::vector<QueryMatcher::Predicate>& QueryMatcher::predicates(uint32_t pattern) const {
  return impl_->patterns[pattern].predicates;
}

Result<std::unique_ptr<QueryMatcher>> QueryMatcher::Compile(const TSLanguage* grammar,
                                                            std::string_view source) {
  auto impl = std::make_unique<Impl>();
  impl->elements.emplace_back();  // element 0: a sentinel ("no outer alternation")
  Parser parser(grammar, source, impl.get());
  KG_RETURN_IF_ERROR(parser.Run());
  const uint32_t symbols = ts_language_symbol_count(grammar);
  impl->by_symbol.assign(symbols, {});
  for (uint32_t p = 0; p < impl->patterns.size(); ++p) {
    std::vector<TSSymbol> syms;
    bool any_named = false, any = false;
    StartSymbols(*impl, impl->patterns[p].top[0], &syms, &any_named, &any);
    for (uint32_t s = 0; s < symbols; ++s) {
      bool named =
          ts_language_symbol_type(grammar, static_cast<TSSymbol>(s)) == TSSymbolTypeRegular;
      bool starts = any || (any_named && named) ||
                    std::find(syms.begin(), syms.end(), static_cast<TSSymbol>(s)) != syms.end();
      if (starts) impl->by_symbol[s].push_back(static_cast<uint16_t>(p));
    }
  }
  // Which parents' children need their field: those of a node element with a child element
  // that names a field (directly or as an alternation); any parent for a field on a pattern's
  // first nodes, or below a wildcard.
  impl->child_fields.assign(symbols + 1, false);
  auto mark_children = [&](const Element& parent, bool any_parent) {
    for (uint32_t k : parent.children) {
      const Element& kid = impl->elements[k];
      bool field = kid.field != 0;
      for (uint32_t a : kid.alternatives) field = field || impl->elements[a].field != 0;
      if (!field) continue;
      if (any_parent || parent.kind != Element::Kind::kNode) {
        impl->child_fields[symbols] = true;
      } else if (parent.symbol < symbols) {
        impl->child_fields[parent.symbol] = true;
      }
    }
  };
  for (const Element& el : impl->elements) mark_children(el, false);
  for (const Pattern& p : impl->patterns) {
    for (uint32_t e : p.top) {
      const Element& el = impl->elements[e];
      bool field = el.field != 0;
      for (uint32_t a : el.alternatives) field = field || impl->elements[a].field != 0;
      if (field) impl->child_fields[symbols] = true;
    }
  }
  if (impl->child_fields[symbols]) impl->child_fields.assign(symbols + 1, true);

  impl->anon_used.assign(symbols, false);
  impl->anon_all.assign(symbols + 1, false);
  for (const Element& el : impl->elements) {
    if (el.kind == Element::Kind::kNode && el.symbol < symbols &&
        ts_language_symbol_type(grammar, el.symbol) != TSSymbolTypeRegular) {
      impl->anon_used[el.symbol] = true;
    }
    if (el.kind == Element::Kind::kWildcardAny) impl->anon_all[symbols] = true;
    for (uint32_t k : el.children) {
      if (impl->elements[k].quant == Quant::kOne) continue;
      if (el.kind == Element::Kind::kNode && el.symbol < symbols) {
        impl->anon_all[el.symbol] = true;
      } else {
        impl->anon_all[symbols] = true;
      }
    }
  }
  for (const Pattern& p : impl->patterns) {
    for (uint32_t e : p.top) {
      if (impl->elements[e].quant != Quant::kOne) impl->anon_all[symbols] = true;
    }
  }
  if (impl->anon_all[symbols]) impl->anon_all.assign(symbols + 1, true);
  return std::unique_ptr<QueryMatcher>(new QueryMatcher(std::move(impl)));
}

std::unique_ptr<QueryMatcher::Scratch, void (*)(QueryMatcher::Scratch*)>
QueryMatcher::NewScratch() {
  return {new Scratch(), [](Scratch* s) { delete s; }};
}

const std::vector<TSQueryMatch>& QueryMatcher::Match(TSNode root, Scratch& s) const {
  s.captures.clear();
  s.recs.clear();
  s.out.clear();
  // The node table, breadth first: node i's children are appended when i is reached.
  auto& nodes = s.nodes;
  nodes.clear();
  Scratch::Node top;
  top.node = root;
  top.parent = kNone;
  top.symbol = ts_node_symbol(root);
  top.named = ts_node_is_named(root);
  nodes.push_back(top);
  TSTreeCursor& c = s.cursor;
  const size_t symbols = impl_->child_fields.size() - 1;
  for (uint32_t i = 0; i < nodes.size(); ++i) {
    if (ts_node_child_count(nodes[i].node) == 0) continue;
    ts_tree_cursor_reset(&c, nodes[i].node);
    if (!ts_tree_cursor_goto_first_child(&c)) continue;
    const uint32_t begin = static_cast<uint32_t>(nodes.size());
    const uint32_t depth = nodes[i].depth + 1;
    const TSSymbol parent_symbol = nodes[i].symbol;
    const bool fields = impl_->child_fields[std::min<size_t>(parent_symbol, symbols)];
    const bool all_anonymous = impl_->anon_all[std::min<size_t>(parent_symbol, symbols)];
    do {
      Scratch::Node kid;
      kid.node = ts_tree_cursor_current_node(&c);
      kid.symbol = ts_node_symbol(kid.node);
      kid.named = ts_node_is_named(kid.node);
      if (!kid.named && !all_anonymous && !(kid.symbol < symbols && impl_->anon_used[kid.symbol]) &&
          ts_node_child_count(kid.node) == 0) {
        continue;  // an anonymous leaf no pattern can see
      }
      kid.parent = i;
      kid.depth = depth;
      kid.field = fields ? ts_tree_cursor_current_field_id(&c) : 0;
      nodes.push_back(kid);
    } while (ts_tree_cursor_goto_next_sibling(&c));
    nodes[i].kids_begin = begin;
    nodes[i].kids_count = static_cast<uint32_t>(nodes.size()) - begin;
  }
  Matching run(*impl_, s);
  const auto& by_symbol = impl_->by_symbol;
  for (uint32_t i = 0; i < nodes.size(); ++i) {
    const TSSymbol sym = nodes[i].symbol;
    if (sym >= by_symbol.size()) continue;  // ERROR
    for (uint16_t p : by_symbol[sym]) run.TryPattern(p, i);
  }
  // tree-sitter's order: by the node that completes a match (pre-order), then the depth of its
  // first node, the pattern, and the order the assignments were found in.
  std::sort(s.recs.begin(), s.recs.end(), [](const Scratch::Rec& a, const Scratch::Rec& b) {
    return std::tie(a.end_start, a.end_depth, a.end_end, a.root_depth, a.pattern, a.seq) <
           std::tie(b.end_start, b.end_depth, b.end_end, b.root_depth, b.pattern, b.seq);
  });
  // The node table of an unusually large file is not kept for the next (a few MiB is).
  if (nodes.capacity() > (size_t{1} << 18)) std::vector<Scratch::Node>().swap(nodes);
  s.out.reserve(s.recs.size());
  for (const Scratch::Rec& r : s.recs) {
    s.out.push_back(
        TSQueryMatch{static_cast<uint32_t>(s.out.size()), static_cast<uint16_t>(r.pattern),
                     static_cast<uint16_t>(r.cap_count), s.captures.data() + r.cap_begin});
  }
  return s.out;
}

}  // namespace kg::ingest

#include "query/exec/physical_search.h"

#include <algorithm>

#include "common/schema.h"
#include "query/exec/expression_evaluator.h"

namespace kg::query::exec {
namespace {

constexpr int64_t kDefaultLimit = 50;
constexpr int64_t kMaxLimit = 1000;
constexpr size_t kBatch = 256;

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// Words of an identifier or text, lower-cased, including one-character words.
std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) out.push_back(schema::ToLowerAscii(word));
    word.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!IsAlnum(c)) {
      flush();
      continue;
    }
    // camelCase: a capital after a lower-case letter, or the last capital of an acronym
    // followed by a lower-case letter (HTTPServer -> http, server).
    if (IsUpper(c) && !word.empty() &&
        (IsLower(word.back()) ||
         (IsUpper(word.back()) && i + 1 < text.size() && IsLower(text[i + 1])))) {
      flush();
    }
    word.push_back(c);
  }
  flush();
  return out;
}

bool Contains(const std::string& haystack_lower, const std::string& term) {
  return haystack_lower.find(term) != std::string::npos;
}

std::string LowerString(const Properties& props, const char* key) {
  auto it = props.find(key);
  if (it == props.end() || !it->second.is_string()) return "";
  return schema::ToLowerAscii(it->second.as_string());
}

}  // namespace

std::vector<std::string> SearchTerms(std::string_view text) {
  std::vector<std::string> terms;
  for (auto& w : Words(text)) {
    if (w.size() < 2) continue;
    if (std::find(terms.begin(), terms.end(), w) == terms.end()) terms.push_back(std::move(w));
  }
  return terms;
}

Status PhysicalSearch::Search() {
  hits_.clear();
  next_ = 0;
  const bind::BoundCall& call = *op_.call;
  KG_ASSIGN_OR_RETURN(Value text, Evaluate(*call.args[0], input_, ctx_));
  if (!text.is_string()) {
    return Status::InvalidArgument("db.search expects a string, got " +
                                   std::string(text.TypeName()));
  }
  int64_t limit = kDefaultLimit;
  if (call.args.size() > 1) {
    KG_ASSIGN_OR_RETURN(Value l, Evaluate(*call.args[1], input_, ctx_));
    if (!l.is_int() || l.as_int() <= 0) {
      return Status::InvalidArgument("db.search limit must be a positive integer");
    }
    limit = std::min(l.as_int(), kMaxLimit);
  }
  const std::vector<std::string> terms = SearchTerms(text.as_string());
  if (terms.empty()) {
    return Status::InvalidArgument("db.search text has no searchable word: '" + text.as_string() +
                                   "'");
  }
  const std::string whole = schema::ToLowerAscii(text.as_string());
  std::optional<storage::LabelId> doc_label;
  if (auto id = ctx_.store().LabelIdFor("DocSection", /*create=*/false); id.ok()) doc_label = *id;
  struct Hit {
    double score;
    std::string id;
    storage::NodeKey key;
  };
  std::vector<Hit> found;
  auto cursor = ctx_.snapshot().ScanAll();
  std::vector<storage::NodeKey> keys;
  std::vector<std::optional<storage::NodeRecord>> records;
  auto flush = [&]() -> Status {
    if (keys.empty()) return Status::OK();
    KG_RETURN_IF_ERROR(ctx_.snapshot().GetNodes(keys, &records));
    for (size_t i = 0; i < keys.size(); ++i) {
      KG_RETURN_IF_ERROR(ctx_.Tick());
      if (!records[i]) continue;
      const storage::NodeRecord& n = *records[i];
      std::string raw_name;
      if (auto it = n.props.find("name"); it != n.props.end() && it->second.is_string()) {
        raw_name = it->second.as_string();
      }
      const std::string name = schema::ToLowerAscii(raw_name);
      const std::vector<std::string> name_words = Words(raw_name);
      const std::string qn = LowerString(n.props, "qualified_name");
      const std::string sig = LowerString(n.props, "signature");
      const std::string doc = LowerString(n.props, "docstring");
      const bool is_doc =
          doc_label && std::find(n.labels.begin(), n.labels.end(), *doc_label) != n.labels.end();
      const std::string doc_text =
          is_doc ? LowerString(n.props, "heading") + "\n" + LowerString(n.props, "text") : "";
      double score = 0;
      bool all = true;
      for (const auto& t : terms) {
        double s = 0;
        if (std::find(name_words.begin(), name_words.end(), t) != name_words.end()) {
          s += 4;
        } else if (Contains(name, t)) {
          s += 2;
        }
        if (Contains(qn, t)) s += 1;
        if (Contains(sig, t)) s += 1;
        if (Contains(doc, t)) s += 0.5;
        if (Contains(doc_text, t)) s += 0.5;
        if (s == 0) {
          all = false;
          break;
        }
        score += s;
      }
      if (!all) continue;
      if (!name.empty() && name == whole) score += 6;
      found.push_back(Hit{score, n.id, n.key});
    }
    keys.clear();
    return Status::OK();
  };
  storage::NodeKey key = 0;
  while (cursor->Next(&key)) {
    keys.push_back(key);
    if (keys.size() >= kBatch) KG_RETURN_IF_ERROR(flush());
  }
  KG_RETURN_IF_ERROR(cursor->status());
  KG_RETURN_IF_ERROR(flush());
  std::sort(found.begin(), found.end(), [](const Hit& a, const Hit& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.id < b.id;
  });
  if (static_cast<int64_t>(found.size()) > limit) found.resize(static_cast<size_t>(limit));
  std::vector<std::pair<double, storage::NodeKey>> scored;
  for (const Hit& h : found) scored.emplace_back(h.score, h.key);
  hits_ = std::move(scored);
  return Status::OK();
}

Result<bool> PhysicalSearch::Next(Row* row) {
  while (true) {
    if (!have_input_) {
      KG_ASSIGN_OR_RETURN(bool more, child_->Next(&input_));
      if (!more) return false;
      have_input_ = true;
      KG_RETURN_IF_ERROR(Search());
    }
    if (next_ >= hits_.size()) {
      have_input_ = false;
      continue;
    }
    const auto& [score, key] = hits_[next_++];
    *row = input_;
    const bind::BoundCall& call = *op_.call;
    if (call.node_slot >= 0) (*row)[static_cast<size_t>(call.node_slot)] = NodeRef{key};
    if (call.score_slot >= 0) (*row)[static_cast<size_t>(call.score_slot)] = Entity(Value(score));
    ++ctx_.stats().nodes_scanned;
    return true;
  }
}

}  // namespace kg::query::exec

#include "server/entity_rank.h"

#include <algorithm>
#include <cctype>

namespace kg::server {

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> SplitIdentifierTokens(std::string_view s) {
  std::vector<std::string> tokens;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) tokens.push_back(LowerAscii(cur));
    cur.clear();
  };
  auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!is_upper(c) && !is_lower(c) && !is_digit(c)) {
      flush();
      continue;
    }
    if (!cur.empty() && is_upper(c)) {
      char prev = cur.back();
      bool next_lower = i + 1 < s.size() && is_lower(s[i + 1]);
      // fooBar -> foo|Bar ; HTTPRequest -> HTTP|Request
      if (is_lower(prev) || is_digit(prev) || (is_upper(prev) && next_lower)) flush();
    }
    cur.push_back(c);
  }
  flush();
  return tokens;
}

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool TokensMatch(const std::vector<std::string>& query_tokens,
                 const std::vector<std::string>& name_tokens) {
  if (query_tokens.empty() || name_tokens.empty()) return false;
  for (const std::string& q : query_tokens) {
    bool found = std::any_of(name_tokens.begin(), name_tokens.end(),
                             [&q](const std::string& t) { return t.rfind(q, 0) == 0; });
    if (!found) return false;
  }
  return true;
}

}  // namespace

int MatchScore(std::string_view query, std::string_view name, std::string_view qualified_name,
               std::string_view docstring) {
  if (query.empty()) return 0;
  const std::string q = LowerAscii(query);
  const std::string n = LowerAscii(name);
  const std::string qn = LowerAscii(qualified_name);
  if ((!n.empty() && n == q) || (!qn.empty() && qn == q)) return 100;
  if (!qn.empty() && EndsWith(qn, "." + q)) return 90;
  if (!n.empty() && n.rfind(q, 0) == 0) return 80;
  if (TokensMatch(SplitIdentifierTokens(query), SplitIdentifierTokens(name))) return 60;
  if (n.find(q) != std::string::npos || qn.find(q) != std::string::npos) return 40;
  if (!docstring.empty() && LowerAscii(docstring).find(q) != std::string::npos) return 20;
  return 0;
}

size_t EditDistance(std::string_view a, std::string_view b, size_t cap) {
  const std::string x = LowerAscii(a), y = LowerAscii(b);
  size_t diff = x.size() > y.size() ? x.size() - y.size() : y.size() - x.size();
  if (diff > cap) return cap + 1;
  std::vector<size_t> prev(y.size() + 1), cur(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= y.size(); ++j) {
      size_t sub = prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > cap) return cap + 1;
    std::swap(prev, cur);
  }
  return std::min(prev[y.size()], cap + 1);
}

}  // namespace kg::server

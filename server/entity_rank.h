#pragma once
// Ranking for entity search (GET /v1/graphs/{g}/search): how well a symbol's name, qualified
// name and docstring match a user's query. Pure functions; thread-safe.
//
// Tiers (case-insensitive), best first; a candidate gets the best tier it reaches:
//   100 exact name, or exact qualified name
//    90 the qualified name ends with ".<query>" (a dotted query such as "models.GiftCard")
//    80 the name starts with the query
//    60 every camel/snake token of the query is a prefix of some token of the name
//       ("gift card", "gift_card" and "giftCard" all reach "GiftCard")
//    40 the query is a substring of the name or the qualified name
//    20 the docstring mentions the query
//     0 no match

#include <string>
#include <string_view>
#include <vector>

namespace kg::server {

// ASCII lower-casing.
std::string LowerAscii(std::string_view s);

// Camel/snake/punctuation tokens of `s`, lower-cased: "parseHTTPRequest_v2" ->
// {"parse", "http", "request", "v2"}.
std::vector<std::string> SplitIdentifierTokens(std::string_view s);

// The score tier above. `query` must be non-empty (an empty query scores 0).
int MatchScore(std::string_view query, std::string_view name, std::string_view qualified_name,
               std::string_view docstring);

// Levenshtein distance of the lower-cased strings, or `cap` + 1 once it exceeds `cap` (so
// comparing against long names stays cheap).
size_t EditDistance(std::string_view a, std::string_view b, size_t cap);

}  // namespace kg::server

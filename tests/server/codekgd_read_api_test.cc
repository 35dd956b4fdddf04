// Integration tests of the read API agents use (search, node, tree): the real codekgd over
// loopback on an ingest of samples/python. Expectations come from the sample's source code.
#include <gtest/gtest.h>

#include <string>

#include "server/routes.h"
#include "tests/server/codekgd_fixture.h"

namespace kg::server {
namespace {

using kg::server::testing::CodekgdTest;
using kg::server::testing::Json;
using kg::server::testing::kSample;
using kg::server::testing::Reply;

const std::string kGiftCard = "shop/models.py:GiftCard";
const std::string kRedeem = "shop/models.py:GiftCard.redeem";

// Percent-encodes everything but unreserved characters (RFC 3986), so '/' and ':' are encoded.
std::string Encode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class ReadApiTest : public CodekgdTest {
 protected:
  void StartAndIngest(const std::vector<std::string>& extra = {}) {
    StartServer(extra);
    Reply ingest = Ingest("shop", kSample);
    ASSERT_EQ(ingest.status, 200) << ingest.body;
  }
  Reply Search(const std::string& q, const std::string& extra = "") {
    return Get("/v1/graphs/shop/search?q=" + Encode(q) + extra);
  }
  static std::vector<std::string> Ids(const Reply& r) {
    std::vector<std::string> ids;
    for (const auto& x : r.json["results"]) ids.push_back(x["id"]);
    return ids;
  }
};

TEST(PercentDecodeTest, DecodesHexAndKeepsMalformedEscapes) {
  EXPECT_EQ(PercentDecode("shop%2Fmodels.py%3AGiftCard"), "shop/models.py:GiftCard");
  EXPECT_EQ(PercentDecode("a%2fb"), "a/b");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
}

TEST_F(ReadApiTest, SearchRanksExactThenPrefixThenTokensThenSubstring) {
  StartAndIngest();
  // Exact name first (case-insensitive).
  Reply exact = Search("giftcard");
  ASSERT_EQ(exact.status, 200) << exact.body;
  ASSERT_FALSE(exact.json["results"].empty()) << exact.body;
  const Json& top = exact.json["results"][0];
  EXPECT_EQ(top["id"], kGiftCard) << exact.body;
  EXPECT_EQ(top["kind"], "Class");
  EXPECT_EQ(top["name"], "GiftCard");
  EXPECT_EQ(top["qualified_name"], "shop.models.GiftCard");
  EXPECT_EQ(top["path"], "shop/models.py");
  EXPECT_EQ(top["start_line"], 87);
  EXPECT_EQ(top["score"], 100);

  // Snake-case tokens reach the CamelCase class (token tier), below exact matches.
  Reply tokens = Search("gift_card");
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  bool found = false;
  for (const auto& r : tokens.json["results"]) {
    if (r["id"] == kGiftCard) {
      found = true;
      EXPECT_EQ(r["score"], 60) << tokens.body;
    }
  }
  EXPECT_TRUE(found) << tokens.body;

  // Prefix: "Digital" -> DigitalProduct (80); scores never increase down the list.
  Reply prefix = Search("Digital");
  ASSERT_EQ(prefix.status, 200) << prefix.body;
  ASSERT_FALSE(prefix.json["results"].empty());
  EXPECT_EQ(prefix.json["results"][0]["name"], "DigitalProduct");
  EXPECT_EQ(prefix.json["results"][0]["score"], 80);
  Reply sub = Search("product", "&limit=50");
  ASSERT_EQ(sub.status, 200) << sub.body;
  int last = 1000;
  for (const auto& r : sub.json["results"]) {
    EXPECT_LE(r["score"].get<int>(), last) << sub.body;
    last = r["score"];
  }
  EXPECT_EQ(sub.json["results"][0]["name"], "Product");
  // A dotted query matches the end of a qualified name.
  Reply dotted = Search("models.GiftCard.redeem");
  ASSERT_EQ(dotted.status, 200) << dotted.body;
  ASSERT_FALSE(dotted.json["results"].empty());
  EXPECT_EQ(dotted.json["results"][0]["id"], kRedeem);
  EXPECT_EQ(dotted.json["results"][0]["kind"], "Method");

  // limit cuts and says so.
  Reply one = Search("product", "&limit=1");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json["results"].size(), 1u);
  EXPECT_EQ(one.json["truncated"], true);
  EXPECT_GT(one.json["total"].get<int>(), 1);
}

TEST_F(ReadApiTest, SearchWithoutMatchesSaysWhyAndSuggests) {
  StartAndIngest();
  Reply none = Search("GiftCrad");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_TRUE(none.json["results"].empty());
  EXPECT_EQ(none.json["total"], 0);
  const std::string reason = none.json["reason"];
  EXPECT_NE(reason.find("matches 'GiftCrad'"), std::string::npos) << reason;
  ASSERT_FALSE(none.json["suggestions"].empty()) << none.body;
  EXPECT_EQ(none.json["suggestions"][0], "GiftCard");
  EXPECT_NE(reason.find("did you mean 'GiftCard'"), std::string::npos) << reason;

  ExpectError(Get("/v1/graphs/shop/search"), 400, "invalid_argument");
  ExpectError(Get("/v1/graphs/shop/search?q=%20"), 400, "invalid_argument");
  ExpectError(Search("x", "&limit=0"), 400, "invalid_argument");
  ExpectError(Search("x", "&limit=abc"), 400, "invalid_argument");
  ExpectError(Search("x", "&bogus=1"), 400, "invalid_argument");
  ExpectError(Get("/v1/graphs/nope/search?q=x"), 404, "not_found");
}

TEST_F(ReadApiTest, NodeWithNumberedCodeFoldingAndEdgeCounts) {
  StartAndIngest();
  Reply node = Get("/v1/graphs/shop/nodes/" + Encode(kRedeem));
  ASSERT_EQ(node.status, 200) << node.body;
  const Json& n = node.json["node"];
  EXPECT_EQ(n["id"], kRedeem);
  EXPECT_EQ(n["labels"], Json::array({"Method"}));
  EXPECT_EQ(n["properties"]["name"], "redeem");
  EXPECT_EQ(n["properties"]["start_line"], 96);
  const std::string code = n["code"];
  EXPECT_EQ(code.rfind("  96 |     def redeem(self, amount: Money) -> Money:\n", 0), 0u) << code;
  EXPECT_NE(code.find(" 101 |         return self.balance\n"), std::string::npos) << code;
  EXPECT_EQ(n["code_lines"], 6);
  EXPECT_EQ(n["folded_lines"], 0);
  // checkout.py's _apply_gift_card calls card.redeem; GiftCard HAS_METHOD redeem.
  EXPECT_GE(n["edges"]["in"]["HAS_METHOD"].get<int>(), 1) << node.body;
  EXPECT_GE(n["edges"]["in"]["CALLS"].get<int>(), 1) << node.body;

  // The class is longer than 4 lines: folded to 2 + marker + 2.
  Reply folded = Get("/v1/graphs/shop/nodes/" + Encode(kGiftCard) + "?max_lines=4");
  ASSERT_EQ(folded.status, 200) << folded.body;
  const std::string fcode = folded.json["node"]["code"];
  EXPECT_EQ(fcode.rfind("  87 | class GiftCard(DigitalProduct):\n", 0), 0u) << fcode;
  int total = folded.json["node"]["code_lines"];
  EXPECT_EQ(total, 15);
  EXPECT_EQ(folded.json["node"]["folded_lines"], total - 4);
  EXPECT_NE(fcode.find("... 11 lines folded ..."), std::string::npos) << fcode;
  EXPECT_NE(fcode.find(" 101 |         return self.balance\n"), std::string::npos) << fcode;
  EXPECT_GE(folded.json["node"]["edges"]["out"]["HAS_METHOD"].get<int>(), 2) << folded.body;
  EXPECT_EQ(folded.json["node"]["edges"]["out"]["INHERITS"], 1) << folded.body;

  // Absent: 404 naming the id. An unencoded id with '/' is another route: 404 too.
  Json e =
      ExpectError(Get("/v1/graphs/shop/nodes/" + Encode("shop/models.py:Nope")), 404, "not_found");
  EXPECT_NE(e["message"].get<std::string>().find("'shop/models.py:Nope'"), std::string::npos);
  ExpectError(Get("/v1/graphs/shop/nodes/shop/models.py:Nope"), 404, "not_found");
  ExpectError(Get("/v1/graphs/nope/nodes/x"), 404, "not_found");
  ExpectError(Get("/v1/graphs/shop/nodes/" + Encode(kRedeem) + "?max_lines=1"), 400,
              "invalid_argument");
}

TEST_F(ReadApiTest, TreeOutInBothTypesTextAndTruncation) {
  StartAndIngest();
  const std::string base = "/v1/graphs/shop/nodes/" + Encode(kGiftCard) + "/tree";
  Reply out = Get(base + "?depth=1&types=HAS_METHOD");
  ASSERT_EQ(out.status, 200) << out.body;
  const Json& root = out.json["root"];
  EXPECT_EQ(root["id"], kGiftCard);
  EXPECT_EQ(root["label"], "Class");
  std::set<std::string> methods;
  for (const auto& c : root["children"]) {
    EXPECT_EQ(c["edge"], "HAS_METHOD");
    EXPECT_EQ(c["direction"], "out");
    EXPECT_TRUE(c["children"].empty());
    methods.insert(c["name"].get<std::string>());
  }
  EXPECT_TRUE(methods.count("redeem") && methods.count("__init__")) << out.body;
  EXPECT_EQ(out.json["truncated"], false);

  // Incoming CALLS of redeem, two levels: _apply_gift_card, then its callers.
  Reply in = Get("/v1/graphs/shop/nodes/" + Encode(kRedeem) + "/tree?direction=in&types=calls");
  ASSERT_EQ(in.status, 200) << in.body;
  bool apply = false;
  for (const auto& c : in.json["root"]["children"]) {
    EXPECT_EQ(c["direction"], "in");
    if (c["name"] == "_apply_gift_card") apply = true;
  }
  EXPECT_TRUE(apply) << in.body;

  // Text format: an indented tree.
  Reply text = Get(base + "?depth=2&direction=both&types=HAS_METHOD,INHERITS&format=text");
  ASSERT_EQ(text.status, 200) << text.body;
  EXPECT_EQ(text.content_type.rfind("text/plain", 0), 0u);
  EXPECT_EQ(text.body.rfind(kGiftCard + " (Class)\n", 0), 0u) << text.body;
  EXPECT_NE(text.body.find("  -[HAS_METHOD]-> " + kRedeem + " (Method)\n"), std::string::npos)
      << text.body;
  EXPECT_NE(text.body.find("  -[INHERITS]-> shop/models.py:DigitalProduct (Class)"),
            std::string::npos)
      << text.body;

  // Node cap: an explicit truncated note.
  Reply capped = Get(base + "?depth=5&direction=both&max_nodes=3");
  ASSERT_EQ(capped.status, 200) << capped.body;
  EXPECT_EQ(capped.json["truncated"], true);
  EXPECT_EQ(capped.json["node_count"], 3);
  EXPECT_NE(capped.json["note"].get<std::string>().find("max_nodes=3"), std::string::npos);

  // Unknown type: a warning and no children, not an error.
  Reply unknown = Get(base + "?types=CALLZ");
  ASSERT_EQ(unknown.status, 200) << unknown.body;
  EXPECT_TRUE(unknown.json["root"]["children"].empty());
  ASSERT_EQ(unknown.json["warnings"].size(), 1u);
  EXPECT_NE(unknown.json["warnings"][0].get<std::string>().find("CALLZ"), std::string::npos);

  ExpectError(Get(base + "?depth=6"), 400, "invalid_argument");
  ExpectError(Get(base + "?direction=up"), 400, "invalid_argument");
  ExpectError(Get(base + "?format=xml"), 400, "invalid_argument");
  ExpectError(Get("/v1/graphs/shop/nodes/" + Encode("x:y") + "/tree"), 404, "not_found");
}

}  // namespace
}  // namespace kg::server

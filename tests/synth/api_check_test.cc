// Tests of synth/check/api_check.h over the real ingest of samples/python (the "shop" package).
#include "synth/check/api_check.h"

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "ingest/ingest.h"
#include "tests/synth/test_graph.h"

namespace kg::synth {
namespace {

using Json = nlohmann::json;

class ApiCheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fixture::TempDir();
    auto store = storage::GraphStore::Open(dir_->path() + "/db", storage::Options{});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value().release();
    auto report =
        ingest::IngestPath(*store_, "shop", std::string(CODEKG_SOURCE_DIR) + "/samples/python");
    ASSERT_TRUE(report.ok()) << report.status().ToString();
  }
  static void TearDownTestSuite() {
    delete store_;
    delete dir_;
  }

  static Json Check(const std::string& code) {
    auto r = CheckApi(*store_, "shop", code);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Json::object();
  }

  // The first reference named `name`, or null.
  static Json Ref(const Json& result, const std::string& name) {
    for (const auto& r : result["references"]) {
      if (r["name"] == name) return r;
    }
    ADD_FAILURE() << "no reference " << name << " in " << result.dump(1);
    return Json();
  }

  static fixture::TempDir* dir_;
  static storage::GraphStore* store_;
};

fixture::TempDir* ApiCheckTest::dir_ = nullptr;
storage::GraphStore* ApiCheckTest::store_ = nullptr;

TEST_F(ApiCheckTest, RealUsageResolves) {
  Json r = Check(
      "from shop.cart import Cart\n"
      "from shop.models import Money, PhysicalProduct\n"
      "from decimal import Decimal\n"
      "\n"
      "cart = Cart(\"EUR\")\n"
      "lamp = PhysicalProduct(\"L1\", \"Lamp\", Money(Decimal(\"9.90\"), \"EUR\"), 1200)\n"
      "item = cart.add(lamp, quantity=2)\n"
      "print(item.subtotal())\n");
  EXPECT_TRUE(r["ok"].get<bool>()) << r.dump(1);
  Json cart = Ref(r, "shop.cart.Cart");
  EXPECT_EQ(cart["status"], "resolved");
  EXPECT_EQ(cart["kind"], "class");
  EXPECT_EQ(cart["line"], 1);
  EXPECT_EQ(cart["node_id"], "shop/cart.py:Cart");
  Json add = Ref(r, "cart.add");
  EXPECT_EQ(add["status"], "resolved");
  EXPECT_EQ(add["kind"], "method");
  EXPECT_EQ(add["line"], 7);
  EXPECT_FALSE(add.contains("arity"));
  // Third-party / standard library names are outside the graph: unresolvable, not errors.
  EXPECT_EQ(Ref(r, "decimal.Decimal")["status"], "unresolvable");
  EXPECT_EQ(r["counts"]["not_found"], 0);
}

TEST_F(ApiCheckTest, PackageReExportsAndInheritedMethodsResolve) {
  Json r = Check(
      "from shop import GiftCard, Money\n"
      "card = GiftCard(\"G1\", Money(1, \"EUR\"))\n"
      "card.slug()\n"  // defined on Product, two bases up
      "card.redeem(Money(1, \"EUR\"))\n");
  EXPECT_TRUE(r["ok"].get<bool>()) << r.dump(1);
  EXPECT_EQ(Ref(r, "shop.GiftCard")["status"], "resolved");
  EXPECT_EQ(Ref(r, "shop.GiftCard")["qualified_name"], "shop.models.GiftCard");
  Json slug = Ref(r, "card.slug");
  EXPECT_EQ(slug["status"], "resolved");
  EXPECT_EQ(slug["qualified_name"], "shop.models.Product.slug");
}

TEST_F(ApiCheckTest, MissingNamesAreNotFoundWithSuggestions) {
  Json r = Check(
      "from shop.cart import Cartt\n"
      "from shop.cart import Cart\n"
      "c = Cart()\n"
      "c.ad(1)\n");
  EXPECT_FALSE(r["ok"].get<bool>());
  Json cartt = Ref(r, "shop.cart.Cartt");
  EXPECT_EQ(cartt["status"], "not_found");
  ASSERT_FALSE(cartt["suggestions"].empty()) << cartt.dump();
  EXPECT_EQ(cartt["suggestions"][0], "shop.cart.Cart");
  Json add = Ref(r, "c.ad");
  EXPECT_EQ(add["status"], "not_found");
  ASSERT_FALSE(add["suggestions"].empty());
  EXPECT_EQ(add["suggestions"][0], "shop.cart.Cart.add");
  EXPECT_EQ(r["counts"]["not_found"], 2);
  // A module path that does not exist inside a known package.
  Json m = Check("import shop.paymentz\n");
  EXPECT_EQ(Ref(m, "shop.paymentz")["status"], "not_found");
  EXPECT_EQ(Ref(m, "shop.paymentz")["suggestions"][0], "shop.payments");
}

TEST_F(ApiCheckTest, ArityMismatchesAreReported) {
  Json r = Check(
      "from shop.cart import Cart\n"
      "c = Cart()\n"
      "c.add()\n"               // product missing
      "c.add(1, 2, 3)\n"        // too many
      "c.add(1, quantity=2)\n"  // fine
      "c.add(1, qty=2)\n"       // unknown keyword
      "c.add(*args)\n");        // not counted
  EXPECT_FALSE(r["ok"].get<bool>());
  EXPECT_EQ(r["counts"]["arity_mismatch"], 3) << r.dump(1);
  int mismatches = 0;
  for (const auto& ref : r["references"]) {
    if (ref.contains("arity")) {
      ++mismatches;
      EXPECT_EQ(ref["arity"]["expected"], "1..2") << ref.dump();
    }
  }
  EXPECT_EQ(mismatches, 3);
  // Constructors are checked against __init__ without self.
  Json ctor = Check("from shop.models import Product\nProduct('a')\n");
  EXPECT_EQ(ctor["counts"]["arity_mismatch"], 1);
  EXPECT_EQ(Ref(ctor, "Product")["arity"]["expected"], "3");
}

TEST_F(ApiCheckTest, DynamicAttributesAreUnresolvable) {
  Json r = Check(
      "def f(obj):\n"
      "    return obj.anything().more\n"
      "x = getattr(thing, 'name')\n"
      "unknown_global.attr\n");
  EXPECT_TRUE(r["ok"].get<bool>()) << r.dump(1);
  EXPECT_EQ(r["counts"]["not_found"], 0);
  EXPECT_EQ(Ref(r, "unknown_global.attr")["status"], "unresolvable");
  // Relative imports cannot be placed without a file: unresolvable.
  Json rel = Check("from .models import Money\n");
  EXPECT_EQ(rel["counts"]["unresolvable"], 1);
}

TEST_F(ApiCheckTest, BadInputIsAnError) {
  auto empty = CheckApi(*store_, "shop", "  \n");
  ASSERT_FALSE(empty.ok());
  EXPECT_TRUE(empty.status().IsInvalidArgument());
  auto big = CheckApi(*store_, "shop", std::string(kMaxSnippetBytes + 1, 'x'));
  ASSERT_FALSE(big.ok());
  EXPECT_TRUE(big.status().IsInvalidArgument());
  auto lang = CheckApi(*store_, "shop", "x = 1", "rust");
  ASSERT_FALSE(lang.ok());
  EXPECT_TRUE(lang.status().IsInvalidArgument());
  auto graph = CheckApi(*store_, "nope", "x = 1");
  ASSERT_FALSE(graph.ok());
  EXPECT_TRUE(graph.status().IsNotFound()) << graph.status().ToString();
  // Broken syntax still checks what parses.
  Json r = Check("from shop.cart import Cart\nCart(\n");
  EXPECT_TRUE(r["syntax_error"].get<bool>());
  EXPECT_EQ(Ref(r, "shop.cart.Cart")["status"], "resolved");
}

}  // namespace
}  // namespace kg::synth

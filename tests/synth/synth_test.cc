// Tests of synth/: relation_qa over a real RocksDB graph, read through the real query engine.
#include "synth/synth.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/ingest.h"
#include "storage/graph_store.h"
#include "synth/dedup.h"
#include "tests/synth/test_graph.h"

namespace kg::synth {
namespace {

using fixture::TempDir;
using Json = nlohmann::json;

// The zoo graph of test_graph.h.
class SynthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_NO_FATAL_FAILURE(fixture::BuildZoo(dir_.path(), &store_));
  }

  // Runs synth; returns the JSONL text.
  std::string Run(const SynthRequest& request, SynthSummary* summary = nullptr,
                  const std::string& graph = "zoo") {
    std::ostringstream out;
    auto r = RunSynth(*store_, graph, request, out);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok() && summary != nullptr) *summary = *r;
    return out.str();
  }

  static std::vector<Json> ParseLines(const std::string& text) {
    std::vector<Json> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
      EXPECT_FALSE(j.is_discarded()) << "not JSON: " << line;
      if (!j.is_discarded()) lines.push_back(std::move(j));
    }
    return lines;
  }

  // The line with meta (relation, direction, subject), or nullptr.
  static const Json* Find(const std::vector<Json>& lines, const std::string& relation,
                          const std::string& direction, const std::string& subject) {
    for (const auto& j : lines) {
      const Json& meta = j["meta"];
      if (meta["relation"] == relation && meta["direction"] == direction &&
          meta["subject"] == subject) {
        return &j;
      }
    }
    return nullptr;
  }

  TempDir dir_;
  std::unique_ptr<storage::GraphStore> store_;
};

TEST_F(SynthTest, EveryLineIsAnAlpacaRecordWithMeta) {
  SynthRequest req;
  req.seed = 7;
  SynthSummary summary;
  std::string text = Run(req, &summary);
  ASSERT_FALSE(text.empty());
  ASSERT_EQ(text.back(), '\n');
  auto lines = ParseLines(text);
  // INHERITS: bases of Dog, Cat, Puppy, Robot (4) + subclasses of Animal, Dog, Playful, ABC (4);
  // HAS_METHOD: methods of Animal, Dog, Cat (3) + defining class of __init__, speak, fetch,
  // create (4).
  EXPECT_EQ(lines.size(), 15u);
  EXPECT_EQ(summary.pairs, lines.size());
  EXPECT_EQ(summary.strategy, "relation_qa");
  EXPECT_EQ(summary.per_relation["INHERITS"], 8u);
  EXPECT_EQ(summary.per_relation["HAS_METHOD"], 7u);
  for (const auto& j : lines) {
    ASSERT_TRUE(j.is_object());
    for (const char* key : {"instruction", "input", "output"}) {
      ASSERT_TRUE(j.contains(key) && j[key].is_string()) << key << " in " << j.dump();
    }
    EXPECT_FALSE(j["instruction"].get<std::string>().empty());
    EXPECT_FALSE(j["output"].get<std::string>().empty());
    EXPECT_EQ(j["instruction"].get<std::string>().find('{'), std::string::npos)
        << "unfilled placeholder: " << j.dump();
    const Json& meta = j["meta"];
    EXPECT_EQ(meta["strategy"], "relation_qa");
    EXPECT_EQ(meta["graph"], "zoo");
    for (const char* key : {"relation", "direction", "subject"}) {
      ASSERT_TRUE(meta.contains(key) && meta[key].is_string()) << key;
    }
  }
}

TEST_F(SynthTest, EveryInheritsEdgeAppearsInBothDirections) {
  auto lines = ParseLines(Run(SynthRequest{}));
  const std::string p = "zoo/animals.py:";
  struct EdgeCase {
    std::string child_id, child_qn, base_key, base_name;
  };
  const EdgeCase edges[] = {
      {p + "Dog", "zoo.animals.Dog", p + "zoo.animals.Animal", "zoo.animals.Animal"},
      {p + "Cat", "zoo.animals.Cat", p + "zoo.animals.Animal", "zoo.animals.Animal"},
      {p + "Puppy", "zoo.animals.Puppy", p + "zoo.animals.Dog", "zoo.animals.Dog"},
      {p + "Puppy", "zoo.animals.Puppy", "external:mixins.Playful", "mixins.Playful"},
      {"zoo/robots.py:Robot", "zoo.robots.Robot", "external:abc.ABC", "abc.ABC"},
  };
  for (const auto& e : edges) {
    // Subjects are `path:qualified_name` keys of the class asked about.
    std::string child_key = e.child_id.substr(0, e.child_id.find(':') + 1) + e.child_qn;
    const Json* fwd = Find(lines, "INHERITS", "bases", child_key);
    ASSERT_NE(fwd, nullptr) << "no bases record for " << child_key;
    EXPECT_NE((*fwd)["output"].get<std::string>().find("`" + e.base_name + "`"), std::string::npos)
        << (*fwd)["output"];
    EXPECT_NE(((*fwd)["instruction"].get<std::string>() + (*fwd)["input"].get<std::string>())
                  .find(e.child_qn),
              std::string::npos);
    const Json* back = Find(lines, "INHERITS", "subclasses", e.base_key);
    ASSERT_NE(back, nullptr) << "no subclasses record for " << e.base_key;
    EXPECT_NE((*back)["output"].get<std::string>().find("`" + e.child_qn + "`"), std::string::npos)
        << (*back)["output"];
    EXPECT_NE((*back)["instruction"].get<std::string>().find(e.base_name), std::string::npos);
  }
}

TEST_F(SynthTest, AnswersAreExactAndGrounded) {
  auto lines = ParseLines(Run(SynthRequest{}));
  // Bases keep declaration order (r.index) and say which base is external.
  const Json* puppy = Find(lines, "INHERITS", "bases", "zoo/animals.py:zoo.animals.Puppy");
  ASSERT_NE(puppy, nullptr);
  EXPECT_EQ((*puppy)["output"],
            "`zoo.animals.Puppy` (in `zoo/animals.py`) inherits directly from 2 classes, in this "
            "order: `zoo.animals.Dog` (defined in `zoo/animals.py`) and `mixins.Playful` "
            "(external, not defined in this codebase).");
  // Subclasses are all listed, sorted.
  const Json* animal = Find(lines, "INHERITS", "subclasses", "zoo/animals.py:zoo.animals.Animal");
  ASSERT_NE(animal, nullptr);
  EXPECT_EQ((*animal)["output"],
            "2 classes inherit directly from `zoo.animals.Animal` (defined in `zoo/animals.py`): "
            "`zoo.animals.Cat` (in `zoo/animals.py`) and `zoo.animals.Dog` (in `zoo/animals.py`).");
  // Methods in source order, with display signatures and the docstring's first line.
  const Json* dog = Find(lines, "HAS_METHOD", "methods", "zoo/animals.py:zoo.animals.Dog");
  ASSERT_NE(dog, nullptr);
  EXPECT_EQ((*dog)["output"],
            "`zoo.animals.Dog` (in `zoo/animals.py`) defines 2 methods:\n"
            "- `speak(self) -> str`\n"
            "- `async fetch(self, thing: str) -> None`: Brings `thing` back.");
  const Json* animal_methods =
      Find(lines, "HAS_METHOD", "methods", "zoo/animals.py:zoo.animals.Animal");
  ASSERT_NE(animal_methods, nullptr);
  EXPECT_NE((*animal_methods)["output"].get<std::string>().find(
                "- `speak(self) -> str`: Makes the animal's sound."),
            std::string::npos);
  EXPECT_EQ((*animal_methods)["output"].get<std::string>().find("Subclasses override"),
            std::string::npos)
      << "only the docstring's first line belongs in the list";
  // The reverse direction lists every class defining a method of that name.
  const Json* speak = Find(lines, "HAS_METHOD", "defining_class", "speak");
  ASSERT_NE(speak, nullptr);
  EXPECT_EQ((*speak)["output"],
            "A method named `speak` is defined in 3 classes:\n"
            "- `zoo.animals.Animal` (in `zoo/animals.py`): `speak(self) -> str`\n"
            "- `zoo.animals.Cat` (in `zoo/animals.py`): `speak(self) -> str`\n"
            "- `zoo.animals.Dog` (in `zoo/animals.py`): `speak(self) -> str`");
  const Json* fetch = Find(lines, "HAS_METHOD", "defining_class", "fetch");
  ASSERT_NE(fetch, nullptr);
  EXPECT_EQ((*fetch)["output"],
            "The method `fetch` is defined in class `zoo.animals.Dog` (in `zoo/animals.py`) with "
            "the signature `async fetch(self, thing: str) -> None`.");
  EXPECT_NE((*fetch)["instruction"].get<std::string>().find("`fetch`"), std::string::npos);
  // Decorators are shown before the signature.
  const Json* cat = Find(lines, "HAS_METHOD", "methods", "zoo/animals.py:zoo.animals.Cat");
  ASSERT_NE(cat, nullptr);
  EXPECT_EQ((*cat)["output"],
            "`zoo.animals.Cat` (in `zoo/animals.py`) defines 2 methods:\n"
            "- `speak(self) -> str`\n"
            "- `@classmethod` `create(cls, name: str) -> \"Cat\"`: Builds a cat.");
}

TEST_F(SynthTest, SameSeedIsByteIdenticalAndSeedsChangeWording) {
  SynthRequest a;
  a.seed = 42;
  std::string first = Run(a);
  std::string second = Run(a);
  EXPECT_EQ(first, second);
  // Wordings differ for some seed; the facts (outputs and subjects) never do.
  std::set<std::string> variants;
  for (uint64_t seed = 0; seed < 4; ++seed) {
    SynthRequest r;
    r.seed = seed;
    std::string text = Run(r);
    variants.insert(text);
    auto lines = ParseLines(text);
    auto base = ParseLines(first);
    ASSERT_EQ(lines.size(), base.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      EXPECT_EQ(lines[i]["output"], base[i]["output"]);
      EXPECT_EQ(lines[i]["meta"], base[i]["meta"]);
    }
  }
  EXPECT_GT(variants.size(), 1u) << "different seeds should change the wording somewhere";
}

TEST_F(SynthTest, MaxPairsCapsDeterministically) {
  SynthRequest full_req;
  full_req.seed = 3;
  auto full = ParseLines(Run(full_req));
  SynthRequest capped;
  capped.seed = 3;
  capped.max_pairs = 5;
  SynthSummary summary;
  std::string text = Run(capped, &summary);
  auto lines = ParseLines(text);
  EXPECT_EQ(lines.size(), 5u);
  EXPECT_EQ(summary.pairs, 5u);
  EXPECT_EQ(text, Run(capped));
  // The kept lines are a subset of the uncapped output, in the same relative order.
  size_t pos = 0;
  for (const auto& l : lines) {
    while (pos < full.size() && full[pos] != l) ++pos;
    EXPECT_LT(pos, full.size()) << "capped line not in the full output: " << l.dump();
  }
  // A cap above the total changes nothing.
  SynthRequest big = full_req;
  big.max_pairs = 1000;
  EXPECT_EQ(Run(big), Run(full_req));
}

TEST_F(SynthTest, MessagesFormat) {
  SynthRequest req;
  req.format = "messages";
  auto lines = ParseLines(Run(req));
  ASSERT_EQ(lines.size(), 15u);
  for (const auto& j : lines) {
    ASSERT_TRUE(j["messages"].is_array());
    ASSERT_EQ(j["messages"].size(), 2u);
    EXPECT_EQ(j["messages"][0]["role"], "user");
    EXPECT_EQ(j["messages"][1]["role"], "assistant");
    EXPECT_FALSE(j["messages"][1]["content"].get<std::string>().empty());
    EXPECT_EQ(j["meta"]["strategy"], "relation_qa");
  }
}

TEST_F(SynthTest, BadRequestsAreErrors) {
  std::ostringstream out;
  SynthRequest unknown;
  unknown.strategy = "walk_the_dog";
  auto r = RunSynth(*store_, "zoo", unknown, out);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
  EXPECT_NE(r.status().message().find("walk_the_dog"), std::string::npos);
  EXPECT_NE(r.status().message().find("relation_qa"), std::string::npos);

  SynthRequest format;
  format.format = "csv";
  r = RunSynth(*store_, "zoo", format, out);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());

  SynthRequest negative;
  negative.max_pairs = -1;
  r = RunSynth(*store_, "zoo", negative, out);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());

  r = RunSynth(*store_, "no_such_graph", SynthRequest{}, out);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound()) << r.status().ToString();
  EXPECT_TRUE(out.str().empty()) << "nothing is written on error";
}

TEST_F(SynthTest, EmptyGraphGivesNoPairs) {
  ASSERT_TRUE(store_->CreateGraph("empty").ok());
  SynthSummary summary;
  EXPECT_EQ(Run(SynthRequest{}, &summary, "empty"), "");
  EXPECT_EQ(summary.pairs, 0u);
}

TEST(DedupTest, NormalizeText) {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""},
      {"  Which  Classes\tinherit\n", "which classes inherit"},
      {"ABC", "abc"},
      {"a\r\n\r\nb", "a b"},
      {"`Foo.Bar`?", "`foo.bar`?"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(NormalizeText(in), want) << in;
}

TEST(DedupTest, DedupExactKeepsFirstByNormalizedQuestionAndInput) {
  auto pair = [](std::string q, std::string in, std::string out) {
    TrainingPair p;
    p.instruction = std::move(q);
    p.input = std::move(in);
    p.output = std::move(out);
    return p;
  };
  std::vector<TrainingPair> pairs = {
      pair("What is X?", "", "first"),
      pair("what  is x?", "", "second"),          // duplicate of the first
      pair("What is X?", "File: a.py", "third"),  // different input: kept
      pair("What is Y?", "", "fourth"),
  };
  EXPECT_EQ(DedupExact(&pairs), 1u);
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0].output, "first");
  EXPECT_EQ(pairs[1].output, "third");
  EXPECT_EQ(pairs[2].output, "fourth");
}

// relation_qa over the real ingest of samples/python; expectations come from the sample's source.
TEST(SynthSampleTest, RelationQaOverIngestedSample) {
  TempDir dir;
  auto store = storage::GraphStore::Open(dir.path() + "/db", storage::Options{});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto report =
      ingest::IngestPath(**store, "shop", std::string(CODEKG_SOURCE_DIR) + "/samples/python");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::ostringstream out;
  SynthRequest req;
  req.seed = 11;
  auto summary = RunSynth(**store, "shop", req, out);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  std::vector<Json> lines;
  {
    std::istringstream in(out.str());
    std::string line;
    while (std::getline(in, line)) lines.push_back(Json::parse(line));
  }
  EXPECT_EQ(lines.size(), summary->pairs);
  // class Foo(Bar) statements of samples/python/shop (child, file, base as shown).
  struct Inherit {
    std::string child, file, base;
  };
  const Inherit inherits[] = {
      {"shop.models.PhysicalProduct", "shop/models.py", "shop.models.Product"},
      {"shop.models.DigitalProduct", "shop/models.py", "shop.models.Product"},
      {"shop.models.GiftCard", "shop/models.py", "shop.models.DigitalProduct"},
      {"shop.payments.base.PaymentError", "shop/payments/base.py", "Exception"},
      {"shop.payments.base.PaymentGateway", "shop/payments/base.py", "abc.ABC"},
      {"shop.payments.card.CardGateway", "shop/payments/card.py",
       "shop.payments.base.PaymentGateway"},
      {"shop.payments.wallet.WalletGateway", "shop/payments/wallet.py",
       "shop.payments.base.PaymentGateway"},
  };
  for (const auto& e : inherits) {
    bool forward = false, backward = false;
    for (const auto& j : lines) {
      const std::string out_text = j["output"];
      if (j["meta"]["relation"] != "INHERITS") continue;
      if (j["meta"]["direction"] == "bases" && j["meta"]["subject"] == e.file + ":" + e.child &&
          out_text.find("`" + e.base + "`") != std::string::npos) {
        forward = true;
      }
      if (j["meta"]["direction"] == "subclasses" &&
          j["instruction"].get<std::string>().find("`" + e.base + "`") != std::string::npos &&
          out_text.find("`" + e.child + "` (in `" + e.file + "`)") != std::string::npos) {
        backward = true;
      }
    }
    EXPECT_TRUE(forward) << e.child << " -> " << e.base;
    EXPECT_TRUE(backward) << e.base << " <- " << e.child;
  }
  // Cart's methods with their signatures, from shop/cart.py.
  bool cart = false;
  for (const auto& j : lines) {
    if (j["meta"]["direction"] != "methods" ||
        j["meta"]["subject"] != "shop/cart.py:shop.cart.Cart")
      continue;
    cart = true;
    const std::string o = j["output"];
    EXPECT_NE(o.find("`add(self, product: Product, quantity: int = 1) -> CartItem`"),
              std::string::npos)
        << o;
    EXPECT_NE(o.find("`remove(self, sku: str) -> Optional[CartItem]`"), std::string::npos) << o;
    EXPECT_NE(o.find("defines 8 methods"), std::string::npos) << o;
  }
  EXPECT_TRUE(cart);
  // Decorators from the source: @staticmethod / @classmethod in shop/checkout.py.
  bool checkout = false;
  for (const auto& j : lines) {
    if (j["meta"]["direction"] != "methods" ||
        j["meta"]["subject"] != "shop/checkout.py:shop.checkout.Checkout")
      continue;
    checkout = true;
    const std::string o = j["output"];
    EXPECT_NE(o.find("`@staticmethod` `_apply_gift_card(card: GiftCard, due: Money) -> Money`"),
              std::string::npos)
        << o;
    EXPECT_NE(o.find("`@classmethod` `next_number(cls) -> int`"), std::string::npos) << o;
  }
  EXPECT_TRUE(checkout);
}

}  // namespace
}  // namespace kg::synth

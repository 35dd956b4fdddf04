// End to end: IngestPath into a real RocksDB GraphStore, read back through Snapshots.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ingest/ingest.h"
#include "storage/graph_store.h"
#include "tests/ingest/test_util.h"

namespace kg::ingest {
namespace {

namespace fs = std::filesystem;
using storage::GraphStore;
using storage::Snapshot;
using testing::TempDir;

const std::string kSample = std::string(CODEKG_SOURCE_DIR) + "/samples/python";

class IngestE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(db_dir_.path().empty());
    storage::Options options;
    options.sync_writes = false;  // tests need no durability; keeps them fast
    options.block_cache_bytes = 8u << 20;
    auto store = GraphStore::Open((db_dir_.path() / "db").string(), options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  IngestReport Ingest(const fs::path& root, IngestOptions options = {}) {
    auto report = IngestPath(*store_, "g", root.string(), options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? std::move(report).value() : IngestReport{};
  }

  std::unique_ptr<Snapshot> Snap() { return std::move(store_->GetSnapshot("g")).value(); }

  uint64_t CountLabel(const std::string& label) {
    auto id = store_->LabelIdFor(label);
    EXPECT_TRUE(id.ok()) << label;
    return *Snap()->CountLabel(*id);
  }

  uint64_t CountType(const std::string& type) {
    auto id = store_->EdgeTypeIdFor(type);
    EXPECT_TRUE(id.ok()) << type;
    return *Snap()->CountEdgeType(*id);
  }

  std::optional<storage::NodeRecord> Node(const std::string& id) {
    auto snap = Snap();
    auto key = snap->FindNode(id);
    EXPECT_TRUE(key.ok());
    if (!key.ok() || !*key) return std::nullopt;
    return *snap->GetNode(**key);
  }

  // "TYPE -> dst {props}" of the out-edges of node `id` (optionally of one type), sorted.
  std::vector<std::string> Out(const std::string& id, const std::string& type = "") {
    auto snap = Snap();
    std::vector<std::string> out;
    auto key = snap->FindNode(id);
    if (!key.ok() || !*key) return {"<no node " + id + ">"};
    std::optional<storage::EdgeTypeId> t;
    if (!type.empty()) t = *store_->EdgeTypeIdFor(type);
    auto cursor = snap->Expand(**key, storage::Direction::kOut, t);
    storage::EdgeRecord e;
    while (cursor->Next(&e)) {
      std::string props;
      for (const auto& [k, v] : e.props) props += " " + k + "=" + v.DebugString();
      out.push_back(*store_->EdgeTypeNameOf(e.type) + " -> " + (*snap->GetNode(e.dst))->id + props);
    }
    EXPECT_TRUE(cursor->status().ok());
    std::sort(out.begin(), out.end());
    return out;
  }

  // The whole graph as sorted lines: nodes with labels and props, edges with props.
  std::vector<std::string> Dump() {
    auto snap = Snap();
    std::vector<std::string> out;
    auto nodes = snap->ScanAll();
    storage::NodeKey key;
    while (nodes->Next(&key)) {
      auto node = *snap->GetNode(key);
      std::string line = "N " + node->id;
      for (auto l : node->labels) line += " :" + *store_->LabelNameOf(l);
      line += " " + Value(node->props).DebugString();
      out.push_back(line);
      auto edges = snap->Expand(key, storage::Direction::kOut);
      storage::EdgeRecord e;
      while (edges->Next(&e)) {
        out.push_back("E " + node->id + " -" + *store_->EdgeTypeNameOf(e.type) + "-> " +
                      (*snap->GetNode(e.dst))->id + " " + Value(e.props).DebugString());
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  TempDir db_dir_;
  std::unique_ptr<GraphStore> store_;
};

TEST_F(IngestE2ETest, SampleProjectGraph) {
  IngestReport r = Ingest(kSample);
  EXPECT_EQ(r.root, fs::canonical(kSample).string());
  EXPECT_EQ(r.files_seen, 10u);
  EXPECT_EQ(r.files_parsed, 10u);
  EXPECT_EQ(r.docs_seen, 1u);  // README.md
  EXPECT_EQ(r.docs_parsed, 1u);
  EXPECT_EQ(r.files_unchanged, 0u);
  EXPECT_EQ(r.files_deleted, 0u);
  EXPECT_TRUE(r.skipped.empty()) << r.skipped[0].path << ": " << r.skipped[0].reason;
  EXPECT_TRUE(r.flagged.empty());
  EXPECT_GT(r.nodes_written, 0u);

  EXPECT_EQ(CountLabel("Repo"), 1u);
  EXPECT_EQ(CountLabel("Directory"), 4u);  // /, shop, shop/payments, tests
  EXPECT_EQ(CountLabel("File"), 11u);      // 10 .py + README.md
  EXPECT_EQ(CountLabel("Doc"), 1u);
  EXPECT_EQ(CountLabel("Module"), 10u);
  EXPECT_EQ(CountLabel("Class"), 15u);
  EXPECT_EQ(CountLabel("Function"), 8u);
  EXPECT_EQ(CountLabel("Method"), 42u);
  EXPECT_EQ(CountType("INHERITS"), 7u);
  EXPECT_EQ(CountType("IMPORTS"), 67u);
  EXPECT_EQ(CountType("HAS_METHOD"), 42u);
  EXPECT_EQ(CountType("DEFINES_MODULE"), 10u);

  // The class hierarchy, resolved across files and through re-exports.
  EXPECT_EQ(Out("shop/models.py:GiftCard", "INHERITS"),
            std::vector<std::string>{"INHERITS -> shop/models.py:DigitalProduct index=0 "
                                     "written='DigitalProduct'"});
  EXPECT_EQ(Out("shop/payments/card.py:CardGateway", "INHERITS"),
            std::vector<std::string>{"INHERITS -> shop/payments/base.py:PaymentGateway index=0 "
                                     "written='PaymentGateway'"});
  EXPECT_EQ(Out("shop/payments/wallet.py:WalletGateway", "INHERITS"),
            std::vector<std::string>{"INHERITS -> shop/payments/base.py:PaymentGateway index=0 "
                                     "written='base.PaymentGateway'"});
  EXPECT_EQ(Out("shop/payments/base.py:PaymentGateway", "INHERITS"),
            std::vector<std::string>{"INHERITS -> external:abc.ABC index=0 written='abc.ABC'"});
  auto abc = Node("external:abc.ABC");
  ASSERT_TRUE(abc);
  EXPECT_EQ(abc->props.at("name"), Value("abc.ABC"));

  // Who inherits from Product (the README's sample query).
  auto snap = Snap();
  auto product = *snap->FindNode("shop/models.py:Product");
  ASSERT_TRUE(product);
  std::set<std::string> subclasses;
  auto in = snap->Expand(*product, storage::Direction::kIn, *store_->EdgeTypeIdFor("INHERITS"));
  storage::EdgeRecord e;
  while (in->Next(&e)) subclasses.insert((*snap->GetNode(e.src))->props.at("name").as_string());
  EXPECT_EQ(subclasses, (std::set<std::string>{"PhysicalProduct", "DigitalProduct"}));

  // Imports: a re-export followed to the definition, a relative import, a plain import.
  std::vector<std::string> imports = Out("tests/test_cart.py", "IMPORTS");
  EXPECT_EQ(imports, (std::vector<std::string>{
                         "IMPORTS -> external:decimal.Decimal line=3 module='decimal' "
                         "symbol='Decimal'",
                         "IMPORTS -> shop/cart.py:Cart line=5 module='shop' symbol='Cart'",
                         "IMPORTS -> shop/checkout.py:Checkout line=5 module='shop' "
                         "symbol='Checkout'",
                         "IMPORTS -> shop/models.py:DigitalProduct line=5 module='shop' "
                         "symbol='DigitalProduct'",
                         "IMPORTS -> shop/models.py:Money line=6 module='shop.models' "
                         "symbol='Money'",
                         "IMPORTS -> shop/models.py:PhysicalProduct line=5 module='shop' "
                         "symbol='PhysicalProduct'",
                         "IMPORTS -> shop/payments/base.py:PaymentError line=7 "
                         "module='shop.payments' symbol='PaymentError'",
                         "IMPORTS -> shop/payments/card.py:CardGateway line=7 "
                         "module='shop.payments' symbol='CardGateway'",
                     }));
  std::vector<std::string> wallet = Out("shop/payments/wallet.py", "IMPORTS");
  EXPECT_NE(std::find(wallet.begin(), wallet.end(),
                      "IMPORTS -> module:shop.payments.base line=6 module='shop.payments' "
                      "symbol='base'"),
            wallet.end());
  EXPECT_NE(std::find(wallet.begin(), wallet.end(),
                      "IMPORTS -> external:asyncio line=3 module='asyncio'"),
            wallet.end());

  // Node properties.
  auto price = Node("shop/models.py:Product.price_with_tax");
  ASSERT_TRUE(price);
  EXPECT_EQ(price->props.at("qualified_name"), Value("shop.models.Product.price_with_tax"));
  EXPECT_EQ(price->props.at("signature"),
            Value("def price_with_tax(self, quantity: int = 1) -> Money"));
  EXPECT_EQ(price->props.at("docstring"),
            Value("The gross price of `quantity` items, tax included."));
  EXPECT_EQ(price->props.at("params"), Value(ValueList{Value("self"), Value("quantity")}));
  EXPECT_EQ(price->props.at("start_line"), Value(48));
  auto charge_async = Node("shop/payments/wallet.py:WalletGateway.charge_async");
  ASSERT_TRUE(charge_async);
  EXPECT_EQ(charge_async->props.at("is_async"), Value(true));
  auto test_fn = Node("tests/test_cart.py:TestCheckout.test_declined_card_raises");
  ASSERT_TRUE(test_fn);
  EXPECT_EQ(test_fn->props.at("is_test"), Value(true));
  auto module = Node("module:shop.payments");
  ASSERT_TRUE(module);
  EXPECT_EQ(module->props.at("path"), Value("shop/payments/__init__.py"));
  EXPECT_EQ(module->props.at("is_package"), Value(true));
  auto file = Node("shop/utils.py");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->props.at("hash").as_string().size(), 64u);

  // Folder skeleton.
  EXPECT_EQ(Out("repo:"), std::vector<std::string>{"CONTAINS -> dir:/"});
  EXPECT_EQ(
      Out("dir:shop", "CONTAINS"),
      (std::vector<std::string>{"CONTAINS -> dir:shop/payments", "CONTAINS -> shop/__init__.py",
                                "CONTAINS -> shop/cart.py", "CONTAINS -> shop/checkout.py",
                                "CONTAINS -> shop/models.py", "CONTAINS -> shop/utils.py"}));
  // The file text is stored for `code` materialization.
  auto text = Snap()->GetFileText("shop/utils.py");
  ASSERT_TRUE(text.ok());
  EXPECT_TRUE(text->starts_with("\"\"\"Small helpers"));
}

TEST_F(IngestE2ETest, ReingestIsAllUnchangedAndThreadCountDoesNotMatter) {
  IngestOptions one;
  one.threads = 1;
  Ingest(kSample, one);
  std::vector<std::string> first = Dump();
  IngestReport again = Ingest(kSample);
  EXPECT_EQ(again.files_unchanged, 10u);
  EXPECT_EQ(again.docs_unchanged, 1u);
  EXPECT_EQ(again.files_parsed, 0u);
  EXPECT_EQ(again.nodes_written, 0u);
  EXPECT_EQ(again.edges_written, 0u);
  EXPECT_EQ(Dump(), first);

  // A fresh graph ingested on 4 threads is identical to the 1-thread one.
  IngestOptions four;
  four.threads = 4;
  auto r = IngestPath(*store_, "g4", kSample, four);
  ASSERT_TRUE(r.ok());
  auto snap4 = std::move(store_->GetSnapshot("g4")).value();
  EXPECT_EQ(*snap4->CountNodes(), *Snap()->CountNodes());
  EXPECT_EQ(*snap4->CountEdges(), *Snap()->CountEdges());
}

TEST_F(IngestE2ETest, OnlyModifiedFilesAreReparsed) {
  TempDir copy;
  testing::CopyTree(kSample, copy.path() / "sample");
  fs::path root = copy.path() / "sample";
  Ingest(root);
  uint64_t nodes_before = *Snap()->CountNodes();

  // A body-only change: the file's interface is the same, nobody else is re-parsed.
  std::ofstream(root / "shop/utils.py", std::ios::app) << "\n\ndef clamp(x, lo, hi):\n"
                                                          "    \"\"\"Limits x.\"\"\"\n"
                                                          "    return max(lo, min(x, hi))\n";
  IngestReport r = Ingest(root);
  EXPECT_EQ(r.files_parsed, 1u);
  EXPECT_EQ(r.files_unchanged, 9u);
  EXPECT_EQ(r.files_reresolved, 0u);
  auto clamp = Node("shop/utils.py:clamp");
  ASSERT_TRUE(clamp);
  EXPECT_EQ(clamp->props.at("docstring"), Value("Limits x."));
  EXPECT_EQ(*Snap()->CountNodes(), nodes_before + 1);
  // 5 functions (clamp included) and the module variables T and _NON_WORD.
  EXPECT_EQ(Out("module:shop.utils", "CONTAINS").size(), 7u);
}

TEST_F(IngestE2ETest, NewDefinitionReresolvesImporters) {
  TempDir copy;
  testing::CopyTree(kSample, copy.path() / "sample");
  fs::path root = copy.path() / "sample";
  std::ofstream(root / "shop/cart.py", std::ios::app) << "\nfrom .models import Coupon\n";
  Ingest(root);
  auto edges = Out("shop/cart.py", "IMPORTS");
  EXPECT_NE(std::find(edges.begin(), edges.end(),
                      "IMPORTS -> module:shop.models line=72 module='shop.models' "
                      "symbol='Coupon'"),
            edges.end());

  std::ofstream(root / "shop/models.py", std::ios::app) << "\n\nclass Coupon(Product):\n"
                                                           "    \"\"\"A discount code.\"\"\"\n";
  IngestReport r = Ingest(root);
  EXPECT_EQ(r.files_reresolved, 1u);  // shop/cart.py
  EXPECT_EQ(r.files_parsed, 2u);
  edges = Out("shop/cart.py", "IMPORTS");
  EXPECT_NE(std::find(edges.begin(), edges.end(),
                      "IMPORTS -> shop/models.py:Coupon line=72 module='shop.models' "
                      "symbol='Coupon'"),
            edges.end());
  EXPECT_EQ(
      Out("shop/models.py:Coupon", "INHERITS"),
      std::vector<std::string>{"INHERITS -> shop/models.py:Product index=0 written='Product'"});
}

TEST_F(IngestE2ETest, DeletedFilesLeaveTheGraph) {
  TempDir copy;
  testing::CopyTree(kSample, copy.path() / "sample");
  fs::path root = copy.path() / "sample";
  Ingest(root);
  ASSERT_TRUE(Node("shop/payments/wallet.py:WalletGateway"));
  uint64_t imports_before = CountType("IMPORTS");

  fs::remove(root / "shop/payments/wallet.py");
  IngestReport r = Ingest(root);
  EXPECT_EQ(r.files_deleted, 1u);
  EXPECT_EQ(r.files_seen, 9u);
  EXPECT_EQ(r.files_reresolved, 1u);  // shop/payments/__init__.py imported from it
  EXPECT_FALSE(Node("shop/payments/wallet.py"));
  EXPECT_FALSE(Node("shop/payments/wallet.py:WalletGateway"));
  EXPECT_FALSE(Node("shop/payments/wallet.py:WalletGateway.charge_async"));
  EXPECT_FALSE(Node("module:shop.payments.wallet"));
  EXPECT_FALSE(*Snap()->GetFile("shop/payments/wallet.py"));
  EXPECT_EQ(CountLabel("File"), 10u);                   // 9 .py + README.md
  EXPECT_EQ(CountType("IMPORTS"), imports_before - 5);  // wallet.py's own five
  // The package's import of the vanished module now points at an External node.
  auto edges = Out("shop/payments/__init__.py", "IMPORTS");
  EXPECT_NE(std::find(edges.begin(), edges.end(),
                      "IMPORTS -> external:shop.payments.wallet.WalletGateway line=5 "
                      "module='shop.payments.wallet' symbol='WalletGateway'"),
            edges.end());

  // Removing a whole folder removes its Directory node too.
  fs::remove_all(root / "tests");
  r = Ingest(root);
  EXPECT_EQ(r.files_deleted, 1u);
  EXPECT_FALSE(Node("dir:tests"));
  EXPECT_EQ(CountLabel("Directory"), 3u);
  EXPECT_EQ(Out("dir:/", "CONTAINS"),
            (std::vector<std::string>{"CONTAINS -> README.md", "CONTAINS -> dir:shop"}));
}

TEST_F(IngestE2ETest, BadInputsAreReportedNotFatal) {
  TempDir dir;
  dir.Write("good.py", "def ok():\n    return 1\n");
  dir.Write("binary.py", std::string("\x7f"
                                     "ELF\x02\x01\x01\0\0\0",
                                     10));
  dir.Write("latin1.py", "# caf\xE9\nx = 1\n");
  dir.Write("huge.py", "x = 1\n" + std::string(200, '#') + "\n");
  dir.Write("broken.py", "class A:\n    def m(self):\n        return 1\n\ndef f(:\n    pass\n");
  dir.Write("pkg/mod.py", "y = 2\n");
  fs::create_directory_symlink(dir.path() / "pkg", dir.path() / "pkg/again");
  fs::create_directory_symlink("/usr/lib", dir.path() / "outside");
  IngestOptions options;
  options.max_file_bytes = 150;
  IngestReport r = Ingest(dir.path(), options);
  std::map<std::string, std::string> skipped;
  for (const FileIssue& i : r.skipped) skipped[i.path] = i.reason;
  EXPECT_EQ(skipped, (std::map<std::string, std::string>{
                         {"binary.py", "binary file"},
                         {"huge.py", "too large (207 bytes > 150)"},
                         {"latin1.py", "invalid UTF-8 at byte 5 (line 1, column 6)"},
                         {"outside", "symlink points outside the root"},
                         {"pkg/again", "symlink loop (points to its ancestor 'pkg')"},
                     }));
  ASSERT_EQ(r.flagged.size(), 1u);
  EXPECT_EQ(r.flagged[0].path, "broken.py");
  EXPECT_TRUE(r.flagged[0].reason.starts_with("syntax error at line 5, column 7"))
      << r.flagged[0].reason;
  EXPECT_EQ(r.files_seen, 6u);
  EXPECT_EQ(r.files_parsed, 3u);       // good.py, broken.py (partial), pkg/mod.py
  EXPECT_TRUE(Node("broken.py:A.m"));  // the partial tree's facts are kept
  auto broken = Node("broken.py");
  ASSERT_TRUE(broken);
  EXPECT_TRUE(broken->props.at("syntax_error").as_string().starts_with("line 5, column 7"));
  EXPECT_FALSE(Node("binary.py"));

  // A file that becomes unreadable later leaves the graph.
  dir.Write("good.py", std::string("x\0y", 3));
  r = Ingest(dir.path(), options);
  EXPECT_EQ(r.files_deleted, 1u);
  EXPECT_FALSE(Node("good.py:ok"));
}

TEST_F(IngestE2ETest, ModuleNameCollisionsAreKeptApart) {
  TempDir dir;
  dir.Write("conftest.py", "def root_fixture(): pass\n");
  dir.Write("tests/conftest.py", "def test_fixture(): pass\n");
  dir.Write("tests/unit/conftest.py", "def unit_fixture(): pass\n");
  dir.Write("tests/test_a.py", "from conftest import root_fixture\n");
  IngestReport r = Ingest(dir.path());
  EXPECT_TRUE(r.skipped.empty()) << r.skipped[0].path << ": " << r.skipped[0].reason;
  EXPECT_EQ(r.files_parsed, 4u);
  EXPECT_EQ(CountLabel("Module"), 4u);
  ASSERT_TRUE(Node("module:conftest"));
  EXPECT_EQ(Node("module:conftest")->props.at("path"), Value("conftest.py"));
  ASSERT_TRUE(Node("module:conftest#tests/conftest.py"));
  ASSERT_TRUE(Node("module:conftest#tests/unit/conftest.py"));
  // The first path owns the name for resolution.
  EXPECT_EQ(Out("tests/test_a.py", "IMPORTS"),
            std::vector<std::string>{"IMPORTS -> conftest.py:root_fixture line=1 "
                                     "module='conftest' symbol='root_fixture'"});
  EXPECT_EQ(Node("tests/test_a.py")->props.at("is_test"), Value(true));
}

// Fields, variables, calls, overrides, re-exports and decorator references of the sample.
TEST_F(IngestE2ETest, SampleSchemaEdges) {
  Ingest(kSample);
  // Fields: class-body bindings, annotated dataclass fields, self.x in methods.
  std::vector<std::string> cart_fields = Out("shop/cart.py:Cart", "HAS_FIELD");
  EXPECT_EQ(cart_fields,
            (std::vector<std::string>{
                "HAS_FIELD -> shop/cart.py:Cart._items declared_in='shop/cart.py:Cart' "
                "inherited=false",
                "HAS_FIELD -> shop/cart.py:Cart.currency declared_in='shop/cart.py:Cart' "
                "inherited=false",
            }));
  ASSERT_TRUE(Node("shop/payments/base.py:PaymentResult.transaction_id"));
  EXPECT_EQ(Node("shop/payments/base.py:PaymentResult.transaction_id")->labels.size(), 1u);
  ASSERT_TRUE(Node("shop/payments/base.py:PaymentGateway.name"));
  EXPECT_EQ(Node("shop/payments/base.py:PaymentGateway.name")->props.at("qualified_name"),
            Value("shop.payments.base.PaymentGateway.name"));
  // Module variables: contained by the file and the module.
  ASSERT_TRUE(Node("shop/__init__.py:__version__"));
  EXPECT_EQ(Node("shop/__init__.py:__version__")->props.at("start_line"), Value(23));
  std::vector<std::string> init = Out("module:shop", "CONTAINS");
  EXPECT_NE(std::find(init.begin(), init.end(), "CONTAINS -> shop/__init__.py:__all__"),
            init.end());

  // Calls: self. on the class, construction, imports, same-file names, the only method of the
  // repository named `subtotal` (by name), unresolved -> External (`decimal` is imported).
  std::vector<std::string> total = Out("shop/cart.py:Cart.total", "CALLS");
  EXPECT_EQ(total, (std::vector<std::string>{
                       "CALLS -> external:decimal.Decimal col=23 count=1 line=52 resolution='none'",
                       "CALLS -> shop/cart.py:Cart.shipping col=24 count=1 line=55 "
                       "resolution='scope'",
                       "CALLS -> shop/cart.py:CartItem.subtotal col=29 count=1 line=54 "
                       "resolution='name'",
                       "CALLS -> shop/models.py:Money col=17 count=1 line=52 resolution='import'",
                   }));
  std::vector<std::string> add = Out("shop/cart.py:Cart.add", "CALLS");
  EXPECT_NE(std::find(add.begin(), add.end(),
                      "CALLS -> shop/cart.py:CartItem col=47 count=1 line=36 resolution='exact'"),
            add.end())
      << ::testing::PrintToString(add);
  std::vector<std::string> summary = Out("shop/cart.py:Cart.summary", "CALLS");
  EXPECT_NE(std::find(summary.begin(), summary.end(),
                      "CALLS -> shop/utils.py:format_price col=38 count=1 line=70 "
                      "resolution='import'"),
            summary.end())
      << ::testing::PrintToString(summary);
  // self.supports() in a subclass resolves on the subclass first; count merges call sites.
  std::vector<std::string> charge = Out("shop/payments/card.py:CardGateway.charge", "CALLS");
  EXPECT_NE(std::find(charge.begin(), charge.end(),
                      "CALLS -> shop/payments/card.py:CardGateway._new_id col=34 count=2 line=24 "
                      "resolution='scope'"),
            charge.end())
      << ::testing::PrintToString(charge);
  EXPECT_NE(std::find(charge.begin(), charge.end(),
                      "CALLS -> shop/payments/card.py:CardGateway.supports col=16 count=1 line=21 "
                      "resolution='scope'"),
            charge.end())
      << ::testing::PrintToString(charge);
  // Unresolved callees are External, named by what the import binds (decimal.Decimal).
  ASSERT_TRUE(Node("external:decimal.Decimal"));
  EXPECT_EQ(Node("external:decimal.Decimal")->props.at("name"), Value("decimal.Decimal"));

  // Overrides: same-named methods of repository base classes.
  EXPECT_EQ(Out("shop/payments/card.py:CardGateway.charge", "OVERRIDES"),
            std::vector<std::string>{"OVERRIDES -> shop/payments/base.py:PaymentGateway.charge"});
  EXPECT_EQ(Out("shop/payments/card.py:CardGateway.supports", "OVERRIDES"),
            std::vector<std::string>{"OVERRIDES -> shop/payments/base.py:PaymentGateway.supports"});
  EXPECT_TRUE(Out("shop/payments/card.py:CardGateway.__init__", "OVERRIDES").empty());

  // Re-exports of the package and decorator references.
  std::vector<std::string> exports = Out("module:shop", "EXPORTS");
  EXPECT_EQ(exports.size(), 9u) << ::testing::PrintToString(exports);
  EXPECT_NE(
      std::find(exports.begin(), exports.end(), "EXPORTS -> shop/cart.py:Cart line=8 name='Cart'"),
      exports.end())
      << ::testing::PrintToString(exports);
  EXPECT_EQ(Out("shop/payments/base.py:PaymentGateway.charge", "REFERENCES"),
            (std::vector<std::string>{
                "REFERENCES -> external:abc.abstractmethod kind='decorator' line=30",
                "REFERENCES -> shop/models.py:Money kind='annotation' line=30",
                "REFERENCES -> shop/payments/base.py:PaymentResult kind='annotation' line=30"}));
  // Names inside subscripted annotations; `str` and `Optional` are no repository definitions.
  EXPECT_EQ(Out("shop/cart.py:Cart.remove", "REFERENCES"),
            std::vector<std::string>{"REFERENCES -> shop/cart.py:CartItem kind='annotation' "
                                     "line=40"});

  // A parameter annotated with a repository class: `card: GiftCard` ... card.redeem(...).
  std::vector<std::string> apply = Out("shop/checkout.py:Checkout._apply_gift_card", "CALLS");
  EXPECT_NE(std::find(apply.begin(), apply.end(),
                      "CALLS -> shop/models.py:GiftCard.redeem col=9 count=1 line=51 "
                      "resolution='scope'"),
            apply.end())
      << ::testing::PrintToString(apply);
}

// An edit of the subclass file alone re-resolves its calls and overrides against the stored base.
TEST_F(IngestE2ETest, CallsAndOverridesSurviveIncrementalEdit) {
  TempDir dir;
  dir.Write("pkg/__init__.py", "");
  dir.Write("pkg/base.py",
            "class Base:\n    def run(self):\n        return self.step()\n"
            "    def step(self):\n        return 1\n");
  dir.Write("pkg/sub.py",
            "from .base import Base\n\nclass Sub(Base):\n    def step(self):\n"
            "        return self.run()\n");
  Ingest(dir.path());
  const std::vector<std::string> calls = {
      "CALLS -> pkg/base.py:Base.run col=16 count=1 line=5 resolution='scope'"};
  EXPECT_EQ(Out("pkg/sub.py:Sub.step", "CALLS"), calls);
  EXPECT_EQ(Out("pkg/base.py:Base.run", "CALLS"),
            std::vector<std::string>{
                "CALLS -> pkg/base.py:Base.step col=16 count=1 line=3 resolution='scope'"});
  dir.Write("pkg/sub.py",
            "from .base import Base\n\nclass Sub(Base):\n    def step(self):\n"
            "        return self.run()  # edited\n");
  IngestReport r = Ingest(dir.path());
  EXPECT_EQ(r.files_parsed, 1u);
  EXPECT_EQ(Out("pkg/sub.py:Sub.step", "CALLS"), calls);
  EXPECT_EQ(Out("pkg/sub.py:Sub.step", "OVERRIDES"),
            std::vector<std::string>{"OVERRIDES -> pkg/base.py:Base.step"});
}

// USES: reads of module variables, writes through `global`, shadowing by params and locals.
TEST_F(IngestE2ETest, UsesOfModuleVariables) {
  TempDir dir;
  dir.Write("reg.py",
            "REGISTRY = {}\n"            // 1
            "COUNT = 0\n"                // 2
            "def register(name, fn):\n"  // 3
            "    REGISTRY[name] = fn\n"  // 4 read (the dict is mutated, the name not rebound)
            "def bump():\n"              // 5
            "    global COUNT\n"         // 6
            "    COUNT += 1\n"           // 7 read and write
            "def shadow(COUNT):\n"       // 8
            "    return COUNT\n"         // 9 the parameter
            "def local():\n"             // 10
            "    REGISTRY = {}\n"        // 11 a local binding
            "    return REGISTRY\n"      // 12
            "class K:\n"                 // 13
            "    def m(self):\n"         // 14
            "        return len(REGISTRY), COUNT.real\n");  // 15
  Ingest(dir.path());
  EXPECT_EQ(Out("reg.py:register", "USES"),
            std::vector<std::string>{"USES -> reg.py:REGISTRY access='read' line=4"});
  EXPECT_EQ(Out("reg.py:bump", "USES"),
            (std::vector<std::string>{"USES -> reg.py:COUNT access='read' line=7",
                                      "USES -> reg.py:COUNT access='write' line=7"}));
  EXPECT_TRUE(Out("reg.py:shadow", "USES").empty());
  EXPECT_TRUE(Out("reg.py:local", "USES").empty());
  EXPECT_EQ(Out("reg.py:K.m", "USES"),
            (std::vector<std::string>{"USES -> reg.py:COUNT access='read' line=15",
                                      "USES -> reg.py:REGISTRY access='read' line=15"}));
}

TEST_F(IngestE2ETest, RootErrors) {
  TempDir dir;
  auto missing = IngestPath(*store_, "g", (dir.path() / "nope").string());
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();
  auto file = dir.Write("a.py", "x = 1\n");
  auto not_dir = IngestPath(*store_, "g", file.string());
  EXPECT_TRUE(not_dir.status().IsInvalidArgument()) << not_dir.status().ToString();
  auto bad_graph = IngestPath(*store_, "bad name!", dir.path().string());
  EXPECT_TRUE(bad_graph.status().IsInvalidArgument()) << bad_graph.status().ToString();
}

}  // namespace
}  // namespace kg::ingest

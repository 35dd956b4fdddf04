// Schema completeness on real-style code: inherited HAS_FIELD edges, USES of Fields (`self.x`)
// and of Variables imported from another module; the same edges after an incremental re-ingest
// that leaves the base classes' file unchanged.

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <set>
#include <string>

#include "ingest/ingest.h"
#include "storage/graph_store.h"
#include "tests/ingest/test_util.h"

namespace kg::ingest {
namespace {

using testing::TempDir;

class SchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::Options options;
    options.sync_writes = false;
    options.block_cache_bytes = 8u << 20;
    store_ = std::move(storage::GraphStore::Open((db_.path() / "db").string(), options)).value();
    src_.Write("shop/__init__.py", "");
    src_.Write("shop/conf.py", "TIMEOUT = 30\nREGISTRY = {}\n");
    src_.Write("shop/base.py",
               "class Model:\n"
               "    table = 'models'\n"
               "\n"
               "    def __init__(self):\n"
               "        self.pk = None\n"
               "        self.saved = False\n");
    src_.Write("shop/models.py", kModels);
  }

  static constexpr const char* kModels =
      "from .base import Model\n"
      "from .conf import TIMEOUT, REGISTRY\n"
      "\n"
      "class Product(Model):\n"
      "    table = 'products'\n"
      "\n"
      "    def __init__(self, name, REGISTRY=None):\n"
      "        super().__init__()\n"
      "        self.name = name or REGISTRY\n"
      "\n"
      "    def save(self):\n"
      "        if self.pk is None or self.saved:\n"
      "            return None\n"
      "        self.count += 1\n"
      "        return TIMEOUT\n"
      "\n"
      "class Book(Product):\n"
      "    pass\n";

  void Ingest() {
    auto r = IngestPath(*store_, "g", src_.path().string());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  // "TYPE -> dst {props}" of the out-edges of `id` of `type`.
  std::set<std::string> Out(const std::string& id, const std::string& type) {
    auto snap = std::move(store_->GetSnapshot("g")).value();
    std::set<std::string> out;
    auto key = snap->FindNode(id);
    if (!key.ok() || !*key) return {"<no node " + id + ">"};
    auto cursor = snap->Expand(**key, storage::Direction::kOut, *store_->EdgeTypeIdFor(type));
    storage::EdgeRecord e;
    while (cursor->Next(&e)) {
      std::string props;
      for (const auto& [k, v] : e.props) props += " " + k + "=" + v.DebugString();
      out.insert((*snap->GetNode(e.dst))->id + props);
    }
    return out;
  }

  void CheckEdges() {
    EXPECT_EQ(Out("shop/models.py:Product", "HAS_FIELD"),
              (std::set<std::string>{
                  "shop/base.py:Model.pk declared_in='shop/base.py:Model' inherited=true",
                  "shop/base.py:Model.saved declared_in='shop/base.py:Model' inherited=true",
                  "shop/models.py:Product.name declared_in='shop/models.py:Product' "
                  "inherited=false",
                  "shop/models.py:Product.table declared_in='shop/models.py:Product' "
                  "inherited=false"}));
    // Two levels up; Product's own `table` and `name` shadow nothing of Model's here.
    EXPECT_EQ(Out("shop/models.py:Book", "HAS_FIELD"),
              (std::set<std::string>{
                  "shop/base.py:Model.pk declared_in='shop/base.py:Model' inherited=true",
                  "shop/base.py:Model.saved declared_in='shop/base.py:Model' inherited=true",
                  "shop/models.py:Product.name declared_in='shop/models.py:Product' "
                  "inherited=true",
                  "shop/models.py:Product.table declared_in='shop/models.py:Product' "
                  "inherited=true"}));
    // self.pk and self.saved read (inherited Fields), TIMEOUT read through the import;
    // self.count is no Field of the repository (augmented assignment binds none): no edge.
    EXPECT_EQ(Out("shop/models.py:Product.save", "USES"),
              (std::set<std::string>{"shop/base.py:Model.pk access='read' line=12",
                                     "shop/base.py:Model.saved access='read' line=12",
                                     "shop/conf.py:TIMEOUT access='read' line=15"}));
    // Base-class methods write the Fields they declare.
    EXPECT_EQ(Out("shop/base.py:Model.__init__", "USES"),
              (std::set<std::string>{"shop/base.py:Model.pk access='write' line=5",
                                     "shop/base.py:Model.saved access='write' line=6"}));
    // A parameter named like an imported Variable shadows it.
    EXPECT_EQ(Out("shop/models.py:Product.__init__", "USES"),
              (std::set<std::string>{"shop/models.py:Product.name access='write' line=9"}));
  }

  TempDir db_, src_;
  std::unique_ptr<storage::GraphStore> store_;
};

TEST_F(SchemaTest, InheritedFieldsAndUses) {
  Ingest();
  CheckEdges();
}

TEST_F(SchemaTest, SameEdgesWhenTheBaseClassFileIsLeftUnchanged) {
  Ingest();
  std::ofstream(src_.path() / "shop/models.py", std::ios::app) << "\n# touched\n";
  Ingest();  // only models.py is parsed: Model's Fields and labels come from the store
  CheckEdges();
}

}  // namespace
}  // namespace kg::ingest

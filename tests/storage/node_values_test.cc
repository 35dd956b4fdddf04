// Snapshot::GetNodeLabelsAndValues: the labels and projected values it returns equal GetNodes'
// records for present, absent, repeated and unlabelled keys, in one call and across chunks.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "storage/graph_store.h"
#include "tests/storage/store_fixture.h"
#include "tests/testing/temp_dir.h"

namespace kg::storage {
namespace {

TEST(NodeValuesTest, LabelsAndValuesMatchGetNodes) {
  kg::testing::TempDir dir;
  Options options;
  options.sync_writes = false;
  auto store = GraphStore::Open(dir.sub("db"), options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->CreateGraph("g").ok());
  FactBatch b;
  b.path = "a.py";
  for (int i = 0; i < 600; ++i) {
    NodeFact n;
    n.id = "a.py:n" + std::to_string(i);
    if (i % 4 == 0) {
      n.labels = {"Function"};
    } else if (i % 4 == 1) {
      n.labels = {"Class", "Module"};
    }  // else: no label
    n.props["i"] = Value(int64_t{i});
    if (i % 3 != 0) n.props["name"] = Value("n" + std::to_string(i % 7));
    b.nodes.push_back(std::move(n));
  }
  ASSERT_TRUE((*store)->ApplyBatch("g", b).ok());
  auto snap = (*store)->GetSnapshot("g");
  ASSERT_TRUE(snap.ok());
  std::vector<NodeKey> keys;
  NodeKey k = 0;
  for (auto c = (*snap)->ScanAll(); c->Next(&k);) keys.push_back(k);
  ASSERT_EQ(keys.size(), 600u);
  keys.push_back(0);
  keys.push_back(keys[5]);
  keys.push_back(NodeKey{1} << 30);
  const std::vector<std::string> names = {"name", "id", "missing", "i"};
  std::vector<std::vector<LabelId>> labels;
  std::vector<std::optional<std::vector<Value>>> values;
  ASSERT_TRUE((*snap)->GetNodeLabelsAndValues(keys, names, &labels, &values).ok());
  std::vector<std::optional<NodeRecord>> full;
  ASSERT_TRUE((*snap)->GetNodes(keys, &full).ok());
  ASSERT_EQ(labels.size(), keys.size());
  ASSERT_EQ(values.size(), keys.size());
  size_t present = 0, labelled = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(values[i].has_value(), full[i].has_value()) << keys[i];
    if (!full[i]) {
      EXPECT_TRUE(labels[i].empty());
      continue;
    }
    ++present;
    labelled += !labels[i].empty();
    EXPECT_EQ(labels[i], full[i]->labels) << full[i]->id;
    testing::ExpectProjectionOf(*full[i], names, *values[i]);
  }
  EXPECT_EQ(present, 601u);   // 600 + the repeated key
  EXPECT_EQ(labelled, 301u);  // 300 labelled + the repeated key 5 (Class, Module)
  ASSERT_TRUE((*snap)->GetNodeLabelsAndValues({}, names, &labels, &values).ok());
  EXPECT_TRUE(labels.empty());
  EXPECT_TRUE(values.empty());
}

}  // namespace
}  // namespace kg::storage

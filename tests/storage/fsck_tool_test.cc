// The codekg-fsck binary: exit codes 0 (clean), 1 (problems), 2 (error), and its output.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "storage/graph_store.h"
#include "storage/key_codec.h"
#include "storage/test_hooks.h"
#include "tests/storage/temp_dir.h"

namespace kg::storage {
namespace {

struct ToolRun {
  int exit_code = -1;
  std::string out;
};

ToolRun RunFsck(const std::string& args) {
  std::string cmd = std::string(CODEKG_BINARY_DIR) + "/storage/tools/codekg-fsck " + args + " 2>&1";
  ToolRun r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf;
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(FsckToolTest, ExitCodesAndOutput) {
  TempDir dir;
  const std::string db = dir.sub("db");
  GraphId g = 0;
  {
    Options o;
    o.sync_writes = false;
    auto store = GraphStore::Open(db, o);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->CreateGraph("alpha").ok());
    ASSERT_TRUE((*store)->CreateGraph("beta").ok());
    FactBatch b;
    b.path = "x.py";
    NodeFact n;
    n.id = "x.py:f";
    n.labels = {"Function"};
    n.props = {{"name", "f"}};
    b.nodes.push_back(n);
    ASSERT_TRUE((*store)->ApplyBatch("alpha", b).ok());
    g = (*store)->GetGraph("beta")->id;
  }
  ToolRun clean = RunFsck("--data " + db);
  EXPECT_EQ(clean.exit_code, 0) << clean.out;
  EXPECT_NE(clean.out.find("graph alpha: ok (1 nodes"), std::string::npos) << clean.out;
  EXPECT_NE(clean.out.find("graph beta: ok"), std::string::npos) << clean.out;

  {
    Options o;
    auto store = GraphStore::Open(db, o);
    ASSERT_TRUE(store.ok());
    std::string key;
    EncodeLabelIndexKey(&key, g, 5, 77);
    ASSERT_TRUE(test_hooks::RawWrite(**store, "label_index", key, "").ok());
  }
  ToolRun bad = RunFsck("--data " + db);
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_NE(bad.out.find("graph beta: PROBLEMS"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("label_index: stray entry for missing node 77"), std::string::npos)
      << bad.out;
  ToolRun only_alpha = RunFsck("--data " + db + " --graph alpha");
  EXPECT_EQ(only_alpha.exit_code, 0) << only_alpha.out;
  EXPECT_EQ(only_alpha.out.find("beta"), std::string::npos) << only_alpha.out;

  EXPECT_EQ(RunFsck("--data " + db + " --graph nope").exit_code, 2);
  EXPECT_EQ(RunFsck("--data " + dir.sub("absent")).exit_code, 2);
  EXPECT_EQ(RunFsck("").exit_code, 2);
  EXPECT_EQ(RunFsck("--bogus").exit_code, 2);
}

}  // namespace
}  // namespace kg::storage

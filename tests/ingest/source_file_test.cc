#include "ingest/source_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "ingest/walk.h"
#include "tests/ingest/test_util.h"

namespace kg::ingest {
namespace {

using testing::TempDir;

TEST(Utf8Test, ValidAndInvalidSequences) {
  struct Case {
    std::string bytes;
    size_t bad;  // npos when valid
  };
  const size_t ok = std::string::npos;
  const Case cases[] = {
      {"plain ascii", ok},
      {"caf\xC3\xA9", ok},             // é
      {"\xE2\x82\xAC euro", ok},       // €
      {"\xF0\x9F\x98\x80 smile", ok},  // U+1F600
      {"ab\xC3", 2},                   // truncated at end
      {"ab\x80z", 2},                  // stray continuation byte
      {"x\xC0\xAFy", 1},               // overlong '/'
      {"x\xE0\x80\xAFy", 1},           // overlong 3-byte
      {"\xED\xA0\x80", 0},             // UTF-16 surrogate
      {"ok\xF4\x90\x80\x80", 2},       // above U+10FFFF
      {"\xFF", 0},
      {"\xE2\x82z", 0},  // bad third byte
  };
  for (const Case& c : cases) EXPECT_EQ(FindInvalidUtf8(c.bytes), c.bad) << c.bytes;
}

TEST(CheckSourceTextTest, ReasonsCarryPositions) {
  EXPECT_EQ(CheckSourceText("x = 1\n"), std::nullopt);
  EXPECT_EQ(CheckSourceText(std::string("x = 1\n\0\x01", 8)), "binary file");
  EXPECT_EQ(CheckSourceText("a = 1\nb = '\xFF'\n"), "invalid UTF-8 at byte 11 (line 2, column 6)");
  // A NUL after the first 8 KiB is not "binary"; it is valid UTF-8 (U+0000).
  std::string late(9000, 'a');
  late.push_back('\0');
  EXPECT_EQ(CheckSourceText(late), std::nullopt);
}

TEST(LoadSourceFileTest, SizeLimitBinaryAndMissing) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  auto small = dir.Write("a.py", "x = 1\n");
  SourceLoad load = LoadSourceFile(small, 100);
  EXPECT_EQ(load.skip_reason, "");
  EXPECT_EQ(load.text, "x = 1\n");
  EXPECT_EQ(load.size, 6u);

  auto big = dir.Write("big.py", std::string(101, '#'));
  load = LoadSourceFile(big, 100);
  EXPECT_EQ(load.skip_reason, "too large (101 bytes > 100)");
  EXPECT_TRUE(load.text.empty());

  load = LoadSourceFile(dir.path() / "missing.py", 100);
  EXPECT_TRUE(load.skip_reason.starts_with("cannot read: ")) << load.skip_reason;

  auto bin = dir.Write("b.py", std::string("\x7f"
                                           "ELF\0\0",
                                           6));
  EXPECT_EQ(LoadSourceFile(bin, 100).skip_reason, "binary file");
}

WalkOptions PyWalk() {
  WalkOptions o;
  o.exclude_dirs = {"node_modules", "build"};
  o.wanted = [](std::string_view p) { return p.ends_with(".py"); };
  return o;
}

TEST(WalkTreeTest, ListsWantedFilesSortedAndSkipsExcludedFolders) {
  TempDir dir;
  dir.Write("pkg/__init__.py", "");
  dir.Write("pkg/b.py", "");
  dir.Write("pkg/a.py", "");
  dir.Write("pkg/readme.md", "");
  dir.Write("z.py", "");
  dir.Write("node_modules/x.py", "");
  dir.Write("sub/build/gen.py", "");
  dir.Write(".hidden/h.py", "");
  auto walk = WalkTree(dir.path(), PyWalk());
  ASSERT_TRUE(walk.ok()) << walk.status().ToString();
  EXPECT_EQ(walk->files,
            (std::vector<std::string>{"pkg/__init__.py", "pkg/a.py", "pkg/b.py", "z.py"}));
  EXPECT_TRUE(walk->skipped.empty());
  EXPECT_EQ(walk->root, std::filesystem::canonical(dir.path()));
}

TEST(WalkTreeTest, ListsEveryEntryOfAFolderLargerThanOneListingBuffer) {
  // About 200 KiB of directory entries: the listing takes several getdents64 calls.
  TempDir dir;
  std::vector<std::string> want;
  for (int i = 0; i < 4000; ++i) {
    std::string name = "module_with_a_rather_long_name_" + std::to_string(i) + ".py";
    dir.Write("big/" + name, "");
    want.push_back("big/" + name);
  }
  dir.Write("big/sub/inner.py", "");
  want.push_back("big/sub/inner.py");
  std::sort(want.begin(), want.end());
  auto walk = WalkTree(dir.path(), PyWalk());
  ASSERT_TRUE(walk.ok()) << walk.status().ToString();
  EXPECT_EQ(walk->files, want);
  EXPECT_TRUE(walk->skipped.empty());
}

TEST(WalkTreeTest, RootErrors) {
  TempDir dir;
  auto missing = WalkTree(dir.path() / "nope", PyWalk());
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();
  auto file = dir.Write("f.py", "");
  auto not_dir = WalkTree(file, PyWalk());
  EXPECT_TRUE(not_dir.status().IsInvalidArgument()) << not_dir.status().ToString();
}

TEST(WalkTreeTest, SymlinksAreNotFollowedAndLoopsAreReported) {
  TempDir dir;
  TempDir outside;
  dir.Write("pkg/mod.py", "x = 1\n");
  outside.Write("secret.py", "password = 1\n");
  namespace fs = std::filesystem;
  fs::create_directory_symlink(dir.path() / "pkg", dir.path() / "pkg/loop");  // ancestor
  fs::create_directory_symlink(outside.path(), dir.path() / "escape");        // out of root
  fs::create_symlink(dir.path() / "pkg/mod.py", dir.path() / "alias.py");     // inside root
  fs::create_symlink(dir.path() / "nowhere.py", dir.path() / "dangling.py");  // broken
  fs::create_symlink(dir.path() / "self", dir.path() / "self");               // self-loop
  auto walk = WalkTree(dir.path(), PyWalk());
  ASSERT_TRUE(walk.ok()) << walk.status().ToString();
  EXPECT_EQ(walk->files, std::vector<std::string>{"pkg/mod.py"});
  std::map<std::string, std::string> reasons;
  for (const auto& issue : walk->skipped) reasons[issue.path] = issue.reason;
  EXPECT_EQ(reasons["pkg/loop"], "symlink loop (points to its ancestor 'pkg')");
  EXPECT_EQ(reasons["escape"], "symlink points outside the root");
  EXPECT_EQ(reasons["alias.py"],
            "symlink to 'pkg/mod.py' inside the root (walked at its real path)");
  EXPECT_TRUE(reasons["dangling.py"].starts_with("broken symlink")) << reasons["dangling.py"];
  EXPECT_TRUE(reasons["self"].starts_with("symlink loop")) << reasons["self"];
  EXPECT_EQ(reasons.size(), 5u);
}

TEST(WalkTreeTest, FifoWithWantedNameIsNotRead) {
  TempDir dir;
  std::string fifo = (dir.path() / "pipe.py").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto walk = WalkTree(dir.path(), PyWalk());
  ASSERT_TRUE(walk.ok());
  EXPECT_TRUE(walk->files.empty());
  ASSERT_EQ(walk->skipped.size(), 1u);
  EXPECT_EQ(walk->skipped[0].reason, "not a regular file");
}

}  // namespace
}  // namespace kg::ingest

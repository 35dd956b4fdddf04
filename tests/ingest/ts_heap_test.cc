#include "ingest/ts_heap.h"

#include <gtest/gtest.h>
#include <tree_sitter/api.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>

#include "ingest/extractor.h"
#include "ingest/languages/registry.h"

namespace kg::ingest {
namespace {

bool Sanitized() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return true;
#else
  return false;
#endif
#else
  return false;
#endif
}

bool Expected() {
  const char* env = std::getenv("CODEKG_TS_HEAP");
  return !Sanitized() && !(env != nullptr && std::string_view(env) == "0");
}

// A module of `classes` classes with a few methods each, calls, comprehensions and strings: the
// shapes a real file has, with a module node of `classes` children (an array past the size
// classes once there are more than ~250) and deep nesting.
std::string Module(int classes) {
  std::string s = "import os\nfrom typing import List, Optional\n\n";
  for (int i = 0; i < classes; ++i) {
    const std::string n = std::to_string(i);
    s += "class Widget" + n + "(Base" + n + "):\n";
    s += "    \"\"\"Widget number " + n + ".\"\"\"\n";
    s += "    limit: int = " + n + "\n\n";
    s += "    def __init__(self, items: Optional[List[str]] = None) -> None:\n";
    s += "        self.items = [x.strip() for x in (items or []) if x]\n";
    s += "        self.path = os.path.join('/tmp', f'w{self.limit}', str(" + n + "))\n\n";
    s += "    def total(self, *args, **kwargs):\n";
    s += "        return sum(len(i) for i in self.items) + helper" + n + "(args, **kwargs)\n\n";
  }
  return s;
}

// Parses `text` with a fresh parser and returns the module's child count (-1 on failure); the
// tree and the parser are deleted before returning.
int ParseAndDelete(const std::string& text) {
  TSParser* parser = ts_parser_new();
  if (!ts_parser_set_language(parser, languages::LanguageByName("python")->grammar())) {
    ts_parser_delete(parser);
    return -1;
  }
  TSTree* tree =
      ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
  int children = -1;
  if (tree != nullptr) {
    TSNode root = ts_tree_root_node(tree);
    if (!ts_node_has_error(root)) children = static_cast<int>(ts_node_named_child_count(root));
    ts_tree_delete(tree);
  }
  ts_parser_delete(parser);
  return children;
}

TEST(TsHeapTest, InstalledInEveryProgramThatLinksTheExtractor) {
  // This test links the extractor but names nothing of the heap except the stats: the
  // extractor's reference is what brings the heap's constructor in.
  EXPECT_EQ(GetTsHeapStats().installed, Expected());
}

TEST(TsHeapTest, TheBlocksOfADeletedTreeServeTheNextParses) {
  if (!Expected()) GTEST_SKIP() << "tree-sitter uses malloc in this build";
  const std::string text = Module(400);  // ~200 KiB, a tree of several MiB
  ASSERT_EQ(ParseAndDelete(text), 402);  // two imports, 400 classes
  const size_t mapped = GetTsHeapStats().mapped_bytes;
  EXPECT_GT(mapped, 0u);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(ParseAndDelete(text), 402);
  // Ten more trees of the same size fit in the blocks the first one gave back.
  EXPECT_EQ(GetTsHeapStats().mapped_bytes, mapped);
}

TEST(TsHeapTest, AThreadThatEndsHandsItsMemoryToTheNextThreads) {
  if (!Expected()) GTEST_SKIP() << "tree-sitter uses malloc in this build";
  const std::string text = Module(300);
  // Each thread parses with the extractor (its thread-local parser is deleted at thread exit,
  // after the thread handed its blocks over) and with a parser of its own.
  auto extractor = Extractor::Create(*languages::LanguageByName("python"));
  ASSERT_TRUE(extractor.ok()) << extractor.status().ToString();
  auto work = [&] {
    auto facts = (*extractor)->Extract("pkg/widgets.py", text, {"pkg.widgets", false});
    ASSERT_TRUE(facts.ok()) << facts.status().ToString();
    EXPECT_GE(facts->definitions.size(), 300u * 3);  // classes and their methods
    EXPECT_EQ(ParseAndDelete(text), 302);
  };
  std::thread(work).join();
  const TsHeapStats after_first = GetTsHeapStats();
  EXPECT_GT(after_first.pooled_blocks, 0u);
  for (int i = 0; i < 4; ++i) std::thread(work).join();
  // The later threads drew on what the first left: no new regions.
  EXPECT_EQ(GetTsHeapStats().mapped_bytes, after_first.mapped_bytes);
}

TEST(TsHeapTest, TheRestsOfEndedThreadsRegionsServeLaterThreads) {
  // Threads that parse little end with most of a region left, each a different rest; a later
  // thread that parses much takes those rests for blocks of every size class.
  for (int i = 1; i <= 24; ++i) {
    std::thread([i] { EXPECT_EQ(ParseAndDelete(Module(i)), i + 2); }).join();
  }
  std::thread([] { EXPECT_EQ(ParseAndDelete(Module(600)), 602); }).join();
  EXPECT_EQ(ParseAndDelete(Module(600)), 602);
}

TEST(TsHeapTest, ATreeDeletedOnAnotherThreadThanItsParse) {
  const std::string text = Module(50);
  TSParser* parser = ts_parser_new();
  ASSERT_TRUE(ts_parser_set_language(parser, languages::LanguageByName("python")->grammar()));
  for (int round = 0; round < 3; ++round) {
    TSTree* tree =
        ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
    ASSERT_NE(tree, nullptr);
    TSTree* copy = ts_tree_copy(tree);  // shares the subtrees: the last release frees them
    std::thread([tree] { ts_tree_delete(tree); }).join();
    EXPECT_EQ(ts_node_named_child_count(ts_tree_root_node(copy)), 52u);
    std::thread([copy] { ts_tree_delete(copy); }).join();
  }
  ts_parser_delete(parser);
  // The blocks freed on the other threads are reused: parsing goes on correctly.
  EXPECT_EQ(ParseAndDelete(text), 52);
}

}  // namespace
}  // namespace kg::ingest

// libFuzzer target: the whole query pipeline (parse -> bind -> plan -> execute) on arbitrary
// text, over a tiny fixed graph with tight limits. Statements that write (CREATE) are only
// parsed, so the graph stays fixed. A crash, sanitizer report, hang (libFuzzer -timeout) or an
// error Status with an empty message is a finding.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "query/engine.h"
#include "query/parse/parser.h"
#include "storage/graph_store.h"

namespace {

std::unique_ptr<kg::storage::GraphStore> g_store;
std::string g_dir;

// A small code-shaped graph: classes, methods, calls, inheritance, a cycle.
constexpr const char* kSetup[] = {
    "CREATE (:File {name: 'a.py', path: 'a.py'}), (:File {name: 'b.py', path: 'b.py'})",
    "CREATE (a:Class {name: 'Animal', qualified_name: 'a.Animal', start_line: 1}), "
    "(d:Class {name: 'Dog', qualified_name: 'a.Dog', start_line: 10}), "
    "(m:Method {name: 'speak', qualified_name: 'a.Dog.speak', params: ['self', 'loud']}), "
    "(f:Function {name: 'main', qualified_name: 'b.main', is_async: false}), "
    "(d)-[:INHERITS {index: 0}]->(a), (d)-[:HAS_METHOD]->(m), (f)-[:CALLS {line: 3}]->(m), "
    "(m)-[:CALLS {line: 7}]->(f)",
};

bool StartsWithCreate(std::string_view text) {
  for (size_t i = 0; i + 6 <= text.size(); ++i) {
    bool match = true;
    for (size_t j = 0; j < 6 && match; ++j) {
      char c = text[i + j];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      match = c == "CREATE"[j];
    }
    if (match) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string tmpl_str =
      (std::filesystem::temp_directory_path() / "codekg_query_fuzz_XXXXXX").string();
  std::vector<char> buf(tmpl_str.begin(), tmpl_str.end());
  buf.push_back('\0');
  char* tmpl = buf.data();
  if (mkdtemp(tmpl) == nullptr) std::abort();
  kg::storage::Options options;
  options.sync_writes = false;
  auto store = kg::storage::GraphStore::Open(std::string(tmpl) + "/db", options);
  if (!store.ok()) {
    std::fprintf(stderr, "query_fuzz: %s\n", store.status().ToString().c_str());
    std::abort();
  }
  g_store = std::move(store).value();
  g_dir = tmpl;
  if (!g_store->EnsureGraph("g").ok()) std::abort();
  for (const char* q : kSetup) {
    auto r = kg::query::ExecuteQuery(*g_store, "g", q);
    if (!r.ok()) {
      std::fprintf(stderr, "query_fuzz setup: %s\n", r.status().ToString().c_str());
      std::abort();
    }
  }
  // The store and its folder go at exit.
  std::atexit([] {
    g_store.reset();
    std::error_code ec;
    std::filesystem::remove_all(g_dir, ec);
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (StartsWithCreate(text)) {
    auto parsed = kg::query::parse::ParseQuery(text);
    if (!parsed.ok() && parsed.status().message().empty()) std::abort();
    return 0;
  }
  kg::query::QueryOptions options;
  options.max_rows = 50;
  options.timeout_ms = 200;
  options.max_expansions = 2000;
  options.max_var_hops = 4;
  options.params["p"] = kg::Value(int64_t{7});
  options.params["s"] = kg::Value(std::string("Dog"));
  auto result = kg::query::ExecuteQuery(*g_store, "g", text, options);
  if (!result.ok() && result.status().message().empty()) std::abort();
  if (result.ok() && result->rows.size() > 50) std::abort();  // max_rows must hold
  return 0;
}

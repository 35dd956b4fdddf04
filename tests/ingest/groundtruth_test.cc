// Extraction of the bundled sample (samples/python) against the reference extractor's output.
//
// tests/ingest/data/sample_groundtruth.jsonl is the output of the shared scoring tool
// (py_groundtruth.py, Python's own `ast`) on samples/python; regenerate it after editing the
// sample:
//   python3 py_groundtruth.py samples/python --meta sample=samples/python
//           -o tests/ingest/data/sample_groundtruth.jsonl
// Every definition, module and import record must match exactly, and nothing extra may be
// extracted.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/extractor.h"
#include "ingest/languages/registry.h"
#include "ingest/walk.h"

namespace kg::ingest {
namespace {

using nlohmann::json;

// SHA-1 (the reference tool fingerprints docstrings with its first 12 hex digits).
std::string Sha1Hex12(const std::string& msg) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  std::string m = msg;
  uint64_t bits = static_cast<uint64_t>(msg.size()) * 8;
  m.push_back(static_cast<char>(0x80));
  while (m.size() % 64 != 56) m.push_back('\0');
  for (int i = 7; i >= 0; --i) m.push_back(static_cast<char>(bits >> (8 * i)));
  auto rol = [](uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
  for (size_t off = 0; off < m.size(); off += 64) {
    uint32_t w[80];
    for (int i = 0; i < 16; ++i) {
      w[i] = 0;
      for (int k = 0; k < 4; ++k) w[i] = (w[i] << 8) | static_cast<uint8_t>(m[off + 4 * i + k]);
    }
    for (int i = 16; i < 80; ++i) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      uint32_t f, k;
      if (i < 20) {
        f = (b & c) | (~b & d), k = 0x5A827999;
      } else if (i < 40) {
        f = b ^ c ^ d, k = 0x6ED9EBA1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
      } else {
        f = b ^ c ^ d, k = 0xCA62C1D6;
      }
      uint32_t t = rol(a, 5) + f + e + k + w[i];
      e = d, d = c, c = rol(b, 30), b = a, a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint32_t v : h) {
    for (int i = 28; i >= 0; i -= 4) out.push_back(kHex[(v >> i) & 15]);
  }
  return out.substr(0, 12);
}

TEST(Sha1ForTest, KnownVector) { EXPECT_EQ(Sha1Hex12("abc"), "a9993e364706"); }

json DocFields(const std::optional<std::string>& doc) {
  if (!doc) return {{"doc", false}, {"doc_sha1", nullptr}};
  return {{"doc", true}, {"doc_sha1", Sha1Hex12(*doc)}};
}

TEST(GroundTruthTest, SampleMatchesReferenceExtractor) {
  const std::string root = std::string(CODEKG_SOURCE_DIR) + "/samples/python";
  std::ifstream in(std::string(CODEKG_SOURCE_DIR) + "/tests/ingest/data/sample_groundtruth.jsonl");
  ASSERT_TRUE(in) << "missing golden file";
  std::multiset<std::string> want, got;
  for (std::string line; std::getline(in, line);) {
    json rec = json::parse(line);
    if (rec["type"] == "meta") continue;
    if (rec["type"] == "import") {  // one record per name: our granularity
      json names = rec["names"];
      rec.erase("names");
      rec.erase("scope");  // we record imports per file
      for (const json& n : names) {
        json r = rec;
        r["name"] = n["name"];
        r["asname"] = n["asname"];
        if (!r["from"].get<bool>()) r["imported"] = n["name"];
        want.insert(r.dump());
      }
      continue;
    }
    want.insert(rec.dump());
  }

  const languages::Language& py = *languages::LanguageByName("python");
  auto extractor = std::move(Extractor::Create(py)).value();
  WalkOptions options;
  options.exclude_dirs = {"__pycache__"};
  options.wanted = [](std::string_view p) { return p.ends_with(".py"); };
  auto walk = WalkTree(root, options);
  ASSERT_TRUE(walk.ok()) << walk.status().ToString();
  std::set<std::string> files(walk->files.begin(), walk->files.end());
  auto exists = [&](std::string_view p) { return files.count(std::string(p)) > 0; };
  for (const std::string& path : walk->files) {
    std::ifstream src(root + "/" + path, std::ios::binary);
    std::stringstream ss;
    ss << src.rdbuf();
    languages::ModuleInfo module = py.ModuleForPath(path, exists);
    auto facts = extractor->Extract(path, ss.str(), module);
    ASSERT_TRUE(facts.ok()) << facts.status().ToString();
    EXPECT_FALSE(facts->syntax_error) << path;
    const std::string& mod = module.name;
    json m = {{"type", "module"}, {"path", path}, {"module", mod}};
    m.update(DocFields(facts->module_docstring));
    got.insert(m.dump());
    for (const Definition& d : facts->definitions) {
      std::string qualname = mod + "." + d.qualified_path;
      std::string parent =
          d.parent < 0 ? mod : mod + "." + facts->definitions[d.parent].qualified_path;
      std::string kind =
          d.label == "Class" ? "class" : (d.label == "Method" ? "method" : "function");
      json r = {{"type", "def"},
                {"path", path},
                {"module", mod},
                {"qualname", qualname},
                {"name", d.name},
                {"kind", kind},
                {"line", d.start_line},
                {"end_line", d.end_line},
                {"parent", parent},
                {"async", d.is_async},
                {"decorators", d.decorators}};
      if (kind == "class") {
        r["bases"] = d.bases;
        // Class keywords (metaclass=...) are not bases; the sample has none.
        r["keywords"] = json::array();
      }
      r.update(DocFields(d.docstring));
      got.insert(r.dump());
    }
    for (const ImportFact& imp : facts->imports) {
      json r = {{"type", "import"}, {"path", path},     {"module", mod},
                {"line", imp.line}, {"from", imp.from}, {"imported", imp.module}};
      if (imp.from) {
        r["written"] = imp.written;
        size_t level = 0;
        while (level < imp.written.size() && imp.written[level] == '.') ++level;
        r["level"] = level;
        r["name"] = imp.name;
      } else {
        r["level"] = 0;
        r["name"] = imp.module;
      }
      r["asname"] = imp.alias.empty() ? json(nullptr) : json(imp.alias);
      got.insert(r.dump());
    }
  }
  std::vector<std::string> missing, extra;
  std::set_difference(want.begin(), want.end(), got.begin(), got.end(),
                      std::back_inserter(missing));
  std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::back_inserter(extra));
  for (const std::string& s : missing) ADD_FAILURE() << "missing: " << s;
  for (const std::string& s : extra) ADD_FAILURE() << "extra:   " << s;
  // 10 modules, 15 classes, 8 functions, 42 methods, 67 imported names.
  EXPECT_EQ(want.size(), 142u);
}

}  // namespace
}  // namespace kg::ingest

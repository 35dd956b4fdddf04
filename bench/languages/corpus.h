#pragma once
// Corpora of real public code for lang_bench, one per language, found at run time from what the
// registries installed (no machine paths besides what `dpkg-query -L` reports):
//
//   go          Debian golang-github-spf13-cobra-dev, golang-github-google-go-cmp-dev,
//               golang-golang-x-sync-dev, golang-github-pkg-errors-dev  (*.go under
//               /usr/share/gocode/src)
//   rust        Debian librust-serde-dev, librust-anyhow-dev, librust-regex-syntax-dev (*.rs
//               under /usr/share/cargo/registry)
//   c           Debian gnulib (lib/*.c) and zlib1g-dev (its examples/*.c)
//   cpp         Debian googletest (/usr/src/googletest sources and headers), nlohmann-json3-dev,
//               libfmt-dev (headers)
//   javascript  npm underscore (modules/), preact (src/ of each entry point)
//   typescript  npm rxjs (src/*.ts, declaration files excluded)
//   java        npm cordova-android (its Android framework *.java)
// The npm packages are pinned in bench/languages/corpora/package.json + package-lock.json and
// installed there with `npm ci --ignore-scripts` (never the root package.json).
//
// Each corpus is copied into a fresh folder (one per language) so that ctags, raw tree-sitter and
// codekg read exactly the same files under the same relative paths. Files are taken in sorted
// order until `max_bytes` is reached, so a corpus is deterministic for a given install.
//
// Thread-safety: functions are not thread-safe (they run child processes and write files).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/result.h"

namespace kg::bench::languages {

// One file of a materialized corpus.
struct CorpusFile {
  std::string path;  // relative to Corpus::root, '/'-separated, e.g. "deb/gnulib/lib/argz.c"
  uint64_t bytes = 0;
};

struct Corpus {
  std::string language;        // codekg language name, e.g. "cpp"
  std::string ctags_language;  // universal-ctags language name, e.g. "C++"
  std::filesystem::path root;  // the copied tree
  std::vector<CorpusFile> files;
  uint64_t bytes = 0;
  std::vector<std::string> sources;  // "debian:<package>" / "npm:<package>", for the report
};

// Languages with a corpus, in report order.
const std::vector<std::string>& CorpusLanguages();

// Copies the corpus of `language` into `dest` (created; must not exist or be empty).
// `npm_root` is the folder holding the bench's node_modules (bench/languages/corpora).
// Errors: NotFound naming the Debian or npm package to install when one is missing, or when a
// package ships no file of the language; InvalidArgument for an unknown language; IOError when
// copying fails.
Result<Corpus> MaterializeCorpus(const std::string& language, const std::filesystem::path& npm_root,
                                 const std::filesystem::path& dest, uint64_t max_bytes);

}  // namespace kg::bench::languages

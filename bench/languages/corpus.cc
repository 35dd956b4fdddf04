#include "bench/languages/corpus.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string_view>
#include <system_error>

namespace kg::bench::languages {

namespace fs = std::filesystem;

namespace {

// Where one part of a corpus comes from.
struct Source {
  bool debian = true;                // a Debian package (else an npm package under npm_root)
  std::string package;               // e.g. "gnulib" or "rxjs"
  std::vector<std::string> subdirs;  // npm: folders of the package to take ("" = all)
  std::string must_contain;          // Debian: keep only paths containing this ("" = all)
};

struct Spec {
  std::string ctags_language;
  std::vector<std::string> extensions;  // with the dot
  std::vector<Source> sources;
};

const std::map<std::string, Spec>& Specs() {
  static const std::map<std::string, Spec> kSpecs = {
      {"go",
       {"Go",
        {".go"},
        {{true, "golang-github-spf13-cobra-dev", {}, ""},
         {true, "golang-github-google-go-cmp-dev", {}, ""},
         {true, "golang-golang-x-sync-dev", {}, ""},
         {true, "golang-github-pkg-errors-dev", {}, ""}}}},
      {"rust",
       {"Rust",
        {".rs"},
        {{true, "librust-serde-dev", {}, ""},
         {true, "librust-anyhow-dev", {}, ""},
         {true, "librust-regex-syntax-dev", {}, ""}}}},
      {"c",
       {"C",
        {".c"},
        {{true, "zlib1g-dev", {}, "/examples/"}, {true, "gnulib", {}, "/gnulib/lib/"}}}},
      {"cpp",
       {"C++",
        {".h", ".hpp", ".cc", ".cpp"},
        {{true, "googletest", {}, ""},
         {true, "nlohmann-json3-dev", {}, ""},
         {true, "libfmt-dev", {}, ""}}}},
      {"javascript",
       {"JavaScript",
        {".js"},
        {{false, "underscore", {"modules"}, ""},
         {false,
          "preact",
          {"src", "hooks/src", "compat/src", "debug/src", "devtools/src", "jsx-runtime/src",
           "test-utils/src"},
          ""}}}},
      {"typescript", {"TypeScript", {".ts"}, {{false, "rxjs", {"src"}, ""}}}},
      {"java", {"Java", {".java"}, {{false, "cordova-android", {""}, ""}}}},
  };
  return kSpecs;
}

bool HasExtension(std::string_view path, const std::vector<std::string>& extensions) {
  if (path.ends_with(".d.ts") || path.ends_with(".min.js")) return false;
  for (const std::string& ext : extensions) {
    if (path.ends_with(ext)) return true;
  }
  return false;
}

// The files `dpkg-query -L` lists for an installed package.
Result<std::vector<std::string>> DebianFiles(const std::string& package) {
  std::string cmd = "dpkg-query -L '" + package + "' 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return Status::IOError("cannot run dpkg-query");
  std::vector<std::string> out;
  char buf[4096];
  std::string line;
  while (fgets(buf, sizeof(buf), pipe) != nullptr) {
    line += buf;
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      out.push_back(line);
      line.clear();
    }
  }
  int rc = pclose(pipe);
  if (rc != 0 || out.empty()) {
    return Status::NotFound("Debian package " + package + " is not installed (apt-get install " +
                            package + ")");
  }
  return out;
}

// Longest common folder of absolute paths ("/a/b/c.go", "/a/b/d/e.go" -> "/a/b").
std::string CommonFolder(const std::vector<std::string>& paths) {
  if (paths.empty()) return "";
  std::string prefix = paths.front().substr(0, paths.front().rfind('/'));
  for (const std::string& p : paths) {
    while (!prefix.empty() &&
           !(p.starts_with(prefix) && p.size() > prefix.size() && p[prefix.size()] == '/')) {
      size_t slash = prefix.rfind('/');
      prefix = slash == std::string::npos ? "" : prefix.substr(0, slash);
    }
  }
  return prefix;
}

}  // namespace

const std::vector<std::string>& CorpusLanguages() {
  static const std::vector<std::string> kLanguages = {"go",         "c",          "cpp", "rust",
                                                      "javascript", "typescript", "java"};
  return kLanguages;
}

Result<Corpus> MaterializeCorpus(const std::string& language, const fs::path& npm_root,
                                 const fs::path& dest, uint64_t max_bytes) {
  auto it = Specs().find(language);
  if (it == Specs().end()) return Status::InvalidArgument("no corpus for language " + language);
  const Spec& spec = it->second;
  // (source absolute path, corpus-relative path), over all sources.
  std::vector<std::pair<std::string, std::string>> picked;
  Corpus corpus;
  corpus.language = language;
  corpus.ctags_language = spec.ctags_language;
  corpus.root = dest;
  for (const Source& source : spec.sources) {
    std::vector<std::string> files;
    std::string base;
    if (source.debian) {
      KG_ASSIGN_OR_RETURN(std::vector<std::string> listed, DebianFiles(source.package));
      for (const std::string& p : listed) {
        if (!HasExtension(p, spec.extensions)) continue;
        if (!source.must_contain.empty() && p.find(source.must_contain) == std::string::npos)
          continue;
        std::error_code ec;
        if (!fs::is_regular_file(fs::symlink_status(p, ec))) continue;
        files.push_back(p);
      }
      base = CommonFolder(files);
      corpus.sources.push_back("debian:" + source.package);
    } else {
      fs::path pkg = npm_root / "node_modules" / source.package;
      if (!fs::is_directory(pkg)) {
        return Status::NotFound("npm package " + source.package + " is not installed in " +
                                npm_root.string() + " (run `npm ci --ignore-scripts` there)");
      }
      for (const std::string& sub : source.subdirs) {
        fs::path dir = sub.empty() ? pkg : pkg / sub;
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) continue;
        for (auto e = fs::recursive_directory_iterator(dir, ec);
             !ec && e != fs::recursive_directory_iterator(); e.increment(ec)) {
          if (e->is_directory() && e->path().filename() == "node_modules") {
            e.disable_recursion_pending();
            continue;
          }
          if (e->is_regular_file() && !e->is_symlink() &&
              HasExtension(e->path().string(), spec.extensions)) {
            files.push_back(e->path().string());
          }
        }
      }
      base = pkg.string();
      corpus.sources.push_back("npm:" + source.package);
    }
    if (files.empty()) {
      return Status::NotFound("package " + source.package + " ships no " + language +
                              " file (is it the expected version?)");
    }
    std::sort(files.begin(), files.end());
    std::string prefix = std::string(source.debian ? "deb/" : "npm/") + source.package;
    for (const std::string& f : files) {
      std::string rel = f.substr(base.size());
      // Folder names the ingest walk skips (build, dist, hidden) are renamed in the copy so that
      // every corpus file is ingested.
      std::string cleaned;
      size_t start = 0;
      while (start < rel.size()) {
        size_t slash = rel.find('/', start);
        if (slash == std::string::npos) slash = rel.size();
        std::string part = rel.substr(start, slash - start);
        if (slash != rel.size() && (part == "build" || part == "dist" || part == "node_modules" ||
                                    part.starts_with(".") || part == "__pycache__")) {
          part = "_" + part;
        }
        if (!part.empty()) cleaned += "/" + part;
        start = slash + 1;
      }
      picked.emplace_back(f, prefix + cleaned);
    }
  }
  // Deterministic cap: each source gets an equal share of max_bytes, files in sorted order (at
  // least one file per source).
  uint64_t share = max_bytes / spec.sources.size();
  std::map<std::string, uint64_t> source_bytes;
  for (const auto& [from, rel] : picked) {
    std::error_code ec;
    uint64_t size = fs::file_size(from, ec);
    if (ec) return Status::IOError("cannot stat " + from + ": " + ec.message());
    std::string source = rel.substr(0, rel.find('/', 4));
    auto [used, inserted] = source_bytes.emplace(source, 0);
    if (used->second + size > share && used->second > 0) continue;
    fs::path to = dest / rel;
    fs::create_directories(to.parent_path(), ec);
    if (!ec) fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec) return Status::IOError("cannot copy " + from + ": " + ec.message());
    corpus.files.push_back({rel, size});
    corpus.bytes += size;
    used->second += size;
  }
  std::sort(corpus.files.begin(), corpus.files.end(),
            [](const CorpusFile& a, const CorpusFile& b) { return a.path < b.path; });
  return corpus;
}

}  // namespace kg::bench::languages

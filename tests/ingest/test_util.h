#pragma once
// Test helpers: a temporary folder removed when the object dies; readable Value printing.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <string_view>

#include "common/value.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace kg {
// gtest prints Values readably in failure messages.
inline void PrintTo(const Value& v, std::ostream* os) { *os << v.DebugString(); }
}  // namespace kg

namespace kg::ingest::testing {

// While one lives, LeakSanitizer does not report allocations this thread makes (a no-op without
// ASan). Only for a leak inside Debian's tree-sitter 0.20.7: ts_query_new keeps 8 bytes on its
// unknown-field error path (the caller gets NULL and owns nothing). Scope it to that one call.
class LeakCheckOff {
 public:
  LeakCheckOff() {
#if defined(__SANITIZE_ADDRESS__)
    __lsan_disable();
#endif
  }
  ~LeakCheckOff() {
#if defined(__SANITIZE_ADDRESS__)
    __lsan_enable();
#endif
  }
  LeakCheckOff(const LeakCheckOff&) = delete;
  LeakCheckOff& operator=(const LeakCheckOff&) = delete;
};

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "kg_ingest_XXXXXX").string();
    char* made = mkdtemp(tmpl.data());
    path_ = made != nullptr ? std::filesystem::path(made) : std::filesystem::path();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `content` to `rel` (creating folders) and returns the absolute path.
  std::filesystem::path Write(std::string_view rel, std::string_view content) const {
    std::filesystem::path p = path_ / std::filesystem::path(rel);
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return p;
  }

 private:
  std::filesystem::path path_;
};

// Copies the folder `from` into `to` (recursively).
inline void CopyTree(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::filesystem::create_directories(to);
  std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
}

}  // namespace kg::ingest::testing

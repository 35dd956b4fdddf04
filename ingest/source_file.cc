#include "ingest/source_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace kg::ingest {

size_t FindInvalidUtf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    // Source is mostly ASCII: eight bytes at a time while none has its high bit set.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + 1 >= n || s[i + 1] < lo || s[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if (i + k >= n || s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

std::optional<std::string> CheckSourceText(std::string_view bytes) {
  if (bytes.substr(0, 8192).find('\0') != std::string_view::npos) return "binary file";
  size_t bad = FindInvalidUtf8(bytes);
  if (bad == std::string_view::npos) return std::nullopt;
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < bad; ++i) {
    if (bytes[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return "invalid UTF-8 at byte " + std::to_string(bad) + " (line " + std::to_string(line) +
         ", column " + std::to_string(bad - line_start + 1) + ")";
}

SourceLoad LoadSourceFile(const std::filesystem::path& file, uint64_t max_bytes) {
  // POSIX open/fstat/read: one open, one fstat and (usually) one read per file; an ifstream
  // costs a buffer allocation and a separate stat by name.
  SourceLoad out;
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    out.skip_reason = std::string("cannot read: ") + std::strerror(errno);
    return out;
  }
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    out.skip_reason = std::string("cannot read: ") + std::strerror(errno);
    return out;
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  out.size = size;
  if (size > max_bytes) {
    out.skip_reason =
        "too large (" + std::to_string(size) + " bytes > " + std::to_string(max_bytes) + ")";
    return out;
  }
  // Read until end of file, at most max_bytes + 1, so a file that grew since fstat() is caught.
  std::string text;
  text.resize(static_cast<size_t>(size) + 1);  // + 1: end of file is seen in the same read
  size_t used = 0;
  while (true) {
    if (used == text.size()) {
      if (text.size() > max_bytes) {
        out.size = text.size();
        out.skip_reason = "too large (more than " + std::to_string(max_bytes) + " bytes)";
        return out;
      }
      text.resize(std::min<size_t>(text.size() * 2 + 4096, static_cast<size_t>(max_bytes) + 1));
    }
    ssize_t n = ::read(fd, text.data() + used, text.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      out.skip_reason = std::string("cannot read: ") + std::strerror(errno);
      return out;
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  text.resize(used);
  out.size = text.size();
  if (text.size() > max_bytes) {
    out.skip_reason = "too large (more than " + std::to_string(max_bytes) + " bytes)";
    return out;
  }
  if (auto reason = CheckSourceText(text)) {
    out.skip_reason = *reason;
    return out;
  }
  out.text = std::move(text);
  return out;
}

}  // namespace kg::ingest

#include "ingest/source_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace kg::ingest {

size_t FindInvalidUtf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
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
  SourceLoad out;
  std::error_code ec;
  uint64_t size = std::filesystem::file_size(file, ec);
  if (ec) {
    out.skip_reason = "cannot read: " + ec.message();
    return out;
  }
  out.size = size;
  if (size > max_bytes) {
    out.skip_reason =
        "too large (" + std::to_string(size) + " bytes > " + std::to_string(max_bytes) + ")";
    return out;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    out.skip_reason = std::string("cannot read: ") + std::strerror(errno);
    return out;
  }
  // Read at most max_bytes + 1 so a file that grew since stat() is still caught.
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  char extra[4096];
  while (in.read(extra, sizeof(extra)) || in.gcount() > 0) {
    text.append(extra, static_cast<size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      out.size = text.size();
      out.skip_reason = "too large (more than " + std::to_string(max_bytes) + " bytes)";
      return out;
    }
  }
  if (in.bad()) {
    out.skip_reason = "cannot read: I/O error";
    return out;
  }
  out.size = text.size();
  if (auto reason = CheckSourceText(text)) {
    out.skip_reason = *reason;
    return out;
  }
  out.text = std::move(text);
  return out;
}

}  // namespace kg::ingest

#include "ingest/languages/script_modules.h"

namespace kg::ingest::languages::script {
namespace {

constexpr std::string_view kKnownExtensions[] = {".js", ".mjs", ".cjs", ".jsx",
                                                 ".ts", ".mts", ".cts", ".tsx"};

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.emplace_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) return out;
    start = pos + 1;
  }
}

std::string StripKnownExtension(std::string_view name) {
  for (std::string_view ext : kKnownExtensions) {
    if (name.size() > ext.size() && name.ends_with(ext)) {
      return std::string(name.substr(0, name.size() - ext.size()));
    }
  }
  return std::string(name);
}

std::string Sanitize(std::string s) {
  for (char& c : s) {
    if (c == '.') c = '_';
  }
  return s;
}

std::string Unquote(std::string_view written) {
  if (written.size() >= 2 &&
      (written.front() == '\'' || written.front() == '"' || written.front() == '`') &&
      written.back() == written.front()) {
    written = written.substr(1, written.size() - 2);
  }
  return std::string(written);
}

bool IsRelative(std::string_view spec) {
  return spec == "." || spec == ".." || spec.starts_with("./") || spec.starts_with("../");
}

// Applies "a/./b/../c" segments to `base` (folder segments); false when climbing above the root.
bool Walk(std::vector<std::string>* base, std::string_view spec) {
  for (const std::string& part : Split(spec, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (base->empty()) return false;
      base->pop_back();
    } else {
      base->push_back(part);
    }
  }
  return true;
}

std::string JoinPath(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

}  // namespace

ModuleInfo ModuleForPath(std::string_view path) {
  std::vector<std::string> parts = Split(path, '/');
  std::string stem = StripKnownExtension(parts.back());
  ModuleInfo info;
  parts.pop_back();
  if (stem == "index" && !parts.empty()) {
    info.is_package = true;
  } else {
    parts.push_back(stem);
  }
  for (const std::string& p : parts) info.name += (info.name.empty() ? "" : ".") + Sanitize(p);
  return info;
}

std::optional<std::string> ImportSource(std::string_view written, const ModuleInfo& module) {
  std::string spec = Unquote(written);
  if (!IsRelative(spec)) return spec;
  std::vector<std::string> base = Split(module.name, '.');
  if (!module.is_package && !base.empty()) base.pop_back();
  std::vector<std::string> parts = Split(spec, '/');
  if (!parts.empty() && !parts.back().empty() && parts.back() != "." && parts.back() != "..") {
    parts.back() = StripKnownExtension(parts.back());
    if (parts.back() == "index" && parts.size() > 1) parts.pop_back();
  }
  for (const std::string& part : parts) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (base.empty()) return std::nullopt;
      base.pop_back();
    } else {
      base.push_back(Sanitize(part));
    }
  }
  std::string out;
  for (const std::string& p : base) out += (out.empty() ? "" : ".") + p;
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<std::string> ImportFile(std::string_view written, std::string_view importer,
                                      const FileExists& exists,
                                      const std::vector<std::string_view>& extensions) {
  std::string spec = Unquote(written);
  if (!IsRelative(spec)) return std::nullopt;
  std::vector<std::string> base = Split(importer, '/');
  base.pop_back();
  if (!Walk(&base, spec)) return std::nullopt;
  std::string target = JoinPath(base);
  if (target.empty()) return std::nullopt;
  std::vector<std::string> candidates = {target};
  for (std::string_view ext : extensions) candidates.push_back(target + std::string(ext));
  if (target.ends_with(".js")) {
    std::string stem = target.substr(0, target.size() - 3);
    for (std::string_view ext : extensions) candidates.push_back(stem + std::string(ext));
  }
  for (std::string_view ext : extensions) {
    candidates.push_back(target + "/index" + std::string(ext));
  }
  for (const std::string& c : candidates) {
    if (exists(c)) return c;
  }
  return std::nullopt;
}

bool IsTestPath(std::string_view path) {
  std::vector<std::string> parts = Split(path, '/');
  const std::string& file = parts.back();
  if (file.find(".test.") != std::string::npos || file.find(".spec.") != std::string::npos) {
    return true;
  }
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] == "__tests__" || parts[i] == "test" || parts[i] == "tests") return true;
  }
  return false;
}

}  // namespace kg::ingest::languages::script

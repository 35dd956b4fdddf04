// Python: what the tags query cannot express -- module names from paths (__init__.py packages),
// relative import resolution, docstring cleaning (inspect.cleandoc) and pytest's test naming.
// The conventions match shared/tools/py_groundtruth.py (the extraction scoring reference).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/utf8.h"
#include "ingest/languages/language.h"

extern "C" const TSLanguage* tree_sitter_python(void);

namespace kg::ingest::languages::python {

extern const std::string_view kTagsScm;   // languages/python/tags.scm, embedded by CMake
extern const std::string_view kEdgesScm;  // languages/python/edges.scm

namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string Join(const std::vector<std::string_view>& parts, char sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out.push_back(sep);
    out.append(parts[i]);
  }
  return out;
}

// ASCII approximation of str.isidentifier().
bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80 ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view LStrip(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  return s;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Applies Python string escapes (unknown escapes are kept verbatim, as Python does).
std::string Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '\\' || i + 1 == s.size()) {
      out.push_back(c);
      continue;
    }
    char e = s[++i];
    switch (e) {
      case '\n':
        break;  // line continuation
      case '\\':
      case '\'':
      case '"':
        out.push_back(e);
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 'a':
        out.push_back('\a');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case 'x':
      case 'u':
      case 'U': {
        size_t digits = e == 'x' ? 2 : (e == 'u' ? 4 : 8);
        uint32_t cp = 0;
        bool ok = i + digits < s.size();
        for (size_t k = 1; ok && k <= digits; ++k) {
          int d = HexDigit(s[i + k]);
          if (d < 0) ok = false;
          cp = cp * 16 + static_cast<uint32_t>(d < 0 ? 0 : d);
        }
        if (ok && cp <= 0x10FFFF) {
          AppendUtf8(&out, cp);
          i += digits;
        } else {
          out.push_back('\\');
          out.push_back(e);
        }
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          uint32_t v = static_cast<uint32_t>(e - '0');
          for (int k = 0; k < 2 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7'; ++k)
            v = v * 8 + static_cast<uint32_t>(s[++i] - '0');
          AppendUtf8(&out, v);
        } else {
          out.push_back('\\');
          out.push_back(e);
        }
    }
  }
  return out;
}

// str.expandtabs(8).
std::string ExpandTabs(std::string_view s) {
  if (s.find('\t') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  size_t col = 0;
  for (char c : s) {
    if (c == '\t') {
      size_t n = 8 - col % 8;
      out.append(n, ' ');
      col += n;
    } else {
      out.push_back(c);
      col = (c == '\n' || c == '\r') ? 0 : col + 1;
    }
  }
  return out;
}

// inspect.cleandoc.
std::string CleanDoc(std::string_view doc) {
  std::string expanded = ExpandTabs(doc);
  std::vector<std::string_view> lines = Split(expanded, '\n');  // views into `expanded`
  size_t margin = SIZE_MAX;
  for (size_t i = 1; i < lines.size(); ++i) {
    size_t content = LStrip(lines[i]).size();
    if (content) margin = std::min(margin, lines[i].size() - content);
  }
  if (!lines.empty()) lines[0] = LStrip(lines[0]);
  if (margin != SIZE_MAX) {
    for (size_t i = 1; i < lines.size(); ++i)
      lines[i] = lines[i].size() > margin ? lines[i].substr(margin) : std::string_view();
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  size_t first = 0;
  while (first < lines.size() && lines[first].empty()) ++first;
  std::string out;
  out.reserve(expanded.size());
  for (size_t i = first; i < lines.size(); ++i) {
    if (i > first) out.push_back('\n');
    out += lines[i];
  }
  return out;
}

class PythonLanguage final : public Language {
 public:
  std::string_view name() const override { return "python"; }

  const std::vector<std::string_view>& extensions() const override {
    static const std::vector<std::string_view> kExtensions = {".py"};
    return kExtensions;
  }

  const TSLanguage* grammar() const override { return tree_sitter_python(); }

  std::string_view tags_query() const override { return kTagsScm; }
  std::string_view edges_query() const override { return kEdgesScm; }

  // The file's stem prefixed by the folders from the topmost folder holding an __init__.py down
  // to the file's own folder ("src/shop/models.py" -> "shop.models"; "shop/__init__.py" ->
  // "shop"; "tests/test_x.py" without __init__.py -> "test_x").
  ModuleInfo ModuleForPath(std::string_view path, const FileExists& exists) const override {
    std::vector<std::string_view> parts = Split(path, '/');
    std::string_view file = parts.back();
    std::string_view stem = file.substr(0, file.rfind('.'));
    std::vector<std::string_view> folders(parts.begin(), parts.end() - 1);
    std::vector<std::string_view> package;
    for (size_t i = 0; i < folders.size(); ++i) {
      std::vector<std::string_view> prefix(folders.begin(), folders.begin() + i + 1);
      if (exists(Join(prefix, '/') + "/__init__.py")) {
        package.assign(folders.begin() + i, folders.end());
        break;
      }
    }
    while (!package.empty()) {
      bool all_identifiers = true;
      for (std::string_view p : package) all_identifiers = all_identifiers && IsIdentifier(p);
      if (all_identifiers) break;
      package.erase(package.begin());
    }
    ModuleInfo info;
    info.is_package = stem == "__init__";
    if (!info.is_package) package.push_back(stem);
    info.name = Join(package, '.');
    if (info.name.empty()) info.name = std::string(stem);
    return info;
  }

  // "..models" in package "shop.cart" -> "shop.models"; absolute names are returned as written
  // (whitespace removed). Climbing above the top package leaves the written remainder, as
  // Python's import machinery would report it.
  std::optional<std::string> ResolveImportSource(std::string_view written,
                                                 const ModuleInfo& module) const override {
    std::string clean;
    for (char c : written) {
      if (!IsSpace(c) && c != '\\') clean.push_back(c);
    }
    size_t level = 0;
    while (level < clean.size() && clean[level] == '.') ++level;
    if (level == 0) return clean;
    std::vector<std::string_view> package = Split(module.name, '.');
    if (!module.is_package) package.pop_back();
    size_t up = level - 1;
    package.resize(up <= package.size() ? package.size() - up : 0);
    std::string rest = clean.substr(level);
    if (!rest.empty()) package.push_back(rest);
    return Join(package, '.');
  }

  std::optional<std::string> CleanDocstring(std::string_view literal) const override {
    size_t prefix = 0;
    bool raw = false;
    while (prefix < literal.size() && literal[prefix] != '\'' && literal[prefix] != '"') {
      char c = literal[prefix];
      if (c == 'b' || c == 'B' || c == 'f' || c == 'F') return std::nullopt;  // not a docstring
      if (c == 'r' || c == 'R') raw = true;
      ++prefix;
    }
    std::string_view body = literal.substr(prefix);
    size_t quote = 0;
    if (body.starts_with("\"\"\"") || body.starts_with("'''")) {
      quote = 3;
    } else if (body.starts_with("\"") || body.starts_with("'")) {
      quote = 1;
    } else {
      return std::nullopt;
    }
    if (body.size() < 2 * quote) return std::nullopt;
    body = body.substr(quote, body.size() - 2 * quote);
    std::string text;
    text.reserve(body.size());
    for (size_t i = 0; i < body.size(); ++i) {  // the tokenizer normalizes newlines
      if (body[i] == '\r') {
        text.push_back('\n');
        if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
      } else {
        text.push_back(body[i]);
      }
    }
    return CleanDoc(raw ? text : Unescape(text));
  }

  // pytest conventions: test files (tests/ or test/ folders, test_*.py, *_test.py, conftest.py),
  // test functions (test, test_*, testX...), test classes (Test*).
  bool IsTest(std::string_view kind, std::string_view name, std::string_view path) const override {
    size_t slash = path.rfind('/');
    std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
    bool test_file = file.starts_with("test_") || file.ends_with("_test.py") ||
                     file == "conftest.py" || file == "test.py";
    // The folders on the way (every part before the file name).
    for (size_t start = 0; !test_file && slash != std::string_view::npos && start <= slash;) {
      size_t end = path.find('/', start);
      std::string_view folder = path.substr(start, end - start);
      test_file = folder == "tests" || folder == "test";
      start = end + 1;
    }
    if (test_file || kind == "file") return test_file;
    if (kind == "class") return name.starts_with("Test");
    if (!name.starts_with("test")) return false;
    return name.size() == 4 || name[4] == '_' || (name[4] >= 'A' && name[4] <= 'Z');
  }

  bool IsSelfName(std::string_view name) const override { return name == "self" || name == "cls"; }

  // `super().m` and `super(C,self).m` (the two-argument form searches the bases of C).
  std::optional<SuperCall> ParseSuperCall(std::string_view callee) const override {
    if (!callee.starts_with("super(")) return std::nullopt;
    const size_t close = callee.find(')');
    if (close == std::string_view::npos || callee.substr(close + 1, 1) != ".") return std::nullopt;
    SuperCall call;
    call.member = callee.substr(close + 2);
    std::string_view args = callee.substr(6, close - 6);  // "" or "C,self"
    if (!args.empty()) {
      const size_t comma = args.find(',');
      if (comma == std::string_view::npos) return std::nullopt;  // super(C): unbound
      call.from_class = args.substr(0, comma);
    }
    if (!IsSuperMember(call.member)) return std::nullopt;
    return call;
  }

  bool ResolvesBareCallsByName() const override { return false; }
};

}  // namespace

const Language& GetLanguage() {
  static const PythonLanguage kLanguage;
  return kLanguage;
}

}  // namespace kg::ingest::languages::python

// ParseDoc: a line-based splitter for Markdown and reStructuredText plus inline-markup scanning.

#include "ingest/docs/doc_parser.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace kg::ingest::docs {
namespace {

struct Line {
  uint32_t start = 0;  // byte offset of the first character
  uint32_t end = 0;    // byte offset after the line's last character (before '\n')
  uint32_t next = 0;   // byte offset of the next line
  std::string_view text;
};

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    size_t next = nl == std::string_view::npos ? text.size() : nl + 1;
    std::string_view t = text.substr(pos, end - pos);
    if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
    lines.push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + t.size()),
                     static_cast<uint32_t>(next), t});
    pos = next;
  }
  return lines;
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t'; });
}

size_t Indent(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if (c == ' ') {
      ++n;
    } else if (c == '\t') {
      n += 4 - n % 4;
    } else {
      break;
    }
  }
  return n;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

// Code points in a UTF-8 string (continuation bytes not counted): RST adornment length.
size_t DisplayLength(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

const std::set<std::string_view>& NotMentions() {
  static const std::set<std::string_view> kNames = {
      // keywords
      "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
      "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
      "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try",
      "while", "with", "yield", "self", "cls",
      // builtins most often written in docs and examples
      "print", "len", "str", "int", "float", "bool", "dict", "list", "set", "tuple", "bytes",
      "object", "type", "range", "open", "isinstance", "issubclass", "super", "repr", "hash",
      "iter", "next", "min", "max", "sum", "any", "all", "map", "filter", "zip", "sorted",
      "enumerate", "getattr", "setattr", "hasattr", "callable", "format", "id", "input", "vars",
      "dir", "property", "staticmethod", "classmethod", "Exception", "ValueError", "TypeError",
      "KeyError", "IndexError", "RuntimeError", "AttributeError", "NotImplementedError",
      "NotImplemented", "Ellipsis", "frozenset", "bytearray", "memoryview", "complex", "abs",
      "round", "divmod", "pow", "ord", "chr", "hex", "oct", "bin", "reversed", "slice", "globals",
      "locals", "exec", "eval", "compile", "help"};
  return kNames;
}

// The dotted identifier written in `s` (markup removed: `~`, `!`, `@`, leading dots, call
// parentheses with their arguments, a trailing `:`), or "" when `s` is not one or names a
// keyword or builtin.
std::string NormalizeName(std::string_view s) {
  s = Trim(s);
  while (!s.empty() &&
         (s.front() == '~' || s.front() == '!' || s.front() == '@' || s.front() == '.')) {
    s.remove_prefix(1);
  }
  if (size_t paren = s.find('(');
      paren != std::string_view::npos && !s.empty() && s.back() == ')') {
    s = s.substr(0, paren);
  }
  if (!s.empty() && s.back() == ':') s.remove_suffix(1);
  if (s.empty() || s.size() > 200) return "";
  bool expect_start = true;
  for (char c : s) {
    if (expect_start) {
      if (!IsIdentStart(c)) return "";
      expect_start = false;
    } else if (c == '.') {
      expect_start = true;
    } else if (!IsIdentChar(c)) {
      return "";
    }
  }
  if (expect_start) return "";
  if (s.find('.') == std::string_view::npos && NotMentions().count(s)) return "";
  if (s.starts_with("self.") || s.starts_with("cls.")) return "";
  return std::string(s);
}

// Collects mentions, once per (name, via).
class Mentions {
 public:
  void Add(std::string_view written, std::string_view via, int line, bool normalized = false) {
    std::string name = normalized ? std::string(written) : NormalizeName(written);
    if (name.empty()) return;
    if (!seen_.emplace(name, std::string(via)).second) return;
    out_.push_back({std::move(name), std::string(via), line});
  }
  std::vector<DocMention> Take() {
    seen_.clear();
    return std::move(out_);
  }

 private:
  std::set<std::pair<std::string, std::string>> seen_;
  std::vector<DocMention> out_;
};

// Names in one line of code: dotted names, called names, and import statements' modules/names.
// String literals and comments are skipped.
void CodeLineMentions(std::string_view code, int line, Mentions* out) {
  std::string_view t = Trim(code);
  if (t.starts_with(">>>") || t.starts_with("...")) t = Trim(t.substr(3));
  // Import statements.
  auto words_of = [](std::string_view s) {
    std::vector<std::string_view> words;
    size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '(' || s[i] == ')')) ++i;
      size_t j = i;
      while (j < s.size() && s[j] != ' ' && s[j] != ',' && s[j] != '(' && s[j] != ')') ++j;
      if (j > i) words.push_back(s.substr(i, j - i));
      i = j;
    }
    return words;
  };
  if (t.starts_with("import ") || t.starts_with("from ")) {
    std::vector<std::string_view> w = words_of(t);
    if (w[0] == "import") {
      for (size_t i = 1; i < w.size(); ++i) {
        if (w[i] == "as") {
          ++i;
          continue;
        }
        out->Add(w[i], "code_block", line);
      }
      return;
    }
    if (w.size() >= 4 && w[2] == "import" && !w[1].starts_with(".")) {
      out->Add(w[1], "code_block", line);
      for (size_t i = 3; i < w.size(); ++i) {
        if (w[i] == "as") {
          ++i;
          continue;
        }
        if (w[i] == "*" || w[i] == "\\") continue;
        std::string full = NormalizeName(std::string(w[1]) + "." + std::string(w[i]));
        if (!full.empty()) out->Add(full, "code_block", line, true);
      }
      return;
    }
  }
  size_t i = 0;
  while (i < t.size()) {
    char c = t[i];
    if (c == '#') return;         // comment
    if (c == '"' || c == '\'') {  // skip a string literal (single line)
      char q = c;
      ++i;
      while (i < t.size() && t[i] != q) i += t[i] == '\\' ? 2 : 1;
      ++i;
      continue;
    }
    if (!IsIdentStart(c) || (i > 0 && (IsIdentChar(t[i - 1]) || t[i - 1] == '.'))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < t.size() &&
           (IsIdentChar(t[j]) || (t[j] == '.' && j + 1 < t.size() && IsIdentStart(t[j + 1])))) {
      ++j;
    }
    std::string_view name = t.substr(i, j - i);
    bool called = j < t.size() && t[j] == '(';
    bool dotted = name.find('.') != std::string_view::npos;
    bool keyword_arg = j < t.size() && t[j] == '=' && (j + 1 >= t.size() || t[j + 1] != '=');
    if ((called || dotted) && !keyword_arg) out->Add(name, "code_block", line);
    i = j;
  }
}

const std::set<std::string_view>& CodeRoles() {
  static const std::set<std::string_view> kRoles = {
      "func",  "meth", "class",    "attr",   "mod",       "data",   "exc",      "obj",
      "const", "any",  "function", "method", "attribute", "module", "exception"};
  return kRoles;
}

// Inline markup of one line of reStructuredText (also docstrings): ``literal``, `default role`,
// :role:`target` (code roles only; `title <target>` -> target). Hyperlink references (`x`_) and
// substitutions are ignored.
void RstInlineMentions(std::string_view s, int line, Mentions* out) {
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '`') {
      ++i;
      continue;
    }
    if (s.substr(i).starts_with("``")) {
      size_t close = s.find("``", i + 2);
      if (close == std::string_view::npos) return;
      out->Add(s.substr(i + 2, close - i - 2), "code_span", line);
      i = close + 2;
      continue;
    }
    size_t close = s.find('`', i + 1);
    if (close == std::string_view::npos) return;
    std::string_view inner = s.substr(i + 1, close - i - 1);
    bool hyperlink = close + 1 < s.size() && s[close + 1] == '_';
    // A role immediately before the backtick: `:name:` or `:domain:name:`.
    std::string_view role;
    if (i > 0 && s[i - 1] == ':') {
      size_t k = i - 1;
      while (k > 0 && (IsIdentChar(s[k - 1]) || s[k - 1] == ':' || s[k - 1] == '-')) --k;
      std::string_view r = s.substr(k, i - k);  // e.g. ":py:func:"
      if (r.size() > 2 && r.front() == ':') {
        r = r.substr(1, r.size() - 2);
        size_t colon = r.rfind(':');
        role = colon == std::string_view::npos ? r : r.substr(colon + 1);
        if (role.empty()) role = "?";
      }
    }
    if (!hyperlink) {
      if (size_t lt = inner.rfind('<'); lt != std::string_view::npos && inner.ends_with(">")) {
        inner = inner.substr(lt + 1, inner.size() - lt - 2);
      }
      if (role.empty()) {
        out->Add(inner, "code_span", line);
      } else if (CodeRoles().count(role)) {
        out->Add(inner, "link", line);
      }
    }
    i = close + 1;
  }
}

// Inline markup of one line of Markdown: `code` spans (any backtick run length) and links
// [text](target#fragment).
void MarkdownInlineMentions(std::string_view s, int line, Mentions* out) {
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '`') {
      size_t run = 0;
      while (i + run < s.size() && s[i + run] == '`') ++run;
      std::string fence(run, '`');
      size_t close = s.find(fence, i + run);
      while (close != std::string_view::npos && close + run < s.size() && s[close + run] == '`') {
        size_t more = close;
        while (more < s.size() && s[more] == '`') ++more;
        close = s.find(fence, more);
      }
      if (close == std::string_view::npos) {
        i += run;
        continue;
      }
      out->Add(s.substr(i + run, close - i - run), "code_span", line);
      i = close + run;
      continue;
    }
    if (s[i] == ']' && i + 1 < s.size() && s[i + 1] == '(') {
      size_t open = s.rfind('[', i);
      size_t close = s.find(')', i + 2);
      if (open != std::string_view::npos && close != std::string_view::npos) {
        std::string_view text = s.substr(open + 1, i - open - 1);
        std::string_view target = s.substr(i + 2, close - i - 2);
        size_t space = target.find(' ');  // [x](url "title")
        if (space != std::string_view::npos) target = target.substr(0, space);
        std::string name;
        if (size_t hash = target.find('#'); hash != std::string_view::npos) {
          name = NormalizeName(target.substr(hash + 1));
        }
        if (name.empty()) {
          while (!text.empty() && text.front() == '`') text.remove_prefix(1);
          while (!text.empty() && text.back() == '`') text.remove_suffix(1);
          name = NormalizeName(text);
        }
        if (!name.empty()) out->Add(name, "link", line, true);
        i = close + 1;
        continue;
      }
    }
    ++i;
  }
}

// Per line: what the line is for the section builder.
// kSkip: kept in the section text, no mentions (fence lines, doctest output); kHidden: neither
// (front matter, HTML comments).
enum class Kind { kText, kCode, kHeading, kAdornment, kSkip, kHidden };

struct Heading {
  size_t first_line;  // the heading's first line (RST overline)
  size_t last_line;   // its last line (underline)
  std::string title;
  int level;
};

// ---- Markdown ----

// The fence of a line opening or closing a fenced code block: (char, length), or (0, 0).
std::pair<char, size_t> Fence(std::string_view line) {
  if (Indent(line) > 3) return {0, 0};
  std::string_view t = Trim(line);
  if (t.size() < 3 || (t[0] != '`' && t[0] != '~')) return {0, 0};
  size_t n = 0;
  while (n < t.size() && t[n] == t[0]) ++n;
  if (n < 3) return {0, 0};
  if (t[0] == '`' && t.substr(n).find('`') != std::string_view::npos) return {0, 0};
  return {t[0], n};
}

bool IsListOrQuote(std::string_view t) {
  if (t.starts_with(">") || t.starts_with("|")) return true;
  if (t.size() >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ') return true;
  size_t d = 0;
  while (d < t.size() && t[d] >= '0' && t[d] <= '9') ++d;
  return d > 0 && d + 1 < t.size() && (t[d] == '.' || t[d] == ')') && t[d + 1] == ' ';
}

void ScanMarkdown(const std::vector<Line>& lines, std::vector<Kind>* kinds,
                  std::vector<Heading>* headings) {
  size_t i = 0;
  // YAML front matter.
  if (!lines.empty() && Trim(lines[0].text) == "---") {
    for (size_t j = 1; j < lines.size(); ++j) {
      std::string_view t = Trim(lines[j].text);
      if (t == "---" || t == "...") {
        for (size_t k = 0; k <= j; ++k) (*kinds)[k] = Kind::kHidden;
        i = j + 1;
        break;
      }
    }
  }
  char fence_char = 0;
  size_t fence_len = 0;
  bool in_comment = false;
  bool prev_blank = true;        // the previous line was blank (or the start)
  bool prev_para_start = false;  // the previous line was a paragraph's first line
  for (; i < lines.size(); ++i) {
    std::string_view line = lines[i].text;
    std::string_view t = Trim(line);
    if (fence_char != 0) {
      auto [c, n] = Fence(line);
      if (c == fence_char && n >= fence_len && Trim(line).size() == n) {
        fence_char = 0;
        (*kinds)[i] = Kind::kSkip;
      } else {
        (*kinds)[i] = Kind::kCode;
      }
      prev_blank = true;
      prev_para_start = false;
      continue;
    }
    if (in_comment) {
      (*kinds)[i] = Kind::kHidden;
      if (t.find("-->") != std::string_view::npos) in_comment = false;
      prev_blank = true;
      continue;
    }
    if (auto [c, n] = Fence(line); c != 0) {
      fence_char = c;
      fence_len = n;
      (*kinds)[i] = Kind::kSkip;
      prev_para_start = false;
      continue;
    }
    if (Indent(line) <= 3 && t.starts_with("<!--")) {
      (*kinds)[i] = Kind::kHidden;
      in_comment = t.find("-->", 4) == std::string_view::npos;
      prev_blank = true;
      prev_para_start = false;
      continue;
    }
    if (IsBlank(line)) {
      prev_blank = true;
      prev_para_start = false;
      continue;
    }
    if (Indent(line) >= 4 && prev_blank) {  // indented code block (until a less indented line)
      for (; i < lines.size() && (IsBlank(lines[i].text) || Indent(lines[i].text) >= 4); ++i) {
        (*kinds)[i] = Kind::kCode;
      }
      --i;
      prev_blank = IsBlank(lines[i].text);
      prev_para_start = false;
      continue;
    }
    // ATX heading.
    if (Indent(line) <= 3 && t.starts_with("#")) {
      size_t n = 0;
      while (n < t.size() && t[n] == '#') ++n;
      if (n <= 6 && (n == t.size() || t[n] == ' ' || t[n] == '\t')) {
        std::string_view title = Trim(t.substr(n));
        size_t closing = title.size();
        while (closing > 0 && title[closing - 1] == '#') --closing;
        if (closing == 0 || title[closing - 1] == ' ' || title[closing - 1] == '\t') {
          title = Trim(title.substr(0, closing));
        }
        (*kinds)[i] = Kind::kHeading;
        headings->push_back({i, i, std::string(title), static_cast<int>(n)});
        prev_blank = true;
        prev_para_start = false;
        continue;
      }
    }
    // Setext underline under a one-line paragraph.
    if (prev_para_start && Indent(line) <= 3 && !t.empty() && (t[0] == '=' || t[0] == '-') &&
        std::all_of(t.begin(), t.end(), [&](char c) { return c == t[0]; })) {
      (*kinds)[i - 1] = Kind::kHeading;
      (*kinds)[i] = Kind::kAdornment;
      headings->push_back({i - 1, i, std::string(Trim(lines[i - 1].text)), t[0] == '=' ? 1 : 2});
      prev_blank = true;
      prev_para_start = false;
      continue;
    }
    prev_para_start = prev_blank && Indent(line) <= 3 && !IsListOrQuote(t);
    prev_blank = false;
  }
}

// ---- reStructuredText ----

bool IsAdornmentChar(char c) {
  static const std::string_view kChars = "=-`:'\"~^_*+#<>.!$%&(),/;?@[\\]{|}";
  return kChars.find(c) != std::string_view::npos;
}

// A line made of one repeated adornment character (trailing blanks allowed), at column 0.
bool IsAdornment(std::string_view line) {
  std::string_view t = line;
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (t.size() < 2 || !IsAdornmentChar(t[0])) return false;
  return std::all_of(t.begin(), t.end(), [&](char c) { return c == t[0]; });
}

size_t AdornmentLength(std::string_view line) { return Trim(line).size(); }

bool IsRstTitleText(std::string_view line) {
  if (IsBlank(line) || IsAdornment(line)) return false;
  return true;
}

const std::set<std::string_view>& RstCodeDirectives() {
  static const std::set<std::string_view> kDirectives = {
      "code-block", "code",      "sourcecode", "doctest",
      "testcode",   "testsetup", "ipython",    "literalinclude-not-really"};
  return kDirectives;
}

const std::set<std::string_view>& RstObjectDirectives() {
  static const std::set<std::string_view> kDirectives = {
      "autoclass", "autofunction",  "automethod",  "automodule", "autoattribute",
      "autodata",  "autoexception", "class",       "function",   "method",
      "module",    "attribute",     "data",        "exception",  "currentmodule",
      "decorator", "classmethod",   "staticmethod"};
  return kDirectives;
}

// The body of an indented block starting after line `i` (whose own indentation is `indent`):
// every following line that is blank or indented more than `indent`; trailing blanks excluded.
size_t BlockEnd(const std::vector<Line>& lines, size_t i, size_t indent) {
  size_t j = i + 1, last = i;
  for (; j < lines.size(); ++j) {
    if (IsBlank(lines[j].text)) continue;
    if (Indent(lines[j].text) <= indent) break;
    last = j;
  }
  return last;
}

void ScanRst(const std::vector<Line>& lines, std::vector<Kind>* kinds,
             std::vector<Heading>* headings, std::vector<DocMention>* directive_mentions) {
  std::vector<std::pair<char, bool>> styles;  // (char, overlined) in order of appearance
  auto level_of = [&styles](char c, bool over) {
    auto style = std::pair{c, over};
    auto it = std::find(styles.begin(), styles.end(), style);
    if (it == styles.end()) {
      styles.push_back(style);
      return static_cast<int>(styles.size());
    }
    return static_cast<int>(it - styles.begin()) + 1;
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i].text;
    bool prev_blank = i == 0 || IsBlank(lines[i - 1].text);
    // Overlined title: adornment, title (may be inset), same adornment.
    if (prev_blank && IsAdornment(line) && i + 2 < lines.size() &&
        IsRstTitleText(lines[i + 1].text) && IsAdornment(lines[i + 2].text) &&
        Trim(lines[i + 2].text) == Trim(line) &&
        AdornmentLength(line) >= DisplayLength(Trim(lines[i + 1].text))) {
      (*kinds)[i] = (*kinds)[i + 2] = Kind::kAdornment;
      (*kinds)[i + 1] = Kind::kHeading;
      headings->push_back(
          {i, i + 2, std::string(Trim(lines[i + 1].text)), level_of(Trim(line)[0], true)});
      i += 2;
      continue;
    }
    // Underlined title at column 0.
    if (prev_blank && Indent(line) == 0 && IsRstTitleText(line) && i + 1 < lines.size() &&
        IsAdornment(lines[i + 1].text) &&
        AdornmentLength(lines[i + 1].text) >= DisplayLength(Trim(line)) &&
        (i + 2 >= lines.size() || IsBlank(lines[i + 2].text) || !IsAdornment(lines[i + 2].text))) {
      (*kinds)[i] = Kind::kHeading;
      (*kinds)[i + 1] = Kind::kAdornment;
      headings->push_back(
          {i, i + 1, std::string(Trim(line)), level_of(lines[i + 1].text[0], false)});
      ++i;
      continue;
    }
    std::string_view t = Trim(line);
    size_t indent = Indent(line);
    // Directives.
    if (t.starts_with(".. ")) {
      size_t colons = t.find("::");
      if (colons != std::string_view::npos) {
        std::string_view name = Trim(t.substr(3, colons - 3));
        if (size_t c = name.rfind(':'); c != std::string_view::npos) name = name.substr(c + 1);
        std::string_view arg = Trim(t.substr(colons + 2));
        if (RstObjectDirectives().count(name) && !arg.empty()) {
          std::string_view target = arg.substr(0, arg.find_first_of(" ("));
          std::string n = NormalizeName(target);
          if (!n.empty()) directive_mentions->push_back({n, "link", static_cast<int>(i) + 1});
        }
        if (RstCodeDirectives().count(name)) {
          size_t end = BlockEnd(lines, i, indent);
          for (size_t k = i + 1; k <= end; ++k) {
            // Directive options (":linenos:") are not code.
            if (!Trim(lines[k].text).starts_with(":")) (*kinds)[k] = Kind::kCode;
          }
          i = end;
          continue;
        }
      }
    }
    // Doctest block.
    if (t.starts_with(">>>")) {
      for (; i < lines.size() && !IsBlank(lines[i].text); ++i) {
        std::string_view d = Trim(lines[i].text);
        (*kinds)[i] = d.starts_with(">>>") || d.starts_with("...") ? Kind::kCode : Kind::kSkip;
      }
      continue;
    }
    // Literal block after a paragraph ending with "::".
    if (t.ends_with("::") && !t.starts_with("..")) {
      size_t end = BlockEnd(lines, i, indent);
      for (size_t k = i + 1; k <= end; ++k) (*kinds)[k] = Kind::kCode;
      i = end;
      continue;
    }
  }
}

}  // namespace

bool DocFormatForPath(std::string_view path, DocFormat* format) {
  if (path.ends_with(".md") || path.ends_with(".markdown")) {
    *format = DocFormat::kMarkdown;
    return true;
  }
  if (path.ends_with(".rst")) {
    *format = DocFormat::kRst;
    return true;
  }
  return false;
}

DocFacts ParseDoc(std::string_view text, DocFormat format) {
  std::vector<Line> lines = SplitLines(text);
  std::vector<Kind> kinds(lines.size(), Kind::kText);
  std::vector<Heading> headings;
  std::vector<DocMention> directive_mentions;  // RST object directives, by line
  if (format == DocFormat::kMarkdown) {
    ScanMarkdown(lines, &kinds, &headings);
  } else {
    ScanRst(lines, &kinds, &headings, &directive_mentions);
  }

  DocFacts out;
  // Section boundaries: [first line, end line) per section; a preamble when it has text.
  struct Span {
    size_t begin, body, end;  // first line, first body line, one past the last line
    int heading;              // index into headings, or -1
  };
  std::vector<Span> spans;
  size_t first = headings.empty() ? lines.size() : headings[0].first_line;
  bool preamble = false;
  for (size_t i = 0; i < first; ++i) {
    preamble |= kinds[i] != Kind::kHidden && !IsBlank(lines[i].text);
  }
  if (preamble) spans.push_back({0, 0, first, -1});
  for (size_t h = 0; h < headings.size(); ++h) {
    size_t end = h + 1 < headings.size() ? headings[h + 1].first_line : lines.size();
    spans.push_back({headings[h].first_line, headings[h].last_line + 1, end, static_cast<int>(h)});
  }

  size_t directive = 0;
  for (const Span& span : spans) {
    DocSection s;
    if (span.heading >= 0) {
      s.title = headings[span.heading].title;
      s.level = headings[span.heading].level;
      for (int p = static_cast<int>(out.sections.size()) - 1; p >= 0; --p) {
        if (out.sections[p].level > 0 && out.sections[p].level < s.level) {
          s.parent = p;
          break;
        }
      }
    }
    s.start_line = static_cast<int>(span.begin) + 1;
    s.end_line = static_cast<int>(std::max(span.end, span.begin + 1));
    s.start_byte = span.begin < lines.size() ? lines[span.begin].start : 0;
    s.end_byte = span.end > 0 && span.end <= lines.size() ? lines[span.end - 1].next
                                                          : static_cast<uint32_t>(text.size());
    Mentions mentions;
    size_t body_begin = span.body, body_end = span.end;
    auto empty = [&](size_t i) { return IsBlank(lines[i].text) || kinds[i] == Kind::kHidden; };
    while (body_begin < body_end && empty(body_begin)) ++body_begin;
    while (body_end > body_begin && empty(body_end - 1)) --body_end;
    for (size_t i = span.body; i < span.end; ++i) {
      int line_no = static_cast<int>(i) + 1;
      while (directive < directive_mentions.size() &&
             directive_mentions[directive].line <= line_no) {
        const DocMention& m = directive_mentions[directive++];
        mentions.Add(m.name, m.via, m.line, true);
      }
      if (i >= body_begin && i < body_end && kinds[i] != Kind::kHidden &&
          s.text.size() < kMaxSectionText) {
        if (s.text.size() + lines[i].text.size() + 1 > kMaxSectionText) {
          s.text += "...";
        } else {
          s.text.append(lines[i].text);
          if (i + 1 < body_end) s.text.push_back('\n');
        }
      }
      if (kinds[i] == Kind::kCode) {
        CodeLineMentions(lines[i].text, line_no, &mentions);
      } else if (kinds[i] == Kind::kText) {
        if (format == DocFormat::kMarkdown) {
          MarkdownInlineMentions(lines[i].text, line_no, &mentions);
        } else {
          RstInlineMentions(lines[i].text, line_no, &mentions);
        }
      }
    }
    // Markup in a heading names things too (e.g. "## `Session` objects").
    if (span.heading >= 0) {
      int line_no = static_cast<int>(headings[span.heading].first_line) + 1;
      if (format == DocFormat::kMarkdown) {
        MarkdownInlineMentions(s.title, line_no, &mentions);
      } else {
        RstInlineMentions(s.title, line_no, &mentions);
      }
    }
    s.mentions = mentions.Take();
    std::stable_sort(s.mentions.begin(), s.mentions.end(),
                     [](const DocMention& a, const DocMention& b) { return a.line < b.line; });
    out.sections.push_back(std::move(s));
  }
  for (const DocSection& s : out.sections) {
    if (s.level == 1) {
      out.title = s.title;
      break;
    }
  }
  if (out.title.empty()) {
    for (const DocSection& s : out.sections) {
      if (s.level > 0) {
        out.title = s.title;
        break;
      }
    }
  }
  return out;
}

std::vector<DocMention> DocstringMentions(std::string_view docstring, int first_line) {
  Mentions mentions;
  std::vector<Line> lines = SplitLines(docstring);
  bool in_literal = false;
  size_t literal_indent = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i].text;
    int line_no = first_line + static_cast<int>(i);
    std::string_view t = Trim(line);
    if (in_literal) {
      if (IsBlank(line) || Indent(line) > literal_indent) {
        CodeLineMentions(line, line_no, &mentions);
        continue;
      }
      in_literal = false;
    }
    if (t.starts_with(">>>") || t.starts_with("... ")) {
      CodeLineMentions(line, line_no, &mentions);
      continue;
    }
    RstInlineMentions(line, line_no, &mentions);
    if (t.ends_with("::")) {
      in_literal = true;
      literal_indent = Indent(line);
    }
  }
  return mentions.Take();
}

}  // namespace kg::ingest::docs

#pragma once
// Documentation files: Markdown and reStructuredText split into sections, with the code names
// each section mentions.
//
// ParseDoc() is a careful hand-written splitter, not a full CommonMark/docutils parser:
//  - Markdown: ATX headings (`# T` .. `###### T`, up to 3 spaces of indent, closing #s removed)
//    and setext headings (a one-line paragraph underlined with `===` (level 1) or `---` (2)).
//    Fenced code blocks (``` or ~~~, closed by a fence of the same character at least as long,
//    or the end of the file), indented code blocks (4 spaces after a blank line), HTML comments
//    and a leading YAML front matter never start sections.
//  - reStructuredText: a title line at column 0 underlined (optionally also overlined) with a
//    repeated punctuation character at least as long as the title; levels follow the order in
//    which the adornment styles first appear (docutils' rule). Literal blocks (after `::`),
//    directive bodies (`.. code-block::` etc.) and other indented text never start sections.
// Text before the first heading forms a level-0 section with an empty title (when non-blank).
//
// Names mentioned (DocMention), in source order:
//  - "code_span": Markdown `x`, RST ``x`` and `x` (default role) whose text is a dotted
//    identifier, optionally called (`f()`, `f(x)`) or decorated (`@app.route`);
//  - "link": RST cross-reference roles (:func:`x`, :class:`~a.B`, :py:meth:`T <a.B.c>` ...) and
//    Markdown links whose target fragment (`#requests.Session`) or text is a dotted identifier;
//  - "code_block": dotted names (`a.b`, `a.b.c(`) and called names (`f(`) inside code blocks
//    (fenced, indented, RST literal and doctest blocks), and the modules and names of their
//    `import` / `from ... import` lines.
// Python keywords and builtin names are never mentions. A name is reported once per section and
// kind (first occurrence).
//
// Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kg::ingest::docs {

enum class DocFormat { kMarkdown, kRst };

inline constexpr size_t kMaxSectionText = 32 * 1024;

// The format of a file by its name (".md", ".markdown" -> Markdown; ".rst" -> reStructuredText),
// or false when it is not a documentation file.
bool DocFormatForPath(std::string_view path, DocFormat* format);

struct DocMention {
  std::string name;  // dotted identifier as written, call parentheses and `~`/`@` removed
  std::string via;   // "code_span" | "link" | "code_block"
  int line = 0;      // 1-based
};

struct DocSection {
  std::string title;        // heading text, inline markup kept; "" for the level-0 preamble
  int level = 0;            // 1 = top heading; 0 = the preamble before the first heading
  int parent = -1;          // index of the enclosing section (nearest with a lower level)
  int start_line = 0;       // 1-based line of the heading (first line of the overline)
  int end_line = 0;         // 1-based, inclusive: the line before the next section at any level
  uint32_t start_byte = 0;  // [start_byte, end_byte) of the section's own lines
  uint32_t end_byte = 0;
  std::string text;  // the section's own lines (heading excluded), trimmed of blank edges,
                     // at most kMaxSectionText bytes (cut at a line end, then "\n...")
  std::vector<DocMention> mentions;
};

struct DocFacts {
  std::string title;  // the first level-1 heading's title, else the first heading's, else ""
  std::vector<DocSection> sections;  // in source order
};

// Splits `text` (any bytes; invalid UTF-8 is kept as is) into sections. Never fails.
DocFacts ParseDoc(std::string_view text, DocFormat format);

// The mentions in a docstring (reStructuredText-style markup: ``x``, `x`, :role:`x`, and doctest
// `>>>` lines as code), in order, once per name and kind. `first_line` is the docstring's line.
std::vector<DocMention> DocstringMentions(std::string_view docstring, int first_line);

}  // namespace kg::ingest::docs

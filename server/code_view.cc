#include "server/code_view.h"

#include <algorithm>
#include <vector>

namespace kg::server {

CodeView RenderCode(std::string_view code, int64_t first_line, size_t max_lines) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < code.size()) {
    size_t nl = code.find('\n', start);
    if (nl == std::string_view::npos) nl = code.size();
    std::string_view line = code.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = nl + 1;
  }
  CodeView view;
  view.lines = lines.size();
  max_lines = std::max<size_t>(max_lines, 2);
  size_t head = lines.size(), tail = 0;
  if (lines.size() > max_lines) {
    head = max_lines / 2;
    tail = max_lines / 2;
    view.folded = lines.size() - head - tail;
  }
  int64_t last_number = first_line + static_cast<int64_t>(lines.size()) - 1;
  size_t width = std::max<size_t>(4, std::to_string(last_number).size());
  auto emit = [&](size_t i) {
    std::string number = std::to_string(first_line + static_cast<int64_t>(i));
    view.text.append(width - std::min(width, number.size()), ' ');
    view.text += number;
    view.text += " | ";
    view.text += lines[i];
    view.text += '\n';
  };
  for (size_t i = 0; i < head; ++i) emit(i);
  if (view.folded > 0) {
    view.text.append(width, ' ');
    view.text += " ... " + std::to_string(view.folded) + " lines folded ...\n";
    for (size_t i = lines.size() - tail; i < lines.size(); ++i) emit(i);
  }
  return view;
}

}  // namespace kg::server

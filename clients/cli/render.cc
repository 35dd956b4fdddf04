#include "clients/cli/render.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kg::clients::cli {
namespace {

// Display width: code points, not bytes (UTF-8 continuation bytes do not count).
size_t Width(std::string_view s) {
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

// The longest prefix of `s` with at most `width` code points.
std::string_view PrefixOfWidth(std::string_view s, size_t width) {
  size_t w = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (w == width) return s.substr(0, i);
      ++w;
    }
  }
  return s;
}

std::string Fit(std::string text, const TableOptions& options) {
  bool cut = false;
  if (options.one_line) {
    size_t nl = text.find_first_of("\r\n");
    if (nl != std::string::npos) {
      text.resize(nl);
      cut = true;
    }
  }
  for (char& c : text) {
    if (c == '\t') c = ' ';
  }
  if (options.max_cell_width > 3 && Width(text) > options.max_cell_width) {
    text = std::string(PrefixOfWidth(text, options.max_cell_width - 3));
    cut = true;
  }
  if (cut) text += "...";
  return text;
}

void Pad(std::ostream& out, const std::string& s, size_t width) {
  out << s;
  for (size_t w = Width(s); w < width; ++w) out << ' ';
}

}  // namespace

std::string CellText(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "null";
  if (value.is_object()) {
    if (value.contains("_id") && value.contains("_labels") && value["_labels"].is_array()) {
      std::string s = "(";
      for (const auto& l : value["_labels"]) s += ":" + CellText(l);
      s += (s.size() > 1 ? " " : "") + CellText(value["_id"]) + ")";
      return s;
    }
    if (value.contains("_type") && value.contains("_src") && value.contains("_dst")) {
      return "[:" + CellText(value["_type"]) + " " + CellText(value["_src"]) + "->" +
             CellText(value["_dst"]) + "]";
    }
  }
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void RenderTable(const Json& answer, const TableOptions& options, std::ostream& out) {
  std::vector<std::string> columns;
  if (answer.contains("columns") && answer["columns"].is_array()) {
    for (const auto& c : answer["columns"]) columns.push_back(CellText(c));
  }
  std::vector<std::vector<std::string>> rows;
  if (answer.contains("rows") && answer["rows"].is_array()) {
    for (const auto& r : answer["rows"]) {
      std::vector<std::string> cells;
      if (r.is_array()) {
        for (const auto& v : r) cells.push_back(Fit(CellText(v), options));
      }
      cells.resize(columns.size());
      rows.push_back(std::move(cells));
    }
  }
  std::vector<size_t> widths(columns.size());
  for (size_t i = 0; i < columns.size(); ++i) widths[i] = Width(columns[i]);
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], Width(r[i]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      out << (i == 0 ? " " : " | ");
      if (i + 1 == cells.size()) {
        out << cells[i];
      } else {
        Pad(out, cells[i], widths[i]);
      }
    }
    out << '\n';
  };
  if (!columns.empty()) {
    line(columns);
    for (size_t i = 0; i < columns.size(); ++i) {
      out << (i == 0 ? "" : "+") << std::string(widths[i] + 2, '-');
    }
    out << '\n';
    for (const auto& r : rows) line(r);
  }
  out << "(" << rows.size() << (rows.size() == 1 ? " row" : " rows");
  if (answer.contains("stats") && answer["stats"].is_object()) {
    const Json& st = answer["stats"];
    double ms = st.value("parse_ms", 0.0) + st.value("plan_ms", 0.0) + st.value("exec_ms", 0.0);
    char buf[64];
    std::snprintf(buf, sizeof(buf), ", %.2f ms", ms);
    out << buf;
  }
  out << ")\n";
  if (answer.value("truncated", false)) {
    std::string hit = answer.contains("limit_hit") && answer["limit_hit"].is_string()
                          ? answer["limit_hit"].get<std::string>()
                          : std::string("limit");
    out << "truncated: " << hit << " was hit; raise --limit or narrow the query\n";
  }
  if (answer.contains("warnings") && answer["warnings"].is_array()) {
    for (const auto& w : answer["warnings"]) out << "warning: " << CellText(w) << '\n';
  }
}

void RenderCsv(const Json& answer, std::ostream& out) {
  auto cell = [&](const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) {
      out << s;
      return;
    }
    out << '"';
    for (char c : s) {
      if (c == '"') out << '"';
      out << c;
    }
    out << '"';
  };
  size_t n = 0;
  if (answer.contains("columns") && answer["columns"].is_array()) {
    for (const auto& c : answer["columns"]) {
      if (n++) out << ',';
      cell(CellText(c));
    }
  }
  out << "\r\n";
  if (!answer.contains("rows") || !answer["rows"].is_array()) return;
  for (const auto& r : answer["rows"]) {
    size_t i = 0;
    for (const auto& v : r) {
      if (i++) out << ',';
      cell(CellText(v));
    }
    out << "\r\n";
  }
}

void RenderSummary(const Json& object, std::ostream& out) {
  if (!object.is_object()) return;
  size_t width = 0;
  for (const auto& [k, v] : object.items()) width = std::max(width, k.size());
  for (const auto& [k, v] : object.items()) {
    out << "  ";
    Pad(out, k + ":", width + 1);
    out << ' ';
    std::string compact = v.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (v.is_array() && compact.size() > 80) {
      out << v.size() << (v.size() == 1 ? " entry" : " entries");
    } else if (v.is_array()) {
      out << compact;
    } else if (v.is_object() && !v.contains("_id")) {
      out << v.dump(-1, ' ', false, Json::error_handler_t::replace);
    } else {
      out << CellText(v);
    }
    out << '\n';
  }
}

std::string ProgressLine(uint64_t done, uint64_t total, double rate, double eta_s,
                         std::string_view unit, size_t bar_width) {
  std::string s = "[";
  size_t filled = total > 0 ? static_cast<size_t>(bar_width * std::min<uint64_t>(done, total) /
                                                  static_cast<double>(total))
                            : 0;
  s += std::string(filled, '#') + std::string(bar_width - filled, '.');
  s += "] " + std::to_string(done);
  if (total > 0) s += "/" + std::to_string(total);
  s += " ";
  s += unit;
  char buf[64];
  if (rate > 0) {
    std::snprintf(buf, sizeof(buf), "  %.1f/s", rate);
    s += buf;
  }
  if (eta_s >= 0 && std::isfinite(eta_s) && total > 0 && done < total) {
    std::snprintf(buf, sizeof(buf), "  ETA %.0fs", std::ceil(eta_s));
    s += buf;
  }
  return s;
}

void RenderError(const Status& status, std::string_view text, std::ostream& out) {
  out << "error: " << Status::CodeName(status.code()) << ": " << status.message() << '\n';
  if (!status.position() || status.position()->line <= 0 || text.empty()) return;
  const TextPosition& pos = *status.position();
  size_t start = 0;
  for (int line = 1; line < pos.line; ++line) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return;  // position past the text: no excerpt
    start = nl + 1;
  }
  size_t end = text.find('\n', start);
  std::string_view line =
      text.substr(start, end == std::string_view::npos ? text.npos : end - start);
  std::string prefix = "  " + std::to_string(pos.line) + " | ";
  out << prefix << line << '\n';
  size_t col = pos.column > 0 ? static_cast<size_t>(pos.column - 1) : 0;
  std::string under(prefix.size(), ' ');
  // Keep tabs so the caret lines up under tab-indented text.
  // Columns count bytes; UTF-8 continuation bytes take no screen cell.
  for (size_t i = 0; i < col && i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
    under += line[i] == '\t' ? '\t' : ' ';
  }
  out << under << "^\n";
}

}  // namespace kg::clients::cli

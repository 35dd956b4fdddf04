#include "synth/export.h"

namespace kg::synth {
namespace {

// Records are written straight into one string (no JSON DOM per record): keys in a fixed order,
// strings escaped as JSON requires, invalid UTF-8 replaced by U+FFFD.

// Length of the valid UTF-8 sequence at s[i], or 0 if the bytes there are not one.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;  // <= U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

void AppendJsonString(std::string* out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t len = Utf8SequenceLength(s, i);
      if (len == 0) {
        out->append("\xEF\xBF\xBD");  // U+FFFD for one invalid byte
        ++i;
      } else {
        out->append(s.substr(i, len));
        i += len;
      }
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

// Appends `"key":"value"` (with a leading comma unless `first`).
void Field(std::string* out, std::string_view key, std::string_view value, bool first = false) {
  if (!first) out->push_back(',');
  AppendJsonString(out, key);
  out->push_back(':');
  AppendJsonString(out, value);
}

void AppendMeta(std::string* out, const TrainingPair& pair, const ExportContext& context) {
  out->append(",\"meta\":{");
  Field(out, "strategy", pair.strategy.empty() ? context.strategy : pair.strategy, true);
  Field(out, "relation", pair.relation);
  Field(out, "direction", pair.direction);
  Field(out, "subject", pair.subject);
  Field(out, "graph", context.graph);
  if (pair.negative) out->append(",\"negative\":true");
  out->push_back('}');
}

std::string UserTurn(const TrainingPair& pair) {
  std::string user = pair.instruction;
  if (!pair.input.empty()) user += (user.empty() ? "" : "\n\n") + pair.input;
  return user;
}

// [{role_key: user_tag, content_key: user}, {role_key: assistant_tag, content_key: output}]
void AppendTurns(std::string* out, std::string_view role_key, std::string_view content_key,
                 std::string_view user_tag, std::string_view assistant_tag,
                 const TrainingPair& pair) {
  out->append("[{");
  Field(out, role_key, user_tag, true);
  Field(out, content_key, UserTurn(pair));
  out->append("},{");
  Field(out, role_key, assistant_tag, true);
  Field(out, content_key, pair.output);
  out->append("}]");
}

}  // namespace

const std::vector<std::string_view>& ExportFormats() {
  static const std::vector<std::string_view> kFormats = {"alpaca", "sharegpt", "messages", "trl",
                                                         "text"};
  return kFormats;
}

bool IsKnownFormat(std::string_view format) {
  for (auto f : ExportFormats()) {
    if (f == format) return true;
  }
  return false;
}

std::string ExportFormatNames() {
  std::string out;
  for (auto f : ExportFormats()) {
    if (!out.empty()) out += ", ";
    out += f;
  }
  return out;
}

Result<std::string> ExportLine(std::string_view format, const TrainingPair& pair,
                               const ExportContext& context) {
  std::string out;
  out.reserve(pair.instruction.size() + pair.input.size() + pair.output.size() +
              pair.subject.size() + 160);
  out.push_back('{');
  if (format == "alpaca") {
    Field(&out, "instruction", pair.instruction, true);
    Field(&out, "input", pair.input);
    Field(&out, "output", pair.output);
  } else if (format == "sharegpt") {
    out.append("\"conversations\":");
    AppendTurns(&out, "from", "value", "human", "gpt", pair);
  } else if (format == "messages") {
    out.append("\"messages\":");
    AppendTurns(&out, "role", "content", "user", "assistant", pair);
  } else if (format == "trl") {
    Field(&out, "prompt", UserTurn(pair), true);
    Field(&out, "completion", pair.output);
  } else if (format == "text") {
    std::string user = UserTurn(pair);
    Field(&out, "text", user.empty() ? pair.output : user + "\n\n" + pair.output, true);
  } else {
    return Status::InvalidArgument("unknown format '" + std::string(format) +
                                   "' (supported: " + ExportFormatNames() + ")");
  }
  AppendMeta(&out, pair, context);
  out.push_back('}');
  return out;
}

Result<nlohmann::json> DatasetInfoEntry(std::string_view format, std::string_view name,
                                        std::string_view file_name) {
  nlohmann::json entry = {{"file_name", std::string(file_name)}};
  if (format == "alpaca") {
    entry["formatting"] = "alpaca";
    entry["columns"] = {{"prompt", "instruction"}, {"query", "input"}, {"response", "output"}};
  } else if (format == "sharegpt") {
    entry["formatting"] = "sharegpt";
    entry["columns"] = {{"messages", "conversations"}};
    entry["tags"] = {{"role_tag", "from"},
                     {"content_tag", "value"},
                     {"user_tag", "human"},
                     {"assistant_tag", "gpt"}};
  } else if (format == "messages") {
    entry["formatting"] = "sharegpt";
    entry["columns"] = {{"messages", "messages"}};
    entry["tags"] = {{"role_tag", "role"},
                     {"content_tag", "content"},
                     {"user_tag", "user"},
                     {"assistant_tag", "assistant"}};
  } else if (format == "text") {
    entry["columns"] = {{"prompt", "text"}};
  } else if (IsKnownFormat(format)) {
    return Status::InvalidArgument("format '" + std::string(format) +
                                   "' has no LLaMA-Factory dataset_info entry (use alpaca, "
                                   "sharegpt, messages or text)");
  } else {
    return Status::InvalidArgument("unknown format '" + std::string(format) +
                                   "' (supported: " + ExportFormatNames() + ")");
  }
  return nlohmann::json{{std::string(name), entry}};
}

}  // namespace kg::synth

#include "server/request_body.h"

#include <algorithm>

namespace kg::server {
namespace {

Status WrongType(std::string_view field, std::string_view expected, const Json& got) {
  return Status::InvalidArgument("field '" + std::string(field) + "' must be " +
                                 std::string(expected) + ", got " + JsonTypeName(got));
}

const Json* Find(const Json& object, std::string_view field) {
  auto it = object.find(std::string(field));
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

// 1-based line/column of byte `offset` (0-based) in `text`.
TextPosition PositionOf(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  TextPosition pos;
  pos.offset = static_cast<int64_t>(offset);
  pos.line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + offset, '\n'));
  size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  if (offset == 0 || line_start == std::string_view::npos) {
    pos.column = static_cast<int>(offset) + 1;
  } else {
    pos.column = static_cast<int>(offset - line_start);
  }
  return pos;
}

// "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..." ->
// "syntax error ...".
std::string CleanParseMessage(std::string message) {
  size_t bracket = message.find("] ");
  if (message.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) {
    message = message.substr(bracket + 2);
  }
  if (message.rfind("parse error", 0) == 0) {
    size_t colon = message.find(": ");
    if (colon != std::string::npos) message = message.substr(colon + 2);
  }
  return message;
}

}  // namespace

std::string JsonTypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "integer";
    case Json::value_t::number_float:
      return "number";
    case Json::value_t::string:
      return "string";
    case Json::value_t::array:
      return "array";
    case Json::value_t::object:
      return "object";
    case Json::value_t::binary:
      return "binary";
    case Json::value_t::discarded:
      return "discarded";
  }
  return "unknown";
}

// Arrays and objects nest at most this deep in a request body. Deeper documents are refused
// before parsing: serializing, converting and validating a document all recurse per level, so a
// body of a few hundred KB of '[' would otherwise overflow a request thread's stack.
constexpr int kMaxBodyDepth = 128;

// The offset of the first bracket past kMaxBodyDepth levels (outside strings), or npos.
size_t TooDeepAt(std::string_view body) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxBodyDepth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

Result<Json> ParseJsonObject(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return Json::object();
  if (size_t at = TooDeepAt(body); at != std::string_view::npos) {
    return Status::InvalidArgument("request body nests arrays/objects deeper than " +
                                   std::to_string(kMaxBodyDepth) + " levels")
        .WithPosition(PositionOf(body, at));
  }
  Json doc;
  try {
    doc = Json::parse(body.begin(), body.end());
  } catch (const Json::parse_error& e) {
    // e.byte is the 1-based index of the byte where parsing failed.
    size_t offset = e.byte == 0 ? 0 : e.byte - 1;
    return Status::SyntaxError("invalid JSON in request body: " + CleanParseMessage(e.what()),
                               PositionOf(body, offset));
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("invalid JSON in request body: ") + e.what());
  }
  if (!doc.is_object()) {
    return Status::InvalidArgument("request body must be a JSON object, got " + JsonTypeName(doc));
  }
  return doc;
}

Status CheckFields(const Json& object, std::initializer_list<std::string_view> allowed) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) != allowed.end()) continue;
    std::string expected;
    for (auto a : allowed) {
      if (!expected.empty()) expected += ", ";
      expected += a;
    }
    return Status::InvalidArgument("unknown field '" + it.key() +
                                   "' (expected one of: " + expected + ")");
  }
  return Status::OK();
}

Result<std::optional<std::string>> GetString(const Json& object, std::string_view field) {
  const Json* v = Find(object, field);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return WrongType(field, "a string", *v);
  return std::optional<std::string>(v->get<std::string>());
}

Result<std::optional<int64_t>> GetInt(const Json& object, std::string_view field) {
  const Json* v = Find(object, field);
  if (v == nullptr) return std::optional<int64_t>();
  if (v->is_number_unsigned()) {
    uint64_t u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return WrongType(field, "a 64-bit integer", *v);
    return std::optional<int64_t>(static_cast<int64_t>(u));
  }
  if (!v->is_number_integer()) return WrongType(field, "an integer", *v);
  return std::optional<int64_t>(v->get<int64_t>());
}

Result<std::optional<uint64_t>> GetUint(const Json& object, std::string_view field) {
  const Json* v = Find(object, field);
  if (v == nullptr) return std::optional<uint64_t>();
  if (v->is_number_unsigned()) return std::optional<uint64_t>(v->get<uint64_t>());
  if (v->is_number_integer()) {
    return Status::InvalidArgument("field '" + std::string(field) +
                                   "' must be a non-negative integer, got " +
                                   std::to_string(v->get<int64_t>()));
  }
  return WrongType(field, "a non-negative integer", *v);
}

Result<const Json*> GetObject(const Json& object, std::string_view field) {
  const Json* v = Find(object, field);
  if (v == nullptr) return static_cast<const Json*>(nullptr);
  if (!v->is_object()) return WrongType(field, "an object", *v);
  return v;
}

}  // namespace kg::server

#include "synth/walks/api_compose/teacher.h"

#include <httplib.h>

#include <cstdlib>

#include <nlohmann/json.hpp>

namespace kg::synth {

Result<std::string> AskTeacher(const TeacherSpec& teacher, std::string_view system,
                               std::string_view user) {
  const std::string& url = teacher.url;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos ||
      (url.compare(0, scheme_end, "http") != 0 && url.compare(0, scheme_end, "https") != 0)) {
    return Status::InvalidArgument("teacher url must start with http:// or https://, got '" + url +
                                   "'");
  }
  size_t path_start = url.find('/', scheme_end + 3);
  std::string origin = path_start == std::string::npos ? url : url.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "" : url.substr(path_start);
  while (!path.empty() && path.back() == '/') path.pop_back();
  const std::string kSuffix = "/chat/completions";
  if (path.size() < kSuffix.size() ||
      path.compare(path.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
    path += kSuffix;
  }
  httplib::Client client(origin);
  if (!client.is_valid()) return Status::InvalidArgument("teacher url '" + url + "' is invalid");
  time_t sec = static_cast<time_t>(teacher.timeout_ms / 1000);
  time_t usec = static_cast<time_t>((teacher.timeout_ms % 1000) * 1000);
  client.set_connection_timeout(sec, usec);
  client.set_read_timeout(sec, usec);
  client.set_write_timeout(sec, usec);
  httplib::Headers headers;
  if (!teacher.api_key_env.empty()) {
    const char* key = std::getenv(teacher.api_key_env.c_str());
    if (key != nullptr && *key != '\0') {
      headers.emplace("Authorization", std::string("Bearer ") + key);
    }
  }
  nlohmann::json body = {{"model", teacher.model},
                         {"messages",
                          {{{"role", "system"}, {"content", std::string(system)}},
                           {{"role", "user"}, {"content", std::string(user)}}}},
                         {"temperature", 0}};
  auto res = client.Post(path, headers,
                         body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                         "application/json");
  if (!res) {
    return Status::IOError("teacher request to " + origin + path +
                           " failed: " + httplib::to_string(res.error()));
  }
  if (res->status < 200 || res->status >= 300) {
    return Status::IOError("teacher answered HTTP " + std::to_string(res->status));
  }
  nlohmann::json reply = nlohmann::json::parse(res->body, nullptr, /*allow_exceptions=*/false);
  if (!reply.is_object() || !reply.contains("choices") || !reply["choices"].is_array() ||
      reply["choices"].empty() || !reply["choices"][0].is_object() ||
      !reply["choices"][0].contains("message") || !reply["choices"][0]["message"].is_object() ||
      !reply["choices"][0]["message"].contains("content") ||
      !reply["choices"][0]["message"]["content"].is_string()) {
    return Status::Internal("teacher reply is not a chat completion");
  }
  return reply["choices"][0]["message"]["content"].get<std::string>();
}

}  // namespace kg::synth

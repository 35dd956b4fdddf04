#pragma once
// A teacher LLM behind an OpenAI-compatible chat completions endpoint.
//
// Request: POST <url>/chat/completions (or <url> itself when it already ends in
// "/chat/completions") with {"model", "messages": [{"role": "system"}, {"role": "user"}],
// "temperature": 0}; "Authorization: Bearer <key>" when the key environment variable is set.
// Response: {"choices": [{"message": {"content": "..."}}]}; the first choice's content is the
// answer. http:// and https:// URLs are accepted.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace kg::synth {

struct TeacherSpec {
  std::string url;          // "" = no teacher (templates only)
  std::string model;        // the "model" field of the request
  std::string api_key_env;  // name of the environment variable holding the key; "" = none
  uint64_t timeout_ms = 30000;
  bool enabled() const { return !url.empty(); }
};

// Sends one chat completion and returns the first choice's content.
// Errors: InvalidArgument (malformed URL), IOError (connection failure, timeout, non-2xx
// status), Internal (a response that is not the chat completions shape). Thread-safe (a fresh
// connection per call).
Result<std::string> AskTeacher(const TeacherSpec& teacher, std::string_view system,
                               std::string_view user);

}  // namespace kg::synth

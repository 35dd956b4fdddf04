#pragma once
// HttpClient: the codekg CLI's only way to reach codekgd (the CLI never opens the store itself).
//
// Every call returns the decoded JSON body on a 2xx answer, or a Status built from the server's
// error shape `{"error": {"code", "message", "position"?}}` (code mapped back to a Status code,
// position kept) on any other answer. Transport failures (connection refused, timeout) are
// IOError naming the URL.
//
// Thread-safety: not thread-safe; one client per thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace httplib {
class Client;
}

namespace kg::clients::cli {

using Json = nlohmann::ordered_json;  // keeps the server's key order

class HttpClient {
 public:
  // `base_url` is `http://host[:port]` (no path; https is not supported: InvalidArgument).
  // `token` (may be empty) is sent as `Authorization: Bearer <token>`.
  static Result<std::unique_ptr<HttpClient>> Create(std::string_view base_url, std::string token);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Result<Json> Get(const std::string& path);
  Result<Json> Post(const std::string& path, const Json& body);
  Result<Json> Delete(const std::string& path);
  // GET whose body is not JSON (text trees, JSONL results): each received chunk goes to `sink`
  // (return false to stop). Non-2xx answers are decoded as errors like the other calls.
  Status GetStream(const std::string& path, const std::function<bool(std::string_view)>& sink);

  const std::string& base_url() const { return base_url_; }

 private:
  HttpClient(std::string base_url, std::string token);
  Result<Json> Decode(int status, const std::string& body, const std::string& what);

  std::string base_url_;
  std::string token_;
  std::unique_ptr<httplib::Client> client_;
};

// Percent-encodes one path segment (node ids contain '/').
std::string EncodePathSegment(std::string_view s);

}  // namespace kg::clients::cli

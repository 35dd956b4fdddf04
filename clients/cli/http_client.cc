#include "clients/cli/http_client.h"

#include <httplib.h>

#include <utility>

namespace kg::clients::cli {
namespace {

// The Status whose CodeName is `name` (the server's error.code), with `message`.
Status StatusFromError(std::string_view name, const std::string& message) {
  for (int c = 1; c <= static_cast<int>(Status::Code::kPermissionDenied); ++c) {
    auto code = static_cast<Status::Code>(c);
    if (Status::CodeName(code) != name) continue;
    switch (code) {
      case Status::Code::kNotFound:
        return Status::NotFound(message);
      case Status::Code::kInvalidArgument:
        return Status::InvalidArgument(message);
      case Status::Code::kCorruption:
        return Status::Corruption(message);
      case Status::Code::kIOError:
        return Status::IOError(message);
      case Status::Code::kNotSupported:
        return Status::NotSupported(message);
      case Status::Code::kAlreadyExists:
        return Status::AlreadyExists(message);
      case Status::Code::kResourceExhausted:
        return Status::ResourceExhausted(message);
      case Status::Code::kTimeout:
        return Status::Timeout(message);
      case Status::Code::kCancelled:
        return Status::Cancelled(message);
      case Status::Code::kPermissionDenied:
        return Status::PermissionDenied(message);
      default:
        return Status::Internal(message);
    }
  }
  return Status::Internal(message);
}

}  // namespace

Result<std::unique_ptr<HttpClient>> HttpClient::Create(std::string_view base_url,
                                                       std::string token) {
  std::string url(base_url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.rfind("https://", 0) == 0) {
    return Status::InvalidArgument("https is not supported by this build: use http://" +
                                   url.substr(8));
  }
  if (url.rfind("http://", 0) != 0) {
    return Status::InvalidArgument("server URL must start with http://, got '" + url + "'");
  }
  std::string rest = url.substr(7);
  if (rest.empty() || rest.find('/') != std::string::npos) {
    return Status::InvalidArgument("server URL must be http://host[:port] without a path, got '" +
                                   url + "'");
  }
  return std::unique_ptr<HttpClient>(new HttpClient(url, std::move(token)));
}

HttpClient::HttpClient(std::string base_url, std::string token)
    : base_url_(std::move(base_url)),
      token_(std::move(token)),
      client_(std::make_unique<httplib::Client>(base_url_)) {
  client_->set_connection_timeout(5, 0);
  client_->set_read_timeout(600, 0);  // a synchronous ingest of a large tree takes a while
  client_->set_write_timeout(60, 0);
  client_->set_keep_alive(true);
  client_->set_tcp_nodelay(true);  // a request's header and body must not wait for Nagle
  if (!token_.empty()) client_->set_bearer_token_auth(token_);
}

HttpClient::~HttpClient() = default;

Result<Json> HttpClient::Decode(int status, const std::string& body, const std::string& what) {
  Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (status >= 200 && status < 300) {
    if (json.is_discarded()) {
      return Status::Corruption(what + ": server answered " + std::to_string(status) +
                                " with a body that is not JSON");
    }
    return json;
  }
  if (!json.is_discarded() && json.is_object() && json.contains("error") &&
      json["error"].is_object()) {
    const Json& e = json["error"];
    std::string code = e.value("code", std::string("internal"));
    std::string message = e.value("message", std::string("(no message)"));
    Status s = StatusFromError(code, message);
    if (e.contains("position") && e["position"].is_object()) {
      TextPosition pos;
      pos.line = e["position"].value("line", 0);
      pos.column = e["position"].value("column", 0);
      if (pos.line > 0) s = s.WithPosition(pos);
    }
    return s;
  }
  return Status::IOError(what + ": HTTP " + std::to_string(status) +
                         (body.empty() ? std::string() : ": " + body.substr(0, 200)));
}

namespace {

Status TransportError(const std::string& base, const std::string& path, httplib::Error err) {
  return Status::IOError("cannot reach codekgd at " + base + path + ": " + httplib::to_string(err) +
                         " (is it running? set --url or CODEKG_URL)");
}

}  // namespace

Result<Json> HttpClient::Get(const std::string& path) {
  auto res = client_->Get(path);
  if (!res) return TransportError(base_url_, path, res.error());
  return Decode(res->status, res->body, "GET " + path);
}

Result<Json> HttpClient::Post(const std::string& path, const Json& body) {
  auto res = client_->Post(path, body.dump(), "application/json");
  if (!res) return TransportError(base_url_, path, res.error());
  return Decode(res->status, res->body, "POST " + path);
}

Result<Json> HttpClient::Delete(const std::string& path) {
  auto res = client_->Delete(path);
  if (!res) return TransportError(base_url_, path, res.error());
  return Decode(res->status, res->body, "DELETE " + path);
}

Status HttpClient::GetStream(const std::string& path,
                             const std::function<bool(std::string_view)>& sink) {
  std::string error_body;
  int status = 0;
  auto res = client_->Get(
      path,
      [&](const httplib::Response& r) {
        status = r.status;
        return true;
      },
      [&](const char* data, size_t len) {
        if (status >= 200 && status < 300) return sink(std::string_view(data, len));
        error_body.append(data, len);
        return error_body.size() < (1u << 20);
      });
  if (!res) {
    if (res.error() == httplib::Error::Canceled) return Status::OK();  // the sink stopped
    return TransportError(base_url_, path, res.error());
  }
  if (res->status >= 200 && res->status < 300) return Status::OK();
  auto decoded = Decode(res->status, error_body, "GET " + path);
  return decoded.ok() ? Status::IOError("GET " + path + ": unexpected answer") : decoded.status();
}

std::string EncodePathSegment(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace kg::clients::cli

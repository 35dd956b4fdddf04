#include "server/handlers/util.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <string>

namespace kg::server::handlers {

Result<storage::GraphInfo> RequireGraph(ServerContext& context, std::string_view graph) {
  auto info = context.store().GetGraph(graph);
  if (!info.ok() && info.status().IsNotFound()) {
    return Status::NotFound("graph '" + std::string(graph) + "' does not exist");
  }
  return info;
}

Status CheckQueryParams(const ApiRequest& request,
                        std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : request.query) {
    bool ok = false;
    for (std::string_view a : allowed) ok = ok || a == key;
    if (ok) continue;
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    return Status::InvalidArgument("unknown query parameter '" + key +
                                   "' (expected one of: " + list + ")");
  }
  return Status::OK();
}

std::optional<std::string> QueryParam(const ApiRequest& request, const std::string& name) {
  auto [begin, end] = request.query.equal_range(name);
  if (begin == end) return std::nullopt;
  return std::prev(end)->second;
}

Result<int64_t> IntQueryParam(const ApiRequest& request, const std::string& name, int64_t fallback,
                              int64_t min, int64_t max) {
  std::optional<std::string> text = QueryParam(request, name);
  if (!text) return fallback;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || ptr != text->data() + text->size() || v < min || v > max) {
    return Status::InvalidArgument("query parameter '" + name + "' must be an integer between " +
                                   std::to_string(min) + " and " + std::to_string(max) + ", got '" +
                                   *text + "'");
  }
  return v;
}

Result<bool> BoolQueryParam(const ApiRequest& request, const std::string& name, bool fallback) {
  std::optional<std::string> text = QueryParam(request, name);
  if (!text) return fallback;
  if (*text == "true" || *text == "1" || text->empty()) return true;
  if (*text == "false" || *text == "0") return false;
  return Status::InvalidArgument("query parameter '" + name + "' must be true or false, got '" +
                                 *text + "'");
}

bool TokenMatches(std::string_view authorization, std::string_view token) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() != kBearer.size() + token.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < kBearer.size(); ++i) diff |= authorization[i] ^ kBearer[i];
  for (size_t i = 0; i < token.size(); ++i) diff |= authorization[kBearer.size() + i] ^ token[i];
  return diff == 0;
}

bool HasWriteAccess(const ServerContext& context, const ApiRequest& request) {
  const std::string& token = context.options().token;
  if (token.empty()) return true;
  auto it = request.headers.find("authorization");
  return it != request.headers.end() && TokenMatches(it->second, token);
}

Status CheckAllowedRoot(const ServerContext& context, const std::string& path) {
  const auto& roots = context.options().allowed_roots;
  if (roots.empty()) return Status::OK();
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path target = fs::weakly_canonical(fs::path(path), ec);
  if (ec) return Status::PermissionDenied("cannot resolve path '" + path + "'");
  std::string list;
  for (const std::string& root : roots) {
    list += (list.empty() ? "" : ", ") + root;
    fs::path r = fs::weakly_canonical(fs::path(root), ec);
    if (ec) continue;
    auto [rit, tit] = std::mismatch(r.begin(), r.end(), target.begin(), target.end());
    // Inside when every component of the root matches (a trailing "" from "dir/" is fine).
    bool inside = rit == r.end() || (std::next(rit) == r.end() && rit->empty());
    if (inside) return Status::OK();
  }
  return Status::PermissionDenied("path '" + target.string() +
                                  "' is outside the allowed ingest roots (" + list + ")");
}

}  // namespace kg::server::handlers

#include "server/handlers/util.h"

#include <charconv>
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

}  // namespace kg::server::handlers

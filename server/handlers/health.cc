// GET /healthz, GET /metrics, GET /v1, GET /v1/openapi.json.
#include <unistd.h>

#include <cstdio>

#include "ingest/ts_heap.h"
#include "server/context.h"
#include "server/handlers/handlers.h"
#include "server/openapi.h"
#include "server/routes.h"

namespace kg::server::handlers {
namespace {

// The process's resident set in bytes (/proc/self/statm), 0 if unreadable.
uint64_t ResidentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  const int n = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  if (n != 2) return 0;
  return resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

Result<ApiResponse> Health(ServerContext&, const ApiRequest&) {
  return ApiResponse::FromJson(Json{{"status", "ok"}});
}

Result<ApiResponse> GetMetrics(ServerContext& context, const ApiRequest&) {
  ApiResponse response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  auto [queued, running] = context.job_manager().ActiveCounts();
  context.metrics().SetJobsActive(queued, running);
  context.metrics().SetMemory(ResidentBytes(), context.store().GetMemoryUsage(),
                              ingest::GetTsHeapStats().mapped_bytes);
  response.body = context.metrics().RenderPrometheus();
  return response;
}

Result<ApiResponse> ListRoutes(ServerContext&, const ApiRequest&) {
  Json routes = Json::array();
  for (const Route& r : Routes()) {
    routes.push_back(
        Json{{"method", r.method}, {"path", r.pattern}, {"doc", r.doc}, {"writes", r.writes}});
  }
  return ApiResponse::FromJson(Json{{"routes", routes}});
}

Result<ApiResponse> OpenApi(ServerContext&, const ApiRequest&) {
  ApiResponse response;
  response.body = std::string(kOpenApiJson);
  return response;
}

}  // namespace kg::server::handlers

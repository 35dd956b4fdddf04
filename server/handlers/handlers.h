#pragma once
// Request handlers, one file per resource (handlers/<resource>.cc). Each is a server::Handler:
// it returns a response or a non-OK Status (mapped to HTTP by http_status.h) and never throws.
// Request and response bodies are specified in server/api.md.

#include "server/api.h"

namespace kg::server::handlers {

// health.cc
Result<ApiResponse> Health(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> GetMetrics(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> ListRoutes(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> OpenApi(ServerContext& context, const ApiRequest& request);

// graphs.cc
Result<ApiResponse> ListGraphs(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> GetGraph(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> CreateGraph(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> DeleteGraph(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> FsckGraph(ServerContext& context, const ApiRequest& request);

// ingest.cc
Result<ApiResponse> Ingest(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> StopWatch(ServerContext& context, const ApiRequest& request);

// query.cc
Result<ApiResponse> Query(ServerContext& context, const ApiRequest& request);

// search.cc
Result<ApiResponse> Search(ServerContext& context, const ApiRequest& request);

// nodes.cc
Result<ApiResponse> GetNode(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> NodeTree(ServerContext& context, const ApiRequest& request);

// mcp.cc
Result<ApiResponse> Mcp(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> McpGet(ServerContext& context, const ApiRequest& request);

// synth.cc
Result<ApiResponse> Synth(ServerContext& context, const ApiRequest& request);

// jobs.cc
Result<ApiResponse> ListJobs(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> GetJob(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> CancelJob(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> JobResults(ServerContext& context, const ApiRequest& request);

// check.cc
Result<ApiResponse> CheckCode(ServerContext& context, const ApiRequest& request);

// web.cc
Result<ApiResponse> WebIndex(ServerContext& context, const ApiRequest& request);
Result<ApiResponse> WebAsset(ServerContext& context, const ApiRequest& request);

}  // namespace kg::server::handlers

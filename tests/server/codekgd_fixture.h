#pragma once
// Test fixture shared by the codekgd integration tests: a fresh data folder, the real codekgd
// binary (CODEKGD_PATH) on a free loopback port, and an httplib client with JSON helpers.

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/server/codekgd_process.h"

namespace kg::server::testing {

using Json = nlohmann::json;

inline const std::string kSample = std::string(CODEKG_SOURCE_DIR) + "/samples/python";

struct Reply {
  int status = 0;  // 0: no HTTP response at all
  std::string content_type;
  std::string body;
  Json json;  // discarded when the body is not JSON
};

class CodekgdTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }

  // Starts codekgd on dir_/data with --port 0 (plus `extra` flags).
  void StartServer(const std::vector<std::string>& extra = {}) {
    client_.reset();
    std::vector<std::string> args = {"--data", dir_.path() + "/data", "--port",
                                     "0",      "--threads",           "4"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string error;
    proc_ = CodekgdProcess::Start(CODEKGD_PATH, args, &error, dir_.path() + "/stderr.log");
    ASSERT_NE(proc_, nullptr) << error;
    EXPECT_EQ(proc_->host(), "127.0.0.1");
    client_ = std::make_unique<httplib::Client>("127.0.0.1", proc_->port());
    client_->set_connection_timeout(std::chrono::seconds(5));
    client_->set_read_timeout(std::chrono::seconds(60));
    client_->set_write_timeout(std::chrono::seconds(60));
  }

  static Reply ToReply(const httplib::Result& r) {
    Reply out;
    if (!r) return out;
    out.status = r->status;
    out.content_type = r->get_header_value("Content-Type");
    out.body = r->body;
    out.json = Json::parse(r->body, nullptr, /*allow_exceptions=*/false);
    return out;
  }
  Reply Get(const std::string& path) { return ToReply(client_->Get(path)); }
  Reply Delete(const std::string& path) { return ToReply(client_->Delete(path)); }
  Reply Post(const std::string& path, const std::string& body,
             const httplib::Headers& headers = {}) {
    return ToReply(client_->Post(path, headers, body, "application/json"));
  }
  Reply PostJson(const std::string& path, const Json& body) { return Post(path, body.dump()); }

  Reply Ingest(const std::string& graph, const std::string& path) {
    return PostJson("/v1/graphs/" + graph + "/ingest?wait=true", Json{{"path", path}});
  }
  Reply Query(const std::string& graph, const std::string& q, Json extra = Json::object()) {
    extra["query"] = q;
    return PostJson("/v1/graphs/" + graph + "/query", extra);
  }
  // The first column of every row, as strings.
  static std::vector<std::string> Column(const Reply& r) {
    std::vector<std::string> out;
    if (!r.json.is_object() || !r.json.contains("rows")) return out;
    for (const auto& row : r.json["rows"]) {
      out.push_back(row.at(0).is_string() ? row.at(0).get<std::string>() : row.at(0).dump());
    }
    return out;
  }

  // Asserts the JSON error shape and returns the error object.
  static Json ExpectError(const Reply& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.content_type, "application/json") << r.body;
    EXPECT_TRUE(r.json.is_object() && r.json.contains("error")) << r.body;
    if (!r.json.is_object() || !r.json.contains("error")) return Json::object();
    const Json& e = r.json["error"];
    EXPECT_EQ(e.value("code", ""), code) << r.body;
    EXPECT_TRUE(e.contains("message") && e["message"].is_string() &&
                !e["message"].get<std::string>().empty())
        << r.body;
    return e;
  }

  TempDir dir_;
  std::unique_ptr<CodekgdProcess> proc_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace kg::server::testing

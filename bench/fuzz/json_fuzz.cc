// libFuzzer target: the server's request decoding on arbitrary bytes: the JSON body parser and
// typed field getters (server/request_body.h), query parameters JSON -> Value -> JSON
// (server/json_codec.h), the synthesis spec (synth/job.h), the config file parser
// (server/flags.h) and the route matcher with percent-decoding (server/routes.h).
// Invariants checked besides "no crash": a parsed spec survives its own round trip, and a Value
// converted back to JSON converts to the same Value again.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/flags.h"
#include "server/json_codec.h"
#include "server/request_body.h"
#include "server/routes.h"
#include "synth/job.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

void DecodeBody(std::string_view text) {
  using kg::server::Json;
  auto body = kg::server::ParseJsonObject(text);
  if (!body.ok()) {
    Check(!body.status().message().empty());
    return;
  }
  (void)kg::server::CheckFields(*body, {"query", "params", "limit", "timeout_ms", "path"});
  for (auto it = body->begin(); it != body->end(); ++it) {
    std::string_view key = it.key();
    (void)kg::server::GetString(*body, key);
    (void)kg::server::GetInt(*body, key);
    (void)kg::server::GetUint(*body, key);
    (void)kg::server::GetObject(*body, key);
    (void)kg::server::JsonTypeName(it.value());
    auto value = kg::server::JsonToValue(it.value(), key);
    if (!value.ok()) continue;
    Json back = kg::server::ValueToJson(*value);
    auto again = kg::server::JsonToValue(back, key);
    Check(again.ok());
    Check(kg::server::DumpJson(kg::server::ValueToJson(*again)) == kg::server::DumpJson(back));
  }
  auto spec = kg::synth::ParseSynthSpec(nlohmann::json::parse(body->dump()));
  if (spec.ok()) {
    auto again = kg::synth::ParseSynthSpec(kg::synth::SynthSpecToJson(*spec));
    Check(again.ok());
    Check(kg::synth::SynthSpecToJson(*again) == kg::synth::SynthSpecToJson(*spec));
  }
  (void)kg::server::DumpJson(*body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  DecodeBody(text);
  (void)kg::server::ParseConfigText(text);
  std::string path = "/" + std::string(text.substr(0, 512));
  for (std::string_view method : {"GET", "POST", "DELETE"}) {
    auto match = kg::server::MatchRoute(method, path);
    for (const auto& [name, value] : match.params) Check(!value.empty() || name.empty());
  }
  std::string decoded = kg::server::PercentDecode(text);
  Check(decoded.size() <= text.size());
  return 0;
}

#include "synth/export.h"

#include <nlohmann/json.hpp>

namespace kg::synth {
namespace {

using Json = nlohmann::ordered_json;

Json Meta(const TrainingPair& pair, const ExportContext& context) {
  Json meta = Json::object();
  meta["strategy"] = context.strategy;
  meta["relation"] = pair.relation;
  meta["direction"] = pair.direction;
  meta["subject"] = pair.subject;
  meta["graph"] = context.graph;
  return meta;
}

Json Alpaca(const TrainingPair& pair, const ExportContext& context) {
  Json j = Json::object();
  j["instruction"] = pair.instruction;
  j["input"] = pair.input;
  j["output"] = pair.output;
  j["meta"] = Meta(pair, context);
  return j;
}

Json Messages(const TrainingPair& pair, const ExportContext& context) {
  std::string user = pair.instruction;
  if (!pair.input.empty()) user += "\n\n" + pair.input;
  Json j = Json::object();
  j["messages"] = Json::array({Json{{"role", "user"}, {"content", user}},
                               Json{{"role", "assistant"}, {"content", pair.output}}});
  j["meta"] = Meta(pair, context);
  return j;
}

}  // namespace

const std::vector<std::string_view>& ExportFormats() {
  static const std::vector<std::string_view> kFormats = {"alpaca", "messages"};
  return kFormats;
}

bool IsKnownFormat(std::string_view format) {
  for (auto f : ExportFormats()) {
    if (f == format) return true;
  }
  return false;
}

Result<std::string> ExportLine(std::string_view format, const TrainingPair& pair,
                               const ExportContext& context) {
  Json j;
  if (format == "alpaca") {
    j = Alpaca(pair, context);
  } else if (format == "messages") {
    j = Messages(pair, context);
  } else {
    return Status::InvalidArgument("unknown format '" + std::string(format) +
                                   "' (supported: alpaca, messages)");
  }
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace kg::synth

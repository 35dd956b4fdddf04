#include "synth/export.h"

namespace kg::synth {
namespace {

using Json = nlohmann::ordered_json;

Json Meta(const TrainingPair& pair, const ExportContext& context) {
  Json meta = Json::object();
  meta["strategy"] = pair.strategy.empty() ? context.strategy : pair.strategy;
  meta["relation"] = pair.relation;
  meta["direction"] = pair.direction;
  meta["subject"] = pair.subject;
  meta["graph"] = context.graph;
  if (pair.negative) meta["negative"] = true;
  return meta;
}

std::string UserTurn(const TrainingPair& pair) {
  std::string user = pair.instruction;
  if (!pair.input.empty()) user += (user.empty() ? "" : "\n\n") + pair.input;
  return user;
}

Json Alpaca(const TrainingPair& pair, const ExportContext& context) {
  Json j = Json::object();
  j["instruction"] = pair.instruction;
  j["input"] = pair.input;
  j["output"] = pair.output;
  j["meta"] = Meta(pair, context);
  return j;
}

Json ShareGpt(const TrainingPair& pair, const ExportContext& context) {
  Json j = Json::object();
  j["conversations"] = Json::array({Json{{"from", "human"}, {"value", UserTurn(pair)}},
                                    Json{{"from", "gpt"}, {"value", pair.output}}});
  j["meta"] = Meta(pair, context);
  return j;
}

Json Messages(const TrainingPair& pair, const ExportContext& context) {
  Json j = Json::object();
  j["messages"] = Json::array({Json{{"role", "user"}, {"content", UserTurn(pair)}},
                               Json{{"role", "assistant"}, {"content", pair.output}}});
  j["meta"] = Meta(pair, context);
  return j;
}

Json Trl(const TrainingPair& pair, const ExportContext& context) {
  Json j = Json::object();
  j["prompt"] = UserTurn(pair);
  j["completion"] = pair.output;
  j["meta"] = Meta(pair, context);
  return j;
}

Json Text(const TrainingPair& pair, const ExportContext& context) {
  std::string user = UserTurn(pair);
  Json j = Json::object();
  j["text"] = user.empty() ? pair.output : user + "\n\n" + pair.output;
  j["meta"] = Meta(pair, context);
  return j;
}

}  // namespace

const std::vector<std::string_view>& ExportFormats() {
  static const std::vector<std::string_view> kFormats = {"alpaca", "sharegpt", "messages", "trl",
                                                         "text"};
  return kFormats;
}

bool IsKnownFormat(std::string_view format) {
  for (auto f : ExportFormats()) {
    if (f == format) return true;
  }
  return false;
}

std::string ExportFormatNames() {
  std::string out;
  for (auto f : ExportFormats()) {
    if (!out.empty()) out += ", ";
    out += f;
  }
  return out;
}

Result<std::string> ExportLine(std::string_view format, const TrainingPair& pair,
                               const ExportContext& context) {
  Json j;
  if (format == "alpaca") {
    j = Alpaca(pair, context);
  } else if (format == "sharegpt") {
    j = ShareGpt(pair, context);
  } else if (format == "messages") {
    j = Messages(pair, context);
  } else if (format == "trl") {
    j = Trl(pair, context);
  } else if (format == "text") {
    j = Text(pair, context);
  } else {
    return Status::InvalidArgument("unknown format '" + std::string(format) +
                                   "' (supported: " + ExportFormatNames() + ")");
  }
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<nlohmann::json> DatasetInfoEntry(std::string_view format, std::string_view name,
                                        std::string_view file_name) {
  nlohmann::json entry = {{"file_name", std::string(file_name)}};
  if (format == "alpaca") {
    entry["formatting"] = "alpaca";
    entry["columns"] = {{"prompt", "instruction"}, {"query", "input"}, {"response", "output"}};
  } else if (format == "sharegpt") {
    entry["formatting"] = "sharegpt";
    entry["columns"] = {{"messages", "conversations"}};
    entry["tags"] = {{"role_tag", "from"},
                     {"content_tag", "value"},
                     {"user_tag", "human"},
                     {"assistant_tag", "gpt"}};
  } else if (format == "messages") {
    entry["formatting"] = "sharegpt";
    entry["columns"] = {{"messages", "messages"}};
    entry["tags"] = {{"role_tag", "role"},
                     {"content_tag", "content"},
                     {"user_tag", "user"},
                     {"assistant_tag", "assistant"}};
  } else if (format == "text") {
    entry["columns"] = {{"prompt", "text"}};
  } else if (IsKnownFormat(format)) {
    return Status::InvalidArgument("format '" + std::string(format) +
                                   "' has no LLaMA-Factory dataset_info entry (use alpaca, "
                                   "sharegpt, messages or text)");
  } else {
    return Status::InvalidArgument("unknown format '" + std::string(format) +
                                   "' (supported: " + ExportFormatNames() + ")");
  }
  return nlohmann::json{{std::string(name), entry}};
}

}  // namespace kg::synth

#pragma once
// Exporters: one TrainingPair -> one JSON line in a training-data format.
//
// Formats (name -> record shape; every record also carries "meta": {strategy, relation,
// direction, subject, graph, negative}):
//   alpaca    {"instruction", "input", "output", "meta"}                  LLaMA-Factory alpaca
//   sharegpt  {"conversations": [{"from":"human","value"}, {"from":"gpt","value"}], "meta"}
//                                                                          LLaMA-Factory sharegpt
//   messages  {"messages": [{"role":"user","content"}, {"role":"assistant","content"}], "meta"}
//                                                                          OpenAI chat
//   trl       {"prompt", "completion", "meta"}                            TRL prompt/completion
//   text      {"text", "meta"}                                            plain text (CPT)
// In every format but alpaca the user turn is the instruction, then a blank line and the input
// when there is one. `text` is "question\n\nanswer", or for cpt_corpus records (empty
// instruction) the output alone. A reasoning trace stays in the answer as <think>...</think>.
// Keys are written in a fixed order and invalid UTF-8 is replaced by U+FFFD, so a line is always
// valid JSON and identical input gives byte-identical output. Pure functions; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "synth/pair.h"

namespace kg::synth {

struct ExportContext {
  std::string strategy;  // used when the pair's own `strategy` is empty
  std::string graph;
};

// Names of the supported formats, for error messages and docs.
const std::vector<std::string_view>& ExportFormats();

// True if `format` is one of ExportFormats().
bool IsKnownFormat(std::string_view format);

// "alpaca, sharegpt, ..." for error messages.
std::string ExportFormatNames();

// One JSON object, without the trailing newline. InvalidArgument for an unknown format.
Result<std::string> ExportLine(std::string_view format, const TrainingPair& pair,
                               const ExportContext& context);

// The LLaMA-Factory dataset_info.json entry for a dataset `name` stored in `file_name` in
// `format`: {name: {"file_name", "formatting"?, "columns", "tags"?}}. `messages` maps to the
// sharegpt formatting with OpenAI role tags; `text` to a pre-training prompt column.
// InvalidArgument for `trl` (not a LLaMA-Factory layout) or an unknown format.
Result<nlohmann::json> DatasetInfoEntry(std::string_view format, std::string_view name,
                                        std::string_view file_name);

}  // namespace kg::synth

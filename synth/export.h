#pragma once
// Exporters: one TrainingPair -> one JSON line in a training-data format.
//
// Formats (name -> record shape; every record also carries "meta": {strategy, relation,
// direction, subject, graph}):
//   alpaca    {"instruction", "input", "output", "meta"}              (LLaMA-Factory alpaca)
//   messages  {"messages": [{"role":"user",...}, {"role":"assistant",...}], "meta"}  (OpenAI chat)
// Keys are written in a fixed order and invalid UTF-8 is replaced by U+FFFD, so a line is always
// valid JSON and identical input gives byte-identical output. Pure functions; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "synth/pair.h"

namespace kg::synth {

struct ExportContext {
  std::string strategy;
  std::string graph;
};

// Names of the supported formats, for error messages and docs.
const std::vector<std::string_view>& ExportFormats();

// True if `format` is one of ExportFormats().
bool IsKnownFormat(std::string_view format);

// One JSON object, without the trailing newline. InvalidArgument for an unknown format.
Result<std::string> ExportLine(std::string_view format, const TrainingPair& pair,
                               const ExportContext& context);

}  // namespace kg::synth

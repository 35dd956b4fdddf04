#pragma once
// The subcommands of the `codekg` CLI. Each takes its own arguments (after the subcommand name),
// talks to codekgd through HttpClient only, writes results to stdout and messages to stderr, and
// returns the process exit code: 0 success, 1 the server refused or failed the request (the error
// is printed), 2 a usage error.

#include <iosfwd>
#include <string>
#include <vector>

#include "clients/cli/http_client.h"

namespace kg::clients::cli {

struct CommandContext {
  HttpClient* http = nullptr;  // not owned
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  bool progress = true;  // draw progress bars (on a terminal)
};

using Args = std::vector<std::string>;

int GraphsCommand(CommandContext& ctx, const Args& args);  // codekg graphs [G] [--delete]
int QueryCommand(CommandContext& ctx, const Args& args);   // codekg query G 'MATCH ...'
int ShellCommand(CommandContext& ctx, const Args& args);   // codekg shell G
int IngestCommand(CommandContext& ctx, const Args& args);  // codekg ingest PATH --graph G
int SynthCommand(CommandContext& ctx, const Args& args);   // codekg synth G --out FILE
int JobsCommand(CommandContext& ctx, const Args& args);    // codekg jobs [ID] [--cancel]
int SearchCommand(CommandContext& ctx, const Args& args);  // codekg search G TEXT
int NodeCommand(CommandContext& ctx, const Args& args);    // codekg node G ID [--tree]

// The help text of all commands.
std::string UsageText();

}  // namespace kg::clients::cli

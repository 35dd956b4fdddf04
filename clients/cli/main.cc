// codekg: the command-line client of codekgd. Parses the global options, then runs one
// subcommand (clients/cli/commands.h). It never opens the store: everything goes over HTTP.

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "clients/cli/commands.h"
#include "clients/cli/http_client.h"
#include "clients/cli/render.h"

namespace {

using kg::clients::cli::Args;
using kg::clients::cli::CommandContext;

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  namespace cli = kg::clients::cli;
  std::vector<std::string> argv_s(argv + 1, argv + argc);
  std::string url = EnvOr("CODEKG_URL", "http://127.0.0.1:7420");
  std::string token = EnvOr("CODEKG_TOKEN", "");
  bool progress = isatty(STDERR_FILENO);
  // Global options may stand anywhere (`codekg ingest . -g G --no-progress` works too); the first
  // other word is the command and the remaining words are its arguments.
  std::string command;
  Args args;
  for (size_t i = 0; i < argv_s.size(); ++i) {
    const std::string& a = argv_s[i];
    auto value = [&](const std::string& name, std::string* out) {
      if (a.rfind(name + "=", 0) == 0) {
        *out = a.substr(name.size() + 1);
        return true;
      }
      if (a == name && i + 1 < argv_s.size()) {
        *out = argv_s[++i];
        return true;
      }
      return false;
    };
    if (value("--url", &url) || value("--token", &token)) continue;
    if (a == "--no-progress") {
      progress = false;
      continue;
    }
    if (a == "--help" || a == "-h") {
      std::cout << cli::UsageText();
      return 0;
    }
    if (command.empty()) {
      if (a.rfind("--", 0) == 0) {
        std::cerr << "codekg: unknown or incomplete option " << a << "\n(run 'codekg help')\n";
        return 2;
      }
      command = a;
    } else {
      args.push_back(a);
    }
  }
  if (command.empty()) {
    std::cerr << cli::UsageText();
    return 2;
  }
  if (command == "help") {
    std::cout << cli::UsageText();
    return 0;
  }
  using Fn = int (*)(CommandContext&, const Args&);
  static const std::map<std::string, Fn> kCommands = {
      {"graphs", cli::GraphsCommand}, {"query", cli::QueryCommand}, {"shell", cli::ShellCommand},
      {"ingest", cli::IngestCommand}, {"synth", cli::SynthCommand}, {"jobs", cli::JobsCommand},
      {"search", cli::SearchCommand}, {"node", cli::NodeCommand},
  };
  auto it = kCommands.find(command);
  if (it == kCommands.end()) {
    std::cerr << "codekg: unknown command '" << command << "'\n(run 'codekg help')\n";
    return 2;
  }
  auto http = cli::HttpClient::Create(url, token);
  if (!http.ok()) {
    cli::RenderError(http.status(), "", std::cerr);
    return 2;
  }
  CommandContext ctx;
  ctx.http = http->get();
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  ctx.progress = progress;
  return it->second(ctx, args);
}

#include "ingest/walk.h"

#include <algorithm>
#include <system_error>
#include <utility>

#include "ingest/source_file.h"

namespace kg::ingest {
namespace fs = std::filesystem;

namespace {

std::string Join(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

// Whether `inner` equals `outer` or lies below it (both canonical).
bool IsWithin(const fs::path& inner, const fs::path& outer) {
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end();
}

std::string RelativeTo(const fs::path& p, const fs::path& root) {
  std::string rel = p.lexically_relative(root).generic_string();
  return rel == "." ? "/" : rel;
}

}  // namespace

Result<WalkResult> WalkTree(const fs::path& root, const WalkOptions& options) {
  std::error_code ec;
  fs::file_status st = fs::status(root, ec);
  if (ec || !fs::exists(st)) {
    if (ec && ec != std::errc::no_such_file_or_directory) {
      return Status::IOError("cannot access '" + root.string() + "': " + ec.message());
    }
    return Status::NotFound("no such folder: '" + root.string() + "'");
  }
  if (!fs::is_directory(st)) {
    return Status::InvalidArgument("not a folder: '" + root.string() + "'");
  }
  WalkResult out;
  out.root = fs::canonical(root, ec);
  if (ec) return Status::IOError("cannot resolve '" + root.string() + "': " + ec.message());

  auto wanted = [&](const std::string& rel) { return !options.wanted || options.wanted(rel); };
  auto excluded = [&](const std::string& name) {
    if (options.skip_hidden_dirs && name.size() > 1 && name[0] == '.') return true;
    return std::find(options.exclude_dirs.begin(), options.exclude_dirs.end(), name) !=
           options.exclude_dirs.end();
  };

  // Depth-first over (absolute folder, relative folder) pairs; entries sorted for determinism.
  std::vector<std::pair<fs::path, std::string>> stack = {{out.root, ""}};
  while (!stack.empty()) {
    auto [dir, rel_dir] = std::move(stack.back());
    stack.pop_back();
    std::vector<fs::directory_entry> entries;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) {
      out.skipped.push_back(
          {rel_dir.empty() ? "/" : rel_dir, "cannot list folder: " + ec.message()});
      ec.clear();
      if (entries.empty()) continue;
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return a.path().filename() < b.path().filename();
    });
    std::vector<std::pair<fs::path, std::string>> subdirs;
    for (const fs::directory_entry& entry : entries) {
      std::string name = entry.path().filename().string();
      std::string rel = Join(rel_dir, name);
      // The entry's own type (not following a symlink), from the listing when it gives one (no
      // lstat per entry).
      bool is_symlink = entry.is_symlink(ec);
      bool is_directory = !ec && !is_symlink && entry.is_directory(ec);
      bool is_regular = !ec && !is_symlink && !is_directory && entry.is_regular_file(ec);
      if (ec) {
        ec.clear();
        continue;
      }
      if (FindInvalidUtf8(name) != std::string_view::npos) {
        if (is_directory || wanted(rel)) {
          out.skipped.push_back({rel, "name is not valid UTF-8"});
        }
        continue;
      }
      if (is_symlink) {
        fs::path target = fs::canonical(entry.path(), ec);
        if (ec == std::errc::too_many_symbolic_link_levels) {
          out.skipped.push_back({rel, "symlink loop (" + ec.message() + ")"});
          ec.clear();
          continue;
        }
        bool is_dir = !ec && fs::is_directory(target);
        if (!is_dir && !wanted(rel)) {
          ec.clear();
          continue;
        }
        if (ec) {
          out.skipped.push_back({rel, "broken symlink (" + ec.message() + ")"});
          ec.clear();
        } else if (!IsWithin(target, out.root)) {
          out.skipped.push_back({rel, "symlink points outside the root"});
        } else if (is_dir && IsWithin(dir, target)) {
          out.skipped.push_back({rel, "symlink loop (points to its ancestor '" +
                                          RelativeTo(target, out.root) + "')"});
        } else {
          out.skipped.push_back({rel, "symlink to '" + RelativeTo(target, out.root) +
                                          "' inside the root (walked at its real path)"});
        }
        continue;
      }
      if (is_directory) {
        if (!excluded(name)) subdirs.emplace_back(entry.path(), rel);
        continue;
      }
      if (!wanted(rel)) continue;
      if (!is_regular) {
        out.skipped.push_back({rel, "not a regular file"});
        continue;
      }
      out.files.push_back(rel);
    }
    // Push in reverse so folders are visited in name order.
    for (auto i = subdirs.rbegin(); i != subdirs.rend(); ++i) stack.push_back(std::move(*i));
  }
  std::sort(out.files.begin(), out.files.end());
  return out;
}

}  // namespace kg::ingest

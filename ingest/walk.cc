#include "ingest/walk.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <system_error>
#include <utility>

#include "common/system.h"
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

// An entry of a folder listing and its own type (a symlink is not followed).
struct DirEntry {
  enum class Type { kDirectory, kRegular, kSymlink, kOther };
  std::string name;
  Type type;
};

// Lists the folder `rel` ("" for the root itself) below the open root folder `root_fd`: one
// openat and a getdents64 per 64 KiB of entries (std::filesystem::directory_iterator also
// stats the folder and sets descriptor flags, twice the system calls per folder, which showed
// on trees of thousands of folders). Entries come with the type the listing gives (an lstat
// only where the file system gives none); "." and ".." are left out. `buf` is scratch space
// (kListingBytes, as operator new aligns it). On failure, the errno.
constexpr size_t kListingBytes = 64u << 10;
int ListFolder(int root_fd, const std::string& rel, char* buf, std::vector<DirEntry>* out) {
  out->clear();
  UniqueFd fd(::openat(root_fd, rel.empty() ? "." : rel.c_str(),
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) return errno;
  for (;;) {
    ssize_t n = ::getdents64(fd.get(), buf, kListingBytes);
    if (n < 0) return errno;
    if (n == 0) return 0;
    for (ssize_t at = 0; at < n;) {
      const auto* d = reinterpret_cast<const struct dirent64*>(buf + at);
      at += d->d_reclen;
      std::string_view name(d->d_name);
      if (name == "." || name == "..") continue;
      unsigned char type = d->d_type;
      if (type == DT_UNKNOWN) {  // some file systems give no type in the listing
        struct stat st;
        if (::fstatat(fd.get(), d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone
        type = S_ISDIR(st.st_mode)   ? DT_DIR
               : S_ISREG(st.st_mode) ? DT_REG
               : S_ISLNK(st.st_mode) ? DT_LNK
                                     : DT_FIFO;
      }
      out->push_back({std::string(name), type == DT_DIR   ? DirEntry::Type::kDirectory
                                         : type == DT_REG ? DirEntry::Type::kRegular
                                         : type == DT_LNK ? DirEntry::Type::kSymlink
                                                          : DirEntry::Type::kOther});
    }
  }
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

  UniqueFd root_fd(::open(out.root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root_fd.get() < 0) {
    return Status::IOError("cannot open '" + out.root.string() +
                           "': " + std::generic_category().message(errno));
  }
  // Depth-first over relative folders ("" is the root); entries sorted for determinism.
  std::vector<std::string> stack = {""};
  std::vector<DirEntry> entries;
  std::unique_ptr<char[]> listing(new char[kListingBytes]);
  while (!stack.empty()) {
    std::string rel_dir = std::move(stack.back());
    stack.pop_back();
    if (int err = ListFolder(root_fd.get(), rel_dir, listing.get(), &entries); err != 0) {
      out.skipped.push_back({rel_dir.empty() ? "/" : rel_dir,
                             "cannot list folder: " + std::generic_category().message(err)});
      if (entries.empty()) continue;
    }
    std::sort(entries.begin(), entries.end(),
              [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    std::vector<std::string> subdirs;
    for (const DirEntry& entry : entries) {
      const std::string& name = entry.name;
      std::string rel = Join(rel_dir, name);
      const bool is_symlink = entry.type == DirEntry::Type::kSymlink;
      const bool is_directory = entry.type == DirEntry::Type::kDirectory;
      const bool is_regular = entry.type == DirEntry::Type::kRegular;
      if (FindInvalidUtf8(name) != std::string_view::npos) {
        if (is_directory || wanted(rel)) {
          out.skipped.push_back({rel, "name is not valid UTF-8"});
        }
        continue;
      }
      if (is_symlink) {
        const fs::path dir = rel_dir.empty() ? out.root : out.root / rel_dir;
        fs::path target = fs::canonical(dir / name, ec);
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
        if (!excluded(name)) subdirs.push_back(std::move(rel));
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

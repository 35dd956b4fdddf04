#pragma once
// SHA-256 (FIPS 180-4), used for file content hashes (incremental re-ingest).
//
// Sha256 is a streaming hasher: Update() any number of times, then Finish() once. Instances are
// not thread-safe; use one per thread. Sha256Hex() is a pure, thread-safe convenience.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace kg::ingest {

class Sha256 {
 public:
  Sha256();
  // Appends bytes to the message. REQUIRES: Finish() not yet called.
  void Update(std::string_view data);
  // Completes the message and returns the 32-byte digest. REQUIRES: called once.
  std::array<uint8_t, 32> Finish();

 private:
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t length_ = 0;  // bytes hashed so far
};

// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(std::string_view data);

}  // namespace kg::ingest

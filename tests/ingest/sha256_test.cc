#include "ingest/sha256.h"

#include <gtest/gtest.h>

#include <string>

namespace kg::ingest {
namespace {

// FIPS 180-4 / NIST CSHA test vectors.
TEST(Sha256Test, KnownVectors) {
  struct Case {
    std::string input;
    std::string hex;
  };
  const Case cases[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlm"
       "nopqrsmnopqrstnopqrstu",
       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
      {std::string(1000000, 'a'),
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Sha256Hex(c.input), c.hex) << "input of " << c.input.size() << " bytes";
  }
}

// Streaming in pieces that straddle the 64-byte block and the 56-byte padding boundary gives the
// same digest as one Update.
TEST(Sha256Test, StreamingMatchesOneShot) {
  std::string data;
  for (int i = 0; i < 300; ++i) data.push_back(static_cast<char>(i * 7 + 3));
  for (size_t len : {0u, 55u, 56u, 63u, 64u, 65u, 119u, 120u, 300u}) {
    for (size_t piece : {1u, 3u, 63u, 64u, 100u}) {
      Sha256 h;
      for (size_t off = 0; off < len; off += piece)
        h.Update(std::string_view(data).substr(off, std::min(piece, len - off)));
      auto digest = h.Finish();
      static constexpr char kHex[] = "0123456789abcdef";
      std::string hex;
      for (uint8_t b : digest) {
        hex.push_back(kHex[b >> 4]);
        hex.push_back(kHex[b & 15]);
      }
      EXPECT_EQ(hex, Sha256Hex(data.substr(0, len))) << "len " << len << " piece " << piece;
    }
  }
}

}  // namespace
}  // namespace kg::ingest

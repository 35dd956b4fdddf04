#pragma once
// Small, fully specified hashing and pseudo-random helpers for deterministic synthesis.
//
// Everything here is a pure function of its inputs (no global state, no platform dependence), so
// a synth job run with the same seed over the same graph writes byte-identical output on every
// machine. Thread-safe.

#include <cstdint>
#include <string_view>

namespace kg::synth {

// SplitMix64 finalizer (Steele, Lea, Flood 2014): a bijective 64-bit mixer.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a over bytes; stable across platforms.
inline uint64_t Fnv1a64(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// A deterministic 64-bit value for (seed, key): the same pair always yields the same number, and
// changing either changes it unpredictably. Used to pick a wording per record independently of the
// record's position, so adding a class to the graph does not reshuffle other records' wordings.
inline uint64_t SeededHash(uint64_t seed, std::string_view key) {
  return Mix64(seed ^ Mix64(Fnv1a64(key)));
}

}  // namespace kg::synth

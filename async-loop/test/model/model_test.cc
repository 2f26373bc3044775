// The loop's differential test: random operation sequences, each run on the model (model.h) and
// on a real dispatcher, async::Loop or async::TestLoop, must show the same trace: every handler
// call with its status and payload, every operation's status, in the same order.
//
// Environment:
//   PORTLOOP_MODEL_SEED       the seed (decimal); random if unset. Printed at the start.
//   PORTLOOP_MODEL_SEQUENCES  sequences per dispatcher (default: 300000 in the release build,
//                             fewer in unoptimised and sanitized builds; see kDefaultSequences).
//   PORTLOOP_MODEL_FIRST      the number of the first sequence (default 0), to replay one.
//   PORTLOOP_MODEL_VERBOSE    if set, prints each sequence before running it (for crashes).
//
// A difference is shrunk to a shortest failing sequence, which is printed with both traces.
#include "async-loop/test/model/model.h"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "async-loop/test/model/driver.h"
#include "async-loop/test/model/sequence.h"
#include "async-loop/test/model/shrink.h"
#include "async-loop/test/model/trace.h"

namespace loop_model {
namespace {

// Sequences per dispatcher, per test run: in the release build about 5 s for async::Loop and
// 10 s for async::TestLoop on a busy 2-core machine. Unoptimised and sanitized builds are several
// times slower per sequence, so they run fewer: 10 to 20 s per dispatcher.
#if defined(PORTLOOP_TSAN)
constexpr uint64_t kDefaultSequences = 30000;
#elif defined(PORTLOOP_ASAN)
constexpr uint64_t kDefaultSequences = 15000;
#elif !defined(NDEBUG)
constexpr uint64_t kDefaultSequences = 40000;
#else
constexpr uint64_t kDefaultSequences = 300000;
#endif

uint64_t EnvironmentNumber(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') {
    return fallback;
  }
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (*end != '\0') {
    ADD_FAILURE() << name << "=\"" << text << "\" is not a decimal number";
    return fallback;
  }
  return value;
}

uint64_t Seed() {
  static const uint64_t seed = [] {
    std::random_device device;
    const uint64_t drawn = (static_cast<uint64_t>(device()) << 32) | device();
    const uint64_t value = EnvironmentNumber("PORTLOOP_MODEL_SEED", drawn);
    std::printf("PORTLOOP_MODEL_SEED=%" PRIu64 "\n", value);
    return value;
  }();
  return seed;
}

bool Differs(const Sequence& sequence) {
  return FirstDifference(RunModel(sequence), RunImplementation(sequence)) >= 0;
}

std::string Report(uint64_t seed, uint64_t index, const Sequence& failing) {
  const ShrinkResult shrunk = Shrink(failing, Differs);
  const Trace expected = RunModel(shrunk.sequence);
  const Trace actual = RunImplementation(shrunk.sequence);
  char replay[160];
  std::snprintf(replay, sizeof(replay),
                "PORTLOOP_MODEL_SEED=%" PRIu64 " PORTLOOP_MODEL_FIRST=%" PRIu64
                " PORTLOOP_MODEL_SEQUENCES=1",
                seed, index);
  return std::string(FlavorName(failing.flavor)) + " differs from the model on sequence #" +
         std::to_string(index) + ".\nReplay with: " + replay + "\nShortest failing sequence (" +
         std::to_string(CountOps(shrunk.sequence)) + " of " + std::to_string(CountOps(failing)) +
         " operations, " + std::to_string(shrunk.attempts) + " candidates tried), followed by " +
         (failing.flavor == Flavor::kLoop ? "loop.Shutdown()" : "~TestLoop()") + ":\n" +
         PrintSequence(shrunk.sequence) + DescribeDifference(expected, actual);
}

// Runs the configured number of random sequences on `flavor`'s dispatcher; reports the first
// that differs from the model, shrunk.
void CheckRandomSequences(Flavor flavor) {
  const uint64_t seed = Seed();
  const uint64_t first = EnvironmentNumber("PORTLOOP_MODEL_FIRST", 0);
  const uint64_t count = EnvironmentNumber("PORTLOOP_MODEL_SEQUENCES", kDefaultSequences);
  const bool verbose = std::getenv("PORTLOOP_MODEL_VERBOSE") != nullptr;
  const auto start = std::chrono::steady_clock::now();
  uint64_t ops = 0;
  uint64_t lines = 0;
  for (uint64_t index = first; index < first + count; index++) {
    // Each dispatcher gets its own sequences from the same seed.
    std::mt19937_64 random = SequenceRandom(seed, 2 * index + (flavor == Flavor::kLoop ? 0 : 1));
    const Sequence sequence = GenerateSequence(flavor, random);
    if (verbose) {
      std::printf("sequence #%" PRIu64 ":\n%s", index, PrintSequence(sequence).c_str());
      std::fflush(stdout);
    }
    const Trace expected = RunModel(sequence);
    const Trace actual = RunImplementation(sequence);
    ops += CountOps(sequence);
    lines += expected.size();
    if (FirstDifference(expected, actual) >= 0) {
      ADD_FAILURE() << Report(seed, index, sequence);
      return;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s: %" PRIu64 " sequences, %" PRIu64 " operations, %" PRIu64
              " trace lines agree with the model (%.1f s)\n",
              FlavorName(flavor), count, ops, lines, seconds);
}

TEST(LoopModelTest, LoopAgreesWithModelOnRandomSequences) { CheckRandomSequences(Flavor::kLoop); }

TEST(LoopModelTest, TestLoopAgreesWithModelOnRandomSequences) {
  CheckRandomSequences(Flavor::kTestLoop);
}

TEST(LoopModelTest, SameSeedDrawsSameSequences) {
  std::mt19937_64 a = SequenceRandom(42, 7);
  std::mt19937_64 b = SequenceRandom(42, 7);
  std::mt19937_64 c = SequenceRandom(42, 8);
  const Sequence first = GenerateSequence(Flavor::kLoop, a);
  EXPECT_EQ(first, GenerateSequence(Flavor::kLoop, b));
  EXPECT_NE(first, GenerateSequence(Flavor::kLoop, c));
}

}  // namespace
}  // namespace loop_model

#pragma once
// Two-way parallelism for the synthesis pipeline (the job runs on one thread; the machines it
// targets have at least two cores).
//
// RunBoth(cancelled, main, side) runs `main` on the calling thread and `side` on one new thread,
// and returns once both have finished. The two tasks must not share mutable state; callers give
// each its own output and merge the outputs afterwards in a fixed order, so results do not
// depend on scheduling.
//
// Cancellation: a job's `cancelled` callback (SynthObserver::Cancelled) may be called only from
// the job's thread (synth/job.h). Each task receives its own callback instead: `main`'s calls
// the job's callback; `side`'s reads a flag that the calling thread sets once the job's callback
// returned true (while `main` polls it, and every 2 ms while waiting for `side`). Both are empty
// when `cancelled` is empty.
//
// Thread-safe as far as the tasks are.

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <thread>
#include <utility>

namespace kg::synth {

using CancelFn = std::function<bool()>;

template <typename Main, typename Side>
void RunBoth(const CancelFn& cancelled, Main&& main, Side&& side) {
  std::atomic<bool> flag{false};
  CancelFn main_cancelled, side_cancelled;
  if (cancelled) {
    main_cancelled = [&] {
      if (flag.load(std::memory_order_relaxed)) return true;
      if (!cancelled()) return false;
      flag.store(true, std::memory_order_relaxed);
      return true;
    };
    side_cancelled = [&] { return flag.load(std::memory_order_relaxed); };
  }
  std::promise<void> side_done;
  std::future<void> side_finished = side_done.get_future();
  std::thread worker([&] {
    side(static_cast<const CancelFn&>(side_cancelled));
    side_done.set_value();
  });
  main(static_cast<const CancelFn&>(main_cancelled));
  if (cancelled) {
    while (side_finished.wait_for(std::chrono::milliseconds(2)) != std::future_status::ready) {
      if (!flag.load(std::memory_order_relaxed) && cancelled()) {
        flag.store(true, std::memory_order_relaxed);
      }
    }
  }
  worker.join();
}

}  // namespace kg::synth

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
// CPU accounting: the second thread's CPU time is added to HelperCpuMs() of the calling thread,
// so a job can report the CPU time of all its work (job.h "stage_cpu_ms").
//
// Thread-safe as far as the tasks are.

#include <atomic>
#include <chrono>
#include <ctime>
#include <functional>
#include <future>
#include <thread>
#include <utility>

namespace kg::synth {

using CancelFn = std::function<bool()>;

// CPU time of the calling thread, in milliseconds.
inline double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// CPU milliseconds spent so far by the second threads of the RunBoth calls made on this thread.
inline double& HelperCpuMs() {
  thread_local double ms = 0;
  return ms;
}

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
  double side_cpu_ms = 0;
  std::thread worker([&] {
    side(static_cast<const CancelFn&>(side_cancelled));
    side_cpu_ms = ThreadCpuMs();
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
  HelperCpuMs() += side_cpu_ms;
}

}  // namespace kg::synth

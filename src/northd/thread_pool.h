// Internal: threading helpers for CPU-bound work: a fork-join loop on immutable inputs, and
// destruction of large structures off the caller's critical path.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <thread>

namespace ovnx::northd {

// Runs fn(i) for i in [0, n) on up to `threads` threads (the caller's included) and returns when
// all are done. Work is handed out one index at a time, so uneven items balance out. `fn` must
// not throw and must be safe to run concurrently for different i.
void parallel_for(size_t n, unsigned threads, const std::function<void(size_t)>& fn);

// Destroys what it is handed on a thread of its own, one object at a time: handing over the next
// (and destroying the releaser) first waits until the previous one is gone, so nothing outlives
// its owner and at most one release runs. The object must be referenced by no one else, and its
// destructor must be safe to run on another thread (it only frees memory it owns).
class BackgroundRelease {
 public:
  BackgroundRelease() = default;
  BackgroundRelease(const BackgroundRelease&) = delete;
  BackgroundRelease& operator=(const BackgroundRelease&) = delete;
  ~BackgroundRelease() { wait(); }

  template <class T>
  void release(std::unique_ptr<T> object) {
    if (!object) return;
    wait();
    worker_ = std::thread([object = std::move(object)]() mutable { object.reset(); });
  }
  // Returns once the last object handed over is destroyed.
  void wait() {
    if (worker_.joinable()) worker_.join();
  }

 private:
  std::thread worker_;
};

}  // namespace ovnx::northd

// Internal: a fork-join helper for CPU-bound work on immutable inputs.
#pragma once

#include <cstddef>
#include <functional>

namespace ovnx::northd {

// Runs fn(i) for i in [0, n) on up to `threads` threads (the caller's included) and returns when
// all are done. Work is handed out one index at a time, so uneven items balance out. `fn` must
// not throw and must be safe to run concurrently for different i.
void parallel_for(size_t n, unsigned threads, const std::function<void(size_t)>& fn);

}  // namespace ovnx::northd

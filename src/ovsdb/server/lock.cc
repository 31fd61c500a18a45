#include "ovsdb/server/lock.h"

#include <algorithm>

namespace ovnx::ovsdb::server {

bool LockTable::lock(LockWaiter* waiter, const std::string& name) {
  std::deque<LockWaiter*>& q = locks_[name];
  q.push_back(waiter);
  return q.front() == waiter;
}

void LockTable::steal(LockWaiter* waiter, const std::string& name) {
  std::deque<LockWaiter*>& q = locks_[name];
  auto it = std::find(q.begin(), q.end(), waiter);
  if (it != q.end()) q.erase(it);
  LockWaiter* victim = q.empty() ? nullptr : q.front();
  q.push_front(waiter);
  if (victim) victim->lock_stolen(name);
}

void LockTable::unlock(LockWaiter* waiter, const std::string& name) {
  auto lock = locks_.find(name);
  if (lock == locks_.end()) return;
  std::deque<LockWaiter*>& q = lock->second;
  auto it = std::find(q.begin(), q.end(), waiter);
  if (it == q.end()) return;
  bool was_owner = it == q.begin();
  q.erase(it);
  if (q.empty()) {
    locks_.erase(lock);
    return;
  }
  if (was_owner) q.front()->lock_acquired(name);
}

bool LockTable::owns(const LockWaiter* waiter, const std::string& name) const {
  auto it = locks_.find(name);
  return it != locks_.end() && !it->second.empty() && it->second.front() == waiter;
}

}  // namespace ovnx::ovsdb::server

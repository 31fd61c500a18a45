// Locks (RFC 7047 section 4.1.8 to 4.1.10): named, advisory, owned by one client at a time,
// with a queue of waiting clients. "steal" takes a lock from its owner at once; the victim
// stays queued and gets the lock back when the thief releases it.
#pragma once

#include <deque>
#include <string>
#include <unordered_map>

namespace ovnx::ovsdb::server {

// A client that can wait for locks; told when it gains or loses one.
class LockWaiter {
 public:
  virtual ~LockWaiter() = default;
  virtual void lock_acquired(const std::string& name) = 0;
  virtual void lock_stolen(const std::string& name) = 0;
};

class LockTable {
 public:
  // Queues WAITER for NAME; true if it owns the lock now.
  bool lock(LockWaiter* waiter, const std::string& name);
  // Makes WAITER the owner at once; the previous owner (if any) is told it was stolen.
  void steal(LockWaiter* waiter, const std::string& name);
  // Removes WAITER from NAME's queue; the next waiter, if WAITER owned it, becomes the owner.
  void unlock(LockWaiter* waiter, const std::string& name);
  bool owns(const LockWaiter* waiter, const std::string& name) const;
  size_t size() const { return locks_.size(); }

 private:
  std::unordered_map<std::string, std::deque<LockWaiter*>> locks_;  // front owns
};

}  // namespace ovnx::ovsdb::server

// The record layer of OVSDB's standalone file format (ovsdb(5)): each record is a header line
// "OVSDB JSON <length> <sha1>" and then <length> bytes of JSON ending in a newline, whose SHA-1
// (newline included) is <sha1>. Records are only ever appended; a write that fails part way is
// cut off again so the file always ends with a whole record.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace ovnx::ovsdb::server {

// Header and body of one record holding JSON_TEXT (which must not contain a raw newline).
std::string frame_record(std::string_view json_text);

// Iterates over the records of a file's contents.
class RecordReader {
 public:
  explicit RecordReader(std::string_view data) : data_(data) {}
  // The next record's JSON text; nullopt at the end of the data; an error ("syntax error")
  // describing a torn or corrupt record, after which good_end() is where the damage starts.
  Result<std::optional<std::string_view>> next();
  size_t good_end() const { return good_end_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  size_t good_end_ = 0;
};

// An open log file for appending, with the advisory lock OVSDB tools take on a database file
// (so two programs never write one file).
class LogFile {
 public:
  ~LogFile();
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;

  // Opens PATH for appending at offset SIZE (the end of its last good record), truncating
  // anything after it. Takes the lock unless it is already held by this process.
  static Result<std::unique_ptr<LogFile>> open(const std::string& path, uint64_t size);
  // Creates PATH (which must not exist) holding only the given records.
  static Status create(const std::string& path, std::string_view records);
  // Reads a whole file.
  static Result<std::string> read_all(const std::string& path);

  // Appends framed RECORDS; with DURABLE, also fsyncs before returning.
  Status append(std::string_view records, bool durable);
  // Replaces the file atomically with CONTENTS (written to a temporary file, synced, renamed).
  Status replace(std::string_view contents);

  const std::string& path() const { return path_; }
  uint64_t size() const { return size_; }

 private:
  LogFile() = default;
  std::string path_;
  int fd_ = -1;
  int lock_fd_ = -1;
  std::string lock_path_;
  uint64_t size_ = 0;
  bool broken_ = false;  // a failed write could not be undone: refuse further writes
};

// The lock file OVSDB tools use for PATH: "<dir>/.<name>.~lock~".
std::string lock_file_path(const std::string& path);

}  // namespace ovnx::ovsdb::server

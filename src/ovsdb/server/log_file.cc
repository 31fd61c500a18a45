#include "ovsdb/server/log_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "base/log.h"

OVNX_LOG_MODULE(ovsdb_log);

namespace ovnx::ovsdb::server {

namespace {

constexpr std::string_view kMagic = "OVSDB JSON ";

std::string sha1_hex(std::string_view data) {
  // Fetching the algorithm on every call (as the one-shot SHA1() does) costs more than hashing
  // a typical record: keep one context.
  struct Hasher {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Hasher() {
      EVP_MD_CTX_free(ctx);
      EVP_MD_free(md);
    }
  };
  thread_local Hasher h;
  unsigned char digest[SHA_DIGEST_LENGTH];
  unsigned int len = 0;
  if (!h.md || !h.ctx || !EVP_DigestInit_ex(h.ctx, h.md, nullptr) ||
      !EVP_DigestUpdate(h.ctx, data.data(), data.size()) ||
      !EVP_DigestFinal_ex(h.ctx, digest, &len)) {
    SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(2 * SHA_DIGEST_LENGTH, '0');
  for (int i = 0; i < SHA_DIGEST_LENGTH; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
  return out;
}

Error io_error(const std::string& what, int err) {
  return make_error("I/O error", fmt::format("{}: {}", what, std::strerror(err)));
}

Status write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error(path + ": write failed", errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

std::string dir_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

void fsync_dir(const std::string& path) {
  int fd = ::open(dir_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

std::string lock_file_path(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return dir + "." + name + ".~lock~";
}

std::string frame_record(std::string_view json_text) {
  // Header first, then the body and its newline, hashed in place: one buffer, no copies.
  std::string out;
  out.reserve(json_text.size() + 72);
  out.append(kMagic);
  char len[24];
  auto [end, ec] = std::to_chars(len, len + sizeof len, json_text.size() + 1);
  out.append(len, static_cast<size_t>(end - len));
  out.push_back(' ');
  size_t hash_at = out.size();
  out.append(40, '0');
  out.push_back('\n');
  size_t body_at = out.size();
  out.append(json_text);
  out.push_back('\n');
  std::string hash = sha1_hex(std::string_view(out).substr(body_at));
  out.replace(hash_at, 40, hash);
  return out;
}

Result<std::optional<std::string_view>> RecordReader::next() {
  if (pos_ >= data_.size()) return std::optional<std::string_view>();
  std::string_view rest = data_.substr(pos_);
  size_t nl = rest.find('\n');
  if (nl == std::string_view::npos || nl > 200) {
    return make_error("syntax error", fmt::format("offset {}: incomplete record header", pos_));
  }
  std::string_view header = rest.substr(0, nl);
  if (header.substr(0, kMagic.size()) != kMagic) {
    return make_error("syntax error", fmt::format("offset {}: record does not begin with "
                                                  "\"OVSDB JSON\"", pos_));
  }
  std::string_view fields = header.substr(kMagic.size());
  size_t sp = fields.find(' ');
  if (sp == std::string_view::npos) {
    return make_error("syntax error", fmt::format("offset {}: bad record header", pos_));
  }
  uint64_t length = 0;
  auto [p, ec] = std::from_chars(fields.data(), fields.data() + sp, length);
  std::string_view hash = fields.substr(sp + 1);
  if (ec != std::errc() || p != fields.data() + sp || hash.size() != 40) {
    return make_error("syntax error", fmt::format("offset {}: bad record header", pos_));
  }
  if (length > rest.size() - nl - 1) {
    return make_error("syntax error",
                      fmt::format("offset {}: record of {} bytes is truncated (file ends after "
                                  "{} bytes)", pos_, length, rest.size() - nl - 1));
  }
  std::string_view body = rest.substr(nl + 1, length);
  std::string actual = sha1_hex(body);
  if (actual != hash) {
    return make_error("syntax error",
                      fmt::format("offset {}: {} bytes have SHA-1 hash {} but should have hash "
                                  "{}", pos_, length, actual, hash));
  }
  pos_ += nl + 1 + length;
  good_end_ = pos_;
  if (!body.empty() && body.back() == '\n') body.remove_suffix(1);
  return std::optional<std::string_view>(body);
}

LogFile::~LogFile() {
  if (fd_ >= 0) ::close(fd_);
  if (lock_fd_ >= 0) {
    ::unlink(lock_path_.c_str());
    ::close(lock_fd_);
  }
}

Result<std::string> LogFile::read_all(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error(path + ": open failed", errno);
  std::string data;
  struct stat st;
  if (fstat(fd, &st) == 0 && st.st_size > 0) data.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return io_error(path + ": read failed", err);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return data;
}

Result<std::unique_ptr<LogFile>> LogFile::open(const std::string& path, uint64_t size) {
  std::unique_ptr<LogFile> f(new LogFile());
  f->path_ = path;
  f->lock_path_ = lock_file_path(path);
  f->lock_fd_ = ::open(f->lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (f->lock_fd_ < 0) return io_error(f->lock_path_ + ": cannot create lock file", errno);
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  if (fcntl(f->lock_fd_, F_SETLK, &fl) != 0) {
    int err = errno;
    ::close(f->lock_fd_);
    f->lock_fd_ = -1;
    return make_error("I/O error", fmt::format("{}: database is locked by another process ({})",
                                               path, std::strerror(err)));
  }
  f->fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (f->fd_ < 0) return io_error(path + ": open failed", errno);
  struct stat st;
  if (fstat(f->fd_, &st) == 0 && static_cast<uint64_t>(st.st_size) > size) {
    LOG_WARN("{}: truncating {} bytes of damaged data at offset {}", path,
             static_cast<uint64_t>(st.st_size) - size, size);
    if (ftruncate(f->fd_, static_cast<off_t>(size)) != 0) {
      return io_error(path + ": truncate failed", errno);
    }
    ::fsync(f->fd_);
  }
  if (lseek(f->fd_, static_cast<off_t>(size), SEEK_SET) < 0) {
    return io_error(path + ": seek failed", errno);
  }
  f->size_ = size;
  return f;
}

Status LogFile::create(const std::string& path, std::string_view records) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return io_error(path + ": create failed", errno);
  Status st = write_all(fd, records, path);
  if (st.ok() && ::fsync(fd) != 0) st = io_error(path + ": fsync failed", errno);
  ::close(fd);
  if (!st.ok()) {
    ::unlink(path.c_str());
    return st;
  }
  fsync_dir(path);
  return {};
}

Status LogFile::append(std::string_view records, bool durable) {
  if (broken_) return make_error("I/O error", path_ + ": log is unusable after a failed write");
  Status st = write_all(fd_, records, path_);
  if (!st.ok()) {
    // Never leave a partial record behind: later records would be unreachable.
    if (ftruncate(fd_, static_cast<off_t>(size_)) != 0 ||
        lseek(fd_, static_cast<off_t>(size_), SEEK_SET) < 0) {
      broken_ = true;
    }
    return st;
  }
  if (durable && ::fsync(fd_) != 0) {
    // The transaction fails, so its record must not come back at the next start.
    Status failed = io_error(path_ + ": fsync failed", errno);
    if (ftruncate(fd_, static_cast<off_t>(size_)) != 0 ||
        lseek(fd_, static_cast<off_t>(size_), SEEK_SET) < 0) {
      broken_ = true;
    }
    return failed;
  }
  size_ += records.size();
  return {};
}

Status LogFile::replace(std::string_view contents) {
  std::string tmp = path_ + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return io_error(tmp + ": create failed", errno);
  struct stat st;
  if (::fstat(fd_, &st) == 0) fchmod(fd, st.st_mode & 07777);
  Status s = write_all(fd, contents, tmp);
  if (s.ok() && ::fsync(fd) != 0) s = io_error(tmp + ": fsync failed", errno);
  if (!s.ok()) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  }
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return io_error(path_ + ": rename failed", err);
  }
  fsync_dir(path_);
  ::close(fd_);
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) {
    broken_ = true;
    return io_error(path_ + ": reopen failed", errno);
  }
  ::close(fd);
  size_ = contents.size();
  broken_ = false;
  return {};
}

}  // namespace ovnx::ovsdb::server

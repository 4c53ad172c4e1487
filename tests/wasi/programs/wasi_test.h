/* Shared helpers for the WASI preview1 conformance programs.
 *
 * Everything printed must be deterministic: errno values are printed by
 * symbolic name, never raw timestamps, inode or device numbers, or host paths.
 * stdout is made line buffered so output interleaves correctly with raw
 * __wasi_fd_write calls on fd 1 and survives a trap. */
#ifndef WASI_TEST_H
#define WASI_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasi/api.h>

static const char *const ERRNO_NAMES[] = {
    "SUCCESS", "2BIG", "ACCES", "ADDRINUSE", "ADDRNOTAVAIL", "AFNOSUPPORT",
    "AGAIN", "ALREADY", "BADF", "BADMSG", "BUSY", "CANCELED", "CHILD",
    "CONNABORTED", "CONNREFUSED", "CONNRESET", "DEADLK", "DESTADDRREQ", "DOM",
    "DQUOT", "EXIST", "FAULT", "FBIG", "HOSTUNREACH", "IDRM", "ILSEQ",
    "INPROGRESS", "INTR", "INVAL", "IO", "ISCONN", "ISDIR", "LOOP", "MFILE",
    "MLINK", "MSGSIZE", "MULTIHOP", "NAMETOOLONG", "NETDOWN", "NETRESET",
    "NETUNREACH", "NFILE", "NOBUFS", "NODEV", "NOENT", "NOEXEC", "NOLCK",
    "NOLINK", "NOMEM", "NOMSG", "NOPROTOOPT", "NOSPC", "NOSYS", "NOTCONN",
    "NOTDIR", "NOTEMPTY", "NOTRECOVERABLE", "NOTSOCK", "NOTSUP", "NOTTY",
    "NXIO", "OVERFLOW", "OWNERDEAD", "PERM", "PIPE", "PROTO",
    "PROTONOSUPPORT", "PROTOTYPE", "RANGE", "ROFS", "SPIPE", "SRCH", "STALE",
    "TIMEDOUT", "TXTBSY", "XDEV", "NOTCAPABLE",
};

static inline const char *ename(int e) {
  static char buf[32];
  if (e >= 0 && e < (int)(sizeof ERRNO_NAMES / sizeof ERRNO_NAMES[0]))
    return e == 0 ? "ok" : ERRNO_NAMES[e];
  snprintf(buf, sizeof buf, "errno(%d)", e);
  return buf;
}

/* "label: ok" / "label: NOENT" */
static inline int show(const char *label, int e) {
  printf("%s: %s\n", label, ename(e));
  return e;
}
#define T(label, call) show(label, (int)(call))

static inline const char *yn(int b) { return b ? "yes" : "no"; }

static inline const char *ftname(int t) {
  static const char *n[] = {"UNKNOWN", "BLOCK_DEVICE", "CHARACTER_DEVICE",
                            "DIRECTORY", "REGULAR_FILE", "SOCKET_DGRAM",
                            "SOCKET_STREAM", "SYMBOLIC_LINK"};
  return (t >= 0 && t < 8) ? n[t] : "?";
}

static inline void setup_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

/* Find the preopened directory whose guest name is `name`; exit(99) if absent. */
static inline __wasi_fd_t find_preopen(const char *name) {
  for (__wasi_fd_t fd = 3; fd < 64; fd++) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(fd, &ps) != 0) continue;
    char buf[256];
    if (ps.u.dir.pr_name_len >= sizeof buf) continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len)) continue;
    buf[ps.u.dir.pr_name_len] = 0;
    if (strcmp(buf, name) == 0) return fd;
  }
  printf("preopen %s not found\n", name);
  exit(99);
}

#define RW_RIGHTS                                                              \
  (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_SEEK |     \
   __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_FILESTAT_GET |                     \
   __WASI_RIGHTS_FD_FILESTAT_SET_SIZE | __WASI_RIGHTS_FD_FILESTAT_SET_TIMES)
/* All rights except FD_WRITE (asking for FD_WRITE on a directory is EISDIR). */
#define DIR_RIGHTS ((__wasi_rights_t)0x0FFFFFFF & ~(__wasi_rights_t)__WASI_RIGHTS_FD_WRITE)

/* Open (creating/truncating) `path` under `dir` for read+write; -1 on error. */
static inline int64_t open_rw(__wasi_fd_t dir, const char *path, __wasi_oflags_t of) {
  __wasi_fd_t fd;
  int e = __wasi_path_open(dir, 0, path, of, RW_RIGHTS, RW_RIGHTS, 0, &fd);
  if (e) { printf("open_rw %s: %s\n", path, ename(e)); return -1; }
  return fd;
}

/* Write a whole string with one fd_write; returns errno. */
static inline int write_str(__wasi_fd_t fd, const char *s) {
  __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
  __wasi_size_t n;
  return __wasi_fd_write(fd, &iov, 1, &n);
}

/* Create file `path` under dir with contents `s`. */
static inline void make_file(__wasi_fd_t dir, const char *path, const char *s) {
  int64_t fd = open_rw(dir, path, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC);
  if (fd < 0) return;
  if (write_str((__wasi_fd_t)fd, s)) printf("make_file write failed\n");
  (void)__wasi_fd_close((__wasi_fd_t)fd);
}

/* Print bytes with C-style escapes for non-printables. */
static inline void print_bytes(const char *label, const uint8_t *b, size_t n) {
  printf("%s: \"", label);
  for (size_t i = 0; i < n; i++) {
    uint8_t c = b[i];
    if (c == '\\' || c == '"') printf("\\%c", c);
    else if (c >= 0x20 && c < 0x7f) putchar(c);
    else if (c == '\n') printf("\\n");
    else printf("\\x%02x", c);
  }
  printf("\" (%zu)\n", n);
}

/* Read the whole file at `path` (up to 4 KiB) and print it. */
static inline void cat(__wasi_fd_t dir, const char *path) {
  __wasi_fd_t fd;
  int e = __wasi_path_open(dir, 0, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  char label[300];
  snprintf(label, sizeof label, "cat %s", path);
  if (e) { show(label, e); return; }
  uint8_t buf[4096];
  __wasi_iovec_t iov = {buf, sizeof buf};
  __wasi_size_t n = 0;
  e = __wasi_fd_pread(fd, &iov, 1, 0, &n);
  if (e) show(label, e); else print_bytes(label, buf, n);
  (void)__wasi_fd_close(fd);
}

/* Raw imports taking explicit (pointer, length) pairs as plain integers, so
 * tests can pass non-NUL-terminated, invalid-UTF-8 or out-of-bounds values. */
#define WASI_IMPORT(name)                                                     \
  __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len,
                      int32_t oflags, int64_t rights_base, int64_t rights_inh,
                      int32_t fdflags, int32_t retptr) WASI_IMPORT(path_open);
int32_t raw_path_create_directory(int32_t fd, int32_t path, int32_t path_len)
    WASI_IMPORT(path_create_directory);
int32_t raw_path_filestat_get(int32_t fd, int32_t flags, int32_t path,
                              int32_t path_len, int32_t retptr)
    WASI_IMPORT(path_filestat_get);
int32_t raw_path_unlink_file(int32_t fd, int32_t path, int32_t path_len)
    WASI_IMPORT(path_unlink_file);
int32_t raw_path_symlink(int32_t old_path, int32_t old_len, int32_t fd,
                         int32_t new_path, int32_t new_len) WASI_IMPORT(path_symlink);
int32_t raw_path_readlink(int32_t fd, int32_t path, int32_t path_len, int32_t buf,
                          int32_t buf_len, int32_t retptr) WASI_IMPORT(path_readlink);
int32_t raw_fd_write(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t retptr)
    WASI_IMPORT(fd_write);
int32_t raw_fd_read(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t retptr)
    WASI_IMPORT(fd_read);
int32_t raw_fd_seek(int32_t fd, int64_t offset, int32_t whence, int32_t retptr)
    WASI_IMPORT(fd_seek);
int32_t raw_fd_tell(int32_t fd, int32_t retptr) WASI_IMPORT(fd_tell);
int32_t raw_fd_advise(int32_t fd, int64_t offset, int64_t len, int32_t advice)
    WASI_IMPORT(fd_advise);
int32_t raw_fd_fdstat_get(int32_t fd, int32_t retptr) WASI_IMPORT(fd_fdstat_get);
int32_t raw_fd_fdstat_set_flags(int32_t fd, int32_t flags) WASI_IMPORT(fd_fdstat_set_flags);
int32_t raw_fd_fdstat_set_rights(int32_t fd, int64_t base, int64_t inh)
    WASI_IMPORT(fd_fdstat_set_rights);
int32_t raw_fd_filestat_get(int32_t fd, int32_t retptr) WASI_IMPORT(fd_filestat_get);
int32_t raw_fd_filestat_set_times(int32_t fd, int64_t atim, int64_t mtim, int32_t flags)
    WASI_IMPORT(fd_filestat_set_times);
int32_t raw_path_filestat_set_times(int32_t fd, int32_t flags, int32_t path,
                                    int32_t path_len, int64_t atim, int64_t mtim,
                                    int32_t fst_flags) WASI_IMPORT(path_filestat_set_times);
int32_t raw_fd_prestat_get(int32_t fd, int32_t retptr) WASI_IMPORT(fd_prestat_get);
int32_t raw_fd_prestat_dir_name(int32_t fd, int32_t buf, int32_t len)
    WASI_IMPORT(fd_prestat_dir_name);
int32_t raw_fd_readdir(int32_t fd, int32_t buf, int32_t buf_len, int64_t cookie,
                       int32_t retptr) WASI_IMPORT(fd_readdir);
int32_t raw_fd_pread(int32_t fd, int32_t iovs, int32_t iovs_len, int64_t off, int32_t retptr)
    WASI_IMPORT(fd_pread);
int32_t raw_fd_pwrite(int32_t fd, int32_t iovs, int32_t iovs_len, int64_t off, int32_t retptr)
    WASI_IMPORT(fd_pwrite);
int32_t raw_clock_time_get(int32_t id, int64_t precision, int32_t retptr)
    WASI_IMPORT(clock_time_get);
int32_t raw_clock_res_get(int32_t id, int32_t retptr) WASI_IMPORT(clock_res_get);
int32_t raw_args_get(int32_t argv, int32_t buf) WASI_IMPORT(args_get);
int32_t raw_args_sizes_get(int32_t argc, int32_t bufsz) WASI_IMPORT(args_sizes_get);
int32_t raw_environ_get(int32_t env, int32_t buf) WASI_IMPORT(environ_get);
int32_t raw_environ_sizes_get(int32_t n, int32_t bufsz) WASI_IMPORT(environ_sizes_get);
int32_t raw_random_get(int32_t buf, int32_t len) WASI_IMPORT(random_get);
int32_t raw_poll_oneoff(int32_t in, int32_t out, int32_t n, int32_t retptr)
    WASI_IMPORT(poll_oneoff);
int32_t raw_proc_raise(int32_t sig) WASI_IMPORT(proc_raise);
void raw_proc_exit(int32_t code) WASI_IMPORT(proc_exit);
int32_t raw_path_link(int32_t old_fd, int32_t old_flags, int32_t old_path, int32_t old_len,
                      int32_t new_fd, int32_t new_path, int32_t new_len) WASI_IMPORT(path_link);
int32_t raw_path_rename(int32_t fd, int32_t old_path, int32_t old_len, int32_t new_fd,
                        int32_t new_path, int32_t new_len) WASI_IMPORT(path_rename);
int32_t raw_path_remove_directory(int32_t fd, int32_t path, int32_t path_len)
    WASI_IMPORT(path_remove_directory);
int32_t raw_sock_accept(int32_t fd, int32_t flags, int32_t retptr) WASI_IMPORT(sock_accept);
int32_t raw_sock_recv(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t riflags,
                      int32_t ret_n, int32_t ret_flags) WASI_IMPORT(sock_recv);
int32_t raw_sock_send(int32_t fd, int32_t iovs, int32_t iovs_len, int32_t siflags,
                      int32_t retptr) WASI_IMPORT(sock_send);
int32_t raw_sock_shutdown(int32_t fd, int32_t how) WASI_IMPORT(sock_shutdown);

#define P(x) ((int32_t)(uintptr_t)(x))

#endif

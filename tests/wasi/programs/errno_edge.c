// errno_edge: every fd-taking call against every kind of descriptor (stdin,
// stdout, stderr, regular file, opened directory, preopen, never-opened fd),
// invalid UTF-8 and over-long paths, argument-check ordering, pointer edge
// cases that return instead of trapping, and calls on a closed preopen.
// (Invalid enum/flag values and out-of-bounds pointers that do end the program
// are in fatal.c.)
//
// run: errno_edge
// dir: sandbox /sandbox
// setup: mkdir sandbox
#include "wasi_test.h"

static __wasi_fd_t D;
static uint64_t u64buf[8];
static uint8_t buf[256];

/* ---- one call per function, parameterised by the fd under test ---- */
#define OP(name) static int op_##name(__wasi_fd_t fd)
OP(fd_advise) { return __wasi_fd_advise(fd, 0, 0, __WASI_ADVICE_NORMAL); }
OP(fd_allocate) { return __wasi_fd_allocate(fd, 0, 1); }
OP(fd_datasync) { return __wasi_fd_datasync(fd); }
OP(fd_fdstat_get) { return __wasi_fd_fdstat_get(fd, (__wasi_fdstat_t *)u64buf); }
OP(fd_fdstat_set_flags) { return __wasi_fd_fdstat_set_flags(fd, 0); }
OP(fd_fdstat_set_rights) { return __wasi_fd_fdstat_set_rights(fd, 0, 0); }
OP(fd_filestat_get) { return __wasi_fd_filestat_get(fd, (__wasi_filestat_t *)u64buf); }
OP(fd_filestat_set_size) { return __wasi_fd_filestat_set_size(fd, 0); }
OP(fd_filestat_set_times) { return __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW); }
OP(fd_pread) {
  __wasi_iovec_t iov = {buf, 4};
  return __wasi_fd_pread(fd, &iov, 1, 0, (__wasi_size_t *)u64buf);
}
OP(fd_prestat_get) { return __wasi_fd_prestat_get(fd, (__wasi_prestat_t *)u64buf); }
OP(fd_prestat_dir_name) { return __wasi_fd_prestat_dir_name(fd, buf, sizeof buf); }
OP(fd_pwrite) {
  __wasi_ciovec_t iov = {(const uint8_t *)"", 0};
  return __wasi_fd_pwrite(fd, &iov, 1, 0, (__wasi_size_t *)u64buf);
}
OP(fd_read) {
  __wasi_iovec_t iov = {buf, 4};
  return __wasi_fd_read(fd, &iov, 1, (__wasi_size_t *)u64buf);
}
OP(fd_readdir) { return __wasi_fd_readdir(fd, buf, sizeof buf, 0, (__wasi_size_t *)u64buf); }
OP(fd_renumber_self) { return __wasi_fd_renumber(fd, fd); }
OP(fd_renumber_to_bad) { return __wasi_fd_renumber(fd, 77); }
OP(fd_seek) { return __wasi_fd_seek(fd, 0, __WASI_WHENCE_CUR, (__wasi_filesize_t *)u64buf); }
OP(fd_sync) { return __wasi_fd_sync(fd); }
OP(fd_tell) { return __wasi_fd_tell(fd, (__wasi_filesize_t *)u64buf); }
OP(fd_write) {
  __wasi_ciovec_t iov = {(const uint8_t *)"", 0};
  return __wasi_fd_write(fd, &iov, 1, (__wasi_size_t *)u64buf);
}
OP(path_create_directory) {
  int e = __wasi_path_create_directory(fd, "m_dir");
  if (!e) (void)__wasi_path_remove_directory(fd, "m_dir");
  return e;
}
OP(path_filestat_get) { return __wasi_path_filestat_get(fd, 0, "missing", (__wasi_filestat_t *)u64buf); }
OP(path_filestat_set_times) { return __wasi_path_filestat_set_times(fd, 0, "missing", 0, 0, __WASI_FSTFLAGS_MTIM_NOW); }
OP(path_link_old) { return __wasi_path_link(fd, 0, "missing", D, "m_link"); }
OP(path_link_new) { return __wasi_path_link(D, 0, "file", fd, "m_link"); }
OP(path_open) {
  __wasi_fd_t out;
  return __wasi_path_open(fd, 0, "missing", 0, __WASI_RIGHTS_FD_READ, 0, 0, &out);
}
OP(path_readlink) { return __wasi_path_readlink(fd, "missing", buf, sizeof buf, (__wasi_size_t *)u64buf); }
OP(path_remove_directory) { return __wasi_path_remove_directory(fd, "missing"); }
OP(path_rename_old) { return __wasi_path_rename(fd, "missing", D, "m_renamed"); }
OP(path_rename_new) { return __wasi_path_rename(D, "missing", fd, "m_renamed"); }
OP(path_symlink) {
  int e = __wasi_path_symlink("target", fd, "m_sym");
  if (!e) (void)__wasi_path_unlink_file(fd, "m_sym");
  return e;
}
OP(path_unlink_file) { return __wasi_path_unlink_file(fd, "missing"); }
static int poll1(__wasi_fd_t fd, __wasi_eventtype_t type) {
  __wasi_subscription_t s[2];
  __wasi_event_t ev[2];
  memset(s, 0, sizeof s);
  s[0].userdata = 1;
  s[0].u.tag = type;
  s[0].u.u.fd_read.file_descriptor = fd;
  /* A long clock so a never-ready fd cannot hang the test. */
  s[1].userdata = 2;
  s[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  s[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s[1].u.u.clock.timeout = 5000000000ull;
  __wasi_size_t n = 0;
  int e = __wasi_poll_oneoff(s, ev, 2, &n);
  if (e) return e;
  if (n != 1 || ev[0].userdata != 1) return -1000 - (int)n;
  return ev[0].error;
}
OP(poll_fd_read) { return poll1(fd, __WASI_EVENTTYPE_FD_READ); }
OP(poll_fd_write) { return poll1(fd, __WASI_EVENTTYPE_FD_WRITE); }
OP(sock_accept) { return __wasi_sock_accept(fd, 0, (__wasi_fd_t *)u64buf); }
OP(sock_recv) {
  __wasi_iovec_t iov = {buf, 4};
  return __wasi_sock_recv(fd, &iov, 1, 0, (__wasi_size_t *)u64buf, (__wasi_roflags_t *)(u64buf + 1));
}
OP(sock_send) {
  __wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
  return __wasi_sock_send(fd, &iov, 1, 0, (__wasi_size_t *)u64buf);
}
OP(sock_shutdown) { return __wasi_sock_shutdown(fd, __WASI_SDFLAGS_RD | __WASI_SDFLAGS_WR); }

static const struct { const char *name; int (*fn)(__wasi_fd_t); } OPS[] = {
#define E(n) {#n, op_##n}
    E(fd_advise), E(fd_allocate), E(fd_datasync), E(fd_fdstat_get), E(fd_fdstat_set_flags),
    E(fd_fdstat_set_rights), E(fd_filestat_get), E(fd_filestat_set_size),
    E(fd_filestat_set_times), E(fd_pread), E(fd_prestat_get), E(fd_prestat_dir_name),
    E(fd_pwrite), E(fd_read), E(fd_readdir), E(fd_renumber_self), E(fd_renumber_to_bad),
    E(fd_seek), E(fd_sync), E(fd_tell), E(fd_write), E(path_create_directory),
    E(path_filestat_get), E(path_filestat_set_times), E(path_link_old), E(path_link_new),
    E(path_open), E(path_readlink), E(path_remove_directory), E(path_rename_old),
    E(path_rename_new), E(path_symlink), E(path_unlink_file), E(poll_fd_read),
    E(poll_fd_write), E(sock_accept), E(sock_recv), E(sock_send), E(sock_shutdown),
#undef E
};

static void matrix(void) {
  printf("== descriptor kind matrix\n");
  __wasi_fd_t file, dir;
  make_file(D, "file", "file contents");
  (void)__wasi_path_create_directory(D, "dir");
  if (__wasi_path_open(D, 0, "file", 0, RW_RIGHTS, RW_RIGHTS, 0, &file) ||
      __wasi_path_open(D, 0, "dir", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, DIR_RIGHTS, 0, &dir)) {
    printf("setup failed\n");
    exit(1);
  }
  const struct { const char *name; __wasi_fd_t fd; } kinds[] = {
      {"stdin", 0}, {"stdout", 1}, {"stderr", 2}, {"file", file},
      {"dir", dir}, {"preopen", D}, {"bad", 77}, {"max", 0xffffffffu}};
  for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
    printf("%-24s", OPS[i].name);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
      int e = OPS[i].fn(kinds[k].fd);
      printf(" %s=%s", kinds[k].name, e < -999 ? "NOT-READY" : ename(e));
    }
    printf("\n");
  }
  (void)__wasi_fd_close(file);
  (void)__wasi_fd_close(dir);
}

/* ---- paths: invalid UTF-8, NUL bytes, long names, check ordering ---- */
static void paths(void) {
  printf("\n== paths\n");
  static const char bad_utf8[] = "bad\xff\xfe";
  const int32_t bp = P(bad_utf8), bl = 5;
  T("path_open invalid utf-8", raw_path_open(D, 0, bp, bl, __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0, P(u64buf)));
  T("path_open bad fd + invalid utf-8", raw_path_open(77, 0, bp, bl, 0, RW_RIGHTS, 0, 0, P(u64buf)));
  T("path_open file fd + invalid utf-8", raw_path_open(0, 0, bp, bl, 0, RW_RIGHTS, 0, 0, P(u64buf)));
  T("create_directory invalid utf-8", raw_path_create_directory(D, bp, bl));
  T("create_directory bad fd + invalid utf-8", raw_path_create_directory(77, bp, bl));
  T("filestat_get invalid utf-8", raw_path_filestat_get(D, 0, bp, bl, P(u64buf)));
  T("unlink_file invalid utf-8", raw_path_unlink_file(D, bp, bl));
  T("remove_directory invalid utf-8", raw_path_remove_directory(D, bp, bl));
  T("symlink invalid utf-8 target", raw_path_symlink(bp, bl, D, P("sym"), 3));
  T("symlink invalid utf-8 link name", raw_path_symlink(P("t"), 1, D, bp, bl));
  T("readlink invalid utf-8", raw_path_readlink(D, bp, bl, P(buf), 64, P(u64buf)));
  T("rename invalid utf-8 src", raw_path_rename(D, bp, bl, D, P("x"), 1));
  T("rename invalid utf-8 dst", raw_path_rename(D, P("file"), 4, D, bp, bl));
  T("link invalid utf-8 dst", raw_path_link(D, 0, P("file"), 4, D, bp, bl));
  T("set_times invalid utf-8", raw_path_filestat_set_times(D, 0, bp, bl, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  /* UTF-16 surrogate encoded in UTF-8 (invalid) and overlong encoding of '/'. */
  T("path_open CESU surrogate", raw_path_open(D, 0, P("\xed\xa0\x80"), 3, __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0, P(u64buf)));
  T("path_open overlong slash", raw_path_open(D, 0, P("a\xc0\xaf" "b"), 4, __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0, P(u64buf)));
  T("path_open valid unicode name", raw_path_open(D, 0, P("\xc3\xa9t\xc3\xa9"), 5, __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0, P(u64buf)));
  T("filestat unicode name", __wasi_path_filestat_get(D, 0, "\xc3\xa9t\xc3\xa9", (__wasi_filestat_t *)u64buf));
  /* Embedded NUL: the length says 6 bytes, "file\0x". */
  T("path_open embedded NUL", raw_path_open(D, 0, P("file\0x"), 6, 0, RW_RIGHTS, 0, 0, P(u64buf)));
  T("path_open NUL-terminated (len includes NUL)", raw_path_open(D, 0, P("file"), 5, 0, RW_RIGHTS, 0, 0, P(u64buf)));
  T("create_directory embedded NUL", raw_path_create_directory(D, P("nul\0dir"), 7));
  T("path_open len 0", raw_path_open(D, 0, P("file"), 0, 0, RW_RIGHTS, 0, 0, P(u64buf)));
  T("create_directory len 0", raw_path_create_directory(D, P("x"), 0));
  T("path_open len 4 of \"filexyz\"", raw_path_open(D, 0, P("filexyz"), 4, 0, RW_RIGHTS, 0, 0, P(u64buf)));
  static char longname[300], longpath[5000];
  memset(longname, 'n', 255);
  T("create 255-byte name", raw_path_open(D, 0, P(longname), 255, __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0, P(u64buf)));
  memset(longname, 'n', 256);
  T("create 256-byte name", raw_path_open(D, 0, P(longname), 256, __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0, P(u64buf)));
  T("mkdir 256-byte name", raw_path_create_directory(D, P(longname), 256));
  T("stat 256-byte name", raw_path_filestat_get(D, 0, P(longname), 256, P(u64buf)));
  for (int i = 0; i < 4998; i += 2) { longpath[i] = 'd'; longpath[i + 1] = '/'; }
  T("stat 4998-byte path d/d/d/...", raw_path_filestat_get(D, 0, P(longpath), 4998, P(u64buf)));
  for (int i = 0; i < 4998; i += 2) { longpath[i] = '.'; longpath[i + 1] = '/'; }
  T("stat 4998-byte path ././.", raw_path_filestat_get(D, 0, P(longpath), 4998, P(u64buf)));
  memcpy(longpath + 4998, "fi", 2);
  T("stat ././.../fi (5000 bytes)", raw_path_filestat_get(D, 0, P(longpath), 5000, P(u64buf)));
  T("path with //", __wasi_path_filestat_get(D, 0, "dir//..//file", (__wasi_filestat_t *)u64buf));
  T("path with trailing /.", __wasi_path_filestat_get(D, 0, "dir/.", (__wasi_filestat_t *)u64buf));
  T("path file/.", __wasi_path_filestat_get(D, 0, "file/.", (__wasi_filestat_t *)u64buf));
  T("path file/..", __wasi_path_filestat_get(D, 0, "file/..", (__wasi_filestat_t *)u64buf));
}

/* ---- pointer edge cases that return an errno instead of ending the program ---- */
static void pointers(void) {
  printf("\n== pointers that do not trap\n");
  const int32_t FAR = (int32_t)0xFFFFFFF0;
  const int32_t END = (int32_t)(__builtin_wasm_memory_size(0) * 65536u);
  __wasi_ciovec_t iov0 = {(const uint8_t *)(uintptr_t)FAR, 0};
  T("fd_write empty iovec with far pointer", raw_fd_write(1, P(&iov0), 1, P(u64buf)));
  T("fd_write 0 iovecs, far iovs pointer", raw_fd_write(1, FAR, 0, P(u64buf)));
  T("fd_read 0 iovecs, far iovs pointer", raw_fd_read(0, FAR, 0, P(u64buf)));
  __wasi_ciovec_t iov1 = {(const uint8_t *)"(written)\n", 10};
  T("fd_write iovs_len 0x10000000", raw_fd_write(1, P(&iov1), 0x10000000, P(u64buf)));
  T("fd_write iovs_len 0x00100000", raw_fd_write(1, P(&iov1), 0x00100000, P(u64buf)));
  T("fd_fdstat_get bad fd, far retptr", raw_fd_fdstat_get(77, FAR));
  T("fd_tell stdout, far retptr", raw_fd_tell(1, FAR));
  T("path_open path_len 0x7fffffff", raw_path_open(D, 0, P("x"), 0x7fffffff, 0, RW_RIGHTS, 0, 0, P(u64buf)));
  T("create_directory bad fd, far path", raw_path_create_directory(77, FAR, 16));
  T("filestat_get bad fd, far path", raw_path_filestat_get(77, 0, FAR, 16, P(u64buf)));
  T("random_get len 0 far pointer", raw_random_get(FAR, 0));
  T("random_get len 0 at end of memory", raw_random_get(END, 0));
  T("random_get last byte of memory", raw_random_get(END - 1, 1));
  T("fd_readdir len 0 far pointer", raw_fd_readdir(D, FAR, 0, 0, P(u64buf)));
  T("fd_prestat_dir_name len 0 far pointer (too short)", raw_fd_prestat_dir_name(D, FAR, 0));
  T("environ_get far pointers (no variables)", raw_environ_get(FAR, FAR));
  T("poll_oneoff 0 subscriptions, far pointers", raw_poll_oneoff(FAR, FAR, 0, P(u64buf)));
  T("readlink buf len 0 far pointer", (__wasi_path_symlink("tgt", D, "rl"), raw_path_readlink(D, P("rl"), 2, FAR, 0, P(u64buf))));
  printf("readlink returned n=%u\n", (unsigned)(uint32_t)u64buf[0]);
}

/* ---- poll_oneoff argument errors ---- */
static void poll_args(void) {
  printf("\n== poll_oneoff argument errors\n");
  __wasi_subscription_t s[2];
  __wasi_event_t ev[2];
  __wasi_size_t n;
  memset(s, 0, sizeof s);
  memset(ev, 0xAA, sizeof ev);
  n = 1234;
  s[0].userdata = 7;
  s[0].u.tag = 3;
  int e = raw_poll_oneoff(P(s), P(ev), 1, P(&n));
  printf("invalid eventtype 3: %s n=%lu ev.type=%u\n", ename(e), (unsigned long)n, ev[0].type);
  s[0].u.tag = 255;
  T("invalid eventtype 255", raw_poll_oneoff(P(s), P(ev), 1, P(&n)));
  s[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  s[0].u.u.clock.id = 4;
  T("clock id 4", raw_poll_oneoff(P(s), P(ev), 1, P(&n)));
  s[0].u.u.clock.id = __WASI_CLOCKID_PROCESS_CPUTIME_ID;
  T("clock id PROCESS_CPUTIME", raw_poll_oneoff(P(s), P(ev), 1, P(&n)));
  s[0].u.u.clock.id = __WASI_CLOCKID_THREAD_CPUTIME_ID;
  T("clock id THREAD_CPUTIME", raw_poll_oneoff(P(s), P(ev), 1, P(&n)));
  s[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s[0].u.u.clock.flags = 2;
  T("subclockflags 2", raw_poll_oneoff(P(s), P(ev), 1, P(&n)));
  s[0].u.u.clock.flags = 0;
  s[1] = s[0];
  s[1].u.tag = __WASI_EVENTTYPE_FD_READ;
  s[1].u.u.fd_read.file_descriptor = 77;
  T("clock + fd_read on bad fd", raw_poll_oneoff(P(s), P(ev), 2, P(&n)));
  s[1].u.tag = 3;
  T("clock + invalid eventtype", raw_poll_oneoff(P(s), P(ev), 2, P(&n)));
  n = 1234;
  e = raw_poll_oneoff(P(s), P(ev), 0, P(&n));
  printf("0 subscriptions: %s n=%lu\n", ename(e), (unsigned long)n);
  __wasi_ciovec_t x = {(const uint8_t *)"x", 1};
  T("sock_send siflags=1", raw_sock_send(0, P(&x), 1, 1, P(u64buf)));
  T("sock_send siflags=0xffff on bad fd", raw_sock_send(77, P(&x), 1, 0xffff, P(u64buf)));
}

/* ---- after closing the preopen ---- */
static void closed_preopen(void) {
  printf("\n== closed preopen\n");
  __wasi_fd_t f, dir2;
  T("open dir before closing", __wasi_path_open(D, 0, "dir", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, DIR_RIGHTS, 0, &dir2));
  T("close preopen", __wasi_fd_close(D));
  T("path_open on closed preopen", __wasi_path_open(D, 0, "file", 0, RW_RIGHTS, 0, 0, &f));
  T("prestat_get on closed preopen", __wasi_fd_prestat_get(D, (__wasi_prestat_t *)u64buf));
  T("opened subdir still usable", __wasi_path_create_directory(dir2, "still_works"));
  T("fd_readdir subdir", __wasi_fd_readdir(dir2, buf, sizeof buf, 0, (__wasi_size_t *)u64buf));
  T("open file from subdir", __wasi_path_open(dir2, 0, "..", 0, __WASI_RIGHTS_FD_READ, 0, 0, &f));
  T("close stdin", __wasi_fd_close(0));
  T("fd_read stdin after close", op_fd_read(0));
  T("fd_close twice", __wasi_fd_close(0));
  /* Replace stdout by the directory: from here on report through stderr. */
  int e1 = __wasi_fd_renumber(dir2, 1);
  int e2 = write_str(1, "x");
  int e3 = __wasi_fd_prestat_get(1, (__wasi_prestat_t *)u64buf);
  int e4 = __wasi_fd_fdstat_get(1, (__wasi_fdstat_t *)u64buf);
  int t = ((__wasi_fdstat_t *)u64buf)->fs_filetype;
  int e5 = __wasi_fd_close(1);
  fprintf(stderr, "renumber subdir -> 1: %s\n", ename(e1));
  fprintf(stderr, "write to fd 1 (a directory now): %s\n", ename(e2));
  fprintf(stderr, "prestat_get 1: %s\n", ename(e3));
  fprintf(stderr, "fdstat_get 1: %s type=%s\n", ename(e4), ftname(t));
  fprintf(stderr, "close 1: %s\n", ename(e5));
  fprintf(stderr, "stderr still works after stdout was replaced and closed\n");
}

int main(void) {
  setup_stdout();
  D = find_preopen("/sandbox");
  matrix();
  paths();
  pointers();
  poll_args();
  closed_preopen();
  return 0;
}

// fs_basic: path_open flag/right combinations, file I/O, fd_* calls on files,
// directories and stdio, fd numbering, fd_renumber, fd_prestat_*.
//
// run: fs_basic
// dir: sandbox /sandbox
// setup: mkdir sandbox
#include "wasi_test.h"

static __wasi_fd_t D; /* the /sandbox preopen */

static void show_fd(const char *label, int e, __wasi_fd_t fd) {
  if (e) show(label, e); else printf("%s: ok fd=%u\n", label, fd);
}

static int open_(const char *label, __wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path,
                 __wasi_oflags_t of, __wasi_rights_t rights, __wasi_fdflags_t ff, __wasi_fd_t *out) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  int e = __wasi_path_open(dir, lf, path, of, rights, rights, ff, &fd);
  show_fd(label, e, fd);
  if (out) *out = e ? (__wasi_fd_t)-1 : fd;
  return e;
}

static void fdstat(const char *label, __wasi_fd_t fd) {
  __wasi_fdstat_t st;
  int e = __wasi_fd_fdstat_get(fd, &st);
  if (e) { show(label, e); return; }
  printf("%s: ok type=%s flags=0x%x base=0x%llx inh=0x%llx\n", label, ftname(st.fs_filetype),
         st.fs_flags, (unsigned long long)st.fs_rights_base,
         (unsigned long long)st.fs_rights_inheriting);
}

static void filestat(const char *label, __wasi_fd_t fd) {
  __wasi_filestat_t st;
  int e = __wasi_fd_filestat_get(fd, &st);
  if (e) { show(label, e); return; }
  /* A directory's size and link count depend on the host filesystem. */
  if (st.filetype == __WASI_FILETYPE_DIRECTORY)
    printf("%s: ok type=%s dev=%llu\n", label, ftname(st.filetype), (unsigned long long)st.dev);
  else
    printf("%s: ok type=%s dev=%llu nlink=%llu size=%llu\n", label, ftname(st.filetype),
           (unsigned long long)st.dev, (unsigned long long)st.nlink, (unsigned long long)st.size);
}

static void wr(const char *label, __wasi_fd_t fd, const char *s) {
  __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
  __wasi_size_t n = 0;
  int e = __wasi_fd_write(fd, &iov, 1, &n);
  if (e) show(label, e); else printf("%s: ok n=%lu\n", label, (unsigned long)n);
}

static void rd(const char *label, __wasi_fd_t fd, size_t len) {
  uint8_t buf[256];
  __wasi_iovec_t iov = {buf, len};
  __wasi_size_t n = 0;
  int e = __wasi_fd_read(fd, &iov, 1, &n);
  if (e) show(label, e); else print_bytes(label, buf, n);
}

static void prd(const char *label, __wasi_fd_t fd, size_t len, uint64_t off) {
  uint8_t buf[256];
  __wasi_iovec_t iov = {buf, len};
  __wasi_size_t n = 0;
  int e = __wasi_fd_pread(fd, &iov, 1, off, &n);
  if (e) show(label, e); else print_bytes(label, buf, n);
}

static void pwr(const char *label, __wasi_fd_t fd, const char *s, uint64_t off) {
  __wasi_ciovec_t iov = {(const uint8_t *)s, strlen(s)};
  __wasi_size_t n = 0;
  int e = __wasi_fd_pwrite(fd, &iov, 1, off, &n);
  if (e) show(label, e); else printf("%s: ok n=%lu\n", label, (unsigned long)n);
}

static void seek(const char *label, __wasi_fd_t fd, int64_t off, int whence) {
  __wasi_filesize_t pos = 12345;
  int e = raw_fd_seek(fd, off, whence, P(&pos));
  if (e) show(label, e); else printf("%s: ok pos=%llu\n", label, (unsigned long long)pos);
}

static void tell(const char *label, __wasi_fd_t fd) {
  __wasi_filesize_t pos = 12345;
  int e = __wasi_fd_tell(fd, &pos);
  if (e) show(label, e); else printf("%s: ok pos=%llu\n", label, (unsigned long long)pos);
}

static void close_(const char *label, __wasi_fd_t fd) { T(label, __wasi_fd_close(fd)); }

static void section(const char *s) { printf("\n== %s\n", s); }

static void prestat_tests(void) {
  section("prestat");
  __wasi_prestat_t ps;
  int e = __wasi_fd_prestat_get(D, &ps);
  printf("prestat_get sandbox: %s tag=%u len=%lu\n", ename(e), ps.tag,
         (unsigned long)ps.u.dir.pr_name_len);
  char buf[32];
  for (int len = 0; len <= 10; len += (len == 0 ? 7 : 1)) {
    memset(buf, '#', sizeof buf);
    e = __wasi_fd_prestat_dir_name(D, (uint8_t *)buf, len);
    char label[64];
    snprintf(label, sizeof label, "prestat_dir_name len=%d", len);
    if (e) show(label, e); else print_bytes(label, (uint8_t *)buf, 12);
  }
  for (__wasi_fd_t fd = 0; fd < 3; fd++) {
    char label[64];
    snprintf(label, sizeof label, "prestat_get fd=%u", fd);
    T(label, __wasi_fd_prestat_get(fd, &ps));
    snprintf(label, sizeof label, "prestat_dir_name fd=%u", fd);
    T(label, __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, sizeof buf));
  }
  T("prestat_get fd=D+1 (unused)", __wasi_fd_prestat_get(D + 1, &ps));
  T("prestat_dir_name fd=D+1 (unused)", __wasi_fd_prestat_dir_name(D + 1, (uint8_t *)buf, 32));
  fdstat("fdstat sandbox", D);
  filestat("filestat sandbox", D);
}

static void rw_tests(void) {
  section("read/write/seek");
  __wasi_fd_t f;
  open_("open f1 creat", D, 0, "f1", __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, &f);
  fdstat("fdstat f1", f);
  filestat("filestat f1 empty", f);
  tell("tell new", f);
  wr("write hello world", f, "hello world");
  tell("tell after write", f);
  seek("seek set 0", f, 0, __WASI_WHENCE_SET);
  rd("read 5", f, 5);
  tell("tell after read", f);
  seek("seek cur +1", f, 1, __WASI_WHENCE_CUR);
  rd("read 100", f, 100);
  rd("read at eof", f, 100);
  rd("read len 0", f, 0);
  seek("seek end -5", f, -5, __WASI_WHENCE_END);
  rd("read after seek end", f, 3);
  seek("seek set -1", f, -1, __WASI_WHENCE_SET);
  tell("tell after failed seek", f);
  seek("seek cur -100", f, -100, __WASI_WHENCE_CUR);
  seek("seek end -12", f, -12, __WASI_WHENCE_END);
  seek("seek end +4", f, 4, __WASI_WHENCE_END);
  wr("write past end", f, "X");
  filestat("filestat after hole", f);
  prd("pread 0 len 64", f, 64, 0);
  tell("tell before pread/pwrite", f);
  prd("pread 6 len 3", f, 3, 6);
  pwr("pwrite at 0", f, "H", 0);
  pwr("pwrite at 30 (past end)", f, "Z", 30);
  tell("tell after pread/pwrite", f);
  prd("pread past eof", f, 10, 100);
  prd("pread len 0", f, 0, 0);
  prd("pread whole", f, 64, 0);
  seek("seek set 1<<62", f, (int64_t)1 << 62, __WASI_WHENCE_SET);
  rd("read at 1<<62", f, 4);
  seek("seek cur +(1<<62) overflow?", f, (int64_t)1 << 62, __WASI_WHENCE_CUR);
  seek("seek cur max", f, INT64_MAX, __WASI_WHENCE_CUR);

  section("iovecs");
  seek("seek set 0", f, 0, __WASI_WHENCE_SET);
  T("set_size 0", __wasi_fd_filestat_set_size(f, 0));
  {
    __wasi_ciovec_t iov[3] = {{(const uint8_t *)"ab", 2}, {(const uint8_t *)"cd", 2},
                              {(const uint8_t *)"ef", 2}};
    __wasi_size_t n = 0;
    int e = __wasi_fd_write(f, iov, 3, &n);
    printf("write 3 iovecs: %s n=%lu\n", ename(e), (unsigned long)n);
    __wasi_ciovec_t iov2[2] = {{(const uint8_t *)"", 0}, {(const uint8_t *)"XY", 2}};
    e = __wasi_fd_write(f, iov2, 2, &n);
    printf("write empty+XY: %s n=%lu\n", ename(e), (unsigned long)n);
    e = __wasi_fd_write(f, iov2, 1, &n);
    printf("write only empty: %s n=%lu\n", ename(e), (unsigned long)n);
    e = __wasi_fd_write(f, iov2, 0, &n);
    printf("write 0 iovecs: %s n=%lu\n", ename(e), (unsigned long)n);
    e = __wasi_fd_pwrite(f, iov, 3, 10, &n);
    printf("pwrite 3 iovecs at 10: %s n=%lu\n", ename(e), (unsigned long)n);
    prd("contents", f, 64, 0);
    uint8_t a[3], b[3];
    memset(a, '.', 3); memset(b, '.', 3);
    __wasi_iovec_t riov[3] = {{a, 0}, {a, 3}, {b, 3}};
    seek("seek set 0", f, 0, __WASI_WHENCE_SET);
    e = __wasi_fd_read(f, riov, 3, &n);
    printf("read empty+3+3: %s n=%lu a=%.3s b=%.3s\n", ename(e), (unsigned long)n, a, b);
    e = __wasi_fd_pread(f, riov, 3, 2, &n);
    printf("pread empty+3+3 at 2: %s n=%lu a=%.3s b=%.3s\n", ename(e), (unsigned long)n, a, b);
  }
  close_("close f1", f);
  close_("close f1 again", f);
}

static void flag_tests(void) {
  section("append");
  __wasi_fd_t f;
  make_file(D, "ap", "0123456789");
  open_("open ap append", D, 0, "ap", 0, RW_RIGHTS, __WASI_FDFLAGS_APPEND, &f);
  fdstat("fdstat ap", f);
  tell("tell ap initial", f);
  wr("write ap", f, "abc");
  tell("tell ap after write", f);
  seek("seek set 0", f, 0, __WASI_WHENCE_SET);
  wr("write ap after seek 0", f, "de");
  tell("tell ap", f);
  pwr("pwrite at 0 in append mode", f, "P", 0);
  tell("tell ap after pwrite", f);
  cat(D, "ap");
  T("set_flags 0 (clear append)", __wasi_fd_fdstat_set_flags(f, 0));
  fdstat("fdstat ap", f);
  seek("seek set 0", f, 0, __WASI_WHENCE_SET);
  wr("write ap no-append", f, "Q");
  cat(D, "ap");
  T("set_flags NONBLOCK", __wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_NONBLOCK));
  fdstat("fdstat ap nonblock", f);
  T("set_flags APPEND|NONBLOCK", __wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_APPEND | __WASI_FDFLAGS_NONBLOCK));
  fdstat("fdstat ap", f);
  T("set_flags DSYNC", __wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_DSYNC));
  T("set_flags SYNC", __wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_SYNC));
  T("set_flags RSYNC", __wasi_fd_fdstat_set_flags(f, __WASI_FDFLAGS_RSYNC));
  fdstat("fdstat ap after failures", f);
  T("set_flags on dir", __wasi_fd_fdstat_set_flags(D, 0));
  T("set_flags on stdout", __wasi_fd_fdstat_set_flags(1, 0));
  close_("close ap", f);

  section("open flags");
  __wasi_fd_t g;
  make_file(D, "t", "some content");
  open_("open t trunc rw", D, 0, "t", __WASI_OFLAGS_TRUNC, RW_RIGHTS, 0, &g);
  filestat("filestat t", g);
  close_("close", g);
  make_file(D, "t", "some content");
  open_("open t trunc read-only", D, 0, "t", __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ, 0, &g);
  if (g != (__wasi_fd_t)-1) close_("close", g);
  cat(D, "t");
  open_("open t creat|excl (exists)", D, 0, "t", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RW_RIGHTS, 0, NULL);
  open_("open t excl without creat", D, 0, "t", __WASI_OFLAGS_EXCL, RW_RIGHTS, 0, &g);
  if (g != (__wasi_fd_t)-1) close_("close", g);
  open_("open new creat|excl", D, 0, "new", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RW_RIGHTS, 0, &g);
  if (g != (__wasi_fd_t)-1) close_("close", g);
  open_("open new creat|excl|trunc again", D, 0, "new", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL | __WASI_OFLAGS_TRUNC, RW_RIGHTS, 0, NULL);
  open_("open creat read-only rights", D, 0, "ro_created", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, &g);
  if (g != (__wasi_fd_t)-1) { fdstat("fdstat ro_created", g); close_("close", g); }
  open_("open missing", D, 0, "missing", 0, RW_RIGHTS, 0, NULL);
  open_("open missing/x creat", D, 0, "missing/x", __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, NULL);
  open_("open t/x (file as dir)", D, 0, "t/x", 0, RW_RIGHTS, 0, NULL);
  open_("open t/x creat", D, 0, "t/x", __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, NULL);
  open_("open t/ (trailing slash)", D, 0, "t/", 0, RW_RIGHTS, 0, NULL);
  open_("open empty path", D, 0, "", 0, RW_RIGHTS, 0, NULL);
  open_("open file with DIRECTORY", D, 0, "t", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, NULL);
  open_("open missing with DIRECTORY", D, 0, "nodir", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, NULL);
  open_("open creat|DIRECTORY", D, 0, "newdir", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, NULL);
  T("newdir exists?", __wasi_path_filestat_get(D, 0, "newdir", &(__wasi_filestat_t){0}));
  T("mkdir sub", __wasi_path_create_directory(D, "sub"));
  open_("open sub DIRECTORY", D, 0, "sub", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, 0, &g);
  fdstat("fdstat sub", g);
  filestat("filestat sub", g);
  close_("close", g);
  open_("open sub plain read", D, 0, "sub", 0, __WASI_RIGHTS_FD_READ, 0, &g);
  fdstat("fdstat sub (read)", g);
  close_("close", g);
  open_("open sub no rights", D, 0, "sub", 0, 0, 0, &g);
  fdstat("fdstat sub (no rights)", g);
  close_("close", g);
  open_("open sub write rights", D, 0, "sub", 0, __WASI_RIGHTS_FD_WRITE, 0, NULL);
  open_("open sub DIRECTORY|write", D, 0, "sub", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, NULL);
  open_("open sub trunc", D, 0, "sub", __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ, 0, NULL);
  open_("open sub creat", D, 0, "sub", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, 0, NULL);
  open_("open sub creat|excl", D, 0, "sub", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, __WASI_RIGHTS_FD_READ, 0, NULL);
  open_("open sub/ with DIRECTORY", D, 0, "sub/", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, &g);
  close_("close", g);
  open_("open . DIRECTORY", D, 0, ".", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, 0, &g);
  fdstat("fdstat .", g);
  __wasi_prestat_t ps;
  T("prestat_get on opened dir", __wasi_fd_prestat_get(g, &ps));
  T("prestat_dir_name on opened dir", __wasi_fd_prestat_dir_name(g, (uint8_t *)"xxxxxxxxxxxxxxxx", 16));
  close_("close", g);
  open_("open t with dirfd = file", D, 0, "t", 0, RW_RIGHTS, 0, &g);
  open_("open x relative to file fd", g, 0, "x", 0, RW_RIGHTS, 0, NULL);
  close_("close", g);
  open_("open with dirfd = stdin", 0, 0, "t", 0, RW_RIGHTS, 0, NULL);
  open_("open with dirfd = 99", 99, 0, "t", 0, RW_RIGHTS, 0, NULL);

  section("fdflags at open");
  static const struct { const char *name; __wasi_fdflags_t f; } ff[] = {
      {"APPEND", __WASI_FDFLAGS_APPEND}, {"DSYNC", __WASI_FDFLAGS_DSYNC},
      {"NONBLOCK", __WASI_FDFLAGS_NONBLOCK}, {"RSYNC", __WASI_FDFLAGS_RSYNC},
      {"SYNC", __WASI_FDFLAGS_SYNC}, {"all", 0x1f}};
  for (size_t i = 0; i < sizeof ff / sizeof ff[0]; i++) {
    char label[64];
    snprintf(label, sizeof label, "open t fdflags=%s", ff[i].name);
    open_(label, D, 0, "t", 0, RW_RIGHTS, ff[i].f, &g);
    if (g != (__wasi_fd_t)-1) { fdstat("  fdstat", g); close_("  close", g); }
  }

  section("rights");
  make_file(D, "r", "readable");
  open_("open r rights=0", D, 0, "r", 0, 0, 0, &g);
  fdstat("fdstat r (0)", g);
  rd("read with rights=0", g, 20);
  wr("write with rights=0", g, "x");
  close_("close", g);
  open_("open r rights=READ", D, 0, "r", 0, __WASI_RIGHTS_FD_READ, 0, &g);
  fdstat("fdstat r (READ)", g);
  wr("write read-only", g, "x");
  pwr("pwrite read-only", g, "x", 0);
  T("set_size read-only", __wasi_fd_filestat_set_size(g, 0));
  T("set_times read-only", __wasi_fd_filestat_set_times(g, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  T("set_rights read-only", __wasi_fd_fdstat_set_rights(g, 0, 0));
  fdstat("fdstat after set_rights(0,0)", g);
  T("sync read-only", __wasi_fd_sync(g));
  T("datasync read-only", __wasi_fd_datasync(g));
  close_("close", g);
  open_("open r rights=WRITE", D, 0, "r", 0, __WASI_RIGHTS_FD_WRITE, 0, &g);
  fdstat("fdstat r (WRITE)", g);
  rd("read write-only", g, 4);
  prd("pread write-only", g, 4, 0);
  wr("write write-only", g, "W");
  close_("close", g);
  cat(D, "r");
  open_("open r rights=all", D, 0, "r", 0, (__wasi_rights_t)0x1FFFFFFF, 0, &g);
  fdstat("fdstat r (all)", g);
  close_("close", g);
}

static void meta_tests(void) {
  section("filestat set_size / set_times");
  __wasi_fd_t f;
  make_file(D, "m", "abcdef");
  open_("open m", D, 0, "m", 0, RW_RIGHTS, 0, &f);
  T("set_size 100", __wasi_fd_filestat_set_size(f, 100));
  filestat("filestat m", f);
  T("set_size 3", __wasi_fd_filestat_set_size(f, 3));
  prd("contents", f, 200, 0);
  tell("tell unchanged", f);
  T("set_size on dir", __wasi_fd_filestat_set_size(D, 0));
  T("set_size on stdout", __wasi_fd_filestat_set_size(1, 0));
  T("set_size huge (1<<63)", __wasi_fd_filestat_set_size(f, (uint64_t)1 << 63));
  __wasi_filestat_t st, st2;
  const uint64_t A = 1000000000ull * 1000000 + 123456789, M = 1000000000ull * 2000000 + 987654321;
  T("set_times ATIM|MTIM", __wasi_fd_filestat_set_times(f, A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  __wasi_fd_filestat_get(f, &st);
  printf("atim=%llu mtim=%llu\n", (unsigned long long)st.atim, (unsigned long long)st.mtim);
  T("set_times flags=0", __wasi_fd_filestat_set_times(f, 5, 5, 0));
  __wasi_fd_filestat_get(f, &st2);
  printf("unchanged: %s\n", yn(st2.atim == A && st2.mtim == M));
  T("set_times MTIM only", __wasi_fd_filestat_set_times(f, 0, 7000000000ull, __WASI_FSTFLAGS_MTIM));
  __wasi_fd_filestat_get(f, &st2);
  printf("atim kept: %s mtim=%llu\n", yn(st2.atim == A), (unsigned long long)st2.mtim);
  T("set_times MTIM_NOW", __wasi_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  __wasi_fd_filestat_get(f, &st2);
  printf("mtime changed: %s atim kept: %s\n", yn(st2.mtim != 7000000000ull), yn(st2.atim == A));
  T("set_times ATIM_NOW", __wasi_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_ATIM_NOW));
  __wasi_fd_filestat_get(f, &st2);
  printf("atime changed: %s\n", yn(st2.atim != A));
  T("set_times ATIM|ATIM_NOW", __wasi_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
  T("set_times MTIM|MTIM_NOW", __wasi_fd_filestat_set_times(f, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
  T("set_times on dir", __wasi_fd_filestat_set_times(D, A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  st.mtim = 0;
  __wasi_fd_filestat_get(D, &st);
  printf("dir mtim set: %s\n", yn(st.mtim == M));
  T("set_times on stdout", __wasi_fd_filestat_set_times(1, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  T("set_times on bad fd", __wasi_fd_filestat_set_times(99, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));

  section("advise / allocate / sync");
  for (int adv = 0; adv <= 5; adv++) {
    char label[40];
    snprintf(label, sizeof label, "advise %d", adv);
    T(label, raw_fd_advise(f, 0, 10, adv));
  }
  T("advise huge range", __wasi_fd_advise(f, UINT64_MAX, UINT64_MAX, __WASI_ADVICE_NORMAL));
  T("advise on dir", __wasi_fd_advise(D, 0, 0, __WASI_ADVICE_NORMAL));
  T("advise on stdin", __wasi_fd_advise(0, 0, 0, __WASI_ADVICE_NORMAL));
  T("allocate file", __wasi_fd_allocate(f, 0, 100));
  T("allocate len 0", __wasi_fd_allocate(f, 0, 0));
  T("allocate dir", __wasi_fd_allocate(D, 0, 100));
  T("allocate stdout", __wasi_fd_allocate(1, 0, 100));
  T("allocate bad fd", __wasi_fd_allocate(99, 0, 100));
  T("sync file", __wasi_fd_sync(f));
  T("datasync file", __wasi_fd_datasync(f));
  T("sync dir", __wasi_fd_sync(D));
  T("datasync dir", __wasi_fd_datasync(D));
  T("sync stdout", __wasi_fd_sync(1));
  T("datasync stdout", __wasi_fd_datasync(1));
  T("set_rights file 0,0", __wasi_fd_fdstat_set_rights(f, 0, 0));
  T("set_rights file all", __wasi_fd_fdstat_set_rights(f, 0x1FFFFFFF, 0x1FFFFFFF));
  T("set_rights dir", __wasi_fd_fdstat_set_rights(D, 0, 0));
  fdstat("fdstat sandbox after set_rights", D);
  T("set_rights stdout", __wasi_fd_fdstat_set_rights(1, 0, 0));
  T("set_rights bad fd", __wasi_fd_fdstat_set_rights(99, 0, 0));
  close_("close m", f);
}

static void stdio_tests(void) {
  section("stdio and directories as file fds");
  for (__wasi_fd_t fd = 0; fd < 3; fd++) {
    char label[64];
    snprintf(label, sizeof label, "fdstat fd=%u", fd);
    fdstat(label, fd);
    snprintf(label, sizeof label, "filestat fd=%u", fd);
    filestat(label, fd);
    snprintf(label, sizeof label, "seek fd=%u", fd);
    seek(label, fd, 0, __WASI_WHENCE_CUR);
    snprintf(label, sizeof label, "tell fd=%u", fd);
    tell(label, fd);
    snprintf(label, sizeof label, "pread fd=%u", fd);
    prd(label, fd, 4, 0);
    snprintf(label, sizeof label, "pwrite fd=%u", fd);
    pwr(label, fd, "", 0);
  }
  wr("write to stdin", 0, "x");
  rd("read from stdout", 1, 4);
  rd("read from stderr", 2, 4);
  rd("read from dir", D, 4);
  prd("pread from dir", D, 4, 0);
  wr("write to dir", D, "x");
  pwr("pwrite to dir", D, "x", 0);
  seek("seek dir", D, 0, __WASI_WHENCE_SET);
  tell("tell dir", D);
  wr("write 0 bytes to stdout", 1, "");
  {
    __wasi_ciovec_t iov[2] = {{(const uint8_t *)"[iov1]", 6}, {(const uint8_t *)"[iov2]\n", 7}};
    __wasi_size_t n = 0;
    int e = __wasi_fd_write(1, iov, 2, &n);
    printf("\nwrite 2 iovecs to stdout: %s n=%lu\n", ename(e), (unsigned long)n);
  }
}

static void numbering_tests(void) {
  section("fd numbering / close / renumber");
  __wasi_fd_t a, b, c, x;
  make_file(D, "na", "AAA");
  make_file(D, "nb", "BBB");
  make_file(D, "nc", "CCC");
  open_("open na", D, 0, "na", 0, RW_RIGHTS, 0, &a);
  open_("open nb", D, 0, "nb", 0, RW_RIGHTS, 0, &b);
  open_("open nc", D, 0, "nc", 0, RW_RIGHTS, 0, &c);
  close_("close na", a);
  close_("close nb", b);
  open_("reopen na (reuses?)", D, 0, "na", 0, RW_RIGHTS, 0, &a);
  open_("reopen nb (reuses?)", D, 0, "nb", 0, RW_RIGHTS, 0, &b);
  open_("open nc again (fresh?)", D, 0, "nc", 0, RW_RIGHTS, 0, &x);
  T("renumber na -> nb", __wasi_fd_renumber(a, b));
  rd("read old na fd", a, 3);
  rd("read nb fd (now na)", b, 3);
  T("renumber closed -> c", __wasi_fd_renumber(a, c));
  rd("read nc fd after failed renumber", c, 3);
  T("renumber c -> c", __wasi_fd_renumber(c, c));
  rd("read nc fd after self renumber", c, 3);
  T("renumber x -> 50 (never opened)", __wasi_fd_renumber(x, 50));
  rd("read fd 50", 50, 3);
  rd("read x still open", x, 3);
  T("close b", __wasi_fd_close(b));
  T("renumber x -> b (just closed)", __wasi_fd_renumber(x, b));
  rd("read x after failed renumber", x, 3);
  T("renumber bad -> stdout", __wasi_fd_renumber(77, 1));
  T("renumber 0xffffffff -> x", __wasi_fd_renumber(0xffffffffu, x));
  T("renumber x -> 0xffffffff", __wasi_fd_renumber(x, 0xffffffffu));
  open_("open (reuses b?)", D, 0, "nb", 0, RW_RIGHTS, 0, &b);
  T("renumber c -> stdin", __wasi_fd_renumber(c, 0));
  rd("read fd 0 (now nc)", 0, 3);
  fdstat("fdstat fd 0", 0);
  T("close c (moved)", __wasi_fd_close(c));
  T("close 0", __wasi_fd_close(0));
  T("close 0 again", __wasi_fd_close(0));
  open_("open (gets 0?)", D, 0, "nc", 0, RW_RIGHTS, 0, &x);
  T("close stderr", __wasi_fd_close(2));
  wr("write to closed stderr", 2, "x");
  T("fdstat closed stderr", __wasi_fd_fdstat_get(2, &(__wasi_fdstat_t){0}));
  __wasi_prestat_t ps;
  T("renumber sandbox -> b", __wasi_fd_renumber(D, b));
  T("prestat_get b", __wasi_fd_prestat_get(b, &ps));
  T("prestat_get old sandbox fd", __wasi_fd_prestat_get(D, &ps));
  fdstat("fdstat b", b);
  open_("open na via renumbered preopen", b, 0, "na", 0, RW_RIGHTS, 0, &x);
  rd("read it", x, 3);
  /* Move stdout onto x: from here on fd 1 is closed, so report through x. */
  char line[128];
  int e = __wasi_fd_renumber(1, x);
  snprintf(line, sizeof line, "renumber stdout -> x: %s\n", ename(e));
  write_str(x, line);
  int r = printf("this line is lost\n");
  snprintf(line, sizeof line, "printf after stdout moved: %s\n", r < 0 ? "failed" : "succeeded");
  write_str(x, line);
  e = __wasi_fd_fdstat_get(1, &(__wasi_fdstat_t){0});
  snprintf(line, sizeof line, "fdstat 1: %s\n", ename(e));
  write_str(x, line);
  __wasi_fdstat_t st;
  e = __wasi_fd_fdstat_get(x, &st);
  snprintf(line, sizeof line, "fdstat x: %s type=%s base=0x%llx\n", ename(e), ftname(st.fs_filetype),
           (unsigned long long)st.fs_rights_base);
  write_str(x, line);
  e = __wasi_fd_close(x);
  snprintf(line, sizeof line, "close x: %s\n", ename(e));
  write_str(2, line); /* stderr is closed too: nothing appears */
}

int main(void) {
  setup_stdout();
  D = find_preopen("/sandbox");
  printf("sandbox fd: %u\n", D);
  prestat_tests();
  rw_tests();
  flag_tests();
  meta_tests();
  stdio_tests();
  numbering_tests();
  return 0;
}

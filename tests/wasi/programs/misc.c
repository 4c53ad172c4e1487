// misc: args_*, environ_*, clocks, random_get, sched_yield, poll_oneoff,
// stdin reading, proc_raise, and proc_exit with a code (the exit status is 42).
// The same program is run twice: "misc" with arguments, environment, a stdin
// file and a /sandbox preopen, and "misc_bare" with none of them.
//
// run: misc
// argv0: misc
// arg: (empty string)
// arg: héllo wörld ✓
// arg: with space
// arg: --flag=1
// env: A=1
// env: EMPTY=
// env: UNI=ünïcødé ✓
// env: EQ=a=b=c
// stdin: inputs/misc.stdin
// dir: sandbox /sandbox
// setup: mkdir sandbox
//
// run: misc_bare
// (no arguments, no environment, no stdin, no preopens; argv[0] defaults to
// the program's file name, misc.wasm)
#include "wasi_test.h"

static void section(const char *s) { printf("\n== %s\n", s); }

static uint64_t now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  (void)__wasi_clock_time_get(id, 1, &t);
  return t;
}

static void args_env(void) {
  section("args");
  __wasi_size_t argc = 0, size = 0;
  T("args_sizes_get", __wasi_args_sizes_get(&argc, &size));
  printf("argc=%lu buf=%lu\n", (unsigned long)argc, (unsigned long)size);
  char **argv = calloc(argc + 1, sizeof(char *));
  char *buf = malloc(size + 16);
  memset(buf, 0x5A, size + 16);
  argv[argc] = (char *)0x5A5A5A5A;
  T("args_get", __wasi_args_get((uint8_t **)argv, (uint8_t *)buf));
  int contiguous = 1, untouched = argv[argc] == (char *)0x5A5A5A5A;
  for (size_t i = 0; i < argc; i++) {
    print_bytes("  arg", (uint8_t *)argv[i], strlen(argv[i]));
    if (i + 1 < argc) contiguous &= argv[i + 1] == argv[i] + strlen(argv[i]) + 1;
  }
  for (size_t i = size; i < size + 16; i++) untouched &= buf[i] == 0x5A;
  printf("argv[0] at buf start: %s contiguous: %s nothing written past: %s\n",
         yn(argc == 0 || argv[0] == buf), yn(contiguous), yn(untouched));

  section("environ");
  __wasi_size_t envc = 0, esize = 0;
  T("environ_sizes_get", __wasi_environ_sizes_get(&envc, &esize));
  printf("envc=%lu buf=%lu\n", (unsigned long)envc, (unsigned long)esize);
  char **env = calloc(envc + 1, sizeof(char *));
  char *ebuf = malloc(esize + 16);
  memset(ebuf, 0x5A, esize + 16);
  T("environ_get", __wasi_environ_get((uint8_t **)env, (uint8_t *)ebuf));
  untouched = 1;
  for (size_t i = 0; i < envc; i++) print_bytes("  env", (uint8_t *)env[i], strlen(env[i]));
  for (size_t i = esize; i < esize + 16; i++) untouched &= ebuf[i] == 0x5A;
  printf("nothing written past: %s\n", yn(untouched));
  printf("getenv(UNI): %s\n", getenv("UNI") ? getenv("UNI") : "(unset)");
  printf("getenv(EMPTY) set: %s\n", yn(getenv("EMPTY") != NULL));
}

static void clocks(void) {
  section("clocks");
  static const char *names[] = {"REALTIME", "MONOTONIC", "PROCESS_CPUTIME", "THREAD_CPUTIME"};
  for (int id = 0; id < 4; id++) {
    __wasi_timestamp_t r = 0, t = 0;
    int e1 = __wasi_clock_res_get(id, &r);
    int e2 = __wasi_clock_time_get(id, 0, &t);
    printf("%s: res_get=%s", names[id], ename(e1));
    if (!e1) printf(" res=%llu", (unsigned long long)r);
    printf(" time_get=%s", ename(e2));
    if (!e2) printf(" nonzero=%s", yn(t != 0));
    printf("\n");
  }
  uint64_t rt = now(__WASI_CLOCKID_REALTIME);
  printf("realtime after 2020-01-01: %s before 2200: %s\n", yn(rt > 1577836800ull * 1000000000ull),
         yn(rt < 7258118400ull * 1000000000ull));
  uint64_t m1 = now(__WASI_CLOCKID_MONOTONIC), m2 = now(__WASI_CLOCKID_MONOTONIC);
  printf("monotonic non-decreasing: %s\n", yn(m2 >= m1));
  __wasi_timestamp_t t;
  T("time_get precision=UINT64_MAX", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, UINT64_MAX, &t));
}

static void random_(void) {
  section("random_get / sched_yield");
  static uint8_t a[16], b[16], big[100000];
  T("random_get 0 bytes", __wasi_random_get(a, 0));
  T("random_get 16", __wasi_random_get(a, 16));
  T("random_get 16 again", __wasi_random_get(b, 16));
  int zero = 1;
  for (int i = 0; i < 16; i++) zero &= a[i] == 0;
  printf("all zero: %s differ: %s\n", yn(zero), yn(memcmp(a, b, 16) != 0));
  T("random_get 100000", __wasi_random_get(big, sizeof big));
  int seen[256] = {0}, distinct = 0;
  for (size_t i = 0; i < sizeof big; i++) distinct += !seen[big[i]]++;
  printf("all 256 byte values seen: %s\n", yn(distinct == 256));
  T("sched_yield", __wasi_sched_yield());
}

static void sub_clock(__wasi_subscription_t *s, uint64_t ud, __wasi_clockid_t id, uint64_t timeout, int abs) {
  memset(s, 0, sizeof *s);
  s->userdata = ud;
  s->u.tag = __WASI_EVENTTYPE_CLOCK;
  s->u.u.clock.id = id;
  s->u.u.clock.timeout = timeout;
  s->u.u.clock.precision = 0;
  s->u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
}
static void sub_fd(__wasi_subscription_t *s, uint64_t ud, __wasi_eventtype_t type, __wasi_fd_t fd) {
  memset(s, 0, sizeof *s);
  s->userdata = ud;
  s->u.tag = type;
  s->u.u.fd_read.file_descriptor = fd;
}

static void do_poll(const char *label, __wasi_subscription_t *s, int ns, uint64_t min_ns, uint64_t max_ns) {
  __wasi_event_t ev[8];
  memset(ev, 0xAA, sizeof ev);
  __wasi_size_t n = 999;
  uint64_t t0 = now(__WASI_CLOCKID_MONOTONIC);
  int e = __wasi_poll_oneoff(s, ev, ns, &n);
  uint64_t dt = now(__WASI_CLOCKID_MONOTONIC) - t0;
  printf("%s: %s n=%lu", label, ename(e), (unsigned long)n);
  if (!e)
    for (size_t i = 0; i < n && i < 8; i++) {
      static const char *tn[] = {"CLOCK", "FD_READ", "FD_WRITE"};
      printf(" {ud=%llx type=%s error=%s", (unsigned long long)ev[i].userdata,
             ev[i].type < 3 ? tn[ev[i].type] : "?", ename(ev[i].error));
      if (ev[i].type != __WASI_EVENTTYPE_CLOCK)
        printf(" nbytes=%llu flags=%u", (unsigned long long)ev[i].fd_readwrite.nbytes,
               ev[i].fd_readwrite.flags);
      else if (ev[i].fd_readwrite.nbytes || ev[i].fd_readwrite.flags)
        printf(" nbytes=%llu flags=%u", (unsigned long long)ev[i].fd_readwrite.nbytes,
               ev[i].fd_readwrite.flags);
      printf("}");
    }
  printf(" waited>=%lluus: %s", (unsigned long long)(min_ns / 1000), yn(dt >= min_ns));
  if (max_ns) printf(" quick(<%llums): %s", (unsigned long long)(max_ns / 1000000), yn(dt < max_ns));
  printf("\n");
}

static void polls(__wasi_fd_t dir) {
  section("poll_oneoff");
  __wasi_subscription_t s[8];
  const uint64_t MS = 1000000, LONG = 5000 * MS;
  __wasi_event_t ev[1];
  __wasi_size_t n;
  T("0 subscriptions", __wasi_poll_oneoff(s, ev, 0, &n));
  sub_clock(&s[0], 0x1234, __WASI_CLOCKID_MONOTONIC, 2 * MS, 0);
  do_poll("relative monotonic 2ms", s, 1, 2 * MS, 0);
  sub_clock(&s[0], 0x1235, __WASI_CLOCKID_REALTIME, 2 * MS, 0);
  do_poll("relative realtime 2ms", s, 1, 2 * MS, 0);
  sub_clock(&s[0], 0x1236, __WASI_CLOCKID_MONOTONIC, 0, 0);
  do_poll("relative 0", s, 1, 0, LONG);
  sub_clock(&s[0], 0x1237, __WASI_CLOCKID_MONOTONIC, now(__WASI_CLOCKID_MONOTONIC) + 3 * MS, 1);
  do_poll("absolute monotonic now+3ms", s, 1, 2 * MS, 0);
  sub_clock(&s[0], 0x1238, __WASI_CLOCKID_MONOTONIC, 1, 1);
  do_poll("absolute monotonic in the past", s, 1, 0, LONG);
  sub_clock(&s[0], 0x1239, __WASI_CLOCKID_REALTIME, now(__WASI_CLOCKID_REALTIME) + 3 * MS, 1);
  do_poll("absolute realtime now+3ms", s, 1, 2 * MS, 0);
  sub_clock(&s[0], 0x123a, __WASI_CLOCKID_REALTIME, 1, 1);
  do_poll("absolute realtime in the past", s, 1, 0, LONG);
  sub_clock(&s[0], 1, __WASI_CLOCKID_MONOTONIC, 2 * MS, 0);
  sub_clock(&s[1], 2, __WASI_CLOCKID_MONOTONIC, LONG, 0);
  do_poll("2ms and 5s", s, 2, 2 * MS, LONG);
  sub_clock(&s[0], 1, __WASI_CLOCKID_MONOTONIC, LONG, 0);
  sub_clock(&s[1], 2, __WASI_CLOCKID_MONOTONIC, 2 * MS, 0);
  do_poll("5s and 2ms", s, 2, 2 * MS, LONG);
  sub_clock(&s[0], 1, __WASI_CLOCKID_MONOTONIC, 0, 0);
  sub_clock(&s[1], 2, __WASI_CLOCKID_REALTIME, 0, 0);
  sub_clock(&s[2], UINT64_MAX, __WASI_CLOCKID_MONOTONIC, 1, 1);
  do_poll("three expired clocks", s, 3, 0, LONG);
  sub_fd(&s[0], 10, __WASI_EVENTTYPE_FD_WRITE, 1);
  sub_clock(&s[1], 11, __WASI_CLOCKID_MONOTONIC, LONG, 0);
  do_poll("stdout writable + 5s", s, 2, 0, LONG);
  sub_fd(&s[0], 12, __WASI_EVENTTYPE_FD_WRITE, 2);
  sub_fd(&s[1], 13, __WASI_EVENTTYPE_FD_WRITE, 1);
  sub_fd(&s[2], 14, __WASI_EVENTTYPE_FD_WRITE, 1);
  do_poll("stderr, stdout, stdout again", s, 3, 0, LONG);
  sub_fd(&s[0], 15, __WASI_EVENTTYPE_FD_READ, 0);
  sub_clock(&s[1], 16, __WASI_CLOCKID_MONOTONIC, LONG, 0);
  do_poll("stdin readable + 5s", s, 2, 0, LONG);
  sub_fd(&s[0], 17, __WASI_EVENTTYPE_FD_WRITE, 1);
  sub_clock(&s[1], 18, __WASI_CLOCKID_MONOTONIC, 0, 0);
  do_poll("stdout writable + expired clock", s, 2, 0, LONG);
  if (dir == (__wasi_fd_t)-1) return;
  make_file(dir, "pollfile", "0123456789");
  __wasi_fd_t f, e;
  (void)__wasi_path_open(dir, 0, "pollfile", 0, RW_RIGHTS, 0, 0, &f);
  make_file(dir, "emptyfile", "");
  (void)__wasi_path_open(dir, 0, "emptyfile", 0, RW_RIGHTS, 0, __WASI_FDFLAGS_APPEND, &e);
  sub_fd(&s[0], 20, __WASI_EVENTTYPE_FD_READ, f);
  sub_fd(&s[1], 21, __WASI_EVENTTYPE_FD_WRITE, f);
  sub_fd(&s[2], 22, __WASI_EVENTTYPE_FD_READ, e);
  sub_fd(&s[3], 23, __WASI_EVENTTYPE_FD_WRITE, e);
  do_poll("file read/write, empty file read/write", s, 4, 0, LONG);
  __wasi_filesize_t pos;
  (void)__wasi_fd_seek(f, 4, __WASI_WHENCE_SET, &pos);
  do_poll("file at offset 4", s, 1, 0, LONG);
  (void)__wasi_fd_seek(f, 0, __WASI_WHENCE_END, &pos);
  do_poll("file at end", s, 1, 0, LONG);
  (void)__wasi_fd_seek(f, 100, __WASI_WHENCE_SET, &pos);
  do_poll("file past end", s, 1, 0, LONG);
  sub_fd(&s[0], 24, __WASI_EVENTTYPE_FD_READ, dir);
  sub_clock(&s[1], 25, __WASI_CLOCKID_MONOTONIC, 0, 0);
  do_poll("directory + expired clock", s, 2, 0, LONG);
  (void)__wasi_fd_close(f);
  (void)__wasi_fd_close(e);
}

static void stdin_(void) {
  section("stdin");
  __wasi_fdstat_t st;
  T("fdstat stdin", __wasi_fd_fdstat_get(0, &st));
  printf("type=%s flags=%u base=0x%llx\n", ftname(st.fs_filetype), st.fs_flags,
         (unsigned long long)st.fs_rights_base);
  uint8_t a[4], b[4], buf[4096];
  memset(a, '.', 4);
  memset(b, '.', 4);
  __wasi_iovec_t iov[2] = {{a, 4}, {b, 4}};
  __wasi_size_t n = 0;
  int e = __wasi_fd_read(0, iov, 2, &n);
  printf("read 2 iovecs: %s n=%lu a=%.4s b=%.4s\n", ename(e), (unsigned long)n, a, b);
  __wasi_iovec_t z = {buf, 0};
  e = __wasi_fd_read(0, &z, 1, &n);
  printf("read len 0: %s\n", ename(e));
  size_t total = 0;
  int calls = 0;
  for (;;) {
    __wasi_iovec_t c = {buf + total, 7};
    e = __wasi_fd_read(0, &c, 1, &n);
    calls++;
    if (e || n == 0 || total + n + 7 > sizeof buf) break;
    total += n;
  }
  printf("read in 7-byte chunks: %s (last) total=%zu\n", ename(e), total);
  print_bytes("stdin rest", buf, total);
  __wasi_iovec_t c = {buf, sizeof buf};
  e = __wasi_fd_read(0, &c, 1, &n);
  printf("read at eof again: %s n=%lu\n", ename(e), (unsigned long)n);
  __wasi_subscription_t s;
  sub_fd(&s, 30, __WASI_EVENTTYPE_FD_READ, 0);
  do_poll("poll stdin at eof", &s, 1, 0, 5000000000ull);
}

static __wasi_fd_t maybe_preopen(const char *name) {
  for (__wasi_fd_t fd = 3; fd < 16; fd++) {
    __wasi_prestat_t ps;
    char buf[64];
    if (__wasi_fd_prestat_get(fd, &ps) || ps.u.dir.pr_name_len >= sizeof buf) continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, ps.u.dir.pr_name_len)) continue;
    buf[ps.u.dir.pr_name_len] = 0;
    if (!strcmp(buf, name)) return fd;
  }
  return (__wasi_fd_t)-1;
}

int main(void) {
  setup_stdout();
  __wasi_fd_t dir = maybe_preopen("/sandbox");
  __wasi_prestat_t ps;
  printf("preopen /sandbox: %s; fd_prestat_get(3): %s\n", dir == (__wasi_fd_t)-1 ? "absent" : "present",
         ename(__wasi_fd_prestat_get(3, &ps)));
  args_env();
  clocks();
  random_();
  polls(dir);
  stdin_();
  section("proc_raise");
  static const int sigs[] = {0, 1, 6, 9, 15, 30};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    char label[32];
    snprintf(label, sizeof label, "proc_raise(%d)", sigs[i]);
    T(label, raw_proc_raise(sigs[i]));
  }
  fprintf(stderr, "misc: a line on stderr\n");
  printf("\nexiting with 42\n");
  __wasi_proc_exit(42);
}

// fatal: calls that end the program in wasmtime instead of returning an errno:
// out-of-bounds or misaligned guest pointers, invalid enum/flag values,
// proc_exit with a status >= 126, and a plain wasm trap for comparison.
// Each case is a separate run selected by argv[1] (with no argument the program
// lists the cases); a case that unexpectedly returns prints "returned: ERRNO"
// and exits with status 0. Recorded statuses: 1 = host error (what the
// wasmtime CLI does for an error that is not a wasm trap), 134 = wasm trap.
//
// run: fatal-CASE for every CASE in the table below (listed in runs.txt)
// arg: CASE
// dir: sandbox /sandbox
// setup: mkdir sandbox
#include "wasi_test.h"

static __wasi_fd_t D, F; /* the sandbox preopen and a read/write file in it */
static uint32_t MEM;     /* linear memory size in bytes */
static uint64_t u64buf[4];
static uint8_t bytes[64];

#define OOB ((int32_t)(MEM - 4))  /* 4 bytes below the end: too short for most */
#define FAR ((int32_t)0xFFFFFFF0) /* far past the end */

static int c_whence(void) { return raw_fd_seek(F, 0, 3, P(u64buf)); }
static int c_whence_badfd(void) { return raw_fd_seek(99, 0, 3, P(u64buf)); }
static int c_advice(void) { return raw_fd_advise(F, 0, 0, 6); }
static int c_clock_id(void) { return raw_clock_time_get(4, 0, P(u64buf)); }
static int c_clock_res_id(void) { return raw_clock_res_get(4, P(u64buf)); }
static int c_fdflags(void) { return raw_fd_fdstat_set_flags(F, 0x20); }
static int c_fdflags_wide(void) { return raw_fd_fdstat_set_flags(F, 0x10001); }
static int c_fstflags(void) { return raw_fd_filestat_set_times(F, 0, 0, 0x10); }
static int c_rights(void) { return raw_fd_fdstat_set_rights(F, (int64_t)1 << 40, 0); }
static int c_oflags(void) {
  return raw_path_open(D, 0, P("x"), 1, 0x10, RW_RIGHTS, 0, 0, P(u64buf));
}
static int c_oflags_badfd(void) {
  return raw_path_open(99, 0, P("x"), 1, 0x10, RW_RIGHTS, 0, 0, P(u64buf));
}
static int c_lookupflags(void) {
  return raw_path_open(D, 2, P("x"), 1, __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0, P(u64buf));
}
static int c_open_rights(void) {
  return raw_path_open(D, 0, P("x"), 1, __WASI_OFLAGS_CREAT, (int64_t)1 << 40, 0, 0, P(u64buf));
}
static int c_open_fdflags(void) {
  return raw_path_open(D, 0, P("x"), 1, __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0x20, P(u64buf));
}
static int c_signal(void) { return raw_proc_raise(100); }
static int c_riflags(void) {
  __wasi_iovec_t iov = {bytes, 4};
  return raw_sock_recv(0, P(&iov), 1, 4, P(u64buf), P(u64buf + 1));
}
static int c_accept_fdflags(void) { return raw_sock_accept(0, 0x20, P(u64buf)); }
static int c_sdflags(void) { return raw_sock_shutdown(0, 4); }
static int c_write_iovs_oob(void) { return raw_fd_write(1, FAR, 1, P(u64buf)); }
static int c_write_buf_oob(void) {
  __wasi_ciovec_t iov = {(const uint8_t *)(uintptr_t)OOB, 8};
  return raw_fd_write(1, P(&iov), 1, P(u64buf));
}
static int c_write_badfd_iovs_oob(void) { return raw_fd_write(99, FAR, 1, P(u64buf)); }
static int c_write_retptr_oob(void) {
  __wasi_ciovec_t iov = {(const uint8_t *)"x\n", 2};
  return raw_fd_write(1, P(&iov), 1, FAR);
}
static int c_read_buf_oob(void) {
  __wasi_iovec_t iov = {(uint8_t *)(uintptr_t)OOB, 8};
  return raw_fd_pread(F, P(&iov), 1, 0, P(u64buf));
}
static int c_tell_retptr_oob(void) { return raw_fd_tell(F, OOB); }
static int c_tell_retptr_misaligned(void) { return raw_fd_tell(F, P(bytes) + 1); }
static int c_fdstat_retptr_oob(void) { return raw_fd_fdstat_get(F, FAR); }
static int c_path_oob(void) {
  return raw_path_open(D, 0, OOB, 16, 0, RW_RIGHTS, 0, 0, P(u64buf));
}
static int c_mkdir_path_oob(void) { return raw_path_create_directory(D, FAR, 16); }
static int c_args_sizes_oob(void) { return raw_args_sizes_get(FAR, P(u64buf)); }
static int c_args_get_oob(void) { return raw_args_get(P(u64buf), OOB); }
static int c_random_oob(void) { return raw_random_get(OOB, 16); }
static int c_clock_retptr_misaligned(void) {
  return raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, P(bytes) + 4);
}
static int c_prestat_name_oob(void) { return raw_fd_prestat_dir_name(D, OOB, 8); }
static int c_prestat_retptr_oob(void) { return raw_fd_prestat_get(D, FAR); }
static int c_readdir_oob(void) { return raw_fd_readdir(D, OOB, 64, 0, P(u64buf)); }
static int c_readlink_oob(void) {
  (void)__wasi_path_symlink("target", D, "lnk");
  return raw_path_readlink(D, P("lnk"), 3, OOB, 64, P(u64buf));
}
static int c_poll_subs_oob(void) { return raw_poll_oneoff(FAR, P(bytes), 1, P(u64buf)); }
static int c_poll_events_oob(void) {
  __wasi_subscription_t s[1];
  memset(s, 0, sizeof s);
  s[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  s[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  return raw_poll_oneoff(P(s), FAR, 1, P(u64buf));
}
static int c_exit_125(void) { raw_proc_exit(125); return -1; }
static int c_exit_126(void) { raw_proc_exit(126); return -1; }
static int c_exit_255(void) { raw_proc_exit(255); return -1; }
static int c_exit_256(void) { raw_proc_exit(256); return -1; }
static int c_exit_neg1(void) { raw_proc_exit(-1); return -1; }
static int c_unreachable(void) { __builtin_trap(); }

static const struct { const char *name; int (*fn)(void); } CASES[] = {
#define C(n) {#n, c_##n}
    C(whence), C(whence_badfd), C(advice), C(clock_id), C(clock_res_id), C(fdflags),
    C(fdflags_wide), C(fstflags), C(rights), C(oflags), C(oflags_badfd), C(lookupflags),
    C(open_rights), C(open_fdflags), C(signal), C(riflags), C(accept_fdflags), C(sdflags),
    C(write_iovs_oob), C(write_buf_oob), C(write_badfd_iovs_oob), C(write_retptr_oob),
    C(read_buf_oob), C(tell_retptr_oob), C(tell_retptr_misaligned), C(fdstat_retptr_oob),
    C(path_oob), C(mkdir_path_oob), C(args_sizes_oob), C(args_get_oob), C(random_oob),
    C(clock_retptr_misaligned), C(prestat_name_oob), C(prestat_retptr_oob), C(readdir_oob),
    C(readlink_oob), C(poll_subs_oob), C(poll_events_oob), C(exit_125), C(exit_126),
    C(exit_255), C(exit_256), C(exit_neg1), C(unreachable),
#undef C
};

int main(int argc, char **argv) {
  setup_stdout();
  MEM = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
  D = find_preopen("/sandbox");
  F = (__wasi_fd_t)open_rw(D, "file", __WASI_OFLAGS_CREAT);
  write_str(F, "0123456789");
  if (argc < 2) {
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) printf("%s\n", CASES[i].name);
    return 0;
  }
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    if (strcmp(argv[1], CASES[i].name)) continue;
    printf("case %s\n", CASES[i].name);
    int e = CASES[i].fn();
    printf("returned: %s\n", ename(e));
    return 0;
  }
  printf("unknown case %s\n", argv[1]);
  return 2;
}

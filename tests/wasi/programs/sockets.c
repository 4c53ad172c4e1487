/* Sockets the host hands in (wx run --tcplisten ADDR, or
 * WasiCtxBuilder::tcp_listener): fd 3 is a non-blocking listener. The
 * program serves one connection: waits for it with poll_oneoff, accepts it
 * (blocking), reads a request with sock_recv (once with PEEK first), answers
 * with sock_send and fd_write, shuts down its side and checks what the
 * descriptors report. Not part of runs.txt (wasmtime's default WASI has no
 * sockets): crates/wasi/tests/wasi.rs runs it against a client on loopback.
 * The client sends "ping\n" and expects "pong: ping\n" then "bye\n". */
#include "wasi_test.h"

int main(void) {
  setup_stdout();
  const __wasi_fd_t L = 3;
  __wasi_fdstat_t st;
  T("fdstat listener", __wasi_fd_fdstat_get(L, &st));
  printf("listener type=%s nonblock=%s\n", ftname(st.fs_filetype),
         yn(st.fs_flags & __WASI_FDFLAGS_NONBLOCK));
  __wasi_fd_t conn = 0;
  /* Nothing waits yet on a non-blocking listener: EAGAIN, or a connection
   * the client already made. */
  int e = __wasi_sock_accept(L, __WASI_FDFLAGS_NONBLOCK, &conn);
  if (e == __WASI_ERRNO_AGAIN) {
    __wasi_subscription_t sub = {.userdata = 7, .u = {.tag = __WASI_EVENTTYPE_FD_READ}};
    sub.u.u.fd_read.file_descriptor = L;
    __wasi_event_t ev;
    __wasi_size_t n = 0;
    T("poll listener", __wasi_poll_oneoff(&sub, &ev, 1, &n));
    printf("events=%lu userdata=%llu type=%d\n", (unsigned long)n,
           (unsigned long long)ev.userdata, ev.type);
    e = __wasi_sock_accept(L, 0, &conn);
  } else if (e == 0) {
    /* Serve an early connection blocking too, so the rest reads the same. */
    e = __wasi_fd_fdstat_set_flags(conn, 0);
  }
  T("accept", e);
  if (e) return 1;
  T("accept bad flags", __wasi_sock_accept(L, __WASI_FDFLAGS_APPEND, &conn) == __WASI_ERRNO_INVAL ? 0 : 1);
  T("fdstat conn", __wasi_fd_fdstat_get(conn, &st));
  printf("conn type=%s nonblock=%s\n", ftname(st.fs_filetype),
         yn(st.fs_flags & __WASI_FDFLAGS_NONBLOCK));
  char peek[16] = {0}, buf[64] = {0};
  __wasi_iovec_t pv = {(uint8_t *)peek, 4};
  __wasi_size_t got = 0;
  __wasi_roflags_t ro = 99;
  T("recv peek", __wasi_sock_recv(conn, &pv, 1, __WASI_RIFLAGS_RECV_PEEK, &got, &ro));
  printf("peeked %lu: %.4s roflags=%u\n", (unsigned long)got, peek, ro);
  __wasi_iovec_t rv = {(uint8_t *)buf, 5};
  T("recv waitall", __wasi_sock_recv(conn, &rv, 1, __WASI_RIFLAGS_RECV_WAITALL, &got, &ro));
  printf("received %lu: %.*s", (unsigned long)got, (int)got, buf);
  char reply[80];
  int len = snprintf(reply, sizeof reply, "pong: %.*s", (int)got, buf);
  __wasi_ciovec_t sv = {(const uint8_t *)reply, (size_t)len};
  __wasi_size_t sent = 0;
  T("send", __wasi_sock_send(conn, &sv, 1, 0, &sent));
  printf("sent %lu\n", (unsigned long)sent);
  __wasi_ciovec_t bye = {(const uint8_t *)"bye\n", 4};
  __wasi_size_t w = 0;
  T("fd_write to socket", __wasi_fd_write(conn, &bye, 1, &w));
  T("shutdown WR", __wasi_sock_shutdown(conn, __WASI_SDFLAGS_WR));
  /* The client closes after reading everything: end of stream. */
  __wasi_iovec_t ev2 = {(uint8_t *)buf, sizeof buf};
  T("recv at end", __wasi_sock_recv(conn, &ev2, 1, 0, &got, &ro));
  printf("received %lu at end\n", (unsigned long)got);
  T("recv on listener", __wasi_sock_recv(L, &ev2, 1, 0, &got, &ro));
  T("send on stdout", __wasi_sock_send(1, &sv, 1, 0, &sent));
  T("shutdown on stdout", __wasi_sock_shutdown(1, __WASI_SDFLAGS_RD));
  T("close conn", __wasi_fd_close(conn));
  return 0;
}

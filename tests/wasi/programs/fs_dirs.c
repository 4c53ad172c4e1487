// fs_dirs: directories, links and fd_readdir: path_create_directory,
// path_remove_directory, path_unlink_file, path_rename, path_link,
// path_symlink, path_readlink, path_filestat_get, path_filestat_set_times,
// fd_readdir (".", "..", cookies, short buffers, d_type, d_ino consistency).
//
// fd_readdir returns entries after "." and ".." in host order, which differs
// between filesystems, so listings are printed sorted and cookie checks print
// only yes/no comparisons against the full listing.
//
// run: fs_dirs
// dir: sandbox /sandbox
// setup: mkdir sandbox
#include "wasi_test.h"

static __wasi_fd_t D;

typedef struct {
  uint64_t next, ino;
  uint32_t namlen;
  uint8_t type;
  char name[300];
  size_t size; /* bytes this entry occupies in the readdir buffer */
} ent_t;

#define MAXE 160
static ent_t E[MAXE];
static uint8_t big[65536];

/* Parse complete entries out of buf[0..n); returns count. */
static int parse(const uint8_t *buf, size_t n, ent_t *out, int max) {
  size_t off = 0;
  int c = 0;
  while (off + sizeof(__wasi_dirent_t) <= n && c < max) {
    __wasi_dirent_t d;
    memcpy(&d, buf + off, sizeof d);
    if (off + sizeof d + d.d_namlen > n) break;
    out[c].next = d.d_next;
    out[c].ino = d.d_ino;
    out[c].namlen = d.d_namlen;
    out[c].type = d.d_type;
    memcpy(out[c].name, buf + off + sizeof d, d.d_namlen);
    out[c].name[d.d_namlen] = 0;
    out[c].size = sizeof d + d.d_namlen;
    off += out[c].size;
    c++;
  }
  return c;
}

/* Read a whole directory the way wasi-libc does, with a buffer of bufsize. */
static int read_all(__wasi_fd_t fd, size_t bufsize, ent_t *out, int max, int *calls) {
  uint64_t cookie = 0;
  int total = 0;
  *calls = 0;
  for (;;) {
    __wasi_size_t n = 0;
    int e = __wasi_fd_readdir(fd, big, bufsize, cookie, &n);
    (*calls)++;
    if (e) { show("readdir", e); return -1; }
    int c = parse(big, n, out + total, max - total);
    total += c;
    if (n < bufsize) return total;
    if (c == 0) { printf("buffer too small for one entry\n"); return total; }
    cookie = out[total - 1].next;
  }
}

static int cmp_ent(const void *a, const void *b) {
  return strcmp(((const ent_t *)a)->name, ((const ent_t *)b)->name);
}

static void list(const char *label, __wasi_fd_t fd) {
  int calls;
  static ent_t tmp[MAXE];
  int n = read_all(fd, sizeof big, tmp, MAXE, &calls);
  if (n < 0) return;
  qsort(tmp, n, sizeof tmp[0], cmp_ent);
  printf("%s (%d):", label, n);
  for (int i = 0; i < n; i++) printf(" %s[%s]", tmp[i].name, ftname(tmp[i].type));
  printf("\n");
}

static uint64_t ino_of(__wasi_fd_t dir, const char *path, int follow) {
  __wasi_filestat_t st;
  int e = __wasi_path_filestat_get(dir, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, &st);
  return e ? 0 : st.ino;
}

static void pstat(const char *label, __wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path) {
  __wasi_filestat_t st;
  int e = __wasi_path_filestat_get(dir, lf, path, &st);
  if (e) { show(label, e); return; }
  if (st.filetype == __WASI_FILETYPE_DIRECTORY)
    printf("%s: ok type=%s\n", label, ftname(st.filetype));
  else
    printf("%s: ok type=%s nlink=%llu size=%llu\n", label, ftname(st.filetype),
           (unsigned long long)st.nlink, (unsigned long long)st.size);
}

static void readlink_(const char *label, __wasi_fd_t dir, const char *path, size_t len) {
  uint8_t buf[64];
  memset(buf, '#', sizeof buf);
  __wasi_size_t n = 0;
  int e = __wasi_path_readlink(dir, path, buf, len, &n);
  if (e) { show(label, e); return; }
  printf("%s: ok n=%lu ", label, (unsigned long)n);
  print_bytes("buf", buf, len + 2 < sizeof buf ? len + 2 : sizeof buf);
}

static void section(const char *s) { printf("\n== %s\n", s); }

static void mkdir_rmdir(void) {
  section("create / remove directory, unlink");
  T("mkdir d1", __wasi_path_create_directory(D, "d1"));
  T("mkdir d1 again", __wasi_path_create_directory(D, "d1"));
  T("mkdir d1/sub", __wasi_path_create_directory(D, "d1/sub"));
  T("mkdir nope/sub", __wasi_path_create_directory(D, "nope/sub"));
  make_file(D, "f", "file");
  T("mkdir f (file exists)", __wasi_path_create_directory(D, "f"));
  T("mkdir f/sub", __wasi_path_create_directory(D, "f/sub"));
  T("mkdir empty path", __wasi_path_create_directory(D, ""));
  T("mkdir .", __wasi_path_create_directory(D, "."));
  T("mkdir d2/ (trailing slash)", __wasi_path_create_directory(D, "d2/"));
  T("mkdir d1/sub/../sub2", __wasi_path_create_directory(D, "d1/sub/../sub2"));
  pstat("stat d2", D, 0, "d2");
  T("rmdir d1 (not empty)", __wasi_path_remove_directory(D, "d1"));
  T("rmdir f (file)", __wasi_path_remove_directory(D, "f"));
  T("rmdir missing", __wasi_path_remove_directory(D, "missing"));
  T("rmdir .", __wasi_path_remove_directory(D, "."));
  T("rmdir empty path", __wasi_path_remove_directory(D, ""));
  T("rmdir d1/sub/ (trailing slash)", __wasi_path_remove_directory(D, "d1/sub/"));
  T("rmdir d1/sub2/.", __wasi_path_remove_directory(D, "d1/sub2/."));
  T("rmdir d1/sub2", __wasi_path_remove_directory(D, "d1/sub2"));
  T("rmdir d1", __wasi_path_remove_directory(D, "d1"));
  T("rmdir d1 again", __wasi_path_remove_directory(D, "d1"));
  T("unlink d2 (dir)", __wasi_path_unlink_file(D, "d2"));
  T("unlink d2/ (dir, slash)", __wasi_path_unlink_file(D, "d2/"));
  T("unlink f/ (file, slash)", __wasi_path_unlink_file(D, "f/"));
  T("unlink missing", __wasi_path_unlink_file(D, "missing"));
  T("unlink empty path", __wasi_path_unlink_file(D, ""));
  T("unlink .", __wasi_path_unlink_file(D, "."));
  T("symlink fl -> f", __wasi_path_symlink("f", D, "fl"));
  T("symlink dl -> d2", __wasi_path_symlink("d2", D, "dl"));
  T("rmdir dl (symlink to dir)", __wasi_path_remove_directory(D, "dl"));
  T("unlink dl/ (symlink to dir, slash)", __wasi_path_unlink_file(D, "dl/"));
  T("unlink dl (symlink to dir)", __wasi_path_unlink_file(D, "dl"));
  pstat("stat d2 (still there)", D, 0, "d2");
  T("unlink fl (symlink)", __wasi_path_unlink_file(D, "fl"));
  pstat("stat f (target kept)", D, 0, "f");
  __wasi_fd_t fd;
  (void)__wasi_path_open(D, 0, "f", 0, RW_RIGHTS, 0, 0, &fd);
  T("unlink f while open", __wasi_path_unlink_file(D, "f"));
  T("write to unlinked file", write_str(fd, "-still-writable"));
  __wasi_filestat_t st;
  T("fd_filestat_get unlinked", __wasi_fd_filestat_get(fd, &st));
  printf("nlink=%llu size=%llu\n", (unsigned long long)st.nlink, (unsigned long long)st.size);
  (void)__wasi_fd_close(fd);
  T("rmdir d2", __wasi_path_remove_directory(D, "d2"));
}

static void rename_link(void) {
  section("rename");
  make_file(D, "r1", "one");
  make_file(D, "r2", "two");
  T("rename r1 -> r3", __wasi_path_rename(D, "r1", D, "r3"));
  T("rename r1 again", __wasi_path_rename(D, "r1", D, "r4"));
  T("rename r3 -> r2 (replace file)", __wasi_path_rename(D, "r3", D, "r2"));
  cat(D, "r2");
  pstat("stat r3", D, 0, "r3");
  T("rename r2 -> r2 (same)", __wasi_path_rename(D, "r2", D, "r2"));
  cat(D, "r2");
  T("mkdir da", __wasi_path_create_directory(D, "da"));
  T("mkdir db", __wasi_path_create_directory(D, "db"));
  T("mkdir dc", __wasi_path_create_directory(D, "dc"));
  make_file(D, "dc/inner", "inner");
  T("rename da -> db (over empty dir)", __wasi_path_rename(D, "da", D, "db"));
  T("rename db -> dc (over non-empty dir)", __wasi_path_rename(D, "db", D, "dc"));
  T("rename r2 -> dc (file over dir)", __wasi_path_rename(D, "r2", D, "dc"));
  T("rename dc -> r2 (dir over file)", __wasi_path_rename(D, "dc", D, "r2"));
  T("rename dc -> dc/sub (into itself)", __wasi_path_rename(D, "dc", D, "dc/sub"));
  T("rename dc -> dd", __wasi_path_rename(D, "dc", D, "dd"));
  cat(D, "dd/inner");
  T("rename r2 -> missing/x", __wasi_path_rename(D, "r2", D, "missing/x"));
  T("rename r2 -> r2/x", __wasi_path_rename(D, "r2", D, "r2/x"));
  T("rename r2/ -> r5 (trailing slash on file)", __wasi_path_rename(D, "r2/", D, "r5"));
  T("rename dd/ -> de/ (trailing slashes on dir)", __wasi_path_rename(D, "dd/", D, "de/"));
  T("rename . -> x", __wasi_path_rename(D, ".", D, "x"));
  T("rename r2 -> .", __wasi_path_rename(D, "r2", D, "."));
  T("rename empty -> x", __wasi_path_rename(D, "", D, "x"));
  __wasi_fd_t sub;
  (void)__wasi_path_open(D, 0, "de", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, DIR_RIGHTS, 0, &sub);
  T("rename r2 -> de/r2 across fds", __wasi_path_rename(D, "r2", sub, "r2"));
  cat(sub, "r2");
  T("rename back across fds", __wasi_path_rename(sub, "r2", D, "r2"));
  T("symlink sl -> r2", __wasi_path_symlink("r2", D, "sl"));
  T("rename sl -> sl2 (renames the link)", __wasi_path_rename(D, "sl", D, "sl2"));
  pstat("stat sl2 nofollow", D, 0, "sl2");
  T("rename r2 -> sl2 (replace symlink)", __wasi_path_rename(D, "r2", D, "sl2"));
  pstat("stat sl2 nofollow", D, 0, "sl2");
  T("rename sl2 -> r2", __wasi_path_rename(D, "sl2", D, "r2"));
  (void)__wasi_fd_close(sub);

  section("link");
  T("link r2 -> h1", __wasi_path_link(D, 0, "r2", D, "h1"));
  pstat("stat r2", D, 0, "r2");
  printf("same inode: %s\n", yn(ino_of(D, "r2", 0) == ino_of(D, "h1", 0)));
  T("link r2 -> h1 again (exists)", __wasi_path_link(D, 0, "r2", D, "h1"));
  T("link missing -> h2", __wasi_path_link(D, 0, "missing", D, "h2"));
  T("link de (dir) -> h3", __wasi_path_link(D, 0, "de", D, "h3"));
  T("link r2 -> missing/h4", __wasi_path_link(D, 0, "r2", D, "missing/h4"));
  T("link r2 -> h5/ (trailing slash)", __wasi_path_link(D, 0, "r2", D, "h5/"));
  T("symlink ls -> r2", __wasi_path_symlink("r2", D, "ls"));
  T("link ls -> h6 (nofollow)", __wasi_path_link(D, 0, "ls", D, "h6"));
  pstat("stat h6 nofollow", D, 0, "h6");
  T("link ls -> h7 (SYMLINK_FOLLOW)", __wasi_path_link(D, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "ls", D, "h7"));
  pstat("stat h7 nofollow", D, 0, "h7");
  T("unlink h1", __wasi_path_unlink_file(D, "h1"));
  pstat("stat r2 after unlink h1", D, 0, "r2");
}

static void symlinks(void) {
  section("symlink / readlink / filestat");
  T("symlink s1 -> r2", __wasi_path_symlink("r2", D, "s1"));
  T("symlink s1 again (exists)", __wasi_path_symlink("r2", D, "s1"));
  T("symlink over file r2", __wasi_path_symlink("x", D, "r2"));
  T("symlink dangling -> nowhere", __wasi_path_symlink("nowhere", D, "dangling"));
  T("symlink dangling2 -> nowhere2", __wasi_path_symlink("nowhere2", D, "dangling2"));
  T("symlink empty target", __wasi_path_symlink("", D, "emptytarget"));
  T("symlink empty name", __wasi_path_symlink("r2", D, ""));
  T("symlink in missing dir", __wasi_path_symlink("r2", D, "missing/s"));
  T("symlink name with trailing slash", __wasi_path_symlink("r2", D, "s9/"));
  T("symlink sd -> de (dir)", __wasi_path_symlink("de", D, "sd"));
  T("symlink chain c1 -> s1", __wasi_path_symlink("s1", D, "c1"));
  readlink_("readlink s1 len 64", D, "s1", 64);
  readlink_("readlink s1 len 1 (short)", D, "s1", 1);
  readlink_("readlink s1 len 0", D, "s1", 0);
  readlink_("readlink dangling", D, "dangling", 32);
  readlink_("readlink c1 (chain: not followed)", D, "c1", 32);
  readlink_("readlink r2 (file)", D, "r2", 32);
  readlink_("readlink de (dir)", D, "de", 32);
  readlink_("readlink missing", D, "missing", 32);
  readlink_("readlink s1/ (trailing slash)", D, "s1/", 32);
  readlink_("readlink sd/ (trailing slash, dir link)", D, "sd/", 32);
  readlink_("readlink de/../s1", D, "de/../s1", 32);
  pstat("stat s1 nofollow", D, 0, "s1");
  pstat("stat s1 follow", D, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "s1");
  pstat("stat c1 follow (chain)", D, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "c1");
  pstat("stat dangling nofollow", D, 0, "dangling");
  pstat("stat dangling follow", D, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling");
  pstat("stat sd follow", D, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "sd");
  pstat("stat sd nofollow", D, 0, "sd");
  pstat("stat sd/ nofollow (trailing slash)", D, 0, "sd/");
  pstat("stat s1/ nofollow (link to file, slash)", D, 0, "s1/");
  pstat("stat emptytarget follow", D, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "emptytarget");
  pstat("stat sd/../r2 (through dir link)", D, 0, "sd/../r2");
  pstat("stat .", D, 0, ".");
  pstat("stat empty path", D, 0, "");
  __wasi_fd_t fd;
  T("open s1 nofollow", __wasi_path_open(D, 0, "s1", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
  T("open s1 follow", __wasi_path_open(D, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "s1", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
  (void)__wasi_fd_close(fd);
  T("open sd nofollow DIRECTORY", __wasi_path_open(D, 0, "sd", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
  T("open sd/ nofollow DIRECTORY", __wasi_path_open(D, 0, "sd/", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
  if (fd != (__wasi_fd_t)-1) (void)__wasi_fd_close(fd);
  fd = (__wasi_fd_t)-1;
  T("open dangling follow creat", __wasi_path_open(D, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling", __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0, &fd));
  pstat("stat nowhere (created through link?)", D, 0, "nowhere");
  T("open dangling nofollow creat", __wasi_path_open(D, 0, "dangling", __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0, &fd));
  T("open s1 follow creat|excl", __wasi_path_open(D, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "s1", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL, RW_RIGHTS, 0, 0, &fd));

  section("path_filestat_set_times");
  const uint64_t A = 1111111111ull * 1000000000ull + 1, M = 1222222222ull * 1000000000ull + 2;
  __wasi_filestat_t st, lst;
  T("set_times r2 explicit", __wasi_path_filestat_set_times(D, 0, "r2", A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  __wasi_path_filestat_get(D, 0, "r2", &st);
  printf("r2 atim=%llu mtim=%llu\n", (unsigned long long)st.atim, (unsigned long long)st.mtim);
  T("set_times s1 nofollow (the link itself)", __wasi_path_filestat_set_times(D, 0, "s1", A + 10, M + 10, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  __wasi_path_filestat_get(D, 0, "s1", &lst);
  __wasi_path_filestat_get(D, 0, "r2", &st);
  printf("link mtim=%llu target mtim=%llu\n", (unsigned long long)lst.mtim, (unsigned long long)st.mtim);
  T("set_times s1 follow", __wasi_path_filestat_set_times(D, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "s1", A + 20, M + 20, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  __wasi_path_filestat_get(D, 0, "s1", &lst);
  __wasi_path_filestat_get(D, 0, "r2", &st);
  printf("link mtim=%llu target mtim=%llu\n", (unsigned long long)lst.mtim, (unsigned long long)st.mtim);
  T("set_times MTIM_NOW", __wasi_path_filestat_set_times(D, 0, "r2", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  __wasi_path_filestat_get(D, 0, "r2", &st);
  printf("mtime changed: %s atime kept: %s\n", yn(st.mtim != M + 20), yn(st.atim == A + 20));
  T("set_times ATIM|ATIM_NOW", __wasi_path_filestat_set_times(D, 0, "r2", 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
  T("set_times MTIM|MTIM_NOW", __wasi_path_filestat_set_times(D, 0, "r2", 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW));
  T("set_times missing", __wasi_path_filestat_set_times(D, 0, "missing", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  T("set_times dangling2 follow", __wasi_path_filestat_set_times(D, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "dangling2", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  T("set_times dangling2 nofollow", __wasi_path_filestat_set_times(D, 0, "dangling2", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  T("set_times sd/ (dir link, trailing slash)", __wasi_path_filestat_set_times(D, 0, "sd/", A, M, __WASI_FSTFLAGS_MTIM));
  T("set_times dir de", __wasi_path_filestat_set_times(D, 0, "de", A, M, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  __wasi_path_filestat_get(D, 0, "de", &st);
  printf("de mtim=%llu\n", (unsigned long long)st.mtim);
  T("set_times . ", __wasi_path_filestat_set_times(D, 0, ".", A, M, __WASI_FSTFLAGS_MTIM));
  T("set_times flags 0", __wasi_path_filestat_set_times(D, 0, "r2", 0, 0, 0));
}

static void readdir_tests(void) {
  section("fd_readdir");
  T("mkdir rd", __wasi_path_create_directory(D, "rd"));
  make_file(D, "rd/a", "1");
  make_file(D, "rd/bb", "22");
  T("mkdir rd/ccc", __wasi_path_create_directory(D, "rd/ccc"));
  T("symlink rd/dd -> a", __wasi_path_symlink("a", D, "rd/dd"));
  T("symlink rd/eeee -> nowhere", __wasi_path_symlink("nowhere", D, "rd/eeee"));
  __wasi_fd_t R;
  T("open rd", __wasi_path_open(D, 0, "rd", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, DIR_RIGHTS, 0, &R));
  __wasi_size_t n = 0;
  int e = __wasi_fd_readdir(R, big, sizeof big, 0, &n);
  int cnt = parse(big, n, E, MAXE);
  size_t total = 0;
  for (int i = 0; i < cnt; i++) total += E[i].size;
  printf("readdir 64K: %s n=%lu entries=%d sum=%zu\n", ename(e), (unsigned long)n, cnt, total);
  printf("first: %s[%s] second: %s[%s]\n", E[0].name, ftname(E[0].type), E[1].name, ftname(E[1].type));
  printf("d_next:");
  for (int i = 0; i < cnt; i++) printf(" %llu", (unsigned long long)E[i].next);
  printf("\n");
  __wasi_filestat_t st;
  __wasi_fd_filestat_get(R, &st);
  printf(". d_ino == fd_filestat ino: %s\n", yn(E[0].ino == st.ino));
  printf(".. d_ino == . d_ino: %s\n", yn(E[1].ino == E[0].ino));
  printf(".. d_ino == ino of parent: %s\n", yn(E[1].ino == ino_of(D, ".", 0)));
  int ino_ok = 1;
  for (int i = 2; i < cnt; i++) ino_ok &= E[i].ino == ino_of(R, E[i].name, 0);
  printf("entry d_ino == path_filestat_get(nofollow) ino: %s\n", yn(ino_ok));
  list("rd sorted", R);
  static ent_t sub[MAXE];
  for (int k = 0; k <= cnt + 1; k++) {
    e = __wasi_fd_readdir(R, big, sizeof big, k, &n);
    int c = parse(big, n, sub, MAXE);
    size_t want = 0;
    for (int i = k; i < cnt; i++) want += E[i].size;
    int same = c == (k < cnt ? cnt - k : 0) && n == want;
    for (int i = 0; same && i < c; i++) same = strcmp(sub[i].name, E[k + i].name) == 0 && sub[i].next == E[k + i].next;
    printf("cookie %d: %s entries=%d matches full listing: %s\n", k, ename(e), c, yn(same));
  }
  e = __wasi_fd_readdir(R, big, sizeof big, UINT64_MAX, &n);
  printf("cookie max: %s n=%lu\n", ename(e), (unsigned long)n);
  e = __wasi_fd_readdir(R, big, sizeof big, (uint64_t)1 << 40, &n);
  printf("cookie 1<<40: %s n=%lu\n", ename(e), (unsigned long)n);
  static const size_t small[] = {0, 1, 8, 23, 24, 25, 26, 48, 49, 50, 51};
  for (size_t i = 0; i < sizeof small / sizeof small[0]; i++) {
    memset(big, 0xAA, 128);
    e = __wasi_fd_readdir(R, big, small[i], 0, &n);
    int untouched = 1;
    for (size_t j = n; j < 128; j++) untouched &= big[j] == 0xAA;
    uint64_t next = 0;
    memcpy(&next, big, 8);
    printf("buf %zu: %s n=%lu untouched beyond n: %s", small[i], ename(e), (unsigned long)n, yn(untouched));
    if (n >= 8) printf(" first d_next=%llu", (unsigned long long)next);
    if (n >= 24) printf(" first namlen=%u type=%s", ((__wasi_dirent_t *)big)->d_namlen, ftname(big[20]));
    if (n >= 25) printf(" name0=%c", big[24]);
    printf("\n");
  }
  e = __wasi_fd_readdir(R, big, total, 0, &n);
  printf("buf == exact total: %s n==total: %s\n", ename(e), yn(n == total));
  e = __wasi_fd_readdir(R, big, total - 1, 0, &n);
  printf("buf == total-1: %s n==total-1: %s\n", ename(e), yn(n == total - 1));
  e = __wasi_fd_readdir(R, big, total + 1, 0, &n);
  printf("buf == total+1: %s n==total: %s\n", ename(e), yn(n == total));
  static const size_t bufs[] = {32, 40, 64, 100};
  for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++) {
    int calls;
    int c = read_all(R, bufs[i], sub, MAXE, &calls);
    int same = c == cnt;
    for (int j = 0; same && j < c; j++) same = strcmp(sub[j].name, E[j].name) == 0;
    printf("resume with %zu-byte buffer: entries=%d same as full: %s\n", bufs[i], c, yn(same));
  }
  make_file(D, "rd/new_file", "");
  list("after creating rd/new_file", R);
  T("unlink rd/a", __wasi_path_unlink_file(D, "rd/a"));
  list("after unlinking rd/a", R);
  list("preopen", D);
  __wasi_fd_t r0;
  T("open rd rights=0", __wasi_path_open(D, 0, "rd", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &r0));
  e = __wasi_fd_readdir(r0, big, sizeof big, 0, &n);
  printf("readdir rights=0: %s entries=%d\n", ename(e), parse(big, n, sub, MAXE));
  (void)__wasi_fd_close(r0);
  T("mkdir empty", __wasi_path_create_directory(D, "empty"));
  T("open empty", __wasi_path_open(D, 0, "empty", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, DIR_RIGHTS, 0, &r0));
  e = __wasi_fd_readdir(r0, big, sizeof big, 0, &n);
  printf("empty dir: %s n=%lu entries=%d\n", ename(e), (unsigned long)n, parse(big, n, sub, MAXE));
  T("rmdir empty while open", __wasi_path_remove_directory(D, "empty"));
  e = __wasi_fd_readdir(r0, big, sizeof big, 0, &n);
  printf("removed dir: %s n=%lu entries=%d\n", ename(e), (unsigned long)n, parse(big, n, sub, MAXE));
  T("create in removed dir", __wasi_path_create_directory(r0, "x"));
  T("fd_filestat_get removed dir", __wasi_fd_filestat_get(r0, &st));
  printf("removed dir nlink=%llu\n", (unsigned long long)st.nlink);
  (void)__wasi_fd_close(r0);
  T("mkdir many", __wasi_path_create_directory(D, "many"));
  for (int i = 0; i < 120; i++) {
    char name[80];
    snprintf(name, sizeof name, "many/entry_with_a_fairly_long_name_%03d", i);
    make_file(D, name, "");
  }
  T("open many", __wasi_path_open(D, 0, "many", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, DIR_RIGHTS, 0, &r0));
  int calls;
  int c = read_all(r0, 256, sub, MAXE, &calls);
  int all = c == 122;
  for (int i = 2; all && i < c; i++) all = strncmp(sub[i].name, "entry_with_a_fairly_long_name_", 30) == 0;
  qsort(sub + 2, c - 2, sizeof sub[0], cmp_ent);
  for (int i = 2; all && i < c; i++) all = atoi(sub[i].name + 30) == i - 2;
  printf("many: entries=%d calls=%d all present once: %s\n", c, calls, yn(all));
  (void)__wasi_fd_close(r0);
  (void)__wasi_fd_close(R);
}

int main(void) {
  setup_stdout();
  D = find_preopen("/sandbox");
  mkdir_rmdir();
  rename_link();
  symlinks();
  readdir_tests();
  return 0;
}

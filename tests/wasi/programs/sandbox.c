// sandbox: attempts to escape the preopened directories: "..", absolute
// paths, symlinks (made by the guest and by the host) pointing outside,
// symlink loops and long chains, a directory fd used as its own root, and a
// directory renamed while a descriptor to it is open. Prints the errno of each.
//
// run: sandbox
// dir: sandbox /sandbox
// dir: other /other
// setup: mkdir sandbox
// setup: mkdir other
// setup: mkdir outside
// setup: write outside/secret top-secret
// setup: symlink ../outside sandbox/host_rel
// setup: symlink ../outside/secret sandbox/host_rel_file
// setup: symlink-abs outside sandbox/host_abs
// (symlink TARGET LINK makes LINK, relative to the run's temporary directory,
// contain exactly TARGET; symlink-abs makes it contain the absolute host path
// of TARGET, e.g. /tmp/xyz/outside.)
#include "wasi_test.h"

static __wasi_fd_t D, O;
static const __wasi_lookupflags_t FOLLOW = __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW;

static void section(const char *s) { printf("\n== %s\n", s); }

static int open_r(__wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path, __wasi_oflags_t of) {
  __wasi_fd_t fd;
  int e = __wasi_path_open(dir, lf, path, of, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  if (!e) (void)__wasi_fd_close(fd);
  return e;
}
static int stat_(__wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path) {
  __wasi_filestat_t st;
  return __wasi_path_filestat_get(dir, lf, path, &st);
}
static void stat_type(const char *label, __wasi_fd_t dir, __wasi_lookupflags_t lf, const char *path) {
  __wasi_filestat_t st;
  int e = __wasi_path_filestat_get(dir, lf, path, &st);
  if (e) show(label, e); else printf("%s: ok type=%s\n", label, ftname(st.filetype));
}
static void readlink_(const char *label, __wasi_fd_t dir, const char *path, int print) {
  char buf[256];
  __wasi_size_t n = 0;
  int e = __wasi_path_readlink(dir, path, (uint8_t *)buf, sizeof buf, &n);
  if (e) show(label, e);
  else if (print) print_bytes(label, (uint8_t *)buf, n);
  else printf("%s: ok\n", label);
}

/* Every path-taking call with the same path; the results are printed on one line. */
static void all_ops(const char *path) {
  __wasi_fd_t fd;
  char buf[64];
  __wasi_size_t n;
  printf("%-28s", path);
  printf(" open=%s", ename(open_r(D, 0, path, 0)));
  printf(" open_follow=%s", ename(open_r(D, FOLLOW, path, 0)));
  printf(" open_dir=%s", ename(open_r(D, 0, path, __WASI_OFLAGS_DIRECTORY)));
  printf(" creat=%s", ename(__wasi_path_open(D, 0, path, __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0, &fd)));
  printf(" stat=%s", ename(stat_(D, 0, path)));
  printf(" stat_follow=%s", ename(stat_(D, FOLLOW, path)));
  printf(" readlink=%s", ename(__wasi_path_readlink(D, path, (uint8_t *)buf, sizeof buf, &n)));
  printf(" mkdir=%s", ename(__wasi_path_create_directory(D, path)));
  printf(" rmdir=%s", ename(__wasi_path_remove_directory(D, path)));
  printf(" unlink=%s", ename(__wasi_path_unlink_file(D, path)));
  printf(" times=%s", ename(__wasi_path_filestat_set_times(D, FOLLOW, path, 0, 0, __WASI_FSTFLAGS_MTIM_NOW)));
  printf(" times_nofollow=%s", ename(__wasi_path_filestat_set_times(D, 0, path, 0, 0, __WASI_FSTFLAGS_MTIM_NOW)));
  printf(" symlink_at=%s", ename(__wasi_path_symlink("f", D, path)));
  printf(" link_from=%s", ename(__wasi_path_link(D, 0, path, D, "linked")));
  printf(" link_to=%s", ename(__wasi_path_link(D, 0, "f", D, path)));
  printf(" rename_from=%s", ename(__wasi_path_rename(D, path, D, "renamed")));
  printf(" rename_to=%s", ename(__wasi_path_rename(D, "victim", D, path)));
  printf("\n");
  /* Undo anything that worked so the next path starts from the same state. */
  (void)__wasi_path_unlink_file(D, "linked");
  (void)__wasi_path_rename(D, "renamed", D, path);
  make_file(D, "victim", "victim");
  (void)__wasi_path_unlink_file(D, "f");
  make_file(D, "f", "inside");
}

static void direct_paths(void) {
  section("direct paths (every path operation)");
  static const char *paths[] = {
      "..", "../outside", "../outside/secret", "../sandbox/f", "/", "/etc/passwd",
      "/sandbox/f", "a/../../outside/secret", "a/../f", "a/..", "./a/./../f", "a/b/../../../x",
      "../escaped_new", "a/../../escaped_new", ".", "", "f/..", "..\\x", "a//..//f",
  };
  for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) all_ops(paths[i]);
  stat_type("stat literal '..\\x' (backslash is an ordinary byte)", D, 0, "..\\x");
}

static void guest_symlinks(void) {
  section("symlinks created by the guest");
  static const struct { const char *name, *target; } L[] = {
      {"esc_abs", "/etc/passwd"}, {"esc_abs_dir", "/"}, {"esc_rel", "../outside/secret"},
      {"esc_dir", ".."}, {"esc_deep", "a/../../outside"}, {"roundtrip", "../sandbox/f"},
      {"abs_inside", "/sandbox/f"}, {"inside", "a/../f"}, {"inside_dir", "a"},
      {"a/up", ".."}, {"a/up2", "../.."}, {"chain_out", "esc_rel"}, {"dot", "."},
      {"to_host_rel", "host_rel/secret"},
  };
  for (size_t i = 0; i < sizeof L / sizeof L[0]; i++) {
    char label[96];
    snprintf(label, sizeof label, "symlink %s -> %s", L[i].name, L[i].target);
    T(label, __wasi_path_symlink(L[i].target, D, L[i].name));
  }
  for (size_t i = 0; i < sizeof L / sizeof L[0]; i++) {
    const char *p = L[i].name;
    printf("%-12s open=%s open_follow=%s stat=%s stat_follow=%s times_follow=%s",
           p, ename(open_r(D, 0, p, 0)), ename(open_r(D, FOLLOW, p, 0)), ename(stat_(D, 0, p)),
           ename(stat_(D, FOLLOW, p)),
           ename(__wasi_path_filestat_set_times(D, FOLLOW, p, 0, 0, __WASI_FSTFLAGS_MTIM_NOW)));
    char sub[64];
    snprintf(sub, sizeof sub, "%s/f", p);
    printf(" open(%s)=%s", sub, ename(open_r(D, 0, sub, 0)));
    snprintf(sub, sizeof sub, "%s/outside/secret", p);
    printf(" open(%s)=%s", sub, ename(open_r(D, 0, sub, 0)));
    printf("\n");
  }
  readlink_("readlink esc_abs", D, "esc_abs", 1);
  readlink_("readlink esc_rel", D, "esc_rel", 1);
  readlink_("readlink a/up", D, "a/up", 1);
  T("link_from esc_rel (nofollow: links the symlink)", __wasi_path_link(D, 0, "esc_rel", D, "esc_rel_hard"));
  stat_type("stat esc_rel_hard", D, 0, "esc_rel_hard");
  T("link_from esc_rel FOLLOW", __wasi_path_link(D, FOLLOW, "esc_rel", D, "esc_rel_hard2"));
  T("creat through esc_dir", __wasi_path_open(D, 0, "esc_dir/created_outside", __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0, &(__wasi_fd_t){0}));
  T("mkdir through esc_dir", __wasi_path_create_directory(D, "esc_dir/mkdir_outside"));
  T("symlink through esc_dir", __wasi_path_symlink("x", D, "esc_dir/symlink_outside"));
  T("rename f through esc_dir", __wasi_path_rename(D, "victim", D, "esc_dir/moved_outside"));
  T("unlink the escaping link itself", __wasi_path_unlink_file(D, "esc_rel_hard"));
}

static void host_symlinks(void) {
  section("symlinks created by the host before the run");
  stat_type("stat host_rel", D, 0, "host_rel");
  stat_type("stat host_rel follow", D, FOLLOW, "host_rel");
  stat_type("stat host_abs", D, 0, "host_abs");
  stat_type("stat host_abs follow", D, FOLLOW, "host_abs");
  stat_type("stat host_rel_file", D, 0, "host_rel_file");
  stat_type("stat host_rel_file follow", D, FOLLOW, "host_rel_file");
  readlink_("readlink host_rel", D, "host_rel", 1);
  readlink_("readlink host_rel_file", D, "host_rel_file", 1);
  readlink_("readlink host_abs (content not printed)", D, "host_abs", 0);
  T("open host_rel/secret", open_r(D, 0, "host_rel/secret", 0));
  T("open host_abs/secret", open_r(D, 0, "host_abs/secret", 0));
  T("open host_rel_file follow", open_r(D, FOLLOW, "host_rel_file", 0));
  T("open host_rel_file nofollow", open_r(D, 0, "host_rel_file", 0));
  T("open host_rel DIRECTORY follow", open_r(D, FOLLOW, "host_rel", __WASI_OFLAGS_DIRECTORY));
  T("creat host_rel/new", __wasi_path_open(D, 0, "host_rel/new", __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0, &(__wasi_fd_t){0}));
  T("open host_rel_file follow+trunc", __wasi_path_open(D, FOLLOW, "host_rel_file", __WASI_OFLAGS_TRUNC, RW_RIGHTS, 0, 0, &(__wasi_fd_t){0}));
  T("set_times host_abs follow", __wasi_path_filestat_set_times(D, FOLLOW, "host_abs", 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  T("rename host_rel -> host_rel_moved (the link)", __wasi_path_rename(D, "host_rel", D, "host_rel_moved"));
  T("rename back", __wasi_path_rename(D, "host_rel_moved", D, "host_rel"));
  T("link host_rel_file follow", __wasi_path_link(D, FOLLOW, "host_rel_file", D, "stolen"));
  T("rename host_rel/secret into sandbox", __wasi_path_rename(D, "host_rel/secret", D, "stolen"));
}

static void loops(void) {
  section("symlink loops and chains");
  T("symlink loop1 -> loop2", __wasi_path_symlink("loop2", D, "loop1"));
  T("symlink loop2 -> loop1", __wasi_path_symlink("loop1", D, "loop2"));
  T("symlink self -> self", __wasi_path_symlink("self", D, "self"));
  T("symlink a/dirloop -> ../a/dirloop", __wasi_path_symlink("../a/dirloop", D, "a/dirloop"));
  T("symlink selfdir -> selfdir/x", __wasi_path_symlink("selfdir/x", D, "selfdir"));
  static const char *names[] = {"loop1", "self", "a/dirloop", "selfdir", "loop1/x"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const char *p = names[i];
    __wasi_fd_t fd;
    printf("%-10s open=%s open_follow=%s creat_follow=%s stat=%s stat_follow=%s mkdir=%s times_follow=%s\n",
           p, ename(open_r(D, 0, p, 0)), ename(open_r(D, FOLLOW, p, 0)),
           ename(__wasi_path_open(D, FOLLOW, p, __WASI_OFLAGS_CREAT, RW_RIGHTS, 0, 0, &fd)),
           ename(stat_(D, 0, p)), ename(stat_(D, FOLLOW, p)),
           ename(__wasi_path_create_directory(D, p)),
           ename(__wasi_path_filestat_set_times(D, FOLLOW, p, 0, 0, __WASI_FSTFLAGS_MTIM_NOW)));
  }
  readlink_("readlink loop1", D, "loop1", 1);
  T("open loop1/../f", open_r(D, 0, "loop1/../f", 0));
  /* Chains: chN -> ch(N-1) -> ... -> ch0 -> f */
  T("symlink ch0 -> f", __wasi_path_symlink("f", D, "ch0"));
  for (int i = 1; i <= 45; i++) {
    char name[16], target[16];
    snprintf(name, sizeof name, "ch%d", i);
    snprintf(target, sizeof target, "ch%d", i - 1);
    if (__wasi_path_symlink(target, D, name)) printf("symlink %s failed\n", name);
  }
  static const int lens[] = {8, 30, 31, 32, 38, 39, 40, 41, 45};
  for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
    char name[16], sub[32];
    snprintf(name, sizeof name, "ch%d", lens[i]);
    printf("chain of %d links: open_follow=%s stat_follow=%s", lens[i] + 1,
           ename(open_r(D, FOLLOW, name, 0)), ename(stat_(D, FOLLOW, name)));
    snprintf(sub, sizeof sub, "%s/x", name);
    printf(" as dir component=%s\n", ename(stat_(D, 0, sub)));
  }
  /* Directory chain used as intermediate components: dl1 -> a, a/dl2 -> ., ... */
  T("symlink a/here -> .", __wasi_path_symlink(".", D, "a/here"));
  char deep[400] = "a";
  for (int i = 0; i < 45; i++) strcat(deep, "/here");
  strcat(deep, "/../f");
  T("open a/here/here/... (45 times)/../f", open_r(D, 0, deep, 0));
}

static void dir_fds(void) {
  section("directory descriptors as roots");
  __wasi_fd_t A, I;
  T("open a", __wasi_path_open(D, 0, "a", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, DIR_RIGHTS, 0, &A));
  T("from a: open ..", open_r(A, 0, "..", 0));
  T("from a: open ../f", open_r(A, 0, "../f", 0));
  T("from a: stat .", stat_(A, 0, "."));
  T("from a: stat up (a/up -> ..) follow", stat_(A, FOLLOW, "up"));
  T("from a: open up/f", open_r(A, 0, "up/f", 0));
  T("from a: mkdir ../x", __wasi_path_create_directory(A, "../x"));
  T("from a: symlink inner -> ../f then open", (__wasi_path_symlink("../f", A, "inner"), open_r(A, FOLLOW, "inner", 0)));
  T("from sandbox: open a/inner follow", open_r(D, FOLLOW, "a/inner", 0));

  section("renaming a directory while a descriptor to it is open");
  T("mkdir r1", __wasi_path_create_directory(D, "r1"));
  T("mkdir r1/inner", __wasi_path_create_directory(D, "r1/inner"));
  make_file(D, "r1/inner/file", "inner file");
  T("open r1/inner", __wasi_path_open(D, 0, "r1/inner", __WASI_OFLAGS_DIRECTORY, DIR_RIGHTS, DIR_RIGHTS, 0, &I));
  T("rename r1 -> r2", __wasi_path_rename(D, "r1", D, "r2"));
  cat(I, "file");
  T("stat r1/inner/file", stat_(D, 0, "r1/inner/file"));
  T("stat r2/inner/file", stat_(D, 0, "r2/inner/file"));
  T("from inner: open ../../f", open_r(I, 0, "../../f", 0));
  T("rename r2/inner -> /other/moved (other preopen)", __wasi_path_rename(D, "r2/inner", O, "moved"));
  cat(I, "file");
  T("create through moved fd", __wasi_path_create_directory(I, "made_after_move"));
  stat_type("stat /other/moved/made_after_move", O, 0, "moved/made_after_move");
  T("rename /other/moved -> /sandbox/back", __wasi_path_rename(O, "moved", D, "back"));
  cat(I, "file");
  T("rmdir back/made_after_move via sandbox", __wasi_path_remove_directory(D, "back/made_after_move"));
  T("unlink back/file via sandbox", __wasi_path_unlink_file(D, "back/file"));
  T("rmdir back", __wasi_path_remove_directory(D, "back"));
  T("open file via removed dir fd", open_r(I, 0, "file", 0));
  T("mkdir via removed dir fd", __wasi_path_create_directory(I, "x"));
  (void)__wasi_fd_close(I);
  (void)__wasi_fd_close(A);

  section("across preopens");
  make_file(D, "f2", "f2 contents");
  T("rename /sandbox/f2 -> /other/f2", __wasi_path_rename(D, "f2", O, "f2"));
  cat(O, "f2");
  T("link /other/f2 -> /sandbox/f2link", __wasi_path_link(O, 0, "f2", D, "f2link"));
  cat(D, "f2link");
  T("symlink /other/up -> ../sandbox/f", __wasi_path_symlink("../sandbox/f", O, "up"));
  T("open /other/up follow", open_r(O, FOLLOW, "up", 0));
  T("open /other/../sandbox/f", open_r(O, 0, "../sandbox/f", 0));
  T("symlink /sandbox/to_other -> /other/f2", __wasi_path_symlink("/other/f2", D, "to_other"));
  T("open to_other follow", open_r(D, FOLLOW, "to_other", 0));
}

static void listing(void) {
  section("final listing of /sandbox");
  static uint8_t buf[8192];
  __wasi_size_t n;
  int e = __wasi_fd_readdir(D, buf, sizeof buf, 0, &n);
  if (e) { show("readdir", e); return; }
  static char names[128][64];
  static int types[128];
  int c = 0;
  for (size_t off = 0; off + 24 <= n && c < 128;) {
    __wasi_dirent_t d;
    memcpy(&d, buf + off, sizeof d);
    snprintf(names[c], sizeof names[c], "%.*s", (int)d.d_namlen, (char *)buf + off + 24);
    types[c++] = d.d_type;
    off += 24 + d.d_namlen;
  }
  for (int i = 0; i < c; i++)
    for (int j = i + 1; j < c; j++)
      if (strcmp(names[i], names[j]) > 0) {
        char t[64]; int tt = types[i];
        memcpy(t, names[i], 64); memcpy(names[i], names[j], 64); memcpy(names[j], t, 64);
        types[i] = types[j]; types[j] = tt;
      }
  int k = 0;
  for (int i = 0; i < c; i++) {
    if (strncmp(names[i], "ch", 2) == 0 && names[i][2] >= '0' && names[i][2] <= '9') { k++; continue; }
    printf("  %s [%s]\n", names[i], ftname(types[i]));
  }
  printf("  (+%d chN links)\n", k);
}

int main(void) {
  setup_stdout();
  D = find_preopen("/sandbox");
  O = find_preopen("/other");
  T("mkdir a", __wasi_path_create_directory(D, "a"));
  make_file(D, "f", "inside");
  make_file(D, "victim", "victim");
  direct_paths();
  guest_symlinks();
  host_symlinks();
  loops();
  dir_fds();
  listing();
  return 0;
}

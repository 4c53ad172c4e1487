// C++ exceptions lowered to wasm exception handling (-fwasm-exceptions):
// throws and catches across deep recursion, many exception types, rethrow,
// exception_ptr and nested exceptions, destructors run during unwinding,
// exceptions passing through function pointers, virtual calls,
// std::function, C library frames (qsort) and constructors, and the
// std::terminate paths. Prints a deterministic transcript to stdout.
//
//   cxx_throw.wasm                  every section, exit 0
//   cxx_throw.wasm deep N           throw through N recursive frames (N >= 1)
//   cxx_throw.wasm loop N           throw and catch N times in a loop
//   cxx_throw.wasm uncaught         a std::runtime_error leaves main
//   cxx_throw.wasm uncaught-int     an int leaves main
//   cxx_throw.wasm noexcept         a throw out of a noexcept function
//                                   (std::terminate -> abort -> trap)
//   cxx_throw.wasm dtor-throw       a destructor throws during unwinding
//                                   (std::terminate)
//   cxx_throw.wasm terminate-handler  std::set_terminate handler that
//                                   prints and exits with status 3
//   cxx_throw.wasm rethrow-none     `throw;` with no active exception
//                                   (std::terminate)
//
// Built by tests/eh/build.sh; see tests/eh/README.md.

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <variant>
#include <vector>

static int live_guards = 0;  // Guard objects alive
static int dtor_count = 0;   // Guard destructors run

struct Guard {
    int id;
    bool loud;
    explicit Guard(int i, bool l = false) : id(i), loud(l) { ++live_guards; }
    Guard(const Guard &) = delete;
    ~Guard() {
        --live_guards;
        ++dtor_count;
        if (loud)
            printf("  ~Guard(%d) uncaught_exceptions=%d\n", id, std::uncaught_exceptions());
    }
};

// ---------------------------------------------------------------- 1. deep

struct DeepError {
    int depth;
    int rethrows;
    std::string trail;
};

// The Guard lives in linear memory (its address escapes into the
// destructor), so every frame has a cleanup landing pad.
__attribute__((noinline)) static int recurse(int depth, int max, int rethrow_every) {
    Guard g(depth, depth % 100 == 0 || depth == max);
    if (depth == max)
        throw DeepError{depth, 0, "bottom"};
    if (rethrow_every && depth % rethrow_every == 0) {
        try {
            return recurse(depth + 1, max, rethrow_every) + 1;
        } catch (DeepError &e) {
            e.rethrows++;
            e.trail += "<" + std::to_string(depth);
            throw;  // the same object, modified
        }
    }
    return recurse(depth + 1, max, rethrow_every) + 1;
}

static void section_deep(int max, int rethrow_every) {
    if (rethrow_every)
        printf("deep: throw through %d frames, catch and rethrow every %d\n", max, rethrow_every);
    else
        printf("deep: throw through %d frames\n", max);
    dtor_count = 0;
    try {
        int r = recurse(1, max, rethrow_every);
        printf("  not reached %d\n", r);
    } catch (const DeepError &e) {
        printf("  caught DeepError depth=%d rethrows=%d trail=%s\n", e.depth, e.rethrows,
               e.trail.c_str());
    }
    printf("  destructors run=%d live guards=%d\n", dtor_count, live_guards);
}

// ---------------------------------------------------------------- 2. types

struct Base : std::exception {
    int code;
    explicit Base(int c) : code(c) {}
    const char *what() const noexcept override { return "Base"; }
};
struct Derived : Base {
    explicit Derived(int c) : Base(c) {}
    const char *what() const noexcept override { return "Derived"; }
};
struct Other {
    double x;
};
struct Polymorphic {
    virtual ~Polymorphic() = default;
};
struct NotIt : Polymorphic {};
struct It : Polymorphic {};

__attribute__((noinline)) static void throw_kind(int k) {
    std::vector<int> v{1, 2, 3};
    std::variant<int, std::string> var = 7;
    std::optional<int> none;
    std::function<void()> empty;
    NotIt notit;
    Polymorphic &p = notit;
    switch (k) {
    case 0: throw 42;
    case 1: throw "a C string";
    case 2: throw std::string("a std::string");
    case 3: throw Derived(3);
    case 4: throw Base(4);
    case 5: throw Other{2.5};
    case 6: throw std::runtime_error("runtime_error text");
    case 7: (void)v.at(10); break;  // std::out_of_range
    case 8: (void)::operator new(SIZE_MAX - 4096); break;  // std::bad_alloc
    case 9: (void)dynamic_cast<It &>(p); break;  // std::bad_cast
    case 10: (void)std::get<std::string>(var); break;  // std::bad_variant_access
    case 11: (void)none.value(); break;  // std::bad_optional_access
    case 12: empty(); break;  // std::bad_function_call
    case 13: throw 'c';
    case 14: throw 7ULL;
    case 15: { std::vector<int> big; big.reserve(big.max_size() + 1); break; }  // length_error
    case 16: throw std::logic_error("logic_error text");
    }
    printf("  kind %d did not throw\n", k);
}

static void section_types() {
    printf("types:\n");
    for (int k = 0; k <= 16; k++) {
        try {
            throw_kind(k);
        } catch (int i) {
            printf("  %2d: int %d\n", k, i);
        } catch (const char *s) {
            printf("  %2d: const char* \"%s\"\n", k, s);
        } catch (const std::string &s) {
            printf("  %2d: std::string \"%s\"\n", k, s.c_str());
        } catch (const Derived &d) {
            printf("  %2d: Derived code=%d what=%s\n", k, d.code, d.what());
        } catch (const Base &b) {
            printf("  %2d: Base code=%d what=%s\n", k, b.code, b.what());
        } catch (Other o) {
            printf("  %2d: Other x=%g\n", k, o.x);
        } catch (const std::out_of_range &e) {
            printf("  %2d: std::out_of_range\n", k);
        } catch (const std::bad_alloc &e) {
            printf("  %2d: std::bad_alloc what=%s\n", k, e.what());
        } catch (const std::bad_cast &e) {
            printf("  %2d: std::bad_cast what=%s\n", k, e.what());
        } catch (const std::bad_variant_access &e) {
            printf("  %2d: std::bad_variant_access\n", k);
        } catch (const std::bad_optional_access &e) {
            printf("  %2d: std::bad_optional_access what=%s\n", k, e.what());
        } catch (const std::bad_function_call &e) {
            printf("  %2d: std::bad_function_call what=%s\n", k, e.what());
        } catch (const std::length_error &e) {
            printf("  %2d: std::length_error\n", k);
        } catch (const std::runtime_error &e) {
            printf("  %2d: std::runtime_error what=%s\n", k, e.what());
        } catch (const std::exception &e) {
            printf("  %2d: std::exception what=%s\n", k, e.what());
        } catch (...) {
            printf("  %2d: catch(...)\n", k);
        }
    }
}

// ---------------------------------------------------------------- 3. rethrow

__attribute__((noinline)) static void level3() { throw Derived(33); }
__attribute__((noinline)) static void level2() {
    Guard g(2, true);
    try {
        level3();
    } catch (Base &b) {
        printf("  level2 caught %s code=%d, rethrowing\n", b.what(), b.code);
        b.code += 100;
        throw;
    }
}
__attribute__((noinline)) static void level1() {
    Guard g(1, true);
    try {
        level2();
    } catch (...) {
        printf("  level1 catch(...), rethrowing\n");
        throw;
    }
}

static void section_rethrow() {
    printf("rethrow:\n");
    try {
        level1();
    } catch (const Derived &d) {
        printf("  main caught Derived code=%d\n", d.code);
    }

    // a new exception thrown from inside a handler replaces the old one
    try {
        try {
            throw std::runtime_error("first");
        } catch (const std::exception &e) {
            printf("  handling %s, throwing second\n", e.what());
            throw std::logic_error("second");
        }
    } catch (const std::logic_error &e) {
        printf("  caught %s\n", e.what());
    }

    // a try/catch nested inside a handler, the outer exception still active
    try {
        throw 1;
    } catch (int outer) {
        try {
            throw 2;
        } catch (int inner) {
            printf("  nested handlers outer=%d inner=%d\n", outer, inner);
        }
        printf("  back in outer handler, uncaught_exceptions=%d\n", std::uncaught_exceptions());
    }

    // exception_ptr: capture, rethrow later (twice)
    std::exception_ptr saved;
    try {
        throw Derived(77);
    } catch (...) {
        saved = std::current_exception();
    }
    for (int i = 0; i < 2; i++) {
        try {
            std::rethrow_exception(saved);
        } catch (const Base &b) {
            printf("  rethrow_exception #%d: %s code=%d\n", i + 1, b.what(), b.code);
        }
    }
    std::exception_ptr made = std::make_exception_ptr(std::out_of_range("made"));
    try {
        std::rethrow_exception(made);
    } catch (const std::logic_error &e) {
        printf("  make_exception_ptr: logic_error what=%s\n", e.what());
    }

    // nested exceptions
    try {
        try {
            throw std::runtime_error("inner cause");
        } catch (...) {
            std::throw_with_nested(std::logic_error("outer wrapper"));
        }
    } catch (const std::logic_error &e) {
        printf("  nested: %s\n", e.what());
        try {
            std::rethrow_if_nested(e);
        } catch (const std::runtime_error &inner) {
            printf("  nested cause: %s\n", inner.what());
        }
    }
}

// ---------------------------------------------------------------- 4. dtors

struct Noisy {
    const char *name;
    explicit Noisy(const char *n) : name(n) { printf("  Noisy(%s)\n", name); }
    ~Noisy() { printf("  ~Noisy(%s)\n", name); }
};

struct Part {
    int n;
    static int fail_at;
    explicit Part(int i) : n(i) {
        if (i == fail_at)
            throw std::runtime_error("Part " + std::to_string(i) + " failed");
        printf("  Part(%d)\n", n);
    }
    Part() : Part(next++) {}
    ~Part() { printf("  ~Part(%d)\n", n); }
    static int next;
};
int Part::fail_at = -1;
int Part::next = 0;

struct Whole {
    Noisy a{"member a"};
    Part b;
    Noisy c{"member c"};
    explicit Whole(int i) try : b(i) {
        printf("  Whole body\n");
    } catch (const std::exception &e) {
        // function-try-block: members a is already destroyed; the
        // exception is rethrown automatically
        printf("  Whole function-try-block caught: %s\n", e.what());
    }
};

__attribute__((noinline)) static void inner_frame() {
    Noisy x("inner x");
    {
        Noisy y("inner scope y");
    }
    Noisy z("inner z");
    throw Other{1.5};
}
__attribute__((noinline)) static void middle_frame() {
    Noisy m("middle m");
    auto up = std::make_unique<Noisy>("heap via unique_ptr");
    inner_frame();
}

static void section_dtors() {
    printf("dtors:\n");
    try {
        Noisy o("outer o");
        middle_frame();
    } catch (Other o) {
        printf("  caught Other x=%g\n", o.x);
    }

    // an array whose 4th element constructor throws: 3 built, destroyed in
    // reverse order
    Part::fail_at = 3;
    Part::next = 0;
    try {
        Part parts[6];
        printf("  not reached %d\n", parts[0].n);
    } catch (const std::runtime_error &e) {
        printf("  array: %s\n", e.what());
    }
    Part::next = 10;
    Part::fail_at = 13;
    try {
        Part *heap = new Part[5];
        printf("  not reached %d\n", heap[0].n);
    } catch (const std::runtime_error &e) {
        printf("  new[]: %s\n", e.what());
    }

    // a member constructor throws
    Part::fail_at = 99;
    try {
        Whole w(99);
    } catch (const std::exception &e) {
        printf("  Whole: %s\n", e.what());
    }

    // temporaries in a full expression
    try {
        std::string s = std::string("tmp-") + std::to_string(Part(5).n) +
                        std::to_string(Part(99).n);
        printf("  not reached %s\n", s.c_str());
    } catch (const std::exception &e) {
        printf("  temporaries: %s\n", e.what());
    }
}

// ---------------------------------------------------------------- 5. indirect

struct Shape {
    virtual ~Shape() = default;
    virtual int area(int scale) const = 0;
};
struct Square : Shape {
    int side;
    explicit Square(int s) : side(s) {}
    int area(int scale) const override {
        if (side < 0)
            throw std::domain_error("negative side " + std::to_string(side));
        return side * side * scale;
    }
};
struct Circle : Shape {
    int area(int) const override { throw Derived(314); }
};

__attribute__((noinline)) static int fp_a(int x) {
    Guard g(x, true);
    if (x > 2)
        throw x * 10;
    return x;
}
__attribute__((noinline)) static int fp_b(int x) { return x + 1000; }
static int (*volatile table[])(int) = {fp_b, fp_a, fp_b, fp_a};

__attribute__((noinline)) static int via_table(int i, int x) { return table[i](x); }

static int cmp_calls = 0;
static int cmp_throwing(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    if (++cmp_calls == 7)
        throw std::runtime_error("comparator gave up after 7 calls");
    return (x > y) - (x < y);
}

static void section_indirect() {
    printf("indirect:\n");
    for (int i = 0; i < 4; i++) {
        try {
            printf("  table[%d](%d) = %d\n", i, i + 1, via_table(i, i + 1));
        } catch (int e) {
            printf("  table[%d](%d) threw int %d\n", i, i + 1, e);
        }
    }

    std::vector<std::unique_ptr<Shape>> shapes;
    shapes.push_back(std::make_unique<Square>(3));
    shapes.push_back(std::make_unique<Square>(-2));
    shapes.push_back(std::make_unique<Circle>());
    for (size_t i = 0; i < shapes.size(); i++) {
        try {
            printf("  shape %zu area %d\n", i, shapes[i]->area(2));
        } catch (const Base &b) {
            printf("  shape %zu threw %s code=%d\n", i, b.what(), b.code);
        } catch (const std::logic_error &e) {
            printf("  shape %zu threw logic_error: %s\n", i, e.what());
        }
    }

    std::vector<std::function<int(int)>> fns = {
        [](int x) { return x * 2; },
        [](int x) -> int { throw std::overflow_error("lambda " + std::to_string(x)); },
        [n = 5](int x) { return fp_a(x + n); },
    };
    for (size_t i = 0; i < fns.size(); i++) {
        try {
            printf("  fn %zu -> %d\n", i, fns[i](static_cast<int>(i)));
        } catch (const std::exception &e) {
            printf("  fn %zu threw %s\n", i, e.what());
        } catch (int e) {
            printf("  fn %zu threw int %d\n", i, e);
        }
    }

    // through libc's qsort (C code without landing pads)
    int data[] = {9, 3, 7, 1, 8, 2, 6, 4, 5, 0};
    cmp_calls = 0;
    try {
        qsort(data, 10, sizeof data[0], cmp_throwing);
        printf("  qsort finished\n");
    } catch (const std::runtime_error &e) {
        printf("  qsort: %s\n", e.what());
    }
    cmp_calls = -1000;
    qsort(data, 10, sizeof data[0], cmp_throwing);
    printf("  qsort again:");
    for (int v : data)
        printf(" %d", v);
    printf("\n");
}

// ---------------------------------------------------------------- 6. loop

struct Counted {
    static int alive;
    int v;
    explicit Counted(int x) : v(x) { ++alive; }
    Counted(const Counted &o) : v(o.v) { ++alive; }
    ~Counted() { --alive; }
};
int Counted::alive = 0;

__attribute__((noinline)) static void maybe_throw(int i) {
    Guard g(i);
    if (i % 3 == 0)
        throw Counted(i);
    if (i % 3 == 1)
        throw std::to_string(i);
}

static void section_loop(int n) {
    printf("loop: %d iterations\n", n);
    long sum_counted = 0, sum_strings = 0;
    int normal = 0;
    for (int i = 0; i < n; i++) {
        try {
            maybe_throw(i);
            normal++;
        } catch (const Counted &c) {
            sum_counted += c.v;
        } catch (const std::string &s) {
            sum_strings += static_cast<long>(s.size());
        }
    }
    printf("  counted sum=%ld string length sum=%ld normal=%d alive=%d live guards=%d\n",
           sum_counted, sum_strings, normal, Counted::alive, live_guards);
}

// ---------------------------------------------------------------- modes

__attribute__((noinline)) static void throws_runtime() {
    Guard g(1, true);
    throw std::runtime_error("nobody catches this");
}

__attribute__((noinline)) static void no_throw_promised() noexcept {
    printf("in a noexcept function\n");
    fflush(stdout);
    throws_runtime();
}

struct ThrowingDtor {
    ~ThrowingDtor() noexcept(false) {
        printf("~ThrowingDtor throwing while unwinding (uncaught_exceptions=%d)\n",
               std::uncaught_exceptions());
        fflush(stdout);
        throw std::logic_error("from a destructor");
    }
};

[[noreturn]] static void my_terminate() {
    printf("my_terminate: ");
    if (std::exception_ptr p = std::current_exception()) {
        try {
            std::rethrow_exception(p);
        } catch (const std::exception &e) {
            printf("current exception: %s\n", e.what());
        } catch (...) {
            printf("current exception of unknown type\n");
        }
    } else {
        printf("no current exception\n");
    }
    fflush(stdout);
    _Exit(3);
}

static int usage() {
    fprintf(stderr, "usage: cxx_throw [deep N | loop N | uncaught | uncaught-int | noexcept | "
                    "dtor-throw | terminate-handler | rethrow-none]\n");
    return 2;
}

int main(int argc, char **argv) {
    setvbuf(stdout, nullptr, _IOLBF, 0);
    if (argc == 1) {
        section_deep(300, 0);
        section_deep(300, 100);
        section_types();
        section_rethrow();
        section_dtors();
        section_indirect();
        section_loop(1000);
        printf("done\n");
        return 0;
    }
    const char *mode = argv[1];
    if (!strcmp(mode, "deep") && argc == 3) {
        int n = atoi(argv[2]);
        if (n < 1)
            return usage();
        section_deep(n, 0);
        return 0;
    }
    if (!strcmp(mode, "loop") && argc == 3) {
        section_loop(atoi(argv[2]));
        return 0;
    }
    if (argc != 2)
        return usage();
    if (!strcmp(mode, "uncaught")) {
        printf("throwing std::runtime_error out of main\n");
        throws_runtime();
    } else if (!strcmp(mode, "uncaught-int")) {
        printf("throwing int out of main\n");
        fflush(stdout);
        throw 5;
    } else if (!strcmp(mode, "noexcept")) {
        no_throw_promised();
    } else if (!strcmp(mode, "dtor-throw")) {
        try {
            ThrowingDtor t;
            throw std::runtime_error("first exception");
        } catch (...) {
            printf("not reached\n");
        }
    } else if (!strcmp(mode, "terminate-handler")) {
        std::set_terminate(my_terminate);
        try {
            no_throw_promised();
        } catch (...) {
            printf("not reached\n");
        }
    } else if (!strcmp(mode, "rethrow-none")) {
        printf("rethrowing with no active exception\n");
        fflush(stdout);
        throw;
    } else {
        return usage();
    }
    printf("not reached\n");
    return 1;
}

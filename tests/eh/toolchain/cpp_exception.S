# The wasm tag of C++ exceptions. clang compiles `throw` (through libunwind's
# _Unwind_RaiseException: __builtin_wasm_throw(0, exn)) and every catch
# against the undefined tag symbol __cpp_exception (one i32: the
# _Unwind_Exception pointer); Emscripten defines it in its compiler-rt, LLVM's
# libunwind 22 does not, so build.sh adds this object to libunwind.a.
.globl __cpp_exception
.tagtype __cpp_exception i32
__cpp_exception:

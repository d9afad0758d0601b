// Default options for the sanitizer runtimes, linked into orm's test and fuzz
// executables when ORM_SANITIZE is set: the suppression files in
// tests/sanitizers/ apply to every run (ctest, test discovery, a manual run),
// and can still be overridden by ASAN_OPTIONS / UBSAN_OPTIONS / ... .
#ifndef ORM_SANITIZER_DIR
#error "ORM_SANITIZER_DIR must name tests/sanitizers"
#endif

extern "C" {

// AddressSanitizer: also catch use after return and init-order bugs.
const char* __asan_default_options() {
    return "detect_leaks=1:check_initialization_order=1:detect_stack_use_after_return=1";
}

// LeakSanitizer: third-party leaks we do not own (see lsan.supp).
const char* __lsan_default_options() {
    return "suppressions=" ORM_SANITIZER_DIR "/lsan.supp:print_suppressions=0";
}

// UndefinedBehaviorSanitizer: stack traces, and the narrow suppressions in ubsan.supp.
const char* __ubsan_default_options() {
    return "suppressions=" ORM_SANITIZER_DIR "/ubsan.supp:print_stacktrace=1:halt_on_error=1";
}

// ThreadSanitizer: races in uninstrumented client libraries (see tsan.supp).
const char* __tsan_default_options() {
    return "suppressions=" ORM_SANITIZER_DIR "/tsan.supp:second_deadlock_stack=1:halt_on_error=1";
}

}  // extern "C"

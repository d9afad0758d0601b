# ORM_SANITIZE: build orm, its tests and samples with sanitizers.
#   ""                   no sanitizer (the default)
#   "address,undefined"  AddressSanitizer + LeakSanitizer + UndefinedBehaviorSanitizer
#   "thread"             ThreadSanitizer
# UBSan findings abort (-fno-sanitize-recover) so that a test with UB fails.
# Test executables also link tests/support/sanitizer_options.cpp, which points
# the runtimes at the suppression files in tests/sanitizers/.
set(ORM_SANITIZE "" CACHE STRING "Sanitizers to build with: empty, address,undefined or thread")
set_property(CACHE ORM_SANITIZE PROPERTY STRINGS "" "address,undefined" "thread")

# The flags for one ORM_SANITIZE value, in out_var (a list; empty for none).
function(orm_sanitizer_flags value out_var)
    if(value STREQUAL "")
        set(flags "")
    elseif(value STREQUAL "address,undefined")
        set(flags -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    elseif(value STREQUAL "thread")
        set(flags -fsanitize=thread -fno-omit-frame-pointer)
    else()
        message(FATAL_ERROR "ORM_SANITIZE must be empty, \"address,undefined\" or \"thread\" (got \"${value}\")")
    endif()
    set(${out_var} "${flags}" PARENT_SCOPE)
endfunction()

orm_sanitizer_flags("${ORM_SANITIZE}" ORM_SANITIZER_FLAGS)
if(ORM_SANITIZER_FLAGS)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        message(FATAL_ERROR "ORM_SANITIZE needs gcc or clang")
    endif()
    # Directory-wide: every orm library, test, sample and benchmark below.
    add_compile_options(${ORM_SANITIZER_FLAGS} -g)
    add_link_options(${ORM_SANITIZER_FLAGS})
    message(STATUS "orm: building with -fsanitize (${ORM_SANITIZE})")
endif()

# ORM_BUILD_FUZZERS: orm's code is compiled with libFuzzer's coverage
# instrumentation; the fuzz targets in tests/fuzz link libFuzzer itself.
if(ORM_BUILD_FUZZERS)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "ORM_BUILD_FUZZERS needs clang (e.g. -DCMAKE_CXX_COMPILER=clang++ and libclang-rt-14-dev)")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link)
endif()

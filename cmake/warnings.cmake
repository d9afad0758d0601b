# orm_target_warnings(<target>...): turns on orm's warning flags for orm's own
# targets (libraries, tests, samples, benchmarks) as PRIVATE compile options.
# A function, not a target: nothing about it reaches the exported targets, so
# consumers never see (or need) it.
function(orm_target_warnings)
    foreach(target IN LISTS ARGN)
        target_compile_options(${target} PRIVATE
            $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wno-missing-field-initializers>)
    endforeach()
endfunction()

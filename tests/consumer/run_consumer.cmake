# Builds and runs tests/consumer against orm, by find_package (after installing
# the already-built orm into WORK_DIR/prefix) or by add_subdirectory.
file(REMOVE_RECURSE "${WORK_DIR}")
set(extra_args)
if(MODE STREQUAL "find_package")
    execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${WORK_DIR}/prefix"
                    RESULT_VARIABLE rc OUTPUT_QUIET)
    if(rc)
        message(FATAL_ERROR "cmake --install failed")
    endif()
    list(APPEND extra_args "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
    # The installed package names orm's public targets only: nothing internal
    # (the warning flags are a function applied to orm's own targets, not a target).
    file(GLOB_RECURSE export_files "${WORK_DIR}/prefix/*/cmake/orm/*.cmake")
    if(NOT export_files)
        message(FATAL_ERROR "no installed CMake package files under ${WORK_DIR}/prefix")
    endif()
    foreach(file IN LISTS export_files)
        file(READ "${file}" text)
        if(text MATCHES "orm_warnings")
            message(FATAL_ERROR "the installed ${file} mentions the internal target orm_warnings")
        endif()
    endforeach()
endif()
if(SANITIZER_FLAGS)  # orm was built with ORM_SANITIZE: same compiler, same flags
    list(APPEND extra_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DCMAKE_CXX_FLAGS=${SANITIZER_FLAGS}"
         "-DCMAKE_EXE_LINKER_FLAGS=${SANITIZER_FLAGS}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/consumer" -B "${WORK_DIR}/build"
                        -DORM_CONSUMER_MODE=${MODE} -DORM_SOURCE_DIR=${SOURCE_DIR} ${extra_args}
                RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "configuring the consumer failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK_DIR}/build" -j 2 RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "building the consumer failed")
endif()
execute_process(COMMAND "${WORK_DIR}/build/consumer" RESULT_VARIABLE rc)
if(rc)
    message(FATAL_ERROR "the consumer failed")
endif()

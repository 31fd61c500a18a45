# Helpers shared by every module's CMakeLists.txt.

# ovnx_library(NAME SOURCES ... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Makes the static library ovnx_NAME. Headers are included as "NAME/x.h" from src/.
function(ovnx_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(ovnx_${name} STATIC ${ARG_SOURCES})
  target_include_directories(ovnx_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src ${PROJECT_BINARY_DIR}/src)
  target_link_libraries(ovnx_${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# ovnx_executable(NAME SOURCES ... DEPS ...): a binary in build/bin, installed.
function(ovnx_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  install(TARGETS ${name} RUNTIME DESTINATION bin)
endfunction()

# ovnx_unit_test(NAME SOURCES ... DEPS ...): a GoogleTest binary; each TEST is a ctest case.
function(ovnx_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS unit ENVIRONMENT "OVNX_SOURCE_DIR=${PROJECT_SOURCE_DIR};OVNX_BIN_DIR=${PROJECT_BINARY_DIR}/bin")
endfunction()

# ovnx_script_test(NAME SCRIPT [LABELS ...] [TIMEOUT s] [RUN_SERIAL]): a shell or python test.
# Scripts get OVNX_BIN_DIR (our binaries) and OVNX_SOURCE_DIR in the environment.
function(ovnx_script_test name script)
  cmake_parse_arguments(ARG "RUN_SERIAL" "TIMEOUT" "LABELS" ${ARGN})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_test(NAME ${name} COMMAND ${script} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "OVNX_SOURCE_DIR=${PROJECT_SOURCE_DIR};OVNX_BIN_DIR=${PROJECT_BINARY_DIR}/bin;ASAN_OPTIONS=detect_leaks=1")
  if(ARG_RUN_SERIAL)
    set_tests_properties(${name} PROPERTIES RUN_SERIAL TRUE)
  endif()
endfunction()

include(GoogleTest)

# ovnx_fuzzer(NAME SOURCES ... DEPS ...): a libFuzzer target (configure with CXX=clang++ -DOVNX_FUZZ=ON).
function(ovnx_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
endfunction()

# ovnx_benchmark(NAME SOURCES ... DEPS ...): a Google Benchmark binary in build/<config>/bench.
function(ovnx_benchmark name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endfunction()

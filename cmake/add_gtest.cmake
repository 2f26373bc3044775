# GoogleTest, built from Debian's sources in /usr/src/googletest so that it carries the same
# sanitizer instrumentation as the code under test.
include(GoogleTest)

if(NOT TARGET GTest::gtest_main)
  if(EXISTS /usr/src/googletest/CMakeLists.txt)
    set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
    set(BUILD_GMOCK ON CACHE BOOL "" FORCE)
    add_subdirectory(/usr/src/googletest ${CMAKE_BINARY_DIR}/_googletest EXCLUDE_FROM_ALL SYSTEM)
    if(NOT TARGET GTest::gtest_main)
      add_library(GTest::gtest_main ALIAS gtest_main)
      add_library(GTest::gmock ALIAS gmock)
    endif()
  else()
    find_package(GTest REQUIRED)
  endif()
endif()

# portloop_add_gtest(NAME <name> SOURCES <files...> LIBS <targets...> [LABELS <label>])
# LABELS defaults to `unit`; concurrency suites use `stress`.
# One GoogleTest binary, registered test by test with gtest_discover_tests.
function(portloop_add_gtest)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS} GTest::gtest_main GTest::gmock Threads::Threads)
  target_include_directories(${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR})
  portloop_warnings(${ARG_NAME})
  # One label per binary: gtest_discover_tests cannot carry a list of labels.
  if(ARG_LABELS)
    list(GET ARG_LABELS 0 _label)
  else()
    set(_label unit)
  endif()
  gtest_discover_tests(${ARG_NAME} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${_label})
endfunction()

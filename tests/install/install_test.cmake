# Registers the CTest test `install_test` (label `install`), included by cmake/install.cmake.
#
# It installs this build tree into a scratch prefix and builds tests/install against it with
# find_package(portloop) and with pkg-config, using this build's compilers and sanitizer flags
# (an instrumented library only links into an instrumented program).
set(_portloop_client_flags "")
if(PORTLOOP_SANITIZE)
  list(JOIN PORTLOOP_SANITIZE "," _portloop_client_sanitizers)
  set(_portloop_client_flags "-fsanitize=${_portloop_client_sanitizers} -fno-omit-frame-pointer")
endif()

add_test(NAME install_test
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/run_install_test.sh)
set_tests_properties(install_test PROPERTIES
  LABELS install
  TIMEOUT 300
  ENVIRONMENT
    "PORTLOOP_BUILD_DIR=${PROJECT_BINARY_DIR};PORTLOOP_GENERATOR=${CMAKE_GENERATOR};PORTLOOP_BUILD_TYPE=${CMAKE_BUILD_TYPE};PORTLOOP_C_COMPILER=${CMAKE_C_COMPILER};PORTLOOP_CXX_COMPILER=${CMAKE_CXX_COMPILER};PORTLOOP_CLIENT_FLAGS=${_portloop_client_flags};PORTLOOP_LIBDIR=${CMAKE_INSTALL_LIBDIR}")

# Warning flags for portloop's own targets (never for GoogleTest).
option(PORTLOOP_WERROR "Treat warnings as errors" OFF)

function(portloop_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow -Wimplicit-fallthrough)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(${target} PRIVATE -Wthread-safety)
  endif()
  if(PORTLOOP_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# PORTLOOP_SANITIZE: a list of sanitizers (address, undefined, thread) applied to every target,
# GoogleTest included, so that instrumented and uninstrumented code never mix.
set(PORTLOOP_SANITIZE "" CACHE STRING "Sanitizers to build with: address;undefined or thread")

if(PORTLOOP_SANITIZE)
  list(JOIN PORTLOOP_SANITIZE "," _portloop_sanitizers)
  add_compile_options(-fsanitize=${_portloop_sanitizers} -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=${_portloop_sanitizers})
  if("undefined" IN_LIST PORTLOOP_SANITIZE)
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
  if("thread" IN_LIST PORTLOOP_SANITIZE)
    add_compile_definitions(PORTLOOP_TSAN=1)
  endif()
  if("address" IN_LIST PORTLOOP_SANITIZE)
    add_compile_definitions(PORTLOOP_ASAN=1)
  endif()
endif()

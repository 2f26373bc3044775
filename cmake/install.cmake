# `cmake --install`: public headers, static libraries, the CMake package `portloop` (targets
# portloop::<library> and the umbrella portloop::portloop) and the pkg-config file portloop.pc.
#
# The libraries come from PORTLOOP_LIBRARIES when the top-level CMakeLists sets it, otherwise
# from the umbrella target's link line. Either way the list is in layer order, lowest first
# (zircon, zx, ...), so adding a library to the umbrella is the only change install needs.
# A library's public headers are the `include/` folder next to its CMakeLists.txt.
include(CMakePackageConfigHelpers)

if(NOT DEFINED PORTLOOP_LIBRARIES)
  get_target_property(PORTLOOP_LIBRARIES portloop INTERFACE_LINK_LIBRARIES)
endif()

set(_portloop_installed_targets "")
set(_portloop_include_dirs "")
set(_portloop_pc_libs "")
foreach(_lib IN LISTS PORTLOOP_LIBRARIES)
  if(NOT TARGET ${_lib})
    message(FATAL_ERROR "install.cmake: `${_lib}` is in PORTLOOP_LIBRARIES (or the umbrella "
                        "target's link line) but is not a target")
  endif()
  get_target_property(_imported ${_lib} IMPORTED)
  if(_imported)
    continue()  # a dependency such as Threads::Threads, found again by portloopConfig.cmake
  endif()
  get_target_property(_aliased ${_lib} ALIASED_TARGET)
  if(_aliased)
    set(_lib ${_aliased})
  endif()
  # Each library's own portloop dependencies must come before it, as pkg-config needs.
  get_target_property(_deps ${_lib} INTERFACE_LINK_LIBRARIES)
  foreach(_dep IN LISTS _deps)
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" _dep "${_dep}")
    if(TARGET "${_dep}")
      get_target_property(_dep_imported ${_dep} IMPORTED)
      get_target_property(_dep_aliased ${_dep} ALIASED_TARGET)
      if(_dep_aliased)
        set(_dep ${_dep_aliased})
      endif()
      if(NOT _dep_imported AND NOT _dep IN_LIST _portloop_installed_targets)
        message(FATAL_ERROR "install.cmake: `${_lib}` links `${_dep}`, which must come before it "
                            "in PORTLOOP_LIBRARIES (the umbrella's link line)")
      endif()
    endif()
  endforeach()
  list(APPEND _portloop_installed_targets ${_lib})

  get_target_property(_dir ${_lib} SOURCE_DIR)
  if(IS_DIRECTORY "${_dir}/include")
    list(APPEND _portloop_include_dirs "${_dir}/include")
  endif()

  # pkg-config has no dependency graph: list the archives highest layer first.
  get_target_property(_type ${_lib} TYPE)
  if(_type STREQUAL "STATIC_LIBRARY")
    get_target_property(_name ${_lib} OUTPUT_NAME)
    if(NOT _name)
      set(_name ${_lib})
    endif()
    list(PREPEND _portloop_pc_libs "-l${_name}")
  endif()
endforeach()
list(REMOVE_DUPLICATES _portloop_include_dirs)

# Headers: every library's include/ tree as is, so <threads.h> lands next to <zircon/...>.
# Our <threads.h> wraps the C library's with #include_next: installed into the C library's own
# include directory (prefix /usr) it would replace that header, so the install refuses to.
set(_portloop_top_headers "")
foreach(_dir IN LISTS _portloop_include_dirs)
  file(GLOB _headers RELATIVE "${_dir}" CONFIGURE_DEPENDS "${_dir}/*.h")
  list(APPEND _portloop_top_headers ${_headers})
endforeach()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(_portloop_include_dest "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(_portloop_include_dest "\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
string(CONFIGURE [=[
  foreach(_header IN ITEMS @_portloop_top_headers@)
    set(_dest "$ENV{DESTDIR}@_portloop_include_dest@/${_header}")
    if(EXISTS "${_dest}")
      file(READ "${_dest}" _text)
      if(NOT _text MATCHES "include_next")
        message(FATAL_ERROR "portloop: ${_dest} exists and is not portloop's; use another prefix")
      endif()
    endif()
  endforeach()
]=] _portloop_header_guard @ONLY)
install(CODE "${_portloop_header_guard}")
foreach(_dir IN LISTS _portloop_include_dirs)
  install(DIRECTORY "${_dir}/" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
    FILES_MATCHING PATTERN "*.h")
endforeach()

install(TARGETS ${_portloop_installed_targets} portloop
  EXPORT portloopTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# The CMake package. Targets are exported under their own names with the portloop:: namespace,
# so in-tree aliases (portloop::zircon) and installed names are the same.
set(_portloop_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/portloop)
install(EXPORT portloopTargets
  NAMESPACE portloop::
  DESTINATION ${_portloop_cmake_dir})
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/portloopConfig.cmake.in
  ${PROJECT_BINARY_DIR}/portloopConfig.cmake
  INSTALL_DESTINATION ${_portloop_cmake_dir})
# 0.x releases may break the API between minor versions.
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/portloopConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES
    ${PROJECT_BINARY_DIR}/portloopConfig.cmake
    ${PROJECT_BINARY_DIR}/portloopConfigVersion.cmake
  DESTINATION ${_portloop_cmake_dir})

# pkg-config. The prefix is found relative to the .pc file, so `cmake --install --prefix X`
# produces a working file for any X.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(PORTLOOP_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(PORTLOOP_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _rel "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
  string(REGEX REPLACE "/$" "" _rel "${_rel}")
  set(PORTLOOP_PC_PREFIX "\${pcfiledir}/${_rel}")
  set(PORTLOOP_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(PORTLOOP_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(PORTLOOP_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
list(JOIN _portloop_pc_libs " " PORTLOOP_PC_LIBS)
configure_file(${CMAKE_CURRENT_LIST_DIR}/portloop.pc.in ${PROJECT_BINARY_DIR}/portloop.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/portloop.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The install test: install this build tree into a scratch prefix and build a client against it.
if(PORTLOOP_BUILD_TESTS)
  include(${PROJECT_SOURCE_DIR}/tests/install/install_test.cmake)
endif()

# KtTests.cmake - the CTest list made from the test sources (included by
# tests/CMakeLists.txt). A cmocka test program (tests/common/kt_test.h) keeps
# its cases in one table, one case per line:
#     KT_TEST(name),   or   KT_TEST_FX(name, setup, teardown),
# These functions read those lines, so a case in the table always has its
# CTest entry; a source that changes re-runs cmake (CMAKE_CONFIGURE_DEPENDS).

# kt_test_cases(VAR SOURCE...): the case names of the KT_TEST lines of the
# sources (relative to the current source folder), in order, into VAR.
function(kt_test_cases var)
  set(names)
  foreach(src ${ARGN})
    get_filename_component(path ${src} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${path})
    file(STRINGS ${path} lines REGEX "^[ \t]*KT_TEST(_FX)?\\([A-Za-z0-9_]+")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^[ \t]*KT_TEST(_FX)?\\(([A-Za-z0-9_]+).*" "\\2" name "${line}")
      list(APPEND names ${name})
    endforeach()
  endforeach()
  if(NOT names)
    message(FATAL_ERROR "kt_test_cases: no KT_TEST case in ${ARGN}")
  endif()
  set(${var} ${names} PARENT_SCOPE)
endfunction()

# kt_add_case_list_check(NAME TARGET [ARGS...] CASES case...): a CTest entry
# NAME that passes when TARGET's case table is exactly the cases given
# (`TARGET --check-list case...`), so a case table the scan misreads fails.
function(kt_add_case_list_check name target)
  cmake_parse_arguments(KT "" "" "CASES" ${ARGN})
  add_test(NAME ${name} COMMAND ${target} --check-list ${KT_CASES})
endfunction()

# kt_add_cmocka_tests(TARGET target PREFIX prefix [ARGS arg...]
#                     [PROPERTIES prop value...])
# One CTest entry per case of TARGET (read from the target's sources):
#     NAME ${PREFIX}${case}  COMMAND TARGET ARGS... case
# each with PROPERTIES, plus ${PREFIX}test_list, the check of the case list.
function(kt_add_cmocka_tests)
  cmake_parse_arguments(KT "" "TARGET;PREFIX" "ARGS;PROPERTIES" ${ARGN})
  get_target_property(srcs ${KT_TARGET} SOURCES)
  set(own)
  foreach(src ${srcs})
    get_filename_component(path ${src} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    if(path MATCHES "\\.c$" AND path MATCHES "^${CMAKE_CURRENT_SOURCE_DIR}/")
      list(APPEND own ${path})
    endif()
  endforeach()
  kt_test_cases(cases ${own})
  foreach(c ${cases})
    add_test(NAME ${KT_PREFIX}${c} COMMAND ${KT_TARGET} ${KT_ARGS} ${c})
    if(KT_PROPERTIES)
      set_tests_properties(${KT_PREFIX}${c} PROPERTIES ${KT_PROPERTIES})
    endif()
  endforeach()
  kt_add_case_list_check(${KT_PREFIX}test_list ${KT_TARGET} CASES ${cases})
endfunction()

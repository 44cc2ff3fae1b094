#!/usr/bin/env bash
# cppcheck.sh - static analysis of kartoteka's library and program sources
# with cppcheck (warning, performance, portability). Every finding fails the
# test unless tests/source/cppcheck.supp suppresses it with its reason.
# Exits 77 (skipped) when cppcheck is not installed.
#   tests/source/cppcheck.sh ROOT
set -euo pipefail
root=${1:?usage: cppcheck.sh ROOT}
command -v cppcheck >/dev/null || { echo "cppcheck not installed: skipped"; exit 77; }
cd "$root"
jansson=$(echo '#include <jansson.h>' | cpp -H -o /dev/null 2>&1 | awk '/jansson.h$/ {print $2; exit}')
cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability --std=c11 \
  --inline-suppr --suppressions-list=tests/source/cppcheck.supp \
  ${jansson:+--include="$jansson"} -D__GNUC__ \
  -I pipeline/core -I pipeline -I pipeline/record -I ocr -I index -I archive -I tools -I tools/web \
  pipeline ocr index archive tools
echo "cppcheck: no findings"

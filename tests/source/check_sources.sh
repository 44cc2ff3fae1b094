#!/usr/bin/env bash
# check_sources.sh - rules over kartoteka's sources that the compiler does not
# check. Run as a test: tests/source/check_sources.sh ROOT [RULE]
# It fails, naming each file and line, when:
#   layers   a module includes a header of a module it may not use (the
#            table below; docs/architecture.md draws it)
#   utf8     UTF-8 is decoded by hand (masks of lead and continuation bytes)
#            outside pipeline/core/, which has the one decoder (kt_text.h)
#   rmtree   a tree is removed by hand (nftw, or readdir and rmdir in one
#            file) outside pipeline/core/ (kt_rmtree, kt_file.h)
#   buffers  a byte buffer or a string list is grown by hand (realloc into a
#            char pointer, or a realloc without an element size) outside
#            pipeline/core/ (kt_buf.h, kt_strv.h)
#   length   a source file is over 800 lines
# RULE limits the report to one rule.
set -euo pipefail
root=${1:?usage: check_sources.sh ROOT [RULE]}
only=${2:-}
cd "$root"

# module: the folders it owns (first match wins, in this order) and the
# modules whose headers it may include.
modules=(core record extract ocr index archive pipeline web cli bench samples tests)
declare -A owns=(
  [core]='pipeline/core/*'
  [record]='pipeline/record/*'
  [extract]='pipeline/kt_extract.h pipeline/extract*'
  [ocr]='ocr/*' [index]='index/*' [archive]='archive/*'
  [pipeline]='pipeline/*'
  [web]='tools/web/*' [cli]='tools/*'
  [bench]='bench/*' [samples]='samples/*' [tests]='tests/*'
)
declare -A uses=(
  [core]=''
  [record]='core'
  [extract]='core record' [ocr]='core' [index]='core record' [archive]='core record'
  [pipeline]='core record extract ocr index archive'
  [web]='core record extract ocr index archive pipeline'
  [cli]='core record extract ocr index archive pipeline web'
  [bench]='core record extract ocr index archive pipeline'
  [samples]='core record extract ocr index archive pipeline'
  [tests]='core record extract ocr index archive pipeline web cli tests'
)
# where the rules on hand-written helpers apply: all but the core
product=' record extract ocr index archive pipeline web cli bench samples tests '

# Files still over 800 lines, to be split (issue 16). A listed file that is
# no longer over is an error too, so that this list only shrinks.
long_files=''
long_files=" $(echo $long_files) "

owner_of() {
  set -f
  local f=$1 m g
  for m in "${modules[@]}"; do
    for g in ${owns[$m]}; do
      # shellcheck disable=SC2053
      [[ $f == $g ]] && { set +f; echo "$m"; return; }
    done
  done
  set +f
  echo ""
}

mapfile -t files < <(find pipeline ocr index archive tools bench samples tests \
  -type f \( -name '*.c' -o -name '*.h' -o -name '*.cc' \) | LC_ALL=C sort)

declare -A owner header_owner
for f in "${files[@]}"; do
  m=$(owner_of "$f")
  [ -n "$m" ] || { echo "no module owns $f" >&2; exit 2; }
  owner[$f]=$m
  case $f in *.h) b=${f##*/}; header_owner[$b]="${header_owner[$b]:-} $m" ;; esac
done

problems=$(mktemp)
trap 'rm -f "$problems"' EXIT
say() { echo "$1: $2: $3" >> "$problems"; }

for f in "${files[@]}"; do
  m=${owner[$f]}
  n=$(wc -l < "$f")
  if [ "$n" -gt 800 ] && [[ $long_files != *" $f "* ]]; then
    say length "$f" "$n lines, over 800: split it"
  elif [ "$n" -le 800 ] && [[ $long_files == *" $f "* ]]; then
    say length "$f" "$n lines: no longer over 800, take it off long_files"
  fi
  # layers
  while IFS=: read -r line h; do
    b=${h##*/}
    [ -n "${header_owner[$b]:-}" ] || continue
    ok=0
    for o in ${header_owner[$b]}; do
      [[ $o == "$m" || " ${uses[$m]} " == *" $o "* ]] && ok=1
    done
    [ $ok -eq 1 ] || say layers "$f:$line" "module $m includes $b of module${header_owner[$b]}"
  done < <(awk 'match($0, /^[ \t]*#[ \t]*include[ \t]+"[^"]+"/) {
                  s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s); print FNR ":" s }' "$f")
  [[ $product == *" $m "* ]] || continue
  awk -v f="$f" '
    /&[ \t]*0[xX]([cC]0|[eE]0|[fF]0|[fF]8|3[fF]|1[fF])([^0-9A-Fa-f]|$)/ {
      print "utf8: " f ":" FNR ": UTF-8 decoded by hand: use kt_utf8_decode or kt_utf8_next (kt_text.h)" }
    /nftw[ \t]*\(/ { print "rmtree: " f ":" FNR ": tree walked by hand: use kt_rmtree (kt_file.h)" }
    /readdir[ \t]*\(/ { rd = FNR }
    /rmdir[ \t]*\(/ { rm = FNR }
    /realloc[ \t]*\(/ {
      if ($0 ~ /char[ \t]*\*+[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*=[ \t]*realloc/ || $0 !~ /sizeof/)
        print "buffers: " f ":" FNR ": buffer or string list grown by hand: use kt_buf or kt_strv (pipeline/core)" }
    END { if (rd && rm) print "rmtree: " f ":" rm ": tree removed by hand (readdir and rmdir): use kt_rmtree (kt_file.h)" }
  ' "$f" >> "$problems"
done

if [ -n "$only" ]; then
  grep "^$only: " "$problems" > "$problems.only" || true
  mv "$problems.only" "$problems"
fi
if [ -s "$problems" ]; then
  cat "$problems"
  echo "$(wc -l < "$problems") source rule(s) broken"
  exit 1
fi
echo "source rules hold over ${#files[@]} files"

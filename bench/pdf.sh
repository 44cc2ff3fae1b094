#!/usr/bin/env bash
# bench/pdf.sh - PDF input: pages per minute of `kartoteka ingest` (the whole
# pipeline, a new store per file) and access-PDF bytes per page, against
# `ocrmypdf --output-type pdfa` on the same files, in the same run. Run by
# hand, never by ctest:
#
#   bench/pdf.sh [-k BUILD/tools/kartoteka] [-j N] [-r COPIES] [-o OUTDIR]
#
# Defaults: build/tools/kartoteka, N = nproc, 1 copy (the quick size, about
# 3 minutes on the 2-core machine), a fresh temporary folder. The full size
# is -r 5 (each file 5 times: 80 pages, about 15 minutes). Needs
# /usr/bin/time (Debian "time"), tesseract with lav lit rus eng, ocrmypdf,
# img2pdf, qpdf and bc: apt-get install time ocrmypdf img2pdf qpdf bc.
#
# The files: the PDF samples that open (samples/pdf: born-digital, scanned,
# mixed, /Rotate 90) and every readable image of samples/scans made into one
# PDF each with img2pdf (its pixels and resolution unchanged). Each file's
# COPIES copies get a few bytes appended after %%EOF (a PDF reader ignores
# them, the SHA-256 changes), so none is "already done".
#
# Per file, with N jobs: kartoteka ingest of the copies into a new store;
# ocrmypdf over the same copies one after the other (its own N jobs), with
# `--skip-text` (without it ocrmypdf refuses a page that has text, and
# kartoteka keeps such a page's text too). Access bytes per page: the size
# of data/access/document.pdf in the first copy's package, or of
# data/original/original.pdf when every page is the PDF's own text and the
# original is the access copy; against the size of ocrmypdf's PDF/A. The
# issue's target: kartoteka's access PDF no larger than ocrmypdf's.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
kt=$here/build/tools/kartoteka
jobs=$(nproc)
copies=1
out=""
while getopts "k:j:r:o:" o; do
  case $o in
    k) kt=$OPTARG ;; j) jobs=$OPTARG ;; r) copies=$OPTARG ;; o) out=$OPTARG ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
[ -n "$out" ] || out=$(mktemp -d /tmp/kt-bench-pdf.XXXXXX)
mkdir -p "$out"
langs=lav+lit+rus+eng
for tool in /usr/bin/time tesseract ocrmypdf img2pdf qpdf bc tar; do
  command -v "$tool" >/dev/null || { echo "pdf: $tool is missing (apt-get install time ocrmypdf img2pdf qpdf bc)"; exit 2; }
done
[ -x "$kt" ] || { echo "pdf: no kartoteka at $kt (build it, or give -k)"; exit 2; }
kt=$(cd "$(dirname "$kt")" && pwd)/$(basename "$kt")

# ---- the files
src=$out/src
rm -rf "$src"; mkdir -p "$src"
names=()
for f in lv_vestule_digital lv_intervija_scan lv_pavadvestule_mixed en_letter_rotate90; do
  cp "$here/samples/pdf/$f.pdf" "$src/$f.pdf"
  names+=("$f")
done
for s in blank_dust.png en_letter.png lt_prasymas.tif lv_iesniegums_skew.png \
         lv_intervija_2p.tif lv_lemums_karimi.png passport_td3.png ru_sobesedovanie.jpg; do
  n=img_${s%.*}
  img2pdf "$here/samples/scans/$s" -o "$src/$n.pdf"
  names+=("$n")
done
declare -A pages
total_pages=0
for n in "${names[@]}"; do
  pages[$n]=$(qpdf --show-npages "$src/$n.pdf")
  total_pages=$((total_pages + pages[$n] * copies))
done
echo "pdf: ${#names[@]} files x $copies copies, $total_pages pages; $jobs jobs; languages $langs"
echo "pdf: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# run NAME CMD... : wall seconds and user+system CPU seconds of the command
# and its children (GNU time).
declare -A wall cpu
run() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$out/$name.time" "$@" >"$out/$name.log" 2>&1 || {
    echo "pdf: $name failed, see $out/$name.log"; tail -5 "$out/$name.log"; }
  read -r w u s < <(tail -1 "$out/$name.time")
  wall[$name]=$w cpu[$name]=$(echo "$u + $s" | bc -l)
}

# size of the member of a package whose name ends with $2 (0 when none)
member_size() {
  tar -tvf "$1" | awk -v m="$2" 'substr($6, length($6) - length(m) + 1) == m { print $3; f = 1 } END { if (!f) print 0 }' | head -1
}

declare -A kbytes obytes kind
for n in "${names[@]}"; do
  in=$out/in/$n
  rm -rf "$in" "$out/store-$n" "$out/ocrmypdf/$n"; mkdir -p "$in" "$out/ocrmypdf/$n"
  for ((c = 0; c < copies; c++)); do
    f=$in/$(printf '%03d' "$c")_$n.pdf
    cp "$src/$n.pdf" "$f"
    [ "$c" -eq 0 ] || printf '\nkt-bench-%d\n' "$c" >> "$f"
  done
  echo "pdf: $n (${pages[$n]} pages x $copies)"
  run "kt_$n" "$kt" --store "$out/store-$n" ingest --jobs "$jobs" "$in"
  run "ocr_$n" sh -c "for f in '$in'/*.pdf; do ocrmypdf --output-type pdfa --skip-text -l $langs \
    --jobs $jobs \"\$f\" '$out/ocrmypdf/$n'/\$(basename \"\$f\") || exit 1; done"
  pkg=$(find "$out/store-$n/archive" -name '*.tar' | sort | head -1)
  [ -n "$pkg" ] || { echo "pdf: no package for $n, see $out/kt_$n.log"; exit 1; }
  a=$(member_size "$pkg" data/access/document.pdf)
  if [ "$a" -gt 0 ]; then kind[$n]=access; else
    a=$(member_size "$pkg" data/original/original.pdf); kind[$n]=original; fi
  kbytes[$n]=$a
  obytes[$n]=$(stat -c %s "$out/ocrmypdf/$n/000_$n.pdf")
done

# ---- the table
ppm() { echo "$1 * 60 / $2" | bc -l; }
{
  echo "pdf: ${#names[@]} files x $copies copies = $total_pages pages, jobs: $jobs, cores: $(nproc), languages: $langs"
  echo "tesseract $(tesseract --version 2>&1 | head -1 | cut -d' ' -f2), ocrmypdf $(ocrmypdf --version 2>&1 | head -1), img2pdf $(img2pdf --version 2>&1 | awk '{print $2}'), load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-28s %5s | %8s %8s %9s | %8s %8s %9s | %7s | %10s %10s %7s %s\n' file pages "kt s" "kt p/min" "kt cpu/p" \
    "ocr s" "ocr p/min" "ocr cpu/p" "p/min x" "kt B/page" "ocr B/page" "B x" "target"
  kw=0 ow=0 kb=0 ob=0 kc=0 oc=0 held=0
  for n in "${names[@]}"; do
    p=$((pages[$n] * copies))
    kp=$(ppm "$p" "${wall[kt_$n]}") op=$(ppm "$p" "${wall[ocr_$n]}")
    kbp=$(echo "${kbytes[$n]} / ${pages[$n]}" | bc -l) obp=$(echo "${obytes[$n]} / ${pages[$n]}" | bc -l)
    ok=no; [ "${kbytes[$n]}" -le "${obytes[$n]}" ] && { ok=yes; held=$((held + 1)); }
    [ "${kind[$n]}" = access ] || ok="$ok (original)"
    printf '%-28s %5d | %8.1f %8.1f %9.2f | %8.1f %8.1f %9.2f | %6.2fx | %10.0f %10.0f %6.2fx %s\n' "$n" "$p" \
      "${wall[kt_$n]}" "$kp" "$(echo "${cpu[kt_$n]} / $p" | bc -l)" \
      "${wall[ocr_$n]}" "$op" "$(echo "${cpu[ocr_$n]} / $p" | bc -l)" "$(echo "$kp / $op" | bc -l)" \
      "$kbp" "$obp" "$(echo "${kbytes[$n]} / ${obytes[$n]}" | bc -l)" "$ok"
    kw=$(echo "$kw + ${wall[kt_$n]}" | bc -l) ow=$(echo "$ow + ${wall[ocr_$n]}" | bc -l)
    kc=$(echo "$kc + ${cpu[kt_$n]}" | bc -l) oc=$(echo "$oc + ${cpu[ocr_$n]}" | bc -l)
    kb=$((kb + kbytes[$n])) ob=$((ob + obytes[$n]))
  done
  base=$((total_pages / copies))
  printf '%-28s %5d | %8.1f %8.1f %9.2f | %8.1f %8.1f %9.2f | %6.2fx | %10.0f %10.0f %6.2fx %d/%d\n' all "$total_pages" \
    "$kw" "$(ppm "$total_pages" "$kw")" "$(echo "$kc / $total_pages" | bc -l)" \
    "$ow" "$(ppm "$total_pages" "$ow")" "$(echo "$oc / $total_pages" | bc -l)" \
    "$(echo "$(ppm "$total_pages" "$kw") / $(ppm "$total_pages" "$ow")" | bc -l)" \
    "$(echo "$kb / $base" | bc -l)" "$(echo "$ob / $base" | bc -l)" "$(echo "$kb / $ob" | bc -l)" \
    "$held" "${#names[@]}"
  echo "p/min x: kartoteka pages/min / ocrmypdf pages/min; B x: kartoteka access bytes / ocrmypdf bytes"
  echo "target: kartoteka's access PDF no larger than ocrmypdf --output-type pdfa of the same pages"
  echo "(original): no access PDF, every page is the PDF's own text; the original is counted"
} | tee "$out/summary.txt"
echo "pdf: logs and summary in $out"

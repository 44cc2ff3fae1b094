#!/usr/bin/env bash
# bench/throughput.sh - pages per minute, CPU seconds per page and peak memory
# of kartoteka's whole pipeline with 1 and with N workers, of the bare
# tesseract CLI and of ocrmypdf over the same pages, all with the same four
# languages. Run by hand, never by ctest:
#
#   bench/throughput.sh [-k BUILD/tools/kartoteka] [-p PAGES] [-j N] [-o OUTDIR]
#
# Defaults: build/tools/kartoteka, 200 pages, N = nproc, a fresh temporary
# folder. Needs /usr/bin/time (Debian "time"), tesseract with lav lit rus eng,
# ocrmypdf, unpaper (for --clean), img2pdf and bc:
# apt-get install time ocrmypdf unpaper img2pdf bc.
#
# The pages are the committed samples with distinct bytes: each copy of a PNG
# or TIFF gets a few bytes appended (a PNG or TIFF reader ignores them, the
# SHA-256 changes), so no page is "already done".
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
kt=$here/build/tools/kartoteka
pages=200
jobs=$(nproc)
out=""
while getopts "k:p:j:o:" o; do
  case $o in
    k) kt=$OPTARG ;; p) pages=$OPTARG ;; j) jobs=$OPTARG ;; o) out=$OPTARG ;;
    *) sed -n '2,10p' "$0"; exit 2 ;;
  esac
done
[ -n "$out" ] || out=$(mktemp -d /tmp/kt-throughput.XXXXXX)
mkdir -p "$out"
langs=lav+lit+rus+eng
for tool in /usr/bin/time tesseract ocrmypdf unpaper img2pdf; do
  command -v "$tool" >/dev/null || { echo "throughput: $tool is missing (apt-get install time ocrmypdf unpaper img2pdf bc)"; exit 2; }
done
[ -x "$kt" ] || { echo "throughput: no kartoteka at $kt (build it, or give -k)"; exit 2; }

# ---- the pages: PNG and TIFF samples with text, copied with distinct bytes
src=$here/samples/scans
in=$out/pages
rm -rf "$in"; mkdir -p "$in"
samples=(en_letter.png lt_prasymas.tif lv_iesniegums_skew.png lv_intervija_2p.tif
         lv_lemums_karimi.png passport_td3.png)
declare -A npages=([lv_intervija_2p.tif]=3)
n=0 i=0 originals=()
while [ "$n" -lt "$pages" ]; do
  s=${samples[$((i % ${#samples[@]}))]}
  f=$in/$(printf '%04d' "$i")_$s
  cp "$src/$s" "$f"
  printf 'kt-bench-%d' "$i" >> "$f"
  originals+=("$src/$s")
  n=$((n + ${npages[$s]:-1}))
  i=$((i + 1))
done
echo "throughput: $i files, $n pages in $in; $jobs jobs; languages $langs"

# run NAME CMD... : wall seconds, user+system CPU seconds, peak RSS (kB) of
# the command and its children (GNU time: the largest single process).
declare -A wall cpu rss
run() {
  local name=$1; shift
  echo "throughput: $name: $*"
  /usr/bin/time -f '%e %U %S %M' -o "$out/$name.time" "$@" >"$out/$name.log" 2>&1 || {
    echo "throughput: $name failed, see $out/$name.log"; tail -5 "$out/$name.log"; }
  read -r w u s m < <(tail -1 "$out/$name.time")
  wall[$name]=$w cpu[$name]=$(echo "$u + $s" | bc -l) rss[$name]=$m
}

rm -rf "$out/store-1" "$out/store-N" "$out/tesseract"
# kartoteka, the whole pipeline: OCR with OSD and deskew, extraction, archive,
# catalog, index; a new store each time.
run kartoteka_1 "$kt" --store "$out/store-1" ingest --jobs 1 "$in"
run kartoteka_N "$kt" --store "$out/store-N" ingest --jobs "$jobs" "$in"

# the bare tesseract CLI, one page per process, N at a time, one OpenMP
# thread each (as kartoteka's workers), all four languages at once.
mkdir -p "$out/tesseract"
run tesseract_N sh -c "ls '$in'/* | OMP_THREAD_LIMIT=1 xargs -P '$jobs' -I{} \
  sh -c 'tesseract \"\$1\" \"$out/tesseract/\$(basename \"\$1\")\" -l $langs >/dev/null 2>&1' _ {}"

# ocrmypdf over one PDF of the same pages (img2pdf keeps the resolution; it
# refuses a PNG with bytes appended, so the PDF is made from the originals,
# which are the same pixels), its own N workers, rotation, deskew and unpaper
# cleaning.
img2pdf "${originals[@]}" -o "$out/all.pdf"
run ocrmypdf_N ocrmypdf --jobs "$jobs" --rotate-pages --deskew --clean -l "$langs" \
  --output-type pdf "$out/all.pdf" "$out/ocrmypdf.pdf"

# ---- the table
{
  echo "pages: $n ($i files), jobs: $jobs, cores: $(nproc), languages: $langs"
  echo "tesseract $(tesseract --version 2>&1 | head -1 | cut -d' ' -f2), $(ocrmypdf --version 2>&1 | head -1 | sed 's/^/ocrmypdf /')"
  printf '%-14s %10s %12s %14s %14s\n' run "wall s" "pages/min" "CPU s/page" "peak RSS MB"
  for k in kartoteka_1 kartoteka_N tesseract_N ocrmypdf_N; do
    printf '%-14s %10.1f %12.1f %14.2f %14.0f\n' "$k" "${wall[$k]}" \
      "$(echo "$n * 60 / ${wall[$k]}" | bc -l)" "$(echo "${cpu[$k]} / $n" | bc -l)" \
      "$(echo "${rss[$k]} / 1024" | bc -l)"
  done
  ppm() { echo "$n * 60 / ${wall[$1]}" | bc -l; }
  printf 'kartoteka N jobs / 1 job:           %.2fx pages/min (target >= 1.8x on 2 cores)\n' \
    "$(echo "$(ppm kartoteka_N) / $(ppm kartoteka_1)" | bc -l)"
  printf 'kartoteka N jobs / ocrmypdf N jobs: %.2fx pages/min (target >= 5x)\n' \
    "$(echo "$(ppm kartoteka_N) / $(ppm ocrmypdf_N)" | bc -l)"
  printf 'kartoteka N jobs / tesseract CLI:   %.2fx pages/min, %.2fx CPU per page (target: pages/min >= 1x)\n' \
    "$(echo "$(ppm kartoteka_N) / $(ppm tesseract_N)" | bc -l)" \
    "$(echo "${cpu[kartoteka_N]} / ${cpu[tesseract_N]}" | bc -l)"
  printf 'kartoteka peak RSS per worker:      %.0f MB (whole process / N; target < 400 MB)\n' \
    "$(echo "${rss[kartoteka_N]} / 1024 / $jobs" | bc -l)"
} | tee "$out/summary.txt"
echo "throughput: logs and summary in $out"

#!/usr/bin/env bash
# tools/setup.sh - install what is missing, build, and run kartoteka.
#
#   tools/setup.sh demo   install, build, ingest the samples into ./kartoteka-store,
#                         and search them
#   tools/setup.sh test   install, build, and run the whole test suite with ctest,
#                         then again built by clang under AddressSanitizer + UBSan,
#                         with the fuzzers
#   tools/setup.sh deps   only install the Debian packages that are missing
#   tools/setup.sh bench-deps  also what bench/ compares against (ocrmypdf, omindex, ...)
#   tools/setup.sh build  install and build (build/kartoteka)
#
# Debian 12. Packages are installed with apt-get (as root, or through sudo).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

# Every Debian package the build, the tests, the sample generator and the
# benchmarks use, by name (fonts-urw-base35: the hard samples' Nimbus Sans,
# C059 and the Z003 handwriting, which samples_reproducible renders again). PDF input (ocr/source_pdf.c): Debian ships MuPDF
# as a static library only, so everything `pkg-config --static --libs mupdf`
# names (and HarfBuzz) is needed as -dev; the tests encrypt PDFs with qpdf.
# The access copy (ocr/pdfa.c): Little CMS makes its sRGB profile; the tests
# check it with qpdf and poppler-utils (pdffonts, pdftotext). E-signed
# containers (ocr/source_asice.c): libxml2 reads their signature files. A
# bitonal scan made into a PDF by img2pdf is a test of PDF input (ocr_copies).
# Installing (tools/dist/): help2man makes the manual pages; the tests of the
# install complete with bash-completion, check the units with systemd's
# systemd-analyze, make the Debian package with cpack and dpkg-dev and install
# it into a fresh Debian root made by debootstrap.
packages=(
  build-essential cmake pkg-config clang libclang-rt-14-dev cppcheck
  libtesseract-dev libleptonica-dev libtiff-dev libarchive-dev libxapian-dev
  libsqlite3-dev libjansson-dev libssl-dev libicu-dev libcmocka-dev
  tesseract-ocr tesseract-ocr-lav tesseract-ocr-lit tesseract-ocr-rus
  tesseract-ocr-eng tesseract-ocr-osd
  libpango1.0-dev libcairo2-dev fonts-ocr-b fonts-dejavu-core fonts-dejavu-extra
  fonts-liberation2 fonts-urw-base35
  libmicrohttpd-dev libsodium-dev chromium nodejs
  libmupdf-dev libmujs-dev libgumbo-dev libopenjp2-7-dev libjbig2dec0-dev
  libharfbuzz-dev libfreetype-dev libjpeg-dev libpng-dev zlib1g-dev libbrotli-dev qpdf
  liblcms2-dev poppler-utils libxml2-dev img2pdf libzbar-dev
  help2man bash-completion systemd dpkg-dev debootstrap
)

# What the benchmarks in bench/ compare against (run by hand, not in CI):
# `tools/setup.sh bench-deps` installs them.
bench_packages=(
  ocrmypdf unpaper img2pdf time bc xapian-omega tesseract-ocr
)

install_deps() {
  local missing=() p
  [ $# -gt 0 ] || set -- "${packages[@]}"
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all $# Debian packages present"
    return
  fi
  echo "setup: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

jobs=$(nproc 2>/dev/null || echo 2)

build() {  # build DIR [cmake options...]
  local dir=$1; shift
  # installed under /usr, as a server and the Debian package have it
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

case "${1:-}" in
  deps)
    install_deps ;;
  bench-deps)
    install_deps
    install_deps "${bench_packages[@]}" ;;
  build)
    install_deps
    build build ;;
  demo)
    install_deps
    build build
    store=${KARTOTEKA_STORE:-./kartoteka-store}
    build/tools/kartoteka --store "$store" cases import samples/cases.csv
    # exit 1 is expected: the samples hold one corrupt scan on purpose
    build/tools/kartoteka --store "$store" ingest samples/scans || [ $? -eq 1 ]
    build/tools/kartoteka --store "$store" search 'lēmums Karimi' ;;
  test)
    install_deps
    build build
    (cd build && ctest --output-on-failure -j "$jobs")
    # The sanitizer build uses clang, so that the parsers' libFuzzer targets are
    # built and run (for a bounded time each) as part of it.
    CC=clang CXX=clang++ build build-asan -DKT_SANITIZE=ON
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
       ctest --output-on-failure -j "$jobs") ;;
  *)
    sed -n '2,13p' "$0"
    exit 2 ;;
esac

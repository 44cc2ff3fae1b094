#!/usr/bin/env bash
# tests/install/test_install.sh PART BUILD SOURCE WORK - kartoteka installed
# as a server runs it (issue 23, docs/install.md). PART is one of:
#
#   files    `cmake --install` into a staging root: the binary, a manual page
#            for kartoteka and for every command `kartoteka --help` lists
#            (holding that command's options), bash completion that completes
#            commands and options, the service configuration, the units, docs
#   units    every unit passes `systemd-analyze verify` and scores at most
#            MEDIUM in `systemd-analyze security --offline=true` (skipped, 77,
#            without systemd-analyze)
#   run      the units' ExecStart commands run directly (the test machines run
#            no systemd) with the installed service configuration pointed at a
#            temporary store: the fixity checks pass, serve answers on the
#            configured address and writes an access log line per request, and
#            watch takes a file dropped into the configured folder
#   owner    run by root on a store another user owns, kartoteka acts as that
#            user: no file of root's lands in the store (skipped when not root)
#   package  `cpack -G DEB`: the package holds the files above in their FHS
#            places, depends on the libraries and language data by name, marks
#            the configuration a conffile and carries its maintainer scripts
#            (skipped without cpack and dpkg-deb, or when the build was not
#            configured with -DCMAKE_INSTALL_PREFIX=/usr)
#   debian   the package installed with apt into a fresh Debian 12 root
#            (debootstrap from the host's mirror): the user and the store made,
#            root's ingest, search and verify on the installed configuration
#            leave only kartoteka's files; remove and purge leave the store
#            as it was (skipped when not root or without debootstrap)
set -euo pipefail

part=$1 build=$2 src=$3 work=$4
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
chmod 755 "$work"
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
sysconf=$prefix/etc
[ "$prefix" = /usr ] && sysconf=/etc
root=$work/root
bin=$root$prefix/bin/kartoteka
DESTDIR=$root cmake --install "$build" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "cmake --install"; }
[ -x "$bin" ] || fail "no binary at $prefix/bin/kartoteka"
units=$root$prefix/lib/systemd/system
conf=$root$sysconf/kartoteka/kartoteka.conf
# the commands, as kartoteka --help lists them
cmds=$("$bin" --help | sed -n '/^commands:/,$ s/^  \([a-z][a-z-]*\)  *.*/\1/p')
[ -n "$cmds" ] || fail "kartoteka --help lists no commands"

# A service configuration for this test: the installed one with every path
# moved under $work.
test_conf() {
  sed -e "s|^store *=.*|store = $work/store|" -e "s|^listen *=.*|listen = 127.0.0.1:0|" \
      -e "s|/var/spool/kartoteka|$work/spool|" "$conf" >"$work/kartoteka.conf"
  mkdir -p "$work/spool/inbox" "$work/spool/done" "$work/spool/failed"
}

case $part in
files)
  man=$root$prefix/share/man/man1
  [ -s "$man/kartoteka.1" ] || fail "no kartoteka(1)"
  for c in $cmds; do
    page=$man/kartoteka-$c.1
    [ -s "$page" ] || fail "no manual page kartoteka-$c(1)"
    grep -q "^\.TH KARTOTEKA-${c^^} " "$page" || fail "kartoteka-$c(1) is titled otherwise"
    # every option of the command's --help is in its page (man escapes -)
    for opt in $("$bin" "$c" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
      grep -qF -- "${opt//-/\\-}" "$page" || fail "kartoteka-$c(1) lacks $opt"
    done
  done
  n=$(find "$man" -name '*.1' | wc -l)
  [ "$n" -eq $(($(echo "$cmds" | wc -l) + 1)) ] || fail "$n manual pages for $(echo "$cmds" | wc -l) commands"
  comp=$root$prefix/share/bash-completion/completions/kartoteka
  [ -s "$comp" ] || fail "no bash completion"
  if [ -r /usr/share/bash-completion/bash_completion ]; then
    out=$(PATH="$root$prefix/bin:$PATH" bash -c '
      . /usr/share/bash-completion/bash_completion; . "$1"
      COMP_WORDS=(kartoteka ing); COMP_CWORD=1; COMP_LINE="kartoteka ing"; COMP_POINT=13
      _kartoteka kartoteka ing kartoteka; echo "${COMPREPLY[*]}"
      COMP_WORDS=(kartoteka ingest --ret); COMP_CWORD=2; COMP_LINE="kartoteka ingest --ret"
      COMP_POINT=22; _kartoteka kartoteka --ret ingest; echo "${COMPREPLY[*]}"' _ "$comp")
    [ "$(echo "$out" | sed -n 1p)" = ingest ] || fail "completion of 'ing': $out"
    [ "$(echo "$out" | sed -n 2p)" = --retry-failed ] || fail "completion of 'ingest --ret': $out"
  fi
  [ -s "$conf" ] || fail "no service configuration at $sysconf/kartoteka/kartoteka.conf"
  # the installed configuration is one the binary accepts
  test_conf
  KARTOTEKA_CONFIG=$work/kartoteka.conf "$bin" init >/dev/null 2>"$work/err" ||
    { cat "$work/err"; fail "the installed configuration is refused"; }
  [ -f "$work/store/kartoteka.conf" ] || fail "init did not make the configured store"
  for u in kartoteka-web.service kartoteka-watch.service kartoteka-verify-sample.service \
           kartoteka-verify-sample.timer kartoteka-verify-full.service kartoteka-verify-full.timer; do
    [ -s "$units/$u" ] || fail "no unit $u"
    ! grep -q '@KT_' "$units/$u" || fail "$u: a template variable is left"
  done
  for d in install.md lifecycle.md cli.md; do
    [ -s "$root$prefix/share/doc/kartoteka/$d" ] || fail "no $d in the docs"
  done
  echo "files: binary, $n manual pages, completion, configuration, 6 units, docs" ;;

units)
  command -v systemd-analyze >/dev/null || { echo "no systemd-analyze: skipped"; exit 77; }
  for u in "$units"/*; do
    name=$(basename "$u")
    # checked as installed, with ExecStart pointing at the staged binary (the
    # host has no /usr/bin/kartoteka) and the pages named in Documentation=
    # not looked up in the host's manual (users are not checked)
    mkdir -p "$work/units"
    sed "s|^ExecStart=[^ ]*/kartoteka|ExecStart=$bin|" "$u" >"$work/units/$name"
    systemd-analyze verify --man=no "$work/units/$name" >"$work/verify.log" 2>&1 ||
      { cat "$work/verify.log"; fail "systemd-analyze verify $name"; }
    ! grep -v "^$" "$work/verify.log" | grep -qv 'kartoteka' ||
      { cat "$work/verify.log"; fail "systemd-analyze verify $name said something"; }
    case $name in *.service) ;; *) continue ;; esac
    line=$(systemd-analyze security --offline=true "$work/units/$name" 2>&1 | tail -1)
    level=$(echo "$line" | grep -oE '(OK|LOW|MEDIUM|EXPOSED|UNSAFE)' | tail -1)
    case $level in OK|LOW|MEDIUM) echo "$name: $line" ;; *) fail "$name: $line" ;; esac
  done ;;

run)
  test_conf
  export KARTOTEKA_CONFIG=$work/kartoteka.conf
  cp "$src/samples/pdf/lv_vestule_digital.pdf" "$work/letter.pdf"
  # the store is the configuration's: nothing named on the command line
  (cd "$work" && "$bin" ingest letter.pdf >/dev/null 2>&1) || fail "ingest into the configured store"
  [ -f "$work/store/kartoteka.conf" ] || fail "the configured store was not used"
  [ ! -e "$work/kartoteka-store" ] || fail "a store was made in the working folder"
  exec_of() {  # the ExecStart command of unit $1, run with the staged binary
    sed -n 's/^ExecStart=//p' "$units/$1" | sed "s|^[^ ]*/kartoteka|$bin|"
  }
  for u in kartoteka-verify-sample.service kartoteka-verify-full.service; do
    (cd "$work" && $(exec_of $u)) >"$work/out" 2>&1 || { cat "$work/out"; fail "$u"; }
    grep -q "all intact" "$work/out" || { cat "$work/out"; fail "$u: not intact"; }
  done
  (cd "$work" && exec $(exec_of kartoteka-web.service)) >"$work/serve.out" 2>"$work/serve.err" &
  pid=$!
  for _ in $(seq 50); do grep -q listening "$work/serve.out" && break; sleep 0.2; done
  addr=$(sed -n 's|^listening on http://\([^/]*\)/.*|\1|p' "$work/serve.out")
  [ -n "$addr" ] || { kill $pid; cat "$work/serve.err"; fail "serve did not listen"; }
  exec 3<>"/dev/tcp/${addr%:*}/${addr#*:}"
  printf 'GET /login HTTP/1.0\r\nHost: x\r\n\r\n' >&3
  status=$(head -1 <&3 | tr -d '\r')
  exec 3<&-
  sleep 0.3
  kill -TERM $pid
  wait $pid || fail "serve exited $? on SIGTERM"
  case $status in *" 200"*) ;; *) fail "GET /login: $status" ;; esac
  grep -q '"GET /login' "$work/serve.err" || { cat "$work/serve.err"; fail "no access log line"; }
  # the watcher takes a file dropped into the configured folder into done/
  { cat "$src/samples/pdf/lv_vestule_digital.pdf"; echo; } >"$work/spool/inbox/scan.pdf"
  (cd "$work" && exec $(exec_of kartoteka-watch.service) --quiet 1) >"$work/watch.out" 2>&1 &
  pid=$!
  for _ in $(seq 100); do [ -e "$work/spool/done/scan.pdf" ] && break; sleep 0.2; done
  kill -TERM $pid
  wait $pid || { cat "$work/watch.out"; fail "watch exited $? on SIGTERM"; }
  [ -e "$work/spool/done/scan.pdf" ] || { cat "$work/watch.out"; fail "watch did not take scan.pdf"; }
  ! grep -q $'\033' "$work/watch.out" || fail "terminal codes in the watcher's log"
  echo "run: verify sample and full intact; serve answered $status and logged it; watch took a file" ;;

owner)
  [ "$(id -u)" -eq 0 ] || { echo "not root: skipped"; exit 77; }
  id nobody >/dev/null 2>&1 || { echo "no user nobody: skipped"; exit 77; }
  # a folder nobody can reach whatever the build folder's modes (a fresh
  # clone under mktemp -d is 0700)
  top=$(mktemp -d /tmp/kt-owner.XXXXXX)
  trap 'rm -rf "$top"' EXIT
  chmod 755 "$top"
  mkdir "$top/owned"
  chown nobody "$top/owned"
  cp "$src/samples/pdf/lv_vestule_digital.pdf" "$top/letter.pdf"
  chmod 644 "$top/letter.pdf"
  KARTOTEKA_CONFIG= "$bin" --store "$top/owned" ingest "$top/letter.pdf" >"$work/out" 2>&1 ||
    { cat "$work/out"; fail "ingest as root into a store of nobody's"; }
  KARTOTEKA_CONFIG= "$bin" --store "$top/owned" docs >/dev/null 2>&1 || fail "docs"
  left=$(find "$top/owned" ! -user nobody)
  [ -z "$left" ] || fail "files not nobody's in the store: $left"
  [ -f "$top/owned/catalog.sqlite" ] || fail "no catalog was made"
  echo "owner: every file of the store is nobody's" ;;

package)
  command -v cpack >/dev/null && command -v dpkg-deb >/dev/null ||
    { echo "no cpack or dpkg-deb: skipped"; exit 77; }
  [ "$prefix" = /usr ] || { echo "built for $prefix, not /usr: skipped"; exit 77; }
  (cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) ||
    { cat "$work/cpack.log"; fail "cpack -G DEB"; }
  deb=$(ls "$work"/pkg/kartoteka_*.deb)
  dpkg-deb -c "$deb" | awk '{print $6}' >"$work/contents"
  for f in ./usr/bin/kartoteka ./etc/kartoteka/kartoteka.conf ./usr/share/man/man1/kartoteka.1 \
           ./usr/share/man/man1/kartoteka-ingest.1 ./usr/lib/systemd/system/kartoteka-web.service \
           ./usr/lib/systemd/system/kartoteka-verify-full.timer \
           ./usr/share/bash-completion/completions/kartoteka ./usr/share/doc/kartoteka/install.md; do
    grep -qx -- "$f" "$work/contents" || fail "the package lacks $f"
  done
  ! grep -E '^\./(var|home|root|tmp)/' "$work/contents" || fail "the package writes outside its places"
  dpkg-deb -f "$deb" Depends >"$work/depends"
  for p in libtesseract5 libxapian30 libsqlite3-0 tesseract-ocr-lav tesseract-ocr-rus; do
    grep -q "$p" "$work/depends" || fail "Depends lacks $p: $(cat "$work/depends")"
  done
  dpkg-deb -e "$deb" "$work/control"
  grep -qx /etc/kartoteka/kartoteka.conf "$work/control/conffiles" || fail "no conffile"
  for s in postinst prerm postrm; do
    [ -x "$work/control/$s" ] || fail "no $s"
    sh -n "$work/control/$s" || fail "$s: syntax"
  done
  echo "package: $(basename "$deb"), $(wc -l <"$work/contents") entries" ;;

debian)
  # the package installed into a fresh Debian 12 root made by debootstrap
  # from the host's Debian mirror, as an administrator would install it
  [ "$(id -u)" -eq 0 ] || { echo "not root: skipped"; exit 77; }
  command -v debootstrap >/dev/null && command -v cpack >/dev/null ||
    { echo "no debootstrap or cpack: skipped"; exit 77; }
  [ "$prefix" = /usr ] || { echo "built for $prefix, not /usr: skipped"; exit 77; }
  mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources \
           2>/dev/null | head -1)
  mirror=${mirror:-http://deb.debian.org/debian}
  (cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1) ||
    { cat "$work/cpack.log"; fail "cpack -G DEB"; }
  deb=$(ls "$work"/pkg/kartoteka_*.deb)
  chroot_root=$work/debian
  # debootstrap's downloads are kept between runs beside the build
  cache=$build/tests/install/debootstrap-cache
  mkdir -p "$cache"
  debootstrap --variant=minbase --cache-dir="$cache" bookworm "$chroot_root" "$mirror" \
    >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; fail "debootstrap"; }
  mount -t proc proc "$chroot_root/proc" 2>/dev/null || true
  trap 'umount "$chroot_root/proc" 2>/dev/null || true' EXIT
  cp "$deb" "$chroot_root/tmp/kartoteka.deb"
  cp "$src/samples/pdf/lv_vestule_digital.pdf" "$chroot_root/tmp/letter.pdf"
  in_root() { chroot "$chroot_root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
              DEBIAN_FRONTEND=noninteractive "$@"; }
  in_root apt-get update -qq >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get update"; }
  in_root apt-get install -y -qq --no-install-recommends /tmp/kartoteka.deb >>"$work/apt.log" 2>&1 ||
    { tail -30 "$work/apt.log"; fail "apt-get install kartoteka.deb"; }
  uid=$(in_root id -u kartoteka) || fail "no user kartoteka"
  [ -f "$chroot_root/var/lib/kartoteka/kartoteka.conf" ] || fail "postinst made no store"
  [ "$(stat -c %u "$chroot_root/var/lib/kartoteka")" = "$uid" ] || fail "the store is not kartoteka's"
  # root runs the installed binary on the installed configuration
  in_root kartoteka ingest /tmp/letter.pdf >"$work/ingest.log" 2>&1 ||
    { cat "$work/ingest.log"; fail "kartoteka ingest in the installed system"; }
  in_root kartoteka search vestule >"$work/search.log" 2>&1 || { cat "$work/search.log"; fail "search"; }
  in_root kartoteka verify >/dev/null 2>&1 || fail "verify"
  left=$(find "$chroot_root/var/lib/kartoteka" ! -uid "$uid")
  [ -z "$left" ] || fail "files in the store not kartoteka's: $left"
  [ -s "$chroot_root/usr/share/man/man1/kartoteka-ingest.1.gz" ] ||
    [ -s "$chroot_root/usr/share/man/man1/kartoteka-ingest.1" ] || fail "no manual page installed"
  # removal and purge leave the store as it was
  sums() { (cd "$chroot_root/var/lib/kartoteka" && find . -type f -exec sha256sum {} + | sort); }
  before=$(sums)
  in_root apt-get remove -y -qq kartoteka >>"$work/apt.log" 2>&1 || fail "apt-get remove"
  [ "$(sums)" = "$before" ] || fail "removing the package changed the store"
  in_root apt-get purge -y -qq kartoteka >>"$work/apt.log" 2>&1 || fail "apt-get purge"
  [ "$(sums)" = "$before" ] || fail "purging the package changed the store"
  [ ! -e "$chroot_root/etc/kartoteka/kartoteka.conf" ] || fail "purge left the configuration"
  [ ! -e "$chroot_root/usr/bin/kartoteka" ] || fail "remove left the binary"
  umount "$chroot_root/proc" 2>/dev/null || true
  rm -rf "$chroot_root"
  echo "debian: installed into a fresh bookworm root, ingested, searched, verified; removed and purged, store untouched" ;;

*)
  fail "unknown part '$part'" ;;
esac

#!/bin/sh
# tools/dist/man.sh KARTOTEKA OUTDIR VERSION - the manual pages, made by
# help2man from the same text as --help: kartoteka(1) and kartoteka-CMD(1)
# for every command `kartoteka --help` lists, so a page can never be
# missing or stale.
set -eu
k=$1 out=$2 version=$3
mkdir -p "$out"
rm -f "$out"/*.1
common="--no-info --no-discard-stderr --version-string=$version --source=kartoteka --manual=kartoteka"
help2man $common --section=1 --name="digitise a paper archive into searchable, fixity-checked packages" \
  -o "$out/kartoteka.1" "$k"
"$k" --help | sed -n '/^commands:/,$ s/^  \([a-z][a-z-]*\)  *\(.*\)$/\1\t\2/p' |
while IFS="$(printf '\t')" read -r cmd summary; do
  help2man $common --section=1 --name="$summary" --help-option="$cmd --help" \
    -o "$out/kartoteka-$cmd.1" "$k"
  # the page is the command's: its title and synopsis name kartoteka-CMD
  sed -i -e "s/^\.TH KARTOTEKA /.TH KARTOTEKA-$(echo "$cmd" | tr a-z A-Z) /" \
    -e "/^\.SH NAME/{n;s/^kartoteka /kartoteka-$cmd /}" "$out/kartoteka-$cmd.1"
done
ls "$out" | wc -l > "$out/.count"

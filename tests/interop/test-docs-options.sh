#!/bin/bash
# The man-style pages of docs/man/ cannot rot: for each page whose binary is built,
#   - every option the page documents (backquoted in a list item of an Options section) is
#     accepted by the binary: it appears in its --help, or `BINARY OPTION[=VALUE] --version`
#     succeeds (parsed, not refused);
#   - every command documented in a Commands section appears in its --help;
#   - every long option its --help lists is documented in the page.
# Also checks that each page converts to roff (packaging/md2man.py) without error.
set -u -o pipefail
BIN=${OVNX_BIN_DIR:?}
SRC=${OVNX_SOURCE_DIR:?}
T=$(mktemp -d /tmp/ovnx-docs.XXXXXX)
trap 'rm -rf "$T"' EXIT
errors=0
err() {
  echo "FAIL: $*" >&2
  errors=$((errors + 1))
}

# items PAGE SECTION-REGEX: the backquoted words of list items in the matching "## " sections
# (and their "### " subsections), one per line.
items() {
  awk -v want="$2" '
    /^## / { h = tolower(substr($0, 4)); ins = (h ~ want); next }
    ins && /^[*-] / {
      line = $0
      # only the tag: the backquoted words before the first ":" that follows a backquote
      if (match(line, /^[*-] (`[^`]*`[, ]*)+/)) line = substr(line, 1, RLENGTH)
      while (match(line, /`[^`]*`/)) {
        print substr(line, RSTART + 1, RLENGTH - 2)
        line = substr(line, RSTART + RLENGTH)
      }
    }' "$1"
}

word_in() {  # WORD TEXT: WORD appears delimited (not as part of a longer option or command)
  local re=${1//./\\.}
  grep -qE -- "(^|[^A-Za-z0-9_-])$re([^A-Za-z0-9_-]|\$)" <<<"$2"
}

checked=0
for page in "$SRC"/docs/man/*.md; do
  name=$(basename "$page" .md)
  /usr/bin/python3 "$SRC/packaging/md2man.py" "$page" "$T/$name.8" || err "$name: md2man failed"
  if [[ ! -x $BIN/$name ]]; then
    echo "SKIP: $name is not built"
    continue
  fi
  help=$("$BIN/$name" --help 2>&1)
  n_opt=0 n_cmd=0
  while read -r item; do
    for opt in $(tr ',' ' ' <<<"$item"); do
      [[ $opt == -* ]] || continue
      base=${opt%%[=\[]*}
      base=${base%%|*}
      n_opt=$((n_opt + 1))
      word_in "$base" "$help" && continue
      # Not in --help: is it parsed? Give a value if the page shows one.
      arg=$base
      if [[ $opt == *=* ]]; then
        val=${opt#*=}
        val=${val%%|*}
        case $val in N | NICE | PORT | SECS | MS) val=1 ;; *) val=x ;; esac
        arg="$base=$val"
      fi
      if ! "$BIN/$name" "$arg" --version >/dev/null 2>&1; then
        err "$name: documented option $base is neither in --help nor accepted"
      fi
    done
  done < <(items "$page" '^options|options$')
  while read -r item; do
    cmd=${item%% *}
    [[ -n $cmd && $cmd != -* ]] || continue
    n_cmd=$((n_cmd + 1))
    word_in "$cmd" "$help" || err "$name: documented command $cmd is not in --help"
  done < <(items "$page" 'commands')
  # The other way round: --help's long options are all in the page.
  for opt in $(grep -oE -- '(^|[ ,])--[a-z][a-z0-9-]*' <<<"$help" | tr -d ' ,' | sort -u); do
    grep -qF -- "$opt" "$page" || err "$name: $opt is in --help but not documented in $page"
  done
  echo "checked $name: $n_opt options, $n_cmd commands"
  checked=$((checked + 1))
done
((checked > 0)) || err "no documented binary is built in $BIN"
((errors == 0)) || exit 1
echo "PASS: $checked pages agree with their binaries"

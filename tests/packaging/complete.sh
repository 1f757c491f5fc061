#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# complete.sh LINE: the candidates bash completion offers at the end of LINE
# (one per line), with bash-completion and completion/tdxhp loaded as an
# interactive shell would: COMP_WORDS split on spaces and at '=' like
# COMP_WORDBREAKS does.
. /usr/share/bash-completion/bash_completion || exit 2
. "$(dirname "$0")/../../completion/tdxhp" || exit 2
compopt() { :; } # only valid inside a real completion

COMP_LINE=$1
COMP_POINT=${#COMP_LINE}
COMP_WORDS=()
read -ra parts <<<"$COMP_LINE"
[[ $COMP_LINE == *' ' ]] && parts+=('')
for w in "${parts[@]}"; do
	if [[ $w == *=* ]]; then
		COMP_WORDS+=("${w%%=*}" "=" "${w#*=}")
	else
		COMP_WORDS+=("$w")
	fi
done
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMPREPLY=()
cmd=${COMP_WORDS[0]##*/}
fn=$(complete -p "$cmd" 2>/dev/null | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
[ -n "$fn" ] || { echo "no completion for $cmd" >&2; exit 1; }
"$fn" "$cmd" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"

# bash completion for tshoot(1); installed as share/bash-completion/completions/tshoot.
#
# Nothing here is a second list of tshoot's commands or options: they are read from
# tshoot's own help (`tshoot --help`, `tshoot check --help`, `tshoot check KIND --help`,
# `tshoot COMMAND --help`), and flow ids, node ids and variable names from
# `tshoot list --ids | --nodes FLOW | --vars FLOW`, so completion follows the program.

# _tshoot_words TEXT KIND: "options" gives every --option the text names; "commands"
# the first word of each line of its "Commands:" section; "kinds" the first word of
# each line of its "kinds:" section.
_tshoot_words()
{
	case $2 in
	options) grep -oE -- '(^|[[ ])--[a-z][a-z-]*' <<<"$1" | grep -oE -- '--[a-z-]+' | sort -u ;;
	commands) sed -n '/^Commands:/,/^$/p' <<<"$1" | sed -nE 's/^  ([a-z]+) .*/\1/p' | sort -u ;;
	kinds) sed -n '/^kinds:/,/^$/p' <<<"$1" | sed -nE 's/^  ([a-z]+) .*/\1/p' ;;
	esac
}

# The flow named on the line so far: the first word after the command that is not an
# option or an option's value (a flow id or a .yaml file).
_tshoot_flow_arg()
{
	local i w
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--answers | --scenario | --trainee | --results | --report | --ticket | --format | --set | --node | --resume)
			((i++)) ;;
		-*) ;;
		*) printf '%s\n' "$w"; return ;;
		esac
	done
}

_tshoot()
{
	local cur prev cmd flow words
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	local prog=${COMP_WORDS[0]}
	cmd=""
	[ "$COMP_CWORD" -gt 1 ] && cmd=${COMP_WORDS[1]}

	# values of options, wherever they are
	case $prev in
	--answers | --scenario | --results | --report | --cacert | --targets | --file)
		compopt -o filenames 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return ;;
	--format)
		mapfile -t COMPREPLY < <(compgen -W "text md json answers svg png" -- "$cur")
		return ;;
	--node)
		flow=$(_tshoot_flow_arg)
		[ -n "$flow" ] && mapfile -t COMPREPLY < <(compgen -W "$("$prog" list --nodes "$flow" 2>/dev/null)" -- "$cur")
		return ;;
	--set)
		flow=$(_tshoot_flow_arg)
		if [ -n "$flow" ]; then
			compopt -o nospace 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -S = -W "$("$prog" list --vars "$flow" 2>/dev/null)" -- "$cur")
		fi
		return ;;
	--lang | --trainee | --ticket | --timeout | --warn-days | --crit-days | --name | --proxy | --proxy-user | --expect | --jobs | --port | --var | --since | --flow | --older-than)
		return ;;
	esac

	local commands
	commands=$(_tshoot_words "$("$prog" --help 2>/dev/null)" commands)
	if [ "$COMP_CWORD" -eq 1 ] || ! grep -qx -- "$cmd" <<<"$commands"; then
		# a walk: options, flow ids and flow files; or a command
		if [[ $cur == -* ]]; then
			words=$(_tshoot_words "$("$prog" --help 2>/dev/null)" options)
		else
			words="$("$prog" list --ids 2>/dev/null)"
			[ "$COMP_CWORD" -eq 1 ] && words="$commands $words"
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur"; compgen -f -X '!*.yaml' -- "$cur"; compgen -d -- "$cur")
			return
		fi
		mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
		return
	fi

	case $cmd in
	check)
		if [ "$COMP_CWORD" -eq 2 ]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_tshoot_words "$("$prog" check --help 2>/dev/null)" kinds)" -- "$cur")
			return
		fi
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_tshoot_words "$("$prog" check "${COMP_WORDS[2]}" --help 2>/dev/null)" options)" -- "$cur")
		elif [ "${COMP_WORDS[2]}" = log ] || [ "${COMP_WORDS[2]}" = cert ]; then
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		fi
		return ;;
	*)
		if [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_tshoot_words "$("$prog" "$cmd" --help 2>/dev/null)" options)" -- "$cur")
		else
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -W "$("$prog" list --ids 2>/dev/null)" -- "$cur"; compgen -f -- "$cur")
		fi
		return ;;
	esac
}
complete -F _tshoot tshoot

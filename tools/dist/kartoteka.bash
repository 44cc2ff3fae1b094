# bash completion for kartoteka (installed as
# /usr/share/bash-completion/completions/kartoteka). The commands and their
# options are read from kartoteka's own help, so they never go stale.

_kartoteka()
{
    local cur prev words cword cmd i
    _init_completion || return

    # the command: the first word after the global options
    cmd=
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --store) ((i++)) ;;
            -*) ;;
            *) cmd=${words[i]}; break ;;
        esac
    done

    case $prev in
        --store|--export|--config)
            _filedir -d
            return ;;
    esac

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W '--store --help --version' -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$("$1" --help 2>/dev/null |
                sed -n '/^commands:/,$ s/^  \([a-z][a-z-]*\) .*/\1/p') help" -- "$cur"))
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$("$1" "$cmd" --help 2>/dev/null |
            grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi
    _filedir
} &&
    complete -F _kartoteka kartoteka

# ex: filetype=sh
